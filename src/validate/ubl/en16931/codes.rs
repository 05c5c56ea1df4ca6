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
                en: "The document type code is not one EN 16931 allows for this kind of document.",
                nl: "De documentsoortcode is er geen die EN 16931 voor dit soort document toestaat.",
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
                en: "The currency of an amount is not an ISO 4217 code.",
                nl: "De valuta van een bedrag is geen ISO 4217-code.",
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
                en: "The document currency is not an ISO 4217 code.",
                nl: "De documentvaluta is geen ISO 4217-code.",
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
                en: "The VAT accounting currency is not an ISO 4217 code.",
                nl: "De btw-valuta is geen ISO 4217-code.",
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
                en: "The VAT point date code is not one EN 16931 allows (3, 35 or 432).",
                nl: "De code voor het btw-moment is er geen die EN 16931 toestaat (3, 35 of 432).",
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
                en: "The scheme of an invoiced object identifier is not a UNTDID 1153 code.",
                nl: "Het schema van een kenmerk van een gefactureerd object is geen UNTDID 1153-code.",
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
                en: "The scheme of a party identifier is not an ISO 6523 code (SEPA only for the seller's or payee's creditor id).",
                nl: "Het schema van een partijkenmerk is geen ISO 6523-code (SEPA alleen voor het incassant-id van leverancier of begunstigde).",
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
                en: "The scheme of a legal registration number is not an ISO 6523 code.",
                nl: "Het schema van een registratienummer is geen ISO 6523-code.",
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
                en: "The scheme of an item classification is not a UNTDID 7143 code.",
                nl: "Het schema van een artikelclassificatie is geen UNTDID 7143-code.",
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
                en: "A country code is not an ISO 3166-1 code.",
                nl: "Een landcode is geen ISO 3166-1-code.",
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
                en: "A country of origin is not an ISO 3166-1 code.",
                nl: "Een land van herkomst is geen ISO 3166-1-code.",
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
                en: "A payment means code is not a UNTDID 4461 code.",
                nl: "Een betaalwijzecode is geen UNTDID 4461-code.",
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
                en: "A VAT category code is not one EN 16931 knows.",
                nl: "Een btw-categoriecode is er geen die EN 16931 kent.",
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
                en: "A line's VAT category code is not one EN 16931 knows.",
                nl: "De btw-categoriecode van een regel is er geen die EN 16931 kent.",
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
                en: "An allowance reason code is not a UNTDID 5189 code.",
                nl: "Een kortingsredencode is geen UNTDID 5189-code.",
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
                en: "A charge reason code is not a UNTDID 7161 code.",
                nl: "Een toeslagredencode is geen UNTDID 7161-code.",
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
                en: "The scheme of a standard item identifier is not an ISO 6523 code.",
                nl: "Het schema van een standaard-artikelcode is geen ISO 6523-code.",
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
                en: "A VAT exemption reason code is not a VATEX code.",
                nl: "Een code voor de btw-vrijstelling is geen VATEX-code.",
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
                en: "A unit of measure is not a UN/ECE Recommendation 20 or 21 code.",
                nl: "Een eenheid is geen code uit UN/ECE-aanbeveling 20 of 21.",
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
                en: "An attachment is not of a type EN 16931 allows (PDF, PNG, JPEG, CSV, XLSX or ODS).",
                nl: "Een bijlage is niet van een soort die EN 16931 toestaat (PDF, PNG, JPEG, CSV, XLSX of ODS).",
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
                en: "The scheme of an electronic address is not an EAS code.",
                nl: "Het schema van een elektronisch adres is geen EAS-code.",
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
                en: "The scheme of a delivery location identifier is not an ISO 6523 code.",
                nl: "Het schema van een afleverlocatiekenmerk is geen ISO 6523-code.",
            },
        }],
    },
];
