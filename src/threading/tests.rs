//! The cases of JWZ's description and RFC 5256 §2.2: chains, lost parents, loops, duplicate
//! ids, truncated References, subject joining only when asked.

use super::*;

/// (id, In-Reply-To, References, subject, date)
type Spec = (
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    &'static str,
    i64,
);

fn messages(specs: &[Spec]) -> Vec<Message<'static>> {
    specs
        .iter()
        .map(
            |&(message_id, in_reply_to, references, subject, date)| Message {
                message_id,
                in_reply_to,
                references,
                subject,
                date,
            },
        )
        .collect()
}

/// Each conversation as (index, depth) pairs.
fn threads(specs: &[Spec], options: Options) -> Vec<Vec<(usize, usize)>> {
    thread(&messages(specs), options)
        .into_iter()
        .map(|conversation| {
            conversation
                .into_iter()
                .map(|placed| (placed.index, placed.depth))
                .collect()
        })
        .collect()
}

fn default(specs: &[Spec]) -> Vec<Vec<(usize, usize)>> {
    threads(specs, Options::default())
}

#[test]
fn a_chain_of_replies_is_one_conversation_in_reading_order() {
    // Offered newest first, as a folder lists them.
    let specs = [
        (Some("c@x"), Some("b@x"), Some("a@x b@x"), "Re: plan", 3),
        (Some("b@x"), Some("a@x"), Some("a@x"), "Re: plan", 2),
        (Some("a@x"), None, None, "plan", 1),
    ];
    assert_eq!(default(&specs), [vec![(2, 0), (1, 1), (0, 2)]]);
}

#[test]
fn siblings_are_ordered_by_date_and_conversations_by_their_first_message() {
    let specs = [
        (Some("r2@x"), None, Some("root@x"), "Re: q", 30),
        (Some("other@x"), None, None, "unrelated", 5),
        (Some("r1@x"), None, Some("root@x"), "Re: q", 20),
        (Some("root@x"), None, None, "q", 10),
    ];
    assert_eq!(
        default(&specs),
        [vec![(1, 0)], vec![(3, 0), (2, 1), (0, 1)]]
    );
}

#[test]
fn answers_to_a_lost_message_stay_together_under_it() {
    // Both answer gone@x, which is not here: a phantom root keeps them as siblings.
    let specs = [
        (Some("b@x"), None, Some("gone@x"), "Re: lost", 2),
        (Some("c@x"), None, Some("gone@x"), "Re: lost", 3),
    ];
    assert_eq!(default(&specs), [vec![(0, 0), (1, 0)]]);
}

#[test]
fn a_lost_message_in_the_middle_is_pruned_and_its_answer_moves_up() {
    let specs = [
        (Some("a@x"), None, None, "topic", 1),
        (Some("c@x"), None, Some("a@x gone@x"), "Re: topic", 3),
    ];
    assert_eq!(default(&specs), [vec![(0, 0), (1, 1)]]);
}

#[test]
fn a_lone_answer_to_a_lost_message_is_its_own_root() {
    let specs = [(Some("b@x"), Some("gone@x"), None, "Re: x", 1)];
    assert_eq!(default(&specs), [vec![(0, 0)]]);
}

#[test]
fn references_win_over_in_reply_to_and_in_reply_to_serves_without_them() {
    // c's References say b; its In-Reply-To (a stray value) is ignored (RFC 5256 step 1).
    let specs = [
        (Some("a@x"), None, None, "s", 1),
        (Some("b@x"), Some("a@x"), None, "Re: s", 2),
        (Some("c@x"), Some("a@x"), Some("a@x b@x"), "Re: s", 3),
    ];
    assert_eq!(default(&specs), [vec![(0, 0), (1, 1), (2, 2)]]);
}

#[test]
fn the_message_itself_corrects_a_parent_guessed_from_a_truncated_reference_list() {
    // d's References guess that c answers a; c itself says it answers b.
    let specs = [
        (Some("d@x"), None, Some("a@x c@x"), "Re: s", 4),
        (Some("a@x"), None, None, "s", 1),
        (Some("b@x"), None, Some("a@x"), "Re: s", 2),
        (Some("c@x"), None, Some("a@x b@x"), "Re: s", 3),
    ];
    assert_eq!(default(&specs), [vec![(1, 0), (2, 1), (3, 2), (0, 3)]]);
}

#[test]
fn loops_in_references_are_broken_not_followed() {
    let specs = [
        (Some("a@x"), None, Some("b@x"), "s", 1),
        (Some("b@x"), None, Some("a@x"), "s", 2),
        (Some("c@x"), None, Some("c@x"), "self", 3),
    ];
    let found = default(&specs);
    let mut indexes: Vec<usize> = found.iter().flatten().map(|(index, _)| *index).collect();
    indexes.sort_unstable();
    assert_eq!(indexes, [0, 1, 2], "every message once");
    assert!(found.contains(&vec![(2, 0)]), "its own parent: a root");
    assert!(found.iter().any(|t| t.len() == 2), "a and b together");
}

#[test]
fn a_duplicate_message_id_keeps_both_messages() {
    let specs = [
        (Some("a@x"), None, None, "s", 1),
        (Some("a@x"), None, None, "s (copy)", 2),
        (Some("b@x"), None, Some("a@x"), "Re: s", 3),
    ];
    let found = default(&specs);
    assert_eq!(found.iter().map(Vec::len).sum::<usize>(), 3);
    assert!(found.contains(&vec![(0, 0), (2, 1)]));
}

#[test]
fn messages_without_ids_stand_alone() {
    let specs = [
        (None, None, None, "one", 1),
        (None, None, None, "Re: one", 2),
    ];
    assert_eq!(default(&specs), [vec![(0, 0)], vec![(1, 0)]]);
}

#[test]
fn same_subjects_join_only_when_asked() {
    let specs = [
        (Some("a@x"), None, None, "Lunch?", 1),
        (Some("b@x"), None, None, "Re: lunch?", 2),
        (Some("c@x"), None, None, "Invoice", 3),
        (Some("d@x"), None, None, "Invoice", 4),
    ];
    assert_eq!(default(&specs).len(), 4, "off by default");
    let joined = threads(
        &specs,
        Options {
            join_by_subject: true,
        },
    );
    assert!(joined.contains(&vec![(0, 0), (1, 1)]), "{joined:?}");
    assert!(
        joined.contains(&vec![(2, 0), (3, 0)]),
        "two originals side by side: {joined:?}"
    );
}

#[test]
fn a_very_deep_chain_is_walked_without_recursion() {
    let ids: Vec<String> = (0..20_000).map(|n| format!("m{n}@x")).collect();
    let leaked: &'static [String] = Box::leak(ids.into_boxed_slice());
    let specs: Vec<Message<'static>> = (0..leaked.len())
        .map(|n| Message {
            message_id: Some(&leaked[n]),
            in_reply_to: n.checked_sub(1).map(|p| leaked[p].as_str()),
            references: None,
            subject: "deep",
            date: i64::try_from(n).unwrap_or_default(),
        })
        .collect();
    let found = thread(&specs, Options::default());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].last().map(|p| p.depth), Some(19_999));
}

#[test]
fn parents_are_bounded_deduplicated_and_never_the_message_itself() {
    let many = (0..500)
        .map(|n| format!("r{n}@x"))
        .collect::<Vec<_>>()
        .join(" ");
    let found = parents(Some("me@x"), None, Some(&many));
    assert_eq!(found.len(), MAX_PARENTS);
    assert_eq!(found[0], "r0@x", "the root is kept");
    assert_eq!(found.last(), Some(&"r499@x"), "and the newest");
    assert_eq!(
        parents(Some("me@x"), Some("p@x q@x"), Some("a@x a@x me@x")),
        ["a@x"]
    );
    assert_eq!(parents(Some("me@x"), Some("me@x p@x"), None), ["p@x"]);
    assert!(parents(None, None, None).is_empty());
}

#[test]
fn base_subjects_drop_reply_and_forward_marks_and_list_tags() {
    for (subject, base) in [
        ("Re: Plans", "plans"),
        ("RE: re: Fwd: Plans", "plans"),
        ("Re[2]: Plans", "plans"),
        ("[dev] Re: Plans (fwd)", "plans"),
        ("AW: Termin", "termin"),
        ("  Plans   for  May ", "plans for may"),
        ("[only a tag]", "[only a tag]"),
        ("Reminder: dentist", "reminder: dentist"),
        ("", ""),
    ] {
        assert_eq!(base_subject(subject), base, "{subject:?}");
    }
}

#[test]
fn references_that_grow_the_chain_by_dozens_per_message_stay_cheap() {
    // Each message names the previous one after 62 ids never seen: a chain ~64,000 deep.
    let texts: Vec<(String, String)> = (0..1000)
        .map(|n| {
            let fresh: Vec<String> = (0..62).map(|k| format!("f{n}.{k}@x")).collect();
            let previous = if n == 0 {
                String::new()
            } else {
                format!("m{}@x", n - 1)
            };
            (format!("m{n}@x"), format!("{} {previous}", fresh.join(" ")))
        })
        .collect();
    let specs: Vec<Message<'_>> = texts
        .iter()
        .enumerate()
        .map(|(n, (id, references))| Message {
            message_id: Some(id),
            in_reply_to: None,
            references: Some(references),
            subject: "chain",
            date: i64::try_from(n).unwrap_or_default(),
        })
        .collect();
    let found = thread(&specs, Options::default());
    assert_eq!(found.iter().map(Vec::len).sum::<usize>(), 1000);
    assert_eq!(found.len(), 1, "one conversation");
}
