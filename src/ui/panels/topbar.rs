//! The top bar: search box, Sync, progress per account, last sync and online hint, Settings.

use super::status::SyncStatus;
use crate::store::Account;
use crate::ui::command::UiCommand;
use crate::ui::keyboard::{KeyAction, SEARCH_ID, key_of, with_key};

/// The top bar's own state: the search box.
#[derive(Debug, Default)]
pub struct TopBar {
    /// The search box's text, as typed.
    search_text: String,
    /// The search box takes the keyboard on the next frame.
    focus_search: bool,
}

impl TopBar {
    /// Empties the search box.
    pub fn clear_search(&mut self) {
        self.search_text.clear();
    }

    /// Puts the keyboard in the search box when it is next drawn.
    pub fn focus_search(&mut self) {
        self.focus_search = true;
    }

    /// Draws the top bar.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        status: &SyncStatus,
        accounts: &[Account],
        commands: &mut Vec<UiCommand>,
    ) {
        egui::Panel::top("top bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                self.search_box(ui, commands);
                let syncing = status.is_syncing();
                let sync = ui
                    .add_enabled(
                        !accounts.is_empty() && !syncing,
                        egui::Button::new("⟳ Sync"),
                    )
                    .on_hover_text(with_key(
                        "Check every account for new mail",
                        KeyAction::SyncAll,
                    ));
                if sync.clicked() {
                    commands.push(UiCommand::SyncAll);
                }
                let write = ui
                    .add_enabled(!accounts.is_empty(), egui::Button::new("✏ Write"))
                    .on_hover_text(with_key("Write a new message", KeyAction::Write));
                if write.clicked() {
                    commands.push(UiCommand::Write);
                }
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    if ui
                        .button("⚙ Settings")
                        .on_hover_text(with_key("Accounts and appearance", KeyAction::OpenSettings))
                        .clicked()
                    {
                        commands.push(UiCommand::OpenSettings);
                    }
                    if ui.button("Import mail…").clicked() {
                        commands.push(UiCommand::ImportMail);
                    }
                });
            });
        });
    }

    fn search_box(&mut self, ui: &mut egui::Ui, commands: &mut Vec<UiCommand>) {
        let label = ui.label("🔍");
        let hint = format!("Search  ({})", key_of(KeyAction::FocusSearch));
        let search = egui::TextEdit::singleline(&mut self.search_text)
            .id(egui::Id::unique(SEARCH_ID))
            .hint_text(hint)
            .desired_width(280.0);
        let response = ui.add(search).labelled_by(label.id);
        let response = response.on_hover_text(
            "Words, \"phrases\", prefix*, from:, to:, subject:, folder:, account:, \
             has:attachment, is:unread, is:flagged, before:/after:YYYY-MM-DD",
        );
        if self.focus_search {
            response.request_focus();
            self.focus_search = false;
        }
        if response.changed() {
            commands.push(UiCommand::Search(self.search_text.clone()));
        }
        if response.has_focus() && ui.input(|input| input.key_pressed(egui::Key::Escape)) {
            commands.push(UiCommand::ClearSearch);
            response.surrender_focus();
        }
    }
}
