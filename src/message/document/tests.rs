use super::*;

fn blocks(markup: &str) -> Vec<Block> {
    html_document(markup).expect("within bounds").blocks
}

fn text(inline: &Inline) -> &str {
    match inline {
        Inline::Text { text, .. } => text,
        _ => "",
    }
}

#[test]
fn headings_paragraphs_emphasis_and_links() {
    let doc = blocks(
        "<h2>Weekly   news</h2><p>Hello <b>bold</b>\n <a href='https://example.org/x'>link</a>\
         <a href='javascript:evil()'>not a link</a></p>",
    );
    assert_eq!(doc.len(), 2);
    let Block::Heading { level: 2, inlines } = &doc[0] else {
        panic!("{doc:?}")
    };
    assert_eq!(text(&inlines[0]), "Weekly news", "white space collapses");
    let Block::Paragraph(inlines) = &doc[1] else {
        panic!("{doc:?}")
    };
    assert_eq!(text(&inlines[0]), "Hello ");
    assert_eq!(inlines.len(), 4, "{inlines:?}");
    assert!(
        matches!(&inlines[1], Inline::Text { text, style, .. } if text == "bold " && style.strong)
    );
    assert!(
        matches!(&inlines[2], Inline::Text { text, link: Some(href), .. }
        if text.trim() == "link" && href == "https://example.org/x")
    );
    assert!(matches!(&inlines[3], Inline::Text { text, link: None, .. } if text == "not a link"));
}

#[test]
fn layout_tables_become_their_content_and_data_tables_stay_grids() {
    let layout = blocks(
        "<table width=600><tr><td></td><td><p>One</p></td><td>&nbsp;</td></tr>\
         <tr><td><table><tr><td>Two</td></tr></table></td></tr></table>",
    );
    assert!(
        layout
            .iter()
            .all(|block| matches!(block, Block::Paragraph(_))),
        "{layout:?}"
    );
    assert_eq!(layout.len(), 2);
    let data = blocks(
        "<table><thead><tr><th>Item</th><th>Price</th></tr></thead>\
         <tbody><tr><td>Tea</td><td width='30%'>3</td></tr><tr><td colspan=2>Total</td></tr></tbody></table>",
    );
    let [Block::Table(table)] = data.as_slice() else {
        panic!("{data:?}")
    };
    assert!(table.bordered);
    assert_eq!(table.columns, 2);
    assert_eq!(table.rows.len(), 3);
    assert_eq!(table.rows[1][1].width_percent, Some(30));
    assert_eq!(table.rows[2][0].colspan, 2);
    assert!(table.rows[0][0].header);
}

#[test]
fn hidden_text_scripts_and_tracking_pixels_are_left_out() {
    let doc = html_document(
        "<head><title>T</title><style>p{color:red}</style></head><body>\
         <div style='display:none;max-height:0'>Preview text</div>\
         <script>alert(1)</script><p>Shown\u{200c}\u{ad}</p>\
         <img src='https://tracker.example/p.gif' width=1 height=1>\
         <img src='https://cdn.example/logo.png' alt='Logo'>\
         <a href='https://example.org'><img src='cid:banner%40x' alt='Banner' width=600></a></body>",
    )
    .expect("within bounds");
    assert_eq!(doc.remote_images, 1, "the pixel is not counted");
    let [Block::Paragraph(shown), Block::Paragraph(inlines)] = doc.blocks.as_slice() else {
        panic!("{:?}", doc.blocks)
    };
    assert_eq!(text(&shown[0]), "Shown", "zero-width characters dropped");
    assert!(
        matches!(&inlines[0], Inline::Image(ImageRef { source: ImageSource::Remote(_), alt, .. }) if alt == "Logo")
    );
    assert!(
        matches!(&inlines[1], Inline::Image(ImageRef { source: ImageSource::ContentId(id), link: Some(_), width: Some(600), .. }) if id == "banner@x")
    );
}

#[test]
fn quotes_lists_and_preformatted_text() {
    let doc = blocks(
        "<p>Reply</p><blockquote><p>Earlier</p><blockquote>Oldest</blockquote></blockquote>\
         <ol start=3><li>three</li><li><p>four</p><ul><li>nested</li></ul></li></ol>\
         <pre>  a  b\n c</pre><hr>",
    );
    assert!(matches!(&doc[1], Block::Quote(inner) if matches!(inner[1], Block::Quote(_))));
    let Block::List {
        ordered: true,
        start: 3,
        items,
    } = &doc[2]
    else {
        panic!("{doc:?}")
    };
    assert_eq!(items.len(), 2);
    assert!(matches!(items[1][1], Block::List { ordered: false, .. }));
    assert_eq!(doc[3], Block::Preformatted("  a  b\n c".to_owned()));
    assert_eq!(doc[4], Block::Rule);
}

#[test]
fn deep_markup_is_bounded() {
    let nested = format!("{}deep{}", "<div>".repeat(150), "</div>".repeat(150));
    let doc = blocks(&nested);
    assert!(
        matches!(doc.as_slice(), [Block::Paragraph(inlines)] if text(&inlines[0]) == "deep"),
        "content past the walk's depth is read as text: {doc:?}"
    );
    let hostile = "<div>".repeat(100_000);
    assert_eq!(html_document(&hostile), None, "refused by the guard");
    let wide = "<p>x</p>".repeat(60_000);
    let doc = html_document(&wide).expect("flat markup is within bounds");
    assert!(doc.truncated, "stops at the element bound");
}

#[test]
fn rich_body_finds_html_and_the_images_it_names() {
    let raw = b"From: a@example.org\r\nSubject: News\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/related; boundary=B\r\n\r\n--B\r\nContent-Type: text/html; charset=utf-8\r\n\r\n\
<p>Hi <img src=\"cid:logo@x\" alt=logo></p>\r\n--B\r\nContent-Type: image/png\r\nContent-ID: <logo@x>\r\n\
Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--B--\r\n";
    let rich = rich_body(raw).expect("an HTML message");
    assert_eq!(rich.parts.len(), 1);
    assert!(rich.parts[0].has_content_id("<logo@x>"));
    assert_eq!(rich.parts[0].mime_type, "image/png");
    assert_eq!(rich.parts[0].bytes, b"\x89PNG\r\n\x1a\n");
    let plain = b"From: a@example.org\r\nSubject: Plain\r\n\r\nJust text\r\n";
    assert_eq!(rich_body(plain), None, "a plain message has no rich body");
}

#[test]
fn layout_cells_holding_only_remote_images_take_no_width() {
    let document = html_document(
        "<table><tr><td><img src='https://ads.example/banner.gif' width=120 height=600></td>\
         <td><p>The news</p></td>\
         <td><a href='https://example.org'><img src='https://ads.example/b.gif'></a></td></tr></table>\
         <p><img src='https://example.org/chart.png' alt='Sales chart'></p>",
    )
    .expect("within bounds");
    assert_eq!(document.remote_images, 3, "all counted for the notice");
    assert!(
        matches!(&document.blocks[0], Block::Paragraph(inlines) if text(&inlines[0]) == "The news"),
        "the one cell that shows something is the table's content: {:?}",
        document.blocks
    );
    assert!(
        matches!(&document.blocks[1], Block::Paragraph(inlines)
            if matches!(&inlines[0], Inline::Image(image) if image.alt == "Sales chart")),
        "a remote image with alternative text keeps its place: {:?}",
        document.blocks
    );
}
