//! The reader's attachment list: name, type, size, and Save as… / Open for each.

use egui::RichText;

use crate::message::AttachmentInfo;
use crate::model::MessageId;
use crate::ui::command::UiCommand;
use crate::ui::helpers::format;

/// Lists `attachments` of message `id` with their buttons.
pub(super) fn show(
    ui: &mut egui::Ui,
    id: MessageId,
    attachments: &[AttachmentInfo],
    commands: &mut Vec<UiCommand>,
) {
    let shown: Vec<_> = attachments.iter().enumerate().collect();
    if shown.is_empty() {
        return;
    }
    ui.label(RichText::new(format!("Attachments ({})", shown.len())).strong());
    for (index, attachment) in shown {
        ui.horizontal(|ui| {
            ui.label(format!(
                "📎 {}  ·  {}  ·  {}",
                attachment.name,
                attachment.mime_type,
                format::size(attachment.size)
            ));
            if ui
                .button("Save as…")
                .on_hover_text(format!("Save {}", attachment.name))
                .clicked()
            {
                commands.push(UiCommand::SaveAttachment(id, index));
            }
            if ui
                .button("Open")
                .on_hover_text(format!(
                    "Open {} with the system's application",
                    attachment.name
                ))
                .clicked()
            {
                commands.push(UiCommand::OpenAttachment(id, index));
            }
        });
    }
}
