//! Running one client process: wall time around it, peak RSS from `/usr/bin/time -v`, and
//! (untimed) its fsync count from `strace -c`.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::os::unix::process::CommandExt as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::mpop_setup::max_rss_kb;

/// Longest any single client run may take before it is killed and the bench fails.
const RUN_TIMEOUT: Duration = Duration::from_mins(30);

/// One client run.
pub struct Measurement {
    pub wall: Duration,
    pub max_rss_kb: u64,
    pub stdout: String,
    /// Store commits, as `satchel sync --json` reports them.
    pub commits: Option<u64>,
}

/// `cmd` with its program and arguments after `wrapper` (e.g. `strace … --`), environment kept.
pub fn wrapped(wrapper: &[&str], cmd: &Command) -> Command {
    let mut outer = Command::new(wrapper[0]);
    outer
        .args(&wrapper[1..])
        .arg(cmd.get_program())
        .args(cmd.get_args());
    for (k, v) in cmd.get_envs() {
        if let Some(v) = v {
            outer.env(k, v);
        }
    }
    outer
}

/// Runs `cmd` under `/usr/bin/time -v` with `stdin` fed to it, killed after `RUN_TIMEOUT`;
/// panics on failure or timeout.
pub fn measure(cmd: &Command, stdin: &str, work: &Path, label: &str) -> Measurement {
    let time_file = work.join("time.txt");
    let out_file = work.join("stdout.txt");
    let err_file = work.join("stderr.txt");
    let time_file_arg = time_file.to_string_lossy().into_owned();
    let mut timed = wrapped(&["/usr/bin/time", "-v", "-o", &time_file_arg], cmd);
    // Its own process group, so a timeout kills `time` and the client together.
    timed
        .process_group(0)
        .stdin(Stdio::piped())
        .stdout(fs::File::create(&out_file).expect("stdout file"))
        .stderr(fs::File::create(&err_file).expect("stderr file"));
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
        commits: None,
    }
}

/// The `strace` prefix that counts fsync and fdatasync calls of a process and its children
/// into `summary` (seccomp filtering, so other system calls run at full speed).
pub fn strace_prefix(summary: &Path) -> Vec<String> {
    [
        "strace",
        "-f",
        "--seccomp-bpf",
        "-c",
        "-e",
        "trace=fsync,fdatasync",
        "-o",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .chain([summary.to_string_lossy().into_owned(), "--".to_owned()])
    .collect()
}

/// fsync + fdatasync calls in an `strace -c` summary.
pub fn fsync_calls(summary: &str) -> u64 {
    summary
        .lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            match fields.last() {
                Some(&("fsync" | "fdatasync")) => fields.get(3)?.parse::<u64>().ok(),
                _ => None,
            }
        })
        .sum()
}

/// Median wall, highest peak RSS and the commits of a series of runs of one client.
#[derive(Default)]
pub struct Series {
    walls: Vec<Duration>,
    pub max_rss_kb: u64,
    commits: Vec<u64>,
}

impl Series {
    pub fn push(&mut self, m: &Measurement) {
        self.walls.push(m.wall);
        self.max_rss_kb = self.max_rss_kb.max(m.max_rss_kb);
        self.commits.extend(m.commits);
    }

    pub fn median(&self) -> Duration {
        let mut walls = self.walls.clone();
        walls.sort();
        walls[walls.len() / 2]
    }

    pub fn rss_mb(&self) -> f64 {
        self.max_rss_kb as f64 / 1024.0
    }

    /// The runs' commit counts: `n` or `low–high`.
    pub fn commits(&self) -> String {
        let (Some(low), Some(high)) = (self.commits.iter().min(), self.commits.iter().max()) else {
            return "–".to_owned();
        };
        if low == high {
            low.to_string()
        } else {
            format!("{low}–{high}")
        }
    }

    pub fn spread(&self) -> String {
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
