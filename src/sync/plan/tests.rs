//! The plan as a truth table: every policy against every local state.

use super::*;

const NOW: i64 = 1_800_000_000;
const DAY: i64 = SECONDS_PER_DAY;
/// The size every `local` fixture recorded when it was downloaded.
const RECORDED_SIZE: u64 = 100;

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
                    size: RECORDED_SIZE,
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
fn a_removed_uidl_listed_again_is_on_the_server_again_and_retention_applies() {
    let known = local(&[("r", PopState::RemovedFromServer, Some(NOW), true)]);
    let classic = Policy {
        keep_on_server: false,
        ..Policy::default()
    };
    let plan = plan(&server(&[(1, "r", RECORDED_SIZE)]), &known, &classic, NOW);
    assert!(
        plan.downloads.is_empty(),
        "we hold it: never downloaded twice"
    );
    assert_eq!(plan.back_on_server, ["r"]);
    assert_eq!(numbers(&plan.deletions), [1], "its retention applies again");
    assert!(plan.gone_from_server.is_empty());

    let kept = super::plan(
        &server(&[(1, "r", RECORDED_SIZE)]),
        &known,
        &Policy::default(),
        NOW,
    );
    assert_eq!(kept.back_on_server, ["r"]);
    assert!(kept.deletions.is_empty());
}

#[test]
fn a_removed_uidl_listed_again_with_another_size_is_fetched_before_anything() {
    let known = local(&[("r", PopState::RemovedFromServer, Some(NOW), true)]);
    let classic = Policy {
        keep_on_server: false,
        ..Policy::default()
    };
    let plan = plan(
        &server(&[(1, "r", RECORDED_SIZE + 500)]),
        &known,
        &classic,
        NOW,
    );
    assert!(plan.deletions.is_empty(), "not provably the message we had");
    assert!(plan.back_on_server.is_empty());
    assert_eq!(plan.downloads.len(), 1);
    assert!(
        plan.downloads[0].delete_after_commit,
        "its own committed download is the proof"
    );
}

#[test]
fn a_uidl_listed_twice_is_unknown_for_every_message_and_never_deleted() {
    let classic = Policy {
        keep_on_server: false,
        remove_when_deleted: true,
        ..Policy::default()
    };
    let listing = server(&[(1, "same", 10), (2, "same", 20), (3, "other", 30)]);
    // Even when the store already knows that UIDL as a complete download.
    for known in [
        local(&[]),
        local(&[("same", PopState::OnServer, Some(NOW - 90 * DAY), true)]),
        local(&[("same", PopState::OnServer, Some(NOW), false)]),
    ] {
        let plan = plan(&listing, &known, &classic, NOW);
        let fetched: Vec<u32> = plan.downloads.iter().map(|d| d.message.number).collect();
        assert_eq!(
            fetched,
            [1, 2, 3],
            "every message sharing the UIDL is fetched"
        );
        for d in &plan.downloads[..2] {
            assert!(d.ambiguous && !d.delete_after_commit);
        }
        assert!(plan.downloads[2].delete_after_commit && !plan.downloads[2].ambiguous);
        assert!(plan.deletions.is_empty());
        assert_eq!(plan.ambiguous, 2);
    }
}

#[test]
fn an_ambiguous_uidl_unique_again_is_fetched_and_only_then_deletable() {
    let classic = Policy {
        keep_on_server: false,
        ..Policy::default()
    };
    let known = local(&[("same", PopState::Ambiguous, Some(NOW - 90 * DAY), true)]);
    let plan = plan(
        &server(&[(1, "same", RECORDED_SIZE)]),
        &known,
        &classic,
        NOW,
    );
    assert!(plan.deletions.is_empty(), "never deleted on the old record");
    assert_eq!(plan.downloads.len(), 1);
    assert!(plan.downloads[0].delete_after_commit && !plan.downloads[0].ambiguous);
}

#[test]
fn recognised_and_incomplete_messages_are_never_deleted_on_their_record() {
    let classic = Policy {
        keep_on_server: false,
        remove_when_deleted: true,
        ..Policy::default()
    };
    let listing = server(&[(1, "rec", 10), (2, "cut", 10)]);
    let known = local(&[
        ("rec", PopState::Recognised, Some(NOW - 90 * DAY), true),
        ("cut", PopState::Incomplete, Some(NOW - 90 * DAY), false),
    ]);
    let plan = plan(&listing, &known, &classic, NOW);
    assert!(plan.deletions.is_empty());
    assert_eq!(
        numbers(
            &plan
                .downloads
                .iter()
                .map(|d| d.message.clone())
                .collect::<Vec<_>>()
        ),
        [1]
    );
    assert!(
        plan.downloads[0].delete_after_commit,
        "a recognised message due for deletion is downloaded first: its commit is the proof"
    );

    let kept = super::plan(&listing, &known, &Policy::default(), NOW);
    assert!(kept.downloads.is_empty() && kept.deletions.is_empty());
}

#[test]
fn messages_over_the_cap_are_headers_only_whatever_the_size_limit() {
    let policy = Policy {
        max_message_size: 1_000,
        size_limit: Some(1_000_000),
        keep_on_server: false,
        ..Policy::default()
    };
    let plan = plan(
        &server(&[(1, "huge", 5_000), (2, "small", 500)]),
        &HashMap::new(),
        &policy,
        NOW,
    );
    assert!(plan.downloads[0].headers_only && !plan.downloads[0].delete_after_commit);
    assert!(!plan.downloads[1].headers_only);
}

#[test]
fn a_uidl_reset_is_told_apart_from_new_mail() {
    let held = local(&[
        ("a", PopState::OnServer, Some(NOW), true),
        ("b", PopState::OnServer, Some(NOW), true),
        ("c", PopState::OnServer, Some(NOW), true),
        ("old", PopState::RemovedFromServer, Some(NOW), true),
    ]);
    let reset = server(&[(1, "x", 1), (2, "y", 1), (3, "z", 1)]);
    assert!(looks_like_uidl_reset(&reset, &held), "every UIDL changed");
    let new_mail = server(&[
        (1, "a", 1),
        (2, "b", 1),
        (3, "c", 1),
        (4, "n1", 1),
        (5, "n2", 1),
        (6, "n3", 1),
        (7, "n4", 1),
    ]);
    assert!(
        !looks_like_uidl_reset(&new_mail, &held),
        "known mail still listed"
    );
    let removed = local(&[
        ("a", PopState::RemovedFromServer, Some(NOW), true),
        ("b", PopState::RemovedFromServer, Some(NOW), true),
    ]);
    assert!(
        !looks_like_uidl_reset(&reset, &removed),
        "remove-after-download: new mail is never a reset"
    );
    let emptied_then_one_new = server(&[(1, "n1", 1)]);
    assert!(!looks_like_uidl_reset(&emptied_then_one_new, &held));
    assert!(!looks_like_uidl_reset(&reset, &local(&[])));
}
