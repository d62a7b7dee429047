//! Where Satchel keeps its files, from the platform's conventions (`directories`).

use std::path::PathBuf;

use directories::ProjectDirs;

/// Environment variable that overrides the data directory (also `--data-dir`).
pub const DATA_DIR_ENV: &str = "SATCHEL_DATA_DIR";

/// The platform's directories for Satchel, e.g. `~/.local/share/satchel` on Linux.
#[must_use]
pub fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("org", "Satchel", "satchel")
}

/// The default data directory (holds the store), or `None` when the platform has no home.
#[must_use]
pub fn default_data_dir() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.data_dir().to_owned())
}
