//! GUI benchmark on one folder of 100,000 messages, measured headless with `egui_kittest` (no
//! GPU): opening the store and drawing the first frame, switching folders, typing a search
//! character, frame time while scrolling, and peak memory. The time to the first frame of a
//! real window is measured by `benches/gui_start.sh`.
//!
//! Reuses the store the store benchmark builds (`target/satchel-bench/store-N`, one folder
//! `Bench`); builds it when missing. `SATCHEL_BENCH_MESSAGES` sets N (default 100,000).
//! `GUI_BENCH_STORE=DIR` measures another data directory instead (`benches/scale.sh` passes its
//! million-message store), on the folder `GUI_BENCH_FOLDER` (default `Bench`), typing the words
//! in `GUI_BENCH_WORDS` (default `meeting invoice budget`).

#![expect(
    clippy::cast_precision_loss,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::cast_sign_loss,
    clippy::unwrap_used,
    reason = "benchmark driver (shares the corpus generator): numbers printed rounded"
)]

mod corpus;
#[path = "shared/memory.rs"]
mod memory;

use std::path::Path;
use std::time::{Duration, Instant};

use egui_kittest::Harness;
use satchel::secrets::Secrets;
use satchel::store::Store;
use satchel::ui::app::SatchelApp;
use satchel::ui::command::UiCommand;
use satchel::ui::prefs::Prefs;
use satchel::{import, model::FolderId};

fn ensure_store(root: &Path, count: usize) -> std::path::PathBuf {
    let data = root.join(format!("store-{count}"));
    let ready = Store::open_in(&data)
        .ok()
        .and_then(|store| store.message_count().ok())
        .is_some_and(|messages| messages >= count as u64);
    if !ready {
        let _ = std::fs::remove_dir_all(&data);
        let maildir = root.join(format!("maildir-{count}"));
        corpus::ensure_maildir(&maildir, count);
        let mut store = Store::open_in(&data).unwrap();
        import::import_into(&mut store, &[maildir], Some("Bench"), |_| {}).unwrap();
    }
    data
}

/// Median and maximum.
fn summary(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (ms(times[times.len() / 2]), ms(*times.last().unwrap()))
}

/// Queues a command and draws until its result is on screen (it runs at the end of the frame;
/// the next frame draws the updated list).
fn timed(harness: &mut Harness<'_, SatchelApp>, command: UiCommand) -> Duration {
    let start = Instant::now();
    harness.state_mut().push(command);
    harness.step();
    harness.step();
    start.elapsed()
}

fn main() {
    let count: usize = std::env::var("SATCHEL_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/satchel-bench");
    let data = std::env::var_os("GUI_BENCH_STORE")
        .map_or_else(|| ensure_store(&root, count), std::path::PathBuf::from);
    let folder_name = std::env::var("GUI_BENCH_FOLDER").unwrap_or_else(|_| "Bench".to_owned());
    let words =
        std::env::var("GUI_BENCH_WORDS").unwrap_or_else(|_| "meeting invoice budget".to_owned());
    let (bench, other, count) = {
        let mut store = Store::open_in(&data).unwrap();
        let other = store.ensure_folder("Other").unwrap();
        let bench = store.resolve_folder(&folder_name).unwrap();
        let folder = store.folders().unwrap().into_iter().find(|f| f.id == bench);
        (bench, other, folder.unwrap().message_count as usize)
    };
    let secrets_dir = tempfile::tempdir().unwrap();
    for threaded in [true, false] {
        let view = ListView {
            data: &data,
            folder_name: &folder_name,
            big: bench,
            other,
            count,
            threaded,
        };
        println!(
            "\n{} list:",
            if threaded {
                "threaded (default)"
            } else {
                "flat"
            }
        );
        let mut harness = view.open(secrets_dir.path());
        view.switches(&mut harness);
        if threaded {
            search(&mut harness, &words);
        }
        view.scroll(&mut harness);
    }
    println!(
        "peak RSS (headless, no GPU): {:.0} MiB",
        memory::peak_rss_mib()
    );
}

/// One list view of the benchmark's folder.
struct ListView<'a> {
    data: &'a Path,
    folder_name: &'a str,
    /// The big folder.
    big: FolderId,
    /// An empty folder to switch away to.
    other: FolderId,
    count: usize,
    threaded: bool,
}

impl ListView<'_> {
    /// Opens the store and draws the first frame.
    fn open(&self, secrets: &Path) -> Harness<'static, SatchelApp> {
        let start = Instant::now();
        let store = Store::open_in(self.data).unwrap();
        let prefs = Prefs {
            selected_folder: Some(self.folder_name.to_owned()),
            threaded: self.threaded,
            ..Prefs::default()
        };
        let app = SatchelApp::new(store, Secrets::in_file(secrets.join("p.json")), None, prefs);
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            // As in the app: a character no font has is drawn as a box (real mail has U+FFFD).
            .allow_missing_glyphs()
            .build_ui_state(|ui, app: &mut SatchelApp| app.show(ui), app);
        harness.step();
        let first_frame = start.elapsed();
        let rows = harness.state().listed().len();
        if self.threaded {
            assert!(rows <= self.count && rows > 0);
        } else {
            assert_eq!(rows, self.count);
        }
        println!(
            "{} messages in one folder, {rows} rows (headless, 1280x800)\nopen store + first frame: {:.0} ms",
            self.count,
            first_frame.as_secs_f64() * 1e3
        );
        harness
    }

    fn switches(&self, harness: &mut Harness<'_, SatchelApp>) {
        let switches: Vec<Duration> = (0..21)
            .map(|i| {
                let target: FolderId = if i % 2 == 0 { self.other } else { self.big };
                timed(harness, UiCommand::SelectFolder(target))
            })
            .collect();
        let into_big: Vec<Duration> = switches.iter().skip(1).step_by(2).copied().collect();
        let (median, max) = summary(into_big);
        println!(
            "switch to the {}-message folder, to updated list: median {median:.1} ms, max {max:.1} ms",
            self.count
        );
    }

    fn scroll(&self, harness: &mut Harness<'_, SatchelApp>) {
        timed(harness, UiCommand::SelectFolder(self.big));
        harness.hover_at(egui::pos2(500.0, 400.0));
        harness.step();
        let frames: Vec<Duration> = (0..400)
            .map(|_| {
                harness.event(egui::Event::MouseWheel {
                    unit: egui::MouseWheelUnit::Point,
                    delta: egui::vec2(0.0, -240.0),
                    phase: egui::TouchPhase::Move,
                    source: egui::MouseWheelSource::Unknown,
                    modifiers: egui::Modifiers::NONE,
                });
                let start = Instant::now();
                harness.step();
                start.elapsed()
            })
            .collect();
        let (median, max) = summary(frames);
        println!(
            "frame while scrolling (400 frames, 240 pt each): median {median:.2} ms, max {max:.2} ms"
        );
    }
}

/// Types each word a character at a time (search results are one row per message).
fn search(harness: &mut Harness<'_, SatchelApp>, words: &str) {
    let mut keystrokes = Vec::new();
    for _round in 0..5 {
        for word in words.split_whitespace() {
            for end in 1..=word.len() {
                keystrokes.push(timed(harness, UiCommand::Search(word[..end].to_owned())));
            }
            timed(harness, UiCommand::ClearSearch);
        }
    }
    let (median, max) = summary(keystrokes);
    println!(
        "search, one more character typed, to updated list: median {median:.1} ms, max {max:.1} ms"
    );
}
