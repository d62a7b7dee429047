//! The sink POP3 retrieval streams into: each complete message is parsed and committed to the
//! store together with its UIDL, before the next one is acknowledged.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::dates;
use crate::message;
use crate::model::{AccountId, Flags, FolderId, MessageId};
use crate::pop3::{MessageSink, SinkError};
use crate::store::{IndexDoc, InsertOutcome, NewMessage, Store, raw_sha256};

/// What the sink knows about each message number it may receive.
#[derive(Debug, Clone)]
pub(super) struct Expected {
    /// The server's unique id.
    pub uidl: String,
    /// Size from LIST.
    pub size: u64,
    /// Delete on the server once committed (classic POP).
    pub delete_after_commit: bool,
}

/// Commits each message as it completes; collects what may be deleted afterwards.
pub(super) struct StoreSink<'a> {
    pub store: &'a mut Store,
    pub account: AccountId,
    pub inbox: FolderId,
    pub headers_only: bool,
    pub expected: HashMap<u32, Expected>,
    /// Committed messages: (number, uidl, may delete now).
    pub committed: Vec<(u32, String, bool)>,
    pub stored: u64,
    pub duplicates: u64,
    pub bytes: u64,
    current: Option<u32>,
    buffer: Vec<u8>,
    cancel: &'a AtomicBool,
    on_committed: &'a mut dyn FnMut(u64, u64, Option<MessageId>),
    /// Committed messages not yet in the search index, and when the index was last written.
    unindexed: Vec<IndexDoc>,
    indexed_at: Instant,
}

/// Index after this many messages or this long, whichever comes first: one index flush per
/// batch instead of per message (a per-message flush wrote ~20 KiB of index pages each).
const INDEX_BATCH: usize = 256;
const INDEX_EVERY: Duration = Duration::from_secs(1);

impl<'a> StoreSink<'a> {
    pub(super) fn new(
        store: &'a mut Store,
        account: AccountId,
        inbox: FolderId,
        headers_only: bool,
        expected: HashMap<u32, Expected>,
        cancel: &'a AtomicBool,
        on_committed: &'a mut dyn FnMut(u64, u64, Option<MessageId>),
    ) -> Self {
        Self {
            store,
            account,
            inbox,
            headers_only,
            expected,
            committed: Vec::new(),
            stored: 0,
            duplicates: 0,
            bytes: 0,
            current: None,
            buffer: Vec::new(),
            cancel,
            on_committed,
            unindexed: Vec::new(),
            indexed_at: Instant::now(),
        }
    }

    /// Writes pending documents to the search index. A failure loses nothing: the messages are
    /// stored, and the next open of the store indexes them.
    pub(super) fn flush_index(&mut self) {
        if self.store.index_docs(&self.unindexed).is_err() {
            tracing::warn!(
                count = self.unindexed.len(),
                "search index update deferred to the next start"
            );
        }
        self.unindexed.clear();
        self.indexed_at = Instant::now();
    }
}

impl MessageSink for StoreSink<'_> {
    fn begin(&mut self, number: u32, size: u64) -> Result<(), SinkError> {
        self.current = Some(number);
        self.buffer.clear();
        // LIST sizes are advisory; cap the reservation so a lying server cannot make us allocate.
        self.buffer
            .reserve(usize::try_from(size.min(64 * 1024 * 1024)).unwrap_or(0));
        Ok(())
    }

    fn chunk(&mut self, bytes: &[u8]) -> Result<(), SinkError> {
        if self.cancel.load(Ordering::Relaxed) {
            return Err("cancelled".into());
        }
        self.buffer.extend_from_slice(bytes);
        Ok(())
    }

    fn end(&mut self) -> Result<(), SinkError> {
        let number = self.current.take().ok_or("message ended before it began")?;
        let expected = self
            .expected
            .get(&number)
            .cloned()
            .ok_or("the server sent a message we did not ask for")?;
        let parsed = message::parse(&self.buffer, None);
        let sha = raw_sha256(&self.buffer);
        let new = NewMessage {
            raw: &self.buffer,
            raw_sha256: &sha,
            parsed: &parsed,
            folder_id: self.inbox,
            account_id: Some(self.account),
            flags: Flags::default(),
            received_at: dates::now(),
            headers_only: self.headers_only,
            stored_raw: None,
        };
        let (outcome, doc) = self.store.store_pop_message_unindexed(
            self.account,
            &expected.uidl,
            expected.size,
            &new,
        )?;
        self.unindexed.extend(doc);
        if self.unindexed.len() >= INDEX_BATCH || self.indexed_at.elapsed() >= INDEX_EVERY {
            self.flush_index();
        }
        let stored = match outcome {
            InsertOutcome::Stored(id) => {
                self.stored += 1;
                Some(id)
            }
            InsertOutcome::Duplicate(_) => {
                self.duplicates += 1;
                None
            }
        };
        self.bytes += self.buffer.len() as u64;
        self.committed
            .push((number, expected.uidl, expected.delete_after_commit));
        (self.on_committed)(self.stored + self.duplicates, self.bytes, stored);
        self.buffer.clear();
        Ok(())
    }

    fn abort(&mut self) {
        self.current = None;
        self.buffer.clear();
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
