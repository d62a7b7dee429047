//! `satchel account` and `satchel sync` end to end against a real Dovecot.

mod support;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use support::cli::{stderr, stdout};
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

/// A failed sync: its reason once, on stderr, as one plain `satchel:` line; log lines carry no
/// colour codes when stderr is not a terminal.
#[test]
fn a_failed_sync_gives_its_reason_in_one_plain_line_on_stderr() {
    let Some(server) = Dovecot::start_or_skip(&[("alice", PASSWORD)]) else {
        return;
    };
    let data = tempfile::tempdir().expect("temp");
    assert!(
        add_account(data.path(), &server, "bad", &[], "not the password")
            .status
            .success()
    );
    let quiet = Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--data-dir")
        .arg(data.path())
        .arg("sync")
        .env_remove("SATCHEL_DATA_DIR")
        .env_remove("RUST_LOG")
        .env_remove("NO_COLOR")
        .env("SATCHEL_NO_KEYRING", "1")
        .output()
        .expect("run satchel");
    assert_eq!(quiet.status.code(), Some(2));
    assert_eq!(
        stderr(&quiet),
        "satchel: 1 account failed to sync: bad: The server did not accept the username or password.\n"
    );
    // With debug logging on, the log lines are plain text too.
    let logged = satchel(data.path(), &["sync"], None);
    assert_eq!(logged.status.code(), Some(2));
    assert!(
        !stderr(&logged).contains('\x1b') && !stdout(&logged).contains('\x1b'),
        "{}",
        stderr(&logged)
    );
    assert!(
        stderr(&logged)
            .lines()
            .any(|line| line.starts_with("satchel: 1 account failed to sync: bad: ")),
        "{}",
        stderr(&logged)
    );
}

/// Over the size limit: stored headers-only with the size the server announced (so `larger:`
/// finds it); `satchel fetch ID` downloads the rest, byte-exact, in place.
#[test]
fn fetch_downloads_the_rest_of_a_headers_only_message() {
    let Some(server) = Dovecot::start_or_skip(&[("alice", PASSWORD)]) else {
        return;
    };
    let mut big = b"From: big@example.org\r\nTo: alice@example.org\r\nSubject: the big one\r\nMessage-ID: <big@example.org>\r\n\r\n".to_vec();
    for n in 0..2000 {
        big.extend_from_slice(
            format!("line {n} of a message well over ten kilobytes\r\n").as_bytes(),
        );
    }
    server.deliver("alice", "big.eml", &big);
    let data = tempfile::tempdir().expect("temp");
    assert!(
        add_account(
            data.path(),
            &server,
            "work",
            &["--size-limit", "10"],
            PASSWORD
        )
        .status
        .success()
    );
    let synced = satchel(data.path(), &["sync"], None);
    assert!(synced.status.success(), "{}", stderr(&synced));
    assert!(
        stdout(&synced).contains("work: 1 new, 0 removed from server (1 headers only)"),
        "{}",
        stdout(&synced)
    );
    let hit = |query: &str| -> Vec<serde_json::Value> {
        stdout(&satchel(data.path(), &["search", "--json", query], None))
            .lines()
            .map(|line| serde_json::from_str(line).expect("json"))
            .collect()
    };
    let found = hit("larger:80K");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["size"].as_u64(), Some(big.len() as u64));
    let id = found[0]["id"].as_i64().expect("id").to_string();
    let headers = satchel(data.path(), &["show", "--raw", &id], None).stdout;
    assert!(headers.len() < 200 && big.starts_with(&headers[..headers.len() - 2]));

    let fetched = satchel(data.path(), &["fetch", &id], None);
    assert!(fetched.status.success(), "{}", stderr(&fetched));
    assert_eq!(
        stdout(&fetched).trim(),
        format!(
            "fetched message {id} in full from work ({} bytes)",
            big.len()
        )
    );
    assert_eq!(
        satchel(data.path(), &["show", "--raw", &id], None).stdout,
        big
    );
    let found = hit("larger:80K");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["size"].as_u64(), Some(big.len() as u64));
    assert_eq!(
        stdout(&satchel(data.path(), &["fetch", &id], None)).trim(),
        format!("message {id} is already stored in full; nothing to fetch")
    );
}
