//! A real SMTP server on loopback for sending tests: aiosmtpd (Debian's `python3-aiosmtpd`)
//! run by `smtp_server.py`, with STARTTLS or implicit TLS, AUTH that requires TLS, and every
//! accepted message written to a directory exactly as it arrived.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::dovecot::{REQUIRE_ENV, free_port, make_certificate};

/// The Python that has aiosmtpd (Debian's; a pyenv shim first on PATH may not).
const PYTHONS: [&str; 2] = ["/usr/bin/python3", "python3"];

/// Which fault the server plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Accept everything.
    Normal,
    /// Read the whole message and never answer the final dot.
    StallFinal,
    /// 550 for recipients at refused.example.org.
    RefuseRcpt,
}

/// A running SMTP server; killed and its directory removed on Drop.
pub struct SmtpServer {
    dir: TempDir,
    child: Child,
    /// Its port.
    pub port: u16,
    /// SHA-256 fingerprint of its certificate, hex with colons.
    pub fingerprint: String,
}

/// One message the server accepted.
#[derive(Debug, Clone)]
pub struct Received {
    /// Bytes as received.
    pub raw: Vec<u8>,
    /// `MAIL FROM`.
    pub from: String,
    /// `RCPT TO`s.
    pub to: Vec<String>,
}

fn python_with_aiosmtpd() -> Option<&'static str> {
    PYTHONS.into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

impl SmtpServer {
    /// Starts one (`security` "starttls" or "tls"), or `None` when aiosmtpd is missing and
    /// the CI variable is unset.
    pub fn start_or_skip(security: &str, user: &str, password: &str, mode: Mode) -> Option<Self> {
        let Some(python) = python_with_aiosmtpd() else {
            assert!(
                std::env::var_os(REQUIRE_ENV).is_none(),
                "aiosmtpd is required ({REQUIRE_ENV} is set): apt-get install python3-aiosmtpd"
            );
            eprintln!("skipping: aiosmtpd is not installed");
            return None;
        };
        let dir = tempfile::tempdir().expect("temp dir");
        make_certificate(dir.path()).expect("certificate");
        let der = std::fs::read(dir.path().join("cert.der")).expect("cert.der");
        let fingerprint = satchel::pop3::Fingerprint::of_der(&der).to_string();
        let out = dir.path().join("received");
        std::fs::create_dir(&out).expect("received dir");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/smtp_server.py");
        let mode = match mode {
            Mode::Normal => "normal",
            Mode::StallFinal => "stall-final",
            Mode::RefuseRcpt => "refuse-rcpt",
        };
        for _ in 0..5 {
            let port = free_port();
            let mut child = Command::new(python)
                .arg(&script)
                .arg(port.to_string())
                .arg(security)
                .arg(dir.path().join("cert.pem"))
                .arg(dir.path().join("key.pem"))
                .args([user, password])
                .arg(&out)
                .arg(mode)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .expect("start the SMTP server");
            let stdout = child.stdout.take().expect("stdout");
            let mut first = String::new();
            let _ = BufReader::new(stdout).read_line(&mut first);
            if first.trim() == "READY" {
                return Some(Self {
                    dir,
                    child,
                    port,
                    fingerprint,
                });
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("the SMTP server did not start");
    }

    fn received_dir(&self) -> PathBuf {
        self.dir.path().join("received")
    }

    /// Messages accepted so far, in order.
    pub fn received(&self) -> Vec<Received> {
        let mut found = Vec::new();
        for n in 1.. {
            let base = self.received_dir().join(n.to_string());
            let Ok(raw) = std::fs::read(base.with_extension("eml")) else {
                break;
            };
            let envelope: serde_json::Value =
                serde_json::from_slice(&std::fs::read(base.with_extension("json")).expect("json"))
                    .expect("envelope");
            found.push(Received {
                raw,
                from: envelope["from"].as_str().unwrap_or_default().to_owned(),
                to: envelope["to"]
                    .as_array()
                    .map(|list| {
                        list.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default(),
            });
        }
        found
    }

    /// Waits (at most `timeout`) until the server stalls on a final dot.
    pub fn wait_stalled(&self, timeout: Duration) -> bool {
        let started = Instant::now();
        while started.elapsed() < timeout {
            if self.received_dir().join("stalled").exists() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
