//! What the window needs that never touches egui: each is plain functions and data, tested
//! without a window.

pub mod filename;
pub mod format;
pub mod links;
pub mod notify;
pub mod presets;
pub mod samples;
