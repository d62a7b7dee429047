//! Plain ids and types shared by every layer.

use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// Row id of an account in the store.
    AccountId
);
id_type!(
    /// Row id of a folder in the store.
    FolderId
);
id_type!(
    /// Row id of a message in the store (also its full-text index rowid).
    MessageId
);

/// What a folder is for: the server's inbox, the local Trash, or a folder the user made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FolderKind {
    /// An account's Inbox, where downloaded mail lands.
    Inbox,
    /// The single local Trash; messages here can be restored.
    Trash,
    /// A local folder created by the user (may nest).
    User,
}

impl FolderKind {
    /// The value stored in `folders.kind`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inbox => "inbox",
            Self::Trash => "trash",
            Self::User => "user",
        }
    }

    /// Parses the value stored in `folders.kind`.
    #[must_use]
    pub fn from_db(kind: &str) -> Option<Self> {
        match kind {
            "inbox" => Some(Self::Inbox),
            "trash" => Some(Self::Trash),
            "user" => Some(Self::User),
            _ => None,
        }
    }
}

/// The per-message flags a reader changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flags {
    /// The message has been read.
    pub seen: bool,
    /// The user starred the message.
    pub flagged: bool,
    /// The user replied to the message.
    pub answered: bool,
}

/// One change to a message's flags, as the CLI and GUI request it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagChange {
    /// Mark as read.
    Seen,
    /// Mark as unread.
    Unseen,
    /// Add the flag (star).
    Flagged,
    /// Remove the flag (star).
    Unflagged,
}

/// Where a POP3 message stands, as recorded in `pop_state.state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PopState {
    /// Downloaded in full and still on the server.
    OnServer,
    /// Deleted from the server after a successful QUIT.
    RemovedFromServer,
    /// Only the headers were fetched (message over the size limit).
    HeadersOnly,
    /// Stored, but shorter than the server announced: kept on the server, never deleted by policy.
    Incomplete,
    /// The server listed this UIDL for more than one message: fetched again while that lasts,
    /// never deleted by policy until a download under a unique UIDL proves the bytes.
    Ambiguous,
    /// Linked to a stored message by headers and size after a UIDL reset: not downloaded again
    /// for reading, but deleted only after a full download proves the bytes are the ones stored.
    Recognised,
}

impl PopState {
    /// The value stored in `pop_state.state`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OnServer => "on_server",
            Self::RemovedFromServer => "removed_from_server",
            Self::HeadersOnly => "headers_only",
            Self::Incomplete => "incomplete",
            Self::Ambiguous => "ambiguous",
            Self::Recognised => "recognised",
        }
    }

    /// Parses the value stored in `pop_state.state`.
    #[must_use]
    pub fn from_db(state: &str) -> Option<Self> {
        match state {
            "on_server" => Some(Self::OnServer),
            "removed_from_server" => Some(Self::RemovedFromServer),
            "headers_only" => Some(Self::HeadersOnly),
            "incomplete" => Some(Self::Incomplete),
            "ambiguous" => Some(Self::Ambiguous),
            "recognised" => Some(Self::Recognised),
            _ => None,
        }
    }
}
