//! The run report: one row per draft of the run (number, customer, KvK, totals, VAT, status,
//! findings), as CSV and as JSON. Pure functions over the rows.

use std::fmt::Write as _;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::ledger::LedgerError;
use crate::ledger::runs::{JsonText, RowSource, RunInvoice, row_counts};
use crate::ledger::{RunMode, RunRecord};

use super::plan::{DraftFacts, Fate, Item};

/// The row of a planned item.
/// What the run report says of a draft, kept on disk from the check until the plan (one
/// JSON line per draft).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportFacts {
    /// Its index in the input.
    pub index: usize,
    /// Where it came from.
    pub source: String,
    /// Its key.
    pub key: String,
    /// UNCL 1001 type code.
    pub type_code: u16,
    /// The invoice date.
    pub issue_date: NaiveDate,
    /// The customer's name.
    pub customer: Option<String>,
    /// The customer's KvK number.
    pub kvk: Option<String>,
    /// The currency.
    pub currency: String,
    /// Total without VAT, total VAT, amount due.
    pub totals: Option<(String, String, String)>,
    /// Net and VAT per rate (JSON).
    pub rates: JsonText,
    /// The check's findings (JSON).
    pub findings: JsonText,
}

impl ReportFacts {
    /// The report's part of a draft's facts.
    pub fn of(f: &DraftFacts) -> ReportFacts {
        ReportFacts {
            index: f.index,
            source: f.source.clone(),
            key: f.key.clone(),
            type_code: f.type_code,
            issue_date: f.issue_date,
            customer: f.customer.clone(),
            kvk: f.kvk.clone(),
            currency: f.currency.clone(),
            totals: f
                .totals
                .map(|t| (t.0.to_string(), t.1.to_string(), t.2.to_string())),
            rates: JsonText::of(&f.rates),
            findings: JsonText::of(&f.findings),
        }
    }
}

/// The report row of a planned draft.
pub fn row(facts: &ReportFacts, item: &Item, mode: RunMode) -> RunInvoice {
    let status = match (&item.fate, mode) {
        (Fate::Numbered, RunMode::Test) => "test",
        (Fate::Numbered, RunMode::Production) => "Definitief",
        (Fate::Failed, _) => "failed",
        (Fate::Skipped(_), _) => "skipped",
    };
    let findings = match &item.fate {
        Fate::Skipped(reason) => JsonText::of(&json!([{
            "rule": "RUN-SKIPPED", "severity": "information",
            "message": {"en": reason}
        }])),
        _ => facts.findings.clone(),
    };
    RunInvoice {
        position: item.position,
        number: item.number.clone(),
        invoice_id: None,
        draft_key: facts.key.clone(),
        source: facts.source.clone(),
        type_code: facts.type_code,
        status: status.to_owned(),
        customer: facts.customer.clone(),
        kvk: facts.kvk.clone(),
        issue_date: facts.issue_date,
        currency: facts.currency.clone(),
        net: facts.totals.as_ref().map(|t| t.0.clone()),
        vat: facts.totals.as_ref().map(|t| t.1.clone()),
        total: facts.totals.as_ref().map(|t| t.2.clone()),
        vat_rates: facts.rates.clone(),
        findings,
    }
}

/// The CSV header.
pub const CSV_HEADER: &str = "position,number,type,customer,kvk,issue_date,currency,net,vat,total,vat_per_rate,status,findings,source";

fn csv_field(out: &mut String, v: &str) {
    if v.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

/// The name of a type code, as the overview groups them.
pub fn type_name(code: u16) -> &'static str {
    match code {
        380 => "invoice",
        381 => "credit note",
        384 => "corrected invoice",
        389 => "self-billed invoice",
        _ => "other",
    }
}

fn rates_text(v: &Value) -> String {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|r| {
                    let rate = r["rate"]
                        .as_str()
                        .map(|s| format!("{s}%"))
                        .or_else(|| r["rate"].as_number().map(|n| format!("{n}%")))
                        .unwrap_or_default();
                    format!(
                        "{}{}{}: {} / {}",
                        r["category"].as_str().unwrap_or(""),
                        if rate.is_empty() { "" } else { " " },
                        rate,
                        num(&r["net"]),
                        num(&r["vat"])
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default()
}

fn num(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

fn findings_text(v: &Value) -> String {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    let msg = f["message"]["en"].as_str().unwrap_or("");
                    let at = f["location"]["path"].as_str().unwrap_or("");
                    if at.is_empty() {
                        format!("{} {}", f["rule"].as_str().unwrap_or(""), msg)
                    } else {
                        format!("{} at {}: {}", f["rule"].as_str().unwrap_or(""), at, msg)
                    }
                })
                .collect::<Vec<_>>()
                .join(" | ")
        })
        .unwrap_or_default()
}

/// One CSV line (with its line break) for a row.
pub fn csv_line(r: &RunInvoice) -> String {
    let mut out = String::with_capacity(200);
    let _ = write!(out, "{},", r.position + 1);
    for (i, v) in [
        r.number.clone().unwrap_or_default(),
        type_name(r.type_code).to_owned(),
        r.customer.clone().unwrap_or_default(),
        r.kvk.clone().unwrap_or_default(),
        r.issue_date.to_string(),
        r.currency.clone(),
        r.net.clone().unwrap_or_default(),
        r.vat.clone().unwrap_or_default(),
        r.total.clone().unwrap_or_default(),
        rates_text(&r.vat_rates.value()),
        r.status.clone(),
        findings_text(&r.findings.value()),
        r.source.clone(),
    ]
    .iter()
    .enumerate()
    {
        if i > 0 {
            out.push(',');
        }
        csv_field(&mut out, v);
    }
    out.push_str("\r\n");
    out
}

/// Writes the CSV report, row by row.
pub fn write_csv(w: &mut dyn std::io::Write, rows: &dyn RowSource) -> std::io::Result<()> {
    w.write_all(CSV_HEADER.as_bytes())?;
    w.write_all(b"\r\n")?;
    rows.each_row(&mut |r| {
        w.write_all(csv_line(r).as_bytes())
            .map_err(|e| LedgerError::Invalid(format!("run report: {e}")))
    })
    .map_err(std::io::Error::other)
}

/// The JSON report: the run and its rows, written row by row (no copy of the whole report is
/// built in memory).
pub fn write_json(
    w: &mut dyn std::io::Write,
    run: &RunRecord,
    rows: &dyn RowSource,
) -> std::io::Result<()> {
    let (invoices, failed, skipped) =
        row_counts(rows, |_| Ok(())).map_err(std::io::Error::other)?;
    let head = json!({
        "run": run.id,
        "mode": run.mode,
        "profile": run.profile,
        "from": run.from,
        "to": run.to,
        "booking_date": run.booking_date,
        "description": run.description,
        "user": run.user,
        "invoices": invoices,
        "failed": failed,
        "skipped": skipped,
    });
    let head = serde_json::to_string_pretty(&head)?;
    // The head without its closing brace, then the rows, one per line.
    w.write_all(head.trim_end().trim_end_matches('}').trim_end().as_bytes())?;
    w.write_all(b",\n  \"rows\": [")?;
    let mut first = true;
    rows.each_row(&mut |r| {
        let io = |e: std::io::Error| LedgerError::Invalid(format!("run report: {e}"));
        w.write_all(if first { b"\n    " } else { b",\n    " })
            .map_err(io)?;
        first = false;
        serde_json::to_writer(&mut *w, r).map_err(|e| io(e.into()))
    })
    .map_err(std::io::Error::other)?;
    w.write_all(b"\n  ]\n}\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_columns() {
        let r = RunInvoice {
            position: 0,
            number: Some("TEST-0001".into()),
            invoice_id: None,
            draft_key: "k".into(),
            source: "a.json".into(),
            type_code: 380,
            status: "test".into(),
            customer: Some("Jansen, \"de\" bakker".into()),
            kvk: Some("30124517".into()),
            issue_date: chrono::NaiveDate::from_ymd_opt(2026, 2, 3).unwrap(),
            currency: "EUR".into(),
            net: Some("100.00".into()),
            vat: Some("21.00".into()),
            total: Some("121.00".into()),
            vat_rates: JsonText::of(
                &json!([{"category": "S", "rate": "21", "net": "100.00", "vat": "21.00"}]),
            ),
            findings: JsonText::of(&json!([])),
        };
        let line = csv_line(&r);
        assert_eq!(
            line,
            "1,TEST-0001,invoice,\"Jansen, \"\"de\"\" bakker\",30124517,2026-02-03,EUR,100.00,21.00,121.00,S 21%: 100.00 / 21.00,test,,a.json\r\n"
        );
        assert_eq!(
            CSV_HEADER.split(',').count(),
            line.trim_end().split(',').count() - 1
        );
    }
}
