//! The national rules of Norway (`NO-R-*`), Denmark (`DK-R-*`), Sweden (`SE-R-*`) and Iceland
//! (`IS-R-*`): four of the official set's patterns.

use crate::ubl::{Node, Ns, Ns::Cac, Ns::Cbc};
use crate::validate::ubl::engine::context::{Rule, el, el_if, rel};
use crate::validate::ubl::engine::xpath::{exists, normalize, string};

use super::eval::{
    Ev, Halt, all, and, any_is, castable_date, is_credit_note, length, norm, norm_text, not, num,
    number, one, or, shown, single, single_text, substring, substring_from, tax_schemes,
};
use super::facts::facts;
use super::functions;
use super::{fatal, held, m, matching, never, warning};

/// One string per tax scheme: `substring(cbc:CompanyID, from[, len])`.
fn parts(schemes: &[Node<'_>], from: usize, len: Option<usize>) -> Ev<Vec<String>> {
    let mut out = Vec::new();
    for s in schemes {
        let id = one(s.all(Cbc, "CompanyID"))?.map_or_else(String::new, |i| string(i).into_owned());
        out.push(match len {
            Some(l) => substring(&id, from, l),
            None => substring_from(&id, from),
        });
    }
    Ok(out)
}

/// The one string of a sequence of strings (`matches(seq, …)` takes one): two stop the
/// evaluation, located at the second tax scheme.
fn one_string(values: Vec<String>, schemes: &[Node<'_>]) -> Ev<String> {
    match values.len() {
        0 => Ok(String::new()),
        1 => Ok(values.into_iter().next().unwrap_or_default()),
        _ => Err(Halt::at(
            super::eval::Why::Many,
            schemes[1],
            &format!("{} | {}", values[0], values[1]),
        )),
    }
}

// ---- Norway. ----

fn supplier_in(n: Node<'_>, country: &str) -> bool {
    matching(facts(n, |f| f.supplier_country.clone()).map(|c| c == country))
}

fn norwegian(n: Node<'_>) -> bool {
    supplier_in(n, "NO")
}

/// NO-R-002: the tax registration `Foretaksregisteret`.
fn foretaksregisteret(n: Node<'_>) -> Ev<bool> {
    let ids: Vec<Node<'_>> = tax_schemes(n, "TAX")?
        .into_iter()
        .flat_map(|s| s.all(Cbc, "CompanyID"))
        .collect();
    let id = one(ids.into_iter())?.map_or_else(String::new, |i| normalize(&string(i)));
    Ok(id == "Foretaksregisteret")
}

/// `^[0-9]{9}MVA$`.
fn nine_digits_mva(s: &str) -> bool {
    s.len() == 12 && s.ends_with("MVA") && s[..9].bytes().all(|b| b.is_ascii_digit())
}

/// NO-R-001: a Norwegian VAT number is `NO`, a valid organisation number and `MVA`.
fn norwegian_vat(n: Node<'_>) -> Ev<bool> {
    let vat = tax_schemes(n, "VAT");
    let is_no = || -> Ev<bool> {
        let vat = vat.clone()?;
        Ok(parts(&vat, 1, Some(2))?.iter().any(|p| p == "NO"))
    };
    let pattern = || -> Ev<bool> {
        let vat = vat.clone()?;
        Ok(nine_digits_mva(&one_string(parts(&vat, 3, None)?, &vat)?))
    };
    let check = || -> Ev<bool> {
        let vat = vat.clone()?;
        let ids: Vec<Node<'_>> = vat.iter().flat_map(|s| s.all(Cbc, "CompanyID")).collect();
        let id = one(ids.into_iter())?.map_or_else(String::new, |i| string(i).into_owned());
        Ok(functions::mod11(&substring(&id, 3, 9)))
    };
    // `A and B and C or not(A)`.
    or(and(and(is_no(), pattern), check), || not(is_no()))
}

pub(crate) static NORWAY: &[Rule] = &[Rule {
    context: &[rel(&[
        el(Cac, "AccountingSupplierParty"),
        el_if(Cac, "Party", norwegian),
    ])],
    asserts: &[
        warning(
            "NO-R-002",
            |n| held(foretaksregisteret(n)),
            m(
                "A Norwegian seller registered as a company should say so in its tax registration: add cac:PartyTaxScheme with cbc:CompanyID Foretaksregisteret and cac:TaxScheme/cbc:ID TAX.",
                "Een Noorse verkoper die als onderneming geregistreerd is, hoort dat in de fiscale registratie te vermelden: voeg cac:PartyTaxScheme toe met cbc:CompanyID Foretaksregisteret en cac:TaxScheme/cbc:ID TAX.",
            ),
        ),
        fatal(
            "NO-R-001",
            |n| held(norwegian_vat(n)),
            m(
                "A Norwegian VAT number must be NO, the nine-digit organisation number (with a correct check digit) and MVA, such as NO974760673MVA: correct it.",
                "Een Noors btw-nummer moet NO zijn, het organisatienummer van negen cijfers (met een juist controlecijfer) en MVA, zoals NO974760673MVA: corrigeer het.",
            ),
        ),
    ],
}];

// ---- Denmark. ----

/// `$DKSupplierCountry = 'DK'`: the seller's address country as written.
fn danish_seller(n: Node<'_>) -> bool {
    matching(facts(n, |f| f.seller_address_country.clone()).map(|c| c == "DK"))
}

/// `$DKSupplierCountry = 'DK' and $DKCustomerCountry = 'DK'`.
fn danish_both(n: Node<'_>) -> bool {
    danish_seller(n) && matching(facts(n, |f| f.buyer_address_country.clone()).map(|c| c == "DK"))
}

/// `normalize-space(PATH/@schemeID)`: the scheme of the one identifier along the path that has
/// one (two schemes stop the evaluation).
fn scheme_of(n: Node<'_>, path: &[(Ns, &str)]) -> Ev<String> {
    let schemed: Vec<Node<'_>> = all(n, path)
        .into_iter()
        .filter(|i| i.attr("schemeID").is_some())
        .collect();
    match schemed.as_slice() {
        [] => Ok(String::new()),
        [one] => Ok(normalize(one.attr("schemeID").unwrap_or_default())),
        [a, b, ..] => Err(Halt::at(
            super::eval::Why::Many,
            *b,
            &format!(
                "schemeID {} | {}",
                a.attr("schemeID").unwrap_or_default(),
                b.attr("schemeID").unwrap_or_default()
            ),
        )),
    }
}

/// `not(exists(PATH) and normalize-space(PATH/@schemeID) != '0184')`: a registration number is
/// a CVR number.
fn cvr_scheme(n: Node<'_>, path: &[(Ns, &str)]) -> Ev<bool> {
    if !exists(n, path) {
        return Ok(true);
    }
    Ok(scheme_of(n, path)? == "0184")
}

const SELLER_REGISTRATION: &[(Ns, &str)] = &[
    (Cac, "AccountingSupplierParty"),
    (Cac, "Party"),
    (Cac, "PartyLegalEntity"),
    (Cbc, "CompanyID"),
];

/// DK-R-016: a Danish credit note to a Danish buyer has no negative amount due.
fn credit_not_negative(n: Node<'_>) -> Ev<bool> {
    let danish_buyer = || facts(n, |f| f.buyer_address_country.clone()).map(|c| c == "DK");
    let negative = || -> Ev<bool> {
        let due = single_text(n, &[(Cac, "LegalMonetaryTotal"), (Cbc, "PayableAmount")])?
            .map_or(f64::NAN, |p| number(p.text()));
        Ok(due < 0.0)
    };
    not(and(and(Ok(is_credit_note(n)), danish_buyer), negative))
}

/// `substring(cbc:PaymentID, 1, 3)` (two payment ids stop the evaluation).
fn payment_id_prefix(n: Node<'_>) -> Ev<String> {
    Ok(substring(&payment_id(n)?, 1, 3))
}

fn payment_id(n: Node<'_>) -> Ev<String> {
    Ok(single(n, &[(Cbc, "PaymentID")])?.map_or_else(String::new, |p| string(p).into_owned()))
}

fn code_is(n: Node<'_>, code: &str) -> bool {
    any_is(n, &[(Cbc, "PaymentMeansCode")], code)
}

/// DK-R-005: the payment means code, as written, is one of the Danish list.
fn danish_means(n: Node<'_>) -> Ev<bool> {
    let code = single(n, &[(Cbc, "PaymentMeansCode")])?
        .map_or_else(String::new, |c| string(c).into_owned());
    Ok(" 1 10 31 42 48 49 50 58 59 93 97 ".contains(&format!(" {code} ")))
}

/// DK-R-006: a bank transfer (31, 42) names the account and the bank's registration number.
fn danish_account(n: Node<'_>) -> Ev<bool> {
    let filled = |path: &[(Ns, &str)]| norm_text(n, path).map(|s| !s.is_empty());
    not(and(Ok(code_is(n, "31") || code_is(n, "42")), || {
        not(and(
            filled(&[(Cac, "PayeeFinancialAccount"), (Cbc, "ID")]),
            || {
                filled(&[
                    (Cac, "PayeeFinancialAccount"),
                    (Cac, "FinancialInstitutionBranch"),
                    (Cbc, "ID"),
                ])
            },
        ))
    }))
}

/// DK-R-007: a direct debit (49) names the mandate and the payer's account.
fn danish_mandate(n: Node<'_>) -> Ev<bool> {
    let filled = |path: &[(Ns, &str)]| norm_text(n, path).map(|s| !s.is_empty());
    not(and(Ok(code_is(n, "49")), || {
        not(and(filled(&[(Cac, "PaymentMandate"), (Cbc, "ID")]), || {
            filled(&[
                (Cac, "PaymentMandate"),
                (Cac, "PayerFinancialAccount"),
                (Cbc, "ID"),
            ])
        }))
    }))
}

/// `^[0-9]{7,8}$`.
fn giro_account(s: &str) -> bool {
    (7..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// DK-R-008: a payment slip (50) has a card type 01#, 04# or 15# and a giro account of seven or
/// eight digits.
fn danish_slip(n: Node<'_>) -> Ev<bool> {
    let card = payment_id_prefix(n).map(|p| matches!(p.as_str(), "01#" | "04#" | "15#"));
    let account = || {
        single(n, &[(Cac, "PayeeFinancialAccount"), (Cbc, "ID")])
            .map(|a| giro_account(&a.map_or_else(String::new, |a| string(a).into_owned())))
    };
    not(and(Ok(code_is(n, "50")), || not(and(card, account))))
}

/// DK-R-009: card types 04# and 15# carry the 16-digit instruction id (19 characters in all).
fn danish_slip_length(n: Node<'_>) -> Ev<bool> {
    let card = || payment_id_prefix(n).map(|p| matches!(p.as_str(), "04#" | "15#"));
    let complete = || payment_id(n).map(|p| length(&p) == 19);
    not(and(and(Ok(code_is(n, "50")), card), || not(complete())))
}

/// DK-R-010: a FIK payment (93) has a card type 71#, 73# or 75# and a creditor number of eight
/// characters.
fn danish_fik(n: Node<'_>) -> Ev<bool> {
    let card = payment_id_prefix(n).map(|p| matches!(p.as_str(), "71#" | "73#" | "75#"));
    let creditor = || {
        single_text(n, &[(Cac, "PayeeFinancialAccount"), (Cbc, "ID")])
            .map(|a| a.map_or(0, |a| length(a.text())) == 8)
    };
    not(and(Ok(code_is(n, "93")), || not(and(card, creditor))))
}

/// DK-R-011: card types 71# and 75# carry the instruction id (18 or 19 characters in all).
fn danish_fik_length(n: Node<'_>) -> Ev<bool> {
    let card = || payment_id_prefix(n).map(|p| matches!(p.as_str(), "71#" | "75#"));
    let complete = || payment_id(n).map(|p| matches!(length(&p), 18 | 19));
    not(and(and(Ok(code_is(n, "93")), card), || not(complete())))
}

/// DK-R-003: UNSPSC classifications name version 19.05.01 or 26.08.01.
fn unspsc_version(n: Node<'_>) -> bool {
    let codes = all(
        n,
        &[
            (Cac, "Item"),
            (Cac, "CommodityClassification"),
            (Cbc, "ItemClassificationCode"),
        ],
    );
    let tst = codes.iter().any(|c| c.attr("listID") == Some("TST"));
    !tst || codes.iter().any(|c| {
        matches!(
            c.attr("listVersionID"),
            Some("19.05.01" | "19.0501" | "26.08.01" | "26.0801")
        )
    })
}

/// DK-R-004: a non-VAT tax (reason code ZZZ) gives a four-digit code, or a text with a `#`
/// inside, as its reason.
fn danish_tax_reason(n: Node<'_>) -> Ev<bool> {
    let reason = [(Cbc, "AllowanceChargeReason")];
    let code = || -> Ev<bool> {
        and(
            and(norm_text(n, &reason).map(|r| length(&r) == 4), || {
                num(n, &reason).map(|v| v >= 0.0)
            }),
            || num(n, &reason).map(|v| v <= 9999.0),
        )
    };
    let text = || -> Ev<bool> {
        let inner =
            |f: fn(&str) -> bool| single(n, &reason).map(|r| r.is_some_and(|r| f(&string(r))));
        and(
            and(
                and(Ok(n.child(Cbc, "AllowanceChargeReason").is_some()), || {
                    inner(|s| s.contains('#'))
                }),
                || not(inner(|s| s.starts_with('#'))),
            ),
            || not(inner(|s| s.ends_with('#'))),
        )
    };
    not(and(
        Ok(any_is(n, &[(Cbc, "AllowanceChargeReasonCode")], "ZZZ")),
        || not(or(code(), text)),
    ))
}

pub(crate) static DENMARK: &[Rule] = &[
    Rule {
        context: &[
            rel(&[el_if(Ns::CreditNote, "CreditNote", danish_seller)]),
            rel(&[el_if(Ns::Invoice, "Invoice", danish_seller)]),
        ],
        asserts: &[
            fatal(
                "DK-R-002",
                |n| held(norm_text(n, SELLER_REGISTRATION).map(|s| !s.is_empty())),
                m(
                    "A Danish seller gives no legal registration number: add its CVR number as cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID.",
                    "Een Deense verkoper geeft geen inschrijvingsnummer: voeg het CVR-nummer toe als cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:CompanyID.",
                ),
            ),
            fatal(
                "DK-R-014",
                |n| held(cvr_scheme(n, SELLER_REGISTRATION)),
                m(
                    "A Danish seller's registration number must say it is a CVR number: set its schemeID to 0184.",
                    "Het registratienummer van een Deense verkoper moet aangeven dat het een CVR-nummer is: zet schemeID op 0184.",
                ),
            ),
            fatal(
                "DK-R-016",
                |n| held(credit_not_negative(n)),
                m(
                    "A Danish credit note to a Danish buyer cannot have a negative amount due: make the amounts positive.",
                    "Een Deense creditnota aan een Deense afnemer kan geen negatief te betalen bedrag hebben: maak de bedragen positief.",
                ),
            ),
        ],
    },
    Rule {
        context: &[
            rel(&[
                el_if(Ns::CreditNote, "CreditNote", danish_both),
                el(Cac, "AccountingSupplierParty"),
                el(Cac, "Party"),
                el(Cac, "PartyIdentification"),
            ]),
            rel(&[
                el_if(Ns::CreditNote, "CreditNote", danish_both),
                el(Cac, "AccountingCustomerParty"),
                el(Cac, "Party"),
                el(Cac, "PartyIdentification"),
            ]),
            rel(&[
                el_if(Ns::Invoice, "Invoice", danish_both),
                el(Cac, "AccountingSupplierParty"),
                el(Cac, "Party"),
                el(Cac, "PartyIdentification"),
            ]),
            rel(&[
                el_if(Ns::Invoice, "Invoice", danish_both),
                el(Cac, "AccountingCustomerParty"),
                el(Cac, "Party"),
                el(Cac, "PartyIdentification"),
            ]),
        ],
        asserts: &[fatal(
            "DK-R-013",
            |n| {
                held(if n.child(Cbc, "ID").is_some() {
                    scheme_of(n, &[(Cbc, "ID")]).map(|s| !s.is_empty())
                } else {
                    Ok(true)
                })
            },
            m(
                "Between Danish parties a party identifier must say its scheme: add schemeID.",
                "Tussen Deense partijen moet een partijkenmerk zijn schema noemen: voeg schemeID toe.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el_if(Ns::Invoice, "Invoice", danish_both),
            el(Cac, "PaymentMeans"),
        ])],
        asserts: &[
            fatal(
                "DK-R-005",
                |n| held(danish_means(n)),
                m(
                    "Between Danish parties the payment means must be 1, 10, 31, 42, 48, 49, 50, 58, 59, 93 or 97: use one of those codes.",
                    "Tussen Deense partijen moet de betaalwijze 1, 10, 31, 42, 48, 49, 50, 58, 59, 93 of 97 zijn: gebruik een van die codes.",
                ),
            ),
            fatal(
                "DK-R-006",
                |n| held(danish_account(n)),
                m(
                    "A Danish bank transfer (31 or 42) needs the account number and the bank's registration number (FinancialInstitutionBranch/ID): add both.",
                    "Een Deense bankoverschrijving (31 of 42) heeft het rekeningnummer en het registratienummer van de bank nodig (FinancialInstitutionBranch/ID): voeg beide toe.",
                ),
            ),
            fatal(
                "DK-R-007",
                |n| held(danish_mandate(n)),
                m(
                    "A Danish direct debit (49) needs the mandate (PaymentMandate/ID) and the payer's account: add both.",
                    "Een Deense incasso (49) heeft de machtiging (PaymentMandate/ID) en de rekening van de betaler nodig: voeg beide toe.",
                ),
            ),
            fatal(
                "DK-R-008",
                |n| held(danish_slip(n)),
                m(
                    "A Danish payment slip (50) needs a PaymentID starting with 01#, 04# or 15# and a giro account of seven or eight digits: correct them.",
                    "Een Deens girobetaalformulier (50) heeft een PaymentID nodig die begint met 01#, 04# of 15#, en een gironummer van zeven of acht cijfers: corrigeer ze.",
                ),
            ),
            fatal(
                "DK-R-009",
                |n| held(danish_slip_length(n)),
                m(
                    "With card type 04# or 15#, the PaymentID must carry the 16-digit instruction id (19 characters in all): complete it.",
                    "Bij kaarttype 04# of 15# moet de PaymentID het betalingskenmerk van 16 cijfers bevatten (19 tekens in totaal): vul het aan.",
                ),
            ),
            fatal(
                "DK-R-010",
                |n| held(danish_fik(n)),
                m(
                    "A Danish FIK payment (93) needs a PaymentID starting with 71#, 73# or 75# and a creditor number of eight characters: correct them.",
                    "Een Deense FIK-betaling (93) heeft een PaymentID nodig die begint met 71#, 73# of 75#, en een crediteurnummer van acht tekens: corrigeer ze.",
                ),
            ),
            fatal(
                "DK-R-011",
                |n| held(danish_fik_length(n)),
                m(
                    "With card type 71# or 75#, the PaymentID must carry the 15- or 16-digit instruction id (18 or 19 characters in all): complete it.",
                    "Bij kaarttype 71# of 75# moet de PaymentID het betalingskenmerk van 15 of 16 cijfers bevatten (18 of 19 tekens in totaal): vul het aan.",
                ),
            ),
        ],
    },
    Rule {
        context: &[
            rel(&[
                el_if(Ns::CreditNote, "CreditNote", danish_both),
                el(Cac, "AccountingCustomerParty"),
                el(Cac, "Party"),
            ]),
            rel(&[
                el_if(Ns::Invoice, "Invoice", danish_both),
                el(Cac, "AccountingCustomerParty"),
                el(Cac, "Party"),
            ]),
        ],
        asserts: &[fatal(
            "DK-R-017",
            |n| {
                held(cvr_scheme(
                    n,
                    &[(Cac, "PartyLegalEntity"), (Cbc, "CompanyID")],
                ))
            },
            m(
                "A Danish buyer's registration number must say it is a CVR number: set its schemeID to 0184.",
                "Het registratienummer van een Deense afnemer moet aangeven dat het een CVR-nummer is: zet schemeID op 0184.",
            ),
        )],
    },
    Rule {
        context: &[
            rel(&[
                el_if(Ns::CreditNote, "CreditNote", danish_both),
                el(Cac, "CreditNoteLine"),
            ]),
            rel(&[
                el_if(Ns::Invoice, "Invoice", danish_both),
                el(Cac, "InvoiceLine"),
            ]),
        ],
        asserts: &[fatal(
            "DK-R-003",
            unspsc_version,
            m(
                "A UNSPSC item classification (TST) from a Danish seller should name version 19.05.01 or 26.08.01 (listVersionID): add it.",
                "Een UNSPSC-artikelclassificatie (TST) van een Deense verkoper hoort versie 19.05.01 of 26.08.01 te noemen (listVersionID): voeg die toe.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el_if(Cac, "AllowanceCharge", danish_both)])],
        asserts: &[fatal(
            "DK-R-004",
            |n| held(danish_tax_reason(n)),
            m(
                "A Danish non-VAT tax (reason code ZZZ) needs as reason a four-digit tax code, or a text with # between code and description: correct the reason.",
                "Een Deense belasting anders dan btw (redencode ZZZ) heeft als reden een belastingcode van vier cijfers nodig, of een tekst met # tussen code en omschrijving: corrigeer de reden.",
            ),
        )],
    },
];

// ---- Sweden. ----

/// `cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/substring(cbc:CompanyID, 1, 2) = 'SE'`:
/// true at the first tax scheme that holds.
fn swedish_vat_prefix(party: Node<'_>) -> Ev<bool> {
    for s in party.all(Cac, "PartyTaxScheme") {
        if !any_is(s, &[(Cac, "TaxScheme"), (Cbc, "ID")], "VAT") {
            continue;
        }
        let id = one(s.all(Cbc, "CompanyID"))?.map_or_else(String::new, |i| string(i).into_owned());
        if substring(&id, 1, 2) == "SE" {
            return Ok(true);
        }
    }
    Ok(false)
}

fn address_in(party: Node<'_>, country: &str) -> bool {
    any_is(
        party,
        &[
            (Cac, "PostalAddress"),
            (Cac, "Country"),
            (Cbc, "IdentificationCode"),
        ],
        country,
    )
}

/// `cac:Party[cac:PostalAddress/cac:Country/cbc:IdentificationCode = 'SE' and <Swedish VAT>]`.
fn swedish_vat_party(party: Node<'_>) -> Ev<bool> {
    Ok(address_in(party, "SE") && swedish_vat_prefix(party)?)
}

fn swedish_vat_seller(n: Node<'_>) -> bool {
    matching(swedish_vat_party(n))
}

/// `//cac:AccountingSupplierParty/cac:Party[…]` somewhere in the document.
fn some_seller(n: Node<'_>, holds: impl Fn(Node<'_>) -> Ev<bool>) -> Ev<bool> {
    for p in n.document().elements(Cac, "AccountingSupplierParty") {
        for party in p.all(Cac, "Party") {
            if holds(party)? {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

fn swedish_seller(n: Node<'_>) -> bool {
    matching(some_seller(n, |p| Ok(address_in(p, "SE"))))
}

fn swedish_buyer(n: Node<'_>) -> bool {
    n.document()
        .elements(Cac, "AccountingCustomerParty")
        .flat_map(|p| p.all(Cac, "Party"))
        .any(|p| address_in(p, "SE"))
}

/// The Swedish seller's VAT number: `cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/cbc:CompanyID`
/// (two stop the evaluation).
fn swedish_vat_number(n: Node<'_>) -> Ev<String> {
    let ids: Vec<Node<'_>> = n
        .all(Cac, "PartyTaxScheme")
        .filter(|s| any_is(*s, &[(Cac, "TaxScheme"), (Cbc, "ID")], "VAT"))
        .flat_map(|s| s.all(Cbc, "CompanyID"))
        .collect();
    Ok(one(ids.into_iter())?.map_or_else(String::new, |i| string(i).into_owned()))
}

/// `cac:PartyLegalEntity[../cac:PostalAddress/cac:Country/cbc:IdentificationCode = 'SE' and
/// cbc:CompanyID]`.
fn swedish_registration(n: Node<'_>) -> bool {
    n.parent().is_some_and(|p| address_in(p, "SE")) && n.child(Cbc, "CompanyID").is_some()
}

/// SE-R-013: the organisation number's Luhn check digit.
fn swedish_luhn(n: Node<'_>) -> Ev<bool> {
    let id = norm(n, &[(Cbc, "CompanyID")])?;
    functions::se_orgnr(&id).map_err(|u| {
        let at = n.child(Cbc, "CompanyID").unwrap_or(n);
        Halt::number(at, &u.0)
    })
}

/// `cac:Party[… = 'SE' and exists(cac:PartyLegalEntity/cbc:CompanyID)]/cac:PartyTaxScheme
/// [normalize-space(upper-case(cac:TaxScheme/cbc:ID)) != 'VAT']`.
fn swedish_other_scheme(n: Node<'_>) -> bool {
    let Some(party) = n.parent() else {
        return false;
    };
    address_in(party, "SE")
        && exists(party, &[(Cac, "PartyLegalEntity"), (Cbc, "CompanyID")])
        && matching(
            one(all(n, &[(Cac, "TaxScheme"), (Cbc, "ID")]).into_iter()).map(|id| {
                id.map_or_else(String::new, |i| normalize(&string(i).to_uppercase())) != "VAT"
            }),
        )
}

/// `//cac:TaxCategory[//…/cac:Party[<Swedish VAT>] and cbc:ID = 'S']`.
fn swedish_standard_rate(n: Node<'_>) -> bool {
    matching(some_seller(n, swedish_vat_party)) && any_is(n, &[(Cbc, "ID")], "S")
}

/// `//cac:PaymentMeans[//… = 'SE' and normalize-space(cbc:PaymentMeansCode) = '30' and
/// normalize-space(cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID) = 'GIRO']`.
fn swedish_giro(n: Node<'_>, giro: &str) -> bool {
    swedish_seller(n)
        && matching(norm(n, &[(Cbc, "PaymentMeansCode")]).map(|c| c == "30"))
        && matching(
            norm(
                n,
                &[
                    (Cac, "PayeeFinancialAccount"),
                    (Cac, "FinancialInstitutionBranch"),
                    (Cbc, "ID"),
                ],
            )
            .map(|b| b == giro),
        )
}

fn plusgiro(n: Node<'_>) -> bool {
    swedish_giro(n, "SE:PLUSGIRO")
}

fn bankgiro(n: Node<'_>) -> bool {
    swedish_giro(n, "SE:BANKGIRO")
}

/// `string(number(normalize-space(.))) != 'NaN'`.
fn numeric(n: Node<'_>) -> bool {
    !number(&normalize(&string(n))).is_nan()
}

pub(crate) static SWEDEN: &[Rule] = &[
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el_if(Cac, "Party", swedish_vat_seller),
        ])],
        asserts: &[
            fatal(
                "SE-R-001",
                |n| held(swedish_vat_number(n).map(|v| length(&normalize(&v)) == 14)),
                m(
                    "A Swedish VAT number has 14 characters (SE, ten digits of the organisation number, 01): correct it.",
                    "Een Zweeds btw-nummer heeft 14 tekens (SE, de tien cijfers van het organisatienummer, 01): corrigeer het.",
                ),
            ),
            fatal(
                "SE-R-002",
                |n| held(swedish_vat_number(n).map(|v| !number(&substring(&v, 3, 12)).is_nan())),
                m(
                    "The twelve characters after SE in a Swedish VAT number must be digits: correct it.",
                    "De twaalf tekens na SE in een Zweeds btw-nummer moeten cijfers zijn: corrigeer het.",
                ),
            ),
        ],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el(Cac, "Party"),
            el_if(Cac, "PartyLegalEntity", swedish_registration),
        ])],
        asserts: &[
            fatal(
                "SE-R-003",
                |n| held(num(n, &[(Cbc, "CompanyID")]).map(|v| !v.is_nan())),
                m(
                    "A Swedish organisation number should be digits only: write it without a hyphen, such as 5560360793.",
                    "Een Zweeds organisatienummer hoort alleen uit cijfers te bestaan: schrijf het zonder streepje, zoals 5560360793.",
                ),
            ),
            fatal(
                "SE-R-004",
                |n| held(norm(n, &[(Cbc, "CompanyID")]).map(|v| length(&v) == 10)),
                m(
                    "A Swedish organisation number has ten digits: correct it.",
                    "Een Zweeds organisatienummer heeft tien cijfers: corrigeer het.",
                ),
            ),
            fatal(
                "SE-R-013",
                |n| held(swedish_luhn(n)),
                m(
                    "The last digit of this Swedish organisation number is not its Luhn check digit: correct the number.",
                    "Het laatste cijfer van dit Zweedse organisatienummer is niet het Luhn-controlecijfer: corrigeer het nummer.",
                ),
            ),
        ],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el(Cac, "Party"),
            el_if(Cac, "PartyTaxScheme", swedish_other_scheme),
            el(Cbc, "CompanyID"),
        ])],
        asserts: &[fatal(
            "SE-R-005",
            |n| normalize(&string(n).to_uppercase()) == "GODKÄND FÖR F-SKATT",
            m(
                "A Swedish seller's tax registration other than VAT must read Godkänd för F-skatt: write that text.",
                "De fiscale registratie van een Zweedse verkoper naast de btw moet Godkänd för F-skatt luiden: schrijf die tekst.",
            ),
        )],
    },
    Rule {
        context: &[
            rel(&[el_if(Cac, "TaxCategory", swedish_standard_rate)]),
            rel(&[el_if(Cac, "ClassifiedTaxCategory", swedish_standard_rate)]),
        ],
        asserts: &[fatal(
            "SE-R-006",
            |n| held(num(n, &[(Cbc, "Percent")]).map(|p| p == 25.0 || p == 12.0 || p == 6.0)),
            m(
                "A Swedish seller's standard-rated VAT is 25, 12 or 6 percent: correct the rate.",
                "Het standaardtarief van een Zweedse verkoper is 25, 12 of 6 procent: corrigeer het tarief.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "PaymentMeans", plusgiro),
            el(Cac, "PayeeFinancialAccount"),
            el(Cbc, "ID"),
        ])],
        asserts: &[
            warning(
                "SE-R-007",
                numeric,
                m(
                    "A Plusgiro account should be digits only: write it without spaces or hyphens.",
                    "Een Plusgiro-rekening hoort alleen uit cijfers te bestaan: schrijf ze zonder spaties of streepjes.",
                ),
            ),
            warning(
                "SE-R-010",
                |n| (2..=8).contains(&length(&normalize(&string(n)))),
                m(
                    "A Plusgiro account should have two to eight digits: correct it.",
                    "Een Plusgiro-rekening hoort twee tot acht cijfers te hebben: corrigeer ze.",
                ),
            ),
        ],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "PaymentMeans", bankgiro),
            el(Cac, "PayeeFinancialAccount"),
            el(Cbc, "ID"),
        ])],
        asserts: &[
            warning(
                "SE-R-008",
                numeric,
                m(
                    "A Bankgiro account should be digits only: write it without spaces or hyphens.",
                    "Een Bankgiro-rekening hoort alleen uit cijfers te bestaan: schrijf ze zonder spaties of streepjes.",
                ),
            ),
            warning(
                "SE-R-009",
                |n| matches!(length(&normalize(&string(n))), 7 | 8),
                m(
                    "A Bankgiro account should have seven or eight digits: correct it.",
                    "Een Bankgiro-rekening hoort zeven of acht cijfers te hebben: corrigeer ze.",
                ),
            ),
        ],
    },
    Rule {
        context: &[rel(&[el_if(Cac, "PaymentMeans", |n| {
            swedish_seller(n) && (code_is(n, "50") || code_is(n, "56"))
        })])],
        asserts: &[warning(
            "SE-R-011",
            never,
            m(
                "A Swedish seller gives Bankgiro or Plusgiro with payment means code 50 or 56: use code 30 (credit transfer) with SE:BANKGIRO or SE:PLUSGIRO as the branch (cac:FinancialInstitutionBranch/cbc:ID).",
                "Een Zweedse verkoper geeft Bankgiro of Plusgiro met betaalwijze 50 of 56: gebruik code 30 (overschrijving) met SE:BANKGIRO of SE:PLUSGIRO als filiaal (cac:FinancialInstitutionBranch/cbc:ID).",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el_if(Cac, "PaymentMeans", |n| {
            swedish_seller(n) && swedish_buyer(n) && code_is(n, "31")
        })])],
        asserts: &[warning(
            "SE-R-012",
            never,
            m(
                "Between Swedish parties a credit transfer has code 31: use code 30 instead.",
                "Tussen Zweedse partijen heeft een overschrijving code 31: gebruik in plaats daarvan code 30.",
            ),
        )],
    },
];

// ---- Iceland. ----

/// `$SupplierCountry = 'IS'`.
fn icelandic_seller(n: Node<'_>) -> bool {
    matching(facts(n, |f| f.seller_address_country.clone()).map(|c| c == "IS"))
}

fn icelandic_both(n: Node<'_>) -> bool {
    icelandic_seller(n)
        && matching(facts(n, |f| f.buyer_address_country.clone()).map(|c| c == "IS"))
}

/// IS-R-001: the type code, trimmed, is 380 or 381.
fn icelandic_type(n: Node<'_>) -> Ev<bool> {
    let ok = |name: &str| {
        norm(n, &[(Cbc, name)])
            .map(|code| !code.contains(' ') && " 380 381 ".contains(&format!(" {code} ")))
    };
    or(ok("InvoiceTypeCode"), || ok("CreditNoteTypeCode"))
}

/// `exists(PATH) and PATH/@schemeID = '0196'`: an Icelandic kennitala.
fn kennitala(n: Node<'_>, path: &[(Ns, &str)]) -> bool {
    all(n, path)
        .iter()
        .any(|c| c.attr("schemeID") == Some("0196"))
}

/// `cac:PaymentMeans[cbc:PaymentMeansCode = 'CODE']`.
fn means_with<'d>(n: Node<'d>, code: &str) -> Vec<Node<'d>> {
    n.all(Cac, "PaymentMeans")
        .filter(|p| code_is(*p, code))
        .collect()
}

/// IS-R-006 and 007: a payment with this code names a twelve-character account.
fn icelandic_account(n: Node<'_>, code: &str) -> Ev<bool> {
    let means = means_with(n, code);
    if means.is_empty() {
        return Ok(true);
    }
    let ids: Vec<Node<'_>> = means
        .iter()
        .flat_map(|p| all(*p, &[(Cac, "PayeeFinancialAccount"), (Cbc, "ID")]))
        .collect();
    if ids.is_empty() {
        return Ok(false);
    }
    let id = one(ids.into_iter())?.map_or_else(String::new, |i| normalize(&string(i)));
    Ok(length(&id) == 12)
}

/// `cac:AdditionalDocumentReference[cbc:DocumentDescription = 'EINDAGI']`.
fn eindagi<'d>(n: Node<'d>) -> Vec<Node<'d>> {
    n.all(Cac, "AdditionalDocumentReference")
        .filter(|r| any_is(*r, &[(Cbc, "DocumentDescription")], "EINDAGI"))
        .collect()
}

/// The EINDAGI references' ids (`…/cbc:ID`).
fn eindagi_ids<'d>(n: Node<'d>) -> Vec<Node<'d>> {
    eindagi(n)
        .into_iter()
        .flat_map(|r| r.all(Cbc, "ID"))
        .collect()
}

/// IS-R-008: the EINDAGI date is written YYYY-MM-DD.
fn eindagi_date(n: Node<'_>) -> Ev<bool> {
    if eindagi(n).is_empty() {
        return Ok(true);
    }
    let id = one(eindagi_ids(n).into_iter())?.map_or_else(String::new, |i| string(i).into_owned());
    Ok(length(&id) == 10 && castable_date(&id))
}

/// IS-R-010: the due date is not after the EINDAGI date (compared as text, as the official
/// test does).
fn eindagi_after_due(n: Node<'_>) -> bool {
    if eindagi(n).is_empty() {
        return true;
    }
    let ids = eindagi_ids(n);
    n.all(Cbc, "DueDate")
        .any(|d| ids.iter().any(|i| string(d) <= string(*i)))
}

pub(crate) static ICELAND: &[Rule] = &[
    Rule {
        context: &[
            rel(&[el_if(Ns::CreditNote, "CreditNote", icelandic_seller)]),
            rel(&[el_if(Ns::Invoice, "Invoice", icelandic_seller)]),
        ],
        asserts: &[
            warning(
                "IS-R-001",
                |n| held(icelandic_type(n)),
                m(
                    "An Icelandic seller's document should be an invoice (380) or a credit note (381): use one of those type codes.",
                    "Een document van een IJslandse verkoper hoort een factuur (380) of creditnota (381) te zijn: gebruik een van die soorten.",
                ),
            ),
            fatal(
                "IS-R-002",
                |n| {
                    kennitala(
                        n,
                        &[
                            (Cac, "AccountingSupplierParty"),
                            (Cac, "Party"),
                            (Cac, "PartyLegalEntity"),
                            (Cbc, "CompanyID"),
                        ],
                    )
                },
                m(
                    "An Icelandic seller gives no kennitala as legal registration: add cac:PartyLegalEntity/cbc:CompanyID with the kennitala and schemeID 0196.",
                    "Een IJslandse verkoper geeft geen kennitala als inschrijving: voeg cac:PartyLegalEntity/cbc:CompanyID toe met de kennitala en schemeID 0196.",
                ),
            ),
            fatal(
                "IS-R-003",
                |n| {
                    let address = [
                        (Cac, "AccountingSupplierParty"),
                        (Cac, "Party"),
                        (Cac, "PostalAddress"),
                    ];
                    all(n, &address)
                        .iter()
                        .any(|a| a.child(Cbc, "StreetName").is_some())
                        && all(n, &address)
                            .iter()
                            .any(|a| a.child(Cbc, "PostalZone").is_some())
                },
                m(
                    "An Icelandic seller's address must have street and postal code: add them.",
                    "Het adres van een IJslandse verkoper moet straat en postcode hebben: voeg ze toe.",
                ),
            ),
            fatal(
                "IS-R-006",
                |n| held(icelandic_account(n, "9")),
                m(
                    "An Icelandic payment with code 9 needs an account number of twelve characters: add or correct it.",
                    "Een IJslandse betaling met code 9 heeft een rekeningnummer van twaalf tekens nodig: voeg het toe of corrigeer het.",
                ),
            ),
            fatal(
                "IS-R-007",
                |n| held(icelandic_account(n, "42")),
                m(
                    "An Icelandic bank transfer (42) needs an account number of twelve characters: add or correct it.",
                    "Een IJslandse bankoverschrijving (42) heeft een rekeningnummer van twaalf tekens nodig: voeg het toe of corrigeer het.",
                ),
            ),
            fatal(
                "IS-R-008",
                |n| held(eindagi_date(n)),
                m(
                    "The EINDAGI (final due date) reference must hold a date written YYYY-MM-DD: correct it.",
                    "De EINDAGI-verwijzing (uiterste vervaldatum) moet een datum bevatten in de vorm JJJJ-MM-DD: corrigeer ze.",
                ),
            ),
            fatal(
                "IS-R-009",
                |n| eindagi(n).is_empty() || n.child(Cbc, "DueDate").is_some(),
                m(
                    "A document with an EINDAGI (final due date) needs a due date as well: add it.",
                    "Een document met een EINDAGI (uiterste vervaldatum) heeft ook een vervaldatum nodig: voeg die toe.",
                ),
            ),
            fatal(
                "IS-R-010",
                eindagi_after_due,
                m(
                    "The EINDAGI (final due date) cannot lie before the due date: correct one of them.",
                    "De EINDAGI (uiterste vervaldatum) kan niet vóór de vervaldatum liggen: corrigeer een van beide.",
                ),
            ),
        ],
    },
    Rule {
        context: &[
            rel(&[
                el_if(Ns::CreditNote, "CreditNote", icelandic_both),
                el(Cac, "AccountingCustomerParty"),
            ]),
            rel(&[
                el_if(Ns::Invoice, "Invoice", icelandic_both),
                el(Cac, "AccountingCustomerParty"),
            ]),
        ],
        asserts: &[
            fatal(
                "IS-R-004",
                |n| {
                    kennitala(
                        n,
                        &[
                            (Cac, "Party"),
                            (Cac, "PartyLegalEntity"),
                            (Cbc, "CompanyID"),
                        ],
                    )
                },
                m(
                    "The Icelandic buyer of an Icelandic seller has no kennitala as legal registration: add cac:PartyLegalEntity/cbc:CompanyID with the kennitala and schemeID 0196.",
                    "De IJslandse afnemer van een IJslandse verkoper heeft geen kennitala als inschrijving: voeg cac:PartyLegalEntity/cbc:CompanyID toe met de kennitala en schemeID 0196.",
                ),
            ),
            fatal(
                "IS-R-005",
                |n| {
                    let address = [(Cac, "Party"), (Cac, "PostalAddress")];
                    all(n, &address)
                        .iter()
                        .any(|a| a.child(Cbc, "StreetName").is_some())
                        && all(n, &address)
                            .iter()
                            .any(|a| a.child(Cbc, "PostalZone").is_some())
                },
                m(
                    "An Icelandic buyer's address must have street and postal code: add them.",
                    "Het adres van een IJslandse afnemer moet straat en postcode hebben: voeg ze toe.",
                ),
            ),
        ],
    },
];

/// What a failed Nordic rule shows: the number, code or account it judged.
pub(crate) fn values(rule: &'static str, n: Node<'_>) -> Option<String> {
    let vat = || {
        let list: Vec<String> = n
            .all(Cac, "PartyTaxScheme")
            .filter(|s| any_is(*s, &[(Cac, "TaxScheme"), (Cbc, "ID")], "VAT"))
            .flat_map(|s| s.all(Cbc, "CompanyID"))
            .map(|c| string(c).trim().to_owned())
            .collect();
        (!list.is_empty()).then(|| list.join(" | "))
    };
    let registration = |path: &[(Ns, &str)]| {
        let ids = all(n, path);
        let list: Vec<String> = ids
            .iter()
            .map(|c| {
                format!(
                    "{} (schemeID {})",
                    string(*c).trim(),
                    c.attr("schemeID").unwrap_or("—")
                )
            })
            .collect();
        (!list.is_empty()).then(|| list.join(" | "))
    };
    let payment = || {
        let mut parts = Vec::new();
        for (label, path) in [
            ("PaymentMeansCode", &[(Cbc, "PaymentMeansCode")][..]),
            ("PaymentID", &[(Cbc, "PaymentID")][..]),
            (
                "account",
                &[(Cac, "PayeeFinancialAccount"), (Cbc, "ID")][..],
            ),
        ] {
            if let Some(v) = shown(n, path) {
                parts.push(format!("{label} = {v}"));
            }
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    };
    match rule {
        "NO-R-001" | "SE-R-001" | "SE-R-002" => vat(),
        "NO-R-002" => {
            let tax: Vec<Node<'_>> = tax_schemes(n, "TAX").ok()?;
            let ids: Vec<String> = tax
                .iter()
                .flat_map(|s| s.all(Cbc, "CompanyID"))
                .map(|c| string(c).trim().to_owned())
                .collect();
            Some(if ids.is_empty() {
                "—".to_owned()
            } else {
                ids.join(" | ")
            })
        }
        "DK-R-002" | "DK-R-014" | "IS-R-002" => registration(SELLER_REGISTRATION),
        "DK-R-017" | "IS-R-004" => registration(&[
            (Cac, "Party"),
            (Cac, "PartyLegalEntity"),
            (Cbc, "CompanyID"),
        ]),
        "DK-R-013" => registration(&[(Cbc, "ID")]),
        "DK-R-016" => shown(n, &[(Cac, "LegalMonetaryTotal"), (Cbc, "PayableAmount")]),
        "DK-R-005" | "DK-R-006" | "DK-R-007" | "DK-R-008" | "DK-R-009" | "DK-R-010"
        | "DK-R-011" => payment(),
        "DK-R-004" => shown(n, &[(Cbc, "AllowanceChargeReason")]),
        "SE-R-003" | "SE-R-004" | "SE-R-013" => shown(n, &[(Cbc, "CompanyID")]),
        "SE-R-006" => shown(n, &[(Cbc, "Percent")]),
        "IS-R-001" => shown(n, &[(Cbc, "InvoiceTypeCode")])
            .or_else(|| shown(n, &[(Cbc, "CreditNoteTypeCode")])),
        _ => None,
    }
}
