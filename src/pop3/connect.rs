//! Opening the connection: TCP, implicit TLS or STLS, greeting.

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

/// Connects within `opts.connect_timeout`.
pub(crate) async fn open(opts: &ConnectOptions) -> Result<Opened, Pop3Error> {
    match tokio::time::timeout(opts.connect_timeout, open_unbounded(opts)).await {
        Ok(result) => result,
        Err(_) => Err(Pop3Error::ConnectTimeout {
            host: opts.host.clone(),
            port: opts.port,
            timeout: opts.connect_timeout,
        }),
    }
}

async fn open_unbounded(opts: &ConnectOptions) -> Result<Opened, Pop3Error> {
    let tcp = TcpStream::connect((opts.host.as_str(), opts.port))
        .await
        .map_err(|source| Pop3Error::Connect {
            host: opts.host.clone(),
            port: opts.port,
            source,
        })?;
    // Commands are tiny and latency-bound; Nagle would delay pipelined batches.
    tcp.set_nodelay(true).map_err(Pop3Error::Io)?;
    let idle = Some(opts.idle_timeout);
    match opts.security {
        Security::ImplicitTls => {
            let tls = tls::handshake(tcp, &opts.host, opts.pinned_certificate).await?;
            let mut wire = Wire::new(Transport::Tls(Box::new(tls)), idle);
            let greeting = read_greeting(&mut wire).await?;
            Ok(Opened { wire, greeting })
        }
        Security::PlainInsecure => {
            let mut wire = Wire::new(Transport::Plain(tcp), idle);
            let greeting = read_greeting(&mut wire).await?;
            Ok(Opened { wire, greeting })
        }
        Security::StartTls => {
            let mut wire = Wire::new(Transport::Plain(tcp), idle);
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
            let tls = tls::handshake(tcp, &opts.host, opts.pinned_certificate).await?;
            let wire = Wire::new(Transport::Tls(Box::new(tls)), idle);
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
