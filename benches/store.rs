//! Store benchmark: import a realistic 100,000-message Maildir, then time searches.
//!
//! Run with `cargo bench --bench store` (set `SATCHEL_BENCH_MESSAGES` for another size).
//! The corpus is generated once under `target/satchel-bench/` and reused.

#![expect(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    reason = "benchmark arithmetic on counts, sizes and random numbers, printed rounded"
)]

mod corpus;
#[path = "shared/memory.rs"]
mod memory;

use std::path::Path;
use std::time::{Duration, Instant};

use satchel::import;
use satchel::store::Store;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time_query(store: &Store, query: &str, runs: usize) -> (Duration, Duration, usize) {
    let mut samples = Vec::with_capacity(runs);
    let mut hits = 0;
    for _ in 0..runs {
        let start = Instant::now();
        hits = store.search(query, 200).expect("search").len();
        samples.push(start.elapsed());
    }
    let max = samples.iter().copied().max().unwrap_or_default();
    (median(samples), max, hits)
}

/// Bytes of every file in `dir` (store, its search index and their WAL files).
fn dir_size(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .filter_map(Result::ok)
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum()
    })
}

fn main() {
    let count: usize = std::env::var("SATCHEL_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/satchel-bench");
    let maildir = root.join(format!("maildir-{count}"));
    let generated = Instant::now();
    let raw_bytes = corpus::ensure_maildir(&maildir, count);
    println!(
        "corpus: {count} messages, {:.1} MiB raw ({:.1?} to prepare)",
        raw_bytes as f64 / 1_048_576.0,
        generated.elapsed()
    );

    let data = root.join(format!("store-{count}"));
    let _ = std::fs::remove_dir_all(&data);
    let mut store = Store::open_in(&data).expect("open store");
    let start = Instant::now();
    let report =
        import::import_into(&mut store, &[maildir], Some("Bench"), |_| {}).expect("import");
    let elapsed = start.elapsed();
    assert_eq!(report.imported as usize, count, "{report:?}");
    println!(
        "import: {} messages in {:.1?} = {:.0} messages/s (peak RSS {:.0} MiB)",
        report.imported,
        elapsed,
        report.imported as f64 / elapsed.as_secs_f64(),
        memory::peak_rss_mib()
    );
    drop(store);
    let store = Store::open_in(&data).expect("reopen");
    let store_bytes = dir_size(&data);
    println!(
        "size: store {:.1} MiB for {:.1} MiB raw = {:.2}x",
        store_bytes as f64 / 1_048_576.0,
        raw_bytes as f64 / 1_048_576.0,
        store_bytes as f64 / raw_bytes as f64
    );

    println!(
        "{:<34} {:>10} {:>10} {:>6}",
        "query (newest 200)", "median", "max", "hits"
    );
    for query in [
        "meeting ",
        "invoice ",
        "kalo ",
        "budget report ",
        "\"quarterly forecast\" ",
        "from:alice ",
        "me",
        "mee",
        "pr",
        "pro",
        "proj",
        "ka",
        "tr",
        "is:unread",
        "folder:Bench",
    ] {
        let (med, max, hits) = time_query(&store, query, 41);
        println!(
            "{:<34} {:>8.2}ms {:>8.2}ms {:>6}",
            format!("{query:?}"),
            med.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3,
            hits
        );
    }
}
