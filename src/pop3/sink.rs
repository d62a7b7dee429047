//! Where fetched message bytes go.

use super::error::SinkError;

/// Receives messages chunk by chunk during RETR/TOP.
///
/// Calls are synchronous and made on the task that drives the session, so a
/// sink may do blocking work (e.g. SQLite writes) when the session runs on a
/// dedicated thread (`Runtime::block_on` inside `spawn_blocking`). Returning
/// an error stops the fetch cleanly: the rest of that message and any
/// pipelined replies are read and discarded, no new command is sent, the
/// session stays usable, and the fetch returns [`super::Pop3Error::Sink`].
pub trait MessageSink {
    /// A message starts; `size` is the size announced by LIST (0 if unknown).
    fn begin(&mut self, number: u32, size: u64) -> Result<(), SinkError>;
    /// The next piece of the message: dot-unstuffed, CRLF kept, otherwise exact.
    fn chunk(&mut self, bytes: &[u8]) -> Result<(), SinkError>;
    /// The message is complete; commit it here.
    fn end(&mut self) -> Result<(), SinkError>;
    /// A begun message will not complete (sink or connection error); discard it.
    fn abort(&mut self) {}
    /// Called instead of [`MessageSink::abort`] when message `number` passed the size cap:
    /// what was received so far (exactly the cap's worth of bytes) was delivered through
    /// [`MessageSink::chunk`]; the sink may keep it (e.g. the header block) or discard it.
    fn too_large(&mut self, number: u32) {
        let _ = number;
        self.abort();
    }
}

/// A sink that counts bytes and drops them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DiscardSink {
    /// Messages completed.
    pub messages: u64,
    /// Bytes received.
    pub bytes: u64,
}

impl MessageSink for DiscardSink {
    fn begin(&mut self, _number: u32, _size: u64) -> Result<(), SinkError> {
        Ok(())
    }

    fn chunk(&mut self, bytes: &[u8]) -> Result<(), SinkError> {
        self.bytes += bytes.len() as u64;
        Ok(())
    }

    fn end(&mut self) -> Result<(), SinkError> {
        self.messages += 1;
        Ok(())
    }
}
