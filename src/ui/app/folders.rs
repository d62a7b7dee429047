//! The folder tree's menu at work: new, renamed and deleted folders, a folder marked read, and
//! a folder exported on a thread of its own (its file dialog blocks).

use super::SatchelApp;
use crate::export::ExportFormat;
use crate::model::FolderId;
use crate::ui::dialogs::confirm::Confirm;
use crate::ui::dialogs::file_chooser::PathFor;
use crate::wording::count_of;

impl SatchelApp {
    pub(super) fn create_folder(&mut self, path: &str) {
        let created = self.store.create_folder(path);
        if self.feedback.report("create the folder", created).is_some() {
            self.reload_folders();
        }
    }

    /// Renames or moves a folder; the shown folder keeps being shown under its new path.
    pub(super) fn rename_folder(&mut self, from: &str, to: &str) {
        let renamed = self.store.rename_folder(from, to);
        if self.feedback.report("rename the folder", renamed).is_some() {
            self.reload_folders();
            if let Some(shown) = self.showing.folder() {
                self.prefs.selected_folder = self.mailboxes.path(shown).map(str::to_owned);
            }
        }
    }

    /// Asks before deleting a folder, saying how much goes with it.
    pub(super) fn ask_delete_folder(&mut self, folder: FolderId) {
        let Some(path) = self.mailboxes.path(folder).map(str::to_owned) else {
            return;
        };
        let inside = format!("{path}/");
        let doomed: Vec<_> = self
            .mailboxes
            .folders()
            .iter()
            .filter(|each| each.id == folder || each.path.starts_with(&inside))
            .collect();
        self.dialogs.ask(Confirm::DeleteFolder {
            messages: doomed.iter().map(|each| each.message_count).sum(),
            subfolders: doomed.len().saturating_sub(1),
            path,
        });
    }

    /// Deletes a folder the user agreed to delete; its mail moves to Trash.
    pub(super) fn delete_folder(&mut self, path: &str) {
        let shown_inside = self
            .showing
            .folder()
            .and_then(|shown| self.mailboxes.path(shown))
            .is_some_and(|shown| shown == path || shown.starts_with(&format!("{path}/")));
        let deleted = self.store.delete_folder(path);
        if let Some(moved) = self.feedback.report("delete the folder", deleted) {
            self.feedback.tell(if moved == 0 {
                format!("Deleted the folder “{path}”.")
            } else {
                format!(
                    "Deleted the folder “{path}”; {} moved to Trash.",
                    count_of(moved as u64, "message")
                )
            });
            self.reload_folders();
            if shown_inside && let Some(trash) = self.mailboxes.trash() {
                self.panels.reader = None;
                self.select_folder(trash);
            } else {
                self.refresh_after_change();
            }
        }
    }

    pub(super) fn mark_folder_read(&mut self, folder: FolderId) {
        let marked = self.store.mark_folder_read(folder);
        if self
            .feedback
            .report("mark the folder read", marked)
            .is_some()
        {
            self.panels.list.invalidate_rows();
            self.refresh_after_change();
        }
    }

    /// Asks where to write the folder, then writes it on a thread with its own connection.
    pub(super) fn export_folder(&mut self, folder: FolderId, format: ExportFormat) {
        let name = self
            .mailboxes
            .folders()
            .iter()
            .find(|each| each.id == folder)
            .map_or_else(|| "mail".to_owned(), |each| each.name.clone());
        self.ask_path(PathFor::Export {
            folder,
            name,
            format,
        });
    }
}
