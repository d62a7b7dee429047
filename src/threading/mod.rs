//! Conversations: which messages answer which, by Jamie Zawinski's threading algorithm
//! (<https://www.jwz.org/doc/threading.html>, the `REFERENCES` algorithm of RFC 5256 §2.2).
//!
//! Two parts:
//! - [`parents`]: the ids a message names as its ancestors (References, else In-Reply-To),
//!   bounded, oldest first. The store joins messages that share any of these into one
//!   conversation as they arrive (see `store::conversations`).
//! - [`thread`]: the tree inside one conversation: who answers whom, siblings by date, missing
//!   messages (ids only referred to) pruned as JWZ says. The reader and `satchel thread` list a
//!   conversation in this order.
//!
//! Joining by subject alone is off unless [`Options::join_by_subject`] asks for it: two
//! unrelated "Invoice" mails are not one conversation.

mod subject;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

pub use subject::base_subject;

/// Most ancestors taken from one message: the first (the conversation's root) and the newest
/// ones. A hostile References header of thousands of ids costs no more than this.
pub const MAX_PARENTS: usize = 64;

/// Longest message id considered (RFC 5322 lines are at most 998 characters).
const MAX_ID_LEN: usize = 998;

/// One message offered to [`thread`].
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    /// Its `Message-ID`, without angle brackets (`None` when it has none).
    pub message_id: Option<&'a str>,
    /// Its `In-Reply-To` ids, space-separated.
    pub in_reply_to: Option<&'a str>,
    /// Its `References` ids, space-separated, oldest first.
    pub references: Option<&'a str>,
    /// Its subject (only read when joining by subject).
    pub subject: &'a str,
    /// Its date (Unix seconds): siblings are ordered by it.
    pub date: i64,
}

/// How [`thread`] groups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Also join conversations whose subjects are the same once `Re:`/`Fwd:` are taken off,
    /// when one of them is a reply (JWZ step 5). Off by default.
    pub join_by_subject: bool,
}

/// One message's place in a conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placed {
    /// Its index in the slice given to [`thread`].
    pub index: usize,
    /// How many messages above it it answers (0 for a conversation's first message).
    pub depth: usize,
}

/// The ids `message` names as its ancestors, oldest first: its References (the first one and
/// the newest, at most [`MAX_PARENTS`]), or without any, the first id of In-Reply-To (RFC 5256
/// §2.2 step 1). Its own id and repeats are left out.
#[must_use]
pub fn parents<'a>(
    message_id: Option<&str>,
    in_reply_to: Option<&'a str>,
    references: Option<&'a str>,
) -> Vec<&'a str> {
    let valid = |id: &&str| !id.is_empty() && id.len() <= MAX_ID_LEN && Some(*id) != message_id;
    let mut ids: Vec<&str> = references
        .unwrap_or_default()
        .split_ascii_whitespace()
        .filter(valid)
        .collect();
    if ids.is_empty()
        && let Some(first) = in_reply_to
            .unwrap_or_default()
            .split_ascii_whitespace()
            .find(valid)
    {
        ids.push(first);
    }
    if ids.len() > MAX_PARENTS {
        let newest = ids.split_off(ids.len() - (MAX_PARENTS - 1));
        ids.truncate(1);
        ids.extend(newest);
    }
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    ids.retain(|id| seen.insert(*id));
    ids
}

/// A node of the tree: a message, or an id that was only referred to (a "phantom").
#[derive(Debug, Default)]
struct Container {
    message: Option<usize>,
    parent: Option<usize>,
    children: Vec<usize>,
}

/// The conversations among `messages`, each in reading order: a message before its answers,
/// siblings oldest first, conversations ordered by their first message's date.
#[must_use]
pub fn thread(messages: &[Message<'_>], options: Options) -> Vec<Vec<Placed>> {
    let mut tree = Tree::default();
    for (index, message) in messages.iter().enumerate() {
        tree.add(index, message);
    }
    let mut roots = tree.prune();
    if options.join_by_subject {
        roots = tree.join_by_subject(roots, messages);
    }
    tree.sort(&mut roots, messages);
    roots.iter().map(|&root| tree.walk(root)).collect()
}

/// Containers and the id table of JWZ step 1.
#[derive(Debug, Default)]
struct Tree {
    containers: Vec<Container>,
    by_id: HashMap<String, usize>,
}

impl Tree {
    fn container_for(&mut self, id: &str) -> usize {
        if let Some(&found) = self.by_id.get(id) {
            return found;
        }
        let index = self.new_container();
        self.by_id.insert(id.to_owned(), index);
        index
    }

    fn new_container(&mut self) -> usize {
        self.containers.push(Container::default());
        self.containers.len() - 1
    }

    /// JWZ step 1: the message's container, its ancestors linked in order, itself under the last.
    fn add(&mut self, index: usize, message: &Message<'_>) {
        let own = match message.message_id.filter(|id| !id.is_empty()) {
            Some(id) => {
                let found = self.container_for(id);
                if self.containers[found].message.is_some() {
                    // A second message with the same id: kept, as a message of its own.
                    self.new_container()
                } else {
                    found
                }
            }
            None => self.new_container(),
        };
        self.containers[own].message = Some(index);
        let ancestors = parents(message.message_id, message.in_reply_to, message.references);
        let mut previous: Option<usize> = None;
        for id in &ancestors {
            let current = self.container_for(id);
            if let Some(parent) = previous
                && self.containers[current].parent.is_none()
                && !self.reaches(current, parent)
                && current != parent
            {
                self.link(parent, current);
            }
            previous = Some(current);
        }
        // The message's own parent is always its last reference (replacing an earlier guess),
        // unless that would make a loop.
        if let Some(old) = self.containers[own].parent {
            self.unlink(old, own);
        }
        if let Some(parent) = previous
            && parent != own
            && !self.reaches(own, parent)
        {
            self.link(parent, own);
        }
    }

    /// Whether `descendant` lies under `ancestor` (or is it).
    fn reaches(&self, ancestor: usize, descendant: usize) -> bool {
        if self.containers[ancestor].children.is_empty() {
            // Nothing lies under a leaf (most containers, new ones always): no walk.
            return ancestor == descendant;
        }
        let mut at = Some(descendant);
        let mut steps = 0;
        while let Some(node) = at {
            if node == ancestor {
                return true;
            }
            steps += 1;
            if steps > self.containers.len() {
                return true; // a loop already: treat as reachable, link nothing more
            }
            at = self.containers[node].parent;
        }
        false
    }

    fn link(&mut self, parent: usize, child: usize) {
        self.containers[child].parent = Some(parent);
        self.containers[parent].children.push(child);
    }

    fn unlink(&mut self, parent: usize, child: usize) {
        self.containers[parent].children.retain(|&c| c != child);
        self.containers[child].parent = None;
    }

    /// JWZ steps 2–4: the roots, with phantoms dropped and their children moved up. A phantom
    /// root keeps its children together when it has several (they answer the same lost mail).
    fn prune(&mut self) -> Vec<usize> {
        let roots: Vec<usize> = (0..self.containers.len())
            .filter(|&c| self.containers[c].parent.is_none())
            .collect();
        let mut kept = Vec::new();
        for root in roots {
            self.prune_children(root);
            let container = &self.containers[root];
            match (container.message, container.children.len()) {
                (None, 0) => {}
                (None, 1) => {
                    let child = container.children[0];
                    self.containers[child].parent = None;
                    self.containers[root].children.clear();
                    kept.push(child);
                }
                _ => kept.push(root),
            }
        }
        kept
    }

    /// Replaces every phantom below `root` by its children (iteratively: chains can be deep).
    fn prune_children(&mut self, root: usize) {
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            let mut children = Vec::new();
            let mut queue: Vec<usize> = std::mem::take(&mut self.containers[node].children);
            queue.reverse();
            while let Some(child) = queue.pop() {
                if self.containers[child].message.is_some() {
                    children.push(child);
                } else {
                    // A phantom: its children take its place, in order.
                    let grandchildren = std::mem::take(&mut self.containers[child].children);
                    queue.extend(grandchildren.into_iter().rev());
                }
            }
            for &child in &children {
                self.containers[child].parent = Some(node);
            }
            stack.extend(children.iter().copied());
            self.containers[node].children = children;
        }
    }

    /// JWZ step 5: roots whose base subjects match are joined, under the one that is not a
    /// reply (or side by side under a phantom when both are, or neither is).
    fn join_by_subject(&mut self, roots: Vec<usize>, messages: &[Message<'_>]) -> Vec<usize> {
        let mut by_subject: HashMap<String, usize> = HashMap::new();
        let mut kept = Vec::new();
        for root in roots {
            let Some((subject, is_reply)) = self.root_subject(root, messages) else {
                kept.push(root);
                continue;
            };
            let Some(&other) = by_subject.get(&subject) else {
                by_subject.insert(subject, root);
                kept.push(root);
                continue;
            };
            let other_is_reply = self
                .root_subject(other, messages)
                .is_some_and(|(_, reply)| reply);
            if is_reply && !other_is_reply && self.containers[other].message.is_some() {
                self.link(other, root);
            } else if !is_reply && other_is_reply && self.containers[root].message.is_some() {
                self.link(root, other);
                kept.retain(|&r| r != other);
                kept.push(root);
                by_subject.insert(subject, root);
            } else {
                let phantom = if self.containers[other].message.is_none() {
                    other
                } else {
                    let phantom = self.new_container();
                    self.link(phantom, other);
                    kept.retain(|&r| r != other);
                    kept.push(phantom);
                    by_subject.insert(subject, phantom);
                    phantom
                };
                self.link(phantom, root);
            }
        }
        kept
    }

    /// A root's base subject and whether it is a reply (a phantom root: its first child's).
    fn root_subject(&self, root: usize, messages: &[Message<'_>]) -> Option<(String, bool)> {
        let container = &self.containers[root];
        let index = container.message.or_else(|| {
            container
                .children
                .first()
                .and_then(|&c| self.containers[c].message)
        })?;
        let (base, is_reply) = subject::base_and_mark(messages[index].subject);
        (!base.is_empty()).then_some((base, is_reply))
    }

    /// JWZ step 6: every level ordered by date (a phantom by its earliest message).
    fn sort(&mut self, roots: &mut [usize], messages: &[Message<'_>]) {
        let mut dates = vec![i64::MAX; self.containers.len()];
        // Children's dates are known before their parent's: fill bottom-up from a walk order.
        let mut order = Vec::new();
        let mut stack: Vec<usize> = roots.to_vec();
        while let Some(node) = stack.pop() {
            order.push(node);
            stack.extend(self.containers[node].children.iter().copied());
        }
        for &node in order.iter().rev() {
            let own = self.containers[node]
                .message
                .map_or(i64::MAX, |index| messages[index].date);
            let earliest_child = self.containers[node]
                .children
                .iter()
                .map(|&c| dates[c])
                .min()
                .unwrap_or(i64::MAX);
            dates[node] = own.min(earliest_child);
        }
        for &node in &order {
            let mut children = std::mem::take(&mut self.containers[node].children);
            children.sort_by_key(|&c| (dates[c], c));
            self.containers[node].children = children;
        }
        roots.sort_by_key(|&r| (dates[r], r));
    }

    /// The messages under `root`, depth first; a phantom adds no depth.
    fn walk(&self, root: usize) -> Vec<Placed> {
        let mut placed = Vec::new();
        let mut stack = vec![(root, 0usize)];
        while let Some((node, depth)) = stack.pop() {
            let container = &self.containers[node];
            let child_depth = match container.message {
                Some(index) => {
                    placed.push(Placed { index, depth });
                    depth + 1
                }
                None => depth,
            };
            stack.extend(
                container
                    .children
                    .iter()
                    .rev()
                    .map(|&child| (child, child_depth)),
            );
        }
        placed
    }
}
