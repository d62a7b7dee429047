//! Dialogs: each a struct that owns its state and draws itself while open.

pub mod account_form;
pub mod certificate;
pub mod move_picker;
pub mod settings;
