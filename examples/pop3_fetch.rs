//! Fetch a whole POP3 mailbox with Satchel's client: connect, list, fetch all
//! pipelined, quit (no deletions). Messages go to a Maildir (`--maildir`,
//! like mpop's `delivery maildir`) or are counted and dropped.
//!
//! `POP3_PASSWORD=pw cargo run --release --example pop3_fetch -- --host localhost --port 995 --user alice --maildir /tmp/md`

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, ValueEnum};
use satchel::pop3::{
    ConnectOptions, Credentials, DiscardSink, FetchRequest, Fingerprint, MessageSink, Security,
    Session, SinkError,
};

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Mode {
    Tls,
    Starttls,
    Plain,
}

/// Command-line arguments.
#[derive(Debug, Parser)]
struct Args {
    #[arg(long, default_value = "localhost")]
    host: String,
    #[arg(long)]
    port: Option<u16>,
    #[arg(long)]
    user: String,
    /// Environment variable holding the password.
    #[arg(long, default_value = "POP3_PASSWORD")]
    password_env: String,
    #[arg(long, value_enum, default_value = "tls")]
    security: Mode,
    /// SHA-256 fingerprint of a certificate to trust for this host.
    #[arg(long)]
    fingerprint: Option<String>,
    /// Deliver into this Maildir (tmp/, fsync, rename into new/); else discard.
    #[arg(long)]
    maildir: Option<PathBuf>,
    /// Most RETR commands in flight.
    #[arg(long, default_value_t = 100)]
    window: usize,
    /// Idle timeout in seconds.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
}

/// Writes each message to `tmp/`, fsyncs it and renames it into `new/` (as mpop does).
struct MaildirSink {
    root: PathBuf,
    current: Option<(PathBuf, BufWriter<File>)>,
    counter: u64,
    bytes: u64,
}

impl MaildirSink {
    fn new(root: PathBuf) -> anyhow::Result<MaildirSink> {
        for sub in ["tmp", "new", "cur"] {
            fs::create_dir_all(root.join(sub)).context("cannot create maildir")?;
        }
        Ok(MaildirSink {
            root,
            current: None,
            counter: 0,
            bytes: 0,
        })
    }
}

impl MessageSink for MaildirSink {
    fn begin(&mut self, number: u32, _size: u64) -> Result<(), SinkError> {
        self.counter += 1;
        let name = format!("{}.{}_{}.satchel", std::process::id(), self.counter, number);
        let path = self.root.join("tmp").join(&name);
        let file = BufWriter::with_capacity(64 * 1024, File::create(&path)?);
        self.current = Some((path, file));
        Ok(())
    }

    fn chunk(&mut self, bytes: &[u8]) -> Result<(), SinkError> {
        self.bytes += bytes.len() as u64;
        match &mut self.current {
            Some((_, file)) => Ok(file.write_all(bytes)?),
            None => Err("chunk outside a message".into()),
        }
    }

    fn end(&mut self) -> Result<(), SinkError> {
        let (tmp, file) = self.current.take().ok_or("end without begin")?;
        let file = file
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        // mpop fsyncs every delivered message; do the same to compare like with like.
        file.sync_all()?;
        let name = tmp.file_name().ok_or("no file name")?;
        fs::rename(&tmp, self.root.join("new").join(name))?;
        Ok(())
    }

    fn abort(&mut self) {
        if let Some((tmp, _)) = self.current.take() {
            let _ = fs::remove_file(tmp);
        }
    }
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let password = std::env::var(&args.password_env)
        .with_context(|| format!("set {} to the password", args.password_env))?;
    let security = match args.security {
        Mode::Tls => Security::ImplicitTls,
        Mode::Starttls => Security::StartTls,
        Mode::Plain => Security::PlainInsecure,
    };
    let mut opts = ConnectOptions::new(
        args.host.clone(),
        Credentials::password(&args.user, password),
    );
    opts.security = security;
    opts.port = args.port.unwrap_or(security.default_port());
    opts.pinned_certificate = args
        .fingerprint
        .as_deref()
        .map(str::parse::<Fingerprint>)
        .transpose()?;
    opts.pipeline.max_commands = args.window;
    opts.idle_timeout = Duration::from_secs(args.timeout);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(run(opts, args.maildir))
}

async fn run(opts: ConnectOptions, maildir: Option<PathBuf>) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut session = Session::connect(&opts).await?;
    let list = session.messages().await?;
    let requests: Vec<FetchRequest> = list
        .iter()
        .map(|m| FetchRequest {
            number: m.number,
            size: m.size,
        })
        .collect();
    let (fetched, bytes) = if let Some(dir) = maildir {
        let mut sink = MaildirSink::new(dir)?;
        let report = session.fetch(&requests, &mut sink).await?;
        (report.fetched, sink.bytes)
    } else {
        let mut sink = DiscardSink::default();
        let report = session.fetch(&requests, &mut sink).await?;
        (report.fetched, sink.bytes)
    };
    session.quit().await?;
    eprintln!(
        "fetched {fetched} of {} messages, {bytes} bytes in {:.3}s",
        list.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
