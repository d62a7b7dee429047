//! Which columns the message list shows and in what order: the user's choice (the header's
//! right-click menu), kept in the preferences. Widths are egui's to remember: the table's id
//! follows the visible columns, so each arrangement keeps its own widths.

use egui_extras::Column;
use serde::{Deserialize, Serialize};

/// One column of the message list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ListColumn {
    /// The blue dot of unread mail.
    Unread,
    /// The flag star (a button).
    Flag,
    /// The paper clip of mail with attachments.
    Attachment,
    /// The subject, with a conversation's arrow and counts; always shown.
    Subject,
    /// The sender.
    From,
    /// The folder a search result sits in (search results only).
    Folder,
    /// The date, in local time.
    Date,
    /// The message's size.
    Size,
}

impl ListColumn {
    /// Every column, in the default order.
    pub const ALL: [Self; 8] = [
        Self::Unread,
        Self::Flag,
        Self::Attachment,
        Self::Subject,
        Self::From,
        Self::Folder,
        Self::Date,
        Self::Size,
    ];

    /// The column's name in the header menu.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Unread => "Unread",
            Self::Flag => "Flag",
            Self::Attachment => "Attachment",
            Self::Subject => "Subject",
            Self::From => "From",
            Self::Folder => "Folder (search results)",
            Self::Date => "Date",
            Self::Size => "Size",
        }
    }

    /// How wide the column is and how it grows: icons are fixed, the subject takes what the
    /// others leave, the rest can be dragged wider or narrower.
    #[must_use]
    pub fn sizing(self) -> Column {
        match self {
            Self::Unread => Column::exact(14.0),
            Self::Flag | Self::Attachment => Column::exact(18.0),
            Self::Subject => Column::remainder()
                .at_least(120.0)
                .clip(true)
                .resizable(false),
            Self::From => Column::initial(150.0).at_least(60.0).clip(true),
            Self::Folder => Column::initial(100.0).at_least(50.0).clip(true),
            Self::Date => Column::initial(80.0).at_least(50.0).clip(true),
            Self::Size => Column::initial(62.0).at_least(40.0).clip(true),
        }
    }
}

/// The user's arrangement of the list's columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ListColumns {
    /// Every column, in the order shown (a column missing from stored settings is added).
    order: Vec<ListColumn>,
    /// Columns the user turned off.
    hidden: Vec<ListColumn>,
}

impl Default for ListColumns {
    /// As Thunderbird starts: icons, Subject, From, Date; Size off; Folder in search results.
    fn default() -> Self {
        Self {
            order: ListColumn::ALL.to_vec(),
            hidden: vec![ListColumn::Size],
        }
    }
}

impl ListColumns {
    /// The columns drawn, in order: the Folder column only in search results, Subject always.
    #[must_use]
    pub fn visible(&self, searching: bool) -> Vec<ListColumn> {
        self.complete_order()
            .into_iter()
            .filter(|column| *column == ListColumn::Subject || !self.hidden.contains(column))
            .filter(|column| searching || *column != ListColumn::Folder)
            .collect()
    }

    /// Whether `column` is turned on.
    #[must_use]
    pub fn is_shown(&self, column: ListColumn) -> bool {
        column == ListColumn::Subject || !self.hidden.contains(&column)
    }

    /// Turns `column` on or off (the subject stays).
    pub fn set_shown(&mut self, column: ListColumn, shown: bool) {
        self.hidden.retain(|hidden| *hidden != column);
        if !shown && column != ListColumn::Subject {
            self.hidden.push(column);
        }
    }

    /// Moves `column` one place left (`-1`) or right (`+1`) among the columns shown with it,
    /// skipping hidden ones; returns false at an end.
    pub fn shift(&mut self, column: ListColumn, searching: bool, step: isize) -> bool {
        let visible = self.visible(searching);
        let Some(at) = visible.iter().position(|shown| *shown == column) else {
            return false;
        };
        let Some(neighbour) = at
            .checked_add_signed(step)
            .and_then(|to| visible.get(to).copied())
        else {
            return false;
        };
        let mut order = self.complete_order();
        let from = order.iter().position(|c| *c == column);
        let to = order.iter().position(|c| *c == neighbour);
        if let (Some(from), Some(to)) = (from, to) {
            order.swap(from, to);
        }
        self.order = order;
        true
    }

    /// The stored order with any column it lacks (an older or edited file) added at its default
    /// place, and repeats dropped.
    fn complete_order(&self) -> Vec<ListColumn> {
        let mut order: Vec<ListColumn> = Vec::with_capacity(ListColumn::ALL.len());
        for column in &self.order {
            if !order.contains(column) {
                order.push(*column);
            }
        }
        for (default_at, column) in ListColumn::ALL.iter().enumerate() {
            if !order.contains(column) {
                order.insert(default_at.min(order.len()), *column);
            }
        }
        order
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ListColumn::{Attachment, Date, Flag, Folder, From, Size, Subject, Unread};

    #[test]
    fn defaults_put_the_subject_first_and_the_folder_only_in_search_results() {
        let columns = ListColumns::default();
        assert_eq!(
            columns.visible(false),
            [Unread, Flag, Attachment, Subject, From, Date]
        );
        assert_eq!(
            columns.visible(true),
            [Unread, Flag, Attachment, Subject, From, Folder, Date]
        );
        assert!(!columns.is_shown(Size));
    }

    #[test]
    fn columns_turn_on_and_off_but_the_subject_stays() {
        let mut columns = ListColumns::default();
        columns.set_shown(Size, true);
        columns.set_shown(From, false);
        columns.set_shown(Subject, false);
        assert_eq!(
            columns.visible(false),
            [Unread, Flag, Attachment, Subject, Date, Size]
        );
        columns.set_shown(Folder, false);
        assert!(!columns.visible(true).contains(&Folder));
    }

    #[test]
    fn moving_skips_hidden_columns_and_stops_at_the_ends() {
        let mut columns = ListColumns::default();
        assert!(columns.shift(Date, false, -1), "Date passes From");
        assert_eq!(
            columns.visible(false),
            [Unread, Flag, Attachment, Subject, Date, From]
        );
        assert!(
            !columns.shift(From, false, 1),
            "From is last (Size is hidden)"
        );
        assert!(!columns.shift(Unread, false, -1));
        // In a folder the Folder column is not there to swap with: From passes Date.
        columns.shift(From, false, -1);
        assert_eq!(
            columns.visible(true),
            [Unread, Flag, Attachment, Subject, From, Folder, Date]
        );
    }

    #[test]
    fn a_stored_order_missing_columns_or_repeating_them_is_completed() {
        let columns = ListColumns {
            order: vec![Date, Date, Subject],
            hidden: Vec::new(),
        };
        let visible = columns.visible(true);
        assert_eq!(visible.len(), ListColumn::ALL.len());
        assert_eq!(&visible[..3], [Unread, Flag, Attachment]);
        for column in ListColumn::ALL {
            assert!(visible.contains(&column), "{column:?}");
        }
    }
}
