//! Forwarded messages and delivery reports inside a message, each drawn as a framed block
//! below the body: its heading, headers, and readable text (quotes and links as in the body).

use egui::RichText;

use super::plain;
use crate::dates;
use crate::message::EmbeddedPart;
use crate::ui::command::UiCommand;

/// Indent per nesting level of a forward inside a forward.
const NESTED_INDENT: f32 = 16.0;

/// Draws `parts` in order, each nested one indented under the part holding it.
pub(super) fn show(
    ui: &mut egui::Ui,
    parts: &[EmbeddedPart],
    zone: &jiff::tz::TimeZone,
    commands: &mut Vec<UiCommand>,
) {
    for (index, part) in parts.iter().enumerate() {
        ui.add_space(8.0);
        ui.horizontal_top(|ui| {
            #[expect(clippy::cast_precision_loss, reason = "depth is at most MAX_DEPTH")]
            ui.add_space(NESTED_INDENT * part.depth.saturating_sub(1) as f32);
            ui.group(|ui| {
                ui.vertical(|ui| {
                    ui.label(RichText::new(part.kind.heading()).strong());
                    let has_headers = [&part.from, &part.to, &part.subject]
                        .iter()
                        .any(|value| !value.is_empty())
                        || part.date.is_some();
                    if has_headers {
                        headers(ui, index, part, zone);
                    }
                    if !part.text.trim().is_empty() {
                        ui.add_space(4.0);
                        plain::show(ui, &part.text, commands);
                    }
                });
            });
        });
    }
}

/// The part's From, To, Date and Subject rows (those it has).
fn headers(ui: &mut egui::Ui, index: usize, part: &EmbeddedPart, zone: &jiff::tz::TimeZone) {
    egui::Grid::new(("embedded headers", index))
        .num_columns(2)
        .spacing([8.0, 2.0])
        .show(ui, |ui| {
            let date = part
                .date
                .map(|date| dates::format_local_long(date, zone))
                .unwrap_or_default();
            for (name, value) in [
                ("From", part.from.as_str()),
                ("To", part.to.as_str()),
                ("Date", date.as_str()),
                ("Subject", part.subject.as_str()),
            ] {
                if !value.is_empty() {
                    ui.label(RichText::new(name).weak());
                    ui.label(value);
                    ui.end_row();
                }
            }
        });
}
