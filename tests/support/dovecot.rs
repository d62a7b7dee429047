//! A throwaway Dovecot POP3 server on loopback, for integration tests.
//!
//! ```ignore
//! let Some(server) = Dovecot::start_or_skip(&[("alice", "pw")]) else { return };
//! server.deliver("alice", "1", b"Subject: hi\r\n\r\nbody\r\n");
//! let opts = server.options("alice", "pw", Security::ImplicitTls);
//! ```
//!
//! Setup that works in the root sandbox (measured on Dovecot 2.3.19):
//! - Everything (config, `base_dir`, `state_dir`, log, passwd-file, cert, homes)
//!   lives in one temp dir, made world-traversable so the mail user can reach it.
//! - The Debian package's `dovecot`/`dovenull` users serve as internal/login
//!   users; mail runs as `nobody` (uid/gid 65534) when we are root, else as us.
//! - `chroot =` for pop3-login and anvil (the temp dir is no chroot jail).
//! - `disable_plaintext_auth = no` so USER/PASS works on the plain port, and
//!   `auth_mechanisms = plain login apop`; the passwd-file stores `{PLAIN}`
//!   passwords, which APOP needs, so Dovecot's greeting carries a timestamp.
//! - `pop3_lock_session = yes` so a second session gets `[IN-USE]`;
//!   `auth_failure_delay = 0` so wrong-password tests do not sleep.
//! - Self-signed EC certificate from the `openssl` CLI (CN and SAN localhost,
//!   IP 127.0.0.1); Debian's dovecot-core pulls in openssl.
//! - Ports: two free ports found by binding 127.0.0.1:0; retried on a clash.
//! - Stopped on Drop with `doveadm stop`, then SIGTERM/SIGKILL by pid if needed.

use std::fmt::Write as _;
use std::fs;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::{MetadataExt, PermissionsExt, chown};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use satchel::pop3::{ConnectOptions, Credentials, Fingerprint, Security};
use tempfile::TempDir;

/// Env var that turns "dovecot missing" from a skip into a failure.
pub const REQUIRE_ENV: &str = "SATCHEL_REQUIRE_DOVECOT";

const START_ATTEMPTS: usize = 5;
const READY_TIMEOUT: Duration = Duration::from_secs(10);
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// A running Dovecot; stopped and its directory removed on Drop.
pub struct Dovecot {
    dir: TempDir,
    config: PathBuf,
    pid: Option<u32>,
    /// Plain POP3 port (STLS available).
    pub pop3_port: u16,
    /// Implicit-TLS POP3 port.
    pub pop3s_port: u16,
    /// SHA-256 of the server's self-signed certificate.
    pub fingerprint: Fingerprint,
    mail_uid: u32,
    mail_gid: u32,
}

/// Finds `name` on PATH or in /usr/sbin, /usr/bin.
pub fn find_binary(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin".into(), "/usr/bin".into()])
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// A port on 127.0.0.1 that was free a moment ago.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
    listener.local_addr().expect("local addr").port()
}

/// Runs `cmd` to completion. Output goes to a file, not a pipe: a daemon
/// child would hold a pipe open and `output()` would wait forever.
pub fn run(cmd: &mut Command, log: &Path) -> Result<(), String> {
    let file = fs::File::create(log).map_err(|e| e.to_string())?;
    let err_file = file.try_clone().map_err(|e| e.to_string())?;
    let status = cmd
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(err_file)
        .status()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        let text = fs::read_to_string(log).unwrap_or_default();
        Err(format!("{cmd:?} failed: {text}"))
    }
}

impl Dovecot {
    /// Starts Dovecot with these `(user, password)` pairs, or returns None
    /// (after printing a SKIP line) when dovecot is not installed and
    /// `SATCHEL_REQUIRE_DOVECOT` is unset. Panics if it cannot start.
    pub fn start_or_skip(users: &[(&str, &str)]) -> Option<Dovecot> {
        if find_binary("dovecot").is_none() {
            assert!(
                std::env::var_os(REQUIRE_ENV).is_none(),
                "dovecot is not installed but {REQUIRE_ENV} is set"
            );
            eprintln!("SKIP: dovecot not installed (set {REQUIRE_ENV} to make this fail)");
            return None;
        }
        let mut last_error = String::new();
        for _ in 0..START_ATTEMPTS {
            match Dovecot::try_start(users) {
                Ok(server) => return Some(server),
                Err(e) => last_error = e,
            }
        }
        panic!("cannot start dovecot after {START_ATTEMPTS} attempts: {last_error}");
    }

    fn try_start(users: &[(&str, &str)]) -> Result<Dovecot, String> {
        let dir = tempfile::Builder::new()
            .prefix("satchel-dovecot-")
            .tempdir()
            .map_err(|e| e.to_string())?;
        let root = dir.path().to_path_buf();
        fs::set_permissions(&root, fs::Permissions::from_mode(0o755)).map_err(|e| e.to_string())?;
        for sub in ["run", "state", "home"] {
            fs::create_dir(root.join(sub)).map_err(|e| e.to_string())?;
        }
        let (uid, gid) = mail_ids();
        let passwd = users.iter().fold(String::new(), |mut lines, (user, pass)| {
            let _ = writeln!(lines, "{user}:{{PLAIN}}{pass}");
            lines
        });
        fs::write(root.join("passwd"), passwd).map_err(|e| e.to_string())?;
        make_certificate(&root)?;
        let der = fs::read(root.join("cert.der")).map_err(|e| e.to_string())?;
        let plain_port = free_port();
        let tls_port = free_port();
        let config = root.join("dovecot.conf");
        let text = config_text(&root, plain_port, tls_port, uid, gid);
        fs::write(&config, text).map_err(|e| e.to_string())?;
        let mut server = Dovecot {
            dir,
            config,
            pid: None,
            pop3_port: plain_port,
            pop3s_port: tls_port,
            fingerprint: Fingerprint::of_der(&der),
            mail_uid: uid,
            mail_gid: gid,
        };
        for (user, _) in users {
            server.maildir(user);
        }
        run(
            Command::new("dovecot").arg("-c").arg(&server.config),
            &root.join("start.log"),
        )?;
        server.wait_ready()?;
        Ok(server)
    }

    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + READY_TIMEOUT;
        let pid_file = self.dir.path().join("run/master.pid");
        while Instant::now() < deadline {
            // The master writes its pid file a moment after daemonizing.
            if self.pid.is_none() {
                let text = fs::read_to_string(&pid_file).unwrap_or_default();
                self.pid = text.trim().parse().ok();
            }
            let both = [self.pop3_port, self.pop3s_port]
                .iter()
                .all(|port| TcpStream::connect(("127.0.0.1", *port)).is_ok());
            if both && self.pid.is_some() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(format!("dovecot not listening; log:\n{}", self.log()))
    }

    /// The server log, for failure messages.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }

    /// Creates (if needed) and returns `user`'s Maildir.
    pub fn maildir(&self, user: &str) -> PathBuf {
        let home = self.dir.path().join("home").join(user);
        let maildir = home.join("Maildir");
        for sub in ["new", "cur", "tmp"] {
            fs::create_dir_all(maildir.join(sub)).expect("create maildir");
        }
        for path in [
            &home,
            &maildir,
            &maildir.join("new"),
            &maildir.join("cur"),
            &maildir.join("tmp"),
        ] {
            chown(path, Some(self.mail_uid), Some(self.mail_gid)).expect("chown maildir");
        }
        maildir
    }

    /// Puts one message file into `user`'s `Maildir/new` (as Dovecot would
    /// receive it: the file holds LF or CRLF text; Dovecot serves CRLF).
    pub fn deliver(&self, user: &str, name: &str, bytes: &[u8]) {
        // Written in tmp/ and renamed into new/, as a delivery agent does, so a session that is
        // still open never reads half a message.
        let maildir = self.maildir(user);
        let written = maildir.join("tmp").join(name);
        fs::write(&written, bytes).expect("write message");
        chown(&written, Some(self.mail_uid), Some(self.mail_gid)).expect("chown message");
        fs::rename(&written, maildir.join("new").join(name)).expect("deliver message");
    }

    /// Gives every message of `user` a new UIDL, as after a server migration: Dovecot's UID
    /// list and indexes are replaced by an empty list of another UIDVALIDITY, so every message
    /// gets a new UID.
    pub fn reset_uidls(&self, user: &str) {
        let maildir = self.maildir(user);
        for entry in fs::read_dir(&maildir).expect("maildir") {
            let path = entry.expect("entry").path();
            if path
                .file_name()
                .is_some_and(|name| name.to_string_lossy().starts_with("dovecot"))
            {
                let _ = fs::remove_file(&path);
            }
        }
        let uidlist = maildir.join("dovecot-uidlist");
        fs::write(&uidlist, b"3 V12345 N1\n").expect("uidlist");
        chown(&uidlist, Some(self.mail_uid), Some(self.mail_gid)).expect("chown uidlist");
    }

    /// Connect options for `user` with the certificate pinned.
    pub fn options(&self, user: &str, password: &str, security: Security) -> ConnectOptions {
        let mut opts = ConnectOptions::new("localhost", Credentials::password(user, password));
        opts.security = security;
        opts.port = match security {
            Security::ImplicitTls => self.pop3s_port,
            Security::StartTls | Security::PlainInsecure => self.pop3_port,
        };
        opts.pinned_certificate = Some(self.fingerprint);
        opts.connect_timeout = Duration::from_secs(20);
        opts.idle_timeout = Duration::from_mins(1);
        opts
    }

    /// Pid of the Dovecot master process, if it could be read.
    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// The temp directory everything lives in.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Disconnects every session of `user` (`doveadm kick`), releasing its mailbox lock.
    pub fn kick(&self, user: &str) {
        let _ = Command::new("doveadm")
            .arg("-c")
            .arg(&self.config)
            .args(["kick", user])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }

    /// True while the master process exists and is not a zombie.
    pub fn running(&self) -> bool {
        self.pid.is_some_and(process_alive)
    }
}

impl Drop for Dovecot {
    fn drop(&mut self) {
        let _ = Command::new("doveadm")
            .arg("-c")
            .arg(&self.config)
            .arg("stop")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + STOP_TIMEOUT;
        let mut signal = "-TERM";
        while self.running() {
            if Instant::now() > deadline {
                if signal == "-KILL" {
                    break;
                }
                signal = "-KILL";
            }
            if let Some(pid) = self.pid {
                let _ = Command::new("kill")
                    .arg(signal)
                    .arg(pid.to_string())
                    .stderr(Stdio::null())
                    .status();
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// True when `pid` exists and is not a zombie (an unreaped zombie is harmless).
pub fn process_alive(pid: u32) -> bool {
    match fs::read_to_string(format!("/proc/{pid}/stat")) {
        // The state letter follows the parenthesised command name.
        Ok(stat) => stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| !rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

/// The uid/gid mail runs as: `nobody` when we are root, else ourselves.
pub fn mail_ids() -> (u32, u32) {
    let me = fs::metadata("/proc/self").expect("stat /proc/self");
    if me.uid() == 0 {
        (65534, 65534)
    } else {
        (me.uid(), me.gid())
    }
}

/// Writes a self-signed localhost certificate to `root`: cert.pem, key.pem, cert.der.
pub fn make_certificate(root: &Path) -> Result<(), String> {
    let log = root.join("openssl.log");
    run(
        Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
            ])
            .args([
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost/O=Satchel Test",
            ])
            .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
            .arg("-keyout")
            .arg(root.join("key.pem"))
            .arg("-out")
            .arg(root.join("cert.pem")),
        &log,
    )?;
    run(
        Command::new("openssl")
            .args(["x509", "-outform", "DER", "-in"])
            .arg(root.join("cert.pem"))
            .arg("-out")
            .arg(root.join("cert.der")),
        &log,
    )
}

fn config_text(root: &Path, pop3: u16, pop3s: u16, uid: u32, gid: u32) -> String {
    let r = root.display();
    format!(
        "protocols = pop3
listen = 127.0.0.1
base_dir = {r}/run
state_dir = {r}/state
log_path = {r}/dovecot.log
ssl = yes
ssl_cert = <{r}/cert.pem
ssl_key = <{r}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login apop
auth_failure_delay = 0
pop3_lock_session = yes
passdb {{
  driver = passwd-file
  args = {r}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={r}/home/%u
}}
mail_location = maildir:~/Maildir
first_valid_uid = 1
first_valid_gid = 1
service pop3-login {{
  chroot =
  inet_listener pop3 {{
    port = {pop3}
  }}
  inet_listener pop3s {{
    port = {pop3s}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"
    )
}

/// Settings for user `alice` on a test Dovecot at `localhost:port` over TLS, its certificate pinned.
pub fn dovecot_settings(tls_port: u16, fingerprint: String) -> satchel::store::AccountSettings {
    satchel::store::AccountSettings {
        host: "localhost".to_owned(),
        port: tls_port,
        security: satchel::model::Security::Tls,
        username: "alice".to_owned(),
        pinned_fingerprint: Some(fingerprint),
        ..satchel::store::AccountSettings::default()
    }
}
