//! "View source": a message's raw bytes as text, in a window of their own.

/// A message's source while its window is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceView {
    /// The message's subject, for the title.
    pub title: String,
    /// The raw message, decoded lossily as UTF-8.
    pub text: String,
}

impl SourceView {
    /// The source of a message with this subject and these raw bytes.
    #[must_use]
    pub fn new(subject: String, raw: &[u8]) -> Self {
        Self {
            title: subject,
            text: String::from_utf8_lossy(raw).into_owned(),
        }
    }

    /// Draws the window; `open` turns false when it is closed.
    pub fn show(&self, ctx: &egui::Context, open: &mut bool) {
        egui::Window::new(format!("Source: {}", self.title))
            .open(open)
            .default_size([700.0, 500.0])
            .show(ctx, |ui| {
                egui::ScrollArea::both().show(ui, |ui| {
                    ui.add(
                        egui::TextEdit::multiline(&mut self.text.as_str())
                            .code_editor()
                            .desired_width(f32::INFINITY),
                    );
                });
            });
    }
}
