//! Text from mail made safe to print: a subject or body must not drive the terminal.
//!
//! Control characters (C0, DEL, C1) and bidirectional overrides are written as visible
//! escapes (`\x1b`, `\u{202e}`), so `ESC ] 0 ; … BEL` shows as text instead of retitling the
//! window. `show --raw` bypasses this and stays byte-exact.

use std::fmt::Write as _;

/// One line of text: every control character escaped, newlines and tabs included.
pub(super) fn safe_line(text: &str) -> String {
    escape(text, false)
}

/// A body: newlines and tabs kept, every other control character escaped.
pub(super) fn safe_body(text: &str) -> String {
    escape(text, true)
}

fn escape(text: &str, keep_layout: bool) -> String {
    let mut safe = String::with_capacity(text.len());
    for ch in text.chars() {
        let code = u32::from(ch);
        match ch {
            '\n' | '\t' if keep_layout => safe.push(ch),
            // CR too: it would let a line overwrite what came before it.
            _ if code < 0x20 || code == 0x7f => {
                let _ = write!(safe, "\\x{code:02x}");
            }
            '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                let _ = write!(safe, "\\u{{{code:x}}}");
            }
            _ => safe.push(ch),
        }
    }
    safe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_escapes() {
        assert_eq!(
            safe_line("a\x1b]0;pwned\x07b\x1b[31mred\tx\ny\u{9b}z\u{202e}w\x7f"),
            "a\\x1b]0;pwned\\x07b\\x1b[31mred\\x09x\\x0ay\\u{9b}z\\u{202e}w\\x7f"
        );
        assert_eq!(
            safe_body("line\tone\nline\rtwo\x1b"),
            "line\tone\nline\\x0dtwo\\x1b"
        );
        assert_eq!(safe_body("Grüße, 日本語"), "Grüße, 日本語");
    }
}
