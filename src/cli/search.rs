//! `satchel search QUERY [--limit N] [--json]`.

use std::io::Write;

use serde::Serialize;

use crate::dates;
use crate::message::display_subject;
use crate::store::{SearchHit, Store};

use super::terminal::safe_line;

/// Arguments of `satchel search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query; several words are joined with spaces.
    #[arg(required = true, value_name = "QUERY")]
    query: Vec<String>,
    /// Most results to show.
    #[arg(long, default_value_t = 50)]
    limit: usize,
    /// One JSON object per line.
    #[arg(long)]
    json: bool,
}

/// A hit as printed with `--json`; its `date` stays RFC 3339 in UTC (for programs, not people).
#[derive(Serialize)]
struct JsonHit<'a> {
    id: i64,
    date: String,
    from: String,
    from_name: &'a str,
    from_addr: &'a str,
    subject: &'a str,
    folder: &'a str,
    snippet: &'a str,
    size: u64,
    seen: bool,
    flagged: bool,
    has_attachments: bool,
}

pub(super) fn run(store: &Store, args: &Args) -> anyhow::Result<()> {
    let hits = store.search(&args.query.join(" "), args.limit)?;
    // One write for the whole list, not one per line (a terminal or pipe is line-buffered).
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for hit in &hits {
        if args.json {
            // JSON escapes C0 controls itself (ESC is written as \u001b).
            serde_json::to_writer(&mut out, &json_hit(hit))?;
            writeln!(out)?;
        } else {
            writeln!(
                out,
                "{:>7}  {}  {:<28}  {:<60}  {}",
                hit.id,
                dates::format_local(hit.date, store.time_zone()),
                clip(&safe_line(&hit.sender().to_string()), 28),
                clip(&safe_line(display_subject(&hit.subject)), 60),
                safe_line(&hit.folder)
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

fn json_hit(hit: &SearchHit) -> JsonHit<'_> {
    JsonHit {
        id: hit.id.0,
        date: dates::format_rfc3339(hit.date),
        from: hit.sender().to_string(),
        from_name: &hit.from_name,
        from_addr: &hit.from_addr,
        subject: &hit.subject,
        folder: &hit.folder,
        snippet: &hit.snippet,
        size: hit.size,
        seen: hit.flags.seen,
        flagged: hit.flags.flagged,
        has_attachments: hit.has_attachments,
    }
}

/// At most `width` characters, with `…` when cut.
fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_owned();
    }
    let mut clipped: String = text.chars().take(width.saturating_sub(1)).collect();
    clipped.push('…');
    clipped
}
