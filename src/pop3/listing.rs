//! LIST and UIDL joined into one listing that survives a misbehaving server: a line that breaks
//! RFC 1939 costs that one message (reported as a [`ListingAnomaly`]), never the whole mailbox,
//! and an id is never shortened.

use std::collections::HashMap;
use std::fmt;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::error::Pop3Error;
use super::reply::describe;
use super::session::{MessageInfo, Session};

/// Largest size a LIST line may announce: what a signed 64-bit integer holds (SQLite's limit).
const MAX_ANNOUNCED_SIZE: u64 = i64::MAX as u64;

/// Longest id RFC 1939 allows.
const MAX_UID_LEN: usize = 70;

/// Prefix of the stable id Satchel makes for an id that breaks RFC 1939.
pub const DIGEST_UID_PREFIX: &str = "satchel-uid-sha256-";

/// LIST and UIDL joined by message number.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Listing {
    /// Messages with a usable size and id, sorted by number.
    pub messages: Vec<MessageInfo>,
    /// What did not fit RFC 1939, in message-number order.
    pub anomalies: Vec<ListingAnomaly>,
}

/// One way a listing broke RFC 1939.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListingAnomaly {
    /// LIST has the message, UIDL does not: skipped (it cannot be told apart from others).
    MissingFromUidl {
        /// Message number.
        number: u32,
    },
    /// UIDL has the message, LIST does not: skipped.
    MissingFromList {
        /// Message number.
        number: u32,
    },
    /// LIST announced a size that is not a number below 2^63: skipped.
    ImpossibleSize {
        /// Message number.
        number: u32,
    },
    /// The id has spaces, control bytes or more than 70 characters: kept whole, as a digest of
    /// every byte the server sent (never a shortened id).
    NonstandardUid {
        /// Message number.
        number: u32,
    },
}

impl ListingAnomaly {
    /// True when the message was left out of [`Listing::messages`].
    pub fn skipped(&self) -> bool {
        !matches!(self, Self::NonstandardUid { .. })
    }
}

impl fmt::Display for ListingAnomaly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingFromUidl { number } => write!(
                f,
                "message {number} is in the server's LIST but not its UIDL listing; skipped"
            ),
            Self::MissingFromList { number } => write!(
                f,
                "message {number} is in the server's UIDL listing but not its LIST; skipped"
            ),
            Self::ImpossibleSize { number } => write!(
                f,
                "the server announced an impossible size for message {number}; skipped"
            ),
            Self::NonstandardUid { number } => write!(
                f,
                "the server's id for message {number} breaks RFC 1939 (spaces, control \
                 characters or too long); Satchel keeps all of it as a digest"
            ),
        }
    }
}

/// One LIST line: the size is `None` when it is not a number below 2^63.
pub(super) fn parse_list_line(line: &[u8]) -> Result<(u32, Option<u64>), Pop3Error> {
    let (number, rest) = split_number(line, "LIST")?;
    let size = std::str::from_utf8(rest)
        .ok()
        .and_then(|text| text.split_ascii_whitespace().next())
        .and_then(|text| text.parse::<u64>().ok())
        .filter(|&size| size <= MAX_ANNOUNCED_SIZE);
    Ok((number, size))
}

/// One UIDL line: the id as sent when it follows RFC 1939, else a digest of all of it;
/// `None` when the line has no id at all.
pub(super) fn parse_uidl_line(line: &[u8]) -> Result<(u32, Option<Uid>), Pop3Error> {
    let (number, rest) = split_number(line, "UIDL")?;
    let id = rest.trim_ascii();
    if id.is_empty() {
        return Ok((number, None));
    }
    let standard = id.len() <= MAX_UID_LEN && id.iter().all(|b| (0x21..=0x7e).contains(b));
    let uid = if standard {
        Uid::Standard(String::from_utf8_lossy(id).into_owned())
    } else {
        Uid::Digest(digest_uid(id))
    };
    Ok((number, Some(uid)))
}

/// An id as Satchel keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Uid {
    /// As the server sent it.
    Standard(String),
    /// A digest of an id that breaks RFC 1939.
    Digest(String),
}

/// A stable id for every byte of a nonstandard one.
fn digest_uid(id: &[u8]) -> String {
    let mut uid = String::from(DIGEST_UID_PREFIX);
    for byte in Sha256::digest(id).iter().take(20) {
        let _ = write!(uid, "{byte:02x}");
    }
    uid
}

/// The message number at the start of a listing line, and what follows it.
fn split_number<'a>(line: &'a [u8], command: &str) -> Result<(u32, &'a [u8]), Pop3Error> {
    let line = line.trim_ascii_start();
    let end = line
        .iter()
        .position(u8::is_ascii_whitespace)
        .unwrap_or(line.len());
    std::str::from_utf8(&line[..end])
        .ok()
        .and_then(|text| text.parse::<u32>().ok())
        .map(|number| (number, &line[end..]))
        .ok_or_else(|| Pop3Error::Protocol {
            detail: format!("malformed {command} line ({})", describe(line)),
        })
}

/// Joins LIST and UIDL entries by number.
pub(super) fn join(sizes: Vec<(u32, Option<u64>)>, uids: Vec<(u32, Option<Uid>)>) -> Listing {
    let mut uids: HashMap<u32, Option<Uid>> = uids.into_iter().collect();
    let mut listing = Listing::default();
    let mut sizes = sizes;
    sizes.sort_by_key(|(number, _)| *number);
    sizes.dedup_by_key(|(number, _)| *number);
    for (number, size) in sizes {
        let uid = uids.remove(&number).flatten();
        let Some(size) = size else {
            listing
                .anomalies
                .push(ListingAnomaly::ImpossibleSize { number });
            continue;
        };
        let uid = match uid {
            None => {
                listing
                    .anomalies
                    .push(ListingAnomaly::MissingFromUidl { number });
                continue;
            }
            Some(Uid::Standard(uid)) => uid,
            Some(Uid::Digest(uid)) => {
                listing
                    .anomalies
                    .push(ListingAnomaly::NonstandardUid { number });
                uid
            }
        };
        listing.messages.push(MessageInfo { number, size, uid });
    }
    let mut only_in_uidl: Vec<u32> = uids.into_keys().collect();
    only_in_uidl.sort_unstable();
    listing.anomalies.extend(
        only_in_uidl
            .into_iter()
            .map(|number| ListingAnomaly::MissingFromList { number }),
    );
    listing
}

impl Session {
    /// LIST and UIDL joined by message number (pipelined when the server offers it), with every
    /// line that breaks RFC 1939 reported rather than failing the listing.
    pub async fn listing(&mut self) -> Result<Listing, Pop3Error> {
        let (sizes, uids) = self.list_and_uidl(parse_list_line, parse_uidl_line).await?;
        self.announced_sizes = sizes
            .iter()
            .filter_map(|&(number, size)| Some((number, size?)))
            .collect();
        Ok(join(sizes, uids))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uid(line: &[u8]) -> Option<Uid> {
        parse_uidl_line(line).unwrap().1
    }

    #[test]
    fn ids_with_spaces_are_kept_whole_as_a_digest() {
        let first = uid(b"1 abc def");
        let second = uid(b"2 abc xyz");
        assert!(matches!(&first, Some(Uid::Digest(d)) if d.starts_with(DIGEST_UID_PREFIX)));
        assert_ne!(first, second, "ids sharing a first word stay distinct");
        assert_ne!(first, Some(Uid::Standard("abc".to_owned())));
        assert_eq!(uid(b"1 abc def"), first, "the digest is stable");
        assert_eq!(
            uid(b"3 plain.id"),
            Some(Uid::Standard("plain.id".to_owned()))
        );
        assert_eq!(
            uid(b"3 plain.id  "),
            Some(Uid::Standard("plain.id".to_owned()))
        );
        assert!(matches!(
            uid(&[b'4', b' ', 0xff, b'a']),
            Some(Uid::Digest(_))
        ));
        let long = format!("5 {}", "u".repeat(71));
        assert!(matches!(uid(long.as_bytes()), Some(Uid::Digest(_))));
        assert_eq!(uid(b"6"), None);
        assert!(parse_uidl_line(b"x abc").is_err());
    }

    #[test]
    fn sizes_of_two_to_the_63_or_more_are_impossible() {
        assert_eq!(parse_list_line(b"1 1200").unwrap(), (1, Some(1200)));
        assert_eq!(
            parse_list_line(b"2 9223372036854775807").unwrap(),
            (2, Some(i64::MAX as u64))
        );
        assert_eq!(
            parse_list_line(b"3 9223372036854775808").unwrap(),
            (3, None)
        );
        assert_eq!(
            parse_list_line(b"4 99999999999999999999999").unwrap(),
            (4, None)
        );
        assert_eq!(parse_list_line(b"5 -1").unwrap(), (5, None));
        assert_eq!(parse_list_line(b"6").unwrap(), (6, None));
        assert!(parse_list_line(b"").is_err());
    }

    #[test]
    fn join_reports_every_mismatch_and_keeps_the_rest() {
        let sizes = vec![(1, Some(10)), (2, Some(20)), (3, None), (4, Some(40))];
        let uids = vec![
            (1, Some(Uid::Standard("a".to_owned()))),
            (3, Some(Uid::Standard("c".to_owned()))),
            (4, Some(Uid::Digest("d".to_owned()))),
            (5, Some(Uid::Standard("e".to_owned()))),
        ];
        let listing = join(sizes, uids);
        let numbers: Vec<u32> = listing.messages.iter().map(|m| m.number).collect();
        assert_eq!(numbers, [1, 4]);
        assert_eq!(
            listing.anomalies,
            [
                ListingAnomaly::MissingFromUidl { number: 2 },
                ListingAnomaly::ImpossibleSize { number: 3 },
                ListingAnomaly::NonstandardUid { number: 4 },
                ListingAnomaly::MissingFromList { number: 5 },
            ]
        );
        assert!(listing.anomalies.iter().all(|a| !a.to_string().is_empty()));
    }
}
