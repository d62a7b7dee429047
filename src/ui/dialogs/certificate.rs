//! "Certificate not trusted" or "Certificate changed": what the server presented (and what was
//! trusted before), and a choice to pin it for one account.

use egui::RichText;

use crate::model::AccountId;
use crate::sync::explain::CertificateInfo;

/// Where the certificate came from: a saved account's sync, or the form's connection test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateFor {
    /// A saved account whose sync was refused.
    Account(AccountId),
    /// The account being edited in the settings dialog.
    Draft,
    /// The outgoing (SMTP) server of the account being edited.
    SmtpDraft,
}

/// The dialog's state while it is open.
#[derive(Debug, Clone)]
pub struct CertificatePrompt {
    /// The account the certificate would be pinned for.
    pub target: CertificateFor,
    /// The account's name, for the sentence at the top.
    pub account_label: String,
    /// What the server presented.
    pub certificate: CertificateInfo,
}

/// What the user chose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateChoice {
    /// Pin this SHA-256 fingerprint for the account.
    Trust(String),
    /// Leave it untrusted.
    Cancel,
}

impl CertificatePrompt {
    /// Draws the prompt as a modal; returns the choice once one is made.
    pub fn show(&self, ctx: &egui::Context) -> Option<CertificateChoice> {
        let mut choice = None;
        let modal = egui::Modal::new(egui::Id::unique("certificate prompt")).show(ctx, |ui| {
            ui.set_max_width(520.0);
            let info = &self.certificate;
            let (heading, explanation) = self.wording();
            ui.heading(heading);
            ui.label(explanation);
            if let Some(distrust) = info.distrust
                && info.previously_trusted.is_none()
            {
                ui.label(RichText::new(format!("Why: {}", distrust.explanation())).strong());
            }
            ui.add_space(6.0);
            egui::Grid::new("certificate fields")
                .num_columns(2)
                .show(ui, |ui| {
                    field(ui, "Subject", &info.subject);
                    field(ui, "Issuer", &info.issuer);
                    field(ui, "Valid from", &info.not_before);
                    field(ui, "Valid until", &info.not_after);
                    match info.previously_trusted {
                        Some(old) => {
                            field(ui, "Trusted until now", &old.to_string());
                            field(ui, "Presented now", &info.fingerprint.to_string());
                        }
                        None => field(ui, "SHA-256", &info.fingerprint.to_string()),
                    }
                });
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui
                    .button("Trust")
                    .on_hover_text("Pin this certificate for this account")
                    .clicked()
                {
                    choice = Some(CertificateChoice::Trust(info.fingerprint.to_string()));
                }
                if ui.button("Cancel").clicked() {
                    choice = Some(CertificateChoice::Cancel);
                }
            });
        });
        if choice.is_none() && modal.should_close() {
            choice = Some(CertificateChoice::Cancel);
        }
        choice
    }
}

impl CertificatePrompt {
    /// The heading and the sentence under it: "changed" when another certificate was trusted.
    fn wording(&self) -> (&'static str, String) {
        let account = &self.account_label;
        if self.certificate.previously_trusted.is_some() {
            (
                "Certificate changed",
                format!(
                    "The server for {account} presented a different certificate from the one \
                     you trusted. Servers change certificates when they renew them, but so would \
                     someone listening in on the connection. Trust the new one only if you know \
                     the server's certificate changed."
                ),
            )
        } else {
            (
                "Certificate not trusted",
                format!(
                    "The server for {account} presented a certificate this computer does not \
                     trust. Trust it only if you know the server uses this certificate. Once \
                     trusted, it is trusted for every account on this server."
                ),
            )
        }
    }
}

fn field(ui: &mut egui::Ui, name: &str, value: &str) {
    ui.label(RichText::new(name).weak());
    ui.label(RichText::new(value).monospace());
    ui.end_row();
}

#[cfg(test)]
mod tests {
    use egui_kittest::Harness;
    use egui_kittest::kittest::Queryable;

    use super::*;
    use crate::pop3::Distrust;

    /// A prompt for the certificate whose DER is `der`, trusted before as `old_der`'s.
    fn prompt(der: &[u8], old_der: Option<&[u8]>) -> CertificatePrompt {
        let mut certificate = CertificateInfo::from_der(der);
        certificate.previously_trusted =
            old_der.map(|old| CertificateInfo::from_der(old).fingerprint);
        CertificatePrompt {
            target: CertificateFor::Draft,
            account_label: "work".to_owned(),
            certificate,
        }
    }

    #[test]
    fn a_changed_certificate_says_so_and_shows_both_fingerprints() {
        let shown = prompt(b"new", Some(b"old"));
        let old = CertificateInfo::from_der(b"old").fingerprint.to_string();
        let new = shown.certificate.fingerprint.to_string();
        let mut harness = Harness::new_ui(move |ui| {
            let _ = shown.show(ui.ctx());
        });
        harness.run();
        harness.get_by_label("Certificate changed");
        harness.get_by_label("Trusted until now");
        harness.get_by_label(&old);
        harness.get_by_label(&new);
        assert!(harness.query_by_label("Certificate not trusted").is_none());
    }

    #[test]
    fn the_prompt_says_why_the_certificate_is_not_trusted() {
        let mut shown = prompt(b"new", None);
        shown.certificate.distrust = Some(Distrust::WrongName);
        let mut harness = Harness::new_ui(move |ui| {
            let _ = shown.show(ui.ctx());
        });
        harness.run();
        harness.get_by_label(&format!("Why: {}", Distrust::WrongName.explanation()));
        assert!(harness.query_by_label_contains("self-signed").is_none());
    }

    #[test]
    fn an_unknown_certificate_is_not_called_changed() {
        let shown = prompt(b"new", None);
        let mut harness = Harness::new_ui(move |ui| {
            let _ = shown.show(ui.ctx());
        });
        harness.run();
        harness.get_by_label("Certificate not trusted");
        assert!(harness.query_by_label("Certificate changed").is_none());
        assert!(harness.query_by_label("Trusted until now").is_none());
    }
}
