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
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            keep_on_server: true,
            remove_after_days: None,
            remove_when_deleted: false,
            size_limit: None,
            never_delete: false,
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
}

/// Builds the plan. `now` is Unix seconds.
#[must_use]
pub fn plan<S: std::hash::BuildHasher>(
    server: &[ServerMessage],
    local: &HashMap<String, LocalMessage, S>,
    policy: &Policy,
    now: i64,
) -> Plan {
    let mut result = Plan::default();
    let mut listed = std::collections::HashSet::with_capacity(server.len());
    let mut ordered: Vec<&ServerMessage> = server.iter().collect();
    ordered.sort_by_key(|message| message.number);
    for message in ordered {
        listed.insert(message.uidl.as_str());
        match local.get(&message.uidl) {
            None => {
                let headers_only = policy.size_limit.is_some_and(|limit| message.size > limit);
                result.downloads.push(Download {
                    message: message.clone(),
                    headers_only,
                    // Never delete what we hold only the headers of.
                    delete_after_commit: !headers_only
                        && !policy.keep_on_server
                        && !policy.never_delete,
                });
            }
            Some(known) if due_for_deletion(known, policy, now) => {
                result.deletions.push(message.clone());
            }
            Some(_) => {}
        }
    }
    let mut gone: Vec<String> = local
        .iter()
        .filter(|(uidl, known)| {
            known.state != PopState::RemovedFromServer && !listed.contains(uidl.as_str())
        })
        .map(|(uidl, _)| uidl.clone())
        .collect();
    gone.sort();
    result.gone_from_server = gone;
    result
}

/// True when a message we already hold should leave the server now.
fn due_for_deletion(known: &LocalMessage, policy: &Policy, now: i64) -> bool {
    // Only a complete local copy (or a deliberate local deletion of one) allows removal.
    if policy.never_delete || known.state != PopState::OnServer {
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

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
