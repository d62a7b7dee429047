//! Opening a file or a link with the desktop's program, and saying plainly why it did not open
//! (never `ExitStatus(unix_wait_status(512))`).
//!
//! The opener waits for the launcher (xdg-open and its fallbacks) to finish, so it runs on a
//! thread of its own; the launcher's exit code is what tells a missing program from a refusal.

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// Which program opens files and links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Opener {
    /// The desktop's launcher (xdg-open, gio, … on Linux; `open` on macOS; `start` on Windows).
    #[default]
    Desktop,
    /// This program, given the file or link as its one argument (tests; a user's choice).
    Program(PathBuf),
}

/// Why a file or link did not open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenFailure {
    /// No launcher program exists on this computer.
    NoLauncher,
    /// The launcher ran and gave up: no program is set up for this kind of file or link.
    NothingSetUp,
    /// The file to open is not there (any more).
    Missing,
    /// The launcher could not be started or watched for another reason (the system's words).
    System(String),
}

impl OpenFailure {
    /// One plain sentence: "Cannot open {what}: …", with what to do instead for a link.
    #[must_use]
    pub fn sentence(&self, what: &str, is_link: bool) -> String {
        let why = match self {
            Self::NoLauncher => {
                "this computer has no program for opening files and links (xdg-open is not \
                 installed)"
                    .to_owned()
            }
            Self::NothingSetUp => "no program on this computer is set up to open it".to_owned(),
            Self::Missing => "the file is not there any more".to_owned(),
            Self::System(words) => words.clone(),
        };
        let instead = if is_link && *self != Self::Missing {
            " Copy the link from its menu and paste it into your browser."
        } else {
            ""
        };
        format!("Cannot open {what}: {why}.{instead}")
    }
}

impl Opener {
    /// Opens `target`, waiting for the launcher to say whether it could.
    ///
    /// # Errors
    /// Why it did not open.
    pub fn open(&self, target: &OsStr) -> Result<(), OpenFailure> {
        let commands = match self {
            Self::Desktop => open::commands(target),
            Self::Program(program) => {
                let mut command = Command::new(program);
                command.arg(target);
                vec![command]
            }
        };
        run_launchers(commands)
    }
}

/// Tries each launcher in turn until one succeeds; the first refusal is what is reported, and
/// a missing program only when none could be started.
fn run_launchers(commands: Vec<Command>) -> Result<(), OpenFailure> {
    let mut refusal = None;
    let mut not_started = OpenFailure::NoLauncher;
    for mut command in commands {
        let status = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        match status {
            Ok(status) if status.success() => return Ok(()),
            // xdg-open: 2 means the file does not exist; 1, 3 and 4 that nothing could open it.
            Ok(status) => {
                refusal.get_or_insert(if status.code() == Some(2) {
                    OpenFailure::Missing
                } else {
                    OpenFailure::NothingSetUp
                });
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => not_started = OpenFailure::System(err.to_string()),
        }
    }
    Err(refusal.unwrap_or(not_started))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shell(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    #[test]
    fn the_first_launcher_that_works_wins_and_a_refusal_beats_a_missing_program() {
        assert_eq!(
            run_launchers(vec![shell("exit 3"), shell("exit 0")]),
            Ok(())
        );
        assert_eq!(
            run_launchers(vec![
                shell("exit 3"),
                Command::new("/nonexistent/satchel-opener")
            ]),
            Err(OpenFailure::NothingSetUp)
        );
        assert_eq!(
            run_launchers(vec![shell("exit 2")]),
            Err(OpenFailure::Missing)
        );
        assert_eq!(
            run_launchers(vec![Command::new("/nonexistent/satchel-opener")]),
            Err(OpenFailure::NoLauncher)
        );
        assert_eq!(run_launchers(Vec::new()), Err(OpenFailure::NoLauncher));
    }

    #[test]
    fn failures_are_plain_sentences_and_a_link_says_what_to_do_instead() {
        let sentence = OpenFailure::NothingSetUp.sentence("the link", true);
        assert_eq!(
            sentence,
            "Cannot open the link: no program on this computer is set up to open it. Copy the \
             link from its menu and paste it into your browser."
        );
        assert!(!sentence.contains("ExitStatus"));
        assert_eq!(
            OpenFailure::Missing.sentence("report.pdf", false),
            "Cannot open report.pdf: the file is not there any more."
        );
    }
}
