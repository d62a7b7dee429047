//! Side-by-side benchmark: Satchel's POP3 client (`examples/pop3_fetch`)
//! against mpop, fetching the same Dovecot mailbox into a Maildir.
//!
//! Run with `benches/pop3_vs_mpop.sh` (builds the example, then this).
//! Cases: 2,000+ small messages, four large ones (1, 5, 16, 32 MB), and the
//! small set through a proxy adding 10 ms each way. Wall time is measured
//! here around each process; peak RSS comes from `/usr/bin/time -v`.

#![expect(
    clippy::cast_precision_loss,
    clippy::too_many_lines,
    clippy::items_after_statements,
    clippy::needless_pass_by_value,
    clippy::redundant_closure_for_method_calls,
    reason = "benchmark driver: one linear script, numbers printed rounded"
)]

#[expect(
    dead_code,
    reason = "shared with the integration tests, which use parts this bench does not"
)]
#[path = "../../tests/support/dovecot.rs"]
mod dovecot;
#[path = "../shared/mpop_setup.rs"]
mod mpop_setup;

use mpop_setup::{
    MpopAccount, count_files, fresh_maildir, login_round_trip, max_rss_kb, write_mpoprc,
};
mod proxy;

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dovecot::Dovecot;

const PASSWORD: &str = "bench-pw";
const SMALL_COUNT: usize = 2_000;
const LARGE_SIZES_MB: [usize; 4] = [1, 5, 16, 32];
const RUNS: usize = 5;
const PROXY_DELAY: Duration = Duration::from_millis(10);

/// Deterministic pseudo-random numbers (xorshift), so every run sees the same mailbox.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A plausible text message of about `size` bytes, CRLF, with dot-led lines.
fn message(seq: usize, size: usize, rng: &mut Rng) -> Vec<u8> {
    let mut out = format!(
        "Return-Path: <sender{seq}@example.org>\r\nFrom: Sender {seq} <sender{seq}@example.org>\r\n\
         To: bench@example.com\r\nSubject: Benchmark message {seq}\r\n\
         Message-ID: <{seq}.bench@example.org>\r\nDate: Thu, 26 Nov 2026 12:00:00 +0000\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    )
    .into_bytes();
    const WORDS: [&str; 8] = [
        "lorem", "ipsum", "dolor", "sit", "amet", "mail", "größe", ".",
    ];
    while out.len() < size {
        let mut line = String::new();
        while line.len() < 70 {
            line.push_str(WORDS[(rng.next() % 8) as usize]);
            line.push(' ');
        }
        line.push_str("\r\n");
        out.extend_from_slice(line.as_bytes());
    }
    out
}

/// Sizes skewed like a real inbox: most 2-10 KB, some to 40 KB, a few to 100 KB.
fn small_size(rng: &mut Rng) -> usize {
    match rng.next() % 10 {
        0..=5 => 2_000 + (rng.next() % 8_000) as usize,
        6..=8 => 10_000 + (rng.next() % 30_000) as usize,
        _ => 40_000 + (rng.next() % 60_000) as usize,
    }
}

struct Measurement {
    wall: Duration,
    max_rss_kb: u64,
}

/// Runs `cmd` under `/usr/bin/time -v`; panics on failure.
fn measure(cmd: Command, work: &Path, label: &str) -> Measurement {
    let time_file = work.join("time.txt");
    let program = cmd.get_program().to_owned();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
    let mut timed = Command::new("/usr/bin/time");
    timed
        .arg("-v")
        .arg("-o")
        .arg(&time_file)
        .arg(program)
        .args(args);
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            timed.env(k, v);
        }
    }
    let started = Instant::now();
    let out = timed
        .stdin(Stdio::null())
        .output()
        .expect("run /usr/bin/time");
    let wall = started.elapsed();
    assert!(
        out.status.success(),
        "{label} failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = fs::read_to_string(&time_file).unwrap_or_default();
    Measurement {
        wall,
        max_rss_kb: max_rss_kb(&text),
    }
}

struct Case {
    name: String,
    user: &'static str,
    port: u16,
    expected: usize,
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let ours_bin = std::env::var("POP3_FETCH_BIN").unwrap_or_else(|_| {
        let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
        format!("{target}/release/examples/pop3_fetch")
    });
    assert!(
        Path::new(&ours_bin).is_file(),
        "build it first: cargo build --release --example pop3_fetch"
    );
    let server = Dovecot::start_or_skip(&[("small", PASSWORD), ("large", PASSWORD)])
        .expect("the benchmark needs dovecot");
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut small_bytes = 0;
    for seq in 0..SMALL_COUNT {
        let msg = message(seq, small_size(&mut rng), &mut rng);
        small_bytes += msg.len();
        server.deliver("small", &format!("{seq:06}.bench"), &msg);
    }
    for (i, mb) in LARGE_SIZES_MB.iter().enumerate() {
        let msg = message(i, mb * 1024 * 1024, &mut rng);
        server.deliver("large", &format!("{i:06}.bench"), &msg);
    }
    let target: std::net::SocketAddr = ([127, 0, 0, 1], server.pop3s_port).into();
    let proxy_port = proxy::spawn(target, PROXY_DELAY).expect("proxy");
    // Best of three each, so one-time costs (root store load, cold caches) do not count.
    let best = |port| {
        (0..3)
            .map(|_| login_round_trip(&server, "large", PASSWORD, port))
            .min()
    };
    let direct = best(server.pop3s_port).unwrap_or_default();
    let delayed = best(proxy_port).unwrap_or_default();
    println!(
        "proxy check: connect+login+quit takes {:.0} ms direct, {:.0} ms through the proxy",
        direct.as_secs_f64() * 1e3,
        delayed.as_secs_f64() * 1e3
    );
    let work = tempfile::tempdir().expect("work dir");
    let cert = server.path().join("cert.pem");
    let fingerprint = server.fingerprint.to_string();
    println!(
        "mailboxes: small = {SMALL_COUNT} messages, {:.1} MB; large = {LARGE_SIZES_MB:?} MB; \
         delivery = Maildir (tmp/ + fsync + move to new/) for both; {RUNS} runs each, median wall, max RSS",
        small_bytes as f64 / 1e6
    );
    let cases = [
        Case {
            name: "small x2000 (loopback)".into(),
            user: "small",
            port: server.pop3s_port,
            expected: SMALL_COUNT,
        },
        Case {
            name: "large 1/5/16/32 MB".into(),
            user: "large",
            port: server.pop3s_port,
            expected: LARGE_SIZES_MB.len(),
        },
        Case {
            name: "small x2000 (+10 ms each way)".into(),
            user: "small",
            port: proxy_port,
            expected: SMALL_COUNT,
        },
    ];
    println!(
        "| case | mpop wall | satchel wall | ratio | mpop peak RSS | satchel peak RSS |\n|---|---|---|---|---|---|"
    );
    for case in &cases {
        let maildir = work.path().join("maildir");
        let rc = work
            .path()
            .join(format!("mpoprc-{}-{}", case.user, case.port));
        let uidls = work.path().join("uidls");
        let account = MpopAccount {
            port: case.port,
            user: case.user,
            password: PASSWORD,
            cert: &cert,
            maildir: &maildir,
            uidls: &uidls,
            only_new: false,
        };
        write_mpoprc(&rc, &account);
        let ours = || {
            let mut cmd = Command::new(&ours_bin);
            cmd.args([
                "--host",
                "localhost",
                "--user",
                case.user,
                "--fingerprint",
                &fingerprint,
            ])
            .arg("--port")
            .arg(case.port.to_string())
            .arg("--maildir")
            .arg(&maildir)
            .env("POP3_PASSWORD", PASSWORD);
            cmd
        };
        let mpop = || {
            let mut cmd = Command::new("mpop");
            cmd.arg("-q")
                .arg(format!("--file={}", rc.display()))
                .arg("bench");
            cmd
        };
        // Warm Dovecot's index and the page cache once, untimed.
        fresh_maildir(&maildir);
        measure(ours(), work.path(), "warm-up");
        let mut theirs_walls = Vec::new();
        let mut ours_walls = Vec::new();
        let (mut theirs_rss, mut ours_rss) = (0, 0);
        for _ in 0..RUNS {
            fresh_maildir(&maildir);
            let _ = fs::remove_file(work.path().join("uidls"));
            let m = measure(mpop(), work.path(), "mpop");
            assert_eq!(count_files(&maildir), case.expected, "mpop delivered all");
            theirs_walls.push(m.wall);
            theirs_rss = theirs_rss.max(m.max_rss_kb);
            fresh_maildir(&maildir);
            let m = measure(ours(), work.path(), "pop3_fetch");
            assert_eq!(
                count_files(&maildir),
                case.expected,
                "satchel delivered all"
            );
            ours_walls.push(m.wall);
            ours_rss = ours_rss.max(m.max_rss_kb);
        }
        theirs_walls.sort();
        ours_walls.sort();
        let (t, o) = (theirs_walls[RUNS / 2], ours_walls[RUNS / 2]);
        println!(
            "| {} | {:.3} s | {:.3} s | {:.2}x | {:.1} MB | {:.1} MB |",
            case.name,
            t.as_secs_f64(),
            o.as_secs_f64(),
            o.as_secs_f64() / t.as_secs_f64(),
            theirs_rss as f64 / 1024.0,
            ours_rss as f64 / 1024.0
        );
    }
}
