//! Raw message bytes at rest: zstd-compressed when that saves at least a tenth, else as they are.
//!
//! Compression is lossless, so what comes back is byte for byte what arrived; the frame carries
//! a checksum, so damage on disk is reported instead of returning wrong bytes. It also halves
//! the bytes SQLite writes twice (WAL, then checkpoint), which bounds import speed at scale.

use rusqlite::{Connection, OptionalExtension, params};

use super::error::{Result, StoreError};
use crate::model::MessageId;

/// zstd level: the fastest levels already take text to a third of its size.
const LEVEL: i32 = 1;

/// Raw bytes as they are written to `message_raw`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRaw {
    /// The bytes to store (compressed or not).
    pub bytes: Vec<u8>,
    /// True when `bytes` is a zstd frame.
    pub compressed: bool,
}

impl StoredRaw {
    /// Compresses `raw` if that is worth it. Cheap enough to run on an import's reader thread.
    #[must_use]
    pub fn encode(raw: &[u8]) -> Self {
        let mut encoder = zstd::bulk::Compressor::new(LEVEL).ok();
        if let Some(compressor) = encoder.as_mut() {
            let _ = compressor.include_checksum(true);
            if let Ok(bytes) = compressor.compress(raw)
                && bytes.len() < raw.len() - raw.len() / 10
            {
                return Self {
                    bytes,
                    compressed: true,
                };
            }
        }
        Self {
            bytes: raw.to_vec(),
            compressed: false,
        }
    }
}

/// Writes the raw bytes of a message.
pub(super) fn insert(conn: &Connection, id: i64, stored: &StoredRaw) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO message_raw (message_id, raw_bytes, compression) VALUES (?1, ?2, ?3)",
    )?
    .execute(params![
        id,
        stored.bytes,
        if stored.compressed { "zstd" } else { "none" }
    ])?;
    Ok(())
}

/// Reads back the exact raw bytes of a message.
pub(super) fn read(conn: &Connection, id: MessageId) -> Result<Vec<u8>> {
    let (bytes, compression, size): (Vec<u8>, String, usize) = conn
        .prepare_cached(
            "SELECT r.raw_bytes, r.compression, m.size FROM message_raw r JOIN messages m ON m.id = r.message_id
             WHERE r.message_id = ?1",
        )?
        .query_row([id.0], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .optional()?
        .ok_or(StoreError::NoSuchMessage(id.0))?;
    if compression == "zstd" {
        zstd::bulk::decompress(&bytes, size).map_err(|_| StoreError::DamagedMessage(id.0))
    } else {
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_compressed_and_noise_is_not() {
        let text = b"Subject: hello\r\n\r\n".repeat(200);
        let stored = StoredRaw::encode(&text);
        assert!(stored.compressed && stored.bytes.len() < text.len() / 4);
        assert_eq!(
            zstd::bulk::decompress(&stored.bytes, text.len())
                .ok()
                .as_deref(),
            Some(&text[..])
        );
        let mut state = 0x1234_5678_u32;
        let noise: Vec<u8> = (0..4096)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                state.to_le_bytes()[0]
            })
            .collect();
        let stored = StoredRaw::encode(&noise);
        assert!(!stored.compressed);
        assert_eq!(stored.bytes, noise);
        assert!(!StoredRaw::encode(b"").compressed);
    }
}
