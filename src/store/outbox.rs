//! Messages written here: drafts as they are typed, the Outbox queue, and the move to Sent.
//!
//! A queued message is one durable transaction: its row in `messages` (in the Outbox folder) and
//! its row in `outgoing` (envelope and state). `outgoing.state` moves `queued → sending →
//! (sent | queued | failed | uncertain)`; see migration 06 for what each state promises.

use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::Store;
use super::error::{Result, StoreError};
use super::index::{self, IndexDoc};
use super::messages::{self, NewMessage};
use crate::dates;
use crate::model::{AccountId, Flags, FolderKind, MessageId, OutgoingState};

/// Who a queued message goes to, as the SMTP envelope names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    /// `MAIL FROM` address.
    pub from: String,
    /// `RCPT TO` addresses: To, Cc and Bcc together.
    pub recipients: Vec<String>,
}

/// A message in the Outbox and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// The stored message.
    pub message_id: MessageId,
    /// The account that sends it.
    pub account_id: AccountId,
    /// Sender and recipients.
    pub envelope: Envelope,
    /// Where it stands.
    pub state: OutgoingState,
    /// Sessions that tried to send it.
    pub attempts: u32,
    /// Why the last attempt did not send it.
    pub last_error: Option<String>,
    /// When it was queued (Unix seconds).
    pub queued_at: i64,
    /// Its subject, for lists.
    pub subject: String,
}

const OUTGOING_COLUMNS: &str = "o.message_id, o.account_id, o.envelope_from, o.recipients, o.state, o.attempts, \
     o.last_error, o.queued_at, m.subject";

fn outgoing_from_row(row: &Row<'_>) -> rusqlite::Result<Outgoing> {
    let state: String = row.get(4)?;
    let recipients: String = row.get(3)?;
    Ok(Outgoing {
        message_id: MessageId(row.get(0)?),
        account_id: AccountId(row.get(1)?),
        envelope: Envelope {
            from: row.get(2)?,
            recipients: recipients
                .lines()
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect(),
        },
        state: OutgoingState::from_storage(&state).map_err(|err| {
            rusqlite::Error::FromSqlConversionFailure(4, rusqlite::types::Type::Text, err.into())
        })?,
        attempts: row.get(5)?,
        last_error: row.get(6)?,
        queued_at: row.get(7)?,
        subject: row.get(8)?,
    })
}

/// Stores `raw` in `folder` inside `tx` and indexes it; returns its id.
fn insert_local(
    tx: &Transaction<'_>,
    raw: &[u8],
    folder: crate::model::FolderId,
    account: Option<AccountId>,
) -> Result<MessageId> {
    let parsed = crate::message::parse(raw, None);
    let sha = messages::raw_sha256(raw);
    let now = dates::now();
    let message = NewMessage {
        raw,
        raw_sha256: &sha,
        parsed: &parsed,
        folder_id: folder,
        account_id: account,
        flags: Flags {
            seen: true,
            ..Flags::default()
        },
        received_at: now,
        headers_only: false,
        stored_raw: None,
    };
    let (id, sort_key) = messages::insert_in(tx, &message)?;
    index::insert_docs(tx, "idx", &[IndexDoc::new(sort_key, &parsed)])?;
    Ok(id)
}

/// Deletes one message for good inside `tx` (raw bytes, attachments, index entry).
fn delete_in(tx: &Transaction<'_>, id: MessageId) -> Result<()> {
    let sort_key: Option<i64> = tx
        .prepare_cached("SELECT sort_key FROM messages WHERE id = ?1")?
        .query_row([id.0], |row| row.get(0))
        .optional()?;
    if let Some(sort_key) = sort_key {
        index::remove_doc(tx, "idx", sort_key)?;
        tx.prepare_cached("DELETE FROM messages WHERE id = ?1")?
            .execute([id.0])?;
    }
    Ok(())
}

impl Store {
    /// Puts a message in the Outbox for `account` to send, durably, before returning its id.
    /// A draft it was written from (`from_draft`) is removed in the same transaction.
    ///
    /// # Errors
    /// When SQLite fails; then nothing changed.
    pub fn queue_message(
        &mut self,
        account: AccountId,
        raw: &[u8],
        envelope: &Envelope,
        from_draft: Option<MessageId>,
    ) -> Result<MessageId> {
        let outbox = self.ensure_role_folder(FolderKind::Outbox)?;
        let tx = super::begin_write(&mut self.conn, super::Writes::Everything)?;
        let id = insert_local(&tx, raw, outbox, Some(account))?;
        let now = dates::now();
        tx.execute(
            "INSERT INTO outgoing (message_id, account_id, envelope_from, recipients, state, queued_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, 'queued', ?5, ?5)",
            params![
                id.0,
                account.0,
                envelope.from,
                envelope.recipients.join("\n"),
                now
            ],
        )?;
        if let Some(draft) = from_draft {
            delete_in(&tx, draft)?;
        }
        tx.commit()?;
        Ok(id)
    }

    /// Saves a draft in the Drafts folder, replacing the earlier save of the same draft; returns
    /// the new id. The old copy goes only in the transaction that commits the new one.
    ///
    /// # Errors
    /// When SQLite fails; then the earlier save is still there.
    pub fn save_draft(
        &mut self,
        account: Option<AccountId>,
        raw: &[u8],
        replacing: Option<MessageId>,
    ) -> Result<MessageId> {
        let drafts = self.ensure_role_folder(FolderKind::Drafts)?;
        let tx = super::begin_write(&mut self.conn, super::Writes::Everything)?;
        if let Some(old) = replacing {
            delete_in(&tx, old)?;
        }
        let id = insert_local(&tx, raw, drafts, account)?;
        tx.commit()?;
        Ok(id)
    }

    /// Removes a draft (sent, or thrown away); returns whether one was there.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn discard_draft(&mut self, draft: MessageId) -> Result<bool> {
        let tx = super::begin_write(&mut self.conn, super::Writes::Everything)?;
        let in_drafts: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM messages m JOIN folder_roles r ON r.folder_id = m.folder_id
                 WHERE m.id = ?1 AND r.role = 'drafts')",
            [draft.0],
            |row| row.get(0),
        )?;
        if in_drafts {
            delete_in(&tx, draft)?;
        }
        tx.commit()?;
        Ok(in_drafts)
    }

    /// Messages in the Outbox, oldest first; only `account`'s when given. A message the user
    /// moved out of the Outbox is no longer listed (nor sent).
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn outgoing(&self, account: Option<AccountId>) -> Result<Vec<Outgoing>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {OUTGOING_COLUMNS} FROM outgoing o JOIN messages m ON m.id = o.message_id
                 JOIN folder_roles r ON r.folder_id = m.folder_id AND r.role = 'outbox'
             WHERE ?1 IS NULL OR o.account_id = ?1
             ORDER BY o.queued_at, o.message_id"
        ))?;
        let rows = stmt
            .query_map([account.map(|a| a.0)], outgoing_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// One message of the Outbox.
    ///
    /// # Errors
    /// [`StoreError::NoSuchMessage`] when it is not in the Outbox.
    pub fn outgoing_message(&self, id: MessageId) -> Result<Outgoing> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {OUTGOING_COLUMNS} FROM outgoing o JOIN messages m ON m.id = o.message_id
                 WHERE o.message_id = ?1"
            ))?
            .query_row([id.0], outgoing_from_row)
            .optional()?
            .ok_or(StoreError::NoSuchMessage(id.0))
    }

    /// Records where an outgoing message stands, durably (`synchronous=FULL`) before the
    /// caller goes on: the `uncertain` mark must be on disk before the final dot is written.
    /// `attempt` counts one more session.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn set_outgoing_state(
        &mut self,
        id: MessageId,
        state: OutgoingState,
        error: Option<&str>,
        attempt: bool,
    ) -> Result<()> {
        let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
        tx.execute(
            "UPDATE outgoing SET state = ?2, last_error = ?3, attempts = attempts + ?4, updated_at = ?5
             WHERE message_id = ?1",
            params![
                id.0,
                state.as_storage(),
                error,
                i64::from(attempt),
                dates::now()
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Moves `sending` rows back to `queued`: run by the one sender holding the Outbox lock, so a
    /// row still `sending` was left by a process that stopped before its final dot.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn requeue_interrupted(&mut self) -> Result<usize> {
        let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
        let n = tx.execute(
            "UPDATE outgoing SET state = 'queued', last_error = 'Interrupted before the server had it; sent again.'
             WHERE state = 'sending'",
            [],
        )?;
        tx.commit()?;
        Ok(n)
    }

    /// The server accepted the message: it leaves the queue and moves to Sent (read), and the
    /// messages it answers are marked answered.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn mark_sent(&mut self, id: MessageId) -> Result<()> {
        let sent = self.ensure_role_folder(FolderKind::Sent)?;
        let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
        tx.execute("DELETE FROM outgoing WHERE message_id = ?1", [id.0])?;
        tx.execute(
            "UPDATE messages SET folder_id = ?2, seen = 1 WHERE id = ?1",
            params![id.0, sent.0],
        )?;
        tx.execute(
            "UPDATE messages SET answered = 1
             WHERE message_id = (SELECT in_reply_to FROM messages WHERE id = ?1) AND id <> ?1",
            [id.0],
        )?;
        tx.commit()?;
        Ok(())
    }
}
