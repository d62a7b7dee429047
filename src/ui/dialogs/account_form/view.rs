//! Drawing the account form: the connection fields, the server policies, the test result and the
//! buttons, each field with its inline error.

use egui::{Color32, RichText};

use super::{AccountForm, Field, FormAction, SmtpTestState, TestState};
use crate::model::{AuthChoice, Security};
use crate::sync::explain::SyncFailure;

/// Errors and warnings.
const RED: Color32 = Color32::from_rgb(200, 60, 40);
/// A connection test that succeeded.
const GREEN: Color32 = Color32::from_rgb(40, 150, 60);

impl AccountForm {
    /// Draws the form; returns what the user did.
    pub fn show(&mut self, ui: &mut egui::Ui, password_store: &str) -> Option<FormAction> {
        if self.connection_fields(ui, password_store) {
            self.recheck_errors();
        }
        self.connection_notes(ui);
        ui.add_space(6.0);
        if self.sending_fields(ui) {
            self.recheck_errors();
        }
        ui.add_space(6.0);
        self.server_policies(ui);
        ui.add_space(6.0);
        self.test_result(ui);
        self.buttons(ui)
    }

    /// Email, names, server, security, port, login method, username and password; returns
    /// whether any of them changed.
    fn connection_fields(&mut self, ui: &mut egui::Ui, password_store: &str) -> bool {
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
                let mut changed = email_changed;
                changed |= self.text_row(ui, "Your name", Field::DisplayName, false, |form| {
                    &mut form.display_name
                });
                changed |= self.text_row(ui, "Account name", Field::Name, false, |form| {
                    &mut form.name
                });
                if self.text_row(ui, "Server", Field::Host, false, |form| &mut form.host) {
                    self.host_typed();
                    changed = true;
                }
                changed |= self.security_row(ui);
                if self.text_row(ui, "Port", Field::Port, false, |form| &mut form.port) {
                    self.port_typed = true;
                    changed = true;
                }
                changed |= self.login_method_row(ui);
                if self.text_row(ui, "Username", Field::Username, false, |form| {
                    &mut form.username
                }) {
                    self.username_typed();
                    changed = true;
                }
                let secret = if self.auth_method.uses_token() {
                    "Access token"
                } else {
                    "Password"
                };
                changed |=
                    self.text_row(ui, secret, Field::Password, true, |form| &mut form.password);
                ui.label("");
                ui.checkbox(
                    &mut self.remember_password,
                    format!("Remember password ({password_store})"),
                );
                ui.end_row();
                changed
            })
            .inner
    }

    /// The login method: automatic (the strongest the server offers) or one the user picks
    /// for a server that needs it. Returns whether it changed.
    fn login_method_row(&mut self, ui: &mut egui::Ui) -> bool {
        let label = ui.label("Login method");
        let before = self.auth_method;
        egui::ComboBox::from_id_salt("login method")
            .selected_text(self.auth_method.label())
            .show_ui(ui, |ui| {
                for choice in AuthChoice::ALL {
                    ui.selectable_value(&mut self.auth_method, choice, choice.label());
                }
            })
            .response
            .labelled_by(label.id)
            .on_hover_text(
                "Automatic uses the strongest method the server offers and never sends the \
                 password in the clear over an unencrypted connection.",
            );
        ui.end_row();
        self.auth_method != before
    }

    /// The security choice; the port follows it unless the user typed one. Returns whether it
    /// changed.
    fn security_row(&mut self, ui: &mut egui::Ui) -> bool {
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
        let changed = security != self.security;
        if changed {
            self.set_security(security);
        }
        ui.end_row();
        changed
    }

    /// "Sending mail": the name on sent mail, the outgoing (SMTP) server, its login and the
    /// signature. Returns whether any of them changed.
    fn sending_fields(&mut self, ui: &mut egui::Ui) -> bool {
        ui.label(RichText::new("Sending mail (SMTP)").strong());
        let mut changed = false;
        egui::Grid::new("account sending")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let shown_name = self.display_name.clone();
                changed |= hinted_row(
                    ui,
                    "Name on sent mail",
                    &mut self.identity.name,
                    &shown_name,
                    false,
                );
                if self.text_row(ui, "Outgoing server", Field::SmtpHost, false, |form| {
                    &mut form.smtp.host
                }) {
                    self.smtp_host_typed();
                    changed = true;
                }
                changed |= self.smtp_security_row(ui);
                if self.text_row(ui, "Outgoing port", Field::SmtpPort, false, |form| {
                    &mut form.smtp_port
                }) {
                    self.smtp_port_typed();
                    changed = true;
                }
                changed |= hinted_row(
                    ui,
                    "Outgoing username",
                    &mut self.smtp.username,
                    "the same as for receiving",
                    false,
                );
                changed |= hinted_row(
                    ui,
                    "Outgoing password",
                    &mut self.smtp_password,
                    "the same as for receiving",
                    true,
                );
                let label = ui.label("Signature");
                changed |= ui
                    .add(
                        egui::TextEdit::multiline(&mut self.identity.signature)
                            .desired_rows(2)
                            .desired_width(260.0),
                    )
                    .labelled_by(label.id)
                    .changed();
                ui.end_row();
            });
        if self.smtp.host.trim().is_empty() {
            ui.label(
                RichText::new("Without an outgoing server, written mail waits in the Outbox.")
                    .weak(),
            );
        } else if self.smtp.security == Security::Plain {
            ui.colored_label(
                RED,
                "⚠ Without encryption the outgoing password and mail cross the network readable by anyone on the way.",
            );
        }
        if let Some(fingerprint) = &self.smtp.pinned_fingerprint {
            ui.label(
                RichText::new(format!("Trusted outgoing certificate: {fingerprint}"))
                    .small()
                    .monospace(),
            );
        }
        match &self.smtp_test {
            SmtpTestState::Idle => {}
            SmtpTestState::Running => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Testing the outgoing server…");
                });
            }
            SmtpTestState::Passed(what) => {
                ui.colored_label(GREEN, format!("✔ Outgoing: {what}"));
            }
            SmtpTestState::Failed(why) => {
                ui.colored_label(RED, format!("✖ Outgoing: {why}"));
            }
        }
        if changed {
            self.smtp_test = SmtpTestState::Idle;
        }
        changed
    }

    /// The outgoing server's security: 465 (TLS) or 587 (STARTTLS), the port following.
    fn smtp_security_row(&mut self, ui: &mut egui::Ui) -> bool {
        let label = ui.label("Outgoing security");
        let mut security = self.smtp.security;
        egui::ComboBox::from_id_salt("smtp security")
            .selected_text(smtp_security_label(security))
            .show_ui(ui, |ui| {
                for choice in Security::ALL {
                    ui.selectable_value(&mut security, choice, smtp_security_label(choice));
                }
            })
            .response
            .labelled_by(label.id);
        ui.end_row();
        let changed = security != self.smtp.security;
        if changed {
            self.set_smtp_security(security);
        }
        changed
    }

    /// A warning when nothing is encrypted, and the provider preset's note.
    fn connection_notes(&self, ui: &mut egui::Ui) {
        if self.security == Security::Plain {
            ui.colored_label(
                RED,
                "⚠ Without encryption your password and mail cross the network readable by anyone on the way.",
            );
        }
        if let Some(note) = self.preset_note {
            ui.label(RichText::new(format!("ℹ {note}")).weak());
        }
    }

    /// "On the server": keeping, removing, size limit, checking interval and the pinned
    /// certificate, with the numbers' error below them.
    fn server_policies(&mut self, ui: &mut egui::Ui) {
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
            ui.colored_label(RED, message);
        }
    }

    /// Save, Test connection (not while one runs), Cancel and, when editing, Remove; under
    /// them why the last Save failed, if it did.
    fn buttons(&mut self, ui: &mut egui::Ui) -> Option<FormAction> {
        if let Some(why) = &self.save_error {
            ui.colored_label(RED, why);
        }
        let mut action = None;
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                self.save_error = None;
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

    /// The first error shown for `field`, if any.
    pub(super) fn error_for(&self, field: Field) -> Option<&str> {
        self.errors
            .iter()
            .find(|(which, _)| *which == field)
            .map(|(_, message)| message.as_str())
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
                    ui.colored_label(RED, message);
                }
                response.changed()
            })
            .inner;
        ui.end_row();
        changed
    }

    /// The connection test: running, what the server offers, or why it failed.
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
                    GREEN,
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
                ui.colored_label(RED, format!("✖ {sentence}"));
            }
        }
    }
}

/// How an outgoing security choice is named, with its usual port.
fn smtp_security_label(security: Security) -> String {
    format!(
        "{} (port {})",
        security.label(),
        security.default_smtp_port()
    )
}

/// One labelled text field whose hint says what leaving it empty means; returns whether it
/// changed.
fn hinted_row(
    ui: &mut egui::Ui,
    label_text: &str,
    value: &mut String,
    hint: &str,
    password: bool,
) -> bool {
    let label = ui.label(label_text);
    let changed = ui
        .add(
            egui::TextEdit::singleline(value)
                .hint_text(hint)
                .password(password)
                .desired_width(260.0),
        )
        .labelled_by(label.id)
        .changed();
    ui.end_row();
    changed
}
