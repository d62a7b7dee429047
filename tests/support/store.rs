//! Temporary stores and small messages to put in them.

use satchel::message;
use satchel::model::{Flags, FolderId, MessageId};
use satchel::store::{InsertOutcome, NewMessage, Store, raw_sha256};

/// A store in a temporary directory that disappears with the value.
pub struct TempStore {
    pub dir: tempfile::TempDir,
    pub store: Store,
}

impl TempStore {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open_in(dir.path()).expect("open store");
        Self { dir, store }
    }

    /// Stores one raw message in `folder` and returns its id.
    pub fn add(&mut self, folder: FolderId, raw: &[u8]) -> MessageId {
        self.add_with(folder, raw, Flags::default())
    }

    pub fn add_with(&mut self, folder: FolderId, raw: &[u8], flags: Flags) -> MessageId {
        let parsed = message::parse(raw, None);
        let sha = raw_sha256(raw);
        let new = NewMessage {
            raw,
            raw_sha256: &sha,
            parsed: &parsed,
            folder_id: folder,
            account_id: None,
            flags,
            received_at: 1_600_000_000,
            headers_only: false,
            stored_raw: None,
        };
        match self.store.insert_messages(&[new]).expect("insert")[0] {
            InsertOutcome::Stored(id) | InsertOutcome::Duplicate(id) => id,
        }
    }
}

/// A small RFC 5322 message.
pub fn mail(from: &str, to: &str, subject: &str, date: &str, body: &str) -> Vec<u8> {
    format!("From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{subject}.{date}@test>\r\n\r\n{body}\r\n")
        .into_bytes()
}
