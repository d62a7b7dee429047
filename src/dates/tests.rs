use super::*;

fn zone(name: &str) -> TimeZone {
    named_zone(name).unwrap_or_else(|| panic!("zone {name} resolves (system or bundled tzdb)"))
}

/// Unix seconds of a UTC wall time.
fn utc(text: &str) -> i64 {
    text.parse::<Timestamp>().expect("timestamp").as_second()
}

#[test]
fn parses_and_rejects_dates() {
    let day = |text| parse_ymd(text).map(|date| local_day_start(date, &TimeZone::UTC));
    assert_eq!(day("1970-01-02"), Some(86_400));
    assert_eq!(day("2024-02-29"), Some(1_709_164_800));
    assert_eq!(parse_ymd("2023-02-29"), None);
    assert_eq!(parse_ymd("2024-13-01"), None);
    assert_eq!(parse_ymd("2024-1"), None);
    assert_eq!(parse_ymd("2024-01-01T00:00"), None);
    assert_eq!(parse_ymd("yesterday"), None);
}

#[test]
fn formats_like_asctime_and_rfc3339_in_utc() {
    assert_eq!(format_asctime(0), "Thu Jan  1 00:00:00 1970");
    assert_eq!(format_asctime(1_795_699_163), "Thu Nov 26 13:19:23 2026");
    assert_eq!(format_rfc3339(1_795_699_163), "2026-11-26T13:19:23Z");
}

#[test]
fn dates_beyond_the_calendar_do_not_panic() {
    for unix in [i64::MIN, -1, i64::MAX] {
        assert!(!format_local_long(unix, &zone("Europe/Paris")).is_empty());
        assert!(!format_with_offset(unix, 99 * 3600).is_empty());
        assert!(!format_asctime(unix).is_empty());
    }
}

#[test]
fn local_time_follows_daylight_saving() {
    let paris = zone("Europe/Paris");
    // Winter: UTC+1; summer: UTC+2.
    assert_eq!(
        format_local_with_offset(utc("2026-12-01T13:05:00Z"), &paris),
        "2026-12-01 14:05 +0100"
    );
    assert_eq!(
        format_local_with_offset(utc("2026-07-01T13:05:00Z"), &paris),
        "2026-07-01 15:05 +0200"
    );
    // 2026-03-29 at 01:00 UTC the clocks jump from 02:00 to 03:00.
    assert_eq!(
        format_local(utc("2026-03-29T00:59:00Z"), &paris),
        "2026-03-29 01:59"
    );
    assert_eq!(
        format_local(utc("2026-03-29T01:00:00Z"), &paris),
        "2026-03-29 03:00"
    );
    assert_eq!(
        format_local_long(utc("2026-12-01T13:05:00Z"), &paris),
        "Tue 1 Dec 2026 14:05"
    );
}

#[test]
fn negative_offsets_and_the_year_boundary() {
    let new_york = zone("America/New_York");
    // 03:30 UTC on New Year's Day is still the old year in New York.
    let new_year = utc("2027-01-01T03:30:00Z");
    assert_eq!(
        format_local_with_offset(new_year, &new_york),
        "2026-12-31 22:30 -0500"
    );
    assert_eq!(
        format_local_long(new_year, &new_york),
        "Thu 31 Dec 2026 22:30"
    );
    assert_eq!(
        days_before(new_year, utc("2027-01-01T05:00:00Z"), &new_york),
        1
    );
    assert_eq!(
        format_with_offset(new_year, -5 * 3600),
        "2026-12-31 22:30 -0500"
    );
    assert_eq!(
        format_with_offset(new_year, 5 * 3600 + 1800),
        "2027-01-01 09:00 +0530"
    );
}

#[test]
fn local_days_begin_at_local_midnight() {
    let new_york = zone("America/New_York");
    let day = |text| local_day_start(parse_ymd(text).expect("date"), &new_york);
    assert_eq!(day("2026-12-01"), utc("2026-12-01T05:00:00Z"));
    assert_eq!(day("2026-07-01"), utc("2026-07-01T04:00:00Z"));
    // The day the clocks go forward (2026-03-08) is 23 hours long; the day they go back
    // (2026-11-01) is 25.
    assert_eq!(day("2026-03-09") - day("2026-03-08"), 23 * 3600);
    assert_eq!(day("2026-11-02") - day("2026-11-01"), 25 * 3600);
    // Where the change skips midnight itself (Santiago, 2026-09-06), the day starts at 01:00.
    let santiago = zone("America/Santiago");
    let start = local_day_start(parse_ymd("2026-09-06").expect("date"), &santiago);
    assert_eq!(format_local(start, &santiago), "2026-09-06 01:00");
}

#[test]
fn yesterday_is_a_calendar_day_even_across_a_daylight_saving_change() {
    let new_york = zone("America/New_York");
    // Monday 2026-03-09 00:30 EDT. Saturday 23:45 EST is two days back: read with Monday's
    // offset it would look like Sunday 00:45.
    let now = utc("2026-03-09T04:30:00Z");
    assert_eq!(days_before(utc("2026-03-08T05:00:00Z"), now, &new_york), 1);
    assert_eq!(days_before(utc("2026-03-08T04:45:00Z"), now, &new_york), 2);
    assert_eq!(days_before(now, now, &new_york), 0);
    assert_eq!(days_before(now + 86_400, now, &new_york), -1);
}
