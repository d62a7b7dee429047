//! `satchel compose|reply|forward|outbox|send`: writing mail and sending the Outbox.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::PathBuf;

use anyhow::{Context as _, bail};
use serde::Serialize;

use super::terminal::safe_line;
use crate::compose::{Attachment, Draft};
use crate::model::MessageId;
use crate::outbox::{self, SendReport};
use crate::secrets::Secrets;
use crate::store::{Account, Store};
use crate::writing::{self, AnswerKind};

/// Where the body comes from.
#[derive(Debug, clap::Args)]
#[group(required = true, multiple = false)]
pub struct BodySource {
    /// Read the body from this file (UTF-8 text).
    #[arg(long, value_name = "FILE")]
    body_file: Option<PathBuf>,
    /// Read the body from standard input.
    #[arg(long)]
    body_stdin: bool,
}

impl BodySource {
    fn read(&self) -> anyhow::Result<String> {
        let text = if let Some(path) = &self.body_file {
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the body from {}", path.display()))?
        } else {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("cannot read the body from standard input (is it UTF-8?)")?;
            text
        };
        Ok(text.replace("\r\n", "\n"))
    }
}

/// `satchel compose`.
#[derive(Debug, clap::Args)]
pub struct ComposeArgs {
    /// The account to send from.
    #[arg(long)]
    account: String,
    /// Recipients.
    #[arg(long, required = true, num_args = 1..)]
    to: Vec<String>,
    /// Copy to.
    #[arg(long, num_args = 1..)]
    cc: Vec<String>,
    /// Blind copy to (not shown to the others).
    #[arg(long, num_args = 1..)]
    bcc: Vec<String>,
    /// Subject.
    #[arg(long)]
    subject: String,
    /// Body.
    #[command(flatten)]
    body: BodySource,
    /// Files to attach.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    attach: Vec<PathBuf>,
}

/// `satchel reply`.
#[derive(Debug, clap::Args)]
pub struct ReplyArgs {
    /// The message answered.
    id: i64,
    /// Also to everyone else it was sent to (your own addresses left out).
    #[arg(long)]
    all: bool,
    /// The account to send from (default: the one the message came to).
    #[arg(long)]
    account: Option<String>,
    /// Your text, written above the signature and below the quote.
    #[command(flatten)]
    body: BodySource,
    /// Files to attach.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    attach: Vec<PathBuf>,
}

/// `satchel forward`.
#[derive(Debug, clap::Args)]
pub struct ForwardArgs {
    /// The message forwarded.
    id: i64,
    /// Recipients.
    #[arg(long, required = true, num_args = 1..)]
    to: Vec<String>,
    /// The account to send from (default: the one the message came to).
    #[arg(long)]
    account: Option<String>,
    /// Your text, above the forwarded message.
    #[command(flatten)]
    body: BodySource,
    /// Attach the whole message as a file instead of quoting it inline.
    #[arg(long)]
    as_attachment: bool,
}

/// `satchel outbox`.
#[derive(Debug, clap::Args)]
pub struct OutboxArgs {
    /// One JSON object per message.
    #[arg(long)]
    json: bool,
}

/// `satchel send`.
#[derive(Debug, clap::Args)]
pub struct SendArgs {
    /// Only this account's messages.
    #[arg(long)]
    account: Option<String>,
    /// One JSON object per account.
    #[arg(long)]
    json: bool,
}

fn attachments(paths: &[PathBuf]) -> anyhow::Result<Vec<Attachment>> {
    paths
        .iter()
        .map(|path| Ok(writing::read_attachment(path)?))
        .collect()
}

/// Builds `draft` for `account` and queues it; prints the new id.
fn queue(store: &mut Store, account: &Account, draft: &Draft) -> anyhow::Result<MessageId> {
    let id = writing::queue(store, account, draft, None)?;
    println!("{id}");
    if !account.settings.can_send() {
        eprintln!(
            "satchel: note: {} has no SMTP server yet; the message waits in the Outbox (account edit {} --smtp-host HOST)",
            account.name, account.name
        );
    }
    Ok(id)
}

/// `satchel compose`.
pub(super) fn compose(store: &mut Store, args: &ComposeArgs) -> anyhow::Result<()> {
    let account = store.account_by_name(&args.account)?;
    let signature = &account.settings.identity.signature;
    let mut body = args.body.read()?;
    if !signature.trim().is_empty() {
        body = format!("{}\n\n-- \n{}\n", body.trim_end(), signature.trim_end());
    }
    let draft = Draft {
        to: args.to.join(", "),
        cc: args.cc.join(", "),
        bcc: args.bcc.join(", "),
        subject: args.subject.clone(),
        body,
        attachments: attachments(&args.attach)?,
        ..Draft::default()
    };
    queue(store, &account, &draft)?;
    Ok(())
}

/// `satchel reply`.
pub(super) fn reply(store: &mut Store, args: &ReplyArgs) -> anyhow::Result<()> {
    let id = MessageId(args.id);
    let account = writing::answering_account(store, id, args.account.as_deref())?;
    let kind = if args.all {
        AnswerKind::ReplyAll
    } else {
        AnswerKind::Reply
    };
    let mut draft = writing::answer_draft(store, id, &account, kind)?;
    draft.body = format!("{}\n{}", args.body.read()?.trim_end(), draft.body);
    draft.attachments = attachments(&args.attach)?;
    queue(store, &account, &draft)?;
    Ok(())
}

/// `satchel forward`.
pub(super) fn forward(store: &mut Store, args: &ForwardArgs) -> anyhow::Result<()> {
    let id = MessageId(args.id);
    let account = writing::answering_account(store, id, args.account.as_deref())?;
    let kind = if args.as_attachment {
        AnswerKind::ForwardAsAttachment
    } else {
        AnswerKind::Forward
    };
    let mut draft = writing::answer_draft(store, id, &account, kind)?;
    draft.to = args.to.join(", ");
    draft.body = format!("{}\n{}", args.body.read()?.trim_end(), draft.body);
    queue(store, &account, &draft)?;
    Ok(())
}

#[derive(Serialize)]
struct JsonOutgoing<'a> {
    id: i64,
    account: &'a str,
    state: &'static str,
    subject: &'a str,
    recipients: &'a [String],
    attempts: u32,
    error: Option<&'a str>,
}

/// `satchel outbox`.
pub(super) fn list(store: &Store, args: &OutboxArgs) -> anyhow::Result<()> {
    let accounts = store.accounts()?;
    let name_of = |id| {
        accounts
            .iter()
            .find(|a| a.id == id)
            .map_or("?", |a| a.name.as_str())
    };
    let queued = store.outgoing(None)?;
    for message in &queued {
        let account = name_of(message.account_id);
        if args.json {
            let line = JsonOutgoing {
                id: message.message_id.0,
                account,
                state: message.state.as_storage(),
                subject: &message.subject,
                recipients: &message.envelope.recipients,
                attempts: message.attempts,
                error: message.last_error.as_deref(),
            };
            println!("{}", serde_json::to_string(&line)?);
        } else {
            println!(
                "{}\t{}\t{}\t{}\t{}",
                message.message_id,
                account,
                message.state.as_storage(),
                safe_line(&message.subject),
                safe_line(&message.envelope.recipients.join(", "))
            );
            if let Some(error) = &message.last_error {
                println!("\t{}", safe_line(error));
            }
        }
    }
    if queued.is_empty() && !args.json {
        println!("The Outbox is empty.");
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonSend<'a> {
    account: &'a str,
    ok: bool,
    sent: usize,
    refused: usize,
    still_queued: usize,
    uncertain: usize,
    error: Option<&'a str>,
}

/// Prints one account's send report.
pub(super) fn print_report(account: &str, report: &SendReport, json: bool) -> anyhow::Result<()> {
    if json {
        let line = JsonSend {
            account,
            ok: report.all_sent(),
            sent: report.sent,
            refused: report.refused,
            still_queued: report.still_queued,
            uncertain: report.uncertain,
            error: report.session_error.as_deref(),
        };
        println!("{}", serde_json::to_string(&line)?);
        return Ok(());
    }
    let mut text = format!("{account}: sent {}", report.sent);
    for (n, what) in [
        (report.refused, "refused"),
        (report.still_queued, "still in the Outbox"),
        (report.uncertain, "may have been sent (see satchel outbox)"),
    ] {
        if n > 0 {
            let _ = write!(text, ", {n} {what}");
        }
    }
    if let Some(error) = &report.session_error {
        let _ = write!(text, " ({})", safe_line(error));
    }
    println!("{text}");
    Ok(())
}

/// Sends the Outbox; `Ok(true)` when everything queued was sent.
pub(super) fn send_outbox(
    store: &mut Store,
    secrets: &Secrets,
    account: Option<&str>,
    json: bool,
) -> anyhow::Result<bool> {
    let reports = outbox::send_all_blocking(store, secrets, account)?;
    let mut all = true;
    for (name, report) in &reports {
        print_report(name, report, json)?;
        all &= report.all_sent();
    }
    Ok(all)
}

/// `satchel send`.
pub(super) fn send(store: &mut Store, secrets: &Secrets, args: &SendArgs) -> anyhow::Result<()> {
    if let Some(name) = &args.account {
        store.account_by_name(name)?;
    }
    if !send_outbox(store, secrets, args.account.as_deref(), args.json)? {
        bail!("not every message was sent; `satchel outbox` says why");
    }
    Ok(())
}
