//! Pieces both mpop comparisons share: mpop's configuration, Maildirs, `/usr/bin/time -v`
//! output, and a login round trip to show the latency proxy's delay.

use std::fs;
use std::path::Path;
use std::time::{Duration, Instant};

use satchel::pop3::{Security, Session};

use super::dovecot::Dovecot;

/// Peak RSS from `/usr/bin/time -v` output, in KiB (0 when absent).
pub fn max_rss_kb(time_output: &str) -> u64 {
    time_output
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0)
}

/// Messages delivered into a Maildir's `new/`.
pub fn count_files(dir: &Path) -> usize {
    fs::read_dir(dir.join("new")).map_or(0, Iterator::count)
}

/// An empty Maildir (mpop wants tmp/, new/ and cur/ to exist).
pub fn fresh_maildir(path: &Path) {
    let _ = fs::remove_dir_all(path);
    for sub in ["tmp", "new", "cur"] {
        fs::create_dir_all(path.join(sub)).expect("create maildir");
    }
}

/// Where mpop connects and delivers.
pub struct MpopAccount<'a> {
    pub port: u16,
    pub user: &'a str,
    pub password: &'a str,
    pub cert: &'a Path,
    pub maildir: &'a Path,
    pub uidls: &'a Path,
    /// `only_new on`: fetch only UIDLs not seen before (like a re-sync).
    pub only_new: bool,
}

/// Writes an mpoprc (mode 0600, as mpop requires) for `account` at `rc`.
pub fn write_mpoprc(rc: &Path, account: &MpopAccount<'_>) {
    let text = format!(
        "defaults\nkeep on\nonly_new {only_new}\nuidls_file {uidls}\n\n\
         account bench\nhost localhost\nport {port}\ntls on\ntls_starttls off\n\
         tls_trust_file {cert}\nauth plain\nuser {user}\npassword {password}\n\
         delivery maildir {maildir}\n",
        only_new = if account.only_new { "on" } else { "off" },
        uidls = account.uidls.display(),
        port = account.port,
        cert = account.cert.display(),
        user = account.user,
        password = account.password,
        maildir = account.maildir.display(),
    );
    fs::write(rc, text).expect("write mpoprc");
    let mut perms = fs::metadata(rc).expect("stat rc").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o600);
    fs::set_permissions(rc, perms).expect("chmod rc");
}

/// Time for one connect, login and quit with the library, to show the proxy's delay.
pub fn login_round_trip(server: &Dovecot, user: &str, password: &str, port: u16) -> Duration {
    let mut opts = server.options(user, password, Security::ImplicitTls);
    opts.port = port;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    runtime.block_on(async {
        let session = Session::connect(&opts).await.expect("connect");
        session.quit().await.expect("quit");
    });
    started.elapsed()
}
