//! EN 16931's rules per VAT category (BR-S-*, BR-Z-*, BR-E-*, BR-AE-*, BR-IC-*, BR-G-*, BR-O-*,
//! BR-AF-*, BR-AG-*, BR-B-*). The official rules for one number differ between categories in
//! small ways (one checks the tax scheme where another does not, one compares the code trimmed
//! where another compares it as written); each such variant is its own function here, and the
//! table in [`super::model`] says which category uses which.
//!
//! Functions take the category as a const index into [`CODES`], so each instance is a plain
//! function the rule table can point to. Split payment (B) has two rules of its own.

use rust_decimal::Decimal;

use crate::ubl::{Node, Ns::Cac, Ns::Cbc};

use super::model::{dec, equal, xround2};
use crate::validate::ubl::engine::unjudged::{Cause, Judged, NotJudged, judged};
use crate::validate::ubl::engine::xpath::{
    any_number, charge_indicator_is, double, exists, first, normalized_is, single, string, trim,
    vat_scheme, vat_scheme_each,
};

/// The category codes, by index.
pub(crate) const CODES: [&str; 9] = ["AE", "E", "G", "K", "L", "M", "O", "S", "Z"];

pub(crate) const AE: usize = 0;
pub(crate) const E: usize = 1;
pub(crate) const G: usize = 2;
pub(crate) const K: usize = 3;
pub(crate) const L: usize = 4;
pub(crate) const M: usize = 5;
pub(crate) const O: usize = 6;
pub(crate) const S: usize = 7;
pub(crate) const Z: usize = 8;

// ---- Building blocks ----

/// `cac:` elements named `name` anywhere in the document (`//cac:name`).
fn all<'d>(n: Node<'d>, name: &str) -> impl Iterator<Item = Node<'d>> + use<'d> {
    n.document().elements(Cac, name)
}

/// `normalize-space(cbc:ID) = code` on a category.
fn id_is(c: Node<'_>, code: &str) -> bool {
    normalized_is(c, &[(Cbc, "ID")], code)
}

/// `cbc:ID[normalize-space(.) = code]` exists under a category.
fn some_id_is(c: Node<'_>, code: &str) -> bool {
    c.all(Cbc, "ID").any(|id| trim(&string(id)) == code)
}

/// `cbc:ID = code`: some ID written exactly so.
fn id_written(c: Node<'_>, code: &str) -> bool {
    c.all(Cbc, "ID").any(|id| string(id) == code)
}

/// The root's VAT breakdown categories (`cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory`).
fn breakdown<'d>(root: Node<'d>) -> impl Iterator<Item = Node<'d>> + 'd {
    root.all(Cac, "TaxTotal")
        .flat_map(|t| t.all(Cac, "TaxSubtotal"))
        .flat_map(|s| s.all(Cac, "TaxCategory"))
}

/// Tax categories of allowances or charges anywhere (`//cac:AllowanceCharge/cac:TaxCategory`),
/// of one kind when `charge` says which.
fn allowance_categories<'d>(
    n: Node<'d>,
    charge: Option<bool>,
) -> impl Iterator<Item = Node<'d>> + 'd {
    all(n, "AllowanceCharge")
        .filter(move |a| charge.is_none_or(|c| charge_indicator_is(*a, c)))
        .flat_map(|a| a.all(Cac, "TaxCategory"))
}

/// `cbc:CompanyID` under a party tax scheme along `path` from anywhere, optionally only under a
/// VAT scheme.
fn company_id(n: Node<'_>, party: &'static str, via_party: bool, vat_only: bool) -> bool {
    all(n, party).any(|p| {
        let holders: Vec<Node<'_>> = if via_party {
            p.all(Cac, "Party").collect()
        } else {
            vec![p]
        };
        holders.iter().any(|h| {
            h.all(Cac, "PartyTaxScheme")
                .any(|s| (!vat_only || vat_scheme_each(s)) && exists(s, &[(Cbc, "CompanyID")]))
        })
    })
}

fn seller_any(n: Node<'_>) -> bool {
    company_id(n, "AccountingSupplierParty", true, false)
}

fn seller_vat(n: Node<'_>) -> bool {
    company_id(n, "AccountingSupplierParty", true, true)
}

fn representative_vat(n: Node<'_>) -> bool {
    company_id(n, "TaxRepresentativeParty", false, true)
}

fn buyer_vat(n: Node<'_>) -> bool {
    company_id(n, "AccountingCustomerParty", true, true)
}

fn buyer_legal(n: Node<'_>) -> bool {
    all(n, "AccountingCustomerParty").any(|p| {
        exists(
            p,
            &[
                (Cac, "Party"),
                (Cac, "PartyLegalEntity"),
                (Cbc, "CompanyID"),
            ],
        )
    })
}

/// A line (`//cac:ClassifiedTaxCategory`) in the category under the VAT scheme.
fn line_in<const C: usize>(n: Node<'_>) -> bool {
    all(n, "ClassifiedTaxCategory").any(|c| id_is(c, CODES[C]) && vat_scheme(c))
}

/// An allowance (`false`) or charge (`true`) anywhere in the category under the VAT scheme.
fn allowance_in<const C: usize>(n: Node<'_>, charge: bool) -> bool {
    allowance_categories(n, Some(charge)).any(|c| id_is(c, CODES[C]) && vat_scheme(c))
}

/// A document-level allowance or charge in the category under the VAT scheme.
fn document_allowance_in<const C: usize>(root: Node<'_>, charge: bool) -> bool {
    root.all(Cac, "AllowanceCharge")
        .filter(|a| charge_indicator_is(*a, charge))
        .flat_map(|a| a.all(Cac, "TaxCategory"))
        .any(|c| id_is(c, CODES[C]) && vat_scheme(c))
}

// ---- Context predicates ----

/// `[normalize-space(cbc:ID) = code][cac:TaxScheme/... = 'VAT']` on a category.
pub(crate) fn is<const C: usize>(c: Node<'_>) -> bool {
    id_is(c, CODES[C]) && vat_scheme(c)
}

// ---- 01: the breakdown matches the use of the category ----

/// BR-AE/E/G/IC/O/Z-01: used anywhere (under VAT) means exactly one breakdown entry.
pub(crate) fn r01_one<const C: usize>(root: Node<'_>) -> bool {
    let code = CODES[C];
    // The scheme first, as XPath's predicate comes before the step to the code.
    let used = all(root, "TaxCategory").any(|c| vat_scheme(c) && some_id_is(c, code))
        || all(root, "ClassifiedTaxCategory").any(|c| vat_scheme(c) && some_id_is(c, code));
    let entries: usize = breakdown(root)
        .filter(|c| vat_scheme(*c))
        .map(|c| {
            c.all(Cbc, "ID")
                .filter(|id| trim(&string(*id)) == code)
                .count()
        })
        .sum();
    !used || entries == 1
}

/// BR-S-01 (no scheme check), BR-AF-01 and BR-AG-01: used on lines, allowances or charges
/// means some breakdown entry, and unused means none.
pub(crate) fn r01_some<const C: usize>(root: Node<'_>) -> bool {
    let code = CODES[C];
    let scheme = |c: Node<'_>| C == S || vat_scheme(c);
    let used = allowance_categories(root, None).any(|c| id_is(c, code) && scheme(c))
        || all(root, "ClassifiedTaxCategory").any(|c| id_is(c, code) && scheme(c));
    let present = breakdown(root).any(|c| match C {
        // As written: the code compared untrimmed, and for AF without the scheme.
        L => id_written(c, code),
        M => id_written(c, code) && vat_scheme(c),
        _ => id_is(c, code),
    });
    let absent = !breakdown(root).any(|c| id_is(c, code) && scheme(c));
    (used && present) || (!used && absent)
}

/// BR-B-01: split payment only where every country code is Italy's.
pub(crate) fn b01(root: Node<'_>) -> bool {
    let used = all(root, "TaxCategory").any(|c| id_written(c, "B"))
        || all(root, "ClassifiedTaxCategory").any(|c| id_written(c, "B"));
    let only_italy = !root
        .document()
        .elements(Cbc, "IdentificationCode")
        .any(|d| string(d) != "IT");
    !used || only_italy
}

/// BR-B-02: split payment is not combined with the standard rate.
pub(crate) fn b02(root: Node<'_>) -> bool {
    !uses(root, "B", true) || !uses(root, "S", true)
}

/// BR-B-02 as CEN 1.3.15 writes it: the standard rate is looked for in the breakdown as an
/// id of the breakdown entry itself (`cac:TaxSubtotal/cbc:ID`), which UBL does not have, so
/// only lines, allowances and charges at the standard rate count.
pub(crate) fn b02_1_3_15(root: Node<'_>) -> bool {
    !uses(root, "B", true) || !uses(root, "S", false)
}

/// A category code, written exactly so, on the document's allowances and charges, on lines,
/// and (with `breakdown_categories`) in the breakdown's categories; otherwise as an id of a
/// breakdown entry.
fn uses(root: Node<'_>, code: &str, breakdown_categories: bool) -> bool {
    let in_breakdown = if breakdown_categories {
        breakdown(root).any(|c| id_written(c, code))
    } else {
        root.all(Cac, "TaxTotal")
            .flat_map(|t| t.all(Cac, "TaxSubtotal"))
            .any(|s| id_written(s, code))
    };
    in_breakdown
        || root
            .all(Cac, "AllowanceCharge")
            .flat_map(|a| a.all(Cac, "TaxCategory"))
            .any(|c| id_written(c, code))
        || all(root, "ClassifiedTaxCategory").any(|c| id_written(c, code))
}

// ---- 02, 03, 04: the VAT numbers a category requires ----

/// Which VAT numbers a category requires of the parties.
#[derive(Clone, Copy)]
enum Parties {
    /// The seller's tax scheme id (any scheme), or the representative's VAT number.
    Seller,
    /// The seller's or the representative's VAT number.
    SellerVat,
    /// [`Parties::Seller`] and the buyer's VAT number or legal registration (AE).
    SellerAndBuyer,
    /// [`Parties::SellerVat`] and the buyer's VAT number (IC).
    SellerVatAndBuyer,
    /// No VAT number for seller, representative or buyer (O).
    None,
}

fn parties_ok(n: Node<'_>, p: Parties) -> bool {
    match p {
        Parties::Seller => seller_any(n) || representative_vat(n),
        Parties::SellerVat => seller_vat(n) || representative_vat(n),
        Parties::SellerAndBuyer => {
            (seller_any(n) || representative_vat(n)) && (buyer_vat(n) || buyer_legal(n))
        }
        Parties::SellerVatAndBuyer => (seller_vat(n) || representative_vat(n)) && buyer_vat(n),
        Parties::None => !seller_vat(n) && !representative_vat(n) && !buyer_vat(n),
    }
}

fn parties_of(c: usize) -> Parties {
    match c {
        AE => Parties::SellerAndBuyer,
        K => Parties::SellerVatAndBuyer,
        G => Parties::SellerVat,
        O => Parties::None,
        _ => Parties::Seller,
    }
}

/// BR-xx-02: lines in the category need the parties' VAT numbers.
pub(crate) fn r02<const C: usize>(root: Node<'_>) -> bool {
    let used = line_in::<C>(root);
    // BR-S-02 lets a line pass only when no S line exists at all, scheme or not.
    let unused = if C == S {
        !all(root, "ClassifiedTaxCategory").any(|c| id_is(c, CODES[C]))
    } else {
        !used
    };
    (used && parties_ok(root, parties_of(C))) || unused
}

/// BR-xx-03 (allowances, `charge` false) and BR-xx-04 (charges, `charge` true).
pub(crate) fn r03<const C: usize>(root: Node<'_>) -> bool {
    allowances_need_parties::<C>(root, false)
}

pub(crate) fn r04<const C: usize>(root: Node<'_>) -> bool {
    allowances_need_parties::<C>(root, true)
}

fn allowances_need_parties<const C: usize>(root: Node<'_>, charge: bool) -> bool {
    let code = CODES[C];
    let with_scheme = if C == O {
        document_allowance_in::<C>(root, charge)
    } else {
        allowance_in::<C>(root, charge)
    };
    // BR-G-03/04 require the parties whenever a G allowance exists, scheme or not.
    let used = if C == G {
        allowance_categories(root, Some(charge)).any(|c| id_is(c, code))
    } else {
        with_scheme
    };
    // BR-AF-04 passes when no charge has the code written exactly so.
    let unused = if C == L && charge {
        !allowance_categories(root, Some(charge)).any(|c| id_written(c, code) && vat_scheme(c))
    } else {
        !with_scheme
    };
    (used && parties_ok(root, parties_of(C))) || unused
}

// ---- 05, 06, 07: the rate on lines, allowances and charges ----

/// The rate a category allows on lines, allowances and charges.
fn rate_ok<const C: usize>(c: Node<'_>) -> bool {
    match C {
        // `(cbc:Percent) > 0`
        S => any_number(c, &[(Cbc, "Percent")], |v| v > 0.0),
        // `(cbc:Percent) >= 0`
        L | M => any_number(c, &[(Cbc, "Percent")], |v| v >= 0.0),
        O => !exists(c, &[(Cbc, "Percent")]),
        // `xs:decimal(cbc:Percent) = 0`
        _ => judged(dec(c, &[(Cbc, "Percent")]).map(|p| p.is_some_and(|p| p.is_zero()))),
    }
}

/// BR-xx-05, 06 and 07: the context is the category itself.
pub(crate) fn r05<const C: usize>(c: Node<'_>) -> bool {
    rate_ok::<C>(c)
}

// ---- 08: the taxable amount of the breakdown ----

/// `[…/normalize-space(cbc:ID)='X'][…/xs:decimal(cbc:Percent) = $rate]` over some tax
/// categories: two separate conditions, each met by any of them. Without a rate, the code alone.
/// Rates are read only once the code matched, as XPath applies the predicates in turn (a rate
/// that is not a number would stop the official tool).
fn categories_match(cats: &[Node<'_>], code: &str, rate: Option<Decimal>) -> Judged<bool> {
    if !cats.iter().any(|c| id_is(*c, code)) {
        return Ok(false);
    }
    let Some(rate) = rate else {
        return Ok(true);
    };
    for c in cats {
        if dec(*c, &[(Cbc, "Percent")])? == Some(rate) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A line whose item is in the category (at the rate, when given).
fn line_in_category(l: Node<'_>, code: &str, rate: Option<Decimal>) -> Judged<bool> {
    let cats: Vec<Node<'_>> = l
        .all(Cac, "Item")
        .flat_map(|i| i.all(Cac, "ClassifiedTaxCategory"))
        .collect();
    categories_match(&cats, code, rate)
}

/// An allowance or charge in the category (at the rate, when given).
fn allowance_in_category(a: Node<'_>, code: &str, rate: Option<Decimal>) -> Judged<bool> {
    let cats: Vec<Node<'_>> = a.all(Cac, "TaxCategory").collect();
    categories_match(&cats, code, rate)
}

/// `sum(../../../cac:InvoiceLine[in the category]/xs:decimal(cbc:LineExtensionAmount)) +
/// sum(../../../cac:AllowanceCharge[cbc:ChargeIndicator=true()][in the category]/xs:decimal(
/// cbc:Amount)) - sum(…[cbc:ChargeIndicator=false()]…)`: the root's lines of one kind in the
/// category (and, with `rate`, at that rate), plus its charges minus its allowances in it, in
/// the order XPath sums them.
fn category_base(
    category: usize,
    root: Node<'_>,
    line: &'static str,
    rate: Option<Decimal>,
) -> Judged<Decimal> {
    let code = CODES[category];
    let mut lines = Decimal::ZERO;
    for l in root.all(Cac, line) {
        if line_in_category(l, code, rate)?
            && let Some(v) = dec(l, &[(Cbc, "LineExtensionAmount")])?
        {
            lines = lines.checked_add(v).ok_or_else(NotJudged::range)?;
        }
    }
    let of_kind = |charge: bool| -> Judged<Decimal> {
        let mut total = Decimal::ZERO;
        for a in root.all(Cac, "AllowanceCharge") {
            if charge_indicator_is(a, charge)
                && allowance_in_category(a, code, rate)?
                && let Some(v) = dec(a, &[(Cbc, "Amount")])?
            {
                total = total.checked_add(v).ok_or_else(NotJudged::range)?;
            }
        }
        Ok(total)
    };
    let charges = of_kind(true)?;
    let allowances = of_kind(false)?;
    lines
        .checked_add(charges)
        .and_then(|t| t.checked_sub(allowances))
        .ok_or_else(NotJudged::range)
}

/// The breakdown entry above a category context (`..`), and the root (`../../..`).
fn subtotal_and_root(c: Node<'_>) -> Option<(Node<'_>, Node<'_>)> {
    let subtotal = c.parent()?;
    let root = subtotal.parent()?.parent()?;
    Some((subtotal, root))
}

/// Whether any line of that kind exists anywhere (`exists(//cac:InvoiceLine)`).
fn has(root: Node<'_>, name: &'static str) -> bool {
    all(root, name).next().is_some()
}

/// BR-AE/E/G/IC/O/Z-08: the taxable amount equals lines plus charges minus allowances exactly.
pub(crate) fn r08_exact<const C: usize>(c: Node<'_>) -> bool {
    judged((|| {
        let Some((subtotal, root)) = subtotal_and_root(c) else {
            return Ok(true);
        };
        for line in ["InvoiceLine", "CreditNoteLine"] {
            if has(root, line)
                && equal(dec(subtotal, &[(Cbc, "TaxableAmount")])?, || {
                    Ok(Some(category_base(C, root, line, None)?))
                })?
            {
                return Ok(true);
            }
        }
        Ok(false)
    })())
}

/// `../xs:decimal(cbc:TaxableAmount ± 1)`: the arithmetic is done on doubles, as XPath does
/// with an untyped value, and the result taken back as a decimal. The one place floats are used
/// on money, to give the official verdict.
#[allow(clippy::float_arithmetic)]
fn taxable_plus(subtotal: Node<'_>, delta: f64) -> Judged<Option<Decimal>> {
    let Some(t) = single(subtotal, &[(Cbc, "TaxableAmount")])? else {
        return Ok(None);
    };
    let v = double(&string(t)).ok_or(NotJudged::new(Cause::Number, t))? + delta;
    // Infinity and NaN are doubles but no decimals.
    Decimal::from_f64_retain(v)
        .map(Some)
        .ok_or(NotJudged::new(Cause::Number, t))
}

/// BR-S-08's condition: `exists(//cac:InvoiceLine[in S at the rate]) or
/// exists(//cac:AllowanceCharge[in S at the rate])`, each stopping at the first found.
fn standard_rate_used(root: Node<'_>, line: &'static str, rate: Decimal) -> Judged<bool> {
    for l in all(root, line) {
        if line_in_category(l, CODES[S], Some(rate))? {
            return Ok(true);
        }
    }
    for a in all(root, "AllowanceCharge") {
        if allowance_in_category(a, CODES[S], Some(rate))? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// BR-S-08, BR-AF-08, BR-AG-08: per rate, the taxable amount is within one unit of lines plus
/// charges minus allowances at that rate.
pub(crate) fn r08_rate<const C: usize>(c: Node<'_>) -> bool {
    judged((|| {
        let Some((subtotal, root)) = subtotal_and_root(c) else {
            return Ok(true);
        };
        let Some(rate) = dec(c, &[(Cbc, "Percent")])? else {
            // `every $rate in ()` holds.
            return Ok(true);
        };
        for line in ["InvoiceLine", "CreditNoteLine"] {
            let present = if C == S {
                // BR-S-08 asks for a line, or an allowance or charge anywhere, at that rate.
                standard_rate_used(root, line, rate)?
            } else {
                has(root, line)
            };
            if !present {
                continue;
            }
            // `(../xs:decimal(cbc:TaxableAmount - 1) < base) and (../xs:decimal(… + 1) > base)`
            let Some(low) = taxable_plus(subtotal, -1.0)? else {
                continue;
            };
            let base = category_base(C, root, line, Some(rate))?;
            if low >= base {
                continue;
            }
            let Some(high) = taxable_plus(subtotal, 1.0)? else {
                continue;
            };
            if high > base {
                return Ok(true);
            }
        }
        Ok(false)
    })())
}

// ---- 09: the VAT amount of the breakdown ----

/// BR-AE/E/G/IC/O/Z-09: no VAT in the breakdown entry.
pub(crate) fn r09_zero(c: Node<'_>) -> bool {
    judged((|| {
        let Some(subtotal) = c.parent() else {
            return Ok(true);
        };
        Ok(dec(subtotal, &[(Cbc, "TaxAmount")])?.is_some_and(|v| v.is_zero()))
    })())
}

/// BR-S/AF/AG-09's expected VAT amount: `round((abs(xs:decimal(../cbc:TaxableAmount)) *
/// (xs:decimal(cbc:Percent) div 100)) * 10 * 10) div 100`, the rate read only when there is a
/// taxable amount.
pub(crate) fn expected_vat(c: Node<'_>, subtotal: Node<'_>) -> Judged<Option<Decimal>> {
    let Some(taxable) = dec(subtotal, &[(Cbc, "TaxableAmount")])? else {
        return Ok(None);
    };
    let Some(rate) = dec(c, &[(Cbc, "Percent")])? else {
        return Ok(None);
    };
    let product = taxable
        .abs()
        .checked_mul(rate / Decimal::ONE_HUNDRED)
        .ok_or_else(NotJudged::range)?;
    Ok(Some(xround2(product)?))
}

/// BR-S-09, BR-AF-09, BR-AG-09: the VAT amount is the taxable amount times the rate, within
/// one unit.
pub(crate) fn r09_rate(c: Node<'_>) -> bool {
    judged((|| {
        let Some(subtotal) = c.parent() else {
            return Ok(true);
        };
        let Some(t) = dec(subtotal, &[(Cbc, "TaxAmount")])? else {
            return Ok(false);
        };
        let Some(e) = expected_vat(c, subtotal)? else {
            return Ok(false);
        };
        let t = t.abs();
        Ok(t - Decimal::ONE < e && t + Decimal::ONE > e)
    })())
}

// ---- 10: the exemption reason ----

/// BR-AE/E/G/IC/O-10: an exemption reason is given.
pub(crate) fn r10_reason(c: Node<'_>) -> bool {
    exists(c, &[(Cbc, "TaxExemptionReason")]) || exists(c, &[(Cbc, "TaxExemptionReasonCode")])
}

/// BR-S/Z/AF/AG-10: no exemption reason.
pub(crate) fn r10_none(c: Node<'_>) -> bool {
    !r10_reason(c)
}

// ---- IC-11, IC-12, O-11 … O-14 ----

fn breakdown_has(root: Node<'_>, code: &str) -> bool {
    breakdown(root).any(|c| vat_scheme(c) && some_id_is(c, code))
}

/// BR-IC-11: an intra-community supply has a delivery date or an invoicing period.
pub(crate) fn ic11(root: Node<'_>) -> bool {
    let dated = || {
        first(root, &[(Cac, "Delivery"), (Cbc, "ActualDeliveryDate")])
            .is_some_and(|d| string(d).chars().count() > 1)
    };
    let period = || {
        root.all(Cac, "InvoicePeriod")
            .any(|p| p.children().next().is_some())
    };
    !breakdown_has(root, "K") || dated() || period()
}

/// BR-IC-12: an intra-community supply names the country it is delivered to.
pub(crate) fn ic12(root: Node<'_>) -> bool {
    let country = || {
        first(
            root,
            &[
                (Cac, "Delivery"),
                (Cac, "DeliveryLocation"),
                (Cac, "Address"),
                (Cac, "Country"),
                (Cbc, "IdentificationCode"),
            ],
        )
        .is_some_and(|c| string(c).chars().count() > 1)
    };
    !breakdown_has(root, "K") || country()
}

/// BR-O-11 … 14: with O in the breakdown, no other category in the breakdown (11), on lines
/// (12), allowances (13) or charges (14).
pub(crate) fn o11(root: Node<'_>) -> bool {
    !breakdown_has(root, "O") || !breakdown(root).any(|c| other_than_o(c))
}

pub(crate) fn o12(root: Node<'_>) -> bool {
    !breakdown_has(root, "O") || !all(root, "ClassifiedTaxCategory").any(other_than_o)
}

pub(crate) fn o13(root: Node<'_>) -> bool {
    !breakdown_has(root, "O") || !allowance_categories(root, Some(false)).any(other_than_o)
}

pub(crate) fn o14(root: Node<'_>) -> bool {
    !breakdown_has(root, "O") || !allowance_categories(root, Some(true)).any(other_than_o)
}

fn other_than_o(c: Node<'_>) -> bool {
    !id_is(c, "O") && vat_scheme(c)
}

// ---- What a failed 08 or 09 rule shows ----

/// The category an official rule id is about (`BR-S-08` is S, `BR-AF-09` is L).
fn category_of(id: &str) -> Option<usize> {
    let family = id.strip_prefix("BR-")?.rsplit_once('-')?.0;
    let code = match family {
        "IC" => "K",
        "AF" => "L",
        "AG" => "M",
        other => other,
    };
    CODES.iter().position(|c| *c == code)
}

/// What a failed rule of a category shows on the category `c`: for BR-x-05, 06 and 07 the rate
/// of the line, allowance or charge; for BR-x-10 the exemption reason given (or that there is
/// none); for BR-x-08 and 09, on a breakdown category, the taxable amount against the lines plus
/// charges minus allowances in the category (at its rate), or the VAT amount against the
/// taxable amount times the rate.
pub(crate) fn values(id: &'static str, c: Node<'_>) -> Option<String> {
    let category = category_of(id)?;
    let rate_term = if id.ends_with("-05") {
        Some("BT-152")
    } else if id.ends_with("-06") {
        Some("BT-96")
    } else if id.ends_with("-07") {
        Some("BT-103")
    } else {
        None
    };
    if let Some(term) = rate_term {
        return Some(match first(c, &[(Cbc, "Percent")]) {
            Some(p) => format!("{term} = {}", trim(&string(p))),
            None => format!("{term} missing"),
        });
    }
    if id.ends_with("-10") {
        let shown: Vec<String> = [
            ("BT-120", "TaxExemptionReason"),
            ("BT-121", "TaxExemptionReasonCode"),
        ]
        .into_iter()
        .filter_map(|(term, name)| {
            first(c, &[(Cbc, name)]).map(|r| crate::validate::ubl::shown(term, &string(r)))
        })
        .collect();
        return Some(if shown.is_empty() {
            "BT-120 missing, BT-121 missing".to_owned()
        } else {
            shown.join(", ")
        });
    }
    let (subtotal, root) = subtotal_and_root(c)?;
    let stated = |name: &str| dec(subtotal, &[(Cbc, name)]).ok().flatten();
    let code = CODES[category];
    if id.ends_with("-08") {
        // Without lines the rule fails whatever the amounts: the sum shows as missing.
        let line = ["InvoiceLine", "CreditNoteLine"]
            .into_iter()
            .find(|l| has(root, l));
        let by_rate = matches!(category, S | L | M);
        let rate = if by_rate {
            dec(c, &[(Cbc, "Percent")]).ok().flatten()
        } else {
            None
        };
        let base = line.and_then(|line| category_base(category, root, line, rate).ok());
        let scope = match rate {
            Some(r) => format!("{code} {r} %"),
            None => code.to_owned(),
        };
        let shown = super::model::compared(
            "BT-116",
            stated("TaxableAmount"),
            &format!("Σ BT-131 + Σ BT-99 − Σ BT-92 ({scope})"),
            base,
        );
        return Some(if by_rate {
            format!("{shown} (± 1)")
        } else {
            shown
        });
    }
    if id.ends_with("-09") {
        return Some(if matches!(category, S | L | M) {
            format!(
                "{} (± 1)",
                super::model::compared(
                    "BT-117",
                    stated("TaxAmount"),
                    "BT-116 × BT-119",
                    expected_vat(c, subtotal).ok().flatten(),
                )
            )
        } else {
            // The category has no VAT: the amount stated is the difference.
            match stated("TaxAmount") {
                Some(v) => format!("BT-117 = {v}"),
                None => "BT-117 missing".to_owned(),
            }
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_of_rule_ids() {
        assert_eq!(category_of("BR-S-08"), Some(S));
        assert_eq!(category_of("BR-AE-09"), Some(AE));
        assert_eq!(category_of("BR-IC-08"), Some(K));
        assert_eq!(category_of("BR-AF-08"), Some(L));
        assert_eq!(category_of("BR-AG-09"), Some(M));
        assert_eq!(category_of("BR-CO-10"), None);
    }
}
