//! Message sinks used by tests.

use satchel::pop3::{MessageSink, SinkError};
use sha2::{Digest, Sha256};

/// Keeps every message in memory (only for small test mailboxes).
#[derive(Debug, Default)]
pub struct CollectSink {
    /// Completed messages: (number, exact bytes).
    pub messages: Vec<(u32, Vec<u8>)>,
    current: Option<(u32, Vec<u8>)>,
    /// Number of `abort` calls.
    pub aborted: usize,
    /// Largest single chunk seen.
    pub largest_chunk: usize,
}

impl MessageSink for CollectSink {
    fn begin(&mut self, number: u32, _size: u64) -> Result<(), SinkError> {
        assert!(self.current.is_none(), "begin without end");
        self.current = Some((number, Vec::new()));
        Ok(())
    }

    fn chunk(&mut self, bytes: &[u8]) -> Result<(), SinkError> {
        self.largest_chunk = self.largest_chunk.max(bytes.len());
        self.current
            .as_mut()
            .expect("chunk outside message")
            .1
            .extend_from_slice(bytes);
        Ok(())
    }

    fn end(&mut self) -> Result<(), SinkError> {
        let done = self.current.take().expect("end without begin");
        self.messages.push(done);
        Ok(())
    }

    fn abort(&mut self) {
        self.current = None;
        self.aborted += 1;
    }
}

/// Hashes messages instead of keeping them (for large ones).
#[derive(Debug, Default)]
pub struct HashSink {
    /// Completed messages: (number, length, SHA-256).
    pub messages: Vec<(u32, u64, [u8; 32])>,
    current: Option<(u32, u64, Sha256)>,
    /// Largest single chunk seen.
    pub largest_chunk: usize,
}

impl MessageSink for HashSink {
    fn begin(&mut self, number: u32, _size: u64) -> Result<(), SinkError> {
        self.current = Some((number, 0, Sha256::new()));
        Ok(())
    }

    fn chunk(&mut self, bytes: &[u8]) -> Result<(), SinkError> {
        self.largest_chunk = self.largest_chunk.max(bytes.len());
        let cur = self.current.as_mut().expect("chunk outside message");
        cur.1 += bytes.len() as u64;
        cur.2.update(bytes);
        Ok(())
    }

    fn end(&mut self) -> Result<(), SinkError> {
        let (n, len, h) = self.current.take().expect("end without begin");
        self.messages.push((n, len, h.finalize().into()));
        Ok(())
    }
}

/// Accepts messages until `fail_at` (a message number) begins, then errors.
#[derive(Debug, Default)]
pub struct FailingSink {
    /// Message number whose `chunk` fails.
    pub fail_at: u32,
    /// Messages completed before the failure.
    pub completed: Vec<u32>,
    current: Option<u32>,
    /// Number of `abort` calls (failing messages count here too).
    pub aborted: usize,
}

impl FailingSink {
    /// A sink that fails on message `fail_at`.
    pub fn failing_at(fail_at: u32) -> FailingSink {
        FailingSink {
            fail_at,
            ..FailingSink::default()
        }
    }
}

impl MessageSink for FailingSink {
    fn begin(&mut self, number: u32, _size: u64) -> Result<(), SinkError> {
        self.current = Some(number);
        Ok(())
    }

    fn chunk(&mut self, _bytes: &[u8]) -> Result<(), SinkError> {
        if self.current == Some(self.fail_at) {
            return Err("disk full".into());
        }
        Ok(())
    }

    fn end(&mut self) -> Result<(), SinkError> {
        self.completed.extend(self.current.take());
        Ok(())
    }

    fn abort(&mut self) {
        self.current = None;
        self.aborted += 1;
    }
}
