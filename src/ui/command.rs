//! What the panels ask for. Panels never change the store themselves: they push a command, and
//! the app runs the queue after drawing.

use super::dialogs::certificate::CertificateFor;
use super::dialogs::compose::{ComposeAction, ComposeKey};
use super::dialogs::confirm::Confirm;
use super::dialogs::file_chooser::PathFor;
use super::dialogs::settings::SettingsAction;
use super::panels::list::ListColumns;
use crate::export::ExportFormat;
use crate::model::{AccountId, FlagChange, FolderId, MessageId};
use crate::store::SortColumn;
use crate::writing::AnswerKind;

/// One thing the user asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UiCommand {
    /// Show this folder's messages.
    SelectFolder(FolderId),
    /// Run (or re-run) the search box's query.
    Search(String),
    /// Leave search mode and show the selected folder again.
    ClearSearch,
    /// Put the keyboard in the search box.
    FocusSearch,
    /// Select the message this many rows further down (up when negative) and show it.
    StepSelection(isize),
    /// Select every message in the list.
    SelectAll,
    /// Close View source, else the message window opened last.
    CloseTopWindow,
    /// Show a message in the reader (marks it read).
    ShowMessage(MessageId),
    /// Open (`true`) or close the conversation whose first row in the list is this message.
    OpenConversation(MessageId, bool),
    /// Open or close the conversation the list's cursor is in (→ and ←).
    OpenCursorConversation(bool),
    /// Open a message in its own window.
    OpenInWindow(MessageId),
    /// Change flags on messages.
    SetFlag(Vec<MessageId>, FlagChange),
    /// Move messages to a folder (undoable).
    Move(Vec<MessageId>, FolderId),
    /// Ask which folder these messages move to.
    ChooseFolderFor(Vec<MessageId>),
    /// Move messages to Trash, or from Trash delete them for good (after asking).
    Delete(Vec<MessageId>),
    /// Do what the user agreed to in a question (delete for good, delete a folder).
    Confirmed(Confirm),
    /// Put messages from Trash back where they came from (undoable).
    Restore(Vec<MessageId>),
    /// Ask, then empty the Trash.
    EmptyTrash,
    /// Undo the last move, delete or restore.
    Undo,
    /// Order the list by a column (a second click reverses it).
    SortBy(SortColumn),
    /// Show the list's columns as arranged here (the header's right-click menu).
    ArrangeColumns(ListColumns),
    /// Sync every account.
    SyncAll,
    /// Sync one account (the banner's Retry).
    SyncAccount(AccountId),
    /// Fetch the rest of a headers-only message.
    DownloadFull(MessageId),
    /// Open the settings dialog.
    OpenSettings,
    /// Open the settings dialog on one account.
    EditAccount(AccountId),
    /// Open the settings dialog with a new account form.
    AddAccount,
    /// Save, test or remove the account in the settings dialog.
    Settings(SettingsAction),
    /// Pin this certificate fingerprint, which the user chose to trust.
    TrustCertificate(CertificateFor, String),
    /// Import the bundled sample messages into a Samples folder.
    ImportSamples,
    /// Choose a Maildir, mbox or `.eml` files and import them.
    ImportMail,
    /// Save an attachment (by its position) through a file dialog.
    SaveAttachment(MessageId, usize),
    /// Open an attachment with the system's application.
    OpenAttachment(MessageId, usize),
    /// Show a message's raw source.
    ViewSource(MessageId),
    /// Open a link in the system browser (only ever on a click).
    OpenLink(String),
    /// Create a user folder with this path.
    CreateFolder(String),
    /// Rename (or move, with a new parent in the path) the user folder at `from`.
    RenameFolder {
        /// The folder's path now.
        from: String,
        /// Its new path.
        to: String,
    },
    /// Ask, then delete a user folder and its subfolders (their mail moves to Trash).
    DeleteFolder(FolderId),
    /// Mark every message in a folder read.
    MarkFolderRead(FolderId),
    /// Choose a file or directory and write a folder's mail there.
    ExportFolder(FolderId, ExportFormat),
    /// The built-in file dialog answered: these paths, for this.
    PathsChosen(PathFor, Vec<std::path::PathBuf>),
    /// Open a compose window on a new message.
    Write,
    /// Open a compose window that answers or forwards a message.
    Answer(MessageId, AnswerKind),
    /// Open a saved draft in a compose window.
    EditDraft(MessageId),
    /// Send, save, attach to, close or discard what a compose window holds.
    Compose(ComposeKey, ComposeAction),
    /// Act on a message in the Outbox.
    Outbox(MessageId, OutboxAction),
}

/// What can be done with a message waiting in the Outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxAction {
    /// Queue it again (a failed or uncertain one) and send the Outbox now.
    SendNow,
    /// It did go out (the user checked): move it to Sent without sending.
    MarkSent,
    /// Take it out of the Outbox into Drafts and open it in a compose window.
    Edit,
}
