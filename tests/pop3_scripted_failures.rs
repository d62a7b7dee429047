//! The POP3 client against a scripted in-process server: broken, hostile
//! and stalled servers (drops, garbage, timeouts, desynchronised replies).

mod support;

use std::time::Duration;

use satchel::pop3::{Credentials, FetchRequest, Pop3Error, Session};
use support::scripted::{CAPA_FULL, ScriptConn, ScriptedServer};
use support::sinks::CollectSink;

fn requests(numbers: std::ops::RangeInclusive<u32>) -> Vec<FetchRequest> {
    numbers
        .map(|number| FetchRequest { number, size: 10 })
        .collect()
}

#[tokio::test]
async fn drop_mid_retr_is_an_error_not_a_hang() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.login(Some(CAPA_FULL)).await;
        c.expect("RETR 1").await;
        c.send(b"+OK 100 octets\r\nSubject: cut\r\n\r\nhalf a li")
            .await;
    })
    .await;
    let mut session = Session::connect(&server.options()).await.expect("connect");
    let mut sink = CollectSink::default();
    let err = session
        .fetch(&requests(1..=1), &mut sink)
        .await
        .expect_err("dropped");
    assert!(matches!(err, Pop3Error::ConnectionClosed), "{err:?}");
    assert_eq!(sink.aborted, 1);
    assert!(sink.messages.is_empty());
    let err = session.noop().await.expect_err("broken");
    assert!(matches!(err, Pop3Error::SessionBroken), "{err:?}");
    server.finish().await;
}

#[tokio::test]
async fn garbage_greeting_is_a_protocol_error() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.send(b"\x16\x03\x01 HTTP/1.1 200 OK\r\n").await;
        c.wait_closed().await;
    })
    .await;
    let err = Session::connect(&server.options())
        .await
        .expect_err("garbage");
    assert!(matches!(err, Pop3Error::Protocol { .. }), "{err:?}");
    server.finish().await;
}

#[tokio::test]
async fn over_long_line_is_refused() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        let mut line = b"+OK ".to_vec();
        line.extend(std::iter::repeat_n(b'x', 100_000));
        c.send(&line).await;
        c.wait_closed().await;
    })
    .await;
    let err = Session::connect(&server.options())
        .await
        .expect_err("too long");
    assert!(matches!(err, Pop3Error::LineTooLong { .. }), "{err:?}");
    server.finish().await;
}

#[tokio::test]
async fn message_without_final_crlf() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.login(Some(CAPA_FULL)).await;
        c.expect("RETR 1").await;
        // A well-behaved server adds the CRLF before the terminator...
        c.send(b"+OK\r\nno newline at end\r\n.\r\n").await;
        c.expect("RETR 2").await;
        // ...a broken one glues the dot to the last line and hangs up.
        c.send(b"+OK\r\nno newline at end.\r\n").await;
    })
    .await;
    let mut session = Session::connect(&server.options()).await.expect("connect");
    let mut sink = CollectSink::default();
    session.retr(1, &mut sink).await.expect("retr 1");
    assert_eq!(sink.messages[0].1, b"no newline at end\r\n");
    let err = session
        .retr(2, &mut sink)
        .await
        .expect_err("never terminated");
    assert!(matches!(err, Pop3Error::ConnectionClosed), "{err:?}");
    server.finish().await;
}

#[tokio::test]
async fn stalled_server_times_out() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.login(Some(CAPA_FULL)).await;
        c.expect("RETR 1").await;
        c.send(b"+OK\r\nstarted\r\n").await;
        c.wait_closed().await;
    })
    .await;
    let mut opts = server.options();
    opts.idle_timeout = Duration::from_millis(300);
    let mut session = Session::connect(&opts).await.expect("connect");
    let err = session
        .retr(1, &mut CollectSink::default())
        .await
        .expect_err("stall");
    assert!(matches!(err, Pop3Error::ReadTimeout { .. }), "{err:?}");
    drop(session);
    server.finish().await;
}

#[tokio::test]
async fn silent_server_hits_connect_timeout() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.wait_closed().await;
    })
    .await;
    let mut opts = server.options();
    opts.connect_timeout = Duration::from_millis(300);
    let err = Session::connect(&opts).await.expect_err("no greeting");
    assert!(matches!(err, Pop3Error::ConnectTimeout { .. }), "{err:?}");
    server.finish().await;
}

#[tokio::test]
async fn closed_port_is_a_connect_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let mut opts = satchel::pop3::ConnectOptions::new("127.0.0.1", Credentials::password("a", "b"));
    opts.port = port;
    let err = Session::connect(&opts).await.expect_err("nothing listens");
    assert!(matches!(err, Pop3Error::Connect { .. }), "{err:?}");
}

#[tokio::test]
async fn extra_reply_is_detected() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.login(Some(CAPA_FULL)).await;
        c.expect("NOOP").await;
        c.send(b"+OK\r\n+OK 1 10\r\n").await;
        c.wait_closed().await;
    })
    .await;
    let mut session = Session::connect(&server.options()).await.expect("connect");
    session.noop().await.expect("noop");
    // Whether the stray line is seen as buffered data or as STAT's reply, STAT must not succeed silently.
    tokio::time::sleep(Duration::from_millis(50)).await;
    let err = session.stat().await.expect_err("desynchronised");
    assert!(matches!(err, Pop3Error::Protocol { .. }), "{err:?}");
    drop(session);
    server.finish().await;
}

#[tokio::test]
async fn body_where_status_expected_is_a_protocol_error() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.login(Some(CAPA_FULL)).await;
        c.expect("RETR 1").await;
        c.expect("RETR 2").await;
        c.send(b"Subject: out of order\r\n\r\nbody\r\n.\r\n").await;
        c.wait_closed().await;
    })
    .await;
    let mut session = Session::connect(&server.options()).await.expect("connect");
    let err = session
        .fetch(&requests(1..=2), &mut CollectSink::default())
        .await
        .expect_err("out of order");
    assert!(matches!(err, Pop3Error::Protocol { .. }), "{err:?}");
    assert!(matches!(
        session.noop().await,
        Err(Pop3Error::SessionBroken)
    ));
    drop(session);
    server.finish().await;
}

#[tokio::test]
async fn size_cap_stops_huge_message() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.login(Some(CAPA_FULL)).await;
        c.expect("RETR 1").await;
        c.send(b"+OK\r\n").await;
        let line = [b'a'; 1000];
        for _ in 0..100 {
            c.send(&line).await;
        }
        c.wait_closed().await;
    })
    .await;
    let mut opts = server.options();
    opts.max_message_size = Some(10_000);
    let mut session = Session::connect(&opts).await.expect("connect");
    let err = session
        .retr(1, &mut CollectSink::default())
        .await
        .expect_err("cap");
    assert!(
        matches!(
            err,
            Pop3Error::MessageTooLarge {
                number: 1,
                limit: 10_000
            }
        ),
        "{err:?}"
    );
    drop(session);
    server.finish().await;
}
