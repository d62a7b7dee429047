//! Raw message bytes at rest: zstd-compressed when that saves at least a tenth, else as they are.
//!
//! Compression is lossless, so what comes back is byte for byte what arrived; the frame carries
//! a checksum, so damage on disk is reported instead of returning wrong bytes. It also halves
//! the bytes SQLite writes twice (WAL, then checkpoint), which bounds import speed at scale.

use std::io::{Read, Write};

use rusqlite::{Connection, MAIN_DB, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::error::{Result, StoreError};
use crate::model::MessageId;

/// zstd level: the fastest levels already take text to a third of its size.
const LEVEL: i32 = 1;

/// How raw bytes are written to `message_raw`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredRaw {
    /// A zstd frame of the raw bytes (it saved at least a tenth).
    Zstd(Vec<u8>),
    /// The raw bytes themselves: compression would save too little, or the message is so large
    /// that a compressed copy beside it would double the memory a download needs.
    AsIs,
}

/// Messages larger than this are stored as they are, so a download never holds a compressed copy
/// of more than this beside the message. Below it compression pays: it writes fewer bytes twice
/// (WAL, then checkpoint); storing 16 and 32 MiB messages uncompressed made a sync of four
/// large messages 35 % slower and saved only 13 MB of peak memory.
pub const COMPRESS_UP_TO: u64 = 64 * 1024 * 1024;

/// Blobs larger than this are written through SQLite's incremental blob I/O rather than bound
/// as a parameter, which SQLite would copy twice (the bound value and the row record).
const STREAM_FROM: usize = 1024 * 1024;

impl StoredRaw {
    /// Compresses `raw` if that is worth it. Cheap enough to run on an import's reader thread.
    #[must_use]
    pub fn encode(raw: &[u8]) -> Self {
        if raw.len() as u64 > COMPRESS_UP_TO {
            return Self::AsIs;
        }
        let mut encoder = zstd::bulk::Compressor::new(LEVEL).ok();
        if let Some(compressor) = encoder.as_mut() {
            let _ = compressor.include_checksum(true);
            if let Ok(bytes) = compressor.compress(raw)
                && saves_enough(bytes.len(), raw.len())
            {
                return Self::Zstd(bytes);
            }
        }
        Self::AsIs
    }

    /// True for a zstd frame.
    #[must_use]
    pub fn is_compressed(&self) -> bool {
        matches!(self, Self::Zstd(_))
    }
}

/// Compression is kept when it saves at least a tenth.
fn saves_enough(compressed: usize, raw: usize) -> bool {
    compressed < raw - raw / 10
}

/// [`StoredRaw::encode`] and [`super::raw_sha256`] for bytes that arrive in pieces: both run
/// as the pieces come in, so little work is left once the last one has arrived.
pub struct RawEncoder {
    compressor: Option<zstd::stream::write::Encoder<'static, Vec<u8>>>,
    hasher: Sha256,
    received: u64,
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
        Self::expecting(0)
    }

    /// A fresh encoder for a message announced as `size` bytes: one over
    /// the compression limit (`COMPRESS_UP_TO`, 64 MiB) is only hashed.
    #[must_use]
    pub fn expecting(size: u64) -> Self {
        let compressor = (size <= COMPRESS_UP_TO)
            .then(|| {
                zstd::stream::write::Encoder::new(Vec::new(), LEVEL)
                    .and_then(|mut encoder| encoder.include_checksum(true).map(|()| encoder))
                    .ok()
            })
            .flatten();
        Self {
            compressor,
            hasher: Sha256::new(),
            received: 0,
        }
    }

    /// Takes the next piece of the message.
    pub fn update(&mut self, piece: &[u8]) {
        self.hasher.update(piece);
        self.received += piece.len() as u64;
        if self.received > COMPRESS_UP_TO {
            // Larger than announced: stored as it is, like any message this large.
            self.compressor = None;
        }
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
            Some(bytes) if saves_enough(bytes.len(), raw.len()) => StoredRaw::Zstd(bytes),
            _ => StoredRaw::AsIs,
        };
        (stored, sha)
    }
}

/// Writes the raw bytes of a message, `raw` itself or its compressed form as `stored` says.
pub(super) fn insert(conn: &Connection, id: i64, raw: &[u8], stored: &StoredRaw) -> Result<()> {
    let (bytes, compression) = match stored {
        StoredRaw::Zstd(bytes) => (&bytes[..], "zstd"),
        StoredRaw::AsIs => (raw, "none"),
    };
    if bytes.len() < STREAM_FROM {
        conn.prepare_cached(
            "INSERT INTO message_raw (message_id, raw_bytes, compression) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![id, bytes, compression])?;
        return Ok(());
    }
    conn.prepare_cached(
        "INSERT INTO message_raw (message_id, raw_bytes, compression) VALUES (?1, zeroblob(?2), ?3)",
    )?
    .execute(params![id, bytes.len(), compression])?;
    let mut blob = conn.blob_open(MAIN_DB, c"message_raw", c"raw_bytes", id, false)?;
    blob.write_all(bytes).map_err(|source| StoreError::Io {
        path: conn.path().map(Into::into).unwrap_or_default(),
        source,
    })?;
    blob.close()?;
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
        let StoredRaw::Zstd(bytes) = StoredRaw::encode(&text) else {
            panic!("text compresses");
        };
        assert!(bytes.len() < text.len() / 4);
        assert_eq!(
            zstd::bulk::decompress(&bytes, text.len()).ok().as_deref(),
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
        assert_eq!(StoredRaw::encode(&noise), StoredRaw::AsIs);
        assert_eq!(StoredRaw::encode(b""), StoredRaw::AsIs);
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
        let StoredRaw::Zstd(bytes) = stored else {
            panic!("text compresses");
        };
        assert!(bytes.len() < text.len() / 4);
        assert_eq!(
            zstd::bulk::decompress(&bytes, text.len()).ok().as_deref(),
            Some(&text[..])
        );
        let (empty, _) = RawEncoder::new().finish(b"");
        assert_eq!(empty, StoredRaw::AsIs);
    }

    #[test]
    fn a_message_over_the_compression_limit_is_only_hashed_and_stored_as_it_is() {
        let size = usize::try_from(COMPRESS_UP_TO).unwrap_or(usize::MAX) + 10;
        let text = b"compressible ".repeat(size / 13 + 1);
        assert_eq!(StoredRaw::encode(&text), StoredRaw::AsIs);
        let mut announced_small = RawEncoder::expecting(100);
        for piece in text.chunks(64 * 1024) {
            announced_small.update(piece);
        }
        let (stored, sha) = announced_small.finish(&text);
        assert_eq!(stored, StoredRaw::AsIs, "larger than announced");
        assert_eq!(sha, crate::store::raw_sha256(&text));
    }
}
