//! A saved draft opened again: the compose window's fields from the message Satchel wrote.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::Draft;
use super::address::{Mailbox, format_list};
use crate::message;

fn list(entries: &[message::NamedAddress]) -> String {
    format_list(
        &entries
            .iter()
            .map(|(name, addr)| Mailbox::new(name.clone(), addr.clone()))
            .collect::<Vec<_>>(),
    )
}

/// The draft `raw` holds (as [`build`](super::build) wrote it for [`Purpose::Draft`](super::Purpose)).
/// Other messages open too, best effort: their text, recipients and attachments.
#[must_use]
pub fn reopen(raw: &[u8]) -> Draft {
    let parsed = message::parse(raw, None);
    let headers = message::address_headers(raw);
    let mut draft = Draft {
        to: list(&headers.to),
        cc: list(&headers.cc),
        bcc: list(&headers.bcc),
        subject: parsed.subject.clone(),
        body: parsed.own_text().replace("\r\n", "\n"),
        attachments: Vec::new(),
        in_reply_to: parsed
            .in_reply_to
            .as_deref()
            .and_then(|ids| ids.split_whitespace().next())
            .map(str::to_owned),
        references: parsed
            .references
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
    };
    for (field, value) in &headers.typed {
        let Some(text) = value
            .strip_prefix("base64:")
            .and_then(|b64| BASE64.decode(b64.trim()).ok())
            .and_then(|bytes| String::from_utf8(bytes).ok())
        else {
            continue;
        };
        match field.as_str() {
            "To" => draft.to = text,
            "Cc" => draft.cc = text,
            _ => draft.bcc = text,
        }
    }
    draft.attachments = super::attached_files(raw, &parsed);
    draft
}
