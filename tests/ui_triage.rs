//! Triage under `egui_kittest`: moving through the list with keys, the status bar's totals, and
//! the list's columns chosen from the header's menu.

mod support;

use egui::accesskit::Role;
use egui::{Key, Modifiers, PointerButton};
use egui_kittest::kittest::Queryable;
use satchel::ui::command::UiCommand;
use satchel::ui::panels::list::ListColumn;
use satchel::ui::prefs::Prefs;
use support::ui::{
    SAMPLE_ROWS, Window, click_row, folder_of, open_app_with, reading, samples_folder, store,
    subject_of, window, with_samples,
};

#[test]
fn delete_shows_the_next_message_so_delete_twice_deletes_two() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    let trash = store(&harness).trash_folder().expect("trash");
    let listed = harness.state().listed().to_vec();
    let at = listed
        .iter()
        .position(|id| subject_of(&harness, *id) == "How to search your mail")
        .expect("listed");
    click_row(
        &mut harness,
        "How to search your mail",
        PointerButton::Primary,
    );
    harness.key_press(Key::Delete);
    harness.run();
    assert_eq!(folder_of(&harness, listed[at]), trash);
    assert_eq!(
        reading(&harness),
        subject_of(&harness, listed[at + 1]),
        "the message below is selected and shown"
    );
    harness.key_press(Key::Delete);
    harness.run();
    assert_eq!(folder_of(&harness, listed[at + 1]), trash);
    assert_eq!(harness.state().listed().len(), SAMPLE_ROWS - 2);
    // j goes on from there, not from the top.
    harness.key_press(Key::K);
    harness.run();
    assert_eq!(reading(&harness), subject_of(&harness, listed[at - 1]));
}

#[test]
fn home_end_page_keys_ctrl_a_and_escape_closes_a_message_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    let listed = harness.state().listed().to_vec();
    harness.key_press(Key::End);
    harness.run();
    assert_eq!(
        reading(&harness),
        subject_of(&harness, *listed.last().expect("rows"))
    );
    harness.key_press(Key::Home);
    harness.run();
    assert_eq!(reading(&harness), subject_of(&harness, listed[0]));
    harness.key_press(Key::PageDown);
    harness.run();
    assert_eq!(
        reading(&harness),
        subject_of(&harness, *listed.last().expect("rows")),
        "eleven rows fit on one page: the last"
    );

    let buttons = harness.query_all_by_label("View source").count();
    harness.key_press(Key::Enter);
    harness.run();
    assert_eq!(
        harness.query_all_by_label("View source").count(),
        buttons + 1
    );
    harness.key_press(Key::Escape);
    harness.run();
    assert_eq!(
        harness.query_all_by_label("View source").count(),
        buttons,
        "Escape closed the window"
    );

    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    assert_eq!(
        harness.state().selected().len(),
        12,
        "every message, the conversation's too"
    );
}

#[test]
fn the_status_bar_counts_the_folder_the_search_and_the_selection() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    harness.get_by_label("12 messages, 12 unread");

    click_row(&mut harness, "Keyboard shortcuts", PointerButton::Primary);
    // Reading one counts it read.
    harness.get_by_label("12 messages, 11 unread");

    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.run();
    harness.get_by_label("12 selected");

    let found = store(&harness).search("archive", 100).expect("search");
    let unread = found.iter().filter(|hit| !hit.flags.seen).count();
    assert!(found.len() > 1 && unread > 0, "{} found", found.len());
    harness.get_by_label("🔍").click();
    harness.run();
    harness.get_by_label("🔍").type_text("archive");
    harness.run();
    harness.get_by_label(&format!("{} results, {unread} unread", found.len()));
}

/// Right-clicks the widget labelled `label` (a header cell or its sort button).
fn right_click(harness: &mut Window, label: &str) {
    harness.get_by_label(label).click_secondary();
    harness.run();
}

/// The left edge of the header cell labelled `label`.
fn left_of(harness: &Window, label: &str) -> f32 {
    harness.get_by_label(label).rect().min.x
}

#[test]
fn the_header_menu_shows_hides_and_moves_columns_and_they_are_kept() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    assert!(
        harness.query_by_label("Size").is_none(),
        "Size starts hidden"
    );
    assert!(
        left_of(&harness, "Subject") < left_of(&harness, "From"),
        "Subject comes first and takes the room"
    );

    right_click(&mut harness, "Subject");
    // The menu stays open while boxes are ticked.
    harness
        .get_by_role_and_label(Role::CheckBox, "Size")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(Role::CheckBox, "From")
        .click();
    harness.run();
    assert!(harness.state().prefs().columns.is_shown(ListColumn::Size));
    harness.key_press(Key::Escape);
    harness.run();
    assert!(
        harness.query_by_label("From").is_none(),
        "Escape closed the menu and From is off"
    );
    harness.get_by_label("Size");

    right_click(&mut harness, "Date ⏷");
    harness.get_by_label("Move Date right").click();
    harness.run();
    assert!(left_of(&harness, "Size") < left_of(&harness, "Date ⏷"));

    // The arrangement is a preference: a new window with the saved preferences shows it.
    let prefs: Prefs = harness.state().prefs().clone();
    drop(harness);
    let mut harness = window(open_app_with(dir.path(), prefs));
    assert!(harness.query_by_label("From").is_none());
    assert!(left_of(&harness, "Size") < left_of(&harness, "Date ⏷"));

    right_click(&mut harness, "Subject");
    harness.get_by_label("Reset columns").click();
    harness.run();
    assert!(harness.query_by_label("Size").is_none());
    assert!(left_of(&harness, "Subject") < left_of(&harness, "From"));
}

#[test]
fn search_results_add_the_folder_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    assert!(harness.query_by_label("Folder").is_none());
    harness.get_by_label("🔍").click();
    harness.run();
    harness.get_by_label("🔍").type_text("archive");
    harness.run();
    harness.get_by_label("Folder");
}

/// Right-clicks a folder in the tree and picks `item` from its menu.
fn folder_menu(harness: &mut Window, folder: &str, item: &str) {
    right_click(harness, folder);
    harness.get_by_label(item).click();
    harness.run();
}

/// Types `text` into the focused field and presses Enter.
fn type_and_enter(harness: &mut Window, text: &str) {
    harness.event(egui::Event::Text(text.to_owned()));
    harness.run();
    harness.key_press(Key::Enter);
    harness.run();
}

#[test]
fn folders_are_created_with_enter_nested_renamed_marked_read_and_deleted_into_trash() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    harness.get_by_label("➕ New folder…").click();
    harness.run();
    type_and_enter(&mut harness, "Work");
    assert!(
        store(&harness).resolve_folder("Work").is_ok(),
        "Enter creates"
    );

    folder_menu(&mut harness, "📁 Work", "New subfolder…");
    type_and_enter(&mut harness, "Projects");
    let projects = store(&harness)
        .resolve_folder("Work/Projects")
        .expect("the subfolder");

    folder_menu(&mut harness, "📁 Work", "Rename…");
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    type_and_enter(&mut harness, "Jobs");
    assert_eq!(
        store(&harness).resolve_folder("Jobs/Projects").ok(),
        Some(projects),
        "renamed with its subfolder"
    );

    let samples = samples_folder(&harness);
    let ids = store(&harness).folder_message_ids(samples).expect("ids");
    folder_menu(&mut harness, "📁 Samples  (12)", "Mark all read");
    harness.get_by_label("12 messages");
    assert!(
        ids.iter()
            .all(|id| store(&harness).message(*id).expect("msg").flags.seen)
    );

    harness
        .state_mut()
        .push(UiCommand::Move(ids[..2].to_vec(), projects));
    harness.state_mut().push(UiCommand::SelectFolder(projects));
    harness.run();
    folder_menu(&mut harness, "📁 Jobs", "Delete folder…");
    harness.get_by_label("Delete the folder “Jobs” and 1 subfolder? Its 2 messages move to Trash.");
    harness.get_by_label("Delete folder").click();
    harness.run();
    assert!(store(&harness).resolve_folder("Jobs").is_err());
    let trash = store(&harness).trash_folder().expect("trash");
    assert_eq!(folder_of(&harness, ids[0]), trash, "the mail is in Trash");
    assert_eq!(harness.state().selected_folder(), Some(trash));
}

#[test]
fn the_reader_below_the_list_leaves_the_list_half_the_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    drop(with_samples(dir.path()));
    let prefs = Prefs {
        reader_below: true,
        ..Prefs::default()
    };
    let mut harness = window(open_app_with(dir.path(), prefs));
    click_row(&mut harness, "Keyboard shortcuts", PointerButton::Primary);
    let body = harness
        .get_by_label_contains("Satchel can be used entirely from the keyboard")
        .rect();
    // The row in the list and the reader's subject line.
    let tops: Vec<f32> = harness
        .query_all_by_label("Keyboard shortcuts")
        .map(|node| node.rect().top())
        .collect();
    let row = tops.iter().copied().fold(f32::INFINITY, f32::min);
    assert!(row < body.top(), "the list sits above the reader: {tops:?}");
    // 800 points tall: the reader starts near the middle, its body below the headers.
    assert!(
        (300.0..600.0).contains(&body.top()),
        "reader starts at {}",
        body.top()
    );
    assert!(
        harness.state().listed().len() == SAMPLE_ROWS,
        "every row is still listed"
    );
}

#[test]
fn the_reader_marks_the_words_a_search_matched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = with_samples(dir.path());
    harness
        .state_mut()
        .push(UiCommand::Search("gravel ".to_owned()));
    harness.run();
    assert_eq!(harness.state().listed().len(), 1, "one sample says gravel");
    harness.get_by_label("1 result, 1 unread");
    let found = harness.state().listed()[0];
    harness.state_mut().push(UiCommand::ShowMessage(found));
    harness.run();
    assert_eq!(reading(&harness), "A long read: why keep mail local");
    // Opening the result read it, and the status bar says so.
    harness.get_by_label("1 result");
    assert!(harness.query_by_label("1 result, 1 unread").is_none());
    // The matched word is a run of its own (drawn on a marker colour), cut out of its sentence.
    harness.get_by_label("gravel");
    assert!(
        harness
            .query_by_label_contains("in a cabin at the end of a ")
            .is_some()
    );

    harness.state_mut().push(UiCommand::ClearSearch);
    harness.run();
    harness.state_mut().push(UiCommand::ShowMessage(found));
    harness.run();
    assert!(
        harness.query_by_label("gravel").is_none(),
        "outside search nothing is marked"
    );
}
