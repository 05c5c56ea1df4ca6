//! The document tree of a UBL file: a namespace-aware parse into a flat tree, and the elements'
//! names, namespaces, attributes, texts and source positions.
//!
//! The tree keeps its elements in document order in one vector, each with the index just past its
//! subtree, and all names and texts in one string buffer, so parsing allocates a handful of times
//! per document rather than per element. Any prefixes and default namespaces are accepted; a
//! DOCTYPE is refused (no entity is ever declared or expanded), as are references to entities
//! other than the XML predefines, and nesting deeper than [`MAX_DEPTH`].

use super::scan::{
    Event, RawAttr, ScanError, ScanErrorKind, Scanner, Span, decode_attribute, decode_text,
};
use super::{UblError, ns};

#[doc(hidden)]
pub mod reference;

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
///
/// Each distinct (namespace, local name) pair of the document gets a small number, its symbol;
/// rules dispatch on an element's symbol instead of comparing its name.
#[derive(Debug, Clone, Default)]
struct Index {
    /// Local name, then per namespace the symbol.
    by_name: FastMap<Box<str>, Vec<(Ns, u32)>>,
    /// Per symbol: its namespace, local name and element indexes in document order.
    symbols: Vec<(Ns, Span, Vec<u32>)>,
    /// Per element: its symbol.
    symbol_of: Vec<u32>,
    attributes: FastMap<Box<str>, ()>,
}

/// A hash map with a fast, non-cryptographic hasher: its keys are the names of one document,
/// and collisions only cost time.
pub(crate) type FastMap<K, V> =
    std::collections::HashMap<K, V, std::hash::BuildHasherDefault<FastHasher>>;

/// A multiply-rotate hasher over words (the scheme of rustc's FxHasher).
#[derive(Default)]
pub(crate) struct FastHasher(u64);

impl FastHasher {
    const K: u64 = 0x517c_c1b7_2722_0a95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::K);
    }
}

impl std::hash::Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7],
            ]));
        }
        let rest = chunks.remainder();
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last) ^ rest.len() as u64);
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
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
///
/// The bytes must be UTF-8 (an optional byte-order mark is skipped) and well-formed XML 1.0
/// with namespaces; a DOCTYPE, references to entities other than the XML predefines, and
/// nesting deeper than [`MAX_DEPTH`] are refused. Errors give the line and column.
pub fn parse(bytes: &[u8]) -> Result<Document, UblError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let newlines: Vec<u32> = memchr::memchr_iter(b'\n', bytes).map(to_u32).collect();
    if bytes.len() >= u32::MAX as usize / 2 {
        return Err(xml_error(&newlines, 0, "document larger than 2 GiB".into()));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        xml_error(
            &newlines,
            e.valid_up_to() as u64,
            "not valid UTF-8 (UBL documents are UTF-8)".into(),
        )
    })?;
    let mut doc = Document {
        // The input itself is the start of the buffer: names, plain values and plain texts are
        // spans of it; decoded values are appended after it.
        buf: String::with_capacity(text.len() + text.len() / 16 + 64),
        elems: Vec::with_capacity(text.len() / 40),
        attrs: Vec::with_capacity(text.len() / 160),
        newlines,
        root_namespace: String::new(),
        uris: vec![(0, 0)],
        ns_decls: Vec::new(),
        index: std::sync::OnceLock::new(),
    };
    doc.buf.push_str(text);
    Builder {
        doc: &mut doc,
        stack: Vec::with_capacity(16),
        bindings: Vec::with_capacity(8),
        prefixed: Vec::new(),
    }
    .build(text)?;
    Ok(doc)
}

/// The text an open element has collected so far (its value is the text before its first child).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Collected {
    /// Nothing yet.
    Nothing,
    /// One piece, a span of the input.
    Span,
    /// Several pieces or decoded text, at the end of the buffer.
    Owned,
    /// A child came: later text is not the element's value.
    Closed,
}

struct Builder<'a> {
    doc: &'a mut Document,
    /// Open elements and what text each has collected.
    stack: Vec<(u32, Collected)>,
    /// In-scope namespace declarations: (index into `doc.ns_decls`, depth declared at).
    bindings: Vec<(u32, usize)>,
    /// Attributes of the current start tag whose prefix is resolved once all of the tag's
    /// declarations are known: (index into `doc.attrs`, the prefix's span).
    prefixed: Vec<(u32, Span)>,
}

impl Builder<'_> {
    fn error(&self, at: usize, message: String) -> UblError {
        xml_error(&self.doc.newlines, at as u64, message)
    }

    fn build(&mut self, text: &str) -> Result<(), UblError> {
        let mut sc = Scanner::new(text);
        loop {
            let event = sc.next().map_err(|e| self.scan_error(e))?;
            match event {
                Event::Start { name, at, empty } => self.start(&sc, name, at, empty)?,
                Event::End { .. } => self.end(),
                Event::Text { raw, plain } => self.text(&sc, raw, plain, false),
                Event::CData { raw } => self.text(&sc, raw, !sc.str(raw).contains('\r'), true),
                Event::Eof => break,
            }
        }
        Ok(())
    }

    fn scan_error(&self, e: ScanError) -> UblError {
        let (line, column) = line_col(&self.doc.newlines, to_u32(e.at));
        match e.kind {
            ScanErrorKind::Doctype => UblError::Doctype { line, column },
            ScanErrorKind::Entity(name) => UblError::Entity { name, line, column },
            ScanErrorKind::Syntax(message) => UblError::Xml {
                line,
                column,
                message,
            },
        }
    }

    fn start(
        &mut self,
        sc: &Scanner<'_>,
        qname: Span,
        at: usize,
        empty: bool,
    ) -> Result<(), UblError> {
        let depth = self.stack.len();
        if depth >= MAX_DEPTH {
            let (line, column) = line_col(&self.doc.newlines, to_u32(at));
            return Err(UblError::TooDeep {
                limit: MAX_DEPTH,
                line,
                column,
            });
        }
        let index = to_u32(self.doc.elems.len());
        let attr_start = to_u32(self.doc.attrs.len());
        self.prefixed.clear();
        for a in sc.attrs() {
            let key = sc.str(a.name);
            if key == "xmlns" || key.starts_with("xmlns:") {
                // The default namespace's prefix is the empty span at 0.
                let prefix = if key.len() == 5 {
                    (0, 0)
                } else {
                    (a.name.0 + 6, a.name.1)
                };
                let value = self.value(sc, a);
                let uri_text = self.doc.str(value).to_owned();
                if prefix != (0, 0) && uri_text.is_empty() {
                    return Err(self.error(
                        at,
                        format!(
                            "namespace prefix {:?} bound to no namespace",
                            sc.str(prefix)
                        ),
                    ));
                }
                let uri = self
                    .doc
                    .intern_uri_span(value)
                    .ok_or_else(|| self.error(at, "too many namespaces".into()))?;
                self.bindings.push((to_u32(self.doc.ns_decls.len()), depth));
                self.doc.ns_decls.push(NsDecl {
                    prefix,
                    uri,
                    ns: Ns::of(&uri_text),
                    elem: index,
                });
                continue;
            }
            let local = match memchr::memchr(b':', key.as_bytes()) {
                Some(colon) => {
                    let colon = a.name.0 + colon as u32;
                    self.prefixed
                        .push((to_u32(self.doc.attrs.len()), (a.name.0, colon)));
                    (colon + 1, a.name.1)
                }
                None => a.name,
            };
            let value = self.value(sc, a);
            self.doc.attrs.push(Attr {
                uri: 0,
                name: local,
                value,
            });
        }
        for k in 0..self.prefixed.len() {
            let (attr, prefix) = self.prefixed[k];
            let prefix = sc.str(prefix);
            let uri = match self.doc.resolve(&self.bindings, prefix).map(|d| d.uri) {
                Some(uri) => uri,
                None if prefix == "xml" => self.doc.intern_uri(XML_NAMESPACE).unwrap_or(0),
                None => {
                    return Err(self.error(at, format!("undeclared namespace prefix {prefix:?}")));
                }
            };
            self.doc.attrs[attr as usize].uri = uri;
        }
        // Two attributes with one expanded name under different prefixes.
        for &(k, _) in &self.prefixed {
            let doc = &*self.doc;
            let a = &doc.attrs[k as usize];
            let clash = doc.attrs[attr_start as usize..]
                .iter()
                .enumerate()
                .any(|(j, b)| {
                    attr_start as usize + j != k as usize
                        && b.uri == a.uri
                        && doc.str(b.name) == doc.str(a.name)
                });
            if clash {
                return Err(self.error(at, format!("attribute {} given twice", doc.str(a.name))));
            }
        }
        let q = sc.str(qname);
        let (prefix, local) = match memchr::memchr(b':', q.as_bytes()) {
            Some(colon) => (&q[..colon], (qname.0 + colon as u32 + 1, qname.1)),
            None => ("", qname),
        };
        let (ns, uri) = match self.doc.resolve(&self.bindings, prefix) {
            Some(d) if d.uri == 0 => (Ns::None, 0), // xmlns="" undeclares
            Some(d) => (d.ns, d.uri),
            None if prefix.is_empty() => (Ns::None, 0),
            None if prefix == "xml" => (Ns::Other, self.doc.intern_uri(XML_NAMESPACE).unwrap_or(0)),
            None => {
                return Err(self.error(at, format!("undeclared namespace prefix {prefix:?}")));
            }
        };
        if depth == 0 {
            self.doc.root_namespace = self.doc.str(self.doc.uris[uri as usize]).to_owned();
        }
        // The parent's value is the text before its first child; white space before this child
        // is layout, not content.
        if let Some(&mut (parent, ref mut collected)) = self.stack.last_mut()
            && *collected != Collected::Closed
        {
            let p = &mut self.doc.elems[parent as usize];
            let leading = &self.doc.buf[p.text.0 as usize..p.text.1 as usize];
            if leading.trim().is_empty() {
                // (Decoded layout stays in the buffer, unused: this child's attributes may
                // already be decoded after it.)
                p.mixed |= !xml_blank(leading);
                p.text = (p.text.0, p.text.0);
            }
            *collected = Collected::Closed;
        }
        self.doc.elems.push(Elem {
            ns,
            mixed: false,
            uri,
            name: local,
            text: (local.1, local.1),
            attrs: (attr_start, to_u32(self.doc.attrs.len())),
            parent: self.stack.last().map_or(u32::MAX, |s| s.0),
            end: index + 1,
            pos: to_u32(at),
        });
        self.stack.push((index, Collected::Nothing));
        if empty {
            // The scanner gives the end next; nothing to collect meanwhile.
        }
        Ok(())
    }

    /// An attribute's value: its span in the input when it needs no decoding, else decoded at
    /// the end of the buffer.
    fn value(&mut self, sc: &Scanner<'_>, a: &RawAttr) -> Span {
        if a.plain {
            return a.value;
        }
        let start = to_u32(self.doc.buf.len());
        decode_attribute(sc.str(a.value), &mut self.doc.buf);
        (start, to_u32(self.doc.buf.len()))
    }

    fn end(&mut self) {
        if let Some((index, _)) = self.stack.pop() {
            self.doc.elems[index as usize].end = to_u32(self.doc.elems.len());
        }
        let depth = self.stack.len();
        while self.bindings.last().is_some_and(|b| b.1 >= depth) {
            self.bindings.pop();
        }
    }

    /// A piece of character data of the innermost open element.
    fn text(&mut self, sc: &Scanner<'_>, raw: Span, plain: bool, cdata: bool) {
        let Some(&mut (top, ref mut collected)) = self.stack.last_mut() else {
            return;
        };
        let doc = &mut *self.doc;
        let e = &mut doc.elems[top as usize];
        match *collected {
            Collected::Closed => {
                // Text after a child element (mixed content) is not part of any UBL value.
                let blank = if plain {
                    xml_blank(sc.str(raw))
                } else {
                    let mut decoded = String::new();
                    decode(sc.str(raw), &mut decoded, cdata);
                    xml_blank(&decoded)
                };
                e.mixed |= !blank;
            }
            Collected::Nothing if plain => {
                e.text = raw;
                *collected = Collected::Span;
            }
            Collected::Nothing | Collected::Span | Collected::Owned => {
                if *collected != Collected::Owned {
                    // Move what was collected to the end of the buffer, then append.
                    let start = to_u32(doc.buf.len());
                    let (a, b) = e.text;
                    doc.buf.extend_from_within(a as usize..b as usize);
                    e.text = (start, to_u32(doc.buf.len()));
                    *collected = Collected::Owned;
                }
                decode(sc.str(raw), &mut doc.buf, cdata);
                e.text.1 = to_u32(doc.buf.len());
            }
        }
    }
}

/// Appends the value of raw character data: a CDATA section's content needs only its line ends
/// normalised; text also has its references replaced.
fn decode(raw: &str, out: &mut String, cdata: bool) {
    if cdata {
        let mut rest = raw;
        while let Some(k) = rest.find('\r') {
            out.push_str(&rest[..k]);
            out.push('\n');
            rest = rest[k + 1..].strip_prefix('\n').unwrap_or(&rest[k + 1..]);
        }
        out.push_str(rest);
    } else {
        decode_text(raw, out);
    }
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

    /// Like [`Document::intern_uri`] for a URI already in the buffer (no copy when it is new).
    fn intern_uri_span(&mut self, span: Span) -> Option<u16> {
        let uri = self.str(span);
        if uri.is_empty() {
            return Some(0);
        }
        if let Some(k) = self.uris.iter().position(|&s| self.str(s) == uri) {
            return u16::try_from(k).ok();
        }
        let k = u16::try_from(self.uris.len()).ok()?;
        self.uris.push(span);
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
            let mut index = Index {
                symbol_of: Vec::with_capacity(self.elems.len()),
                ..Index::default()
            };
            for (k, e) in self.elems.iter().enumerate() {
                let name = self.str(e.name);
                let per_ns = match index.by_name.get_mut(name) {
                    Some(per_ns) => per_ns,
                    None => index.by_name.entry(name.into()).or_default(),
                };
                let symbol = match per_ns.iter().find(|(ns, _)| *ns == e.ns) {
                    Some(&(_, symbol)) => symbol,
                    None => {
                        let symbol = to_u32(index.symbols.len());
                        per_ns.push((e.ns, symbol));
                        index.symbols.push((e.ns, e.name, Vec::new()));
                        symbol
                    }
                };
                index.symbols[symbol as usize].2.push(to_u32(k));
                index.symbol_of.push(symbol);
            }
            for a in &self.attrs {
                let name = self.str(a.name);
                if !index.attributes.contains_key(name) {
                    index.attributes.insert(name.into(), ());
                }
            }
            index
        })
    }

    /// The number of symbols: distinct (namespace, local name) pairs of the document's elements.
    pub(crate) fn symbols(&self) -> usize {
        self.index().symbols.len()
    }

    /// The local name of a symbol (`symbol < self.symbols()`).
    pub(crate) fn symbol_name(&self, symbol: u32) -> &str {
        self.str(self.index().symbols[symbol as usize].1)
    }

    /// The elements of a symbol, in document order.
    pub(crate) fn symbol_elements(&self, symbol: u32) -> &[u32] {
        &self.index().symbols[symbol as usize].2
    }

    /// The symbol of every element, by element index.
    pub(crate) fn symbol_of(&self) -> &[u32] {
        &self.index().symbol_of
    }

    /// Every element of the document with this namespace and local name, in document order
    /// (XPath's `//cac:TaxCategory`).
    pub fn elements<'a>(&'a self, ns: Ns, name: &str) -> impl Iterator<Item = Node<'a>> + use<'a> {
        let index = self.index();
        index
            .by_name
            .get(name)
            .and_then(|per_ns| per_ns.iter().find(|(n, _)| *n == ns))
            .map_or(&[][..], |&(_, symbol)| {
                index.symbols[symbol as usize].2.as_slice()
            })
            .iter()
            .map(move |&index| Node { doc: self, index })
    }

    /// Whether any element of the document has an attribute with this local name (`//@name`).
    pub fn has_attribute(&self, name: &str) -> bool {
        self.index().attributes.contains_key(name)
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
