//! Satchel: an offline-first mail reader that downloads mail over POP3 into a local SQLite store.
//!
//! Layers (dependencies only point downwards):
//! - [`cli`]: one file per `satchel` subcommand.
//! - [`store`]: SQLite store — migrations, accounts, folders, messages, search.
//! - [`mailbox`]: reading and writing Maildir, mbox and `.eml` files (knows nothing of the store).
//! - [`message`]: raw RFC 5322 bytes → summary, readable body, attachments.
//! - [`pop3`]: streaming, pipelined POP3 client (knows nothing of the store).
//! - [`sync`]: plans and applies POP3 syncs (uses `pop3`, `store`, `message`).
//! - [`import`]: Maildir, mbox and `.eml` files into a store folder: reader and parser threads,
//!   batched writer, indexer thread (uses `mailbox`, `store`, `message`).
//! - [`export`]: a store folder out as an mbox file or a Maildir (uses `mailbox`, `store`).
//! - [`config`], [`secrets`]: platform paths; passwords in the keyring or a labelled fallback file.
//! - [`wording`]: counts worded for people ("1 message", "2 messages").
//! - [`ui`]: the desktop app; reads the store, drives the sync worker (never `pop3` or tokio).
//! - [`threading`]: which messages answer which (JWZ), knowing nothing of the store.
//! - [`model`], [`dates`]: plain ids and types, and dates in local time (jiff) shared by all.
//!
//! Tests: a file's unit tests sit at its end in `#[cfg(test)] mod tests { … }`; when they would
//! take the file past ~450 lines they move to `foo/tests.rs` (beside `foo.rs`, or inside the
//! `foo/` of a `foo/mod.rs`), declared `#[cfg(test)] mod tests;`, and a long one splits into
//! `foo/tests/part.rs`. Integration tests are `tests/*.rs`, their shared helpers `tests/support/`.

pub mod cli;
pub mod compose;
pub mod config;
pub mod dates;
pub mod errors;
pub mod export;
pub mod import;
pub mod mailbox;
pub mod message;
pub mod model;
pub mod outbox;
pub mod pop3;
pub mod secrets;
pub mod smtp;
pub mod store;
pub mod sync;
pub mod threading;
pub mod ui;
pub mod wording;
pub mod writing;
