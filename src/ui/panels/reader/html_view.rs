//! HTML mail drawn as a laid-out document with egui's own widgets: headings, styled text,
//! links (opened only on click, target on hover), lists, quotes, tables as grids, and the
//! message's own images. Remote images are named, never loaded.

use std::sync::Arc;

use egui::{RichText, Stroke};

use crate::message::document::{
    Block, Cell, Document, ImageRef, ImageSource, Inline, RichBody, Table,
};
use crate::model::MessageId;
use crate::ui::command::UiCommand;
use crate::ui::helpers::images;

/// Attachment-index offset of a document's own image parts in their image uris (so they never
/// share a uri with an attachment thumbnail).
const PART_URI_OFFSET: usize = 1_000_000;
/// Widest an image is drawn when the markup gives no width.
const DEFAULT_IMAGE_WIDTH: f32 = 320.0;

/// A laid-out HTML body ready to draw: the document and its image parts' bytes.
#[derive(Debug, Clone)]
pub struct HtmlView {
    document: Document,
    /// Image parts: Content-ID and encoded bytes.
    parts: Vec<(Option<String>, Arc<[u8]>)>,
    /// Content-IDs of the parts the document draws in place.
    drawn_parts: std::collections::HashSet<String>,
}

impl HtmlView {
    /// The view of a message's rich body.
    #[must_use]
    pub fn new(rich: RichBody) -> Self {
        let parts = rich
            .parts
            .into_iter()
            .map(|part| (part.content_id, Arc::from(part.bytes)))
            .collect();
        Self {
            drawn_parts: rich.document.content_ids(),
            document: rich.document,
            parts,
        }
    }

    /// Whether the part with this Content-ID is drawn inside the formatted message.
    #[must_use]
    pub fn draws_part(&self, content_id: &str) -> bool {
        self.drawn_parts.contains(content_id)
    }

    /// Remote images the message names (never loaded).
    #[must_use]
    pub fn remote_images(&self) -> usize {
        self.document.remote_images
    }

    /// Draws the document for message `id`.
    pub fn show(&self, ui: &mut egui::Ui, id: MessageId, commands: &mut Vec<UiCommand>) {
        let drawer = Drawer { view: self, id };
        drawer.blocks(ui, &self.document.blocks, 0, commands);
        if self.document.truncated {
            ui.label(
                RichText::new("(The rest of this message is too long to lay out: see Plain text.)")
                    .weak(),
            );
        }
    }
}

struct Drawer<'a> {
    view: &'a HtmlView,
    id: MessageId,
}

impl Drawer<'_> {
    fn blocks(
        &self,
        ui: &mut egui::Ui,
        blocks: &[Block],
        quote: usize,
        commands: &mut Vec<UiCommand>,
    ) {
        for block in blocks {
            self.block(ui, block, quote, commands);
        }
    }

    fn block(&self, ui: &mut egui::Ui, block: &Block, quote: usize, commands: &mut Vec<UiCommand>) {
        match block {
            Block::Paragraph(inlines) => {
                self.inlines(ui, inlines, 1.0, commands);
                ui.add_space(6.0);
            }
            Block::Heading { level, inlines } => {
                let scale = match level {
                    1 => 1.6,
                    2 => 1.4,
                    3 => 1.2,
                    _ => 1.05,
                };
                ui.add_space(4.0);
                self.inlines(ui, inlines, scale, commands);
                ui.add_space(6.0);
            }
            Block::List {
                ordered,
                start,
                items,
            } => {
                for (number, item) in (*start..).zip(items) {
                    ui.horizontal_top(|ui| {
                        let marker = if *ordered {
                            format!("{number}.")
                        } else {
                            "•".to_owned()
                        };
                        ui.add_sized([18.0, 14.0], egui::Label::new(marker));
                        ui.vertical(|ui| self.blocks(ui, item, quote, commands));
                    });
                }
                ui.add_space(4.0);
            }
            Block::Quote(inner) => self.quote(ui, inner, quote + 1, commands),
            Block::Preformatted(text) => {
                egui::ScrollArea::horizontal()
                    .id_salt(ui.next_auto_id())
                    .show(ui, |ui| {
                        ui.add(egui::Label::new(RichText::new(text).monospace()).extend());
                    });
                ui.add_space(6.0);
            }
            Block::PlainText(text) => super::plain::show(ui, text, commands),
            Block::Rule => {
                ui.separator();
            }
            Block::Table(table) => self.table(ui, table, quote, commands),
        }
    }

    fn quote(
        &self,
        ui: &mut egui::Ui,
        inner: &[Block],
        depth: usize,
        commands: &mut Vec<UiCommand>,
    ) {
        let colour = super::plain::quote_color(depth, ui.visuals().dark_mode);
        let response = egui::Frame::new()
            .inner_margin(egui::Margin {
                left: 10,
                ..egui::Margin::ZERO
            })
            .show(ui, |ui| self.blocks(ui, inner, depth, commands));
        let rect = response.response.rect;
        ui.painter()
            .vline(rect.left() + 2.0, rect.y_range(), Stroke::new(2.0, colour));
    }

    fn table(&self, ui: &mut egui::Ui, table: &Table, quote: usize, commands: &mut Vec<UiCommand>) {
        let total = ui.available_width();
        let stroke = if table.bordered {
            ui.visuals().widgets.noninteractive.bg_stroke
        } else {
            Stroke::NONE
        };
        for row in &table.rows {
            let shares = row_shares(row, table.columns);
            ui.horizontal_top(|ui| {
                ui.spacing_mut().item_spacing.x = 0.0;
                for (cell, share) in row.iter().zip(shares) {
                    // The frame adds 4 points of margin on each side and its stroke.
                    let width = (total * share - CELL_CHROME).max(MIN_CELL_WIDTH);
                    egui::Frame::new()
                        .stroke(stroke)
                        .inner_margin(4)
                        .show(ui, |ui| {
                            ui.set_width(width);
                            ui.set_max_width(width);
                            ui.vertical(|ui| self.blocks(ui, &cell.blocks, quote, commands));
                        });
                }
            });
        }
        ui.add_space(6.0);
    }

    fn inlines(
        &self,
        ui: &mut egui::Ui,
        inlines: &[Inline],
        scale: f32,
        commands: &mut Vec<UiCommand>,
    ) {
        let needles = super::highlight::current(ui.ctx());
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            let size = egui::TextStyle::Body.resolve(ui.style()).size * scale;
            for inline in inlines {
                match inline {
                    Inline::Text { text, style, link } => {
                        let runs = if link.is_some() {
                            vec![(text.as_str(), false)]
                        } else {
                            super::highlight::runs(text, &needles)
                        };
                        for (run, matched) in runs {
                            let mut rich = RichText::new(run).size(if style.small {
                                size * 0.85
                            } else {
                                size
                            });
                            if style.strong || scale > 1.0 {
                                rich = crate::ui::fonts::bold(ui, rich);
                            }
                            if style.emphasis {
                                rich = rich.italics();
                            }
                            if style.underline {
                                rich = rich.underline();
                            }
                            if style.strike {
                                rich = rich.strikethrough();
                            }
                            if style.code {
                                rich = rich.code();
                            }
                            if matched {
                                rich = super::highlight::mark(ui, rich);
                            }
                            match link {
                                Some(target) => link_widget(ui, rich, target, commands),
                                None => {
                                    ui.label(rich);
                                }
                            }
                        }
                    }
                    Inline::Image(image) => self.image(ui, image, commands),
                    Inline::LineBreak => ui.end_row(),
                }
            }
        });
    }

    fn image(&self, ui: &mut egui::Ui, image: &ImageRef, commands: &mut Vec<UiCommand>) {
        let part = match &image.source {
            ImageSource::ContentId(content_id) => self.view.parts.iter().position(|(id, _)| {
                id.as_deref()
                    .is_some_and(|id| id == content_id.trim_matches(['<', '>']))
            }),
            _ => None,
        };
        let response = if let Some(index) = part {
            let uri = images::part_uri(self.id, PART_URI_OFFSET + index);
            #[expect(clippy::cast_precision_loss, reason = "pixel sizes")]
            let width = image
                .width
                .map_or(DEFAULT_IMAGE_WIDTH, |width| width as f32)
                .min(ui.available_width().max(20.0));
            ui.add(
                images::part_image(ui, uri, Arc::clone(&self.view.parts[index].1))
                    .fit_to_original_size(1.0)
                    .max_width(width)
                    .sense(egui::Sense::click()),
            )
        } else if image.alt.is_empty() {
            return;
        } else {
            let alt = &image.alt;
            let why = if matches!(image.source, ImageSource::Remote(_)) {
                "remote image, not loaded"
            } else {
                "image"
            };
            ui.label(RichText::new(format!("[{alt}]")).weak())
                .on_hover_text(why)
        };
        if let Some(target) = &image.link {
            let response = response.on_hover_text(target);
            if response.clicked() {
                commands.push(UiCommand::OpenLink(target.clone()));
            }
        }
    }
}

/// Points a table cell's frame takes beyond its content (margins and stroke).
const CELL_CHROME: f32 = 10.0;
/// Narrowest a cell's content is drawn.
const MIN_CELL_WIDTH: f32 = 80.0;

/// Each cell's share of the table's width: what the markup asks in per cent, else an equal
/// share per spanned column; scaled down when a row asks for more than the whole.
fn row_shares(row: &[Cell], columns: usize) -> Vec<f32> {
    #[expect(
        clippy::cast_precision_loss,
        reason = "column counts are ≤ 32 per cell"
    )]
    let shares: Vec<f32> = row
        .iter()
        .map(|cell| {
            cell.width_percent.map_or_else(
                || cell.colspan as f32 / columns.max(1) as f32,
                |percent| f32::from(percent) / 100.0,
            )
        })
        .collect();
    let sum: f32 = shares.iter().sum();
    if sum > 1.0 {
        shares.iter().map(|share| share / sum).collect()
    } else {
        shares
    }
}

/// A link: opens the browser only on click, shows its target on hover, offers Copy link.
fn link_widget(ui: &mut egui::Ui, text: RichText, target: &str, commands: &mut Vec<UiCommand>) {
    let response = ui.link(text).on_hover_text(target);
    if response.clicked() {
        commands.push(UiCommand::OpenLink(target.to_owned()));
    }
    response.context_menu(|ui| {
        if ui.button("Copy link").clicked() {
            ui.ctx().copy_text(target.to_owned());
            ui.close();
        }
        if ui.button("Open link").clicked() {
            commands.push(UiCommand::OpenLink(target.to_owned()));
            ui.close();
        }
    });
}
