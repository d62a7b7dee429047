//! How numbers and dates read in the window.

use crate::dates;

/// A byte count for people: `812 B`, `4.2 KB`, `1.3 MB`.
#[must_use]
pub fn size(bytes: u64) -> String {
    #[expect(
        clippy::cast_precision_loss,
        reason = "one decimal shown; precision loss is invisible"
    )]
    let value = bytes as f64;
    if bytes < 1000 {
        format!("{bytes} B")
    } else if bytes < 1_000_000 {
        format!("{:.1} KB", value / 1e3)
    } else if bytes < 1_000_000_000 {
        format!("{:.1} MB", value / 1e6)
    } else {
        format!("{:.1} GB", value / 1e9)
    }
}

/// A message date for the list: the time for today's mail, else the date (UTC).
#[must_use]
pub fn list_date(unix: i64, now: i64) -> String {
    let full = dates::format_datetime(unix);
    if unix.div_euclid(86_400) == now.div_euclid(86_400) {
        full.get(11..16).unwrap_or(&full).to_owned()
    } else {
        full.get(..10).unwrap_or(&full).to_owned()
    }
}

/// How long ago, in words: `just now`, `5 min ago`, `2 h ago`, else the date.
#[must_use]
pub fn ago(then: i64, now: i64) -> String {
    let seconds = (now - then).max(0);
    match seconds {
        0..60 => "just now".to_owned(),
        60..3600 => format!("{} min ago", seconds / 60),
        3600..86_400 => format!("{} h ago", seconds / 3600),
        _ => dates::format_datetime(then),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size(812), "812 B");
        assert_eq!(size(4_200), "4.2 KB");
        assert_eq!(size(1_300_000), "1.3 MB");
    }

    #[test]
    fn today_shows_the_time_and_older_mail_the_date() {
        let now = 1_780_000_000;
        assert_eq!(list_date(now, now).len(), 5);
        assert_eq!(list_date(now - 3 * 86_400, now).len(), 10);
        assert_eq!(ago(now - 120, now), "2 min ago");
    }
}
