//! `factuur merge`, `fields` and `template init`: Word templates.

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use factuur::merge::{Locale, MergeOptions, Merged, Record, Template};
use factuur::{Error, Invoice};
use serde_json::json;

use super::read_input;

/// Arguments of `factuur merge`.
#[derive(clap::Args)]
pub(crate) struct MergeArgs {
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
}

/// Arguments of `factuur fields`.
#[derive(clap::Args)]
pub(crate) struct FieldsArgs {
    /// The Word template.
    template: PathBuf,
    /// Print a JSON array instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Subcommand)]
pub(crate) enum TemplateAction {
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

pub(crate) fn run(a: MergeArgs) -> Result<u8, Error> {
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
            let invoice = Invoice::from_json(&read_input(inv)?).map_err(|e| with_path(inv, e))?;
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
            if c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
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

pub(crate) fn run_fields(a: FieldsArgs) -> Result<u8, Error> {
    fields(&a.template, a.json)
}

fn fields(path: &Path, as_json: bool) -> Result<u8, Error> {
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
