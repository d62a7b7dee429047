//! Running the commands the panels, dialogs and keys pushed: one line each, the work is in the
//! files beside this one.

use super::SatchelApp;
use crate::sync::worker::SyncCommand;
use crate::ui::command::UiCommand;
use crate::ui::dialogs::confirm::Confirm;

impl SatchelApp {
    /// Runs one command.
    pub(super) fn run(&mut self, command: UiCommand) {
        match command {
            UiCommand::SelectFolder(folder) => self.choose_folder(folder),
            UiCommand::Search(text) => self.search(&text),
            UiCommand::ClearSearch => self.clear_search(),
            UiCommand::FocusSearch => self.panels.top_bar.focus_search(),
            UiCommand::StepSelection(delta) => self.step_selection(delta),
            UiCommand::SelectAll => self.panels.list.select_all(),
            UiCommand::CloseTopWindow => self.dialogs.close_top_window(),
            UiCommand::ShowMessage(id) => self.show_message(id),
            UiCommand::OpenConversation(head, open) => self.open_conversation(head, open),
            UiCommand::OpenCursorConversation(open) => self.open_cursor_conversation(open),
            UiCommand::OpenInWindow(id) => self.open_in_window(id),
            UiCommand::SetFlag(ids, change) => self.set_flag(&ids, change),
            UiCommand::ChooseFolderFor(ids) => self.dialogs.pick_folder_for(ids),
            UiCommand::Move(ids, folder) => self.move_undoably(&ids, folder),
            UiCommand::Delete(ids) => self.delete(ids),
            UiCommand::Confirmed(confirmed) => self.confirmed(&confirmed),
            UiCommand::Restore(ids) => self.restore(&ids),
            UiCommand::EmptyTrash => self.dialogs.ask(Confirm::EmptyTrash),
            UiCommand::Undo => self.undo(),
            UiCommand::SortBy(column) => self.sort_by(column),
            UiCommand::ArrangeColumns(columns) => self.prefs.columns = columns,
            UiCommand::SyncAll => self.sync_all(),
            UiCommand::SyncAccount(account) => self.sync_account(account),
            UiCommand::DownloadFull(id) => {
                self.feedback.tell("Downloading the full message…");
                self.background.sync(SyncCommand::FetchFullMessage(id));
            }
            UiCommand::OpenSettings => self.dialogs.open_settings(),
            UiCommand::AddAccount => self.dialogs.edit_account(None),
            UiCommand::EditAccount(account) => self.edit_account(account),
            UiCommand::Settings(action) => self.settings_action(action),
            UiCommand::TrustCertificate(target, fingerprint) => {
                self.trust_certificate(target, fingerprint);
            }
            UiCommand::ImportSamples => self.import_samples(),
            UiCommand::ImportMail => self.import_mail(),
            UiCommand::SaveAttachment(id, index) => self.save_attachment(id, index),
            UiCommand::OpenAttachment(id, index) => self.open_attachment(id, index),
            UiCommand::ViewSource(id) => self.view_source(id),
            UiCommand::OpenLink(link) => self.open_link(&link),
            UiCommand::CreateFolder(path) => self.create_folder(&path),
            UiCommand::RenameFolder { from, to } => self.rename_folder(&from, &to),
            UiCommand::DeleteFolder(folder) => self.ask_delete_folder(folder),
            UiCommand::MarkFolderRead(folder) => self.mark_folder_read(folder),
            UiCommand::ExportFolder(folder, format) => self.export_folder(folder, format),
            UiCommand::PathsChosen(purpose, paths) => self.paths_chosen(purpose, paths),
            UiCommand::Write => self.write_new(),
            UiCommand::Answer(id, kind) => self.answer(id, kind),
            UiCommand::EditDraft(id) => self.edit_draft(id),
            UiCommand::Compose(key, action) => self.compose_action(key, action),
            UiCommand::Outbox(id, action) => self.outbox_action(id, action),
        }
    }
}
