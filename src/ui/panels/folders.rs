//! The folder tree: each account's Inbox, user folders that nest, and Trash, with unread counts.
//! Dropping dragged messages on a folder moves them there; a folder's right-click menu creates,
//! renames, deletes, marks read and exports. New names are typed in one field at the tree's foot.

use std::fmt::Write as _;

use egui::RichText;

use super::list::DraggedMessages;
use crate::export::ExportFormat;
use crate::model::{FolderId, FolderKind};
use crate::store::Folder;
use crate::ui::command::UiCommand;

/// The tree's own state: the name field, while a folder is being named.
#[derive(Debug, Default)]
pub struct FolderTree {
    name_field: Option<NameField>,
}

/// The field at the tree's foot where a folder's name is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct NameField {
    /// A new folder, or the path of the folder being renamed.
    renaming: Option<String>,
    /// The path as typed (`Parent/Name` nests).
    text: String,
    /// The field takes the keyboard when it is next drawn (only then, so Enter can leave it).
    focus: bool,
}

impl NameField {
    fn new_folder(under: Option<&str>) -> Self {
        Self {
            renaming: None,
            text: under.map(|parent| format!("{parent}/")).unwrap_or_default(),
            focus: true,
        }
    }

    fn rename(path: &str) -> Self {
        Self {
            renaming: Some(path.to_owned()),
            text: path.to_owned(),
            focus: true,
        }
    }

    /// The command the typed name asks for, if it names anything new.
    fn command(&self) -> Option<UiCommand> {
        // "Work/" still waits for the subfolder's name.
        let typed = self.text.trim();
        if typed.ends_with('/') {
            return None;
        }
        let to = typed.trim_start_matches('/').to_owned();
        if to.is_empty() {
            return None;
        }
        Some(match &self.renaming {
            None => UiCommand::CreateFolder(to),
            Some(from) if *from == to => return None,
            Some(from) => UiCommand::RenameFolder {
                from: from.clone(),
                to,
            },
        })
    }
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
                    folder_row(
                        ui,
                        folder,
                        selected == Some(folder.id),
                        &mut self.name_field,
                        commands,
                    );
                }
                ui.add_space(8.0);
                self.new_folder_row(ui, commands);
            });
    }

    fn new_folder_row(&mut self, ui: &mut egui::Ui, commands: &mut Vec<UiCommand>) {
        let Some(field) = &mut self.name_field else {
            if ui.button("➕ New folder…").clicked() {
                self.name_field = Some(NameField::new_folder(None));
            }
            return;
        };
        let prompt = match &field.renaming {
            None => "New folder (use / to nest):".to_owned(),
            Some(from) => format!("Rename “{from}” to (use / to move):"),
        };
        let label = ui.label(prompt);
        let response = ui
            .text_edit_singleline(&mut field.text)
            .labelled_by(label.id);
        if std::mem::take(&mut field.focus) {
            response.request_focus();
        }
        let enter = response.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter));
        let escape =
            response.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Escape));
        let action = if field.renaming.is_some() {
            "Rename"
        } else {
            "Create"
        };
        let (confirm, cancel) = ui
            .horizontal(|ui| (ui.button(action).clicked(), ui.button("Cancel").clicked()))
            .inner;
        if confirm || enter {
            if let Some(command) = field.command() {
                commands.push(command);
            }
            self.name_field = None;
        } else if cancel || escape {
            self.name_field = None;
        }
    }
}

/// One folder: its icon, name and unread count, a drop target for dragged messages.
fn folder_row(
    ui: &mut egui::Ui,
    folder: &Folder,
    selected: bool,
    name_field: &mut Option<NameField>,
    commands: &mut Vec<UiCommand>,
) {
    let icon = match folder.kind {
        FolderKind::Inbox => "📥",
        FolderKind::Trash => "🗑",
        FolderKind::User => "📁",
        FolderKind::Drafts => "📝",
        FolderKind::Outbox => "📤",
        FolderKind::Sent => "📨",
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
    response.context_menu(|ui| folder_menu(ui, folder, name_field, commands));
}

/// A folder's right-click menu: what every folder offers, then what its kind adds.
fn folder_menu(
    ui: &mut egui::Ui,
    folder: &Folder,
    name_field: &mut Option<NameField>,
    commands: &mut Vec<UiCommand>,
) {
    if folder.kind == FolderKind::User {
        if item(ui, "New subfolder…", true) {
            *name_field = Some(NameField::new_folder(Some(&folder.path)));
        }
        if item(ui, "Rename…", true) {
            *name_field = Some(NameField::rename(&folder.path));
        }
    }
    if item(ui, "Mark all read", folder.unread_count > 0) {
        commands.push(UiCommand::MarkFolderRead(folder.id));
    }
    let has_mail = folder.message_count > 0;
    if item(ui, "Export as mbox…", has_mail) {
        commands.push(UiCommand::ExportFolder(folder.id, ExportFormat::Mbox));
    }
    if item(ui, "Export as Maildir…", has_mail) {
        commands.push(UiCommand::ExportFolder(folder.id, ExportFormat::Maildir));
    }
    match folder.kind {
        FolderKind::User => {
            ui.separator();
            if item(ui, "Delete folder…", true) {
                commands.push(UiCommand::DeleteFolder(folder.id));
            }
        }
        FolderKind::Trash => {
            ui.separator();
            if item(ui, "Empty Trash…", has_mail) {
                commands.push(UiCommand::EmptyTrash);
            }
        }
        FolderKind::Inbox | FolderKind::Drafts | FolderKind::Outbox | FolderKind::Sent => {}
    }
}

/// A menu item; a click also closes the menu.
fn item(ui: &mut egui::Ui, label: &str, enabled: bool) -> bool {
    let clicked = ui.add_enabled(enabled, egui::Button::new(label)).clicked();
    if clicked {
        ui.close();
    }
    clicked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_field_creates_nests_renames_and_ignores_empty_or_unchanged_names() {
        let mut field = NameField::new_folder(Some("Work"));
        assert_eq!(field.text, "Work/");
        assert_eq!(field.command(), None, "no name typed after the parent");
        field.text.push_str("Projects");
        assert_eq!(
            field.command(),
            Some(UiCommand::CreateFolder("Work/Projects".to_owned()))
        );
        let mut field = NameField::rename("Work");
        assert_eq!(field.command(), None, "unchanged");
        field.text = " Jobs ".to_owned();
        assert_eq!(
            field.command(),
            Some(UiCommand::RenameFolder {
                from: "Work".to_owned(),
                to: "Jobs".to_owned()
            })
        );
    }
}
