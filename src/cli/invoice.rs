//! `factuur invoice add|edit|show|list`: invoices in the ledger.

use std::io::{self, Write};
use std::path::PathBuf;

use factuur::Error;
use factuur::ledger::{Actor, ListFilter, StoredInvoice};
use factuur::lifecycle::Status;
use serde_json::json;

use super::ledger::{LedgerOpts, fail, now, open, stamp};
use super::{read_invoice, report_unusable, stdout_error};

/// `factuur invoice …`.
#[derive(clap::Subcommand)]
pub(crate) enum InvoiceAction {
    /// Add invoices (JSON model) as Concept; each gets the next number of its series (or keeps
    /// its own with --keep-number). Prints each invoice's number and status.
    Add {
        /// Invoice JSON files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The number series (may be left out when the ledger has only one).
        #[arg(long, value_name = "NAME")]
        series: Option<String>,
        /// Keep the invoice's own number (an imported invoice); it must be unique.
        #[arg(long)]
        keep_number: bool,
        #[command(flatten)]
        opts: LedgerOpts,
    },
    /// Replace the content of a Concept or Proforma invoice (it keeps its number).
    Edit {
        /// The invoice number.
        number: String,
        /// The new content (JSON model).
        file: PathBuf,
        /// Refuse (exit 3) unless the invoice is still at this version.
        #[arg(long, value_name = "V")]
        expect_version: Option<i64>,
        #[command(flatten)]
        opts: LedgerOpts,
    },
    /// Show an invoice: status, version, series, reporting; with --json also the content.
    Show {
        /// The invoice number.
        number: String,
        #[command(flatten)]
        opts: LedgerOpts,
    },
    /// List invoices, by number.
    List {
        /// Only invoices with this status: Concept, Proforma, "Proforma verstuurd",
        /// Definitief, Gemeld, Verstuurd or Vervallen.
        #[arg(long, value_name = "S", value_parser = parse_status)]
        status: Option<Status>,
        /// Only the reported invoices (Gemeld, awaiting their VAT ticket); needs reported.list.
        #[arg(long, conflicts_with = "status")]
        reported: bool,
        /// Only this series.
        #[arg(long, value_name = "NAME")]
        series: Option<String>,
        #[command(flatten)]
        opts: LedgerOpts,
    },
}

pub(crate) fn parse_status(s: &str) -> Result<Status, String> {
    Status::from_name(s).ok_or_else(|| {
        format!("unknown status {s:?}: one of Concept, Proforma, \"Proforma verstuurd\", Definitief, Gemeld, Verstuurd, Vervallen")
    })
}

pub(crate) fn run(action: InvoiceAction) -> Result<u8, Error> {
    match action {
        InvoiceAction::Add {
            files,
            series,
            keep_number,
            opts,
        } => add(&opts, &files, series.as_deref(), keep_number),
        InvoiceAction::Edit {
            number,
            file,
            expect_version,
            opts,
        } => edit(&opts, &number, &file, expect_version),
        InvoiceAction::Show { number, opts } => show(&opts, &number),
        InvoiceAction::List {
            status,
            reported,
            series,
            opts,
        } => list(
            &opts,
            &ListFilter {
                status: if reported {
                    Some(Status::Gemeld)
                } else {
                    status
                },
                series,
            },
        ),
    }
}

fn summary_json(s: &StoredInvoice) -> serde_json::Value {
    json!({"number": s.number, "status": s.status, "version": s.version, "series": s.series})
}

fn add(
    opts: &LedgerOpts,
    files: &[PathBuf],
    series: Option<&str>,
    keep_number: bool,
) -> Result<u8, Error> {
    let mut ledger = match open(opts)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let user = opts.user();
    let mut worst = 0;
    for file in files {
        let invoice = match read_invoice(file) {
            Ok(i) => i,
            Err(e) => {
                report_unusable(&mut io::stdout().lock(), file, &e, opts.json)
                    .map_err(stdout_error)?;
                worst = worst.max(2);
                continue;
            }
        };
        let name = file.display().to_string();
        match ledger.add(&Actor::new(&user, now()), &invoice, series, keep_number) {
            Ok(s) => {
                let mut out = io::stdout().lock();
                if opts.json {
                    let mut v = summary_json(&s);
                    v["file"] = json!(name);
                    v["ok"] = json!(true);
                    writeln!(out, "{v}")
                } else {
                    writeln!(out, "{}\t{}", s.number, s.status)
                }
                .map_err(stdout_error)?;
            }
            Err(e) => worst = worst.max(fail(opts, Some(&name), &e)?),
        }
    }
    Ok(worst)
}

fn edit(
    opts: &LedgerOpts,
    number: &str,
    file: &std::path::Path,
    expect: Option<i64>,
) -> Result<u8, Error> {
    let invoice = match read_invoice(file) {
        Ok(i) => i,
        Err(e) => {
            report_unusable(&mut io::stdout().lock(), file, &e, opts.json).map_err(stdout_error)?;
            return Ok(2);
        }
    };
    let mut ledger = match open(opts)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let user = opts.user();
    match ledger.edit(&Actor::new(&user, now()), number, invoice, expect) {
        Ok(a) => {
            let mut out = io::stdout().lock();
            if opts.json {
                let mut v = summary_json(&a.invoice);
                v["ok"] = json!(true);
                writeln!(out, "{v}")
            } else {
                writeln!(
                    out,
                    "{}\t{}\tversion {}",
                    a.invoice.number, a.invoice.status, a.invoice.version
                )
            }
            .map_err(stdout_error)?;
            Ok(0)
        }
        Err(e) => fail(opts, Some(number), &e),
    }
}

fn show(opts: &LedgerOpts, number: &str) -> Result<u8, Error> {
    let mut ledger = match open(opts)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let user = opts.user();
    let s = match ledger.show(&Actor::new(&user, now()), number) {
        Ok(s) => s,
        Err(e) => return fail(opts, Some(number), &e),
    };
    let mut out = io::stdout().lock();
    if opts.json {
        let v =
            serde_json::to_value(&s).map_err(|e| super::other(std::path::Path::new(number), e))?;
        writeln!(out, "{v}").map_err(stdout_error)?;
        return Ok(0);
    }
    let mut text = format!(
        "invoice   {}\nstatus    {}\nversion   {}\nseries    {}{}\n",
        s.number,
        s.status,
        s.version,
        s.series.as_deref().unwrap_or("-"),
        if s.imported {
            " (imported, own number)"
        } else {
            ""
        }
    );
    if s.gks {
        text += "reporting to the tax black box (GKS)\n";
    }
    if let Some(t) = &s.reporting.ticket {
        text += &format!("VAT ticket {t}\n");
    }
    if let Some(t) = s.reporting.next_attempt {
        text += &format!(
            "next offer {} (after {} answer(s))\n",
            stamp(t),
            s.reporting.attempts
        );
    }
    if let Some(c) = &s.invoice.customer {
        text += &format!("customer  {}\n", c.name);
    }
    if let Ok(t) = s.invoice.totals() {
        text += &format!("amount    {} {}\n", s.invoice.currency.as_str(), t.payable);
    }
    text += &format!(
        "created   {}\nchanged   {}\n",
        stamp(s.created_at),
        stamp(s.updated_at)
    );
    out.write_all(text.as_bytes()).map_err(stdout_error)?;
    Ok(0)
}

fn list(opts: &LedgerOpts, filter: &ListFilter) -> Result<u8, Error> {
    let mut ledger = match open(opts)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let user = opts.user();
    let rows = match ledger.list(&Actor::new(&user, now()), filter) {
        Ok(r) => r,
        Err(e) => return fail(opts, None, &e),
    };
    let mut out = io::stdout().lock();
    for r in rows {
        if opts.json {
            writeln!(out, "{}", json!(r))
        } else {
            let extra = match (&r.ticket, r.next_attempt) {
                (Some(t), _) => format!("\tticket {t}"),
                (None, Some(n)) => format!("\tnext offer {}", stamp(n)),
                _ => String::new(),
            };
            writeln!(
                out,
                "{}\t{}\tversion {}\t{}{extra}",
                r.number,
                r.status,
                r.version,
                r.series.as_deref().unwrap_or("-")
            )
        }
        .map_err(stdout_error)?;
    }
    Ok(0)
}
