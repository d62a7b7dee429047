//! The reading side of an import: one thread reads the sources, one parser per core hashes,
//! parses and compresses each message; their outputs come back in file order.

use std::sync::mpsc;
use std::thread;

use crate::dates;
use crate::mailbox::{self, DiskMessage, MailboxError, MboxReader, Source};
use crate::message::{self, ParsedMessage};
use crate::store::{StoredRaw, raw_sha256};

/// Most parser threads (one per core up to this).
const MAX_PARSERS: usize = 4;
/// Parsed messages waiting for the writer; bounds memory when the disk is slower than parsing.
const QUEUE_DEPTH: usize = 128;

/// One message on its way from the reader thread to the writer.
pub(super) struct Prepared {
    pub(super) raw: Vec<u8>,
    pub(super) stored_raw: StoredRaw,
    pub(super) raw_sha256: [u8; 32],
    pub(super) parsed: ParsedMessage,
    pub(super) flags: crate::model::Flags,
    pub(super) received_at: i64,
}

/// What the reading side hands the writer: a message, or why one could not be read.
pub(super) enum Item {
    Message(Box<Prepared>),
    Unreadable(String),
}

/// Starts the reading side: one thread reads the files, and one parser per core turns them
/// into prepared messages. Work is dealt out round-robin, so reading the parsers' outputs
/// round-robin ([`in_order`]) gives the messages back in file order.
pub(super) fn spawn_readers(
    sources: Vec<Source>,
) -> (Vec<mpsc::Receiver<Item>>, Vec<thread::JoinHandle<()>>) {
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
pub(super) fn in_order(receivers: &[mpsc::Receiver<Item>]) -> impl Iterator<Item = Item> + '_ {
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

pub(super) fn prepare(disk: DiskMessage) -> Prepared {
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

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn unreadable(reason: &str) -> Item {
        Item::Unreadable(reason.to_owned())
    }

    fn reasons(items: impl Iterator<Item = Item>) -> Vec<String> {
        items
            .map(|item| match item {
                Item::Unreadable(reason) => reason,
                Item::Message(_) => "message".to_owned(),
            })
            .collect()
    }

    #[test]
    fn items_come_back_in_the_order_they_were_dealt() {
        let (senders, receivers): (Vec<_>, Vec<_>) =
            (0..3).map(|_| mpsc::sync_channel::<Item>(8)).unzip();
        for (n, name) in ["a", "b", "c", "d", "e"].iter().enumerate() {
            senders[n % 3].send(unreadable(name)).expect("send");
        }
        drop(senders);
        assert_eq!(reasons(in_order(&receivers)), ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn a_missing_file_is_an_unreadable_item_and_the_rest_still_reads() {
        let dir = tempfile::tempdir().expect("temp dir");
        let good = dir.path().join("good.eml");
        std::fs::write(&good, b"Subject: kept\r\n\r\nbody\r\n").expect("write");
        let (receivers, handles) = spawn_readers(vec![
            Source::Eml(PathBuf::from("/nonexistent/satchel/missing.eml")),
            Source::Eml(good),
        ]);
        let items: Vec<Item> = in_order(&receivers).collect();
        for handle in handles {
            handle.join().expect("reader");
        }
        let [Item::Unreadable(reason), Item::Message(message)] = items.as_slice() else {
            panic!("expected one unreadable item, then one message");
        };
        assert!(reason.contains("missing.eml"), "{reason}");
        assert_eq!(message.parsed.subject, "kept");
        assert_eq!(message.raw_sha256, raw_sha256(&message.raw));
    }
}
