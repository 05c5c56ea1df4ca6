//! EN 16931 totals: line net amounts, document totals and the VAT breakdown.
//!
//! The calculation is built so that the calculation rules hold by construction:
//!
//! | rule | what |
//! |---|---|
//! | BR-CO-10 | sum of line net amounts = Σ line net amount |
//! | BR-CO-11 / 12 | allowance / charge totals = Σ document allowances / charges |
//! | BR-CO-13 | tax exclusive = lines − allowances + charges |
//! | BR-CO-14 | VAT total = Σ VAT of the breakdown |
//! | BR-CO-15 | tax inclusive = tax exclusive + VAT total |
//! | BR-CO-16 | amount due = tax inclusive − prepaid + rounding |
//! | BR-CO-17, BR-S-09 … | VAT of a group = taxable amount × rate / 100, rounded |
//! | BR-S-08 … | taxable amount of a group = its lines + its charges − its allowances |
//!
//! Amounts are rounded in exactly three places, each with [`money::round`]: a line's net amount,
//! an allowance or charge given as a percentage, and each group's VAT.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::invoice::{Adjustment, DocumentAdjustment, Invoice, Line, ResolvedVat};
use super::money::{self, round};
use super::tax::{VatCategory, VatCodeTable};

/// Why totals could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TotalsError {
    /// An amount outgrew what a decimal can hold.
    #[error("arithmetic overflow computing {what}: amounts or quantities are impossibly large")]
    Overflow {
        /// What was being computed.
        what: &'static str,
    },
    /// A division by zero, e.g. a base quantity of 0.
    #[error("division by zero computing {what}")]
    DivisionByZero {
        /// What was being computed.
        what: &'static str,
    },
    /// A line's VAT category could not be determined.
    #[error(
        "line {line} ($.lines[{index}]): no VAT category: give vat.category, or a vat.code known to the VAT code table (with vat.percentage for taxed categories)"
    )]
    UnresolvedLineVat {
        /// Position in `lines`.
        index: usize,
        /// The line's id.
        line: String,
    },
    /// A document-level allowance or charge whose VAT category could not be determined.
    #[error(
        "document {kind} $.{kind}s[{index}]: no VAT category: give vat.category, or a vat.code known to the VAT code table"
    )]
    UnresolvedAdjustmentVat {
        /// `allowance` or `charge`.
        kind: &'static str,
        /// Position in the list.
        index: usize,
    },
    /// An allowance or charge with neither an amount nor a percentage.
    #[error("{location}: an allowance or charge needs an amount or a percentage")]
    NoAdjustmentAmount {
        /// JSON path of the allowance or charge.
        location: String,
    },
}

/// The VAT of one category and rate (BG-23).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VatBreakdown {
    /// Category (BT-118).
    pub category: VatCategory,
    /// Rate (BT-119); `None` for category O.
    pub rate: Option<Decimal>,
    /// Taxable amount (BT-116).
    pub taxable_amount: Decimal,
    /// VAT amount (BT-117).
    pub vat_amount: Decimal,
    /// Exemption reason text (BT-120), from the first line or allowance of the group that has one.
    pub exemption_reason: Option<String>,
    /// Exemption reason code (BT-121).
    pub exemption_reason_code: Option<String>,
}

/// An allowance or charge with its amount resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ResolvedAdjustment {
    /// The amount (given, or computed from the percentage).
    pub amount: Decimal,
    /// The base amount (given, or the default base when a percentage was given).
    pub base_amount: Option<Decimal>,
}

/// The amounts of one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineTotals {
    /// Line net amount (BT-131).
    pub net_amount: Decimal,
    /// The line's allowances, resolved.
    pub allowances: Vec<ResolvedAdjustment>,
    /// The line's charges, resolved.
    pub charges: Vec<ResolvedAdjustment>,
}

/// Document totals (BG-22) with the VAT breakdown (BG-23) and the per-line amounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Per line, in line order.
    pub lines: Vec<LineTotals>,
    /// Document allowances, resolved, in order.
    pub allowances: Vec<ResolvedAdjustment>,
    /// Document charges, resolved, in order.
    pub charges: Vec<ResolvedAdjustment>,
    /// Sum of line net amounts (BT-106).
    pub line_total: Decimal,
    /// Sum of document allowances (BT-107).
    pub allowance_total: Decimal,
    /// Sum of document charges (BT-108).
    pub charge_total: Decimal,
    /// Total without VAT (BT-109).
    pub tax_exclusive: Decimal,
    /// Total VAT (BT-110).
    pub vat_total: Decimal,
    /// Total with VAT (BT-112).
    pub tax_inclusive: Decimal,
    /// Paid in advance (BT-113).
    pub prepaid: Decimal,
    /// Rounding amount (BT-114).
    pub rounding: Decimal,
    /// Amount due for payment (BT-115).
    pub payable: Decimal,
    /// VAT per category and rate, ordered by category then rate.
    pub vat_breakdown: Vec<VatBreakdown>,
}

/// Key of a VAT group. Rates compare by value, so `21` and `21.00` are one group.
type GroupKey = (VatCategory, Option<Decimal>);

struct Group {
    rate: Option<Decimal>,
    taxable: Decimal,
    reason: Option<String>,
    reason_code: Option<String>,
}

impl Totals {
    /// Computes the totals of `invoice`, resolving VAT codes against `table`.
    pub fn compute(invoice: &Invoice, table: &VatCodeTable) -> Result<Totals, TotalsError> {
        let mut groups: BTreeMap<GroupKey, Group> = BTreeMap::new();
        let mut lines = Vec::with_capacity(invoice.lines.len());
        let mut line_total = Decimal::ZERO;
        for (index, line) in invoice.lines.iter().enumerate() {
            let totals = line_totals(line, index)?;
            let vat = line
                .vat
                .resolve(table)
                .ok_or_else(|| TotalsError::UnresolvedLineVat {
                    index,
                    line: line.id.clone(),
                })?;
            add_to_group(&mut groups, &vat, totals.net_amount)?;
            line_total = money::add(line_total, totals.net_amount, "the sum of line net amounts")?;
            lines.push(totals);
        }

        // Net amount per group from lines only: the default base of percentage adjustments.
        let line_bases: BTreeMap<GroupKey, Decimal> =
            groups.iter().map(|(k, g)| (*k, g.taxable)).collect();
        let (allowances, allowance_total) = resolve_document(
            &invoice.allowances,
            "allowance",
            table,
            &line_bases,
            &mut groups,
        )?;
        let (charges, charge_total) =
            resolve_document(&invoice.charges, "charge", table, &line_bases, &mut groups)?;

        let mut vat_total = Decimal::ZERO;
        let mut vat_breakdown = Vec::with_capacity(groups.len());
        for ((category, _), g) in groups {
            let vat_amount = match (category.is_taxed(), g.rate) {
                (true, Some(rate)) => money::percent_of(g.taxable, rate, "a VAT amount")?,
                _ => round(Decimal::ZERO),
            };
            vat_total = money::add(vat_total, vat_amount, "the VAT total")?;
            vat_breakdown.push(VatBreakdown {
                category,
                rate: g.rate,
                taxable_amount: round(g.taxable),
                vat_amount,
                exemption_reason: g.reason,
                exemption_reason_code: g.reason_code,
            });
        }

        let tax_exclusive = money::add(
            money::sub(line_total, allowance_total, "the total without VAT")?,
            charge_total,
            "the total without VAT",
        )?;
        let tax_inclusive = money::add(tax_exclusive, vat_total, "the total with VAT")?;
        let prepaid = round(invoice.prepaid_amount.unwrap_or(Decimal::ZERO));
        let rounding = round(invoice.rounding_amount.unwrap_or(Decimal::ZERO));
        let payable = money::add(
            money::sub(tax_inclusive, prepaid, "the amount due")?,
            rounding,
            "the amount due",
        )?;

        Ok(Totals {
            lines,
            allowances,
            charges,
            line_total: round(line_total),
            allowance_total: round(allowance_total),
            charge_total: round(charge_total),
            tax_exclusive: round(tax_exclusive),
            vat_total: round(vat_total),
            tax_inclusive: round(tax_inclusive),
            prepaid,
            rounding,
            payable: round(payable),
            vat_breakdown,
        })
    }
}

fn add_to_group(
    groups: &mut BTreeMap<GroupKey, Group>,
    vat: &ResolvedVat<'_>,
    amount: Decimal,
) -> Result<(), TotalsError> {
    let g = groups
        .entry((vat.category, vat.rate))
        .or_insert_with(|| Group {
            rate: vat.rate,
            taxable: Decimal::ZERO,
            reason: None,
            reason_code: None,
        });
    g.taxable = money::add(g.taxable, amount, "a VAT taxable amount")?;
    if g.reason.is_none() {
        g.reason = vat.exemption_reason.map(str::to_owned);
    }
    if g.reason_code.is_none() {
        g.reason_code = vat.exemption_reason_code.map(str::to_owned);
    }
    Ok(())
}

/// Resolves document allowances (`kind` = `allowance`) or charges, adding each to its VAT group
/// (allowances with a minus sign). Returns them and their sum.
fn resolve_document(
    list: &[DocumentAdjustment],
    kind: &'static str,
    table: &VatCodeTable,
    line_bases: &BTreeMap<GroupKey, Decimal>,
    groups: &mut BTreeMap<GroupKey, Group>,
) -> Result<(Vec<ResolvedAdjustment>, Decimal), TotalsError> {
    let mut out = Vec::with_capacity(list.len());
    let mut total = Decimal::ZERO;
    for (index, adj) in list.iter().enumerate() {
        let vat = adj
            .vat
            .resolve(table)
            .ok_or(TotalsError::UnresolvedAdjustmentVat { kind, index })?;
        let default_base = line_bases
            .get(&(vat.category, vat.rate))
            .copied()
            .unwrap_or(Decimal::ZERO);
        let resolved = resolve(
            adj.amount,
            adj.base_amount,
            adj.percentage,
            default_base,
            || format!("$.{kind}s[{index}]"),
        )?;
        let signed = if kind == "charge" {
            resolved.amount
        } else {
            -resolved.amount
        };
        add_to_group(groups, &vat, signed)?;
        total = money::add(
            total,
            resolved.amount,
            "the document allowance/charge total",
        )?;
        out.push(resolved);
    }
    Ok((out, total))
}

/// Resolves one allowance or charge: the given amount (rounded to cents), else
/// `base × percentage / 100` with the given base or `default_base`.
fn resolve(
    amount: Option<Decimal>,
    base: Option<Decimal>,
    percentage: Option<Decimal>,
    default_base: Decimal,
    location: impl FnOnce() -> String,
) -> Result<ResolvedAdjustment, TotalsError> {
    match (amount, percentage) {
        (Some(amount), _) => Ok(ResolvedAdjustment {
            amount: round(amount),
            base_amount: base.map(round),
        }),
        (None, Some(pct)) => {
            let base = round(base.unwrap_or(default_base));
            Ok(ResolvedAdjustment {
                amount: money::percent_of(base, pct, "an allowance or charge percentage")?,
                base_amount: Some(base),
            })
        }
        (None, None) => Err(TotalsError::NoAdjustmentAmount {
            location: location(),
        }),
    }
}

fn resolve_line_list(
    list: &[Adjustment],
    default_base: Decimal,
    index: usize,
    kind: &'static str,
) -> Result<(Vec<ResolvedAdjustment>, Decimal), TotalsError> {
    let mut out = Vec::with_capacity(list.len());
    let mut sum = Decimal::ZERO;
    for (i, a) in list.iter().enumerate() {
        let r = resolve(a.amount, a.base_amount, a.percentage, default_base, || {
            format!("$.lines[{index}].{kind}[{i}]")
        })?;
        sum = money::add(sum, r.amount, "a line's allowances or charges")?;
        out.push(r);
    }
    Ok((out, sum))
}

/// A line's net amount (BT-131): quantity × price / base quantity + charges − allowances,
/// rounded once.
pub fn line_totals(line: &Line, index: usize) -> Result<LineTotals, TotalsError> {
    let what = "a line amount (quantity × price)";
    let mut gross = money::mul(line.quantity, line.price, what)?;
    if let Some(base) = line.base_quantity {
        gross = money::div(gross, base, "a line amount (price / base quantity)")?;
    }
    let default_base = round(gross);
    let (allowances, allowance_sum) =
        resolve_line_list(&line.allowances, default_base, index, "allowances")?;
    let (charges, charge_sum) = resolve_line_list(&line.charges, default_base, index, "charges")?;
    let net = money::sub(
        money::add(gross, charge_sum, what)?,
        allowance_sum,
        "a line net amount",
    )?;
    Ok(LineTotals {
        net_amount: round(net),
        allowances,
        charges,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::invoice::{CurrencyCode, Item, Party, TypeCode, Vat};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn line(id: &str, qty: &str, price: &str, code: &str) -> Line {
        Line {
            id: id.into(),
            note: None,
            object_id: None,
            quantity: d(qty),
            unit_code: "C62".into(),
            price: d(price),
            base_quantity: None,
            gross_price: None,
            price_discount: None,
            order_line_reference: None,
            cost_centre: None,
            project: None,
            period: None,
            allowances: vec![],
            charges: vec![],
            vat: Vat {
                code: Some(code.into()),
                ..Vat::default()
            },
            item: Item {
                name: "x".into(),
                ..Item::default()
            },
        }
    }

    fn invoice(lines: Vec<Line>) -> Invoice {
        Invoice {
            number: "1".into(),
            issue_date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            type_code: TypeCode::COMMERCIAL,
            currency: CurrencyCode::eur(),
            tax_currency: None,
            tax_total_in_tax_currency: None,
            tax_point_date: None,
            due_date: None,
            payment_terms: None,
            buyer_reference: None,
            order_reference: None,
            sales_order_reference: None,
            project_reference: None,
            contract_reference: None,
            receiving_advice_reference: None,
            despatch_advice_reference: None,
            tender_reference: None,
            invoiced_object: None,
            accounting_reference: None,
            external_reference: None,
            preceding_invoices: vec![],
            notes: vec![],
            invoicing_period: None,
            customization_id: None,
            profile_id: None,
            supplier: Party::default(),
            customer: None,
            branch: None,
            work_order: None,
            payee: None,
            tax_representative: None,
            delivery: None,
            payment_means: vec![],
            allowances: vec![],
            charges: vec![],
            prepaid_amount: None,
            rounding_amount: None,
            attachments: vec![],
            lines,
        }
    }

    #[test]
    fn mixed_rates() {
        let inv = invoice(vec![
            line("1", "3", "10.05", "HOOG"),
            line("2", "2", "4.99", "LAAG"),
            line("3", "1", "100", "VRIJ"),
        ]);
        let t = inv.totals().unwrap();
        assert_eq!(t.line_total, d("140.13"));
        assert_eq!(t.vat_breakdown.len(), 3);
        let s21 = &t.vat_breakdown[1];
        assert_eq!((s21.category, s21.rate), (VatCategory::S, Some(d("21"))));
        assert_eq!(s21.vat_amount, d("6.33"));
        let s9 = &t.vat_breakdown[0];
        assert_eq!(s9.vat_amount, d("0.90"));
        assert_eq!(t.vat_breakdown[2].category, VatCategory::E);
        assert_eq!(
            t.vat_breakdown[2].exemption_reason_code.as_deref(),
            Some("VATEX-EU-132")
        );
        assert_eq!(t.vat_total, d("7.23"));
        assert_eq!(t.payable, d("147.36"));
    }

    #[test]
    fn allowances_charges_prepaid_rounding() {
        let mut inv = invoice(vec![line("1", "10", "12.50", "HOOG")]);
        inv.lines[0].allowances.push(Adjustment {
            percentage: Some(d("10")),
            ..Adjustment::default()
        });
        inv.allowances.push(DocumentAdjustment {
            percentage: Some(d("2")),
            vat: Vat {
                code: Some("HOOG".into()),
                ..Vat::default()
            },
            ..DocumentAdjustment::default()
        });
        inv.charges.push(DocumentAdjustment {
            amount: Some(d("7.5")),
            vat: Vat {
                code: Some("HOOG".into()),
                ..Vat::default()
            },
            ..DocumentAdjustment::default()
        });
        inv.prepaid_amount = Some(d("50"));
        inv.rounding_amount = Some(d("-0.01"));
        let t = inv.totals().unwrap();
        assert_eq!(t.lines[0].allowances[0].amount, d("12.50"));
        assert_eq!(t.lines[0].net_amount, d("112.50"));
        assert_eq!(t.allowances[0].base_amount, Some(d("112.50")));
        assert_eq!(t.allowance_total, d("2.25"));
        assert_eq!(t.charge_total, d("7.50"));
        assert_eq!(t.tax_exclusive, d("117.75"));
        assert_eq!(t.vat_total, d("24.73"));
        assert_eq!(t.tax_inclusive, d("142.48"));
        assert_eq!(t.payable, d("92.47"));
        assert_eq!(t.payable.to_string(), "92.47");
    }

    #[test]
    fn base_quantity_divides_price() {
        let mut l = line("1", "250", "12.00", "HOOG");
        l.base_quantity = Some(d("100"));
        assert_eq!(line_totals(&l, 0).unwrap().net_amount, d("30.00"));
        l.base_quantity = Some(Decimal::ZERO);
        assert!(matches!(
            line_totals(&l, 0),
            Err(TotalsError::DivisionByZero { .. })
        ));
    }

    #[test]
    fn credit_amounts_are_symmetric() {
        let t = invoice(vec![line("1", "-3", "10.05", "HOOG")])
            .totals()
            .unwrap();
        assert_eq!(t.vat_total, d("-6.33"));
        assert_eq!(t.payable, d("-36.48"));
    }

    #[test]
    fn impossible_amounts_are_errors() {
        let inv = invoice(vec![line(
            "1",
            "79228162514264337593543950335",
            "2",
            "HOOG",
        )]);
        assert!(matches!(inv.totals(), Err(TotalsError::Overflow { .. })));
        let inv = invoice(vec![line("1", "1", "2", "ONBEKEND")]);
        let e = inv.totals().unwrap_err();
        assert!(e.to_string().contains("$.lines[0]"), "{e}");
    }

    #[test]
    fn one_group_per_rate_value() {
        let mut a = line("1", "1", "10", "HOOG");
        a.vat.percentage = Some(d("21.00"));
        let mut b = line("2", "1", "10", "HOOG");
        b.vat.percentage = Some(d("21"));
        let t = invoice(vec![a, b]).totals().unwrap();
        assert_eq!(t.vat_breakdown.len(), 1);
        assert_eq!(t.vat_breakdown[0].vat_amount, d("4.20"));
    }
}
