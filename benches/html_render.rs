//! Satchel's own HTML rendering on the real HTML mail of `benches/html_engines/corpus.sh`: per
//! message, the time to open it in the reader (parse, HTML into blocks and runs, summary) and to
//! lay out and draw its first frame (egui, headless: no GPU painting), and the process's peak
//! memory. The same corpus the Blitz and html2text prototypes render (`run.sh`).
//!
//! Reads the `.eml` files of `$CARGO_TARGET_DIR/satchel-bench/html-corpus` (run `corpus.sh`
//! first), imported into a throwaway store.

#![expect(clippy::unwrap_used, reason = "benchmark driver: any failure ends it")]

#[path = "shared/memory.rs"]
mod memory;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use satchel::import;
use satchel::model::MessageId;
use satchel::store::Store;
use satchel::ui::command::UiCommand;
use satchel::ui::panels::reader::{OpenMessage, ReaderOptions};

/// The reader showing one message, as the app's reader pane draws it.
struct Reading {
    open: OpenMessage,
    commands: Vec<UiCommand>,
}

fn corpus_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    );
    target.join("satchel-bench/html-corpus")
}

/// The value `per_cent` of the way through `sorted`, in milliseconds.
fn percentile(sorted: &[Duration], per_cent: usize) -> f64 {
    let index = (sorted.len() - 1) * per_cent / 100;
    sorted[index].as_secs_f64() * 1e3
}

fn main() {
    let corpus = corpus_dir();
    let emls: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .unwrap_or_else(|err| {
            panic!(
                "{}: {err} (run bash benches/html_engines/corpus.sh)",
                corpus.display()
            )
        })
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "eml"))
        .collect();
    let mail = tempfile::tempdir().unwrap();
    for path in &emls {
        std::fs::copy(path, mail.path().join(path.file_name().unwrap())).unwrap();
    }
    let data = tempfile::tempdir().unwrap();
    let mut store = Store::open_in(data.path()).unwrap();
    import::import_into(&mut store, &[mail.path().to_owned()], Some("Html"), |_| {}).unwrap();
    let folder = store.resolve_folder("Html").unwrap();
    let ids: Vec<MessageId> = store.folder_message_ids(folder).unwrap();
    let zone = jiff::tz::TimeZone::UTC;

    let mut open_times = Vec::new();
    let mut frame_times = Vec::new();
    let mut totals = Vec::new();
    let mut laid_out = 0;
    // One reader, as in the app: each message replaces the last and is drawn until it settles
    // (egui's text layout cache starts cold for each message's own text).
    let mut harness: Option<Harness<'_, Reading>> = None;
    for &id in &ids {
        let start = Instant::now();
        let open = OpenMessage::load(&store, id).unwrap();
        let opened = start.elapsed();
        laid_out += usize::from(open.html.is_some());
        let harness = harness.get_or_insert_with(|| {
            Harness::builder()
                .with_size(egui::vec2(800.0, 900.0))
                .allow_missing_glyphs()
                .build_ui_state(
                    |ui, reading: &mut Reading| {
                        let options = ReaderOptions {
                            zone: &zone,
                            prefer_plain_text: false,
                        };
                        reading.open.show(ui, options, &mut reading.commands);
                    },
                    Reading {
                        open: open.clone(),
                        commands: Vec::new(),
                    },
                )
        });
        harness.state_mut().open = open;
        let frame_start = Instant::now();
        harness.run();
        let frame = frame_start.elapsed();
        open_times.push(opened);
        frame_times.push(frame);
        totals.push(opened + frame);
    }
    for times in [&mut open_times, &mut frame_times, &mut totals] {
        times.sort();
    }
    println!(
        "{} messages ({laid_out} laid out as HTML) from {}",
        ids.len(),
        corpus.display()
    );
    for (what, times) in [
        ("open (parse + layout into blocks)", &open_times),
        ("drawn until settled (egui layout, no GPU)", &frame_times),
        ("open + drawn", &totals),
    ] {
        println!(
            "{what}: median {:.2} ms, p90 {:.2} ms, max {:.1} ms",
            percentile(times, 50),
            percentile(times, 90),
            percentile(times, 100)
        );
    }
    println!("peak RSS: {:.0} MiB", memory::peak_rss_mib());
}
