//! Command-line interface: one file per subcommand, all on the same store.

mod account;
mod check;
mod export;
mod fetch;
mod flag;
mod folder;
mod import;
mod moves;
mod outbox;
mod search;
mod show;
mod sync;
mod terminal;
mod thread;

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::config;
use crate::store::{Checkpoint, Store, StoreError};

/// Satchel: read, search and organise your mail offline.
#[derive(Debug, Parser)]
#[command(name = "satchel", version, about, propagate_version = true)]
pub struct Cli {
    /// Folder holding the store (default: the platform's data directory).
    #[arg(long, global = true, env = config::DATA_DIR_ENV, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// What to do; without one, the app opens.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import Maildir folders, mbox files and .eml files.
    Import(import::Args),
    /// Search the store (words, "phrases", prefix*, from: to: subject: folder: account: has: is: before: after: larger: smaller:).
    Search(search::Args),
    /// Show one message: headers and readable body, or the exact raw bytes.
    Show(show::Args),
    /// Print the ids of a message's conversation, in reading order.
    Thread(thread::Args),
    /// List, create, rename or delete local folders.
    #[command(subcommand)]
    Folder(folder::Command),
    /// Move messages to a folder.
    Move(moves::Args),
    /// Mark messages read, unread, flagged or unflagged.
    Flag(flag::Args),
    /// Export a folder as an mbox file or a Maildir.
    Export(export::Args),
    /// Add, edit, remove, list or test POP3 accounts.
    #[command(subcommand)]
    Account(account::Command),
    /// Download new mail from every account (or one), applying each account's policies.
    Sync(sync::Args),
    /// Download the rest of a message that was stored headers-only (over the size limit).
    Fetch(fetch::Args),
    /// Check the store and its search index for damage; exit code 0 only when healthy.
    Check,
    /// Write a message and put it in the Outbox; prints its id.
    Compose(outbox::ComposeArgs),
    /// Answer a message (its sender, or everyone with --all); the answer goes to the Outbox.
    Reply(outbox::ReplyArgs),
    /// Forward a message, inline or as an attachment; it goes to the Outbox.
    Forward(outbox::ForwardArgs),
    /// List the Outbox: each message's state and why it waits.
    Outbox(outbox::OutboxArgs),
    /// Send the Outbox now (exit 0 only when everything was sent).
    Send(outbox::SendArgs),
}

impl Command {
    /// Whether the command changes the store, so its run ends with a WAL checkpoint. `sync`
    /// checkpoints on its own; reading commands never wait for one.
    fn writes(&self) -> bool {
        match self {
            Self::Import(_)
            | Self::Move(_)
            | Self::Flag(_)
            | Self::Fetch(_)
            | Self::Compose(_)
            | Self::Reply(_)
            | Self::Forward(_)
            | Self::Send(_) => true,
            Self::Folder(command) => !matches!(command, folder::Command::List),
            Self::Account(command) => account_writes(command),
            Self::Search(_)
            | Self::Show(_)
            | Self::Thread(_)
            | Self::Export(_)
            | Self::Sync(_)
            | Self::Outbox(_)
            | Self::Check => false,
        }
    }
}

fn account_writes(command: &account::Command) -> bool {
    !matches!(
        command,
        account::Command::List | account::Command::Test { .. }
    )
}

impl Cli {
    /// The data directory to use: `--data-dir`, `SATCHEL_DATA_DIR`, or the platform default.
    ///
    /// # Errors
    /// When the platform has no home directory and none was given.
    pub fn data_dir(&self) -> anyhow::Result<PathBuf> {
        match &self.data_dir {
            Some(dir) => Ok(dir.clone()),
            None => config::default_data_dir()
                .context("cannot find a data directory; pass --data-dir DIR"),
        }
    }

    /// The password store: the system keyring, else a file in the config directory (or in the
    /// data directory when one was given, so separate data directories stay separate).
    ///
    /// # Errors
    /// When no directory can be found.
    pub fn secrets(&self) -> anyhow::Result<crate::secrets::Secrets> {
        let dir = match (&self.data_dir, config::project_dirs()) {
            (Some(dir), _) => dir.clone(),
            (None, Some(dirs)) => dirs.config_dir().to_owned(),
            (None, None) => anyhow::bail!("cannot find a config directory; pass --data-dir DIR"),
        };
        Ok(crate::secrets::Secrets::open(&dir))
    }

    /// Opens the store in the data directory; its `before:` and `after:` read days in the
    /// system time zone.
    ///
    /// # Errors
    /// When the store cannot be opened (with the reason in one line).
    pub fn open_store(&self) -> anyhow::Result<Store> {
        let dir = self.data_dir()?;
        let mut store = Store::open_in(&dir)?;
        store.set_time_zone(crate::dates::system_zone());
        Ok(store)
    }
}

/// Runs a subcommand.
///
/// # Errors
/// Any failure, for `main` to print as one line with exit code 2.
pub fn run(cli: &Cli, command: &Command) -> anyhow::Result<()> {
    if let Command::Check = command {
        return check::run(cli);
    }
    let mut store = cli.open_store()?;
    let result = match command {
        Command::Import(args) => import::run(&mut store, args),
        Command::Search(args) => search::run(&store, args),
        Command::Show(args) => show::run(&store, args),
        Command::Thread(args) => thread::run(&store, args),
        Command::Folder(command) => folder::run(&mut store, command),
        Command::Move(args) => moves::run(&mut store, args),
        Command::Flag(args) => flag::run(&mut store, args),
        Command::Export(args) => export::run(&store, args),
        Command::Account(command) => account::run(&mut store, &cli.secrets()?, command),
        Command::Sync(args) => {
            // The Outbox goes first (as Thunderbird's "send unsent messages" on Get Mail); what
            // it could not send waits there, and the download runs all the same.
            let secrets = cli.secrets()?;
            if let Err(err) = outbox::send_outbox(&mut store, &secrets, args.account(), false) {
                eprintln!("satchel: cannot send the Outbox: {err:#}");
            }
            sync::run(&store, &secrets, args)
        }
        Command::Compose(args) => outbox::compose(&mut store, args),
        Command::Reply(args) => outbox::reply(&mut store, args),
        Command::Forward(args) => outbox::forward(&mut store, args),
        Command::Outbox(args) => outbox::list(&store, args),
        Command::Send(args) => outbox::send(&mut store, &cli.secrets()?, args),
        Command::Fetch(args) => fetch::run(&store, &cli.secrets()?, args),
        Command::Check => Ok(()),
    };
    // Also after a failure (an import that stopped half way has committed its first batches),
    // but not when another process holds the lock: the checkpoint would only wait for it too.
    let locked = result.as_ref().is_err_and(|err| {
        err.chain()
            .any(|cause| matches!(cause.downcast_ref(), Some(StoreError::Busy)))
    });
    if command.writes() && !locked {
        finish_writing(&store);
    }
    result
}

/// Ends a writing run: the WAL's changes move into the store file, so the file a user copies
/// holds their mail. A reader in the way only delays that; the changes are committed either way.
pub fn finish_writing(store: &Store) {
    match store.checkpoint() {
        Ok(Checkpoint::Complete) => {}
        Ok(Checkpoint::Partial { .. }) => eprintln!(
            "satchel: note: another program is using the store, so the latest changes stay in {}-wal until a later run copies them into {} (they are saved)",
            store.path().display(),
            store.path().display()
        ),
        Err(err) => eprintln!(
            "satchel: note: cannot copy the latest changes into {} ({err}); they are saved in its -wal file",
            store.path().display()
        ),
    }
}

pub(crate) use crate::wording::count_of;

/// Text from a server or an error on one line: control characters (escape sequences, line
/// breaks) become spaces, so nothing reaches the terminal but the words.
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}
