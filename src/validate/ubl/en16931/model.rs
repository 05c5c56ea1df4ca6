//! EN 16931's business rules on UBL (the `UBL-model` pattern of the official CEN rule set,
//! version 1.3.16), in the official order of contexts.
//!
//! All 201 asserts of the pattern are here, in the official order of the 66 contexts: presence,
//! decimals, date order, references, the calculation rules (with XPath's decimal arithmetic and
//! rounding), the rules per VAT category ([`super::vat`]) and two code-list rules that search a
//! list's text.

use rust_decimal::Decimal;

use crate::ubl::{Node, Ns::Cac, Ns::Cbc};
use crate::validate::codelists::{TEXT_SUBJECTS_TEXT, VAT_PREFIXES_TEXT};
use crate::validate::{Message, Severity};

use super::vat;
use crate::validate::ubl::engine::context::{
    ANY, Alt, Assert, CREDIT_NOTE, INVOICE, Rule, el, el_if, rel,
};
use crate::validate::ubl::engine::unjudged::Cause;
// Where the official rules cannot evaluate a value: the calculation rules of every set share
// these through this module.
pub(crate) use crate::validate::ubl::engine::unjudged::{Judged, NotJudged, judged};
use crate::validate::ubl::engine::xpath::{
    any_not_negative, at_most_two_decimals, charge_indicator_is, decimal, exists, filled, first,
    normalize, normalized, number, select, single, string, trim, vat_scheme, vat_scheme_each,
};

/// `exists(cbc:AllowanceChargeReason) or exists(cbc:AllowanceChargeReasonCode)`.
fn has_reason(n: Node<'_>) -> bool {
    exists(n, &[(Cbc, "AllowanceChargeReason")]) || exists(n, &[(Cbc, "AllowanceChargeReasonCode")])
}

/// `exists(cac:TaxCategory[cac:TaxScheme/normalize-space(upper-case(cbc:ID))='VAT']/cbc:ID)`.
fn vat_category_id(n: Node<'_>) -> bool {
    n.all(Cac, "TaxCategory")
        .any(|c| vat_scheme(c) && c.child(Cbc, "ID").is_some())
}

/// An `xs:date` value: `YYYY-MM-DD`, optionally with a time zone, as days since the epoch
/// adjusted for the zone's offset in minutes (so dates in different zones compare as XPath
/// compares them, by their starting instant).
fn xs_date(s: &str) -> Option<(i64, i64)> {
    let t = s.trim_matches([' ', '\t', '\r', '\n']);
    let (date, zone) = if let Some(d) = t.strip_suffix('Z') {
        (d, 0)
    } else if t.len() > 10 && matches!(t.as_bytes().get(t.len() - 6), Some(b'+' | b'-')) {
        let (d, z) = t.split_at(t.len() - 6);
        let sign = if z.starts_with('-') { -1 } else { 1 };
        let h: i64 = z.get(1..3)?.parse().ok()?;
        let m: i64 = z.get(4..6)?.parse().ok()?;
        if z.as_bytes().get(3) != Some(&b':') || h > 14 || m > 59 {
            return None;
        }
        (d, sign * (h * 60 + m))
    } else {
        (t, 0)
    };
    if date.len() != 10 {
        return None;
    }
    let d = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    Some((i64::from(d.num_days_from_ce()), zone))
}

/// BR-CO-25 (CEN 1.3.15 only): `((. > 0) and (exists(//cbc:DueDate) or
/// exists(//cac:PaymentTerms/cbc:Note))) or (. <= 0)` on the amount due.
pub(crate) fn due_when_positive(n: Node<'_>) -> bool {
    let Some(amount) = number(n) else {
        // Not a number: the official tool stops with an error (noted).
        return true;
    };
    // The official tool compares NaN as above every number (see `any_number`).
    let amount = if amount.is_nan() {
        f64::INFINITY
    } else {
        amount
    };
    let doc = n.document();
    let said = || {
        doc.elements(Cbc, "DueDate").next().is_some()
            || doc
                .elements(Cac, "PaymentTerms")
                .any(|t| t.child(Cbc, "Note").is_some())
    };
    (amount > 0.0 && said()) || amount <= 0.0
}

/// `(exists(cbc:EndDate) and exists(cbc:StartDate) and xs:date(cbc:EndDate) >=
/// xs:date(cbc:StartDate)) or not(exists(cbc:StartDate)) or not(exists(cbc:EndDate))`.
fn period_in_order(n: Node<'_>) -> bool {
    judged((|| {
        if !(exists(n, &[(Cbc, "EndDate")]) && exists(n, &[(Cbc, "StartDate")])) {
            return Ok(true);
        }
        let (e, ez) = date_at(n, "EndDate")?;
        let (s, sz) = date_at(n, "StartDate")?;
        // Compare the instants each date starts at: a later zone starts earlier.
        Ok(e * 1440 - ez >= s * 1440 - sz)
    })())
}

/// `xs:date(cbc:name)` of an element that has one: several, or one that is no date, stop
/// the official tool.
fn date_at(n: Node<'_>, name: &str) -> Judged<(i64, i64)> {
    let Some(v) = single(n, &[(Cbc, name)])? else {
        return Err(NotJudged::new(Cause::Date, n));
    };
    xs_date(&string(v)).ok_or(NotJudged::new(Cause::Date, v))
}

/// BR-17: a payee has a name, and neither its name nor an identifier equals the seller's.
fn payee_differs(n: Node<'_>) -> bool {
    let names = select(n, &[(Cac, "PartyName"), (Cbc, "Name")]);
    if names.is_empty() {
        return false;
    }
    let Some(parent) = n.parent() else {
        return true;
    };
    let seller = |path: &[(crate::ubl::Ns, &str)]| -> Vec<String> {
        let mut full = vec![(Cac, "AccountingSupplierParty"), (Cac, "Party")];
        full.extend_from_slice(path);
        select(parent, &full)
            .into_iter()
            .map(|x| string(x).into_owned())
            .collect()
    };
    let seller_names = seller(&[(Cac, "PartyName"), (Cbc, "Name")]);
    let seller_ids = seller(&[(Cac, "PartyIdentification"), (Cbc, "ID")]);
    let ids = select(n, &[(Cac, "PartyIdentification"), (Cbc, "ID")]);
    !names
        .into_iter()
        .any(|x| seller_names.iter().any(|s| *s == string(x)))
        && !ids
            .into_iter()
            .any(|x| seller_ids.iter().any(|s| *s == string(x)))
}

/// `[cbc:PaymentMeansCode='30' or cbc:PaymentMeansCode='58']` (compared as written).
fn credit_transfer(n: Node<'_>) -> bool {
    n.all(Cbc, "PaymentMeansCode")
        .any(|c| matches!(&*string(c), "30" | "58"))
}

/// BR-61: a credit transfer (code 30 or 58) names the account to pay to.
fn transfer_has_account(n: Node<'_>) -> bool {
    let code = normalized(n, &[(Cbc, "PaymentMeansCode")]);
    let transfer = code == "30" || code == "58";
    !transfer || exists(n, &[(Cac, "PayeeFinancialAccount"), (Cbc, "ID")])
}

/// BR-CO-26: the seller has a VAT number, an identifier not marked SEPA, or a legal
/// registration number.
fn seller_identified(n: Node<'_>) -> bool {
    seller_identified_by(n, |id| id.attr("schemeID") != Some("SEPA"))
}

/// BR-CO-26 as CEN 1.3.15 writes it: any identifier counts, a SEPA creditor id too.
pub(crate) fn seller_identified_1_3_15(n: Node<'_>) -> bool {
    seller_identified_by(n, |_| true)
}

/// BR-CO-26 with the party identifiers that count.
fn seller_identified_by(n: Node<'_>, counts: fn(Node<'_>) -> bool) -> bool {
    let party = select(n, &[(Cac, "Party")]);
    party.iter().any(|p| {
        p.all(Cac, "PartyTaxScheme")
            .any(|s| vat_scheme(s) && s.child(Cbc, "CompanyID").is_some())
            || p.all(Cac, "PartyIdentification")
                .any(|i| i.all(Cbc, "ID").any(counts))
            || exists(*p, &[(Cac, "PartyLegalEntity"), (Cbc, "CompanyID")])
    })
}

// ---- Calculation rules, with XPath's arithmetic: exact decimals, `round` to the nearest integer
// with halves toward +∞, and an empty value making a sum or product empty and a comparison
// false. Each rule is evaluated in the order XPath evaluates it: operands left to right, the
// right one only when the left one is there, `and` and `or` stopping as soon as they know. A
// value that is no decimal, or several where one is needed, stops the official tool: such a
// value is noted (`unjudged`) only where XPath would reach it. ----

/// A value of a calculation: a decimal, or nothing (XPath's empty sequence).
pub(crate) type Num = Option<Decimal>;

/// `xs:decimal(path)`: nothing when there is no such node.
pub(crate) fn dec(n: Node<'_>, path: &[(crate::ubl::Ns, &str)]) -> Judged<Num> {
    match single(n, path)? {
        None => Ok(None),
        Some(v) => decimal(v).map(Some),
    }
}

/// XPath's `round`: halves go toward +∞.
pub(crate) fn xround(x: Decimal) -> Decimal {
    (x + Decimal::new(5, 1)).floor()
}

/// `round(x * 10 * 10) div 100`.
pub(crate) fn xround2(x: Decimal) -> Judged<Decimal> {
    let cents = x
        .checked_mul(Decimal::ONE_HUNDRED)
        .ok_or_else(NotJudged::range)?;
    Ok(xround(cents) / Decimal::ONE_HUNDRED)
}

/// `round(x * 10 * 10) div 100` of a value that may be nothing.
pub(crate) fn cents(x: Num) -> Judged<Num> {
    x.map(xround2).transpose()
}

/// `a + b`: `b` is evaluated only when `a` is there, and nothing plus anything is nothing.
pub(crate) fn plus(a: Num, b: impl FnOnce() -> Judged<Num>) -> Judged<Num> {
    let Some(a) = a else {
        return Ok(None);
    };
    let Some(b) = b()? else {
        return Ok(None);
    };
    a.checked_add(b).map(Some).ok_or_else(NotJudged::range)
}

/// `a - b`, likewise.
pub(crate) fn minus(a: Num, b: impl FnOnce() -> Judged<Num>) -> Judged<Num> {
    plus(a, || Ok(b()?.map(|b| -b)))
}

/// `a = b` of two values: `b` is evaluated only when `a` is there, and a comparison with
/// nothing is false.
pub(crate) fn equal(a: Num, b: impl FnOnce() -> Judged<Num>) -> Judged<bool> {
    let Some(a) = a else {
        return Ok(false);
    };
    Ok(b()? == Some(a))
}

/// `sum(items/xs:decimal(path))`.
pub(crate) fn sum<'d>(
    items: impl Iterator<Item = Node<'d>>,
    path: &[(crate::ubl::Ns, &str)],
) -> Judged<Decimal> {
    let mut total = Decimal::ZERO;
    for v in items {
        if let Some(d) = dec(v, path)? {
            total = total.checked_add(d).ok_or_else(NotJudged::range)?;
        }
    }
    Ok(total)
}

/// `Σ BT-131`: the lines' net amounts summed and rounded as BR-CO-10 does.
fn line_amounts(n: Node<'_>) -> Judged<Decimal> {
    // `//(cac:InvoiceLine|cac:CreditNoteLine)`: both kinds, in document order.
    let doc = n.document();
    let lines = std::iter::once(doc.root())
        .chain(doc.root().descendants())
        .filter(|l| l.ns() == Cac && matches!(l.name(), "InvoiceLine" | "CreditNoteLine"));
    xround2(sum(lines, &[(Cbc, "LineExtensionAmount")])?)
}

/// BR-CO-10: the sum of line net amounts is the sum of the lines' net amounts.
fn lines_sum(n: Node<'_>) -> bool {
    judged((|| {
        equal(dec(n, &[(Cbc, "LineExtensionAmount")])?, || {
            Ok(Some(line_amounts(n)?))
        })
    })())
}

/// The document-level allowances (`charge` false) or charges of the document whose totals `n`
/// holds (`../cac:AllowanceCharge[cbc:ChargeIndicator = …]`).
fn document_allowances<'d>(n: Node<'d>, charge: bool) -> impl Iterator<Item = Node<'d>> + 'd {
    n.parent()
        .into_iter()
        .flat_map(|p| p.all(Cac, "AllowanceCharge"))
        .filter(move |a| charge_indicator_is(*a, charge))
}

/// The name of the total BR-CO-11 (allowances) or BR-CO-12 (charges) checks.
fn allowance_total_name(charge: bool) -> &'static str {
    if charge {
        "ChargeTotalAmount"
    } else {
        "AllowanceTotalAmount"
    }
}

/// `round(sum(../cac:AllowanceCharge[…]/xs:decimal(cbc:Amount)) * 10 * 10) div 100`.
fn allowance_sum(n: Node<'_>, charge: bool) -> Judged<Decimal> {
    xround2(sum(document_allowances(n, charge), &[(Cbc, "Amount")])?)
}

/// BR-CO-11 and BR-CO-12: the allowance (charge) total is the sum of the document-level
/// allowances (charges).
fn allowance_total(n: Node<'_>, charge: bool) -> bool {
    judged((|| {
        let total = allowance_total_name(charge);
        let stated = dec(n, &[(Cbc, total)])?;
        if equal(stated, || Ok(Some(allowance_sum(n, charge)?)))? {
            return Ok(true);
        }
        Ok(!exists(n, &[(Cbc, total)]) && document_allowances(n, charge).next().is_none())
    })())
}

/// BR-CO-13's expected total without VAT: the line total plus charges minus allowances, each
/// only where its total is given.
fn expected_tax_exclusive(n: Node<'_>) -> Judged<Num> {
    let d = |name: &str| dec(n, &[(Cbc, name)]);
    let charges = exists(n, &[(Cbc, "ChargeTotalAmount")]);
    let allowances = exists(n, &[(Cbc, "AllowanceTotalAmount")]);
    match (charges, allowances) {
        (true, true) => cents(minus(
            plus(d("LineExtensionAmount")?, || d("ChargeTotalAmount"))?,
            || d("AllowanceTotalAmount"),
        )?),
        (false, true) => cents(minus(d("LineExtensionAmount")?, || {
            d("AllowanceTotalAmount")
        })?),
        (true, false) => cents(plus(d("LineExtensionAmount")?, || d("ChargeTotalAmount"))?),
        (false, false) => d("LineExtensionAmount"),
    }
}

/// BR-CO-13: the total without VAT is the line total plus charges minus allowances.
fn tax_exclusive_total(n: Node<'_>) -> bool {
    judged((|| {
        equal(dec(n, &[(Cbc, "TaxExclusiveAmount")])?, || {
            expected_tax_exclusive(n)
        })
    })())
}

/// BR-CO-16's left side: the amount due, less rounding where there is rounding.
fn due(n: Node<'_>) -> Judged<Num> {
    let due = dec(n, &[(Cbc, "PayableAmount")])?;
    if exists(n, &[(Cbc, "PayableRoundingAmount")]) {
        cents(minus(due, || dec(n, &[(Cbc, "PayableRoundingAmount")]))?)
    } else {
        Ok(due)
    }
}

/// BR-CO-16's right side: the total with VAT, less what was paid where something was paid.
fn owed(n: Node<'_>) -> Judged<Num> {
    let owed = dec(n, &[(Cbc, "TaxInclusiveAmount")])?;
    if exists(n, &[(Cbc, "PrepaidAmount")]) {
        cents(minus(owed, || dec(n, &[(Cbc, "PrepaidAmount")]))?)
    } else {
        Ok(owed)
    }
}

/// BR-CO-16: the amount due is the total with VAT minus what was paid, plus rounding.
fn amount_due(n: Node<'_>) -> bool {
    judged((|| equal(due(n)?, || owed(n)))())
}

/// BR-CO-14: the document's VAT total is the sum of the breakdown's VAT amounts (on a
/// VAT total with a breakdown).
fn vat_total(n: Node<'_>) -> bool {
    judged((|| {
        let sum_of_breakdown = || -> Judged<Num> {
            Ok(Some(xround2(sum(
                n.all(Cac, "TaxSubtotal"),
                &[(Cbc, "TaxAmount")],
            )?)?))
        };
        // The official tool tries the cheap `not(cac:TaxSubtotal)` first: a VAT total without
        // a breakdown passes without its amount being read.
        Ok(n.child(Cac, "TaxSubtotal").is_none()
            || equal(dec(n, &[(Cbc, "TaxAmount")])?, sum_of_breakdown)?)
    })())
}

/// `path/xs:decimal(cbc:…)` over several elements where XPath needs one value: the one value,
/// nothing, or several (noted at the second).
fn one_of<'d>(values: impl Iterator<Item = Judged<Option<(Node<'d>, Decimal)>>>) -> Judged<Num> {
    let mut found = None;
    for v in values {
        if let Some((node, d)) = v? {
            if found.is_some() {
                return Err(NotJudged::new(Cause::Many, node));
            }
            found = Some(d);
        }
    }
    Ok(found)
}

/// `xs:decimal(path)` with the node it was read from.
fn dec_at<'d>(n: Node<'d>, path: &[(crate::ubl::Ns, &str)]) -> Judged<Option<(Node<'d>, Decimal)>> {
    match single(n, path)? {
        None => Ok(None),
        Some(v) => Ok(Some((v, decimal(v)?))),
    }
}

/// The VAT amounts in `currency` of the document's VAT totals
/// (`cac:TaxTotal/xs:decimal(cbc:TaxAmount[@currencyID = $Currency])`).
fn vat_in<'d>(n: Node<'d>, currency: &str) -> Judged<Vec<(Node<'d>, Decimal)>> {
    let mut out = Vec::new();
    for total in n.all(Cac, "TaxTotal") {
        let mut amounts = total
            .all(Cbc, "TaxAmount")
            .filter(|a| a.attr("currencyID") == Some(currency));
        match (amounts.next(), amounts.next()) {
            (None, _) => {}
            (Some(a), None) => out.push((a, decimal(a)?)),
            (Some(_), Some(second)) => return Err(NotJudged::new(Cause::Many, second)),
        }
    }
    Ok(out)
}

/// BR-CO-15: for the document currency, one VAT total, and the total with VAT is the total
/// without VAT plus that VAT total.
fn total_with_vat(n: Node<'_>) -> bool {
    judged((|| {
        // `every $Currency in cbc:DocumentCurrencyCode satisfies …`: stops at the first false.
        for currency in n.all(Cbc, "DocumentCurrencyCode") {
            let currency = string(currency);
            let vat = vat_in(n, &currency)?;
            if vat.len() != 1 {
                return Ok(false);
            }
            // `cac:LegalMonetaryTotal/xs:decimal(cbc:TaxInclusiveAmount) = round(…) div 100`.
            let mut inclusive = Vec::new();
            for t in n.all(Cac, "LegalMonetaryTotal") {
                inclusive.extend(dec(t, &[(Cbc, "TaxInclusiveAmount")])?);
            }
            if inclusive.is_empty() {
                return Ok(false);
            }
            let exclusive = one_of(
                n.all(Cac, "LegalMonetaryTotal")
                    .map(|t| dec_at(t, &[(Cbc, "TaxExclusiveAmount")])),
            )?;
            let expected = cents(plus(exclusive, || Ok(Some(vat[0].1)))?)?;
            if !expected.is_some_and(|e| inclusive.contains(&e)) {
                return Ok(false);
            }
        }
        Ok(true)
    })())
}

/// BR-53: every VAT accounting currency has a VAT total in that currency.
fn vat_currency_total(n: Node<'_>) -> bool {
    n.all(Cbc, "TaxCurrencyCode").all(|code| {
        let code = string(code);
        n.document().elements(Cac, "TaxTotal").any(|t| {
            t.all(Cbc, "TaxAmount")
                .any(|a| a.attr("currencyID") == Some(&*code))
        })
    })
}

/// BR-CO-17's rate: `cac:TaxCategory[…VAT…]/xs:decimal(cbc:Percent)`, at most one.
fn breakdown_rate(n: Node<'_>) -> Judged<Num> {
    one_of(
        n.all(Cac, "TaxCategory")
            .filter(|c| vat_scheme(*c))
            .map(|c| dec_at(c, &[(Cbc, "Percent")])),
    )
}

/// BR-CO-17's expected VAT amount: `round(abs(xs:decimal(cbc:TaxableAmount)) * (rate div 100)
/// * 10 * 10) div 100`.
fn breakdown_expected_vat(n: Node<'_>, rate: Decimal) -> Judged<Num> {
    let Some(taxable) = dec(n, &[(Cbc, "TaxableAmount")])? else {
        return Ok(None);
    };
    let product = taxable
        .abs()
        .checked_mul(rate / Decimal::ONE_HUNDRED)
        .ok_or_else(NotJudged::range)?;
    Ok(Some(xround2(product)?))
}

/// `round(xs:decimal(cbc:TaxAmount)) = 0`.
fn no_vat(n: Node<'_>) -> Judged<bool> {
    Ok(dec(n, &[(Cbc, "TaxAmount")])?.is_some_and(|t| xround(t).is_zero()))
}

/// BR-CO-17: a breakdown's VAT amount is its taxable amount times its rate (within one unit),
/// and zero where the rate is zero or absent.
fn breakdown_vat(n: Node<'_>) -> bool {
    judged((|| {
        let rate = breakdown_rate(n)?;
        match rate {
            // `round(rate) = 0 and round(xs:decimal(cbc:TaxAmount)) = 0`
            Some(r) if xround(r).is_zero() => return no_vat(n),
            // `round(rate) != 0 and (abs(xs:decimal(cbc:TaxAmount)) ± 1 … expected)`
            Some(r) => {
                if let Some(t) = dec(n, &[(Cbc, "TaxAmount")])? {
                    let t = t.abs();
                    if let Some(e) = breakdown_expected_vat(n, r)?
                        && t - Decimal::ONE < e
                        && t + Decimal::ONE > e
                    {
                        return Ok(true);
                    }
                }
                return Ok(false);
            }
            None => {}
        }
        // `not(exists(rate)) and round(xs:decimal(cbc:TaxAmount)) = 0`.
        no_vat(n)
    })())
}

/// What a failed calculation rule shows: the amounts it compared and their difference; for a
/// rule on decimals, the amount with too many.
pub(crate) fn values(id: &'static str, n: Node<'_>) -> Option<String> {
    // What the rules read; a value the official rules cannot read shows as missing.
    let d = |name: &str| dec(n, &[(Cbc, name)]).ok().flatten();
    let terms = |parts: &[(bool, &'static str)]| -> String {
        let mut out = String::new();
        for &(on, part) in parts {
            if on {
                out.push_str(part);
            }
        }
        out
    };
    match id {
        "BR-CO-10" => Some(compared(
            "BT-106",
            d("LineExtensionAmount"),
            "Σ BT-131",
            line_amounts(n).ok(),
        )),
        "BR-CO-11" => Some(compared(
            "BT-107",
            d("AllowanceTotalAmount"),
            "Σ BT-92",
            allowance_sum(n, false).ok(),
        )),
        "BR-CO-12" => Some(compared(
            "BT-108",
            d("ChargeTotalAmount"),
            "Σ BT-99",
            allowance_sum(n, true).ok(),
        )),
        "BR-CO-13" => {
            let charges = exists(n, &[(Cbc, "ChargeTotalAmount")]);
            let allowances = exists(n, &[(Cbc, "AllowanceTotalAmount")]);
            Some(compared(
                "BT-109",
                d("TaxExclusiveAmount"),
                &terms(&[
                    (true, "BT-106"),
                    (charges, " + BT-108"),
                    (allowances, " − BT-107"),
                ]),
                expected_tax_exclusive(n).ok().flatten(),
            ))
        }
        "BR-CO-14" => Some(compared(
            "BT-110",
            d("TaxAmount"),
            "Σ BT-117",
            sum(n.all(Cac, "TaxSubtotal"), &[(Cbc, "TaxAmount")])
                .and_then(xround2)
                .ok(),
        )),
        "BR-CO-15" => {
            let Some(currency) = first(n, &[(Cbc, "DocumentCurrencyCode")]).map(string) else {
                return Some("BT-5 missing".to_owned());
            };
            let vat = vat_in(n, &currency).ok()?;
            let totals = n.child(Cac, "LegalMonetaryTotal");
            let of = |name: &str| totals.and_then(|t| dec(t, &[(Cbc, name)]).ok().flatten());
            let expected = match vat.as_slice() {
                [(_, v)] => plus(of("TaxExclusiveAmount"), || Ok(Some(*v)))
                    .and_then(cents)
                    .ok()
                    .flatten(),
                _ => None,
            };
            let shown = compared(
                "BT-112",
                of("TaxInclusiveAmount"),
                "BT-109 + BT-110",
                expected,
            );
            Some(if vat.len() == 1 {
                shown
            } else {
                format!("{shown}; {} × BT-110 in {currency}", vat.len())
            })
        }
        "BR-CO-16" => {
            let rounding = exists(n, &[(Cbc, "PayableRoundingAmount")]);
            let prepaid = exists(n, &[(Cbc, "PrepaidAmount")]);
            Some(compared(
                &terms(&[(true, "BT-115"), (rounding, " − BT-114")]),
                due(n).ok().flatten(),
                &terms(&[(true, "BT-112"), (prepaid, " − BT-113")]),
                owed(n).ok().flatten(),
            ))
        }
        "BR-CO-17" => {
            let rate = breakdown_rate(n).ok()?;
            let (term, expected) = match rate {
                Some(r) if !xround(r).is_zero() => (
                    "BT-116 × BT-119",
                    breakdown_expected_vat(n, r).ok().flatten(),
                ),
                // A rate of 0 (or none) means no VAT.
                _ => ("BT-116 × BT-119", Some(Decimal::ZERO)),
            };
            Some(format!(
                "{} (± 1)",
                compared("BT-117", d("TaxAmount"), term, expected)
            ))
        }
        // On the amount due itself (CEN 1.3.15): it is positive, with neither a due date nor
        // payment terms.
        "BR-CO-25" => Some(format!(
            "BT-115 = {}, BT-9 missing, BT-20 missing",
            trim(&string(n))
        )),
        _ if id.starts_with("BR-DEC-") => decimals_shown(id, n),
        _ => presence_shown(id, n).or_else(|| vat::values(id, n)),
    }
}

/// What the other rules that judge a value show: the value judged, or the values that clash.
fn presence_shown(id: &'static str, n: Node<'_>) -> Option<String> {
    let text =
        |path: &[(crate::ubl::Ns, &str)]| first(n, path).map(|v| trim(&string(v)).to_owned());
    let term_of = |term: &str, path: &[(crate::ubl::Ns, &str)]| match text(path) {
        Some(v) => format!("{term} = {v}"),
        None => format!("{term} missing"),
    };
    let codes = |cats: &mut dyn Iterator<Item = Node<'_>>| -> String {
        let mut seen: Vec<String> = Vec::new();
        for c in cats.filter(|c| vat_scheme(*c)) {
            let code = normalized(c, &[(Cbc, "ID")]);
            if code != "O" && !seen.contains(&code) {
                seen.push(code);
            }
        }
        seen.join(", ")
    };
    Some(match id {
        // Only the last four digits and the length: the rule is there to keep card numbers out.
        "BR-51" => {
            let number = normalize(&string(n));
            let digits: Vec<char> = number.chars().collect();
            let tail: String = digits[digits.len().saturating_sub(4)..].iter().collect();
            format!("BT-87 = …{tail} ({} characters)", digits.len())
        }
        "BR-27" => term_of("BT-146", &[(Cac, "Price"), (Cbc, "PriceAmount")]),
        "BR-28" => term_of(
            "BT-148",
            &[
                (Cac, "Price"),
                (Cac, "AllowanceCharge"),
                (Cbc, "BaseAmount"),
            ],
        ),
        "BR-29" => format!(
            "{}, {}",
            term_of("BT-73", &[(Cbc, "StartDate")]),
            term_of("BT-74", &[(Cbc, "EndDate")])
        ),
        "BR-30" => format!(
            "{}, {}",
            term_of("BT-134", &[(Cbc, "StartDate")]),
            term_of("BT-135", &[(Cbc, "EndDate")])
        ),
        "BR-CO-03" => format!(
            "{}, {}",
            term_of("BT-7", &[(Cbc, "TaxPointDate")]),
            term_of("BT-8", &[(Cac, "InvoicePeriod"), (Cbc, "DescriptionCode")])
        ),
        "BR-53" => {
            let doc = n.document();
            let missing: Vec<String> = n
                .all(Cbc, "TaxCurrencyCode")
                .map(|c| string(c).into_owned())
                .filter(|c| {
                    !doc.elements(Cac, "TaxTotal").any(|t| {
                        t.all(Cbc, "TaxAmount")
                            .any(|a| a.attr("currencyID") == Some(c.as_str()))
                    })
                })
                .collect();
            format!("BT-6 = {}, BT-111 missing", missing.join(", "))
        }
        "BR-CL-08" => {
            let note = string(n);
            let code = note
                .split_once('#')
                .and_then(|(_, after)| after.split_once('#'))
                .map_or("", |(c, _)| c);
            crate::validate::ubl::shown("BT-21", &format!("#{code}#"))
        }
        "BR-61" => format!(
            "{}, BT-84 missing",
            term_of("BT-81", &[(Cbc, "PaymentMeansCode")])
        ),
        "BR-CO-09" => match first(n, &[(Cbc, "CompanyID")]) {
            Some(v) => crate::validate::ubl::shown("cbc:CompanyID", &string(v)),
            None => "cbc:CompanyID missing".to_owned(),
        },
        "BR-17" => match first(n, &[(Cac, "PartyName"), (Cbc, "Name")]) {
            Some(v) => crate::validate::ubl::shown("BT-59", &string(v)),
            None => "BT-59 missing".to_owned(),
        },
        "BR-B-01" => {
            let other = n
                .document()
                .elements(Cbc, "IdentificationCode")
                .find(|c| string(*c) != "IT")?;
            crate::validate::ubl::shown("cbc:IdentificationCode", &string(other))
        }
        "BR-O-11" => format!(
            "BT-118 = O, {}",
            codes(
                &mut n
                    .all(Cac, "TaxTotal")
                    .flat_map(|t| t.all(Cac, "TaxSubtotal"))
                    .flat_map(|s| s.all(Cac, "TaxCategory"))
            )
        ),
        "BR-O-12" => format!(
            "BT-151 = {}",
            codes(&mut n.document().elements(Cac, "ClassifiedTaxCategory"))
        ),
        "BR-O-13" | "BR-O-14" => {
            let charge = id == "BR-O-14";
            let term = if charge { "BT-102" } else { "BT-95" };
            format!(
                "{term} = {}",
                codes(
                    &mut n
                        .document()
                        .elements(Cac, "AllowanceCharge")
                        .filter(|a| charge_indicator_is(*a, charge))
                        .flat_map(|a| a.all(Cac, "TaxCategory"))
                )
            )
        }
        _ => return None,
    })
}

/// The amount a BR-DEC rule found with more than two decimals, by the rule's term: `BT-92 =
/// 10.125`.
fn decimals_shown(id: &'static str, n: Node<'_>) -> Option<String> {
    let name = match id {
        "BR-DEC-01" | "BR-DEC-05" | "BR-DEC-24" | "BR-DEC-27" => "Amount",
        "BR-DEC-02" | "BR-DEC-06" | "BR-DEC-25" | "BR-DEC-28" => "BaseAmount",
        "BR-DEC-09" | "BR-DEC-23" => "LineExtensionAmount",
        "BR-DEC-10" => "AllowanceTotalAmount",
        "BR-DEC-11" => "ChargeTotalAmount",
        "BR-DEC-12" => "TaxExclusiveAmount",
        "BR-DEC-14" => "TaxInclusiveAmount",
        "BR-DEC-16" => "PrepaidAmount",
        "BR-DEC-17" => "PayableRoundingAmount",
        "BR-DEC-18" => "PayableAmount",
        "BR-DEC-19" => "TaxableAmount",
        "BR-DEC-20" => "TaxAmount",
        _ => return None,
    };
    let value = n.child(Cbc, name)?;
    let label = crate::validate::ubl::term(id).unwrap_or(name);
    Some(format!("{label} = {}", trim(&string(value))))
}

/// `BT-106 = 100.00, Σ BT-131 = 99.50, Δ = 0.50`: a stated amount, what the rule computed, and
/// the difference, in notation that reads the same in Dutch and English. An amount that is not
/// there (or cannot be worked out) shows as missing.
pub(crate) fn compared(
    stated_term: &str,
    stated: Option<Decimal>,
    computed_term: &str,
    computed: Option<Decimal>,
) -> String {
    match (stated, computed) {
        (Some(s), Some(c)) => match s.checked_sub(c) {
            Some(delta) => format!("{stated_term} = {s}, {computed_term} = {c}, Δ = {delta}"),
            None => format!("{stated_term} = {s}, {computed_term} = {c}"),
        },
        (None, Some(c)) => format!("{stated_term} missing, {computed_term} = {c}"),
        (Some(s), None) => format!("{stated_term} = {s}, {computed_term} missing"),
        (None, None) => format!("{stated_term} missing, {computed_term} missing"),
    }
}

/// BR-CL-08: a subject code between `#` signs (`#AAI#text`) is one of the list. As the
/// official rule is written, a three-character code passes when it occurs anywhere in the
/// list's text.
fn note_subject(n: Node<'_>) -> bool {
    let s = string(n);
    let Some((_, after)) = s.split_once('#') else {
        return true;
    };
    let code = after.split_once('#').map_or("", |(c, _)| c);
    code.chars().count() != 3 || TEXT_SUBJECTS_TEXT.contains(code)
}

/// BR-CO-09: a VAT number starts with a country prefix. As the official rule is written, the
/// first two characters pass when they occur anywhere in the list's text.
fn vat_prefix(n: Node<'_>) -> bool {
    let id = crate::validate::ubl::engine::xpath::first(n, &[(Cbc, "CompanyID")]).map(string);
    let prefix: String = id.unwrap_or_default().chars().take(2).collect();
    VAT_PREFIXES_TEXT.contains(&prefix)
}

pub(crate) static MODEL: &[Rule] = &[
    Rule {
        context: &[rel(&[el(Cac, "AdditionalDocumentReference")])],
        asserts: &[Assert {
            id: "BR-52",
            severity: Severity::Fatal,
            test: |n| filled(n, &[(Cbc, "ID")]),
            message: Message {
                en: "A supporting document has no reference: fill in its cbc:ID with the document's number or name.",
                nl: "Een bijlage (ondersteunend document) heeft geen kenmerk: vul cbc:ID in met het nummer of de naam van het document.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingCustomerParty"),
            el(Cac, "Party"),
            el(Cbc, "EndpointID"),
        ])],
        asserts: &[Assert {
            id: "BR-63",
            severity: Severity::Fatal,
            test: |n| n.attr("schemeID").is_some(),
            message: Message {
                en: "The buyer's electronic address does not say its scheme: add the attribute schemeID to cbc:EndpointID, such as 0106 for a KvK number or 0190 for an OIN.",
                nl: "Bij het elektronisch adres van de afnemer staat niet welk schema het volgt: voeg het attribuut schemeID toe aan cbc:EndpointID, bijvoorbeeld 0106 voor een KvK-nummer of 0190 voor een OIN.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingCustomerParty"),
            el(Cac, "Party"),
            el(Cac, "PostalAddress"),
        ])],
        asserts: &[Assert {
            id: "BR-11",
            severity: Severity::Fatal,
            test: |n| filled(n, &[(Cac, "Country"), (Cbc, "IdentificationCode")]),
            message: Message {
                en: "The buyer's address has no country code: add cac:Country/cbc:IdentificationCode with the ISO 3166 code, such as NL.",
                nl: "Het adres van de afnemer heeft geen landcode: voeg cac:Country/cbc:IdentificationCode toe met de ISO 3166-landcode, bijvoorbeeld NL.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "PaymentMeans"),
            el(Cac, "CardAccount"),
            el(Cbc, "PrimaryAccountNumberID"),
        ])],
        asserts: &[Assert {
            id: "BR-51",
            severity: Severity::Warning,
            test: |n| normalize(&string(n)).chars().count() <= 10,
            message: Message {
                en: "The payment card number appears in full: shorten cbc:PrimaryAccountNumberID to 10 characters at most, such as the last four digits.",
                nl: "Het betaalkaartnummer staat er volledig: kort cbc:PrimaryAccountNumberID in tot hooguit 10 tekens, bijvoorbeeld de laatste vier cijfers.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "Delivery"),
            el(Cac, "DeliveryLocation"),
            el(Cac, "Address"),
        ])],
        asserts: &[Assert {
            id: "BR-57",
            severity: Severity::Fatal,
            test: |n| exists(n, &[(Cac, "Country"), (Cbc, "IdentificationCode")]),
            message: Message {
                en: "The delivery address has no country code: add cac:Country/cbc:IdentificationCode with the ISO 3166 code, such as NL.",
                nl: "Het afleveradres heeft geen landcode: voeg cac:Country/cbc:IdentificationCode toe met de ISO 3166-landcode, bijvoorbeeld NL.",
            },
        }],
    },
    Rule {
        context: &[
            Alt {
                rooted: true,
                steps: &[
                    INVOICE,
                    el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, false)),
                ],
            },
            Alt {
                rooted: true,
                steps: &[
                    CREDIT_NOTE,
                    el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, false)),
                ],
            },
        ],
        asserts: &[
            Assert {
                id: "BR-31",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "Amount")]),
                message: Message {
                    en: "A document-level allowance has no amount: add cbc:Amount to the cac:AllowanceCharge.",
                    nl: "Een korting op documentniveau heeft geen bedrag: voeg cbc:Amount toe aan de cac:AllowanceCharge.",
                },
            },
            Assert {
                id: "BR-32",
                severity: Severity::Fatal,
                test: |n| vat_category_id(n),
                message: Message {
                    en: "A document-level allowance has no VAT category: add cac:TaxCategory with cbc:ID (such as S) and cac:TaxScheme/cbc:ID VAT.",
                    nl: "Een korting op documentniveau heeft geen btw-categorie: voeg cac:TaxCategory toe met cbc:ID (bijvoorbeeld S) en cac:TaxScheme/cbc:ID VAT.",
                },
            },
            Assert {
                id: "BR-33",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A document-level allowance does not say why it is given: add the reason as text (cbc:AllowanceChargeReason), as a code (cbc:AllowanceChargeReasonCode), or both.",
                    nl: "Bij een korting op documentniveau staat niet waarom die gegeven wordt: voeg de reden toe als tekst (cbc:AllowanceChargeReason), als code (cbc:AllowanceChargeReasonCode) of allebei.",
                },
            },
            Assert {
                id: "BR-CO-05",
                severity: Severity::Fatal,
                test: |_| true,
                message: Message {
                    en: "The reason text and the reason code of a document-level allowance should mean the same: make cbc:AllowanceChargeReason describe the code in cbc:AllowanceChargeReasonCode.",
                    nl: "De redentekst en de redencode van een korting op documentniveau horen hetzelfde te betekenen: laat cbc:AllowanceChargeReason de code in cbc:AllowanceChargeReasonCode beschrijven.",
                },
            },
            Assert {
                id: "BR-CO-21",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A document-level allowance does not say why it is given: add the reason as text (cbc:AllowanceChargeReason), as a code (cbc:AllowanceChargeReasonCode), or both.",
                    nl: "Bij een korting op documentniveau staat niet waarom die gegeven wordt: voeg de reden toe als tekst (cbc:AllowanceChargeReason), als code (cbc:AllowanceChargeReasonCode) of allebei.",
                },
            },
            Assert {
                id: "BR-DEC-01",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "Amount")]),
                message: Message {
                    en: "The amount of a document-level allowance has more than two decimals: round cbc:Amount to cents.",
                    nl: "Het bedrag van een korting op documentniveau heeft meer dan twee decimalen: rond cbc:Amount af op centen.",
                },
            },
            Assert {
                id: "BR-DEC-02",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "BaseAmount")]),
                message: Message {
                    en: "The base amount of a document-level allowance has more than two decimals: round cbc:BaseAmount to cents.",
                    nl: "Het basisbedrag van een korting op documentniveau heeft meer dan twee decimalen: rond cbc:BaseAmount af op centen.",
                },
            },
        ],
    },
    Rule {
        context: &[
            Alt {
                rooted: true,
                steps: &[
                    INVOICE,
                    el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, true)),
                ],
            },
            Alt {
                rooted: true,
                steps: &[
                    CREDIT_NOTE,
                    el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, true)),
                ],
            },
        ],
        asserts: &[
            Assert {
                id: "BR-36",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "Amount")]),
                message: Message {
                    en: "A document-level charge has no amount: add cbc:Amount to the cac:AllowanceCharge.",
                    nl: "Een toeslag op documentniveau heeft geen bedrag: voeg cbc:Amount toe aan de cac:AllowanceCharge.",
                },
            },
            Assert {
                id: "BR-37",
                severity: Severity::Fatal,
                test: |n| vat_category_id(n),
                message: Message {
                    en: "A document-level charge has no VAT category: add cac:TaxCategory with cbc:ID (such as S) and cac:TaxScheme/cbc:ID VAT.",
                    nl: "Een toeslag op documentniveau heeft geen btw-categorie: voeg cac:TaxCategory toe met cbc:ID (bijvoorbeeld S) en cac:TaxScheme/cbc:ID VAT.",
                },
            },
            Assert {
                id: "BR-38",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A document-level charge does not say why it is given: add the reason as text (cbc:AllowanceChargeReason), as a code (cbc:AllowanceChargeReasonCode), or both.",
                    nl: "Bij een toeslag op documentniveau staat niet waarom die gegeven wordt: voeg de reden toe als tekst (cbc:AllowanceChargeReason), als code (cbc:AllowanceChargeReasonCode) of allebei.",
                },
            },
            Assert {
                id: "BR-CO-06",
                severity: Severity::Fatal,
                test: |_| true,
                message: Message {
                    en: "The reason text and the reason code of a document-level charge should mean the same: make cbc:AllowanceChargeReason describe the code in cbc:AllowanceChargeReasonCode.",
                    nl: "De redentekst en de redencode van een toeslag op documentniveau horen hetzelfde te betekenen: laat cbc:AllowanceChargeReason de code in cbc:AllowanceChargeReasonCode beschrijven.",
                },
            },
            Assert {
                id: "BR-CO-22",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A document-level charge does not say why it is given: add the reason as text (cbc:AllowanceChargeReason), as a code (cbc:AllowanceChargeReasonCode), or both.",
                    nl: "Bij een toeslag op documentniveau staat niet waarom die gegeven wordt: voeg de reden toe als tekst (cbc:AllowanceChargeReason), als code (cbc:AllowanceChargeReasonCode) of allebei.",
                },
            },
            Assert {
                id: "BR-DEC-05",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "Amount")]),
                message: Message {
                    en: "The amount of a document-level charge has more than two decimals: round cbc:Amount to cents.",
                    nl: "Het bedrag van een toeslag op documentniveau heeft meer dan twee decimalen: rond cbc:Amount af op centen.",
                },
            },
            Assert {
                id: "BR-DEC-06",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "BaseAmount")]),
                message: Message {
                    en: "The base amount of a document-level charge has more than two decimals: round cbc:BaseAmount to cents.",
                    nl: "Het basisbedrag van een toeslag op documentniveau heeft meer dan twee decimalen: rond cbc:BaseAmount af op centen.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[el(Cac, "LegalMonetaryTotal")])],
        asserts: &[
            Assert {
                id: "BR-12",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "LineExtensionAmount")]),
                message: Message {
                    en: "The document totals lack the sum of the line net amounts: add cbc:LineExtensionAmount to cac:LegalMonetaryTotal.",
                    nl: "In de documenttotalen ontbreekt de som van de nettobedragen van de regels: voeg cbc:LineExtensionAmount toe aan cac:LegalMonetaryTotal.",
                },
            },
            Assert {
                id: "BR-13",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "TaxExclusiveAmount")]),
                message: Message {
                    en: "The document totals lack the total without VAT: add cbc:TaxExclusiveAmount to cac:LegalMonetaryTotal.",
                    nl: "In de documenttotalen ontbreekt het totaal exclusief btw: voeg cbc:TaxExclusiveAmount toe aan cac:LegalMonetaryTotal.",
                },
            },
            Assert {
                id: "BR-14",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "TaxInclusiveAmount")]),
                message: Message {
                    en: "The document totals lack the total with VAT: add cbc:TaxInclusiveAmount to cac:LegalMonetaryTotal.",
                    nl: "In de documenttotalen ontbreekt het totaal inclusief btw: voeg cbc:TaxInclusiveAmount toe aan cac:LegalMonetaryTotal.",
                },
            },
            Assert {
                id: "BR-15",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "PayableAmount")]),
                message: Message {
                    en: "The document totals lack the amount due: add cbc:PayableAmount to cac:LegalMonetaryTotal.",
                    nl: "In de documenttotalen ontbreekt het te betalen bedrag: voeg cbc:PayableAmount toe aan cac:LegalMonetaryTotal.",
                },
            },
            Assert {
                id: "BR-CO-10",
                severity: Severity::Fatal,
                test: lines_sum,
                message: Message {
                    en: "The sum of the line net amounts does not add up: set cbc:LineExtensionAmount in cac:LegalMonetaryTotal to the total of the lines' cbc:LineExtensionAmount, rounded to cents, or correct the lines.",
                    nl: "De som van de nettobedragen van de regels klopt niet: zet cbc:LineExtensionAmount in cac:LegalMonetaryTotal op het totaal van cbc:LineExtensionAmount van de regels, afgerond op centen, of corrigeer de regels.",
                },
            },
            Assert {
                id: "BR-CO-11",
                severity: Severity::Fatal,
                test: |n| allowance_total(n, false),
                message: Message {
                    en: "The allowance total does not match the document-level allowances: set cbc:AllowanceTotalAmount to the sum of their cbc:Amount, or leave it out when there are none.",
                    nl: "Het totaal van de kortingen klopt niet met de kortingen op documentniveau: zet cbc:AllowanceTotalAmount op de som van hun cbc:Amount, of laat het weg als er geen zijn.",
                },
            },
            Assert {
                id: "BR-CO-12",
                severity: Severity::Fatal,
                test: |n| allowance_total(n, true),
                message: Message {
                    en: "The charge total does not match the document-level charges: set cbc:ChargeTotalAmount to the sum of their cbc:Amount, or leave it out when there are none.",
                    nl: "Het totaal van de toeslagen klopt niet met de toeslagen op documentniveau: zet cbc:ChargeTotalAmount op de som van hun cbc:Amount, of laat het weg als er geen zijn.",
                },
            },
            Assert {
                id: "BR-CO-13",
                severity: Severity::Fatal,
                test: tax_exclusive_total,
                message: Message {
                    en: "The total without VAT does not add up: set cbc:TaxExclusiveAmount to cbc:LineExtensionAmount plus cbc:ChargeTotalAmount minus cbc:AllowanceTotalAmount.",
                    nl: "Het totaal exclusief btw klopt niet: zet cbc:TaxExclusiveAmount op cbc:LineExtensionAmount plus cbc:ChargeTotalAmount min cbc:AllowanceTotalAmount.",
                },
            },
            Assert {
                id: "BR-CO-16",
                severity: Severity::Fatal,
                test: amount_due,
                message: Message {
                    en: "The amount due does not add up: set cbc:PayableAmount to cbc:TaxInclusiveAmount minus cbc:PrepaidAmount plus cbc:PayableRoundingAmount.",
                    nl: "Het te betalen bedrag klopt niet: zet cbc:PayableAmount op cbc:TaxInclusiveAmount min cbc:PrepaidAmount plus cbc:PayableRoundingAmount.",
                },
            },
            Assert {
                id: "BR-DEC-09",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "LineExtensionAmount")]),
                message: Message {
                    en: "The sum of the line net amounts has more than two decimals: round cbc:LineExtensionAmount in cac:LegalMonetaryTotal to cents.",
                    nl: "De som van de nettobedragen van de regels heeft meer dan twee decimalen: rond cbc:LineExtensionAmount in cac:LegalMonetaryTotal af op centen.",
                },
            },
            Assert {
                id: "BR-DEC-10",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "AllowanceTotalAmount")]),
                message: Message {
                    en: "The allowance total has more than two decimals: round cbc:AllowanceTotalAmount in cac:LegalMonetaryTotal to cents.",
                    nl: "Het totaal van de kortingen heeft meer dan twee decimalen: rond cbc:AllowanceTotalAmount in cac:LegalMonetaryTotal af op centen.",
                },
            },
            Assert {
                id: "BR-DEC-11",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "ChargeTotalAmount")]),
                message: Message {
                    en: "The charge total has more than two decimals: round cbc:ChargeTotalAmount in cac:LegalMonetaryTotal to cents.",
                    nl: "Het totaal van de toeslagen heeft meer dan twee decimalen: rond cbc:ChargeTotalAmount in cac:LegalMonetaryTotal af op centen.",
                },
            },
            Assert {
                id: "BR-DEC-12",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "TaxExclusiveAmount")]),
                message: Message {
                    en: "The total without VAT has more than two decimals: round cbc:TaxExclusiveAmount in cac:LegalMonetaryTotal to cents.",
                    nl: "Het totaal exclusief btw heeft meer dan twee decimalen: rond cbc:TaxExclusiveAmount in cac:LegalMonetaryTotal af op centen.",
                },
            },
            Assert {
                id: "BR-DEC-14",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "TaxInclusiveAmount")]),
                message: Message {
                    en: "The total with VAT has more than two decimals: round cbc:TaxInclusiveAmount in cac:LegalMonetaryTotal to cents.",
                    nl: "Het totaal inclusief btw heeft meer dan twee decimalen: rond cbc:TaxInclusiveAmount in cac:LegalMonetaryTotal af op centen.",
                },
            },
            Assert {
                id: "BR-DEC-16",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "PrepaidAmount")]),
                message: Message {
                    en: "The prepaid amount has more than two decimals: round cbc:PrepaidAmount in cac:LegalMonetaryTotal to cents.",
                    nl: "Het vooruitbetaalde bedrag heeft meer dan twee decimalen: rond cbc:PrepaidAmount in cac:LegalMonetaryTotal af op centen.",
                },
            },
            Assert {
                id: "BR-DEC-17",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "PayableRoundingAmount")]),
                message: Message {
                    en: "The rounding amount has more than two decimals: round cbc:PayableRoundingAmount in cac:LegalMonetaryTotal to cents.",
                    nl: "Het afrondingsbedrag heeft meer dan twee decimalen: rond cbc:PayableRoundingAmount in cac:LegalMonetaryTotal af op centen.",
                },
            },
            Assert {
                id: "BR-DEC-18",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "PayableAmount")]),
                message: Message {
                    en: "The amount due has more than two decimals: round cbc:PayableAmount in cac:LegalMonetaryTotal to cents.",
                    nl: "Het te betalen bedrag heeft meer dan twee decimalen: rond cbc:PayableAmount in cac:LegalMonetaryTotal af op centen.",
                },
            },
        ],
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
                id: "BR-01",
                severity: Severity::Fatal,
                test: |n| filled(n, &[(Cbc, "CustomizationID")]),
                message: Message {
                    en: "The document does not say which specification it follows: add cbc:CustomizationID, such as urn:cen.eu:en16931:2017.",
                    nl: "Het document zegt niet welke specificatie het volgt: voeg cbc:CustomizationID toe, bijvoorbeeld urn:cen.eu:en16931:2017.",
                },
            },
            Assert {
                id: "BR-02",
                severity: Severity::Fatal,
                test: |n| filled(n, &[(Cbc, "ID")]),
                message: Message {
                    en: "The document has no number: add cbc:ID with the invoice number.",
                    nl: "Het document heeft geen nummer: voeg cbc:ID toe met het factuurnummer.",
                },
            },
            Assert {
                id: "BR-03",
                severity: Severity::Fatal,
                test: |n| filled(n, &[(Cbc, "IssueDate")]),
                message: Message {
                    en: "The document has no issue date: add cbc:IssueDate, written as YYYY-MM-DD.",
                    nl: "Het document heeft geen factuurdatum: voeg cbc:IssueDate toe, in de vorm JJJJ-MM-DD.",
                },
            },
            Assert {
                id: "BR-04",
                severity: Severity::Fatal,
                test: |n| {
                    filled(n, &[(Cbc, "InvoiceTypeCode")])
                        || filled(n, &[(Cbc, "CreditNoteTypeCode")])
                },
                message: Message {
                    en: "The document has no type code: add cbc:InvoiceTypeCode (such as 380 for an invoice), or cbc:CreditNoteTypeCode (such as 381) in a credit note.",
                    nl: "Het document heeft geen documentsoort: voeg cbc:InvoiceTypeCode toe (bijvoorbeeld 380 voor een factuur), of cbc:CreditNoteTypeCode (bijvoorbeeld 381) in een creditnota.",
                },
            },
            Assert {
                id: "BR-05",
                severity: Severity::Fatal,
                test: |n| filled(n, &[(Cbc, "DocumentCurrencyCode")]),
                message: Message {
                    en: "The document has no currency: add cbc:DocumentCurrencyCode with the ISO 4217 code, such as EUR.",
                    nl: "Het document heeft geen valuta: voeg cbc:DocumentCurrencyCode toe met de ISO 4217-code, bijvoorbeeld EUR.",
                },
            },
            Assert {
                id: "BR-06",
                severity: Severity::Fatal,
                test: |n| {
                    filled(
                        n,
                        &[
                            (Cac, "AccountingSupplierParty"),
                            (Cac, "Party"),
                            (Cac, "PartyLegalEntity"),
                            (Cbc, "RegistrationName"),
                        ],
                    )
                },
                message: Message {
                    en: "The seller's name is missing: fill in cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName with the seller's registered name.",
                    nl: "De naam van de verkoper ontbreekt: vul cac:AccountingSupplierParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName in met de statutaire naam van de verkoper.",
                },
            },
            Assert {
                id: "BR-07",
                severity: Severity::Fatal,
                test: |n| {
                    filled(
                        n,
                        &[
                            (Cac, "AccountingCustomerParty"),
                            (Cac, "Party"),
                            (Cac, "PartyLegalEntity"),
                            (Cbc, "RegistrationName"),
                        ],
                    )
                },
                message: Message {
                    en: "The buyer's name is missing: fill in cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName with the buyer's registered name.",
                    nl: "De naam van de afnemer ontbreekt: vul cac:AccountingCustomerParty/cac:Party/cac:PartyLegalEntity/cbc:RegistrationName in met de statutaire naam van de afnemer.",
                },
            },
            Assert {
                id: "BR-08",
                severity: Severity::Fatal,
                test: |n| {
                    exists(
                        n,
                        &[
                            (Cac, "AccountingSupplierParty"),
                            (Cac, "Party"),
                            (Cac, "PostalAddress"),
                        ],
                    )
                },
                message: Message {
                    en: "The seller's postal address is missing: add cac:PostalAddress to cac:AccountingSupplierParty/cac:Party.",
                    nl: "Het postadres van de verkoper ontbreekt: voeg cac:PostalAddress toe aan cac:AccountingSupplierParty/cac:Party.",
                },
            },
            Assert {
                id: "BR-10",
                severity: Severity::Fatal,
                test: |n| {
                    exists(
                        n,
                        &[
                            (Cac, "AccountingCustomerParty"),
                            (Cac, "Party"),
                            (Cac, "PostalAddress"),
                        ],
                    )
                },
                message: Message {
                    en: "The buyer's postal address is missing: add cac:PostalAddress to cac:AccountingCustomerParty/cac:Party.",
                    nl: "Het postadres van de afnemer ontbreekt: voeg cac:PostalAddress toe aan cac:AccountingCustomerParty/cac:Party.",
                },
            },
            Assert {
                id: "BR-16",
                severity: Severity::Fatal,
                test: |n| {
                    exists(n, &[(Cac, "InvoiceLine")]) || exists(n, &[(Cac, "CreditNoteLine")])
                },
                message: Message {
                    en: "The document has no lines: add at least one cac:InvoiceLine (cac:CreditNoteLine in a credit note).",
                    nl: "Het document heeft geen regels: voeg minstens één cac:InvoiceLine toe (cac:CreditNoteLine in een creditnota).",
                },
            },
            Assert {
                id: "BR-53",
                severity: Severity::Fatal,
                test: vat_currency_total,
                message: Message {
                    en: "A VAT accounting currency is given, but there is no VAT total in that currency: add a cac:TaxTotal whose cbc:TaxAmount has that currency as currencyID, or leave cbc:TaxCurrencyCode out.",
                    nl: "Er is een btw-valuta opgegeven, maar er is geen btw-totaal in die valuta: voeg een cac:TaxTotal toe waarvan cbc:TaxAmount die valuta als currencyID heeft, of laat cbc:TaxCurrencyCode weg.",
                },
            },
            Assert {
                id: "BR-CO-03",
                severity: Severity::Fatal,
                test: |n| {
                    !(exists(n, &[(Cbc, "TaxPointDate")])
                        && exists(n, &[(Cac, "InvoicePeriod"), (Cbc, "DescriptionCode")]))
                },
                message: Message {
                    en: "The document gives both a VAT point date and a VAT point date code: keep either cbc:TaxPointDate or cac:InvoicePeriod/cbc:DescriptionCode, and remove the other.",
                    nl: "Het document geeft zowel een datum als een code voor het btw-moment: houd cbc:TaxPointDate of cac:InvoicePeriod/cbc:DescriptionCode, en verwijder de andere.",
                },
            },
            Assert {
                id: "BR-CO-18",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cac, "TaxTotal"), (Cac, "TaxSubtotal")]),
                message: Message {
                    en: "The document has no VAT breakdown: add cac:TaxTotal with a cac:TaxSubtotal for each VAT category and rate used.",
                    nl: "Het document heeft geen btw-specificatie: voeg cac:TaxTotal toe met een cac:TaxSubtotal voor elke gebruikte btw-categorie en elk tarief.",
                },
            },
            Assert {
                id: "BR-CO-15",
                severity: Severity::Fatal,
                test: total_with_vat,
                message: Message {
                    en: "The total with VAT does not add up: give exactly one cac:TaxTotal/cbc:TaxAmount in the document currency, and set cbc:TaxInclusiveAmount to cbc:TaxExclusiveAmount plus that VAT total.",
                    nl: "Het totaal inclusief btw klopt niet: geef precies één cac:TaxTotal/cbc:TaxAmount in de documentvaluta, en zet cbc:TaxInclusiveAmount op cbc:TaxExclusiveAmount plus dat btw-totaal.",
                },
            },
            Assert {
                id: "BR-DEC-13",
                severity: Severity::Fatal,
                test: |_| true,
                message: Message {
                    en: "The VAT total in the document currency has more than two decimals: round cac:TaxTotal/cbc:TaxAmount to cents.",
                    nl: "Het btw-totaal in de documentvaluta heeft meer dan twee decimalen: rond cac:TaxTotal/cbc:TaxAmount af op centen.",
                },
            },
            Assert {
                id: "BR-DEC-15",
                severity: Severity::Fatal,
                test: |_| true,
                message: Message {
                    en: "The VAT total in the VAT accounting currency has more than two decimals: round that cac:TaxTotal/cbc:TaxAmount to cents.",
                    nl: "Het btw-totaal in de btw-valuta heeft meer dan twee decimalen: rond die cac:TaxTotal/cbc:TaxAmount af op centen.",
                },
            },
            Assert {
                id: "BR-AE-01",
                severity: Severity::Fatal,
                test: vat::r01_one::<{ vat::AE }>,
                message: Message {
                    en: "Category AE (reverse charge) is used, but the VAT breakdown does not have exactly one subtotal for it: give one cac:TaxSubtotal with cac:TaxCategory/cbc:ID AE for all AE lines, allowances and charges together.",
                    nl: "Categorie AE (btw verlegd) wordt gebruikt, maar de btw-specificatie heeft er niet precies één subtotaal voor: geef één cac:TaxSubtotal met cac:TaxCategory/cbc:ID AE voor alle AE-regels, -kortingen en -toeslagen samen.",
                },
            },
            Assert {
                id: "BR-AE-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::AE }>,
                message: Message {
                    en: "Lines in category AE (reverse charge) need the VAT or tax number of the seller (or the tax representative's VAT number) and the buyer's VAT number or legal registration number: add what is missing, cac:PartyTaxScheme/cbc:CompanyID for the seller, and cac:PartyTaxScheme/cbc:CompanyID or cac:PartyLegalEntity/cbc:CompanyID for the buyer.",
                    nl: "Regels in categorie AE (btw verlegd) vereisen het btw-nummer of fiscale nummer van de verkoper (of het btw-nummer van de fiscaal vertegenwoordiger) en het btw-nummer of inschrijvingsnummer van de afnemer: voeg toe wat ontbreekt, cac:PartyTaxScheme/cbc:CompanyID voor de verkoper, en cac:PartyTaxScheme/cbc:CompanyID of cac:PartyLegalEntity/cbc:CompanyID voor de afnemer.",
                },
            },
            Assert {
                id: "BR-AE-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::AE }>,
                message: Message {
                    en: "Allowances in category AE (reverse charge) need the VAT or tax number of the seller (or the tax representative's VAT number) and the buyer's VAT number or legal registration number: add what is missing, cac:PartyTaxScheme/cbc:CompanyID for the seller, and cac:PartyTaxScheme/cbc:CompanyID or cac:PartyLegalEntity/cbc:CompanyID for the buyer.",
                    nl: "Kortingen in categorie AE (btw verlegd) vereisen het btw-nummer of fiscale nummer van de verkoper (of het btw-nummer van de fiscaal vertegenwoordiger) en het btw-nummer of inschrijvingsnummer van de afnemer: voeg toe wat ontbreekt, cac:PartyTaxScheme/cbc:CompanyID voor de verkoper, en cac:PartyTaxScheme/cbc:CompanyID of cac:PartyLegalEntity/cbc:CompanyID voor de afnemer.",
                },
            },
            Assert {
                id: "BR-AE-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::AE }>,
                message: Message {
                    en: "Charges in category AE (reverse charge) need the VAT or tax number of the seller (or the tax representative's VAT number) and the buyer's VAT number or legal registration number: add what is missing, cac:PartyTaxScheme/cbc:CompanyID for the seller, and cac:PartyTaxScheme/cbc:CompanyID or cac:PartyLegalEntity/cbc:CompanyID for the buyer.",
                    nl: "Toeslagen in categorie AE (btw verlegd) vereisen het btw-nummer of fiscale nummer van de verkoper (of het btw-nummer van de fiscaal vertegenwoordiger) en het btw-nummer of inschrijvingsnummer van de afnemer: voeg toe wat ontbreekt, cac:PartyTaxScheme/cbc:CompanyID voor de verkoper, en cac:PartyTaxScheme/cbc:CompanyID of cac:PartyLegalEntity/cbc:CompanyID voor de afnemer.",
                },
            },
            Assert {
                id: "BR-E-01",
                severity: Severity::Fatal,
                test: vat::r01_one::<{ vat::E }>,
                message: Message {
                    en: "Category E (exempt from VAT) is used, but the VAT breakdown does not have exactly one subtotal for it: give one cac:TaxSubtotal with cac:TaxCategory/cbc:ID E for all E lines, allowances and charges together.",
                    nl: "Categorie E (vrijgesteld van btw) wordt gebruikt, maar de btw-specificatie heeft er niet precies één subtotaal voor: geef één cac:TaxSubtotal met cac:TaxCategory/cbc:ID E voor alle E-regels, -kortingen en -toeslagen samen.",
                },
            },
            Assert {
                id: "BR-E-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::E }>,
                message: Message {
                    en: "Lines in category E (exempt from VAT) need the seller's VAT number or tax registration number, or the tax representative's VAT number: add cac:PartyTaxScheme/cbc:CompanyID to the seller (cac:AccountingSupplierParty/cac:Party) or to cac:TaxRepresentativeParty.",
                    nl: "Regels in categorie E (vrijgesteld van btw) vereisen het btw-nummer of fiscale nummer van de verkoper, of het btw-nummer van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme/cbc:CompanyID toe aan de verkoper (cac:AccountingSupplierParty/cac:Party) of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-E-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::E }>,
                message: Message {
                    en: "Allowances in category E (exempt from VAT) need the seller's VAT number or tax registration number, or the tax representative's VAT number: add cac:PartyTaxScheme/cbc:CompanyID to the seller (cac:AccountingSupplierParty/cac:Party) or to cac:TaxRepresentativeParty.",
                    nl: "Kortingen in categorie E (vrijgesteld van btw) vereisen het btw-nummer of fiscale nummer van de verkoper, of het btw-nummer van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme/cbc:CompanyID toe aan de verkoper (cac:AccountingSupplierParty/cac:Party) of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-E-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::E }>,
                message: Message {
                    en: "Charges in category E (exempt from VAT) need the seller's VAT number or tax registration number, or the tax representative's VAT number: add cac:PartyTaxScheme/cbc:CompanyID to the seller (cac:AccountingSupplierParty/cac:Party) or to cac:TaxRepresentativeParty.",
                    nl: "Toeslagen in categorie E (vrijgesteld van btw) vereisen het btw-nummer of fiscale nummer van de verkoper, of het btw-nummer van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme/cbc:CompanyID toe aan de verkoper (cac:AccountingSupplierParty/cac:Party) of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-G-01",
                severity: Severity::Fatal,
                test: vat::r01_one::<{ vat::G }>,
                message: Message {
                    en: "Category G (export outside the EU) is used, but the VAT breakdown does not have exactly one subtotal for it: give one cac:TaxSubtotal with cac:TaxCategory/cbc:ID G for all G lines, allowances and charges together.",
                    nl: "Categorie G (export buiten de EU) wordt gebruikt, maar de btw-specificatie heeft er niet precies één subtotaal voor: geef één cac:TaxSubtotal met cac:TaxCategory/cbc:ID G voor alle G-regels, -kortingen en -toeslagen samen.",
                },
            },
            Assert {
                id: "BR-G-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::G }>,
                message: Message {
                    en: "Lines in category G (export outside the EU) need the seller's VAT number or the tax representative's: add cac:PartyTaxScheme with cbc:CompanyID and cac:TaxScheme/cbc:ID VAT to the seller or to cac:TaxRepresentativeParty.",
                    nl: "Regels in categorie G (export buiten de EU) vereisen het btw-nummer van de verkoper of van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme met cbc:CompanyID en cac:TaxScheme/cbc:ID VAT toe aan de verkoper of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-G-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::G }>,
                message: Message {
                    en: "Allowances in category G (export outside the EU) need the seller's VAT number or the tax representative's: add cac:PartyTaxScheme with cbc:CompanyID and cac:TaxScheme/cbc:ID VAT to the seller or to cac:TaxRepresentativeParty.",
                    nl: "Kortingen in categorie G (export buiten de EU) vereisen het btw-nummer van de verkoper of van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme met cbc:CompanyID en cac:TaxScheme/cbc:ID VAT toe aan de verkoper of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-G-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::G }>,
                message: Message {
                    en: "Charges in category G (export outside the EU) need the seller's VAT number or the tax representative's: add cac:PartyTaxScheme with cbc:CompanyID and cac:TaxScheme/cbc:ID VAT to the seller or to cac:TaxRepresentativeParty.",
                    nl: "Toeslagen in categorie G (export buiten de EU) vereisen het btw-nummer van de verkoper of van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme met cbc:CompanyID en cac:TaxScheme/cbc:ID VAT toe aan de verkoper of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-IC-01",
                severity: Severity::Fatal,
                test: vat::r01_one::<{ vat::K }>,
                message: Message {
                    en: "Category K (intra-community supply) is used, but the VAT breakdown does not have exactly one subtotal for it: give one cac:TaxSubtotal with cac:TaxCategory/cbc:ID K for all K lines, allowances and charges together.",
                    nl: "Categorie K (intracommunautaire levering) wordt gebruikt, maar de btw-specificatie heeft er niet precies één subtotaal voor: geef één cac:TaxSubtotal met cac:TaxCategory/cbc:ID K voor alle K-regels, -kortingen en -toeslagen samen.",
                },
            },
            Assert {
                id: "BR-IC-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::K }>,
                message: Message {
                    en: "Lines in category K (intra-community supply) need the VAT number of the seller (or the tax representative) and the buyer's VAT number: add cac:PartyTaxScheme with cbc:CompanyID and cac:TaxScheme/cbc:ID VAT to both the seller and the buyer.",
                    nl: "Regels in categorie K (intracommunautaire levering) vereisen het btw-nummer van de verkoper (of de fiscaal vertegenwoordiger) en het btw-nummer van de afnemer: voeg cac:PartyTaxScheme met cbc:CompanyID en cac:TaxScheme/cbc:ID VAT toe aan zowel de verkoper als de afnemer.",
                },
            },
            Assert {
                id: "BR-IC-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::K }>,
                message: Message {
                    en: "Allowances in category K (intra-community supply) need the VAT number of the seller (or the tax representative) and the buyer's VAT number: add cac:PartyTaxScheme with cbc:CompanyID and cac:TaxScheme/cbc:ID VAT to both the seller and the buyer.",
                    nl: "Kortingen in categorie K (intracommunautaire levering) vereisen het btw-nummer van de verkoper (of de fiscaal vertegenwoordiger) en het btw-nummer van de afnemer: voeg cac:PartyTaxScheme met cbc:CompanyID en cac:TaxScheme/cbc:ID VAT toe aan zowel de verkoper als de afnemer.",
                },
            },
            Assert {
                id: "BR-IC-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::K }>,
                message: Message {
                    en: "Charges in category K (intra-community supply) need the VAT number of the seller (or the tax representative) and the buyer's VAT number: add cac:PartyTaxScheme with cbc:CompanyID and cac:TaxScheme/cbc:ID VAT to both the seller and the buyer.",
                    nl: "Toeslagen in categorie K (intracommunautaire levering) vereisen het btw-nummer van de verkoper (of de fiscaal vertegenwoordiger) en het btw-nummer van de afnemer: voeg cac:PartyTaxScheme met cbc:CompanyID en cac:TaxScheme/cbc:ID VAT toe aan zowel de verkoper als de afnemer.",
                },
            },
            Assert {
                id: "BR-AF-01",
                severity: Severity::Fatal,
                test: vat::r01_some::<{ vat::L }>,
                message: Message {
                    en: "The VAT breakdown and the use of category L (IGIC, Canary Islands) do not agree: give a cac:TaxSubtotal with cac:TaxCategory/cbc:ID L for each L rate used on lines, allowances and charges, and none when L is not used there.",
                    nl: "De btw-specificatie en het gebruik van categorie L (IGIC, Canarische Eilanden) komen niet overeen: geef een cac:TaxSubtotal met cac:TaxCategory/cbc:ID L voor elk L-tarief op regels, kortingen en toeslagen, en geen als L daar niet voorkomt.",
                },
            },
            Assert {
                id: "BR-AF-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::L }>,
                message: Message {
                    en: "Lines in category L (IGIC, Canary Islands) need the seller's VAT number or tax registration number, or the tax representative's VAT number: add cac:PartyTaxScheme/cbc:CompanyID to the seller (cac:AccountingSupplierParty/cac:Party) or to cac:TaxRepresentativeParty.",
                    nl: "Regels in categorie L (IGIC, Canarische Eilanden) vereisen het btw-nummer of fiscale nummer van de verkoper, of het btw-nummer van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme/cbc:CompanyID toe aan de verkoper (cac:AccountingSupplierParty/cac:Party) of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-AF-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::L }>,
                message: Message {
                    en: "Allowances in category L (IGIC, Canary Islands) need the seller's VAT number or tax registration number, or the tax representative's VAT number: add cac:PartyTaxScheme/cbc:CompanyID to the seller (cac:AccountingSupplierParty/cac:Party) or to cac:TaxRepresentativeParty.",
                    nl: "Kortingen in categorie L (IGIC, Canarische Eilanden) vereisen het btw-nummer of fiscale nummer van de verkoper, of het btw-nummer van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme/cbc:CompanyID toe aan de verkoper (cac:AccountingSupplierParty/cac:Party) of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-AF-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::L }>,
                message: Message {
                    en: "Charges in category L (IGIC, Canary Islands) need the seller's VAT number or tax registration number, or the tax representative's VAT number: add cac:PartyTaxScheme/cbc:CompanyID to the seller (cac:AccountingSupplierParty/cac:Party) or to cac:TaxRepresentativeParty.",
                    nl: "Toeslagen in categorie L (IGIC, Canarische Eilanden) vereisen het btw-nummer of fiscale nummer van de verkoper, of het btw-nummer van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme/cbc:CompanyID toe aan de verkoper (cac:AccountingSupplierParty/cac:Party) of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-AG-01",
                severity: Severity::Fatal,
                test: vat::r01_some::<{ vat::M }>,
                message: Message {
                    en: "The VAT breakdown and the use of category M (IPSI, Ceuta and Melilla) do not agree: give a cac:TaxSubtotal with cac:TaxCategory/cbc:ID M for each M rate used on lines, allowances and charges, and none when M is not used there.",
                    nl: "De btw-specificatie en het gebruik van categorie M (IPSI, Ceuta en Melilla) komen niet overeen: geef een cac:TaxSubtotal met cac:TaxCategory/cbc:ID M voor elk M-tarief op regels, kortingen en toeslagen, en geen als M daar niet voorkomt.",
                },
            },
            Assert {
                id: "BR-AG-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::M }>,
                message: Message {
                    en: "Lines in category M (IPSI, Ceuta and Melilla) need the seller's VAT number or tax registration number, or the tax representative's VAT number: add cac:PartyTaxScheme/cbc:CompanyID to the seller (cac:AccountingSupplierParty/cac:Party) or to cac:TaxRepresentativeParty.",
                    nl: "Regels in categorie M (IPSI, Ceuta en Melilla) vereisen het btw-nummer of fiscale nummer van de verkoper, of het btw-nummer van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme/cbc:CompanyID toe aan de verkoper (cac:AccountingSupplierParty/cac:Party) of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-AG-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::M }>,
                message: Message {
                    en: "Allowances in category M (IPSI, Ceuta and Melilla) need the seller's VAT number or tax registration number, or the tax representative's VAT number: add cac:PartyTaxScheme/cbc:CompanyID to the seller (cac:AccountingSupplierParty/cac:Party) or to cac:TaxRepresentativeParty.",
                    nl: "Kortingen in categorie M (IPSI, Ceuta en Melilla) vereisen het btw-nummer of fiscale nummer van de verkoper, of het btw-nummer van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme/cbc:CompanyID toe aan de verkoper (cac:AccountingSupplierParty/cac:Party) of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-AG-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::M }>,
                message: Message {
                    en: "Charges in category M (IPSI, Ceuta and Melilla) need the seller's VAT number or tax registration number, or the tax representative's VAT number: add cac:PartyTaxScheme/cbc:CompanyID to the seller (cac:AccountingSupplierParty/cac:Party) or to cac:TaxRepresentativeParty.",
                    nl: "Toeslagen in categorie M (IPSI, Ceuta en Melilla) vereisen het btw-nummer of fiscale nummer van de verkoper, of het btw-nummer van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme/cbc:CompanyID toe aan de verkoper (cac:AccountingSupplierParty/cac:Party) of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-O-01",
                severity: Severity::Fatal,
                test: vat::r01_one::<{ vat::O }>,
                message: Message {
                    en: "Category O (not subject to VAT) is used, but the VAT breakdown does not have exactly one subtotal for it: give one cac:TaxSubtotal with cac:TaxCategory/cbc:ID O for all O lines, allowances and charges together.",
                    nl: "Categorie O (niet onderworpen aan btw) wordt gebruikt, maar de btw-specificatie heeft er niet precies één subtotaal voor: geef één cac:TaxSubtotal met cac:TaxCategory/cbc:ID O voor alle O-regels, -kortingen en -toeslagen samen.",
                },
            },
            Assert {
                id: "BR-O-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::O }>,
                message: Message {
                    en: "Lines in category O (not subject to VAT) cannot go with a VAT number of the seller, the tax representative or the buyer: remove those VAT numbers (cac:PartyTaxScheme with scheme VAT), or use the VAT category that applies instead of O.",
                    nl: "Regels in categorie O (niet onderworpen aan btw) kunnen niet samengaan met een btw-nummer van de verkoper, de fiscaal vertegenwoordiger of de afnemer: verwijder die btw-nummers (cac:PartyTaxScheme met schema VAT), of gebruik de btw-categorie die wel van toepassing is in plaats van O.",
                },
            },
            Assert {
                id: "BR-O-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::O }>,
                message: Message {
                    en: "Allowances in category O (not subject to VAT) cannot go with a VAT number of the seller, the tax representative or the buyer: remove those VAT numbers (cac:PartyTaxScheme with scheme VAT), or use the VAT category that applies instead of O.",
                    nl: "Kortingen in categorie O (niet onderworpen aan btw) kunnen niet samengaan met een btw-nummer van de verkoper, de fiscaal vertegenwoordiger of de afnemer: verwijder die btw-nummers (cac:PartyTaxScheme met schema VAT), of gebruik de btw-categorie die wel van toepassing is in plaats van O.",
                },
            },
            Assert {
                id: "BR-O-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::O }>,
                message: Message {
                    en: "Charges in category O (not subject to VAT) cannot go with a VAT number of the seller, the tax representative or the buyer: remove those VAT numbers (cac:PartyTaxScheme with scheme VAT), or use the VAT category that applies instead of O.",
                    nl: "Toeslagen in categorie O (niet onderworpen aan btw) kunnen niet samengaan met een btw-nummer van de verkoper, de fiscaal vertegenwoordiger of de afnemer: verwijder die btw-nummers (cac:PartyTaxScheme met schema VAT), of gebruik de btw-categorie die wel van toepassing is in plaats van O.",
                },
            },
            Assert {
                id: "BR-S-01",
                severity: Severity::Fatal,
                test: vat::r01_some::<{ vat::S }>,
                message: Message {
                    en: "The VAT breakdown and the use of category S (standard rate) do not agree: give a cac:TaxSubtotal with cac:TaxCategory/cbc:ID S for each S rate used on lines, allowances and charges, and none when S is not used there.",
                    nl: "De btw-specificatie en het gebruik van categorie S (standaardtarief) komen niet overeen: geef een cac:TaxSubtotal met cac:TaxCategory/cbc:ID S voor elk S-tarief op regels, kortingen en toeslagen, en geen als S daar niet voorkomt.",
                },
            },
            Assert {
                id: "BR-S-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::S }>,
                message: Message {
                    en: "Lines in category S (standard rate) need the seller's VAT number or tax registration number, or the tax representative's VAT number: add cac:PartyTaxScheme/cbc:CompanyID to the seller (cac:AccountingSupplierParty/cac:Party) or to cac:TaxRepresentativeParty.",
                    nl: "Regels in categorie S (standaardtarief) vereisen het btw-nummer of fiscale nummer van de verkoper, of het btw-nummer van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme/cbc:CompanyID toe aan de verkoper (cac:AccountingSupplierParty/cac:Party) of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-S-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::S }>,
                message: Message {
                    en: "Allowances in category S (standard rate) need the seller's VAT number or tax registration number, or the tax representative's VAT number: add cac:PartyTaxScheme/cbc:CompanyID to the seller (cac:AccountingSupplierParty/cac:Party) or to cac:TaxRepresentativeParty.",
                    nl: "Kortingen in categorie S (standaardtarief) vereisen het btw-nummer of fiscale nummer van de verkoper, of het btw-nummer van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme/cbc:CompanyID toe aan de verkoper (cac:AccountingSupplierParty/cac:Party) of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-S-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::S }>,
                message: Message {
                    en: "Charges in category S (standard rate) need the seller's VAT number or tax registration number, or the tax representative's VAT number: add cac:PartyTaxScheme/cbc:CompanyID to the seller (cac:AccountingSupplierParty/cac:Party) or to cac:TaxRepresentativeParty.",
                    nl: "Toeslagen in categorie S (standaardtarief) vereisen het btw-nummer of fiscale nummer van de verkoper, of het btw-nummer van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme/cbc:CompanyID toe aan de verkoper (cac:AccountingSupplierParty/cac:Party) of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-Z-01",
                severity: Severity::Fatal,
                test: vat::r01_one::<{ vat::Z }>,
                message: Message {
                    en: "Category Z (zero rate) is used, but the VAT breakdown does not have exactly one subtotal for it: give one cac:TaxSubtotal with cac:TaxCategory/cbc:ID Z for all Z lines, allowances and charges together.",
                    nl: "Categorie Z (nultarief) wordt gebruikt, maar de btw-specificatie heeft er niet precies één subtotaal voor: geef één cac:TaxSubtotal met cac:TaxCategory/cbc:ID Z voor alle Z-regels, -kortingen en -toeslagen samen.",
                },
            },
            Assert {
                id: "BR-Z-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::Z }>,
                message: Message {
                    en: "Lines in category Z (zero rate) need the seller's VAT number or tax registration number, or the tax representative's VAT number: add cac:PartyTaxScheme/cbc:CompanyID to the seller (cac:AccountingSupplierParty/cac:Party) or to cac:TaxRepresentativeParty.",
                    nl: "Regels in categorie Z (nultarief) vereisen het btw-nummer of fiscale nummer van de verkoper, of het btw-nummer van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme/cbc:CompanyID toe aan de verkoper (cac:AccountingSupplierParty/cac:Party) of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-Z-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::Z }>,
                message: Message {
                    en: "Allowances in category Z (zero rate) need the seller's VAT number or tax registration number, or the tax representative's VAT number: add cac:PartyTaxScheme/cbc:CompanyID to the seller (cac:AccountingSupplierParty/cac:Party) or to cac:TaxRepresentativeParty.",
                    nl: "Kortingen in categorie Z (nultarief) vereisen het btw-nummer of fiscale nummer van de verkoper, of het btw-nummer van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme/cbc:CompanyID toe aan de verkoper (cac:AccountingSupplierParty/cac:Party) of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-Z-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::Z }>,
                message: Message {
                    en: "Charges in category Z (zero rate) need the seller's VAT number or tax registration number, or the tax representative's VAT number: add cac:PartyTaxScheme/cbc:CompanyID to the seller (cac:AccountingSupplierParty/cac:Party) or to cac:TaxRepresentativeParty.",
                    nl: "Toeslagen in categorie Z (nultarief) vereisen het btw-nummer of fiscale nummer van de verkoper, of het btw-nummer van de fiscaal vertegenwoordiger: voeg cac:PartyTaxScheme/cbc:CompanyID toe aan de verkoper (cac:AccountingSupplierParty/cac:Party) of aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-B-01",
                severity: Severity::Fatal,
                test: vat::b01,
                message: Message {
                    en: "The document uses split payment (category B), which is only for a domestic Italian invoice, but a country code other than IT appears: use another VAT category, or correct the country codes (cbc:IdentificationCode).",
                    nl: "Het document gebruikt gesplitste betaling (categorie B), die alleen voor een binnenlandse Italiaanse factuur is, maar er staat een andere landcode dan IT in: gebruik een andere btw-categorie, of corrigeer de landcodes (cbc:IdentificationCode).",
                },
            },
            Assert {
                id: "BR-B-02",
                severity: Severity::Fatal,
                test: vat::b02,
                message: Message {
                    en: "The document uses both split payment (category B) and the standard rate (category S): put them on separate invoices, or use one of the two.",
                    nl: "Het document gebruikt zowel gesplitste betaling (categorie B) als het standaardtarief (categorie S): zet ze op aparte facturen, of gebruik er één van.",
                },
            },
            Assert {
                id: "BR-IC-11",
                severity: Severity::Fatal,
                test: vat::ic11,
                message: Message {
                    en: "An intra-community supply (category K) needs the delivery date or the invoicing period: add cac:Delivery/cbc:ActualDeliveryDate or cac:InvoicePeriod with its dates.",
                    nl: "Een intracommunautaire levering (categorie K) heeft de leverdatum of de factuurperiode nodig: voeg cac:Delivery/cbc:ActualDeliveryDate toe, of cac:InvoicePeriod met de data.",
                },
            },
            Assert {
                id: "BR-IC-12",
                severity: Severity::Fatal,
                test: vat::ic12,
                message: Message {
                    en: "An intra-community supply (category K) needs the country the goods go to: add cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode.",
                    nl: "Een intracommunautaire levering (categorie K) heeft het land van bestemming nodig: voeg cac:Delivery/cac:DeliveryLocation/cac:Address/cac:Country/cbc:IdentificationCode toe.",
                },
            },
            Assert {
                id: "BR-O-11",
                severity: Severity::Fatal,
                test: vat::o11,
                message: Message {
                    en: "With category O (not subject to VAT) in the VAT breakdown, no other VAT category may appear beside it: put the other categories on a separate invoice, or correct the categories.",
                    nl: "Met categorie O (niet onderworpen aan btw) in de btw-specificatie mag daar geen andere btw-categorie naast staan: zet de andere categorieën op een aparte factuur, of corrigeer de categorieën.",
                },
            },
            Assert {
                id: "BR-O-12",
                severity: Severity::Fatal,
                test: vat::o12,
                message: Message {
                    en: "With category O (not subject to VAT) in the VAT breakdown, no other VAT category may appear on lines: put the other categories on a separate invoice, or correct the categories.",
                    nl: "Met categorie O (niet onderworpen aan btw) in de btw-specificatie mag er geen andere btw-categorie op regels staan: zet de andere categorieën op een aparte factuur, of corrigeer de categorieën.",
                },
            },
            Assert {
                id: "BR-O-13",
                severity: Severity::Fatal,
                test: vat::o13,
                message: Message {
                    en: "With category O (not subject to VAT) in the VAT breakdown, no other VAT category may appear on allowances: put the other categories on a separate invoice, or correct the categories.",
                    nl: "Met categorie O (niet onderworpen aan btw) in de btw-specificatie mag er geen andere btw-categorie op kortingen staan: zet de andere categorieën op een aparte factuur, of corrigeer de categorieën.",
                },
            },
            Assert {
                id: "BR-O-14",
                severity: Severity::Fatal,
                test: vat::o14,
                message: Message {
                    en: "With category O (not subject to VAT) in the VAT breakdown, no other VAT category may appear on charges: put the other categories on a separate invoice, or correct the categories.",
                    nl: "Met categorie O (niet onderworpen aan btw) in de btw-specificatie mag er geen andere btw-categorie op toeslagen staan: zet de andere categorieën op een aparte factuur, of corrigeer de categorieën.",
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
                id: "BR-21",
                severity: Severity::Fatal,
                test: |n| filled(n, &[(Cbc, "ID")]),
                message: Message {
                    en: "A line has no line number: fill in the line's cbc:ID, such as 1.",
                    nl: "Een regel heeft geen regelnummer: vul cbc:ID van de regel in, bijvoorbeeld 1.",
                },
            },
            Assert {
                id: "BR-22",
                severity: Severity::Fatal,
                test: |n| {
                    exists(n, &[(Cbc, "InvoicedQuantity")])
                        || exists(n, &[(Cbc, "CreditedQuantity")])
                },
                message: Message {
                    en: "A line has no quantity: add cbc:InvoicedQuantity (cbc:CreditedQuantity in a credit note).",
                    nl: "Een regel heeft geen aantal: voeg cbc:InvoicedQuantity toe (cbc:CreditedQuantity in een creditnota).",
                },
            },
            Assert {
                id: "BR-23",
                severity: Severity::Fatal,
                test: |n| {
                    [(Cbc, "InvoicedQuantity"), (Cbc, "CreditedQuantity")]
                        .iter()
                        .any(|&(ns, q)| n.all(ns, q).any(|q| q.attr("unitCode").is_some()))
                },
                message: Message {
                    en: "A line's quantity has no unit: add the attribute unitCode, such as C62 for pieces or HUR for hours.",
                    nl: "Bij het aantal van een regel staat geen eenheid: voeg het attribuut unitCode toe, bijvoorbeeld C62 voor stuks of HUR voor uren.",
                },
            },
            Assert {
                id: "BR-24",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "LineExtensionAmount")]),
                message: Message {
                    en: "A line has no net amount: add the line's cbc:LineExtensionAmount.",
                    nl: "Een regel heeft geen nettobedrag: voeg cbc:LineExtensionAmount toe aan de regel.",
                },
            },
            Assert {
                id: "BR-25",
                severity: Severity::Fatal,
                test: |n| filled(n, &[(Cac, "Item"), (Cbc, "Name")]),
                message: Message {
                    en: "A line has no item name: fill in cac:Item/cbc:Name.",
                    nl: "Een regel heeft geen artikelnaam: vul cac:Item/cbc:Name in.",
                },
            },
            Assert {
                id: "BR-26",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cac, "Price"), (Cbc, "PriceAmount")]),
                message: Message {
                    en: "A line has no net price: add cac:Price/cbc:PriceAmount.",
                    nl: "Een regel heeft geen nettoprijs: voeg cac:Price/cbc:PriceAmount toe.",
                },
            },
            Assert {
                id: "BR-27",
                severity: Severity::Fatal,
                test: |n| any_not_negative(n, &[(Cac, "Price"), (Cbc, "PriceAmount")]),
                message: Message {
                    en: "A line's net price is negative or missing: give a price of 0 or more in cac:Price/cbc:PriceAmount, and express a reduction as a negative quantity or an allowance.",
                    nl: "De nettoprijs van een regel is negatief of ontbreekt: geef een prijs van 0 of meer in cac:Price/cbc:PriceAmount, en druk een vermindering uit met een negatief aantal of een korting.",
                },
            },
            Assert {
                id: "BR-28",
                severity: Severity::Fatal,
                test: |n| {
                    !exists(
                        n,
                        &[
                            (Cac, "Price"),
                            (Cac, "AllowanceCharge"),
                            (Cbc, "BaseAmount"),
                        ],
                    ) || any_not_negative(
                        n,
                        &[
                            (Cac, "Price"),
                            (Cac, "AllowanceCharge"),
                            (Cbc, "BaseAmount"),
                        ],
                    )
                },
                message: Message {
                    en: "A line's gross price is negative: give 0 or more in cac:Price/cac:AllowanceCharge/cbc:BaseAmount.",
                    nl: "De brutoprijs van een regel is negatief: geef 0 of meer in cac:Price/cac:AllowanceCharge/cbc:BaseAmount.",
                },
            },
            Assert {
                id: "BR-CO-04",
                severity: Severity::Fatal,
                test: |n| {
                    select(n, &[(Cac, "Item"), (Cac, "ClassifiedTaxCategory")])
                        .into_iter()
                        .any(|c| vat_scheme_each(c) && c.child(Cbc, "ID").is_some())
                },
                message: Message {
                    en: "A line has no VAT category: add cac:Item/cac:ClassifiedTaxCategory with cbc:ID (such as S) and cac:TaxScheme/cbc:ID VAT.",
                    nl: "Een regel heeft geen btw-categorie: voeg cac:Item/cac:ClassifiedTaxCategory toe met cbc:ID (bijvoorbeeld S) en cac:TaxScheme/cbc:ID VAT.",
                },
            },
            Assert {
                id: "BR-DEC-23",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "LineExtensionAmount")]),
                message: Message {
                    en: "A line's net amount has more than two decimals: round the line's cbc:LineExtensionAmount to cents.",
                    nl: "Het nettobedrag van een regel heeft meer dan twee decimalen: rond cbc:LineExtensionAmount van de regel af op centen.",
                },
            },
        ],
    },
    Rule {
        context: &[
            rel(&[
                el(Cac, "InvoiceLine"),
                el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, false)),
            ]),
            rel(&[
                el(Cac, "CreditNoteLine"),
                el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, false)),
            ]),
        ],
        asserts: &[
            Assert {
                id: "BR-41",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "Amount")]),
                message: Message {
                    en: "A line allowance has no amount: add cbc:Amount to the line's cac:AllowanceCharge.",
                    nl: "Een korting op een regel heeft geen bedrag: voeg cbc:Amount toe aan de cac:AllowanceCharge van de regel.",
                },
            },
            Assert {
                id: "BR-42",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A line allowance does not say why it is given: add the reason as text (cbc:AllowanceChargeReason), as a code (cbc:AllowanceChargeReasonCode), or both.",
                    nl: "Bij een korting op een regel staat niet waarom die gegeven wordt: voeg de reden toe als tekst (cbc:AllowanceChargeReason), als code (cbc:AllowanceChargeReasonCode) of allebei.",
                },
            },
            Assert {
                id: "BR-CO-07",
                severity: Severity::Fatal,
                test: |_| true,
                message: Message {
                    en: "The reason text and the reason code of a line allowance should mean the same: make cbc:AllowanceChargeReason describe the code in cbc:AllowanceChargeReasonCode.",
                    nl: "De redentekst en de redencode van een korting op een regel horen hetzelfde te betekenen: laat cbc:AllowanceChargeReason de code in cbc:AllowanceChargeReasonCode beschrijven.",
                },
            },
            Assert {
                id: "BR-CO-23",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A line allowance does not say why it is given: add the reason as text (cbc:AllowanceChargeReason), as a code (cbc:AllowanceChargeReasonCode), or both.",
                    nl: "Bij een korting op een regel staat niet waarom die gegeven wordt: voeg de reden toe als tekst (cbc:AllowanceChargeReason), als code (cbc:AllowanceChargeReasonCode) of allebei.",
                },
            },
            Assert {
                id: "BR-DEC-24",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "Amount")]),
                message: Message {
                    en: "The amount of a line allowance has more than two decimals: round its cbc:Amount to cents.",
                    nl: "Het bedrag van een korting op een regel heeft meer dan twee decimalen: rond cbc:Amount af op centen.",
                },
            },
            Assert {
                id: "BR-DEC-25",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "BaseAmount")]),
                message: Message {
                    en: "The base amount of a line allowance has more than two decimals: round its cbc:BaseAmount to cents.",
                    nl: "Het basisbedrag van een korting op een regel heeft meer dan twee decimalen: rond cbc:BaseAmount af op centen.",
                },
            },
        ],
    },
    Rule {
        context: &[
            rel(&[
                el(Cac, "InvoiceLine"),
                el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, true)),
            ]),
            rel(&[
                el(Cac, "CreditNoteLine"),
                el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, true)),
            ]),
        ],
        asserts: &[
            Assert {
                id: "BR-43",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "Amount")]),
                message: Message {
                    en: "A line charge has no amount: add cbc:Amount to the line's cac:AllowanceCharge.",
                    nl: "Een toeslag op een regel heeft geen bedrag: voeg cbc:Amount toe aan de cac:AllowanceCharge van de regel.",
                },
            },
            Assert {
                id: "BR-44",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A line charge does not say why it is given: add the reason as text (cbc:AllowanceChargeReason), as a code (cbc:AllowanceChargeReasonCode), or both.",
                    nl: "Bij een toeslag op een regel staat niet waarom die gegeven wordt: voeg de reden toe als tekst (cbc:AllowanceChargeReason), als code (cbc:AllowanceChargeReasonCode) of allebei.",
                },
            },
            Assert {
                id: "BR-CO-08",
                severity: Severity::Fatal,
                test: |_| true,
                message: Message {
                    en: "The reason text and the reason code of a line charge should mean the same: make cbc:AllowanceChargeReason describe the code in cbc:AllowanceChargeReasonCode.",
                    nl: "De redentekst en de redencode van een toeslag op een regel horen hetzelfde te betekenen: laat cbc:AllowanceChargeReason de code in cbc:AllowanceChargeReasonCode beschrijven.",
                },
            },
            Assert {
                id: "BR-CO-24",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A line charge does not say why it is given: add the reason as text (cbc:AllowanceChargeReason), as a code (cbc:AllowanceChargeReasonCode), or both.",
                    nl: "Bij een toeslag op een regel staat niet waarom die gegeven wordt: voeg de reden toe als tekst (cbc:AllowanceChargeReason), als code (cbc:AllowanceChargeReasonCode) of allebei.",
                },
            },
            Assert {
                id: "BR-DEC-27",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "Amount")]),
                message: Message {
                    en: "The amount of a line charge has more than two decimals: round its cbc:Amount to cents.",
                    nl: "Het bedrag van een toeslag op een regel heeft meer dan twee decimalen: rond cbc:Amount af op centen.",
                },
            },
            Assert {
                id: "BR-DEC-28",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "BaseAmount")]),
                message: Message {
                    en: "The base amount of a line charge has more than two decimals: round its cbc:BaseAmount to cents.",
                    nl: "Het basisbedrag van een toeslag op een regel heeft meer dan twee decimalen: rond cbc:BaseAmount af op centen.",
                },
            },
        ],
    },
    Rule {
        context: &[
            rel(&[el(Cac, "InvoiceLine"), el(Cac, "InvoicePeriod")]),
            rel(&[el(Cac, "CreditNoteLine"), el(Cac, "InvoicePeriod")]),
        ],
        asserts: &[
            Assert {
                id: "BR-30",
                severity: Severity::Fatal,
                test: |n| period_in_order(n),
                message: Message {
                    en: "A line's invoicing period ends before it starts: correct cbc:StartDate or cbc:EndDate in the line's cac:InvoicePeriod.",
                    nl: "De factuurperiode van een regel eindigt voordat ze begint: corrigeer cbc:StartDate of cbc:EndDate in cac:InvoicePeriod van de regel.",
                },
            },
            Assert {
                id: "BR-CO-20",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "StartDate")]) || exists(n, &[(Cbc, "EndDate")]),
                message: Message {
                    en: "A line's invoicing period has neither a start nor an end date: add cbc:StartDate, cbc:EndDate or both to the line's cac:InvoicePeriod, or leave the period out.",
                    nl: "De factuurperiode van een regel heeft geen begin- en geen einddatum: voeg cbc:StartDate, cbc:EndDate of beide toe aan cac:InvoicePeriod van de regel, of laat de periode weg.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[el(Cac, "InvoicePeriod")])],
        asserts: &[
            Assert {
                id: "BR-29",
                severity: Severity::Fatal,
                test: |n| period_in_order(n),
                message: Message {
                    en: "The invoicing period ends before it starts: correct cbc:StartDate or cbc:EndDate in cac:InvoicePeriod.",
                    nl: "De factuurperiode eindigt voordat ze begint: corrigeer cbc:StartDate of cbc:EndDate in cac:InvoicePeriod.",
                },
            },
            Assert {
                id: "BR-CO-19",
                severity: Severity::Fatal,
                test: |n| {
                    exists(n, &[(Cbc, "StartDate")])
                        || exists(n, &[(Cbc, "EndDate")])
                        || exists(n, &[(Cbc, "DescriptionCode")])
                },
                message: Message {
                    en: "The invoicing period is empty: add cbc:StartDate, cbc:EndDate or a VAT point date code (cbc:DescriptionCode) to cac:InvoicePeriod, or leave the period out.",
                    nl: "De factuurperiode is leeg: voeg cbc:StartDate, cbc:EndDate of een code voor het btw-moment (cbc:DescriptionCode) toe aan cac:InvoicePeriod, of laat de periode weg.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[el(Cac, "AdditionalItemProperty")])],
        asserts: &[Assert {
            id: "BR-54",
            severity: Severity::Fatal,
            test: |n| exists(n, &[(Cbc, "Name")]) && exists(n, &[(Cbc, "Value")]),
            message: Message {
                en: "An item attribute is incomplete: give cac:AdditionalItemProperty both a cbc:Name and a cbc:Value.",
                nl: "Een artikelkenmerk is onvolledig: geef cac:AdditionalItemProperty zowel een cbc:Name als een cbc:Value.",
            },
        }],
    },
    Rule {
        context: &[
            rel(&[
                el(Cac, "InvoiceLine"),
                el(Cac, "Item"),
                el(Cac, "CommodityClassification"),
                el(Cbc, "ItemClassificationCode"),
            ]),
            rel(&[
                el(Cac, "CreditNoteLine"),
                el(Cac, "Item"),
                el(Cac, "CommodityClassification"),
                el(Cbc, "ItemClassificationCode"),
            ]),
        ],
        asserts: &[Assert {
            id: "BR-65",
            severity: Severity::Fatal,
            test: |n| n.attr("listID").is_some(),
            message: Message {
                en: "An item classification code does not say its scheme: add the attribute listID to cbc:ItemClassificationCode, such as TST for UNSPSC.",
                nl: "Bij een artikelclassificatie staat niet welk schema ze volgt: voeg het attribuut listID toe aan cbc:ItemClassificationCode, bijvoorbeeld TST voor UNSPSC.",
            },
        }],
    },
    Rule {
        context: &[
            rel(&[
                el(Cac, "InvoiceLine"),
                el(Cac, "Item"),
                el(Cac, "StandardItemIdentification"),
                el(Cbc, "ID"),
            ]),
            rel(&[
                el(Cac, "CreditNoteLine"),
                el(Cac, "Item"),
                el(Cac, "StandardItemIdentification"),
                el(Cbc, "ID"),
            ]),
        ],
        asserts: &[Assert {
            id: "BR-64",
            severity: Severity::Fatal,
            test: |n| n.attr("schemeID").is_some(),
            message: Message {
                en: "A standard item identifier does not say its scheme: add the attribute schemeID to cbc:ID, such as 0160 for a GTIN.",
                nl: "Bij een standaardartikelnummer staat niet welk schema het volgt: voeg het attribuut schemeID toe aan cbc:ID, bijvoorbeeld 0160 voor een GTIN.",
            },
        }],
    },
    Rule {
        context: &[
            Alt {
                rooted: true,
                steps: &[INVOICE, el(Cbc, "Note")],
            },
            Alt {
                rooted: true,
                steps: &[CREDIT_NOTE, el(Cbc, "Note")],
            },
        ],
        asserts: &[Assert {
            id: "BR-CL-08",
            severity: Severity::Fatal,
            test: note_subject,
            message: Message {
                en: "The subject code at the start of this note (between # signs) is not a UNTDID 4451 code: use a listed code, such as AAI for general information, or remove the #code# prefix.",
                nl: "De onderwerpcode aan het begin van deze opmerking (tussen #-tekens) is geen UNTDID 4451-code: gebruik een code uit de lijst, bijvoorbeeld AAI voor algemene informatie, of verwijder het voorvoegsel #code#.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cac, "PayeeParty")])],
        asserts: &[Assert {
            id: "BR-17",
            severity: Severity::Fatal,
            test: |n| payee_differs(n),
            message: Message {
                en: "A payee is given without a name, or with the seller's own name or identifier: fill in the payee's name in cac:PayeeParty/cac:PartyName/cbc:Name, or leave cac:PayeeParty out when the seller receives the payment.",
                nl: "Er is een begunstigde zonder naam, of met de naam of het kenmerk van de verkoper zelf: vul de naam van de begunstigde in bij cac:PayeeParty/cac:PartyName/cbc:Name, of laat cac:PayeeParty weg als de verkoper de betaling ontvangt.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "PaymentMeans", credit_transfer),
            el(Cac, "PayeeFinancialAccount"),
        ])],
        asserts: &[Assert {
            id: "BR-50",
            severity: Severity::Fatal,
            test: |n| filled(n, &[(Cbc, "ID")]),
            message: Message {
                en: "The account of a credit transfer has no number: fill in cbc:ID of cac:PayeeFinancialAccount with the IBAN (or other account number).",
                nl: "De rekening bij een overschrijving heeft geen nummer: vul cbc:ID van cac:PayeeFinancialAccount in met het IBAN (of ander rekeningnummer).",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cac, "PaymentMeans")])],
        asserts: &[
            Assert {
                id: "BR-49",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "PaymentMeansCode")]),
                message: Message {
                    en: "A payment means has no type code: add cbc:PaymentMeansCode, such as 30 (credit transfer) or 58 (SEPA credit transfer).",
                    nl: "Een betaalwijze heeft geen code: voeg cbc:PaymentMeansCode toe, bijvoorbeeld 30 (overschrijving) of 58 (SEPA-overschrijving).",
                },
            },
            Assert {
                id: "BR-61",
                severity: Severity::Fatal,
                test: |n| transfer_has_account(n),
                message: Message {
                    en: "A credit transfer (payment means 30 or 58) names no account to pay to: add cac:PayeeFinancialAccount/cbc:ID with the IBAN.",
                    nl: "Een overschrijving (betaalwijze 30 of 58) noemt geen rekening om op te betalen: voeg cac:PayeeFinancialAccount/cbc:ID toe met het IBAN.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[el(Cac, "BillingReference")])],
        asserts: &[Assert {
            id: "BR-55",
            severity: Severity::Fatal,
            test: |n| exists(n, &[(Cac, "InvoiceDocumentReference"), (Cbc, "ID")]),
            message: Message {
                en: "A reference to an earlier invoice has no invoice number: add cac:InvoiceDocumentReference/cbc:ID with the number of that invoice.",
                nl: "Een verwijzing naar een eerdere factuur heeft geen factuurnummer: voeg cac:InvoiceDocumentReference/cbc:ID toe met het nummer van die factuur.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cac, "AccountingSupplierParty")])],
        asserts: &[Assert {
            id: "BR-CO-26",
            severity: Severity::Fatal,
            test: |n| seller_identified(n),
            message: Message {
                en: "The seller is not identified: add at least one of its VAT number (cac:PartyTaxScheme/cbc:CompanyID), an identifier (cac:PartyIdentification/cbc:ID) or its legal registration number, such as the KvK number (cac:PartyLegalEntity/cbc:CompanyID).",
                nl: "De verkoper is niet geïdentificeerd: voeg minstens één toe van het btw-nummer (cac:PartyTaxScheme/cbc:CompanyID), een kenmerk (cac:PartyIdentification/cbc:ID) of het inschrijvingsnummer, zoals het KvK-nummer (cac:PartyLegalEntity/cbc:CompanyID).",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el(Cac, "Party"),
            el(Cbc, "EndpointID"),
        ])],
        asserts: &[Assert {
            id: "BR-62",
            severity: Severity::Fatal,
            test: |n| n.attr("schemeID").is_some(),
            message: Message {
                en: "The seller's electronic address does not say its scheme: add the attribute schemeID to cbc:EndpointID, such as 0106 for a KvK number or 0190 for an OIN.",
                nl: "Bij het elektronisch adres van de verkoper staat niet welk schema het volgt: voeg het attribuut schemeID toe aan cbc:EndpointID, bijvoorbeeld 0106 voor een KvK-nummer of 0190 voor een OIN.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "AccountingSupplierParty"),
            el(Cac, "Party"),
            el(Cac, "PostalAddress"),
        ])],
        asserts: &[Assert {
            id: "BR-09",
            severity: Severity::Fatal,
            test: |n| filled(n, &[(Cac, "Country"), (Cbc, "IdentificationCode")]),
            message: Message {
                en: "The seller's address has no country code: add cac:Country/cbc:IdentificationCode with the ISO 3166 code, such as NL.",
                nl: "Het adres van de verkoper heeft geen landcode: voeg cac:Country/cbc:IdentificationCode toe met de ISO 3166-landcode, bijvoorbeeld NL.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cac, "TaxRepresentativeParty")])],
        asserts: &[
            Assert {
                id: "BR-18",
                severity: Severity::Fatal,
                test: |n| filled(n, &[(Cac, "PartyName"), (Cbc, "Name")]),
                message: Message {
                    en: "The tax representative has no name: fill in cac:TaxRepresentativeParty/cac:PartyName/cbc:Name.",
                    nl: "De fiscaal vertegenwoordiger heeft geen naam: vul cac:TaxRepresentativeParty/cac:PartyName/cbc:Name in.",
                },
            },
            Assert {
                id: "BR-19",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cac, "PostalAddress")]),
                message: Message {
                    en: "The tax representative has no postal address: add cac:PostalAddress to cac:TaxRepresentativeParty.",
                    nl: "De fiscaal vertegenwoordiger heeft geen postadres: voeg cac:PostalAddress toe aan cac:TaxRepresentativeParty.",
                },
            },
            Assert {
                id: "BR-56",
                severity: Severity::Fatal,
                test: |n| {
                    n.all(Cac, "PartyTaxScheme")
                        .any(|s| vat_scheme_each(s) && s.child(Cbc, "CompanyID").is_some())
                },
                message: Message {
                    en: "The tax representative has no VAT number: add cac:PartyTaxScheme with cbc:CompanyID and cac:TaxScheme/cbc:ID VAT to cac:TaxRepresentativeParty.",
                    nl: "De fiscaal vertegenwoordiger heeft geen btw-nummer: voeg cac:PartyTaxScheme met cbc:CompanyID en cac:TaxScheme/cbc:ID VAT toe aan cac:TaxRepresentativeParty.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "TaxRepresentativeParty"),
            el(Cac, "PostalAddress"),
        ])],
        asserts: &[Assert {
            id: "BR-20",
            severity: Severity::Fatal,
            test: |n| filled(n, &[(Cac, "Country"), (Cbc, "IdentificationCode")]),
            message: Message {
                en: "The tax representative's address has no country code: add cac:Country/cbc:IdentificationCode with the ISO 3166 code, such as NL.",
                nl: "Het adres van de fiscaal vertegenwoordiger heeft geen landcode: voeg cac:Country/cbc:IdentificationCode toe met de ISO 3166-landcode, bijvoorbeeld NL.",
            },
        }],
    },
    Rule {
        context: &[
            Alt {
                rooted: true,
                steps: &[INVOICE, el(Cac, "TaxTotal")],
            },
            Alt {
                rooted: true,
                steps: &[CREDIT_NOTE, el(Cac, "TaxTotal")],
            },
        ],
        asserts: &[Assert {
            id: "BR-CO-14",
            severity: Severity::Fatal,
            test: vat_total,
            message: Message {
                en: "The VAT total does not add up: set cac:TaxTotal/cbc:TaxAmount to the sum of the cbc:TaxAmount of its cac:TaxSubtotal elements.",
                nl: "Het btw-totaal klopt niet: zet cac:TaxTotal/cbc:TaxAmount op de som van cbc:TaxAmount van de cac:TaxSubtotal-elementen eronder.",
            },
        }],
    },
    Rule {
        context: &[rel(&[el(Cac, "TaxTotal"), el(Cac, "TaxSubtotal")])],
        asserts: &[
            Assert {
                id: "BR-45",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "TaxableAmount")]),
                message: Message {
                    en: "A VAT breakdown entry has no taxable amount: add cbc:TaxableAmount to the cac:TaxSubtotal.",
                    nl: "Een regel van de btw-specificatie heeft geen grondslag: voeg cbc:TaxableAmount toe aan de cac:TaxSubtotal.",
                },
            },
            Assert {
                id: "BR-46",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "TaxAmount")]),
                message: Message {
                    en: "A VAT breakdown entry has no VAT amount: add cbc:TaxAmount to the cac:TaxSubtotal.",
                    nl: "Een regel van de btw-specificatie heeft geen btw-bedrag: voeg cbc:TaxAmount toe aan de cac:TaxSubtotal.",
                },
            },
            Assert {
                id: "BR-47",
                severity: Severity::Fatal,
                test: |n| vat_category_id(n),
                message: Message {
                    en: "A VAT breakdown entry has no VAT category: add cac:TaxCategory with cbc:ID (such as S) and cac:TaxScheme/cbc:ID VAT to the cac:TaxSubtotal.",
                    nl: "Een regel van de btw-specificatie heeft geen btw-categorie: voeg cac:TaxCategory met cbc:ID (bijvoorbeeld S) en cac:TaxScheme/cbc:ID VAT toe aan de cac:TaxSubtotal.",
                },
            },
            Assert {
                id: "BR-48",
                severity: Severity::Fatal,
                test: |n| {
                    let vat = || n.all(Cac, "TaxCategory").filter(|c| vat_scheme(*c));
                    vat().any(|c| c.child(Cbc, "Percent").is_some())
                        || vat().any(|c| normalized(c, &[(Cbc, "ID")]) == "O")
                },
                message: Message {
                    en: "A VAT breakdown entry has no VAT rate: add cbc:Percent to its cac:TaxCategory (0 for a 0 % category); only category O goes without.",
                    nl: "Een regel van de btw-specificatie heeft geen btw-tarief: voeg cbc:Percent toe aan de cac:TaxCategory (0 bij een categorie van 0 %); alleen categorie O heeft er geen.",
                },
            },
            Assert {
                id: "BR-CO-17",
                severity: Severity::Fatal,
                test: breakdown_vat,
                message: Message {
                    en: "The VAT amount of a VAT breakdown entry is not its taxable amount times its rate: set cbc:TaxAmount to cbc:TaxableAmount × cbc:Percent / 100, rounded to cents.",
                    nl: "Het btw-bedrag van een regel van de btw-specificatie is niet de grondslag maal het tarief: zet cbc:TaxAmount op cbc:TaxableAmount × cbc:Percent / 100, afgerond op centen.",
                },
            },
            Assert {
                id: "BR-DEC-19",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "TaxableAmount")]),
                message: Message {
                    en: "A taxable amount in the VAT breakdown has more than two decimals: round cbc:TaxableAmount to cents.",
                    nl: "Een grondslag in de btw-specificatie heeft meer dan twee decimalen: rond cbc:TaxableAmount af op centen.",
                },
            },
            Assert {
                id: "BR-DEC-20",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "TaxAmount")]),
                message: Message {
                    en: "A VAT amount in the VAT breakdown has more than two decimals: round the cac:TaxSubtotal's cbc:TaxAmount to cents.",
                    nl: "Een btw-bedrag in de btw-specificatie heeft meer dan twee decimalen: rond cbc:TaxAmount van de cac:TaxSubtotal af op centen.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[el_if(Cac, "PartyTaxScheme", vat_scheme)])],
        asserts: &[Assert {
            id: "BR-CO-09",
            severity: Severity::Fatal,
            test: vat_prefix,
            message: Message {
                en: "A VAT number does not start with a country prefix: write cbc:CompanyID with the ISO 3166 code in front, such as NL123456789B01 (EL for Greece).",
                nl: "Een btw-nummer begint niet met een landcode: schrijf cbc:CompanyID met de ISO 3166-code ervoor, bijvoorbeeld NL123456789B01 (EL voor Griekenland).",
            },
        }],
    },
    Rule {
        context: &[Alt {
            rooted: true,
            steps: &[
                ANY,
                el(Cac, "TaxTotal"),
                el(Cac, "TaxSubtotal"),
                el_if(Cac, "TaxCategory", vat::is::<{ vat::AE }>),
            ],
        }],
        asserts: &[
            Assert {
                id: "BR-AE-08",
                severity: Severity::Fatal,
                test: vat::r08_exact::<{ vat::AE }>,
                message: Message {
                    en: "The taxable amount of category AE (reverse charge) in the VAT breakdown is not the AE lines plus their charges minus their allowances: correct cbc:TaxableAmount of this cac:TaxSubtotal, or the categories of the lines, allowances and charges.",
                    nl: "De grondslag van categorie AE (btw verlegd) in de btw-specificatie is niet de AE-regels plus hun toeslagen min hun kortingen: corrigeer cbc:TaxableAmount van deze cac:TaxSubtotal, of de categorieën van de regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-AE-09",
                severity: Severity::Fatal,
                test: vat::r09_zero,
                message: Message {
                    en: "The VAT amount of category AE (reverse charge) in the VAT breakdown is not 0: set cbc:TaxAmount of this cac:TaxSubtotal to 0.",
                    nl: "Het btw-bedrag van categorie AE (btw verlegd) in de btw-specificatie is niet 0: zet cbc:TaxAmount van deze cac:TaxSubtotal op 0.",
                },
            },
            Assert {
                id: "BR-AE-10",
                severity: Severity::Fatal,
                test: vat::r10_reason,
                message: Message {
                    en: "Category AE (reverse charge) in the VAT breakdown has no exemption reason: add cbc:TaxExemptionReasonCode (such as VATEX-EU-AE) or cbc:TaxExemptionReason to its cac:TaxCategory.",
                    nl: "Categorie AE (btw verlegd) in de btw-specificatie heeft geen vrijstellingsreden: voeg cbc:TaxExemptionReasonCode (bijvoorbeeld VATEX-EU-AE) of cbc:TaxExemptionReason toe aan de cac:TaxCategory.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, false)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::AE }>),
        ])],
        asserts: &[Assert {
            id: "BR-AE-06",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::AE }>,
            message: Message {
                en: "The VAT rate of an allowance in category AE (reverse charge) is not 0: set cbc:Percent in its cac:TaxCategory to 0.",
                nl: "Het btw-tarief van een korting in categorie AE (btw verlegd) is niet 0: zet cbc:Percent in de cac:TaxCategory ervan op 0.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, true)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::AE }>),
        ])],
        asserts: &[Assert {
            id: "BR-AE-07",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::AE }>,
            message: Message {
                en: "The VAT rate of a charge in category AE (reverse charge) is not 0: set cbc:Percent in its cac:TaxCategory to 0.",
                nl: "Het btw-tarief van een toeslag in categorie AE (btw verlegd) is niet 0: zet cbc:Percent in de cac:TaxCategory ervan op 0.",
            },
        }],
    },
    Rule {
        context: &[
            rel(&[
                el(Cac, "InvoiceLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::AE }>),
            ]),
            rel(&[
                el(Cac, "CreditNoteLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::AE }>),
            ]),
        ],
        asserts: &[Assert {
            id: "BR-AE-05",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::AE }>,
            message: Message {
                en: "The VAT rate of a line in category AE (reverse charge) is not 0: set cbc:Percent in cac:ClassifiedTaxCategory to 0.",
                nl: "Het btw-tarief van een regel in categorie AE (btw verlegd) is niet 0: zet cbc:Percent in cac:ClassifiedTaxCategory op 0.",
            },
        }],
    },
    Rule {
        context: &[Alt {
            rooted: true,
            steps: &[
                ANY,
                el(Cac, "TaxTotal"),
                el(Cac, "TaxSubtotal"),
                el_if(Cac, "TaxCategory", vat::is::<{ vat::E }>),
            ],
        }],
        asserts: &[
            Assert {
                id: "BR-E-08",
                severity: Severity::Fatal,
                test: vat::r08_exact::<{ vat::E }>,
                message: Message {
                    en: "The taxable amount of category E (exempt from VAT) in the VAT breakdown is not the E lines plus their charges minus their allowances: correct cbc:TaxableAmount of this cac:TaxSubtotal, or the categories of the lines, allowances and charges.",
                    nl: "De grondslag van categorie E (vrijgesteld van btw) in de btw-specificatie is niet de E-regels plus hun toeslagen min hun kortingen: corrigeer cbc:TaxableAmount van deze cac:TaxSubtotal, of de categorieën van de regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-E-09",
                severity: Severity::Fatal,
                test: vat::r09_zero,
                message: Message {
                    en: "The VAT amount of category E (exempt from VAT) in the VAT breakdown is not 0: set cbc:TaxAmount of this cac:TaxSubtotal to 0.",
                    nl: "Het btw-bedrag van categorie E (vrijgesteld van btw) in de btw-specificatie is niet 0: zet cbc:TaxAmount van deze cac:TaxSubtotal op 0.",
                },
            },
            Assert {
                id: "BR-E-10",
                severity: Severity::Fatal,
                test: vat::r10_reason,
                message: Message {
                    en: "Category E (exempt from VAT) in the VAT breakdown has no exemption reason: add cbc:TaxExemptionReasonCode or cbc:TaxExemptionReason to its cac:TaxCategory.",
                    nl: "Categorie E (vrijgesteld van btw) in de btw-specificatie heeft geen vrijstellingsreden: voeg cbc:TaxExemptionReasonCode of cbc:TaxExemptionReason toe aan de cac:TaxCategory.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, false)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::E }>),
        ])],
        asserts: &[Assert {
            id: "BR-E-06",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::E }>,
            message: Message {
                en: "The VAT rate of an allowance in category E (exempt from VAT) is not 0: set cbc:Percent in its cac:TaxCategory to 0.",
                nl: "Het btw-tarief van een korting in categorie E (vrijgesteld van btw) is niet 0: zet cbc:Percent in de cac:TaxCategory ervan op 0.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, true)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::E }>),
        ])],
        asserts: &[Assert {
            id: "BR-E-07",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::E }>,
            message: Message {
                en: "The VAT rate of a charge in category E (exempt from VAT) is not 0: set cbc:Percent in its cac:TaxCategory to 0.",
                nl: "Het btw-tarief van een toeslag in categorie E (vrijgesteld van btw) is niet 0: zet cbc:Percent in de cac:TaxCategory ervan op 0.",
            },
        }],
    },
    Rule {
        context: &[
            rel(&[
                el(Cac, "InvoiceLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::E }>),
            ]),
            rel(&[
                el(Cac, "CreditNoteLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::E }>),
            ]),
        ],
        asserts: &[Assert {
            id: "BR-E-05",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::E }>,
            message: Message {
                en: "The VAT rate of a line in category E (exempt from VAT) is not 0: set cbc:Percent in cac:ClassifiedTaxCategory to 0.",
                nl: "Het btw-tarief van een regel in categorie E (vrijgesteld van btw) is niet 0: zet cbc:Percent in cac:ClassifiedTaxCategory op 0.",
            },
        }],
    },
    Rule {
        context: &[Alt {
            rooted: true,
            steps: &[
                ANY,
                el(Cac, "TaxTotal"),
                el(Cac, "TaxSubtotal"),
                el_if(Cac, "TaxCategory", vat::is::<{ vat::G }>),
            ],
        }],
        asserts: &[
            Assert {
                id: "BR-G-08",
                severity: Severity::Fatal,
                test: vat::r08_exact::<{ vat::G }>,
                message: Message {
                    en: "The taxable amount of category G (export outside the EU) in the VAT breakdown is not the G lines plus their charges minus their allowances: correct cbc:TaxableAmount of this cac:TaxSubtotal, or the categories of the lines, allowances and charges.",
                    nl: "De grondslag van categorie G (export buiten de EU) in de btw-specificatie is niet de G-regels plus hun toeslagen min hun kortingen: corrigeer cbc:TaxableAmount van deze cac:TaxSubtotal, of de categorieën van de regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-G-09",
                severity: Severity::Fatal,
                test: vat::r09_zero,
                message: Message {
                    en: "The VAT amount of category G (export outside the EU) in the VAT breakdown is not 0: set cbc:TaxAmount of this cac:TaxSubtotal to 0.",
                    nl: "Het btw-bedrag van categorie G (export buiten de EU) in de btw-specificatie is niet 0: zet cbc:TaxAmount van deze cac:TaxSubtotal op 0.",
                },
            },
            Assert {
                id: "BR-G-10",
                severity: Severity::Fatal,
                test: vat::r10_reason,
                message: Message {
                    en: "Category G (export outside the EU) in the VAT breakdown has no exemption reason: add cbc:TaxExemptionReasonCode (such as VATEX-EU-G) or cbc:TaxExemptionReason to its cac:TaxCategory.",
                    nl: "Categorie G (export buiten de EU) in de btw-specificatie heeft geen vrijstellingsreden: voeg cbc:TaxExemptionReasonCode (bijvoorbeeld VATEX-EU-G) of cbc:TaxExemptionReason toe aan de cac:TaxCategory.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, false)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::G }>),
        ])],
        asserts: &[Assert {
            id: "BR-G-06",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::G }>,
            message: Message {
                en: "The VAT rate of an allowance in category G (export outside the EU) is not 0: set cbc:Percent in its cac:TaxCategory to 0.",
                nl: "Het btw-tarief van een korting in categorie G (export buiten de EU) is niet 0: zet cbc:Percent in de cac:TaxCategory ervan op 0.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, true)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::G }>),
        ])],
        asserts: &[Assert {
            id: "BR-G-07",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::G }>,
            message: Message {
                en: "The VAT rate of a charge in category G (export outside the EU) is not 0: set cbc:Percent in its cac:TaxCategory to 0.",
                nl: "Het btw-tarief van een toeslag in categorie G (export buiten de EU) is niet 0: zet cbc:Percent in de cac:TaxCategory ervan op 0.",
            },
        }],
    },
    Rule {
        context: &[
            rel(&[
                el(Cac, "InvoiceLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::G }>),
            ]),
            rel(&[
                el(Cac, "CreditNoteLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::G }>),
            ]),
        ],
        asserts: &[Assert {
            id: "BR-G-05",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::G }>,
            message: Message {
                en: "The VAT rate of a line in category G (export outside the EU) is not 0: set cbc:Percent in cac:ClassifiedTaxCategory to 0.",
                nl: "Het btw-tarief van een regel in categorie G (export buiten de EU) is niet 0: zet cbc:Percent in cac:ClassifiedTaxCategory op 0.",
            },
        }],
    },
    Rule {
        context: &[Alt {
            rooted: true,
            steps: &[
                ANY,
                el(Cac, "TaxTotal"),
                el(Cac, "TaxSubtotal"),
                el_if(Cac, "TaxCategory", vat::is::<{ vat::K }>),
            ],
        }],
        asserts: &[
            Assert {
                id: "BR-IC-08",
                severity: Severity::Fatal,
                test: vat::r08_exact::<{ vat::K }>,
                message: Message {
                    en: "The taxable amount of category K (intra-community supply) in the VAT breakdown is not the K lines plus their charges minus their allowances: correct cbc:TaxableAmount of this cac:TaxSubtotal, or the categories of the lines, allowances and charges.",
                    nl: "De grondslag van categorie K (intracommunautaire levering) in de btw-specificatie is niet de K-regels plus hun toeslagen min hun kortingen: corrigeer cbc:TaxableAmount van deze cac:TaxSubtotal, of de categorieën van de regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-IC-09",
                severity: Severity::Fatal,
                test: vat::r09_zero,
                message: Message {
                    en: "The VAT amount of category K (intra-community supply) in the VAT breakdown is not 0: set cbc:TaxAmount of this cac:TaxSubtotal to 0.",
                    nl: "Het btw-bedrag van categorie K (intracommunautaire levering) in de btw-specificatie is niet 0: zet cbc:TaxAmount van deze cac:TaxSubtotal op 0.",
                },
            },
            Assert {
                id: "BR-IC-10",
                severity: Severity::Fatal,
                test: vat::r10_reason,
                message: Message {
                    en: "Category K (intra-community supply) in the VAT breakdown has no exemption reason: add cbc:TaxExemptionReasonCode (such as VATEX-EU-IC) or cbc:TaxExemptionReason to its cac:TaxCategory.",
                    nl: "Categorie K (intracommunautaire levering) in de btw-specificatie heeft geen vrijstellingsreden: voeg cbc:TaxExemptionReasonCode (bijvoorbeeld VATEX-EU-IC) of cbc:TaxExemptionReason toe aan de cac:TaxCategory.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, false)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::K }>),
        ])],
        asserts: &[Assert {
            id: "BR-IC-06",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::K }>,
            message: Message {
                en: "The VAT rate of an allowance in category K (intra-community supply) is not 0: set cbc:Percent in its cac:TaxCategory to 0.",
                nl: "Het btw-tarief van een korting in categorie K (intracommunautaire levering) is niet 0: zet cbc:Percent in de cac:TaxCategory ervan op 0.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, true)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::K }>),
        ])],
        asserts: &[Assert {
            id: "BR-IC-07",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::K }>,
            message: Message {
                en: "The VAT rate of a charge in category K (intra-community supply) is not 0: set cbc:Percent in its cac:TaxCategory to 0.",
                nl: "Het btw-tarief van een toeslag in categorie K (intracommunautaire levering) is niet 0: zet cbc:Percent in de cac:TaxCategory ervan op 0.",
            },
        }],
    },
    Rule {
        context: &[
            rel(&[
                el(Cac, "InvoiceLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::K }>),
            ]),
            rel(&[
                el(Cac, "CreditNoteLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::K }>),
            ]),
        ],
        asserts: &[Assert {
            id: "BR-IC-05",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::K }>,
            message: Message {
                en: "The VAT rate of a line in category K (intra-community supply) is not 0: set cbc:Percent in cac:ClassifiedTaxCategory to 0.",
                nl: "Het btw-tarief van een regel in categorie K (intracommunautaire levering) is niet 0: zet cbc:Percent in cac:ClassifiedTaxCategory op 0.",
            },
        }],
    },
    Rule {
        context: &[Alt {
            rooted: true,
            steps: &[
                ANY,
                el(Cac, "TaxTotal"),
                el(Cac, "TaxSubtotal"),
                el_if(Cac, "TaxCategory", vat::is::<{ vat::L }>),
            ],
        }],
        asserts: &[
            Assert {
                id: "BR-AF-08",
                severity: Severity::Fatal,
                test: vat::r08_rate::<{ vat::L }>,
                message: Message {
                    en: "The taxable amount of category L (IGIC, Canary Islands) at this rate in the VAT breakdown is not the L lines at that rate plus their charges minus their allowances: correct cbc:TaxableAmount of this cac:TaxSubtotal, or the categories and rates of the lines, allowances and charges.",
                    nl: "De grondslag van categorie L (IGIC, Canarische Eilanden) tegen dit tarief in de btw-specificatie is niet de L-regels tegen dat tarief plus hun toeslagen min hun kortingen: corrigeer cbc:TaxableAmount van deze cac:TaxSubtotal, of de categorieën en tarieven van de regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-AF-09",
                severity: Severity::Fatal,
                test: vat::r09_rate,
                message: Message {
                    en: "The VAT amount of category L (IGIC, Canary Islands) in the VAT breakdown is not its taxable amount times its rate: set cbc:TaxAmount of this cac:TaxSubtotal to cbc:TaxableAmount × cbc:Percent / 100, rounded to cents.",
                    nl: "Het btw-bedrag van categorie L (IGIC, Canarische Eilanden) in de btw-specificatie is niet de grondslag maal het tarief: zet cbc:TaxAmount van deze cac:TaxSubtotal op cbc:TaxableAmount × cbc:Percent / 100, afgerond op centen.",
                },
            },
            Assert {
                id: "BR-AF-10",
                severity: Severity::Fatal,
                test: vat::r10_none,
                message: Message {
                    en: "Category L (IGIC, Canary Islands) in the VAT breakdown has an exemption reason: remove cbc:TaxExemptionReason and cbc:TaxExemptionReasonCode from its cac:TaxCategory, or use the exempt category that applies.",
                    nl: "Categorie L (IGIC, Canarische Eilanden) in de btw-specificatie heeft een vrijstellingsreden: verwijder cbc:TaxExemptionReason en cbc:TaxExemptionReasonCode uit de cac:TaxCategory, of gebruik de vrijgestelde categorie die van toepassing is.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, false)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::L }>),
        ])],
        asserts: &[Assert {
            id: "BR-AF-06",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::L }>,
            message: Message {
                en: "The VAT rate of an allowance in category L (IGIC, Canary Islands) is missing or negative: give a rate of 0 or more in cbc:Percent of its cac:TaxCategory.",
                nl: "Het btw-tarief van een korting in categorie L (IGIC, Canarische Eilanden) ontbreekt of is negatief: geef een tarief van 0 of meer in cbc:Percent van de cac:TaxCategory ervan.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, true)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::L }>),
        ])],
        asserts: &[Assert {
            id: "BR-AF-07",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::L }>,
            message: Message {
                en: "The VAT rate of a charge in category L (IGIC, Canary Islands) is missing or negative: give a rate of 0 or more in cbc:Percent of its cac:TaxCategory.",
                nl: "Het btw-tarief van een toeslag in categorie L (IGIC, Canarische Eilanden) ontbreekt of is negatief: geef een tarief van 0 of meer in cbc:Percent van de cac:TaxCategory ervan.",
            },
        }],
    },
    Rule {
        context: &[
            rel(&[
                el(Cac, "InvoiceLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::L }>),
            ]),
            rel(&[
                el(Cac, "CreditNoteLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::L }>),
            ]),
        ],
        asserts: &[Assert {
            id: "BR-AF-05",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::L }>,
            message: Message {
                en: "The VAT rate of a line in category L (IGIC, Canary Islands) is missing or negative: give a rate of 0 or more in cbc:Percent of cac:ClassifiedTaxCategory.",
                nl: "Het btw-tarief van een regel in categorie L (IGIC, Canarische Eilanden) ontbreekt of is negatief: geef een tarief van 0 of meer in cbc:Percent van cac:ClassifiedTaxCategory.",
            },
        }],
    },
    Rule {
        context: &[Alt {
            rooted: true,
            steps: &[
                ANY,
                el(Cac, "TaxTotal"),
                el(Cac, "TaxSubtotal"),
                el_if(Cac, "TaxCategory", vat::is::<{ vat::M }>),
            ],
        }],
        asserts: &[
            Assert {
                id: "BR-AG-08",
                severity: Severity::Fatal,
                test: vat::r08_rate::<{ vat::M }>,
                message: Message {
                    en: "The taxable amount of category M (IPSI, Ceuta and Melilla) at this rate in the VAT breakdown is not the M lines at that rate plus their charges minus their allowances: correct cbc:TaxableAmount of this cac:TaxSubtotal, or the categories and rates of the lines, allowances and charges.",
                    nl: "De grondslag van categorie M (IPSI, Ceuta en Melilla) tegen dit tarief in de btw-specificatie is niet de M-regels tegen dat tarief plus hun toeslagen min hun kortingen: corrigeer cbc:TaxableAmount van deze cac:TaxSubtotal, of de categorieën en tarieven van de regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-AG-09",
                severity: Severity::Fatal,
                test: vat::r09_rate,
                message: Message {
                    en: "The VAT amount of category M (IPSI, Ceuta and Melilla) in the VAT breakdown is not its taxable amount times its rate: set cbc:TaxAmount of this cac:TaxSubtotal to cbc:TaxableAmount × cbc:Percent / 100, rounded to cents.",
                    nl: "Het btw-bedrag van categorie M (IPSI, Ceuta en Melilla) in de btw-specificatie is niet de grondslag maal het tarief: zet cbc:TaxAmount van deze cac:TaxSubtotal op cbc:TaxableAmount × cbc:Percent / 100, afgerond op centen.",
                },
            },
            Assert {
                id: "BR-AG-10",
                severity: Severity::Fatal,
                test: vat::r10_none,
                message: Message {
                    en: "Category M (IPSI, Ceuta and Melilla) in the VAT breakdown has an exemption reason: remove cbc:TaxExemptionReason and cbc:TaxExemptionReasonCode from its cac:TaxCategory, or use the exempt category that applies.",
                    nl: "Categorie M (IPSI, Ceuta en Melilla) in de btw-specificatie heeft een vrijstellingsreden: verwijder cbc:TaxExemptionReason en cbc:TaxExemptionReasonCode uit de cac:TaxCategory, of gebruik de vrijgestelde categorie die van toepassing is.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, false)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::M }>),
        ])],
        asserts: &[Assert {
            id: "BR-AG-06",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::M }>,
            message: Message {
                en: "The VAT rate of an allowance in category M (IPSI, Ceuta and Melilla) is missing or negative: give a rate of 0 or more in cbc:Percent of its cac:TaxCategory.",
                nl: "Het btw-tarief van een korting in categorie M (IPSI, Ceuta en Melilla) ontbreekt of is negatief: geef een tarief van 0 of meer in cbc:Percent van de cac:TaxCategory ervan.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, true)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::M }>),
        ])],
        asserts: &[Assert {
            id: "BR-AG-07",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::M }>,
            message: Message {
                en: "The VAT rate of a charge in category M (IPSI, Ceuta and Melilla) is missing or negative: give a rate of 0 or more in cbc:Percent of its cac:TaxCategory.",
                nl: "Het btw-tarief van een toeslag in categorie M (IPSI, Ceuta en Melilla) ontbreekt of is negatief: geef een tarief van 0 of meer in cbc:Percent van de cac:TaxCategory ervan.",
            },
        }],
    },
    Rule {
        context: &[
            rel(&[
                el(Cac, "InvoiceLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::M }>),
            ]),
            rel(&[
                el(Cac, "CreditNoteLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::M }>),
            ]),
        ],
        asserts: &[Assert {
            id: "BR-AG-05",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::M }>,
            message: Message {
                en: "The VAT rate of a line in category M (IPSI, Ceuta and Melilla) is missing or negative: give a rate of 0 or more in cbc:Percent of cac:ClassifiedTaxCategory.",
                nl: "Het btw-tarief van een regel in categorie M (IPSI, Ceuta en Melilla) ontbreekt of is negatief: geef een tarief van 0 of meer in cbc:Percent van cac:ClassifiedTaxCategory.",
            },
        }],
    },
    Rule {
        context: &[Alt {
            rooted: true,
            steps: &[
                ANY,
                el(Cac, "TaxTotal"),
                el(Cac, "TaxSubtotal"),
                el_if(Cac, "TaxCategory", vat::is::<{ vat::O }>),
            ],
        }],
        asserts: &[
            Assert {
                id: "BR-O-08",
                severity: Severity::Fatal,
                test: vat::r08_exact::<{ vat::O }>,
                message: Message {
                    en: "The taxable amount of category O (not subject to VAT) in the VAT breakdown is not the O lines plus their charges minus their allowances: correct cbc:TaxableAmount of this cac:TaxSubtotal, or the categories of the lines, allowances and charges.",
                    nl: "De grondslag van categorie O (niet onderworpen aan btw) in de btw-specificatie is niet de O-regels plus hun toeslagen min hun kortingen: corrigeer cbc:TaxableAmount van deze cac:TaxSubtotal, of de categorieën van de regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-O-09",
                severity: Severity::Fatal,
                test: vat::r09_zero,
                message: Message {
                    en: "The VAT amount of category O (not subject to VAT) in the VAT breakdown is not 0: set cbc:TaxAmount of this cac:TaxSubtotal to 0.",
                    nl: "Het btw-bedrag van categorie O (niet onderworpen aan btw) in de btw-specificatie is niet 0: zet cbc:TaxAmount van deze cac:TaxSubtotal op 0.",
                },
            },
            Assert {
                id: "BR-O-10",
                severity: Severity::Fatal,
                test: vat::r10_reason,
                message: Message {
                    en: "Category O (not subject to VAT) in the VAT breakdown has no exemption reason: add cbc:TaxExemptionReasonCode (such as VATEX-EU-O) or cbc:TaxExemptionReason to its cac:TaxCategory.",
                    nl: "Categorie O (niet onderworpen aan btw) in de btw-specificatie heeft geen vrijstellingsreden: voeg cbc:TaxExemptionReasonCode (bijvoorbeeld VATEX-EU-O) of cbc:TaxExemptionReason toe aan de cac:TaxCategory.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, false)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::O }>),
        ])],
        asserts: &[Assert {
            id: "BR-O-06",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::O }>,
            message: Message {
                en: "An allowance in category O (not subject to VAT) has a VAT rate: remove cbc:Percent from its cac:TaxCategory.",
                nl: "Een korting in categorie O (niet onderworpen aan btw) heeft een btw-tarief: verwijder cbc:Percent uit de cac:TaxCategory ervan.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, true)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::O }>),
        ])],
        asserts: &[Assert {
            id: "BR-O-07",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::O }>,
            message: Message {
                en: "A charge in category O (not subject to VAT) has a VAT rate: remove cbc:Percent from its cac:TaxCategory.",
                nl: "Een toeslag in categorie O (niet onderworpen aan btw) heeft een btw-tarief: verwijder cbc:Percent uit de cac:TaxCategory ervan.",
            },
        }],
    },
    Rule {
        context: &[
            rel(&[
                el(Cac, "InvoiceLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::O }>),
            ]),
            rel(&[
                el(Cac, "CreditNoteLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::O }>),
            ]),
        ],
        asserts: &[Assert {
            id: "BR-O-05",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::O }>,
            message: Message {
                en: "A line in category O (not subject to VAT) has a VAT rate: remove cbc:Percent from cac:ClassifiedTaxCategory.",
                nl: "Een regel in categorie O (niet onderworpen aan btw) heeft een btw-tarief: verwijder cbc:Percent uit cac:ClassifiedTaxCategory.",
            },
        }],
    },
    Rule {
        context: &[Alt {
            rooted: true,
            steps: &[
                ANY,
                el(Cac, "TaxTotal"),
                el(Cac, "TaxSubtotal"),
                el_if(Cac, "TaxCategory", vat::is::<{ vat::S }>),
            ],
        }],
        asserts: &[
            Assert {
                id: "BR-S-08",
                severity: Severity::Fatal,
                test: vat::r08_rate::<{ vat::S }>,
                message: Message {
                    en: "The taxable amount of category S (standard rate) at this rate in the VAT breakdown is not the S lines at that rate plus their charges minus their allowances: correct cbc:TaxableAmount of this cac:TaxSubtotal, or the categories and rates of the lines, allowances and charges.",
                    nl: "De grondslag van categorie S (standaardtarief) tegen dit tarief in de btw-specificatie is niet de S-regels tegen dat tarief plus hun toeslagen min hun kortingen: corrigeer cbc:TaxableAmount van deze cac:TaxSubtotal, of de categorieën en tarieven van de regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-S-09",
                severity: Severity::Fatal,
                test: vat::r09_rate,
                message: Message {
                    en: "The VAT amount of category S (standard rate) in the VAT breakdown is not its taxable amount times its rate: set cbc:TaxAmount of this cac:TaxSubtotal to cbc:TaxableAmount × cbc:Percent / 100, rounded to cents.",
                    nl: "Het btw-bedrag van categorie S (standaardtarief) in de btw-specificatie is niet de grondslag maal het tarief: zet cbc:TaxAmount van deze cac:TaxSubtotal op cbc:TaxableAmount × cbc:Percent / 100, afgerond op centen.",
                },
            },
            Assert {
                id: "BR-S-10",
                severity: Severity::Fatal,
                test: vat::r10_none,
                message: Message {
                    en: "Category S (standard rate) in the VAT breakdown has an exemption reason: remove cbc:TaxExemptionReason and cbc:TaxExemptionReasonCode from its cac:TaxCategory, or use the exempt category that applies.",
                    nl: "Categorie S (standaardtarief) in de btw-specificatie heeft een vrijstellingsreden: verwijder cbc:TaxExemptionReason en cbc:TaxExemptionReasonCode uit de cac:TaxCategory, of gebruik de vrijgestelde categorie die van toepassing is.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, false)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::S }>),
        ])],
        asserts: &[Assert {
            id: "BR-S-06",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::S }>,
            message: Message {
                en: "The VAT rate of an allowance in category S (standard rate) is missing or not above 0: give the rate in cbc:Percent of its cac:TaxCategory, such as 21, or use the category that fits a 0 % rate.",
                nl: "Het btw-tarief van een korting in categorie S (standaardtarief) ontbreekt of is niet hoger dan 0: geef het tarief in cbc:Percent van de cac:TaxCategory ervan, bijvoorbeeld 21, of gebruik de categorie die bij een tarief van 0 % hoort.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, true)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::S }>),
        ])],
        asserts: &[Assert {
            id: "BR-S-07",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::S }>,
            message: Message {
                en: "The VAT rate of a charge in category S (standard rate) is missing or not above 0: give the rate in cbc:Percent of its cac:TaxCategory, such as 21, or use the category that fits a 0 % rate.",
                nl: "Het btw-tarief van een toeslag in categorie S (standaardtarief) ontbreekt of is niet hoger dan 0: geef het tarief in cbc:Percent van de cac:TaxCategory ervan, bijvoorbeeld 21, of gebruik de categorie die bij een tarief van 0 % hoort.",
            },
        }],
    },
    Rule {
        context: &[
            rel(&[
                el(Cac, "InvoiceLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::S }>),
            ]),
            rel(&[
                el(Cac, "CreditNoteLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::S }>),
            ]),
        ],
        asserts: &[Assert {
            id: "BR-S-05",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::S }>,
            message: Message {
                en: "The VAT rate of a line in category S (standard rate) is missing or not above 0: give the rate in cbc:Percent of cac:ClassifiedTaxCategory, such as 21, or use the category that fits a 0 % rate.",
                nl: "Het btw-tarief van een regel in categorie S (standaardtarief) ontbreekt of is niet hoger dan 0: geef het tarief in cbc:Percent van cac:ClassifiedTaxCategory, bijvoorbeeld 21, of gebruik de categorie die bij een tarief van 0 % hoort.",
            },
        }],
    },
    Rule {
        context: &[Alt {
            rooted: true,
            steps: &[
                ANY,
                el(Cac, "TaxTotal"),
                el(Cac, "TaxSubtotal"),
                el_if(Cac, "TaxCategory", vat::is::<{ vat::Z }>),
            ],
        }],
        asserts: &[
            Assert {
                id: "BR-Z-08",
                severity: Severity::Fatal,
                test: vat::r08_exact::<{ vat::Z }>,
                message: Message {
                    en: "The taxable amount of category Z (zero rate) in the VAT breakdown is not the Z lines plus their charges minus their allowances: correct cbc:TaxableAmount of this cac:TaxSubtotal, or the categories of the lines, allowances and charges.",
                    nl: "De grondslag van categorie Z (nultarief) in de btw-specificatie is niet de Z-regels plus hun toeslagen min hun kortingen: corrigeer cbc:TaxableAmount van deze cac:TaxSubtotal, of de categorieën van de regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-Z-09",
                severity: Severity::Fatal,
                test: vat::r09_zero,
                message: Message {
                    en: "The VAT amount of category Z (zero rate) in the VAT breakdown is not 0: set cbc:TaxAmount of this cac:TaxSubtotal to 0.",
                    nl: "Het btw-bedrag van categorie Z (nultarief) in de btw-specificatie is niet 0: zet cbc:TaxAmount van deze cac:TaxSubtotal op 0.",
                },
            },
            Assert {
                id: "BR-Z-10",
                severity: Severity::Fatal,
                test: vat::r10_none,
                message: Message {
                    en: "Category Z (zero rate) in the VAT breakdown has an exemption reason: remove cbc:TaxExemptionReason and cbc:TaxExemptionReasonCode from its cac:TaxCategory, or use the exempt category that applies.",
                    nl: "Categorie Z (nultarief) in de btw-specificatie heeft een vrijstellingsreden: verwijder cbc:TaxExemptionReason en cbc:TaxExemptionReasonCode uit de cac:TaxCategory, of gebruik de vrijgestelde categorie die van toepassing is.",
                },
            },
        ],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, false)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::Z }>),
        ])],
        asserts: &[Assert {
            id: "BR-Z-06",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::Z }>,
            message: Message {
                en: "The VAT rate of an allowance in category Z (zero rate) is not 0: set cbc:Percent in its cac:TaxCategory to 0.",
                nl: "Het btw-tarief van een korting in categorie Z (nultarief) is niet 0: zet cbc:Percent in de cac:TaxCategory ervan op 0.",
            },
        }],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "AllowanceCharge", |n| charge_indicator_is(n, true)),
            el_if(Cac, "TaxCategory", vat::is::<{ vat::Z }>),
        ])],
        asserts: &[Assert {
            id: "BR-Z-07",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::Z }>,
            message: Message {
                en: "The VAT rate of a charge in category Z (zero rate) is not 0: set cbc:Percent in its cac:TaxCategory to 0.",
                nl: "Het btw-tarief van een toeslag in categorie Z (nultarief) is niet 0: zet cbc:Percent in de cac:TaxCategory ervan op 0.",
            },
        }],
    },
    Rule {
        context: &[
            rel(&[
                el(Cac, "InvoiceLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::Z }>),
            ]),
            rel(&[
                el(Cac, "CreditNoteLine"),
                el(Cac, "Item"),
                el_if(Cac, "ClassifiedTaxCategory", vat::is::<{ vat::Z }>),
            ]),
        ],
        asserts: &[Assert {
            id: "BR-Z-05",
            severity: Severity::Fatal,
            test: vat::r05::<{ vat::Z }>,
            message: Message {
                en: "The VAT rate of a line in category Z (zero rate) is not 0: set cbc:Percent in cac:ClassifiedTaxCategory to 0.",
                nl: "Het btw-tarief van een regel in categorie Z (nultarief) is niet 0: zet cbc:Percent in cac:ClassifiedTaxCategory op 0.",
            },
        }],
    },
];
