//! Guards around HTML→text: a linear look at the markup decides whether html2text may render
//! it, and a linear tag stripper reads what it may not.
//!
//! html2text's time grows with the square of the nesting depth (measured: 3,200 nested `<div>`
//! take 0.2 s, 100,000 take 270 s) and by about 10 µs per element, so hostile markup is
//! refused before it reaches the renderer.

use memchr::{memchr, memmem};

/// Deepest element nesting handed to html2text.
pub(super) const MAX_DEPTH: usize = 200;
/// Render budget per message, in units of about 0.1 µs on the machine it was measured on
/// (about 1 s).
pub(super) const MAX_RENDER_COST: u64 = 10_000_000;
/// Cost of one element beyond its depth (the renderer spends ~10 µs per element).
const ELEMENT_COST: u64 = 100;
/// Elements that never hold children, so they never deepen the tree.
const VOID_ELEMENTS: [&[u8]; 14] = [
    b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta", b"param",
    b"source", b"track", b"wbr",
];
/// Elements an opening tag of the same name closes when it is the innermost one.
const SELF_CLOSING_SIBLINGS: [&[u8]; 8] =
    [b"p", b"li", b"dt", b"dd", b"option", b"tr", b"td", b"th"];
/// Elements whose content is raw text: no tags inside them.
const RAW_TEXT_ELEMENTS: [&[u8]; 4] = [b"script", b"style", b"textarea", b"title"];
/// Elements whose content the stripper leaves out.
const HIDDEN_ELEMENTS: [&[u8]; 3] = [b"script", b"style", b"title"];
/// Elements after which the stripper starts a new line.
const BLOCK_ELEMENTS: [&[u8]; 22] = [
    b"p",
    b"div",
    b"br",
    b"li",
    b"tr",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"table",
    b"blockquote",
    b"hr",
    b"pre",
    b"ul",
    b"ol",
    b"dt",
    b"dd",
    b"section",
    b"article",
    b"header",
];
/// Longest element name remembered when scanning; longer names are cut (they still match).
const NAME_KEPT: usize = 16;

/// One tag found by [`next_tag`].
struct Tag<'a> {
    /// Lowercased name, cut to [`NAME_KEPT`] bytes.
    name: Vec<u8>,
    closing: bool,
    /// Bytes of the input before the tag and after it.
    before: &'a [u8],
    after: &'a [u8],
}

/// The next tag at or after the start of `input`, skipping comments, doctypes and `<` that
/// start no tag; `None` when there is none. Returns the text before it as well.
fn next_tag(input: &[u8]) -> Option<Tag<'_>> {
    let mut search_from = 0;
    loop {
        let open = search_from + memchr(b'<', &input[search_from..])?;
        let rest = &input[open + 1..];
        if rest.starts_with(b"!--") {
            // A comment ends at `-->`; an unterminated one runs to the end.
            let end = memmem::find(&rest[3..], b"-->").map_or(input.len(), |at| open + 4 + at + 3);
            return Some(Tag {
                name: Vec::new(),
                closing: false,
                before: &input[..open],
                after: &input[end..],
            });
        }
        let (closing, name_start) = match rest.first() {
            Some(b'/') => (true, 1),
            Some(b'!' | b'?') => (false, 0),
            Some(byte) if byte.is_ascii_alphabetic() => (false, 0),
            _ => {
                search_from = open + 1;
                continue;
            }
        };
        let name: Vec<u8> = rest[name_start..]
            .iter()
            .take_while(|byte| byte.is_ascii_alphanumeric() || **byte == b'-')
            .take(NAME_KEPT)
            .map(u8::to_ascii_lowercase)
            .collect();
        let end = memchr(b'>', rest).map_or(input.len(), |at| open + 1 + at + 1);
        let is_declaration = matches!(rest.first(), Some(b'!' | b'?'));
        return Some(Tag {
            name: if is_declaration { Vec::new() } else { name },
            closing,
            before: &input[..open],
            after: &input[end..],
        });
    }
}

/// The input after the end tag of raw-text element `name` (`</script` …), or empty when it
/// is never closed. Linear: one pass, comparing a fixed-length window case-insensitively.
fn skip_raw_text<'a>(input: &'a [u8], name: &[u8]) -> &'a [u8] {
    let mut at = 0;
    while let Some(offset) = memmem::find(&input[at..], b"</") {
        let start = at + offset + 2;
        if input.len() >= start + name.len()
            && input[start..start + name.len()].eq_ignore_ascii_case(name)
        {
            let end = memchr(b'>', &input[start..]).map_or(input.len(), |gt| start + gt + 1);
            return &input[end..];
        }
        at = start;
    }
    &[]
}

fn is_one_of(name: &[u8], names: &[&[u8]]) -> bool {
    names.contains(&name)
}

/// The estimated cost of rendering `html` with html2text, or `None` when some element nests
/// deeper than [`MAX_DEPTH`] or the cost passes `budget`. Linear in the input; it errs
/// towards refusing (an unknown end tag closes nothing, as in a browser).
pub(super) fn render_cost(html: &str, budget: u64) -> Option<u64> {
    let mut open_elements: Vec<Vec<u8>> = Vec::new();
    let mut cost: u64 = 0;
    let mut rest = html.as_bytes();
    while let Some(tag) = next_tag(rest) {
        rest = tag.after;
        if tag.name.is_empty() {
            continue;
        }
        if tag.closing {
            if let Some(at) = open_elements.iter().rposition(|open| *open == tag.name) {
                open_elements.truncate(at);
            }
            continue;
        }
        if is_one_of(&tag.name, &SELF_CLOSING_SIBLINGS) && open_elements.last() == Some(&tag.name) {
            open_elements.pop();
        }
        let depth = open_elements.len() + 1;
        cost += ELEMENT_COST + depth as u64;
        if cost > budget || depth > MAX_DEPTH {
            return None;
        }
        if is_one_of(&tag.name, &RAW_TEXT_ELEMENTS) {
            rest = skip_raw_text(rest, &tag.name);
        } else if !is_one_of(&tag.name, &VOID_ELEMENTS) {
            open_elements.push(tag.name);
        }
    }
    Some(cost)
}

/// Crude, linear HTML→text for markup the renderer is not given: tags dropped (block tags end
/// a line), scripts and styles left out, common entities decoded, runs of blanks collapsed.
pub(super) fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len().min(super::MAX_BODY_TEXT));
    let mut rest = html.as_bytes();
    loop {
        let Some(tag) = next_tag(rest) else {
            push_text(&mut text, rest);
            break;
        };
        push_text(&mut text, tag.before);
        rest = tag.after;
        if !tag.closing && is_one_of(&tag.name, &HIDDEN_ELEMENTS) {
            rest = skip_raw_text(rest, &tag.name);
        }
        if is_one_of(&tag.name, &BLOCK_ELEMENTS) {
            end_line(&mut text);
        }
        if text.len() >= super::MAX_BODY_TEXT {
            break;
        }
    }
    text.truncate(text.trim_end().len());
    text
}

/// Ends the current line (no blank lines: the stripper cannot tell paragraphs apart reliably).
fn end_line(text: &mut String) {
    text.truncate(text.trim_end_matches(' ').len());
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
}

/// Appends text between tags: entities decoded, whitespace runs made one space.
fn push_text(text: &mut String, raw: &[u8]) {
    let raw = String::from_utf8_lossy(raw);
    let mut chars = raw.char_indices().peekable();
    while let Some((at, ch)) = chars.next() {
        let decoded = if ch == '&' {
            match decode_entity(&raw[at..]) {
                Some((entity, length)) => {
                    // Skip the rest of the entity (all ASCII, so bytes are chars).
                    for _ in 1..length {
                        chars.next();
                    }
                    entity
                }
                None => ch,
            }
        } else {
            ch
        };
        if decoded.is_whitespace() {
            if !text.is_empty() && !text.ends_with([' ', '\n']) {
                text.push(' ');
            }
        } else if !decoded.is_control() {
            text.push(decoded);
        }
    }
}

/// The character an entity at the start of `text` stands for, and its length in bytes.
fn decode_entity(text: &str) -> Option<(char, usize)> {
    let end = text.bytes().take(12).position(|byte| byte == b';')?;
    let name = &text[1..end];
    let ch = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)?
        }
    };
    Some((ch, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fits_renderer(html: &str) -> bool {
        render_cost(html, MAX_RENDER_COST).is_some()
    }

    fn nested(depth: usize) -> String {
        format!("{}deep{}", "<div>".repeat(depth), "</div>".repeat(depth))
    }

    #[test]
    fn depth_bound_counts_open_elements() {
        assert!(fits_renderer(&nested(MAX_DEPTH)));
        assert!(!fits_renderer(&nested(MAX_DEPTH + 1)));
        // Void elements, siblings, comments and script contents do not deepen the tree.
        let flat =
            "<p>a<p>b<br><img src=x><!-- <div><div> --><script><div><div></script>".repeat(1000);
        assert!(fits_renderer(&flat));
    }

    #[test]
    fn end_tags_that_close_nothing_do_not_hide_depth() {
        assert!(!fits_renderer(&"<div></span>".repeat(MAX_DEPTH + 1)));
        assert!(!fits_renderer(&"<div/>".repeat(MAX_DEPTH + 1)));
        assert!(!fits_renderer(&"<li><ul>".repeat(MAX_DEPTH)));
    }

    #[test]
    fn element_count_is_bounded_too() {
        assert!(fits_renderer(&"<span>x</span>".repeat(10_000)));
        assert!(!fits_renderer(&"<span>x</span>".repeat(200_000)));
    }

    #[test]
    fn stripper_keeps_text_lines_and_entities() {
        let text = strip_tags(
            "<html><head><title>T</title><style>p{}</style></head><body><h1>Hi&nbsp;there</h1>\
             <p>one   &amp; two</p><p>caf&#233; &#x263A; &bogus; <b>bold</b></p><script>evil()</script>\
             <div><div>deep</div></div></body></html>",
        );
        assert_eq!(text, "Hi there\none & two\ncafé ☺ &bogus; bold\ndeep");
    }
}
