//! Dialogs: each a struct that owns its state and draws itself while open, and [`Dialogs`],
//! which holds them all. A dialog's answer becomes a [`UiCommand`]; it changes nothing itself.

pub mod account_form;
pub mod certificate;
pub mod compose;
pub mod confirm;
pub mod file_chooser;
pub mod message_windows;
pub mod move_picker;
pub mod settings;
pub mod source;

use account_form::{AccountForm, TestState};
use certificate::{CertificateChoice, CertificateFor, CertificatePrompt};
use compose::ComposeWindows;
use confirm::Confirm;
use file_chooser::{Chosen, FileChooser};
use message_windows::MessageWindows;
use move_picker::{MoveChoice, MovePicker};
use settings::SettingsDialog;
use source::SourceView;

use super::command::UiCommand;
use super::panels::reader::OpenMessage;
use super::prefs::Prefs;
use crate::model::{AccountId, MessageId};
use crate::store::{Account, Folder};
use crate::sync::explain::{FailureKind, SyncFailure};
use crate::sync::probe::ProbeReport;

/// What the dialogs read while they draw.
#[derive(Debug, Clone, Copy)]
pub struct DialogContext<'a> {
    /// The accounts, for the settings window.
    pub accounts: &'a [Account],
    /// The folders, for the move picker.
    pub folders: &'a [Folder],
    /// Where passwords are kept, in words ("in the system keyring").
    pub password_store: &'a str,
    /// The zone message windows show dates in.
    pub zone: &'a crate::dates::TimeZone,
    /// The window's area between the top bar and the status bar, where the settings window
    /// stays (the sync progress below it stays in sight).
    pub between_bars: egui::Rect,
}

/// Every dialog and window besides the main one.
#[derive(Debug, Default)]
pub struct Dialogs {
    settings: SettingsDialog,
    certificate: Option<CertificatePrompt>,
    confirm: Option<Confirm>,
    move_picker: Option<MovePicker>,
    source: Option<SourceView>,
    windows: MessageWindows,
    /// Messages being written.
    compose: ComposeWindows,
    /// The built-in file dialog, where the desktop cannot show its own.
    file_chooser: Option<FileChooser>,
}

impl Dialogs {
    /// True while a dialog that takes the keyboard is open (settings or a modal question);
    /// message and source windows do not count.
    #[must_use]
    pub fn any_modal_open(&self) -> bool {
        self.settings.open
            || self.certificate.is_some()
            || self.confirm.is_some()
            || self.move_picker.is_some()
            || self.file_chooser.is_some()
    }

    /// Asks for a path with the built-in file dialog.
    pub fn choose_path(&mut self, chooser: FileChooser) {
        self.file_chooser = Some(chooser);
    }

    /// The built-in file dialog, while it is open.
    #[must_use]
    pub fn file_chooser(&self) -> Option<&FileChooser> {
        self.file_chooser.as_ref()
    }

    /// Whether the settings window is open.
    #[must_use]
    pub fn settings_open(&self) -> bool {
        self.settings.open
    }

    /// The certificate prompt, while it is open.
    #[must_use]
    pub fn certificate_prompt(&self) -> Option<&CertificatePrompt> {
        self.certificate.as_ref()
    }

    /// The question waiting for an answer.
    #[must_use]
    pub fn question(&self) -> Option<&Confirm> {
        self.confirm.as_ref()
    }

    /// Opens the settings window on the account list.
    pub fn open_settings(&mut self) {
        self.settings.open_list();
    }

    /// Opens the settings window on `account`'s form, or a new account's.
    pub fn edit_account(&mut self, account: Option<&Account>) {
        self.settings.open_form(account);
    }

    /// The account form, while one is open.
    pub fn account_form(&mut self) -> Option<&mut AccountForm> {
        self.settings.form.as_mut()
    }

    /// Closes the account form (it was saved); the settings window stays open.
    pub fn close_account_form(&mut self) {
        self.settings.form = None;
    }

    /// Asks before deleting for good.
    pub fn ask(&mut self, question: Confirm) {
        self.confirm = Some(question);
    }

    /// Asks which folder `messages` move to.
    pub fn pick_folder_for(&mut self, messages: Vec<MessageId>) {
        self.move_picker = Some(MovePicker { messages });
    }

    /// Shows a message's source.
    pub fn show_source(&mut self, source: SourceView) {
        self.source = Some(source);
    }

    /// The messages open in windows of their own.
    pub fn window_ids(&self) -> impl Iterator<Item = MessageId> + '_ {
        self.windows.ids()
    }

    /// Whether a message window or View source is open (Escape closes one).
    #[must_use]
    pub fn any_window_open(&self) -> bool {
        self.source.is_some() || self.windows.ids().next().is_some()
    }

    /// Escape: closes View source, else the message window opened last.
    pub fn close_top_window(&mut self) {
        if self.source.take().is_none() {
            self.windows.close_newest();
        }
    }

    /// The compose windows.
    #[must_use]
    pub fn compose(&self) -> &ComposeWindows {
        &self.compose
    }

    /// The compose windows, to open, fill, save or close one.
    pub fn compose_mut(&mut self) -> &mut ComposeWindows {
        &mut self.compose
    }

    /// Opens a message in its own window.
    pub fn open_window(&mut self, message: OpenMessage) {
        self.windows.open(message);
    }

    /// The form's connection test finished: shows the result, and asks about a certificate
    /// the server presented that is not trusted.
    pub fn connection_tested(&mut self, result: Result<ProbeReport, SyncFailure>) {
        if let Err(SyncFailure {
            kind: FailureKind::CertificateNotTrusted(certificate),
            ..
        }) = &result
        {
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

    /// The outgoing server's test finished: shows the result, and asks about a certificate
    /// it presented that is not trusted.
    pub fn smtp_tested(&mut self, result: Result<String, crate::outbox::ProbeFailure>) {
        let Some(form) = &mut self.settings.form else {
            return;
        };
        match result {
            Ok(what) => form.smtp_test = account_form::SmtpTestState::Passed(what),
            Err(failure) => {
                if let Some(certificate) = failure.certificate {
                    self.certificate = Some(CertificatePrompt {
                        target: CertificateFor::SmtpDraft,
                        account_label: form.smtp.host.clone(),
                        certificate: *certificate,
                    });
                }
                form.smtp_test = account_form::SmtpTestState::Failed(failure.sentence);
            }
        }
    }

    /// A sync failed: an untrusted certificate opens the prompt that can pin it. Anything
    /// else (a wrong password included) is for the account's banner, which offers the form.
    pub fn sync_failed(&mut self, id: AccountId, account: Option<&Account>, kind: &FailureKind) {
        if let FailureKind::CertificateNotTrusted(certificate) = kind {
            self.certificate = Some(CertificatePrompt {
                target: CertificateFor::Account(id),
                account_label: account
                    .map_or_else(|| id.to_string(), |account| account.name.clone()),
                certificate: (**certificate).clone(),
            });
        }
    }

    /// Draws the built-in file dialog: a choice becomes a command; cancelling files to import
    /// asks for a Maildir folder next, as the system dialog does.
    fn show_file_chooser(&mut self, ctx: &egui::Context, commands: &mut Vec<UiCommand>) {
        let Some(chooser) = &mut self.file_chooser else {
            return;
        };
        let Some(chosen) = chooser.show(ctx) else {
            return;
        };
        let purpose = chooser.purpose.clone();
        self.file_chooser = None;
        match chosen {
            Chosen::Paths(paths) => commands.push(UiCommand::PathsChosen(purpose, paths)),
            Chosen::Cancelled => {
                if let Some(next) = purpose.when_cancelled() {
                    let start = file_chooser::start_dir(&next);
                    self.file_chooser = Some(FileChooser::new(next, &start));
                }
            }
        }
    }

    /// Draws the open dialogs and windows; the user's answers are pushed to `commands`.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        context: DialogContext<'_>,
        prefs: &mut Prefs,
        commands: &mut Vec<UiCommand>,
    ) {
        if let Some(action) = self.settings.show(
            ctx,
            context.between_bars,
            context.accounts,
            prefs,
            context.password_store,
        ) {
            commands.push(UiCommand::Settings(action));
        }
        if let Some(prompt) = &self.certificate
            && let Some(choice) = prompt.show(ctx)
        {
            if let CertificateChoice::Trust(fingerprint) = choice {
                commands.push(UiCommand::TrustCertificate(prompt.target, fingerprint));
            }
            self.certificate = None;
        }
        if let Some(question) = &self.confirm
            && let Some(yes) = question.show(ctx)
        {
            if yes {
                commands.push(UiCommand::Confirmed(question.clone()));
            }
            self.confirm = None;
        }
        if let Some(picker) = &self.move_picker
            && let Some(choice) = picker.show(ctx, context.folders)
        {
            if let MoveChoice::To(folder) = choice {
                commands.push(UiCommand::Move(picker.messages.clone(), folder));
            }
            self.move_picker = None;
        }
        self.show_file_chooser(ctx, commands);
        let options = crate::ui::panels::reader::ReaderOptions {
            zone: context.zone,
            prefer_plain_text: prefs.prefer_plain_text,
        };
        self.windows.show(ctx, options, commands);
        for (key, action) in self.compose.show(ctx, context.accounts) {
            commands.push(UiCommand::Compose(key, action));
        }
        if let Some(source) = &self.source {
            let mut still_open = true;
            source.show(ctx, &mut still_open);
            if !still_open {
                self.source = None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::explain::CertificateInfo;

    fn untrusted() -> FailureKind {
        FailureKind::CertificateNotTrusted(Box::new(CertificateInfo::from_der(b"cert")))
    }

    #[test]
    fn questions_pickers_and_settings_count_as_modal_but_windows_do_not() {
        let mut dialogs = Dialogs::default();
        assert!(!dialogs.any_modal_open());
        dialogs.show_source(SourceView::new("Hello".to_owned(), b"Subject: Hello\r\n"));
        assert!(
            !dialogs.any_modal_open(),
            "a source window leaves the keys alone"
        );

        dialogs.ask(Confirm::EmptyTrash);
        assert!(dialogs.any_modal_open());
        assert_eq!(dialogs.question(), Some(&Confirm::EmptyTrash));
        dialogs.confirm = None;
        dialogs.pick_folder_for(vec![MessageId(1)]);
        assert!(dialogs.any_modal_open());
        dialogs.move_picker = None;
        dialogs.open_settings();
        assert!(dialogs.any_modal_open() && dialogs.settings_open());
        assert!(dialogs.account_form().is_none(), "the list, not a form");
    }

    #[test]
    fn only_an_untrusted_certificate_asks_at_once() {
        let mut dialogs = Dialogs::default();
        dialogs.sync_failed(AccountId(7), None, &FailureKind::Timeout);
        assert!(!dialogs.any_modal_open(), "a timeout asks nothing");

        dialogs.sync_failed(AccountId(7), None, &FailureKind::WrongPassword);
        assert!(
            !dialogs.settings_open(),
            "a wrong password is for the banner's Account settings button"
        );

        dialogs.sync_failed(AccountId(7), None, &untrusted());
        let prompt = dialogs.certificate_prompt().expect("prompt");
        assert_eq!(prompt.target, CertificateFor::Account(AccountId(7)));
        assert_eq!(prompt.account_label, AccountId(7).to_string());
    }

    #[test]
    fn a_test_refused_for_its_certificate_asks_for_the_draft_and_shows_the_result() {
        let mut dialogs = Dialogs::default();
        dialogs.edit_account(None);
        if let Some(form) = dialogs.account_form() {
            form.host = "pop.example.org".to_owned();
        }
        dialogs.connection_tested(Err(SyncFailure {
            kind: untrusted(),
            sentence: "The certificate is not trusted.".to_owned(),
            detail: "cannot trust the certificate".to_owned(),
        }));
        let prompt = dialogs.certificate_prompt().expect("prompt");
        assert_eq!(prompt.target, CertificateFor::Draft);
        assert_eq!(prompt.account_label, "pop.example.org");
        let form = dialogs.account_form().expect("form");
        assert!(matches!(form.test, TestState::Done(Err(_))));
    }
}
