//! "Certificate not trusted": what the server presented, and a choice to pin it for one account.

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
            ui.heading("Certificate not trusted");
            ui.label(format!(
                "The server for {} presented a certificate this computer does not trust. \
                 Trust it only if you know the server uses this certificate (for example a \
                 self-signed one at home or work).",
                self.account_label
            ));
            ui.add_space(6.0);
            let info = &self.certificate;
            egui::Grid::new("certificate fields")
                .num_columns(2)
                .show(ui, |ui| {
                    field(ui, "Subject", &info.subject);
                    field(ui, "Issuer", &info.issuer);
                    field(ui, "Valid from", &info.not_before);
                    field(ui, "Valid until", &info.not_after);
                    field(ui, "SHA-256", &info.fingerprint.to_string());
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

fn field(ui: &mut egui::Ui, name: &str, value: &str) {
    ui.label(RichText::new(name).weak());
    ui.label(RichText::new(value).monospace());
    ui.end_row();
}
