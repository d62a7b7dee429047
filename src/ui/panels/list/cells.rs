//! The cells of the message list: the header's sort buttons, and one function per kind of cell
//! in a message row (unread dot, flag star, attachment clip, texts).

use std::fmt::Write as _;

use egui::{Color32, RichText};
use egui_extras::TableRow;

use super::table::ListContext;
use super::threads::{Head, RowShape};
use crate::model::FlagChange;
use crate::store::{MessageSummary, SortColumn};
use crate::ui::command::UiCommand;
use crate::ui::helpers::format;

/// The header row: sort buttons for From, Subject, Date and Size.
pub(super) fn header_cells(
    mut header: TableRow<'_, '_>,
    context: ListContext<'_>,
    commands: &mut Vec<UiCommand>,
) {
    let mut sort_button = |ui: &mut egui::Ui, label: &str, column: SortColumn| {
        let arrow = sort_arrow(context.sort == column, context.descending);
        let button =
            egui::Button::new(RichText::new(format!("{label}{arrow}")).strong()).frame(false);
        if ui
            .add(button)
            .on_hover_text(format!("Sort by {}", label.to_lowercase()))
            .clicked()
        {
            commands.push(UiCommand::SortBy(column));
        }
    };
    header.col(|ui| {
        ui.label("•").on_hover_text("Unread");
    });
    header.col(|ui| {
        ui.label("★").on_hover_text("Flagged");
    });
    header.col(|ui| {
        ui.label("📎").on_hover_text("Attachment");
    });
    header.col(|ui| sort_button(ui, "From", SortColumn::From));
    header.col(|ui| sort_button(ui, "Subject", SortColumn::Subject));
    if context.searching {
        header.col(|ui| {
            ui.strong("Folder");
        });
    }
    header.col(|ui| sort_button(ui, "Date", SortColumn::Date));
    header.col(|ui| sort_button(ui, "Size", SortColumn::Size));
}

/// The arrow after a column's name: only on the column the list is sorted by.
fn sort_arrow(sorted_by_this: bool, descending: bool) -> &'static str {
    match (sorted_by_this, descending) {
        (false, _) => "",
        (true, true) => " ⏷",
        (true, false) => " ⏶",
    }
}

/// The colour that marks unread mail.
const UNREAD_BLUE: Color32 = Color32::from_rgb(40, 120, 220);

/// Most indent steps shown for answers to answers (deeper ones line up at this depth).
const MAX_INDENT: usize = 8;
/// Width of one indent step, in points.
const INDENT: f32 = 14.0;

/// The cells of one message row; unread rows are bold, the star toggles the flag. In the
/// threaded view a conversation's first row opens and closes it and shows its counts (bold
/// while any of its messages is unread); answers are indented.
pub(super) fn row_cells(
    row: &mut TableRow<'_, '_>,
    summary: &MessageSummary,
    shape: RowShape,
    context: ListContext<'_>,
    now: i64,
    commands: &mut Vec<UiCommand>,
) {
    let unread =
        !summary.flags.seen || shape.head.is_some_and(|head| !head.open && head.unread > 0);
    row.col(|ui| unread_dot(ui, unread));
    row.col(|ui| flag_star(ui, summary, commands));
    row.col(|ui| attachment_clip(ui, summary.has_attachments));
    row.col(|ui| {
        ui.label(emphasised(summary.sender().shown().to_owned(), unread));
    });
    row.col(|ui| {
        #[expect(clippy::cast_precision_loss, reason = "at most MAX_INDENT")]
        let indent = shape.depth.min(MAX_INDENT) as f32 * INDENT;
        ui.add_space(indent);
        if let Some(head) = shape.head {
            // The counts before the subject, so a narrow column does not cut them off.
            conversation_toggle(ui, summary, head, commands);
            conversation_counts(ui, head);
        }
        ui.label(emphasised(subject_text(summary), unread));
    });
    if context.searching {
        row.col(|ui| {
            ui.label(context.mailboxes.path(summary.folder_id).unwrap_or(""));
        });
    }
    row.col(|ui| {
        ui.label(format::list_date(summary.date, now, context.zone));
    });
    row.col(|ui| {
        ui.label(format::size(summary.size));
    });
}

/// The arrow that opens or closes a conversation.
fn conversation_toggle(
    ui: &mut egui::Ui,
    summary: &MessageSummary,
    head: Head,
    commands: &mut Vec<UiCommand>,
) {
    let (arrow, hint) = if head.open {
        ("⏷", "Close the conversation (←)")
    } else {
        ("⏵", "Open the conversation (→)")
    };
    if ui
        .add(egui::Button::new(arrow).frame(false))
        .on_hover_text(hint)
        .clicked()
    {
        commands.push(UiCommand::OpenConversation(summary.id, !head.open));
    }
}

/// How many messages a conversation holds, and how many are unread ("3", "3 (1)").
fn conversation_counts(ui: &mut egui::Ui, head: Head) {
    ui.spacing_mut().item_spacing.x = 3.0;
    ui.label(RichText::new(head.count.to_string()).weak())
        .on_hover_text(conversation_summary(head));
    if head.unread > 0 {
        ui.label(RichText::new(format!("({})", head.unread)).color(UNREAD_BLUE))
            .on_hover_text(conversation_summary(head));
    }
}

/// "3 messages in this conversation, 1 unread".
fn conversation_summary(head: Head) -> String {
    let mut text = format!("{} messages in this conversation", head.count);
    if head.unread > 0 {
        let _ = write!(text, ", {} unread", head.unread);
    }
    text
}

/// A blue dot on unread rows.
fn unread_dot(ui: &mut egui::Ui, unread: bool) {
    if unread {
        ui.label(RichText::new("•").color(UNREAD_BLUE))
            .on_hover_text("Unread");
    }
}

/// The flag star, a button that flags or unflags the row's message.
fn flag_star(ui: &mut egui::Ui, summary: &MessageSummary, commands: &mut Vec<UiCommand>) {
    let (star, change, hint) = star_for(summary.flags.flagged);
    if ui
        .add(egui::Button::new(star).frame(false))
        .on_hover_text(hint)
        .clicked()
    {
        commands.push(UiCommand::SetFlag(vec![summary.id], change));
    }
}

/// The star shown, the change a click makes and its tooltip.
fn star_for(flagged: bool) -> (&'static str, FlagChange, &'static str) {
    if flagged {
        ("★", FlagChange::Unflagged, "Remove flag")
    } else {
        ("☆", FlagChange::Flagged, "Flag")
    }
}

/// A paper clip on rows with attachments.
fn attachment_clip(ui: &mut egui::Ui, has_attachments: bool) {
    if has_attachments {
        ui.label("📎").on_hover_text("Has attachments");
    }
}

/// Row text, bold while unread.
fn emphasised(text: String, unread: bool) -> RichText {
    if unread {
        RichText::new(text).strong()
    } else {
        RichText::new(text)
    }
}

/// The subject as listed, marked when only the headers are downloaded.
fn subject_text(summary: &MessageSummary) -> String {
    let mut subject = crate::message::display_subject(&summary.subject).to_owned();
    if summary.headers_only {
        subject.push_str("  (headers only)");
    }
    subject
}

/// What a screen reader says for a row (a conversation's first row adds its counts).
pub(super) fn accessible_name(summary: &MessageSummary, shape: RowShape) -> String {
    let mut name = format!(
        "{}{}, from {}",
        if summary.flags.seen { "" } else { "Unread: " },
        crate::message::display_subject(&summary.subject),
        summary.sender().shown()
    );
    if let Some(head) = shape.head {
        let _ = write!(
            name,
            " ({}, {})",
            conversation_summary(head),
            if head.open { "open" } else { "closed" }
        );
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Flags, FolderId, MessageId};

    fn summary(subject: &str, seen: bool, headers_only: bool) -> MessageSummary {
        MessageSummary {
            id: MessageId(1),
            folder_id: FolderId(1),
            account_id: None,
            date: 0,
            from_name: "Ada".to_owned(),
            from_addr: "ada@example.org".to_owned(),
            to: String::new(),
            cc: String::new(),
            subject: subject.to_owned(),
            message_id: None,
            size: 10,
            has_attachments: false,
            snippet: String::new(),
            flags: Flags {
                seen,
                ..Flags::default()
            },
            headers_only,
        }
    }

    #[test]
    fn only_the_sorted_column_has_an_arrow_pointing_its_way() {
        assert_eq!(sort_arrow(false, true), "");
        assert_eq!(sort_arrow(false, false), "");
        assert_eq!(sort_arrow(true, true), " ⏷");
        assert_eq!(sort_arrow(true, false), " ⏶");
    }

    #[test]
    fn the_star_offers_the_opposite_of_the_flag() {
        assert_eq!(star_for(true), ("★", FlagChange::Unflagged, "Remove flag"));
        assert_eq!(star_for(false), ("☆", FlagChange::Flagged, "Flag"));
    }

    #[test]
    fn subjects_say_no_subject_and_headers_only() {
        assert_eq!(subject_text(&summary("Hi", true, false)), "Hi");
        assert_eq!(subject_text(&summary(" ", true, false)), "(no subject)");
        assert_eq!(
            subject_text(&summary("Big", true, true)),
            "Big  (headers only)"
        );
    }

    #[test]
    fn screen_readers_hear_unread_subject_and_sender() {
        assert_eq!(
            accessible_name(&summary("Hi", false, true), RowShape::default()),
            "Unread: Hi, from Ada"
        );
        assert_eq!(
            accessible_name(&summary("", true, false), RowShape::default()),
            "(no subject), from Ada"
        );
        let head = RowShape {
            depth: 0,
            head: Some(Head {
                count: 3,
                unread: 1,
                open: false,
            }),
        };
        assert_eq!(
            accessible_name(&summary("Hi", true, false), head),
            "Hi, from Ada (3 messages in this conversation, 1 unread, closed)"
        );
    }
}
