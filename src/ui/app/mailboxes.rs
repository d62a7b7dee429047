//! The accounts and folders as last read from the store, with the lookups the window needs.

use std::collections::HashMap;

use crate::model::{AccountId, FolderId, FolderKind};
use crate::store::{Account, Folder};

/// Accounts and folders (with their counts), re-read whenever the store changes.
#[derive(Debug, Default)]
pub struct Mailboxes {
    accounts: Vec<Account>,
    folders: Vec<Folder>,
    paths: HashMap<FolderId, String>,
}

impl Mailboxes {
    /// Replaces the accounts.
    pub fn set_accounts(&mut self, accounts: Vec<Account>) {
        self.accounts = accounts;
    }

    /// Replaces the folders (tree order) and their paths.
    pub fn set_folders(&mut self, folders: Vec<Folder>) {
        self.paths = folders
            .iter()
            .map(|folder| (folder.id, folder.path.clone()))
            .collect();
        self.folders = folders;
    }

    /// Every account, by name.
    #[must_use]
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// Every folder, in tree order.
    #[must_use]
    pub fn folders(&self) -> &[Folder] {
        &self.folders
    }

    /// The account with this id.
    #[must_use]
    pub fn account(&self, id: AccountId) -> Option<&Account> {
        self.accounts.iter().find(|account| account.id == id)
    }

    /// A folder's full path (`Work/Projects`, `ACCOUNT/Inbox`).
    #[must_use]
    pub fn path(&self, folder: FolderId) -> Option<&str> {
        self.paths.get(&folder).map(String::as_str)
    }

    /// The Trash folder, once the store has one.
    #[must_use]
    pub fn trash(&self) -> Option<FolderId> {
        self.folders
            .iter()
            .find(|folder| folder.kind == FolderKind::Trash)
            .map(|folder| folder.id)
    }

    /// The folders a message in `from` can move to: all the others, in tree order.
    pub fn move_targets(&self, from: FolderId) -> impl Iterator<Item = &Folder> {
        self.folders.iter().filter(move |folder| folder.id != from)
    }

    /// The first folder of the tree (shown when no remembered folder exists).
    #[must_use]
    pub fn first_folder(&self) -> Option<FolderId> {
        self.folders.first().map(|folder| folder.id)
    }

    /// True on a first run: no accounts and no mail.
    #[must_use]
    pub fn is_first_run(&self) -> bool {
        self.accounts.is_empty() && self.folders.iter().all(|folder| folder.message_count == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// Mailboxes read from a store with one account and a user folder.
    fn read(store: &Store) -> Mailboxes {
        let mut mailboxes = Mailboxes::default();
        mailboxes.set_accounts(store.accounts().expect("accounts"));
        mailboxes.set_folders(store.folders().expect("folders"));
        mailboxes
    }

    #[test]
    fn lookups_find_accounts_paths_trash_and_move_targets() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open_in(dir.path()).expect("store");
        let empty = read(&store);
        assert!(empty.is_first_run());

        let account = store
            .add_account("work", &crate::store::AccountSettings::default())
            .expect("account");
        let projects = store.create_folder("Projects").expect("folder");
        let mailboxes = read(&store);
        assert!(!mailboxes.is_first_run(), "an account is not a first run");
        assert_eq!(
            mailboxes.account(account.id).map(|a| a.name.as_str()),
            Some("work")
        );
        assert!(mailboxes.account(AccountId(account.id.0 + 1)).is_none());
        assert_eq!(mailboxes.path(projects), Some("Projects"));
        assert_eq!(mailboxes.trash(), store.trash_folder().ok());
        let targets: Vec<FolderId> = mailboxes.move_targets(projects).map(|f| f.id).collect();
        assert_eq!(targets.len(), mailboxes.folders().len() - 1);
        assert!(!targets.contains(&projects));
        assert_eq!(mailboxes.first_folder(), Some(mailboxes.folders()[0].id));
    }
}
