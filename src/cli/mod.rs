//! Command-line interface: one file per subcommand, all on the same store.

mod account;
mod export;
mod flag;
mod folder;
mod import;
mod moves;
mod search;
mod show;
mod sync;
mod terminal;

use std::path::PathBuf;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

use crate::config;
use crate::store::Store;

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

    /// Opens the store in the data directory.
    ///
    /// # Errors
    /// When the store cannot be opened (with the reason in one line).
    pub fn open_store(&self) -> anyhow::Result<Store> {
        let dir = self.data_dir()?;
        Ok(Store::open_in(&dir)?)
    }
}

/// Runs a subcommand.
///
/// # Errors
/// Any failure, for `main` to print as one line with exit code 2.
pub fn run(cli: &Cli, command: &Command) -> anyhow::Result<()> {
    let mut store = cli.open_store()?;
    match command {
        Command::Import(args) => import::run(&mut store, args),
        Command::Search(args) => search::run(&store, args),
        Command::Show(args) => show::run(&store, args),
        Command::Folder(command) => folder::run(&mut store, command),
        Command::Move(args) => moves::run(&mut store, args),
        Command::Flag(args) => flag::run(&mut store, args),
        Command::Export(args) => export::run(&store, args),
        Command::Account(command) => account::run(&mut store, &cli.secrets()?, command),
        Command::Sync(args) => sync::run(&store, &cli.secrets()?, args),
    }
}
