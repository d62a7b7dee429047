//! Dates in the window are local time: the list's today / Yesterday / weekday / date, the
//! reader's full date with the sender's own clock on hover, and `before:` in the app's searches.

use std::path::Path;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use jiff::{ToSpan, ZonedDateTime};
use satchel::dates::{self, TimeZone};
use satchel::message;
use satchel::model::{Flags, FolderId};
use satchel::secrets::Secrets;
use satchel::store::{NewMessage, Store, raw_sha256};
use satchel::ui::app::SatchelApp;
use satchel::ui::prefs::Prefs;

type Window = Harness<'static, SatchelApp>;

fn paris() -> TimeZone {
    dates::named_zone("Europe/Paris").expect("Europe/Paris resolves (system or bundled tzdb)")
}

/// Stores a message whose Date header is `date` (RFC 2822), with this subject.
fn add(store: &mut Store, folder: FolderId, subject: &str, date: &str) {
    let raw = format!(
        "From: Ann <ann@example.org>\r\nTo: you@example.com\r\nSubject: {subject}\r\n\
         Date: {date}\r\nMessage-ID: <{subject}@example.org>\r\n\r\nHello.\r\n"
    );
    let parsed = message::parse(raw.as_bytes(), None);
    let sha = raw_sha256(raw.as_bytes());
    store
        .insert_messages(&[NewMessage {
            raw: raw.as_bytes(),
            raw_sha256: &sha,
            parsed: &parsed,
            folder_id: folder,
            account_id: None,
            flags: Flags::default(),
            received_at: dates::now(),
            headers_only: false,
            stored_raw: None,
        }])
        .expect("insert");
}

fn rfc2822(zoned: &ZonedDateTime) -> String {
    zoned.strftime("%a, %-d %b %Y %H:%M:%S %z").to_string()
}

/// A window in Paris time on a store holding mail from today, yesterday, three days ago, last
/// year, one written in New York and one just before midnight UTC.
fn window(dir: &Path) -> (Window, ZonedDateTime) {
    let mut store = Store::open_in(dir).expect("store");
    store.set_time_zone(paris());
    let inbox = store.ensure_folder("Inbox").expect("folder");
    let now = ZonedDateTime::now().with_time_zone(paris());
    add(&mut store, inbox, "Written today", &rfc2822(&now));
    let yesterday = now.checked_sub(1.day()).expect("yesterday");
    add(&mut store, inbox, "Written yesterday", &rfc2822(&yesterday));
    let days_ago = now.checked_sub(3.days()).expect("three days ago");
    add(&mut store, inbox, "Written this week", &rfc2822(&days_ago));
    add(
        &mut store,
        inbox,
        "Written long ago",
        "Wed, 4 Mar 2020 10:00:00 +0000",
    );
    add(
        &mut store,
        inbox,
        "Written in New York",
        "Mon, 1 Dec 2025 08:05:00 -0500",
    );
    add(
        &mut store,
        inbox,
        "Written near midnight",
        "Mon, 1 Dec 2025 23:30:00 +0000",
    );
    let secrets = Secrets::in_file(dir.join("passwords.json"));
    let app = SatchelApp::new(store, secrets, None, Prefs::default());
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1200.0, 800.0))
        .build_ui_state(|ui, app: &mut SatchelApp| app.show(ui), app);
    harness.run();
    (harness, now)
}

#[test]
fn the_list_shows_local_times_days_and_dates() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (harness, now) = window(dir.path());
    assert_eq!(harness.state().listed().len(), 6);
    let today = now.strftime("%H:%M").to_string();
    harness.get_by_label(&today);
    harness.get_by_label("Yesterday");
    let weekday = now
        .checked_sub(3.days())
        .expect("three days ago")
        .strftime("%a")
        .to_string();
    harness.get_by_label(&weekday);
    harness.get_by_label("2020-03-04");
}

#[test]
fn the_reader_shows_the_local_date_and_the_senders_time_on_hover() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut harness, _) = window(dir.path());
    // Row texts pass clicks to the row, so the click is a pointer press and release on it.
    let pos = harness.get_by_label("Written in New York").rect().center();
    harness.hover_at(pos);
    for pressed in [true, false] {
        harness.event(egui::Event::PointerButton {
            pos,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.run();
    // 08:05 in New York is 14:05 in Paris.
    let date = harness.get_by_label("Mon 1 Dec 2025 14:05");
    date.hover();
    // Tooltips appear after a short delay.
    for _ in 0..40 {
        harness.step();
    }
    harness.run();
    harness.get_by_label("Sender's time: 2025-12-01 08:05 -0500");
}

#[test]
fn the_apps_searches_read_before_and_after_as_local_days() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (harness, _) = window(dir.path());
    let store = harness.state().store();
    // 08:05 in New York is 2025-12-01 14:05 in Paris: inside that local day.
    let found = |query: &str| store.search(query, 10).expect("search").len();
    assert_eq!(found("after:2025-12-01 before:2025-12-02 New York"), 1);
    assert_eq!(found("after:2025-12-02 New York"), 0);
    // 23:30 UTC on 1 December is 00:30 on 2 December in Paris.
    assert_eq!(found("after:2025-12-02 midnight"), 1);
    assert_eq!(found("before:2025-12-02 midnight"), 0);
}
