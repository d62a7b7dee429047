//! HTML mail as a laid-out document: headings, paragraphs of styled text and links, lists,
//! quotes, tables and images, for the reader to draw with its own widgets.
//!
//! Nothing here loads anything: `cid:` and `data:` images come from the message itself, a
//! remote image is only named. Scripts, styles, forms and hidden elements are left out. The
//! markup passes the same linear guard as HTML→text first (`message::html`), and the walk is
//! bounded in depth, elements and text, so hostile markup costs bounded time and memory.

mod build;
mod css;
mod dom;
mod images;

use mail_parser::{MimeHeaders, PartType};

use super::flat::FlatMessage;
use super::{body, html};

pub use images::{ImageSource, InlinePart, content_id_of};

/// A document: its blocks in reading order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// Top-level blocks.
    pub blocks: Vec<Block>,
    /// True when the walk stopped at a bound and the end of the message is not shown.
    pub truncated: bool,
    /// Remote images named but not loaded (tracking pixels not counted).
    pub remote_images: usize,
}

impl Document {
    /// The Content-IDs of the images it shows (`cid:`): those parts are drawn in place, not
    /// listed as attachments.
    #[must_use]
    pub fn content_ids(&self) -> std::collections::HashSet<String> {
        let mut found = std::collections::HashSet::new();
        let mut stack: Vec<&Block> = self.blocks.iter().collect();
        while let Some(block) = stack.pop() {
            match block {
                Block::Paragraph(inlines) | Block::Heading { inlines, .. } => {
                    found.extend(inlines.iter().filter_map(|inline| match inline {
                        Inline::Image(ImageRef {
                            source: ImageSource::ContentId(id),
                            ..
                        }) => Some(content_id_of(id)),
                        _ => None,
                    }));
                }
                Block::List { items, .. } => stack.extend(items.iter().flatten()),
                Block::Quote(blocks) => stack.extend(blocks),
                Block::Table(table) => stack.extend(
                    table
                        .rows
                        .iter()
                        .flatten()
                        .flat_map(|cell| cell.blocks.iter()),
                ),
                Block::Preformatted(_) | Block::PlainText(_) | Block::Rule => {}
            }
        }
        found
    }
}

/// One block of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A run of inline content that wraps.
    Paragraph(Vec<Inline>),
    /// A heading, level 1 (largest) to 6.
    Heading {
        /// 1–6.
        level: u8,
        /// Its text.
        inlines: Vec<Inline>,
    },
    /// A list; each item is a list of blocks.
    List {
        /// Numbered rather than bulleted.
        ordered: bool,
        /// The first number of a numbered list.
        start: u64,
        /// The items.
        items: Vec<Vec<Block>>,
    },
    /// A block quote (a quoted earlier message, usually).
    Quote(Vec<Block>),
    /// Preformatted text, shown in a fixed-width font with its line breaks.
    Preformatted(String),
    /// A plain-text part between HTML parts, shown as the plain view shows text.
    PlainText(String),
    /// A horizontal rule.
    Rule,
    /// A table with at least two columns (one-column layout tables become their content).
    Table(Table),
}

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Styled text, perhaps a link.
    Text {
        /// The text, with white space collapsed.
        text: String,
        /// How it looks.
        style: TextStyle,
        /// Where a click goes (`http`, `https` or `mailto` only).
        link: Option<String>,
    },
    /// An image in the flow of text.
    Image(ImageRef),
    /// A line break (`<br>`).
    LineBreak,
}

/// Emphasis of a run of text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent kinds of emphasis, combinable"
)]
pub struct TextStyle {
    /// Bold.
    pub strong: bool,
    /// Italic.
    pub emphasis: bool,
    /// Underlined.
    pub underline: bool,
    /// Struck through.
    pub strike: bool,
    /// Fixed-width (code, keyboard input).
    pub code: bool,
    /// Smaller than the text around it.
    pub small: bool,
}

/// An image the document shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Where its bytes are.
    pub source: ImageSource,
    /// Its alternative text.
    pub alt: String,
    /// Width in CSS pixels, when the markup says.
    pub width: Option<u32>,
    /// Height in CSS pixels, when the markup says.
    pub height: Option<u32>,
    /// Where a click goes, when the image is a link.
    pub link: Option<String>,
}

/// A table's rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    /// Rows in order (header rows first, as written).
    pub rows: Vec<Vec<Cell>>,
    /// The widest row's column count (colspans counted).
    pub columns: usize,
    /// Drawn with borders: the markup has a `border` or header cells (a data table).
    pub bordered: bool,
}

/// One table cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cell {
    /// Its content.
    pub blocks: Vec<Block>,
    /// A header cell (`<th>`).
    pub header: bool,
    /// Columns it spans, at least 1.
    pub colspan: usize,
    /// The share of the table's width the markup asks for, in per cent, when it says.
    pub width_percent: Option<u8>,
}

/// The HTML body of a message, laid out, with the images the message carries for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RichBody {
    /// The document.
    pub document: Document,
    /// Parts an image may name by `cid:` (and attached images), with their bytes.
    pub parts: Vec<InlinePart>,
}

/// Most bytes of images kept for one message's document.
const MAX_IMAGE_BYTES: usize = 32 * 1024 * 1024;

/// The laid-out HTML body of `raw`, or `None` when the message has no HTML part or its markup
/// is too deep or too large to lay out in bounded time (then the plain view is shown).
#[must_use]
pub fn rich_body(raw: &[u8]) -> Option<RichBody> {
    std::panic::catch_unwind(|| rich_body_unguarded(raw))
        .ok()
        .flatten()
}

fn rich_body_unguarded(raw: &[u8]) -> Option<RichBody> {
    let message = FlatMessage::parse(raw)?;
    let mut document = Document::default();
    let mut render_budget = html::MAX_RENDER_COST;
    let mut any_html = false;
    for part_id in &message.html_body {
        let part = message.parts.get(*part_id as usize)?;
        let blocks = match &part.body {
            PartType::Html(markup) => {
                let part_document = guarded_document(markup, &mut render_budget)?;
                any_html = true;
                document.truncated |= part_document.truncated;
                document.remote_images += part_document.remote_images;
                part_document.blocks
            }
            PartType::Text(text) if !text.trim().is_empty() => {
                vec![Block::PlainText(text.to_string())]
            }
            _ => continue,
        };
        if !document.blocks.is_empty() && !blocks.is_empty() {
            document.blocks.push(Block::Rule);
        }
        document.blocks.extend(blocks);
    }
    if !any_html {
        return None;
    }
    let mut parts = Vec::new();
    let mut kept_bytes = 0;
    for part in &message.parts {
        let is_image = part
            .content_type()
            .is_some_and(|content_type| content_type.ctype().eq_ignore_ascii_case("image"));
        if !is_image || kept_bytes + part.contents().len() > MAX_IMAGE_BYTES {
            continue;
        }
        kept_bytes += part.contents().len();
        parts.push(InlinePart::new(part));
    }
    Some(RichBody { document, parts })
}

/// Lays out one HTML document, or `None` when it is too deep or too large to lay out in
/// bounded time.
#[must_use]
pub fn html_document(markup: &str) -> Option<Document> {
    guarded_document(markup, &mut html::MAX_RENDER_COST.clone())
}

/// [`html_document`], taking its cost from `render_budget` (one budget per message).
fn guarded_document(markup: &str, render_budget: &mut u64) -> Option<Document> {
    let markup = body::cut_html(markup);
    let cost = html::render_cost(markup, *render_budget)?;
    *render_budget -= cost;
    Some(build::Builder::document(markup))
}

#[cfg(test)]
mod tests;
