//! Filters as SQL, and which index a search without words reads its matches from.
//!
//! Filters that may match few messages have an index that lists their matches (read state,
//! set flags, folders, sizes); the others usually match most messages. A search reads the newest
//! matches from the index of its rarest filter when that filter matches few messages; when every
//! filter matches many, it walks the date order through an index that holds every filtered
//! column, so no message row is read until it matches. Either way the work is
//! bounded by the index, never by the table: SQLite's own planner, without statistics, cannot
//! tell `is:flagged` (a few) from `is:unread` (nearly all).

use std::fmt::Write as _;

use rusqlite::Connection;

use super::query::Filter;
use crate::store::Folder;
use crate::store::error::{Result, StoreError};

/// Low bits of a sort key below the date (see `messages.rs`): a date range is a sort-key range.
const SORT_SEQUENCE_BITS: u32 = 20;

/// A filter matching fewer messages than this drives the search from its own index.
const FEW: i64 = 5_000;

/// The index that holds every filtered column in date order.
const ORDER_INDEX: &str = "messages_sort_filters";

/// How a filter's matches can be found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// This index lists exactly the filter's matches (or its column's values, in order).
    Index(&'static str),
    /// A range of the date order itself.
    DateRange,
    /// No index of its own: the filter usually matches most messages (`is:unflagged`, one
    /// account of a few), so it is checked along the date order.
    Checked,
}

/// One filter as SQL over `messages m`. Values are integers written into the text (ids, flags,
/// sizes, times), never user text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FilterSql {
    /// The column tested, e.g. `m.seen`.
    column: &'static str,
    /// The rest of the test, e.g. ` = 0` or ` IN (3,4)`.
    test: String,
    /// How its matches are found.
    access: Access,
}

impl FilterSql {
    fn new(column: &'static str, test: String, access: Access) -> Self {
        Self {
            column,
            test,
            access,
        }
    }

    /// The index that lists this filter's matches, if it has one.
    fn index(&self) -> Option<&'static str> {
        match self.access {
            Access::Index(index) => Some(index),
            Access::DateRange | Access::Checked => None,
        }
    }

    /// The condition in a form an index on its column can serve.
    fn indexable(&self) -> String {
        format!("{}{}", self.column, self.test)
    }

    /// The condition checked on rows found another way (`+` keeps SQLite from choosing an index
    /// for it); date ranges stay indexable, as they narrow the date order itself.
    pub(super) fn checked(&self) -> String {
        match self.access {
            Access::Index(_) | Access::Checked => format!("+{}{}", self.column, self.test),
            Access::DateRange => self.indexable(),
        }
    }
}

/// `filter` as SQL; folder and account names are looked up (unknown ones are errors).
pub(super) fn filter_sql(
    filter: &Filter,
    folders: &[Folder],
    account_id: impl FnOnce(&str) -> Result<i64>,
) -> Result<FilterSql> {
    let flag = |column, value: bool, access| {
        FilterSql::new(column, format!(" = {}", i32::from(value)), access)
    };
    // Set flags are rare, so only they have a (partial) index; their absence is checked.
    let rare_flag = |column, value: bool, index| {
        flag(
            column,
            value,
            if value {
                Access::Index(index)
            } else {
                Access::Checked
            },
        )
    };
    let sort_key_of = |time: i64| time.max(0).saturating_mul(1 << SORT_SEQUENCE_BITS);
    let bytes = |size: u64| i64::try_from(size).unwrap_or(i64::MAX);
    let by_size = Access::Index("messages_size");
    Ok(match filter {
        Filter::Folder(name) => {
            let wanted = name.trim_matches('/');
            let ids: Vec<String> = folders
                .iter()
                .filter(|f| {
                    f.path.eq_ignore_ascii_case(wanted) || f.name.eq_ignore_ascii_case(wanted)
                })
                .map(|f| f.id.0.to_string())
                .collect();
            if ids.is_empty() {
                return Err(StoreError::NoSuchFolder(name.clone()));
            }
            let test = format!(" IN ({})", ids.join(","));
            FilterSql::new("m.folder_id", test, Access::Index("messages_folder_sort"))
        }
        Filter::Account(name) => {
            let test = format!(" = {}", account_id(name)?);
            FilterSql::new("m.account_id", test, Access::Checked)
        }
        Filter::HasAttachment => rare_flag("m.has_attachments", true, "messages_attachments_sort"),
        Filter::Seen(seen) => flag("m.seen", *seen, Access::Index("messages_seen_sort")),
        Filter::Flagged(flagged) => rare_flag("m.flagged", *flagged, "messages_flagged_sort"),
        Filter::Answered => rare_flag("m.answered", true, "messages_answered_sort"),
        Filter::Before(time) => FilterSql::new(
            "m.sort_key",
            format!(" < {}", sort_key_of(*time)),
            Access::DateRange,
        ),
        Filter::After(time) => FilterSql::new(
            "m.sort_key",
            format!(" >= {}", sort_key_of(*time)),
            Access::DateRange,
        ),
        Filter::Larger(size) => FilterSql::new("m.size", format!(" > {}", bytes(*size)), by_size),
        Filter::Smaller(size) => FilterSql::new("m.size", format!(" < {}", bytes(*size)), by_size),
    })
}

/// The `FROM … WHERE …` part (after `FROM messages m`) that finds the messages matching every
/// filter, to be read newest first: from the index of the rarest filter when it matches few
/// messages, else along the date order through the index of every filtered column.
pub(super) fn plan(conn: &Connection, filters: &[FilterSql]) -> Result<String> {
    plan_with(conn, filters, FEW)
}

/// [`plan`] with `few` as the count below which a filter drives the search.
fn plan_with(conn: &Connection, filters: &[FilterSql], few: i64) -> Result<String> {
    let mut rarest: Option<(usize, i64)> = None;
    for (position, filter) in filters.iter().enumerate() {
        let Some(index) = filter.index() else {
            continue;
        };
        let count = count_up_to(conn, index, &filter.indexable(), few)?;
        if count < few && rarest.is_none_or(|(_, fewest)| count < fewest) {
            rarest = Some((position, count));
        }
    }
    let driver = rarest.map(|(position, _)| position);
    let index = driver
        .and_then(|position| filters[position].index())
        .unwrap_or(ORDER_INDEX);
    let first = driver.map_or_else(|| "1".to_owned(), |position| filters[position].indexable());
    let mut sql = format!(" INDEXED BY {index} WHERE {first}");
    for (position, filter) in filters.iter().enumerate() {
        if Some(position) != driver {
            let _ = write!(sql, " AND {}", filter.checked());
        }
    }
    Ok(sql)
}

/// How many messages `index` lists for `condition`, counting no further than `cap`.
fn count_up_to(conn: &Connection, index: &str, condition: &str, cap: i64) -> Result<i64> {
    let sql = format!(
        "SELECT count(*) FROM (SELECT 1 FROM messages m INDEXED BY {index} WHERE {condition} LIMIT {cap})"
    );
    Ok(conn.prepare_cached(&sql)?.query_row([], |row| row.get(0))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message;
    use crate::model::{Flags, FolderId};
    use crate::store::search::parse_query;
    use crate::store::{AccountSettings, NewMessage, Store, raw_sha256};

    /// What the oracle knows of a stored message.
    #[derive(Debug)]
    struct Row {
        id: i64,
        flags: Flags,
        attachments: bool,
        size: u64,
        account: Option<i64>,
        folder: i64,
        date: i64,
    }

    /// 90 messages over three folders (one an account's inbox) with every mix of flags, sizes
    /// from a few hundred bytes to tens of kilobytes, some with attachments, a day apart.
    fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open_in(dir.path()).expect("store");
        let account = store
            .add_account("home", &AccountSettings::default())
            .expect("account")
            .id;
        let inbox = store.inbox_of(account).expect("inbox");
        let work = store.ensure_folder("Work").expect("folder");
        let old = store.ensure_folder("Old").expect("folder");
        for n in 0..90_u32 {
            let day = 1 + n % 28;
            let month = 1 + n / 28;
            let filler = "word ".repeat(60 * ((n as usize * 7) % 13));
            let attachment = if n % 5 == 0 {
                "--b\r\nContent-Type: application/pdf; name=\"a.pdf\"\r\n\
                 Content-Disposition: attachment; filename=\"a.pdf\"\r\n\r\nJVBERi0=\r\n"
            } else {
                ""
            };
            let raw = format!(
                "From: s{n}@example.org\r\nSubject: m{n}\r\n\
                 Date: Mon, {day:02} {} 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\n\
                 Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
                 --b\r\nContent-Type: text/plain\r\n\r\n{filler}\r\n{attachment}--b--\r\n",
                ["Jan", "Feb", "Mar", "Apr"][month as usize - 1]
            );
            let parsed = message::parse(raw.as_bytes(), None);
            let sha = raw_sha256(raw.as_bytes());
            let (folder, account_id) = match n % 3 {
                0 => (inbox, Some(account)),
                1 => (work, None),
                _ => (old, None),
            };
            let new = NewMessage {
                raw: raw.as_bytes(),
                raw_sha256: &sha,
                parsed: &parsed,
                folder_id: folder,
                account_id,
                flags: Flags {
                    seen: n % 2 == 0,
                    flagged: n % 7 == 0,
                    answered: n % 4 == 1,
                },
                received_at: 0,
                headers_only: false,
                stored_raw: None,
            };
            store.insert_messages(&[new]).expect("insert");
        }
        (dir, store)
    }

    fn rows(store: &Store) -> Vec<Row> {
        let mut stmt = store
            .conn
            .prepare(
                "SELECT id, seen, flagged, answered, has_attachments, size, account_id, folder_id, date
                 FROM messages ORDER BY sort_key DESC",
            )
            .expect("prepare");
        stmt.query_map([], |row| {
            Ok(Row {
                id: row.get(0)?,
                flags: Flags {
                    seen: row.get(1)?,
                    flagged: row.get(2)?,
                    answered: row.get(3)?,
                },
                attachments: row.get(4)?,
                size: row.get(5)?,
                account: row.get(6)?,
                folder: row.get(7)?,
                date: row.get(8)?,
            })
        })
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
    }

    /// The oracle: what `filter` means, evaluated on one row.
    fn holds(filter: &Filter, row: &Row, folder_of: &dyn Fn(&str) -> FolderId) -> bool {
        match filter {
            Filter::Folder(name) => row.folder == folder_of(name).0,
            Filter::Account(_) => row.account.is_some(),
            Filter::HasAttachment => row.attachments,
            Filter::Seen(seen) => row.flags.seen == *seen,
            Filter::Flagged(flagged) => row.flags.flagged == *flagged,
            Filter::Answered => row.flags.answered,
            Filter::Before(time) => row.date < *time,
            Filter::After(time) => row.date >= *time,
            Filter::Larger(size) => row.size > *size,
            Filter::Smaller(size) => row.size < *size,
        }
    }

    /// The query's filters as SQL (the test store's one account has id 1).
    fn sql_of(query: &crate::store::search::Query, folders: &[Folder]) -> Vec<FilterSql> {
        query
            .filters
            .iter()
            .map(|f| filter_sql(f, folders, |_| Ok(1)))
            .collect::<Result<_>>()
            .expect("filters")
    }

    #[test]
    fn both_plans_find_exactly_what_every_filter_and_mix_means_newest_first() {
        let (_dir, store) = store();
        let rows = rows(&store);
        let folders = store.folders_without_counts().expect("folders");
        let folder_of = |name: &str| {
            folders
                .iter()
                .find(|f| f.path.eq_ignore_ascii_case(name))
                .map(|f| f.id)
                .expect("folder")
        };
        let queries = [
            "is:unread",
            "is:read",
            "is:flagged",
            "is:unflagged",
            "is:answered",
            "has:attachment",
            "larger:2K",
            "smaller:1K",
            "before:2024-02-10",
            "after:2024-03-05",
            "folder:Work",
            "account:home",
            "is:unread is:flagged",
            "is:read has:attachment larger:1K",
            "is:unflagged smaller:3K folder:Old",
            "after:2024-01-20 before:2024-03-01 is:unread",
            "account:home is:answered",
            "larger:100K",
            "is:flagged is:answered has:attachment",
        ];
        for text in queries {
            let query = parse_query(text, &crate::dates::TimeZone::UTC).expect("query");
            let expected: Vec<i64> = rows
                .iter()
                .filter(|row| query.filters.iter().all(|f| holds(f, row, &folder_of)))
                .map(|row| row.id)
                .collect();
            let filters = sql_of(&query, &folders);
            // Few = 0: always along the date order; few = max: always from the rarest index.
            for few in [0, i64::MAX] {
                let found = plan_with(&store.conn, &filters, few).expect("plan");
                let sql = format!("SELECT m.id FROM messages m{found} ORDER BY m.sort_key DESC");
                let ids: Vec<i64> = store
                    .conn
                    .prepare(&sql)
                    .expect("prepare")
                    .query_map([], |row| row.get(0))
                    .expect("query")
                    .collect::<rusqlite::Result<_>>()
                    .expect("ids");
                assert_eq!(ids, expected, "{text} (few = {few}): {sql}");
            }
        }
        assert!(
            rows.iter().any(|r| r.attachments) && rows.iter().any(|r| r.size > 2048),
            "the corpus covers the filters"
        );
    }

    #[test]
    fn a_filter_matching_few_messages_drives_the_search_from_its_index() {
        let (_dir, store) = store();
        let folders = store.folders_without_counts().expect("folders");
        let sql = |text: &str, few| {
            let filters = sql_of(
                &parse_query(text, &crate::dates::TimeZone::UTC).expect("query"),
                &folders,
            );
            plan_with(&store.conn, &filters, few).expect("plan")
        };
        // 13 of 90 are flagged, 45 unread: with "few" at 20 the flag drives.
        assert!(sql("is:unread is:flagged", 20).contains("INDEXED BY messages_flagged_sort"));
        assert!(sql("is:unread is:flagged", 10).contains("INDEXED BY messages_sort_filters"));
        assert!(sql("is:read", 1000).contains("INDEXED BY messages_seen_sort"));
    }
}
