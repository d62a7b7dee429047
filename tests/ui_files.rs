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
