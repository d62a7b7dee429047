//! The discard client: the bound each sync figure is set against. Satchel's own POP3 client
//! logs in over TLS (certificate pinned), LISTs, RETRs every message pipelined into a sink that
//! drops the bytes, and QUITs; nothing is parsed or stored. For a no-op re-sync it only asks
//! UIDL, the least a client must do to find that nothing is new.
//!
//! It runs as its own process (this bench binary, re-executed with [`FLAG`]), so it is timed
//! like the other clients: `--discard-client HOST PORT USER FINGERPRINT all|uidl`, the
//! password on stdin; prints `MESSAGES BYTES` fetched.

use std::ffi::OsString;
use std::io::BufRead as _;
use std::process::Command;

use satchel::pop3::{
    ConnectOptions, Credentials, DiscardSink, FetchRequest, Fingerprint, Security, Session,
};

/// The hidden argument that turns this bench binary into the discard client.
pub const FLAG: &str = "--discard-client";

/// What the discard client does once logged in.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// LIST, then RETR every message into a sink that drops it.
    FetchAll,
    /// UIDL only (the bound for a no-op re-sync).
    UidlOnly,
}

/// The command that runs the discard client against `host:port` as `user`.
pub fn command(host: &str, port: u16, user: &str, fingerprint: &str, work: Work) -> Command {
    let exe = std::env::current_exe().expect("this bench binary's path");
    let mut cmd = Command::new(exe);
    cmd.arg(FLAG)
        .arg(host)
        .arg(port.to_string())
        .arg(user)
        .arg(fingerprint)
        .arg(match work {
            Work::FetchAll => "all",
            Work::UidlOnly => "uidl",
        });
    cmd
}

/// Runs the discard client with `args` (what follows [`FLAG`]); panics on any failure.
pub fn run(args: &[OsString]) {
    let text: Vec<String> = args
        .iter()
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    let [host, port, user, fingerprint, work] = text.as_slice() else {
        panic!("usage: {FLAG} HOST PORT USER FINGERPRINT all|uidl (password on stdin)");
    };
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .expect("password on stdin");
    let mut opts = ConnectOptions::new(
        host.as_str(),
        Credentials::password(user.as_str(), password.trim_end_matches(['\r', '\n'])),
    );
    opts.security = Security::ImplicitTls;
    opts.port = port.parse().expect("port");
    opts.pinned_certificate = Some(fingerprint.parse::<Fingerprint>().expect("fingerprint"));
    let work = if work == "uidl" {
        Work::UidlOnly
    } else {
        Work::FetchAll
    };
    // One thread, as `satchel sync` runs its session.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let sink = runtime.block_on(session(&opts, work));
    println!("{} {}", sink.messages, sink.bytes);
}

async fn session(opts: &ConnectOptions, work: Work) -> DiscardSink {
    let mut session = Session::connect(opts).await.expect("connect and log in");
    let mut sink = DiscardSink::default();
    match work {
        Work::FetchAll => {
            let requests: Vec<FetchRequest> = session
                .list()
                .await
                .expect("LIST")
                .into_iter()
                .map(|(number, size)| FetchRequest { number, size })
                .collect();
            let report = session.fetch(&requests, &mut sink).await.expect("RETR");
            assert!(report.refused.is_empty(), "refused: {:?}", report.refused);
        }
        Work::UidlOnly => {
            session.uidl().await.expect("UIDL");
        }
    }
    session.quit().await.expect("QUIT");
    sink
}
