//! The app's state and frame. The state is a few named parts, each with private fields:
//! [`Mailboxes`] (accounts and folders), [`Showing`] (a folder or a search), the panels' own
//! state, [`Dialogs`], [`SyncStatus`], [`Feedback`] (the notice line) and [`Background`]
//! (the sync worker and short threads). The frame is a short list of steps; what the panels
//! and keys ask for is queued as [`UiCommand`]s and run at its end.

mod accounts;
pub mod background;
mod commands;
mod events;
pub mod feedback;
mod files;
mod folders;
mod mail;
pub mod mailboxes;
pub mod showing;
mod syncing;
mod view;
mod writing;

use std::time::Duration;

use background::Background;
use feedback::Feedback;
use mailboxes::Mailboxes;
use showing::Showing;

pub use mail::Undo;

use super::command::UiCommand;
use super::dialogs::certificate::CertificatePrompt;
use super::dialogs::{DialogContext, Dialogs};
use super::fonts;
use super::helpers::opener::Opener;
use super::keyboard::{self, KeyContext};
use super::panels::folders::FolderTree;
use super::panels::list::{ListContext, MessageList};
use super::panels::reader::{OpenMessage, ReaderOptions};
use super::panels::status::SyncStatus;
use super::panels::topbar::TopBar;
use super::panels::welcome;
use super::prefs::Prefs;
use crate::model::{FolderId, MessageId};
use crate::secrets::{PasswordStore, Secrets};
use crate::store::Store;
use crate::sync::worker::{SyncCommand, SyncHandle};

/// Longest time a frame spends on queued sync events, so a flood never freezes the window.
const EVENT_BUDGET: Duration = Duration::from_millis(4);
/// Most search results listed (newest first).
pub const SEARCH_LIMIT: usize = 2000;

/// The whole window's state.
pub struct SatchelApp {
    store: Store,
    secrets: Secrets,
    /// Remembered between runs, including the list's sort order (kept only here).
    prefs: Prefs,
    background: Background,
    mailboxes: Mailboxes,
    showing: Showing,
    panels: Panels,
    dialogs: Dialogs,
    status: SyncStatus,
    /// Syncs the user asked for, to say how they went.
    asked: syncing::AskedSyncs,
    feedback: Feedback,
    undo: Option<Undo>,
    /// What the panels, dialogs and keys asked for this frame.
    commands: Vec<UiCommand>,
    /// The program that opens attachments and links.
    opener: Opener,
    /// Fonts still to give egui (at the first frame, when the context is known).
    fonts_to_install: Option<fonts::Extra>,
    /// Egui's clock at the start of this frame (seconds), for the drafts' autosave.
    frame_time: f64,
}

/// The main window's panels: what each keeps between frames.
#[derive(Debug, Default)]
struct Panels {
    top_bar: TopBar,
    tree: FolderTree,
    list: MessageList,
    reader: Option<OpenMessage>,
}

impl SatchelApp {
    /// An app on an open store. `worker` is `None` when syncing is not wanted (some tests).
    #[must_use]
    pub fn new(store: Store, secrets: Secrets, worker: Option<SyncHandle>, prefs: Prefs) -> Self {
        let mut app = Self {
            store,
            secrets,
            prefs,
            background: Background::new(worker),
            mailboxes: Mailboxes::default(),
            showing: Showing::default(),
            panels: Panels::default(),
            dialogs: Dialogs::default(),
            status: SyncStatus::default(),
            asked: syncing::AskedSyncs::default(),
            feedback: Feedback::default(),
            undo: None,
            commands: Vec::new(),
            opener: Opener::default(),
            fonts_to_install: Some(fonts::Extra::Bundled),
            frame_time: 0.0,
        };
        app.reload_folders();
        let remembered = app
            .prefs
            .selected_folder
            .as_deref()
            .and_then(|path| app.store.resolve_folder(path).ok());
        if let Some(folder) = remembered.or(app.mailboxes.first_folder()) {
            app.select_folder(folder);
        }
        if !app.mailboxes.accounts().is_empty() {
            app.background.sync(SyncCommand::SyncAll);
        }
        app
    }

    /// Adds the system's CJK font to the bundled ones (the desktop app; tests leave it out).
    #[must_use]
    pub fn with_system_fonts(mut self) -> Self {
        self.fonts_to_install = Some(fonts::Extra::WithSystem);
        self
    }

    /// Opens attachments and links with `opener` instead of the desktop's launcher.
    #[must_use]
    pub fn with_opener(mut self, opener: Opener) -> Self {
        self.opener = opener;
        self
    }

    /// The store this window shows.
    #[must_use]
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Called when the window closes: the WAL's changes (moves, flags, deletions, and what the
    /// sync worker committed) are copied into the store file, so the file alone holds the mail.
    pub fn on_exit(&self) {
        match self.store.checkpoint() {
            Ok(crate::store::Checkpoint::Complete) => {}
            Ok(partial) => tracing::info!(?partial, "store checkpoint left part of the WAL"),
            Err(err) => tracing::warn!(error = %err, "cannot checkpoint the store"),
        }
    }

    /// Ids the message list shows, in order.
    #[must_use]
    pub fn listed(&self) -> &[MessageId] {
        self.panels.list.ids()
    }

    /// Selected messages, in list order.
    #[must_use]
    pub fn selected(&self) -> Vec<MessageId> {
        self.panels.list.selected_ids()
    }

    /// The message in the reader.
    #[must_use]
    pub fn reading(&self) -> Option<&OpenMessage> {
        self.panels.reader.as_ref()
    }

    /// The folder chosen last (shown when not searching).
    #[must_use]
    pub fn selected_folder(&self) -> Option<FolderId> {
        self.showing.folder()
    }

    /// The compose windows open, oldest first.
    #[must_use]
    pub fn composing(&self) -> &[super::dialogs::compose::ComposeWindow] {
        self.dialogs.compose().windows()
    }

    /// The certificate prompt, while it is open.
    #[must_use]
    pub fn certificate_prompt(&self) -> Option<&CertificatePrompt> {
        self.dialogs.certificate_prompt()
    }

    /// Whether the settings window is open.
    #[must_use]
    pub fn settings_open(&self) -> bool {
        self.dialogs.settings_open()
    }

    /// The remembered preferences (saved by eframe on exit).
    #[must_use]
    pub fn prefs(&self) -> &Prefs {
        &self.prefs
    }

    /// Queues a command as a panel would (it runs at the end of the next frame).
    pub fn push(&mut self, command: UiCommand) {
        self.commands.push(command);
    }

    /// One frame: events, keys, the panels and dialogs, then the commands they pushed.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if let Some(extra) = self.fonts_to_install.take() {
            fonts::install(&ctx, extra);
        }
        self.frame_time = ctx.input(|input| input.time);
        self.feedback.set_focused(ctx.input(|input| input.focused));
        self.background.redraw_on_finish(&ctx);
        ctx.set_theme(self.prefs.appearance.theme());
        super::panels::reader::set_monospace(&ctx, self.prefs.plain_monospace);
        super::panels::reader::set_search(&ctx, self.showing.query(), self.store.time_zone());
        self.drain_events();
        self.keys(&ctx);
        self.panels.top_bar.show(
            ui,
            &self.status,
            self.mailboxes.accounts(),
            &mut self.commands,
        );
        super::panels::status_bar::show(
            ui,
            self.list_totals(),
            self.panels.list.selected_count(),
            &self.status,
            self.mailboxes.accounts(),
            self.store.time_zone(),
        );
        self.banners(ui);
        self.feedback.show(ui);
        // Between the bars: the settings window stays here, never over the sync progress.
        let between_bars = ui.available_rect_before_wrap();
        self.folder_tree(ui);
        if self.mailboxes.is_first_run() {
            egui::CentralPanel::default().show(ui, |ui| welcome::show(ui, &mut self.commands));
        } else {
            self.reader_pane(ui);
            self.list_pane(ui);
        }
        self.dialogs(&ctx, between_bars);
        self.dropped_files(&ctx);
        self.autosave(&ctx);
        self.forget_hidden_images(&ctx);
        self.run_commands(&ctx);
    }

    /// Decoded images of messages no longer on screen are dropped.
    fn forget_hidden_images(&self, ctx: &egui::Context) {
        let shown: Vec<MessageId> = self
            .panels
            .reader
            .iter()
            .map(|open| open.summary.id)
            .chain(self.dialogs.window_ids())
            .collect();
        super::helpers::images::forget_all_but(ctx, &shown);
    }

    fn keys(&mut self, ctx: &egui::Context) {
        let context = KeyContext {
            // An open menu keeps Escape and the arrows for itself.
            modal_open: self.dialogs.any_modal_open() || egui::Popup::is_any_open(ctx),
            typing: ctx.egui_wants_keyboard_input(),
            searching: self.showing.is_search(),
            window_open: self.dialogs.any_window_open(),
            list: &self.panels.list,
        };
        keyboard::handle(ctx, &context, &mut self.commands);
    }

    fn banners(&mut self, ui: &mut egui::Ui) {
        if self.status.has_banners() {
            egui::Panel::top("banners").show(ui, |ui| {
                self.status.show_banners(
                    ui,
                    self.mailboxes.accounts(),
                    self.store.time_zone(),
                    &mut self.commands,
                );
            });
        }
    }

    fn folder_tree(&mut self, ui: &mut egui::Ui) {
        egui::Panel::left("folders")
            .resizable(true)
            .default_size(210.0)
            .show(ui, |ui| {
                self.panels.tree.show(
                    ui,
                    self.mailboxes.folders(),
                    self.showing.highlighted_folder(),
                    &mut self.commands,
                );
            });
    }

    fn reader_pane(&mut self, ui: &mut egui::Ui) {
        // At most 70 % of the window: wide mail scrolls inside the reader, the list stays. Each
        // placement has its own id, so the width egui remembers never becomes the height.
        let panel = if self.prefs.reader_below {
            let room = ui.available_height();
            egui::Panel::bottom("reader below")
                .default_size(room * 0.5)
                .min_size(120.0)
                .max_size(room * 0.7)
        } else {
            let room = ui.available_width();
            egui::Panel::right("reader right")
                .default_size(440.0)
                .min_size(240.0)
                .max_size(room * 0.7)
        };
        panel
            .resizable(true)
            .show(ui, |ui| match &self.panels.reader {
                Some(open) => {
                    let options = ReaderOptions {
                        zone: self.store.time_zone(),
                        prefer_plain_text: self.prefs.prefer_plain_text,
                    };
                    open.show(ui, options, &mut self.commands);
                }
                None => {
                    ui.centered_and_justified(|ui| {
                        ui.label(egui::RichText::new("Select a message to read it.").weak());
                    });
                }
            });
    }

    fn list_pane(&mut self, ui: &mut egui::Ui) {
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(error) = self.showing.error() {
                ui.colored_label(ui.visuals().warn_fg_color, error);
            }
            if self.panels.list.ids().is_empty() {
                ui.label(egui::RichText::new(self.showing.empty_list_text()).weak());
            }
            let context = ListContext {
                store: &self.store,
                mailboxes: &self.mailboxes,
                sort: self.prefs.sort,
                descending: self.prefs.descending,
                searching: self.showing.is_search(),
                columns: &self.prefs.columns,
                zone: self.store.time_zone(),
            };
            self.panels.list.show(ui, context, &mut self.commands);
        });
    }

    fn dialogs(&mut self, ctx: &egui::Context, between_bars: egui::Rect) {
        let password_store = match self.secrets.store() {
            PasswordStore::Keyring => "in the system keyring".to_owned(),
            PasswordStore::File(path) => format!("unencrypted in {}", path.display()),
        };
        let context = DialogContext {
            accounts: self.mailboxes.accounts(),
            folders: self.mailboxes.folders(),
            password_store: &password_store,
            zone: self.store.time_zone(),
            between_bars,
        };
        let before = self.prefs.clone();
        self.dialogs
            .show(ctx, context, &mut self.prefs, &mut self.commands);
        if self.prefs.threaded != before.threaded {
            self.fill_list(false);
        } else if self.prefs != before {
            self.panels.list.invalidate_rows();
        }
    }

    /// Runs what this frame asked for; the next frame draws the result.
    fn run_commands(&mut self, ctx: &egui::Context) {
        let commands = std::mem::take(&mut self.commands);
        if !commands.is_empty() {
            ctx.request_repaint();
        }
        for command in commands {
            self.run(command);
        }
    }
}
