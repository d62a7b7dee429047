//! Local time: Unix seconds shown in a time zone (with its daylight-saving rules), and local
//! days turned back into Unix seconds.

use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};

use super::timestamp;

/// `2026-12-01 14:05` in `zone`.
#[must_use]
pub fn format_local(unix: i64, zone: &TimeZone) -> String {
    timestamp(unix)
        .to_zoned_datetime(zone.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// `2026-12-01 14:05 +0100` in `zone`, with the offset in force at that moment.
#[must_use]
pub fn format_local_with_offset(unix: i64, zone: &TimeZone) -> String {
    timestamp(unix)
        .to_zoned_datetime(zone.clone())
        .strftime("%Y-%m-%d %H:%M %z")
        .to_string()
}

/// The full date for reading: `Tue 1 Dec 2026 14:05` in `zone`.
#[must_use]
pub fn format_local_long(unix: i64, zone: &TimeZone) -> String {
    timestamp(unix)
        .to_zoned_datetime(zone.clone())
        .strftime("%a %-d %b %Y %H:%M")
        .to_string()
}

/// `2026-12-01 08:05 -0500`: the moment as a clock `offset_seconds` east of UTC showed it (a
/// sender's own time, from the offset in its Date header). An offset beyond ±25:59 is
/// shown as UTC.
#[must_use]
pub fn format_with_offset(unix: i64, offset_seconds: i32) -> String {
    let offset = Offset::from_seconds(offset_seconds).unwrap_or(Offset::UTC);
    timestamp(unix)
        .to_zoned_datetime(offset.to_time_zone())
        .strftime("%Y-%m-%d %H:%M %z")
        .to_string()
}

/// How many local calendar days `then` lies before `now` in `zone`: 0 the same day, 1 the day
/// before (however long that day was), negative when `then` is on a later day.
#[must_use]
pub fn days_before(then: i64, now: i64, zone: &TimeZone) -> i64 {
    let day = |unix: i64| timestamp(unix).to_zoned_datetime(zone.clone()).date();
    let (then_day, now_day) = (day(then), day(now));
    then_day
        .until(now_day)
        .map_or(0, |span| i64::from(span.get_days()))
}

/// The Unix time at which `date` begins in `zone`: local midnight, or the first moment of the
/// day when a daylight-saving change skips midnight.
#[must_use]
pub fn local_day_start(date: Date, zone: &TimeZone) -> i64 {
    date.to_zoned_datetime(zone.clone()).map_or_else(
        // Only the far ends of jiff's range fail; UTC midnight is then the best answer.
        |_| {
            date.to_zoned_datetime(TimeZone::UTC)
                .map_or(0, |day| day.timestamp().as_second())
        },
        |day| day.timestamp().as_second(),
    )
}
