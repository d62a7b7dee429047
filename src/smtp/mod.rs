//! SMTP submission client (RFC 5321 / RFC 6409): implicit TLS or STARTTLS that never falls back
//! to plain text, AUTH PLAIN / LOGIN / XOAUTH2, and a send that says exactly whether the server
//! may have the message.
//!
//! Our own rather than lettre's: sending must know the point of no return (the final dot of
//! DATA is written) so a message is never sent twice by surprise, and the connection must be
//! pinned and bounded exactly as POP3's is. So the byte stream, TLS set-up and certificate
//! pinning are POP3's (`pop3::wire`, `pop3::tls`); the dialogue is here.

use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use tokio::net::TcpStream;

use crate::model::{Security, SmtpAuth};
use crate::pop3::reply::sanitize;
use crate::pop3::wire::Wire;
use crate::pop3::{Fingerprint, Pop3Error, Transport};

/// Most lines of one reply accepted (EHLO lists a dozen).
const MAX_REPLY_LINES: usize = 100;

/// How the client logs in.
#[derive(Clone)]
pub struct Login {
    /// Login name.
    pub username: String,
    /// Password, or the bearer token for XOAUTH2.
    pub secret: String,
    /// Which method.
    pub method: SmtpAuth,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login")
            .field("username", &self.username)
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

/// Where and how to connect.
#[derive(Debug, Clone)]
pub struct SmtpOptions {
    /// Server host.
    pub host: String,
    /// Server port.
    pub port: u16,
    /// TLS from the start, STARTTLS, or (only when the user chose it) plain text.
    pub security: Security,
    /// A certificate the user trusted for this server.
    pub pinned: Option<Fingerprint>,
    /// Credentials; `None` sends without logging in.
    pub login: Option<Login>,
    /// The name given in EHLO (the sender's domain).
    pub hello: String,
    /// Longest wait for a connection.
    pub connect_timeout: Duration,
    /// Longest silence in the middle of a command (RFC 5321 suggests 5 min; the final dot's
    /// answer gets [`SmtpOptions::final_reply_timeout`]).
    pub idle_timeout: Duration,
    /// Longest wait for the answer to the final dot (the server may be scanning the message).
    pub final_reply_timeout: Duration,
}

impl SmtpOptions {
    /// Options with the usual timeouts.
    #[must_use]
    pub fn new(host: impl Into<String>, port: u16, security: Security) -> Self {
        Self {
            host: host.into(),
            port,
            security,
            pinned: None,
            login: None,
            hello: "localhost".to_owned(),
            connect_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_mins(5),
            final_reply_timeout: Duration::from_mins(10),
        }
    }
}

/// Why a session or a command failed.
#[derive(Debug, thiserror::Error)]
pub enum SmtpError {
    /// Network or TLS trouble (also an untrusted certificate, see [`SmtpError::certificate`]).
    #[error(transparent)]
    Link(#[from] Pop3Error),
    /// The server answered with a code that means no.
    #[error("the server refused {stage}: {code} {text}")]
    Refused {
        /// What was asked ("the login", "the sender", "recipient bob@…", "the message").
        stage: String,
        /// The reply code.
        code: u16,
        /// The reply text, sanitised.
        text: String,
    },
    /// STARTTLS was required and is not offered.
    #[error("cannot start TLS: the server does not offer STARTTLS")]
    StartTlsNotOffered,
    /// A login is set up and the server offers no method Satchel can use.
    #[error("cannot log in: the server offers no login method Satchel knows ({offered})")]
    NoUsableAuth {
        /// What it offers.
        offered: String,
    },
    /// A password would cross the network unencrypted.
    #[error("cannot log in: the connection is not encrypted")]
    NotEncrypted,
    /// The reply could not be read as SMTP.
    #[error("cannot understand the server's reply: {0}")]
    Protocol(String),
}

impl SmtpError {
    /// True when the server's answer says "later" (4xx) rather than "never" (5xx) or the
    /// network failed.
    #[must_use]
    pub fn is_permanent_refusal(&self) -> bool {
        matches!(self, Self::Refused { code, .. } if *code >= 500)
    }

    /// The login was refused (535 and kin): the password is wrong.
    #[must_use]
    pub fn is_login_refused(&self) -> bool {
        matches!(self, Self::Refused { stage, .. } if stage == "the login")
    }

    /// The certificate error underneath, when the server's certificate was not trusted.
    #[must_use]
    pub fn certificate(&self) -> Option<&crate::pop3::CertificateInfo> {
        match self {
            Self::Link(
                Pop3Error::UntrustedCertificate { certificate, .. }
                | Pop3Error::CertificateChanged { certificate, .. },
            ) => Some(certificate),
            _ => None,
        }
    }
}

/// One SMTP reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpReply {
    /// Three-digit code.
    pub code: u16,
    /// Its lines' text, sanitised, joined by newlines.
    pub text: String,
}

impl SmtpReply {
    fn positive(&self) -> bool {
        (200..400).contains(&self.code)
    }
}

/// Parses one reply line: `250-text` (more follow) or `250 text` (last).
fn parse_line(line: &[u8]) -> Result<(u16, bool, String), SmtpError> {
    let text = String::from_utf8_lossy(line);
    let bad = || SmtpError::Protocol(sanitize(&text));
    let digits = text.get(..3).ok_or_else(bad)?;
    let code: u16 = digits.parse().map_err(|_| bad())?;
    if !(200..600).contains(&code) {
        return Err(bad());
    }
    let (more, rest) = match text.as_bytes().get(3) {
        None => (false, ""),
        Some(b' ') => (false, &text[4..]),
        Some(b'-') => (true, &text[4..]),
        Some(_) => return Err(bad()),
    };
    Ok((code, more, sanitize(rest)))
}

/// What the server said it can do, from EHLO.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extensions {
    /// STARTTLS offered.
    pub starttls: bool,
    /// AUTH methods, upper case.
    pub auth: Vec<String>,
    /// 8BITMIME offered.
    pub eight_bit_mime: bool,
    /// SIZE limit, when announced.
    pub size: Option<u64>,
}

impl Extensions {
    fn from_reply(reply: &SmtpReply) -> Self {
        let mut ext = Self::default();
        for line in reply.text.lines().skip(1) {
            let mut words = line.split_whitespace();
            let Some(keyword) = words.next() else {
                continue;
            };
            match keyword.to_ascii_uppercase().as_str() {
                "STARTTLS" => ext.starttls = true,
                "8BITMIME" => ext.eight_bit_mime = true,
                "SIZE" => ext.size = words.next().and_then(|n| n.parse().ok()).filter(|&n| n > 0),
                "AUTH" => ext.auth.extend(words.map(str::to_ascii_uppercase)),
                _ => {}
            }
        }
        ext
    }
}

/// How one message's sending ended, once its transaction began.
#[derive(Debug)]
pub enum Delivery {
    /// The server took responsibility for it (250 after the final dot).
    Accepted,
    /// The server refused it; it does not have it. `permanent` for 5xx.
    Refused {
        /// 5xx: sending again will not help.
        permanent: bool,
        /// Why, as the server said.
        reason: String,
    },
    /// The final dot was written and no answer came: the server may have it.
    Unknown(SmtpError),
}

/// A logged-in SMTP session.
#[derive(Debug)]
pub struct SmtpSession {
    wire: Wire<Transport>,
    ext: Extensions,
    opts: SmtpOptions,
}

impl SmtpSession {
    /// Connects, greets, secures the connection and logs in.
    ///
    /// # Errors
    /// [`SmtpError`] for each way that fails; nothing was sent.
    pub async fn connect(opts: &SmtpOptions) -> Result<Self, SmtpError> {
        let tcp = tokio::time::timeout(
            opts.connect_timeout,
            TcpStream::connect((opts.host.as_str(), opts.port)),
        )
        .await
        .map_err(|_| Pop3Error::ConnectTimeout {
            host: opts.host.clone(),
            port: opts.port,
            timeout: opts.connect_timeout,
        })?
        .map_err(|source| Pop3Error::Connect {
            host: opts.host.clone(),
            port: opts.port,
            source,
        })?;
        tcp.set_nodelay(true).map_err(Pop3Error::Io)?;
        let transport = if opts.security == Security::Tls {
            let tls = secure(tcp, opts).await?;
            Transport::Tls(Box::new(tls))
        } else {
            Transport::Plain(tcp)
        };
        let mut session = Self {
            wire: Wire::new(transport, Some(opts.idle_timeout)),
            ext: Extensions::default(),
            opts: opts.clone(),
        };
        session.expect("the connection", 220).await?;
        session.hello().await?;
        if opts.security == Security::StartTls {
            if !session.ext.starttls {
                return Err(SmtpError::StartTlsNotOffered);
            }
            session.command("STARTTLS", "STARTTLS", 220).await?;
            let Transport::Plain(tcp) = session.wire.into_stream()? else {
                return Err(SmtpError::Protocol(
                    "STARTTLS on a TLS connection".to_owned(),
                ));
            };
            let tls = secure(tcp, opts).await?;
            session.wire = Wire::new(Transport::Tls(Box::new(tls)), Some(opts.idle_timeout));
            session.hello().await?;
        }
        if let Some(login) = &opts.login {
            session.log_in(login).await?;
        }
        Ok(session)
    }

    /// What the server offers.
    #[must_use]
    pub fn extensions(&self) -> &Extensions {
        &self.ext
    }

    async fn hello(&mut self) -> Result<(), SmtpError> {
        let hello = format!("EHLO {}\r\n", self.opts.hello);
        let reply = self.command(&hello, "EHLO", 250).await?;
        self.ext = Extensions::from_reply(&reply);
        Ok(())
    }

    async fn read_reply(&mut self) -> Result<SmtpReply, SmtpError> {
        let mut text = String::new();
        for _ in 0..MAX_REPLY_LINES {
            let line = self.wire.read_line().await?;
            let (code, more, rest) = parse_line(line)?;
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&rest);
            if !more {
                return Ok(SmtpReply { code, text });
            }
        }
        Err(SmtpError::Protocol(format!(
            "a reply longer than {MAX_REPLY_LINES} lines"
        )))
    }

    async fn expect(&mut self, stage: &str, code: u16) -> Result<SmtpReply, SmtpError> {
        let reply = self.read_reply().await?;
        if reply.code == code || (code == 250 && reply.positive() && reply.code < 300) {
            Ok(reply)
        } else {
            Err(SmtpError::Refused {
                stage: stage.to_owned(),
                code: reply.code,
                text: reply.text,
            })
        }
    }

    async fn command(
        &mut self,
        line: &str,
        stage: &str,
        code: u16,
    ) -> Result<SmtpReply, SmtpError> {
        let line = if line.ends_with("\r\n") {
            line.to_owned()
        } else {
            format!("{line}\r\n")
        };
        self.wire.send(line.as_bytes()).await?;
        self.expect(stage, code).await
    }

    async fn log_in(&mut self, login: &Login) -> Result<(), SmtpError> {
        if !self.wire.get_ref().is_tls() && self.opts.security != Security::Plain {
            return Err(SmtpError::NotEncrypted);
        }
        let offers = |name: &str| self.ext.auth.iter().any(|m| m == name);
        let method = match login.method {
            SmtpAuth::None => return Ok(()),
            SmtpAuth::Auto if offers("PLAIN") => SmtpAuth::Plain,
            SmtpAuth::Auto if offers("LOGIN") => SmtpAuth::Login,
            SmtpAuth::Auto => {
                return Err(SmtpError::NoUsableAuth {
                    offered: self.ext.auth.join(" "),
                });
            }
            chosen => chosen,
        };
        let stage = "the login";
        match method {
            SmtpAuth::Plain => {
                let token = BASE64.encode(format!("\0{}\0{}", login.username, login.secret));
                self.command(&format!("AUTH PLAIN {token}"), stage, 235)
                    .await?;
            }
            SmtpAuth::Login => {
                self.command("AUTH LOGIN", stage, 334).await?;
                self.command(&BASE64.encode(&login.username), stage, 334)
                    .await?;
                self.command(&BASE64.encode(&login.secret), stage, 235)
                    .await?;
            }
            SmtpAuth::XOAuth2 => {
                let token = BASE64.encode(format!(
                    "user={}\x01auth=Bearer {}\x01\x01",
                    login.username, login.secret
                ));
                self.wire
                    .send(format!("AUTH XOAUTH2 {token}\r\n").as_bytes())
                    .await?;
                let reply = self.read_reply().await?;
                if reply.code == 334 {
                    // The server's error details come as a challenge; an empty line ends it.
                    self.wire.send(b"\r\n").await?;
                    self.expect(stage, 235).await?;
                } else if reply.code != 235 {
                    return Err(SmtpError::Refused {
                        stage: stage.to_owned(),
                        code: reply.code,
                        text: reply.text,
                    });
                }
            }
            SmtpAuth::Auto | SmtpAuth::None => {}
        }
        Ok(())
    }

    /// Sends one message. `before_final_dot` runs once the whole message is written and before
    /// the final dot: the caller records there, durably, that the server may have it from now.
    ///
    /// An `Err` means the server does not have the message (nothing was accepted; the session
    /// may be unusable); [`Delivery`] says how it ended once the final dot was written, or
    /// that the server refused sender, recipients or message.
    ///
    /// # Errors
    /// Network failures before the final dot, and a failing `before_final_dot`.
    pub async fn send<E>(
        &mut self,
        from: &str,
        recipients: &[String],
        message: &[u8],
        before_final_dot: impl FnOnce() -> Result<(), E>,
    ) -> Result<Delivery, SmtpError>
    where
        E: std::fmt::Display,
    {
        let body = if self.ext.eight_bit_mime && !message.is_ascii() {
            " BODY=8BITMIME"
        } else {
            ""
        };
        let size = if self.ext.size.is_some() {
            format!(" SIZE={}", message.len())
        } else {
            String::new()
        };
        let refused = |err: SmtpError| match err {
            SmtpError::Refused { code, text, stage } => Ok(Delivery::Refused {
                permanent: code >= 500,
                reason: format!("{stage}: {code} {text}"),
            }),
            other => Err(other),
        };
        if let Err(err) = self
            .command(
                &format!("MAIL FROM:<{from}>{body}{size}"),
                "the sender",
                250,
            )
            .await
        {
            return refused(err);
        }
        for recipient in recipients {
            if let Err(err) = self
                .command(
                    &format!("RCPT TO:<{recipient}>"),
                    &format!("recipient {recipient}"),
                    250,
                )
                .await
            {
                let _ = self.command("RSET", "RSET", 250).await;
                return refused(err);
            }
        }
        if let Err(err) = self.command("DATA", "the message", 354).await {
            return refused(err);
        }
        let started = Instant::now();
        write_data(&mut self.wire, message).await?;
        if let Err(err) = before_final_dot() {
            // Not recorded as maybe-sent: stop here; the server discards what it got.
            return Err(SmtpError::Protocol(format!(
                "cannot record the send: {err}"
            )));
        }
        let final_timeout = self.opts.final_reply_timeout;
        let finished = async {
            self.wire.send(b".\r\n").await?;
            self.read_reply().await
        };
        let waited = tokio::time::timeout(final_timeout, finished).await;
        tracing::debug!(elapsed = ?started.elapsed(), "message written");
        match waited {
            Ok(Ok(reply)) if reply.code == 250 => Ok(Delivery::Accepted),
            Ok(Ok(reply)) if reply.code >= 400 => Ok(Delivery::Refused {
                permanent: reply.code >= 500,
                reason: format!("the message: {} {}", reply.code, reply.text),
            }),
            Ok(Ok(reply)) => Ok(Delivery::Unknown(SmtpError::Protocol(format!(
                "{} {}",
                reply.code, reply.text
            )))),
            Ok(Err(err)) => Ok(Delivery::Unknown(err)),
            Err(_) => Ok(Delivery::Unknown(SmtpError::Link(Pop3Error::ReadTimeout {
                timeout: final_timeout,
            }))),
        }
    }

    /// Ends the session politely; errors are of no consequence by now.
    pub async fn quit(mut self) {
        let _ = self.command("QUIT", "QUIT", 221).await;
    }
}

/// The TLS handshake on `tcp`, bounded by the connect timeout, the pin honoured.
async fn secure(
    tcp: TcpStream,
    opts: &SmtpOptions,
) -> Result<tokio_rustls::client::TlsStream<TcpStream>, SmtpError> {
    let handshake = crate::pop3::tls::handshake(tcp, &opts.host, opts.port, opts.pinned);
    match tokio::time::timeout(opts.connect_timeout, handshake).await {
        Ok(secured) => Ok(secured?),
        Err(_) => Err(SmtpError::Link(Pop3Error::ConnectTimeout {
            host: opts.host.clone(),
            port: opts.port,
            timeout: opts.connect_timeout,
        })),
    }
}

/// Writes the message body for DATA: CRLF line ends (a bare LF becomes CRLF), a dot at the start
/// of a line doubled (RFC 5321 4.5.2), and a final CRLF if the message lacks one. The final dot
/// is not written here.
async fn write_data(wire: &mut Wire<Transport>, message: &[u8]) -> Result<(), SmtpError> {
    const CHUNK: usize = 64 * 1024;
    let mut out = Vec::with_capacity(CHUNK + 1024);
    let mut rest = message;
    while !rest.is_empty() {
        let end = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
        let mut line = &rest[..end];
        rest = &rest[end..];
        if line.ends_with(b"\n") {
            line = &line[..line.len() - 1];
        }
        if line.ends_with(b"\r") {
            line = &line[..line.len() - 1];
        }
        if line.first() == Some(&b'.') {
            out.push(b'.');
        }
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
        if out.len() >= CHUNK {
            wire.send(&out).await?;
            out.clear();
        }
    }
    if !out.is_empty() {
        wire.send(&out).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_lines_parse_and_garbage_is_a_protocol_error() {
        assert_eq!(
            parse_line(b"250-SIZE 100").ok(),
            Some((250, true, "SIZE 100".to_owned()))
        );
        assert_eq!(
            parse_line(b"221 bye").ok(),
            Some((221, false, "bye".to_owned()))
        );
        assert_eq!(parse_line(b"354").ok(), Some((354, false, String::new())));
        for bad in [&b"hello"[..], b"25", b"999 x", b"250x", b"\x1b[2J"] {
            assert!(parse_line(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn ehlo_extensions_are_read() {
        let reply = SmtpReply {
            code: 250,
            text: "mail.example.org hi\nSIZE 1000\nAUTH PLAIN login\n8BITMIME\nSTARTTLS".to_owned(),
        };
        let ext = Extensions::from_reply(&reply);
        assert!(ext.starttls && ext.eight_bit_mime);
        assert_eq!(ext.auth, ["PLAIN", "LOGIN"]);
        assert_eq!(ext.size, Some(1000));
    }
}
