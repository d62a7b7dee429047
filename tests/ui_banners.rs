//! Sync feedback under `egui_kittest`: a failure is a banner (never a form that opens by itself),
//! its Details show what the server said, Retry says it is retrying, a removed account takes
//! its banner with it, "offline" means no server answered, and a sync the user asked for says
//! "No new mail".

mod support;

use egui_kittest::kittest::Queryable;
use satchel::model::AccountId;
use satchel::store::{AccountSettings, Store};
use satchel::sync::SyncReport;
use satchel::sync::explain::{FailureKind, SyncFailure};
use satchel::sync::worker::SyncEvent;
use satchel::ui::command::UiCommand;
use satchel::ui::dialogs::settings::SettingsAction;
use support::ui::{Window, open_app, window};

/// A window on a store with these accounts (no sync worker: the test plays it).
fn with_accounts(dir: &std::path::Path, names: &[&str]) -> (Window, Vec<AccountId>) {
    let mut setup = Store::open_in(dir).expect("open store");
    let settings = AccountSettings {
        host: "pop.example.org".to_owned(),
        username: "me".to_owned(),
        ..AccountSettings::default()
    };
    let ids = names
        .iter()
        .map(|name| setup.add_account(name, &settings).expect("account").id)
        .collect();
    drop(setup);
    (window(open_app(dir)), ids)
}

fn failed(harness: &mut Window, account: AccountId, kind: FailureKind, detail: &str) {
    harness.state_mut().handle_sync_event(SyncEvent::Failed {
        account,
        failure: SyncFailure {
            kind,
            sentence: "The server did not accept the username or password.".to_owned(),
            detail: detail.to_owned(),
        },
    });
    harness.run();
}

fn finished(harness: &mut Window, account: AccountId, new: u64) {
    let report = SyncReport {
        new,
        ..SyncReport::default()
    };
    harness
        .state_mut()
        .handle_sync_event(SyncEvent::Finished(account, report));
    harness.run();
}

#[test]
fn a_wrong_password_shows_a_banner_whose_button_opens_the_accounts_form() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut harness, ids) = with_accounts(dir.path(), &["work"]);
    failed(
        &mut harness,
        ids[0],
        FailureKind::WrongPassword,
        "cannot log in: -ERR [AUTH] Authentication failed.",
    );
    harness.get_by_label("⚠ work:");
    assert!(
        harness.query_by_label("Edit account").is_none(),
        "the form does not open by itself"
    );

    harness.get_by_label("Details").click();
    harness.run();
    harness.get_by_label("cannot log in: -ERR [AUTH] Authentication failed.");
    assert!(
        harness.query_by_label_contains("WrongPassword").is_none(),
        "no internal label"
    );

    harness.get_by_label("Account settings").click();
    harness.run();
    harness.get_by_label("Edit account");
    assert!(
        harness
            .get_all_by_role(egui::accesskit::Role::TextInput)
            .any(|field| field.value().as_deref() == Some("pop.example.org")),
        "the form is the account's own, not an empty Add account"
    );
}

#[test]
fn retry_keeps_the_banner_saying_it_retries_until_the_attempt_ends() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut harness, ids) = with_accounts(dir.path(), &["work"]);
    failed(&mut harness, ids[0], FailureKind::Unreachable, "refused");
    harness.get_by_label("Retry").click();
    // The spinner keeps repainting: a few frames, not until it settles.
    harness.run_steps(3);
    harness.get_by_label("⚠ work:");
    harness.get_by_label("Retrying…");
    assert!(harness.query_by_label("Retry").is_none());

    failed(&mut harness, ids[0], FailureKind::Unreachable, "refused");
    harness.get_by_label("Retry").click();
    harness.run_steps(3);
    finished(&mut harness, ids[0], 0);
    assert!(harness.query_by_label("⚠ work:").is_none(), "synced: gone");
    harness.get_by_label("No new mail.");
}

#[test]
fn a_removed_account_takes_its_banner_with_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut harness, ids) = with_accounts(dir.path(), &["home", "work"]);
    failed(&mut harness, ids[0], FailureKind::WrongPassword, "refused");
    failed(&mut harness, ids[1], FailureKind::WrongPassword, "refused");
    harness
        .state_mut()
        .push(UiCommand::Settings(SettingsAction::RemoveAccount(ids[0])));
    harness.run();
    assert!(harness.query_by_label("⚠ home:").is_none());
    assert!(
        harness
            .query_by_label_contains(&ids[0].to_string())
            .is_none()
    );
    harness.get_by_label("⚠ work:");
}

#[test]
fn offline_only_when_no_server_answered() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut harness, ids) = with_accounts(dir.path(), &["home", "work"]);
    failed(&mut harness, ids[0], FailureKind::Unreachable, "refused");
    harness.get_by_label("• offline");
    finished(&mut harness, ids[1], 0);
    harness.get_by_label("• online");
    assert!(harness.query_by_label("• offline").is_none());
}

#[test]
fn sync_says_no_new_mail_or_what_came_once_every_account_ended() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut harness, ids) = with_accounts(dir.path(), &["home", "work"]);
    finished(&mut harness, ids[0], 0);
    assert!(
        harness.query_by_label_contains("No new mail").is_none(),
        "a sync nobody asked for (at start, on the timer) says nothing"
    );
    harness.state_mut().push(UiCommand::SyncAll);
    harness.run();
    finished(&mut harness, ids[0], 0);
    assert!(harness.query_by_label_contains("No new mail").is_none());
    finished(&mut harness, ids[1], 2);
    harness.get_by_label("home: No new mail. · work: 2 new messages.");
}
