//! A thread that parses and commits downloaded messages while the connection keeps reading:
//! parsing, compressing and writing a large message no longer holds up the socket.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use super::fed_thread::FedThread;
use super::indexer::Indexer;
use super::sink::Expected;
use crate::dates;
use crate::message;
use crate::model::{AccountId, Flags, FolderId, PopState};
use crate::store::{
    DownloadGroup, IndexDoc, InsertOutcome, NewMessage, Store, StoreError, StoredRaw,
};

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

/// A message durably committed together with its UIDL (its whole group is on disk).
#[derive(Debug)]
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
    /// The group it was committed in, counted from 1 in this session.
    pub group: u64,
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

/// Page cache of the committer's connection: enough for the indexes it appends to, and a large
/// message's pages are written out instead of staying resident.
const COMMITTER_CACHE: u64 = 16 * 1024 * 1024;

/// Messages waiting while one is being committed: memory stays bounded by about three
/// messages (one receiving, one queued, one committing).
const QUEUE_LENGTH: usize = 1;

/// When a group of downloads is committed: once it holds `messages` messages or `bytes` bytes,
/// or `time` after its first message arrived, whichever comes first (and when the session has
/// handed over its last message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct GroupBounds {
    /// Most messages in one group.
    pub messages: usize,
    /// Bytes after which a group is committed.
    pub bytes: u64,
    /// Longest a received message waits for its group's commit.
    pub time: Duration,
}

impl GroupBounds {
    /// One fsync per group instead of one per message; a crash loses at most 100 ms of
    /// downloads, which the next sync fetches again.
    pub(super) const DEFAULT: Self = Self {
        messages: 512,
        bytes: 32 * 1024 * 1024,
        time: Duration::from_millis(100),
    };
}

/// The committing thread, the queue it takes messages from and the channel it reports on.
pub(super) struct Committer {
    thread: FedThread<Received>,
    results: Receiver<Result<Committed, StoreError>>,
}

impl Committer {
    /// Starts a committer with its own connection to `store`'s file (and the same size limit),
    /// storing into `inbox` of `account` in groups within `bounds`.
    pub(super) fn start(
        store: &Store,
        account: AccountId,
        inbox: FolderId,
        bounds: GroupBounds,
    ) -> Result<Self, StoreError> {
        let mut own_store = store.reopen()?;
        own_store.limit_cache(COMMITTER_CACHE)?;
        let (report, results) = mpsc::channel();
        let target = Target {
            account,
            inbox,
            bounds,
        };
        let thread = FedThread::spawn("satchel-commit", QUEUE_LENGTH, move |incoming| {
            commit_all(&mut own_store, target, &incoming, &report);
        })
        .map_err(|source| StoreError::Io {
            path: store.path().to_owned(),
            source,
        })?;
        Ok(Self { thread, results })
    }

    /// Hands a message over, waiting while the queue is full. `false` when the committer has
    /// stopped (its error is among the results).
    pub(super) fn send(&self, received: Received) -> bool {
        self.thread.send(received)
    }

    /// Results ready now, without waiting.
    pub(super) fn ready(&self) -> Vec<Result<Committed, StoreError>> {
        self.results.try_iter().collect()
    }

    /// Waits until every handed-over message is committed (or the committer failed) and
    /// returns the remaining results. A panicked committer reports nothing, so nothing it held
    /// is deleted on the server.
    pub(super) fn finish(&mut self) -> Vec<Result<Committed, StoreError>> {
        self.thread.close();
        self.results.try_iter().collect()
    }
}

/// The committer thread: commit what arrives in groups, report each message once its group is
/// durable, stop at the first failure.
fn commit_all(
    store: &mut Store,
    target: Target,
    incoming: &Receiver<Received>,
    report: &mpsc::Sender<Result<Committed, StoreError>>,
) {
    // Without an indexer the messages are still stored; the next open of the store indexes them.
    let indexer = Indexer::start(store)
        .inspect_err(
            |err| tracing::warn!(error = %err, "search index update deferred to the next start"),
        )
        .ok();
    let mut groups = 0;
    // Waiting for a group's first message has no deadline: the session bounds that.
    while let Ok(first) = incoming.recv() {
        groups += 1;
        let group = commit_group(store, target, groups, first, incoming);
        if let Some(indexer) = &indexer {
            indexer.add(group.docs);
        }
        let told = group
            .committed
            .into_iter()
            .all(|committed| report.send(Ok(committed)).is_ok());
        if let Some(err) = group.error {
            let _ = report.send(Err(err));
            break;
        }
        if !told || group.last {
            break;
        }
    }
    // The sync's checkpoint and the searches after it see every committed message indexed.
    if let Some(indexer) = indexer {
        indexer.finish();
    }
}

/// Where the committer stores and how it groups.
#[derive(Debug, Clone, Copy)]
struct Target {
    account: AccountId,
    inbox: FolderId,
    bounds: GroupBounds,
}

/// What one group came to.
struct GroupOutcome {
    /// Messages durably committed with their UIDLs, in arrival order.
    committed: Vec<Committed>,
    /// Index documents of the messages stored anew.
    docs: Vec<IndexDoc>,
    /// The failure that ended the group early, if one did.
    error: Option<StoreError>,
    /// The session handed over its last message.
    last: bool,
}

/// Commits `first` and what follows it within the group's bounds in one transaction. A
/// message that fails to store fails its whole group (a crash would lose it too); the next
/// sync downloads the group again.
fn commit_group(
    store: &mut Store,
    target: Target,
    number: u64,
    first: Received,
    incoming: &Receiver<Received>,
) -> GroupOutcome {
    let mut outcome = GroupOutcome {
        committed: Vec::new(),
        docs: Vec::new(),
        error: None,
        last: false,
    };
    let mut group = match store.begin_download_group(target.account) {
        Ok(group) => group,
        Err(err) => {
            outcome.error = Some(err);
            return outcome;
        }
    };
    let bounds = target.bounds;
    let closes_at = Instant::now() + bounds.time;
    let mut bytes = 0;
    let mut next = Some(first);
    while let Some(received) = next.take() {
        bytes += received.raw.len() as u64;
        match add(&mut group, target.inbox, number, received) {
            Ok((committed, doc)) => {
                outcome.committed.push(committed);
                outcome.docs.extend(doc);
            }
            Err(err) => {
                // The group is spoilt: dropping it rolls it back, and none of it is reported,
                // so none of it is deleted on the server. Earlier groups stay committed.
                outcome.committed.clear();
                outcome.docs.clear();
                outcome.error = Some(err);
                return outcome;
            }
        }
        if group.len() >= bounds.messages || bytes >= bounds.bytes {
            break;
        }
        let wait = closes_at.saturating_duration_since(Instant::now());
        match incoming.recv_timeout(wait) {
            Ok(received) => next = Some(received),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => outcome.last = true,
        }
    }
    if let Err(err) = group.commit() {
        // Nothing of the group is stored: none of it may be reported, let alone deleted.
        outcome.committed.clear();
        outcome.docs.clear();
        outcome.error = Some(err);
    }
    outcome
}

/// Parses one message and writes it with its POP3 state into the open group.
fn add(
    group: &mut DownloadGroup<'_>,
    inbox: FolderId,
    group_number: u64,
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
        account_id: Some(group.account()),
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
    let (outcome, doc) = group.add(&expected.uidl, expected.size, &new, state)?;
    let committed = Committed {
        number,
        expected,
        bytes: raw.len() as u64,
        outcome,
        state,
        group: group_number,
    };
    Ok((committed, doc))
}

#[cfg(test)]
mod tests;
