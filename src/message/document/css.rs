//! The little of an element's `style` attribute the document honours: hidden elements and
//! emphasis. Colours, fonts and sizes are the reader's (so mail reads in light and dark themes).

use super::TextStyle;

/// What a `style` attribute says that matters here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent CSS declarations, each on or off"
)]
pub(super) struct Declared {
    /// `display: none` or `visibility: hidden` (a newsletter's hidden preview text).
    pub hidden: bool,
    /// `font-weight: bold` (or 600 and more).
    pub strong: bool,
    /// `font-style: italic` / `oblique`.
    pub emphasis: bool,
    /// `text-decoration: underline`.
    pub underline: bool,
    /// `text-decoration: line-through`.
    pub strike: bool,
}

impl Declared {
    /// Reads a `style` attribute's declarations; unknown ones are ignored.
    pub(super) fn parse(style: &str) -> Self {
        let mut declared = Self::default();
        for declaration in style.split(';') {
            let Some((property, value)) = declaration.split_once(':') else {
                continue;
            };
            let property = property.trim().to_ascii_lowercase();
            let value = value
                .trim()
                .trim_end_matches("!important")
                .trim()
                .to_ascii_lowercase();
            match property.as_str() {
                "display" => declared.hidden |= value == "none",
                "visibility" => declared.hidden |= value == "hidden",
                "max-height" | "height" => {
                    declared.hidden |= matches!(value.as_str(), "0" | "0px");
                }
                "font-weight" => {
                    declared.strong |= value == "bold"
                        || value == "bolder"
                        || value.parse::<u32>().is_ok_and(|weight| weight >= 600);
                }
                "font-style" => declared.emphasis |= value == "italic" || value == "oblique",
                "text-decoration" | "text-decoration-line" => {
                    declared.underline |= value.contains("underline");
                    declared.strike |= value.contains("line-through");
                }
                _ => {}
            }
        }
        declared
    }

    /// `style` with these declarations added.
    pub(super) fn apply(self, mut style: TextStyle) -> TextStyle {
        style.strong |= self.strong;
        style.emphasis |= self.emphasis;
        style.underline |= self.underline;
        style.strike |= self.strike;
        style
    }
}

/// A `width` attribute or declaration as a share of the table, when it is a percentage.
pub(super) fn percent(width: &str) -> Option<u8> {
    let number = width.trim().strip_suffix('%')?.trim();
    let value: f32 = number.parse().ok()?;
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "clamped to 1..=100 first"
    )]
    let share = value.clamp(1.0, 100.0).round() as u8;
    Some(share)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_matters_and_ignores_the_rest() {
        let declared =
            Declared::parse("color:#333; DISPLAY : none !important;font-weight:700;bogus");
        assert!(declared.hidden && declared.strong && !declared.emphasis);
        let declared = Declared::parse("font-style: italic; text-decoration: underline overline");
        assert!(declared.emphasis && declared.underline && !declared.hidden);
        assert!(Declared::parse("max-height:0px;overflow:hidden").hidden);
        assert!(!Declared::parse("font-weight: 400").strong);
        assert_eq!(percent(" 50% "), Some(50));
        assert_eq!(percent("250%"), Some(100));
        assert_eq!(percent("600"), None);
    }
}
