//! Buffered reading of status lines, listings and streamed bodies, with an
//! idle timeout on every socket operation, a progress rule and a session deadline.

use std::time::{Duration, Instant};

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use super::error::Pop3Error;
use super::options::ProgressRule;
use super::pace::{Limit, Pace};
use super::reply::Reply;
use super::unstuff::{Decoded, DotDecoder};

/// Longest status or listing line accepted, in bytes (RFC 2449 allows 512).
pub const MAX_LINE: usize = 8 * 1024;

/// Read buffer size; bodies stream through it in pieces of at most this size.
const BUFFER_SIZE: usize = 128 * 1024;

/// A POP3 byte stream with a read buffer.
pub struct Wire<S> {
    stream: S,
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    idle_timeout: Option<Duration>,
    pace: Pace,
}

// By hand: the buffer may hold message content, which must never be printed.
impl<S: std::fmt::Debug> std::fmt::Debug for Wire<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wire")
            .field("stream", &self.stream)
            .field("buffered", &(self.end - self.start))
            .field("idle_timeout", &self.idle_timeout)
            .finish_non_exhaustive()
    }
}

impl<S: AsyncRead + AsyncWrite + Unpin> Wire<S> {
    /// Wraps `stream`; `idle_timeout` bounds each read and write (None: unbounded).
    pub fn new(stream: S, idle_timeout: Option<Duration>) -> Wire<S> {
        Wire {
            stream,
            buf: vec![0; BUFFER_SIZE].into_boxed_slice(),
            start: 0,
            end: 0,
            idle_timeout,
            pace: Pace::default(),
        }
    }

    /// From now on, fewer than `rule.min_bytes` over `rule.window` of waiting within a
    /// reply is [`Pop3Error::TooSlow`].
    pub fn set_progress_rule(&mut self, rule: ProgressRule) {
        self.pace.set_rule(rule);
    }

    /// Every read and write after `start + allowed` fails with [`Pop3Error::DeadlinePassed`].
    pub fn set_deadline(&mut self, start: Instant, allowed: Duration) {
        self.pace.set_deadline(start, allowed);
    }

    /// Moves the deadline `extra` later (a fetch announced more bytes).
    pub fn extend_deadline(&mut self, extra: Duration) {
        self.pace.extend_deadline(extra);
    }

    /// The underlying stream.
    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    /// True when the server sent bytes that no reply has consumed yet.
    pub fn has_buffered(&self) -> bool {
        self.start < self.end
    }

    /// Returns the stream for a TLS upgrade; refuses if unread bytes were
    /// injected before the handshake (the STARTTLS injection attack).
    pub fn into_stream(self) -> Result<S, Pop3Error> {
        if self.has_buffered() {
            return Err(Pop3Error::Protocol {
                detail: "unexpected data after STLS reply".to_string(),
            });
        }
        Ok(self.stream)
    }

    /// Writes `bytes` completely and flushes.
    pub async fn send(&mut self, bytes: &[u8]) -> Result<(), Pop3Error> {
        let started = Instant::now();
        self.pace.command_sent();
        let budget = self.pace.budget(started, self.idle_timeout)?;
        let write = async {
            self.stream.write_all(bytes).await?;
            self.stream.flush().await
        };
        match budget {
            Some((timeout, limit)) => match tokio::time::timeout(timeout, write).await {
                Ok(written) => written?,
                Err(_) => {
                    return Err(match limit {
                        Limit::Deadline => self.pace.timed_out(limit, started.elapsed()),
                        _ => Pop3Error::WriteTimeout { timeout },
                    });
                }
            },
            None => write.await?,
        }
        Ok(())
    }

    /// Reads more bytes into the buffer; end of stream is an error here
    /// because every caller is in the middle of expecting a reply.
    async fn fill(&mut self) -> Result<(), Pop3Error> {
        if self.start == self.end {
            self.start = 0;
            self.end = 0;
        } else if self.end == self.buf.len() {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        let started = Instant::now();
        let budget = self.pace.budget(started, self.idle_timeout)?;
        let read = self.stream.read(&mut self.buf[self.end..]);
        let outcome = match budget {
            Some((timeout, limit)) => tokio::time::timeout(timeout, read).await.map_err(|_| limit),
            None => Ok(read.await),
        };
        let waited = started.elapsed();
        let n = match outcome {
            Ok(read) => read?,
            Err(limit) => return Err(self.pace.timed_out(limit, waited)),
        };
        if n == 0 {
            return Err(Pop3Error::ConnectionClosed);
        }
        self.end += n;
        self.pace.record(waited, n)
    }

    /// Reads one line of at most [`MAX_LINE`] bytes, without its CRLF or LF.
    pub async fn read_line(&mut self) -> Result<&[u8], Pop3Error> {
        let (from, to) = loop {
            let pending = &self.buf[self.start..self.end];
            if let Some(pos) = memchr::memchr(b'\n', pending) {
                if pos > MAX_LINE {
                    return Err(Pop3Error::LineTooLong { limit: MAX_LINE });
                }
                let from = self.start;
                let to = if pos > 0 && pending[pos - 1] == b'\r' {
                    from + pos - 1
                } else {
                    from + pos
                };
                self.start += pos + 1;
                break (from, to);
            }
            if pending.len() > MAX_LINE {
                return Err(Pop3Error::LineTooLong { limit: MAX_LINE });
            }
            self.fill().await?;
        };
        Ok(&self.buf[from..to])
    }

    /// Reads and parses one status line.
    pub async fn read_reply(&mut self) -> Result<Reply, Pop3Error> {
        let line = self.read_line().await?;
        Reply::parse(line)
    }

    /// Reads one line of a multi-line listing; `None` at the terminating `.`.
    /// A leading stuffing dot is removed.
    pub async fn read_listing_line(&mut self) -> Result<Option<&[u8]>, Pop3Error> {
        let line = self.read_line().await?;
        match line {
            b"." => Ok(None),
            [b'.', rest @ ..] => Ok(Some(rest)),
            _ => Ok(Some(line)),
        }
    }

    /// Streams a multi-line body to `out`, unstuffed; returns the decoded size.
    ///
    /// If `out` fails with [`Pop3Error::Sink`] the rest of the body is read and
    /// discarded (keeping the session in step) and that error is returned;
    /// any other error from `out` is returned at once.
    pub async fn read_body(
        &mut self,
        mut out: impl FnMut(&[u8]) -> Result<(), Pop3Error>,
    ) -> Result<u64, Pop3Error> {
        let mut decoder = DotDecoder::new();
        let mut size: u64 = 0;
        let mut deferred: Option<Pop3Error> = None;
        loop {
            if self.start == self.end {
                self.fill().await?;
            }
            let chunk = &self.buf[self.start..self.end];
            let step = decoder.decode(chunk, |run| {
                size += run.len() as u64;
                if deferred.is_some() {
                    return Ok(());
                }
                match out(run) {
                    Err(err @ Pop3Error::Sink { .. }) => {
                        deferred = Some(err);
                        Ok(())
                    }
                    other => other,
                }
            })?;
            match step {
                Decoded::NeedMore => self.start = self.end,
                Decoded::Done(used) => {
                    self.start += used;
                    return match deferred {
                        Some(err) => Err(err),
                        None => Ok(size),
                    };
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire_over(bytes: &'static [u8]) -> Wire<tokio::io::Join<&'static [u8], tokio::io::Sink>> {
        Wire::new(tokio::io::join(bytes, tokio::io::sink()), None)
    }

    #[tokio::test]
    async fn reads_lines_and_body() {
        let mut w = wire_over(b"+OK hi\r\nline\nx\r\n..a\r\n.\r\n+OK next\r\n");
        assert!(w.read_reply().await.unwrap().ok);
        assert_eq!(w.read_line().await.unwrap(), b"line");
        let mut body = Vec::new();
        let n = w
            .read_body(|b| {
                body.extend_from_slice(b);
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(body, b"x\r\n.a\r\n");
        assert_eq!(n, 7);
        assert_eq!(w.read_reply().await.unwrap().text, "next");
        assert!(matches!(
            w.read_line().await,
            Err(Pop3Error::ConnectionClosed)
        ));
    }

    #[tokio::test]
    async fn over_long_line_is_an_error() {
        let long: &'static [u8] = Box::leak(vec![b'a'; MAX_LINE + 10].into_boxed_slice());
        let mut w = wire_over(long);
        assert!(matches!(
            w.read_line().await,
            Err(Pop3Error::LineTooLong { .. })
        ));
    }

    #[tokio::test]
    async fn truncated_body_is_closed_error() {
        let mut w = wire_over(b"abc\r\nde");
        let r = w.read_body(|_| Ok(())).await;
        assert!(matches!(r, Err(Pop3Error::ConnectionClosed)));
    }

    #[tokio::test]
    async fn sink_error_drains_body() {
        let mut w = wire_over(b"abc\r\ndef\r\n.\r\n+OK after\r\n");
        let r = w
            .read_body(|_| {
                Err(Pop3Error::Sink {
                    number: 1,
                    source: "full".into(),
                })
            })
            .await;
        assert!(matches!(r, Err(Pop3Error::Sink { .. })));
        assert_eq!(w.read_reply().await.unwrap().text, "after");
    }

    #[tokio::test]
    async fn listing_lines_unstuffed() {
        let mut w = wire_over(b"1 a\r\n..x\r\n.\r\n");
        assert_eq!(w.read_listing_line().await.unwrap(), Some(&b"1 a"[..]));
        assert_eq!(w.read_listing_line().await.unwrap(), Some(&b".x"[..]));
        assert_eq!(w.read_listing_line().await.unwrap(), None);
    }
}
