//! Writing mail against the store, for the app and the CLI alike: who an account writes as,
//! the drafts Reply, Reply all and Forward start from, files read as attachments, and a finished
//! draft built and queued in the Outbox (or saved in Drafts).
//!
//! `compose` builds the bytes and knows nothing of the store; this module joins the two.

use std::path::{Path, PathBuf};

use crate::compose::{
    self, Attachment, ComposeError, Draft, ForwardStyle, Mailbox, Purpose, Stamp,
};
use crate::model::{AccountId, MessageId};
use crate::store::{Account, Envelope, Store, StoreError};

/// Why something could not be written, attached or queued.
#[derive(Debug, thiserror::Error)]
pub enum WritingError {
    /// The store failed; nothing was queued or saved.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The draft is not a message yet (a recipient, or nobody to send to).
    #[error(transparent)]
    Compose(#[from] ComposeError),
    /// A file cannot be attached.
    #[error("cannot attach {}: {why}", path.display())]
    Attachment {
        /// The file.
        path: PathBuf,
        /// Why, in words.
        why: String,
    },
    /// The message came to no account and none was named.
    #[error("the message came to no account; choose the account to answer from")]
    NoAccount,
}

/// How a message is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerKind {
    /// To the sender (or Reply-To).
    Reply,
    /// To the sender and everyone else it went to, the user's own addresses left out.
    ReplyAll,
    /// Quoted inline, with its attachments, to recipients the user adds.
    Forward,
    /// Attached whole as a `message/rfc822` part.
    ForwardAsAttachment,
}

/// The mailbox `account` writes as: its identity's name (else the name it is shown with) and
/// its address.
#[must_use]
pub fn sender(account: &Account) -> Mailbox {
    let settings = &account.settings;
    let name = if settings.identity.name.trim().is_empty() {
        settings.display_name.trim()
    } else {
        settings.identity.name.trim()
    };
    Mailbox::new(name, settings.email.clone())
}

/// Every account's address: the user's own, left out of Reply all.
///
/// # Errors
/// When the store cannot be read.
pub fn own_addresses(store: &Store) -> Result<Vec<String>, StoreError> {
    Ok(store
        .accounts()?
        .into_iter()
        .map(|a| a.settings.email)
        .filter(|e| !e.is_empty())
        .collect())
}

/// The account message `id` is answered from: the one named, else the one it came to, else the
/// only account there is.
///
/// # Errors
/// [`WritingError::NoAccount`] when none fits; store errors.
pub fn answering_account(
    store: &Store,
    id: MessageId,
    named: Option<&str>,
) -> Result<Account, WritingError> {
    if let Some(name) = named {
        return Ok(store.account_by_name(name)?);
    }
    let summary = store.message(id)?;
    let accounts = store.accounts()?;
    summary
        .account_id
        .and_then(|a| accounts.iter().find(|account| account.id == a).cloned())
        .or_else(|| (accounts.len() == 1).then(|| accounts[0].clone()))
        .ok_or(WritingError::NoAccount)
}

/// The draft that answers message `id` from `account`, with its signature, quoting it in the
/// store's time zone.
///
/// # Errors
/// When the message or the accounts cannot be read.
pub fn answer_draft(
    store: &Store,
    id: MessageId,
    account: &Account,
    kind: AnswerKind,
) -> Result<Draft, WritingError> {
    let original = store.raw_message(id)?;
    let signature = &account.settings.identity.signature;
    let zone = store.time_zone();
    Ok(match kind {
        AnswerKind::Reply | AnswerKind::ReplyAll => compose::reply(
            &original,
            &own_addresses(store)?,
            kind == AnswerKind::ReplyAll,
            signature,
            zone,
        ),
        AnswerKind::Forward => compose::forward(&original, ForwardStyle::Inline, signature, zone),
        AnswerKind::ForwardAsAttachment => {
            compose::forward(&original, ForwardStyle::AsAttachment, signature, zone)
        }
    })
}

/// A file to attach, with its type guessed from its name; refused when larger than
/// [`compose::MAX_ATTACHMENT_BYTES`].
///
/// # Errors
/// [`WritingError::Attachment`] when it cannot be read or is too large.
pub fn read_attachment(path: &Path) -> Result<Attachment, WritingError> {
    let refuse = |why: String| WritingError::Attachment {
        path: path.to_owned(),
        why,
    };
    let size = std::fs::metadata(path)
        .map_err(|err| refuse(err.to_string()))?
        .len();
    if size > compose::MAX_ATTACHMENT_BYTES {
        return Err(refuse(format!(
            "{} MB is more than the {} MB a message may carry",
            size / 1_000_000,
            compose::MAX_ATTACHMENT_BYTES / 1_000_000
        )));
    }
    if !std::fs::metadata(path).is_ok_and(|meta| meta.is_file()) {
        return Err(refuse("it is not a file".to_owned()));
    }
    let bytes = std::fs::read(path).map_err(|err| refuse(err.to_string()))?;
    let name = path.file_name().map_or_else(
        || "attachment".to_owned(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok(Attachment {
        mime_type: compose::guess_mime_type(&name).to_owned(),
        name,
        bytes,
    })
}

/// Builds `draft` as `account` writes it and queues it in the Outbox, durably, before
/// returning its id. The draft it was written from (`from_draft`) goes in the same transaction.
///
/// # Errors
/// [`WritingError::Compose`] when it is not a message yet (nothing changed); store errors.
pub fn queue(
    store: &mut Store,
    account: &Account,
    draft: &Draft,
    from_draft: Option<MessageId>,
) -> Result<MessageId, WritingError> {
    let from = sender(account);
    let stamp = Stamp::now(&from.addr, store.time_zone());
    let built = compose::build(draft, &from, &stamp, Purpose::Send)?;
    let envelope = Envelope {
        from: from.addr.clone(),
        recipients: built.recipients.clone(),
    };
    Ok(store.queue_message(account.id, &built.raw, &envelope, from_draft)?)
}

/// Saves `draft` in Drafts as `account` writes it, replacing its earlier save; returns the new
/// id. What is not an address yet is kept as typed.
///
/// # Errors
/// Store errors (the earlier save is still there); [`WritingError::Compose`] only when the
/// account's own address is not one.
pub fn save_draft(
    store: &mut Store,
    account: &Account,
    draft: &Draft,
    replacing: Option<MessageId>,
) -> Result<MessageId, WritingError> {
    let from = sender(account);
    let stamp = Stamp::now(&from.addr, store.time_zone());
    let built = compose::build(draft, &from, &stamp, Purpose::Draft)?;
    Ok(store.save_draft(Some(account.id), &built.raw, replacing)?)
}

/// The account a saved draft (or an Outbox message) is written from: the one stored with it,
/// else the first account.
///
/// # Errors
/// [`WritingError::NoAccount`] when there is no account at all; store errors.
pub fn account_of(store: &Store, id: MessageId) -> Result<Account, WritingError> {
    let stored: Option<AccountId> = store.message(id)?.account_id;
    let accounts = store.accounts()?;
    stored
        .and_then(|a| accounts.iter().find(|account| account.id == a).cloned())
        .or_else(|| accounts.first().cloned())
        .ok_or(WritingError::NoAccount)
}

/// Most addresses offered for completion.
pub const ADDRESS_BOOK_LIMIT: usize = 5000;

/// The addresses a compose window completes from: people written to first, then senders, each
/// address once, the user's own left out.
///
/// # Errors
/// When the store cannot be read.
pub fn address_book(store: &Store) -> Result<Vec<Mailbox>, StoreError> {
    let found = store.correspondents(ADDRESS_BOOK_LIMIT)?;
    let mine = own_addresses(store)?;
    let mut book: Vec<Mailbox> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let written_to = found
        .written_to
        .iter()
        .filter_map(|list| compose::parse_list(list).ok())
        .flatten();
    let senders = found
        .senders
        .into_iter()
        .map(|(name, addr)| Mailbox::new(name, addr));
    for mailbox in written_to.chain(senders) {
        let key = mailbox.addr.to_lowercase();
        if key.is_empty() || mine.iter().any(|own| own.eq_ignore_ascii_case(&key)) {
            continue;
        }
        if seen.insert(key) {
            book.push(mailbox);
        }
        if book.len() >= ADDRESS_BOOK_LIMIT {
            break;
        }
    }
    Ok(book)
}
