//! EN 16931's rules on UBL (CEN's UBL binding, version 1.3.16): the business rules of the
//! `UBL-model` pattern ([`model`], with the rules per VAT category in [`vat`]), the code lists of
//! the `Codesmodel` pattern ([`codes`]), and the syntax binding of the `UBL-syntax` pattern
//! (elements EN 16931 has no place for in [`syntax`] and [`forbidden`], repetition and data
//! types in [`repetition`]).

pub(crate) mod codes;
pub(crate) mod forbidden;
pub(crate) mod model;
pub(crate) mod repetition;
pub(crate) mod syntax;
pub(crate) mod vat;

use std::sync::LazyLock;

use super::Cx;
use super::engine::context::Pattern;

/// The `UBL-model` pattern, indexed once.
static MODEL: LazyLock<Pattern> =
    LazyLock::new(|| Pattern::new(model::MODEL).with_values(model::values));

/// The `UBL-syntax` pattern's rules on repetition and data types, indexed once.
static REPETITION: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(repetition::STRUCTURE));

/// The `Codesmodel` pattern, indexed once.
static CODES: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(codes::CODES));

/// Runs every EN 16931 rule on the document.
pub(crate) fn run(cx: &mut Cx<'_, '_>) {
    MODEL.run(cx);
    syntax::run(cx);
    REPETITION.run(cx);
    CODES.run(cx);
}

/// The ids of every EN 16931 rule (unsorted, possibly repeated).
pub(crate) fn ids() -> impl Iterator<Item = &'static str> {
    MODEL
        .ids()
        .chain(syntax::ids())
        .chain(REPETITION.ids())
        .chain(CODES.ids())
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
