//! A logged-in POP3 session: single commands and listings.

use std::collections::HashMap;

use super::capabilities::Capabilities;
use super::error::Pop3Error;
use super::login;
use super::options::{AuthMethod, ConnectOptions, DeadlineRule, PipelineWindow};
use super::reply::{Reply, parse_number_and_size, parse_uidl_line};
use super::transport::Transport;
use super::wire::Wire;

/// Most entries accepted in one LIST or UIDL listing (bounds memory).
const MAX_LISTING_ENTRIES: usize = 2_000_000;

/// One message as the sync engine sees it after listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageInfo {
    /// Message number, valid for this session only.
    pub number: u32,
    /// Size in octets as announced by LIST.
    pub size: u64,
    /// Unique id from UIDL, stable across sessions.
    pub uid: String,
}

/// The STAT reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MailboxStat {
    /// Number of messages.
    pub count: u32,
    /// Total size in octets.
    pub size: u64,
}

/// A logged-in session in the TRANSACTION state.
#[derive(Debug)]
pub struct Session {
    pub(crate) wire: Wire<Transport>,
    capabilities: Capabilities,
    auth_method: AuthMethod,
    pub(crate) window: PipelineWindow,
    pub(crate) max_message_size: Option<u64>,
    /// How the session deadline grows with the bytes fetched.
    pub(crate) deadline: DeadlineRule,
    /// LIST sizes from the last listing, for the deadline of a single RETR or TOP.
    pub(crate) announced_sizes: HashMap<u32, u64>,
    pub(crate) broken: bool,
}

impl Session {
    /// Connects, secures, reads CAPA, logs in and re-reads CAPA.
    ///
    /// With no method forced, an APOP the server refuses falls back to the next method
    /// offered (see [`Session::auth_method_used`]); a forced method never falls back.
    pub async fn connect(opts: &ConnectOptions) -> Result<Session, Pop3Error> {
        let logged_in = login::open_and_log_in(opts).await?;
        Ok(Session {
            wire: logged_in.wire,
            capabilities: logged_in.capabilities,
            auth_method: logged_in.method,
            window: opts.pipeline,
            max_message_size: opts.max_message_size,
            deadline: opts.deadline,
            announced_sizes: HashMap::new(),
            broken: false,
        })
    }

    /// The authentication method that logged this session in.
    pub fn auth_method_used(&self) -> AuthMethod {
        self.auth_method
    }

    /// Capabilities as listed after login (or before, if CAPA then failed).
    pub fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    /// True when the connection is encrypted.
    pub fn is_tls(&self) -> bool {
        self.wire.get_ref().is_tls()
    }

    /// Refuses to continue on a broken connection or with unsolicited bytes.
    pub(crate) fn ensure_usable(&mut self) -> Result<(), Pop3Error> {
        if self.broken {
            return Err(Pop3Error::SessionBroken);
        }
        if self.wire.has_buffered() {
            self.broken = true;
            return Err(Pop3Error::Protocol {
                detail: "server sent data nobody asked for".to_string(),
            });
        }
        Ok(())
    }

    /// Marks the session broken when `result` is an error that desynchronises it.
    pub(crate) fn track<T>(&mut self, result: Result<T, Pop3Error>) -> Result<T, Pop3Error> {
        if let Err(err) = &result
            && err.breaks_session()
        {
            self.broken = true;
        }
        result
    }

    /// Sends one command and reads its status line; -ERR becomes an error.
    pub(crate) async fn simple(
        &mut self,
        line: &str,
        command: &'static str,
    ) -> Result<Reply, Pop3Error> {
        self.ensure_usable()?;
        let result = async {
            self.wire.send(line.as_bytes()).await?;
            let reply = self.wire.read_reply().await?;
            if reply.ok {
                Ok(reply)
            } else {
                Err(reply.into_error(command))
            }
        }
        .await;
        self.track(result)
    }

    /// STAT: message count and total size.
    pub async fn stat(&mut self) -> Result<MailboxStat, Pop3Error> {
        let reply = self.simple("STAT\r\n", "STAT").await?;
        let parsed = parse_number_and_size(reply.text.as_bytes(), "STAT");
        let (count, size) = self.track(parsed)?;
        Ok(MailboxStat { count, size })
    }

    /// Reads a multi-line listing, parsing each line with `parse`.
    async fn read_listing<T>(
        &mut self,
        command: &'static str,
        parse: fn(&[u8]) -> Result<T, Pop3Error>,
    ) -> Result<Vec<T>, Pop3Error> {
        let mut entries = Vec::new();
        while let Some(line) = self.wire.read_listing_line().await? {
            if entries.len() >= MAX_LISTING_ENTRIES {
                return Err(Pop3Error::Protocol {
                    detail: format!("{command} listing longer than {MAX_LISTING_ENTRIES} lines"),
                });
            }
            entries.push(parse(line)?);
        }
        Ok(entries)
    }

    /// LIST: `(number, size)` for every message not marked deleted.
    pub async fn list(&mut self) -> Result<Vec<(u32, u64)>, Pop3Error> {
        self.simple("LIST\r\n", "LIST").await?;
        let result = self
            .read_listing("LIST", |l| parse_number_and_size(l, "LIST"))
            .await;
        let sizes = self.track(result)?;
        self.announced_sizes = sizes.iter().copied().collect();
        Ok(sizes)
    }

    /// UIDL: `(number, unique id)`. Tried even if CAPA did not list UIDL;
    /// a refusal becomes [`Pop3Error::UidlUnsupported`].
    pub async fn uidl(&mut self) -> Result<Vec<(u32, String)>, Pop3Error> {
        match self.simple("UIDL\r\n", "UIDL").await {
            Ok(_) => {}
            Err(Pop3Error::Refused { .. }) => return Err(Pop3Error::UidlUnsupported),
            Err(other) => return Err(other),
        }
        let result = self.read_listing("UIDL", parse_uidl_line).await;
        self.track(result)
    }

    /// LIST and UIDL joined by message number, sorted by number; messages whose lines break
    /// RFC 1939 are left out (see [`Session::listing`] for what was left out and why).
    pub async fn messages(&mut self) -> Result<Vec<MessageInfo>, Pop3Error> {
        Ok(self.listing().await?.messages)
    }

    /// LIST and UIDL, each line parsed by its function. With PIPELINING both commands go out
    /// together, saving a round trip. A refused UIDL becomes [`Pop3Error::UidlUnsupported`].
    pub(crate) async fn list_and_uidl<A, B>(
        &mut self,
        parse_list: fn(&[u8]) -> Result<A, Pop3Error>,
        parse_uidl: fn(&[u8]) -> Result<B, Pop3Error>,
    ) -> Result<(Vec<A>, Vec<B>), Pop3Error> {
        self.ensure_usable()?;
        let result = if self.capabilities.pipelining {
            self.list_and_uidl_pipelined(parse_list, parse_uidl).await
        } else {
            self.list_and_uidl_in_turn(parse_list, parse_uidl).await
        };
        self.track(result)
    }

    async fn list_and_uidl_in_turn<A, B>(
        &mut self,
        parse_list: fn(&[u8]) -> Result<A, Pop3Error>,
        parse_uidl: fn(&[u8]) -> Result<B, Pop3Error>,
    ) -> Result<(Vec<A>, Vec<B>), Pop3Error> {
        self.simple("LIST\r\n", "LIST").await?;
        let sizes = self.read_listing("LIST", parse_list).await?;
        match self.simple("UIDL\r\n", "UIDL").await {
            Ok(_) => {}
            Err(Pop3Error::Refused { .. }) => return Err(Pop3Error::UidlUnsupported),
            Err(other) => return Err(other),
        }
        let uids = self.read_listing("UIDL", parse_uidl).await?;
        Ok((sizes, uids))
    }

    /// Sends LIST and UIDL at once, then reads both replies in order.
    async fn list_and_uidl_pipelined<A, B>(
        &mut self,
        parse_list: fn(&[u8]) -> Result<A, Pop3Error>,
        parse_uidl: fn(&[u8]) -> Result<B, Pop3Error>,
    ) -> Result<(Vec<A>, Vec<B>), Pop3Error> {
        self.wire.send(b"LIST\r\nUIDL\r\n").await?;
        let list_reply = self.wire.read_reply().await?;
        let sizes = if list_reply.ok {
            Ok(self.read_listing("LIST", parse_list).await?)
        } else {
            Err(list_reply.into_error("LIST"))
        };
        // UIDL's reply must be consumed even when LIST failed, to stay in step.
        let uidl_reply = self.wire.read_reply().await?;
        let uids = if uidl_reply.ok {
            self.read_listing("UIDL", parse_uidl).await?
        } else {
            sizes?;
            return Err(match uidl_reply.into_error("UIDL") {
                Pop3Error::Refused { .. } => Pop3Error::UidlUnsupported,
                other => other,
            });
        };
        Ok((sizes?, uids))
    }

    /// DELE one message (takes effect only at a successful QUIT).
    pub async fn dele(&mut self, number: u32) -> Result<(), Pop3Error> {
        self.simple(&format!("DELE {number}\r\n"), "DELE").await?;
        Ok(())
    }

    /// RSET: unmark all deletions of this session.
    pub async fn rset(&mut self) -> Result<(), Pop3Error> {
        self.simple("RSET\r\n", "RSET").await?;
        Ok(())
    }

    /// NOOP: keep-alive.
    pub async fn noop(&mut self) -> Result<(), Pop3Error> {
        self.simple("NOOP\r\n", "NOOP").await?;
        Ok(())
    }

    /// QUIT. `Ok` means the server entered UPDATE state and committed the
    /// deletions; any error means nothing was deleted.
    pub async fn quit(mut self) -> Result<(), Pop3Error> {
        self.simple("QUIT\r\n", "QUIT").await?;
        let Ok(mut stream) = self.wire.into_stream() else {
            return Ok(());
        };
        // Best effort close_notify; the server already confirmed QUIT.
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(1),
            tokio::io::AsyncWriteExt::shutdown(&mut stream),
        )
        .await;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pop3::{DiscardSink, FetchRequest};

    fn is_send<T: Send>(_: &T) {}

    /// The sync engine may drive a session from any runtime thread.
    fn futures_are_send(
        opts: &ConnectOptions,
        session: &mut Session,
        sink: &mut DiscardSink,
        requests: &[FetchRequest],
    ) {
        is_send(&Session::connect(opts));
        is_send(&session.fetch(requests, sink));
        is_send(&session.messages());
        is_send(&session.delete(&[]));
    }

    #[test]
    fn session_errors_and_futures_are_send() {
        fn is_send_sync_static<T: Send + Sync + 'static>() {}
        is_send_sync_static::<Pop3Error>();
        let _ = futures_are_send
            as fn(&ConnectOptions, &mut Session, &mut DiscardSink, &[FetchRequest]);
    }
}
