//! The store's one error type.

use std::path::PathBuf;

use rusqlite::ErrorCode;

/// Everything that can go wrong in the store, each with a sentence a user understands.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data directory or database file could not be created or read.
    #[error("cannot prepare the store at {path}")]
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The file exists but is not a Satchel store (or is damaged beyond opening).
    #[error("{path} is not a Satchel store, or it is corrupt")]
    NotAStore {
        /// The file that was refused.
        path: PathBuf,
    },
    /// The store was written by a newer Satchel; nothing was changed.
    #[error(
        "the store at {path} was written by a newer Satchel (schema {found}, this version knows up to {supported}); it was left untouched"
    )]
    TooNew {
        /// The store file.
        path: PathBuf,
        /// Schema version found in the file.
        found: usize,
        /// Highest schema version this build knows.
        supported: usize,
    },
    /// The store file is empty but its WAL holds data: the main file was lost, truncated or copied
    /// without its WAL. Opening it would discard the WAL, so nothing was touched.
    #[error(
        "cannot open {path}: the file is empty but {wal} beside it holds {wal_bytes} bytes of the store's changes; both were left untouched (restore the store file from a backup, or move both files away to start a new store)"
    )]
    EmptyStoreWithWal {
        /// The empty store file.
        path: PathBuf,
        /// Its WAL file.
        wal: PathBuf,
        /// Size of the WAL.
        wal_bytes: u64,
    },
    /// Applying a migration failed; the transaction was rolled back.
    #[error("cannot upgrade the store's schema")]
    Migrate(#[source] rusqlite_migration::Error),
    /// Another process holds the write lock for longer than the busy timeout.
    #[error("the store is locked by another Satchel process; try again when it has finished")]
    Busy,
    /// SQLite reports the file as corrupt.
    #[error("the store is corrupt (SQLite: {0})")]
    Corrupt(#[source] rusqlite::Error),
    /// The disk is full; the current transaction was rolled back.
    #[error("the disk is full; nothing was written")]
    DiskFull(#[source] rusqlite::Error),
    /// The search index does not cover exactly the stored messages.
    #[error("the search index covers {indexed} messages but the store holds {messages}")]
    IndexOutOfStep {
        /// Messages in the store.
        messages: u64,
        /// Messages in the index.
        indexed: u64,
    },
    /// Any other SQLite failure.
    #[error("cannot read or write the store")]
    Sql(#[source] rusqlite::Error),
    /// No folder has that name or path.
    #[error("no folder called \"{0}\"")]
    NoSuchFolder(String),
    /// Several folders match a name; the message lists how to tell them apart.
    #[error("\"{name}\" is ambiguous; use one of: {choices}")]
    AmbiguousFolder {
        /// The name given.
        name: String,
        /// The paths that would be unambiguous.
        choices: String,
    },
    /// A folder with that name already exists in that place.
    #[error("a folder called \"{0}\" already exists there")]
    FolderExists(String),
    /// The name is empty, contains `/` or control characters.
    #[error(
        "\"{0}\" is not a valid folder name (it must be non-empty, without '/' or control characters)"
    )]
    InvalidFolderName(String),
    /// Inbox and Trash cannot be renamed or deleted.
    #[error("\"{0}\" is a built-in folder and cannot be renamed or deleted")]
    ProtectedFolder(String),
    /// A folder cannot be moved inside itself.
    #[error("cannot move \"{0}\" inside itself")]
    FolderCycle(String),
    /// No message has that id.
    #[error("no message with id {0}")]
    NoSuchMessage(i64),
    /// The stored bytes of a message fail their checksum.
    #[error("the stored bytes of message {0} are damaged")]
    DamagedMessage(i64),
    /// No account has that name.
    #[error("no account called \"{0}\"")]
    NoSuchAccount(String),
    /// The search text could not be understood.
    #[error("invalid search: {0}")]
    Query(super::search::QueryError),
    /// The account name is empty, contains `/` or control characters.
    #[error(
        "\"{0}\" is not a valid account name (it must be non-empty, without '/' or control characters)"
    )]
    InvalidAccountName(String),
    /// An account with that name already exists.
    #[error("an account called \"{0}\" already exists")]
    AccountExists(String),
}

impl From<super::search::QueryError> for StoreError {
    fn from(err: super::search::QueryError) -> Self {
        Self::Query(err)
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(err: rusqlite::Error) -> Self {
        match err.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Self::Busy,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Self::Corrupt(err),
            Some(ErrorCode::DiskFull) => Self::DiskFull(err),
            _ => Self::Sql(err),
        }
    }
}

/// Result alias for store operations.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;
