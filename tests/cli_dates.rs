//! `satchel show` and `satchel search` print local time: the zone comes from `TZ` set on the
//! child, as a user's shell would set it. Missing Date headers fall back to Received.

mod support;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use support::cli::{fixture, stderr, stdout};

/// Runs `satchel --data-dir DIR ARGS` with `TZ=zone`.
fn satchel_in(zone: &str, data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("SATCHEL_DATA_DIR")
        .env("TZ", zone)
        .output()
        .expect("run satchel")
}

/// Imports the `tests/data/dates` fixtures, each file dated (its mtime, the import's
/// "received" time) 2026-12-01 12:00 UTC. Returns a lookup of the id of each fixture by file stem.
fn import_dated(data: &Path) -> impl Fn(&str) -> String {
    let mail = data.join("mail");
    fs::create_dir_all(&mail).expect("mail dir");
    let mut names = Vec::new();
    for entry in fs::read_dir(fixture("dates")).expect("fixtures") {
        let path = entry.expect("entry").path();
        let copy = mail.join(path.file_name().expect("name"));
        fs::copy(&path, &copy).expect("copy");
        // 2026-12-01 12:00 UTC.
        let received = SystemTime::UNIX_EPOCH + Duration::from_hours(498_924);
        fs::File::options()
            .write(true)
            .open(&copy)
            .and_then(|file| file.set_modified(received))
            .expect("set mtime");
        names.push(
            path.file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned(),
        );
    }
    // The import reads files in name order (`no-date-no-received.eml` before `no-date.eml`).
    names.sort();
    let output = satchel_in("UTC", data, &["import", &mail.to_string_lossy()]);
    assert!(output.status.success(), "{}", stderr(&output));
    move |stem: &str| {
        let name = format!("{stem}.eml");
        let index = names.iter().position(|s| *s == name).expect("fixture");
        (index + 1).to_string()
    }
}

fn date_line(zone: &str, data: &Path, id: &str) -> String {
    let output = satchel_in(zone, data, &["show", id]);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output)
        .lines()
        .find(|line| line.starts_with("Date:"))
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn show_prints_the_date_in_local_time_with_its_offset() {
    let data = tempfile::tempdir().expect("temp");
    let id = import_dated(data.path());
    let new_york = id("new-york");
    assert_eq!(
        date_line("America/New_York", data.path(), &new_york),
        "Date:    2026-12-01 08:05 -0500"
    );
    assert_eq!(
        date_line("Europe/Paris", data.path(), &new_york),
        "Date:    2026-12-01 14:05 +0100"
    );
    // Half-hour zones and the next day.
    assert_eq!(
        date_line("Asia/Kolkata", data.path(), &new_york),
        "Date:    2026-12-01 18:35 +0530"
    );
    assert_eq!(
        date_line("Pacific/Kiritimati", data.path(), &new_york),
        "Date:    2026-12-02 03:05 +1400"
    );
    // A POSIX rule works as TZ too.
    assert_eq!(
        date_line("EST5EDT,M3.2.0,M11.1.0", data.path(), &new_york),
        "Date:    2026-12-01 08:05 -0500"
    );
}

#[test]
fn missing_or_malformed_dates_fall_back_to_received() {
    let data = tempfile::tempdir().expect("temp");
    let id = import_dated(data.path());
    // The top hop's clock said 2030, after the download: the hop below it is used.
    assert_eq!(
        date_line("UTC", data.path(), &id("no-date")),
        "Date:    2026-11-20 09:00 +0000"
    );
    assert_eq!(
        date_line("America/Los_Angeles", data.path(), &id("bad-date")),
        "Date:    2026-11-16 18:30 -0800"
    );
    // Nothing to go by: the time it was received (the file's date, for an import).
    assert_eq!(
        date_line("UTC", data.path(), &id("no-date-no-received")),
        "Date:    2026-12-01 12:00 +0000"
    );
}

#[test]
fn search_prints_local_time_and_before_after_read_local_days() {
    let data = tempfile::tempdir().expect("temp");
    let id = import_dated(data.path());
    let new_york = id("new-york");
    let search = |zone: &str, query: &str| {
        let output = satchel_in(zone, data.path(), &["search", query]);
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let found = search("Asia/Tokyo", "New York");
    assert!(found.contains("2026-12-01 22:05"), "{found}");
    // 13:05 UTC on 1 December is already 2 December at UTC+14.
    let ids = |zone: &str, query: &str| -> Vec<String> {
        search(zone, query)
            .lines()
            .filter_map(|line| line.split_whitespace().next().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        ids("Pacific/Kiritimati", "after:2026-12-02 York"),
        std::slice::from_ref(&new_york)
    );
    assert!(ids("UTC", "after:2026-12-02 York").is_empty());
    assert_eq!(
        ids("UTC", "before:2026-12-02 after:2026-12-01 York"),
        std::slice::from_ref(&new_york)
    );
    assert!(ids("Pacific/Kiritimati", "before:2026-12-02 York").is_empty());
    // `--json` is for programs: its date stays RFC 3339 in UTC whatever TZ says.
    let json = stdout(&satchel_in(
        "Asia/Tokyo",
        data.path(),
        &["search", "--json", "York"],
    ));
    let hit: serde_json::Value =
        serde_json::from_str(json.lines().next().expect("a hit")).expect("json");
    assert_eq!(hit["date"], "2026-12-01T13:05:00Z");
}
