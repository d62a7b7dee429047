//! The `satchel` binary: a subcommand runs headless; without one, the app opens.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use satchel::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Logs go to stderr; `RUST_LOG=satchel=debug` shows more. Never passwords or mail content.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
                tracing_subscriber::EnvFilter::new("warn,rustls_platform_verifier=off")
            }),
        )
        .init();
    let Some(command) = &cli.command else {
        // The desktop app is not built yet: show what the command line can do.
        let _ = Cli::command().print_help();
        return ExitCode::SUCCESS;
    };
    match cli::run(&cli, command) {
        Ok(()) => ExitCode::SUCCESS,
        // `satchel search … | head` closes the pipe early: that is not a failure.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("satchel: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
