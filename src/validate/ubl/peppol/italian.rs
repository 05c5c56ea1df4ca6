//! Italy's national rules (`IT-R-*`): an Italian seller's tax registration and address.

use crate::ubl::{Node, Ns::Cac, Ns::Cbc};
use crate::validate::ubl::engine::context::{Rule, el, el_if, rel};
use crate::validate::ubl::engine::xpath::exists;

use super::eval::{norm, shown};
use super::facts::facts;
use super::{fatal, held, m, matching};

/// `$supplierCountry = 'IT'`.
fn italian(n: Node<'_>) -> bool {
    matching(facts(n, |f| f.supplier_country.clone()).map(|c| c == "IT"))
}

/// `cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID) != 'VAT']`.
fn not_vat(n: Node<'_>) -> bool {
    matching(norm(n, &[(Cac, "TaxScheme"), (Cbc, "ID")]).map(|s| s != "VAT"))
}

/// `^[A-Z0-9]{11,16}$`.
fn codice(s: &str) -> bool {
    (11..=16).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

pub(crate) static ITALY: &[Rule] = &[
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el_if(Cac, "Party", italian),
            el_if(Cac, "PartyTaxScheme", not_vat),
        ])],
        asserts: &[fatal(
            "IT-R-001",
            |n| held(norm(n, &[(Cbc, "CompanyID")]).map(|c| codice(&c))),
            m(
                "An Italian seller's tax registration other than VAT (codice fiscale) must be 11 to 16 capital letters or digits: correct it.",
                "De fiscale registratie van een Italiaanse verkoper naast de btw (codice fiscale) moet 11 tot 16 hoofdletters of cijfers zijn: corrigeer ze.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el_if(Cac, "Party", italian),
        ])],
        asserts: &[
            fatal(
                "IT-R-002",
                |n| exists(n, &[(Cac, "PostalAddress"), (Cbc, "StreetName")]),
                m(
                    "An Italian seller's address must have its street: add it.",
                    "Het adres van een Italiaanse verkoper moet de straat hebben: voeg die toe.",
                ),
            ),
            fatal(
                "IT-R-003",
                |n| exists(n, &[(Cac, "PostalAddress"), (Cbc, "CityName")]),
                m(
                    "An Italian seller's address must have its city: add it.",
                    "Het adres van een Italiaanse verkoper moet de plaats hebben: voeg die toe.",
                ),
            ),
            fatal(
                "IT-R-004",
                |n| exists(n, &[(Cac, "PostalAddress"), (Cbc, "PostalZone")]),
                m(
                    "An Italian seller's address must have its postal code (CAP): add it.",
                    "Het adres van een Italiaanse verkoper moet de postcode (CAP) hebben: voeg die toe.",
                ),
            ),
        ],
    },
];

/// What a failed Italian rule shows: the tax registration it judged.
pub(crate) fn values(rule: &'static str, n: Node<'_>) -> Option<String> {
    match rule {
        "IT-R-001" => shown(n, &[(Cbc, "CompanyID")]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn codice_format() {
        assert!(super::codice("RSSMRA85T10A562S"));
        assert!(super::codice("12345678901"));
        assert!(!super::codice("1234567890"));
        assert!(!super::codice("rssmra85t10a562s"));
        assert!(!super::codice("RSSMRA85T10A562S1"));
    }
}
