//! "Delete for good?": the question asked before something irreversible (or large) happens.

use crate::model::MessageId;
use crate::wording::count_of;

/// A question the user must answer before something irreversible happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirm {
    /// Delete everything in Trash for good.
    EmptyTrash,
    /// Delete these messages (already in Trash) for good.
    DeleteForever(Vec<MessageId>),
    /// Delete a user folder and its subfolders; their messages move to Trash.
    DeleteFolder {
        /// The folder's path.
        path: String,
        /// Messages in it and its subfolders.
        messages: u64,
        /// How many subfolders go with it.
        subfolders: usize,
    },
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
            Self::DeleteFolder {
                path,
                messages,
                subfolders,
            } => {
                let with = match subfolders {
                    0 => String::new(),
                    n => format!(" and {}", count_of(*n as u64, "subfolder")),
                };
                let mail = match messages {
                    0 => "It holds no mail.".to_owned(),
                    n => format!("Its {} move to Trash.", count_of(*n, "message")),
                };
                format!("Delete the folder “{path}”{with}? {mail}")
            }
        }
    }

    /// The button that says yes.
    #[must_use]
    pub fn yes(&self) -> &'static str {
        match self {
            Self::DeleteFolder { .. } => "Delete folder",
            Self::EmptyTrash | Self::DeleteForever(_) => "Delete for good",
        }
    }

    /// Draws the question as a modal; returns the answer once given (Escape says no).
    pub fn show(&self, ctx: &egui::Context) -> Option<bool> {
        let mut answer = None;
        let modal = egui::Modal::new(egui::Id::unique("confirm")).show(ctx, |ui| {
            ui.label(self.question());
            ui.horizontal(|ui| {
                if ui.button(self.yes()).clicked() {
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
        let folder = |messages, subfolders| Confirm::DeleteFolder {
            path: "Work".to_owned(),
            messages,
            subfolders,
        };
        assert_eq!(
            folder(3, 1).question(),
            "Delete the folder “Work” and 1 subfolder? Its 3 messages move to Trash."
        );
        assert_eq!(
            folder(0, 0).question(),
            "Delete the folder “Work”? It holds no mail."
        );
        assert_eq!(folder(1, 0).yes(), "Delete folder");
    }
}
