//! What went wrong, in words a user understands, and what kind of problem it is (so the GUI can
//! open the password field, or the certificate dialog).

use super::run::SyncError;
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
            FailureKind::Settings | FailureKind::Other => crate::errors::one_line(self),
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
