//! Opening the connection: TCP, implicit TLS or STLS, greeting.

use std::time::Instant;

use tokio::net::TcpStream;

use super::capabilities::Capabilities;
use super::error::Pop3Error;
use super::options::{ConnectOptions, Security};
use super::reply::Reply;
use super::tls;
use super::transport::Transport;
use super::wire::Wire;

/// A connection that greeted us and is encrypted as the account requires.
pub(crate) struct Opened {
    /// The stream, TLS unless the account chose plain text.
    pub wire: Wire<Transport>,
    /// The greeting text (carries the APOP timestamp, if any).
    pub greeting: String,
}

/// Connects within `opts.connect_timeout`; the session's deadline counts from `started`.
pub(crate) async fn open(opts: &ConnectOptions, started: Instant) -> Result<Opened, Pop3Error> {
    match tokio::time::timeout(opts.connect_timeout, open_unbounded(opts, started)).await {
        Ok(result) => result,
        Err(_) => Err(Pop3Error::ConnectTimeout {
            host: opts.host.clone(),
            port: opts.port,
            timeout: opts.connect_timeout,
        }),
    }
}

/// A wire with the account's idle timeout, progress rule and session deadline.
fn paced_wire(transport: Transport, opts: &ConnectOptions, started: Instant) -> Wire<Transport> {
    let mut wire = Wire::new(transport, Some(opts.idle_timeout));
    wire.set_progress_rule(opts.progress);
    wire.set_deadline(started, opts.deadline.base);
    wire
}

async fn open_unbounded(opts: &ConnectOptions, started: Instant) -> Result<Opened, Pop3Error> {
    let tcp = TcpStream::connect((opts.host.as_str(), opts.port))
        .await
        .map_err(|source| Pop3Error::Connect {
            host: opts.host.clone(),
            port: opts.port,
            source,
        })?;
    // Commands are tiny and latency-bound; Nagle would delay pipelined batches.
    tcp.set_nodelay(true).map_err(Pop3Error::Io)?;
    match opts.security {
        Security::ImplicitTls => {
            let tls = tls::handshake(tcp, &opts.host, opts.port, opts.pinned_certificate).await?;
            let mut wire = paced_wire(Transport::Tls(Box::new(tls)), opts, started);
            let greeting = read_greeting(&mut wire).await?;
            Ok(Opened { wire, greeting })
        }
        Security::PlainInsecure => {
            let mut wire = paced_wire(Transport::Plain(tcp), opts, started);
            let greeting = read_greeting(&mut wire).await?;
            Ok(Opened { wire, greeting })
        }
        Security::StartTls => {
            let mut wire = paced_wire(Transport::Plain(tcp), opts, started);
            let greeting = read_greeting(&mut wire).await?;
            let caps = read_capabilities(&mut wire).await?;
            if !caps.stls {
                return Err(Pop3Error::StlsNotOffered);
            }
            wire.send(b"STLS\r\n").await?;
            let reply = wire.read_reply().await?;
            if !reply.ok {
                return Err(Pop3Error::StlsRefused { text: reply.text });
            }
            let Transport::Plain(tcp) = wire.into_stream()? else {
                return Err(Pop3Error::Protocol {
                    detail: "STLS on a connection that is already TLS".to_string(),
                });
            };
            let tls = tls::handshake(tcp, &opts.host, opts.port, opts.pinned_certificate).await?;
            let wire = paced_wire(Transport::Tls(Box::new(tls)), opts, started);
            Ok(Opened { wire, greeting })
        }
    }
}

async fn read_greeting(wire: &mut Wire<Transport>) -> Result<String, Pop3Error> {
    let reply = wire.read_reply().await?;
    if !reply.ok {
        return Err(reply.into_error("greeting"));
    }
    Ok(reply.text)
}

/// Sends CAPA; a -ERR yields an empty (unlisted) capability set.
pub(crate) async fn read_capabilities(
    wire: &mut Wire<Transport>,
) -> Result<Capabilities, Pop3Error> {
    wire.send(b"CAPA\r\n").await?;
    let reply: Reply = wire.read_reply().await?;
    let mut caps = Capabilities::default();
    if !reply.ok {
        return Ok(caps);
    }
    caps.listed = true;
    // Bounded: a hostile server could stream capability lines forever.
    for _ in 0..MAX_CAPA_LINES {
        match wire.read_listing_line().await? {
            Some(line) => caps.add_line(line),
            None => return Ok(caps),
        }
    }
    Err(Pop3Error::Protocol {
        detail: format!("CAPA listing longer than {MAX_CAPA_LINES} lines"),
    })
}

/// Far above any real server's capability count.
const MAX_CAPA_LINES: usize = 1000;
