//! Opening a store file safely: refuse foreign or newer files untouched, then migrate forward.

use std::path::Path;
use std::sync::LazyLock;

use include_dir::{Dir, include_dir};
use rusqlite::{Connection, OpenFlags};
use rusqlite_migration::Migrations;

use super::error::{Result, StoreError};

static MIGRATIONS_DIR: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/migrations");

/// The embedded migrations, in order.
pub(super) static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    // The directory is embedded at build time and checked by a unit test, so this cannot fail at run time.
    Migrations::from_directory(&MIGRATIONS_DIR)
        .unwrap_or_else(|err| panic!("embedded migrations are invalid: {err}"))
});

/// Highest schema version this build knows.
#[must_use]
pub fn latest_version() -> usize {
    MIGRATIONS_DIR.dirs().count()
}

/// Reads an existing file read-only and refuses it, untouched, when it is not ours or too new.
pub(super) fn check_existing(path: &Path) -> Result<()> {
    let not_a_store = || StoreError::NotAStore {
        path: path.to_owned(),
    };
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|_| not_a_store())?;
    let version: usize = conn
        .pragma_query_value(None, "user_version", |row| row.get::<_, i64>(0))
        .map_err(|_| not_a_store())?
        .try_into()
        .map_err(|_| not_a_store())?;
    if version > latest_version() {
        return Err(StoreError::TooNew {
            path: path.to_owned(),
            found: version,
            supported: latest_version(),
        });
    }
    if version == 0 {
        // An unversioned file with tables belongs to some other program: never migrate it.
        let tables: i64 = conn
            .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))
            .map_err(|_| not_a_store())?;
        if tables > 0 {
            return Err(not_a_store());
        }
    }
    Ok(())
}

/// Applies every pending migration in one transaction each.
pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
    MIGRATIONS.to_latest(conn).map_err(StoreError::Migrate)
}

#[cfg(test)]
mod tests {
    #[test]
    fn migrations_are_valid() {
        assert!(super::MIGRATIONS.validate().is_ok());
        assert!(super::latest_version() >= 1);
    }
}
