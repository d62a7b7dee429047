//! Knowing messages without trusting UIDLs: ids made from headers for servers without UIDL,
//! and recognising stored messages by Message-ID after a server changed every UIDL.

use std::collections::HashMap;
use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use super::plan::{LocalMessage, ServerMessage};
use super::run::SyncError;
use super::sink::MemorySink;
use crate::message;
use crate::model::PopState;
use crate::pop3::{Pop3Error, Session};
use crate::store::{Account, Store};

/// UIDL + LIST; a server without UIDL gets ids made from each message's headers (TOP n 0).
pub(super) async fn list_messages(session: &mut Session) -> Result<Vec<ServerMessage>, SyncError> {
    match session.messages().await {
        Ok(listing) => Ok(listing
            .into_iter()
            .map(|info| ServerMessage {
                number: info.number,
                uidl: info.uid,
                size: info.size,
            })
            .collect()),
        Err(Pop3Error::UidlUnsupported) => {
            let sizes = session.list().await?;
            let mut listing = Vec::with_capacity(sizes.len());
            for (number, size) in sizes {
                let headers = fetch_headers(session, number).await?;
                listing.push(ServerMessage {
                    number,
                    uidl: header_fingerprint(&headers, size),
                    size,
                });
            }
            Ok(listing)
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

/// For each unknown UIDL, looks for a stored message of the account with the same Message-ID
/// and date; links it to the new UIDL instead of downloading it again.
pub(super) async fn recognise_by_headers(
    session: &mut Session,
    store: &mut Store,
    account: &Account,
    listing: &[ServerMessage],
    local: &HashMap<String, LocalMessage>,
) -> Result<u64, SyncError> {
    let mut recognised = 0;
    for message in listing.iter().filter(|m| !local.contains_key(&m.uidl)) {
        let headers = fetch_headers(session, message.number).await?;
        let parsed = message::parse(&headers, None);
        let Some(message_id) = parsed.message_id.as_deref() else {
            continue;
        };
        if let Some(existing) = store.find_account_message(account.id, message_id, parsed.date)? {
            store.link_pop_uidl(
                account.id,
                &message.uidl,
                message.size,
                existing,
                PopState::OnServer,
            )?;
            recognised += 1;
        }
    }
    Ok(recognised)
}

/// `TOP n 0` into memory.
async fn fetch_headers(session: &mut Session, number: u32) -> Result<Vec<u8>, SyncError> {
    let mut headers = MemorySink::default();
    session.top(number, 0, &mut headers).await?;
    Ok(headers.bytes)
}
