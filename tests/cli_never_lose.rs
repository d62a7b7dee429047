//! What `satchel sync` and `satchel fetch` tell the user about a misbehaving server (issue 9,
//! items 19 and 20): warnings are printed, a failed sync still counts what it stored, and a
//! headers-only message keeps the server's size until `satchel fetch` brings the rest.

mod support;

use std::path::Path;

use support::cli::{satchel, stderr, stdout};
use support::misbehaving::{Faults, MisbehavingServer, ServerMail};

fn add_account(data: &Path, server: &MisbehavingServer, extra: &[&str]) {
    let port = server.port.to_string();
    let mut args = vec![
        "account",
        "add",
        "odd",
        "--host",
        "127.0.0.1",
        "--port",
        &port,
        "--security",
        "plain",
        "--email",
        "alice@example.org",
        "--username",
        "alice",
        "--auth",
        "user",
        "--password-stdin",
    ];
    args.extend_from_slice(extra);
    let added = support::cli::satchel_with_stdin(data, &args, "pw\n");
    assert!(added.status.success(), "{}", stderr(&added));
}

fn mail(n: usize, body: &str) -> Vec<u8> {
    format!("From: a@example.org\r\nSubject: message {n}\r\nMessage-ID: <{n}@example.org>\r\n\r\n{body}\r\n")
        .into_bytes()
}

#[test]
fn warnings_are_printed_and_a_failed_sync_still_counts_what_it_stored() {
    let cut = b"From: a@example.org\r\nSubject: cut\r\n\r\nabove\r\n.\r\nbelow\r\n".to_vec();
    let server = MisbehavingServer::start(
        vec![
            ServerMail::new("same", &mail(1, "one")),
            ServerMail::new("same", &mail(2, "two")),
            ServerMail::new("cut", &cut),
        ],
        Faults {
            no_dot_stuffing: true,
            ..Faults::default()
        },
    );
    let data = tempfile::tempdir().expect("temp");
    add_account(data.path(), &server, &[]);
    // The rest of the cut body arrives where a reply is expected: this sync fails after storing.
    let first = satchel(data.path(), &["sync", "--json"]);
    assert_eq!(first.status.code(), Some(2));
    let result: serde_json::Value = serde_json::from_str(stdout(&first).trim()).expect("json");
    assert_eq!(result["ok"].as_bool(), Some(false));
    assert_eq!(result["new"].as_u64(), Some(3), "{result}");
    assert!(
        !stderr(&first).contains('\x1b'),
        "no colour codes off a terminal"
    );

    let second = satchel(data.path(), &["sync"]);
    assert!(second.status.success(), "{}", stderr(&second));
    let text = stdout(&second);
    assert!(
        text.contains("odd: note: this server's message ids are not unique"),
        "{text}"
    );
    assert!(
        text.contains("2 identical to mail already stored (kept once)"),
        "{text}"
    );
    assert!(server.deleted().is_empty());
}

#[test]
fn a_headers_only_message_keeps_the_server_size_and_fetch_brings_the_rest() {
    let big = mail(1, &"a line of a long message\r\n".repeat(400));
    let server = MisbehavingServer::start(vec![ServerMail::new("big", &big)], Faults::default());
    let data = tempfile::tempdir().expect("temp");
    add_account(data.path(), &server, &["--size-limit", "4"]);
    let synced = satchel(data.path(), &["sync"]);
    assert!(synced.status.success(), "{}", stderr(&synced));
    assert!(
        stdout(&synced).contains("1 headers only"),
        "{}",
        stdout(&synced)
    );
    let found = stdout(&satchel(data.path(), &["search", "larger:8k"]));
    let id = found
        .split_whitespace()
        .next()
        .expect("found by the server's size")
        .to_owned();
    let fetched =
        support::cli::satchel_with_stdin(data.path(), &["fetch", &id, "--password-stdin"], "pw\n");
    assert!(fetched.status.success(), "{}", stderr(&fetched));
    let raw = satchel(data.path(), &["show", &id, "--raw"]);
    assert_eq!(raw.stdout, big, "the full bytes, exactly");
    assert!(server.deleted().is_empty());
}
