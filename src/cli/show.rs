//! `satchel show ID [--raw]`.

use std::io::Write;

use crate::dates;
use crate::message::{self, display_subject};
use crate::model::MessageId;
use crate::store::Store;

use super::terminal::{safe_body, safe_line};

/// Arguments of `satchel show`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Message id (from `satchel search`).
    id: i64,
    /// Write the exact raw bytes instead.
    #[arg(long)]
    raw: bool,
}

pub(super) fn run(store: &Store, args: &Args) -> anyhow::Result<()> {
    let id = MessageId(args.id);
    let summary = store.message(id)?;
    let raw = store.raw_message(id)?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    if args.raw {
        out.write_all(&raw)?;
        out.flush()?;
        return Ok(());
    }
    let parsed = message::parse(&raw, None);
    let folder = store
        .folders()?
        .into_iter()
        .find(|f| f.id == summary.folder_id)
        .map(|f| f.path)
        .unwrap_or_default();
    let from = summary.sender().to_string();
    writeln!(out, "From:    {}", safe_line(&from))?;
    if !summary.to.is_empty() {
        writeln!(out, "To:      {}", safe_line(&summary.to))?;
    }
    if !summary.cc.is_empty() {
        writeln!(out, "Cc:      {}", safe_line(&summary.cc))?;
    }
    writeln!(
        out,
        "Date:    {}",
        dates::format_local_with_offset(summary.date, store.time_zone())
    )?;
    writeln!(
        out,
        "Subject: {}",
        safe_line(display_subject(&summary.subject))
    )?;
    writeln!(out, "Folder:  {}", safe_line(&folder))?;
    for attachment in parsed.attachments.iter().filter(|a| a.is_attachment) {
        writeln!(
            out,
            "Attachment: {} ({}, {} bytes)",
            safe_line(&attachment.name),
            safe_line(&attachment.mime_type),
            attachment.size
        )?;
    }
    if summary.headers_only {
        writeln!(out, "(only the headers were downloaded)")?;
    }
    writeln!(out)?;
    writeln!(out, "{}", safe_body(parsed.body_text.trim_end()))?;
    Ok(())
}
