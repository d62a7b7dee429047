//! Bringing the search index back in step with the store after a crash, an interrupted import,
//! or a rebuilt index file.

use super::Store;
use super::error::Result;
use super::index::{self, IndexDoc};
use super::raw;
use crate::message;
use crate::model::MessageId;

/// Messages re-indexed per transaction.
const REINDEX_BATCH: usize = 500;

impl Store {
    /// Number of stored messages and of indexed messages.
    pub(super) fn index_counts(&self) -> Result<(u64, u64)> {
        let messages = self
            .conn
            .query_row("SELECT count(*) FROM messages", [], |row| row.get(0))?;
        let indexed = self
            .conn
            // FTS5's docsize table has one small row per indexed message (written and removed
            // with `indexed_text`); counting it reads ~1 MB at 100k messages, not the 100+ MB
            // of `indexed_text` rows, which matters on every open.
            .query_row("SELECT count(*) FROM idx.message_fts_docsize", [], |row| {
                row.get(0)
            })?;
        Ok((messages, indexed))
    }

    /// Number of stored messages and of indexed messages as the two files keep them (a few rows
    /// each, kept by every write): what every open compares.
    fn kept_counts(&self) -> Result<(u64, u64)> {
        let messages = self.message_count()?;
        let indexed = self
            .conn
            .query_row("SELECT n FROM idx.indexed_count", [], |row| row.get(0))?;
        Ok((messages, indexed))
    }

    /// Indexes stored messages the index lacks and drops index entries of messages that are gone.
    /// Cheap when nothing is missing (two counts kept beside the data). Returns how many messages
    /// were indexed.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn catch_up_index(&mut self) -> Result<usize> {
        let (messages, indexed) = self.kept_counts()?;
        if messages == indexed {
            return Ok(0);
        }
        let tx = super::begin_write(&mut self.conn, super::Writes::Everything)?;
        let stale: Vec<i64> = tx
            .prepare("SELECT sort_key FROM idx.indexed_text WHERE sort_key NOT IN (SELECT sort_key FROM messages)")?
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for sort_key in stale {
            index::remove_doc(&tx, "idx", sort_key)?;
        }
        tx.commit()?;
        let missing: Vec<(i64, i64)> = self
            .conn
            .prepare("SELECT id, sort_key FROM messages WHERE sort_key NOT IN (SELECT sort_key FROM idx.indexed_text)")?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for chunk in missing.chunks(REINDEX_BATCH) {
            let tx = super::begin_write(&mut self.conn, super::Writes::Everything)?;
            let mut docs = Vec::with_capacity(chunk.len());
            for &(id, sort_key) in chunk {
                let raw = raw::read(&tx, MessageId(id))?;
                docs.push(IndexDoc::new(sort_key, &message::parse(&raw, None)));
            }
            index::insert_docs(&tx, "idx", &docs)?;
            tx.commit()?;
        }
        // What the comparison found is now the truth, whatever the kept count said.
        index::recount(&self.conn, "idx")?;
        if !missing.is_empty() {
            tracing::info!(count = missing.len(), "search index caught up");
        }
        Ok(missing.len())
    }
}
