//! Sync status for the top bar and the error banners: per-account progress, the last sync time,
//! an online/offline hint, and failures with Details and Retry.

use std::collections::{BTreeMap, BTreeSet};

use egui::{Color32, RichText};

use crate::dates::{self, TimeZone};
use crate::model::AccountId;
use crate::store::Account;
use crate::sync::Progress;
use crate::sync::explain::{FailureKind, SyncFailure};
use crate::ui::command::UiCommand;
use crate::ui::helpers::format;

/// A failed sync, as a banner shows it.
#[derive(Debug, Clone)]
pub struct Failure {
    /// What went wrong, and what kind of problem it is.
    pub reason: SyncFailure,
    /// When it happened (Unix seconds).
    pub at: i64,
    /// The Details section is open.
    pub details_open: bool,
    /// Retry was pressed: a new attempt is on its way (the banner says so until it ends).
    pub retrying: bool,
}

impl Failure {
    /// A failure that happened at `at`, with Details closed.
    #[must_use]
    pub fn new(reason: SyncFailure, at: i64) -> Self {
        Self {
            reason,
            at,
            details_open: false,
            retrying: false,
        }
    }
}

/// What the window knows about each account's syncing.
#[derive(Debug, Default)]
pub struct SyncStatus {
    /// Accounts syncing now, with their latest progress.
    running: BTreeMap<AccountId, Option<Progress>>,
    /// When each account last synced successfully.
    last_synced: BTreeMap<AccountId, i64>,
    /// The last failure of each account, until it syncs again or is dismissed.
    failures: BTreeMap<AccountId, Failure>,
    /// Whether each account's last attempt reached its server.
    reachable: BTreeMap<AccountId, bool>,
    /// What each account's last sync worked around (a server's broken ids, a message cut
    /// short), shown once until dismissed.
    notices: BTreeMap<AccountId, Vec<String>>,
    /// Notices the user dismissed: the same sentence is not shown again this run.
    dismissed_notices: BTreeSet<String>,
}

impl SyncStatus {
    /// An account's sync started (`None`) or got this far.
    pub fn progress(&mut self, account: AccountId, progress: Option<Progress>) {
        self.running.insert(account, progress);
    }

    /// An account synced at `at` (Unix seconds): its failure is forgotten, the server was
    /// reachable, and what the sync worked around is kept to show.
    pub fn finished(&mut self, account: AccountId, warnings: Vec<String>, at: i64) {
        self.record_notices(account, warnings);
        self.running.remove(&account);
        self.failures.remove(&account);
        self.last_synced.insert(account, at);
        self.reachable.insert(account, true);
    }

    /// An account's sync failed: its banner shows `failure`.
    pub fn failed(&mut self, account: AccountId, failure: Failure) {
        self.running.remove(&account);
        // Only a failure that says whether the server answered counts for online/offline.
        match failure.reason.kind {
            FailureKind::Unreachable | FailureKind::Timeout => {
                self.reachable.insert(account, false);
            }
            FailureKind::WrongPassword
            | FailureKind::CertificateNotTrusted(_)
            | FailureKind::MailboxInUse => {
                self.reachable.insert(account, true);
            }
            FailureKind::DiskFull
            | FailureKind::Settings
            | FailureKind::Runtime
            | FailureKind::Other => {}
        }
        self.failures.insert(account, failure);
    }

    /// Forgets an account's failure (its settings were fixed).
    pub fn forget_failure(&mut self, account: AccountId) {
        self.failures.remove(&account);
    }

    /// Retry was pressed: the banner stays, saying a new attempt is on its way, until that
    /// attempt succeeds or fails.
    pub fn retrying(&mut self, account: AccountId) {
        if let Some(failure) = self.failures.get_mut(&account) {
            failure.retrying = true;
            failure.details_open = false;
        }
    }

    /// Forgets everything about accounts that are no longer there (removed): their banners,
    /// notices, progress and reachability.
    pub fn keep_only(&mut self, accounts: &[Account]) {
        let kept: BTreeSet<AccountId> = accounts.iter().map(|account| account.id).collect();
        self.running.retain(|id, _| kept.contains(id));
        self.last_synced.retain(|id, _| kept.contains(id));
        self.failures.retain(|id, _| kept.contains(id));
        self.reachable.retain(|id, _| kept.contains(id));
        self.notices.retain(|id, _| kept.contains(id));
    }

    /// `Some(false)` ("offline") only when no account's server could be reached at its last
    /// attempt; `Some(true)` when one could; `None` before any attempt ended.
    #[must_use]
    pub fn online(&self) -> Option<bool> {
        if self.reachable.is_empty() {
            None
        } else {
            Some(self.reachable.values().any(|reached| *reached))
        }
    }

    /// True while any account syncs.
    #[must_use]
    pub fn is_syncing(&self) -> bool {
        !self.running.is_empty()
    }

    /// True when a failure or notice banner is to be shown.
    #[must_use]
    pub fn has_banners(&self) -> bool {
        !self.failures.is_empty() || !self.notices.is_empty()
    }

    /// The failure an account's banner shows.
    #[must_use]
    pub fn failure(&self, account: AccountId) -> Option<&Failure> {
        self.failures.get(&account)
    }

    /// Keeps the warnings of a finished sync that the user has not dismissed yet.
    pub fn record_notices(&mut self, account: AccountId, warnings: Vec<String>) {
        let fresh: Vec<String> = warnings
            .into_iter()
            .filter(|warning| !self.dismissed_notices.contains(warning))
            .collect();
        if fresh.is_empty() {
            self.notices.remove(&account);
        } else {
            self.notices.insert(account, fresh);
        }
    }

    /// Draws one notice banner per account whose last sync worked around the server.
    fn show_notices(&mut self, ui: &mut egui::Ui, accounts: &[Account]) {
        let mut dismissed = Vec::new();
        for (account, notices) in &self.notices {
            let name = account_name(accounts, *account);
            egui::Frame::new()
                .fill(ui.visuals().warn_fg_color.gamma_multiply(0.12))
                .inner_margin(6.0)
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(format!("ℹ {name}:")).strong());
                        ui.label(notices.join(" · "));
                        if ui.button("✖").on_hover_text("Dismiss").clicked() {
                            dismissed.push(*account);
                        }
                    });
                });
        }
        for account in dismissed {
            if let Some(notices) = self.notices.remove(&account) {
                self.dismissed_notices.extend(notices);
            }
        }
    }

    /// Draws each running sync as a small bar with its whole sentence beside it, else the last-sync
    /// time and the online hint (the status bar's right-hand part).
    pub fn show_progress(&self, ui: &mut egui::Ui, accounts: &[Account], zone: &TimeZone) {
        for (account, progress) in &self.running {
            let (fraction, text) = match progress {
                Some(progress) if progress.messages_total > 0 => {
                    #[expect(clippy::cast_precision_loss, reason = "a fraction for a progress bar")]
                    let fraction = progress.messages_done as f32 / progress.messages_total as f32;
                    (
                        fraction,
                        format!(
                            "{}: {}/{} messages, {} of {}",
                            account_name(accounts, *account),
                            progress.messages_done,
                            progress.messages_total,
                            format::size(progress.bytes_done),
                            format::size(progress.bytes_total)
                        ),
                    )
                }
                _ => (
                    0.0,
                    format!("{}: checking…", account_name(accounts, *account)),
                ),
            };
            ui.add(egui::ProgressBar::new(fraction).desired_width(80.0));
            ui.label(text);
        }
        if self.running.is_empty() {
            if let Some(last) = self.last_synced.values().max() {
                ui.label(
                    RichText::new(format!("Synced {}", format::ago(*last, dates::now(), zone)))
                        .weak(),
                );
            }
            match self.online() {
                Some(true) => {
                    ui.label(RichText::new("• online").color(Color32::from_rgb(40, 150, 60)))
                }
                Some(false) => ui
                    .label(RichText::new("• offline").color(Color32::GRAY))
                    .on_hover_text(
                        "No server could be reached at the last sync; your mail is all here.",
                    ),
                None => ui.label(""),
            };
        }
    }

    /// Draws one banner per failed account.
    pub fn show_banners(
        &mut self,
        ui: &mut egui::Ui,
        accounts: &[Account],
        zone: &TimeZone,
        commands: &mut Vec<UiCommand>,
    ) {
        let mut dismissed = Vec::new();
        for (account, failure) in &mut self.failures {
            let name = account_name(accounts, *account);
            egui::Frame::new()
                .fill(ui.visuals().error_fg_color.gamma_multiply(0.15))
                .inner_margin(6.0)
                .show(ui, |ui| {
                    if failure_banner(ui, &name, failure, *account, commands) {
                        dismissed.push(*account);
                    }
                    if failure.details_open {
                        failure_details(ui, failure, zone);
                    }
                });
        }
        for account in dismissed {
            self.failures.remove(&account);
        }
        self.show_notices(ui, accounts);
    }
}

/// One failure's line: the sentence, Details, Retry (or "Retrying…"), Account settings where
/// the fix is there, and dismiss. Returns whether it was dismissed.
fn failure_banner(
    ui: &mut egui::Ui,
    name: &str,
    failure: &mut Failure,
    account: AccountId,
    commands: &mut Vec<UiCommand>,
) -> bool {
    let mut dismissed = false;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("⚠ {name}:")).strong());
        ui.label(&failure.reason.sentence);
        if ui.button("Details").clicked() {
            failure.details_open = !failure.details_open;
        }
        if failure.retrying {
            ui.spinner();
            ui.label("Retrying…");
        } else if ui.button("Retry").clicked() {
            commands.push(UiCommand::SyncAccount(account));
        }
        if matches!(
            failure.reason.kind,
            FailureKind::WrongPassword | FailureKind::Settings
        ) && ui.button("Account settings").clicked()
        {
            commands.push(UiCommand::EditAccount(account));
        }
        dismissed = ui.button("✖").on_hover_text("Dismiss").clicked();
    });
    dismissed
}

/// What exactly happened (the server's reply or the system's error) and when.
fn failure_details(ui: &mut egui::Ui, failure: &Failure, zone: &TimeZone) {
    ui.label(RichText::new(&failure.reason.detail).small().monospace());
    ui.label(
        RichText::new(format!(
            "At {}. Nothing was deleted on the server; mail already downloaded is safe.",
            dates::format_local(failure.at, zone)
        ))
        .small(),
    );
}

/// The account's name for messages, or its id when it is gone.
fn account_name(accounts: &[Account], id: AccountId) -> String {
    accounts
        .iter()
        .find(|account| account.id == id)
        .map_or_else(|| id.to_string(), |account| account.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(kind: FailureKind) -> Failure {
        Failure::new(
            SyncFailure {
                kind,
                sentence: "The server did not answer.".to_owned(),
                detail: "connection refused".to_owned(),
            },
            1,
        )
    }

    #[test]
    fn a_failure_stays_until_the_account_syncs_and_only_unreachable_means_offline() {
        let mut status = SyncStatus::default();
        let account = AccountId(1);
        status.progress(account, None);
        assert!(status.is_syncing());
        status.failed(account, failure(FailureKind::WrongPassword));
        assert!(!status.is_syncing() && status.has_banners());
        assert_eq!(
            status.online(),
            Some(true),
            "a wrong password means the server answered"
        );
        status.failed(account, failure(FailureKind::Timeout));
        assert_eq!(status.online(), Some(false));
        assert!(status.failure(account).is_some());
        let other = AccountId(2);
        status.failed(other, failure(FailureKind::Settings));
        assert_eq!(
            status.online(),
            Some(false),
            "no saved password says nothing of the network"
        );
        status.forget_failure(other);

        status.finished(account, Vec::new(), 50);
        assert!(status.failure(account).is_none());
        assert!(!status.has_banners());
        assert_eq!(status.online(), Some(true));
        assert_eq!(status.last_synced[&account], 50);
    }

    #[test]
    fn offline_only_when_no_server_was_reached() {
        let mut status = SyncStatus::default();
        let (home, work) = (AccountId(1), AccountId(2));
        assert_eq!(status.online(), None, "nothing tried yet");
        status.failed(home, failure(FailureKind::Unreachable));
        assert_eq!(status.online(), Some(false));
        status.finished(work, Vec::new(), 10);
        assert_eq!(status.online(), Some(true), "one server answered");
        status.failed(work, failure(FailureKind::Timeout));
        assert_eq!(status.online(), Some(false), "now neither did");
    }

    #[test]
    fn a_removed_account_takes_its_banner_and_notices_with_it() {
        let mut status = SyncStatus::default();
        let (home, work) = (AccountId(1), AccountId(2));
        status.failed(home, failure(FailureKind::WrongPassword));
        status.failed(work, failure(FailureKind::WrongPassword));
        status.record_notices(home, vec!["ids are not unique".to_owned()]);
        let kept = Account {
            id: work,
            name: "work".to_owned(),
            settings: crate::store::AccountSettings::default(),
        };
        status.keep_only(std::slice::from_ref(&kept));
        assert!(status.failure(home).is_none() && status.failure(work).is_some());
        assert!(status.notices.is_empty());
    }

    #[test]
    fn retrying_keeps_the_banner_until_the_attempt_ends() {
        let mut status = SyncStatus::default();
        let account = AccountId(1);
        status.failed(account, failure(FailureKind::Unreachable));
        status.retrying(account);
        assert!(status.failure(account).is_some_and(|shown| shown.retrying));
        status.failed(account, failure(FailureKind::Unreachable));
        assert!(
            status.failure(account).is_some_and(|shown| !shown.retrying),
            "failed again: Retry is offered again"
        );
    }

    #[test]
    fn a_dismissed_notice_is_not_shown_again_but_a_new_one_is() {
        let mut status = SyncStatus::default();
        let account = AccountId(1);
        status.record_notices(account, vec!["ids are not unique".to_owned()]);
        assert_eq!(status.notices[&account], ["ids are not unique"]);
        let notices = status.notices.remove(&account).unwrap_or_default();
        status.dismissed_notices.extend(notices);
        status.record_notices(account, vec!["ids are not unique".to_owned()]);
        assert!(status.notices.is_empty(), "told once");
        status.record_notices(
            account,
            vec![
                "ids are not unique".to_owned(),
                "message 3 arrived short".to_owned(),
            ],
        );
        assert_eq!(status.notices[&account], ["message 3 arrived short"]);
        status.record_notices(account, Vec::new());
        assert!(status.notices.is_empty());
    }
}
