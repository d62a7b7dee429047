//! Counts worded for people, as the CLI and the app both say them: "1 message", "2 messages".

/// `count` and `noun`, with the noun in the plural unless the count is one: "1 message", "2 messages".
#[must_use]
pub fn count_of(count: u64, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count_of(0, "message"), "0 messages");
        assert_eq!(count_of(1, "folder"), "1 folder");
        assert_eq!(count_of(12, "result"), "12 results");
    }
}
