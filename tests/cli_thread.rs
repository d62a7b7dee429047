//! `satchel thread ID [--json]`: a message's conversation in reading order, found as mail
//! arrives (answers before their original, answers to a lost message, folders, Trash).

mod support;

use std::fs;
use std::path::Path;

use support::cli::{fixture, satchel, stderr, stdout};

/// Imports these files of `tests/data/threads` (in this order) into the Imported folder.
fn import(data: &Path, names: &[&str]) {
    let mail = tempfile::tempdir().expect("temp");
    for name in names {
        fs::copy(fixture("threads").join(name), mail.path().join(name)).expect("copy");
    }
    let output = satchel(data, &["import", &mail.path().to_string_lossy()]);
    assert!(output.status.success(), "{}", stderr(&output));
}

/// The ids `satchel thread ID` prints.
fn thread(data: &Path, id: &str) -> Vec<String> {
    let output = satchel(data, &["thread", id]);
    assert!(output.status.success(), "{}", stderr(&output));
    stdout(&output).lines().map(str::to_owned).collect()
}

#[test]
fn conversations_form_as_mail_arrives_in_any_order() {
    let data = tempfile::tempdir().expect("temp");
    let data = data.path();
    // The answers arrive first (ids 1, 2, 3): Bob's and Cy's answer the same lost original.
    import(
        data,
        &[
            "02-re-plans-bob.eml",
            "03-re-plans-ada.eml",
            "04-re-plans-cy.eml",
        ],
    );
    assert_eq!(thread(data, "3"), ["1", "2", "3"]);
    // The original arrives (id 4) and takes its place at the top.
    import(data, &["01-plans.eml"]);
    assert_eq!(thread(data, "1"), ["4", "1", "2", "3"]);
    assert_eq!(thread(data, "4"), ["4", "1", "2", "3"]);

    // Unrelated mail and another conversation (ids 5, 6, 7) stay apart.
    import(
        data,
        &["05-invoice.eml", "06-re-lost.eml", "07-re-lost-again.eml"],
    );
    assert_eq!(thread(data, "5"), ["5"]);
    assert_eq!(thread(data, "7"), ["6", "7"]);
    assert_eq!(thread(data, "4").len(), 4);
}

#[test]
fn a_conversation_spans_folders_and_leaves_deleted_mail_out() {
    let data = tempfile::tempdir().expect("temp");
    let data = data.path();
    import(
        data,
        &[
            "01-plans.eml",
            "02-re-plans-bob.eml",
            "03-re-plans-ada.eml",
            "04-re-plans-cy.eml",
        ],
    );
    assert!(
        satchel(data, &["folder", "create", "Work"])
            .status
            .success()
    );
    assert!(
        satchel(data, &["move", "4", "--to", "Work"])
            .status
            .success()
    );
    let output = satchel(data, &["thread", "1", "--json"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let entries: Vec<serde_json::Value> = stdout(&output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    let summary: Vec<(i64, i64, &str)> = entries
        .iter()
        .map(|entry| {
            (
                entry["id"].as_i64().expect("id"),
                entry["depth"].as_i64().expect("depth"),
                entry["folder"].as_str().expect("folder"),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (1, 0, "Imported"),
            (2, 1, "Imported"),
            (3, 2, "Imported"),
            (4, 1, "Work"),
        ]
    );

    assert!(
        satchel(data, &["move", "2", "--to", "Trash"])
            .status
            .success()
    );
    assert_eq!(thread(data, "1"), ["1", "3", "4"], "Trash is left out");
    assert_eq!(
        thread(data, "2"),
        ["1", "2", "3", "4"],
        "a message in Trash still shows its whole conversation"
    );
    let unknown = satchel(data, &["thread", "99"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("99"), "{}", stderr(&unknown));
}
