//! The official business rules on UBL documents, evaluated natively on the parsed document
//! ([`crate::ubl::parse`]) rather than through XSLT.
//!
//! The aim is the official tools' verdicts exactly: the same rule ids, severities and nodes as
//! the EN 16931 UBL, SI-UBL 2.0 (NLCIUS) and Peppol BIS 3 Schematron sets give, checked against
//! their verdicts on 1,501 public documents (`tests/it/conformance.rs`). Findings carry the
//! node's location in the tools' form (`/Invoice[1]/AccountingSupplierParty[1]/Party[1]`) and
//! its line and column in the source.
//!
//! **Unfinished.** Two rule sets are here ([`RuleSet`]):
//! - EN 16931, CEN's UBL binding 1.3.16, complete: all 979 rules of its three patterns, the
//!   business rules (201, with the calculations and the rules per VAT category), the code lists
//!   (22) and the UBL syntax binding (756: elements EN 16931 does not use, elements that may appear
//!   once, data types);
//! - SI-UBL 2.0's own rules (NLCIUS 2.0.3.12, 38 rules).
//!
//! Still to come: Peppol BIS 3. [`implemented`] lists every rule id in.
//!
//! Beside the rules, [`schema`] is the UBL 2.1 structure check: what validating against the
//! OASIS XSDs gives (`xsd_ok`), natively.
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
pub mod schema;

use crate::ubl::{Document, Node, Ns};

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
    /// SI-UBL 2.0's own rules (NLCIUS, 2.0.3.12): the version check and the Dutch rules. A
    /// complete SI-UBL check is this set together with [`RuleSet::En16931`].
    Nlcius,
}

/// Runs the given rule sets on `doc`, in the order given.
///
/// ```
/// use factuur::validate::ubl::{RuleSet, validate_with};
/// let xml = std::fs::read("testdata/ubl/si-ubl-testset/SI-UBL-2.0.3.2/SI-UBL-2.0_BR-NL-10_ok_both_nl.xml")?;
/// let doc = factuur::ubl::parse(&xml)?;
/// let report = validate_with(&doc, &[RuleSet::En16931, RuleSet::Nlcius]);
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
    for set in sets {
        match set {
            RuleSet::En16931 => en16931::run(&mut cx),
            RuleSet::Nlcius => {
                VERSION.run(&mut cx);
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
                let root = cx.root;
                nlcius::with_facts(root, || NLCIUS.run(&mut cx));
            }
        }
    }
}

/// SI-UBL 2.0's version pattern, indexed once.
static VERSION: std::sync::LazyLock<engine::context::Pattern> =
    std::sync::LazyLock::new(|| engine::context::Pattern::new(nlcius::VERSION));

/// SI-UBL 2.0's Dutch rules, indexed once.
static NLCIUS: std::sync::LazyLock<engine::context::Pattern> =
    std::sync::LazyLock::new(|| engine::context::Pattern::new(nlcius::NLCIUS));

/// The ids of the rules of one set.
pub fn rule_ids(set: RuleSet) -> Vec<&'static str> {
    let mut ids: Vec<&'static str> = match set {
        RuleSet::En16931 => en16931::ids().collect(),
        RuleSet::Nlcius => VERSION
            .ids()
            .chain(std::iter::once("SI-INV-R000"))
            .chain(NLCIUS.ids())
            .collect(),
    };
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The ids of every rule implemented so far, in all sets.
pub fn implemented() -> impl Iterator<Item = &'static str> {
    rule_ids(RuleSet::En16931)
        .into_iter()
        .chain(rule_ids(RuleSet::Nlcius))
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
        self.report.findings.push(Finding {
            rule,
            severity,
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
