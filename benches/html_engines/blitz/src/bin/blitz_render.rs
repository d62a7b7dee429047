//! Renders every corpus message with Blitz, offline, at 700 CSS px into an RGBA buffer
//! (vello_cpu), timing parse, style+layout and paint.
//! usage: blitz_render CORPUS_DIR [--only NNN,NNN] [--shots DIR] [--parallel-style]
//!
//! Nothing remote loads: the net provider serves `cid:` URLs from the message's own parts
//! (read from NNN.eml beside NNN.html) and `data:` URLs, and answers every other request
//! with an empty body (so nothing blocks rendering), counting it as blocked.

use anyrender::{PaintScene as _, render_to_buffer};
use anyrender_vello_cpu::VelloCpuImageRenderer;
use blitz_dom::{DocumentConfig, StyleThreading, util::Color};
use blitz_html::HtmlDocument;
use blitz_paint::paint_scene;
use blitz_traits::net::{Bytes, NetHandler, NetProvider, Request};
use blitz_traits::shell::{ColorScheme, Viewport};
use html_engines_blitz::{corpus, summary};
use mail_parser::{MessageParser, MimeHeaders as _};
use parley::FontContext;
use parley::fontique::{Collection, CollectionOptions};
use peniko::Fill;
use peniko::kurbo::Rect;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// CSS px width of the reader pane.
const WIDTH: u32 = 700;
/// The rendered height is the document's, capped here (vello_cpu takes u16 sizes).
const MAX_HEIGHT: u32 = 16_000;

/// Serves a message's own parts; refuses the network.
#[derive(Default)]
struct MailNet {
    parts: HashMap<String, Bytes>,
    served: AtomicUsize,
    missing: AtomicUsize,
    blocked: AtomicUsize,
}

impl MailNet {
    fn from_eml(raw: &[u8]) -> Self {
        let mut parts = HashMap::new();
        if let Some(message) = MessageParser::default().parse(raw) {
            for part in &message.parts {
                if let Some(id) = part.content_id() {
                    let id = id.trim().trim_start_matches('<').trim_end_matches('>');
                    parts.insert(id.to_owned(), Bytes::copy_from_slice(part.contents()));
                }
            }
        }
        Self { parts, ..Self::default() }
    }
}

impl NetProvider for MailNet {
    fn fetch(&self, _doc_id: usize, request: Request, handler: Box<dyn NetHandler>) {
        let url = request.url.as_str().to_owned();
        match request.url.scheme() {
            "cid" => {
                let id = percent_decode(request.url.path());
                if let Some(bytes) = self.parts.get(&id) {
                    self.served.fetch_add(1, Ordering::Relaxed);
                    handler.bytes(url, bytes.clone());
                } else {
                    self.missing.fetch_add(1, Ordering::Relaxed);
                    handler.bytes(url, Bytes::new());
                }
            }
            "data" => {
                let body = data_url::DataUrl::process(&url)
                    .ok()
                    .and_then(|d| d.decode_to_vec().ok())
                    .map(|(body, _)| Bytes::from(body))
                    .unwrap_or_default();
                self.served.fetch_add(1, Ordering::Relaxed);
                handler.bytes(url, body);
            }
            _ => {
                self.blocked.fetch_add(1, Ordering::Relaxed);
                handler.bytes(url, Bytes::new());
            }
        }
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

struct Rendered {
    parse_ms: f64,
    resolve_ms: f64,
    paint_ms: f64,
    height: u32,
    pixels: Vec<u8>,
}

fn render(html: &str, net: Arc<MailNet>, fonts: &FontContext, threading: StyleThreading) -> Rendered {
    let start = Instant::now();
    let mut document = HtmlDocument::from_html(
        html,
        DocumentConfig {
            // A base that relative URLs can join; they then resolve here and are blocked.
            base_url: Some("mail://message/".to_owned()),
            net_provider: Some(net as _),
            viewport: Some(Viewport::new(WIDTH, 800, 1.0, ColorScheme::Light)),
            font_ctx: Some(fonts.clone()),
            style_threading: threading,
            ..Default::default()
        },
    );
    let parse_ms = start.elapsed().as_secs_f64() * 1000.0;

    let start = Instant::now();
    document.resolve(0.0);
    let resolve_ms = start.elapsed().as_secs_f64() * 1000.0;

    let start = Instant::now();
    let computed = document.root_element().final_layout().size.height;
    let height = (computed.ceil() as u32).clamp(1, MAX_HEIGHT);
    let pixels = render_to_buffer::<VelloCpuImageRenderer, _>(
        |scene| {
            scene.fill(
                Fill::NonZero,
                Default::default(),
                Color::WHITE,
                Default::default(),
                &Rect::new(0.0, 0.0, f64::from(WIDTH), f64::from(height)),
            );
            paint_scene(scene, &mut document, 1.0, WIDTH, height, 0, 0);
        },
        WIDTH,
        height,
    );
    let paint_ms = start.elapsed().as_secs_f64() * 1000.0;
    Rendered { parse_ms, resolve_ms, paint_ms, height, pixels }
}

fn write_png(path: &Path, pixels: &[u8], width: u32, height: u32) {
    let file = std::fs::File::create(path).expect("creating a screenshot");
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("png header");
    writer.write_image_data(pixels).expect("png data");
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().expect("usage: blitz_render CORPUS_DIR [--only NNN,...] [--shots DIR] [--parallel-style]");
    let (mut only, mut shots, mut threading) = (None, None, StyleThreading::Sequential);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--only" => only = args.next(),
            "--shots" => shots = args.next(),
            "--parallel-style" => threading = StyleThreading::Parallel,
            other => panic!("unknown argument {other}"),
        }
    }
    if let Some(shots) = &shots {
        std::fs::create_dir_all(shots).expect("creating the screenshot directory");
    }

    // One font collection for the process, as an app would keep it (system fonts via fontconfig).
    let start = Instant::now();
    let fonts = FontContext {
        collection: Collection::new(CollectionOptions { shared: true, system_fonts: true }),
        ..FontContext::default()
    };
    eprintln!("font collection: {:.1} ms", start.elapsed().as_secs_f64() * 1000.0);

    let (mut parse, mut resolve, mut paint, mut total) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut failed = Vec::new();
    println!("number\thtml_bytes\tparse_ms\tstyle_layout_ms\tpaint_ms\ttotal_ms\theight\tserved\tmissing_cid\tblocked\tstatus");
    for (number, path) in corpus(dir.as_ref(), only.as_deref()) {
        let html = String::from_utf8_lossy(&std::fs::read(&path).expect("reading a corpus file")).into_owned();
        let eml = std::fs::read(path.with_extension("eml")).unwrap_or_default();
        let net = Arc::new(MailNet::from_eml(&eml));
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            render(&html, Arc::clone(&net), &fonts, threading)
        }));
        let counts = format!(
            "{}\t{}\t{}",
            net.served.load(Ordering::Relaxed),
            net.missing.load(Ordering::Relaxed),
            net.blocked.load(Ordering::Relaxed)
        );
        match result {
            Ok(r) => {
                let sum = r.parse_ms + r.resolve_ms + r.paint_ms;
                println!(
                    "{number}\t{}\t{:.2}\t{:.2}\t{:.2}\t{sum:.2}\t{}\t{counts}\tok",
                    html.len(),
                    r.parse_ms,
                    r.resolve_ms,
                    r.paint_ms,
                    r.height
                );
                parse.push(r.parse_ms);
                resolve.push(r.resolve_ms);
                paint.push(r.paint_ms);
                total.push(sum);
                if let Some(shots) = &shots {
                    write_png(&Path::new(shots).join(format!("{number}.png")), &r.pixels, WIDTH, r.height);
                }
            }
            Err(_) => {
                println!("{number}\t{}\t\t\t\t\t\t{counts}\tpanic", html.len());
                failed.push(number);
            }
        }
    }
    eprintln!("{}", summary("parse", &mut parse));
    eprintln!("{}", summary("style+layout", &mut resolve));
    eprintln!("{}", summary("paint (vello_cpu)", &mut paint));
    eprintln!("{}", summary("parse+style+layout+paint", &mut total));
    eprintln!("panicked: {} {:?}", failed.len(), failed);
}
