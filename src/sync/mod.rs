//! Sync engine: plan (pure) what a POP3 session should do, then apply it to the store.
//!
//! - [`connect`]: account settings → POP3 connect options and credentials (the one place).
//! - [`plan`]: pure planning; [`policy`]: an account's retention settings as the planner takes them.
//! - [`run`]: one account's sync (its sessions), applying plans; [`full`]: "download full message".
//! - [`probe`]: "Test connection".
//! - [`prepare`]: a session's own store connection, connect options and runtime.
//! - [`worker`]: the GUI's background thread and its commands and events; `job`: one job on its
//!   own thread and how it reports; [`explain`]: failures in words, as [`explain::SyncFailure`].
//! - `error`: [`SyncError`]; `report`: [`SyncReport`], [`Progress`] and the warnings in them.
//! - `sink`, `committer`, `indexer`, `identify`: streaming into the store, committing in
//!   groups, indexing on another thread (both a `fed_thread`), and knowing messages without
//!   trusting UIDLs.

mod committer;
pub mod connect;
mod error;
pub mod explain;
mod fed_thread;
pub mod full;
mod identify;
mod indexer;
mod job;
pub mod plan;
pub mod policy;
pub mod prepare;
pub mod probe;
mod report;
pub mod run;
mod sink;
pub mod worker;

pub use error::SyncError;
pub use report::{Progress, SyncReport};
