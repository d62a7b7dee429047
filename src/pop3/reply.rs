//! Parsing of status lines (`+OK` / `-ERR`), response codes and listings.

use super::error::Pop3Error;

/// Longest server text kept in errors and replies, in characters.
const MAX_TEXT_CHARS: usize = 200;

/// An RFC 2449 / RFC 3206 extended response code, e.g. `[IN-USE]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseCode {
    /// `[IN-USE]`: mailbox locked by another session.
    InUse,
    /// `[LOGIN-DELAY]`: minimum time between logins not yet elapsed.
    LoginDelay,
    /// `[AUTH]`: credentials were wrong.
    Auth,
    /// `[SYS/TEMP]`: temporary system failure.
    SysTemp,
    /// `[SYS/PERM]`: permanent system failure.
    SysPerm,
    /// Any other code, upper-cased, without brackets.
    Other(String),
}

impl ResponseCode {
    /// Parses the text between the brackets (case-insensitive).
    pub fn parse(code: &str) -> ResponseCode {
        let upper = code.trim().to_ascii_uppercase();
        match upper.as_str() {
            "IN-USE" => ResponseCode::InUse,
            "LOGIN-DELAY" => ResponseCode::LoginDelay,
            "AUTH" => ResponseCode::Auth,
            "SYS/TEMP" => ResponseCode::SysTemp,
            "SYS/PERM" => ResponseCode::SysPerm,
            _ => ResponseCode::Other(sanitize(&upper)),
        }
    }
}

/// One parsed status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// True for `+OK`, false for `-ERR`.
    pub ok: bool,
    /// Extended response code, if the text starts with `[...]`.
    pub code: Option<ResponseCode>,
    /// The rest of the line, sanitised and capped.
    pub text: String,
}

impl Reply {
    /// Parses a status line given without its line ending.
    pub fn parse(line: &[u8]) -> Result<Reply, Pop3Error> {
        let (ok, rest) = if let Some(rest) = strip_prefix_ci(line, b"+OK") {
            (true, rest)
        } else if let Some(rest) = strip_prefix_ci(line, b"-ERR") {
            (false, rest)
        } else {
            return Err(Pop3Error::Protocol {
                detail: format!("expected +OK or -ERR, got {}", describe(line)),
            });
        };
        // "+OKfoo" is not a status indicator; the indicator ends at a space or the line end.
        if !rest.is_empty() && rest[0] != b' ' {
            return Err(Pop3Error::Protocol {
                detail: format!("malformed status line ({})", describe(line)),
            });
        }
        let rest = String::from_utf8_lossy(rest);
        let rest = rest.trim_start();
        let (code, text) = split_code(rest);
        Ok(Reply {
            ok,
            code,
            text: sanitize(text),
        })
    }

    /// Turns an `-ERR` reply to `command` into the matching typed error.
    pub fn into_error(self, command: &'static str) -> Pop3Error {
        let text = self.text;
        match self.code {
            Some(ResponseCode::InUse) => Pop3Error::MailboxInUse { text },
            Some(ResponseCode::LoginDelay) => Pop3Error::LoginDelay { text },
            Some(ResponseCode::Auth) => Pop3Error::AuthFailed { text },
            Some(ResponseCode::SysTemp) => Pop3Error::TemporaryFailure { command, text },
            Some(ResponseCode::SysPerm) => Pop3Error::PermanentFailure { command, text },
            code => Pop3Error::Refused {
                command,
                code,
                text,
            },
        }
    }
}

/// Splits a leading `[CODE]` from the text, if present and well formed.
fn split_code(rest: &str) -> (Option<ResponseCode>, &str) {
    if let Some(inner) = rest.strip_prefix('[')
        && let Some(end) = inner.find(']')
    {
        let code = &inner[..end];
        if !code.is_empty() && !code.contains(' ') {
            return (
                Some(ResponseCode::parse(code)),
                inner[end + 1..].trim_start(),
            );
        }
    }
    (None, rest)
}

fn strip_prefix_ci<'a>(line: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    if line.len() >= prefix.len() && line[..prefix.len()].eq_ignore_ascii_case(prefix) {
        Some(&line[prefix.len()..])
    } else {
        None
    }
}

/// Removes control characters and caps the length, for text shown to users.
pub fn sanitize(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .take(MAX_TEXT_CHARS)
        .collect::<String>()
        .trim()
        .to_string()
}

/// Describes unexpected bytes by shape only: when replies are out of step
/// they may be message content, which must not reach errors or logs.
pub fn describe(bytes: &[u8]) -> String {
    let printable = bytes.iter().all(|b| (0x20..0x7f).contains(b));
    let kind = if printable { "text" } else { "binary" };
    format!("a {}-byte {kind} line", bytes.len())
}

/// Parses the two fields of a listing line: `NUMBER ARG` (LIST, UIDL, STAT).
pub fn parse_number_and_arg(line: &[u8], command: &str) -> Result<(u32, String), Pop3Error> {
    let bad = || Pop3Error::Protocol {
        detail: format!("malformed {command} line ({})", describe(line)),
    };
    let text = std::str::from_utf8(line).map_err(|_| bad())?;
    let mut fields = text.split_ascii_whitespace();
    let number = fields
        .next()
        .and_then(|f| f.parse::<u32>().ok())
        .ok_or_else(bad)?;
    let arg = fields.next().ok_or_else(bad)?;
    Ok((number, arg.to_string()))
}

/// Parses `NUMBER SIZE` (a LIST line or a STAT reply text).
pub fn parse_number_and_size(line: &[u8], command: &str) -> Result<(u32, u64), Pop3Error> {
    let (number, arg) = parse_number_and_arg(line, command)?;
    let size = arg.parse::<u64>().map_err(|_| Pop3Error::Protocol {
        detail: format!("malformed {command} size ({})", describe(arg.as_bytes())),
    })?;
    Ok((number, size))
}

/// Parses a UIDL line; unique ids are 1–70 printable ASCII characters (RFC 1939).
pub fn parse_uidl_line(line: &[u8]) -> Result<(u32, String), Pop3Error> {
    let (number, uid) = parse_number_and_arg(line, "UIDL")?;
    // An id with spaces would otherwise be cut to its first word (see `Session::listing`).
    let whole = line
        .trim_ascii()
        .split(u8::is_ascii_whitespace)
        .filter(|f| !f.is_empty())
        .count()
        == 2;
    if !whole || uid.len() > 70 || !uid.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(Pop3Error::Protocol {
            detail: format!("malformed UIDL id ({})", describe(uid.as_bytes())),
        });
    }
    Ok((number, uid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ok_and_err_with_codes() {
        let r = Reply::parse(b"+OK Dovecot ready.").unwrap();
        assert!(r.ok);
        assert_eq!(r.code, None);
        assert_eq!(r.text, "Dovecot ready.");
        let r = Reply::parse(b"-ERR [IN-USE] Mailbox locked").unwrap();
        assert!(!r.ok);
        assert_eq!(r.code, Some(ResponseCode::InUse));
        assert_eq!(r.text, "Mailbox locked");
        let r = Reply::parse(b"-err [sys/temp] try later").unwrap();
        assert_eq!(r.code, Some(ResponseCode::SysTemp));
        let r = Reply::parse(b"-ERR [AUTH] Authentication failed.").unwrap();
        assert!(matches!(r.into_error("PASS"), Pop3Error::AuthFailed { .. }));
        let r = Reply::parse(b"+OK").unwrap();
        assert_eq!(r.text, "");
    }

    type Check = fn(&Pop3Error) -> bool;

    #[test]
    fn every_code_maps_to_its_error() {
        let cases: [(&[u8], Check); 6] = [
            (b"-ERR [IN-USE] x", |e| {
                matches!(e, Pop3Error::MailboxInUse { .. })
            }),
            (b"-ERR [LOGIN-DELAY] x", |e| {
                matches!(e, Pop3Error::LoginDelay { .. })
            }),
            (b"-ERR [AUTH] x", |e| {
                matches!(e, Pop3Error::AuthFailed { .. })
            }),
            (b"-ERR [SYS/TEMP] x", |e| {
                matches!(e, Pop3Error::TemporaryFailure { .. })
            }),
            (b"-ERR [SYS/PERM] x", |e| {
                matches!(e, Pop3Error::PermanentFailure { .. })
            }),
            (
                b"-ERR [XYZ] x",
                |e| matches!(e, Pop3Error::Refused { code: Some(ResponseCode::Other(c)), .. } if c == "XYZ"),
            ),
        ];
        for (line, check) in cases {
            let err = Reply::parse(line).unwrap().into_error("PASS");
            assert!(check(&err), "{line:?} gave {err:?}");
            assert!(err.to_string().starts_with("cannot"), "{err}");
        }
    }

    #[test]
    fn bracket_without_code_is_text() {
        let r = Reply::parse(b"-ERR [not a code] hmm").unwrap();
        assert_eq!(r.code, None);
        assert_eq!(r.text, "[not a code] hmm");
        let r = Reply::parse(b"-ERR [unterminated").unwrap();
        assert_eq!(r.code, None);
    }

    #[test]
    fn protocol_errors_never_quote_the_line() {
        let err = Reply::parse(b"Subject: secret plans").unwrap_err();
        let text = err.to_string();
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("21-byte text line"), "{text}");
    }

    #[test]
    fn rejects_garbage_status() {
        assert!(Reply::parse(b"HELLO").is_err());
        assert!(Reply::parse(b"+OKAY").is_err());
        assert!(Reply::parse(b"").is_err());
        assert!(Reply::parse(b"\xff\xfe").is_err());
    }

    #[test]
    fn sanitises_control_characters_and_length() {
        let r = Reply::parse(b"-ERR bad\x1b[31m\x07 thing").unwrap();
        assert_eq!(r.text, "bad[31m thing");
        let long = [b'a'; 5000];
        let mut line = b"+OK ".to_vec();
        line.extend_from_slice(&long);
        assert_eq!(Reply::parse(&line).unwrap().text.len(), MAX_TEXT_CHARS);
    }

    #[test]
    fn parses_listing_lines() {
        assert_eq!(parse_number_and_size(b"3 1200", "LIST").unwrap(), (3, 1200));
        assert!(parse_number_and_size(b"3", "LIST").is_err());
        assert!(parse_number_and_size(b"x 1", "LIST").is_err());
        assert!(parse_number_and_size(b"1 -5", "LIST").is_err());
        assert_eq!(
            parse_uidl_line(b"7 abc.def").unwrap(),
            (7, "abc.def".to_string())
        );
        assert!(parse_uidl_line(&[b'1', b' ', 0xff]).is_err());
        let long = format!("1 {}", "u".repeat(71));
        assert!(parse_uidl_line(long.as_bytes()).is_err());
        assert!(
            parse_uidl_line(b"8 abc def").is_err(),
            "never a shortened id"
        );
    }
}
