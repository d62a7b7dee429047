//! The sink POP3 retrieval streams into: each complete message goes to the committer thread,
//! and only messages it reports committed (with their UIDL) may be deleted on the server.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use super::committer::{Committed, Committer, Received};
use crate::model::{MessageId, PopState};
use crate::pop3::{MessageSink, SinkError};
use crate::store::{InsertOutcome, RawEncoder, StoreError};

/// What the sink knows about each message number it may receive.
#[derive(Debug, Clone)]
pub(super) struct Expected {
    /// The server's unique id.
    pub uidl: String,
    /// Size from LIST.
    pub size: u64,
    /// Delete on the server once committed (classic POP).
    pub delete_after_commit: bool,
    /// Fetched with `TOP n 0` (over the size limit): stored as headers only.
    pub headers_only: bool,
    /// The server listed its UIDL for another message too.
    pub ambiguous: bool,
}

/// A message the committer recorded in this session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Recorded {
    /// Its number in this session.
    pub number: u32,
    /// The server's unique id.
    pub uidl: String,
    /// Committed without doubt and due for deletion on the server now.
    pub deletable: bool,
}

/// A message that arrived shorter than LIST announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Shortfall {
    /// Its number in this session.
    pub number: u32,
    /// Bytes received.
    pub received: u64,
    /// Bytes LIST announced.
    pub announced: u64,
}

/// Where the session's downloads stand after a commit, for a progress bar and live lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Committing {
    /// Messages committed (stored or linked as duplicates).
    pub messages: u64,
    /// Bytes received for them.
    pub bytes: u64,
    /// The message this commit stored, if it stored a new one.
    pub stored: Option<MessageId>,
}

/// Hands each message to the committer as it completes; collects what may be deleted afterwards.
pub(super) struct StoreSink<'a> {
    committer: Committer,
    expected: HashMap<u32, Expected>,
    /// Committed messages, in the order they were committed.
    pub committed: Vec<Recorded>,
    /// Messages stored anew.
    pub stored: u64,
    /// Messages whose identical bytes were already stored.
    pub duplicates: u64,
    /// Bytes received for committed messages.
    pub bytes: u64,
    /// Groups the committed messages were committed in.
    pub commits: u64,
    /// Messages that arrived shorter than announced.
    pub incomplete: Vec<Shortfall>,
    /// Messages that passed the size cap while arriving (their headers are kept).
    pub too_large: Vec<u32>,
    current: Option<u32>,
    buffer: Vec<u8>,
    /// Hashes and compresses the current message as it arrives.
    encoder: RawEncoder,
    cancel: &'a AtomicBool,
    on_committed: &'a mut dyn FnMut(Committing),
}

impl<'a> StoreSink<'a> {
    pub(super) fn new(
        committer: Committer,
        expected: HashMap<u32, Expected>,
        cancel: &'a AtomicBool,
        on_committed: &'a mut dyn FnMut(Committing),
    ) -> Self {
        Self {
            committer,
            expected,
            committed: Vec::new(),
            stored: 0,
            duplicates: 0,
            bytes: 0,
            commits: 0,
            incomplete: Vec::new(),
            too_large: Vec::new(),
            current: None,
            buffer: Vec::new(),
            encoder: RawEncoder::new(),
            cancel,
            on_committed,
        }
    }

    /// Waits for the committer to finish what it was handed and records the results.
    ///
    /// # Errors
    /// The store error that stopped the committer, if one did.
    pub(super) fn finish(&mut self) -> Result<(), StoreError> {
        let results = self.committer.finish();
        self.record_all(results)
    }

    /// Records results the committer has ready, without waiting.
    fn take_ready(&mut self) -> Result<(), StoreError> {
        let results = self.committer.ready();
        self.record_all(results)
    }

    fn record_all(
        &mut self,
        results: Vec<Result<Committed, StoreError>>,
    ) -> Result<(), StoreError> {
        for result in results {
            self.record(result?);
        }
        Ok(())
    }

    fn record(&mut self, committed: Committed) {
        let stored = match committed.outcome {
            InsertOutcome::Stored(id) => {
                self.stored += 1;
                Some(id)
            }
            InsertOutcome::Duplicate(_) => {
                self.duplicates += 1;
                None
            }
        };
        self.bytes += committed.bytes;
        // Groups are numbered from 1 in commit order.
        self.commits = self.commits.max(committed.group);
        if committed.state == PopState::Incomplete {
            self.incomplete.push(Shortfall {
                number: committed.number,
                received: committed.bytes,
                announced: committed.expected.size,
            });
        }
        let Expected {
            uidl,
            delete_after_commit,
            ..
        } = committed.expected;
        // Only a download recorded without doubt may leave the server.
        let deletable = delete_after_commit && committed.state == PopState::OnServer;
        self.committed.push(Recorded {
            number: committed.number,
            uidl,
            deletable,
        });
        (self.on_committed)(Committing {
            messages: self.stored + self.duplicates,
            bytes: self.bytes,
            stored,
        });
    }
}

impl MessageSink for StoreSink<'_> {
    fn begin(&mut self, number: u32, size: u64) -> Result<(), SinkError> {
        self.current = Some(number);
        self.buffer = Vec::new();
        self.encoder = RawEncoder::expecting(size);
        // LIST sizes are advisory; cap the reservation so a lying server cannot make us allocate.
        self.buffer
            .reserve(usize::try_from(size.min(64 * 1024 * 1024)).unwrap_or(0));
        Ok(())
    }

    fn chunk(&mut self, bytes: &[u8]) -> Result<(), SinkError> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err("cancelled".into());
        }
        self.take_ready()?;
        self.buffer.extend_from_slice(bytes);
        self.encoder.update(bytes);
        Ok(())
    }

    fn end(&mut self) -> Result<(), SinkError> {
        let number = self.current.take().ok_or("message ended before it began")?;
        let expected = self
            .expected
            .get(&number)
            .cloned()
            .ok_or("the server sent a message we did not ask for")?;
        let raw = std::mem::take(&mut self.buffer);
        let received = received(number, expected, raw, std::mem::take(&mut self.encoder));
        if !self.committer.send(received) {
            // The committer stopped; its error says why (a full disk, say).
            self.finish()?;
            return Err("the store stopped accepting messages".into());
        }
        self.take_ready()?;
        Ok(())
    }

    fn abort(&mut self) {
        self.current = None;
        self.buffer = Vec::new();
    }

    fn too_large(&mut self, number: u32) {
        self.current = None;
        let arrived = std::mem::take(&mut self.buffer);
        self.encoder = RawEncoder::new();
        let Some(mut expected) = self.expected.get(&number).cloned() else {
            return;
        };
        self.too_large.push(number);
        // Keep the header block, as for a message over the size limit; the server keeps it all.
        let header_end = header_block_end(&arrived);
        expected.headers_only = true;
        expected.delete_after_commit = false;
        let raw = arrived[..header_end].to_vec();
        let mut encoder = RawEncoder::new();
        encoder.update(&raw);
        // A stopped committer reports its own error through `finish`.
        let _ = self
            .committer
            .send(received(number, expected, raw, encoder));
    }
}

/// A message ready for the committer; `encoder` has seen exactly `raw`.
fn received(number: u32, expected: Expected, raw: Vec<u8>, encoder: RawEncoder) -> Received {
    let (stored_raw, raw_sha256) = encoder.finish(&raw);
    Received {
        number,
        expected,
        raw,
        stored_raw,
        raw_sha256,
    }
}

/// Longest header block kept of a message over the cap.
const MAX_HEADER_BLOCK: usize = 1024 * 1024;

/// Where the header block ends (after its blank line); without one within
/// [`MAX_HEADER_BLOCK`], the last whole line in it.
fn header_block_end(raw: &[u8]) -> usize {
    let head = &raw[..raw.len().min(MAX_HEADER_BLOCK)];
    let crlf = memchr::memmem::find(head, b"\r\n\r\n").map(|at| at + 4);
    let lf = memchr::memmem::find(head, b"\n\n").map(|at| at + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a
            .or(b)
            .or_else(|| memchr::memrchr(b'\n', head).map(|at| at + 1))
            .unwrap_or(head.len()),
    }
}

/// Keeps one message (or its headers) in memory.
#[derive(Debug, Default)]
pub(super) struct MemorySink {
    /// The bytes received.
    pub bytes: Vec<u8>,
}

impl MessageSink for MemorySink {
    fn begin(&mut self, _number: u32, _size: u64) -> Result<(), SinkError> {
        self.bytes.clear();
        Ok(())
    }

    fn chunk(&mut self, bytes: &[u8]) -> Result<(), SinkError> {
        self.bytes.extend_from_slice(bytes);
        Ok(())
    }

    fn end(&mut self) -> Result<(), SinkError> {
        Ok(())
    }
}
