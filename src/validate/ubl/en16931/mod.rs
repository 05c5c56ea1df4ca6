//! EN 16931's rules on UBL (CEN's UBL binding): the business rules of the `UBL-model` pattern
//! ([`model`], with the rules per VAT category in [`vat`]), the code lists of the `Codesmodel`
//! pattern ([`codes`]), and the syntax binding of the `UBL-syntax` pattern (elements EN 16931
//! has no place for in [`syntax`] and [`forbidden`], repetition and data types in
//! [`repetition`]).
//!
//! The tables are version 1.3.16; [`version`] says how 1.3.15 (the copy inside SI-UBL 2.0.3.12)
//! differs, and [`run`] takes the version.

pub(crate) mod codes;
pub(crate) mod forbidden;
pub(crate) mod model;
pub(crate) mod repetition;
pub(crate) mod syntax;
pub(crate) mod vat;
pub(crate) mod version;

use std::sync::LazyLock;

use super::Cx;
use super::engine::context::Pattern;
pub(crate) use version::CenVersion;

/// The patterns of one version, indexed once.
struct Cen {
    /// `UBL-model`.
    model: Pattern,
    /// `UBL-syntax`'s rules on elements EN 16931 does not use.
    syntax: syntax::Index,
    /// `UBL-syntax`'s rules on repetition and data types.
    repetition: Pattern,
    /// `Codesmodel`.
    codes: Pattern,
}

impl Cen {
    fn build(v: CenVersion) -> Cen {
        let e = version::edits(v);
        Cen {
            model: Pattern::edited(model::MODEL, e.model).with_values(model::values),
            syntax: syntax::Index::build(e.forbidden),
            repetition: Pattern::edited(repetition::STRUCTURE, e.repetition),
            codes: Pattern::edited(codes::CODES, e.codes),
        }
    }
}

static V1_3_16: LazyLock<Cen> = LazyLock::new(|| Cen::build(CenVersion::V1_3_16));
static V1_3_15: LazyLock<Cen> = LazyLock::new(|| Cen::build(CenVersion::V1_3_15));

fn cen(v: CenVersion) -> &'static Cen {
    match v {
        CenVersion::V1_3_16 => &V1_3_16,
        CenVersion::V1_3_15 => &V1_3_15,
    }
}

/// Runs every EN 16931 rule of `version` on the document.
pub(crate) fn run(cx: &mut Cx<'_, '_>, version: CenVersion) {
    let c = cen(version);
    c.model.run(cx);
    syntax::run(cx, &c.syntax);
    c.repetition.run(cx);
    c.codes.run(cx);
}

/// The ids of every EN 16931 rule of `version` (unsorted, possibly repeated).
pub(crate) fn ids(version: CenVersion) -> impl Iterator<Item = &'static str> {
    let c = cen(version);
    c.model
        .ids()
        .chain(syntax::ids())
        .chain(c.repetition.ids())
        .chain(c.codes.ids())
}

#[cfg(test)]
mod tests {
    use crate::validate::ubl::{RuleSet, validate_with};

    #[test]
    fn a_calculation_finding_shows_the_amounts_and_its_term() {
        let xml = std::fs::read_to_string("testdata/pdf/ubl/2026-00017.xml").unwrap();
        let total = r#"<cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">479.20<"#;
        assert!(xml.contains(total));
        let bumped = xml.replacen(total, &total.replace("479.20", "1.00"), 1);
        let doc = crate::ubl::parse(bumped.as_bytes()).unwrap();
        let report = validate_with(&doc, &[RuleSet::En16931]);
        let f = report
            .findings
            .iter()
            .find(|f| f.rule == "BR-CO-10")
            .unwrap();
        assert_eq!(f.term, Some("BT-106"));
        let shown = f.value.as_deref().unwrap();
        assert_eq!(shown, "BT-106 = 1.00, Σ BT-131 = 479.20, Δ = -478.20");
    }
}
