//! The store through its public API: opening safely, folders, moves, Trash, and the index in step.

mod support;

use std::fmt::Write as _;
use std::fs;

use satchel::model::{FlagChange, Flags, FolderKind};
use satchel::store::{Store, StoreError, latest_version};
use support::store::{TempStore, mail};

#[test]
fn newer_schema_is_refused_and_left_byte_for_byte_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("satchel.sqlite3");
    drop(Store::open(&path).expect("create"));
    {
        let conn = rusqlite::Connection::open(&path).expect("raw open");
        conn.pragma_update(None, "user_version", latest_version() + 1)
            .expect("bump version");
        conn.pragma_update(None, "journal_mode", "DELETE")
            .expect("leave WAL");
    }
    let before = fs::read(&path).expect("read");
    let err = Store::open(&path).expect_err("must refuse");
    assert!(
        matches!(err, StoreError::TooNew { found, .. } if found == latest_version() + 1),
        "{err}"
    );
    assert!(err.to_string().contains("newer Satchel"), "{err}");
    assert_eq!(fs::read(&path).expect("read"), before);
}

#[test]
fn foreign_and_garbage_files_are_refused_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let foreign = dir.path().join("other.sqlite3");
    {
        let conn = rusqlite::Connection::open(&foreign).expect("raw open");
        conn.execute("CREATE TABLE notes (text TEXT)", [])
            .expect("create");
    }
    let before = fs::read(&foreign).expect("read");
    assert!(matches!(
        Store::open(&foreign),
        Err(StoreError::NotAStore { .. })
    ));
    assert_eq!(fs::read(&foreign).expect("read"), before);

    let garbage = dir.path().join("garbage.sqlite3");
    fs::write(
        &garbage,
        b"this is not a database, just some text that is long enough...",
    )
    .expect("write");
    let before = fs::read(&garbage).expect("read");
    let err = Store::open(&garbage).expect_err("must refuse");
    assert!(err.to_string().contains("not a Satchel store"), "{err}");
    assert_eq!(fs::read(&garbage).expect("read"), before);
}

#[test]
fn reopening_keeps_everything() {
    let mut temp = TempStore::new();
    let folder = temp.store.ensure_folder("Archive/2024").expect("folder");
    let raw = mail(
        "a@example.org",
        "b@example.org",
        "Keep me",
        "Mon, 1 Jan 2024 10:00:00 +0000",
        "body",
    );
    let id = temp.add(folder, &raw);
    let path = temp.store.path().to_owned();
    drop(temp.store);
    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.raw_message(id).expect("raw"), raw);
    assert_eq!(
        store.resolve_folder("archive/2024").expect("folder"),
        folder
    );
    assert_eq!(store.integrity_check().expect("check"), "ok");
}

#[test]
fn identical_raw_bytes_are_stored_once() {
    let mut temp = TempStore::new();
    let folder = temp.store.ensure_folder("A").expect("folder");
    let raw = mail(
        "a@example.org",
        "b@example.org",
        "Twice",
        "Mon, 1 Jan 2024 10:00:00 +0000",
        "same",
    );
    let first = temp.add(folder, &raw);
    let second = temp.add(folder, &raw);
    assert_eq!(first, second);
    assert_eq!(temp.store.message_count().expect("count"), 1);
}

#[test]
fn folders_nest_rename_and_delete_into_trash() {
    let mut temp = TempStore::new();
    let work = temp.store.create_folder("Work").expect("create");
    let projects = temp
        .store
        .create_folder("Work/Projects/Satchel")
        .expect("create nested");
    assert!(matches!(
        temp.store.create_folder("work"),
        Err(StoreError::FolderExists(_))
    ));
    assert!(matches!(
        temp.store.create_folder("Bad\u{7}Name"),
        Err(StoreError::InvalidFolderName(_))
    ));
    assert!(matches!(
        temp.store.rename_folder("Trash", "Bin"),
        Err(StoreError::ProtectedFolder(_))
    ));
    assert!(matches!(
        temp.store.rename_folder("Work", "Work/Projects/Inner"),
        Err(StoreError::FolderCycle(_))
    ));

    temp.store
        .rename_folder("Work/Projects", "Clients")
        .expect("move to top level");
    assert_eq!(
        temp.store
            .resolve_folder("Clients/Satchel")
            .expect("moved with children"),
        projects
    );
    temp.store
        .rename_folder("Clients", "Work/Customers")
        .expect("move under Work");
    let paths: Vec<String> = temp
        .store
        .folders()
        .expect("list")
        .into_iter()
        .map(|f| f.path)
        .collect();
    assert_eq!(
        paths,
        ["Work", "Work/Customers", "Work/Customers/Satchel", "Trash"]
    );

    let raw = mail(
        "a@example.org",
        "b@example.org",
        "Inside",
        "Mon, 1 Jan 2024 10:00:00 +0000",
        "text",
    );
    let id = temp.add(projects, &raw);
    let other = temp.add(
        work,
        &mail(
            "c@example.org",
            "d@example.org",
            "Top",
            "Mon, 1 Jan 2024 11:00:00 +0000",
            "x",
        ),
    );
    assert_eq!(temp.store.delete_folder("Work").expect("delete"), 2);
    let trash = temp.store.trash_folder().expect("trash");
    assert_eq!(
        temp.store.message(id).expect("still there").folder_id,
        trash
    );
    assert_eq!(
        temp.store.message(other).expect("still there").folder_id,
        trash
    );
    let kinds: Vec<FolderKind> = temp
        .store
        .folders()
        .expect("list")
        .into_iter()
        .map(|f| f.kind)
        .collect();
    assert_eq!(kinds, [FolderKind::Trash]);
    // Restoring a message whose folder is gone puts it somewhere visible, not nowhere.
    temp.store.restore_messages(&[id]).expect("restore");
    assert_eq!(
        temp.store.resolve_folder("Restored").ok(),
        Some(temp.store.message(id).expect("msg").folder_id)
    );
}

#[test]
fn trash_restore_and_empty() {
    let mut temp = TempStore::new();
    let folder = temp.store.create_folder("Receipts").expect("create");
    let raw = mail(
        "shop@example.org",
        "me@example.org",
        "Receipt 42",
        "Mon, 1 Jan 2024 10:00:00 +0000",
        "paid",
    );
    let id = temp.add(folder, &raw);
    let trash = temp.store.trash_folder().expect("trash");
    temp.store.move_messages(&[id], trash).expect("to trash");
    temp.store
        .move_messages(&[id], trash)
        .expect("twice is harmless");
    temp.store.restore_messages(&[id]).expect("restore");
    assert_eq!(temp.store.message(id).expect("msg").folder_id, folder);

    temp.store
        .move_messages(&[id], trash)
        .expect("to trash again");
    assert_eq!(temp.store.empty_trash().expect("empty"), 1);
    assert!(matches!(
        temp.store.message(id),
        Err(StoreError::NoSuchMessage(_))
    ));
    assert!(matches!(
        temp.store.raw_message(id),
        Err(StoreError::NoSuchMessage(_))
    ));
    assert!(temp.store.search("receipt", 10).expect("search").is_empty());
    temp.store.check_search_index().expect("index in step");
    assert_eq!(temp.store.integrity_check().expect("check"), "ok");
}

#[test]
fn flags_change_and_unknown_ids_change_nothing() {
    let mut temp = TempStore::new();
    let folder = temp.store.create_folder("F").expect("create");
    let id = temp.add(
        folder,
        &mail(
            "a@x.org",
            "b@x.org",
            "Flags",
            "Mon, 1 Jan 2024 10:00:00 +0000",
            "f",
        ),
    );
    temp.store.set_flag(&[id], FlagChange::Seen).expect("seen");
    temp.store
        .set_flag(&[id], FlagChange::Flagged)
        .expect("flagged");
    assert_eq!(
        temp.store.message(id).expect("msg").flags,
        Flags {
            seen: true,
            flagged: true,
            answered: false
        }
    );
    let missing = satchel::model::MessageId(id.0 + 100);
    assert!(matches!(
        temp.store.set_flag(&[id, missing], FlagChange::Unseen),
        Err(StoreError::NoSuchMessage(_))
    ));
    assert!(
        temp.store.message(id).expect("msg").flags.seen,
        "a failed batch changes nothing"
    );
    assert!(matches!(
        temp.store.move_messages(&[missing], folder),
        Err(StoreError::NoSuchMessage(_))
    ));
}

#[test]
fn index_follows_insert_move_and_delete() {
    let mut temp = TempStore::new();
    let inbox = temp.store.create_folder("Mail").expect("create");
    let archive = temp.store.create_folder("Archive").expect("create");
    let a = temp.add(
        inbox,
        &mail(
            "a@x.org",
            "b@x.org",
            "Zebra sighting",
            "Mon, 1 Jan 2024 10:00:00 +0000",
            "stripes",
        ),
    );
    let b = temp.add(
        inbox,
        &mail(
            "c@x.org",
            "d@x.org",
            "Zebra again",
            "Tue, 2 Jan 2024 10:00:00 +0000",
            "more",
        ),
    );
    let ids = |store: &Store, query: &str| {
        store
            .search(query, 10)
            .expect("search")
            .iter()
            .map(|hit| hit.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&temp.store, "zebra"), [b, a]);
    temp.store.move_messages(&[a], archive).expect("move");
    assert_eq!(ids(&temp.store, "zebra folder:Archive"), [a]);
    assert_eq!(ids(&temp.store, "zebra folder:Mail"), [b]);
    temp.store.delete_permanently(&[b]).expect("delete");
    assert_eq!(ids(&temp.store, "zebra"), [a]);
    temp.store.check_search_index().expect("index in step");
}

#[test]
fn a_lost_or_outdated_search_index_is_rebuilt_from_the_store() {
    let mut temp = TempStore::new();
    let folder = temp.store.create_folder("Notes").expect("create");
    let raw = mail(
        "a@x.org",
        "b@x.org",
        "Aardvark facts",
        "Mon, 1 Jan 2024 10:00:00 +0000",
        "burrows",
    );
    let id = temp.add(folder, &raw);
    let path = temp.store.path().to_owned();
    drop(temp.store);

    // Deleted index file: recreated and refilled on open.
    let index = satchel::store::index_path(&path);
    fs::remove_file(&index).expect("remove index");
    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.search("aardvark", 10).expect("search")[0].id, id);
    store.check_search_index().expect("in step");
    drop(store);

    // An index file of another format (or garbage) is replaced, never trusted.
    fs::write(&index, b"not an index").expect("write garbage");
    let _ = fs::remove_file(format!("{}-wal", index.display()));
    let _ = fs::remove_file(format!("{}-shm", index.display()));
    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.search("burrows", 10).expect("search")[0].id, id);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&index).expect("meta").permissions().mode() & 0o777,
            0o600,
            "the index holds mail text"
        );
    }
}

#[test]
fn messages_stored_but_not_yet_indexed_are_indexed_on_open() {
    let mut temp = TempStore::new();
    let folder = temp.store.create_folder("Inbox2").expect("create");
    let raw = mail(
        "a@x.org",
        "b@x.org",
        "Pending platypus",
        "Mon, 1 Jan 2024 10:00:00 +0000",
        "x",
    );
    let parsed = satchel::message::parse(&raw, None);
    let sha = satchel::store::raw_sha256(&raw);
    let new = satchel::store::NewMessage {
        raw: &raw,
        raw_sha256: &sha,
        parsed: &parsed,
        folder_id: folder,
        account_id: None,
        flags: Flags::default(),
        received_at: 0,
        headers_only: false,
        stored_raw: None,
    };
    // As if the process died after the store committed and before the indexer did.
    let (_, docs) = temp.store.insert_messages_unindexed(&[new]).expect("store");
    assert_eq!(docs.len(), 1);
    assert!(
        temp.store
            .search("platypus", 10)
            .expect("search")
            .is_empty()
    );
    assert!(temp.store.check_search_index().is_err());
    let path = temp.store.path().to_owned();
    drop(temp.store);
    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.search("platypus", 10).expect("search").len(), 1);
    store.check_search_index().expect("in step");
}

#[test]
fn raw_bytes_are_compressed_at_rest_and_damage_is_reported_not_returned() {
    let mut temp = TempStore::new();
    let folder = temp.store.create_folder("Big").expect("create");
    let body = "All work and no play makes Jack a dull boy.\r\n".repeat(500);
    let raw = mail(
        "a@x.org",
        "b@x.org",
        "Repetitive",
        "Mon, 1 Jan 2024 10:00:00 +0000",
        &body,
    );
    let id = temp.add(folder, &raw);
    assert_eq!(temp.store.raw_message(id).expect("raw"), raw);
    let conn = rusqlite::Connection::open(temp.store.path()).expect("raw open");
    let (stored_len, compression): (usize, String) = conn
        .query_row(
            "SELECT length(raw_bytes), compression FROM message_raw WHERE message_id = ?1",
            [id.0],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("row");
    assert_eq!(compression, "zstd");
    assert!(stored_len * 10 < raw.len(), "{stored_len} of {}", raw.len());
    // Flip the bits of a byte in the middle of the frame: the checksum catches it.
    let mut stored: Vec<u8> = conn
        .query_row(
            "SELECT raw_bytes FROM message_raw WHERE message_id = ?1",
            [id.0],
            |row| row.get(0),
        )
        .expect("blob");
    let middle = stored.len() / 2;
    stored[middle] ^= 0xff;
    conn.execute(
        "UPDATE message_raw SET raw_bytes = ?1 WHERE message_id = ?2",
        rusqlite::params![stored, id.0],
    )
    .expect("damage");
    assert!(matches!(
        temp.store.raw_message(id),
        Err(StoreError::DamagedMessage(_))
    ));
}

/// Small message number `n`.
fn numbered(n: usize) -> Vec<u8> {
    mail(
        "a@example.org",
        "b@example.org",
        &format!("m{n}"),
        "Mon, 1 Jan 2024 10:00:00 +0000",
        "hi",
    )
}

/// The per-folder counts SQL computes from the messages themselves.
fn counted(store: &Store) -> std::collections::BTreeMap<i64, (u64, u64)> {
    let conn = rusqlite::Connection::open(store.path()).expect("raw open");
    let mut stmt = conn
        .prepare("SELECT folder_id, count(*), count(*) FILTER (WHERE seen = 0) FROM messages GROUP BY folder_id")
        .expect("prepare");
    stmt.query_map([], |row| Ok((row.get(0)?, (row.get(1)?, row.get(2)?))))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

/// The counts the folder tree shows (kept by triggers), folders without messages left out.
fn shown(store: &Store) -> std::collections::BTreeMap<i64, (u64, u64)> {
    store
        .folders()
        .expect("folders")
        .into_iter()
        .filter(|f| f.message_count > 0 || f.unread_count > 0)
        .map(|f| (f.id.0, (f.message_count, f.unread_count)))
        .collect()
}

#[test]
fn folder_counts_follow_every_change_of_folder_and_read_state() {
    let mut temp = TempStore::new();
    let work = temp.store.ensure_folder("Work").expect("folder");
    let home = temp.store.ensure_folder("Home/Family").expect("folder");
    let mut ids = Vec::new();
    for n in 0..24 {
        let folder = if n % 3 == 0 { home } else { work };
        let flags = Flags {
            seen: n % 2 == 0,
            ..Flags::default()
        };
        ids.push(temp.add_with(folder, &numbered(n), flags));
    }
    let check =
        |store: &Store, step: &str| assert_eq!(shown(store), counted(store), "after {step}");
    check(&temp.store, "storing");
    temp.store
        .set_flag(&ids[0..5], FlagChange::Unseen)
        .expect("flag");
    temp.store
        .set_flag(&ids[5..9], FlagChange::Seen)
        .expect("flag");
    temp.store
        .set_flag(&ids[9..12], FlagChange::Flagged)
        .expect("flag");
    check(&temp.store, "flag changes");
    temp.store.move_messages(&ids[10..16], home).expect("move");
    check(&temp.store, "a move");
    let trash = temp
        .store
        .folders()
        .expect("folders")
        .into_iter()
        .find(|f| f.kind == FolderKind::Trash)
        .expect("trash")
        .id;
    temp.store
        .move_messages(&ids[16..20], trash)
        .expect("to trash");
    temp.store.restore_messages(&ids[16..18]).expect("restore");
    check(&temp.store, "trash and restore");
    temp.store.delete_permanently(&ids[0..2]).expect("delete");
    check(&temp.store, "deleting for good");
    temp.store.delete_folder("Home").expect("delete folder");
    check(&temp.store, "deleting a folder into Trash");
    temp.store.empty_trash().expect("empty");
    check(&temp.store, "emptying Trash");
    assert_eq!(
        temp.store.message_count().expect("count"),
        counted(&temp.store)
            .values()
            .map(|(all, _)| all)
            .sum::<u64>()
    );
}

#[test]
fn large_messages_come_back_byte_for_byte_whether_compressed_streamed_or_stored_as_they_are() {
    let mut temp = TempStore::new();
    let folder = temp.store.ensure_folder("Big").expect("folder");
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut noise = |bytes: usize| -> String {
        let mut text = String::with_capacity(bytes + 64);
        while text.len() < bytes {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let _ = write!(text, "{state:016x}\r\n");
        }
        text
    };
    let sizes_and_bodies = [
        ("2 MiB of text", "word ".repeat(400_000)),
        ("2 MiB of noise", noise(2 << 20)),
        ("9 MiB of text", "word ".repeat(1_900_000)),
        ("12 MiB of noise", noise(12 << 20)),
        (
            "65 MiB of text, stored as it is",
            "word ".repeat(13_700_000),
        ),
    ];
    for (subject, body) in sizes_and_bodies {
        let raw = mail(
            "a@example.org",
            "b@example.org",
            subject,
            "Mon, 1 Jan 2024 10:00:00 +0000",
            &body,
        );
        let id = temp.add(folder, &raw);
        assert_eq!(temp.store.raw_message(id).expect("raw"), raw, "{subject}");
    }
    drop(temp.store);
    let store = Store::open_in(temp.dir.path()).expect("reopen");
    assert_eq!(store.integrity_check().expect("check"), "ok");
    assert_eq!(store.message_count().expect("count"), 5);
}

/// The index's kept count and what it really holds.
fn index_counts(store: &Store) -> (i64, i64) {
    let conn = rusqlite::Connection::open(satchel::store::index_path(store.path())).expect("index");
    conn.query_row(
        "SELECT (SELECT n FROM indexed_count), (SELECT count(*) FROM indexed_text)",
        [],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .expect("counts")
}

#[test]
fn the_index_keeps_its_count_and_an_index_without_one_is_counted_once() {
    let mut temp = TempStore::new();
    let folder = temp.store.ensure_folder("Work").expect("folder");
    let mut ids = Vec::new();
    for n in 0..12 {
        ids.push(temp.add(folder, &numbered(n)));
    }
    assert_eq!(index_counts(&temp.store), (12, 12));
    temp.store.delete_permanently(&ids[..3]).expect("delete");
    assert_eq!(index_counts(&temp.store), (9, 9));
    drop(temp.store);
    // An index file from before the count: it is counted when the store opens.
    let index = satchel::store::index_path(&temp.dir.path().join(satchel::store::STORE_FILE));
    rusqlite::Connection::open(&index)
        .expect("index")
        .execute_batch("DROP TABLE indexed_count")
        .expect("drop");
    let store = Store::open_in(temp.dir.path()).expect("reopen");
    assert_eq!(index_counts(&store), (9, 9));
    store.check_search_index().expect("in step");
}
