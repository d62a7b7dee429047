//! Fonts: egui's bundled ones (with monochrome emoji), a bold face for unread mail and bold
//! text in mail (egui ships none: its "strong" text is only brighter), plus the desktop's font
//! for Chinese, Japanese and Korean when there is one, so such mail is readable.

use std::sync::Arc;

use egui::{FontFamily, RichText};

/// Ubuntu Bold (Latin, Latin Extended, Greek and Cyrillic), the bold of egui's own Ubuntu
/// Light; licence in `assets/fonts/UBUNTU-FONT-LICENCE.txt`.
const UBUNTU_BOLD: &[u8] = include_bytes!("../../assets/fonts/Ubuntu-Bold.ttf");

/// The name of the bold family.
const BOLD: &str = "satchel-bold";

/// Which fonts to add to egui's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extra {
    /// The bundled bold face only (tests, and desktops without fontconfig).
    Bundled,
    /// The bundled bold face and the system's CJK font, looked up with fontconfig.
    WithSystem,
}

/// Sets egui's fonts: its defaults, a bold family (see [`bold`]) and, with
/// [`Extra::WithSystem`], the system's CJK font as the last fallback of every family. Takes effect
/// from the next frame.
pub fn install(ctx: &egui::Context, extra: Extra) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        BOLD.to_owned(),
        Arc::new(egui::FontData::from_static(UBUNTU_BOLD)),
    );
    // Glyphs the bold face lacks (CJK, emoji, symbols) come from the regular chain.
    let mut bold_chain = vec![BOLD.to_owned()];
    bold_chain.extend(
        fonts
            .families
            .get(&FontFamily::Proportional)
            .cloned()
            .unwrap_or_default(),
    );
    fonts
        .families
        .insert(FontFamily::Name(BOLD.into()), bold_chain);
    if extra == Extra::WithSystem
        && let Some(data) = system_cjk_font()
    {
        fonts.font_data.insert(
            "system-cjk".to_owned(),
            Arc::new(egui::FontData::from_owned(data)),
        );
        for chain in fonts.families.values_mut() {
            chain.push("system-cjk".to_owned());
        }
    }
    ctx.set_fonts(fonts);
}

/// `text` in bold: the bundled bold face once [`install`] has taken effect, until then egui's
/// brighter "strong" text (a family egui does not know would panic).
pub fn bold(ui: &egui::Ui, text: impl Into<RichText>) -> RichText {
    let text = text.into().strong();
    let family = FontFamily::Name(BOLD.into());
    if ui.fonts(|fonts| fonts.definitions().families.contains_key(&family)) {
        text.family(family)
    } else {
        text
    }
}

/// The bytes of the font fontconfig picks for Japanese text, if fontconfig is installed.
fn system_cjk_font() -> Option<Vec<u8>> {
    let output = std::process::Command::new("fc-match")
        .args(["--format=%{file}", ":lang=ja"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let path = String::from_utf8(output.stdout).ok()?;
    let lower = path.to_ascii_lowercase();
    // fontconfig answers with *some* font even when no CJK font exists; only take one that has it.
    let is_cjk = [
        "cjk",
        "noto sans jp",
        "ipa",
        "takao",
        "vl-gothic",
        "droid",
        "wqy",
        "source han",
    ]
    .iter()
    .any(|name| lower.contains(name));
    if !is_cjk {
        return None;
    }
    std::fs::read(path.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The width `text` takes in the first label style.
    fn width(ui: &egui::Ui, text: RichText) -> f32 {
        let galley = egui::WidgetText::from(text).into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Body,
        );
        galley.size().x
    }

    #[test]
    fn bold_is_a_heavier_face_once_installed_and_plain_strong_before() {
        let ctx = egui::Context::default();
        let mut widths = Vec::new();
        for pass in 0..2 {
            if pass == 1 {
                install(&ctx, Extra::Bundled);
            }
            let _ = ctx.run_ui(egui::RawInput::default(), |ui| {
                let regular = width(ui, RichText::new("Unread invoice for May"));
                let heavier = width(ui, bold(ui, "Unread invoice for May"));
                // Glyphs the bold face lacks still come from the regular chain.
                let _ = width(ui, bold(ui, "請求書 📎"));
                widths.push((regular, heavier));
            });
        }
        let (regular, strong) = widths[0];
        assert!(
            (regular - strong).abs() < 0.01,
            "no bold face yet: {widths:?}"
        );
        let (regular, heavier) = widths[1];
        assert!(heavier > regular * 1.05, "bold is wider: {widths:?}");
    }
}
