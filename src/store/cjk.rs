//! Chinese, Japanese and Korean text has no spaces between words, and FTS5's `unicode61`
//! tokenizer would index a whole run of ideographs as one token. Indexing each CJK character as
//! its own token, and turning a CJK query into a phrase of characters, finds any substring.

use std::borrow::Cow;

/// True for characters of scripts written without spaces between words.
#[must_use]
pub fn is_cjk(ch: char) -> bool {
    matches!(ch,
        '\u{3040}'..='\u{30ff}'     // Hiragana, Katakana
        | '\u{3400}'..='\u{4dbf}'   // CJK Extension A
        | '\u{4e00}'..='\u{9fff}'   // CJK Unified Ideographs
        | '\u{ac00}'..='\u{d7af}'   // Hangul syllables
        | '\u{f900}'..='\u{faff}'   // CJK Compatibility Ideographs
        | '\u{20000}'..='\u{2ffff}' // CJK Extensions B and later
    )
}

/// `text` with a space on each side of every CJK character (unchanged when there is none).
#[must_use]
pub fn space_out(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_cjk) {
        return Cow::Borrowed(text);
    }
    let mut spaced = String::with_capacity(text.len() + text.len() / 2);
    for ch in text.chars() {
        if is_cjk(ch) {
            spaced.push(' ');
            spaced.push(ch);
            spaced.push(' ');
        } else {
            spaced.push(ch);
        }
    }
    Cow::Owned(spaced)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_out_only_cjk() {
        assert_eq!(space_out("plain text"), "plain text");
        assert_eq!(space_out("你好abc"), " 你  好 abc");
        assert_eq!(space_out("カタカナ"), " カ  タ  カ  ナ ");
        assert_eq!(space_out("한국어"), " 한  국  어 ");
    }
}
