//! `satchel thread ID [--json]`: the ids of a message's conversation, in reading order.

use std::io::Write;

use crate::model::MessageId;
use crate::store::{ConversationEntry, Store};

/// Arguments of `satchel thread`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Message id (from `satchel search`).
    id: i64,
    /// One JSON object per message: id, depth (how many messages above it it answers), folder.
    #[arg(long)]
    json: bool,
}

/// A conversation's message as printed with `--json`.
#[derive(serde::Serialize)]
struct JsonEntry<'a> {
    id: i64,
    depth: usize,
    folder: &'a str,
}

pub(super) fn run(store: &Store, args: &Args) -> anyhow::Result<()> {
    let entries = store.conversation(MessageId(args.id))?;
    let folders = store.folders()?;
    let folder_path = |entry: &ConversationEntry| {
        folders
            .iter()
            .find(|folder| folder.id == entry.folder_id)
            .map_or("", |folder| folder.path.as_str())
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for entry in &entries {
        if args.json {
            let json = JsonEntry {
                id: entry.id.0,
                depth: entry.depth,
                folder: folder_path(entry),
            };
            serde_json::to_writer(&mut out, &json)?;
            writeln!(out)?;
        } else {
            writeln!(out, "{}", entry.id)?;
        }
    }
    out.flush()?;
    Ok(())
}
