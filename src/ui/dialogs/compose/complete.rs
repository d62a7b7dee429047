//! Address completion: the address being typed (after the last comma) matched against the
//! address book, by the start of a word of its name or of its address, accents and case aside.

use crate::compose::Mailbox;
use crate::store::search::fold_char;

/// Most suggestions shown under a field.
pub const MAX_SUGGESTIONS: usize = 6;

fn fold(text: &str) -> String {
    text.chars().flat_map(fold_char).collect()
}

/// The part of `field` being typed: after the last comma or semicolon, trimmed.
fn typing(field: &str) -> &str {
    field
        .rsplit([',', ';'])
        .next()
        .unwrap_or_default()
        .trim_start()
}

/// Whether `wanted` (folded) starts a word of `text`.
fn starts_a_word(text: &str, wanted: &str) -> bool {
    let folded = fold(text);
    folded.starts_with(wanted)
        || folded
            .match_indices(|c: char| !c.is_alphanumeric())
            .any(|(at, sep)| folded[at + sep.len()..].starts_with(wanted))
}

/// The addresses that complete what is typed last in `field`; none until two characters are
/// typed, and none for an address already in the field.
#[must_use]
pub fn suggestions<'a>(field: &str, book: &'a [Mailbox]) -> Vec<&'a Mailbox> {
    let typed = typing(field);
    if typed.chars().count() < 2 {
        return Vec::new();
    }
    let wanted = fold(typed);
    let already = |mailbox: &Mailbox| {
        field
            .split([',', ';'])
            .any(|part| part.contains(mailbox.addr.as_str()))
    };
    book.iter()
        .filter(|m| starts_a_word(&m.name, &wanted) || starts_a_word(&m.addr, &wanted))
        .filter(|m| !already(m))
        .take(MAX_SUGGESTIONS)
        .collect()
}

/// `field` with the address being typed replaced by `chosen`, ready for the next one.
#[must_use]
pub fn accept(field: &str, chosen: &Mailbox) -> String {
    let typed = typing(field);
    let kept = field[..field.len() - typed.len()].trim_end();
    if kept.is_empty() {
        format!("{chosen}, ")
    } else {
        format!("{kept} {chosen}, ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> Vec<Mailbox> {
        vec![
            Mailbox::new("Zoë Ångström", "zoe@example.org"),
            Mailbox::new("", "billing@shop.example"),
            Mailbox::new("Bob Jones", "bob@example.net"),
        ]
    }

    #[test]
    fn words_of_the_name_or_the_address_match_accents_and_case_aside() {
        let book = book();
        let names = |field: &str| -> Vec<String> {
            suggestions(field, &book)
                .iter()
                .map(|m| m.addr.clone())
                .collect()
        };
        assert_eq!(names("ang"), ["zoe@example.org"], "Ångström, folded");
        assert_eq!(names("ZO"), ["zoe@example.org"]);
        assert_eq!(names("jo"), ["bob@example.net"], "a later word of the name");
        assert_eq!(
            names("shop"),
            ["billing@shop.example"],
            "a word of the address"
        );
        assert!(names("b").is_empty(), "one character is too few");
        assert!(
            names("ob").is_empty(),
            "the middle of a word is not a match"
        );
        assert_eq!(
            names("bob@example.net, bil"),
            ["billing@shop.example"],
            "only the part after the last comma counts"
        );
        assert!(
            names("bob@example.net, bo").is_empty(),
            "an address already there is not offered again"
        );
    }

    #[test]
    fn accepting_replaces_what_is_typed_and_leaves_room_for_the_next() {
        let zoe = &book()[0];
        assert_eq!(accept("zo", zoe), "Zoë Ångström <zoe@example.org>, ");
        assert_eq!(
            accept("bob@example.net,  zo", zoe),
            "bob@example.net, Zoë Ångström <zoe@example.org>, "
        );
    }
}
