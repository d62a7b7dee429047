//! The app's state and frame: top bar, folder tree, message list, reader, dialogs, then the
//! commands the panels asked for. Sync events are drained with a time budget each frame.

use std::collections::HashMap;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::command::UiCommand;
use super::dialogs::account_form::TestState;
use super::dialogs::certificate::{CertificateChoice, CertificateFor, CertificatePrompt};
use super::dialogs::move_picker::{MoveChoice, MovePicker};
use super::dialogs::settings::SettingsDialog;
use super::folders::FolderTree;
use super::list::MessageList;
use super::prefs::Prefs;
use super::reader::OpenMessage;
use super::status::{Failure, SyncStatus};
use super::{keyboard, topbar, welcome};
use crate::dates;
use crate::model::{AccountId, FolderId, FolderKind, MessageId};
use crate::secrets::{PasswordStore, Secrets};
use crate::store::{Account, Folder, SortOrder, Store};
use crate::sync::explain::FailureKind;
use crate::sync::worker::{SyncCommand, SyncEvent, SyncHandle};

/// Longest time a frame spends on queued sync events, so a flood never freezes the window.
const EVENT_BUDGET: Duration = Duration::from_millis(4);
/// Most search results listed (newest first).
pub const SEARCH_LIMIT: usize = 2000;

/// A question the user must answer before something irreversible happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Delete everything in Trash for good.
    EmptyTrash,
    /// Delete these messages (already in Trash) for good.
    DeleteForever(Vec<MessageId>),
}

/// How to undo the last move: each message and the folder it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undo {
    /// (message, folder it was in before).
    pub origins: Vec<(MessageId, FolderId)>,
}

/// Something a background thread (import, save) finished.
#[derive(Debug)]
pub enum Background {
    /// A line for the status notice.
    Notice(String),
    /// An import finished: refresh folders and the list.
    Imported(String),
}

/// The whole window's state.
pub struct SatchelApp {
    pub(super) store: Store,
    pub(super) worker: Option<SyncHandle>,
    pub(super) secrets: Secrets,
    pub(super) prefs: Prefs,
    pub(super) accounts: Vec<Account>,
    pub(super) folders: Vec<Folder>,
    pub(super) folder_paths: HashMap<FolderId, String>,
    pub(super) selected_folder: Option<FolderId>,
    pub(super) search_text: String,
    pub(super) active_search: Option<String>,
    pub(super) search_error: Option<String>,
    pub(super) focus_search: bool,
    pub(super) list: MessageList,
    pub(super) tree: FolderTree,
    pub(super) reader: Option<OpenMessage>,
    pub(super) windows: Vec<OpenMessage>,
    pub(super) source: Option<(String, String)>,
    pub(super) settings: SettingsDialog,
    pub(super) certificate: Option<CertificatePrompt>,
    pub(super) confirm: Option<Confirm>,
    pub(super) move_picker: Option<MovePicker>,
    pub(super) status: SyncStatus,
    pub(super) undo: Option<Undo>,
    pub(super) commands: Vec<UiCommand>,
    pub(super) notice: Option<String>,
    pub(super) background: (mpsc::Sender<Background>, mpsc::Receiver<Background>),
    pub(super) window_focused: bool,
    pub(super) new_mail_unseen: usize,
}

impl SatchelApp {
    /// An app on an open store. `worker` is `None` when syncing is not wanted (some tests).
    #[must_use]
    pub fn new(store: Store, secrets: Secrets, worker: Option<SyncHandle>, prefs: Prefs) -> Self {
        let mut list = MessageList::new();
        list.sort = prefs.sort;
        list.descending = prefs.descending;
        let mut app = Self {
            store,
            worker,
            secrets,
            prefs,
            accounts: Vec::new(),
            folders: Vec::new(),
            folder_paths: HashMap::new(),
            selected_folder: None,
            search_text: String::new(),
            active_search: None,
            search_error: None,
            focus_search: false,
            list,
            tree: FolderTree::default(),
            reader: None,
            windows: Vec::new(),
            source: None,
            settings: SettingsDialog::default(),
            certificate: None,
            confirm: None,
            move_picker: None,
            status: SyncStatus::default(),
            undo: None,
            commands: Vec::new(),
            notice: None,
            background: mpsc::channel(),
            window_focused: true,
            new_mail_unseen: 0,
        };
        app.reload_folders();
        let remembered = app
            .prefs
            .selected_folder
            .as_deref()
            .and_then(|path| app.store.resolve_folder(path).ok());
        let first = app.folders.first().map(|folder| folder.id);
        if let Some(folder) = remembered.or(first) {
            app.select_folder(folder);
        }
        if !app.accounts.is_empty() {
            app.send(SyncCommand::SyncAll);
        }
        app
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
        self.list.ids()
    }

    /// Selected messages, in list order.
    #[must_use]
    pub fn selected(&self) -> Vec<MessageId> {
        self.list.selected_ids()
    }

    /// The message in the reader.
    #[must_use]
    pub fn reading(&self) -> Option<&OpenMessage> {
        self.reader.as_ref()
    }

    /// The folder shown (when not searching).
    #[must_use]
    pub fn selected_folder(&self) -> Option<FolderId> {
        self.selected_folder
    }

    /// The certificate prompt, while it is open.
    #[must_use]
    pub fn certificate_prompt(&self) -> Option<&CertificatePrompt> {
        self.certificate.as_ref()
    }

    /// Whether the settings window is open.
    #[must_use]
    pub fn settings_open(&self) -> bool {
        self.settings.open
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

    /// The account with this id, as last read from the store.
    pub(super) fn account(&self, id: AccountId) -> Option<Account> {
        self.accounts
            .iter()
            .find(|account| account.id == id)
            .cloned()
    }

    pub(super) fn send(&self, command: SyncCommand) {
        if let Some(worker) = &self.worker {
            worker.send(command);
        }
    }

    /// One frame: events, drawing, then the commands the panels pushed.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.window_focused = ctx.input(|input| input.focused);
        if self.window_focused {
            self.new_mail_unseen = 0;
        }
        ctx.set_theme(self.prefs.appearance.theme());
        self.drain_events();
        keyboard::handle(self, &ctx);
        topbar::show(self, ui);
        if !self.status.failures.is_empty() || !self.status.notices.is_empty() {
            egui::Panel::top("banners").show(ui, |ui| {
                self.status
                    .show_banners(ui, &self.accounts, &mut self.commands);
            });
        }
        if let Some(notice) = &self.notice {
            let mut dismiss = false;
            egui::Panel::bottom("notice").show(ui, |ui| {
                ui.horizontal(|ui| {
                    ui.label(notice);
                    dismiss = ui.small_button("✖").on_hover_text("Dismiss").clicked();
                });
            });
            if dismiss {
                self.notice = None;
            }
        }
        egui::Panel::left("folders")
            .resizable(true)
            .default_size(210.0)
            .show(ui, |ui| {
                let selected = if self.active_search.is_some() {
                    None
                } else {
                    self.selected_folder
                };
                self.tree
                    .show(ui, &self.folders, selected, &mut self.commands);
            });
        if self.is_empty_store() {
            egui::CentralPanel::default().show(ui, |ui| welcome::show(ui, &mut self.commands));
        } else {
            self.message_panes(ui);
        }
        self.dialogs(&ctx);
        let commands = std::mem::take(&mut self.commands);
        for command in commands {
            self.run(command);
        }
    }

    fn message_panes(&mut self, ui: &mut egui::Ui) {
        let panel = if self.prefs.reader_below {
            egui::Panel::bottom("reader").default_size(320.0)
        } else {
            egui::Panel::right("reader").default_size(440.0)
        };
        panel.resizable(true).show(ui, |ui| match &self.reader {
            Some(open) => open.show(ui, &mut self.commands),
            None => {
                ui.centered_and_justified(|ui| {
                    ui.label(egui::RichText::new("Select a message to read it.").weak());
                });
            }
        });
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(error) = &self.search_error {
                ui.colored_label(ui.visuals().warn_fg_color, error);
            }
            if self.list.ids().is_empty() {
                ui.label(egui::RichText::new(self.empty_list_text()).weak());
            }
            let targets: Vec<(FolderId, String)> = self
                .folders
                .iter()
                .map(|folder| (folder.id, folder.path.clone()))
                .collect();
            self.list.show(
                ui,
                &self.store,
                &self.folder_paths,
                &targets,
                &mut self.commands,
            );
        });
    }

    fn empty_list_text(&self) -> &'static str {
        if self.active_search.is_some() {
            "No messages match."
        } else {
            "This folder is empty."
        }
    }

    /// True for a first run: no accounts and no mail.
    pub(super) fn is_empty_store(&self) -> bool {
        self.accounts.is_empty() && self.folders.iter().all(|folder| folder.message_count == 0)
    }

    fn dialogs(&mut self, ctx: &egui::Context) {
        let password_store = match self.secrets.store() {
            PasswordStore::Keyring => "in the system keyring".to_owned(),
            PasswordStore::File(path) => format!("unencrypted in {}", path.display()),
        };
        let before = self.prefs.clone();
        if let Some(action) =
            self.settings
                .show(ctx, &self.accounts, &mut self.prefs, &password_store)
        {
            self.settings_action(action);
        }
        if self.prefs != before {
            self.list.invalidate_rows();
        }
        if let Some(prompt) = &self.certificate
            && let Some(choice) = prompt.show(ctx)
        {
            let prompt = prompt.clone();
            self.certificate = None;
            if let CertificateChoice::Trust(fingerprint) = choice {
                self.trust_certificate(prompt.target, fingerprint);
            }
        }
        self.confirm_dialog(ctx);
        if let Some(picker) = &self.move_picker
            && let Some(choice) = picker.show(ctx, &self.folders)
        {
            if let MoveChoice::To(folder) = choice {
                self.commands
                    .push(UiCommand::Move(picker.messages.clone(), folder));
            }
            self.move_picker = None;
        }
        self.message_windows(ctx);
    }

    fn confirm_dialog(&mut self, ctx: &egui::Context) {
        let Some(confirm) = self.confirm.clone() else {
            return;
        };
        let question = match &confirm {
            Confirm::EmptyTrash => "Empty the Trash? Its messages are deleted for good.".to_owned(),
            Confirm::DeleteForever(ids) => {
                format!("Delete {} message(s) from Trash for good?", ids.len())
            }
        };
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::unique("confirm")).show(ctx, |ui| {
            ui.label(question);
            ui.horizontal(|ui| {
                if ui.button("Delete for good").clicked() {
                    answer = Some(true);
                }
                if ui.button("Cancel").clicked() {
                    answer = Some(false);
                }
            });
        });
        if answer.is_none() && modal.should_close() {
            answer = Some(false);
        }
        if let Some(yes) = answer {
            self.confirm = None;
            if yes {
                self.delete_forever(&confirm);
            }
        }
    }

    fn message_windows(&mut self, ctx: &egui::Context) {
        let mut closed = Vec::new();
        for (index, open) in self.windows.iter().enumerate() {
            let mut still_open = true;
            egui::Window::new(crate::message::display_subject(&open.parsed.subject))
                .id(egui::Id::unique(("message window", open.summary.id.0)))
                .open(&mut still_open)
                .default_size([640.0, 480.0])
                .show(ctx, |ui| open.show(ui, &mut self.commands));
            if !still_open {
                closed.push(index);
            }
        }
        for index in closed.into_iter().rev() {
            self.windows.remove(index);
        }
        if let Some((title, raw)) = &mut self.source {
            let mut still_open = true;
            egui::Window::new(format!("Source: {title}"))
                .open(&mut still_open)
                .default_size([700.0, 500.0])
                .show(ctx, |ui| {
                    egui::ScrollArea::both().show(ui, |ui| {
                        ui.add(
                            egui::TextEdit::multiline(&mut raw.as_str())
                                .code_editor()
                                .desired_width(f32::INFINITY),
                        );
                    });
                });
            if !still_open {
                self.source = None;
            }
        }
    }

    /// Handles one worker event (also called by tests to simulate the worker).
    pub fn handle_sync_event(&mut self, event: SyncEvent) {
        match event {
            SyncEvent::Started(account) => {
                self.status.running.insert(account, None);
            }
            SyncEvent::Progress(account, progress) => {
                self.status.running.insert(account, Some(progress));
            }
            SyncEvent::MessagesStored(_, ids) => {
                self.new_mail_unseen += ids.len();
                if !self.window_focused && self.prefs.notify_new_mail {
                    super::notify::new_mail(ids.len());
                }
                self.refresh_after_change();
            }
            SyncEvent::Finished(account, report) => {
                self.status.record_notices(account, report.warnings);
                self.status.running.remove(&account);
                self.status.failures.remove(&account);
                self.status.last_synced.insert(account, dates::now());
                self.status.online = Some(true);
                self.refresh_after_change();
            }
            SyncEvent::Failed {
                account,
                kind,
                sentence,
            } => self.sync_failed(account, kind, sentence),
            SyncEvent::TestFinished(result) => {
                if let Err((FailureKind::CertificateNotTrusted(certificate), _)) = &result {
                    self.certificate = Some(CertificatePrompt {
                        target: CertificateFor::Draft,
                        account_label: self
                            .settings
                            .form
                            .as_ref()
                            .map_or_else(String::new, |form| form.host.clone()),
                        certificate: (**certificate).clone(),
                    });
                }
                if let Some(form) = &mut self.settings.form {
                    form.test = TestState::Done(result);
                }
            }
            SyncEvent::FullMessageFetched(id) => {
                if self
                    .reader
                    .as_ref()
                    .is_some_and(|open| open.summary.id == id)
                {
                    self.reader = OpenMessage::load(&self.store, id).ok();
                }
                self.list.invalidate_rows();
            }
        }
    }

    fn sync_failed(&mut self, account: AccountId, kind: FailureKind, sentence: String) {
        self.status.running.remove(&account);
        if matches!(kind, FailureKind::Unreachable | FailureKind::Timeout) {
            self.status.online = Some(false);
        }
        let found = self.account(account);
        match &kind {
            FailureKind::WrongPassword => self.settings.open_form(found.as_ref()),
            FailureKind::CertificateNotTrusted(certificate) => {
                self.certificate = Some(CertificatePrompt {
                    target: CertificateFor::Account(account),
                    account_label: found.map_or_else(|| account.to_string(), |found| found.name),
                    certificate: (**certificate).clone(),
                });
            }
            _ => {}
        }
        self.status.failures.insert(
            account,
            Failure {
                kind,
                sentence,
                at: dates::now(),
                details_open: false,
            },
        );
    }

    fn drain_events(&mut self) {
        let started = Instant::now();
        while started.elapsed() < EVENT_BUDGET {
            let Some(event) = self
                .worker
                .as_ref()
                .and_then(|worker| worker.drain().next())
            else {
                break;
            };
            self.handle_sync_event(event);
        }
        while let Ok(done) = self.background.1.try_recv() {
            match done {
                Background::Notice(text) => self.notice = Some(text),
                Background::Imported(text) => {
                    self.notice = Some(text);
                    self.refresh_after_change();
                }
            }
        }
    }

    /// Re-reads accounts and folders (names, unread counts).
    pub(super) fn reload_folders(&mut self) {
        match self.store.accounts() {
            Ok(accounts) => self.accounts = accounts,
            Err(err) => self.notice = Some(format!("Cannot read accounts: {err}")),
        }
        match self.store.folders() {
            Ok(folders) => {
                self.folder_paths = folders
                    .iter()
                    .map(|folder| (folder.id, folder.path.clone()))
                    .collect();
                self.folders = folders;
            }
            Err(err) => self.notice = Some(format!("Cannot read folders: {err}")),
        }
    }

    /// Something changed in the store: refresh counts and the list, keeping selection and view.
    pub(super) fn refresh_after_change(&mut self) {
        self.reload_folders();
        if let Some(ids) = self.current_ids() {
            self.list.refresh(ids);
        }
    }

    /// The ids the list should show now (search results or the folder).
    pub(super) fn current_ids(&mut self) -> Option<Vec<MessageId>> {
        let order = SortOrder {
            column: self.list.sort,
            descending: self.list.descending,
        };
        if let Some(query) = self.active_search.clone() {
            return self.search_ids(&query, order);
        }
        let folder = self.selected_folder?;
        match self.store.folder_message_ids_sorted(folder, order) {
            Ok(ids) => Some(ids),
            Err(err) => {
                self.notice = Some(format!("Cannot list the folder: {err}"));
                None
            }
        }
    }

    fn search_ids(&mut self, query: &str, order: SortOrder) -> Option<Vec<MessageId>> {
        if is_single_letter(query) {
            // One letter matches most of the mail and has no prefix index: wait for the next.
            self.search_error = Some("Type one more letter to search.".to_owned());
            return None;
        }
        match self.store.search_ids_sorted(query, SEARCH_LIMIT, order) {
            Ok(ids) => {
                self.search_error = None;
                Some(ids)
            }
            Err(err) => {
                // Half-typed queries (`from:`) are normal while typing: say so, keep the list.
                self.search_error = Some(format!("Search: {err}"));
                None
            }
        }
    }

    /// Shows a folder.
    pub(super) fn select_folder(&mut self, folder: FolderId) {
        self.selected_folder = Some(folder);
        self.active_search = None;
        self.list.searching = false;
        self.search_error = None;
        self.prefs.selected_folder = self.folder_paths.get(&folder).cloned();
        if let Some(ids) = self.current_ids() {
            self.list.replace(ids);
        }
    }

    /// The Trash folder's id, if the store has one.
    pub(super) fn trash(&self) -> Option<FolderId> {
        self.folders
            .iter()
            .find(|folder| folder.kind == FolderKind::Trash)
            .map(|folder| folder.id)
    }
}

/// A query that is one Latin letter or digit (a single ideograph is a whole word and searches).
fn is_single_letter(query: &str) -> bool {
    let mut chars = query.trim().chars();
    matches!((chars.next(), chars.next()), (Some(ch), None) if ch.is_ascii_alphanumeric())
}
