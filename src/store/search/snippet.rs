//! Snippets around the first match, built in Rust from the start of the body.
//!
//! FTS5's `snippet()` re-tokenises whole bodies (≈85 µs each here); scanning a bounded prefix
//! with the same folding rules keeps 200 hits well inside the time budget.

use super::query::Query;

/// Characters shown around a match.
const SNIPPET_CHARS: usize = 160;
/// Words shown before the match.
const WORDS_BEFORE: usize = 6;

/// The query's words, folded (lowercase, accents removed), for matching against text.
pub(super) fn query_words(query: &Query) -> Vec<String> {
    query
        .terms
        .iter()
        .flat_map(|term| {
            term.text
                .split(|ch: char| !ch.is_alphanumeric())
                .map(fold)
                .collect::<Vec<_>>()
        })
        .filter(|word| !word.is_empty())
        .collect()
}

/// A one-line excerpt of `text` starting a few words before the first word that begins with
/// one of `words`; `None` when none occurs.
pub(super) fn around_match(text: &str, words: &[String]) -> Option<String> {
    let position = first_match(text, words)?;
    let mut before: Vec<&str> = text[..position]
        .rsplit(char::is_whitespace)
        .filter(|w| !w.is_empty())
        .take(WORDS_BEFORE + 1)
        .collect();
    // The last piece before the match may be the start of the matched word itself (`(café`).
    let glued = !text[..position].ends_with(char::is_whitespace) && position > 0;
    let prefix = if glued { before.remove(0) } else { "" };
    before.truncate(WORDS_BEFORE);
    let mut excerpt = String::new();
    if text[..position].split_whitespace().count() > before.len() + usize::from(glued) {
        excerpt.push_str("… ");
    }
    for word in before.iter().rev() {
        excerpt.push_str(word);
        excerpt.push(' ');
    }
    excerpt.push_str(prefix);
    let mut shown = excerpt.chars().count();
    for (index, word) in text[position..].split_whitespace().enumerate() {
        if index > 0 {
            if shown + word.chars().count() > SNIPPET_CHARS {
                excerpt.push_str(" …");
                break;
            }
            excerpt.push(' ');
        }
        excerpt.extend(word.chars().filter(|ch| !ch.is_control()));
        shown += word.chars().count() + 1;
    }
    Some(excerpt)
}

/// Byte offset of the first place where a word of `text` starts with one of `words`.
fn first_match(text: &str, words: &[String]) -> Option<usize> {
    // Fast path: ASCII case folding keeps byte offsets and is vectorised.
    let lower = text.to_ascii_lowercase();
    let found = words
        .iter()
        .filter_map(|word| first_at_word_start(&lower, word))
        .min();
    if found.is_some() || text.is_ascii() {
        return found;
    }
    // Accents: fold char by char, remembering where each folded byte came from.
    let mut folded = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len());
    for (offset, ch) in text.char_indices() {
        let folded_char = strip_diacritic(ch.to_lowercase().next().unwrap_or(ch));
        folded.push(folded_char);
        origin.extend(std::iter::repeat_n(offset, folded_char.len_utf8()));
    }
    words
        .iter()
        .filter_map(|word| first_at_word_start(&folded, word))
        .min()
        .and_then(|at| origin.get(at).copied())
}

fn first_at_word_start(haystack: &str, word: &str) -> Option<usize> {
    haystack.match_indices(word).map(|(at, _)| at).find(|&at| {
        haystack[..at]
            .chars()
            .next_back()
            .is_none_or(|before| !before.is_alphanumeric())
    })
}

/// Lowercase with Latin diacritics removed, close to FTS5's `unicode61 remove_diacritics 2`.
pub(super) fn fold(word: &str) -> String {
    word.chars().flat_map(fold_char).collect()
}

/// One character folded as the index folds words: lowercase (which can be more than one
/// character), Latin accents removed.
pub fn fold_char(ch: char) -> impl Iterator<Item = char> {
    ch.to_lowercase().map(strip_diacritic)
}

fn strip_diacritic(ch: char) -> char {
    const FROM: &str =
        "àáâãäåāăąçćĉċčďđèéêëēĕėęěĝğġģĥħìíîïĩīĭįıĵķĺļľŀłñńņňòóôõöøōŏőŕŗřśŝşšţťŧùúûüũūŭůűųŵýÿŷźżž";
    const TO: &str =
        "aaaaaaaaacccccddeeeeeeeeegggghhiiiiiiiiijklllllnnnnooooooooorrrsssstttuuuuuuuuuuwyyyzzz";
    if !('\u{e0}'..='\u{17e}').contains(&ch) {
        return ch;
    }
    FROM.chars()
        .position(|accented| accented == ch)
        .and_then(|index| TO.chars().nth(index))
        .unwrap_or(ch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_like_the_index() {
        assert_eq!(fold("Ça Résumé ŁÓDŹ"), "ca resume lodz");
        assert_eq!(fold("ĳ ĝĥ ŧşž ÿ"), "ĳ gh tsz y");
    }

    #[test]
    fn excerpt_starts_a_few_words_before_the_match() {
        let text = "one two three four five six seven eight nine Café ten eleven";
        let words = vec![fold("cafe")];
        assert_eq!(
            around_match(text, &words).as_deref(),
            Some("… four five six seven eight nine Café ten eleven")
        );
        assert_eq!(around_match("nothing here", &words), None);
        assert_eq!(around_match("(café!)", &words).as_deref(), Some("(café!)"));
        assert_eq!(around_match("x CAFÉ", &words).as_deref(), Some("x CAFÉ"));
        assert_eq!(
            around_match("decafe cafes", &words).as_deref(),
            Some("decafe cafes"),
            "word starts only"
        );
        assert_eq!(
            around_match("Ünïcödé then café", &words).as_deref(),
            Some("Ünïcödé then café")
        );
    }
}
