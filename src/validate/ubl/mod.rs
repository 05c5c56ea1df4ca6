//! The official business rules on UBL documents, evaluated natively on the parsed document
//! ([`crate::ubl::parse`]) rather than through XSLT.
//!
//! The aim is the official tools' verdicts exactly: the same rule ids, severities and nodes as
//! the EN 16931 UBL, SI-UBL 2.0 (NLCIUS) and Peppol BIS 3 Schematron sets give, checked against
//! their verdicts on 1,501 public documents (`tests/it/conformance.rs`). Findings carry the
//! node's location in the tools' form (`/Invoice[1]/AccountingSupplierParty[1]/Party[1]`) and
//! its line and column in the source.
//!
//! Three rule sets are here ([`RuleSet`], each with its [`RuleSet::version`]):
//! - EN 16931, CEN's UBL binding 1.3.16, complete: all 979 rules of its three patterns, the
//!   business rules (201, with the calculations and the rules per VAT category), the code lists
//!   (22) and the UBL syntax binding (756: elements EN 16931 does not use, elements that may appear
//!   once, data types);
//! - the complete SI-UBL 2.0 verdict (NLCIUS 2.0.3.12): its copy of the CEN rules at version
//!   1.3.15 (the 1.3.16 rule base with the few rules and code lists that differ, 978 rules) and
//!   its own 38 rules;
//! - Peppol BIS Billing 3.0's own rules (3.0.21, all 165 rules: Peppol's business rules and
//!   identifier checks, the national rules, the code lists).
//!
//! Where the official tool stops with an error on a document, factuur reports a fatal finding
//! of its own ([`own_ids`]): it never calls such a document valid.
//!
//! [`implemented`] lists every rule id in. Beside the rules, [`schema`] is the UBL 2.1 structure
//! check: what validating against the OASIS XSDs gives (`xsd_ok`), natively. [`validate_bytes`]
//! runs both on bytes and gives the whole [`Verdict`], as `factuur validate` prints it.
//!
//! ```
//! let xml = br#"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
//!     xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
//!   <cbc:CopyIndicator>false</cbc:CopyIndicator>
//! </Invoice>"#;
//! let doc = factuur::ubl::parse(xml).unwrap();
//! let report = factuur::validate::ubl::validate(&doc);
//! // An almost empty invoice: the required parts are missing (BR-01 …), and it holds an element
//! // EN 16931 does not use. Both kinds of rule look at the root element.
//! let f = report.findings.iter().find(|f| f.rule == "BR-02").unwrap();
//! assert_eq!(f.location.path, "/Invoice[1]");
//! assert_eq!(f.location.source.map(|s| (s.line, s.column)), Some((1, 1)));
//! assert!(report.findings.iter().any(|f| f.rule == "UBL-CR-004"));
//! ```

mod en16931;
mod engine;
mod nlcius;
mod node_term;
mod peppol;
pub mod schema;
mod terms;
mod verdict;

pub use verdict::{
    Root, Rules, SetVerdict, ValidateError, Verdict, validate_bytes, validate_document,
};

use crate::ubl::{Document, Node, Ns};
use en16931::CenVersion;

use super::{Finding, Location, Message, Report, Severity, SourcePos};

/// Runs every rule implemented so far on `doc`.
pub fn validate(doc: &Document) -> Report {
    validate_with(doc, &[RuleSet::En16931])
}

/// Like [`validate`], adding to `report` (clear it first to reuse its allocation).
pub fn validate_into(doc: &Document, report: &mut Report) {
    validate_with_into(doc, &[RuleSet::En16931], report);
}

/// A rule set the engine runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RuleSet {
    /// EN 16931, CEN's UBL binding 1.3.16: business rules, code lists and syntax binding.
    En16931,
    /// The complete SI-UBL 2.0 verdict (NLCIUS, 2.0.3.12), as its official validator gives it:
    /// its own copy of the CEN rules (version 1.3.15, which differs from 1.3.16 in a few rules
    /// and code lists), the version check and the Dutch rules (`BR-NL-*`).
    Nlcius,
    /// Peppol BIS Billing 3.0's own rules (3.0.21): the Peppol business rules, identifier checks,
    /// national rules and code lists. A complete Peppol check is this set together with
    /// [`RuleSet::En16931`], as the official validators run it.
    Peppol,
}

impl RuleSet {
    /// The version of the official rules the set gives the verdict of, as factuur reports it.
    ///
    /// ```
    /// use factuur::validate::ubl::RuleSet;
    /// assert_eq!(RuleSet::En16931.version(), "1.3.16");
    /// assert_eq!(RuleSet::Nlcius.version(), "SI-UBL 2.0.3.12 (CEN 1.3.15 + BR-NL)");
    /// ```
    pub fn version(self) -> &'static str {
        match self {
            RuleSet::En16931 => CenVersion::V1_3_16.name(),
            RuleSet::Nlcius => "SI-UBL 2.0.3.12 (CEN 1.3.15 + BR-NL)",
            RuleSet::Peppol => "BIS Billing 3.0.21 (2026-05) PEPPOL part",
        }
    }

    /// The version of CEN's rules the set runs.
    fn cen(self) -> CenVersion {
        match self {
            RuleSet::En16931 => CenVersion::V1_3_16,
            // Peppol's own part runs no CEN rules; a full Peppol check adds En16931.
            RuleSet::Nlcius => CenVersion::V1_3_15,
            RuleSet::Peppol => CenVersion::V1_3_16,
        }
    }
}

impl RuleSet {
    /// The set's name on the command line and in JSON: `en16931`, `nlcius`, `peppol`.
    pub fn name(self) -> &'static str {
        match self {
            RuleSet::En16931 => "en16931",
            RuleSet::Nlcius => "nlcius",
            RuleSet::Peppol => "peppol",
        }
    }

    /// The set named `name` (as [`RuleSet::name`] gives it).
    ///
    /// ```
    /// use factuur::validate::ubl::RuleSet;
    /// assert_eq!(RuleSet::from_name("peppol"), Some(RuleSet::Peppol));
    /// assert_eq!(RuleSet::from_name("xrechnung"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<RuleSet> {
        [RuleSet::En16931, RuleSet::Nlcius, RuleSet::Peppol]
            .into_iter()
            .find(|s| s.name() == name)
    }
}

/// Runs the given rule sets on `doc`, in the order given.
///
/// ```
/// use factuur::validate::ubl::{RuleSet, validate_with};
/// let xml = std::fs::read("testdata/ubl/si-ubl-testset/SI-UBL-2.0.3.2/SI-UBL-2.0_BR-NL-10_ok_both_nl.xml")?;
/// let doc = factuur::ubl::parse(&xml)?;
/// let report = validate_with(&doc, &[RuleSet::Nlcius]);
/// assert!(report.is_ok(), "{:?}", report.findings);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn validate_with(doc: &Document, sets: &[RuleSet]) -> Report {
    let mut report = Report::new();
    validate_with_into(doc, sets, &mut report);
    report
}

/// Like [`validate_with`], adding to `report`.
pub fn validate_with_into(doc: &Document, sets: &[RuleSet], report: &mut Report) {
    let mut cx = Cx {
        report,
        root: doc.root(),
    };
    for &set in sets {
        let doc = cx.root.document();
        let unjudged = engine::unjudged::run_set(doc, || run_set(&mut cx, set));
        cx.report.findings.extend(unjudged);
    }
}

/// Runs one rule set.
fn run_set(cx: &mut Cx<'_, '_>, set: RuleSet) {
    match set {
        RuleSet::En16931 => en16931::run(cx, set.cen()),
        RuleSet::Nlcius => {
            en16931::run(cx, set.cen());
            VERSION.run(cx);
            // SI-INV-R000's context is the document node: the root must be an invoice.
            let root = cx.root;
            let invoice = matches!(
                (root.ns(), root.name()),
                (Ns::Invoice, "Invoice") | (Ns::CreditNote, "CreditNote")
            );
            if !invoice {
                cx.report.findings.push(Finding {
                    rule: "SI-INV-R000",
                    severity: Severity::Fatal,
                    term: None,
                    location: Location {
                        path: "/".into(),
                        line_number: None,
                        line_id: None,
                        source: Some(SourcePos { line: 1, column: 1 }),
                    },
                    value: None,
                    message: nlcius::NOT_AN_INVOICE,
                });
            }
            nlcius::with_facts(root, || NLCIUS.run(cx));
        }
        RuleSet::Peppol => peppol::run(cx),
    }
}

/// SI-UBL 2.0's version pattern, indexed once.
static VERSION: std::sync::LazyLock<engine::context::Pattern> =
    std::sync::LazyLock::new(|| engine::context::Pattern::new(nlcius::VERSION));

/// SI-UBL 2.0's Dutch rules, indexed once.
static NLCIUS: std::sync::LazyLock<engine::context::Pattern> = std::sync::LazyLock::new(|| {
    engine::context::Pattern::new(nlcius::NLCIUS).with_values(nlcius::values)
});

/// The ids of the rules of one set.
pub fn rule_ids(set: RuleSet) -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = match set {
        RuleSet::En16931 => en16931::ids(set.cen()).collect(),
        RuleSet::Nlcius => en16931::ids(set.cen())
            .chain(VERSION.ids())
            .chain(std::iter::once("SI-INV-R000"))
            .chain(NLCIUS.ids())
            .collect(),
        RuleSet::Peppol => peppol::ids().collect(),
    };
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The message of every rule of a set, in both languages, by rule id: what is wrong and what to
/// change. A rule id with several asserts (SI-UBL's BR-NL-8 says one thing on an invoice and
/// another on a credit note) is listed once per assert.
///
/// ```
/// use factuur::validate::ubl::{RuleSet, messages};
/// let all = messages(RuleSet::En16931);
/// let (_, m) = all.iter().find(|(id, _)| *id == "BR-11").unwrap();
/// assert!(m.en.contains("cac:Country/cbc:IdentificationCode"));
/// assert!(m.nl.contains("afnemer"));
/// ```
pub fn messages(set: RuleSet) -> Vec<(&'static str, Message)> {
    match set {
        RuleSet::En16931 => en16931::messages(set.cen()).collect(),
        RuleSet::Nlcius => en16931::messages(set.cen())
            .chain(VERSION.messages())
            .chain(std::iter::once(("SI-INV-R000", nlcius::NOT_AN_INVOICE)))
            .chain(NLCIUS.messages())
            .collect(),
        RuleSet::Peppol => peppol::messages().collect(),
    }
}

/// The ids of factuur's own fatal findings where the official rules cannot evaluate a document
/// and their XSLT would stop with an error instead of a verdict: several values where a rule
/// needs one (`FX-RULES-MANY`), a value a rule reads as a number, a date or true/false that is
/// none (`FX-RULES-NUMBER`, `FX-RULES-DATE`, `FX-RULES-BOOLEAN`), and a number beyond the 28
/// significant digits factuur computes exactly (`FX-RULES-RANGE`). Any rule set can report
/// them, at the offending element, once per element and kind.
///
/// ```
/// use factuur::validate::ubl::{RuleSet, UNJUDGED, validate_with};
/// let xml = std::fs::read_to_string("testdata/pdf/ubl/2026-00017.xml")?;
/// let xml = xml.replace("<cbc:PayableAmount currencyID=\"EUR\">", "<cbc:PayableAmount currencyID=\"EUR\">x");
/// let report = validate_with(&factuur::ubl::parse(xml.as_bytes())?, &[RuleSet::En16931]);
/// let f = report.findings.iter().find(|f| UNJUDGED.contains(&f.rule)).unwrap();
/// assert_eq!(f.rule, "FX-RULES-NUMBER");
/// assert_eq!(f.location.path, "/Invoice[1]/LegalMonetaryTotal[1]/PayableAmount[1]");
/// assert!(!report.is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub const UNJUDGED: [&str; 5] = engine::unjudged::IDS;

/// The ids of every rule implemented so far, in all sets.
pub fn implemented() -> impl Iterator<Item = &'static str> {
    rule_ids(RuleSet::En16931)
        .into_iter()
        .chain(rule_ids(RuleSet::Nlcius))
        .chain(rule_ids(RuleSet::Peppol))
}

/// The ids of the findings factuur reports of its own where the official rules of `set` cannot
/// evaluate a document (their validation stops with an error there): `FX-RULES-NUMBER`, a value
/// read as a number that is none; `FX-RULES-DATE`, likewise a date; `FX-RULES-MANY`, several
/// values where one is needed; `FX-RULES-RANGE`, a number beyond factuur's exact arithmetic.
pub fn own_ids(set: RuleSet) -> &'static [&'static str] {
    // Every set shares the engine's mechanism; Peppol's own ids are among its ids.
    let _ = set;
    &UNJUDGED
}

/// What rules see: the document and where findings go.
pub(crate) struct Cx<'r, 'd> {
    report: &'r mut Report,
    root: Node<'d>,
}

impl Cx<'_, '_> {
    /// Records that rule `rule` failed on `node` (with `attr` for a finding on an attribute).
    fn fail(
        &mut self,
        rule: &'static str,
        severity: Severity,
        node: Node<'_>,
        value: Option<String>,
        message: Message,
    ) {
        let (line, column) = node.line_col();
        let value = value.or_else(|| leaf_value(node));
        self.report.findings.push(Finding {
            rule,
            severity,
            term: node_term::term_at(rule, node),
            location: Location {
                path: node.location(),
                line_number: None,
                line_id: None,
                source: Some(SourcePos { line, column }),
            },
            value,
            message,
        });
    }
}

/// The EN 16931 term (`BT-`, `BG-`) an official rule concerns, where there is one.
///
/// A finding can name a more precise term, by the element it is at: BR-CL-14 checks every
/// country code and concerns the seller's country (BT-40), but its finding at the buyer's
/// address names the buyer's (BT-55).
///
/// ```
/// use factuur::validate::ubl::term;
/// assert_eq!(term("BR-CO-10"), Some("BT-106"));
/// assert_eq!(term("UBL-CR-001"), None); // an element EN 16931 has no place for
/// ```
pub fn term(rule: &str) -> Option<&'static str> {
    terms::TERMS
        .binary_search_by(|(id, _)| (*id).cmp(rule))
        .ok()
        .map(|at| terms::TERMS[at].1)
}

/// Longest value shown with a finding, in characters.
const SHOWN_VALUE: usize = 80;

/// What a finding on `node` shows as its value when the rule gives none: the node's own text
/// when it is a leaf (the code, amount or date the rule judged), shortened; an empty `cbc:`
/// element shows as `cbc:Name = ""`.
fn leaf_value(node: Node<'_>) -> Option<String> {
    if node.children().next().is_some() {
        return None;
    }
    let text = node.text().trim_matches([' ', '\t', '\r', '\n']);
    if text.is_empty() {
        // An empty basic element (a code, an amount, an identifier): say so, by its name.
        return (node.ns() == Ns::Cbc).then(|| shown(&format!("cbc:{}", node.name()), ""));
    }
    Some(shortened(text))
}

/// `text` with XML whitespace trimmed, cut off after [`SHOWN_VALUE`] characters.
fn shortened(text: &str) -> String {
    let text = text.trim_matches([' ', '\t', '\r', '\n']);
    let mut shown: String = text.chars().take(SHOWN_VALUE).collect();
    if shown.len() < text.len() {
        shown.push('…');
    }
    shown
}

/// A value as a finding shows it: `label = "text"`, the text trimmed and shortened.
pub(crate) fn shown(label: &str, text: &str) -> String {
    format!("{label} = \"{}\"", shortened(text))
}
