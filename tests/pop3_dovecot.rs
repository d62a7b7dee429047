//! The POP3 client against a real Dovecot on loopback.

mod support;

use satchel::pop3::{AuthMethod, FetchRequest, Pop3Error, Security, Session};
use sha2::{Digest, Sha256};
use support::dovecot::Dovecot;
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

fn deliver_all(server: &Dovecot, user: &str, messages: &[Vec<u8>]) {
    for (i, msg) in messages.iter().enumerate() {
        server.deliver(user, &format!("{:06}.test", i + 1), msg);
    }
}

async fn fetch_all(session: &mut Session) -> CollectSink {
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
    for (info, (number, bytes)) in list.iter().zip(&sink.messages) {
        assert_eq!(info.number, *number);
        assert_eq!(
            info.size,
            bytes.len() as u64,
            "LIST size equals bytes received"
        );
    }
    sink
}

fn sorted(mut v: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    v.sort();
    v
}

#[tokio::test]
async fn implicit_tls_fetches_exact_bytes() {
    let Some(server) = Dovecot::start_or_skip(USERS) else {
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
    let sink = fetch_all(&mut session).await;
    let got: Vec<Vec<u8>> = sink.messages.into_iter().map(|(_, b)| b).collect();
    assert_eq!(sorted(got), sorted(tricky_messages()));
    session.noop().await.expect("noop");
    session.quit().await.expect("quit");
}

#[tokio::test]
async fn starttls_upgrades_and_logs_in() {
    let Some(server) = Dovecot::start_or_skip(USERS) else {
        return;
    };
    deliver_all(&server, "bob", &tricky_messages()[..1]);
    let opts = server.options("bob", "secret-b", Security::StartTls);
    let mut session = Session::connect(&opts).await.expect("connect");
    assert!(session.is_tls());
    let sink = fetch_all(&mut session).await;
    assert_eq!(sink.messages[0].1, tricky_messages()[0]);
    session.quit().await.expect("quit");
}

#[tokio::test]
async fn every_auth_method_dovecot_offers() {
    let Some(server) = Dovecot::start_or_skip(USERS) else {
        return;
    };
    let cases = [
        (Security::ImplicitTls, Some(AuthMethod::Plain)),
        (Security::ImplicitTls, Some(AuthMethod::Login)),
        (Security::ImplicitTls, Some(AuthMethod::UserPass)),
        (Security::ImplicitTls, Some(AuthMethod::Apop)),
        (Security::StartTls, None),
        (Security::PlainInsecure, Some(AuthMethod::UserPass)),
        (Security::PlainInsecure, Some(AuthMethod::Apop)),
        (Security::PlainInsecure, None),
    ];
    for (security, method) in cases {
        let mut opts = server.options("alice", "secret-a", security);
        opts.auth = method;
        let session = Session::connect(&opts)
            .await
            .unwrap_or_else(|e| panic!("{security:?} {method:?}: {e}\n{}", server.log()));
        session.quit().await.expect("quit");
        opts.credentials = satchel::pop3::Credentials::password("alice", "wrong");
        let err = Session::connect(&opts).await.expect_err("wrong password");
        assert!(
            matches!(err, Pop3Error::AuthFailed { .. }),
            "{security:?} {method:?}: {err:?}"
        );
        assert!(!err.to_string().contains("wrong"), "password leaked: {err}");
    }
}

#[tokio::test]
async fn self_signed_certificate_refused_then_pinned() {
    let Some(server) = Dovecot::start_or_skip(USERS) else {
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
        assert_eq!(certificate.fingerprint, server.fingerprint);
        assert!(
            certificate.subject.contains("CN=localhost"),
            "{}",
            certificate.subject
        );
        assert_eq!(certificate.subject, certificate.issuer, "self-signed");
        assert!(certificate.not_after.ends_with(" UTC"));
        assert!(!reason.is_empty());
        assert!(err.to_string().contains(&server.fingerprint.to_string()));
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
    assert_eq!(certificate.fingerprint, server.fingerprint);
    assert_eq!(certificate.previously_trusted, Some(old));
    let text = err.to_string();
    assert!(text.contains("changed since you trusted it"), "{text}");
    assert!(text.contains(&old.to_string()), "{text}");
    assert!(text.contains(&server.fingerprint.to_string()), "{text}");
}

#[tokio::test]
async fn forty_megabyte_message_streams() {
    let Some(server) = Dovecot::start_or_skip(USERS) else {
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
    let expected: [u8; 32] = Sha256::digest(&big).into();
    assert_eq!(sink.messages, vec![(1, big.len() as u64, expected)]);
    assert!(
        sink.largest_chunk <= 128 * 1024,
        "streamed in bounded chunks"
    );
    session.quit().await.expect("quit");
}

#[tokio::test]
async fn three_thousand_messages_pipelined() {
    let Some(server) = Dovecot::start_or_skip(USERS) else {
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
    let sink = fetch_all(&mut session).await;
    let got: Vec<Vec<u8>> = sink.messages.into_iter().map(|(_, b)| b).collect();
    assert_eq!(sorted(got), sorted(messages));
    session.quit().await.expect("quit");
}

#[tokio::test]
async fn second_session_gets_in_use() {
    let Some(server) = Dovecot::start_or_skip(USERS) else {
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

#[tokio::test]
async fn delete_pipelined_commits_on_quit_only() {
    let Some(server) = Dovecot::start_or_skip(USERS) else {
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
    assert_eq!(numbers, vec![3, 99], "already deleted and nonexistent");
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

#[tokio::test]
async fn top_and_retr_single() {
    let Some(server) = Dovecot::start_or_skip(USERS) else {
        return;
    };
    let msg = b"Subject: t\r\n\r\nline1\r\n.line2\r\nline3\r\n".to_vec();
    server.deliver("alice", "1.test", &msg);
    let opts = server.options("alice", "secret-a", Security::ImplicitTls);
    let mut session = Session::connect(&opts).await.expect("connect");
    let mut sink = CollectSink::default();
    session.top(1, 1, &mut sink).await.expect("top");
    assert_eq!(sink.messages[0].1, b"Subject: t\r\n\r\nline1\r\n");
    session.retr(1, &mut sink).await.expect("retr");
    assert_eq!(sink.messages[1].1, msg);
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

#[tokio::test]
async fn sink_error_aborts_cleanly_and_session_survives() {
    let Some(server) = Dovecot::start_or_skip(USERS) else {
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

#[tokio::test]
async fn empty_mailbox_lists_nothing() {
    let Some(server) = Dovecot::start_or_skip(USERS) else {
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

#[tokio::test]
async fn fixture_stops_dovecot_and_removes_its_directory() {
    let Some(server) = Dovecot::start_or_skip(USERS) else {
        return;
    };
    let pid = server.pid().expect("master pid");
    let dir = server.path().to_path_buf();
    assert!(server.running());
    drop(server);
    assert!(
        !support::dovecot::process_alive(pid),
        "dovecot still running"
    );
    assert!(!dir.exists(), "temp dir left behind");
}
