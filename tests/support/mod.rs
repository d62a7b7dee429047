//! Helpers shared by the integration tests, in one tree: temporary stores and messages
//! ([`store`]), the `satchel` binary and fixtures ([`cli`]), real POP3 servers ([`dovecot`],
//! [`mailutils`], [`real_server`]), scripted and misbehaving servers, fetch sinks, and the
//! desktop app under `egui_kittest` ([`ui`]).
//!
//! Every test binary declares `mod support;` and uses the parts it needs.

#![expect(dead_code, reason = "each test binary uses a different subset")]

pub mod cli;
pub mod dovecot;
pub mod mailutils;
pub mod misbehaving;
pub mod real_server;
pub mod scripted;
pub mod sinks;
pub mod smtp;
pub mod store;
pub mod ui;

use std::path::Path;

/// Message files in a Maildir's `new/` and `cur/`: what a test server still holds.
pub fn files_in_maildir(maildir: &Path) -> usize {
    ["new", "cur"]
        .iter()
        .map(|sub| std::fs::read_dir(maildir.join(sub)).map_or(0, Iterator::count))
        .sum()
}

/// Runs `future` to completion on a fresh single-threaded runtime, as one account's session runs.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(future)
}
