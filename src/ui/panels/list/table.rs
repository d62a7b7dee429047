//! Drawing the message list: a table that fetches only the rows on screen, with sort buttons
//! in its header, clicks, drags and a context menu that become commands.

use egui::{Color32, RichText, Sense};
use egui_extras::{Column, TableBuilder};

use super::{DraggedMessages, MessageList, PAGE, ROW_HEIGHT};
use crate::dates;
use crate::model::{FlagChange, MessageId};
use crate::store::{MessageSummary, SortColumn, Store};
use crate::ui::app::mailboxes::Mailboxes;
use crate::ui::command::UiCommand;
use crate::ui::helpers::format;

/// What the list reads while it draws.
#[derive(Debug, Clone, Copy)]
pub struct ListContext<'a> {
    /// Where the rows' details come from.
    pub store: &'a Store,
    /// Folder paths (the search results' folder column) and move targets.
    pub mailboxes: &'a Mailboxes,
    /// The column the list is ordered by (its header shows an arrow).
    pub sort: SortColumn,
    /// Newest / largest / Z first.
    pub descending: bool,
    /// Showing search results: adds the folder column.
    pub searching: bool,
}

impl MessageList {
    /// The summary of the row at `index`, fetching its page from the store when not cached.
    fn row(&mut self, store: &Store, index: usize) -> Option<&MessageSummary> {
        let id = *self.ids.get(index)?;
        if !self.rows.contains_key(&id) {
            let page_start = index - index % PAGE;
            let page: Vec<MessageId> = self
                .ids
                .iter()
                .skip(page_start)
                .take(PAGE)
                .copied()
                .collect();
            match store.summaries(&page) {
                Ok(summaries) => {
                    self.rows
                        .extend(summaries.into_iter().map(|summary| (summary.id, summary)));
                }
                Err(err) => tracing::warn!(error = %err, "cannot read message rows"),
            }
        }
        self.rows.get(&id)
    }

    /// Draws the list; clicks, drags and context-menu choices become commands.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        context: ListContext<'_>,
        commands: &mut Vec<UiCommand>,
    ) {
        let now = dates::now();
        let (store, mailboxes, searching) = (context.store, context.mailboxes, context.searching);
        let table = self.table(ui, searching);
        let mut events = RowEvents::default();
        let mut menu_commands = Vec::new();
        let output = table
            .header(ROW_HEIGHT, |header| header_cells(header, context, commands))
            .body(|body| {
                let total = self.ids.len();
                body.rows(ROW_HEIGHT, total, |mut row| {
                    let index = row.index();
                    let selected = self
                        .ids
                        .get(index)
                        .is_some_and(|id| self.selected.contains(id));
                    row.set_selected(selected);
                    let Some(summary) = self.row(store, index).cloned() else {
                        row.col(|ui| {
                            ui.label("…");
                        });
                        return;
                    };
                    row_cells(
                        &mut row,
                        &summary,
                        searching,
                        mailboxes,
                        now,
                        &mut menu_commands,
                    );
                    let response = row.response();
                    response.widget_info(|| {
                        egui::WidgetInfo::selected(
                            egui::Role::Row,
                            true,
                            selected,
                            accessible_name(&summary),
                        )
                    });
                    if response.clicked() {
                        events.clicked = Some((index, ui_modifiers(&response)));
                    }
                    if response.double_clicked() {
                        events.double_clicked = Some(summary.id);
                    }
                    if response.drag_started() {
                        events.drag_started = Some(index);
                    }
                    if response.dragged() {
                        let dragged = if selected {
                            self.selected_ids()
                        } else {
                            vec![summary.id]
                        };
                        response.dnd_set_drag_payload(DraggedMessages(dragged));
                    }
                    response.context_menu(|ui| {
                        let targets = if selected {
                            self.selected_ids()
                        } else {
                            vec![summary.id]
                        };
                        context_menu(ui, &targets, &summary, mailboxes, &mut menu_commands);
                    });
                });
            });
        self.scroll_offset = output.state.clamped_offset().y;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // offsets are ≥ 0
        let first = (self.scroll_offset / ROW_HEIGHT) as usize;
        self.first_visible = first;
        self.apply(events, commands);
        commands.extend(menu_commands);
    }

    /// Selection changes from this frame's clicks and drags; a single selection is shown.
    fn apply(&mut self, events: RowEvents, commands: &mut Vec<UiCommand>) {
        if let Some(index) = events.drag_started
            && !self
                .ids
                .get(index)
                .is_some_and(|id| self.selected.contains(id))
        {
            self.select_only(index);
        }
        if let Some((index, modifiers)) = events.clicked {
            if modifiers.shift {
                self.extend_to(index);
            } else if modifiers.command {
                self.toggle(index);
            } else {
                self.select_only(index);
            }
            if let Some(id) = self.single_selected() {
                commands.push(UiCommand::ShowMessage(id));
            }
        }
        if let Some(id) = events.double_clicked {
            commands.push(UiCommand::OpenInWindow(id));
        }
    }
}

/// What happened to the rows while the table was drawn.
#[derive(Debug, Default, Clone, Copy)]
struct RowEvents {
    clicked: Option<(usize, egui::Modifiers)>,
    double_clicked: Option<MessageId>,
    drag_started: Option<usize>,
}

impl MessageList {
    /// The table with its columns (a folder column only in search results), scrolled where the
    /// last change asked.
    fn table<'a>(&mut self, ui: &'a mut egui::Ui, searching: bool) -> TableBuilder<'a> {
        // Row texts must not take the click (egui labels are selectable by default).
        ui.style_mut().interaction.selectable_labels = false;
        let mut table = TableBuilder::new(ui)
            .id_salt("message list")
            .striped(true)
            .resizable(true)
            .sense(Sense::click_and_drag())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
            .column(Column::exact(14.0))
            .column(Column::exact(18.0))
            .column(Column::exact(18.0))
            .column(Column::initial(150.0).at_least(60.0).clip(true))
            // The subject takes what the fixed columns leave, so date and size stay in view.
            .column(Column::remainder().at_least(100.0).clip(true));
        if searching {
            table = table.column(Column::exact(100.0).clip(true));
        }
        table = table
            .column(Column::exact(80.0))
            .column(Column::exact(62.0));
        if let Some(offset) = self.pending_offset.take() {
            table = table.vertical_scroll_offset(offset);
        }
        if let Some(row) = self.scroll_to.take() {
            table = table.scroll_to_row(row, None);
        }
        table
    }
}

/// The header row: sort buttons for From, Subject, Date and Size.
fn header_cells(
    mut header: egui_extras::TableRow<'_, '_>,
    context: ListContext<'_>,
    commands: &mut Vec<UiCommand>,
) {
    let (sort, descending, searching) = (context.sort, context.descending, context.searching);
    let mut sort_button = |ui: &mut egui::Ui, label: &str, column: SortColumn| {
        let arrow = match (sort == column, descending) {
            (false, _) => "",
            (true, true) => " ⏷",
            (true, false) => " ⏶",
        };
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
    if searching {
        header.col(|ui| {
            ui.strong("Folder");
        });
    }
    header.col(|ui| sort_button(ui, "Date", SortColumn::Date));
    header.col(|ui| sort_button(ui, "Size", SortColumn::Size));
}

/// The cells of one message row; unread rows are bold, the star toggles the flag.
fn row_cells(
    row: &mut egui_extras::TableRow<'_, '_>,
    summary: &MessageSummary,
    searching: bool,
    mailboxes: &Mailboxes,
    now: i64,
    commands: &mut Vec<UiCommand>,
) {
    let unread = !summary.flags.seen;
    let text = |text: String| {
        if unread {
            RichText::new(text).strong()
        } else {
            RichText::new(text)
        }
    };
    row.col(|ui| {
        if unread {
            ui.label(RichText::new("•").color(Color32::from_rgb(40, 120, 220)))
                .on_hover_text("Unread");
        }
    });
    row.col(|ui| {
        let (star, change, hint) = if summary.flags.flagged {
            ("★", FlagChange::Unflagged, "Remove flag")
        } else {
            ("☆", FlagChange::Flagged, "Flag")
        };
        if ui
            .add(egui::Button::new(star).frame(false))
            .on_hover_text(hint)
            .clicked()
        {
            commands.push(UiCommand::SetFlag(vec![summary.id], change));
        }
    });
    row.col(|ui| {
        if summary.has_attachments {
            ui.label("📎").on_hover_text("Has attachments");
        }
    });
    row.col(|ui| {
        ui.label(text(summary.sender().shown().to_owned()));
    });
    row.col(|ui| {
        let mut subject = crate::message::display_subject(&summary.subject).to_owned();
        if summary.headers_only {
            subject.push_str("  (headers only)");
        }
        ui.label(text(subject));
    });
    if searching {
        row.col(|ui| {
            ui.label(mailboxes.path(summary.folder_id).unwrap_or(""));
        });
    }
    row.col(|ui| {
        ui.label(format::list_date(summary.date, now));
    });
    row.col(|ui| {
        ui.label(format::size(summary.size));
    });
}

/// What a screen reader says for a row.
fn accessible_name(summary: &MessageSummary) -> String {
    format!(
        "{}{}, from {}",
        if summary.flags.seen { "" } else { "Unread: " },
        crate::message::display_subject(&summary.subject),
        summary.sender().shown()
    )
}

fn ui_modifiers(response: &egui::Response) -> egui::Modifiers {
    response.ctx.input(|input| input.modifiers)
}

/// The right-click menu of a row (acting on the selection when the row is part of it).
fn context_menu(
    ui: &mut egui::Ui,
    targets: &[MessageId],
    summary: &MessageSummary,
    mailboxes: &Mailboxes,
    commands: &mut Vec<UiCommand>,
) {
    let mut push = |command: UiCommand, ui: &mut egui::Ui| {
        commands.push(command);
        ui.close();
    };
    if ui.button("Mark as read").clicked() {
        push(UiCommand::SetFlag(targets.to_vec(), FlagChange::Seen), ui);
    }
    if ui.button("Mark as unread").clicked() {
        push(UiCommand::SetFlag(targets.to_vec(), FlagChange::Unseen), ui);
    }
    if ui.button("Flag").clicked() {
        push(
            UiCommand::SetFlag(targets.to_vec(), FlagChange::Flagged),
            ui,
        );
    }
    if ui.button("Remove flag").clicked() {
        push(
            UiCommand::SetFlag(targets.to_vec(), FlagChange::Unflagged),
            ui,
        );
    }
    ui.menu_button("Move to", |ui| {
        for folder in mailboxes.move_targets(summary.folder_id) {
            if ui.button(&folder.path).clicked() {
                push(UiCommand::Move(targets.to_vec(), folder.id), ui);
            }
        }
    });
    ui.separator();
    if ui.button("Delete").clicked() {
        push(UiCommand::Delete(targets.to_vec()), ui);
    }
    if ui.button("Restore from Trash").clicked() {
        push(UiCommand::Restore(targets.to_vec()), ui);
    }
    if summary.headers_only && ui.button("Download full message").clicked() {
        push(UiCommand::DownloadFull(summary.id), ui);
    }
    if ui.button("View source").clicked() {
        push(UiCommand::ViewSource(summary.id), ui);
    }
}
