//! Fonts: egui's bundled ones (with monochrome emoji), plus the desktop's font for Chinese,
//! Japanese and Korean when there is one, so such mail is readable.

use std::sync::Arc;

/// Adds the system's CJK font (found by fontconfig) as a fallback after egui's own fonts.
pub fn install(ctx: &egui::Context) {
    let Some(data) = system_cjk_font() else {
        return;
    };
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "system-cjk".to_owned(),
        Arc::new(egui::FontData::from_owned(data)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .push("system-cjk".to_owned());
    }
    ctx.set_fonts(fonts);
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
