//! Desktop notifications for new mail, through the desktop's `notify-send` when it exists.

/// Announces `count` new messages; says nothing about their content. Failures are ignored:
/// a missing notifier must never disturb reading mail.
pub fn new_mail(count: usize) {
    let body = if count == 1 {
        "1 new message".to_owned()
    } else {
        format!("{count} new messages")
    };
    let _ = std::process::Command::new("notify-send")
        .args(["--app-name=Satchel", "--icon=satchel", "Satchel", &body])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
}
