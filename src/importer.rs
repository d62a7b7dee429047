//! Importing Maildir folders, mbox files and `.eml` files into a store folder.
//!
//! Three stages on three threads: a reader thread reads, hashes and parses each message; the
//! calling thread stores them in batches, one durable transaction per batch; an indexer thread
//! adds each stored batch to the search index file meanwhile. Identical raw messages (by
//! SHA-256) are stored once.

use std::path::PathBuf;
use std::sync::mpsc;
use std::thread;

use crate::dates;
use crate::mailbox::{self, DiskMessage, MailboxError, MboxReader, Source};
use crate::message::{self, ParsedMessage};
use crate::model::FolderId;
use crate::store::{
    IndexDoc, IndexWriter, InsertOutcome, NewMessage, Store, StoreError, StoredRaw, raw_sha256,
};

/// Messages per transaction: large enough to amortise the fsync and the index flush, small
/// enough to show progress.
const BATCH_SIZE: usize = 2000;
/// Raw bytes per transaction, so batches of large messages stay bounded in memory.
const BATCH_BYTES: usize = 32 * 1024 * 1024;
/// Most parser threads (one per core up to this).
const MAX_PARSERS: usize = 4;
/// Stored batches waiting for the indexer.
const INDEX_QUEUE_DEPTH: usize = 4;
/// Parsed messages waiting for the writer; bounds memory when the disk is slower than parsing.
const QUEUE_DEPTH: usize = 128;

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

/// One message on its way from the reader thread to the writer.
struct Prepared {
    raw: Vec<u8>,
    stored_raw: StoredRaw,
    raw_sha256: [u8; 32],
    parsed: ParsedMessage,
    flags: crate::model::Flags,
    received_at: i64,
}

enum Item {
    Message(Box<Prepared>),
    Unreadable(String),
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
    mut progress: impl FnMut(&ImportReport),
) -> Result<ImportReport, ImportError> {
    let sources = paths
        .iter()
        .map(|path| mailbox::detect(path))
        .collect::<Result<Vec<Source>, _>>()?;
    let (receivers, readers) = spawn_readers(sources);
    let (index_sender, index_receiver) = mpsc::sync_channel::<Vec<IndexDoc>>(INDEX_QUEUE_DEPTH);
    let mut index_writer = IndexWriter::open(store.path())?;
    let indexer = thread::spawn(move || -> Result<(), StoreError> {
        for docs in index_receiver {
            index_writer.insert(&docs)?;
        }
        Ok(())
    });
    let mut report = ImportReport::default();
    let mut batch: Vec<Prepared> = Vec::with_capacity(BATCH_SIZE);
    let mut batch_bytes = 0;
    let result = (|| {
        for item in in_order(&receivers) {
            match item {
                Item::Message(prepared) => {
                    batch_bytes += prepared.raw.len();
                    batch.push(*prepared);
                }
                Item::Unreadable(reason) => report.unreadable.push(reason),
            }
            if batch.len() >= BATCH_SIZE || batch_bytes >= BATCH_BYTES {
                batch_bytes = 0;
                store_batch(store, &mut batch, folder, &mut report, &index_sender)?;
                progress(&report);
            }
        }
        store_batch(store, &mut batch, folder, &mut report, &index_sender)?;
        progress(&report);
        Ok::<(), StoreError>(())
    })();
    drop(receivers);
    drop(index_sender);
    // A failed indexer loses nothing: the messages are stored and the next open indexes them.
    let index_result = indexer.join().unwrap_or_else(|_| {
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
    result?;
    index_result?;
    Ok(report)
}

fn store_batch(
    store: &mut Store,
    batch: &mut Vec<Prepared>,
    folder: FolderId,
    report: &mut ImportReport,
    index_sender: &mpsc::SyncSender<Vec<IndexDoc>>,
) -> Result<(), StoreError> {
    if batch.is_empty() {
        return Ok(());
    }
    let messages: Vec<NewMessage<'_>> = batch
        .iter()
        .map(|prepared| NewMessage {
            raw: &prepared.raw,
            raw_sha256: &prepared.raw_sha256,
            parsed: &prepared.parsed,
            folder_id: folder,
            account_id: None,
            flags: prepared.flags,
            received_at: prepared.received_at,
            headers_only: false,
            stored_raw: Some(&prepared.stored_raw),
        })
        .collect();
    let (outcomes, docs) = store.insert_messages_unindexed(&messages)?;
    // If the indexer has stopped, its error is reported after the import; keep storing.
    let _ = index_sender.send(docs);
    for outcome in outcomes {
        match outcome {
            InsertOutcome::Stored(_) => report.imported += 1,
            InsertOutcome::Duplicate(_) => report.skipped += 1,
        }
    }
    batch.clear();
    Ok(())
}

/// Starts the reading side: one thread reads the files, and one parser per core turns them
/// into prepared messages. Work is dealt out round-robin, so reading the parsers' outputs
/// round-robin ([`in_order`]) gives the messages back in file order.
fn spawn_readers(sources: Vec<Source>) -> (Vec<mpsc::Receiver<Item>>, Vec<thread::JoinHandle<()>>) {
    let parsers =
        thread::available_parallelism().map_or(1, |cores| cores.get().clamp(1, MAX_PARSERS));
    let mut to_parsers = Vec::with_capacity(parsers);
    let mut receivers = Vec::with_capacity(parsers);
    let mut handles = Vec::with_capacity(parsers + 1);
    for _ in 0..parsers {
        let (raw_sender, raw_receiver) =
            mpsc::sync_channel::<Result<DiskMessage, String>>(QUEUE_DEPTH);
        let (item_sender, item_receiver) = mpsc::sync_channel::<Item>(QUEUE_DEPTH);
        handles.push(thread::spawn(move || {
            for raw in raw_receiver {
                let item = match raw {
                    Ok(disk) => Item::Message(Box::new(prepare(disk))),
                    Err(reason) => Item::Unreadable(reason),
                };
                if item_sender.send(item).is_err() {
                    break; // The writer stopped (store error); it reports why.
                }
            }
        }));
        to_parsers.push(raw_sender);
        receivers.push(item_receiver);
    }
    handles.push(thread::spawn(move || {
        let mut next = 0;
        let mut deal = |raw: Result<DiskMessage, String>| {
            let sent = to_parsers[next % to_parsers.len()].send(raw).map_err(drop);
            next += 1;
            sent
        };
        for source in sources {
            if read_source(&source, &mut deal).is_err() {
                break;
            }
        }
    }));
    (receivers, handles)
}

/// Items from the parsers in the order they were dealt; stops at the first parser with nothing more.
fn in_order(receivers: &[mpsc::Receiver<Item>]) -> impl Iterator<Item = Item> + '_ {
    receivers
        .iter()
        .cycle()
        .map_while(|receiver| receiver.recv().ok())
}

/// Reads one source and hands each message (or why it is unreadable) to `deal`; `Err` means
/// the other side hung up.
fn read_source(
    source: &Source,
    deal: &mut impl FnMut(Result<DiskMessage, String>) -> Result<(), ()>,
) -> Result<(), ()> {
    let mut send_result = |result: Result<DiskMessage, String>| deal(result);
    match source {
        Source::Eml(path) => send_result(mailbox::read_eml(path).map_err(|err| describe(&err))),
        Source::EmlFolder(dir) => match mailbox::eml_files(dir) {
            Ok(files) => files.iter().try_for_each(|path| {
                send_result(mailbox::read_eml(path).map_err(|err| describe(&err)))
            }),
            Err(err) => send_result(Err(describe(&err))),
        },
        Source::Maildir(dir) => match mailbox::read_maildir(dir) {
            Ok(messages) => messages
                .into_iter()
                .try_for_each(|message| send_result(message.map_err(|err| describe(&err)))),
            Err(err) => send_result(Err(describe(&err))),
        },
        Source::Mbox(path) => match std::fs::File::open(path) {
            Ok(file) => MboxReader::new(std::io::BufReader::with_capacity(256 * 1024, file))
                .try_for_each(|message| {
                    send_result(message.map_err(|err| {
                        format!("{}: {}", path.display(), crate::errors::one_line(&err))
                    }))
                }),
            Err(err) => send_result(Err(format!("{}: {err}", path.display()))),
        },
    }
}

fn prepare(disk: DiskMessage) -> Prepared {
    let parsed = message::parse(&disk.raw, disk.envelope_from.as_deref());
    Prepared {
        raw_sha256: raw_sha256(&disk.raw),
        stored_raw: StoredRaw::encode(&disk.raw),
        parsed,
        flags: disk.flags,
        received_at: disk.received_at.unwrap_or_else(dates::now),
        raw: disk.raw,
    }
}

fn describe(err: &MailboxError) -> String {
    crate::errors::one_line(err)
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
