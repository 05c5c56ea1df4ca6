//! What the official rules cannot evaluate.
//!
//! The official rule sets are XSLT: where a rule's XPath meets several values where it needs one
//! (`normalize-space` of two `cbc:ID`s), or casts a value that is no number or no date
//! (`xs:decimal('abc')`), the XSLT stops with a dynamic error and gives no verdict at all. factuur
//! must never call such a document valid. So the value helpers the rules share ([`super::xpath`],
//! the casts of the calculation rules) note each such value with its cause and node while a rule
//! set runs ([`record`], or a [`NotJudged`] returned by a calculation and noted by [`judged`]);
//! at the end of the set each noted value becomes one fatal finding of factuur's own
//! (`FX-RULES-MANY`, `FX-RULES-NUMBER`, `FX-RULES-DATE`, `FX-RULES-BOOLEAN`), at the node, once per
//! node and cause.
//!
//! A rule's context is different: where evaluating a context's predicate meets such a value,
//! the XSLT treats the context as not matching and goes on. [`probe`] gives contexts that
//! meaning.

use std::cell::RefCell;

use crate::ubl::{Document, Node};
use crate::validate::{Finding, Location, Message, Severity, SourcePos};

/// Why the official rules cannot evaluate a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Cause {
    /// Several values where the rule needs one.
    Many,
    /// A value the rule reads as a number (`xs:decimal`, or a comparison or sum with a number)
    /// is none.
    Number,
    /// A value the rule reads as a date (`xs:date`) is none.
    Date,
    /// A value the rule compares with `true()` or `false()` is neither.
    Boolean,
    /// A number with more digits than factuur's exact decimals hold (28 significant digits), or
    /// a result beyond them. The official rules calculate with any number of digits; factuur
    /// cannot follow, so it cannot give their verdict.
    Range,
}

impl Cause {
    /// The finding's rule id.
    pub(crate) const fn id(self) -> &'static str {
        match self {
            Cause::Many => "FX-RULES-MANY",
            Cause::Number => "FX-RULES-NUMBER",
            Cause::Date => "FX-RULES-DATE",
            Cause::Boolean => "FX-RULES-BOOLEAN",
            Cause::Range => "FX-RULES-RANGE",
        }
    }

    const fn message(self) -> Message {
        match self {
            Cause::Many => Message {
                en: "The official rules need one value here and find more than one, so they cannot judge the document: keep one of these elements.",
                nl: "De officiële regels verwachten hier één waarde en vinden er meer, zodat ze het document niet kunnen beoordelen: laat één van deze elementen staan.",
            },
            Cause::Number => Message {
                en: "The official rules read this value as a number and it is none, so they cannot judge the document: write a number with a point for decimals and no exponent (for example 1250.00).",
                nl: "De officiële regels lezen deze waarde als getal, maar het is geen getal, zodat ze het document niet kunnen beoordelen: schrijf een getal met een punt als decimaalteken en zonder exponent (bijvoorbeeld 1250.00).",
            },
            Cause::Date => Message {
                en: "The official rules read this value as a date and it is none, so they cannot judge the document: write an existing date as YYYY-MM-DD (for example 2026-01-31).",
                nl: "De officiële regels lezen deze waarde als datum, maar het is geen datum, zodat ze het document niet kunnen beoordelen: schrijf een bestaande datum als JJJJ-MM-DD (bijvoorbeeld 2026-01-31).",
            },
            Cause::Boolean => Message {
                en: "The official rules read this value as true or false and it is neither, so they cannot judge the document: write true or false.",
                nl: "De officiële regels lezen deze waarde als waar of onwaar, maar het is geen van beide, zodat ze het document niet kunnen beoordelen: schrijf true of false.",
            },
            Cause::Range => Message {
                en: "A calculation rule works with a number of more than 28 significant digits here, beyond what factuur computes exactly, so factuur cannot give the rule's verdict: write amounts with fewer digits.",
                nl: "Een rekenregel werkt hier met een getal van meer dan 28 significante cijfers, meer dan factuur exact rekent, zodat factuur het oordeel van de regel niet kan geven: schrijf bedragen met minder cijfers.",
            },
        }
    }
}

/// The ids of the findings this module gives.
pub(crate) const IDS: [&str; 5] = [
    Cause::Many.id(),
    Cause::Number.id(),
    Cause::Date.id(),
    Cause::Boolean.id(),
    Cause::Range.id(),
];

/// A rule cannot be judged: the official rules cannot evaluate the value at `node` (an element
/// of the document being checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NotJudged {
    pub cause: Cause,
    /// The element's id in its document ([`Node::id`]).
    node: u32,
}

impl NotJudged {
    pub(crate) fn new(cause: Cause, node: Node<'_>) -> NotJudged {
        NotJudged {
            cause,
            node: node.id(),
        }
    }

    /// A calculation went beyond factuur's exact decimals ([`Cause::Range`]), at the node the
    /// rule is looking at.
    pub(crate) fn range() -> NotJudged {
        NotJudged {
            cause: Cause::Range,
            node: NOTED.with(|c| c.borrow().as_ref().map_or(0, |n| n.context)),
        }
    }
}

/// A value, or why the official rules cannot work it out.
pub(crate) type Judged<T> = Result<T, NotJudged>;

/// What the set being run has noted; `None` outside a run, where nothing is noted.
struct Noted {
    found: Vec<NotJudged>,
    /// The element the rules are looking at ([`looking_at`]).
    context: u32,
}

thread_local! {
    static NOTED: RefCell<Option<Noted>> = const { RefCell::new(None) };
}

/// Notes that the official rules cannot evaluate the value at `node`.
pub(crate) fn record(cause: Cause, node: Node<'_>) {
    note(NotJudged::new(cause, node));
}

/// Notes a [`NotJudged`].
pub(crate) fn note(n: NotJudged) {
    NOTED.with(|c| {
        if let Some(noted) = c.borrow_mut().as_mut() {
            noted.found.push(n);
        }
    });
}

/// A rule's verdict: where it cannot be judged, the value is noted (it becomes a finding of its
/// own) and the rule itself passes.
pub(crate) fn judged(verdict: Judged<bool>) -> bool {
    verdict.unwrap_or_else(|n| {
        note(n);
        true
    })
}

/// Tells which element the rules are looking at, for [`NotJudged::range`].
pub(crate) fn looking_at(node: Node<'_>) {
    NOTED.with(|c| {
        if let Some(noted) = c.borrow_mut().as_mut() {
            noted.context = node.id();
        }
    });
}

/// What was noted since `mark` (an earlier [`mark`]).
pub(crate) fn since(mark: usize) -> Vec<NotJudged> {
    NOTED.with(|c| {
        c.borrow().as_ref().map_or_else(Vec::new, |n| {
            n.found.get(mark..).unwrap_or_default().to_vec()
        })
    })
}

/// How many values are noted so far.
pub(crate) fn mark() -> usize {
    NOTED.with(|c| c.borrow().as_ref().map_or(0, |n| n.found.len()))
}

/// Evaluates a context's predicate: where it meets a value the official rules cannot evaluate,
/// the context does not match (and nothing is noted).
pub(crate) fn probe(pred: impl FnOnce() -> bool) -> bool {
    let before = mark();
    let matched = pred();
    NOTED.with(|c| {
        let mut c = c.borrow_mut();
        match c.as_mut() {
            Some(noted) if noted.found.len() > before => {
                noted.found.truncate(before);
                false
            }
            _ => matched,
        }
    })
}

/// Works out something besides a verdict (what a failed rule shows): nothing it meets is noted.
pub(crate) fn quietly<T>(f: impl FnOnce() -> T) -> T {
    let before = mark();
    let out = f();
    NOTED.with(|c| {
        if let Some(noted) = c.borrow_mut().as_mut() {
            noted.found.truncate(before);
        }
    });
    out
}

/// Runs one rule set (`run`), then gives each value noted while it ran as a fatal finding at its
/// node, once per node and cause, in document order.
pub(crate) fn run_set(doc: &Document, run: impl FnOnce()) -> Vec<Finding> {
    let outer = NOTED.with(|c| {
        c.borrow_mut().replace(Noted {
            found: Vec::new(),
            context: 0,
        })
    });
    run();
    let noted = NOTED.with(|c| std::mem::replace(&mut *c.borrow_mut(), outer));
    let Some(mut noted) = noted else {
        return Vec::new();
    };
    noted.found.sort_by_key(|n| (n.node, n.cause));
    noted.found.dedup();
    noted
        .found
        .into_iter()
        .filter_map(|n| Some(finding(n.cause, doc.node(n.node)?)))
        .collect()
}

/// Longest value shown, in characters.
const SHOWN: usize = 80;

fn finding(cause: Cause, node: Node<'_>) -> Finding {
    let (line, column) = node.line_col();
    let name = format!("{}{}", node.ns().prefix(), node.name());
    let value = if node.children().next().is_some() {
        name
    } else {
        let text = node.text();
        let mut shown: String = text.chars().take(SHOWN).collect();
        if shown.len() < text.len() {
            shown.push('…');
        }
        format!("{name} = \"{shown}\"")
    };
    Finding {
        rule: cause.id(),
        severity: Severity::Fatal,
        term: None,
        location: Location {
            path: node.location(),
            line_number: None,
            line_id: None,
            source: Some(SourcePos { line, column }),
        },
        value: Some(value),
        message: cause.message(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XML: &str = r#"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"><cbc:ID>a</cbc:ID><cbc:ID>b</cbc:ID></Invoice>"#;

    #[test]
    fn noted_values_become_one_finding_per_node_and_cause() {
        let doc = crate::ubl::parse(XML.as_bytes()).unwrap();
        let ids: Vec<Node<'_>> = doc.root().children().collect();
        let findings = run_set(&doc, || {
            record(Cause::Many, ids[1]);
            record(Cause::Many, ids[1]);
            assert!(judged(Err(NotJudged::new(Cause::Number, ids[0]))));
            // A context's predicate: the value is not noted, and the context does not match.
            assert!(!probe(|| {
                record(Cause::Many, ids[0]);
                true
            }));
            assert!(probe(|| true));
        });
        let got: Vec<_> = findings
            .iter()
            .map(|f| (f.rule, f.location.path.as_str(), f.value.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "FX-RULES-NUMBER",
                    "/Invoice[1]/ID[1]",
                    Some("cbc:ID = \"a\"")
                ),
                ("FX-RULES-MANY", "/Invoice[1]/ID[2]", Some("cbc:ID = \"b\"")),
            ]
        );
        assert!(findings.iter().all(|f| f.severity == Severity::Fatal));
        // Outside a run nothing is noted.
        record(Cause::Many, ids[1]);
        assert_eq!(mark(), 0);
    }
}
