//! Every session ends by itself (issue 9, items 7, 8, 14, 17): trickling and endless
//! servers, the message size cap, the APOP fallback and TLS against a plain-text port.

mod support;

use std::future::Future;
use std::time::{Duration, Instant};

use satchel::pop3::{
    AuthMethod, DeadlineRule, FetchRequest, MessageSink, Pop3Error, ProgressRule, Security,
    Session, SinkError,
};
use support::scripted::{CAPA_BARE, CAPA_FULL, ScriptConn, ScriptedServer};
use support::sinks::CollectSink;

/// The safety net: a test that does not end within this is a hang, reported as a failure.
const SAFETY_NET: Duration = Duration::from_secs(20);

async fn bounded<T>(what: &str, work: impl Future<Output = T>) -> T {
    tokio::time::timeout(SAFETY_NET, work)
        .await
        .unwrap_or_else(|_| panic!("{what} did not end by itself"))
}

/// A short progress rule, so a stall shows within seconds.
fn quick_progress() -> ProgressRule {
    ProgressRule {
        window: Duration::from_secs(2),
        min_bytes: 1024,
    }
}

fn request(size: u64) -> Vec<FetchRequest> {
    vec![FetchRequest { number: 1, size }]
}

#[tokio::test]
async fn a_body_trickled_byte_by_byte_is_a_stall() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.login(Some(CAPA_FULL)).await;
        c.expect("RETR 1").await;
        c.send(b"+OK\r\n").await;
        // One byte every 50 ms, far under 1 KiB in 2 s, never silent long enough to meet
        // the idle timeout: without the progress rule this would run for the whole body.
        c.trickle(&[b'a'; 2000], Duration::from_millis(50)).await;
    })
    .await;
    let mut opts = server.options();
    opts.progress = quick_progress();
    let started = Instant::now();
    let mut session = Session::connect(&opts).await.expect("connect");
    let mut sink = CollectSink::default();
    let err = bounded("a trickled RETR", session.fetch(&request(2000), &mut sink))
        .await
        .expect_err("a trickle is a stall");
    assert!(matches!(err, Pop3Error::TooSlow { .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "cannot continue: the server is too slow (under 1 KiB in 2 s)"
    );
    assert!(
        started.elapsed() < Duration::from_secs(6),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(sink.aborted, 1);
    assert!(matches!(
        session.noop().await,
        Err(Pop3Error::SessionBroken)
    ));
    drop(session);
    server.task.abort();
}

#[tokio::test]
async fn a_trickled_capa_listing_is_a_stall() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.send(b"+OK scripted ready\r\n").await;
        c.expect("CAPA").await;
        c.send(b"+OK\r\n").await;
        c.trickle(&b"TOP\r\n".repeat(400), Duration::from_millis(50))
            .await;
    })
    .await;
    let mut opts = server.options();
    opts.progress = quick_progress();
    let err = bounded("a trickled CAPA", Session::connect(&opts))
        .await
        .expect_err("stall");
    assert!(matches!(err, Pop3Error::TooSlow { .. }), "{err:?}");
    server.task.abort();
}

#[tokio::test]
async fn an_endless_capa_listing_is_refused() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.send(b"+OK scripted ready\r\n").await;
        c.expect("CAPA").await;
        c.send(b"+OK\r\n").await;
        while c.try_send(b"X-FILLER\r\n").await {}
    })
    .await;
    let err = bounded("an endless CAPA", Session::connect(&server.options()))
        .await
        .expect_err("endless");
    assert!(
        matches!(&err, Pop3Error::Protocol { detail } if detail.contains("CAPA listing longer")),
        "{err:?}"
    );
    server.finish().await;
}

#[tokio::test]
async fn the_session_deadline_ends_a_steady_slow_body() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.login(Some(CAPA_FULL)).await;
        c.expect("RETR 1").await;
        c.send(b"+OK\r\n").await;
        // 4 KiB/s: enough for the progress rule, and endless.
        let line = [b'b'; 2048];
        while c.try_send(&line).await {
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    })
    .await;
    let mut opts = server.options();
    opts.progress = quick_progress();
    opts.deadline = DeadlineRule {
        base: Duration::from_secs(2),
        min_bytes_per_second: 1024 * 1024,
    };
    let started = Instant::now();
    let mut session = Session::connect(&opts).await.expect("connect");
    let err = bounded(
        "a slow endless RETR",
        session.fetch(&request(100), &mut CollectSink::default()),
    )
    .await
    .expect_err("deadline");
    assert!(matches!(err, Pop3Error::DeadlinePassed { .. }), "{err:?}");
    assert!(err.to_string().contains("the server is too slow"), "{err}");
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    drop(session);
    server.finish().await;
}

#[tokio::test]
async fn a_fetch_extends_the_deadline_by_its_announced_size() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.login(Some(CAPA_FULL)).await;
        c.expect("RETR 1").await;
        c.send(b"+OK\r\n").await;
        // 3,000 bytes over about 2.4 s: past the 1 s base, within 1 s + 3,000 B at 1,000 B/s.
        let line = [b'c'; 998];
        for _ in 0..3 {
            tokio::time::sleep(Duration::from_millis(800)).await;
            c.send(&line).await;
            c.send(b"\r\n").await;
        }
        c.send(b".\r\n").await;
        c.expect("QUIT").await;
        c.send(b"+OK bye\r\n").await;
    })
    .await;
    let mut opts = server.options();
    opts.progress = ProgressRule {
        window: Duration::from_secs(2),
        min_bytes: 500,
    };
    opts.deadline = DeadlineRule {
        base: Duration::from_secs(1),
        min_bytes_per_second: 1000,
    };
    let mut session = Session::connect(&opts).await.expect("connect");
    let mut sink = CollectSink::default();
    let report = bounded(
        "a slow but announced RETR",
        session.fetch(&request(3000), &mut sink),
    )
    .await
    .expect("within the extended deadline");
    assert_eq!(report.fetched, 1);
    assert_eq!(sink.messages[0].1.len(), 3000);
    session.quit().await.expect("quit");
    server.finish().await;
}

/// Counts what it is given and keeps nothing but the count and the first bytes.
#[derive(Debug, Default)]
struct CountingSink {
    bytes: u64,
    first_bytes: Vec<u8>,
    too_large: Vec<u32>,
    aborted: usize,
    ended: usize,
}

impl MessageSink for CountingSink {
    fn begin(&mut self, _number: u32, _size: u64) -> Result<(), SinkError> {
        Ok(())
    }

    fn chunk(&mut self, bytes: &[u8]) -> Result<(), SinkError> {
        self.bytes += bytes.len() as u64;
        let room = 64usize.saturating_sub(self.first_bytes.len());
        self.first_bytes
            .extend_from_slice(&bytes[..room.min(bytes.len())]);
        Ok(())
    }

    fn end(&mut self) -> Result<(), SinkError> {
        self.ended += 1;
        Ok(())
    }

    fn abort(&mut self) {
        self.aborted += 1;
    }

    fn too_large(&mut self, number: u32) {
        self.too_large.push(number);
    }
}

#[tokio::test]
async fn an_endless_retr_stops_at_the_size_cap() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.login(Some(CAPA_FULL)).await;
        c.expect("RETR 1").await;
        c.send(b"+OK\r\nSubject: endless\r\n\r\n").await;
        let line = [b'z'; 16 * 1024];
        while c.try_send(&line).await {}
    })
    .await;
    let mut opts = server.options();
    opts.max_message_size = Some(64 * 1024);
    let started = Instant::now();
    let mut session = Session::connect(&opts).await.expect("connect");
    let mut sink = CountingSink::default();
    let err = bounded("an endless RETR", session.fetch(&request(100), &mut sink))
        .await
        .expect_err("cap");
    assert!(
        matches!(
            err,
            Pop3Error::MessageTooLarge {
                number: 1,
                limit: 65_536
            }
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        sink.bytes,
        64 * 1024,
        "the sink sees exactly the cap's worth"
    );
    assert!(sink.first_bytes.starts_with(b"Subject: endless\r\n"));
    assert_eq!(sink.too_large, vec![1]);
    assert_eq!((sink.aborted, sink.ended), (0, 0));
    assert!(matches!(
        session.noop().await,
        Err(Pop3Error::SessionBroken)
    ));
    drop(session);
    server.finish().await;
}

#[test]
fn the_size_cap_defaults_to_256_mib() {
    let opts = satchel::pop3::ConnectOptions::new(
        "pop.example",
        satchel::pop3::Credentials::password("a", "b"),
    );
    assert_eq!(opts.max_message_size, Some(256 * 1024 * 1024));
}

/// Greeting with an APOP timestamp, CAPA with USER, APOP refused.
async fn refuse_apop(c: &mut ScriptConn) {
    c.send(b"+OK POP3 ready <1896.697170952@mail.example>\r\n")
        .await;
    c.answer_capa(Some(CAPA_BARE)).await;
    let apop = c.recv().await;
    assert!(apop.starts_with("APOP alice "), "{apop}");
    c.send(b"-ERR [AUTH] authentication failed\r\n").await;
}

async fn user_pass_then_stat(c: &mut ScriptConn) {
    c.expect("USER alice").await;
    c.send(b"+OK\r\n").await;
    c.expect("PASS pw").await;
    c.send(b"+OK logged in\r\n").await;
    c.answer_capa(Some(CAPA_BARE)).await;
    c.expect("STAT").await;
    c.send(b"+OK 2 300\r\n").await;
    c.expect("QUIT").await;
    c.send(b"+OK bye\r\n").await;
}

#[tokio::test]
async fn a_refused_automatic_apop_falls_back_to_user_pass() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        refuse_apop(&mut c).await;
        user_pass_then_stat(&mut c).await;
    })
    .await;
    let mut session = bounded("login", Session::connect(&server.options()))
        .await
        .expect("the right password works");
    assert_eq!(session.auth_method_used(), AuthMethod::UserPass);
    assert_eq!(session.stat().await.expect("stat").count, 2);
    session.quit().await.expect("quit");
    server.finish().await;
}

#[tokio::test]
async fn a_server_that_hangs_up_after_apop_gets_a_fresh_connection() {
    let server = ScriptedServer::start_two(
        |mut c: ScriptConn| async move {
            refuse_apop(&mut c).await;
            // Hangs up: the first connection ends here.
        },
        |mut c: ScriptConn| async move {
            c.send(b"+OK POP3 ready <2.2@mail.example>\r\n").await;
            user_pass_then_stat(&mut c).await;
        },
    )
    .await;
    let mut session = bounded("login", Session::connect(&server.options()))
        .await
        .expect("fresh connection");
    assert_eq!(session.auth_method_used(), AuthMethod::UserPass);
    assert_eq!(session.stat().await.expect("stat").size, 300);
    session.quit().await.expect("quit");
    server.finish().await;
}

#[tokio::test]
async fn a_chosen_apop_never_falls_back() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        refuse_apop(&mut c).await;
        // Nothing else may arrive: the next read sees the client close.
        assert_eq!(c.recv().await, "", "no other login was tried");
    })
    .await;
    let mut opts = server.options();
    opts.auth = Some(AuthMethod::Apop);
    let err = bounded("login", Session::connect(&opts))
        .await
        .expect_err("refused");
    assert!(matches!(err, Pop3Error::AuthFailed { .. }), "{err:?}");
    server.finish().await;
}

#[tokio::test]
async fn tls_against_a_plain_text_port_says_so() {
    let server = ScriptedServer::start(|mut c: ScriptConn| async move {
        c.send(b"+OK plain text POP3 ready\r\n").await;
        c.wait_closed().await;
    })
    .await;
    let mut opts = server.options();
    opts.security = Security::ImplicitTls;
    let err = bounded("TLS handshake", Session::connect(&opts))
        .await
        .expect_err("not TLS");
    assert!(matches!(err, Pop3Error::NotTls { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("answered without TLS"), "{text}");
    assert!(text.contains("STARTTLS on port 110"), "{text}");
    assert!(text.contains("SSL/TLS on port 995"), "{text}");
    server.finish().await;
}
