//! Downloaded messages committed in groups: each message is written with its POP3 state row as
//! it arrives, and the whole group becomes durable at one commit. Durability then costs one
//! fsync per group instead of one per message; a crash loses at most the uncommitted group,
//! whose messages are still on the server (nothing in it was reported committed, so nothing in
//! it was deleted) and are downloaded again by the next sync.

use rusqlite::{Transaction, params};

use super::error::Result;
use super::index::IndexDoc;
use super::messages::{InsertOutcome, NewMessage, find_by_sha256_in, insert_in};
use super::{Store, Writes, begin_write};
use crate::dates;
use crate::model::{AccountId, PopState};

/// An open group of downloads for one account. Nothing in it is durable, or visible to other
/// connections, until [`DownloadGroup::commit`] returns; dropping it rolls the whole group back.
pub struct DownloadGroup<'a> {
    tx: Transaction<'a>,
    account: AccountId,
    messages: usize,
}

impl Store {
    /// Begins a group of downloads for `account`, holding the store's write lock (not the
    /// search index's) until it is committed or dropped.
    ///
    /// # Errors
    /// When SQLite fails, or another writer holds the lock past the busy timeout.
    pub fn begin_download_group(&mut self, account: AccountId) -> Result<DownloadGroup<'_>> {
        Ok(DownloadGroup {
            tx: begin_write(&mut self.conn, Writes::StoreOnly)?,
            account,
            messages: 0,
        })
    }
}

impl DownloadGroup<'_> {
    /// Writes one downloaded message and its POP3 state (`state` for the UIDL) into the group.
    /// Identical bytes already stored (another account, a re-download, or earlier in this group)
    /// are linked, not stored twice. Returns the outcome and, for a message stored anew, its
    /// search-index document, for the index once the group is committed (the sync hands it to
    /// an [`IndexWriter`](crate::store::IndexWriter) on its own thread).
    ///
    /// # Errors
    /// When SQLite fails (a full disk included). The group is then spoilt (SQLite may already
    /// have rolled it back): drop it, and nothing in it is stored.
    pub fn add(
        &mut self,
        uidl: &str,
        server_size: u64,
        message: &NewMessage<'_>,
        state: PopState,
    ) -> Result<(InsertOutcome, Option<IndexDoc>)> {
        let stored = self.write(uidl, server_size, message, state)?;
        self.messages += 1;
        Ok(stored)
    }

    /// The account whose downloads these are.
    #[must_use]
    pub fn account(&self) -> AccountId {
        self.account
    }

    /// Messages added to the group so far.
    #[must_use]
    pub fn len(&self) -> usize {
        self.messages
    }

    /// True while nothing has been added.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.messages == 0
    }

    /// Commits the group with `synchronous=FULL`: when this returns, every message added is on
    /// disk with its UIDL, and only then may any of them be deleted on the server.
    ///
    /// # Errors
    /// When SQLite fails; then nothing of the group is stored.
    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }

    fn write(
        &self,
        uidl: &str,
        server_size: u64,
        message: &NewMessage<'_>,
        state: PopState,
    ) -> Result<(InsertOutcome, Option<IndexDoc>)> {
        let tx = &self.tx;
        let (outcome, doc) = if let Some(existing) = find_by_sha256_in(tx, message.raw_sha256)? {
            (InsertOutcome::Duplicate(existing), None)
        } else {
            let (id, sort_key) = insert_in(tx, message)?;
            if message.headers_only {
                // The size the server announced, not the header block's: `larger:10M` must find
                // the message. The full download replaces it with the real size.
                tx.prepare_cached("UPDATE messages SET size = ?2 WHERE id = ?1")?
                    .execute(params![id.0, server_size])?;
            }
            (
                InsertOutcome::Stored(id),
                Some(IndexDoc::new(sort_key, message.parsed)),
            )
        };
        let (InsertOutcome::Stored(id) | InsertOutcome::Duplicate(id)) = outcome;
        tx.prepare_cached(
            "INSERT INTO pop_state (account_id, uidl, size, first_seen, downloaded_at, state, message_id)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)
             ON CONFLICT (account_id, uidl) DO UPDATE SET
                 size = excluded.size, downloaded_at = excluded.downloaded_at,
                 state = excluded.state, message_id = excluded.message_id",
        )?
        .execute(params![
            self.account.0,
            uidl,
            server_size,
            dates::now(),
            state.as_str(),
            id.0
        ])?;
        Ok((outcome, doc))
    }
}
