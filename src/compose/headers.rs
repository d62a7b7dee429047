//! Header work on built messages: fresh Message-IDs, and the Bcc line that stays home.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// A new Message-ID (no angle brackets) under the domain of `address` (`localhost` when it has
/// none): 128 bits from the clock, the process, a counter and the address, hashed.
#[must_use]
pub fn new_message_id(address: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let domain = address
        .rsplit_once('@')
        .map(|(_, domain)| domain.trim())
        .filter(|domain| !domain.is_empty() && domain.is_ascii() && !domain.contains(['>', ' ']))
        .unwrap_or("localhost");
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut hash = Sha256::new();
    hash.update(nanos.to_le_bytes());
    hash.update(std::process::id().to_le_bytes());
    hash.update(COUNTER.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    hash.update(address.as_bytes());
    let digest = hash.finalize();
    let mut unique = String::with_capacity(32);
    for byte in &digest[..16] {
        let _ = write!(unique, "{byte:02x}");
    }
    format!("{unique}@{domain}")
}

/// The message without its `Bcc` field (and the field's folded lines): what goes on the wire,
/// so Bcc recipients stay unknown to the others. The body is untouched.
#[must_use]
pub fn strip_bcc(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut rest = raw;
    let mut skipping = false;
    while !rest.is_empty() {
        let end = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
        let line = &rest[..end];
        rest = &rest[end..];
        if line == b"\r\n" || line == b"\n" {
            out.extend_from_slice(line);
            out.extend_from_slice(rest);
            break;
        }
        let folded = line.first().is_some_and(|&b| b == b' ' || b == b'\t');
        if !folded {
            skipping = line.len() >= 4 && line[..4].eq_ignore_ascii_case(b"bcc:");
        }
        if !skipping {
            out.extend_from_slice(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcc_and_its_folded_lines_go_and_the_body_stays() {
        let raw = b"From: a@x.org\r\nBcc: one@x.org,\r\n two@x.org\r\nSubject: s\r\n\r\nBcc: in the body\r\n";
        assert_eq!(
            strip_bcc(raw),
            b"From: a@x.org\r\nSubject: s\r\n\r\nBcc: in the body\r\n".to_vec()
        );
    }

    #[test]
    fn ids_are_unique_and_under_the_domain() {
        let a = new_message_id("ada@example.org");
        let b = new_message_id("ada@example.org");
        assert_ne!(a, b);
        assert!(a.ends_with("@example.org") && a.len() == 32 + 12, "{a}");
        assert!(new_message_id("nobody").ends_with("@localhost"));
    }
}
