//! TLS client setup: system roots via rustls-platform-verifier, plus an
//! optional pinned fingerprint the user accepted for this account's host.

use std::sync::{Arc, Mutex, PoisonError};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::certinfo::{CertificateInfo, Distrust, Fingerprint, UNREADABLE};
use super::error::Pop3Error;

/// The certificate the system verifier refused, kept for the typed error.
#[derive(Debug)]
struct Rejection {
    der: Vec<u8>,
    reason: String,
    /// The reason, typed.
    distrust: Distrust,
    /// The pinned fingerprint it differs from, if one was pinned.
    changed_from: Option<Fingerprint>,
}

/// What to do with a certificate, given the system's verdict and the account's pin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    /// The system trusts it (a pin is then not needed).
    SystemTrusted,
    /// The system does not, but it is the pinned certificate.
    Pinned,
    /// Nothing was pinned and the system does not trust it.
    Untrusted,
    /// Another certificate was pinned: it changed since the user trusted it.
    Changed(Fingerprint),
}

fn decide(system_trusts: bool, pinned: Option<Fingerprint>, presented: Fingerprint) -> Decision {
    match pinned {
        _ if system_trusts => Decision::SystemTrusted,
        Some(pin) if pin == presented => Decision::Pinned,
        Some(pin) => Decision::Changed(pin),
        None => Decision::Untrusted,
    }
}

/// System verification first; a pinned fingerprint overrides a refusal.
#[derive(Debug)]
struct PinningVerifier {
    system: rustls_platform_verifier::Verifier,
    pinned: Option<Fingerprint>,
    rejection: Arc<Mutex<Option<Rejection>>>,
}

impl ServerCertVerifier for PinningVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let verdict = self.system.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        let presented = Fingerprint::of_der(end_entity);
        match (decide(verdict.is_ok(), self.pinned, presented), verdict) {
            (_, Ok(ok)) => Ok(ok),
            (Decision::Pinned, Err(_)) => {
                tracing::debug!("server certificate accepted by pinned fingerprint");
                Ok(ServerCertVerified::assertion())
            }
            (decision, Err(err)) => {
                let rejection = Rejection {
                    der: end_entity.to_vec(),
                    reason: describe(&err),
                    distrust: classify(&err),
                    changed_from: match decision {
                        Decision::Changed(pin) => Some(pin),
                        _ => None,
                    },
                };
                *self
                    .rejection
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(rejection);
                Err(err)
            }
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.system.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.system.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.system.supported_verify_schemes()
    }
}

/// The kind of a verification failure (a self-signed certificate is told apart later, from
/// its names).
fn classify(err: &rustls::Error) -> Distrust {
    match err {
        rustls::Error::InvalidCertificate(cert_err) => match cert_err {
            CertificateError::UnknownIssuer => Distrust::UnknownIssuer,
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                Distrust::WrongName
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                Distrust::Expired
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                Distrust::NotYetValid
            }
            CertificateError::Revoked => Distrust::Revoked,
            other if is_ca_as_end_entity(other) => Distrust::UnknownIssuer,
            _ => Distrust::Other,
        },
        _ => Distrust::Other,
    }
}

/// webpki's `CaUsedAsEndEntity`: the server presents an authority's certificate as its own,
/// which is what `openssl req -x509` makes by default: the usual self-signed certificate. It
/// reaches rustls only as an opaque `OtherError`, so it is told by its name.
fn is_ca_as_end_entity(err: &CertificateError) -> bool {
    matches!(err, CertificateError::Other(other) if format!("{other:?}").contains("CaUsedAsEndEntity"))
}

/// A human reason for a verification failure.
fn describe(err: &rustls::Error) -> String {
    match err {
        rustls::Error::InvalidCertificate(cert_err) => match cert_err {
            CertificateError::UnknownIssuer => {
                "issued by an unknown authority (self-signed?)".into()
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "issued for a different host name".into()
            }
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => "expired".into(),
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "not valid yet".into()
            }
            CertificateError::Revoked => "revoked".into(),
            other if is_ca_as_end_entity(other) => {
                "an authority's own certificate, not one it issued (self-signed?)".into()
            }
            other => format!("invalid ({other:?})"),
        },
        other => other.to_string(),
    }
}

/// True when the handshake failed because the server's first bytes are not a TLS record
/// (a plain-text POP3 greeting such as `+OK`).
fn is_plain_text_answer(source: &std::io::Error) -> bool {
    matches!(
        source
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<rustls::Error>()),
        Some(rustls::Error::InvalidMessage(
            rustls::InvalidMessage::InvalidContentType
        ))
    )
}

/// The typed error for a refused certificate.
fn refusal_error(host: &str, rejection: Rejection) -> Pop3Error {
    let mut certificate = Box::new(CertificateInfo::from_der(&rejection.der));
    let self_signed =
        certificate.subject == certificate.issuer && certificate.subject != UNREADABLE;
    certificate.distrust = Some(match rejection.distrust {
        Distrust::UnknownIssuer if self_signed => Distrust::SelfSigned,
        other => other,
    });
    match rejection.changed_from {
        Some(trusted) => {
            certificate.previously_trusted = Some(trusted);
            Pop3Error::CertificateChanged {
                host: host.to_string(),
                trusted,
                certificate,
            }
        }
        None => Pop3Error::UntrustedCertificate {
            host: host.to_string(),
            reason: rejection.reason,
            certificate,
        },
    }
}

/// Performs the TLS handshake on `tcp` for `host` (`port` is for the error messages).
pub(crate) async fn handshake(
    tcp: TcpStream,
    host: &str,
    port: u16,
    pinned: Option<Fingerprint>,
) -> Result<TlsStream<TcpStream>, Pop3Error> {
    let tls_error = |source: std::io::Error| Pop3Error::Tls {
        host: host.to_string(),
        source,
    };
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let system = rustls_platform_verifier::Verifier::new(provider.clone())
        .map_err(|e| tls_error(std::io::Error::other(e)))?;
    let rejection = Arc::new(Mutex::new(None));
    let verifier = PinningVerifier {
        system,
        pinned,
        rejection: rejection.clone(),
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| tls_error(std::io::Error::other(e)))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    let server_name =
        ServerName::try_from(host.to_string()).map_err(|_| Pop3Error::InvalidHostName {
            host: host.to_string(),
        })?;
    let connector = TlsConnector::from(Arc::new(config));
    match connector.connect(server_name, tcp).await {
        Ok(stream) => Ok(stream),
        Err(source) => {
            let refused = rejection
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take();
            Err(match refused {
                Some(rejection) => refusal_error(host, rejection),
                None if is_plain_text_answer(&source) => Pop3Error::NotTls {
                    host: host.to_string(),
                    port,
                },
                None => tls_error(source),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_different_pinned_certificate_is_a_change() {
        let old = Fingerprint([1; 32]);
        let new = Fingerprint([2; 32]);
        assert_eq!(decide(false, Some(old), new), Decision::Changed(old));
        assert_eq!(decide(false, Some(new), new), Decision::Pinned);
        assert_eq!(decide(false, None, new), Decision::Untrusted);
        assert_eq!(decide(true, Some(old), new), Decision::SystemTrusted);
    }

    #[test]
    fn changed_certificate_error_names_both_fingerprints() {
        let old = Fingerprint([1; 32]);
        let rejection = Rejection {
            der: b"not a certificate".to_vec(),
            reason: "issued by an unknown authority (self-signed?)".to_string(),
            distrust: Distrust::UnknownIssuer,
            changed_from: Some(old),
        };
        let err = refusal_error("mail.example", rejection);
        let Pop3Error::CertificateChanged {
            trusted,
            certificate,
            ..
        } = &err
        else {
            panic!("expected CertificateChanged, got {err:?}");
        };
        assert_eq!(*trusted, old);
        assert_eq!(certificate.previously_trusted, Some(old));
        let text = err.to_string();
        assert!(text.contains("changed since you trusted it"), "{text}");
        assert!(text.contains(&old.to_string()), "{text}");
        assert!(
            text.contains(&certificate.fingerprint.to_string()),
            "{text}"
        );
    }

    #[test]
    fn plain_text_answer_is_recognised() {
        let wrapped = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidMessage(rustls::InvalidMessage::InvalidContentType),
        );
        assert!(is_plain_text_answer(&wrapped));
        assert!(!is_plain_text_answer(&std::io::Error::other("reset")));
    }

    #[test]
    fn each_refusal_has_its_reason_and_an_unknown_issuer_naming_itself_is_self_signed() {
        let invalid = |err: CertificateError| rustls::Error::InvalidCertificate(err);
        assert_eq!(
            classify(&invalid(CertificateError::UnknownIssuer)),
            Distrust::UnknownIssuer
        );
        assert_eq!(
            classify(&invalid(CertificateError::NotValidForName)),
            Distrust::WrongName
        );
        assert_eq!(
            classify(&invalid(CertificateError::Expired)),
            Distrust::Expired
        );
        assert_eq!(
            classify(&invalid(CertificateError::NotValidYet)),
            Distrust::NotYetValid
        );
        assert_eq!(
            classify(&rustls::Error::General("x".to_owned())),
            Distrust::Other
        );
        let rejection = Rejection {
            der: b"not a certificate".to_vec(),
            reason: describe(&invalid(CertificateError::UnknownIssuer)),
            distrust: Distrust::UnknownIssuer,
            changed_from: None,
        };
        // Names that cannot be read are not taken for a certificate naming itself.
        let Pop3Error::UntrustedCertificate { certificate, .. } =
            refusal_error("mail.example", rejection)
        else {
            panic!("untrusted");
        };
        assert_eq!(certificate.distrust, Some(Distrust::UnknownIssuer));
    }
}
