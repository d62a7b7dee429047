//! "Delete for good?": the question asked before something irreversible happens.

use crate::model::MessageId;

/// A question the user must answer before something irreversible happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Delete everything in Trash for good.
    EmptyTrash,
    /// Delete these messages (already in Trash) for good.
    DeleteForever(Vec<MessageId>),
}

impl Confirm {
    /// The question, in the user's words.
    #[must_use]
    pub fn question(&self) -> String {
        match self {
            Self::EmptyTrash => "Empty the Trash? Its messages are deleted for good.".to_owned(),
            Self::DeleteForever(ids) => {
                format!("Delete {} message(s) from Trash for good?", ids.len())
            }
        }
    }

    /// Draws the question as a modal; returns the answer once given (Escape says no).
    pub fn show(&self, ctx: &egui::Context) -> Option<bool> {
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::unique("confirm")).show(ctx, |ui| {
            ui.label(self.question());
            ui.horizontal(|ui| {
                if ui.button("Delete for good").clicked() {
                    answer = Some(true);
                }
                if ui.button("Cancel").clicked() {
                    answer = Some(false);
                }
            });
        });
        if answer.is_none() && modal.should_close() {
            answer = Some(false);
        }
        answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_question_counts_the_messages() {
        let ids = vec![MessageId(1), MessageId(2)];
        assert_eq!(
            Confirm::DeleteForever(ids).question(),
            "Delete 2 message(s) from Trash for good?"
        );
        assert!(
            Confirm::EmptyTrash
                .question()
                .starts_with("Empty the Trash?")
        );
    }
}
