//! What message lists read: a folder's ids in a chosen order, and summaries for the rows on
//! screen (one query per page of rows, never one per row per frame).

use rusqlite::params_from_iter;

use super::Store;
use super::error::Result;
use super::messages::{SUMMARY_COLUMNS, summary_from_row};
use super::order::SortOrder;
use crate::model::{FolderId, MessageId};
use crate::store::MessageSummary;

/// Most ids bound in one summary query (SQLite's default limit is 32,766 parameters).
const SUMMARY_PAGE: usize = 500;

impl Store {
    /// Ids of a folder's messages in `order` (see [`SortOrder`]).
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn folder_message_ids_sorted(
        &self,
        folder: FolderId,
        order: SortOrder,
    ) -> Result<Vec<MessageId>> {
        if order == SortOrder::NEWEST_FIRST {
            return self.folder_message_ids(folder);
        }
        self.ids_in_order("folder_id = ?1", [folder.0], order)
    }

    /// Summaries of the given messages, in no particular order; unknown ids are left out.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn summaries(&self, ids: &[MessageId]) -> Result<Vec<MessageSummary>> {
        let mut summaries = Vec::with_capacity(ids.len());
        for page in ids.chunks(SUMMARY_PAGE) {
            let placeholders = vec!["?"; page.len()].join(",");
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {SUMMARY_COLUMNS} FROM messages WHERE id IN ({placeholders})"
            ))?;
            let rows = stmt.query_map(
                params_from_iter(page.iter().map(|id| id.0)),
                summary_from_row,
            )?;
            for row in rows {
                summaries.push(row?);
            }
        }
        Ok(summaries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message;
    use crate::model::Flags;
    use crate::store::SortColumn;
    use crate::store::{NewMessage, raw_sha256};

    fn store_with(messages: &[(&str, &str, &str)]) -> (tempfile::TempDir, Store, FolderId) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open_in(dir.path()).expect("store");
        let folder = store.ensure_folder("Work").expect("folder");
        for (n, (from, subject, body)) in messages.iter().enumerate() {
            let raw = format!(
                "From: {from}\r\nSubject: {subject}\r\nDate: Thu, 0{} Jan 2026 10:00:00 +0000\r\n\r\n{body}\r\n",
                n + 1
            );
            let parsed = message::parse(raw.as_bytes(), None);
            let sha = raw_sha256(raw.as_bytes());
            let new = NewMessage {
                raw: raw.as_bytes(),
                raw_sha256: &sha,
                parsed: &parsed,
                folder_id: folder,
                account_id: None,
                flags: Flags::default(),
                received_at: 0,
                headers_only: false,
                stored_raw: None,
            };
            store.insert_messages(&[new]).expect("insert");
        }
        (dir, store, folder)
    }

    fn subjects(store: &Store, ids: &[MessageId]) -> Vec<String> {
        ids.iter()
            .map(|id| store.message(*id).expect("message").subject)
            .collect()
    }

    #[test]
    fn folders_sort_by_each_column_both_ways() {
        let (_dir, store, folder) = store_with(&[
            (
                "Bob <b@example.org>",
                "beta",
                "a longer body than the others",
            ),
            ("alice <a@example.org>", "Gamma", "short"),
            ("<c@example.org>", "alpha", "mid length"),
        ]);
        let by = |column, descending| {
            let ids = store
                .folder_message_ids_sorted(folder, SortOrder { column, descending })
                .expect("ids");
            subjects(&store, &ids)
        };
        assert_eq!(by(SortColumn::Date, true), ["alpha", "Gamma", "beta"]);
        assert_eq!(by(SortColumn::Date, false), ["beta", "Gamma", "alpha"]);
        assert_eq!(by(SortColumn::Subject, false), ["alpha", "beta", "Gamma"]);
        assert_eq!(by(SortColumn::From, false), ["Gamma", "beta", "alpha"]);
        assert_eq!(by(SortColumn::Size, true)[0], "beta");
    }

    #[test]
    fn summaries_cover_every_known_id_across_pages() {
        let (_dir, store, folder) =
            store_with(&[("a@example.org", "one", "x"), ("b@example.org", "two", "y")]);
        let ids = store.folder_message_ids(folder).expect("ids");
        let mut asked: Vec<MessageId> =
            ids.iter().copied().cycle().take(SUMMARY_PAGE + 3).collect();
        asked.push(MessageId(999_999));
        let summaries = store.summaries(&asked).expect("summaries");
        assert!(summaries.iter().all(|summary| ids.contains(&summary.id)));
        assert!(summaries.len() >= 2);
    }
}
