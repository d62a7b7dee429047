//! Writing mail in the app: compose windows opened (new, answer, draft), their drafts saved a
//! few seconds after each change and on close, files attached, Send into the Outbox, and what
//! the Outbox's messages offer (send now, it was sent, edit).

use std::path::PathBuf;

use super::SatchelApp;
use crate::compose::{Attachment, Draft};
use crate::model::{AccountId, MessageId, OutgoingState};
use crate::store::Account;
use crate::sync::worker::SyncCommand;
use crate::ui::command::{OutboxAction, UiCommand};
use crate::ui::dialogs::compose::{AUTOSAVE_AFTER, ComposeAction, ComposeKey, Note};
use crate::ui::dialogs::file_chooser::PathFor;
use crate::writing::{self, AnswerKind, WritingError};

impl SatchelApp {
    /// The account a new message is written from: the one of the message read, else of the
    /// folder shown, else the first.
    fn writing_account(&self) -> Option<&Account> {
        let accounts = self.mailboxes.accounts();
        let of_message = self
            .panels
            .reader
            .as_ref()
            .and_then(|open| open.summary.account_id);
        let of_folder = self.showing.folder().and_then(|folder| {
            self.mailboxes
                .folders()
                .iter()
                .find(|f| f.id == folder)
                .and_then(|f| f.account_id)
        });
        of_message
            .or(of_folder)
            .and_then(|id| accounts.iter().find(|a| a.id == id))
            .or_else(|| accounts.first())
    }

    /// Opens a compose window, loading the address book the first time.
    fn open_compose(&mut self, account: AccountId, draft: Draft, saved_as: Option<MessageId>) {
        if self.dialogs.compose().windows().is_empty() {
            let book = writing::address_book(&self.store);
            if let Some(book) = self.feedback.report("read the address book", book) {
                self.dialogs.compose_mut().set_address_book(book);
            }
        }
        self.dialogs.compose_mut().open(account, draft, saved_as);
    }

    /// Ctrl+N: a new message, with the account's signature.
    pub(super) fn write_new(&mut self) {
        let Some(account) = self.writing_account() else {
            self.feedback
                .tell("Add an account first (Settings): mail is sent from an account.");
            return;
        };
        let draft = Draft {
            body: crate::compose::new_body(&account.settings.identity.signature),
            ..Draft::default()
        };
        let id = account.id;
        self.open_compose(id, draft, None);
    }

    /// Reply, Reply all or Forward: a compose window on the answer to `id`.
    pub(super) fn answer(&mut self, id: MessageId, kind: AnswerKind) {
        let prepared = writing::answering_account(&self.store, id, None)
            .or_else(|_| {
                self.writing_account()
                    .cloned()
                    .ok_or(WritingError::NoAccount)
            })
            .and_then(|account| {
                writing::answer_draft(&self.store, id, &account, kind).map(|d| (account, d))
            });
        if let Some((account, draft)) = self.feedback.report("answer the message", prepared) {
            self.open_compose(account.id, draft, None);
        }
    }

    /// Opens a saved draft (or brings its window back).
    pub(super) fn edit_draft(&mut self, id: MessageId) {
        if self.dialogs.compose().editing(id).is_some() {
            return;
        }
        let opened = self
            .store
            .raw_message(id)
            .map_err(WritingError::from)
            .and_then(|raw| {
                let account = writing::account_of(&self.store, id)?;
                Ok((account, crate::compose::reopen(&raw)))
            });
        if let Some((account, draft)) = self.feedback.report("open the draft", opened) {
            self.open_compose(account.id, draft, Some(id));
        }
    }

    /// What a compose window asked for.
    pub(super) fn compose_action(&mut self, key: ComposeKey, action: ComposeAction) {
        match action {
            ComposeAction::Send => self.send_composed(key),
            ComposeAction::SaveDraft => {
                self.save_composed(key);
            }
            ComposeAction::Attach => self.ask_path(PathFor::Attach(key)),
            ComposeAction::Close => {
                let keep = self.dialogs.compose().get(key).is_some_and(|w| {
                    w.has_content() && (w.changed_at.is_some() || w.saved_as.is_none())
                });
                if keep && !self.save_composed(key) {
                    // Not saved: the window stays, with why, so nothing typed is lost.
                    return;
                }
                if let Some(window) = self.dialogs.compose_mut().close(key)
                    && window.saved_as.is_some()
                {
                    self.feedback.tell("Saved in Drafts.");
                }
            }
            ComposeAction::Discard => {
                // Into Trash, not gone: Undo (or the Trash) brings it back.
                let unsaved = self
                    .dialogs
                    .compose()
                    .get(key)
                    .is_some_and(|w| w.has_content() && w.changed_at.is_some());
                if unsaved && !self.save_composed(key) {
                    return;
                }
                if let Some(draft) = self
                    .dialogs
                    .compose_mut()
                    .close(key)
                    .and_then(|w| w.saved_as)
                {
                    self.push(UiCommand::Delete(vec![draft]));
                }
            }
        }
    }

    /// Saves the window's draft now; returns whether it is saved.
    fn save_composed(&mut self, key: ComposeKey) -> bool {
        let Some(window) = self.dialogs.compose().get(key) else {
            return false;
        };
        let Some(account) = self.mailboxes.account(window.account).cloned() else {
            return false;
        };
        let (draft, replacing) = (window.draft.clone(), window.saved_as);
        let saved = writing::save_draft(&mut self.store, &account, &draft, replacing);
        let zone = self.store.time_zone().clone();
        let Some(window) = self.dialogs.compose_mut().get_mut(key) else {
            return false;
        };
        match saved {
            Ok(id) => {
                window.saved_as = Some(id);
                window.changed_at = None;
                let at = jiff::Timestamp::now()
                    .to_zoned_datetime(zone)
                    .strftime("%H:%M")
                    .to_string();
                window.note = Some(Note::Saved(at));
                self.reload_folders();
                if self
                    .showing
                    .folder()
                    .is_some_and(|f| Some(f) == self.drafts_folder())
                {
                    self.fill_list(true);
                }
                true
            }
            Err(err) => {
                tracing::warn!(error = %err, "cannot save the draft");
                window.note = Some(Note::Problem(format!("Not saved: {err}")));
                false
            }
        }
    }

    fn drafts_folder(&self) -> Option<crate::model::FolderId> {
        self.store
            .role_folder(crate::model::FolderKind::Drafts)
            .ok()
            .flatten()
    }

    /// Send: the message goes into the Outbox (durably) and the window closes; the account
    /// sends it now if a server can be reached, else on a later try.
    fn send_composed(&mut self, key: ComposeKey) {
        let Some(window) = self.dialogs.compose().get(key) else {
            return;
        };
        let Some(account) = self.mailboxes.account(window.account).cloned() else {
            return;
        };
        let (draft, from_draft) = (window.draft.clone(), window.saved_as);
        match writing::queue(&mut self.store, &account, &draft, from_draft) {
            Ok(_) => {
                self.dialogs.compose_mut().close(key);
                if account.settings.can_send() {
                    self.feedback.tell("In the Outbox; sending.");
                    self.background.sync(SyncCommand::SendOutbox(account.id));
                } else {
                    self.feedback.tell(format!(
                        "In the Outbox: {} has no outgoing (SMTP) server yet (Settings).",
                        account.name
                    ));
                }
                self.refresh_after_change();
            }
            Err(err) => {
                if let Some(window) = self.dialogs.compose_mut().get_mut(key) {
                    window.note = Some(Note::Problem(format!("Not sent: {err}")));
                }
            }
        }
    }

    /// Saves every draft changed [`AUTOSAVE_AFTER`] seconds ago, and asks for a frame when the
    /// next one is due.
    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|input| input.time);
        let due: Vec<ComposeKey> = self
            .dialogs
            .compose()
            .windows()
            .iter()
            .filter(|w| w.autosave_due(now))
            .map(|w| w.key)
            .collect();
        for key in due {
            if !self.save_composed(key)
                && let Some(window) = self.dialogs.compose_mut().get_mut(key)
            {
                // Tried again a few seconds later.
                window.changed_at = Some(now);
            }
        }
        let next = self
            .dialogs
            .compose()
            .windows()
            .iter()
            .filter_map(|w| w.changed_at)
            .map(|at| (at + AUTOSAVE_AFTER - now).max(0.05))
            .reduce(f64::min);
        if let Some(wait) = next {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(wait));
        }
    }

    /// Files dropped on the window are attached to the compose window used last.
    pub(super) fn dropped_files(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|input| {
            input
                .raw
                .dropped_files
                .iter()
                .map(|file| file.path().to_path_buf())
                .filter(|path| !path.as_os_str().is_empty())
                .collect()
        });
        if dropped.is_empty() {
            return;
        }
        match self.dialogs.compose().drop_target() {
            Some(key) => self.attach_files(key, &dropped),
            None => self
                .feedback
                .tell("To attach files, drop them on a message being written."),
        }
    }

    /// Reads files and attaches them to a compose window; a file that cannot be attached is
    /// named in the window.
    pub(super) fn attach_files(&mut self, key: ComposeKey, paths: &[PathBuf]) {
        let (files, problems): (Vec<_>, Vec<_>) = paths
            .iter()
            .map(|path| writing::read_attachment(path))
            .partition(Result::is_ok);
        let files: Vec<Attachment> = files.into_iter().filter_map(Result::ok).collect();
        let problem = problems
            .into_iter()
            .filter_map(Result::err)
            .map(|err| err.to_string())
            .reduce(|a, b| format!("{a}; {b}"));
        let now = self.frame_time;
        if let Some(window) = self.dialogs.compose_mut().get_mut(key) {
            if !files.is_empty() {
                window.attach(files, now);
            }
            if let Some(why) = problem {
                window.note = Some(Note::Problem(why));
            }
        }
    }

    /// Send now, it was sent, or edit, for a message in the Outbox.
    pub(super) fn outbox_action(&mut self, id: MessageId, action: OutboxAction) {
        let Some(outgoing) = self
            .feedback
            .report("read the Outbox", self.store.outgoing_message(id))
        else {
            return;
        };
        if outgoing.state == OutgoingState::Sending {
            self.feedback.tell("It is being sent right now.");
            return;
        }
        match action {
            OutboxAction::SendNow => {
                let queued = self
                    .store
                    .set_outgoing_state(id, OutgoingState::Queued, None, false);
                if self.feedback.report("queue it again", queued).is_some() {
                    self.background
                        .sync(SyncCommand::SendOutbox(outgoing.account_id));
                    self.feedback.tell("Sending.");
                }
            }
            OutboxAction::MarkSent => {
                if self
                    .feedback
                    .report("move it to Sent", self.store.mark_sent(id))
                    .is_some()
                {
                    self.feedback.tell("Moved to Sent.");
                }
            }
            OutboxAction::Edit => {
                let reopened = self
                    .store
                    .raw_message(id)
                    .map_err(WritingError::from)
                    .and_then(|raw| {
                        let draft = crate::compose::reopen(&raw);
                        let account = writing::account_of(&self.store, id)?;
                        // The Outbox copy goes in the transaction that saves the draft.
                        let saved =
                            writing::save_draft(&mut self.store, &account, &draft, Some(id))?;
                        Ok((account, draft, saved))
                    });
                if let Some((account, draft, saved)) =
                    self.feedback.report("take it out of the Outbox", reopened)
                {
                    self.open_compose(account.id, draft, Some(saved));
                }
            }
        }
        self.refresh_after_change();
        if let Some(open) = &self.panels.reader
            && open.summary.id == id
        {
            self.panels.reader = crate::ui::panels::reader::OpenMessage::load(&self.store, id).ok();
        }
    }
}
