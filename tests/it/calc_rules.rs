//! The EN 16931 calculation rules, written the way the official XPath tests state them
//! (including XPath's `round`, which rounds halves toward +∞), independently of the library.

use factuur::model::{Invoice, Totals, VatCategory, VatCodeTable};
use rust_decimal::Decimal;

/// XPath 2 `round`: halves toward positive infinity.
fn xround(x: Decimal) -> Decimal {
    (x + Decimal::new(5, 1)).floor()
}

/// `round(x * 10 * 10) div 100`, the official tests' way to round to cents.
fn cents(x: Decimal) -> Decimal {
    xround(x * Decimal::ONE_HUNDRED) / Decimal::ONE_HUNDRED
}

fn two_decimals(what: &str, x: Decimal) {
    assert!(
        x.normalize().scale() <= 2,
        "{what} = {x} has more than 2 decimals (BR-DEC)"
    );
}

/// Panics with the rule id when `totals` of `invoice` break a calculation rule.
pub fn assert_calculation_rules(invoice: &Invoice, totals: &Totals, table: &VatCodeTable) {
    let one = Decimal::ONE;
    // Line net amounts: quantity × price / base + charges − allowances, within half a cent
    // (PEPPOL-EN16931-R120 allows 0.02).
    for (line, lt) in invoice.lines.iter().zip(&totals.lines) {
        two_decimals("line net amount", lt.net_amount);
        let base = line.base_quantity.unwrap_or(one);
        let charges: Decimal = lt.charges.iter().map(|c| c.amount).sum();
        let allowances: Decimal = lt.allowances.iter().map(|a| a.amount).sum();
        let exact = line.quantity * line.price / base + charges - allowances;
        assert!(
            (lt.net_amount - exact).abs() <= Decimal::new(5, 3),
            "R120: line {} net {} vs {}",
            line.id,
            lt.net_amount,
            exact
        );
        for a in lt.allowances.iter().chain(&lt.charges) {
            two_decimals("line allowance/charge", a.amount);
        }
    }
    for (list, resolved) in [
        (&invoice.allowances, &totals.allowances),
        (&invoice.charges, &totals.charges),
    ] {
        for (a, r) in list.iter().zip(resolved) {
            two_decimals("document allowance/charge", r.amount);
            if let (Some(p), Some(b)) = (a.percentage, r.base_amount) {
                // PEPPOL-EN16931-R040: amount = base × percentage / 100 (to the cent).
                assert!((r.amount - b * p / Decimal::ONE_HUNDRED).abs() <= Decimal::new(5, 3));
            }
        }
    }
    let sum_lines: Decimal = totals.lines.iter().map(|l| l.net_amount).sum();
    assert_eq!(totals.line_total, cents(sum_lines), "BR-CO-10");
    let sum_allow: Decimal = totals.allowances.iter().map(|a| a.amount).sum();
    assert_eq!(totals.allowance_total, cents(sum_allow), "BR-CO-11");
    let sum_charge: Decimal = totals.charges.iter().map(|a| a.amount).sum();
    assert_eq!(totals.charge_total, cents(sum_charge), "BR-CO-12");
    assert_eq!(
        totals.tax_exclusive,
        cents(totals.line_total + totals.charge_total - totals.allowance_total),
        "BR-CO-13"
    );
    let sum_vat: Decimal = totals.vat_breakdown.iter().map(|b| b.vat_amount).sum();
    assert_eq!(totals.vat_total, cents(sum_vat), "BR-CO-14");
    assert_eq!(
        totals.tax_inclusive,
        cents(totals.tax_exclusive + totals.vat_total),
        "BR-CO-15"
    );
    assert_eq!(
        cents(totals.payable - totals.rounding),
        cents(totals.tax_inclusive - totals.prepaid),
        "BR-CO-16"
    );
    for x in [
        totals.line_total,
        totals.allowance_total,
        totals.charge_total,
        totals.tax_exclusive,
        totals.vat_total,
        totals.tax_inclusive,
        totals.prepaid,
        totals.rounding,
        totals.payable,
    ] {
        two_decimals("document total", x);
    }

    // Breakdown: one entry per category (per category and rate for the taxed ones).
    let mut seen = std::collections::BTreeSet::new();
    for b in &totals.vat_breakdown {
        two_decimals("taxable amount", b.taxable_amount);
        two_decimals("VAT amount", b.vat_amount);
        assert!(
            seen.insert((b.category, b.rate)),
            "BR-CO-18: duplicate group"
        );
        // BR-x-08: taxable amount = lines + charges − allowances of the group.
        let same = |cat: VatCategory, rate: Option<Decimal>| {
            cat == b.category && (!b.category.is_taxed() || rate == b.rate)
        };
        let mut expected = Decimal::ZERO;
        for (line, lt) in invoice.lines.iter().zip(&totals.lines) {
            let v = line.vat.resolve(table).unwrap();
            if same(v.category, v.rate) {
                expected += lt.net_amount;
            }
        }
        for (sign, list, resolved) in [
            (-one, &invoice.allowances, &totals.allowances),
            (one, &invoice.charges, &totals.charges),
        ] {
            for (a, r) in list.iter().zip(resolved) {
                let v = a.vat.resolve(table).unwrap();
                if same(v.category, v.rate) {
                    expected += sign * r.amount;
                }
            }
        }
        let rule = format!("BR-{}-08", b.category);
        if b.category.is_taxed() {
            assert!((b.taxable_amount - expected).abs() < one, "{rule}");
        } else {
            assert_eq!(b.taxable_amount, expected, "{rule}");
        }
        // BR-x-09 / BR-CO-17.
        match (b.category.is_taxed(), b.rate) {
            (true, Some(rate)) => {
                let official = cents(b.taxable_amount.abs() * (rate / Decimal::ONE_HUNDRED));
                let vat = b.vat_amount.abs();
                assert!(
                    vat - one < official && vat + one > official,
                    "BR-{}-09: {} on {} at {}%",
                    b.category,
                    b.vat_amount,
                    b.taxable_amount,
                    rate
                );
                // Stricter than the official slack of one unit: exactly the commercially
                // rounded amount, with the sign of the taxable amount.
                assert!(
                    (b.vat_amount - b.taxable_amount * rate / Decimal::ONE_HUNDRED).abs()
                        <= Decimal::new(5, 3),
                    "VAT rounding"
                );
            }
            (true, None) => panic!("taxed category without rate"),
            (false, rate) => {
                assert!(b.vat_amount.is_zero(), "BR-{}-09", b.category);
                if b.category == VatCategory::O {
                    assert_eq!(rate, None, "BR-O-05");
                } else {
                    assert_eq!(rate, Some(Decimal::ZERO), "BR-{}-05", b.category);
                }
            }
        }
    }
}
