//! The open message's conversation, above its body: every message of it in reading order,
//! indented by who answers whom, the open one marked; a click opens another.

use egui::RichText;

use crate::dates::{self, TimeZone};
use crate::model::{IdMap, MessageId};
use crate::store::{MessageSummary, Store, StoreError};
use crate::ui::command::UiCommand;
use crate::ui::helpers::format;

/// Most lines the block lists (a longer conversation shows those around the open message).
pub const MAX_LINES: usize = 200;
/// Most indent steps shown (deeper answers line up at this depth).
const MAX_INDENT: usize = 6;
/// Width of one indent step, in points.
const INDENT: f32 = 12.0;

/// One message of the open message's conversation.
#[derive(Debug, Clone)]
pub struct ConversationLine {
    /// The message.
    pub summary: MessageSummary,
    /// How many messages above it it answers.
    pub depth: usize,
}

/// The conversation of `id` (across folders, Trash left out), or nothing when it is alone.
///
/// # Errors
/// When the store cannot read it.
pub fn load(store: &Store, id: MessageId) -> Result<Conversation, StoreError> {
    let entries = store.conversation(id)?;
    if entries.len() < 2 {
        return Ok(Conversation::default());
    }
    // The lines around the open message, when the conversation is longer than the block shows.
    let open_at = entries.iter().position(|entry| entry.id == id).unwrap_or(0);
    let first = open_at
        .saturating_sub(MAX_LINES / 2)
        .min(entries.len().saturating_sub(MAX_LINES));
    let shown = &entries[first..entries.len().min(first + MAX_LINES)];
    let ids: Vec<MessageId> = shown.iter().map(|entry| entry.id).collect();
    let mut summaries: IdMap<MessageId, MessageSummary> = store
        .summaries(&ids)?
        .into_iter()
        .map(|summary| (summary.id, summary))
        .collect();
    let lines = shown
        .iter()
        .filter_map(|entry| {
            Some(ConversationLine {
                summary: summaries.remove(&entry.id)?,
                depth: entry.depth,
            })
        })
        .collect();
    Ok(Conversation {
        lines,
        total: entries.len(),
    })
}

/// The conversation block's content: up to 200 lines (`MAX_LINES`) around the open message.
#[derive(Debug, Clone, Default)]
pub struct Conversation {
    /// The lines shown, in reading order.
    pub lines: Vec<ConversationLine>,
    /// Messages in the whole conversation.
    pub total: usize,
}

/// Draws the conversation's lines; the open message's is marked and not a button.
pub fn show(
    ui: &mut egui::Ui,
    conversation: &Conversation,
    open: MessageId,
    zone: &TimeZone,
    commands: &mut Vec<UiCommand>,
) {
    let lines = &conversation.lines;
    if lines.is_empty() {
        return;
    }
    let now = dates::now();
    let title = if conversation.total > lines.len() {
        format!(
            "Conversation: {} messages ({} around this one shown)",
            conversation.total,
            lines.len()
        )
    } else {
        format!("Conversation: {} messages", conversation.total)
    };
    egui::CollapsingHeader::new(title)
        .id_salt(("reader conversation", open.0))
        .default_open(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt(("reader conversation lines", open.0))
                .max_height(ui.available_height().min(160.0))
                .show(ui, |ui| {
                    for line in lines {
                        line_row(ui, line, line.summary.id == open, now, zone, commands);
                    }
                });
        });
}

fn line_row(
    ui: &mut egui::Ui,
    line: &ConversationLine,
    is_open: bool,
    now: i64,
    zone: &TimeZone,
    commands: &mut Vec<UiCommand>,
) {
    let summary = &line.summary;
    ui.horizontal(|ui| {
        #[expect(clippy::cast_precision_loss, reason = "at most MAX_INDENT")]
        ui.add_space(line.depth.min(MAX_INDENT) as f32 * INDENT);
        let text = format!(
            "{}  ·  {}  ·  {}",
            summary.sender().shown(),
            format::list_date(summary.date, now, zone),
            first_words(&summary.snippet)
        );
        if is_open {
            ui.label(RichText::new(format!("▶ {text}")).strong());
        } else {
            let mut rich = RichText::new(text);
            if !summary.flags.seen {
                rich = crate::ui::fonts::bold(ui, rich);
            }
            let response = ui
                .add(egui::Button::new(rich).frame(false))
                .on_hover_text(crate::message::display_subject(&summary.subject));
            if response.clicked() {
                commands.push(UiCommand::ShowMessage(summary.id));
            }
        }
    });
}

/// The snippet's first words, on one line.
fn first_words(snippet: &str) -> String {
    const MAX_CHARS: usize = 60;
    let line: String = snippet.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}
