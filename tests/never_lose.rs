//! Never lose a message, whatever the server does (issue 9): each case runs against a server
//! that misbehaves on purpose and asserts the invariant that matters — everything the server
//! deleted is stored byte-exact, and new mail is fetched or the sync fails loudly.

mod support;

use satchel::model::{AuthChoice, Security};
use satchel::model::{MessageId, PopState};
use satchel::store::{Account, AccountSettings, Store};
use satchel::sync::connect::{SyncOptions, connect_options};
use satchel::sync::run::sync_account;
use satchel::sync::{SyncError, SyncReport};
use support::misbehaving::{Faults, MisbehavingServer, ServerMail};

/// Every raw message in the store.
fn stored_raw(store: &Store) -> Vec<Vec<u8>> {
    let conn = rusqlite::Connection::open(store.path()).expect("open store file");
    let ids: Vec<i64> = conn
        .prepare("SELECT id FROM messages ORDER BY id")
        .expect("prepare")
        .query_map([], |row| row.get(0))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("ids");
    ids.into_iter()
        .map(|id| store.raw_message(MessageId(id)).expect("raw"))
        .collect()
}

/// The invariant: each message the server deleted is stored with exactly its bytes.
fn assert_deleted_are_stored(server: &MisbehavingServer, store: &Store) {
    let stored = stored_raw(store);
    for gone in server.deleted() {
        assert!(
            stored.contains(&gone.bytes),
            "the server deleted {:?}, which the store does not hold byte-exact",
            gone.uidl
        );
    }
}

fn is_stored(store: &Store, bytes: &[u8]) -> bool {
    stored_raw(store).iter().any(|raw| raw == bytes)
}

/// An account on the misbehaving server; `classic` removes mail after download.
fn account(store: &mut Store, server: &MisbehavingServer, classic: bool) -> Account {
    let settings = AccountSettings {
        host: "127.0.0.1".to_owned(),
        port: server.port,
        security: Security::Plain,
        username: "alice".to_owned(),
        auth_method: AuthChoice::User,
        keep_on_server: !classic,
        ..AccountSettings::default()
    };
    store
        .add_account("misbehaving", &settings)
        .expect("account")
}

/// Switches `account` to "remove after download".
fn remove_after_download(store: &mut Store, account: &Account) -> Account {
    let mut settings = account.settings.clone();
    settings.keep_on_server = false;
    store
        .update_account(&account.name, &settings)
        .expect("update")
}

fn sync(store: &mut Store, account: &Account) -> Result<SyncReport, SyncError> {
    let connect = connect_options(&account.settings, "pw".to_owned(), SyncOptions::default())
        .expect("options");
    support::block_on(sync_account(store, account, &connect, &mut |_| {}))
}

fn mail(message_id: &str, date: Option<&str>, extra_header: &str, body: &str) -> Vec<u8> {
    let date = date.map(|d| format!("Date: {d}\r\n")).unwrap_or_default();
    format!(
        "From: sender@example.org\r\nTo: alice@example.org\r\nSubject: test\r\n{date}\
         Message-ID: <{message_id}>\r\n{extra_header}\r\n{body}\r\n"
    )
    .into_bytes()
}

fn state_of(store: &Store, account: &Account, uidl: &str) -> Option<PopState> {
    store
        .pop_record(account.id, uidl)
        .expect("record")
        .map(|record| record.state)
}

#[test]
fn item_1_a_mailing_list_copy_with_the_same_message_id_is_stored_before_deletion() {
    let date = Some("Mon, 2 Nov 2026 10:00:00 +0000");
    let direct = mail("shared@example.org", date, "", "direct copy");
    let list_copy = mail(
        "shared@example.org",
        date,
        "List-Id: <list.example.org>\r\n",
        "the list's copy, with a footer",
    );
    let server = MisbehavingServer::start(vec![ServerMail::new("d1", &direct)], Faults::default());
    let mut temp = support::store::TempStore::new();
    let account = account(&mut temp.store, &server, true);
    sync(&mut temp.store, &account).expect("first sync");
    assert_eq!(server.deleted().len(), 1);
    // The list copy arrives later: most UIDLs are unknown, as with every classic sync.
    server.edit(|mailbox| mailbox.push(ServerMail::new("l1", &list_copy)));
    let report = sync(&mut temp.store, &account).expect("second sync");
    assert_eq!(report.new, 1, "{report:?}");
    assert!(is_stored(&temp.store, &list_copy));
    assert_deleted_are_stored(&server, &temp.store);
}

#[test]
fn item_1_a_scanner_reusing_one_message_id_without_date_loses_nothing() {
    let scans: Vec<Vec<u8>> = (0..3)
        .map(|n| mail("scan@scanner.local", None, "", &format!("scan number {n}")))
        .collect();
    let server =
        MisbehavingServer::start(vec![ServerMail::new("s0", &scans[0])], Faults::default());
    let mut temp = support::store::TempStore::new();
    let account = account(&mut temp.store, &server, true);
    sync(&mut temp.store, &account).expect("first sync");
    for (n, scan) in scans.iter().enumerate().skip(1) {
        server.edit(|mailbox| mailbox.push(ServerMail::new(&format!("s{n}"), scan)));
        sync(&mut temp.store, &account).expect("sync");
    }
    assert_eq!(server.deleted().len(), 3);
    for scan in &scans {
        assert!(is_stored(&temp.store, scan));
    }
    assert_deleted_are_stored(&server, &temp.store);
}

#[test]
fn item_1_after_a_real_uidl_reset_recognised_mail_is_not_fetched_and_not_deleted_unproven() {
    let messages: Vec<Vec<u8>> = (0..4)
        .map(|n| {
            mail(
                &format!("m{n}@example.org"),
                Some("Tue, 3 Nov 2026 09:00:00 +0000"),
                "",
                &format!("line one of {n}\r\nline two\r\nline three"),
            )
        })
        .collect();
    let server = MisbehavingServer::start(
        messages
            .iter()
            .enumerate()
            .map(|(n, m)| ServerMail::new(&format!("old-{n}"), m))
            .collect(),
        Faults::default(),
    );
    let mut temp = support::store::TempStore::new();
    let account = account(&mut temp.store, &server, false);
    assert_eq!(sync(&mut temp.store, &account).expect("first").new, 4);
    // A migration: every UIDL changes; one message now differs below its first lines.
    let mut imposter = messages[2].clone();
    let len = imposter.len();
    imposter[len - 3] = b'X';
    server.edit(|mailbox| {
        for (n, mail) in mailbox.iter_mut().enumerate() {
            mail.uidl = format!("new-{n}");
        }
        mailbox[2].bytes = imposter.clone();
    });
    let report = sync(&mut temp.store, &account).expect("after the reset");
    assert_eq!(report.recognised, 3, "{report:?}");
    assert_eq!(report.new, 1, "the changed message is a new one");
    assert!(is_stored(&temp.store, &imposter));
    assert_eq!(
        state_of(&temp.store, &account, "new-0"),
        Some(PopState::Recognised)
    );

    // Switching to "remove after download": recognised mail is downloaded (the proof) first.
    let classic = remove_after_download(&mut temp.store, &account);
    sync(&mut temp.store, &classic).expect("classic sync");
    assert_eq!(server.remaining(), Vec::new());
    assert_deleted_are_stored(&server, &temp.store);
}

#[test]
fn item_2_two_messages_sharing_a_uidl_are_both_stored_and_neither_deleted() {
    let first = mail("one@example.org", None, "", "first");
    let second = mail("two@example.org", None, "", "second");
    let server = MisbehavingServer::start(
        vec![
            ServerMail::new("dup", &first),
            ServerMail::new("dup", &second),
        ],
        Faults {
            pipelining: true,
            ..Faults::default()
        },
    );
    let mut temp = support::store::TempStore::new();
    let account = account(&mut temp.store, &server, true);
    let report = sync(&mut temp.store, &account).expect("sync");
    assert!(is_stored(&temp.store, &first) && is_stored(&temp.store, &second));
    assert!(server.deleted().is_empty(), "a shared UIDL is doubt");
    assert_eq!(
        report
            .warnings
            .iter()
            .filter(|w| w.contains("not unique"))
            .count(),
        1,
        "told once: {:?}",
        report.warnings
    );
    assert_eq!(
        state_of(&temp.store, &account, "dup"),
        Some(PopState::Ambiguous)
    );

    // Another client removes the first; a new message reuses the UIDL.
    let third = mail("three@example.org", None, "", "third, reusing the id");
    server.edit(|mailbox| {
        mailbox.remove(0);
        mailbox.push(ServerMail::new("dup", &third));
    });
    sync(&mut temp.store, &account).expect("second sync");
    assert!(
        is_stored(&temp.store, &third),
        "a reused UIDL is still fetched"
    );
    assert_deleted_are_stored(&server, &temp.store);

    // Once the UIDL is unique again, a download under it proves the bytes.
    server.edit(|mailbox| {
        mailbox.remove(1);
    });
    sync(&mut temp.store, &account).expect("third sync");
    assert_eq!(server.remaining(), Vec::new());
    assert_deleted_are_stored(&server, &temp.store);
}

#[test]
fn item_3_uidls_with_spaces_are_never_shortened() {
    let first = mail("a@example.org", None, "", "first");
    let second = mail("b@example.org", None, "", "second");
    let server =
        MisbehavingServer::start(vec![ServerMail::new("abc def", &first)], Faults::default());
    let mut temp = support::store::TempStore::new();
    let account = account(&mut temp.store, &server, false);
    let report = sync(&mut temp.store, &account).expect("first sync");
    assert!(
        report.warnings.iter().any(|w| w.contains("RFC 1939")),
        "{report:?}"
    );
    server.edit(|mailbox| mailbox.push(ServerMail::new("abc xyz", &second)));
    let report = sync(&mut temp.store, &account).expect("second sync");
    assert_eq!(report.new, 1, "the new message shares only a first word");
    assert!(is_stored(&temp.store, &second));
    let records = temp.store.pop_records(account.id).expect("records");
    assert!(records.iter().all(|r| r.uidl != "abc"), "{records:?}");
}

#[test]
fn item_4_a_body_cut_short_by_a_lone_dot_is_kept_on_the_server() {
    let cut = b"From: a@example.org\r\nSubject: dots\r\nMessage-ID: <dot@example.org>\r\n\r\nabove\r\n.\r\nbelow the lone dot, lost by a server that does not dot-stuff\r\n".to_vec();
    let whole = mail("whole@example.org", None, "", "no dots here");
    let server = MisbehavingServer::start(
        vec![
            ServerMail::new("cut", &cut),
            ServerMail::new("whole", &whole),
        ],
        Faults {
            no_dot_stuffing: true,
            ..Faults::default()
        },
    );
    let mut temp = support::store::TempStore::new();
    let account = account(&mut temp.store, &server, true);
    // The rest of the cut body arrives where a reply is expected: the session may fail.
    let first = sync(&mut temp.store, &account);
    if let Ok(report) = &first {
        assert_eq!(report.incomplete, 1, "{report:?}");
    }
    assert_eq!(
        state_of(&temp.store, &account, "cut"),
        Some(PopState::Incomplete)
    );
    let id = temp
        .store
        .pop_record(account.id, "cut")
        .expect("record")
        .and_then(|r| r.message_id)
        .expect("stored");
    assert_eq!(
        temp.store.pop_state_of_message(id).expect("state"),
        Some(PopState::Incomplete)
    );
    for _ in 0..2 {
        let _ = sync(&mut temp.store, &account);
    }
    assert!(
        server.remaining().iter().any(|m| m.uidl == "cut"),
        "an incomplete copy never lets the server delete the message"
    );
    assert_deleted_are_stored(&server, &temp.store);
}

#[test]
fn item_5_a_message_listed_again_falls_under_retention_again() {
    let message = mail("back@example.org", None, "", "hidden for one listing");
    let server = MisbehavingServer::start(vec![ServerMail::new("b", &message)], Faults::default());
    let mut temp = support::store::TempStore::new();
    let account = account(&mut temp.store, &server, false);
    sync(&mut temp.store, &account).expect("first");
    server.edit(|mailbox| {
        mailbox[0].hidden_from_list = true;
        mailbox[0].hidden_from_uidl = true;
    });
    sync(&mut temp.store, &account).expect("hidden");
    assert_eq!(
        state_of(&temp.store, &account, "b"),
        Some(PopState::RemovedFromServer)
    );
    server.edit(|mailbox| {
        mailbox[0].hidden_from_list = false;
        mailbox[0].hidden_from_uidl = false;
    });
    let classic = remove_after_download(&mut temp.store, &account);
    let report = sync(&mut temp.store, &classic).expect("listed again");
    assert_eq!(report.removed_from_server, 1, "{report:?}");
    assert_eq!(report.new, 0, "never downloaded twice");
    assert_deleted_are_stored(&server, &temp.store);
}

#[test]
fn items_6_and_11_listing_mismatches_and_impossible_sizes_are_reported_and_the_rest_syncs() {
    let messages: Vec<Vec<u8>> = (0..4)
        .map(|n| {
            mail(
                &format!("l{n}@example.org"),
                None,
                "",
                &format!("message {n}"),
            )
        })
        .collect();
    let mut mailbox: Vec<ServerMail> = messages
        .iter()
        .enumerate()
        .map(|(n, m)| ServerMail::new(&format!("u{n}"), m))
        .collect();
    mailbox[0].hidden_from_uidl = true;
    mailbox[1].hidden_from_list = true;
    mailbox[2].list_size = Some("18446744073709551616".to_owned());
    let server = MisbehavingServer::start(mailbox, Faults::default());
    let mut temp = support::store::TempStore::new();
    let account = account(&mut temp.store, &server, true);
    let report = sync(&mut temp.store, &account).expect("the rest of the mailbox syncs");
    assert_eq!(report.new, 1);
    assert!(is_stored(&temp.store, &messages[3]));
    let warnings = report.warnings.join("\n");
    assert!(
        warnings.contains("message 1 is in the server's LIST but not its UIDL"),
        "{warnings}"
    );
    assert!(
        warnings.contains("message 2 is in the server's UIDL listing but not its LIST"),
        "{warnings}"
    );
    assert!(
        warnings.contains("impossible size for message 3"),
        "{warnings}"
    );
    assert_eq!(server.deleted().len(), 1);
    assert_deleted_are_stored(&server, &temp.store);
}

/// Syncs with the session rules of `connect` changed by `tune` (a short stall window, say).
fn sync_tuned(
    store: &mut Store,
    account: &Account,
    tune: impl FnOnce(&mut satchel::pop3::ConnectOptions),
) -> Result<SyncReport, SyncError> {
    let mut connect = connect_options(&account.settings, "pw".to_owned(), SyncOptions::default())
        .expect("options");
    tune(&mut connect);
    support::block_on(sync_account(store, account, &connect, &mut |_| {}))
}

#[test]
fn item_7_a_trickling_server_ends_the_sync_with_a_sentence_saying_it_is_too_slow() {
    let message = mail(
        "slow@example.org",
        None,
        "",
        &"a slow body line\r\n".repeat(200),
    );
    let server = MisbehavingServer::start(
        vec![ServerMail::new("slow", &message)],
        Faults {
            trickle: Some(std::time::Duration::from_millis(5)),
            ..Faults::default()
        },
    );
    let mut temp = support::store::TempStore::new();
    let account = account(&mut temp.store, &server, true);
    let started = std::time::Instant::now();
    let result = sync_tuned(&mut temp.store, &account, |connect| {
        connect.progress = satchel::pop3::ProgressRule {
            window: std::time::Duration::from_secs(2),
            min_bytes: 1024,
        };
    });
    let err = result.expect_err("a stalled server cannot finish a sync");
    assert!(err.to_string().contains("too slow"), "{err}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(50),
        "ended by the stall rule, not the server's own limit"
    );
    assert!(server.deleted().is_empty());
}

#[test]
fn item_8_an_endless_message_is_cut_at_the_cap_and_kept_headers_only() {
    let fine = mail("fine@example.org", None, "", "an ordinary message");
    let mut endless = ServerMail::new("endless", b"Subject: endless\r\nX-Begins: here\r\n");
    endless.endless = true;
    let server = MisbehavingServer::start(
        vec![endless, ServerMail::new("fine", &fine)],
        Faults::default(),
    );
    let mut temp = support::store::TempStore::new();
    let settings = AccountSettings {
        host: "127.0.0.1".to_owned(),
        port: server.port,
        security: Security::Plain,
        username: "alice".to_owned(),
        auth_method: AuthChoice::User,
        keep_on_server: false,
        max_message_mb: Some(1),
        ..AccountSettings::default()
    };
    let account = temp
        .store
        .add_account("capped", &settings)
        .expect("account");
    let report = sync(&mut temp.store, &account).expect("the sync goes past the endless message");
    assert_eq!(
        state_of(&temp.store, &account, "endless"),
        Some(PopState::HeadersOnly),
        "{report:?}"
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("only its headers")),
        "{report:?}"
    );
    assert!(server.remaining().iter().any(|m| m.uidl == "endless"));
    assert!(server.sessions() >= 2, "a new session after the cut");
    assert!(is_stored(&temp.store, &fine));
    assert_deleted_are_stored(&server, &temp.store);
}

#[test]
fn item_8_the_cap_is_an_account_setting_on_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let added = support::cli::satchel(
        dir.path(),
        &[
            "account",
            "add",
            "capped",
            "--host",
            "127.0.0.1",
            "--port",
            "1110",
            "--security",
            "plain",
            "--email",
            "alice@example.org",
            "--max-message-mb",
            "12",
        ],
    );
    assert!(added.status.success(), "{}", support::cli::stderr(&added));
    let cap = |dir: &std::path::Path| {
        let store = Store::open_in(dir).expect("store");
        store
            .account_by_name("capped")
            .expect("account")
            .settings
            .max_message_mb
    };
    assert_eq!(cap(dir.path()), Some(12));
    let edited = support::cli::satchel(
        dir.path(),
        &["account", "edit", "capped", "--max-message-mb", "0"],
    );
    assert!(edited.status.success(), "{}", support::cli::stderr(&edited));
    assert_eq!(cap(dir.path()), None, "0 restores the default");
}
