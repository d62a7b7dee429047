//! `satchel folder list|create|rename|delete`.

use super::count_of;
use crate::store::Store;

/// Folder subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// List folders with message and unread counts.
    List,
    /// Create a folder; `Parent/Child` creates nested folders.
    Create {
        /// Folder path.
        path: String,
    },
    /// Rename a folder, or move it under another (`NEW` may be a path).
    Rename {
        /// Current path.
        old: String,
        /// New name or path.
        new: String,
    },
    /// Delete a folder and its subfolders; their messages go to Trash.
    Delete {
        /// Folder path.
        path: String,
    },
}

pub(super) fn run(store: &mut Store, command: &Command) -> anyhow::Result<()> {
    match command {
        Command::List => {
            for folder in store.folders()? {
                let indent = "  ".repeat(folder.depth);
                let label = format!("{indent}{}", folder.path);
                let noun = if folder.message_count == 1 {
                    "message"
                } else {
                    "messages"
                };
                println!(
                    "{label:<40} {:>8} {noun:<8} {:>8} unread",
                    folder.message_count, folder.unread_count
                );
            }
        }
        Command::Create { path } => {
            store.create_folder(path)?;
            println!("created {path}");
        }
        Command::Rename { old, new } => {
            store.rename_folder(old, new)?;
            println!("renamed {old} to {new}");
        }
        Command::Delete { path } => {
            let moved = store.delete_folder(path)?;
            println!(
                "deleted {path}; {} moved to Trash",
                count_of(moved as u64, "message")
            );
        }
    }
    Ok(())
}
