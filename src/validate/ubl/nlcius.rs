//! SI-UBL 2.0's own rules (NLCIUS, version 2.0.3.12): the version check and the Dutch rules
//! (`BR-NL-*`, `SI-UBL-2`). Most Dutch rules apply only when the seller is in the Netherlands
//! and the document says it follows SI-UBL 2.0 (the official `$s`); one applies to every SI-UBL
//! 2.0 document (`$si`).
//!
//! The official SI-UBL validator also runs its own copy of the CEN rules, at version 1.3.15:
//! [`super::RuleSet::Nlcius`] runs the CEN rule base at that version (see
//! [`super::en16931::version`]) before these.

use crate::ubl::{Node, Ns, Ns::Cac, Ns::Cbc};
use crate::validate::{Message, Severity};

use crate::validate::ubl::en16931::model::dec;
use crate::validate::ubl::engine::context::{Assert, Rule, Step, el, el_if, rel, rooted};
use crate::validate::ubl::engine::unjudged::{Judged, judged, note};
use crate::validate::ubl::engine::xpath::{exists, first, normalize, single, string, trim};

/// The document's `normalize-space(/*/cbc:CustomizationID)`.
fn customization(n: Node<'_>) -> Judged<String> {
    Ok(single(n.document().root(), &[(Cbc, "CustomizationID")])?
        .map(|c| normalize(&string(c)))
        .unwrap_or_default())
}

/// `$si` and `$s` of a document.
type Facts = (Judged<bool>, Judged<bool>);

thread_local! {
    /// `$si` and `$s` of the document being checked, set for the length of one run: they are
    /// the same for every node, and contexts ask for them node by node.
    static FACTS: std::cell::Cell<Option<Facts>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with the document's `$si` and `$s` worked out once.
pub(crate) fn with_facts<T>(root: Node<'_>, f: impl FnOnce() -> T) -> T {
    FACTS.with(|c| c.set(Some((si_of(root), s_of(root)))));
    let out = f();
    FACTS.with(|c| c.set(None));
    out
}

/// A fact as a context's predicate sees it: where the official rules cannot work it out (two
/// customization ids, two seller countries), the predicate does not hold (and the official
/// tool, which evaluates these variables inside the contexts, goes on without those rules).
fn holds(fact: Judged<bool>) -> bool {
    fact.unwrap_or_else(|n| {
        note(n);
        false
    })
}

/// `$si`: the document says it follows SI-UBL 2.0 (or its G-account extension).
pub(crate) fn si(n: Node<'_>) -> bool {
    holds(
        FACTS
            .with(|c| c.get())
            .map_or_else(|| si_of(n), |(si, _)| si),
    )
}

/// `$s`: SI-UBL 2.0 and a seller in the Netherlands.
pub(crate) fn s(n: Node<'_>) -> bool {
    holds(FACTS.with(|c| c.get()).map_or_else(|| s_of(n), |(_, s)| s))
}

fn si_of(n: Node<'_>) -> Judged<bool> {
    let id = customization(n)?;
    Ok(id.contains("#compliant#urn:fdc:nen.nl:nlcius:v1.0")
        || id.contains("#conformant#urn:fdc:nen.nl:gaccount:v1.0"))
}

/// The seller's country by its address (`XX` when there is none) is NL, and `$si`.
fn s_of(n: Node<'_>) -> Judged<bool> {
    let country = single(
        n.document().root(),
        &[
            (Cac, "AccountingSupplierParty"),
            (Cac, "Party"),
            (Cac, "PostalAddress"),
            (Cac, "Country"),
            (Cbc, "IdentificationCode"),
        ],
    )?
    .map_or_else(|| "XX".to_owned(), |c| normalize(&string(c)).to_uppercase());
    Ok(country == "NL" && si_of(n)?)
}

/// `contains(concat(' ', string-join(path/@schemeID, ' '), ' '), ' 0106 ')` or the same with
/// 0190: a KvK or OIN scheme among the schemes, as the rule searches the joined text.
fn kvk_or_oin(ids: &[Node<'_>]) -> bool {
    let joined = format!(
        " {} ",
        ids.iter()
            .filter_map(|i| i.attr("schemeID"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    joined.contains(" 0106 ") || joined.contains(" 0190 ")
}

/// BR-NL-1: the seller has a KvK or OIN number.
fn seller_registered(n: Node<'_>) -> bool {
    let ids = crate::validate::ubl::engine::xpath::select(
        n,
        &[(Cac, "PartyLegalEntity"), (Cbc, "CompanyID")],
    );
    kvk_or_oin(&ids) && ids.iter().any(|i| !normalize(&string(*i)).is_empty())
}

/// BR-NL-3: street, city and postal code.
fn street_city_postcode(n: Node<'_>) -> bool {
    exists(n, &[(Cbc, "StreetName")])
        && exists(n, &[(Cbc, "CityName")])
        && exists(n, &[(Cbc, "PostalZone")])
}

/// BR-NL-4 and 5: a Dutch address has street, city and postal code (`!= 'NL'` holds when some
/// country code differs).
fn dutch_address_complete(n: Node<'_>) -> bool {
    crate::validate::ubl::engine::xpath::select(n, &[(Cac, "Country"), (Cbc, "IdentificationCode")])
        .into_iter()
        .any(|c| string(c) != "NL")
        || street_city_postcode(n)
}

/// BR-NL-10: a Dutch buyer has a KvK or OIN number, and a registration number is not blank.
fn buyer_registered(n: Node<'_>) -> bool {
    let doc = n.document();
    let parties: Vec<Node<'_>> = doc
        .elements(Cac, "AccountingCustomerParty")
        .flat_map(|p| p.all(Cac, "Party"))
        .collect();
    let dutch = parties.iter().any(|p| {
        crate::validate::ubl::engine::xpath::select(
            *p,
            &[
                (Cac, "PostalAddress"),
                (Cac, "Country"),
                (Cbc, "IdentificationCode"),
            ],
        )
        .into_iter()
        .any(|c| string(c) == "NL")
    });
    let ids: Vec<Node<'_>> = parties
        .iter()
        .flat_map(|p| {
            crate::validate::ubl::engine::xpath::select(
                *p,
                &[(Cac, "PartyLegalEntity"), (Cbc, "CompanyID")],
            )
        })
        .collect();
    let own: Vec<Node<'_>> = n.all(Cbc, "CompanyID").collect();
    (!dutch || kvk_or_oin(&ids))
        && (own.is_empty() || own.iter().any(|i| !normalize(&string(*i)).is_empty()))
}

/// BR-NL-11: an invoice with something to pay says how.
fn payment_means_given(n: Node<'_>) -> bool {
    judged(dec(n, &[(Cbc, "PayableAmount")]).map(|a| a.is_some_and(|a| a <= 0.into())))
        || n.document().elements(Cac, "PaymentMeans").next().is_some()
}

/// The payment means code, trimmed and collapsed.
fn means_code(n: Node<'_>) -> String {
    first(n, &[(Cbc, "PaymentMeansCode")])
        .map(|c| normalize(&string(c)))
        .unwrap_or_default()
}

/// BR-NL-31: no BIC with SEPA payments (58, 59).
fn no_bic_for_sepa(n: Node<'_>) -> bool {
    !matches!(means_code(n).as_str(), "58" | "59")
        || !exists(
            n,
            &[
                (Cac, "PayeeFinancialAccount"),
                (Cac, "FinancialInstitutionBranch"),
                (Cbc, "ID"),
            ],
        )
}

/// The value of an element compared as written (`. = '381'`).
fn value_is(n: Node<'_>, v: &str) -> bool {
    string(n) == v
}

fn is_credit_note(n: Node<'_>) -> bool {
    let root = n.document().root();
    root.ns() == Ns::CreditNote && root.name() == "CreditNote"
}

fn is_invoice(n: Node<'_>) -> bool {
    let root = n.document().root();
    root.ns() == Ns::Invoice && root.name() == "Invoice"
}

/// BR-NL-25: a seller's tax registration number is a VAT number.
fn vat_registration(n: Node<'_>) -> bool {
    !exists(n, &[(Cbc, "CompanyID")])
        || crate::validate::ubl::engine::xpath::select(n, &[(Cac, "TaxScheme"), (Cbc, "ID")])
            .into_iter()
            .any(|id| string(id) == "VAT")
}

/// BR-NL-33: the VAT total is in the document currency.
fn in_document_currency(n: Node<'_>) -> bool {
    let Some(currency) = n.attr("currencyID") else {
        return false;
    };
    n.document()
        .elements(Cbc, "DocumentCurrencyCode")
        .any(|c| string(c) == currency)
}

/// `//*[not(*) and not(normalize-space())]`: an element with neither child elements nor text.
fn empty_element(n: Node<'_>) -> bool {
    n.children().next().is_none() && trim(n.text()).is_empty()
}

const fn m(en: &'static str, nl: &'static str) -> Message {
    Message { en, nl }
}

const fn fatal(id: &'static str, test: fn(Node<'_>) -> bool, message: Message) -> Assert {
    Assert {
        id,
        severity: Severity::Fatal,
        test,
        message,
    }
}

const fn warning(id: &'static str, test: fn(Node<'_>) -> bool, message: Message) -> Assert {
    Assert {
        id,
        severity: Severity::Warning,
        test,
        message,
    }
}

/// An element SI-UBL 2.0 asks to leave out: its rule fails wherever the element is.
const fn left_out(id: &'static str, message: Message) -> Assert {
    warning(id, |_| false, message)
}

const NOT_USED: Message = m(
    "SI-UBL 2.0 does not use this element; it should be left out.",
    "SI-UBL 2.0 gebruikt dit element niet; het hoort weggelaten te worden.",
);

/// The version pattern: a CustomizationID, and the SI-UBL 2.0 one.
pub(crate) static VERSION: &[Rule] = &[
    Rule {
        context: &[rel(&[el(Ns::Invoice, "Invoice")])],
        asserts: &[fatal(
            "BII2-T10-R001",
            |n| exists(n, &[(Cbc, "CustomizationID")]),
            m(
                "The invoice does not say which specification it follows (CustomizationID).",
                "De factuur zegt niet welke specificatie ze volgt (CustomizationID).",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el(Ns::CreditNote, "CreditNote")])],
        asserts: &[fatal(
            "BII2-T10-R001",
            |n| exists(n, &[(Cbc, "CustomizationID")]),
            m(
                "The credit note does not say which specification it follows (CustomizationID).",
                "De creditnota zegt niet welke specificatie ze volgt (CustomizationID).",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el(Cbc, "CustomizationID")])],
        asserts: &[fatal(
            "SI-V20-INV-R000",
            |n| {
                normalize(&string(n))
                    .starts_with("urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0")
            },
            m(
                "The document is not marked as SI-UBL 2.0 (its CustomizationID).",
                "Het document is niet gemarkeerd als SI-UBL 2.0 (de CustomizationID).",
            ),
        )],
    },
];

/// SI-INV-R000's message: the document is not an invoice or credit note at all.
pub(crate) const NOT_AN_INVOICE: Message = m(
    "This is not a UBL invoice or credit note; SI-UBL 2.0 cannot be checked.",
    "Dit is geen UBL-factuur of -creditnota; SI-UBL 2.0 kan niet gecontroleerd worden.",
);

/// The Dutch rules, in the official order of contexts.
pub(crate) static NLCIUS: &[Rule] = &[
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el_if(Cac, "Party", s),
        ])],
        asserts: &[fatal(
            "BR-NL-1",
            seller_registered,
            m(
                "A Dutch seller needs its KvK number (scheme 0106) or OIN (scheme 0190).",
                "Een Nederlandse leverancier heeft een KvK-nummer (schema 0106) of OIN (schema 0190) nodig.",
            ),
        )],
    },
    Rule {
        context: &[rooted(&[Step {
            name: None,
            pred: Some(s),
        }])],
        asserts: &[fatal(
            "BR-NL-2",
            |n| {
                exists(n, &[(Cbc, "BuyerReference")])
                    || exists(n, &[(Cac, "OrderReference"), (Cbc, "ID")])
            },
            m(
                "The document needs the buyer's reference or an order reference.",
                "Het document heeft de referentie van de afnemer of een orderreferentie nodig.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el(Cac, "Party"),
            el_if(Cac, "PostalAddress", s),
        ])],
        asserts: &[fatal(
            "BR-NL-3",
            street_city_postcode,
            m(
                "The seller's address needs street, city and postal code.",
                "Het adres van de leverancier heeft straat, plaats en postcode nodig.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingCustomerParty"),
            el(Cac, "Party"),
            el_if(Cac, "PostalAddress", s),
        ])],
        asserts: &[fatal(
            "BR-NL-4",
            dutch_address_complete,
            m(
                "A Dutch buyer's address needs street, city and postal code.",
                "Een Nederlands adres van de afnemer heeft straat, plaats en postcode nodig.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "TaxRepresentativeParty"),
            el_if(Cac, "PostalAddress", s),
        ])],
        asserts: &[fatal(
            "BR-NL-5",
            dutch_address_complete,
            m(
                "A Dutch tax representative's address needs street, city and postal code.",
                "Een Nederlands adres van de fiscaal vertegenwoordiger heeft straat, plaats en postcode nodig.",
            ),
        )],
    },
    Rule {
        context: &[
            rel(&[el_if(Cbc, "InvoiceTypeCode", s)]),
            rel(&[el_if(Cbc, "CreditNoteTypeCode", s)]),
        ],
        asserts: &[
            fatal(
                "BR-NL-7",
                |n| ["380", "381", "384", "389"].iter().any(|v| value_is(n, v)),
                m(
                    "SI-UBL 2.0 allows document types 380, 381, 384 and 389 only.",
                    "SI-UBL 2.0 staat alleen documentsoorten 380, 381, 384 en 389 toe.",
                ),
            ),
            fatal(
                "BR-NL-8",
                |n| !value_is(n, "381") || is_credit_note(n),
                m(
                    "Document type 381 (credit note) belongs in a CreditNote.",
                    "Documentsoort 381 (creditnota) hoort in een CreditNote.",
                ),
            ),
            fatal(
                "BR-NL-8",
                |n| value_is(n, "381") || is_invoice(n),
                m(
                    "A CreditNote must have document type 381.",
                    "Een CreditNote moet documentsoort 381 hebben.",
                ),
            ),
            fatal(
                "BR-NL-9",
                |n| {
                    !value_is(n, "384")
                        || exists(
                            n.document().root(),
                            &[
                                (Cac, "BillingReference"),
                                (Cac, "InvoiceDocumentReference"),
                                (Cbc, "ID"),
                            ],
                        )
                },
                m(
                    "A corrective invoice (384) must refer to the invoice it corrects.",
                    "Een correctiefactuur (384) moet verwijzen naar de factuur die ze corrigeert.",
                ),
            ),
        ],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingCustomerParty"),
            el(Cac, "Party"),
            el_if(Cac, "PartyLegalEntity", s),
        ])],
        asserts: &[fatal(
            "BR-NL-10",
            buyer_registered,
            m(
                "A Dutch buyer needs its KvK number (0106) or OIN (0190), and a registration number must not be blank.",
                "Een Nederlandse afnemer heeft een KvK-nummer (0106) of OIN (0190) nodig, en een registratienummer mag niet leeg zijn.",
            ),
        )],
    },
    Rule {
        context: &[rooted(&[
            el(Ns::Invoice, "Invoice"),
            el_if(Cac, "LegalMonetaryTotal", s),
        ])],
        asserts: &[fatal(
            "BR-NL-11",
            payment_means_given,
            m(
                "An invoice with an amount to pay needs a payment means.",
                "Een factuur met een te betalen bedrag heeft een betaalwijze nodig.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el_if(Cac, "PaymentMeans", s)])],
        asserts: &[
            fatal(
                "BR-NL-12",
                |n| {
                    matches!(
                        means_code(n).as_str(),
                        "30" | "48" | "49" | "57" | "58" | "59"
                    )
                },
                m(
                    "SI-UBL 2.0 allows payment means 30, 48, 49, 57, 58 and 59 only.",
                    "SI-UBL 2.0 staat alleen betaalwijzen 30, 48, 49, 57, 58 en 59 toe.",
                ),
            ),
            warning(
                "BR-NL-31",
                no_bic_for_sepa,
                m(
                    "A SEPA payment (58, 59) should not carry a BIC.",
                    "Een SEPA-betaling (58, 59) hoort geen BIC te hebben.",
                ),
            ),
        ],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "OrderLineReference"),
            el_if(Cbc, "LineID", si),
        ])],
        asserts: &[fatal(
            "BR-NL-13",
            |n| exists(n.document().root(), &[(Cac, "OrderReference"), (Cbc, "ID")]),
            m(
                "An order line reference needs an order reference on the document.",
                "Een orderregelreferentie heeft een orderreferentie op het document nodig.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el_if(Cbc, "TaxCurrencyCode", s)])],
        asserts: &[left_out("BR-NL-19", NOT_USED)],
    },
    Rule {
        context: &[rel(&[el_if(Cbc, "TaxPointDate", s)])],
        asserts: &[left_out("BR-NL-20", NOT_USED)],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "InvoicePeriod"),
            el_if(Cbc, "DescriptionCode", s),
        ])],
        asserts: &[left_out("BR-NL-21", NOT_USED)],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "BillingReference"),
            el(Cac, "InvoiceDocumentReference"),
            el_if(Cbc, "IssueDate", s),
        ])],
        asserts: &[left_out("BR-NL-24", NOT_USED)],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el(Cac, "Party"),
            el_if(Cac, "PartyTaxScheme", s),
        ])],
        asserts: &[warning(
            "BR-NL-25",
            vat_registration,
            m(
                "The seller's tax registration should be a VAT number (scheme VAT).",
                "De fiscale registratie van de leverancier hoort een btw-nummer te zijn (schema VAT).",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el(Cac, "Party"),
            el(Cac, "PartyLegalEntity"),
            el_if(Cbc, "CompanyLegalForm", s),
        ])],
        asserts: &[left_out("BR-NL-26", NOT_USED)],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el(Cac, "Party"),
            el(Cac, "PostalAddress"),
            el(Cac, "AddressLine"),
            el_if(Cbc, "Line", s),
        ])],
        asserts: &[left_out("BR-NL-27-1", NOT_USED)],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingCustomerParty"),
            el(Cac, "Party"),
            el(Cac, "PostalAddress"),
            el(Cac, "AddressLine"),
            el_if(Cbc, "Line", s),
        ])],
        asserts: &[left_out("BR-NL-27-2", NOT_USED)],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "TaxRepresentativeParty"),
            el(Cac, "PostalAddress"),
            el(Cac, "AddressLine"),
            el_if(Cbc, "Line", s),
        ])],
        asserts: &[left_out("BR-NL-27-3", NOT_USED)],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "Delivery"),
            el(Cac, "DeliveryLocation"),
            el(Cac, "Address"),
            el(Cac, "AddressLine"),
            el_if(Cbc, "Line", s),
        ])],
        asserts: &[left_out("BR-NL-27-4", NOT_USED)],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el(Cac, "Party"),
            el(Cac, "PostalAddress"),
            el_if(Cbc, "CountrySubentity", s),
        ])],
        asserts: &[left_out("BR-NL-28-1", NOT_USED)],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingCustomerParty"),
            el(Cac, "Party"),
            el(Cac, "PostalAddress"),
            el_if(Cbc, "CountrySubentity", s),
        ])],
        asserts: &[left_out("BR-NL-28-2", NOT_USED)],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "TaxRepresentativeParty"),
            el(Cac, "PostalAddress"),
            el_if(Cbc, "CountrySubentity", s),
        ])],
        asserts: &[left_out("BR-NL-28-3", NOT_USED)],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "Delivery"),
            el(Cac, "DeliveryLocation"),
            el(Cac, "Address"),
            el_if(Cbc, "CountrySubentity", s),
        ])],
        asserts: &[left_out("BR-NL-28-4", NOT_USED)],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "PaymentMeans"),
            el_if(Cbc, "PaymentMeansCode", s),
        ])],
        asserts: &[warning(
            "BR-NL-29",
            |n| n.attr("name").is_none(),
            m(
                "A payment means code should not carry a name.",
                "Een betaalwijzecode hoort geen naam te hebben.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "PaymentMeans"),
            el(Cac, "PayeeFinancialAccount"),
            el_if(Cbc, "Name", s),
        ])],
        asserts: &[left_out("BR-NL-30", NOT_USED)],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AllowanceCharge"),
            el_if(Cbc, "AllowanceChargeReasonCode", s),
        ])],
        asserts: &[left_out("BR-NL-32-1", NOT_USED)],
    },
    // The official set lists these after the more general context above, which takes their
    // nodes first: as there, they never apply.
    Rule {
        context: &[rel(&[
            el(Cac, "InvoiceLine"),
            el(Cac, "AllowanceCharge"),
            el_if(Cbc, "AllowanceChargeReasonCode", s),
        ])],
        asserts: &[left_out("BR-NL-32-2", NOT_USED)],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "CreditNoteLine"),
            el(Cac, "AllowanceCharge"),
            el_if(Cbc, "AllowanceChargeReasonCode", s),
        ])],
        asserts: &[left_out("BR-NL-32-3", NOT_USED)],
    },
    Rule {
        context: &[rel(&[el(Cac, "TaxTotal"), el_if(Cbc, "TaxAmount", s)])],
        asserts: &[warning(
            "BR-NL-33",
            in_document_currency,
            m(
                "SI-UBL 2.0 expects the VAT total in the document currency only.",
                "SI-UBL 2.0 verwacht het btw-totaal alleen in de documentvaluta.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "TaxTotal"),
            el(Cac, "TaxSubtotal"),
            el(Cac, "TaxCategory"),
            el_if(Cbc, "TaxExemptionReasonCode", s),
        ])],
        asserts: &[left_out("BR-NL-35", NOT_USED)],
    },
    Rule {
        context: &[rel(&[Step {
            name: None,
            pred: Some(empty_element),
        }])],
        asserts: &[left_out(
            "SI-UBL-2",
            m(
                "An element without content should be left out.",
                "Een element zonder inhoud hoort weggelaten te worden.",
            ),
        )],
    },
];
