//! Raw RFC 5322 bytes → summary, readable body, attachments.
