//! The message list: an id list loaded once per folder or search, row details fetched a page at
//! a time for the rows on screen and kept until something changes. This file holds the list's
//! content and selection; `table.rs` draws it (the cells in `cells.rs`, a row's right-click menu
//! in `menu.rs`).

mod cells;
mod columns;
mod menu;
mod table;
mod threads;

use std::collections::HashMap;

pub use columns::{ListColumn, ListColumns};
pub use table::ListContext;
pub use threads::{Head, RowShape};

use crate::model::{IdMap, IdSet, MessageId};
use crate::store::MessageSummary;

/// Rows fetched in one query when a row on screen is not cached yet.
const PAGE: usize = 64;
/// Height of one row in points.
pub const ROW_HEIGHT: f32 = 22.0;

/// Messages being dragged onto a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraggedMessages(pub Vec<MessageId>);

/// The list's content and selection.
#[derive(Debug, Default)]
pub struct MessageList {
    ids: Vec<MessageId>,
    rows: HashMap<MessageId, MessageSummary>,
    selected: IdSet<MessageId>,
    /// Where Shift-selection extends from.
    anchor: Option<usize>,
    /// The row keyboard navigation moves from.
    cursor: Option<usize>,
    first_visible: usize,
    scroll_offset: f32,
    pending_offset: Option<f32>,
    scroll_to: Option<usize>,
    /// Rows that fit on screen (Page Up and Page Down move by this many).
    page_rows: usize,
    /// The conversations of the threaded view (`None`: every message is a row).
    threads: Option<threads::Threads>,
    /// Indents and conversation counts of the threaded view's rows.
    shapes: IdMap<MessageId, RowShape>,
}

impl MessageList {
    /// An empty list.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Ids in list order.
    #[must_use]
    pub fn ids(&self) -> &[MessageId] {
        &self.ids
    }

    /// Shows a new set of messages, forgetting the selection and scrolling to the top.
    pub fn replace(&mut self, ids: Vec<MessageId>) {
        self.ids = ids;
        self.rows.clear();
        self.selected.clear();
        self.anchor = None;
        self.cursor = None;
        self.pending_offset = Some(0.0);
    }

    /// Shows the same list with changes (new mail, moved messages): the selection stays, and
    /// rows that appear above the visible ones shift the scroll so the view does not jump.
    /// When every selected message left the list (moved or deleted), the message after the
    /// cursor's is selected instead, as in Thunderbird, and returned (to be shown).
    pub fn refresh(&mut self, ids: Vec<MessageId>) -> Option<MessageId> {
        let old: IdSet<MessageId> = self.ids.iter().copied().collect();
        let first_visible_id = self.ids.get(self.first_visible).copied();
        let cursor_id = self.cursor.and_then(|index| self.ids.get(index).copied());
        let anchor_id = self.anchor.and_then(|index| self.ids.get(index).copied());
        let inserted_above = first_visible_id
            .and_then(|id| ids.iter().position(|candidate| *candidate == id))
            .map_or(0, |position| {
                ids[..position]
                    .iter()
                    .filter(|id| !old.contains(id))
                    .count()
            });
        let had_selection = !self.selected.is_empty();
        let old_ids = std::mem::replace(&mut self.ids, ids);
        self.rows.clear();
        let present: IdSet<MessageId> = self.ids.iter().copied().collect();
        self.selected.retain(|id| present.contains(id));
        self.cursor = cursor_id.and_then(|id| self.position(id));
        self.anchor = anchor_id.and_then(|id| self.position(id));
        if inserted_above > 0 && self.scroll_offset > 0.0 {
            #[expect(clippy::cast_precision_loss, reason = "a row count, far below 2^24")]
            let shift = inserted_above as f32 * ROW_HEIGHT;
            self.pending_offset = Some(self.scroll_offset + shift);
        }
        if !had_selection || !self.selected.is_empty() {
            return None;
        }
        let at = cursor_id
            .and_then(|id| old_ids.iter().position(|old_id| *old_id == id))
            .unwrap_or(0);
        let successor = old_ids[at.min(old_ids.len())..]
            .iter()
            .chain(old_ids[..at.min(old_ids.len())].iter().rev())
            .find(|id| present.contains(id))
            .copied()?;
        let index = self.position(successor)?;
        self.select_only(index);
        Some(successor)
    }

    /// Selects every row (a closed conversation's row brings its hidden messages).
    pub fn select_all(&mut self) {
        self.selected = self.ids.iter().copied().collect();
    }

    /// Rows that fit on screen, as last drawn.
    #[must_use]
    pub fn page_rows(&self) -> usize {
        self.page_rows
    }

    /// Forgets cached rows (flags or folders changed) without touching the selection.
    pub fn invalidate_rows(&mut self) {
        self.rows.clear();
    }

    fn position(&self, id: MessageId) -> Option<usize> {
        self.ids.iter().position(|candidate| *candidate == id)
    }

    /// Selected ids in list order; a selected closed conversation brings its hidden messages.
    #[must_use]
    pub fn selected_ids(&self) -> Vec<MessageId> {
        let mut ids = Vec::with_capacity(self.selected.len());
        for id in self.ids.iter().filter(|id| self.selected.contains(id)) {
            ids.push(*id);
            ids.extend_from_slice(self.hidden_behind(*id));
        }
        ids
    }

    /// How many messages are selected (a closed conversation's row counts its hidden ones).
    #[must_use]
    pub fn selected_count(&self) -> usize {
        self.selected
            .iter()
            .map(|id| 1 + self.hidden_behind(*id).len())
            .sum()
    }

    /// The one selected message, if exactly one is selected.
    #[must_use]
    pub fn single_selected(&self) -> Option<MessageId> {
        if self.selected.len() == 1 {
            self.selected.iter().next().copied()
        } else {
            None
        }
    }

    /// Selects only the row at `index` and makes it the cursor.
    pub fn select_only(&mut self, index: usize) {
        if let Some(id) = self.ids.get(index) {
            self.selected.clear();
            self.selected.insert(*id);
            self.anchor = Some(index);
            self.cursor = Some(index);
        }
    }

    /// Ctrl-click: adds or removes one row.
    pub fn toggle(&mut self, index: usize) {
        if let Some(id) = self.ids.get(index) {
            if !self.selected.remove(id) {
                self.selected.insert(*id);
            }
            self.anchor = Some(index);
            self.cursor = Some(index);
        }
    }

    /// Shift-click: selects every row from the anchor to `index`.
    pub fn extend_to(&mut self, index: usize) {
        let anchor = self.anchor.unwrap_or(index);
        let (low, high) = (anchor.min(index), anchor.max(index));
        self.selected.clear();
        self.selected
            .extend(self.ids.iter().skip(low).take(high - low + 1).copied());
        self.cursor = Some(index);
    }

    /// Moves the cursor by `delta` rows, selecting only that row; returns the new message.
    pub fn step(&mut self, delta: isize) -> Option<MessageId> {
        if self.ids.is_empty() {
            return None;
        }
        let last = self.ids.len() - 1;
        let next = match self.cursor {
            None => 0,
            Some(index) => index.saturating_add_signed(delta).min(last),
        };
        let next = match delta {
            isize::MIN => 0,
            isize::MAX => last,
            _ => next,
        };
        self.select_only(next);
        self.scroll_to = Some(next);
        self.ids.get(next).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list of messages 1..=n, nothing selected (also used by the table's tests).
    pub(super) fn list_of(n: i64) -> MessageList {
        let mut list = MessageList::new();
        list.replace((1..=n).map(MessageId).collect());
        list
    }

    #[test]
    fn shift_extends_and_ctrl_toggles() {
        let mut list = list_of(6);
        list.select_only(1);
        list.extend_to(3);
        assert_eq!(
            list.selected_ids(),
            [MessageId(2), MessageId(3), MessageId(4)]
        );
        list.toggle(2);
        assert_eq!(list.selected_ids(), [MessageId(2), MessageId(4)]);
        assert_eq!(list.single_selected(), None);
    }

    #[test]
    fn stepping_stays_inside_the_list() {
        let mut list = list_of(3);
        assert_eq!(list.step(1), Some(MessageId(1)));
        assert_eq!(list.step(1), Some(MessageId(2)));
        assert_eq!(list.step(5), Some(MessageId(3)));
        assert_eq!(list.step(-9), Some(MessageId(1)));
    }

    #[test]
    fn when_the_selection_leaves_the_message_after_it_is_selected() {
        let mut list = list_of(6);
        list.select_only(2);
        list.extend_to(3);
        // 3 and 4 were moved away; 5 came after the cursor's 4.
        let next = list.refresh([1, 2, 5, 6].map(MessageId).to_vec());
        assert_eq!(next, Some(MessageId(5)));
        assert_eq!(list.selected_ids(), [MessageId(5)]);
        // The last message goes: the one before it takes its place.
        list.select_only(3);
        assert_eq!(
            list.refresh([1, 2, 5].map(MessageId).to_vec()),
            Some(MessageId(5))
        );
        list.select_only(2);
        assert_eq!(
            list.refresh([1, 2].map(MessageId).to_vec()),
            Some(MessageId(2))
        );
        // New mail with the selection still there changes nothing.
        assert_eq!(list.refresh([9, 1, 2].map(MessageId).to_vec()), None);
        assert_eq!(list.selected_ids(), [MessageId(2)]);
        // Nothing was selected: nothing is.
        let mut empty = list_of(3);
        assert_eq!(empty.refresh([1, 2].map(MessageId).to_vec()), None);
    }

    #[test]
    fn home_end_and_select_all() {
        let mut list = list_of(5);
        assert_eq!(list.step(isize::MAX), Some(MessageId(5)));
        assert_eq!(list.step(isize::MIN), Some(MessageId(1)));
        list.select_all();
        assert_eq!(list.selected_ids().len(), 5);
    }

    #[test]
    fn refresh_keeps_the_selection_and_the_view_when_mail_arrives_above() {
        let mut list = list_of(50);
        list.select_only(20);
        list.first_visible = 10;
        list.scroll_offset = 10.0 * ROW_HEIGHT;
        let mut ids = vec![MessageId(100), MessageId(101)];
        ids.extend((1..=50).map(MessageId));
        list.refresh(ids);
        assert_eq!(list.selected_ids(), [MessageId(21)]);
        assert_eq!(list.cursor, Some(22));
        assert_eq!(list.pending_offset, Some(12.0 * ROW_HEIGHT));
    }
}
