//! The folder tree: each account's Inbox, user folders that nest, and Trash, with unread counts.
//! Dropping dragged messages on a folder moves them there.

use std::fmt::Write as _;

use egui::RichText;

use super::list::DraggedMessages;
use crate::model::{FolderId, FolderKind};
use crate::store::Folder;
use crate::ui::command::UiCommand;

/// The tree's own state: the new-folder field.
#[derive(Debug, Default)]
pub struct FolderTree {
    new_folder: Option<String>,
}

impl FolderTree {
    /// Draws the tree; `selected` is highlighted (none while searching).
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        folders: &[Folder],
        selected: Option<FolderId>,
        commands: &mut Vec<UiCommand>,
    ) {
        egui::ScrollArea::vertical()
            .id_salt("folder tree")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let mut last_account: Option<&str> = None;
                for folder in folders {
                    if folder.kind == FolderKind::Inbox {
                        let account = folder.account_name.as_deref().unwrap_or("");
                        if last_account != Some(account) {
                            ui.add_space(4.0);
                            ui.label(RichText::new(account).small().weak());
                            last_account = Some(account);
                        }
                    } else if last_account.is_some() {
                        ui.add_space(4.0);
                        ui.label(RichText::new("Local folders").small().weak());
                        last_account = None;
                    }
                    folder_row(ui, folder, selected == Some(folder.id), commands);
                }
                ui.add_space(8.0);
                self.new_folder_row(ui, commands);
            });
    }

    fn new_folder_row(&mut self, ui: &mut egui::Ui, commands: &mut Vec<UiCommand>) {
        match &mut self.new_folder {
            None => {
                if ui.button("➕ New folder…").clicked() {
                    self.new_folder = Some(String::new());
                }
            }
            Some(name) => {
                let label = ui.label("New folder (use / to nest):");
                let field = ui.text_edit_singleline(name).labelled_by(label.id);
                field.request_focus();
                let enter =
                    field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
                let escape = ui.input(|input| input.key_pressed(egui::Key::Escape));
                let (create, cancel) = ui
                    .horizontal(|ui| (ui.button("Create").clicked(), ui.button("Cancel").clicked()))
                    .inner;
                if (create || enter) && !name.trim().is_empty() {
                    commands.push(UiCommand::CreateFolder(name.trim().to_owned()));
                    self.new_folder = None;
                } else if cancel || escape {
                    self.new_folder = None;
                }
            }
        }
    }
}

fn folder_row(ui: &mut egui::Ui, folder: &Folder, selected: bool, commands: &mut Vec<UiCommand>) {
    let icon = match folder.kind {
        FolderKind::Inbox => "📥",
        FolderKind::Trash => "🗑",
        FolderKind::User => "📁",
    };
    let mut text = format!("{icon} {}", folder.name);
    if folder.unread_count > 0 {
        let _ = write!(text, "  ({})", folder.unread_count);
    }
    let label = if folder.unread_count > 0 {
        crate::ui::fonts::bold(ui, text)
    } else {
        RichText::new(text)
    };
    #[expect(clippy::cast_precision_loss, reason = "nesting depth is tiny")]
    let indent = 12.0 * folder.depth as f32
        + if folder.kind == FolderKind::Inbox {
            6.0
        } else {
            0.0
        };
    let response = ui
        .horizontal(|ui| {
            ui.add_space(indent);
            ui.selectable_label(selected, label)
        })
        .inner;
    let response = response.on_hover_text(format!(
        "{} — {} messages, {} unread",
        folder.path, folder.message_count, folder.unread_count
    ));
    if response.clicked() {
        commands.push(UiCommand::SelectFolder(folder.id));
    }
    if let Some(dragged) = response.dnd_hover_payload::<DraggedMessages>() {
        let _ = dragged;
        ui.painter().rect_stroke(
            response.rect,
            2.0,
            ui.visuals().selection.stroke,
            egui::StrokeKind::Inside,
        );
    }
    if let Some(dragged) = response.dnd_release_payload::<DraggedMessages>() {
        commands.push(UiCommand::Move(dragged.0.clone(), folder.id));
    }
    if folder.kind == FolderKind::Trash {
        response.context_menu(|ui| {
            if ui.button("Empty Trash…").clicked() {
                commands.push(UiCommand::EmptyTrash);
                ui.close();
            }
        });
    }
}
