//! Applying a plan: one POP3 session per account. Every message is committed with its UIDL
//! before anything is deleted; deletions take effect at `QUIT`, and only after `QUIT` succeeds
//! are they recorded.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::committer::Committer;
use super::identify::{list_messages, recognise_by_headers};
use super::plan::{self, LocalMessage, Policy};
use super::sink::{Expected, StoreSink};
use crate::dates;
use crate::model::MessageId;
use crate::pop3::{
    AuthMethod, ConnectOptions, Credentials, FetchRequest, Fingerprint, Pop3Error, Security,
    Session,
};
use crate::store::{Account, Store, StoreError};

/// Most extra sessions a "recent:" (Gmail) account runs while new mail keeps arriving.
const MAX_RECENT_ROUNDS: usize = 20;

/// What one account's sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Messages stored.
    pub new: u64,
    /// Messages whose identical bytes were already stored (linked, not stored again).
    pub duplicates: u64,
    /// Messages recognised by their headers after a UIDL change (not downloaded again).
    pub recognised: u64,
    /// Of `new`, messages fetched headers-only.
    pub headers_only: u64,
    /// Messages removed from the server (after a successful QUIT).
    pub removed_from_server: u64,
    /// Messages the server refused to hand over (with its reason).
    pub refused: Vec<String>,
    /// Bytes received.
    pub bytes: u64,
}

/// Progress while a sync runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Messages done in this session.
    pub messages_done: u64,
    /// Messages to fetch in this session.
    pub messages_total: u64,
    /// Bytes done.
    pub bytes_done: u64,
    /// Bytes to fetch (from LIST).
    pub bytes_total: u64,
    /// The message this step stored, if it stored a new one (for live list updates).
    pub stored: Option<MessageId>,
}

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
}

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
    }
}

/// Gmail's `recent:` usernames show the last 30 days again to every client: never delete there.
fn is_recent_mode(username: &str) -> bool {
    username.to_ascii_lowercase().starts_with("recent:")
}

/// Syncs one account: connect, list, plan, fetch (each message committed with its UIDL),
/// delete what is due, QUIT, then record the deletions.
///
/// # Errors
/// A [`SyncError`]; whatever was committed before it stays, and nothing was deleted.
pub async fn sync_account(
    store: &mut Store,
    account: &Account,
    connect: &ConnectOptions,
    on_progress: &mut dyn FnMut(Progress),
) -> Result<SyncReport, SyncError> {
    sync_account_until(
        store,
        account,
        connect,
        on_progress,
        &AtomicBool::new(false),
    )
    .await
}

/// [`sync_account`] that stops early once `cancel` is set: the message being received is
/// dropped, what was committed stays, and nothing is deleted on the server.
///
/// # Errors
/// As [`sync_account`], or [`SyncError::Cancelled`].
pub async fn sync_account_until(
    store: &mut Store,
    account: &Account,
    connect: &ConnectOptions,
    on_progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
) -> Result<SyncReport, SyncError> {
    let mut report = SyncReport::default();
    let rounds = if is_recent_mode(&account.settings.username) {
        MAX_RECENT_ROUNDS
    } else {
        1
    };
    for _ in 0..rounds {
        let before = report.new + report.duplicates;
        sync_session(store, account, connect, on_progress, cancel, &mut report).await?;
        if report.new + report.duplicates == before {
            break;
        }
    }
    Ok(report)
}

async fn sync_session(
    store: &mut Store,
    account: &Account,
    connect: &ConnectOptions,
    on_progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let mut session = Session::connect(connect).await?;
    let listing = list_messages(&mut session).await?;
    let local = local_state(store, account)?;
    let unknown = listing
        .iter()
        .filter(|m| !local.contains_key(&m.uidl))
        .count();
    let local = if !local.is_empty() && unknown * 2 > listing.len() {
        // Most UIDLs changed (a server migration): recognise what we hold by its headers first.
        report.recognised +=
            recognise_by_headers(&mut session, store, account, &listing, &local).await?;
        local_state(store, account)?
    } else {
        local
    };
    let plan = plan::plan(&listing, &local, &policy_of(account), dates::now());
    let mut deletable: Vec<(u32, String)> = plan
        .deletions
        .iter()
        .map(|m| (m.number, m.uidl.clone()))
        .collect();
    let downloaded = download(
        &mut session,
        store,
        account,
        &plan,
        on_progress,
        cancel,
        report,
    )
    .await;
    if cancel.load(Ordering::Relaxed) {
        // Leave without deleting anything; the server keeps every message.
        let _ = session.quit().await;
        return Err(SyncError::Cancelled);
    }
    deletable.extend(downloaded?);

    let numbers: Vec<u32> = deletable.iter().map(|(number, _)| *number).collect();
    let refused = if numbers.is_empty() {
        Vec::new()
    } else {
        session.delete(&numbers).await?
    };
    session.quit().await?;
    // QUIT succeeded: the server has now removed what it accepted DELE for.
    let removed: Vec<String> = deletable
        .into_iter()
        .filter(|(number, _)| !refused.iter().any(|r| r.number == *number))
        .map(|(_, uidl)| uidl)
        .collect();
    report.removed_from_server += removed.len() as u64;
    store.mark_removed_from_server(account.id, &removed)?;
    store.mark_removed_from_server(account.id, &plan.gone_from_server)?;
    Ok(())
}

/// Fetches the plan's downloads (full messages pipelined, then headers-only ones), each
/// committed as it completes. Returns the committed messages that may now be deleted.
async fn download(
    session: &mut Session,
    store: &mut Store,
    account: &Account,
    plan: &plan::Plan,
    on_progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
    report: &mut SyncReport,
) -> Result<Vec<(u32, String)>, SyncError> {
    if plan.downloads.is_empty() {
        return Ok(Vec::new());
    }
    let inbox = store.inbox_of(account.id)?;
    let (full, headers): (Vec<_>, Vec<_>) = plan.downloads.iter().partition(|d| !d.headers_only);
    let total = Progress {
        messages_done: 0,
        messages_total: plan.downloads.len() as u64,
        bytes_done: 0,
        bytes_total: plan.downloads.iter().map(|d| d.message.size).sum(),
        stored: None,
    };
    on_progress(total);
    let mut done = |messages: u64, bytes: u64, stored: Option<MessageId>| {
        on_progress(Progress {
            messages_done: messages,
            bytes_done: bytes,
            stored,
            ..total
        });
    };
    let committer = Committer::start(store, account.id, inbox)?;
    let mut sink = StoreSink::new(committer, expected_for(&plan.downloads), cancel, &mut done);
    let requests: Vec<FetchRequest> = full
        .iter()
        .map(|d| FetchRequest {
            number: d.message.number,
            size: d.message.size,
        })
        .collect();
    let fetched = session.fetch(&requests, &mut sink).await;
    let fetched = match fetched {
        Ok(fetch_report) => {
            let mut heads = Ok(());
            for download in &headers {
                heads = session
                    .top(download.message.number, 0, &mut sink)
                    .await
                    .map(|_| ());
                if heads.is_err() {
                    break;
                }
                report.headers_only += 1;
            }
            heads.map(|()| fetch_report)
        }
        Err(err) => Err(err),
    };
    // Everything handed over is committed (or failed) before anything counts as deletable.
    let commit_result = sink.finish();
    let deletable = collect(&mut sink, report);
    commit_result?;
    let fetch_report = fetched?;
    report.refused.extend(
        fetch_report
            .refused
            .iter()
            .map(|r| format!("message {}: {}", r.number, r.text)),
    );
    Ok(deletable)
}

/// What the sink should expect for each message number.
fn expected_for(downloads: &[plan::Download]) -> HashMap<u32, Expected> {
    downloads
        .iter()
        .map(|d| {
            let expected = Expected {
                uidl: d.message.uidl.clone(),
                size: d.message.size,
                delete_after_commit: d.delete_after_commit,
                headers_only: d.headers_only,
            };
            (d.message.number, expected)
        })
        .collect()
}

/// Moves the sink's counts into the report; returns the committed messages due for deletion.
fn collect(sink: &mut StoreSink<'_>, report: &mut SyncReport) -> Vec<(u32, String)> {
    report.new += sink.stored;
    report.duplicates += sink.duplicates;
    report.bytes += sink.bytes;
    sink.committed
        .drain(..)
        .filter(|(_, _, delete)| *delete)
        .map(|(number, uidl, _)| (number, uidl))
        .collect()
}

fn local_state(
    store: &Store,
    account: &Account,
) -> Result<HashMap<String, LocalMessage>, SyncError> {
    Ok(store
        .pop_records(account.id)?
        .into_iter()
        .map(|record| {
            let local = LocalMessage {
                state: record.state,
                downloaded_at: record.downloaded_at,
                still_stored: record.message_id.is_some(),
            };
            (record.uidl, local)
        })
        .collect())
}
