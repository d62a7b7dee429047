//! From an account's settings to what a POP3 connection needs: the one place where settings
//! become [`ConnectOptions`] and [`Credentials`], for a sync, a fetch and a connection test alike.

use std::time::Duration;

use super::error::SyncError;
use super::policy::max_message_size;
use crate::model::{AuthChoice, Security};
use crate::pop3::{self, AuthMethod, ConnectOptions, Credentials, Fingerprint};
use crate::store::AccountSettings;

/// Timeouts and limits for a sync, apart from the account's own settings.
#[derive(Debug, Clone, Copy)]
pub struct SyncOptions {
    /// Limit for connect + TLS + greeting.
    pub connect_timeout: Duration,
    /// Limit for any single read or write.
    pub idle_timeout: Duration,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(30),
            idle_timeout: Duration::from_mins(2),
        }
    }
}

impl From<Security> for pop3::Security {
    fn from(security: Security) -> Self {
        match security {
            Security::Tls => Self::ImplicitTls,
            Security::StartTls => Self::StartTls,
            Security::Plain => Self::PlainInsecure,
        }
    }
}

/// The login method to insist on; `None` lets the client pick the strongest offered.
fn auth_method(choice: AuthChoice) -> Option<AuthMethod> {
    match choice {
        AuthChoice::Auto => None,
        AuthChoice::Plain => Some(AuthMethod::Plain),
        AuthChoice::Login => Some(AuthMethod::Login),
        AuthChoice::Apop => Some(AuthMethod::Apop),
        AuthChoice::User => Some(AuthMethod::UserPass),
        AuthChoice::XOAuth2 => Some(AuthMethod::XOAuth2),
    }
}

/// The credentials: a bearer token for XOAUTH2, else a password.
fn credentials(settings: &AccountSettings, secret: String) -> Credentials {
    let username = settings.username.clone();
    if settings.auth_method.uses_token() {
        Credentials::bearer(username, secret)
    } else {
        Credentials::password(username, secret)
    }
}

/// The connection options for an account's `settings`, logging in with `secret` (its password,
/// or its token for XOAUTH2).
///
/// # Errors
/// [`SyncError::Settings`] when there is no server name or the trusted fingerprint is malformed.
pub fn connect_options(
    settings: &AccountSettings,
    secret: String,
    options: SyncOptions,
) -> Result<ConnectOptions, SyncError> {
    let pinned_certificate = match &settings.pinned_fingerprint {
        Some(text) => Some(text.parse::<Fingerprint>().map_err(|_| {
            SyncError::Settings("the trusted certificate fingerprint is malformed".to_owned())
        })?),
        None => None,
    };
    if settings.host.is_empty() {
        return Err(SyncError::Settings("no server name".to_owned()));
    }
    let mut connect = ConnectOptions::new(settings.host.clone(), credentials(settings, secret));
    connect.port = settings.port;
    connect.security = settings.security.into();
    connect.auth = auth_method(settings.auth_method);
    connect.pinned_certificate = pinned_certificate;
    connect.connect_timeout = options.connect_timeout;
    connect.idle_timeout = options.idle_timeout;
    connect.max_message_size = Some(max_message_size(settings));
    Ok(connect)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> AccountSettings {
        AccountSettings {
            host: "pop.example.org".to_owned(),
            port: 1110,
            security: Security::StartTls,
            username: "alice".to_owned(),
            auth_method: AuthChoice::Apop,
            max_message_mb: Some(3),
            ..AccountSettings::default()
        }
    }

    #[test]
    fn every_setting_reaches_the_connect_options() {
        let options = SyncOptions {
            connect_timeout: Duration::from_secs(7),
            idle_timeout: Duration::from_secs(9),
        };
        let connect = connect_options(&settings(), "pw".to_owned(), options).expect("valid");
        assert_eq!(connect.host, "pop.example.org");
        assert_eq!(connect.port, 1110);
        assert_eq!(connect.security, pop3::Security::StartTls);
        assert_eq!(connect.auth, Some(AuthMethod::Apop));
        assert_eq!(connect.credentials, Credentials::password("alice", "pw"));
        assert_eq!(connect.connect_timeout, Duration::from_secs(7));
        assert_eq!(connect.idle_timeout, Duration::from_secs(9));
        assert_eq!(connect.max_message_size, Some(3 << 20));
        assert_eq!(connect.pinned_certificate, None);
    }

    #[test]
    fn xoauth2_logs_in_with_a_token_and_auto_lets_the_client_choose() {
        let mut oauth = settings();
        oauth.auth_method = AuthChoice::XOAuth2;
        let connect = connect_options(&oauth, "tok".to_owned(), SyncOptions::default());
        let connect = connect.expect("valid");
        assert_eq!(connect.credentials, Credentials::bearer("alice", "tok"));
        assert_eq!(connect.auth, Some(AuthMethod::XOAuth2));
        let mut auto = settings();
        auto.auth_method = AuthChoice::Auto;
        let connect = connect_options(&auto, "pw".to_owned(), SyncOptions::default());
        assert_eq!(connect.expect("valid").auth, None);
    }

    #[test]
    fn each_security_mode_maps_to_the_client_mode() {
        let pairs = [
            (Security::Tls, pop3::Security::ImplicitTls),
            (Security::StartTls, pop3::Security::StartTls),
            (Security::Plain, pop3::Security::PlainInsecure),
        ];
        for (mode, client) in pairs {
            assert_eq!(pop3::Security::from(mode), client);
            assert_eq!(mode.default_port(), client.default_port());
        }
    }

    #[test]
    fn a_missing_host_or_a_malformed_fingerprint_is_a_settings_error() {
        let mut no_host = settings();
        no_host.host.clear();
        let err = connect_options(&no_host, "pw".to_owned(), SyncOptions::default());
        assert!(matches!(err, Err(SyncError::Settings(ref why)) if why == "no server name"));
        let mut bad_pin = settings();
        bad_pin.pinned_fingerprint = Some("not hex".to_owned());
        let err = connect_options(&bad_pin, "pw".to_owned(), SyncOptions::default());
        assert!(matches!(err, Err(SyncError::Settings(ref why)) if why.contains("fingerprint")));
    }
}
