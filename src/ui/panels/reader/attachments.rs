//! The reader's attachment list: name, type, size, and Save as… / Open for each, with a
//! thumbnail for PNG, JPEG and GIF images (a click opens the image as Open does).

use std::sync::Arc;

use egui::RichText;

use super::OpenMessage;
use crate::message::{self, AttachmentInfo};
use crate::ui::command::UiCommand;
use crate::ui::helpers::{format, images};

/// Image types previewed.
const PREVIEWED: [&str; 4] = ["image/png", "image/jpeg", "image/jpg", "image/gif"];
/// Most thumbnails drawn for one message.
const MAX_PREVIEWS: usize = 24;
/// Thumbnail bounds, in points.
const THUMBNAIL: egui::Vec2 = egui::vec2(200.0, 150.0);

/// The encoded bytes of the attachments to preview (images of a previewed type and size).
pub(super) fn previewable_images(
    raw: &[u8],
    attachments: &[AttachmentInfo],
) -> Vec<(usize, Arc<[u8]>)> {
    let indices: Vec<usize> = attachments
        .iter()
        .enumerate()
        .filter(|(_, attachment)| {
            PREVIEWED.contains(&attachment.mime_type.as_str())
                && attachment.size <= images::MAX_ENCODED_BYTES
        })
        .map(|(index, _)| index)
        .take(MAX_PREVIEWS)
        .collect();
    if indices.is_empty() {
        return Vec::new();
    }
    indices
        .iter()
        .zip(message::attachments_bytes(raw, &indices))
        .filter_map(|(index, bytes)| Some((*index, Arc::from(bytes?))))
        .collect()
}

/// Lists the attachments of `open` with their buttons and thumbnails; with `formatted`, images
/// the formatted message draws in place (`cid:`, of a type and size it decodes) are left out,
/// as mail programs do. Any other part a `cid:` names (a PDF, a huge image) stays listed.
pub(super) fn show(
    ui: &mut egui::Ui,
    open: &OpenMessage,
    formatted: bool,
    commands: &mut Vec<UiCommand>,
) {
    let id = open.summary.id;
    let attachments = &open.parsed.attachments;
    let drawn_in_place = |attachment: &AttachmentInfo| {
        formatted
            && PREVIEWED.contains(&attachment.mime_type.as_str())
            && attachment.size <= images::MAX_ENCODED_BYTES
            && open.html.as_ref().is_some_and(|html| {
                attachment
                    .content_id
                    .as_deref()
                    .is_some_and(|content_id| html.draws_part(content_id))
            })
    };
    let shown: Vec<_> = attachments
        .iter()
        .enumerate()
        .filter(|(_, attachment)| !drawn_in_place(attachment))
        .collect();
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
        if let Some((_, bytes)) = open.images.iter().find(|(part, _)| *part == index) {
            let thumbnail = images::part_image(ui, images::part_uri(id, index), Arc::clone(bytes))
                .fit_to_original_size(1.0)
                .max_size(THUMBNAIL)
                .alt_text(format!("Preview of {}", attachment.name))
                .sense(egui::Sense::click());
            if ui
                .add(thumbnail)
                .on_hover_text(format!("Open {}", attachment.name))
                .clicked()
            {
                commands.push(UiCommand::OpenAttachment(id, index));
            }
        }
    }
}
