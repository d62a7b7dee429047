//! Keyboard shortcuts: Up/Down or j/k move, Enter opens, Delete deletes, `/` or Ctrl+F search,
//! Escape clears the search, M moves to a folder, F5 syncs, Ctrl+, opens settings, Ctrl+Z undoes.

use egui::{Key, Modifiers};

use super::app::SatchelApp;
use super::command::UiCommand;
use super::dialogs::move_picker::MovePicker;

/// The search box's widget id (focused by `/` and Ctrl+F).
pub const SEARCH_ID: &str = "search box";

/// Turns this frame's key presses into commands. Letters and Delete are left alone while a
/// text field has the keyboard; function keys and Ctrl shortcuts always work.
pub fn handle(app: &mut SatchelApp, ctx: &egui::Context) {
    let dialog_open = app.settings.open
        || app.certificate.is_some()
        || app.confirm.is_some()
        || app.move_picker.is_some();
    let typing = ctx.egui_wants_keyboard_input();
    let pressed =
        |modifiers: Modifiers, key: Key| ctx.input_mut(|input| input.consume_key(modifiers, key));
    if pressed(Modifiers::NONE, Key::F5) {
        app.commands.push(UiCommand::SyncAll);
    }
    if pressed(Modifiers::COMMAND, Key::Comma) {
        app.commands.push(UiCommand::OpenSettings);
    }
    if dialog_open {
        return;
    }
    if pressed(Modifiers::COMMAND, Key::F) {
        app.focus_search = true;
    }
    if pressed(Modifiers::COMMAND, Key::Z) && !typing {
        app.commands.push(UiCommand::Undo);
    }
    if typing {
        return;
    }
    if pressed(Modifiers::NONE, Key::Slash) {
        app.focus_search = true;
    }
    if pressed(Modifiers::NONE, Key::Escape) && app.active_search.is_some() {
        app.commands.push(UiCommand::ClearSearch);
    }
    let down = pressed(Modifiers::NONE, Key::ArrowDown) || pressed(Modifiers::NONE, Key::J);
    let up = pressed(Modifiers::NONE, Key::ArrowUp) || pressed(Modifiers::NONE, Key::K);
    let step = match (down, up) {
        (true, false) => 1,
        (false, true) => -1,
        _ => 0,
    };
    if step != 0
        && let Some(id) = app.list.step(step)
    {
        app.commands.push(UiCommand::ShowMessage(id));
    }
    if pressed(Modifiers::NONE, Key::Enter)
        && let Some(id) = app.list.single_selected()
    {
        app.commands.push(UiCommand::OpenInWindow(id));
    }
    if pressed(Modifiers::NONE, Key::M) {
        let selected = app.list.selected_ids();
        if !selected.is_empty() {
            app.move_picker = Some(MovePicker { messages: selected });
        }
    }
    if pressed(Modifiers::NONE, Key::Delete) {
        let selected = app.list.selected_ids();
        if !selected.is_empty() {
            app.commands.push(UiCommand::Delete(selected));
        }
    }
}
