//! The reader: headers, the readable body with clickable links, attachments, and the
//! "Download full message" bar for headers-only mail. Nothing remote is ever loaded.

mod attachments;
mod conversation;
mod embedded;
mod highlight;
mod html_view;
mod plain;
mod quotes;
#[cfg(test)]
mod tests;
pub mod written;

pub use conversation::{Conversation, ConversationLine};
pub use highlight::set_search;
pub use plain::{quote_color, set_monospace};
pub use quotes::{QuoteBlock, quote_blocks};

use std::sync::Arc;

use egui::{RichText, ScrollArea};

use crate::dates::{self, TimeZone};
use crate::message::{self, ParsedMessage};
use crate::model::{MessageId, PopState};
use crate::store::{MessageSummary, Store, StoreError};
use crate::ui::command::UiCommand;
use crate::ui::helpers::format;

/// A message opened for reading: its summary and what the parser made of its bytes.
#[derive(Debug, Clone)]
pub struct OpenMessage {
    /// Summary columns (flags, folder, headers-only).
    pub summary: MessageSummary,
    /// Headers, body text and attachments.
    pub parsed: ParsedMessage,
    /// It arrived shorter than the server announced (the server keeps its copy).
    pub incomplete: bool,
    /// Encoded bytes of the image attachments previewed, by attachment index (decoded only
    /// when drawn).
    pub images: Vec<(usize, Arc<[u8]>)>,
    /// The HTML body laid out, when the message has one.
    pub html: Option<html_view::HtmlView>,
    /// The other messages of its conversation, and itself, in reading order (empty when alone).
    pub conversation: Conversation,
    /// A draft, or a message in the Outbox (with where it stands).
    pub written: Option<written::Written>,
}

/// How the reader shows a message.
#[derive(Debug, Clone, Copy)]
pub struct ReaderOptions<'a> {
    /// The zone dates are shown in.
    pub zone: &'a TimeZone,
    /// HTML mail opens on its plain text (the Formatted button is one click away).
    pub prefer_plain_text: bool,
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
        let images = attachments::previewable_images(&raw, &parsed.attachments);
        let html = message::document::rich_body(&raw).map(html_view::HtmlView::new);
        let conversation = conversation::load(store, id).unwrap_or_else(|err| {
            // The message opens without its conversation block.
            tracing::warn!(error = %err, "cannot read the message's conversation");
            Conversation::default()
        });
        let written = written::load(store, id, summary.folder_id)?;
        Ok(Self {
            summary,
            parsed,
            incomplete,
            images,
            html,
            conversation,
            written,
        })
    }

    /// Draws the message into `ui`.
    pub fn show(
        &self,
        ui: &mut egui::Ui,
        options: ReaderOptions<'_>,
        commands: &mut Vec<UiCommand>,
    ) {
        let id = self.summary.id;
        let zone = options.zone;
        let prefer_plain = options.prefer_plain_text;
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
                self.date_row(ui, zone);
            });
        if let Some(written) = &self.written {
            written::show(ui, written, id, commands);
        }
        ui.horizontal(|ui| {
            if self.written.is_none() {
                answer_buttons(ui, id, commands);
            }
            if ui.button("View source").clicked() {
                commands.push(UiCommand::ViewSource(id));
            }
            if ui.button("Delete").clicked() {
                commands.push(UiCommand::Delete(vec![id]));
            }
            if self.html.is_some() {
                let mut plain = showing_plain(ui.ctx(), id, prefer_plain);
                ui.separator();
                ui.selectable_value(&mut plain, false, "Formatted");
                ui.selectable_value(&mut plain, true, "Plain text");
                set_showing_plain(ui.ctx(), id, plain);
            }
        });
        if let Some(html) = &self.html
            && html.remote_images() > 0
            && !showing_plain(ui.ctx(), id, prefer_plain)
        {
            ui.label(
                RichText::new(format!(
                    "{} remote image(s) not loaded: Satchel loads nothing from the network.",
                    html.remote_images()
                ))
                .weak(),
            );
        }
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
        let formatted = self.html.is_some() && !showing_plain(ui.ctx(), id, prefer_plain);
        attachments::show(ui, self, formatted, commands);
        conversation::show(ui, &self.conversation, id, zone, commands);
        ui.separator();
        // Both ways: a wide HTML table scrolls inside the reader instead of widening the pane.
        ScrollArea::both()
            .id_salt(("reader body", id.0))
            .auto_shrink([false, false])
            .show(ui, |ui| {
                let own_text = self.parsed.own_text();
                match &self.html {
                    Some(html) if !showing_plain(ui.ctx(), id, prefer_plain) => {
                        html.show(ui, id, commands);
                    }
                    _ if !own_text.trim().is_empty() || self.parsed.embedded.is_empty() => {
                        plain::show(ui, own_text, commands);
                    }
                    _ => {}
                }
                embedded::show(ui, &self.parsed.embedded, zone, commands);
            });
    }
}

/// Whether message `id` is shown as plain text rather than formatted: as the user chose for
/// it while the app runs, else as the "prefer plain text" setting says.
fn showing_plain(ctx: &egui::Context, id: MessageId, prefer_plain: bool) -> bool {
    ctx.data(|data| data.get_temp(plain_id(id)).unwrap_or(prefer_plain))
}

fn set_showing_plain(ctx: &egui::Context, id: MessageId, plain: bool) {
    ctx.data_mut(|data| data.insert_temp(plain_id(id), plain));
}

fn plain_id(id: MessageId) -> egui::Id {
    egui::Id::unique(("reader plain text", id.0))
}

impl OpenMessage {
    /// Reads the conversation block again (messages moved, deleted, read or arrived).
    pub fn reload_conversation(&mut self, store: &Store) {
        match conversation::load(store, self.summary.id) {
            Ok(conversation) => self.conversation = conversation,
            Err(err) => tracing::warn!(error = %err, "cannot read the message's conversation"),
        }
    }

    /// The local date; hovering shows the sender's own clock (the Date header's offset).
    fn date_row(&self, ui: &mut egui::Ui, zone: &TimeZone) {
        ui.label(RichText::new("Date").weak());
        let local = dates::format_local_long(self.summary.date, zone);
        let hover = match (self.parsed.date, self.parsed.date_offset) {
            (Some(date), Some(offset)) => {
                format!("Sender's time: {}", dates::format_with_offset(date, offset))
            }
            _ => "The message has no valid Date header: this is when it was received.".to_owned(),
        };
        ui.label(local).on_hover_text(hover);
        ui.end_row();
    }
}

/// Reply, Reply all and Forward, each naming its key.
fn answer_buttons(ui: &mut egui::Ui, id: MessageId, commands: &mut Vec<UiCommand>) {
    use crate::ui::keyboard::{KeyAction, key_of};
    use crate::writing::AnswerKind;
    for (text, action, kind) in [
        ("↩ Reply", KeyAction::Reply, AnswerKind::Reply),
        ("↩ Reply all", KeyAction::ReplyAll, AnswerKind::ReplyAll),
        ("➡ Forward", KeyAction::Forward, AnswerKind::Forward),
    ] {
        if ui
            .button(text)
            .on_hover_text(format!(
                "{} ({})",
                text.trim_start_matches(['↩', '➡', ' ']),
                key_of(action)
            ))
            .clicked()
        {
            commands.push(UiCommand::Answer(id, kind));
        }
    }
}

fn header_row(ui: &mut egui::Ui, name: &str, value: &str) {
    ui.label(RichText::new(name).weak());
    // Wrapped, so a long address never widens the reader over the list.
    ui.add(egui::Label::new(value).wrap());
    ui.end_row();
}
