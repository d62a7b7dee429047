//! `satchel export --folder NAME (--mbox FILE | --maildir DIR)`.

use std::path::PathBuf;

use super::count_of;
use crate::export::{ExportFormat, export_folder};
use crate::store::Store;

/// Arguments of `satchel export`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["mbox", "maildir"])))]
pub struct Args {
    /// Folder to export.
    #[arg(long, value_name = "NAME")]
    folder: String,
    /// Write an mbox file (mboxrd); it must not exist yet.
    #[arg(long, value_name = "FILE")]
    mbox: Option<PathBuf>,
    /// Write into a Maildir (created if missing).
    #[arg(long, value_name = "DIR")]
    maildir: Option<PathBuf>,
}

pub(super) fn run(store: &Store, args: &Args) -> anyhow::Result<()> {
    let folder = store.resolve_folder(&args.folder)?;
    let (format, path) = match (&args.mbox, &args.maildir) {
        (Some(file), _) => (ExportFormat::Mbox, file),
        (None, Some(dir)) => (ExportFormat::Maildir, dir),
        (None, None) => anyhow::bail!("choose --mbox FILE or --maildir DIR"),
    };
    let written = export_folder(store, folder, format, path)?;
    println!(
        "exported {} to {}",
        count_of(written as u64, "message"),
        path.display()
    );
    Ok(())
}
