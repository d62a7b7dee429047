//! Where a document's image comes from: a part of the message (`cid:`), the markup itself
//! (`data:`), or a remote address that is never fetched.

use base64::Engine;
use mail_parser::{MessagePart, MimeHeaders};

/// Largest `data:` image decoded from the markup.
const MAX_DATA_IMAGE: usize = 2 * 1024 * 1024;

/// The bytes behind an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSource {
    /// A part of the message with this Content-ID (no angle brackets).
    ContentId(String),
    /// Bytes written into the markup (`data:image/png;base64,…`).
    Inline {
        /// Their MIME type.
        mime_type: String,
        /// The decoded bytes.
        bytes: Vec<u8>,
    },
    /// An address on the network: named, never loaded.
    Remote(String),
}

impl ImageSource {
    /// Reads an `<img src>`; `None` for what cannot be shown (other schemes, bad data).
    pub(super) fn from_src(src: &str) -> Option<Self> {
        let src = src.trim();
        let scheme_end = src.find(':')?;
        let scheme = src[..scheme_end].to_ascii_lowercase();
        let rest = &src[scheme_end + 1..];
        match scheme.as_str() {
            "cid" => Some(Self::ContentId(percent_decode(rest))),
            "http" | "https" => Some(Self::Remote(src.to_owned())),
            "data" => data_image(rest),
            _ => None,
        }
    }
}

/// `image/png;base64,AAAA` → its bytes; only base64 images up to [`MAX_DATA_IMAGE`].
fn data_image(rest: &str) -> Option<ImageSource> {
    let (header, payload) = rest.split_once(',')?;
    let mut fields = header.split(';');
    let mime_type = fields.next()?.trim().to_ascii_lowercase();
    if !mime_type.starts_with("image/") || !fields.any(|field| field.trim() == "base64") {
        return None;
    }
    if payload.len() / 4 * 3 > MAX_DATA_IMAGE {
        return None;
    }
    let compact: String = payload.split_ascii_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(compact.trim_end_matches('='))
        .or_else(|_| {
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(compact.trim_end_matches('='))
        })
        .ok()?;
    Some(ImageSource::Inline { mime_type, bytes })
}

/// `%3C` → `<`: Content-ID URLs are percent-encoded (RFC 2392).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                index += 3;
            }
            (byte, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// An image part of the message, which a `cid:` reference may name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InlinePart {
    /// Its Content-ID without angle brackets, when it has one.
    pub content_id: Option<String>,
    /// Its file name, when it has one.
    pub name: Option<String>,
    /// Its MIME type, lowercase.
    pub mime_type: String,
    /// Its decoded bytes.
    pub bytes: Vec<u8>,
}

impl InlinePart {
    /// The image part `part` of a message.
    pub(super) fn new(part: &MessagePart<'_>) -> Self {
        let mime_type = part.content_type().map_or_else(
            || "application/octet-stream".to_owned(),
            |content_type| match content_type.subtype() {
                Some(subtype) => format!("{}/{subtype}", content_type.ctype()),
                None => content_type.ctype().to_owned(),
            },
        );
        Self {
            content_id: part.content_id().map(content_id_of),
            name: part.attachment_name().map(str::to_owned),
            mime_type: mime_type.to_ascii_lowercase(),
            bytes: part.contents().to_vec(),
        }
    }

    /// True when `id` (from a `cid:` URL) names this part.
    #[must_use]
    pub fn has_content_id(&self, id: &str) -> bool {
        self.content_id.as_deref() == Some(content_id_of(id).as_str())
    }
}

/// A Content-ID as compared: no angle brackets, no surrounding white space.
#[must_use]
pub fn content_id_of(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_by_scheme() {
        assert_eq!(
            ImageSource::from_src("cid:logo%40example.com"),
            Some(ImageSource::ContentId("logo@example.com".to_owned()))
        );
        assert_eq!(
            ImageSource::from_src(" HTTPS://cdn.example/p.png"),
            Some(ImageSource::Remote("HTTPS://cdn.example/p.png".to_owned()))
        );
        assert_eq!(
            ImageSource::from_src("data:image/gif;base64,R0lG\nODlh"),
            Some(ImageSource::Inline {
                mime_type: "image/gif".to_owned(),
                bytes: b"GIF89a".to_vec()
            })
        );
        assert_eq!(ImageSource::from_src("data:text/html;base64,PGI+"), None);
        assert_eq!(ImageSource::from_src("javascript:alert(1)"), None);
        assert_eq!(ImageSource::from_src("logo.png"), None);
        assert_eq!(
            percent_decode("a%2"),
            "a%2",
            "a cut escape stays as written"
        );
    }
}
