//! `satchel sync [--account NAME] [--json]`: every account in parallel, one failing does not
//! stop the others; exit code 0 only when all synced.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::account::password_for;
use super::{count_of, one_line};
use crate::secrets::Secrets;
use crate::store::{Account, Store};
use crate::sync::prepare::prepare_session;
use crate::sync::run::sync_account_into;
use crate::sync::{Progress, SyncError, SyncReport};

/// Arguments of `satchel sync`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this account (default: all).
    #[arg(long)]
    account: Option<String>,
    /// One JSON object per account.
    #[arg(long)]
    json: bool,
    /// Read the password (or token) from standard input for this sync only (needs --account).
    #[arg(long, requires = "account")]
    password_stdin: bool,
}

impl Args {
    /// The account asked for, if only one.
    pub(super) fn account(&self) -> Option<&str> {
        self.account.as_deref()
    }
}

/// One account's result as printed with `--json`.
#[derive(Serialize)]
struct JsonResult<'a> {
    account: &'a str,
    ok: bool,
    new: u64,
    skipped: u64,
    recognised: u64,
    headers_only: u64,
    removed_from_server: u64,
    bytes: u64,
    /// Store commits (one fsync each) the downloads took.
    commits: u64,
    refused: Vec<String>,
    warnings: Vec<String>,
    error: Option<String>,
}

pub(super) fn run(store: &Store, secrets: &Secrets, args: &Args) -> anyhow::Result<()> {
    let accounts = match &args.account {
        Some(name) => vec![store.account_by_name(name)?],
        None => store.accounts()?,
    };
    if accounts.is_empty() {
        anyhow::bail!(
            "no accounts; add one with `satchel account add NAME --host HOST --email ADDRESS --password-stdin`"
        );
    }
    let progress_line = std::io::stderr().is_terminal() && !args.json;
    let board = Arc::new(Mutex::new(Board::default()));
    let mut results: Vec<Outcome> = Vec::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = accounts
            .iter()
            .map(|account| {
                let password = password_for(secrets, &account.name, args.password_stdin);
                let board = Arc::clone(&board);
                let path = store.path().to_owned();
                scope.spawn(move || {
                    let (report, result) = match password {
                        Ok(password) => sync_one(&path, account, password, &board, progress_line),
                        Err(_) => (
                            SyncReport::default(),
                            Err(SyncError::NoPassword(account.name.clone())),
                        ),
                    };
                    (account.name.clone(), report, result)
                })
            })
            .collect();
        for handle in handles {
            results.push(handle.join().unwrap_or_else(|_| {
                (
                    "?".to_owned(),
                    SyncReport::default(),
                    Err(SyncError::Settings(
                        "the sync thread stopped unexpectedly".to_owned(),
                    )),
                )
            }));
        }
    });
    if progress_line {
        eprint!("\r\x1b[K");
    }
    // The store file holds the mail once the run ends (a copy of it alone is a whole store).
    if let Err(err) = store.checkpoint() {
        tracing::warn!(error = %err, "cannot checkpoint the store after the sync");
    }
    report(&results, args.json)
}

/// One account's name, what its sync did (also when it failed) and how it ended.
type Outcome = (String, SyncReport, Result<(), SyncError>);

fn sync_one(
    path: &Path,
    account: &Account,
    password: String,
    board: &Mutex<Board>,
    progress_line: bool,
) -> (SyncReport, Result<(), SyncError>) {
    let mut report = SyncReport::default();
    // Each account gets its own connection: SQLite serialises their short commits.
    let (mut store, connect, runtime) = match prepare_session(path, account, password) {
        Ok(session) => session,
        Err(err) => return (report, Err(err)),
    };
    let mut on_progress = |progress: Progress| {
        if progress_line && let Ok(mut board) = board.lock() {
            board.update(&account.name, progress);
        }
    };
    let result = runtime.block_on(sync_account_into(
        &mut store,
        account,
        &connect,
        &mut on_progress,
        &AtomicBool::new(false),
        &mut report,
    ));
    (report, result)
}

fn report(results: &[Outcome], json: bool) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut total = SyncReport::default();
    let mut failures = Vec::new();
    for (name, report, result) in results {
        // What was stored counts, also when the sync failed afterwards.
        add_counts(&mut total, report);
        let error = result.as_ref().err().map(|err| err.sentence_for(name));
        if json {
            serde_json::to_writer(&mut out, &json_result(name, report, error.clone()))?;
            writeln!(out)?;
        } else {
            write_account(&mut out, name, report, error.as_deref())?;
        }
        if let Some(sentence) = error {
            failures.push(format!("{name}: {}", one_line(&sentence)));
        }
    }
    if !json {
        writeln!(
            out,
            "synced {} of {}: {}, {} failed",
            results.len() - failures.len(),
            count_of(results.len() as u64, "account"),
            summary(&total),
            failures.len()
        )?;
    }
    // The reasons, once, on stderr (stdout keeps the per-account report).
    if !failures.is_empty() {
        anyhow::bail!(
            "{} to sync: {}",
            if failures.len() == 1 {
                "1 account failed".to_owned()
            } else {
                format!("{} accounts failed", failures.len())
            },
            failures.join("; ")
        );
    }
    Ok(())
}

/// Adds one account's stored counts to the run's total.
fn add_counts(total: &mut SyncReport, report: &SyncReport) {
    total.new += report.new;
    total.duplicates += report.duplicates;
    total.recognised += report.recognised;
    total.headers_only += report.headers_only;
    total.removed_from_server += report.removed_from_server;
}

/// One account's lines of the text report: its summary or failure, refusals and notes.
fn write_account(
    out: &mut impl Write,
    name: &str,
    report: &SyncReport,
    error: Option<&str>,
) -> std::io::Result<()> {
    match error {
        None => writeln!(out, "{name}: {}", summary(report))?,
        Some(sentence) if report.new > 0 => {
            writeln!(out, "{name}: failed after {}: {sentence}", summary(report))?;
        }
        Some(sentence) => writeln!(out, "{name}: failed: {sentence}")?,
    }
    for refusal in &report.refused {
        writeln!(
            out,
            "{name}: the server refused {}; it stays on the server and the next sync asks again",
            one_line(refusal)
        )?;
    }
    for warning in &report.warnings {
        writeln!(out, "{name}: note: {}", one_line(warning))?;
    }
    Ok(())
}

/// "3 new, 35 identical to mail already stored (kept once), 0 removed from server".
fn summary(report: &SyncReport) -> String {
    let mut parts = vec![format!("{} new", report.new)];
    if report.duplicates > 0 {
        parts.push(format!(
            "{} identical to mail already stored (kept once)",
            report.duplicates
        ));
    }
    if report.recognised > 0 {
        parts.push(format!(
            "{} recognised as mail already stored",
            report.recognised
        ));
    }
    parts.push(format!(
        "{} removed from server",
        report.removed_from_server
    ));
    let mut text = parts.join(", ");
    if report.headers_only > 0 {
        let _ = write!(text, " ({} headers only)", report.headers_only);
    }
    text
}

fn json_result<'a>(name: &'a str, report: &SyncReport, error: Option<String>) -> JsonResult<'a> {
    JsonResult {
        account: name,
        ok: error.is_none(),
        new: report.new,
        skipped: report.duplicates,
        recognised: report.recognised,
        headers_only: report.headers_only,
        removed_from_server: report.removed_from_server,
        bytes: report.bytes,
        commits: report.commits,
        refused: report.refused.iter().map(|text| one_line(text)).collect(),
        warnings: report.warnings.iter().map(|text| one_line(text)).collect(),
        error,
    }
}

/// The progress line: every account's messages and bytes, redrawn at most ten times a second.
#[derive(Default)]
struct Board {
    accounts: BTreeMap<String, Progress>,
    drawn: Option<Instant>,
}

impl Board {
    fn update(&mut self, name: &str, progress: Progress) {
        self.accounts.insert(name.to_owned(), progress);
        if self
            .drawn
            .is_some_and(|at| at.elapsed() < Duration::from_millis(100))
        {
            return;
        }
        self.drawn = Some(Instant::now());
        let line: Vec<String> = self
            .accounts
            .iter()
            .map(|(name, p)| {
                format!(
                    "{name} {}/{} messages, {:.1}/{:.1} MB",
                    p.messages_done,
                    p.messages_total,
                    megabytes(p.bytes_done),
                    megabytes(p.bytes_total)
                )
            })
            .collect();
        eprint!("\r\x1b[K{}", line.join(" · "));
        let _ = std::io::stderr().flush();
    }
}

#[expect(clippy::cast_precision_loss, reason = "shown with one decimal")]
fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / 1_000_000.0
}
