//! Peppol's code-list rules (`PEPPOL-EN16931-CL*`), the type codes per profile
//! (`PEPPOL-EN16931-P01*`), the date format (`F001`) and the VAT category an exemption reason
//! code requires: the official set's last pattern. The lists are in [`super::lists`].

use crate::ubl::{Node, Ns::Cac, Ns::Cbc};
use crate::validate::ubl::engine::context::{Rule, el, el_if, rel};
use crate::validate::ubl::engine::xpath::{normalize, string};

use super::eval::{Ev, any_is, castable_date, length, norm, one, or};
use super::facts::{Profile, facts};
use super::lists;
use super::{fatal, held, m};

fn listed(list: &[&str], code: &str) -> bool {
    list.binary_search(&code).is_ok()
}

/// `normalize-space(text())`.
fn own(n: Node<'_>) -> String {
    normalize(n.text())
}

/// `not($profile = ('01', '02')) or normalize-space(text())` is one of `list`.
fn type_code(n: Node<'_>, list: &[&str]) -> Ev<bool> {
    let profile = facts(n, |f| f.profile);
    or(profile.map(|p| p == Profile::Unknown), || {
        Ok(listed(list, &own(n)))
    })
}

/// PEPPOL-EN16931-P0112: 326 and 384 only between a German seller and a German buyer.
fn german_only(n: Node<'_>) -> Ev<bool> {
    let code = normalize(&string(n));
    if code != "326" && code != "384" {
        return Ok(true);
    }
    facts(n, |f| f.german_both())
}

/// The exemption reason codes P0104–P0111 look for, with the VAT category each requires.
const EXEMPTIONS: [(&str, &str); 8] = [
    ("VATEX-EU-G", "G"),
    ("VATEX-EU-O", "O"),
    ("VATEX-EU-IC", "K"),
    ("VATEX-EU-AE", "AE"),
    ("VATEX-EU-D", "E"),
    ("VATEX-EU-F", "E"),
    ("VATEX-EU-I", "E"),
    ("VATEX-EU-J", "E"),
];

/// `cac:TaxCategory[upper-case(cbc:TaxExemptionReasonCode) = 'CODE']`: one code, upper-cased
/// as written; two make the context not match.
fn exempted<const K: usize>(n: Node<'_>) -> bool {
    match one(n.all(Cbc, "TaxExemptionReasonCode")) {
        Ok(Some(c)) => string(c).to_uppercase() == EXEMPTIONS[K].0,
        _ => false,
    }
}

/// `normalize-space(cbc:ID) = 'CATEGORY'`.
fn category<const K: usize>(n: Node<'_>) -> bool {
    held(norm(n, &[(Cbc, "ID")]).map(|c| c == EXEMPTIONS[K].1))
}

macro_rules! exemption {
    ($k:literal, $id:literal, $en:literal, $nl:literal) => {
        Rule {
            context: &[rel(&[el_if(Cac, "TaxCategory", exempted::<$k>)])],
            asserts: &[fatal($id, category::<$k>, m($en, $nl))],
        }
    };
}

const AMOUNT_NAMES: [&str; 13] = [
    "Amount",
    "BaseAmount",
    "PriceAmount",
    "TaxAmount",
    "TaxableAmount",
    "LineExtensionAmount",
    "TaxExclusiveAmount",
    "TaxInclusiveAmount",
    "AllowanceTotalAmount",
    "ChargeTotalAmount",
    "PrepaidAmount",
    "PayableRoundingAmount",
    "PayableAmount",
];

pub(crate) static CODES: &[Rule] = &[
    Rule {
        context: &[rel(&[el_if(Cbc, "EmbeddedDocumentBinaryObject", |n| {
            n.attr("mimeCode").is_some()
        })])],
        asserts: &[fatal(
            "PEPPOL-EN16931-CL001",
            |n| {
                n.attr("mimeCode")
                    .is_some_and(|c| listed(lists::MIME_CODES, c))
            },
            m(
                "Peppol accepts attachments as PDF, PNG, JPEG, CSV, Excel (xlsx) or OpenDocument spreadsheet only: convert the attachment to one of those and give its MIME type (mimeCode).",
                "Peppol neemt bijlagen alleen aan als PDF, PNG, JPEG, CSV, Excel (xlsx) of OpenDocument-rekenblad: zet de bijlage om naar een daarvan en geef het MIME-type (mimeCode).",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| {
                any_is(n, &[(Cbc, "ChargeIndicator")], "false")
            }),
            el(Cbc, "AllowanceChargeReasonCode"),
        ])],
        asserts: &[fatal(
            "PEPPOL-EN16931-CL002",
            |n| listed(lists::ALLOWANCE_REASONS, &own(n)),
            m(
                "This allowance reason code is not one of Peppol's (UNTDID 5189 subset, such as 95 for a discount): use a listed code, or give the reason as text only.",
                "Deze redencode voor een korting is geen Peppol-code (deel van UNTDID 5189, zoals 95 voor korting): gebruik een code uit de lijst, of geef de reden alleen als tekst.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| {
                any_is(n, &[(Cbc, "ChargeIndicator")], "true")
            }),
            el(Cbc, "AllowanceChargeReasonCode"),
        ])],
        asserts: &[fatal(
            "PEPPOL-EN16931-CL003",
            |n| listed(lists::CHARGE_REASONS, &own(n)),
            m(
                "This charge reason code is not a UNTDID 7161 code (such as FC for freight): use a listed code, or give the reason as text only.",
                "Deze redencode voor een toeslag is geen UNTDID 7161-code (zoals FC voor vracht): gebruik een code uit de lijst, of geef de reden alleen als tekst.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el(Cac, "InvoicePeriod"), el(Cbc, "DescriptionCode")])],
        asserts: &[fatal(
            "PEPPOL-EN16931-CL006",
            |n| listed(lists::PERIOD_CODES, &own(n)),
            m(
                "This invoice period code is not one Peppol allows (3, 35 or 432): use one of those, or leave it out.",
                "Deze code voor de factuurperiode is geen code die Peppol toestaat (3, 35 of 432): gebruik er een van, of laat ze weg.",
            ),
        )],
    },
    Rule {
        context: &[
            rel(&[el(Cbc, AMOUNT_NAMES[0])]),
            rel(&[el(Cbc, AMOUNT_NAMES[1])]),
            rel(&[el(Cbc, AMOUNT_NAMES[2])]),
            rel(&[el(Cbc, AMOUNT_NAMES[3])]),
            rel(&[el(Cbc, AMOUNT_NAMES[4])]),
            rel(&[el(Cbc, AMOUNT_NAMES[5])]),
            rel(&[el(Cbc, AMOUNT_NAMES[6])]),
            rel(&[el(Cbc, AMOUNT_NAMES[7])]),
            rel(&[el(Cbc, AMOUNT_NAMES[8])]),
            rel(&[el(Cbc, AMOUNT_NAMES[9])]),
            rel(&[el(Cbc, AMOUNT_NAMES[10])]),
            rel(&[el(Cbc, AMOUNT_NAMES[11])]),
            rel(&[el(Cbc, AMOUNT_NAMES[12])]),
        ],
        asserts: &[fatal(
            "PEPPOL-EN16931-CL007",
            |n| {
                n.attr("currencyID")
                    .is_some_and(|c| listed(lists::CURRENCIES, c))
            },
            m(
                "This amount has no currency, or one that is not an ISO 4217 code: give the three-letter code in currencyID, such as EUR.",
                "Dit bedrag heeft geen valuta, of een die geen ISO 4217-code is: geef de code van drie letters in currencyID, zoals EUR.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el(Cbc, "InvoiceTypeCode")])],
        asserts: &[
            fatal(
                "PEPPOL-EN16931-P0100",
                |n| held(type_code(n, lists::INVOICE_TYPES)),
                m(
                    "This invoice type code is not one the Peppol billing process allows: use 380 for an invoice (or another code of Peppol's list).",
                    "Deze factuursoort is geen code die het Peppol-factuurproces toestaat: gebruik 380 voor een factuur (of een andere code uit de Peppol-lijst).",
                ),
            ),
            fatal(
                "PEPPOL-EN16931-P0112",
                |n| held(german_only(n)),
                m(
                    "Invoice types 326 (partial invoice) and 384 (corrected invoice) are only for a German seller and a German buyer: use 380, or a credit note to correct an invoice.",
                    "Factuursoorten 326 (deelfactuur) en 384 (correctiefactuur) zijn alleen voor een Duitse verkoper en een Duitse afnemer: gebruik 380, of een creditnota om een factuur te corrigeren.",
                ),
            ),
        ],
    },
    Rule {
        context: &[rel(&[el(Cbc, "CreditNoteTypeCode")])],
        asserts: &[fatal(
            "PEPPOL-EN16931-P0101",
            |n| held(type_code(n, lists::CREDIT_NOTE_TYPES)),
            m(
                "This credit note type code is not one the Peppol billing process allows: use 381 for a credit note (or another code of Peppol's list).",
                "Deze soort creditnota is geen code die het Peppol-factuurproces toestaat: gebruik 381 voor een creditnota (of een andere code uit de Peppol-lijst).",
            ),
        )],
    },
    Rule {
        context: &[
            rel(&[el(Cbc, "IssueDate")]),
            rel(&[el(Cbc, "DueDate")]),
            rel(&[el(Cbc, "TaxPointDate")]),
            rel(&[el(Cbc, "StartDate")]),
            rel(&[el(Cbc, "EndDate")]),
            rel(&[el(Cbc, "ActualDeliveryDate")]),
        ],
        asserts: &[fatal(
            "PEPPOL-EN16931-F001",
            |n| length(n.text()) == 10 && castable_date(&string(n)),
            m(
                "This date is not written as YYYY-MM-DD (a date of ten characters, without a time zone or spaces): write it so, such as 2026-01-31.",
                "Deze datum is niet geschreven als JJJJ-MM-DD (tien tekens, zonder tijdzone of spaties): schrijf ze zo, zoals 2026-01-31.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el_if(Cbc, "EndpointID", |n| {
            n.attr("schemeID").is_some()
        })])],
        asserts: &[fatal(
            "PEPPOL-EN16931-CL008",
            |n| {
                n.attr("schemeID")
                    .is_some_and(|s| listed(lists::ELECTRONIC_ADDRESS_SCHEMES, s))
            },
            m(
                "The scheme of this electronic address is not in the Electronic Address Scheme list: use the scheme of the address, such as 0106 (KvK) or 0190 (OIN), as four digits.",
                "Het schema van dit elektronisch adres staat niet in de lijst van adresschema's (EAS): gebruik het schema van het adres, zoals 0106 (KvK) of 0190 (OIN), als vier cijfers.",
            ),
        )],
    },
    exemption!(
        0,
        "PEPPOL-EN16931-P0104",
        "Exemption reason VATEX-EU-G (export outside the EU) goes with VAT category G: set the category to G, or change the reason code.",
        "Vrijstellingsreden VATEX-EU-G (uitvoer buiten de EU) hoort bij btw-categorie G: zet de categorie op G, of wijzig de redencode."
    ),
    exemption!(
        1,
        "PEPPOL-EN16931-P0105",
        "Exemption reason VATEX-EU-O (not subject to VAT) goes with VAT category O: set the category to O, or change the reason code.",
        "Vrijstellingsreden VATEX-EU-O (niet onderworpen aan btw) hoort bij btw-categorie O: zet de categorie op O, of wijzig de redencode."
    ),
    exemption!(
        2,
        "PEPPOL-EN16931-P0106",
        "Exemption reason VATEX-EU-IC (intra-community supply) goes with VAT category K: set the category to K, or change the reason code.",
        "Vrijstellingsreden VATEX-EU-IC (intracommunautaire levering) hoort bij btw-categorie K: zet de categorie op K, of wijzig de redencode."
    ),
    exemption!(
        3,
        "PEPPOL-EN16931-P0107",
        "Exemption reason VATEX-EU-AE (reverse charge) goes with VAT category AE: set the category to AE, or change the reason code.",
        "Vrijstellingsreden VATEX-EU-AE (btw verlegd) hoort bij btw-categorie AE: zet de categorie op AE, of wijzig de redencode."
    ),
    exemption!(
        4,
        "PEPPOL-EN16931-P0108",
        "Exemption reason VATEX-EU-D goes with VAT category E (exempt): set the category to E, or change the reason code.",
        "Vrijstellingsreden VATEX-EU-D hoort bij btw-categorie E (vrijgesteld): zet de categorie op E, of wijzig de redencode."
    ),
    exemption!(
        5,
        "PEPPOL-EN16931-P0109",
        "Exemption reason VATEX-EU-F goes with VAT category E (exempt): set the category to E, or change the reason code.",
        "Vrijstellingsreden VATEX-EU-F hoort bij btw-categorie E (vrijgesteld): zet de categorie op E, of wijzig de redencode."
    ),
    exemption!(
        6,
        "PEPPOL-EN16931-P0110",
        "Exemption reason VATEX-EU-I goes with VAT category E (exempt): set the category to E, or change the reason code.",
        "Vrijstellingsreden VATEX-EU-I hoort bij btw-categorie E (vrijgesteld): zet de categorie op E, of wijzig de redencode."
    ),
    exemption!(
        7,
        "PEPPOL-EN16931-P0111",
        "Exemption reason VATEX-EU-J goes with VAT category E (exempt): set the category to E, or change the reason code.",
        "Vrijstellingsreden VATEX-EU-J hoort bij btw-categorie E (vrijgesteld): zet de categorie op E, of wijzig de redencode."
    ),
];

/// What a failed code-list rule shows: the attribute it judged, where that is not the node's own
/// text.
pub(crate) fn values(rule: &'static str, n: Node<'_>) -> Option<String> {
    let attr = |name: &str| Some(format!("{name} = {}", n.attr(name).unwrap_or("—")));
    match rule {
        "PEPPOL-EN16931-CL001" => attr("mimeCode"),
        "PEPPOL-EN16931-CL007" => attr("currencyID"),
        "PEPPOL-EN16931-CL008" => attr("schemeID"),
        r if r.starts_with("PEPPOL-EN16931-P01") && n.name() == "TaxCategory" => {
            let reason = n.child(Cbc, "TaxExemptionReasonCode").map(string)?;
            let id = n.child(Cbc, "ID").map(string).unwrap_or_default();
            Some(format!(
                "BT-121 = {}, BT-118 = {}",
                reason.trim(),
                id.trim()
            ))
        }
        _ => None,
    }
}
