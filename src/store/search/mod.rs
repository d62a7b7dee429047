//! Full-text search over the store: parse the query, match the FTS5 index, filter, newest first.

mod filters;
mod query;
mod snippet;

use std::collections::HashMap;
use std::fmt::Write as _;

use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::Store;
use super::error::Result;
use super::order::SortOrder;
use crate::model::{Flags, FolderId, MessageId};

pub use query::{Field, Filter, Query, QueryError, Term, parse_query};
pub use snippet::fold_char;

/// One search result, with what a result list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchHit {
    /// Message id.
    pub id: MessageId,
    /// `Date` header (or arrival), Unix seconds.
    pub date: i64,
    /// Sender display name.
    pub from_name: String,
    /// Sender address.
    pub from_addr: String,
    /// Decoded subject.
    pub subject: String,
    /// Folder holding the message.
    pub folder_id: FolderId,
    /// That folder's path.
    pub folder: String,
    /// Raw size in bytes.
    pub size: u64,
    /// Carries a real attachment.
    pub has_attachments: bool,
    /// Read / flagged / answered.
    pub flags: Flags,
    /// Text around the match (or the body preview for filter-only searches).
    pub snippet: String,
}

impl SearchHit {
    /// Who sent it, as lists and `From` lines show it.
    #[must_use]
    pub fn sender(&self) -> crate::message::Sender<'_> {
        crate::message::Sender::new(&self.from_name, &self.from_addr)
    }
}

const HIT_COLUMNS: &str = "m.id, m.date, m.from_name, m.from_addr, m.subject, m.folder_id, m.size, m.has_attachments, \
     m.seen, m.flagged, m.answered";

impl Store {
    /// Runs a search and returns up to `limit` hits, newest first; `before:` and `after:` name
    /// days in the store's [`time_zone`](Store::time_zone).
    ///
    /// # Errors
    /// [`StoreError::Query`](crate::store::StoreError::Query) for a malformed query,
    /// [`StoreError::NoSuchFolder`](crate::store::StoreError::NoSuchFolder) /
    /// [`StoreError::NoSuchAccount`](crate::store::StoreError::NoSuchAccount) for unknown names,
    /// or a SQLite failure.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let query = parse_query(text, &self.time_zone)?;
        self.run_query(&query, limit)
    }

    /// Runs a parsed query; see [`Store::search`].
    ///
    /// # Errors
    /// As [`Store::search`].
    pub fn run_query(&self, query: &Query, limit: usize) -> Result<Vec<SearchHit>> {
        let folder_paths: HashMap<FolderId, String> = self
            .folders_without_counts()?
            .into_iter()
            .map(|f| (f.id, f.path))
            .collect();
        let (sql, values) =
            self.query_sql(query, &format!("{HIT_COLUMNS}, m.snippet"), true, limit)?;
        let words = snippet::query_words(query);
        let mut hits = self.collect_hits(&sql, values, &words)?;
        for hit in &mut hits {
            if let Some(path) = folder_paths.get(&hit.folder_id) {
                hit.folder.clone_from(path);
            }
        }
        Ok(hits)
    }

    /// Ids of up to `limit` messages matching `text`, newest first: what a message list needs,
    /// without the snippets (which read each hit's text).
    ///
    /// # Errors
    /// As [`Store::search`].
    pub fn search_ids(&self, text: &str, limit: usize) -> Result<Vec<MessageId>> {
        self.search_ids_sorted(text, limit, SortOrder::NEWEST_FIRST)
    }

    /// The newest `limit` messages matching `text`, listed in `order`: the same order a folder
    /// holding them lists them in ([`Store::folder_message_ids_sorted`]).
    ///
    /// # Errors
    /// As [`Store::search`].
    pub fn search_ids_sorted(
        &self,
        text: &str,
        limit: usize,
        order: SortOrder,
    ) -> Result<Vec<MessageId>> {
        let query = parse_query(text, &self.time_zone)?;
        let (newest, values) = self.query_sql(&query, "m.id", false, limit)?;
        if order != SortOrder::NEWEST_FIRST {
            let condition = format!("id IN ({newest})");
            return self.ids_in_order(&condition, params_from_iter(values), order);
        }
        let mut stmt = self.conn.prepare_cached(&newest)?;
        let ids = stmt
            .query_map(params_from_iter(values), |row| row.get(0).map(MessageId))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// The SQL and parameters for a query selecting `columns` (from `messages m`); with
    /// `with_text`, a last column holds the start of each full-text hit's body (else NULL).
    fn query_sql(
        &self,
        query: &Query,
        columns: &str,
        with_text: bool,
        limit: usize,
    ) -> Result<(String, Vec<Value>)> {
        let folders = self.folders_without_counts()?;
        let filters = query
            .filters
            .iter()
            .map(|filter| {
                filters::filter_sql(filter, &folders, |name| {
                    Ok(self.account_by_name(name)?.id.0)
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let expression = query.fts_expression();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        // Both plans read rows in sort_key order (newest first) and stop at the limit.
        if let Some(expression) = expression {
            let (text_column, text_join) = if with_text {
                (
                    ", t.body_head",
                    "JOIN idx.indexed_text t ON t.sort_key = message_fts.rowid",
                )
            } else {
                ("", "")
            };
            let mut conditions = String::new();
            for filter in &filters {
                let _ = write!(conditions, " AND {}", filter.checked());
            }
            let sql = format!(
                "SELECT {columns}{text_column}
                 FROM idx.message_fts
                 JOIN messages m ON m.sort_key = message_fts.rowid
                 {text_join}
                 WHERE message_fts MATCH ?1{conditions}
                 ORDER BY message_fts.rowid DESC LIMIT {limit}"
            );
            Ok((sql, vec![Value::Text(expression)]))
        } else {
            let text_column = if with_text { ", NULL" } else { "" };
            let found = filters::plan(&self.conn, &filters)?;
            let sql = format!(
                "SELECT {columns}{text_column} FROM messages m{found}
                 ORDER BY m.sort_key DESC LIMIT {limit}"
            );
            Ok((sql, Vec::new()))
        }
    }

    fn collect_hits(
        &self,
        sql: &str,
        values: Vec<Value>,
        words: &[String],
    ) -> Result<Vec<SearchHit>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let hits = stmt
            .query_map(params_from_iter(values), |row| {
                Ok(SearchHit {
                    id: MessageId(row.get(0)?),
                    date: row.get(1)?,
                    from_name: row.get(2)?,
                    from_addr: row.get(3)?,
                    subject: row.get(4)?,
                    folder_id: FolderId(row.get(5)?),
                    folder: String::new(),
                    size: row.get(6)?,
                    has_attachments: row.get(7)?,
                    flags: Flags {
                        seen: row.get(8)?,
                        flagged: row.get(9)?,
                        answered: row.get(10)?,
                    },
                    snippet: {
                        let summary: String = row.get(11)?;
                        let body = super::index::read_body_head(row.get_ref(12)?);
                        body.and_then(|body| snippet::around_match(&body, words))
                            .unwrap_or(summary)
                    },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(hits)
    }
}
