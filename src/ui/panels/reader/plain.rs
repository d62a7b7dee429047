//! Plain body text: quoted lines drawn by depth (a coloured bar per level, as Thunderbird does),
//! links that open the system browser only when clicked, and a menu to copy them.

use egui::{Color32, RichText};

use super::highlight::{self, Needle};
use super::quotes::{QuoteBlock, quote_blocks};
use crate::ui::command::UiCommand;
use crate::ui::helpers::links::{Segment, segments};

/// Horizontal room each quote level takes, and the width of its bar.
const LEVEL_WIDTH: f32 = 10.0;
const BAR_WIDTH: f32 = 3.0;

/// Whether plain text is drawn in a monospace font, as the settings say. The app sets it each
/// frame in egui's memory, so every reader (the pane and message windows) follows the setting.
pub fn set_monospace(ctx: &egui::Context, monospace: bool) {
    ctx.data_mut(|data| data.insert_temp(monospace_id(), monospace));
}

fn monospace(ctx: &egui::Context) -> bool {
    ctx.data(|data| data.get_temp(monospace_id()).unwrap_or(false))
}

fn monospace_id() -> egui::Id {
    egui::Id::unique("satchel plain text in monospace")
}

/// The body text; links are buttons that open the system browser when clicked.
pub(super) fn show(ui: &mut egui::Ui, text: &str, commands: &mut Vec<UiCommand>) {
    if text.trim().is_empty() {
        ui.label(RichText::new("(this message has no text)").weak());
        return;
    }
    let monospace = monospace(ui.ctx());
    let needles = highlight::current(ui.ctx());
    ui.vertical(|ui| {
        // Blocks touch, so the bars of one quote level run on through the deeper ones.
        ui.spacing_mut().item_spacing.y = 0.0;
        for block in quote_blocks(text) {
            show_block(ui, &block, monospace, &needles, commands);
        }
    });
}

/// The colour of quote level `level` (1 = quoted once), readable on light and dark backgrounds.
#[must_use]
pub fn quote_color(level: usize, dark: bool) -> Color32 {
    const LIGHT: [Color32; 4] = [
        Color32::from_rgb(0x1f, 0x5f, 0xbf),
        Color32::from_rgb(0x2e, 0x7d, 0x32),
        Color32::from_rgb(0xa0, 0x4a, 0x00),
        Color32::from_rgb(0x7b, 0x1f, 0xa2),
    ];
    const DARK: [Color32; 4] = [
        Color32::from_rgb(0x7a, 0xb0, 0xff),
        Color32::from_rgb(0x81, 0xc7, 0x84),
        Color32::from_rgb(0xff, 0xb7, 0x4d),
        Color32::from_rgb(0xce, 0x93, 0xd8),
    ];
    let palette = if dark { DARK } else { LIGHT };
    palette[level.saturating_sub(1) % palette.len()]
}

fn show_block(
    ui: &mut egui::Ui,
    block: &QuoteBlock<'_>,
    monospace: bool,
    needles: &[Needle],
    commands: &mut Vec<UiCommand>,
) {
    let dark = ui.visuals().dark_mode;
    let color = (block.depth > 0).then(|| quote_color(block.depth, dark));
    let styled = |text: &str| {
        let mut rich = RichText::new(text);
        if monospace {
            rich = rich.monospace();
        }
        if let Some(color) = color {
            rich = rich.color(color);
        }
        rich
    };
    #[expect(
        clippy::cast_precision_loss,
        reason = "depth is at most MAX_QUOTE_DEPTH"
    )]
    let indent = LEVEL_WIDTH * block.depth as f32;
    let response = ui
        .horizontal(|ui| {
            ui.add_space(indent);
            ui.horizontal_wrapped(|ui| {
                ui.spacing_mut().item_spacing.x = 0.0;
                for segment in segments(&block.text) {
                    match segment {
                        Segment::Text(plain) => {
                            for (run, matched) in highlight::runs(plain, needles) {
                                let rich = styled(run);
                                ui.label(if matched {
                                    highlight::mark(ui, rich)
                                } else {
                                    rich
                                });
                            }
                        }
                        Segment::Link(link) => link_button(ui, link, styled(link), commands),
                    }
                }
            });
        })
        .response;
    let rect = response.rect;
    for level in 1..=block.depth {
        #[expect(
            clippy::cast_precision_loss,
            reason = "depth is at most MAX_QUOTE_DEPTH"
        )]
        let left = rect.left() + LEVEL_WIDTH * (level - 1) as f32;
        let bar = egui::Rect::from_min_max(
            egui::pos2(left, rect.top()),
            egui::pos2(left + BAR_WIDTH, rect.bottom()),
        );
        ui.painter().rect_filled(bar, 1.0, quote_color(level, dark));
    }
}

/// A link: a click opens it, hovering shows its target, right-click offers Copy link / Open link.
fn link_button(ui: &mut egui::Ui, link: &str, text: RichText, commands: &mut Vec<UiCommand>) {
    let response = ui
        .link(text)
        .on_hover_text(format!("Open {link} in your browser"));
    if response.clicked() {
        commands.push(UiCommand::OpenLink(link.to_owned()));
    }
    response.context_menu(|ui| {
        if ui.button("Copy link").clicked() {
            ui.ctx().copy_text(link.to_owned());
            ui.close();
        }
        if ui.button("Open link").clicked() {
            commands.push(UiCommand::OpenLink(link.to_owned()));
            ui.close();
        }
    });
}
