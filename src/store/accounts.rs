//! POP3 accounts and their retention policies (never their passwords).

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::error::{Result, StoreError};
use super::{Store, folders};
use crate::dates;
use crate::model::{AccountId, AuthChoice, FolderId, Security, SmtpAuth};

/// An account as stored, with its policies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Row id.
    pub id: AccountId,
    /// Short unique name used by the CLI and search (`account:NAME`).
    pub name: String,
    /// Fields the user edits.
    pub settings: AccountSettings,
}

/// Everything the user sets for an account; also used to create one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountSettings {
    /// Name shown in the folder tree.
    pub display_name: String,
    /// The account's email address.
    pub email: String,
    /// POP3 server host name.
    pub host: String,
    /// POP3 server port.
    pub port: u16,
    /// How the connection is protected.
    pub security: Security,
    /// Login name.
    pub username: String,
    /// How to log in.
    pub auth_method: AuthChoice,
    /// SHA-256 fingerprint of a certificate the user chose to trust.
    pub pinned_fingerprint: Option<String>,
    /// Leave messages on the server after download.
    pub keep_on_server: bool,
    /// Remove from the server this many days after download.
    pub remove_after_days: Option<u32>,
    /// Remove from the server when removed from the local Trash.
    pub remove_when_deleted: bool,
    /// Fetch only headers for messages larger than this many KiB.
    pub size_limit_kb: Option<u32>,
    /// Check for new mail every this many minutes.
    pub check_every_minutes: Option<u32>,
    /// Largest message downloaded in full, in MiB (`None`: 256); larger ones are headers-only.
    pub max_message_mb: Option<u32>,
    /// Who the account writes as.
    pub identity: Identity,
    /// How it sends mail.
    pub smtp: SmtpSettings,
}

/// The sender an account's messages name, and what they end with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Identity {
    /// The person's name in `From` ("Ada Lovelace"); empty sends the bare address.
    pub name: String,
    /// Appended below `-- ` to new messages, replies and forwards; empty for none.
    pub signature: String,
}

/// The account's SMTP submission server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmtpSettings {
    /// Server host name; empty when the account cannot send yet.
    pub host: String,
    /// Server port (587 for STARTTLS, 465 for TLS).
    pub port: u16,
    /// How the connection is protected.
    pub security: Security,
    /// Login name; empty means the POP3 username.
    pub username: String,
    /// How to log in.
    pub auth: SmtpAuth,
    /// SHA-256 fingerprint of a certificate the user chose to trust for this server.
    pub pinned_fingerprint: Option<String>,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        Self {
            host: String::new(),
            port: Security::StartTls.default_smtp_port(),
            security: Security::StartTls,
            username: String::new(),
            auth: SmtpAuth::Auto,
            pinned_fingerprint: None,
        }
    }
}

impl AccountSettings {
    /// The SMTP login name: its own, or the POP3 one.
    #[must_use]
    pub fn smtp_username(&self) -> &str {
        if self.smtp.username.is_empty() {
            &self.username
        } else {
            &self.smtp.username
        }
    }

    /// True when an SMTP server is set, so the account can send.
    #[must_use]
    pub fn can_send(&self) -> bool {
        !self.smtp.host.trim().is_empty()
    }
}

impl Default for AccountSettings {
    fn default() -> Self {
        Self {
            display_name: String::new(),
            email: String::new(),
            host: String::new(),
            port: 995,
            security: Security::Tls,
            username: String::new(),
            auth_method: AuthChoice::Auto,
            pinned_fingerprint: None,
            keep_on_server: true,
            remove_after_days: None,
            remove_when_deleted: false,
            size_limit_kb: None,
            check_every_minutes: None,
            max_message_mb: None,
            identity: Identity::default(),
            smtp: SmtpSettings::default(),
        }
    }
}

const ACCOUNT_COLUMNS: &str = "id, name, display_name, email, host, port, security, username, auth_method, \
     pinned_fingerprint, keep_on_server, remove_after_days, remove_when_deleted, size_limit_kb, check_every_minutes, \
     max_message_mb, identity_name, signature, smtp_host, smtp_port, smtp_security, smtp_username, smtp_auth, \
     smtp_pinned_fingerprint";

fn account_from_row(row: &Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: AccountId(row.get(0)?),
        name: row.get(1)?,
        settings: AccountSettings {
            display_name: row.get(2)?,
            email: row.get(3)?,
            host: row.get(4)?,
            port: row.get(5)?,
            security: security_from_row(row, 6)?,
            username: row.get(7)?,
            auth_method: auth_from_row(row, 8)?,
            pinned_fingerprint: row.get(9)?,
            keep_on_server: row.get(10)?,
            remove_after_days: row.get(11)?,
            remove_when_deleted: row.get(12)?,
            size_limit_kb: row.get(13)?,
            check_every_minutes: row.get(14)?,
            max_message_mb: row.get(15)?,
            identity: Identity {
                name: row.get(16)?,
                signature: row.get(17)?,
            },
            smtp: SmtpSettings {
                host: row.get(18)?,
                port: row.get(19)?,
                security: security_from_row(row, 20)?,
                username: row.get(21)?,
                auth: smtp_auth_from_row(row, 22)?,
                pinned_fingerprint: row.get(23)?,
            },
        },
    })
}

/// The security column; the schema's CHECK admits only the three storage forms, so anything
/// else is a conversion error.
fn security_from_row(row: &Row<'_>, column: usize) -> rusqlite::Result<Security> {
    let text: String = row.get(column)?;
    Security::from_storage(&text).map_err(|err| {
        rusqlite::Error::FromSqlConversionFailure(column, rusqlite::types::Type::Text, err.into())
    })
}

/// The auth method column, which has no CHECK. Lenient on purpose: one hand-edited value must
/// not hide every account (and so its mail) from the app, and `auto` logs in with whatever the
/// server offers.
fn auth_from_row(row: &Row<'_>, column: usize) -> rusqlite::Result<AuthChoice> {
    let text: String = row.get(column)?;
    Ok(AuthChoice::from_storage(&text).unwrap_or_else(|err| {
        tracing::warn!(error = %err, "using automatic login instead");
        AuthChoice::Auto
    }))
}

/// The SMTP login column, lenient for the same reason as [`auth_from_row`].
fn smtp_auth_from_row(row: &Row<'_>, column: usize) -> rusqlite::Result<SmtpAuth> {
    let text: String = row.get(column)?;
    Ok(SmtpAuth::from_storage(&text).unwrap_or_else(|err| {
        tracing::warn!(error = %err, "using automatic SMTP login instead");
        SmtpAuth::Auto
    }))
}

/// Writes every user-editable field of the account called `name`; returns rows changed.
fn write_settings(conn: &Connection, name: &str, settings: &AccountSettings) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE accounts SET display_name = ?2, email = ?3, host = ?4, port = ?5, security = ?6, username = ?7,
             auth_method = ?8, pinned_fingerprint = ?9, keep_on_server = ?10, remove_after_days = ?11,
             remove_when_deleted = ?12, size_limit_kb = ?13, check_every_minutes = ?14,
             max_message_mb = ?15, identity_name = ?16, signature = ?17, smtp_host = ?18, smtp_port = ?19,
             smtp_security = ?20, smtp_username = ?21, smtp_auth = ?22, smtp_pinned_fingerprint = ?23
         WHERE name = ?1",
        params![
            name,
            settings.display_name,
            settings.email,
            settings.host,
            settings.port,
            settings.security.as_storage(),
            settings.username,
            settings.auth_method.as_storage(),
            settings.pinned_fingerprint,
            settings.keep_on_server,
            settings.remove_after_days,
            settings.remove_when_deleted,
            settings.size_limit_kb,
            settings.check_every_minutes,
            settings.max_message_mb,
            settings.identity.name,
            settings.identity.signature,
            settings.smtp.host,
            settings.smtp.port,
            settings.smtp.security.as_storage(),
            settings.smtp.username,
            settings.smtp.auth.as_storage(),
            settings.smtp.pinned_fingerprint,
        ],
    )?)
}

/// Refuses a name that is empty, padded, or holds `/` or control characters.
fn check_account_name(name: &str) -> Result<()> {
    if name.trim().is_empty()
        || name != name.trim()
        || name.contains('/')
        || name.chars().any(char::is_control)
    {
        return Err(StoreError::InvalidAccountName(name.to_owned()));
    }
    Ok(())
}

/// Whether an account is called `name`.
fn name_taken(conn: &Connection, name: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM accounts WHERE name = ?1)",
        [name],
        |row| row.get(0),
    )?)
}

impl Store {
    /// Creates an account and its Inbox folder.
    ///
    /// # Errors
    /// [`StoreError::AccountExists`] when the name is taken.
    pub fn add_account(&mut self, name: &str, settings: &AccountSettings) -> Result<Account> {
        check_account_name(name)?;
        let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
        if name_taken(&tx, name)? {
            return Err(StoreError::AccountExists(name.to_owned()));
        }
        tx.execute(
            "INSERT INTO accounts (name, created_at) VALUES (?1, ?2)",
            params![name, dates::now()],
        )?;
        let id = AccountId(tx.last_insert_rowid());
        write_settings(&tx, name, settings)?;
        folders::create_inbox(&tx, id)?;
        tx.commit()?;
        Ok(Account {
            id,
            name: name.to_owned(),
            settings: settings.clone(),
        })
    }

    /// Gives an account another name; its mail, folders and server state stay as they are
    /// (they hang off its id). The caller moves the password kept under the old name.
    ///
    /// # Errors
    /// [`StoreError::NoSuchAccount`] when there is none called `from`,
    /// [`StoreError::AccountExists`] when `to` is taken, and
    /// [`StoreError::InvalidAccountName`] when `to` cannot be a name.
    pub fn rename_account(&mut self, from: &str, to: &str) -> Result<Account> {
        check_account_name(to)?;
        let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
        // Names compare without case: "Work" may become "work", but not another's name.
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM accounts WHERE name = ?1 AND name <> ?2)",
            params![to, from],
            |row| row.get(0),
        )?;
        if taken {
            return Err(StoreError::AccountExists(to.to_owned()));
        }
        let renamed = tx.execute(
            "UPDATE accounts SET name = ?2 WHERE name = ?1",
            params![from, to],
        )?;
        if renamed == 0 {
            return Err(StoreError::NoSuchAccount(from.to_owned()));
        }
        tx.commit()?;
        self.account_by_name(to)
    }

    /// Replaces the settings of an account.
    ///
    /// # Errors
    /// [`StoreError::NoSuchAccount`] when there is none of that name.
    pub fn update_account(&mut self, name: &str, settings: &AccountSettings) -> Result<Account> {
        let changed = write_settings(&self.conn, name, settings)?;
        if changed == 0 {
            return Err(StoreError::NoSuchAccount(name.to_owned()));
        }
        self.account_by_name(name)
    }

    /// Removes an account and its POP3 state. Its mail is kept: the Inbox's messages move to a
    /// local folder `Removed accounts/NAME`. Returns how many messages moved.
    ///
    /// # Errors
    /// [`StoreError::NoSuchAccount`] when there is none of that name.
    pub fn remove_account(&mut self, name: &str) -> Result<usize> {
        let account = self.account_by_name(name)?;
        let inbox = self.inbox_of(account.id)?;
        let keep = self.ensure_folder(&format!("Removed accounts/{}", account.name))?;
        let tx = super::begin_write(&mut self.conn, super::Writes::StoreOnly)?;
        let moved = tx.execute(
            "UPDATE messages SET folder_id = ?1 WHERE folder_id = ?2",
            params![keep.0, inbox.0],
        )?;
        tx.execute(
            "UPDATE messages SET trashed_from = NULL WHERE trashed_from = ?1",
            [inbox.0],
        )?;
        tx.execute("DELETE FROM folders WHERE id = ?1", [inbox.0])?;
        tx.execute("DELETE FROM accounts WHERE id = ?1", [account.id.0])?;
        tx.commit()?;
        Ok(moved)
    }

    /// All accounts, by name.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn accounts(&self) -> Result<Vec<Account>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY name"
        ))?;
        let accounts = stmt
            .query_map([], account_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(accounts)
    }

    /// The account with that name (case-insensitive).
    ///
    /// # Errors
    /// [`StoreError::NoSuchAccount`] when there is none.
    pub fn account_by_name(&self, name: &str) -> Result<Account> {
        self.conn
            .query_row(
                &format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE name = ?1"),
                [name],
                account_from_row,
            )
            .optional()?
            .ok_or_else(|| StoreError::NoSuchAccount(name.to_owned()))
    }

    /// The Inbox folder of an account.
    ///
    /// # Errors
    /// When the account has no Inbox (it always has one unless the store was edited by hand).
    pub fn inbox_of(&self, account: AccountId) -> Result<FolderId> {
        self.conn
            .query_row(
                "SELECT id FROM folders WHERE account_id = ?1 AND kind = 'inbox'",
                [account.0],
                |row| row.get(0).map(FolderId),
            )
            .optional()?
            .ok_or_else(|| StoreError::NoSuchFolder("Inbox".to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store_with_account(settings: &AccountSettings) -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut store = Store::open_in(dir.path()).expect("open");
        store.add_account("work", settings).expect("add");
        (dir, store)
    }

    #[test]
    fn settings_are_stored_in_their_storage_form_and_read_back() {
        let settings = AccountSettings {
            host: "pop.example.org".to_owned(),
            security: Security::StartTls,
            auth_method: AuthChoice::XOAuth2,
            ..AccountSettings::default()
        };
        let (_dir, store) = store_with_account(&settings);
        let (security, auth): (String, String) = store
            .conn
            .query_row("SELECT security, auth_method FROM accounts", [], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .expect("row");
        assert_eq!((security.as_str(), auth.as_str()), ("starttls", "xoauth2"));
        assert_eq!(
            store.account_by_name("work").expect("read").settings,
            settings
        );
    }

    #[test]
    fn an_unknown_auth_method_reads_as_automatic_and_keeps_the_account_visible() {
        let (_dir, store) = store_with_account(&AccountSettings::default());
        store
            .conn
            .execute("UPDATE accounts SET auth_method = 'cram-md5'", [])
            .expect("edit by hand");
        let accounts = store.accounts().expect("accounts still listed");
        assert_eq!(accounts[0].settings.auth_method, AuthChoice::Auto);
    }

    #[test]
    fn the_schema_refuses_an_unknown_security_mode() {
        let (_dir, store) = store_with_account(&AccountSettings::default());
        let edited = store
            .conn
            .execute("UPDATE accounts SET security = 'ssl'", []);
        assert!(edited.is_err(), "the CHECK constraint holds");
    }

    #[test]
    fn a_renamed_account_keeps_its_id_and_inbox_and_refuses_a_taken_name() {
        let (_dir, mut store) = store_with_account(&AccountSettings::default());
        let before = store.account_by_name("work").expect("work");
        let inbox = store.inbox_of(before.id).expect("inbox");
        store
            .add_account("home", &AccountSettings::default())
            .expect("home");

        let cased = store.rename_account("work", "Work").expect("case only");
        assert_eq!(cased.name, "Work");
        let renamed = store.rename_account("Work", "office").expect("rename");
        assert_eq!(renamed.id, before.id);
        assert_eq!(store.inbox_of(renamed.id).expect("inbox"), inbox);
        assert!(store.account_by_name("work").is_err());

        assert!(matches!(
            store.rename_account("office", "home"),
            Err(StoreError::AccountExists(_))
        ));
        assert!(matches!(
            store.rename_account("office", "a/b"),
            Err(StoreError::InvalidAccountName(_))
        ));
        assert!(matches!(
            store.rename_account("nobody", "someone"),
            Err(StoreError::NoSuchAccount(_))
        ));
        assert_eq!(store.accounts().expect("accounts").len(), 2);
    }
}
