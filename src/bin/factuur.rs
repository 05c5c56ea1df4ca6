//! The `factuur` command-line tool: a thin layer over the library.
//!
//! Exit codes: 0 success (no fatal finding), 1 fatal findings, 2 unusable input or usage.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use factuur::fsutil::write_atomic;
use factuur::model::{Attachment, JsonError, VatCodeTable};
use factuur::ubl::{self, Profile, UblError};
use factuur::validate::{Lang, Report, check};
use factuur::{Error, Invoice};
use serde_json::json;

/// Largest input file accepted, in bytes. Real invoices are far smaller; this keeps a wrong or
/// hostile file from exhausting memory.
const MAX_INPUT: u64 = 256 * 1024 * 1024;

#[derive(Parser)]
#[command(
    name = "factuur",
    version,
    about = "Dutch invoices: check, UBL e-invoices, Word merge, PDF, delivery of XML + PDF pairs"
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
    Check {
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
    },
    /// Print the EN 16931 totals and VAT breakdown of invoices.
    Totals {
        /// Invoice JSON files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// One JSON object per file on standard output (JSON Lines).
        #[arg(long)]
        json: bool,
        /// VAT code table instead of the Dutch default.
        #[arg(long, value_name = "FILE")]
        vat_codes: Option<PathBuf>,
    },
    /// Print the JSON Schema of the invoice input.
    Schema,
    /// Write an invoice as a UBL 2.1 e-invoice (SI-UBL 2.0 by default, or Peppol BIS 3).
    Ubl {
        /// Invoice JSON file.
        input: PathBuf,
        /// Output file (written atomically); standard output when absent.
        #[arg(short, long, value_name = "OUT.xml")]
        output: Option<PathBuf>,
        /// nlcius (SI-UBL 2.0) or peppol.
        #[arg(long, default_value = "nlcius", value_parser = parse_profile)]
        profile: Profile,
        /// Embed this PDF in the XML as a supporting document.
        #[arg(long, value_name = "FILE.pdf")]
        embed_pdf: Option<PathBuf>,
        /// VAT code table instead of the Dutch default.
        #[arg(long, value_name = "FILE")]
        vat_codes: Option<PathBuf>,
    },
    /// Read a UBL Invoice or CreditNote and write it again as UBL (keeping its
    /// CustomizationID and ProfileID) or as the JSON model.
    Convert {
        /// UBL XML file.
        input: PathBuf,
        /// Output file (written atomically); standard output when absent.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// ubl or json.
        #[arg(long, value_enum, default_value = "ubl")]
        to: ConvertTo,
        /// Write the UBL output for this profile, claiming it (CustomizationID, ProfileID)
        /// instead of what the document claimed; e.g. to bring an SI-UBL 1.x invoice to 2.0.
        #[arg(long, value_parser = parse_profile)]
        profile: Option<Profile>,
    },
    /// Merge a Word template (.docx with MERGEFIELDs) with an invoice, or with any data.
    ///
    /// `merge T.docx INVOICE.json` merges an invoice through the field catalogue;
    /// `merge T.docx --data DATA.json` merges a generic record (top-level values, lists of
    /// objects for regions); `merge T.docx --data RECORDS.jsonl --out-dir DIR` merges one
    /// document per line, in parallel. Exit 0 on success (warnings on standard error), 2 when
    /// an input is unusable.
    Merge {
        /// The Word template.
        template: PathBuf,
        /// An invoice JSON file (the invoice model).
        #[arg(conflicts_with = "data")]
        invoice: Option<PathBuf>,
        /// Generic merge data: a JSON object, or JSON Lines with --out-dir.
        #[arg(long, value_name = "FILE")]
        data: Option<PathBuf>,
        /// Output .docx (default: the input's name with .docx).
        #[arg(short, long, value_name = "OUT.docx", conflicts_with = "out_dir")]
        output: Option<PathBuf>,
        /// Batch mode: merge each line of --data into its own document in DIR.
        #[arg(long, value_name = "DIR", requires = "data")]
        out_dir: Option<PathBuf>,
        /// Batch mode: name each document by this field of its record (else by line number).
        #[arg(long, value_name = "FIELD", requires = "out_dir")]
        name_field: Option<String>,
        /// Batch mode: number of threads (default: the machine's cores).
        #[arg(long, value_name = "N", requires = "out_dir")]
        jobs: Option<usize>,
        /// Keep the field codes (results updated) so Word can merge the output again.
        #[arg(long)]
        keep_fields: bool,
        /// Locale of numeric pictures and numbers: nl-NL (default), nl-BE, en-US, en-GB, de-DE, fr-FR.
        #[arg(long, default_value = "nl-NL")]
        locale: String,
        /// Refuse unknown fields and missing region lists instead of merging them blank.
        #[arg(long)]
        strict: bool,
    },
    /// List the fields of a Word template, flagging names the invoice catalogue does not know.
    Fields {
        /// The Word template.
        template: PathBuf,
        /// Print a JSON array instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Word templates.
    Template {
        #[command(subcommand)]
        action: TemplateAction,
    },
    /// Render invoices as PDF (A4, Dutch or English); with --hybrid a PDF/A-3b carrying the XML.
    ///
    /// The PDF is named after the invoice number (`<number>.pdf`, made safe for every file
    /// system), in --out-dir or the current folder; -o names it for a single input.
    /// Exit 0 when every PDF was written, 2 when an input was unusable.
    Pdf {
        /// Invoice JSON files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output file (only with one input).
        #[arg(short, long, value_name = "OUT.pdf", conflicts_with = "out_dir")]
        output: Option<PathBuf>,
        /// Folder for the PDFs (created if missing).
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
        /// Make a hybrid PDF/A-3b with the UBL XML embedded: the invoice's own SI-UBL 2.0
        /// document, or the one given with --xml.
        #[arg(long)]
        hybrid: bool,
        /// The UBL XML to embed with --hybrid (only with one input).
        #[arg(long, value_name = "FILE.xml", requires = "hybrid")]
        xml: Option<PathBuf>,
        /// Make the PDF a PDF/A-3b even without an attachment.
        #[arg(long)]
        archival: bool,
        /// Language of the labels, dates and amounts.
        #[arg(long, value_enum, default_value = "nl")]
        lang: LangArg,
        /// PNG or JPEG logo for the letterhead.
        #[arg(long, value_name = "FILE")]
        logo: Option<PathBuf>,
        /// VAT code table instead of the Dutch default.
        #[arg(long, value_name = "FILE")]
        vat_codes: Option<PathBuf>,
    },
    /// Write the InvoiceSharing pair of each invoice: <base>.xml (the UBL e-invoice) and
    /// <base>.pdf, with the same base name, both or neither.
    ///
    /// Exit 0 when every pair was written, 2 when an input was unusable.
    Pair {
        /// Invoice JSON files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Folder for the pairs (created if missing).
        #[arg(long, value_name = "DIR")]
        out_dir: PathBuf,
        /// Embed the PDF in the XML too (as a supporting document).
        #[arg(long, conflicts_with = "hybrid")]
        embed_pdf: bool,
        /// Embed the XML in the PDF too (a hybrid PDF/A-3b).
        #[arg(long)]
        hybrid: bool,
        /// nlcius (SI-UBL 2.0, default) or peppol.
        #[arg(long, default_value = "nlcius", value_parser = parse_profile)]
        profile: Profile,
        /// Language of the PDF.
        #[arg(long, value_enum, default_value = "nl")]
        lang: LangArg,
        /// PNG or JPEG logo for the PDF's letterhead.
        #[arg(long, value_name = "FILE")]
        logo: Option<PathBuf>,
        /// VAT code table instead of the Dutch default.
        #[arg(long, value_name = "FILE")]
        vat_codes: Option<PathBuf>,
    },
    /// Deliver the XML + PDF pairs in a folder: one e-mail per invoice to the upload address,
    /// routed by the customer's KvK number.
    ///
    /// Writes each message as <base>.eml with --eml-dir and/or sends it with --smtp; with
    /// neither, only prints the routing. Exit 0 when every pair was delivered, 1 when some were
    /// refused (no KvK number, unreadable XML), 2 on unusable input or a failed SMTP exchange.
    Send {
        /// Folder holding <base>.xml + <base>.pdf pairs.
        pair_dir: PathBuf,
        /// The upload address (e.g. the one InvoiceSharing gave).
        #[arg(long, value_name = "ADDRESS")]
        to: String,
        /// The sender.
        #[arg(long, value_name = "ADDRESS", default_value = "factuur@localhost")]
        from: String,
        /// SMTP relay to send through, without TLS (HOST:PORT, default port 25).
        #[arg(long, value_name = "HOST:PORT")]
        smtp: Option<String>,
        /// Folder to write the .eml messages to (created if missing).
        #[arg(long, value_name = "DIR")]
        eml_dir: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum TemplateAction {
    /// Write the starter template: a Dutch invoice layout using every catalogue field.
    Init {
        /// Where to write it.
        #[arg(short, long, value_name = "OUT.docx")]
        output: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ConvertTo {
    Ubl,
    Json,
}

fn parse_profile(s: &str) -> Result<Profile, String> {
    Profile::from_name(s).ok_or_else(|| format!("unknown profile {s:?}: use nlcius or peppol"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check {
            files,
            json,
            number,
            vat_codes,
            lang,
        } => cmd_check(
            &files,
            json,
            number.as_deref(),
            vat_codes.as_deref(),
            lang.into(),
        ),
        Command::Totals {
            files,
            json,
            vat_codes,
        } => cmd_totals(&files, json, vat_codes.as_deref()),
        Command::Schema => {
            print!("{}", factuur::model::invoice_schema());
            Ok(0)
        }
        Command::Ubl {
            input,
            output,
            profile,
            embed_pdf,
            vat_codes,
        } => cmd_ubl(
            &input,
            output.as_deref(),
            profile,
            embed_pdf.as_deref(),
            vat_codes.as_deref(),
        ),
        Command::Convert {
            input,
            output,
            to,
            profile,
        } => cmd_convert(&input, output.as_deref(), to, profile),
        Command::Merge {
            template,
            invoice,
            data,
            output,
            out_dir,
            name_field,
            jobs,
            keep_fields,
            locale,
            strict,
        } => merge_cmd::run(merge_cmd::Args {
            template,
            invoice,
            data,
            output,
            out_dir,
            name_field,
            jobs,
            keep_fields,
            locale,
            strict,
        }),
        Command::Fields { template, json } => merge_cmd::fields(&template, json),
        Command::Template {
            action: TemplateAction::Init { output, force },
        } => merge_cmd::init(&output, force),
        Command::Pdf {
            files,
            output,
            out_dir,
            hybrid,
            xml,
            archival,
            lang,
            logo,
            vat_codes,
        } => cmd_pdf(&PdfArgs {
            files,
            output,
            out_dir,
            hybrid,
            xml,
            archival,
            lang: lang.into(),
            logo,
            vat_codes,
        }),
        Command::Pair {
            files,
            out_dir,
            embed_pdf,
            hybrid,
            profile,
            lang,
            logo,
            vat_codes,
        } => cmd_pair(
            &files,
            &out_dir,
            factuur::pair::PairOptions {
                profile,
                hybrid,
                embed_pdf,
                pdf: factuur::pdf::PdfOptions {
                    lang: lang.into(),
                    ..factuur::pdf::PdfOptions::default()
                },
            },
            logo.as_deref(),
            vat_codes.as_deref(),
        ),
        Command::Send {
            pair_dir,
            to,
            from,
            smtp,
            eml_dir,
        } => cmd_send(&pair_dir, &to, &from, smtp.as_deref(), eml_dir.as_deref()),
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

fn load_table(path: Option<&Path>) -> Result<VatCodeTable, Error> {
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
fn stdout_error(source: io::Error) -> Error {
    Error::Io {
        path: "<stdout>".into(),
        source,
    }
}

/// Writes the result to `output` atomically, or to standard output.
fn emit(output: Option<&Path>, bytes: &[u8]) -> Result<(), Error> {
    match output {
        Some(p) => write_atomic(p, bytes).map_err(|source| Error::Io {
            path: p.display().to_string(),
            source,
        }),
        None => io::stdout().lock().write_all(bytes).map_err(stdout_error),
    }
}

/// Reads an invoice from JSON, naming the file in errors.
fn read_invoice(path: &Path) -> Result<Invoice, Error> {
    let bytes = read_input(path)?;
    Invoice::from_json(&bytes).map_err(|e| match e {
        Error::Json(j) => Error::Json(JsonError {
            message: format!("{}: {}", path.display(), j.message),
            ..j
        }),
        other => other,
    })
}

fn cmd_ubl(
    input: &Path,
    output: Option<&Path>,
    profile: Profile,
    embed_pdf: Option<&Path>,
    vat_codes: Option<&Path>,
) -> Result<u8, Error> {
    let table = load_table(vat_codes)?;
    let mut invoice = read_invoice(input)?;
    if let Some(pdf) = embed_pdf {
        let content = read_input(pdf)?;
        if !content.starts_with(b"%PDF-") {
            return Err(Error::Io {
                path: pdf.display().to_string(),
                source: io::Error::new(io::ErrorKind::InvalidData, "not a PDF file"),
            });
        }
        let filename = pdf
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "invoice.pdf".into());
        invoice.attachments.push(Attachment {
            id: invoice.number.clone(),
            description: Some("Factuur (PDF)".into()),
            filename: Some(filename),
            mime_code: Some("application/pdf".into()),
            content: Some(content),
            uri: None,
        });
    }
    let xml = ubl::to_xml_with(&invoice, profile, &table)?;
    emit(output, &xml)?;
    Ok(0)
}

fn cmd_convert(
    input: &Path,
    output: Option<&Path>,
    to: ConvertTo,
    profile: Option<Profile>,
) -> Result<u8, Error> {
    let bytes = read_input(input)?;
    let name = input.display();
    let invoice = ubl::from_xml(&bytes).map_err(|e| Error::Ubl(locate(e, &name.to_string())))?;
    let out = match to {
        ConvertTo::Json => invoice.to_json(),
        ConvertTo::Ubl => match profile {
            // An explicit profile re-claims the document for it (e.g. an old SI-UBL 1.x invoice
            // converted to SI-UBL 2.0); without one, the document keeps what it claims.
            Some(p) => {
                let mut invoice = invoice;
                invoice.customization_id = None;
                invoice.profile_id = None;
                ubl::to_xml(&invoice, p)?
            }
            None => {
                let claimed = invoice.customization_id.as_deref().unwrap_or("");
                ubl::to_xml(&invoice, Profile::for_customization(claimed))?
            }
        },
    };
    emit(output, &out)?;
    Ok(0)
}

/// Puts the file name in front of a UBL error's message, compiler-style where it has a line.
fn locate(e: UblError, file: &str) -> UblError {
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
fn report_unusable(
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

/// `merge`, `fields` and `template init`.
mod merge_cmd {
    use std::io::{self, BufRead, Write};
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    use factuur::merge::{Locale, MergeOptions, Merged, Record, Template};
    use factuur::{Error, Invoice};
    use serde_json::json;

    use super::read_input;

    pub(crate) struct Args {
        pub template: PathBuf,
        pub invoice: Option<PathBuf>,
        pub data: Option<PathBuf>,
        pub output: Option<PathBuf>,
        pub out_dir: Option<PathBuf>,
        pub name_field: Option<String>,
        pub jobs: Option<usize>,
        pub keep_fields: bool,
        pub locale: String,
        pub strict: bool,
    }

    fn usage(msg: impl Into<String>) -> Error {
        Error::Io {
            path: "<usage>".into(),
            source: io::Error::new(io::ErrorKind::InvalidInput, msg.into()),
        }
    }

    fn with_path(path: &Path, e: Error) -> Error {
        match e {
            Error::Merge(m) => Error::Io {
                path: path.display().to_string(),
                source: io::Error::new(io::ErrorKind::InvalidData, m.to_string()),
            },
            other => other,
        }
    }

    /// Writes a file atomically: a temporary file beside it, then a rename. Readers see the
    /// old file or the whole new one, never a part.
    pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
        write_file(path, bytes, true)
    }

    /// [`write_atomic`], with `durable` choosing whether the data is flushed to disk before the
    /// rename (batch runs skip the flush: a thousand fsyncs cost more than the merges).
    pub(crate) fn write_file(path: &Path, bytes: &[u8], durable: bool) -> Result<(), Error> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let io = |source| Error::Io {
            path: path.display().to_string(),
            source,
        };
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path
            .file_name()
            .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
        let tmp = dir.join(format!(
            ".{name}.tmp-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let result = (|| {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            if durable {
                f.sync_data()?;
            }
            std::fs::rename(&tmp, path)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result.map_err(io)
    }

    fn report(source: &str, merged: &Merged) {
        for w in &merged.report.warnings {
            eprintln!(
                "{source}: warning: {}:{}:{}: {}",
                w.part, w.line, w.column, w.message
            );
        }
    }

    pub(crate) fn run(a: Args) -> Result<u8, Error> {
        let locale = Locale::parse(&a.locale).ok_or_else(|| {
            usage(format!(
                "unknown locale {:?}: use nl-NL, nl-BE, en-US, en-GB, de-DE or fr-FR",
                a.locale
            ))
        })?;
        let options = MergeOptions {
            locale,
            keep_fields: a.keep_fields,
            strict: a.strict,
        };
        let template = Template::from_path(&a.template).map_err(|e| with_path(&a.template, e))?;
        if let Some(dir) = &a.out_dir {
            let data = a
                .data
                .as_deref()
                .ok_or_else(|| usage("--out-dir needs --data"))?;
            return batch(
                &template,
                data,
                dir,
                a.name_field.as_deref(),
                a.jobs,
                &options,
            );
        }
        let (input, merged) = match (&a.invoice, &a.data) {
            (Some(inv), None) => {
                let invoice =
                    Invoice::from_json(&read_input(inv)?).map_err(|e| with_path(inv, e))?;
                (
                    inv,
                    template
                        .render(&invoice, &options)
                        .map_err(|e| with_path(&a.template, e))?,
                )
            }
            (None, Some(data)) => {
                let record =
                    Record::from_json(&read_input(data)?).map_err(|e| with_path(data, e.into()))?;
                (
                    data,
                    template
                        .render_data(&record, &options)
                        .map_err(|e| with_path(&a.template, e.into()))?,
                )
            }
            _ => return Err(usage("give an invoice JSON file, or --data FILE")),
        };
        let out = a
            .output
            .clone()
            .unwrap_or_else(|| input.with_extension("docx"));
        report(&input.display().to_string(), &merged);
        write_atomic(&out, &merged.docx)?;
        Ok(0)
    }

    /// A file name from a record's field: path separators and control characters replaced.
    fn safe_name(raw: &str) -> Option<String> {
        let name: String = raw
            .trim()
            .chars()
            .map(|c| {
                if c.is_control()
                    || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
                {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        let name = name.trim_start_matches('.').to_owned();
        (!name.is_empty() && name.len() <= 200).then_some(name)
    }

    fn batch(
        template: &Template,
        data: &Path,
        dir: &Path,
        name_field: Option<&str>,
        jobs: Option<usize>,
        options: &MergeOptions,
    ) -> Result<u8, Error> {
        let io = |source| Error::Io {
            path: data.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.display().to_string(),
            source,
        })?;
        let file = std::fs::File::open(data).map_err(io)?;
        let mut records: Vec<(usize, Record)> = Vec::new();
        let mut worst = 0u8;
        for (k, line) in io::BufReader::new(file).lines().enumerate() {
            let line = line.map_err(io)?;
            if line.trim().is_empty() {
                continue;
            }
            match Record::from_json(line.as_bytes()) {
                Ok(r) => records.push((k + 1, r)),
                Err(e) => {
                    eprintln!("{}:{}: {e}", data.display(), k + 1);
                    worst = 2;
                }
            }
        }
        // Names, checked for clashes before anything is written.
        let mut names = Vec::with_capacity(records.len());
        let mut seen = std::collections::HashSet::new();
        for (line, r) in &records {
            let name = name_field
                .and_then(|f| r.get(f))
                .and_then(|v| match v {
                    factuur::merge::Value::Text(t) => safe_name(t),
                    factuur::merge::Value::Number(n) => safe_name(&n.to_string()),
                    _ => None,
                })
                .unwrap_or_else(|| line.to_string());
            if !seen.insert(name.clone()) {
                return Err(usage(format!(
                    "{}:{line}: two records are named {name:?}; pick a --name-field that is unique",
                    data.display()
                )));
            }
            names.push(dir.join(format!("{name}.docx")));
        }
        if template.uses_record_navigation() {
            // NEXT / NEXTIF / SKIPIF: documents take records in order.
            let plain: Vec<Record> = records.iter().map(|(_, r)| r.clone()).collect();
            let docs = template.render_records(&plain, options)?;
            for (merged, first) in docs {
                report(&names[first].display().to_string(), &merged);
                write_atomic(&names[first], &merged.docx)?;
            }
            return Ok(worst);
        }
        let threads = jobs
            .or_else(|| std::thread::available_parallelism().ok().map(|n| n.get()))
            .unwrap_or(1)
            .clamp(1, 256);
        let next = AtomicUsize::new(0);
        let failed = AtomicUsize::new(0);
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| {
                    loop {
                        let k = next.fetch_add(1, Ordering::Relaxed);
                        let Some((line, record)) = records.get(k) else {
                            break;
                        };
                        let result = template
                            .render_data(record, options)
                            .map_err(Error::from)
                            .and_then(|m| {
                                report(&format!("{}:{line}", data.display()), &m);
                                write_file(&names[k], &m.docx, false)
                            });
                        if let Err(e) = result {
                            eprintln!("{}:{line}: {e}", data.display());
                            failed.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                });
            }
        });
        if failed.load(Ordering::Relaxed) > 0 {
            worst = 2;
        }
        Ok(worst)
    }

    pub(crate) fn fields(path: &Path, as_json: bool) -> Result<u8, Error> {
        let template = Template::from_path(path).map_err(|e| with_path(path, e))?;
        let fields = template.fields();
        let stdout = io::stdout();
        let mut out = stdout.lock();
        let io_err = |source| Error::Io {
            path: "<stdout>".into(),
            source,
        };
        if as_json {
            let v = json!(fields);
            writeln!(out, "{v}").map_err(io_err)?;
            return Ok(0);
        }
        for f in &fields {
            let flag = if f.known {
                ""
            } else {
                "  [not in the catalogue]"
            };
            writeln!(
                out,
                "{}:{}:{}: {}{} {{ {} }}{flag}",
                f.part,
                f.line,
                f.column,
                "  ".repeat(f.depth as usize),
                f.kind,
                f.instruction
            )
            .map_err(io_err)?;
        }
        let unknown = fields.iter().filter(|f| !f.known).count();
        writeln!(
            out,
            "{} field(s), {unknown} name(s) not in the catalogue",
            fields.len()
        )
        .map_err(io_err)?;
        Ok(0)
    }

    pub(crate) fn init(output: &Path, force: bool) -> Result<u8, Error> {
        if output.exists() && !force {
            return Err(usage(format!(
                "{} exists; add --force to overwrite it",
                output.display()
            )));
        }
        write_atomic(output, &factuur::merge::starter::template())?;
        Ok(0)
    }
}

struct PdfArgs {
    files: Vec<PathBuf>,
    output: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    hybrid: bool,
    xml: Option<PathBuf>,
    archival: bool,
    lang: Lang,
    logo: Option<PathBuf>,
    vat_codes: Option<PathBuf>,
}

/// A usage error: exit 2 with the message.
fn usage(message: String) -> Error {
    Error::Io {
        path: "usage".into(),
        source: io::Error::new(io::ErrorKind::InvalidInput, message),
    }
}

fn other(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Io {
        path: path.display().to_string(),
        source: io::Error::other(e.to_string()),
    }
}

fn cmd_pdf(a: &PdfArgs) -> Result<u8, Error> {
    use factuur::pdf::{Logo, PdfOptions, XmlAttachment};

    if a.files.len() > 1 && a.output.is_some() {
        return Err(usage(
            "-o names one PDF; with several inputs use --out-dir DIR".into(),
        ));
    }
    if a.files.len() > 1 && a.xml.is_some() {
        return Err(usage(
            "--xml attaches one XML to one PDF; give a single input".into(),
        ));
    }
    let mut options = PdfOptions {
        lang: a.lang,
        archival: a.archival,
        vat_codes: load_table(a.vat_codes.as_deref())?,
        ..PdfOptions::default()
    };
    if let Some(logo) = &a.logo {
        options.logo = Some(Logo::from_bytes(read_input(logo)?).map_err(|e| other(logo, e))?);
    }
    if let Some(dir) = &a.out_dir {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.display().to_string(),
            source,
        })?;
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut worst = 0u8;
    for file in &a.files {
        let result = (|| -> Result<PathBuf, Error> {
            let invoice = Invoice::from_json(&read_input(file)?)?;
            let base = factuur::pair::base_name(&invoice);
            let mut opts = options.clone();
            if let Some(xml_path) = &a.xml {
                let xml = read_input(xml_path)?;
                let name = format!("{base}.xml");
                opts.attachment =
                    Some(XmlAttachment::new(name, xml).map_err(|e| other(xml_path, e))?);
            } else if a.hybrid {
                // The UBL of the invoice itself, as `factuur ubl` writes it.
                let xml = ubl::to_xml_with(&invoice, Profile::Nlcius, &opts.vat_codes)?;
                let name = format!("{base}.xml");
                opts.attachment = Some(XmlAttachment::new(name, xml).map_err(|e| other(file, e))?);
            }
            let pdf = factuur::pdf::render(&invoice, &opts).map_err(|e| other(file, e))?;
            let target = match (&a.output, &a.out_dir) {
                (Some(o), _) => o.clone(),
                (None, Some(d)) => d.join(format!("{base}.pdf")),
                (None, None) => PathBuf::from(format!("{base}.pdf")),
            };
            factuur::pair::write_atomic(&target, &pdf).map_err(|e| other(&target, e))?;
            Ok(target)
        })();
        match result {
            Ok(target) => {
                writeln!(out, "{} -> {}", file.display(), target.display())
                    .map_err(stdout_error)?;
            }
            Err(e) => {
                report_unusable(&mut out, file, &e, false).map_err(stdout_error)?;
                worst = 2;
            }
        }
    }
    Ok(worst)
}

fn cmd_pair(
    files: &[PathBuf],
    out_dir: &Path,
    mut options: factuur::pair::PairOptions,
    logo: Option<&Path>,
    vat_codes: Option<&Path>,
) -> Result<u8, Error> {
    options.pdf.vat_codes = load_table(vat_codes)?;
    if let Some(logo) = logo {
        let bytes = read_input(logo)?;
        options.pdf.logo = Some(factuur::pdf::Logo::from_bytes(bytes).map_err(|e| other(logo, e))?);
    }
    std::fs::create_dir_all(out_dir).map_err(|source| Error::Io {
        path: out_dir.display().to_string(),
        source,
    })?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut worst = 0u8;
    for file in files {
        let written = read_invoice(file).and_then(|invoice| {
            factuur::pair::write(&invoice, out_dir, &options).map_err(|e| other(file, e))
        });
        match written {
            Ok(pair) => writeln!(
                out,
                "{} -> {} + {}",
                file.display(),
                pair.xml.display(),
                pair.pdf.display()
            )
            .map_err(stdout_error)?,
            Err(e) => {
                report_unusable(&mut out, file, &e, false).map_err(stdout_error)?;
                worst = 2;
            }
        }
    }
    Ok(worst)
}

fn cmd_send(
    dir: &Path,
    to: &str,
    from: &str,
    smtp: Option<&str>,
    eml_dir: Option<&Path>,
) -> Result<u8, Error> {
    use factuur::pair::mail::{MailSettings, Smtp, prepare, write_eml};

    let smtp = match smtp {
        Some(s) => Some(Smtp::parse(s).map_err(usage)?),
        None => None,
    };
    let settings = MailSettings {
        from: from.to_owned(),
        to: to.to_owned(),
        date: std::time::SystemTime::now(),
    };
    let prepared = prepare(dir, &settings).map_err(|e| other(dir, e))?;
    let io_err = |source| Error::Io {
        path: "<stdout>".into(),
        source,
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if let Some(d) = eml_dir {
        std::fs::create_dir_all(d).map_err(|source| Error::Io {
            path: d.display().to_string(),
            source,
        })?;
    }
    for (kvk, messages) in &prepared.groups {
        writeln!(out, "KvK {kvk}:").map_err(io_err)?;
        for m in messages {
            let mut line = format!("  {} ({}.xml + {}.pdf)", m.number, m.base, m.base);
            if let Some(d) = eml_dir {
                let path = write_eml(d, m).map_err(|e| other(d, e))?;
                line.push_str(&format!(" -> {}", path.display()));
            }
            writeln!(out, "{line}").map_err(io_err)?;
        }
    }
    if let Some(server) = &smtp {
        let messages: Vec<_> = prepared.messages().collect();
        server
            .send(&messages)
            .map_err(|e| other(Path::new("smtp"), e))?;
        writeln!(
            out,
            "sent {} message(s) to {to} through {}:{}",
            messages.len(),
            server.host,
            server.port
        )
        .map_err(io_err)?;
    }
    for r in &prepared.refused {
        eprintln!("refused {}: {}", r.item.base, r.reason);
    }
    Ok(if prepared.refused.is_empty() { 0 } else { 1 })
}
