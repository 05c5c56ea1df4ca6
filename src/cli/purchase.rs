//! `factuur purchase check`: a received (direct) purchase invoice's coding lines, from JSON or
//! from a UBL Invoice or CreditNote.

use std::io::{self, Write};
use std::path::PathBuf;

use factuur::Error;
use factuur::lifecycle::purchase::{self, Administration, PurchaseInvoice};
use factuur::validate::Lang;
use serde_json::json;

use super::{LangArg, load_table, read_input, report_unusable, stdout_error};

/// `factuur purchase …`.
#[derive(clap::Subcommand)]
pub(crate) enum PurchaseAction {
    /// Check the coding lines of a purchase invoice (JSON, or a received UBL Invoice or
    /// CreditNote) and show what is passed on to the accounting package. Exit 0 when it can be
    /// booked, 1 with findings (per row), 2 for an unusable file.
    Check {
        /// The purchase invoice: coding lines as JSON, or UBL XML.
        file: PathBuf,
        /// How many warehouses the administration has (an article line needs a warehouse when
        /// it has exactly one).
        #[arg(long, default_value_t = 0)]
        warehouses: u32,
        /// The general-ledger account filled on lines without one.
        #[arg(long, value_name = "ACCOUNT")]
        default_account: Option<String>,
        /// VAT code table instead of the Dutch default.
        #[arg(long, value_name = "FILE")]
        vat_codes: Option<PathBuf>,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "nl")]
        lang: LangArg,
        /// The report as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub(crate) fn run(action: PurchaseAction) -> Result<u8, Error> {
    let PurchaseAction::Check {
        file,
        warehouses,
        default_account,
        vat_codes,
        lang,
        json: as_json,
    } = action;
    let table = load_table(vat_codes.as_deref())?;
    let bytes = read_input(&file)?;
    let is_xml = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<');
    let invoice = if is_xml {
        PurchaseInvoice::from_ubl(&bytes, &table)
    } else {
        PurchaseInvoice::from_json(&bytes).map_err(|e| {
            Error::Json(factuur::model::JsonError {
                message: format!("{}: {}", file.display(), e.message),
                ..e
            })
        })
    };
    let invoice = match invoice {
        Ok(i) => i,
        Err(e) => {
            report_unusable(&mut io::stdout().lock(), &file, &e, as_json).map_err(stdout_error)?;
            return Ok(2);
        }
    };
    let admin = Administration {
        warehouses,
        default_gl_account: default_account,
    };
    let report = purchase::check(&invoice, &admin, &table);
    let mut out = io::stdout().lock();
    if as_json {
        let mut v = json!(report);
        v["file"] = json!(file.display().to_string());
        v["ok"] = json!(report.is_ok());
        writeln!(out, "{v}").map_err(stdout_error)?;
    } else {
        let kind = match (report.direct, report.credit) {
            (true, true) => "credit direct purchase",
            (true, false) => "direct purchase",
            (false, true) => "credit purchase",
            (false, false) => "purchase",
        };
        let mut text = format!(
            "{}: {kind}, {} coding line(s)\n",
            invoice.number,
            report.lines.len()
        );
        for f in &report.findings {
            let msg = match Lang::from(lang) {
                Lang::Nl => &f.message.nl,
                Lang::En => &f.message.en,
            };
            text += &format!("  {} {msg}\n", f.rule);
        }
        for l in &report.export {
            text += &format!(
                "  row {}: {} {} {}{}\n",
                l.row,
                l.gl_account.as_deref().map_or_else(
                    || "(booked on the article)".to_owned(),
                    |g| format!("account {g}")
                ),
                l.line.amount,
                l.line.vat_code.as_deref().unwrap_or(""),
                l.line
                    .article
                    .as_deref()
                    .map(|a| format!(", article {a} × {}", l.line.quantity.unwrap_or_default()))
                    .unwrap_or_default()
            );
        }
        out.write_all(text.as_bytes()).map_err(stdout_error)?;
    }
    Ok(if report.is_ok() { 0 } else { 1 })
}
