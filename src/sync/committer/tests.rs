//! The committer's grouping, its reports and what it counts as cut short.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::{Committed, Committer, GroupBounds, Received, is_cut_short};
use crate::model::{AccountId, FolderId, PopState};
use crate::store::{AccountSettings, RawEncoder, Store, StoreError};
use crate::sync::sink::Expected;

/// A store with one account, in a directory removed when the test ends.
struct Fixture {
    dir: tempfile::TempDir,
    store: Store,
    account: AccountId,
    inbox: FolderId,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open_in(dir.path()).expect("store");
    let account = store
        .add_account("test", &AccountSettings::default())
        .expect("account")
        .id;
    let inbox = store.inbox_of(account).expect("inbox");
    Fixture {
        dir,
        store,
        account,
        inbox,
    }
}

/// Bounds that never close a group by time: only count, bytes and the session's end do.
fn untimed(messages: usize, bytes: u64) -> GroupBounds {
    GroupBounds {
        messages,
        bytes,
        time: Duration::from_hours(1),
    }
}

static BODIES: AtomicU64 = AtomicU64::new(0);

/// Message `number` of about `body_bytes` bytes; every call gives distinct bytes.
fn received(number: u32, body_bytes: usize) -> Received {
    let unique = BODIES.fetch_add(1, Ordering::Relaxed);
    let mut raw = format!("Subject: message {number} ({unique})\r\n\r\n").into_bytes();
    let mut state = 0x9e37_79b9_7f4a_7c15_u64 ^ unique;
    while raw.len() < body_bytes {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        raw.extend_from_slice(format!("{state:016x}\r\n").as_bytes());
    }
    let mut encoder = RawEncoder::new();
    encoder.update(&raw);
    let (stored_raw, raw_sha256) = encoder.finish(&raw);
    Received {
        number,
        expected: Expected {
            uidl: format!("uid-{number}"),
            size: raw.len() as u64,
            delete_after_commit: true,
            headers_only: false,
            ambiguous: false,
        },
        raw,
        stored_raw,
        raw_sha256,
    }
}

/// Hands `messages` over one by one, then waits for the committer to finish.
fn commit(
    fixture: &Fixture,
    bounds: GroupBounds,
    messages: Vec<Received>,
) -> Vec<Result<Committed, StoreError>> {
    let mut committer =
        Committer::start(&fixture.store, fixture.account, fixture.inbox, bounds).expect("start");
    for message in messages {
        assert!(committer.send(message), "the committer stopped early");
    }
    committer.finish()
}

fn groups_of(results: &[Result<Committed, StoreError>]) -> Vec<u64> {
    results
        .iter()
        .map(|result| result.as_ref().expect("committed").group)
        .collect()
}

#[test]
fn a_group_closes_at_its_message_count_and_the_last_when_the_session_ends() {
    let fixture = fixture();
    let messages = (1..=25).map(|n| received(n, 200)).collect();
    let results = commit(&fixture, untimed(10, u64::MAX), messages);
    let groups = groups_of(&results);
    let expected: Vec<u64> = [1; 10].into_iter().chain([2; 10]).chain([3; 5]).collect();
    assert_eq!(groups, expected);
    assert_eq!(fixture.store.message_count().expect("count"), 25);
    let records = fixture.store.pop_records(fixture.account).expect("records");
    assert_eq!(records.len(), 25, "each message with its UIDL");
    assert!(
        records
            .iter()
            .all(|r| r.state == PopState::OnServer && r.message_id.is_some())
    );
}

#[test]
fn a_group_closes_once_its_bytes_pass_the_bound() {
    let fixture = fixture();
    let messages = (1..=7).map(|n| received(n, 1000)).collect();
    let results = commit(&fixture, untimed(1000, 2500), messages);
    assert_eq!(groups_of(&results), [1, 1, 1, 2, 2, 2, 3]);
}

#[test]
fn nothing_is_reported_before_its_group_is_durable() {
    let fixture = fixture();
    let mut committer = Committer::start(
        &fixture.store,
        fixture.account,
        fixture.inbox,
        untimed(4, u64::MAX),
    )
    .expect("start");
    for n in 1..=3 {
        assert!(committer.send(received(n, 200)));
    }
    // The group is still open (three of four, no time bound): not one message may be
    // reported, so none can be deleted on the server, and no other connection sees them.
    assert!(committer.ready().is_empty());
    assert_eq!(fixture.store.message_count().expect("count"), 0);
    let results = committer.finish();
    assert_eq!(groups_of(&results), [1, 1, 1]);
    assert_eq!(fixture.store.message_count().expect("count"), 3);
}

#[test]
fn a_message_that_does_not_fit_fails_its_group_and_earlier_groups_stay() {
    let fixture = fixture();
    let size_now = std::fs::metadata(fixture.store.path()).expect("meta").len();
    fixture
        .store
        .limit_size(size_now + 256 * 1024)
        .expect("limit");
    let messages = vec![
        received(1, 300),
        received(2, 300),
        received(3, 300),
        received(4, 2 * 1024 * 1024),
        received(5, 300),
    ];
    let mut committer = Committer::start(
        &fixture.store,
        fixture.account,
        fixture.inbox,
        untimed(2, u64::MAX),
    )
    .expect("start");
    for message in messages {
        // The committer stops once the fourth fails; later sends then return false.
        let _ = committer.send(message);
    }
    let results = committer.finish();
    let numbers: Vec<u32> = results
        .iter()
        .filter_map(|result| result.as_ref().ok())
        .map(|committed| committed.number)
        .collect();
    assert_eq!(numbers, [1, 2], "the first group only: {results:?}");
    assert!(
        matches!(results.last(), Some(Err(StoreError::DiskFull(_)))),
        "{:?}",
        results.last()
    );
    drop(fixture.store);
    let store = Store::open_in(fixture.dir.path()).expect("reopen");
    assert_eq!(store.integrity_check().expect("check"), "ok");
    assert_eq!(store.message_count().expect("count"), 2);
    let mut uidls: Vec<String> = store
        .pop_records(fixture.account)
        .expect("records")
        .into_iter()
        .map(|r| r.uidl)
        .collect();
    uidls.sort();
    assert_eq!(uidls, ["uid-1", "uid-2"], "message 3 went with its group");
}

#[test]
fn a_body_is_cut_short_only_beyond_line_end_normalisation_and_slack() {
    let crlf = b"Subject: a\r\n\r\nline one\r\nline two\r\n";
    let size = crlf.len() as u64;
    assert!(!is_cut_short(crlf, size));
    assert!(
        !is_cut_short(crlf, size + 2),
        "a final line end counted twice"
    );
    assert!(
        !is_cut_short(crlf, size - 10),
        "longer than announced is not cut"
    );
    assert!(
        is_cut_short(&crlf[..20], size),
        "ended at an unstuffed dot line"
    );
    let lf = b"Subject: a\n\nline one\nline two\n";
    assert!(
        !is_cut_short(lf, lf.len() as u64 + 4),
        "LIST counted each bare LF as CRLF"
    );
    assert!(is_cut_short(lf, lf.len() as u64 + 4 + 5));
}
