//! "Download full message": fetch the rest of a message that was stored headers-only because
//! it was over the account's size limit.

use super::error::SyncError;
use super::sink::MemorySink;
use crate::message;
use crate::model::MessageId;
use crate::pop3::{ConnectOptions, Session};
use crate::store::Store;

/// Downloads the full message behind a headers-only one and replaces it in place (same id,
/// folder and flags). Nothing is deleted on the server.
///
/// # Errors
/// [`SyncError::Store`] when the message did not come from this account over POP3,
/// [`SyncError::GoneFromServer`] when the server no longer has it; otherwise as a sync.
pub async fn fetch_full_message(
    store: &mut Store,
    connect: &ConnectOptions,
    message: MessageId,
) -> Result<(), SyncError> {
    let (_, uidl) = store.pop_origin(message)?;
    let mut session = Session::connect(connect).await?;
    let listing = session.messages().await?;
    let Some(info) = listing.iter().find(|info| info.uid == uidl) else {
        let _ = session.quit().await;
        return Err(SyncError::GoneFromServer);
    };
    let mut full = MemorySink::default();
    session.retr(info.number, &mut full).await?;
    session.quit().await?;
    let parsed = message::parse(&full.bytes, None);
    store.complete_headers_only(message, &full.bytes, &parsed)?;
    Ok(())
}
