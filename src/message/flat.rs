//! A parsed message that is torn down without recursion.
//!
//! mail-parser nests each `message/rfc822` part as a whole `Message` inside its parent, and
//! dropping one recurses once per level: 10,000 nested parts (0.5 MB of mail) overflowed a
//! 2 MiB thread stack, which aborts the process. [`FlatMessage`] unnests the parts first.

use std::ops::Deref;

use mail_parser::{Message, MessageParser, PartType};

/// A mail-parser message whose drop is iterative, whatever the nesting.
pub(super) struct FlatMessage<'x>(Message<'x>);

impl<'x> FlatMessage<'x> {
    /// Parses `raw` with mail-parser's defaults.
    pub(super) fn parse(raw: &'x [u8]) -> Option<Self> {
        MessageParser::default().parse(raw).map(Self)
    }
}

impl<'x> Deref for FlatMessage<'x> {
    type Target = Message<'x>;

    fn deref(&self) -> &Message<'x> {
        &self.0
    }
}

impl Drop for FlatMessage<'_> {
    fn drop(&mut self) {
        let mut pending = std::mem::take(&mut self.0.parts);
        while let Some(mut part) = pending.pop() {
            if let PartType::Message(nested) = &mut part.body {
                pending.append(&mut nested.parts);
            }
            // `part` now holds no nested parts, so dropping it does not recurse.
        }
    }
}
