//! What a sync did and the sentences it tells the user about what it worked around.

use super::sink::{Shortfall, StoreSink};
use crate::model::MessageId;
use crate::pop3::ListingAnomaly;

/// Most listing problems of one kind spelled out in a report; the rest are counted.
const MAX_WARNINGS_PER_KIND: usize = 5;

/// What one account's sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Messages stored.
    pub new: u64,
    /// Messages whose identical bytes were already stored (linked, not stored again).
    pub duplicates: u64,
    /// Messages recognised by their headers after a UIDL change (not downloaded again).
    pub recognised: u64,
    /// Of `new`, messages fetched headers-only.
    pub headers_only: u64,
    /// Messages removed from the server (after a successful QUIT).
    pub removed_from_server: u64,
    /// Messages the server refused to hand over (with its reason).
    pub refused: Vec<String>,
    /// Bytes received.
    pub bytes: u64,
    /// Store commits the downloads took: groups of messages made durable together, one fsync
    /// each (instead of one per message).
    pub commits: u64,
    /// Of `new`, messages that arrived shorter than the server announced (kept on the server).
    pub incomplete: u64,
    /// What the server did that Satchel worked around, one sentence each, for the user.
    pub warnings: Vec<String>,
}

/// Progress while a sync runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Messages done in this session.
    pub messages_done: u64,
    /// Messages to fetch in this session.
    pub messages_total: u64,
    /// Bytes done.
    pub bytes_done: u64,
    /// Bytes to fetch (from LIST).
    pub bytes_total: u64,
    /// The message this step stored, if it stored a new one (for live list updates).
    pub stored: Option<MessageId>,
}

impl SyncReport {
    /// Tells the user, once per kind, what in the listing broke RFC 1939.
    pub(super) fn warn_about_listing(&mut self, anomalies: &[ListingAnomaly]) {
        let skipped: Vec<&ListingAnomaly> = anomalies.iter().filter(|a| a.skipped()).collect();
        self.warnings.extend(
            skipped
                .iter()
                .take(MAX_WARNINGS_PER_KIND)
                .map(ToString::to_string),
        );
        if skipped.len() > MAX_WARNINGS_PER_KIND {
            self.warnings.push(format!(
                "{} more messages were skipped for the same reasons",
                skipped.len() - MAX_WARNINGS_PER_KIND
            ));
        }
        if let Some(first) = anomalies.iter().find(|a| !a.skipped()) {
            let count = anomalies.iter().filter(|a| !a.skipped()).count();
            self.warnings.push(if count == 1 {
                first.to_string()
            } else {
                format!("{count} of the server's message ids break RFC 1939 (spaces, control characters or too long); Satchel keeps each whole, as a digest")
            });
        }
    }

    /// Tells the user that `count` messages share an id with another (none when zero).
    pub(super) fn warn_about_ambiguous(&mut self, count: usize) {
        if count > 0 {
            self.warnings.push(format!(
                "this server's message ids are not unique ({count} messages share an id): they \
                 are downloaded and kept on the server"
            ));
        }
    }

    /// Tells the user that `count` messages pass the account's cap of `cap` bytes (none when zero).
    pub(super) fn warn_about_over_cap(&mut self, count: usize, cap: u64) {
        if count == 0 {
            return;
        }
        let (count, noun) = if count == 1 {
            ("1 message is".to_owned(), "it")
        } else {
            (format!("{count} messages are"), "them")
        };
        self.warnings.push(format!(
            "{count} larger than this account's limit of {} MiB: only the headers were \
             downloaded, and the server keeps {noun}",
            cap >> 20
        ));
    }

    /// Moves the sink's counts and what it worked around into the report.
    pub(super) fn add_sink_counts(&mut self, sink: &mut StoreSink<'_>) {
        self.new += sink.stored;
        self.duplicates += sink.duplicates;
        self.bytes += sink.bytes;
        self.commits += sink.commits;
        for number in sink.too_large.drain(..) {
            self.headers_only += 1;
            self.warnings.push(format!(
                "message {number} is larger than the server announced and than this account's \
                 limit: only its headers were kept, and the server keeps the message"
            ));
        }
        self.incomplete += sink.incomplete.len() as u64;
        for shortfall in sink.incomplete.drain(..) {
            self.warn_about_shortfall(shortfall);
        }
    }

    fn warn_about_shortfall(&mut self, shortfall: Shortfall) {
        let Shortfall {
            number,
            received,
            announced,
        } = shortfall;
        self.warnings.push(format!(
            "message {number} arrived shorter than the server announced ({received} of \
             {announced} bytes): stored as incomplete and kept on the server"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listing_problems_are_spelled_out_five_at_a_time_then_counted() {
        let mut anomalies: Vec<ListingAnomaly> = (1..=7)
            .map(|number| ListingAnomaly::MissingFromUidl { number })
            .collect();
        anomalies.push(ListingAnomaly::NonstandardUid { number: 8 });
        anomalies.push(ListingAnomaly::NonstandardUid { number: 9 });
        let mut report = SyncReport::default();
        report.warn_about_listing(&anomalies);
        assert_eq!(report.warnings.len(), 7, "{:?}", report.warnings);
        assert_eq!(report.warnings[0], anomalies[0].to_string());
        assert_eq!(
            report.warnings[5],
            "2 more messages were skipped for the same reasons"
        );
        assert!(
            report.warnings[6].starts_with("2 of the server's message ids break RFC 1939"),
            "{}",
            report.warnings[6]
        );
    }

    #[test]
    fn one_nonstandard_id_is_told_in_its_own_words() {
        let only = ListingAnomaly::NonstandardUid { number: 3 };
        let mut report = SyncReport::default();
        report.warn_about_listing(std::slice::from_ref(&only));
        assert_eq!(report.warnings, [only.to_string()]);
    }

    #[test]
    fn over_cap_and_ambiguous_warnings_count_and_agree_in_number() {
        let mut report = SyncReport::default();
        report.warn_about_over_cap(0, 8 << 20);
        report.warn_about_ambiguous(0);
        assert!(report.warnings.is_empty());
        report.warn_about_over_cap(1, 8 << 20);
        report.warn_about_over_cap(3, 8 << 20);
        report.warn_about_ambiguous(2);
        assert_eq!(
            report.warnings,
            [
                "1 message is larger than this account's limit of 8 MiB: only the headers were \
                 downloaded, and the server keeps it",
                "3 messages are larger than this account's limit of 8 MiB: only the headers were \
                 downloaded, and the server keeps them",
                "this server's message ids are not unique (2 messages share an id): they are \
                 downloaded and kept on the server",
            ]
        );
    }

    #[test]
    fn a_shortfall_names_both_sizes() {
        let mut report = SyncReport::default();
        report.warn_about_shortfall(Shortfall {
            number: 4,
            received: 90,
            announced: 120,
        });
        assert_eq!(
            report.warnings,
            [
                "message 4 arrived shorter than the server announced (90 of 120 bytes): stored as \
              incomplete and kept on the server"
            ]
        );
    }
}
