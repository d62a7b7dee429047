//! Best-effort summary for bytes mail-parser cannot read as a message.

use super::{MAX_BODY_TEXT, ParsedMessage, body::truncate_at_char};

/// Scrapes `Subject:` and `From:` lines from whatever header block there is; the rest is body.
pub(super) fn scrape(raw: &[u8]) -> ParsedMessage {
    let text = String::from_utf8_lossy(raw);
    let (headers, body) = split_header_block(&text);
    let mut parsed = ParsedMessage::default();
    for line in headers.lines() {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("subject") {
            value.clone_into(&mut parsed.subject);
        } else if name.eq_ignore_ascii_case("from") {
            value.clone_into(&mut parsed.from_addr);
        }
    }
    let mut body_text: String = body
        .chars()
        .filter(|ch| !ch.is_control() || ch.is_whitespace())
        .collect();
    truncate_at_char(&mut body_text, MAX_BODY_TEXT);
    parsed.body_text = body_text;
    parsed
}

/// Splits at the first empty line when the text starts like a header block; otherwise it is all body.
fn split_header_block(text: &str) -> (&str, &str) {
    let looks_like_header = text
        .lines()
        .next()
        .and_then(|line| line.split_once(':'))
        .is_some_and(|(name, _)| !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic()));
    if !looks_like_header {
        return ("", text);
    }
    for separator in ["\r\n\r\n", "\n\n"] {
        if let Some(at) = text.find(separator) {
            return (&text[..at], &text[at + separator.len()..]);
        }
    }
    (text, "")
}
