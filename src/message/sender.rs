//! The sender as people read it: the one rule for the name a list shows and the `From` line a
//! reader prints, for parsed messages, stored summaries and search hits alike.

use std::fmt;

/// A message's sender: its display name and address, either of which may be empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sender<'a> {
    /// Display name (may be empty).
    pub name: &'a str,
    /// Address (may be empty).
    pub addr: &'a str,
}

impl<'a> Sender<'a> {
    /// A sender from its two parts.
    #[must_use]
    pub fn new(name: &'a str, addr: &'a str) -> Self {
        Self { name, addr }
    }

    /// The name shown in message lists: the display name, else the address (empty only when
    /// the message names neither). The store's `From` sort orders by this same rule.
    #[must_use]
    pub fn shown(self) -> &'a str {
        if self.name.is_empty() {
            self.addr
        } else {
            self.name
        }
    }
}

/// The full form for a `From` line: `Name <addr>`, or whichever of the two the message has.
impl fmt::Display for Sender<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.name.is_empty(), self.addr.is_empty()) {
            (false, false) => write!(f, "{} <{}>", self.name, self.addr),
            (false, true) => f.write_str(self.name),
            (true, _) => f.write_str(self.addr),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Sender;

    #[test]
    fn lists_show_the_name_else_the_address() {
        assert_eq!(Sender::new("Zoë", "zoe@example.org").shown(), "Zoë");
        assert_eq!(
            Sender::new("", "zoe@example.org").shown(),
            "zoe@example.org"
        );
        assert_eq!(Sender::new("Zoë", "").shown(), "Zoë");
        assert_eq!(Sender::new("", "").shown(), "");
    }

    #[test]
    fn from_lines_show_both_parts_when_there_are_two() {
        let line = |name, addr| Sender::new(name, addr).to_string();
        assert_eq!(
            line("Zoë Adams", "zoe@example.org"),
            "Zoë Adams <zoe@example.org>"
        );
        assert_eq!(line("", "zoe@example.org"), "zoe@example.org");
        assert_eq!(line("Zoë Adams", ""), "Zoë Adams");
        assert_eq!(line("", ""), "");
    }
}
