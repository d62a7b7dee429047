//! Forwarded messages and delivery reports read inline, on fixtures in `tests/data/embedded`.

use std::fmt::Write as _;

use super::fixture;
use crate::message::*;

#[test]
fn a_forwarded_message_is_read_inline_and_named_by_its_subject() {
    let parsed = parse(&fixture("embedded/forwarded.eml"), None);
    assert_eq!(parsed.own_text().trim(), "See below.");
    assert_eq!(parsed.embedded.len(), 1);
    let forwarded = &parsed.embedded[0];
    assert_eq!(forwarded.kind, EmbeddedKind::Forwarded);
    assert_eq!(forwarded.depth, 1);
    assert_eq!(forwarded.attachment_index, Some(0));
    assert_eq!(forwarded.subject, "Lunch plans");
    assert_eq!(forwarded.from, "Carol <carol@example.org>");
    assert_eq!(forwarded.to, "Alice <alice@example.org>");
    assert_eq!(forwarded.date, Some(1_672_662_600));
    assert!(forwarded.text.starts_with("Shall we meet at noon?"));
    assert_eq!(parsed.attachments[0].name, "Forwarded: Lunch plans.eml");
    assert_eq!(parsed.attachments[0].mime_type, "message/rfc822");
    // Search indexes the forwarded words too.
    assert!(
        parsed
            .body_text
            .contains("---------- Forwarded message ----------")
    );
    assert!(parsed.body_text.contains("From: Carol <carol@example.org>"));
    assert!(parsed.body_text.contains("Shall we meet at noon?"));
}

#[test]
fn a_delivery_report_says_who_failed_and_why() {
    let parsed = parse(&fixture("embedded/bounce.eml"), None);
    assert_eq!(
        parsed.own_text().trim(),
        "Your message could not be delivered."
    );
    let kinds: Vec<EmbeddedKind> = parsed.embedded.iter().map(|part| part.kind).collect();
    assert_eq!(
        kinds,
        [EmbeddedKind::DeliveryStatus, EmbeddedKind::ReturnedHeaders]
    );
    assert_eq!(
        parsed.embedded[0].text,
        "Delivery to bob@example.net failed: 550 5.1.1 user unknown"
    );
    assert_eq!(parsed.embedded[1].subject, "Quarterly figures");
    assert_eq!(parsed.embedded[1].to, "bob@example.net");
    let names: Vec<&str> = parsed.attachments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Delivery status.txt", "Returned headers.txt"]);
    assert!(
        parsed
            .body_text
            .contains("Delivery to bob@example.net failed")
    );
}

#[test]
fn forwards_inside_forwards_are_read_to_a_bounded_depth() {
    let mut raw = String::from("From: a@example.org\r\nSubject: level 0\r\n");
    for level in 1..=10 {
        let _ = write!(
            raw,
            "Content-Type: message/rfc822\r\n\r\nFrom: a@example.org\r\nSubject: level {level}\r\n"
        );
    }
    raw.push_str("\r\ninnermost\r\n");
    let parsed = parse(raw.as_bytes(), None);
    let depths: Vec<usize> = parsed.embedded.iter().map(|part| part.depth).collect();
    assert_eq!(depths, [1, 2, 3]);
    assert_eq!(parsed.embedded[0].subject, "level 1");
    assert_eq!(parsed.embedded[2].attachment_index, None);
    assert!(parsed.body_text.len() <= MAX_BODY_TEXT);
}
