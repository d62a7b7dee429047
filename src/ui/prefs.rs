//! What the app remembers between runs (eframe's storage; window size and pane widths are
//! remembered by eframe and egui themselves).

use serde::{Deserialize, Serialize};

use crate::store::SortColumn;
use crate::ui::panels::list::ListColumns;

/// Light, dark, or whatever the desktop uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Appearance {
    /// Follow the system setting.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Appearance {
    /// The egui theme preference for this choice.
    #[must_use]
    pub fn theme(self) -> egui::ThemePreference {
        match self {
            Self::System => egui::ThemePreference::System,
            Self::Light => egui::ThemePreference::Light,
            Self::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// User choices kept between runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent yes/no settings, each one checkbox"
)]
pub struct Prefs {
    /// Light / dark / system.
    pub appearance: Appearance,
    /// Reader below the list instead of to its right.
    pub reader_below: bool,
    /// Path of the folder shown last.
    pub selected_folder: Option<String>,
    /// Desktop notification for new mail while the window is not focused.
    pub notify_new_mail: bool,
    /// Column the list is ordered by.
    pub sort: SortColumn,
    /// Newest / largest / Z first.
    pub descending: bool,
    /// Plain-text mail in a monospace font (for tables and ASCII art drawn in text).
    pub plain_monospace: bool,
    /// Folders list conversations (a row per conversation, opened to show its messages).
    pub threaded: bool,
    /// Mail with both an HTML and a plain-text part opens on the plain text.
    pub prefer_plain_text: bool,
    /// The message list's columns: which are shown, in what order.
    pub columns: ListColumns,
    /// Satchel's own file dialog even where the desktop has one.
    pub builtin_file_dialog: bool,
}

impl Default for Prefs {
    fn default() -> Self {
        Self {
            appearance: Appearance::System,
            reader_below: false,
            selected_folder: None,
            notify_new_mail: true,
            sort: SortColumn::Date,
            descending: true,
            plain_monospace: false,
            threaded: true,
            prefer_plain_text: false,
            columns: ListColumns::default(),
            builtin_file_dialog: false,
        }
    }
}

/// Key under which [`Prefs`] are stored.
pub const PREFS_KEY: &str = "satchel-prefs";
