//! EN 16931's syntax binding for UBL, the rest of the `UBL-syntax` pattern: elements that may
//! appear only once (`UBL-SR-*`) and data-type rules (`UBL-DT-*`). The root element's rules on
//! elements EN 16931 does not use (`UBL-CR-*`) belong to the same pattern and live in
//! [`super::syntax`].

use crate::ubl::{Node, Ns, Ns::Cac, Ns::Cbc};
use crate::validate::{Message, Severity};

use crate::validate::ubl::engine::context::{
    Alt, Assert, CREDIT_NOTE, INVOICE, Rule, Step, el, el_if, rel,
};
use crate::validate::ubl::engine::xpath::{
    at_most_two_decimals, charge_indicator_is, exists, first, select, string,
};

/// `count(path)`.
fn count(n: Node<'_>, path: &[(Ns, &str)]) -> usize {
    select(n, path).len()
}

/// UBL-SR-23 as CEN 1.3.15 writes it: the VAT numbers counted under a `cac:Party` of the
/// tax representative, which UBL does not have there (so it fails only on such a document).
pub(crate) fn representative_vat_once_1_3_15(n: Node<'_>) -> bool {
    count(
        n,
        &[(Cac, "Party"), (Cac, "PartyTaxScheme"), (Cbc, "CompanyID")],
    ) <= 1
}

/// `count(path/@attr)`.
fn count_attr(n: Node<'_>, path: &[(Ns, &str)], attr: &str) -> usize {
    select(n, path)
        .into_iter()
        .filter(|x| x.attr(attr).is_some())
        .count()
}

/// `//@name`: some element of the document has the attribute.
fn any_attribute(n: Node<'_>, name: &str) -> bool {
    n.document().has_attribute(name)
}

/// UBL-DT-18: `count(//@name) - count(//cbc:PaymentMeansCode/@name) <= 0`.
fn names_only_on_payment_codes(n: Node<'_>) -> bool {
    !n.document().has_attribute("name") || {
        let root = n.document().root();
        std::iter::once(root)
            .chain(root.descendants())
            .filter(|e| e.attr("name").is_some())
            .all(|e| e.ns() == Cbc && e.name() == "PaymentMeansCode")
    }
}

/// UBL-DT-01's context: an amount, not a price, and not under a price that has a discount.
fn amount_element(n: Node<'_>) -> bool {
    let name = n.name();
    if !name.ends_with("Amount") || name.ends_with("PriceAmount") {
        return false;
    }
    let mut up = n.parent();
    while let Some(a) = up {
        if a.ns() == Cac && a.name() == "Price" && a.child(Cac, "AllowanceCharge").is_some() {
            return false;
        }
        up = a.parent();
    }
    true
}

/// UBL-DT-06 and 07's context: an attachment.
fn binary_object(n: Node<'_>) -> bool {
    n.name().ends_with("BinaryObject")
}

/// The document type codes of a reference, as written.
fn type_codes(n: Node<'_>) -> Vec<String> {
    n.all(Cbc, "DocumentTypeCode")
        .map(|c| string(c).into_owned())
        .collect()
}

/// UBL-SR-43: a supporting document reference with an identifier scheme is an invoiced
/// object (130, or 50 on a credit note).
fn reference_kind(n: Node<'_>) -> bool {
    let codes = type_codes(n);
    let credit_note = n.document().root().name() == "CreditNote";
    codes.iter().any(|c| c == "130")
        || (credit_note && codes.iter().any(|c| c == "50"))
        || (!n.all(Cbc, "ID").any(|id| id.attr("schemeID").is_some()) && codes.is_empty())
}

/// UBL-SR-04: at most one invoiced object identifier.
fn invoiced_object_once(n: Node<'_>) -> bool {
    n.all(Cac, "AdditionalDocumentReference")
        .filter(|r| type_codes(*r).iter().any(|c| c == "130"))
        .map(|r| r.all(Cbc, "ID").count())
        .sum::<usize>()
        <= 1
}

/// `[cac:TaxScheme/upper-case(cbc:ID) = 'VAT']` (`vat`) or `!= 'VAT'` (not `vat`): some tax
/// scheme whose id, upper-cased and untrimmed (empty when absent), compares so. A scheme with
/// two ids stops the official tool (noted).
fn scheme_is_vat(tax_scheme_holder: Node<'_>, vat: bool) -> bool {
    tax_scheme_holder.all(Cac, "TaxScheme").any(|s| {
        let id = first(s, &[(Cbc, "ID")]).map(string).unwrap_or_default();
        (id.to_uppercase() == "VAT") == vat
    })
}

/// UBL-SR-12 and 13: the seller's tax registration numbers under a VAT scheme, or another.
fn seller_tax_ids(n: Node<'_>, vat: bool) -> usize {
    select(
        n,
        &[
            (Cac, "AccountingSupplierParty"),
            (Cac, "Party"),
            (Cac, "PartyTaxScheme"),
        ],
    )
    .into_iter()
    .filter(|s| scheme_is_vat(*s, vat))
    .map(|s| s.all(Cbc, "CompanyID").count())
    .sum()
}

/// UBL-SR-18: at most one VAT number for the buyer.
fn buyer_vat_once(n: Node<'_>) -> bool {
    select(
        n,
        &[
            (Cac, "AccountingCustomerParty"),
            (Cac, "Party"),
            (Cac, "PartyTaxScheme"),
        ],
    )
    .into_iter()
    .filter(|s| scheme_is_vat(*s, true))
    .map(|s| s.all(Cbc, "CompanyID").count())
    .sum::<usize>()
        <= 1
}

/// A party identifier whose scheme, upper-cased (empty when absent), is SEPA or not.
fn sepa(id: Node<'_>) -> bool {
    id.attr("schemeID").unwrap_or("").to_uppercase() == "SEPA"
}

/// UBL-SR-29: at most one SEPA creditor identifier in the document.
fn sepa_once(n: Node<'_>) -> bool {
    n.document()
        .elements(Cac, "PartyIdentification")
        .flat_map(|p| p.all(Cbc, "ID"))
        .filter(|id| sepa(*id))
        .count()
        <= 1
}

/// UBL-SR-44 and 47: how many different values the elements of that name have in the
/// document.
fn distinct_values(n: Node<'_>, ns: Ns, name: &str) -> usize {
    let mut seen: Vec<String> = Vec::new();
    for e in n.document().elements(ns, name) {
        let v = string(e);
        if !seen.iter().any(|s| *s == v) {
            seen.push(v.into_owned());
        }
    }
    seen.len()
}

/// UBL-SR-19 … 21: `(cac:PartyName/cbc:Name) != (../cac:AccountingSupplierParty/cac:Party/
/// cac:PartyLegalEntity/cbc:RegistrationName)`: some payee name differs from some seller
/// name. With either side missing, this does not hold.
fn payee_named_apart(n: Node<'_>) -> bool {
    let names: Vec<_> = select(n, &[(Cac, "PartyName"), (Cbc, "Name")])
        .into_iter()
        .map(string)
        .collect();
    let seller: Vec<_> = n
        .parent()
        .map(|p| {
            select(
                p,
                &[
                    (Cac, "AccountingSupplierParty"),
                    (Cac, "Party"),
                    (Cac, "PartyLegalEntity"),
                    (Cbc, "RegistrationName"),
                ],
            )
        })
        .unwrap_or_default()
        .into_iter()
        .map(string)
        .collect();
    names.iter().any(|a| seller.iter().any(|b| a != b))
}

/// UBL-SR-20: the payee's identifiers other than SEPA creditor ids.
fn payee_ids(n: Node<'_>) -> usize {
    n.all(Cac, "PartyIdentification")
        .flat_map(|p| p.all(Cbc, "ID"))
        .filter(|id| !sepa(*id))
        .count()
}

pub(crate) static STRUCTURE: &[Rule] = &[
    Rule {
        context: &[rel(&[el(Cac, "PostalAddress")]), rel(&[el(Cac, "Address")])],
        asserts: &[Assert {
            id: "UBL-SR-51",
            severity: Severity::Fatal,
            test: |n| count(n, &[(Cac, "AddressLine")]) <= 1,
            message: Message {
                en: "An address has more than one additional address line.",
                nl: "Een adres heeft meer dan een extra adresregel.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cac, "AccountingSupplierParty"), el(Cac, "Party")])],
        asserts: &[Assert {
            id: "UBL-SR-42",
            severity: Severity::Fatal,
            test: |n| count(n, &[(Cac, "PartyTaxScheme")]) <= 2,
            message: Message {
                en: "The seller has more than two tax scheme registrations.",
                nl: "De leverancier heeft meer dan twee fiscale registraties.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cac, "AdditionalDocumentReference")])],
        asserts: &[
            Assert {
                id: "UBL-SR-33",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cbc, "DocumentDescription")]) <= 1,
                message: Message {
                    en: "A supporting document has more than one description.",
                    nl: "Een ondersteunend document heeft meer dan een omschrijving.",
                },
            },
            Assert {
                id: "UBL-SR-43",
                severity: Severity::Fatal,
                test: reference_kind,
                message: Message {
                    en: "A supporting document with an identifier scheme must be an invoiced object reference (type 130, or 50 on a credit note).",
                    nl: "Een ondersteunend document met een kenmerkschema moet een verwijzing naar een gefactureerd object zijn (soort 130, of 50 bij een creditnota).",
                },
            },
        ],
    },
    Rule {
        context: &[Alt {
            rooted: false,
            steps: &[Step {
                name: None,
                pred: Some(amount_element),
            }],
        }],
        asserts: &[Assert {
            id: "UBL-DT-01",
            severity: Severity::Fatal,
            test: |n| at_most_two_decimals(n, &[]),
            message: Message {
                en: "An amount has more than two decimals.",
                nl: "Een bedrag heeft meer dan twee decimalen.",
            },
        }],
    },
    Rule {
        context: &[Alt {
            rooted: false,
            steps: &[Step {
                name: None,
                pred: Some(binary_object),
            }],
        }],
        asserts: &[
            Assert {
                id: "UBL-DT-06",
                severity: Severity::Fatal,
                test: |n| n.attr("mimeCode").is_some(),
                message: Message {
                    en: "An attachment does not say its MIME type (mimeCode).",
                    nl: "Een bijlage zegt niet welk MIME-type ze heeft (mimeCode).",
                },
            },
            Assert {
                id: "UBL-DT-07",
                severity: Severity::Fatal,
                test: |n| n.attr("filename").is_some(),
                message: Message {
                    en: "An attachment has no file name.",
                    nl: "Een bijlage heeft geen bestandsnaam.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[el(Cac, "Delivery")])],
        asserts: &[Assert {
            id: "UBL-SR-25",
            severity: Severity::Fatal,
            test: |n| {
                count(
                    n,
                    &[(Cac, "DeliveryParty"), (Cac, "PartyName"), (Cbc, "Name")],
                ) <= 1
            },
            message: Message {
                en: "The delivery names more than one recipient.",
                nl: "De levering noemt meer dan een ontvanger.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el_if(Cac, "AllowanceCharge", |n| {
            charge_indicator_is(n, false)
        })])],
        asserts: &[Assert {
            id: "UBL-SR-30",
            severity: Severity::Fatal,
            test: |n| count(n, &[(Cbc, "AllowanceChargeReason")]) <= 1,
            message: Message {
                en: "An allowance has more than one reason.",
                nl: "Een korting heeft meer dan een reden.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el_if(Cac, "AllowanceCharge", |n| {
            charge_indicator_is(n, true)
        })])],
        asserts: &[Assert {
            id: "UBL-SR-31",
            severity: Severity::Fatal,
            test: |n| count(n, &[(Cbc, "AllowanceChargeReason")]) <= 1,
            message: Message {
                en: "A charge has more than one reason.",
                nl: "Een toeslag heeft meer dan een reden.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cac, "PartyTaxScheme")])],
        asserts: &[Assert {
            id: "UBL-SR-53",
            severity: Severity::Fatal,
            test: |n| {
                exists(n, &[(Cac, "TaxScheme"), (Cbc, "ID")]) && exists(n, &[(Cbc, "CompanyID")])
            },
            message: Message {
                en: "A tax registration lacks its scheme or its number.",
                nl: "Een fiscale registratie mist het schema of het nummer.",
            },
        }],
    },
    Rule {
        context: &[
            Alt {
                rooted: true,
                steps: &[INVOICE],
            },
            Alt {
                rooted: true,
                steps: &[CREDIT_NOTE],
            },
        ],
        asserts: &[
            Assert {
                id: "UBL-DT-08",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "schemeName"),
                message: Message {
                    en: "The attribute schemeName is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut schemeName wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-09",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "schemeAgencyName"),
                message: Message {
                    en: "The attribute schemeAgencyName is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut schemeAgencyName wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-10",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "schemeDataURI"),
                message: Message {
                    en: "The attribute schemeDataURI is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut schemeDataURI wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-11",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "schemeURI"),
                message: Message {
                    en: "The attribute schemeURI is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut schemeURI wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-12",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "format"),
                message: Message {
                    en: "The attribute format is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut format wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-13",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "unitCodeListIdentifier"),
                message: Message {
                    en: "The attribute unitCodeListIdentifier is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut unitCodeListIdentifier wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-14",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "unitCodeListAgencyIdentifier"),
                message: Message {
                    en: "The attribute unitCodeListAgencyIdentifier is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut unitCodeListAgencyIdentifier wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-15",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "unitCodeListAgencyName"),
                message: Message {
                    en: "The attribute unitCodeListAgencyName is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut unitCodeListAgencyName wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-16",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "listAgencyName"),
                message: Message {
                    en: "The attribute listAgencyName is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut listAgencyName wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-17",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "listName"),
                message: Message {
                    en: "The attribute listName is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut listName wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-18",
                severity: Severity::Warning,
                test: names_only_on_payment_codes,
                message: Message {
                    en: "The attribute name is only used on a payment means code; elsewhere it should be left out.",
                    nl: "Het attribuut name wordt alleen bij een betaalwijzecode gebruikt; elders hoort het weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-19",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "languageID"),
                message: Message {
                    en: "The attribute languageID is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut languageID wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-20",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "listURI"),
                message: Message {
                    en: "The attribute listURI is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut listURI wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-21",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "listSchemeURI"),
                message: Message {
                    en: "The attribute listSchemeURI is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut listSchemeURI wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-22",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "languageLocaleID"),
                message: Message {
                    en: "The attribute languageLocaleID is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut languageLocaleID wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-23",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "uri"),
                message: Message {
                    en: "The attribute uri is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut uri wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-24",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "currencyCodeListVersionID"),
                message: Message {
                    en: "The attribute currencyCodeListVersionID is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut currencyCodeListVersionID wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-25",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "characterSetCode"),
                message: Message {
                    en: "The attribute characterSetCode is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut characterSetCode wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-26",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "encodingCode"),
                message: Message {
                    en: "The attribute encodingCode is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut encodingCode wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-27",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "schemeAgencyID"),
                message: Message {
                    en: "The attribute schemeAgencyID is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut schemeAgencyID wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-DT-28",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "listAgencyID"),
                message: Message {
                    en: "The attribute listAgencyID is not used by EN 16931 and should be left out.",
                    nl: "Het attribuut listAgencyID wordt niet gebruikt in EN 16931 en hoort weggelaten te worden.",
                },
            },
            Assert {
                id: "UBL-SR-01",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "ContractDocumentReference"), (Cbc, "ID")]) <= 1,
                message: Message {
                    en: "The document has more than one contract reference.",
                    nl: "Het document heeft meer dan een contractreferentie.",
                },
            },
            Assert {
                id: "UBL-SR-02",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "ReceiptDocumentReference"), (Cbc, "ID")]) <= 1,
                message: Message {
                    en: "The document has more than one receiving advice reference.",
                    nl: "Het document heeft meer dan een ontvangstbevestigingsreferentie.",
                },
            },
            Assert {
                id: "UBL-SR-03",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "DespatchDocumentReference"), (Cbc, "ID")]) <= 1,
                message: Message {
                    en: "The document has more than one despatch advice reference.",
                    nl: "Het document heeft meer dan een verzendberichtreferentie.",
                },
            },
            Assert {
                id: "UBL-SR-05",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "PaymentTerms"), (Cbc, "Note")]) <= 1,
                message: Message {
                    en: "The document has more than one payment terms note.",
                    nl: "Het document heeft meer dan een betalingsvoorwaarde.",
                },
            },
            Assert {
                id: "UBL-SR-08",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "InvoicePeriod")]) <= 1,
                message: Message {
                    en: "The document has more than one invoicing period.",
                    nl: "Het document heeft meer dan een factuurperiode.",
                },
            },
            Assert {
                id: "UBL-SR-09",
                severity: Severity::Fatal,
                test: |n| {
                    count(
                        n,
                        &[
                            (Cac, "AccountingSupplierParty"),
                            (Cac, "Party"),
                            (Cac, "PartyLegalEntity"),
                            (Cbc, "RegistrationName"),
                        ],
                    ) <= 1
                },
                message: Message {
                    en: "The document has more than one seller's registered name.",
                    nl: "Het document heeft meer dan een statutaire naam van de leverancier.",
                },
            },
            Assert {
                id: "UBL-SR-10",
                severity: Severity::Fatal,
                test: |n| {
                    count(
                        n,
                        &[
                            (Cac, "AccountingSupplierParty"),
                            (Cac, "Party"),
                            (Cac, "PartyName"),
                            (Cbc, "Name"),
                        ],
                    ) <= 1
                },
                message: Message {
                    en: "The document has more than one seller's trading name.",
                    nl: "Het document heeft meer dan een handelsnaam van de leverancier.",
                },
            },
            Assert {
                id: "UBL-SR-11",
                severity: Severity::Fatal,
                test: |n| {
                    count(
                        n,
                        &[
                            (Cac, "AccountingSupplierParty"),
                            (Cac, "Party"),
                            (Cac, "PartyLegalEntity"),
                            (Cbc, "CompanyID"),
                        ],
                    ) <= 1
                },
                message: Message {
                    en: "The document has more than one seller's legal registration number.",
                    nl: "Het document heeft meer dan een registratienummer van de leverancier.",
                },
            },
            Assert {
                id: "UBL-SR-14",
                severity: Severity::Fatal,
                test: |n| {
                    count(
                        n,
                        &[
                            (Cac, "AccountingSupplierParty"),
                            (Cac, "Party"),
                            (Cac, "PartyLegalEntity"),
                            (Cbc, "CompanyLegalForm"),
                        ],
                    ) <= 1
                },
                message: Message {
                    en: "The document has more than one seller's legal form.",
                    nl: "Het document heeft meer dan een rechtsvorm van de leverancier.",
                },
            },
            Assert {
                id: "UBL-SR-15",
                severity: Severity::Fatal,
                test: |n| {
                    count(
                        n,
                        &[
                            (Cac, "AccountingCustomerParty"),
                            (Cac, "Party"),
                            (Cac, "PartyLegalEntity"),
                            (Cbc, "RegistrationName"),
                        ],
                    ) <= 1
                },
                message: Message {
                    en: "The document has more than one buyer's registered name.",
                    nl: "Het document heeft meer dan een statutaire naam van de afnemer.",
                },
            },
            Assert {
                id: "UBL-SR-16",
                severity: Severity::Fatal,
                test: |n| {
                    count(
                        n,
                        &[
                            (Cac, "AccountingCustomerParty"),
                            (Cac, "Party"),
                            (Cac, "PartyIdentification"),
                            (Cbc, "ID"),
                        ],
                    ) <= 1
                },
                message: Message {
                    en: "The document has more than one buyer's identifier.",
                    nl: "Het document heeft meer dan een kenmerk van de afnemer.",
                },
            },
            Assert {
                id: "UBL-SR-17",
                severity: Severity::Fatal,
                test: |n| {
                    count(
                        n,
                        &[
                            (Cac, "AccountingCustomerParty"),
                            (Cac, "Party"),
                            (Cac, "PartyLegalEntity"),
                            (Cbc, "CompanyID"),
                        ],
                    ) <= 1
                },
                message: Message {
                    en: "The document has more than one buyer's legal registration number.",
                    nl: "Het document heeft meer dan een registratienummer van de afnemer.",
                },
            },
            Assert {
                id: "UBL-SR-24",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "Delivery")]) <= 1,
                message: Message {
                    en: "The document has more than one delivery.",
                    nl: "Het document heeft meer dan een levering.",
                },
            },
            Assert {
                id: "UBL-SR-39",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "ProjectReference"), (Cbc, "ID")]) <= 1,
                message: Message {
                    en: "The document has more than one project reference.",
                    nl: "Het document heeft meer dan een projectreferentie.",
                },
            },
            Assert {
                id: "UBL-SR-40",
                severity: Severity::Fatal,
                test: |n| {
                    count(
                        n,
                        &[
                            (Cac, "AccountingCustomerParty"),
                            (Cac, "Party"),
                            (Cac, "PartyName"),
                            (Cbc, "Name"),
                        ],
                    ) <= 1
                },
                message: Message {
                    en: "The document has more than one buyer's trading name.",
                    nl: "Het document heeft meer dan een handelsnaam van de afnemer.",
                },
            },
            Assert {
                id: "UBL-SR-45",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "PaymentMeans"), (Cbc, "PaymentDueDate")]) <= 1,
                message: Message {
                    en: "The document has more than one payment due date in the payment means.",
                    nl: "Het document heeft meer dan een vervaldatum in de betaalwijze.",
                },
            },
            Assert {
                id: "UBL-SR-46",
                severity: Severity::Fatal,
                test: |n| {
                    count_attr(
                        n,
                        &[(Cac, "PaymentMeans"), (Cbc, "PaymentMeansCode")],
                        "name",
                    ) <= 1
                },
                message: Message {
                    en: "The document has more than one payment means name.",
                    nl: "Het document heeft meer dan een naam van de betaalwijze.",
                },
            },
            Assert {
                id: "UBL-SR-49",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "InvoicePeriod"), (Cbc, "DescriptionCode")]) <= 1,
                message: Message {
                    en: "The document has more than one VAT point date code.",
                    nl: "Het document heeft meer dan een code voor het btw-moment.",
                },
            },
            Assert {
                id: "UBL-SR-54",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "PaymentMeans"), (Cac, "CardAccount")]) <= 1,
                message: Message {
                    en: "The document has more than one payment card.",
                    nl: "Het document heeft meer dan een betaalkaart.",
                },
            },
            Assert {
                id: "UBL-SR-55",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "PaymentMeans"), (Cac, "PaymentMandate")]) <= 1,
                message: Message {
                    en: "The document has more than one direct debit mandate.",
                    nl: "Het document heeft meer dan een incassomachtiging.",
                },
            },
            Assert {
                id: "UBL-SR-56",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "OriginatorDocumentReference"), (Cbc, "ID")]) <= 1,
                message: Message {
                    en: "The document has more than one tender or lot reference.",
                    nl: "Het document heeft meer dan een aanbestedings- of perceelreferentie.",
                },
            },
            Assert {
                id: "UBL-SR-04",
                severity: Severity::Fatal,
                test: invoiced_object_once,
                message: Message {
                    en: "The document has more than one invoiced object identifier.",
                    nl: "Het document heeft meer dan een kenmerk van een gefactureerd object.",
                },
            },
            Assert {
                id: "UBL-SR-12",
                severity: Severity::Fatal,
                test: |n| seller_tax_ids(n, true) <= 1,
                message: Message {
                    en: "The seller has more than one VAT number.",
                    nl: "De leverancier heeft meer dan een btw-nummer.",
                },
            },
            Assert {
                id: "UBL-SR-13",
                severity: Severity::Fatal,
                test: |n| seller_tax_ids(n, false) <= 1,
                message: Message {
                    en: "The seller has more than one tax registration number.",
                    nl: "De leverancier heeft meer dan een fiscaal registratienummer.",
                },
            },
            Assert {
                id: "UBL-SR-18",
                severity: Severity::Fatal,
                test: buyer_vat_once,
                message: Message {
                    en: "The buyer has more than one VAT number.",
                    nl: "De afnemer heeft meer dan een btw-nummer.",
                },
            },
            Assert {
                id: "UBL-SR-29",
                severity: Severity::Fatal,
                test: sepa_once,
                message: Message {
                    en: "The document has more than one SEPA creditor identifier.",
                    nl: "Het document heeft meer dan een SEPA-incassant-id.",
                },
            },
            Assert {
                id: "UBL-SR-44",
                severity: Severity::Fatal,
                test: |n| distinct_values(n, Cbc, "PaymentID") <= 1,
                message: Message {
                    en: "The document has more than one payment reference.",
                    nl: "Het document heeft meer dan een betalingskenmerk.",
                },
            },
            Assert {
                id: "UBL-SR-47",
                severity: Severity::Fatal,
                test: |n| distinct_values(n, Cbc, "PaymentMeansCode") <= 1,
                message: Message {
                    en: "The document has more than one payment means code.",
                    nl: "Het document heeft meer dan een betaalwijzecode.",
                },
            },
        ],
    },
    Rule {
        context: &[
            rel(&[el(Cac, "InvoiceLine")]),
            rel(&[el(Cac, "CreditNoteLine")]),
        ],
        asserts: &[
            Assert {
                id: "UBL-SR-34",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cbc, "Note")]) <= 1,
                message: Message {
                    en: "A line has more than one note.",
                    nl: "Een regel heeft meer dan een opmerking.",
                },
            },
            Assert {
                id: "UBL-SR-35",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "OrderLineReference"), (Cbc, "LineID")]) <= 1,
                message: Message {
                    en: "A line refers to more than one order line.",
                    nl: "Een regel verwijst naar meer dan een orderregel.",
                },
            },
            Assert {
                id: "UBL-SR-36",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "InvoicePeriod")]) <= 1,
                message: Message {
                    en: "A line has more than one invoicing period.",
                    nl: "Een regel heeft meer dan een factuurperiode.",
                },
            },
            Assert {
                id: "UBL-SR-37",
                severity: Severity::Fatal,
                test: |n| {
                    count(
                        n,
                        &[(Cac, "Price"), (Cac, "AllowanceCharge"), (Cbc, "Amount")],
                    ) <= 1
                },
                message: Message {
                    en: "A line's price has more than one price discount.",
                    nl: "De prijs van een regel heeft meer dan een prijskorting.",
                },
            },
            Assert {
                id: "UBL-SR-48",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "Item"), (Cac, "ClassifiedTaxCategory")]) == 1,
                message: Message {
                    en: "A line must have exactly one VAT category.",
                    nl: "Een regel moet precies een btw-categorie hebben.",
                },
            },
            Assert {
                id: "UBL-SR-50",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "Item"), (Cbc, "Description")]) <= 1,
                message: Message {
                    en: "A line's item has more than one description.",
                    nl: "Het artikel van een regel heeft meer dan een omschrijving.",
                },
            },
            Assert {
                id: "UBL-SR-52",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "DocumentReference")]) <= 1,
                message: Message {
                    en: "A line has more than one object reference.",
                    nl: "Een regel heeft meer dan een objectverwijzing.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[el(Cac, "PayeeParty")])],
        asserts: &[
            Assert {
                id: "UBL-SR-19",
                severity: Severity::Fatal,
                test: |n| {
                    count(n, &[(Cac, "PartyName"), (Cbc, "Name")]) <= 1 && payee_named_apart(n)
                },
                message: Message {
                    en: "The payee has more than one name, or no name that differs from the seller's.",
                    nl: "De begunstigde heeft meer dan een naam, of geen naam die verschilt van die van de leverancier.",
                },
            },
            Assert {
                id: "UBL-SR-20",
                severity: Severity::Fatal,
                test: |n| payee_ids(n) <= 1 && payee_named_apart(n),
                message: Message {
                    en: "The payee has more than one identifier, or no name that differs from the seller's.",
                    nl: "De begunstigde heeft meer dan een kenmerk, of geen naam die verschilt van die van de leverancier.",
                },
            },
            Assert {
                id: "UBL-SR-21",
                severity: Severity::Fatal,
                test: |n| {
                    count(n, &[(Cac, "PartyLegalEntity"), (Cbc, "CompanyID")]) <= 1
                        && payee_named_apart(n)
                },
                message: Message {
                    en: "The payee has more than one legal registration number, or no name that differs from the seller's.",
                    nl: "De begunstigde heeft meer dan een registratienummer, of geen naam die verschilt van die van de leverancier.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[el(Cac, "PaymentMeans")])],
        asserts: &[
            Assert {
                id: "UBL-SR-26",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cbc, "PaymentID")]) <= 1,
                message: Message {
                    en: "A payment means has more than one payment reference.",
                    nl: "Een betaalwijze heeft meer dan een betalingskenmerk.",
                },
            },
            Assert {
                id: "UBL-SR-27",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cbc, "PaymentMeansCode")]) <= 1,
                message: Message {
                    en: "A payment means has more than one code.",
                    nl: "Een betaalwijze heeft meer dan een code.",
                },
            },
            Assert {
                id: "UBL-SR-28",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "PaymentMandate"), (Cbc, "ID")]) <= 1,
                message: Message {
                    en: "A payment means has more than one mandate reference.",
                    nl: "Een betaalwijze heeft meer dan een machtigingskenmerk.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[el(Cac, "BillingReference")])],
        asserts: &[
            Assert {
                id: "UBL-SR-06",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "InvoiceDocumentReference")]) <= 1,
                message: Message {
                    en: "A reference to an earlier invoice names more than one invoice.",
                    nl: "Een verwijzing naar een eerdere factuur noemt meer dan een factuur.",
                },
            },
            Assert {
                id: "UBL-SR-07",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cac, "InvoiceDocumentReference"), (Cbc, "ID")]),
                message: Message {
                    en: "A reference to an earlier invoice has no invoice number.",
                    nl: "Een verwijzing naar een eerdere factuur heeft geen factuurnummer.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[el(Cac, "TaxRepresentativeParty")])],
        asserts: &[
            Assert {
                id: "UBL-SR-22",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "PartyName"), (Cbc, "Name")]) <= 1,
                message: Message {
                    en: "The tax representative has more than one name.",
                    nl: "De fiscaal vertegenwoordiger heeft meer dan een naam.",
                },
            },
            Assert {
                id: "UBL-SR-23",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "PartyTaxScheme"), (Cbc, "CompanyID")]) <= 1,
                message: Message {
                    en: "The tax representative has more than one VAT number.",
                    nl: "De fiscaal vertegenwoordiger heeft meer dan een btw-nummer.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[el(Cac, "TaxSubtotal")])],
        asserts: &[Assert {
            id: "UBL-SR-32",
            severity: Severity::Fatal,
            test: |n| count(n, &[(Cac, "TaxCategory"), (Cbc, "TaxExemptionReason")]) <= 1,
            message: Message {
                en: "A VAT breakdown has more than one exemption reason text.",
                nl: "Een btw-specificatie heeft meer dan een vrijstellingsreden.",
            },
        }],
    },
];
