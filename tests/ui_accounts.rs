//! The account form in the app under `egui_kittest`: renaming an account keeps its mail and
//! password, a certificate trusted once is trusted for every account on that server, and
//! Trust runs the connection test again.

mod support;

use egui::Key;
use egui_kittest::kittest::Queryable;
use satchel::model::AccountId;
use satchel::pop3::{Distrust, Fingerprint};
use satchel::secrets::Secrets;
use satchel::store::{AccountSettings, Store};
use satchel::sync::explain::{FailureKind, SyncFailure};
use satchel::sync::worker::SyncEvent;
use satchel::ui::command::UiCommand;
use support::ui::{
    Window, open_app, scroll_and_click, self_signed_certificate, store, type_into, window,
};

const FINGERPRINT: &str = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

/// A window on a store with one account "work" on mail.example.org:995, its password kept
/// in the store directory's password file, and `pinned` trusted.
fn with_work_account(dir: &std::path::Path, pinned: Option<&str>) -> (Window, AccountId) {
    let mut setup = Store::open_in(dir).expect("open store");
    let settings = AccountSettings {
        email: "me@example.org".to_owned(),
        host: "mail.example.org".to_owned(),
        username: "me".to_owned(),
        pinned_fingerprint: pinned.map(str::to_owned),
        ..AccountSettings::default()
    };
    let account = setup.add_account("work", &settings).expect("account").id;
    drop(setup);
    Secrets::in_file(dir.join("passwords.json"))
        .set("work", "s3cret")
        .expect("password");
    (window(open_app(dir)), account)
}

/// The new-account form, filled in for mail.example.org.
fn add_account_on_the_same_server(harness: &mut Window) {
    harness.state_mut().push(UiCommand::AddAccount);
    harness.run();
    type_into(harness, "Email address", "other@example.org");
    harness.get_by_label("Server").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.get_by_label("Server").type_text("mail.example.org");
    harness.run();
}

#[test]
fn renaming_an_account_keeps_its_mail_and_moves_its_password() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut harness, account) = with_work_account(dir.path(), None);
    harness.state_mut().push(UiCommand::EditAccount(account));
    harness.run();
    harness.get_by_label("Account name").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    harness.get_by_label("Account name").type_text("office");
    harness.run();
    scroll_and_click(&mut harness, "Save");

    let accounts = store(&harness).accounts().expect("accounts");
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].name, "office");
    assert_eq!(accounts[0].id, account, "the same account, renamed");
    let secrets = Secrets::in_file(dir.path().join("passwords.json"));
    assert_eq!(
        secrets.get("office").expect("read").as_deref(),
        Some("s3cret")
    );
    assert_eq!(secrets.get("work").expect("read"), None);
}

#[test]
fn a_certificate_trusted_for_one_account_is_trusted_for_the_next_on_that_server() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut harness, _) = with_work_account(dir.path(), Some(FINGERPRINT));
    add_account_on_the_same_server(&mut harness);
    scroll_and_click(&mut harness, "Save");

    let saved = store(&harness)
        .account_by_name("other@example.org")
        .expect("saved");
    assert_eq!(
        saved.settings.pinned_fingerprint.as_deref(),
        Some(FINGERPRINT),
        "no second certificate question for the same server"
    );
}

#[test]
fn trust_runs_the_connection_test_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut harness, _) = with_work_account(dir.path(), None);
    add_account_on_the_same_server(&mut harness);
    let fingerprint: Fingerprint = FINGERPRINT.parse().expect("fingerprint");
    let certificate = self_signed_certificate(fingerprint);
    harness
        .state_mut()
        .handle_sync_event(SyncEvent::TestFinished(Err(SyncFailure {
            kind: FailureKind::CertificateNotTrusted(Box::new(certificate)),
            sentence: "The server's certificate is not trusted.".to_owned(),
            detail: "cannot trust the certificate of mail.example.org".to_owned(),
        })));
    harness.run();
    harness.get_by_label(&format!("Why: {}", Distrust::SelfSigned.explanation()));
    harness.get_by_label("Trust").click();
    // The test's spinner keeps repainting: a few frames, not until it settles.
    harness.run_steps(3);
    harness.get_by_label("Testing the connection…");
    harness.get_by_label(&format!("Trusted certificate: {FINGERPRINT}"));
}
