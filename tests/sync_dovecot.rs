//! The sync engine against real servers (Dovecot and GNU Mailutils, one test of each body per
//! server): downloads, re-syncs, every retention policy, headers-only, a UIDL reset, and
//! failures that must change nothing on the server.

mod support;

use satchel::model::PopState;
use satchel::model::Security;
use satchel::store::{Account, AccountSettings, Store};
use satchel::sync::connect::{SyncOptions, connect_options};
use satchel::sync::run::sync_account;
use satchel::sync::{SyncError, SyncReport};
use support::real_server::{RealServer, ServerKind};

const USER: &str = "alice";
const PASSWORD: &str = "correct horse";

fn message(n: usize, extra: &str) -> Vec<u8> {
    format!(
        "From: Sender {n} <sender{n}@example.org>\r\nTo: alice@example.org\r\nSubject: Message {n}\r\n\
         Date: Mon, {day} Jan 2024 10:00:00 +0000\r\nMessage-ID: <m{n}@example.org>\r\n\r\nBody of message {n}.\r\n{extra}",
        day = 1 + n % 28
    )
    .into_bytes()
}

fn add_account(store: &mut Store, server: &RealServer, settings: AccountSettings) -> Account {
    let base =
        support::dovecot::dovecot_settings(server.pop3s_port(), server.fingerprint().to_string());
    let settings = AccountSettings {
        host: base.host,
        port: base.port,
        username: server.login_name(USER),
        pinned_fingerprint: base.pinned_fingerprint,
        ..settings
    };
    store.add_account("test", &settings).expect("add account")
}

fn sync(store: &mut Store, account: &Account, password: &str) -> Result<SyncReport, SyncError> {
    let connect = connect_options(
        &account.settings,
        password.to_owned(),
        SyncOptions::default(),
    )?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(sync_account(store, account, &connect, &mut |_| {}))
}

fn files_on_server(server: &RealServer) -> usize {
    support::files_in_maildir(&server.maildir(USER))
}

/// (UIDL, stored raw bytes) of every message of `account` still held locally.
fn stored_by_uidl(store: &Store, account: &Account) -> Vec<(String, Vec<u8>)> {
    store
        .pop_records(account.id)
        .expect("state")
        .into_iter()
        .filter_map(|record| {
            let id = record.message_id?;
            Some((record.uidl, store.raw_message(id).expect("raw")))
        })
        .collect()
}

fn downloads_once_byte_exact_and_keeps_mail_on_the_server_by_default(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, &[(USER, PASSWORD)]) else {
        return;
    };
    let originals: Vec<Vec<u8>> = (0..5)
        .map(|n| {
            message(
                n,
                if n == 2 {
                    ".hidden dot line\r\n..two dots\r\n"
                } else {
                    ""
                },
            )
        })
        .collect();
    for (n, raw) in originals.iter().enumerate() {
        server.deliver(USER, &format!("{n}.eml"), raw);
    }
    let mut temp = support::store::TempStore::new();
    let account = add_account(&mut temp.store, &server, AccountSettings::default());
    let report = sync(&mut temp.store, &account, PASSWORD).expect("sync");
    assert_eq!((report.new, report.removed_from_server), (5, 0));
    // Dot-unstuffed, CRLF kept, otherwise exactly what the server sent under that UIDL.
    server.assert_serves(&originals, &stored_by_uidl(&temp.store, &account));
    assert_eq!(files_on_server(&server), 5);

    let again = sync(&mut temp.store, &account, PASSWORD).expect("re-sync");
    assert_eq!(again.new, 0, "known UIDLs are never fetched twice");
    assert_eq!(temp.store.message_count().expect("count"), 5);
    server.deliver(USER, "5.eml", &message(5, ""));
    assert_eq!(
        sync(&mut temp.store, &account, PASSWORD).expect("sync").new,
        1
    );
    assert_eq!(temp.store.message_count().expect("count"), 6);
}

fn classic_pop_removes_from_the_server_only_what_is_stored(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, &[(USER, PASSWORD)]) else {
        return;
    };
    let originals: Vec<Vec<u8>> = (0..4).map(|n| message(n, "")).collect();
    for (n, raw) in originals.iter().enumerate() {
        server.deliver(USER, &format!("{n}.eml"), raw);
    }
    let mut temp = support::store::TempStore::new();
    let settings = AccountSettings {
        keep_on_server: false,
        ..AccountSettings::default()
    };
    let account = add_account(&mut temp.store, &server, settings);
    let report = sync(&mut temp.store, &account, PASSWORD).expect("sync");
    assert_eq!((report.new, report.removed_from_server), (4, 4));
    assert_eq!(files_on_server(&server), 0);
    assert_eq!(
        temp.store.message_count().expect("count"),
        4,
        "every message removed from the server is stored"
    );
    server.assert_serves(&originals, &stored_by_uidl(&temp.store, &account));
    assert!(
        temp.store
            .pop_records(account.id)
            .expect("state")
            .iter()
            .all(|r| r.state == PopState::RemovedFromServer)
    );
}

fn remove_after_days_and_when_deleted_locally(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, &[(USER, PASSWORD)]) else {
        return;
    };
    for n in 0..3 {
        server.deliver(USER, &format!("{n}.eml"), &message(n, ""));
    }
    let mut temp = support::store::TempStore::new();
    // Zero days: due at the first sync after the download, never in the same one.
    let settings = AccountSettings {
        remove_after_days: Some(0),
        ..AccountSettings::default()
    };
    let account = add_account(&mut temp.store, &server, settings);
    assert_eq!(
        sync(&mut temp.store, &account, PASSWORD)
            .expect("sync")
            .removed_from_server,
        0
    );
    assert_eq!(
        sync(&mut temp.store, &account, PASSWORD)
            .expect("sync")
            .removed_from_server,
        3
    );
    assert_eq!(files_on_server(&server), 0);

    let Some(server) = RealServer::start_or_skip(kind, &[(USER, PASSWORD)]) else {
        return;
    };
    for n in 0..3 {
        server.deliver(USER, &format!("{n}.eml"), &message(n, ""));
    }
    let mut temp = support::store::TempStore::new();
    let settings = AccountSettings {
        remove_when_deleted: true,
        ..AccountSettings::default()
    };
    let account = add_account(&mut temp.store, &server, settings);
    assert_eq!(
        sync(&mut temp.store, &account, PASSWORD).expect("sync").new,
        3
    );
    let first = temp
        .store
        .search("subject:\"message 1\"", 1)
        .expect("search")[0]
        .id;
    let trash = temp.store.trash_folder().expect("trash");
    temp.store.move_messages(&[first], trash).expect("to trash");
    assert_eq!(
        sync(&mut temp.store, &account, PASSWORD)
            .expect("sync")
            .removed_from_server,
        0,
        "still in Trash"
    );
    temp.store.empty_trash().expect("empty trash");
    let report = sync(&mut temp.store, &account, PASSWORD).expect("sync");
    assert_eq!((report.removed_from_server, report.new), (1, 0));
    assert_eq!(files_on_server(&server), 2);
}

fn over_the_size_limit_only_headers_are_fetched_and_the_message_stays(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, &[(USER, PASSWORD)]) else {
        return;
    };
    let big = message(1, &"x".repeat(200 * 1024));
    server.deliver(USER, "big.eml", &big);
    server.deliver(USER, "small.eml", &message(2, ""));
    let mut temp = support::store::TempStore::new();
    let settings = AccountSettings {
        size_limit_kb: Some(100),
        keep_on_server: false,
        ..AccountSettings::default()
    };
    let account = add_account(&mut temp.store, &server, settings);
    let report = sync(&mut temp.store, &account, PASSWORD).expect("sync");
    assert_eq!(
        (report.new, report.headers_only, report.removed_from_server),
        (2, 1, 1)
    );
    let hit = &temp
        .store
        .search("subject:\"message 1\"", 1)
        .expect("search")[0];
    let summary = temp.store.message(hit.id).expect("summary");
    assert!(summary.headers_only);
    assert!(temp.store.raw_message(hit.id).expect("raw").len() < 1024);
    assert_eq!(
        files_on_server(&server),
        1,
        "the big one stays: we only hold its headers"
    );
}

fn a_wrong_password_changes_nothing(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, &[(USER, PASSWORD)]) else {
        return;
    };
    server.deliver(USER, "1.eml", &message(1, ""));
    let mut temp = support::store::TempStore::new();
    let settings = AccountSettings {
        keep_on_server: false,
        ..AccountSettings::default()
    };
    let account = add_account(&mut temp.store, &server, settings);
    let err = sync(&mut temp.store, &account, "wrong").expect_err("must fail");
    assert!(matches!(err, SyncError::Pop3(_)), "{err}");
    assert!(
        !err.to_string().contains("wrong"),
        "the password never appears: {err}"
    );
    assert_eq!(temp.store.message_count().expect("count"), 0);
    assert_eq!(files_on_server(&server), 1);
}

fn after_a_uidl_reset_known_messages_are_recognised_not_downloaded_again(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, &[(USER, PASSWORD)]) else {
        return;
    };
    for n in 0..6 {
        server.deliver(USER, &format!("{n}.eml"), &message(n, ""));
    }
    let mut temp = support::store::TempStore::new();
    let account = add_account(&mut temp.store, &server, AccountSettings::default());
    assert_eq!(
        sync(&mut temp.store, &account, PASSWORD).expect("sync").new,
        6
    );
    server.reset_uidls(USER);
    server.deliver(USER, "6.eml", &message(6, ""));
    let report = sync(&mut temp.store, &account, PASSWORD).expect("sync");
    match kind {
        ServerKind::Dovecot => {
            assert_eq!((report.recognised, report.new), (6, 1), "{report:?}");
            assert_eq!(temp.store.message_count().expect("count"), 7);
        }
        // Mailutils serves each message with an X-UIDL header that changes with the reset, and
        // LIST leaves it out: neither the size nor the header block matches what is stored, so
        // nothing counts as recognised and every message is downloaded again (nothing is lost;
        // the old copies stay beside the new ones).
        ServerKind::Mailutils => {
            assert_eq!((report.recognised, report.new), (0, 7), "{report:?}");
            assert_eq!(temp.store.message_count().expect("count"), 13);
        }
    }
}

fn starttls_works_and_the_certificate_must_be_trusted(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, &[(USER, PASSWORD)]) else {
        return;
    };
    server.deliver(USER, "1.eml", &message(1, ""));
    let mut temp = support::store::TempStore::new();
    let settings = AccountSettings {
        security: Security::StartTls,
        ..AccountSettings::default()
    };
    let mut account = add_account(&mut temp.store, &server, settings);
    account.settings.port = server.pop3_port();
    account.settings.security = Security::StartTls;
    assert_eq!(
        sync(&mut temp.store, &account, PASSWORD).expect("sync").new,
        1
    );
    account.settings.pinned_fingerprint = None;
    let err = sync(&mut temp.store, &account, PASSWORD).expect_err("self-signed, not pinned");
    assert!(
        err.to_string().to_lowercase().contains("certificate"),
        "{err}"
    );
}

crate::real_server_tests!(
    downloads_once_byte_exact_and_keeps_mail_on_the_server_by_default,
    classic_pop_removes_from_the_server_only_what_is_stored,
    remove_after_days_and_when_deleted_locally,
    over_the_size_limit_only_headers_are_fetched_and_the_message_stays,
    a_wrong_password_changes_nothing,
    after_a_uidl_reset_known_messages_are_recognised_not_downloaded_again,
    starttls_works_and_the_certificate_must_be_trusted,
);
