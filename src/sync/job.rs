//! One background job of the worker on its own thread: an account's sync or a full-message
//! fetch, and the single path by which either reports how it ended.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use super::error::SyncError;
use super::full::fetch_full_message;
use super::prepare::prepare_session;
use super::report::{Progress, SyncReport};
use super::run::sync_account_until;
use super::worker::SyncEvent;
use crate::model::MessageId;
use crate::store::Account;

/// The password, or the error that says none is saved.
fn needed(account: &Account, password: Option<String>) -> Result<String, SyncError> {
    password.ok_or_else(|| SyncError::NoPassword(account.name.clone()))
}

/// One account's sync on its own thread.
pub(super) struct Job {
    pub store_path: PathBuf,
    pub events: mpsc::Sender<SyncEvent>,
    pub wake: Arc<dyn Fn() + Send + Sync>,
    pub cancel: Arc<AtomicBool>,
}

impl Job {
    pub(super) fn emit(&self, event: SyncEvent) {
        if self.events.send(event).is_ok() {
            (self.wake)();
        }
    }

    pub(super) fn run(&self, account: &Account, password: Option<String>) {
        self.emit(SyncEvent::Started(account.id));
        let result = needed(account, password).and_then(|password| self.sync(account, password));
        self.report(account, result, |report| {
            SyncEvent::Finished(account.id, report)
        });
    }

    /// Sends the account's Outbox first, as Get Mail does in Thunderbird; what cannot go now
    /// waits there, and the download runs all the same.
    pub(super) fn send_outbox(&self, account: &Account, secret: Option<String>) {
        if !account.settings.can_send() {
            return;
        }
        let Ok(mut store) = crate::store::Store::open(&self.store_path) else {
            return;
        };
        let waiting = store.outgoing(Some(account.id)).is_ok_and(|queue| {
            queue
                .iter()
                .any(|o| o.state == crate::model::OutgoingState::Queued)
        });
        if !waiting {
            return;
        }
        // Another process (or this app's other account thread) sending: it will send these too.
        let Ok(_lock) = crate::outbox::lock(&self.store_path) else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        let opts = crate::outbox::options_for(account, secret);
        match runtime.block_on(crate::outbox::send_account(&mut store, account, &opts)) {
            Ok(report) => self.emit(SyncEvent::OutboxSent(account.id, report)),
            Err(err) => {
                tracing::warn!(account = %account.name, error = %err, "cannot send the Outbox");
            }
        }
    }

    pub(super) fn run_fetch(
        &self,
        account: &Account,
        password: Option<String>,
        message: MessageId,
    ) {
        let result = needed(account, password).and_then(|password| {
            let (mut store, connect, runtime) =
                prepare_session(&self.store_path, account, password)?;
            runtime.block_on(fetch_full_message(&mut store, &connect, message))
        });
        self.report(account, result, |()| SyncEvent::FullMessageFetched(message));
    }

    /// Emits what a finished job did: `done` of its value, or the failure in words.
    fn report<T>(
        &self,
        account: &Account,
        result: Result<T, SyncError>,
        done: impl FnOnce(T) -> SyncEvent,
    ) {
        let event = match result {
            Ok(value) => done(value),
            Err(err) => {
                tracing::warn!(account = %account.name, "sync failed");
                SyncEvent::Failed {
                    account: account.id,
                    failure: err.failure_for(&account.name),
                }
            }
        };
        self.emit(event);
    }

    fn sync(&self, account: &Account, password: String) -> Result<SyncReport, SyncError> {
        let (mut store, connect, runtime) = prepare_session(&self.store_path, account, password)?;
        let mut last_progress = Instant::now();
        let mut stored = Vec::new();
        let mut on_progress = |progress: Progress| {
            stored.extend(progress.stored);
            // Ten updates a second are plenty for a list and a progress bar.
            if last_progress.elapsed() >= Duration::from_millis(100)
                || progress.messages_done == progress.messages_total
            {
                last_progress = Instant::now();
                if !stored.is_empty() {
                    self.emit(SyncEvent::MessagesStored(
                        account.id,
                        std::mem::take(&mut stored),
                    ));
                }
                self.emit(SyncEvent::Progress(account.id, progress));
            }
        };
        let result = runtime.block_on(sync_account_until(
            &mut store,
            account,
            &connect,
            &mut on_progress,
            &self.cancel,
        ));
        if !stored.is_empty() {
            self.emit(SyncEvent::MessagesStored(account.id, stored));
        }
        // The store file holds the mail once a run ends; a busy reader only delays it.
        if let Err(err) = store.checkpoint() {
            tracing::debug!(error = %err, "checkpoint after sync deferred");
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AccountId;
    use crate::store::AccountSettings;
    use crate::sync::explain::{FailureKind, SyncFailure};

    fn job() -> (Job, mpsc::Receiver<SyncEvent>) {
        let (events, received) = mpsc::channel();
        let job = Job {
            store_path: PathBuf::from("/nonexistent/satchel.sqlite"),
            events,
            wake: Arc::new(|| {}),
            cancel: Arc::new(AtomicBool::new(false)),
        };
        (job, received)
    }

    fn account() -> Account {
        Account {
            id: AccountId(7),
            name: "work".to_owned(),
            settings: AccountSettings::default(),
        }
    }

    fn no_password_failure() -> SyncEvent {
        SyncEvent::Failed {
            account: AccountId(7),
            failure: SyncFailure {
                kind: FailureKind::Settings,
                sentence: "no password is saved for the account \"work\"".to_owned(),
                detail: "no password is saved for the account \"work\"".to_owned(),
            },
        }
    }

    #[test]
    fn a_sync_and_a_fetch_without_a_password_fail_the_same_way() {
        let (job, events) = job();
        job.run(&account(), None);
        job.run_fetch(&account(), None, MessageId(3));
        let events: Vec<String> = events.try_iter().map(|e| format!("{e:?}")).collect();
        let failed = format!("{:?}", no_password_failure());
        assert_eq!(
            events,
            [
                format!("{:?}", SyncEvent::Started(AccountId(7))),
                failed.clone(),
                failed
            ]
        );
    }

    #[test]
    fn a_finished_job_reports_its_own_event() {
        let (job, events) = job();
        job.report(&account(), Ok(MessageId(3)), SyncEvent::FullMessageFetched);
        let event = events.try_recv().expect("an event");
        assert!(
            matches!(event, SyncEvent::FullMessageFetched(MessageId(3))),
            "{event:?}"
        );
    }
}
