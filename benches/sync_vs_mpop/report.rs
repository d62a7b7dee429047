//! The three clients' series for a case, and the Markdown tables the benchmark prints.

use crate::client::{Client, Expect, Fsyncs};
use crate::measure::Series;

/// `12345` as `12,345`.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The three clients' series for one case.
#[derive(Default)]
pub struct Trio {
    discard: Series,
    mpop: Series,
    satchel: Series,
}

impl Trio {
    /// One run of each client; who goes first rotates with `run`, so drifting background
    /// load hits all alike.
    pub fn round(&mut self, c: &Client, run: usize, expect: Expect) {
        for turn in 0..3 {
            match (run + turn) % 3 {
                0 => self.discard.push(&c.discard(expect)),
                1 => self.mpop.push(&c.sync_mpop(expect)),
                _ => self.satchel.push(&c.sync_satchel(expect)),
            }
        }
    }
}

/// A measured row.
pub struct Outcome {
    pub name: String,
    pub expect: Expect,
    pub trio: Trio,
    pub fsyncs: Option<Fsyncs>,
}

impl Outcome {
    fn time_row(&self) -> String {
        let t = &self.trio;
        let (d, m, s) = (
            t.discard.median().as_secs_f64(),
            t.mpop.median().as_secs_f64(),
            t.satchel.median().as_secs_f64(),
        );
        format!(
            "| {} | {d:.3} s | {m:.3} s | {s:.3} s | {:.2}x | {:.2}x | {:.1} MB | {:.1} MB | {:.1} MB |",
            self.name,
            s / d,
            s / m,
            t.discard.rss_mb(),
            t.mpop.rss_mb(),
            t.satchel.rss_mb()
        )
    }

    fn fsync_row(&self) -> String {
        let per = |calls: u64| {
            if self.expect.new == 0 || calls == 0 {
                "–".to_owned()
            } else {
                format!("{:.1}", self.expect.new as f64 / calls as f64)
            }
        };
        let (commits, satchel, mpop) = self.fsyncs.map_or_else(
            || ("–".to_owned(), "–".to_owned(), "–".to_owned()),
            |f| {
                (
                    f.commits.to_string(),
                    f.satchel.to_string(),
                    f.mpop.to_string(),
                )
            },
        );
        let (satchel_per, mpop_per) =
            self.fsyncs.map_or(("–".to_owned(), "–".to_owned()), |f| {
                (per(f.satchel), per(f.mpop))
            });
        format!(
            "| {} | {} | {} | {commits} | {satchel} | {satchel_per} | {mpop} | {mpop_per} |",
            self.name,
            grouped(self.expect.new),
            self.trio.satchel.commits()
        )
    }

    pub fn report_progress(&self) {
        let t = &self.trio;
        eprintln!("{}", self.time_row());
        eprintln!(
            "  runs (s): discard [{}], mpop [{}], satchel [{}]",
            t.discard.spread(),
            t.mpop.spread(),
            t.satchel.spread()
        );
    }
}

pub fn print_tables(outcomes: &[Outcome]) {
    println!(
        "\n| case | discard client | mpop | satchel | satchel / discard | satchel / mpop | discard peak RSS | mpop peak RSS | satchel peak RSS |\n|---|---|---|---|---|---|---|---|---|"
    );
    for outcome in outcomes {
        println!("{}", outcome.time_row());
    }
    println!(
        "\nfsync + fdatasync calls (strace -f -c, one untimed run each; commits as `satchel sync --json` reports them):\n\n\
         | case | messages downloaded | satchel commits (timed runs) | satchel commits (strace run) | satchel fsyncs | messages per satchel fsync | mpop fsyncs | messages per mpop fsync |\n|---|---|---|---|---|---|---|---|"
    );
    for outcome in outcomes {
        println!("{}", outcome.fsync_row());
    }
}
