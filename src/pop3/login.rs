//! Opening a session: connect, CAPA, choose and run the login, and fall back when an APOP
//! chosen automatically is refused (servers that announce APOP they cannot do).

use std::time::Instant;

use super::auth;
use super::capabilities::Capabilities;
use super::connect::{self, read_capabilities};
use super::error::Pop3Error;
use super::options::{AuthMethod, ConnectOptions, Security};
use super::transport::Transport;
use super::wire::Wire;

/// A connection in the TRANSACTION state.
pub(crate) struct LoggedIn {
    /// The stream, paced and with the session deadline set.
    pub wire: Wire<Transport>,
    /// CAPA after login, or before it when CAPA then failed.
    pub capabilities: Capabilities,
    /// The method that logged in.
    pub method: AuthMethod,
}

/// Connects, secures, reads CAPA, logs in (with the APOP fallback) and re-reads CAPA.
pub(crate) async fn open_and_log_in(opts: &ConnectOptions) -> Result<LoggedIn, Pop3Error> {
    let started = Instant::now();
    let opened = connect::open(opts, started).await?;
    let mut wire = opened.wire;
    let before = read_capabilities(&mut wire).await?;
    let tls = wire.get_ref().is_tls();
    if !tls && opts.security != Security::PlainInsecure {
        // Unreachable by construction; kept so a future mode cannot leak passwords.
        return Err(Pop3Error::InsecureAuth { method: "login" });
    }
    let timestamp = auth::apop_timestamp(&opened.greeting);
    let method = auth::choose(
        opts.auth,
        &before,
        timestamp.as_deref(),
        &opts.credentials.secret,
        tls,
    )?;
    let cleartext_ok = tls || opts.security == Security::PlainInsecure;
    let attempt = auth::login(
        &mut wire,
        method,
        &opts.credentials,
        timestamp.as_deref(),
        cleartext_ok,
    )
    .await;
    let (mut wire, method) = match attempt {
        Ok(()) => (wire, method),
        Err(refusal @ Pop3Error::AuthFailed { .. })
            if opts.auth.is_none() && method == AuthMethod::Apop =>
        {
            let Some(next) = auth::next_after_apop(&before, tls) else {
                return Err(refusal);
            };
            tracing::debug!(next = next.name(), "APOP refused; trying the next method");
            (
                fall_back(opts, started, wire, next, cleartext_ok).await?,
                next,
            )
        }
        Err(err) => return Err(err),
    };
    // Some servers list UIDL or PIPELINING only after login.
    let after = read_capabilities(&mut wire).await?;
    let capabilities = if after.listed { after } else { before };
    tracing::debug!(
        pipelining = capabilities.pipelining,
        uidl = capabilities.uidl,
        method = method.name(),
        "logged in"
    );
    Ok(LoggedIn {
        wire,
        capabilities,
        method,
    })
}

/// Logs in with `next` on the same connection while the server keeps it in AUTHORIZATION
/// state, else on a fresh one. A refusal of `next` itself is final.
async fn fall_back(
    opts: &ConnectOptions,
    started: Instant,
    mut wire: Wire<Transport>,
    next: AuthMethod,
    cleartext_ok: bool,
) -> Result<Wire<Transport>, Pop3Error> {
    match auth::login(&mut wire, next, &opts.credentials, None, cleartext_ok).await {
        Ok(()) => return Ok(wire),
        Err(err) if !err.breaks_session() => return Err(err),
        Err(err) => tracing::debug!(error = %err, "server ended the session; reconnecting"),
    }
    drop(wire);
    let mut wire = connect::open(opts, started).await?.wire;
    auth::login(&mut wire, next, &opts.credentials, None, cleartext_ok).await?;
    Ok(wire)
}
