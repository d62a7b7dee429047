//! Running the `satchel` binary and reading what it printed; fixtures under `tests/data/`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `satchel` binary with `--data-dir DIR` and the given arguments.
pub fn satchel(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("SATCHEL_DATA_DIR")
        .output()
        .expect("run satchel")
}

/// Path of a fixture under `tests/data/`.
pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path)
}

/// Stdout as text.
pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Stderr as text.
pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Runs the `satchel` binary like [`satchel`], with `input` on its standard input and no
/// system keyring (passwords go to the labelled private file in the data directory).
pub fn satchel_with_stdin(data_dir: &Path, args: &[&str], input: &str) -> Output {
    use std::io::Write as _;
    let mut child = Command::new(env!("CARGO_BIN_EXE_satchel"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("SATCHEL_DATA_DIR")
        .env("SATCHEL_NO_KEYRING", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run satchel");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for satchel")
}
