//! Knowing messages without trusting UIDLs: ids made from headers for servers without UIDL,
//! and recognising stored messages after a server changed every UIDL.

use std::collections::HashMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::error::SyncError;
use super::plan::{LocalMessage, ServerMessage};
use super::sink::MemorySink;
use crate::message;
use crate::model::PopState;
use crate::pop3::{ListingAnomaly, Pop3Error, Session};
use crate::store::{Account, Store};

/// UIDL + LIST, and what in them broke RFC 1939; a server without UIDL gets ids made from each
/// message's headers (TOP n 0).
pub(super) async fn list_messages(
    session: &mut Session,
) -> Result<(Vec<ServerMessage>, Vec<ListingAnomaly>), SyncError> {
    match session.listing().await {
        Ok(listing) => Ok((
            listing
                .messages
                .into_iter()
                .map(|info| ServerMessage {
                    number: info.number,
                    uidl: info.uid,
                    size: info.size,
                })
                .collect(),
            listing.anomalies,
        )),
        Err(Pop3Error::UidlUnsupported) => {
            let sizes = session.list().await?;
            let mut listing = Vec::with_capacity(sizes.len());
            for (number, size) in sizes {
                let headers = fetch_top(session, number, 0).await?;
                listing.push(ServerMessage {
                    number,
                    uidl: header_fingerprint(&headers, size),
                    size,
                });
            }
            Ok((listing, Vec::new()))
        }
        Err(other) => Err(other.into()),
    }
}

/// A stable id for a message on a server without UIDL: a hash of identifying headers and size.
fn header_fingerprint(headers: &[u8], size: u64) -> String {
    let parsed = message::parse(headers, None);
    let mut hasher = Sha256::new();
    for part in [
        parsed.message_id.as_deref().unwrap_or(""),
        &parsed.from_addr,
        &parsed.subject,
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hasher.update(parsed.date.unwrap_or(0).to_le_bytes());
    hasher.update(size.to_le_bytes());
    let digest = hasher.finalize();
    let mut uidl = String::from("satchel-headers-");
    for byte in digest.iter().take(16) {
        let _ = write!(uidl, "{byte:02x}");
    }
    uidl
}

/// Body lines compared, besides the header block and the size, before a listed message counts
/// as one already stored.
const RECOGNITION_BODY_LINES: u32 = 5;

/// Most stored messages sharing one Message-ID that are compared with a listed one.
const RECOGNITION_CANDIDATES: usize = 8;

/// After a UIDL reset: for each unknown UIDL, looks for a stored message of the account that is
/// the same message — same Message-ID, the exact size LIST announced, and the exact header block
/// and first body lines `TOP` returns — and links it as [`PopState::Recognised`]: not downloaded
/// again for reading, but never deleted until a full download proves its bytes.
pub(super) async fn recognise_by_headers(
    session: &mut Session,
    store: &mut Store,
    account: &Account,
    listing: &[ServerMessage],
    local: &HashMap<String, LocalMessage>,
) -> Result<u64, SyncError> {
    let mut recognised = 0;
    for message in listing.iter().filter(|m| !local.contains_key(&m.uidl)) {
        let top = fetch_top(session, message.number, RECOGNITION_BODY_LINES).await?;
        let parsed = message::parse(&top, None);
        let Some(message_id) = parsed.message_id.as_deref() else {
            continue;
        };
        let candidates = store.account_messages_with_message_id(
            account.id,
            message_id,
            RECOGNITION_CANDIDATES,
        )?;
        for candidate in candidates {
            let raw = store.raw_message(candidate)?;
            if raw.len() as u64 == message.size && raw.starts_with(&top) {
                store.link_pop_uidl(
                    account.id,
                    &message.uidl,
                    message.size,
                    candidate,
                    PopState::Recognised,
                )?;
                recognised += 1;
                break;
            }
        }
    }
    Ok(recognised)
}

/// `TOP n lines` into memory.
async fn fetch_top(session: &mut Session, number: u32, lines: u32) -> Result<Vec<u8>, SyncError> {
    let mut headers = MemorySink::default();
    session.top(number, lines, &mut headers).await?;
    Ok(headers.bytes)
}
