//! `satchel import PATH… [--folder NAME]`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use crate::import::{self, ImportReport};
use crate::store::Store;

/// Arguments of `satchel import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Maildir folders, mbox files, .eml files or folders of .eml files.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Folder to import into, created if missing (default: Imported).
    #[arg(long, value_name = "NAME")]
    folder: Option<String>,
}

pub(super) fn run(store: &mut Store, args: &Args) -> anyhow::Result<()> {
    let show_progress = std::io::stderr().is_terminal();
    let report = import::import_into(
        store,
        &args.paths,
        args.folder.as_deref(),
        |report: &ImportReport| {
            if show_progress {
                eprint!(
                    "\rimported {}, skipped {} …",
                    report.imported, report.skipped
                );
                let _ = std::io::stderr().flush();
            }
        },
    )?;
    if show_progress {
        eprint!("\r\x1b[K");
    }
    println!(
        "imported {}, skipped {} (already stored), unreadable {}",
        report.imported,
        report.skipped,
        report.unreadable.len()
    );
    for reason in &report.unreadable {
        eprintln!("unreadable: {reason}");
    }
    if report.unreadable.is_empty() {
        Ok(())
    } else {
        let noun = if report.unreadable.len() == 1 {
            "message or file"
        } else {
            "messages or files"
        };
        anyhow::bail!("{} {noun} could not be read", report.unreadable.len())
    }
}
