//! Safe file names for saving attachments.
//!
//! Attachment names come from the sender, so they are untrusted: they may hold path separators
//! (`../../.bashrc`), control characters, or bidi overrides that make `exe.pdf` display as
//! `fdp.exe`. The save dialog still lets the user pick any name; this only makes the suggestion
//! harmless.

/// Name used when nothing usable is left of the suggested one.
const FALLBACK_NAME: &str = "attachment";

/// Longest name suggested, in bytes; common file systems allow 255, leaving room for a
/// "(1)" the dialog or the user may add.
const MAX_NAME_BYTES: usize = 200;

/// Longest text after the last dot that counts as an extension worth keeping when truncating.
const MAX_EXTENSION_CHARS: usize = 10;

/// Characters Windows forbids in file names (besides the path separators and control characters
/// removed separately).
const WINDOWS_FORBIDDEN: &[char] = &['<', '>', ':', '"', '|', '?', '*'];

/// A file name safe to suggest in a save dialog: the last path component only, without control
/// or bidi-override characters, without characters Windows forbids, not hidden (no leading
/// dot), at most 200 bytes with the extension kept, and never empty (`attachment` instead).
pub fn sanitize_filename(suggested: &str) -> String {
    let last_component = suggested.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = last_component
        .chars()
        .filter(|&character| !character.is_control() && !is_bidi_control(character))
        .map(|character| {
            if WINDOWS_FORBIDDEN.contains(&character) {
                '_'
            } else {
                character
            }
        })
        .collect();
    // Leading dots would hide the file (and `.`/`..` name directories); trailing dots and
    // spaces are silently dropped by Windows, so the saved name would differ from the shown one.
    let trimmed = trim_dots_and_whitespace(&cleaned);
    if trimmed.is_empty() {
        return FALLBACK_NAME.to_owned();
    }
    truncate_keeping_extension(trimmed)
}

/// Whether `character` changes text direction invisibly (embeddings, overrides, isolates and
/// the directional marks), which can disguise a file's real extension.
fn is_bidi_control(character: char) -> bool {
    matches!(
        character,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

fn trim_dots_and_whitespace(name: &str) -> &str {
    name.trim_matches(|character: char| character == '.' || character.is_whitespace())
}

/// `name` cut to [`MAX_NAME_BYTES`] on a char boundary; when it has a short extension, the cut
/// is made in the stem so the file still opens with the right program.
fn truncate_keeping_extension(name: &str) -> String {
    if name.len() <= MAX_NAME_BYTES {
        return name.to_owned();
    }
    let extension = name.rfind('.').map(|dot| &name[dot..]).filter(|dotted| {
        let extension_text = &dotted[1..];
        let extension_chars = extension_text.chars().count();
        (1..=MAX_EXTENSION_CHARS).contains(&extension_chars)
            && !extension_text.chars().any(char::is_whitespace)
    });
    match extension {
        Some(dotted_extension) => {
            let stem = &name[..name.len() - dotted_extension.len()];
            let stem_budget = MAX_NAME_BYTES - dotted_extension.len();
            let cut_stem = &stem[..stem.floor_char_boundary(stem_budget)];
            // The stem starts with a visible character (the whole name was trimmed) and the
            // budget is far larger than one character, so it cannot become empty here.
            format!("{}{dotted_extension}", trim_dots_and_whitespace(cut_stem))
        }
        None => {
            trim_dots_and_whitespace(&name[..name.floor_char_boundary(MAX_NAME_BYTES)]).to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_the_last_path_component() {
        assert_eq!(sanitize_filename("../../etc/passwd"), "passwd");
        assert_eq!(sanitize_filename("C:\\Users\\me\\report.pdf"), "report.pdf");
        assert_eq!(sanitize_filename("dir/sub\\mixed.txt"), "mixed.txt");
        assert_eq!(sanitize_filename("folder/"), FALLBACK_NAME);
    }

    #[test]
    fn drops_control_characters() {
        assert_eq!(sanitize_filename("a\u{0}b.txt"), "ab.txt");
        assert_eq!(
            sanitize_filename("line\nbreak\ttab\u{7F}.txt"),
            "linebreaktab.txt"
        );
        assert_eq!(sanitize_filename("c1\u{85}.txt"), "c1.txt");
    }

    #[test]
    fn drops_bidi_overrides_that_disguise_the_extension() {
        assert_eq!(sanitize_filename("report\u{202E}fdp.exe"), "reportfdp.exe");
        assert_eq!(
            sanitize_filename("\u{2066}a\u{2069}\u{202A}b\u{200F}.txt"),
            "ab.txt"
        );
    }

    #[test]
    fn replaces_characters_windows_forbids() {
        assert_eq!(
            sanitize_filename("a<b>c:d\"e|f?g*h.txt"),
            "a_b_c_d_e_f_g_h.txt"
        );
    }

    #[test]
    fn trims_whitespace_and_trailing_dots() {
        assert_eq!(sanitize_filename("  notes.txt  "), "notes.txt");
        assert_eq!(sanitize_filename("notes.txt. . "), "notes.txt");
    }

    #[test]
    fn empty_or_dot_only_names_become_attachment() {
        for name in ["", "   ", ".", "..", "....", "../..", "\u{0}\n", "\u{202E}"] {
            assert_eq!(sanitize_filename(name), FALLBACK_NAME, "{name:?}");
        }
    }

    #[test]
    fn leading_dots_are_stripped_so_the_file_is_not_hidden() {
        assert_eq!(sanitize_filename(".bashrc"), "bashrc");
        assert_eq!(sanitize_filename("...hidden.txt"), "hidden.txt");
        assert_eq!(
            sanitize_filename("../.ssh/.authorized_keys"),
            "authorized_keys"
        );
    }

    #[test]
    fn long_names_are_cut_keeping_the_extension() {
        let long_name = format!("{}.pdf", "x".repeat(500));
        let sanitized = sanitize_filename(&long_name);
        assert_eq!(
            sanitized,
            format!("{}.pdf", "x".repeat(MAX_NAME_BYTES - ".pdf".len()))
        );
    }

    #[test]
    fn long_names_are_cut_on_a_char_boundary() {
        // After the one-byte "a", every two-byte "ü" ends on an odd offset, so a cut at the
        // 196-byte stem budget would split one unless it backs off to a char boundary.
        let long_name = format!("a{}.pdf", "ü".repeat(300));
        let sanitized = sanitize_filename(&long_name);
        assert!(sanitized.len() <= MAX_NAME_BYTES);
        assert!(sanitized.ends_with("ü.pdf"), "{sanitized}");

        let without_extension = "報".repeat(100);
        let sanitized = sanitize_filename(&without_extension);
        assert!(sanitized.len() <= MAX_NAME_BYTES);
        assert_eq!(sanitized, "報".repeat(MAX_NAME_BYTES / "報".len()));
    }

    #[test]
    fn a_long_suffix_is_not_treated_as_an_extension() {
        let long_name = format!("{}.{}", "x".repeat(300), "y".repeat(11));
        let sanitized = sanitize_filename(&long_name);
        assert_eq!(sanitized, "x".repeat(MAX_NAME_BYTES));
    }

    #[test]
    fn short_and_non_ascii_names_are_kept_intact() {
        assert_eq!(sanitize_filename("Überweisung.pdf"), "Überweisung.pdf");
        assert_eq!(sanitize_filename("報告.txt"), "報告.txt");
        assert_eq!(
            sanitize_filename("Invoice 2026-03.pdf"),
            "Invoice 2026-03.pdf"
        );
        assert_eq!(sanitize_filename("archive.tar.gz"), "archive.tar.gz");
    }
}
