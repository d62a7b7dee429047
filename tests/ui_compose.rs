//! Writing mail in the app under `egui_kittest`: a new message with address completion, Reply,
//! Reply all and Forward from the keys, drafts saved by themselves and opened again after a
//! crash, files dropped on the window, and a message sent offline that goes once a real SMTP
//! server (aiosmtpd) can be reached.

mod support;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use satchel::model::{FolderKind, MessageId, OutgoingState, Security};
use satchel::secrets::Secrets;
use satchel::store::{AccountSettings, Identity, SmtpSettings, Store};
use satchel::sync::worker::SyncHandle;
use satchel::ui::app::SatchelApp;
use satchel::ui::command::UiCommand;
use satchel::ui::prefs::Prefs;
use support::smtp::{Mode, SmtpServer};
use support::ui::{Window, click_row, open_app, store, window};

const ME: &str = "you@example.com";
const USER: &str = "you";
const PASSWORD: &str = "smtp secret";

/// The one account: the samples' "You", with a signature, sending through `smtp` (host empty:
/// it cannot send yet).
fn account_settings(smtp: SmtpSettings) -> AccountSettings {
    AccountSettings {
        email: ME.to_owned(),
        host: "127.0.0.1".to_owned(),
        username: USER.to_owned(),
        identity: Identity {
            name: "You Example".to_owned(),
            signature: "You, from Satchel".to_owned(),
        },
        smtp,
        ..AccountSettings::default()
    }
}

/// A window on a store with the account and the sample mail, no sync worker.
fn writer(dir: &Path) -> Window {
    let mut setup = Store::open_in(dir).expect("store");
    setup
        .add_account("me", &account_settings(SmtpSettings::default()))
        .expect("account");
    drop(setup);
    with_sample_mail(window(open_app(dir)))
}

fn with_sample_mail(mut harness: Window) -> Window {
    harness.state_mut().push(UiCommand::ImportSamples);
    harness.run();
    assert!(!harness.state().listed().is_empty(), "samples shown");
    harness
}

fn only_window(harness: &Window) -> &satchel::compose::Draft {
    let open = harness.state().composing();
    assert_eq!(open.len(), 1, "one compose window");
    &open[0].draft
}

/// Clicks the compose window's one-line field with this label and types into it (the list's
/// column headers share some of the names).
fn type_into(harness: &mut Window, label: &str, text: &str) {
    let role = if label.ends_with("assword") {
        Role::PasswordInput
    } else {
        Role::TextInput
    };
    harness.get_by_role_and_label(role, label).click();
    harness.run();
    harness.get_by_role_and_label(role, label).type_text(text);
    harness.run();
}

fn press(harness: &mut Window, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.run_steps(3);
}

fn click(harness: &mut Window, label: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(3);
}

/// The messages of a role folder, as their raw bytes.
fn raw_in(harness: &Window, role: FolderKind) -> Vec<(MessageId, Vec<u8>)> {
    let store = store(harness);
    let Some(folder) = store.role_folder(role).expect("roles") else {
        return Vec::new();
    };
    store
        .folder_message_ids(folder)
        .expect("list")
        .into_iter()
        .map(|id| (id, store.raw_message(id).expect("raw")))
        .collect()
}

fn text(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).into_owned()
}

#[test]
fn ctrl_n_writes_a_message_completed_from_the_store_and_send_puts_it_in_the_outbox() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = writer(dir.path());
    press(&mut harness, Modifiers::COMMAND, Key::N);
    assert!(
        only_window(&harness)
            .body
            .contains("-- \nYou, from Satchel"),
        "a new message starts with the signature"
    );

    type_into(&mut harness, "To", "ada");
    harness.run_steps(2);
    click(&mut harness, "Ada Example <ada@example.org>");
    assert_eq!(only_window(&harness).to, "Ada Example <ada@example.org>, ");
    type_into(&mut harness, "Subject", "Lunch on Friday?");
    harness.get_by_label("Message").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Home);
    harness
        .get_by_label("Message")
        .type_text("Shall we try the new place?");
    harness.run();
    click(&mut harness, "📤 Send");

    assert!(harness.state().composing().is_empty(), "the window closed");
    let queued = store(&harness).outgoing(None).expect("outbox");
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].state, OutgoingState::Queued);
    assert_eq!(queued[0].envelope.recipients, ["ada@example.org"]);
    assert_eq!(queued[0].envelope.from, ME);
    let raw = text(
        &store(&harness)
            .raw_message(queued[0].message_id)
            .expect("raw"),
    );
    assert!(
        raw.contains("From: \"You Example\" <you@example.com>")
            || raw.contains("From: You Example <you@example.com>"),
        "{raw}"
    );
    assert!(raw.contains("Subject: Lunch on Friday?"));
    assert!(raw.contains("Shall we try the new place?"));
    assert!(raw.contains("format=\"flowed\""), "{raw}");
    assert!(
        harness
            .query_by_label_contains("has no outgoing (SMTP) server yet")
            .is_some(),
        "the notice says why it waits"
    );
}

#[test]
fn r_replies_quoting_the_original_and_shift_r_replies_to_all_but_you() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = writer(dir.path());
    let subject = "Moving an old mail archive into Satchel";
    click_row(&mut harness, subject, egui::PointerButton::Primary);
    press(&mut harness, Modifiers::NONE, Key::R);
    let reply = only_window(&harness).clone();
    assert_eq!(reply.to, "Ada Example <ada@example.org>");
    assert_eq!(reply.cc, "");
    assert_eq!(reply.subject, format!("Re: {subject}"));
    assert_eq!(
        reply.in_reply_to.as_deref(),
        Some("09-thread.20260305@example.org")
    );
    assert!(
        reply
            .body
            .contains("Ada Example <ada@example.org> wrote:\n> Hi Ben,"),
        "{}",
        reply.body
    );
    click(&mut harness, "Discard");
    assert!(harness.state().composing().is_empty());
    assert!(
        raw_in(&harness, FolderKind::Drafts).is_empty(),
        "an untouched reply leaves no draft"
    );

    press(&mut harness, Modifiers::SHIFT, Key::R);
    let all = only_window(&harness).clone();
    assert_eq!(all.to, "Ada Example <ada@example.org>");
    assert_eq!(all.cc, "Ben Example <ben@example.com>", "you are left out");
    click(&mut harness, "📤 Send");
    let queued = store(&harness).outgoing(None).expect("outbox");
    assert_eq!(
        queued[0].envelope.recipients,
        ["ada@example.org", "ben@example.com"]
    );
    let raw = text(
        &store(&harness)
            .raw_message(queued[0].message_id)
            .expect("raw"),
    );
    assert!(
        raw.contains("In-Reply-To: <09-thread.20260305@example.org>"),
        "{raw}"
    );
}

#[test]
fn f_forwards_with_the_attachments_and_the_reader_has_the_buttons_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = writer(dir.path());
    click_row(
        &mut harness,
        "Two small attachments",
        egui::PointerButton::Primary,
    );
    press(&mut harness, Modifiers::NONE, Key::F);
    let forward = only_window(&harness).clone();
    assert_eq!(forward.subject, "Fwd: Two small attachments");
    assert_eq!(forward.attachments.len(), 2, "{:?}", forward.attachments);
    type_into(&mut harness, "To", "ben@example.com");
    click(&mut harness, "📤 Send");
    let queued = store(&harness).outgoing(None).expect("outbox");
    let raw = store(&harness)
        .raw_message(queued[0].message_id)
        .expect("raw");
    let parsed = satchel::message::parse(&raw, None);
    let original = store(&harness)
        .raw_message(support::ui::listed_with_subject(
            &harness,
            "Two small attachments",
        ))
        .expect("original");
    for at in 0..2 {
        assert_eq!(
            satchel::message::attachment_bytes(&raw, at),
            satchel::message::attachment_bytes(&original, at),
            "attachment {at} byte-exact"
        );
    }
    assert_eq!(parsed.attachments.len(), 2);

    // The reader's buttons open the same windows.
    click(&mut harness, "↩ Reply all");
    assert_eq!(only_window(&harness).subject, "Re: Two small attachments");
}

#[test]
fn a_draft_is_saved_seconds_after_typing_survives_a_crash_and_opens_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = writer(dir.path());
    press(&mut harness, Modifiers::COMMAND, Key::N);
    type_into(&mut harness, "Subject", "Half-written thoughts");
    type_into(&mut harness, "To", "not an address yet");
    assert!(raw_in(&harness, FolderKind::Drafts).is_empty(), "not yet");
    // Three seconds of egui time (each step is a quarter second).
    harness.run_steps(14);
    let drafts = raw_in(&harness, FolderKind::Drafts);
    assert_eq!(drafts.len(), 1, "saved by itself");
    assert!(text(&drafts[0].1).contains("Half-written thoughts"));
    assert!(harness.query_by_label_contains("Draft saved at").is_some());

    // A crash: the window goes without closing anything.
    drop(harness);
    let mut harness = window(open_app(dir.path()));
    let drafts_folder = store(&harness)
        .role_folder(FolderKind::Drafts)
        .expect("roles")
        .expect("Drafts");
    harness
        .state_mut()
        .push(UiCommand::SelectFolder(drafts_folder));
    harness.run();
    click_row(
        &mut harness,
        "Half-written thoughts",
        egui::PointerButton::Primary,
    );
    assert!(
        harness
            .query_by_label_contains("This is a draft.")
            .is_some()
    );
    press(&mut harness, Modifiers::NONE, Key::Enter);
    let reopened = only_window(&harness).clone();
    assert_eq!(reopened.subject, "Half-written thoughts");
    assert_eq!(reopened.to, "not an address yet", "kept as typed");

    // Send refuses what is not an address, and says so in the window.
    click(&mut harness, "📤 Send");
    assert_eq!(harness.state().composing().len(), 1, "still open");
    assert!(harness.query_by_label_contains("Not sent:").is_some());
    assert!(store(&harness).outgoing(None).expect("outbox").is_empty());

    // Closing saves the change over the earlier save: one draft, the new text.
    harness.get_by_role_and_label(Role::TextInput, "To").click();
    harness.run();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, "To")
        .type_text("ada@example.org");
    harness.run();
    let key = harness.state().composing()[0].key;
    harness.state_mut().push(UiCommand::Compose(
        key,
        satchel::ui::dialogs::compose::ComposeAction::Close,
    ));
    harness.run_steps(3);
    assert!(harness.state().composing().is_empty());
    let drafts = raw_in(&harness, FolderKind::Drafts);
    assert_eq!(drafts.len(), 1, "the new save replaced the old");
    assert!(text(&drafts[0].1).contains("ada@example.org"));
}

/// A file dropped on the app, as the desktop hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|err| err.to_string())
    }
}

#[test]
fn files_dropped_on_the_window_are_attached_byte_exact() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = writer(dir.path());
    press(&mut harness, Modifiers::COMMAND, Key::N);
    let file = dir.path().join("Jahresabschluß.bin");
    let bytes: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    std::fs::write(&file, &bytes).expect("file");
    harness
        .input_mut()
        .dropped_files
        .push(Arc::new(Dropped(file)));
    harness.run_steps(2);
    let draft = only_window(&harness);
    assert_eq!(draft.attachments.len(), 1);
    assert_eq!(draft.attachments[0].name, "Jahresabschluß.bin");
    assert_eq!(draft.attachments[0].bytes, bytes);
    assert!(
        harness
            .query_by_label_contains("Jahresabschluß.bin")
            .is_some()
    );
}

/// A port nothing listens on.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Steps the window until `done` holds, for at most `limit`.
fn wait_for(harness: &mut Window, limit: Duration, mut done: impl FnMut(&Window) -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        harness.run_steps(1);
        if done(harness) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn sent_while_no_server_answers_it_waits_with_why_and_goes_once_one_does() {
    let Some(server) = SmtpServer::start_or_skip("starttls", USER, PASSWORD, Mode::Normal) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let smtp = |port| SmtpSettings {
        host: "127.0.0.1".to_owned(),
        port,
        security: Security::StartTls,
        username: USER.to_owned(),
        pinned_fingerprint: Some(server.fingerprint.clone()),
        ..SmtpSettings::default()
    };
    let mut setup = Store::open_in(dir.path()).expect("store");
    setup
        .add_account("me", &account_settings(smtp(closed_port())))
        .expect("account");
    let store_path = setup.path().to_owned();
    drop(setup);
    let secrets = Secrets::in_file(dir.path().join("passwords.json"));
    secrets
        .set(&satchel::outbox::smtp_secret_key("me"), PASSWORD)
        .expect("password");
    let worker = SyncHandle::spawn(store_path, secrets.clone(), || {});
    let app = SatchelApp::new(
        Store::open_in(dir.path()).expect("store"),
        secrets,
        Some(worker),
        Prefs::default(),
    );
    let mut harness = with_sample_mail(window(app));

    press(&mut harness, Modifiers::COMMAND, Key::N);
    type_into(&mut harness, "To", "ada@example.org");
    type_into(&mut harness, "Subject", "Written on the train");
    click(&mut harness, "📤 Send");
    let tried = wait_for(&mut harness, Duration::from_secs(20), |h| {
        store(h)
            .outgoing(None)
            .expect("outbox")
            .first()
            .is_some_and(|o| o.last_error.is_some())
    });
    assert!(tried, "the send was tried");
    let waiting = store(&harness).outgoing(None).expect("outbox");
    assert_eq!(waiting[0].state, OutgoingState::Queued, "kept, not failed");
    assert!(server.received().is_empty());

    // In the Outbox, the reader says why and offers Send now.
    let outbox = store(&harness)
        .role_folder(FolderKind::Outbox)
        .expect("roles")
        .expect("Outbox");
    harness.state_mut().push(UiCommand::SelectFolder(outbox));
    harness.run();
    click_row(
        &mut harness,
        "Written on the train",
        egui::PointerButton::Primary,
    );
    assert!(harness.query_by_label_contains("Last try:").is_some());

    // The network is back: the server can be reached where the account says.
    let mut edit = Store::open_in(dir.path()).expect("store");
    edit.update_account("me", &account_settings(smtp(server.port)))
        .expect("edit");
    drop(edit);
    click(&mut harness, "Send now");
    let sent = wait_for(&mut harness, Duration::from_secs(20), |h| {
        store(h).outgoing(None).expect("outbox").is_empty()
    });
    assert!(sent, "sent once the server answered");
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(text(&received[0].raw).contains("Subject: Written on the train"));
    assert_eq!(
        raw_in(&harness, FolderKind::Sent).len(),
        1,
        "the sent copy is in Sent"
    );
    assert!(
        wait_for(&mut harness, Duration::from_secs(5), |h| h
            .query_by_label_contains("1 message sent.")
            .is_some()),
        "the app says so"
    );
}

#[test]
fn test_connection_checks_the_outgoing_server_and_trusting_its_certificate_passes_it() {
    let Some(server) = SmtpServer::start_or_skip("starttls", USER, PASSWORD, Mode::Normal) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let store_path = Store::open_in(dir.path()).expect("store").path().to_owned();
    let secrets = Secrets::in_file(dir.path().join("passwords.json"));
    let worker = SyncHandle::spawn(store_path, secrets.clone(), || {});
    let app = SatchelApp::new(
        Store::open_in(dir.path()).expect("store"),
        secrets,
        Some(worker),
        Prefs::default(),
    );
    let mut harness = window(app);
    harness.state_mut().push(UiCommand::AddAccount);
    harness.run_steps(3);
    let pop3_port = closed_port().to_string();
    let smtp_port = server.port.to_string();
    for (label, value) in [
        ("Email address", ME),
        ("Server", "127.0.0.1"),
        ("Password", "pop3 secret"),
        ("Outgoing password", PASSWORD),
    ] {
        type_into(&mut harness, label, value);
    }
    for (label, value) in [
        ("Username", USER),
        ("Port", pop3_port.as_str()),
        ("Outgoing server", "127.0.0.1"),
        ("Outgoing port", smtp_port.as_str()),
    ] {
        harness
            .get_by_role_and_label(Role::TextInput, label)
            .click();
        harness.run();
        harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
        harness
            .get_by_role_and_label(Role::TextInput, label)
            .type_text(value);
        harness.run();
    }
    harness.get_by_label("Outgoing security").click();
    harness.run();
    harness.get_by_label("STARTTLS (port 587)").click();
    harness.run();
    harness.get_by_label("Test connection").scroll_to_me();
    harness.run();
    harness.get_by_label("Test connection").click();
    harness.run_steps(3);

    // Self-signed: the outgoing server's certificate is offered for trust.
    let asked = wait_for(&mut harness, Duration::from_secs(30), |h| {
        h.state().certificate_prompt().is_some()
    });
    assert!(asked, "the certificate prompt opened");
    let prompt = harness.state().certificate_prompt().expect("prompt");
    assert_eq!(
        prompt.target,
        satchel::ui::dialogs::certificate::CertificateFor::SmtpDraft
    );
    assert_eq!(
        prompt.certificate.fingerprint.to_string(),
        server.fingerprint
    );
    harness.run_steps(2);
    harness.get_by_label("Trust").click();
    let passed = wait_for(&mut harness, Duration::from_secs(30), |h| {
        h.query_by_label_contains("✔ Outgoing: logged in to 127.0.0.1 over an encrypted connection")
            .is_some()
    });
    assert!(
        passed,
        "the outgoing test passed once trusted: {:?}",
        harness
            .query_by_label_contains("Outgoing:")
            .map(|node| format!("{node:?}").chars().take(600).collect::<String>())
    );
    harness.get_by_label(&format!(
        "Trusted outgoing certificate: {}",
        server.fingerprint
    ));
}
