//! Importing Maildir folders, mbox files and `.eml` files into a store folder.
//!
//! Three stages on their own threads: the reading side (`read`: a reader thread and one parser
//! per core) reads, hashes and parses each message; the calling thread stores them in batches,
//! one durable transaction per batch, while an indexer thread adds each stored batch to the
//! search index file (`write`). Identical raw messages (by SHA-256) are stored once.

mod read;
mod write;

use std::path::PathBuf;
use std::thread;

use crate::mailbox::{self, MailboxError, Source};
use crate::model::FolderId;
use crate::store::{Store, StoreError};

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Messages stored.
    pub imported: u64,
    /// Messages already in the store (identical bytes).
    pub skipped: u64,
    /// Files or mailboxes that could not be read, with the reason.
    pub unreadable: Vec<String>,
}

/// Why an import stopped.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A path is missing or not a mail source; nothing was imported from any path.
    #[error(transparent)]
    Source(#[from] MailboxError),
    /// The store refused a batch; earlier batches stay stored.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Imports every path into `folder`. All paths are checked before anything is written.
/// `progress` is called after each batch with the running report.
///
/// # Errors
/// [`ImportError::Source`] when a path is missing or not mail (nothing imported);
/// [`ImportError::Store`] when the store fails (batches already committed stay).
pub fn import_paths(
    store: &mut Store,
    paths: &[PathBuf],
    folder: FolderId,
    progress: impl FnMut(&ImportReport),
) -> Result<ImportReport, ImportError> {
    let sources = paths
        .iter()
        .map(|path| mailbox::detect(path))
        .collect::<Result<Vec<Source>, _>>()?;
    let (receivers, readers) = read::spawn_readers(sources);
    let indexer = write::Indexer::start(store)?;
    let mut report = ImportReport::default();
    let stored = write::store_all(
        store,
        read::in_order(&receivers),
        folder,
        &mut report,
        &indexer,
        progress,
    );
    drop(receivers);
    // A failed indexer loses nothing: the messages are stored and the next open indexes them.
    let index_result = indexer.finish().unwrap_or_else(|_| {
        report
            .unreadable
            .push("the indexer thread stopped unexpectedly".to_owned());
        Ok(())
    });
    // Readers only send; if one panicked, what it sent is stored and the report says so.
    if readers
        .into_iter()
        .map(thread::JoinHandle::join)
        .any(|joined| joined.is_err())
    {
        report
            .unreadable
            .push("a reader thread stopped unexpectedly".to_owned());
    }
    stored?;
    index_result?;
    Ok(report)
}

/// The folder imports go to when none is named.
pub const DEFAULT_IMPORT_FOLDER: &str = "Imported";

/// Convenience for callers that hold a path string: resolves or creates the folder, then imports.
///
/// # Errors
/// As [`import_paths`], plus folder name errors.
pub fn import_into(
    store: &mut Store,
    paths: &[PathBuf],
    folder_path: Option<&str>,
    progress: impl FnMut(&ImportReport),
) -> Result<ImportReport, ImportError> {
    // Check every path before creating a folder, so a typo leaves the store as it was.
    for path in paths {
        mailbox::detect(path)?;
    }
    let folder = match folder_path {
        Some(path) => store
            .resolve_folder(path)
            .or_else(|_| store.ensure_folder(path))?,
        None => store.ensure_folder(DEFAULT_IMPORT_FOLDER)?,
    };
    import_paths(store, paths, folder, progress)
}
