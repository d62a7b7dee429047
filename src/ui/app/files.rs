//! Mail in and out of the store: sample mail, imports, attachments, links, the raw source and
//! message windows.

use std::ffi::OsString;
use std::path::PathBuf;

use super::SatchelApp;
use super::background::Finished;
use crate::model::MessageId;
use crate::ui::dialogs::source::SourceView;
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
        let store_path = self.store.path().to_owned();
        let spawned = self.background.spawn("satchel-import", move || {
            let paths = choose_import_paths()?;
            let imported = crate::store::Store::open(&store_path)
                .map_err(crate::import::ImportError::from)
                .and_then(|mut store| crate::import::import_into(&mut store, &paths, None, |_| {}));
            Some(Finished::Imported(imported))
        });
        self.feedback.report("start the import", spawned);
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
        // The file dialog blocks its thread; the window keeps drawing meanwhile.
        let spawned = self.background.spawn("satchel-save", move || {
            let path = rfd::FileDialog::new().set_file_name(&name).save_file()?;
            let written = std::fs::write(&path, &bytes);
            Some(Finished::Saved(path, written))
        });
        self.feedback.report("start saving", spawned);
    }

    pub(super) fn open_attachment(&mut self, id: MessageId, index: usize) {
        let Some((name, bytes)) = self.attachment(id, index) else {
            self.feedback.tell("Cannot read that attachment.");
            return;
        };
        let dir = std::env::temp_dir().join(format!("satchel-attachments-{}", std::process::id()));
        let path = dir.join(&name);
        let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, &bytes));
        if self.feedback.report("open the attachment", written).is_some() {
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
        self.feedback.report("start the program that opens it", spawned);
    }

    pub(super) fn open_in_window(&mut self, id: MessageId) {
        if let Ok(open) = OpenMessage::load(&self.store, id) {
            self.dialogs.open_window(open);
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
