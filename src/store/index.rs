//! The full-text search index: a separate, rebuildable SQLite file beside the store.
//!
//! The store file is the truth; the index is derived from it. Keeping the index in its own file
//! lets a second thread write it while the store takes the next batch (two writers on two cores),
//! and an outdated or damaged index is rebuilt from the stored messages instead of blocking them.
//! The index holds mail text, so it gets the same 0600 permissions as the store.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, params};

use super::cjk::space_out;
use super::error::{Result, StoreError};
use crate::message::ParsedMessage;

/// Version of the index layout; any other version is discarded and rebuilt.
const INDEX_FORMAT: i64 = 1;

/// Characters of body text kept beside the index for cutting snippets.
pub(super) const BODY_HEAD_CHARS: usize = 4096;

/// Contentless FTS5 (the text is in the store already) that still allows deletes.
const INDEX_SCHEMA: &str = "
CREATE VIRTUAL TABLE message_fts USING fts5 (
    subject, sender, recipients, body, attachments,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2'
);
-- Bulk imports: flush the in-memory index less often and merge segments less eagerly.
INSERT INTO message_fts (message_fts, rank) VALUES ('hashsize', 33554432);
INSERT INTO message_fts (message_fts, rank) VALUES ('automerge', 16);
-- One row per indexed message (rowid = messages.sort_key): marks it indexed, holds its snippet
-- text (zstd-compressed as a blob when that is smaller; TEXT affinity leaves blobs as they are).
CREATE TABLE indexed_text (
    sort_key   INTEGER PRIMARY KEY,
    body_head  TEXT NOT NULL
);
-- How many rows indexed_text holds, kept by every write to it: opening the store compares it
-- with the store's count instead of counting a million rows.
CREATE TABLE indexed_count (n INTEGER NOT NULL);
INSERT INTO indexed_count VALUES (0);
";

/// Adds the count of indexed messages to an index file written before it existed (counted once).
pub(super) fn ensure_count(conn: &Connection, schema: &str) -> Result<()> {
    let exists: bool = conn.query_row(
        &format!(
            "SELECT count(*) > 0 FROM {schema}.sqlite_schema WHERE type = 'table' AND name = 'indexed_count'"
        ),
        [],
        |row| row.get(0),
    )?;
    if !exists {
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE;
             CREATE TABLE {schema}.indexed_count (n INTEGER NOT NULL);
             INSERT INTO {schema}.indexed_count SELECT count(*) FROM {schema}.indexed_text;
             COMMIT;"
        ))?;
    }
    Ok(())
}

/// Sets the count of indexed messages to what `indexed_text` really holds.
pub(super) fn recount(conn: &Connection, schema: &str) -> Result<()> {
    conn.execute(
        &format!(
            "UPDATE {schema}.indexed_count SET n = (SELECT count(*) FROM {schema}.indexed_text)"
        ),
        [],
    )?;
    Ok(())
}

/// The text of one message as the index takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexDoc {
    /// The message's sort key (the index rowid).
    pub sort_key: i64,
    /// Decoded subject.
    pub subject: String,
    /// Sender name and address.
    pub sender: String,
    /// To and Cc.
    pub recipients: String,
    /// Readable body text.
    pub body: String,
    /// Names of real attachments, one per line.
    pub attachments: String,
}

impl IndexDoc {
    /// The indexable text of a parsed message.
    #[must_use]
    pub fn new(sort_key: i64, parsed: &ParsedMessage) -> Self {
        let attachments = parsed
            .attachments
            .iter()
            .filter(|attachment| attachment.is_attachment)
            .map(|attachment| attachment.name.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        Self {
            sort_key,
            subject: parsed.subject.clone(),
            sender: format!("{} {}", parsed.from_name, parsed.from_addr),
            recipients: format!("{} {}", parsed.to, parsed.cc),
            body: parsed.body_text.clone(),
            attachments,
        }
    }
}

/// Where the index of the store at `store_path` lives.
#[must_use]
pub fn index_path(store_path: &Path) -> PathBuf {
    store_path.with_extension("search.sqlite3")
}

/// Makes sure a usable index file exists; an unreadable or other-format one is replaced.
/// Returns true when the file was (re)created empty and must be filled from the store.
pub(super) fn prepare_file(path: &Path) -> Result<bool> {
    if path.exists() && current_format(path) == Some(INDEX_FORMAT) {
        return Ok(false);
    }
    for stale in [
        path.to_owned(),
        with_suffix(path, "-wal"),
        with_suffix(path, "-shm"),
    ] {
        match fs::remove_file(&stale) {
            Ok(()) => {}
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => {
                return Err(StoreError::Io {
                    path: stale,
                    source,
                });
            }
        }
    }
    super::create_private_file(path).map_err(|source| StoreError::Io {
        path: path.to_owned(),
        source,
    })?;
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "page_size", 16384)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.execute_batch(INDEX_SCHEMA)?;
    conn.pragma_update(None, "user_version", INDEX_FORMAT)?;
    Ok(true)
}

fn current_format(path: &Path) -> Option<i64> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
        .ok()
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Adds documents to the index in `schema` (`idx` when attached to the store, `main` alone).
pub(super) fn insert_docs(conn: &Connection, schema: &str, docs: &[IndexDoc]) -> Result<()> {
    let mut insert_fts = conn.prepare_cached(&format!(
        "INSERT INTO {schema}.message_fts (rowid, subject, sender, recipients, body, attachments)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    ))?;
    let mut insert_text = conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO {schema}.indexed_text (sort_key, body_head) VALUES (?1, ?2)"
    ))?;
    let mut known = conn.prepare_cached(&format!(
        "SELECT count(*) FROM {schema}.indexed_text WHERE sort_key = ?1"
    ))?;
    let mut added: i64 = 0;
    for doc in docs {
        let replaces: i64 = known.query_row([doc.sort_key], |row| row.get(0))?;
        added += 1 - replaces;
        insert_fts.execute(params![
            doc.sort_key,
            space_out(&doc.subject),
            space_out(&doc.sender),
            space_out(&doc.recipients),
            space_out(&doc.body),
            space_out(&doc.attachments),
        ])?;
        insert_text.execute(params![doc.sort_key, stored_body_head(&doc.body)])?;
    }
    conn.prepare_cached(&format!("UPDATE {schema}.indexed_count SET n = n + ?1"))?
        .execute([added])?;
    Ok(())
}

/// Removes one message from the index in `schema`.
pub(super) fn remove_doc(conn: &Connection, schema: &str, sort_key: i64) -> Result<()> {
    conn.prepare_cached(&format!(
        "DELETE FROM {schema}.message_fts WHERE rowid = ?1"
    ))?
    .execute([sort_key])?;
    let removed = conn
        .prepare_cached(&format!(
            "DELETE FROM {schema}.indexed_text WHERE sort_key = ?1"
        ))?
        .execute([sort_key])?;
    conn.prepare_cached(&format!("UPDATE {schema}.indexed_count SET n = n - ?1"))?
        .execute([removed])?;
    Ok(())
}

fn body_head(body: &str) -> &str {
    match body.char_indices().nth(BODY_HEAD_CHARS) {
        Some((cut, _)) => &body[..cut],
        None => body,
    }
}

/// zstd level for the kept body text: the fastest already takes text to about a third.
const BODY_HEAD_LEVEL: i32 = 1;

/// The start of `body` as the index keeps it for snippets: zstd-compressed as a blob when that
/// is smaller (mail text shrinks to about a third; on text-heavy mail this column was a third of
/// the index file), else as text.
fn stored_body_head(body: &str) -> rusqlite::types::Value {
    let head = body_head(body);
    match zstd::bulk::compress(head.as_bytes(), BODY_HEAD_LEVEL) {
        Ok(compressed) if compressed.len() < head.len() => rusqlite::types::Value::Blob(compressed),
        _ => rusqlite::types::Value::Text(head.to_owned()),
    }
}

/// Kept body text read back, whichever way it was stored (an index written before compression
/// holds text). Damaged data gives no snippet, never an error.
pub(super) fn read_body_head(value: rusqlite::types::ValueRef<'_>) -> Option<String> {
    match value {
        rusqlite::types::ValueRef::Text(text) => Some(String::from_utf8_lossy(text).into_owned()),
        rusqlite::types::ValueRef::Blob(compressed) => {
            // Four bytes per character at most, plus room for the frame.
            let limit = BODY_HEAD_CHARS * 4 + 64;
            let text = zstd::bulk::decompress(compressed, limit).ok()?;
            Some(String::from_utf8_lossy(&text).into_owned())
        }
        _ => None,
    }
}

/// A connection of its own to the index file, for a thread that indexes while the store writes.
pub struct IndexWriter {
    conn: Connection,
}

impl std::fmt::Debug for IndexWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexWriter").finish_non_exhaustive()
    }
}

impl IndexWriter {
    /// Opens the index file of the store at `store_path` (the store must have been opened first).
    ///
    /// # Errors
    /// When the index cannot be opened.
    pub fn open(store_path: &Path) -> Result<Self> {
        let conn = Connection::open(index_path(store_path))?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        configure_index(&conn, "main")?;
        Ok(Self { conn })
    }

    /// Indexes documents in one transaction.
    ///
    /// # Errors
    /// When SQLite fails; the store still holds the messages and the next open catches up.
    pub fn insert(&mut self, docs: &[IndexDoc]) -> Result<()> {
        let tx = super::begin_write(&mut self.conn, super::Writes::Everything)?;
        insert_docs(&tx, "main", docs)?;
        tx.commit()?;
        Ok(())
    }
}

/// Per-connection settings for the index: derived data, so `synchronous=NORMAL` (WAL keeps it
/// consistent; a lost last commit is re-indexed from the store on the next open).
pub(super) fn configure_index(conn: &Connection, schema: &str) -> Result<()> {
    conn.pragma_update(Some(schema), "synchronous", "NORMAL")?;
    conn.pragma_update(Some(schema), "cache_size", -32768)?;
    conn.pragma_update(Some(schema), "mmap_size", super::MMAP_BYTES)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::types::{Value, ValueRef};

    #[test]
    fn kept_body_text_reads_back_as_written_compressed_or_not() {
        let long = "Grüße aus Köln, the meeting moved to Thursday. ".repeat(200);
        let Value::Blob(compressed) = stored_body_head(&long) else {
            panic!("text compresses");
        };
        assert!(compressed.len() < body_head(&long).len() / 3);
        let back = read_body_head(ValueRef::Blob(&compressed));
        assert_eq!(back.as_deref(), Some(body_head(&long)));
        assert_eq!(body_head(&long).chars().count(), BODY_HEAD_CHARS);
        // Too short to gain: kept as text, as every index written before compression holds it.
        let Value::Text(short) = stored_body_head("ok") else {
            panic!("two letters stay text");
        };
        assert_eq!(
            read_body_head(ValueRef::Text(short.as_bytes())).as_deref(),
            Some("ok")
        );
        assert_eq!(read_body_head(ValueRef::Blob(b"not zstd")), None);
        assert_eq!(read_body_head(ValueRef::Null), None);
    }
}
