//! The `satchel` binary: a subcommand runs headless; without one, the app opens.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use satchel::cli::{self, Cli};
use satchel::config;

fn main() -> ExitCode {
    let started = std::time::Instant::now();
    let cli = Cli::parse();
    let Some(command) = &cli.command else {
        return run_app(&cli, started);
    };
    // Logs go to stderr; `RUST_LOG=satchel=debug` shows more. Never passwords or mail content.
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(log_colours())
        .with_env_filter(log_filter("warn"))
        .init();
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

/// Colour codes in log lines only on a terminal, and never when `NO_COLOR` is set (no-color.org).
fn log_colours() -> bool {
    std::io::stderr().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

/// `RUST_LOG` when set, else `default`. Never wanted: the platform verifier's chatter, and the
/// HTML parser's notes on each newsletter's markup ("foster parenting not implemented" once per
/// table of an imported message, thousands of lines for a mailbox).
fn log_filter(default: &str) -> tracing_subscriber::EnvFilter {
    tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new(format!(
            "{default},rustls_platform_verifier=off,html5ever=off,markup5ever=off"
        ))
    })
}

/// The desktop app. Its log goes to `satchel.log` in the platform's state directory (nobody
/// reads a GUI's stderr); never passwords or mail content.
fn run_app(cli: &Cli, started: std::time::Instant) -> ExitCode {
    let log_file = log_path().and_then(|path| {
        std::fs::create_dir_all(path.parent()?).ok()?;
        std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .ok()
    });
    let builder = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_env_filter(log_filter("warn,satchel=info"));
    match log_file {
        Some(file) => builder.with_writer(std::sync::Mutex::new(file)).init(),
        None => builder.with_writer(std::io::stderr).init(),
    }
    let result = cli
        .data_dir()
        .and_then(|dir| Ok((dir, cli.secrets()?)))
        .and_then(|(dir, secrets)| satchel::ui::run(&dir, secrets, started));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err:#}");
            eprintln!("satchel: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// `~/.local/state/satchel/satchel.log` on Linux; the data-local directory elsewhere.
fn log_path() -> Option<PathBuf> {
    let dirs = config::project_dirs()?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    Some(dir.join("satchel.log"))
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}
