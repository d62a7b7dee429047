use super::*;

fn stamp() -> Stamp {
    Stamp {
        date: "Thu, 03 Dec 2026 15:04:05 +0100".to_owned(),
        message_id: "abc123@example.org".to_owned(),
    }
}

fn ada() -> Mailbox {
    Mailbox::new("Ada Lovelace", "ada@example.org")
}

fn header_block(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    text.split("\r\n\r\n").next().unwrap_or_default().to_owned()
}

#[test]
fn a_sent_message_has_the_headers_rfc_5322_asks_for_in_ascii() {
    let draft = Draft {
        to: "Jörg Müller <jorg@example.de>, bob@example.org".to_owned(),
        bcc: "secret@example.org".to_owned(),
        subject: "Grüße — naïve café".to_owned(),
        body: "Hello Jörg,\n\nsee you.\n".to_owned(),
        ..Draft::default()
    };
    let built = build(&draft, &ada(), &stamp(), Purpose::Send).expect("built");
    let headers = header_block(&built.raw);
    assert!(headers.is_ascii(), "{headers}");
    for wanted in [
        "Date: Thu, 03 Dec 2026 15:04:05 +0100",
        "Message-ID: <abc123@example.org>",
        "MIME-Version: 1.0",
        "From: \"Ada Lovelace\" <ada@example.org>",
        "format=\"flowed\"",
    ] {
        assert!(headers.contains(wanted), "{wanted} in {headers}");
    }
    assert_eq!(
        built.recipients,
        ["jorg@example.de", "bob@example.org", "secret@example.org"]
    );
    let parsed = crate::message::parse(&built.raw, None);
    assert_eq!(parsed.subject, "Grüße — naïve café");
    assert!(
        parsed.to.contains("Jörg Müller <jorg@example.de>"),
        "{}",
        parsed.to
    );
    assert!(parsed.body_text.contains("Hello Jörg,"));
    let wire = strip_bcc(&built.raw);
    assert!(!String::from_utf8_lossy(&wire).contains("secret@"));
    assert!(String::from_utf8_lossy(&built.raw).contains("secret@example.org"));
}

#[test]
fn attachments_keep_their_bytes_and_non_ascii_names() {
    let binary: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    let draft = Draft {
        to: "bob@example.org".to_owned(),
        subject: "files".to_owned(),
        body: "two files".to_owned(),
        attachments: vec![
            Attachment {
                name: "Jahresabschluß 2026.pdf".to_owned(),
                mime_type: "application/pdf".to_owned(),
                bytes: binary.clone(),
            },
            Attachment {
                name: "notes.txt".to_owned(),
                mime_type: "text/plain".to_owned(),
                bytes: b"plain\r\n.\r\nnot the end\r\n".to_vec(),
            },
        ],
        ..Draft::default()
    };
    let built = build(&draft, &ada(), &stamp(), Purpose::Send).expect("built");
    let text = String::from_utf8_lossy(&built.raw);
    assert!(
        text.contains("filename*=UTF-8''Jahresabschlu%C3%9F%202026.pdf"),
        "{text:.2000}"
    );
    assert!(text.contains("Content-Transfer-Encoding: base64"));
    let parsed = crate::message::parse(&built.raw, None);
    let names: Vec<&str> = parsed.attachments.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(names, ["Jahresabschluß 2026.pdf", "notes.txt"]);
    let bytes = crate::message::attachments_bytes(&built.raw, &[0, 1]);
    assert_eq!(bytes[0].as_deref(), Some(&binary[..]));
    assert_eq!(
        bytes[1].as_deref(),
        Some(&b"plain\r\n.\r\nnot the end\r\n"[..])
    );
}

#[test]
fn sending_refuses_what_is_not_an_address_and_a_draft_keeps_it() {
    let draft = Draft {
        to: "bob@example.org, half typed".to_owned(),
        subject: "s".to_owned(),
        ..Draft::default()
    };
    let err = build(&draft, &ada(), &stamp(), Purpose::Send).expect_err("refused");
    assert!(
        matches!(err, ComposeError::BadRecipient { field: "To", .. }),
        "{err}"
    );
    assert_eq!(
        build(&Draft::default(), &ada(), &stamp(), Purpose::Send).expect_err("nobody"),
        ComposeError::NoRecipients
    );
    let saved = build(&draft, &ada(), &stamp(), Purpose::Draft).expect("draft");
    let reopened = reopen(&saved.raw);
    assert_eq!(reopened.to, draft.to);
}

#[test]
fn a_draft_reopens_as_it_was_typed() {
    let draft = Draft {
        to: "\"Lee, Sam\" <sam@example.org>".to_owned(),
        cc: "Zoë <zoe@example.org>".to_owned(),
        bcc: "hidden@example.org".to_owned(),
        subject: "Plans for Zürich".to_owned(),
        body: "Line one is long enough that flowed would have wrapped it if this were being sent out now.\n> quoted\n\n-- \nAda\n".to_owned(),
        attachments: vec![Attachment {
            name: "map.png".to_owned(),
            mime_type: "image/png".to_owned(),
            bytes: vec![0x89, b'P', b'N', b'G', 0, 1, 2, 255],
        }],
        in_reply_to: Some("parent@example.org".to_owned()),
        references: vec!["root@example.org".to_owned(), "parent@example.org".to_owned()],
    };
    let saved = build(&draft, &ada(), &stamp(), Purpose::Draft).expect("draft");
    assert_eq!(reopen(&saved.raw), draft);
}

const ORIGINAL: &[u8] = b"From: Bob Stone <bob@example.org>\r\n\
To: Ada Lovelace <ada@example.org>, carol@example.org\r\n\
Cc: dave@example.org, ADA@example.org\r\n\
Subject: Lunch?\r\n\
Date: Wed, 02 Dec 2026 12:00:00 +0000\r\n\
Message-ID: <m2@example.org>\r\n\
References: <m0@example.org> <m1@example.org>\r\n\
In-Reply-To: <m1@example.org>\r\n\
\r\n\
Shall we?\r\n\
> earlier words\r\n\
-- \r\n\
Bob's signature\r\n";

#[test]
fn a_reply_quotes_the_text_and_names_the_conversation() {
    let zone = jiff::tz::TimeZone::UTC;
    let mine = vec!["ada@example.org".to_owned()];
    let draft = reply(ORIGINAL, &mine, false, "Ada", &zone);
    assert_eq!(draft.to, "Bob Stone <bob@example.org>");
    assert_eq!(draft.cc, "");
    assert_eq!(draft.subject, "Re: Lunch?");
    assert_eq!(draft.in_reply_to.as_deref(), Some("m2@example.org"));
    assert_eq!(
        draft.references,
        ["m0@example.org", "m1@example.org", "m2@example.org"]
    );
    assert!(
        draft.body.contains("On Wed 2 Dec 2026 12:00, Bob Stone <bob@example.org> wrote:\n> Shall we?\n>> earlier words\n"),
        "{}",
        draft.body
    );
    assert!(!draft.body.contains("Bob's signature"));
    assert!(draft.body.ends_with("-- \nAda\n"), "{:?}", draft.body);

    let all = reply(ORIGINAL, &mine, true, "", &zone);
    assert_eq!(all.to, "Bob Stone <bob@example.org>");
    assert_eq!(all.cc, "carol@example.org, dave@example.org");
    let again = reply(
        &build(&all, &ada(), &stamp(), Purpose::Send)
            .expect("built")
            .raw,
        &mine,
        false,
        "",
        &zone,
    );
    assert_eq!(again.subject, "Re: Lunch?", "Re: is set once");
    assert_eq!(
        again.to, "Bob Stone <bob@example.org>",
        "a reply to my own message goes to its To"
    );
}

#[test]
fn a_reply_goes_to_reply_to_when_the_original_names_one() {
    let raw = b"From: list-bot@example.org\r\nReply-To: list@example.org\r\nTo: ada@example.org\r\nSubject: RE: x\r\n\r\nhi\r\n";
    let draft = reply(
        raw,
        &["ada@example.org".to_owned()],
        true,
        "",
        &jiff::tz::TimeZone::UTC,
    );
    assert_eq!(draft.to, "list@example.org");
    assert_eq!(draft.cc, "");
    assert_eq!(draft.subject, "RE: x");
}

#[test]
fn forwards_inline_or_as_an_attachment() {
    let zone = jiff::tz::TimeZone::UTC;
    let inline = forward(ORIGINAL, ForwardStyle::Inline, "", &zone);
    assert_eq!(inline.subject, "Fwd: Lunch?");
    assert!(
        inline
            .body
            .contains("-------- Forwarded Message --------\nSubject: Lunch?\n")
    );
    assert!(inline.body.contains("Shall we?"));
    assert!(inline.to.is_empty() && inline.in_reply_to.is_none());
    let attached = forward(ORIGINAL, ForwardStyle::AsAttachment, "", &zone);
    assert_eq!(attached.attachments.len(), 1);
    assert_eq!(attached.attachments[0].name, "Lunch?.eml".replace('?', "_"));
    let built = build(
        &Draft {
            to: "eve@example.org".to_owned(),
            ..attached
        },
        &ada(),
        &stamp(),
        Purpose::Send,
    )
    .expect("built");
    let text = String::from_utf8_lossy(&built.raw);
    assert!(text.contains("Content-Type: message/rfc822"), "{text}");
    assert!(
        text.contains("Message-ID: <m2@example.org>"),
        "the original travels as it is"
    );
}
