//! Addresses as people type them: `Ada <ada@example.org>, bob@example.org; "Lee, Sam" <sam@x.org>`.

use std::fmt;

/// One mailbox: an optional display name and an address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mailbox {
    /// Display name; empty for a bare address.
    pub name: String,
    /// `local@domain`.
    pub addr: String,
}

impl Mailbox {
    /// A mailbox with this name and address.
    #[must_use]
    pub fn new(name: impl Into<String>, addr: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            addr: addr.into(),
        }
    }

    /// True when `other` is the same address (case-insensitive, as mail systems compare them).
    #[must_use]
    pub fn same_address(&self, other: &str) -> bool {
        self.addr.eq_ignore_ascii_case(other.trim())
    }
}

/// How the header and the compose window show it: `Name <addr>`, quoted when the name needs it.
impl fmt::Display for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.name.is_empty() {
            return f.write_str(&self.addr);
        }
        if self.name.contains([',', ';', '<', '>', '"', '@', ':']) {
            let escaped = self.name.replace('\\', "\\\\").replace('"', "\\\"");
            write!(f, "\"{escaped}\" <{}>", self.addr)
        } else {
            write!(f, "{} <{}>", self.name, self.addr)
        }
    }
}

/// A typed address that is not one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{text}” is not an email address ({why})")]
pub struct BadAddress {
    /// The item as typed.
    pub text: String,
    /// What is wrong with it.
    pub why: &'static str,
}

/// Joins mailboxes the way a header or a field shows them.
#[must_use]
pub fn format_list(mailboxes: &[Mailbox]) -> String {
    mailboxes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Splits a typed list at commas and semicolons outside quotes and angle brackets, and reads
/// each item; empty items are skipped.
///
/// # Errors
/// [`BadAddress`] for the first item that is not an address.
pub fn parse_list(text: &str) -> Result<Vec<Mailbox>, BadAddress> {
    split_items(text)
        .into_iter()
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(parse_one)
        .collect()
}

fn split_items(text: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut quoted, mut angle, mut escaped) = (false, false, false);
    let mut start = 0;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            '<' if !quoted => angle = true,
            '>' if !quoted => angle = false,
            ',' | ';' if !quoted && !angle => {
                items.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&text[start..]);
    items
}

fn parse_one(item: &str) -> Result<Mailbox, BadAddress> {
    let bad = |why| BadAddress {
        text: item.to_owned(),
        why,
    };
    let (name, addr) = match (item.rfind('<'), item.ends_with('>')) {
        (Some(open), true) => (item[..open].trim(), item[open + 1..item.len() - 1].trim()),
        (None, false) => ("", item),
        _ => return Err(bad("an angle bracket is missing")),
    };
    let name = unquote(name);
    check_addr(addr).map_err(bad)?;
    if name.chars().any(char::is_control) {
        return Err(bad("the name holds control characters"));
    }
    Ok(Mailbox::new(name, addr))
}

fn unquote(name: &str) -> String {
    let Some(inner) = name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) else {
        return name.to_owned();
    };
    let mut out = String::with_capacity(inner.len());
    let mut escaped = false;
    for c in inner.chars() {
        if escaped || c != '\\' {
            out.push(c);
            escaped = false;
        } else {
            escaped = true;
        }
    }
    out
}

/// An address the SMTP envelope can carry: `local@domain`, ASCII (no SMTPUTF8), no spaces.
fn check_addr(addr: &str) -> Result<(), &'static str> {
    let Some((local, domain)) = addr.rsplit_once('@') else {
        return Err("no @");
    };
    if local.is_empty() || domain.is_empty() {
        return Err("nothing before or after the @");
    }
    if !addr.is_ascii() {
        return Err("letters outside ASCII are not supported in addresses yet");
    }
    if addr
        .chars()
        .any(|c| c.is_ascii_whitespace() || c.is_ascii_control() || "<>()[],;\\\"".contains(c))
    {
        return Err("spaces or special characters");
    }
    if !domain.contains('.') && !domain.eq_ignore_ascii_case("localhost") {
        return Err("the domain has no dot");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_lists_split_outside_quotes_and_brackets() {
        let list = parse_list(r#"Ada <ada@example.org>, bob@example.org; "Lee, Sam" <sam@x.org>,"#)
            .expect("valid");
        assert_eq!(
            list,
            vec![
                Mailbox::new("Ada", "ada@example.org"),
                Mailbox::new("", "bob@example.org"),
                Mailbox::new("Lee, Sam", "sam@x.org"),
            ]
        );
        assert_eq!(
            format_list(&list),
            r#"Ada <ada@example.org>, bob@example.org, "Lee, Sam" <sam@x.org>"#
        );
    }

    #[test]
    fn what_is_not_an_address_says_why() {
        for (text, why) in [
            ("bob", "no @"),
            ("bob@", "nothing before or after the @"),
            ("bo b@x.org", "spaces or special characters"),
            ("Ada <ada@x.org", "an angle bracket is missing"),
            (
                "jörg@x.org",
                "letters outside ASCII are not supported in addresses yet",
            ),
        ] {
            let err = parse_list(text).expect_err(text);
            assert_eq!(err.why, why, "{text}");
        }
        assert!(parse_list("  ,  ; ").expect("empty").is_empty());
    }
}
