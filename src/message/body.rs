//! The readable body: text/plain preferred, else HTML converted to text with visible links.

use mail_parser::{Message, MimeHeaders, PartType};

use super::{MAX_BODY_TEXT, html};

/// Longest HTML fed to the converter; bigger documents are cut first to bound time and memory.
const MAX_HTML_INPUT: usize = 2 * 1024 * 1024;
/// Wrap width for converted HTML.
const HTML_WRAP_WIDTH: usize = 100;
/// Characters in a list snippet.
const SNIPPET_CHARS: usize = 160;

/// Text of every text body part in order; HTML-only parts are converted to text while
/// `render_budget` lasts (one budget for the whole message, so many parts cannot add up to hours).
pub(super) fn readable_body(message: &Message<'_>, render_budget: &mut u64) -> String {
    let mut text = String::new();
    for part_id in &message.text_body {
        let Some(part) = message.parts.get(*part_id as usize) else {
            continue;
        };
        let part_text = match &part.body {
            PartType::Text(plain) => match flowed_params(part) {
                Some(delete_space) => super::flowed::decode(plain, delete_space),
                None => plain.to_string(),
            },
            PartType::Html(markup) => html_to_text_within(markup, render_budget),
            _ => continue,
        };
        if !text.is_empty() && !part_text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str(&part_text);
        if text.len() >= MAX_BODY_TEXT {
            break;
        }
    }
    if text.trim().is_empty() {
        // A broken structure can leave the only text in an unnamed part mail-parser files as an attachment.
        if let Some(orphan) = message.parts.iter().find_map(|part| match &part.body {
            PartType::Text(plain) if part.attachment_name().is_none() => Some(plain.to_string()),
            PartType::Html(markup) if part.attachment_name().is_none() => {
                Some(html_to_text_within(markup, render_budget))
            }
            _ => None,
        }) {
            text = orphan;
        }
    }
    truncate_at_char(&mut text, MAX_BODY_TEXT);
    text
}

/// `Some(DelSp)` when the part is `text/plain; format=flowed`.
fn flowed_params(part: &mail_parser::MessagePart<'_>) -> Option<bool> {
    let content_type = part.content_type()?;
    let flowed = content_type
        .attribute("format")
        .is_some_and(|format| format.eq_ignore_ascii_case("flowed"));
    flowed.then(|| {
        content_type
            .attribute("delsp")
            .is_some_and(|delsp| delsp.eq_ignore_ascii_case("yes"))
    })
}

/// Converts HTML to readable text; links stay visible as numbered footnotes with their URL.
/// Nothing is fetched: images become their alt text. Markup nested too deeply or too large
/// to render in bounded time has its tags stripped instead.
#[must_use]
pub fn html_to_text(markup: &str) -> String {
    html_to_text_within(markup, &mut html::MAX_RENDER_COST.clone())
}

/// [`html_to_text`], rendering only while `render_budget` lasts (the cost is taken from it).
fn html_to_text_within(markup: &str, render_budget: &mut u64) -> String {
    let markup = cut_html(markup);
    match html::render_cost(markup, *render_budget) {
        Some(cost) => {
            *render_budget -= cost;
            render_html(markup)
        }
        None => html::strip_tags(markup),
    }
}

/// The first [`MAX_HTML_INPUT`] bytes, cut at a char boundary.
pub(super) fn cut_html(markup: &str) -> &str {
    let mut cut = markup.len().min(MAX_HTML_INPUT);
    while !markup.is_char_boundary(cut) {
        cut -= 1;
    }
    &markup[..cut]
}

/// html2text's rendering; markup it cannot render has its tags stripped.
fn render_html(markup: &str) -> String {
    let converted = std::panic::catch_unwind(|| {
        html2text::config::plain()
            .link_footnotes(true)
            .string_from_read(markup.as_bytes(), HTML_WRAP_WIDTH)
    });
    match converted {
        Ok(Ok(text)) => text,
        _ => html::strip_tags(markup),
    }
}

/// A single-line preview: quoted lines skipped, whitespace collapsed, at most 160 characters.
#[must_use]
pub fn make_snippet(body_text: &str) -> String {
    let mut snippet = String::new();
    let mut count = 0;
    'lines: for line in body_text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('>') {
            continue;
        }
        for word in line.split_whitespace() {
            if !snippet.is_empty() {
                snippet.push(' ');
                count += 1;
            }
            for ch in word.chars().filter(|ch| !ch.is_control()) {
                if count >= SNIPPET_CHARS {
                    snippet.push('…');
                    break 'lines;
                }
                snippet.push(ch);
                count += 1;
            }
        }
    }
    snippet
}

/// Cuts `text` to at most `max` bytes on a char boundary.
pub(super) fn truncate_at_char(text: &mut String, max: usize) {
    if text.len() > max {
        let mut cut = max;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
    }
}
