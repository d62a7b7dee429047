use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::validate::{
    account_name, email_address, login_name, optional_number, server_host, server_port,
};
use super::*;

/// A form that passes every check.
fn valid_form() -> AccountForm {
    let mut form = AccountForm::new_account();
    form.email = "me@example.org".to_owned();
    form.host = "pop.example.org".to_owned();
    form.username = "me".to_owned();
    form
}

#[test]
fn empty_host_and_bad_port_are_reported_before_save() {
    let mut form = AccountForm::new_account();
    form.email = "me@example.org".to_owned();
    form.username = "me".to_owned();
    form.port = "70000".to_owned();
    let errors = form.validate().expect_err("invalid");
    let fields: Vec<Field> = errors.iter().map(|(field, _)| *field).collect();
    assert_eq!(fields, [Field::Host, Field::Port]);
}

#[test]
fn a_valid_form_becomes_settings_named_after_the_email() {
    let mut form = valid_form();
    form.size_limit_kb = "2048".to_owned();
    let (name, settings) = form.validate().expect("valid");
    assert_eq!(name, "me@example.org");
    assert_eq!(settings.port, 995);
    assert_eq!(settings.security, Security::Tls);
    assert_eq!(settings.size_limit_kb, Some(2048));
    assert_eq!(settings.check_every_minutes, Some(10));
}

#[test]
fn saving_an_edited_account_keeps_its_login_method() {
    let account = Account {
        id: AccountId(1),
        name: "old".to_owned(),
        settings: AccountSettings {
            host: "pop.example.org".to_owned(),
            username: "me".to_owned(),
            security: Security::Plain,
            auth_method: AuthChoice::User,
            ..AccountSettings::default()
        },
    };
    let (_, settings) = AccountForm::edit(&account).validate().expect("valid");
    assert_eq!(settings, account.settings);
    assert_eq!(AccountForm::new_account().auth_method, AuthChoice::Auto);
}

#[test]
fn the_port_follows_security_until_typed() {
    let mut form = AccountForm::new_account();
    form.set_security(Security::StartTls);
    assert_eq!(form.port, "110");
    form.set_security(Security::Tls);
    assert_eq!(form.port, "995");
    form.port = "1995".to_owned();
    form.port_typed = true;
    form.set_security(Security::StartTls);
    assert_eq!(form.port, "1995");
}

#[test]
fn every_wrong_field_is_reported_at_once_in_the_forms_order() {
    let mut form = AccountForm::new_account();
    form.name = "home/work".to_owned();
    form.email = "me.example.org".to_owned();
    form.host = "pop example org".to_owned();
    form.port = "0".to_owned();
    form.username = "  ".to_owned();
    form.remove_after_days = "0".to_owned();
    form.size_limit_kb = "lots".to_owned();
    form.check_every_minutes = "-5".to_owned();
    let errors = form.validate().expect_err("invalid");
    let expected = [
        (Field::Name, "The account name cannot contain “/”."),
        (Field::Email, "An email address has an “@”."),
        (Field::Host, "A server name has no spaces."),
        (Field::Port, "The port is a number from 1 to 65535."),
        (
            Field::Username,
            "Enter the username (often the email address).",
        ),
        (
            Field::Number,
            "Days before removing from the server must be a whole number above 0.",
        ),
        (
            Field::Number,
            "The size limit must be a whole number above 0.",
        ),
        (
            Field::Number,
            "Minutes between checks must be a whole number above 0.",
        ),
    ];
    let errors: Vec<(Field, &str)> = errors
        .iter()
        .map(|(field, message)| (*field, message.as_str()))
        .collect();
    assert_eq!(errors, expected);
}

#[test]
fn the_name_falls_back_to_the_email_and_refuses_slashes_and_control_characters() {
    assert_eq!(
        account_name("  ", " me@example.org ").as_deref(),
        Ok("me@example.org")
    );
    assert_eq!(
        account_name(" home ", "me@example.org").as_deref(),
        Ok("home")
    );
    let empty = account_name("", " ").expect_err("no name");
    assert_eq!(
        empty,
        (
            Field::Name,
            "Give the account a name or an email address.".to_owned()
        )
    );
    assert!(account_name("a/b", "").is_err());
    assert!(account_name("a\tb", "").is_err());
    assert!(account_name("", "me/you@example.org").is_err());
}

#[test]
fn server_fields_are_trimmed_and_checked() {
    assert_eq!(email_address(""), Ok(""));
    assert_eq!(email_address(" me@example.org "), Ok("me@example.org"));
    assert!(email_address("me").is_err());
    assert_eq!(server_host(" pop.example.org "), Ok("pop.example.org"));
    let empty = server_host(" ").expect_err("empty host");
    assert_eq!(
        empty.1, "Enter the POP3 server, e.g. pop.example.org.",
        "an empty host asks for one rather than calling it spaced"
    );
    assert_eq!(server_port(" 110 "), Ok(110));
    assert_eq!(server_port("65535"), Ok(65535));
    for wrong in ["", "0", "65536", "-1", "pop"] {
        assert!(server_port(wrong).is_err(), "{wrong:?}");
    }
    assert_eq!(login_name(" me "), Ok("me"));
    assert!(login_name("").is_err());
}

#[test]
fn optional_numbers_are_empty_or_above_zero() {
    assert_eq!(optional_number(" ", "The size limit"), Ok(None));
    assert_eq!(optional_number(" 30 ", "The size limit"), Ok(Some(30)));
    assert_eq!(
        optional_number("0", "The size limit"),
        Err((
            Field::Number,
            "The size limit must be a whole number above 0.".to_owned()
        ))
    );
    assert!(optional_number("1.5", "The size limit").is_err());
    assert!(optional_number("4294967296", "The size limit").is_err());
}

#[test]
fn save_keeps_the_errors_on_screen_until_the_fields_are_fixed() {
    let mut form = valid_form();
    form.host.clear();
    assert_eq!(form.checked(FormAction::Save), None);
    assert_eq!(
        form.error_for(Field::Host),
        Some("Enter the POP3 server, e.g. pop.example.org.")
    );
    form.host = "pop.example.org".to_owned();
    assert_eq!(form.checked(FormAction::Test), Some(FormAction::Test));
    assert!(form.errors.is_empty());
}

/// A harness drawing `form`, keeping the last action the form returned in its state.
fn drawn(form: AccountForm) -> Harness<'static, (AccountForm, Option<FormAction>)> {
    // Tall enough for the whole form (the settings window scrolls it).
    let mut harness = Harness::builder()
        .with_size(egui::vec2(800.0, 1100.0))
        .build_ui_state(
            |ui, (form, action): &mut (AccountForm, Option<FormAction>)| {
                if let Some(done) = form.show(ui, "keyring") {
                    *action = Some(done);
                }
            },
            (form, None),
        );
    harness.run();
    harness
}

#[test]
fn a_wrong_number_is_shown_once_below_the_policies_and_save_does_nothing() {
    let mut form = valid_form();
    form.size_limit_kb = "0".to_owned();
    let mut harness = drawn(form);
    harness.get_by_label("Save").click();
    harness.run();
    let message = "The size limit must be a whole number above 0.";
    assert_eq!(harness.query_all_by_label(message).count(), 1);
    assert_eq!(harness.state().1, None);

    harness.state_mut().0.size_limit_kb.clear();
    harness.run();
    harness.get_by_label("Save").click();
    harness.run();
    assert_eq!(harness.state().1, Some(FormAction::Save));
    assert!(harness.query_by_label(message).is_none());
}

#[test]
fn an_edited_account_shows_its_name_to_rename_its_certificate_and_remove() {
    let account = Account {
        id: AccountId(1),
        name: "old".to_owned(),
        settings: AccountSettings {
            host: "pop.example.org".to_owned(),
            username: "me".to_owned(),
            security: Security::Plain,
            pinned_fingerprint: Some("AB:CD".to_owned()),
            ..AccountSettings::default()
        },
    };
    let mut harness = drawn(AccountForm::edit(&account));
    assert_eq!(
        harness.get_by_label("Account name").value().as_deref(),
        Some("old"),
        "a saved account's name can be changed"
    );
    harness.get_by_label("Trusted certificate: AB:CD");
    harness.get_by_label(
        "⚠ Without encryption your password and mail cross the network readable by anyone on the way.",
    );
    harness.get_by_label("Remember password (keyring)");
    harness.get_by_label("Remove account…").click();
    harness.run();
    assert_eq!(harness.state().1, Some(FormAction::Remove));

    let new = drawn(AccountForm::new_account());
    new.get_by_label("Account name");
    assert!(new.query_by_label("Remove account…").is_none());
    assert!(new.query_by_label_contains("Without encryption").is_none());
}

#[test]
fn typing_a_port_keeps_it_when_security_changes() {
    let mut harness = drawn(AccountForm::new_account());
    harness.get_by_label("Port").click();
    harness.run();
    harness.get_by_label("Port").type_text("5");
    harness.run();
    let typed = harness.state().0.port.clone();
    assert_eq!(typed, "9955");
    harness.state_mut().0.set_security(Security::StartTls);
    assert_eq!(harness.state().0.port, typed);
}

/// What the Server field shows.
fn shown_host(harness: &Harness<'static, (AccountForm, Option<FormAction>)>) -> String {
    harness.get_by_label("Server").value().unwrap_or_default()
}

#[test]
fn the_server_follows_the_address_until_the_user_types_one() {
    let mut harness = drawn(AccountForm::new_account());
    harness.get_by_label("Email address").click();
    harness.run();
    harness
        .get_by_label("Email address")
        .type_text("me@gmail.com");
    harness.run();
    assert_eq!(shown_host(&harness), "pop.gmail.com");
    assert_eq!(harness.state().0.username, "me@gmail.com");

    // The address changes to a domain no preset knows: the server follows it, guessed.
    for _ in 0.."gmail.com".len() {
        harness.key_press(egui::Key::Backspace);
    }
    harness
        .get_by_label("Email address")
        .type_text("example.org");
    harness.run();
    assert_eq!(shown_host(&harness), "pop.example.org");
    assert_eq!(harness.state().0.port, "995");
    assert_eq!(harness.state().0.username, "me@example.org");
    harness.get_by_label(&format!("ℹ {GUESSED_NOTE}"));

    // Once the user types a server (and a username), the address no longer changes them.
    harness.get_by_label("Server").click();
    harness.run();
    harness.key_press(egui::Key::End);
    harness.get_by_label("Server").type_text(".net");
    harness.get_by_label("Username").click();
    harness.run();
    harness.get_by_label("Username").type_text("x");
    harness.get_by_label("Email address").click();
    harness.run();
    harness.key_press(egui::Key::End);
    harness.get_by_label("Email address").type_text("x");
    harness.run();
    assert_eq!(shown_host(&harness), "pop.example.org.net");
    assert_eq!(harness.state().0.username, "me@example.orgx");
    assert!(
        harness
            .query_by_label(&format!("ℹ {GUESSED_NOTE}"))
            .is_none()
    );
}

#[test]
fn an_error_goes_as_soon_as_its_field_is_valid_and_the_others_stay() {
    let mut form = valid_form();
    form.host.clear();
    form.port = "0".to_owned();
    let mut harness = drawn(form);
    harness.get_by_label("Save").click();
    harness.run();
    let host_error = "Enter the POP3 server, e.g. pop.example.org.";
    let port_error = "The port is a number from 1 to 65535.";
    harness.get_by_label(host_error);
    harness.get_by_label(port_error);

    harness.get_by_label("Server").click();
    harness.run();
    harness.get_by_label("Server").type_text("p");
    harness.run();
    assert!(
        harness.query_by_label(host_error).is_none(),
        "the server is valid now: its error went while typing"
    );
    harness.get_by_label(port_error);

    // Emptying a valid field adds no error while typing; Save reports it.
    harness.get_by_label("Username").click();
    harness.run();
    harness.key_press(egui::Key::Backspace);
    harness.key_press(egui::Key::Backspace);
    harness.run();
    assert!(
        harness
            .query_by_label("Enter the username (often the email address).")
            .is_none()
    );
}

#[test]
fn the_login_method_is_chosen_in_the_form() {
    let mut harness = drawn(valid_form());
    harness.get_by_label("Login method").click();
    harness.run();
    harness.get_by_label("USER/PASS").click();
    harness.run();
    assert_eq!(harness.state().0.auth_method, AuthChoice::User);
    let (_, settings) = harness.state().0.validate().expect("valid");
    assert_eq!(settings.auth_method, AuthChoice::User);

    harness.get_by_label("Login method").click();
    harness.run();
    harness.get_by_label("SASL XOAUTH2 (OAuth token)").click();
    harness.run();
    harness.get_by_label("Access token");
}

#[test]
fn the_outgoing_server_follows_the_address_until_typed_and_its_port_follows_security() {
    let mut form = AccountForm::new_account();
    form.email = "ada@gmail.com".to_owned();
    form.apply_preset();
    assert_eq!(form.smtp.host, "smtp.gmail.com");
    assert_eq!(
        (form.smtp.security, form.smtp_port.as_str()),
        (Security::Tls, "465")
    );
    form.set_smtp_security(Security::StartTls);
    assert_eq!(form.smtp_port, "587", "submission with STARTTLS");

    form.email = "ada@example.net".to_owned();
    form.apply_preset();
    assert_eq!(
        form.smtp.host, "smtp.example.net",
        "guessed from the domain"
    );
    form.smtp.host = "mail.example.net".to_owned();
    form.smtp_host_typed();
    form.email = "ada@example.org".to_owned();
    form.apply_preset();
    assert_eq!(
        form.smtp.host, "mail.example.net",
        "what the user typed stays"
    );

    form.host = "pop.example.org".to_owned();
    form.username = "ada".to_owned();
    form.smtp_port = "nope".to_owned();
    form.smtp.host = "mail example".to_owned();
    let errors = form.validate().expect_err("bad outgoing server");
    assert!(errors.iter().any(|(field, _)| *field == Field::SmtpHost));
    assert!(errors.iter().any(|(field, _)| *field == Field::SmtpPort));

    form.smtp.host = "mail.example.net".to_owned();
    form.smtp_port = "2525".to_owned();
    form.identity.name = "Ada Lovelace".to_owned();
    form.smtp_password = "kept apart".to_owned();
    let (_, settings) = form.validate().expect("valid");
    assert_eq!(settings.smtp.host, "mail.example.net");
    assert_eq!(settings.smtp.port, 2525);
    assert_eq!(settings.identity.name, "Ada Lovelace");
    assert!(settings.can_send());

    form.smtp.host.clear();
    form.smtp_port = "garbage".to_owned();
    let (_, settings) = form.validate().expect("no outgoing server is valid");
    assert!(!settings.can_send());
}

#[test]
fn the_sending_part_shows_its_fields_and_the_outgoing_test() {
    let mut form = valid_form();
    form.smtp.host = "smtp.example.org".to_owned();
    form.smtp_test = SmtpTestState::Failed("cannot connect".to_owned());
    let harness = drawn(form);
    for label in [
        "Name on sent mail",
        "Outgoing server",
        "Outgoing security",
        "Outgoing port",
        "Outgoing username",
        "Outgoing password",
        "Signature",
    ] {
        harness.get_by_label(label);
    }
    harness.get_by_label("✖ Outgoing: cannot connect");
}
