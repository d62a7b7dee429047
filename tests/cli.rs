//! The `satchel` binary end to end: import, show, search, folders, flags, export, errors.

mod support;

use std::fs;
use std::path::{Path, PathBuf};

use support::cli::{fixture, satchel, stderr, stdout};

/// The fixture files in the order `satchel import charsets malformed` reads them.
fn fixture_files() -> Vec<PathBuf> {
    let mut all = Vec::new();
    for dir in ["charsets", "malformed"] {
        let mut files: Vec<PathBuf> = fs::read_dir(fixture(dir))
            .expect("fixture dir")
            .map(|entry| entry.expect("entry").path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
            .collect();
        files.sort();
        all.extend(files);
    }
    all
}

fn import_fixtures(data: &Path) -> Vec<PathBuf> {
    let output = satchel(
        data,
        &[
            "import",
            &fixture("charsets").to_string_lossy(),
            &fixture("malformed").to_string_lossy(),
        ],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let files = fixture_files();
    assert_eq!(
        stdout(&output).trim(),
        format!(
            "imported {}, skipped 0 (already stored), unreadable 0",
            files.len()
        )
    );
    files
}

fn raw_of(data: &Path, id: usize) -> Vec<u8> {
    let output = satchel(data, &["show", &id.to_string(), "--raw"]);
    assert!(output.status.success(), "{}", stderr(&output));
    output.stdout
}

#[test]
fn import_then_show_raw_is_byte_exact() {
    let data = tempfile::tempdir().expect("temp");
    let files = import_fixtures(data.path());
    for (index, file) in files.iter().enumerate() {
        assert_eq!(
            raw_of(data.path(), index + 1),
            fs::read(file).expect("read"),
            "{}",
            file.display()
        );
    }
    let again = satchel(
        data.path(),
        &["import", &fixture("charsets").to_string_lossy()],
    );
    assert!(
        stdout(&again).starts_with("imported 0, skipped 14"),
        "{}",
        stdout(&again)
    );
}

#[test]
fn show_prints_headers_and_readable_body() {
    let data = tempfile::tempdir().expect("temp");
    let files = import_fixtures(data.path());
    let koi8 = files
        .iter()
        .position(|f| f.ends_with("koi8-r.eml"))
        .expect("fixture")
        + 1;
    let shown = stdout(&satchel(data.path(), &["show", &koi8.to_string()]));
    assert!(
        shown.contains("From:    Jürgen Müller <jurgen@example.org>"),
        "{shown}"
    );
    assert!(shown.contains("Subject: Съешь же ещё"), "{shown}");
    assert!(shown.contains("Folder:  Imported"), "{shown}");
    assert!(
        shown
            .trim_end()
            .ends_with("Съешь же ещё этих мягких французских булок."),
        "{shown}"
    );
    let html = files
        .iter()
        .position(|f| f.ends_with("html-only.eml"))
        .expect("fixture")
        + 1;
    let shown = stdout(&satchel(data.path(), &["show", &html.to_string()]));
    assert!(
        shown.contains("https://example.org/story") && !shown.contains("<a href"),
        "{shown}"
    );
}

#[test]
fn export_then_import_gives_back_the_same_bytes() {
    let data = tempfile::tempdir().expect("temp");
    let files = import_fixtures(data.path());
    let originals: Vec<Vec<u8>> = files.iter().map(|f| fs::read(f).expect("read")).collect();
    let out = tempfile::tempdir().expect("temp");

    let maildir = out.path().join("maildir");
    let exported = satchel(
        data.path(),
        &[
            "export",
            "--folder",
            "Imported",
            "--maildir",
            &maildir.to_string_lossy(),
        ],
    );
    assert!(exported.status.success(), "{}", stderr(&exported));
    let mbox = out.path().join("export.mbox");
    let exported = satchel(
        data.path(),
        &[
            "export",
            "--folder",
            "Imported",
            "--mbox",
            &mbox.to_string_lossy(),
        ],
    );
    assert!(exported.status.success(), "{}", stderr(&exported));
    let twice = satchel(
        data.path(),
        &[
            "export",
            "--folder",
            "Imported",
            "--mbox",
            &mbox.to_string_lossy(),
        ],
    );
    assert_eq!(
        twice.status.code(),
        Some(2),
        "an existing file is never overwritten"
    );

    for (source, exact) in [(&maildir, true), (&mbox, false)] {
        let fresh = tempfile::tempdir().expect("temp");
        let imported = satchel(fresh.path(), &["import", &source.to_string_lossy()]);
        assert!(imported.status.success(), "{}", stderr(&imported));
        let mut back: Vec<Vec<u8>> = (1..=originals.len())
            .map(|id| raw_of(fresh.path(), id))
            .collect();
        let mut expected: Vec<Vec<u8>> = originals
            .iter()
            .map(|raw| {
                // mbox cannot hold a message that does not end in a newline; Maildir can.
                let mut raw = raw.clone();
                if !exact && !raw.ends_with(b"\n") {
                    raw.push(b'\n');
                }
                raw
            })
            .collect();
        back.sort();
        expected.sort();
        assert_eq!(back, expected, "round trip through {}", source.display());
    }
}

#[test]
fn mbox_export_reads_in_pythons_mailbox_module() {
    let data = tempfile::tempdir().expect("temp");
    let files = import_fixtures(data.path());
    let mbox = data.path().join("out.mbox");
    assert!(
        satchel(
            data.path(),
            &[
                "export",
                "--folder",
                "Imported",
                "--mbox",
                &mbox.to_string_lossy()
            ]
        )
        .status
        .success()
    );
    let script = "import mailbox, sys\nbox = mailbox.mbox(sys.argv[1])\nprint(len(box))\nprint(sorted(m['Message-ID'] or '' for m in box)[-1])";
    let output = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&mbox)
        .output()
        .expect("python3 is installed");
    assert!(output.status.success(), "{}", stderr(&output));
    let printed = stdout(&output);
    let mut lines = printed.lines();
    assert_eq!(lines.next(), Some(files.len().to_string().as_str()));
    assert_eq!(lines.next(), Some("<windows-1252@example.org>"));
}

#[test]
fn search_json_folder_move_and_flag() {
    let data = tempfile::tempdir().expect("temp");
    let files = import_fixtures(data.path());
    let gbk = files
        .iter()
        .position(|f| f.ends_with("gbk.eml"))
        .expect("fixture")
        + 1;

    let found = satchel(data.path(), &["search", "--json", "中文邮件"]);
    assert!(found.status.success(), "{}", stderr(&found));
    let line = stdout(&found);
    let hit: serde_json::Value =
        serde_json::from_str(line.lines().next().expect("one hit")).expect("json");
    assert_eq!(hit["id"], gbk);
    assert_eq!(hit["folder"], "Imported");
    assert_eq!(hit["from"], "Jürgen Müller <jurgen@example.org>");
    assert_eq!(hit["date"], "2023-01-02T09:00:00Z");
    for key in ["subject", "snippet"] {
        assert!(
            hit[key].as_str().is_some_and(|text| !text.is_empty()),
            "{key} in {hit}"
        );
    }

    assert!(
        satchel(data.path(), &["folder", "create", "Asia/China"])
            .status
            .success()
    );
    let moved = satchel(
        data.path(),
        &["move", &gbk.to_string(), "--to", "Asia/China"],
    );
    assert!(moved.status.success(), "{}", stderr(&moved));
    assert!(
        satchel(
            data.path(),
            &["flag", &gbk.to_string(), "--seen", "--flagged"]
        )
        .status
        .success()
    );
    let found = stdout(&satchel(
        data.path(),
        &["search", "--json", "folder:China", "is:flagged", "is:read"],
    ));
    assert_eq!(found.lines().count(), 1, "{found}");
    assert!(
        satchel(data.path(), &["folder", "rename", "Asia", "Far East"])
            .status
            .success()
    );
    let listed = stdout(&satchel(data.path(), &["folder", "list"]));
    assert!(
        listed.contains("Far East/China") && listed.contains("       1 message "),
        "{listed}"
    );
    let deleted = satchel(data.path(), &["folder", "delete", "Far East"]);
    assert_eq!(
        stdout(&deleted).trim(),
        "deleted Far East; 1 message moved to Trash"
    );
    let in_trash = stdout(&satchel(data.path(), &["search", "folder:Trash"]));
    assert_eq!(in_trash.lines().count(), 1);
}

/// Every failure is one line on stderr and exit code 2.
fn assert_clear_failure(output: &std::process::Output, expected: &str) {
    assert_eq!(output.status.code(), Some(2), "{}", stderr(output));
    let message = stderr(output);
    assert!(
        message.starts_with("satchel: ") && message.contains(expected),
        "{message}"
    );
    assert_eq!(message.trim_end().lines().count(), 1, "{message}");
}

#[test]
fn errors_are_one_clear_line_with_exit_code_2() {
    let data = tempfile::tempdir().expect("temp");
    assert_clear_failure(
        &satchel(data.path(), &["import", "/no/such/mailbox"]),
        "/no/such/mailbox does not exist",
    );
    assert_clear_failure(
        &satchel(data.path(), &["show", "42"]),
        "no message with id 42",
    );
    assert_clear_failure(
        &satchel(data.path(), &["search", "\"open"]),
        "unbalanced quote",
    );
    assert_clear_failure(
        &satchel(data.path(), &["move", "1", "--to", "Nowhere"]),
        "no folder called \"Nowhere\"",
    );
    assert_clear_failure(
        &satchel(data.path(), &["folder", "delete", "Trash"]),
        "built-in folder",
    );

    let corrupt = tempfile::tempdir().expect("temp");
    fs::write(corrupt.path().join("satchel.sqlite3"), vec![0x5a; 8192]).expect("write");
    assert_clear_failure(
        &satchel(corrupt.path(), &["folder", "list"]),
        "not a Satchel store, or it is corrupt",
    );
}

#[test]
fn unreadable_messages_are_counted_and_reported() {
    let data = tempfile::tempdir().expect("temp");
    let maildir = data.path().join("Maildir");
    fs::create_dir_all(maildir.join("cur")).expect("mkdir");
    fs::write(maildir.join("cur/1.good:2,S"), b"Subject: fine\n\nok\n").expect("write");
    // A directory where a message file should be cannot be read, even by root.
    fs::create_dir_all(maildir.join("cur/2.broken:2,")).expect("mkdir");
    let output = satchel(
        data.path(),
        &["import", &maildir.to_string_lossy(), "--folder", "Old"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stdout(&output).trim(),
        "imported 1, skipped 0 (already stored), unreadable 1"
    );
    let message = stderr(&output);
    assert!(
        message.contains("unreadable: cannot read or write") && message.contains("2.broken"),
        "{message}"
    );
    assert!(
        message
            .trim_end()
            .ends_with("satchel: 1 message or file could not be read"),
        "{message}"
    );
    let found = stdout(&satchel(
        data.path(),
        &["search", "--json", "folder:Old", "is:read"],
    ));
    assert_eq!(
        found.lines().count(),
        1,
        "the readable one was stored with its Maildir flag"
    );
}

#[test]
fn a_locked_store_is_reported_not_waited_on_forever() {
    let data = tempfile::tempdir().expect("temp");
    import_fixtures(data.path());
    let conn = rusqlite::Connection::open(data.path().join("satchel.sqlite3")).expect("open");
    conn.execute_batch("BEGIN IMMEDIATE; UPDATE messages SET seen = seen;")
        .expect("hold the write lock");
    assert_clear_failure(
        &satchel(data.path(), &["flag", "1", "--seen"]),
        "locked by another Satchel process",
    );
    conn.execute_batch("ROLLBACK").expect("release");
    assert!(
        satchel(data.path(), &["flag", "1", "--seen"])
            .status
            .success()
    );
}

#[test]
fn no_subcommand_opens_the_app_and_without_a_display_says_so_in_one_line() {
    let data = tempfile::tempdir().expect("temp");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--data-dir")
        .arg(data.path())
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("XDG_STATE_HOME", data.path().join("state"))
        .env("SATCHEL_NO_KEYRING", "1")
        .output()
        .expect("run satchel");
    assert_clear_failure(&output, "cannot open the window");
    // The app's log file records the same failure.
    let log = fs::read_to_string(data.path().join("state/satchel/satchel.log")).expect("log");
    assert!(log.contains("cannot open the window"), "{log}");
}
