//! The one error type of the POP3 client.

use std::io;
use std::time::Duration;

use super::certinfo::{CertificateInfo, Fingerprint};
use super::reply::ResponseCode;

/// An error a sink returns to abort a fetch; it is carried as the `source`.
pub type SinkError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Everything that can go wrong while talking POP3.
///
/// Status-line text from the server is sanitised (control characters
/// removed, length capped); passwords, tokens and message content never appear.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Pop3Error {
    /// The TCP connection could not be opened.
    #[error("cannot connect to {host}:{port}")]
    Connect {
        /// Host name or address that was dialled.
        host: String,
        /// TCP port that was dialled.
        port: u16,
        /// The underlying socket error.
        #[source]
        source: io::Error,
    },
    /// Connecting (TCP, TLS handshake and greeting) took longer than allowed.
    #[error("cannot connect to {host}:{port}: no answer within {timeout:?}")]
    ConnectTimeout {
        /// Host name or address that was dialled.
        host: String,
        /// TCP port that was dialled.
        port: u16,
        /// The configured connect timeout.
        timeout: Duration,
    },
    /// The host name is not usable as a TLS server name.
    #[error("cannot use {host:?} as a TLS server name")]
    InvalidHostName {
        /// The offending host name.
        host: String,
    },
    /// The server sent nothing for longer than the idle timeout.
    #[error("cannot read from server: nothing received for {timeout:?}")]
    ReadTimeout {
        /// The configured idle timeout.
        timeout: Duration,
    },
    /// Sending to the server did not complete within the idle timeout.
    #[error("cannot write to server: blocked for {timeout:?}")]
    WriteTimeout {
        /// The configured idle timeout.
        timeout: Duration,
    },
    /// The server trickles: fewer than `min_bytes` arrived over `window` of waiting.
    #[error(
        "cannot continue: the server is too slow (under {} in {} s)",
        amount(*min_bytes),
        window.as_secs()
    )]
    TooSlow {
        /// Fewest bytes the progress rule asks for per window.
        min_bytes: u64,
        /// The progress window.
        window: Duration,
    },
    /// The session lasted longer than its deadline (the base time plus the time the
    /// announced messages take at the minimum rate).
    #[error(
        "cannot continue: the server is too slow (the session needed more than the {} s its mail size allows)",
        allowed.as_secs()
    )]
    DeadlinePassed {
        /// The time the session was allowed in total.
        allowed: Duration,
    },
    /// The socket failed while reading or writing.
    #[error("cannot talk to server")]
    Io(#[source] io::Error),
    /// The server closed the connection, possibly in the middle of a reply.
    #[error("cannot read reply: server closed the connection")]
    ConnectionClosed,
    /// A status or listing line exceeded the line-length cap.
    #[error("cannot read reply: line longer than {limit} bytes")]
    LineTooLong {
        /// The cap that was exceeded.
        limit: usize,
    },
    /// The server sent something that is not valid POP3 at this point.
    #[error("cannot understand server reply: {detail}")]
    Protocol {
        /// What was wrong; describes offending bytes by shape, never quotes them.
        detail: String,
    },
    /// TLS setup or the handshake failed for a reason other than trust.
    #[error("cannot establish TLS with {host}")]
    Tls {
        /// Host name the handshake was for.
        host: String,
        /// The underlying TLS or socket error.
        #[source]
        source: io::Error,
    },
    /// TLS was expected but the server answered in plain text (a POP3 greeting on 110).
    #[error(
        "cannot establish TLS with {host}:{port}: the server answered without TLS; \
         use STARTTLS on port 110 or SSL/TLS on port 995"
    )]
    NotTls {
        /// Host name the handshake was for.
        host: String,
        /// The port that answered in plain text.
        port: u16,
    },
    /// The certificate differs from the one the user trusted for this account, and the
    /// system does not trust it either.
    #[error(
        "cannot trust the certificate of {host}: it changed since you trusted it \
         (trusted SHA-256 {trusted}, now SHA-256 {}); trust the new one only if you expect the change",
        certificate.fingerprint
    )]
    CertificateChanged {
        /// Host name the handshake was for.
        host: String,
        /// The fingerprint pinned for the account until now.
        trusted: Fingerprint,
        /// What the server presents now (its `previously_trusted` is `trusted`).
        certificate: Box<CertificateInfo>,
    },
    /// The server certificate is not trusted; the GUI may offer to pin it.
    #[error(
        "cannot trust the certificate of {host}: {reason} (SHA-256 {})",
        certificate.fingerprint
    )]
    UntrustedCertificate {
        /// Host name the handshake was for.
        host: String,
        /// Why verification failed, e.g. "unknown issuer".
        reason: String,
        /// What the server presented, for a "Trust this certificate?" dialog.
        certificate: Box<CertificateInfo>,
    },
    /// STARTTLS was required but the server does not offer STLS.
    #[error("cannot start TLS: server does not offer STLS")]
    StlsNotOffered,
    /// The server refused the STLS command.
    #[error("cannot start TLS: server refused STLS: {text}")]
    StlsRefused {
        /// Sanitised server text.
        text: String,
    },
    /// No authentication method usable with these credentials is offered.
    #[error("cannot log in: no usable authentication method offered by the server")]
    NoAuthMethod,
    /// The account names a method the server does not offer.
    #[error("cannot log in: server does not offer {method}")]
    AuthMethodNotOffered {
        /// Name of the requested method.
        method: &'static str,
    },
    /// The method would send a secret in clear text over an unencrypted link.
    #[error("cannot log in with {method}: the connection is not encrypted")]
    InsecureAuth {
        /// Name of the refused method.
        method: &'static str,
    },
    /// The credentials do not fit the chosen method (e.g. token with USER).
    #[error("cannot log in with {method}: {detail}")]
    CredentialsMismatch {
        /// Name of the method.
        method: &'static str,
        /// What is missing or wrong.
        detail: &'static str,
    },
    /// Username or password were rejected (`[AUTH]` or a plain -ERR to login).
    #[error("cannot log in: the server rejected the username or password ({text})")]
    AuthFailed {
        /// Sanitised server text.
        text: String,
    },
    /// `[IN-USE]`: another client holds the mailbox lock.
    #[error("cannot open mailbox: it is locked by another client ({text})")]
    MailboxInUse {
        /// Sanitised server text.
        text: String,
    },
    /// `[LOGIN-DELAY]`: logged in too soon after the previous session.
    #[error("cannot log in yet: the server asks to wait longer between logins ({text})")]
    LoginDelay {
        /// Sanitised server text.
        text: String,
    },
    /// `[SYS/TEMP]`: a temporary server-side failure; retry later.
    #[error("cannot complete {command}: temporary server failure ({text})")]
    TemporaryFailure {
        /// The command that failed.
        command: &'static str,
        /// Sanitised server text.
        text: String,
    },
    /// `[SYS/PERM]`: a permanent server-side failure; needs the admin.
    #[error("cannot complete {command}: permanent server failure ({text})")]
    PermanentFailure {
        /// The command that failed.
        command: &'static str,
        /// Sanitised server text.
        text: String,
    },
    /// Any other -ERR reply.
    #[error("cannot complete {command}: server said {text:?}")]
    Refused {
        /// The command that failed.
        command: &'static str,
        /// A response code the server attached, if any.
        code: Option<ResponseCode>,
        /// Sanitised server text.
        text: String,
    },
    /// The server has no UIDL command, so messages cannot be tracked.
    #[error("cannot list message ids: server does not support UIDL")]
    UidlUnsupported,
    /// A message exceeded the size cap the caller set.
    #[error("cannot fetch message {number}: larger than the limit of {limit} bytes")]
    MessageTooLarge {
        /// Message number in this session.
        number: u32,
        /// The caller's cap.
        limit: u64,
    },
    /// The caller's sink refused a message; the fetch stopped.
    #[error("cannot store message {number}")]
    Sink {
        /// Message number in this session.
        number: u32,
        /// What the sink reported.
        #[source]
        source: SinkError,
    },
    /// An earlier transport or protocol error left the session unusable.
    #[error("cannot use the session: an earlier error broke the connection")]
    SessionBroken,
}

impl Pop3Error {
    /// True when the connection cannot carry another command after this error.
    pub fn breaks_session(&self) -> bool {
        !matches!(
            self,
            Pop3Error::AuthFailed { .. }
                | Pop3Error::MailboxInUse { .. }
                | Pop3Error::LoginDelay { .. }
                | Pop3Error::TemporaryFailure { .. }
                | Pop3Error::PermanentFailure { .. }
                | Pop3Error::Refused { .. }
                | Pop3Error::UidlUnsupported
                | Pop3Error::Sink { .. }
                | Pop3Error::NoAuthMethod
                | Pop3Error::AuthMethodNotOffered { .. }
                | Pop3Error::InsecureAuth { .. }
                | Pop3Error::CredentialsMismatch { .. }
        )
    }
}

/// `1 KiB` for whole KiB, else `N bytes`.
fn amount(bytes: u64) -> String {
    if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

impl From<io::Error> for Pop3Error {
    fn from(err: io::Error) -> Self {
        match err.kind() {
            io::ErrorKind::UnexpectedEof
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe => Pop3Error::ConnectionClosed,
            _ => Pop3Error::Io(err),
        }
    }
}
