//! Applying a plan: one POP3 session per account. Every message is committed with its UIDL
//! before anything is deleted; deletions take effect at `QUIT`, and only after `QUIT` succeeds
//! are they recorded.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};

use super::committer::{Committer, GroupBounds};
use super::error::SyncError;
use super::identify::{list_messages, recognise_by_headers};
use super::plan::{self, LocalMessage};
use super::policy::{is_recent_mode, max_message_size, policy_of};
use super::report::{Progress, SyncReport};
use super::sink::{Committing, Expected, StoreSink};
use crate::dates;
use crate::pop3::{ConnectOptions, FetchReport, FetchRequest, Pop3Error, Session};
use crate::store::{Account, Store};

/// Most extra sessions a "recent:" (Gmail) account runs while new mail keeps arriving.
const MAX_RECENT_ROUNDS: usize = 20;

/// New sessions started after a message passed the size cap mid-download (the connection is
/// dropped to stop it); each such message is then known by its headers.
const MAX_OVERSIZE_RETRIES: usize = 3;

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
    let mut run = AccountRun {
        store,
        account,
        on_progress,
        cancel,
        report,
    };
    let rounds = if is_recent_mode(&account.settings.username) {
        MAX_RECENT_ROUNDS
    } else {
        1
    };
    let mut oversize_retries = 0;
    let mut round = 0;
    while round < rounds {
        let before = run.report.new + run.report.duplicates;
        match run.session(connect).await {
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
        if run.report.new + run.report.duplicates == before {
            break;
        }
    }
    Ok(())
}

/// A message due for deletion on the server: its number in this session and its UIDL.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Deletable {
    number: u32,
    uidl: String,
}

/// One account's sync while it runs: the store it commits to, whom it tells, when it stops and
/// the report it fills. Every session of the sync shares it.
struct AccountRun<'a> {
    store: &'a mut Store,
    account: &'a Account,
    on_progress: &'a mut dyn FnMut(Progress),
    cancel: &'a AtomicBool,
    report: &'a mut SyncReport,
}

impl AccountRun<'_> {
    /// One POP3 session: list, plan, fetch, delete what is due, QUIT, record the deletions.
    async fn session(&mut self, connect: &ConnectOptions) -> Result<(), SyncError> {
        let mut session = Session::connect(connect).await?;
        let plan = self.plan(&mut session).await?;
        self.store
            .mark_back_on_server(self.account.id, &plan.back_on_server)?;
        let mut deletable: Vec<Deletable> = plan
            .deletions
            .iter()
            .map(|m| Deletable {
                number: m.number,
                uidl: m.uidl.clone(),
            })
            .collect();
        let downloaded = self.download(&mut session, &plan).await;
        if self.cancel.load(Ordering::Relaxed) {
            // Leave without deleting anything; the server keeps every message.
            let _ = session.quit().await;
            return Err(SyncError::Cancelled);
        }
        deletable.extend(downloaded?);

        let numbers: Vec<u32> = deletable.iter().map(|d| d.number).collect();
        let refused = if numbers.is_empty() {
            Vec::new()
        } else {
            session.delete(&numbers).await?
        };
        session.quit().await?;
        // QUIT succeeded: the server has now removed what it accepted DELE for.
        let removed: Vec<String> = deletable
            .into_iter()
            .filter(|d| !refused.iter().any(|r| r.number == d.number))
            .map(|d| d.uidl)
            .collect();
        self.report.removed_from_server += removed.len() as u64;
        let id = self.account.id;
        self.store.mark_removed_from_server(id, &removed)?;
        self.store
            .mark_removed_from_server(id, &plan.gone_from_server)?;
        Ok(())
    }

    /// Lists the server, recognises stored mail after a UIDL reset, and plans the session.
    async fn plan(&mut self, session: &mut Session) -> Result<plan::Plan, SyncError> {
        let (listing, anomalies) = list_messages(session).await?;
        self.report.warn_about_listing(&anomalies);
        let mut local = local_state(self.store, self.account)?;
        if plan::looks_like_uidl_reset(&listing, &local) {
            // The server changed every UIDL (a migration): recognise what we hold first.
            self.report.recognised +=
                recognise_by_headers(session, self.store, self.account, &listing, &local).await?;
            local = local_state(self.store, self.account)?;
        }
        let settings = &self.account.settings;
        let plan = plan::plan(&listing, &local, &policy_of(settings), dates::now());
        self.report.warn_about_ambiguous(plan.ambiguous);
        let cap = max_message_size(settings);
        let over_cap = plan.downloads.iter().filter(|d| d.message.size > cap);
        self.report.warn_about_over_cap(over_cap.count(), cap);
        Ok(plan)
    }

    /// Fetches the plan's downloads (full messages pipelined, then headers-only ones), each
    /// committed as it completes. Returns the committed messages that may now be deleted.
    async fn download(
        &mut self,
        session: &mut Session,
        plan: &plan::Plan,
    ) -> Result<Vec<Deletable>, SyncError> {
        if plan.downloads.is_empty() {
            return Ok(Vec::new());
        }
        let inbox = self.store.inbox_of(self.account.id)?;
        let (full, headers): (Vec<_>, Vec<_>) =
            plan.downloads.iter().partition(|d| !d.headers_only);
        let total = Progress {
            messages_done: 0,
            messages_total: plan.downloads.len() as u64,
            bytes_done: 0,
            bytes_total: plan.downloads.iter().map(|d| d.message.size).sum(),
            stored: None,
        };
        (self.on_progress)(total);
        let on_progress = &mut *self.on_progress;
        let mut done = |step: Committing| {
            on_progress(Progress {
                messages_done: step.messages,
                bytes_done: step.bytes,
                stored: step.stored,
                ..total
            });
        };
        let committer = Committer::start(self.store, self.account.id, inbox, GroupBounds::DEFAULT)?;
        let expected = expected_for(&plan.downloads);
        let mut sink = StoreSink::new(committer, expected, self.cancel, &mut done);
        let fetched = fetch_into(session, &mut sink, &full, &headers, self.report).await;
        // Everything handed over is committed (or failed) before anything counts as deletable.
        let commit_result = sink.finish();
        self.report.add_sink_counts(&mut sink);
        let deletable = deletable(&mut sink);
        commit_result?;
        self.report.refused.extend(
            fetched?
                .refused
                .iter()
                .map(|r| format!("message {}: {}", r.number, r.text)),
        );
        Ok(deletable)
    }
}

/// Fetches `full` messages pipelined, then the headers of `headers` (`TOP n 0`), into `sink`;
/// counts each headers-only message in `report` as it arrives.
async fn fetch_into(
    session: &mut Session,
    sink: &mut StoreSink<'_>,
    full: &[&plan::Download],
    headers: &[&plan::Download],
    report: &mut SyncReport,
) -> Result<FetchReport, Pop3Error> {
    let requests: Vec<FetchRequest> = full
        .iter()
        .map(|d| FetchRequest {
            number: d.message.number,
            size: d.message.size,
        })
        .collect();
    let fetched = session.fetch(&requests, sink).await?;
    for download in headers {
        session.top(download.message.number, 0, sink).await?;
        report.headers_only += 1;
    }
    Ok(fetched)
}

/// The committed messages the sink found due for deletion.
fn deletable(sink: &mut StoreSink<'_>) -> Vec<Deletable> {
    sink.committed
        .drain(..)
        .filter(|recorded| recorded.deletable)
        .map(|recorded| Deletable {
            number: recorded.number,
            uidl: recorded.uidl,
        })
        .collect()
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
