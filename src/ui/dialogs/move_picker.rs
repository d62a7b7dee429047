//! "Move to folder" from the keyboard (M): the folders as buttons; Tab/Enter or a click picks
//! one, Escape closes.

use crate::model::{FolderId, MessageId};
use crate::store::Folder;

/// The picker while it is open: which messages move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovePicker {
    /// The messages to move.
    pub messages: Vec<MessageId>,
}

/// What the user chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveChoice {
    /// Move to this folder.
    To(FolderId),
    /// Close without moving.
    Cancel,
}

impl MovePicker {
    /// Draws the picker as a modal; returns the choice once one is made.
    pub fn show(&self, ctx: &egui::Context, folders: &[Folder]) -> Option<MoveChoice> {
        let mut choice = None;
        let modal = egui::Modal::new(egui::Id::unique("move picker")).show(ctx, |ui| {
            ui.heading(format!("Move {} message(s) to", self.messages.len()));
            egui::ScrollArea::vertical()
                .max_height(360.0)
                .show(ui, |ui| {
                    for (index, folder) in folders.iter().enumerate() {
                        let button = ui.button(&folder.path);
                        if index == 0 && !ui.ctx().memory(|memory| memory.focused().is_some()) {
                            button.request_focus();
                        }
                        if button.clicked() {
                            choice = Some(MoveChoice::To(folder.id));
                        }
                    }
                });
            if ui.button("Cancel").clicked() {
                choice = Some(MoveChoice::Cancel);
            }
        });
        if choice.is_none() && modal.should_close() {
            choice = Some(MoveChoice::Cancel);
        }
        choice
    }
}
