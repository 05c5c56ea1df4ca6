//! Germany's national rules in Peppol (`DE-R-*`, the XRechnung rules for a German seller and a
//! German buyer): payment instructions, the buyer reference, contact details, cash discount
//! terms, IBANs and the payment means that go together.

use crate::ubl::{Node, Ns, Ns::Cac, Ns::Cbc};
use crate::validate::ubl::engine::context::{Alt, Rule, Step, el, el_if, rooted};
use crate::validate::ubl::engine::xpath::{exists, has_content, normalize, string};

use super::eval::{Ev, all, any_is, norm, not, one, or, single};
use super::facts::facts;
use super::functions::{iban_mod97, iban_pattern};
use super::{fatal, held, m, matching, warning};

/// `$supplierCountryIsDE and $customerCountryIsDE`.
fn german(n: Node<'_>) -> bool {
    matching(facts(n, |f| f.german_both()))
}

/// The root element, German seller and buyer.
const INVOICE_DE: Step = el_if(Ns::Invoice, "Invoice", german);
const CREDIT_NOTE_DE: Step = el_if(Ns::CreditNote, "CreditNote", german);
const INVOICE: Step = el(Ns::Invoice, "Invoice");
const CREDIT_NOTE: Step = el(Ns::CreditNote, "CreditNote");

/// `cbc:X[boolean(normalize-space(.))]`: some such child with content.
fn given(n: Node<'_>, name: &str) -> bool {
    n.all(Cbc, name).any(|c| has_content(&string(c)))
}

const VAT_CODES: [&str; 8] = ["S", "Z", "E", "AE", "K", "G", "L", "M"];

/// DE-R-016: with a VAT category of the list on an allowance, charge or line, the seller's VAT
/// number or tax number, or a tax representative, is given.
fn vat_identified(n: Node<'_>) -> bool {
    let listed = |id: &Node<'_>| VAT_CODES.contains(&&*string(*id));
    let document_level = |charge: &str| {
        n.all(Cac, "AllowanceCharge")
            .filter(|ac| any_is(*ac, &[(Cbc, "ChargeIndicator")], charge))
            .flat_map(|ac| all(ac, &[(Cac, "TaxCategory"), (Cbc, "ID")]))
            .any(|id| listed(&id))
    };
    let lines = ["InvoiceLine", "CreditNoteLine"].iter().any(|line| {
        all(
            n,
            &[
                (Cac, line),
                (Cac, "Item"),
                (Cac, "ClassifiedTaxCategory"),
                (Cbc, "ID"),
            ],
        )
        .iter()
        .any(listed)
    });
    let used = document_level("false") || document_level("true") || lines;
    let seller_number = all(
        n,
        &[
            (Cac, "AccountingSupplierParty"),
            (Cac, "Party"),
            (Cac, "PartyTaxScheme"),
            (Cbc, "CompanyID"),
        ],
    )
    .iter()
    .any(|c| has_content(&string(*c)));
    !used || n.child(Cac, "TaxRepresentativeParty").is_some() || seller_number
}

/// `#SKONTO#TAGE=n#PROZENT=n.nn#` with an optional `BASISBETRAG=-n.nn#` before the last `#`:
/// the whole (trimmed) line.
fn skonto_line(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("#SKONTO#TAGE=") else {
        return false;
    };
    let Some(rest) = rest.strip_suffix('#') else {
        return false;
    };
    let Some((days, rest)) = rest.split_once("#PROZENT=") else {
        return false;
    };
    let amount = |s: &str| {
        s.split_once('.').is_some_and(|(i, d)| {
            !i.is_empty()
                && i.bytes().all(|b| b.is_ascii_digit())
                && d.len() == 2
                && d.bytes().all(|b| b.is_ascii_digit())
        })
    };
    let (percent, base) = match rest.split_once("#BASISBETRAG=") {
        Some((p, b)) => (p, Some(b)),
        None => (rest, None),
    };
    !days.is_empty()
        && days.bytes().all(|b| b.is_ascii_digit())
        && amount(percent)
        && base.is_none_or(|b| amount(b.strip_prefix('-').unwrap_or(b)))
}

/// The last piece of `tokenize(s, '#.+#')` (`.` not matching line ends): the text after the last
/// `#…#` run, or none for an empty text.
fn after_last_tag(s: &str) -> Option<String> {
    if s.is_empty() {
        return None;
    }
    let c: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut last_end = None;
    while i < c.len() {
        if c[i] == '#' {
            let line_end = (i + 1..c.len())
                .find(|&k| c[k] == '\n' || c[k] == '\r')
                .unwrap_or(c.len());
            if let Some(j) = (i + 2..line_end).rev().find(|&k| c[k] == '#') {
                last_end = Some(j + 1);
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    Some(match last_end {
        Some(e) => c[e..].iter().collect(),
        None => s.to_owned(),
    })
}

/// `^\s*\n`: leading whitespace that holds a line feed.
fn starts_with_newline(s: &str) -> bool {
    s.chars()
        .take_while(|c| matches!(c, ' ' | '\t' | '\r' | '\n'))
        .any(|c| c == '\n')
}

/// DE-R-018: every payment terms line that starts with `#` is a cash discount (Skonto) line,
/// and the terms end with a line break after the last one.
fn skonto(n: Node<'_>) -> Ev<bool> {
    let notes: Vec<Node<'_>> = n
        .all(Cac, "PaymentTerms")
        .filter_map(|t| t.child(Cbc, "Note"))
        .collect();
    let mut tail_checked = false;
    for note in &notes {
        let text = string(*note);
        if text.is_empty() {
            continue;
        }
        for line in text.split('\n') {
            let line = normalize(line.strip_suffix('\r').unwrap_or(line));
            if !line.starts_with('#') {
                continue;
            }
            if !skonto_line(&line) {
                return Ok(false);
            }
            if !tail_checked {
                let tails: Vec<(Node<'_>, String)> = notes
                    .iter()
                    .filter_map(|x| after_last_tag(&string(*x)).map(|t| (*x, t)))
                    .collect();
                let tail = match tails.as_slice() {
                    [] => String::new(),
                    [(_, t)] => t.clone(),
                    [(_, a), (second, b), ..] => {
                        return Err(super::eval::Halt::at(
                            super::eval::Why::Many,
                            *second,
                            &format!("{a:?} | {b:?}"),
                        ));
                    }
                };
                if !starts_with_newline(&tail) {
                    return Ok(false);
                }
                tail_checked = true;
            }
        }
    }
    Ok(true)
}

/// DE-R-022: no two attachments share a file name.
fn unique_file_names(n: Node<'_>) -> bool {
    let names = |r: Node<'_>| -> Vec<String> {
        all(
            r,
            &[(Cac, "Attachment"), (Cbc, "EmbeddedDocumentBinaryObject")],
        )
        .into_iter()
        .filter_map(|o| o.attr("filename").map(str::to_owned))
        .collect()
    };
    let mut seen: Vec<String> = Vec::new();
    for r in n.all(Cac, "AdditionalDocumentReference") {
        let own = names(r);
        if own.iter().any(|f| seen.contains(f)) {
            return false;
        }
        seen.extend(own);
    }
    true
}

/// The type code, trimmed, is one of `codes` (`normalize-space(cbc:X) = (…)`).
fn type_code_in(n: Node<'_>, codes: &[&str]) -> Ev<bool> {
    let listed = |name: &str| norm(n, &[(Cbc, name)]).map(|c| codes.contains(&c.as_str()));
    or(listed("InvoiceTypeCode"), || listed("CreditNoteTypeCode"))
}

/// DE-R-026: a corrected invoice (384) names the invoice it corrects.
fn corrects(n: Node<'_>) -> Ev<bool> {
    or(not(type_code_in(n, &["384"])), || {
        Ok(exists(
            n,
            &[(Cac, "BillingReference"), (Cac, "InvoiceDocumentReference")],
        ))
    })
}

/// DE-R-030: a direct debit names the creditor (a SEPA creditor id on the seller or payee).
fn creditor_id(n: Node<'_>) -> bool {
    let sepa = |path: &[(Ns, &str)]| {
        all(n, path)
            .iter()
            .any(|i| i.attr("schemeID") == Some("SEPA"))
    };
    !exists(n, &[(Cac, "PaymentMeans"), (Cac, "PaymentMandate")])
        || sepa(&[
            (Cac, "AccountingSupplierParty"),
            (Cac, "Party"),
            (Cac, "PartyIdentification"),
            (Cbc, "ID"),
        ])
        || sepa(&[
            (Cac, "PayeeParty"),
            (Cac, "PartyIdentification"),
            (Cbc, "ID"),
        ])
}

/// `^([a-zA-Z])([a-zA-Z0-9+.-])+:.*`: a URL with a scheme.
fn url(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let scheme = b[1..]
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'))
        .count();
    scheme >= 1 && b.get(1 + scheme) == Some(&b':')
}

/// `.*([0-9].*){3,}.*`: at least three digits.
fn telephone(s: &str) -> bool {
    s.bytes().filter(u8::is_ascii_digit).count() >= 3
}

/// `^[^@\s]+@([^@.\s]+\.)+[^@.\s]+$`.
fn email(s: &str) -> bool {
    let space = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && !local.contains(space)
        && labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && !l.contains(['@']) && !l.contains(space))
}

/// DE-R-019 and DE-R-020: the account is an IBAN (pattern and check digits), for payment means
/// `code`.
fn iban(n: Node<'_>, code: &str, path: &[(Ns, &str)]) -> Ev<bool> {
    if norm(n, &[(Cbc, "PaymentMeansCode")])? != code {
        return Ok(true);
    }
    let account = single(n, path)?.map_or_else(String::new, |a| {
        string(a)
            .chars()
            .filter(|c| !matches!(c, ' ' | '\n' | '\r' | '\t'))
            .collect()
    });
    Ok(iban_pattern(&account) && iban_mod97(&account))
}

const PAYEE_ACCOUNT: &[(Ns, &str)] = &[(Cac, "PayeeFinancialAccount"), (Cbc, "ID")];
const PAYER_ACCOUNT: &[(Ns, &str)] = &[
    (Cac, "PaymentMandate"),
    (Cac, "PayerFinancialAccount"),
    (Cbc, "ID"),
];

/// `cac:PaymentMeans[normalize-space(cbc:PaymentMeansCode) = (…)]`, for German parties.
fn means_in(n: Node<'_>, codes: &[&str]) -> bool {
    matching(norm(n, &[(Cbc, "PaymentMeansCode")]).map(|c| codes.contains(&c.as_str())))
        && german(n)
}

fn transfer(n: Node<'_>) -> bool {
    means_in(n, &["30", "58"])
}

fn card(n: Node<'_>) -> bool {
    means_in(n, &["48", "54", "55"])
}

fn debit(n: Node<'_>) -> bool {
    means_in(n, &["59"])
}

fn has(n: Node<'_>, name: &str) -> bool {
    n.child(Cac, name).is_some()
}

/// A context on a path below the root, German parties, in both document kinds.
macro_rules! german_path {
    ($($step:expr),* ; $last:expr) => {
        &[
            rooted(&[INVOICE, $($step,)* $last]),
            rooted(&[CREDIT_NOTE, $($step,)* $last]),
        ]
    };
}

/// `(/ubl-invoice:Invoice | /ubl-creditnote:CreditNote)[…]`.
const ROOTS: &[Alt] = &[rooted(&[INVOICE_DE]), rooted(&[CREDIT_NOTE_DE])];

pub(crate) static GERMANY: &[Rule] = &[
    Rule {
        context: ROOTS,
        asserts: &[
            fatal(
                "DE-R-001",
                |n| has(n, "PaymentMeans"),
                m(
                    "Between German parties the document must give payment instructions (PaymentMeans): add them.",
                    "Tussen Duitse partijen moet het document betaalinstructies geven (PaymentMeans): voeg ze toe.",
                ),
            ),
            fatal(
                "DE-R-015",
                |n| given(n, "BuyerReference"),
                m(
                    "Between German parties the buyer's reference (Leitweg-ID or other) must be given: add BuyerReference.",
                    "Tussen Duitse partijen moet de referentie van de afnemer (Leitweg-ID of andere) gegeven worden: voeg BuyerReference toe.",
                ),
            ),
            fatal(
                "DE-R-016",
                vat_identified,
                m(
                    "With a VAT category of S, Z, E, AE, K, G, L or M the seller's VAT or tax number (or a tax representative) must be given: add it.",
                    "Bij btw-categorie S, Z, E, AE, K, G, L of M moet het btw- of belastingnummer van de verkoper (of een fiscaal vertegenwoordiger) gegeven worden: voeg het toe.",
                ),
            ),
            warning(
                "DE-R-017",
                |n| {
                    held(type_code_in(
                        n,
                        &["326", "380", "384", "389", "381", "875", "876", "877"],
                    ))
                },
                m(
                    "Between German parties the document type should be 326, 380, 381, 384, 389, 875, 876 or 877: use one of those.",
                    "Tussen Duitse partijen hoort de documentsoort 326, 380, 381, 384, 389, 875, 876 of 877 te zijn: gebruik er een van.",
                ),
            ),
            fatal(
                "DE-R-018",
                |n| held(skonto(n)),
                m(
                    "Cash discount terms must be written as #SKONTO#TAGE=n#PROZENT=n.nn# (optionally #BASISBETRAG=n.nn#), one per line, with a line break after the last: correct the payment terms.",
                    "Kortingsvoorwaarden bij vroege betaling moeten geschreven worden als #SKONTO#TAGE=n#PROZENT=n.nn# (eventueel #BASISBETRAG=n.nn#), één per regel, met een regeleinde na de laatste: corrigeer de betalingsvoorwaarden.",
                ),
            ),
            fatal(
                "DE-R-022",
                unique_file_names,
                m(
                    "Two attachments have the same file name: give each attachment its own name.",
                    "Twee bijlagen hebben dezelfde bestandsnaam: geef elke bijlage een eigen naam.",
                ),
            ),
            warning(
                "DE-R-026",
                |n| held(corrects(n)),
                m(
                    "A corrected invoice (384) does not name the invoice it corrects: add cac:BillingReference/cac:InvoiceDocumentReference with that invoice's number.",
                    "Een correctiefactuur (384) noemt de factuur die ze corrigeert niet: voeg cac:BillingReference/cac:InvoiceDocumentReference toe met het nummer van die factuur.",
                ),
            ),
            fatal(
                "DE-R-030",
                creditor_id,
                m(
                    "A direct debit needs the creditor identifier: give it as a party identifier with schemeID SEPA (seller or payee).",
                    "Een incasso heeft het incassant-ID nodig: geef het als partijkenmerk met schemeID SEPA (verkoper of begunstigde).",
                ),
            ),
            fatal(
                "DE-R-031",
                |n| {
                    !exists(n, &[(Cac, "PaymentMeans"), (Cac, "PaymentMandate")])
                        || exists(
                            n,
                            &[
                                (Cac, "PaymentMeans"),
                                (Cac, "PaymentMandate"),
                                (Cac, "PayerFinancialAccount"),
                                (Cbc, "ID"),
                            ],
                        )
                },
                m(
                    "A direct debit needs the account to be debited (PaymentMandate/PayerFinancialAccount/ID): add it.",
                    "Een incasso heeft de rekening nodig die belast wordt (PaymentMandate/PayerFinancialAccount/ID): voeg die toe.",
                ),
            ),
        ],
    },
    Rule {
        context: german_path!(
            el(Cac, "AdditionalDocumentReference"),
            el(Cac, "Attachment");
            el_if(Cac, "ExternalReference", german)
        ),
        asserts: &[warning(
            "DE-R-T02",
            |n| held(single(n, &[(Cbc, "URI")]).map(|u| u.is_some_and(|u| url(&string(u))))),
            m(
                "An external document location should be a full URL with its scheme, such as https://…: correct it.",
                "Een externe documentlocatie hoort een volledige URL met schema te zijn, zoals https://…: corrigeer ze.",
            ),
        )],
    },
    Rule {
        context: german_path!(; el_if(Cac, "AccountingSupplierParty", german)),
        asserts: &[fatal(
            "DE-R-002",
            |n| exists(n, &[(Cac, "Party"), (Cac, "Contact")]),
            m(
                "Between German parties the seller's contact must be given: add Party/Contact.",
                "Tussen Duitse partijen moet het contact van de verkoper gegeven worden: voeg Party/Contact toe.",
            ),
        )],
    },
    Rule {
        context: german_path!(
            el(Cac, "AccountingSupplierParty"),
            el(Cac, "Party");
            el_if(Cac, "PostalAddress", german)
        ),
        asserts: &[
            fatal(
                "DE-R-003",
                |n| given(n, "CityName"),
                m(
                    "Between German parties the seller's city must be given: add it.",
                    "Tussen Duitse partijen moet de plaats van de verkoper gegeven worden: voeg die toe.",
                ),
            ),
            fatal(
                "DE-R-004",
                |n| given(n, "PostalZone"),
                m(
                    "Between German parties the seller's postal code must be given: add it.",
                    "Tussen Duitse partijen moet de postcode van de verkoper gegeven worden: voeg die toe.",
                ),
            ),
        ],
    },
    Rule {
        context: german_path!(
            el(Cac, "AccountingSupplierParty"),
            el(Cac, "Party");
            el_if(Cac, "Contact", german)
        ),
        asserts: &[
            fatal(
                "DE-R-005",
                |n| given(n, "Name"),
                m(
                    "Between German parties the seller's contact person must be named: add Contact/Name.",
                    "Tussen Duitse partijen moet de contactpersoon van de verkoper genoemd worden: voeg Contact/Name toe.",
                ),
            ),
            fatal(
                "DE-R-006",
                |n| given(n, "Telephone"),
                m(
                    "Between German parties the seller's contact telephone number must be given: add it.",
                    "Tussen Duitse partijen moet het telefoonnummer van het contact van de verkoper gegeven worden: voeg het toe.",
                ),
            ),
            fatal(
                "DE-R-007",
                |n| given(n, "ElectronicMail"),
                m(
                    "Between German parties the seller's contact e-mail address must be given: add it.",
                    "Tussen Duitse partijen moet het e-mailadres van het contact van de verkoper gegeven worden: voeg het toe.",
                ),
            ),
            warning(
                "DE-R-027",
                |n| held(norm(n, &[(Cbc, "Telephone")]).map(|t| telephone(&t))),
                m(
                    "The seller's contact telephone number should hold at least three digits: correct it.",
                    "Het telefoonnummer van het contact van de verkoper hoort minstens drie cijfers te bevatten: corrigeer het.",
                ),
            ),
            warning(
                "DE-R-028",
                |n| held(norm(n, &[(Cbc, "ElectronicMail")]).map(|e| email(&e))),
                m(
                    "The seller's contact e-mail address should look like name@domain.tld (one @, no spaces): correct it.",
                    "Het e-mailadres van het contact van de verkoper hoort eruit te zien als naam@domein.tld (één @, geen spaties): corrigeer het.",
                ),
            ),
        ],
    },
    Rule {
        context: german_path!(
            el(Cac, "AccountingCustomerParty"),
            el(Cac, "Party");
            el_if(Cac, "PostalAddress", german)
        ),
        asserts: &[
            fatal(
                "DE-R-008",
                |n| given(n, "CityName"),
                m(
                    "Between German parties the buyer's city must be given: add it.",
                    "Tussen Duitse partijen moet de plaats van de afnemer gegeven worden: voeg die toe.",
                ),
            ),
            fatal(
                "DE-R-009",
                |n| given(n, "PostalZone"),
                m(
                    "Between German parties the buyer's postal code must be given: add it.",
                    "Tussen Duitse partijen moet de postcode van de afnemer gegeven worden: voeg die toe.",
                ),
            ),
        ],
    },
    Rule {
        context: german_path!(
            el(Cac, "Delivery"),
            el(Cac, "DeliveryLocation");
            el_if(Cac, "Address", german)
        ),
        asserts: &[
            fatal(
                "DE-R-010",
                |n| given(n, "CityName"),
                m(
                    "Between German parties a delivery address must have its city: add it.",
                    "Tussen Duitse partijen moet een afleveradres de plaats hebben: voeg die toe.",
                ),
            ),
            fatal(
                "DE-R-011",
                |n| given(n, "PostalZone"),
                m(
                    "Between German parties a delivery address must have its postal code: add it.",
                    "Tussen Duitse partijen moet een afleveradres de postcode hebben: voeg die toe.",
                ),
            ),
        ],
    },
    Rule {
        context: german_path!(; el_if(Cac, "PaymentMeans", transfer)),
        asserts: &[
            warning(
                "DE-R-019",
                |n| held(iban(n, "58", PAYEE_ACCOUNT)),
                m(
                    "A SEPA transfer (58) should name a valid IBAN as the account to pay to: correct it.",
                    "Een SEPA-overschrijving (58) hoort een geldig IBAN als te betalen rekening te noemen: corrigeer het.",
                ),
            ),
            fatal(
                "DE-R-023-1",
                |n| has(n, "PayeeFinancialAccount"),
                m(
                    "A transfer (30 or 58) needs the account to pay to (PayeeFinancialAccount): add it.",
                    "Een overschrijving (30 of 58) heeft de rekening nodig waarop betaald wordt (PayeeFinancialAccount): voeg die toe.",
                ),
            ),
            fatal(
                "DE-R-023-2",
                |n| !has(n, "CardAccount") && !has(n, "PaymentMandate"),
                m(
                    "A transfer (30 or 58) cannot carry card or direct debit details: remove CardAccount and PaymentMandate.",
                    "Een overschrijving (30 of 58) kan geen kaart- of incassogegevens hebben: verwijder CardAccount en PaymentMandate.",
                ),
            ),
        ],
    },
    Rule {
        context: german_path!(; el_if(Cac, "PaymentMeans", card)),
        asserts: &[
            fatal(
                "DE-R-024-1",
                |n| has(n, "CardAccount"),
                m(
                    "A card payment (48, 54 or 55) needs the card details (CardAccount): add them.",
                    "Een kaartbetaling (48, 54 of 55) heeft de kaartgegevens nodig (CardAccount): voeg ze toe.",
                ),
            ),
            fatal(
                "DE-R-024-2",
                |n| !has(n, "PayeeFinancialAccount") && !has(n, "PaymentMandate"),
                m(
                    "A card payment (48, 54 or 55) cannot carry transfer or direct debit details: remove PayeeFinancialAccount and PaymentMandate.",
                    "Een kaartbetaling (48, 54 of 55) kan geen overschrijvings- of incassogegevens hebben: verwijder PayeeFinancialAccount en PaymentMandate.",
                ),
            ),
        ],
    },
    Rule {
        context: german_path!(; el_if(Cac, "PaymentMeans", debit)),
        asserts: &[
            warning(
                "DE-R-020",
                |n| held(iban(n, "59", PAYER_ACCOUNT)),
                m(
                    "A SEPA direct debit (59) should name a valid IBAN as the account to be debited: correct it.",
                    "Een SEPA-incasso (59) hoort een geldig IBAN als te belasten rekening te noemen: corrigeer het.",
                ),
            ),
            fatal(
                "DE-R-025-1",
                |n| has(n, "PaymentMandate"),
                m(
                    "A direct debit (59) needs the mandate details (PaymentMandate): add them.",
                    "Een incasso (59) heeft de machtigingsgegevens nodig (PaymentMandate): voeg ze toe.",
                ),
            ),
            fatal(
                "DE-R-025-2",
                |n| !has(n, "PayeeFinancialAccount") && !has(n, "CardAccount"),
                m(
                    "A direct debit (59) cannot carry transfer or card details: remove PayeeFinancialAccount and CardAccount.",
                    "Een incasso (59) kan geen overschrijvings- of kaartgegevens hebben: verwijder PayeeFinancialAccount en CardAccount.",
                ),
            ),
        ],
    },
    Rule {
        context: german_path!(
            el(Cac, "TaxTotal");
            el_if(Cac, "TaxSubtotal", german)
        ),
        asserts: &[fatal(
            "DE-R-014",
            |n| {
                all(n, &[(Cac, "TaxCategory")])
                    .iter()
                    .any(|c| given(*c, "Percent"))
            },
            m(
                "Between German parties every VAT breakdown must give its rate (TaxCategory/Percent), 0 included: add it.",
                "Tussen Duitse partijen moet elke btw-specificatie het tarief geven (TaxCategory/Percent), ook 0: voeg het toe.",
            ),
        )],
    },
];

/// What a failed German rule shows: the value it judged, where that is not the node's own text.
pub(crate) fn values(rule: &'static str, n: Node<'_>) -> Option<String> {
    let shown = |path: &[(Ns, &str)]| -> Option<String> {
        one(all(n, path).into_iter())
            .ok()
            .flatten()
            .map(|x| string(x).trim().to_owned())
    };
    match rule {
        "DE-R-019" => shown(PAYEE_ACCOUNT),
        "DE-R-020" => shown(PAYER_ACCOUNT),
        "DE-R-027" => shown(&[(Cbc, "Telephone")]),
        "DE-R-028" => shown(&[(Cbc, "ElectronicMail")]),
        "DE-R-T02" => shown(&[(Cbc, "URI")]),
        "DE-R-017" | "DE-R-026" => {
            shown(&[(Cbc, "InvoiceTypeCode")]).or_else(|| shown(&[(Cbc, "CreditNoteTypeCode")]))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skonto_lines() {
        assert!(skonto_line("#SKONTO#TAGE=14#PROZENT=2.00#"));
        assert!(skonto_line(
            "#SKONTO#TAGE=7#PROZENT=3.50#BASISBETRAG=-123.45#"
        ));
        assert!(!skonto_line("#SKONTO#TAGE=14#PROZENT=2#"));
        assert!(!skonto_line("#SKONTO#TAGE=#PROZENT=2.00#"));
        assert!(!skonto_line("#SKONTO#TAGE=14#PROZENT=2.00"));
        assert!(!skonto_line("#skonto#TAGE=14#PROZENT=2.00#"));
        assert!(!skonto_line(""));
    }

    #[test]
    fn tokens_after_the_last_tag() {
        assert_eq!(after_last_tag("#SKONTO#TAGE=14#\n").as_deref(), Some("\n"));
        assert_eq!(after_last_tag("text").as_deref(), Some("text"));
        assert_eq!(after_last_tag("a#b#").as_deref(), Some(""));
        assert_eq!(after_last_tag("#a#\n#b#\nend").as_deref(), Some("\nend"));
        assert_eq!(
            after_last_tag("##"),
            Some("##".to_owned()),
            "needs a character between"
        );
        assert_eq!(after_last_tag(""), None);
        assert!(starts_with_newline(" \n"));
        assert!(!starts_with_newline(" x\n"));
    }

    #[test]
    fn contact_formats() {
        assert!(telephone("+49 30 1234"));
        assert!(!telephone("+49"));
        assert!(email("info@example.de"));
        assert!(email("a.b@c.d.e"));
        assert!(!email("info@example"));
        assert!(!email("info@@example.de"));
        assert!(!email("in fo@example.de"));
        assert!(!email("info@example..de"));
        assert!(!email("@example.de"));
        assert!(url("https://example.de/x"));
        assert!(url("ftp:x"));
        assert!(!url("h:"), "one character before the colon");
        assert!(!url("example.de"));
        assert!(!url("1http://x"));
    }
}
