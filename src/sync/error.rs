//! Why a sync failed; nothing was deleted on the server in any of these cases.

use crate::pop3::Pop3Error;
use crate::store::StoreError;

/// Why a sync failed; nothing was deleted on the server in any of these cases.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The POP3 conversation failed.
    #[error(transparent)]
    Pop3(#[from] Pop3Error),
    /// The store failed (disk full included).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// No password is saved for the account and none was given.
    #[error("no password is saved for the account \"{0}\"")]
    NoPassword(String),
    /// The user cancelled; what was stored stays, nothing was deleted on the server.
    #[error("the sync was cancelled")]
    Cancelled,
    /// The account's settings cannot be used.
    #[error("the account settings are incomplete: {0}")]
    Settings(String),
    /// The message asked for is no longer on the server (removed there, or by another client).
    #[error("the server no longer has this message")]
    GoneFromServer,
    /// The network runtime could not start (the system refused threads, timers or sockets).
    #[error("cannot start the network runtime")]
    Runtime(#[source] std::io::Error),
}
