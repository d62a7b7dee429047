//! Drawing a compose window: From, To / Cc / Bcc with completion, Subject, the body, the
//! attachments and the buttons.

use egui::text::{CCursor, CCursorRange};
use egui::{Id, Key, Modifiers, RichText};

use super::complete::{accept, suggestions};
use super::{ComposeAction, ComposeWindow, FirstFocus, Note};
use crate::compose::Mailbox;
use crate::store::Account;
use crate::ui::helpers::format;

/// The address fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AddressField {
    To,
    Cc,
    Bcc,
}

impl AddressField {
    const fn label(self) -> &'static str {
        match self {
            Self::To => "To",
            Self::Cc => "Cc",
            Self::Bcc => "Bcc",
        }
    }

    fn text(self, window: &mut ComposeWindow) -> &mut String {
        match self {
            Self::To => &mut window.draft.to,
            Self::Cc => &mut window.draft.cc,
            Self::Bcc => &mut window.draft.bcc,
        }
    }
}

fn field_id(window: &ComposeWindow, what: &str) -> Id {
    Id::unique(("compose", window.key.0, what))
}

/// Draws `window`; returns what the user asked for and whether they used the window this
/// frame (typed in it or clicked it).
pub(super) fn show(
    ctx: &egui::Context,
    window: &mut ComposeWindow,
    accounts: &[Account],
    book: &[Mailbox],
    now: f64,
) -> (Option<ComposeAction>, bool) {
    let mut open = true;
    let mut action = None;
    let mut used = false;
    let ids: Vec<Id> = ["To", "Cc", "Bcc", "Subject", "body"]
        .iter()
        .map(|what| field_id(window, what))
        .collect();
    let typing_here = ctx
        .memory(egui::Memory::focused)
        .is_some_and(|focused| ids.contains(&focused));
    give_first_focus(ctx, window, typing_here);
    // Ctrl+Enter sends, as in Thunderbird; taken before the body sees the Enter.
    if typing_here && ctx.input_mut(|input| input.consume_key(Modifiers::COMMAND, Key::Enter)) {
        action = Some(ComposeAction::Send);
    }
    let shown = egui::Window::new(window.title())
        .id(Id::unique(("compose window", window.key.0)))
        .open(&mut open)
        .default_size([640.0, 520.0])
        .resizable(true)
        .show(ctx, |ui| {
            let mut changed = from_row(ui, window, accounts);
            egui::Grid::new(("compose fields", window.key.0))
                .num_columns(2)
                .spacing([8.0, 4.0])
                .show(ui, |ui| {
                    changed |= address_row(ui, window, AddressField::To, book);
                    if window.show_copies {
                        changed |= address_row(ui, window, AddressField::Cc, book);
                        changed |= address_row(ui, window, AddressField::Bcc, book);
                    }
                    let label = ui.label("Subject");
                    let subject_id = field_id(window, "Subject");
                    changed |= ui
                        .add(
                            egui::TextEdit::singleline(&mut window.draft.subject)
                                .id(subject_id)
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id)
                        .changed();
                    ui.end_row();
                });
            if !window.show_copies
                && ui
                    .small_button("Cc / Bcc")
                    .on_hover_text("Show the Cc and Bcc fields")
                    .clicked()
            {
                window.show_copies = true;
            }
            ui.add_space(4.0);
            changed |= attachments_row(ui, window);
            if let Some(asked) = buttons(ui, window) {
                action = Some(asked);
            }
            ui.separator();
            let label = ui.label(RichText::new("Message").weak());
            let body_id = field_id(window, "body");
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| {
                    changed |= ui
                        .add(
                            egui::TextEdit::multiline(&mut window.draft.body)
                                .id(body_id)
                                .font(egui::TextStyle::Monospace)
                                .desired_rows(16)
                                .desired_width(f32::INFINITY),
                        )
                        .labelled_by(label.id)
                        .changed();
                });
            if changed {
                window.changed(now);
            }
            changed
        });
    if let Some(shown) = &shown {
        let clicked_in =
            shown.response.contains_pointer() && ctx.input(|input| input.pointer.any_pressed());
        used = typing_here || clicked_in || shown.inner == Some(true);
    }
    if !open {
        action = Some(ComposeAction::Close);
    }
    (action, used)
}

/// Gives the keyboard to the field the window opens on.
fn give_first_focus(ctx: &egui::Context, window: &mut ComposeWindow, typing_here: bool) {
    // Asked for until it holds: a window's first frame only measures itself, and focus
    // given then is lost. Once any of its fields has the keyboard, the user leads.
    window.focus_tries = window.focus_tries.saturating_sub(1);
    if typing_here || window.focus_tries == 0 {
        window.first_focus = None;
    } else if let Some(first) = window.first_focus {
        let (id, at) = match first {
            FirstFocus::To => (field_id(window, "To"), None),
            FirstFocus::BodyStart => (field_id(window, "body"), Some(0)),
        };
        ctx.memory_mut(|memory| memory.request_focus(id));
        if let Some(at) = at {
            let mut state = egui::TextEdit::load_state(ctx, id).unwrap_or_default();
            state
                .cursor
                .set_char_range(Some(CCursorRange::one(CCursor::new(at))));
            state.store(ctx, id);
        }
    }
}

/// From: the account's identity; a choice when there are several accounts. Returns whether it
/// changed.
fn from_row(ui: &mut egui::Ui, window: &mut ComposeWindow, accounts: &[Account]) -> bool {
    let describe = |account: &Account| {
        let mailbox = crate::writing::sender(account);
        format!("{mailbox} ({})", account.name)
    };
    let before = window.account;
    ui.horizontal(|ui| {
        let label = ui.label("From");
        let current = accounts
            .iter()
            .find(|a| a.id == window.account)
            .map_or_else(|| "(no account)".to_owned(), describe);
        if accounts.len() > 1 {
            egui::ComboBox::from_id_salt(("compose from", window.key.0))
                .selected_text(current)
                .show_ui(ui, |ui| {
                    for account in accounts {
                        ui.selectable_value(&mut window.account, account.id, describe(account));
                    }
                })
                .response
                .labelled_by(label.id);
        } else {
            ui.label(current);
        }
    });
    if let Some(account) = accounts.iter().find(|a| a.id == window.account)
        && !account.settings.can_send()
    {
        ui.label(
            RichText::new(format!(
                "{} has no outgoing (SMTP) server yet: mail waits in the Outbox until one is \
                 set in Settings.",
                account.name
            ))
            .weak(),
        );
    }
    window.account != before
}

/// One address row, with the completions of what is typed last. Returns whether it changed.
fn address_row(
    ui: &mut egui::Ui,
    window: &mut ComposeWindow,
    field: AddressField,
    book: &[Mailbox],
) -> bool {
    let id = field_id(window, field.label());
    let label = ui.label(field.label());
    let response = ui
        .add(
            egui::TextEdit::singleline(field.text(window))
                .id(id)
                .hint_text(if field == AddressField::To {
                    "name@example.org, …"
                } else {
                    ""
                })
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    let mut changed = response.changed();
    ui.end_row();
    // Shown while the field has the keyboard, and in the frame its focus goes to a click
    // on a suggestion.
    let completing = response.has_focus() || response.lost_focus();
    if !completing {
        return changed;
    }
    let offered: Vec<Mailbox> = suggestions(field.text(window), book)
        .into_iter()
        .cloned()
        .collect();
    if offered.is_empty() {
        return changed;
    }
    let enter = response.lost_focus() && ui.input(|input| input.key_pressed(Key::Enter));
    let mut chosen = enter.then(|| offered[0].clone());
    ui.label("");
    ui.horizontal_wrapped(|ui| {
        for mailbox in &offered {
            if ui
                .button(mailbox.to_string())
                .on_hover_text("Add this address (Enter adds the first)")
                .clicked()
            {
                chosen = Some(mailbox.clone());
            }
        }
    });
    ui.end_row();
    if let Some(mailbox) = chosen {
        let text = field.text(window);
        *text = accept(text, &mailbox);
        let end = text.chars().count();
        changed = true;
        ui.memory_mut(|memory| memory.request_focus(id));
        if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), id) {
            state
                .cursor
                .set_char_range(Some(CCursorRange::one(CCursor::new(end))));
            state.store(ui.ctx(), id);
        }
    }
    changed
}

/// The attached files, each with a button that removes it. Returns whether one was removed.
fn attachments_row(ui: &mut egui::Ui, window: &mut ComposeWindow) -> bool {
    if window.draft.attachments.is_empty() {
        return false;
    }
    let mut remove = None;
    ui.horizontal_wrapped(|ui| {
        ui.label("Attached:");
        for (at, file) in window.draft.attachments.iter().enumerate() {
            ui.label(format!(
                "📎 {} ({})",
                file.name,
                format::size(file.bytes.len() as u64)
            ));
            if ui
                .small_button("✕")
                .on_hover_text(format!("Remove {}", file.name))
                .clicked()
            {
                remove = Some(at);
            }
        }
    });
    if let Some(at) = remove {
        window.draft.attachments.remove(at);
        return true;
    }
    false
}

/// Send, Attach, Save draft and Discard, and the note of the last save or problem.
fn buttons(ui: &mut egui::Ui, window: &ComposeWindow) -> Option<ComposeAction> {
    let mut action = None;
    ui.horizontal(|ui| {
        if ui
            .button(RichText::new("📤 Send").strong())
            .on_hover_text("Put it in the Outbox and send it now, or as soon as a server can be reached (Ctrl+Enter)")
            .clicked()
        {
            action = Some(ComposeAction::Send);
        }
        if ui
            .button("📎 Attach…")
            .on_hover_text("Choose files to attach (or drop them on the window)")
            .clicked()
        {
            action = Some(ComposeAction::Attach);
        }
        if ui
            .button("Save draft")
            .on_hover_text("Drafts are also saved by themselves a few seconds after each change")
            .clicked()
        {
            action = Some(ComposeAction::SaveDraft);
        }
        if ui
            .button("Discard")
            .on_hover_text("Close it and move its draft to Trash (Undo brings it back)")
            .clicked()
        {
            action = Some(ComposeAction::Discard);
        }
        match &window.note {
            Some(Note::Saved(at)) => {
                ui.label(RichText::new(format!("Draft saved at {at}")).weak());
            }
            Some(Note::Problem(why)) => {
                ui.colored_label(ui.visuals().warn_fg_color, why);
            }
            None => {}
        }
    });
    action
}
