//! POP3 state rows: stored with their message, linked on duplicates, kept after local deletion.

mod support;

use satchel::message;
use satchel::model::{Flags, PopState};
use satchel::store::{AccountSettings, InsertOutcome, NewMessage, raw_sha256};
use support::store::{TempStore, mail};

fn download(
    temp: &mut TempStore,
    account: satchel::model::AccountId,
    uidl: &str,
    raw: &[u8],
    headers_only: bool,
) -> InsertOutcome {
    let parsed = message::parse(raw, None);
    let sha = raw_sha256(raw);
    let inbox = temp.store.inbox_of(account).expect("inbox");
    let new = NewMessage {
        raw,
        raw_sha256: &sha,
        parsed: &parsed,
        folder_id: inbox,
        account_id: Some(account),
        flags: Flags::default(),
        received_at: 1_700_000_000,
        headers_only,
        stored_raw: None,
    };
    temp.store
        .store_pop_message(account, uidl, raw.len() as u64, &new)
        .expect("store")
}

#[test]
fn message_and_state_are_stored_together_and_survive_local_deletion() {
    let mut temp = TempStore::new();
    let work = temp
        .store
        .add_account("work", &AccountSettings::default())
        .expect("account")
        .id;
    let home = temp
        .store
        .add_account("home", &AccountSettings::default())
        .expect("account")
        .id;
    let raw = mail(
        "a@x.org",
        "me@x.org",
        "Hello POP",
        "Mon, 1 Jan 2024 10:00:00 +0000",
        "body",
    );

    let InsertOutcome::Stored(id) = download(&mut temp, work, "UID1", &raw, false) else {
        panic!("new message")
    };
    let record = temp
        .store
        .pop_record(work, "UID1")
        .expect("query")
        .expect("row");
    assert_eq!(
        (record.state, record.message_id, record.size),
        (PopState::OnServer, Some(id), raw.len() as u64)
    );
    assert!(record.downloaded_at.is_some());
    assert_eq!(
        temp.store
            .search("account:work hello", 10)
            .expect("search")
            .len(),
        1,
        "indexed with its account"
    );

    // The same bytes through another account are linked, not stored twice.
    assert_eq!(
        download(&mut temp, home, "X9", &raw, false),
        InsertOutcome::Duplicate(id)
    );
    assert_eq!(temp.store.message_count().expect("count"), 1);
    assert_eq!(
        temp.store
            .pop_record(home, "X9")
            .expect("q")
            .and_then(|r| r.message_id),
        Some(id)
    );

    // Deleting the local copy for good keeps the UIDL known, so it is never fetched again.
    temp.store.delete_permanently(&[id]).expect("delete");
    let record = temp
        .store
        .pop_record(work, "UID1")
        .expect("query")
        .expect("row kept");
    assert_eq!(
        (record.state, record.message_id),
        (PopState::OnServer, None)
    );

    temp.store
        .mark_removed_from_server(work, &["UID1".to_owned()])
        .expect("mark");
    assert_eq!(
        temp.store.pop_records(work).expect("q")[0].state,
        PopState::RemovedFromServer
    );
    assert_eq!(
        temp.store.pop_records(home).expect("q")[0].state,
        PopState::OnServer,
        "per account"
    );
}

#[test]
fn headers_only_downloads_are_marked() {
    let mut temp = TempStore::new();
    let account = temp
        .store
        .add_account("big", &AccountSettings::default())
        .expect("account")
        .id;
    let head = b"From: a@x.org\r\nSubject: Huge video\r\n\r\n";
    let InsertOutcome::Stored(id) = download(&mut temp, account, "V1", head, true) else {
        panic!("new")
    };
    assert!(temp.store.message(id).expect("msg").headers_only);
    assert_eq!(
        temp.store
            .pop_record(account, "V1")
            .expect("q")
            .expect("row")
            .state,
        PopState::HeadersOnly
    );
}
