//! The settings window's requests: save, test or remove an account, and pin a certificate.

use super::SatchelApp;
use crate::errors::one_line;
use crate::model::AccountId;
use crate::sync::worker::{AccountDraft, SyncCommand};
use crate::ui::dialogs::account_form::{Field, TestState};
use crate::ui::dialogs::certificate::CertificateFor;
use crate::ui::dialogs::settings::SettingsAction;

impl SatchelApp {
    pub(super) fn settings_action(&mut self, action: SettingsAction) {
        match action {
            SettingsAction::SaveAccount => self.save_account(),
            SettingsAction::TestAccount => self.test_account(),
            SettingsAction::RemoveAccount(account) => self.remove_account(account),
        }
    }

    /// Opens the settings window on an account's form.
    pub(super) fn edit_account(&mut self, account: AccountId) {
        let found = self.mailboxes.account(account);
        self.dialogs.edit_account(found);
    }

    /// Syncs one account now (a banner's Retry), forgetting its last failure.
    pub(super) fn sync_account(&mut self, account: AccountId) {
        self.status.forget_failure(account);
        self.background.sync(SyncCommand::SyncAccount(account));
    }

    fn test_account(&mut self) {
        let Some(form) = self.dialogs.account_form() else {
            return;
        };
        let Ok((_, settings)) = form.validate() else {
            return;
        };
        let password = if form.password.is_empty() {
            self.secrets
                .get(&form.name)
                .ok()
                .flatten()
                .unwrap_or_default()
        } else {
            form.password.clone()
        };
        form.test = TestState::Running;
        self.background
            .sync(SyncCommand::TestAccount(Box::new(AccountDraft {
                settings,
                password,
            })));
    }

    fn remove_account(&mut self, account: AccountId) {
        let Some(name) = self
            .mailboxes
            .account(account)
            .map(|found| found.name.clone())
        else {
            return;
        };
        let removed = self.store.remove_account(&name);
        if let Some(kept) = self.feedback.report("remove the account", removed) {
            let _ = self.secrets.remove(&name);
            self.feedback.tell(format!(
                "Removed {name}; its {kept} message(s) are in “Removed accounts/{name}”."
            ));
            self.refresh_after_change();
        }
    }

    fn save_account(&mut self) {
        let Some(form) = self.dialogs.account_form() else {
            return;
        };
        let (name, settings) = match form.validate() {
            Ok(valid) => valid,
            Err(errors) => {
                form.errors = errors;
                return;
            }
        };
        let is_new = form.existing.is_none();
        let saved = match form.existing {
            Some(_) => self.store.update_account(&form.name, &settings),
            None => self.store.add_account(&name, &settings),
        };
        let account = match saved {
            Ok(account) => account,
            Err(err) => {
                form.errors = vec![(Field::Name, format!("Cannot save: {}", one_line(&err)))];
                return;
            }
        };
        let (password, remember) = (std::mem::take(&mut form.password), form.remember_password);
        self.dialogs.close_account_form();
        if !password.is_empty() {
            if remember {
                let stored = self.secrets.set(&account.name, &password);
                self.feedback.report("store the password", stored);
            } else {
                self.background
                    .sync(SyncCommand::SessionPassword(account.id, password));
            }
        }
        self.reload_folders();
        if is_new && let Ok(inbox) = self.store.inbox_of(account.id) {
            // A new account's Inbox is where its mail will appear: show it.
            self.select_folder(inbox);
        }
        self.background.sync(SyncCommand::SyncAccount(account.id));
    }

    pub(super) fn trust_certificate(&mut self, target: CertificateFor, fingerprint: String) {
        match target {
            CertificateFor::Draft => {
                if let Some(form) = self.dialogs.account_form() {
                    form.pinned_fingerprint = Some(fingerprint);
                    form.test = TestState::Idle;
                }
            }
            CertificateFor::Account(account) => {
                let Some(found) = self.mailboxes.account(account) else {
                    return;
                };
                let mut settings = found.settings.clone();
                settings.pinned_fingerprint = Some(fingerprint);
                let saved = self.store.update_account(&found.name, &settings);
                if self
                    .feedback
                    .report("save the certificate", saved)
                    .is_some()
                {
                    self.reload_folders();
                    self.status.forget_failure(account);
                    self.background.sync(SyncCommand::SyncAccount(account));
                }
            }
        }
    }
}
