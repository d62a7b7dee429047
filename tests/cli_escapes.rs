//! Terminal escape sequences in mail never reach the terminal through `show` and `search`.

mod support;

use std::fs;

use support::cli::{satchel, stderr, stdout};

const HOSTILE: &[u8] = b"From: Mallory <m@example.org>\r\nTo: you@example.org\r\n\
Subject: hostile \x1b]0;pwned\x07 title \x1b[31mred\r\n\
Date: Mon, 2 Jan 2023 09:00:00 +0000\r\nMessage-ID: <hostile@example.org>\r\n\r\n\
Hostile body \x1b]0;pwned\x07 and \x1b[31mred\x1b[0m text.\r\n\tIndented line.\r\n";

fn assert_no_controls(output: &[u8]) {
    for forbidden in [0x1b_u8, 0x07] {
        assert!(
            !output.contains(&forbidden),
            "byte {forbidden:#04x} reached the terminal: {}",
            String::from_utf8_lossy(output)
        );
    }
}

#[test]
fn show_and_search_escape_controls_and_raw_stays_exact() {
    let data = tempfile::tempdir().expect("temp");
    let eml = data.path().join("hostile.eml");
    fs::write(&eml, HOSTILE).expect("write");
    let imported = satchel(data.path(), &["import", &eml.to_string_lossy()]);
    assert!(imported.status.success(), "{}", stderr(&imported));

    let shown = satchel(data.path(), &["show", "1"]);
    assert!(shown.status.success(), "{}", stderr(&shown));
    assert_no_controls(&shown.stdout);
    let text = stdout(&shown);
    assert!(
        text.contains("Subject: hostile \\x1b]0;pwned\\x07 title \\x1b[31mred"),
        "{text}"
    );
    assert!(
        text.contains("Hostile body \\x1b]0;pwned\\x07 and \\x1b[31mred\\x1b[0m text."),
        "{text}"
    );
    assert!(
        text.contains("\n\tIndented line."),
        "tabs and newlines stay: {text}"
    );

    let found = satchel(data.path(), &["search", "hostile"]);
    assert!(found.status.success(), "{}", stderr(&found));
    assert_no_controls(&found.stdout);
    assert!(
        stdout(&found).contains("hostile \\x1b]0;pwned"),
        "{}",
        stdout(&found)
    );
    let json = satchel(data.path(), &["search", "--json", "hostile"]);
    assert!(json.status.success(), "{}", stderr(&json));
    assert_no_controls(&json.stdout);
    assert_eq!(stdout(&json).lines().count(), 1);

    let raw = satchel(data.path(), &["show", "1", "--raw"]);
    assert!(raw.status.success(), "{}", stderr(&raw));
    assert_eq!(raw.stdout, HOSTILE);
}
