//! Header lines written in 8-bit bytes that are not UTF-8 are read as Windows-1252.
//!
//! Headers should be ASCII (RFC 2047 encoded words for the rest), yet old mailers write Latin-1
//! bytes straight into a Subject or From. Read as UTF-8 they become replacement characters
//! ("Forma□□o"); Windows-1252, a superset of Latin-1's printable characters, reads them as
//! meant ("Formação"). Only a copy of the message is transcoded, for parsing: the raw bytes are
//! stored and shown as they came.

use std::borrow::Cow;

/// `raw` with every top-level header line that is not valid UTF-8 transcoded from Windows-1252;
/// borrowed as it is when the header block is already valid UTF-8 (nearly all mail).
pub(super) fn transcode(raw: &[u8]) -> Cow<'_, [u8]> {
    let end = header_block_end(raw);
    let header_block = &raw[..end];
    if std::str::from_utf8(header_block).is_ok() {
        return Cow::Borrowed(raw);
    }
    let mut copy = Vec::with_capacity(raw.len() + end / 2);
    for line in header_block.split_inclusive(|&byte| byte == b'\n') {
        if std::str::from_utf8(line).is_ok() {
            copy.extend_from_slice(line);
        } else {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(line);
            copy.extend_from_slice(text.as_bytes());
        }
    }
    copy.extend_from_slice(&raw[end..]);
    Cow::Owned(copy)
}

/// Where the header block ends: at the first empty line (which is not part of it), else the end.
fn header_block_end(raw: &[u8]) -> usize {
    let mut start = 0;
    for line in raw.split_inclusive(|&byte| byte == b'\n') {
        if line == b"\n" || line == b"\r\n" {
            return start;
        }
        start += line.len();
    }
    raw.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lines_that_are_not_utf8_are_transcoded_and_the_body_is_kept() {
        let raw = b"Subject: Forma\xe7\xe3o\r\nTo: Zo\xc3\xab <z@example.org>\r\n\r\nbody \xe7\r\n";
        let copy = transcode(raw);
        assert_eq!(
            copy.as_ref(),
            "Subject: Formação\r\nTo: Zoë <z@example.org>\r\n\r\nbody "
                .as_bytes()
                .iter()
                .chain(b"\xe7\r\n")
                .copied()
                .collect::<Vec<u8>>()
        );
    }

    #[test]
    fn utf8_and_ascii_headers_are_borrowed_untouched() {
        let raw = "Subject: Grüße\n\nbody \u{e7}".as_bytes();
        assert!(matches!(transcode(raw), Cow::Borrowed(_)));
        let body_only_8bit = b"Subject: x\n\n\xff\xfe";
        assert!(matches!(transcode(body_only_8bit), Cow::Borrowed(_)));
    }

    #[test]
    fn windows_1252_punctuation_is_read_as_such() {
        let copy = transcode(b"Subject: \x93quoted\x94 \x80 10\n\n");
        assert_eq!(copy.as_ref(), "Subject: “quoted” € 10\n\n".as_bytes());
    }
}
