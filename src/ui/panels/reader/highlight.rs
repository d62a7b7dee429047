//! The words a search matched, marked in the reader: each full-text term of the search box's
//! query, found without case or Latin accents where a word starts (and ends, unless it is a
//! prefix), as the index matched it. CJK text has no word boundaries, so there any occurrence
//! counts. A phrase is marked where its words stand as typed (one space apart).

use std::sync::Arc;

use crate::dates::TimeZone;
use crate::store::cjk::is_cjk;
use crate::store::search::{Field, fold_char, parse_query};

/// One piece of text to mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Needle {
    /// The term, folded as the index folds words (lowercase, Latin accents removed).
    text: Vec<char>,
    /// It may end inside a word (`word*`, or the last word typed).
    prefix: bool,
}

/// What the reader marks now: the query the needles came from, and the needles.
#[derive(Debug, Clone, Default)]
struct Marked {
    query: String,
    needles: Arc<Vec<Needle>>,
}

fn marked_id() -> egui::Id {
    egui::Id::unique("satchel search words to mark")
}

/// Marks the words of `query` (the search shown; `None` outside search) in every reader. The
/// app calls it each frame; the query is parsed again only when it changed.
pub fn set_search(ctx: &egui::Context, query: Option<&str>, zone: &TimeZone) {
    let query = query.unwrap_or_default();
    let current: Marked = ctx.data(|data| data.get_temp(marked_id()).unwrap_or_default());
    if current.query == query {
        return;
    }
    let marked = Marked {
        query: query.to_owned(),
        needles: Arc::new(needles(query, zone)),
    };
    ctx.data_mut(|data| data.insert_temp(marked_id(), marked));
}

/// The needles the reader marks now.
pub(super) fn current(ctx: &egui::Context) -> Arc<Vec<Needle>> {
    ctx.data(|data| data.get_temp::<Marked>(marked_id()).unwrap_or_default())
        .needles
}

/// The full-text terms of `query` that can appear in a body (not `from:` or `to:`).
fn needles(query: &str, zone: &TimeZone) -> Vec<Needle> {
    let Ok(parsed) = parse_query(query, zone) else {
        return Vec::new();
    };
    parsed
        .terms
        .into_iter()
        .filter(|term| matches!(term.field, Field::Any | Field::Subject))
        .map(|term| Needle {
            text: term.text.trim().chars().flat_map(fold_char).collect(),
            prefix: term.prefix,
        })
        .filter(|needle| !needle.text.is_empty())
        .collect()
}

/// `rich` as a matched word looks: on a yellow (amber in the dark theme) background.
pub(super) fn mark(ui: &egui::Ui, rich: egui::RichText) -> egui::RichText {
    let (background, text) = if ui.visuals().dark_mode {
        (
            egui::Color32::from_rgb(0x8a, 0x6d, 0x00),
            egui::Color32::WHITE,
        )
    } else {
        (
            egui::Color32::from_rgb(0xff, 0xe5, 0x7a),
            egui::Color32::BLACK,
        )
    };
    rich.background_color(background).color(text)
}

/// `text` cut into runs, each marked or not, in order; joined they are `text`.
#[must_use]
pub fn runs<'a>(text: &'a str, needles: &[Needle]) -> Vec<(&'a str, bool)> {
    if needles.is_empty() {
        return vec![(text, false)];
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut runs = Vec::new();
    let (mut plain_from, mut at) = (0, 0);
    while at < chars.len() {
        let found = needles
            .iter()
            .filter_map(|needle| match_len(&chars, at, needle))
            .max();
        let Some(length) = found else {
            at += 1;
            continue;
        };
        let start = chars[at].0;
        let end = chars
            .get(at + length)
            .map_or(text.len(), |(offset, _)| *offset);
        if plain_from < start {
            runs.push((&text[plain_from..start], false));
        }
        runs.push((&text[start..end], true));
        plain_from = end;
        at += length;
    }
    if plain_from < text.len() {
        runs.push((&text[plain_from..], false));
    }
    runs
}

/// How many chars of `chars` from `at` the needle matches there, at a word's start.
fn match_len(chars: &[(usize, char)], at: usize, needle: &Needle) -> Option<usize> {
    let first = *needle.text.first()?;
    let joins =
        |a: char, b: char| a.is_alphanumeric() && b.is_alphanumeric() && !is_cjk(a) && !is_cjk(b);
    if at > 0 && joins(chars[at - 1].1, first) {
        return None;
    }
    let mut matched = 0;
    let mut index = at;
    while matched < needle.text.len() {
        let (_, ch) = chars.get(index)?;
        for lower in fold_char(*ch) {
            if needle.text.get(matched) != Some(&lower) {
                return None;
            }
            matched += 1;
        }
        index += 1;
    }
    let last = *needle.text.last()?;
    if !needle.prefix
        && let Some((_, next)) = chars.get(index)
        && joins(last, *next)
    {
        return None;
    }
    Some(index - at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str, query: &str) -> Vec<String> {
        let needles = needles(query, &TimeZone::UTC);

        runs(text, &needles)
            .into_iter()
            .filter(|(_, marked)| *marked)
            .map(|(run, _)| run.to_owned())
            .collect()
    }

    #[test]
    fn whole_words_are_marked_case_insensitively_and_prefixes_inside_words() {
        // A finished word (a space after it) matches whole words only…
        assert_eq!(
            marked("Invoice 42: the INVOICE, invoices.", "invoice "),
            ["Invoice", "INVOICE"]
        );
        // …while `word*` and the word still being typed match as prefixes, as the search did.
        assert_eq!(
            marked("Invoice 42: the invoices.", "invoice* "),
            ["Invoice", "invoice"]
        );
        assert_eq!(
            marked("Invoice 42: the invoices.", "invoice"),
            ["Invoice", "invoice"]
        );
        assert_eq!(marked("concatenate the cat", "cat "), ["cat"]);
        assert_eq!(marked("Grüße aus Köln", "köln grüße"), ["Grüße", "Köln"]);
        assert_eq!(marked("東京の会議", "会議"), ["会議"]);
        assert_eq!(
            marked("Un café à Besançon", "cafe besancon"),
            ["café", "Besançon"]
        );
        assert_eq!(marked("a quick plan", "\"quick plan\""), ["quick plan"]);
    }

    #[test]
    fn operators_other_than_words_mark_nothing_and_runs_join_back() {
        assert!(marked("from alice, about lunch", "from:alice is:unread").is_empty());
        assert_eq!(marked("lunch with alice", "from:alice lunch"), ["lunch"]);
        let text = "Lunch? lunch! — LUNCH";
        let needles = needles("lunch ", &TimeZone::UTC);
        let joined: String = runs(text, &needles).iter().map(|(run, _)| *run).collect();
        assert_eq!(joined, text);
        assert_eq!(runs("x", &[]), [("x", false)]);
    }
}
