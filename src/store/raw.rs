//! Raw message bytes at rest: zstd-compressed when that saves at least a tenth, else as they are.
//!
//! Compression is lossless, so what comes back is byte for byte what arrived; the frame carries
//! a checksum, so damage on disk is reported instead of returning wrong bytes. It also halves
//! the bytes SQLite writes twice (WAL, then checkpoint), which bounds import speed at scale.

use std::io::{Read, Write};

use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

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

/// [`StoredRaw::encode`] and [`super::raw_sha256`] for bytes that arrive in pieces: both run
/// as the pieces come in, so little work is left once the last one has arrived.
pub struct RawEncoder {
    compressor: Option<zstd::stream::write::Encoder<'static, Vec<u8>>>,
    hasher: Sha256,
}

impl Default for RawEncoder {
    fn default() -> Self {
        Self::new()
    }
}

impl RawEncoder {
    /// A fresh encoder for one message.
    #[must_use]
    pub fn new() -> Self {
        let compressor = zstd::stream::write::Encoder::new(Vec::new(), LEVEL)
            .and_then(|mut encoder| encoder.include_checksum(true).map(|()| encoder))
            .ok();
        Self {
            compressor,
            hasher: Sha256::new(),
        }
    }

    /// Takes the next piece of the message.
    pub fn update(&mut self, piece: &[u8]) {
        self.hasher.update(piece);
        if let Some(compressor) = &mut self.compressor
            && compressor.write_all(piece).is_err()
        {
            // Storing uncompressed is always possible; compression is only a saving.
            self.compressor = None;
        }
    }

    /// Finishes: the stored form (compressed only when that saves 10 %) and the SHA-256.
    /// `raw` must be exactly the pieces given, in order.
    #[must_use]
    pub fn finish(self, raw: &[u8]) -> (StoredRaw, [u8; 32]) {
        let sha = self.hasher.finalize().into();
        let compressed = self
            .compressor
            .and_then(|compressor| compressor.finish().ok());
        let stored = match compressed {
            Some(bytes) if bytes.len() < raw.len() - raw.len() / 10 => StoredRaw {
                bytes,
                compressed: true,
            },
            _ => StoredRaw {
                bytes: raw.to_vec(),
                compressed: false,
            },
        };
        (stored, sha)
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
    let (bytes, compression, size, headers_only): (Vec<u8>, String, u64, bool) = conn
        .prepare_cached(
            "SELECT r.raw_bytes, r.compression, m.size, m.headers_only FROM message_raw r
             JOIN messages m ON m.id = r.message_id WHERE r.message_id = ?1",
        )?
        .query_row([id.0], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .optional()?
        .ok_or(StoreError::NoSuchMessage(id.0))?;
    if compression != "zstd" {
        return Ok(bytes);
    }
    // `size` is the exact length of a full message, but the server's announced size for a
    // headers-only one, which says nothing about its stored header block. Decode as a stream, so
    // memory follows the real bytes, never `size`.
    let limit = if headers_only { HEADERS_ONLY_MAX } else { size };
    let damaged = || StoreError::DamagedMessage(id.0);
    let decoder = zstd::stream::read::Decoder::new(&bytes[..]).map_err(|_| damaged())?;
    let mut raw = Vec::new();
    decoder
        .take(limit.saturating_add(1))
        .read_to_end(&mut raw)
        .map_err(|_| damaged())?;
    if raw.len() as u64 > limit {
        return Err(damaged());
    }
    Ok(raw)
}

/// Most bytes a stored header block decodes to (a guard against damaged data, far above any
/// real header block).
const HEADERS_ONLY_MAX: u64 = 1 << 30;

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

    #[test]
    fn pieces_encode_like_the_whole_and_decode_exactly() {
        let text = b"Subject: hello\r\n\r\nsome words, some more words\r\n".repeat(500);
        let mut encoder = RawEncoder::new();
        for piece in text.chunks(777) {
            encoder.update(piece);
        }
        let (stored, sha) = encoder.finish(&text);
        assert_eq!(sha, crate::store::raw_sha256(&text));
        assert!(stored.compressed && stored.bytes.len() < text.len() / 4);
        assert_eq!(
            zstd::bulk::decompress(&stored.bytes, text.len())
                .ok()
                .as_deref(),
            Some(&text[..])
        );
        let (empty, _) = RawEncoder::new().finish(b"");
        assert!(!empty.compressed && empty.bytes.is_empty());
    }
}
