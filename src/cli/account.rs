//! `satchel account add|edit|remove|list|test`.

use std::fmt::Write as _;
use std::io::{BufRead, IsTerminal};

use anyhow::{Context as _, bail};

use crate::model::{AuthChoice, Security, SmtpAuth};
use crate::pop3::Fingerprint;
use crate::secrets::Secrets;
use crate::store::{AccountSettings, Store};
use crate::sync::explain::{FailureKind, certificate_changed_sentence};
use crate::sync::probe::{ProbeReport, probe_settings};

/// Account subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
    /// Add a POP3 account (its mail lands in its own Inbox).
    Add {
        /// Short unique name, used by `--account` and `account:` in search.
        name: String,
        /// Settings.
        #[command(flatten)]
        settings: Settings,
    },
    /// Change an account's settings (only those given).
    Edit {
        /// Account name.
        name: String,
        /// Settings to change.
        #[command(flatten)]
        settings: Settings,
    },
    /// Remove an account; its mail moves to "Removed accounts/NAME".
    Remove {
        /// Account name.
        name: String,
    },
    /// List accounts and their settings.
    List,
    /// Connect and log in, report capabilities and message count; changes nothing.
    Test {
        /// Account name.
        name: String,
        /// Read the password (or token) from standard input for this test only.
        #[arg(long)]
        password_stdin: bool,
    },
}

/// Account settings as command-line options.
#[derive(Debug, Default, clap::Args)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "one bool per command-line switch, as clap wants"
)]
pub struct Settings {
    /// Email address.
    #[arg(long)]
    email: Option<String>,
    /// Name shown in the folder tree.
    #[arg(long)]
    display_name: Option<String>,
    /// POP3 server.
    #[arg(long)]
    host: Option<String>,
    /// Port (default: 995 for tls, 110 otherwise).
    #[arg(long)]
    port: Option<u16>,
    /// Connection security.
    #[arg(long)]
    security: Option<Security>,
    /// Login name (default: the email address).
    #[arg(long)]
    username: Option<String>,
    /// Read the password (or OAuth2 token) from standard input and save it.
    #[arg(long)]
    password_stdin: bool,
    /// Authentication method.
    #[arg(long)]
    auth: Option<AuthChoice>,
    /// Trust the server certificate with this SHA-256 fingerprint (hex, colons allowed).
    #[arg(long, value_name = "SHA256")]
    trust_fingerprint: Option<String>,
    /// Leave messages on the server (the default).
    #[arg(long, conflicts_with = "remove_after_download")]
    keep_on_server: bool,
    /// Remove messages from the server right after they are stored (classic POP).
    #[arg(long)]
    remove_after_download: bool,
    /// Remove messages from the server this many days after download (0 turns it off).
    #[arg(long, value_name = "N")]
    remove_after_days: Option<u32>,
    /// Remove messages from the server once they are deleted from the local Trash.
    #[arg(long)]
    remove_when_deleted: bool,
    /// Fetch only the headers of messages larger than this (KiB; 0 turns it off).
    #[arg(long, value_name = "KB")]
    size_limit: Option<u32>,
    /// Check for new mail every this many minutes (0 turns it off).
    #[arg(long, value_name = "MINUTES")]
    check_every: Option<u32>,
    /// Largest message downloaded in full, in MiB; larger ones keep only their headers and stay
    /// on the server (0 restores the default, 256).
    #[arg(long, value_name = "MIB")]
    max_message_mb: Option<u32>,
    /// Your name in the From line of messages you write.
    #[arg(long, value_name = "NAME")]
    identity_name: Option<String>,
    /// A file whose text ends new messages, replies and forwards (below "-- ").
    #[arg(long, value_name = "FILE")]
    signature_file: Option<std::path::PathBuf>,
    /// SMTP server for sending.
    #[arg(long, value_name = "HOST")]
    smtp_host: Option<String>,
    /// SMTP port (default: 465 for tls, 587 otherwise).
    #[arg(long, value_name = "PORT")]
    smtp_port: Option<u16>,
    /// SMTP connection security (default: starttls).
    #[arg(long, value_name = "MODE")]
    smtp_security: Option<Security>,
    /// SMTP login name (default: the POP3 username).
    #[arg(long, value_name = "USER")]
    smtp_username: Option<String>,
    /// SMTP login method.
    #[arg(long, value_name = "METHOD")]
    smtp_auth: Option<SmtpAuth>,
    /// Read the SMTP password from standard input (after the POP3 one, when both are read);
    /// without it the POP3 password is used.
    #[arg(long)]
    smtp_password_stdin: bool,
    /// Trust the SMTP server's certificate with this SHA-256 fingerprint.
    #[arg(long, value_name = "SHA256")]
    smtp_trust_fingerprint: Option<String>,
}

impl Settings {
    /// Applies the given options on top of `settings`.
    fn apply(&self, settings: &mut AccountSettings) -> anyhow::Result<()> {
        let set = |target: &mut String, value: &Option<String>| {
            if let Some(value) = value {
                value.clone_into(target);
            }
        };
        set(&mut settings.email, &self.email);
        set(&mut settings.display_name, &self.display_name);
        set(&mut settings.host, &self.host);
        set(&mut settings.username, &self.username);
        if let Some(auth) = self.auth {
            settings.auth_method = auth;
        }
        if let Some(security) = self.security {
            settings.security = security;
            if self.port.is_none() {
                settings.port = security.default_port();
            }
        }
        if let Some(port) = self.port {
            if port == 0 {
                bail!("the port must be between 1 and 65535");
            }
            settings.port = port;
        }
        if let Some(text) = &self.trust_fingerprint {
            let fingerprint: Fingerprint = text.parse().map_err(|_| {
                anyhow::anyhow!(
                    "{text:?} is not a SHA-256 fingerprint (64 hex digits, colons allowed)"
                )
            })?;
            settings.pinned_fingerprint = Some(fingerprint.to_string());
        }
        if self.keep_on_server {
            settings.keep_on_server = true;
        }
        if self.remove_after_download {
            settings.keep_on_server = false;
        }
        if let Some(days) = self.remove_after_days {
            settings.remove_after_days = (days > 0).then_some(days);
        }
        if self.remove_when_deleted {
            settings.remove_when_deleted = true;
        }
        if let Some(kb) = self.size_limit {
            settings.size_limit_kb = (kb > 0).then_some(kb);
        }
        if let Some(minutes) = self.check_every {
            settings.check_every_minutes = (minutes > 0).then_some(minutes);
        }
        if let Some(mb) = self.max_message_mb {
            settings.max_message_mb = (mb > 0).then_some(mb);
        }
        if settings.username.is_empty() {
            settings.username.clone_from(&settings.email);
        }
        self.apply_sending(settings)
    }

    /// The identity and SMTP options.
    fn apply_sending(&self, settings: &mut AccountSettings) -> anyhow::Result<()> {
        if let Some(name) = &self.identity_name {
            name.trim().clone_into(&mut settings.identity.name);
        }
        if let Some(path) = &self.signature_file {
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the signature file {}", path.display()))?
                .trim_end()
                .clone_into(&mut settings.identity.signature);
        }
        let smtp = &mut settings.smtp;
        if let Some(host) = &self.smtp_host {
            host.trim().clone_into(&mut smtp.host);
        }
        if let Some(security) = self.smtp_security {
            smtp.security = security;
            if self.smtp_port.is_none() {
                smtp.port = security.default_smtp_port();
            }
        }
        if let Some(port) = self.smtp_port {
            if port == 0 {
                bail!("the SMTP port must be between 1 and 65535");
            }
            smtp.port = port;
        }
        if let Some(username) = &self.smtp_username {
            username.trim().clone_into(&mut smtp.username);
        }
        if let Some(auth) = self.smtp_auth {
            smtp.auth = auth;
        }
        if let Some(text) = &self.smtp_trust_fingerprint {
            let fingerprint: Fingerprint = text.parse().map_err(|_| {
                anyhow::anyhow!(
                    "{text:?} is not a SHA-256 fingerprint (64 hex digits, colons allowed)"
                )
            })?;
            smtp.pinned_fingerprint = Some(fingerprint.to_string());
        }
        Ok(())
    }
}

pub(super) fn run(store: &mut Store, secrets: &Secrets, command: &Command) -> anyhow::Result<()> {
    match command {
        Command::Add { name, settings } => add(store, secrets, name, settings)?,
        Command::Edit { name, settings } => {
            let mut current = store.account_by_name(name)?.settings;
            settings.apply(&mut current)?;
            store.update_account(name, &current)?;
            if settings.password_stdin {
                secrets.set(name, &read_password()?)?;
                println!("{}", secrets.describe());
            }
            if settings.smtp_password_stdin {
                secrets.set(&crate::outbox::smtp_secret_key(name), &read_password()?)?;
            }
            println!("updated account {name}");
        }
        Command::Remove { name } => {
            let moved = store.remove_account(name)?;
            secrets.remove(name)?;
            secrets.remove(&crate::outbox::smtp_secret_key(name))?;
            println!(
                "removed account {name}; its {moved} message(s) are in \"Removed accounts/{name}\""
            );
        }
        Command::List => list(store)?,
        Command::Test {
            name,
            password_stdin,
        } => test(store, secrets, name, *password_stdin)?,
    }
    Ok(())
}

/// `satchel account add`: stores the account, then its password if one was given.
fn add(
    store: &mut Store,
    secrets: &Secrets,
    name: &str,
    settings: &Settings,
) -> anyhow::Result<()> {
    let mut new = AccountSettings::default();
    settings.apply(&mut new)?;
    if new.host.is_empty() {
        bail!("--host is required");
    }
    if new.username.is_empty() {
        bail!("--username or --email is required");
    }
    store.add_account(name, &new)?;
    if settings.password_stdin {
        secrets.set(name, &read_password()?)?;
    }
    if settings.smtp_password_stdin {
        secrets.set(&crate::outbox::smtp_secret_key(name), &read_password()?)?;
    }
    println!(
        "added account {name} ({}:{}, {})",
        new.host, new.port, new.security
    );
    println!("{}", secrets.describe());
    if new.security == Security::Plain {
        println!("warning: this account sends your password and mail unencrypted");
    }
    Ok(())
}

/// `satchel account list`: one line per account with its server and what happens to its mail.
fn list(store: &Store) -> anyhow::Result<()> {
    for account in store.accounts()? {
        let s = &account.settings;
        let retention = match (s.keep_on_server, s.remove_after_days, s.remove_when_deleted) {
            (false, _, _) => "removed from server after download".to_owned(),
            (true, Some(days), _) => format!("removed from server after {days} days"),
            (true, None, true) => "removed from server when deleted locally".to_owned(),
            (true, None, false) => "kept on server".to_owned(),
        };
        println!(
            "{}  {}@{}:{} ({}, auth {})  {retention}",
            account.name, s.username, s.host, s.port, s.security, s.auth_method
        );
    }
    Ok(())
}

fn test(store: &Store, secrets: &Secrets, name: &str, password_stdin: bool) -> anyhow::Result<()> {
    let account = store.account_by_name(name)?;
    let password = password_for(secrets, name, password_stdin)?;
    let report = probe_settings(&account.settings, password).map_err(|err| match err.kind() {
        FailureKind::CertificateNotTrusted(info) if info.previously_trusted.is_some() => {
            anyhow::anyhow!(certificate_changed_sentence(&info, name))
        }
        _ => anyhow::anyhow!(err.sentence()),
    })?;
    print!("{}", describe_probe(&account.settings, &report));
    Ok(())
}

/// What `account test` prints: the connection, the login method that worked, the CAPA lines
/// as the server sent them (sanitised by the POP3 client), and the mailbox size.
fn describe_probe(settings: &AccountSettings, report: &ProbeReport) -> String {
    let mut text = format!(
        "connected to {}:{} ({})\nlogged in as {} with {}\n",
        settings.host,
        settings.port,
        if report.encrypted {
            "encrypted"
        } else {
            "NOT encrypted"
        },
        settings.username,
        report.auth_method.label()
    );
    if report.capabilities.is_empty() {
        text.push_str("capabilities: none listed\n");
    } else {
        text.push_str("capabilities (as the server lists them):\n");
        for line in &report.capabilities {
            text.push_str("  ");
            text.push_str(line);
            text.push('\n');
        }
    }
    let _ = writeln!(
        text,
        "{} message(s), {} bytes on the server; nothing was changed",
        report.messages, report.bytes
    );
    text
}

/// The saved password, or one read from standard input.
pub(super) fn password_for(
    secrets: &Secrets,
    name: &str,
    from_stdin: bool,
) -> anyhow::Result<String> {
    if from_stdin {
        return read_password();
    }
    secrets.get(name)?.with_context(|| {
        format!("no password is saved for {name}; save one with `satchel account edit {name} --password-stdin`, or pass --password-stdin")
    })
}

/// One line from standard input, without its line ending.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        eprint!("password (input is shown): ");
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        bail!("no password on standard input");
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pop3::AuthMethod;

    #[test]
    fn test_report_shows_capa_lines_as_sent_and_the_login_method() {
        let settings = AccountSettings {
            host: "pop.example".to_owned(),
            port: 110,
            username: "alice".to_owned(),
            ..AccountSettings::default()
        };
        let report = ProbeReport {
            encrypted: false,
            capabilities: vec![
                "TOP".to_owned(),
                "LOGIN-DELAY 900".to_owned(),
                "EXPIRE NEVER".to_owned(),
                "SASL PLAIN LOGIN".to_owned(),
            ],
            auth_method: AuthMethod::UserPass,
            messages: 2,
            bytes: 300,
        };
        let text = describe_probe(&settings, &report);
        assert_eq!(
            text,
            "connected to pop.example:110 (NOT encrypted)\n\
             logged in as alice with USER/PASS\n\
             capabilities (as the server lists them):\n  TOP\n  LOGIN-DELAY 900\n  \
             EXPIRE NEVER\n  SASL PLAIN LOGIN\n\
             2 message(s), 300 bytes on the server; nothing was changed\n"
        );
    }

    #[test]
    fn a_changed_certificate_names_both_fingerprints_and_the_command() {
        let mut info = crate::pop3::CertificateInfo::from_der(b"new certificate");
        let old = crate::pop3::CertificateInfo::from_der(b"old certificate").fingerprint;
        info.previously_trusted = Some(old);
        let text = certificate_changed_sentence(&info, "work");
        assert!(text.contains("changed since you trusted it"), "{text}");
        assert!(text.contains(&format!("trusted SHA-256 {old}")), "{text}");
        assert!(
            text.contains(&format!(
                "`satchel account edit work --trust-fingerprint {}`",
                info.fingerprint
            )),
            "{text}"
        );
    }
}
