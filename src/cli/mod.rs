//! The `factuur` command-line tool: a thin layer over the library. `src/bin/factuur.rs` only
//! calls [`main`]; each command group has its own file here, with its arguments and what it does.
//!
//! Exit codes: 0 success (no fatal finding), 1 fatal findings or a refusal, 2 unusable input or
//! usage, 3 a conflict with a concurrent change to the ledger (retry).

mod check;
mod invoice;
mod ledger;
mod merge;
mod pair;
mod pdf;
mod purchase;
mod report;
mod run;
mod transition;
mod ubl;
mod validate;

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use factuur::fsutil::write_atomic;
use factuur::model::{JsonError, VatCodeTable};
use factuur::ubl::{Profile, UblError};
use factuur::validate::Lang;
use factuur::{Error, Invoice};
use serde_json::json;

/// Largest input file accepted, in bytes. Real invoices are far smaller; this keeps a wrong or
/// hostile file from exhausting memory.
pub(crate) const MAX_INPUT: u64 = 256 * 1024 * 1024;

#[derive(Parser)]
#[command(
    name = "factuur",
    version,
    about = "Dutch invoices: check, UBL e-invoices, Word merge, PDF, delivery of XML + PDF pairs, and a ledger from concept to sent"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    Nl,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Nl => Lang::Nl,
            LangArg::En => Lang::En,
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Run the back office's error check (customer, branch, work order, address, VAT codes).
    ///
    /// Exit 0 when no invoice has a fatal finding, 1 when one has, 2 when a file is unusable.
    Check(check::CheckArgs),
    /// Print the EN 16931 totals and VAT breakdown of invoices.
    Totals(check::TotalsArgs),
    /// Print the JSON Schema of the invoice input.
    Schema,
    /// Write an invoice as a UBL 2.1 e-invoice (SI-UBL 2.0 by default, or Peppol BIS 3).
    Ubl(ubl::UblArgs),
    /// Read a UBL Invoice or CreditNote and write it again as UBL (keeping its
    /// CustomizationID and ProfileID) or as the JSON model.
    Convert(ubl::ConvertArgs),
    /// Merge a Word template (.docx with MERGEFIELDs) with an invoice, or with any data.
    ///
    /// `merge T.docx INVOICE.json` merges an invoice through the field catalogue;
    /// `merge T.docx --data DATA.json` merges a generic record (top-level values, lists of
    /// objects for regions); `merge T.docx --data RECORDS.jsonl --out-dir DIR` merges one
    /// document per line, in parallel. Exit 0 on success (warnings on standard error), 2 when
    /// an input is unusable.
    Merge(merge::MergeArgs),
    /// List the fields of a Word template, flagging names the invoice catalogue does not know.
    Fields(merge::FieldsArgs),
    /// Word templates.
    Template {
        #[command(subcommand)]
        action: merge::TemplateAction,
    },
    /// Render invoices as PDF (A4, Dutch or English); with --hybrid a PDF/A-3b carrying the XML.
    ///
    /// The PDF is named after the invoice number (`<number>.pdf`, made safe for every file
    /// system), in --out-dir or the current folder; -o names it for a single input.
    /// Exit 0 when every PDF was written, 2 when an input was unusable.
    Pdf(pdf::PdfArgs),
    /// Write the InvoiceSharing pair of each invoice: <base>.xml (the UBL e-invoice) and
    /// <base>.pdf, with the same base name, both or neither.
    ///
    /// Exit 0 when every pair was written, 2 when an input was unusable.
    Pair(pair::PairArgs),
    /// Deliver the XML + PDF pairs in a folder: one e-mail per invoice to the upload address,
    /// routed by the customer's KvK number.
    ///
    /// Writes each message as <base>.eml with --eml-dir and/or sends it with --smtp; with
    /// neither, only prints the routing. Exit 0 when every pair was delivered, 1 when some were
    /// refused (no KvK number, unreadable XML), 2 on unusable input or a failed SMTP exchange.
    Send(pair::SendArgs),
    /// The invoice ledger: create it, grant roles and permissions, set up number series.
    ///
    /// Every ledger command takes --db URL (an SQLite file, default factuur.sqlite or
    /// $FACTUUR_DB; postgres://… for PostgreSQL), --as USER and --json. Exit 0 done, 1 refused
    /// (the reason or the findings are printed), 2 unusable input or usage, 3 a conflict with a
    /// concurrent change (retry).
    Ledger {
        #[command(subcommand)]
        action: ledger::LedgerAction,
    },
    /// Invoices in the ledger: add, edit, show, list.
    Invoice {
        #[command(subcommand)]
        action: invoice::InvoiceAction,
    },
    /// Move an invoice through its status flow: Concept → Proforma / Definitief / Vervallen,
    /// Proforma → Proforma verstuurd → Definitief (approved) or Proforma (rejected),
    /// Definitief → Verstuurd (or Gemeld where the series reports to the tax black box),
    /// Gemeld → Definitief (deblokkeer, only while there is no VAT ticket).
    Transition(transition::TransitionArgs),
    /// Offer the reported invoices that are due to the tax black box (GKS) and record the
    /// answers: a ticket makes the invoice Verstuurd; none yet or an error, a new offer after
    /// the retry interval.
    Report(report::ReportArgs),
    /// An invoice's history: every transition, check result, attempt and ticket.
    History(transition::HistoryArgs),
    /// Received purchase invoices (direct purchases with articles).
    Purchase {
        #[command(subcommand)]
        action: purchase::PurchaseAction,
    },
    /// An invoice run: every draft of a profile in a time window, as a test (marked
    /// documents, TEST-0001… numbers, nothing in the ledger changes) or in production
    /// (numbered from the profile's series, made final); one ZIP with every document and the
    /// run report. `run show|rollback|work` act on runs.
    ///
    /// Exit 0 done, 1 refused or some invoices failed, 2 unusable input or usage.
    Run(run::RunArgs),
    /// The invoice runs of the ledger, newest first.
    Runs(run::RunsArgs),
    /// Record a return message for an invoice: read, approved or partly-approved (a run whose
    /// invoices have one can no longer be rolled back).
    ReturnMessage(run::ReturnMessageArgs),
    /// Journal exports for the books.
    Journal {
        #[command(subcommand)]
        action: run::JournalAction,
    },
    /// Judge UBL invoices and credit notes as the official tools do: the UBL 2.1 structure
    /// check and the EN 16931, SI-UBL 2.0 and Peppol BIS 3 rules.
    ///
    /// Exit 0 when every file is valid, 1 when a file has a fatal finding or a structure error,
    /// 2 when a file cannot be read, is not well-formed XML or not UBL (the other files are
    /// still reported; 2 wins over 1).
    Validate(validate::ValidateArgs),
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    Profile::from_name(s).ok_or_else(|| format!("unknown profile {s:?}: use nlcius or peppol"))
}

/// Parses the command line, runs the command and turns its result into the exit status.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(a) => check::run_check(a),
        Command::Totals(a) => check::run_totals(a),
        Command::Schema => {
            print!("{}", factuur::model::invoice_schema());
            Ok(0)
        }
        Command::Ubl(a) => ubl::run_ubl(a),
        Command::Convert(a) => ubl::run_convert(a),
        Command::Merge(a) => merge::run(a),
        Command::Fields(a) => merge::run_fields(a),
        Command::Template {
            action: merge::TemplateAction::Init { output, force },
        } => merge::init(&output, force),
        Command::Pdf(a) => pdf::run(a),
        Command::Pair(a) => pair::run_pair(a),
        Command::Send(a) => pair::run_send(a),
        Command::Ledger { action } => ledger::run(action),
        Command::Invoice { action } => invoice::run(action),
        Command::Transition(a) => transition::run(a),
        Command::Report(a) => report::run(a),
        Command::History(a) => transition::run_history(a),
        Command::Purchase { action } => purchase::run(action),
        Command::Run(a) => run::run(a),
        Command::Runs(a) => run::runs(a),
        Command::ReturnMessage(a) => run::return_message(a),
        Command::Journal { action } => run::journal(action),
        Command::Validate(a) => validate::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("factuur: {e}");
            ExitCode::from(2)
        }
    }
}

/// Reads a file, refusing ones larger than [`MAX_INPUT`].
pub(crate) fn read_input(path: &Path) -> Result<Vec<u8>, Error> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.len() > MAX_INPUT {
        return Err(io(io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "file is {} bytes, more than the {} bytes an invoice may have",
                meta.len(),
                MAX_INPUT
            ),
        )));
    }
    std::fs::read(path).map_err(io)
}

pub(crate) fn load_table(path: Option<&Path>) -> Result<VatCodeTable, Error> {
    match path {
        None => Ok(VatCodeTable::dutch_default()),
        Some(p) => VatCodeTable::from_json(&read_input(p)?).map_err(|e| match e {
            Error::Json(j) => Error::Json(JsonError {
                message: format!("{}: {}", p.display(), j.message),
                ..j
            }),
            other => other,
        }),
    }
}

/// A failure to write standard output (e.g. a closed pipe).
pub(crate) fn stdout_error(source: io::Error) -> Error {
    Error::Io {
        path: "<stdout>".into(),
        source,
    }
}

/// Writes the result to `output` atomically, or to standard output.
pub(crate) fn emit(output: Option<&Path>, bytes: &[u8]) -> Result<(), Error> {
    match output {
        Some(p) => write_atomic(p, bytes).map_err(|source| Error::Io {
            path: p.display().to_string(),
            source,
        }),
        None => io::stdout().lock().write_all(bytes).map_err(stdout_error),
    }
}

/// Reads an invoice from JSON, naming the file in errors.
pub(crate) fn read_invoice(path: &Path) -> Result<Invoice, Error> {
    let bytes = read_input(path)?;
    Invoice::from_json(&bytes).map_err(|e| match e {
        Error::Json(j) => Error::Json(JsonError {
            message: format!("{}: {}", path.display(), j.message),
            ..j
        }),
        other => other,
    })
}

/// Puts the file name in front of a UBL error's message, compiler-style where it has a line.
pub(crate) fn locate(e: UblError, file: &str) -> UblError {
    match e {
        UblError::Xml {
            line,
            column,
            message,
        } => UblError::Xml {
            line,
            column,
            message: format!("{message} (in {file})"),
        },
        UblError::Missing { path } => UblError::Missing {
            path: format!("{file}: {path}"),
        },
        UblError::NotUbl { namespace, name } => UblError::NotUbl {
            namespace,
            name: format!("{name} (in {file})"),
        },
        other => other,
    }
}

/// An input file that could not be used: printed compiler-style (`FILE:LINE:COLUMN: ...`) or as
/// a JSON object.
pub(crate) fn report_unusable(
    out: &mut impl Write,
    file: &Path,
    err: &Error,
    as_json: bool,
) -> io::Result<()> {
    let name = file.display().to_string();
    match err {
        Error::Json(j) => {
            if as_json {
                let v = json!({"file": name, "ok": false, "error": {
                    "message": j.message, "path": j.path, "line": j.line, "column": j.column}});
                writeln!(out, "{v}")
            } else {
                eprintln!(
                    "{name}:{}:{}: at {}: {}",
                    j.line, j.column, j.path, j.message
                );
                Ok(())
            }
        }
        other => {
            if as_json {
                let v = json!({"file": name, "ok": false, "error": {"message": other.to_string()}});
                writeln!(out, "{v}")
            } else {
                eprintln!("{other}");
                Ok(())
            }
        }
    }
}

/// A usage error: exit 2 with the message.
pub(crate) fn usage(message: String) -> Error {
    Error::Io {
        path: "usage".into(),
        source: io::Error::new(io::ErrorKind::InvalidInput, message),
    }
}

pub(crate) fn other(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source: io::Error::other(e.to_string()),
    }
}
