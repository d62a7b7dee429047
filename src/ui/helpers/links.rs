//! Finds links in plain text so the reader can show them as clickable (and only on a click
//! does anything leave the machine).

/// A piece of body text: plain, or a link to open on click.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    /// Ordinary text.
    Text(&'a str),
    /// An `http`, `https` or `mailto` link.
    Link(&'a str),
}

const SCHEMES: [&str; 3] = ["https://", "http://", "mailto:"];

/// Splits text into plain runs and links. A link ends at whitespace, `<`, `>` or `"`, and
/// trailing punctuation that usually ends a sentence (`.,;:!?)]'`) is left outside it.
#[must_use]
pub fn segments(text: &str) -> Vec<Segment<'_>> {
    // ASCII lowercasing keeps byte offsets, so positions found in `lower` index `text`.
    let lower = text.to_ascii_lowercase();
    let mut segments = Vec::new();
    let mut plain_from = 0;
    let mut search_from = 0;
    let mut next_found = SCHEMES.map(|scheme| lower.find(scheme));
    while let Some(start) = next_link_start(&lower, search_from, &mut next_found) {
        let end = text[start..]
            .find(|ch: char| ch.is_whitespace() || matches!(ch, '<' | '>' | '"'))
            .map_or(text.len(), |length| start + length);
        let link =
            text[start..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', ']', '\'']);
        let is_bare_scheme = SCHEMES
            .iter()
            .any(|scheme| link.eq_ignore_ascii_case(scheme));
        if link.is_empty() || is_bare_scheme {
            search_from = end.max(start + 1);
            continue;
        }
        if start > plain_from {
            segments.push(Segment::Text(&text[plain_from..start]));
        }
        segments.push(Segment::Link(link));
        plain_from = start + link.len();
        search_from = plain_from;
    }
    if plain_from < text.len() {
        segments.push(Segment::Text(&text[plain_from..]));
    }
    segments
}

/// The next scheme at or after `from`. `next_found` remembers each scheme's next position, so
/// long bodies with many links are scanned once per scheme, not once per link.
fn next_link_start(
    lower: &str,
    from: usize,
    next_found: &mut [Option<usize>; SCHEMES.len()],
) -> Option<usize> {
    for (scheme, found) in SCHEMES.iter().zip(next_found.iter_mut()) {
        if found.is_some_and(|position| position < from) {
            *found = lower
                .get(from..)
                .and_then(|rest| rest.find(scheme))
                .map(|offset| from + offset);
        }
    }
    next_found.iter().flatten().copied().min()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_found_and_sentence_punctuation_is_left_out() {
        let text = "See https://example.org/a?b=1. Or write to mailto:me@example.org, thanks";
        assert_eq!(
            segments(text),
            [
                Segment::Text("See "),
                Segment::Link("https://example.org/a?b=1"),
                Segment::Text(". Or write to "),
                Segment::Link("mailto:me@example.org"),
                Segment::Text(", thanks"),
            ]
        );
    }

    #[test]
    fn text_without_links_is_one_segment_and_bare_schemes_are_text() {
        assert_eq!(segments("plain words"), [Segment::Text("plain words")]);
        let joined: String = segments("just http:// here")
            .iter()
            .map(|segment| match segment {
                Segment::Text(text) | Segment::Link(text) => *text,
            })
            .collect();
        assert_eq!(joined, "just http:// here");
        assert!(
            segments("just http:// here")
                .iter()
                .all(|segment| matches!(segment, Segment::Text(_)))
        );
    }

    #[test]
    fn non_ascii_text_around_links_is_kept_whole() {
        let text = "Grüße — https://example.org/ü 報告";
        let joined: String = segments(text)
            .iter()
            .map(|segment| match segment {
                Segment::Text(text) | Segment::Link(text) => *text,
            })
            .collect();
        assert_eq!(joined, text);
    }
}
