//! The SQLite store: the single source of truth for accounts, folders, messages and search.
//!
//! Every connection runs in WAL mode with `synchronous=FULL` and foreign keys on; the file is
//! private to its owner (mode 0600). The schema only moves forward through `migrations/`.

mod accounts;
pub mod cjk;
mod conversations;
mod correspondents;
mod date_repair;
mod download_group;
mod error;
mod folders;
mod health;
mod index;
mod listing;
mod messages;
mod order;
mod outbox;
mod pop;
mod raw;
mod reindex;
mod schema;
pub mod search;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::dates::TimeZone;

pub use accounts::{Account, AccountSettings, Identity, SmtpSettings};
pub use conversations::{ConversationEntry, FolderConversation};
pub use correspondents::Correspondents;
pub use download_group::DownloadGroup;
pub use error::{Result, StoreError};
pub use folders::Folder;
pub use health::{Checkpoint, Health};
pub use index::{IndexDoc, IndexWriter, index_path};
pub use messages::{InsertOutcome, MessageSummary, NewMessage, raw_sha256};
pub use order::{SortColumn, SortOrder};
pub use outbox::{Envelope, Outgoing};
pub use pop::{PopRecord, ServerCopies};
pub use raw::{RawEncoder, StoredRaw};
pub use schema::latest_version;
pub use search::{SearchHit, parse_query};

/// File name of the store inside the data directory.
pub const STORE_FILE: &str = "satchel.sqlite3";

/// How much of the store file (and of the search index) is read through a memory map.
pub(crate) const MMAP_BYTES: i64 = 32 << 20;

/// How long a writer waits for another process's lock before reporting [`StoreError::Busy`].
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// An open store: one SQLite connection with Satchel's pragmas.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The zone whose days `before:` and `after:` name (UTC until [`Store::set_time_zone`]).
    time_zone: TimeZone,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir`.
    ///
    /// # Errors
    /// See [`Store::open`].
    pub fn open_in(data_dir: &Path) -> Result<Self> {
        create_private_dir(data_dir)?;
        Self::open(&data_dir.join(STORE_FILE))
    }

    /// Opens (creating if needed) the store file at `path` and migrates it to the latest schema.
    ///
    /// # Errors
    /// A file that is not a Satchel store, or one written by a newer version, is refused and left
    /// byte-for-byte untouched; SQLite and I/O failures are reported with the path.
    pub fn open(path: &Path) -> Result<Self> {
        let io_error = |source| StoreError::Io {
            path: path.to_owned(),
            source,
        };
        if path.exists() {
            refuse_empty_file_with_wal(path)?;
            schema::check_existing(path)?;
        } else {
            create_private_file(path).map_err(io_error)?;
        }
        restrict_permissions(path).map_err(io_error)?;
        let mut conn = Connection::open(path).map_err(|_| StoreError::NotAStore {
            path: path.to_owned(),
        })?;
        configure(&conn)?;
        schema::migrate(&mut conn)?;
        let index_file = index_path(path);
        let fresh_index = index::prepare_file(&index_file)?;
        restrict_permissions(&index_file).map_err(|source| StoreError::Io {
            path: index_file.clone(),
            source,
        })?;
        conn.execute("ATTACH DATABASE ?1 AS idx", [index_file.to_string_lossy()])?;
        index::configure_index(&conn, "idx")?;
        index::ensure_count(&conn, "idx")?;
        let mut store = Self {
            conn,
            path: path.to_owned(),
            time_zone: TimeZone::UTC,
        };
        if fresh_index {
            tracing::info!("search index created; indexing stored messages");
        }
        store.catch_up_index()?;
        if let Err(err) = store.repair_dates() {
            // Dates are repaired at a later open; the mail is all there meanwhile.
            tracing::warn!(error = %err, "cannot re-date messages yet");
        }
        match store.group_ungrouped() {
            Ok(0) => {}
            Ok(grouped) => tracing::info!(grouped, "messages grouped into conversations"),
            // Grouped at a later open; meanwhile each such message stands alone.
            Err(err) => {
                tracing::warn!(error = %err, "cannot group messages into conversations yet");
            }
        }
        Ok(store)
    }

    /// The store file's path.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Sets the zone whose days the search operators `before:` and `after:` name: the reader's
    /// own ([`crate::dates::system_zone`]) in the app and the CLI. A store opens with UTC.
    pub fn set_time_zone(&mut self, zone: TimeZone) {
        self.time_zone = zone;
    }

    /// The zone set by [`Store::set_time_zone`].
    #[must_use]
    pub fn time_zone(&self) -> &TimeZone {
        &self.time_zone
    }

    /// Runs `PRAGMA integrity_check` and returns its verdict (`"ok"` when healthy).
    ///
    /// # Errors
    /// When SQLite cannot run the check.
    pub fn integrity_check(&self) -> Result<String> {
        Ok(self
            .conn
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))?)
    }

    /// Another connection to the same store file, with this connection's size limit (so a
    /// test's [`Store::limit_size`] also holds for threads that write on their own connection).
    ///
    /// # Errors
    /// As [`Store::open`].
    pub fn reopen(&self) -> Result<Self> {
        let max_pages: u64 = self
            .conn
            .pragma_query_value(None, "max_page_count", |row| row.get(0))?;
        let mut other = Self::open(&self.path)?;
        other.set_time_zone(self.time_zone.clone());
        other
            .conn
            .pragma_update(None, "max_page_count", max_pages)?;
        Ok(other)
    }

    /// Caps this connection's store file at about `max_bytes` (SQLite `max_page_count`); writes
    /// beyond it fail as [`StoreError::DiskFull`] would. Used to test behaviour on a full disk.
    ///
    /// # Errors
    /// When SQLite refuses the setting.
    pub fn limit_size(&self, max_bytes: u64) -> Result<()> {
        let page_size: u64 = self
            .conn
            .pragma_query_value(None, "page_size", |row| row.get(0))?;
        self.conn
            .pragma_update(None, "max_page_count", max_bytes / page_size.max(1))?;
        Ok(())
    }

    /// Caps this connection's page cache of the store file at about `bytes` (32 MiB by default).
    /// A thread that only appends, like a sync's committer, needs less: a large message written
    /// through a big cache would stay resident as dirty pages.
    ///
    /// # Errors
    /// When SQLite refuses the setting.
    pub fn limit_cache(&self, bytes: u64) -> Result<()> {
        let kib = i64::try_from(bytes / 1024).unwrap_or(i64::MAX);
        self.conn.pragma_update(Some("main"), "cache_size", -kib)?;
        Ok(())
    }

    /// Checks that the full-text index matches its content table.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] when they disagree.
    pub fn check_search_index(&self) -> Result<()> {
        self.conn.execute(
            "INSERT INTO idx.message_fts (message_fts, rank) VALUES ('integrity-check', 1)",
            [],
        )?;
        let (messages, indexed) = self.index_counts()?;
        if messages != indexed {
            return Err(StoreError::IndexOutOfStep { messages, indexed });
        }
        Ok(())
    }

    /// The schema version recorded in the file.
    ///
    /// # Errors
    /// When SQLite cannot read it.
    pub fn schema_version(&self) -> Result<usize> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0))?;
        Ok(usize::try_from(version).unwrap_or(0))
    }
}

/// What a write transaction locks when it begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Writes {
    /// Only the store file: the search index stays free for an [`IndexWriter`] on another thread.
    StoreOnly,
    /// Every attached file: the store and its search index (`BEGIN IMMEDIATE`).
    Everything,
}

/// Begins a write transaction holding the write lock from its first statement, waiting for
/// another writer up to the busy timeout. (A plain deferred transaction that reads first and
/// then writes gets `SQLITE_BUSY` at once under WAL when another connection wrote meanwhile:
/// two accounts syncing into one store failed that way.)
///
/// `BEGIN IMMEDIATE` locks every attached database, the index too; a transaction that writes
/// only the store takes the store's lock alone with a write that changes nothing, so an
/// import's indexer thread keeps writing the index meanwhile.
pub(crate) fn begin_write(conn: &mut Connection, writes: Writes) -> Result<Transaction<'_>> {
    match writes {
        Writes::Everything => Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?),
        Writes::StoreOnly => {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
            // The first statement is a write, so SQLite takes the store's write lock (waiting for
            // it) before anything is read; `WHERE 0` changes no row.
            tx.prepare_cached("DELETE FROM main.pop_state WHERE 0")?
                .execute([])?;
            Ok(tx)
        }
    }
}

/// A store file of 0 bytes with a non-empty WAL beside it is a store whose main file was lost or
/// copied alone: opening it would let SQLite discard the WAL, and with it the mail.
fn refuse_empty_file_with_wal(path: &Path) -> Result<()> {
    let io_error = |source| StoreError::Io {
        path: path.to_owned(),
        source,
    };
    if fs::metadata(path).map_err(io_error)?.len() > 0 {
        return Ok(());
    }
    let wal = health::wal_path(path);
    match fs::metadata(&wal) {
        Ok(meta) if meta.len() > 0 => Err(StoreError::EmptyStoreWithWal {
            path: path.to_owned(),
            wal,
            wal_bytes: meta.len(),
        }),
        _ => Ok(()),
    }
}

/// Per-connection settings: durability first (every commit is on disk before it returns).
fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // Only takes effect when the file is created: bigger pages suit message-sized blobs.
    conn.pragma_update(None, "page_size", 16384)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Statement journals (a statement whose triggers change other rows keeps one) and sort
    // scratch space in memory, not in temporary files.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    // 32 MiB of page cache (default 2 MiB): index merges and B-tree inserts stay in memory.
    conn.pragma_update(None, "cache_size", -32768)?;
    // Read the first 32 MiB through a memory map (index merges and searches skip a copy per
    // page). Mapped pages count as resident memory: 256 MiB cost an import of 100,000 messages
    // 100 MB of peak RSS, and searches at a million messages were no faster for it.
    conn.pragma_update(None, "mmap_size", MMAP_BYTES)?;
    // Checkpoint every 64 MiB of WAL instead of 16 MiB (at 16 KiB pages): fewer, larger syncs.
    conn.pragma_update(None, "wal_autocheckpoint", 4096)?;
    // Closing does not copy the WAL into the store: committed frames are already durable, and
    // every writing run ends with [`Store::checkpoint`] (a reader's close must not wait).
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
        true,
    )?;
    Ok(())
}

fn create_private_dir(dir: &Path) -> Result<()> {
    let io_error = |source| StoreError::Io {
        path: dir.to_owned(),
        source,
    };
    if !dir.exists() {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(dir).map_err(io_error)?;
    }
    Ok(())
}

pub(crate) fn create_private_file(path: &Path) -> std::io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

fn restrict_permissions(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(path)?.permissions().mode() & 0o777;
        if mode != 0o600 {
            fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_connection_is_durable_and_checks_foreign_keys() {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open_in(&dir.path().join("nested/data")).expect("open");
        let pragma = |name: &str| -> String {
            store
                .conn
                .pragma_query_value(None, name, |row| row.get::<_, rusqlite::types::Value>(0))
                .map_or_else(
                    |err| err.to_string(),
                    |value| match value {
                        rusqlite::types::Value::Integer(number) => number.to_string(),
                        rusqlite::types::Value::Text(text) => text,
                        other => format!("{other:?}"),
                    },
                )
        };
        assert_eq!(pragma("journal_mode"), "wal");
        assert_eq!(pragma("synchronous"), "2", "FULL");
        assert_eq!(pragma("foreign_keys"), "1");
        assert_eq!(store.schema_version().ok(), Some(latest_version()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode =
                |path: &Path| fs::metadata(path).map_or(0, |m| m.permissions().mode() & 0o777);
            assert_eq!(mode(store.path()), 0o600);
            assert_eq!(mode(&dir.path().join("nested/data")), 0o700);
        }
    }
}
