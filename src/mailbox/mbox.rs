//! mbox files, read and written as mboxrd: a body line `>*From ` gains one `>` on write and
//! loses one on read, so every message comes back byte for byte.

use std::io::{BufRead, Read, Write};

use super::{DiskMessage, MAX_MESSAGE_BYTES};
use crate::dates;
use crate::model::Flags;

/// Longest piece of a line read at once; longer lines are read in pieces.
const LINE_PIECE: u64 = 64 * 1024;

/// Why a message could not be read from an mbox file.
#[derive(Debug, thiserror::Error)]
pub enum MboxError {
    /// Reading the file failed; nothing more is read from it.
    #[error("cannot read the mbox file")]
    Read(#[from] std::io::Error),
    /// One message was over the size limit; it was skipped and reading goes on.
    #[error(
        "cannot import message {number} (starting at byte {offset}): it is larger than the limit of {limit} bytes for one message"
    )]
    TooLarge {
        /// Its position in the file, from 1.
        number: u64,
        /// Byte offset of its `From ` line.
        offset: u64,
        /// The limit.
        limit: u64,
    },
}

/// Streams messages out of an mbox file, one at a time, in bounded memory per message: a
/// message over the limit is skipped (reported as [`MboxError::TooLarge`]), never held whole.
#[derive(Debug)]
pub struct MboxReader<R> {
    input: R,
    /// The `From ` line that starts the next message, already read, and its offset.
    pending_from: Option<(Vec<u8>, u64)>,
    finished: bool,
    limit: u64,
    /// Bytes consumed so far.
    position: u64,
    /// Messages started so far.
    number: u64,
}

impl<R: BufRead> MboxReader<R> {
    /// Wraps a reader positioned at the start of an mbox file; messages up to
    /// [`MAX_MESSAGE_BYTES`].
    pub fn new(input: R) -> Self {
        Self::with_limit(input, MAX_MESSAGE_BYTES)
    }

    /// As [`MboxReader::new`], with messages of at most `limit` bytes.
    pub fn with_limit(input: R, limit: u64) -> Self {
        Self {
            input,
            pending_from: None,
            finished: false,
            limit,
            position: 0,
            number: 0,
        }
    }

    /// Reads the next piece of a line (up to and including `\n`, at most [`LINE_PIECE`]).
    fn read_piece(&mut self, piece: &mut Vec<u8>) -> std::io::Result<usize> {
        piece.clear();
        let read = self
            .input
            .by_ref()
            .take(LINE_PIECE)
            .read_until(b'\n', piece)?;
        self.position += read as u64;
        Ok(read)
    }

    /// Reads a whole `From ` line whose first piece is `first`, keeping at most one piece.
    fn finish_line(&mut self, first: &[u8]) -> std::io::Result<()> {
        let mut ends_line = first.ends_with(b"\n");
        let mut rest = Vec::new();
        while !ends_line {
            if self.read_piece(&mut rest)? == 0 {
                break;
            }
            ends_line = rest.ends_with(b"\n");
        }
        Ok(())
    }

    /// The next message's `From ` line and its offset: the one the last message ended at, or
    /// the first in the file (anything before it is skipped). `None` at the end of the file.
    fn next_from_line(&mut self) -> Result<Option<(Vec<u8>, u64)>, MboxError> {
        if let Some(pending) = self.pending_from.take() {
            return Ok(Some(pending));
        }
        let mut piece = Vec::new();
        let mut at_line_start = true;
        loop {
            let offset = self.position;
            if self.read_piece(&mut piece)? == 0 {
                return Ok(None);
            }
            if at_line_start && piece.starts_with(b"From ") {
                self.finish_line(&piece)?;
                return Ok(Some((piece, offset)));
            }
            at_line_start = piece.ends_with(b"\n");
        }
    }

    fn next_message(&mut self) -> Result<Option<DiskMessage>, MboxError> {
        let Some((from_line, offset)) = self.next_from_line()? else {
            return Ok(None);
        };
        self.number += 1;
        let mut piece = Vec::new();
        let mut raw = Vec::new();
        let mut oversized = false;
        let mut previous_blank = false;
        let mut at_line_start = true;
        loop {
            let piece_offset = self.position;
            if self.read_piece(&mut piece)? == 0 {
                self.finished = true;
                break;
            }
            let starts_line = std::mem::replace(&mut at_line_start, piece.ends_with(b"\n"));
            if starts_line && previous_blank && piece.starts_with(b"From ") {
                self.finish_line(&piece)?;
                self.pending_from = Some((std::mem::take(&mut piece), piece_offset));
                break;
            }
            previous_blank = starts_line && (piece == b"\n" || piece == b"\r\n");
            let content = if starts_line {
                unquote(&piece)
            } else {
                &piece[..]
            };
            if oversized || (raw.len() + content.len()) as u64 > self.limit {
                if !oversized {
                    oversized = true;
                    raw = Vec::new();
                }
                continue;
            }
            raw.extend_from_slice(content);
        }
        if oversized {
            return Err(MboxError::TooLarge {
                number: self.number,
                offset,
                limit: self.limit,
            });
        }
        strip_separator_line(&mut raw);
        Ok(Some(DiskMessage {
            raw,
            flags: Flags::default(),
            received_at: None,
            envelope_from: envelope_sender(&from_line),
        }))
    }
}

impl<R: BufRead> Iterator for MboxReader<R> {
    type Item = Result<DiskMessage, MboxError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.finished && self.pending_from.is_none() {
            return None;
        }
        match self.next_message() {
            Ok(Some(message)) => Some(Ok(message)),
            Ok(None) => {
                self.finished = true;
                None
            }
            // One message too large: skip it and go on with the next.
            Err(err @ MboxError::TooLarge { .. }) => Some(Err(err)),
            Err(err) => {
                // A read error ends the file: report it once, then stop.
                self.finished = true;
                self.pending_from = None;
                Some(Err(err))
            }
        }
    }
}

/// `>From ` → `From `, `>>From ` → `>From `; other lines unchanged.
fn unquote(line: &[u8]) -> &[u8] {
    let quotes = line.iter().take_while(|&&byte| byte == b'>').count();
    if quotes > 0 && line[quotes..].starts_with(b"From ") {
        &line[1..]
    } else {
        line
    }
}

/// Removes the empty line the writer puts between messages.
fn strip_separator_line(raw: &mut Vec<u8>) {
    if raw.ends_with(b"\n\n") || raw.ends_with(b"\r\n\n") {
        raw.pop();
    } else if raw.ends_with(b"\n\r\n") {
        raw.truncate(raw.len() - 2);
    }
}

fn envelope_sender(from_line: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(from_line);
    let sender = text.strip_prefix("From ")?.split_whitespace().next()?;
    (!sender.is_empty()).then(|| sender.to_owned())
}

/// Appends messages to an mbox stream in mboxrd form.
#[derive(Debug)]
pub struct MboxWriter<W> {
    output: W,
}

impl<W: Write> MboxWriter<W> {
    /// Wraps an output stream.
    pub fn new(output: W) -> Self {
        Self { output }
    }

    /// Writes one message: `From sender date`, the quoted lines, a final newline if missing, a blank line.
    ///
    /// # Errors
    /// When writing fails.
    pub fn write(&mut self, raw: &[u8], sender: &str, date: i64) -> std::io::Result<()> {
        let sender: String = sender
            .chars()
            .filter(|ch| !ch.is_whitespace() && !ch.is_control())
            .collect();
        let sender = if sender.is_empty() {
            "MAILER-DAEMON"
        } else {
            &sender
        };
        writeln!(self.output, "From {sender} {}", dates::format_asctime(date))?;
        for line in raw.split_inclusive(|&byte| byte == b'\n') {
            let quotes = line.iter().take_while(|&&byte| byte == b'>').count();
            if line[quotes..].starts_with(b"From ") {
                self.output.write_all(b">")?;
            }
            self.output.write_all(line)?;
        }
        if !raw.ends_with(b"\n") {
            self.output.write_all(b"\n")?;
        }
        self.output.write_all(b"\n")
    }

    /// Flushes and returns the stream.
    ///
    /// # Errors
    /// When flushing fails.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.output.flush()?;
        Ok(self.output)
    }
}
