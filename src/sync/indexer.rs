//! A thread that adds committed downloads to the search index while the committer stores the
//! next group: parsing and storing on one core, full-text indexing on the other.

use std::sync::mpsc::Receiver;

use super::fed_thread::FedThread;
use crate::store::{IndexDoc, IndexWriter, Store, StoreError};

/// Groups of documents waiting while one is being indexed: memory stays bounded by about three
/// groups' text.
const QUEUE_LENGTH: usize = 2;

/// The indexing thread and the queue it reads.
pub(super) struct Indexer {
    thread: FedThread<Vec<IndexDoc>>,
}

impl Indexer {
    /// Starts an indexer with its own connection to the search index of `store`.
    ///
    /// # Errors
    /// When the index cannot be opened or the thread cannot start.
    pub(super) fn start(store: &Store) -> Result<Self, StoreError> {
        let mut writer = IndexWriter::open(store.path())?;
        let thread = FedThread::spawn("satchel-index", QUEUE_LENGTH, move |incoming| {
            index_all(&mut writer, &incoming);
        })
        .map_err(|source| StoreError::Io {
            path: store.path().to_owned(),
            source,
        })?;
        Ok(Self { thread })
    }

    /// Hands over the documents of a committed group, waiting while the queue is full. A
    /// stopped indexer has logged why; the next open of the store indexes the rest.
    pub(super) fn add(&self, docs: Vec<IndexDoc>) {
        if !docs.is_empty() {
            let _ = self.thread.send(docs);
        }
    }

    /// Waits until everything handed over is indexed (or deferred).
    pub(super) fn finish(mut self) {
        self.thread.close();
    }
}

/// The indexer thread: index each group as it comes, with whatever else is already waiting in
/// the same transaction. A failure loses nothing: the messages are stored, and the next open of
/// the store indexes them.
fn index_all(writer: &mut IndexWriter, incoming: &Receiver<Vec<IndexDoc>>) {
    while let Ok(mut docs) = incoming.recv() {
        while let Ok(more) = incoming.try_recv() {
            docs.extend(more);
        }
        if writer.insert(&docs).is_err() {
            tracing::warn!(
                count = docs.len(),
                "search index update deferred to the next start"
            );
        }
    }
}
