//! Incremental decoder for multi-line POP3 bodies: removes dot-stuffing and
//! finds the terminating `.` line, across arbitrary chunk boundaries.

/// Where the decoder stands between two input chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// At the first byte of a line.
    LineStart,
    /// Saw a `.` at line start (already dropped).
    Dot,
    /// Saw `.` then CR at line start (both withheld).
    DotCr,
    /// Inside a line.
    Middle,
}

/// The result of feeding one chunk to [`DotDecoder::decode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoded {
    /// The whole chunk was used; the body continues.
    NeedMore,
    /// The terminator ended after this many bytes of the chunk.
    Done(usize),
}

/// Streaming dot-unstuffer; output bytes are exact apart from removed stuffing dots.
///
/// Line ends are found by LF, so CRLF is preserved byte for byte and a bare LF
/// ends a line too. A lone `.` line (`.\r\n`, or `.\n` from sloppy servers)
/// terminates the body; any other line starting with `.` loses that first dot.
#[derive(Debug, Clone)]
pub struct DotDecoder {
    state: State,
}

impl Default for DotDecoder {
    fn default() -> Self {
        DotDecoder::new()
    }
}

impl DotDecoder {
    /// A decoder positioned at the start of the body.
    pub fn new() -> DotDecoder {
        DotDecoder {
            state: State::LineStart,
        }
    }

    /// True when the output so far ends at a line boundary.
    pub fn at_line_start(&self) -> bool {
        self.state == State::LineStart
    }

    /// Decodes `input`, passing unstuffed runs to `out` (which may stop the
    /// decode by returning an error). Runs borrow from `input`; nothing is copied.
    pub fn decode<E>(
        &mut self,
        input: &[u8],
        mut out: impl FnMut(&[u8]) -> Result<(), E>,
    ) -> Result<Decoded, E> {
        let mut i = 0;
        let mut run_start = 0;
        while i < input.len() {
            match self.state {
                State::LineStart => {
                    if input[i] == b'.' {
                        if run_start < i {
                            out(&input[run_start..i])?;
                        }
                        i += 1;
                        run_start = i;
                        self.state = State::Dot;
                    } else {
                        self.state = State::Middle;
                    }
                }
                State::Dot => match input[i] {
                    b'\r' => {
                        i += 1;
                        run_start = i;
                        self.state = State::DotCr;
                    }
                    b'\n' => {
                        self.state = State::LineStart;
                        return Ok(Decoded::Done(i + 1));
                    }
                    _ => self.state = State::Middle,
                },
                State::DotCr => {
                    if input[i] == b'\n' {
                        self.state = State::LineStart;
                        return Ok(Decoded::Done(i + 1));
                    }
                    // ".\rX" is a stuffed line whose CR we withheld; give it back.
                    out(b"\r")?;
                    self.state = State::Middle;
                }
                State::Middle => match memchr::memchr(b'\n', &input[i..]) {
                    Some(pos) => {
                        i += pos + 1;
                        self.state = State::LineStart;
                    }
                    None => i = input.len(),
                },
            }
        }
        if run_start < input.len() {
            out(&input[run_start..])?;
        }
        Ok(Decoded::NeedMore)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::convert::Infallible;

    /// Decodes `wire` split into the given pieces; returns output and bytes consumed.
    fn decode_pieces(pieces: &[&[u8]]) -> (Vec<u8>, Option<usize>) {
        let mut dec = DotDecoder::new();
        let mut out = Vec::new();
        let mut offset = 0;
        for piece in pieces {
            let r = dec
                .decode::<Infallible>(piece, |b| {
                    out.extend_from_slice(b);
                    Ok(())
                })
                .unwrap();
            if let Decoded::Done(n) = r {
                return (out, Some(offset + n));
            }
            offset += piece.len();
        }
        (out, None)
    }

    const BODY: &[u8] = b"From: a\r\n.dot line\r\n\r\n..\r\nx.y\r\n.\r\n\xff\xfe8bit\r\n";

    #[test]
    fn unstuffs_whole_chunk() {
        let (out, done) = decode_pieces(&[b"From: a\r\n..dot line\r\n.\r\nrest"]);
        assert_eq!(out, b"From: a\r\n.dot line\r\n");
        assert_eq!(done, Some(24));
    }

    #[test]
    fn every_split_point_gives_the_same_result() {
        let stuffed = b"From: a\r\n..dot line\r\n\r\n...\r\nx.y\r\n..\r\n\xff\xfe8bit\r\n.\r\nNEXT";
        for split in 0..=stuffed.len() {
            let (out, done) = decode_pieces(&[&stuffed[..split], &stuffed[split..]]);
            assert_eq!(out, BODY, "split at {split}");
            assert_eq!(done, Some(stuffed.len() - 4), "split at {split}");
        }
        for a in 0..stuffed.len() {
            for b in a..stuffed.len() {
                let (out, _) = decode_pieces(&[&stuffed[..a], &stuffed[a..b], &stuffed[b..]]);
                assert_eq!(out, BODY, "splits at {a},{b}");
            }
        }
    }

    #[test]
    fn byte_by_byte() {
        let stuffed = b"..\r\n.\r\n";
        let pieces: Vec<&[u8]> = stuffed.chunks(1).collect();
        assert_eq!(decode_pieces(&pieces), (b".\r\n".to_vec(), Some(7)));
    }

    #[test]
    fn empty_body_and_bare_lf() {
        assert_eq!(decode_pieces(&[b".\r\n"]), (vec![], Some(3)));
        assert_eq!(decode_pieces(&[b"a\n.\n"]), (b"a\n".to_vec(), Some(4)));
        assert_eq!(
            decode_pieces(&[b".\rX\r\n.\r\n"]),
            (b"\rX\r\n".to_vec(), Some(8))
        );
    }

    #[test]
    fn unterminated_needs_more() {
        let (out, done) = decode_pieces(&[b"abc\r\n", b"def"]);
        assert_eq!(out, b"abc\r\ndef");
        assert_eq!(done, None);
    }

    #[test]
    fn sink_error_stops_decode() {
        let mut dec = DotDecoder::new();
        let r = dec.decode(b"abc\r\n", |_| Err("stop"));
        assert_eq!(r, Err("stop"));
    }
}
