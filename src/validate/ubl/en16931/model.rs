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
            let currency = first(n, &[(Cbc, "DocumentCurrencyCode")]).map(string)?;
            let vat = vat_in(n, &currency).ok()?;
            let totals = n.child(Cac, "LegalMonetaryTotal")?;
            let of = |name: &str| dec(totals, &[(Cbc, name)]).ok().flatten();
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
                _ => ("0", Some(Decimal::ZERO)),
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
        _ => vat::values(id, n),
    }
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
                en: "A supporting document has no reference (cbc:ID).",
                nl: "Een bijlage of ondersteunend document heeft geen referentie (cbc:ID).",
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
                en: "The buyer's electronic address has no scheme (schemeID).",
                nl: "Het elektronisch adres van de afnemer heeft geen schema (schemeID).",
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
                en: "The buyer's address has no country code.",
                nl: "Het adres van de afnemer heeft geen landcode.",
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
                en: "A payment card number should show at most its last digits (10 characters or fewer).",
                nl: "Van een betaalkaartnummer horen hooguit de laatste cijfers te staan (10 tekens of minder).",
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
                en: "The delivery address has no country code.",
                nl: "Het afleveradres heeft geen landcode.",
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
                    en: "A document-level allowance has no amount.",
                    nl: "Een korting op documentniveau heeft geen bedrag.",
                },
            },
            Assert {
                id: "BR-32",
                severity: Severity::Fatal,
                test: |n| vat_category_id(n),
                message: Message {
                    en: "A document-level allowance has no VAT category code.",
                    nl: "Een korting op documentniveau heeft geen btw-categoriecode.",
                },
            },
            Assert {
                id: "BR-33",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A document-level allowance has neither a reason nor a reason code.",
                    nl: "Een korting op documentniveau heeft geen reden en geen redencode.",
                },
            },
            Assert {
                id: "BR-CO-05",
                severity: Severity::Fatal,
                test: |_| true,
                message: Message {
                    en: "(Always met: the code list of reasons is checked elsewhere.)",
                    nl: "(Altijd voldaan: de redencodes worden elders gecontroleerd.)",
                },
            },
            Assert {
                id: "BR-CO-21",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A document-level allowance has neither a reason nor a reason code.",
                    nl: "Een korting op documentniveau heeft geen reden en geen redencode.",
                },
            },
            Assert {
                id: "BR-DEC-01",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "Amount")]),
                message: Message {
                    en: "The amount of a document-level allowance has more than two decimals.",
                    nl: "Het bedrag van een korting op documentniveau heeft meer dan twee decimalen.",
                },
            },
            Assert {
                id: "BR-DEC-02",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "BaseAmount")]),
                message: Message {
                    en: "The base amount of a document-level allowance has more than two decimals.",
                    nl: "Het basisbedrag van een korting op documentniveau heeft meer dan twee decimalen.",
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
                    en: "A document-level charge has no amount.",
                    nl: "Een toeslag op documentniveau heeft geen bedrag.",
                },
            },
            Assert {
                id: "BR-37",
                severity: Severity::Fatal,
                test: |n| vat_category_id(n),
                message: Message {
                    en: "A document-level charge has no VAT category code.",
                    nl: "Een toeslag op documentniveau heeft geen btw-categoriecode.",
                },
            },
            Assert {
                id: "BR-38",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A document-level charge has neither a reason nor a reason code.",
                    nl: "Een toeslag op documentniveau heeft geen reden en geen redencode.",
                },
            },
            Assert {
                id: "BR-CO-06",
                severity: Severity::Fatal,
                test: |_| true,
                message: Message {
                    en: "(Always met: the code list of reasons is checked elsewhere.)",
                    nl: "(Altijd voldaan: de redencodes worden elders gecontroleerd.)",
                },
            },
            Assert {
                id: "BR-CO-22",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A document-level charge has neither a reason nor a reason code.",
                    nl: "Een toeslag op documentniveau heeft geen reden en geen redencode.",
                },
            },
            Assert {
                id: "BR-DEC-05",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "Amount")]),
                message: Message {
                    en: "The amount of a document-level charge has more than two decimals.",
                    nl: "Het bedrag van een toeslag op documentniveau heeft meer dan twee decimalen.",
                },
            },
            Assert {
                id: "BR-DEC-06",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "BaseAmount")]),
                message: Message {
                    en: "The base amount of a document-level charge has more than two decimals.",
                    nl: "Het basisbedrag van een toeslag op documentniveau heeft meer dan twee decimalen.",
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
                    en: "The document totals lack the sum of line net amounts (LineExtensionAmount).",
                    nl: "De documenttotalen missen de som van de regelbedragen (LineExtensionAmount).",
                },
            },
            Assert {
                id: "BR-13",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "TaxExclusiveAmount")]),
                message: Message {
                    en: "The document totals lack the total without VAT (TaxExclusiveAmount).",
                    nl: "De documenttotalen missen het totaal exclusief btw (TaxExclusiveAmount).",
                },
            },
            Assert {
                id: "BR-14",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "TaxInclusiveAmount")]),
                message: Message {
                    en: "The document totals lack the total with VAT (TaxInclusiveAmount).",
                    nl: "De documenttotalen missen het totaal inclusief btw (TaxInclusiveAmount).",
                },
            },
            Assert {
                id: "BR-15",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "PayableAmount")]),
                message: Message {
                    en: "The document totals lack the amount due (PayableAmount).",
                    nl: "De documenttotalen missen het te betalen bedrag (PayableAmount).",
                },
            },
            Assert {
                id: "BR-CO-10",
                severity: Severity::Fatal,
                test: lines_sum,
                message: Message {
                    en: "The sum of line net amounts is not the sum of the lines.",
                    nl: "Het totaal van de regelbedragen is niet de som van de regels.",
                },
            },
            Assert {
                id: "BR-CO-11",
                severity: Severity::Fatal,
                test: |n| allowance_total(n, false),
                message: Message {
                    en: "The allowance total is not the sum of the document-level allowances.",
                    nl: "Het totaal van de kortingen is niet de som van de kortingen op documentniveau.",
                },
            },
            Assert {
                id: "BR-CO-12",
                severity: Severity::Fatal,
                test: |n| allowance_total(n, true),
                message: Message {
                    en: "The charge total is not the sum of the document-level charges.",
                    nl: "Het totaal van de toeslagen is niet de som van de toeslagen op documentniveau.",
                },
            },
            Assert {
                id: "BR-CO-13",
                severity: Severity::Fatal,
                test: tax_exclusive_total,
                message: Message {
                    en: "The total without VAT is not the line total plus charges minus allowances.",
                    nl: "Het totaal exclusief btw is niet het regeltotaal plus toeslagen min kortingen.",
                },
            },
            Assert {
                id: "BR-CO-16",
                severity: Severity::Fatal,
                test: amount_due,
                message: Message {
                    en: "The amount due is not the total with VAT minus the amount paid, plus rounding.",
                    nl: "Het te betalen bedrag is niet het totaal inclusief btw min het vooruitbetaalde bedrag, plus afronding.",
                },
            },
            Assert {
                id: "BR-DEC-09",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "LineExtensionAmount")]),
                message: Message {
                    en: "The document total LineExtensionAmount has more than two decimals.",
                    nl: "Het documenttotaal LineExtensionAmount heeft meer dan twee decimalen.",
                },
            },
            Assert {
                id: "BR-DEC-10",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "AllowanceTotalAmount")]),
                message: Message {
                    en: "The document total AllowanceTotalAmount has more than two decimals.",
                    nl: "Het documenttotaal AllowanceTotalAmount heeft meer dan twee decimalen.",
                },
            },
            Assert {
                id: "BR-DEC-11",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "ChargeTotalAmount")]),
                message: Message {
                    en: "The document total ChargeTotalAmount has more than two decimals.",
                    nl: "Het documenttotaal ChargeTotalAmount heeft meer dan twee decimalen.",
                },
            },
            Assert {
                id: "BR-DEC-12",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "TaxExclusiveAmount")]),
                message: Message {
                    en: "The document total TaxExclusiveAmount has more than two decimals.",
                    nl: "Het documenttotaal TaxExclusiveAmount heeft meer dan twee decimalen.",
                },
            },
            Assert {
                id: "BR-DEC-14",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "TaxInclusiveAmount")]),
                message: Message {
                    en: "The document total TaxInclusiveAmount has more than two decimals.",
                    nl: "Het documenttotaal TaxInclusiveAmount heeft meer dan twee decimalen.",
                },
            },
            Assert {
                id: "BR-DEC-16",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "PrepaidAmount")]),
                message: Message {
                    en: "The document total PrepaidAmount has more than two decimals.",
                    nl: "Het documenttotaal PrepaidAmount heeft meer dan twee decimalen.",
                },
            },
            Assert {
                id: "BR-DEC-17",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "PayableRoundingAmount")]),
                message: Message {
                    en: "The document total PayableRoundingAmount has more than two decimals.",
                    nl: "Het documenttotaal PayableRoundingAmount heeft meer dan twee decimalen.",
                },
            },
            Assert {
                id: "BR-DEC-18",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "PayableAmount")]),
                message: Message {
                    en: "The document total PayableAmount has more than two decimals.",
                    nl: "Het documenttotaal PayableAmount heeft meer dan twee decimalen.",
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
                    en: "The document does not say which specification it follows (CustomizationID).",
                    nl: "Het document zegt niet welke specificatie het volgt (CustomizationID).",
                },
            },
            Assert {
                id: "BR-02",
                severity: Severity::Fatal,
                test: |n| filled(n, &[(Cbc, "ID")]),
                message: Message {
                    en: "The document has no invoice number.",
                    nl: "Het document heeft geen factuurnummer.",
                },
            },
            Assert {
                id: "BR-03",
                severity: Severity::Fatal,
                test: |n| filled(n, &[(Cbc, "IssueDate")]),
                message: Message {
                    en: "The document has no issue date.",
                    nl: "Het document heeft geen factuurdatum.",
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
                    en: "The document has no type code.",
                    nl: "Het document heeft geen documentsoortcode.",
                },
            },
            Assert {
                id: "BR-05",
                severity: Severity::Fatal,
                test: |n| filled(n, &[(Cbc, "DocumentCurrencyCode")]),
                message: Message {
                    en: "The document has no currency code.",
                    nl: "Het document heeft geen valutacode.",
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
                    en: "The seller's registered name is missing.",
                    nl: "De statutaire naam van de leverancier ontbreekt.",
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
                    en: "The buyer's registered name is missing.",
                    nl: "De statutaire naam van de afnemer ontbreekt.",
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
                    en: "The seller's postal address is missing.",
                    nl: "Het postadres van de leverancier ontbreekt.",
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
                    en: "The buyer's postal address is missing.",
                    nl: "Het postadres van de afnemer ontbreekt.",
                },
            },
            Assert {
                id: "BR-16",
                severity: Severity::Fatal,
                test: |n| {
                    exists(n, &[(Cac, "InvoiceLine")]) || exists(n, &[(Cac, "CreditNoteLine")])
                },
                message: Message {
                    en: "The document has no lines.",
                    nl: "Het document heeft geen regels.",
                },
            },
            Assert {
                id: "BR-53",
                severity: Severity::Fatal,
                test: vat_currency_total,
                message: Message {
                    en: "A VAT accounting currency is given without a VAT total in that currency.",
                    nl: "Er is een btw-valuta opgegeven zonder btw-totaal in die valuta.",
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
                    en: "A VAT point date and a VAT point date code cannot both be given.",
                    nl: "Een btw-moment en een code voor het btw-moment kunnen niet allebei gegeven worden.",
                },
            },
            Assert {
                id: "BR-CO-18",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cac, "TaxTotal"), (Cac, "TaxSubtotal")]),
                message: Message {
                    en: "The document has no VAT breakdown.",
                    nl: "Het document heeft geen btw-specificatie.",
                },
            },
            Assert {
                id: "BR-CO-15",
                severity: Severity::Fatal,
                test: total_with_vat,
                message: Message {
                    en: "The total with VAT is not the total without VAT plus the VAT total (or there is not exactly one VAT total in the document currency).",
                    nl: "Het totaal inclusief btw is niet het totaal exclusief btw plus het btw-totaal (of er is niet precies een btw-totaal in de documentvaluta).",
                },
            },
            Assert {
                id: "BR-DEC-13",
                severity: Severity::Fatal,
                test: |_| true,
                message: Message {
                    en: "(Always met as the official rule is written: it compares the currency with a child element the VAT amount cannot have.)",
                    nl: "(Altijd voldaan zoals de officiele regel geschreven is: die vergelijkt de valuta met een kindelement dat het btw-bedrag niet kan hebben.)",
                },
            },
            Assert {
                id: "BR-DEC-15",
                severity: Severity::Fatal,
                test: |_| true,
                message: Message {
                    en: "(Always met as the official rule is written: it compares the currency with a child element the VAT amount cannot have.)",
                    nl: "(Altijd voldaan zoals de officiele regel geschreven is: die vergelijkt de valuta met een kindelement dat het btw-bedrag niet kan hebben.)",
                },
            },
            Assert {
                id: "BR-AE-01",
                severity: Severity::Fatal,
                test: vat::r01_one::<{ vat::AE }>,
                message: Message {
                    en: "The VAT breakdown does not match the use of category AE (reverse charge) on lines, allowances and charges.",
                    nl: "De btw-specificatie klopt niet met het gebruik van categorie AE (btw verlegd) op regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-AE-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::AE }>,
                message: Message {
                    en: "Lines in category AE (reverse charge) require the seller's VAT number (or the tax representative's) and the buyer's VAT number or legal registration number.",
                    nl: "Regels in categorie AE (btw verlegd) vereisen het btw-nummer van de leverancier (of van de fiscaal vertegenwoordiger) en het btw-nummer of registratienummer van de afnemer.",
                },
            },
            Assert {
                id: "BR-AE-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::AE }>,
                message: Message {
                    en: "Document allowances in category AE (reverse charge) require the seller's VAT number (or the tax representative's) and the buyer's VAT number or legal registration number.",
                    nl: "Kortingen in categorie AE (btw verlegd) vereisen het btw-nummer van de leverancier (of van de fiscaal vertegenwoordiger) en het btw-nummer of registratienummer van de afnemer.",
                },
            },
            Assert {
                id: "BR-AE-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::AE }>,
                message: Message {
                    en: "Charges in category AE (reverse charge) require the seller's VAT number (or the tax representative's) and the buyer's VAT number or legal registration number.",
                    nl: "Toeslagen in categorie AE (btw verlegd) vereisen het btw-nummer van de leverancier (of van de fiscaal vertegenwoordiger) en het btw-nummer of registratienummer van de afnemer.",
                },
            },
            Assert {
                id: "BR-E-01",
                severity: Severity::Fatal,
                test: vat::r01_one::<{ vat::E }>,
                message: Message {
                    en: "The VAT breakdown does not match the use of category E (exempt from VAT) on lines, allowances and charges.",
                    nl: "De btw-specificatie klopt niet met het gebruik van categorie E (vrijgesteld van btw) op regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-E-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::E }>,
                message: Message {
                    en: "Lines in category E (exempt from VAT) require the seller's VAT identifier (or the tax representative's VAT number).",
                    nl: "Regels in categorie E (vrijgesteld van btw) vereisen het btw-kenmerk van de leverancier (of het btw-nummer van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-E-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::E }>,
                message: Message {
                    en: "Document allowances in category E (exempt from VAT) require the seller's VAT identifier (or the tax representative's VAT number).",
                    nl: "Kortingen in categorie E (vrijgesteld van btw) vereisen het btw-kenmerk van de leverancier (of het btw-nummer van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-E-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::E }>,
                message: Message {
                    en: "Charges in category E (exempt from VAT) require the seller's VAT identifier (or the tax representative's VAT number).",
                    nl: "Toeslagen in categorie E (vrijgesteld van btw) vereisen het btw-kenmerk van de leverancier (of het btw-nummer van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-G-01",
                severity: Severity::Fatal,
                test: vat::r01_one::<{ vat::G }>,
                message: Message {
                    en: "The VAT breakdown does not match the use of category G (export outside the EU) on lines, allowances and charges.",
                    nl: "De btw-specificatie klopt niet met het gebruik van categorie G (export buiten de EU) op regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-G-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::G }>,
                message: Message {
                    en: "Lines in category G (export outside the EU) require the seller's VAT number (or the tax representative's).",
                    nl: "Regels in categorie G (export buiten de EU) vereisen het btw-nummer van de leverancier (of van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-G-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::G }>,
                message: Message {
                    en: "Document allowances in category G (export outside the EU) require the seller's VAT number (or the tax representative's).",
                    nl: "Kortingen in categorie G (export buiten de EU) vereisen het btw-nummer van de leverancier (of van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-G-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::G }>,
                message: Message {
                    en: "Charges in category G (export outside the EU) require the seller's VAT number (or the tax representative's).",
                    nl: "Toeslagen in categorie G (export buiten de EU) vereisen het btw-nummer van de leverancier (of van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-IC-01",
                severity: Severity::Fatal,
                test: vat::r01_one::<{ vat::K }>,
                message: Message {
                    en: "The VAT breakdown does not match the use of category K (intra-community supply) on lines, allowances and charges.",
                    nl: "De btw-specificatie klopt niet met het gebruik van categorie K (intracommunautaire levering) op regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-IC-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::K }>,
                message: Message {
                    en: "Lines in category K (intra-community supply) require the seller's VAT number (or the tax representative's) and the buyer's VAT number.",
                    nl: "Regels in categorie K (intracommunautaire levering) vereisen het btw-nummer van de leverancier (of van de fiscaal vertegenwoordiger) en het btw-nummer van de afnemer.",
                },
            },
            Assert {
                id: "BR-IC-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::K }>,
                message: Message {
                    en: "Document allowances in category K (intra-community supply) require the seller's VAT number (or the tax representative's) and the buyer's VAT number.",
                    nl: "Kortingen in categorie K (intracommunautaire levering) vereisen het btw-nummer van de leverancier (of van de fiscaal vertegenwoordiger) en het btw-nummer van de afnemer.",
                },
            },
            Assert {
                id: "BR-IC-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::K }>,
                message: Message {
                    en: "Charges in category K (intra-community supply) require the seller's VAT number (or the tax representative's) and the buyer's VAT number.",
                    nl: "Toeslagen in categorie K (intracommunautaire levering) vereisen het btw-nummer van de leverancier (of van de fiscaal vertegenwoordiger) en het btw-nummer van de afnemer.",
                },
            },
            Assert {
                id: "BR-AF-01",
                severity: Severity::Fatal,
                test: vat::r01_some::<{ vat::L }>,
                message: Message {
                    en: "The VAT breakdown does not match the use of category L (Canary Islands tax (IGIC)) on lines, allowances and charges.",
                    nl: "De btw-specificatie klopt niet met het gebruik van categorie L (Canarische belasting (IGIC)) op regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-AF-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::L }>,
                message: Message {
                    en: "Lines in category L (Canary Islands tax (IGIC)) require the seller's VAT identifier (or the tax representative's VAT number).",
                    nl: "Regels in categorie L (Canarische belasting (IGIC)) vereisen het btw-kenmerk van de leverancier (of het btw-nummer van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-AF-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::L }>,
                message: Message {
                    en: "Document allowances in category L (Canary Islands tax (IGIC)) require the seller's VAT identifier (or the tax representative's VAT number).",
                    nl: "Kortingen in categorie L (Canarische belasting (IGIC)) vereisen het btw-kenmerk van de leverancier (of het btw-nummer van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-AF-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::L }>,
                message: Message {
                    en: "Charges in category L (Canary Islands tax (IGIC)) require the seller's VAT identifier (or the tax representative's VAT number).",
                    nl: "Toeslagen in categorie L (Canarische belasting (IGIC)) vereisen het btw-kenmerk van de leverancier (of het btw-nummer van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-AG-01",
                severity: Severity::Fatal,
                test: vat::r01_some::<{ vat::M }>,
                message: Message {
                    en: "The VAT breakdown does not match the use of category M (Ceuta and Melilla tax (IPSI)) on lines, allowances and charges.",
                    nl: "De btw-specificatie klopt niet met het gebruik van categorie M (belasting van Ceuta en Melilla (IPSI)) op regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-AG-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::M }>,
                message: Message {
                    en: "Lines in category M (Ceuta and Melilla tax (IPSI)) require the seller's VAT identifier (or the tax representative's VAT number).",
                    nl: "Regels in categorie M (belasting van Ceuta en Melilla (IPSI)) vereisen het btw-kenmerk van de leverancier (of het btw-nummer van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-AG-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::M }>,
                message: Message {
                    en: "Document allowances in category M (Ceuta and Melilla tax (IPSI)) require the seller's VAT identifier (or the tax representative's VAT number).",
                    nl: "Kortingen in categorie M (belasting van Ceuta en Melilla (IPSI)) vereisen het btw-kenmerk van de leverancier (of het btw-nummer van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-AG-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::M }>,
                message: Message {
                    en: "Charges in category M (Ceuta and Melilla tax (IPSI)) require the seller's VAT identifier (or the tax representative's VAT number).",
                    nl: "Toeslagen in categorie M (belasting van Ceuta en Melilla (IPSI)) vereisen het btw-kenmerk van de leverancier (of het btw-nummer van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-O-01",
                severity: Severity::Fatal,
                test: vat::r01_one::<{ vat::O }>,
                message: Message {
                    en: "The VAT breakdown does not match the use of category O (not subject to VAT) on lines, allowances and charges.",
                    nl: "De btw-specificatie klopt niet met het gebruik van categorie O (niet onderworpen aan btw) op regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-O-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::O }>,
                message: Message {
                    en: "Lines not subject to VAT (O) cannot go with a VAT number of the seller, the tax representative or the buyer.",
                    nl: "Regels die niet onderworpen zijn aan btw (O) kunnen niet samengaan met een btw-nummer van leverancier, fiscaal vertegenwoordiger of afnemer.",
                },
            },
            Assert {
                id: "BR-O-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::O }>,
                message: Message {
                    en: "Document allowances not subject to VAT (O) cannot go with a VAT number of the seller, the tax representative or the buyer.",
                    nl: "Kortingen die niet onderworpen zijn aan btw (O) kunnen niet samengaan met een btw-nummer van leverancier, fiscaal vertegenwoordiger of afnemer.",
                },
            },
            Assert {
                id: "BR-O-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::O }>,
                message: Message {
                    en: "Charges not subject to VAT (O) cannot go with a VAT number of the seller, the tax representative or the buyer.",
                    nl: "Toeslagen die niet onderworpen zijn aan btw (O) kunnen niet samengaan met een btw-nummer van leverancier, fiscaal vertegenwoordiger of afnemer.",
                },
            },
            Assert {
                id: "BR-S-01",
                severity: Severity::Fatal,
                test: vat::r01_some::<{ vat::S }>,
                message: Message {
                    en: "The VAT breakdown does not match the use of category S (standard rate) on lines, allowances and charges.",
                    nl: "De btw-specificatie klopt niet met het gebruik van categorie S (standaardtarief) op regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-S-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::S }>,
                message: Message {
                    en: "Lines in category S (standard rate) require the seller's VAT identifier (or the tax representative's VAT number).",
                    nl: "Regels in categorie S (standaardtarief) vereisen het btw-kenmerk van de leverancier (of het btw-nummer van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-S-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::S }>,
                message: Message {
                    en: "Document allowances in category S (standard rate) require the seller's VAT identifier (or the tax representative's VAT number).",
                    nl: "Kortingen in categorie S (standaardtarief) vereisen het btw-kenmerk van de leverancier (of het btw-nummer van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-S-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::S }>,
                message: Message {
                    en: "Charges in category S (standard rate) require the seller's VAT identifier (or the tax representative's VAT number).",
                    nl: "Toeslagen in categorie S (standaardtarief) vereisen het btw-kenmerk van de leverancier (of het btw-nummer van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-Z-01",
                severity: Severity::Fatal,
                test: vat::r01_one::<{ vat::Z }>,
                message: Message {
                    en: "The VAT breakdown does not match the use of category Z (zero rate) on lines, allowances and charges.",
                    nl: "De btw-specificatie klopt niet met het gebruik van categorie Z (nultarief) op regels, kortingen en toeslagen.",
                },
            },
            Assert {
                id: "BR-Z-02",
                severity: Severity::Fatal,
                test: vat::r02::<{ vat::Z }>,
                message: Message {
                    en: "Lines in category Z (zero rate) require the seller's VAT identifier (or the tax representative's VAT number).",
                    nl: "Regels in categorie Z (nultarief) vereisen het btw-kenmerk van de leverancier (of het btw-nummer van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-Z-03",
                severity: Severity::Fatal,
                test: vat::r03::<{ vat::Z }>,
                message: Message {
                    en: "Document allowances in category Z (zero rate) require the seller's VAT identifier (or the tax representative's VAT number).",
                    nl: "Kortingen in categorie Z (nultarief) vereisen het btw-kenmerk van de leverancier (of het btw-nummer van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-Z-04",
                severity: Severity::Fatal,
                test: vat::r04::<{ vat::Z }>,
                message: Message {
                    en: "Charges in category Z (zero rate) require the seller's VAT identifier (or the tax representative's VAT number).",
                    nl: "Toeslagen in categorie Z (nultarief) vereisen het btw-kenmerk van de leverancier (of het btw-nummer van de fiscaal vertegenwoordiger).",
                },
            },
            Assert {
                id: "BR-B-01",
                severity: Severity::Fatal,
                test: vat::b01,
                message: Message {
                    en: "Split payment (B) is only for documents whose every country code is Italy's.",
                    nl: "Gesplitste betaling (B) is alleen voor documenten waarvan elke landcode Italie is.",
                },
            },
            Assert {
                id: "BR-B-02",
                severity: Severity::Fatal,
                test: vat::b02,
                message: Message {
                    en: "Split payment (B) cannot be combined with the standard rate (S).",
                    nl: "Gesplitste betaling (B) kan niet samengaan met het standaardtarief (S).",
                },
            },
            Assert {
                id: "BR-IC-11",
                severity: Severity::Fatal,
                test: vat::ic11,
                message: Message {
                    en: "An intra-community supply needs a delivery date or an invoicing period.",
                    nl: "Een intracommunautaire levering heeft een leverdatum of een factuurperiode nodig.",
                },
            },
            Assert {
                id: "BR-IC-12",
                severity: Severity::Fatal,
                test: vat::ic12,
                message: Message {
                    en: "An intra-community supply needs the country it is delivered to.",
                    nl: "Een intracommunautaire levering heeft het land van aflevering nodig.",
                },
            },
            Assert {
                id: "BR-O-11",
                severity: Severity::Fatal,
                test: vat::o11,
                message: Message {
                    en: "With category O (not subject to VAT) in the breakdown, no other VAT category may appear in the VAT breakdown.",
                    nl: "Met categorie O (niet onderworpen aan btw) in de specificatie mag er geen andere btw-categorie in de btw-specificatie staan.",
                },
            },
            Assert {
                id: "BR-O-12",
                severity: Severity::Fatal,
                test: vat::o12,
                message: Message {
                    en: "With category O (not subject to VAT) in the breakdown, no other VAT category may appear on lines.",
                    nl: "Met categorie O (niet onderworpen aan btw) in de specificatie mag er geen andere btw-categorie op regels staan.",
                },
            },
            Assert {
                id: "BR-O-13",
                severity: Severity::Fatal,
                test: vat::o13,
                message: Message {
                    en: "With category O (not subject to VAT) in the breakdown, no other VAT category may appear on document allowances.",
                    nl: "Met categorie O (niet onderworpen aan btw) in de specificatie mag er geen andere btw-categorie op kortingen staan.",
                },
            },
            Assert {
                id: "BR-O-14",
                severity: Severity::Fatal,
                test: vat::o14,
                message: Message {
                    en: "With category O (not subject to VAT) in the breakdown, no other VAT category may appear on charges.",
                    nl: "Met categorie O (niet onderworpen aan btw) in de specificatie mag er geen andere btw-categorie op toeslagen staan.",
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
                    en: "A line has no line number.",
                    nl: "Een regel heeft geen regelnummer.",
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
                    en: "A line has no quantity.",
                    nl: "Een regel heeft geen aantal.",
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
                    en: "A line's quantity has no unit of measure.",
                    nl: "Het aantal van een regel heeft geen eenheid.",
                },
            },
            Assert {
                id: "BR-24",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "LineExtensionAmount")]),
                message: Message {
                    en: "A line has no net amount.",
                    nl: "Een regel heeft geen nettobedrag.",
                },
            },
            Assert {
                id: "BR-25",
                severity: Severity::Fatal,
                test: |n| filled(n, &[(Cac, "Item"), (Cbc, "Name")]),
                message: Message {
                    en: "A line has no item name.",
                    nl: "Een regel heeft geen artikelnaam.",
                },
            },
            Assert {
                id: "BR-26",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cac, "Price"), (Cbc, "PriceAmount")]),
                message: Message {
                    en: "A line has no net price.",
                    nl: "Een regel heeft geen nettoprijs.",
                },
            },
            Assert {
                id: "BR-27",
                severity: Severity::Fatal,
                test: |n| any_not_negative(n, &[(Cac, "Price"), (Cbc, "PriceAmount")]),
                message: Message {
                    en: "A line's net price is negative (or missing).",
                    nl: "De nettoprijs van een regel is negatief (of ontbreekt).",
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
                    en: "A line's gross price is negative.",
                    nl: "De brutoprijs van een regel is negatief.",
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
                    en: "A line has no VAT category code.",
                    nl: "Een regel heeft geen btw-categoriecode.",
                },
            },
            Assert {
                id: "BR-DEC-23",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "LineExtensionAmount")]),
                message: Message {
                    en: "A line's net amount has more than two decimals.",
                    nl: "Het nettobedrag van een regel heeft meer dan twee decimalen.",
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
                    en: "A line allowance has no amount.",
                    nl: "Een korting op een regel heeft geen bedrag.",
                },
            },
            Assert {
                id: "BR-42",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A line allowance has neither a reason nor a reason code.",
                    nl: "Een korting op een regel heeft geen reden en geen redencode.",
                },
            },
            Assert {
                id: "BR-CO-07",
                severity: Severity::Fatal,
                test: |_| true,
                message: Message {
                    en: "(Always met: the code list of reasons is checked elsewhere.)",
                    nl: "(Altijd voldaan: de redencodes worden elders gecontroleerd.)",
                },
            },
            Assert {
                id: "BR-CO-23",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A line allowance has neither a reason nor a reason code.",
                    nl: "Een korting op een regel heeft geen reden en geen redencode.",
                },
            },
            Assert {
                id: "BR-DEC-24",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "Amount")]),
                message: Message {
                    en: "The amount of a line allowance has more than two decimals.",
                    nl: "Het bedrag van een korting op een regel heeft meer dan twee decimalen.",
                },
            },
            Assert {
                id: "BR-DEC-25",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "BaseAmount")]),
                message: Message {
                    en: "The base amount of a line allowance has more than two decimals.",
                    nl: "Het basisbedrag van een korting op een regel heeft meer dan twee decimalen.",
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
                    en: "A line charge has no amount.",
                    nl: "Een toeslag op een regel heeft geen bedrag.",
                },
            },
            Assert {
                id: "BR-44",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A line charge has neither a reason nor a reason code.",
                    nl: "Een toeslag op een regel heeft geen reden en geen redencode.",
                },
            },
            Assert {
                id: "BR-CO-08",
                severity: Severity::Fatal,
                test: |_| true,
                message: Message {
                    en: "(Always met: the code list of reasons is checked elsewhere.)",
                    nl: "(Altijd voldaan: de redencodes worden elders gecontroleerd.)",
                },
            },
            Assert {
                id: "BR-CO-24",
                severity: Severity::Fatal,
                test: |n| has_reason(n),
                message: Message {
                    en: "A line charge has neither a reason nor a reason code.",
                    nl: "Een toeslag op een regel heeft geen reden en geen redencode.",
                },
            },
            Assert {
                id: "BR-DEC-27",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "Amount")]),
                message: Message {
                    en: "The amount of a line charge has more than two decimals.",
                    nl: "Het bedrag van een toeslag op een regel heeft meer dan twee decimalen.",
                },
            },
            Assert {
                id: "BR-DEC-28",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "BaseAmount")]),
                message: Message {
                    en: "The base amount of a line charge has more than two decimals.",
                    nl: "Het basisbedrag van een toeslag op een regel heeft meer dan twee decimalen.",
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
                    en: "A line's invoicing period ends before it starts.",
                    nl: "De factuurperiode van een regel eindigt voordat ze begint.",
                },
            },
            Assert {
                id: "BR-CO-20",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "StartDate")]) || exists(n, &[(Cbc, "EndDate")]),
                message: Message {
                    en: "A line's invoicing period has neither a start nor an end date.",
                    nl: "De factuurperiode van een regel heeft geen begin- en geen einddatum.",
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
                    en: "The invoicing period ends before it starts.",
                    nl: "De factuurperiode eindigt voordat ze begint.",
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
                    en: "The invoicing period has no start date, end date or period code.",
                    nl: "De factuurperiode heeft geen begindatum, einddatum of periodecode.",
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
                en: "An item attribute lacks its name or its value.",
                nl: "Een artikelkenmerk mist een naam of een waarde.",
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
                en: "An item classification code does not say its scheme (listID).",
                nl: "Een artikelclassificatie zegt niet welk schema ze volgt (listID).",
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
                en: "A standard item identifier does not say its scheme (schemeID).",
                nl: "Een standaard-artikelcode zegt niet welk schema ze volgt (schemeID).",
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
                en: "The subject code of a note (between # signs) is not a UNTDID 4451 code.",
                nl: "De onderwerpcode van een opmerking (tussen #-tekens) is geen UNTDID 4451-code.",
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
                en: "A payee is given without a name, or is the seller itself.",
                nl: "Er is een begunstigde zonder naam opgegeven, of de begunstigde is de leverancier zelf.",
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
                en: "A credit transfer names no account to pay to.",
                nl: "Een overschrijving noemt geen rekening om op te betalen.",
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
                    en: "A payment means has no type code.",
                    nl: "Een betaalwijze heeft geen code.",
                },
            },
            Assert {
                id: "BR-61",
                severity: Severity::Fatal,
                test: |n| transfer_has_account(n),
                message: Message {
                    en: "A credit transfer names no account to pay to.",
                    nl: "Een overschrijving noemt geen rekening om op te betalen.",
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
                en: "A reference to an earlier invoice has no invoice number.",
                nl: "Een verwijzing naar een eerdere factuur heeft geen factuurnummer.",
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
                en: "The seller has no VAT number, identifier or registration number.",
                nl: "De leverancier heeft geen btw-nummer, kenmerk of registratienummer.",
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
                en: "The seller's electronic address has no scheme (schemeID).",
                nl: "Het elektronisch adres van de leverancier heeft geen schema (schemeID).",
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
                en: "The seller's address has no country code.",
                nl: "Het adres van de leverancier heeft geen landcode.",
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
                    en: "The seller's tax representative has no name.",
                    nl: "De fiscaal vertegenwoordiger van de leverancier heeft geen naam.",
                },
            },
            Assert {
                id: "BR-19",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cac, "PostalAddress")]),
                message: Message {
                    en: "The seller's tax representative has no postal address.",
                    nl: "De fiscaal vertegenwoordiger van de leverancier heeft geen postadres.",
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
                    en: "The seller's tax representative has no VAT number.",
                    nl: "De fiscaal vertegenwoordiger van de leverancier heeft geen btw-nummer.",
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
                en: "The tax representative's address has no country code.",
                nl: "Het adres van de fiscaal vertegenwoordiger heeft geen landcode.",
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
                en: "The VAT total is not the sum of the VAT amounts in the breakdown.",
                nl: "Het btw-totaal is niet de som van de btw-bedragen in de specificatie.",
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
                    en: "A VAT breakdown has no taxable amount.",
                    nl: "Een btw-specificatie heeft geen grondslag.",
                },
            },
            Assert {
                id: "BR-46",
                severity: Severity::Fatal,
                test: |n| exists(n, &[(Cbc, "TaxAmount")]),
                message: Message {
                    en: "A VAT breakdown has no VAT amount.",
                    nl: "Een btw-specificatie heeft geen btw-bedrag.",
                },
            },
            Assert {
                id: "BR-47",
                severity: Severity::Fatal,
                test: |n| vat_category_id(n),
                message: Message {
                    en: "A VAT breakdown has no VAT category code.",
                    nl: "Een btw-specificatie heeft geen btw-categoriecode.",
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
                    en: "A VAT breakdown has no VAT rate (only category O may omit it).",
                    nl: "Een btw-specificatie heeft geen btw-tarief (alleen categorie O mag het weglaten).",
                },
            },
            Assert {
                id: "BR-CO-17",
                severity: Severity::Fatal,
                test: breakdown_vat,
                message: Message {
                    en: "A VAT amount in the breakdown is not its taxable amount times its rate.",
                    nl: "Een btw-bedrag in de specificatie is niet de grondslag maal het tarief.",
                },
            },
            Assert {
                id: "BR-DEC-19",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "TaxableAmount")]),
                message: Message {
                    en: "A taxable amount in the VAT breakdown has more than two decimals.",
                    nl: "Een grondslag in de btw-specificatie heeft meer dan twee decimalen.",
                },
            },
            Assert {
                id: "BR-DEC-20",
                severity: Severity::Fatal,
                test: |n| at_most_two_decimals(n, &[(Cbc, "TaxAmount")]),
                message: Message {
                    en: "A VAT amount in the VAT breakdown has more than two decimals.",
                    nl: "Een btw-bedrag in de btw-specificatie heeft meer dan twee decimalen.",
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
                en: "A VAT number does not start with a country prefix (ISO 3166-1, EL for Greece).",
                nl: "Een btw-nummer begint niet met een landcode (ISO 3166-1, EL voor Griekenland).",
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
                    en: "The taxable amount for category AE (reverse charge) is not the sum of its lines, charges and allowances.",
                    nl: "De grondslag voor categorie AE (btw verlegd) is niet de som van de regels, toeslagen en kortingen in die categorie.",
                },
            },
            Assert {
                id: "BR-AE-09",
                severity: Severity::Fatal,
                test: vat::r09_zero,
                message: Message {
                    en: "The VAT amount for category AE (reverse charge) must be 0.",
                    nl: "Het btw-bedrag voor categorie AE (btw verlegd) moet 0 zijn.",
                },
            },
            Assert {
                id: "BR-AE-10",
                severity: Severity::Fatal,
                test: vat::r10_reason,
                message: Message {
                    en: "Category AE (reverse charge) needs an exemption reason, as text or code.",
                    nl: "Categorie AE (btw verlegd) heeft een vrijstellingsreden nodig, als tekst of code.",
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
                en: "The VAT rate of a document allowance in category AE (reverse charge) must be 0.",
                nl: "Het btw-tarief van een korting in categorie AE (btw verlegd) moet 0 zijn.",
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
                en: "The VAT rate of a charge in category AE (reverse charge) must be 0.",
                nl: "Het btw-tarief van een toeslag in categorie AE (btw verlegd) moet 0 zijn.",
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
                en: "The VAT rate of a line in category AE (reverse charge) must be 0.",
                nl: "Het btw-tarief van een regel in categorie AE (btw verlegd) moet 0 zijn.",
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
                    en: "The taxable amount for category E (exempt from VAT) is not the sum of its lines, charges and allowances.",
                    nl: "De grondslag voor categorie E (vrijgesteld van btw) is niet de som van de regels, toeslagen en kortingen in die categorie.",
                },
            },
            Assert {
                id: "BR-E-09",
                severity: Severity::Fatal,
                test: vat::r09_zero,
                message: Message {
                    en: "The VAT amount for category E (exempt from VAT) must be 0.",
                    nl: "Het btw-bedrag voor categorie E (vrijgesteld van btw) moet 0 zijn.",
                },
            },
            Assert {
                id: "BR-E-10",
                severity: Severity::Fatal,
                test: vat::r10_reason,
                message: Message {
                    en: "Category E (exempt from VAT) needs an exemption reason, as text or code.",
                    nl: "Categorie E (vrijgesteld van btw) heeft een vrijstellingsreden nodig, als tekst of code.",
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
                en: "The VAT rate of a document allowance in category E (exempt from VAT) must be 0.",
                nl: "Het btw-tarief van een korting in categorie E (vrijgesteld van btw) moet 0 zijn.",
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
                en: "The VAT rate of a charge in category E (exempt from VAT) must be 0.",
                nl: "Het btw-tarief van een toeslag in categorie E (vrijgesteld van btw) moet 0 zijn.",
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
                en: "The VAT rate of a line in category E (exempt from VAT) must be 0.",
                nl: "Het btw-tarief van een regel in categorie E (vrijgesteld van btw) moet 0 zijn.",
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
                    en: "The taxable amount for category G (export outside the EU) is not the sum of its lines, charges and allowances.",
                    nl: "De grondslag voor categorie G (export buiten de EU) is niet de som van de regels, toeslagen en kortingen in die categorie.",
                },
            },
            Assert {
                id: "BR-G-09",
                severity: Severity::Fatal,
                test: vat::r09_zero,
                message: Message {
                    en: "The VAT amount for category G (export outside the EU) must be 0.",
                    nl: "Het btw-bedrag voor categorie G (export buiten de EU) moet 0 zijn.",
                },
            },
            Assert {
                id: "BR-G-10",
                severity: Severity::Fatal,
                test: vat::r10_reason,
                message: Message {
                    en: "Category G (export outside the EU) needs an exemption reason, as text or code.",
                    nl: "Categorie G (export buiten de EU) heeft een vrijstellingsreden nodig, als tekst of code.",
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
                en: "The VAT rate of a document allowance in category G (export outside the EU) must be 0.",
                nl: "Het btw-tarief van een korting in categorie G (export buiten de EU) moet 0 zijn.",
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
                en: "The VAT rate of a charge in category G (export outside the EU) must be 0.",
                nl: "Het btw-tarief van een toeslag in categorie G (export buiten de EU) moet 0 zijn.",
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
                en: "The VAT rate of a line in category G (export outside the EU) must be 0.",
                nl: "Het btw-tarief van een regel in categorie G (export buiten de EU) moet 0 zijn.",
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
                    en: "The taxable amount for category K (intra-community supply) is not the sum of its lines, charges and allowances.",
                    nl: "De grondslag voor categorie K (intracommunautaire levering) is niet de som van de regels, toeslagen en kortingen in die categorie.",
                },
            },
            Assert {
                id: "BR-IC-09",
                severity: Severity::Fatal,
                test: vat::r09_zero,
                message: Message {
                    en: "The VAT amount for category K (intra-community supply) must be 0.",
                    nl: "Het btw-bedrag voor categorie K (intracommunautaire levering) moet 0 zijn.",
                },
            },
            Assert {
                id: "BR-IC-10",
                severity: Severity::Fatal,
                test: vat::r10_reason,
                message: Message {
                    en: "Category K (intra-community supply) needs an exemption reason, as text or code.",
                    nl: "Categorie K (intracommunautaire levering) heeft een vrijstellingsreden nodig, als tekst of code.",
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
                en: "The VAT rate of a document allowance in category K (intra-community supply) must be 0.",
                nl: "Het btw-tarief van een korting in categorie K (intracommunautaire levering) moet 0 zijn.",
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
                en: "The VAT rate of a charge in category K (intra-community supply) must be 0.",
                nl: "Het btw-tarief van een toeslag in categorie K (intracommunautaire levering) moet 0 zijn.",
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
                en: "The VAT rate of a line in category K (intra-community supply) must be 0.",
                nl: "Het btw-tarief van een regel in categorie K (intracommunautaire levering) moet 0 zijn.",
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
                    en: "The taxable amount for category L (Canary Islands tax (IGIC)) is not the sum of its lines, charges and allowances.",
                    nl: "De grondslag voor categorie L (Canarische belasting (IGIC)) is niet de som van de regels, toeslagen en kortingen in die categorie.",
                },
            },
            Assert {
                id: "BR-AF-09",
                severity: Severity::Fatal,
                test: vat::r09_rate,
                message: Message {
                    en: "The VAT amount for category L (Canary Islands tax (IGIC)) is not its taxable amount times its rate.",
                    nl: "Het btw-bedrag voor categorie L (Canarische belasting (IGIC)) is niet de grondslag maal het tarief.",
                },
            },
            Assert {
                id: "BR-AF-10",
                severity: Severity::Fatal,
                test: vat::r10_none,
                message: Message {
                    en: "Category L (Canary Islands tax (IGIC)) takes no exemption reason.",
                    nl: "Categorie L (Canarische belasting (IGIC)) heeft geen vrijstellingsreden.",
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
                en: "The VAT rate of a document allowance in category L (Canary Islands tax (IGIC)) must not be negative.",
                nl: "Het btw-tarief van een korting in categorie L (Canarische belasting (IGIC)) mag niet negatief zijn.",
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
                en: "The VAT rate of a charge in category L (Canary Islands tax (IGIC)) must not be negative.",
                nl: "Het btw-tarief van een toeslag in categorie L (Canarische belasting (IGIC)) mag niet negatief zijn.",
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
                en: "The VAT rate of a line in category L (Canary Islands tax (IGIC)) must not be negative.",
                nl: "Het btw-tarief van een regel in categorie L (Canarische belasting (IGIC)) mag niet negatief zijn.",
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
                    en: "The taxable amount for category M (Ceuta and Melilla tax (IPSI)) is not the sum of its lines, charges and allowances.",
                    nl: "De grondslag voor categorie M (belasting van Ceuta en Melilla (IPSI)) is niet de som van de regels, toeslagen en kortingen in die categorie.",
                },
            },
            Assert {
                id: "BR-AG-09",
                severity: Severity::Fatal,
                test: vat::r09_rate,
                message: Message {
                    en: "The VAT amount for category M (Ceuta and Melilla tax (IPSI)) is not its taxable amount times its rate.",
                    nl: "Het btw-bedrag voor categorie M (belasting van Ceuta en Melilla (IPSI)) is niet de grondslag maal het tarief.",
                },
            },
            Assert {
                id: "BR-AG-10",
                severity: Severity::Fatal,
                test: vat::r10_none,
                message: Message {
                    en: "Category M (Ceuta and Melilla tax (IPSI)) takes no exemption reason.",
                    nl: "Categorie M (belasting van Ceuta en Melilla (IPSI)) heeft geen vrijstellingsreden.",
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
                en: "The VAT rate of a document allowance in category M (Ceuta and Melilla tax (IPSI)) must not be negative.",
                nl: "Het btw-tarief van een korting in categorie M (belasting van Ceuta en Melilla (IPSI)) mag niet negatief zijn.",
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
                en: "The VAT rate of a charge in category M (Ceuta and Melilla tax (IPSI)) must not be negative.",
                nl: "Het btw-tarief van een toeslag in categorie M (belasting van Ceuta en Melilla (IPSI)) mag niet negatief zijn.",
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
                en: "The VAT rate of a line in category M (Ceuta and Melilla tax (IPSI)) must not be negative.",
                nl: "Het btw-tarief van een regel in categorie M (belasting van Ceuta en Melilla (IPSI)) mag niet negatief zijn.",
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
                    en: "The taxable amount for category O (not subject to VAT) is not the sum of its lines, charges and allowances.",
                    nl: "De grondslag voor categorie O (niet onderworpen aan btw) is niet de som van de regels, toeslagen en kortingen in die categorie.",
                },
            },
            Assert {
                id: "BR-O-09",
                severity: Severity::Fatal,
                test: vat::r09_zero,
                message: Message {
                    en: "The VAT amount for category O (not subject to VAT) must be 0.",
                    nl: "Het btw-bedrag voor categorie O (niet onderworpen aan btw) moet 0 zijn.",
                },
            },
            Assert {
                id: "BR-O-10",
                severity: Severity::Fatal,
                test: vat::r10_reason,
                message: Message {
                    en: "Category O (not subject to VAT) needs an exemption reason, as text or code.",
                    nl: "Categorie O (niet onderworpen aan btw) heeft een vrijstellingsreden nodig, als tekst of code.",
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
                en: "The VAT rate of a document allowance in category O (not subject to VAT) must not be given.",
                nl: "Het btw-tarief van een korting in categorie O (niet onderworpen aan btw) hoort niet gegeven te worden.",
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
                en: "The VAT rate of a charge in category O (not subject to VAT) must not be given.",
                nl: "Het btw-tarief van een toeslag in categorie O (niet onderworpen aan btw) hoort niet gegeven te worden.",
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
                en: "The VAT rate of a line in category O (not subject to VAT) must not be given.",
                nl: "Het btw-tarief van een regel in categorie O (niet onderworpen aan btw) hoort niet gegeven te worden.",
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
                    en: "The taxable amount for category S (standard rate) is not the sum of its lines, charges and allowances.",
                    nl: "De grondslag voor categorie S (standaardtarief) is niet de som van de regels, toeslagen en kortingen in die categorie.",
                },
            },
            Assert {
                id: "BR-S-09",
                severity: Severity::Fatal,
                test: vat::r09_rate,
                message: Message {
                    en: "The VAT amount for category S (standard rate) is not its taxable amount times its rate.",
                    nl: "Het btw-bedrag voor categorie S (standaardtarief) is niet de grondslag maal het tarief.",
                },
            },
            Assert {
                id: "BR-S-10",
                severity: Severity::Fatal,
                test: vat::r10_none,
                message: Message {
                    en: "Category S (standard rate) takes no exemption reason.",
                    nl: "Categorie S (standaardtarief) heeft geen vrijstellingsreden.",
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
                en: "The VAT rate of a document allowance in category S (standard rate) must be above 0.",
                nl: "Het btw-tarief van een korting in categorie S (standaardtarief) moet boven 0 liggen.",
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
                en: "The VAT rate of a charge in category S (standard rate) must be above 0.",
                nl: "Het btw-tarief van een toeslag in categorie S (standaardtarief) moet boven 0 liggen.",
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
                en: "The VAT rate of a line in category S (standard rate) must be above 0.",
                nl: "Het btw-tarief van een regel in categorie S (standaardtarief) moet boven 0 liggen.",
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
                    en: "The taxable amount for category Z (zero rate) is not the sum of its lines, charges and allowances.",
                    nl: "De grondslag voor categorie Z (nultarief) is niet de som van de regels, toeslagen en kortingen in die categorie.",
                },
            },
            Assert {
                id: "BR-Z-09",
                severity: Severity::Fatal,
                test: vat::r09_zero,
                message: Message {
                    en: "The VAT amount for category Z (zero rate) must be 0.",
                    nl: "Het btw-bedrag voor categorie Z (nultarief) moet 0 zijn.",
                },
            },
            Assert {
                id: "BR-Z-10",
                severity: Severity::Fatal,
                test: vat::r10_none,
                message: Message {
                    en: "Category Z (zero rate) takes no exemption reason.",
                    nl: "Categorie Z (nultarief) heeft geen vrijstellingsreden.",
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
                en: "The VAT rate of a document allowance in category Z (zero rate) must be 0.",
                nl: "Het btw-tarief van een korting in categorie Z (nultarief) moet 0 zijn.",
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
                en: "The VAT rate of a charge in category Z (zero rate) must be 0.",
                nl: "Het btw-tarief van een toeslag in categorie Z (nultarief) moet 0 zijn.",
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
                en: "The VAT rate of a line in category Z (zero rate) must be 0.",
                nl: "Het btw-tarief van een regel in categorie Z (nultarief) moet 0 zijn.",
            },
        }],
    },
];
