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

/// A hash for maps keyed by row ids (which no sender chooses, so no defence against crafted
/// collisions is needed): one multiplication instead of std's `SipHash`, for maps of a whole folder.
#[derive(Debug, Clone, Copy, Default)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_i64(&mut self, n: i64) {
        // Fibonacci hashing: the high bits, which hashbrown reads, mix every bit of the id.
        self.0 = (self.0 ^ n.cast_unsigned()).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Builds [`IdHasher`]s.
pub type IdHash = std::hash::BuildHasherDefault<IdHasher>;

/// A map keyed by row ids (or conversation numbers), hashed with [`IdHasher`].
pub type IdMap<K, V> = std::collections::HashMap<K, V, IdHash>;

/// A set of row ids, hashed with [`IdHasher`].
pub type IdSet<K> = std::collections::HashSet<K, IdHash>;

/// A setting read from the store that names no known value (the store was edited by hand).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}")]
pub struct UnknownSetting {
    /// Which setting, e.g. "security mode".
    pub what: &'static str,
    /// The value found.
    pub value: String,
}

/// How an account's connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Security {
    /// TLS from the first byte (POP3S, port 995).
    #[default]
    Tls,
    /// A plain connection upgraded with `STLS` (port 110); fails if the server cannot.
    StartTls,
    /// No encryption at all (port 110): the password crosses the network readable.
    Plain,
}

impl Security {
    /// Every mode, in the order a form lists them.
    pub const ALL: [Self; 3] = [Self::Tls, Self::StartTls, Self::Plain];

    /// The value stored in `accounts.security`, also the value of `--security`.
    #[must_use]
    pub fn as_storage(self) -> &'static str {
        match self {
            Self::Tls => "tls",
            Self::StartTls => "starttls",
            Self::Plain => "plain",
        }
    }

    /// Parses the value stored in `accounts.security`.
    ///
    /// # Errors
    /// [`UnknownSetting`] for any other text (the schema's CHECK allows none).
    pub fn from_storage(value: &str) -> Result<Self, UnknownSetting> {
        Self::ALL
            .into_iter()
            .find(|mode| mode.as_storage() == value)
            .ok_or_else(|| UnknownSetting {
                what: "security mode",
                value: value.to_owned(),
            })
    }

    /// The usual port for this mode.
    #[must_use]
    pub fn default_port(self) -> u16 {
        match self {
            Self::Tls => 995,
            Self::StartTls | Self::Plain => 110,
        }
    }

    /// The name a person reads in a form.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Tls => "SSL/TLS",
            Self::StartTls => "STARTTLS",
            Self::Plain => "None (unencrypted)",
        }
    }
}

/// The storage form, as the CLI prints and accepts it.
impl fmt::Display for Security {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_storage())
    }
}

// Written by hand, not derived: the derive would spell `StartTls` as `start-tls` and turn the
// doc comments into help text; the accepted values are exactly the storage forms.
impl clap::ValueEnum for Security {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_storage()))
    }
}

/// Which login method an account uses; `Auto` picks the strongest the server offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum AuthChoice {
    /// The strongest method the server offers.
    #[default]
    Auto,
    /// SASL PLAIN.
    Plain,
    /// SASL LOGIN.
    Login,
    /// APOP (a digest of the greeting's timestamp and the password).
    Apop,
    /// `USER` / `PASS`.
    User,
    /// SASL XOAUTH2: the secret is a bearer token, not a password.
    XOAuth2,
}

impl AuthChoice {
    /// Every choice, in the order a form lists them.
    pub const ALL: [Self; 6] = [
        Self::Auto,
        Self::Plain,
        Self::Login,
        Self::Apop,
        Self::User,
        Self::XOAuth2,
    ];

    /// The value stored in `accounts.auth_method`, also the value of `--auth`.
    #[must_use]
    pub fn as_storage(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Plain => "plain",
            Self::Login => "login",
            Self::Apop => "apop",
            Self::User => "user",
            Self::XOAuth2 => "xoauth2",
        }
    }

    /// Parses the value stored in `accounts.auth_method`.
    ///
    /// # Errors
    /// [`UnknownSetting`] for any other text.
    pub fn from_storage(value: &str) -> Result<Self, UnknownSetting> {
        Self::ALL
            .into_iter()
            .find(|choice| choice.as_storage() == value)
            .ok_or_else(|| UnknownSetting {
                what: "authentication method",
                value: value.to_owned(),
            })
    }

    /// The name a person reads in a form.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Auto => "Automatic",
            Self::Plain => "SASL PLAIN",
            Self::Login => "SASL LOGIN",
            Self::Apop => "APOP",
            Self::User => "USER/PASS",
            Self::XOAuth2 => "SASL XOAUTH2 (OAuth token)",
        }
    }

    /// The secret is a bearer token rather than a password.
    #[must_use]
    pub fn uses_token(self) -> bool {
        self == Self::XOAuth2
    }
}

/// The storage form, as the CLI prints and accepts it.
impl fmt::Display for AuthChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_storage())
    }
}

// By hand for the same reason as `Security`: `XOAuth2` must stay `xoauth2`.
impl clap::ValueEnum for AuthChoice {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_storage()))
    }
}

impl Security {
    /// The usual submission port for this mode (RFC 8314: 465 for TLS, 587 for STARTTLS).
    #[must_use]
    pub fn default_smtp_port(self) -> u16 {
        match self {
            Self::Tls => 465,
            Self::StartTls | Self::Plain => 587,
        }
    }
}

/// How an account logs in to its SMTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SmtpAuth {
    /// PLAIN or LOGIN, whichever the server offers (PLAIN first); none if it offers no AUTH.
    #[default]
    Auto,
    /// SASL PLAIN.
    Plain,
    /// SASL LOGIN.
    Login,
    /// SASL XOAUTH2: the secret is a bearer token.
    XOAuth2,
    /// No login (a relay that trusts the network).
    None,
}

impl SmtpAuth {
    /// Every choice, in the order a form lists them.
    pub const ALL: [Self; 5] = [
        Self::Auto,
        Self::Plain,
        Self::Login,
        Self::XOAuth2,
        Self::None,
    ];

    /// The value stored in `accounts.smtp_auth`, also the value of `--smtp-auth`.
    #[must_use]
    pub fn as_storage(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Plain => "plain",
            Self::Login => "login",
            Self::XOAuth2 => "xoauth2",
            Self::None => "none",
        }
    }

    /// Parses the value stored in `accounts.smtp_auth`.
    ///
    /// # Errors
    /// [`UnknownSetting`] for any other text.
    pub fn from_storage(value: &str) -> Result<Self, UnknownSetting> {
        Self::ALL
            .into_iter()
            .find(|choice| choice.as_storage() == value)
            .ok_or_else(|| UnknownSetting {
                what: "SMTP login method",
                value: value.to_owned(),
            })
    }

    /// The name a person reads in a form.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Auto => "Automatic",
            Self::Plain => "SASL PLAIN",
            Self::Login => "SASL LOGIN",
            Self::XOAuth2 => "SASL XOAUTH2 (OAuth token)",
            Self::None => "No login",
        }
    }
}

impl fmt::Display for SmtpAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_storage())
    }
}

impl clap::ValueEnum for SmtpAuth {
    fn value_variants<'a>() -> &'a [Self] {
        &Self::ALL
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.as_storage()))
    }
}

/// Where a message in the Outbox stands, as recorded in `outgoing.state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutgoingState {
    /// Waiting to be sent.
    Queued,
    /// Being sent now (or the app stopped while it was, before the point of no return).
    Sending,
    /// The whole message was written and the server did not answer: it may have been sent.
    Uncertain,
    /// The server refused it for good.
    Failed,
}

impl OutgoingState {
    /// Every state.
    pub const ALL: [Self; 4] = [Self::Queued, Self::Sending, Self::Uncertain, Self::Failed];

    /// The value stored in `outgoing.state` (and printed by `satchel outbox`).
    #[must_use]
    pub fn as_storage(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Sending => "sending",
            Self::Uncertain => "uncertain",
            Self::Failed => "failed",
        }
    }

    /// Parses the value stored in `outgoing.state`.
    ///
    /// # Errors
    /// [`UnknownSetting`] for any other text (the schema's CHECK allows none).
    pub fn from_storage(value: &str) -> Result<Self, UnknownSetting> {
        Self::ALL
            .into_iter()
            .find(|state| state.as_storage() == value)
            .ok_or_else(|| UnknownSetting {
                what: "outbox state",
                value: value.to_owned(),
            })
    }

    /// What a person reads in the Outbox.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Queued => "Waiting to be sent",
            Self::Sending => "Sending…",
            Self::Uncertain => "May have been sent",
            Self::Failed => "Not sent",
        }
    }
}

/// What a folder is for: the server's inbox, the local Trash, or a folder the user made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FolderKind {
    /// An account's Inbox, where downloaded mail lands.
    Inbox,
    /// The single local Trash; messages here can be restored.
    Trash,
    /// A local folder created by the user (may nest).
    User,
    /// Messages being written, saved as they are typed.
    Drafts,
    /// Messages waiting for the SMTP server.
    Outbox,
    /// Messages the SMTP server accepted.
    Sent,
}

impl FolderKind {
    /// The value stored in `folders.kind`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Inbox => "inbox",
            Self::Trash => "trash",
            Self::User => "user",
            Self::Drafts => "drafts",
            Self::Outbox => "outbox",
            Self::Sent => "sent",
        }
    }

    /// The kind of a folder with this role (`folder_roles.role`, stored as [`Self::as_str`]).
    #[must_use]
    pub fn from_role(role: &str) -> Option<Self> {
        [Self::Drafts, Self::Outbox, Self::Sent]
            .into_iter()
            .find(|kind| kind.as_str() == role)
    }

    /// The folder's name when Satchel makes it.
    #[must_use]
    pub fn default_name(self) -> &'static str {
        match self {
            Self::Inbox => "Inbox",
            Self::Trash => "Trash",
            Self::User => "",
            Self::Drafts => "Drafts",
            Self::Outbox => "Outbox",
            Self::Sent => "Sent",
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum as _;

    #[test]
    fn security_storage_forms_are_the_schema_values_and_round_trip() {
        let stored: Vec<&str> = Security::ALL.iter().map(|s| s.as_storage()).collect();
        // migrations/01-initial: CHECK (security IN ('tls', 'starttls', 'plain')).
        assert_eq!(stored, ["tls", "starttls", "plain"]);
        for mode in Security::ALL {
            assert_eq!(Security::from_storage(mode.as_storage()), Ok(mode));
        }
        let err = Security::from_storage("TLS").expect_err("case matters");
        assert_eq!(err.to_string(), "unknown security mode \"TLS\"");
    }

    #[test]
    fn auth_storage_forms_round_trip_and_unknown_ones_are_errors() {
        let stored: Vec<&str> = AuthChoice::ALL.iter().map(|a| a.as_storage()).collect();
        assert_eq!(
            stored,
            ["auto", "plain", "login", "apop", "user", "xoauth2"]
        );
        for choice in AuthChoice::ALL {
            assert_eq!(AuthChoice::from_storage(choice.as_storage()), Ok(choice));
        }
        let err = AuthChoice::from_storage("cram-md5").expect_err("not a method");
        assert_eq!(
            err.to_string(),
            "unknown authentication method \"cram-md5\""
        );
    }

    #[test]
    fn default_ports_follow_the_mode() {
        assert_eq!(Security::Tls.default_port(), 995);
        assert_eq!(Security::StartTls.default_port(), 110);
        assert_eq!(Security::Plain.default_port(), 110);
    }

    #[test]
    fn command_line_values_are_the_storage_forms() {
        assert_eq!(
            Security::from_str("starttls", false),
            Ok(Security::StartTls)
        );
        assert_eq!(
            AuthChoice::from_str("xoauth2", false),
            Ok(AuthChoice::XOAuth2)
        );
        assert!(Security::from_str("start-tls", false).is_err());
        assert!(AuthChoice::from_str("x-o-auth2", false).is_err());
        assert_eq!(Security::Plain.to_string(), "plain");
        assert_eq!(AuthChoice::User.to_string(), "user");
    }

    #[test]
    fn only_xoauth2_takes_a_token() {
        let tokens: Vec<AuthChoice> = AuthChoice::ALL
            .into_iter()
            .filter(|choice| choice.uses_token())
            .collect();
        assert_eq!(tokens, [AuthChoice::XOAuth2]);
    }
}
