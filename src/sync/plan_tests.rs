//! The plan as a truth table: every policy against every local state.

use super::*;

const NOW: i64 = 1_800_000_000;
const DAY: i64 = SECONDS_PER_DAY;

fn server(entries: &[(u32, &str, u64)]) -> Vec<ServerMessage> {
    entries
        .iter()
        .map(|&(number, uidl, size)| ServerMessage {
            number,
            uidl: uidl.to_owned(),
            size,
        })
        .collect()
}

fn local(entries: &[(&str, PopState, Option<i64>, bool)]) -> HashMap<String, LocalMessage> {
    entries
        .iter()
        .map(|&(uidl, state, downloaded_at, still_stored)| {
            (
                uidl.to_owned(),
                LocalMessage {
                    state,
                    downloaded_at,
                    still_stored,
                },
            )
        })
        .collect()
}

fn numbers(messages: &[ServerMessage]) -> Vec<u32> {
    messages.iter().map(|m| m.number).collect()
}

#[test]
fn downloads_only_unknown_uidls_oldest_first() {
    let listing = server(&[(3, "c", 10), (1, "a", 10), (2, "b", 10)]);
    let known = local(&[("b", PopState::OnServer, Some(NOW), true)]);
    let plan = plan(&listing, &known, &Policy::default(), NOW);
    let order: Vec<u32> = plan.downloads.iter().map(|d| d.message.number).collect();
    assert_eq!(order, [1, 3]);
    assert!(
        plan.downloads
            .iter()
            .all(|d| !d.headers_only && !d.delete_after_commit)
    );
    assert!(plan.deletions.is_empty() && plan.gone_from_server.is_empty());
}

#[test]
fn size_limit_fetches_headers_only_and_never_deletes_them() {
    let listing = server(&[(1, "small", 1_000), (2, "big", 5_000_000)]);
    let policy = Policy {
        size_limit: Some(1_000_000),
        keep_on_server: false,
        ..Policy::default()
    };
    let plan = plan(&listing, &HashMap::new(), &policy, NOW);
    assert!(!plan.downloads[0].headers_only);
    assert!(
        plan.downloads[0].delete_after_commit,
        "classic POP removes what it fully has"
    );
    assert!(plan.downloads[1].headers_only);
    assert!(
        !plan.downloads[1].delete_after_commit,
        "only headers are local: keep it on the server"
    );

    let known = local(&[("big", PopState::HeadersOnly, Some(NOW - 400 * DAY), true)]);
    let later = super::plan(
        &listing[1..],
        &known,
        &Policy {
            remove_after_days: Some(1),
            ..policy
        },
        NOW,
    );
    assert!(
        later.deletions.is_empty(),
        "a headers-only message is never removed from the server"
    );
}

/// (policy, downloaded days ago, still stored locally) → deleted from the server now?
#[test]
fn retention_truth_table() {
    let keep = Policy::default();
    let classic = Policy {
        keep_on_server: false,
        ..keep
    };
    let after_7 = Policy {
        remove_after_days: Some(7),
        ..keep
    };
    let when_deleted = Policy {
        remove_when_deleted: true,
        ..keep
    };
    let recent = Policy {
        keep_on_server: false,
        remove_after_days: Some(1),
        remove_when_deleted: true,
        never_delete: true,
        ..keep
    };
    let cases: [(&str, Policy, i64, bool, bool); 14] = [
        ("keep, fresh", keep, 0, true, false),
        ("keep, old", keep, 900, true, false),
        ("keep, deleted locally", keep, 1, false, false),
        ("classic, stored", classic, 0, true, true),
        ("classic, deleted locally", classic, 0, false, true),
        ("after 7, day 6", after_7, 6, true, false),
        ("after 7, day 7", after_7, 7, true, true),
        ("after 7, day 30", after_7, 30, true, true),
        ("after 7, deleted locally day 1", after_7, 1, false, false),
        ("when deleted, stored", when_deleted, 30, true, false),
        (
            "when deleted, deleted locally",
            when_deleted,
            0,
            false,
            true,
        ),
        ("recent mode, classic", recent, 30, true, false),
        ("recent mode, deleted locally", recent, 30, false, false),
        (
            "after 7 + when deleted, day 2 deleted",
            Policy {
                remove_when_deleted: true,
                ..after_7
            },
            2,
            false,
            true,
        ),
    ];
    for (name, policy, days_ago, still_stored, expect_delete) in cases {
        let listing = server(&[(1, "m", 100)]);
        let known = local(&[(
            "m",
            PopState::OnServer,
            Some(NOW - days_ago * DAY),
            still_stored,
        )]);
        let plan = plan(&listing, &known, &policy, NOW);
        assert_eq!(!plan.deletions.is_empty(), expect_delete, "{name}");
        assert!(
            plan.downloads.is_empty(),
            "{name}: known messages are never downloaded again"
        );
    }
}

#[test]
fn recent_mode_never_deletes_even_new_downloads() {
    let policy = Policy {
        keep_on_server: false,
        never_delete: true,
        ..Policy::default()
    };
    let plan = plan(&server(&[(1, "n", 1)]), &HashMap::new(), &policy, NOW);
    assert!(!plan.downloads[0].delete_after_commit);
}

#[test]
fn messages_the_server_dropped_are_reported_once() {
    let listing = server(&[(1, "still", 1)]);
    let known = local(&[
        ("still", PopState::OnServer, Some(NOW), true),
        ("vanished", PopState::OnServer, Some(NOW), true),
        ("vanished-headers", PopState::HeadersOnly, Some(NOW), true),
        ("already-gone", PopState::RemovedFromServer, Some(NOW), true),
    ]);
    let plan = plan(&listing, &known, &Policy::default(), NOW);
    assert_eq!(plan.gone_from_server, ["vanished", "vanished-headers"]);
    assert_eq!(numbers(&plan.deletions), Vec::<u32>::new());
}

#[test]
fn a_removed_uidl_reappearing_is_not_downloaded_twice() {
    // Some servers reuse UIDLs after deletion fails half-way; we already have the message.
    let known = local(&[("r", PopState::RemovedFromServer, Some(NOW), true)]);
    let plan = plan(
        &server(&[(1, "r", 1)]),
        &known,
        &Policy {
            keep_on_server: false,
            ..Policy::default()
        },
        NOW,
    );
    assert!(plan.downloads.is_empty());
    assert!(
        plan.deletions.is_empty(),
        "its state says it is gone; only a fresh download would make it due"
    );
}
