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
    about = "Dutch invoices: check, totals, schema, Word merge"
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
