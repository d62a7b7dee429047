//! What the window tells the user outside the panels: the notice line at the bottom, and the
//! desktop notification for new mail while the window is in the background.

use crate::errors::one_line;

/// The notice line and whether the window has the focus (for new-mail notifications).
#[derive(Debug)]
pub struct Feedback {
    notice: Option<String>,
    focused: bool,
}

impl Default for Feedback {
    fn default() -> Self {
        Self {
            notice: None,
            focused: true,
        }
    }
}

impl Feedback {
    /// Shows `text` in the notice line (replacing what was there).
    pub fn tell(&mut self, text: impl Into<String>) {
        self.notice = Some(text.into());
    }

    /// The one way a failure reaches the notice line: "Cannot {what}: {error: its causes}".
    pub fn failed(&mut self, what: &str, error: &(dyn std::error::Error + 'static)) {
        self.tell(format!("Cannot {what}: {}", one_line(error)));
    }

    /// The value of `result`, or `None` after telling why `what` failed.
    pub fn report<T, E>(&mut self, what: &str, result: Result<T, E>) -> Option<T>
    where
        E: std::error::Error + 'static,
    {
        result.map_err(|error| self.failed(what, &error)).ok()
    }

    /// The notice line's text, while there is one.
    #[must_use]
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }

    /// Records whether the window has the keyboard focus this frame.
    pub fn set_focused(&mut self, focused: bool) {
        self.focused = focused;
    }

    /// Announces `count` new messages on the desktop when `wanted` and the window is not
    /// focused (the user sees them in the window otherwise).
    pub fn new_mail(&self, count: usize, wanted: bool) {
        if wanted && !self.focused {
            crate::ui::helpers::notify::new_mail(count);
        }
    }

    /// Draws the notice line with its dismiss button, when there is a notice.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let Some(notice) = &self.notice else {
            return;
        };
        let mut dismiss = false;
        egui::Panel::bottom("notice").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.label(notice);
                dismiss = ui.small_button("✖").on_hover_text("Dismiss").clicked();
            });
        });
        if dismiss {
            self.notice = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("cannot read or write the store")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn a_failure_keeps_its_cause_chain_and_a_success_its_value() {
        let mut feedback = Feedback::default();
        let failed: Result<u8, Outer> = Err(Outer(std::io::Error::other("database is locked")));
        assert_eq!(feedback.report("move", failed), None);
        assert_eq!(
            feedback.notice(),
            Some("Cannot move: cannot read or write the store: database is locked")
        );
        assert_eq!(feedback.report("move", Ok::<u8, Outer>(3)), Some(3));
        assert!(
            feedback.notice().is_some(),
            "a success leaves the last notice alone"
        );
        feedback.tell("Moved 3 message(s).");
        assert_eq!(feedback.notice(), Some("Moved 3 message(s)."));
    }
}
