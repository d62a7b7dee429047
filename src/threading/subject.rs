//! A subject without its reply and forward prefixes (after RFC 5256 §2.1, "base subject").

/// Prefixes that mark a reply or a forward, as mail programs in several languages write them
/// (compared ignoring case, before a colon).
const PREFIXES: [&str; 9] = ["re", "fw", "fwd", "aw", "wg", "sv", "vs", "tr", "antw"];
/// Most marks and tags taken off one subject.
const MAX_MARKS: usize = 16;

/// The subject lowercased, with leading `Re:` / `Fwd:` (and `Re[2]:`), `[list]` tags before
/// them, a trailing `(fwd)`, and repeated spaces taken away: `"Re: [dev] Fwd: Plans (fwd)"`
/// and `"plans"` have the same base subject.
#[must_use]
pub fn base_subject(subject: &str) -> String {
    base_and_mark(subject).0
}

/// The base subject, and whether a reply or forward mark was taken off.
pub(super) fn base_and_mark(subject: &str) -> (String, bool) {
    let mut marked = false;
    let mut rest = subject.trim();
    // Each pass rescans the rest: a bounded number of marks keeps a hostile subject linear.
    for _ in 0..MAX_MARKS {
        let before = rest;
        rest = rest.trim_start();
        if let Some(stripped) = strip_blob(rest) {
            // A list tag counts only when a prefix or more text follows it.
            if !stripped.trim().is_empty() {
                rest = stripped;
            }
        }
        if let Some(stripped) = strip_prefix(rest) {
            rest = stripped;
            marked = true;
        }
        if let Some(stripped) = rest.trim_end().strip_suffix("(fwd)") {
            rest = stripped;
            marked = true;
        }
        if rest.len() == before.len() {
            break;
        }
    }
    let base = rest
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    (base, marked)
}

/// `[anything]` at the start, without its brackets' content.
fn strip_blob(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('[')?;
    let end = inner.find(']')?;
    (!inner[..end].contains('[')).then(|| &inner[end + 1..])
}

/// `Re:`, `re[2]:`, `FWD :` and the like at the start.
fn strip_prefix(text: &str) -> Option<&str> {
    let colon = text.find(':')?;
    let head = text[..colon].trim_end();
    let word = match head.find('[') {
        Some(open) if head.ends_with(']') => {
            let count = &head[open + 1..head.len() - 1];
            if !count.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            &head[..open]
        }
        _ => head,
    };
    PREFIXES
        .iter()
        .any(|prefix| word.eq_ignore_ascii_case(prefix))
        .then(|| &text[colon + 1..])
}
