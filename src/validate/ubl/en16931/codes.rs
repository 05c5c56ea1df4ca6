//! EN 16931's code-list rules on UBL (the `Codesmodel` pattern of the official CEN rule set,
//! version 1.3.16): every code a document uses is checked against its list
//! ([`crate::validate::codelists`]).
//!
//! A code passes when, with XML whitespace trimmed and collapsed, it is a single code of the
//! list, as the official `contains(' … ', concat(' ', normalize-space(.), ' '))` tests say.

use crate::ubl::{Node, Ns::Cac, Ns::Cbc};
use crate::validate::codelists::{
    self, ALLOWANCE_REASONS, CHARGE_REASONS, COUNTRIES, CREDIT_NOTE_TYPES, CURRENCIES,
    ELECTRONIC_ADDRESS_SCHEMES, EXEMPTION_REASONS, ICD, INVOICE_TYPES, ITEM_CLASSIFICATIONS,
    PAYMENT_MEANS, PERIOD_CODES, REFERENCE_SCHEMES, TAX_CATEGORIES, UNITS,
};
use crate::validate::{Message, Severity};

use crate::validate::ubl::engine::context::{Assert, Rule, el, el_if, rel};
use crate::validate::ubl::engine::xpath::{charge_indicator_is, normalize, string, trim};

/// Whether `value` is, trimmed and collapsed, one code of `list` (sorted).
pub(crate) fn in_list(value: &str, list: &[&str]) -> bool {
    // A single code has no whitespace once trimmed; codes never contain any.
    let v = trim(value);
    !v.contains([' ', '\t', '\r', '\n']) && list.binary_search(&v).is_ok()
}

/// Whether `value` is one code of `list` as CEN 1.3.15 has it: the 1.3.16 list with `changes`.
fn in_list_1_3_15(value: &str, list: &[&str], changes: &codelists::Changes) -> bool {
    let v = trim(value);
    !v.contains([' ', '\t', '\r', '\n'])
        && ((list.binary_search(&v).is_ok() && !changes.removed.contains(&v))
            || changes.added.contains(&v))
}

/// What a failed code-list rule shows where the code is an attribute (the currency of an
/// amount, a scheme, a unit): the attribute and its value. Codes written as the element's text
/// show as that text.
pub(crate) fn values(id: &'static str, n: Node<'_>) -> Option<String> {
    let attr = match id {
        "BR-CL-03" => "currencyID",
        "BR-CL-07" | "BR-CL-10" | "BR-CL-11" | "BR-CL-21" | "BR-CL-25" | "BR-CL-26" => "schemeID",
        "BR-CL-13" => "listID",
        "BR-CL-23" => "unitCode",
        "BR-CL-24" => "mimeCode",
        _ => return None,
    };
    Some(match n.attr(attr) {
        Some(v) => crate::validate::ubl::shown(&format!("@{attr}"), v),
        None => format!("@{attr} missing"),
    })
}

/// The element's value is in the list.
fn value_in(n: Node<'_>, list: &[&str]) -> bool {
    in_list(&string(n), list)
}

/// The attribute's value is in the list (a missing attribute is not).
fn attr_in(n: Node<'_>, attr: &str, list: &[&str]) -> bool {
    in_list(n.attr(attr).unwrap_or(""), list)
}

fn has_scheme_id(n: Node<'_>) -> bool {
    n.attr("schemeID").is_some()
}

/// `[cbc:DocumentTypeCode = '130']`: a reference to an invoiced object.
fn invoiced_object(n: Node<'_>) -> bool {
    n.all(Cbc, "DocumentTypeCode").any(|c| string(c) == "130")
}

/// BR-CL-01: the type code list depends on the element: invoice or credit note.
fn type_code(n: Node<'_>) -> bool {
    match n.name() {
        "InvoiceTypeCode" => value_in(n, INVOICE_TYPES),
        _ => value_in(n, CREDIT_NOTE_TYPES),
    }
}

// ---- The lists as CEN 1.3.15 has them (see `super::version`) ----

/// BR-CL-01 in CEN 1.3.15: 502 and 503 are invoice types there, not credit note types.
pub(crate) fn type_code_1_3_15(n: Node<'_>) -> bool {
    let v = string(n);
    match n.name() {
        "InvoiceTypeCode" => in_list_1_3_15(&v, INVOICE_TYPES, &codelists::INVOICE_TYPES_1_3_15),
        _ => in_list_1_3_15(&v, CREDIT_NOTE_TYPES, &codelists::CREDIT_NOTE_TYPES_1_3_15),
    }
}

/// BR-CL-03 in CEN 1.3.15: an amount's currency, in that version's currency list.
pub(crate) fn amount_currency_1_3_15(n: Node<'_>) -> bool {
    in_list_1_3_15(
        n.attr("currencyID").unwrap_or(""),
        CURRENCIES,
        &codelists::CURRENCIES_1_3_15,
    )
}

/// BR-CL-04 and 05 in CEN 1.3.15: a currency code, in that version's list.
pub(crate) fn currency_1_3_15(n: Node<'_>) -> bool {
    in_list_1_3_15(&string(n), CURRENCIES, &codelists::CURRENCIES_1_3_15)
}

/// BR-CL-10 in CEN 1.3.15: [`party_scheme`] with that version's ISO 6523 list.
pub(crate) fn party_scheme_1_3_15(n: Node<'_>) -> bool {
    party_scheme_in(n, |s| in_list_1_3_15(s, ICD, &codelists::ICD_1_3_15))
}

/// BR-CL-11, 21 and 26 in CEN 1.3.15: the scheme, in that version's ISO 6523 list.
pub(crate) fn icd_scheme_1_3_15(n: Node<'_>) -> bool {
    in_list_1_3_15(
        n.attr("schemeID").unwrap_or(""),
        ICD,
        &codelists::ICD_1_3_15,
    )
}

/// BR-CL-25 in CEN 1.3.15: the electronic address scheme, in that version's list.
pub(crate) fn endpoint_scheme_1_3_15(n: Node<'_>) -> bool {
    in_list_1_3_15(
        n.attr("schemeID").unwrap_or(""),
        ELECTRONIC_ADDRESS_SCHEMES,
        &codelists::ELECTRONIC_ADDRESS_SCHEMES_1_3_15,
    )
}

/// BR-CL-10: an ISO 6523 scheme, or SEPA for a creditor id of the seller or the payee.
fn party_scheme(n: Node<'_>) -> bool {
    party_scheme_in(n, |s| in_list(s, ICD))
}

/// BR-CL-10 with the ISO 6523 list of a version.
fn party_scheme_in(n: Node<'_>, icd: impl Fn(&str) -> bool) -> bool {
    let scheme = n.attr("schemeID").unwrap_or("");
    if icd(scheme) {
        return true;
    }
    let sepa = normalize(scheme) == "SEPA";
    let mut up = n.parent();
    while let Some(a) = up {
        if a.ns() == Cac && matches!(a.name(), "AccountingSupplierParty" | "PayeeParty") {
            return sepa;
        }
        up = a.parent();
    }
    false
}

/// BR-CL-22: the code, upper-cased, is a VATEX code.
fn exemption_code(n: Node<'_>) -> bool {
    // Upper-casing neither adds nor removes whitespace, so it may come first.
    in_list(&string(n).to_uppercase(), EXEMPTION_REASONS)
}

/// BR-CL-24: the attachment's MIME type, compared as written.
fn attachment_type(n: Node<'_>) -> bool {
    matches!(
        n.attr("mimeCode"),
        Some(
            "application/pdf"
                | "image/png"
                | "image/jpeg"
                | "text/csv"
                | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                | "application/vnd.oasis.opendocument.spreadsheet"
        )
    )
}

pub(crate) static CODES: &[Rule] = &[
    Rule {
        context: &[
            rel(&[el(Cbc, "InvoiceTypeCode")]),
            rel(&[el(Cbc, "CreditNoteTypeCode")]),
        ],
        asserts: &[Assert {
            id: "BR-CL-01",
            severity: Severity::Fatal,
            test: type_code,
            message: Message {
                en: "The document type code is not one EN 16931 allows for this kind of document: use a UNTDID 1001 code of the list, such as 380 (invoice) in an Invoice or 381 (credit note) in a CreditNote.",
                nl: "De documentsoort is geen code die EN 16931 voor dit soort document toestaat: gebruik een UNTDID 1001-code uit de lijst, bijvoorbeeld 380 (factuur) in een Invoice of 381 (creditnota) in een CreditNote.",
            },
        }],
    },
    Rule {
        context: &[
            rel(&[el(Cbc, "Amount")]),
            rel(&[el(Cbc, "BaseAmount")]),
            rel(&[el(Cbc, "PriceAmount")]),
            rel(&[el(Cbc, "TaxAmount")]),
            rel(&[el(Cbc, "TaxableAmount")]),
            rel(&[el(Cbc, "LineExtensionAmount")]),
            rel(&[el(Cbc, "TaxExclusiveAmount")]),
            rel(&[el(Cbc, "TaxInclusiveAmount")]),
            rel(&[el(Cbc, "AllowanceTotalAmount")]),
            rel(&[el(Cbc, "ChargeTotalAmount")]),
            rel(&[el(Cbc, "PrepaidAmount")]),
            rel(&[el(Cbc, "PayableRoundingAmount")]),
            rel(&[el(Cbc, "PayableAmount")]),
        ],
        asserts: &[Assert {
            id: "BR-CL-03",
            severity: Severity::Fatal,
            test: |n| attr_in(n, "currencyID", CURRENCIES),
            message: Message {
                en: "The currency of this amount is not an ISO 4217 code: set its attribute currencyID to the three-letter code, such as EUR.",
                nl: "De valuta van dit bedrag is geen ISO 4217-code: zet het attribuut currencyID op de code van drie letters, bijvoorbeeld EUR.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cbc, "DocumentCurrencyCode")])],
        asserts: &[Assert {
            id: "BR-CL-04",
            severity: Severity::Fatal,
            test: |n| value_in(n, CURRENCIES),
            message: Message {
                en: "The document currency is not an ISO 4217 code: write cbc:DocumentCurrencyCode as the three-letter code, such as EUR.",
                nl: "De documentvaluta is geen ISO 4217-code: schrijf cbc:DocumentCurrencyCode als de code van drie letters, bijvoorbeeld EUR.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cbc, "TaxCurrencyCode")])],
        asserts: &[Assert {
            id: "BR-CL-05",
            severity: Severity::Fatal,
            test: |n| value_in(n, CURRENCIES),
            message: Message {
                en: "The VAT accounting currency is not an ISO 4217 code: write cbc:TaxCurrencyCode as the three-letter code, such as EUR.",
                nl: "De btw-valuta is geen ISO 4217-code: schrijf cbc:TaxCurrencyCode als de code van drie letters, bijvoorbeeld EUR.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cac, "InvoicePeriod"), el(Cbc, "DescriptionCode")])],
        asserts: &[Assert {
            id: "BR-CL-06",
            severity: Severity::Fatal,
            test: |n| value_in(n, PERIOD_CODES),
            message: Message {
                en: "The VAT point date code is not one EN 16931 allows: use 3 (invoice date), 35 (delivery date) or 432 (payment date) in cac:InvoicePeriod/cbc:DescriptionCode.",
                nl: "De code voor het btw-moment is geen code die EN 16931 toestaat: gebruik 3 (factuurdatum), 35 (leverdatum) of 432 (betaaldatum) in cac:InvoicePeriod/cbc:DescriptionCode.",
            },
        }],
    },
    Rule {
        context: &[
            rel(&[
                el_if(Cac, "AdditionalDocumentReference", invoiced_object),
                el_if(Cbc, "ID", has_scheme_id),
            ]),
            rel(&[
                el_if(Cac, "DocumentReference", invoiced_object),
                el_if(Cbc, "ID", has_scheme_id),
            ]),
        ],
        asserts: &[Assert {
            id: "BR-CL-07",
            severity: Severity::Fatal,
            test: |n| attr_in(n, "schemeID", REFERENCE_SCHEMES),
            message: Message {
                en: "The scheme of the invoiced object identifier is not a UNTDID 1153 code: set the attribute schemeID to a code of that list, or leave it out.",
                nl: "Het schema van het kenmerk van het gefactureerde object is geen UNTDID 1153-code: zet het attribuut schemeID op een code uit die lijst, of laat het weg.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "PartyIdentification"),
            el_if(Cbc, "ID", has_scheme_id),
        ])],
        asserts: &[Assert {
            id: "BR-CL-10",
            severity: Severity::Fatal,
            test: party_scheme,
            message: Message {
                en: "The scheme of this party identifier is not an ISO 6523 code: set the attribute schemeID to a code of that list, such as 0106 (KvK) or 0190 (OIN); SEPA is allowed only for the creditor identifier of the seller or the payee.",
                nl: "Het schema van dit partijkenmerk is geen ISO 6523-code: zet het attribuut schemeID op een code uit die lijst, bijvoorbeeld 0106 (KvK) of 0190 (OIN); SEPA mag alleen bij het incassant-ID van de verkoper of de begunstigde.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "PartyLegalEntity"),
            el_if(Cbc, "CompanyID", has_scheme_id),
        ])],
        asserts: &[Assert {
            id: "BR-CL-11",
            severity: Severity::Fatal,
            test: |n| attr_in(n, "schemeID", ICD),
            message: Message {
                en: "The scheme of this legal registration number is not an ISO 6523 code: set the attribute schemeID to a code of that list, such as 0106 for a KvK number, or leave it out.",
                nl: "Het schema van dit inschrijvingsnummer is geen ISO 6523-code: zet het attribuut schemeID op een code uit die lijst, bijvoorbeeld 0106 voor een KvK-nummer, of laat het weg.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "CommodityClassification"),
            el_if(Cbc, "ItemClassificationCode", |n| {
                n.attr("listID").is_some()
            }),
        ])],
        asserts: &[Assert {
            id: "BR-CL-13",
            severity: Severity::Fatal,
            test: |n| attr_in(n, "listID", ITEM_CLASSIFICATIONS),
            message: Message {
                en: "The scheme of this item classification is not a UNTDID 7143 code: set the attribute listID to a code of that list, such as TST for UNSPSC.",
                nl: "Het schema van deze artikelclassificatie is geen UNTDID 7143-code: zet het attribuut listID op een code uit die lijst, bijvoorbeeld TST voor UNSPSC.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cac, "Country"), el(Cbc, "IdentificationCode")])],
        asserts: &[Assert {
            id: "BR-CL-14",
            severity: Severity::Fatal,
            test: |n| value_in(n, COUNTRIES),
            message: Message {
                en: "This country code is not an ISO 3166-1 code: write the two-letter code in capitals, such as NL, BE or DE.",
                nl: "Deze landcode is geen ISO 3166-1-code: schrijf de code van twee letters in hoofdletters, bijvoorbeeld NL, BE of DE.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "OriginCountry"),
            el(Cbc, "IdentificationCode"),
        ])],
        asserts: &[Assert {
            id: "BR-CL-15",
            severity: Severity::Fatal,
            test: |n| value_in(n, COUNTRIES),
            message: Message {
                en: "The item's country of origin is not an ISO 3166-1 code: write the two-letter code in capitals in cac:OriginCountry/cbc:IdentificationCode, such as NL.",
                nl: "Het land van herkomst van het artikel is geen ISO 3166-1-code: schrijf de code van twee letters in hoofdletters in cac:OriginCountry/cbc:IdentificationCode, bijvoorbeeld NL.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cac, "PaymentMeans"), el(Cbc, "PaymentMeansCode")])],
        asserts: &[Assert {
            id: "BR-CL-16",
            severity: Severity::Fatal,
            test: |n| value_in(n, PAYMENT_MEANS),
            message: Message {
                en: "This payment means code is not a UNTDID 4461 code: use a code of that list, such as 30 (credit transfer), 49 (direct debit) or 58 (SEPA credit transfer).",
                nl: "Deze betaalwijzecode is geen UNTDID 4461-code: gebruik een code uit die lijst, bijvoorbeeld 30 (overschrijving), 49 (incasso) of 58 (SEPA-overschrijving).",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cac, "TaxCategory"), el(Cbc, "ID")])],
        asserts: &[Assert {
            id: "BR-CL-17",
            severity: Severity::Fatal,
            test: |n| value_in(n, TAX_CATEGORIES),
            message: Message {
                en: "This VAT category code is not one EN 16931 knows: use S, Z, E, AE, K, G, O, L, M or B in cac:TaxCategory/cbc:ID.",
                nl: "Deze btw-categorie is geen code die EN 16931 kent: gebruik S, Z, E, AE, K, G, O, L, M of B in cac:TaxCategory/cbc:ID.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cac, "ClassifiedTaxCategory"), el(Cbc, "ID")])],
        asserts: &[Assert {
            id: "BR-CL-18",
            severity: Severity::Fatal,
            test: |n| value_in(n, TAX_CATEGORIES),
            message: Message {
                en: "The VAT category code of this line is not one EN 16931 knows: use S, Z, E, AE, K, G, O, L, M or B in cac:ClassifiedTaxCategory/cbc:ID.",
                nl: "De btw-categorie van deze regel is geen code die EN 16931 kent: gebruik S, Z, E, AE, K, G, O, L, M of B in cac:ClassifiedTaxCategory/cbc:ID.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, false)),
            el(Cbc, "AllowanceChargeReasonCode"),
        ])],
        asserts: &[Assert {
            id: "BR-CL-19",
            severity: Severity::Fatal,
            test: |n| value_in(n, ALLOWANCE_REASONS),
            message: Message {
                en: "This allowance reason code is not one of the UNTDID 5189 codes EN 16931 allows: use a listed code, such as 95 (discount), or give the reason as text in cbc:AllowanceChargeReason only.",
                nl: "Deze redencode voor een korting is geen van de UNTDID 5189-codes die EN 16931 toestaat: gebruik een code uit de lijst, bijvoorbeeld 95 (korting), of geef de reden alleen als tekst in cbc:AllowanceChargeReason.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, true)),
            el(Cbc, "AllowanceChargeReasonCode"),
        ])],
        asserts: &[Assert {
            id: "BR-CL-20",
            severity: Severity::Fatal,
            test: |n| value_in(n, CHARGE_REASONS),
            message: Message {
                en: "This charge reason code is not a UNTDID 7161 code: use a listed code, such as FC (freight) or ABL (packaging), or give the reason as text in cbc:AllowanceChargeReason only.",
                nl: "Deze redencode voor een toeslag is geen UNTDID 7161-code: gebruik een code uit de lijst, bijvoorbeeld FC (vracht) of ABL (verpakking), of geef de reden alleen als tekst in cbc:AllowanceChargeReason.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "StandardItemIdentification"),
            el_if(Cbc, "ID", has_scheme_id),
        ])],
        asserts: &[Assert {
            id: "BR-CL-21",
            severity: Severity::Fatal,
            test: |n| attr_in(n, "schemeID", ICD),
            message: Message {
                en: "The scheme of this standard item identifier is not an ISO 6523 code: set the attribute schemeID to a code of that list, such as 0160 for a GTIN.",
                nl: "Het schema van dit standaardartikelnummer is geen ISO 6523-code: zet het attribuut schemeID op een code uit die lijst, bijvoorbeeld 0160 voor een GTIN.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cbc, "TaxExemptionReasonCode")])],
        asserts: &[Assert {
            id: "BR-CL-22",
            severity: Severity::Fatal,
            test: exemption_code,
            message: Message {
                en: "This VAT exemption reason code is not a VATEX code: use a code of the VATEX list, such as VATEX-EU-AE for reverse charge, or give the reason as text in cbc:TaxExemptionReason only.",
                nl: "Deze code voor de vrijstellingsreden is geen VATEX-code: gebruik een code uit de VATEX-lijst, bijvoorbeeld VATEX-EU-AE voor btw verlegd, of geef de reden alleen als tekst in cbc:TaxExemptionReason.",
            },
        }],
    },
    Rule {
        context: &[
            rel(&[el_if(Cbc, "InvoicedQuantity", |n| {
                n.attr("unitCode").is_some()
            })]),
            rel(&[el_if(Cbc, "BaseQuantity", |n| n.attr("unitCode").is_some())]),
            rel(&[el_if(Cbc, "CreditedQuantity", |n| {
                n.attr("unitCode").is_some()
            })]),
        ],
        asserts: &[Assert {
            id: "BR-CL-23",
            severity: Severity::Fatal,
            test: |n| attr_in(n, "unitCode", UNITS),
            message: Message {
                en: "This unit of measure is not a UN/ECE Recommendation 20 or 21 code: set the attribute unitCode to a code of those lists, such as C62 (piece), HUR (hour) or KGM (kilogram).",
                nl: "Deze eenheid is geen code uit UN/ECE-aanbeveling 20 of 21: zet het attribuut unitCode op een code uit die lijsten, bijvoorbeeld C62 (stuk), HUR (uur) of KGM (kilogram).",
            },
        }],
    },
    Rule {
        context: &[rel(&[el_if(Cbc, "EmbeddedDocumentBinaryObject", |n| {
            n.attr("mimeCode").is_some()
        })])],
        asserts: &[Assert {
            id: "BR-CL-24",
            severity: Severity::Fatal,
            test: attachment_type,
            message: Message {
                en: "This attachment's type is not one EN 16931 allows: attach it as PDF, PNG, JPEG, CSV, XLSX or ODS, and set the attribute mimeCode to match, such as application/pdf.",
                nl: "Het type van deze bijlage is geen type dat EN 16931 toestaat: voeg ze bij als PDF, PNG, JPEG, CSV, XLSX of ODS, en zet het attribuut mimeCode daarop, bijvoorbeeld application/pdf.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el_if(Cbc, "EndpointID", has_scheme_id)])],
        asserts: &[Assert {
            id: "BR-CL-25",
            severity: Severity::Fatal,
            test: |n| attr_in(n, "schemeID", ELECTRONIC_ADDRESS_SCHEMES),
            message: Message {
                en: "The scheme of this electronic address is not an EAS code: set the attribute schemeID of cbc:EndpointID to a code of that list, such as 0106 (KvK), 0190 (OIN) or 9944 (Dutch VAT number).",
                nl: "Het schema van dit elektronisch adres is geen EAS-code: zet het attribuut schemeID van cbc:EndpointID op een code uit die lijst, bijvoorbeeld 0106 (KvK), 0190 (OIN) of 9944 (Nederlands btw-nummer).",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "DeliveryLocation"),
            el_if(Cbc, "ID", has_scheme_id),
        ])],
        asserts: &[Assert {
            id: "BR-CL-26",
            severity: Severity::Fatal,
            test: |n| attr_in(n, "schemeID", ICD),
            message: Message {
                en: "The scheme of this delivery location identifier is not an ISO 6523 code: set the attribute schemeID to a code of that list, such as 0088 for a GLN.",
                nl: "Het schema van dit kenmerk van de afleverlocatie is geen ISO 6523-code: zet het attribuut schemeID op een code uit die lijst, bijvoorbeeld 0088 voor een GLN.",
            },
        }],
    },
];
