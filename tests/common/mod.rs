//! Helpers shared by the integration tests: temporary stores, message builders, the CLI binary.

#![allow(dead_code, reason = "each test file uses a different subset")]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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

/// Runs the `satchel` binary with `--data-dir DIR` and the given arguments.
pub fn satchel(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("SATCHEL_DATA_DIR")
        .output()
        .expect("run satchel")
}

/// Path of a fixture under `tests/data/`.
pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

/// Stdout as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Settings for user `alice` on a test Dovecot at `localhost:port` over TLS, its certificate pinned.
pub fn dovecot_settings(tls_port: u16, fingerprint: String) -> satchel::store::AccountSettings {
    satchel::store::AccountSettings {
        host: "localhost".to_owned(),
        port: tls_port,
        security: satchel::model::Security::Tls,
        username: "alice".to_owned(),
        pinned_fingerprint: Some(fingerprint),
        ..satchel::store::AccountSettings::default()
    }
}

/// Messages left in `user`'s Maildir on a test server.
pub fn files_in_maildir(maildir: &Path) -> usize {
    ["new", "cur"]
        .iter()
        .map(|sub| std::fs::read_dir(maildir.join(sub)).map_or(0, Iterator::count))
        .sum()
}

/// Runs `future` to completion on a fresh single-threaded runtime, as one account's session runs.
pub fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(future)
}

/// Runs the `satchel` binary like [`satchel`], with `input` on its standard input and no
/// system keyring (passwords go to the labelled private file in the data directory).
pub fn satchel_with_stdin(data_dir: &Path, args: &[&str], input: &str) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("SATCHEL_DATA_DIR")
        .env("SATCHEL_NO_KEYRING", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run satchel");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for satchel")
}
