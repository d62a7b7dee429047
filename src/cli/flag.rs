//! `satchel flag ID… --seen|--unseen|--flagged|--unflagged`.

use super::count_of;
use crate::model::{FlagChange, MessageId};
use crate::store::Store;

/// Arguments of `satchel flag`; at least one change, and not both of a pair.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("change").required(true).multiple(true)))]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one bool per command-line switch, as clap wants"
)]
pub struct Args {
    /// Message ids.
    #[arg(required = true)]
    ids: Vec<i64>,
    /// Mark as read.
    #[arg(long, group = "change", conflicts_with = "unseen")]
    seen: bool,
    /// Mark as unread.
    #[arg(long, group = "change")]
    unseen: bool,
    /// Flag (star).
    #[arg(long, group = "change", conflicts_with = "unflagged")]
    flagged: bool,
    /// Remove the flag.
    #[arg(long, group = "change")]
    unflagged: bool,
}

pub(super) fn run(store: &mut Store, args: &Args) -> anyhow::Result<()> {
    let ids: Vec<MessageId> = args.ids.iter().copied().map(MessageId).collect();
    let changes = [
        (args.seen, FlagChange::Seen),
        (args.unseen, FlagChange::Unseen),
        (args.flagged, FlagChange::Flagged),
        (args.unflagged, FlagChange::Unflagged),
    ];
    for (_, change) in changes.iter().filter(|(wanted, _)| *wanted) {
        store.set_flag(&ids, *change)?;
    }
    println!("updated {}", count_of(ids.len() as u64, "message"));
    Ok(())
}
