//! One line for an error and its causes, as Satchel prints them: `what failed: why: root cause`.

/// The error's message followed by each `source()`, joined with `": "`.
#[must_use]
pub fn one_line(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
