//! `format=flowed` (RFC 3676): long paragraphs travel as lines of at most 78 characters that a
//! reader joins again, so replies re-wrap on narrow screens and quotes stay readable.

/// Width a flowed line is wrapped at (RFC 3676 recommends 66–78; Thunderbird uses 72).
pub const WRAP_WIDTH: usize = 72;

/// Encodes typed text as `format=flowed`: each long line is broken at spaces into lines ending
/// in a space (a soft break); trailing spaces of hard lines are removed; lines that start with a
/// space, `From ` or (unquoted) `>` are space-stuffed; quoted lines (`> …`) keep their depth on
/// every piece. The signature separator `-- ` keeps its space. Line ends are CRLF-free (`\n`).
#[must_use]
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.lines() {
        if line == "-- " {
            out.push_str("-- \n");
            continue;
        }
        let line = line.trim_end_matches(' ');
        let depth = line.chars().take_while(|&c| c == '>').count();
        let content = &line[depth..];
        let content = if depth > 0 {
            content.strip_prefix(' ').unwrap_or(content)
        } else {
            content
        };
        let prefix = ">".repeat(depth);
        let width = WRAP_WIDTH.saturating_sub(depth + 1).max(20);
        let pieces = wrap(content, width);
        for piece in &pieces {
            out.push_str(&prefix);
            if depth > 0 || needs_stuffing(piece) {
                out.push(' ');
            }
            out.push_str(piece);
            out.push('\n');
        }
    }
    out
}

fn needs_stuffing(piece: &str) -> bool {
    piece.starts_with(' ') || piece.starts_with('>') || piece.starts_with("From ")
}

/// Breaks `content` into pieces of about `width` characters at spaces; every piece but the last
/// keeps its trailing space (the soft break). A word longer than `width` stays whole.
fn wrap(content: &str, width: usize) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut rest = content;
    while rest.chars().count() > width {
        let limit = rest
            .char_indices()
            .nth(width)
            .map_or(rest.len(), |(i, _)| i);
        // Break after the last space within the width, else after the first space beyond it.
        let cut = rest[..limit]
            .rfind(' ')
            .filter(|&i| i > 0)
            .or_else(|| rest[limit..].find(' ').map(|i| i + limit));
        let Some(space) = cut else { break };
        pieces.push(&rest[..=space]);
        rest = &rest[space + 1..];
    }
    pieces.push(rest);
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 3676 section 4.2 decoding: soft-broken lines join, stuffing goes.
    fn decode(flowed: &str) -> String {
        let mut out = String::new();
        for line in flowed.lines() {
            let depth = line.chars().take_while(|&c| c == '>').count();
            let body = &line[depth..];
            let body = body.strip_prefix(' ').unwrap_or(body);
            if out.is_empty() || out.ends_with('\n') {
                out.push_str(&">".repeat(depth));
                if depth > 0 {
                    out.push(' ');
                }
            }
            out.push_str(body);
            if !(body.ends_with(' ') && body != "-- ") {
                out.push('\n');
            }
        }
        out
    }

    #[test]
    fn long_lines_wrap_with_soft_breaks_and_join_again() {
        let paragraph = "word ".repeat(40).trim_end().to_owned();
        let text = format!("{paragraph}\n\nshort line\n");
        let flowed = encode(&text);
        assert!(
            flowed.lines().all(|l| l.chars().count() <= WRAP_WIDTH + 1),
            "{flowed}"
        );
        assert!(flowed.lines().next().expect("line").ends_with(' '));
        assert_eq!(decode(&flowed), text);
    }

    #[test]
    fn quotes_keep_their_depth_and_stuffing_protects_leading_marks() {
        let text = format!(
            "> {}\n>> deeper\nFrom here\n-- \nsig\n",
            "q ".repeat(50).trim_end()
        );
        let flowed = encode(&text);
        assert!(
            flowed.lines().take(2).all(|l| l.starts_with("> q")),
            "{flowed}"
        );
        assert!(flowed.contains("\n>> deeper\n"));
        assert!(flowed.contains("\n From here\n"));
        assert!(flowed.contains("\n-- \nsig\n"));
        assert_eq!(decode(&flowed), text);
    }

    #[test]
    fn trailing_spaces_of_hard_lines_go_and_long_words_stay_whole() {
        assert_eq!(encode("ends in spaces   \nnext"), "ends in spaces\nnext\n");
        let word = "x".repeat(100);
        assert_eq!(encode(&word), format!("{word}\n"));
    }
}
