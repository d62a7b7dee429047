//! Server settings (POP3 and SMTP submission) for common mail providers, filled in from the email domain.
//!
//! Only providers that offer POP3 are listed (Apple's mail service, for one, offers IMAP only).
//! The settings are the providers' published ones; a preset only pre-fills the account form, so
//! a user whose provider changes its servers can still type them in.

use crate::model::Security;

/// Published POP3 and SMTP settings of one mail provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    /// Name shown to the user, e.g. "Gmail".
    pub provider: &'static str,
    /// Lower-case domains whose addresses this provider hosts.
    pub domains: &'static [&'static str],
    /// POP3 server host name.
    pub host: &'static str,
    /// POP3 server port.
    pub port: u16,
    /// How the connection is secured: implicit TLS or STARTTLS.
    pub security: Security,
    /// Submission (SMTP) server host name.
    pub smtp_host: &'static str,
    /// Submission port: 465 (implicit TLS) or 587 (STARTTLS).
    pub smtp_port: u16,
    /// How the submission connection is secured.
    pub smtp_security: Security,
    /// Whether the login name is the whole email address rather than its local part.
    pub username_is_email: bool,
    /// One-sentence hint shown next to the form, e.g. that POP must be enabled first.
    pub note: Option<&'static str>,
}

/// Every known provider; no domain appears in more than one preset.
pub const PRESETS: &[Preset] = &[
    Preset {
        provider: "Gmail",
        domains: &["gmail.com", "googlemail.com"],
        host: "pop.gmail.com",
        port: 995,
        security: Security::Tls,
        smtp_host: "smtp.gmail.com",
        smtp_port: 465,
        smtp_security: Security::Tls,
        username_is_email: true,
        note: Some(
            "Enable POP in Gmail settings and sign in with an app password (needs 2-Step Verification).",
        ),
    },
    Preset {
        provider: "Outlook.com",
        domains: &[
            "outlook.com",
            "hotmail.com",
            "live.com",
            "msn.com",
            "outlook.de",
            "outlook.fr",
            "hotmail.co.uk",
            "hotmail.de",
            "hotmail.fr",
            "hotmail.it",
            "live.co.uk",
            "live.de",
            "live.fr",
        ],
        host: "outlook.office365.com",
        port: 995,
        security: Security::Tls,
        smtp_host: "smtp.office365.com",
        smtp_port: 587,
        smtp_security: Security::StartTls,
        username_is_email: true,
        note: Some(
            "Enable POP in Outlook.com settings; Microsoft accounts may require OAuth2 or an app password.",
        ),
    },
    Preset {
        provider: "Yahoo Mail",
        // Yahoo Japan (yahoo.co.jp) is a separate service with its own servers.
        domains: &[
            "yahoo.com",
            "yahoo.co.uk",
            "yahoo.ca",
            "yahoo.com.au",
            "yahoo.co.in",
            "yahoo.de",
            "yahoo.fr",
            "yahoo.it",
            "yahoo.es",
            "ymail.com",
            "rocketmail.com",
        ],
        host: "pop.mail.yahoo.com",
        port: 995,
        security: Security::Tls,
        smtp_host: "smtp.mail.yahoo.com",
        smtp_port: 465,
        smtp_security: Security::Tls,
        username_is_email: true,
        note: Some("Sign in with an app password generated in Yahoo account security."),
    },
    Preset {
        provider: "AOL Mail",
        domains: &["aol.com", "aim.com"],
        host: "pop.aol.com",
        port: 995,
        security: Security::Tls,
        smtp_host: "smtp.aol.com",
        smtp_port: 465,
        smtp_security: Security::Tls,
        username_is_email: true,
        note: Some("Sign in with an app password generated in AOL account security."),
    },
    Preset {
        provider: "GMX",
        // gmx.com is GMX's international service and has its own servers.
        domains: &["gmx.net", "gmx.de", "gmx.at", "gmx.ch"],
        host: "pop.gmx.net",
        port: 995,
        security: Security::Tls,
        smtp_host: "mail.gmx.net",
        smtp_port: 465,
        smtp_security: Security::Tls,
        username_is_email: true,
        note: Some("Enable POP3 access in the GMX mail settings first."),
    },
    Preset {
        provider: "GMX (international)",
        domains: &["gmx.com"],
        host: "pop.gmx.com",
        port: 995,
        security: Security::Tls,
        smtp_host: "mail.gmx.com",
        smtp_port: 465,
        smtp_security: Security::Tls,
        username_is_email: true,
        note: Some("Enable POP3 access in the GMX mail settings first."),
    },
    Preset {
        provider: "WEB.DE",
        domains: &["web.de"],
        host: "pop3.web.de",
        port: 995,
        security: Security::Tls,
        smtp_host: "smtp.web.de",
        smtp_port: 587,
        smtp_security: Security::StartTls,
        username_is_email: true,
        note: Some("Enable POP3 access in the WEB.DE mail settings first."),
    },
    Preset {
        provider: "Yandex Mail",
        domains: &["yandex.com", "yandex.ru", "ya.ru"],
        host: "pop.yandex.com",
        port: 995,
        security: Security::Tls,
        smtp_host: "smtp.yandex.com",
        smtp_port: 465,
        smtp_security: Security::Tls,
        username_is_email: true,
        note: Some("Enable POP in Yandex Mail settings and sign in with an app password."),
    },
    Preset {
        provider: "Mail.ru",
        domains: &["mail.ru", "inbox.ru", "list.ru", "bk.ru"],
        host: "pop.mail.ru",
        port: 995,
        security: Security::Tls,
        smtp_host: "smtp.mail.ru",
        smtp_port: 465,
        smtp_security: Security::Tls,
        username_is_email: true,
        note: Some(
            "Sign in with a password for external apps created in Mail.ru security settings.",
        ),
    },
    Preset {
        provider: "Fastmail",
        domains: &["fastmail.com", "fastmail.fm"],
        host: "pop.fastmail.com",
        port: 995,
        security: Security::Tls,
        smtp_host: "smtp.fastmail.com",
        smtp_port: 465,
        smtp_security: Security::Tls,
        username_is_email: true,
        note: Some("Sign in with an app password created in Fastmail settings."),
    },
    Preset {
        provider: "Zoho Mail",
        domains: &["zoho.com", "zohomail.com"],
        host: "pop.zoho.com",
        port: 995,
        security: Security::Tls,
        smtp_host: "smtp.zoho.com",
        smtp_port: 465,
        smtp_security: Security::Tls,
        username_is_email: true,
        note: Some("Enable POP access in Zoho Mail settings first."),
    },
    Preset {
        provider: "Posteo",
        domains: &["posteo.de"],
        host: "posteo.de",
        port: 995,
        security: Security::Tls,
        smtp_host: "posteo.de",
        smtp_port: 465,
        smtp_security: Security::Tls,
        username_is_email: true,
        note: None,
    },
    Preset {
        provider: "mailbox.org",
        domains: &["mailbox.org"],
        host: "pop3.mailbox.org",
        port: 995,
        security: Security::Tls,
        smtp_host: "smtp.mailbox.org",
        smtp_port: 465,
        smtp_security: Security::Tls,
        username_is_email: true,
        note: None,
    },
];

/// The preset for an email address's domain (case-insensitive, surrounding whitespace ignored), if any.
///
/// Only exact domains match: `user@mail.gmail.com` gets no preset, because a subdomain is often
/// a different (company or hosted) service with its own servers.
pub fn preset_for_email(email: &str) -> Option<&'static Preset> {
    let (local_part, domain) = email.trim().rsplit_once('@')?;
    if local_part.is_empty() || domain.is_empty() {
        return None;
    }
    PRESETS.iter().find(|preset| {
        preset
            .domains
            .iter()
            .any(|known| known.eq_ignore_ascii_case(domain))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn known_domains_map_to_their_hosts() {
        let gmail = preset_for_email("someone@gmail.com").expect("gmail.com has a preset");
        assert_eq!(gmail.host, "pop.gmail.com");
        assert_eq!(gmail.port, 995);
        assert_eq!(gmail.security, Security::Tls);
        let pairs = [
            ("a@googlemail.com", "pop.gmail.com"),
            ("a@hotmail.com", "outlook.office365.com"),
            ("a@yahoo.co.uk", "pop.mail.yahoo.com"),
            ("a@gmx.de", "pop.gmx.net"),
            ("a@gmx.com", "pop.gmx.com"),
            ("a@web.de", "pop3.web.de"),
            ("a@ya.ru", "pop.yandex.com"),
            ("a@fastmail.fm", "pop.fastmail.com"),
            ("a@zohomail.com", "pop.zoho.com"),
            ("a@mail.ru", "pop.mail.ru"),
            ("a@aol.com", "pop.aol.com"),
        ];
        for (address, host) in pairs {
            let preset =
                preset_for_email(address).unwrap_or_else(|| panic!("{address} has a preset"));
            assert_eq!(preset.host, host, "{address}");
        }
    }

    #[test]
    fn lookup_ignores_case_and_surrounding_whitespace() {
        let preset = preset_for_email("  Some.One@GMail.COM \n").expect("gmail.com has a preset");
        assert_eq!(preset.provider, "Gmail");
    }

    #[test]
    fn subdomains_and_unknown_domains_have_no_preset() {
        assert_eq!(preset_for_email("a@mail.gmail.com"), None);
        assert_eq!(preset_for_email("a@example.org"), None);
        // iCloud offers no POP3.
        assert_eq!(preset_for_email("a@icloud.com"), None);
    }

    #[test]
    fn malformed_addresses_have_no_preset() {
        assert_eq!(preset_for_email("gmail.com"), None);
        assert_eq!(preset_for_email(""), None);
        assert_eq!(preset_for_email("someone@"), None);
        assert_eq!(preset_for_email("@gmail.com"), None);
    }

    #[test]
    fn no_domain_belongs_to_two_presets() {
        let mut owner_by_domain: HashMap<&str, &str> = HashMap::new();
        for preset in PRESETS {
            for domain in preset.domains {
                if let Some(previous) = owner_by_domain.insert(domain, preset.provider) {
                    panic!("{domain} is in both {previous} and {}", preset.provider);
                }
            }
        }
    }

    #[test]
    fn every_preset_is_well_formed() {
        for preset in PRESETS {
            assert!(!preset.provider.is_empty());
            assert!(!preset.host.is_empty(), "{}", preset.provider);
            assert!(!preset.domains.is_empty(), "{}", preset.provider);
            assert!(
                matches!(preset.port, 110 | 995),
                "{}: port {}",
                preset.provider,
                preset.port
            );
            let expected_security = if preset.port == 995 {
                Security::Tls
            } else {
                Security::StartTls
            };
            assert_eq!(preset.security, expected_security, "{}", preset.provider);
            for domain in preset.domains {
                assert_eq!(*domain, domain.to_ascii_lowercase(), "{}", preset.provider);
                assert_eq!(*domain, domain.trim(), "{}", preset.provider);
            }
            if let Some(note) = preset.note {
                assert!(note.ends_with('.'), "{}: {note}", preset.provider);
            }
        }
    }
}
