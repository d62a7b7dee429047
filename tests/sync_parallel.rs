//! Two accounts in one store sync at the same time (issue 9, item 13): each on its own thread
//! with its own store connection, as `satchel sync` and the app's worker run them.

mod support;

use std::sync::Barrier;

use satchel::store::{AccountSettings, Store};
use satchel::sync::SyncReport;
use satchel::sync::connect::{SyncOptions, connect_options};
use satchel::sync::run::sync_account;
use support::dovecot::Dovecot;

/// Messages per account: enough for both downloads to overlap for a while.
const MESSAGES_PER_ACCOUNT: usize = 500;

fn message(user: &str, n: usize) -> Vec<u8> {
    format!(
        "From: Sender <s{n}@example.org>\r\nTo: {user}@example.org\r\nSubject: {user} {n}\r\n\
         Date: Tue, 3 Nov 2026 10:00:00 +0000\r\nMessage-ID: <{user}.{n}@example.org>\r\n\r\n\
         Body of {user}'s message {n}.\r\n{}",
        "Some text to give the message a realistic size.\r\n".repeat(20)
    )
    .into_bytes()
}

#[test]
fn two_accounts_sync_into_one_store_at_the_same_time() {
    let users = [("alice", "pw-a"), ("bob", "pw-b")];
    let Some(server) = Dovecot::start_or_skip(&users) else {
        return;
    };
    for (user, _) in users {
        for n in 0..MESSAGES_PER_ACCOUNT {
            server.deliver(user, &format!("{n}.eml"), &message(user, n));
        }
    }
    let mut temp = support::store::TempStore::new();
    let accounts: Vec<_> = users
        .iter()
        .map(|(user, _)| {
            let base = support::dovecot::dovecot_settings(
                server.pop3s_port,
                server.fingerprint.to_string(),
            );
            let settings = AccountSettings {
                username: (*user).to_owned(),
                ..base
            };
            temp.store.add_account(user, &settings).expect("account")
        })
        .collect();
    let path = temp.store.path().to_owned();
    let start_together = Barrier::new(users.len());
    let results: Vec<(String, Result<SyncReport, String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = accounts
            .iter()
            .zip(users)
            .map(|(account, (user, password))| {
                let (path, start_together) = (&path, &start_together);
                scope.spawn(move || {
                    let mut store = Store::open(path).expect("own connection");
                    let connect = connect_options(
                        &account.settings,
                        (*password).to_owned(),
                        SyncOptions::default(),
                    )
                    .expect("options");
                    let runtime = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .expect("runtime");
                    start_together.wait();
                    let result = runtime
                        .block_on(sync_account(&mut store, account, &connect, &mut |_| {}))
                        .map_err(|err| format!("{err:#}"));
                    (user.to_owned(), result)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("sync thread"))
            .collect()
    });
    for (user, result) in &results {
        let report = result
            .as_ref()
            .unwrap_or_else(|err| panic!("{user}: {err}"));
        assert_eq!(
            report.new, MESSAGES_PER_ACCOUNT as u64,
            "{user}: {report:?}"
        );
    }
    assert_eq!(
        temp.store.message_count().expect("count"),
        (MESSAGES_PER_ACCOUNT * users.len()) as u64
    );
    for account in &accounts {
        let records = temp.store.pop_records(account.id).expect("records");
        assert_eq!(records.len(), MESSAGES_PER_ACCOUNT);
    }
}
