//! The desktop app (eframe/egui): folder tree, message list, reader, search, settings.
//!
//! The frame loop is [`app::SatchelApp::show`]: drain sync events (time-boxed), turn keys into
//! commands, draw the top bar, folders, list and reader, then the dialogs, then run the
//! [`command::UiCommand`]s they pushed. The app reads the store on its own connection and talks
//! to the sync worker only through [`crate::sync::worker::SyncHandle`]; it never touches `pop3`
//! or tokio.
//!
//! - [`app`]: the window's state in named parts, and running the commands.
//! - [`panels`]: the main window's panels (top bar, folder tree, list, reader, banners).
//! - [`dialogs`]: the settings, certificate, confirm, move and source dialogs, message windows.
//! - [`helpers`]: what the window needs that never touches egui (formatting, links, safe file
//!   names, provider presets, sample mail, desktop notifications).
//! - [`command`], [`keyboard`], [`prefs`]: the commands, the one shortcut table, what is
//!   remembered between runs.

pub mod app;
pub mod command;
pub mod dialogs;
pub(crate) mod fonts;
pub mod helpers;
pub mod keyboard;
pub mod panels;
pub mod prefs;

use std::path::Path;
use std::time::Instant;

use app::SatchelApp;
use prefs::{PREFS_KEY, Prefs};

use crate::secrets::Secrets;
use crate::store::Store;
use crate::sync::worker::SyncHandle;

/// The window icon, also installed next to the `.desktop` file.
pub const ICON_PNG: &[u8] = include_bytes!("../../assets/satchel.png");

/// Set to make the app print when its first frame was on screen and quit (start-up benchmark).
pub const EXIT_AFTER_FIRST_FRAME_ENV: &str = "SATCHEL_EXIT_AFTER_FIRST_FRAME";

/// eframe's side of the app: remembered preferences and the frame call.
struct Window {
    app: SatchelApp,
    /// When the process started, and how many frames have been drawn.
    started: Instant,
    frames: u64,
}

impl eframe::App for Window {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frames += 1;
        if self.frames == 2 {
            // The first frame has been painted and shown by the time the second one starts.
            let millis = self.started.elapsed().as_secs_f64() * 1e3;
            tracing::info!(millis, "first frame on screen");
            if std::env::var_os(EXIT_AFTER_FIRST_FRAME_ENV).is_some() {
                println!("first frame on screen after {millis:.0} ms");
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        }
        self.app.show(ui);
        if self.frames == 1 {
            ui.ctx().request_repaint();
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, PREFS_KEY, self.app.prefs());
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.app.on_exit();
    }
}

/// Opens the window on the store in `data_dir` and runs until it is closed.
///
/// # Errors
/// When the store cannot be opened or no window can be created.
pub fn run(data_dir: &Path, secrets: Secrets, started: Instant) -> anyhow::Result<()> {
    let mut store = Store::open_in(data_dir)?;
    // Looked up once: the list, the reader and `before:`/`after:` all read this zone.
    store.set_time_zone(crate::dates::system_zone());
    let store_path = store.path().to_owned();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Satchel")
        .with_app_id("satchel")
        .with_inner_size([1200.0, 760.0])
        .with_min_inner_size([640.0, 400.0]);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(ICON_PNG) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        renderer: eframe::Renderer::Glow,
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "satchel",
        options,
        Box::new(move |creation| {
            let prefs: Prefs = creation
                .storage
                .and_then(|storage| eframe::get_value(storage, PREFS_KEY))
                .unwrap_or_default();
            let repaint = creation.egui_ctx.clone();
            let worker_secrets = secrets.clone();
            let worker = SyncHandle::spawn(store_path, worker_secrets, move || {
                repaint.request_repaint();
            });
            Ok(Box::new(Window {
                app: SatchelApp::new(store, secrets, Some(worker), prefs).with_system_fonts(),
                started,
                frames: 0,
            }))
        }),
    )
    .map_err(|err| anyhow::anyhow!("cannot open the window: {err}"))
}
