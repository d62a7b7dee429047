//! Syncs the user asked for (Sync, Retry) and how they ended: a failure becomes the account's
//! banner, never a form that opens by itself; a sync that was asked for says what it brought,
//! "No new mail" included.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::SatchelApp;
use crate::dates;
use crate::model::AccountId;
use crate::store::ServerCopies;
use crate::sync::SyncReport;
use crate::sync::explain::SyncFailure;
use crate::sync::worker::SyncCommand;
use crate::ui::panels::status::Failure;
use crate::wording::count_of;

/// Syncs the user asked for, until each has ended; then one sentence says how they went.
#[derive(Debug, Default)]
pub(super) struct AskedSyncs {
    /// Each account asked for, with its sentence once it has finished (`None` while it runs).
    accounts: BTreeMap<AccountId, Option<String>>,
}

impl AskedSyncs {
    /// The user asked for these accounts to sync.
    fn ask(&mut self, accounts: impl IntoIterator<Item = AccountId>) {
        for account in accounts {
            self.accounts.insert(account, None);
        }
    }

    /// An account ended: `said` is its sentence (`None` when its banner speaks instead). Returns
    /// the sentence for all the accounts asked for once none is still running.
    fn ended(&mut self, account: AccountId, said: Option<String>) -> Option<String> {
        match said {
            Some(sentence) => *self.accounts.get_mut(&account)? = Some(sentence),
            None => {
                self.accounts.remove(&account)?;
            }
        }
        if self.accounts.values().any(Option::is_none) {
            return None;
        }
        let sentences: Vec<String> = std::mem::take(&mut self.accounts)
            .into_values()
            .flatten()
            .collect();
        (!sentences.is_empty()).then(|| sentences.join(" · "))
    }
}

/// What a sync the user asked for brought, for `name` when several accounts are told at once;
/// why the server can list more messages than the store shows.
fn outcome(name: Option<&str>, report: &SyncReport, copies: Option<ServerCopies>) -> String {
    let brought = if report.new == 0 {
        "No new mail".to_owned()
    } else {
        count_of(report.new, "new message")
    };
    let mut sentence = match name {
        Some(name) => format!("{name}: {brought}."),
        None => format!("{brought}."),
    };
    if let Some(copies) = copies.filter(|copies| copies.identical_copies() > 0) {
        let why = match copies.identical_copies() {
            1 => "one is an identical copy of another, kept once".to_owned(),
            many => format!("{many} are identical copies of others, kept once"),
        };
        let _ = write!(
            sentence,
            " {} on the server are {} here: {why}.",
            count_of(copies.on_server, "message"),
            copies.stored,
        );
    }
    sentence
}

impl SatchelApp {
    /// Sync (the button, F5): every account, told when all have ended.
    pub(super) fn sync_all(&mut self) {
        let accounts = self.mailboxes.accounts().iter().map(|account| account.id);
        self.asked.ask(accounts);
        for account in self.mailboxes.accounts().iter().map(|account| account.id) {
            self.status.retrying(account);
        }
        self.background.sync(SyncCommand::SyncAll);
    }

    /// Syncs one account now (a banner's Retry): the banner says a new attempt is on its way
    /// until it ends.
    pub(super) fn sync_account(&mut self, account: AccountId) {
        self.asked.ask([account]);
        self.status.retrying(account);
        self.background.sync(SyncCommand::SyncAccount(account));
    }

    /// An account synced: its banner goes, and a sync the user asked for says what it brought.
    pub(super) fn sync_finished(&mut self, account: AccountId, report: &SyncReport) {
        self.status
            .finished(account, report.warnings.clone(), dates::now());
        let several = self.mailboxes.accounts().len() > 1;
        let name = self
            .mailboxes
            .account(account)
            .map(|found| found.name.clone());
        let copies = self.store.server_copies(account).ok();
        let sentence = outcome(name.as_deref().filter(|_| several), report, copies);
        if let Some(told) = self.asked.ended(account, Some(sentence)) {
            self.feedback.tell(told);
        }
        self.refresh_after_change();
    }

    /// An account's sync failed: its banner says why (with Account settings when the fix is
    /// there); only an untrusted certificate asks at once, as it can be trusted there.
    pub(super) fn sync_failed(&mut self, account: AccountId, failure: SyncFailure) {
        self.dialogs
            .sync_failed(account, self.mailboxes.account(account), &failure.kind);
        self.status
            .failed(account, Failure::new(failure, dates::now()));
        if let Some(told) = self.asked.ended(account, None) {
            self.feedback.tell(told);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(new: u64) -> SyncReport {
        SyncReport {
            new,
            ..SyncReport::default()
        }
    }

    #[test]
    fn one_sentence_once_every_account_asked_for_has_ended() {
        let mut asked = AskedSyncs::default();
        let (home, work) = (AccountId(1), AccountId(2));
        asked.ask([home, work]);
        assert_eq!(
            asked.ended(home, Some("home: No new mail.".to_owned())),
            None
        );
        assert_eq!(
            asked.ended(work, Some("work: 2 new messages.".to_owned())),
            Some("home: No new mail. · work: 2 new messages.".to_owned())
        );
        assert_eq!(
            asked.ended(work, Some("again".to_owned())),
            None,
            "a sync nobody asked for (the timer) says nothing"
        );
        asked.ask([home, work]);
        assert_eq!(asked.ended(home, None), None, "its banner speaks");
        assert_eq!(
            asked.ended(work, Some("work: No new mail.".to_owned())),
            Some("work: No new mail.".to_owned())
        );
    }

    #[test]
    fn the_outcome_says_no_new_mail_and_why_the_server_lists_more() {
        assert_eq!(outcome(None, &report(0), None), "No new mail.");
        assert_eq!(
            outcome(Some("work"), &report(3), None),
            "work: 3 new messages."
        );
        let copies = ServerCopies {
            on_server: 504,
            stored: 462,
        };
        assert_eq!(
            outcome(None, &report(0), Some(copies)),
            "No new mail. 504 messages on the server are 462 here: 42 are identical copies \
             of others, kept once."
        );
        let same = ServerCopies {
            on_server: 5,
            stored: 5,
        };
        assert_eq!(outcome(None, &report(1), Some(same)), "1 new message.");
        let one = ServerCopies {
            on_server: 6,
            stored: 5,
        };
        assert!(
            outcome(None, &report(0), Some(one))
                .ends_with("are 5 here: one is an identical copy of another, kept once.")
        );
    }
}
