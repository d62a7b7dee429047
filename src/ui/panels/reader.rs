//! The reader: headers, the readable body with clickable links, attachments, and the
//! "Download full message" bar for headers-only mail. Nothing remote is ever loaded.

use egui::{RichText, ScrollArea};

use crate::dates;
use crate::message::{self, ParsedMessage};
use crate::model::{MessageId, PopState};
use crate::store::{MessageSummary, Store, StoreError};
use crate::ui::command::UiCommand;
use crate::ui::helpers::format;
use crate::ui::helpers::links::{Segment, segments};

/// A message opened for reading: its summary and what the parser made of its bytes.
#[derive(Debug, Clone)]
pub struct OpenMessage {
    /// Summary columns (flags, folder, headers-only).
    pub summary: MessageSummary,
    /// Headers, body text and attachments.
    pub parsed: ParsedMessage,
    /// It arrived shorter than the server announced (the server keeps its copy).
    pub incomplete: bool,
}

impl OpenMessage {
    /// Reads and parses a stored message.
    ///
    /// # Errors
    /// When the store cannot read it.
    pub fn load(store: &Store, id: MessageId) -> Result<Self, StoreError> {
        let summary = store.message(id)?;
        let raw = store.raw_message(id)?;
        let parsed = message::parse(&raw, None);
        let incomplete = store.pop_state_of_message(id)? == Some(PopState::Incomplete);
        Ok(Self {
            summary,
            parsed,
            incomplete,
        })
    }

    /// Draws the message into `ui`.
    pub fn show(&self, ui: &mut egui::Ui, commands: &mut Vec<UiCommand>) {
        let id = self.summary.id;
        ui.heading(message::display_subject(&self.parsed.subject));
        egui::Grid::new(("reader headers", id.0))
            .num_columns(2)
            .spacing([8.0, 2.0])
            .show(ui, |ui| {
                let from = self.parsed.sender().to_string();
                header_row(ui, "From", &from);
                header_row(ui, "To", &self.parsed.to);
                if !self.parsed.cc.is_empty() {
                    header_row(ui, "Cc", &self.parsed.cc);
                }
                header_row(
                    ui,
                    "Date",
                    &format!("{} UTC", dates::format_datetime(self.summary.date)),
                );
            });
        ui.horizontal(|ui| {
            if ui.button("View source").clicked() {
                commands.push(UiCommand::ViewSource(id));
            }
            if ui.button("Delete").clicked() {
                commands.push(UiCommand::Delete(vec![id]));
            }
        });
        if self.summary.headers_only {
            ui.group(|ui| {
                ui.horizontal(|ui| {
                    ui.label(format!(
                        "Only the headers of this message were downloaded ({} on the server).",
                        format::size(self.summary.size)
                    ));
                    if ui.button("Download full message").clicked() {
                        commands.push(UiCommand::DownloadFull(id));
                    }
                });
            });
        }
        if self.incomplete {
            ui.group(|ui| {
                ui.label(
                    "This message arrived shorter than the server announced: the end may be \
                     missing. The server keeps its copy; View source shows what arrived.",
                );
            });
        }
        self.attachments(ui, commands);
        ui.separator();
        ScrollArea::vertical()
            .id_salt(("reader body", id.0))
            .auto_shrink([false, false])
            .show(ui, |ui| body(ui, &self.parsed.body_text, commands));
    }

    fn attachments(&self, ui: &mut egui::Ui, commands: &mut Vec<UiCommand>) {
        let id = self.summary.id;
        let shown: Vec<_> = self.parsed.attachments.iter().enumerate().collect();
        if shown.is_empty() {
            return;
        }
        ui.label(RichText::new(format!("Attachments ({})", shown.len())).strong());
        for (index, attachment) in shown {
            ui.horizontal(|ui| {
                ui.label(format!(
                    "📎 {}  ·  {}  ·  {}",
                    attachment.name,
                    attachment.mime_type,
                    format::size(attachment.size)
                ));
                if ui
                    .button("Save as…")
                    .on_hover_text(format!("Save {}", attachment.name))
                    .clicked()
                {
                    commands.push(UiCommand::SaveAttachment(id, index));
                }
                if ui
                    .button("Open")
                    .on_hover_text(format!(
                        "Open {} with the system's application",
                        attachment.name
                    ))
                    .clicked()
                {
                    commands.push(UiCommand::OpenAttachment(id, index));
                }
            });
        }
    }
}

fn header_row(ui: &mut egui::Ui, name: &str, value: &str) {
    ui.label(RichText::new(name).weak());
    ui.label(value);
    ui.end_row();
}

/// The body text; links are buttons that open the system browser when clicked.
fn body(ui: &mut egui::Ui, text: &str, commands: &mut Vec<UiCommand>) {
    if text.trim().is_empty() {
        ui.label(RichText::new("(this message has no text)").weak());
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        for segment in segments(text) {
            match segment {
                Segment::Text(plain) => {
                    ui.label(plain);
                }
                Segment::Link(link) => {
                    if ui
                        .link(link)
                        .on_hover_text("Open in your browser")
                        .clicked()
                    {
                        commands.push(UiCommand::OpenLink(link.to_owned()));
                    }
                }
            }
        }
    });
}
