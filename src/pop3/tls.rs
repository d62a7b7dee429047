//! TLS client setup: system roots via rustls-platform-verifier, plus an
//! optional pinned fingerprint the user accepted for this account's host.

use std::sync::{Arc, Mutex, PoisonError};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::certinfo::{CertificateInfo, Fingerprint};
use super::error::Pop3Error;

/// The certificate the system verifier refused, kept for the typed error.
#[derive(Debug)]
struct Rejection {
    der: Vec<u8>,
    reason: String,
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
        match verdict {
            Ok(ok) => Ok(ok),
            Err(_) if self.pinned == Some(Fingerprint::of_der(end_entity)) => {
                tracing::debug!("server certificate accepted by pinned fingerprint");
                Ok(ServerCertVerified::assertion())
            }
            Err(err) => {
                let rejection = Rejection {
                    der: end_entity.to_vec(),
                    reason: describe(&err),
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
            other => format!("invalid ({other:?})"),
        },
        other => other.to_string(),
    }
}

/// Performs the TLS handshake on `tcp` for `host`.
pub(crate) async fn handshake(
    tcp: TcpStream,
    host: &str,
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
                Some(r) => Pop3Error::UntrustedCertificate {
                    host: host.to_string(),
                    reason: r.reason,
                    certificate: Box::new(CertificateInfo::from_der(&r.der)),
                },
                None => tls_error(source),
            })
        }
    }
}
