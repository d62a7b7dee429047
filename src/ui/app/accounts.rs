//! The settings window's requests: save, test or remove an account, and pin a certificate.

use super::SatchelApp;
use crate::errors::one_line;
use crate::model::AccountId;
use crate::secrets::Secrets;
use crate::store::{Account, AccountSettings, Store, StoreError};
use crate::sync::worker::{AccountDraft, SyncCommand};
use crate::ui::dialogs::account_form::{SmtpTestState, TestState};
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

    fn test_account(&mut self) {
        let Some(form) = self.dialogs.account_form() else {
            return;
        };
        let Ok((_, mut settings)) = form.validate() else {
            return;
        };
        if settings.pinned_fingerprint.is_none() {
            settings.pinned_fingerprint = trusted_for_server(self.mailboxes.accounts(), &settings);
        }
        // Kept under the saved name (the form may hold a new one, not saved yet).
        let saved_name = form
            .existing
            .and_then(|id| self.mailboxes.account(id))
            .map_or_else(|| form.name.clone(), |account| account.name.clone());
        let password = if form.password.is_empty() {
            self.secrets
                .get(&saved_name)
                .ok()
                .flatten()
                .unwrap_or_default()
        } else {
            form.password.clone()
        };
        let smtp_password = if form.smtp_password.is_empty() {
            crate::outbox::smtp_secret(&self.secrets, &saved_name)
                .ok()
                .flatten()
                .unwrap_or_else(|| password.clone())
        } else {
            form.smtp_password.clone()
        };
        form.test = TestState::Running;
        form.smtp_test = if settings.can_send() {
            SmtpTestState::Running
        } else {
            SmtpTestState::Idle
        };
        self.background
            .sync(SyncCommand::TestAccount(Box::new(AccountDraft {
                settings,
                password,
                smtp_password,
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
            let _ = self.secrets.remove(&crate::outbox::smtp_secret_key(&name));
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
        let (name, mut settings) = match form.validate() {
            Ok(valid) => valid,
            Err(errors) => {
                form.errors = errors;
                return;
            }
        };
        // A certificate trusted for another account on the same server is trusted here too.
        if settings.pinned_fingerprint.is_none() {
            settings.pinned_fingerprint = trusted_for_server(self.mailboxes.accounts(), &settings);
        }
        let is_new = form.existing.is_none();
        let old_name = form
            .existing
            .and_then(|id| self.mailboxes.account(id))
            .map(|account| account.name.clone());
        let saved = match &old_name {
            Some(old) => renamed(&mut self.store, &self.secrets, old, &name)
                .and_then(|()| self.store.update_account(&name, &settings)),
            None => self.store.add_account(&name, &settings),
        };
        let account = match saved {
            Ok(account) => account,
            Err(err) => {
                form.save_error = Some(format!("Cannot save: {}", one_line(&err)));
                // A rename may have gone through before the settings failed: show it.
                self.reload_folders();
                return;
            }
        };
        let (password, remember) = (std::mem::take(&mut form.password), form.remember_password);
        let smtp_password = std::mem::take(&mut form.smtp_password);
        self.dialogs.close_account_form();
        if !smtp_password.is_empty() {
            // Only remembered: sending runs in the background, with nobody to ask.
            let key = crate::outbox::smtp_secret_key(&account.name);
            let stored = self.secrets.set(&key, &smtp_password);
            self.feedback.report("store the outgoing password", stored);
        }
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
                // Trusting is not the end of it: the test runs again with the certificate.
                self.test_account();
            }
            CertificateFor::SmtpDraft => {
                if let Some(form) = self.dialogs.account_form() {
                    form.smtp.pinned_fingerprint = Some(fingerprint);
                    form.smtp_test = SmtpTestState::Idle;
                }
                self.test_account();
            }
            CertificateFor::Account(account) => {
                let Some(found) = self.mailboxes.account(account) else {
                    return;
                };
                // The account, and every other on the same server that trusts no certificate
                // yet or trusted the same old one: the user trusted the server, so none of
                // them asks again.
                // Pinned to the certificate the server had before (a renewal): they follow too.
                let old_pin = &found.settings.pinned_fingerprint;
                let same_server: Vec<Account> = self
                    .mailboxes
                    .accounts()
                    .iter()
                    .filter(|other| {
                        other.id == account
                            || (on_same_server(&other.settings, &found.settings)
                                && (other.settings.pinned_fingerprint.is_none()
                                    || other.settings.pinned_fingerprint == *old_pin))
                    })
                    .cloned()
                    .collect();
                for pinned in same_server {
                    let mut settings = pinned.settings.clone();
                    settings.pinned_fingerprint = Some(fingerprint.clone());
                    let saved = self.store.update_account(&pinned.name, &settings);
                    if self
                        .feedback
                        .report("save the certificate", saved)
                        .is_some()
                        && (pinned.id == account || self.status.failure(pinned.id).is_some())
                    {
                        self.sync_account(pinned.id);
                    }
                }
                self.reload_folders();
            }
        }
    }
}

/// The certificate fingerprint another account on the same server (host and port) trusts:
/// the user trusted that server's certificate once, not once per account.
fn trusted_for_server(accounts: &[Account], settings: &AccountSettings) -> Option<String> {
    accounts
        .iter()
        .filter(|account| on_same_server(&account.settings, settings))
        .find_map(|account| account.settings.pinned_fingerprint.clone())
}

/// Whether two accounts' settings name the same server (host, without case, and port).
fn on_same_server(one: &AccountSettings, other: &AccountSettings) -> bool {
    one.host.eq_ignore_ascii_case(&other.host) && one.port == other.port
}

/// Renames the account `old` to `new` when they differ, moving its remembered password.
fn renamed(store: &mut Store, secrets: &Secrets, old: &str, new: &str) -> Result<(), StoreError> {
    if old == new {
        return Ok(());
    }
    store.rename_account(old, new)?;
    for (from, to) in [
        (old.to_owned(), new.to_owned()),
        (
            crate::outbox::smtp_secret_key(old),
            crate::outbox::smtp_secret_key(new),
        ),
    ] {
        if let Ok(Some(password)) = secrets.get(&from)
            && secrets.set(&to, &password).is_ok()
        {
            let _ = secrets.remove(&from);
        }
    }
    Ok(())
}
