//! Per-account POP3 state: which UIDLs we hold, since when, and whether the server still has them.
//!
//! A downloaded message is committed together with its state row in one transaction, so a crash
//! leaves either both or neither: never a message the next sync would fetch twice, never a UIDL
//! marked as downloaded without its message.

use rusqlite::{OptionalExtension, params};

use super::Store;
use super::error::Result;
use super::index;
use super::messages::{InsertOutcome, NewMessage};
use crate::dates;
use crate::model::{AccountId, MessageId, PopState};

/// One row of POP3 state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PopRecord {
    /// The server's unique id.
    pub uidl: String,
    /// Size the server reported.
    pub size: u64,
    /// Where the message stands.
    pub state: PopState,
    /// When it was downloaded (Unix seconds).
    pub downloaded_at: Option<i64>,
    /// The local message, while it exists (cleared when deleted for good).
    pub message_id: Option<MessageId>,
}

/// How an account's messages on the server map to messages in the store: identical copies on
/// the server are stored once, so the store can hold fewer than the server lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerCopies {
    /// Messages the server listed at the last sync that Satchel holds.
    pub on_server: u64,
    /// Distinct messages in the store they amount to.
    pub stored: u64,
}

impl ServerCopies {
    /// Server messages that are identical copies of another (stored once).
    #[must_use]
    pub fn identical_copies(self) -> u64 {
        self.on_server.saturating_sub(self.stored)
    }
}

impl Store {
    /// Every POP3 state row of an account.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn pop_records(&self, account: AccountId) -> Result<Vec<PopRecord>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {POP_COLUMNS} FROM pop_state WHERE account_id = ?1"
        ))?;
        let records = stmt
            .query_map([account.0], pop_record_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(records)
    }

    /// How many of the account's server messages are stored, and as how many distinct messages.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn server_copies(&self, account: AccountId) -> Result<ServerCopies> {
        let (on_server, stored): (i64, i64) = self.conn.query_row(
            "SELECT COUNT(*), COUNT(DISTINCT message_id) FROM pop_state
             WHERE account_id = ?1 AND state <> 'removed_from_server'
               AND message_id IS NOT NULL",
            [account.0],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok(ServerCopies {
            on_server: u64::try_from(on_server).unwrap_or(0),
            stored: u64::try_from(stored).unwrap_or(0),
        })
    }

    /// Stores a downloaded message and its POP3 state in one durable transaction, and indexes it.
    /// Identical bytes already stored (another account, a re-download) are linked, not duplicated.
    ///
    /// # Errors
    /// When SQLite fails (a full disk included); then neither the message nor its state is stored.
    pub fn store_pop_message(
        &mut self,
        account: AccountId,
        uidl: &str,
        server_size: u64,
        message: &NewMessage<'_>,
    ) -> Result<InsertOutcome> {
        let (outcome, doc) =
            self.store_pop_message_unindexed(account, uidl, server_size, message)?;
        if let Some(doc) = doc {
            self.index_docs(&[doc])?;
        }
        Ok(outcome)
    }

    /// [`Store::store_pop_message`] without the search index: the message and its state are
    /// committed; the returned document goes to [`Store::index_docs`] with others later (one
    /// index flush per batch instead of per message), or the next open indexes it.
    ///
    /// # Errors
    /// As [`Store::store_pop_message`].
    pub fn store_pop_message_unindexed(
        &mut self,
        account: AccountId,
        uidl: &str,
        server_size: u64,
        message: &NewMessage<'_>,
    ) -> Result<(InsertOutcome, Option<index::IndexDoc>)> {
        let state = if message.headers_only {
            PopState::HeadersOnly
        } else {
            PopState::OnServer
        };
        self.store_pop_message_as(account, uidl, server_size, message, state)
    }

    /// [`Store::store_pop_message_unindexed`] recording `state` for the UIDL (for a download
    /// that is in doubt: shorter than announced, or under a UIDL the server listed twice).
    ///
    /// # Errors
    /// As [`Store::store_pop_message`].
    pub fn store_pop_message_as(
        &mut self,
        account: AccountId,
        uidl: &str,
        server_size: u64,
        message: &NewMessage<'_>,
        state: PopState,
    ) -> Result<(InsertOutcome, Option<index::IndexDoc>)> {
        let mut group = self.begin_download_group(account)?;
        let stored = group.add(uidl, server_size, message, state)?;
        group.commit()?;
        Ok(stored)
    }

    /// Adds documents to the search index in one transaction.
    ///
    /// # Errors
    /// When SQLite fails; the messages stay stored and the next open indexes them.
    pub fn index_docs(&mut self, docs: &[index::IndexDoc]) -> Result<()> {
        if docs.is_empty() {
            return Ok(());
        }
        let tx = super::begin_write(&mut self.conn, super::Writes::Everything)?;
        index::insert_docs(&tx, "idx", docs)?;
        tx.commit()?;
        Ok(())
    }

    /// Records that the server no longer holds these UIDLs (after a successful `QUIT`, or when
    /// a listing no longer shows them).
    ///
    /// # Errors
    /// When SQLite fails; then nothing changes.
    pub fn mark_removed_from_server(&mut self, account: AccountId, uidls: &[String]) -> Result<()> {
        let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
        for uidl in uidls {
            tx.prepare_cached(
                "UPDATE pop_state SET state = 'removed_from_server' WHERE account_id = ?1 AND uidl = ?2",
            )?
            .execute(params![account.0, uidl])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Stored messages of `account` with this Message-ID (at most `limit`, newest first): the
    /// candidates when recognising messages after a server changed its UIDLs.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn account_messages_with_message_id(
        &self,
        account: AccountId,
        message_id: &str,
        limit: usize,
    ) -> Result<Vec<MessageId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM messages WHERE message_id = ?1 AND account_id = ?2 AND headers_only = 0
             ORDER BY sort_key DESC LIMIT ?3",
        )?;
        let ids = stmt
            .query_map(
                params![
                    message_id,
                    account.0,
                    i64::try_from(limit).unwrap_or(i64::MAX)
                ],
                |row| row.get(0).map(MessageId),
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Records that UIDLs we had as removed are listed by the server again.
    ///
    /// # Errors
    /// When SQLite fails; then nothing changes.
    pub fn mark_back_on_server(&mut self, account: AccountId, uidls: &[String]) -> Result<()> {
        let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
        for uidl in uidls {
            tx.prepare_cached(
                "UPDATE pop_state SET state = 'on_server'
                 WHERE account_id = ?1 AND uidl = ?2 AND state = 'removed_from_server'",
            )?
            .execute(params![account.0, uidl])?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The POP3 state of the UIDL a stored message came under, if it came over POP3 (the most
    /// doubtful one when several UIDLs point at it).
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn pop_state_of_message(&self, message: MessageId) -> Result<Option<PopState>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT state FROM pop_state WHERE message_id = ?1")?;
        let states: Vec<String> = stmt
            .query_map([message.0], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let states: Vec<PopState> = states.iter().filter_map(|s| PopState::from_db(s)).collect();
        Ok([PopState::Incomplete, PopState::HeadersOnly]
            .into_iter()
            .find(|doubt| states.contains(doubt))
            .or_else(|| states.first().copied()))
    }

    /// Records that a server UIDL is a message we already hold (no download).
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn link_pop_uidl(
        &mut self,
        account: AccountId,
        uidl: &str,
        server_size: u64,
        message: MessageId,
        state: PopState,
    ) -> Result<()> {
        let now = dates::now();
        self.conn
            .prepare_cached(
                "INSERT INTO pop_state (account_id, uidl, size, first_seen, downloaded_at, state, message_id)
                 VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)
                 ON CONFLICT (account_id, uidl) DO UPDATE SET state = excluded.state, message_id = excluded.message_id",
            )?
            .execute(params![account.0, uidl, server_size, now, state.as_str(), message.0])?;
        Ok(())
    }

    /// The POP3 state of one UIDL, if known.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn pop_record(&self, account: AccountId, uidl: &str) -> Result<Option<PopRecord>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {POP_COLUMNS} FROM pop_state WHERE account_id = ?1 AND uidl = ?2"
            ))?
            .query_row(params![account.0, uidl], pop_record_from_row)
            .optional()?)
    }
}

const POP_COLUMNS: &str = "uidl, size, state, downloaded_at, message_id";

fn pop_record_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<PopRecord> {
    let state: String = row.get(2)?;
    Ok(PopRecord {
        uidl: row.get(0)?,
        size: row.get(1)?,
        // A state this build does not know is doubt: never deletable, fetched again.
        state: PopState::from_db(&state).unwrap_or(PopState::Ambiguous),
        downloaded_at: row.get(3)?,
        message_id: row.get::<_, Option<i64>>(4)?.map(MessageId),
    })
}

impl Store {
    /// The account and UIDL a downloaded message came from.
    ///
    /// # Errors
    /// [`StoreError::NoSuchMessage`](super::StoreError::NoSuchMessage) when the message has no POP3 origin.
    pub fn pop_origin(&self, message: MessageId) -> Result<(AccountId, String)> {
        self.conn
            .prepare_cached("SELECT account_id, uidl FROM pop_state WHERE message_id = ?1 LIMIT 1")?
            .query_row([message.0], |row| Ok((AccountId(row.get(0)?), row.get(1)?)))
            .optional()?
            .ok_or(super::StoreError::NoSuchMessage(message.0))
    }

    /// Replaces a headers-only message with its full download: raw bytes, summary, attachments
    /// and index entry change; id, folder, flags and date order stay. One transaction.
    ///
    /// # Errors
    /// When SQLite fails; then the headers-only version stays as it was.
    pub fn complete_headers_only(
        &mut self,
        message: MessageId,
        raw: &[u8],
        parsed: &crate::message::ParsedMessage,
    ) -> Result<()> {
        let tx = super::begin_write(&mut self.conn, super::Writes::Everything)?;
        let sort_key: i64 = tx
            .query_row(
                "SELECT sort_key FROM messages WHERE id = ?1",
                [message.0],
                |row| row.get(0),
            )
            .optional()?
            .ok_or(super::StoreError::NoSuchMessage(message.0))?;
        tx.execute(
            "UPDATE messages SET raw_sha256 = ?2, size = ?3, has_attachments = ?4, snippet = ?5, headers_only = 0,
                 to_addrs = ?6, cc_addrs = ?7 WHERE id = ?1",
            params![
                message.0,
                &super::raw_sha256(raw)[..],
                raw.len() as u64,
                parsed.has_attachments(),
                parsed.snippet,
                parsed.to,
                parsed.cc
            ],
        )?;
        tx.execute("DELETE FROM message_raw WHERE message_id = ?1", [message.0])?;
        super::raw::insert(&tx, message.0, raw, &super::StoredRaw::encode(raw))?;
        tx.execute("DELETE FROM attachments WHERE message_id = ?1", [message.0])?;
        super::messages::insert_attachments(&tx, message.0, parsed)?;
        index::remove_doc(&tx, "idx", sort_key)?;
        index::insert_docs(&tx, "idx", &[index::IndexDoc::new(sort_key, parsed)])?;
        tx.execute(
            "UPDATE pop_state SET state = 'on_server', downloaded_at = ?2 WHERE message_id = ?1",
            params![message.0, dates::now()],
        )?;
        tx.commit()?;
        Ok(())
    }
}
