//! The threaded list and the reader's conversation, driven through `egui_kittest` on the
//! conversations of `tests/data/threads`.

mod support;

use std::path::Path;

use egui::{Key, Modifiers, PointerButton};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use satchel::message;
use satchel::model::{Flags, MessageId};
use satchel::secrets::Secrets;
use satchel::store::{InsertOutcome, NewMessage, Store, raw_sha256};
use satchel::ui::app::SatchelApp;
use satchel::ui::prefs::Prefs;

type Window = Harness<'static, SatchelApp>;

/// The seven fixtures in a Team folder: "Plans for May" (four messages), an invoice, and two
/// answers to a mail that is not there ("Old news"). Returns each file's id by its number.
fn team_store(dir: &Path) -> Vec<MessageId> {
    let mut store = Store::open_in(dir).expect("open store");
    let folder = store.ensure_folder("Team").expect("folder");
    let mut names: Vec<_> = std::fs::read_dir(support::cli::fixture("threads"))
        .expect("fixtures")
        .map(|entry| entry.expect("entry").path())
        .collect();
    names.sort();
    names
        .iter()
        .map(|path| {
            let raw = std::fs::read(path).expect("read");
            let parsed = message::parse(&raw, None);
            let sha = raw_sha256(&raw);
            let outcome = store
                .insert_messages(&[NewMessage {
                    raw: &raw,
                    raw_sha256: &sha,
                    parsed: &parsed,
                    folder_id: folder,
                    account_id: None,
                    flags: Flags::default(),
                    received_at: 1_780_000_000,
                    headers_only: false,
                    stored_raw: None,
                }])
                .expect("insert");
            match outcome[0] {
                InsertOutcome::Stored(id) => id,
                InsertOutcome::Duplicate(_) => panic!("fixtures are distinct"),
            }
        })
        .collect()
}

/// The app on the Team folder, its list threaded or not.
fn window(dir: &Path, threaded: bool) -> Window {
    let store = Store::open_in(dir).expect("open store");
    let secrets = Secrets::in_file(dir.join("passwords.json"));
    let prefs = Prefs {
        selected_folder: Some("Team".to_owned()),
        threaded,
        ..Prefs::default()
    };
    let app = SatchelApp::new(store, secrets, None, prefs);
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .build_ui_state(|ui, app: &mut SatchelApp| app.show(ui), app);
    harness.run();
    harness
}

/// Clicks a list row on its subject text.
fn click_row(harness: &mut Window, subject: &str) {
    let pos = harness
        .query_all_by_label(subject)
        .next()
        .expect("row")
        .rect()
        .center();
    harness.hover_at(pos);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    harness.run();
}

fn reading(harness: &Window) -> Option<MessageId> {
    harness.state().reading().map(|open| open.summary.id)
}

#[test]
fn a_folder_lists_conversations_newest_first_with_counts_and_opens_them_in_reading_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ids = team_store(dir.path());
    let [plans, bob, ada, cy, invoice, late1, late2] = ids[..] else {
        panic!("seven fixtures");
    };
    let mut harness = window(dir.path(), true);
    // The newest message decides a conversation's place; its first message is its row.
    assert_eq!(harness.state().listed(), [late1, invoice, plans]);
    harness.get_by_label_contains("4 messages in this conversation, 4 unread, closed");
    harness.get_by_label_contains("2 messages in this conversation, 2 unread, closed");

    click_row(&mut harness, "Plans for May");
    assert_eq!(reading(&harness), Some(plans));
    harness.key_press(Key::ArrowRight);
    harness.run();
    assert_eq!(
        harness.state().listed(),
        [late1, invoice, plans, bob, ada, cy],
        "an open conversation lists its answers under it, in reading order"
    );
    harness.get_by_label_contains("4 messages in this conversation, 3 unread, open");

    // The down arrow walks into the conversation.
    harness.key_press(Key::ArrowDown);
    harness.run();
    assert_eq!(reading(&harness), Some(bob));
    harness.key_press(Key::ArrowLeft);
    harness.run();
    assert_eq!(harness.state().listed(), [late1, invoice, plans]);
    assert_eq!(
        harness.state().selected(),
        [plans, bob, ada, cy],
        "the closed row acts for all"
    );

    // The arrow on a row opens it too; the other conversation stays closed.
    assert_eq!(harness.query_all_by_label("⏵").count(), 2);
    harness
        .query_all_by_label("⏵")
        .next()
        .expect("an arrow")
        .click();
    harness.run();
    assert_eq!(harness.state().listed(), [late1, late2, invoice, plans]);
    harness.get_by_label("⏷");
}

#[test]
fn deleting_a_closed_conversation_moves_all_of_it_and_the_flat_list_is_one_setting_away() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ids = team_store(dir.path());
    let mut harness = window(dir.path(), true);
    click_row(&mut harness, "Plans for May");
    harness.key_press(Key::Delete);
    harness.run();
    let trash = harness.state().store().trash_folder().expect("trash");
    for id in &ids[..4] {
        let folder = harness
            .state()
            .store()
            .message(*id)
            .expect("message")
            .folder_id;
        assert_eq!(folder, trash, "message {id} went with its conversation");
    }
    assert_eq!(harness.state().listed(), [ids[5], ids[4]]);

    harness.key_press_modifiers(Modifiers::COMMAND, Key::Comma);
    harness.run();
    harness
        .get_by_label("Group messages into conversations")
        .scroll_to_me();
    harness.run();
    harness
        .get_by_label("Group messages into conversations")
        .click();
    harness.run();
    assert!(!harness.state().prefs().threaded);
    assert_eq!(
        harness.state().listed(),
        [ids[6], ids[5], ids[4]],
        "one row per message"
    );
}

#[test]
fn the_reader_shows_the_conversation_and_opens_another_of_its_messages() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ids = team_store(dir.path());
    let mut harness = window(dir.path(), false);
    assert_eq!(harness.state().listed().len(), 7, "flat: every message");
    click_row(&mut harness, "Plans for May");
    assert_eq!(reading(&harness), Some(ids[0]));
    harness.get_by_label("Conversation: 4 messages");
    // The other messages are one line each: sender, date, first words; a click opens one.
    harness.get_by_label_contains("Cy Young  ·").click();
    harness.run();
    assert_eq!(reading(&harness), Some(ids[3]));
    harness.get_by_label_contains("▶ Cy Young  ·");
    harness.get_by_label("Conversation: 4 messages");

    click_row(&mut harness, "Invoice 2026-05");
    assert!(
        harness.query_by_label_contains("Conversation:").is_none(),
        "a message alone has no conversation block"
    );
}

#[test]
fn a_selected_message_that_gains_an_answer_stays_selected_alone_in_its_opened_conversation() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ids = team_store(dir.path());
    let (late1, late2) = (ids[5], ids[6]);
    // Start with the answer missing: it arrives while late1 is selected.
    let raw = {
        let mut store = Store::open_in(dir.path()).expect("store");
        let raw = store.raw_message(late2).expect("raw");
        store.delete_permanently(&[late2]).expect("delete");
        raw
    };
    let mut harness = window(dir.path(), true);
    click_row(&mut harness, "Re: Old news");
    assert_eq!(reading(&harness), Some(late1));

    let parsed = message::parse(&raw, None);
    let sha = raw_sha256(&raw);
    let folder = harness
        .state()
        .store()
        .message(late1)
        .expect("late1")
        .folder_id;
    let mut writer = harness.state().store().reopen().expect("second connection");
    let outcome = writer
        .insert_messages(&[NewMessage {
            raw: &raw,
            raw_sha256: &sha,
            parsed: &parsed,
            folder_id: folder,
            account_id: None,
            flags: Flags::default(),
            received_at: 1_780_000_100,
            headers_only: false,
            stored_raw: None,
        }])
        .expect("insert");
    let InsertOutcome::Stored(answer) = outcome[0] else {
        panic!("{outcome:?}")
    };
    harness
        .state_mut()
        .handle_sync_event(satchel::sync::worker::SyncEvent::MessagesStored(
            satchel::model::AccountId(1),
            vec![answer],
        ));
    harness.run();
    let listed = harness.state().listed();
    assert!(
        listed.contains(&answer),
        "the conversation opened: {listed:?}"
    );
    assert_eq!(
        harness.state().selected(),
        [late1],
        "a Delete takes only what was selected"
    );
    harness.get_by_label("Conversation: 2 messages");
}
