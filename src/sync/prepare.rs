//! Everything one account's session needs before it starts: a store connection of its own,
//! the connect options and a runtime.

use super::connect::{SyncOptions, connect_options};
use super::error::SyncError;
use crate::pop3::ConnectOptions;
use crate::store::{Account, Store};

/// A single-threaded runtime for one account's session; the store work inside it blocks
/// only that account's thread.
///
/// # Errors
/// [`SyncError::Runtime`] when the operating system refuses the runtime's resources.
pub fn session_runtime() -> Result<tokio::runtime::Runtime, SyncError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(SyncError::Runtime)
}

/// Everything one account's session needs: its own store connection, the connection settings
/// and a runtime.
///
/// # Errors
/// When the store cannot be opened, the settings are unusable or no runtime can start.
pub fn prepare_session(
    store_path: &std::path::Path,
    account: &Account,
    secret: String,
) -> Result<(Store, ConnectOptions, tokio::runtime::Runtime), SyncError> {
    let store = Store::open(store_path)?;
    let connect = connect_options(&account.settings, secret, SyncOptions::default())?;
    Ok((store, connect, session_runtime()?))
}
