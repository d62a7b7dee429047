//! The status bar at the window's foot: how many messages the folder or search holds and how many
//! are unread, how many are selected, and the sync progress (or the last sync and the online
//! hint), with room for the whole progress sentence.

use super::status::SyncStatus;
use crate::dates::TimeZone;
use crate::store::Account;
use crate::wording::count_of;

/// What the list holds, as the status bar counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListTotals {
    /// Nothing to count yet (no folder, or a search still being typed).
    #[default]
    Nothing,
    /// A folder's messages.
    Folder {
        /// Messages in the folder.
        messages: u64,
        /// Of them unread.
        unread: u64,
    },
    /// A search's results.
    Search {
        /// Messages found (at most the search limit).
        found: usize,
        /// Of them unread.
        unread: usize,
        /// The search stopped at its limit: more may match than are listed (the newest are).
        capped: bool,
    },
}

impl ListTotals {
    /// "12 messages, 3 unread", "1 result", "The newest 2000 results (more may match)".
    #[must_use]
    pub fn sentence(self) -> String {
        match self {
            Self::Nothing => String::new(),
            Self::Folder { messages, unread } => with_unread(count_of(messages, "message"), unread),
            Self::Search {
                found,
                unread,
                capped,
            } => {
                let found_text = if capped {
                    format!("The newest {found} results (more may match)")
                } else {
                    count_of(found as u64, "result")
                };
                with_unread(found_text, unread as u64)
            }
        }
    }
}

/// Adds ", 3 unread" when some are.
fn with_unread(text: String, unread: u64) -> String {
    if unread == 0 {
        text
    } else {
        format!("{text}, {unread} unread")
    }
}

/// Draws the status bar.
pub fn show(
    ui: &mut egui::Ui,
    totals: ListTotals,
    selected: usize,
    status: &SyncStatus,
    accounts: &[Account],
    zone: &TimeZone,
) {
    egui::Panel::bottom("status bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(totals.sentence());
            if selected > 1 {
                ui.separator();
                ui.label(format!("{selected} selected"));
            }
            ui.separator();
            status.show_progress(ui, accounts, zone);
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_read_as_sentences() {
        assert_eq!(ListTotals::Nothing.sentence(), "");
        let folder = |messages, unread| ListTotals::Folder { messages, unread };
        assert_eq!(folder(0, 0).sentence(), "0 messages");
        assert_eq!(folder(1, 0).sentence(), "1 message");
        assert_eq!(folder(12, 3).sentence(), "12 messages, 3 unread");
        let search = |found, unread, capped| ListTotals::Search {
            found,
            unread,
            capped,
        };
        assert_eq!(search(1, 1, false).sentence(), "1 result, 1 unread");
        assert_eq!(search(0, 0, false).sentence(), "0 results");
        assert_eq!(
            search(2000, 0, true).sentence(),
            "The newest 2000 results (more may match)"
        );
    }
}
