//! The top bar: search box, Sync, progress per account, last sync and online hint, Settings.

use super::app::SatchelApp;
use super::command::UiCommand;
use super::keyboard::SEARCH_ID;

/// Draws the top bar.
pub fn show(app: &mut SatchelApp, ui: &mut egui::Ui) {
    egui::Panel::top("top bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            let label = ui.label("🔍");
            let search = egui::TextEdit::singleline(&mut app.search_text)
                .id(egui::Id::unique(SEARCH_ID))
                .hint_text("Search  (/)")
                .desired_width(280.0);
            let response = ui.add(search).labelled_by(label.id);
            let response = response.on_hover_text(
                "Words, \"phrases\", prefix*, from:, to:, subject:, folder:, account:, \
                 has:attachment, is:unread, is:flagged, before:/after:YYYY-MM-DD",
            );
            if app.focus_search {
                response.request_focus();
                app.focus_search = false;
            }
            if response.changed() {
                app.commands
                    .push(UiCommand::Search(app.search_text.clone()));
            }
            if response.has_focus() && ui.input(|input| input.key_pressed(egui::Key::Escape)) {
                app.commands.push(UiCommand::ClearSearch);
                response.surrender_focus();
            }
            let syncing = !app.status.running.is_empty();
            let sync = ui
                .add_enabled(
                    !app.accounts.is_empty() && !syncing,
                    egui::Button::new("⟳ Sync"),
                )
                .on_hover_text("Check every account for new mail (F5)");
            if sync.clicked() {
                app.commands.push(UiCommand::SyncAll);
            }
            app.status.show_progress(ui, &app.accounts);
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui
                    .button("⚙ Settings")
                    .on_hover_text("Accounts and appearance (Ctrl+,)")
                    .clicked()
                {
                    app.commands.push(UiCommand::OpenSettings);
                }
                if ui.button("Import mail…").clicked() {
                    app.commands.push(UiCommand::ImportMail);
                }
            });
        });
    });
}
