//! The walk from html5ever's tree to a [`Document`]: block elements become blocks, inline
//! ones styled runs, with white space collapsed as browsers do. Bounded in depth (deeper
//! content becomes plain text), in elements and in text.

use super::css::{self, Declared};
use super::dom::{DOCUMENT, Dom, Kind, Node, NodeId};
use super::{Block, Cell, Document, ImageRef, ImageSource, Inline, Table, TextStyle};
use crate::message::MAX_BODY_TEXT;

/// Deepest element nesting walked as structure; deeper content is read as plain text.
const MAX_DEPTH: usize = 100;
/// Most elements walked in one document.
const MAX_ELEMENTS: usize = 50_000;
/// Widest colspan honoured.
const MAX_COLSPAN: usize = 32;
/// An image this small (in both directions) is a tracking pixel: never shown or counted.
const PIXEL: u32 = 3;

/// Elements that hold nothing a reader shows.
const SKIPPED: [&str; 22] = [
    "head", "script", "style", "title", "template", "iframe", "object", "embed", "input", "select",
    "textarea", "meta", "link", "base", "svg", "math", "canvas", "audio", "video", "map",
    "frameset", "option",
];
/// Elements that start and end a block of their own.
const CONTAINERS: [&str; 30] = [
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "center",
    "address",
    "figure",
    "figcaption",
    "form",
    "fieldset",
    "details",
    "summary",
    "dl",
    "dt",
    "dd",
    "body",
    "html",
    "legend",
    "hgroup",
    "tr",
    "td",
    "th",
    "tbody",
    "li",
    "noscript",
];

/// The state of one walk.
pub(super) struct Builder {
    nodes: Vec<Node>,
    /// Blocks of the container being filled.
    blocks: Vec<Block>,
    /// The paragraph being filled.
    paragraph: Vec<Inline>,
    /// White space seen since the last text: one space goes before the next word.
    space_pending: bool,
    style: TextStyle,
    link: Option<String>,
    elements_left: usize,
    text_left: usize,
    truncated: bool,
    remote_images: usize,
}

impl Builder {
    /// Parses and walks `markup`.
    pub(super) fn document(markup: &str) -> Document {
        let mut builder = Self {
            nodes: Dom::parse(markup),
            blocks: Vec::new(),
            paragraph: Vec::new(),
            space_pending: false,
            style: TextStyle::default(),
            link: None,
            elements_left: MAX_ELEMENTS,
            text_left: MAX_BODY_TEXT,
            truncated: false,
            remote_images: 0,
        };
        builder.children(DOCUMENT, 0);
        builder.flush();
        Document {
            blocks: builder.blocks,
            truncated: builder.truncated,
            remote_images: builder.remote_images,
        }
    }

    fn children(&mut self, node: NodeId, depth: usize) {
        let children = self.nodes[node].children.clone();
        for child in children {
            self.walk(child, depth + 1);
        }
    }

    fn walk(&mut self, node: NodeId, depth: usize) {
        if self.truncated {
            return;
        }
        if self.elements_left == 0 || self.text_left == 0 {
            self.truncated = true;
            return;
        }
        if depth > MAX_DEPTH {
            let text = self.text_content(node);
            self.text(&text);
            return;
        }
        match &self.nodes[node].kind {
            Kind::Text(text) => {
                let text = text.clone();
                self.text(&text);
            }
            Kind::Element { name, attrs, .. } => {
                self.elements_left -= 1;
                if name.ns != html5ever::ns!(html) {
                    return;
                }
                let tag = name.local.to_string();
                let attributes: Vec<(String, String)> = attrs
                    .iter()
                    .map(|attr| (attr.name.local.to_string(), attr.value.to_string()))
                    .collect();
                self.element(node, &tag, &Attributes(attributes), depth);
            }
            Kind::Document | Kind::Other => {}
        }
    }

    fn element(&mut self, node: NodeId, tag: &str, attrs: &Attributes, depth: usize) {
        let declared = Declared::parse(attrs.get("style").unwrap_or_default());
        if SKIPPED.contains(&tag) || declared.hidden || attrs.get("hidden").is_some() {
            return;
        }
        let saved_style = self.style;
        let saved_link = self.link.clone();
        self.style = declared.apply(tag_style(tag, self.style));
        match tag {
            "br" => self.paragraph.push(Inline::LineBreak),
            "img" => self.image(attrs),
            "hr" => {
                self.flush();
                self.blocks.push(Block::Rule);
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.heading(node, tag, depth),
            "ul" | "ol" | "menu" => self.list(node, tag == "ol", attrs, depth),
            "blockquote" => {
                self.flush();
                let quoted = self.blocks_of(node, depth);
                if !quoted.is_empty() {
                    self.blocks.push(Block::Quote(quoted));
                }
            }
            "pre" | "listing" | "xmp" | "plaintext" => {
                self.flush();
                let text = self.text_content(node);
                if !text.trim().is_empty() {
                    self.blocks
                        .push(Block::Preformatted(text.trim_end().to_owned()));
                }
            }
            "table" => self.table(node, attrs, depth),
            "a" => {
                self.link = attrs
                    .get("href")
                    .and_then(link_target)
                    .or(saved_link.clone());
                self.children(node, depth);
            }
            _ if CONTAINERS.contains(&tag) => {
                self.flush();
                self.children(node, depth);
                self.flush();
            }
            _ => self.children(node, depth),
        }
        self.style = saved_style;
        self.link = saved_link;
    }

    fn heading(&mut self, node: NodeId, tag: &str, depth: usize) {
        self.flush();
        self.children(node, depth);
        trim_end(&mut self.paragraph);
        let inlines = std::mem::take(&mut self.paragraph);
        self.space_pending = false;
        if has_content(&inlines) {
            let level = tag[1..].parse().unwrap_or(6);
            self.blocks.push(Block::Heading { level, inlines });
        }
    }

    fn list(&mut self, node: NodeId, ordered: bool, attrs: &Attributes, depth: usize) {
        self.flush();
        let mut items = Vec::new();
        for child in self.nodes[node].children.clone() {
            let item = match &self.nodes[child].kind {
                Kind::Text(text) if text.trim().is_empty() => continue,
                _ => self.blocks_of_node(child, depth + 1),
            };
            if !item.is_empty() {
                items.push(item);
            }
        }
        if !items.is_empty() {
            let start = attrs
                .get("start")
                .and_then(|start| start.trim().parse().ok());
            self.blocks.push(Block::List {
                ordered,
                start: start.unwrap_or(1),
                items,
            });
        }
    }

    fn table(&mut self, node: NodeId, attrs: &Attributes, depth: usize) {
        self.flush();
        let bordered_markup = attrs
            .get("border")
            .is_some_and(|border| border.trim().parse::<u32>().is_ok_and(|width| width > 0));
        let mut rows = Vec::new();
        for row in self.rows_of(node) {
            let mut cells = Vec::new();
            for cell in self.nodes[row].children.clone() {
                let Some((tag, cell_attrs)) = self.element_of(cell) else {
                    continue;
                };
                if tag != "td" && tag != "th" {
                    continue;
                }
                let colspan = cell_attrs
                    .get("colspan")
                    .and_then(|span| span.trim().parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, MAX_COLSPAN);
                let width_percent = cell_attrs.get("width").and_then(css::percent);
                let header = tag == "th";
                let saved = self.style;
                self.style.strong |= header;
                let blocks = self.blocks_of(cell, depth + 2);
                self.style = saved;
                cells.push(Cell {
                    blocks,
                    header,
                    colspan,
                    width_percent,
                });
            }
            rows.push(cells);
        }
        let bordered = bordered_markup || rows.iter().flatten().any(|cell| cell.header);
        if !bordered {
            // Layout tables: spacer cells carry nothing; a table left with one column is its content.
            for cells in &mut rows {
                cells.retain(|cell| !cell.blocks.is_empty());
            }
        }
        rows.retain(|cells| !cells.is_empty());
        let columns = rows
            .iter()
            .map(|cells| cells.iter().map(|cell| cell.colspan).sum::<usize>())
            .max()
            .unwrap_or(0);
        if rows.iter().all(|cells| cells.len() <= 1) {
            for cell in rows.into_iter().flatten() {
                self.blocks.extend(cell.blocks);
            }
        } else {
            self.blocks.push(Block::Table(Table {
                rows,
                columns,
                bordered,
            }));
        }
    }

    /// The `<tr>` rows of a table, through `thead`, `tbody` and `tfoot`.
    fn rows_of(&self, table: NodeId) -> Vec<NodeId> {
        let mut rows = Vec::new();
        for child in &self.nodes[table].children {
            match self.element_of(*child) {
                Some((tag, _)) if tag == "tr" => rows.push(*child),
                Some((tag, _)) if matches!(tag.as_str(), "thead" | "tbody" | "tfoot") => {
                    rows.extend(
                        self.nodes[*child].children.iter().copied().filter(|row| {
                            self.element_of(*row).is_some_and(|(tag, _)| tag == "tr")
                        }),
                    );
                }
                _ => {}
            }
        }
        rows
    }

    fn element_of(&self, node: NodeId) -> Option<(String, Attributes)> {
        match &self.nodes[node].kind {
            Kind::Element { name, attrs, .. } => Some((
                name.local.to_string(),
                Attributes(
                    attrs
                        .iter()
                        .map(|attr| (attr.name.local.to_string(), attr.value.to_string()))
                        .collect(),
                ),
            )),
            _ => None,
        }
    }

    fn image(&mut self, attrs: &Attributes) {
        let dimension = |name: &str| -> Option<u32> {
            attrs.get(name)?.trim().trim_end_matches("px").parse().ok()
        };
        let (width, height) = (dimension("width"), dimension("height"));
        if width.is_some_and(|width| width <= PIXEL) && height.is_some_and(|height| height <= PIXEL)
        {
            return;
        }
        let Some(source) = attrs.get("src").and_then(ImageSource::from_src) else {
            return;
        };
        let alt = attrs.get("alt").unwrap_or_default().trim();
        if matches!(source, ImageSource::Remote(_)) {
            self.remote_images += 1;
            if alt.is_empty() {
                // Never loaded and nothing to say in its place: it shows nothing, so a layout
                // table's cell that held only such images is a spacer and takes no width.
                return;
            }
        }
        self.space_pending = false;
        self.paragraph.push(Inline::Image(ImageRef {
            source,
            alt: alt.to_owned(),
            width,
            height,
            link: self.link.clone(),
        }));
    }

    /// The blocks `node`'s children make, walked into a container of their own.
    fn blocks_of(&mut self, node: NodeId, depth: usize) -> Vec<Block> {
        let saved_blocks = std::mem::take(&mut self.blocks);
        let saved_paragraph = std::mem::take(&mut self.paragraph);
        self.space_pending = false;
        self.children(node, depth);
        self.flush();
        let blocks = std::mem::replace(&mut self.blocks, saved_blocks);
        self.paragraph = saved_paragraph;
        blocks
    }

    /// The blocks `node` itself makes (a list item, or stray content in a list).
    fn blocks_of_node(&mut self, node: NodeId, depth: usize) -> Vec<Block> {
        let saved_blocks = std::mem::take(&mut self.blocks);
        let saved_paragraph = std::mem::take(&mut self.paragraph);
        self.space_pending = false;
        match &self.nodes[node].kind {
            Kind::Element { name, .. } if &*name.local == "li" => self.children(node, depth),
            _ => self.walk(node, depth),
        }
        self.flush();
        let blocks = std::mem::replace(&mut self.blocks, saved_blocks);
        self.paragraph = saved_paragraph;
        blocks
    }

    /// Ends the paragraph being filled, keeping it when it shows anything.
    fn flush(&mut self) {
        trim_end(&mut self.paragraph);
        let paragraph = std::mem::take(&mut self.paragraph);
        if has_content(&paragraph) {
            self.blocks.push(Block::Paragraph(paragraph));
        }
        self.space_pending = false;
    }

    /// Adds text to the paragraph, collapsing white space; characters fonts lack and nothing
    /// needs (zero-width joiners, soft hyphens) are dropped.
    fn text(&mut self, text: &str) {
        for ch in text.chars() {
            if self.text_left == 0 {
                self.truncated = true;
                return;
            }
            if matches!(ch, ' ' | '\t' | '\n' | '\r' | '\u{c}') {
                self.space_pending = true;
                continue;
            }
            if is_invisible(ch) {
                continue;
            }
            let ch = if ch == '\u{a0}' { ' ' } else { ch };
            if std::mem::take(&mut self.space_pending) && self.wants_space() {
                self.push_space();
            }
            self.push_char(ch);
        }
    }

    /// Whether a collapsed space belongs before the next text: not at a paragraph's start,
    /// after a line break or after another space.
    fn wants_space(&self) -> bool {
        match self.paragraph.last() {
            Some(Inline::Text { text, .. }) => !text.ends_with(' '),
            Some(Inline::Image(_)) => true,
            Some(Inline::LineBreak) | None => false,
        }
    }

    /// A collapsed space ends the run before it (so it is not underlined or bold with the next).
    fn push_space(&mut self) {
        self.text_left = self.text_left.saturating_sub(1);
        match self.paragraph.last_mut() {
            Some(Inline::Text { text, .. }) => text.push(' '),
            _ => self.push_char(' '),
        }
    }

    fn push_char(&mut self, ch: char) {
        self.text_left = self.text_left.saturating_sub(ch.len_utf8());
        if let Some(Inline::Text { text, style, link }) = self.paragraph.last_mut()
            && *style == self.style
            && *link == self.link
        {
            text.push(ch);
            return;
        }
        self.paragraph.push(Inline::Text {
            text: ch.to_string(),
            style: self.style,
            link: self.link.clone(),
        });
    }

    /// All text under `node`, as written (for `<pre>` and for content nested too deep).
    fn text_content(&mut self, node: NodeId) -> String {
        let mut text = String::new();
        let mut pending = vec![node];
        while let Some(next) = pending.pop() {
            match &self.nodes[next].kind {
                Kind::Text(chunk) => {
                    let room = self.text_left.min(chunk.len());
                    let mut cut = room;
                    while !chunk.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    text.push_str(&chunk[..cut]);
                    self.text_left -= cut;
                    if cut < chunk.len() {
                        self.truncated = true;
                        break;
                    }
                }
                Kind::Element { name, .. } if SKIPPED.contains(&&*name.local) => {}
                Kind::Element { name, .. } if &*name.local == "br" => text.push('\n'),
                _ => pending.extend(self.nodes[next].children.iter().rev()),
            }
        }
        text.chars().filter(|ch| !is_invisible(*ch)).collect()
    }
}

/// An element's attributes by local name.
struct Attributes(Vec<(String, String)>);

impl Attributes {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(attribute, _)| attribute.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// The emphasis an element's name gives its text.
fn tag_style(tag: &str, mut style: TextStyle) -> TextStyle {
    match tag {
        "b" | "strong" | "dt" => style.strong = true,
        "i" | "em" | "cite" | "dfn" | "var" => style.emphasis = true,
        "u" | "ins" => style.underline = true,
        "s" | "strike" | "del" => style.strike = true,
        "code" | "tt" | "kbd" | "samp" => style.code = true,
        "small" | "sub" | "sup" => style.small = true,
        _ => {}
    }
    style
}

/// A link a click may open: `http`, `https` or `mailto` only.
fn link_target(href: &str) -> Option<String> {
    let href = href.trim();
    let lower = href.get(..8).unwrap_or(href).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:"))
        .then(|| href.to_owned())
}

/// Zero-width and formatting characters that fonts draw as boxes and text does not need.
fn is_invisible(ch: char) -> bool {
    matches!(ch, '\u{ad}' | '\u{34f}' | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2064}' | '\u{feff}')
        || (ch.is_control() && ch != '\n' && ch != '\t')
}

/// Drops the trailing space of a paragraph.
fn trim_end(paragraph: &mut Vec<Inline>) {
    while let Some(last) = paragraph.last_mut() {
        match last {
            Inline::Text { text, .. } => {
                let trimmed = text.trim_end_matches(' ').len();
                text.truncate(trimmed);
                if !text.is_empty() {
                    return;
                }
                paragraph.pop();
            }
            Inline::LineBreak => {
                paragraph.pop();
            }
            Inline::Image(_) => return,
        }
    }
}

/// True when a paragraph shows something.
fn has_content(paragraph: &[Inline]) -> bool {
    paragraph.iter().any(|inline| match inline {
        Inline::Text { text, .. } => !text.trim().is_empty(),
        Inline::Image(_) => true,
        Inline::LineBreak => false,
    })
}
