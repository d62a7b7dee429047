//! Compose windows: a message being written (new, a reply, a forward or a draft opened again),
//! each in a window of its own. A window only holds what is typed; sending, saving and
//! attaching are [`UiCommand::Compose`](crate::ui::command::UiCommand) commands the app runs.
//!
//! Autosave: a change starts a clock; [`AUTOSAVE_AFTER`] later the app saves the draft, so a
//! crash loses at most those seconds of typing.

mod complete;
mod view;

use std::sync::Arc;

use crate::compose::{Attachment, Draft, Mailbox};
use crate::model::{AccountId, MessageId};

pub use complete::suggestions;

/// Seconds between a change and its save in Drafts.
pub const AUTOSAVE_AFTER: f64 = 3.0;

/// Which compose window, for as long as it is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ComposeKey(pub u64);

/// What the user asked of a compose window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComposeAction {
    /// Queue it in the Outbox and send.
    Send,
    /// Save it in Drafts now.
    SaveDraft,
    /// Choose files to attach.
    Attach,
    /// Close it, keeping what was typed in Drafts.
    Close,
    /// Close it and remove its draft (after asking).
    Discard,
}

/// One message being written.
#[derive(Debug, Clone)]
pub struct ComposeWindow {
    /// This window.
    pub key: ComposeKey,
    /// The account it is sent from.
    pub account: AccountId,
    /// What is typed.
    pub draft: Draft,
    /// Its latest save in Drafts.
    pub saved_as: Option<MessageId>,
    /// Egui time of the first change not saved yet.
    pub changed_at: Option<f64>,
    /// Cc and Bcc rows shown.
    pub show_copies: bool,
    /// The last save or send problem, or the time of the last save.
    pub note: Option<Note>,
    /// The field that gets the keyboard when the window opens: To while nobody is addressed,
    /// else the top of the body (a reply is written above the quote).
    first_focus: Option<FirstFocus>,
    /// Frames left to give it that focus (a click elsewhere meanwhile wins).
    focus_tries: u8,
}

/// Where the keyboard goes when a compose window opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FirstFocus {
    To,
    BodyStart,
}

/// The line under a compose window's buttons.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// Saved in Drafts at this local time (`14:03`).
    Saved(String),
    /// Something went wrong; the text says what.
    Problem(String),
}

impl ComposeWindow {
    /// A window on `draft`, sent from `account`; `saved_as` when it was opened from Drafts.
    #[must_use]
    pub fn new(
        key: ComposeKey,
        account: AccountId,
        draft: Draft,
        saved_as: Option<MessageId>,
    ) -> Self {
        let show_copies = !draft.cc.is_empty() || !draft.bcc.is_empty();
        let first_focus = Some(if draft.to.trim().is_empty() {
            FirstFocus::To
        } else {
            FirstFocus::BodyStart
        });
        Self {
            key,
            account,
            draft,
            saved_as,
            changed_at: None,
            show_copies,
            note: None,
            first_focus,
            focus_tries: 10,
        }
    }

    /// The window's title: its subject, else "New message".
    #[must_use]
    pub fn title(&self) -> String {
        let subject = self.draft.subject.trim();
        if subject.is_empty() {
            "New message".to_owned()
        } else {
            format!("Write: {subject}")
        }
    }

    /// Records a change at `now` (egui time): the autosave clock starts, if it had not.
    pub fn changed(&mut self, now: f64) {
        self.changed_at.get_or_insert(now);
    }

    /// Whether unsaved changes are [`AUTOSAVE_AFTER`] old at `now`.
    #[must_use]
    pub fn autosave_due(&self, now: f64) -> bool {
        self.changed_at.is_some_and(|at| now - at >= AUTOSAVE_AFTER)
    }

    /// Whether anything was typed or attached (an empty window closes without a draft).
    #[must_use]
    pub fn has_content(&self) -> bool {
        let d = &self.draft;
        [&d.to, &d.cc, &d.bcc, &d.subject]
            .iter()
            .any(|field| !field.trim().is_empty())
            || !d.attachments.is_empty()
            || !d.body.trim().is_empty()
    }

    /// Adds files, a later one with the same name replacing an earlier.
    pub fn attach(&mut self, files: Vec<Attachment>, now: f64) {
        for file in files {
            self.draft.attachments.retain(|a| a.name != file.name);
            self.draft.attachments.push(file);
        }
        self.changed(now);
    }
}

/// The open compose windows, oldest first, and the addresses they complete from.
#[derive(Debug, Default)]
pub struct ComposeWindows {
    open: Vec<ComposeWindow>,
    next_key: u64,
    address_book: Arc<Vec<Mailbox>>,
    /// The window typed in or clicked last: files dropped on the app go there.
    focused: Option<ComposeKey>,
}

impl ComposeWindows {
    /// Opens a window; returns its key.
    pub fn open(
        &mut self,
        account: AccountId,
        draft: Draft,
        saved_as: Option<MessageId>,
    ) -> ComposeKey {
        self.next_key += 1;
        let key = ComposeKey(self.next_key);
        self.open
            .push(ComposeWindow::new(key, account, draft, saved_as));
        self.focused = Some(key);
        key
    }

    /// Replaces the addresses completion offers.
    pub fn set_address_book(&mut self, book: Vec<Mailbox>) {
        self.address_book = Arc::new(book);
    }

    /// The window with this key.
    pub fn get_mut(&mut self, key: ComposeKey) -> Option<&mut ComposeWindow> {
        self.open.iter_mut().find(|w| w.key == key)
    }

    /// The window with this key.
    #[must_use]
    pub fn get(&self, key: ComposeKey) -> Option<&ComposeWindow> {
        self.open.iter().find(|w| w.key == key)
    }

    /// Closes a window; returns what it held.
    pub fn close(&mut self, key: ComposeKey) -> Option<ComposeWindow> {
        let at = self.open.iter().position(|w| w.key == key)?;
        if self.focused == Some(key) {
            self.focused = None;
        }
        Some(self.open.remove(at))
    }

    /// The open windows, oldest first.
    #[must_use]
    pub fn windows(&self) -> &[ComposeWindow] {
        &self.open
    }

    /// The open windows, to save them.
    pub fn windows_mut(&mut self) -> &mut [ComposeWindow] {
        &mut self.open
    }

    /// The window files dropped on the app go to: the one used last, else the newest.
    #[must_use]
    pub fn drop_target(&self) -> Option<ComposeKey> {
        self.focused
            .filter(|key| self.get(*key).is_some())
            .or_else(|| self.open.last().map(|w| w.key))
    }

    /// The open window already on the draft `id`, if any.
    #[must_use]
    pub fn editing(&self, id: MessageId) -> Option<ComposeKey> {
        self.open
            .iter()
            .find(|w| w.saved_as == Some(id))
            .map(|w| w.key)
    }

    /// Draws every window; what the user asked for is returned with its window's key.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        accounts: &[crate::store::Account],
    ) -> Vec<(ComposeKey, ComposeAction)> {
        let now = ctx.input(|input| input.time);
        let book = Arc::clone(&self.address_book);
        let mut actions = Vec::new();
        for window in &mut self.open {
            let (action, used) = view::show(ctx, window, accounts, &book, now);
            if used {
                self.focused = Some(window.key);
            }
            if let Some(action) = action {
                actions.push((window.key, action));
            }
        }
        actions
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_autosave_clock_starts_at_the_first_change_and_an_empty_window_has_nothing() {
        let mut windows = ComposeWindows::default();
        let key = windows.open(AccountId(1), Draft::default(), None);
        let window = windows.get_mut(key).expect("open");
        assert!(!window.has_content());
        assert!(!window.autosave_due(100.0), "nothing changed");
        window.changed(10.0);
        window.changed(12.0);
        assert!(!window.autosave_due(12.9));
        assert!(
            window.autosave_due(13.0),
            "three seconds after the first change"
        );
        window.draft.body = "  \n".to_owned();
        assert!(!window.has_content(), "blank lines are not content");
        window.draft.to = "ann@example.org".to_owned();
        assert!(window.has_content());
    }

    #[test]
    fn dropped_files_go_to_the_window_used_last_and_a_name_attached_twice_is_replaced() {
        let mut windows = ComposeWindows::default();
        let first = windows.open(AccountId(1), Draft::default(), None);
        let second = windows.open(AccountId(1), Draft::default(), None);
        assert_eq!(windows.drop_target(), Some(second));
        windows.close(second);
        assert_eq!(windows.drop_target(), Some(first));
        let file = |bytes: &[u8]| Attachment {
            name: "a.txt".to_owned(),
            mime_type: "text/plain".to_owned(),
            bytes: bytes.to_vec(),
        };
        let window = windows.get_mut(first).expect("open");
        window.attach(vec![file(b"old")], 1.0);
        window.attach(vec![file(b"new")], 2.0);
        assert_eq!(window.draft.attachments.len(), 1);
        assert_eq!(window.draft.attachments[0].bytes, b"new");
        assert_eq!(window.changed_at, Some(1.0));
    }
}
