//! One order everywhere: a folder and a search over the same messages list them the same way,
//! for every column and direction, with ties, mixed case and non-ASCII names.

mod support;

use satchel::model::{FolderId, MessageId};
use satchel::store::{SortColumn, SortOrder};
use support::store::TempStore;

const COLUMNS: [SortColumn; 4] = [
    SortColumn::Date,
    SortColumn::From,
    SortColumn::Subject,
    SortColumn::Size,
];

/// Each `(from, subject, date, body)` becomes one message in folder `Work`, in this order.
const MESSAGES: [(&str, &str, &str, &str); 10] = [
    (
        "Émile <e1@example.org>",
        "Café",
        "Mon, 1 Jan 2024 10:00:00 +0000",
        "same body",
    ),
    (
        "émile <e2@example.org>",
        "café",
        "Mon, 1 Jan 2024 10:00:00 +0000",
        "same body",
    ),
    (
        "alice <a1@example.org>",
        "beta",
        "Tue, 2 Jan 2024 10:00:00 +0000",
        "longer body text",
    ),
    (
        "Alice <a2@example.org>",
        "Beta",
        "Wed, 3 Jan 2024 10:00:00 +0000",
        "same body",
    ),
    (
        "<bob@example.org>",
        "alpha",
        "Wed, 3 Jan 2024 10:00:00 +0000",
        "body two",
    ),
    (
        "Zoë <z1@example.org>",
        "ΣΟΦΙΑ",
        "Thu, 4 Jan 2024 10:00:00 +0000",
        "same body",
    ),
    (
        "zoe <z2@example.org>",
        "σοφια",
        "Fri, 5 Jan 2024 10:00:00 +0000",
        "body two",
    ),
    (
        "ΣΟΦΙΑ <s1@example.org>",
        "zeta",
        "Sat, 6 Jan 2024 10:00:00 +0000",
        "same body",
    ),
    (
        "σοφια <s2@example.org>",
        "Zeta",
        "Sat, 6 Jan 2024 10:00:00 +0000",
        "marker body",
    ),
    (
        "Bob <b2@example.org>",
        "",
        "Sun, 7 Jan 2024 10:00:00 +0000",
        "marker body",
    ),
];

fn corpus() -> (TempStore, FolderId, Vec<MessageId>) {
    let mut temp = TempStore::new();
    let work = temp.store.create_folder("Work").expect("folder");
    let ids = MESSAGES
        .iter()
        .enumerate()
        .map(|(n, (from, subject, date, body))| {
            let raw = format!(
                "From: {from}\r\nTo: me@example.org\r\nSubject: {subject}\r\nDate: {date}\r\n\
                 Message-ID: <{n}@sort.test>\r\n\r\n{body}\r\n"
            );
            temp.add(work, raw.as_bytes())
        })
        .collect();
    (temp, work, ids)
}

fn orders() -> impl Iterator<Item = SortOrder> {
    COLUMNS.into_iter().flat_map(|column| {
        [false, true]
            .into_iter()
            .map(move |descending| SortOrder { column, descending })
    })
}

#[test]
fn a_search_lists_its_hits_as_their_folder_does_in_every_order() {
    let (temp, work, ids) = corpus();
    let store = &temp.store;
    for order in orders() {
        let folder = store
            .folder_message_ids_sorted(work, order)
            .expect("folder");
        assert_eq!(folder.len(), ids.len(), "{order:?}");
        let everything = store
            .search_ids_sorted("folder:Work", 100, order)
            .expect("search");
        assert_eq!(everything, folder, "{order:?}");
        let hits = store.search_ids_sorted("same", 100, order).expect("search");
        let in_folder_order: Vec<MessageId> = folder
            .iter()
            .copied()
            .filter(|id| hits.contains(id))
            .collect();
        assert_eq!(hits.len(), 5, "{order:?}");
        assert_eq!(hits, in_folder_order, "{order:?}");
    }
}

#[test]
fn a_limited_search_orders_the_newest_hits() {
    let (temp, work, ids) = corpus();
    let store = &temp.store;
    let newest: Vec<MessageId> = store.search_ids("folder:Work", 4).expect("search");
    assert_eq!(newest, [ids[9], ids[8], ids[7], ids[6]]);
    for order in orders() {
        let folder = store
            .folder_message_ids_sorted(work, order)
            .expect("folder");
        let expected: Vec<MessageId> = folder
            .into_iter()
            .filter(|id| newest.contains(id))
            .collect();
        let limited = store
            .search_ids_sorted("folder:Work", 4, order)
            .expect("search");
        assert_eq!(limited, expected, "{order:?}");
    }
}

#[test]
fn text_ignores_case_beyond_ascii_and_ties_follow_the_date() {
    let (temp, work, ids) = corpus();
    let store = &temp.store;
    let listed = |column, descending| {
        let order = SortOrder { column, descending };
        let by_folder = store
            .folder_message_ids_sorted(work, order)
            .expect("folder");
        let by_search = store
            .search_ids_sorted("folder:Work", 100, order)
            .expect("search");
        assert_eq!(by_folder, by_search);
        by_folder
            .iter()
            .map(|id| ids.iter().position(|known| known == id).expect("known"))
            .collect::<Vec<usize>>()
    };
    // alice = Alice, bob (a name) before bob@example.org (no name: the address), zoe before
    // Zoë (ë after e), Émile = émile after the ASCII alphabet, then Greek; equal names oldest
    // first, and newest first when descending.
    assert_eq!(
        listed(SortColumn::From, false),
        [2, 3, 9, 4, 6, 5, 0, 1, 7, 8]
    );
    assert_eq!(
        listed(SortColumn::From, true),
        [8, 7, 1, 0, 5, 6, 4, 9, 3, 2]
    );
    assert_eq!(
        listed(SortColumn::Subject, false),
        [9, 4, 2, 3, 0, 1, 7, 8, 5, 6]
    );
    assert_eq!(
        listed(SortColumn::Date, false),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    );
    // Messages 0 and 1 have the same size: the newer comes first among the largest first.
    let size = |n: usize| store.message(ids[n]).expect("message").size;
    assert_eq!(size(0), size(1));
    let by_size = listed(SortColumn::Size, true);
    for pair in by_size.windows(2) {
        let (first, next) = (pair[0], pair[1]);
        assert!(size(first) > size(next) || (size(first) == size(next) && first > next));
    }
}

#[test]
fn names_outside_ascii_are_read_from_the_headers() {
    let (temp, _work, ids) = corpus();
    let summary = temp.store.message(ids[7]).expect("message");
    assert_eq!(summary.from_name, "ΣΟΦΙΑ");
    assert_eq!(temp.store.message(ids[4]).expect("message").from_name, "");
}
