//! Sync engine: plan (pure) what a POP3 session should do, then apply it to the store.

mod committer;
pub mod explain;
pub mod full;
mod identify;
pub mod plan;
pub mod probe;
pub mod run;
mod setup;
mod sink;
pub mod worker;
