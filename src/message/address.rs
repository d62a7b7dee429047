//! Formatting of parsed address headers.

use std::fmt::Write as _;

use mail_parser::Address;

/// The first sender's display name and address.
pub(super) fn first_sender(address: &Address<'_>) -> (String, String) {
    address.first().map_or_else(Default::default, |sender| {
        (
            sender.name().unwrap_or_default().trim().to_owned(),
            sender.address().unwrap_or_default().trim().to_owned(),
        )
    })
}

/// All addresses as `Name <addr>, addr, …`.
pub(super) fn format_list(address: &Address<'_>) -> String {
    let mut formatted = String::new();
    for entry in address.iter() {
        if !formatted.is_empty() {
            formatted.push_str(", ");
        }
        match (entry.name(), entry.address()) {
            (Some(name), Some(addr)) if !name.trim().is_empty() => {
                let _ = write!(formatted, "{} <{addr}>", name.trim());
            }
            (_, Some(addr)) => formatted.push_str(addr),
            (Some(name), None) => formatted.push_str(name.trim()),
            (None, None) => {}
        }
    }
    formatted
}

/// One address of a header, decoded: display name (may be empty) and address.
pub type NamedAddress = (String, String);

/// The address headers an answer is addressed from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressHeaders {
    /// `From`.
    pub from: Vec<NamedAddress>,
    /// `Reply-To`.
    pub reply_to: Vec<NamedAddress>,
    /// `To`.
    pub to: Vec<NamedAddress>,
    /// `Cc`.
    pub cc: Vec<NamedAddress>,
    /// `Bcc` (only in messages written here).
    pub bcc: Vec<NamedAddress>,
    /// `X-Satchel-Draft-To` / `-Cc` / `-Bcc` as written (field, raw value): recipients of a
    /// draft kept as typed.
    pub typed: Vec<(String, String)>,
}

fn entries(address: Option<&Address<'_>>) -> Vec<NamedAddress> {
    address.map_or_else(Vec::new, |address| {
        address
            .iter()
            .filter_map(|entry| {
                let addr = entry.address()?.trim().to_owned();
                (!addr.is_empty())
                    .then(|| (entry.name().unwrap_or_default().trim().to_owned(), addr))
            })
            .collect()
    })
}

/// Reads the address headers of `raw`, entry by entry (names decoded); empty lists when the
/// message cannot be parsed.
#[must_use]
pub fn address_headers(raw: &[u8]) -> AddressHeaders {
    std::panic::catch_unwind(|| {
        let message = mail_parser::MessageParser::default().parse_headers(raw)?;
        let typed = ["To", "Cc", "Bcc"]
            .into_iter()
            .filter_map(|field| {
                let name = format!("X-Satchel-Draft-{field}");
                let text = message.header_raw(name.as_str())?.trim().to_owned();
                Some((field.to_owned(), text))
            })
            .collect();
        Some(AddressHeaders {
            from: entries(message.from()),
            reply_to: entries(message.reply_to()),
            to: entries(message.to()),
            cc: entries(message.cc()),
            bcc: entries(message.bcc()),
            typed,
        })
    })
    .ok()
    .flatten()
    .unwrap_or_default()
}
