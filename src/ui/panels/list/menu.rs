//! The right-click menu of a message row: flags, move, delete, restore, download and source.

use crate::model::{FlagChange, MessageId};
use crate::store::MessageSummary;
use crate::ui::app::mailboxes::Mailboxes;
use crate::ui::command::UiCommand;

/// The right-click menu of a row (acting on the selection when the row is part of it).
pub(super) fn context_menu(
    ui: &mut egui::Ui,
    targets: &[MessageId],
    summary: &MessageSummary,
    mailboxes: &Mailboxes,
    commands: &mut Vec<UiCommand>,
) {
    let mut push = |command: UiCommand, ui: &mut egui::Ui| {
        commands.push(command);
        ui.close();
    };
    if ui.button("Mark as read").clicked() {
        push(UiCommand::SetFlag(targets.to_vec(), FlagChange::Seen), ui);
    }
    if ui.button("Mark as unread").clicked() {
        push(UiCommand::SetFlag(targets.to_vec(), FlagChange::Unseen), ui);
    }
    if ui.button("Flag").clicked() {
        push(
            UiCommand::SetFlag(targets.to_vec(), FlagChange::Flagged),
            ui,
        );
    }
    if ui.button("Remove flag").clicked() {
        push(
            UiCommand::SetFlag(targets.to_vec(), FlagChange::Unflagged),
            ui,
        );
    }
    ui.menu_button("Move to", |ui| {
        for folder in mailboxes.move_targets(summary.folder_id) {
            if ui.button(&folder.path).clicked() {
                push(UiCommand::Move(targets.to_vec(), folder.id), ui);
            }
        }
    });
    ui.separator();
    if ui.button("Delete").clicked() {
        push(UiCommand::Delete(targets.to_vec()), ui);
    }
    if ui.button("Restore from Trash").clicked() {
        push(UiCommand::Restore(targets.to_vec()), ui);
    }
    if summary.headers_only && ui.button("Download full message").clicked() {
        push(UiCommand::DownloadFull(summary.id), ui);
    }
    if ui.button("View source").clicked() {
        push(UiCommand::ViewSource(summary.id), ui);
    }
}
