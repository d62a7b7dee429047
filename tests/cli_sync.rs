//! `satchel account` and `satchel sync` end to end against a real Dovecot.

mod common;
mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::{stderr, stdout};
use support::dovecot::Dovecot;

const PASSWORD: &str = "pa55-word-never-logged";

/// Runs satchel with a password file instead of any real keyring, optionally feeding stdin.
fn satchel(data: &Path, args: &[&str], input: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("SATCHEL_DATA_DIR")
        .env("SATCHEL_NO_KEYRING", "1")
        .env("RUST_LOG", "satchel=debug")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run satchel");
    if let Some(text) = input {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait")
}

fn add_account(
    data: &Path,
    server: &Dovecot,
    name: &str,
    extra: &[&str],
    password: &str,
) -> Output {
    let port = server.pop3s_port.to_string();
    let fingerprint = server.fingerprint.to_string();
    let mut args = vec![
        "account",
        "add",
        name,
        "--host",
        "localhost",
        "--port",
        &port,
        "--security",
        "tls",
        "--email",
        "alice@example.org",
        "--username",
        "alice",
        "--trust-fingerprint",
        &fingerprint,
        "--password-stdin",
    ];
    args.extend_from_slice(extra);
    satchel(data, &args, Some(&format!("{password}\n")))
}

#[test]
fn add_test_sync_and_search_from_the_command_line() {
    let Some(server) = Dovecot::start_or_skip(&[("alice", PASSWORD)]) else {
        return;
    };
    for n in 0..3 {
        let raw = format!(
            "From: s{n}@example.org\r\nSubject: Hello number {n}\r\nMessage-ID: <c{n}@x>\r\n\r\nbody {n}\r\n"
        );
        server.deliver("alice", &format!("{n}.eml"), raw.as_bytes());
    }
    let data = tempfile::tempdir().expect("temp");
    let added = add_account(data.path(), &server, "work", &[], PASSWORD);
    assert!(added.status.success(), "{}", stderr(&added));
    assert!(
        stdout(&added).contains("no system keyring is available"),
        "the fallback is said plainly: {}",
        stdout(&added)
    );

    let listed = stdout(&satchel(data.path(), &["account", "list"], None));
    assert!(
        listed.contains("work  alice@localhost") && listed.contains("kept on server"),
        "{listed}"
    );

    let tested = satchel(data.path(), &["account", "test", "work"], None);
    assert!(tested.status.success(), "{}", stderr(&tested));
    let text = stdout(&tested);
    assert!(
        text.contains("(encrypted)") && text.contains("UIDL") && text.contains("3 message(s)"),
        "{text}"
    );

    let synced = satchel(data.path(), &["sync", "--json"], None);
    assert!(synced.status.success(), "{}", stderr(&synced));
    let result: serde_json::Value = serde_json::from_str(stdout(&synced).trim()).expect("json");
    assert_eq!(
        (
            result["account"].as_str(),
            result["ok"].as_bool(),
            result["new"].as_u64()
        ),
        (Some("work"), Some(true), Some(3))
    );

    let again = satchel(data.path(), &["sync"], None);
    assert!(
        stdout(&again).contains("synced 1 of 1 account: 0 new"),
        "{}",
        stdout(&again)
    );
    let found = stdout(&satchel(
        data.path(),
        &["search", "folder:Inbox", "account:work", "hello"],
        None,
    ));
    assert_eq!(found.lines().count(), 3, "{found}");

    // The password is in the private fallback file only: not in the store, not in any log line.
    for output in [&added, &tested, &synced, &again] {
        assert!(!stderr(output).contains(PASSWORD) && !stdout(output).contains(PASSWORD));
    }
    let store_bytes = std::fs::read(data.path().join("satchel.sqlite3")).expect("store");
    assert!(
        !store_bytes
            .windows(PASSWORD.len())
            .any(|w| w == PASSWORD.as_bytes())
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.path().join("passwords.json"))
            .expect("file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn one_failing_account_does_not_stop_the_others_and_the_exit_code_says_so() {
    let Some(server) = Dovecot::start_or_skip(&[("alice", PASSWORD)]) else {
        return;
    };
    server.deliver(
        "alice",
        "1.eml",
        b"From: a@x\r\nSubject: one\r\n\r\nbody\r\n",
    );
    let data = tempfile::tempdir().expect("temp");
    assert!(
        add_account(data.path(), &server, "good", &[], PASSWORD)
            .status
            .success()
    );
    assert!(
        add_account(data.path(), &server, "bad", &[], "not the password")
            .status
            .success()
    );
    let synced = satchel(data.path(), &["sync"], None);
    assert_eq!(synced.status.code(), Some(2));
    let text = stdout(&synced);
    assert!(text.contains("good: 1 new"), "{text}");
    assert!(
        text.contains("bad: failed: The server did not accept the username or password."),
        "{text}"
    );
    assert!(text.contains("synced 1 of 2 accounts"), "{text}");
    assert!(
        stderr(&synced).contains(
            "satchel: 1 account failed to sync: bad: The server did not accept the username or password."
        ),
        "{}",
        stderr(&synced)
    );
}

#[test]
fn an_untrusted_certificate_is_shown_with_its_fingerprint_and_can_be_trusted() {
    let Some(server) = Dovecot::start_or_skip(&[("alice", PASSWORD)]) else {
        return;
    };
    let data = tempfile::tempdir().expect("temp");
    let port = server.pop3s_port.to_string();
    let added = satchel(
        data.path(),
        &[
            "account",
            "add",
            "self",
            "--host",
            "localhost",
            "--port",
            &port,
            "--email",
            "alice",
            "--password-stdin",
        ],
        Some(&format!("{PASSWORD}\n")),
    );
    assert!(added.status.success(), "{}", stderr(&added));
    let refused = satchel(data.path(), &["sync"], None);
    assert_eq!(refused.status.code(), Some(2));
    let fingerprint = server.fingerprint.to_string();
    assert!(
        stdout(&refused).contains("certificate is not trusted")
            && stdout(&refused).contains(&fingerprint),
        "{}",
        stdout(&refused)
    );
    let trusted = satchel(
        data.path(),
        &[
            "account",
            "edit",
            "self",
            "--trust-fingerprint",
            &fingerprint.replace(':', ""),
        ],
        None,
    );
    assert!(trusted.status.success(), "{}", stderr(&trusted));
    assert!(satchel(data.path(), &["sync"], None).status.success());
}
