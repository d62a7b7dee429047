//! Conversations in the store: each message joins the conversation of any id it has or names
//! (see migration 05), as it is stored; reading a conversation orders it with
//! [`crate::threading`].

use rusqlite::{OptionalExtension, Transaction, params, params_from_iter};

use super::Store;
use super::error::Result;
use super::order::SortOrder;
use crate::model::{FolderId, IdHash, IdMap, MessageId};
use crate::threading::{self, Options};

/// Longest message id kept (RFC 5322 lines are at most 998 characters).
const MAX_ID_LEN: usize = 998;
/// Most messages one conversation takes. A mailer that gives every message the same
/// Message-ID, or spam naming the ids of many conversations, would otherwise join unrelated
/// mail into one row that a single Delete then takes whole; later messages start another.
pub const MAX_CONVERSATION: usize = 2000;
/// Messages grouped per transaction when a store from before conversations is opened.
const GROUPING_BATCH: usize = 5000;

/// The ids that tie a message to a conversation: its own and its ancestors'.
fn thread_keys<'a>(
    message_id: Option<&'a str>,
    in_reply_to: Option<&'a str>,
    references: Option<&'a str>,
) -> Vec<&'a str> {
    let own = message_id
        .map(str::trim)
        .filter(|id| !id.is_empty() && id.len() <= MAX_ID_LEN);
    own.into_iter()
        .chain(threading::parents(own, in_reply_to, references))
        .collect()
}

/// The conversation a message with these ids belongs to, inside an open write transaction:
/// the oldest conversation any of them is known in (others they link are merged into it), or a
/// new one. Records the ids, so later messages find it.
///
/// # Errors
/// When SQLite fails (the caller's transaction then rolls back whole).
pub(super) fn thread_for(
    tx: &Transaction<'_>,
    message_id: Option<&str>,
    in_reply_to: Option<&str>,
    references: Option<&str>,
) -> Result<i64> {
    let keys = thread_keys(message_id, in_reply_to, references);
    let mut known: Vec<i64> = Vec::new();
    {
        let mut lookup =
            tx.prepare_cached("SELECT thread_id FROM thread_ids WHERE message_id = ?1")?;
        for key in &keys {
            if let Some(thread) = lookup
                .query_row([key], |row| row.get::<_, i64>(0))
                .optional()?
            {
                known.push(thread);
            }
        }
    }
    known.sort_unstable();
    known.dedup();
    let mut members = 0;
    let mut thread = None;
    for &candidate in &known {
        let size = conversation_size(tx, candidate)?;
        match thread {
            // The oldest conversation that still has room.
            None if size < MAX_CONVERSATION => {
                thread = Some(candidate);
                members = size;
            }
            None => {}
            // Merged into it: mail that links two conversations makes them one, within bounds
            // (a message naming ids of many unrelated conversations merges no more than these).
            Some(into) if members + size <= MAX_CONVERSATION => {
                tx.prepare_cached("UPDATE messages SET thread_id = ?1 WHERE thread_id = ?2")?
                    .execute(params![into, candidate])?;
                tx.prepare_cached("UPDATE thread_ids SET thread_id = ?1 WHERE thread_id = ?2")?
                    .execute(params![into, candidate])?;
                members += size;
            }
            Some(_) => {
                tracing::info!("a conversation is full; a message links to it but stays out");
            }
        }
    }
    let thread = match thread {
        Some(thread) => thread,
        None => next_thread_id(tx)?,
    };
    let mut record = tx.prepare_cached(
        "INSERT INTO thread_ids (message_id, thread_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
    )?;
    for key in &keys {
        record.execute(params![key, thread])?;
    }
    Ok(thread)
}

/// How many stored messages a conversation holds (counted on its index).
fn conversation_size(tx: &Transaction<'_>, thread: i64) -> Result<usize> {
    let count: i64 = tx
        .prepare_cached("SELECT count(*) FROM messages WHERE thread_id = ?1")?
        .query_row([thread], |row| row.get(0))?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

/// A number no conversation has had (both tables are indexed on it).
fn next_thread_id(tx: &Transaction<'_>) -> Result<i64> {
    Ok(tx
        .prepare_cached(
            "SELECT max(ifnull((SELECT max(thread_id) FROM thread_ids), 0),
                        ifnull((SELECT max(thread_id) FROM messages), 0)) + 1",
        )?
        .query_row([], |row| row.get(0))?)
}

/// One conversation as a folder's list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderConversation {
    /// The conversation's messages in this folder, oldest first.
    pub members: Vec<MessageId>,
    /// How many of them are unread.
    pub unread: usize,
}

/// A message's place in its conversation, as [`Store::conversation`] lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConversationEntry {
    /// The message.
    pub id: MessageId,
    /// The folder holding it.
    pub folder_id: FolderId,
    /// How many messages above it it answers.
    pub depth: usize,
}

/// One message of a folder as the threaded list groups it.
#[derive(Debug, Clone, Copy)]
struct ThreadRow {
    id: MessageId,
    thread: i64,
    sort_key: i64,
    unread: bool,
}

/// Conversations from a folder's rows in list order: each conversation where its first row is
/// (its last in oldest-first date order: the newest message decides), members oldest first.
fn group_rows(rows: &[ThreadRow], order: SortOrder) -> Vec<FolderConversation> {
    let by_date = order.column == super::SortColumn::Date;
    let newest_decides = by_date && !order.descending;
    let mut slot_of: IdMap<i64, usize> =
        IdMap::with_capacity_and_hasher(rows.len(), IdHash::default());
    let mut conversations: Vec<FolderConversation> = Vec::new();
    let walk: Box<dyn Iterator<Item = &ThreadRow>> = if newest_decides {
        Box::new(rows.iter().rev())
    } else {
        Box::new(rows.iter())
    };
    for row in walk {
        let slot = *slot_of.entry(row.thread).or_insert_with(|| {
            conversations.push(FolderConversation {
                members: Vec::with_capacity(1),
                unread: 0,
            });
            conversations.len() - 1
        });
        let conversation = &mut conversations[slot];
        conversation.members.push(row.id);
        conversation.unread += usize::from(row.unread);
    }
    if newest_decides {
        conversations.reverse();
    }
    let sort_keys: IdMap<MessageId, i64> = if by_date {
        IdMap::default()
    } else {
        rows.iter().map(|row| (row.id, row.sort_key)).collect()
    };
    for conversation in conversations.iter_mut().filter(|c| c.members.len() > 1) {
        if by_date {
            // Walked newest first either way: oldest first is the reverse.
            conversation.members.reverse();
        } else {
            conversation
                .members
                .sort_unstable_by_key(|id| sort_keys.get(id).copied().unwrap_or(i64::MAX));
        }
    }
    conversations
}

/// A stored message's Message-ID, In-Reply-To and References.
type Ids = (Option<String>, Option<String>, Option<String>);

/// The columns JWZ reads, for one message.
struct Threadable {
    id: MessageId,
    folder_id: FolderId,
    message_id: Option<String>,
    in_reply_to: Option<String>,
    references: Option<String>,
    subject: String,
    date: i64,
}

impl Store {
    /// Groups messages stored before conversations existed (schema v5), a batch per transaction;
    /// returns how many were grouped. Runs when the store opens; a crash midway leaves the rest
    /// for the next open.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn group_ungrouped(&mut self) -> Result<usize> {
        // A read first: an open that has nothing to group takes no write lock (another
        // process may hold it for minutes).
        let any: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM messages WHERE thread_id IS NULL)",
            [],
            |row| row.get(0),
        )?;
        if !any {
            return Ok(0);
        }
        let mut grouped = 0;
        loop {
            let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
            let batch: Vec<(i64, Ids)> = tx
                .prepare_cached(
                    "SELECT id, message_id, in_reply_to, refs FROM messages
                     WHERE thread_id IS NULL ORDER BY id LIMIT ?1",
                )?
                .query_map([GROUPING_BATCH], |row| {
                    Ok((row.get(0)?, (row.get(1)?, row.get(2)?, row.get(3)?)))
                })?
                .collect::<rusqlite::Result<_>>()?;
            if batch.is_empty() {
                return Ok(grouped);
            }
            for (id, (message_id, in_reply_to, references)) in &batch {
                let thread = thread_for(
                    &tx,
                    message_id.as_deref(),
                    in_reply_to.as_deref(),
                    references.as_deref(),
                )?;
                tx.prepare_cached("UPDATE messages SET thread_id = ?1 WHERE id = ?2")?
                    .execute(params![thread, id])?;
            }
            tx.commit()?;
            grouped += batch.len();
        }
    }

    /// A folder's conversations in list order: by the place of their first message in `order`
    /// (newest first: the newest message decides), except when sorted by date from the oldest,
    /// where a conversation's newest message still decides.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn folder_conversations(
        &self,
        folder: FolderId,
        order: SortOrder,
    ) -> Result<Vec<FolderConversation>> {
        let rows = self.folder_thread_rows(folder, order)?;
        Ok(group_rows(&rows, order))
    }

    /// Every message of a folder in `order`, with its conversation, sort key and read state;
    /// in date order one pass over a covering index.
    fn folder_thread_rows(&self, folder: FolderId, order: SortOrder) -> Result<Vec<ThreadRow>> {
        let row_of = |row: &rusqlite::Row<'_>| -> rusqlite::Result<ThreadRow> {
            let id = MessageId(row.get(0)?);
            Ok(ThreadRow {
                id,
                // Not grouped yet (the grouping at open failed): a conversation of its own.
                thread: row.get::<_, Option<i64>>(1)?.unwrap_or(-id.0),
                sort_key: row.get(2)?,
                unread: !row.get::<_, bool>(3)?,
            })
        };
        let columns = "SELECT id, thread_id, sort_key, seen FROM messages INDEXED BY messages_folder_sort \
                       WHERE folder_id = ?1";
        if order.column == super::SortColumn::Date {
            let direction = if order.descending { "DESC" } else { "ASC" };
            let mut stmt = self
                .conn
                .prepare_cached(&format!("{columns} ORDER BY sort_key {direction}"))?;
            return Ok(stmt
                .query_map([folder.0], row_of)?
                .collect::<rusqlite::Result<_>>()?);
        }
        let listed = self.folder_message_ids_sorted(folder, order)?;
        let mut by_id: IdMap<MessageId, ThreadRow> =
            IdMap::with_capacity_and_hasher(listed.len(), IdHash::default());
        let mut stmt = self.conn.prepare_cached(columns)?;
        for row in stmt.query_map([folder.0], row_of)? {
            let row = row?;
            by_id.insert(row.id, row);
        }
        Ok(listed.iter().filter_map(|id| by_id.remove(id)).collect())
    }

    /// The conversation of `id` in reading order (a message before its answers), across
    /// folders; Trash only when `id` itself is there.
    ///
    /// # Errors
    /// [`super::StoreError::NoSuchMessage`] for an unknown id.
    pub fn conversation(&self, id: MessageId) -> Result<Vec<ConversationEntry>> {
        let (thread, folder): (Option<i64>, i64) = self
            .conn
            .query_row(
                "SELECT thread_id, folder_id FROM messages WHERE id = ?1",
                [id.0],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()?
            .ok_or(super::StoreError::NoSuchMessage(id.0))?;
        let trash = self.trash_folder()?;
        let Some(thread) = thread else {
            return Ok(vec![ConversationEntry {
                id,
                folder_id: FolderId(folder),
                depth: 0,
            }]);
        };
        let members: Vec<Threadable> = self
            .threadables("thread_id = ?1", [thread])?
            .into_iter()
            .filter(|member| {
                member.id == id || member.folder_id != trash || FolderId(folder) == trash
            })
            .collect();
        Ok(in_reading_order(&members, Options::default()))
    }

    /// The given messages in reading order (how a list shows an opened conversation).
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn reading_order(&self, ids: &[MessageId]) -> Result<Vec<ConversationEntry>> {
        let mut members = Vec::with_capacity(ids.len());
        for page in ids.chunks(500) {
            let placeholders = vec!["?"; page.len()].join(",");
            members.extend(self.threadables(
                &format!("id IN ({placeholders})"),
                params_from_iter(page.iter().map(|id| id.0)),
            )?);
        }
        Ok(in_reading_order(&members, Options::default()))
    }

    /// How many of these messages are unread.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn unread_among(&self, ids: &[MessageId]) -> Result<usize> {
        let mut unread = 0;
        for page in ids.chunks(500) {
            let placeholders = vec!["?"; page.len()].join(",");
            let count: i64 = self.conn.query_row(
                &format!("SELECT count(*) FROM messages WHERE seen = 0 AND id IN ({placeholders})"),
                params_from_iter(page.iter().map(|id| id.0)),
                |row| row.get(0),
            )?;
            unread += usize::try_from(count).unwrap_or(0);
        }
        Ok(unread)
    }

    fn threadables(&self, filter: &str, params: impl rusqlite::Params) -> Result<Vec<Threadable>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT id, folder_id, message_id, in_reply_to, refs, subject, date FROM messages
             WHERE {filter} ORDER BY sort_key"
        ))?;
        let rows = stmt.query_map(params, |row| {
            Ok(Threadable {
                id: MessageId(row.get(0)?),
                folder_id: FolderId(row.get(1)?),
                message_id: row.get(2)?,
                in_reply_to: row.get(3)?,
                references: row.get(4)?,
                subject: row.get(5)?,
                date: row.get(6)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// JWZ over the members; conversations the store joined but JWZ keeps apart follow each other.
fn in_reading_order(members: &[Threadable], options: Options) -> Vec<ConversationEntry> {
    let input: Vec<threading::Message<'_>> = members
        .iter()
        .map(|member| threading::Message {
            message_id: member.message_id.as_deref(),
            in_reply_to: member.in_reply_to.as_deref(),
            references: member.references.as_deref(),
            subject: &member.subject,
            date: member.date,
        })
        .collect();
    threading::thread(&input, options)
        .into_iter()
        .flatten()
        .map(|placed| ConversationEntry {
            id: members[placed.index].id,
            folder_id: members[placed.index].folder_id,
            depth: placed.depth,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message;
    use crate::model::Flags;
    use crate::store::{NewMessage, raw_sha256};

    #[test]
    fn a_message_id_reused_by_every_message_fills_one_conversation_then_starts_another() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open_in(dir.path()).expect("store");
        let folder = store.ensure_folder("Broken mailer").expect("folder");
        let raws: Vec<String> = (0..=MAX_CONVERSATION)
            .map(|n| {
                format!(
                    "From: a@example.org\r\nSubject: Report {n}\r\nMessage-ID: <same@example.org>\r\n\
                     Date: Thu, 01 Jan 2026 10:00:00 +0000\r\n\r\nReport number {n}.\r\n"
                )
            })
            .collect();
        let parsed: Vec<_> = raws
            .iter()
            .map(|raw| message::parse(raw.as_bytes(), None))
            .collect();
        let shas: Vec<_> = raws.iter().map(|raw| raw_sha256(raw.as_bytes())).collect();
        let batch: Vec<NewMessage<'_>> = (0..raws.len())
            .map(|n| NewMessage {
                raw: raws[n].as_bytes(),
                raw_sha256: &shas[n],
                parsed: &parsed[n],
                folder_id: folder,
                account_id: None,
                flags: Flags::default(),
                received_at: 0,
                headers_only: false,
                stored_raw: None,
            })
            .collect();
        store.insert_messages(&batch).expect("insert");
        let ids = store.folder_message_ids(folder).expect("ids");
        let oldest = *ids.last().expect("stored");
        let newest = ids[0];
        assert_eq!(
            store.conversation(oldest).expect("conversation").len(),
            MAX_CONVERSATION
        );
        assert_eq!(store.conversation(newest).expect("conversation").len(), 1);
        let listed = store
            .folder_conversations(folder, SortOrder::NEWEST_FIRST)
            .expect("list");
        assert_eq!(
            listed.len(),
            2,
            "two rows, not one that a Delete takes whole"
        );
    }
}
