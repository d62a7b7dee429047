//! Sending: `satchel compose|reply|forward|outbox|send` against a real SMTP server (aiosmtpd)
//! on loopback with STARTTLS or implicit TLS and AUTH.

mod support;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use satchel::model::{FolderKind, MessageId, OutgoingState};
use satchel::store::Store;
use support::cli::{satchel, satchel_with_stdin, stderr, stdout};
use support::smtp::{Mode, SmtpServer};

const USER: &str = "ada";
const PASSWORD: &str = "smtp-pa55-never-logged";

fn add_account(data: &Path, server_port: u16, security: &str, fingerprint: &str) {
    let port = server_port.to_string();
    let out = satchel_with_stdin(
        data,
        &[
            "account",
            "add",
            "work",
            "--email",
            "ada@example.org",
            "--host",
            "127.0.0.1",
            "--username",
            USER,
            "--password-stdin",
            "--identity-name",
            "Ada Lövelace",
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            &port,
            "--smtp-security",
            security,
            "--smtp-trust-fingerprint",
            fingerprint,
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

/// `satchel compose`, returning the queued message's id.
fn compose(data: &Path, extra: &[&str], body: &str) -> MessageId {
    let mut args = vec!["compose", "--account", "work", "--body-stdin"];
    args.extend_from_slice(extra);
    let out = satchel_with_stdin(data, &args, body);
    assert!(out.status.success(), "{}", stderr(&out));
    MessageId(stdout(&out).trim().parse().expect("an id"))
}

fn send(data: &Path) -> std::process::Output {
    satchel_with_stdin(data, &["send", "--json"], "")
}

fn store(data: &Path) -> Store {
    Store::open_in(data).expect("store")
}

#[test]
fn a_message_goes_over_starttls_with_auth_byte_exact_and_moves_to_sent() {
    let Some(server) = SmtpServer::start_or_skip("starttls", USER, PASSWORD, Mode::Normal) else {
        return;
    };
    let data = tempfile::tempdir().expect("data");
    add_account(data.path(), server.port, "starttls", &server.fingerprint);
    let binary: Vec<u8> = (0..=255u8).cycle().take(300_000).collect();
    let file = data.path().join("Jahresabschluß 2026.bin");
    std::fs::write(&file, &binary).expect("attachment");
    let body = "Hello Jörg,\n.\n.hidden line\nFrom the start of a line.\n";
    let id = compose(
        data.path(),
        &[
            "--to",
            "Jörg Müller <jorg@example.de>",
            "--cc",
            "carol@example.org",
            "--bcc",
            "secret@example.org",
            "--subject",
            "Grüße aus Zürich",
            "--attach",
            file.to_str().expect("path"),
        ],
        body,
    );
    let queued = store(data.path()).outgoing(None).expect("outbox");
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].state, OutgoingState::Queued);

    let out = send(data.path());
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("\"sent\":1"), "{}", stdout(&out));
    assert!(!stderr(&out).contains(PASSWORD) && !stdout(&out).contains(PASSWORD));

    let received = server.received();
    assert_eq!(received.len(), 1);
    let message = &received[0];
    assert_eq!(message.from, "ada@example.org");
    assert_eq!(
        message.to,
        ["jorg@example.de", "carol@example.org", "secret@example.org"]
    );
    let text = String::from_utf8_lossy(&message.raw);
    assert!(
        !text.contains("secret@"),
        "Bcc never travels in the message"
    );
    let parsed = satchel::message::parse(&message.raw, None);
    assert_eq!(parsed.subject, "Grüße aus Zürich");
    assert_eq!(parsed.from_name, "Ada Lövelace");
    assert!(
        parsed.body_text.contains(".hidden line"),
        "{}",
        parsed.body_text
    );
    assert_eq!(parsed.attachments.len(), 1);
    assert_eq!(parsed.attachments[0].name, "Jahresabschluß 2026.bin");
    let bytes = satchel::message::attachment_bytes(&message.raw, 0).expect("bytes");
    assert_eq!(bytes, binary, "the attachment arrives byte-exact");

    let store = store(data.path());
    assert!(store.outgoing(None).expect("outbox").is_empty());
    let sent = store
        .role_folder(FolderKind::Sent)
        .expect("roles")
        .expect("Sent exists");
    let kept = store.message(id).expect("still stored");
    assert_eq!(kept.folder_id, sent);
    assert!(
        String::from_utf8_lossy(&store.raw_message(id).expect("raw"))
            .contains("secret@example.org"),
        "the Sent copy keeps its Bcc, as Thunderbird's does"
    );
}

#[test]
fn implicit_tls_sends_and_a_refused_recipient_fails_with_the_servers_reason() {
    let Some(server) = SmtpServer::start_or_skip("tls", USER, PASSWORD, Mode::RefuseRcpt) else {
        return;
    };
    let data = tempfile::tempdir().expect("data");
    add_account(data.path(), server.port, "tls", &server.fingerprint);
    compose(
        data.path(),
        &["--to", "bob@example.org", "--subject", "fine"],
        "hi\n",
    );
    let refused = compose(
        data.path(),
        &["--to", "nobody@refused.example.org", "--subject", "bounced"],
        "hi\n",
    );
    let out = send(data.path());
    assert!(!out.status.success(), "not everything was sent");
    assert!(
        stdout(&out).contains("\"sent\":1,\"refused\":1"),
        "{}",
        stdout(&out)
    );
    assert_eq!(server.received().len(), 1);
    let failed = store(data.path()).outgoing_message(refused).expect("kept");
    assert_eq!(failed.state, OutgoingState::Failed);
    let why = failed.last_error.expect("a reason");
    assert!(why.contains("550") && why.contains("No such user"), "{why}");
    let listed = satchel(data.path(), &["outbox"]);
    assert!(stdout(&listed).contains("failed") && stdout(&listed).contains("No such user"));
}

#[test]
fn with_the_server_down_it_waits_in_the_outbox_and_goes_once_it_is_up() {
    let down_port = support::dovecot::free_port();
    let data = tempfile::tempdir().expect("data");
    add_account(data.path(), down_port, "starttls", "00".repeat(32).as_str());
    let id = compose(
        data.path(),
        &["--to", "bob@example.org", "--subject", "later"],
        "hi\n",
    );
    let out = send(data.path());
    assert!(!out.status.success());
    let waiting = store(data.path()).outgoing_message(id).expect("kept");
    assert_eq!(waiting.state, OutgoingState::Queued);
    assert!(
        waiting
            .last_error
            .is_some_and(|e| e.contains("cannot connect"))
    );

    let Some(server) = SmtpServer::start_or_skip("starttls", USER, PASSWORD, Mode::Normal) else {
        return;
    };
    let port = server.port.to_string();
    let edit = satchel(
        data.path(),
        &[
            "account",
            "edit",
            "work",
            "--smtp-port",
            &port,
            "--smtp-trust-fingerprint",
            &server.fingerprint,
        ],
    );
    assert!(edit.status.success(), "{}", stderr(&edit));
    // `satchel sync` sends the Outbox first (its POP3 part fails: no server there).
    let _ = satchel_with_stdin(data.path(), &["sync"], "");
    assert_eq!(server.received().len(), 1);
    assert!(
        store(data.path())
            .outgoing(None)
            .expect("outbox")
            .is_empty()
    );
}

#[test]
fn killed_after_the_final_dot_it_is_marked_may_have_been_sent_and_never_resent_silently() {
    let Some(server) = SmtpServer::start_or_skip("starttls", USER, PASSWORD, Mode::StallFinal)
    else {
        return;
    };
    let data = tempfile::tempdir().expect("data");
    add_account(data.path(), server.port, "starttls", &server.fingerprint);
    let id = compose(
        data.path(),
        &["--to", "bob@example.org", "--subject", "once"],
        "hi\n",
    );
    let mut child = Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--data-dir")
        .arg(data.path())
        .arg("send")
        .env("SATCHEL_NO_KEYRING", "1")
        .env_remove("SATCHEL_DATA_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("satchel send");
    assert!(
        server.wait_stalled(Duration::from_secs(30)),
        "the server got the whole message"
    );
    child.kill().expect("kill");
    let _ = child.wait();

    let left = store(data.path()).outgoing_message(id).expect("kept");
    assert_eq!(left.state, OutgoingState::Uncertain);
    drop(server);

    let Some(again) = SmtpServer::start_or_skip("starttls", USER, PASSWORD, Mode::Normal) else {
        return;
    };
    let port = again.port.to_string();
    let edit = satchel(
        data.path(),
        &[
            "account",
            "edit",
            "work",
            "--smtp-port",
            &port,
            "--smtp-trust-fingerprint",
            &again.fingerprint,
        ],
    );
    assert!(edit.status.success());
    let out = send(data.path());
    assert!(out.status.success(), "nothing was queued: {}", stderr(&out));
    assert!(
        again.received().is_empty(),
        "a message that may have been sent is not sent again"
    );
    let listed = satchel(data.path(), &["outbox", "--json"]);
    assert!(
        stdout(&listed).contains("\"state\":\"uncertain\""),
        "{}",
        stdout(&listed)
    );
}

#[test]
fn a_reply_names_the_conversation_and_reply_all_leaves_out_my_address() {
    let Some(server) = SmtpServer::start_or_skip("starttls", USER, PASSWORD, Mode::Normal) else {
        return;
    };
    let data = tempfile::tempdir().expect("data");
    add_account(data.path(), server.port, "starttls", &server.fingerprint);
    let original = data.path().join("original.eml");
    std::fs::write(
        &original,
        "From: Bob <bob@example.org>\r\nTo: ada@example.org, carol@example.org\r\nCc: dave@example.org\r\n\
         Subject: Lunch?\r\nMessage-ID: <lunch-2@example.org>\r\nReferences: <lunch-1@example.org>\r\n\
         Date: Wed, 02 Dec 2026 12:00:00 +0000\r\n\r\nShall we?\r\n",
    )
    .expect("original");
    let out = satchel(data.path(), &["import", original.to_str().expect("path")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let stored = store(data.path());
    let folder = stored
        .resolve_folder("Imported")
        .or_else(|_| stored.resolve_folder("Inbox"));
    let ids = stored
        .folder_message_ids(folder.expect("a folder"))
        .expect("ids");
    let original_id = ids[0];
    drop(stored);

    let out = satchel_with_stdin(
        data.path(),
        &[
            "reply",
            &original_id.to_string(),
            "--all",
            "--account",
            "work",
            "--body-stdin",
        ],
        "Yes, at noon.\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(send(data.path()).status.success());
    let received = server.received();
    let parsed = satchel::message::parse(&received[0].raw, None);
    assert_eq!(parsed.subject, "Re: Lunch?");
    assert_eq!(parsed.in_reply_to.as_deref(), Some("lunch-2@example.org"));
    assert_eq!(
        parsed.references.as_deref(),
        Some("lunch-1@example.org lunch-2@example.org")
    );
    assert_eq!(
        received[0].to,
        ["bob@example.org", "carol@example.org", "dave@example.org"]
    );
    assert!(
        parsed.body_text.starts_with("Yes, at noon."),
        "{}",
        parsed.body_text
    );
    assert!(parsed.body_text.contains("> Shall we?"));
    let answered = store(data.path()).message(original_id).expect("original");
    assert!(answered.flags.answered, "the original is marked answered");
}
