//! A throwaway GNU Mailutils `pop3d` on loopback, the second real server of the POP3 and sync
//! suites (Dovecot is the first).
//!
//! Installed by `.ci/run`: the libraries (`libmailutils9`, `libmu-dbm9`) as ordinary packages, the
//! server package `mailutils-pop3d` unpacked with `dpkg -x` into `/opt/satchel-ci/mailutils-pop3d`
//! because it conflicts with `dovecot-pop3d`. `SATCHEL_MAILUTILS_POP3D` may name another binary.
//!
//! Setup (measured on Mailutils 3.15, Debian 12):
//! - One temp dir holds the config, log, pid file, lock dir, certificate, passwd file and homes;
//!   `pop3d --config-file` reads nothing else; `mode daemon` with `foreground yes` keeps the master
//!   our child, so Drop can stop it.
//! - Users come from a virtual-domain passwd file `pw/localhost` (SHA-512 crypt from `openssl
//!   passwd -6`), so they log in as `user@localhost`: without a domain, Mailutils looks the domain
//!   up from the socket on fd 0, which only works under inetd.
//! - The mailbox is the Maildir `home/<user>/INBOX`.
//! - No APOP database, as in Mailutils' default set-up: the greeting still carries an APOP
//!   timestamp, but APOP always fails. CAPA lists USER and no SASL, so over TLS the automatic
//!   login is USER/PASS.
//! - Two listeners: STLS on one port, implicit TLS on the other (`GnuTLS`, our self-signed cert).
//! - `mandatory-locking` in our lock dir, so a second session gets `[IN-USE]`.
//!
//! What this server does differently from Dovecot, which the tests allow for (see `served_form`):
//! - It serves LF files with CRLF and adds a final line end.
//! - Once a session has asked for UIDLs, it serves every message that lacks one with an added
//!   `X-UIDL:` header, and writes that header into the file at QUIT; LIST counts the message
//!   without that header until then.
//! - It loses the content of a message file that has CRLF line ends, so `deliver` writes LF
//!   files, as a Unix MTA would.
//! - `TOP n k` with k > 0 sends the blank line after the header block twice.
//! - `DELE` of a message already marked deleted answers +OK (RFC 1939: -ERR).

use std::fmt::Write as _;
use std::fs;
use std::net::TcpStream;
use std::os::unix::fs::{PermissionsExt, chown};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use satchel::pop3::{AuthMethod, ConnectOptions, Credentials, Fingerprint, Security};
use tempfile::TempDir;

use super::dovecot::{REQUIRE_ENV, free_port, mail_ids, make_certificate, process_alive};

/// Env var naming a `pop3d` binary to use instead of the one `.ci/run` unpacks.
pub const BINARY_ENV: &str = "SATCHEL_MAILUTILS_POP3D";
/// Where `.ci/run` unpacks `mailutils-pop3d`.
pub const CI_BINARY: &str = "/opt/satchel-ci/mailutils-pop3d/usr/sbin/pop3d";
/// The virtual domain every test user belongs to.
pub const DOMAIN: &str = "localhost";

const START_ATTEMPTS: usize = 5;
const READY_TIMEOUT: Duration = Duration::from_secs(10);
const STOP_TIMEOUT: Duration = Duration::from_secs(10);

/// A running Mailutils `pop3d`; stopped and its directory removed on Drop.
pub struct Mailutils {
    dir: TempDir,
    child: Child,
    /// Plain POP3 port (STLS available).
    pub pop3_port: u16,
    /// Implicit-TLS POP3 port.
    pub pop3s_port: u16,
    /// SHA-256 of the server's self-signed certificate.
    pub fingerprint: Fingerprint,
    mail_uid: u32,
    mail_gid: u32,
}

/// The `pop3d` to run, if Mailutils is installed.
pub fn binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(BINARY_ENV) {
        return Some(path.into());
    }
    [CI_BINARY, "/usr/sbin/pop3d"]
        .into_iter()
        .map(PathBuf::from)
        .find(|path| is_mailutils(path))
}

fn is_mailutils(path: &Path) -> bool {
    Command::new(path)
        .arg("--version")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).contains("GNU Mailutils"))
}

/// The first line of `pop3d --version`, e.g. "pop3d (GNU Mailutils) 3.15".
pub fn version() -> Option<String> {
    let out = Command::new(binary()?).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().next().map(str::to_owned)
}

impl Mailutils {
    /// Starts `pop3d` with these `(user, password)` pairs, or returns None (after printing a SKIP
    /// line) when it is not installed and `SATCHEL_REQUIRE_DOVECOT` is unset. Panics if it
    /// cannot start.
    pub fn start_or_skip(users: &[(&str, &str)]) -> Option<Mailutils> {
        let Some(binary) = binary() else {
            assert!(
                std::env::var_os(REQUIRE_ENV).is_none(),
                "mailutils pop3d is not installed (run .ci/run or set {BINARY_ENV}) but {REQUIRE_ENV} is set"
            );
            eprintln!("SKIP: mailutils pop3d not installed (set {REQUIRE_ENV} to make this fail)");
            return None;
        };
        let mut last_error = String::new();
        for _ in 0..START_ATTEMPTS {
            match Mailutils::try_start(&binary, users) {
                Ok(server) => return Some(server),
                Err(e) => last_error = e,
            }
        }
        panic!("cannot start mailutils pop3d after {START_ATTEMPTS} attempts: {last_error}");
    }

    fn try_start(binary: &Path, users: &[(&str, &str)]) -> Result<Mailutils, String> {
        let dir = tempfile::Builder::new()
            .prefix("satchel-mailutils-")
            .tempdir()
            .map_err(|e| e.to_string())?;
        let root = dir.path().to_path_buf();
        fs::set_permissions(&root, fs::Permissions::from_mode(0o755)).map_err(|e| e.to_string())?;
        for sub in ["pw", "home", "lock"] {
            fs::create_dir(root.join(sub)).map_err(|e| e.to_string())?;
        }
        fs::set_permissions(root.join("lock"), fs::Permissions::from_mode(0o1777))
            .map_err(|e| e.to_string())?;
        let (uid, gid) = mail_ids();
        let mut passwd = String::new();
        for (user, password) in users {
            let hash = crypt_sha512(password)?;
            let home = root.join("home").join(user);
            let _ = writeln!(
                passwd,
                "{user}:{hash}:{uid}:{gid}::{}:/bin/false",
                home.display()
            );
        }
        fs::write(root.join("pw").join(DOMAIN), passwd).map_err(|e| e.to_string())?;
        make_certificate(&root)?;
        let der = fs::read(root.join("cert.der")).map_err(|e| e.to_string())?;
        let (plain_port, tls_port) = (free_port(), free_port());
        let config = root.join("pop3d.conf");
        fs::write(&config, config_text(&root, plain_port, tls_port)).map_err(|e| e.to_string())?;
        let log = fs::File::create(root.join("pop3d.log")).map_err(|e| e.to_string())?;
        let err_log = log.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(binary)
            .arg(format!("--config-file={}", config.display()))
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err_log)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        let mut server = Mailutils {
            dir,
            child,
            pop3_port: plain_port,
            pop3s_port: tls_port,
            fingerprint: Fingerprint::of_der(&der),
            mail_uid: uid,
            mail_gid: gid,
        };
        for (user, _) in users {
            server.maildir(user);
        }
        server.wait_ready()?;
        Ok(server)
    }

    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + READY_TIMEOUT;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("pop3d exited ({status}); log:\n{}", self.log()));
            }
            let both = [self.pop3_port, self.pop3s_port]
                .iter()
                .all(|port| TcpStream::connect(("127.0.0.1", *port)).is_ok());
            if both {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(format!("pop3d not listening; log:\n{}", self.log()))
    }

    /// The server log, for failure messages.
    pub fn log(&self) -> String {
        fs::read_to_string(self.dir.path().join("pop3d.log")).unwrap_or_default()
    }

    /// The name `user` logs in with: virtual-domain users are `user@localhost`.
    pub fn login_name(user: &str) -> String {
        format!("{user}@{DOMAIN}")
    }

    /// Creates (if needed) and returns `user`'s Maildir (`home/<user>/INBOX`).
    pub fn maildir(&self, user: &str) -> PathBuf {
        let home = self.dir.path().join("home").join(user);
        let maildir = home.join("INBOX");
        for sub in ["new", "cur", "tmp"] {
            fs::create_dir_all(maildir.join(sub)).expect("create maildir");
        }
        for sub in ["", "new", "cur", "tmp"] {
            let path = maildir.join(sub);
            chown(&path, Some(self.mail_uid), Some(self.mail_gid)).expect("chown maildir");
        }
        chown(&home, Some(self.mail_uid), Some(self.mail_gid)).expect("chown home");
        maildir
    }

    /// Puts one message into `user`'s `INBOX/new`, with LF line ends (see the module doc).
    pub fn deliver(&self, user: &str, name: &str, bytes: &[u8]) {
        let path = self.maildir(user).join("new").join(name);
        fs::write(&path, crlf_to_lf(bytes)).expect("write message");
        chown(&path, Some(self.mail_uid), Some(self.mail_gid)).expect("chown message");
    }

    /// Gives every message of `user` a new UIDL, as after a server migration: the `X-UIDL`
    /// headers and the UID state file go, and a new UIDVALIDITY (the clock's second) is taken.
    pub fn reset_uidls(&self, user: &str) {
        let maildir = self.maildir(user);
        let _ = fs::remove_file(maildir.join(".mu-prop"));
        for sub in ["new", "cur"] {
            for entry in fs::read_dir(maildir.join(sub)).expect("read maildir") {
                let path = entry.expect("entry").path();
                let text = fs::read(&path).expect("read message");
                let kept: Vec<u8> = text
                    .split_inclusive(|&b| b == b'\n')
                    .filter(|line| !line.starts_with(b"X-UIDL:"))
                    .flatten()
                    .copied()
                    .collect();
                fs::write(&path, kept).expect("rewrite message");
            }
        }
        // UIDVALIDITY is the time in seconds: make sure the new one differs.
        std::thread::sleep(Duration::from_millis(1100));
    }

    /// Connect options for `user` with the certificate pinned.
    pub fn options(&self, user: &str, password: &str, security: Security) -> ConnectOptions {
        let credentials = Credentials::password(Mailutils::login_name(user), password);
        let mut opts = ConnectOptions::new("localhost", credentials);
        opts.security = security;
        opts.port = match security {
            Security::ImplicitTls => self.pop3s_port,
            Security::StartTls | Security::PlainInsecure => self.pop3_port,
        };
        // The greeting offers APOP, which this set-up cannot do (like Mailutils' default): in
        // plain text name USER/PASS, or the automatic choice would try APOP (issue 9 item 14).
        if security == Security::PlainInsecure {
            opts.auth = Some(AuthMethod::UserPass);
        }
        opts.pinned_certificate = Some(self.fingerprint);
        opts.connect_timeout = Duration::from_secs(20);
        opts.idle_timeout = Duration::from_mins(1);
        opts
    }

    /// Pid of the `pop3d` master process.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The temp directory everything lives in.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// True while the master process runs.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Mailutils {
    fn drop(&mut self) {
        let pid = self.child.id();
        let _ = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + STOP_TIMEOUT;
        while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        if process_alive(pid) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// The bytes this server sends for a message delivered as `original` under `uidl`: CRLF line
/// ends, a final line end, and an `X-UIDL` header appended to the header block.
pub fn served_form(original: &[u8], uidl: &str) -> Vec<u8> {
    let mut crlf = Vec::with_capacity(original.len() + 64);
    for &byte in &crlf_to_lf(original) {
        if byte == b'\n' {
            crlf.push(b'\r');
        }
        crlf.push(byte);
    }
    if !crlf.is_empty() && !crlf.ends_with(b"\r\n") {
        crlf.extend_from_slice(b"\r\n");
    }
    let header = format!("X-UIDL: {uidl}\r\n");
    let at = if crlf.starts_with(b"\r\n") {
        0
    } else {
        crlf.windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(crlf.len(), |p| p + 2)
    };
    crlf.splice(at..at, header.into_bytes());
    crlf
}

fn crlf_to_lf(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &byte) in bytes.iter().enumerate() {
        if !(byte == b'\r' && bytes.get(i + 1) == Some(&b'\n')) {
            out.push(byte);
        }
    }
    out
}

fn crypt_sha512(password: &str) -> Result<String, String> {
    let out = Command::new("openssl")
        .args(["passwd", "-6", "-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write as _;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(password.as_bytes())?;
            child.wait_with_output()
        })
        .map_err(|e| format!("cannot run openssl passwd: {e}"))?;
    let hash = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if out.status.success() && hash.starts_with("$6$") {
        Ok(hash)
    } else {
        Err("openssl passwd -6 failed".to_owned())
    }
}

fn config_text(root: &Path, pop3: u16, pop3s: u16) -> String {
    let r = root.display();
    format!(
        "logging {{ syslog no; severity info; }};
auth {{ authentication generic; authorization virtdomain; }};
virtdomain {{ passwd-dir {r}/pw; }};
mailbox {{ mailbox-type maildir; }};
mandatory-locking {{ enable yes; lock-directory {r}/lock; }};
tls-file-checks {{ key-file none; cert-file none; ca-file none; }};
tls {{ ssl-certificate-file {r}/cert.pem; ssl-key-file {r}/key.pem; }};
tcp-wrappers {{ enable no; }};
mode daemon;
foreground yes;
pidfile {r}/pop3d.pid;
server 127.0.0.1:{pop3} {{ tls-mode stls; }};
server 127.0.0.1:{pop3s} {{ tls-mode connection; }};
"
    )
}

/// `served` without the `X-UIDL: uidl` header line `served_form` adds (unchanged if absent).
pub fn without_uidl_header(served: &[u8], uidl: &str) -> Vec<u8> {
    let header = format!("X-UIDL: {uidl}\r\n").into_bytes();
    let mut out = served.to_vec();
    let at = out
        .windows(header.len())
        .position(|w| w == header.as_slice());
    if let Some(at) = at {
        out.drain(at..at + header.len());
    }
    out
}
