//! Sync planning, a pure function: server listing + local POP3 state + account policy →
//! what to download, what to delete on the server, what the server has dropped.
//!
//! Tested as a truth table; applying a plan (network, store) lives elsewhere.

use std::collections::HashMap;

use crate::dates::SECONDS_PER_DAY;
use crate::model::PopState;

/// One message as the server lists it (`UIDL` + `LIST`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerMessage {
    /// Message number in this session.
    pub number: u32,
    /// Unique id, stable across sessions.
    pub uidl: String,
    /// Size in octets as the server reports it.
    pub size: u64,
}

/// What the store knows about one UIDL of the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalMessage {
    /// Where the message stands.
    pub state: PopState,
    /// When it was downloaded (Unix seconds).
    pub downloaded_at: Option<i64>,
    /// False once the local copy was deleted for good (emptied from Trash).
    pub still_stored: bool,
    /// Size the server announced when this UIDL was recorded.
    pub size: u64,
}

/// The account's retention settings, as the plan needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Leave messages on the server (unless another rule removes them).
    pub keep_on_server: bool,
    /// Remove from the server this many days after download.
    pub remove_after_days: Option<u32>,
    /// Remove from the server once the local copy is deleted for good.
    pub remove_when_deleted: bool,
    /// Fetch only headers of messages larger than this many bytes.
    pub size_limit: Option<u64>,
    /// Gmail's "recent:" mode: the server shows recent mail again; never delete there.
    pub never_delete: bool,
    /// Largest message fetched in full whatever `size_limit` says; larger ones are headers-only.
    pub max_message_size: u64,
}

/// The default for [`Policy::max_message_size`]: 256 MiB.
pub const DEFAULT_MAX_MESSAGE_SIZE: u64 = crate::pop3::DEFAULT_MAX_MESSAGE_SIZE;

impl Default for Policy {
    fn default() -> Self {
        Self {
            keep_on_server: true,
            remove_after_days: None,
            remove_when_deleted: false,
            size_limit: None,
            never_delete: false,
            max_message_size: DEFAULT_MAX_MESSAGE_SIZE,
        }
    }
}

/// One download the plan asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    /// The server message.
    pub message: ServerMessage,
    /// Fetch only the headers (over the size limit).
    pub headers_only: bool,
    /// Delete it on the server once its local copy is committed (classic POP).
    pub delete_after_commit: bool,
    /// Its UIDL is not unique in this listing: stored as ambiguous, never deleted by policy.
    pub ambiguous: bool,
}

/// What one sync session should do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// New messages, oldest (lowest number) first.
    pub downloads: Vec<Download>,
    /// Stored messages due for deletion on the server now.
    pub deletions: Vec<ServerMessage>,
    /// UIDLs we had as on the server that the server no longer lists.
    pub gone_from_server: Vec<String>,
    /// UIDLs recorded as removed that the server lists again with the size it had: on the
    /// server again, and their retention applies.
    pub back_on_server: Vec<String>,
    /// How many listed messages share their UIDL with another one (none is deleted by policy).
    pub ambiguous: usize,
}

/// Builds the plan. `now` is Unix seconds.
///
/// Only proof makes a message deletable (design rule 6): a UIDL listed twice is unknown for
/// every message carrying it, and a message linked by its headers is downloaded before it may
/// be deleted.
#[must_use]
pub fn plan<S: std::hash::BuildHasher>(
    server: &[ServerMessage],
    local: &HashMap<String, LocalMessage, S>,
    policy: &Policy,
    now: i64,
) -> Plan {
    let mut result = Plan::default();
    let mut listed: HashMap<&str, usize> = HashMap::with_capacity(server.len());
    for message in server {
        *listed.entry(message.uidl.as_str()).or_default() += 1;
    }
    let mut ordered: Vec<&ServerMessage> = server.iter().collect();
    ordered.sort_by_key(|message| message.number);
    for message in ordered {
        let unique = listed.get(message.uidl.as_str()) == Some(&1);
        if !unique {
            result.ambiguous += 1;
            result
                .downloads
                .push(download(message, policy, false, true));
            continue;
        }
        let Some(known) = local.get(&message.uidl) else {
            result
                .downloads
                .push(download(message, policy, true, false));
            continue;
        };
        plan_known(&mut result, message, known, policy, now);
    }
    let mut gone: Vec<String> = local
        .iter()
        .filter(|(uidl, known)| {
            known.state != PopState::RemovedFromServer && !listed.contains_key(uidl.as_str())
        })
        .map(|(uidl, _)| uidl.clone())
        .collect();
    gone.sort();
    result.gone_from_server = gone;
    result
}

/// Adds what a uniquely listed message that the store already knows asks for.
fn plan_known(
    result: &mut Plan,
    message: &ServerMessage,
    known: &LocalMessage,
    policy: &Policy,
    now: i64,
) {
    match known.state {
        // Whatever that UIDL pointed at before, only a download under a unique UIDL proves it.
        PopState::Ambiguous => result
            .downloads
            .push(download(message, policy, true, false)),
        // Linked by headers: its bytes are proven only by downloading them again.
        PopState::Recognised => {
            let mut proof = download(message, policy, true, false);
            if due_for_deletion(known, policy, now) && !proof.headers_only {
                proof.delete_after_commit = true;
                result.downloads.push(proof);
            }
        }
        PopState::RemovedFromServer if known.size == message.size => {
            result.back_on_server.push(message.uidl.clone());
            let again = LocalMessage {
                state: PopState::OnServer,
                ..known.clone()
            };
            if due_for_deletion(&again, policy, now) {
                result.deletions.push(message.clone());
            }
        }
        // Listed again with another size: not provably the message we had.
        PopState::RemovedFromServer => {
            result
                .downloads
                .push(download(message, policy, true, false));
        }
        PopState::OnServer if due_for_deletion(known, policy, now) => {
            result.deletions.push(message.clone());
        }
        PopState::OnServer | PopState::HeadersOnly | PopState::Incomplete => {}
    }
}

/// A download of `message`; `deletable` says whether policy may delete it once committed.
fn download(
    message: &ServerMessage,
    policy: &Policy,
    deletable: bool,
    ambiguous: bool,
) -> Download {
    let limit = policy.size_limit.map_or(policy.max_message_size, |limit| {
        limit.min(policy.max_message_size)
    });
    let headers_only = message.size > limit;
    Download {
        message: message.clone(),
        headers_only,
        // Never delete what we hold only the headers of, nor what a shared UIDL makes doubtful.
        delete_after_commit: deletable
            && !ambiguous
            && !headers_only
            && !policy.keep_on_server
            && !policy.never_delete,
        ambiguous,
    }
}

/// True when a message we already hold should leave the server now (for a recognised one:
/// once a new download proves it).
fn due_for_deletion(known: &LocalMessage, policy: &Policy, now: i64) -> bool {
    // Only a complete local copy (or a deliberate local deletion of one) allows removal.
    let proven = matches!(known.state, PopState::OnServer | PopState::Recognised);
    if policy.never_delete || !proven {
        return false;
    }
    if !known.still_stored {
        return policy.remove_when_deleted || !policy.keep_on_server;
    }
    if !policy.keep_on_server {
        return true;
    }
    match (policy.remove_after_days, known.downloaded_at) {
        (Some(days), Some(downloaded)) => now - downloaded >= i64::from(days) * SECONDS_PER_DAY,
        _ => false,
    }
}

/// True when the listing looks like a UIDL reset (a server migration) rather than new mail:
/// of the messages we believe are on the server, almost none is listed, and the unknown ones are
/// at least half as many. With "remove after download" nothing is believed on the server, so
/// new mail never looks like a reset.
#[must_use]
pub fn looks_like_uidl_reset<S: std::hash::BuildHasher>(
    server: &[ServerMessage],
    local: &HashMap<String, LocalMessage, S>,
) -> bool {
    let listed: std::collections::HashSet<&str> = server.iter().map(|m| m.uidl.as_str()).collect();
    let believed: Vec<&String> = local
        .iter()
        .filter(|(_, known)| known.state != PopState::RemovedFromServer)
        .map(|(uidl, _)| uidl)
        .collect();
    let still_listed = believed
        .iter()
        .filter(|uidl| listed.contains(uidl.as_str()))
        .count();
    let unknown = listed
        .iter()
        .filter(|uidl| !local.contains_key(**uidl))
        .count();
    !believed.is_empty() && still_listed * 10 < believed.len() && unknown * 2 >= believed.len()
}

#[cfg(test)]
mod tests;
