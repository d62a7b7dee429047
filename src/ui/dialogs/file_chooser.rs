//! Satchel's own file dialog, for desktops that cannot show theirs (a plain X11 session, a bare
//! window manager): the same questions the system dialog asks, with labelled fields a screen
//! reader can name (the egui file-dialog crates either lag egui or leave their fields unnamed).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::compose::ComposeKey;
use crate::export::ExportFormat;
use crate::model::FolderId;

/// What a chosen path is for: each kind of file question Satchel asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathFor {
    /// Where to save an attachment (its sanitised name and bytes).
    SaveAttachment {
        /// The suggested file name.
        name: String,
        /// What to write.
        bytes: Vec<u8>,
    },
    /// Where to export a folder.
    Export {
        /// The folder.
        folder: FolderId,
        /// Its name, suggested for the file or directory.
        name: String,
        /// mbox (a file) or Maildir (a directory made inside the chosen one).
        format: ExportFormat,
    },
    /// mbox or `.eml` files to import.
    ImportFiles,
    /// A Maildir folder to import (asked when the user cancels choosing files).
    ImportMaildir,
    /// Files to attach to the message a compose window holds.
    Attach(ComposeKey),
}

impl PathFor {
    /// The window's title, as the system dialog's.
    #[must_use]
    pub fn title(&self) -> String {
        match self {
            Self::SaveAttachment { name, .. } => format!("Save “{name}”"),
            Self::Export { name, .. } => format!("Export “{name}”"),
            Self::ImportFiles => {
                "Import mbox or .eml files (Cancel to choose a Maildir folder)".to_owned()
            }
            Self::ImportMaildir => "Import a Maildir folder".to_owned(),
            Self::Attach(_) => "Attach files".to_owned(),
        }
    }

    /// The question after this one is cancelled, if there is one.
    #[must_use]
    pub fn when_cancelled(&self) -> Option<Self> {
        (*self == Self::ImportFiles).then_some(Self::ImportMaildir)
    }
}

/// What the user did in the dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    /// These paths (one unless files to import were chosen).
    Paths(Vec<PathBuf>),
    /// The dialog was closed without a choice.
    Cancelled,
}

/// At most this many entries of a folder are listed.
const MAX_ENTRIES: usize = 5000;

/// How the dialog answers: a new file's path, existing files, or a folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    SaveFile,
    OpenFiles,
    ChooseFolder,
}

/// One entry of the folder shown.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    name: String,
    path: PathBuf,
    is_dir: bool,
}

/// The built-in dialog while it is open: the folder shown, what is selected in it, and the
/// file name typed (when saving).
#[derive(Debug)]
pub struct FileChooser {
    /// What the path is for.
    pub purpose: PathFor,
    mode: Mode,
    folder: PathBuf,
    /// The folder field, as typed.
    folder_text: String,
    /// The folder's entries (folders first), or why it cannot be read.
    entries: Result<Vec<Entry>, String>,
    /// Files selected to open (indices into `entries`).
    selected: BTreeSet<usize>,
    /// The file name to save as.
    file_name: String,
    show_hidden: bool,
    /// Save was pressed on a file that exists: pressing it again replaces it.
    replace_asked: bool,
}

impl FileChooser {
    /// An open dialog for `purpose`, starting in `start`.
    #[must_use]
    pub fn new(purpose: PathFor, start: &Path) -> Self {
        let (mode, file_name) = match &purpose {
            PathFor::SaveAttachment { name, .. } => (Mode::SaveFile, name.clone()),
            PathFor::Export {
                name,
                format: ExportFormat::Mbox,
                ..
            } => (Mode::SaveFile, format!("{name}.mbox")),
            PathFor::Export {
                format: ExportFormat::Maildir,
                ..
            }
            | PathFor::ImportMaildir => (Mode::ChooseFolder, String::new()),
            PathFor::ImportFiles | PathFor::Attach(_) => (Mode::OpenFiles, String::new()),
        };
        let mut chooser = Self {
            purpose,
            mode,
            folder: PathBuf::new(),
            folder_text: String::new(),
            entries: Ok(Vec::new()),
            selected: BTreeSet::new(),
            file_name,
            show_hidden: false,
            replace_asked: false,
        };
        chooser.go_to(start.to_path_buf());
        chooser
    }

    /// Shows `folder`'s entries.
    fn go_to(&mut self, folder: PathBuf) {
        self.entries = read_folder(&folder, self.show_hidden);
        self.folder_text = folder.display().to_string();
        self.folder = folder;
        self.selected.clear();
        self.replace_asked = false;
    }

    /// Draws the dialog; returns the choice once one is made. Escape cancels.
    pub fn show(&mut self, ctx: &egui::Context) -> Option<Chosen> {
        if ctx.input(|input| input.key_pressed(egui::Key::Escape)) {
            return Some(Chosen::Cancelled);
        }
        let mut chosen = None;
        let mut open = true;
        egui::Window::new(self.purpose.title())
            .id(egui::Id::unique("satchel file chooser"))
            .open(&mut open)
            .default_size([620.0, 460.0])
            .pivot(egui::Align2::CENTER_CENTER)
            .default_pos(ctx.content_rect().center())
            .collapsible(false)
            .show(ctx, |ui| {
                self.folder_row(ui);
                ui.separator();
                self.entry_list(ui);
                ui.separator();
                chosen = self.answer_row(ui);
            });
        if !open {
            chosen = Some(Chosen::Cancelled);
        }
        chosen
    }

    /// Up, and the folder field (Enter goes there).
    fn folder_row(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let parent = self.folder.parent().map(Path::to_path_buf);
            if ui
                .add_enabled(parent.is_some(), egui::Button::new("⬆ Up"))
                .on_hover_text("The folder this one is in")
                .clicked()
                && let Some(parent) = parent
            {
                self.go_to(parent);
            }
            let label = ui.label("Folder");
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.folder_text).desired_width(f32::INFINITY))
                .labelled_by(label.id);
            if field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter)) {
                let typed = PathBuf::from(self.folder_text.trim());
                if typed.is_dir() {
                    self.go_to(typed);
                }
            }
        });
        if ui
            .checkbox(&mut self.show_hidden, "Show hidden files")
            .changed()
        {
            self.go_to(self.folder.clone());
        }
    }

    /// The folder's entries: a click selects, a double click (or a click on a folder when
    /// saving) opens a folder; Ctrl-click adds files to the selection when importing.
    fn entry_list(&mut self, ui: &mut egui::Ui) {
        let entries = match &self.entries {
            Ok(entries) => entries.clone(),
            Err(why) => {
                ui.label(why.as_str());
                return;
            }
        };
        if entries.is_empty() {
            ui.label(egui::RichText::new("This folder is empty.").weak());
        }
        let mut enter = None;
        egui::ScrollArea::vertical()
            .max_height(280.0)
            .auto_shrink([false, false])
            .show(ui, |ui| {
                for (index, entry) in entries.iter().enumerate() {
                    let icon = if entry.is_dir { "📁" } else { "📄" };
                    let usable = entry.is_dir || self.mode != Mode::ChooseFolder;
                    let row = ui.add_enabled(
                        usable,
                        egui::Button::selectable(
                            self.selected.contains(&index),
                            format!("{icon} {}", entry.name),
                        ),
                    );
                    if row.double_clicked() && entry.is_dir {
                        enter = Some(entry.path.clone());
                    } else if row.clicked() {
                        self.click_entry(ui, index, entry);
                    }
                }
                if entries.len() == MAX_ENTRIES {
                    ui.label(
                        egui::RichText::new(format!(
                            "Only the first {MAX_ENTRIES} entries are listed: type the folder."
                        ))
                        .weak(),
                    );
                }
            });
        if let Some(folder) = enter {
            self.go_to(folder);
        }
    }

    /// A click on an entry: selects it (Ctrl adds a file to the files to import), or takes a
    /// file's name to save as.
    fn click_entry(&mut self, ui: &egui::Ui, index: usize, entry: &Entry) {
        let adding = ui.input(|input| input.modifiers.command);
        match (self.mode, entry.is_dir) {
            (Mode::SaveFile, false) => {
                self.selected.clear();
                entry.name.clone_into(&mut self.file_name);
                self.replace_asked = false;
            }
            (Mode::OpenFiles, false) if adding => {
                if !self.selected.remove(&index) {
                    self.selected.insert(index);
                }
            }
            // A click selects a folder (a double click, or Save / Import, opens it) or a file.
            (_, true) | (Mode::OpenFiles, false) => {
                self.selected = BTreeSet::from([index]);
            }
            (Mode::ChooseFolder, false) => {}
        }
    }

    /// The file name (when saving), the answer button and Cancel.
    fn answer_row(&mut self, ui: &mut egui::Ui) -> Option<Chosen> {
        let mut chosen = None;
        if self.mode == Mode::SaveFile {
            ui.horizontal(|ui| {
                let label = ui.label("File name");
                let field = ui
                    .add(egui::TextEdit::singleline(&mut self.file_name).desired_width(360.0))
                    .labelled_by(label.id);
                if field.changed() {
                    self.replace_asked = false;
                }
                if field.lost_focus() && ui.input(|input| input.key_pressed(egui::Key::Enter)) {
                    chosen = self.save();
                }
            });
            if self.replace_asked {
                ui.label(format!(
                    "“{}” is already there: press Save again to replace it.",
                    self.file_name.trim()
                ));
            }
        }
        ui.horizontal(|ui| {
            let (text, ready) = match self.mode {
                Mode::SaveFile => ("Save", !self.file_name.trim().is_empty()),
                Mode::OpenFiles => ("Import", !self.selected.is_empty()),
                Mode::ChooseFolder => ("Choose this folder", true),
            };
            if ui.add_enabled(ready, egui::Button::new(text)).clicked() {
                // With one folder selected, Save and Import open it first (as desktop
                // dialogs do); Choose this folder takes it.
                if self.mode != Mode::ChooseFolder
                    && let Some(folder) = self.selected_folder()
                {
                    self.go_to(folder);
                    return;
                }
                chosen = match self.mode {
                    Mode::SaveFile => self.save(),
                    Mode::OpenFiles => Some(Chosen::Paths(self.selected_paths())),
                    Mode::ChooseFolder => Some(Chosen::Paths(vec![self.chosen_folder()])),
                };
            }
            if ui.button("Cancel").clicked() {
                chosen = Some(Chosen::Cancelled);
            }
        });
        chosen
    }

    /// The path to save to, once it is new or the user said to replace it.
    fn save(&mut self) -> Option<Chosen> {
        let name = self.file_name.trim();
        if name.is_empty() || name.contains(std::path::MAIN_SEPARATOR) {
            return None;
        }
        let path = self.folder.join(name);
        if path.exists() && !self.replace_asked {
            self.replace_asked = true;
            return None;
        }
        Some(Chosen::Paths(vec![path]))
    }

    /// The one folder selected, if that is the selection.
    fn selected_folder(&self) -> Option<PathBuf> {
        let entries = self.entries.as_ref().ok()?;
        match self.selected.iter().collect::<Vec<_>>().as_slice() {
            [index] => entries
                .get(**index)
                .filter(|entry| entry.is_dir)
                .map(|entry| entry.path.clone()),
            _ => None,
        }
    }

    fn selected_paths(&self) -> Vec<PathBuf> {
        let Ok(entries) = &self.entries else {
            return Vec::new();
        };
        self.selected
            .iter()
            .filter_map(|index| entries.get(*index))
            .map(|entry| entry.path.clone())
            .collect()
    }

    /// The folder selected in the list, else the one shown.
    fn chosen_folder(&self) -> PathBuf {
        self.selected_paths()
            .into_iter()
            .next()
            .unwrap_or_else(|| self.folder.clone())
    }
}

/// A folder's entries, folders first, each group by name; hidden ones only when asked; at most
/// [`MAX_ENTRIES`]. An unreadable folder gives the sentence saying so.
fn read_folder(folder: &Path, show_hidden: bool) -> Result<Vec<Entry>, String> {
    let listing = std::fs::read_dir(folder)
        .map_err(|err| format!("Cannot read {}: {err}.", folder.display()))?;
    let mut entries: Vec<Entry> = listing
        .flatten()
        .filter_map(|found| {
            let name = found.file_name().to_string_lossy().into_owned();
            if !show_hidden && name.starts_with('.') {
                return None;
            }
            let path = found.path();
            Some(Entry {
                is_dir: path.is_dir(),
                name,
                path,
            })
        })
        .take(MAX_ENTRIES)
        .collect();
    entries.sort_by_cached_key(|entry| (!entry.is_dir, entry.name.to_lowercase()));
    Ok(entries)
}

/// Where a question for `purpose` starts: Downloads for attachments, Documents for exports,
/// the home directory for imports (each when it exists), else the current directory.
#[must_use]
pub fn start_dir(purpose: &PathFor) -> PathBuf {
    let dirs = directories::UserDirs::new();
    // Without user-dirs configured, the usual English names under home still count.
    let preferred = dirs.as_ref().and_then(|dirs| match purpose {
        PathFor::SaveAttachment { .. } => dirs
            .download_dir()
            .map_or_else(|| dirs.home_dir().join("Downloads"), Path::to_path_buf)
            .into(),
        PathFor::Export { .. } => dirs
            .document_dir()
            .map_or_else(|| dirs.home_dir().join("Documents"), Path::to_path_buf)
            .into(),
        PathFor::Attach(_) => dirs
            .document_dir()
            .map_or_else(|| dirs.home_dir().join("Documents"), Path::to_path_buf)
            .into(),
        PathFor::ImportFiles | PathFor::ImportMaildir => None,
    });
    preferred
        .filter(|dir| dir.is_dir())
        .or_else(|| dirs.map(|dirs| dirs.home_dir().to_path_buf()))
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_default()
}
