//! Local folders: each account's Inbox, one Trash, and user folders that nest.
//!
//! Paths use `/` between levels (`Work/Projects`). An account's Inbox is `Inbox` when there is
//! one account, and `ACCOUNT/Inbox` always.

use std::collections::HashMap;

use rusqlite::{OptionalExtension, Transaction, params};

use super::Store;
use super::error::{Result, StoreError};
use crate::dates;
use crate::model::{AccountId, FolderId, FolderKind};

/// A folder with its place in the tree and its message counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// Row id.
    pub id: FolderId,
    /// Parent folder, for nested user folders.
    pub parent_id: Option<FolderId>,
    /// Owning account, for an Inbox.
    pub account_id: Option<AccountId>,
    /// Name of the owning account, for an Inbox.
    pub account_name: Option<String>,
    /// Inbox, Trash or user folder.
    pub kind: FolderKind,
    /// The folder's own name.
    pub name: String,
    /// Full path: `Work/Projects`, `Trash`, or `ACCOUNT/Inbox`.
    pub path: String,
    /// Nesting depth (0 at the top).
    pub depth: usize,
    /// Messages in this folder.
    pub message_count: u64,
    /// Unread messages in this folder.
    pub unread_count: u64,
}

/// Creates the Inbox of a new account.
pub(super) fn create_inbox(tx: &Transaction<'_>, account: AccountId) -> Result<FolderId> {
    tx.execute(
        "INSERT INTO folders (parent_id, account_id, kind, name, created_at) VALUES (NULL, ?1, 'inbox', 'Inbox', ?2)",
        params![account.0, dates::now()],
    )?;
    Ok(FolderId(tx.last_insert_rowid()))
}

fn validate_name(name: &str) -> Result<()> {
    if name.trim().is_empty()
        || name != name.trim()
        || name.contains('/')
        || name.chars().any(char::is_control)
    {
        return Err(StoreError::InvalidFolderName(name.to_owned()));
    }
    Ok(())
}

fn split_path(path: &str) -> Vec<&str> {
    path.split('/').filter(|part| !part.is_empty()).collect()
}

impl Store {
    /// Every folder in display order: Inboxes by account, user folders as a tree, then Trash.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn folders(&self) -> Result<Vec<Folder>> {
        self.folder_tree(true)
    }

    /// Every folder in display order, without counting messages (cheap: no scan of messages).
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn folders_without_counts(&self) -> Result<Vec<Folder>> {
        self.folder_tree(false)
    }

    fn folder_tree(&self, with_counts: bool) -> Result<Vec<Folder>> {
        let mut counts: HashMap<i64, (u64, u64)> = HashMap::new();
        if with_counts {
            self.count_messages_per_folder(&mut counts)?;
        }
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.id, f.parent_id, f.account_id, a.name, ifnull(r.role, f.kind), f.name
             FROM folders f LEFT JOIN accounts a ON a.id = f.account_id
                 LEFT JOIN folder_roles r ON r.folder_id = f.id",
        )?;
        let mut flat: Vec<Folder> = stmt
            .query_map([], |row| {
                let id: i64 = row.get(0)?;
                let (message_count, unread_count) = counts.get(&id).copied().unwrap_or_default();
                Ok(Folder {
                    id: FolderId(id),
                    parent_id: row.get::<_, Option<i64>>(1)?.map(FolderId),
                    account_id: row.get::<_, Option<i64>>(2)?.map(AccountId),
                    account_name: row.get(3)?,
                    kind: {
                        let kind: String = row.get(4)?;
                        FolderKind::from_db(&kind)
                            .or_else(|| FolderKind::from_role(&kind))
                            .unwrap_or(FolderKind::User)
                    },
                    name: row.get(5)?,
                    path: String::new(),
                    depth: 0,
                    message_count,
                    unread_count,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        flat.sort_by_key(|folder| folder.name.to_lowercase());
        let mut ordered = Vec::with_capacity(flat.len());
        let mut inboxes: Vec<Folder> = flat
            .iter()
            .filter(|f| f.kind == FolderKind::Inbox)
            .cloned()
            .collect();
        inboxes.sort_by(|a, b| a.account_name.cmp(&b.account_name));
        for mut inbox in inboxes {
            inbox.path = format!("{}/Inbox", inbox.account_name.as_deref().unwrap_or("?"));
            ordered.push(inbox);
        }
        for role in [FolderKind::Drafts, FolderKind::Outbox, FolderKind::Sent] {
            for folder in flat.iter().filter(|f| f.kind == role) {
                let mut placed = folder.clone();
                placed.path.clone_from(&folder.name);
                ordered.push(placed);
                // A folder adopted for the role may have had subfolders: they stay beneath it.
                push_user_tree(&flat, Some(folder.id), &folder.name, 1, &mut ordered);
            }
        }
        push_user_tree(&flat, None, "", 0, &mut ordered);
        ordered.extend(
            flat.iter()
                .filter(|f| f.kind == FolderKind::Trash)
                .cloned()
                .map(|mut trash| {
                    trash.path = trash.name.clone();
                    trash
                }),
        );
        Ok(ordered)
    }

    fn count_messages_per_folder(&self, counts: &mut HashMap<i64, (u64, u64)>) -> Result<()> {
        // Kept by triggers on `messages` (migration 03): one row per folder, not a scan.
        let mut stmt = self
            .conn
            .prepare_cached("SELECT folder_id, messages, unread FROM folder_counts")?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, u64>(1)?,
                row.get::<_, u64>(2)?,
            ))
        })?;
        for row in rows {
            let (folder, total, unread) = row?;
            counts.insert(folder, (total, unread));
        }
        Ok(())
    }

    /// The folder at `path`. `Inbox` alone names the only account's Inbox.
    ///
    /// # Errors
    /// [`StoreError::NoSuchFolder`], or [`StoreError::AmbiguousFolder`] for `Inbox` with several accounts.
    pub fn resolve_folder(&self, path: &str) -> Result<FolderId> {
        let folders = self.folders_without_counts()?;
        let wanted = path.trim_matches('/');
        if let Some(folder) = folders.iter().find(|f| f.path.eq_ignore_ascii_case(wanted)) {
            return Ok(folder.id);
        }
        if wanted.eq_ignore_ascii_case("inbox") {
            let inboxes: Vec<&Folder> = folders
                .iter()
                .filter(|f| f.kind == FolderKind::Inbox)
                .collect();
            return match inboxes.as_slice() {
                [only] => Ok(only.id),
                [] => Err(StoreError::NoSuchFolder(path.to_owned())),
                several => Err(StoreError::AmbiguousFolder {
                    name: path.to_owned(),
                    choices: several
                        .iter()
                        .map(|f| f.path.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }),
            };
        }
        Err(StoreError::NoSuchFolder(path.to_owned()))
    }

    /// The local Trash.
    ///
    /// # Errors
    /// When the store has no Trash (only if edited by hand).
    pub fn trash_folder(&self) -> Result<FolderId> {
        self.conn
            .query_row("SELECT id FROM folders WHERE kind = 'trash'", [], |row| {
                row.get(0).map(FolderId)
            })
            .optional()?
            .ok_or_else(|| StoreError::NoSuchFolder("Trash".to_owned()))
    }

    /// The folder with this role (Drafts, Outbox or Sent), if it was made.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn role_folder(&self, role: FolderKind) -> Result<Option<FolderId>> {
        Ok(self
            .conn
            .query_row(
                "SELECT folder_id FROM folder_roles WHERE role = ?1",
                [role.as_str()],
                |row| row.get(0).map(FolderId),
            )
            .optional()?)
    }

    /// The folder with this role, made the first time: a top-level folder of the role's name
    /// ("Sent") that the user already has is adopted, as Thunderbird does.
    ///
    /// # Errors
    /// [`StoreError::InvalidFolderName`] for a role that is not Drafts, Outbox or Sent.
    pub fn ensure_role_folder(&mut self, role: FolderKind) -> Result<FolderId> {
        if FolderKind::from_role(role.as_str()).is_none() {
            return Err(StoreError::InvalidFolderName(role.as_str().to_owned()));
        }
        if let Some(existing) = self.role_folder(role)? {
            return Ok(existing);
        }
        let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
        let name = role.default_name();
        let adopted: Option<i64> = tx
            .query_row(
                "SELECT f.id FROM folders f WHERE f.parent_id IS NULL AND f.account_id IS NULL AND f.kind = 'user'
                     AND f.name = ?1 COLLATE NOCASE
                     AND NOT EXISTS (SELECT 1 FROM folder_roles r WHERE r.folder_id = f.id)",
                [name],
                |row| row.get(0),
            )
            .optional()?;
        let id = if let Some(id) = adopted {
            id
        } else {
            // A name clash with a folder that cannot be adopted gets a number: "Sent 2".
            let mut candidate = name.to_owned();
            let mut n = 1;
            while tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM folders WHERE parent_id IS NULL AND account_id IS NULL
                     AND name = ?1 COLLATE NOCASE)",
                [&candidate],
                |row| row.get::<_, bool>(0),
            )? {
                n += 1;
                candidate = format!("{name} {n}");
            }
            tx.execute(
                "INSERT INTO folders (parent_id, account_id, kind, name, created_at) VALUES (NULL, NULL, 'user', ?1, ?2)",
                params![candidate, dates::now()],
            )?;
            tx.last_insert_rowid()
        };
        tx.execute(
            "INSERT INTO folder_roles (role, folder_id) VALUES (?1, ?2)",
            params![role.as_str(), id],
        )?;
        tx.commit()?;
        Ok(FolderId(id))
    }

    /// Creates a user folder at `path`, creating missing parents.
    ///
    /// # Errors
    /// [`StoreError::FolderExists`] when it exists; [`StoreError::InvalidFolderName`] for a bad name.
    pub fn create_folder(&mut self, path: &str) -> Result<FolderId> {
        if self.resolve_folder(path).is_ok() {
            return Err(StoreError::FolderExists(path.to_owned()));
        }
        self.ensure_folder(path)
    }

    /// The user folder at `path`, created (with its parents) when missing.
    ///
    /// # Errors
    /// [`StoreError::InvalidFolderName`] for an empty path or a bad name.
    pub fn ensure_folder(&mut self, path: &str) -> Result<FolderId> {
        if let Ok(existing) = self.resolve_folder(path) {
            return Ok(existing);
        }
        let parts = split_path(path);
        if parts.is_empty() {
            return Err(StoreError::InvalidFolderName(path.to_owned()));
        }
        for part in &parts {
            validate_name(part)?;
        }
        let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
        let mut parent: Option<i64> = None;
        for part in parts {
            let existing: Option<i64> = tx
                .query_row(
                    "SELECT id FROM folders WHERE parent_id IS ?1 AND account_id IS NULL AND kind = 'user' AND name = ?2 COLLATE NOCASE",
                    params![parent, part],
                    |row| row.get(0),
                )
                .optional()?;
            parent = Some(if let Some(id) = existing {
                id
            } else {
                let clash: bool = tx.query_row(
                        "SELECT EXISTS (SELECT 1 FROM folders WHERE ifnull(parent_id, 0) = ifnull(?1, 0)
                             AND account_id IS NULL AND name = ?2 COLLATE NOCASE)",
                        params![parent, part],
                        |row| row.get(0),
                    )?;
                if clash {
                    return Err(StoreError::FolderExists(part.to_owned()));
                }
                tx.execute(
                        "INSERT INTO folders (parent_id, account_id, kind, name, created_at) VALUES (?1, NULL, 'user', ?2, ?3)",
                        params![parent, part, dates::now()],
                    )?;
                tx.last_insert_rowid()
            });
        }
        tx.commit()?;
        parent
            .map(FolderId)
            .ok_or_else(|| StoreError::InvalidFolderName(path.to_owned()))
    }

    /// Renames or moves a user folder: `new_path`'s last part is the new name, the rest its parent.
    ///
    /// # Errors
    /// Built-in folders are refused; the new parent must exist; a folder cannot move inside itself.
    pub fn rename_folder(&mut self, old_path: &str, new_path: &str) -> Result<()> {
        let folders = self.folders_without_counts()?;
        let folder_id = self.resolve_folder(old_path)?;
        let folder = folders
            .iter()
            .find(|f| f.id == folder_id)
            .ok_or_else(|| StoreError::NoSuchFolder(old_path.to_owned()))?;
        if folder.kind != FolderKind::User {
            return Err(StoreError::ProtectedFolder(folder.path.clone()));
        }
        let mut parts = split_path(new_path);
        let new_name = parts
            .pop()
            .ok_or_else(|| StoreError::InvalidFolderName(new_path.to_owned()))?;
        validate_name(new_name)?;
        let new_parent = if parts.is_empty() {
            None
        } else {
            Some(self.resolve_folder(&parts.join("/"))?)
        };
        if let Some(parent) = new_parent {
            let parent_folder = folders.iter().find(|f| f.id == parent);
            if parent_folder.is_some_and(|p| p.kind != FolderKind::User) {
                return Err(StoreError::InvalidFolderName(new_path.to_owned()));
            }
            if parent_folder.is_some_and(|p| {
                p.path == folder.path || p.path.starts_with(&format!("{}/", folder.path))
            }) {
                return Err(StoreError::FolderCycle(folder.path.clone()));
            }
        }
        let clash: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM folders WHERE ifnull(parent_id, 0) = ifnull(?1, 0) AND account_id IS NULL
                 AND name = ?2 COLLATE NOCASE AND id != ?3)",
            params![new_parent.map(|p| p.0), new_name, folder_id.0],
            |row| row.get(0),
        )?;
        if clash {
            return Err(StoreError::FolderExists(new_path.to_owned()));
        }
        self.conn.execute(
            "UPDATE folders SET name = ?1, parent_id = ?2 WHERE id = ?3",
            params![new_name, new_parent.map(|p| p.0), folder_id.0],
        )?;
        Ok(())
    }

    /// Deletes a user folder and its subfolders; their messages move to Trash (never lost).
    /// Returns how many messages moved.
    ///
    /// # Errors
    /// Built-in folders are refused.
    pub fn delete_folder(&mut self, path: &str) -> Result<usize> {
        let folders = self.folders_without_counts()?;
        let folder_id = self.resolve_folder(path)?;
        let folder = folders
            .iter()
            .find(|f| f.id == folder_id)
            .ok_or_else(|| StoreError::NoSuchFolder(path.to_owned()))?;
        if folder.kind != FolderKind::User {
            return Err(StoreError::ProtectedFolder(folder.path.clone()));
        }
        let prefix = format!("{}/", folder.path);
        let mut doomed: Vec<&Folder> = folders
            .iter()
            .filter(|f| {
                f.kind == FolderKind::User && (f.id == folder_id || f.path.starts_with(&prefix))
            })
            .collect();
        // Children first, so no row ever points at a deleted parent.
        doomed.sort_by_key(|f| std::cmp::Reverse(f.depth));
        let trash = self.trash_folder()?;
        let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
        let mut moved = 0;
        for doomed_folder in doomed {
            moved += tx.execute(
                "UPDATE messages SET folder_id = ?1, trashed_from = NULL WHERE folder_id = ?2",
                params![trash.0, doomed_folder.id.0],
            )?;
            tx.execute(
                "UPDATE messages SET trashed_from = NULL WHERE trashed_from = ?1",
                [doomed_folder.id.0],
            )?;
            tx.execute("DELETE FROM folders WHERE id = ?1", [doomed_folder.id.0])?;
        }
        tx.commit()?;
        Ok(moved)
    }
}

fn push_user_tree(
    flat: &[Folder],
    parent: Option<FolderId>,
    prefix: &str,
    depth: usize,
    out: &mut Vec<Folder>,
) {
    for folder in flat
        .iter()
        .filter(|f| f.kind == FolderKind::User && f.parent_id == parent)
    {
        let mut placed = folder.clone();
        placed.path = if prefix.is_empty() {
            folder.name.clone()
        } else {
            format!("{prefix}/{}", folder.name)
        };
        placed.depth = depth;
        let path = placed.path.clone();
        out.push(placed);
        push_user_tree(flat, Some(folder.id), &path, depth + 1, out);
    }
}
