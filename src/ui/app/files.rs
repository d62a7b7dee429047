//! Mail in and out of the store: sample mail, imports, attachments, links, the raw source and
//! message windows.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::SatchelApp;
use super::background::Finished;
use crate::export::{ExportError, ExportFormat, export_folder};
use crate::import::{ImportError, import_into};
use crate::model::MessageId;
use crate::store::Store;
use crate::ui::dialogs::file_chooser::{FileChooser, PathFor, start_dir};
use crate::ui::dialogs::source::SourceView;
use crate::ui::helpers::file_dialogs::system_dialog_available;
use crate::ui::helpers::filename::sanitize_filename;
use crate::ui::helpers::samples;
use crate::ui::panels::reader::OpenMessage;

impl SatchelApp {
    pub(super) fn import_samples(&mut self) {
        let imported = samples::import(&mut self.store);
        if let Some(folder) = self.feedback.report("import the samples", imported) {
            self.reload_folders();
            self.select_folder(folder);
            self.feedback.tell("Sample mail is in the Samples folder.");
        }
    }

    /// Asks for files or a Maildir and imports them on a thread of their own.
    pub(super) fn import_mail(&mut self) {
        self.ask_path(PathFor::ImportFiles);
    }

    /// Asks where (or which) for `purpose`: with the desktop's dialog where it can show one,
    /// else with the built-in one. The work runs on a thread of its own once answered.
    pub(super) fn ask_path(&mut self, purpose: PathFor) {
        if self.prefs.builtin_file_dialog || !system_dialog_available() {
            let start = start_dir(&purpose);
            self.dialogs.choose_path(FileChooser::new(purpose, &start));
            return;
        }
        let store_path = self.store.path().to_owned();
        // The system dialog blocks its thread; the window keeps drawing meanwhile.
        let spawned = self.background.spawn("satchel-files", move || {
            let paths = ask_the_desktop(&purpose)?;
            use_paths(purpose, paths, &store_path)
        });
        self.feedback.report("open the file dialog", spawned);
    }

    /// The built-in dialog answered: the work runs on a thread of its own.
    pub(super) fn paths_chosen(&mut self, purpose: PathFor, paths: Vec<PathBuf>) {
        let store_path = self.store.path().to_owned();
        let spawned = self.background.spawn("satchel-files", move || {
            use_paths(purpose, paths, &store_path)
        });
        self.feedback.report("start the work", spawned);
    }

    fn attachment(&self, id: MessageId, index: usize) -> Option<(String, Vec<u8>)> {
        let raw = self.store.raw_message(id).ok()?;
        let parsed = crate::message::parse(&raw, None);
        let name = parsed.attachments.get(index)?.name.clone();
        let bytes = crate::message::attachment_bytes(&raw, index)?;
        Some((sanitize_filename(&name), bytes))
    }

    pub(super) fn save_attachment(&mut self, id: MessageId, index: usize) {
        let Some((name, bytes)) = self.attachment(id, index) else {
            self.feedback.tell("Cannot read that attachment.");
            return;
        };
        self.ask_path(PathFor::SaveAttachment { name, bytes });
    }

    pub(super) fn open_attachment(&mut self, id: MessageId, index: usize) {
        let Some((name, bytes)) = self.attachment(id, index) else {
            self.feedback.tell("Cannot read that attachment.");
            return;
        };
        let dir = std::env::temp_dir().join(format!("satchel-attachments-{}", std::process::id()));
        let path = dir.join(&name);
        let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, &bytes));
        if self
            .feedback
            .report("open the attachment", written)
            .is_some()
        {
            self.open_outside(path.into_os_string(), format!("“{name}”"), false);
        }
    }

    pub(super) fn open_link(&mut self, link: &str) {
        self.open_outside(link.into(), "the link".to_owned(), true);
    }

    /// Opens `target` with the opener on a thread of its own (the launcher may wait for the
    /// program); a failure reaches the notice line as a plain sentence naming `what`.
    fn open_outside(&mut self, target: OsString, what: String, is_link: bool) {
        let opener = self.opener.clone();
        let spawned = self.background.spawn("satchel-open", move || {
            let failure = opener.open(&target).err()?;
            Some(Finished::NotOpened(failure.sentence(&what, is_link)))
        });
        self.feedback
            .report("start the program that opens it", spawned);
    }

    /// Opens a message in its own window; a draft opens in a compose window instead.
    pub(super) fn open_in_window(&mut self, id: MessageId) {
        if let Ok(open) = OpenMessage::load(&self.store, id) {
            if open.written == Some(crate::ui::panels::reader::written::Written::Draft) {
                self.edit_draft(id);
            } else {
                self.dialogs.open_window(open);
            }
        }
    }

    pub(super) fn view_source(&mut self, id: MessageId) {
        if let Ok(raw) = self.store.raw_message(id) {
            let subject = self
                .store
                .message(id)
                .map(|summary| summary.subject)
                .unwrap_or_default();
            self.dialogs.show_source(SourceView::new(subject, &raw));
        }
    }
}

/// The desktop's dialog for `purpose`; `None` when cancelled. Cancelling files to import asks
/// for a Maildir folder next.
fn ask_the_desktop(purpose: &PathFor) -> Option<Vec<PathBuf>> {
    let dialog = rfd::FileDialog::new().set_title(purpose.title());
    match purpose {
        PathFor::SaveAttachment { name, .. } => dialog.set_file_name(name).save_file().map(one),
        PathFor::Export {
            name,
            format: ExportFormat::Mbox,
            ..
        } => dialog
            .set_file_name(format!("{name}.mbox"))
            .save_file()
            .map(one),
        PathFor::Export {
            format: ExportFormat::Maildir,
            ..
        }
        | PathFor::ImportMaildir => dialog.pick_folder().map(one),
        PathFor::Attach(_) => dialog.pick_files(),
        PathFor::ImportFiles => match dialog.pick_files() {
            Some(files) if !files.is_empty() => Some(files),
            _ => ask_the_desktop(&PathFor::ImportMaildir),
        },
    }
}

fn one(path: PathBuf) -> Vec<PathBuf> {
    vec![path]
}

/// Does what `purpose` asked a path for, with the store at `store_path` (on a background
/// thread): saves the attachment, exports the folder, or imports the mail.
fn use_paths(purpose: PathFor, paths: Vec<PathBuf>, store_path: &Path) -> Option<Finished> {
    match purpose {
        PathFor::SaveAttachment { bytes, .. } => {
            let path = paths.into_iter().next()?;
            let written = std::fs::write(&path, &bytes);
            Some(Finished::Saved(path, written))
        }
        PathFor::Export {
            folder,
            name,
            format,
        } => {
            let chosen = paths.into_iter().next()?;
            let path = match format {
                ExportFormat::Mbox => chosen,
                ExportFormat::Maildir => chosen.join(&name),
            };
            let written = Store::open(store_path)
                .map_err(ExportError::from)
                .and_then(|store| export_folder(&store, folder, format, &path));
            Some(Finished::Exported(path, written))
        }
        PathFor::Attach(key) => Some(Finished::ToAttach(key, paths)),
        PathFor::ImportFiles | PathFor::ImportMaildir => {
            let imported = Store::open(store_path)
                .map_err(ImportError::from)
                .and_then(|mut store| import_into(&mut store, &paths, None, |_| {}));
            Some(Finished::Imported(imported))
        }
    }
}
