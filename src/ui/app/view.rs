//! What the list shows: reading accounts and folders, choosing a folder, searching, sorting,
//! and opening a message in the reader.

use super::showing::is_single_letter;
use super::{SEARCH_LIMIT, SatchelApp};
use crate::errors::one_line;
use crate::model::{FlagChange, FolderId, MessageId};
use crate::store::{SortColumn, SortOrder};
use crate::ui::panels::reader::OpenMessage;
use crate::ui::panels::status_bar::ListTotals;

impl SatchelApp {
    /// Re-reads accounts and folders (names, unread counts).
    pub(super) fn reload_folders(&mut self) {
        if let Some(accounts) = self.feedback.report("read accounts", self.store.accounts()) {
            self.mailboxes.set_accounts(accounts);
            // A removed account's banner, notices and progress go with it.
            self.status.keep_only(self.mailboxes.accounts());
        }
        if let Some(folders) = self.feedback.report("read folders", self.store.folders()) {
            self.mailboxes.set_folders(folders);
        }
    }

    /// Something changed in the store: refresh counts and the list, keeping selection and view.
    pub(super) fn refresh_after_change(&mut self) {
        self.reload_folders();
        if let Some(next) = self.fill_list(true) {
            // The selection was moved or deleted: the next message is shown, as in Thunderbird.
            self.show_message(next);
        } else if let Some(open) = self.panels.reader.as_mut() {
            open.reload_conversation(&self.store);
        }
    }

    /// Fills the list with what it should show now: search results (one row per message), or
    /// the folder (its conversations in the threaded view). With `keep`, the same list after a
    /// change: selection, open conversations and view stay.
    /// Returns the message selected in place of a selection that left the list.
    pub(super) fn fill_list(&mut self, keep: bool) -> Option<MessageId> {
        let order = SortOrder {
            column: self.prefs.sort,
            descending: self.prefs.descending,
        };
        if let Some(query) = self.showing.query().map(str::to_owned) {
            let ids = self.search_ids(&query, order)?;
            self.count_results(&ids);
            return self.panels.list.show_flat(ids, keep);
        }
        let folder = self.showing.folder()?;
        if self.prefs.threaded {
            let listed = self.store.folder_conversations(folder, order);
            let conversations = self.feedback.report("list the folder", listed)?;
            self.panels
                .list
                .show_conversations(&self.store, conversations, keep)
        } else {
            let listed = self.store.folder_message_ids_sorted(folder, order);
            let ids = self.feedback.report("list the folder", listed)?;
            self.panels.list.show_flat(ids, keep)
        }
    }

    /// The status bar's totals: the shown folder's kept counts, or the counted search results.
    pub(super) fn list_totals(&self) -> ListTotals {
        if let Some(totals) = self.showing.search_totals() {
            return totals;
        }
        self.showing
            .folder()
            .and_then(|id| {
                self.mailboxes
                    .folders()
                    .iter()
                    .find(|folder| folder.id == id)
            })
            .map_or(ListTotals::Nothing, |folder| ListTotals::Folder {
                messages: folder.message_count,
                unread: folder.unread_count,
            })
    }

    /// Counts the search results and their unread for the status bar.
    pub(super) fn count_results(&mut self, ids: &[MessageId]) {
        let unread = self.store.unread_among(ids);
        let totals = match self.feedback.report("count unread results", unread) {
            Some(unread) => ListTotals::Search {
                found: ids.len(),
                unread,
                capped: ids.len() >= SEARCH_LIMIT,
            },
            None => ListTotals::Nothing,
        };
        self.showing.set_search_totals(totals);
    }

    /// Opens or closes the conversation whose first row is `head`.
    pub(super) fn open_conversation(&mut self, head: MessageId, open: bool) {
        self.panels.list.set_open(&self.store, head, open);
    }

    /// → and ←: opens or closes the conversation the cursor is in.
    pub(super) fn open_cursor_conversation(&mut self, open: bool) {
        if let Some((head, is_open)) = self.panels.list.cursor_conversation()
            && is_open != open
        {
            self.open_conversation(head, open);
        }
    }

    /// The newest matches, listed in the folder order (the store's [`SortOrder`]).
    fn search_ids(&mut self, query: &str, order: SortOrder) -> Option<Vec<MessageId>> {
        if is_single_letter(query) {
            // One letter matches most of the mail and has no prefix index: wait for the next.
            self.showing
                .set_error(Some("Type one more letter to search.".to_owned()));
            return None;
        }
        match self.store.search_ids_sorted(query, SEARCH_LIMIT, order) {
            Ok(ids) => {
                self.showing.set_error(None);
                Some(ids)
            }
            Err(err) => {
                // Half-typed queries (`from:`) are normal while typing: say so, keep the list.
                self.showing
                    .set_error(Some(format!("Search: {}", one_line(&err))));
                None
            }
        }
    }

    /// Shows a folder. A message the reader shows from another folder is closed, so the reader
    /// never shows what the list does not hold.
    pub(super) fn select_folder(&mut self, folder: FolderId) {
        self.showing.show_folder(folder);
        if self
            .panels
            .reader
            .as_ref()
            .is_some_and(|open| open.summary.folder_id != folder)
        {
            self.panels.reader = None;
        }
        self.prefs.selected_folder = self.mailboxes.path(folder).map(str::to_owned);
        self.fill_list(false);
    }

    /// A folder clicked in the tree: the search box empties too.
    pub(super) fn choose_folder(&mut self, folder: FolderId) {
        self.panels.top_bar.clear_search();
        self.select_folder(folder);
    }

    pub(super) fn search(&mut self, text: &str) {
        if text.trim().is_empty() {
            self.clear_search();
            return;
        }
        self.showing.search(text);
        self.fill_list(false);
    }

    /// Empties the search box and shows the folder the search started from.
    pub(super) fn clear_search(&mut self) {
        self.panels.top_bar.clear_search();
        if let Some(folder) = self.showing.folder() {
            self.select_folder(folder);
        }
    }

    /// Orders the list by `column`; the same column again reverses the order.
    pub(super) fn sort_by(&mut self, column: SortColumn) {
        if self.prefs.sort == column {
            self.prefs.descending = !self.prefs.descending;
        } else {
            self.prefs.sort = column;
            self.prefs.descending = matches!(column, SortColumn::Date | SortColumn::Size);
        }
        self.fill_list(false);
    }

    /// Moves the list's cursor (j/k, arrows) and shows the message it lands on.
    pub(super) fn step_selection(&mut self, delta: isize) {
        if let Some(id) = self.panels.list.step(delta) {
            self.show_message(id);
        }
    }

    /// Shows a message in the reader, marking it read.
    pub(super) fn show_message(&mut self, id: MessageId) {
        let loaded = OpenMessage::load(&self.store, id);
        if let Some(mut open) = self.feedback.report("open the message", loaded) {
            let unread = !open.summary.flags.seen;
            open.summary.flags.seen = true;
            self.panels.reader = Some(open);
            if unread {
                // After the reader holds it, so its conversation block shows it read.
                self.set_flag(&[id], FlagChange::Seen);
            }
        }
    }
}
