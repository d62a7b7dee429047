//! Drawing the message list: a table that fetches only the rows on screen, with sort buttons
//! in its header, clicks, drags and a context menu that become commands.

use egui::Sense;
use egui_extras::TableBuilder;

use super::cells::{accessible_name, header_cells, row_cells};
use super::columns::{ListColumn, ListColumns};
use super::menu::context_menu;
use super::{DraggedMessages, MessageList, PAGE, ROW_HEIGHT};
use crate::dates;
use crate::model::MessageId;
use crate::store::{MessageSummary, SortColumn, Store};
use crate::ui::app::mailboxes::Mailboxes;
use crate::ui::command::UiCommand;

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
    /// The columns the user chose and their order.
    pub columns: &'a ListColumns,
    /// The zone dates are shown in.
    pub zone: &'a crate::dates::TimeZone,
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
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a positive height over a row's"
        )]
        let page_rows = (ui.available_height() / ROW_HEIGHT).floor().max(2.0) as usize - 1;
        self.page_rows = page_rows;
        let visible = context.columns.visible(context.searching);
        let table = self.table(ui, &visible);
        let mut drawn = BodyOutput::default();
        let output = table
            .header(ROW_HEIGHT, |header| {
                header_cells(header, &visible, context, commands);
            })
            .body(|body| {
                let total = self.ids.len();
                body.rows(ROW_HEIGHT, total, |row| {
                    self.body_row(row, &visible, context, now, &mut drawn);
                });
            });
        self.remember_scroll(output.state.clamped_offset().y);
        self.apply(drawn.events, commands);
        commands.extend(drawn.commands);
    }

    /// One message row: its cells, what a screen reader says, clicks, drags and its menu.
    fn body_row(
        &mut self,
        mut row: egui_extras::TableRow<'_, '_>,
        visible: &[ListColumn],
        context: ListContext<'_>,
        now: i64,
        drawn: &mut BodyOutput,
    ) {
        let index = row.index();
        let selected = self.is_selected(index);
        row.set_selected(selected);
        let Some(summary) = self.row(context.store, index).cloned() else {
            row.col(|ui| {
                ui.label("…");
            });
            return;
        };
        let shape = self.shape(summary.id);
        row_cells(
            &mut row,
            visible,
            &summary,
            shape,
            context,
            now,
            &mut drawn.commands,
        );
        let response = row.response();
        response.widget_info(|| {
            egui::WidgetInfo::selected(
                egui::Role::Row,
                true,
                selected,
                accessible_name(&summary, shape),
            )
        });
        self.note_pointer(&response, index, selected, summary.id, &mut drawn.events);
        response.context_menu(|ui| {
            let targets = self.targets(selected, summary.id);
            context_menu(
                ui,
                &targets,
                &summary,
                context.mailboxes,
                &mut drawn.commands,
            );
        });
    }

    /// Notes clicks, double clicks and drag starts on the row at `index`; a dragged row carries
    /// the messages it acts on.
    fn note_pointer(
        &self,
        response: &egui::Response,
        index: usize,
        selected: bool,
        id: MessageId,
        events: &mut RowEvents,
    ) {
        if response.clicked() {
            events.clicked = Some((index, ui_modifiers(response)));
        }
        if response.double_clicked() {
            events.double_clicked = Some(id);
        }
        if response.drag_started() {
            events.drag_started = Some(index);
        }
        if response.dragged() {
            response.dnd_set_drag_payload(DraggedMessages(self.targets(selected, id)));
        }
    }

    /// Whether the row at `index` is selected.
    fn is_selected(&self, index: usize) -> bool {
        self.ids
            .get(index)
            .is_some_and(|id| self.selected.contains(id))
    }

    /// What a drag or the menu of a row acts on: the selection when the row is part of it,
    /// otherwise the row alone (a closed conversation's row: the whole conversation).
    fn targets(&self, selected: bool, id: MessageId) -> Vec<MessageId> {
        if selected {
            self.selected_ids()
        } else {
            let mut targets = vec![id];
            targets.extend_from_slice(self.hidden_behind(id));
            targets
        }
    }

    /// Keeps the table's scroll position, and the first row it shows, for the next refresh.
    fn remember_scroll(&mut self, offset: f32) {
        self.scroll_offset = offset;
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "offsets are ≥ 0"
        )]
        let first = (self.scroll_offset / ROW_HEIGHT) as usize;
        self.first_visible = first;
    }

    /// Selection changes from this frame's clicks and drags; a single selection is shown.
    fn apply(&mut self, events: RowEvents, commands: &mut Vec<UiCommand>) {
        if let Some(index) = events.drag_started
            && !self.is_selected(index)
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

/// What the table's body gathers while it draws: row events, and the commands of the stars and
/// menus (run after the selection changes).
#[derive(Debug, Default)]
struct BodyOutput {
    events: RowEvents,
    commands: Vec<UiCommand>,
}

impl MessageList {
    /// The table with the columns shown, scrolled where the last change asked. Its id names
    /// the columns, so each arrangement keeps the widths the user gave it (egui remembers them).
    fn table<'a>(&mut self, ui: &'a mut egui::Ui, visible: &[ListColumn]) -> TableBuilder<'a> {
        // Row texts must not take the click (egui labels are selectable by default).
        ui.style_mut().interaction.selectable_labels = false;
        let mut table = TableBuilder::new(ui)
            .id_salt(("message list", visible))
            .striped(true)
            .resizable(true)
            .sense(Sense::click_and_drag())
            .cell_layout(egui::Layout::left_to_right(egui::Align::Center));
        for column in visible {
            table = table.column(column.sizing());
        }
        if let Some(offset) = self.pending_offset.take() {
            table = table.vertical_scroll_offset(offset);
        }
        if let Some(row) = self.scroll_to.take() {
            table = table.scroll_to_row(row, None);
        }
        table
    }
}

/// The keys held during a click (Shift extends, Ctrl/Cmd toggles).
fn ui_modifiers(response: &egui::Response) -> egui::Modifiers {
    response.ctx.input(|input| input.modifiers)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::ui::panels::list::tests::list_of;

    #[test]
    fn a_drag_or_menu_acts_on_the_selection_only_from_a_selected_row() {
        let mut list = list_of(5);
        list.select_only(1);
        list.extend_to(2);
        assert!(list.is_selected(1) && list.is_selected(2) && !list.is_selected(3));
        assert!(!list.is_selected(99), "past the end");
        assert_eq!(
            list.targets(true, MessageId(3)),
            [MessageId(2), MessageId(3)]
        );
        assert_eq!(list.targets(false, MessageId(5)), [MessageId(5)]);
    }

    #[test]
    fn the_scroll_offset_names_the_first_visible_row() {
        let mut list = list_of(50);
        list.remember_scroll(10.5 * ROW_HEIGHT);
        assert_eq!(list.first_visible, 10);
        assert!((list.scroll_offset - 10.5 * ROW_HEIGHT).abs() < f32::EPSILON);
        list.remember_scroll(0.0);
        assert_eq!(list.first_visible, 0);
    }

    #[test]
    fn clicks_select_and_show_double_clicks_open_and_drags_take_unselected_rows() {
        let mut list = list_of(5);
        let mut commands = Vec::new();
        let click = |index, modifiers| RowEvents {
            clicked: Some((index, modifiers)),
            ..RowEvents::default()
        };
        list.apply(click(1, egui::Modifiers::NONE), &mut commands);
        assert_eq!(commands, [UiCommand::ShowMessage(MessageId(2))]);
        list.apply(click(3, egui::Modifiers::SHIFT), &mut commands);
        assert_eq!(list.selected_ids().len(), 3);
        assert_eq!(commands.len(), 1, "several selected: nothing to show");

        list.apply(
            RowEvents {
                drag_started: Some(2),
                ..RowEvents::default()
            },
            &mut commands,
        );
        assert_eq!(
            list.selected_ids().len(),
            3,
            "a selected row drags them all"
        );
        list.apply(
            RowEvents {
                drag_started: Some(0),
                double_clicked: Some(MessageId(1)),
                ..RowEvents::default()
            },
            &mut commands,
        );
        assert_eq!(list.selected_ids(), [MessageId(1)]);
        assert_eq!(
            commands.last(),
            Some(&UiCommand::OpenInWindow(MessageId(1)))
        );
    }
}
