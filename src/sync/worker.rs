//! The background sync worker the GUI drives: a thread that takes commands and reports events.
//!
//! Sending a command never blocks. Each account syncs on its own thread with its own store
//! connection, so one slow or failing account never holds up another. Every event is followed
//! by a call to the waker (the GUI's `request_repaint`).

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use super::explain::SyncFailure;
use super::job::Job;
use super::probe::{ProbeReport, probe_settings};
use super::report::{Progress, SyncReport};
use crate::model::{AccountId, MessageId};
use crate::secrets::Secrets;
use crate::store::{Account, AccountSettings, Store};

/// Something the GUI asks the worker to do.
#[derive(Debug)]
pub enum SyncCommand {
    /// Sync every account (skips those already syncing).
    SyncAll,
    /// Sync one account.
    SyncAccount(AccountId),
    /// Stop every running sync: what is stored stays, nothing is deleted on the server.
    CancelAll,
    /// Download the rest of a message stored headers-only.
    FetchFullMessage(MessageId),
    /// Send one account's Outbox now (Send in a compose window), without downloading.
    SendOutbox(AccountId),
    /// Test settings that are not saved yet (the settings dialog's "Test connection").
    TestAccount(Box<AccountDraft>),
    /// Use this password for an account until the app closes ("don't remember").
    SessionPassword(AccountId, String),
    /// Stop the worker.
    Shutdown,
}

/// Settings and password of an account being edited, for a connection test.
#[derive(Clone)]
pub struct AccountDraft {
    /// The settings as typed.
    pub settings: AccountSettings,
    /// The password (or token) as typed.
    pub password: String,
    /// The outgoing server's password as typed; empty uses `password`.
    pub smtp_password: String,
}

impl std::fmt::Debug for AccountDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccountDraft")
            .field("settings", &self.settings)
            .field("password", &"<redacted>")
            .field("smtp_password", &"<redacted>")
            .finish()
    }
}

/// What the worker reports. Events carry ids and counts, never message content.
#[derive(Debug, Clone)]
pub enum SyncEvent {
    /// A sync of this account started.
    Started(AccountId),
    /// Messages and bytes done so far.
    Progress(AccountId, Progress),
    /// The sync finished; new mail is in the store.
    Finished(AccountId, SyncReport),
    /// New messages are in the store (batched, at most ten times a second).
    MessagesStored(AccountId, Vec<MessageId>),
    /// A connection test finished: what the server offers, or why it failed.
    TestFinished(Result<ProbeReport, SyncFailure>),
    /// The outgoing server's test (after the POP3 one, when the draft has one) finished.
    SmtpTestFinished(Result<String, crate::outbox::ProbeFailure>),
    /// A headers-only message now holds its full content.
    FullMessageFetched(MessageId),
    /// The account's Outbox was sent (before its download): what went, what waits.
    OutboxSent(AccountId, crate::outbox::SendReport),
    /// The sync (or a full-message fetch) failed; nothing was deleted on the server.
    Failed {
        /// The account.
        account: AccountId,
        /// What went wrong, for the user, and what kind of problem it is.
        failure: SyncFailure,
    },
}

/// The GUI's end of the worker.
#[derive(Debug)]
pub struct SyncHandle {
    commands: mpsc::Sender<SyncCommand>,
    events: mpsc::Receiver<SyncEvent>,
    thread: Option<thread::JoinHandle<()>>,
}

impl SyncHandle {
    /// Starts the worker for the store at `store_path`. `wake` is called after each event.
    #[must_use]
    pub fn spawn(
        store_path: PathBuf,
        secrets: Secrets,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> Self {
        let (commands, command_receiver) = mpsc::channel();
        let (event_sender, events) = mpsc::channel();
        let wake: Arc<dyn Fn() + Send + Sync> = Arc::new(wake);
        let worker = Worker {
            store_path,
            secrets,
            events: event_sender,
            wake,
            running: HashMap::new(),
            again: HashSet::new(),
            session_passwords: HashMap::new(),
            last_checked: HashMap::new(),
            last_sent: HashMap::new(),
            timers_checked: Instant::now(),
            store: None,
        };
        let thread = thread::Builder::new()
            .name("satchel-sync".to_owned())
            .spawn(move || worker.run(&command_receiver))
            .ok();
        Self {
            commands,
            events,
            thread,
        }
    }

    /// Queues a command; never blocks.
    pub fn send(&self, command: SyncCommand) {
        // The worker only stops on Shutdown, after which there is nobody left to tell.
        let _ = self.commands.send(command);
    }

    /// Events that arrived since the last call, oldest first; never blocks.
    pub fn drain(&self) -> impl Iterator<Item = SyncEvent> + '_ {
        self.events.try_iter()
    }

    /// Waits up to `timeout` for the next event (for tests and the CLI).
    pub fn next_event(&self, timeout: Duration) -> Option<SyncEvent> {
        self.events.recv_timeout(timeout).ok()
    }
}

impl Drop for SyncHandle {
    fn drop(&mut self) {
        self.send(SyncCommand::CancelAll);
        self.send(SyncCommand::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// How often the worker wakes to look at account timers.
const TICK: Duration = Duration::from_secs(15);
/// How often an account with mail waiting in its Outbox tries to send it again.
const RESEND_EVERY: Duration = Duration::from_mins(1);
/// How often it looks whether an account asked for again has finished its last sync.
const AGAIN_POLL: Duration = Duration::from_millis(100);

struct Worker {
    store_path: PathBuf,
    secrets: Secrets,
    events: mpsc::Sender<SyncEvent>,
    wake: Arc<dyn Fn() + Send + Sync>,
    /// Accounts syncing now, with their cancel flags and threads.
    running: HashMap<AccountId, (Arc<AtomicBool>, thread::JoinHandle<()>)>,
    /// Accounts asked to sync while they still were (a Retry as the last attempt ended): each
    /// starts again as soon as its thread is done, so a Retry is never lost.
    again: HashSet<AccountId>,
    session_passwords: HashMap<AccountId, String>,
    last_checked: HashMap<AccountId, Instant>,
    /// When each account last tried to send its Outbox.
    last_sent: HashMap<AccountId, Instant>,
    /// When the account timers were last looked at.
    timers_checked: Instant,
    /// The worker's own connection, opened on first use and kept: a fresh one on every timer
    /// tick cost an open, a migration check and the index check each time.
    store: Option<Store>,
}

impl Worker {
    fn run(mut self, commands: &mpsc::Receiver<SyncCommand>) {
        loop {
            // While a Retry waits for its account's thread, look again soon.
            let wait = if self.again.is_empty() {
                TICK
            } else {
                AGAIN_POLL
            };
            match commands.recv_timeout(wait) {
                Ok(SyncCommand::SyncAll) => self.start(None),
                Ok(SyncCommand::SyncAccount(account)) => {
                    self.running.retain(|_, (_, thread)| !thread.is_finished());
                    if self.running.contains_key(&account) {
                        self.again.insert(account);
                    } else {
                        self.start(Some(account));
                    }
                }
                Ok(SyncCommand::CancelAll) => {
                    // A Retry waiting for its account is cancelled too.
                    self.again.clear();
                    for (cancel, _) in self.running.values() {
                        cancel.store(true, Ordering::Relaxed);
                    }
                }
                Ok(SyncCommand::FetchFullMessage(message)) => self.fetch_full(message),
                Ok(SyncCommand::SendOutbox(account)) => self.send_only(account),
                Ok(SyncCommand::TestAccount(draft)) => self.test(*draft),
                Ok(SyncCommand::SessionPassword(account, password)) => {
                    self.session_passwords.insert(account, password);
                }
                Ok(SyncCommand::Shutdown) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    // The short wait for a Retry does not look at the timers more often.
                    if self.timers_checked.elapsed() >= TICK {
                        self.timers_checked = Instant::now();
                        self.start_due();
                        self.send_waiting();
                    }
                }
            }
            self.running.retain(|_, (_, thread)| !thread.is_finished());
            let ready: Vec<AccountId> = self
                .again
                .iter()
                .filter(|account| !self.running.contains_key(account))
                .copied()
                .collect();
            for account in ready {
                self.again.remove(&account);
                self.start(Some(account));
            }
        }
        for (_, (cancel, thread)) in self.running.drain() {
            cancel.store(true, Ordering::Relaxed);
            let _ = thread.join();
        }
    }

    fn store(&mut self) -> Option<&Store> {
        if self.store.is_none() {
            match Store::open(&self.store_path) {
                Ok(store) => self.store = Some(store),
                Err(err) => tracing::warn!(error = %err, "sync worker cannot open the store"),
            }
        }
        self.store.as_ref()
    }

    fn accounts(&mut self) -> Vec<Account> {
        self.store()
            .and_then(|store| store.accounts().ok())
            .unwrap_or_default()
    }

    /// Starts accounts whose "check every N minutes" timer has run out.
    fn start_due(&mut self) {
        let due: Vec<AccountId> = self
            .accounts()
            .iter()
            .filter_map(|account| {
                let minutes = account.settings.check_every_minutes?;
                let every = Duration::from_secs(u64::from(minutes) * 60);
                let last = self.last_checked.get(&account.id);
                last.is_none_or(|at| at.elapsed() >= every)
                    .then_some(account.id)
            })
            .collect();
        for account in due {
            self.start(Some(account));
        }
    }

    fn password(&self, account: &Account) -> Option<String> {
        match self.session_passwords.get(&account.id) {
            Some(password) => Some(password.clone()),
            None => self.secrets.get(&account.name).ok().flatten(),
        }
    }

    /// A job that reports through this worker's events and waker.
    fn job(&self, cancel: Arc<AtomicBool>) -> Job {
        Job {
            store_path: self.store_path.clone(),
            events: self.events.clone(),
            wake: Arc::clone(&self.wake),
            cancel,
        }
    }

    /// Tests unsaved settings on its own thread.
    fn test(&self, draft: AccountDraft) {
        let job = self.job(Arc::new(AtomicBool::new(false)));
        let _ = thread::Builder::new()
            .name("satchel-test".to_owned())
            .spawn(move || {
                let smtp = draft.settings.can_send().then(|| {
                    let secret = if draft.smtp_password.is_empty() {
                        draft.password.clone()
                    } else {
                        draft.smtp_password.clone()
                    };
                    let account = Account {
                        id: AccountId(0),
                        name: String::new(),
                        settings: draft.settings.clone(),
                    };
                    crate::outbox::options_for(&account, Some(secret))
                });
                let result = probe_settings(&draft.settings, draft.password);
                let result = result.map_err(|err| SyncFailure::from(&err));
                job.emit(SyncEvent::TestFinished(result));
                if let Some(opts) = smtp {
                    let result = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map_err(|err| crate::outbox::ProbeFailure {
                            sentence: err.to_string(),
                            certificate: None,
                        })
                        .and_then(|runtime| runtime.block_on(crate::outbox::probe(&opts)));
                    job.emit(SyncEvent::SmtpTestFinished(result));
                }
            });
    }

    /// The account and the secrets it sends with.
    fn sender(&mut self, account: AccountId) -> Option<(Account, Option<String>)> {
        let account = self.accounts().into_iter().find(|a| a.id == account)?;
        let secret = crate::outbox::smtp_secret(&self.secrets, &account.name)
            .ok()
            .flatten()
            .or_else(|| self.password(&account));
        Some((account, secret))
    }

    /// Sends an account's Outbox on a thread of its own (a sync running for it sends too; the
    /// Outbox lock keeps the two from sending the same message).
    fn send_only(&mut self, account: AccountId) {
        let Some((account, secret)) = self.sender(account) else {
            return;
        };
        self.last_sent.insert(account.id, Instant::now());
        let job = self.job(Arc::new(AtomicBool::new(false)));
        let _ = thread::Builder::new()
            .name("satchel-send".to_owned())
            .spawn(move || job.send_outbox(&account, secret));
    }

    /// "When the network returns": an account with mail waiting in its Outbox tries again
    /// every [`RESEND_EVERY`], without downloading, until the mail has gone.
    fn send_waiting(&mut self) {
        let waiting: Vec<AccountId> = self
            .store()
            .and_then(|store| store.outgoing(None).ok())
            .unwrap_or_default()
            .into_iter()
            .filter(|o| o.state == crate::model::OutgoingState::Queued)
            .map(|o| o.account_id)
            .collect();
        let mut due: Vec<AccountId> = waiting
            .into_iter()
            .filter(|id| !self.running.contains_key(id))
            .filter(|id| {
                self.last_sent
                    .get(id)
                    .is_none_or(|at| at.elapsed() >= RESEND_EVERY)
            })
            .collect();
        due.dedup();
        for account in due {
            self.send_only(account);
        }
    }

    /// Fetches the rest of a headers-only message on its own thread.
    fn fetch_full(&mut self, message: MessageId) {
        let found = self.store().and_then(|store| {
            let (account_id, _) = store.pop_origin(message).ok()?;
            store
                .accounts()
                .ok()?
                .into_iter()
                .find(|a| a.id == account_id)
        });
        let Some(account) = found else { return };
        let password = self.password(&account);
        let job = self.job(Arc::new(AtomicBool::new(false)));
        let _ = thread::Builder::new()
            .name("satchel-fetch".to_owned())
            .spawn(move || job.run_fetch(&account, password, message));
    }

    fn start(&mut self, only: Option<AccountId>) {
        // A thread that ended since the last command no longer makes its account busy.
        self.running.retain(|_, (_, thread)| !thread.is_finished());
        let busy: HashSet<AccountId> = self.running.keys().copied().collect();
        for account in self
            .accounts()
            .into_iter()
            .filter(|a| only.is_none_or(|id| id == a.id) && !busy.contains(&a.id))
        {
            self.last_checked.insert(account.id, Instant::now());
            self.last_sent.insert(account.id, Instant::now());
            let password = self.password(&account);
            let smtp_secret = crate::outbox::smtp_secret(&self.secrets, &account.name)
                .ok()
                .flatten()
                .or_else(|| password.clone());
            let cancel = Arc::new(AtomicBool::new(false));
            let job = self.job(Arc::clone(&cancel));
            let id = account.id;
            if let Ok(thread) = thread::Builder::new()
                .name(format!("satchel-sync-{id}"))
                .spawn(move || {
                    job.send_outbox(&account, smtp_secret);
                    job.run(&account, password);
                })
            {
                self.running.insert(id, (cancel, thread));
            }
        }
    }
}
