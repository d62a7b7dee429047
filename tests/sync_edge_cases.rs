//! Sync edge cases Dovecot will not produce on its own: a server without UIDL, and a full disk.

use std::fmt::Write as _;

mod support;

use satchel::model::{AuthChoice, Security};
use satchel::store::{AccountSettings, Store};
use satchel::sync::connect::{SyncOptions, connect_options};
use satchel::sync::explain::FailureKind;
use satchel::sync::run::sync_account;
use support::dovecot::Dovecot;
use support::scripted::{ScriptConn, ScriptedServer};

/// One session of a server without UIDL: LIST, failed UIDL, LIST again, TOP for each message,
/// then RETR for `retrieve`.
async fn no_uidl_session(mut c: ScriptConn, retrieve: &[u32]) {
    let listing = b"+OK 2 messages\r\n1 60\r\n2 61\r\n.\r\n";
    let headers = |n: u32| {
        format!("+OK\r\nSubject: message {n}\r\nMessage-ID: <{n}@old.example>\r\n\r\n.\r\n")
    };
    c.login(Some("USER\r\nTOP\r\n")).await;
    c.expect("LIST").await;
    c.send(listing).await;
    c.expect("UIDL").await;
    c.send(b"-ERR command not supported\r\n").await;
    c.expect("LIST").await;
    c.send(listing).await;
    for n in 1..=2 {
        c.expect(&format!("TOP {n} 0")).await;
        c.send(headers(n).as_bytes()).await;
    }
    for &n in retrieve {
        c.expect(&format!("RETR {n}")).await;
        c.send(format!("+OK\r\nSubject: message {n}\r\nMessage-ID: <{n}@old.example>\r\n\r\nbody {n}\r\n.\r\n").as_bytes()).await;
    }
    c.expect("QUIT").await;
    c.send(b"+OK bye\r\n").await;
}

#[tokio::test]
async fn a_server_without_uidl_is_synced_by_header_fingerprints() {
    let mut temp = support::store::TempStore::new();
    let first = ScriptedServer::start(|c| no_uidl_session(c, &[1, 2])).await;
    let settings = AccountSettings {
        host: "127.0.0.1".to_owned(),
        port: first.options().port,
        security: Security::Plain,
        username: "alice".to_owned(),
        auth_method: AuthChoice::User,
        ..AccountSettings::default()
    };
    let mut account = temp.store.add_account("old", &settings).expect("account");
    let connect = connect_options(&account.settings, "pw".to_owned(), SyncOptions::default())
        .expect("options");
    let report = sync_account(&mut temp.store, &account, &connect, &mut |_| {})
        .await
        .expect("sync");
    first.finish().await;
    assert_eq!(report.new, 2);
    let records = temp.store.pop_records(account.id).expect("state");
    assert!(
        records
            .iter()
            .all(|r| r.uidl.starts_with("satchel-headers-")),
        "{records:?}"
    );

    // Next session: the same headers give the same ids, so nothing is fetched again.
    let second = ScriptedServer::start(|c| no_uidl_session(c, &[])).await;
    account.settings.port = second.options().port;
    let connect = connect_options(&account.settings, "pw".to_owned(), SyncOptions::default())
        .expect("options");
    let report = sync_account(&mut temp.store, &account, &connect, &mut |_| {})
        .await
        .expect("re-sync");
    second.finish().await;
    assert_eq!(report.new, 0);
    assert_eq!(temp.store.message_count().expect("count"), 2);
}

#[test]
fn a_full_disk_stops_the_sync_and_nothing_is_removed_from_the_server() {
    let Some(server) = Dovecot::start_or_skip(&[("alice", "pw")]) else {
        return;
    };
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    for n in 0..60 {
        // Random hex does not compress, so the store really grows by each message's size.
        let mut body = String::new();
        for _ in 0..400 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let _ = writeln!(body, "{state:016x}{:016x}\r", state.rotate_left(17));
        }
        server.deliver(
            "alice",
            &format!("{n}.eml"),
            format!("Subject: big {n}\r\n\r\n{body}").as_bytes(),
        );
    }
    let mut temp = support::store::TempStore::new();
    let settings = AccountSettings {
        keep_on_server: false,
        ..support::dovecot::dovecot_settings(server.pop3s_port, server.fingerprint.to_string())
    };
    let account = temp.store.add_account("full", &settings).expect("account");
    let size_now = std::fs::metadata(temp.store.path()).expect("meta").len();
    temp.store.limit_size(size_now + 256 * 1024).expect("limit");
    let connect = connect_options(&account.settings, "pw".to_owned(), SyncOptions::default())
        .expect("options");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let err = runtime
        .block_on(sync_account(
            &mut temp.store,
            &account,
            &connect,
            &mut |_| {},
        ))
        .expect_err("disk full");
    assert_eq!(err.kind(), FailureKind::DiskFull, "{err:?}");
    assert!(
        err.sentence().contains("nothing was deleted"),
        "{}",
        err.sentence()
    );
    let on_server = support::files_in_maildir(&server.maildir("alice"));
    assert_eq!(on_server, 60, "nothing removed from the server");
    drop(temp.store);
    let store = Store::open_in(temp.dir.path()).expect("reopen");
    assert_eq!(store.integrity_check().expect("check"), "ok");
    let stored = store.message_count().expect("count");
    assert!(stored < 60, "the limit was hit: {stored}");
}
