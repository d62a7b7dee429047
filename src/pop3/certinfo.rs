//! What a server certificate says, for a "Trust this certificate?" dialog:
//! SHA-256 fingerprint plus subject, issuer and validity from a minimal DER reader.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// A SHA-256 certificate fingerprint; displays as `AB:CD:…` (32 pairs).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    /// Fingerprint of a DER-encoded certificate.
    pub fn of_der(der: &[u8]) -> Fingerprint {
        Fingerprint(Sha256::digest(der).into())
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, byte) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(":")?;
            }
            write!(f, "{byte:02X}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({self})")
    }
}

/// Error for a fingerprint string that is not 32 hex bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot parse fingerprint: expected 64 hex digits, optionally separated by ':'")]
pub struct FingerprintParseError;

impl FromStr for Fingerprint {
    type Err = FingerprintParseError;

    /// Accepts `AB:CD:…` or plain hex, any case.
    fn from_str(text: &str) -> Result<Fingerprint, FingerprintParseError> {
        let digits: Vec<u8> = text.bytes().filter(|&b| b != b':').collect();
        if digits.len() != 64 {
            return Err(FingerprintParseError);
        }
        let mut out = [0u8; 32];
        for (slot, pair) in out.iter_mut().zip(digits.chunks(2)) {
            let hex = std::str::from_utf8(pair).map_err(|_| FingerprintParseError)?;
            *slot = u8::from_str_radix(hex, 16).map_err(|_| FingerprintParseError)?;
        }
        Ok(Fingerprint(out))
    }
}

/// What a field of a certificate that cannot be parsed reads as.
pub const UNREADABLE: &str = "(unreadable)";

/// The facts about a certificate a user needs to decide whether to trust it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// SHA-256 of the DER encoding; what gets pinned.
    pub fingerprint: Fingerprint,
    /// Subject name, e.g. `CN=localhost, O=Example`.
    pub subject: String,
    /// Issuer name in the same form.
    pub issuer: String,
    /// Start of validity, `YYYY-MM-DD HH:MM:SS UTC`.
    pub not_before: String,
    /// End of validity, `YYYY-MM-DD HH:MM:SS UTC`.
    pub not_after: String,
    /// The fingerprint the user trusted for this account until now, when this certificate
    /// differs from it (the certificate changed); `None` for a certificate never trusted.
    pub previously_trusted: Option<Fingerprint>,
    /// Why this computer does not trust it, when the check said.
    pub distrust: Option<Distrust>,
}

/// Why a certificate is not trusted, as the system's check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distrust {
    /// Issued by itself: no authority vouches for it (common for home and work servers).
    SelfSigned,
    /// Issued by an authority this computer does not know.
    UnknownIssuer,
    /// Issued for another server name than the one dialled.
    WrongName,
    /// Its validity ended.
    Expired,
    /// Its validity has not started.
    NotYetValid,
    /// Its issuer revoked it.
    Revoked,
    /// Another problem with it.
    Other,
}

impl Distrust {
    /// One sentence for the certificate prompt.
    #[must_use]
    pub fn explanation(self) -> &'static str {
        match self {
            Self::SelfSigned => {
                "It is self-signed: it vouches for itself, and no authority this computer \
                 trusts has checked it. Home and work servers often use one."
            }
            Self::UnknownIssuer => {
                "It was issued by an authority this computer does not know (a company's own \
                 authority, or one missing from this system)."
            }
            Self::WrongName => {
                "It was issued for another server name than the one in the account settings: \
                 check the server name, or ask your provider for the right one."
            }
            Self::Expired => {
                "It has expired: the server's administrator has not renewed it (or this \
                 computer's clock is wrong)."
            }
            Self::NotYetValid => "It is not valid yet: check this computer's date and time.",
            Self::Revoked => {
                "Its issuer has revoked it: do not trust it unless the server's administrator \
                 tells you to."
            }
            Self::Other => "The system could not verify it.",
        }
    }
}

impl CertificateInfo {
    /// Describes a DER certificate; unreadable fields become `(unreadable)`.
    pub fn from_der(der: &[u8]) -> CertificateInfo {
        let fields = parse_tbs(der);
        let unreadable = || UNREADABLE.to_string();
        let (subject, issuer, not_before, not_after) = match fields {
            Some(f) => (f.subject, f.issuer, f.not_before, f.not_after),
            None => (unreadable(), unreadable(), unreadable(), unreadable()),
        };
        CertificateInfo {
            fingerprint: Fingerprint::of_der(der),
            subject,
            issuer,
            not_before,
            not_after,
            previously_trusted: None,
            distrust: None,
        }
    }
}

struct TbsFields {
    subject: String,
    issuer: String,
    not_before: String,
    not_after: String,
}

const SEQUENCE: u8 = 0x30;
const SET: u8 = 0x31;
const OID: u8 = 0x06;
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;
const EXPLICIT_0: u8 = 0xa0;

/// Splits one DER TLV off `input`: (tag, contents, rest).
fn tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 || rest.len() < count {
            return None;
        }
        let len = rest[..count]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        rest = &rest[count..];
        len
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

fn tagged(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (t, body, rest) = tlv(input)?;
    (t == tag).then_some((body, rest))
}

fn parse_tbs(der: &[u8]) -> Option<TbsFields> {
    let (cert, _) = tagged(der, SEQUENCE)?;
    let (tbs, _) = tagged(cert, SEQUENCE)?;
    let mut rest = tbs;
    if rest.first() == Some(&EXPLICIT_0) {
        rest = tlv(rest)?.2;
    }
    let (_serial, _, rest) = tlv(rest)?;
    let (_sig_alg, rest) = tagged(rest, SEQUENCE)?;
    let (issuer, rest) = tagged(rest, SEQUENCE)?;
    let (validity, rest) = tagged(rest, SEQUENCE)?;
    let (subject, _) = tagged(rest, SEQUENCE)?;
    let (t1, v1, validity) = tlv(validity)?;
    let (t2, v2, _) = tlv(validity)?;
    Some(TbsFields {
        subject: format_name(subject)?,
        issuer: format_name(issuer)?,
        not_before: format_time(t1, v1)?,
        not_after: format_time(t2, v2)?,
    })
}

/// Formats an X.501 Name as `CN=…, O=…` in encoding order.
fn format_name(mut name: &[u8]) -> Option<String> {
    let mut parts = Vec::new();
    while !name.is_empty() {
        let (mut rdn, rest) = tagged(name, SET)?;
        name = rest;
        while !rdn.is_empty() {
            let (atv, rest) = tagged(rdn, SEQUENCE)?;
            rdn = rest;
            let (oid, value) = tagged(atv, OID)?;
            let (_, text, _) = tlv(value)?;
            let text: String = String::from_utf8_lossy(text)
                .chars()
                .filter(|c| !c.is_control())
                .collect();
            parts.push(format!("{}={}", attribute_name(oid), text));
        }
    }
    Some(parts.join(", "))
}

fn attribute_name(oid: &[u8]) -> String {
    match oid {
        [0x55, 0x04, 0x03] => "CN".into(),
        [0x55, 0x04, 0x06] => "C".into(),
        [0x55, 0x04, 0x07] => "L".into(),
        [0x55, 0x04, 0x08] => "ST".into(),
        [0x55, 0x04, 0x0a] => "O".into(),
        [0x55, 0x04, 0x0b] => "OU".into(),
        [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01] => "emailAddress".into(),
        _ => dotted_oid(oid),
    }
}

fn dotted_oid(oid: &[u8]) -> String {
    let mut arcs: Vec<u64> = Vec::new();
    let mut value: u64 = 0;
    for &b in oid {
        value = (value << 7) | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if arcs.is_empty() {
                let first = (value / 40).min(2);
                arcs.push(first);
                arcs.push(value - first * 40);
            } else {
                arcs.push(value);
            }
            value = 0;
        }
    }
    let texts: Vec<String> = arcs.iter().map(u64::to_string).collect();
    texts.join(".")
}

/// Formats `UTCTime` / `GeneralizedTime` (Z form) as `YYYY-MM-DD HH:MM:SS UTC`.
fn format_time(tag: u8, value: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(value).ok()?;
    let digits = text.strip_suffix('Z')?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let full = match (tag, digits.len()) {
        (UTC_TIME, 12) => {
            let yy: u32 = digits[..2].parse().ok()?;
            let century = if yy >= 50 { "19" } else { "20" };
            format!("{century}{digits}")
        }
        (GENERALIZED_TIME, 14) => digits.to_string(),
        _ => return None,
    };
    Some(format!(
        "{}-{}-{} {}:{}:{} UTC",
        &full[0..4],
        &full[4..6],
        &full[6..8],
        &full[8..10],
        &full[10..12],
        &full[12..14]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprint_formats_and_parses() {
        let mut bytes = [0u8; 32];
        bytes[0] = 0xab;
        bytes[31] = 0x01;
        let fp = Fingerprint(bytes);
        let text = fp.to_string();
        assert_eq!(text.len(), 32 * 3 - 1);
        assert!(text.starts_with("AB:00:"));
        assert!(text.ends_with(":01"));
        assert_eq!(text.parse::<Fingerprint>().unwrap(), fp);
        assert_eq!(
            text.replace(':', "")
                .to_lowercase()
                .parse::<Fingerprint>()
                .unwrap(),
            fp
        );
        assert!("AB:CD".parse::<Fingerprint>().is_err());
        assert!("zz".repeat(32).parse::<Fingerprint>().is_err());
    }

    #[test]
    fn fingerprint_of_empty_input_is_sha256_of_nothing() {
        assert!(
            Fingerprint::of_der(b"")
                .to_string()
                .starts_with("E3:B0:C4:42:98:FC:1C:14")
        );
    }

    #[test]
    fn formats_times() {
        assert_eq!(
            format_time(UTC_TIME, b"250102030405Z").unwrap(),
            "2025-01-02 03:04:05 UTC"
        );
        assert_eq!(
            format_time(UTC_TIME, b"991231235959Z").unwrap(),
            "1999-12-31 23:59:59 UTC"
        );
        assert_eq!(
            format_time(GENERALIZED_TIME, b"20500101000000Z").unwrap(),
            "2050-01-01 00:00:00 UTC"
        );
        assert!(format_time(UTC_TIME, b"2501").is_none());
    }

    #[test]
    fn formats_names_and_oids() {
        // SET { SEQ { OID 2.5.4.3, UTF8String "localhost" } }
        let mut name = vec![
            0x31, 0x12, 0x30, 0x10, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x09,
        ];
        name.extend_from_slice(b"localhost");
        assert_eq!(format_name(&name).unwrap(), "CN=localhost");
        assert_eq!(dotted_oid(&[0x2b, 0x06, 0x01]), "1.3.6.1");
    }

    #[test]
    fn garbage_is_unreadable_not_a_panic() {
        let info = CertificateInfo::from_der(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff, 0x00]);
        assert_eq!(info.subject, "(unreadable)");
        let info = CertificateInfo::from_der(&[]);
        assert_eq!(info.issuer, "(unreadable)");
    }
}
