//! The real POP3 servers the client and sync suites run against, behind one handle.
//!
//! ```ignore
//! real_server_tests!(my_test); // one #[test] per server: my_test::dovecot, my_test::mailutils
//! fn my_test(kind: ServerKind) {
//!     let Some(server) = RealServer::start_or_skip(kind, &[("alice", "pw")]) else { return };
//! }
//! ```

use std::path::{Path, PathBuf};

use satchel::pop3::{ConnectOptions, Fingerprint, Security};

use super::dovecot::Dovecot;
use super::mailutils::{self, Mailutils};

/// Which implementation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ServerKind {
    /// Dovecot 2.3 (Debian `dovecot-pop3d`).
    Dovecot,
    /// GNU Mailutils 3.15 `pop3d`.
    Mailutils,
}

/// A running real server; stopped on Drop.
pub enum RealServer {
    /// See `support::dovecot`.
    Dovecot(Dovecot),
    /// See `support::mailutils`.
    Mailutils(Mailutils),
}

/// One test per server: `real_server_tests!(name)` makes `name::dovecot` and `name::mailutils`,
/// each calling `name(ServerKind::…)`; `real_server_tests!(async name)` does the same for an
/// async body under `#[tokio::test]`.
#[macro_export]
macro_rules! real_server_tests {
    (async $($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn dovecot() {
                super::$name($crate::support::real_server::ServerKind::Dovecot).await;
            }
            #[tokio::test]
            async fn mailutils() {
                super::$name($crate::support::real_server::ServerKind::Mailutils).await;
            }
        }
    )+};
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[test]
            fn dovecot() {
                super::$name($crate::support::real_server::ServerKind::Dovecot);
            }
            #[test]
            fn mailutils() {
                super::$name($crate::support::real_server::ServerKind::Mailutils);
            }
        }
    )+};
}

impl RealServer {
    /// Starts a server of `kind`, or None when it is not installed and skipping is allowed.
    pub fn start_or_skip(kind: ServerKind, users: &[(&str, &str)]) -> Option<RealServer> {
        match kind {
            ServerKind::Dovecot => Dovecot::start_or_skip(users).map(RealServer::Dovecot),
            ServerKind::Mailutils => Mailutils::start_or_skip(users).map(RealServer::Mailutils),
        }
    }

    /// Which implementation this is.
    pub fn kind(&self) -> ServerKind {
        match self {
            RealServer::Dovecot(_) => ServerKind::Dovecot,
            RealServer::Mailutils(_) => ServerKind::Mailutils,
        }
    }

    /// The name `user` logs in with.
    pub fn login_name(&self, user: &str) -> String {
        match self {
            RealServer::Dovecot(_) => user.to_owned(),
            RealServer::Mailutils(_) => Mailutils::login_name(user),
        }
    }

    /// Plain POP3 port (STLS available).
    pub fn pop3_port(&self) -> u16 {
        match self {
            RealServer::Dovecot(s) => s.pop3_port,
            RealServer::Mailutils(s) => s.pop3_port,
        }
    }

    /// Implicit-TLS POP3 port.
    pub fn pop3s_port(&self) -> u16 {
        match self {
            RealServer::Dovecot(s) => s.pop3s_port,
            RealServer::Mailutils(s) => s.pop3s_port,
        }
    }

    /// SHA-256 of the server's self-signed certificate.
    pub fn fingerprint(&self) -> Fingerprint {
        match self {
            RealServer::Dovecot(s) => s.fingerprint,
            RealServer::Mailutils(s) => s.fingerprint,
        }
    }

    /// Connect options for `user` with the certificate pinned.
    pub fn options(&self, user: &str, password: &str, security: Security) -> ConnectOptions {
        match self {
            RealServer::Dovecot(s) => s.options(user, password, security),
            RealServer::Mailutils(s) => s.options(user, password, security),
        }
    }

    /// Puts one message into `user`'s mailbox.
    pub fn deliver(&self, user: &str, name: &str, bytes: &[u8]) {
        match self {
            RealServer::Dovecot(s) => s.deliver(user, name, bytes),
            RealServer::Mailutils(s) => s.deliver(user, name, bytes),
        }
    }

    /// `user`'s Maildir.
    pub fn maildir(&self, user: &str) -> PathBuf {
        match self {
            RealServer::Dovecot(s) => s.maildir(user),
            RealServer::Mailutils(s) => s.maildir(user),
        }
    }

    /// How many messages `user`'s Maildir holds, e.g. to check that a QUIT after DELE really
    /// removed mail.
    pub fn stored_messages(&self, user: &str) -> usize {
        super::files_in_maildir(&self.maildir(user))
    }

    /// The bytes the server sends (after dot-unstuffing) for a message delivered as `original`
    /// and listed under `uidl`. Dovecot sends the CRLF file as it is; Mailutils rewrites it.
    pub fn served_form(&self, original: &[u8], uidl: &str) -> Vec<u8> {
        match self {
            RealServer::Dovecot(_) => original.to_vec(),
            RealServer::Mailutils(_) => mailutils::served_form(original, uidl),
        }
    }

    /// True when LIST may announce `listed` for a message served as `served` under `uidl`.
    /// Dovecot's LIST is exact. Mailutils' LIST leaves out the `X-UIDL` header it adds, until a
    /// QUIT has written that header into the file.
    pub fn list_size_fits(&self, listed: u64, served: &[u8], uidl: &str) -> bool {
        let served = served.len() as u64;
        match self {
            RealServer::Dovecot(_) => listed == served,
            RealServer::Mailutils(_) => {
                let header = format!("X-UIDL: {uidl}\r\n").len() as u64;
                listed == served || listed + header == served
            }
        }
    }

    /// Gives every message of `user` a new UIDL, as after a server migration.
    pub fn reset_uidls(&self, user: &str) {
        match self {
            RealServer::Dovecot(s) => s.reset_uidls(user),
            RealServer::Mailutils(s) => s.reset_uidls(user),
        }
    }

    /// The server log, for failure messages.
    pub fn log(&self) -> String {
        match self {
            RealServer::Dovecot(s) => s.log(),
            RealServer::Mailutils(s) => s.log(),
        }
    }

    /// Pid of the master process.
    pub fn pid(&self) -> Option<u32> {
        match self {
            RealServer::Dovecot(s) => s.pid(),
            RealServer::Mailutils(s) => Some(s.pid()),
        }
    }

    /// The temp directory everything lives in.
    pub fn path(&self) -> &Path {
        match self {
            RealServer::Dovecot(s) => s.path(),
            RealServer::Mailutils(s) => s.path(),
        }
    }

    /// True while the master process runs.
    pub fn running(&mut self) -> bool {
        match self {
            RealServer::Dovecot(s) => s.running(),
            RealServer::Mailutils(s) => s.running(),
        }
    }
}

impl RealServer {
    /// Asserts that `fetched` (UIDL, bytes) holds every one of `originals` exactly once, each
    /// byte for byte as this server serves it (see `served_form`).
    pub fn assert_serves(&self, originals: &[Vec<u8>], fetched: &[(String, Vec<u8>)]) {
        let mut unmatched: std::collections::HashMap<&[u8], usize> =
            std::collections::HashMap::new();
        for original in originals {
            *unmatched.entry(original.as_slice()).or_default() += 1;
        }
        for (uidl, bytes) in fetched {
            let original = match self {
                RealServer::Dovecot(_) => bytes.clone(),
                RealServer::Mailutils(_) => mailutils::without_uidl_header(bytes, uidl),
            };
            assert_eq!(
                &self.served_form(&original, uidl),
                bytes,
                "{uidl}: served form of the original"
            );
            let left = unmatched
                .get_mut(original.as_slice())
                .filter(|count| **count > 0)
                .unwrap_or_else(|| {
                    panic!(
                        "{uidl}: not one of the delivered messages: {:?}",
                        String::from_utf8_lossy(&original)
                    )
                });
            *left -= 1;
        }
        assert!(
            unmatched.values().all(|count| *count == 0),
            "{} delivered, {} fetched",
            originals.len(),
            fetched.len()
        );
    }
}
