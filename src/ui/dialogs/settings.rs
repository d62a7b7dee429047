//! The settings window: accounts (add, edit, remove) and appearance.

use crate::model::AccountId;
use crate::store::Account;
use crate::ui::prefs::{Appearance, Prefs};

use super::account_form::{AccountForm, FormAction};

/// The settings window's state.
#[derive(Debug, Default)]
pub struct SettingsDialog {
    /// Whether the window is shown.
    pub open: bool,
    /// The account form, when one is being edited or added.
    pub form: Option<AccountForm>,
    /// An account waiting for "Remove" to be confirmed.
    confirm_remove: Option<AccountId>,
}

/// What the settings window asks the app to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingsAction {
    /// Save the form (validated).
    SaveAccount,
    /// Test the form's settings in the background (validated).
    TestAccount,
    /// Remove this account (confirmed); its mail stays in a local folder.
    RemoveAccount(AccountId),
}

impl SettingsDialog {
    /// Opens the window on the account list.
    pub fn open_list(&mut self) {
        self.open = true;
    }

    /// Opens the window with a form for `account`, or a new-account form.
    pub fn open_form(&mut self, account: Option<&Account>) {
        self.open = true;
        self.form = Some(account.map_or_else(AccountForm::new_account, AccountForm::edit));
    }

    /// Draws the window; returns what the user asked for. Escape closes it.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        accounts: &[Account],
        prefs: &mut Prefs,
        password_store: &str,
    ) -> Option<SettingsAction> {
        if !self.open {
            return None;
        }
        if ctx.input(|input| input.key_pressed(egui::Key::Escape)) {
            self.open = false;
            self.form = None;
            return None;
        }
        let mut action = None;
        let mut open = self.open;
        egui::Window::new("Settings")
            .open(&mut open)
            .default_width(560.0)
            .default_height(680.0)
            .collapsible(false)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    if let Some(form) = &mut self.form {
                        ui.heading(if form.existing.is_some() {
                            "Edit account"
                        } else {
                            "Add account"
                        });
                        match form.show(ui, password_store) {
                            Some(FormAction::Save) => action = Some(SettingsAction::SaveAccount),
                            Some(FormAction::Test) => action = Some(SettingsAction::TestAccount),
                            Some(FormAction::Cancel) => self.form = None,
                            Some(FormAction::Remove) => self.confirm_remove = form.existing,
                            None => {}
                        }
                    } else {
                        self.account_list(ui, accounts);
                        ui.separator();
                        appearance(ui, prefs);
                    }
                    if let Some(account) = self.confirm_remove {
                        ui.separator();
                        ui.label(
                            "Remove this account? Its mail stays on this computer in \
                             “Removed accounts”, and nothing is deleted on the server.",
                        );
                        ui.horizontal(|ui| {
                            if ui.button("Remove account").clicked() {
                                action = Some(SettingsAction::RemoveAccount(account));
                                self.confirm_remove = None;
                                self.form = None;
                            }
                            if ui.button("Keep it").clicked() {
                                self.confirm_remove = None;
                            }
                        });
                    }
                });
            });
        self.open &= open;
        action
    }

    fn account_list(&mut self, ui: &mut egui::Ui, accounts: &[Account]) {
        ui.heading("Accounts");
        if accounts.is_empty() {
            ui.label("No accounts yet.");
        }
        for account in accounts {
            ui.horizontal(|ui| {
                ui.label(format!(
                    "{}  ·  {}  ·  {}:{}",
                    account.name,
                    account.settings.username,
                    account.settings.host,
                    account.settings.port
                ));
                if ui
                    .button("Edit")
                    .on_hover_text(format!("Edit {}", account.name))
                    .clicked()
                {
                    self.form = Some(AccountForm::edit(account));
                }
            });
        }
        if ui.button("Add account").clicked() {
            self.form = Some(AccountForm::new_account());
        }
    }
}

fn appearance(ui: &mut egui::Ui, prefs: &mut Prefs) {
    ui.heading("Appearance");
    ui.horizontal(|ui| {
        ui.selectable_value(&mut prefs.appearance, Appearance::System, "Follow system");
        ui.selectable_value(&mut prefs.appearance, Appearance::Light, "Light");
        ui.selectable_value(&mut prefs.appearance, Appearance::Dark, "Dark");
    });
    ui.checkbox(&mut prefs.reader_below, "Show the reader below the list");
    ui.checkbox(
        &mut prefs.notify_new_mail,
        "Notify me of new mail when the window is in the background",
    );
}
