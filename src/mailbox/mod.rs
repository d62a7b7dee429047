//! Reading and writing mail on disk: Maildir folders, mbox files (mboxrd) and `.eml` files.
//!
//! Knows nothing of the store: readers yield raw messages, writers take raw bytes.

mod maildir;
mod mbox;

use std::fs;
use std::path::{Path, PathBuf};

use crate::model::Flags;

pub use maildir::{MaildirWriter, read_maildir};
pub use mbox::{MboxReader, MboxWriter};

/// One message read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiskMessage {
    /// Exact bytes (mboxrd `>From ` quoting removed).
    pub raw: Vec<u8>,
    /// Flags known from the source (Maildir file name info).
    pub flags: Flags,
    /// Arrival time when the source records one (Maildir file time).
    pub received_at: Option<i64>,
    /// Envelope sender from an mbox `From ` line.
    pub envelope_from: Option<String>,
}

/// A path the importer understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A Maildir folder (has `cur/` or `new/`).
    Maildir(PathBuf),
    /// An mbox file (starts with `From `).
    Mbox(PathBuf),
    /// One message file.
    Eml(PathBuf),
    /// A folder of `.eml` files.
    EmlFolder(PathBuf),
}

/// Why a path could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MailboxError {
    /// The path does not exist.
    #[error("{0} does not exist")]
    Missing(PathBuf),
    /// A folder that is neither a Maildir nor holds `.eml` files.
    #[error("{0} is not a Maildir folder, an mbox file or an .eml file")]
    NotAMailbox(PathBuf),
    /// Reading or writing failed.
    #[error("cannot read or write {path}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
}

impl MailboxError {
    pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Self + '_ {
        move |source| Self::Io {
            path: path.to_owned(),
            source,
        }
    }
}

/// Works out what kind of mail source `path` is.
///
/// # Errors
/// [`MailboxError::Missing`] or [`MailboxError::NotAMailbox`].
pub fn detect(path: &Path) -> Result<Source, MailboxError> {
    let metadata = fs::metadata(path).map_err(|_| MailboxError::Missing(path.to_owned()))?;
    if metadata.is_dir() {
        if path.join("cur").is_dir() || path.join("new").is_dir() {
            return Ok(Source::Maildir(path.to_owned()));
        }
        if !eml_files(path)?.is_empty() {
            return Ok(Source::EmlFolder(path.to_owned()));
        }
        return Err(MailboxError::NotAMailbox(path.to_owned()));
    }
    let mut start = [0u8; 5];
    let read = {
        use std::io::Read;
        let mut file = fs::File::open(path).map_err(MailboxError::io(path))?;
        file.read(&mut start).map_err(MailboxError::io(path))?
    };
    if read == 5 && &start == b"From " {
        Ok(Source::Mbox(path.to_owned()))
    } else {
        Ok(Source::Eml(path.to_owned()))
    }
}

/// The `.eml` files directly inside a folder, sorted by name.
///
/// # Errors
/// When the folder cannot be listed.
pub fn eml_files(dir: &Path) -> Result<Vec<PathBuf>, MailboxError> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(MailboxError::io(dir))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file()
                && path
                    .extension()
                    .is_some_and(|ext| ext.eq_ignore_ascii_case("eml"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Reads one `.eml` file.
///
/// # Errors
/// When the file cannot be read.
pub fn read_eml(path: &Path) -> Result<DiskMessage, MailboxError> {
    let raw = fs::read(path).map_err(MailboxError::io(path))?;
    Ok(DiskMessage {
        raw,
        flags: Flags::default(),
        received_at: file_time(path),
        envelope_from: None,
    })
}

/// A file's modification time in Unix seconds.
pub(crate) fn file_time(path: &Path) -> Option<i64> {
    let modified = fs::metadata(path).ok()?.modified().ok()?;
    let elapsed = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
    i64::try_from(elapsed.as_secs()).ok()
}

#[cfg(test)]
mod tests;
