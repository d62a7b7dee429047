//! Writing mail: what a compose window holds ([`Draft`]), how it becomes RFC 5322 / MIME bytes
//! ([`build`], with mail-builder), and the drafts a reply or a forward starts from (`answer`).
//!
//! Pure: no store, no network. The Outbox (store) keeps what [`build`] makes; `outbox` sends it.

mod address;
mod answer;
pub mod flowed;
mod headers;
mod reopen;

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mail_builder::MessageBuilder;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::message_id::MessageId as MessageIdHeader;
use mail_builder::headers::raw::Raw;
use mail_builder::mime::{BodyPart, MimePart};

pub use address::{BadAddress, Mailbox, format_list, parse_list};
pub use answer::{ForwardStyle, forward, new_body, reply};
pub use headers::{new_message_id, strip_bcc};
pub use reopen::reopen;

/// Largest attachment accepted, per file: larger mail is refused by most servers anyway.
pub const MAX_ATTACHMENT_BYTES: u64 = 50 * 1024 * 1024;

/// A file attached to a message.
#[derive(Clone, PartialEq, Eq)]
pub struct Attachment {
    /// File name as the recipient sees it.
    pub name: String,
    /// MIME type, e.g. `application/pdf`.
    pub mime_type: String,
    /// The exact contents.
    pub bytes: Vec<u8>,
}

// By hand: the contents are mail, never printed.
impl std::fmt::Debug for Attachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Attachment")
            .field("name", &self.name)
            .field("mime_type", &self.mime_type)
            .field("bytes", &self.bytes.len())
            .finish()
    }
}

/// Everything a compose window holds, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Draft {
    /// `To`, as typed (comma separated).
    pub to: String,
    /// `Cc`, as typed.
    pub cc: String,
    /// `Bcc`, as typed: sent to, never shown to the other recipients.
    pub bcc: String,
    /// Subject.
    pub subject: String,
    /// Plain text body, `\n` line ends.
    pub body: String,
    /// Attached files, in order.
    pub attachments: Vec<Attachment>,
    /// The Message-ID this answers (no angle brackets).
    pub in_reply_to: Option<String>,
    /// The conversation's Message-IDs, oldest first (no angle brackets).
    pub references: Vec<String>,
}

/// What a built message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// To send: the body travels `format=flowed`; every recipient must be an address.
    Send,
    /// To keep in Drafts: the body exactly as typed, so reopening gives it back; recipients
    /// that are not yet addresses are kept as typed in an `X-Satchel-Draft-*` header.
    Draft,
}

/// Why a draft cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    /// A recipient is not an address.
    #[error("{field}: {source}")]
    BadRecipient {
        /// "To", "Cc" or "Bcc".
        field: &'static str,
        /// Which and why.
        source: BadAddress,
    },
    /// Nobody to send to.
    #[error("Add at least one recipient.")]
    NoRecipients,
    /// The sender's own address is not an address.
    #[error("The account's address: {0}")]
    BadSender(BadAddress),
}

/// A message ready to store and send.
#[derive(Clone, PartialEq, Eq)]
pub struct Built {
    /// RFC 5322 bytes, CRLF line ends (Bcc included; [`strip_bcc`] removes it for the wire).
    pub raw: Vec<u8>,
    /// Every recipient address: To, Cc and Bcc, each once.
    pub recipients: Vec<String>,
}

impl std::fmt::Debug for Built {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Built")
            .field("raw", &self.raw.len())
            .field("recipients", &self.recipients.len())
            .finish()
    }
}

/// The headers that vary with time and place, chosen by the caller (tests fix them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// `Date` header value (RFC 5322, the writer's local offset).
    pub date: String,
    /// `Message-ID` without angle brackets, under the account's domain.
    pub message_id: String,
}

impl Stamp {
    /// Now, in `zone`, with a fresh id under `from`'s domain.
    #[must_use]
    pub fn now(from: &str, zone: &jiff::tz::TimeZone) -> Self {
        let now = jiff::Timestamp::now().to_zoned_datetime(zone.clone());
        Self {
            date: now.strftime("%a, %d %b %Y %H:%M:%S %z").to_string(),
            message_id: new_message_id(from),
        }
    }
}

fn mailbox_header(list: &[Mailbox]) -> Address<'_> {
    Address::new_list(
        list.iter()
            .map(|m| {
                let name = (!m.name.is_empty()).then_some(m.name.as_str());
                Address::new_address(name, m.addr.as_str())
            })
            .collect(),
    )
}

/// Builds the message `from` writes. Draft purposes keep what was typed even where it is not an
/// address yet; sending refuses it with the field and the reason.
///
/// # Errors
/// [`ComposeError`] when sending and a recipient or the sender is not an address, or nobody is
/// named.
pub fn build(
    draft: &Draft,
    from: &Mailbox,
    stamp: &Stamp,
    purpose: Purpose,
) -> Result<Built, ComposeError> {
    let mut lists: Vec<(&'static str, Vec<Mailbox>, &str)> = Vec::new();
    let mut unparsed: Vec<(&'static str, &str)> = Vec::new();
    for (field, text) in [("To", &draft.to), ("Cc", &draft.cc), ("Bcc", &draft.bcc)] {
        match parse_list(text) {
            Ok(list) => lists.push((field, list, text)),
            Err(source) if purpose == Purpose::Draft => {
                unparsed.push((field, text));
                lists.push((field, Vec::new(), text));
                let _ = source;
            }
            Err(source) => return Err(ComposeError::BadRecipient { field, source }),
        }
    }
    if purpose == Purpose::Send {
        parse_list(&from.addr).map_err(ComposeError::BadSender)?;
    }
    let mut recipients: Vec<String> = Vec::new();
    for (_, list, _) in &lists {
        for mailbox in list {
            if !recipients.iter().any(|r| mailbox.same_address(r)) {
                recipients.push(mailbox.addr.clone());
            }
        }
    }
    if purpose == Purpose::Send && recipients.is_empty() {
        return Err(ComposeError::NoRecipients);
    }

    let from_name = (!from.name.is_empty()).then_some(from.name.as_str());
    let mut message = MessageBuilder::new()
        .header("Date", Raw::new(stamp.date.as_str()))
        .from(Address::new_address(from_name, from.addr.as_str()))
        .message_id(stamp.message_id.as_str());
    for (field, list, _) in &lists {
        if list.is_empty() {
            continue;
        }
        let header = mailbox_header(list);
        message = match *field {
            "To" => message.to(header),
            "Cc" => message.cc(header),
            _ => message.bcc(header),
        };
    }
    for (field, text) in unparsed {
        message = message.header(
            format!("X-Satchel-Draft-{field}"),
            Raw::new(format!("base64:{}", BASE64.encode(text))),
        );
    }
    message = message.subject(draft.subject.as_str());
    if let Some(parent) = &draft.in_reply_to {
        message = message.in_reply_to(parent.as_str());
    }
    if !draft.references.is_empty() {
        message = message.references(MessageIdHeader::new_list(
            draft.references.iter().map(String::as_str),
        ));
    }
    message = message.header(
        "User-Agent",
        Raw::new(concat!("Satchel/", env!("CARGO_PKG_VERSION"))),
    );

    let text = match purpose {
        Purpose::Send => MimePart::new(
            ContentType::new("text/plain")
                .attribute("charset", "utf-8")
                .attribute("format", "flowed"),
            BodyPart::Text(Cow::Owned(flowed::encode(&draft.body))),
        ),
        Purpose::Draft => MimePart::new(
            ContentType::new("text/plain").attribute("charset", "utf-8"),
            BodyPart::Text(Cow::Borrowed(draft.body.as_str())),
        ),
    };
    let body = if draft.attachments.is_empty() {
        text
    } else {
        let mut parts = vec![text];
        for attachment in &draft.attachments {
            parts.push(attachment_part(attachment));
        }
        MimePart::new("multipart/mixed", parts)
    };
    let raw = message.body(body).write_to_vec().unwrap_or_default();
    Ok(Built { raw, recipients })
}

/// One attached file; a forwarded message (`message/rfc822`) travels unencoded, as RFC 2046
/// requires, every other part as mail-builder chooses (base64 for binary data).
fn attachment_part(attachment: &Attachment) -> MimePart<'_> {
    let content_type = ContentType::new(attachment.mime_type.as_str());
    if attachment.mime_type.eq_ignore_ascii_case("message/rfc822") {
        let encoding = if attachment.bytes.is_ascii() {
            "7bit"
        } else {
            "8bit"
        };
        return MimePart::new(
            content_type,
            BodyPart::Binary(Cow::Borrowed(&attachment.bytes)),
        )
        .attachment(attachment.name.as_str())
        .transfer_encoding(encoding);
    }
    MimePart::new(
        content_type,
        BodyPart::Binary(Cow::Borrowed(&attachment.bytes)),
    )
    .attachment(attachment.name.as_str())
}

#[cfg(test)]
mod tests;

/// The real attachments of `raw` (inline parts left out) with their decoded bytes, one parse.
fn attached_files(raw: &[u8], parsed: &crate::message::ParsedMessage) -> Vec<Attachment> {
    let indices: Vec<usize> = (0..parsed.attachments.len()).collect();
    let contents = crate::message::attachments_bytes(raw, &indices);
    parsed
        .attachments
        .iter()
        .zip(contents)
        .filter(|(info, _)| info.is_attachment)
        .filter_map(|(info, bytes)| {
            Some(Attachment {
                name: info.name.clone(),
                mime_type: info.mime_type.clone(),
                bytes: bytes?,
            })
        })
        .collect()
}

/// A MIME type for a file name, from its extension; `application/octet-stream` when unknown.
#[must_use]
pub fn guess_mime_type(name: &str) -> &'static str {
    let extension = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "txt" | "text" | "log" => "text/plain",
        "csv" => "text/csv",
        "html" | "htm" => "text/html",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "zip" => "application/zip",
        "gz" => "application/gzip",
        "json" => "application/json",
        "xml" => "application/xml",
        "eml" => "message/rfc822",
        "ics" => "text/calendar",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        _ => "application/octet-stream",
    }
}
