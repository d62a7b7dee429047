//! `satchel import` reads only regular message files, each within the size limit.

mod support;

use std::fs;

use support::cli::{satchel, stderr, stdout};

#[test]
fn maildir_with_device_fifo_folder_and_huge_file_imports_the_real_mail() {
    let data = tempfile::tempdir().expect("temp");
    let maildir = data.path().join("Maildir");
    fs::create_dir_all(maildir.join("cur")).expect("mkdir");
    fs::create_dir_all(maildir.join("new")).expect("mkdir");
    fs::write(maildir.join("cur/1.good:2,S"), b"Subject: first\n\nok\n").expect("write");
    fs::write(maildir.join("new/9.good"), b"Subject: second\n\nok\n").expect("write");
    // Before the fix this read /dev/zero until memory ran out.
    std::os::unix::fs::symlink("/dev/zero", maildir.join("new/2.zero")).expect("symlink");
    // Before the fix opening this blocked for ever, waiting for a writer.
    let fifo = maildir.join("cur/3.fifo:2,");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    fs::create_dir_all(maildir.join("cur/4.folder:2,")).expect("mkdir");
    // Sparse: 300 MiB long, nothing on disk; over the 256 MiB limit for one message.
    let huge = fs::File::create(maildir.join("cur/5.huge:2,")).expect("create");
    huge.set_len(300 << 20).expect("set_len");

    let output = satchel(data.path(), &["import", &maildir.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).trim(),
        "imported 2, skipped 0 (already stored), unreadable 4"
    );
    let message = stderr(&output);
    for expected in [
        "2.zero: it is a device, not a regular file",
        "3.fifo:2,: it is a FIFO, not a regular file",
        "4.folder:2,: it is a directory, not a regular file",
        "5.huge:2,: its 314572800 bytes are more than the limit of 268435456 bytes",
    ] {
        assert!(message.contains(expected), "{expected} in {message}");
    }
    let found = stdout(&satchel(data.path(), &["search", "--json", "ok"]));
    assert_eq!(found.lines().count(), 2, "{found}");
}

#[test]
fn a_device_or_fifo_named_on_the_command_line_is_refused_at_once() {
    let data = tempfile::tempdir().expect("temp");
    let fifo = data.path().join("pipe.eml");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    for path in ["/dev/zero", &fifo.to_string_lossy()] {
        let output = satchel(data.path(), &["import", path]);
        assert_eq!(output.status.code(), Some(2));
        assert!(
            stderr(&output).contains("is not a Maildir folder, an mbox file or an .eml file"),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn an_oversized_eml_in_a_folder_is_reported_and_the_rest_imported() {
    let data = tempfile::tempdir().expect("temp");
    let folder = data.path().join("emls");
    fs::create_dir_all(&folder).expect("mkdir");
    fs::write(folder.join("a.eml"), b"Subject: fine\n\nok\n").expect("write");
    std::os::unix::fs::symlink("/dev/zero", folder.join("b.eml")).expect("symlink");
    let output = satchel(data.path(), &["import", &folder.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stdout(&output).trim(),
        "imported 1, skipped 0 (already stored), unreadable 1"
    );
    assert!(
        stderr(&output).contains("b.eml: it is a device"),
        "{}",
        stderr(&output)
    );
}
