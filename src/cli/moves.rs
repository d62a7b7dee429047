//! `satchel move ID… --to FOLDER`.

use super::count_of;
use crate::model::MessageId;
use crate::store::Store;

/// Arguments of `satchel move`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Message ids.
    #[arg(required = true)]
    ids: Vec<i64>,
    /// Destination folder path.
    #[arg(long, value_name = "FOLDER")]
    to: String,
}

pub(super) fn run(store: &mut Store, args: &Args) -> anyhow::Result<()> {
    let folder = store.resolve_folder(&args.to)?;
    let ids: Vec<MessageId> = args.ids.iter().copied().map(MessageId).collect();
    store.move_messages(&ids, folder)?;
    println!(
        "moved {} to {}",
        count_of(ids.len() as u64, "message"),
        args.to
    );
    Ok(())
}
