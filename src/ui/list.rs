//! The message list: an id list loaded once per folder or search, row details fetched a page at
//! a time for the rows on screen and kept until something changes.

use std::collections::{HashMap, HashSet};

use egui::{Color32, RichText, Sense};
use egui_extras::{Column, TableBuilder};

use super::command::UiCommand;
use super::format;
use crate::dates;
use crate::model::{FlagChange, FolderId, MessageId};
use crate::store::{MessageSummary, SortColumn, Store};

/// Rows fetched in one query when a row on screen is not cached yet.
const PAGE: usize = 64;
/// Height of one row in points.
pub const ROW_HEIGHT: f32 = 22.0;

/// Messages being dragged onto a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraggedMessages(pub Vec<MessageId>);

/// The list's content and selection.
#[derive(Debug, Default)]
pub struct MessageList {
    ids: Vec<MessageId>,
    rows: HashMap<MessageId, MessageSummary>,
    selected: HashSet<MessageId>,
    /// Where Shift-selection extends from.
    anchor: Option<usize>,
    /// The row keyboard navigation moves from.
    cursor: Option<usize>,
    /// Order of a folder's list.
    pub sort: SortColumn,
    /// Newest / largest / Z first.
    pub descending: bool,
    /// Showing search results: adds the folder column.
    pub searching: bool,
    first_visible: usize,
    scroll_offset: f32,
    pending_offset: Option<f32>,
    scroll_to: Option<usize>,
}

impl MessageList {
    /// An empty list ordered newest first.
    #[must_use]
    pub fn new() -> Self {
        Self {
            descending: true,
            ..Self::default()
        }
    }

    /// Ids in list order.
    #[must_use]
    pub fn ids(&self) -> &[MessageId] {
        &self.ids
    }

    /// Shows a new set of messages, forgetting the selection and scrolling to the top.
    pub fn replace(&mut self, ids: Vec<MessageId>) {
        self.ids = ids;
        self.rows.clear();
        self.selected.clear();
        self.anchor = None;
        self.cursor = None;
        self.pending_offset = Some(0.0);
    }

    /// Shows the same list with changes (new mail, moved messages): the selection stays, and
    /// rows that appear above the visible ones shift the scroll so the view does not jump.
    pub fn refresh(&mut self, ids: Vec<MessageId>) {
        let old: HashSet<MessageId> = self.ids.iter().copied().collect();
        let first_visible_id = self.ids.get(self.first_visible).copied();
        let cursor_id = self.cursor.and_then(|index| self.ids.get(index).copied());
        let anchor_id = self.anchor.and_then(|index| self.ids.get(index).copied());
        let inserted_above = first_visible_id
            .and_then(|id| ids.iter().position(|candidate| *candidate == id))
            .map_or(0, |position| {
                ids[..position]
                    .iter()
                    .filter(|id| !old.contains(id))
                    .count()
            });
        self.ids = ids;
        self.rows.clear();
        let present: HashSet<MessageId> = self.ids.iter().copied().collect();
        self.selected.retain(|id| present.contains(id));
        self.cursor = cursor_id.and_then(|id| self.position(id));
        self.anchor = anchor_id.and_then(|id| self.position(id));
        if inserted_above > 0 && self.scroll_offset > 0.0 {
            #[allow(clippy::cast_precision_loss)] // a row count, far below 2^24
            let shift = inserted_above as f32 * ROW_HEIGHT;
            self.pending_offset = Some(self.scroll_offset + shift);
        }
    }

    /// Forgets cached rows (flags or folders changed) without touching the selection.
    pub fn invalidate_rows(&mut self) {
        self.rows.clear();
    }

    fn position(&self, id: MessageId) -> Option<usize> {
        self.ids.iter().position(|candidate| *candidate == id)
    }

    /// Selected ids in list order.
    #[must_use]
    pub fn selected_ids(&self) -> Vec<MessageId> {
        self.ids
            .iter()
            .copied()
            .filter(|id| self.selected.contains(id))
            .collect()
    }

    /// The one selected message, if exactly one is selected.
    #[must_use]
    pub fn single_selected(&self) -> Option<MessageId> {
        if self.selected.len() == 1 {
            self.selected.iter().next().copied()
        } else {
            None
        }
    }

    /// Selects only the row at `index` and makes it the cursor.
    pub fn select_only(&mut self, index: usize) {
        if let Some(id) = self.ids.get(index) {
            self.selected.clear();
            self.selected.insert(*id);
            self.anchor = Some(index);
            self.cursor = Some(index);
        }
    }

    /// Ctrl-click: adds or removes one row.
    pub fn toggle(&mut self, index: usize) {
        if let Some(id) = self.ids.get(index) {
            if !self.selected.remove(id) {
                self.selected.insert(*id);
            }
            self.anchor = Some(index);
            self.cursor = Some(index);
        }
    }

    /// Shift-click: selects every row from the anchor to `index`.
    pub fn extend_to(&mut self, index: usize) {
        let anchor = self.anchor.unwrap_or(index);
        let (low, high) = (anchor.min(index), anchor.max(index));
        self.selected.clear();
        self.selected
            .extend(self.ids.iter().skip(low).take(high - low + 1).copied());
        self.cursor = Some(index);
    }

    /// Moves the cursor by `delta` rows, selecting only that row; returns the new message.
    pub fn step(&mut self, delta: isize) -> Option<MessageId> {
        if self.ids.is_empty() {
            return None;
        }
        let last = self.ids.len() - 1;
        let next = match self.cursor {
            None => 0,
            Some(index) => index.saturating_add_signed(delta).min(last),
        };
        self.select_only(next);
        self.scroll_to = Some(next);
        self.ids.get(next).copied()
    }

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
        store: &Store,
        folder_paths: &HashMap<FolderId, String>,
        move_targets: &[(FolderId, String)],
        commands: &mut Vec<UiCommand>,
    ) {
        let now = dates::now();
        let searching = self.searching;
        let table = self.table(ui);
        let (sort, descending) = (self.sort, self.descending);
        let mut clicked: Option<(usize, egui::Modifiers)> = None;
        let mut double_clicked: Option<MessageId> = None;
        let mut drag_started: Option<usize> = None;
        let mut menu_commands = Vec::new();
        let output = table
            .header(ROW_HEIGHT, |header| {
                header_cells(header, sort, descending, searching, commands);
            })
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
                        folder_paths,
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
                        clicked = Some((index, ui_modifiers(&response)));
                    }
                    if response.double_clicked() {
                        double_clicked = Some(summary.id);
                    }
                    if response.drag_started() {
                        drag_started = Some(index);
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
                        context_menu(ui, &targets, &summary, move_targets, &mut menu_commands);
                    });
                });
            });
        self.scroll_offset = output.state.clamped_offset().y;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // offsets are ≥ 0
        let first = (self.scroll_offset / ROW_HEIGHT) as usize;
        self.first_visible = first;
        if let Some(index) = drag_started
            && !self
                .ids
                .get(index)
                .is_some_and(|id| self.selected.contains(id))
        {
            self.select_only(index);
        }
        if let Some((index, modifiers)) = clicked {
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
        if let Some(id) = double_clicked {
            commands.push(UiCommand::OpenInWindow(id));
        }
        commands.extend(menu_commands);
    }
}

impl MessageList {
    /// The table with its columns (a folder column only in search results), scrolled where the
    /// last change asked.
    fn table<'a>(&mut self, ui: &'a mut egui::Ui) -> TableBuilder<'a> {
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
        if self.searching {
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
    sort: SortColumn,
    descending: bool,
    searching: bool,
    commands: &mut Vec<UiCommand>,
) {
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
    folder_paths: &HashMap<FolderId, String>,
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
            ui.label(
                folder_paths
                    .get(&summary.folder_id)
                    .map_or("", String::as_str),
            );
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
    move_targets: &[(FolderId, String)],
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
        for (folder, path) in move_targets {
            if *folder != summary.folder_id && ui.button(path).clicked() {
                push(UiCommand::Move(targets.to_vec(), *folder), ui);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn list_of(n: i64) -> MessageList {
        let mut list = MessageList::new();
        list.replace((1..=n).map(MessageId).collect());
        list
    }

    #[test]
    fn shift_extends_and_ctrl_toggles() {
        let mut list = list_of(6);
        list.select_only(1);
        list.extend_to(3);
        assert_eq!(
            list.selected_ids(),
            [MessageId(2), MessageId(3), MessageId(4)]
        );
        list.toggle(2);
        assert_eq!(list.selected_ids(), [MessageId(2), MessageId(4)]);
        assert_eq!(list.single_selected(), None);
    }

    #[test]
    fn stepping_stays_inside_the_list() {
        let mut list = list_of(3);
        assert_eq!(list.step(1), Some(MessageId(1)));
        assert_eq!(list.step(1), Some(MessageId(2)));
        assert_eq!(list.step(5), Some(MessageId(3)));
        assert_eq!(list.step(-9), Some(MessageId(1)));
    }

    #[test]
    fn refresh_keeps_the_selection_and_the_view_when_mail_arrives_above() {
        let mut list = list_of(50);
        list.select_only(20);
        list.first_visible = 10;
        list.scroll_offset = 10.0 * ROW_HEIGHT;
        let mut ids = vec![MessageId(100), MessageId(101)];
        ids.extend((1..=50).map(MessageId));
        list.refresh(ids);
        assert_eq!(list.selected_ids(), [MessageId(21)]);
        assert_eq!(list.cursor, Some(22));
        assert_eq!(list.pending_offset, Some(12.0 * ROW_HEIGHT));
    }
}
