//! A small DOM for html5ever to build: nodes in one arena, linked by index, so the tree is
//! freed in one go (no recursion, whatever the depth) and text nodes can be read by the walker.

use std::borrow::Cow;
use std::cell::RefCell;

use html5ever::interface::{ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, LocalName, Namespace, ParseOpts, QualName, parse_document};

/// Where a node sits in the arena.
pub(super) type NodeId = usize;

/// What a node is.
#[derive(Debug)]
pub(super) enum Kind {
    /// The document (or a template's contents).
    Document,
    /// An element.
    Element {
        /// Its name.
        name: QualName,
        /// Its attributes.
        attrs: Vec<Attribute>,
        /// A `MathML` `annotation-xml` integration point (html5ever asks).
        integration_point: bool,
    },
    /// Text.
    Text(String),
    /// Comments, doctypes and processing instructions: nothing to show.
    Other,
}

/// One node: what it is, its parent and children.
#[derive(Debug)]
pub(super) struct Node {
    /// What it is.
    pub kind: Kind,
    parent: Option<NodeId>,
    /// Its children in order.
    pub children: Vec<NodeId>,
    /// A template element's contents (a separate document node).
    template: Option<NodeId>,
}

/// A parsed document: its nodes; node 0 is the document.
#[derive(Debug, Default)]
pub(super) struct Dom {
    nodes: RefCell<Vec<Node>>,
}

/// The root node.
pub(super) const DOCUMENT: NodeId = 0;

impl Dom {
    /// Parses `markup` as an HTML document, scripting off.
    pub(super) fn parse(markup: &str) -> Vec<Node> {
        let dom = Self {
            nodes: RefCell::new(vec![Node::new(Kind::Document)]),
        };
        let mut opts = ParseOpts::default();
        opts.tree_builder.scripting_enabled = false;
        parse_document(dom, opts).one(markup).nodes.into_inner()
    }

    fn push(&self, kind: Kind) -> NodeId {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node::new(kind));
        nodes.len() - 1
    }

    fn detach(&self, child: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(parent) = nodes[child].parent.take() {
            nodes[parent].children.retain(|sibling| *sibling != child);
        }
    }

    fn attach(&self, parent: NodeId, index: Option<usize>, child: NodeId) {
        self.detach(child);
        let mut nodes = self.nodes.borrow_mut();
        nodes[child].parent = Some(parent);
        let children = &mut nodes[parent].children;
        match index {
            Some(index) => children.insert(index.min(children.len()), child),
            None => children.push(child),
        }
    }

    /// Appends `text` to the text node `node` when it is one; false otherwise.
    fn extend_text(&self, node: Option<NodeId>, text: &StrTendril) -> bool {
        let mut nodes = self.nodes.borrow_mut();
        match node.map(|node| &mut nodes[node].kind) {
            Some(Kind::Text(existing)) => {
                existing.push_str(text);
                true
            }
            _ => false,
        }
    }
}

impl Node {
    fn new(kind: Kind) -> Self {
        Self {
            kind,
            parent: None,
            children: Vec::new(),
            template: None,
        }
    }
}

/// An element's name, handed to html5ever by value (the arena cannot lend it).
#[derive(Debug)]
pub(super) struct OwnedName(QualName);

impl ElemName for OwnedName {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }

    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
}

impl TreeSink for Dom {
    type Handle = NodeId;
    type Output = Self;
    type ElemName<'a> = OwnedName;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, _message: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        DOCUMENT
    }

    fn elem_name(&self, target: &NodeId) -> OwnedName {
        match &self.nodes.borrow()[*target].kind {
            Kind::Element { name, .. } => OwnedName(name.clone()),
            // html5ever asks only about elements; an empty name matches none it looks for.
            _ => OwnedName(QualName::new(
                None,
                Namespace::from(""),
                LocalName::from(""),
            )),
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        let element = self.push(Kind::Element {
            name,
            attrs,
            integration_point: flags.mathml_annotation_xml_integration_point,
        });
        if flags.template {
            let contents = self.push(Kind::Document);
            self.nodes.borrow_mut()[element].template = Some(contents);
        }
        element
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        self.push(Kind::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.push(Kind::Other)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let child = match child {
            NodeOrText::AppendNode(node) => node,
            NodeOrText::AppendText(text) => {
                let last = self.nodes.borrow()[*parent].children.last().copied();
                if self.extend_text(last, &text) {
                    return;
                }
                self.push(Kind::Text(text.to_string()))
            }
        };
        self.attach(*parent, None, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        if self.nodes.borrow()[*element].parent.is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        // A template's contents are never shown; a non-template has none, so the document stands in.
        self.nodes.borrow()[*target].template.unwrap_or(DOCUMENT)
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, child: NodeOrText<NodeId>) {
        let Some(parent) = self.nodes.borrow()[*sibling].parent else {
            return;
        };
        let index = self.nodes.borrow()[parent]
            .children
            .iter()
            .position(|candidate| candidate == sibling)
            .unwrap_or(0);
        let child = match child {
            NodeOrText::AppendNode(node) => node,
            NodeOrText::AppendText(text) => {
                let previous = index
                    .checked_sub(1)
                    .map(|previous| self.nodes.borrow()[parent].children[previous]);
                if self.extend_text(previous, &text) {
                    return;
                }
                self.push(Kind::Text(text.to_string()))
            }
        };
        self.detach(child);
        // Detaching may have shifted the sibling (when the child stood before it).
        let index = self.nodes.borrow()[parent]
            .children
            .iter()
            .position(|candidate| candidate == sibling)
            .unwrap_or(index);
        self.attach(parent, Some(index), child);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, new_attrs: Vec<Attribute>) {
        if let Kind::Element { attrs, .. } = &mut self.nodes.borrow_mut()[*target].kind {
            for attr in new_attrs {
                if !attrs.iter().any(|existing| existing.name == attr.name) {
                    attrs.push(attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.detach(*target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        let children = std::mem::take(&mut nodes[*node].children);
        for child in &children {
            nodes[*child].parent = Some(*new_parent);
        }
        nodes[*new_parent].children.extend(children);
    }

    fn is_mathml_annotation_xml_integration_point(&self, target: &NodeId) -> bool {
        matches!(
            self.nodes.borrow()[*target].kind,
            Kind::Element {
                integration_point: true,
                ..
            }
        )
    }
}
