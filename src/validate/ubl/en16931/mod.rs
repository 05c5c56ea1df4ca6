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
use crate::validate::Message;
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
            repetition: Pattern::edited(repetition::STRUCTURE, e.repetition)
                .with_values(repetition::values),
            codes: Pattern::edited(codes::CODES, e.codes).with_values(codes::values),
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

/// The id and message of every EN 16931 rule of `version`.
pub(crate) fn messages(version: CenVersion) -> impl Iterator<Item = (&'static str, Message)> {
    let c = cen(version);
    c.model
        .messages()
        .chain(syntax::messages())
        .chain(c.repetition.messages())
        .chain(c.codes.messages())
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

    /// The value each failed calculation rule shows, on the sample with one amount changed.
    fn shown(from: &str, to: &str) -> Vec<(&'static str, String)> {
        let xml = std::fs::read_to_string("testdata/pdf/ubl/2026-00017.xml").unwrap();
        assert_eq!(xml.matches(from).count(), 1, "{from}");
        let doc = crate::ubl::parse(xml.replace(from, to).as_bytes()).unwrap();
        let mut out: Vec<_> = validate_with(&doc, &[RuleSet::En16931])
            .findings
            .into_iter()
            .map(|f| (f.rule, f.value.unwrap_or_default()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn every_calculation_finding_shows_the_amounts_compared_and_the_difference() {
        let tag = |name: &str, v: &str| format!(r#"<cbc:{name} currencyID="EUR">{v}</cbc:{name}>"#);
        assert_eq!(
            shown(
                &tag("TaxExclusiveAmount", "479.20"),
                &tag("TaxExclusiveAmount", "480.00")
            ),
            [
                (
                    "BR-CO-13",
                    "BT-109 = 480.00, BT-106 = 479.20, Δ = 0.80".into()
                ),
                (
                    "BR-CO-15",
                    "BT-112 = 576.73, BT-109 + BT-110 = 577.53, Δ = -0.80".into()
                ),
            ]
        );
        assert_eq!(
            shown(
                &tag("PayableAmount", "576.73"),
                &tag("PayableAmount", "500.00")
            ),
            [(
                "BR-CO-16",
                "BT-115 = 500.00, BT-112 = 576.73, Δ = -76.73".into()
            )]
        );
        assert_eq!(
            shown(&tag("TaxAmount", "97.53"), &tag("TaxAmount", "90.00")),
            [
                (
                    "BR-CO-14",
                    "BT-110 = 90.00, Σ BT-117 = 97.53, Δ = -7.53".into()
                ),
                (
                    "BR-CO-15",
                    "BT-112 = 576.73, BT-109 + BT-110 = 569.20, Δ = 7.53".into()
                ),
            ]
        );
        let vat = shown(&tag("TaxAmount", "2.32"), &tag("TaxAmount", "5.00"));
        assert!(vat.contains(&(
            "BR-CO-17",
            "BT-117 = 5.00, BT-116 × BT-119 = 2.32, Δ = 2.68 (± 1)".into()
        )));
        assert!(vat.contains(&(
            "BR-S-09",
            "BT-117 = 5.00, BT-116 × BT-119 = 2.32, Δ = 2.68 (± 1)".into()
        )));
        let taxable = shown(
            &tag("TaxableAmount", "25.80"),
            &tag("TaxableAmount", "30.00"),
        );
        assert!(taxable.contains(&(
            "BR-S-08",
            "BT-116 = 30.00, Σ BT-131 + Σ BT-99 − Σ BT-92 (S 9 %) = 25.80, Δ = 4.20 (± 1)".into()
        )));
        assert!(
            shown(
                &tag("PayableAmount", "576.73"),
                &tag("PayableAmount", "576.733")
            )
            .contains(&("BR-DEC-18", "BT-115 = 576.733".into()))
        );
    }

    /// The (rule, value) of the findings on the sample with `from` replaced by `to`, in the
    /// given set.
    fn values(from: &str, to: &str, set: RuleSet) -> Vec<(&'static str, Option<String>)> {
        let xml = std::fs::read_to_string("testdata/pdf/ubl/2026-00017.xml").unwrap();
        assert_eq!(xml.matches(from).count(), 1, "{from}");
        let doc = crate::ubl::parse(xml.replace(from, to).as_bytes()).unwrap();
        validate_with(&doc, &[set])
            .findings
            .into_iter()
            .map(|f| (f.rule, f.value))
            .collect()
    }

    #[test]
    fn findings_show_the_code_the_count_or_the_element_at_issue() {
        let shows = |from: &str, to: &str, rule: &str, value: &str| {
            let found = values(from, to, RuleSet::En16931);
            assert!(
                found
                    .iter()
                    .any(|(r, v)| *r == rule && v.as_deref() == Some(value)),
                "{rule}: {found:?}"
            );
        };
        // A code in an attribute: the attribute's value, not the element's text.
        shows(
            "<cbc:InvoicedQuantity unitCode=\"HUR\">3.5<",
            "<cbc:InvoicedQuantity unitCode=\"UUR\">3.5<",
            "BR-CL-23",
            "@unitCode = \"UUR\"",
        );
        // A repeated element: how many there are.
        let terms = "  <cac:PaymentTerms>\n";
        shows(
            terms,
            "  <cac:PaymentTerms>\n    <cbc:Note>Binnen 30 dagen</cbc:Note>\n",
            "UBL-SR-05",
            "2 × cac:PaymentTerms/cbc:Note",
        );
        // An element EN 16931 has no place for, on a line: the path as this document has it.
        let line = "<cbc:ID>1</cbc:ID>\n    <cbc:InvoicedQuantity";
        shows(
            line,
            &line.replace(
                "<cbc:ID>1</cbc:ID>",
                "<cbc:ID>1</cbc:ID><cbc:UUID>x</cbc:UUID>",
            ),
            "UBL-CR-515",
            "cac:InvoiceLine/cbc:UUID",
        );
        // A hand-written syntax rule: the value it judged.
        shows(
            "<cbc:CustomizationID>",
            "<cbc:UBLVersionID>2.0</cbc:UBLVersionID><cbc:CustomizationID>",
            "UBL-CR-002",
            "cbc:UBLVersionID = \"2.0\"",
        );
        // An empty code: its element, shown empty.
        shows(
            "<cbc:DocumentCurrencyCode>EUR<",
            "<cbc:DocumentCurrencyCode><",
            "BR-CL-04",
            "cbc:DocumentCurrencyCode = \"\"",
        );
    }

    /// The findings of both sets on the sample with `from` replaced by `to`, as (rule, location,
    /// value) per set.
    fn both(from: &str, to: &str) -> [Vec<(&'static str, String, Option<String>)>; 2] {
        let xml = std::fs::read_to_string("testdata/pdf/ubl/2026-00017.xml").unwrap();
        assert_eq!(xml.matches(from).count(), 1, "{from}");
        let doc = crate::ubl::parse(xml.replace(from, to).as_bytes()).unwrap();
        [RuleSet::En16931, RuleSet::Nlcius].map(|set| {
            let mut out: Vec<_> = validate_with(&doc, &[set])
                .findings
                .into_iter()
                .map(|f| (f.rule, f.location.path, f.value))
                .collect();
            out.sort();
            out
        })
    }

    /// What the official tool (Saxon) does where a rule meets a value it cannot evaluate, found
    /// by running it on such documents, and what factuur reports for each.
    #[test]
    fn where_the_official_rules_cannot_evaluate_a_value() {
        let own = |rule: &'static str, at: &str, value: &str| {
            (rule, at.to_owned(), Some(value.to_owned()))
        };
        // Several values where one is needed: the official tool stops; factuur reports the
        // second value, fatal, in both sets.
        let name = "<cbc:RegistrationName>Installatiebedrijf De Vries B.V.</cbc:RegistrationName>";
        for set in both(
            name,
            &format!("{name}{}", name.replace("De Vries", "Jansen")),
        ) {
            // (with what factuur can judge: the syntax rule on repeated names)
            assert_eq!(
                set,
                [
                    own(
                        "FX-RULES-MANY",
                        "/Invoice[1]/AccountingSupplierParty[1]/Party[1]/PartyLegalEntity[1]/RegistrationName[2]",
                        "cbc:RegistrationName = \"Installatiebedrijf Jansen B.V.\""
                    ),
                    (
                        "UBL-SR-09",
                        "/Invoice[1]".to_owned(),
                        Some(
                            "2 × cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName"
                                .to_owned()
                        )
                    ),
                ]
            );
        }
        // An empty line amount: the official tool stops in BR-CO-10's sum (SI-UBL warns about
        // the empty element besides).
        let line = r#"<cbc:LineExtensionAmount currencyID="EUR">218.75<"#;
        let number = own(
            "FX-RULES-NUMBER",
            "/Invoice[1]/InvoiceLine[1]/LineExtensionAmount[1]",
            "cbc:LineExtensionAmount = \"\"",
        );
        let [en, nl] = both(line, &line.replace("218.75", ""));
        assert_eq!(en, std::slice::from_ref(&number));
        assert!(nl.contains(&number), "{nl:?}");
        // ... but without the stated sum, XPath compares nothing with the sum and never reads
        // the lines: the official tool reports BR-CO-10 as failed (on this document, where no
        // other rule reads the line amount either).
        let xml = r#"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"><cac:LegalMonetaryTotal/><cac:InvoiceLine><cbc:LineExtensionAmount>abc</cbc:LineExtensionAmount></cac:InvoiceLine></Invoice>"#;
        let doc = crate::ubl::parse(xml.as_bytes()).unwrap();
        let rules: Vec<_> = validate_with(&doc, &[RuleSet::En16931])
            .findings
            .into_iter()
            .map(|f| f.rule)
            .collect();
        assert!(
            rules.contains(&"BR-CO-10") && !rules.iter().any(|r| r.starts_with("FX-")),
            "{rules:?}"
        );
        // A date that does not exist: the official tool stops on BR-29's xs:date.
        let start = "<cbc:StartDate>2026-01-01</cbc:StartDate>";
        for set in both(start, "<cbc:StartDate>2026-02-30</cbc:StartDate>") {
            assert_eq!(
                set,
                [own(
                    "FX-RULES-DATE",
                    "/Invoice[1]/InvoicePeriod[1]/StartDate[1]",
                    "cbc:StartDate = \"2026-02-30\""
                )]
            );
        }
        // NaN as a price: the official tool compares NaN as above every number, so BR-27
        // (price not negative) holds.
        let price = r#"<cbc:PriceAmount currencyID="EUR">62.50<"#;
        for set in both(price, &price.replace("62.50", "NaN")) {
            assert!(set.iter().all(|f| f.0 != "BR-27"), "{set:?}");
        }
        // Two seller countries: the SI-UBL rules read the seller's country inside their
        // contexts, where the official tool takes an error as "does not apply": the Dutch
        // rules are left out, and the CEN rules stop (BR-09 needs one country).
        let country = "<cbc:IdentificationCode>NL</cbc:IdentificationCode>\n        </cac:Country>\n      </cac:PostalAddress>\n      <cac:PartyTaxScheme>\n        <cbc:CompanyID>NL853746382B01";
        let [en, nl] = both(country, &country.replacen(
            "<cbc:IdentificationCode>NL</cbc:IdentificationCode>",
            "<cbc:IdentificationCode>NL</cbc:IdentificationCode><cbc:IdentificationCode>BE</cbc:IdentificationCode>",
            1,
        ));
        assert_eq!(en, nl);
        assert!(en.iter().all(|f| f.0 == "FX-RULES-MANY"), "{en:?}");
    }
}
