//! Large base64 runs (attachments) are not decoded just to learn their size.
//!
//! Decoding a 32 MiB attachment costs more than downloading it, yet Satchel only needs its
//! size: the bytes stay in the raw message. So before parsing a large message, each long run
//! of base64 lines is replaced by a short marker (kept in a copy; the raw bytes are stored as
//! they came), and the run's decoded size is computed from its length. When a marker ends up
//! anywhere but as a whole attachment, the caller parses the original instead.

/// Messages smaller than this are parsed as they are.
pub const STUB_FROM: usize = 1 << 20;
/// Runs of base64 lines shorter than this are left alone.
const MIN_RUN: usize = 64 * 1024;
/// The decoded text of marker `n` is this prefix followed by `n` as eight digits.
const MARKER_PREFIX: &str = "SATCHEL-STUB-";

/// A message copy with its long base64 runs replaced by markers.
#[derive(Debug)]
pub struct Stubbed {
    /// The copy to parse.
    pub bytes: Vec<u8>,
    /// Decoded size of each replaced run, by marker number.
    pub decoded_sizes: Vec<u64>,
}

/// The marker text a part decodes to, for run `index`.
fn marker_text(index: usize) -> String {
    format!("{MARKER_PREFIX}{index:08}")
}

/// Which run a part stood for, if its decoded contents are a marker.
#[must_use]
pub fn marker_index(contents: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(contents).ok()?;
    let digits = text.strip_prefix(MARKER_PREFIX)?;
    if digits.len() != 8 {
        return None;
    }
    digits.parse().ok()
}

/// True when `text` contains a marker (a run was not a whole attachment).
#[must_use]
pub fn mentions_marker(text: &str) -> bool {
    text.contains(MARKER_PREFIX)
}

/// Bytes that may appear in a line of base64: letters, digits, `+`, `/` and `=`.
const BASE64_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        #[expect(clippy::cast_possible_truncation, reason = "byte < 256")]
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=';
        byte += 1;
    }
    table
};

fn is_base64_line(line: &[u8]) -> bool {
    !line.is_empty()
        && line.len() <= 998
        && line.iter().all(|byte| BASE64_BYTES[usize::from(*byte)])
}

/// Base64 symbols in a line that are not padding (padding only ends a line).
fn symbols_in(line: &[u8]) -> u64 {
    let padding = line.iter().rev().take_while(|byte| **byte == b'=').count();
    (line.len() - padding) as u64
}

/// Replaces every run of base64 lines of at least 64 KiB; `None` when the message is small
/// or has no such run.
#[must_use]
pub fn stub_large_runs(raw: &[u8]) -> Option<Stubbed> {
    if raw.len() < STUB_FROM {
        return None;
    }
    let mut bytes = Vec::with_capacity(raw.len() / 8);
    let mut decoded_sizes = Vec::new();
    // (start of the run in `raw`, base64 characters in it that are not padding)
    let mut run: Option<(usize, u64)> = None;
    let mut position = 0;
    let mut flush = |bytes: &mut Vec<u8>, run: &mut Option<(usize, u64)>, end: usize| {
        if let Some((start, symbols)) = run.take() {
            if end - start >= MIN_RUN {
                let marker = base64::Engine::encode(
                    &base64::engine::general_purpose::STANDARD,
                    marker_text(decoded_sizes.len()),
                );
                decoded_sizes.push(symbols * 3 / 4);
                bytes.extend_from_slice(marker.as_bytes());
                bytes.extend_from_slice(b"\r\n");
            } else {
                bytes.extend_from_slice(&raw[start..end]);
            }
        }
    };
    for line in raw.split_inclusive(|byte| *byte == b'\n') {
        let content = line
            .strip_suffix(b"\n")
            .map_or(line, |rest| rest.strip_suffix(b"\r").unwrap_or(rest));
        if is_base64_line(content) {
            let symbols = symbols_in(content);
            match &mut run {
                Some((_, total)) => *total += symbols,
                None => run = Some((position, symbols)),
            }
        } else {
            flush(&mut bytes, &mut run, position);
            bytes.extend_from_slice(line);
        }
        position += line.len();
    }
    flush(&mut bytes, &mut run, position);
    if decoded_sizes.is_empty() {
        None
    } else {
        Some(Stubbed {
            bytes,
            decoded_sizes,
        })
    }
}
