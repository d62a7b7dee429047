//! Images from a message's own parts (attachment thumbnails; the HTML view's `cid:` images),
//! decoded with bounds so a hostile image cannot exhaust memory, and only while on screen.
//!
//! Use: [`install`] once per context; [`part_uri`] names part N of message M; [`part_image`]
//! gives egui that part's bytes and returns the [`egui::Image`] to add; [`forget_all_but`]
//! (called each frame by the app) drops the decoded images of messages no longer shown.

use std::collections::HashMap;
use std::io::Cursor;
use std::sync::{Arc, Mutex};

use egui::load::{ImageLoadResult, ImageLoader, ImagePoll, LoadError, SizeHint};
use egui::{ColorImage, Context};

use crate::model::MessageId;

/// Widest or tallest image decoded; larger ones are refused.
pub const MAX_DECODED_SIDE: u32 = 8192;
/// Most memory one decode may allocate.
pub const MAX_DECODE_ALLOC: u64 = 128 * 1024 * 1024;
/// Decoded images are scaled down to at most this many pixels a side before upload.
pub const MAX_SHOWN_SIDE: u32 = 2048;
/// Largest encoded part handed to the decoder.
pub const MAX_ENCODED_BYTES: u64 = 16 * 1024 * 1024;

const URI_PREFIX: &str = "bytes://satchel/message/";
const LOADER_ID: &str = "satchel::bounded_image_loader";

/// The uri of part `part` (its index in the attachment list) of message `message`.
#[must_use]
pub fn part_uri(message: MessageId, part: usize) -> String {
    format!("{URI_PREFIX}{}/part/{part}", message.0)
}

/// The message a [`part_uri`] belongs to.
fn message_of(uri: &str) -> Option<MessageId> {
    let rest = uri.strip_prefix(URI_PREFIX)?;
    let (id, _) = rest.split_once('/')?;
    id.parse().ok().map(MessageId)
}

/// Installs the bounded loader (once per context; later calls do nothing).
pub fn install(ctx: &Context) {
    if loader(ctx).is_none() {
        let installed = Arc::new(BoundedLoader::default());
        ctx.data_mut(|data| data.insert_temp(loader_key(), Arc::clone(&installed)));
        ctx.add_image_loader(installed);
    }
}

/// The loader [`install`] gave this context (egui hands loaders back only as trait objects).
fn loader(ctx: &Context) -> Option<Arc<BoundedLoader>> {
    ctx.data(|data| data.get_temp::<Arc<BoundedLoader>>(loader_key()))
}

fn loader_key() -> egui::Id {
    egui::Id::unique(LOADER_ID)
}

/// The image of a part whose encoded bytes are `bytes`, under `uri` (from [`part_uri`]).
/// Nothing is decoded until the image is drawn.
pub fn part_image(ui: &egui::Ui, uri: String, bytes: Arc<[u8]>) -> egui::Image<'static> {
    install(ui.ctx());
    egui::Image::from_bytes(uri, egui::load::Bytes::Shared(bytes))
}

/// Forgets the decoded images (and their bytes and textures) of every message not in `shown`.
pub fn forget_all_but(ctx: &Context, shown: &[MessageId]) {
    let Some(loader) = loader(ctx) else {
        return;
    };
    let stale: Vec<String> = loader
        .uris()
        .into_iter()
        .filter(|uri| message_of(uri).is_none_or(|id| !shown.contains(&id)))
        .collect();
    for uri in stale {
        ctx.forget_image(&uri);
    }
}

/// Decodes PNG, JPEG and GIF (first frame) with `image`'s limits, caching the result per uri.
#[derive(Default)]
struct BoundedLoader {
    cache: Mutex<HashMap<String, Result<Arc<ColorImage>, String>>>,
}

impl BoundedLoader {
    fn uris(&self) -> Vec<String> {
        self.cache
            .lock()
            .map(|cache| cache.keys().cloned().collect())
            .unwrap_or_default()
    }
}

impl ImageLoader for BoundedLoader {
    fn id(&self) -> &str {
        LOADER_ID
    }

    fn load(&self, ctx: &Context, uri: &str, _: SizeHint) -> ImageLoadResult {
        // egui adds a frame index (`#0`) to the uris of animated formats.
        let uri = uri.split_once('#').map_or(uri, |(uri, _)| uri);
        if !uri.starts_with(URI_PREFIX) {
            return Err(LoadError::NotSupported);
        }
        if let Some(done) = self
            .cache
            .lock()
            .ok()
            .and_then(|cache| cache.get(uri).cloned())
        {
            return done
                .map(|image| ImagePoll::Ready { image })
                .map_err(LoadError::Loading);
        }
        match ctx.try_load_bytes(uri)? {
            egui::load::BytesPoll::Pending { size } => Ok(ImagePoll::Pending { size }),
            egui::load::BytesPoll::Ready { bytes, .. } => {
                let decoded = decode(&bytes).map(Arc::new);
                if let Ok(mut cache) = self.cache.lock() {
                    cache.insert(uri.to_owned(), decoded.clone());
                }
                decoded
                    .map(|image| ImagePoll::Ready { image })
                    .map_err(LoadError::Loading)
            }
        }
    }

    fn forget(&self, uri: &str) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.remove(uri);
        }
    }

    fn forget_all(&self) {
        if let Ok(mut cache) = self.cache.lock() {
            cache.clear();
        }
    }

    fn byte_size(&self) -> usize {
        self.cache.lock().map_or(0, |cache| {
            cache
                .values()
                .map(|image| image.as_ref().map_or(0, |image| image.pixels.len() * 4))
                .sum()
        })
    }
}

/// Decodes `bytes` within [`MAX_DECODED_SIDE`] and [`MAX_DECODE_ALLOC`], scaled down to
/// [`MAX_SHOWN_SIDE`].
///
/// # Errors
/// When the format is not PNG, JPEG or GIF, the image is too large, or it is broken.
pub fn decode(bytes: &[u8]) -> Result<ColorImage, String> {
    if bytes.len() as u64 > MAX_ENCODED_BYTES {
        return Err("the image is too large to preview".to_owned());
    }
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|err| err.to_string())?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|err| err.to_string())?;
    let decoded = if decoded.width() > MAX_SHOWN_SIDE || decoded.height() > MAX_SHOWN_SIDE {
        decoded.thumbnail(MAX_SHOWN_SIDE, MAX_SHOWN_SIDE)
    } else {
        decoded
    };
    let rgba = decoded.to_rgba8();
    let size = [rgba.width() as usize, rgba.height() as usize];
    Ok(ColorImage::from_rgba_unmultiplied(size, rgba.as_raw()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG of `width`×`height` pixels, encoded with `image` itself.
    pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
        let pixels = image::RgbaImage::from_pixel(width, height, image::Rgba([200, 30, 30, 255]));
        let mut encoded = Cursor::new(Vec::new());
        pixels
            .write_to(&mut encoded, image::ImageFormat::Png)
            .expect("encode");
        encoded.into_inner()
    }

    #[test]
    fn small_images_decode_and_large_ones_are_scaled_down() {
        let small = decode(&png(3, 2)).expect("decodes");
        assert_eq!(small.size, [3, 2]);
        let wide = decode(&png(4000, 10)).expect("decodes");
        assert_eq!(wide.size[0], MAX_SHOWN_SIDE as usize);
    }

    #[test]
    fn a_header_claiming_huge_dimensions_is_refused_without_allocating() {
        // A valid PNG header saying 100,000 × 100,000 pixels (40 GB decoded).
        let mut bomb = png(1, 1);
        bomb[16..20].copy_from_slice(&100_000_u32.to_be_bytes());
        bomb[20..24].copy_from_slice(&100_000_u32.to_be_bytes());
        assert!(decode(&bomb).is_err());
        assert!(decode(b"not an image at all").is_err());
    }

    #[test]
    fn jpeg_and_gif_decode_too() {
        for format in [image::ImageFormat::Jpeg, image::ImageFormat::Gif] {
            let pixels = image::RgbImage::from_pixel(16, 8, image::Rgb([1, 2, 3]));
            let mut encoded = Cursor::new(Vec::new());
            pixels.write_to(&mut encoded, format).expect("encode");
            let decoded = decode(&encoded.into_inner()).expect("decodes");
            assert_eq!(decoded.size, [16, 8], "{format:?}");
        }
    }

    #[test]
    fn uris_name_their_message() {
        let uri = part_uri(MessageId(42), 3);
        assert_eq!(message_of(&uri), Some(MessageId(42)));
        assert_eq!(message_of("bytes://other"), None);
    }
}
