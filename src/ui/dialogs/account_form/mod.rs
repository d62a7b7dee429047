//! The account form: every setting of one POP3 account, filled in from provider presets, checked
//! inline before Save, with a connection test that runs in the background.
//!
//! This file holds the form's state; [`validate`](AccountForm::validate) turns its fields into
//! settings (validate.rs) and [`show`](AccountForm::show) draws it (view.rs).

use crate::model::{AccountId, AuthChoice, Security};
use crate::store::{Account, AccountSettings, Identity, SmtpSettings};
use crate::sync::explain::SyncFailure;
use crate::sync::probe::ProbeReport;
use crate::ui::helpers::presets::preset_for_email;

mod validate;
mod view;

#[cfg(test)]
mod tests;

/// A field the form checks before Save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The account's short name.
    Name,
    /// The sender name shown on mail (never invalid).
    DisplayName,
    /// The email address.
    Email,
    /// The server host.
    Host,
    /// The server port.
    Port,
    /// The login name.
    Username,
    /// The password (never invalid: empty keeps the stored one).
    Password,
    /// A number of days, KiB or minutes.
    Number,
    /// The outgoing (SMTP) server; empty: the account does not send.
    SmtpHost,
    /// The outgoing server's port.
    SmtpPort,
}

/// Where the connection test stands.
#[derive(Debug, Clone, Default)]
pub enum TestState {
    /// Not run since the last change.
    #[default]
    Idle,
    /// Running in the background.
    Running,
    /// Finished: what the server offers, or why it failed.
    Done(Result<ProbeReport, SyncFailure>),
}

/// What the user did in the form this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormAction {
    /// Save was pressed and every field is valid.
    Save,
    /// Test connection was pressed and every field is valid.
    Test,
    /// The form was closed without saving.
    Cancel,
    /// Remove this account (asks first, in the settings dialog).
    Remove,
}

/// The form's fields, as typed.
#[derive(Debug, Clone)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one bool per checkbox in the form"
)]
pub struct AccountForm {
    /// The account being edited; `None` for a new one.
    pub existing: Option<AccountId>,
    /// The account's short name (`account:NAME` in search); renaming a saved account keeps
    /// its mail and password.
    pub name: String,
    /// Name shown in the folder tree.
    pub display_name: String,
    /// Email address.
    pub email: String,
    /// Server host.
    pub host: String,
    /// Server port, as typed.
    pub port: String,
    /// Security mode.
    pub security: Security,
    /// Login name.
    pub username: String,
    /// Password (masked); empty keeps the stored one when editing.
    pub password: String,
    /// Store the password (keyring or labelled file) rather than asking each session.
    pub remember_password: bool,
    /// Leave messages on the server.
    pub keep_on_server: bool,
    /// Remove from the server after this many days (empty: never).
    pub remove_after_days: String,
    /// Remove from the server when removed from the local Trash.
    pub remove_when_deleted: bool,
    /// Headers only above this many KiB (empty: no limit).
    pub size_limit_kb: String,
    /// Check every this many minutes (empty: only at start and on demand).
    pub check_every_minutes: String,
    /// Pinned certificate fingerprint.
    pub pinned_fingerprint: Option<String>,
    /// Largest message downloaded in full, in MiB (set with `satchel account edit`; kept here).
    pub max_message_mb: Option<u32>,
    /// Login method: automatic (the strongest the server offers) or one chosen.
    pub auth_method: AuthChoice,
    /// Who the account writes as: name and signature.
    pub identity: Identity,
    /// The SMTP server (its port is edited as text in `smtp_port`).
    pub smtp: SmtpSettings,
    /// SMTP port, as typed.
    pub smtp_port: String,
    /// SMTP password (masked); empty uses the POP3 one, or keeps the stored one when editing.
    pub smtp_password: String,
    /// Field errors from the last Save or Test.
    pub errors: Vec<(Field, String)>,
    /// Why the last Save failed in the store (a name taken, a disk error); cleared by the next.
    pub save_error: Option<String>,
    /// The connection test.
    pub test: TestState,
    /// Note from the provider preset (e.g. "needs an app password"), or that the server was
    /// guessed from the address.
    pub preset_note: Option<&'static str>,
    /// The user typed a port: changing security no longer replaces it.
    port_typed: bool,
    /// The user typed the server: the address no longer fills it in.
    host_typed: bool,
    /// The user typed the username: the address no longer fills it in.
    username_typed: bool,
    /// The user typed the outgoing server: the address no longer fills it in.
    smtp_host_typed: bool,
    /// The user typed the outgoing port: changing its security no longer replaces it.
    smtp_port_typed: bool,
    /// The outgoing server's connection test.
    pub smtp_test: SmtpTestState,
}

/// Where the outgoing server's connection test stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum SmtpTestState {
    /// Not run (or no outgoing server).
    #[default]
    Idle,
    /// Running in the background.
    Running,
    /// Logged in: what the server said of itself.
    Passed(String),
    /// Failed: why, in words.
    Failed(String),
}

/// The note under a server guessed from the address (no preset knows the domain).
pub const GUESSED_NOTE: &str =
    "The server was guessed from the address; Test connection checks it.";

impl Default for AccountForm {
    fn default() -> Self {
        Self::from_settings(None, String::new(), &AccountSettings::default())
    }
}

impl AccountForm {
    /// A form for a new account.
    #[must_use]
    pub fn new_account() -> Self {
        Self {
            check_every_minutes: "10".to_owned(),
            ..Self::default()
        }
    }

    /// A form showing a saved account.
    #[must_use]
    pub fn edit(account: &Account) -> Self {
        Self::from_settings(Some(account.id), account.name.clone(), &account.settings)
    }

    fn from_settings(
        existing: Option<AccountId>,
        name: String,
        settings: &AccountSettings,
    ) -> Self {
        let optional = |value: Option<u32>| value.map(|n| n.to_string()).unwrap_or_default();
        Self {
            existing,
            name,
            display_name: settings.display_name.clone(),
            email: settings.email.clone(),
            host: settings.host.clone(),
            port: settings.port.to_string(),
            security: settings.security,
            username: settings.username.clone(),
            password: String::new(),
            remember_password: true,
            keep_on_server: settings.keep_on_server,
            remove_after_days: optional(settings.remove_after_days),
            remove_when_deleted: settings.remove_when_deleted,
            size_limit_kb: optional(settings.size_limit_kb),
            check_every_minutes: optional(settings.check_every_minutes),
            pinned_fingerprint: settings.pinned_fingerprint.clone(),
            max_message_mb: settings.max_message_mb,
            auth_method: settings.auth_method,
            identity: settings.identity.clone(),
            smtp: settings.smtp.clone(),
            smtp_port: settings.smtp.port.to_string(),
            smtp_password: String::new(),
            errors: Vec::new(),
            save_error: None,
            test: TestState::Idle,
            preset_note: None,
            port_typed: existing.is_some(),
            host_typed: existing.is_some(),
            username_typed: existing.is_some(),
            smtp_host_typed: existing.is_some() && !settings.smtp.host.is_empty(),
            smtp_port_typed: existing.is_some() && !settings.smtp.host.is_empty(),
            smtp_test: SmtpTestState::Idle,
        }
    }

    /// The address changed: the server follows it (the provider's preset, else `pop.DOMAIN`
    /// over TLS) until the user types a server, and the username until they type one.
    pub fn apply_preset(&mut self) {
        self.apply_smtp_preset();
        if self.host_typed {
            return;
        }
        let email = self.email.trim();
        if let Some(preset) = preset_for_email(email) {
            preset.host.clone_into(&mut self.host);
            self.port = preset.port.to_string();
            self.security = preset.security;
            self.preset_note = preset.note;
        } else {
            let domain = email.rsplit_once('@').map_or("", |(_, domain)| domain);
            self.host = if domain.contains('.') {
                format!("pop.{domain}")
            } else {
                String::new()
            };
            self.security = Security::Tls;
            self.port = Security::Tls.default_port().to_string();
            self.preset_note = (!self.host.is_empty()).then_some(GUESSED_NOTE);
        }
        self.port_typed = false;
        if !self.username_typed {
            email.clone_into(&mut self.username);
        }
    }

    /// The outgoing server follows the address (the provider's, else `smtp.DOMAIN` over TLS)
    /// until the user types one.
    fn apply_smtp_preset(&mut self) {
        if self.smtp_host_typed {
            return;
        }
        let email = self.email.trim();
        let (host, security) = if let Some(preset) = preset_for_email(email) {
            (preset.smtp_host.to_owned(), preset.smtp_security)
        } else {
            let domain = email.rsplit_once('@').map_or("", |(_, domain)| domain);
            let host = if domain.contains('.') {
                format!("smtp.{domain}")
            } else {
                String::new()
            };
            (host, Security::Tls)
        };
        self.smtp.host = host;
        self.smtp.security = security;
        self.smtp_port = security.default_smtp_port().to_string();
        self.smtp_port_typed = false;
    }

    /// The user typed in the outgoing server field: it keeps what they typed from now on.
    pub fn smtp_host_typed(&mut self) {
        self.smtp_host_typed = true;
    }

    /// The user typed the outgoing port.
    pub fn smtp_port_typed(&mut self) {
        self.smtp_port_typed = true;
    }

    /// Changes the outgoing server's security; its port follows unless the user typed one.
    pub fn set_smtp_security(&mut self, security: Security) {
        self.smtp.security = security;
        if !self.smtp_port_typed {
            self.smtp_port = security.default_smtp_port().to_string();
        }
    }

    /// The user typed in the server field: it keeps what they typed from now on.
    pub fn host_typed(&mut self) {
        self.host_typed = true;
        if self.preset_note == Some(GUESSED_NOTE) {
            self.preset_note = None;
        }
    }

    /// The user typed in the username field: it keeps what they typed from now on.
    pub fn username_typed(&mut self) {
        self.username_typed = true;
    }

    /// Drops the errors of fields that are valid now (as the user corrects them); a field
    /// still wrong keeps its error, with the sentence for what it holds now. No new error
    /// appears while typing: those wait for Save or Test.
    pub fn recheck_errors(&mut self) {
        if self.errors.is_empty() {
            return;
        }
        let now = self.validate().err().unwrap_or_default();
        self.errors = self
            .errors
            .iter()
            .filter_map(|(field, _)| now.iter().find(|(which, _)| which == field).cloned())
            .collect();
        self.errors.dedup();
    }

    /// Changes the security mode; the port follows unless the user typed one.
    pub fn set_security(&mut self, security: Security) {
        self.security = security;
        if !self.port_typed {
            self.port = security.default_port().to_string();
        }
    }
}
