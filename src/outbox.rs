//! Sending the Outbox: one SMTP session per account, each queued message sent once, its state
//! recorded durably at every step (see `store::outbox` and migration 06).
//!
//! Never lost: a message leaves the Outbox only for Sent, after the server's 250. Never sent twice
//! by surprise: `uncertain` is committed before the final dot; such a message waits for the user.
//! One sender at a time: an exclusive lock on a file beside the store (released by the system if
//! the process dies), so a `sending` row found by the lock holder was left by a crash.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use crate::model::{OutgoingState, Security, SmtpAuth};
use crate::pop3::Fingerprint;
use crate::secrets::Secrets;
use crate::smtp::{Delivery, Login, SmtpError, SmtpOptions, SmtpSession};
use crate::store::{Account, Outgoing, Store, StoreError};

/// The key the SMTP password is saved under when it differs from the POP3 one.
#[must_use]
pub fn smtp_secret_key(account: &str) -> String {
    format!("{account}/smtp")
}

/// The SMTP password (or token) of `account`: its own, else the POP3 one.
///
/// # Errors
/// When the password store cannot be read.
pub fn smtp_secret(
    secrets: &Secrets,
    account: &str,
) -> Result<Option<String>, crate::secrets::SecretsError> {
    match secrets.get(&smtp_secret_key(account))? {
        Some(own) => Ok(Some(own)),
        None => secrets.get(account),
    }
}

/// What one account's Outbox run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SendReport {
    /// Accepted by the server, now in Sent.
    pub sent: usize,
    /// Refused for good (5xx), marked failed.
    pub refused: usize,
    /// Still queued: the server said "later", or the connection failed before it had them.
    pub still_queued: usize,
    /// The final dot went out and no answer came: waiting for the user.
    pub uncertain: usize,
    /// Why the session failed, when it did (then every message stays queued).
    pub session_error: Option<String>,
}

impl SendReport {
    /// True when nothing is left to send and nothing went wrong.
    #[must_use]
    pub fn all_sent(&self) -> bool {
        self.refused == 0
            && self.still_queued == 0
            && self.uncertain == 0
            && self.session_error.is_none()
    }
}

/// Why the Outbox could not be sent at all.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    /// Another Satchel is sending this store's Outbox.
    #[error("another Satchel is sending the Outbox now")]
    Busy,
    /// The lock file could not be opened.
    #[error("cannot open {path}: {source}")]
    Lock {
        /// The lock file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The Outbox lock of the store at `store_path`, held until dropped.
///
/// # Errors
/// [`OutboxError::Busy`] when another process holds it.
pub fn lock(store_path: &Path) -> Result<File, OutboxError> {
    let mut name = store_path.as_os_str().to_owned();
    name.push("-outbox.lock");
    let path = PathBuf::from(name);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| OutboxError::Lock {
            path: path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(OutboxError::Busy),
        Err(std::fs::TryLockError::Error(source)) => Err(OutboxError::Lock { path, source }),
    }
}

/// The SMTP options for `account`, with its secret.
#[must_use]
pub fn options_for(account: &Account, secret: Option<String>) -> SmtpOptions {
    let smtp = &account.settings.smtp;
    let mut opts = SmtpOptions::new(smtp.host.clone(), smtp.port, smtp.security);
    opts.pinned = smtp
        .pinned_fingerprint
        .as_deref()
        .and_then(|text| text.parse::<Fingerprint>().ok());
    account
        .settings
        .email
        .rsplit_once('@')
        .map_or("localhost", |(_, domain)| domain)
        .clone_into(&mut opts.hello);
    if smtp.auth != SmtpAuth::None
        && let Some(secret) = secret
    {
        opts.login = Some(Login {
            username: account.settings.smtp_username().to_owned(),
            secret,
            method: smtp.auth,
        });
    }
    if smtp.security == Security::Plain {
        tracing::warn!(account = %account.name, "sending over an unencrypted connection, as the account asks");
    }
    opts
}

/// Sends `account`'s queued messages (the caller holds [`lock`]). Messages that are `uncertain`
/// or `failed` are left alone.
///
/// # Errors
/// Only store failures; SMTP trouble is in the report and on each message.
pub async fn send_account(
    store: &mut Store,
    account: &Account,
    opts: &SmtpOptions,
) -> Result<SendReport, StoreError> {
    store.requeue_interrupted()?;
    let queued: Vec<Outgoing> = store
        .outgoing(Some(account.id))?
        .into_iter()
        .filter(|o| o.state == OutgoingState::Queued)
        .collect();
    let mut report = SendReport::default();
    if queued.is_empty() {
        return Ok(report);
    }
    let mut session = match SmtpSession::connect(opts).await {
        Ok(session) => session,
        Err(err) => {
            let why = explain(&err);
            for message in &queued {
                store.set_outgoing_state(
                    message.message_id,
                    OutgoingState::Queued,
                    Some(&why),
                    true,
                )?;
            }
            report.still_queued = queued.len();
            report.session_error = Some(why);
            return Ok(report);
        }
    };
    let mut broken: Option<String> = None;
    for message in &queued {
        if let Some(why) = &broken {
            store.set_outgoing_state(
                message.message_id,
                OutgoingState::Queued,
                Some(why),
                false,
            )?;
            report.still_queued += 1;
            continue;
        }
        let id = message.message_id;
        store.set_outgoing_state(id, OutgoingState::Sending, None, true)?;
        let raw = crate::compose::strip_bcc(&store.raw_message(id)?);
        let delivery = {
            let store_ref = &mut *store;
            session
                .send(
                    &message.envelope.from,
                    &message.envelope.recipients,
                    &raw,
                    || {
                        store_ref.set_outgoing_state(
                            id,
                            OutgoingState::Uncertain,
                            Some("The connection was lost after the whole message was sent."),
                            false,
                        )
                    },
                )
                .await
        };
        match delivery {
            Ok(Delivery::Accepted) => {
                store.mark_sent(id)?;
                report.sent += 1;
            }
            Ok(Delivery::Refused { permanent, reason }) => {
                let state = if permanent {
                    report.refused += 1;
                    OutgoingState::Failed
                } else {
                    report.still_queued += 1;
                    OutgoingState::Queued
                };
                store.set_outgoing_state(id, state, Some(&reason), false)?;
            }
            Ok(Delivery::Unknown(err)) => {
                let why = format!(
                    "It may have been sent: the whole message went out and the server did not answer ({}). Send again or mark it as sent.",
                    explain(&err)
                );
                store.set_outgoing_state(id, OutgoingState::Uncertain, Some(&why), false)?;
                report.uncertain += 1;
                broken = Some(explain(&err));
            }
            Err(err) => {
                let why = explain(&err);
                store.set_outgoing_state(id, OutgoingState::Queued, Some(&why), false)?;
                report.still_queued += 1;
                broken = Some(why);
            }
        }
    }
    if broken.is_none() {
        session.quit().await;
    }
    Ok(report)
}

/// One line for a person: the error and its causes.
#[must_use]
pub fn explain(err: &SmtpError) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
        source = cause_source(source);
    }
    crate::pop3::reply::sanitize(&text)
}

fn cause_source<'a>(
    err: Option<&'a (dyn std::error::Error + 'static)>,
) -> Option<&'a (dyn std::error::Error + 'static)> {
    err.and_then(std::error::Error::source)
}

/// Sends the Outbox of every account that can send (or only `only`), on a runtime of its own.
///
/// # Errors
/// [`OutboxError`] when another process is sending or the store fails.
pub fn send_all_blocking(
    store: &mut Store,
    secrets: &Secrets,
    only: Option<&str>,
) -> Result<Vec<(String, SendReport)>, OutboxError> {
    let _lock = lock(store.path())?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| OutboxError::Lock {
            path: store.path().to_owned(),
            source,
        })?;
    let mut reports = Vec::new();
    for account in store.accounts()? {
        if only.is_some_and(|name| !name.eq_ignore_ascii_case(&account.name)) {
            continue;
        }
        let waiting = store
            .outgoing(Some(account.id))?
            .iter()
            .any(|o| o.state == OutgoingState::Queued || o.state == OutgoingState::Sending);
        if !waiting {
            continue;
        }
        if !account.settings.can_send() {
            reports.push((
                account.name.clone(),
                SendReport {
                    still_queued: store.outgoing(Some(account.id))?.len(),
                    session_error: Some(
                        "no SMTP server is set for this account (account edit --smtp-host)"
                            .to_owned(),
                    ),
                    ..SendReport::default()
                },
            ));
            continue;
        }
        let secret = smtp_secret(secrets, &account.name).ok().flatten();
        let opts = options_for(&account, secret);
        let report = runtime.block_on(send_account(store, &account, &opts))?;
        reports.push((account.name.clone(), report));
    }
    Ok(reports)
}

/// Why an outgoing server's test failed: in words, and the certificate it presented when that
/// was the reason (so the user can choose to trust it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeFailure {
    /// What went wrong, for the user.
    pub sentence: String,
    /// The certificate the server presented, when it was not trusted.
    pub certificate: Option<Box<crate::pop3::CertificateInfo>>,
}

/// Connects to the outgoing server `opts` names, logs in and leaves: what "Test connection"
/// does for sending. Returns a sentence on what the server offers.
///
/// # Errors
/// [`ProbeFailure`] with the reason, and the certificate when it was not trusted.
pub async fn probe(opts: &SmtpOptions) -> Result<String, ProbeFailure> {
    let session = SmtpSession::connect(opts)
        .await
        .map_err(|err| ProbeFailure {
            sentence: explain(&err),
            certificate: err.certificate().cloned().map(Box::new),
        })?;
    let how = if opts.login.is_some() {
        "logged in"
    } else {
        "connected (no login)"
    };
    let encrypted = if opts.security == Security::Plain {
        "without encryption"
    } else {
        "over an encrypted connection"
    };
    let limit = session
        .extensions()
        .size
        .filter(|&size| size > 0)
        .map_or_else(String::new, |size| {
            format!("; messages up to {} MB", size / 1_000_000)
        });
    session.quit().await;
    Ok(format!("{how} to {} {encrypted}{limit}.", opts.host))
}
