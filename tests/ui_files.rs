//! Files and links under `egui_kittest`: a link or attachment that does not open says why in a
//! plain sentence, and Save as… / Import mail… work with the built-in file dialog.

mod support;

use std::time::{Duration, Instant};

use egui_kittest::kittest::Queryable;
use satchel::ui::command::UiCommand;
use satchel::ui::helpers::opener::Opener;
use support::ui::{Window, open_app, window};

/// Redraws until a label containing `text` shows (a background thread tells it), for at most
/// five seconds.
fn until_shown(harness: &mut Window, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while harness.query_by_label_contains(text).is_none() {
        assert!(Instant::now() < deadline, "“{text}” never showed");
        std::thread::sleep(Duration::from_millis(20));
        harness.run();
    }
}

#[test]
fn a_link_that_no_program_opens_says_so_in_a_sentence() {
    let dir = tempfile::tempdir().expect("temp dir");
    // `false` stands for a launcher that finds no program for web links.
    let app = open_app(dir.path()).with_opener(Opener::Program("false".into()));
    let mut harness = window(app);
    harness
        .state_mut()
        .push(UiCommand::OpenLink("https://example.org/".to_owned()));
    harness.run();
    until_shown(&mut harness, "Cannot open the link");
    harness.get_by_label(
        "Cannot open the link: no program on this computer is set up to open it. Copy the link \
         from its menu and paste it into your browser.",
    );
    assert!(harness.query_by_label_contains("ExitStatus").is_none());
}

#[test]
fn without_any_launcher_the_sentence_names_what_is_missing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("no-such-launcher");
    let app = open_app(dir.path()).with_opener(Opener::Program(missing));
    let mut harness = window(app);
    harness
        .state_mut()
        .push(UiCommand::OpenLink("https://example.org/".to_owned()));
    harness.run();
    until_shown(&mut harness, "xdg-open is not installed");
}

/// Types `folder` into the built-in dialog's Folder field and goes there.
fn go_to_folder(harness: &mut Window, folder: &std::path::Path) {
    harness.get_by_label("Folder").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Folder")
        .type_text(&folder.display().to_string());
    harness.run();
    harness.key_press(egui::Key::Enter);
    harness.run();
}

/// A window on a new store, sample mail in it, with the built-in file dialog chosen.
fn samples_with_built_in_dialog(dir: &std::path::Path) -> Window {
    let prefs = satchel::ui::prefs::Prefs {
        builtin_file_dialog: true,
        ..satchel::ui::prefs::Prefs::default()
    };
    let mut harness = window(support::ui::open_app_with(dir, prefs));
    harness.get_by_label("Explore sample mail").click();
    harness.run();
    harness
}

#[test]
fn save_as_works_with_the_built_in_dialog_and_asks_before_replacing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = samples_with_built_in_dialog(dir.path());
    support::ui::click_row(
        &mut harness,
        "Two small attachments",
        egui::PointerButton::Primary,
    );
    let saved_in = dir.path().join("saved");
    std::fs::create_dir(&saved_in).expect("dir");
    std::fs::write(saved_in.join("notes.txt"), "older").expect("older file");

    harness
        .get_all_by_label("Save as…")
        .next()
        .expect("Save as…")
        .click();
    harness.run();
    harness.get_by_label("Save “notes.txt”");
    // A click selects a folder; Save with a folder selected opens it, as desktop dialogs do.
    go_to_folder(&mut harness, dir.path());
    harness.get_by_label("📁 saved").click();
    harness.run();
    let folder_shown =
        |harness: &Window| harness.get_by_label("Folder").value().unwrap_or_default();
    assert_eq!(folder_shown(&harness), dir.path().display().to_string());
    harness.get_by_label("Save").click();
    harness.run();
    assert_eq!(folder_shown(&harness), saved_in.display().to_string());
    harness.get_by_label("📄 notes.txt");
    assert_eq!(
        harness.get_by_label("File name").value().as_deref(),
        Some("notes.txt"),
        "the attachment's own name"
    );
    harness.get_by_label("Save").click();
    harness.run();
    harness.get_by_label("“notes.txt” is already there: press Save again to replace it.");
    assert_eq!(
        std::fs::read_to_string(saved_in.join("notes.txt")).expect("file"),
        "older"
    );
    harness.get_by_label("Save").click();
    harness.run();
    until_shown(&mut harness, "Saved ");
    let written = std::fs::read_to_string(saved_in.join("notes.txt")).expect("saved");
    assert_ne!(written, "older");
    assert!(written.contains("notes"), "{written}");
    assert!(
        harness.query_by_label("Save “notes.txt”").is_none(),
        "closed"
    );
}

#[test]
fn import_with_the_built_in_dialog_takes_files_or_after_cancel_a_maildir() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = samples_with_built_in_dialog(dir.path());
    let mail = dir.path().join("to import");
    std::fs::create_dir(&mail).expect("dir");
    for n in 1..=2 {
        std::fs::write(
            mail.join(format!("{n}.eml")),
            format!(
                "Subject: imported {n}\r\nMessage-ID: <imported-{n}@example.org>\r\n\r\nhi\r\n"
            ),
        )
        .expect("eml");
    }
    let maildir = dir.path().join("Maildir");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(maildir.join(sub)).expect("maildir");
    }
    std::fs::write(
        maildir.join("new/1.host"),
        "Subject: from the maildir\r\nMessage-ID: <md@example.org>\r\n\r\nhi\r\n",
    )
    .expect("maildir message");

    harness.get_by_label("Import mail…").click();
    harness.run();
    go_to_folder(&mut harness, &mail);
    harness.get_by_label("📄 1.eml").click();
    harness.run();
    harness
        .get_by_label("📄 2.eml")
        .click_modifiers(egui::Modifiers::COMMAND);
    harness.run();
    harness.get_by_label("Import").click();
    harness.run();
    until_shown(&mut harness, "Imported 2 message(s)");

    // Cancel the files: the Maildir question follows, as with the desktop's dialog.
    harness.get_by_label("Import mail…").click();
    harness.run();
    harness.get_by_label("Cancel").click();
    harness.run();
    harness.get_by_label("Import a Maildir folder");
    go_to_folder(&mut harness, &maildir);
    harness.get_by_label("Choose this folder").click();
    harness.run();
    until_shown(&mut harness, "Imported 1 message(s)");
}
