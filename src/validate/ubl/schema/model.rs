//! The shapes of the generated schema tables (`tables.rs`) and lookups over them.
//!
//! Ids are indexes: a type id into [`TYPES`], an element id into [`ELEMENTS`], a namespace id
//! into [`NAMESPACES`].

use super::tables::{
    ATTRIBUTES, ELEMENTS, GLOBAL_ELEMENTS, NAMESPACES, PREFIXES, TYPE_NAMES, TYPES,
};

/// A type: built-in, named or anonymous.
#[derive(Debug)]
pub(super) struct Type {
    /// Namespace id of its name.
    pub ns: u8,
    /// Its name; empty for an anonymous type.
    pub name: &'static str,
    /// The type it derives from (xs:anyType derives from itself).
    pub base: u16,
    /// Abstract types cannot be named by xsi:type.
    pub is_abstract: bool,
    /// What its elements may hold.
    pub kind: Kind,
    /// Its attribute uses, a range of [`ATTRIBUTES`].
    pub attributes: (u16, u16),
    /// Its attribute wildcard, an index into `WILDCARDS`, or `NONE`.
    pub any_attribute: u16,
}

/// What a type's elements hold.
#[derive(Debug, Clone, Copy)]
pub(super) enum Kind {
    /// xs:anyType: any attributes, text and elements, validated where declarations exist.
    AnyType,
    /// A built-in simple type.
    Builtin(Builtin),
    /// A simple type restricting its base, with enumeration values (a range of
    /// `ENUMERATIONS`, empty when the restriction has none).
    Restriction {
        /// The allowed values.
        enumeration: (u16, u16),
    },
    /// A complex type whose text has the simple type `value`.
    SimpleContent {
        /// Type id of the text's simple type.
        value: u16,
    },
    /// Element-only (or, when `mixed`, element and text) content.
    Elements {
        /// The content model.
        model: Model,
        /// Whether text may appear between the elements.
        mixed: bool,
    },
    /// No content at all: not even white space.
    Empty,
}

/// A content model.
#[derive(Debug, Clone, Copy)]
pub(super) enum Model {
    /// A sequence of distinct elements, each optional or required, once or repeated: a range
    /// of `PARTICLES`.
    Seq {
        /// First particle.
        first: u16,
        /// Number of particles.
        len: u16,
    },
    /// A deterministic automaton starting at a state of `STATES`.
    Dfa {
        /// Start state.
        start: u16,
    },
}

/// One element of a sequence.
#[derive(Debug)]
pub(super) struct Particle {
    /// [`name_key`] of the element's namespace and name: a quick first test of a match.
    pub key: u32,
    /// Element id.
    pub element: u16,
    /// The element's namespace id.
    pub ns: u8,
    /// The element's local name.
    pub name: &'static str,
    /// Minimum occurrences (0 or 1).
    pub min: u8,
    /// Maximum occurrences (`u16::MAX`: unbounded).
    pub max: u16,
}

/// An automaton state.
#[derive(Debug)]
pub(super) struct State {
    /// Whether the content may end here.
    pub accepting: bool,
    /// Its transitions, a range of `TRANSITIONS`.
    pub transitions: (u16, u16),
}

/// An automaton transition.
#[derive(Debug, Clone, Copy)]
pub(super) enum Transition {
    /// On the element with this id, to a state.
    Element(u16, u16),
    /// On an element the wildcard with this index matches, to a state.
    Wildcard(u16, u16),
}

/// An element or attribute wildcard.
#[derive(Debug)]
pub(super) struct Wildcard {
    /// The namespaces it matches.
    pub namespace: WildcardNs,
    /// How what it matches is validated.
    pub process: Process,
}

/// The namespaces a wildcard matches.
#[derive(Debug, Clone, Copy)]
pub(super) enum WildcardNs {
    /// `##any`.
    Any,
    /// `##other`: any namespace but this one (a namespace id) and no namespace.
    Other(u8),
}

impl WildcardNs {
    /// Whether a name in namespace `ns` matches.
    pub fn matches(self, ns: u8) -> bool {
        match self {
            WildcardNs::Any => true,
            WildcardNs::Other(own) => ns != own && ns != 0,
        }
    }
}

/// `processContents` of a wildcard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Process {
    /// A declaration must exist and is used.
    Strict,
    /// A declaration is used where one exists.
    Lax,
    /// Nothing is validated.
    Skip,
}

/// An element declaration.
#[derive(Debug)]
pub(super) struct Element {
    /// Namespace id.
    pub ns: u8,
    /// Local name.
    pub name: &'static str,
    /// Type id.
    pub ty: u16,
}

/// An attribute use: all attributes these schemas declare are unqualified.
#[derive(Debug)]
pub(super) struct Attribute {
    /// Local name.
    pub name: &'static str,
    /// Type id of a simple type.
    pub ty: u16,
    /// Whether it must be present.
    pub required: bool,
    /// Whether its values need a check (they are no plain strings).
    pub checked: bool,
}

/// The built-in simple types of XML Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub(super) enum Builtin {
    AnySimpleType,
    String,
    NormalizedString,
    Token,
    Language,
    Name,
    NcName,
    Id,
    IdRef,
    Entity,
    NmToken,
    IdRefs,
    Entities,
    NmTokens,
    Decimal,
    Integer,
    NonPositiveInteger,
    NegativeInteger,
    Long,
    Int,
    Short,
    Byte,
    NonNegativeInteger,
    UnsignedLong,
    UnsignedInt,
    UnsignedShort,
    UnsignedByte,
    PositiveInteger,
    Boolean,
    Float,
    Double,
    Duration,
    DateTime,
    Time,
    Date,
    GYearMonth,
    GYear,
    GMonthDay,
    GDay,
    GMonth,
    HexBinary,
    Base64Binary,
    AnyUri,
    QName,
    Notation,
}

/// A cheap summary of a namespace id and a name (length, first and last byte): equal names
/// have equal keys, and unequal keys mean unequal names.
pub(super) const fn name_key(ns: u8, name: &str) -> u32 {
    let b = name.as_bytes();
    let (first, last) = match b.len() {
        0 => (0, 0),
        n => (b[0], b[n - 1]),
    };
    (ns as u32) << 24 | (b.len() as u32 & 0xFF) << 16 | (first as u32) << 8 | last as u32
}

/// Namespace id for a namespace the schemas do not know.
pub(super) const UNKNOWN_NS: u8 = u8::MAX;

/// The namespace id of `uri`, or [`UNKNOWN_NS`].
pub(super) fn namespace_id(uri: &str) -> u8 {
    NAMESPACES
        .iter()
        .position(|&n| n == uri)
        .map_or(UNKNOWN_NS, |k| k as u8)
}

/// The global element declared with this namespace id and name.
pub(super) fn global_element(ns: u8, name: &str) -> Option<u16> {
    GLOBAL_ELEMENTS
        .binary_search_by(|&e| {
            let d = &ELEMENTS[e as usize];
            (d.ns, d.name.as_bytes()).cmp(&(ns, name.as_bytes()))
        })
        .ok()
        .map(|k| GLOBAL_ELEMENTS[k])
}

/// The named type with this namespace id and name.
pub(super) fn named_type(ns: u8, name: &str) -> Option<u16> {
    TYPE_NAMES
        .binary_search_by(|&t| {
            let d = &TYPES[t as usize];
            (d.ns, d.name.as_bytes()).cmp(&(ns, name.as_bytes()))
        })
        .ok()
        .map(|k| TYPE_NAMES[k])
}

/// The type with this id.
pub(super) fn ty(id: u16) -> &'static Type {
    &TYPES[id as usize]
}

/// The element declaration with this id.
pub(super) fn element(id: u16) -> &'static Element {
    &ELEMENTS[id as usize]
}

/// The attribute uses of a type.
pub(super) fn attributes(t: &Type) -> &'static [Attribute] {
    &ATTRIBUTES[t.attributes.0 as usize..t.attributes.1 as usize]
}

/// The name of an element declaration as messages write it: `cbc:ID`, `Invoice`.
pub(super) fn display(id: u16) -> String {
    let e = element(id);
    qualified(e.ns, e.name)
}

/// `prefix:name` for a known namespace id.
pub(super) fn qualified(ns: u8, name: &str) -> String {
    match PREFIXES.get(ns as usize) {
        Some(p) if !p.is_empty() => format!("{p}:{name}"),
        _ => name.to_owned(),
    }
}

/// Whether type `derived` is `base` or derives from it.
pub(super) fn derives_from(mut derived: u16, base: u16) -> bool {
    loop {
        if derived == base {
            return true;
        }
        let next = ty(derived).base;
        if next == derived {
            return false;
        }
        derived = next;
    }
}

/// The built-in type at the root of a simple type's derivation.
pub(super) fn builtin_of(mut id: u16) -> Option<Builtin> {
    for _ in 0..64 {
        match ty(id).kind {
            Kind::Builtin(b) => return Some(b),
            Kind::Restriction { .. } => id = ty(id).base,
            Kind::SimpleContent { value } => id = value,
            _ => return None,
        }
    }
    None
}
