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

/// The elements a repetition rule counts, from its context, by rule id.
const COUNTED: &[(&str, &[(Ns, &str)])] = &[
    (
        "UBL-SR-01",
        &[(Cac, "ContractDocumentReference"), (Cbc, "ID")],
    ),
    (
        "UBL-SR-02",
        &[(Cac, "ReceiptDocumentReference"), (Cbc, "ID")],
    ),
    (
        "UBL-SR-03",
        &[(Cac, "DespatchDocumentReference"), (Cbc, "ID")],
    ),
    ("UBL-SR-05", &[(Cac, "PaymentTerms"), (Cbc, "Note")]),
    ("UBL-SR-06", &[(Cac, "InvoiceDocumentReference")]),
    ("UBL-SR-08", &[(Cac, "InvoicePeriod")]),
    (
        "UBL-SR-09",
        &[
            (Cac, "AccountingSupplierParty"),
            (Cac, "Party"),
            (Cac, "PartyLegalEntity"),
            (Cbc, "RegistrationName"),
        ],
    ),
    (
        "UBL-SR-10",
        &[
            (Cac, "AccountingSupplierParty"),
            (Cac, "Party"),
            (Cac, "PartyName"),
            (Cbc, "Name"),
        ],
    ),
    (
        "UBL-SR-11",
        &[
            (Cac, "AccountingSupplierParty"),
            (Cac, "Party"),
            (Cac, "PartyLegalEntity"),
            (Cbc, "CompanyID"),
        ],
    ),
    (
        "UBL-SR-14",
        &[
            (Cac, "AccountingSupplierParty"),
            (Cac, "Party"),
            (Cac, "PartyLegalEntity"),
            (Cbc, "CompanyLegalForm"),
        ],
    ),
    (
        "UBL-SR-15",
        &[
            (Cac, "AccountingCustomerParty"),
            (Cac, "Party"),
            (Cac, "PartyLegalEntity"),
            (Cbc, "RegistrationName"),
        ],
    ),
    (
        "UBL-SR-16",
        &[
            (Cac, "AccountingCustomerParty"),
            (Cac, "Party"),
            (Cac, "PartyIdentification"),
            (Cbc, "ID"),
        ],
    ),
    (
        "UBL-SR-17",
        &[
            (Cac, "AccountingCustomerParty"),
            (Cac, "Party"),
            (Cac, "PartyLegalEntity"),
            (Cbc, "CompanyID"),
        ],
    ),
    ("UBL-SR-22", &[(Cac, "PartyName"), (Cbc, "Name")]),
    ("UBL-SR-23", &[(Cac, "PartyTaxScheme"), (Cbc, "CompanyID")]),
    ("UBL-SR-24", &[(Cac, "Delivery")]),
    (
        "UBL-SR-25",
        &[(Cac, "DeliveryParty"), (Cac, "PartyName"), (Cbc, "Name")],
    ),
    ("UBL-SR-26", &[(Cbc, "PaymentID")]),
    ("UBL-SR-27", &[(Cbc, "PaymentMeansCode")]),
    ("UBL-SR-28", &[(Cac, "PaymentMandate"), (Cbc, "ID")]),
    ("UBL-SR-30", &[(Cbc, "AllowanceChargeReason")]),
    ("UBL-SR-31", &[(Cbc, "AllowanceChargeReason")]),
    (
        "UBL-SR-32",
        &[(Cac, "TaxCategory"), (Cbc, "TaxExemptionReason")],
    ),
    ("UBL-SR-33", &[(Cbc, "DocumentDescription")]),
    ("UBL-SR-34", &[(Cbc, "Note")]),
    ("UBL-SR-35", &[(Cac, "OrderLineReference"), (Cbc, "LineID")]),
    ("UBL-SR-36", &[(Cac, "InvoicePeriod")]),
    (
        "UBL-SR-37",
        &[(Cac, "Price"), (Cac, "AllowanceCharge"), (Cbc, "Amount")],
    ),
    ("UBL-SR-39", &[(Cac, "ProjectReference"), (Cbc, "ID")]),
    (
        "UBL-SR-40",
        &[
            (Cac, "AccountingCustomerParty"),
            (Cac, "Party"),
            (Cac, "PartyName"),
            (Cbc, "Name"),
        ],
    ),
    ("UBL-SR-42", &[(Cac, "PartyTaxScheme")]),
    (
        "UBL-SR-45",
        &[(Cac, "PaymentMeans"), (Cbc, "PaymentDueDate")],
    ),
    (
        "UBL-SR-48",
        &[(Cac, "Item"), (Cac, "ClassifiedTaxCategory")],
    ),
    (
        "UBL-SR-49",
        &[(Cac, "InvoicePeriod"), (Cbc, "DescriptionCode")],
    ),
    ("UBL-SR-50", &[(Cac, "Item"), (Cbc, "Description")]),
    ("UBL-SR-51", &[(Cac, "AddressLine")]),
    ("UBL-SR-52", &[(Cac, "DocumentReference")]),
    ("UBL-SR-54", &[(Cac, "PaymentMeans"), (Cac, "CardAccount")]),
    (
        "UBL-SR-55",
        &[(Cac, "PaymentMeans"), (Cac, "PaymentMandate")],
    ),
    (
        "UBL-SR-56",
        &[(Cac, "OriginatorDocumentReference"), (Cbc, "ID")],
    ),
];

/// `cac:A/cbc:B`: a path as the document writes it.
fn label(path: &[(Ns, &str)]) -> String {
    let steps: Vec<String> = path
        .iter()
        .map(|(ns, name)| format!("{}{name}", ns.prefix()))
        .collect();
    steps.join("/")
}

/// The first element of the document with the attribute `attr` that `counts`, shown as
/// `cbc:EndpointID/@schemeName = "GLN"`.
fn first_with_attribute(n: Node<'_>, attr: &str, counts: fn(Node<'_>) -> bool) -> Option<String> {
    let root = n.document().root();
    let e = std::iter::once(root)
        .chain(root.descendants())
        .find(|e| e.attr(attr).is_some() && counts(*e))?;
    Some(crate::validate::ubl::shown(
        &format!("{}{}/@{attr}", e.ns().prefix(), e.name()),
        e.attr(attr).unwrap_or_default(),
    ))
}

/// The different values of the elements of that name in the document: `"A", "B"`.
fn different_values(n: Node<'_>, ns: Ns, name: &str) -> String {
    let mut seen: Vec<String> = Vec::new();
    for e in n.document().elements(ns, name) {
        let v = string(e).into_owned();
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    let quoted: Vec<String> = seen.iter().map(|v| format!("\"{v}\"")).collect();
    format!("{}{name} = {}", ns.prefix(), quoted.join(", "))
}

/// What a failed rule of the pattern shows, worked out only then: how many of the repeated
/// element there are (`3 × cac:PaymentTerms/cbc:Note`), the different values where one is
/// expected, or the attribute and value a data-type rule is about.
pub(crate) fn values(id: &'static str, n: Node<'_>) -> Option<String> {
    if let Some((_, path)) = COUNTED.iter().find(|(rule, _)| *rule == id) {
        return Some(format!("{} × {}", count(n, path), label(path)));
    }
    let payee = |k: usize, what: &str| {
        let name = first(n, &[(Cac, "PartyName"), (Cbc, "Name")])
            .map_or("BT-59 missing".to_owned(), |v| {
                crate::validate::ubl::shown("BT-59", &string(v))
            });
        let seller = n
            .parent()
            .and_then(|p| {
                first(
                    p,
                    &[
                        (Cac, "AccountingSupplierParty"),
                        (Cac, "Party"),
                        (Cac, "PartyLegalEntity"),
                        (Cbc, "RegistrationName"),
                    ],
                )
            })
            .map_or("BT-27 missing".to_owned(), |v| {
                crate::validate::ubl::shown("BT-27", &string(v))
            });
        format!("{k} × {what}, {name}, {seller}")
    };
    let attribute = |name: &str| first_with_attribute(n, name, |_| true);
    match id {
        "UBL-SR-04" => Some(format!(
            "{} × cac:AdditionalDocumentReference[cbc:DocumentTypeCode = 130]/cbc:ID",
            n.all(Cac, "AdditionalDocumentReference")
                .filter(|r| type_codes(*r).iter().any(|c| c == "130"))
                .map(|r| r.all(Cbc, "ID").count())
                .sum::<usize>()
        )),
        "UBL-SR-12" => Some(format!(
            "{} × cac:PartyTaxScheme/cbc:CompanyID (VAT)",
            seller_tax_ids(n, true)
        )),
        "UBL-SR-13" => Some(format!(
            "{} × cac:PartyTaxScheme/cbc:CompanyID",
            seller_tax_ids(n, false)
        )),
        "UBL-SR-18" => Some(format!(
            "{} × cac:PartyTaxScheme/cbc:CompanyID (VAT)",
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
        )),
        "UBL-SR-19" => Some(payee(
            count(n, &[(Cac, "PartyName"), (Cbc, "Name")]),
            "cac:PartyName/cbc:Name",
        )),
        "UBL-SR-20" => Some(payee(payee_ids(n), "cac:PartyIdentification/cbc:ID")),
        "UBL-SR-21" => Some(payee(
            count(n, &[(Cac, "PartyLegalEntity"), (Cbc, "CompanyID")]),
            "cac:PartyLegalEntity/cbc:CompanyID",
        )),
        "UBL-SR-29" => Some(format!(
            "{} × cac:PartyIdentification/cbc:ID[@schemeID = SEPA]",
            n.document()
                .elements(Cac, "PartyIdentification")
                .flat_map(|p| p.all(Cbc, "ID"))
                .filter(|id| sepa(*id))
                .count()
        )),
        "UBL-SR-43" => {
            let mut shown: Vec<String> = type_codes(n)
                .iter()
                .map(|c| crate::validate::ubl::shown("cbc:DocumentTypeCode", c))
                .collect();
            shown.extend(
                n.all(Cbc, "ID")
                    .filter_map(|id| id.attr("schemeID"))
                    .map(|s| crate::validate::ubl::shown("cbc:ID/@schemeID", s)),
            );
            Some(shown.join(", "))
        }
        "UBL-SR-44" => Some(different_values(n, Cbc, "PaymentID")),
        "UBL-SR-46" => Some(format!(
            "{} × cac:PaymentMeans/cbc:PaymentMeansCode/@name",
            count_attr(
                n,
                &[(Cac, "PaymentMeans"), (Cbc, "PaymentMeansCode")],
                "name"
            )
        )),
        "UBL-SR-47" => Some(different_values(n, Cbc, "PaymentMeansCode")),
        // An attachment's content is no use to show: what it does say about itself.
        "UBL-DT-06" | "UBL-DT-07" => {
            let of = |attr: &str| match n.attr(attr) {
                Some(v) => crate::validate::ubl::shown(&format!("@{attr}"), v),
                None => format!("@{attr} missing"),
            };
            Some(format!("{}, {}", of("filename"), of("mimeCode")))
        }
        "UBL-DT-18" => first_with_attribute(n, "name", |e| {
            !(e.ns() == Cbc && e.name() == "PaymentMeansCode")
        }),
        "UBL-DT-08" => attribute("schemeName"),
        "UBL-DT-09" => attribute("schemeAgencyName"),
        "UBL-DT-10" => attribute("schemeDataURI"),
        "UBL-DT-11" => attribute("schemeURI"),
        "UBL-DT-12" => attribute("format"),
        "UBL-DT-13" => attribute("unitCodeListIdentifier"),
        "UBL-DT-14" => attribute("unitCodeListAgencyIdentifier"),
        "UBL-DT-15" => attribute("unitCodeListAgencyName"),
        "UBL-DT-16" => attribute("listAgencyName"),
        "UBL-DT-17" => attribute("listName"),
        "UBL-DT-19" => attribute("languageID"),
        "UBL-DT-20" => attribute("listURI"),
        "UBL-DT-21" => attribute("listSchemeURI"),
        "UBL-DT-22" => attribute("languageLocaleID"),
        "UBL-DT-23" => attribute("uri"),
        "UBL-DT-24" => attribute("currencyCodeListVersionID"),
        "UBL-DT-25" => attribute("characterSetCode"),
        "UBL-DT-26" => attribute("encodingCode"),
        "UBL-DT-27" => attribute("schemeAgencyID"),
        "UBL-DT-28" => attribute("listAgencyID"),
        _ => None,
    }
}

pub(crate) static STRUCTURE: &[Rule] = &[
    Rule {
        context: &[rel(&[el(Cac, "PostalAddress")]), rel(&[el(Cac, "Address")])],
        asserts: &[Assert {
            id: "UBL-SR-51",
            severity: Severity::Fatal,
            test: |n| count(n, &[(Cac, "AddressLine")]) <= 1,
            message: Message {
                en: "An address has more than one additional address line: combine them into one cac:AddressLine/cbc:Line.",
                nl: "Een adres heeft meer dan één extra adresregel: voeg ze samen tot één cac:AddressLine/cbc:Line.",
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
                en: "The seller has more than two tax registrations: keep at most two cac:PartyTaxScheme elements, the VAT number and one other tax number.",
                nl: "De verkoper heeft meer dan twee fiscale registraties: houd hooguit twee cac:PartyTaxScheme-elementen over, het btw-nummer en één ander fiscaal nummer.",
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
                    en: "A supporting document has more than one description: combine them into one cbc:DocumentDescription.",
                    nl: "Een bijlage heeft meer dan één omschrijving: voeg ze samen tot één cbc:DocumentDescription.",
                },
            },
            Assert {
                id: "UBL-SR-43",
                severity: Severity::Fatal,
                test: reference_kind,
                message: Message {
                    en: "A supporting document has an identifier scheme or a type code, but is no invoiced object reference: remove the attribute schemeID and cbc:DocumentTypeCode, or set cbc:DocumentTypeCode to 130 (or 50 in a credit note) when it identifies the invoiced object.",
                    nl: "Een bijlage heeft een kenmerkschema of een documentsoort, maar is geen verwijzing naar een gefactureerd object: verwijder het attribuut schemeID en cbc:DocumentTypeCode, of zet cbc:DocumentTypeCode op 130 (of 50 in een creditnota) als ze het gefactureerde object aanduidt.",
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
                en: "This amount has more than two decimals: round it to cents (only prices may have more decimals).",
                nl: "Dit bedrag heeft meer dan twee decimalen: rond het af op centen (alleen prijzen mogen meer decimalen hebben).",
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
                    en: "An attachment does not say what kind of file it is: add the attribute mimeCode, such as application/pdf.",
                    nl: "Bij een bijlage staat niet wat voor bestand het is: voeg het attribuut mimeCode toe, bijvoorbeeld application/pdf.",
                },
            },
            Assert {
                id: "UBL-DT-07",
                severity: Severity::Fatal,
                test: |n| n.attr("filename").is_some(),
                message: Message {
                    en: "An attachment has no file name: add the attribute filename, such as urenstaat.pdf.",
                    nl: "Een bijlage heeft geen bestandsnaam: voeg het attribuut filename toe, bijvoorbeeld urenstaat.pdf.",
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
                en: "The delivery names more than one recipient: keep one cac:DeliveryParty/cac:PartyName/cbc:Name.",
                nl: "De levering noemt meer dan één ontvanger: houd één cac:DeliveryParty/cac:PartyName/cbc:Name over.",
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
                en: "An allowance has more than one reason text: combine them into one cbc:AllowanceChargeReason.",
                nl: "Een korting heeft meer dan één redentekst: voeg ze samen tot één cbc:AllowanceChargeReason.",
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
                en: "A charge has more than one reason text: combine them into one cbc:AllowanceChargeReason.",
                nl: "Een toeslag heeft meer dan één redentekst: voeg ze samen tot één cbc:AllowanceChargeReason.",
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
                en: "A tax registration is incomplete: give cac:PartyTaxScheme both the number (cbc:CompanyID) and the scheme (cac:TaxScheme/cbc:ID, such as VAT).",
                nl: "Een fiscale registratie is onvolledig: geef cac:PartyTaxScheme zowel het nummer (cbc:CompanyID) als het schema (cac:TaxScheme/cbc:ID, bijvoorbeeld VAT).",
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
                    en: "The document uses the attribute schemeName, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut schemeName, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-09",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "schemeAgencyName"),
                message: Message {
                    en: "The document uses the attribute schemeAgencyName, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut schemeAgencyName, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-10",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "schemeDataURI"),
                message: Message {
                    en: "The document uses the attribute schemeDataURI, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut schemeDataURI, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-11",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "schemeURI"),
                message: Message {
                    en: "The document uses the attribute schemeURI, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut schemeURI, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-12",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "format"),
                message: Message {
                    en: "The document uses the attribute format, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut format, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-13",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "unitCodeListIdentifier"),
                message: Message {
                    en: "The document uses the attribute unitCodeListIdentifier, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut unitCodeListIdentifier, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-14",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "unitCodeListAgencyIdentifier"),
                message: Message {
                    en: "The document uses the attribute unitCodeListAgencyIdentifier, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut unitCodeListAgencyIdentifier, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-15",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "unitCodeListAgencyName"),
                message: Message {
                    en: "The document uses the attribute unitCodeListAgencyName, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut unitCodeListAgencyName, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-16",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "listAgencyName"),
                message: Message {
                    en: "The document uses the attribute listAgencyName, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut listAgencyName, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-17",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "listName"),
                message: Message {
                    en: "The document uses the attribute listName, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut listName, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-18",
                severity: Severity::Warning,
                test: names_only_on_payment_codes,
                message: Message {
                    en: "The attribute name is used elsewhere than on a payment means code: remove it there; only cbc:PaymentMeansCode may carry it.",
                    nl: "Het attribuut name staat ergens anders dan bij een betaalwijzecode: verwijder het daar; alleen cbc:PaymentMeansCode mag het hebben.",
                },
            },
            Assert {
                id: "UBL-DT-19",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "languageID"),
                message: Message {
                    en: "The document uses the attribute languageID, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut languageID, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-20",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "listURI"),
                message: Message {
                    en: "The document uses the attribute listURI, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut listURI, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-21",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "listSchemeURI"),
                message: Message {
                    en: "The document uses the attribute listSchemeURI, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut listSchemeURI, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-22",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "languageLocaleID"),
                message: Message {
                    en: "The document uses the attribute languageLocaleID, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut languageLocaleID, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-23",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "uri"),
                message: Message {
                    en: "The document uses the attribute uri, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut uri, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-24",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "currencyCodeListVersionID"),
                message: Message {
                    en: "The document uses the attribute currencyCodeListVersionID, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut currencyCodeListVersionID, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-25",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "characterSetCode"),
                message: Message {
                    en: "The document uses the attribute characterSetCode, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut characterSetCode, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-26",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "encodingCode"),
                message: Message {
                    en: "The document uses the attribute encodingCode, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut encodingCode, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-27",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "schemeAgencyID"),
                message: Message {
                    en: "The document uses the attribute schemeAgencyID, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut schemeAgencyID, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-DT-28",
                severity: Severity::Warning,
                test: |n| !any_attribute(n, "listAgencyID"),
                message: Message {
                    en: "The document uses the attribute listAgencyID, which EN 16931 has no place for: remove it wherever it appears; a receiver may ignore it.",
                    nl: "Het document gebruikt het attribuut listAgencyID, waarvoor EN 16931 geen plaats heeft: verwijder het overal waar het staat; een ontvanger mag het negeren.",
                },
            },
            Assert {
                id: "UBL-SR-01",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "ContractDocumentReference"), (Cbc, "ID")]) <= 1,
                message: Message {
                    en: "The document has more than one contract reference: keep one cac:ContractDocumentReference/cbc:ID and remove the others.",
                    nl: "Het document heeft meer dan één contractreferentie: houd één cac:ContractDocumentReference/cbc:ID over en verwijder de andere.",
                },
            },
            Assert {
                id: "UBL-SR-02",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "ReceiptDocumentReference"), (Cbc, "ID")]) <= 1,
                message: Message {
                    en: "The document has more than one receiving advice reference: keep one cac:ReceiptDocumentReference/cbc:ID and remove the others.",
                    nl: "Het document heeft meer dan één verwijzing naar een ontvangstbevestiging: houd één cac:ReceiptDocumentReference/cbc:ID over en verwijder de andere.",
                },
            },
            Assert {
                id: "UBL-SR-03",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "DespatchDocumentReference"), (Cbc, "ID")]) <= 1,
                message: Message {
                    en: "The document has more than one despatch advice reference: keep one cac:DespatchDocumentReference/cbc:ID and remove the others.",
                    nl: "Het document heeft meer dan één verwijzing naar een verzendbericht: houd één cac:DespatchDocumentReference/cbc:ID over en verwijder de andere.",
                },
            },
            Assert {
                id: "UBL-SR-05",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "PaymentTerms"), (Cbc, "Note")]) <= 1,
                message: Message {
                    en: "The document has more than one payment terms note: combine them into one cac:PaymentTerms/cbc:Note.",
                    nl: "Het document heeft meer dan één opmerking bij de betalingsvoorwaarden: voeg ze samen tot één cac:PaymentTerms/cbc:Note.",
                },
            },
            Assert {
                id: "UBL-SR-08",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "InvoicePeriod")]) <= 1,
                message: Message {
                    en: "The document has more than one invoicing period: keep one cac:InvoicePeriod and remove the others.",
                    nl: "Het document heeft meer dan één factuurperiode: houd één cac:InvoicePeriod over en verwijder de andere.",
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
                    en: "The seller has more than one registered name: keep one cac:PartyLegalEntity/cbc:RegistrationName and remove the others.",
                    nl: "De verkoper heeft meer dan één statutaire naam: houd één cac:PartyLegalEntity/cbc:RegistrationName over en verwijder de andere.",
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
                    en: "The seller has more than one trading name: keep one cac:PartyName/cbc:Name and remove the others.",
                    nl: "De verkoper heeft meer dan één handelsnaam: houd één cac:PartyName/cbc:Name over en verwijder de andere.",
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
                    en: "The seller has more than one legal registration number: keep one cac:PartyLegalEntity/cbc:CompanyID and remove the others.",
                    nl: "De verkoper heeft meer dan één inschrijvingsnummer: houd één cac:PartyLegalEntity/cbc:CompanyID over en verwijder de andere.",
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
                    en: "The seller has more than one legal form: keep one cac:PartyLegalEntity/cbc:CompanyLegalForm and remove the others.",
                    nl: "De verkoper heeft meer dan één rechtsvorm: houd één cac:PartyLegalEntity/cbc:CompanyLegalForm over en verwijder de andere.",
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
                    en: "The buyer has more than one registered name: keep one cac:PartyLegalEntity/cbc:RegistrationName and remove the others.",
                    nl: "De afnemer heeft meer dan één statutaire naam: houd één cac:PartyLegalEntity/cbc:RegistrationName over en verwijder de andere.",
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
                    en: "The buyer has more than one identifier: keep one cac:PartyIdentification/cbc:ID and remove the others.",
                    nl: "De afnemer heeft meer dan één kenmerk: houd één cac:PartyIdentification/cbc:ID over en verwijder de andere.",
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
                    en: "The buyer has more than one legal registration number: keep one cac:PartyLegalEntity/cbc:CompanyID and remove the others.",
                    nl: "De afnemer heeft meer dan één inschrijvingsnummer: houd één cac:PartyLegalEntity/cbc:CompanyID over en verwijder de andere.",
                },
            },
            Assert {
                id: "UBL-SR-24",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "Delivery")]) <= 1,
                message: Message {
                    en: "The document has more than one delivery: keep one cac:Delivery and remove the others.",
                    nl: "Het document heeft meer dan één levering: houd één cac:Delivery over en verwijder de andere.",
                },
            },
            Assert {
                id: "UBL-SR-39",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "ProjectReference"), (Cbc, "ID")]) <= 1,
                message: Message {
                    en: "The document has more than one project reference: keep one cac:ProjectReference/cbc:ID and remove the others.",
                    nl: "Het document heeft meer dan één projectreferentie: houd één cac:ProjectReference/cbc:ID over en verwijder de andere.",
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
                    en: "The buyer has more than one trading name: keep one cac:PartyName/cbc:Name and remove the others.",
                    nl: "De afnemer heeft meer dan één handelsnaam: houd één cac:PartyName/cbc:Name over en verwijder de andere.",
                },
            },
            Assert {
                id: "UBL-SR-45",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "PaymentMeans"), (Cbc, "PaymentDueDate")]) <= 1,
                message: Message {
                    en: "The document has more than one due date in the payment means: keep one cac:PaymentMeans/cbc:PaymentDueDate and remove the others.",
                    nl: "Het document heeft meer dan één vervaldatum bij de betaalwijzen: houd één cac:PaymentMeans/cbc:PaymentDueDate over en verwijder de andere.",
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
                    en: "More than one payment means has a name: keep the attribute name on one cbc:PaymentMeansCode at most.",
                    nl: "Meer dan één betaalwijze heeft een naam: houd het attribuut name bij hooguit één cbc:PaymentMeansCode.",
                },
            },
            Assert {
                id: "UBL-SR-49",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "InvoicePeriod"), (Cbc, "DescriptionCode")]) <= 1,
                message: Message {
                    en: "The document has more than one VAT point date code: keep one cac:InvoicePeriod/cbc:DescriptionCode and remove the others.",
                    nl: "Het document heeft meer dan één code voor het btw-moment: houd één cac:InvoicePeriod/cbc:DescriptionCode over en verwijder de andere.",
                },
            },
            Assert {
                id: "UBL-SR-54",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "PaymentMeans"), (Cac, "CardAccount")]) <= 1,
                message: Message {
                    en: "The document has more than one payment card: keep one cac:PaymentMeans/cac:CardAccount and remove the others.",
                    nl: "Het document heeft meer dan één betaalkaart: houd één cac:PaymentMeans/cac:CardAccount over en verwijder de andere.",
                },
            },
            Assert {
                id: "UBL-SR-55",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "PaymentMeans"), (Cac, "PaymentMandate")]) <= 1,
                message: Message {
                    en: "The document has more than one direct debit mandate: keep one cac:PaymentMeans/cac:PaymentMandate and remove the others.",
                    nl: "Het document heeft meer dan één incassomachtiging: houd één cac:PaymentMeans/cac:PaymentMandate over en verwijder de andere.",
                },
            },
            Assert {
                id: "UBL-SR-56",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "OriginatorDocumentReference"), (Cbc, "ID")]) <= 1,
                message: Message {
                    en: "The document has more than one tender or lot reference: keep one cac:OriginatorDocumentReference/cbc:ID and remove the others.",
                    nl: "Het document heeft meer dan één aanbestedings- of perceelreferentie: houd één cac:OriginatorDocumentReference/cbc:ID over en verwijder de andere.",
                },
            },
            Assert {
                id: "UBL-SR-04",
                severity: Severity::Fatal,
                test: invoiced_object_once,
                message: Message {
                    en: "The document has more than one invoiced object identifier: keep one cac:AdditionalDocumentReference with cbc:DocumentTypeCode 130 and one cbc:ID.",
                    nl: "Het document heeft meer dan één kenmerk van een gefactureerd object: houd één cac:AdditionalDocumentReference met cbc:DocumentTypeCode 130 en één cbc:ID over.",
                },
            },
            Assert {
                id: "UBL-SR-12",
                severity: Severity::Fatal,
                test: |n| seller_tax_ids(n, true) <= 1,
                message: Message {
                    en: "The seller has more than one VAT number: keep one cac:PartyTaxScheme with scheme VAT.",
                    nl: "De verkoper heeft meer dan één btw-nummer: houd één cac:PartyTaxScheme met schema VAT over.",
                },
            },
            Assert {
                id: "UBL-SR-13",
                severity: Severity::Fatal,
                test: |n| seller_tax_ids(n, false) <= 1,
                message: Message {
                    en: "The seller has more than one tax registration number besides VAT: keep one cac:PartyTaxScheme with a scheme other than VAT.",
                    nl: "De verkoper heeft naast de btw meer dan één fiscaal nummer: houd één cac:PartyTaxScheme met een ander schema dan VAT over.",
                },
            },
            Assert {
                id: "UBL-SR-18",
                severity: Severity::Fatal,
                test: buyer_vat_once,
                message: Message {
                    en: "The buyer has more than one VAT number: keep one cac:PartyTaxScheme with scheme VAT.",
                    nl: "De afnemer heeft meer dan één btw-nummer: houd één cac:PartyTaxScheme met schema VAT over.",
                },
            },
            Assert {
                id: "UBL-SR-29",
                severity: Severity::Fatal,
                test: sepa_once,
                message: Message {
                    en: "The document has more than one SEPA creditor identifier: keep one party identifier with schemeID SEPA, for the seller or the payee.",
                    nl: "Het document heeft meer dan één SEPA-incassant-ID: houd één partijkenmerk met schemeID SEPA over, bij de verkoper of de begunstigde.",
                },
            },
            Assert {
                id: "UBL-SR-44",
                severity: Severity::Fatal,
                test: |n| distinct_values(n, Cbc, "PaymentID") <= 1,
                message: Message {
                    en: "The document has more than one payment reference: use the same cbc:PaymentID in every payment means, or keep one.",
                    nl: "Het document heeft meer dan één betalingskenmerk: gebruik in elke betaalwijze dezelfde cbc:PaymentID, of houd er één over.",
                },
            },
            Assert {
                id: "UBL-SR-47",
                severity: Severity::Fatal,
                test: |n| distinct_values(n, Cbc, "PaymentMeansCode") <= 1,
                message: Message {
                    en: "The payment means use different codes: use one cbc:PaymentMeansCode throughout, or keep one payment means.",
                    nl: "De betaalwijzen hebben verschillende codes: gebruik overal dezelfde cbc:PaymentMeansCode, of houd één betaalwijze over.",
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
                    en: "A line has more than one note: combine them into one cbc:Note.",
                    nl: "Een regel heeft meer dan één opmerking: voeg ze samen tot één cbc:Note.",
                },
            },
            Assert {
                id: "UBL-SR-35",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "OrderLineReference"), (Cbc, "LineID")]) <= 1,
                message: Message {
                    en: "A line refers to more than one order line: keep one cac:OrderLineReference/cbc:LineID, or split the line.",
                    nl: "Een regel verwijst naar meer dan één orderregel: houd één cac:OrderLineReference/cbc:LineID over, of splits de regel.",
                },
            },
            Assert {
                id: "UBL-SR-36",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "InvoicePeriod")]) <= 1,
                message: Message {
                    en: "A line has more than one invoicing period: keep one cac:InvoicePeriod, or split the line.",
                    nl: "Een regel heeft meer dan één factuurperiode: houd één cac:InvoicePeriod over, of splits de regel.",
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
                    en: "A line's price has more than one price discount: combine them into one cac:Price/cac:AllowanceCharge.",
                    nl: "De prijs van een regel heeft meer dan één prijskorting: voeg ze samen tot één cac:Price/cac:AllowanceCharge.",
                },
            },
            Assert {
                id: "UBL-SR-48",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "Item"), (Cac, "ClassifiedTaxCategory")]) == 1,
                message: Message {
                    en: "A line does not have exactly one VAT category: give cac:Item one cac:ClassifiedTaxCategory, and split the line when parts fall under different categories.",
                    nl: "Een regel heeft niet precies één btw-categorie: geef cac:Item één cac:ClassifiedTaxCategory, en splits de regel als delen onder verschillende categorieën vallen.",
                },
            },
            Assert {
                id: "UBL-SR-50",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "Item"), (Cbc, "Description")]) <= 1,
                message: Message {
                    en: "A line's item has more than one description: combine them into one cac:Item/cbc:Description.",
                    nl: "Het artikel van een regel heeft meer dan één omschrijving: voeg ze samen tot één cac:Item/cbc:Description.",
                },
            },
            Assert {
                id: "UBL-SR-52",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "DocumentReference")]) <= 1,
                message: Message {
                    en: "A line has more than one document reference: keep one cac:DocumentReference, the invoiced object.",
                    nl: "Een regel heeft meer dan één documentverwijzing: houd één cac:DocumentReference over, die naar het gefactureerde object.",
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
                    en: "The payee has more than one name, or no name that differs from the seller's registered name: keep one cac:PartyName/cbc:Name, name the payee in cac:PartyName/cbc:Name, and leave cac:PayeeParty out when the seller receives the payment.",
                    nl: "De begunstigde heeft meer dan één naam, of geen naam die afwijkt van de statutaire naam van de verkoper: houd één cac:PartyName/cbc:Name over, vermeld de naam van de begunstigde in cac:PartyName/cbc:Name, en laat cac:PayeeParty weg als de verkoper de betaling ontvangt.",
                },
            },
            Assert {
                id: "UBL-SR-20",
                severity: Severity::Fatal,
                test: |n| payee_ids(n) <= 1 && payee_named_apart(n),
                message: Message {
                    en: "The payee has more than one identifier, or no name that differs from the seller's registered name: keep one cac:PartyIdentification/cbc:ID besides a SEPA creditor identifier, name the payee in cac:PartyName/cbc:Name, and leave cac:PayeeParty out when the seller receives the payment.",
                    nl: "De begunstigde heeft meer dan één kenmerk, of geen naam die afwijkt van de statutaire naam van de verkoper: houd naast een SEPA-incassant-ID één cac:PartyIdentification/cbc:ID over, vermeld de naam van de begunstigde in cac:PartyName/cbc:Name, en laat cac:PayeeParty weg als de verkoper de betaling ontvangt.",
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
                    en: "The payee has more than one legal registration number, or no name that differs from the seller's registered name: keep one cac:PartyLegalEntity/cbc:CompanyID, name the payee in cac:PartyName/cbc:Name, and leave cac:PayeeParty out when the seller receives the payment.",
                    nl: "De begunstigde heeft meer dan één inschrijvingsnummer, of geen naam die afwijkt van de statutaire naam van de verkoper: houd één cac:PartyLegalEntity/cbc:CompanyID over, vermeld de naam van de begunstigde in cac:PartyName/cbc:Name, en laat cac:PayeeParty weg als de verkoper de betaling ontvangt.",
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
                    en: "A payment means has more than one payment reference: keep one cbc:PaymentID.",
                    nl: "Een betaalwijze heeft meer dan één betalingskenmerk: houd één cbc:PaymentID over.",
                },
            },
            Assert {
                id: "UBL-SR-27",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cbc, "PaymentMeansCode")]) <= 1,
                message: Message {
                    en: "A payment means has more than one code: keep one cbc:PaymentMeansCode, and give each other way of paying its own cac:PaymentMeans.",
                    nl: "Een betaalwijze heeft meer dan één code: houd één cbc:PaymentMeansCode over, en geef elke andere manier van betalen een eigen cac:PaymentMeans.",
                },
            },
            Assert {
                id: "UBL-SR-28",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "PaymentMandate"), (Cbc, "ID")]) <= 1,
                message: Message {
                    en: "A payment means has more than one mandate reference: keep one cac:PaymentMandate/cbc:ID.",
                    nl: "Een betaalwijze heeft meer dan één machtigingskenmerk: houd één cac:PaymentMandate/cbc:ID over.",
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
                    en: "A reference to an earlier invoice names more than one invoice: give each earlier invoice its own cac:BillingReference.",
                    nl: "Een verwijzing naar een eerdere factuur noemt meer dan één factuur: geef elke eerdere factuur een eigen cac:BillingReference.",
                },
            },
            Assert {
                id: "UBL-SR-07",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cac, "InvoiceDocumentReference"), (Cbc, "ID")]),
                message: Message {
                    en: "A reference to an earlier invoice has no invoice number: add cac:InvoiceDocumentReference/cbc:ID with the number of that invoice.",
                    nl: "Een verwijzing naar een eerdere factuur heeft geen factuurnummer: voeg cac:InvoiceDocumentReference/cbc:ID toe met het nummer van die factuur.",
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
                    en: "The tax representative has more than one name: keep one cac:PartyName/cbc:Name.",
                    nl: "De fiscaal vertegenwoordiger heeft meer dan één naam: houd één cac:PartyName/cbc:Name over.",
                },
            },
            Assert {
                id: "UBL-SR-23",
                severity: Severity::Fatal,
                test: |n| count(n, &[(Cac, "PartyTaxScheme"), (Cbc, "CompanyID")]) <= 1,
                message: Message {
                    en: "The tax representative has more than one VAT number: keep one cac:PartyTaxScheme/cbc:CompanyID.",
                    nl: "De fiscaal vertegenwoordiger heeft meer dan één btw-nummer: houd één cac:PartyTaxScheme/cbc:CompanyID over.",
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
                en: "A VAT breakdown entry has more than one exemption reason text: combine them into one cbc:TaxExemptionReason.",
                nl: "Een regel van de btw-specificatie heeft meer dan één vrijstellingsreden als tekst: voeg ze samen tot één cbc:TaxExemptionReason.",
            },
        }],
    },
];
