//! The main window's panels. Each draws from what it is given and pushes
//! [`UiCommand`](super::command::UiCommand)s; none changes the store or the app itself.

pub mod folders;
pub mod list;
pub mod reader;
pub mod status;
pub mod status_bar;
pub mod topbar;
pub mod welcome;
