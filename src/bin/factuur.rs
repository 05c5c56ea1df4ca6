//! The `factuur` command-line tool: a thin layer over the library.
//!
//! Exit codes: 0 success (no fatal finding), 1 fatal findings, 2 unusable input or usage.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use factuur::model::{JsonError, VatCodeTable};
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
    about = "Dutch invoices: check, totals, schema, PDF, delivery of XML + PDF pairs"
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
        /// Make a hybrid PDF/A-3b with the UBL XML embedded (needs --xml).
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
fn read_input(path: &Path) -> Result<Vec<u8>, Error> {
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
    let io_err = |source| Error::Io {
        path: "<stdout>".into(),
        source,
    };
    let mut worst = 0u8;
    let mut found = false;
    for file in files {
        let invoice = match read_input(file).and_then(|b| Invoice::from_json(&b)) {
            Ok(i) => i,
            Err(e) => {
                report_unusable(&mut out, file, &e, as_json).map_err(io_err)?;
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
        .map_err(io_err)?;
    }
    if let (Some(n), false) = (number, found) {
        let report = check::check_by_number(std::iter::empty(), n, &table);
        print_report(&mut out, None, n, &report, as_json, lang).map_err(io_err)?;
        worst = worst.max(1);
    }
    Ok(worst)
}

fn cmd_totals(files: &[PathBuf], as_json: bool, vat_codes: Option<&Path>) -> Result<u8, Error> {
    let table = load_table(vat_codes)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let io_err = |source| Error::Io {
        path: "<stdout>".into(),
        source,
    };
    let mut worst = 0u8;
    for file in files {
        let totals = read_input(file)
            .and_then(|b| Invoice::from_json(&b))
            .and_then(|inv| Ok((inv.totals_with(&table)?, inv)));
        let (totals, invoice) = match totals {
            Ok(t) => t,
            Err(e) => {
                report_unusable(&mut out, file, &e, as_json).map_err(io_err)?;
                worst = 2;
                continue;
            }
        };
        let name = file.display().to_string();
        if as_json {
            let v = json!({"file": name, "number": invoice.number, "currency": invoice.currency, "totals": totals});
            writeln!(out, "{v}").map_err(io_err)?;
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
        out.write_all(text.as_bytes()).map_err(io_err)?;
    }
    Ok(worst)
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
    if a.hybrid && a.xml.is_none() {
        return Err(usage(
            "--hybrid needs the UBL to embed: give it with --xml FILE.xml".into(),
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
                writeln!(out, "{} -> {}", file.display(), target.display()).map_err(|source| {
                    Error::Io {
                        path: "<stdout>".into(),
                        source,
                    }
                })?;
            }
            Err(e) => {
                report_unusable(&mut out, file, &e, false).map_err(|source| Error::Io {
                    path: "<stdout>".into(),
                    source,
                })?;
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
