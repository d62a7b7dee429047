//! A thread that parses and commits downloaded messages while the connection keeps reading:
//! parsing, compressing and writing a large message no longer holds up the socket.

use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::sink::Expected;
use crate::dates;
use crate::message;
use crate::model::{AccountId, Flags, FolderId, PopState};
use crate::store::{IndexDoc, InsertOutcome, NewMessage, Store, StoreError, StoredRaw};

/// A message received in full, waiting to be committed.
pub(super) struct Received {
    /// Its number in this session.
    pub number: u32,
    /// What the listing said about it.
    pub expected: Expected,
    /// Its bytes, exactly as received.
    pub raw: Vec<u8>,
    /// `raw` encoded for storage as it arrived.
    pub stored_raw: StoredRaw,
    /// SHA-256 of `raw`, computed as it arrived.
    pub raw_sha256: [u8; 32],
}

/// A message durably committed together with its UIDL.
pub(super) struct Committed {
    /// Its number in this session.
    pub number: u32,
    /// What the listing said about it.
    pub expected: Expected,
    /// Bytes received for it.
    pub bytes: u64,
    /// Stored anew, or linked to identical bytes already stored.
    pub outcome: InsertOutcome,
    /// The POP3 state recorded with it: only [`PopState::OnServer`] may be deleted now.
    pub state: PopState,
}

/// Bytes a server may announce beyond what it sends without the body counting as cut short
/// (Courier counts a final line end that a message without one never had).
const SIZE_SLACK: u64 = 4;

/// True when `raw` is clearly shorter than the `announced` LIST size: more missing than bare LF
/// line ends (counted as CRLF by some servers) and a few bytes of slack explain.
pub(super) fn is_cut_short(raw: &[u8], announced: u64) -> bool {
    let received = raw.len() as u64;
    if received >= announced {
        return false;
    }
    let line_feeds = memchr::memchr_iter(b'\n', raw).count() as u64;
    let crlf = memchr::memmem::find_iter(raw, b"\r\n").count() as u64;
    let bare_line_feeds = line_feeds - crlf;
    received + bare_line_feeds + SIZE_SLACK < announced
}

/// Messages waiting while one is being committed: memory stays bounded by about three
/// messages (one receiving, one queued, one committing).
const QUEUE_LENGTH: usize = 1;

/// Index after this many messages or this long, whichever comes first: one index flush per
/// batch instead of per message (a per-message flush wrote ~20 KiB of index pages each).
const INDEX_BATCH: usize = 256;
const INDEX_EVERY: Duration = Duration::from_secs(1);

/// The committing thread and its two channels.
pub(super) struct Committer {
    queue: Option<SyncSender<Received>>,
    results: Receiver<Result<Committed, StoreError>>,
    thread: Option<JoinHandle<()>>,
}

impl Committer {
    /// Starts a committer with its own connection to `store`'s file (and the same size limit),
    /// storing into `inbox` of `account`.
    pub(super) fn start(
        store: &Store,
        account: AccountId,
        inbox: FolderId,
    ) -> Result<Self, StoreError> {
        let mut own_store = store.reopen()?;
        let (queue, incoming) = mpsc::sync_channel(QUEUE_LENGTH);
        let (report, results) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("satchel-commit".to_owned())
            .spawn(move || commit_all(&mut own_store, account, inbox, &incoming, &report))
            .map_err(|source| StoreError::Io {
                path: store.path().to_owned(),
                source,
            })?;
        Ok(Self {
            queue: Some(queue),
            results,
            thread: Some(thread),
        })
    }

    /// Hands a message over, waiting while the queue is full. `false` when the committer has
    /// stopped (its error is among the results).
    pub(super) fn send(&self, received: Received) -> bool {
        self.queue
            .as_ref()
            .is_some_and(|queue| queue.send(received).is_ok())
    }

    /// Results ready now, without waiting.
    pub(super) fn ready(&self) -> Vec<Result<Committed, StoreError>> {
        self.results.try_iter().collect()
    }

    /// Waits until every handed-over message is committed (or the committer failed) and
    /// returns the remaining results.
    pub(super) fn finish(&mut self) -> Vec<Result<Committed, StoreError>> {
        self.stop();
        self.results.try_iter().collect()
    }

    fn stop(&mut self) {
        self.queue = None;
        if let Some(thread) = self.thread.take() {
            // A panicked committer reports nothing, so nothing it held is deleted on the server.
            let _ = thread.join();
        }
    }
}

impl Drop for Committer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The committer thread: commit each message as it arrives, stop at the first failure.
fn commit_all(
    store: &mut Store,
    account: AccountId,
    inbox: FolderId,
    incoming: &Receiver<Received>,
    report: &mpsc::Sender<Result<Committed, StoreError>>,
) {
    let mut unindexed: Vec<IndexDoc> = Vec::new();
    let mut indexed_at = Instant::now();
    for received in incoming {
        match commit(store, account, inbox, received) {
            Ok((committed, doc)) => {
                unindexed.extend(doc);
                if unindexed.len() >= INDEX_BATCH || indexed_at.elapsed() >= INDEX_EVERY {
                    flush_index(store, &mut unindexed);
                    indexed_at = Instant::now();
                }
                if report.send(Ok(committed)).is_err() {
                    break;
                }
            }
            Err(err) => {
                let _ = report.send(Err(err));
                break;
            }
        }
    }
    flush_index(store, &mut unindexed);
}

/// Parses one message and commits it with its POP3 state in one transaction.
fn commit(
    store: &mut Store,
    account: AccountId,
    inbox: FolderId,
    received: Received,
) -> Result<(Committed, Option<IndexDoc>), StoreError> {
    let Received {
        number,
        expected,
        raw,
        stored_raw,
        raw_sha256,
    } = received;
    let parsed = message::parse(&raw, None);
    let new = NewMessage {
        raw: &raw,
        raw_sha256: &raw_sha256,
        parsed: &parsed,
        folder_id: inbox,
        account_id: Some(account),
        flags: Flags::default(),
        received_at: dates::now(),
        headers_only: expected.headers_only,
        stored_raw: Some(&stored_raw),
    };
    let state = if expected.headers_only {
        PopState::HeadersOnly
    } else if is_cut_short(&raw, expected.size) {
        PopState::Incomplete
    } else if expected.ambiguous {
        PopState::Ambiguous
    } else {
        PopState::OnServer
    };
    let (outcome, doc) =
        store.store_pop_message_as(account, &expected.uidl, expected.size, &new, state)?;
    let committed = Committed {
        number,
        expected,
        bytes: raw.len() as u64,
        outcome,
        state,
    };
    Ok((committed, doc))
}

/// Writes pending documents to the search index. A failure loses nothing: the messages are
/// stored, and the next open of the store indexes them.
fn flush_index(store: &mut Store, unindexed: &mut Vec<IndexDoc>) {
    if store.index_docs(unindexed).is_err() {
        tracing::warn!(
            count = unindexed.len(),
            "search index update deferred to the next start"
        );
    }
    unindexed.clear();
}

#[cfg(test)]
mod tests {
    use super::is_cut_short;

    #[test]
    fn a_body_is_cut_short_only_beyond_line_end_normalisation_and_slack() {
        let crlf = b"Subject: a\r\n\r\nline one\r\nline two\r\n";
        let size = crlf.len() as u64;
        assert!(!is_cut_short(crlf, size));
        assert!(
            !is_cut_short(crlf, size + 2),
            "a final line end counted twice"
        );
        assert!(
            !is_cut_short(crlf, size - 10),
            "longer than announced is not cut"
        );
        assert!(
            is_cut_short(&crlf[..20], size),
            "ended at an unstuffed dot line"
        );
        let lf = b"Subject: a\n\nline one\nline two\n";
        assert!(
            !is_cut_short(lf, lf.len() as u64 + 4),
            "LIST counted each bare LF as CRLF"
        );
        assert!(is_cut_short(lf, lf.len() as u64 + 4 + 5));
    }
}
