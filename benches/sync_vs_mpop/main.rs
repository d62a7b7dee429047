//! Side-by-side benchmark: `satchel sync` (download, parse, store in SQLite with
//! `synchronous=FULL` and group commit, index for search) against mpop (download into a
//! Maildir, fsync per message) and against a discard client (Satchel's own POP3 client,
//! pipelined RETR into a sink that drops the bytes: the wire's bound), on the same throwaway
//! Dovecot mailboxes over TLS on loopback, the three alternating runs in one process.
//!
//! Run with `benches/sync_vs_mpop.sh` (builds `satchel`, fetches the `SpamAssassin` corpus
//! into `target/satchel-bench/`, then runs this).
//! Cases: 2,000 generated realistic messages (the `benches/corpus` generator, capped at
//! 100 KiB each), 2,240 `SpamAssassin` ham messages (the public corpus, as it is), four large
//! ones (1, 5, 16, 32 MiB, mostly a base64 attachment), the 2,000 through a proxy adding 10 ms
//! each way (20 ms RTT), and a no-op re-sync of a big mailbox that every client has fully
//! synced (the discard client then only asks UIDL).
//! Every timed run starts from a fresh Satchel data dir / fresh Maildir and uidls file (except
//! the no-op, which re-syncs the synced state), keeps the mail on the server, and checks the
//! message count of every client. Wall time is measured here around each process; peak RSS
//! comes from `/usr/bin/time -v`. Each case ends with one untimed run of Satchel and of mpop
//! under `strace -f -c` that counts their fsync + fdatasync calls.
//!
//! Knobs (environment): `SYNC_BENCH_RUNS` (default 5), `SYNC_BENCH_NOOP_MESSAGES` (default
//! 20000; a comma list such as `20000,100000` runs one no-op case per size),
//! `SYNC_BENCH_SPAMASSASSIN` (the unpacked corpus package's `data` directory; the case is
//! skipped without it), `SATCHEL_BIN` (default `target/release/satchel`), and
//! `SYNC_BENCH_PERF_DIR`: when set, each case ends with one extra, untimed
//! `satchel sync` under `perf record --call-graph dwarf`,
//! written to `DIR/<case>.perf.data` (read it with `perf report -i`); `SYNC_BENCH_MASSIF_DIR`
//! likewise under `valgrind --tool=massif` into `DIR/<case>.massif` (read it with `ms_print`).
//! `SYNC_BENCH_ONLY=TEXT` runs only the cases whose name contains TEXT (`large`, `no-op`, …).

#![expect(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    reason = "benchmark driver (and the shared corpus generator): numbers printed rounded"
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
#[path = "../pop3_vs_mpop/proxy.rs"]
mod proxy;

mod client;
mod discard;
mod mailboxes;
mod measure;
mod report;

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use client::{Client, Expect, Profiler};
use dovecot::Dovecot;
use mailboxes::{Filled, HAM_COUNT, LARGE_SIZES_MB};
use mpop_setup::{MpopAccount, login_round_trip, write_mpoprc};
use report::{Outcome, Trio, grouped, print_tables};

const PASSWORD: &str = "bench-pw";
const SMALL_COUNT: usize = 2_000;
const PROXY_DELAY: Duration = Duration::from_millis(10);

/// What the environment asks for.
struct Settings {
    runs: usize,
    noop_counts: Vec<usize>,
    profilers: Vec<(Profiler, PathBuf)>,
    satchel_bin: String,
    ham_dir: Option<PathBuf>,
    only: String,
}

impl Settings {
    fn from_env() -> Settings {
        let runs = std::env::var("SYNC_BENCH_RUNS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(5_usize)
            .max(3);
        let noop_counts = std::env::var("SYNC_BENCH_NOOP_MESSAGES")
            .unwrap_or_else(|_| "20000".into())
            .split(',')
            .filter_map(|n| n.trim().parse().ok())
            .collect();
        let satchel_bin = std::env::var("SATCHEL_BIN").unwrap_or_else(|_| {
            let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
            format!("{target}/release/satchel")
        });
        assert!(
            Path::new(&satchel_bin).is_file(),
            "build it first: cargo build --release"
        );
        Settings {
            runs,
            noop_counts,
            profilers: [
                (Profiler::Perf, "SYNC_BENCH_PERF_DIR"),
                (Profiler::Massif, "SYNC_BENCH_MASSIF_DIR"),
            ]
            .into_iter()
            .filter_map(|(profiler, var)| Some((profiler, std::env::var_os(var)?.into())))
            .collect(),
            satchel_bin,
            ham_dir: std::env::var_os("SYNC_BENCH_SPAMASSASSIN").map(PathBuf::from),
            only: std::env::var("SYNC_BENCH_ONLY").unwrap_or_default(),
        }
    }
}

/// The mail a case syncs.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mailbox {
    Generated,
    Ham,
    Large,
    Noop(usize),
}

impl Mailbox {
    fn user(self) -> String {
        match self {
            Mailbox::Generated => "small".to_owned(),
            Mailbox::Ham => "ham".to_owned(),
            Mailbox::Large => "large".to_owned(),
            Mailbox::Noop(count) => format!("noop{count}"),
        }
    }

    /// Fills this mailbox on `server`; `None` when its mail is not to be had.
    fn fill(self, server: &Dovecot, settings: &Settings) -> Option<Filled> {
        let user = self.user();
        let (filled, what) = match self {
            Mailbox::Generated => (
                mailboxes::deliver_realistic(server, &user, SMALL_COUNT, 42),
                "generated realistic messages (<= 100 KiB)",
            ),
            Mailbox::Ham => (
                mailboxes::deliver_ham(server, &user, settings.ham_dir.as_deref()?)?,
                "SpamAssassin ham messages (easy_ham, LF, as published)",
            ),
            Mailbox::Large => (mailboxes::deliver_large(server, &user), "large messages"),
            Mailbox::Noop(count) => (
                mailboxes::deliver_realistic(server, &user, count, 4242),
                "generated realistic messages",
            ),
        };
        println!("{}", filled.describe(&user, what));
        Some(filled)
    }
}

/// One row of the report.
struct Case {
    name: String,
    mailbox: Mailbox,
    proxied: bool,
}

fn cases(settings: &Settings) -> Vec<Case> {
    let case = |name: String, mailbox, proxied| Case {
        name,
        mailbox,
        proxied,
    };
    let mut all = vec![
        case(
            format!(
                "{} generated realistic messages (loopback)",
                grouped(SMALL_COUNT)
            ),
            Mailbox::Generated,
            false,
        ),
        case(
            format!(
                "{} SpamAssassin ham messages (loopback)",
                grouped(HAM_COUNT)
            ),
            Mailbox::Ham,
            false,
        ),
        case(
            format!(
                "{} large messages {} MiB",
                LARGE_SIZES_MB.len(),
                LARGE_SIZES_MB.map(|mb| mb.to_string()).join("/")
            ),
            Mailbox::Large,
            false,
        ),
        case(
            format!(
                "{} generated realistic messages (20 ms RTT proxy: +10 ms each way)",
                grouped(SMALL_COUNT)
            ),
            Mailbox::Generated,
            true,
        ),
    ];
    for &count in &settings.noop_counts {
        let name = format!("no-op re-sync, {} messages already synced", grouped(count));
        all.push(case(name, Mailbox::Noop(count), false));
    }
    all.retain(|c| c.name.contains(&settings.only));
    all
}

/// The running server and what every case shares.
struct Bench {
    server: Dovecot,
    settings: Settings,
    work: tempfile::TempDir,
    proxy_port: u16,
}

impl Bench {
    fn client(&self, case: &Case) -> Client {
        let name = format!(
            "{}{}",
            case.mailbox.user(),
            if case.proxied { "-proxied" } else { "" }
        );
        let dir = self.work.path().join(name);
        fs::create_dir_all(&dir).expect("case dir");
        let rc = dir.join("mpoprc");
        let (maildir, uidls) = (dir.join("maildir"), dir.join("uidls"));
        let cert = self.server.path().join("cert.pem");
        let user = case.mailbox.user();
        let port = if case.proxied {
            self.proxy_port
        } else {
            self.server.pop3s_port
        };
        let account = MpopAccount {
            port,
            user: &user,
            password: PASSWORD,
            cert: &cert,
            maildir: &maildir,
            uidls: &uidls,
            only_new: true,
        };
        write_mpoprc(&rc, &account);
        Client {
            satchel: self.settings.satchel_bin.clone(),
            fingerprint: self.server.fingerprint.to_string(),
            user,
            port,
            dir,
            rc,
        }
    }

    /// One extra, untimed `satchel sync` under each profiler asked for; from a fresh data
    /// dir unless this is a no-op (whose synced state stays).
    fn profile(&self, c: &Client, expect: Expect) {
        for (profiler, dir) in &self.settings.profilers {
            if expect.new > 0 {
                c.fresh_satchel();
            }
            let name = c.dir.file_name().unwrap_or_default().to_string_lossy();
            c.profile_satchel(*profiler, dir, &name, expect);
        }
    }

    /// A first sync of the whole mailbox, `runs` times from fresh; then its fsyncs.
    fn first_sync(&self, case: &Case, total: usize) -> Outcome {
        let c = self.client(case);
        let expect = Expect { new: total, total };
        // Warm Dovecot's index and the page cache once, untimed.
        c.fresh_mpop();
        c.sync_mpop(expect);
        c.discard(expect);
        let mut trio = Trio::default();
        for run in 0..self.settings.runs {
            c.fresh();
            trio.round(&c, run, expect);
        }
        c.fresh();
        let fsyncs = c.count_fsyncs(expect);
        self.profile(&c, expect);
        let _ = fs::remove_dir_all(&c.dir);
        Outcome {
            name: case.name.clone(),
            expect,
            trio,
            fsyncs: Some(fsyncs),
        }
    }

    /// Every client syncs the mailbox once (reported as the setup, one run), then re-syncs
    /// it `runs` times; then the re-sync's fsyncs.
    fn noop(&self, case: &Case, total: usize) -> [Outcome; 2] {
        let c = self.client(case);
        c.fresh();
        let mut setup = Trio::default();
        setup.round(&c, 0, Expect { new: total, total });
        c.settle();
        let expect = Expect { new: 0, total };
        let mut trio = Trio::default();
        for run in 0..self.settings.runs {
            trio.round(&c, run, expect);
        }
        let fsyncs = c.count_fsyncs(expect);
        self.profile(&c, expect);
        let _ = fs::remove_dir_all(&c.dir);
        let setup_name = format!(
            "(setup for the no-op: first full sync of {}, one run)",
            grouped(total)
        );
        [
            Outcome {
                name: case.name.clone(),
                expect,
                trio,
                fsyncs: Some(fsyncs),
            },
            Outcome {
                name: setup_name,
                expect: Expect { new: total, total },
                trio: setup,
                fsyncs: None,
            },
        ]
    }

    /// Shows the proxy's added delay: connect + login + quit, best of three each way.
    fn proxy_check(&self) {
        let best = |port| {
            (0..3)
                .map(|_| login_round_trip(&self.server, "small", PASSWORD, port))
                .min()
                .unwrap_or_default()
        };
        println!(
            "proxy check: connect+login+quit takes {:.0} ms direct, {:.0} ms through the proxy",
            best(self.server.pop3s_port).as_secs_f64() * 1e3,
            best(self.proxy_port).as_secs_f64() * 1e3
        );
    }
}

fn main() {
    let args: Vec<OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|arg| arg == discard::FLAG) {
        discard::run(&args[2..]);
        return;
    }
    if args.iter().any(|arg| arg == "--list") {
        return;
    }
    let settings = Settings::from_env();
    let mut cases = cases(&settings);
    let mailboxes: BTreeSet<Mailbox> = cases.iter().map(|c| c.mailbox).collect();
    let users: Vec<String> = mailboxes.iter().map(|m| m.user()).collect();
    let logins: Vec<(&str, &str)> = users.iter().map(|u| (u.as_str(), PASSWORD)).collect();
    let server = Dovecot::start_or_skip(&logins).expect("the benchmark needs dovecot");
    let mut sizes = std::collections::BTreeMap::new();
    for mailbox in mailboxes {
        match mailbox.fill(&server, &settings) {
            Some(filled) => {
                sizes.insert(mailbox, filled.messages);
            }
            None => println!(
                "mailbox {}: skipped (set SYNC_BENCH_SPAMASSASSIN to the corpus's data directory; \
                 benches/sync_vs_mpop.sh fetches it)",
                mailbox.user()
            ),
        }
    }
    cases.retain(|c| sizes.contains_key(&c.mailbox));
    let target: std::net::SocketAddr = ([127, 0, 0, 1], server.pop3s_port).into();
    let proxy_port = proxy::spawn(target, PROXY_DELAY).expect("proxy");
    let bench = Bench {
        server,
        work: tempfile::tempdir().expect("work dir"),
        proxy_port,
        settings,
    };
    if cases.iter().any(|c| c.proxied) {
        bench.proxy_check();
    }
    println!(
        "satchel: parse + SQLite (synchronous=FULL, group commit) + FTS index; mpop: Maildir \
         (fsync per message); discard client: Satchel's POP3 client, pipelined RETR to nowhere \
         (UIDL only for a no-op); all keep mail on the server. {} runs each, rotating who goes \
         first, median wall, highest peak RSS",
        bench.settings.runs
    );
    let mut outcomes = Vec::new();
    for case in &cases {
        let total = sizes[&case.mailbox];
        let rows = if matches!(case.mailbox, Mailbox::Noop(_)) {
            bench.noop(case, total).into_iter().collect()
        } else {
            vec![bench.first_sync(case, total)]
        };
        for row in rows {
            row.report_progress();
            outcomes.push(row);
        }
    }
    print_tables(&outcomes);
}
