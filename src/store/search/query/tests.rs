//! Parser tests: every operator, quoting, errors.

use super::*;

/// Parses with days read in UTC.
fn parse_utc(text: &str) -> Result<Query, QueryError> {
    parse_query(text, &TimeZone::UTC)
}

fn term(field: Field, text: &str, prefix: bool) -> Term {
    Term {
        field,
        text: text.to_owned(),
        prefix,
    }
}

#[test]
fn words_phrases_and_prefixes() {
    let query = parse_utc("invoice \"final notice\" rep* ").unwrap_or_default();
    assert_eq!(
        query.terms,
        vec![
            term(Field::Any, "invoice", false),
            term(Field::Any, "final notice", false),
            term(Field::Any, "rep", true)
        ]
    );
    assert_eq!(
        query.fts_expression().as_deref(),
        Some("\"invoice\" AND \"final notice\" AND \"rep\" *")
    );
}

#[test]
fn last_bare_word_is_a_prefix_while_typing() {
    let typing = parse_utc("meeting ag").unwrap_or_default();
    assert_eq!(
        typing.terms,
        vec![
            term(Field::Any, "meeting", false),
            term(Field::Any, "ag", true)
        ]
    );
    let finished = parse_utc("meeting ag ").unwrap_or_default();
    assert_eq!(finished.terms[1], term(Field::Any, "ag", false));
    let phrase_last = parse_utc("\"meeting ag\"").unwrap_or_default();
    assert!(!phrase_last.terms[0].prefix);
}

#[test]
fn every_operator() {
    let query = parse_utc(
        "from:alice to:\"Bob Smith\" subject:report folder:Work account:home has:attachment is:unread is:flagged \
         before:2024-03-01 after:2024-01-01 larger:5M smaller:100K x",
    )
    .unwrap_or_default();
    assert_eq!(
        query.terms,
        vec![
            term(Field::From, "alice", false),
            term(Field::To, "Bob Smith", false),
            term(Field::Subject, "report", false),
            term(Field::Any, "x", true),
        ]
    );
    assert_eq!(
        query.filters,
        vec![
            Filter::Folder("Work".into()),
            Filter::Account("home".into()),
            Filter::HasAttachment,
            Filter::Seen(false),
            Filter::Flagged(true),
            Filter::Before(1_709_251_200),
            Filter::After(1_704_067_200),
            Filter::Larger(5 * 1024 * 1024),
            Filter::Smaller(100 * 1024),
        ]
    );
}

#[test]
fn user_text_cannot_inject_fts_syntax() {
    let query = parse_utc("a\"b OR NEAR(x)").unwrap_err();
    assert_eq!(query, QueryError::UnbalancedQuote);
    let query = parse_utc("NEAR(x OR y) \"say \"\"hi\"\"\"").unwrap_or_default();
    assert_eq!(
        query.fts_expression().as_deref(),
        Some("\"NEAR(x\" AND \"OR\" AND \"y)\" AND \"say \"\"hi\"\"\"")
    );
}

#[test]
fn unknown_operators_are_text() {
    let query = parse_utc("http://example.org 10:30").unwrap_or_default();
    assert_eq!(
        query.terms[0],
        term(Field::Any, "http://example.org", false)
    );
    assert_eq!(query.terms[1], term(Field::Any, "10:30", true));
}

#[test]
fn clear_errors() {
    assert_eq!(
        parse_utc("\"unclosed phrase").unwrap_err(),
        QueryError::UnbalancedQuote
    );
    assert_eq!(
        parse_utc("from:\"bob").unwrap_err(),
        QueryError::UnbalancedQuote
    );
    assert!(matches!(
        parse_utc("before:2024-02-30").unwrap_err(),
        QueryError::BadDate { .. }
    ));
    assert!(matches!(
        parse_utc("after:yesterday").unwrap_err(),
        QueryError::BadDate { .. }
    ));
    assert!(matches!(
        parse_utc("larger:huge").unwrap_err(),
        QueryError::BadSize { .. }
    ));
    assert!(matches!(
        parse_utc("is:sticky").unwrap_err(),
        QueryError::UnknownValue { .. }
    ));
    assert!(matches!(
        parse_utc("has:pdf").unwrap_err(),
        QueryError::UnknownValue { .. }
    ));
    assert_eq!(
        parse_utc("from:").unwrap_err(),
        QueryError::EmptyValue("from".into())
    );
    let message = parse_utc("before:31/12/2024").unwrap_err().to_string();
    assert_eq!(
        message,
        "before:31/12/2024 is not a date; write before:YYYY-MM-DD"
    );
}

#[test]
fn punctuation_only_terms_are_dropped() {
    let query = parse_utc("- !!! hello").unwrap_or_default();
    assert_eq!(query.terms, vec![term(Field::Any, "hello", true)]);
}

#[test]
fn before_and_after_mean_local_days() {
    let new_york = dates::named_zone("America/New_York").expect("zone");
    let query = parse_query("after:2026-03-08 before:2026-03-09", &new_york).unwrap_or_default();
    // Local midnight: 05:00 UTC in winter, 04:00 UTC once the clocks have gone forward.
    let start = "2026-03-08T05:00:00Z"
        .parse::<jiff::Timestamp>()
        .expect("time");
    let end = "2026-03-09T04:00:00Z"
        .parse::<jiff::Timestamp>()
        .expect("time");
    assert_eq!(
        query.filters,
        vec![
            Filter::After(start.as_second()),
            Filter::Before(end.as_second()),
        ]
    );
    let tokyo = dates::named_zone("Asia/Tokyo").expect("zone");
    let query = parse_query("after:2027-01-01", &tokyo).unwrap_or_default();
    let start = "2026-12-31T15:00:00Z"
        .parse::<jiff::Timestamp>()
        .expect("time");
    assert_eq!(query.filters, vec![Filter::After(start.as_second())]);
}
