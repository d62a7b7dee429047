//! Maildir: one file per message in `cur/` and `new/`; flags in the name after `:2,`.

use std::fs;
use std::path::{Path, PathBuf};

use super::{DiskMessage, MAX_MESSAGE_BYTES, MailboxError, file_time, read_message_file};
use crate::model::Flags;

/// Lists a Maildir's messages (`new/` then `cur/`, each by name) and reads them lazily: each
/// item is a message or the error for that one file, so one unreadable file skips only itself.
/// Only regular files up to [`MAX_MESSAGE_BYTES`] are read (see [`read_message_file`]).
///
/// # Errors
/// When the folder cannot be listed.
pub fn read_maildir(
    dir: &Path,
) -> Result<impl Iterator<Item = Result<DiskMessage, MailboxError>>, MailboxError> {
    let mut files: Vec<(PathBuf, bool)> = Vec::new();
    for (sub, is_new) in [("new", true), ("cur", false)] {
        let sub_dir = dir.join(sub);
        if !sub_dir.is_dir() {
            continue;
        }
        let mut names: Vec<PathBuf> = fs::read_dir(&sub_dir)
            .map_err(MailboxError::io(&sub_dir))?
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| {
                path.file_name()
                    .is_some_and(|name| !name.to_string_lossy().starts_with('.'))
            })
            .collect();
        names.sort();
        files.extend(names.into_iter().map(|path| (path, is_new)));
    }
    Ok(files.into_iter().map(|(path, is_new)| {
        let raw = read_message_file(&path, MAX_MESSAGE_BYTES)?;
        let flags = if is_new {
            Flags::default()
        } else {
            flags_from_name(&path)
        };
        Ok(DiskMessage {
            raw,
            flags,
            received_at: file_time(&path),
            envelope_from: None,
        })
    }))
}

/// Flags from the `:2,FRS` info part of a Maildir file name.
fn flags_from_name(path: &Path) -> Flags {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let info = name
        .rsplit_once(":2,")
        .or_else(|| name.rsplit_once("!2,"))
        .map_or("", |(_, info)| info);
    Flags {
        seen: info.contains('S'),
        flagged: info.contains('F'),
        answered: info.contains('R'),
    }
}

/// Writes messages into a Maildir the safe way: write to `tmp/`, sync, then rename into `cur/`.
#[derive(Debug)]
pub struct MaildirWriter {
    dir: PathBuf,
    written: u64,
}

impl MaildirWriter {
    /// Creates (if needed) `dir` with `cur/`, `new/` and `tmp/`.
    ///
    /// # Errors
    /// When the folders cannot be created.
    pub fn create(dir: &Path) -> Result<Self, MailboxError> {
        for sub in ["cur", "new", "tmp"] {
            let path = dir.join(sub);
            fs::create_dir_all(&path).map_err(MailboxError::io(&path))?;
        }
        Ok(Self {
            dir: dir.to_owned(),
            written: 0,
        })
    }

    /// Writes one message with its flags; `unique` must be unique within this export (the message id).
    ///
    /// # Errors
    /// When writing or renaming fails.
    pub fn write(
        &mut self,
        unique: i64,
        raw: &[u8],
        flags: Flags,
        date: i64,
    ) -> Result<PathBuf, MailboxError> {
        use std::io::Write;
        let base = format!(
            "{date}.M{unique}P{}Q{}.satchel",
            std::process::id(),
            self.written
        );
        let mut info = String::from(":2,");
        for (set, letter) in [
            (flags.flagged, 'F'),
            (flags.answered, 'R'),
            (flags.seen, 'S'),
        ] {
            if set {
                info.push(letter);
            }
        }
        let tmp = self.dir.join("tmp").join(&base);
        let mut file = fs::File::create(&tmp).map_err(MailboxError::io(&tmp))?;
        file.write_all(raw).map_err(MailboxError::io(&tmp))?;
        file.sync_all().map_err(MailboxError::io(&tmp))?;
        let target = self.dir.join("cur").join(format!("{base}{info}"));
        fs::rename(&tmp, &target).map_err(MailboxError::io(&target))?;
        self.written += 1;
        Ok(target)
    }
}
