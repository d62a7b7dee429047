//! The POP3 client against real servers on loopback: Dovecot and GNU Mailutils, one test of
//! each body per server (`name::dovecot`, `name::mailutils`).

mod support;

use satchel::pop3::{AuthMethod, FetchRequest, Pop3Error, Security, Session};
use sha2::{Digest, Sha256};
use support::real_server::{RealServer, ServerKind};
use support::sinks::{CollectSink, FailingSink, HashSink};

const USERS: &[(&str, &str)] = &[("alice", "secret-a"), ("bob", "secret-b")];

/// Tricky but valid messages, CRLF on disk so Dovecot serves them byte for byte.
fn tricky_messages() -> Vec<Vec<u8>> {
    vec![
        b"Subject: dots\r\n\r\n.leading dot\r\n..two dots\r\n.\r\n. space\r\nend\r\n".to_vec(),
        b"Subject: empty body\r\n\r\n".to_vec(),
        b"Subject: 8bit\r\nContent-Type: text/plain; charset=latin1\r\n\r\ncaf\xe9 \xff\xfe\x80 \x00nul\r\n"
            .to_vec(),
    ]
}

fn deliver_all(server: &RealServer, user: &str, messages: &[Vec<u8>]) {
    for (i, msg) in messages.iter().enumerate() {
        server.deliver(user, &format!("{:06}.test", i + 1), msg);
    }
}

/// Fetches every message; returns (UIDL, bytes) in listing order.
async fn fetch_all(server: &RealServer, session: &mut Session) -> Vec<(String, Vec<u8>)> {
    let list = session.messages().await.expect("list");
    let requests: Vec<FetchRequest> = list
        .iter()
        .map(|m| FetchRequest {
            number: m.number,
            size: m.size,
        })
        .collect();
    let mut sink = CollectSink::default();
    let report = session.fetch(&requests, &mut sink).await.expect("fetch");
    assert_eq!(report.fetched, list.len());
    assert!(report.refused.is_empty());
    assert_eq!(sink.messages.len(), list.len());
    list.iter()
        .zip(sink.messages)
        .map(|(info, (number, bytes))| {
            assert_eq!(info.number, number);
            assert!(
                server.list_size_fits(info.size, &bytes, &info.uid),
                "LIST size {} fits the {} bytes received",
                info.size,
                bytes.len()
            );
            (info.uid.clone(), bytes)
        })
        .collect()
}

async fn implicit_tls_fetches_exact_bytes(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, USERS) else {
        return;
    };
    deliver_all(&server, "alice", &tricky_messages());
    let opts = server.options("alice", "secret-a", Security::ImplicitTls);
    let mut session = Session::connect(&opts).await.expect("connect");
    assert!(session.is_tls());
    let caps = session.capabilities().clone();
    assert!(caps.pipelining && caps.uidl && caps.top);
    let stat = session.stat().await.expect("stat");
    assert_eq!(stat.count, 3);
    let fetched = fetch_all(&server, &mut session).await;
    server.assert_serves(&tricky_messages(), &fetched);
    session.noop().await.expect("noop");
    session.quit().await.expect("quit");
}

async fn starttls_upgrades_and_logs_in(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, USERS) else {
        return;
    };
    deliver_all(&server, "bob", &tricky_messages()[..1]);
    let opts = server.options("bob", "secret-b", Security::StartTls);
    let mut session = Session::connect(&opts).await.expect("connect");
    assert!(session.is_tls());
    let fetched = fetch_all(&server, &mut session).await;
    server.assert_serves(&tricky_messages()[..1], &fetched);
    session.quit().await.expect("quit");
}

async fn every_auth_method_the_server_offers(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, USERS) else {
        return;
    };
    let cases: &[(Security, Option<AuthMethod>)] = match kind {
        ServerKind::Dovecot => &[
            (Security::ImplicitTls, Some(AuthMethod::Plain)),
            (Security::ImplicitTls, Some(AuthMethod::Login)),
            (Security::ImplicitTls, Some(AuthMethod::UserPass)),
            (Security::ImplicitTls, Some(AuthMethod::Apop)),
            (Security::StartTls, None),
            (Security::PlainInsecure, Some(AuthMethod::UserPass)),
            (Security::PlainInsecure, Some(AuthMethod::Apop)),
            (Security::PlainInsecure, None),
        ],
        // Mailutils offers USER only (no SASL in CAPA; APOP has no secrets, tested below). The
        // automatic choice in plain text is `mailutils_plain_text_automatic_login_falls_back_from_apop`.
        ServerKind::Mailutils => &[
            (Security::ImplicitTls, Some(AuthMethod::UserPass)),
            (Security::ImplicitTls, None),
            (Security::StartTls, None),
            (Security::PlainInsecure, Some(AuthMethod::UserPass)),
        ],
    };
    for &(security, method) in cases {
        let mut opts = server.options("alice", "secret-a", security);
        opts.auth = method;
        let session = Session::connect(&opts)
            .await
            .unwrap_or_else(|e| panic!("{security:?} {method:?}: {e}\n{}", server.log()));
        session.quit().await.expect("quit");
        opts.credentials =
            satchel::pop3::Credentials::password(server.login_name("alice"), "wrong");
        let err = Session::connect(&opts).await.expect_err("wrong password");
        assert!(
            matches!(err, Pop3Error::AuthFailed { .. }),
            "{security:?} {method:?}: {err:?}"
        );
        assert!(!err.to_string().contains("wrong"), "password leaked: {err}");
    }
    if kind == ServerKind::Mailutils {
        // The greeting carries an APOP timestamp, but without an APOP database the right
        // password fails too; SASL PLAIN is not offered at all.
        let mut opts = server.options("alice", "secret-a", Security::PlainInsecure);
        opts.auth = Some(AuthMethod::Apop);
        let err = Session::connect(&opts).await.expect_err("no APOP secrets");
        assert!(matches!(err, Pop3Error::AuthFailed { .. }), "{err:?}");
        let mut opts = server.options("alice", "secret-a", Security::ImplicitTls);
        opts.auth = Some(AuthMethod::Plain);
        let err = Session::connect(&opts).await.expect_err("no SASL");
        assert!(
            matches!(err, Pop3Error::AuthMethodNotOffered { .. }),
            "{err:?}"
        );
    }
}

/// Mailutils' default set-up advertises APOP it cannot do: the automatic login in plain text
/// must fall back to USER/PASS with the right password (issue 9 item 14).
#[tokio::test]
async fn mailutils_plain_text_automatic_login_falls_back_from_apop() {
    let Some(server) = RealServer::start_or_skip(ServerKind::Mailutils, USERS) else {
        return;
    };
    let mut opts = server.options("alice", "secret-a", Security::PlainInsecure);
    opts.auth = None;
    let session = Session::connect(&opts)
        .await
        .unwrap_or_else(|e| panic!("automatic login: {e}\n{}", server.log()));
    session.quit().await.expect("quit");
}

async fn self_signed_certificate_refused_then_pinned(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, USERS) else {
        return;
    };
    for security in [Security::ImplicitTls, Security::StartTls] {
        let mut opts = server.options("alice", "secret-a", security);
        opts.pinned_certificate = None;
        let err = Session::connect(&opts).await.expect_err("untrusted");
        let Pop3Error::UntrustedCertificate {
            certificate,
            reason,
            ..
        } = &err
        else {
            panic!("expected UntrustedCertificate, got {err:?}");
        };
        assert_eq!(certificate.fingerprint, server.fingerprint());
        assert!(
            certificate.subject.contains("CN=localhost"),
            "{}",
            certificate.subject
        );
        assert_eq!(certificate.subject, certificate.issuer, "self-signed");
        assert_eq!(
            certificate.distrust,
            Some(satchel::pop3::Distrust::SelfSigned),
            "the prompt can say why ({reason})"
        );
        assert!(certificate.not_after.ends_with(" UTC"));
        assert!(!reason.is_empty());
        assert!(err.to_string().contains(&server.fingerprint().to_string()));
        // The user accepts the fingerprint: it is pinned and trusted from now on.
        opts.pinned_certificate = Some(certificate.fingerprint);
        let session = Session::connect(&opts).await.expect("pinned");
        session.quit().await.expect("quit");
    }
    // A pin for another certificate does not help: the certificate changed since it was pinned.
    let old = satchel::pop3::Fingerprint([7; 32]);
    let mut opts = server.options("alice", "secret-a", Security::ImplicitTls);
    opts.pinned_certificate = Some(old);
    let err = Session::connect(&opts).await.expect_err("wrong pin");
    let Pop3Error::CertificateChanged {
        trusted,
        certificate,
        ..
    } = &err
    else {
        panic!("expected CertificateChanged, got {err:?}");
    };
    assert_eq!(*trusted, old);
    assert_eq!(certificate.fingerprint, server.fingerprint());
    assert_eq!(certificate.previously_trusted, Some(old));
    let text = err.to_string();
    assert!(text.contains("changed since you trusted it"), "{text}");
    assert!(text.contains(&old.to_string()), "{text}");
    assert!(text.contains(&server.fingerprint().to_string()), "{text}");
}

async fn forty_megabyte_message_streams(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, USERS) else {
        return;
    };
    let mut big = b"Subject: big\r\n\r\n".to_vec();
    let line: Vec<u8> = (0..76u8).map(|i| b'!' + (i % 90)).chain(*b"\r\n").collect();
    let mut n = 0u32;
    while big.len() < 40 * 1024 * 1024 {
        if n.is_multiple_of(7) {
            big.extend_from_slice(b".dot-start \xe4\xf6\r\n");
        }
        big.extend_from_slice(&line);
        n += 1;
    }
    server.deliver("alice", "big.test", &big);
    let opts = server.options("alice", "secret-a", Security::ImplicitTls);
    let mut session = Session::connect(&opts).await.expect("connect");
    let list = session.messages().await.expect("list");
    assert_eq!(list.len(), 1);
    let mut sink = HashSink::default();
    let requests = [FetchRequest {
        number: 1,
        size: list[0].size,
    }];
    session.fetch(&requests, &mut sink).await.expect("fetch");
    let big_as_served = server.served_form(&big, &list[0].uid);
    let expected: [u8; 32] = Sha256::digest(&big_as_served).into();
    assert_eq!(
        sink.messages,
        vec![(1, big_as_served.len() as u64, expected)]
    );
    assert!(
        sink.largest_chunk <= 128 * 1024,
        "streamed in bounded chunks"
    );
    session.quit().await.expect("quit");
}

async fn three_thousand_messages_pipelined(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, USERS) else {
        return;
    };
    let messages: Vec<Vec<u8>> = (1..=3000)
        .map(|i| {
            format!("Subject: message {i}\r\nX-Seq: {i}\r\n\r\nbody {i}\r\n.\r\n").into_bytes()
        })
        .collect();
    deliver_all(&server, "alice", &messages);
    let opts = server.options("alice", "secret-a", Security::ImplicitTls);
    let mut session = Session::connect(&opts).await.expect("connect");
    let list = session.messages().await.expect("list");
    assert_eq!(list.len(), 3000);
    let uids: std::collections::HashSet<&str> = list.iter().map(|m| m.uid.as_str()).collect();
    assert_eq!(uids.len(), 3000, "unique ids");
    let fetched = fetch_all(&server, &mut session).await;
    server.assert_serves(&messages, &fetched);
    session.quit().await.expect("quit");
}

async fn second_session_gets_in_use(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, USERS) else {
        return;
    };
    deliver_all(&server, "alice", &tricky_messages());
    let opts = server.options("alice", "secret-a", Security::ImplicitTls);
    let mut first = Session::connect(&opts).await.expect("first");
    first.stat().await.expect("stat");
    let err = Session::connect(&opts)
        .await
        .expect_err("second must be refused");
    assert!(matches!(err, Pop3Error::MailboxInUse { .. }), "{err:?}");
    assert!(err.to_string().contains("locked by another client"));
    first.quit().await.expect("quit");
    let again = Session::connect(&opts).await.expect("after release");
    again.quit().await.expect("quit");
}

async fn delete_pipelined_commits_on_quit_only(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, USERS) else {
        return;
    };
    deliver_all(&server, "bob", &tricky_messages());
    let opts = server.options("bob", "secret-b", Security::ImplicitTls);
    let mut session = Session::connect(&opts).await.expect("connect");
    assert!(session.delete(&[1, 2]).await.expect("dele").is_empty());
    session.rset().await.expect("rset");
    session.dele(3).await.expect("dele 3");
    let refused = session.delete(&[1, 3, 99]).await.expect("dele again");
    let numbers: Vec<u32> = refused.iter().map(|r| r.number).collect();
    // RFC 1939 wants -ERR for a message already marked deleted; Mailutils says "+OK Message 3
    // marked" again, and refuses only the one that does not exist.
    let expected_refused = match kind {
        ServerKind::Dovecot => vec![3, 99],
        ServerKind::Mailutils => vec![99],
    };
    assert_eq!(numbers, expected_refused, "already deleted and nonexistent");
    // Dropping without QUIT commits nothing.
    drop(session);
    let mut session = Session::connect(&opts).await.expect("reconnect");
    assert_eq!(session.stat().await.expect("stat").count, 3);
    session.delete(&[1, 3]).await.expect("dele");
    assert_eq!(
        server.stored_messages("bob"),
        3,
        "nothing deleted before QUIT"
    );
    session.quit().await.expect("quit commits");
    assert_eq!(server.stored_messages("bob"), 1, "QUIT removed the files");
    let mut session = Session::connect(&opts).await.expect("reconnect");
    assert_eq!(session.stat().await.expect("stat").count, 1);
    session.quit().await.expect("quit");
}

async fn top_and_retr_single(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, USERS) else {
        return;
    };
    let msg = b"Subject: t\r\n\r\nline1\r\n.line2\r\nline3\r\n".to_vec();
    server.deliver("alice", "1.test", &msg);
    let opts = server.options("alice", "secret-a", Security::ImplicitTls);
    let mut session = Session::connect(&opts).await.expect("connect");
    let uidl = session.messages().await.expect("list")[0].uid.clone();
    let mut sink = CollectSink::default();
    session.top(1, 1, &mut sink).await.expect("top");
    let mut top = server.served_form(b"Subject: t\r\n\r\nline1\r\n", &uidl);
    if kind == ServerKind::Mailutils {
        // Mailutils' TOP with one or more body lines sends the blank line after the header
        // block twice (TOP n 0 is right); RETR is exact.
        let body = top
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("header end")
            + 2;
        top.splice(body..body, *b"\r\n");
    }
    assert_eq!(sink.messages[0].1, top);
    session.retr(1, &mut sink).await.expect("retr");
    assert_eq!(sink.messages[1].1, server.served_form(&msg, &uidl));
    let err = session
        .retr(5, &mut sink)
        .await
        .expect_err("no such message");
    assert!(
        matches!(
            err,
            Pop3Error::Refused {
                command: "RETR",
                ..
            }
        ),
        "{err:?}"
    );
    session.noop().await.expect("session still usable");
    session.quit().await.expect("quit");
}

async fn sink_error_aborts_cleanly_and_session_survives(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, USERS) else {
        return;
    };
    let messages: Vec<Vec<u8>> = (1..=20)
        .map(|i| format!("Subject: {i}\r\n\r\nbody\r\n").into_bytes())
        .collect();
    deliver_all(&server, "alice", &messages);
    let opts = server.options("alice", "secret-a", Security::ImplicitTls);
    let mut session = Session::connect(&opts).await.expect("connect");
    let requests: Vec<FetchRequest> = (1..=20)
        .map(|number| FetchRequest { number, size: 0 })
        .collect();
    let mut sink = FailingSink::failing_at(5);
    let err = session
        .fetch(&requests, &mut sink)
        .await
        .expect_err("sink fails");
    assert!(matches!(err, Pop3Error::Sink { number: 5, .. }), "{err:?}");
    assert_eq!(sink.completed, vec![1, 2, 3, 4]);
    assert_eq!(sink.aborted, 1);
    assert_eq!(session.stat().await.expect("still in step").count, 20);
    session.quit().await.expect("quit");
}

async fn empty_mailbox_lists_nothing(kind: ServerKind) {
    let Some(server) = RealServer::start_or_skip(kind, USERS) else {
        return;
    };
    let opts = server.options("bob", "secret-b", Security::ImplicitTls);
    let mut session = Session::connect(&opts).await.expect("connect");
    assert!(session.messages().await.expect("list").is_empty());
    let report = session
        .fetch(&[], &mut CollectSink::default())
        .await
        .expect("fetch none");
    assert_eq!(report.fetched, 0);
    session.quit().await.expect("quit");
}

async fn fixture_stops_the_server_and_removes_its_directory(kind: ServerKind) {
    let Some(mut server) = RealServer::start_or_skip(kind, USERS) else {
        return;
    };
    let pid = server.pid().expect("master pid");
    let dir = server.path().to_path_buf();
    assert!(server.running());
    drop(server);
    assert!(
        !support::dovecot::process_alive(pid),
        "{kind:?} still running"
    );
    assert!(!dir.exists(), "temp dir left behind");
}

crate::real_server_tests!(
    async implicit_tls_fetches_exact_bytes,
    starttls_upgrades_and_logs_in,
    every_auth_method_the_server_offers,
    self_signed_certificate_refused_then_pinned,
    forty_megabyte_message_streams,
    three_thousand_messages_pipelined,
    second_session_gets_in_use,
    delete_pipelined_commits_on_quit_only,
    top_and_retr_single,
    sink_error_aborts_cleanly_and_session_survives,
    empty_mailbox_lists_nothing,
    fixture_stops_the_server_and_removes_its_directory,
);
