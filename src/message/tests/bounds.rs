//! Hostile input: markup and structures whose cost grows faster than their size.

use crate::message::*;

fn nested_divs(depth: usize, text: &str) -> String {
    format!("{}{text}{}", "<div>".repeat(depth), "</div>".repeat(depth))
}

fn html_mail(html: &str) -> Vec<u8> {
    format!(
        "From: a@example.org\r\nSubject: bomb\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n"
    )
    .into_bytes()
}

fn alternative_mail(plain: &str, html: &str) -> Vec<u8> {
    format!(
        "From: a@example.org\r\nSubject: alt\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{plain}\r\n\
         --b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n--b--\r\n"
    )
    .into_bytes()
}

#[test]
fn nested_div_bomb_is_read_by_the_linear_stripper() {
    // 100,000 nested <div>: 1.1 MB that html2text took minutes over.
    let parsed = parse(&html_mail(&nested_divs(100_000, "the only words")), None);
    assert_eq!(parsed.subject, "bomb");
    assert_eq!(parsed.body_text, "the only words");
    assert_eq!(parsed.snippet, "the only words");
}

#[test]
fn nested_div_bomb_falls_back_to_a_plain_part() {
    // mail-parser reads the plain alternative as the text body, so the HTML is never rendered.
    let parsed = parse(
        &alternative_mail("plain version", &nested_divs(100_000, "html version")),
        None,
    );
    assert_eq!(parsed.body_text.trim(), "plain version");
}

#[test]
fn normal_html_still_renders_with_link_footnotes() {
    let html = format!(
        "<html><body><h1>News</h1><p>Read <a href=\"https://example.org/a\">the story</a>.</p>{}</body></html>",
        nested_divs(50, "inside fifty divs")
    );
    assert!(html::render_cost(&html, html::MAX_RENDER_COST).is_some());
    let parsed = parse(&html_mail(&html), None);
    assert_eq!(parsed.body_text, body::html_to_text(&html));
    assert!(
        parsed.body_text.contains("[the story][1]"),
        "{}",
        parsed.body_text
    );
    assert!(
        parsed.body_text.contains("[1]: https://example.org/a"),
        "{}",
        parsed.body_text
    );
    assert!(parsed.body_text.contains("inside fifty divs"));
}

#[test]
fn many_html_parts_share_one_render_budget() {
    // Each part alone is within bounds; together they would cost far more than one budget.
    let part = "<span>x</span>".repeat(5_000);
    let mut raw = String::from(
        "From: a@example.org\r\nSubject: parts\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n",
    );
    // 60 parts of 5,000 elements: 30 times the budget, and well under MAX_BODY_TEXT.
    for _ in 0..60 {
        raw.push_str("--b\r\nContent-Type: text/html\r\n\r\n");
        raw.push_str(&part);
        raw.push_str("\r\n");
    }
    raw.push_str("--b--\r\n");
    let parsed = parse(raw.as_bytes(), None);
    let rendered = body::html_to_text(&part);
    let stripped = html::strip_tags(&part);
    assert_ne!(
        rendered, stripped,
        "the two readings differ, so the test can tell them apart"
    );
    assert!(parsed.body_text.starts_with(&rendered));
    assert!(parsed.body_text.trim_end().ends_with(&stripped));
}

#[test]
fn deeply_nested_attached_messages_do_not_overflow_the_stack() {
    // Dropping mail-parser's nested messages recursed once per level: 20,000 levels aborted.
    let mut raw = String::from("From: a@example.org\r\nSubject: outer\r\n");
    for _ in 0..20_000 {
        raw.push_str("Content-Type: message/rfc822\r\n\r\nSubject: inner\r\n");
    }
    raw.push_str("\r\ninnermost\r\n");
    let parsed = parse(raw.as_bytes(), None);
    assert_eq!(parsed.subject, "outer");
    assert_eq!(parsed.attachments.len(), 1);
    assert!(attachment_bytes(raw.as_bytes(), 0).is_some());
}
