//! Messages the user wrote, as the reader shows them: a draft offers Edit; an Outbox message
//! says where it stands and why, with what can be done about it.

use egui::RichText;

use crate::model::{FolderKind, MessageId, OutgoingState};
use crate::store::{Outgoing, Store, StoreError};
use crate::ui::command::{OutboxAction, UiCommand};

/// What the user wrote and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    /// A draft, in Drafts.
    Draft,
    /// Waiting in the Outbox.
    Outbox(Outgoing),
}

/// Whether message `id` (in `folder`) is a draft or in the Outbox.
///
/// # Errors
/// When the store cannot be read.
pub fn load(
    store: &Store,
    id: MessageId,
    folder: crate::model::FolderId,
) -> Result<Option<Written>, StoreError> {
    if store.role_folder(FolderKind::Drafts)? == Some(folder) {
        return Ok(Some(Written::Draft));
    }
    if store.role_folder(FolderKind::Outbox)? == Some(folder) {
        return match store.outgoing_message(id) {
            Ok(outgoing) => Ok(Some(Written::Outbox(outgoing))),
            Err(StoreError::NoSuchMessage(_)) => Ok(None),
            Err(err) => Err(err),
        };
    }
    Ok(None)
}

/// What the state means, in the user's words.
fn explain(state: OutgoingState) -> &'static str {
    match state {
        OutgoingState::Queued => {
            "Waiting in the Outbox: it is sent on the next sync, and as soon as a server can be reached."
        }
        OutgoingState::Sending => "Being sent now.",
        OutgoingState::Uncertain => {
            "It may have been sent: the whole message went out, but the server's answer never came. \
             Look in the recipient's mail or your provider's Sent folder, then choose."
        }
        OutgoingState::Failed => "The server refused it; it will not be sent again by itself.",
    }
}

/// The banner above the message: where it stands and the buttons that act on it.
pub fn show(ui: &mut egui::Ui, written: &Written, id: MessageId, commands: &mut Vec<UiCommand>) {
    ui.group(|ui| match written {
        Written::Draft => {
            ui.horizontal(|ui| {
                ui.label("This is a draft.");
                if ui.button("✏ Edit").clicked() {
                    commands.push(UiCommand::EditDraft(id));
                }
            });
        }
        Written::Outbox(outgoing) => {
            ui.label(RichText::new(explain(outgoing.state)).strong());
            if let Some(why) = &outgoing.last_error {
                ui.label(format!("Last try: {why}"));
            }
            ui.horizontal(|ui| match outgoing.state {
                OutgoingState::Sending => {}
                OutgoingState::Uncertain => {
                    if ui
                        .button("It was sent")
                        .on_hover_text("Move it to Sent without sending it again")
                        .clicked()
                    {
                        commands.push(UiCommand::Outbox(id, OutboxAction::MarkSent));
                    }
                    if ui
                        .button("Send again")
                        .on_hover_text("The recipients may get it twice")
                        .clicked()
                    {
                        commands.push(UiCommand::Outbox(id, OutboxAction::SendNow));
                    }
                    if ui.button("✏ Edit").clicked() {
                        commands.push(UiCommand::Outbox(id, OutboxAction::Edit));
                    }
                }
                OutgoingState::Queued | OutgoingState::Failed => {
                    let send = if outgoing.state == OutgoingState::Failed {
                        "Retry"
                    } else {
                        "Send now"
                    };
                    if ui.button(send).clicked() {
                        commands.push(UiCommand::Outbox(id, OutboxAction::SendNow));
                    }
                    if ui
                        .button("✏ Edit")
                        .on_hover_text("Take it out of the Outbox and open it to change it")
                        .clicked()
                    {
                        commands.push(UiCommand::Outbox(id, OutboxAction::Edit));
                    }
                }
            });
        }
    });
}
