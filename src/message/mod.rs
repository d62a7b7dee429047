//! Raw RFC 5322 bytes → summary, readable body, attachments (mail-parser).
//!
//! Parsing never rejects a message: whatever cannot be parsed still yields a best-effort
//! [`ParsedMessage`], so the raw bytes can be stored and shown.

mod address;
mod body;
mod date_headers;
mod delivery;
pub mod document;
mod eight_bit_headers;
mod embedded;
mod fallback;
mod flat;
pub mod flowed;
mod html;
mod sender;
mod stub;

use std::panic::{AssertUnwindSafe, catch_unwind};

use mail_parser::{HeaderValue, MimeHeaders};

use flat::FlatMessage;

pub use body::{html_to_text, make_snippet};
pub use date_headers::MAX_RECEIVED_DATES;
pub use embedded::{EmbeddedKind, EmbeddedPart};
pub use sender::Sender;

pub use address::{AddressHeaders, NamedAddress, address_headers};

/// Longest body text kept for reading and indexing; longer bodies are cut (at a char boundary).
pub const MAX_BODY_TEXT: usize = 512 * 1024;

/// What Satchel needs to know about a message, decoded from its raw bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedMessage {
    /// Decoded subject; empty when the message has none.
    pub subject: String,
    /// Display name of the sender (may be empty).
    pub from_name: String,
    /// Address of the sender (may be empty).
    pub from_addr: String,
    /// Recipients in `To`, formatted `Name <addr>, …`.
    pub to: String,
    /// Recipients in `Cc`, formatted `Name <addr>, …`.
    pub cc: String,
    /// `Date` header as Unix seconds, when present and valid.
    pub date: Option<i64>,
    /// The `Date` header's offset east of UTC in seconds (`-0500` is -18,000): the sender's
    /// own clock. Set exactly when `date` is.
    pub date_offset: Option<i32>,
    /// Valid dates of the `Received` headers, newest hop first (at most
    /// [`MAX_RECEIVED_DATES`]): the fallback for a missing or malformed `Date`.
    pub received_dates: Vec<i64>,
    /// `Message-ID` without angle brackets.
    pub message_id: Option<String>,
    /// `In-Reply-To` ids, space separated.
    pub in_reply_to: Option<String>,
    /// `References` ids, space separated.
    pub references: Option<String>,
    /// Readable body: text/plain, else HTML converted to text.
    pub body_text: String,
    /// A short single-line preview of the body.
    pub snippet: String,
    /// Attachments in message order.
    pub attachments: Vec<AttachmentInfo>,
    /// False when mail-parser could not make sense of the message and fields were scraped.
    pub well_formed: bool,
    /// Forwarded messages and delivery reports inside it, read inline (their text also ends
    /// [`Self::body_text`], so search finds it).
    pub embedded: Vec<EmbeddedPart>,
    /// Where the message's own text ends in [`Self::body_text`] and the embedded parts' text
    /// begins; `None` when it holds no embedded text.
    pub own_text_len: Option<usize>,
}

impl ParsedMessage {
    /// Who sent it, as lists and `From` lines show it.
    #[must_use]
    pub fn sender(&self) -> Sender<'_> {
        Sender::new(&self.from_name, &self.from_addr)
    }

    /// The date to list the message under, given when it was downloaded (`received_at`): the
    /// `Date` header, else the newest `Received` date not after `received_at`, else
    /// `received_at` itself.
    #[must_use]
    pub fn date_or_received(&self, received_at: i64) -> i64 {
        date_headers::effective_date(self.date, &self.received_dates, received_at)
    }
}

/// Name, type and decoded size of one attachment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    /// File name from the message, or a generated `attachment-N` name.
    pub name: String,
    /// MIME type, e.g. `application/pdf`.
    pub mime_type: String,
    /// Decoded size in bytes.
    pub size: u64,
    /// True for a real attachment, false for an inline part such as an embedded image.
    pub is_attachment: bool,
    /// Its Content-ID without angle brackets (how HTML names it with `cid:`), when it has one.
    pub content_id: Option<String>,
}

impl ParsedMessage {
    /// The subject to show, with a placeholder for messages that have none.
    #[must_use]
    pub fn display_subject(&self) -> &str {
        display_subject(&self.subject)
    }

    /// The body text without the embedded parts' text (the reader shows those apart).
    #[must_use]
    pub fn own_text(&self) -> &str {
        self.own_text_len
            .and_then(|len| self.body_text.get(..len))
            .unwrap_or(&self.body_text)
    }

    /// True when the message carries at least one real (non-inline) attachment.
    #[must_use]
    pub fn has_attachments(&self) -> bool {
        self.attachments
            .iter()
            .any(|attachment| attachment.is_attachment)
    }
}

/// The subject to show for a stored subject, with `(no subject)` for an empty one.
#[must_use]
pub fn display_subject(subject: &str) -> &str {
    if subject.trim().is_empty() {
        "(no subject)"
    } else {
        subject
    }
}

/// Parses raw message bytes. `envelope_from` (an mbox `From ` line or POP3 account) is the
/// sender of last resort when the message names none.
#[must_use]
pub fn parse(raw: &[u8], envelope_from: Option<&str>) -> ParsedMessage {
    let raw = &*eight_bit_headers::transcode(raw);
    // mail-parser is fuzzed upstream, but a panic here must never cost a message.
    let parsed = catch_unwind(AssertUnwindSafe(|| {
        parse_without_decoding_large_runs(raw).or_else(|| parse_with_mail_parser(raw, None))
    }))
    .ok()
    .flatten()
    .unwrap_or_else(|| fallback::scrape(raw));
    finish(parsed, envelope_from)
}

/// Parses a large message with its long base64 runs stubbed out (see [`stub`]); `None` when
/// it is small, has no long runs, or a run was not a whole attachment.
fn parse_without_decoding_large_runs(raw: &[u8]) -> Option<ParsedMessage> {
    let stubbed = stub::stub_large_runs(raw)?;
    let parsed = parse_with_mail_parser(&stubbed.bytes, Some(&stubbed.decoded_sizes))?;
    let replaced_whole_attachments = parsed.attachments.len() >= stubbed.decoded_sizes.len()
        && !stub::mentions_marker(&parsed.body_text)
        && !stub::mentions_marker(&parsed.subject);
    replaced_whole_attachments.then_some(parsed)
}

/// The decoded bytes of the attachment at `index` in [`ParsedMessage::attachments`], or `None`
/// when the message has no such part (or cannot be parsed).
#[must_use]
pub fn attachment_bytes(raw: &[u8], index: usize) -> Option<Vec<u8>> {
    catch_unwind(AssertUnwindSafe(|| {
        let raw = eight_bit_headers::transcode(raw);
        let message = FlatMessage::parse(&raw)?;
        let part = message.attachments().nth(index)?;
        Some(part.contents().to_vec())
    }))
    .ok()
    .flatten()
}

/// The decoded bytes of the attachments at `indices` (one parse for all), in that order;
/// `None` for an index the message has no part at.
#[must_use]
pub fn attachments_bytes(raw: &[u8], indices: &[usize]) -> Vec<Option<Vec<u8>>> {
    catch_unwind(AssertUnwindSafe(|| {
        let raw = eight_bit_headers::transcode(raw);
        let Some(message) = FlatMessage::parse(&raw) else {
            return vec![None; indices.len()];
        };
        let parts: Vec<_> = message.attachments().collect();
        indices
            .iter()
            .map(|index| parts.get(*index).map(|part| part.contents().to_vec()))
            .collect()
    }))
    .unwrap_or_else(|_| vec![None; indices.len()])
}

fn finish(mut parsed: ParsedMessage, envelope_from: Option<&str>) -> ParsedMessage {
    if parsed.from_addr.is_empty()
        && parsed.from_name.is_empty()
        && let Some(sender) = envelope_from.filter(|sender| !sender.is_empty())
    {
        sender.clone_into(&mut parsed.from_addr);
    }
    if parsed.snippet.is_empty() {
        parsed.snippet = make_snippet(&parsed.body_text);
    }
    parsed
}

/// Parses with mail-parser. `stub_sizes`: the decoded sizes of stubbed runs; every one must be
/// found as a whole attachment, else `None`.
fn parse_with_mail_parser(raw: &[u8], stub_sizes: Option<&[u64]>) -> Option<ParsedMessage> {
    let message = FlatMessage::parse(raw)?;
    if message.headers().is_empty() {
        // Not a mail at all (binary or text without a header block): treat as raw text.
        return None;
    }
    let (from_name, from_addr) = message
        .from()
        .map(address::first_sender)
        .unwrap_or_default();
    let mut stubs_found = 0;
    let attachments: Vec<AttachmentInfo> = message
        .attachments()
        .enumerate()
        .map(|(index, part)| AttachmentInfo {
            name: part.attachment_name().map_or_else(
                || {
                    embedded::attachment_name(part)
                        .unwrap_or_else(|| format!("attachment-{}", index + 1))
                },
                str::to_owned,
            ),
            mime_type: part.content_type().map_or_else(
                || "application/octet-stream".to_owned(),
                |content_type| match content_type.subtype() {
                    Some(subtype) => format!("{}/{}", content_type.ctype(), subtype).to_lowercase(),
                    None => content_type.ctype().to_lowercase(),
                },
            ),
            size: match stub_sizes.and_then(|sizes| sizes.get(stub::marker_index(part.contents())?))
            {
                Some(size) => {
                    stubs_found += 1;
                    *size
                }
                None => part.len() as u64,
            },
            is_attachment: is_real_attachment(part),
            content_id: part.content_id().map(document::content_id_of),
        })
        .collect();
    if stub_sizes.is_some_and(|sizes| sizes.len() != stubs_found) {
        return None;
    }
    let (date, date_offset) = date_headers::date_header(&message);
    let mut render_budget = html::MAX_RENDER_COST;
    let mut body_text = body::readable_body(&message, &mut render_budget);
    let embedded = embedded::collect(&message, &mut render_budget);
    let own_text_len = (!embedded.is_empty()).then_some(body_text.len());
    if own_text_len.is_some() {
        body_text.push_str(&embedded::as_text(&embedded));
        body::truncate_at_char(&mut body_text, MAX_BODY_TEXT);
    }
    Some(ParsedMessage {
        subject: message.subject().unwrap_or_default().trim().to_owned(),
        from_name,
        from_addr,
        to: message.to().map(address::format_list).unwrap_or_default(),
        cc: message.cc().map(address::format_list).unwrap_or_default(),
        date,
        date_offset,
        received_dates: date_headers::received_dates(&message),
        message_id: message.message_id().map(str::to_owned),
        in_reply_to: id_list(message.in_reply_to()),
        references: id_list(message.references()),
        body_text,
        snippet: String::new(),
        attachments,
        well_formed: true,
        embedded,
        own_text_len,
    })
}

/// Thunderbird's rule of thumb: declared attachments count, inline parts and unnamed text do not.
fn is_real_attachment(part: &mail_parser::MessagePart<'_>) -> bool {
    match part.content_disposition() {
        Some(disposition) if disposition.is_attachment() => true,
        Some(disposition) if disposition.is_inline() => false,
        _ => part.attachment_name().is_some() || !part.is_text(),
    }
}

fn id_list(value: &HeaderValue<'_>) -> Option<String> {
    match value {
        HeaderValue::Text(id) => Some(id.to_string()),
        HeaderValue::TextList(ids) => Some(ids.join(" ")),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
