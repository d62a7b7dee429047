//! Reading and writing mail on disk: Maildir folders, mbox files (mboxrd) and `.eml` files.
//!
//! Knows nothing of the store: readers yield raw messages, writers take raw bytes.

mod maildir;
mod mbox;

use std::fs;
use std::path::{Path, PathBuf};

use crate::model::Flags;

pub use maildir::{MaildirWriter, read_maildir};
pub use mbox::{MboxError, MboxReader, MboxWriter};

/// Largest message read from disk (256 MiB); larger files are skipped and reported.
pub const MAX_MESSAGE_BYTES: u64 = 256 * 1024 * 1024;

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
    /// A message path that is a directory, FIFO, device or socket (after following symlinks).
    #[error("cannot read or write {path}: it is {kind}, not a regular file")]
    NotAFile {
        /// The path as listed.
        path: PathBuf,
        /// What it is, e.g. "a directory".
        kind: &'static str,
    },
    /// A message file over the size limit.
    #[error(
        "cannot import {path}: its {size} bytes are more than the limit of {limit} bytes for one message"
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size, or how much was read before the limit was passed.
        size: u64,
        /// The limit.
        limit: u64,
    },
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
    if !metadata.is_dir() && !metadata.is_file() {
        // A FIFO would block the open below and a device would never end.
        return Err(MailboxError::NotAMailbox(path.to_owned()));
    }
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
        // Anything named .eml but a folder is listed, so a FIFO or device is reported, not skipped.
        .filter(|path| {
            !path.is_dir()
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
    let raw = read_message_file(path, MAX_MESSAGE_BYTES)?;
    Ok(DiskMessage {
        raw,
        flags: Flags::default(),
        received_at: file_time(path),
        envelope_from: None,
    })
}

/// Reads one message file of at most `limit` bytes. Only regular files are read (a symlink
/// is followed, and its target must be one); the size is checked before reading, and the
/// read stops after `limit + 1` bytes, so a file that grows meanwhile cannot pass the limit.
///
/// # Errors
/// [`MailboxError::NotAFile`], [`MailboxError::TooLarge`], or the read's I/O error.
pub fn read_message_file(path: &Path, limit: u64) -> Result<Vec<u8>, MailboxError> {
    use std::io::Read;
    let metadata = fs::metadata(path).map_err(MailboxError::io(path))?;
    check_regular(path, &metadata, limit)?;
    let file = fs::File::open(path).map_err(MailboxError::io(path))?;
    // The path may have been swapped since the check: look at what was opened.
    check_regular(
        path,
        &file.metadata().map_err(MailboxError::io(path))?,
        limit,
    )?;
    let mut raw = Vec::with_capacity(usize::try_from(metadata.len()).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut raw)
        .map_err(MailboxError::io(path))?;
    if raw.len() as u64 > limit {
        return Err(MailboxError::TooLarge {
            path: path.to_owned(),
            size: raw.len() as u64,
            limit,
        });
    }
    Ok(raw)
}

fn check_regular(path: &Path, metadata: &fs::Metadata, limit: u64) -> Result<(), MailboxError> {
    let kind = file_kind(metadata);
    if !metadata.is_file() {
        return Err(MailboxError::NotAFile {
            path: path.to_owned(),
            kind,
        });
    }
    if metadata.len() > limit {
        return Err(MailboxError::TooLarge {
            path: path.to_owned(),
            size: metadata.len(),
            limit,
        });
    }
    Ok(())
}

/// What a non-regular file is, in words.
fn file_kind(metadata: &fs::Metadata) -> &'static str {
    let file_type = metadata.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a directory"
    } else if file_type.is_file() {
        "a regular file"
    } else {
        "not a file"
    }
}

/// A file's modification time in Unix seconds.
pub(crate) fn file_time(path: &Path) -> Option<i64> {
    let modified = fs::metadata(path).ok()?.modified().ok()?;
    let elapsed = modified.duration_since(std::time::UNIX_EPOCH).ok()?;
    i64::try_from(elapsed.as_secs()).ok()
}

#[cfg(test)]
mod tests;
