//! From the form's fields, as typed, to account settings, or to a sentence under each field
//! that is wrong. Every field is checked, so all errors show at once, in the form's order.

use super::{AccountForm, Field, FormAction};
use crate::store::{AccountSettings, Identity, SmtpSettings};

/// One invalid field and what is wrong with it.
pub(super) type FieldError = (Field, String);

/// The server part of the settings, checked.
#[derive(Debug, PartialEq, Eq)]
struct Server<'a> {
    host: &'a str,
    port: u16,
    username: &'a str,
}

/// What the account does on the server and how often it is checked, checked.
#[derive(Debug, PartialEq, Eq)]
struct Policies {
    remove_after_days: Option<u32>,
    size_limit_kb: Option<u32>,
    check_every_minutes: Option<u32>,
}

impl AccountForm {
    /// Checks every field; on success returns the account name and its settings.
    ///
    /// # Errors
    /// Each invalid field with a sentence saying what is wrong.
    pub fn validate(&self) -> Result<(String, AccountSettings), Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = noted(&mut errors, account_name(&self.name, &self.email));
        let email = noted(&mut errors, email_address(&self.email));
        let server = self.server(&mut errors);
        let policies = self.policies(&mut errors);
        let smtp = self.outgoing(&mut errors);
        let (Some(name), Some(email), Some(server), Some(policies), Some(smtp)) =
            (name, email, server, policies, smtp)
        else {
            return Err(errors);
        };
        let mut settings = self.settings(email, &server, &policies);
        settings.smtp = smtp;
        Ok((name, settings))
    }

    /// Validates for Save/Test: keeps the errors on screen, or returns the action.
    pub(super) fn checked(&mut self, action: FormAction) -> Option<FormAction> {
        match self.validate() {
            Ok(_) => {
                self.errors.clear();
                Some(action)
            }
            Err(errors) => {
                self.errors = errors;
                None
            }
        }
    }

    /// Host, port and username; `None` when any of them is wrong (all are checked).
    fn server(&self, errors: &mut Vec<FieldError>) -> Option<Server<'_>> {
        let host = noted(errors, server_host(&self.host));
        let port = noted(errors, server_port(&self.port));
        let username = noted(errors, login_name(&self.username));
        Some(Server {
            host: host?,
            port: port?,
            username: username?,
        })
    }

    /// The outgoing server: none at all, or a host and a port (both checked).
    fn outgoing(&self, errors: &mut Vec<FieldError>) -> Option<SmtpSettings> {
        let host = self.smtp.host.trim();
        if host.is_empty() {
            return Some(SmtpSettings {
                host: String::new(),
                username: self.smtp.username.trim().to_owned(),
                ..self.smtp.clone()
            });
        }
        let host = if host.contains(char::is_whitespace) {
            errors.push((Field::SmtpHost, "A server name has no spaces.".to_owned()));
            None
        } else {
            Some(host)
        };
        let port = match server_port(&self.smtp_port) {
            Ok(port) => Some(port),
            Err((_, why)) => {
                errors.push((Field::SmtpPort, why));
                None
            }
        };
        Some(SmtpSettings {
            host: host?.to_owned(),
            port: port?,
            username: self.smtp.username.trim().to_owned(),
            ..self.smtp.clone()
        })
    }

    /// The three optional numbers; `None` when any of them is wrong (all are checked).
    fn policies(&self, errors: &mut Vec<FieldError>) -> Option<Policies> {
        let remove_after_days = noted(
            errors,
            optional_number(
                &self.remove_after_days,
                "Days before removing from the server",
            ),
        );
        let size_limit_kb = noted(
            errors,
            optional_number(&self.size_limit_kb, "The size limit"),
        );
        let check_every_minutes = noted(
            errors,
            optional_number(&self.check_every_minutes, "Minutes between checks"),
        );
        Some(Policies {
            remove_after_days: remove_after_days?,
            size_limit_kb: size_limit_kb?,
            check_every_minutes: check_every_minutes?,
        })
    }

    /// The settings from checked parts and the fields that cannot be wrong.
    fn settings(&self, email: &str, server: &Server<'_>, policies: &Policies) -> AccountSettings {
        AccountSettings {
            display_name: self.display_name.trim().to_owned(),
            email: email.to_owned(),
            host: server.host.to_owned(),
            port: server.port,
            security: self.security,
            username: server.username.to_owned(),
            auth_method: self.auth_method,
            pinned_fingerprint: self.pinned_fingerprint.clone(),
            keep_on_server: self.keep_on_server,
            remove_after_days: policies.remove_after_days,
            remove_when_deleted: self.remove_when_deleted,
            size_limit_kb: policies.size_limit_kb,
            check_every_minutes: policies.check_every_minutes,
            max_message_mb: self.max_message_mb,
            identity: Identity {
                name: self.identity.name.trim().to_owned(),
                signature: self.identity.signature.clone(),
            },
            smtp: SmtpSettings::default(),
        }
    }
}

/// The value when it is valid; otherwise `None`, with its error added to `errors`.
fn noted<T>(errors: &mut Vec<FieldError>, checked: Result<T, FieldError>) -> Option<T> {
    checked.map_err(|error| errors.push(error)).ok()
}

/// The account's name: as typed, or the email address when left empty.
pub(super) fn account_name(name: &str, email: &str) -> Result<String, FieldError> {
    let name = if name.trim().is_empty() {
        email.trim()
    } else {
        name.trim()
    };
    if name.is_empty() {
        Err((
            Field::Name,
            "Give the account a name or an email address.".to_owned(),
        ))
    } else if name.contains('/') || name.chars().any(char::is_control) {
        Err((
            Field::Name,
            "The account name cannot contain “/”.".to_owned(),
        ))
    } else {
        Ok(name.to_owned())
    }
}

/// The email address, trimmed; it may be empty.
pub(super) fn email_address(email: &str) -> Result<&str, FieldError> {
    let email = email.trim();
    if !email.is_empty() && !email.contains('@') {
        return Err((Field::Email, "An email address has an “@”.".to_owned()));
    }
    Ok(email)
}

/// The server's host name, trimmed.
pub(super) fn server_host(host: &str) -> Result<&str, FieldError> {
    let host = host.trim();
    if host.is_empty() {
        Err((
            Field::Host,
            "Enter the POP3 server, e.g. pop.example.org.".to_owned(),
        ))
    } else if host.contains(char::is_whitespace) {
        Err((Field::Host, "A server name has no spaces.".to_owned()))
    } else {
        Ok(host)
    }
}

/// The port, from 1 to 65535.
pub(super) fn server_port(port: &str) -> Result<u16, FieldError> {
    match port.trim().parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err((
            Field::Port,
            "The port is a number from 1 to 65535.".to_owned(),
        )),
    }
}

/// The login name, trimmed; it cannot be empty.
pub(super) fn login_name(username: &str) -> Result<&str, FieldError> {
    let username = username.trim();
    if username.is_empty() {
        return Err((
            Field::Username,
            "Enter the username (often the email address).".to_owned(),
        ));
    }
    Ok(username)
}

/// A whole number above 0, or `None` when left empty; `what` names it in the error.
pub(super) fn optional_number(text: &str, what: &str) -> Result<Option<u32>, FieldError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<u32>() {
        Ok(value) if value > 0 => Ok(Some(value)),
        _ => Err((
            Field::Number,
            format!("{what} must be a whole number above 0."),
        )),
    }
}
