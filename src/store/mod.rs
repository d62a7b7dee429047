//! The SQLite store: migrations, accounts, folders, messages, search.
