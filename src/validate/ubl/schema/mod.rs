//! The UBL 2.1 structure check: what validating an Invoice or CreditNote against the OASIS UBL
//! 2.1 XSDs gives (the `xsd_ok` of the official verdicts), natively, without libxml2.
//!
//! Every element's children are checked against its type's content model (which elements, in
//! which order, how often), every attribute against the type's attribute uses (known, required,
//! value), and the text of every value element against its data type: decimals for amounts,
//! quantities and percentages, dates, times, booleans for indicators, base64 for embedded
//! documents, URIs, language codes; codes, identifiers and texts are strings. Extensions
//! (`ext:ExtensionContent`) hold one element of another namespace, checked wherever UBL, XML-DSig
//! or XAdES declare it (the signature components included), as libxml2 does; `xsi:type` and
//! `xsi:nil` are honoured as libxml2 honours them.
//!
//! The tables come from the XSDs themselves (`tests/tools/gen_ubl_schema.py`); the data types
//! follow libxml2's reading of them, quirks included, because the aim is its verdict on every
//! document (`tests/it/schema_check.rs` compares both on the 1,501 public documents and on
//! mutants).
//!
//! ```
//! let xml = br#"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
//!     xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
//!   <cbc:ID>2026-001</cbc:ID>
//!   <cbc:IssueDate>2026-13-01</cbc:IssueDate>
//! </Invoice>"#;
//! let doc = factuur::ubl::parse(xml).unwrap();
//! let errors = factuur::validate::ubl::schema::check(&doc);
//! assert_eq!((errors[0].line, errors[0].column), (4, 3));
//! assert!(errors[0].message.contains("not a date"), "{}", errors[0].message);
//! // … and the parties, the totals and the lines are missing.
//! assert!(errors[1].message.contains("cac:AccountingSupplierParty expected"));
//! ```

mod lexical;
mod model;
#[rustfmt::skip]
mod tables;
mod validator;
#[rustfmt::skip]
mod xml_chars;

use crate::ubl::{Document, Ns};

pub use validator::{Attribute, NamespaceScope, Validator, Violation};

/// A place where a document departs from the UBL 2.1 schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// What kind of departure.
    pub kind: SchemaErrorKind,
    /// What is wrong, naming the element, what was expected there and what was found.
    pub message: String,
    /// 1-based line of the element concerned.
    pub line: usize,
    /// 1-based column of the element concerned.
    pub column: usize,
    /// The element concerned, as `/Invoice/cac:AccountingSupplierParty/cac:Party`.
    pub path: String,
}

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

/// The kinds of [`SchemaError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SchemaErrorKind {
    /// The root is not a UBL 2.1 Invoice or CreditNote.
    NotUbl,
    /// An element the content model does not allow there (unknown, misplaced, of another
    /// namespace).
    UnexpectedElement,
    /// A required element is missing.
    MissingElement,
    /// An element occurs more often than allowed.
    TooMany,
    /// An element comes before one it must follow.
    WrongOrder,
    /// Text where only elements may be.
    TextNotAllowed,
    /// An element inside a value element (or one that must be empty).
    ElementInValue,
    /// An attribute the element's type does not allow.
    UnknownAttribute,
    /// A required attribute is missing.
    MissingAttribute,
    /// A value (element text or attribute) outside its data type.
    InvalidValue,
    /// An `xsi:type` that names no usable type.
    XsiType,
    /// `xsi:nil` on an element that may not be nil.
    XsiNil,
    /// An `xs:ID` value used twice.
    DuplicateId,
    /// A value of a type factuur does not check (never in UBL itself): refused, not passed.
    Unsupported,
    /// More errors than are kept.
    TooManyErrors,
}

/// Checks a parsed document against the UBL 2.1 schema: no error means the schema accepts it.
pub fn check(doc: &Document) -> Vec<SchemaError> {
    let mut v = Validator::new();
    walk(doc, &mut v);
    v.finish()
        .into_iter()
        .map(|x| {
            let node = doc.node_at(x.position);
            let (line, column) = node.line_col();
            SchemaError {
                kind: x.kind,
                message: x.message,
                line,
                column,
                path: element_path(node),
            }
        })
        .collect()
}

/// Whether the schema accepts the document (faster than [`check`] when errors do not matter
/// beyond their presence: they are still found, but not placed).
pub fn is_valid(doc: &Document) -> bool {
    let mut v = Validator::new();
    walk(doc, &mut v);
    v.finish().is_empty()
}

/// `/Invoice/cac:AccountingSupplierParty/ds:Signature`: the conventional prefixes of the
/// namespaces UBL uses, `{uri}` for others.
fn element_path(node: crate::ubl::Node<'_>) -> String {
    let mut chain = vec![node];
    while let Some(p) = chain.last().and_then(|n| n.parent()) {
        chain.push(p);
    }
    let mut out = String::new();
    for n in chain.iter().rev() {
        out.push('/');
        let ns = model::namespace_id(n.namespace_uri());
        if ns == model::UNKNOWN_NS {
            out.push('{');
            out.push_str(n.namespace_uri());
            out.push('}');
            out.push_str(n.name());
        } else {
            out.push_str(&model::qualified(ns, n.name()));
        }
    }
    out
}

/// Feeds the document to the validator in document order; position tokens are element indexes.
fn walk(doc: &Document, v: &mut Validator) {
    let mut open: Vec<u32> = Vec::with_capacity(16);
    for k in 0..doc.len() as u32 {
        let node = doc.node_at(k);
        while open.last().is_some_and(|&end| end <= k) {
            open.pop();
            v.end_element();
        }
        // The URI itself matters only for namespaces UBL does not use (in messages).
        let (ns, uri) = match node.ns() {
            Ns::Cac => (tables::NS_CAC, ""),
            Ns::Cbc => (tables::NS_CBC, ""),
            Ns::Ext => (tables::NS_EXT, ""),
            Ns::Invoice => (tables::NS_INVOICE, ""),
            Ns::CreditNote => (tables::NS_CREDIT_NOTE, ""),
            Ns::None => (0, ""),
            Ns::Other => {
                let uri = node.namespace_uri();
                (model::namespace_id(uri), uri)
            }
        };
        let attrs = node.attrs_ns().map(|(namespace, name, value)| Attribute {
            namespace,
            name,
            value,
        });
        v.start(ns, uri, node.name(), attrs, k, &node);
        v.text(node.text());
        if node.has_mixed_text() {
            v.stray_text();
        }
        open.push(node.subtree_end());
    }
    for _ in open {
        v.end_element();
    }
}

#[cfg(test)]
mod tests;
