//! Pipelined RETR and DELE: a bounded window of commands in flight, replies
//! matched strictly in order. Without PIPELINING the window is one command.

use std::collections::VecDeque;
use std::fmt::Write as _;

use super::error::Pop3Error;
use super::options::PipelineWindow;
use super::session::Session;
use super::sink::MessageSink;

/// One message to fetch: its number and LIST size (0 if unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchRequest {
    /// Message number in this session.
    pub number: u32,
    /// Size from LIST; bounds the byte window.
    pub size: u64,
}

/// A message the server refused with -ERR (e.g. deleted by another client).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Message number in this session.
    pub number: u32,
    /// Sanitised server text.
    pub text: String,
}

/// The outcome of a [`Session::fetch`] that did not fail as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FetchReport {
    /// Messages delivered completely to the sink.
    pub fetched: usize,
    /// Bytes delivered to the sink.
    pub bytes: u64,
    /// Messages the server refused; the others were still fetched.
    pub refused: Vec<Refusal>,
}

/// Commands and announced bytes currently awaiting replies.
struct InFlight {
    queue: VecDeque<FetchRequest>,
    bytes: u64,
    limits: PipelineWindow,
}

impl InFlight {
    fn new(limits: PipelineWindow) -> InFlight {
        InFlight {
            queue: VecDeque::new(),
            bytes: 0,
            limits,
        }
    }

    /// True when `next` may join; an empty window always takes one command.
    fn has_room(&self, next: &FetchRequest) -> bool {
        self.queue.is_empty()
            || (self.queue.len() < self.limits.max_commands
                && self.bytes.saturating_add(next.size) <= self.limits.max_bytes)
    }

    fn push(&mut self, request: FetchRequest) {
        self.bytes = self.bytes.saturating_add(request.size);
        self.queue.push_back(request);
    }

    fn pop(&mut self) -> Option<FetchRequest> {
        let request = self.queue.pop_front()?;
        self.bytes = self.bytes.saturating_sub(request.size);
        Some(request)
    }
}

impl Session {
    /// The window in force: the configured one with PIPELINING, else one command.
    fn effective_window(&self) -> PipelineWindow {
        if self.capabilities().pipelining {
            PipelineWindow {
                max_commands: self.window.max_commands.max(1),
                max_bytes: self.window.max_bytes,
            }
        } else {
            PipelineWindow {
                max_commands: 1,
                max_bytes: 0,
            }
        }
    }

    /// Sends as many `command`s from `requests[*next..]` as the window allows.
    async fn top_up(
        &mut self,
        command: &str,
        requests: &[FetchRequest],
        next: &mut usize,
        in_flight: &mut InFlight,
    ) -> Result<(), Pop3Error> {
        let mut batch = String::new();
        while let Some(request) = requests.get(*next) {
            if !in_flight.has_room(request) {
                break;
            }
            // Writing to a String cannot fail.
            let _ = write!(batch, "{command} {}\r\n", request.number);
            in_flight.push(*request);
            *next += 1;
        }
        if !batch.is_empty() {
            self.wire.send(batch.as_bytes()).await?;
        }
        Ok(())
    }

    /// RETR every requested message, pipelined, into `sink` in request order.
    ///
    /// A sink error stops new commands, drains what is in flight and returns
    /// [`Pop3Error::Sink`]; the session stays usable. A per-message -ERR is
    /// recorded in [`FetchReport::refused`] and the fetch goes on.
    ///
    /// Before it starts, the session deadline grows by the time the announced sizes take at
    /// [`super::DeadlineRule::min_bytes_per_second`]. A message past the size cap ends the
    /// fetch with [`Pop3Error::MessageTooLarge`] and breaks the session.
    pub async fn fetch(
        &mut self,
        requests: &[FetchRequest],
        sink: &mut impl MessageSink,
    ) -> Result<FetchReport, Pop3Error> {
        self.ensure_usable()?;
        self.extend_deadline_for(requests.iter().map(|request| Some(request.size)));
        let result = self.fetch_inner(requests, sink).await;
        self.track(result)
    }

    async fn fetch_inner(
        &mut self,
        requests: &[FetchRequest],
        sink: &mut impl MessageSink,
    ) -> Result<FetchReport, Pop3Error> {
        let mut in_flight = InFlight::new(self.effective_window());
        let mut next = 0;
        let mut report = FetchReport::default();
        let mut stopped: Option<Pop3Error> = None;
        loop {
            if stopped.is_none() {
                self.top_up("RETR", requests, &mut next, &mut in_flight)
                    .await?;
            }
            let Some(request) = in_flight.pop() else {
                break;
            };
            let reply = self.wire.read_reply().await?;
            if !reply.ok {
                report.refused.push(Refusal {
                    number: request.number,
                    text: reply.text,
                });
                continue;
            }
            if stopped.is_some() {
                self.discard_body(request.number).await?;
                continue;
            }
            match self.receive_body(request.number, request.size, sink).await {
                Ok(bytes) => {
                    report.fetched += 1;
                    report.bytes += bytes;
                }
                Err(err @ Pop3Error::Sink { .. }) => stopped = Some(err),
                Err(err) => return Err(err),
            }
        }
        tracing::debug!(
            fetched = report.fetched,
            bytes = report.bytes,
            refused = report.refused.len(),
            "fetch finished"
        );
        match stopped {
            Some(err) => Err(err),
            None => Ok(report),
        }
    }

    /// DELE every listed message, pipelined; returns the ones refused.
    /// Deletions take effect only when [`Session::quit`] succeeds.
    pub async fn delete(&mut self, numbers: &[u32]) -> Result<Vec<Refusal>, Pop3Error> {
        self.ensure_usable()?;
        let result = self.delete_inner(numbers).await;
        self.track(result)
    }

    async fn delete_inner(&mut self, numbers: &[u32]) -> Result<Vec<Refusal>, Pop3Error> {
        let requests: Vec<FetchRequest> = numbers
            .iter()
            .map(|&number| FetchRequest { number, size: 0 })
            .collect();
        let mut in_flight = InFlight::new(self.effective_window());
        let mut next = 0;
        let mut refused = Vec::new();
        loop {
            self.top_up("DELE", &requests, &mut next, &mut in_flight)
                .await?;
            let Some(request) = in_flight.pop() else {
                break;
            };
            let reply = self.wire.read_reply().await?;
            if !reply.ok {
                refused.push(Refusal {
                    number: request.number,
                    text: reply.text,
                });
            }
        }
        Ok(refused)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_bounds_count_and_bytes() {
        let mut w = InFlight::new(PipelineWindow {
            max_commands: 3,
            max_bytes: 100,
        });
        let req = |size| FetchRequest { number: 1, size };
        assert!(w.has_room(&req(1000)), "an empty window takes any message");
        w.push(req(60));
        assert!(!w.has_room(&req(50)));
        assert!(w.has_room(&req(40)));
        w.push(req(20));
        w.push(req(20));
        assert!(!w.has_room(&req(0)), "count limit");
        assert_eq!(w.pop().map(|r| r.size), Some(60));
        assert_eq!(w.bytes, 40);
    }
}
