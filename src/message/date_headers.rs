//! When a message was written: the `Date` header with its sender's offset, and the `Received`
//! headers' dates that stand in when the `Date` header is missing or malformed.

use mail_parser::{DateTime, Message};

/// Most `Received` dates kept per message (a real path has a handful of hops; a hostile
/// message may carry thousands of headers).
pub const MAX_RECEIVED_DATES: usize = 64;

/// The `Date` header as Unix seconds and its offset east of UTC in seconds, when valid.
pub(super) fn date_header(message: &Message<'_>) -> (Option<i64>, Option<i32>) {
    match message.date().filter(|date| date.is_valid()) {
        Some(date) => (Some(date.to_timestamp()), Some(offset_seconds(date))),
        None => (None, None),
    }
}

/// The valid dates of the first [`MAX_RECEIVED_DATES`] `Received` headers, newest hop first
/// (each relay adds its header on top).
pub(super) fn received_dates(message: &Message<'_>) -> Vec<i64> {
    message
        .received_all()
        .take(MAX_RECEIVED_DATES)
        .filter_map(|received| received.date.as_ref())
        .filter(|date| date.is_valid())
        .map(DateTime::to_timestamp)
        .collect()
}

/// `-0500` is -18,000: mail-parser keeps the sign apart from the hours and minutes.
fn offset_seconds(date: &DateTime) -> i32 {
    let magnitude = i32::from(date.tz_hour) * 3600 + i32::from(date.tz_minute) * 60;
    if date.tz_before_gmt {
        -magnitude
    } else {
        magnitude
    }
}

/// The date a message is listed under: its `Date` header, else the newest `Received` date that
/// is not after `received_at` (when Satchel downloaded it; a relay's clock may run ahead),
/// else `received_at`.
pub(super) fn effective_date(date: Option<i64>, received_dates: &[i64], received_at: i64) -> i64 {
    date.or_else(|| {
        received_dates
            .iter()
            .copied()
            .filter(|&hop| hop <= received_at)
            .max()
    })
    .unwrap_or(received_at)
}
