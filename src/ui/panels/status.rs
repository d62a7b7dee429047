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
    /// `Some(false)` when the last attempt could not reach a server.
    online: Option<bool>,
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
        self.online = Some(true);
    }

    /// An account's sync failed: its banner shows `failure`.
    pub fn failed(&mut self, account: AccountId, failure: Failure) {
        self.running.remove(&account);
        if matches!(
            failure.reason.kind,
            FailureKind::Unreachable | FailureKind::Timeout
        ) {
            self.online = Some(false);
        }
        self.failures.insert(account, failure);
    }

    /// Forgets an account's failure (it is being retried, or its settings were fixed).
    pub fn forget_failure(&mut self, account: AccountId) {
        self.failures.remove(&account);
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
            match self.online {
                Some(true) => {
                    ui.label(RichText::new("• online").color(Color32::from_rgb(40, 150, 60)))
                }
                Some(false) => ui
                    .label(RichText::new("• offline").color(Color32::GRAY))
                    .on_hover_text(
                        "The last sync could not reach the server; your mail is all here.",
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
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(format!("⚠ {name}:")).strong());
                        ui.label(&failure.reason.sentence);
                        if ui.button("Details").clicked() {
                            failure.details_open = !failure.details_open;
                        }
                        if ui.button("Retry").clicked() {
                            commands.push(UiCommand::SyncAccount(*account));
                        }
                        if matches!(
                            failure.reason.kind,
                            FailureKind::WrongPassword | FailureKind::Settings
                        ) && ui.button("Account settings").clicked()
                        {
                            commands.push(UiCommand::EditAccount(*account));
                        }
                        if ui.button("✖").on_hover_text("Dismiss").clicked() {
                            dismissed.push(*account);
                        }
                    });
                    if failure.details_open {
                        ui.label(
                            RichText::new(format!(
                                "At {} · {:?} · nothing was deleted on the server; mail already \
                                 downloaded is safe.",
                                dates::format_local(failure.at, zone),
                                failure.reason.kind
                            ))
                            .small(),
                        );
                    }
                });
        }
        for account in dismissed {
            self.failures.remove(&account);
        }
        self.show_notices(ui, accounts);
    }
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
        Failure {
            reason: SyncFailure {
                kind,
                sentence: "The server did not answer.".to_owned(),
            },
            at: 1,
            details_open: false,
        }
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
            status.online, None,
            "a wrong password says nothing of the network"
        );
        status.failed(account, failure(FailureKind::Timeout));
        assert_eq!(status.online, Some(false));
        assert!(status.failure(account).is_some());

        status.finished(account, Vec::new(), 50);
        assert!(status.failure(account).is_none());
        assert!(!status.has_banners());
        assert_eq!(status.online, Some(true));
        assert_eq!(status.last_synced[&account], 50);
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
