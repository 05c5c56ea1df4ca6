//! The versions of CEN's EN 16931 UBL rules factuur runs, and how they differ.
//!
//! The rule tables of this module's siblings are CEN 1.3.16. SI-UBL 2.0.3.12's official
//! validator carries its own copy of the CEN rules at version 1.3.15, so a complete SI-UBL
//! verdict needs 1.3.15: that version is the same tables with the edits listed here, not a copy
//! of them. `tests/tools/cen_versions.py` reads both official stylesheets and prints every
//! difference between them; `--check` compares its list with the ids named in this file.
//!
//! What 1.3.15 has otherwise:
//! - `UBL-model`: BR-CO-25 (a positive amount due needs a due date or payment terms) is still
//!   there, on invoices only; BR-B-02 looks for the standard rate in the breakdown under an id
//!   UBL's breakdown entry does not have; BR-CO-26 counts a SEPA creditor id as the seller's
//!   identifier.
//! - `UBL-syntax`: UBL-CR-674 looks for a scheme on an element UBL does not have
//!   (`cbc:PrimaryAccountNumber`); UBL-SR-23 counts VAT numbers under a `cac:Party` of the tax
//!   representative, which UBL does not have there; UBL-SR-56 (one tender or lot reference) is
//!   not there yet.
//! - `Codesmodel`: older code lists: 502 and 503 are invoice types, not credit note types
//!   (BR-CL-01); the currencies have ANG and BGN, not XCG (BR-CL-03, 04, 05); the ISO 6523 list
//!   ends at 0243 (its last code, 0244, has no space after it, so the rule never finds it;
//!   BR-CL-10, 11, 21, 26); the electronic address schemes lack 0242, 0245, 0246 and 0248
//!   (BR-CL-25). The lists are generated ([`crate::validate::codelists`]).

use crate::ubl::{Ns, Ns::Cac, Ns::Cbc};
use crate::validate::{Message, Severity};

use super::syntax::{Forbidden, Step as S};
use super::{codes, model, repetition, vat};
use crate::validate::ubl::engine::context::{Assert, Edit, INVOICE, Rule, el, rooted};

/// A version of CEN's EN 16931 UBL rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum CenVersion {
    /// 1.3.15, the copy inside SI-UBL 2.0.3.12's official validator.
    V1_3_15,
    /// 1.3.16, the current release, which the rule tables are written as.
    V1_3_16,
}

impl CenVersion {
    /// The version as the official rule sets write it.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            CenVersion::V1_3_15 => "1.3.15",
            CenVersion::V1_3_16 => "1.3.16",
        }
    }
}

/// What a version changes in each pattern of the 1.3.16 tables.
pub(crate) struct Edits {
    /// The `UBL-model` pattern ([`model::MODEL`]).
    pub model: &'static [Edit],
    /// The `UBL-syntax` rules on elements EN 16931 does not use: replaced rules, by id.
    pub forbidden: &'static [&'static Forbidden],
    /// The `UBL-syntax` rules on repetition and data types ([`repetition::STRUCTURE`]).
    pub repetition: &'static [Edit],
    /// The `Codesmodel` pattern ([`codes::CODES`]).
    pub codes: &'static [Edit],
}

/// The edits that make the 1.3.16 tables into `version`.
pub(crate) fn edits(version: CenVersion) -> &'static Edits {
    match version {
        CenVersion::V1_3_16 => &NONE,
        CenVersion::V1_3_15 => &V1_3_15,
    }
}

static NONE: Edits = Edits {
    model: &[],
    forbidden: &[],
    repetition: &[],
    codes: &[],
};

static V1_3_15: Edits = Edits {
    model: &[
        // Second in the pattern, as 1.3.15 has it.
        Edit::Insert {
            before: "BR-63",
            rule: &DUE_WHEN_POSITIVE,
        },
        Edit::Test("BR-B-02", vat::b02_1_3_15),
        Edit::Test("BR-CO-26", model::seller_identified_1_3_15),
    ],
    forbidden: &[&CARD_NUMBER_SCHEME_1_3_15],
    repetition: &[
        Edit::Test("UBL-SR-23", repetition::representative_vat_once_1_3_15),
        Edit::Drop("UBL-SR-56"),
    ],
    codes: &[
        Edit::Test("BR-CL-01", codes::type_code_1_3_15),
        Edit::Test("BR-CL-03", codes::amount_currency_1_3_15),
        Edit::Test("BR-CL-04", codes::currency_1_3_15),
        Edit::Test("BR-CL-05", codes::currency_1_3_15),
        Edit::Test("BR-CL-10", codes::party_scheme_1_3_15),
        Edit::Test("BR-CL-11", codes::icd_scheme_1_3_15),
        Edit::Test("BR-CL-21", codes::icd_scheme_1_3_15),
        Edit::Test("BR-CL-25", codes::endpoint_scheme_1_3_15),
        Edit::Test("BR-CL-26", codes::icd_scheme_1_3_15),
    ],
};

/// BR-CO-25 (CEN 1.3.15 only): on an invoice, a positive amount due needs a due date or
/// payment terms.
static DUE_WHEN_POSITIVE: Rule = Rule {
    context: &[rooted(&[
        INVOICE,
        el(Cac, "LegalMonetaryTotal"),
        el(Cbc, "PayableAmount"),
    ])],
    asserts: &[Assert {
        id: "BR-CO-25",
        severity: Severity::Fatal,
        test: model::due_when_positive,
        message: Message {
            en: "The amount due is positive, but the invoice does not say when it is to be paid: add the due date (cbc:DueDate) or payment terms (cac:PaymentTerms/cbc:Note).",
            nl: "Het te betalen bedrag is positief, maar de factuur zegt niet wanneer er betaald moet worden: voeg de vervaldatum (cbc:DueDate) of betalingsvoorwaarden (cac:PaymentTerms/cbc:Note) toe.",
        },
    }],
};

/// UBL-CR-674 as CEN 1.3.15 writes it: the scheme of a `cbc:PrimaryAccountNumber` anywhere.
static CARD_NUMBER_SCHEME_1_3_15: Forbidden = Forbidden {
    id: "UBL-CR-674",
    severity: Severity::Warning,
    what: "//cbc:PrimaryAccountNumber/@schemeID",
    paths: &[&[
        S::Desc(Ns::Cbc, "PrimaryAccountNumber"),
        S::Attr("schemeID"),
    ]],
};

#[cfg(test)]
mod tests {
    use crate::validate::ubl::{RuleSet, validate_with};

    /// The findings of one set on a document, as (rule, location).
    fn findings(xml: &str, set: RuleSet) -> Vec<(&'static str, String)> {
        let doc = crate::ubl::parse(xml.as_bytes()).expect("well-formed");
        let mut out: Vec<_> = validate_with(&doc, &[set])
            .findings
            .into_iter()
            .map(|f| (f.rule, f.location.path))
            .collect();
        out.sort();
        out
    }

    /// The values the findings of one set show.
    fn shown(xml: &str, set: RuleSet) -> Vec<Option<String>> {
        let doc = crate::ubl::parse(xml.as_bytes()).expect("well-formed");
        validate_with(&doc, &[set])
            .findings
            .into_iter()
            .map(|f| f.value)
            .collect()
    }

    fn sample() -> String {
        std::fs::read_to_string("testdata/pdf/ubl/2026-00017.xml").unwrap()
    }

    #[test]
    fn the_sample_is_clean_in_both_versions() {
        let xml = sample();
        assert_eq!(findings(&xml, RuleSet::En16931), []);
        assert_eq!(findings(&xml, RuleSet::Nlcius), []);
    }

    #[test]
    fn br_co_25_only_in_1_3_15() {
        let xml = sample()
            .replace("<cbc:DueDate>2026-03-05</cbc:DueDate>", "")
            .replace(
                "<cac:PaymentTerms>\n    <cbc:Note>Betaling binnen 30 dagen na factuurdatum</cbc:Note>\n  </cac:PaymentTerms>",
                "",
            );
        assert!(!xml.contains("DueDate") && !xml.contains("PaymentTerms"));
        assert_eq!(findings(&xml, RuleSet::En16931), []);
        assert_eq!(
            findings(&xml, RuleSet::Nlcius),
            [(
                "BR-CO-25",
                "/Invoice[1]/LegalMonetaryTotal[1]/PayableAmount[1]".to_owned()
            )]
        );
        assert_eq!(
            shown(&xml, RuleSet::Nlcius),
            [Some(
                "BT-115 = 576.73, BT-9 missing, BT-20 missing".to_owned()
            )]
        );
    }

    #[test]
    fn code_lists_of_each_version() {
        let xml = sample();
        // Bulgaria's lev: in 1.3.15's currency list, no longer in 1.3.16's.
        let lev = xml.replace(
            "<cbc:DocumentCurrencyCode>EUR<",
            "<cbc:DocumentCurrencyCode>BGN<",
        );
        assert!(
            findings(&lev, RuleSet::En16931)
                .contains(&("BR-CL-04", "/Invoice[1]/DocumentCurrencyCode[1]".to_owned()))
        );
        assert!(
            !findings(&lev, RuleSet::Nlcius)
                .iter()
                .any(|f| f.0 == "BR-CL-04")
        );
        // ISO 6523 0244: 1.3.15's list ends with it but without the space the rule looks for.
        let icd = xml.replace(
            r#"<cbc:CompanyID schemeID="0106">58070036"#,
            r#"<cbc:CompanyID schemeID="0244">58070036"#,
        );
        assert_ne!(icd, xml);
        assert!(
            !findings(&icd, RuleSet::En16931)
                .iter()
                .any(|f| f.0 == "BR-CL-11")
        );
        assert!(
            findings(&icd, RuleSet::Nlcius)
                .iter()
                .any(|f| f.0 == "BR-CL-11")
        );
    }

    #[test]
    fn rule_ids_of_each_version() {
        let en = crate::validate::ubl::rule_ids(RuleSet::En16931);
        let nl = crate::validate::ubl::rule_ids(RuleSet::Nlcius);
        assert!(en.contains(&"UBL-SR-56") && !nl.contains(&"UBL-SR-56"));
        assert!(!en.contains(&"BR-CO-25") && nl.contains(&"BR-CO-25"));
        assert!(nl.contains(&"BR-NL-1") && nl.contains(&"BR-01"));
    }
}
