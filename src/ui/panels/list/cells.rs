//! The cells of the message list: the header's sort buttons and column menu, and one function
//! per kind of cell in a message row (unread dot, flag star, attachment clip, texts).

use std::fmt::Write as _;

use egui::{Color32, RichText};
use egui_extras::TableRow;

use super::columns::{ListColumn, ListColumns};
use super::table::ListContext;
use super::threads::{Head, RowShape};
use crate::model::FlagChange;
use crate::store::{MessageSummary, SortColumn};
use crate::ui::command::UiCommand;
use crate::ui::fonts;
use crate::ui::helpers::format;

/// The header row, one cell per shown column: sort buttons for From, Subject, Date and Size;
/// right-click on any of them chooses and moves columns.
pub(super) fn header_cells(
    mut header: TableRow<'_, '_>,
    visible: &[ListColumn],
    context: ListContext<'_>,
    commands: &mut Vec<UiCommand>,
) {
    for column in visible {
        // The menu opens on the cell and on the sort button in it (the button takes the click).
        let (_, cell) = header.col(|ui| {
            let inner = header_cell(ui, *column, context, commands);
            column_menu_on(&inner, "button", *column, context, commands);
        });
        column_menu_on(&cell, "cell", *column, context, commands);
    }
}

/// Opens the column menu on a right-click of `response` (the header cell or the `part` in it).
/// It stays open while boxes are ticked: its id names the column, not the table, whose id
/// changes with the columns shown.
fn column_menu_on(
    response: &egui::Response,
    part: &str,
    column: ListColumn,
    context: ListContext<'_>,
    commands: &mut Vec<UiCommand>,
) {
    egui::Popup::context_menu(response)
        .id(egui::Id::unique(("column menu", column, part)))
        .close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside)
        .show(|ui| column_menu(ui, column, context, commands));
}

/// One header cell: a sort button, or the icon naming the column.
fn header_cell(
    ui: &mut egui::Ui,
    column: ListColumn,
    context: ListContext<'_>,
    commands: &mut Vec<UiCommand>,
) -> egui::Response {
    let sorted_by = match column {
        ListColumn::Unread => return ui.label("•").on_hover_text("Unread"),
        ListColumn::Flag => return ui.label("★").on_hover_text("Flagged"),
        ListColumn::Attachment => return ui.label("📎").on_hover_text("Attachment"),
        ListColumn::Folder => return ui.strong("Folder"),
        ListColumn::From => SortColumn::From,
        ListColumn::Subject => SortColumn::Subject,
        ListColumn::Date => SortColumn::Date,
        ListColumn::Size => SortColumn::Size,
    };
    let label = column.name();
    let arrow = sort_arrow(context.sort == sorted_by, context.descending);
    let button = egui::Button::new(RichText::new(format!("{label}{arrow}")).strong()).frame(false);
    let response = ui.add(button).on_hover_text(format!(
        "Sort by {} (right-click to choose columns)",
        label.to_lowercase()
    ));
    if response.clicked() {
        commands.push(UiCommand::SortBy(sorted_by));
    }
    response
}

/// The header's right-click menu: a checkbox per column, moving this one, and the defaults.
fn column_menu(
    ui: &mut egui::Ui,
    column: ListColumn,
    context: ListContext<'_>,
    commands: &mut Vec<UiCommand>,
) {
    let mut arranged = context.columns.clone();
    for each in ListColumn::ALL {
        let mut shown = arranged.is_shown(each);
        let checkbox = egui::Checkbox::new(&mut shown, each.name());
        if ui
            .add_enabled(each != ListColumn::Subject, checkbox)
            .changed()
        {
            arranged.set_shown(each, shown);
        }
    }
    ui.separator();
    let name = column.name();
    if ui.button(format!("Move {name} left")).clicked() {
        arranged.shift(column, context.searching, -1);
        ui.close();
    }
    if ui.button(format!("Move {name} right")).clicked() {
        arranged.shift(column, context.searching, 1);
        ui.close();
    }
    if ui.button("Reset columns").clicked() {
        arranged = ListColumns::default();
        ui.close();
    }
    if arranged != *context.columns {
        commands.push(UiCommand::ArrangeColumns(arranged));
    }
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
    visible: &[ListColumn],
    summary: &MessageSummary,
    shape: RowShape,
    context: ListContext<'_>,
    now: i64,
    commands: &mut Vec<UiCommand>,
) {
    let unread =
        !summary.flags.seen || shape.head.is_some_and(|head| !head.open && head.unread > 0);
    for column in visible {
        row.col(|ui| match column {
            ListColumn::Unread => unread_dot(ui, unread),
            ListColumn::Flag => flag_star(ui, summary, commands),
            ListColumn::Attachment => attachment_clip(ui, summary.has_attachments),
            ListColumn::From => {
                ui.label(emphasised(ui, summary.sender().shown().to_owned(), unread));
            }
            ListColumn::Subject => subject_cell(ui, summary, shape, unread, commands),
            ListColumn::Folder => {
                ui.label(context.mailboxes.path(summary.folder_id).unwrap_or(""));
            }
            ListColumn::Date => {
                ui.label(format::list_date(summary.date, now, context.zone));
            }
            ListColumn::Size => {
                ui.label(format::size(summary.size));
            }
        });
    }
}

/// The subject, indented by its depth in the conversation; a conversation's first row has the
/// arrow that opens it and its counts before the subject, so a narrow column does not cut them.
fn subject_cell(
    ui: &mut egui::Ui,
    summary: &MessageSummary,
    shape: RowShape,
    unread: bool,
    commands: &mut Vec<UiCommand>,
) {
    #[expect(clippy::cast_precision_loss, reason = "at most MAX_INDENT")]
    let indent = shape.depth.min(MAX_INDENT) as f32 * INDENT;
    ui.add_space(indent);
    if let Some(head) = shape.head {
        conversation_toggle(ui, summary, head, commands);
        conversation_counts(ui, head);
    }
    ui.label(emphasised(ui, subject_text(summary), unread));
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
fn emphasised(ui: &egui::Ui, text: String, unread: bool) -> RichText {
    if unread {
        fonts::bold(ui, text)
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
