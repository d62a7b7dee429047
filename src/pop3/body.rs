//! RETR and TOP bodies: streaming into a sink under the size cap, and the deadline
//! each body adds to the session.

use std::time::Duration;

use super::error::{Pop3Error, SinkError};
use super::session::Session;
use super::sink::MessageSink;

impl Session {
    /// RETR one message into `sink` (see [`Session::fetch`] for many).
    ///
    /// The session deadline grows by the time LIST's size for it takes at the minimum rate
    /// (the size cap's time when no listing announced it).
    pub async fn retr(
        &mut self,
        number: u32,
        sink: &mut impl MessageSink,
    ) -> Result<u64, Pop3Error> {
        let size = self.announced_size(number);
        self.extend_deadline_for([size]);
        self.single_body(format!("RETR {number}\r\n"), "RETR", number, size, sink)
            .await
    }

    /// TOP: headers plus the first `lines` body lines of one message into `sink`.
    /// Extends the deadline as [`Session::retr`] does.
    pub async fn top(
        &mut self,
        number: u32,
        lines: u32,
        sink: &mut impl MessageSink,
    ) -> Result<u64, Pop3Error> {
        let size = self.announced_size(number);
        self.extend_deadline_for([size]);
        self.single_body(
            format!("TOP {number} {lines}\r\n"),
            "TOP",
            number,
            None,
            sink,
        )
        .await
    }

    /// The size LIST announced for `number`, or `None` when no listing did.
    fn announced_size(&self, number: u32) -> Option<u64> {
        self.announced_sizes.get(&number).copied()
    }

    /// Gives the session the time `sizes` take at the minimum rate, each counted at most up
    /// to the size cap; an unknown size counts as the cap.
    pub(crate) fn extend_deadline_for(&mut self, sizes: impl IntoIterator<Item = Option<u64>>) {
        let cap = self.max_message_size.unwrap_or(u64::MAX);
        let bytes = sizes.into_iter().fold(0u64, |sum, size| {
            sum.saturating_add(size.unwrap_or(cap).min(cap))
        });
        let extra = self.deadline.time_for(bytes);
        if extra > Duration::ZERO {
            self.wire.extend_deadline(extra);
        }
    }

    async fn single_body(
        &mut self,
        line: String,
        command: &'static str,
        number: u32,
        size: Option<u64>,
        sink: &mut impl MessageSink,
    ) -> Result<u64, Pop3Error> {
        self.simple(&line, command).await?;
        let result = self.receive_body(number, size.unwrap_or(0), sink).await;
        self.track(result)
    }

    /// Reads and drops a body, still bounded by the size cap.
    pub(crate) async fn discard_body(&mut self, number: u32) -> Result<(), Pop3Error> {
        let limit = self.max_message_size;
        let mut received: u64 = 0;
        self.wire
            .read_body(|bytes| {
                received = received.saturating_add(bytes.len() as u64);
                match limit {
                    Some(limit) if received > limit => {
                        Err(Pop3Error::MessageTooLarge { number, limit })
                    }
                    _ => Ok(()),
                }
            })
            .await?;
        Ok(())
    }

    /// Streams the body that follows a +OK into `sink`, honouring the size cap.
    ///
    /// Past the cap reading stops at once (the session is then broken), the sink has seen
    /// exactly the first `limit` bytes, and gets [`MessageSink::too_large`] instead of `abort`.
    /// A sink error stops delivery; the rest is read (still under the cap) and dropped.
    pub(crate) async fn receive_body(
        &mut self,
        number: u32,
        size: u64,
        sink: &mut impl MessageSink,
    ) -> Result<u64, Pop3Error> {
        if let Err(source) = sink.begin(number, size) {
            self.discard_body(number).await?;
            return Err(Pop3Error::Sink { number, source });
        }
        let limit = self.max_message_size;
        let mut received: u64 = 0;
        let mut refused: Option<SinkError> = None;
        let result = self
            .wire
            .read_body(|bytes| {
                let room = limit.map_or(u64::MAX, |limit| limit.saturating_sub(received));
                let take = usize::try_from(room).map_or(bytes.len(), |room| room.min(bytes.len()));
                received = received.saturating_add(take as u64);
                if refused.is_none()
                    && take > 0
                    && let Err(source) = sink.chunk(&bytes[..take])
                {
                    refused = Some(source);
                }
                match limit {
                    Some(limit) if take < bytes.len() => {
                        Err(Pop3Error::MessageTooLarge { number, limit })
                    }
                    _ => Ok(()),
                }
            })
            .await;
        match (result, refused) {
            (Ok(_), Some(source)) => {
                sink.abort();
                Err(Pop3Error::Sink { number, source })
            }
            (Ok(total), None) => match sink.end() {
                Ok(()) => Ok(total),
                Err(source) => Err(Pop3Error::Sink { number, source }),
            },
            (Err(err @ Pop3Error::MessageTooLarge { .. }), None) => {
                sink.too_large(number);
                Err(err)
            }
            (Err(err), _) => {
                sink.abort();
                Err(err)
            }
        }
    }
}
