//! Keeping the store file whole: WAL checkpoints when a writing run ends, and the health check
//! behind `satchel check`.

use std::path::{Path, PathBuf};

use rusqlite::OptionalExtension;

use super::Store;
use super::error::{Result, StoreError};
use super::raw;
use crate::model::MessageId;

/// Most rows `PRAGMA integrity_check` reports.
const MAX_STRUCTURE_PROBLEMS: u32 = 20;
/// Most damaged messages listed one by one.
const MAX_LISTED_MESSAGES: usize = 20;

/// The WAL file beside a store (or index) file.
#[must_use]
pub(super) fn wal_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// What a WAL checkpoint achieved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checkpoint {
    /// Every committed change is in the store file and the WAL is empty.
    Complete,
    /// Another connection was reading or writing, so part of the WAL could not be copied yet.
    /// Those changes are committed and safe in the WAL; a later checkpoint copies them.
    Partial {
        /// Pages in the WAL.
        wal_pages: u64,
        /// Of those, pages copied into the store file.
        copied_pages: u64,
    },
}

/// What `satchel check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Health {
    /// Messages in the store.
    pub messages: u64,
    /// Problems with the store itself (structure, references, message bytes), one sentence each.
    pub store_problems: Vec<String>,
    /// Problems with the search index only (the mail is intact; the index can be rebuilt).
    pub index_problems: Vec<String>,
}

impl Health {
    /// No problem of either kind.
    #[must_use]
    pub fn is_healthy(&self) -> bool {
        self.store_problems.is_empty() && self.index_problems.is_empty()
    }

    /// The verdict in one line.
    #[must_use]
    pub fn verdict(&self) -> String {
        let more = |problems: &[String]| match problems.len() {
            0 | 1 => String::new(),
            2 => " (and 1 more problem)".to_owned(),
            n => format!(" (and {} more problems)", n - 1),
        };
        if let Some(first) = self.store_problems.first() {
            format!(
                "the store is damaged: {first}{}",
                more(&self.store_problems)
            )
        } else if let Some(first) = self.index_problems.first() {
            format!(
                "the search index is damaged, the mail itself is intact: {first}{}; delete the index file and Satchel rebuilds it when it next opens the store",
                more(&self.index_problems)
            )
        } else if self.messages == 1 {
            "the store is healthy: 1 message".to_owned()
        } else {
            format!("the store is healthy: {} messages", self.messages)
        }
    }
}

impl Store {
    /// Copies every committed change from the WAL into the store file and empties the WAL
    /// (`PRAGMA wal_checkpoint(TRUNCATE)`), so the store file alone holds the mail. Called when
    /// a writing run ends. The search index's WAL is checkpointed too, best effort.
    ///
    /// # Errors
    /// When SQLite fails; another connection in the way is not an error but
    /// [`Checkpoint::Partial`].
    pub fn checkpoint(&self) -> Result<Checkpoint> {
        let outcome = match self.wal_checkpoint("main") {
            Ok((false, _, _)) => Checkpoint::Complete,
            Ok((true, wal_pages, copied_pages)) => Checkpoint::Partial {
                wal_pages,
                copied_pages,
            },
            Err(StoreError::Busy) => Checkpoint::Partial {
                wal_pages: 0,
                copied_pages: 0,
            },
            Err(err) => return Err(err),
        };
        if let Err(err) = self.wal_checkpoint("idx") {
            tracing::debug!(error = %err, "search index checkpoint skipped");
        }
        Ok(outcome)
    }

    /// One `wal_checkpoint(TRUNCATE)`: (blocked, pages in the WAL, pages copied).
    fn wal_checkpoint(&self, schema: &str) -> Result<(bool, u64, u64)> {
        let (busy, wal_pages, copied_pages): (i64, i64, i64) = self.conn.query_row(
            &format!("PRAGMA {schema}.wal_checkpoint(TRUNCATE)"),
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        let pages = |count: i64| u64::try_from(count).unwrap_or(0);
        Ok((busy != 0, pages(wal_pages), pages(copied_pages)))
    }

    /// Checks the store's structure (`integrity_check`), its references (`foreign_key_check`),
    /// every message's bytes against their SHA-256, and the search index against the messages.
    ///
    /// # Errors
    /// Only when the check cannot run at all; damage it meets is reported in [`Health`].
    pub fn health(&self) -> Result<Health> {
        let mut health = Health::default();
        let mut store_problems = |result: Result<Vec<String>>| match result {
            Ok(found) => health.store_problems.extend(found),
            Err(err) => health.store_problems.push(sentence(&err)),
        };
        store_problems(self.structure_problems("main"));
        store_problems(self.reference_problems());
        store_problems(self.message_problems());
        match self.message_count() {
            Ok(count) => health.messages = count,
            Err(err) => health.store_problems.push(sentence(&err)),
        }
        let mut index_problems = |result: Result<Vec<String>>| match result {
            Ok(found) => health.index_problems.extend(found),
            Err(err) => health.index_problems.push(sentence(&err)),
        };
        index_problems(self.structure_problems("idx"));
        index_problems(self.index_coverage_problems());
        Ok(health)
    }

    fn structure_problems(&self, schema: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare(&format!(
            "PRAGMA {schema}.integrity_check({MAX_STRUCTURE_PROBLEMS})"
        ))?;
        let rows: Vec<String> = stmt
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows
            .into_iter()
            .filter(|row| row != "ok")
            .map(|row| format!("SQLite integrity check: {row}"))
            .collect())
    }

    fn reference_problems(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA main.foreign_key_check")?;
        let rows = stmt
            .query_map([], |row| {
                let table: String = row.get(0)?;
                let rowid: Option<i64> = row.get(1)?;
                let parent: String = row.get(2)?;
                Ok(format!(
                    "{table} row {} refers to a missing {parent} row",
                    rowid.map_or_else(|| "?".to_owned(), |id| id.to_string())
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Every message's stored bytes read back and compared with their SHA-256.
    fn message_problems(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, raw_sha256 FROM messages ORDER BY id")?;
        let mut rows = stmt.query([])?;
        let mut damaged = Vec::new();
        while let Some(row) = rows.next()? {
            let id = MessageId(row.get(0)?);
            let expected: Vec<u8> = row.get(1)?;
            let intact = match raw::read(&self.conn, id) {
                Ok(bytes) => super::raw_sha256(&bytes)[..] == expected[..],
                Err(StoreError::DamagedMessage(_) | StoreError::NoSuchMessage(_)) => false,
                Err(err) => return Err(err),
            };
            if !intact {
                damaged.push(id);
            }
        }
        let mut problems: Vec<String> = damaged
            .iter()
            .take(MAX_LISTED_MESSAGES)
            .map(|id| format!("the stored bytes of message {id} are damaged or missing"))
            .collect();
        if damaged.len() > MAX_LISTED_MESSAGES {
            problems.push(format!(
                "{} more messages have damaged or missing bytes",
                damaged.len() - MAX_LISTED_MESSAGES
            ));
        }
        Ok(problems)
    }

    /// The index's own consistency and whether it covers exactly the stored messages.
    fn index_coverage_problems(&self) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        if let Err(err) = self.conn.execute(
            "INSERT INTO idx.message_fts (message_fts, rank) VALUES ('integrity-check', 1)",
            [],
        ) {
            problems.push(format!("the full-text index is inconsistent ({err})"));
        }
        let count = |sql: &str| -> Result<u64> {
            Ok(self
                .conn
                .query_row(sql, [], |row| row.get::<_, u64>(0))
                .optional()?
                .unwrap_or(0))
        };
        let unindexed = count(
            "SELECT count(*) FROM messages WHERE sort_key NOT IN (SELECT sort_key FROM idx.indexed_text)",
        )?;
        let stale = count(
            "SELECT count(*) FROM idx.indexed_text WHERE sort_key NOT IN (SELECT sort_key FROM messages)",
        )?;
        let (messages, indexed) = self.index_counts()?;
        if unindexed > 0 {
            problems.push(format!("{} not in the index", messages_phrase(unindexed)));
        }
        if stale > 0 {
            problems.push(format!(
                "the index holds {} that are no longer stored",
                messages_phrase(stale)
            ));
        }
        if unindexed == 0 && stale == 0 && messages != indexed {
            problems.push(format!(
                "the index counts {indexed} documents for {}",
                messages_phrase(messages)
            ));
        }
        Ok(problems)
    }
}

fn messages_phrase(count: u64) -> String {
    if count == 1 {
        "1 message".to_owned()
    } else {
        format!("{count} messages")
    }
}

/// An error in one sentence, with SQLite's or the system's reason where the message lacks it.
fn sentence(err: &StoreError) -> String {
    match err {
        StoreError::Sql(inner) => format!("{err}: {inner}"),
        StoreError::Corrupt(inner) => format!("SQLite cannot read part of the file ({inner})"),
        StoreError::Io { source, .. } => format!("{err}: {source}"),
        _ => err.to_string(),
    }
}
