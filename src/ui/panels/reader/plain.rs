//! Plain body text, with links that open the system browser only when clicked.

use egui::RichText;

use crate::ui::command::UiCommand;
use crate::ui::helpers::links::{Segment, segments};

/// The body text; links are buttons that open the system browser when clicked.
pub(super) fn show(ui: &mut egui::Ui, text: &str, commands: &mut Vec<UiCommand>) {
    if text.trim().is_empty() {
        ui.label(RichText::new("(this message has no text)").weak());
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        for segment in segments(text) {
            match segment {
                Segment::Text(plain) => {
                    ui.label(plain);
                }
                Segment::Link(link) => {
                    if ui
                        .link(link)
                        .on_hover_text("Open in your browser")
                        .clicked()
                    {
                        commands.push(UiCommand::OpenLink(link.to_owned()));
                    }
                }
            }
        }
    });
}
