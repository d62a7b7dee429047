//! The drafts a Reply, Reply all or Forward starts from.

use std::fmt::Write as _;

use jiff::tz::TimeZone;

use super::address::{Mailbox, format_list};
use super::{Attachment, Draft};
use crate::message::{self, AddressHeaders, NamedAddress};

/// Most ids kept in `References` (RFC 5322 asks for the conversation; mail clients trim it).
const MAX_REFERENCES: usize = 20;

/// How a message is forwarded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ForwardStyle {
    /// Its text in the body under a "Forwarded message" heading, its attachments attached.
    #[default]
    Inline,
    /// The whole message attached as a `.eml` file (`message/rfc822`).
    AsAttachment,
}

fn mailboxes(list: &[NamedAddress]) -> Vec<Mailbox> {
    list.iter()
        .map(|(name, addr)| Mailbox::new(name.clone(), addr.clone()))
        .collect()
}

fn is_mine(mailbox: &Mailbox, mine: &[String]) -> bool {
    mine.iter().any(|own| mailbox.same_address(own))
}

/// Adds `mailbox` unless its address is already there.
fn push_unique(list: &mut Vec<Mailbox>, mailbox: Mailbox) {
    if !list.iter().any(|m| m.same_address(&mailbox.addr)) {
        list.push(mailbox);
    }
}

/// `Re: subject`, without a second `Re:` when it has one.
fn reply_subject(subject: &str) -> String {
    let trimmed = subject.trim();
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("re:") || lower.starts_with("aw:") || lower.starts_with("sv:") {
        trimmed.to_owned()
    } else {
        format!("Re: {trimmed}")
    }
}

/// `Fwd: subject`, once.
fn forward_subject(subject: &str) -> String {
    let trimmed = subject.trim();
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("fwd:") || lower.starts_with("fw:") {
        trimmed.to_owned()
    } else {
        format!("Fwd: {trimmed}")
    }
}

/// The text of the original without its signature (from the `-- ` line on).
fn without_signature(text: &str) -> &str {
    if text.starts_with("-- \n") {
        return "";
    }
    text.find("\n-- \n").map_or(text, |at| &text[..at])
}

/// Each line of `text` quoted one level deeper: `> line`, `>> line` for lines already quoted.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.trim_end().lines() {
        if line.starts_with('>') {
            out.push('>');
        } else if !line.is_empty() {
            out.push_str("> ");
        } else {
            out.push('>');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn signature_block(signature: &str) -> String {
    if signature.trim().is_empty() {
        String::new()
    } else {
        format!("\n-- \n{}\n", signature.trim_end())
    }
}

/// The body a new message starts with: two empty lines, then the signature.
#[must_use]
pub fn new_body(signature: &str) -> String {
    format!("\n{}", signature_block(signature))
}

/// The answer to `original` (its raw bytes). `mine` are the user's own addresses (every
/// account's): a reply to one's own message goes to its recipients, and Reply all leaves them
/// out. The body quotes the original's readable text under an attribution line in `zone`.
#[must_use]
pub fn reply(
    original: &[u8],
    mine: &[String],
    all: bool,
    signature: &str,
    zone: &TimeZone,
) -> Draft {
    let parsed = message::parse(original, None);
    let headers: AddressHeaders = message::address_headers(original);
    let from = mailboxes(&headers.from);
    let reply_to = mailboxes(&headers.reply_to);
    let sent_by_me = from.iter().all(|m| is_mine(m, mine)) && !from.is_empty();

    let mut to: Vec<Mailbox> = Vec::new();
    if sent_by_me {
        for mailbox in mailboxes(&headers.to) {
            push_unique(&mut to, mailbox);
        }
    } else {
        for mailbox in if reply_to.is_empty() { from } else { reply_to } {
            push_unique(&mut to, mailbox);
        }
    }
    let mut cc: Vec<Mailbox> = Vec::new();
    if all {
        let others = mailboxes(&headers.to)
            .into_iter()
            .chain(mailboxes(&headers.cc));
        for mailbox in others {
            if !is_mine(&mailbox, mine) && !to.iter().any(|t| t.same_address(&mailbox.addr)) {
                push_unique(&mut cc, mailbox);
            }
        }
    }
    to.retain(|m| !is_mine(m, mine) || sent_by_me);

    let mut references: Vec<String> = parsed
        .references
        .as_deref()
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    if references.is_empty()
        && let Some(parent) = parsed.in_reply_to.as_deref()
    {
        references.extend(parent.split_whitespace().take(1).map(str::to_owned));
    }
    if let Some(id) = &parsed.message_id {
        references.push(id.clone());
    }
    if references.len() > MAX_REFERENCES {
        // Keep the first (the conversation's start) and the latest.
        let tail = references.split_off(references.len() - (MAX_REFERENCES - 1));
        references.truncate(1);
        references.extend(tail);
    }

    let when = parsed.date.map_or_else(String::new, |date| {
        format!("On {}, ", crate::dates::format_local_long(date, zone))
    });
    let who = parsed.sender().to_string();
    let attribution = format!("{when}{who} wrote:");
    let body = format!(
        "\n\n{attribution}\n{}\n{}",
        quote(without_signature(&parsed.own_text().replace("\r\n", "\n"))),
        signature_block(signature)
    );
    Draft {
        to: format_list(&to),
        cc: format_list(&cc),
        bcc: String::new(),
        subject: reply_subject(&parsed.subject),
        body,
        attachments: Vec::new(),
        in_reply_to: parsed.message_id.clone(),
        references,
    }
}

/// A forward of `original` (its raw bytes) to be addressed by the user.
#[must_use]
pub fn forward(original: &[u8], style: ForwardStyle, signature: &str, zone: &TimeZone) -> Draft {
    let parsed = message::parse(original, None);
    let subject = forward_subject(&parsed.subject);
    let (body, attachments) = match style {
        ForwardStyle::AsAttachment => {
            let name = format!(
                "{}.eml",
                crate::message::display_subject(&parsed.subject)
                    .chars()
                    .map(|c| if "/\\:*?\"<>|".contains(c) || c.is_control() {
                        '_'
                    } else {
                        c
                    })
                    .collect::<String>()
            );
            (
                new_body(signature),
                vec![Attachment {
                    name,
                    mime_type: "message/rfc822".to_owned(),
                    bytes: original.to_vec(),
                }],
            )
        }
        ForwardStyle::Inline => {
            let mut heading = String::from("-------- Forwarded Message --------\n");
            let _ = writeln!(heading, "Subject: {}", parsed.display_subject());
            if let Some(date) = parsed.date {
                let _ = writeln!(
                    heading,
                    "Date: {}",
                    crate::dates::format_local_long(date, zone)
                );
            }
            let _ = writeln!(heading, "From: {}", parsed.sender());
            if !parsed.to.is_empty() {
                let _ = writeln!(heading, "To: {}", parsed.to);
            }
            if !parsed.cc.is_empty() {
                let _ = writeln!(heading, "Cc: {}", parsed.cc);
            }
            let attachments = super::attached_files(original, &parsed);
            (
                format!(
                    "\n\n{heading}\n{}\n{}",
                    parsed.own_text().trim_end(),
                    signature_block(signature)
                ),
                attachments,
            )
        }
    };
    Draft {
        subject,
        body,
        attachments,
        ..Draft::default()
    }
}
