//! "Test connection": connect, log in, read capabilities and the message count, change nothing.

use super::connect::{SyncOptions, connect_options};
use super::error::SyncError;
use super::prepare::session_runtime;
use crate::pop3::{AuthMethod, ConnectOptions, Session};
use crate::store::AccountSettings;

/// What a connection test found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeReport {
    /// The connection was encrypted.
    pub encrypted: bool,
    /// The CAPA lines the server sent after login (before, if it then refused CAPA), as sent
    /// but sanitised, e.g. `UIDL`, `LOGIN-DELAY 900`, `SASL PLAIN LOGIN`.
    pub capabilities: Vec<String>,
    /// The login method that worked.
    pub auth_method: AuthMethod,
    /// Messages on the server.
    pub messages: u32,
    /// Their total size in bytes.
    pub bytes: u64,
}

/// Connects and logs in with `connect`, reports what the server offers, and quits.
///
/// # Errors
/// A [`SyncError`] whose `sentence()` says what went wrong (password, certificate, …).
pub async fn probe(connect: &ConnectOptions) -> Result<ProbeReport, SyncError> {
    let mut session = Session::connect(connect).await?;
    let capabilities = session.capabilities().lines.clone();
    let auth_method = session.auth_method_used();
    let encrypted = session.is_tls();
    let stat = session.stat().await?;
    session.quit().await?;
    Ok(ProbeReport {
        encrypted,
        capabilities,
        auth_method,
        messages: stat.count,
        bytes: stat.size,
    })
}

/// Tests `settings` (saved or not) with `secret` on a runtime of its own; blocks until done.
///
/// # Errors
/// As [`probe`], or a settings or runtime error before connecting.
pub fn probe_settings(
    settings: &AccountSettings,
    secret: String,
) -> Result<ProbeReport, SyncError> {
    let connect = connect_options(settings, secret, SyncOptions::default())?;
    session_runtime()?.block_on(probe(&connect))
}
