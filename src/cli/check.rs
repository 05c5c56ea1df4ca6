//! `factuur check` and `factuur totals`: the back office's error check and the EN 16931 totals
//! of invoices in the JSON model.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use factuur::validate::{Lang, Report, check};
use factuur::{Error, Invoice};
use serde_json::json;

use super::{LangArg, load_table, read_input, report_unusable, stdout_error};

/// Arguments of `factuur check`.
#[derive(clap::Args)]
pub(crate) struct CheckArgs {
    /// Invoice JSON files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// One JSON object per file on standard output (JSON Lines).
    #[arg(long)]
    json: bool,
    /// Check only the invoice with this number among the files; reports CHK-NOT-FOUND when
    /// none has it.
    #[arg(long, value_name = "NUMBER")]
    number: Option<String>,
    /// VAT code table (JSON array of {code, category, percentage, ...}) instead of the Dutch
    /// default.
    #[arg(long, value_name = "FILE")]
    vat_codes: Option<PathBuf>,
    /// Language of the messages.
    #[arg(long, value_enum, default_value = "en")]
    lang: LangArg,
}

/// Arguments of `factuur totals`.
#[derive(clap::Args)]
pub(crate) struct TotalsArgs {
    /// Invoice JSON files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// One JSON object per file on standard output (JSON Lines).
    #[arg(long)]
    json: bool,
    /// VAT code table instead of the Dutch default.
    #[arg(long, value_name = "FILE")]
    vat_codes: Option<PathBuf>,
}

pub(crate) fn run_check(a: CheckArgs) -> Result<u8, Error> {
    cmd_check(
        &a.files,
        a.json,
        a.number.as_deref(),
        a.vat_codes.as_deref(),
        a.lang.into(),
    )
}

pub(crate) fn run_totals(a: TotalsArgs) -> Result<u8, Error> {
    cmd_totals(&a.files, a.json, a.vat_codes.as_deref())
}

fn print_report(
    out: &mut impl Write,
    file: Option<&Path>,
    number: &str,
    report: &Report,
    as_json: bool,
    lang: Lang,
) -> io::Result<()> {
    let name = file.map(|f| f.display().to_string());
    if as_json {
        let v = json!({"file": name, "number": number, "ok": report.is_ok(), "findings": report.findings});
        return writeln!(out, "{v}");
    }
    let name = name.unwrap_or_else(|| format!("invoice {number}"));
    if report.findings.is_empty() {
        return writeln!(out, "{name}: ok");
    }
    writeln!(out, "{name}: {} finding(s)", report.findings.len())?;
    for f in &report.findings {
        let mut place = f.location.path.clone();
        if let (Some(n), Some(id)) = (f.location.line_number, &f.location.line_id) {
            place.push_str(&format!(" (line {n}, id {id})"));
        }
        let value = f
            .value
            .as_deref()
            .map(|v| format!(" [{v}]"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {} {} at {}: {}{}",
            f.severity,
            f.rule,
            place,
            f.message.get(lang),
            value
        )?;
    }
    Ok(())
}

fn cmd_check(
    files: &[PathBuf],
    as_json: bool,
    number: Option<&str>,
    vat_codes: Option<&Path>,
    lang: Lang,
) -> Result<u8, Error> {
    let table = load_table(vat_codes)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut worst = 0u8;
    let mut found = false;
    for file in files {
        let invoice = match read_input(file).and_then(|b| Invoice::from_json(&b)) {
            Ok(i) => i,
            Err(e) => {
                report_unusable(&mut out, file, &e, as_json).map_err(stdout_error)?;
                worst = 2;
                continue;
            }
        };
        if number.is_some_and(|n| n != invoice.number) {
            continue;
        }
        found = true;
        let report = check::check(&invoice, &table);
        if report.has_fatal() {
            worst = worst.max(1);
        }
        print_report(
            &mut out,
            Some(file),
            &invoice.number,
            &report,
            as_json,
            lang,
        )
        .map_err(stdout_error)?;
    }
    if let (Some(n), false) = (number, found) {
        let report = check::check_by_number(std::iter::empty(), n, &table);
        print_report(&mut out, None, n, &report, as_json, lang).map_err(stdout_error)?;
        worst = worst.max(1);
    }
    Ok(worst)
}

fn cmd_totals(files: &[PathBuf], as_json: bool, vat_codes: Option<&Path>) -> Result<u8, Error> {
    let table = load_table(vat_codes)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut worst = 0u8;
    for file in files {
        let totals = read_input(file)
            .and_then(|b| Invoice::from_json(&b))
            .and_then(|inv| Ok((inv.totals_with(&table)?, inv)));
        let (totals, invoice) = match totals {
            Ok(t) => t,
            Err(e) => {
                report_unusable(&mut out, file, &e, as_json).map_err(stdout_error)?;
                worst = 2;
                continue;
            }
        };
        let name = file.display().to_string();
        if as_json {
            let v = json!({"file": name, "number": invoice.number, "currency": invoice.currency, "totals": totals});
            writeln!(out, "{v}").map_err(stdout_error)?;
            continue;
        }
        let cur = invoice.currency.as_str();
        let mut text = format!("{name}: invoice {}\n", invoice.number);
        let row = |label: &str, v: &rust_decimal::Decimal| format!("  {label:<26}{cur} {v:>14}\n");
        text += &row("sum of lines", &totals.line_total);
        if !totals.allowance_total.is_zero() {
            text += &row("allowances", &totals.allowance_total);
        }
        if !totals.charge_total.is_zero() {
            text += &row("charges", &totals.charge_total);
        }
        text += &row("total without VAT", &totals.tax_exclusive);
        for b in &totals.vat_breakdown {
            let rate = b
                .rate
                .map(|r| format!(" {}%", r.normalize()))
                .unwrap_or_default();
            let label = format!("VAT {}{rate} over {}", b.category, b.taxable_amount);
            text += &row(&label, &b.vat_amount);
        }
        text += &row("total with VAT", &totals.tax_inclusive);
        if !totals.prepaid.is_zero() {
            text += &row("prepaid", &totals.prepaid);
        }
        if !totals.rounding.is_zero() {
            text += &row("rounding", &totals.rounding);
        }
        text += &row("amount due", &totals.payable);
        out.write_all(text.as_bytes()).map_err(stdout_error)?;
    }
    Ok(worst)
}
