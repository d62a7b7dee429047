//! What the window needs beside its panels: plain functions and data tested without a window,
//! and [`images`], the bounded image loader the reader and the HTML view share.

pub mod file_dialogs;
pub mod filename;
pub mod format;
pub mod images;
pub mod links;
pub mod notify;
pub mod opener;
pub mod presets;
pub mod samples;
