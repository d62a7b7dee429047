//! The store file is the store (issue 9, item 12): a writing run leaves the mail in
//! `satchel.sqlite3` itself, an empty store file with a WAL beside it is refused untouched, and
//! `satchel check` gives a plain verdict.

mod common;

use std::fs;
use std::path::Path;

use common::{fixture, satchel, stderr, stdout};
use satchel::store::{STORE_FILE, Store, StoreError};

fn import_fixtures(data: &Path) {
    let imported = satchel(
        data,
        &["import", fixture("charsets").to_str().expect("path")],
    );
    assert!(imported.status.success(), "{}", stderr(&imported));
}

fn wal_of(data: &Path) -> std::path::PathBuf {
    data.join(format!("{STORE_FILE}-wal"))
}

#[test]
fn after_an_import_the_store_file_alone_holds_every_message() {
    let data = tempfile::tempdir().expect("temp");
    import_fixtures(data.path());
    let wal_bytes = fs::metadata(wal_of(data.path())).map_or(0, |meta| meta.len());
    assert_eq!(wal_bytes, 0, "the WAL was checkpointed into the store file");

    // A copy of only the file the README calls the store opens with all the mail.
    let copy = tempfile::tempdir().expect("temp");
    fs::copy(data.path().join(STORE_FILE), copy.path().join(STORE_FILE)).expect("copy");
    let original = Store::open_in(data.path())
        .expect("open")
        .message_count()
        .expect("count");
    let copied = Store::open_in(copy.path())
        .expect("open copy")
        .message_count()
        .expect("count");
    assert!(original > 0);
    assert_eq!(copied, original);
}

#[test]
fn an_empty_store_file_with_a_wal_beside_it_is_refused_untouched() {
    let data = tempfile::tempdir().expect("temp");
    let store_path = data.path().join(STORE_FILE);
    fs::write(&store_path, b"").expect("empty store");
    fs::write(wal_of(data.path()), b"what a WAL full of mail would hold").expect("wal");
    let err = Store::open(&store_path).expect_err("refused");
    assert!(
        matches!(err, StoreError::EmptyStoreWithWal { .. }),
        "{err:?}"
    );
    assert_eq!(fs::metadata(&store_path).expect("store").len(), 0);
    assert_eq!(
        fs::read(wal_of(data.path())).expect("wal"),
        b"what a WAL full of mail would hold"
    );
    let shown = satchel(data.path(), &["search", "anything"]);
    assert!(!shown.status.success());
    assert_eq!(fs::metadata(&store_path).expect("store").len(), 0);
}

#[test]
fn check_says_healthy_then_finds_damage() {
    let data = tempfile::tempdir().expect("temp");
    import_fixtures(data.path());
    let healthy = satchel(data.path(), &["check"]);
    assert!(healthy.status.success(), "{}", stderr(&healthy));
    assert!(stdout(&healthy).contains("healthy"), "{}", stdout(&healthy));

    // Flip bytes in the middle of the store file, where the message pages are.
    let store_path = data.path().join(STORE_FILE);
    let mut bytes = fs::read(&store_path).expect("read");
    let middle = bytes.len() / 2;
    for byte in &mut bytes[middle..middle + 4096] {
        *byte ^= 0x5a;
    }
    fs::write(&store_path, &bytes).expect("write");
    let damaged = satchel(data.path(), &["check"]);
    assert!(!damaged.status.success(), "{}", stdout(&damaged));
    let said = format!("{}{}", stdout(&damaged), stderr(&damaged));
    assert!(
        said.contains("damaged") || said.contains("not healthy"),
        "{said}"
    );
}
