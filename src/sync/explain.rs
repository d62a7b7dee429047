//! What went wrong, in words a user understands, and what kind of problem it is (so the GUI can
//! open the password field, or the certificate dialog).

use super::error::SyncError;
pub use crate::pop3::CertificateInfo;
use crate::pop3::Pop3Error;
use crate::store::StoreError;

/// The kinds of sync failure a person can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FailureKind {
    /// The server refused the username or password.
    WrongPassword,
    /// The server's certificate is not trusted; it can be pinned by fingerprint.
    CertificateNotTrusted(Box<CertificateInfo>),
    /// Another program has the mailbox open.
    MailboxInUse,
    /// The server could not be reached.
    Unreachable,
    /// The server stopped answering.
    Timeout,
    /// The disk is full; nothing was deleted on the server.
    DiskFull,
    /// The account settings are incomplete or wrong.
    Settings,
    /// The network runtime could not start: a problem of this computer, not of the account.
    Runtime,
    /// Anything else.
    Other,
}

impl SyncError {
    /// The kind of failure.
    #[must_use]
    pub fn kind(&self) -> FailureKind {
        match self {
            Self::Pop3(Pop3Error::AuthFailed { .. } | Pop3Error::CredentialsMismatch { .. }) => {
                FailureKind::WrongPassword
            }
            Self::Pop3(
                Pop3Error::UntrustedCertificate { certificate, .. }
                | Pop3Error::CertificateChanged { certificate, .. },
            ) => FailureKind::CertificateNotTrusted(certificate.clone()),
            Self::Pop3(Pop3Error::MailboxInUse { .. }) => FailureKind::MailboxInUse,
            Self::Pop3(Pop3Error::Connect { .. }) => FailureKind::Unreachable,
            Self::Pop3(
                Pop3Error::ConnectTimeout { .. }
                | Pop3Error::ReadTimeout { .. }
                | Pop3Error::WriteTimeout { .. },
            ) => FailureKind::Timeout,
            Self::Store(StoreError::DiskFull(_)) => FailureKind::DiskFull,
            Self::Pop3(Pop3Error::Sink { source, .. }) if is_disk_full(source.as_ref()) => {
                FailureKind::DiskFull
            }
            Self::Settings(_) | Self::NoPassword(_) => FailureKind::Settings,
            Self::Runtime(_) => FailureKind::Runtime,
            _ => FailureKind::Other,
        }
    }

    /// One plain sentence for a banner or a terminal.
    #[must_use]
    pub fn sentence(&self) -> String {
        self.sentence_for("NAME")
    }

    /// [`SyncError::sentence`] for the account called `account` (named in the command that
    /// trusts a changed certificate).
    #[must_use]
    pub fn sentence_for(&self, account: &str) -> String {
        match self.kind() {
            FailureKind::WrongPassword => {
                "The server did not accept the username or password.".to_owned()
            }
            FailureKind::CertificateNotTrusted(info) if info.previously_trusted.is_some() => {
                certificate_changed_sentence(&info, account)
            }
            FailureKind::CertificateNotTrusted(info) => format!(
                "The server's certificate is not trusted (subject {}, issued by {}, valid {} to {}, SHA-256 {}).",
                info.subject, info.issuer, info.not_before, info.not_after, info.fingerprint
            ),
            FailureKind::MailboxInUse => {
                "The mailbox is in use by another mail program; try again when it has finished."
                    .to_owned()
            }
            FailureKind::Unreachable => {
                "The server could not be reached; check the server name and your connection."
                    .to_owned()
            }
            FailureKind::Timeout => "The server stopped answering.".to_owned(),
            FailureKind::DiskFull => {
                "The disk is full: nothing more was stored and nothing was deleted from the server."
                    .to_owned()
            }
            FailureKind::Settings | FailureKind::Runtime | FailureKind::Other => {
                crate::errors::one_line(self)
            }
        }
    }

    /// What the user is told about this failure of the account called `account`.
    #[must_use]
    pub fn failure_for(&self, account: &str) -> SyncFailure {
        SyncFailure {
            kind: self.kind(),
            sentence: self.sentence_for(account),
            detail: self.detail(),
        }
    }

    /// What exactly happened, for a banner's Details: the error and its causes in one line,
    /// with the server's reply (already sanitised by the POP3 client) or the system's error.
    #[must_use]
    pub fn detail(&self) -> String {
        crate::errors::one_line(self)
            .chars()
            .filter(|c| !c.is_control())
            .collect()
    }
}

/// A failed sync, fetch or connection test as the user is told it: what kind of problem (so
/// the GUI can offer the fix) and one plain sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncFailure {
    /// What kind of problem.
    pub kind: FailureKind,
    /// One plain sentence.
    pub sentence: String,
    /// What exactly happened: the server's reply or the system's error, printable.
    pub detail: String,
}

impl From<&SyncError> for SyncFailure {
    /// The failure with the sentence [`SyncError::sentence`] gives (no account named).
    fn from(err: &SyncError) -> Self {
        Self {
            kind: err.kind(),
            sentence: err.sentence(),
            detail: err.detail(),
        }
    }
}

/// The sentence for a certificate that changed since it was pinned, naming the command that
/// trusts the new one for `account`.
#[must_use]
pub fn certificate_changed_sentence(info: &CertificateInfo, account: &str) -> String {
    let trusted = info
        .previously_trusted
        .map_or_else(|| "none".to_owned(), |old| old.to_string());
    format!(
        "The server's certificate changed since you trusted it: trusted SHA-256 {trusted}, now \
         SHA-256 {} (subject {}, issued by {}, valid {} to {}). If you expect the change, trust \
         the new one with `satchel account edit {account} --trust-fingerprint {}`.",
        info.fingerprint,
        info.subject,
        info.issuer,
        info.not_before,
        info.not_after,
        info.fingerprint
    )
}

fn is_disk_full(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut current = Some(error);
    while let Some(cause) = current {
        if matches!(
            cause.downcast_ref::<StoreError>(),
            Some(StoreError::DiskFull(_))
        ) {
            return true;
        }
        current = cause.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_runtime_that_cannot_start_is_its_own_kind_not_a_settings_problem() {
        let err = SyncError::Runtime(std::io::Error::other("no more threads"));
        assert_eq!(err.kind(), FailureKind::Runtime);
        assert_eq!(
            err.sentence(),
            "cannot start the network runtime: no more threads"
        );
    }

    #[test]
    fn a_message_gone_from_the_server_is_not_a_settings_problem() {
        let err = SyncError::GoneFromServer;
        assert_eq!(err.kind(), FailureKind::Other);
        assert_eq!(err.sentence(), "the server no longer has this message");
    }

    #[test]
    fn a_failure_carries_the_kind_and_the_sentence_naming_the_account() {
        let err = SyncError::NoPassword("work".to_owned());
        let failure = err.failure_for("work");
        assert_eq!(
            failure,
            SyncFailure {
                kind: FailureKind::Settings,
                sentence: "no password is saved for the account \"work\"".to_owned(),
                detail: "no password is saved for the account \"work\"".to_owned(),
            }
        );
        assert_eq!(SyncFailure::from(&err), failure);
    }
}
