//! Messages opened in windows of their own (Enter or a double click).

use crate::model::MessageId;
use crate::ui::command::UiCommand;
use crate::ui::panels::reader::OpenMessage;

/// The open message windows, oldest first; one per message.
#[derive(Debug, Default)]
pub struct MessageWindows {
    open: Vec<OpenMessage>,
}

impl MessageWindows {
    /// Opens a window on `message`, replacing one already open on it.
    pub fn open(&mut self, message: OpenMessage) {
        let id = message.summary.id;
        self.open.retain(|window| window.summary.id != id);
        self.open.push(message);
    }

    /// Closes the window opened last.
    pub fn close_newest(&mut self) {
        self.open.pop();
    }

    /// The messages with a window, oldest first.
    pub fn ids(&self) -> impl Iterator<Item = MessageId> + '_ {
        self.open.iter().map(|window| window.summary.id)
    }

    /// Draws every window; closed ones are forgotten.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        options: crate::ui::panels::reader::ReaderOptions<'_>,
        commands: &mut Vec<UiCommand>,
    ) {
        self.open.retain(|open| {
            let mut still_open = true;
            egui::Window::new(crate::message::display_subject(&open.parsed.subject))
                .id(egui::Id::unique(("message window", open.summary.id.0)))
                .open(&mut still_open)
                .default_size([640.0, 480.0])
                .show(ctx, |ui| open.show(ui, options, commands));
            still_open
        });
    }
}
