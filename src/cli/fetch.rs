//! `satchel fetch ID [--password-stdin]`: download the rest of a message stored headers-only.

use anyhow::Context as _;

use super::account::password_for;
use super::count_of;
use crate::model::MessageId;
use crate::secrets::Secrets;
use crate::store::Store;
use crate::sync::full::fetch_full_message;
use crate::sync::prepare::prepare_session;

/// Arguments of `satchel fetch`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Id of the message (as `satchel search` shows it).
    id: i64,
    /// Read the password (or token) from standard input instead of the saved one.
    #[arg(long)]
    password_stdin: bool,
}

pub(super) fn run(store: &Store, secrets: &Secrets, args: &Args) -> anyhow::Result<()> {
    let id = MessageId(args.id);
    if !store.message(id)?.headers_only {
        println!("message {id} is already stored in full; nothing to fetch");
        return Ok(());
    }
    let (account_id, _) = store.pop_origin(id)?;
    let account = store
        .accounts()?
        .into_iter()
        .find(|account| account.id == account_id)
        .with_context(|| format!("the account message {id} came from no longer exists"))?;
    let password = password_for(secrets, &account.name, args.password_stdin)?;
    let fetched = prepare_session(store.path(), &account, password).and_then(
        |(mut session_store, connect, runtime)| {
            runtime.block_on(fetch_full_message(&mut session_store, &connect, id))
        },
    );
    if let Err(err) = fetched {
        anyhow::bail!("{}: {}", account.name, err.sentence_for(&account.name));
    }
    let size = store.message(id)?.size;
    println!(
        "fetched message {id} in full from {} ({})",
        account.name,
        count_of(size, "byte")
    );
    Ok(())
}
