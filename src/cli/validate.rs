//! `factuur validate`: the official verdict on UBL invoices and credit notes: the UBL 2.1
//! structure check and the rule sets, file by file, in parallel, reported in input order.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use factuur::Error;
use factuur::validate::ubl::{Rules, ValidateError, Verdict, validate_bytes};
use factuur::validate::{Lang, Severity};
use serde_json::{Map, Value, json};

use super::{LangArg, MAX_INPUT, read_input, stdout_error};

/// Arguments of `factuur validate`.
#[derive(clap::Args)]
pub(crate) struct ValidateArgs {
    /// UBL files, folders (walked for *.xml in any letter case) or `-` for standard input.
    #[arg(required = true, value_name = "FILE_OR_DIR_OR_-")]
    inputs: Vec<String>,
    /// Rule sets: `auto` (by the document's CustomizationID: SI-UBL 2.0 → nlcius, Peppol BIS 3
    /// → en16931,peppol, else en16931) or a comma list of en16931, nlcius, peppol. The UBL 2.1
    /// structure check always runs.
    #[arg(long, default_value = "auto", value_name = "auto|LIST")]
    rules: Rules,
    /// One JSON object per file on standard output (JSON Lines).
    #[arg(long)]
    json: bool,
    /// Threads validating files (default: all cores). Output stays in input order.
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
    /// Language of the messages in the human output.
    #[arg(long, value_enum, default_value = "en")]
    lang: LangArg,
}

/// One document to judge: a path, or standard input.
enum Input {
    File(PathBuf),
    Stdin,
}

impl Input {
    /// The name printed for it: the path as given (or as found in a folder), `-` for standard
    /// input.
    fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Stdin => "-".into(),
        }
    }
}

/// What judging one input gave: its report and its exit status (0, 1 or 2).
struct Judged {
    text: String,
    status: u8,
    outcome: Outcome,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Valid,
    Invalid,
    Unusable,
}

pub(crate) fn run(a: ValidateArgs) -> Result<u8, Error> {
    let mut inputs = Vec::new();
    let mut status = 0u8;
    for given in &a.inputs {
        if given == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        let path = Path::new(given);
        if path.is_dir() {
            let before = inputs.len();
            if let Err(e) = walk(path, &mut inputs) {
                eprintln!("factuur: {}: {e}", path.display());
                status = 2;
            }
            if inputs.len() == before {
                eprintln!("factuur: {}: no .xml files in this folder", path.display());
            }
        } else {
            inputs.push(Input::File(path.to_path_buf()));
        }
    }
    // Standard input can be read once: take it before the workers start.
    let stdin = if inputs.iter().any(|i| matches!(i, Input::Stdin)) {
        let mut bytes = Vec::new();
        let read = io::stdin()
            .lock()
            .take(MAX_INPUT + 1)
            .read_to_end(&mut bytes);
        Some(match read {
            Ok(_) if bytes.len() as u64 > MAX_INPUT => Err(format!(
                "standard input is more than the {MAX_INPUT} bytes an invoice may have"
            )),
            Ok(_) => Ok(bytes),
            Err(e) => Err(format!("cannot read standard input: {e}")),
        })
    } else {
        None
    };
    let jobs = a
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .clamp(1, inputs.len().max(1));
    let lang: Lang = a.lang.into();
    let judge = |input: &Input| -> Judged {
        let bytes = match input {
            Input::File(p) => read_input(p).map_err(|e| e.to_string()),
            Input::Stdin => stdin.clone().unwrap_or_else(|| Ok(Vec::new())),
        };
        judge(&input.name(), bytes, &a.rules, a.json, lang)
    };

    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut counts = [0usize; 3];
    let mut record = |j: Judged, out: &mut io::StdoutLock<'_>| -> Result<(), Error> {
        status = status.max(j.status);
        counts[j.outcome as usize] += 1;
        out.write_all(j.text.as_bytes()).map_err(stdout_error)
    };
    if jobs == 1 {
        for input in &inputs {
            record(judge(input), &mut out)?;
        }
    } else {
        let next = AtomicUsize::new(0);
        let (tx, rx) = mpsc::sync_channel::<(usize, Judged)>(jobs * 4);
        std::thread::scope(|scope| -> Result<(), Error> {
            for _ in 0..jobs {
                let tx = tx.clone();
                let (next, inputs, judge) = (&next, &inputs, &judge);
                scope.spawn(move || {
                    loop {
                        let at = next.fetch_add(1, Ordering::Relaxed);
                        let Some(input) = inputs.get(at) else {
                            break;
                        };
                        if tx.send((at, judge(input))).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            // Reports arrive in any order; print them in input order.
            let mut waiting = BTreeMap::new();
            let mut due = 0;
            for (at, judged) in rx {
                waiting.insert(at, judged);
                while let Some(j) = waiting.remove(&due) {
                    record(j, &mut out)?;
                    due += 1;
                }
            }
            Ok(())
        })?;
    }
    if !a.json {
        let [valid, invalid, unusable] = counts;
        let total = valid + invalid + unusable;
        let mut line = format!(
            "{total} file{}: {valid} valid, {invalid} not valid",
            if total == 1 { "" } else { "s" }
        );
        if unusable > 0 {
            let _ = write!(line, ", {unusable} unreadable or not UBL");
        }
        writeln!(out, "{line}").map_err(stdout_error)?;
    }
    Ok(status)
}

/// Adds every `*.xml` file below `dir` (any letter case), sorted by path, to `inputs`. Folder
/// links are not followed, so a link loop cannot trap the walk.
fn walk(dir: &Path, inputs: &mut Vec<Input>) -> io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let meta = std::fs::symlink_metadata(&path)?;
        if meta.is_dir() {
            walk(&path, inputs)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
            && std::fs::metadata(&path).is_ok_and(|m| m.is_file())
        {
            inputs.push(Input::File(path));
        }
    }
    Ok(())
}

/// Judges one document and writes its report.
fn judge(
    name: &str,
    bytes: Result<Vec<u8>, String>,
    rules: &Rules,
    as_json: bool,
    lang: Lang,
) -> Judged {
    let verdict = match bytes {
        Ok(b) => validate_bytes(&b, rules),
        Err(message) => {
            return unusable(name, &message, None, as_json);
        }
    };
    match verdict {
        Ok(v) => {
            let ok = v.is_ok();
            let text = if as_json {
                json_line(name, &v)
            } else {
                human(name, &v, lang)
            };
            Judged {
                text,
                status: if ok { 0 } else { 1 },
                outcome: if ok { Outcome::Valid } else { Outcome::Invalid },
            }
        }
        Err(e) => {
            let (message, line, column) = e.parts();
            unusable(name, message, Some((line, column, &e)), as_json)
        }
    }
}

/// A file that cannot be read, is not well-formed or is not UBL: `{"file", "error": {"message",
/// "line", "column"}}` (line and column 0 when the problem has no place in the file), or a
/// compiler-style line.
fn unusable(
    name: &str,
    message: &str,
    at: Option<(usize, usize, &ValidateError)>,
    as_json: bool,
) -> Judged {
    let (line, column) = at.map_or((0, 0), |(l, c, _)| (l, c));
    let text = if as_json {
        let v =
            json!({"file": name, "error": {"message": message, "line": line, "column": column}});
        format!("{v}\n")
    } else if at.is_some() {
        format!("{name}:{line}:{column}: error: {message}\n")
    } else {
        format!("{name}: error: {message}\n")
    };
    Judged {
        text,
        status: 2,
        outcome: Outcome::Unusable,
    }
}

/// The JSON line: `file` first, then the verdict.
fn json_line(name: &str, v: &Verdict) -> String {
    let mut map = Map::new();
    map.insert("file".into(), Value::String(name.to_owned()));
    match serde_json::to_value(v) {
        Ok(Value::Object(rest)) => map.extend(rest),
        // A verdict always serialises to an object.
        _ => unreachable!("a verdict is a JSON object"),
    }
    format!("{}\n", Value::Object(map))
}

/// The human report: the verdict line, then structure errors and findings, one per line.
fn human(name: &str, v: &Verdict, lang: Lang) -> String {
    let mut s = String::new();
    let mut parts = Vec::new();
    parts.push(if v.xsd_ok() {
        "structure ok".to_owned()
    } else {
        format!("structure: {} error(s)", v.xsd_errors.len())
    });
    for set in &v.sets {
        let fatal = set.report.count(Severity::Fatal);
        let warnings = set.report.count(Severity::Warning);
        let mut p = format!(
            "{} {}",
            set.set.name(),
            if fatal == 0 { "ok" } else { "failed" }
        );
        match (fatal, warnings) {
            (0, 0) => {}
            (0, w) => {
                let _ = write!(p, " ({w} warning(s))");
            }
            (f, 0) => {
                let _ = write!(p, " ({f} fatal)");
            }
            (f, w) => {
                let _ = write!(p, " ({f} fatal, {w} warning(s))");
            }
        }
        parts.push(p);
    }
    let _ = writeln!(
        s,
        "{name}: {} {}: {}",
        v.root,
        if v.is_ok() { "valid" } else { "NOT VALID" },
        parts.join(", ")
    );
    for e in &v.xsd_errors {
        let _ = writeln!(s, "  {}:{}: structure: {}", e.line, e.column, e.message);
    }
    for (set, f) in v.findings() {
        let (line, column) = f.location.source.map_or((0, 0), |p| (p.line, p.column));
        let term = f.term.map(|t| format!(" ({t})")).unwrap_or_default();
        let value = f
            .value
            .as_deref()
            .map(|x| format!(" [{x}]"))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "  {line}:{column}: {} {}{term} [{}] at {}: {}{value}",
            f.severity,
            f.rule,
            set.name(),
            f.location.path,
            f.message.get(lang),
        );
    }
    s
}
