//! The search language: words, "phrases", `word*`, and operators, parsed into a typed query.
//!
//! Nothing here touches SQL: the parsed [`Query`] is turned into an FTS5 expression whose every
//! term is quoted, so user text can never be read as FTS or SQL syntax.

use crate::dates::{self, TimeZone};

/// A parsed search.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// Full-text conditions, all of which must match.
    pub terms: Vec<Term>,
    /// Conditions on summary columns and folders.
    pub filters: Vec<Filter>,
}

/// Where a full-text term must appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Any indexed text: subject, sender, recipients, body, attachment names.
    Any,
    /// `from:`: sender name and address.
    From,
    /// `to:`: To and Cc recipients.
    To,
    /// `subject:`.
    Subject,
}

/// One full-text condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Column restriction.
    pub field: Field,
    /// Text as typed; a phrase when it holds several words.
    pub text: String,
    /// Match as a prefix (`word*`, or the last word while typing).
    pub prefix: bool,
}

/// One non-text condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// `folder:NAME`, matched by name or path, case-insensitively.
    Folder(String),
    /// `account:NAME`.
    Account(String),
    /// `has:attachment`.
    HasAttachment,
    /// `is:unread` (false) or `is:read` (true).
    Seen(bool),
    /// `is:flagged` (true) or `is:unflagged` (false).
    Flagged(bool),
    /// `is:answered`.
    Answered,
    /// `before:YYYY-MM-DD`: dated earlier than the start of that local day (Unix seconds of
    /// local midnight in the zone the query was parsed in).
    Before(i64),
    /// `after:YYYY-MM-DD`: dated at or after the start of that local day.
    After(i64),
    /// `larger:5M`: size above this many bytes.
    Larger(u64),
    /// `smaller:100K`: size below this many bytes.
    Smaller(u64),
}

/// Why a query could not be understood; each says what to type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// A `"` without its closing partner.
    #[error("unbalanced quote: close the phrase with another \"")]
    UnbalancedQuote,
    /// An operator with nothing after the colon.
    #[error("{0}: needs a value")]
    EmptyValue(String),
    /// A date operator whose value is not `YYYY-MM-DD`.
    #[error("{operator}:{value} is not a date; write {operator}:YYYY-MM-DD")]
    BadDate {
        /// `before` or `after`.
        operator: String,
        /// What was typed.
        value: String,
    },
    /// A size operator whose value is not a size.
    #[error("{operator}:{value} is not a size; write e.g. {operator}:5M or {operator}:100K")]
    BadSize {
        /// `larger` or `smaller`.
        operator: String,
        /// What was typed.
        value: String,
    },
    /// An `is:` or `has:` value Satchel does not know.
    #[error("{operator}:{value} is not understood; try {hint}")]
    UnknownValue {
        /// `is` or `has`.
        operator: String,
        /// What was typed.
        value: String,
        /// The accepted values.
        hint: &'static str,
    },
}

/// One whitespace-separated piece of the query before interpretation.
struct Token {
    operator: Option<String>,
    value: String,
    quoted: bool,
}

/// Parses a query string; `before:` and `after:` name days in `zone` (the reader's own).
///
/// # Errors
/// A [`QueryError`] that names the problem in words.
pub fn parse_query(input: &str, zone: &TimeZone) -> Result<Query, QueryError> {
    let tokens = tokenize(input)?;
    let ends_while_typing = !input.ends_with(char::is_whitespace);
    let mut query = Query::default();
    let last = tokens.len().saturating_sub(1);
    for (index, token) in tokens.into_iter().enumerate() {
        let typing = ends_while_typing && index == last && !token.quoted;
        match token.operator.as_deref() {
            None => push_term(&mut query, Field::Any, token.value, token.quoted, typing),
            Some(operator) => {
                apply_operator(
                    &mut query,
                    operator,
                    token.value,
                    token.quoted,
                    typing,
                    zone,
                )?;
            }
        }
    }
    Ok(query)
}

fn push_term(query: &mut Query, field: Field, value: String, quoted: bool, typing: bool) {
    let (text, star) = match value.strip_suffix('*') {
        Some(stem) if !quoted => (stem.to_owned(), true),
        _ => (value, false),
    };
    // Text with no letters or digits has no tokens to match; it is dropped, not an error.
    if text.chars().any(char::is_alphanumeric) {
        query.terms.push(Term {
            field,
            text,
            prefix: star || typing,
        });
    }
}

fn apply_operator(
    query: &mut Query,
    operator: &str,
    value: String,
    quoted: bool,
    typing: bool,
    zone: &TimeZone,
) -> Result<(), QueryError> {
    let lower = operator.to_ascii_lowercase();
    if value.is_empty() {
        return Err(QueryError::EmptyValue(lower));
    }
    let filter = match lower.as_str() {
        "from" => {
            push_term(query, Field::From, value, quoted, typing);
            return Ok(());
        }
        "to" => {
            push_term(query, Field::To, value, quoted, typing);
            return Ok(());
        }
        "subject" => {
            push_term(query, Field::Subject, value, quoted, typing);
            return Ok(());
        }
        "folder" | "in" => Filter::Folder(value),
        "account" => Filter::Account(value),
        "has" => match value.to_ascii_lowercase().as_str() {
            "attachment" | "attachments" => Filter::HasAttachment,
            _ => {
                return Err(QueryError::UnknownValue {
                    operator: lower,
                    value,
                    hint: "has:attachment",
                });
            }
        },
        "is" => match value.to_ascii_lowercase().as_str() {
            "unread" | "unseen" | "new" => Filter::Seen(false),
            "read" | "seen" => Filter::Seen(true),
            "flagged" | "starred" => Filter::Flagged(true),
            "unflagged" => Filter::Flagged(false),
            "answered" | "replied" => Filter::Answered,
            _ => {
                return Err(QueryError::UnknownValue {
                    operator: lower,
                    value,
                    hint: "is:unread, is:read, is:flagged, is:unflagged or is:answered",
                });
            }
        },
        "before" | "after" => {
            let date = dates::parse_ymd(&value).ok_or_else(|| QueryError::BadDate {
                operator: lower.clone(),
                value,
            })?;
            let day = dates::local_day_start(date, zone);
            if lower == "before" {
                Filter::Before(day)
            } else {
                Filter::After(day)
            }
        }
        "larger" | "smaller" => {
            let bytes = parse_size(&value).ok_or_else(|| QueryError::BadSize {
                operator: lower.clone(),
                value,
            })?;
            if lower == "larger" {
                Filter::Larger(bytes)
            } else {
                Filter::Smaller(bytes)
            }
        }
        // Not an operator (a URL, a time like 10:30): search for the text itself.
        _ => {
            push_term(
                query,
                Field::Any,
                format!("{operator}:{value}"),
                quoted,
                typing,
            );
            return Ok(());
        }
    };
    query.filters.push(filter);
    Ok(())
}

/// `5M`, `100K`, `1.5MB`, `2G`, `300` (bytes); units are binary (K = 1024).
fn parse_size(text: &str) -> Option<u64> {
    let upper = text.trim().to_ascii_uppercase();
    let upper = upper.strip_suffix('B').unwrap_or(&upper);
    let (number, multiplier) = match upper.chars().last()? {
        'K' => (&upper[..upper.len() - 1], 1024.0),
        'M' => (&upper[..upper.len() - 1], 1024.0 * 1024.0),
        'G' => (&upper[..upper.len() - 1], 1024.0 * 1024.0 * 1024.0),
        _ => (upper, 1.0),
    };
    let value: f64 = number.parse().ok()?;
    if !value.is_finite() || value < 0.0 {
        return None;
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "checked finite and non-negative; sizes fit"
    )]
    Some((value * multiplier).round() as u64)
}

fn tokenize(input: &str) -> Result<Vec<Token>, QueryError> {
    let mut tokens = Vec::new();
    let mut chars = input.chars().peekable();
    loop {
        while chars.next_if(|ch| ch.is_whitespace()).is_some() {}
        let Some(&first) = chars.peek() else { break };
        let mut operator = None;
        let mut value = String::new();
        let mut quoted = false;
        if first == '"' {
            chars.next();
            value = read_quoted(&mut chars)?;
            quoted = true;
        } else {
            while let Some(ch) = chars.next_if(|ch| !ch.is_whitespace()) {
                if ch == ':'
                    && operator.is_none()
                    && !value.is_empty()
                    && value.chars().all(char::is_alphabetic)
                {
                    operator = Some(std::mem::take(&mut value));
                    if chars.next_if_eq(&'"').is_some() {
                        value = read_quoted(&mut chars)?;
                        quoted = true;
                        break;
                    }
                } else if ch == '"' {
                    // A quote inside a word (`re"port draft"`) opens a phrase that must close.
                    let rest = read_quoted(&mut chars)?;
                    value.push(' ');
                    value.push_str(&rest);
                    quoted = true;
                } else {
                    value.push(ch);
                }
            }
        }
        tokens.push(Token {
            operator,
            value,
            quoted,
        });
    }
    Ok(tokens)
}

/// Reads up to the closing quote (consumed); `""` inside a phrase stands for one quote.
fn read_quoted(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<String, QueryError> {
    let mut phrase = String::new();
    while let Some(ch) = chars.next() {
        if ch == '"' {
            if chars.next_if_eq(&'"').is_some() {
                phrase.push('"');
            } else {
                return Ok(phrase);
            }
        } else {
            phrase.push(ch);
        }
    }
    Err(QueryError::UnbalancedQuote)
}

impl Term {
    /// This term as an FTS5 expression: quoted so user text is never FTS syntax.
    #[must_use]
    pub fn to_fts(&self) -> String {
        let column = match self.field {
            Field::Any => "",
            Field::From => "sender : ",
            Field::To => "recipients : ",
            Field::Subject => "subject : ",
        };
        let star = if self.prefix { " *" } else { "" };
        // CJK characters are indexed one per token, so a CJK word becomes a phrase of characters.
        let text = crate::store::cjk::space_out(&self.text);
        format!("{column}\"{}\"{star}", text.trim().replace('"', "\"\""))
    }
}

impl Query {
    /// The FTS5 MATCH expression (terms AND-ed), or `None` when the query has no text terms.
    #[must_use]
    pub fn fts_expression(&self) -> Option<String> {
        if self.terms.is_empty() {
            return None;
        }
        Some(
            self.terms
                .iter()
                .map(Term::to_fts)
                .collect::<Vec<_>>()
                .join(" AND "),
        )
    }
}

#[cfg(test)]
mod tests;
