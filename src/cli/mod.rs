//! Command-line interface: one file per subcommand.
