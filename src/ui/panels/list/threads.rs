//! The threaded list: a folder's conversations, each one row (its first message) until it is
//! opened, then its messages in reading order, indented by who answers whom.

use std::collections::{HashMap, HashSet};

use super::MessageList;
use crate::model::{IdHash, IdMap, MessageId};
use crate::store::{ConversationEntry, FolderConversation, Store};

/// How one listed row sits in its conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RowShape {
    /// How far it is indented (answers above it in the open conversation).
    pub depth: usize,
    /// Set on a conversation's first row when the conversation has more than one message.
    pub head: Option<Head>,
}

/// What a conversation's first row shows of the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// Messages in the conversation (in this folder).
    pub count: usize,
    /// How many of them are unread.
    pub unread: usize,
    /// Its messages are listed below it.
    pub open: bool,
}

/// The conversations a threaded list shows, and which are open.
#[derive(Debug, Default)]
pub(super) struct Threads {
    conversations: Vec<FolderConversation>,
    /// Each message's conversation (an index into `conversations`).
    conversation_of: IdMap<MessageId, usize>,
    /// Open conversations by their first message, with their messages in reading order.
    open: HashMap<MessageId, Vec<ConversationEntry>>,
}

impl Threads {
    fn new(conversations: Vec<FolderConversation>) -> Self {
        let members = conversations.iter().map(|c| c.members.len()).sum();
        let mut conversation_of = IdMap::with_capacity_and_hasher(members, IdHash::default());
        for (index, conversation) in conversations.iter().enumerate() {
            for id in &conversation.members {
                conversation_of.insert(*id, index);
            }
        }
        Self {
            conversations,
            conversation_of,
            open: HashMap::new(),
        }
    }

    /// The conversation holding `id`, when it holds more than one message.
    fn conversation_with(&self, id: MessageId) -> Option<&FolderConversation> {
        let conversation = &self.conversations[*self.conversation_of.get(&id)?];
        (conversation.members.len() > 1).then_some(conversation)
    }

    /// The first message of each conversation, and the rest hidden behind it when closed.
    fn hidden_behind(&self, head: MessageId) -> &[MessageId] {
        self.conversation_of_head(head)
            .filter(|_| !self.open.contains_key(&head))
            .map_or(&[], |conversation| &conversation.members[1..])
    }

    fn conversation_of_head(&self, head: MessageId) -> Option<&FolderConversation> {
        self.conversation_with(head)
            .filter(|conversation| conversation.members[0] == head)
    }

    /// The rows: ids in list order and each row's shape.
    fn rows(&self) -> (Vec<MessageId>, IdMap<MessageId, RowShape>) {
        let mut ids = Vec::with_capacity(self.conversations.len());
        let mut shapes = IdMap::default();
        for conversation in &self.conversations {
            let Some(&head) = conversation.members.first() else {
                continue;
            };
            ids.push(head);
            if conversation.members.len() < 2 {
                continue;
            }
            let entries = self.open.get(&head);
            shapes.insert(
                head,
                RowShape {
                    depth: 0,
                    head: Some(Head {
                        count: conversation.members.len(),
                        unread: conversation.unread,
                        open: entries.is_some(),
                    }),
                },
            );
            for entry in entries.into_iter().flatten().filter(|e| e.id != head) {
                ids.push(entry.id);
                shapes.insert(
                    entry.id,
                    RowShape {
                        depth: entry.depth.max(1),
                        head: None,
                    },
                );
            }
        }
        (ids, shapes)
    }
}

/// A conversation's messages in reading order with its first message first (the list's row for
/// it); the date order when the store cannot say.
fn reading_order(store: &Store, members: &[MessageId]) -> Vec<ConversationEntry> {
    let ordered = store.reading_order(members).unwrap_or_else(|err| {
        tracing::warn!(error = %err, "cannot order a conversation");
        Vec::new()
    });
    let mut entries: Vec<ConversationEntry> = if ordered.len() == members.len() {
        ordered
    } else {
        members
            .iter()
            .map(|&id| ConversationEntry {
                id,
                folder_id: crate::model::FolderId(0),
                depth: 1,
            })
            .collect()
    };
    if let Some(position) = entries.iter().position(|entry| entry.id == members[0]) {
        let head = entries.remove(position);
        entries.insert(0, head);
    }
    entries
}

impl MessageList {
    /// Shows a folder's conversations. With `keep` (the same folder after a change) the open
    /// conversations stay open, the selection stays and the view does not jump; otherwise the
    /// list starts at the top with every conversation closed.
    /// Returns the message selected in place of ones that left (see [`MessageList::refresh`]).
    pub fn show_conversations(
        &mut self,
        store: &Store,
        conversations: Vec<FolderConversation>,
        keep: bool,
    ) -> Option<MessageId> {
        // Kept open: what was open, and the conversation of each selected message, so that a
        // message which gains a conversation (its original or an answer arrives) stays in view,
        // selected alone, instead of vanishing into a closed row that a Delete would take whole.
        let was_open: HashSet<MessageId> = if keep {
            let open = self
                .threads
                .as_ref()
                .into_iter()
                .flat_map(|threads| threads.open.values().flatten().map(|e| e.id));
            let cursor = self.cursor.and_then(|index| self.ids.get(index).copied());
            open.chain(self.selected.iter().copied())
                .chain(cursor)
                .collect()
        } else {
            HashSet::new()
        };
        let mut threads = Threads::new(conversations);
        for conversation in &threads.conversations {
            if conversation.members.len() > 1
                && conversation.members.iter().any(|id| was_open.contains(id))
            {
                threads.open.insert(
                    conversation.members[0],
                    reading_order(store, &conversation.members),
                );
            }
        }
        let (ids, shapes) = threads.rows();
        self.threads = Some(threads);
        self.shapes = shapes;
        self.show_rows(ids, keep)
    }

    /// Leaves the threaded view: every message is a row of its own. Returns as
    /// [`MessageList::show_conversations`] does.
    pub fn show_flat(&mut self, ids: Vec<MessageId>, keep: bool) -> Option<MessageId> {
        self.threads = None;
        self.shapes.clear();
        self.show_rows(ids, keep)
    }

    fn show_rows(&mut self, ids: Vec<MessageId>, keep: bool) -> Option<MessageId> {
        if keep {
            self.refresh(ids)
        } else {
            self.replace(ids);
            None
        }
    }

    /// Opens or closes the conversation whose first row is `head` (nothing when it is not one).
    pub fn set_open(&mut self, store: &Store, head: MessageId, open: bool) {
        let Some(threads) = self.threads.as_mut() else {
            return;
        };
        let Some(members) = threads
            .conversation_of_head(head)
            .map(|conversation| conversation.members.clone())
        else {
            return;
        };
        if open {
            threads.open.insert(head, reading_order(store, &members));
        } else {
            threads.open.remove(&head);
        }
        let (ids, shapes) = threads.rows();
        let hides_selection = !open && members[1..].iter().any(|id| self.selected.contains(id));
        self.shapes = shapes;
        // Opening hides nothing; closing over the selection selects the row below.
        let _ = self.refresh(ids);
        if hides_selection {
            // A message that disappears into its closed conversation leaves the selection there.
            if let Some(index) = self.position(head) {
                self.select_only(index);
            }
        }
    }

    /// The conversation row the cursor is on or inside: its first message, and whether it is open.
    #[must_use]
    pub fn cursor_conversation(&self) -> Option<(MessageId, bool)> {
        let threads = self.threads.as_ref()?;
        let id = *self.ids.get(self.cursor?)?;
        threads.conversation_with(id).map(|conversation| {
            let head = conversation.members[0];
            (head, threads.open.contains_key(&head))
        })
    }

    /// Recounts the unread messages of the conversations holding `changed` (flags changed).
    pub fn recount_unread(&mut self, store: &Store, changed: &[MessageId]) {
        let Some(threads) = self.threads.as_mut() else {
            return;
        };
        let mut affected: Vec<usize> = changed
            .iter()
            .filter_map(|id| threads.conversation_of.get(id).copied())
            .collect();
        affected.sort_unstable();
        affected.dedup();
        for index in affected {
            let conversation = &mut threads.conversations[index];
            match store.unread_among(&conversation.members) {
                Ok(unread) => conversation.unread = unread,
                Err(err) => tracing::warn!(error = %err, "cannot count unread messages"),
            }
            if let Some(head) = conversation
                .members
                .first()
                .and_then(|head| self.shapes.get_mut(head))
                .and_then(|shape| shape.head.as_mut())
            {
                head.unread = conversation.unread;
            }
        }
    }

    /// How the row of `id` sits in its conversation (the default outside the threaded view).
    #[must_use]
    pub fn shape(&self, id: MessageId) -> RowShape {
        self.shapes.get(&id).copied().unwrap_or_default()
    }

    /// Messages hidden behind a closed conversation's row, which act with it (a closed
    /// conversation moved or deleted goes whole, as in Thunderbird).
    pub(super) fn hidden_behind(&self, id: MessageId) -> &[MessageId] {
        self.threads
            .as_ref()
            .map_or(&[], |threads| threads.hidden_behind(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversation(ids: &[i64], unread: usize) -> FolderConversation {
        FolderConversation {
            members: ids.iter().copied().map(MessageId).collect(),
            unread,
        }
    }

    #[test]
    fn closed_conversations_are_one_row_with_counts_and_open_ones_list_their_replies() {
        let mut threads = Threads::new(vec![conversation(&[5, 7, 9], 1), conversation(&[6], 0)]);
        let (ids, shapes) = threads.rows();
        assert_eq!(ids, [MessageId(5), MessageId(6)]);
        assert_eq!(
            shapes[&MessageId(5)].head,
            Some(Head {
                count: 3,
                unread: 1,
                open: false
            })
        );
        assert!(
            !shapes.contains_key(&MessageId(6)),
            "a lone message is a plain row"
        );
        assert_eq!(
            threads.hidden_behind(MessageId(5)),
            [MessageId(7), MessageId(9)]
        );

        let entry = |id, depth| ConversationEntry {
            id: MessageId(id),
            folder_id: crate::model::FolderId(1),
            depth,
        };
        threads
            .open
            .insert(MessageId(5), vec![entry(5, 0), entry(9, 1), entry(7, 2)]);
        let (ids, shapes) = threads.rows();
        assert_eq!(ids, [5, 9, 7, 6].map(MessageId));
        assert_eq!(shapes[&MessageId(7)].depth, 2);
        assert!(threads.hidden_behind(MessageId(5)).is_empty());
    }
}
