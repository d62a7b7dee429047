//! Quoted lines (`>`, `> >`, `>>`) grouped into blocks by depth, as the plain view draws them.

/// Consecutive lines quoted to the same depth, their `>` markers removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteBlock<'a> {
    /// 0 for the writer's own words, 1 for `> `, 2 for `> > ` or `>> `, …
    pub depth: usize,
    /// The lines, each without its markers, joined with `\n`. Borrowed when there were none.
    pub text: std::borrow::Cow<'a, str>,
}

/// Deepest level told apart (deeper quotes are drawn at this depth; their text is kept).
pub const MAX_QUOTE_DEPTH: usize = 8;

/// Splits `text` into blocks of lines with the same quote depth, in order.
#[must_use]
pub fn quote_blocks(text: &str) -> Vec<QuoteBlock<'_>> {
    let mut blocks: Vec<QuoteBlock<'_>> = Vec::new();
    // Unquoted runs are borrowed as one slice, so a plain body stays one block and one copy-free label.
    let mut plain_from: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let (depth, rest) = strip_markers(line);
        if depth == 0 {
            plain_from.get_or_insert(offset);
        } else {
            if let Some(start) = plain_from.take() {
                push_plain(&mut blocks, &text[start..offset]);
            }
            let rest = rest.strip_suffix('\n').unwrap_or(rest);
            let rest = rest.strip_suffix('\r').unwrap_or(rest);
            match blocks.last_mut() {
                Some(block) if block.depth == depth => {
                    let joined = block.text.to_mut();
                    joined.push('\n');
                    joined.push_str(rest);
                }
                _ => blocks.push(QuoteBlock {
                    depth,
                    text: rest.to_owned().into(),
                }),
            }
        }
        offset += line.len();
    }
    if let Some(start) = plain_from {
        push_plain(&mut blocks, &text[start..]);
    }
    blocks
}

fn push_plain<'a>(blocks: &mut Vec<QuoteBlock<'a>>, run: &'a str) {
    let run = run.strip_suffix('\n').unwrap_or(run);
    let run = run.strip_suffix('\r').unwrap_or(run);
    blocks.push(QuoteBlock {
        depth: 0,
        text: run.into(),
    });
}

/// The quote depth of `line` and the line without its markers (and the one space after them).
fn strip_markers(line: &str) -> (usize, &str) {
    let mut depth = 0;
    let mut rest = line;
    loop {
        let trimmed = rest.trim_start_matches(' ');
        match trimmed.strip_prefix('>') {
            Some(after) => {
                depth += 1;
                rest = after;
            }
            None => break,
        }
    }
    if depth == 0 {
        return (0, line);
    }
    (
        depth.min(MAX_QUOTE_DEPTH),
        rest.strip_prefix(' ').unwrap_or(rest),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depths_and_texts(text: &str) -> Vec<(usize, String)> {
        quote_blocks(text)
            .into_iter()
            .map(|block| (block.depth, block.text.into_owned()))
            .collect()
    }

    #[test]
    fn every_marker_style_counts_its_levels() {
        let text = "Hi,\n> once\n> > twice\n>> twice too\n>>>three\nreply\nmore\n";
        assert_eq!(
            depths_and_texts(text),
            [
                (0, "Hi,".to_owned()),
                (1, "once".to_owned()),
                (2, "twice\ntwice too".to_owned()),
                (3, "three".to_owned()),
                (0, "reply\nmore".to_owned()),
            ]
        );
    }

    #[test]
    fn a_body_without_quotes_is_one_borrowed_block() {
        let blocks = quote_blocks("one\r\ntwo > not a quote\r\n");
        assert_eq!(blocks.len(), 1);
        assert!(matches!(blocks[0].text, std::borrow::Cow::Borrowed(_)));
        assert_eq!(blocks[0].text, "one\r\ntwo > not a quote");
        assert_eq!(quote_blocks(&">".repeat(100))[0].depth, MAX_QUOTE_DEPTH);
    }
}
