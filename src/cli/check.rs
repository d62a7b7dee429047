//! `satchel check`: is the store whole? One line of verdict; exit code 0 only when healthy.

use crate::store::{STORE_FILE, Store, StoreError};

use super::Cli;

pub(super) fn run(cli: &Cli) -> anyhow::Result<()> {
    let dir = cli.data_dir()?;
    if !dir.join(STORE_FILE).exists() {
        anyhow::bail!("there is no store in {}", dir.display());
    }
    let store = match Store::open_in(&dir) {
        Ok(store) => store,
        Err(err @ (StoreError::Corrupt(_) | StoreError::NotAStore { .. })) => {
            anyhow::bail!("the store is damaged and cannot be opened: {err}")
        }
        Err(err) => anyhow::bail!("the store is not healthy: {err}"),
    };
    let health = store.health()?;
    for problem in health.store_problems.iter().chain(&health.index_problems) {
        println!("problem: {problem}");
    }
    if health.is_healthy() {
        println!("{}", health.verdict());
        Ok(())
    } else {
        anyhow::bail!("{}", health.verdict())
    }
}
