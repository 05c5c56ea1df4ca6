//! Greece's national rules (`GR-R-*`, `GR-S-*`): for a Greek seller, the invoice number's six
//! segments (tax number, date, series number, document type, …), tax numbers with a valid check
//! digit, names, and the myDATA mark and invoice URL references. Two patterns: the seller's, and
//! the buyer's when both are Greek.

use crate::ubl::{Node, Ns, Ns::Cac, Ns::Cbc};
use crate::validate::ubl::engine::context::{CREDIT_NOTE, INVOICE, Rule, el, el_if, rel, rooted};
use crate::validate::ubl::engine::xpath::{normalize, string};

use super::eval::{
    Ev, Halt, and, any_is, integer_lexical, length, norm, number, one, or, shown, single,
    substring, substring_from, tax_schemes,
};
use super::facts::{facts, tokenize};
use super::functions::greek_tin;
use super::{fatal, held, m, matching, warning};

/// `$isGreekSender`.
fn greek_sender(n: Node<'_>) -> bool {
    matching(facts(n, |f| f.greek_sender()))
}

/// `$isGreekSenderandReceiver`.
fn greek_both(n: Node<'_>) -> bool {
    matching(facts(n, |f| f.greek_both()))
}

/// `$accountingSupplierCountry = 'GR' or … = 'EL'`.
fn greek_seller_country(n: Node<'_>) -> bool {
    matching(facts(n, |f| f.seller_country.clone()).map(|c| c == "GR" || c == "EL"))
}

/// `$isGreekSender and (/*/cac:AccountingSupplierParty/cac:Party/cac:PostalAddress/cac:Country
/// /cbc:IdentificationCode = 'GR')`.
fn greek_sender_in_greece(n: Node<'_>) -> bool {
    greek_sender(n)
        && any_is(
            n.document().root(),
            &[
                (Cac, "AccountingSupplierParty"),
                (Cac, "Party"),
                (Cac, "PostalAddress"),
                (Cac, "Country"),
                (Cbc, "IdentificationCode"),
            ],
            "GR",
        )
}

/// `$IdSegments`: the invoice number split at `|`.
fn segments(n: Node<'_>) -> Vec<String> {
    tokenize(&string(n), '|')
}

fn segment(n: Node<'_>, k: usize) -> Option<String> {
    segments(n).into_iter().nth(k - 1)
}

/// `string-length(normalize-space($IdSegments[k])) > 0`.
fn filled(seg: &Option<String>) -> bool {
    seg.as_deref().is_some_and(|s| !normalize(s).is_empty())
}

/// `PARTY/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/substring(cbc:CompanyID, 3, 9) = s`,
/// true at the first tax scheme that holds.
fn tax_number_is(root: Node<'_>, party: &[(Ns, &str)], s: &str) -> Ev<bool> {
    for scheme in super::eval::all(root, party) {
        for pts in scheme.all(Cac, "PartyTaxScheme") {
            if !any_is(pts, &[(Cac, "TaxScheme"), (Cbc, "ID")], "VAT") {
                continue;
            }
            let id = one(pts.all(Cbc, "CompanyID"))?
                .map_or_else(String::new, |i| string(i).into_owned());
            if substring(&id, 3, 9) == s {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// GR-R-001-2: the first segment is a valid tax number, the seller's or its tax
/// representative's.
fn first_segment(n: Node<'_>) -> Ev<bool> {
    let Some(seg) = segment(n, 1) else {
        return Ok(false);
    };
    if length(&normalize(&seg)) != 9 || !greek_tin(&seg) {
        return Ok(false);
    }
    let root = n.document().root();
    or(
        tax_number_is(
            root,
            &[(Cac, "AccountingSupplierParty"), (Cac, "Party")],
            &seg,
        ),
        || tax_number_is(root, &[(Cac, "TaxRepresentativeParty")], &seg),
    )
}

/// `^(0?[1-9]|[12][0-9]|3[01])[-\\/ ]?(0?[1-9]|1[0-2])[-\\/ ]?(19|20)[0-9]{2}`: a day, a month
/// and a year of this or the last century at the start of the text.
fn greek_date(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    let digit = |k: usize, lo: char, hi: char| c.get(k).is_some_and(|x| (lo..=hi).contains(x));
    // Where each alternative of a day or month ending at `k` may end.
    let day_ends = |k: usize| -> Vec<usize> {
        let mut out = Vec::new();
        if digit(k, '1', '9') {
            out.push(k + 1);
        }
        if c.get(k) == Some(&'0') && digit(k + 1, '1', '9') {
            out.push(k + 2);
        }
        if digit(k, '1', '2') && digit(k + 1, '0', '9') {
            out.push(k + 2);
        }
        if c.get(k) == Some(&'3') && digit(k + 1, '0', '1') {
            out.push(k + 2);
        }
        out
    };
    let month_ends = |k: usize| -> Vec<usize> {
        let mut out = Vec::new();
        if digit(k, '1', '9') {
            out.push(k + 1);
        }
        if c.get(k) == Some(&'0') && digit(k + 1, '1', '9') {
            out.push(k + 2);
        }
        if c.get(k) == Some(&'1') && digit(k + 1, '0', '2') {
            out.push(k + 2);
        }
        out
    };
    let separators = |k: usize| -> Vec<usize> {
        let mut out = vec![k];
        if c.get(k)
            .is_some_and(|x| matches!(x, '-' | '\\' | '/' | ' '))
        {
            out.push(k + 1);
        }
        out
    };
    let year = |k: usize| {
        ((c.get(k) == Some(&'1') && c.get(k + 1) == Some(&'9'))
            || (c.get(k) == Some(&'2') && c.get(k + 1) == Some(&'0')))
            && digit(k + 2, '0', '9')
            && digit(k + 3, '0', '9')
    };
    day_ends(0).into_iter().any(|d| {
        separators(d).into_iter().any(|s1| {
            month_ends(s1)
                .into_iter()
                .any(|mo| separators(mo).into_iter().any(year))
        })
    })
}

/// GR-R-001-3: the second segment is the issue date, as day/month/year.
fn second_segment(n: Node<'_>) -> Ev<bool> {
    let seg = segment(n, 2);
    if !filled(&seg) {
        return Ok(false);
    }
    let seg = seg.unwrap_or_default();
    if !greek_date(&seg) {
        return Ok(false);
    }
    let id_date = tokenize(&seg, '/');
    let issue = facts(n, |f| f.issue_date_parts.clone());
    // `$tokenizedIdDate[a] = $tokenizedUblIssueDate[b]`: an empty left side is false without
    // looking at the issue date.
    let same = |a: usize, b: usize| -> Ev<bool> {
        let Some(x) = id_date.get(a) else {
            return Ok(false);
        };
        Ok(issue.clone()?.get(b) == Some(x))
    };
    and(and(same(0, 2), || same(1, 1)), || same(2, 0))
}

/// GR-R-001-4: the third segment is a whole number, not negative.
fn third_segment(n: Node<'_>) -> Ev<bool> {
    let seg = segment(n, 3);
    if !filled(&seg) {
        return Ok(false);
    }
    let seg = seg.unwrap_or_default();
    if number(&seg).is_nan() {
        return Ok(false);
    }
    if !integer_lexical(&seg) {
        // A number, but no integer (`1.5`, `1e3`, `INF`): the official cast stops.
        return Err(Halt::number(n, &seg));
    }
    let t = seg.trim_matches([' ', '\t', '\r', '\n']);
    Ok(!t.starts_with('-') || t[1..].bytes().all(|b| b == b'0'))
}

/// GR-R-001-5: the fourth segment is a Greek document type.
fn fourth_segment(n: Node<'_>) -> bool {
    let seg = segment(n, 4);
    filled(&seg)
        && matches!(
            seg.as_deref(),
            Some("1.1" | "1.6" | "2.1" | "2.4" | "5.1" | "5.2" | "")
        )
}

/// `count(SCHEMES/cbc:CompanyID) = 1 and substring(…, 1, 2) = 'EL' and
/// u:TinVerification(substring(…, 3))`: one Greek VAT number with a valid check digit.
fn greek_vat(party: Node<'_>) -> Ev<bool> {
    let ids: Vec<Node<'_>> = tax_schemes(party, "VAT")?
        .into_iter()
        .flat_map(|s| s.all(Cbc, "CompanyID"))
        .collect();
    let [id] = ids.as_slice() else {
        return Ok(false);
    };
    let s = string(*id);
    Ok(substring(&s, 1, 2) == "EL" && greek_tin(&substring_from(&s, 3)))
}

/// `string-length(./cac:PartyName/cbc:Name) > 0`.
fn named(n: Node<'_>) -> Ev<bool> {
    Ok(single(n, &[(Cac, "PartyName"), (Cbc, "Name")])?.is_some_and(|x| length(&string(x)) > 0))
}

/// `count(cac:AdditionalDocumentReference[cbc:DocumentDescription = 'WHAT'])`.
fn references(n: Node<'_>, what: &str) -> usize {
    n.all(Cac, "AdditionalDocumentReference")
        .filter(|r| any_is(*r, &[(Cbc, "DocumentDescription")], what))
        .count()
}

/// `./@schemeID = '9933' and u:TinVerification(.)`.
fn tin_address(n: Node<'_>) -> bool {
    n.attr("schemeID") == Some("9933") && greek_tin(&string(n))
}

const MARK: &str = "##M.AR.K##";
const URL: &str = "##INVOICE|URL##";

pub(crate) static GREECE: &[Rule] = &[
    Rule {
        context: &[
            rooted(&[INVOICE, el_if(Cbc, "ID", greek_sender)]),
            rooted(&[CREDIT_NOTE, el_if(Cbc, "ID", greek_sender)]),
        ],
        asserts: &[
            fatal(
                "GR-R-001-1",
                |n| segments(n).len() == 6,
                m(
                    "A Greek seller's invoice number must have six segments separated by | (tax number|date|branch|type|series|number): write it so.",
                    "Het factuurnummer van een Griekse verkoper moet zes delen hebben, gescheiden door | (fiscaal nummer|datum|vestiging|soort|reeks|nummer): schrijf het zo.",
                ),
            ),
            fatal(
                "GR-R-001-2",
                |n| held(first_segment(n)),
                m(
                    "The invoice number's first segment must be the seller's Greek tax number (or its tax representative's), nine digits with a valid check digit: correct it.",
                    "Het eerste deel van het factuurnummer moet het Griekse fiscale nummer van de verkoper (of van zijn fiscaal vertegenwoordiger) zijn, negen cijfers met een juist controlecijfer: corrigeer het.",
                ),
            ),
            fatal(
                "GR-R-001-3",
                |n| held(second_segment(n)),
                m(
                    "The invoice number's second segment must be the issue date as day/month/year: correct it.",
                    "Het tweede deel van het factuurnummer moet de factuurdatum zijn als dag/maand/jaar: corrigeer het.",
                ),
            ),
            fatal(
                "GR-R-001-4",
                |n| held(third_segment(n)),
                m(
                    "The invoice number's third segment must be a whole number, zero or more: correct it.",
                    "Het derde deel van het factuurnummer moet een geheel getal zijn, nul of meer: corrigeer het.",
                ),
            ),
            fatal(
                "GR-R-001-5",
                fourth_segment,
                m(
                    "The invoice number's fourth segment must be a Greek document type (1.1, 1.6, 2.1, 2.4, 5.1 or 5.2): correct it.",
                    "Het vierde deel van het factuurnummer moet een Griekse documentsoort zijn (1.1, 1.6, 2.1, 2.4, 5.1 of 5.2): corrigeer het.",
                ),
            ),
            fatal(
                "GR-R-001-6",
                |n| segment(n, 5).is_some_and(|s| !s.is_empty()),
                m(
                    "The invoice number's fifth segment (the series) must not be empty: fill it in.",
                    "Het vijfde deel van het factuurnummer (de reeks) mag niet leeg zijn: vul het in.",
                ),
            ),
            fatal(
                "GR-R-001-7",
                |n| segment(n, 6).is_some_and(|s| !s.is_empty()),
                m(
                    "The invoice number's sixth segment (the number) must not be empty: fill it in.",
                    "Het zesde deel van het factuurnummer (het nummer) mag niet leeg zijn: vul het in.",
                ),
            ),
        ],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AccountingSupplierParty", greek_sender),
            el(Cac, "Party"),
        ])],
        asserts: &[
            fatal(
                "GR-R-002",
                |n| held(named(n)),
                m(
                    "A Greek seller must give its full registered name (PartyName/Name): add it.",
                    "Een Griekse verkoper moet zijn volledige geregistreerde naam geven (PartyName/Name): voeg die toe.",
                ),
            ),
            warning(
                "GR-S-011",
                |n| held(greek_vat(n)),
                m(
                    "A Greek seller should have exactly one VAT number, EL followed by its tax number with a valid check digit: correct cac:PartyTaxScheme/cbc:CompanyID, and remove any other VAT number.",
                    "Een Griekse verkoper hoort precies één btw-nummer te hebben, EL gevolgd door het fiscale nummer met een juist controlecijfer: corrigeer cac:PartyTaxScheme/cbc:CompanyID, en verwijder eventuele andere btw-nummers.",
                ),
            ),
        ],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AccountingSupplierParty", greek_sender),
            el(Cac, "Party"),
            el_if(Cac, "PartyTaxScheme", |n| {
                matching(norm(n, &[(Cac, "TaxScheme"), (Cbc, "ID")]).map(|s| s == "VAT"))
            }),
            el(Cbc, "CompanyID"),
        ])],
        asserts: &[fatal(
            "GR-R-003",
            |n| {
                let s = string(n);
                substring(&s, 1, 2) == "EL" && greek_tin(&substring_from(&s, 3))
            },
            m(
                "A Greek seller's VAT number must be EL and its tax number with a valid check digit: correct it.",
                "Het btw-nummer van een Griekse verkoper moet EL zijn en zijn fiscale nummer met een juist controlecijfer: corrigeer het.",
            ),
        )],
    },
    Rule {
        context: &[
            rooted(&[el_if(Ns::Invoice, "Invoice", greek_sender_in_greece)]),
            rooted(&[el_if(Ns::CreditNote, "CreditNote", greek_sender_in_greece)]),
        ],
        asserts: &[
            fatal(
                "GR-R-004-1",
                |n| references(n, MARK) == 1,
                m(
                    "A Greek seller's document must carry one myDATA mark (a supporting document described ##M.AR.K##): add it, once.",
                    "Een document van een Griekse verkoper moet één myDATA-kenmerk hebben (een bijlage met omschrijving ##M.AR.K##): voeg het toe, één keer.",
                ),
            ),
            warning(
                "GR-S-008-1",
                |n| references(n, URL) == 1,
                m(
                    "A Greek seller's document should carry one invoice URL and carries none: add a cac:AdditionalDocumentReference described ##INVOICE|URL## with the URL.",
                    "Een document van een Griekse verkoper hoort één factuur-URL te hebben en heeft er geen: voeg een cac:AdditionalDocumentReference toe met omschrijving ##INVOICE|URL## en de URL.",
                ),
            ),
            fatal(
                "GR-R-008-2",
                |n| references(n, URL) <= 1,
                m(
                    "A Greek seller's document may carry one invoice URL at most: remove the others.",
                    "Een document van een Griekse verkoper mag hooguit één factuur-URL hebben: verwijder de andere.",
                ),
            ),
        ],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AdditionalDocumentReference", |n| {
                greek_sender_in_greece(n) && any_is(n, &[(Cbc, "DocumentDescription")], MARK)
            }),
            el(Cbc, "ID"),
        ])],
        asserts: &[fatal(
            "GR-R-004-2",
            |n| {
                string(n)
                    .chars()
                    .next()
                    .is_some_and(|c| ('1'..='9').contains(&c))
            },
            m(
                "The myDATA mark must be a positive whole number: correct it.",
                "Het myDATA-kenmerk moet een positief geheel getal zijn: corrigeer het.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el_if(Cac, "AdditionalDocumentReference", |n| {
            greek_sender(n) && any_is(n, &[(Cbc, "DocumentDescription")], URL)
        })])],
        asserts: &[fatal(
            "GR-R-008-3",
            |n| {
                held(
                    norm(
                        n,
                        &[
                            (Cac, "Attachment"),
                            (Cac, "ExternalReference"),
                            (Cbc, "URI"),
                        ],
                    )
                    .map(|u| !u.is_empty()),
                )
            },
            m(
                "The invoice URL reference must hold the URL (Attachment/ExternalReference/URI): add it.",
                "De verwijzing naar de factuur-URL moet de URL bevatten (Attachment/ExternalReference/URI): voeg die toe.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AccountingCustomerParty", greek_sender),
            el(Cac, "Party"),
        ])],
        asserts: &[fatal(
            "GR-R-005",
            |n| held(named(n)),
            m(
                "A Greek seller must give the buyer's full name (PartyName/Name): add it.",
                "Een Griekse verkoper moet de volledige naam van de afnemer geven (PartyName/Name): voeg die toe.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el_if(Cac, "Party", greek_seller_country),
            el(Cbc, "EndpointID"),
        ])],
        asserts: &[fatal(
            "GR-R-009",
            tin_address,
            m(
                "A Greek seller's electronic address must be its tax number with scheme 9933: correct the address or its scheme.",
                "Het elektronisch adres van een Griekse verkoper moet zijn fiscale nummer zijn met schema 9933: corrigeer het adres of het schema.",
            ),
        )],
    },
];

pub(crate) static GREEK_BUYER: &[Rule] = &[
    Rule {
        context: &[rel(&[
            el_if(Cac, "AccountingCustomerParty", greek_both),
            el(Cac, "Party"),
        ])],
        asserts: &[fatal(
            "GR-R-006",
            |n| held(greek_vat(n)),
            m(
                "The Greek buyer of a Greek seller must have exactly one VAT number, EL followed by its tax number with a valid check digit: correct the buyer's cac:PartyTaxScheme/cbc:CompanyID, and remove any other VAT number.",
                "De Griekse afnemer van een Griekse verkoper moet precies één btw-nummer hebben, EL gevolgd door het fiscale nummer met een juist controlecijfer: corrigeer cac:PartyTaxScheme/cbc:CompanyID van de afnemer, en verwijder eventuele andere btw-nummers.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AccountingCustomerParty", greek_both),
            el(Cac, "Party"),
            el(Cbc, "EndpointID"),
        ])],
        asserts: &[fatal(
            "GR-R-010",
            tin_address,
            m(
                "A Greek buyer's electronic address (with a Greek seller) must be its tax number with scheme 9933: correct the address or its scheme.",
                "Het elektronisch adres van een Griekse afnemer (bij een Griekse verkoper) moet zijn fiscale nummer zijn met schema 9933: corrigeer het adres of het schema.",
            ),
        )],
    },
];

/// What a failed Greek rule shows: the name or VAT number it judged.
pub(crate) fn values(rule: &'static str, n: Node<'_>) -> Option<String> {
    match rule {
        "GR-R-002" | "GR-R-005" => shown(n, &[(Cac, "PartyName"), (Cbc, "Name")]),
        "GR-S-011" | "GR-R-006" => shown(n, &[(Cac, "PartyTaxScheme"), (Cbc, "CompanyID")]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greek_dates_at_the_start() {
        assert!(greek_date("31/01/2026"));
        assert!(greek_date("1/1/1999"));
        assert!(greek_date("01012026"));
        assert!(greek_date("3-12-2026"));
        assert!(greek_date("9\\9\\2099"));
        assert!(greek_date("31/12/2026 and more"), "no end anchor");
        assert!(greek_date("1 1 2026"));
        assert!(!greek_date("32/01/2026"));
        assert!(!greek_date("00/01/2026"));
        assert!(!greek_date("01/13/2026"));
        assert!(!greek_date("01/01/2126"));
        assert!(!greek_date("2026-01-31"));
        assert!(!greek_date(""));
        // Backtracking: "111" + "1999" is day 1, month 11 or day 11, month 1.
        assert!(greek_date("1111999"));
    }
}
