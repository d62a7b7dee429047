//! Changes to mail: flags, moves (undoable), Trash, and deleting for good after asking.

use std::collections::BTreeMap;

use super::SatchelApp;
use crate::model::{FlagChange, FolderId, MessageId};
use crate::ui::dialogs::confirm::Confirm;

/// How to undo the last move: each message and the folder it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undo {
    /// (message, folder it was in before).
    pub origins: Vec<(MessageId, FolderId)>,
}

impl Undo {
    /// The moves that undo this one, grouped by the folder each message goes back to.
    #[must_use]
    pub fn moves_back(&self) -> BTreeMap<FolderId, Vec<MessageId>> {
        let mut by_folder: BTreeMap<FolderId, Vec<MessageId>> = BTreeMap::new();
        for (id, folder) in &self.origins {
            by_folder.entry(*folder).or_default().push(*id);
        }
        by_folder
    }
}

impl SatchelApp {
    pub(super) fn set_flag(&mut self, ids: &[MessageId], change: FlagChange) {
        let changed = self.store.set_flag(ids, change);
        self.feedback.report("change flags", changed);
        self.panels.list.invalidate_rows();
        self.panels.list.recount_unread(&self.store, ids);
        if let Some(open) = self.panels.reader.as_mut() {
            open.reload_conversation(&self.store);
        }
        self.reload_folders();
        if self.showing.is_search() {
            // The status bar's "N results, M unread" follows what was just read or unread.
            let listed = self.panels.list.ids().to_vec();
            self.count_results(&listed);
        }
    }

    /// Moves messages and remembers where they were, for Ctrl+Z.
    pub(super) fn move_undoably(&mut self, ids: &[MessageId], folder: FolderId) {
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
        let moved = self.store.move_messages(&moving, folder);
        if self.feedback.report("move", moved).is_some() {
            self.undo = Some(Undo { origins });
            let name = self.mailboxes.path(folder).unwrap_or_default();
            self.feedback.tell(format!(
                "Moved {} message(s) to {name}. Ctrl+Z undoes.",
                moving.len()
            ));
            self.after_removal(&moving);
        }
    }

    /// Moves messages to Trash; those already there are deleted for good, after asking.
    pub(super) fn delete(&mut self, ids: Vec<MessageId>) {
        let Some(trash) = self.mailboxes.trash() else {
            return;
        };
        let in_trash = self
            .store
            .summaries(&ids)
            .is_ok_and(|summaries| summaries.iter().all(|summary| summary.folder_id == trash));
        if in_trash {
            self.dialogs.ask(Confirm::DeleteForever(ids));
        } else {
            self.move_undoably(&ids, trash);
        }
    }

    pub(super) fn restore(&mut self, ids: &[MessageId]) {
        let Ok(summaries) = self.store.summaries(ids) else {
            return;
        };
        let trash = self.mailboxes.trash();
        let origins: Vec<(MessageId, FolderId)> = summaries
            .iter()
            .filter(|summary| Some(summary.folder_id) == trash)
            .map(|summary| (summary.id, summary.folder_id))
            .collect();
        let restoring: Vec<MessageId> = origins.iter().map(|(id, _)| *id).collect();
        if restoring.is_empty() {
            return;
        }
        let restored = self.store.restore_messages(&restoring);
        if self.feedback.report("restore", restored).is_some() {
            self.undo = Some(Undo { origins });
            self.feedback.tell(format!(
                "Restored {} message(s). Ctrl+Z undoes.",
                restoring.len()
            ));
            self.after_removal(&restoring);
        }
    }

    pub(super) fn undo(&mut self) {
        let Some(undo) = self.undo.take() else {
            return;
        };
        for (folder, ids) in undo.moves_back() {
            let moved = self.store.move_messages(&ids, folder);
            if self.feedback.report("undo", moved).is_none() {
                return;
            }
        }
        self.feedback.tell(format!(
            "Undone: {} message(s) are back.",
            undo.origins.len()
        ));
        self.refresh_after_change();
    }

    /// After messages left the list: drop them from the reader and refresh.
    fn after_removal(&mut self, ids: &[MessageId]) {
        if self
            .panels
            .reader
            .as_ref()
            .is_some_and(|open| ids.contains(&open.summary.id))
        {
            self.panels.reader = None;
        }
        self.refresh_after_change();
    }

    /// Does what the user agreed to: delete for good, or delete a folder.
    pub(super) fn confirmed(&mut self, confirmed: &Confirm) {
        let result = match confirmed {
            Confirm::EmptyTrash => self.store.empty_trash(),
            Confirm::DeleteForever(ids) => self.store.delete_permanently(ids),
            Confirm::DeleteFolder { path, .. } => {
                self.delete_folder(path);
                return;
            }
        };
        if let Some(count) = self.feedback.report("delete", result) {
            self.undo = None;
            self.panels.reader = None;
            self.feedback
                .tell(format!("Deleted {count} message(s) for good."));
            self.refresh_after_change();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_moves_each_message_back_to_its_own_folder() {
        let undo = Undo {
            origins: vec![
                (MessageId(1), FolderId(5)),
                (MessageId(2), FolderId(3)),
                (MessageId(3), FolderId(5)),
            ],
        };
        let back = undo.moves_back();
        assert_eq!(back.len(), 2);
        assert_eq!(back[&FolderId(5)], [MessageId(1), MessageId(3)]);
        assert_eq!(back[&FolderId(3)], [MessageId(2)]);
    }
}
