//! The UBL reader: a namespace-aware parse into a flat document tree, then a mapping of the tree
//! onto the model.
//!
//! The tree keeps its elements in document order in one vector, each with the index just past its
//! subtree, and all names and texts in one string buffer, so parsing allocates a handful of times
//! per document rather than per element. Any prefixes and default namespaces are accepted; a
//! DOCTYPE is refused (no entity is ever declared or expanded), as are references to entities
//! other than the XML predefines, and nesting deeper than [`MAX_DEPTH`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use quick_xml::events::Event;
use quick_xml::reader::Reader;
use rust_decimal::Decimal;

use super::write::{
    BRANCH_DESCRIPTION, NOT_APPLICABLE, OBJECT_TYPE_CODE, PROJECT_TYPE_CODE, TICKET_DESCRIPTION,
    WORK_ORDER_DESCRIPTION,
};
use super::{UblError, ns};
use crate::model::ids::{SCHEME_KVK, SCHEME_OIN};
use crate::model::{
    Address, Adjustment, Attachment, Branch, Card, Classification, Contact, CurrencyCode, Delivery,
    DocumentAdjustment, Endpoint, Invoice, Item, ItemAttribute, Kvk, Line, Mandate, Oin, Party,
    Payee, PaymentMeans, Period, PrecedingInvoice, SchemedId, TaxRepresentative, TypeCode, Vat,
    VatCategory, WorkOrder,
};

/// Deepest element nesting accepted. Real UBL invoices nest about ten levels.
pub const MAX_DEPTH: usize = 64;

/// The namespace an element is in, as far as UBL cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ns {
    /// `cbc:` basic components.
    Cbc,
    /// `cac:` aggregate components.
    Cac,
    /// `ext:` extensions.
    Ext,
    /// The Invoice root namespace.
    Invoice,
    /// The CreditNote root namespace.
    CreditNote,
    /// No namespace.
    None,
    /// Any other namespace.
    Other,
}

impl Ns {
    fn of(uri: &str) -> Ns {
        match uri {
            ns::CBC => Ns::Cbc,
            ns::CAC => Ns::Cac,
            ns::EXT => Ns::Ext,
            ns::INVOICE => Ns::Invoice,
            ns::CREDIT_NOTE => Ns::CreditNote,
            _ => Ns::Other,
        }
    }

    /// The conventional prefix, for paths in messages.
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            Ns::Cbc => "cbc:",
            Ns::Cac => "cac:",
            Ns::Ext => "ext:",
            _ => "",
        }
    }
}

type Span = (u32, u32);

/// The namespace of the `xml:` prefix, bound in every document.
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";

#[derive(Debug, Clone)]
struct Elem {
    ns: Ns,
    /// Character data other than XML white space that `text` leaves out (after or between
    /// child elements, or leading text of other white space before the first child).
    mixed: bool,
    /// Index of the namespace URI in `Document::uris`.
    uri: u16,
    name: Span,
    text: Span,
    attrs: (u32, u32),
    parent: u32,
    end: u32,
    pos: u32,
}

#[derive(Debug, Clone)]
struct Attr {
    /// Index of the namespace URI in `Document::uris` (0: no namespace).
    uri: u16,
    name: Span,
    value: Span,
}

/// A namespace declaration (`xmlns` or `xmlns:prefix`) and the element it is on.
#[derive(Debug, Clone)]
struct NsDecl {
    prefix: Span,
    uri: u16,
    ns: Ns,
    elem: u32,
}

/// XML white space: the only characters element-only content may hold besides elements.
fn xml_blank(s: &str) -> bool {
    s.bytes().all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// A parsed UBL document: every element with its namespace, attributes, text and source position.
#[derive(Debug, Clone)]
pub struct Document {
    buf: String,
    elems: Vec<Elem>,
    attrs: Vec<Attr>,
    newlines: Vec<u32>,
    root_namespace: String,
    /// Namespace URIs in order of first declaration (spans of `buf`); 0 is no namespace.
    uris: Vec<Span>,
    /// Every namespace declaration, in document order.
    ns_decls: Vec<NsDecl>,
    /// Elements by name and the attribute names present, built on first use.
    index: std::sync::OnceLock<Index>,
}

/// Where each element name occurs, and which attribute names occur at all: for questions about
/// the whole document (`//cac:TaxCategory`, `//@schemeName`) without walking it each time.
#[derive(Debug, Clone, Default)]
struct Index {
    /// Local name, then per namespace the element indexes in document order.
    by_name: std::collections::HashMap<Box<str>, Vec<(Ns, Vec<u32>)>>,
    attributes: std::collections::HashSet<Box<str>>,
}

/// An element of a [`Document`].
#[derive(Clone, Copy)]
pub struct Node<'d> {
    doc: &'d Document,
    index: u32,
}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Node({})", self.path())
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn line_col(newlines: &[u32], pos: u32) -> (usize, usize) {
    let line = newlines.partition_point(|&n| n < pos);
    let line_start = if line == 0 { 0 } else { newlines[line - 1] + 1 };
    (line + 1, (pos - line_start) as usize + 1)
}

fn xml_error(newlines: &[u32], pos: u64, message: String) -> UblError {
    let (line, column) = line_col(newlines, u32::try_from(pos).unwrap_or(u32::MAX));
    UblError::Xml {
        line,
        column,
        message,
    }
}

/// Parses UBL bytes into a [`Document`] without mapping it to the model.
pub fn parse(bytes: &[u8]) -> Result<Document, UblError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let newlines: Vec<u32> = memchr::memchr_iter(b'\n', bytes).map(to_u32).collect();
    if bytes.len() >= u32::MAX as usize {
        return Err(xml_error(&newlines, 0, "document larger than 4 GiB".into()));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        xml_error(
            &newlines,
            e.valid_up_to() as u64,
            "not valid UTF-8 (UBL documents are UTF-8)".into(),
        )
    })?;
    let mut reader = Reader::from_str(text);
    let mut doc = Document {
        buf: String::with_capacity(bytes.len() / 3),
        elems: Vec::with_capacity(bytes.len() / 48),
        attrs: Vec::new(),
        newlines,
        root_namespace: String::new(),
        uris: vec![(0, 0)],
        ns_decls: Vec::new(),
        index: std::sync::OnceLock::new(),
    };
    let mut stack: Vec<u32> = Vec::with_capacity(16);
    let mut seen_root = false;
    // In-scope namespace declarations: (index into `doc.ns_decls`, depth declared at).
    // Resolving prefixes here, in the one pass over each start tag's attributes, is cheaper
    // than a general namespace-resolving reader: UBL documents declare a handful of prefixes.
    let mut bindings: Vec<(u32, usize)> = Vec::with_capacity(8);
    // Attributes of the current start tag whose prefix is resolved once all of the tag's
    // declarations are known: (index into `doc.attrs`, the prefix in `doc.buf`).
    let mut prefixed: Vec<(u32, Span)> = Vec::new();
    loop {
        let pos_before = reader.buffer_position();
        let event = match reader.read_event() {
            Ok(x) => x,
            Err(e) => {
                return Err(xml_error(
                    &doc.newlines,
                    reader.error_position(),
                    e.to_string(),
                ));
            }
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                if stack.len() >= MAX_DEPTH {
                    let (line, column) = line_col(&doc.newlines, to_u32(pos_before as usize));
                    return Err(UblError::TooDeep {
                        limit: MAX_DEPTH,
                        line,
                        column,
                    });
                }
                if stack.is_empty() && seen_root {
                    return Err(xml_error(
                        &doc.newlines,
                        pos_before,
                        "more than one root element".into(),
                    ));
                }
                let depth = stack.len();
                let index = to_u32(doc.elems.len());
                let attr_start = to_u32(doc.attrs.len());
                prefixed.clear();
                for a in e.attributes() {
                    let a = a.map_err(|err| {
                        xml_error(&doc.newlines, pos_before, format!("bad attribute: {err}"))
                    })?;
                    let value = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|err| attr_error(&doc.newlines, pos_before, err))?;
                    let key = a.key.into_inner();
                    if key == "xmlns" || key.starts_with("xmlns:") {
                        let prefix = key.get(6..).unwrap_or("");
                        if !prefix.is_empty() && value.is_empty() {
                            return Err(xml_error(
                                &doc.newlines,
                                pos_before,
                                format!("namespace prefix {prefix:?} bound to no namespace"),
                            ));
                        }
                        let uri = doc.intern_uri(&value).ok_or_else(|| {
                            xml_error(&doc.newlines, pos_before, "too many namespaces".into())
                        })?;
                        // An empty span must not point past text the parent may still drop
                        // as layout (below): the default namespace's prefix is (0, 0).
                        let prefix_span = if prefix.is_empty() {
                            (0, 0)
                        } else {
                            let p0 = to_u32(doc.buf.len());
                            doc.buf.push_str(prefix);
                            (p0, to_u32(doc.buf.len()))
                        };
                        bindings.push((to_u32(doc.ns_decls.len()), depth));
                        doc.ns_decls.push(NsDecl {
                            prefix: prefix_span,
                            uri,
                            ns: Ns::of(&value),
                            elem: index,
                        });
                        continue;
                    }
                    let local = match key.split_once(':') {
                        Some((prefix, local)) => {
                            let p0 = to_u32(doc.buf.len());
                            doc.buf.push_str(prefix);
                            prefixed.push((to_u32(doc.attrs.len()), (p0, to_u32(doc.buf.len()))));
                            local
                        }
                        None => key,
                    };
                    let ns0 = to_u32(doc.buf.len());
                    doc.buf.push_str(local);
                    let ns1 = to_u32(doc.buf.len());
                    doc.buf.push_str(&value);
                    doc.attrs.push(Attr {
                        uri: 0,
                        name: (ns0, ns1),
                        value: (ns1, to_u32(doc.buf.len())),
                    });
                }
                for &(k, prefix) in &prefixed {
                    let prefix = doc.str(prefix);
                    let uri = match doc.resolve(&bindings, prefix).map(|d| d.uri) {
                        Some(uri) => uri,
                        None if prefix == "xml" => doc.intern_uri(XML_NAMESPACE).unwrap_or(0),
                        None => {
                            return Err(xml_error(
                                &doc.newlines,
                                pos_before,
                                format!("undeclared namespace prefix {prefix:?}"),
                            ));
                        }
                    };
                    doc.attrs[k as usize].uri = uri;
                }
                // Two attributes with one expanded name under different prefixes.
                for &(k, _) in &prefixed {
                    let a = &doc.attrs[k as usize];
                    let clash =
                        doc.attrs[attr_start as usize..]
                            .iter()
                            .enumerate()
                            .any(|(j, b)| {
                                attr_start as usize + j != k as usize
                                    && b.uri == a.uri
                                    && doc.str(b.name) == doc.str(a.name)
                            });
                    if clash {
                        return Err(xml_error(
                            &doc.newlines,
                            pos_before,
                            format!("attribute {} given twice", doc.str(a.name)),
                        ));
                    }
                }
                let qname = e.name().into_inner();
                let (prefix, local) = match qname.split_once(':') {
                    Some((p, l)) => (p, l),
                    None => ("", qname),
                };
                let (ns, uri) = match doc.resolve(&bindings, prefix) {
                    Some(d) if d.uri == 0 => (Ns::None, 0), // xmlns="" undeclares
                    Some(d) => (d.ns, d.uri),
                    None if prefix.is_empty() => (Ns::None, 0),
                    None if prefix == "xml" => {
                        (Ns::Other, doc.intern_uri(XML_NAMESPACE).unwrap_or(0))
                    }
                    None => {
                        return Err(xml_error(
                            &doc.newlines,
                            pos_before,
                            format!("undeclared namespace prefix {prefix:?}"),
                        ));
                    }
                };
                if stack.is_empty() {
                    seen_root = true;
                    doc.root_namespace = doc.str(doc.uris[uri as usize]).to_owned();
                }
                // Whitespace a parent collected before this child is layout, not content.
                if let Some(&parent) = stack.last() {
                    let p = &mut doc.elems[parent as usize];
                    if p.text.1 as usize == doc.buf.len() {
                        let leading = &doc.buf[p.text.0 as usize..];
                        if leading.trim().is_empty() {
                            p.mixed |= !xml_blank(leading);
                            doc.buf.truncate(p.text.0 as usize);
                            p.text = (p.text.0, p.text.0);
                        }
                    }
                }
                let name_start = to_u32(doc.buf.len());
                doc.buf.push_str(local);
                let name = (name_start, to_u32(doc.buf.len()));
                let here = to_u32(doc.buf.len());
                doc.elems.push(Elem {
                    ns,
                    mixed: false,
                    uri,
                    name,
                    text: (here, here),
                    attrs: (attr_start, to_u32(doc.attrs.len())),
                    parent: stack.last().copied().unwrap_or(u32::MAX),
                    end: index + 1,
                    pos: to_u32(pos_before as usize),
                });
                if empty {
                    while bindings.last().is_some_and(|b| b.1 >= depth) {
                        bindings.pop();
                    }
                } else {
                    stack.push(index);
                }
            }
            Event::End(_) => {
                if let Some(index) = stack.pop() {
                    doc.elems[index as usize].end = to_u32(doc.elems.len());
                }
                while bindings.last().is_some_and(|b| b.1 >= stack.len()) {
                    bindings.pop();
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                push_text(&mut doc, &stack, &content, reader.buffer_position())?;
            }
            Event::CData(c) => {
                let content = c.xml10_content();
                push_text(&mut doc, &stack, &content, reader.buffer_position())?;
            }
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match &*r {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "apos" => '\'',
                        "quot" => '"',
                        other => {
                            let (line, column) =
                                line_col(&doc.newlines, to_u32(pos_before as usize));
                            return Err(UblError::Entity {
                                name: other.to_owned(),
                                line,
                                column,
                            });
                        }
                    },
                    Err(e) => {
                        return Err(xml_error(&doc.newlines, pos_before, e.to_string()));
                    }
                };
                let mut tmp = [0u8; 4];
                push_text(
                    &mut doc,
                    &stack,
                    ch.encode_utf8(&mut tmp),
                    reader.buffer_position(),
                )?;
            }
            Event::DocType(_) => {
                let (line, column) = line_col(&doc.newlines, to_u32(pos_before as usize));
                return Err(UblError::Doctype { line, column });
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(xml_error(
            &doc.newlines,
            bytes.len() as u64,
            "document ends inside an element".into(),
        ));
    }
    if doc.elems.is_empty() {
        return Err(xml_error(&doc.newlines, 0, "no root element".into()));
    }
    Ok(doc)
}

fn attr_error(newlines: &[u32], pos: u64, err: quick_xml::Error) -> UblError {
    let message = err.to_string();
    if let Some(name) = message
        .split("entity `")
        .nth(1)
        .and_then(|rest| rest.split('`').next())
    {
        let (line, column) = line_col(newlines, to_u32(pos as usize));
        return UblError::Entity {
            name: name.to_owned(),
            line,
            column,
        };
    }
    xml_error(newlines, pos, format!("bad attribute value: {message}"))
}

fn push_text(doc: &mut Document, stack: &[u32], content: &str, pos: u64) -> Result<(), UblError> {
    let Some(&top) = stack.last() else {
        if content.trim().is_empty() {
            return Ok(());
        }
        return Err(xml_error(
            &doc.newlines,
            pos,
            "text outside the root element".into(),
        ));
    };
    let e = &mut doc.elems[top as usize];
    // Text after a child element (mixed content) is not part of any UBL value.
    if e.text.1 as usize != doc.buf.len() {
        e.mixed |= !xml_blank(content);
        return Ok(());
    }
    doc.buf.push_str(content);
    e.text.1 = to_u32(doc.buf.len());
    Ok(())
}

impl Document {
    /// The index of `uri` in `uris`, added when new; `None` past 65,535 distinct namespaces.
    fn intern_uri(&mut self, uri: &str) -> Option<u16> {
        if uri.is_empty() {
            return Some(0);
        }
        if let Some(k) = self.uris.iter().position(|&s| self.str(s) == uri) {
            return u16::try_from(k).ok();
        }
        let k = u16::try_from(self.uris.len()).ok()?;
        let start = to_u32(self.buf.len());
        self.buf.push_str(uri);
        self.uris.push((start, to_u32(self.buf.len())));
        Some(k)
    }

    /// The innermost in-scope declaration of `prefix` ("" for the default namespace).
    fn resolve(&self, bindings: &[(u32, usize)], prefix: &str) -> Option<&NsDecl> {
        bindings
            .iter()
            .rev()
            .map(|&(d, _)| &self.ns_decls[d as usize])
            .find(|d| self.str(d.prefix) == prefix)
    }

    /// The root element.
    pub fn root(&self) -> Node<'_> {
        Node {
            doc: self,
            index: 0,
        }
    }

    /// Namespace URI of the root element.
    pub fn root_namespace(&self) -> &str {
        &self.root_namespace
    }

    /// The element with this index (elements are numbered in document order, the root 0); the
    /// index must come from this document.
    pub(crate) fn node_at(&self, index: u32) -> Node<'_> {
        Node { doc: self, index }
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.elems.len()
    }

    /// Whether the document has no element (never true for a parsed document).
    pub fn is_empty(&self) -> bool {
        self.elems.is_empty()
    }

    fn str(&self, s: Span) -> &str {
        &self.buf[s.0 as usize..s.1 as usize]
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| {
            let mut index = Index::default();
            for (k, e) in self.elems.iter().enumerate() {
                let name = self.str(e.name);
                let per_ns = match index.by_name.get_mut(name) {
                    Some(per_ns) => per_ns,
                    None => index.by_name.entry(name.into()).or_default(),
                };
                match per_ns.iter_mut().find(|(ns, _)| *ns == e.ns) {
                    Some((_, list)) => list.push(to_u32(k)),
                    None => per_ns.push((e.ns, vec![to_u32(k)])),
                }
            }
            for a in &self.attrs {
                let name = self.str(a.name);
                if !index.attributes.contains(name) {
                    index.attributes.insert(name.into());
                }
            }
            index
        })
    }

    /// Every element of the document with this namespace and local name, in document order
    /// (XPath's `//cac:TaxCategory`).
    pub fn elements<'a>(&'a self, ns: Ns, name: &str) -> impl Iterator<Item = Node<'a>> + use<'a> {
        self.index()
            .by_name
            .get(name)
            .and_then(|per_ns| per_ns.iter().find(|(n, _)| *n == ns))
            .map_or(&[][..], |(_, list)| list.as_slice())
            .iter()
            .map(move |&index| Node { doc: self, index })
    }

    /// Whether any element of the document has an attribute with this local name (`//@name`).
    pub fn has_attribute(&self, name: &str) -> bool {
        self.index().attributes.contains(name)
    }

    /// The element with this id ([`Node::id`]).
    pub(crate) fn node(&self, id: u32) -> Option<Node<'_>> {
        ((id as usize) < self.elems.len()).then_some(Node {
            doc: self,
            index: id,
        })
    }
}

impl<'d> Node<'d> {
    fn elem(&self) -> &'d Elem {
        &self.doc.elems[self.index as usize]
    }

    /// The index just past the element's subtree: its descendants are the elements between.
    pub(crate) fn subtree_end(&self) -> u32 {
        self.elem().end
    }

    /// The document the element belongs to.
    pub fn document(&self) -> &'d Document {
        self.doc
    }

    /// The element's id in its document: its place in document order, 0 for the root.
    pub(crate) fn id(&self) -> u32 {
        self.index
    }

    /// Local name, e.g. `InvoiceLine`.
    pub fn name(&self) -> &'d str {
        self.doc.str(self.elem().name)
    }

    /// Namespace.
    pub fn ns(&self) -> Ns {
        self.elem().ns
    }

    /// The namespace URI (empty for no namespace).
    pub fn namespace_uri(&self) -> &'d str {
        self.doc.str(self.doc.uris[self.elem().uri as usize])
    }

    /// Whether the element holds character data other than XML white space that
    /// [`text`](Self::text) leaves out: text after or between its child elements, or leading
    /// text of other white space (such as a no-break space) before its first child. Element-only
    /// content may hold nothing but XML white space besides its elements.
    pub fn has_mixed_text(&self) -> bool {
        self.elem().mixed
    }

    /// The attributes as (namespace URI, local name, value), in document order; unprefixed
    /// attributes have no namespace (an empty URI).
    pub fn attrs_ns(&self) -> impl Iterator<Item = (&'d str, &'d str, &'d str)> + Clone + use<'d> {
        let doc = self.doc;
        let (a, b) = self.elem().attrs;
        doc.attrs[a as usize..b as usize].iter().map(move |at| {
            (
                doc.str(doc.uris[at.uri as usize]),
                doc.str(at.name),
                doc.str(at.value),
            )
        })
    }

    /// The namespace URI `prefix` is bound to at this element (`""` asks for the default
    /// namespace); `None` when it is not declared. `xml` is always bound.
    pub fn lookup_namespace(&self, prefix: &str) -> Option<&'d str> {
        let doc = self.doc;
        let here = self.index;
        let found = doc.ns_decls.iter().rev().find(|d| {
            d.elem <= here && here < doc.elems[d.elem as usize].end && doc.str(d.prefix) == prefix
        });
        match found {
            Some(d) => Some(doc.str(doc.uris[d.uri as usize])),
            None if prefix == "xml" => Some(XML_NAMESPACE),
            None => None,
        }
    }

    /// The element's own text (for leaf elements, its value), untrimmed.
    pub fn text(&self) -> &'d str {
        self.doc.str(self.elem().text)
    }

    /// The value of an attribute by local name.
    pub fn attr(&self, name: &str) -> Option<&'d str> {
        let (a, b) = self.elem().attrs;
        self.doc.attrs[a as usize..b as usize]
            .iter()
            .find(|at| self.doc.str(at.name) == name)
            .map(|at| self.doc.str(at.value))
    }

    /// 1-based line and column where the element starts.
    pub fn line_col(&self) -> (usize, usize) {
        line_col(&self.doc.newlines, self.elem().pos)
    }

    /// The parent element.
    pub fn parent(&self) -> Option<Node<'d>> {
        let p = self.elem().parent;
        (p != u32::MAX).then_some(Node {
            doc: self.doc,
            index: p,
        })
    }

    /// Child elements in document order.
    pub fn children(&self) -> impl Iterator<Item = Node<'d>> + use<'d> {
        let doc = self.doc;
        let end = self.elem().end;
        let mut i = self.index + 1;
        std::iter::from_fn(move || {
            if i >= end {
                return None;
            }
            let n = Node { doc, index: i };
            i = doc.elems[i as usize].end;
            Some(n)
        })
    }

    /// Every element below this one, in document order.
    pub fn descendants(&self) -> impl Iterator<Item = Node<'d>> + use<'d> {
        let doc = self.doc;
        (self.index + 1..self.elem().end).map(move |index| Node { doc, index })
    }

    /// The attributes as (local name, value), in document order.
    pub fn attrs(&self) -> impl Iterator<Item = (&'d str, &'d str)> + use<'d> {
        let doc = self.doc;
        let (a, b) = self.elem().attrs;
        doc.attrs[a as usize..b as usize]
            .iter()
            .map(move |at| (doc.str(at.name), doc.str(at.value)))
    }

    /// Child elements with this namespace and local name.
    pub fn all<'n>(&self, ns: Ns, name: &'n str) -> impl Iterator<Item = Node<'d>> + use<'d, 'n> {
        self.children()
            .filter(move |c| c.ns() == ns && c.name() == name)
    }

    /// The first child with this namespace and local name.
    pub fn child(&self, ns: Ns, name: &str) -> Option<Node<'d>> {
        self.children().find(|c| c.ns() == ns && c.name() == name)
    }

    /// A path like `/Invoice/cac:AccountingSupplierParty/cac:Party` for messages.
    pub fn path(&self) -> String {
        let mut parts = Vec::new();
        let mut n = Some(*self);
        while let Some(x) = n {
            parts.push(format!("{}{}", x.ns().prefix(), x.name()));
            n = x.parent();
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }

    /// The node's location as the official validation tools report it: local names with the
    /// position among same-named siblings, e.g. `/Invoice[1]/AccountingSupplierParty[1]/Party[1]`.
    pub fn location(&self) -> String {
        let mut chain = Vec::new();
        let mut n = Some(*self);
        while let Some(x) = n {
            chain.push(x);
            n = x.parent();
        }
        let mut out = String::new();
        for x in chain.iter().rev() {
            out.push('/');
            out.push_str(x.name());
            out.push('[');
            out.push_str(&x.position().to_string());
            out.push(']');
        }
        out
    }

    /// 1-based position among the siblings with the same namespace and local name.
    pub fn position(&self) -> usize {
        match self.parent() {
            None => 1,
            Some(p) => {
                1 + p
                    .children()
                    .take_while(|c| c.index != self.index)
                    .filter(|c| c.same_name(self))
                    .count()
            }
        }
    }

    /// Whether both elements have the same namespace and local name (elements of namespaces
    /// UBL does not use all count as one namespace here).
    fn same_name(&self, other: &Node<'_>) -> bool {
        self.ns() == other.ns() && self.name() == other.name()
    }

    fn invalid(&self, value: &str, message: &'static str) -> UblError {
        let (line, column) = self.line_col();
        UblError::Invalid {
            path: self.path(),
            value: value.to_owned(),
            message,
            line,
            column,
        }
    }

    fn decimal(&self) -> Result<Decimal, UblError> {
        parse_decimal(self.text()).ok_or_else(|| self.invalid(self.text(), "not a decimal number"))
    }

    fn date(&self) -> Result<NaiveDate, UblError> {
        parse_date(self.text()).ok_or_else(|| self.invalid(self.text(), "not a date (YYYY-MM-DD)"))
    }

    fn schemed(&self) -> Option<SchemedId> {
        let id = self.text().trim();
        (!id.is_empty()).then(|| SchemedId {
            id: id.to_owned(),
            scheme: self
                .attr("schemeID")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        })
    }
}

/// Lookups by path below an element: `["Country", "IdentificationCode"]` follows `cac:` steps to
/// a `cbc:` leaf. Implemented by [`Node`] (scanning its children) and by [`Kids`] (children
/// collected once, for elements looked into many times).
trait Lookup<'d> {
    /// The first child with this namespace and name.
    fn first(&self, ns: Ns, name: &str) -> Option<Node<'d>>;
    /// The element itself, for error paths.
    fn node(&self) -> Node<'d>;

    fn at(&self, path: &[&str]) -> Option<Node<'d>> {
        let (last, steps) = path.split_last()?;
        match steps.split_first() {
            None => self.first(Ns::Cbc, last),
            Some((head, rest)) => {
                let mut n = self.first(Ns::Cac, head)?;
                for s in rest {
                    n = n.child(Ns::Cac, s)?;
                }
                n.child(Ns::Cbc, last)
            }
        }
    }

    /// Trimmed text of the leaf at `path`, if present and not blank.
    fn s(&self, path: &[&str]) -> Option<&'d str> {
        self.at(path)
            .map(|n| n.text().trim())
            .filter(|t| !t.is_empty())
    }

    fn string(&self, path: &[&str]) -> Option<String> {
        self.s(path).map(str::to_owned)
    }

    fn missing(&self, what: &str) -> UblError {
        UblError::Missing {
            path: format!("{}/{what}", self.node().path()),
        }
    }

    fn opt_decimal(&self, path: &[&str]) -> Result<Option<Decimal>, UblError> {
        self.at(path)
            .filter(|n| !n.text().trim().is_empty())
            .map(|n| n.decimal())
            .transpose()
    }

    fn opt_date(&self, path: &[&str]) -> Result<Option<NaiveDate>, UblError> {
        self.at(path)
            .filter(|n| !n.text().trim().is_empty())
            .map(|n| n.date())
            .transpose()
    }
}

impl<'d> Lookup<'d> for Node<'d> {
    fn first(&self, ns: Ns, name: &str) -> Option<Node<'d>> {
        self.child(ns, name)
    }
    fn node(&self) -> Node<'d> {
        *self
    }
}

/// Some children of an element, collected once.
struct Kids<'d> {
    parent: Node<'d>,
    nodes: Vec<Node<'d>>,
}

impl<'d> Kids<'d> {
    fn new(parent: Node<'d>, keep: impl Fn(&Node<'d>) -> bool) -> Kids<'d> {
        Kids {
            parent,
            nodes: parent.children().filter(keep).collect(),
        }
    }

    fn all(&self, ns: Ns, name: &'d str) -> impl Iterator<Item = Node<'d>> + '_ {
        self.nodes
            .iter()
            .copied()
            .filter(move |c| c.ns() == ns && c.name() == name)
    }

    fn child(&self, ns: Ns, name: &str) -> Option<Node<'d>> {
        self.nodes
            .iter()
            .copied()
            .find(|c| c.ns() == ns && c.name() == name)
    }
}

impl<'d> Lookup<'d> for Kids<'d> {
    fn first(&self, ns: Ns, name: &str) -> Option<Node<'d>> {
        self.child(ns, name)
    }
    fn node(&self) -> Node<'d> {
        self.parent
    }
}

/// xs:decimal: optional sign, digits with an optional decimal point; nothing else.
pub(crate) fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    let mut seen_digit = false;
    let mut seen_point = false;
    for b in digits.bytes() {
        match b {
            b'0'..=b'9' => seen_digit = true,
            b'.' if !seen_point => seen_point = true,
            _ => return None,
        }
    }
    if !seen_digit {
        return None;
    }
    let t = t.strip_prefix('+').unwrap_or(t);
    let t = t.strip_suffix('.').unwrap_or(t);
    let t: Cow<'_, str> = if t.starts_with('.') || t.starts_with("-.") {
        Cow::Owned(t.replacen('.', "0.", 1))
    } else {
        Cow::Borrowed(t)
    };
    t.parse::<Decimal>().ok()
}

/// xs:date, with an optional time zone that invoices do not need.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let day = t.get(..10)?;
    let rest = &t[10..];
    let zone_ok = rest.is_empty()
        || rest == "Z"
        || (rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest.as_bytes()[3] == b':');
    if !zone_ok {
        return None;
    }
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// Reads a UBL 2.x Invoice or CreditNote into the model.
///
/// Totals in the document are not read: the model computes them. The document's own
/// CustomizationID and ProfileID are kept, so writing it again claims what it claimed.
pub fn from_xml(bytes: &[u8]) -> Result<Invoice, UblError> {
    let doc = parse(bytes)?;
    to_invoice(&doc)
}

/// Maps a parsed document onto the model.
pub fn to_invoice(doc: &Document) -> Result<Invoice, UblError> {
    let root = doc.root();
    let credit = match (root.ns(), root.name()) {
        (Ns::Invoice, "Invoice") => false,
        (Ns::CreditNote, "CreditNote") => true,
        _ => {
            return Err(UblError::NotUbl {
                namespace: doc.root_namespace.clone(),
                name: root.name().to_owned(),
            });
        }
    };
    let line_name = if credit {
        "CreditNoteLine"
    } else {
        "InvoiceLine"
    };
    let is_line = |c: &Node<'_>| c.ns() == Ns::Cac && c.name() == line_name;
    // Header lookups must not walk past every line of a long invoice.
    let root_node = root;
    let root = Kids::new(root_node, |c| !is_line(c));
    let number = root.string(&["ID"]).ok_or_else(|| root.missing("cbc:ID"))?;
    let issue_date = root
        .at(&["IssueDate"])
        .ok_or_else(|| root.missing("cbc:IssueDate"))?
        .date()?;
    let type_node = root.at(&[if credit {
        "CreditNoteTypeCode"
    } else {
        "InvoiceTypeCode"
    }]);
    let type_code = match type_node {
        Some(n) => TypeCode(
            n.text()
                .trim()
                .parse()
                .map_err(|_| n.invalid(n.text(), "not a UNCL 1001 document type code"))?,
        ),
        None if credit => TypeCode::CREDIT_NOTE,
        None => TypeCode::COMMERCIAL,
    };
    let currency_node = root
        .at(&["DocumentCurrencyCode"])
        .ok_or_else(|| root.missing("cbc:DocumentCurrencyCode"))?;
    let currency = CurrencyCode::new(currency_node.text().trim())
        .map_err(|_| currency_node.invalid(currency_node.text(), "not a currency code"))?;
    let tax_currency = match root.at(&["TaxCurrencyCode"]) {
        Some(n) => Some(
            CurrencyCode::new(n.text().trim())
                .map_err(|_| n.invalid(n.text(), "not a currency code"))?,
        ),
        None => None,
    };

    let mut inv = Invoice {
        number,
        issue_date,
        type_code,
        currency,
        tax_currency,
        tax_total_in_tax_currency: None,
        tax_point_date: root.opt_date(&["TaxPointDate"])?,
        due_date: root.opt_date(&["DueDate"])?,
        payment_terms: None,
        buyer_reference: root.string(&["BuyerReference"]),
        order_reference: root
            .string(&["OrderReference", "ID"])
            .filter(|r| r != NOT_APPLICABLE),
        sales_order_reference: root.string(&["OrderReference", "SalesOrderID"]),
        project_reference: root.string(&["ProjectReference", "ID"]),
        contract_reference: root.string(&["ContractDocumentReference", "ID"]),
        receiving_advice_reference: root.string(&["ReceiptDocumentReference", "ID"]),
        despatch_advice_reference: root.string(&["DespatchDocumentReference", "ID"]),
        tender_reference: root.string(&["OriginatorDocumentReference", "ID"]),
        invoiced_object: None,
        accounting_reference: root.string(&["AccountingCost"]),
        external_reference: None,
        preceding_invoices: Vec::new(),
        notes: root
            .all(Ns::Cbc, "Note")
            .map(|n| n.text().trim().to_owned())
            .filter(|n| !n.is_empty())
            .collect(),
        invoicing_period: match root.child(Ns::Cac, "InvoicePeriod") {
            Some(p) => Some(period(&p)?),
            None => None,
        },
        customization_id: root.string(&["CustomizationID"]),
        profile_id: root.string(&["ProfileID"]),
        supplier: Party::default(),
        customer: None,
        branch: None,
        work_order: None,
        payee: None,
        tax_representative: None,
        delivery: None,
        payment_means: Vec::new(),
        allowances: Vec::new(),
        charges: Vec::new(),
        prepaid_amount: root.opt_decimal(&["LegalMonetaryTotal", "PrepaidAmount"])?,
        rounding_amount: root.opt_decimal(&["LegalMonetaryTotal", "PayableRoundingAmount"])?,
        attachments: Vec::new(),
        lines: Vec::new(),
    };

    for b in root.all(Ns::Cac, "BillingReference") {
        if let Some(r) = b.child(Ns::Cac, "InvoiceDocumentReference")
            && let Some(number) = r.string(&["ID"])
        {
            inv.preceding_invoices.push(PrecedingInvoice {
                number,
                issue_date: r.opt_date(&["IssueDate"])?,
            });
        }
    }
    for adr in root.all(Ns::Cac, "AdditionalDocumentReference") {
        additional_document(&adr, &mut inv)?;
    }

    let supplier = root
        .child(Ns::Cac, "AccountingSupplierParty")
        .and_then(|s| s.child(Ns::Cac, "Party"))
        .ok_or_else(|| root.missing("cac:AccountingSupplierParty/cac:Party"))?;
    let (supplier, creditor_ids) = party(&supplier)?;
    inv.supplier = supplier;
    if let Some(c) = root
        .child(Ns::Cac, "AccountingCustomerParty")
        .and_then(|c| c.child(Ns::Cac, "Party"))
    {
        let (mut customer, sepa) = party(&c)?;
        // A SEPA creditor id belongs to suppliers; on a customer it is just an identifier.
        customer
            .identifiers
            .extend(sepa.into_iter().map(|id| SchemedId::new(id, "SEPA")));
        inv.customer = Some(customer);
    }
    if let Some(p) = root.child(Ns::Cac, "PayeeParty") {
        inv.payee = Some(Payee {
            name: p
                .string(&["PartyName", "Name"])
                .ok_or_else(|| p.missing("cac:PartyName/cbc:Name"))?,
            identifier: p
                .at(&["PartyIdentification", "ID"])
                .and_then(|n| n.schemed()),
            legal_id: p
                .at(&["PartyLegalEntity", "CompanyID"])
                .and_then(|n| n.schemed()),
        });
    }
    if let Some(t) = root.child(Ns::Cac, "TaxRepresentativeParty") {
        inv.tax_representative = Some(TaxRepresentative {
            name: t
                .string(&["PartyName", "Name"])
                .ok_or_else(|| t.missing("cac:PartyName/cbc:Name"))?,
            vat_number: t
                .string(&["PartyTaxScheme", "CompanyID"])
                .unwrap_or_default(),
            address: t
                .child(Ns::Cac, "PostalAddress")
                .map(|a| address(&a))
                .unwrap_or_default(),
        });
    }
    if let Some(d) = root.child(Ns::Cac, "Delivery") {
        let location = d.child(Ns::Cac, "DeliveryLocation");
        inv.delivery = Some(Delivery {
            party_name: d.string(&["DeliveryParty", "PartyName", "Name"]),
            location_id: location
                .and_then(|l| l.child(Ns::Cbc, "ID"))
                .and_then(|n| n.schemed()),
            date: d.opt_date(&["ActualDeliveryDate"])?,
            address: location
                .and_then(|l| l.child(Ns::Cac, "Address"))
                .map(|a| address(&a)),
        });
    }
    let mut creditor_ids = creditor_ids.into_iter();
    for m in root.all(Ns::Cac, "PaymentMeans") {
        if inv.due_date.is_none() {
            inv.due_date = m.opt_date(&["PaymentDueDate"])?;
        }
        let mandate = m.child(Ns::Cac, "PaymentMandate").map(|pm| Mandate {
            reference: pm.string(&["ID"]),
            creditor_id: None,
            debited_account: pm.string(&["PayerFinancialAccount", "ID"]),
        });
        let mandate = mandate.map(|mut md| {
            md.creditor_id = creditor_ids.next();
            md
        });
        let code_node = m.child(Ns::Cbc, "PaymentMeansCode");
        inv.payment_means.push(PaymentMeans {
            code: code_node
                .map(|c| c.text().trim().to_owned())
                .unwrap_or_default(),
            name: code_node
                .and_then(|c| c.attr("name"))
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty()),
            payment_id: m.string(&["PaymentID"]),
            iban: m.string(&["PayeeFinancialAccount", "ID"]),
            account_name: m.string(&["PayeeFinancialAccount", "Name"]),
            bic: m.string(&["PayeeFinancialAccount", "FinancialInstitutionBranch", "ID"]),
            card: m.child(Ns::Cac, "CardAccount").map(|c| Card {
                number: c.string(&["PrimaryAccountNumberID"]).unwrap_or_default(),
                holder: c.string(&["HolderName"]),
                network: c.string(&["NetworkID"]).filter(|n| n != NOT_APPLICABLE),
            }),
            mandate,
        });
    }
    // Creditor ids with no mandate to carry them stay identifiers of the supplier.
    inv.supplier
        .identifiers
        .extend(creditor_ids.map(|id| SchemedId::new(id, "SEPA")));
    let terms: Vec<&str> = root
        .all(Ns::Cac, "PaymentTerms")
        .filter_map(|t| t.s(&["Note"]))
        .collect();
    if !terms.is_empty() {
        inv.payment_terms = Some(terms.join("\n"));
    }

    // Exemption reasons live in the VAT breakdown; the model keeps them with the lines.
    let mut reasons: BTreeMap<GroupKey, ExemptionReason> = BTreeMap::new();
    let mut groups: Vec<Vat> = Vec::new();
    for total in root.all(Ns::Cac, "TaxTotal") {
        let amount = total.at(&["TaxAmount"]);
        let in_tax_currency = match (amount.and_then(|a| a.attr("currencyID")), &inv.tax_currency) {
            (Some(c), Some(tc)) => c.trim() == tc.as_str() && tc != &inv.currency,
            _ => false,
        };
        if in_tax_currency && total.child(Ns::Cac, "TaxSubtotal").is_none() {
            inv.tax_total_in_tax_currency = amount.map(|a| a.decimal()).transpose()?;
            continue;
        }
        for sub in total.all(Ns::Cac, "TaxSubtotal") {
            if let Some(cat) = sub.child(Ns::Cac, "TaxCategory") {
                let vat = tax_category(&cat)?;
                if let Some(category) = vat.category {
                    groups.push(vat.clone());
                    reasons
                        .entry(group_key(category, vat.percentage))
                        .or_insert((
                            cat.string(&["TaxExemptionReason"]),
                            cat.string(&["TaxExemptionReasonCode"]),
                        ));
                }
            }
        }
    }
    let with_reason = |mut vat: Vat| {
        if let Some(category) = vat.category
            && let Some((reason, code)) = reasons.get(&group_key(category, vat.percentage))
        {
            vat.exemption_reason = reason.clone();
            vat.exemption_reason_code = code.clone();
        }
        vat
    };

    for ac in root.all(Ns::Cac, "AllowanceCharge") {
        let (charge, a) = adjustment(&ac)?;
        let vat = match ac.child(Ns::Cac, "TaxCategory") {
            Some(c) => with_reason(tax_category(&c)?),
            None => Vat::default(),
        };
        let d = DocumentAdjustment {
            amount: a.amount,
            base_amount: a.base_amount,
            percentage: a.percentage,
            reason: a.reason,
            reason_code: a.reason_code,
            vat,
        };
        if charge {
            inv.charges.push(d);
        } else {
            inv.allowances.push(d);
        }
    }

    // Older (UBL 2.0) documents often state VAT only in the breakdown. With one VAT group
    // there is no doubt which VAT a line without its own category has.
    let only_group = match groups.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    };
    for l in root_node.children().filter(is_line) {
        let mut line = line(&l, credit)?;
        if line.vat.category.is_none()
            && let Some(g) = &only_group
        {
            line.vat = g.clone();
        }
        line.vat = with_reason(line.vat);
        inv.lines.push(line);
    }
    Ok(inv)
}

/// A VAT group: category and rate.
type GroupKey = (VatCategory, Option<Decimal>);
/// Exemption reason text and code of a VAT group.
type ExemptionReason = (Option<String>, Option<String>);

/// VAT group key as the model forms it: untaxed categories ignore the rate.
fn group_key(category: VatCategory, rate: Option<Decimal>) -> GroupKey {
    if category.is_taxed() {
        (category, rate)
    } else if category.has_rate() {
        (category, Some(Decimal::ZERO))
    } else {
        (category, None)
    }
}

fn period(p: &Node<'_>) -> Result<Period, UblError> {
    Ok(Period {
        start: p.opt_date(&["StartDate"])?,
        end: p.opt_date(&["EndDate"])?,
    })
}

fn additional_document(adr: &Node<'_>, inv: &mut Invoice) -> Result<(), UblError> {
    let Some(id_node) = adr.child(Ns::Cbc, "ID") else {
        return Ok(());
    };
    let id = id_node.text().trim().to_owned();
    let type_code = adr.s(&["DocumentTypeCode"]);
    let description = adr.string(&["DocumentDescription"]);
    let attachment = adr.child(Ns::Cac, "Attachment");
    match type_code {
        Some(OBJECT_TYPE_CODE) if inv.invoiced_object.is_none() => {
            inv.invoiced_object = id_node.schemed();
            return Ok(());
        }
        Some(PROJECT_TYPE_CODE) if inv.project_reference.is_none() => {
            inv.project_reference = Some(id);
            return Ok(());
        }
        _ => {}
    }
    if type_code.is_none()
        && attachment.is_none()
        && let Some(d) = description.as_deref()
    {
        let rest = |prefix: &str| {
            d.strip_prefix(prefix)
                .filter(|r| r.is_empty() || r.starts_with(' '))
                .map(|r| r.trim().to_owned())
        };
        if let (Some(source), None) = (rest(WORK_ORDER_DESCRIPTION), &inv.work_order) {
            inv.work_order = Some(WorkOrder {
                number: id,
                source: (!source.is_empty()).then_some(source),
            });
            return Ok(());
        }
        if d == TICKET_DESCRIPTION && inv.external_reference.is_none() {
            inv.external_reference = Some(id);
            return Ok(());
        }
        if let (Some(name), None) = (rest(BRANCH_DESCRIPTION), &inv.branch) {
            inv.branch = Some(Branch {
                id,
                name: (!name.is_empty()).then_some(name),
                address: None,
            });
            return Ok(());
        }
    }
    let mut a = Attachment {
        id,
        description,
        ..Attachment::default()
    };
    if let Some(att) = attachment {
        if let Some(obj) = att.child(Ns::Cbc, "EmbeddedDocumentBinaryObject") {
            use base64::Engine;
            let clean: Vec<u8> = obj
                .text()
                .bytes()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&clean)
                .map_err(|_| obj.invalid("(binary object)", "not valid base64"))?;
            a.content = Some(bytes);
            a.mime_code = obj.attr("mimeCode").map(|m| m.trim().to_owned());
            a.filename = obj.attr("filename").map(|f| f.trim().to_owned());
        }
        a.uri = att.string(&["ExternalReference", "URI"]);
    }
    inv.attachments.push(a);
    Ok(())
}

/// A party and the SEPA creditor ids found among its identifiers.
fn party(p: &Node<'_>) -> Result<(Party, Vec<String>), UblError> {
    let mut party = Party::default();
    let mut sepa = Vec::new();
    if let Some(e) = p.child(Ns::Cbc, "EndpointID") {
        let id = e.text().trim();
        if !id.is_empty() {
            party.endpoint = Some(Endpoint {
                id: id.to_owned(),
                scheme: e.attr("schemeID").unwrap_or("").trim().to_owned(),
            });
        }
    }
    for pi in p.all(Ns::Cac, "PartyIdentification") {
        if let Some(id) = pi.child(Ns::Cbc, "ID").and_then(|n| n.schemed()) {
            if id.scheme.as_deref() == Some("SEPA") {
                sepa.push(id.id);
            } else {
                party.identifiers.push(id);
            }
        }
    }
    party.trading_name = p.string(&["PartyName", "Name"]);
    if let Some(a) = p.child(Ns::Cac, "PostalAddress") {
        party.address = address(&a);
    }
    for ts in p.all(Ns::Cac, "PartyTaxScheme") {
        let value = ts.string(&["CompanyID"]);
        if ts
            .s(&["TaxScheme", "ID"])
            .is_some_and(|s| s.eq_ignore_ascii_case("VAT"))
        {
            if party.vat_number.is_none() {
                party.vat_number = value;
            }
        } else if party.tax_registration.is_none() {
            party.tax_registration = value;
        }
    }
    let legal = p.child(Ns::Cac, "PartyLegalEntity");
    party.name = legal
        .and_then(|l| l.string(&["RegistrationName"]))
        .or_else(|| party.trading_name.clone())
        .ok_or_else(|| p.missing("cac:PartyLegalEntity/cbc:RegistrationName"))?;
    if let Some(l) = legal {
        if let Some(id) = l.child(Ns::Cbc, "CompanyID").and_then(|n| n.schemed()) {
            // UBL 2.0 (SI-UBL 1.x) documents name the schemes NL:KVK and NL:OIN.
            match id.scheme.as_deref() {
                Some(SCHEME_KVK | "NL:KVK") if Kvk::new(id.id.as_str()).is_ok() => {
                    party.kvk = Kvk::new(id.id).ok();
                }
                Some(SCHEME_OIN | "NL:OIN") if Oin::new(id.id.as_str()).is_ok() => {
                    party.oin = Oin::new(id.id).ok();
                }
                _ => party.legal_id = Some(id),
            }
        }
        party.legal_info = l.string(&["CompanyLegalForm"]);
    }
    if let Some(c) = p.child(Ns::Cac, "Contact") {
        let contact = Contact {
            name: c.string(&["Name"]),
            phone: c.string(&["Telephone"]),
            email: c.string(&["ElectronicMail"]),
        };
        if contact != Contact::default() {
            party.contact = Some(contact);
        }
    }
    Ok((party, sepa))
}

/// Splits `Keizersgracht 123-A` into street, house number and addition; a line that does not
/// end in a house number stays whole as the street.
fn split_street(line: &str) -> (Option<String>, Option<String>, Option<String>) {
    let line = line.trim();
    let Some(space) = line.rfind(' ') else {
        return (Some(line.to_owned()), None, None);
    };
    let (street, tail) = (line[..space].trim_end(), &line[space + 1..]);
    let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || street.is_empty() {
        return (Some(line.to_owned()), None, None);
    }
    let number = &tail[..digits];
    let rest = tail[digits..].trim_start_matches('-');
    if !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return (Some(line.to_owned()), None, None);
    }
    (
        Some(street.to_owned()),
        Some(number.to_owned()),
        (!rest.is_empty()).then(|| rest.to_owned()),
    )
}

fn address(a: &Node<'_>) -> Address {
    let (street, house_number, house_number_addition) = match a.s(&["StreetName"]) {
        Some(line) => split_street(line),
        None => (None, None, None),
    };
    Address {
        street,
        house_number,
        house_number_addition,
        additional_street: a.string(&["AdditionalStreetName"]),
        address_line_3: a.string(&["AddressLine", "Line"]),
        postcode: a.string(&["PostalZone"]),
        city: a.string(&["CityName"]),
        subdivision: a.string(&["CountrySubentity"]),
        country_code: a.string(&["Country", "IdentificationCode"]),
    }
}

fn tax_category(c: &Node<'_>) -> Result<Vat, UblError> {
    let category = match c.child(Ns::Cbc, "ID") {
        Some(n) => Some(
            VatCategory::from_code(n.text().trim())
                .ok_or_else(|| n.invalid(n.text(), "not an EN 16931 VAT category code"))?,
        ),
        None => None,
    };
    Ok(Vat {
        code: None,
        percentage: c.opt_decimal(&["Percent"])?,
        category,
        exemption_reason: None,
        exemption_reason_code: None,
    })
}

/// An allowance or charge: whether it is a charge, and its amounts.
fn adjustment(ac: &Node<'_>) -> Result<(bool, Adjustment), UblError> {
    let indicator = ac
        .at(&["ChargeIndicator"])
        .ok_or_else(|| ac.missing("cbc:ChargeIndicator"))?;
    let charge = match indicator.text().trim() {
        "true" | "1" => true,
        "false" | "0" => false,
        other => return Err(indicator.invalid(other, "not a boolean")),
    };
    Ok((
        charge,
        Adjustment {
            amount: ac.opt_decimal(&["Amount"])?,
            base_amount: ac.opt_decimal(&["BaseAmount"])?,
            percentage: ac.opt_decimal(&["MultiplierFactorNumeric"])?,
            reason: ac.string(&["AllowanceChargeReason"]),
            reason_code: ac.string(&["AllowanceChargeReasonCode"]),
        },
    ))
}

/// Keeps the first of repeated elements, as the lookups do.
fn first<'d>(slot: &mut Option<Node<'d>>, n: Node<'d>) {
    slot.get_or_insert(n);
}

/// Trimmed, non-blank text of an optional leaf.
fn leaf(n: Option<Node<'_>>) -> Option<String> {
    n.map(|n| n.text().trim())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// An invoice line, in one pass over its children (and one over its item's and price's): lines
/// are most of a long invoice.
fn line(l: &Node<'_>, credit: bool) -> Result<Line, UblError> {
    let qty_name = if credit {
        "CreditedQuantity"
    } else {
        "InvoicedQuantity"
    };
    let (mut id, mut note, mut qty, mut cost, mut period_node) = (None, None, None, None, None);
    let (mut order_line, mut doc_ref, mut item, mut price) = (None, None, None, None);
    let mut allowances = Vec::new();
    let mut charges = Vec::new();
    for c in l.children() {
        match (c.ns(), c.name()) {
            (Ns::Cbc, "ID") => first(&mut id, c),
            (Ns::Cbc, "Note") => first(&mut note, c),
            (Ns::Cbc, n) if n == qty_name => first(&mut qty, c),
            (Ns::Cbc, "AccountingCost") => first(&mut cost, c),
            (Ns::Cac, "InvoicePeriod") => first(&mut period_node, c),
            (Ns::Cac, "OrderLineReference") => first(&mut order_line, c),
            (Ns::Cac, "DocumentReference") => first(&mut doc_ref, c),
            (Ns::Cac, "Item") => first(&mut item, c),
            (Ns::Cac, "Price") => first(&mut price, c),
            (Ns::Cac, "AllowanceCharge") => {
                let (charge, a) = adjustment(&c)?;
                if charge {
                    charges.push(a);
                } else {
                    allowances.push(a);
                }
            }
            _ => {}
        }
    }
    let qty = qty.ok_or_else(|| l.missing(&format!("cbc:{qty_name}")))?;
    let item = item.ok_or_else(|| l.missing("cac:Item"))?;
    let price = price.ok_or_else(|| l.missing("cac:Price"))?;

    let (mut price_amount, mut base_quantity, mut price_ac) = (None, None, None);
    for c in price.children() {
        match (c.ns(), c.name()) {
            (Ns::Cbc, "PriceAmount") => first(&mut price_amount, c),
            (Ns::Cbc, "BaseQuantity") => first(&mut base_quantity, c),
            (Ns::Cac, "AllowanceCharge") => first(&mut price_ac, c),
            _ => {}
        }
    }
    let price_amount = price_amount
        .ok_or_else(|| price.missing("cbc:PriceAmount"))?
        .decimal()?;
    let base_quantity = base_quantity
        .filter(|n| !n.text().trim().is_empty())
        .map(|n| n.decimal())
        .transpose()?;

    let (mut description, mut name, mut buyers, mut sellers, mut standard) =
        (None, None, None, None, None);
    let (mut origin, mut tax) = (None, None);
    let mut classifications = Vec::new();
    let mut attributes = Vec::new();
    for c in item.children() {
        match (c.ns(), c.name()) {
            (Ns::Cbc, "Description") => first(&mut description, c),
            (Ns::Cbc, "Name") => first(&mut name, c),
            (Ns::Cac, "BuyersItemIdentification") => first(&mut buyers, c),
            (Ns::Cac, "SellersItemIdentification") => first(&mut sellers, c),
            (Ns::Cac, "StandardItemIdentification") => first(&mut standard, c),
            (Ns::Cac, "OriginCountry") => first(&mut origin, c),
            (Ns::Cac, "ClassifiedTaxCategory") => first(&mut tax, c),
            (Ns::Cac, "CommodityClassification") => {
                if let Some(n) = c
                    .child(Ns::Cbc, "ItemClassificationCode")
                    .filter(|n| !n.text().trim().is_empty())
                {
                    classifications.push(Classification {
                        code: n.text().trim().to_owned(),
                        list_id: n.attr("listID").unwrap_or("").trim().to_owned(),
                        list_version: n
                            .attr("listVersionID")
                            .map(|v| v.trim().to_owned())
                            .filter(|v| !v.is_empty()),
                    });
                }
            }
            (Ns::Cac, "AdditionalItemProperty") => attributes.push(ItemAttribute {
                name: c.string(&["Name"]).unwrap_or_default(),
                value: c.string(&["Value"]).unwrap_or_default(),
            }),
            _ => {}
        }
    }
    let vat = match tax {
        Some(c) => tax_category(&c)?,
        None => Vat::default(),
    };
    let (gross_price, price_discount) = match price_ac {
        Some(ac) => (
            ac.opt_decimal(&["BaseAmount"])?,
            ac.opt_decimal(&["Amount"])?,
        ),
        None => (None, None),
    };
    Ok(Line {
        id: leaf(id).ok_or_else(|| l.missing("cbc:ID"))?,
        note: leaf(note),
        object_id: doc_ref
            .and_then(|d| d.child(Ns::Cbc, "ID"))
            .and_then(|n| n.schemed()),
        quantity: qty.decimal()?,
        unit_code: qty
            .attr("unitCode")
            .map(|u| u.trim().to_owned())
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "C62".to_owned()),
        price: price_amount,
        base_quantity,
        gross_price,
        price_discount,
        order_line_reference: order_line.and_then(|o| o.string(&["LineID"])),
        cost_centre: leaf(cost),
        project: None,
        period: period_node.map(|p| period(&p)).transpose()?,
        allowances,
        charges,
        vat,
        item: Item {
            name: leaf(name).ok_or_else(|| item.missing("cbc:Name"))?,
            description: leaf(description),
            seller_id: sellers.and_then(|n| n.string(&["ID"])),
            buyer_id: buyers.and_then(|n| n.string(&["ID"])),
            standard_id: standard
                .and_then(|n| n.child(Ns::Cbc, "ID"))
                .and_then(|n| n.schemed()),
            classifications,
            origin_country: origin.and_then(|n| n.string(&["IdentificationCode"])),
            attributes,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_strict() {
        assert_eq!(parse_decimal(" 12.50 "), Some(Decimal::new(1250, 2)));
        assert_eq!(parse_decimal("-.5"), Some(Decimal::new(-5, 1)));
        assert_eq!(parse_decimal("+3."), Some(Decimal::new(3, 0)));
        for bad in ["", "1e3", "1_000", "1,5", "--1", ".", "NaN", "1.2.3"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert!(parse_date("2026-02-03").is_some());
        assert!(parse_date("2026-02-03Z").is_some());
        assert!(parse_date("2026-02-03+01:00").is_some());
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("03-02-2026").is_none());
        assert!(parse_date("2026-02-03T10:00").is_none());
    }

    #[test]
    fn street_split() {
        let s = |l| split_street(l);
        assert_eq!(
            s("Keizersgracht 123-A"),
            (
                Some("Keizersgracht".into()),
                Some("123".into()),
                Some("A".into())
            )
        );
        assert_eq!(
            s("Dorpsstraat 7"),
            (Some("Dorpsstraat".into()), Some("7".into()), None)
        );
        assert_eq!(s("Plein 1944 12b").1.as_deref(), Some("12"));
        assert_eq!(
            s("221B Baker Street"),
            (Some("221B Baker Street".into()), None, None)
        );
        assert_eq!(s("Postbus"), (Some("Postbus".into()), None, None));
        assert_eq!(s("Laan 3/5"), (Some("Laan 3/5".into()), None, None));
    }

    #[test]
    fn hostile_input() {
        let e = parse(b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>").unwrap_err();
        assert!(matches!(e, UblError::Doctype { line: 1, .. }), "{e}");
        let e = parse(b"<x>&a;</x>").unwrap_err();
        assert!(
            matches!(e, UblError::Entity { ref name, .. } if name == "a"),
            "{e}"
        );
        let e = parse(b"<x y='&a;'/>").unwrap_err();
        assert!(matches!(e, UblError::Entity { .. }), "{e}");
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(matches!(
            parse(deep.as_bytes()),
            Err(UblError::TooDeep { .. })
        ));
        let e = parse(b"<a>\n  <b>\n</a>").unwrap_err();
        assert!(matches!(e, UblError::Xml { line: 3, .. }), "{e}");
        assert!(parse(b"").is_err());
        assert!(parse(b"\xff\xfe<a/>").is_err());
        assert!(parse(b"<a/><b/>").is_err());
        assert!(parse(b"<p:a/>").is_err());
    }

    #[test]
    fn text_refs_and_prefixes() {
        let d = parse(
            b"<i:Invoice xmlns:i='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2' \
              xmlns:b='urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2'>\n \
              <b:ID>A&amp;B &#x41;<![CDATA[<c>]]></b:ID></i:Invoice>",
        )
        .unwrap();
        let root = d.root();
        assert_eq!((root.ns(), root.name()), (Ns::Invoice, "Invoice"));
        let id = root.child(Ns::Cbc, "ID").unwrap();
        assert_eq!(id.text(), "A&B A<c>");
        assert_eq!(id.line_col(), (2, 2));
        assert_eq!(id.path(), "/Invoice/cbc:ID");
        assert_eq!(root.text(), "");
    }

    #[test]
    fn namespace_scopes() {
        let d = parse(
            b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'>\
              <x:ID xmlns:x='urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2'/>\
              <Note xmlns=''/><cbc:Note xmlns:cbc='urn:other'/><Tail/></Invoice>",
        )
        .unwrap();
        let kinds: Vec<_> = d.root().children().map(|c| (c.ns(), c.name())).collect();
        assert_eq!(
            kinds,
            [
                (Ns::Cbc, "ID"),
                (Ns::None, "Note"),
                (Ns::Other, "Note"),
                (Ns::Invoice, "Tail")
            ]
        );
        // A prefix declared on a sibling is out of scope.
        assert!(parse(b"<a><b xmlns:p='u'/><p:c/></a>").is_err());
    }

    #[test]
    fn namespace_uris_declarations_and_attributes() {
        let d = parse(
            b"<i:Invoice xmlns:i='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2' \
              xmlns:x='urn:x' xmlns:xsi='http://www.w3.org/2001/XMLSchema-instance'>\
              <x:a x:k='1' xsi:type='x:T' plain='2' xml:lang='nl'><b xmlns='urn:y'/></x:a>\
              <c/></i:Invoice>",
        )
        .unwrap();
        let root = d.root();
        assert_eq!(
            root.namespace_uri(),
            "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
        );
        let a = root.children().next().unwrap();
        assert_eq!((a.ns(), a.namespace_uri()), (Ns::Other, "urn:x"));
        let attrs: Vec<_> = a.attrs_ns().collect();
        assert_eq!(
            attrs,
            [
                ("urn:x", "k", "1"),
                ("http://www.w3.org/2001/XMLSchema-instance", "type", "x:T"),
                ("", "plain", "2"),
                ("http://www.w3.org/XML/1998/namespace", "lang", "nl"),
            ]
        );
        // The older API keeps local names.
        assert_eq!(a.attr("type"), Some("x:T"));
        let b = a.children().next().unwrap();
        assert_eq!(b.namespace_uri(), "urn:y");
        assert_eq!(b.lookup_namespace(""), Some("urn:y"));
        assert_eq!(b.lookup_namespace("x"), Some("urn:x"));
        assert_eq!(a.lookup_namespace(""), None);
        assert_eq!(a.lookup_namespace("xml"), Some(XML_NAMESPACE));
        assert_eq!(a.lookup_namespace("nope"), None);
        let c = root.children().nth(1).unwrap();
        assert_eq!((c.ns(), c.namespace_uri()), (Ns::None, ""));
        assert_eq!(c.lookup_namespace("x"), Some("urn:x"));
    }

    #[test]
    fn text_beside_child_elements_is_flagged() {
        let d = parse(
            "<r><a> <b/>\t</a><c>x<b/></c><d><b/>y</d><e>\u{a0}<b/></e><f>v</f></r>".as_bytes(),
        )
        .unwrap();
        let flags: Vec<_> = d
            .root()
            .children()
            .map(|n| (n.name(), n.text(), n.has_mixed_text()))
            .collect();
        assert_eq!(
            flags,
            [
                ("a", "", false),
                ("c", "x", false),
                ("d", "", true),
                ("e", "", true),
                ("f", "v", false),
            ]
        );
    }

    #[test]
    fn a_default_namespace_declared_again_after_layout() {
        // The layout before <b> is dropped while b's declaration is read: nothing recorded for
        // b may point into the dropped text.
        let d = parse(b"<a xmlns='urn:a'>\n  <b xmlns='urn:a'/>\n  <c xmlns=''/></a>").unwrap();
        let b = d.root().children().next().unwrap();
        assert_eq!(b.lookup_namespace(""), Some("urn:a"));
        let c = d.root().children().nth(1).unwrap();
        assert_eq!(c.lookup_namespace(""), Some(""));
        assert_eq!(crate::validate::ubl::schema::check(&d).len(), 1);
    }

    #[test]
    fn namespace_errors_in_attributes() {
        for bad in [
            &b"<a p:x='1'/>"[..],
            b"<a xmlns:p='u' xmlns:q='u' p:x='1' q:x='2'/>",
            b"<a xmlns:p=''/>",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(matches!(e, UblError::Xml { line: 1, .. }), "{e}");
        }
        assert!(parse(b"<a xmlns='' xml:lang='nl'/>").is_ok());
    }

    #[test]
    fn wrong_root() {
        let e = from_xml(b"<Order xmlns='urn:oasis:names:specification:ubl:schema:xsd:Order-2'/>")
            .unwrap_err();
        assert!(e.to_string().contains("Order"), "{e}");
    }
}
