//! "Explore sample mail": the messages in `assets/samples`, built into the binary and imported
//! into a Samples folder.

use include_dir::{Dir, include_dir};

use crate::message;
use crate::model::{Flags, FolderId};
use crate::store::{NewMessage, Store, StoreError, raw_sha256};

static SAMPLES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/assets/samples");

/// The folder the samples go to.
pub const SAMPLES_FOLDER: &str = "Samples";

/// The sample messages' bytes, in file-name order.
#[must_use]
pub fn messages() -> Vec<&'static [u8]> {
    let mut files: Vec<_> = SAMPLES
        .files()
        .filter(|file| file.path().extension().is_some_and(|ext| ext == "eml"))
        .collect();
    files.sort_by_key(|file| file.path());
    files.into_iter().map(include_dir::File::contents).collect()
}

/// Imports the samples (again importing nothing new) and returns the Samples folder.
///
/// # Errors
/// When the store refuses them.
pub fn import(store: &mut Store) -> Result<FolderId, StoreError> {
    let folder = store.ensure_folder(SAMPLES_FOLDER)?;
    let raws = messages();
    let parsed: Vec<_> = raws.iter().map(|raw| message::parse(raw, None)).collect();
    let hashes: Vec<_> = raws.iter().map(|raw| raw_sha256(raw)).collect();
    let batch: Vec<NewMessage<'_>> = raws
        .iter()
        .zip(&parsed)
        .zip(&hashes)
        .map(|((raw, parsed), sha)| NewMessage {
            raw,
            raw_sha256: sha,
            parsed,
            folder_id: folder,
            account_id: None,
            flags: Flags::default(),
            received_at: parsed.date.unwrap_or_else(crate::dates::now),
            headers_only: false,
            stored_raw: None,
        })
        .collect();
    store.insert_messages(&batch)?;
    Ok(folder)
}
