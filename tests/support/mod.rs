//! Shared helpers for the POP3 integration tests.
// Each test binary uses a different subset of these helpers.
#![allow(dead_code)]

pub mod dovecot;
pub mod mailutils;
pub mod misbehaving;
pub mod real_server;
pub mod scripted;
pub mod sinks;
