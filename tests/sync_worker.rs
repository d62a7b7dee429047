//! The background worker the GUI drives: events and wake-ups, no retry storm on a wrong
//! password, and cancellation that deletes nothing.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use satchel::secrets::Secrets;
use satchel::store::AccountSettings;
use satchel::sync::explain::{FailureKind, SyncFailure};
use satchel::sync::worker::{SyncCommand, SyncEvent, SyncHandle};
use support::dovecot::Dovecot;

const PASSWORD: &str = "worker-pw";

fn deliver(server: &Dovecot, count: usize, body_lines: usize) {
    for n in 0..count {
        let body = "line of text in a message body\r\n".repeat(body_lines);
        server.deliver(
            "alice",
            &format!("{n}.eml"),
            format!("Subject: w{n}\r\nMessage-ID: <w{n}@x>\r\n\r\n{body}").as_bytes(),
        );
    }
}

/// A store with one account pointing at `server`, and a worker with a waker that counts.
fn start(
    server: &Dovecot,
    keep_on_server: bool,
) -> (
    tempfile::TempDir,
    satchel::model::AccountId,
    SyncHandle,
    Arc<AtomicUsize>,
) {
    let mut temp = support::store::TempStore::new();
    let settings = AccountSettings {
        keep_on_server,
        ..support::dovecot::dovecot_settings(server.pop3s_port, server.fingerprint.to_string())
    };
    let account = temp.store.add_account("w", &settings).expect("account").id;
    let secrets = Secrets::in_file(temp.dir.path().join("passwords.json"));
    secrets.set("w", PASSWORD).expect("password");
    let wakes = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&wakes);
    let handle = SyncHandle::spawn(temp.store.path().to_owned(), secrets, move || {
        counter.fetch_add(1, Ordering::Relaxed);
    });
    (temp.dir, account, handle, wakes)
}

/// Events until the sync ends (Finished or Failed), bounded in time.
fn until_done(handle: &SyncHandle) -> Vec<SyncEvent> {
    let deadline = Instant::now() + Duration::from_mins(1);
    let mut events = Vec::new();
    while Instant::now() < deadline {
        let Some(event) = handle.next_event(Duration::from_secs(1)) else {
            continue;
        };
        let done = matches!(event, SyncEvent::Finished(..) | SyncEvent::Failed { .. });
        events.push(event);
        if done {
            return events;
        }
    }
    panic!("the worker did not finish in time: {events:?}");
}

#[test]
fn sync_all_reports_progress_and_wakes_the_gui() {
    let Some(server) = Dovecot::start_or_skip(&[("alice", PASSWORD)]) else {
        return;
    };
    deliver(&server, 20, 3);
    let (_dir, account, handle, wakes) = start(&server, true);
    let sent = Instant::now();
    handle.send(SyncCommand::SyncAll);
    assert!(
        sent.elapsed() < Duration::from_millis(50),
        "sending never blocks"
    );
    let events = until_done(&handle);
    assert!(
        matches!(events.first(), Some(SyncEvent::Started(id)) if *id == account),
        "{events:?}"
    );
    assert!(
        events.iter().any(|e| matches!(e, SyncEvent::Progress(..))),
        "{events:?}"
    );
    let Some(SyncEvent::Finished(_, report)) = events.last() else {
        panic!("{events:?}")
    };
    assert_eq!(report.new, 20);
    let live: usize = events
        .iter()
        .map(|e| {
            if let SyncEvent::MessagesStored(_, ids) = e {
                ids.len()
            } else {
                0
            }
        })
        .sum();
    assert_eq!(
        live, 20,
        "every new message is announced by id, for rows to appear live"
    );
    // The waker runs right after each event is queued.
    let deadline = Instant::now() + Duration::from_secs(5);
    while wakes.load(Ordering::Relaxed) < events.len() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        wakes.load(Ordering::Relaxed) >= events.len(),
        "every event wakes the GUI"
    );
}

#[test]
fn a_wrong_password_fails_once_without_a_retry_storm() {
    let Some(server) = Dovecot::start_or_skip(&[("alice", PASSWORD)]) else {
        return;
    };
    deliver(&server, 1, 1);
    let (_dir, account, handle, _) = start(&server, true);
    handle.send(SyncCommand::SessionPassword(account, "wrong".to_owned()));
    handle.send(SyncCommand::SyncAccount(account));
    let events = until_done(&handle);
    let Some(SyncEvent::Failed {
        failure: SyncFailure {
            kind,
            sentence,
            detail,
        },
        ..
    }) = events.last()
    else {
        panic!("{events:?}")
    };
    assert_eq!(*kind, FailureKind::WrongPassword);
    assert!(!sentence.contains("wrong"), "{sentence}");
    // Details carries Dovecot's own reply, never the password that was sent.
    assert!(detail.contains("Authentication failed"), "{detail}");
    assert!(!detail.contains("wrong"), "{detail}");
    // Nothing else happens on its own: one login attempt, however long we wait.
    assert!(handle.next_event(Duration::from_secs(2)).is_none());
    let attempts = server.log().matches("auth failed").count();
    assert_eq!(attempts, 1, "{}", server.log());
}

#[test]
fn cancelling_keeps_what_was_stored_and_deletes_nothing() {
    let Some(server) = Dovecot::start_or_skip(&[("alice", PASSWORD)]) else {
        return;
    };
    deliver(&server, 1_500, 400);
    let (dir, _, handle, _) = start(&server, false);
    handle.send(SyncCommand::SyncAll);
    loop {
        match handle.next_event(Duration::from_secs(30)) {
            Some(SyncEvent::Progress(_, progress)) if progress.messages_done > 0 => break,
            Some(SyncEvent::Finished(..) | SyncEvent::Failed { .. }) | None => {
                panic!("no progress to cancel")
            }
            Some(_) => {}
        }
    }
    handle.send(SyncCommand::CancelAll);
    let events = until_done(&handle);
    let Some(SyncEvent::Failed {
        failure: SyncFailure { sentence, .. },
        ..
    }) = events.last()
    else {
        panic!("{events:?}")
    };
    assert!(sentence.contains("cancelled"), "{sentence}");
    let on_server = support::files_in_maildir(&server.maildir("alice"));
    assert_eq!(on_server, 1_500, "a cancelled sync deletes nothing");
    let store = satchel::store::Store::open_in(dir.path()).expect("store");
    let stored = store.message_count().expect("count");
    assert!(
        stored > 0 && stored < 1_500,
        "kept what was committed before the cancel: {stored}"
    );
}

#[test]
fn download_full_message_completes_a_headers_only_one_in_place() {
    let Some(server) = Dovecot::start_or_skip(&[("alice", PASSWORD)]) else {
        return;
    };
    let big = format!(
        "Subject: big one\r\nMessage-ID: <big@x>\r\n\r\n{}zebra-marker\r\n",
        "filler text line\r\n".repeat(20_000)
    );
    server.deliver("alice", "big.eml", big.as_bytes());
    let mut temp = support::store::TempStore::new();
    let settings = AccountSettings {
        size_limit_kb: Some(64),
        ..support::dovecot::dovecot_settings(server.pop3s_port, server.fingerprint.to_string())
    };
    temp.store.add_account("w", &settings).expect("account");
    let secrets = Secrets::in_file(temp.dir.path().join("passwords.json"));
    secrets.set("w", PASSWORD).expect("password");
    let handle = SyncHandle::spawn(temp.store.path().to_owned(), secrets, || {});
    handle.send(SyncCommand::SyncAll);
    let events = until_done(&handle);
    assert!(
        matches!(events.last(), Some(SyncEvent::Finished(_, report)) if report.headers_only == 1),
        "{events:?}"
    );
    let id = temp.store.search("subject:big", 1).expect("search")[0].id;
    assert!(temp.store.message(id).expect("summary").headers_only);
    assert!(temp.store.search("zebra", 1).expect("search").is_empty());
    temp.store
        .set_flag(&[id], satchel::model::FlagChange::Flagged)
        .expect("flag");

    handle.send(SyncCommand::FetchFullMessage(id));
    let event = handle.next_event(Duration::from_secs(30));
    assert!(
        matches!(event, Some(SyncEvent::FullMessageFetched(fetched)) if fetched == id),
        "{event:?}"
    );
    let summary = temp.store.message(id).expect("summary");
    assert!(
        !summary.headers_only && summary.flags.flagged,
        "same message, flags kept"
    );
    assert_eq!(temp.store.raw_message(id).expect("raw"), big.as_bytes());
    assert_eq!(
        temp.store.search("zebra", 1).expect("search")[0].id,
        id,
        "the body is searchable now"
    );
    temp.store.check_search_index().expect("index in step");
}

#[test]
fn test_connection_reports_what_the_server_offers_without_changing_anything() {
    let Some(server) = Dovecot::start_or_skip(&[("alice", PASSWORD)]) else {
        return;
    };
    deliver(&server, 3, 1);
    let (dir, _, handle, _) = start(&server, false);
    let draft = |password: &str| {
        Box::new(satchel::sync::worker::AccountDraft {
            settings: AccountSettings {
                keep_on_server: false,
                ..support::dovecot::dovecot_settings(
                    server.pop3s_port,
                    server.fingerprint.to_string(),
                )
            },
            password: password.to_owned(),
            smtp_password: String::new(),
        })
    };
    handle.send(SyncCommand::TestAccount(draft(PASSWORD)));
    let Some(SyncEvent::TestFinished(Ok(report))) = handle.next_event(Duration::from_secs(30))
    else {
        panic!("no test result")
    };
    assert!(report.encrypted && report.messages == 3, "{report:?}");
    assert!(
        report.capabilities.iter().any(|c| c == "UIDL"),
        "{report:?}"
    );
    handle.send(SyncCommand::TestAccount(draft("nope")));
    let Some(SyncEvent::TestFinished(Err(SyncFailure { kind, .. }))) =
        handle.next_event(Duration::from_secs(30))
    else {
        panic!("no test result")
    };
    assert_eq!(kind, FailureKind::WrongPassword);
    let on_server = support::files_in_maildir(&server.maildir("alice"));
    assert_eq!(on_server, 3);
    assert_eq!(
        satchel::store::Store::open_in(dir.path())
            .expect("store")
            .message_count()
            .expect("count"),
        0
    );
}

#[test]
fn a_retry_sent_while_the_account_still_syncs_runs_once_that_sync_ends() {
    let Some(server) = Dovecot::start_or_skip(&[("alice", PASSWORD)]) else {
        return;
    };
    deliver(&server, 30, 50);
    let (_dir, account, handle, _) = start(&server, true);
    handle.send(SyncCommand::SyncAccount(account));
    // Retry pressed at once, while the first sync runs: it must not be dropped.
    handle.send(SyncCommand::SyncAccount(account));
    let first = until_done(&handle);
    let second = until_done(&handle);
    for events in [&first, &second] {
        assert!(
            matches!(events.first(), Some(SyncEvent::Started(id)) if *id == account),
            "{events:?}"
        );
        assert!(
            matches!(events.last(), Some(SyncEvent::Finished(..))),
            "{events:?}"
        );
    }
    let Some(SyncEvent::Finished(_, report)) = second.last() else {
        unreachable!()
    };
    assert_eq!(
        report.new, 0,
        "the second sync found the mail already stored"
    );
    let logins = server.log().matches("Login: user=<alice>").count();
    assert_eq!(logins, 2, "{}", server.log());
}
