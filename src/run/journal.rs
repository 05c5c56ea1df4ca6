//! The journal export: the booking lines of final invoices for the books, one line per invoice
//! and VAT rate (booking date, number, customer, net and VAT of that rate, the invoice's
//! total), as CSV. Pure: the ledger supplies the invoices and records the export.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::ledger::runs::JournalSource;
use crate::model::VatCodeTable;

/// One booking line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BookingLine {
    /// The booking date.
    pub booking_date: chrono::NaiveDate,
    /// The invoice number.
    pub number: String,
    /// The customer.
    pub customer: String,
    /// The customer's KvK number.
    pub kvk: String,
    /// The currency.
    pub currency: String,
    /// VAT category code.
    pub category: String,
    /// VAT rate in percent, if the category has one.
    pub rate: Option<Decimal>,
    /// Net amount at this rate.
    pub net: Decimal,
    /// VAT at this rate.
    pub vat: Decimal,
    /// The invoice's amount due (the same on each of its lines).
    pub total: Decimal,
}

/// The booking lines of the invoices, in their order. An invoice whose totals cannot be
/// computed (which the error check keeps from becoming final) is reported as an error.
pub fn lines(sources: &[JournalSource], table: &VatCodeTable) -> Result<Vec<BookingLine>, String> {
    let mut out = Vec::with_capacity(sources.len());
    for s in sources {
        let inv = &s.invoice;
        let t = inv
            .totals_with(table)
            .map_err(|e| format!("invoice {}: {e}", inv.number))?;
        let customer = inv.customer.as_ref();
        for b in &t.vat_breakdown {
            out.push(BookingLine {
                booking_date: s.booking_date,
                number: inv.number.clone(),
                customer: customer.map(|c| c.name.clone()).unwrap_or_default(),
                kvk: customer
                    .and_then(|c| c.kvk.as_ref())
                    .map(|k| k.as_str().to_owned())
                    .unwrap_or_default(),
                currency: inv.currency.as_str().to_owned(),
                category: b.category.code().to_owned(),
                rate: b.rate,
                net: b.taxable_amount,
                vat: b.vat_amount,
                total: t.payable,
            });
        }
    }
    Ok(out)
}

/// The CSV header.
pub const HEADER: &str =
    "booking_date,number,customer,kvk,currency,vat_category,vat_rate,net,vat,invoice_total";

/// The lines as CSV.
pub fn csv(lines: &[BookingLine]) -> String {
    let mut out = String::with_capacity(64 + lines.len() * 100);
    out.push_str(HEADER);
    out.push_str("\r\n");
    let field = |out: &mut String, v: &str| {
        if v.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&v.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(v);
        }
    };
    for l in lines {
        let _ = write!(out, "{},", l.booking_date);
        field(&mut out, &l.number);
        out.push(',');
        field(&mut out, &l.customer);
        let _ = write!(
            out,
            ",{},{},{},{},{},{},{}\r\n",
            l.kvk,
            l.currency,
            l.category,
            l.rate
                .map(|r| r.normalize().to_string())
                .unwrap_or_default(),
            l.net,
            l.vat,
            l.total
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_per_rate() {
        let json = std::fs::read("testdata/invoices/14-mixed-rates-direct-debit.json").unwrap();
        let invoice = crate::Invoice::from_json(&json).unwrap();
        let rates = invoice.totals().unwrap().vat_breakdown.len();
        let s = JournalSource {
            booking_date: chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            invoice,
        };
        let l = lines(&[s], &VatCodeTable::dutch_default()).unwrap();
        assert_eq!(l.len(), rates);
        assert!(rates >= 2);
        let text = csv(&l);
        assert_eq!(text.lines().count(), rates + 1);
        assert!(text.lines().nth(1).unwrap().starts_with("2026-03-31,"));
        let net: Decimal = l.iter().map(|x| x.net).sum();
        assert!(net > Decimal::ZERO);
    }
}
