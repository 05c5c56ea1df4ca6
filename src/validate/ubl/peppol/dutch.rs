//! The Netherlands' national rules in Peppol (`NL-R-*`): for a seller in the Netherlands, the
//! references, addresses, registration numbers and payment means Dutch receivers need.

use crate::ubl::{Node, Ns::Cac, Ns::Cbc};
use crate::validate::ubl::engine::context::{Rule, el, el_if, rel};
use crate::validate::ubl::engine::xpath::{exists, has_content, string};

use super::decimal::XDec;
use super::eval::{Ev, and, dec, is_credit_note, is_invoice, norm, or, shown};
use super::facts::facts;
use super::{fatal, held, m, matching};

/// `$supplierCountryIsNL`.
fn seller_nl(n: Node<'_>) -> bool {
    matching(facts(n, |f| f.supplier_nl))
}

/// `$supplierCountryIsNL and $customerCountryIsNL`.
fn both_nl(n: Node<'_>) -> bool {
    seller_nl(n) && matching(facts(n, |f| f.customer_nl))
}

/// `$supplierCountryIsNL and $taxRepresentativeCountryIsNL`.
fn representative_nl(n: Node<'_>) -> bool {
    seller_nl(n) && matching(facts(n, |f| f.tax_representative_nl))
}

/// `cbc:StreetName and cbc:CityName and cbc:PostalZone`.
fn street_city_postcode(n: Node<'_>) -> bool {
    ["StreetName", "CityName", "PostalZone"]
        .iter()
        .all(|e| n.child(Cbc, e).is_some())
}

/// `contains(concat(' ', string-join(@schemeID, ' '), ' '), ' 0106 ')` (or 0190), and the
/// number is not blank.
fn kvk_or_oin(n: Node<'_>) -> bool {
    let joined = format!(" {} ", n.attr("schemeID").unwrap_or_default());
    (joined.contains(" 0106 ") || joined.contains(" 0190 ")) && has_content(&string(n))
}

/// NL-R-007: a payment from buyer to seller names the means of payment.
fn payment_means(n: Node<'_>) -> Ev<bool> {
    let due =
        |holds: fn(XDec) -> bool| dec(n, &[(Cbc, "PayableAmount")]).map(|d| d.is_some_and(holds));
    or(
        or(and(Ok(is_invoice(n)), || due(|d| d <= XDec::ZERO)), || {
            and(Ok(is_credit_note(n)), || due(|d| d >= XDec::ZERO))
        }),
        || Ok(n.document().elements(Cac, "PaymentMeans").next().is_some()),
    )
}

pub(crate) static NETHERLANDS: &[Rule] = &[
    Rule {
        context: &[rel(&[el_if(Cbc, "CreditNoteTypeCode", seller_nl)])],
        asserts: &[fatal(
            "NL-R-001",
            |n| {
                exists(
                    n.document().root(),
                    &[
                        (Cac, "BillingReference"),
                        (Cac, "InvoiceDocumentReference"),
                        (Cbc, "ID"),
                    ],
                )
            },
            m(
                "A credit note from a Dutch seller must refer to the invoice it credits: add BillingReference/InvoiceDocumentReference/ID.",
                "Een creditnota van een Nederlandse verkoper moet verwijzen naar de factuur die ze crediteert: voeg BillingReference/InvoiceDocumentReference/ID toe.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el(Cac, "Party"),
            el_if(Cac, "PostalAddress", seller_nl),
        ])],
        asserts: &[fatal(
            "NL-R-002",
            street_city_postcode,
            m(
                "A Dutch seller's address must have street, city and postal code: add what is missing.",
                "Het adres van een Nederlandse verkoper moet straat, plaats en postcode hebben: voeg toe wat ontbreekt.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el(Cac, "Party"),
            el(Cac, "PartyLegalEntity"),
            el_if(Cbc, "CompanyID", seller_nl),
        ])],
        asserts: &[fatal(
            "NL-R-003",
            kvk_or_oin,
            m(
                "A Dutch seller's legal registration must be its KvK number (schemeID 0106) or OIN (schemeID 0190): give the number with that scheme.",
                "De inschrijving van een Nederlandse verkoper moet het KvK-nummer (schemeID 0106) of OIN (schemeID 0190) zijn: geef het nummer met dat schema.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingCustomerParty"),
            el(Cac, "Party"),
            el_if(Cac, "PostalAddress", both_nl),
        ])],
        asserts: &[fatal(
            "NL-R-004",
            street_city_postcode,
            m(
                "A Dutch buyer's address (with a Dutch seller) must have street, city and postal code: add what is missing.",
                "Het adres van een Nederlandse afnemer (bij een Nederlandse verkoper) moet straat, plaats en postcode hebben: voeg toe wat ontbreekt.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingCustomerParty"),
            el(Cac, "Party"),
            el(Cac, "PartyLegalEntity"),
            el_if(Cbc, "CompanyID", both_nl),
        ])],
        asserts: &[fatal(
            "NL-R-005",
            kvk_or_oin,
            m(
                "A Dutch buyer's legal registration (with a Dutch seller) must be its KvK number (schemeID 0106) or OIN (schemeID 0190): give the number with that scheme.",
                "De inschrijving van een Nederlandse afnemer (bij een Nederlandse verkoper) moet het KvK-nummer (schemeID 0106) of OIN (schemeID 0190) zijn: geef het nummer met dat schema.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "TaxRepresentativeParty"),
            el_if(Cac, "PostalAddress", representative_nl),
        ])],
        asserts: &[fatal(
            "NL-R-006",
            street_city_postcode,
            m(
                "A Dutch tax representative's address must have street, city and postal code: add what is missing.",
                "Het adres van een Nederlandse fiscaal vertegenwoordiger moet straat, plaats en postcode hebben: voeg toe wat ontbreekt.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el_if(Cac, "LegalMonetaryTotal", seller_nl)])],
        asserts: &[fatal(
            "NL-R-007",
            |n| held(payment_means(n)),
            m(
                "A Dutch seller must say how to pay when the buyer has something to pay: add a payment means (PaymentMeans).",
                "Een Nederlandse verkoper moet zeggen hoe er betaald wordt als de afnemer iets moet betalen: voeg een betaalwijze toe (PaymentMeans).",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el_if(Cac, "PaymentMeans", both_nl)])],
        asserts: &[fatal(
            "NL-R-008",
            |n| {
                held(
                    norm(n, &[(Cbc, "PaymentMeansCode")])
                        .map(|c| matches!(c.as_str(), "30" | "48" | "49" | "57" | "58" | "59")),
                )
            },
            m(
                "Between Dutch parties the payment means must be 30, 48, 49, 57, 58 or 59 (58 for a SEPA transfer): use one of those codes.",
                "Tussen Nederlandse partijen moet de betaalwijze 30, 48, 49, 57, 58 of 59 zijn (58 voor een SEPA-overschrijving): gebruik een van die codes.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "OrderLineReference"),
            el_if(Cbc, "LineID", seller_nl),
        ])],
        asserts: &[fatal(
            "NL-R-009",
            |n| exists(n.document().root(), &[(Cac, "OrderReference"), (Cbc, "ID")]),
            m(
                "A line refers to an order line, but the document names no order: add the order reference (OrderReference/ID).",
                "Een regel verwijst naar een orderregel, maar het document noemt geen order: voeg de orderreferentie toe (OrderReference/ID).",
            ),
        )],
    },
];

/// What a failed Dutch rule shows: the payment means code or the amount due it judged.
pub(crate) fn values(rule: &'static str, n: Node<'_>) -> Option<String> {
    match rule {
        "NL-R-007" => shown(n, &[(Cbc, "PayableAmount")]),
        "NL-R-008" => shown(n, &[(Cbc, "PaymentMeansCode")]),
        _ => None,
    }
}
