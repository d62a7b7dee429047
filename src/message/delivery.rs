//! A delivery report's machine-readable part (`message/delivery-status`, RFC 3464) as lines
//! people read: "Delivery to bob@example.org failed: 550 5.1.1 user unknown".

/// Most recipients described from one report; the rest are counted.
const MAX_RECIPIENTS: usize = 100;
/// Longest value kept from one field (a diagnostic can be long).
const MAX_VALUE_CHARS: usize = 300;

/// One line per recipient of the report, in its order; empty when it names none.
pub(super) fn status_lines(report: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut skipped = 0_usize;
    // The first group describes the message (Reporting-MTA …); each following one a recipient.
    for group in field_groups(report) {
        let field = |name: &str| {
            group
                .iter()
                .find(|(field, _)| field.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.as_str())
        };
        let Some(recipient) = field("Final-Recipient").or(field("Original-Recipient")) else {
            continue;
        };
        if lines.len() == MAX_RECIPIENTS {
            skipped += 1;
            continue;
        }
        let recipient = without_type(recipient);
        let action = field("Action").unwrap_or_default();
        let outcome = match action.to_ascii_lowercase().as_str() {
            "failed" => "failed",
            "delayed" => "is delayed",
            "delivered" => "succeeded",
            "relayed" => "was relayed",
            "expanded" => "was expanded",
            _ => "has an unknown outcome",
        };
        let reason = field("Diagnostic-Code")
            .map(without_type)
            .filter(|reason| !reason.is_empty())
            .or_else(|| field("Status").map(|status| format!("status {status}")));
        lines.push(match reason {
            Some(reason) => format!("Delivery to {recipient} {outcome}: {reason}"),
            None => format!("Delivery to {recipient} {outcome}."),
        });
    }
    if skipped > 0 {
        lines.push(format!("… and {skipped} more recipients."));
    }
    lines
}

/// `rfc822; bob@example.org` → `bob@example.org` (the address or diagnostic type is dropped).
fn without_type(value: &str) -> String {
    let value = value.split_once(';').map_or(value, |(_, rest)| rest).trim();
    value.chars().take(MAX_VALUE_CHARS).collect()
}

/// The report's field groups (separated by empty lines), each as (name, unfolded value) pairs
/// with control characters removed.
fn field_groups(report: &str) -> Vec<Vec<(String, String)>> {
    let mut groups: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for line in report.lines() {
        if line.trim().is_empty() {
            if groups.last().is_some_and(|group| !group.is_empty()) {
                groups.push(Vec::new());
            }
            continue;
        }
        let Some(group) = groups.last_mut() else {
            continue;
        };
        let continues = line.starts_with([' ', '\t']);
        match (continues, group.last_mut(), line.split_once(':')) {
            (true, Some((_, value)), _) if value.chars().count() < MAX_VALUE_CHARS => {
                value.push(' ');
                value.push_str(&printable(line.trim()));
            }
            (false, _, Some((name, value))) => {
                group.push((name.trim().to_owned(), printable(value.trim())));
            }
            _ => {}
        }
    }
    groups
}

fn printable(text: &str) -> String {
    text.chars()
        .filter(|ch| !ch.is_control())
        .take(MAX_VALUE_CHARS)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    #[test]
    fn each_recipient_becomes_a_line_with_its_diagnostic() {
        let report = "Reporting-MTA: dns; mx.example.org\r\nArrival-Date: Mon, 2 Jan 2023\r\n\r\n\
                      Final-Recipient: rfc822; bob@example.org\r\nAction: failed\r\n\
                      Status: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1\r\n user unknown\r\n\r\n\
                      Original-Recipient: rfc822;carol@example.org\r\nAction: delayed\r\n\
                      Status: 4.4.1\r\n";
        assert_eq!(
            status_lines(report),
            [
                "Delivery to bob@example.org failed: 550 5.1.1 user unknown",
                "Delivery to carol@example.org is delayed: status 4.4.1",
            ]
        );
    }

    #[test]
    fn hostile_reports_are_bounded_and_printable() {
        let mut report = String::new();
        for n in 0..500 {
            let _ = write!(
                report,
                "Final-Recipient: rfc822; u{n}@example.org\nAction: failed\nDiagnostic-Code: x; \x1b[31m{}\n\n",
                "y".repeat(10_000)
            );
        }
        let lines = status_lines(&report);
        assert_eq!(lines.len(), MAX_RECIPIENTS + 1);
        assert_eq!(lines[MAX_RECIPIENTS], "… and 400 more recipients.");
        assert!(lines.iter().all(|line| line.chars().count() < 400));
        assert!(lines.iter().all(|line| !line.contains('\x1b')));
        assert!(status_lines("no fields at all\n\n\n").is_empty());
    }
}
