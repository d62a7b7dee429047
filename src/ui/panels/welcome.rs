//! The first-run view: what Satchel is, and three ways to start.

use egui::RichText;

use crate::ui::command::UiCommand;

/// Draws the welcome view.
pub fn show(ui: &mut egui::Ui, commands: &mut Vec<UiCommand>) {
    ui.vertical_centered(|ui| {
        ui.add_space(60.0);
        ui.heading(RichText::new("Welcome to Satchel").size(28.0));
        ui.add_space(8.0);
        ui.label(
            "Satchel downloads your mail over POP3 and keeps it on this computer, \
             so you can read, search and sort it with no network.",
        );
        ui.add_space(24.0);
        let size = egui::vec2(260.0, 36.0);
        if ui
            .add_sized(size, egui::Button::new("Add account"))
            .clicked()
        {
            commands.push(UiCommand::AddAccount);
        }
        ui.label(RichText::new("Connect to your provider's POP3 server.").weak());
        ui.add_space(12.0);
        if ui
            .add_sized(size, egui::Button::new("Import mail…"))
            .clicked()
        {
            commands.push(UiCommand::ImportMail);
        }
        ui.label(RichText::new("Bring in a Maildir folder, mbox files or .eml files.").weak());
        ui.add_space(12.0);
        if ui
            .add_sized(size, egui::Button::new("Explore sample mail"))
            .clicked()
        {
            commands.push(UiCommand::ImportSamples);
        }
        ui.label(RichText::new("A dozen messages that show what Satchel can do.").weak());
    });
}
