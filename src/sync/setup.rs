//! From an account's settings to what a session needs: connection options, credentials,
//! retention policy, a runtime and a store connection of its own.

use std::time::Duration;

use super::plan::{self, Policy};
use super::run::SyncError;
use crate::pop3::{AuthMethod, ConnectOptions, Credentials, Fingerprint, Security};
use crate::store::{Account, Store};

/// Timeouts and limits for a sync, apart from the account's own settings.
#[derive(Debug, Clone, Copy)]
pub struct SyncOptions {
    /// Limit for connect + TLS + greeting.
    pub connect_timeout: Duration,
    /// Limit for any single read or write.
    pub idle_timeout: Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_mins(2),
        }
    }
}

/// The connection settings for an account.
///
/// # Errors
/// [`SyncError::Settings`] for an unknown security mode, auth method or a malformed fingerprint.
pub fn connect_options(
    account: &Account,
    credentials: Credentials,
    options: SyncOptions,
) -> Result<ConnectOptions, SyncError> {
    let settings = &account.settings;
    let security = match settings.security.as_str() {
        "tls" => Security::ImplicitTls,
        "starttls" => Security::StartTls,
        "plain" => Security::PlainInsecure,
        other => {
            return Err(SyncError::Settings(format!(
                "unknown security mode {other:?}"
            )));
        }
    };
    let auth = match settings.auth_method.as_str() {
        "auto" => None,
        "plain" => Some(AuthMethod::Plain),
        "login" => Some(AuthMethod::Login),
        "apop" => Some(AuthMethod::Apop),
        "user" => Some(AuthMethod::UserPass),
        "xoauth2" => Some(AuthMethod::XOAuth2),
        other => {
            return Err(SyncError::Settings(format!(
                "unknown authentication method {other:?}"
            )));
        }
    };
    let pinned_certificate = match &settings.pinned_fingerprint {
        Some(text) => Some(text.parse::<Fingerprint>().map_err(|_| {
            SyncError::Settings("the trusted certificate fingerprint is malformed".to_owned())
        })?),
        None => None,
    };
    if settings.host.is_empty() {
        return Err(SyncError::Settings("no server name".to_owned()));
    }
    let mut connect = ConnectOptions::new(settings.host.clone(), credentials);
    connect.port = settings.port;
    connect.security = security;
    connect.auth = auth;
    connect.pinned_certificate = pinned_certificate;
    connect.connect_timeout = options.connect_timeout;
    connect.idle_timeout = options.idle_timeout;
    connect.max_message_size = Some(max_message_size(account));
    Ok(connect)
}

/// A single-threaded runtime for one account's session; the store work inside it blocks
/// only that account's thread.
///
/// # Errors
/// [`SyncError::Settings`] when the operating system refuses the runtime's resources.
pub fn session_runtime() -> Result<tokio::runtime::Runtime, SyncError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| SyncError::Settings(format!("cannot start the network runtime: {err}")))
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
    let connect = connect_options(
        account,
        credentials(account, secret),
        SyncOptions::default(),
    )?;
    Ok((store, connect, session_runtime()?))
}

/// The credentials for an account: a bearer token for XOAUTH2, else a password.
#[must_use]
pub fn credentials(account: &Account, secret: String) -> Credentials {
    let username = account.settings.username.clone();
    if account.settings.auth_method == "xoauth2" {
        Credentials::bearer(username, secret)
    } else {
        Credentials::password(username, secret)
    }
}

/// The account's retention policy as the planner takes it.
#[must_use]
pub fn policy_of(account: &Account) -> Policy {
    let settings = &account.settings;
    Policy {
        keep_on_server: settings.keep_on_server,
        remove_after_days: settings.remove_after_days,
        remove_when_deleted: settings.remove_when_deleted,
        size_limit: settings.size_limit_kb.map(|kb| u64::from(kb) * 1024),
        never_delete: is_recent_mode(&settings.username),
        max_message_size: max_message_size(account),
    }
}

/// The account's cap on a message downloaded in full, in bytes.
#[must_use]
pub fn max_message_size(account: &Account) -> u64 {
    account
        .settings
        .max_message_mb
        .map_or(plan::DEFAULT_MAX_MESSAGE_SIZE, |mb| {
            u64::from(mb.max(1)) << 20
        })
}

/// Gmail's `recent:` usernames show the last 30 days again to every client: never delete there.
pub(super) fn is_recent_mode(username: &str) -> bool {
    username.to_ascii_lowercase().starts_with("recent:")
}
