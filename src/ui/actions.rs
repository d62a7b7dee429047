//! Running the commands the panels pushed: store changes, undo, worker requests, files.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::app::{Background, Confirm, SatchelApp, Undo};
use super::command::UiCommand;
use super::dialogs::account_form::TestState;
use super::dialogs::certificate::CertificateFor;
use super::dialogs::settings::SettingsAction;
use super::filename::sanitize_filename;
use super::reader::OpenMessage;
use super::samples;
use crate::model::{FlagChange, FolderId, MessageId};
use crate::sync::worker::{AccountDraft, SyncCommand};

impl SatchelApp {
    /// Runs one command.
    pub(super) fn run(&mut self, command: UiCommand) {
        match command {
            UiCommand::SelectFolder(folder) => {
                self.search_text.clear();
                self.select_folder(folder);
            }
            UiCommand::Search(text) => self.search(&text),
            UiCommand::ClearSearch => {
                self.search_text.clear();
                if let Some(folder) = self.selected_folder {
                    self.select_folder(folder);
                }
            }
            UiCommand::ShowMessage(id) => self.show_message(id),
            UiCommand::OpenInWindow(id) => {
                if let Ok(open) = OpenMessage::load(&self.store, id) {
                    self.windows.retain(|window| window.summary.id != id);
                    self.windows.push(open);
                }
            }
            UiCommand::SetFlag(ids, change) => self.set_flag(&ids, change),
            UiCommand::Move(ids, folder) => self.move_undoably(&ids, folder),
            UiCommand::Delete(ids) => self.delete(ids),
            UiCommand::Restore(ids) => self.restore(&ids),
            UiCommand::EmptyTrash => self.confirm = Some(Confirm::EmptyTrash),
            UiCommand::Undo => self.undo(),
            UiCommand::SortBy(column) => {
                if self.list.sort == column {
                    self.list.descending = !self.list.descending;
                } else {
                    self.list.sort = column;
                    self.list.descending = matches!(
                        column,
                        crate::store::SortColumn::Date | crate::store::SortColumn::Size
                    );
                }
                self.prefs.sort = self.list.sort;
                self.prefs.descending = self.list.descending;
                if let Some(ids) = self.current_ids() {
                    self.list.replace(ids);
                }
            }
            UiCommand::SyncAll => self.send(SyncCommand::SyncAll),
            UiCommand::SyncAccount(account) => {
                self.status.failures.remove(&account);
                self.send(SyncCommand::SyncAccount(account));
            }
            UiCommand::DownloadFull(id) => {
                self.notice = Some("Downloading the full message…".to_owned());
                self.send(SyncCommand::FetchFullMessage(id));
            }
            UiCommand::OpenSettings => self.settings.open_list(),
            UiCommand::AddAccount => self.settings.open_form(None),
            UiCommand::EditAccount(account) => {
                let found = self.account(account);
                self.settings.open_form(found.as_ref());
            }
            UiCommand::ImportSamples => self.import_samples(),
            UiCommand::ImportMail => self.import_mail(),
            UiCommand::SaveAttachment(id, index) => self.save_attachment(id, index),
            UiCommand::OpenAttachment(id, index) => self.open_attachment(id, index),
            UiCommand::ViewSource(id) => {
                if let Ok(raw) = self.store.raw_message(id) {
                    let title = self
                        .store
                        .message(id)
                        .map(|summary| summary.subject)
                        .unwrap_or_default();
                    self.source = Some((title, String::from_utf8_lossy(&raw).into_owned()));
                }
            }
            UiCommand::OpenLink(link) => {
                if let Err(err) = open::that_detached(&link) {
                    self.notice = Some(format!("Cannot open the link: {err}"));
                }
            }
            UiCommand::CreateFolder(path) => match self.store.create_folder(&path) {
                Ok(_) => self.reload_folders(),
                Err(err) => self.notice = Some(format!("Cannot create the folder: {err}")),
            },
        }
    }

    fn search(&mut self, text: &str) {
        if text.trim().is_empty() {
            self.run(UiCommand::ClearSearch);
            return;
        }
        self.active_search = Some(text.to_owned());
        self.list.searching = true;
        if let Some(ids) = self.current_ids() {
            self.list.replace(ids);
        }
    }

    fn show_message(&mut self, id: MessageId) {
        match OpenMessage::load(&self.store, id) {
            Ok(mut open) => {
                if !open.summary.flags.seen {
                    self.set_flag(&[id], FlagChange::Seen);
                    open.summary.flags.seen = true;
                }
                self.reader = Some(open);
            }
            Err(err) => self.notice = Some(format!("Cannot open the message: {err}")),
        }
    }

    fn set_flag(&mut self, ids: &[MessageId], change: FlagChange) {
        if let Err(err) = self.store.set_flag(ids, change) {
            self.notice = Some(format!("Cannot change flags: {err}"));
        }
        self.list.invalidate_rows();
        self.reload_folders();
    }

    /// Moves messages and remembers where they were, for Ctrl+Z.
    fn move_undoably(&mut self, ids: &[MessageId], folder: FolderId) {
        let Ok(summaries) = self.store.summaries(ids) else {
            return;
        };
        let origins: Vec<(MessageId, FolderId)> = summaries
            .iter()
            .filter(|summary| summary.folder_id != folder)
            .map(|summary| (summary.id, summary.folder_id))
            .collect();
        if origins.is_empty() {
            return;
        }
        let moving: Vec<MessageId> = origins.iter().map(|(id, _)| *id).collect();
        match self.store.move_messages(&moving, folder) {
            Ok(()) => {
                self.undo = Some(Undo { origins });
                let name = self.folder_paths.get(&folder).cloned().unwrap_or_default();
                self.notice = Some(format!(
                    "Moved {} message(s) to {name}. Ctrl+Z undoes.",
                    moving.len()
                ));
                self.after_removal(&moving);
            }
            Err(err) => self.notice = Some(format!("Cannot move: {err}")),
        }
    }

    fn delete(&mut self, ids: Vec<MessageId>) {
        let Some(trash) = self.trash() else {
            return;
        };
        let in_trash = self
            .store
            .summaries(&ids)
            .is_ok_and(|summaries| summaries.iter().all(|summary| summary.folder_id == trash));
        if in_trash {
            self.confirm = Some(Confirm::DeleteForever(ids));
        } else {
            self.move_undoably(&ids, trash);
        }
    }

    fn restore(&mut self, ids: &[MessageId]) {
        let Ok(summaries) = self.store.summaries(ids) else {
            return;
        };
        let trash = self.trash();
        let origins: Vec<(MessageId, FolderId)> = summaries
            .iter()
            .filter(|summary| Some(summary.folder_id) == trash)
            .map(|summary| (summary.id, summary.folder_id))
            .collect();
        let restoring: Vec<MessageId> = origins.iter().map(|(id, _)| *id).collect();
        if restoring.is_empty() {
            return;
        }
        match self.store.restore_messages(&restoring) {
            Ok(()) => {
                self.undo = Some(Undo { origins });
                self.notice = Some(format!(
                    "Restored {} message(s). Ctrl+Z undoes.",
                    restoring.len()
                ));
                self.after_removal(&restoring);
            }
            Err(err) => self.notice = Some(format!("Cannot restore: {err}")),
        }
    }

    fn undo(&mut self) {
        let Some(undo) = self.undo.take() else {
            return;
        };
        let mut by_folder: BTreeMap<FolderId, Vec<MessageId>> = BTreeMap::new();
        for (id, folder) in &undo.origins {
            by_folder.entry(*folder).or_default().push(*id);
        }
        for (folder, ids) in by_folder {
            if let Err(err) = self.store.move_messages(&ids, folder) {
                self.notice = Some(format!("Cannot undo: {err}"));
                return;
            }
        }
        self.notice = Some(format!(
            "Undone: {} message(s) are back.",
            undo.origins.len()
        ));
        self.refresh_after_change();
    }

    /// After messages left the list: drop them from the reader and refresh.
    fn after_removal(&mut self, ids: &[MessageId]) {
        if self
            .reader
            .as_ref()
            .is_some_and(|open| ids.contains(&open.summary.id))
        {
            self.reader = None;
        }
        self.refresh_after_change();
    }

    pub(super) fn delete_forever(&mut self, confirm: &Confirm) {
        let result = match confirm {
            Confirm::EmptyTrash => self.store.empty_trash(),
            Confirm::DeleteForever(ids) => self.store.delete_permanently(ids),
        };
        match result {
            Ok(count) => {
                self.undo = None;
                self.reader = None;
                self.notice = Some(format!("Deleted {count} message(s) for good."));
                self.refresh_after_change();
            }
            Err(err) => self.notice = Some(format!("Cannot delete: {err}")),
        }
    }

    pub(super) fn settings_action(&mut self, action: SettingsAction) {
        match action {
            SettingsAction::SaveAccount => self.save_account(),
            SettingsAction::TestAccount => {
                let Some(form) = &mut self.settings.form else {
                    return;
                };
                let Ok((_, settings)) = form.validate() else {
                    return;
                };
                let password = if form.password.is_empty() {
                    self.secrets
                        .get(&form.name)
                        .ok()
                        .flatten()
                        .unwrap_or_default()
                } else {
                    form.password.clone()
                };
                form.test = TestState::Running;
                self.send(SyncCommand::TestAccount(Box::new(AccountDraft {
                    settings,
                    password,
                })));
            }
            SettingsAction::RemoveAccount(account) => {
                let Some(found) = self.account(account) else {
                    return;
                };
                match self.store.remove_account(&found.name) {
                    Ok(kept) => {
                        let _ = self.secrets.remove(&found.name);
                        self.notice = Some(format!(
                            "Removed {}; its {kept} message(s) are in “Removed accounts/{}”.",
                            found.name, found.name
                        ));
                        self.refresh_after_change();
                    }
                    Err(err) => self.notice = Some(format!("Cannot remove the account: {err}")),
                }
            }
        }
    }

    fn save_account(&mut self) {
        let Some(form) = &mut self.settings.form else {
            return;
        };
        let (name, settings) = match form.validate() {
            Ok(valid) => valid,
            Err(errors) => {
                form.errors = errors;
                return;
            }
        };
        let is_new = form.existing.is_none();
        let saved = match form.existing {
            Some(_) => self.store.update_account(&form.name, &settings),
            None => self.store.add_account(&name, &settings),
        };
        let account = match saved {
            Ok(account) => account,
            Err(err) => {
                form.errors = vec![(
                    super::dialogs::account_form::Field::Name,
                    format!("Cannot save: {err}"),
                )];
                return;
            }
        };
        let (password, remember) = (std::mem::take(&mut form.password), form.remember_password);
        self.settings.form = None;
        if !password.is_empty() {
            if remember {
                if let Err(err) = self.secrets.set(&account.name, &password) {
                    self.notice = Some(format!("The password could not be stored: {err}"));
                }
            } else {
                self.send(SyncCommand::SessionPassword(account.id, password));
            }
        }
        self.reload_folders();
        if is_new && let Ok(inbox) = self.store.inbox_of(account.id) {
            // A new account's Inbox is where its mail will appear: show it.
            self.select_folder(inbox);
        }
        self.send(SyncCommand::SyncAccount(account.id));
    }

    pub(super) fn trust_certificate(&mut self, target: CertificateFor, fingerprint: String) {
        match target {
            CertificateFor::Draft => {
                if let Some(form) = &mut self.settings.form {
                    form.pinned_fingerprint = Some(fingerprint);
                    form.test = TestState::Idle;
                }
            }
            CertificateFor::Account(account) => {
                let Some(found) = self.account(account) else {
                    return;
                };
                let mut settings = found.settings.clone();
                settings.pinned_fingerprint = Some(fingerprint);
                match self.store.update_account(&found.name, &settings) {
                    Ok(_) => {
                        self.reload_folders();
                        self.status.failures.remove(&account);
                        self.send(SyncCommand::SyncAccount(account));
                    }
                    Err(err) => self.notice = Some(format!("Cannot save the certificate: {err}")),
                }
            }
        }
    }

    fn import_samples(&mut self) {
        match samples::import(&mut self.store) {
            Ok(folder) => {
                self.reload_folders();
                self.select_folder(folder);
                self.notice = Some("Sample mail is in the Samples folder.".to_owned());
            }
            Err(err) => self.notice = Some(format!("Cannot import the samples: {err}")),
        }
    }

    fn import_mail(&mut self) {
        let store_path = self.store.path().to_owned();
        let done = self.background.0.clone();
        let spawned = std::thread::Builder::new()
            .name("satchel-import".to_owned())
            .spawn(move || {
                let Some(paths) = choose_import_paths() else {
                    return;
                };
                let message = match crate::store::Store::open(&store_path)
                    .map_err(crate::import::ImportError::from)
                    .and_then(|mut store| {
                        crate::import::import_into(&mut store, &paths, None, |_| {})
                    }) {
                    Ok(report) => format!(
                        "Imported {} message(s) into “Imported” ({} already there).",
                        report.imported, report.skipped
                    ),
                    Err(err) => format!("Import failed: {err}"),
                };
                let _ = done.send(Background::Imported(message));
            });
        if spawned.is_err() {
            self.notice = Some("Cannot start the import.".to_owned());
        }
    }

    fn attachment(&mut self, id: MessageId, index: usize) -> Option<(String, Vec<u8>)> {
        let raw = self.store.raw_message(id).ok()?;
        let parsed = crate::message::parse(&raw, None);
        let name = parsed.attachments.get(index)?.name.clone();
        let bytes = crate::message::attachment_bytes(&raw, index)?;
        Some((sanitize_filename(&name), bytes))
    }

    fn save_attachment(&mut self, id: MessageId, index: usize) {
        let Some((name, bytes)) = self.attachment(id, index) else {
            self.notice = Some("Cannot read that attachment.".to_owned());
            return;
        };
        let done = self.background.0.clone();
        // The file dialog blocks its thread; the window keeps drawing meanwhile.
        let _ = std::thread::Builder::new()
            .name("satchel-save".to_owned())
            .spawn(move || {
                let Some(path) = rfd::FileDialog::new().set_file_name(&name).save_file() else {
                    return;
                };
                let message = match std::fs::write(&path, &bytes) {
                    Ok(()) => format!("Saved {}.", path.display()),
                    Err(err) => format!("Cannot save {}: {err}", path.display()),
                };
                let _ = done.send(Background::Notice(message));
            });
    }

    fn open_attachment(&mut self, id: MessageId, index: usize) {
        let Some((name, bytes)) = self.attachment(id, index) else {
            self.notice = Some("Cannot read that attachment.".to_owned());
            return;
        };
        let dir = std::env::temp_dir().join(format!("satchel-attachments-{}", std::process::id()));
        let path = dir.join(name);
        let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, &bytes));
        match written
            .map_err(|err| err.to_string())
            .and_then(|()| open::that_detached(&path).map_err(|err| err.to_string()))
        {
            Ok(()) => {}
            Err(err) => self.notice = Some(format!("Cannot open the attachment: {err}")),
        }
    }
}

/// Asks for a Maildir folder or mbox / `.eml` files.
fn choose_import_paths() -> Option<Vec<PathBuf>> {
    let files = rfd::FileDialog::new()
        .set_title("Import mbox or .eml files (Cancel to choose a Maildir folder)")
        .pick_files();
    match files {
        Some(files) if !files.is_empty() => Some(files),
        _ => rfd::FileDialog::new()
            .set_title("Import a Maildir folder")
            .pick_folder()
            .map(|folder| vec![folder]),
    }
}
