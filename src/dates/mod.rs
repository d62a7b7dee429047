//! Dates: Unix seconds, the time zone they are shown in, and the formats Satchel prints and
//! parses (jiff does the calendar and the daylight-saving rules).
//!
//! The store keeps every date as Unix seconds (UTC). What a person reads is local time: code
//! that formats or interprets local time takes the zone as a parameter, so tests pin one; the
//! app and the CLI look up [`system_zone`] once and pass it down. Machine-facing output (mbox
//! `From ` lines, `--json`) stays UTC.

mod local;

pub use jiff::tz::TimeZone;
pub use local::{
    days_before, format_local, format_local_long, format_local_with_offset, format_with_offset,
    local_day_start,
};

use jiff::Timestamp;

/// Seconds in a day.
pub const SECONDS_PER_DAY: i64 = 86_400;

/// The system's time zone: `TZ` when set (an IANA name such as `Europe/Paris`, a path, or a POSIX
/// rule), else `/etc/localtime`, else UTC. Look it up once and pass it down.
#[must_use]
pub fn system_zone() -> TimeZone {
    TimeZone::try_system().unwrap_or_else(|err| {
        tracing::debug!(error = %err, "no system time zone; showing UTC");
        TimeZone::UTC
    })
}

/// A named IANA zone (`America/New_York`), from the system's zoneinfo or the copy bundled into
/// Satchel when the system has none.
#[must_use]
pub fn named_zone(name: &str) -> Option<TimeZone> {
    TimeZone::get(name).ok()
}

/// Unix seconds as a jiff timestamp; dates outside jiff's range (years -9999..=9999) are
/// clamped to its ends, so no stored value can make formatting fail.
#[must_use]
pub fn timestamp(unix: i64) -> Timestamp {
    let clamped = unix.clamp(Timestamp::MIN.as_second(), Timestamp::MAX.as_second());
    Timestamp::from_second(clamped).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Parses `YYYY-MM-DD` (and nothing looser) into `(year, month, day)` of a real date.
#[must_use]
pub fn parse_ymd(text: &str) -> Option<jiff::civil::Date> {
    let mut parts = text.split('-');
    let year: i16 = parts.next()?.parse().ok()?;
    let month: i8 = parts.next()?.parse().ok()?;
    let day: i8 = parts.next()?.parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    jiff::civil::Date::new(year, month, day).ok()
}

/// Formats Unix time as RFC 3339 in UTC: `2026-11-26T13:19:23Z`.
#[must_use]
pub fn format_rfc3339(unix: i64) -> String {
    timestamp(unix).strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Formats Unix time the way mbox `From ` lines carry it: `Thu Nov 26 13:19:23 2026` (UTC).
#[must_use]
pub fn format_asctime(unix: i64) -> String {
    timestamp(unix).strftime("%a %b %e %H:%M:%S %Y").to_string()
}

/// The current Unix time in seconds.
#[must_use]
pub fn now() -> i64 {
    Timestamp::now().as_second()
}

#[cfg(test)]
mod tests;
