//! The desktop app under `egui_kittest`: a window on a store, with or without the sample mail,
//! and the clicks and look-ups the UI tests share.

use std::path::Path;

use egui::{Modifiers, PointerButton};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use satchel::model::{FolderId, MessageId};
use satchel::secrets::Secrets;
use satchel::store::Store;
use satchel::ui::app::SatchelApp;
use satchel::ui::prefs::Prefs;

/// The app in a kittest harness.
pub type Window = Harness<'static, SatchelApp>;

/// The app on the store in `dir`, with default preferences and no sync worker.
pub fn open_app(dir: &Path) -> SatchelApp {
    open_app_with(dir, Prefs::default())
}

/// The app on the store in `dir` with these preferences (as a restart reads them back).
pub fn open_app_with(dir: &Path, prefs: Prefs) -> SatchelApp {
    let store = Store::open_in(dir).expect("open store");
    let secrets = Secrets::in_file(dir.join("passwords.json"));
    SatchelApp::new(store, secrets, None, prefs)
}

/// The whole window at 1200×800. The Japanese sample needs a CJK font the test cannot install.
pub fn window(app: SatchelApp) -> Window {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .allow_missing_glyphs()
        .build_ui_state(|ui, app: &mut SatchelApp| app.show(ui), app);
    harness.run();
    harness
}

/// Rows of the Samples folder in the threaded list: twelve messages, two of them one conversation.
pub const SAMPLE_ROWS: usize = 11;

/// A window on a new store in which "Explore sample mail" was clicked.
pub fn with_samples(dir: &Path) -> Window {
    let mut harness = window(open_app(dir));
    harness.get_by_label("Explore sample mail").click();
    harness.run();
    // Twelve samples; a question and its reply are one conversation, so one row.
    assert_eq!(
        harness.state().listed().len(),
        SAMPLE_ROWS,
        "samples imported"
    );
    harness
}

/// The store the window shows.
pub fn store(harness: &Window) -> &Store {
    harness.state().store()
}

/// The folder the sample mail went into.
pub fn samples_folder(harness: &Window) -> FolderId {
    store(harness).resolve_folder("Samples").expect("Samples")
}

/// The folder message `id` is in now.
pub fn folder_of(harness: &Window, id: MessageId) -> FolderId {
    store(harness).message(id).expect("message").folder_id
}

/// The subject the list shows for `id` (sample subjects are unique).
pub fn subject_of(harness: &Window, id: MessageId) -> String {
    store(harness).message(id).expect("message").subject
}

/// The id of the listed message with this subject.
pub fn listed_with_subject(harness: &Window, subject: &str) -> MessageId {
    *harness
        .state()
        .listed()
        .iter()
        .find(|id| subject_of(harness, **id) == subject)
        .expect("listed")
}

/// The subject of the message in the reader ("" when none is).
pub fn reading(harness: &Window) -> String {
    let open = harness.state().reading();
    open.map(|open| open.summary.subject.clone())
        .unwrap_or_default()
}

/// Clicks a text field found by its label and types into it.
pub fn type_into(harness: &mut Window, label: &str, text: &str) {
    harness.get_by_label(label).click();
    harness.run();
    harness.get_by_label(label).type_text(text);
    harness.run();
}

/// Scrolls a widget into view (the settings form is taller than its window) and clicks it.
pub fn scroll_and_click(harness: &mut Window, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    harness.run();
    harness.get_by_label(label).click();
    harness.run();
}

/// Clicks a list row on its subject text (row texts pass clicks to the row).
pub fn click_row(harness: &mut Window, subject: &str, button: PointerButton) {
    let pos = harness.get_by_label(subject).rect().center();
    harness.hover_at(pos);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
    harness.run();
}

/// Right-clicks a row and picks `item` from its context menu.
pub fn row_menu(harness: &mut Window, subject: &str, item: &str) {
    click_row(harness, subject, PointerButton::Secondary);
    harness.get_by_label(item).click();
    harness.run();
}

/// A self-signed certificate for mail.example.org with this fingerprint, as a refused TLS
/// handshake describes it.
pub fn self_signed_certificate(
    fingerprint: satchel::pop3::Fingerprint,
) -> satchel::sync::explain::CertificateInfo {
    satchel::sync::explain::CertificateInfo {
        fingerprint,
        subject: "CN=mail.example.org".to_owned(),
        issuer: "CN=mail.example.org".to_owned(),
        not_before: "2026-01-01 00:00:00 UTC".to_owned(),
        not_after: "2027-01-01 00:00:00 UTC".to_owned(),
        previously_trusted: None,
        distrust: Some(satchel::pop3::Distrust::SelfSigned),
    }
}
