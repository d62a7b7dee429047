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
