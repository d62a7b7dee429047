//! Stores written by every earlier schema open with nothing lost.
//!
//! `tests/data/schemas/vN.sqlite3` is a store written by the Satchel that had schema N, with
//! folders, flags, Trash, an account and POP3 state. When a migration is added, the store the
//! previous version wrote is added here, so every upgrade path stays tested.

mod support;

use std::collections::BTreeMap;
use std::fs;

use rusqlite::Connection;
use satchel::model::MessageId;
use satchel::store::{Store, latest_version};

/// What must survive an upgrade, read with plain SQL before Satchel touches the file.
#[derive(Debug, PartialEq)]
struct Snapshot {
    raw_by_id: BTreeMap<i64, Vec<u8>>,
    subject_flags_folder: BTreeMap<i64, (String, bool, bool, String)>,
    folder_paths: Vec<String>,
    pop_uidls: Vec<(String, Option<i64>)>,
}

fn snapshot_sql(conn: &Connection) -> Snapshot {
    let mut raw_by_id = BTreeMap::new();
    // Schema v1 stores raw bytes zstd-compressed when that saves space; decode them here with
    // plain SQL and the zstd crate, independently of Satchel's own reader.
    let mut stmt = conn
        .prepare("SELECT r.message_id, r.raw_bytes, r.compression, m.size FROM message_raw r JOIN messages m ON m.id = r.message_id")
        .expect("raw");
    for row in stmt
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .expect("query")
    {
        let (id, stored, compression, size): (i64, Vec<u8>, String, usize) = row.expect("row");
        let raw = match compression.as_str() {
            "zstd" => zstd::bulk::decompress(&stored, size).expect("valid zstd frame"),
            _ => stored,
        };
        raw_by_id.insert(id, raw);
    }
    let mut subject_flags_folder = BTreeMap::new();
    let mut stmt = conn
        .prepare("SELECT m.id, m.subject, m.seen, m.flagged, f.name FROM messages m JOIN folders f ON f.id = m.folder_id")
        .expect("messages");
    for row in stmt
        .query_map([], |row| {
            Ok((
                row.get(0)?,
                (row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?),
            ))
        })
        .expect("query")
    {
        let (id, values): (i64, (String, bool, bool, String)) = row.expect("row");
        subject_flags_folder.insert(id, values);
    }
    let mut folder_paths: Vec<String> = conn
        .prepare("SELECT name FROM folders")
        .expect("folders")
        .query_map([], |row| row.get(0))
        .expect("q")
        .map(|r| r.expect("row"))
        .collect();
    folder_paths.sort();
    let pop_uidls = conn
        .prepare("SELECT uidl, message_id FROM pop_state ORDER BY uidl")
        .expect("pop")
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("q")
        .map(|r| r.expect("row"))
        .collect();
    Snapshot {
        raw_by_id,
        subject_flags_folder,
        folder_paths,
        pop_uidls,
    }
}

#[test]
fn every_earlier_schema_upgrades_without_loss() {
    let schemas = fs::read_dir(support::cli::fixture("schemas")).expect("schemas dir");
    let mut checked = 0;
    for entry in schemas {
        let source = entry.expect("entry").path();
        if source.extension().is_none_or(|ext| ext != "sqlite3") {
            continue;
        }
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("satchel.sqlite3");
        fs::copy(&source, &path).expect("copy");
        let before = snapshot_sql(&Connection::open(&path).expect("raw open"));
        assert!(
            !before.raw_by_id.is_empty(),
            "{} holds messages",
            source.display()
        );

        let store = Store::open(&path).unwrap_or_else(|err| panic!("{}: {err}", source.display()));
        assert_eq!(store.schema_version().expect("version"), latest_version());
        assert_eq!(store.integrity_check().expect("check"), "ok");
        store.check_search_index().expect("index in step");
        for (id, raw) in &before.raw_by_id {
            assert_eq!(
                &store.raw_message(MessageId(*id)).expect("raw"),
                raw,
                "message {id} of {}",
                source.display()
            );
        }
        assert!(
            !store.search("Jürgen", 100).expect("search").is_empty(),
            "search still works"
        );
        drop(store);
        let after_conn = Connection::open(&path).expect("raw open");
        let ungrouped: i64 = after_conn
            .query_row(
                "SELECT count(*) FROM messages WHERE thread_id IS NULL",
                [],
                |row| row.get(0),
            )
            .expect("count");
        assert_eq!(
            ungrouped,
            0,
            "{}: every message joins a conversation",
            source.display()
        );
        let after = snapshot_sql(&after_conn);
        assert_eq!(after, before, "{}", source.display());
        checked += 1;
    }
    assert!(
        checked >= latest_version(),
        "one fixture per schema version, found {checked}"
    );
}
