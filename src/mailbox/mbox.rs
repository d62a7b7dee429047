//! mbox files, read and written as mboxrd: a body line `>*From ` gains one `>` on write and
//! loses one on read, so every message comes back byte for byte.

use std::io::{BufRead, Write};

use super::DiskMessage;
use crate::dates;
use crate::model::Flags;

/// Streams messages out of an mbox file, one at a time, in bounded memory per message.
#[derive(Debug)]
pub struct MboxReader<R> {
    input: R,
    /// The `From ` line that starts the next message, already read.
    pending_from: Option<Vec<u8>>,
    finished: bool,
}

impl<R: BufRead> MboxReader<R> {
    /// Wraps a reader positioned at the start of an mbox file.
    pub fn new(input: R) -> Self {
        Self {
            input,
            pending_from: None,
            finished: false,
        }
    }

    fn next_message(&mut self) -> std::io::Result<Option<DiskMessage>> {
        let mut line = Vec::new();
        let from_line = match self.pending_from.take() {
            Some(from_line) => from_line,
            None => loop {
                // Skip anything before the first `From ` line.
                line.clear();
                if self.input.read_until(b'\n', &mut line)? == 0 {
                    return Ok(None);
                }
                if line.starts_with(b"From ") {
                    break std::mem::take(&mut line);
                }
            },
        };
        let mut raw = Vec::new();
        let mut previous_blank = false;
        loop {
            line.clear();
            if self.input.read_until(b'\n', &mut line)? == 0 {
                self.finished = true;
                break;
            }
            if previous_blank && line.starts_with(b"From ") {
                self.pending_from = Some(std::mem::take(&mut line));
                break;
            }
            previous_blank = line == b"\n" || line == b"\r\n";
            raw.extend_from_slice(unquote(&line));
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
    type Item = std::io::Result<DiskMessage>;

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
