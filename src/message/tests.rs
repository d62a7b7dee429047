//! Parser tests over the real fixtures in `tests/data/`; hostile input in [`bounds`].

mod bounds;
mod embedded;

use super::*;

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|err| panic!("cannot read {full}: {err}"))
}

#[test]
fn decodes_every_charset_fixture() {
    let cases = [
        ("iso-8859-1", "Grüße aus Köln, señor. Ça va très bien."),
        ("iso-8859-2", "Zażółć gęślą jaźń. Příliš žluťoučký kůň."),
        ("iso-8859-15", "Le prix est de 20 € œuvre."),
        ("windows-1252", "“Smart quotes” — and an en–dash, 10 €."),
        ("windows-1251", "Привет, как дела? Всё хорошо."),
        ("windows-1250", "Łódź i Kraków, ďakujem."),
        ("koi8-r", "Съешь же ещё этих мягких французских булок."),
        ("shift_jis", "こんにちは、世界。日本語のメールです。"),
        ("iso-2022-jp", "お世話になっております。会議の件です。"),
        ("gbk", "你好，世界。这是一封中文邮件。"),
        ("big5", "您好，這是一封繁體中文郵件。"),
        ("euc-kr", "안녕하세요. 한국어 메일입니다."),
    ];
    for (stem, text) in cases {
        let parsed = parse(&fixture(&format!("charsets/{stem}.eml")), None);
        assert_eq!(parsed.body_text.trim_end(), text, "body of {stem}");
        let subject_prefix: String = text.chars().take(12).collect();
        assert_eq!(
            parsed.subject,
            subject_prefix.trim(),
            "RFC 2047 subject of {stem}"
        );
        assert_eq!(
            parsed.from_name, "Jürgen Müller",
            "RFC 2047 sender of {stem}"
        );
        assert_eq!(parsed.from_addr, "jurgen@example.org");
        assert_eq!(
            parsed.message_id.as_deref(),
            Some(format!("{stem}@example.org").as_str())
        );
        assert_eq!(parsed.date, Some(1_672_650_000), "date of {stem}");
        assert!(parsed.well_formed);
    }
}

#[test]
fn decodes_rfc2231_attachment_name_and_iso_subject() {
    let parsed = parse(&fixture("charsets/rfc2231-filename.eml"), None);
    assert_eq!(parsed.subject, "Re: Résumé");
    assert_eq!(parsed.attachments.len(), 1);
    assert_eq!(parsed.attachments[0].name, "Rapport annüel.pdf");
    assert_eq!(parsed.attachments[0].mime_type, "application/pdf");
    assert_eq!(parsed.attachments[0].size, 9);
    assert!(parsed.has_attachments());
    assert_eq!(parsed.body_text.trim(), "See the attached report.");
}

#[test]
fn html_only_body_becomes_text_with_visible_links() {
    let parsed = parse(&fixture("charsets/html-only.eml"), None);
    assert!(parsed.body_text.contains("Hello"), "{}", parsed.body_text);
    assert!(
        parsed.body_text.contains("the story"),
        "{}",
        parsed.body_text
    );
    assert!(
        parsed.body_text.contains("https://example.org/story"),
        "{}",
        parsed.body_text
    );
    assert!(!parsed.body_text.contains("<p>"), "{}", parsed.body_text);
    assert!(
        parsed.snippet.starts_with("# Hello") || parsed.snippet.starts_with("Hello"),
        "{}",
        parsed.snippet
    );
}

#[test]
fn malformed_messages_get_best_effort_summaries() {
    let truncated = parse(&fixture("malformed/truncated-multipart.eml"), None);
    assert_eq!(truncated.subject, "Truncated");
    assert_eq!(truncated.from_addr, "cut@example.org");
    assert!(
        truncated.body_text.contains("The first part arrived"),
        "{truncated:?}"
    );

    let eight_bit = parse(&fixture("malformed/8bit-headers.eml"), None);
    assert_eq!(
        eight_bit.subject, "Café crème",
        "8-bit header read as Latin-1"
    );
    assert_eq!(eight_bit.from_name, "René Dupont");
    assert_eq!(eight_bit.from_addr, "rene@example.org");
    assert_eq!(eight_bit.date, None);

    let no_headers = parse(
        &fixture("malformed/no-headers.eml"),
        Some("envelope@example.org"),
    );
    assert_eq!(no_headers.subject, "");
    assert_eq!(no_headers.display_subject(), "(no subject)");
    assert_eq!(no_headers.from_addr, "envelope@example.org");
    assert!(no_headers.body_text.contains("Just some text"));

    let binary = parse(&fixture("malformed/binary.eml"), None);
    assert_eq!(binary.display_subject(), "(no subject)");

    let empty = parse(&fixture("malformed/empty.eml"), None);
    assert_eq!(empty.body_text, "");
    assert_eq!(empty.snippet, "");

    let bad_base64 = parse(&fixture("malformed/bad-base64.eml"), None);
    assert_eq!(bad_base64.subject, "Broken base64");

    let no_sender = parse(&fixture("malformed/no-sender.eml"), Some("MAILER-DAEMON"));
    assert_eq!(no_sender.from_addr, "MAILER-DAEMON");
    assert_eq!(no_sender.subject, "Nobody sent this");
}

#[test]
fn eight_bit_headers_that_are_not_utf8_are_read_as_windows_1252() {
    let raw = fixture("malformed/latin1-headers.eml");
    let parsed = parse(&raw, None);
    assert_eq!(parsed.subject, "Formação “avançada”");
    assert_eq!(parsed.from_name, "João Gonçalves");
    assert_eq!(parsed.from_addr, "joao@example.org");
    assert_eq!(
        parsed.to, "Zoë <zoe@example.org>",
        "a UTF-8 line stays UTF-8"
    );
    assert_eq!(parsed.date, Some(1_672_653_600));
    assert_eq!(
        parsed.body_text.trim_end(),
        "Olá, a formação começa amanhã.",
        "the body keeps its declared charset"
    );
    assert!(!parsed.subject.contains('\u{fffd}'));
}

#[test]
fn never_panics_on_prefixes_of_real_mail() {
    let raw = fixture("charsets/rfc2231-filename.eml");
    for end in 0..raw.len() {
        let _ = parse(&raw[..end], None);
    }
}

#[test]
fn snippet_skips_quotes_and_collapses_space() {
    let snippet = make_snippet("> quoted line\n\n  Hello   there,\n\tsecond line\n");
    assert_eq!(snippet, "Hello there, second line");
    let long = make_snippet(&"word ".repeat(100));
    assert_eq!(long.chars().count(), 161);
    assert!(long.ends_with('…'));
}

fn base64_lines(bytes: &[u8]) -> String {
    let encoded = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, bytes);
    encoded
        .as_bytes()
        .chunks(76)
        .map(|line| String::from_utf8_lossy(line).into_owned())
        .collect::<Vec<_>>()
        .join("\r\n")
}

fn multipart_with(part_headers: &str, encoded: &str) -> Vec<u8> {
    format!(
        "From: a@example.org\r\nSubject: big\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nhello body\r\n\
         --b\r\n{part_headers}Content-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n--b--\r\n"
    )
    .into_bytes()
}

#[test]
fn large_attachments_are_sized_without_decoding_and_match_a_full_parse() {
    #[expect(
        clippy::cast_possible_truncation,
        reason = "pseudo-random bytes: truncation is the point"
    )]
    let attachment: Vec<u8> = (0..3_000_001_u32)
        .map(|n| (n.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let raw = multipart_with(
        "Content-Type: application/pdf; name=\"x.pdf\"\r\nContent-Disposition: attachment; filename=\"x.pdf\"\r\n",
        &base64_lines(&attachment),
    );
    assert!(stub::stub_large_runs(&raw).is_some(), "the run is stubbed");
    let quick = parse(&raw, None);
    let full = parse_with_mail_parser(&raw, None).expect("full parse");
    assert_eq!(quick.attachments, full.attachments);
    assert_eq!(quick.attachments[0].size, 3_000_001);
    assert_eq!(quick.body_text, full.body_text);
    assert!(quick.has_attachments());
}

#[test]
fn a_large_base64_text_body_is_still_read_in_full() {
    let text = "readable words ".repeat(100_000);
    let raw = multipart_with(
        "Content-Type: text/plain; charset=utf-8\r\n",
        &base64_lines(text.as_bytes()),
    );
    let parsed = parse(&raw, None);
    assert!(parsed.body_text.contains("readable words"));
    assert!(!stub::mentions_marker(&parsed.body_text));
    assert_eq!(
        parsed,
        parse_with_mail_parser(&raw, None)
            .map(|p| finish(p, None))
            .expect("full")
    );
}

/// Unix seconds of an RFC 3339 time.
fn at(text: &str) -> i64 {
    text.parse::<jiff::Timestamp>()
        .expect("timestamp")
        .as_second()
}

#[test]
fn keeps_the_senders_offset() {
    let parsed = parse(&fixture("dates/new-york.eml"), None);
    assert_eq!(parsed.date, Some(at("2026-12-01T13:05:00Z")));
    assert_eq!(parsed.date_offset, Some(-5 * 3600));
    assert_eq!(parsed.received_dates, vec![at("2026-12-01T13:05:09Z")]);
    assert_eq!(
        parsed.date_or_received(at("2026-12-02T00:00:00Z")),
        at("2026-12-01T13:05:00Z")
    );
}

#[test]
fn a_missing_date_falls_back_to_the_newest_received_before_the_download() {
    let parsed = parse(&fixture("dates/no-date.eml"), None);
    assert_eq!(parsed.date, None);
    assert_eq!(parsed.date_offset, None);
    assert_eq!(parsed.received_dates.len(), 3);
    // The top relay's clock says 2030: later than the download, so it is passed over.
    let downloaded = at("2026-12-01T12:00:00Z");
    assert_eq!(
        parsed.date_or_received(downloaded),
        at("2026-11-20T09:00:00Z")
    );
    // Downloaded before any hop's date: the download time itself.
    assert_eq!(
        parsed.date_or_received(at("2026-01-01T00:00:00Z")),
        at("2026-01-01T00:00:00Z")
    );
}

#[test]
fn a_malformed_date_falls_back_to_received_and_then_to_the_download() {
    let bad = parse(&fixture("dates/bad-date.eml"), None);
    assert_eq!(bad.date, None);
    let downloaded = at("2026-12-01T12:00:00Z");
    assert_eq!(bad.date_or_received(downloaded), at("2026-11-17T02:30:00Z"));
    let bare = parse(&fixture("dates/no-date-no-received.eml"), None);
    assert!(bare.received_dates.is_empty());
    assert_eq!(bare.date_or_received(downloaded), downloaded);
}

#[test]
fn received_dates_are_bounded() {
    let mut raw = String::new();
    for _ in 0..5000 {
        raw.push_str("Received: by mx.example.org; Tue, 1 Dec 2026 13:05:09 +0000\r\n");
    }
    raw.push_str("Subject: many hops\r\n\r\nbody\r\n");
    let parsed = parse(raw.as_bytes(), None);
    assert_eq!(parsed.received_dates.len(), MAX_RECEIVED_DATES);
}
