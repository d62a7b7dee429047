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

    /// Draws the window inside `area`; returns what the user asked for. Escape closes it.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        area: egui::Rect,
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
            .default_height(680.0_f32.min(area.height()))
            .constrain_to(area)
            .collapsible(false)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| {
                    let chosen = self.form_or_accounts(ui, accounts, prefs, password_store);
                    action = self.removal_question(ui).or(chosen);
                });
            });
        self.open &= open;
        action
    }

    /// The account form when one is open, otherwise the account list and appearance.
    fn form_or_accounts(
        &mut self,
        ui: &mut egui::Ui,
        accounts: &[Account],
        prefs: &mut Prefs,
        password_store: &str,
    ) -> Option<SettingsAction> {
        let Some(form) = &mut self.form else {
            self.account_list(ui, accounts);
            ui.separator();
            appearance(ui, prefs);
            return None;
        };
        ui.heading(if form.existing.is_some() {
            "Edit account"
        } else {
            "Add account"
        });
        match form.show(ui, password_store) {
            Some(FormAction::Save) => Some(SettingsAction::SaveAccount),
            Some(FormAction::Test) => Some(SettingsAction::TestAccount),
            Some(FormAction::Cancel) => {
                self.form = None;
                None
            }
            Some(FormAction::Remove) => {
                self.confirm_remove = form.existing;
                None
            }
            None => None,
        }
    }

    /// "Remove this account?" below the form, once Remove was pressed; removing closes the form.
    fn removal_question(&mut self, ui: &mut egui::Ui) -> Option<SettingsAction> {
        let account = self.confirm_remove?;
        ui.separator();
        ui.label(
            "Remove this account? Its mail stays on this computer in \
             “Removed accounts”, and nothing is deleted on the server.",
        );
        let mut action = None;
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
    ui.checkbox(&mut prefs.threaded, "Group messages into conversations");
    ui.checkbox(
        &mut prefs.prefer_plain_text,
        "Show HTML mail as plain text when it has a plain-text version",
    );
    ui.checkbox(
        &mut prefs.plain_monospace,
        "Show plain-text mail in a monospace font",
    );
    ui.checkbox(
        &mut prefs.notify_new_mail,
        "Notify me of new mail when the window is in the background",
    );
    ui.checkbox(
        &mut prefs.builtin_file_dialog,
        "Use Satchel's own file dialog (where the desktop's does not open)",
    );
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;
    use crate::store::AccountSettings;

    /// The window's state, the accounts it lists and the last action it returned.
    struct Shown {
        dialog: SettingsDialog,
        accounts: Vec<Account>,
        prefs: Prefs,
        action: Option<SettingsAction>,
    }

    fn shown() -> Harness<'static, Shown> {
        let account = Account {
            id: AccountId(4),
            name: "home".to_owned(),
            settings: AccountSettings {
                host: "pop.example.org".to_owned(),
                username: "me".to_owned(),
                ..AccountSettings::default()
            },
        };
        let mut dialog = SettingsDialog::default();
        dialog.open_list();
        let mut harness = Harness::new_ui_state(
            |ui, shown: &mut Shown| {
                let area = ui.ctx().content_rect();
                let action =
                    shown
                        .dialog
                        .show(ui.ctx(), area, &shown.accounts, &mut shown.prefs, "keyring");
                if action.is_some() {
                    shown.action = action;
                }
            },
            Shown {
                dialog,
                accounts: vec![account],
                prefs: Prefs::default(),
                action: None,
            },
        );
        harness.run();
        harness
    }

    fn click(harness: &mut Harness<'_, Shown>, label: &str) {
        harness.get_by_label(label).scroll_to_me();
        harness.run();
        harness.get_by_label(label).click();
        harness.run();
    }

    #[test]
    fn removing_asks_first_and_keep_it_leaves_the_form_open() {
        let mut harness = shown();
        harness.get_by_label("home  ·  me  ·  pop.example.org:995");
        click(&mut harness, "Edit");
        harness.get_by_label("Edit account");
        click(&mut harness, "Remove account…");
        harness.get_by_label_contains("Remove this account?");
        click(&mut harness, "Keep it");
        assert!(
            harness
                .query_by_label_contains("Remove this account?")
                .is_none()
        );
        assert!(harness.state().dialog.form.is_some());
        assert_eq!(harness.state().action, None);

        click(&mut harness, "Remove account…");
        click(&mut harness, "Remove account");
        assert_eq!(
            harness.state().action,
            Some(SettingsAction::RemoveAccount(AccountId(4)))
        );
        assert!(harness.state().dialog.form.is_none(), "back to the list");
        harness.get_by_label("Accounts");
    }

    #[test]
    fn the_monospace_option_is_a_checkbox_in_appearance() {
        let mut harness = shown();
        assert!(!harness.state().prefs.plain_monospace);
        click(&mut harness, "Show plain-text mail in a monospace font");
        assert!(harness.state().prefs.plain_monospace);
        click(&mut harness, "Show plain-text mail in a monospace font");
        assert!(!harness.state().prefs.plain_monospace);
    }

    #[test]
    fn cancel_returns_to_the_list_and_escape_closes_the_window() {
        let mut harness = shown();
        click(&mut harness, "Add account");
        harness.get_by_label("Add account");
        click(&mut harness, "Cancel");
        harness.get_by_label("Accounts");
        assert!(harness.state().dialog.form.is_none());

        harness.key_press(egui::Key::Escape);
        harness.run();
        assert!(!harness.state().dialog.open);
        assert!(harness.query_by_label("Accounts").is_none());
    }
}
