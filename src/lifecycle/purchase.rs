//! Direct purchase invoices (seed 003): the receiving side.
//!
//! A received invoice is booked through coding lines: a general-ledger account, an amount and a
//! VAT code, and optionally an article, a quantity, a warehouse, a project, a cost centre and a
//! recharge (*doorbelasting*). A line with an article makes the invoice a **direct purchase**:
//! it updates stock without a purchase order and receipt. Then:
//!
//! - an article line needs a quantity (not zero);
//! - an article line needs a warehouse when the administration has exactly one warehouse;
//! - every line gets the administration's default general-ledger account when it has none,
//!   but the export leaves the account out on article lines (the accounting package books
//!   those on the article);
//! - a **credit** direct purchase cannot carry a project, cost centre or recharge: each such
//!   row is refused with the accounting package's own message,
//!   `Rij: N - Aantal - Een negatieve waarde is niet toegestaan Aantal - Niet toegestaan: Negatief`.
//!
//! Coding lines come from JSON ([`PurchaseInvoice::from_json`]) or from a received UBL Invoice
//! or CreditNote ([`PurchaseInvoice::from_ubl`]).
//!
//! ```
//! use factuur::lifecycle::purchase::{Administration, PurchaseInvoice, check};
//! use factuur::model::VatCodeTable;
//! let json = br#"{"number": "INK-1", "credit": true, "lines": [
//!   {"gl_account": "7000", "amount": "-100", "vat_code": "HOOG",
//!    "article": "KRAAN-01", "quantity": "-2", "warehouse": "1", "project": "P-17"}]}"#;
//! let invoice = PurchaseInvoice::from_json(json).unwrap();
//! let report = check(&invoice, &Administration::default(), &VatCodeTable::dutch_default());
//! assert_eq!(report.findings[0].message.nl,
//!     "Rij: 1 - Aantal - Een negatieve waarde is niet toegestaan Aantal - Niet toegestaan: Negatief");
//! ```

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::model::{JsonError, VatCodeTable};

/// A received invoice to be booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseInvoice {
    /// The supplier's invoice number.
    pub number: String,
    /// The supplier's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<String>,
    /// Whether it is a credit (a credit note). Negative quantities make it a credit too.
    #[serde(default)]
    pub credit: bool,
    /// The coding lines.
    pub lines: Vec<CodingLine>,
}

/// One coding line (*codeerregel*).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodingLine {
    /// General-ledger account (*grootboekrekening*); the administration's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gl_account: Option<String>,
    /// Amount without VAT.
    pub amount: Decimal,
    /// The back office's VAT code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_code: Option<String>,
    /// What the line is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Article code: makes the invoice a direct purchase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    /// Number of articles booked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Decimal>,
    /// Warehouse (*magazijn*) the articles go to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warehouse: Option<String>,
    /// Project.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// Cost centre (*kostenplaats*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_centre: Option<String>,
    /// Recharge (*doorbelasting*): to whom or what the cost is passed on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recharge: Option<String>,
}

impl CodingLine {
    /// Whether the line books an article.
    pub fn has_article(&self) -> bool {
        filled(self.article.as_deref())
    }

    fn has_dimension(&self) -> bool {
        filled(self.project.as_deref())
            || filled(self.cost_centre.as_deref())
            || filled(self.recharge.as_deref())
    }
}

fn filled(v: Option<&str>) -> bool {
    v.is_some_and(|s| !s.trim().is_empty())
}

/// The administration the invoice is booked in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Administration {
    /// How many warehouses it has.
    pub warehouses: u32,
    /// The general-ledger account filled on lines without one.
    pub default_gl_account: Option<String>,
}

/// A message in Dutch and English, with the row filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    /// Dutch.
    pub nl: String,
    /// English.
    pub en: String,
}

/// Something wrong with a row (or, with row 0, with the whole invoice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurchaseFinding {
    /// 1-based row of the coding line; 0 for the invoice as a whole.
    pub row: usize,
    /// Stable id: `PUR-CREDIT-DIMENSION`, `PUR-QUANTITY`, `PUR-WAREHOUSE`, `PUR-GL-ACCOUNT`,
    /// `PUR-VAT-CODE`, `PUR-VAT-CODE-UNKNOWN`, `PUR-NO-LINES`.
    pub rule: &'static str,
    /// The field concerned.
    pub field: &'static str,
    /// What is wrong.
    pub message: Text,
}

/// A coding line as passed on to the accounting package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportLine {
    /// 1-based row.
    pub row: usize,
    /// General-ledger account; absent on article lines (booked on the article).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gl_account: Option<String>,
    /// The line as coded, with the default account filled in.
    #[serde(flatten)]
    pub line: CodingLine,
}

/// What [`check`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PurchaseReport {
    /// The supplier's invoice number.
    pub number: String,
    /// Whether it is a direct purchase (a line has an article).
    pub direct: bool,
    /// Whether it is a credit.
    pub credit: bool,
    /// The coding lines with the default account filled in on every line.
    pub lines: Vec<CodingLine>,
    /// The lines as exported; empty when there are findings.
    pub export: Vec<ExportLine>,
    /// Every finding, by row.
    pub findings: Vec<PurchaseFinding>,
}

impl PurchaseReport {
    /// Whether the invoice can be booked.
    pub fn is_ok(&self) -> bool {
        self.findings.is_empty()
    }
}

impl PurchaseInvoice {
    /// Reads coding lines from JSON (unknown fields refused; errors name path, line, column).
    pub fn from_json(bytes: &[u8]) -> Result<PurchaseInvoice, JsonError> {
        crate::model::json::from_slice(bytes)
    }

    /// Derives coding lines from a received UBL Invoice or CreditNote: the article from the
    /// seller's item id, the quantity, the line's net amount, the VAT code of the table with
    /// the line's category and rate (or the code the line carries), project and cost centre.
    /// A CreditNote is a credit, its quantities and amounts booked negative; negative quantities
    /// on an Invoice make it a credit too.
    pub fn from_ubl(xml: &[u8], vat: &VatCodeTable) -> Result<PurchaseInvoice, crate::Error> {
        let invoice = crate::ubl::from_xml(xml)?;
        let totals = invoice.totals_with(vat)?;
        let credit = invoice.is_credit_note();
        let sign = if credit {
            Decimal::NEGATIVE_ONE
        } else {
            Decimal::ONE
        };
        let lines = invoice
            .lines
            .iter()
            .zip(&totals.lines)
            .map(|(line, t)| {
                let vat_code = line.vat.code.clone().or_else(|| {
                    let r = line.vat.resolve(vat)?;
                    let rate = r.rate.unwrap_or(Decimal::ZERO);
                    vat.codes()
                        .iter()
                        .find(|c| c.category == r.category && c.percentage == rate)
                        .map(|c| c.code.clone())
                });
                CodingLine {
                    gl_account: None,
                    amount: t.net_amount * sign,
                    vat_code,
                    description: Some(line.item.name.clone()).filter(|s| !s.is_empty()),
                    article: line.item.seller_id.clone(),
                    quantity: Some(line.quantity * sign),
                    warehouse: None,
                    project: line.project.clone(),
                    cost_centre: line.cost_centre.clone(),
                    recharge: None,
                }
            })
            .collect();
        Ok(PurchaseInvoice {
            number: invoice.number,
            supplier: Some(invoice.supplier.name).filter(|s| !s.is_empty()),
            credit,
            lines,
        })
    }

    /// Whether it is a credit: marked so, or a line with a negative quantity.
    pub fn is_credit(&self) -> bool {
        self.credit
            || self.lines.iter().any(|l| {
                l.quantity
                    .is_some_and(|q| q.is_sign_negative() && !q.is_zero())
            })
    }

    /// Whether it is a direct purchase: a line has an article.
    pub fn is_direct(&self) -> bool {
        self.lines.iter().any(CodingLine::has_article)
    }
}

fn finding(
    row: usize,
    rule: &'static str,
    field: &'static str,
    nl: String,
    en: String,
) -> PurchaseFinding {
    PurchaseFinding {
        row,
        rule,
        field,
        message: Text { nl, en },
    }
}

/// Checks a purchase invoice against the administration and fills in the default account.
pub fn check(
    invoice: &PurchaseInvoice,
    admin: &Administration,
    vat: &VatCodeTable,
) -> PurchaseReport {
    let direct = invoice.is_direct();
    let credit = invoice.is_credit();
    let mut findings = Vec::new();
    if invoice.lines.is_empty() {
        findings.push(finding(
            0,
            "PUR-NO-LINES",
            "lines",
            "De inkoopfactuur heeft geen codeerregels.".into(),
            "The purchase invoice has no coding lines.".into(),
        ));
    }
    let mut lines = invoice.lines.clone();
    for (i, line) in lines.iter_mut().enumerate() {
        let row = i + 1;
        if !filled(line.gl_account.as_deref()) {
            line.gl_account = admin.default_gl_account.clone();
        }
        if direct && credit && line.has_dimension() {
            findings.push(finding(
                row,
                "PUR-CREDIT-DIMENSION",
                "quantity",
                format!(
                    "Rij: {row} - Aantal - Een negatieve waarde is niet toegestaan Aantal - Niet toegestaan: Negatief"
                ),
                format!(
                    "Row {row} - Quantity - a negative value is not allowed: a credit direct purchase cannot be booked with a project, cost centre or recharge"
                ),
            ));
        }
        if line.has_article() {
            if line.quantity.is_none_or(|q| q.is_zero()) {
                findings.push(finding(
                    row,
                    "PUR-QUANTITY",
                    "quantity",
                    format!("Rij: {row} - Aantal - Vul het aantal in bij een artikel"),
                    format!("Row {row} - Quantity - a line with an article needs a quantity"),
                ));
            }
            if admin.warehouses == 1 && !filled(line.warehouse.as_deref()) {
                findings.push(finding(
                    row,
                    "PUR-WAREHOUSE",
                    "warehouse",
                    format!(
                        "Rij: {row} - Magazijn - Vul het magazijn in: de administratie heeft één magazijn"
                    ),
                    format!(
                        "Row {row} - Warehouse - the administration has one warehouse, so an article line needs it"
                    ),
                ));
            }
        } else if !filled(line.gl_account.as_deref()) {
            findings.push(finding(
                row,
                "PUR-GL-ACCOUNT",
                "gl_account",
                format!("Rij: {row} - Grootboekrekening - Vul een grootboekrekening in"),
                format!(
                    "Row {row} - General-ledger account - missing, and the administration has no default account"
                ),
            ));
        }
        match line.vat_code.as_deref() {
            None | Some("") => findings.push(finding(
                row,
                "PUR-VAT-CODE",
                "vat_code",
                format!("Rij: {row} - Btw-code - Vul een btw-code in"),
                format!("Row {row} - VAT code - missing"),
            )),
            Some(code) if vat.get(code).is_none() => findings.push(finding(
                row,
                "PUR-VAT-CODE-UNKNOWN",
                "vat_code",
                format!("Rij: {row} - Btw-code - {code} staat niet in de btw-codetabel"),
                format!("Row {row} - VAT code - {code} is not in the VAT code table"),
            )),
            Some(_) => {}
        }
    }
    let export = if findings.is_empty() {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| ExportLine {
                row: i + 1,
                gl_account: if l.has_article() {
                    None
                } else {
                    l.gl_account.clone()
                },
                line: CodingLine {
                    gl_account: None,
                    ..l.clone()
                },
            })
            .collect()
    } else {
        Vec::new()
    };
    PurchaseReport {
        number: invoice.number.clone(),
        direct,
        credit,
        lines,
        export,
        findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(article: Option<&str>) -> CodingLine {
        CodingLine {
            amount: Decimal::from(10),
            vat_code: Some("HOOG".into()),
            article: article.map(Into::into),
            quantity: article.map(|_| Decimal::from(1)),
            ..CodingLine::default()
        }
    }

    fn admin(warehouses: u32) -> Administration {
        Administration {
            warehouses,
            default_gl_account: Some("4999".into()),
        }
    }

    #[test]
    fn defaults_and_export() {
        let inv = PurchaseInvoice {
            number: "I1".into(),
            supplier: None,
            credit: false,
            lines: vec![line(None), line(Some("ART-1"))],
        };
        let r = check(&inv, &admin(2), &VatCodeTable::dutch_default());
        assert!(r.is_ok(), "{:?}", r.findings);
        assert!(r.direct && !r.credit);
        assert!(
            r.lines
                .iter()
                .all(|l| l.gl_account.as_deref() == Some("4999"))
        );
        assert_eq!(r.export[0].gl_account.as_deref(), Some("4999"));
        assert_eq!(r.export[1].gl_account, None);
        let json = serde_json::to_value(&r.export[1]).unwrap();
        assert!(json.get("gl_account").is_none(), "{json}");
        assert_eq!(json["article"], "ART-1");
    }

    #[test]
    fn direct_purchase_rules() {
        let vat = VatCodeTable::dutch_default();
        let mut l = line(Some("ART-1"));
        l.quantity = None;
        let inv = PurchaseInvoice {
            number: "I2".into(),
            supplier: None,
            credit: false,
            lines: vec![l],
        };
        let rules: Vec<_> = check(&inv, &admin(1), &vat)
            .findings
            .iter()
            .map(|f| (f.row, f.rule))
            .collect();
        assert_eq!(rules, [(1, "PUR-QUANTITY"), (1, "PUR-WAREHOUSE")]);
        let rules: Vec<_> = check(&inv, &admin(3), &vat)
            .findings
            .iter()
            .map(|f| f.rule)
            .collect();
        assert_eq!(rules, ["PUR-QUANTITY"]);
        let mut bare = line(None);
        bare.vat_code = Some("XX".into());
        let inv = PurchaseInvoice {
            number: "I3".into(),
            supplier: None,
            credit: false,
            lines: vec![bare],
        };
        let rules: Vec<_> = check(&inv, &Administration::default(), &vat)
            .findings
            .iter()
            .map(|f| f.rule)
            .collect();
        assert_eq!(rules, ["PUR-GL-ACCOUNT", "PUR-VAT-CODE-UNKNOWN"]);
        let empty = PurchaseInvoice {
            number: "I4".into(),
            supplier: None,
            credit: false,
            lines: vec![],
        };
        assert_eq!(
            check(&empty, &admin(0), &vat).findings[0].rule,
            "PUR-NO-LINES"
        );
    }

    #[test]
    fn credit_with_dimensions_refused_per_row() {
        let vat = VatCodeTable::dutch_default();
        let mut a = line(Some("ART-1"));
        a.quantity = Some(Decimal::from(-3));
        a.project = Some("P1".into());
        let b = line(None);
        let mut c = line(None);
        c.recharge = Some("Klant 7".into());
        let mut d = line(Some("ART-2"));
        d.cost_centre = Some("KP-2".into());
        let inv = PurchaseInvoice {
            number: "C1".into(),
            supplier: None,
            credit: false,
            lines: vec![a, b, c, d],
        };
        let r = check(&inv, &admin(0), &vat);
        assert!(r.credit, "a negative quantity makes it a credit");
        let rows: Vec<_> = r
            .findings
            .iter()
            .map(|f| (f.row, f.message.nl.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                (
                    1,
                    "Rij: 1 - Aantal - Een negatieve waarde is niet toegestaan Aantal - Niet toegestaan: Negatief"
                ),
                (
                    3,
                    "Rij: 3 - Aantal - Een negatieve waarde is niet toegestaan Aantal - Niet toegestaan: Negatief"
                ),
                (
                    4,
                    "Rij: 4 - Aantal - Een negatieve waarde is niet toegestaan Aantal - Niet toegestaan: Negatief"
                ),
            ]
        );
        assert!(r.findings[0].message.en.starts_with("Row 1 - Quantity"));
        assert!(r.export.is_empty());
        // Not a direct purchase (no article): dimensions on a credit are fine.
        let mut e = line(None);
        e.project = Some("P1".into());
        let plain = PurchaseInvoice {
            number: "C2".into(),
            supplier: None,
            credit: true,
            lines: vec![e],
        };
        assert!(check(&plain, &admin(0), &vat).is_ok());
    }
}
