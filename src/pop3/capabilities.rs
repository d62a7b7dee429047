//! The server's CAPA listing (RFC 2449).

/// What the server said it supports. Empty when CAPA failed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one flag per CAPA tag, as RFC 2449 lists them"
)]
pub struct Capabilities {
    /// True when CAPA itself answered +OK.
    pub listed: bool,
    /// `TOP`.
    pub top: bool,
    /// `UIDL`.
    pub uidl: bool,
    /// `USER` (USER/PASS login).
    pub user: bool,
    /// `STLS`.
    pub stls: bool,
    /// `PIPELINING`.
    pub pipelining: bool,
    /// `RESP-CODES`.
    pub resp_codes: bool,
    /// SASL mechanisms, upper-cased.
    pub sasl: Vec<String>,
    /// The lines as the server sent them, for people to read: control characters removed,
    /// at most 64 lines of at most 200 characters.
    pub lines: Vec<String>,
}

/// Most CAPA lines kept in [`Capabilities::lines`].
const MAX_SHOWN_LINES: usize = 64;
/// Longest CAPA line kept in [`Capabilities::lines`], in characters.
const MAX_SHOWN_LINE_CHARS: usize = 200;

impl Capabilities {
    /// Adds one CAPA line (tag and arguments, case-insensitive tag).
    pub fn add_line(&mut self, line: &[u8]) {
        let text = String::from_utf8_lossy(line);
        if self.lines.len() < MAX_SHOWN_LINES {
            let shown: String = text
                .chars()
                .filter(|c| !c.is_control())
                .take(MAX_SHOWN_LINE_CHARS)
                .collect();
            if !shown.trim().is_empty() {
                self.lines.push(shown);
            }
        }
        let mut words = text.split_ascii_whitespace();
        let Some(tag) = words.next() else { return };
        match tag.to_ascii_uppercase().as_str() {
            "TOP" => self.top = true,
            "UIDL" => self.uidl = true,
            "USER" => self.user = true,
            "STLS" => self.stls = true,
            "PIPELINING" => self.pipelining = true,
            "RESP-CODES" => self.resp_codes = true,
            "SASL" => {
                // Bounded: a hostile server cannot grow this beyond one 8 KiB line's worth.
                self.sasl = words.map(str::to_ascii_uppercase).collect();
            }
            _ => {}
        }
    }

    /// True when SASL mechanism `name` is listed.
    pub fn has_sasl(&self, name: &str) -> bool {
        self.sasl.iter().any(|m| m.eq_ignore_ascii_case(name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_dovecot_capa() {
        let mut caps = Capabilities::default();
        for line in [
            "CAPA",
            "TOP",
            "UIDL",
            "RESP-CODES",
            "PIPELINING",
            "AUTH-RESP-CODE",
            "STLS",
            "USER",
            "SASL PLAIN login",
            "",
        ] {
            caps.add_line(line.as_bytes());
        }
        assert!(caps.top && caps.uidl && caps.pipelining && caps.stls && caps.user);
        assert!(caps.has_sasl("LOGIN") && caps.has_sasl("plain"));
        assert!(!caps.has_sasl("XOAUTH2"));
        assert_eq!(caps.lines[0], "CAPA");
        assert_eq!(caps.lines[8], "SASL PLAIN login", "kept as sent");
        assert_eq!(caps.lines.len(), 9, "the empty line is not shown");
    }

    #[test]
    fn shown_lines_are_sanitised_and_capped() {
        let mut caps = Capabilities::default();
        caps.add_line(b"LOGIN-DELAY 900");
        caps.add_line(b"EXPIRE NEVER\x1b[31m\x07");
        caps.add_line(&[b'X'; 1000]);
        for _ in 0..100 {
            caps.add_line(b"TOP");
        }
        assert_eq!(caps.lines[0], "LOGIN-DELAY 900");
        assert_eq!(caps.lines[1], "EXPIRE NEVER[31m");
        assert_eq!(caps.lines[2].len(), MAX_SHOWN_LINE_CHARS);
        assert_eq!(caps.lines.len(), MAX_SHOWN_LINES);
        assert!(caps.top);
    }
}
