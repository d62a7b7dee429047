//! Keyboard shortcuts, written once in [`KeyAction::shortcut`]: the key handler reads that
//! table, and so do the tooltips and hints that name a key ([`with_key`], [`key_of`]).

use egui::{Key, Modifiers};

use super::command::UiCommand;
use super::panels::list::MessageList;
use crate::writing::AnswerKind;

/// The search box's widget id (focused by `/` and Ctrl+F).
pub const SEARCH_ID: &str = "search box";

/// Something a shortcut does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAction {
    /// Sync every account.
    SyncAll,
    /// Open the settings window.
    OpenSettings,
    /// Put the keyboard in the search box.
    FocusSearch,
    /// Undo the last move, delete or restore.
    Undo,
    /// Close View source or a message window, else leave the search.
    Escape,
    /// Select and show the previous message.
    Previous,
    /// Select and show the next message.
    Next,
    /// A page of rows down.
    PageDown,
    /// A page of rows up.
    PageUp,
    /// The first message.
    First,
    /// The last message.
    Last,
    /// Select every message in the list.
    SelectAll,
    /// Open the conversation the selected row is in (threaded list).
    OpenConversation,
    /// Close the conversation the selected row is in.
    CloseConversation,
    /// Open the selected message in its own window.
    OpenInWindow,
    /// Ask which folder the selected messages move to.
    MoveTo,
    /// Move the selection to Trash (or, in Trash, delete it for good after asking).
    Delete,
    /// Write a new message.
    Write,
    /// Reply to the sender and everyone else.
    ReplyAll,
    /// Reply to the sender.
    Reply,
    /// Forward the message.
    Forward,
}

/// When a shortcut works. Keys without Ctrl (letters, arrows, Enter, Delete, Escape) never act
/// while a text field has the keyboard, whatever the scope: the field needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Also while a dialog is open.
    Anywhere,
    /// When no dialog is open.
    Window,
    /// When no dialog is open and no text field has the keyboard, even with Ctrl (a text field
    /// has its own Ctrl+Z).
    List,
}

/// One action's shortcut: the keys that do it (the first is the one hints name), where it
/// works, and what the README's table says of it.
#[derive(Debug, Clone, Copy)]
pub struct Shortcut {
    /// The keys, each with its modifiers.
    pub keys: &'static [(Modifiers, Key)],
    /// Where it works.
    pub scope: Scope,
    /// What it does, in the README's words.
    pub does: &'static str,
}

/// No modifier key.
const PLAIN: Modifiers = Modifiers::NONE;
/// Ctrl (Cmd on a Mac).
const CTRL: Modifiers = Modifiers::COMMAND;
/// Shift.
const SHIFT: Modifiers = Modifiers::SHIFT;

impl KeyAction {
    /// Every action, in the order the handler tries them.
    pub const ALL: [Self; 21] = [
        Self::SyncAll,
        Self::OpenSettings,
        Self::FocusSearch,
        Self::Undo,
        Self::Escape,
        Self::Next,
        Self::Previous,
        Self::PageDown,
        Self::PageUp,
        Self::First,
        Self::Last,
        Self::SelectAll,
        Self::OpenConversation,
        Self::CloseConversation,
        Self::OpenInWindow,
        Self::MoveTo,
        Self::Delete,
        Self::Write,
        // Before Reply: a plain R would also take Shift+R.
        Self::ReplyAll,
        Self::Reply,
        Self::Forward,
    ];

    /// The one table of shortcuts: keys, scope and README text of each action.
    #[must_use]
    pub const fn shortcut(self) -> Shortcut {
        let (keys, scope, does): (&'static [(Modifiers, Key)], Scope, &'static str) = match self {
            Self::SyncAll => (&[(PLAIN, Key::F5)], Scope::Anywhere, "sync every account"),
            Self::OpenSettings => (
                &[(CTRL, Key::Comma)],
                Scope::Anywhere,
                "settings; Escape closes dialogs",
            ),
            Self::FocusSearch => (
                &[(PLAIN, Key::Slash), (CTRL, Key::F)],
                Scope::Window,
                "search",
            ),
            Self::Undo => (
                &[(CTRL, Key::Z)],
                Scope::List,
                "undo the last move, delete or restore",
            ),
            Self::Escape => (
                &[(PLAIN, Key::Escape)],
                Scope::Window,
                "close View source or the message window opened last, else clear the search",
            ),
            Self::Next => (
                &[(PLAIN, Key::ArrowDown), (PLAIN, Key::J)],
                Scope::Window,
                "next message (shown in the reader)",
            ),
            Self::Previous => (
                &[(PLAIN, Key::ArrowUp), (PLAIN, Key::K)],
                Scope::Window,
                "previous message (shown in the reader)",
            ),
            Self::PageDown => (
                &[(PLAIN, Key::PageDown)],
                Scope::Window,
                "a page of messages down (shown in the reader)",
            ),
            Self::PageUp => (
                &[(PLAIN, Key::PageUp)],
                Scope::Window,
                "a page of messages up",
            ),
            Self::First => (&[(PLAIN, Key::Home)], Scope::Window, "the first message"),
            Self::Last => (&[(PLAIN, Key::End)], Scope::Window, "the last message"),
            Self::SelectAll => (
                &[(CTRL, Key::A)],
                Scope::List,
                "select every message in the list",
            ),
            Self::OpenConversation => (
                &[(PLAIN, Key::ArrowRight)],
                Scope::Window,
                "open the selected conversation (threaded list)",
            ),
            Self::CloseConversation => (
                &[(PLAIN, Key::ArrowLeft)],
                Scope::Window,
                "close the selected conversation",
            ),
            Self::OpenInWindow => (
                &[(PLAIN, Key::Enter)],
                Scope::Window,
                "open the selected message in its own window (a draft: in a compose window)",
            ),
            Self::MoveTo => (
                &[(PLAIN, Key::M)],
                Scope::Window,
                "move the selected messages to a folder (a list of folders; Escape closes it)",
            ),
            Self::Delete => (
                &[(PLAIN, Key::Delete)],
                Scope::Window,
                "move to Trash (from Trash: delete for good, after asking)",
            ),
            Self::Write => (&[(CTRL, Key::N)], Scope::Window, "write a new message"),
            Self::ReplyAll => (
                &[(SHIFT, Key::R)],
                Scope::Window,
                "reply to the sender and everyone else (your own addresses left out)",
            ),
            Self::Reply => (
                &[(PLAIN, Key::R), (CTRL, Key::R)],
                Scope::Window,
                "reply to the sender",
            ),
            Self::Forward => (&[(PLAIN, Key::F)], Scope::Window, "forward the message"),
        };
        Shortcut { keys, scope, does }
    }
}

/// What the handler needs to know about the window this frame.
#[derive(Debug, Clone, Copy)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent facts about this frame, each read by a different key"
)]
pub struct KeyContext<'a> {
    /// A dialog or menu that takes the keyboard is open.
    pub modal_open: bool,
    /// A text field has the keyboard.
    pub typing: bool,
    /// The list shows search results.
    pub searching: bool,
    /// A message window or View source is open.
    pub window_open: bool,
    /// The message list, for the selection.
    pub list: &'a MessageList,
}

/// Turns this frame's key presses into commands (consuming the keys that act).
pub fn handle(ctx: &egui::Context, context: &KeyContext<'_>, commands: &mut Vec<UiCommand>) {
    for action in KeyAction::ALL {
        let shortcut = action.shortcut();
        let pressed = shortcut.keys.iter().any(|&(modifiers, key)| {
            allows(shortcut.scope, modifiers, context)
                && ctx.input_mut(|input| input.consume_key(modifiers, key))
        });
        if pressed && let Some(command) = action.command(context) {
            commands.push(command);
        }
    }
}

/// Whether a key with these modifiers may act, in this scope, in this state of the window.
fn allows(scope: Scope, modifiers: Modifiers, context: &KeyContext<'_>) -> bool {
    let in_dialog = context.modal_open && scope != Scope::Anywhere;
    let field_needs_it = context.typing && (!modifiers.command || scope == Scope::List);
    !in_dialog && !field_needs_it
}

impl KeyAction {
    /// The command this action asks for now, if any (no selection: nothing to delete).
    #[must_use]
    pub fn command(self, context: &KeyContext<'_>) -> Option<UiCommand> {
        let selected = || Some(context.list.selected_ids()).filter(|ids| !ids.is_empty());
        let answered = |kind| {
            context
                .list
                .single_selected()
                .map(|id| UiCommand::Answer(id, kind))
        };
        match self {
            Self::SyncAll => Some(UiCommand::SyncAll),
            Self::OpenSettings => Some(UiCommand::OpenSettings),
            Self::FocusSearch => Some(UiCommand::FocusSearch),
            Self::Undo => Some(UiCommand::Undo),
            Self::Escape if context.window_open => Some(UiCommand::CloseTopWindow),
            Self::Escape => context.searching.then_some(UiCommand::ClearSearch),
            Self::Previous => Some(UiCommand::StepSelection(-1)),
            Self::Next => Some(UiCommand::StepSelection(1)),
            Self::PageDown => Some(UiCommand::StepSelection(page(context))),
            Self::PageUp => Some(UiCommand::StepSelection(-page(context))),
            Self::First => Some(UiCommand::StepSelection(isize::MIN)),
            Self::Last => Some(UiCommand::StepSelection(isize::MAX)),
            Self::SelectAll => Some(UiCommand::SelectAll),
            Self::OpenConversation => context
                .list
                .cursor_conversation()
                .map(|_| UiCommand::OpenCursorConversation(true)),
            Self::CloseConversation => context
                .list
                .cursor_conversation()
                .map(|_| UiCommand::OpenCursorConversation(false)),
            Self::OpenInWindow => context.list.single_selected().map(UiCommand::OpenInWindow),
            Self::MoveTo => selected().map(UiCommand::ChooseFolderFor),
            Self::Delete => selected().map(UiCommand::Delete),
            Self::Write => Some(UiCommand::Write),
            Self::ReplyAll => answered(AnswerKind::ReplyAll),
            Self::Reply => answered(AnswerKind::Reply),
            Self::Forward => answered(AnswerKind::Forward),
        }
    }
}

/// Rows in one page of the list (at least one).
fn page(context: &KeyContext<'_>) -> isize {
    isize::try_from(context.list.page_rows().max(1)).unwrap_or(1)
}

/// How a key is written: `Ctrl+Z`, `F5`, `/`, `Down`, `j`.
#[must_use]
pub fn key_label(modifiers: Modifiers, key: Key) -> String {
    let name = match key {
        Key::ArrowDown | Key::ArrowUp | Key::ArrowLeft | Key::ArrowRight => key.name(),
        _ => key.symbol_or_name(),
    };
    if modifiers.command {
        format!("Ctrl+{name}")
    } else if modifiers.shift {
        format!("Shift+{name}")
    } else if name.len() == 1 {
        name.to_lowercase()
    } else {
        name.to_owned()
    }
}

/// The first key of `action`, as hints name it.
#[must_use]
pub fn key_of(action: KeyAction) -> String {
    let (modifiers, key) = action.shortcut().keys[0];
    key_label(modifiers, key)
}

/// Every key of `action`: `Down or j`.
#[must_use]
pub fn keys_of(action: KeyAction) -> String {
    let labels: Vec<String> = action
        .shortcut()
        .keys
        .iter()
        .map(|&(modifiers, key)| key_label(modifiers, key))
        .collect();
    labels.join(" or ")
}

/// The README's table of shortcuts (Markdown), from the one table.
#[must_use]
pub fn markdown_table() -> String {
    let rows = KeyAction::ALL.map(|action| {
        let keys = keys_of(action).replace('/', "`/`");
        format!("| {keys} | {} |\n", action.shortcut().does)
    });
    format!("| key | does |\n|---|---|\n{}", rows.concat())
}

/// A tooltip that ends with the action's key: `Check every account for new mail (F5)`.
#[must_use]
pub fn with_key(text: &str, action: KeyAction) -> String {
    format!("{text} ({})", key_of(action))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::MessageId;

    fn context(list: &MessageList, modal_open: bool, typing: bool) -> KeyContext<'_> {
        KeyContext {
            modal_open,
            typing,
            searching: false,
            window_open: false,
            list,
        }
    }

    #[test]
    fn no_key_does_two_things() {
        let mut keys: Vec<String> = KeyAction::ALL
            .iter()
            .flat_map(|action| action.shortcut().keys.iter())
            .map(|&(modifiers, key)| key_label(modifiers, key))
            .collect();
        let all = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), all, "{keys:?}");
    }

    #[test]
    fn keys_are_named_as_the_readme_and_the_tooltips_write_them() {
        assert_eq!(key_of(KeyAction::FocusSearch), "/");
        assert_eq!(keys_of(KeyAction::FocusSearch), "/ or Ctrl+F");
        assert_eq!(keys_of(KeyAction::Next), "Down or j");
        assert_eq!(key_of(KeyAction::OpenSettings), "Ctrl+,");
        assert_eq!(
            with_key("Check every account for new mail", KeyAction::SyncAll),
            "Check every account for new mail (F5)"
        );
    }

    #[test]
    fn the_readme_table_has_a_row_per_action_in_handler_order() {
        let table = markdown_table();
        let rows: Vec<&str> = table.lines().collect();
        assert_eq!(rows.len(), 2 + KeyAction::ALL.len());
        assert_eq!(rows[2], "| F5 | sync every account |");
        assert_eq!(rows[4], "| `/` or Ctrl+F | search |");
    }

    #[test]
    fn the_readme_shows_the_one_table() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(&markdown_table()),
            "README's Keyboard table differs from keyboard::markdown_table():\n{}",
            markdown_table()
        );
    }

    #[test]
    fn dialogs_keep_all_but_f5_and_settings_and_fields_keep_plain_keys_and_ctrl_z() {
        let list = MessageList::new();
        let free = context(&list, false, false);
        assert!(allows(Scope::List, Modifiers::COMMAND, &free));
        let dialog = context(&list, true, false);
        assert!(allows(Scope::Anywhere, Modifiers::NONE, &dialog));
        assert!(!allows(Scope::Window, Modifiers::COMMAND, &dialog));
        let typing = context(&list, false, true);
        assert!(allows(Scope::Window, Modifiers::COMMAND, &typing), "Ctrl+F");
        assert!(
            !allows(Scope::Window, Modifiers::NONE, &typing),
            "/ types a slash"
        );
        assert!(
            !allows(Scope::List, Modifiers::COMMAND, &typing),
            "Ctrl+Z edits"
        );
    }

    #[test]
    fn selection_keys_act_on_the_selection_and_escape_only_on_a_search() {
        let mut list = MessageList::new();
        list.replace(vec![MessageId(1), MessageId(2), MessageId(3)]);
        let none = context(&list, false, false);
        assert_eq!(KeyAction::Delete.command(&none), None);
        assert_eq!(KeyAction::OpenInWindow.command(&none), None);
        assert_eq!(KeyAction::Escape.command(&none), None);

        list.select_only(1);
        list.extend_to(2);
        let mut two = context(&list, false, false);
        let selected = vec![MessageId(2), MessageId(3)];
        assert_eq!(
            KeyAction::MoveTo.command(&two),
            Some(UiCommand::ChooseFolderFor(selected.clone()))
        );
        assert_eq!(
            KeyAction::Delete.command(&two),
            Some(UiCommand::Delete(selected))
        );
        assert_eq!(
            KeyAction::OpenInWindow.command(&two),
            None,
            "two are selected"
        );
        two.searching = true;
        assert_eq!(
            KeyAction::Escape.command(&two),
            Some(UiCommand::ClearSearch)
        );
        two.window_open = true;
        assert_eq!(
            KeyAction::Escape.command(&two),
            Some(UiCommand::CloseTopWindow),
            "a window closes before the search clears"
        );
        assert_eq!(
            KeyAction::Last.command(&two),
            Some(UiCommand::StepSelection(isize::MAX))
        );
        assert_eq!(
            KeyAction::SelectAll.command(&two),
            Some(UiCommand::SelectAll)
        );
    }
}
