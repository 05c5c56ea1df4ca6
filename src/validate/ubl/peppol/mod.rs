//! Peppol BIS Billing 3.0's own rules (version 3.0.21, May 2026), natively: the rule set the
//! official `PEPPOL-EN16931-UBL` validation runs beside EN 16931.
//!
//! All 165 asserts of its 13 patterns, in the official order: the Peppol business rules and
//! identifier checks (`PEPPOL-EN16931-R*`, `PEPPOL-COMMON-R*`, in [`core`]), the national rules
//! of Norway, Denmark, Sweden and Iceland ([`nordic`]), Italy ([`italian`]), Greece
//! ([`greek`]), the Netherlands ([`dutch`]) and Germany ([`german`]), and the code lists
//! ([`codes`]). The identifier checks they call (GS1, modulus 11 and 97, Luhn, the Greek TIN,
//! the Italian codes) are in [`functions`], the document-level variables in [`facts`].
//!
//! The official tool's strictness is kept: where its XPath stops with an error (two values where
//! one is expected, a value cast to a number that is none), factuur reports a fatal finding of
//! its own (`FX-RULES-MANY`, `FX-RULES-NUMBER`, `FX-RULES-DATE`) at the value it could not
//! evaluate, so such a document is never called valid; see [`eval`]. Amounts are computed as
//! Saxon computes `xs:decimal`s ([`decimal`]).

pub(crate) mod codes;
pub(crate) mod core;
pub(crate) mod decimal;
pub(crate) mod dutch;
pub(crate) mod eval;
pub(crate) mod facts;
pub(crate) mod functions;
pub(crate) mod german;
pub(crate) mod greek;
pub(crate) mod italian;
pub(crate) mod lists;
pub(crate) mod nordic;

use std::cell::RefCell;
use std::sync::LazyLock;

use crate::ubl::Node;
use crate::validate::{Finding, Location, Message, Severity, SourcePos};

use super::Cx;
use super::engine::context::{Assert, Pattern};
use eval::{Ev, Halt, Why};

/// The patterns, indexed once, in the official order.
static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    vec![
        Pattern::new(core::EMPTY),
        Pattern::new(core::PROJECT),
        Pattern::new(core::PEPPOL).with_values(core::values),
        Pattern::new(nordic::NORWAY),
        Pattern::new(nordic::DENMARK),
        Pattern::new(italian::ITALY),
        Pattern::new(nordic::SWEDEN),
        Pattern::new(greek::GREECE),
        Pattern::new(greek::GREEK_BUYER),
        Pattern::new(nordic::ICELAND),
        Pattern::new(dutch::NETHERLANDS),
        Pattern::new(german::GERMANY).with_values(german::values),
        Pattern::new(codes::CODES).with_values(codes::values),
    ]
});

thread_local! {
    /// Where the official tool would have stopped, collected during one run.
    static HALTS: RefCell<Vec<Halt>> = const { RefCell::new(Vec::new()) };
}

/// An assert's verdict: where the official tool would stop, the stop is recorded (it becomes a
/// finding of factuur's own) and the assert itself is not reported as failed.
pub(crate) fn held(verdict: Ev<bool>) -> bool {
    verdict.unwrap_or_else(|h| {
        HALTS.with(|v| v.borrow_mut().push(h));
        true
    })
}

/// A context's predicate: where the official tool cannot evaluate it, the context does not
/// match (Saxon warns and goes on).
pub(crate) fn matching(verdict: Ev<bool>) -> bool {
    verdict.unwrap_or(false)
}

/// Runs every Peppol rule on the document.
pub(crate) fn run(cx: &mut Cx<'_, '_>) {
    let before = HALTS.with(|v| std::mem::take(&mut *v.borrow_mut()));
    let root = cx.root;
    facts::with_facts(root, || {
        for p in PATTERNS.iter() {
            p.run(cx);
        }
    });
    let mut halts = HALTS.with(|v| std::mem::replace(&mut *v.borrow_mut(), before));
    halts.sort_by_key(|a| (a.line, a.column, a.why));
    halts.dedup_by(|a, b| a.path == b.path && a.why == b.why);
    for h in halts {
        let (rule, message) = match h.why {
            Why::Number => ("FX-RULES-NUMBER", NOT_A_NUMBER),
            Why::Date => ("FX-RULES-DATE", NOT_A_DATE),
            Why::Many => ("FX-RULES-MANY", TOO_MANY),
            Why::Range => ("FX-RULES-RANGE", OUT_OF_RANGE),
        };
        cx.report.findings.push(Finding {
            rule,
            severity: Severity::Fatal,
            term: None,
            location: Location {
                path: h.path,
                line_number: None,
                line_id: None,
                source: Some(SourcePos {
                    line: h.line,
                    column: h.column,
                }),
            },
            value: Some(h.value),
            message,
        });
    }
}

/// The ids of factuur's own findings for what the official Peppol rules cannot evaluate.
pub(crate) const OWN_IDS: [&str; 4] = [
    "FX-RULES-DATE",
    "FX-RULES-MANY",
    "FX-RULES-NUMBER",
    "FX-RULES-RANGE",
];

const NOT_A_NUMBER: Message = m(
    "The official Peppol rules read this value as a number, and it is none: they cannot evaluate the document (their validation stops here). Write a plain number, such as 12.50.",
    "De officiële Peppol-regels lezen deze waarde als getal, en dat is ze niet: ze kunnen het document niet beoordelen (hun controle stopt hier). Schrijf een gewoon getal, zoals 12.50.",
);

const NOT_A_DATE: Message = m(
    "The official Peppol rules read this value as a date, and it is none: they cannot evaluate the document (their validation stops here). Write the date as YYYY-MM-DD.",
    "De officiële Peppol-regels lezen deze waarde als datum, en dat is ze niet: ze kunnen het document niet beoordelen (hun controle stopt hier). Schrijf de datum als JJJJ-MM-DD.",
);

const TOO_MANY: Message = m(
    "The official Peppol rules expect one value here and find several: they cannot evaluate the document (their validation stops here). Keep one of these elements.",
    "De officiële Peppol-regels verwachten hier één waarde en vinden er meer: ze kunnen het document niet beoordelen (hun controle stopt hier). Houd één van deze elementen over.",
);

const OUT_OF_RANGE: Message = m(
    "This number has more than 38 significant digits: factuur cannot compute the Peppol rule that uses it exactly, so the document is not judged valid. Shorten the number.",
    "Dit getal heeft meer dan 38 significante cijfers: factuur kan de Peppol-regel die het gebruikt niet exact berekenen, dus het document wordt niet goedgekeurd. Kort het getal in.",
);

/// The ids of every Peppol rule (unsorted, possibly repeated).
pub(crate) fn ids() -> impl Iterator<Item = &'static str> {
    PATTERNS.iter().flat_map(Pattern::ids)
}

pub(crate) const fn m(en: &'static str, nl: &'static str) -> Message {
    Message { en, nl }
}

pub(crate) const fn fatal(
    id: &'static str,
    test: fn(Node<'_>) -> bool,
    message: Message,
) -> Assert {
    Assert {
        id,
        severity: Severity::Fatal,
        test,
        message,
    }
}

pub(crate) const fn warning(
    id: &'static str,
    test: fn(Node<'_>) -> bool,
    message: Message,
) -> Assert {
    Assert {
        id,
        severity: Severity::Warning,
        test,
        message,
    }
}

/// A rule whose assert always fails where its context matches (`false()`).
pub(crate) const fn never(_: Node<'_>) -> bool {
    false
}
