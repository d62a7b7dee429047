//! Messages: byte-exact raw bytes, summary columns, attachments and the text the index reads.

use rusqlite::{OptionalExtension, Transaction, params};
use sha2::{Digest, Sha256};

use super::Store;
use super::error::{Result, StoreError};
use super::index::{self, IndexDoc};
use super::raw::{self, StoredRaw};
use crate::message::ParsedMessage;
use crate::model::{AccountId, FlagChange, Flags, FolderId, FolderKind, MessageId};

/// A message ready to be stored.
#[derive(Debug, Clone, Copy)]
pub struct NewMessage<'a> {
    /// The exact bytes (after POP3 dot-unstuffing or mbox unquoting).
    pub raw: &'a [u8],
    /// SHA-256 of `raw`, see [`raw_sha256`].
    pub raw_sha256: &'a [u8; 32],
    /// What the parser made of it.
    pub parsed: &'a ParsedMessage,
    /// Destination folder.
    pub folder_id: FolderId,
    /// Account it was downloaded from, if any.
    pub account_id: Option<AccountId>,
    /// Initial flags.
    pub flags: Flags,
    /// When it arrived (Unix seconds); the date of last resort (see
    /// [`ParsedMessage::date_or_received`]).
    pub received_at: i64,
    /// Only the headers were fetched.
    pub headers_only: bool,
    /// `raw` already encoded for storage (an import's reader thread does this); `None` encodes here.
    pub stored_raw: Option<&'a StoredRaw>,
}

/// What happened to one message offered for storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertOutcome {
    /// Stored under this id.
    Stored(MessageId),
    /// Identical raw bytes were already stored under this id.
    Duplicate(MessageId),
}

/// Summary columns of a stored message, as list views and `satchel show` need them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageSummary {
    /// Row id.
    pub id: MessageId,
    /// Folder holding it.
    pub folder_id: FolderId,
    /// Account it came from, if any.
    pub account_id: Option<AccountId>,
    /// `Date` header (or arrival time), Unix seconds.
    pub date: i64,
    /// Sender display name.
    pub from_name: String,
    /// Sender address.
    pub from_addr: String,
    /// `To` recipients.
    pub to: String,
    /// `Cc` recipients.
    pub cc: String,
    /// Decoded subject (may be empty).
    pub subject: String,
    /// `Message-ID`.
    pub message_id: Option<String>,
    /// Raw size in bytes.
    pub size: u64,
    /// Carries a real attachment.
    pub has_attachments: bool,
    /// Short body preview.
    pub snippet: String,
    /// Read / flagged / answered.
    pub flags: Flags,
    /// Only the headers were fetched.
    pub headers_only: bool,
}

impl MessageSummary {
    /// Who sent it, as lists and `From` lines show it.
    #[must_use]
    pub fn sender(&self) -> crate::message::Sender<'_> {
        crate::message::Sender::new(&self.from_name, &self.from_addr)
    }
}

/// SHA-256 of raw message bytes: how identical messages are recognised.
#[must_use]
pub fn raw_sha256(raw: &[u8]) -> [u8; 32] {
    Sha256::digest(raw).into()
}

pub(super) const SUMMARY_COLUMNS: &str = "id, folder_id, account_id, date, from_name, from_addr, to_addrs, cc_addrs, subject, \
     message_id, size, has_attachments, snippet, seen, flagged, answered, headers_only";

pub(super) fn summary_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<MessageSummary> {
    Ok(MessageSummary {
        id: MessageId(row.get(0)?),
        folder_id: FolderId(row.get(1)?),
        account_id: row.get::<_, Option<i64>>(2)?.map(AccountId),
        date: row.get(3)?,
        from_name: row.get(4)?,
        from_addr: row.get(5)?,
        to: row.get(6)?,
        cc: row.get(7)?,
        subject: row.get(8)?,
        message_id: row.get(9)?,
        size: row.get(10)?,
        has_attachments: row.get(11)?,
        snippet: row.get(12)?,
        flags: Flags {
            seen: row.get(13)?,
            flagged: row.get(14)?,
            answered: row.get(15)?,
        },
        headers_only: row.get(16)?,
    })
}

/// Low bits of a sort key: room for 2^20 messages dated the same second.
const SORT_SEQUENCE_BITS: u32 = 20;
/// Latest date a sort key can hold (year ~141,000); later dates are clamped.
const MAX_SORT_DATE: i64 = (1 << 42) - 1;

/// The next free sort key for a message dated `date`: `(date << 20) | n`.
pub(super) fn next_sort_key(tx: &Transaction<'_>, date: i64) -> Result<i64> {
    let base = date.clamp(0, MAX_SORT_DATE) << SORT_SEQUENCE_BITS;
    let end = base + (1 << SORT_SEQUENCE_BITS);
    let highest: Option<i64> = tx
        .prepare_cached(
            "SELECT max(sort_key) FROM messages WHERE sort_key >= ?1 AND sort_key < ?2",
        )?
        .query_row(params![base, end], |row| row.get(0))?;
    Ok(match highest {
        None => base,
        Some(key) if key + 1 < end => key + 1,
        // A million messages in one second: still unique, merely out of date order.
        Some(_) => tx.query_row("SELECT max(sort_key) + 1 FROM messages", [], |row| {
            row.get(0)
        })?,
    })
}

/// Stores one message inside an open transaction (not yet indexed); the caller commits.
/// Returns its id and sort key.
///
/// # Errors
/// When SQLite fails (the caller's transaction then rolls back whole).
pub fn insert_in(tx: &Transaction<'_>, message: &NewMessage<'_>) -> Result<(MessageId, i64)> {
    let parsed = message.parsed;
    let date = parsed.date_or_received(message.received_at);
    let sort_key = next_sort_key(tx, date)?;
    let thread = super::conversations::thread_for(
        tx,
        parsed.message_id.as_deref(),
        parsed.in_reply_to.as_deref(),
        parsed.references.as_deref(),
    )?;
    tx.prepare_cached(
        "INSERT INTO messages (sort_key, folder_id, account_id, raw_sha256, date, received_at, from_name, from_addr, to_addrs,
             cc_addrs, subject, message_id, in_reply_to, refs, size, has_attachments, snippet, seen, flagged, answered,
             headers_only, thread_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
    )?
    .execute(params![
        sort_key,
        message.folder_id.0,
        message.account_id.map(|a| a.0),
        &message.raw_sha256[..],
        date,
        message.received_at,
        parsed.from_name,
        parsed.from_addr,
        parsed.to,
        parsed.cc,
        parsed.subject,
        parsed.message_id,
        parsed.in_reply_to,
        parsed.references,
        message.raw.len() as u64,
        parsed.has_attachments(),
        parsed.snippet,
        message.flags.seen,
        message.flags.flagged,
        message.flags.answered,
        message.headers_only,
        thread,
    ])?;
    let id = tx.last_insert_rowid();
    match message.stored_raw {
        Some(stored) => raw::insert(tx, id, message.raw, stored)?,
        None => raw::insert(tx, id, message.raw, &StoredRaw::encode(message.raw))?,
    }
    insert_attachments(tx, id, parsed)?;
    Ok((MessageId(id), sort_key))
}

/// Records a message's attachment list.
pub(super) fn insert_attachments(
    tx: &Transaction<'_>,
    id: i64,
    parsed: &ParsedMessage,
) -> Result<()> {
    let mut insert_attachment = tx.prepare_cached(
        "INSERT INTO attachments (message_id, position, name, mime_type, size) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (position, attachment) in parsed.attachments.iter().enumerate() {
        insert_attachment.execute(params![
            id,
            position,
            attachment.name,
            attachment.mime_type,
            attachment.size
        ])?;
    }
    Ok(())
}

/// The stored message with exactly these raw bytes, if any.
///
/// # Errors
/// When SQLite fails.
pub fn find_by_sha256_in(tx: &Transaction<'_>, raw_sha256: &[u8; 32]) -> Result<Option<MessageId>> {
    Ok(tx
        .prepare_cached("SELECT id FROM messages WHERE raw_sha256 = ?1 LIMIT 1")?
        .query_row([&raw_sha256[..]], |row| row.get(0).map(MessageId))
        .optional()?)
}

fn insert_batch(
    tx: &Transaction<'_>,
    batch: &[NewMessage<'_>],
) -> Result<(Vec<InsertOutcome>, Vec<IndexDoc>)> {
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut docs = Vec::with_capacity(batch.len());
    for message in batch {
        let outcome = if let Some(existing) = find_by_sha256_in(tx, message.raw_sha256)? {
            InsertOutcome::Duplicate(existing)
        } else {
            let (id, sort_key) = insert_in(tx, message)?;
            docs.push(IndexDoc::new(sort_key, message.parsed));
            InsertOutcome::Stored(id)
        };
        outcomes.push(outcome);
    }
    Ok((outcomes, docs))
}

impl Store {
    /// Stores and indexes a batch of messages in one durable transaction, skipping exact duplicates.
    ///
    /// # Errors
    /// When SQLite fails; then nothing of the batch is stored.
    pub fn insert_messages(&mut self, batch: &[NewMessage<'_>]) -> Result<Vec<InsertOutcome>> {
        let tx = super::begin_write(&mut self.conn, super::Writes::Everything)?;
        let (outcomes, docs) = insert_batch(&tx, batch)?;
        index::insert_docs(&tx, "idx", &docs)?;
        tx.commit()?;
        Ok(outcomes)
    }

    /// Stores a batch durably without indexing it; the caller hands the returned documents to an
    /// [`IndexWriter`](super::IndexWriter) (on another thread), or the next open indexes them.
    ///
    /// # Errors
    /// When SQLite fails; then nothing of the batch is stored.
    pub fn insert_messages_unindexed(
        &mut self,
        batch: &[NewMessage<'_>],
    ) -> Result<(Vec<InsertOutcome>, Vec<IndexDoc>)> {
        let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
        let stored = insert_batch(&tx, batch)?;
        tx.commit()?;
        Ok(stored)
    }

    /// Summary of one message.
    ///
    /// # Errors
    /// [`StoreError::NoSuchMessage`] when the id is unknown.
    pub fn message(&self, id: MessageId) -> Result<MessageSummary> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM messages WHERE id = ?1"
            ))?
            .query_row([id.0], summary_from_row)
            .optional()?
            .ok_or(StoreError::NoSuchMessage(id.0))
    }

    /// The exact raw bytes of one message.
    ///
    /// # Errors
    /// [`StoreError::NoSuchMessage`] when the id is unknown.
    pub fn raw_message(&self, id: MessageId) -> Result<Vec<u8>> {
        raw::read(&self.conn, id)
    }

    /// Ids of a folder's messages, newest first.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn folder_message_ids(&self, folder: FolderId) -> Result<Vec<MessageId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM messages WHERE folder_id = ?1 ORDER BY sort_key DESC",
        )?;
        let ids = stmt
            .query_map([folder.0], |row| row.get(0).map(MessageId))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Moves messages to a folder. Moving into Trash remembers where each came from; moving
    /// out of Trash forgets it.
    ///
    /// # Errors
    /// [`StoreError::NoSuchMessage`] for an unknown id; then nothing moves.
    pub fn move_messages(&mut self, ids: &[MessageId], to: FolderId) -> Result<()> {
        let to_trash = self.folder_kind(to)? == FolderKind::Trash;
        let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
        for id in ids {
            let changed = if to_trash {
                tx.prepare_cached(
                    "UPDATE messages SET trashed_from = CASE WHEN folder_id = ?1 THEN trashed_from ELSE folder_id END,
                         folder_id = ?1 WHERE id = ?2",
                )?
                .execute(params![to.0, id.0])?
            } else {
                tx.prepare_cached(
                    "UPDATE messages SET folder_id = ?1, trashed_from = NULL WHERE id = ?2",
                )?
                .execute(params![to.0, id.0])?
            };
            if changed == 0 {
                return Err(StoreError::NoSuchMessage(id.0));
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Applies one flag change to messages.
    ///
    /// # Errors
    /// [`StoreError::NoSuchMessage`] for an unknown id; then nothing changes.
    pub fn set_flag(&mut self, ids: &[MessageId], change: FlagChange) -> Result<()> {
        let sql = match change {
            FlagChange::Seen => "UPDATE messages SET seen = 1 WHERE id = ?1",
            FlagChange::Unseen => "UPDATE messages SET seen = 0 WHERE id = ?1",
            FlagChange::Flagged => "UPDATE messages SET flagged = 1 WHERE id = ?1",
            FlagChange::Unflagged => "UPDATE messages SET flagged = 0 WHERE id = ?1",
        };
        let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
        for id in ids {
            if tx.prepare_cached(sql)?.execute([id.0])? == 0 {
                return Err(StoreError::NoSuchMessage(id.0));
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Marks every unread message in `folder` read; returns how many changed.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn mark_folder_read(&mut self, folder: FolderId) -> Result<usize> {
        let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
        let changed = tx.execute(
            "UPDATE messages SET seen = 1 WHERE folder_id = ?1 AND seen = 0",
            [folder.0],
        )?;
        tx.commit()?;
        Ok(changed)
    }

    /// Moves messages back from Trash to the folder they were deleted from (or their account's
    /// Inbox, or a `Restored` folder when that folder is gone).
    ///
    /// # Errors
    /// [`StoreError::NoSuchMessage`] for an unknown id.
    pub fn restore_messages(&mut self, ids: &[MessageId]) -> Result<()> {
        for id in ids {
            let (origin, account): (Option<i64>, Option<i64>) = self
                .conn
                .query_row(
                    "SELECT trashed_from, account_id FROM messages WHERE id = ?1",
                    [id.0],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?
                .ok_or(StoreError::NoSuchMessage(id.0))?;
            let destination = match (origin, account) {
                (Some(folder), _) => FolderId(folder),
                (None, Some(account)) => self.inbox_of(AccountId(account))?,
                (None, None) => self.ensure_folder("Restored")?,
            };
            self.move_messages(&[*id], destination)?;
        }
        Ok(())
    }

    /// Deletes messages for good (raw bytes, attachments, index entries). POP3 state rows stay,
    /// unlinked, so the sync engine knows the message was removed locally.
    ///
    /// # Errors
    /// When SQLite fails; then nothing is deleted.
    pub fn delete_permanently(&mut self, ids: &[MessageId]) -> Result<usize> {
        let tx = super::begin_write(&mut self.conn, super::Writes::Everything)?;
        let mut deleted = 0;
        for id in ids {
            let sort_key: Option<i64> = tx
                .prepare_cached("SELECT sort_key FROM messages WHERE id = ?1")?
                .query_row([id.0], |row| row.get(0))
                .optional()?;
            if let Some(sort_key) = sort_key {
                index::remove_doc(&tx, "idx", sort_key)?;
            }
            deleted += tx
                .prepare_cached("DELETE FROM messages WHERE id = ?1")?
                .execute([id.0])?;
        }
        tx.commit()?;
        Ok(deleted)
    }

    /// Deletes everything in Trash for good; returns how many messages went.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn empty_trash(&mut self) -> Result<usize> {
        let trash = self.trash_folder()?;
        let ids = self.folder_message_ids(trash)?;
        self.delete_permanently(&ids)
    }

    /// Number of stored messages.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn message_count(&self) -> Result<u64> {
        Ok(self
            .conn
            // Kept by triggers (migration 03): a few rows, not a million.
            .query_row(
                "SELECT ifnull(sum(messages), 0) FROM folder_counts",
                [],
                |row| row.get(0),
            )?)
    }

    fn folder_kind(&self, folder: FolderId) -> Result<FolderKind> {
        let kind: String = self
            .conn
            .query_row(
                "SELECT kind FROM folders WHERE id = ?1",
                [folder.0],
                |row| row.get(0),
            )
            .optional()?
            .ok_or_else(|| StoreError::NoSuchFolder(folder.to_string()))?;
        Ok(FolderKind::from_db(&kind).unwrap_or(FolderKind::User))
    }
}
