//! Per-account connection settings and credentials.

use std::fmt;
use std::time::Duration;

use super::certinfo::Fingerprint;

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Security {
    /// TLS from the first byte (POP3S, port 995). The default.
    #[default]
    ImplicitTls,
    /// Plain connect, then `STLS` (port 110); fails if STLS is missing or fails.
    StartTls,
    /// No encryption at all; only when the user explicitly chose it.
    PlainInsecure,
}

impl Security {
    /// The usual port for this mode.
    pub fn default_port(self) -> u16 {
        match self {
            Security::ImplicitTls => 995,
            Security::StartTls | Security::PlainInsecure => 110,
        }
    }
}

/// An authentication method; `None` in [`ConnectOptions::auth`] means "strongest offered".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// SASL PLAIN (RFC 4616).
    Plain,
    /// SASL LOGIN.
    Login,
    /// APOP (MD5 of greeting timestamp and password).
    Apop,
    /// USER / PASS.
    UserPass,
    /// SASL XOAUTH2 with a bearer token.
    XOAuth2,
}

impl AuthMethod {
    /// The protocol name, for errors and logs.
    pub fn name(self) -> &'static str {
        match self {
            AuthMethod::Plain => "PLAIN",
            AuthMethod::Login => "LOGIN",
            AuthMethod::Apop => "APOP",
            AuthMethod::UserPass => "USER",
            AuthMethod::XOAuth2 => "XOAUTH2",
        }
    }

    /// How a person would name it: `SASL PLAIN`, `APOP`, `USER/PASS`, …
    pub fn label(self) -> &'static str {
        match self {
            AuthMethod::Plain => "SASL PLAIN",
            AuthMethod::Login => "SASL LOGIN",
            AuthMethod::Apop => "APOP",
            AuthMethod::UserPass => "USER/PASS",
            AuthMethod::XOAuth2 => "SASL XOAUTH2",
        }
    }
}

/// The secret half of the credentials. Debug output is redacted.
#[derive(Clone, PartialEq, Eq)]
pub enum Secret {
    /// A password (PLAIN, LOGIN, APOP, USER/PASS).
    Password(String),
    /// An `OAuth2` bearer token (XOAUTH2).
    BearerToken(String),
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Secret::Password(_) => f.write_str("Password(<redacted>)"),
            Secret::BearerToken(_) => f.write_str("BearerToken(<redacted>)"),
        }
    }
}

/// Username and secret for one account.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// Login name.
    pub username: String,
    /// Password or token.
    pub secret: Secret,
}

impl Credentials {
    /// Username and password.
    pub fn password(username: impl Into<String>, password: impl Into<String>) -> Credentials {
        Credentials {
            username: username.into(),
            secret: Secret::Password(password.into()),
        }
    }

    /// Username and `OAuth2` bearer token.
    pub fn bearer(username: impl Into<String>, token: impl Into<String>) -> Credentials {
        Credentials {
            username: username.into(),
            secret: Secret::BearerToken(token.into()),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("secret", &self.secret)
            .finish()
    }
}

/// How many RETR/DELE commands may be outstanding at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PipelineWindow {
    /// Most commands in flight (mpop uses 100).
    pub max_commands: usize,
    /// Most announced message bytes in flight; one message always fits.
    pub max_bytes: u64,
}

impl Default for PipelineWindow {
    fn default() -> Self {
        PipelineWindow {
            max_commands: 100,
            max_bytes: 16 * 1024 * 1024,
        }
    }
}

/// When a trickling server counts as stalled: under `min_bytes` received over `window` of
/// waiting, counted from the first byte of a reply (a silent server meets the idle timeout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgressRule {
    /// Waiting time over which progress is measured.
    pub window: Duration,
    /// Fewest bytes that must arrive within one window.
    pub min_bytes: u64,
}

impl Default for ProgressRule {
    fn default() -> Self {
        ProgressRule {
            window: Duration::from_mins(1),
            min_bytes: 1024,
        }
    }
}

/// How long a whole session may last: `base`, plus the time the announced message bytes take
/// at `min_bytes_per_second`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineRule {
    /// Time allowed for login, listings, deletions and QUIT, counted from connecting.
    pub base: Duration,
    /// Slowest average rate accepted for message bodies; each fetch adds its share of time.
    pub min_bytes_per_second: u64,
}

impl DeadlineRule {
    /// The time `bytes` take at the minimum rate.
    pub fn time_for(&self, bytes: u64) -> Duration {
        let millis = u128::from(bytes) * 1000 / u128::from(self.min_bytes_per_second.max(1));
        Duration::from_millis(u64::try_from(millis).unwrap_or(u64::MAX))
    }
}

impl Default for DeadlineRule {
    fn default() -> Self {
        DeadlineRule {
            base: Duration::from_mins(10),
            min_bytes_per_second: 32 * 1024,
        }
    }
}

/// The default cap on one message: 256 MiB.
pub const DEFAULT_MAX_MESSAGE_SIZE: u64 = 256 * 1024 * 1024;

/// Everything needed to open and log in to one POP3 account.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Server host name or IP literal (also the TLS server name).
    pub host: String,
    /// TCP port; see [`Security::default_port`].
    pub port: u16,
    /// Encryption mode.
    pub security: Security,
    /// Who logs in.
    pub credentials: Credentials,
    /// A forced method, or `None` for the strongest offered.
    pub auth: Option<AuthMethod>,
    /// SHA-256 of a certificate the user accepted for this host.
    pub pinned_certificate: Option<Fingerprint>,
    /// Limit for TCP connect, TLS handshake and greeting together.
    pub connect_timeout: Duration,
    /// Limit for any single read or write once connected.
    pub idle_timeout: Duration,
    /// Pipelining limits (used only when the server lists PIPELINING).
    pub pipeline: PipelineWindow,
    /// Largest message accepted by RETR/TOP, or `None` for no cap (default 256 MiB).
    pub max_message_size: Option<u64>,
    /// When a trickling reply counts as a stall.
    pub progress: ProgressRule,
    /// How long the whole session may last.
    pub deadline: DeadlineRule,
}

impl ConnectOptions {
    /// Options with defaults: implicit TLS on 995, strongest auth, 30 s / 120 s timeouts,
    /// a 256 MiB message cap, the stall rule of 1 KiB in 60 s and a 10 min + 32 KiB/s deadline.
    pub fn new(host: impl Into<String>, credentials: Credentials) -> ConnectOptions {
        ConnectOptions {
            host: host.into(),
            port: Security::ImplicitTls.default_port(),
            security: Security::ImplicitTls,
            credentials,
            auth: None,
            pinned_certificate: None,
            connect_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_mins(2),
            pipeline: PipelineWindow::default(),
            max_message_size: Some(DEFAULT_MAX_MESSAGE_SIZE),
            progress: ProgressRule::default(),
            deadline: DeadlineRule::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadline_grows_with_bytes_at_the_minimum_rate() {
        let rule = DeadlineRule {
            base: Duration::from_secs(1),
            min_bytes_per_second: 1000,
        };
        assert_eq!(rule.time_for(2500), Duration::from_millis(2500));
        assert_eq!(rule.time_for(0), Duration::ZERO);
        let huge = DeadlineRule {
            min_bytes_per_second: 0,
            ..rule
        };
        assert_eq!(huge.time_for(u64::MAX), Duration::from_millis(u64::MAX));
    }

    #[test]
    fn debug_never_shows_secrets() {
        let creds = Credentials::password("alice", "hunter2");
        let opts = ConnectOptions::new("mail.example", creds);
        let text = format!("{opts:?}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("alice"));
        let token = format!("{:?}", Credentials::bearer("bob", "ya29.tok"));
        assert!(!token.contains("ya29"), "{token}");
    }
}
