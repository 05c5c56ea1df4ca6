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

/// What a failed Dutch rule shows where a value is involved: the schemes of the registration
/// numbers, the parts of an address that are missing, the code or attribute judged.
pub(crate) fn values(id: &'static str, n: Node<'_>) -> Option<String> {
    let schemes = |ids: &[Node<'_>]| -> String {
        if ids.is_empty() {
            return "cbc:CompanyID missing".to_owned();
        }
        let shown: Vec<String> = ids
            .iter()
            .map(|i| match i.attr("schemeID") {
                Some(s) => crate::validate::ubl::shown("cbc:CompanyID/@schemeID", s),
                None => "cbc:CompanyID/@schemeID missing".to_owned(),
            })
            .collect();
        shown.join(", ")
    };
    match id {
        "BR-NL-1" => Some(schemes(&crate::validate::ubl::engine::xpath::select(
            n,
            &[(Cac, "PartyLegalEntity"), (Cbc, "CompanyID")],
        ))),
        "BR-NL-10" => Some(schemes(&n.all(Cbc, "CompanyID").collect::<Vec<_>>())),
        "BR-NL-3" | "BR-NL-4" | "BR-NL-5" => {
            let missing: Vec<String> = ["StreetName", "CityName", "PostalZone"]
                .into_iter()
                .filter(|name| !exists(n, &[(Cbc, name)]))
                .map(|name| format!("cbc:{name} missing"))
                .collect();
            Some(missing.join(", "))
        }
        "BR-NL-11" => first(n, &[(Cbc, "PayableAmount")])
            .map(|a| format!("BT-115 = {}, cac:PaymentMeans missing", trim(&string(a)))),
        "BR-NL-12" => Some(match first(n, &[(Cbc, "PaymentMeansCode")]) {
            Some(c) => crate::validate::ubl::shown("BT-81", &string(c)),
            None => "BT-81 missing".to_owned(),
        }),
        "BR-NL-31" => first(
            n,
            &[
                (Cac, "PayeeFinancialAccount"),
                (Cac, "FinancialInstitutionBranch"),
                (Cbc, "ID"),
            ],
        )
        .map(|b| {
            format!(
                "BT-81 = {}, {}",
                means_code(n),
                crate::validate::ubl::shown("BT-86", &string(b))
            )
        }),
        "BR-NL-25" => first(n, &[(Cac, "TaxScheme"), (Cbc, "ID")])
            .map(|s| crate::validate::ubl::shown("cac:TaxScheme/cbc:ID", &string(s))),
        "BR-NL-29" => n
            .attr("name")
            .map(|v| crate::validate::ubl::shown("@name", v)),
        "BR-NL-33" => {
            let document = n
                .document()
                .elements(Cbc, "DocumentCurrencyCode")
                .next()
                .map_or("BT-5 missing".to_owned(), |c| {
                    format!("BT-5 = {}", trim(&string(c)))
                });
            Some(match n.attr("currencyID") {
                Some(c) => format!(
                    "{}, {document}",
                    crate::validate::ubl::shown("@currencyID", c)
                ),
                None => format!("@currencyID missing, {document}"),
            })
        }
        _ => None,
    }
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

/// The version pattern: a CustomizationID, and the SI-UBL 2.0 one.
pub(crate) static VERSION: &[Rule] = &[
    Rule {
        context: &[rel(&[el(Ns::Invoice, "Invoice")])],
        asserts: &[fatal(
            "BII2-T10-R001",
            |n| exists(n, &[(Cbc, "CustomizationID")]),
            m(
                "The invoice does not say which specification it follows: add cbc:CustomizationID, for SI-UBL 2.0 urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0.",
                "De factuur zegt niet welke specificatie ze volgt: voeg cbc:CustomizationID toe, voor SI-UBL 2.0 urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el(Ns::CreditNote, "CreditNote")])],
        asserts: &[fatal(
            "BII2-T10-R001",
            |n| exists(n, &[(Cbc, "CustomizationID")]),
            m(
                "The credit note does not say which specification it follows: add cbc:CustomizationID, for SI-UBL 2.0 urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0.",
                "De creditnota zegt niet welke specificatie ze volgt: voeg cbc:CustomizationID toe, voor SI-UBL 2.0 urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0.",
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
                "The document does not say it follows SI-UBL 2.0: let cbc:CustomizationID start with urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0, or check it against the rules it does follow.",
                "Het document zegt niet dat het SI-UBL 2.0 volgt: laat cbc:CustomizationID beginnen met urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0, of controleer het met de regels die het wel volgt.",
            ),
        )],
    },
];

/// SI-INV-R000's message: the document is not an invoice or credit note at all.
pub(crate) const NOT_AN_INVOICE: Message = m(
    "This is not a UBL invoice or credit note, so SI-UBL 2.0 cannot judge it: send an Invoice or CreditNote document of UBL 2.1.",
    "Dit is geen UBL-factuur of -creditnota, dus SI-UBL 2.0 kan het niet beoordelen: stuur een Invoice- of CreditNote-document van UBL 2.1.",
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
                "A Dutch seller must be identified by its KvK number or OIN: add cac:PartyLegalEntity/cbc:CompanyID with schemeID 0106 (KvK) or 0190 (OIN).",
                "Een Nederlandse verkoper moet te herkennen zijn aan het KvK-nummer of OIN: voeg cac:PartyLegalEntity/cbc:CompanyID toe met schemeID 0106 (KvK) of 0190 (OIN).",
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
                "The document has neither the buyer's reference nor an order number: add cbc:BuyerReference (such as the buyer's cost centre or reference) or cac:OrderReference/cbc:ID.",
                "Het document heeft geen referentie van de afnemer en geen ordernummer: voeg cbc:BuyerReference toe (bijvoorbeeld de kostenplaats of referentie van de afnemer) of cac:OrderReference/cbc:ID.",
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
                "The seller's address is incomplete: give cbc:StreetName, cbc:CityName and cbc:PostalZone.",
                "Het adres van de verkoper is onvolledig: geef cbc:StreetName, cbc:CityName en cbc:PostalZone.",
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
                "The Dutch address of the buyer is incomplete: give cbc:StreetName, cbc:CityName and cbc:PostalZone.",
                "Het Nederlandse adres van de afnemer is onvolledig: geef cbc:StreetName, cbc:CityName en cbc:PostalZone.",
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
                "The Dutch address of the tax representative is incomplete: give cbc:StreetName, cbc:CityName and cbc:PostalZone.",
                "Het Nederlandse adres van de fiscaal vertegenwoordiger is onvolledig: geef cbc:StreetName, cbc:CityName en cbc:PostalZone.",
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
                    "SI-UBL 2.0 does not allow this document type: use 380 (invoice), 381 (credit note), 384 (corrected invoice) or 389 (self-billed invoice).",
                    "SI-UBL 2.0 staat deze documentsoort niet toe: gebruik 380 (factuur), 381 (creditnota), 384 (correctiefactuur) of 389 (zelffacturering).",
                ),
            ),
            fatal(
                "BR-NL-8",
                |n| !value_is(n, "381") || is_credit_note(n),
                m(
                    "Document type 381 (credit note) is used in an Invoice: send a credit note as a CreditNote document, or use another type code.",
                    "Documentsoort 381 (creditnota) staat in een Invoice: verstuur een creditnota als CreditNote-document, of gebruik een andere documentsoort.",
                ),
            ),
            fatal(
                "BR-NL-8",
                |n| value_is(n, "381") || is_invoice(n),
                m(
                    "A CreditNote has a type code other than 381: set cbc:CreditNoteTypeCode to 381, or send the document as an Invoice.",
                    "Een CreditNote heeft een andere documentsoort dan 381: zet cbc:CreditNoteTypeCode op 381, of verstuur het document als Invoice.",
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
                    "A corrected invoice (384) does not say which invoice it corrects: add cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID with that invoice's number.",
                    "Een correctiefactuur (384) zegt niet welke factuur ze corrigeert: voeg cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID toe met het nummer van die factuur.",
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
                "A Dutch buyer must be identified by its KvK number or OIN, and a legal registration number must not be empty: give cac:PartyLegalEntity/cbc:CompanyID with schemeID 0106 (KvK) or 0190 (OIN).",
                "Een Nederlandse afnemer moet te herkennen zijn aan het KvK-nummer of OIN, en een inschrijvingsnummer mag niet leeg zijn: geef cac:PartyLegalEntity/cbc:CompanyID met schemeID 0106 (KvK) of 0190 (OIN).",
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
                "There is an amount to pay, but the invoice does not say how: add cac:PaymentMeans, such as code 30 or 58 with the IBAN in cac:PayeeFinancialAccount/cbc:ID.",
                "Er is een bedrag te betalen, maar de factuur zegt niet hoe: voeg cac:PaymentMeans toe, bijvoorbeeld code 30 of 58 met het IBAN in cac:PayeeFinancialAccount/cbc:ID.",
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
                    "SI-UBL 2.0 does not allow this payment means: use 30 (credit transfer), 48 (card), 49 (direct debit), 57 (standing agreement), 58 (SEPA credit transfer) or 59 (SEPA direct debit) in cbc:PaymentMeansCode.",
                    "SI-UBL 2.0 staat deze betaalwijze niet toe: gebruik 30 (overschrijving), 48 (betaalkaart), 49 (incasso), 57 (doorlopende opdracht), 58 (SEPA-overschrijving) of 59 (SEPA-incasso) in cbc:PaymentMeansCode.",
                ),
            ),
            warning(
                "BR-NL-31",
                no_bic_for_sepa,
                m(
                    "A SEPA payment (58 or 59) should not carry a BIC: remove cac:FinancialInstitutionBranch/cbc:ID from cac:PayeeFinancialAccount; the IBAN is enough.",
                    "Een SEPA-betaling (58 of 59) hoort geen BIC te hebben: verwijder cac:FinancialInstitutionBranch/cbc:ID uit cac:PayeeFinancialAccount; het IBAN is genoeg.",
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
                "A line refers to an order line, but the document names no order: add cac:OrderReference/cbc:ID with the order number, or remove cac:OrderLineReference.",
                "Een regel verwijst naar een orderregel, maar het document noemt geen order: voeg cac:OrderReference/cbc:ID toe met het ordernummer, of verwijder cac:OrderLineReference.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el_if(Cbc, "TaxCurrencyCode", s)])],
        asserts: &[left_out(
            "BR-NL-19",
            m(
                "SI-UBL 2.0 does not use a VAT accounting currency: remove cbc:TaxCurrencyCode.",
                "SI-UBL 2.0 gebruikt geen aparte btw-valuta: verwijder cbc:TaxCurrencyCode.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el_if(Cbc, "TaxPointDate", s)])],
        asserts: &[left_out(
            "BR-NL-20",
            m(
                "SI-UBL 2.0 does not use a VAT point date: remove cbc:TaxPointDate.",
                "SI-UBL 2.0 gebruikt geen datum van het btw-moment: verwijder cbc:TaxPointDate.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "InvoicePeriod"),
            el_if(Cbc, "DescriptionCode", s),
        ])],
        asserts: &[left_out(
            "BR-NL-21",
            m(
                "SI-UBL 2.0 does not use a VAT point date code: remove cbc:DescriptionCode from cac:InvoicePeriod.",
                "SI-UBL 2.0 gebruikt geen code voor het btw-moment: verwijder cbc:DescriptionCode uit cac:InvoicePeriod.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "BillingReference"),
            el(Cac, "InvoiceDocumentReference"),
            el_if(Cbc, "IssueDate", s),
        ])],
        asserts: &[left_out(
            "BR-NL-24",
            m(
                "SI-UBL 2.0 does not use the issue date of a referenced invoice: remove cbc:IssueDate from cac:InvoiceDocumentReference; the number is enough.",
                "SI-UBL 2.0 gebruikt de datum van een factuur waarnaar verwezen wordt niet: verwijder cbc:IssueDate uit cac:InvoiceDocumentReference; het nummer is genoeg.",
            ),
        )],
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
                "The seller's tax registration should be its VAT number: set cac:TaxScheme/cbc:ID to VAT, or remove that cac:PartyTaxScheme.",
                "De fiscale registratie van de verkoper hoort het btw-nummer te zijn: zet cac:TaxScheme/cbc:ID op VAT, of verwijder die cac:PartyTaxScheme.",
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
        asserts: &[left_out(
            "BR-NL-26",
            m(
                "SI-UBL 2.0 does not use the seller's legal form: remove cbc:CompanyLegalForm.",
                "SI-UBL 2.0 gebruikt de rechtsvorm van de verkoper niet: verwijder cbc:CompanyLegalForm.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el(Cac, "Party"),
            el(Cac, "PostalAddress"),
            el(Cac, "AddressLine"),
            el_if(Cbc, "Line", s),
        ])],
        asserts: &[left_out(
            "BR-NL-27-1",
            m(
                "SI-UBL 2.0 does not use an additional address line in the seller's address: move its text to cbc:StreetName or cbc:AdditionalStreetName, and remove cac:AddressLine.",
                "SI-UBL 2.0 gebruikt geen extra adresregel in het adres van de verkoper: zet de tekst in cbc:StreetName of cbc:AdditionalStreetName, en verwijder cac:AddressLine.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingCustomerParty"),
            el(Cac, "Party"),
            el(Cac, "PostalAddress"),
            el(Cac, "AddressLine"),
            el_if(Cbc, "Line", s),
        ])],
        asserts: &[left_out(
            "BR-NL-27-2",
            m(
                "SI-UBL 2.0 does not use an additional address line in the buyer's address: move its text to cbc:StreetName or cbc:AdditionalStreetName, and remove cac:AddressLine.",
                "SI-UBL 2.0 gebruikt geen extra adresregel in het adres van de afnemer: zet de tekst in cbc:StreetName of cbc:AdditionalStreetName, en verwijder cac:AddressLine.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "TaxRepresentativeParty"),
            el(Cac, "PostalAddress"),
            el(Cac, "AddressLine"),
            el_if(Cbc, "Line", s),
        ])],
        asserts: &[left_out(
            "BR-NL-27-3",
            m(
                "SI-UBL 2.0 does not use an additional address line in the tax representative's address: move its text to cbc:StreetName or cbc:AdditionalStreetName, and remove cac:AddressLine.",
                "SI-UBL 2.0 gebruikt geen extra adresregel in het adres van de fiscaal vertegenwoordiger: zet de tekst in cbc:StreetName of cbc:AdditionalStreetName, en verwijder cac:AddressLine.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "Delivery"),
            el(Cac, "DeliveryLocation"),
            el(Cac, "Address"),
            el(Cac, "AddressLine"),
            el_if(Cbc, "Line", s),
        ])],
        asserts: &[left_out(
            "BR-NL-27-4",
            m(
                "SI-UBL 2.0 does not use an additional address line in the delivery address: move its text to cbc:StreetName or cbc:AdditionalStreetName, and remove cac:AddressLine.",
                "SI-UBL 2.0 gebruikt geen extra adresregel in het afleveradres: zet de tekst in cbc:StreetName of cbc:AdditionalStreetName, en verwijder cac:AddressLine.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el(Cac, "Party"),
            el(Cac, "PostalAddress"),
            el_if(Cbc, "CountrySubentity", s),
        ])],
        asserts: &[left_out(
            "BR-NL-28-1",
            m(
                "SI-UBL 2.0 does not use a region in the seller's address: remove cbc:CountrySubentity.",
                "SI-UBL 2.0 gebruikt geen regio of provincie in het adres van de verkoper: verwijder cbc:CountrySubentity.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingCustomerParty"),
            el(Cac, "Party"),
            el(Cac, "PostalAddress"),
            el_if(Cbc, "CountrySubentity", s),
        ])],
        asserts: &[left_out(
            "BR-NL-28-2",
            m(
                "SI-UBL 2.0 does not use a region in the buyer's address: remove cbc:CountrySubentity.",
                "SI-UBL 2.0 gebruikt geen regio of provincie in het adres van de afnemer: verwijder cbc:CountrySubentity.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "TaxRepresentativeParty"),
            el(Cac, "PostalAddress"),
            el_if(Cbc, "CountrySubentity", s),
        ])],
        asserts: &[left_out(
            "BR-NL-28-3",
            m(
                "SI-UBL 2.0 does not use a region in the tax representative's address: remove cbc:CountrySubentity.",
                "SI-UBL 2.0 gebruikt geen regio of provincie in het adres van de fiscaal vertegenwoordiger: verwijder cbc:CountrySubentity.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "Delivery"),
            el(Cac, "DeliveryLocation"),
            el(Cac, "Address"),
            el_if(Cbc, "CountrySubentity", s),
        ])],
        asserts: &[left_out(
            "BR-NL-28-4",
            m(
                "SI-UBL 2.0 does not use a region in the delivery address: remove cbc:CountrySubentity.",
                "SI-UBL 2.0 gebruikt geen regio of provincie in het afleveradres: verwijder cbc:CountrySubentity.",
            ),
        )],
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
                "A payment means code should not carry a name: remove the attribute name from cbc:PaymentMeansCode.",
                "Een betaalwijzecode hoort geen naam te hebben: verwijder het attribuut name van cbc:PaymentMeansCode.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "PaymentMeans"),
            el(Cac, "PayeeFinancialAccount"),
            el_if(Cbc, "Name", s),
        ])],
        asserts: &[left_out(
            "BR-NL-30",
            m(
                "SI-UBL 2.0 does not use the account holder's name: remove cbc:Name from cac:PayeeFinancialAccount.",
                "SI-UBL 2.0 gebruikt de naam van de rekeninghouder niet: verwijder cbc:Name uit cac:PayeeFinancialAccount.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AllowanceCharge"),
            el_if(Cbc, "AllowanceChargeReasonCode", s),
        ])],
        asserts: &[left_out(
            "BR-NL-32-1",
            m(
                "SI-UBL 2.0 does not use reason codes for allowances and charges: remove cbc:AllowanceChargeReasonCode, and give the reason as text in cbc:AllowanceChargeReason.",
                "SI-UBL 2.0 gebruikt geen redencodes bij kortingen en toeslagen: verwijder cbc:AllowanceChargeReasonCode, en geef de reden als tekst in cbc:AllowanceChargeReason.",
            ),
        )],
    },
    // The official set lists these after the more general context above, which takes their
    // nodes first: as there, they never apply.
    Rule {
        context: &[rel(&[
            el(Cac, "InvoiceLine"),
            el(Cac, "AllowanceCharge"),
            el_if(Cbc, "AllowanceChargeReasonCode", s),
        ])],
        asserts: &[left_out(
            "BR-NL-32-2",
            m(
                "SI-UBL 2.0 does not use reason codes for allowances and charges: remove cbc:AllowanceChargeReasonCode, and give the reason as text in cbc:AllowanceChargeReason.",
                "SI-UBL 2.0 gebruikt geen redencodes bij kortingen en toeslagen: verwijder cbc:AllowanceChargeReasonCode, en geef de reden als tekst in cbc:AllowanceChargeReason.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "CreditNoteLine"),
            el(Cac, "AllowanceCharge"),
            el_if(Cbc, "AllowanceChargeReasonCode", s),
        ])],
        asserts: &[left_out(
            "BR-NL-32-3",
            m(
                "SI-UBL 2.0 does not use reason codes for allowances and charges: remove cbc:AllowanceChargeReasonCode, and give the reason as text in cbc:AllowanceChargeReason.",
                "SI-UBL 2.0 gebruikt geen redencodes bij kortingen en toeslagen: verwijder cbc:AllowanceChargeReasonCode, en geef de reden als tekst in cbc:AllowanceChargeReason.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el(Cac, "TaxTotal"), el_if(Cbc, "TaxAmount", s)])],
        asserts: &[warning(
            "BR-NL-33",
            in_document_currency,
            m(
                "SI-UBL 2.0 expects the VAT total in the document currency only: give cac:TaxTotal/cbc:TaxAmount the document currency as currencyID, and remove VAT totals in other currencies.",
                "SI-UBL 2.0 verwacht het btw-totaal alleen in de documentvaluta: geef cac:TaxTotal/cbc:TaxAmount de documentvaluta als currencyID, en verwijder btw-totalen in andere valuta.",
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
        asserts: &[left_out(
            "BR-NL-35",
            m(
                "SI-UBL 2.0 does not use exemption reason codes: remove cbc:TaxExemptionReasonCode, and give the reason as text in cbc:TaxExemptionReason.",
                "SI-UBL 2.0 gebruikt geen codes voor de vrijstellingsreden: verwijder cbc:TaxExemptionReasonCode, en geef de reden als tekst in cbc:TaxExemptionReason.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[Step {
            name: None,
            pred: Some(empty_element),
        }])],
        asserts: &[left_out(
            "SI-UBL-2",
            m(
                "This element is empty: fill it in, or remove it.",
                "Dit element is leeg: vul het in, of verwijder het.",
            ),
        )],
    },
];
