//! Every search operator against a small, known corpus.

mod support;

use satchel::message;
use satchel::model::{FlagChange, Flags, MessageId};
use satchel::store::search::QueryError;
use satchel::store::{AccountSettings, InsertOutcome, NewMessage, StoreError, raw_sha256};
use support::store::{TempStore, mail};

struct Corpus {
    temp: TempStore,
    report: MessageId,
    reply: MessageId,
    sale: MessageId,
    kickoff: MessageId,
    home: MessageId,
}

fn with_attachment() -> Vec<u8> {
    b"From: =?utf-8?Q?Zo=C3=AB_Adams?= <zoe@example.org>\r\nTo: Bob <bob@example.com>\r\n\
Subject: Quarterly report\r\nDate: Wed, 10 Jan 2024 09:00:00 +0000\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"sep\"\r\n\r\n--sep\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
Please find the caf\xc3\xa9 menu and the numbers attached.\r\n--sep\r\nContent-Type: application/vnd.ms-excel\r\n\
Content-Disposition: attachment; filename=\"budget-2024.xlsx\"\r\nContent-Transfer-Encoding: base64\r\n\r\nAAECAw==\r\n--sep--\r\n"
        .to_vec()
}

fn corpus() -> Corpus {
    let mut temp = TempStore::new();
    let mail_folder = temp.store.create_folder("Mail").expect("folder");
    let work = temp.store.create_folder("Work").expect("folder");
    let report = temp.add(mail_folder, &with_attachment());
    let reply = temp.add(
        mail_folder,
        &mail(
            "Bob <bob@example.com>",
            "zoe@example.org",
            "Re: Quarterly report",
            "Thu, 15 Feb 2024 12:00:00 +0000",
            "Thanks, the report looks great. Meeting agenda follows.",
        ),
    );
    temp.store
        .set_flag(&[reply], FlagChange::Flagged)
        .expect("flag");
    let mut big = mail(
        "news@shop.example",
        "bob@example.com",
        "Big sale",
        "Fri, 1 Dec 2023 08:00:00 +0000",
        "R\u{e9}sum\u{e9} of deals",
    );
    big.extend(std::iter::repeat_n(b'x', 5 * 1024 * 1024 + 100));
    let sale = temp.add(mail_folder, &big);
    let kickoff = temp.add_with(
        work,
        &mail(
            "lead@example.org",
            "team@example.org",
            "Project kickoff",
            "Fri, 1 Mar 2024 09:00:00 +0000",
            "agenda for the kickoff meeting",
        ),
        Flags {
            seen: true,
            ..Flags::default()
        },
    );
    let account = temp
        .store
        .add_account("home", &AccountSettings::default())
        .expect("account");
    let inbox = temp.store.inbox_of(account.id).expect("inbox");
    let raw = mail(
        "friend@example.net",
        "me@example.net",
        "Dinner plans",
        "Sat, 2 Mar 2024 19:00:00 +0000",
        "Shall we meet at eight?",
    );
    let parsed = message::parse(&raw, None);
    let sha = raw_sha256(&raw);
    let new = NewMessage {
        raw: &raw,
        raw_sha256: &sha,
        parsed: &parsed,
        folder_id: inbox,
        account_id: Some(account.id),
        flags: Flags::default(),
        received_at: 0,
        headers_only: false,
        stored_raw: None,
    };
    let InsertOutcome::Stored(home) = temp.store.insert_messages(&[new]).expect("insert")[0] else {
        panic!("duplicate")
    };
    Corpus {
        temp,
        report,
        reply,
        sale,
        kickoff,
        home,
    }
}

fn ids(corpus: &Corpus, query: &str) -> Vec<MessageId> {
    corpus
        .temp
        .store
        .search(query, 200)
        .unwrap_or_else(|err| panic!("{query}: {err}"))
        .iter()
        .map(|hit| hit.id)
        .collect()
}

#[test]
fn words_are_anded_case_and_accent_insensitive_newest_first() {
    let c = corpus();
    assert_eq!(ids(&c, "report"), [c.reply, c.report]);
    assert_eq!(ids(&c, "REPORT "), [c.reply, c.report]);
    assert_eq!(ids(&c, "report agenda"), [c.reply]);
    assert_eq!(ids(&c, "cafe"), [c.report]);
    assert_eq!(ids(&c, "CAFÉ"), [c.report]);
    assert_eq!(ids(&c, "resume "), [c.sale]);
    assert_eq!(
        ids(&c, "budget"),
        [c.report],
        "attachment names are indexed"
    );
}

#[test]
fn phrases_and_prefixes() {
    let c = corpus();
    assert_eq!(ids(&c, "\"report looks great\""), [c.reply]);
    assert!(ids(&c, "\"great report\"").is_empty());
    assert_eq!(ids(&c, "agen* "), [c.kickoff, c.reply]);
    assert_eq!(
        ids(&c, "quart"),
        [c.reply, c.report],
        "the last word matches as a prefix while typing"
    );
    assert!(ids(&c, "quart ").is_empty(), "a finished word is whole");
    assert_eq!(ids(&c, "ki"), [c.kickoff], "two letters are enough");
}

#[test]
fn field_operators() {
    let c = corpus();
    assert_eq!(ids(&c, "from:zoe "), [c.report]);
    assert_eq!(ids(&c, "from:\"Zoe Adams\""), [c.report]);
    assert_eq!(ids(&c, "from:bob@example.com "), [c.reply]);
    assert_eq!(ids(&c, "to:bob "), [c.report, c.sale]);
    assert_eq!(ids(&c, "subject:kickoff "), [c.kickoff]);
    assert!(ids(&c, "subject:agenda ").is_empty());
}

#[test]
fn filter_operators() {
    let c = corpus();
    assert_eq!(ids(&c, "folder:Work"), [c.kickoff]);
    assert_eq!(ids(&c, "folder:Inbox account:home"), [c.home]);
    assert_eq!(ids(&c, "account:home"), [c.home]);
    assert_eq!(ids(&c, "has:attachment"), [c.report]);
    assert_eq!(ids(&c, "is:unread"), [c.home, c.reply, c.report, c.sale]);
    assert_eq!(ids(&c, "is:read"), [c.kickoff]);
    assert_eq!(ids(&c, "is:flagged"), [c.reply]);
    assert_eq!(ids(&c, "before:2024-01-01"), [c.sale]);
    assert_eq!(ids(&c, "after:2024-02-15"), [c.home, c.kickoff, c.reply]);
    assert_eq!(ids(&c, "larger:5M"), [c.sale]);
    assert_eq!(ids(&c, "smaller:1K folder:Mail"), [c.reply, c.report]);
    assert!(ids(&c, "smaller:100").is_empty());
}

#[test]
fn operators_combine() {
    let c = corpus();
    assert_eq!(ids(&c, "report after:2024-02-01 is:flagged"), [c.reply]);
    assert_eq!(ids(&c, "meeting is:read folder:work"), [c.kickoff]);
    assert!(ids(&c, "report before:2024-01-01").is_empty());
}

#[test]
fn hits_carry_folder_and_snippet() {
    let c = corpus();
    let hits = c.temp.store.search("cafe", 10).expect("search");
    assert_eq!(hits[0].folder, "Mail");
    assert!(hits[0].snippet.contains("café menu"), "{}", hits[0].snippet);
    assert!(hits[0].has_attachments);
    let filtered = c.temp.store.search("is:read", 10).expect("search");
    assert_eq!(filtered[0].snippet, "agenda for the kickoff meeting");
    let limited = c.temp.store.search("is:unread", 2).expect("search");
    assert_eq!(limited.len(), 2);
}

#[test]
fn malformed_queries_are_clear_errors() {
    let c = corpus();
    for (query, expected) in [
        ("\"report", "invalid search: unbalanced quote"),
        (
            "after:2024-02-31",
            "invalid search: after:2024-02-31 is not a date",
        ),
        ("larger:lots", "invalid search: larger:lots is not a size"),
        ("folder:Nowhere", "no folder called \"Nowhere\""),
        ("account:nobody", "no account called \"nobody\""),
    ] {
        let err = c.temp.store.search(query, 10).expect_err(query).to_string();
        assert!(err.starts_with(expected), "{query}: {err}");
        assert!(
            !err.to_lowercase().contains("fts5") && !err.contains("SQL"),
            "{err}"
        );
    }
    assert!(matches!(
        c.temp.store.search("\"x", 1),
        Err(StoreError::Query(QueryError::UnbalancedQuote))
    ));
    // FTS syntax typed by the user is searched as text, never interpreted.
    assert!(
        c.temp
            .store
            .search("NEAR(report agenda) OR AND NOT *", 10)
            .is_ok()
    );
    assert!(c.temp.store.search("report^ -x +y {subject}:z", 10).is_ok());
}
