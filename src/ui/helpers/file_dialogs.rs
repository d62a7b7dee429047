//! Whether the desktop can show its own file dialog. On Linux that takes the desktop portal
//! (with a file-chooser backend) on a session bus, or zenity; a plain X11 session or a bare
//! window manager has neither, and rfd then returns nothing, exactly as if the user had
//! cancelled. Satchel shows its built-in dialog there instead.

use std::path::{Path, PathBuf};

/// The portal interface that shows file dialogs.
const FILE_CHOOSER: &str = "org.freedesktop.impl.portal.FileChooser";

/// True when the desktop's file dialog can be shown.
#[must_use]
pub fn system_dialog_available() -> bool {
    if !cfg!(target_os = "linux") && !cfg!(target_os = "freebsd") {
        return true;
    }
    let env = |name: &str| std::env::var_os(name).map(PathBuf::from);
    on_path("zenity", env("PATH").as_deref())
        || (session_bus(env("DBUS_SESSION_BUS_ADDRESS"), env("XDG_RUNTIME_DIR"))
            && portal_file_chooser(&data_dirs(env("XDG_DATA_DIRS"))))
}

/// The directories desktop data is looked up in (`XDG_DATA_DIRS`, or its default).
fn data_dirs(configured: Option<PathBuf>) -> Vec<PathBuf> {
    let listed = configured
        .filter(|dirs| !dirs.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("/usr/local/share:/usr/share"));
    std::env::split_paths(&listed).collect()
}

/// Whether a session bus is there to talk to the portal on.
fn session_bus(address: Option<PathBuf>, runtime_dir: Option<PathBuf>) -> bool {
    address.is_some_and(|address| !address.as_os_str().is_empty())
        || runtime_dir.is_some_and(|dir| dir.join("bus").exists())
}

/// Whether the portal service and a backend that shows file dialogs are installed.
fn portal_file_chooser(data_dirs: &[PathBuf]) -> bool {
    let service = data_dirs.iter().any(|dir| {
        dir.join("dbus-1/services/org.freedesktop.portal.Desktop.service")
            .exists()
    });
    service
        && data_dirs.iter().any(|dir| {
            std::fs::read_dir(dir.join("xdg-desktop-portal/portals"))
                .into_iter()
                .flatten()
                .flatten()
                .any(|entry| backend_chooses_files(&entry.path()))
        })
}

/// Whether a portal backend's `.portal` file offers the file chooser.
fn backend_chooses_files(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "portal")
        && std::fs::read_to_string(path).is_ok_and(|text| text.contains(FILE_CHOOSER))
}

/// Whether `program` is an executable file in one of the `PATH` directories.
fn on_path(program: &str, path: Option<&Path>) -> bool {
    path.is_some_and(|path| {
        std::env::split_paths(path).any(|dir| {
            let candidate = dir.join(program);
            candidate.is_file() && is_executable(&candidate)
        })
    })
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|meta| meta.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_path: &Path) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("dir");
        std::fs::write(path, text).expect("write");
    }

    #[test]
    fn the_portal_counts_only_with_a_backend_that_chooses_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let share = dir.path().to_owned();
        assert!(!portal_file_chooser(std::slice::from_ref(&share)));
        write(
            &share.join("dbus-1/services/org.freedesktop.portal.Desktop.service"),
            "[D-BUS Service]",
        );
        write(
            &share.join("xdg-desktop-portal/portals/wlr.portal"),
            "[portal]\nInterfaces=org.freedesktop.impl.portal.Screenshot;\n",
        );
        assert!(
            !portal_file_chooser(std::slice::from_ref(&share)),
            "a backend for screenshots only shows no file dialog"
        );
        write(
            &share.join("xdg-desktop-portal/portals/gtk.portal"),
            "[portal]\nInterfaces=org.freedesktop.impl.portal.FileChooser;\n",
        );
        assert!(portal_file_chooser(&[PathBuf::from("/nonexistent"), share]));
    }

    #[test]
    fn a_session_bus_is_an_address_or_a_socket_in_the_runtime_dir() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(!session_bus(None, Some(dir.path().to_owned())));
        assert!(!session_bus(Some(PathBuf::new()), None));
        assert!(session_bus(Some(PathBuf::from("unix:path=/run/bus")), None));
        write(&dir.path().join("bus"), "");
        assert!(session_bus(None, Some(dir.path().to_owned())));
    }

    #[cfg(unix)]
    #[test]
    fn a_program_is_found_on_the_path_only_when_executable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let zenity = dir.path().join("zenity");
        write(&zenity, "#!/bin/sh\n");
        let path = std::env::join_paths([Path::new("/nonexistent"), dir.path()]).expect("path");
        assert!(!on_path("zenity", Some(Path::new(&path))), "not executable");
        std::fs::set_permissions(&zenity, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        assert!(on_path("zenity", Some(Path::new(&path))));
        assert!(!on_path("zenity", None));
        assert_eq!(
            data_dirs(None),
            [
                PathBuf::from("/usr/local/share"),
                PathBuf::from("/usr/share")
            ]
        );
    }
}
