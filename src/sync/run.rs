//! Applying a plan: one POP3 session per account. Every message is committed with its UIDL
//! before anything is deleted; deletions take effect at `QUIT`, and only after `QUIT` succeeds
//! are they recorded.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use super::committer::Committer;
use super::identify::{list_messages, recognise_by_headers};
use super::plan::{self, LocalMessage};
use super::sink::{Expected, StoreSink};
use crate::dates;
use crate::model::MessageId;
use crate::pop3::{ConnectOptions, FetchRequest, ListingAnomaly, Pop3Error, Session};
use crate::store::{Account, Store, StoreError};

/// Most extra sessions a "recent:" (Gmail) account runs while new mail keeps arriving.
const MAX_RECENT_ROUNDS: usize = 20;

/// New sessions started after a message passed the size cap mid-download (the connection is
/// dropped to stop it); each such message is then known by its headers.
const MAX_OVERSIZE_RETRIES: usize = 3;

/// Most listing problems of one kind spelled out in a report; the rest are counted.
const MAX_WARNINGS_PER_KIND: usize = 5;

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
    /// Of `new`, messages that arrived shorter than the server announced (kept on the server).
    pub incomplete: u64,
    /// What the server did that Satchel worked around, one sentence each, for the user.
    pub warnings: Vec<String>,
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

use super::setup::is_recent_mode;
pub use super::setup::{
    SyncOptions, connect_options, credentials, max_message_size, policy_of, prepare_session,
    session_runtime,
};

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
    sync_account_into(store, account, connect, on_progress, cancel, &mut report).await?;
    Ok(report)
}

/// [`sync_account_until`] that fills `report` as it goes, so a failed sync still tells what it
/// stored before it failed.
///
/// # Errors
/// As [`sync_account_until`]; `report` then holds what was done before the failure.
pub async fn sync_account_into(
    store: &mut Store,
    account: &Account,
    connect: &ConnectOptions,
    on_progress: &mut dyn FnMut(Progress),
    cancel: &AtomicBool,
    report: &mut SyncReport,
) -> Result<(), SyncError> {
    let rounds = if is_recent_mode(&account.settings.username) {
        MAX_RECENT_ROUNDS
    } else {
        1
    };
    let mut oversize_retries = 0;
    let mut round = 0;
    while round < rounds {
        let before = report.new + report.duplicates;
        match sync_session(store, account, connect, on_progress, cancel, report).await {
            // Its headers are kept now, so a new session goes past it.
            Err(SyncError::Pop3(Pop3Error::MessageTooLarge { .. }))
                if oversize_retries < MAX_OVERSIZE_RETRIES =>
            {
                oversize_retries += 1;
                continue;
            }
            result => result?,
        }
        round += 1;
        if report.new + report.duplicates == before {
            break;
        }
    }
    Ok(())
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
    let (listing, anomalies) = list_messages(&mut session).await?;
    warn_about_listing(&anomalies, report);
    let local = local_state(store, account)?;
    let local = if plan::looks_like_uidl_reset(&listing, &local) {
        // The server changed every UIDL (a migration): recognise what we hold before fetching.
        report.recognised +=
            recognise_by_headers(&mut session, store, account, &listing, &local).await?;
        local_state(store, account)?
    } else {
        local
    };
    let plan = plan::plan(&listing, &local, &policy_of(account), dates::now());
    if plan.ambiguous > 0 {
        report.warnings.push(format!(
            "this server's message ids are not unique ({} messages share an id): they are \
             downloaded and kept on the server",
            plan.ambiguous
        ));
    }
    let cap = max_message_size(account);
    let over_cap = plan
        .downloads
        .iter()
        .filter(|d| d.message.size > cap)
        .count();
    if over_cap > 0 {
        let (count, noun) = if over_cap == 1 {
            ("1 message is".to_owned(), "it")
        } else {
            (format!("{over_cap} messages are"), "them")
        };
        report.warnings.push(format!(
            "{count} larger than this account's limit of {} MiB: only the headers were \
             downloaded, and the server keeps {noun}",
            cap >> 20
        ));
    }
    store.mark_back_on_server(account.id, &plan.back_on_server)?;
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

/// Tells the user, once per kind, what in the listing broke RFC 1939.
fn warn_about_listing(anomalies: &[ListingAnomaly], report: &mut SyncReport) {
    let skipped: Vec<&ListingAnomaly> = anomalies.iter().filter(|a| a.skipped()).collect();
    report.warnings.extend(
        skipped
            .iter()
            .take(MAX_WARNINGS_PER_KIND)
            .map(ToString::to_string),
    );
    if skipped.len() > MAX_WARNINGS_PER_KIND {
        report.warnings.push(format!(
            "{} more messages were skipped for the same reasons",
            skipped.len() - MAX_WARNINGS_PER_KIND
        ));
    }
    if let Some(first) = anomalies.iter().find(|a| !a.skipped()) {
        let count = anomalies.iter().filter(|a| !a.skipped()).count();
        report.warnings.push(if count == 1 {
            first.to_string()
        } else {
            format!("{count} of the server's message ids break RFC 1939 (spaces, control characters or too long); Satchel keeps each whole, as a digest")
        });
    }
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
                ambiguous: d.ambiguous,
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
    for number in sink.too_large.drain(..) {
        report.headers_only += 1;
        report.warnings.push(format!(
            "message {number} is larger than the server announced and than this account's \
             limit: only its headers were kept, and the server keeps the message"
        ));
    }
    report.incomplete += sink.incomplete.len() as u64;
    for (number, received, announced) in sink.incomplete.drain(..) {
        report.warnings.push(format!(
            "message {number} arrived shorter than the server announced ({received} of \
             {announced} bytes): stored as incomplete and kept on the server"
        ));
    }
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
                size: record.size,
            };
            (record.uidl, local)
        })
        .collect())
}
