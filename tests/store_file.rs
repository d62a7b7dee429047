//! The store file is the store: writers checkpoint the WAL, an empty store file beside a WAL is
//! refused untouched, `satchel check` tells a healthy store from a damaged one, writers on two
//! connections wait for each other, and headers-only messages keep the server's size.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use satchel::model::{FlagChange, Flags};
use satchel::store::{STORE_FILE, Store, StoreError};
use support::cli::{satchel, stderr, stdout};
use support::store::{TempStore, mail};

const MESSAGES: usize = 1500;

/// An mbox of `MESSAGES` distinct messages, written into `dir`.
fn mbox(dir: &Path) -> PathBuf {
    let mut text = Vec::new();
    for n in 0..MESSAGES {
        text.extend_from_slice(b"From sender@example.org Mon Jan  1 10:00:00 2024\n");
        text.extend_from_slice(&mail(
            "sender@example.org",
            "me@example.org",
            &format!("message {n}"),
            "Mon, 1 Jan 2024 10:00:00 +0000",
            &format!(
                "body of message {n}, with some words to index: {}",
                "lorem ipsum ".repeat(40)
            ),
        ));
        text.push(b'\n');
    }
    let path = dir.join("mail.mbox");
    fs::write(&path, text).expect("write mbox");
    path
}

fn import(data: &Path) {
    let source = tempfile::tempdir().expect("temp");
    let path = mbox(source.path());
    let output = satchel(data, &["import", &path.to_string_lossy()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).trim(),
        format!("imported {MESSAGES}, skipped 0 (already stored), unreadable 0")
    );
}

fn len(path: &Path) -> u64 {
    fs::metadata(path).map_or(0, |meta| meta.len())
}

fn wal_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

#[test]
fn after_import_the_store_file_alone_holds_every_message() {
    let data = tempfile::tempdir().expect("temp");
    import(data.path());
    let store_file = data.path().join(STORE_FILE);
    let wal = wal_of(&store_file);
    assert!(
        len(&wal) == 0 && len(&store_file) > 1 << 20,
        "store file {} bytes, WAL {} bytes",
        len(&store_file),
        len(&wal)
    );
    // What a user backing up "the store" copies: that one file.
    let copy = tempfile::tempdir().expect("temp");
    fs::copy(&store_file, copy.path().join(STORE_FILE)).expect("copy");
    let store = Store::open_in(copy.path()).expect("open the copy");
    assert_eq!(store.message_count().expect("count"), MESSAGES as u64);
    assert_eq!(store.search_ids("1499", 5).expect("search").len(), 1);
}

#[test]
fn an_empty_store_file_beside_a_wal_is_refused_and_both_stay_untouched() {
    let mut temp = TempStore::new();
    let inbox = temp.store.ensure_folder("Kept").expect("folder");
    for n in 0..20 {
        temp.add(
            inbox,
            &mail(
                "a@x",
                "b@x",
                &format!("kept {n}"),
                "Mon, 1 Jan 2024 10:00:00 +0000",
                "body",
            ),
        );
    }
    let store_file = temp.store.path().to_owned();
    let wal = wal_of(&store_file);
    let wal_bytes = fs::read(&wal).expect("read WAL");
    assert!(!wal_bytes.is_empty(), "the changes are still in the WAL");
    drop(temp.store);
    // The store file lost (truncated, or copied without its content) while its WAL survives.
    fs::write(&store_file, b"").expect("truncate");
    let listing = |dir: &Path| {
        let mut names: Vec<_> = fs::read_dir(dir)
            .expect("list")
            .map(|entry| entry.expect("entry").file_name())
            .collect();
        names.sort();
        names
    };
    let before = listing(temp.dir.path());

    let err = Store::open(&store_file).expect_err("must refuse");
    assert!(
        matches!(err, StoreError::EmptyStoreWithWal { wal_bytes: n, .. } if n == wal_bytes.len() as u64),
        "{err}"
    );
    let output = satchel(temp.dir.path(), &["search", "kept"]);
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(
        message.starts_with("satchel: cannot open") && message.contains("is empty but"),
        "{message}"
    );
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");

    assert_eq!(len(&store_file), 0);
    assert_eq!(fs::read(&wal).expect("read WAL"), wal_bytes);
    assert_eq!(listing(temp.dir.path()), before);
}

#[test]
fn check_says_healthy_then_finds_damaged_message_bytes() {
    let data = tempfile::tempdir().expect("temp");
    import(data.path());
    let healthy = satchel(data.path(), &["check"]);
    assert!(healthy.status.success(), "{}", stderr(&healthy));
    assert_eq!(
        stdout(&healthy).trim(),
        format!("the store is healthy: {MESSAGES} messages")
    );

    // One message's bytes changed behind the store's back: SQLite's own check cannot see it.
    {
        let conn = rusqlite::Connection::open(data.path().join(STORE_FILE)).expect("open");
        conn.execute(
            "UPDATE message_raw SET raw_bytes = CAST(X'00' || substr(raw_bytes, 2) AS BLOB) WHERE message_id = 7",
            [],
        )
        .expect("damage");
    }
    let damaged = satchel(data.path(), &["check"]);
    assert_eq!(damaged.status.code(), Some(2));
    assert_eq!(
        stderr(&damaged).trim(),
        "satchel: the store is damaged: the stored bytes of message 7 are damaged or missing"
    );
    assert!(
        stdout(&damaged).contains("problem: the stored bytes of message 7"),
        "{}",
        stdout(&damaged)
    );
}

#[test]
fn check_finds_flipped_bytes_in_the_middle_of_the_store_file() {
    let data = tempfile::tempdir().expect("temp");
    import(data.path());
    let store_file = data.path().join(STORE_FILE);
    let mut bytes = fs::read(&store_file).expect("read");
    // One whole 16 KiB page in the middle, every bit flipped: whatever that page holds (B-tree
    // page, overflow page of a message), it no longer makes sense.
    let page = 16 * 1024;
    let start = bytes.len() / 2 / page * page;
    for byte in &mut bytes[start..start + page] {
        *byte ^= 0xff;
    }
    fs::write(&store_file, &bytes).expect("write");
    let output = satchel(data.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    let message = stderr(&output);
    assert!(
        message.starts_with("satchel: the store is damaged"),
        "{message}"
    );
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
}

/// Two accounts syncing into one store commit on two connections at once; deferred
/// transactions that read before writing got "the store is locked" at once instead of waiting.
#[test]
fn two_connections_writing_at_once_both_succeed() {
    use satchel::message;
    use satchel::store::{AccountSettings, IndexDoc, NewMessage, raw_sha256};
    const PER_ACCOUNT: usize = 150;

    let mut temp = TempStore::new();
    let accounts: Vec<_> = ["one", "two"]
        .iter()
        .map(|name| {
            temp.store
                .add_account(name, &AccountSettings::default())
                .expect("account")
                .id
        })
        .collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = accounts
            .iter()
            .enumerate()
            .map(|(worker, &account)| {
                let mut store = temp.store.reopen().expect("second connection");
                scope.spawn(move || -> Result<(), StoreError> {
                    let inbox = store.inbox_of(account)?;
                    let mut unindexed: Vec<IndexDoc> = Vec::new();
                    for n in 0..PER_ACCOUNT {
                        let raw = mail(
                            "a@x.org",
                            "me@x.org",
                            &format!("worker {worker} message {n}"),
                            "Mon, 1 Jan 2024 10:00:00 +0000",
                            "body",
                        );
                        let parsed = message::parse(&raw, None);
                        let sha = raw_sha256(&raw);
                        let new = NewMessage {
                            raw: &raw,
                            raw_sha256: &sha,
                            parsed: &parsed,
                            folder_id: inbox,
                            account_id: Some(account),
                            flags: Flags::default(),
                            received_at: 1_700_000_000,
                            headers_only: false,
                            stored_raw: None,
                        };
                        let uidl = format!("UID{n}");
                        if n % 2 == 0 {
                            store.store_pop_message(account, &uidl, raw.len() as u64, &new)?;
                        } else {
                            let (_, doc) = store.store_pop_message_unindexed(
                                account,
                                &uidl,
                                raw.len() as u64,
                                &new,
                            )?;
                            unindexed.extend(doc);
                            if unindexed.len() >= 5 {
                                store.index_docs(&unindexed)?;
                                unindexed.clear();
                            }
                        }
                        store.set_flag(&[store.folder_message_ids(inbox)?[0]], FlagChange::Seen)?;
                    }
                    store.index_docs(&unindexed)?;
                    Ok(())
                })
            })
            .collect();
        for worker in workers {
            let result = worker.join().expect("writer thread");
            assert!(result.is_ok(), "a writer failed: {result:?}");
        }
    });
    assert_eq!(
        temp.store.message_count().expect("count"),
        2 * PER_ACCOUNT as u64
    );
    for account in accounts {
        assert_eq!(
            temp.store.pop_records(account).expect("records").len(),
            PER_ACCOUNT
        );
    }
    temp.store.check_search_index().expect("index in step");
}

/// A headers-only message keeps the size the server announced, so `larger:` finds it; the
/// full download replaces it with the real size and bytes.
#[test]
fn headers_only_messages_keep_the_server_size_until_fully_downloaded() {
    use satchel::message;
    use satchel::store::{AccountSettings, NewMessage, raw_sha256};

    let mut temp = TempStore::new();
    let account = temp
        .store
        .add_account("work", &AccountSettings::default())
        .expect("account")
        .id;
    let inbox = temp.store.inbox_of(account).expect("inbox");
    let full = mail(
        "a@x.org",
        "me@x.org",
        "Big one",
        "Mon, 1 Jan 2024 10:00:00 +0000",
        &"twelve bytes".repeat(2_000_000),
    );
    let header_end = full
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end")
        + 4;
    let headers = &full[..header_end];
    let parsed = message::parse(headers, None);
    let sha = raw_sha256(headers);
    let new = NewMessage {
        raw: headers,
        raw_sha256: &sha,
        parsed: &parsed,
        folder_id: inbox,
        account_id: Some(account),
        flags: Flags::default(),
        received_at: 1_700_000_000,
        headers_only: true,
        stored_raw: None,
    };
    let server_size = full.len() as u64;
    let id = match temp
        .store
        .store_pop_message(account, "UID1", server_size, &new)
        .expect("store")
    {
        satchel::store::InsertOutcome::Stored(id) => id,
        other @ satchel::store::InsertOutcome::Duplicate(_) => panic!("{other:?}"),
    };
    let summary = temp.store.message(id).expect("summary");
    assert!(summary.headers_only);
    assert_eq!(summary.size, server_size);
    assert_eq!(temp.store.raw_message(id).expect("raw"), headers);
    assert_eq!(
        temp.store.search_ids("larger:20M", 10).expect("search"),
        [id]
    );

    temp.store
        .complete_headers_only(id, &full, &message::parse(&full, None))
        .expect("complete");
    let summary = temp.store.message(id).expect("summary");
    assert!(!summary.headers_only);
    assert_eq!(summary.size, server_size);
    assert_eq!(temp.store.raw_message(id).expect("raw"), full);
}
