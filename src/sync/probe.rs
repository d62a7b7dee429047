//! "Test connection": connect, log in, read capabilities and the message count, change nothing.

use crate::pop3::{ConnectOptions, Session};

use super::run::SyncError;

/// What a connection test found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeReport {
    /// The connection was encrypted.
    pub encrypted: bool,
    /// Capabilities the server listed after login, e.g. `UIDL`, `PIPELINING`, `SASL PLAIN LOGIN`.
    pub capabilities: Vec<String>,
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
    let listed = session.capabilities().clone();
    let encrypted = session.is_tls();
    let stat = session.stat().await?;
    session.quit().await?;
    let mut capabilities: Vec<String> = [
        (listed.top, "TOP"),
        (listed.uidl, "UIDL"),
        (listed.pipelining, "PIPELINING"),
        (listed.stls, "STLS"),
        (listed.resp_codes, "RESP-CODES"),
        (listed.user, "USER"),
    ]
    .into_iter()
    .filter(|(present, _)| *present)
    .map(|(_, tag)| tag.to_owned())
    .collect();
    if !listed.sasl.is_empty() {
        capabilities.push(format!("SASL {}", listed.sasl.join(" ")));
    }
    Ok(ProbeReport {
        encrypted,
        capabilities,
        messages: stat.count,
        bytes: stat.size,
    })
}
