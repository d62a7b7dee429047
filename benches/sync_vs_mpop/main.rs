//! Side-by-side benchmark: `satchel sync` (download, parse, store in SQLite with
//! `synchronous=FULL`, index for search) against mpop (download into a Maildir),
//! on the same throwaway Dovecot mailboxes, alternating runs in one process.
//!
//! Run with `benches/sync_vs_mpop.sh` (builds `satchel`, then this).
//! Cases: 2,000 realistic messages (the `benches/corpus` generator, capped at
//! 100 KiB each), four large ones (1, 5, 16, 32 MiB, mostly a base64
//! attachment), the 2,000 through a proxy adding 10 ms each way, and a no-op
//! re-sync of a 20,000-message mailbox that both clients have fully synced.
//! Every timed run starts from a fresh Satchel data dir / fresh Maildir and
//! uidls file (except the no-op, which re-syncs the synced state), keeps the
//! mail on the server, and checks the message count on both sides.
//! Wall time is measured here around each process; peak RSS comes from
//! `/usr/bin/time -v`.
//!
//! Knobs (environment): `SYNC_BENCH_RUNS` (default 5), `SYNC_BENCH_NOOP_MESSAGES`
//! (default 20000), `SATCHEL_BIN` (default `target/release/satchel`), and
//! `SYNC_BENCH_PERF_DIR`: when set, each case ends with one extra, untimed
//! `satchel sync` from a fresh data dir under `perf record --call-graph dwarf`,
//! written to `DIR/<case>.perf.data` (read it with `perf report -i`).
//! `SYNC_BENCH_ONLY=TEXT` runs only the cases whose name contains TEXT (`large`, `no-op`, …).

#![expect(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::too_many_lines,
    reason = "benchmark driver: one linear script, numbers printed rounded"
)]

#[expect(
    dead_code,
    reason = "shared with the store and app benchmarks, which write Maildirs this one does not"
)]
#[path = "../corpus/mod.rs"]
mod corpus;
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
#[path = "../pop3_vs_mpop/proxy.rs"]
mod proxy;

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use dovecot::Dovecot;

const PASSWORD: &str = "bench-pw";
const SMALL_COUNT: usize = 2_000;
/// Realistic messages above this size are skipped (the corpus has a few 1–2 MB ones).
const SMALL_MAX_BYTES: usize = 100 * 1024;
const LARGE_SIZES_MB: [usize; 4] = [1, 5, 16, 32];
const PROXY_DELAY: Duration = Duration::from_millis(10);
/// Longest any single client run may take before it is killed and the bench fails.
const RUN_TIMEOUT: Duration = Duration::from_mins(20);

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `count` realistic messages of at most `SMALL_MAX_BYTES`, deterministic for `seed`.
fn realistic_messages(count: usize, seed: u64) -> Vec<Vec<u8>> {
    let vocab = corpus::vocabulary();
    let mut rng = corpus::Rng::new(seed);
    let mut out = Vec::with_capacity(count);
    let mut index = 0;
    while out.len() < count {
        let raw = corpus::message(index, count, &mut rng, &vocab);
        index += 1;
        if raw.len() <= SMALL_MAX_BYTES {
            out.push(raw);
        }
    }
    out
}

/// A message of about `size` bytes: a short text part and a base64 PDF attachment.
fn large_message(seq: usize, size: usize, rng: &mut corpus::Rng) -> Vec<u8> {
    let mut head = format!(
        "Return-Path: <sender{seq}@example.org>\r\nFrom: \"Sender {seq}\" <sender{seq}@example.org>\r\n\
         To: bench@example.com\r\nSubject: Scanned documents, part {seq}\r\n\
         Message-ID: <large{seq}.bench@example.org>\r\nDate: Thu, 26 Nov 2026 12:00:00 +0000\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"mix-b\"\r\n\r\n\
         --mix-b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Here are the scanned documents from the meeting. Please review the budget report.\r\n\r\n\
         --mix-b\r\nContent-Type: application/pdf; name=\"scan-{seq}.pdf\"\r\n\
         Content-Disposition: attachment; filename=\"scan-{seq}.pdf\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n"
    );
    let tail = "--mix-b--\r\n";
    // 76 base64 characters (57 bytes) plus CRLF per line.
    let lines = size.saturating_sub(head.len() + tail.len()) / 78;
    let data: Vec<u8> = (0..lines * 57).map(|_| rng.next() as u8).collect();
    let encoded = base64::engine::general_purpose::STANDARD.encode(&data);
    for line in encoded.as_bytes().chunks(76) {
        head.push_str(std::str::from_utf8(line).unwrap_or_default());
        head.push_str("\r\n");
    }
    head.push_str(tail);
    head.into_bytes()
}

struct Measurement {
    wall: Duration,
    max_rss_kb: u64,
    stdout: String,
}

/// Runs `cmd` under `/usr/bin/time -v` with `stdin` fed to it, killed after `RUN_TIMEOUT`;
/// panics on failure or timeout.
fn measure(cmd: &Command, stdin: &str, work: &Path, label: &str) -> Measurement {
    let time_file = work.join("time.txt");
    let out_file = work.join("stdout.txt");
    let err_file = work.join("stderr.txt");
    let mut timed = Command::new("/usr/bin/time");
    timed
        .arg("-v")
        .arg("-o")
        .arg(&time_file)
        .arg(cmd.get_program())
        .args(cmd.get_args())
        // Its own process group, so a timeout kills `time` and the client together.
        .process_group(0)
        .stdin(Stdio::piped())
        .stdout(fs::File::create(&out_file).expect("stdout file"))
        .stderr(fs::File::create(&err_file).expect("stderr file"));
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            timed.env(k, v);
        }
    }
    let started = Instant::now();
    let mut child = timed.spawn().expect("run /usr/bin/time");
    let pid = child.id();
    if let Some(mut input) = child.stdin.take() {
        input.write_all(stdin.as_bytes()).expect("write stdin");
    }
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait());
    });
    let Ok(status) = rx.recv_timeout(RUN_TIMEOUT) else {
        let _ = Command::new("kill")
            .arg("-KILL")
            .arg("--")
            .arg(format!("-{pid}"))
            .status();
        panic!("{label} took longer than {RUN_TIMEOUT:?}; killed");
    };
    let status = status.expect("wait for the client");
    let wall = started.elapsed();
    let stdout = fs::read_to_string(&out_file).unwrap_or_default();
    assert!(
        status.success(),
        "{label} failed: {stdout}{}",
        fs::read_to_string(&err_file).unwrap_or_default()
    );
    Measurement {
        wall,
        max_rss_kb: max_rss_kb(&fs::read_to_string(&time_file).unwrap_or_default()),
        stdout,
    }
}

/// One mailbox as both clients see it: a Satchel data dir and an mpop Maildir + uidls file.
struct Client<'a> {
    satchel: &'a str,
    fingerprint: String,
    user: &'static str,
    port: u16,
    dir: PathBuf,
    rc: PathBuf,
}

impl Client<'_> {
    fn data_dir(&self) -> PathBuf {
        self.dir.join("satchel-data")
    }

    fn maildir(&self) -> PathBuf {
        self.dir.join("maildir")
    }

    fn satchel(&self) -> Command {
        let mut cmd = Command::new(self.satchel);
        cmd.arg("--data-dir")
            .arg(self.data_dir())
            .env("SATCHEL_NO_KEYRING", "1");
        cmd
    }

    /// A fresh Satchel data dir with the account added (untimed).
    fn fresh_satchel(&self) {
        let _ = fs::remove_dir_all(self.data_dir());
        let mut add = self.satchel();
        add.args(["account", "add", "bench", "--host", "localhost", "--port"])
            .arg(self.port.to_string())
            .args(["--security", "tls", "--email", self.user, "--username"])
            .arg(self.user)
            .arg("--trust-fingerprint")
            .arg(&self.fingerprint)
            .arg("--password-stdin");
        measure(
            &add,
            &format!("{PASSWORD}\n"),
            &self.dir,
            "satchel account add",
        );
    }

    /// A fresh Maildir and no uidls file.
    fn fresh_mpop(&self) {
        fresh_maildir(&self.maildir());
        let _ = fs::remove_file(self.dir.join("uidls"));
    }

    /// Flushes dirty pages (e.g. from deleting the last run's files) so no run pays for them.
    fn settle(&self) {
        measure(&Command::new("sync"), "", &self.dir, "sync");
    }

    /// One timed `satchel sync --json`; checks it stored `expected` new messages.
    fn sync_satchel(&self, expected: u64) -> Measurement {
        let mut cmd = self.satchel();
        cmd.args(["sync", "--json"]);
        self.check_satchel(&cmd, expected)
    }

    /// An untimed `satchel sync` under `perf record` into `perf_dir/<name>.perf.data`.
    fn profile_satchel(&self, perf_dir: &Path, name: &str, expected: u64) {
        let data = perf_dir.join(format!("{name}.perf.data"));
        let mut cmd = Command::new("perf");
        cmd.args([
            "record",
            "-q",
            "-F",
            "999",
            "--call-graph",
            "dwarf,32768",
            "-o",
        ])
        .arg(&data)
        .arg("--")
        .arg(self.satchel)
        .arg("--data-dir")
        .arg(self.data_dir())
        .args(["sync", "--json"])
        .env("SATCHEL_NO_KEYRING", "1");
        self.check_satchel(&cmd, expected);
        eprintln!("  profile: perf report -i {}", data.display());
    }

    fn check_satchel(&self, cmd: &Command, expected: u64) -> Measurement {
        let m = measure(cmd, "", &self.dir, "satchel sync");
        let result: serde_json::Value =
            serde_json::from_str(m.stdout.trim()).expect("satchel sync --json output");
        assert_eq!(result["ok"], true, "satchel sync: {}", m.stdout);
        assert_eq!(
            result["new"].as_u64(),
            Some(expected),
            "satchel stored every message: {}",
            m.stdout
        );
        m
    }

    /// One timed mpop run; checks the Maildir then holds `total` messages.
    fn sync_mpop(&self, total: usize) -> Measurement {
        let mut cmd = Command::new("mpop");
        cmd.arg("-q")
            .arg(format!("--file={}", self.rc.display()))
            .arg("bench");
        let m = measure(&cmd, "", &self.dir, "mpop");
        assert_eq!(count_files(&self.maildir()), total, "mpop delivered all");
        m
    }
}

/// Median wall and highest peak RSS of a series of runs.
#[derive(Default)]
struct Series {
    walls: Vec<Duration>,
    max_rss_kb: u64,
}

impl Series {
    fn push(&mut self, m: &Measurement) {
        self.walls.push(m.wall);
        self.max_rss_kb = self.max_rss_kb.max(m.max_rss_kb);
    }

    fn median(&self) -> Duration {
        let mut walls = self.walls.clone();
        walls.sort();
        walls[walls.len() / 2]
    }

    fn spread(&self) -> String {
        let mut walls = self.walls.clone();
        walls.sort();
        let mut text = String::new();
        for (i, w) in walls.iter().enumerate() {
            let _ = write!(
                text,
                "{}{:.3}",
                if i > 0 { " " } else { "" },
                w.as_secs_f64()
            );
        }
        text
    }
}

fn row(name: &str, theirs: &Series, ours: &Series) {
    let (t, o) = (theirs.median(), ours.median());
    println!(
        "| {name} | {:.3} s | {:.3} s | {:.2}x | {:.1} MB | {:.1} MB |",
        t.as_secs_f64(),
        o.as_secs_f64(),
        o.as_secs_f64() / t.as_secs_f64(),
        theirs.max_rss_kb as f64 / 1024.0,
        ours.max_rss_kb as f64 / 1024.0
    );
    eprintln!(
        "  {name}: mpop runs [{}] s, satchel runs [{}] s",
        theirs.spread(),
        ours.spread()
    );
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runs = env_usize("SYNC_BENCH_RUNS", 5).max(3);
    let noop_count = env_usize("SYNC_BENCH_NOOP_MESSAGES", 20_000);
    let perf_dir = std::env::var_os("SYNC_BENCH_PERF_DIR").map(PathBuf::from);
    let satchel_bin = std::env::var("SATCHEL_BIN").unwrap_or_else(|_| {
        let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
        format!("{target}/release/satchel")
    });
    assert!(
        Path::new(&satchel_bin).is_file(),
        "build it first: cargo build --release"
    );
    let server =
        Dovecot::start_or_skip(&[("small", PASSWORD), ("large", PASSWORD), ("many", PASSWORD)])
            .expect("the benchmark needs dovecot");

    let generated = Instant::now();
    let small = realistic_messages(SMALL_COUNT, 42);
    let small_bytes: usize = small.iter().map(Vec::len).sum();
    for (seq, msg) in small.iter().enumerate() {
        server.deliver("small", &format!("{seq:06}.bench"), msg);
    }
    drop(small);
    let mut rng = corpus::Rng::new(0x5eed_1234_abcd_0001);
    for (i, mb) in LARGE_SIZES_MB.iter().enumerate() {
        let msg = large_message(i, mb * 1024 * 1024, &mut rng);
        server.deliver("large", &format!("{i:06}.bench"), &msg);
    }
    let many = realistic_messages(noop_count, 4242);
    let many_bytes: usize = many.iter().map(Vec::len).sum();
    for (seq, msg) in many.iter().enumerate() {
        server.deliver("many", &format!("{seq:06}.bench"), msg);
    }
    drop(many);
    eprintln!("mailboxes generated in {:.1?}", generated.elapsed());

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
    println!(
        "mailboxes: small = {SMALL_COUNT} realistic messages (<= 100 KiB), {:.1} MB; \
         large = {LARGE_SIZES_MB:?} MiB; many = {noop_count} realistic messages, {:.1} MB. \
         satchel: parse + SQLite (synchronous=FULL, one transaction per message) + FTS index; \
         mpop: Maildir (fsync per message); both keep mail on the server. \
         {runs} runs each, alternating, median wall, highest peak RSS",
        small_bytes as f64 / 1e6,
        many_bytes as f64 / 1e6
    );

    let work = tempfile::tempdir().expect("work dir");
    let cert = server.path().join("cert.pem");
    let fingerprint = server.fingerprint.to_string();
    let client = |name: &str, user: &'static str, port: u16| {
        let dir = work.path().join(name);
        fs::create_dir_all(&dir).expect("case dir");
        let rc = dir.join("mpoprc");
        let (maildir, uidls) = (dir.join("maildir"), dir.join("uidls"));
        let account = MpopAccount {
            port,
            user,
            password: PASSWORD,
            cert: &cert,
            maildir: &maildir,
            uidls: &uidls,
            only_new: true,
        };
        write_mpoprc(&rc, &account);
        Client {
            satchel: &satchel_bin,
            fingerprint: fingerprint.clone(),
            user,
            port,
            dir,
            rc,
        }
    };

    println!(
        "\n| case | mpop wall | satchel wall | ratio satchel/mpop | mpop peak RSS | satchel peak RSS |\n|---|---|---|---|---|---|"
    );
    let cases = [
        (
            format!("{SMALL_COUNT} realistic messages (loopback)"),
            client("small", "small", server.pop3s_port),
            SMALL_COUNT,
        ),
        (
            "four large messages 1/5/16/32 MiB".to_owned(),
            client("large", "large", server.pop3s_port),
            LARGE_SIZES_MB.len(),
        ),
        (
            format!("{SMALL_COUNT} realistic messages (+10 ms each way)"),
            client("proxied", "small", proxy_port),
            SMALL_COUNT,
        ),
    ];
    let only = std::env::var("SYNC_BENCH_ONLY").unwrap_or_default();
    for (name, c, expected) in &cases {
        if !name.contains(&only) {
            continue;
        }
        // Warm Dovecot's index and the page cache once, untimed.
        c.fresh_mpop();
        c.sync_mpop(*expected);
        let (mut theirs, mut ours) = (Series::default(), Series::default());
        for run in 0..runs {
            c.fresh_mpop();
            c.fresh_satchel();
            c.settle();
            // Alternate who goes first, so drifting background load hits both alike.
            if run % 2 == 0 {
                theirs.push(&c.sync_mpop(*expected));
                ours.push(&c.sync_satchel(*expected as u64));
            } else {
                ours.push(&c.sync_satchel(*expected as u64));
                theirs.push(&c.sync_mpop(*expected));
            }
        }
        row(name, &theirs, &ours);
        if let Some(dir) = &perf_dir {
            c.fresh_satchel();
            c.profile_satchel(
                dir,
                &c.dir.file_name().unwrap_or_default().to_string_lossy(),
                *expected as u64,
            );
        }
        let _ = fs::remove_dir_all(&c.dir);
    }

    if !"no-op".contains(&only) {
        return;
    }
    // No-op: both sync the big mailbox once (reported, one run), then re-sync it `runs` times.
    let c = client("many", "many", server.pop3s_port);
    c.fresh_mpop();
    c.fresh_satchel();
    c.settle();
    let (mut first_theirs, mut first_ours) = (Series::default(), Series::default());
    first_theirs.push(&c.sync_mpop(noop_count));
    first_ours.push(&c.sync_satchel(noop_count as u64));
    c.settle();
    let (mut theirs, mut ours) = (Series::default(), Series::default());
    for run in 0..runs {
        if run % 2 == 0 {
            theirs.push(&c.sync_mpop(noop_count));
            ours.push(&c.sync_satchel(0));
        } else {
            ours.push(&c.sync_satchel(0));
            theirs.push(&c.sync_mpop(noop_count));
        }
    }
    row(
        &format!("no-op re-sync, {noop_count} messages already synced"),
        &theirs,
        &ours,
    );
    row(
        &format!("(setup for the no-op: first full sync of {noop_count}, one run)"),
        &first_theirs,
        &first_ours,
    );
    if let Some(dir) = &perf_dir {
        // The synced state stays: this profiles one more no-op re-sync.
        c.profile_satchel(dir, "noop", 0);
    }
}
