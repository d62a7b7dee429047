//! A store folder written out as an mbox file (mboxrd) or into a Maildir, oldest message first,
//! for the CLI's `satchel export` and the folder tree's Export menu. The mbox is written under
//! a `.partial` name, synced, then renamed: a crash never leaves half a file under the real name.

use std::fs;
use std::io::BufWriter;
use std::path::Path;

use crate::mailbox::{MailboxError, MaildirWriter, MboxWriter};
use crate::model::{FolderId, MessageId};
use crate::store::{Store, StoreError};

/// The two formats a folder is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One mbox file (mboxrd quoting), which mutt, Thunderbird and Python read.
    Mbox,
    /// A Maildir (`cur/`, `new/`, `tmp/`), exact for every message, flags in the file names.
    Maildir,
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The Maildir could not be written.
    #[error(transparent)]
    Maildir(#[from] MailboxError),
    /// The mbox file exists already (an export never overwrites).
    #[error("{0} already exists; choose another file name")]
    Exists(String),
    /// A file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or directory.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
}

/// Writes `folder` to `path` in `format`; returns how many messages were written.
///
/// # Errors
/// When the store cannot be read, the mbox file exists, or a file cannot be written.
pub fn export_folder(
    store: &Store,
    folder: FolderId,
    format: ExportFormat,
    path: &Path,
) -> Result<usize, ExportError> {
    // Oldest first, the order mail programs expect in an mbox.
    let mut ids = store.folder_message_ids(folder)?;
    ids.reverse();
    match format {
        ExportFormat::Mbox => write_mbox(store, &ids, path)?,
        ExportFormat::Maildir => write_maildir(store, &ids, path)?,
    }
    Ok(ids.len())
}

fn write_error(path: &Path) -> impl FnOnce(std::io::Error) -> ExportError + '_ {
    move |source| ExportError::Write {
        path: path.display().to_string(),
        source,
    }
}

fn write_mbox(store: &Store, ids: &[MessageId], path: &Path) -> Result<(), ExportError> {
    if path.exists() {
        return Err(ExportError::Exists(path.display().to_string()));
    }
    let partial = path.with_extension("partial");
    let file = fs::File::create(&partial).map_err(write_error(&partial))?;
    let mut writer = MboxWriter::new(BufWriter::new(file));
    for id in ids {
        let summary = store.message(*id)?;
        writer
            .write(&store.raw_message(*id)?, &summary.from_addr, summary.date)
            .map_err(write_error(&partial))?;
    }
    let file = writer
        .finish()
        .map_err(write_error(&partial))?
        .into_inner()
        .map_err(std::io::IntoInnerError::into_error)
        .map_err(write_error(&partial))?;
    file.sync_all().map_err(write_error(&partial))?;
    fs::rename(&partial, path).map_err(write_error(path))
}

fn write_maildir(store: &Store, ids: &[MessageId], dir: &Path) -> Result<(), ExportError> {
    let mut writer = MaildirWriter::create(dir)?;
    for id in ids {
        let summary = store.message(*id)?;
        writer.write(id.0, &store.raw_message(*id)?, summary.flags, summary.date)?;
    }
    Ok(())
}
