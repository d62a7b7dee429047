//! Password storage: the system keyring when one answers, else a private file — and the user
//! is told which. Passwords never go into the store and never into logs.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Keyring service name under which Satchel keeps account passwords.
const SERVICE: &str = "satchel";
/// File name of the fallback password file.
pub const SECRETS_FILE: &str = "passwords.json";
/// Set to `1` to skip the system keyring (tests, headless machines).
pub const NO_KEYRING_ENV: &str = "SATCHEL_NO_KEYRING";

/// Where passwords are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordStore {
    /// The desktop's keyring (Secret Service, Keychain, Credential Manager).
    Keyring,
    /// A JSON file readable only by the user (mode 0600), not encrypted.
    File(PathBuf),
}

/// Why a password could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SecretsError {
    /// The keyring refused.
    #[error("cannot use the system keyring")]
    Keyring(#[source] keyring::Error),
    /// The fallback file could not be read or written.
    #[error("cannot read or write the password file {path}")]
    File {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The fallback file is not valid JSON.
    #[error("the password file {0} is damaged; remove it and enter the passwords again")]
    Damaged(PathBuf),
}

/// Reads and writes account passwords.
#[derive(Debug, Clone)]
pub struct Secrets {
    store: PasswordStore,
}

impl Secrets {
    /// Uses the system keyring if it answers, else the file `fallback_dir/passwords.json`.
    #[must_use]
    pub fn open(fallback_dir: &Path) -> Self {
        let keyring_works = std::env::var_os(NO_KEYRING_ENV).is_none_or(|value| value != "1")
            && keyring::Entry::new(SERVICE, "satchel-probe").is_ok_and(|entry| {
                matches!(entry.get_password(), Ok(_) | Err(keyring::Error::NoEntry))
            });
        let store = if keyring_works {
            PasswordStore::Keyring
        } else {
            PasswordStore::File(fallback_dir.join(SECRETS_FILE))
        };
        Self { store }
    }

    /// Keeps passwords in the given file only (no keyring): for tests and portable setups.
    #[must_use]
    pub fn in_file(path: PathBuf) -> Self {
        Self {
            store: PasswordStore::File(path),
        }
    }

    /// Where passwords go.
    #[must_use]
    pub fn store(&self) -> &PasswordStore {
        &self.store
    }

    /// One plain sentence saying where passwords are kept, for the CLI and the GUI.
    #[must_use]
    pub fn describe(&self) -> String {
        match &self.store {
            PasswordStore::Keyring => "passwords are kept in the system keyring".to_owned(),
            PasswordStore::File(path) => format!(
                "no system keyring is available: passwords are kept unencrypted in {} (readable only by you)",
                path.display()
            ),
        }
    }

    /// Stores the password of an account.
    ///
    /// # Errors
    /// When the keyring or the file cannot be written.
    pub fn set(&self, account: &str, password: &str) -> Result<(), SecretsError> {
        match &self.store {
            PasswordStore::Keyring => keyring::Entry::new(SERVICE, account)
                .and_then(|entry| entry.set_password(password))
                .map_err(SecretsError::Keyring),
            PasswordStore::File(path) => {
                let mut passwords = read_file(path)?;
                passwords.insert(account.to_owned(), password.to_owned());
                write_file(path, &passwords)
            }
        }
    }

    /// The password of an account, if one was saved.
    ///
    /// # Errors
    /// When the keyring or the file cannot be read.
    pub fn get(&self, account: &str) -> Result<Option<String>, SecretsError> {
        match &self.store {
            PasswordStore::Keyring => {
                match keyring::Entry::new(SERVICE, account).and_then(|entry| entry.get_password()) {
                    Ok(password) => Ok(Some(password)),
                    Err(keyring::Error::NoEntry) => Ok(None),
                    Err(err) => Err(SecretsError::Keyring(err)),
                }
            }
            PasswordStore::File(path) => Ok(read_file(path)?.remove(account)),
        }
    }

    /// Forgets the password of an account (no error when there was none).
    ///
    /// # Errors
    /// When the keyring or the file cannot be written.
    pub fn remove(&self, account: &str) -> Result<(), SecretsError> {
        match &self.store {
            PasswordStore::Keyring => match keyring::Entry::new(SERVICE, account)
                .and_then(|entry| entry.delete_credential())
            {
                Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(err) => Err(SecretsError::Keyring(err)),
            },
            PasswordStore::File(path) => {
                let mut passwords = read_file(path)?;
                if passwords.remove(account).is_some() {
                    write_file(path, &passwords)?;
                }
                Ok(())
            }
        }
    }
}

fn read_file(path: &Path) -> Result<BTreeMap<String, String>, SecretsError> {
    match fs::read(path) {
        Ok(bytes) => {
            serde_json::from_slice(&bytes).map_err(|_| SecretsError::Damaged(path.to_owned()))
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
        Err(source) => Err(SecretsError::File {
            path: path.to_owned(),
            source,
        }),
    }
}

/// Writes a temporary file with mode 0600, syncs it, then renames it over the old one.
fn write_file(path: &Path, passwords: &BTreeMap<String, String>) -> Result<(), SecretsError> {
    let io_error = |source| SecretsError::File {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io_error)?;
    }
    let temporary = path.with_extension("json.new");
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary).map_err(io_error)?;
    let json = serde_json::to_vec_pretty(passwords).unwrap_or_default();
    file.write_all(&json)
        .and_then(|()| file.sync_all())
        .map_err(io_error)?;
    fs::rename(&temporary, path).map_err(io_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fallback_file_is_private_and_round_trips() {
        let dir = tempfile::tempdir().expect("temp");
        let secrets = Secrets {
            store: PasswordStore::File(dir.path().join(SECRETS_FILE)),
        };
        assert_eq!(secrets.get("work").ok().flatten(), None);
        secrets.set("work", "s3cret").expect("set");
        secrets.set("home", "other").expect("set");
        assert_eq!(
            secrets.get("work").ok().flatten().as_deref(),
            Some("s3cret")
        );
        secrets.remove("work").expect("remove");
        assert_eq!(secrets.get("work").ok().flatten(), None);
        assert_eq!(secrets.get("home").ok().flatten().as_deref(), Some("other"));
        assert!(secrets.describe().contains("unencrypted"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode =
                fs::metadata(dir.path().join(SECRETS_FILE)).map(|m| m.permissions().mode() & 0o777);
            assert_eq!(mode.ok(), Some(0o600));
        }
        fs::write(dir.path().join(SECRETS_FILE), b"{broken").expect("write");
        assert!(matches!(secrets.get("home"), Err(SecretsError::Damaged(_))));
    }
}
