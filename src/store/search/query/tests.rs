//! Parser tests: every operator, quoting, errors.

use super::*;

fn term(field: Field, text: &str, prefix: bool) -> Term {
    Term {
        field,
        text: text.to_owned(),
        prefix,
    }
}

#[test]
fn words_phrases_and_prefixes() {
    let query = parse_query("invoice \"final notice\" rep* ").unwrap_or_default();
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
    let typing = parse_query("meeting ag").unwrap_or_default();
    assert_eq!(
        typing.terms,
        vec![
            term(Field::Any, "meeting", false),
            term(Field::Any, "ag", true)
        ]
    );
    let finished = parse_query("meeting ag ").unwrap_or_default();
    assert_eq!(finished.terms[1], term(Field::Any, "ag", false));
    let phrase_last = parse_query("\"meeting ag\"").unwrap_or_default();
    assert!(!phrase_last.terms[0].prefix);
}

#[test]
fn every_operator() {
    let query = parse_query(
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
    let query = parse_query("a\"b OR NEAR(x)").unwrap_err();
    assert_eq!(query, QueryError::UnbalancedQuote);
    let query = parse_query("NEAR(x OR y) \"say \"\"hi\"\"\"").unwrap_or_default();
    assert_eq!(
        query.fts_expression().as_deref(),
        Some("\"NEAR(x\" AND \"OR\" AND \"y)\" AND \"say \"\"hi\"\"\"")
    );
}

#[test]
fn unknown_operators_are_text() {
    let query = parse_query("http://example.org 10:30").unwrap_or_default();
    assert_eq!(
        query.terms[0],
        term(Field::Any, "http://example.org", false)
    );
    assert_eq!(query.terms[1], term(Field::Any, "10:30", true));
}

#[test]
fn clear_errors() {
    assert_eq!(
        parse_query("\"unclosed phrase").unwrap_err(),
        QueryError::UnbalancedQuote
    );
    assert_eq!(
        parse_query("from:\"bob").unwrap_err(),
        QueryError::UnbalancedQuote
    );
    assert!(matches!(
        parse_query("before:2024-02-30").unwrap_err(),
        QueryError::BadDate { .. }
    ));
    assert!(matches!(
        parse_query("after:yesterday").unwrap_err(),
        QueryError::BadDate { .. }
    ));
    assert!(matches!(
        parse_query("larger:huge").unwrap_err(),
        QueryError::BadSize { .. }
    ));
    assert!(matches!(
        parse_query("is:sticky").unwrap_err(),
        QueryError::UnknownValue { .. }
    ));
    assert!(matches!(
        parse_query("has:pdf").unwrap_err(),
        QueryError::UnknownValue { .. }
    ));
    assert_eq!(
        parse_query("from:").unwrap_err(),
        QueryError::EmptyValue("from".into())
    );
    let message = parse_query("before:31/12/2024").unwrap_err().to_string();
    assert_eq!(
        message,
        "before:31/12/2024 is not a date; write before:YYYY-MM-DD"
    );
}

#[test]
fn punctuation_only_terms_are_dropped() {
    let query = parse_query("- !!! hello").unwrap_or_default();
    assert_eq!(query.terms, vec![term(Field::Any, "hello", true)]);
}
