//! The structure check as a state machine over element events: start tag, character data, end
//! tag. One frame per open element holds its type and where its content model stands, so the
//! check needs no tree and allocates nothing per element (frames and the text buffer are reused).

use std::collections::HashSet;

use super::SchemaErrorKind;
use super::lexical::{self, Lexical};
use super::model::{
    Builtin, Kind, Model, Process, UNKNOWN_NS, attributes, builtin_of, derives_from, display,
    element, global_element, named_type, namespace_id, qualified, ty,
};
use super::tables::{
    ANY_TYPE, CREDIT_NOTE, ENUMERATIONS, INVOICE, NONE, NS_CREDIT_NOTE, NS_INVOICE, NS_XSI,
    PARTICLES, STATES, TRANSITIONS, WILDCARDS,
};

/// The XML Schema instance namespace (`xsi:type`, `xsi:nil`, `xsi:schemaLocation`).
const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// No element declaration.
const NO_ELEMENT: u16 = u16::MAX;

/// Errors kept per document; past this the check only counts.
const MAX_ERRORS: usize = 1000;

/// Open elements kept; deeper ones (only event callers can send them: parsed documents stop
/// at [`crate::ubl::MAX_DEPTH`]) are refused and only counted.
const MAX_FRAMES: usize = 256;

/// One attribute of a start tag.
#[derive(Debug, Clone, Copy)]
pub struct Attribute<'a> {
    /// Namespace URI; empty for an unprefixed attribute.
    pub namespace: &'a str,
    /// Local name.
    pub name: &'a str,
    /// Value, after XML attribute-value normalisation.
    pub value: &'a str,
}

/// The namespace prefixes in scope at an element: `xsi:type` values are qualified names.
pub trait NamespaceScope {
    /// The URI `prefix` is bound to (`""`: the default namespace), if it is declared.
    fn namespace_of(&self, prefix: &str) -> Option<&str>;
}

impl NamespaceScope for crate::ubl::Node<'_> {
    fn namespace_of(&self, prefix: &str) -> Option<&str> {
        self.lookup_namespace(prefix)
    }
}

/// A structure error at the element the caller gave `position` for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// What kind of error.
    pub kind: SchemaErrorKind,
    /// What is wrong and what was expected.
    pub message: String,
    /// The caller's position token of the element concerned.
    pub position: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Content is checked against `ty`.
    Check,
    /// The element was refused: nothing inside it is checked.
    Skip,
}

#[derive(Debug, Clone, Copy)]
struct Frame {
    mode: Mode,
    /// The type the content is checked against.
    ty: u16,
    /// The declaration, or `NO_ELEMENT` for an element a lax wildcard let in undeclared.
    element: u16,
    /// Sequence: current particle; automaton: current state.
    state: u16,
    /// Sequence: occurrences of the current particle so far.
    count: u16,
    /// The last child element accepted.
    last: u16,
    position: u32,
    /// Whether an error about this element's text or children was reported already.
    reported: bool,
    /// Whether the element's text must be collected and checked (its type is no plain string).
    checked: bool,
}

/// The UBL 2.1 structure check over element events, for callers that read XML themselves.
///
/// Call [`start_element`](Self::start_element), [`text`](Self::text) and
/// [`end_element`](Self::end_element) in document order (text may come in several pieces,
/// comments and processing instructions are left out), then [`finish`](Self::finish). Each
/// event carries a position token of the caller's choosing; errors refer to elements by it.
///
/// ```
/// use factuur::validate::ubl::schema::{Attribute, NamespaceScope, Validator};
/// struct NoPrefixes;
/// impl NamespaceScope for NoPrefixes {
///     fn namespace_of(&self, _: &str) -> Option<&str> { None }
/// }
/// let inv = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
/// let cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
/// let mut v = Validator::new();
/// v.start_element(inv, "Invoice", std::iter::empty::<Attribute>(), 1, &NoPrefixes);
/// v.start_element(cbc, "ID", std::iter::empty::<Attribute>(), 2, &NoPrefixes);
/// v.text("2026-001");
/// v.end_element();
/// v.end_element();
/// let errors = v.finish();
/// // An invoice needs far more than an ID: the first missing element is reported at the root.
/// assert_eq!(errors[0].position, 1);
/// assert!(errors[0].message.contains("cbc:IssueDate"), "{}", errors[0].message);
/// ```
#[derive(Debug, Default)]
pub struct Validator {
    frames: Vec<Frame>,
    /// Character data of the innermost open element with simple content.
    value: String,
    /// Values of xs:ID attributes so far: each may occur once per document.
    ids: HashSet<String>,
    violations: Vec<Violation>,
    /// Errors not kept past [`MAX_ERRORS`].
    dropped: usize,
    /// Bit 0: the root is an Invoice; bit 1: a CreditNote.
    root: u8,
    /// Open elements past [`MAX_FRAMES`].
    too_deep: usize,
}

impl Validator {
    /// A validator for one document.
    pub fn new() -> Validator {
        Validator::default()
    }

    /// Makes the validator ready for another document, keeping its allocations.
    pub fn reset(&mut self) {
        self.frames.clear();
        self.value.clear();
        self.ids.clear();
        self.violations.clear();
        self.dropped = 0;
        self.root = 0;
        self.too_deep = 0;
    }

    /// The errors found, in document order of detection. A last error says how many more were
    /// left out when there were too many to keep.
    pub fn finish(&mut self) -> Vec<Violation> {
        let mut out = std::mem::take(&mut self.violations);
        if self.dropped > 0 {
            let position = out.last().map_or(0, |v| v.position);
            out.push(Violation {
                kind: SchemaErrorKind::TooManyErrors,
                message: format!("{} more structure errors left out", self.dropped),
                position,
            });
        }
        self.reset();
        out
    }

    fn error(&mut self, kind: SchemaErrorKind, position: u32, message: String) {
        if self.violations.len() < MAX_ERRORS {
            self.violations.push(Violation {
                kind,
                message,
                position,
            });
        } else {
            self.dropped += 1;
        }
    }

    /// A start tag: the element's namespace URI (empty for none), local name and attributes.
    pub fn start_element<'a, I>(
        &mut self,
        namespace: &str,
        name: &str,
        attributes: I,
        position: u32,
        scope: &dyn NamespaceScope,
    ) where
        I: IntoIterator<Item = Attribute<'a>>,
        I::IntoIter: Clone,
    {
        if self.frames.len() >= MAX_FRAMES {
            if self.too_deep == 0 {
                self.error(
                    SchemaErrorKind::UnexpectedElement,
                    position,
                    format!("elements nested deeper than {MAX_FRAMES} levels"),
                );
            }
            self.too_deep += 1;
            return;
        }
        let ns = namespace_id(namespace);
        self.start(ns, namespace, name, attributes.into_iter(), position, scope);
    }

    /// [`start_element`](Self::start_element) with the namespace id already known.
    pub(super) fn start<'a>(
        &mut self,
        ns: u8,
        uri: &str,
        name: &str,
        attrs: impl Iterator<Item = Attribute<'a>> + Clone,
        position: u32,
        scope: &dyn NamespaceScope,
    ) {
        let Some(parent) = self.frames.last().copied() else {
            let root = match (ns, name) {
                (NS_INVOICE, "Invoice") => Some((INVOICE, 1)),
                (NS_CREDIT_NOTE, "CreditNote") => Some((CREDIT_NOTE, 2)),
                _ => None,
            };
            match root {
                Some((decl, bit)) => {
                    self.root = bit;
                    self.enter(Some(decl), attrs, position, scope);
                }
                None => {
                    let found = shown(ns, uri, name);
                    self.error(
                        SchemaErrorKind::NotUbl,
                        position,
                        format!(
                            "the root element is {found}; a UBL 2.1 document is an Invoice or a \
                             CreditNote in its own namespace"
                        ),
                    );
                    self.skip(position);
                }
            }
            return;
        };
        if parent.mode == Mode::Skip {
            self.skip(position);
            return;
        }
        match ty(parent.ty).kind {
            Kind::AnyType => {
                let decl = self.global(ns, name);
                self.enter(decl, attrs, position, scope);
            }
            Kind::Elements { model, .. } => {
                let found = self.advance(model, ns, uri, name, position);
                match found {
                    Next::Element(decl) => self.enter(Some(decl), attrs, position, scope),
                    Next::Wildcard(w) => {
                        let process = WILDCARDS[w as usize].process;
                        if process == Process::Skip {
                            self.skip(position);
                            return;
                        }
                        let decl = self.global(ns, name);
                        if decl.is_none() && process == Process::Strict {
                            let found = shown(ns, uri, name);
                            self.error(
                                SchemaErrorKind::UnexpectedElement,
                                position,
                                format!(
                                    "{found} is not declared in UBL 2.1 or the schemas it \
                                     imports, and {} admits only declared elements here",
                                    self.shown_frame(&parent)
                                ),
                            );
                            self.skip(position);
                            return;
                        }
                        self.enter(decl, attrs, position, scope);
                    }
                    Next::Refused => self.skip(position),
                }
            }
            Kind::Empty
            | Kind::Builtin(_)
            | Kind::Restriction { .. }
            | Kind::SimpleContent { .. } => {
                if !parent.reported {
                    let found = shown(ns, uri, name);
                    let what = if matches!(ty(parent.ty).kind, Kind::Empty) {
                        "must be empty"
                    } else {
                        "holds a value, not elements"
                    };
                    let parent_name = self.shown_frame(&parent);
                    self.error(
                        SchemaErrorKind::ElementInValue,
                        parent.position,
                        format!("{parent_name} {what}, found {found} inside it"),
                    );
                    if let Some(f) = self.frames.last_mut() {
                        f.reported = true;
                    }
                }
                self.skip(position);
            }
        }
    }

    /// Character data of the current element (one piece of it: pieces are joined).
    pub fn text(&mut self, text: &str) {
        if self.too_deep > 0 {
            return;
        }
        let Some(f) = self.frames.last().copied() else {
            return;
        };
        if f.mode == Mode::Skip {
            return;
        }
        match ty(f.ty).kind {
            Kind::Builtin(_) | Kind::Restriction { .. } | Kind::SimpleContent { .. }
                if f.checked =>
            {
                self.value.push_str(text)
            }
            Kind::Elements { mixed: false, .. } if !lexical::all_blank(text) => {
                self.stray_text();
            }
            Kind::Empty if !text.is_empty() => self.stray_text(),
            _ => {}
        }
    }

    /// Character data other than XML white space in the current element, when the caller knows
    /// it is there but not what it is.
    pub(super) fn stray_text(&mut self) {
        let Some(f) = self.frames.last().copied() else {
            return;
        };
        if f.mode == Mode::Skip || f.reported {
            return;
        }
        let kind = ty(f.ty).kind;
        let what = match kind {
            Kind::Elements { mixed: false, .. } => "may hold only elements, but holds text",
            Kind::Empty => "must be empty, but holds text",
            _ => return,
        };
        let name = self.shown_frame(&f);
        self.error(
            SchemaErrorKind::TextNotAllowed,
            f.position,
            format!("{name} {what}"),
        );
        if let Some(f) = self.frames.last_mut() {
            f.reported = true;
        }
    }

    /// The end tag of the current element.
    pub fn end_element(&mut self) {
        if self.too_deep > 0 {
            self.too_deep -= 1;
            return;
        }
        let Some(f) = self.frames.pop() else {
            return;
        };
        if f.mode == Mode::Skip {
            return;
        }
        match ty(f.ty).kind {
            Kind::Builtin(_) | Kind::Restriction { .. } | Kind::SimpleContent { .. }
                if f.checked =>
            {
                let value = std::mem::take(&mut self.value);
                let value_type = match ty(f.ty).kind {
                    Kind::SimpleContent { value } => value,
                    _ => f.ty,
                };
                if let Err(problem) = self.check_simple(value_type, &value) {
                    let name = self.shown_frame(&f);
                    let message = problem.describe(&format!("{name} holds"), &value, value_type);
                    self.error(problem.kind(), f.position, message);
                }
                self.value = value;
                self.value.clear();
            }
            Kind::Elements { model, .. } => self.complete(&f, model),
            _ => {}
        }
    }

    fn skip(&mut self, position: u32) {
        self.frames.push(Frame {
            mode: Mode::Skip,
            ty: ANY_TYPE,
            element: NO_ELEMENT,
            state: 0,
            count: 0,
            last: NO_ELEMENT,
            position,
            reported: false,
            checked: false,
        });
    }

    /// The global element `ns`/`name` as the document's schema sees it (each root's schema
    /// lacks the other root).
    fn global(&self, ns: u8, name: &str) -> Option<u16> {
        global_element(ns, name).filter(|&d| {
            !(d == INVOICE && self.root & 1 == 0 || d == CREDIT_NOTE && self.root & 2 == 0)
        })
    }

    /// Opens an element: declared (`decl`) or let in undeclared by a lax wildcard.
    fn enter<'a>(
        &mut self,
        decl: Option<u16>,
        attrs: impl Iterator<Item = Attribute<'a>> + Clone,
        position: u32,
        scope: &dyn NamespaceScope,
    ) {
        let declared = decl.map_or(ANY_TYPE, |d| element(d).ty);
        let mut governing = declared;
        let shown_name = || decl.map_or_else(|| "this element".to_owned(), display);
        for a in attrs.clone().filter(|a| a.namespace == XSI) {
            match a.name {
                "type" => match resolve_type(a.value, scope) {
                    Ok(t) if ty(t).is_abstract => {
                        self.error(
                            SchemaErrorKind::XsiType,
                            position,
                            format!(
                                "xsi:type of {} names {}, an abstract type",
                                shown_name(),
                                a.value.trim()
                            ),
                        );
                        self.skip(position);
                        return;
                    }
                    Ok(t) if decl.is_none() || derives_from(t, declared) => governing = t,
                    Ok(_) => self.error(
                        SchemaErrorKind::XsiType,
                        position,
                        format!(
                            "xsi:type of {} names {}, which does not derive from the element's \
                             own type",
                            shown_name(),
                            a.value.trim()
                        ),
                    ),
                    Err(why) => {
                        self.error(
                            SchemaErrorKind::XsiType,
                            position,
                            format!("xsi:type {:?} of {}: {why}", a.value, shown_name()),
                        );
                        self.skip(position);
                        return;
                    }
                },
                "nil" if decl.is_some() => {
                    let message = if lexical::check(Builtin::Boolean, a.value) == Lexical::Valid {
                        format!("{} may not be nil (xsi:nil)", shown_name())
                    } else {
                        format!(
                            "xsi:nil of {} holds {:?}, not true or false",
                            shown_name(),
                            a.value
                        )
                    };
                    self.error(SchemaErrorKind::XsiNil, position, message);
                }
                _ => {}
            }
        }
        self.check_attributes(governing, decl, attrs, position);
        let state = match ty(governing).kind {
            Kind::Elements {
                model: Model::Dfa { start },
                ..
            } => start,
            _ => 0,
        };
        self.value.clear();
        self.frames.push(Frame {
            mode: Mode::Check,
            ty: governing,
            element: decl.unwrap_or(NO_ELEMENT),
            state,
            count: 0,
            last: NO_ELEMENT,
            position,
            reported: false,
            checked: value_checked(governing),
        });
    }

    fn check_attributes<'a>(
        &mut self,
        tid: u16,
        decl: Option<u16>,
        attrs: impl Iterator<Item = Attribute<'a>>,
        position: u32,
    ) {
        let t = ty(tid);
        if matches!(t.kind, Kind::AnyType) {
            return; // any attribute, checked laxly: these schemas declare no global attributes
        }
        let uses = attributes(t);
        let mut seen: u64 = 0;
        let owner = || decl.map_or_else(|| "this element".to_owned(), display);
        for a in attrs {
            if a.namespace == XSI
                && matches!(
                    a.name,
                    "type" | "nil" | "schemaLocation" | "noNamespaceSchemaLocation"
                )
            {
                continue;
            }
            if a.namespace.is_empty()
                && let Some(k) = uses.iter().position(|u| u.name == a.name)
            {
                seen |= 1 << k;
                let u = &uses[k];
                if !u.checked {
                    continue;
                }
                if let Err(problem) = self.check_simple(u.ty, a.value) {
                    let what = format!("attribute {} of {} holds", a.name, owner());
                    let message = problem.describe(&what, a.value, u.ty);
                    self.error(problem.kind(), position, message);
                } else if builtin_of(u.ty) == Some(Builtin::Id) {
                    let key = a
                        .value
                        .trim_matches(|c: char| c.is_ascii() && lexical::is_blank(c as u8));
                    if !self.ids.insert(key.to_owned()) {
                        self.error(
                            SchemaErrorKind::DuplicateId,
                            position,
                            format!(
                                "attribute {} of {} holds the identifier {key:?}, used earlier \
                                 in the document",
                                a.name,
                                owner()
                            ),
                        );
                    }
                }
                continue;
            }
            let ns = if a.namespace.is_empty() {
                0
            } else {
                namespace_id(a.namespace)
            };
            let attr_name = || {
                if a.namespace.is_empty() {
                    a.name.to_owned()
                } else if ns == UNKNOWN_NS {
                    match a.namespace {
                        "http://www.w3.org/XML/1998/namespace" => format!("xml:{}", a.name),
                        uri => format!("{{{uri}}}{}", a.name),
                    }
                } else {
                    qualified(ns, a.name)
                }
            };
            if t.any_attribute != NONE {
                let w = &WILDCARDS[t.any_attribute as usize];
                if w.namespace.matches(ns) {
                    if w.process == Process::Strict {
                        self.error(
                            SchemaErrorKind::UnknownAttribute,
                            position,
                            format!(
                                "attribute {} of {} is not declared, and only declared \
                                 attributes are allowed there",
                                attr_name(),
                                owner()
                            ),
                        );
                    }
                    continue;
                }
            }
            let allowed = uses.iter().map(|u| u.name).collect::<Vec<_>>().join(", ");
            let allowed = if allowed.is_empty() {
                "none".to_owned()
            } else {
                allowed
            };
            self.error(
                SchemaErrorKind::UnknownAttribute,
                position,
                format!(
                    "attribute {} is not allowed on {} (allowed: {allowed})",
                    attr_name(),
                    owner()
                ),
            );
        }
        for (k, u) in uses.iter().enumerate() {
            if u.required && seen & (1 << k) == 0 {
                self.error(
                    SchemaErrorKind::MissingAttribute,
                    position,
                    format!("{} lacks its required attribute {}", owner(), u.name),
                );
            }
        }
    }

    /// Checks a value against a simple type.
    fn check_simple(&self, tid: u16, value: &str) -> Result<(), Problem> {
        match ty(tid).kind {
            Kind::Builtin(b) => match lexical::check(b, value) {
                Lexical::Valid => Ok(()),
                Lexical::Invalid => Err(Problem::Invalid(b)),
                Lexical::Unsupported => Err(Problem::Unsupported(b)),
            },
            Kind::Restriction { enumeration } => {
                self.check_simple(ty(tid).base, value)?;
                if enumeration.0 == enumeration.1 {
                    return Ok(());
                }
                let b = builtin_of(tid).unwrap_or(Builtin::String);
                let v = lexical::normalized(b, value);
                let values = &ENUMERATIONS[enumeration.0 as usize..enumeration.1 as usize];
                if values.iter().any(|&x| x == v) {
                    Ok(())
                } else {
                    Err(Problem::NotListed(values))
                }
            }
            Kind::SimpleContent { value: v } => self.check_simple(v, value),
            _ => Ok(()),
        }
    }

    /// Matches a child element against the current element's content model.
    fn advance(&mut self, model: Model, ns: u8, uri: &str, name: &str, position: u32) -> Next {
        let Some(f) = self.frames.last().copied() else {
            return Next::Refused;
        };
        match model {
            Model::Seq { first, len } => self.advance_seq(f, first, len, ns, uri, name, position),
            Model::Dfa { .. } => {
                let s = &STATES[f.state as usize];
                for t in &TRANSITIONS[s.transitions.0 as usize..s.transitions.1 as usize] {
                    match *t {
                        super::model::Transition::Element(e, to) => {
                            let d = element(e);
                            if d.ns == ns && d.name == name {
                                self.set_state(to, 0, e);
                                return Next::Element(e);
                            }
                        }
                        super::model::Transition::Wildcard(w, to) => {
                            if WILDCARDS[w as usize].namespace.matches(ns) {
                                self.set_state(to, 0, NO_ELEMENT);
                                return Next::Wildcard(w);
                            }
                        }
                    }
                }
                let found = shown(ns, uri, name);
                let expected = expected_in_state(f.state);
                let parent = self.shown_frame(&f);
                let after = after(f.last);
                self.error(
                    SchemaErrorKind::UnexpectedElement,
                    position,
                    format!("{expected} expected {after}in {parent}, found {found}"),
                );
                Next::Refused
            }
        }
    }

    fn set_state(&mut self, state: u16, count: u16, last: u16) {
        if let Some(f) = self.frames.last_mut() {
            f.state = state;
            f.count = count;
            if last != NO_ELEMENT {
                f.last = last;
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn advance_seq(
        &mut self,
        f: Frame,
        first: u16,
        len: u16,
        ns: u8,
        uri: &str,
        name: &str,
        position: u32,
    ) -> Next {
        let particles = &PARTICLES[first as usize..(first + len) as usize];
        let i = f.state as usize;
        let key = super::model::name_key(ns, name);
        let is = |k: usize| {
            let p = &particles[k];
            p.key == key && p.ns == ns && p.name == name
        };
        let at = (i..particles.len()).find(|&k| is(k));
        if let Some(j) = at {
            let p = &particles[j];
            if j == i && f.count >= p.max {
                let parent = self.shown_frame(&f);
                self.error(
                    SchemaErrorKind::TooMany,
                    position,
                    format!(
                        "{} may occur only {} in {parent}; this one is too many",
                        display(p.element),
                        times(p.max)
                    ),
                );
                return Next::Element(p.element);
            }
            // Every required element between the current position and this one is missing.
            let missing = (i..j).find(|&k| {
                let have = if k == i { f.count } else { 0 };
                have < u16::from(particles[k].min)
            });
            if let Some(k) = missing {
                let found = shown(ns, uri, name);
                let parent = self.shown_frame(&f);
                self.error(
                    SchemaErrorKind::MissingElement,
                    position,
                    format!(
                        "{} expected {}in {parent}, found {found}",
                        display(particles[k].element),
                        after(f.last)
                    ),
                );
            }
            let count = if j == i { f.count + 1 } else { 1 };
            self.set_state(j as u16, count, p.element);
            return Next::Element(p.element);
        }
        let found = shown(ns, uri, name);
        let parent = self.shown_frame(&f);
        if let Some(j) = (0..i.min(particles.len())).find(|&k| is(k)) {
            // Earlier in the sequence than the elements already seen.
            let p = &particles[j];
            self.error(
                SchemaErrorKind::WrongOrder,
                position,
                format!(
                    "{found} is out of order in {parent}: it must come before {}",
                    display(f.last)
                ),
            );
            return Next::Element(p.element);
        }
        let expected = expected_in_seq(particles, i, f.count);
        let message = if ns == UNKNOWN_NS || global_element(ns, name).is_none() {
            format!(
                "{found} is unknown to UBL 2.1; {expected} expected {}in {parent}",
                after(f.last)
            )
        } else {
            format!(
                "{found} is not allowed in {parent}; {expected} expected {}there",
                after(f.last)
            )
        };
        self.error(SchemaErrorKind::UnexpectedElement, position, message);
        Next::Refused
    }

    /// At the end tag: whatever the content model still requires is missing.
    fn complete(&mut self, f: &Frame, model: Model) {
        match model {
            Model::Seq { first, len } => {
                let particles = &PARTICLES[first as usize..(first + len) as usize];
                let i = f.state as usize;
                let missing = (i..particles.len()).find(|&k| {
                    let have = if k == i { f.count } else { 0 };
                    have < u16::from(particles[k].min)
                });
                if let Some(k) = missing {
                    let name = self.shown_frame(f);
                    self.error(
                        SchemaErrorKind::MissingElement,
                        f.position,
                        format!(
                            "{} expected {}in {name}, found its end",
                            display(particles[k].element),
                            after(f.last)
                        ),
                    );
                }
            }
            Model::Dfa { .. } => {
                if !STATES[f.state as usize].accepting {
                    let name = self.shown_frame(f);
                    let expected = expected_in_state(f.state);
                    self.error(
                        SchemaErrorKind::MissingElement,
                        f.position,
                        format!(
                            "{expected} expected {}in {name}, found its end",
                            after(f.last)
                        ),
                    );
                }
            }
        }
    }

    fn shown_frame(&self, f: &Frame) -> String {
        if f.element == NO_ELEMENT {
            "this element".to_owned()
        } else {
            display(f.element)
        }
    }
}

/// Whether values of a simple type (or the text of a complex type with simple content) need a
/// check: everything but plain strings without enumerations.
fn value_checked(mut tid: u16) -> bool {
    loop {
        match ty(tid).kind {
            Kind::Builtin(b) => {
                return !matches!(
                    b,
                    Builtin::String
                        | Builtin::NormalizedString
                        | Builtin::Token
                        | Builtin::AnySimpleType
                );
            }
            Kind::Restriction { enumeration } if enumeration.0 != enumeration.1 => return true,
            Kind::Restriction { .. } => tid = ty(tid).base,
            Kind::SimpleContent { value } => tid = value,
            _ => return false,
        }
    }
}

/// What a child element turned out to be.
enum Next {
    /// A declared element of the model.
    Element(u16),
    /// An element matched by the wildcard with this index.
    Wildcard(u16),
    /// Not allowed here (already reported).
    Refused,
}

/// Why a value was refused.
enum Problem {
    Invalid(Builtin),
    Unsupported(Builtin),
    NotListed(&'static [&'static str]),
}

impl Problem {
    fn kind(&self) -> SchemaErrorKind {
        match self {
            Problem::Unsupported(_) => SchemaErrorKind::Unsupported,
            _ => SchemaErrorKind::InvalidValue,
        }
    }

    /// `<what> "<value>", which is not …`.
    fn describe(&self, what: &str, value: &str, tid: u16) -> String {
        let shown = short(value);
        match self {
            Problem::Invalid(b) => format!("{what} {shown}, which is not {}", expectation(*b)),
            Problem::Unsupported(b) => format!(
                "{what} {shown} of type xs:{}, which factuur cannot check; the document is not \
                 accepted unchecked",
                builtin_name(*b)
            ),
            Problem::NotListed(values) => format!(
                "{what} {shown}, which is not one of {} ({})",
                values
                    .iter()
                    .map(|v| format!("{v:?}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                type_name(tid)
            ),
        }
    }
}

fn type_name(tid: u16) -> String {
    let t = ty(tid);
    if t.name.is_empty() {
        "an anonymous type".to_owned()
    } else {
        qualified(t.ns, t.name)
    }
}

/// A value as messages show it: quoted, long ones cut.
fn short(value: &str) -> String {
    if value.chars().count() > 40 {
        let cut: String = value.chars().take(37).collect();
        format!("{:?}", cut + "...")
    } else {
        format!("{value:?}")
    }
}

/// What a valid value of a built-in type looks like.
fn expectation(b: Builtin) -> &'static str {
    match b {
        Builtin::Decimal => "a decimal number (digits with an optional point and sign, like 12.50)",
        Builtin::Date => "a date written YYYY-MM-DD (a real day, no surrounding spaces)",
        Builtin::Time => "a time written hh:mm:ss (optionally with fractions and a time zone)",
        Builtin::DateTime => "a date and time written YYYY-MM-DDThh:mm:ss",
        Builtin::GYear
        | Builtin::GYearMonth
        | Builtin::GMonth
        | Builtin::GMonthDay
        | Builtin::GDay => "a date part in XML Schema form",
        Builtin::Boolean => "true, false, 1 or 0",
        Builtin::Base64Binary => "base64-encoded data",
        Builtin::HexBinary => "hexadecimal data",
        Builtin::AnyUri => "a URI",
        Builtin::Language => "a language code such as nl or en-GB",
        Builtin::Float | Builtin::Double => "a floating-point number",
        Builtin::Name | Builtin::NcName | Builtin::Id | Builtin::IdRef | Builtin::IdRefs => {
            "an XML name (no spaces, not starting with a digit)"
        }
        Builtin::NmToken | Builtin::NmTokens => "a name token",
        Builtin::Entity | Builtin::Entities | Builtin::Notation => {
            "a name declared in a DTD (e-invoices have none)"
        }
        Builtin::Integer => "an integer",
        Builtin::NonPositiveInteger => "an integer of at most 0",
        Builtin::NegativeInteger => "a negative integer",
        Builtin::NonNegativeInteger => "an integer of at least 0",
        Builtin::PositiveInteger => "a positive integer",
        Builtin::Long | Builtin::Int | Builtin::Short | Builtin::Byte => {
            "an integer within the type's range"
        }
        Builtin::UnsignedLong
        | Builtin::UnsignedInt
        | Builtin::UnsignedShort
        | Builtin::UnsignedByte => "a non-negative integer within the type's range",
        _ => "a valid value",
    }
}

fn builtin_name(b: Builtin) -> &'static str {
    match b {
        Builtin::QName => "QName",
        _ => "anySimpleType",
    }
}

/// `once` or `N times`.
fn times(max: u16) -> String {
    match max {
        1 => "once".to_owned(),
        n => format!("{n} times"),
    }
}

/// `after cbc:ID ` or `at the start `.
fn after(last: u16) -> String {
    if last == NO_ELEMENT {
        "first ".to_owned()
    } else {
        format!("after {} ", display(last))
    }
}

/// An element as messages show it.
fn shown(ns: u8, uri: &str, name: &str) -> String {
    if ns == UNKNOWN_NS {
        format!("{{{uri}}}{name}")
    } else if ns == 0 {
        format!("{name} (in no namespace)")
    } else {
        qualified(ns, name)
    }
}

/// Lists up to six names: `cbc:A`, `one of cbc:A, cbc:B`, `one of cbc:A, ... (9 in all)`.
fn listing(names: Vec<String>) -> String {
    match names.len() {
        0 => "nothing".to_owned(),
        1 => names.into_iter().next().unwrap_or_default(),
        n if n <= 6 => format!("one of {}", names.join(", ")),
        n => format!("one of {}, ... ({n} in all)", names[..6].join(", ")),
    }
}

/// What may come next in a sequence at particle `i` after `count` occurrences of it.
fn expected_in_seq(particles: &[super::model::Particle], i: usize, count: u16) -> String {
    let mut names = Vec::new();
    for (k, p) in particles.iter().enumerate().skip(i) {
        let have = if k == i { count } else { 0 };
        if have < p.max {
            names.push(display(p.element));
        }
        if have < u16::from(p.min) {
            break;
        }
    }
    if names.is_empty() {
        "no further element".to_owned()
    } else {
        listing(names)
    }
}

/// What an automaton state accepts next.
fn expected_in_state(state: u16) -> String {
    let s = &STATES[state as usize];
    let mut names: Vec<String> = Vec::new();
    for t in &TRANSITIONS[s.transitions.0 as usize..s.transitions.1 as usize] {
        match *t {
            super::model::Transition::Element(e, _) => names.push(display(e)),
            super::model::Transition::Wildcard(w, _) => {
                names.push(match WILDCARDS[w as usize].namespace {
                    super::model::WildcardNs::Any => "any element".to_owned(),
                    super::model::WildcardNs::Other(_) => {
                        "an element of another namespace".to_owned()
                    }
                })
            }
        }
    }
    if names.is_empty() {
        "no further element".to_owned()
    } else {
        listing(names)
    }
}

/// The type an `xsi:type` value names. As in libxml2, the value is taken as it stands: white
/// space around it is part of the prefix or name, and so never resolves.
fn resolve_type(value: &str, scope: &dyn NamespaceScope) -> Result<u16, &'static str> {
    let (prefix, local) = match value.split_once(':') {
        Some((p, l)) => (p, l),
        None => ("", value),
    };
    let plain = |s: &str| {
        !s.is_empty()
            && !s.bytes().any(lexical::is_blank)
            && lexical::check(Builtin::NcName, s) == Lexical::Valid
    };
    if !plain(local) {
        return Err("not a qualified name");
    }
    if !prefix.is_empty() && !plain(prefix) {
        return Err("its prefix is not declared");
    }
    let uri = match scope.namespace_of(prefix) {
        Some(u) => u,
        None if prefix.is_empty() => "",
        None => return Err("its prefix is not declared"),
    };
    let ns = namespace_id(uri);
    if ns == UNKNOWN_NS || ns == NS_XSI {
        return Err("no such type in UBL 2.1 or XML Schema");
    }
    named_type(ns, local).ok_or("no such type in UBL 2.1 or XML Schema")
}
