//! The desktop app driven through `egui_kittest`: what is drawn, and what the store holds after
//! clicks and key presses. Sync events are fed in by hand (no worker).

mod support;

use std::path::Path;

use egui::accesskit::Role;
use egui::{Key, Modifiers, PointerButton};
use egui_kittest::kittest::Queryable;
use satchel::message;
use satchel::model::{AccountId, Flags, MessageId};
use satchel::pop3::Fingerprint;
use satchel::secrets::Secrets;
use satchel::store::{AccountSettings, InsertOutcome, NewMessage, Store, raw_sha256};
use satchel::sync::explain::{FailureKind, SyncFailure};
use satchel::sync::worker::SyncEvent;
use support::ui::{
    SAMPLE_ROWS, Window, click_row, folder_of, listed_with_subject, open_app, reading, row_menu,
    samples_folder, scroll_and_click, self_signed_certificate, store, subject_of, type_into,
    window, with_samples,
};

const FINGERPRINT: &str = "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:\
                           AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99";

#[test]
fn first_run_welcomes_and_sample_mail_fills_a_samples_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(open_app(dir.path()));
    harness.get_by_label("Welcome to Satchel");
    harness.get_by_role_and_label(Role::Button, "Add account");
    // One in the top bar, one in the welcome view.
    assert_eq!(harness.query_all_by_label("Import mail…").count(), 2);

    harness.get_by_label("Explore sample mail").click();
    harness.run();

    assert_eq!(store(&harness).message_count().expect("count"), 12);
    let samples = samples_folder(&harness);
    assert_eq!(harness.state().selected_folder(), Some(samples));
    assert_eq!(harness.state().listed().len(), SAMPLE_ROWS);
    assert!(harness.query_by_label("Explore sample mail").is_none());
    harness.get_by_label("Keyboard shortcuts");
    harness.get_by_label("Two small attachments");
}

/// The new-account form after Save was pressed with every field empty.
fn empty_form_saved(dir: &Path) -> Window {
    let mut harness = window(open_app(dir));
    harness.get_by_label("Add account").click();
    harness.run();
    scroll_and_click(&mut harness, "Save");
    harness
}

#[test]
fn saving_an_empty_account_form_shows_errors_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let harness = empty_form_saved(dir.path());
    harness.get_by_label("Enter the POP3 server, e.g. pop.example.org.");
    assert!(store(&harness).accounts().expect("accounts").is_empty());
    assert!(harness.state().settings_open());
}

#[test]
fn each_inline_error_is_shown_once_under_its_own_field() {
    let dir = tempfile::tempdir().expect("temp dir");
    let harness = empty_form_saved(dir.path());
    let counts: Vec<(&str, usize)> = [
        "Give the account a name or an email address.",
        "Enter the POP3 server, e.g. pop.example.org.",
        "Enter the username (often the email address).",
    ]
    .into_iter()
    .map(|error| (error, harness.query_all_by_label(error).count()))
    .collect();
    assert!(counts.iter().all(|(_, count)| *count == 1), "{counts:?}");
}

#[test]
fn an_email_address_fills_the_preset_and_save_stores_the_account() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = window(open_app(dir.path()));
    harness.get_by_label("Add account").click();
    harness.run();

    type_into(&mut harness, "Email address", "user@gmail.com");
    assert_eq!(
        harness.get_by_label("Server").value().as_deref(),
        Some("pop.gmail.com")
    );
    assert_eq!(
        harness.get_by_label("Username").value().as_deref(),
        Some("user@gmail.com")
    );
    type_into(&mut harness, "Password", "app-password");
    scroll_and_click(&mut harness, "Save");

    let accounts = store(&harness).accounts().expect("accounts");
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].name, "user@gmail.com");
    assert_eq!(accounts[0].settings.host, "pop.gmail.com");
    assert_eq!(accounts[0].settings.username, "user@gmail.com");
    assert!(harness.query_by_label("Save").is_none(), "the form closed");
    let secrets = Secrets::in_file(dir.path().join("passwords.json"));
    assert_eq!(
        secrets.get("user@gmail.com").expect("secrets").as_deref(),
        Some("app-password")
    );
}

#[test]
fn typing_a_search_narrows_the_list_and_escape_clears_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    let mut expected: Vec<MessageId> = store(&harness)
        .search("archive", 100)
        .expect("search")
        .iter()
        .map(|hit| hit.id)
        .collect();
    expected.sort();
    assert!((1..12).contains(&expected.len()), "{expected:?}");

    harness.key_press(Key::Slash);
    harness.run();
    assert!(harness.get_by_label("🔍").is_focused(), "/ focuses search");
    harness.get_by_label("🔍").type_text("archive");
    harness.run();
    let mut listed = harness.state().listed().to_vec();
    listed.sort();
    assert_eq!(listed, expected);

    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(harness.state().listed().len(), SAMPLE_ROWS);
    assert_eq!(harness.get_by_label("🔍").value().as_deref(), Some(""));
}

#[test]
fn clicking_a_row_shows_its_body_and_marks_it_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    let id = listed_with_subject(&harness, "Keyboard shortcuts");
    assert!(!store(&harness).message(id).expect("msg").flags.seen);

    harness.get_by_label("Keyboard shortcuts").click();
    harness.run();

    assert_eq!(reading(&harness), "Keyboard shortcuts");
    harness.get_by_label_contains("Satchel can be used entirely from the keyboard");
    assert!(store(&harness).message(id).expect("msg").flags.seen);
}

#[test]
fn a_move_from_the_context_menu_is_undone_by_ctrl_z() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    let samples = samples_folder(&harness);
    harness.get_by_label("➕ New folder…").click();
    harness.run();
    harness
        .get_by_label("New folder (use / to nest):")
        .type_text("Projects");
    harness.run();
    harness.get_by_label("Create").click();
    harness.run();
    let projects = store(&harness).resolve_folder("Projects");
    let projects = projects.expect("folder created from the tree");

    let id = listed_with_subject(&harness, "Two small attachments");
    row_menu(&mut harness, "Two small attachments", "Move to");
    harness.get_by_label("Projects").click();
    harness.run();
    assert_eq!(folder_of(&harness, id), projects);
    assert!(!harness.state().listed().contains(&id));

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run();
    assert_eq!(folder_of(&harness, id), samples);
    assert!(harness.state().listed().contains(&id));
}

#[test]
fn dragging_a_row_onto_a_folder_moves_it_there() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    let trash = store(&harness).trash_folder().expect("trash");
    let id = listed_with_subject(&harness, "Keyboard shortcuts");
    let from = harness.get_by_label("Keyboard shortcuts").rect().center();
    let to = harness.get_by_label("🗑 Trash").rect().center();
    harness.hover_at(from);
    let press = |harness: &mut Window, pos, pressed| {
        harness.event(egui::Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
        harness.run();
    };
    press(&mut harness, from, true);
    for step in 1..=10_u8 {
        harness.hover_at(from + (to - from) * (f32::from(step) / 10.0));
        harness.run();
    }
    press(&mut harness, to, false);
    assert_eq!(folder_of(&harness, id), trash);
    assert!(!harness.state().listed().contains(&id));
}

#[test]
fn m_moves_the_selection_to_a_folder_picked_from_a_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    let trash = store(&harness).trash_folder().expect("trash");
    let id = listed_with_subject(&harness, "Keyboard shortcuts");
    click_row(&mut harness, "Keyboard shortcuts", PointerButton::Primary);

    harness.key_press(Key::M);
    harness.run();
    harness.get_by_label("Move 1 message(s) to");
    harness.key_press(Key::Escape);
    harness.run();
    assert!(
        harness.query_by_label("Move 1 message(s) to").is_none(),
        "Escape closes it"
    );
    assert_ne!(folder_of(&harness, id), trash);

    harness.key_press(Key::M);
    harness.run();
    harness.get_by_label("Trash").click();
    harness.run();
    assert_eq!(folder_of(&harness, id), trash);
    assert!(!harness.state().listed().contains(&id));
}

#[test]
fn delete_moves_to_trash_and_restore_brings_it_back() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    let samples = samples_folder(&harness);
    let trash = store(&harness).trash_folder().expect("trash");
    let id = listed_with_subject(&harness, "Keyboard shortcuts");
    click_row(&mut harness, "Keyboard shortcuts", PointerButton::Primary);

    harness.key_press(Key::Delete);
    harness.run();
    assert_eq!(folder_of(&harness, id), trash);
    assert_eq!(harness.state().listed().len(), SAMPLE_ROWS - 1);

    harness.get_by_label("🗑 Trash").click();
    harness.run();
    assert_eq!(harness.state().listed(), [id]);
    row_menu(&mut harness, "Keyboard shortcuts", "Restore from Trash");
    assert_eq!(folder_of(&harness, id), samples);
    assert!(harness.state().listed().is_empty());
}

#[test]
fn new_mail_from_a_sync_appears_and_the_selection_stays() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    let samples = samples_folder(&harness);
    let selected = listed_with_subject(&harness, "Keyboard shortcuts");
    click_row(&mut harness, "Keyboard shortcuts", PointerButton::Primary);

    let raw = b"From: Ann <ann@example.org>\r\nTo: you@example.com\r\n\
                Subject: Fresh from the server\r\nDate: Sun, 8 Mar 2026 09:00:00 +0000\r\n\
                Message-ID: <fresh@example.org>\r\n\r\nJust arrived.\r\n";
    let parsed = message::parse(raw, None);
    let sha = raw_sha256(raw);
    let mut writer = store(&harness).reopen().expect("second connection");
    let outcome = writer
        .insert_messages(&[NewMessage {
            raw,
            raw_sha256: &sha,
            parsed: &parsed,
            folder_id: samples,
            account_id: None,
            flags: Flags::default(),
            received_at: 1_772_960_400,
            headers_only: false,
            stored_raw: None,
        }])
        .expect("insert");
    let InsertOutcome::Stored(new) = outcome[0] else {
        panic!("not stored: {outcome:?}");
    };
    harness
        .state_mut()
        .handle_sync_event(SyncEvent::MessagesStored(AccountId(1), vec![new]));
    harness.run();

    assert_eq!(harness.state().listed().len(), SAMPLE_ROWS + 1);
    assert_eq!(harness.state().listed()[0], new, "newest first");
    harness.get_by_label("Fresh from the server");
    assert_eq!(reading(&harness), "Keyboard shortcuts");
    // No accessor tells which rows are selected: Delete acts on the selection.
    harness.key_press(Key::Delete);
    harness.run();
    let trash = store(&harness).trash_folder().expect("trash");
    assert_eq!(folder_of(&harness, selected), trash);
    assert_eq!(folder_of(&harness, new), samples);
}

#[test]
fn trusting_a_certificate_pins_its_fingerprint_on_the_account() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut setup = Store::open_in(dir.path()).expect("open store");
    let settings = AccountSettings {
        host: "mail.example.org".to_owned(),
        username: "me".to_owned(),
        ..AccountSettings::default()
    };
    let account = setup.add_account("work", &settings).expect("account").id;
    drop(setup);
    let mut harness = window(open_app(dir.path()));
    let fingerprint: Fingerprint = FINGERPRINT.parse().expect("fingerprint");
    let certificate = self_signed_certificate(fingerprint);
    harness.state_mut().handle_sync_event(SyncEvent::Failed {
        account,
        failure: SyncFailure {
            kind: FailureKind::CertificateNotTrusted(Box::new(certificate)),
            sentence: "The server's certificate is not trusted.".to_owned(),
            detail: "cannot trust the certificate of mail.example.org".to_owned(),
        },
    });
    harness.run();

    harness.get_by_label("Certificate not trusted");
    harness.get_by_label(&fingerprint.to_string());
    harness.get_by_label("Trust").click();
    // The sync is tried again at once: the banner's spinner keeps repainting.
    harness.run_steps(3);
    harness.get_by_label("Retrying…");

    let stored = store(&harness).accounts().expect("accounts");
    assert_eq!(
        stored[0].settings.pinned_fingerprint.as_deref(),
        Some(fingerprint.to_string().as_str())
    );
    assert!(harness.state().certificate_prompt().is_none());
}

#[test]
fn j_and_down_step_through_the_list_k_goes_back_and_enter_opens_a_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    let listed = harness.state().listed().to_vec();

    harness.key_press(Key::J);
    harness.run();
    let first = subject_of(&harness, listed[0]);
    assert_eq!(reading(&harness), first);
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert_eq!(reading(&harness), subject_of(&harness, listed[1]));
    harness.key_press(Key::K);
    harness.run();
    assert_eq!(reading(&harness), first);

    let buttons = harness.query_all_by_label("View source").count();
    let mentions = harness.query_all_by_label(&first).count();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        harness.query_all_by_label("View source").count(),
        buttons + 1
    );
    // The window's title bar and its heading name the message too.
    assert_eq!(harness.query_all_by_label(&first).count(), mentions + 2);
}

#[test]
fn switching_folders_clears_a_reader_showing_the_old_folders_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    click_row(&mut harness, "Keyboard shortcuts", PointerButton::Primary);
    assert_eq!(reading(&harness), "Keyboard shortcuts");

    harness.get_by_label_contains("📁 Samples").click();
    harness.run();
    assert_eq!(reading(&harness), "Keyboard shortcuts", "same folder: kept");

    harness.get_by_label("🗑 Trash").click();
    harness.run();
    assert_eq!(reading(&harness), "", "another folder: cleared");
    harness.get_by_label("Select a message to read it.");
    assert!(
        harness
            .query_by_label_contains("Satchel can be used entirely from the keyboard")
            .is_none()
    );
}
