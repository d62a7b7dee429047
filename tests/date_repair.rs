//! Migration 05: messages an older Satchel dated by their download time (no readable Date
//! header) are re-dated from their Received headers when the store opens, and their search
//! documents move with them.

mod support;

use std::fs;
use std::path::Path;

use rusqlite::{Connection, params};
use satchel::message;
use satchel::model::MessageId;
use satchel::store::{InsertOutcome, NewMessage, Store, raw_sha256};
use support::cli::fixture;

/// 2026-12-01 12:00 UTC: when the message was downloaded.
const DOWNLOADED: i64 = 1_796_126_400;
/// 2026-11-20 09:00 UTC: the newest Received date before that in `dates/no-date.eml`.
const RECEIVED: i64 = 1_795_165_200;

fn no_date_raw() -> Vec<u8> {
    fs::read(fixture("dates/no-date.eml")).expect("fixture")
}

fn queue_len(path: &Path) -> i64 {
    let conn = Connection::open(path).expect("open");
    conn.query_row("SELECT count(*) FROM date_repairs", [], |row| row.get(0))
        .expect("count")
}

fn ids(store: &Store, query: &str) -> Vec<MessageId> {
    store.search_ids(query, 50).expect("search")
}

#[test]
fn a_v3_store_gets_its_undated_mail_redated_and_searchable() {
    let dir = tempfile::tempdir().expect("temp");
    let path = dir.path().join("satchel.sqlite3");
    fs::copy(fixture("schemas/v3.sqlite3"), &path).expect("copy");
    // What Satchel before v4 wrote for a message without a Date header: its download time as
    // the date, and a sort key made from it.
    let raw = no_date_raw();
    let id: i64 = {
        let conn = Connection::open(&path).expect("open v3");
        let folder: i64 = conn
            .query_row(
                "SELECT id FROM folders WHERE name = 'Imported'",
                [],
                |row| row.get(0),
            )
            .expect("Imported folder");
        conn.execute(
            "INSERT INTO messages (sort_key, folder_id, raw_sha256, date, received_at, from_name,
                 from_addr, to_addrs, cc_addrs, subject, size, snippet)
             VALUES (?1, ?2, ?3, ?4, ?4, 'Clock Less', 'clockless@example.com',
                 'reader@example.org', '', 'No Date header at all', ?5, 'The sending program')",
            params![
                DOWNLOADED << 20,
                folder,
                &raw_sha256(&raw)[..],
                DOWNLOADED,
                raw.len()
            ],
        )
        .expect("old message");
        let id = conn.last_insert_rowid();
        conn.execute(
            "INSERT INTO message_raw (message_id, raw_bytes, compression) VALUES (?1, ?2, 'none')",
            params![id, raw],
        )
        .expect("raw");
        id
    };
    let before: Vec<(i64, i64)> = {
        let conn = Connection::open(&path).expect("open v3");
        let mut stmt = conn
            .prepare("SELECT id, date FROM messages WHERE id != ?1 ORDER BY id")
            .expect("dates");
        stmt.query_map([id], |row| Ok((row.get(0)?, row.get(1)?)))
            .expect("query")
            .map(|row| row.expect("row"))
            .collect()
    };

    let store = Store::open(&path).expect("upgrade");
    let id = MessageId(id);
    assert_eq!(store.message(id).expect("message").date, RECEIVED);
    assert_eq!(ids(&store, "sending program"), [id]);
    assert_eq!(
        ids(&store, "before:2026-11-21 after:2026-11-20 Clock"),
        [id]
    );
    store.check_search_index().expect("index in step");
    // Mail without Received headers (the malformed fixtures) keeps the date it had.
    for (other, date) in before {
        assert_eq!(
            store.message(MessageId(other)).expect("message").date,
            date,
            "message {other}"
        );
    }
    drop(store);
    assert_eq!(queue_len(&path), 0);
}

/// Stores `raw` as downloaded at `received_at` and returns its id and sort key.
fn insert(store: &mut Store, raw: &[u8], received_at: i64) -> (MessageId, i64) {
    let parsed = message::parse(raw, None);
    let sha = raw_sha256(raw);
    let folder = store.ensure_folder("Inbox").expect("folder");
    let outcome = store
        .insert_messages(&[NewMessage {
            raw,
            raw_sha256: &sha,
            parsed: &parsed,
            folder_id: folder,
            account_id: None,
            flags: satchel::model::Flags::default(),
            received_at,
            headers_only: false,
            stored_raw: None,
        }])
        .expect("insert");
    let InsertOutcome::Stored(id) = outcome[0] else {
        panic!("not stored");
    };
    let conn = Connection::open(store.path()).expect("open");
    let key = conn
        .query_row(
            "SELECT sort_key FROM messages WHERE id = ?1",
            [id.0],
            |row| row.get(0),
        )
        .expect("key");
    (id, key)
}

#[test]
fn a_move_interrupted_between_the_two_files_is_finished_at_the_next_open() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = Store::open_in(dir.path()).expect("store");
    let (id, key) = insert(&mut store, &no_date_raw(), DOWNLOADED);
    assert_eq!(
        store.message(id).expect("message").date,
        RECEIVED,
        "new mail"
    );
    let path = store.path().to_owned();
    drop(store);
    // The message row moved to another key; the index document did not (the index file's
    // commit was lost), and the queue entry still says where it was.
    {
        let conn = Connection::open(&path).expect("open");
        conn.execute(
            "UPDATE messages SET sort_key = ?2 WHERE id = ?1",
            params![id.0, key + 5],
        )
        .expect("move row");
        conn.execute(
            "INSERT INTO date_repairs (message_id, moved_from) VALUES (?1, ?2)",
            params![id.0, key],
        )
        .expect("queue");
    }
    let store = Store::open(&path).expect("reopen");
    assert_eq!(ids(&store, "sending program"), [id]);
    store.check_search_index().expect("index in step");
    assert_eq!(store.message(id).expect("message").date, RECEIVED);
    drop(store);
    assert_eq!(queue_len(&path), 0);
}

#[test]
fn a_real_date_header_equal_to_the_download_time_is_kept() {
    let dir = tempfile::tempdir().expect("temp");
    let mut store = Store::open_in(dir.path()).expect("store");
    let raw = fs::read(fixture("dates/new-york.eml")).expect("fixture");
    let written = message::parse(&raw, None).date.expect("Date header");
    let (id, key) = insert(&mut store, &raw, written);
    let (undated, _) = insert(&mut store, &no_date_raw(), DOWNLOADED);
    let path = store.path().to_owned();
    drop(store);
    {
        // Queued as the migration would queue it (date = received_at); the undated one is
        // put back under its download time, as an older Satchel stored it.
        let conn = Connection::open(&path).expect("open");
        conn.execute(
            "UPDATE messages SET date = received_at WHERE id = ?1",
            [undated.0],
        )
        .expect("old date");
        conn.execute(
            "INSERT INTO date_repairs (message_id) VALUES (?1), (?2)",
            [id.0, undated.0],
        )
        .expect("queue");
    }
    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.message(id).expect("message").date, written);
    assert_eq!(store.message(undated).expect("message").date, RECEIVED);
    assert_eq!(ids(&store, "York"), [id]);
    assert_eq!(ids(&store, "sending program"), [undated]);
    store.check_search_index().expect("index in step");
    let conn = Connection::open(&path).expect("open");
    let kept: i64 = conn
        .query_row(
            "SELECT sort_key FROM messages WHERE id = ?1",
            [id.0],
            |row| row.get(0),
        )
        .expect("key");
    assert_eq!(kept, key, "a message that keeps its date keeps its place");
}
