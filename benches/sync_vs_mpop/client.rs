//! One mailbox as the three clients see it: a Satchel data dir, an mpop Maildir + uidls file,
//! and the discard client; each run checked for the number of messages it got.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::PASSWORD;
use crate::discard::{self, Work};
use crate::measure::{Measurement, fsync_calls, measure, strace_prefix, wrapped};
use crate::mpop_setup::{count_files, fresh_maildir};

/// What a run must find: `new` messages to download, `total` on the server.
#[derive(Clone, Copy)]
pub struct Expect {
    pub new: usize,
    pub total: usize,
}

/// fsync + fdatasync calls of one untimed run of each client, and Satchel's commits in it.
#[derive(Default, Clone, Copy)]
pub struct Fsyncs {
    pub satchel: u64,
    pub commits: u64,
    pub mpop: u64,
}

/// A profiler for one extra, untimed `satchel sync` at the end of a case.
#[derive(Clone, Copy)]
pub enum Profiler {
    /// `perf record --call-graph dwarf`: where the time goes.
    Perf,
    /// `valgrind --tool=massif`: what holds the heap at its peak.
    Massif,
}

impl Profiler {
    fn file(self, case: &str) -> String {
        match self {
            Profiler::Perf => format!("{case}.perf.data"),
            Profiler::Massif => format!("{case}.massif"),
        }
    }

    fn prefix(self, out: &str) -> Vec<String> {
        let args: &[&str] = match self {
            Profiler::Perf => &["perf", "record", "-q", "-F", "999", "--call-graph"],
            Profiler::Massif => &["valgrind", "-q", "--tool=massif", "--depth=40"],
        };
        let tail = match self {
            Profiler::Perf => vec!["dwarf,32768".to_owned(), "-o".to_owned(), out.to_owned()],
            Profiler::Massif => vec![format!("--massif-out-file={out}")],
        };
        args.iter()
            .map(|arg| (*arg).to_owned())
            .chain(tail)
            .chain(["--".to_owned()])
            .collect()
    }

    fn reader(self, out: &str) -> String {
        match self {
            Profiler::Perf => format!("perf report -i {out}"),
            Profiler::Massif => format!("ms_print {out}"),
        }
    }
}

pub struct Client {
    pub satchel: String,
    pub fingerprint: String,
    pub user: String,
    pub port: u16,
    pub dir: PathBuf,
    pub rc: PathBuf,
}

impl Client {
    fn data_dir(&self) -> PathBuf {
        self.dir.join("satchel-data")
    }

    fn maildir(&self) -> PathBuf {
        self.dir.join("maildir")
    }

    fn satchel(&self) -> Command {
        let mut cmd = Command::new(&self.satchel);
        cmd.arg("--data-dir")
            .arg(self.data_dir())
            .env("SATCHEL_NO_KEYRING", "1");
        cmd
    }

    /// A fresh Satchel data dir with the account added (untimed).
    pub fn fresh_satchel(&self) {
        let _ = fs::remove_dir_all(self.data_dir());
        let mut add = self.satchel();
        add.args(["account", "add", "bench", "--host", "localhost", "--port"])
            .arg(self.port.to_string())
            .args(["--security", "tls", "--email", &self.user, "--username"])
            .arg(&self.user)
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
    pub fn fresh_mpop(&self) {
        fresh_maildir(&self.maildir());
        let _ = fs::remove_file(self.dir.join("uidls"));
    }

    /// Both fresh, and dirty pages (e.g. from deleting the last run's files) flushed so no run
    /// pays for them.
    pub fn fresh(&self) {
        self.fresh_mpop();
        self.fresh_satchel();
        self.settle();
    }

    /// Flushes dirty pages.
    pub fn settle(&self) {
        measure(&Command::new("sync"), "", &self.dir, "sync");
    }

    fn satchel_sync(&self) -> Command {
        let mut cmd = self.satchel();
        cmd.args(["sync", "--json"]);
        cmd
    }

    /// One timed `satchel sync --json`; checks it stored `expect.new` new messages.
    pub fn sync_satchel(&self, expect: Expect) -> Measurement {
        self.check_satchel(&self.satchel_sync(), expect)
    }

    /// One untimed `satchel sync` under `profiler`, written into `dir`.
    pub fn profile_satchel(&self, profiler: Profiler, dir: &Path, name: &str, expect: Expect) {
        let out = dir.join(profiler.file(name));
        let out = out.to_string_lossy();
        let prefix = profiler.prefix(&out);
        let prefix: Vec<&str> = prefix.iter().map(String::as_str).collect();
        self.check_satchel(&wrapped(&prefix, &self.satchel_sync()), expect);
        eprintln!("  profile: {}", profiler.reader(&out));
    }

    fn check_satchel(&self, cmd: &Command, expect: Expect) -> Measurement {
        let mut m = measure(cmd, "", &self.dir, "satchel sync");
        let result: serde_json::Value =
            serde_json::from_str(m.stdout.trim()).expect("satchel sync --json output");
        assert_eq!(result["ok"], true, "satchel sync: {}", m.stdout);
        assert_eq!(
            result["new"].as_u64(),
            Some(expect.new as u64),
            "satchel stored every message: {}",
            m.stdout
        );
        m.commits = result["commits"].as_u64();
        m
    }

    fn mpop(&self) -> Command {
        let mut cmd = Command::new("mpop");
        cmd.arg("-q")
            .arg(format!("--file={}", self.rc.display()))
            .arg("bench");
        cmd
    }

    /// One timed mpop run; checks the Maildir then holds `expect.total` messages.
    pub fn sync_mpop(&self, expect: Expect) -> Measurement {
        self.check_mpop(&self.mpop(), expect)
    }

    fn check_mpop(&self, cmd: &Command, expect: Expect) -> Measurement {
        let m = measure(cmd, "", &self.dir, "mpop");
        assert_eq!(
            count_files(&self.maildir()),
            expect.total,
            "mpop delivered all"
        );
        m
    }

    /// One timed discard-client run: fetches the `expect.new` messages, or (for a no-op) only
    /// lists their UIDLs.
    pub fn discard(&self, expect: Expect) -> Measurement {
        let work = if expect.new == 0 {
            Work::UidlOnly
        } else {
            Work::FetchAll
        };
        let cmd = discard::command("localhost", self.port, &self.user, &self.fingerprint, work);
        let m = measure(&cmd, &format!("{PASSWORD}\n"), &self.dir, "discard client");
        let fetched: Option<usize> = m
            .stdout
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok());
        assert_eq!(fetched, Some(expect.new), "discard client: {}", m.stdout);
        m
    }

    /// One untimed run of Satchel and of mpop under `strace -c`, from the state they are in
    /// (fresh for a first sync, synced for a no-op).
    pub fn count_fsyncs(&self, expect: Expect) -> Fsyncs {
        let summary = self.dir.join("strace.txt");
        let prefix = strace_prefix(&summary);
        let prefix: Vec<&str> = prefix.iter().map(String::as_str).collect();
        let m = self.check_satchel(&wrapped(&prefix, &self.satchel_sync()), expect);
        let satchel = fsync_calls(&fs::read_to_string(&summary).unwrap_or_default());
        self.check_mpop(&wrapped(&prefix, &self.mpop()), expect);
        let mpop = fsync_calls(&fs::read_to_string(&summary).unwrap_or_default());
        Fsyncs {
            satchel,
            commits: m.commits.unwrap_or(0),
            mpop,
        }
    }
}
