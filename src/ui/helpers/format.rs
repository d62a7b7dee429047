//! How numbers and dates read in the window.

use crate::dates::{self, TimeZone};

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

/// A message date for the list, in `zone`: the time for today's mail (`14:05`), `Yesterday`,
/// the weekday for the six days before (`Tue`), else the date (`2026-11-20`). Days are local
/// calendar days, so a daylight-saving change does not move a message into the wrong one.
#[must_use]
pub fn list_date(unix: i64, now: i64, zone: &TimeZone) -> String {
    let local = dates::timestamp(unix).to_zoned_datetime(zone.clone());
    let pattern = match dates::days_before(unix, now, zone) {
        0 => "%H:%M",
        1 => return "Yesterday".to_owned(),
        2..=6 => "%a",
        _ => "%Y-%m-%d",
    };
    local.strftime(pattern).to_string()
}

/// How long ago, in words: `just now`, `5 min ago`, `2 h ago`, else the local date and time.
#[must_use]
pub fn ago(then: i64, now: i64, zone: &TimeZone) -> String {
    let seconds = (now - then).max(0);
    match seconds {
        0..60 => "just now".to_owned(),
        60..3600 => format!("{} min ago", seconds / 60),
        3600..86_400 => format!("{} h ago", seconds / 3600),
        _ => dates::format_local(then, zone),
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

    fn zone(name: &str) -> TimeZone {
        dates::named_zone(name).expect("zone")
    }

    fn utc(text: &str) -> i64 {
        text.parse::<jiff::Timestamp>()
            .expect("timestamp")
            .as_second()
    }

    #[test]
    fn list_dates_read_as_local_days() {
        let paris = zone("Europe/Paris");
        // Tuesday 2026-12-01 14:05 in Paris.
        let now = utc("2026-12-01T13:05:00Z");
        let shown = |text| list_date(utc(text), now, &paris);
        assert_eq!(shown("2026-12-01T07:00:00Z"), "08:00");
        // 23:30 UTC on 30 November is already 1 December in Paris.
        assert_eq!(shown("2026-11-30T23:30:00Z"), "00:30");
        assert_eq!(shown("2026-11-30T22:30:00Z"), "Yesterday");
        assert_eq!(shown("2026-11-29T12:00:00Z"), "Sun");
        assert_eq!(shown("2026-11-25T12:00:00Z"), "Wed");
        assert_eq!(shown("2026-11-24T12:00:00Z"), "2026-11-24");
        // Mail dated later than today (a sender's clock ahead) shows its date.
        assert_eq!(shown("2026-12-03T12:00:00Z"), "2026-12-03");
    }

    #[test]
    fn yesterday_and_the_week_across_a_daylight_saving_change() {
        let new_york = zone("America/New_York");
        // Monday 2026-03-09 00:30 EDT; Sunday had 23 hours.
        let now = utc("2026-03-09T04:30:00Z");
        let shown = |text| list_date(utc(text), now, &new_york);
        assert_eq!(
            shown("2026-03-08T05:00:00Z"),
            "Yesterday",
            "Sunday 00:00 EST"
        );
        assert_eq!(shown("2026-03-08T04:45:00Z"), "Sat", "Saturday 23:45 EST");
        assert_eq!(shown("2026-03-09T04:15:00Z"), "00:15");
    }

    #[test]
    fn the_year_boundary_and_ago() {
        let new_york = zone("America/New_York");
        let now = utc("2027-01-01T15:00:00Z");
        assert_eq!(
            list_date(utc("2027-01-01T03:30:00Z"), now, &new_york),
            "Yesterday"
        );
        assert_eq!(
            list_date(utc("2026-12-24T15:00:00Z"), now, &new_york),
            "2026-12-24"
        );
        assert_eq!(ago(now - 120, now, &new_york), "2 min ago");
        assert_eq!(ago(now - 3 * 86_400, now, &new_york), "2026-12-29 10:00");
    }
}
