//! Platform paths and settings.
