//! Choosing and running the login: SASL PLAIN/LOGIN/XOAUTH2, APOP, USER/PASS.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use md5::{Digest, Md5};

use super::capabilities::Capabilities;
use super::error::Pop3Error;
use super::options::{AuthMethod, Credentials, Secret};
use super::reply::Reply;
use super::transport::Transport;
use super::wire::Wire;

/// Preference when the account names no method. Over TLS every method is
/// protected, so PLAIN leads (APOP needs MD5 and plaintext storage on the
/// server); in plain text APOP leads because it never reveals the password.
const PREFERENCE_TLS: [AuthMethod; 4] = [
    AuthMethod::Plain,
    AuthMethod::Login,
    AuthMethod::UserPass,
    AuthMethod::Apop,
];
const PREFERENCE_PLAIN: [AuthMethod; 4] = [
    AuthMethod::Apop,
    AuthMethod::Plain,
    AuthMethod::Login,
    AuthMethod::UserPass,
];

/// Extracts the APOP timestamp `<...>` from a greeting text.
pub(crate) fn apop_timestamp(greeting: &str) -> Option<String> {
    let start = greeting.find('<')?;
    let len = greeting[start..].find('>')?;
    let stamp = &greeting[start..=start + len];
    stamp.contains('@').then(|| stamp.to_string())
}

fn offered(method: AuthMethod, caps: &Capabilities, timestamp: Option<&str>) -> bool {
    match method {
        AuthMethod::Apop => timestamp.is_some(),
        // Without CAPA, USER is the baseline every RFC 1939 server has.
        AuthMethod::UserPass => caps.user || !caps.listed,
        sasl => caps.has_sasl(sasl.name()),
    }
}

fn fits(method: AuthMethod, secret: &Secret) -> bool {
    matches!(
        (method, secret),
        (AuthMethod::XOAuth2, Secret::BearerToken(_))
            | (
                AuthMethod::Plain | AuthMethod::Login | AuthMethod::Apop | AuthMethod::UserPass,
                Secret::Password(_)
            )
    )
}

/// Picks the method: the forced one if offered, else the strongest offered.
pub(crate) fn choose(
    forced: Option<AuthMethod>,
    caps: &Capabilities,
    timestamp: Option<&str>,
    secret: &Secret,
    tls: bool,
) -> Result<AuthMethod, Pop3Error> {
    if let Some(method) = forced {
        if !fits(method, secret) {
            return Err(Pop3Error::CredentialsMismatch {
                method: method.name(),
                detail: "the credentials are of the wrong kind for this method",
            });
        }
        // Without a CAPA listing SASL may still work, so only a listing can rule it out.
        let unknowable = !caps.listed && !matches!(method, AuthMethod::Apop);
        if !unknowable && !offered(method, caps, timestamp) {
            return Err(Pop3Error::AuthMethodNotOffered {
                method: method.name(),
            });
        }
        return Ok(method);
    }
    if matches!(secret, Secret::BearerToken(_)) {
        return if offered(AuthMethod::XOAuth2, caps, timestamp) {
            Ok(AuthMethod::XOAuth2)
        } else {
            Err(Pop3Error::AuthMethodNotOffered { method: "XOAUTH2" })
        };
    }
    let order = if tls {
        PREFERENCE_TLS
    } else {
        PREFERENCE_PLAIN
    };
    order
        .into_iter()
        .find(|&m| offered(m, caps, timestamp))
        .ok_or(Pop3Error::NoAuthMethod)
}

/// The method to try when an APOP chosen automatically was refused: the next one in the
/// preference order that the server offers, or `None`.
pub(crate) fn next_after_apop(caps: &Capabilities, tls: bool) -> Option<AuthMethod> {
    let order = if tls {
        PREFERENCE_TLS
    } else {
        PREFERENCE_PLAIN
    };
    order
        .into_iter()
        .find(|&m| m != AuthMethod::Apop && offered(m, caps, None))
}

/// A login failure: anything without a more specific code is "wrong credentials".
fn login_error(reply: Reply, command: &'static str) -> Pop3Error {
    match reply.into_error(command) {
        Pop3Error::Refused { text, .. } => Pop3Error::AuthFailed { text },
        other => other,
    }
}

/// Rejects values that could smuggle extra commands onto the wire.
fn check_line_safe(method: AuthMethod, value: &str) -> Result<(), Pop3Error> {
    if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(Pop3Error::CredentialsMismatch {
            method: method.name(),
            detail: "username or secret contains a line break or NUL",
        });
    }
    Ok(())
}

/// Logs in with `method`. `cleartext_ok` is true on TLS or when the user chose plain text.
pub(crate) async fn login(
    wire: &mut Wire<Transport>,
    method: AuthMethod,
    creds: &Credentials,
    timestamp: Option<&str>,
    cleartext_ok: bool,
) -> Result<(), Pop3Error> {
    let secret = match &creds.secret {
        Secret::Password(s) | Secret::BearerToken(s) => s.as_str(),
    };
    check_line_safe(method, &creds.username)?;
    check_line_safe(method, secret)?;
    if method != AuthMethod::Apop && !cleartext_ok {
        return Err(Pop3Error::InsecureAuth {
            method: method.name(),
        });
    }
    tracing::debug!(method = method.name(), "logging in");
    let user = &creds.username;
    match method {
        AuthMethod::UserPass => {
            wire.send(format!("USER {user}\r\n").as_bytes()).await?;
            let reply = wire.read_reply().await?;
            if !reply.ok {
                return Err(login_error(reply, "USER"));
            }
            wire.send(format!("PASS {secret}\r\n").as_bytes()).await?;
            finish(wire, "PASS").await
        }
        AuthMethod::Apop => {
            let stamp = timestamp.ok_or(Pop3Error::AuthMethodNotOffered { method: "APOP" })?;
            let hex = apop_digest(stamp, secret);
            wire.send(format!("APOP {user} {hex}\r\n").as_bytes())
                .await?;
            finish(wire, "APOP").await
        }
        AuthMethod::Plain => {
            let blob = BASE64.encode(format!("\0{user}\0{secret}"));
            wire.send(format!("AUTH PLAIN {blob}\r\n").as_bytes())
                .await?;
            finish_sasl(wire).await
        }
        AuthMethod::Login => {
            wire.send(b"AUTH LOGIN\r\n").await?;
            for value in [user.as_str(), secret] {
                expect_continuation(wire).await?;
                let line = format!("{}\r\n", BASE64.encode(value));
                wire.send(line.as_bytes()).await?;
            }
            finish(wire, "AUTH").await
        }
        AuthMethod::XOAuth2 => {
            let blob = BASE64.encode(format!("user={user}\x01auth=Bearer {secret}\x01\x01"));
            wire.send(format!("AUTH XOAUTH2 {blob}\r\n").as_bytes())
                .await?;
            finish_sasl(wire).await
        }
    }
}

/// APOP's proof (RFC 1939 §7): the MD5 of the greeting's timestamp and the secret, in lowercase hex.
fn apop_digest(timestamp: &str, secret: &str) -> String {
    Md5::digest(format!("{timestamp}{secret}").as_bytes())
        .iter()
        .fold(String::with_capacity(32), |mut hex, byte| {
            let _ = std::fmt::Write::write_fmt(&mut hex, format_args!("{byte:02x}"));
            hex
        })
}

/// Reads the final +OK/-ERR of a login step.
async fn finish(wire: &mut Wire<Transport>, command: &'static str) -> Result<(), Pop3Error> {
    let reply = wire.read_reply().await?;
    if reply.ok {
        Ok(())
    } else {
        Err(login_error(reply, command))
    }
}

/// Final reply to a SASL initial response; an error challenge gets an empty answer.
async fn finish_sasl(wire: &mut Wire<Transport>) -> Result<(), Pop3Error> {
    let line = wire.read_line().await?;
    if line.starts_with(b"+ ") || line == b"+" {
        // XOAUTH2 reports failure as a challenge that must be answered with an empty line.
        wire.send(b"\r\n").await?;
    } else {
        let reply = Reply::parse(line)?;
        return if reply.ok {
            Ok(())
        } else {
            Err(login_error(reply, "AUTH"))
        };
    }
    finish(wire, "AUTH").await
}

async fn expect_continuation(wire: &mut Wire<Transport>) -> Result<(), Pop3Error> {
    let line = wire.read_line().await?;
    if line.starts_with(b"+ ") || line == b"+" {
        return Ok(());
    }
    let reply = Reply::parse(line)?;
    Err(if reply.ok {
        Pop3Error::Protocol {
            detail: "server ended SASL exchange early".to_string(),
        }
    } else {
        login_error(reply, "AUTH")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(sasl: &[&str], user: bool) -> Capabilities {
        Capabilities {
            listed: true,
            user,
            sasl: sasl.iter().map(ToString::to_string).collect(),
            ..Capabilities::default()
        }
    }

    #[test]
    fn apop_digest_matches_rfc_1939s_example() {
        assert_eq!(
            apop_digest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf"),
            "c4c9334bac560ecc979e58001b3e22fb"
        );
    }

    #[test]
    fn extracts_apop_timestamp() {
        assert_eq!(
            apop_timestamp("POP3 ready <1896.697170952@dbc.mtview.ca.us>").as_deref(),
            Some("<1896.697170952@dbc.mtview.ca.us>")
        );
        assert_eq!(apop_timestamp("Dovecot ready."), None);
        assert_eq!(apop_timestamp("<no-at-sign>"), None);
    }

    #[test]
    fn chooses_strongest() {
        let pw = Secret::Password("p".into());
        let c = caps(&["PLAIN", "LOGIN"], true);
        assert_eq!(
            choose(None, &c, None, &pw, true).unwrap(),
            AuthMethod::Plain
        );
        assert_eq!(
            choose(None, &c, Some("<a@b>"), &pw, false).unwrap(),
            AuthMethod::Apop
        );
        assert_eq!(
            choose(None, &caps(&[], true), None, &pw, true).unwrap(),
            AuthMethod::UserPass
        );
        assert!(matches!(
            choose(None, &caps(&[], false), None, &pw, true),
            Err(Pop3Error::NoAuthMethod)
        ));
        // No CAPA at all: USER is assumed.
        assert_eq!(
            choose(None, &Capabilities::default(), None, &pw, true).unwrap(),
            AuthMethod::UserPass
        );
    }

    #[test]
    fn after_apop_comes_the_next_offered_method() {
        assert_eq!(
            next_after_apop(&Capabilities::default(), false),
            Some(AuthMethod::UserPass),
            "no CAPA: USER is the baseline"
        );
        assert_eq!(
            next_after_apop(&caps(&["LOGIN"], true), false),
            Some(AuthMethod::Login)
        );
        assert_eq!(next_after_apop(&caps(&[], false), false), None);
    }

    #[test]
    fn forced_and_token_rules() {
        let pw = Secret::Password("p".into());
        let tok = Secret::BearerToken("t".into());
        let c = caps(&["PLAIN"], true);
        assert!(matches!(
            choose(Some(AuthMethod::Login), &c, None, &pw, true),
            Err(Pop3Error::AuthMethodNotOffered { method: "LOGIN" })
        ));
        assert!(matches!(
            choose(Some(AuthMethod::Apop), &c, None, &pw, true),
            Err(Pop3Error::AuthMethodNotOffered { method: "APOP" })
        ));
        assert!(matches!(
            choose(Some(AuthMethod::UserPass), &c, None, &tok, true),
            Err(Pop3Error::CredentialsMismatch { .. })
        ));
        assert!(matches!(
            choose(None, &c, None, &tok, true),
            Err(Pop3Error::AuthMethodNotOffered { method: "XOAUTH2" })
        ));
        let x = caps(&["XOAUTH2", "PLAIN"], false);
        assert_eq!(
            choose(None, &x, None, &tok, true).unwrap(),
            AuthMethod::XOAuth2
        );
    }
}
