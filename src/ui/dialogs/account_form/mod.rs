//! The account form: every setting of one POP3 account, filled in from provider presets, checked
//! inline before Save, with a connection test that runs in the background.

use egui::{Color32, RichText};

use crate::model::{AccountId, AuthChoice, Security};
use crate::store::{Account, AccountSettings};
use crate::sync::explain::SyncFailure;
use crate::sync::probe::ProbeReport;
use crate::ui::helpers::presets::preset_for_email;

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
#[allow(
    clippy::struct_excessive_bools,
    reason = "one bool per checkbox in the form"
)]
pub struct AccountForm {
    /// The account being edited; `None` for a new one.
    pub existing: Option<AccountId>,
    /// The account's short name (`account:NAME` in search); fixed once saved.
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
    /// Login method (set with `satchel account edit --auth`; kept here).
    pub auth_method: AuthChoice,
    /// Field errors from the last Save or Test.
    pub errors: Vec<(Field, String)>,
    /// The connection test.
    pub test: TestState,
    /// Note from the provider preset (e.g. "needs an app password").
    pub preset_note: Option<&'static str>,
    /// The user typed a port: changing security no longer replaces it.
    port_typed: bool,
}

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
            errors: Vec::new(),
            test: TestState::Idle,
            preset_note: None,
            port_typed: existing.is_some(),
        }
    }

    /// Fills server settings from the provider preset for the email's domain, if one is known.
    pub fn apply_preset(&mut self) {
        let Some(preset) = preset_for_email(&self.email) else {
            self.preset_note = None;
            return;
        };
        preset.host.clone_into(&mut self.host);
        self.port = preset.port.to_string();
        self.security = preset.security;
        self.port_typed = false;
        if preset.username_is_email || self.username.is_empty() {
            self.username = self.email.trim().to_owned();
        }
        self.preset_note = preset.note;
    }

    /// Changes the security mode; the port follows unless the user typed one.
    pub fn set_security(&mut self, security: Security) {
        self.security = security;
        if !self.port_typed {
            self.port = security.default_port().to_string();
        }
    }

    /// Checks every field; on success returns the account name and its settings.
    ///
    /// # Errors
    /// Each invalid field with a sentence saying what is wrong.
    pub fn validate(&self) -> Result<(String, AccountSettings), Vec<(Field, String)>> {
        let mut errors = Vec::new();
        let name = if self.name.trim().is_empty() {
            self.email.trim().to_owned()
        } else {
            self.name.trim().to_owned()
        };
        if name.is_empty() {
            errors.push((
                Field::Name,
                "Give the account a name or an email address.".to_owned(),
            ));
        } else if name.contains('/') || name.chars().any(char::is_control) {
            errors.push((
                Field::Name,
                "The account name cannot contain “/”.".to_owned(),
            ));
        }
        let email = self.email.trim();
        if !email.is_empty() && !email.contains('@') {
            errors.push((Field::Email, "An email address has an “@”.".to_owned()));
        }
        let host = self.host.trim();
        if host.is_empty() {
            errors.push((
                Field::Host,
                "Enter the POP3 server, e.g. pop.example.org.".to_owned(),
            ));
        } else if host.contains(char::is_whitespace) {
            errors.push((Field::Host, "A server name has no spaces.".to_owned()));
        }
        let port = match self.port.trim().parse::<u16>() {
            Ok(port) if port > 0 => port,
            _ => {
                errors.push((
                    Field::Port,
                    "The port is a number from 1 to 65535.".to_owned(),
                ));
                0
            }
        };
        if self.username.trim().is_empty() {
            errors.push((
                Field::Username,
                "Enter the username (often the email address).".to_owned(),
            ));
        }
        let mut number = |text: &str, what: &str| -> Option<u32> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match text.parse::<u32>() {
                Ok(value) if value > 0 => Some(value),
                _ => {
                    errors.push((
                        Field::Number,
                        format!("{what} must be a whole number above 0."),
                    ));
                    None
                }
            }
        };
        let remove_after_days = number(
            &self.remove_after_days,
            "Days before removing from the server",
        );
        let size_limit_kb = number(&self.size_limit_kb, "The size limit");
        let check_every_minutes = number(&self.check_every_minutes, "Minutes between checks");
        if !errors.is_empty() {
            return Err(errors);
        }
        let settings = AccountSettings {
            display_name: self.display_name.trim().to_owned(),
            email: email.to_owned(),
            host: host.to_owned(),
            port,
            security: self.security,
            username: self.username.trim().to_owned(),
            auth_method: self.auth_method,
            pinned_fingerprint: self.pinned_fingerprint.clone(),
            keep_on_server: self.keep_on_server,
            remove_after_days,
            remove_when_deleted: self.remove_when_deleted,
            size_limit_kb,
            check_every_minutes,
            max_message_mb: self.max_message_mb,
        };
        Ok((name, settings))
    }

    fn error_for(&self, field: Field) -> Option<&str> {
        self.errors
            .iter()
            .find(|(which, _)| *which == field)
            .map(|(_, message)| message.as_str())
    }

    /// Draws the form; returns what the user did.
    pub fn show(&mut self, ui: &mut egui::Ui, password_store: &str) -> Option<FormAction> {
        let mut action = None;
        self.connection_fields(ui, password_store);
        if self.security == Security::Plain {
            ui.colored_label(
                Color32::from_rgb(200, 60, 40),
                "⚠ Without encryption your password and mail cross the network readable by anyone on the way.",
            );
        }
        if let Some(note) = self.preset_note {
            ui.label(RichText::new(format!("ℹ {note}")).weak());
        }
        ui.add_space(6.0);
        ui.label(RichText::new("On the server").strong());
        ui.checkbox(&mut self.keep_on_server, "Leave messages on the server");
        egui::Grid::new("account policies")
            .num_columns(2)
            .show(ui, |ui| {
                self.text_row(
                    ui,
                    "Remove from server after (days)",
                    Field::Number,
                    false,
                    |form| &mut form.remove_after_days,
                );
                self.text_row(
                    ui,
                    "Headers only above (KB)",
                    Field::Number,
                    false,
                    |form| &mut form.size_limit_kb,
                );
                self.text_row(
                    ui,
                    "Check for mail every (minutes)",
                    Field::Number,
                    false,
                    |form| &mut form.check_every_minutes,
                );
            });
        ui.checkbox(
            &mut self.remove_when_deleted,
            "Remove from the server when removed from Trash",
        );
        if let Some(fingerprint) = &self.pinned_fingerprint {
            ui.label(
                RichText::new(format!("Trusted certificate: {fingerprint}"))
                    .small()
                    .monospace(),
            );
        }
        if let Some(message) = self.error_for(Field::Number) {
            ui.colored_label(Color32::from_rgb(200, 60, 40), message);
        }
        ui.add_space(6.0);
        self.test_result(ui);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                action = self.checked(FormAction::Save);
            }
            let testing = matches!(self.test, TestState::Running);
            if ui
                .add_enabled(!testing, egui::Button::new("Test connection"))
                .clicked()
            {
                action = self.checked(FormAction::Test);
            }
            if ui.button("Cancel").clicked() {
                action = Some(FormAction::Cancel);
            }
            if self.existing.is_some() && ui.button("Remove account…").clicked() {
                action = Some(FormAction::Remove);
            }
        });
        action
    }

    /// Email, names, server, security, port, username and password.
    fn connection_fields(&mut self, ui: &mut egui::Ui, password_store: &str) {
        egui::Grid::new("account form")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let email_changed =
                    self.text_row(ui, "Email address", Field::Email, false, |form| {
                        &mut form.email
                    });
                if email_changed {
                    self.apply_preset();
                }
                self.text_row(ui, "Your name", Field::DisplayName, false, |form| {
                    &mut form.display_name
                });
                if self.existing.is_none() {
                    self.text_row(ui, "Account name", Field::Name, false, |form| {
                        &mut form.name
                    });
                }
                self.text_row(ui, "Server", Field::Host, false, |form| &mut form.host);
                let label = ui.label("Security");
                let mut security = self.security;
                egui::ComboBox::from_id_salt("security")
                    .selected_text(security.label())
                    .show_ui(ui, |ui| {
                        for choice in Security::ALL {
                            ui.selectable_value(&mut security, choice, choice.label());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                if security != self.security {
                    self.set_security(security);
                }
                ui.end_row();
                if self.text_row(ui, "Port", Field::Port, false, |form| &mut form.port) {
                    self.port_typed = true;
                }
                self.text_row(ui, "Username", Field::Username, false, |form| {
                    &mut form.username
                });
                self.text_row(ui, "Password", Field::Password, true, |form| {
                    &mut form.password
                });
                ui.label("");
                ui.checkbox(
                    &mut self.remember_password,
                    format!("Remember password ({password_store})"),
                );
                ui.end_row();
            });
    }

    /// Validates for Save/Test: keeps the errors on screen, or returns the action.
    fn checked(&mut self, action: FormAction) -> Option<FormAction> {
        match self.validate() {
            Ok(_) => {
                self.errors.clear();
                Some(action)
            }
            Err(errors) => {
                self.errors = errors;
                None
            }
        }
    }

    /// One labelled text field with its inline error; returns whether it changed.
    fn text_row(
        &mut self,
        ui: &mut egui::Ui,
        label_text: &str,
        field: Field,
        password: bool,
        value: impl FnOnce(&mut Self) -> &mut String,
    ) -> bool {
        let label = ui.label(label_text);
        let error = if field == Field::Number {
            None
        } else {
            self.error_for(field).map(str::to_owned)
        };
        let changed = ui
            .vertical(|ui| {
                let response = ui
                    .add(
                        egui::TextEdit::singleline(value(self))
                            .password(password)
                            .desired_width(260.0),
                    )
                    .labelled_by(label.id);
                if let Some(message) = &error {
                    ui.colored_label(Color32::from_rgb(200, 60, 40), message);
                }
                response.changed()
            })
            .inner;
        ui.end_row();
        changed
    }

    fn test_result(&self, ui: &mut egui::Ui) {
        match &self.test {
            TestState::Idle => {}
            TestState::Running => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Testing the connection…");
                });
            }
            TestState::Done(Ok(report)) => {
                ui.colored_label(
                    Color32::from_rgb(40, 150, 60),
                    format!(
                        "✔ Logged in{}. {} messages on the server.",
                        if report.encrypted {
                            " over an encrypted connection"
                        } else {
                            " (unencrypted)"
                        },
                        report.messages
                    ),
                );
                if !report.capabilities.is_empty() {
                    ui.label(
                        RichText::new(format!("Server offers: {}", report.capabilities.join(", ")))
                            .small(),
                    );
                }
            }
            TestState::Done(Err(SyncFailure { sentence, .. })) => {
                ui.colored_label(Color32::from_rgb(200, 60, 40), format!("✖ {sentence}"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_host_and_bad_port_are_reported_before_save() {
        let mut form = AccountForm::new_account();
        form.email = "me@example.org".to_owned();
        form.username = "me".to_owned();
        form.port = "70000".to_owned();
        let errors = form.validate().expect_err("invalid");
        let fields: Vec<Field> = errors.iter().map(|(field, _)| *field).collect();
        assert_eq!(fields, [Field::Host, Field::Port]);
    }

    #[test]
    fn a_valid_form_becomes_settings_named_after_the_email() {
        let mut form = AccountForm::new_account();
        form.email = "me@example.org".to_owned();
        form.host = "pop.example.org".to_owned();
        form.username = "me".to_owned();
        form.size_limit_kb = "2048".to_owned();
        let (name, settings) = form.validate().expect("valid");
        assert_eq!(name, "me@example.org");
        assert_eq!(settings.port, 995);
        assert_eq!(settings.security, Security::Tls);
        assert_eq!(settings.size_limit_kb, Some(2048));
        assert_eq!(settings.check_every_minutes, Some(10));
    }

    #[test]
    fn saving_an_edited_account_keeps_its_login_method() {
        let account = Account {
            id: AccountId(1),
            name: "old".to_owned(),
            settings: AccountSettings {
                host: "pop.example.org".to_owned(),
                username: "me".to_owned(),
                security: Security::Plain,
                auth_method: AuthChoice::User,
                ..AccountSettings::default()
            },
        };
        let (_, settings) = AccountForm::edit(&account).validate().expect("valid");
        assert_eq!(settings, account.settings);
        assert_eq!(AccountForm::new_account().auth_method, AuthChoice::Auto);
    }

    #[test]
    fn the_port_follows_security_until_typed() {
        let mut form = AccountForm::new_account();
        form.set_security(Security::StartTls);
        assert_eq!(form.port, "110");
        form.set_security(Security::Tls);
        assert_eq!(form.port, "995");
        form.port = "1995".to_owned();
        form.port_typed = true;
        form.set_security(Security::StartTls);
        assert_eq!(form.port, "1995");
    }
}
