//! What the message list shows: one folder, or the results of a search. Whether the list is
//! "searching" (and so has a folder column) follows from this one value.

use crate::model::FolderId;
use crate::ui::panels::status_bar::ListTotals;

/// The list's content: a folder or a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Showing {
    /// A folder's messages; `None` until the store has a folder.
    Folder(Option<FolderId>),
    /// The results of a search.
    Search {
        /// The query as typed.
        query: String,
        /// Why the list still shows earlier results (one letter typed, a half-typed `from:`).
        error: Option<String>,
        /// The folder shown again when the search is cleared.
        folder: Option<FolderId>,
        /// How many results the list holds and how many are unread, once counted.
        totals: ListTotals,
    },
}

impl Default for Showing {
    fn default() -> Self {
        Self::Folder(None)
    }
}

impl Showing {
    /// The folder chosen last: the one shown, or the one a search returns to.
    #[must_use]
    pub fn folder(&self) -> Option<FolderId> {
        match self {
            Self::Folder(folder) | Self::Search { folder, .. } => *folder,
        }
    }

    /// The folder the tree highlights: none while searching.
    #[must_use]
    pub fn highlighted_folder(&self) -> Option<FolderId> {
        match self {
            Self::Folder(folder) => *folder,
            Self::Search { .. } => None,
        }
    }

    /// The running query, while searching.
    #[must_use]
    pub fn query(&self) -> Option<&str> {
        match self {
            Self::Folder(_) => None,
            Self::Search { query, .. } => Some(query),
        }
    }

    /// True while the list shows search results.
    #[must_use]
    pub fn is_search(&self) -> bool {
        matches!(self, Self::Search { .. })
    }

    /// Why the search shows no new results, if it does not.
    #[must_use]
    pub fn error(&self) -> Option<&str> {
        match self {
            Self::Search {
                error: Some(error), ..
            } => Some(error),
            _ => None,
        }
    }

    /// Shows a folder (leaving any search).
    pub fn show_folder(&mut self, folder: FolderId) {
        *self = Self::Folder(Some(folder));
    }

    /// Starts (or changes) a search; clearing it returns to the folder shown now.
    pub fn search(&mut self, query: &str) {
        *self = Self::Search {
            query: query.to_owned(),
            error: None,
            folder: self.folder(),
            totals: ListTotals::Nothing,
        };
    }

    /// Records why the search has no results to show (or that it has, with `None`).
    pub fn set_error(&mut self, why: Option<String>) {
        if let Self::Search { error, .. } = self {
            *error = why;
        }
    }

    /// Records the results' totals for the status bar (a folder's come from its counts).
    pub fn set_search_totals(&mut self, counted: ListTotals) {
        if let Self::Search { totals, .. } = self {
            *totals = counted;
        }
    }

    /// The search's totals; `None` while a folder is shown.
    #[must_use]
    pub fn search_totals(&self) -> Option<ListTotals> {
        match self {
            Self::Folder(_) => None,
            Self::Search { totals, .. } => Some(*totals),
        }
    }

    /// The line the list shows when it is empty.
    #[must_use]
    pub fn empty_list_text(&self) -> &'static str {
        if self.is_search() {
            "No messages match."
        } else {
            "This folder is empty."
        }
    }
}

/// A query that is one Latin letter or digit (a single ideograph is a whole word and searches).
#[must_use]
pub fn is_single_letter(query: &str) -> bool {
    let mut chars = query.trim().chars();
    matches!((chars.next(), chars.next()), (Some(ch), None) if ch.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_remembers_the_folder_it_returns_to_and_hides_its_highlight() {
        let inbox = FolderId(3);
        let mut showing = Showing::default();
        assert_eq!(showing.folder(), None);
        showing.show_folder(inbox);
        assert_eq!(showing.highlighted_folder(), Some(inbox));
        assert!(!showing.is_search());

        showing.search("invoice");
        assert!(showing.is_search());
        assert_eq!(showing.query(), Some("invoice"));
        assert_eq!(showing.highlighted_folder(), None);
        assert_eq!(showing.folder(), Some(inbox), "Escape goes back here");
        assert_eq!(showing.empty_list_text(), "No messages match.");

        showing.search("invoices");
        assert_eq!(showing.folder(), Some(inbox), "typing on keeps the folder");
        showing.show_folder(FolderId(4));
        assert_eq!(showing, Showing::Folder(Some(FolderId(4))));
        assert_eq!(showing.query(), None);
    }

    #[test]
    fn an_error_belongs_to_the_search_and_a_new_query_clears_it() {
        let mut showing = Showing::Folder(Some(FolderId(1)));
        showing.set_error(Some("ignored".to_owned()));
        assert_eq!(showing.error(), None, "a folder has no search error");
        showing.search("a");
        showing.set_error(Some("Type one more letter to search.".to_owned()));
        assert_eq!(showing.error(), Some("Type one more letter to search."));
        showing.search("ab");
        assert_eq!(showing.error(), None);
    }

    #[test]
    fn one_latin_letter_waits_but_one_ideograph_searches() {
        assert!(is_single_letter(" a "));
        assert!(is_single_letter("7"));
        assert!(!is_single_letter("ab"));
        assert!(!is_single_letter("日"));
        assert!(!is_single_letter(""));
    }
}
