//! Reading `format=flowed` text (RFC 3676): lines that end in a space are soft breaks, joined
//! again into the paragraph they were wrapped from; quote depth and space-stuffing are undone.
//! The writing side is `compose::flowed`.

/// One line's quote depth and its text, unstuffed.
fn split_line(line: &str) -> (usize, &str) {
    let depth = line.chars().take_while(|&c| c == '>').count();
    let rest = &line[depth..];
    (depth, rest.strip_prefix(' ').unwrap_or(rest))
}

fn push_line(out: &mut String, depth: usize, text: &str) {
    if depth > 0 {
        out.push_str(&">".repeat(depth));
        out.push(' ');
    }
    out.push_str(text);
    out.push('\n');
}

/// `text` (a `format=flowed` body, any line ends) as the paragraphs it was written as; with
/// `delete_space` (`DelSp=yes`) the space of each soft break is removed too. Quoted lines come
/// out as `> text`, one `>` per level.
#[must_use]
pub fn decode(text: &str, delete_space: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut paragraph = String::new();
    let mut paragraph_depth: Option<usize> = None;
    for line in text.lines() {
        let (depth, content) = split_line(line);
        if let Some(open) = paragraph_depth
            && open != depth
        {
            // A soft break followed by another quote depth is a hard one (RFC 3676 §4.5).
            push_line(&mut out, open, &paragraph);
            paragraph.clear();
        }
        let soft = content.ends_with(' ') && content != "-- ";
        if soft {
            let kept = if delete_space {
                &content[..content.len() - 1]
            } else {
                content
            };
            paragraph.push_str(kept);
            paragraph_depth = Some(depth);
        } else {
            paragraph.push_str(content);
            push_line(&mut out, depth, &paragraph);
            paragraph.clear();
            paragraph_depth = None;
        }
    }
    if let Some(depth) = paragraph_depth {
        push_line(&mut out, depth, &paragraph);
    }
    if !text.ends_with('\n') && out.ends_with('\n') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn soft_breaks_join_quotes_keep_their_depth_and_stuffing_goes() {
        let flowed = "Hello there, this is a long \r\nparagraph.\r\n> quoted and \r\n> wrapped\r\n>> deeper\r\n From the start\r\n-- \r\nAda\r\n";
        assert_eq!(
            decode(flowed, false),
            "Hello there, this is a long paragraph.\n> quoted and wrapped\n>> deeper\nFrom the start\n-- \nAda\n"
        );
    }

    #[test]
    fn delsp_removes_the_break_space_and_a_change_of_depth_ends_a_paragraph() {
        assert_eq!(
            decode("Mehr\u{e4}re \r\nWörter\r\n", true),
            "Mehr\u{e4}reWörter\n"
        );
        assert_eq!(decode("> open \r\nclosed\r\n", false), "> open \nclosed\n");
        assert_eq!(decode("last soft ", false), "last soft ");
    }
}
