//! The one order of message lists, in folders and in search results alike, written once as SQL.
//!
//! - Text columns (sender, subject) compare through the [`FOLD_COLLATION`] collation:
//!   [`fold_cmp`], Unicode lowercase of each character, then code point order; so `Émile`,
//!   `émile` and `ÉMILE` are equal and sort together. Accents are kept (`e` < `z` < `é`).
//! - Equal values are ordered by `sort_key` (date, then arrival) in the same direction, so
//!   every order is total: the same messages come out the same way wherever they are listed.

use std::cmp::Ordering;

/// Name of the collation every store connection registers (see [`register_collation`]).
pub(super) const FOLD_COLLATION: &str = "satchel_fold";

/// The column a message list is ordered by.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
pub enum SortColumn {
    /// Date (the `Date` header, or arrival time); uses the folder's index, no sort step.
    #[default]
    Date,
    /// The name shown for the sender ([`crate::message::Sender::shown`]), ignoring case.
    From,
    /// Subject, ignoring case.
    Subject,
    /// Raw size.
    Size,
}

impl SortColumn {
    /// The SQL expression over a `messages` row that this column orders by, before the
    /// `sort_key` tie-break; `None` for [`SortColumn::Date`], which is the `sort_key` itself.
    fn key(self) -> Option<String> {
        match self {
            Self::Date => None,
            // The same rule as `Sender::shown`: the display name, else the address.
            Self::From => Some(format!(
                "(CASE WHEN from_name = '' THEN from_addr ELSE from_name END) COLLATE {FOLD_COLLATION}"
            )),
            Self::Subject => Some(format!("subject COLLATE {FOLD_COLLATION}")),
            Self::Size => Some("size".to_owned()),
        }
    }
}

/// The order of a message list: a column and a direction (ties as the module says).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SortOrder {
    /// What is compared.
    pub column: SortColumn,
    /// Newest / largest / Z first.
    pub descending: bool,
}

impl Default for SortOrder {
    fn default() -> Self {
        Self::NEWEST_FIRST
    }
}

impl SortOrder {
    /// Newest first: the order the indexes already hold (no sort step).
    pub const NEWEST_FIRST: Self = Self {
        column: SortColumn::Date,
        descending: true,
    };

    /// The terms of an `ORDER BY` over `messages` rows, tie-break included.
    pub(super) fn order_by(self) -> String {
        let direction = if self.descending { "DESC" } else { "ASC" };
        match self.column.key() {
            None => format!("sort_key {direction}"),
            Some(key) => format!("{key} {direction}, sort_key {direction}"),
        }
    }

    /// A query for the ids of the `messages` rows where `condition` holds, in this order.
    pub(super) fn select_ids(self, condition: &str) -> String {
        format!(
            "SELECT id FROM messages WHERE {condition} ORDER BY {}",
            self.order_by()
        )
    }
}

/// The comparison behind [`FOLD_COLLATION`]: both texts lowercased character by character
/// (`char::to_lowercase`, no locale), then compared by code point.
pub(super) fn fold_cmp(left: &str, right: &str) -> Ordering {
    left.chars()
        .flat_map(char::to_lowercase)
        .cmp(right.chars().flat_map(char::to_lowercase))
}

/// Registers [`FOLD_COLLATION`] on a connection (it lives in the connection, not the file).
pub(super) fn register_collation(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    conn.create_collation(FOLD_COLLATION, fold_cmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_in_and_beyond_ascii() {
        assert_eq!(fold_cmp("Alice", "alice"), Ordering::Equal);
        assert_eq!(fold_cmp("ÉMILE", "émile"), Ordering::Equal);
        assert_eq!(fold_cmp("ΣΟΦΙΑ", "σοφια"), Ordering::Equal);
        assert_eq!(fold_cmp("bob", "Carol"), Ordering::Less);
        assert_eq!(fold_cmp("Zoë", "zoe"), Ordering::Greater);
        // Accented letters keep their place after the unaccented alphabet.
        assert_eq!(fold_cmp("Émile", "zed"), Ordering::Greater);
        assert_eq!(fold_cmp("", "a"), Ordering::Less);
        assert_eq!(fold_cmp("ann", "Anna"), Ordering::Less);
    }

    #[test]
    fn every_order_ends_in_the_sort_key_in_its_own_direction() {
        let order = |column, descending| SortOrder { column, descending }.order_by();
        assert_eq!(order(SortColumn::Date, true), "sort_key DESC");
        assert_eq!(order(SortColumn::Date, false), "sort_key ASC");
        assert_eq!(order(SortColumn::Size, true), "size DESC, sort_key DESC");
        assert_eq!(
            order(SortColumn::Subject, false),
            "subject COLLATE satchel_fold ASC, sort_key ASC"
        );
        assert!(
            order(SortColumn::From, true).ends_with("COLLATE satchel_fold DESC, sort_key DESC")
        );
        assert_eq!(SortOrder::default(), SortOrder::NEWEST_FIRST);
    }
}
