//! Round trips through the mbox and Maildir writers and readers.

use super::*;

fn tricky_messages() -> Vec<Vec<u8>> {
    vec![
        b"Subject: one\n\nFrom the start of a line\n>From already quoted\n>>From twice\n".to_vec(),
        b"Subject: crlf\r\n\r\nline one\r\n\r\nFrom here\r\n".to_vec(),
        b"Subject: ends with blank lines\n\nbody\n\n\n".to_vec(),
        b"From: first line looks like a header\nSubject: x\n\n>From\n From not at start\n".to_vec(),
        b"Subject: 8-bit \xe9\xff\n\n\x00binary\x01\n".to_vec(),
    ]
}

#[test]
fn mbox_round_trip_is_byte_exact() {
    let messages = tricky_messages();
    let mut writer = MboxWriter::new(Vec::new());
    for (index, raw) in messages.iter().enumerate() {
        writer
            .write(
                raw,
                "sender@example.org",
                1_700_000_000 + i64::try_from(index).unwrap_or(0),
            )
            .unwrap_or_default();
    }
    let mbox = writer.finish().unwrap_or_default();
    assert!(mbox.starts_with(b"From sender@example.org Tue Nov 14 22:13:20 2023\n"));
    let read: Vec<DiskMessage> = MboxReader::new(&mbox[..])
        .map(|message| message.unwrap_or_else(|err| panic!("{err}")))
        .collect();
    assert_eq!(read.len(), messages.len());
    for (original, back) in messages.iter().zip(&read) {
        assert_eq!(&back.raw, original, "{}", String::from_utf8_lossy(original));
        assert_eq!(back.envelope_from.as_deref(), Some("sender@example.org"));
    }
}

#[test]
fn mbox_quotes_from_lines_for_other_readers() {
    let mut writer = MboxWriter::new(Vec::new());
    writer
        .write(b"Subject: q\n\nFrom me\n>From you\n", "", 0)
        .unwrap_or_default();
    let mbox = String::from_utf8(writer.finish().unwrap_or_default()).unwrap_or_default();
    assert_eq!(
        mbox,
        "From MAILER-DAEMON Thu Jan  1 00:00:00 1970\nSubject: q\n\n>From me\n>>From you\n\n"
    );
}

#[test]
fn mbox_reader_handles_junk_and_missing_final_newline() {
    let input = b"junk before\nFrom a@b Mon Jan  1 00:00:00 2024\nSubject: a\n\nbody a\n\nFrom b@c Mon Jan  1 00:00:00 2024\nSubject: b\n\nno newline";
    let read: Vec<DiskMessage> = MboxReader::new(&input[..]).filter_map(Result::ok).collect();
    assert_eq!(read.len(), 2);
    assert_eq!(read[0].raw, b"Subject: a\n\nbody a\n");
    assert_eq!(read[1].raw, b"Subject: b\n\nno newline");
    assert_eq!(MboxReader::new(&b""[..]).count(), 0);
}

#[test]
fn maildir_round_trip_keeps_bytes_and_flags() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let mut writer = MaildirWriter::create(dir.path()).unwrap_or_else(|err| panic!("{err}"));
    let messages = tricky_messages();
    let flag_sets = [
        Flags {
            seen: true,
            flagged: false,
            answered: false,
        },
        Flags {
            seen: false,
            flagged: true,
            answered: true,
        },
        Flags::default(),
        Flags {
            seen: true,
            flagged: true,
            answered: true,
        },
        Flags::default(),
    ];
    for (index, (raw, flags)) in messages.iter().zip(flag_sets).enumerate() {
        writer
            .write(i64::try_from(index).unwrap_or(0), raw, flags, 1_700_000_000)
            .unwrap_or_else(|err| panic!("{err}"));
    }
    assert_eq!(
        detect(dir.path()).ok(),
        Some(Source::Maildir(dir.path().to_owned()))
    );
    let read: Vec<DiskMessage> = read_maildir(dir.path())
        .unwrap_or_else(|err| panic!("{err}"))
        .map(|m| m.unwrap_or_else(|err| panic!("{err}")))
        .collect();
    assert_eq!(read.len(), messages.len());
    for ((original, flags), back) in messages.iter().zip(flag_sets).zip(&read) {
        assert_eq!(&back.raw, original);
        assert_eq!(back.flags, flags);
    }
    assert_eq!(
        std::fs::read_dir(dir.path().join("tmp")).map_or(1, Iterator::count),
        0
    );
}

#[test]
fn detects_sources_and_refuses_others() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let mbox = dir.path().join("box");
    std::fs::write(&mbox, b"From x Thu Jan  1 00:00:00 1970\n\n").unwrap_or_default();
    let eml = dir.path().join("one.eml");
    std::fs::write(&eml, b"Subject: x\n\n").unwrap_or_default();
    assert_eq!(detect(&mbox).ok(), Some(Source::Mbox(mbox.clone())));
    assert_eq!(detect(&eml).ok(), Some(Source::Eml(eml.clone())));
    assert_eq!(
        detect(dir.path()).ok(),
        Some(Source::EmlFolder(dir.path().to_owned()))
    );
    let empty = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    assert!(matches!(
        detect(empty.path()),
        Err(MailboxError::NotAMailbox(_))
    ));
    assert!(matches!(
        detect(&dir.path().join("missing")),
        Err(MailboxError::Missing(_))
    ));
}

#[test]
fn mbox_skips_a_message_over_the_limit_and_reads_on() {
    let big_body = "x".repeat(5_000);
    let input = format!(
        "From a@b Mon Jan  1 00:00:00 2024\nSubject: small\n\none\n\n\
         From b@c Mon Jan  1 00:00:00 2024\nSubject: big\n\n{big_body}\n\n\
         From c@d Mon Jan  1 00:00:00 2024\nSubject: after\n\nthree\n"
    );
    let read: Vec<_> = MboxReader::with_limit(input.as_bytes(), 1_000).collect();
    assert_eq!(read.len(), 3);
    assert_eq!(
        read[0].as_ref().map(|m| m.raw.clone()).ok(),
        Some(b"Subject: small\n\none\n".to_vec())
    );
    assert!(
        matches!(
            read[1],
            Err(MboxError::TooLarge {
                number: 2,
                offset: 55,
                limit: 1_000
            })
        ),
        "{:?}",
        read[1]
    );
    assert_eq!(
        read[2].as_ref().map(|m| m.raw.clone()).ok(),
        Some(b"Subject: after\n\nthree\n".to_vec())
    );
}

#[test]
fn mbox_line_without_end_is_read_in_pieces_and_bounded() {
    // 1 MiB with no newline at all: never held as one line, and over the limit.
    let mut input = b"From a@b Mon Jan  1 00:00:00 2024\nSubject: endless\n\n".to_vec();
    input.extend(std::iter::repeat_n(b'z', 1 << 20));
    let read: Vec<_> = MboxReader::with_limit(&input[..], 100_000).collect();
    assert_eq!(read.len(), 1);
    assert!(matches!(
        read[0],
        Err(MboxError::TooLarge { number: 1, .. })
    ));
    // Under a large enough limit the same message comes back whole, pieces joined.
    let whole: Vec<_> = MboxReader::with_limit(&input[..], 2 << 20).collect();
    assert_eq!(
        whole[0].as_ref().map(|m| m.raw.len()).ok(),
        Some(input.len() - 34)
    );
}

#[test]
fn message_files_must_be_regular_and_within_the_limit() {
    let dir = tempfile::tempdir().unwrap_or_else(|err| panic!("{err}"));
    let file = dir.path().join("msg");
    std::fs::write(&file, b"Subject: x\n\n12345\n").unwrap_or_else(|err| panic!("{err}"));
    assert_eq!(
        read_message_file(&file, 100).ok(),
        Some(b"Subject: x\n\n12345\n".to_vec())
    );
    assert!(matches!(
        read_message_file(&file, 10),
        Err(MailboxError::TooLarge {
            size: 18,
            limit: 10,
            ..
        })
    ));
    assert!(matches!(
        read_message_file(dir.path(), 100),
        Err(MailboxError::NotAFile {
            kind: "a directory",
            ..
        })
    ));
    let zero = dir.path().join("zero");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap_or_else(|err| panic!("{err}"));
    assert!(matches!(
        read_message_file(&zero, 100),
        Err(MailboxError::NotAFile {
            kind: "a device",
            ..
        })
    ));
    assert!(matches!(detect(&zero), Err(MailboxError::NotAMailbox(_))));
}
