//! What arrives from elsewhere: the sync worker's events (time-boxed per frame) and what the
//! background threads finished.

use std::time::Instant;

use super::background::Finished;
use super::{EVENT_BUDGET, SatchelApp};
use crate::sync::worker::SyncEvent;
use crate::ui::panels::reader::OpenMessage;
use crate::wording::count_of;

impl SatchelApp {
    /// Handles one worker event (also called by tests to simulate the worker).
    pub fn handle_sync_event(&mut self, event: SyncEvent) {
        match event {
            SyncEvent::Started(account) => self.status.progress(account, None),
            SyncEvent::Progress(account, progress) => self.status.progress(account, Some(progress)),
            SyncEvent::MessagesStored(_, ids) => {
                self.feedback
                    .new_mail(ids.len(), self.prefs.notify_new_mail);
                self.refresh_after_change();
            }
            SyncEvent::Finished(account, report) => self.sync_finished(account, &report),
            SyncEvent::Failed { account, failure } => self.sync_failed(account, failure),
            SyncEvent::TestFinished(result) => self.dialogs.connection_tested(result),
            SyncEvent::SmtpTestFinished(result) => self.dialogs.smtp_tested(result),
            SyncEvent::OutboxSent(_, report) => {
                if let Some(sentence) = outbox_sentence(&report) {
                    self.feedback.tell(sentence);
                }
                self.refresh_after_change();
                // The reader's Outbox banner follows the message's state.
                if let Some(open) = &self.panels.reader
                    && open.written.is_some()
                {
                    let id = open.summary.id;
                    self.panels.reader = OpenMessage::load(&self.store, id).ok();
                }
            }
            SyncEvent::FullMessageFetched(id) => {
                if self
                    .panels
                    .reader
                    .as_ref()
                    .is_some_and(|open| open.summary.id == id)
                {
                    self.panels.reader = OpenMessage::load(&self.store, id).ok();
                }
                self.panels.list.invalidate_rows();
            }
        }
    }

    /// Handles the worker's queued events for at most [`EVENT_BUDGET`], then what the
    /// background threads finished.
    pub(super) fn drain_events(&mut self) {
        let started = Instant::now();
        while started.elapsed() < EVENT_BUDGET {
            let Some(event) = self.background.next_event() else {
                break;
            };
            self.handle_sync_event(event);
        }
        let finished: Vec<Finished> = self.background.finished().collect();
        for done in finished {
            self.finished(done);
        }
    }

    fn finished(&mut self, done: Finished) {
        match done {
            Finished::Imported(result) => {
                if let Some(report) = self.feedback.report("import the mail", result) {
                    self.feedback.tell(format!(
                        "Imported {} message(s) into “Imported” ({} already there).",
                        report.imported, report.skipped
                    ));
                }
                self.refresh_after_change();
            }
            Finished::Exported(path, result) => {
                let what = format!("export to {}", path.display());
                if let Some(written) = self.feedback.report(&what, result) {
                    self.feedback.tell(format!(
                        "Exported {} to {}.",
                        count_of(written as u64, "message"),
                        path.display()
                    ));
                }
            }
            Finished::NotOpened(sentence) => self.feedback.tell(sentence),
            Finished::ToAttach(key, paths) => self.attach_files(key, &paths),
            Finished::Saved(path, result) => {
                let what = format!("save {}", path.display());
                if self.feedback.report(&what, result).is_some() {
                    self.feedback.tell(format!("Saved {}.", path.display()));
                }
            }
        }
    }
}

/// What an Outbox run did, in one sentence; `None` when it had nothing to say.
fn outbox_sentence(report: &crate::outbox::SendReport) -> Option<String> {
    let count = |n: usize| count_of(u64::try_from(n).unwrap_or(u64::MAX), "message");
    let mut parts = Vec::new();
    if report.sent > 0 {
        parts.push(format!("{} sent.", count(report.sent)));
    }
    if report.refused > 0 {
        parts.push(format!(
            "{} refused by the server (the Outbox says why).",
            count(report.refused)
        ));
    }
    if report.uncertain > 0 {
        parts.push(format!(
            "{} may have been sent: look in the Outbox before sending again.",
            count(report.uncertain)
        ));
    }
    if report.still_queued > 0 {
        let why = report
            .session_error
            .as_deref()
            .map_or_else(String::new, |why| format!(" ({why})"));
        parts.push(format!(
            "{} waiting in the Outbox{why}; tried again every minute.",
            count(report.still_queued)
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}
