//! The people mail was exchanged with, for completing addresses as they are typed.

use super::Store;
use super::error::Result;

/// Addresses seen in the store, most used first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Correspondents {
    /// Senders of stored mail: display name and address, the most frequent first.
    pub senders: Vec<(String, String)>,
    /// The `To` and `Cc` lists of sent mail, newest first, as stored (`Name <addr>, addr`).
    pub written_to: Vec<String>,
}

impl Store {
    /// Up to `limit` senders and `limit` recipient lists of sent mail.
    ///
    /// # Errors
    /// When SQLite fails.
    pub fn correspondents(&self, limit: usize) -> Result<Correspondents> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut senders = self.conn.prepare_cached(
            "SELECT from_name, from_addr FROM messages WHERE from_addr <> ''
             GROUP BY lower(from_addr) ORDER BY COUNT(*) DESC, MAX(date) DESC LIMIT ?1",
        )?;
        let senders = senders
            .query_map([limit], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut sent = self.conn.prepare_cached(
            "SELECT m.to_addrs, m.cc_addrs FROM messages m
                 JOIN folder_roles r ON r.folder_id = m.folder_id AND r.role IN ('sent', 'outbox')
             ORDER BY m.date DESC LIMIT ?1",
        )?;
        let mut written_to = Vec::new();
        for lists in sent.query_map([limit], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })? {
            let (to, cc) = lists?;
            written_to.extend([to, cc].into_iter().filter(|list| !list.is_empty()));
        }
        Ok(Correspondents {
            senders,
            written_to,
        })
    }
}
