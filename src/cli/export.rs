//! `satchel export --folder NAME (--mbox FILE | --maildir DIR)`.

use std::fs;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::count_of;
use crate::mailbox::{MaildirWriter, MboxWriter};
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
    // Oldest first, the order mail programs expect in an mbox.
    let mut ids = store.folder_message_ids(folder)?;
    ids.reverse();
    if let Some(path) = &args.mbox {
        export_mbox(store, &ids, path)?;
        println!(
            "exported {} to {}",
            count_of(ids.len() as u64, "message"),
            path.display()
        );
    } else if let Some(dir) = &args.maildir {
        let mut writer = MaildirWriter::create(dir)?;
        for id in &ids {
            let summary = store.message(*id)?;
            writer.write(id.0, &store.raw_message(*id)?, summary.flags, summary.date)?;
        }
        println!(
            "exported {} to {}",
            count_of(ids.len() as u64, "message"),
            dir.display()
        );
    }
    Ok(())
}

/// Writes to `FILE.partial`, syncs, then renames: a crash never leaves a half file under the real name.
fn export_mbox(store: &Store, ids: &[crate::model::MessageId], path: &Path) -> anyhow::Result<()> {
    if path.exists() {
        anyhow::bail!(
            "{} already exists; choose another file name",
            path.display()
        );
    }
    let partial = path.with_extension("partial");
    let file = fs::File::create(&partial)
        .with_context(|| format!("cannot create {}", partial.display()))?;
    let mut writer = MboxWriter::new(BufWriter::new(file));
    for id in ids {
        let summary = store.message(*id)?;
        writer
            .write(&store.raw_message(*id)?, &summary.from_addr, summary.date)
            .with_context(|| format!("cannot write {}", partial.display()))?;
    }
    let file = writer
        .finish()?
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)?;
    file.sync_all()?;
    fs::rename(&partial, path)
        .with_context(|| format!("cannot rename {} to {}", partial.display(), path.display()))?;
    Ok(())
}
