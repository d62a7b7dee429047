//! Re-dating messages stored under their download time (queued by migration 05): each is
//! parsed again, and one whose Received headers tell a better date moves under it, with its
//! search-index document (the document's rowid is the message's sort key).
//!
//! The message row and the index document live in two files, whose commits are not one. So a
//! move is done in two steps: one transaction moves the row and the document and records
//! `moved_from`; a second removes the queue entry. After a crash between them, the entry still
//! says where the document was, and moving it again is harmless.

use rusqlite::{Transaction, params};

use super::error::Result;
use super::index::{self, IndexDoc};
use super::messages::next_sort_key;
use super::{Store, Writes, begin_write, raw};
use crate::message::{self, ParsedMessage};
use crate::model::MessageId;

/// Messages re-dated per transaction.
const REPAIR_BATCH: i64 = 200;

/// One queued message as the queue and its row describe it.
struct Candidate {
    id: i64,
    sort_key: i64,
    date: i64,
    received_at: i64,
    moved_from: Option<i64>,
}

impl Store {
    /// Drains the date-repair queue; returns how many messages moved. Cheap when the queue is
    /// empty (one indexed read).
    ///
    /// # Errors
    /// When SQLite fails; what was committed stays, the rest is done at the next open.
    pub(super) fn repair_dates(&mut self) -> Result<usize> {
        let mut moved = 0;
        // Read first: an open must not wait for another process's write lock for nothing.
        let pending: bool =
            self.conn
                .query_row("SELECT EXISTS (SELECT 1 FROM date_repairs)", [], |row| {
                    row.get(0)
                })?;
        if !pending {
            return Ok(0);
        }
        loop {
            let tx = begin_write(&mut self.conn, Writes::Everything)?;
            let batch = queued(&tx)?;
            if batch.is_empty() {
                return Ok(moved);
            }
            for candidate in &batch {
                moved += usize::from(repair_one(&tx, candidate)?);
            }
            tx.commit()?;
            // Only now that both files hold the move is the queue entry let go.
            let tx = begin_write(&mut self.conn, Writes::StoreOnly)?;
            let mut forget = tx.prepare_cached("DELETE FROM date_repairs WHERE message_id = ?1")?;
            for candidate in &batch {
                forget.execute([candidate.id])?;
            }
            drop(forget);
            tx.commit()?;
            if moved > 0 {
                tracing::info!(moved, "messages re-dated from their Received headers");
            }
        }
    }
}

/// The next queued messages that still exist (entries of deleted ones go with them).
fn queued(tx: &Transaction<'_>) -> Result<Vec<Candidate>> {
    let mut stmt = tx.prepare_cached(
        "SELECT m.id, m.sort_key, m.date, m.received_at, q.moved_from
         FROM date_repairs q JOIN messages m ON m.id = q.message_id
         ORDER BY q.message_id LIMIT ?1",
    )?;
    let rows = stmt
        .query_map([REPAIR_BATCH], |row| {
            Ok(Candidate {
                id: row.get(0)?,
                sort_key: row.get(1)?,
                date: row.get(2)?,
                received_at: row.get(3)?,
                moved_from: row.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Re-dates one message inside `tx`; true when it moved.
fn repair_one(tx: &Transaction<'_>, candidate: &Candidate) -> Result<bool> {
    // A message whose bytes cannot be read keeps its date; it must not keep the store shut.
    let Ok(raw) = raw::read(tx, MessageId(candidate.id)) else {
        return Ok(false);
    };
    let parsed = message::parse(&raw, None);
    if let Some(from) = candidate.moved_from {
        // Moved in a run that stopped before its queue entry was removed: the document may be
        // at either key, so it is put at the current one again.
        move_doc(tx, from, candidate.sort_key, &parsed)?;
        return Ok(false);
    }
    let date = parsed.date_or_received(candidate.received_at);
    if date == candidate.date {
        return Ok(false);
    }
    let sort_key = next_sort_key(tx, date)?;
    tx.prepare_cached("UPDATE messages SET date = ?2, sort_key = ?3 WHERE id = ?1")?
        .execute(params![candidate.id, date, sort_key])?;
    tx.prepare_cached("UPDATE date_repairs SET moved_from = ?2 WHERE message_id = ?1")?
        .execute(params![candidate.id, candidate.sort_key])?;
    move_doc(tx, candidate.sort_key, sort_key, &parsed)?;
    Ok(true)
}

/// Puts the message's index document at `to`, wherever it was (at `from`, at `to` after an
/// interrupted move: the same message's, so it is replaced).
fn move_doc(tx: &Transaction<'_>, from: i64, to: i64, parsed: &ParsedMessage) -> Result<()> {
    index::remove_doc(tx, "idx", from)?;
    index::remove_doc(tx, "idx", to)?;
    index::insert_docs(tx, "idx", &[IndexDoc::new(to, parsed)])
}
