//! Messages carried inside a message, read inline: forwarded messages (`message/rfc822`),
//! delivery reports (`message/delivery-status`) and returned headers (`text/rfc822-headers`).
//!
//! Each becomes an [`EmbeddedPart`] with its own headers and readable text; nesting is read to
//! [`MAX_DEPTH`] levels and at most [`MAX_PARTS`] parts, each text cut to [`MAX_PART_TEXT`].

use std::fmt::Write as _;

use mail_parser::{Message, MessageParser, MessagePart, MimeHeaders, PartType};

use super::{address, body, delivery};

/// Levels of forwarded-inside-forwarded messages read; deeper ones stay attachments only.
pub const MAX_DEPTH: usize = 3;
/// Most embedded parts read from one message.
pub const MAX_PARTS: usize = 32;
/// Longest readable text kept from one embedded part (cut at a char boundary).
pub const MAX_PART_TEXT: usize = 128 * 1024;

/// What kind of message an [`EmbeddedPart`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbeddedKind {
    /// A whole message, forwarded or attached (`message/rfc822`).
    Forwarded,
    /// A delivery report's status, one line per recipient (`message/delivery-status`).
    DeliveryStatus,
    /// The headers of a message that could not be delivered (`text/rfc822-headers`).
    ReturnedHeaders,
}

impl EmbeddedKind {
    /// The heading the reader and the body text give it.
    #[must_use]
    pub fn heading(self) -> &'static str {
        match self {
            Self::Forwarded => "Forwarded message",
            Self::DeliveryStatus => "Delivery report",
            Self::ReturnedHeaders => "Returned message headers",
        }
    }
}

/// A message or report inside the message, with what a reader shows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbeddedPart {
    /// Forwarded message, delivery status or returned headers.
    pub kind: EmbeddedKind,
    /// 1 for a part of the message itself, 2 for a part of a forwarded message, …
    pub depth: usize,
    /// Its position in the outer message's attachment list (`None` for deeper parts).
    pub attachment_index: Option<usize>,
    /// Decoded subject (may be empty).
    pub subject: String,
    /// `From`, formatted `Name <addr>`.
    pub from: String,
    /// `To`, formatted `Name <addr>, …`.
    pub to: String,
    /// `Date` as Unix seconds, when present and valid.
    pub date: Option<i64>,
    /// Readable text: the message's body, or the delivery status as sentences.
    pub text: String,
}

/// The embedded parts of `message`, in order, nested ones right after the part holding them.
/// HTML bodies are rendered while `render_budget` lasts (shared with the outer body).
pub(super) fn collect(message: &Message<'_>, render_budget: &mut u64) -> Vec<EmbeddedPart> {
    let mut found = Vec::new();
    collect_into(message, 1, render_budget, &mut found);
    found
}

fn collect_into(
    message: &Message<'_>,
    depth: usize,
    render_budget: &mut u64,
    found: &mut Vec<EmbeddedPart>,
) {
    for (index, part_id) in message.attachments.iter().enumerate() {
        if found.len() >= MAX_PARTS {
            return;
        }
        let Some(part) = message.parts.get(*part_id as usize) else {
            continue;
        };
        let attachment_index = (depth == 1).then_some(index);
        if let PartType::Message(nested) = &part.body {
            let mut text = body::readable_body(nested, render_budget);
            body::truncate_at_char(&mut text, MAX_PART_TEXT);
            found.push(EmbeddedPart {
                kind: EmbeddedKind::Forwarded,
                depth,
                attachment_index,
                text,
                ..headers_of(nested)
            });
            if depth < MAX_DEPTH {
                collect_into(nested, depth + 1, render_budget, found);
            }
            continue;
        }
        match kind_of(part) {
            Some(EmbeddedKind::DeliveryStatus) => {
                let report = String::from_utf8_lossy(part.contents());
                let mut text = delivery::status_lines(&report).join("\n");
                body::truncate_at_char(&mut text, MAX_PART_TEXT);
                found.push(EmbeddedPart {
                    kind: EmbeddedKind::DeliveryStatus,
                    depth,
                    attachment_index,
                    subject: String::new(),
                    from: String::new(),
                    to: String::new(),
                    date: None,
                    text,
                });
            }
            Some(EmbeddedKind::ReturnedHeaders) => {
                if let Some(returned) = MessageParser::default().parse_headers(part.contents()) {
                    found.push(EmbeddedPart {
                        kind: EmbeddedKind::ReturnedHeaders,
                        depth,
                        attachment_index,
                        ..headers_of(&returned)
                    });
                }
            }
            Some(EmbeddedKind::Forwarded) | None => {}
        }
    }
}

/// Which embedded kind a part's content type names (a parsed `message/rfc822` is told by its body).
fn kind_of(part: &MessagePart<'_>) -> Option<EmbeddedKind> {
    let content_type = part.content_type()?;
    let subtype = content_type.subtype()?;
    let (ctype, subtype) = (
        content_type.ctype().to_ascii_lowercase(),
        subtype.to_ascii_lowercase(),
    );
    match (ctype.as_str(), subtype.as_str()) {
        ("message", "rfc822" | "global") => Some(EmbeddedKind::Forwarded),
        ("message", "delivery-status" | "global-delivery-status") => {
            Some(EmbeddedKind::DeliveryStatus)
        }
        ("text" | "message", "rfc822-headers") | ("message", "global-headers") => {
            Some(EmbeddedKind::ReturnedHeaders)
        }
        _ => None,
    }
}

/// An embedded part with `message`'s headers and no text yet.
fn headers_of(message: &Message<'_>) -> EmbeddedPart {
    EmbeddedPart {
        kind: EmbeddedKind::Forwarded,
        depth: 1,
        attachment_index: None,
        subject: printable(message.subject().unwrap_or_default()),
        from: message
            .from()
            .map(address::format_list)
            .map(|from| printable(&from))
            .unwrap_or_default(),
        to: message
            .to()
            .map(address::format_list)
            .map(|to| printable(&to))
            .unwrap_or_default(),
        date: message
            .date()
            .filter(|date| date.is_valid())
            .map(mail_parser::DateTime::to_timestamp),
        text: String::new(),
    }
}

/// One line, no control characters, at most 1,000 characters (a header can be huge).
fn printable(text: &str) -> String {
    text.split_whitespace()
        .flat_map(|word| word.chars().filter(|ch| !ch.is_control()).chain([' ']))
        .take(1000)
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// The name the attachment list gives an unnamed embedded part: `Forwarded: Subject.eml`,
/// `Delivery status.txt`, `Returned headers.txt`; `None` for other parts.
pub(super) fn attachment_name(part: &MessagePart<'_>) -> Option<String> {
    if let PartType::Message(nested) = &part.body {
        let subject = printable(nested.subject().unwrap_or_default()).replace(['/', '\\'], "-");
        return Some(if subject.is_empty() {
            "Forwarded message.eml".to_owned()
        } else {
            let subject: String = subject.chars().take(120).collect();
            format!("Forwarded: {subject}.eml")
        });
    }
    match kind_of(part)? {
        EmbeddedKind::Forwarded => Some("Forwarded message.eml".to_owned()),
        EmbeddedKind::DeliveryStatus => Some("Delivery status.txt".to_owned()),
        EmbeddedKind::ReturnedHeaders => Some("Returned headers.txt".to_owned()),
    }
}

/// The parts as plain text for the body text (what search indexes and `satchel show` prints),
/// each under a heading line, its headers, then its text.
pub(super) fn as_text(parts: &[EmbeddedPart]) -> String {
    let mut text = String::new();
    for part in parts {
        let _ = write!(text, "\n\n---------- {} ----------\n", part.kind.heading());
        for (name, value) in [
            ("From", &part.from),
            ("To", &part.to),
            ("Subject", &part.subject),
        ] {
            if !value.is_empty() {
                let _ = writeln!(text, "{name}: {value}");
            }
        }
        if let Some(date) = part.date.map(mail_parser::DateTime::from_timestamp) {
            let _ = writeln!(text, "Date: {}", date.to_rfc822());
        }
        if !part.text.is_empty() {
            if part.kind != EmbeddedKind::DeliveryStatus {
                text.push('\n');
            }
            text.push_str(part.text.trim_end());
            text.push('\n');
        }
    }
    text
}
