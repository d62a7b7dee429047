//! The POP3 client against a scripted in-process server: features and
//! server variants Dovecot will not show (no CAPA/UIDL/STLS, APOP, XOAUTH2,
//! response codes, pipelining window).

mod support;

use std::time::Duration;

use satchel::pop3::{AuthMethod, Credentials, FetchRequest, Pop3Error, Security, Session};
use support::scripted::{CAPA_BARE, CAPA_FULL, ScriptConn, ScriptedServer};
use support::sinks::CollectSink;

fn requests(numbers: std::ops::RangeInclusive<u32>) -> Vec<FetchRequest> {
    numbers
        .map(|number| FetchRequest { number, size: 10 })
        .collect()
}

#[tokio::test]
async fn no_capa_still_logs_in_and_tries_uidl() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.login(None).await;
        c.expect("LIST").await;
        c.send(b"+OK\r\n1 10\r\n2 20\r\n.\r\n").await;
        c.expect("UIDL").await;
        c.send(b"+OK\r\n1 aaa\r\n2 bbb\r\n.\r\n").await;
        c.expect("RETR 1").await;
        c.send(b"+OK\r\nfirst\r\n.\r\n").await;
        c.expect("RETR 2").await;
        c.send(b"+OK\r\nsecond\r\n.\r\n").await;
        c.expect("QUIT").await;
        c.send(b"+OK bye\r\n").await;
    })
    .await;
    let mut session = Session::connect(&server.options()).await.expect("connect");
    assert!(!session.capabilities().listed);
    let list = session.messages().await.expect("list");
    assert_eq!(list.len(), 2);
    assert_eq!(list[1].uid, "bbb");
    let mut sink = CollectSink::default();
    session
        .fetch(&requests(1..=2), &mut sink)
        .await
        .expect("fetch one by one");
    assert_eq!(sink.messages[1].1, b"second\r\n");
    session.quit().await.expect("quit");
    server.finish().await;
}

#[tokio::test]
async fn server_without_uidl_is_reported() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.login(Some(CAPA_BARE)).await;
        c.expect("LIST").await;
        c.send(b"+OK\r\n1 10\r\n.\r\n").await;
        c.expect("UIDL").await;
        c.send(b"-ERR unknown command\r\n").await;
        c.expect("QUIT").await;
        c.send(b"+OK\r\n").await;
    })
    .await;
    let mut session = Session::connect(&server.options()).await.expect("connect");
    let err = session.messages().await.expect_err("no uidl");
    assert!(matches!(err, Pop3Error::UidlUnsupported), "{err:?}");
    session.quit().await.expect("quit");
    server.finish().await;
}

#[tokio::test]
async fn stls_missing_from_capa_is_refused() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.send(b"+OK ready\r\n").await;
        c.answer_capa(Some(CAPA_FULL)).await;
        // The client must hang up rather than send USER in clear text.
        let next = c.recv().await;
        assert_eq!(next, "", "client sent {next:?} after STLS was missing");
    })
    .await;
    let mut opts = server.options();
    opts.security = Security::StartTls;
    let err = Session::connect(&opts).await.expect_err("no STLS");
    assert!(matches!(err, Pop3Error::StlsNotOffered), "{err:?}");
    server.finish().await;
}

#[tokio::test]
async fn stls_refused_is_an_error() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.send(b"+OK ready\r\n").await;
        c.answer_capa(Some("STLS\r\nUSER\r\n")).await;
        c.expect("STLS").await;
        c.send(b"-ERR TLS not available\r\n").await;
        let next = c.recv().await;
        assert_eq!(next, "", "client sent {next:?} after STLS failed");
    })
    .await;
    let mut opts = server.options();
    opts.security = Security::StartTls;
    let err = Session::connect(&opts).await.expect_err("STLS refused");
    assert!(matches!(err, Pop3Error::StlsRefused { .. }), "{err:?}");
    server.finish().await;
}

#[tokio::test]
async fn pipeline_window_bounds_commands_in_flight() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.login(Some(CAPA_FULL)).await;
        for n in 1..=3 {
            c.expect(&format!("RETR {n}")).await;
        }
        // The window is 3: nothing more may arrive until a reply goes out.
        let early = tokio::time::timeout(Duration::from_millis(200), c.recv()).await;
        assert!(early.is_err(), "a fourth command arrived: {early:?}");
        c.send(b"+OK\r\none\r\n.\r\n").await;
        c.expect("RETR 4").await;
        c.send(b"+OK\r\ntwo\r\n.\r\n-ERR gone\r\n+OK\r\nfour\r\n.\r\n")
            .await;
        c.expect("QUIT").await;
        c.send(b"+OK\r\n").await;
    })
    .await;
    let mut opts = server.options();
    opts.pipeline.max_commands = 3;
    let mut session = Session::connect(&opts).await.expect("connect");
    let mut sink = CollectSink::default();
    let report = session
        .fetch(&requests(1..=4), &mut sink)
        .await
        .expect("fetch");
    assert_eq!(report.fetched, 3);
    assert_eq!(report.refused.len(), 1);
    assert_eq!(report.refused[0].number, 3);
    let numbers: Vec<u32> = sink.messages.iter().map(|m| m.0).collect();
    assert_eq!(numbers, vec![1, 2, 4]);
    session.quit().await.expect("quit");
    server.finish().await;
}

#[tokio::test]
async fn without_pipelining_one_command_at_a_time() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.login(Some(CAPA_BARE)).await;
        c.expect("RETR 1").await;
        let early = tokio::time::timeout(Duration::from_millis(200), c.recv()).await;
        assert!(early.is_err(), "pipelined without PIPELINING: {early:?}");
        c.send(b"+OK\r\none\r\n.\r\n").await;
        c.expect("RETR 2").await;
        c.send(b"+OK\r\ntwo\r\n.\r\n").await;
        c.expect("DELE 1").await;
        c.send(b"+OK\r\n").await;
        c.expect("DELE 2").await;
        c.send(b"+OK\r\n").await;
        c.expect("QUIT").await;
        c.send(b"-ERR [SYS/TEMP] could not delete\r\n").await;
    })
    .await;
    let mut session = Session::connect(&server.options()).await.expect("connect");
    session
        .fetch(&requests(1..=2), &mut CollectSink::default())
        .await
        .expect("fetch");
    assert!(session.delete(&[1, 2]).await.expect("dele").is_empty());
    let err = session
        .quit()
        .await
        .expect_err("quit failed, nothing deleted");
    assert!(
        matches!(
            err,
            Pop3Error::TemporaryFailure {
                command: "QUIT",
                ..
            }
        ),
        "{err:?}"
    );
    server.finish().await;
}

#[tokio::test]
async fn apop_sends_rfc1939_digest() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.send(b"+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n")
            .await;
        c.answer_capa(Some("USER\r\n")).await;
        c.expect("APOP mrose c4c9334bac560ecc979e58001b3e22fb")
            .await;
        c.send(b"+OK maildrop has 0 messages\r\n").await;
        c.answer_capa(Some("USER\r\n")).await;
        c.expect("QUIT").await;
        c.send(b"+OK\r\n").await;
    })
    .await;
    let mut opts = server.options();
    opts.credentials = Credentials::password("mrose", "tanstaaf");
    let session = Session::connect(&opts)
        .await
        .expect("apop chosen first on plain text");
    session.quit().await.expect("quit");
    server.finish().await;
}

#[tokio::test]
async fn xoauth2_success_and_failure() {
    let expected = "AUTH XOAUTH2 dXNlcj1hbGljZUBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB0b2sxMjMBAQ==";
    let server = ScriptedServer::start(move |mut c: ScriptConn| async move {
        c.send(b"+OK ready\r\n").await;
        c.answer_capa(Some("SASL XOAUTH2\r\n")).await;
        c.expect(expected).await;
        c.send(b"+ eyJzdGF0dXMiOiI0MDEifQ==\r\n").await;
        c.expect("").await;
        c.send(b"-ERR [AUTH] invalid token\r\n").await;
    })
    .await;
    let mut opts = server.options();
    opts.credentials = Credentials::bearer("alice@example.com", "tok123");
    let err = Session::connect(&opts).await.expect_err("token refused");
    assert!(matches!(err, Pop3Error::AuthFailed { .. }), "{err:?}");
    assert!(!format!("{err} {err:?}").contains("tok123"));
    server.finish().await;

    let server = ScriptedServer::start(move |mut c: ScriptConn| async move {
        c.send(b"+OK ready\r\n").await;
        c.answer_capa(Some("SASL XOAUTH2\r\n")).await;
        c.expect(expected).await;
        c.send(b"+OK welcome\r\n").await;
        c.answer_capa(Some("SASL XOAUTH2\r\nUIDL\r\n")).await;
    })
    .await;
    let mut opts = server.options();
    opts.credentials = Credentials::bearer("alice@example.com", "tok123");
    opts.auth = Some(AuthMethod::XOAuth2);
    let session = Session::connect(&opts).await.expect("token accepted");
    assert!(session.capabilities().uidl, "CAPA re-read after login");
    drop(session);
    server.finish().await;
}

#[tokio::test]
async fn login_delay_and_in_use_codes() {
    for (reply, check) in [
        (
            &b"-ERR [LOGIN-DELAY] wait 5 minutes\r\n"[..],
            (|e: &Pop3Error| matches!(e, Pop3Error::LoginDelay { .. })) as fn(&Pop3Error) -> bool,
        ),
        (b"-ERR [IN-USE] locked\r\n", |e| {
            matches!(e, Pop3Error::MailboxInUse { .. })
        }),
        (b"-ERR [SYS/PERM] disk gone\r\n", |e| {
            matches!(e, Pop3Error::PermanentFailure { .. })
        }),
    ] {
        let server = ScriptedServer::start(move |mut c: ScriptConn| async move {
            c.send(b"+OK ready\r\n").await;
            c.answer_capa(Some("USER\r\n")).await;
            c.expect("USER alice").await;
            c.send(b"+OK\r\n").await;
            c.expect("PASS pw").await;
            c.send(reply).await;
        })
        .await;
        let err = Session::connect(&server.options())
            .await
            .expect_err("refused");
        assert!(check(&err), "{err:?}");
        assert!(!err.to_string().contains("pw"), "{err}");
        server.finish().await;
    }
}

#[tokio::test]
async fn pipelined_listing_without_uidl_stays_in_step() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.login(Some("USER\r\nPIPELINING\r\n")).await;
        c.expect("LIST").await;
        c.expect("UIDL").await;
        c.send(b"+OK\r\n1 10\r\n.\r\n-ERR no UIDL here\r\n").await;
        c.expect("NOOP").await;
        c.send(b"+OK\r\n").await;
        c.expect("QUIT").await;
        c.send(b"+OK\r\n").await;
    })
    .await;
    let mut session = Session::connect(&server.options()).await.expect("connect");
    let err = session.messages().await.expect_err("no uidl");
    assert!(matches!(err, Pop3Error::UidlUnsupported), "{err:?}");
    session.noop().await.expect("still in step");
    session.quit().await.expect("quit");
    server.finish().await;
}
