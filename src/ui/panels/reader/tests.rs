//! The reader drawn alone with `egui_kittest`: quotes, links and their menu, the monospace
//! setting, forwarded messages and delivery reports.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

use super::OpenMessage;
use crate::message;
use crate::model::{Flags, FolderId, MessageId};
use crate::store::MessageSummary;
use crate::ui::command::UiCommand;

/// The reader on `raw`, and what it pushed.
struct Reading {
    open: OpenMessage,
    monospace: bool,
    prefer_plain_text: bool,
    commands: Vec<UiCommand>,
}

fn opened(raw: &[u8]) -> OpenMessage {
    let parsed = message::parse(raw, None);
    OpenMessage {
        summary: MessageSummary {
            id: MessageId(7),
            folder_id: FolderId(1),
            account_id: None,
            date: parsed.date.unwrap_or_default(),
            from_name: parsed.from_name.clone(),
            from_addr: parsed.from_addr.clone(),
            to: parsed.to.clone(),
            cc: String::new(),
            subject: parsed.subject.clone(),
            message_id: None,
            size: raw.len() as u64,
            has_attachments: parsed.has_attachments(),
            snippet: parsed.snippet.clone(),
            flags: Flags::default(),
            headers_only: false,
        },
        images: super::attachments::previewable_images(raw, &parsed.attachments),
        html: message::document::rich_body(raw).map(super::html_view::HtmlView::new),
        parsed,
        incomplete: false,
        conversation: super::Conversation::default(),
        written: None,
    }
}

fn reader(raw: &[u8], monospace: bool) -> Harness<'static, Reading> {
    reader_with(raw, monospace, false)
}

fn reader_with(raw: &[u8], monospace: bool, prefer_plain_text: bool) -> Harness<'static, Reading> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(800.0, 700.0))
        .build_ui_state(
            |ui, reading: &mut Reading| {
                super::set_monospace(ui.ctx(), reading.monospace);
                let options = super::ReaderOptions {
                    zone: &jiff::tz::TimeZone::UTC,
                    prefer_plain_text: reading.prefer_plain_text,
                };
                reading.open.show(ui, options, &mut reading.commands);
            },
            Reading {
                open: opened(raw),
                monospace,
                prefer_plain_text,
                commands: Vec::new(),
            },
        );
    harness.run();
    harness
}

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/data/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|err| panic!("cannot read {full}: {err}"))
}

const QUOTED: &str = "From: a@example.org\r\nSubject: Re: plans\r\n\r\n\
                      My answer.\r\n> You asked https://example.org/q here\r\n\
                      > > and before that\r\n>> still before\r\nThanks\r\n";

#[test]
fn quoted_lines_lose_their_markers_and_their_links_still_open() {
    let mut harness = reader(QUOTED.as_bytes(), false);
    harness.get_by_label_contains("My answer.");
    harness.get_by_label("You asked ");
    harness.get_by_label("and before that\nstill before");
    assert!(
        harness.query_by_label_contains("> >").is_none(),
        "markers are drawn as bars"
    );
    harness.get_by_label("https://example.org/q").click();
    harness.run();
    assert_eq!(
        harness.state().commands,
        [UiCommand::OpenLink("https://example.org/q".to_owned())]
    );
}

#[test]
fn quote_levels_have_their_own_colours_in_both_themes() {
    for dark in [false, true] {
        let colours: Vec<_> = (1..=4)
            .map(|level| super::quote_color(level, dark))
            .collect();
        for (index, colour) in colours.iter().enumerate() {
            assert!(!colours[index + 1..].contains(colour), "{colours:?}");
        }
        assert_eq!(
            super::quote_color(5, dark),
            colours[0],
            "the palette cycles"
        );
    }
}

#[test]
fn a_link_shows_its_target_on_hover_and_its_menu_copies_or_opens_it() {
    let mut harness = reader(QUOTED.as_bytes(), false);
    harness.get_by_label("https://example.org/q").hover();
    harness.run();
    harness.get_by_label("Open https://example.org/q in your browser");

    harness
        .get_by_label("https://example.org/q")
        .click_secondary();
    harness.run();
    harness.get_by_label("Copy link").click();
    // The copy is in the output of the frame that saw the click.
    harness.step();
    let copied = harness.output().platform_output.commands.iter().any(|command| {
        matches!(command, egui::OutputCommand::CopyText(text) if text == "https://example.org/q")
    });
    assert!(copied, "{:?}", harness.output().platform_output.commands);
    harness.run();
    assert!(harness.state().commands.is_empty(), "copying opens nothing");

    harness
        .get_by_label("https://example.org/q")
        .click_secondary();
    harness.run();
    harness.get_by_label("Open link").click();
    harness.run();
    assert_eq!(
        harness.state().commands,
        [UiCommand::OpenLink("https://example.org/q".to_owned())]
    );
}

#[test]
fn the_monospace_setting_draws_plain_text_in_the_monospace_font() {
    let font_of = |monospace: bool| {
        let harness = reader(QUOTED.as_bytes(), monospace);
        let rect = harness.get_by_label_contains("My answer.").rect();
        rect.width()
    };
    // The same words take a different width in the two fonts.
    assert!((font_of(true) - font_of(false)).abs() > 1.0);
}

#[test]
fn a_forwarded_message_is_shown_inline_with_its_headers_and_text() {
    let mut harness = reader(&fixture("embedded/forwarded.eml"), false);
    harness.get_by_label("See below.");
    harness.get_by_label("Forwarded message");
    harness.get_by_label("Carol <carol@example.org>");
    harness.get_by_label("Lunch plans");
    harness.get_by_label("Mon 2 Jan 2023 12:30");
    harness.get_by_label_contains("Shall we meet at noon?");
    harness.get_by_label_contains("📎 Forwarded: Lunch plans.eml");
    assert!(harness.query_by_label_contains("attachment-1").is_none());
    harness.get_by_label("https://example.org/menu").click();
    harness.run();
    assert_eq!(
        harness.state().commands,
        [UiCommand::OpenLink("https://example.org/menu".to_owned())]
    );
}

#[test]
fn a_delivery_report_reads_as_sentences() {
    let harness = reader(&fixture("embedded/bounce.eml"), false);
    harness.get_by_label("Your message could not be delivered.");
    harness.get_by_label("Delivery report");
    harness.get_by_label("Delivery to bob@example.net failed: 550 5.1.1 user unknown");
    harness.get_by_label("Returned message headers");
    harness.get_by_label("Quarterly figures");
}

/// A message with a 40×30 PNG attachment.
fn with_png() -> Vec<u8> {
    let pixels = image::RgbaImage::from_pixel(40, 30, image::Rgba([10, 120, 200, 255]));
    let mut png = std::io::Cursor::new(Vec::new());
    pixels
        .write_to(&mut png, image::ImageFormat::Png)
        .expect("encode");
    let encoded =
        base64::Engine::encode(&base64::engine::general_purpose::STANDARD, png.into_inner());
    format!(
        "From: a@example.org\r\nSubject: photo\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nA photo.\r\n\
         --b\r\nContent-Type: image/png; name=\"dot.png\"\r\n\
         Content-Disposition: attachment; filename=\"dot.png\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n--b--\r\n"
    )
    .into_bytes()
}

#[test]
fn an_image_attachment_is_previewed_and_a_click_opens_it() {
    let mut harness = reader(&with_png(), false);
    assert_eq!(harness.state().open.images.len(), 1);
    let preview = harness.get_by_label("Preview of dot.png");
    let size = preview.rect().size();
    assert!(
        (size.x - 40.0).abs() < 0.5 && (size.y - 30.0).abs() < 0.5,
        "{size:?}"
    );
    preview.click();
    harness.run();
    assert_eq!(
        harness.state().commands,
        [UiCommand::OpenAttachment(MessageId(7), 0)]
    );
}

#[test]
fn images_of_messages_no_longer_shown_are_forgotten() {
    let harness = reader(&with_png(), false);
    let ctx = harness.ctx.clone();
    let uri = crate::ui::helpers::images::part_uri(MessageId(7), 0);
    let decoded = |ctx: &egui::Context| {
        ctx.loaders()
            .image
            .lock()
            .iter()
            .map(|l| l.byte_size())
            .sum::<usize>()
    };
    assert!(decoded(&ctx) >= 40 * 30 * 4, "decoded once drawn");
    crate::ui::helpers::images::forget_all_but(&ctx, &[MessageId(7)]);
    assert!(decoded(&ctx) >= 40 * 30 * 4, "still shown: kept");
    crate::ui::helpers::images::forget_all_but(&ctx, &[]);
    assert_eq!(decoded(&ctx), 0, "{uri} forgotten");
}

const NEWSLETTER: &[u8] = b"From: News <news@example.org>\r\nSubject: Weekly\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/alternative; boundary=A\r\n\r\n--A\r\nContent-Type: text/plain\r\n\r\n\
Plain edition\r\n--A\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
<h1>Top stories</h1><table border=1><tr><th>Item</th><th>Price</th></tr><tr><td>Tea</td><td>3</td></tr></table>\
<p>Read <a href=\"https://example.org/more\">more here</a>.<img src=\"https://tracker.example/logo.png\" alt=Logo></p>\r\n--A--\r\n";

#[test]
fn html_mail_is_laid_out_with_a_table_and_links_and_plain_text_is_one_click_away() {
    let mut harness = reader(NEWSLETTER, false);
    assert!(
        harness.query_by_label("Top stories").is_some(),
        "the heading"
    );
    assert!(harness.query_by_label("Tea").is_some(), "a table cell");
    assert!(
        harness.query_by_label("Plain edition").is_none(),
        "formatted by default"
    );
    assert!(
        harness
            .query_by_label_contains("1 remote image(s) not loaded")
            .is_some()
    );
    harness.get_by_label("more here").click();
    harness.run();
    assert_eq!(
        harness.state().commands,
        [UiCommand::OpenLink("https://example.org/more".to_owned())]
    );
    harness.get_by_label("Plain text").click();
    harness.run();
    assert!(harness.query_by_label("Plain edition").is_some());
    assert!(harness.query_by_label("Top stories").is_none());
}

#[test]
fn with_prefer_plain_text_html_mail_opens_on_its_text_and_formatted_is_one_click_away() {
    let mut harness = reader_with(NEWSLETTER, false, true);
    assert!(
        harness.query_by_label("Plain edition").is_some(),
        "the plain part"
    );
    assert!(harness.query_by_label("Top stories").is_none());
    assert!(
        harness
            .query_by_label_contains("remote image(s) not loaded")
            .is_none(),
        "no notice for what plain text does not show"
    );
    harness.get_by_label("Formatted").click();
    harness.run();
    assert!(harness.query_by_label("Top stories").is_some());
    assert!(harness.query_by_label("Plain edition").is_none());
}

const RELATED: &[u8] = b"From: Shop <shop@example.org>\r\nSubject: Your order\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=M\r\n\r\n--M\r\n\
Content-Type: multipart/related; boundary=R\r\n\r\n--R\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
<p>Thanks <img src=\"cid:logo@shop\" alt=\"Shop logo\"></p>\r\n--R\r\n\
Content-Type: image/png; name=logo.png\r\nContent-ID: <logo@shop>\r\nContent-Transfer-Encoding: base64\r\n\r\n\
iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==\r\n--R--\r\n\
--M\r\nContent-Type: application/pdf; name=report.pdf\r\nContent-Disposition: attachment; filename=report.pdf\r\n\
Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--M--\r\n";

#[test]
fn images_drawn_in_the_formatted_message_are_not_listed_as_attachments() {
    let mut harness = reader(RELATED, false);
    harness.get_by_label("Attachments (1)");
    assert!(harness.query_by_label_contains("report.pdf").is_some());
    assert!(
        harness.query_by_label_contains("logo.png").is_none(),
        "the logo is drawn in place"
    );
    harness.get_by_label("Plain text").click();
    harness.run();
    harness.get_by_label("Attachments (2)");
    assert!(
        harness.query_all_by_label_contains("logo.png").count() >= 1,
        "listed (and previewed) with the plain text"
    );
}
