//! `factuur run` (test and production runs), `factuur runs`, `factuur run show|rollback|work`,
//! `factuur return-message` and `factuur journal export`. Exit status: 0 done, 1 refused or
//! some invoices failed, 2 unusable input or usage (3: a conflict with a concurrent change).

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use factuur::Error;
use factuur::ledger::{LedgerError, RunMode, RunRecord};
use factuur::run::exec::{self, Progress, Stage};
use factuur::run::plan::Window;
use factuur::run::report::type_name;
use factuur::run::{Config, RunError, RunRequest};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;

use super::ledger::{LedgerOpts, exit_code, now, open, stamp};
use super::stdout_error;

/// `factuur run …`: start a run, or act on runs.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub(crate) struct RunArgs {
    #[command(subcommand)]
    action: Option<RunAction>,
    #[command(flatten)]
    start: StartArgs,
}

/// Arguments of a new run.
#[derive(clap::Args)]
pub(crate) struct StartArgs {
    /// The profile (a `[profiles.NAME]` table of the configuration).
    #[arg(long, required = true)]
    profile: Option<String>,
    /// First invoice date of the window (YYYY-MM-DD).
    #[arg(long, required = true, value_parser = parse_date)]
    from: Option<NaiveDate>,
    /// Last invoice date of the window (YYYY-MM-DD), included.
    #[arg(long, required = true, value_parser = parse_date)]
    to: Option<NaiveDate>,
    /// The booking date [default: today].
    #[arg(long, value_parser = parse_date)]
    booking_date: Option<NaiveDate>,
    /// A production run: invoices into the ledger, numbered from the profile's series, made
    /// final. Without it, a test run: marked documents with TEST-0001… numbers, nothing
    /// changes in the ledger.
    #[arg(long)]
    production: bool,
    /// A description or reference for the books.
    #[arg(long, value_name = "TEXT", default_value = "")]
    description: String,
    /// Stop the whole run when a draft fails the check (default: leave it out and report it).
    #[arg(long)]
    stop_on_error: bool,
    /// The configuration [default: factuur.toml beside the SQLite ledger, or in the current
    /// folder].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Drafts: a folder of *.json files or a JSON-lines file.
    #[arg(required = true)]
    input: Option<PathBuf>,
    /// The run's ZIP.
    #[arg(short, long, value_name = "RUN.zip", required = true)]
    output: Option<PathBuf>,
    #[command(flatten)]
    opts: LedgerOpts,
}

#[derive(clap::Subcommand)]
pub(crate) enum RunAction {
    /// A run's invoices per type (the first 50 of each, then a note that the ZIP has all), or
    /// one document taken out of its ZIP (--extract).
    Show {
        /// The run's id.
        run: i64,
        /// Take this document (e.g. 2026-00017.pdf, or run-3.csv) out of the run's ZIP.
        #[arg(long, value_name = "NAME", requires = "output")]
        extract: Option<String>,
        /// Where the extracted document goes.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// The run's ZIP, if it has moved since the run.
        #[arg(long, value_name = "RUN.zip")]
        zip: Option<PathBuf>,
        #[command(flatten)]
        opts: LedgerOpts,
    },
    /// Roll a production run back: its invoices withdrawn, their numbers lapse (recorded with
    /// the run and the reason). Allowed only for an application administrator (role admin),
    /// when no return message of its invoices was read or (partly) approved, no journal export
    /// ran after it and no newer export covers the same period.
    Rollback {
        /// The run's id.
        run: i64,
        /// Why (kept with the lapsed numbers and in the history).
        #[arg(long, value_name = "TEXT", default_value = "rolled back")]
        reason: String,
        #[command(flatten)]
        opts: LedgerOpts,
    },
    /// Work on the runs of a shared PostgreSQL ledger: claim slices of running runs and render
    /// them (on this machine or any other with access to the ledger).
    Work {
        /// Stop after this many seconds without work [default: never].
        #[arg(long, value_name = "SECONDS")]
        until_idle: Option<f64>,
        #[command(flatten)]
        opts: LedgerOpts,
    },
}

/// `factuur runs`.
#[derive(clap::Args)]
pub(crate) struct RunsArgs {
    /// How many runs, newest first.
    #[arg(long, default_value_t = 50)]
    limit: i64,
    #[command(flatten)]
    opts: LedgerOpts,
}

/// `factuur return-message NUMBER --state …`.
#[derive(clap::Args)]
pub(crate) struct ReturnMessageArgs {
    /// The invoice number.
    number: String,
    /// read, approved or partly-approved.
    #[arg(long, value_parser = ["read", "approved", "partly-approved"])]
    state: String,
    /// A remark.
    #[arg(long, value_name = "TEXT")]
    note: Option<String>,
    #[command(flatten)]
    opts: LedgerOpts,
}

/// `factuur journal …`.
#[derive(clap::Subcommand)]
pub(crate) enum JournalAction {
    /// Write the booking lines of final invoices booked in a period (booking date, number,
    /// customer, net and VAT per rate, total) as CSV, and record the export.
    Export {
        /// First booking date.
        #[arg(long, value_parser = parse_date)]
        from: NaiveDate,
        /// Last booking date, included.
        #[arg(long, value_parser = parse_date)]
        to: NaiveDate,
        /// The CSV file.
        #[arg(short, long, value_name = "FILE.csv")]
        output: PathBuf,
        #[command(flatten)]
        opts: LedgerOpts,
    },
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("{s:?} is not a date YYYY-MM-DD"))
}

fn print(line: String) -> Result<(), Error> {
    writeln!(io::stdout().lock(), "{line}").map_err(stdout_error)
}

/// Prints a run error and returns its exit status.
fn fail(opts: &LedgerOpts, e: &RunError) -> Result<u8, Error> {
    let code = match e {
        RunError::Refused(_) => 1,
        RunError::Ledger(l) => match l {
            LedgerError::SeriesMoved { .. } | LedgerError::RunRefused(_) => 1,
            other => exit_code(other),
        },
        _ => 2,
    };
    if opts.json {
        print(json!({"ok": false, "error": {"message": e.to_string()}}).to_string())?;
    } else {
        eprintln!("factuur: {e}");
    }
    Ok(code)
}

pub(crate) fn run(a: RunArgs) -> Result<u8, Error> {
    match a.action {
        None => start(a.start),
        Some(RunAction::Show {
            run,
            extract,
            output,
            zip,
            opts,
        }) => show(
            &opts,
            run,
            extract.as_deref(),
            output.as_deref(),
            zip.as_deref(),
        ),
        Some(RunAction::Rollback { run, reason, opts }) => rollback(&opts, run, &reason),
        Some(RunAction::Work { until_idle, opts }) => work(&opts, until_idle),
    }
}

fn config_path(s: &StartArgs) -> PathBuf {
    if let Some(c) = &s.config {
        return c.clone();
    }
    match s.opts.sqlite_path() {
        Some(db) => Path::new(&db)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join("factuur.toml"),
        None => PathBuf::from("factuur.toml"),
    }
}

/// The progress display: a bar per stage on a terminal, a line per stage otherwise.
struct Display {
    bar: ProgressBar,
    stage: Mutex<Option<std::mem::Discriminant<Stage>>>,
    quiet: bool,
    last_queue: Mutex<Option<Instant>>,
}

impl Display {
    fn new(quiet: bool) -> Display {
        let bar = if quiet || !io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            ProgressBar::new(0)
        };
        Display {
            bar,
            stage: Mutex::new(None),
            quiet,
            last_queue: Mutex::new(None),
        }
    }

    fn show(&self, p: &Progress) {
        let kind = std::mem::discriminant(&p.stage);
        let mut stage = self.stage.lock().unwrap_or_else(|e| e.into_inner());
        let new = *stage != Some(kind);
        *stage = Some(kind);
        let name = match &p.stage {
            Stage::Checking => "checking drafts",
            Stage::Queued { .. } => "queued",
            Stage::Staging => "staging for workers",
            Stage::Rendering => "rendering",
            Stage::Committing => "committing",
            Stage::Done => "done",
        };
        if let Stage::Queued {
            position,
            ahead,
            wait,
        } = &p.stage
        {
            let wait = match wait {
                Some(w) => format!("expected wait {}", human(*w)),
                None => "expected wait unknown (no earlier run measured)".into(),
            };
            let msg = format!("queued: position {position} ({ahead} run(s) ahead), {wait}");
            if self.bar.is_hidden() {
                let mut last = self.last_queue.lock().unwrap_or_else(|e| e.into_inner());
                if !self.quiet && last.is_none_or(|t| t.elapsed() >= Duration::from_secs(2)) {
                    eprintln!("{msg}");
                    *last = Some(Instant::now());
                }
            } else {
                self.bar.set_style(
                    ProgressStyle::with_template("{spinner} {msg}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                self.bar.set_message(msg);
                self.bar.tick();
            }
            return;
        }
        if new {
            if self.bar.is_hidden() {
                if !self.quiet && p.stage != Stage::Done {
                    eprintln!("{name}…");
                }
            } else {
                self.bar.set_style(
                    ProgressStyle::with_template(
                        "{msg:>20} [{bar:40}] {pos}/{len} ({per_sec}, eta {eta})",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
                );
                self.bar.set_message(name);
                self.bar.reset_eta();
            }
        }
        self.bar.set_length(p.total);
        self.bar.set_position(p.done);
        if p.stage == Stage::Done {
            self.bar.finish_and_clear();
        }
    }
}

fn human(d: Duration) -> String {
    let s = d.as_secs();
    if s < 60 {
        format!("{} s", s.max(1))
    } else if s < 3600 {
        format!("{} min {} s", s / 60, s % 60)
    } else {
        format!("{} h {} min", s / 3600, (s % 3600) / 60)
    }
}

fn start(s: StartArgs) -> Result<u8, Error> {
    let opts = s.opts.clone();
    let (Some(profile), Some(from), Some(to), Some(input), Some(output)) =
        (&s.profile, s.from, s.to, &s.input, &s.output)
    else {
        return Err(super::usage(
            "factuur run needs --profile, --from, --to, INPUT and -o RUN.zip".into(),
        ));
    };
    let config = match Config::read(&config_path(&s)) {
        Ok(c) => c,
        Err(e) => return fail(&opts, &e),
    };
    let profile = match config.profile(profile) {
        Ok(p) => p,
        Err(e) => return fail(&opts, &e),
    };
    let window = match Window::new(from, to) {
        Ok(w) => w,
        Err(e) => return Err(super::usage(e)),
    };
    let mut ledger = match open(&opts)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let user = opts.user();
    let request = RunRequest {
        profile,
        window,
        booking_date: s.booking_date.unwrap_or_else(|| now().date_naive()),
        mode: if s.production {
            RunMode::Production
        } else {
            RunMode::Test
        },
        description: s.description.clone(),
        stop_on_error: s.stop_on_error,
        input,
        output,
        user: &user,
    };
    let display = Display::new(opts.json);
    let summary = match exec::run(&mut ledger, &request, &|p| display.show(p)) {
        Ok(s) => s,
        Err(e) => {
            display.bar.finish_and_clear();
            return fail(&opts, &e);
        }
    };
    let failures: Vec<_> = summary
        .rows
        .iter()
        .filter(|r| r.status == "failed")
        .map(|r| json!({"position": r.position + 1, "source": r.source, "findings": r.findings.value()}))
        .collect();
    let code = if summary.state == factuur::ledger::RunState::Done && summary.failed == 0 {
        0
    } else {
        1
    };
    if opts.json {
        let timings: serde_json::Map<String, serde_json::Value> = summary
            .timings
            .iter()
            .map(|(k, v)| ((*k).to_owned(), json!((v * 1000.0).round() / 1000.0)))
            .collect();
        print(
            json!({
                "ok": code == 0,
                "run": summary.run,
                "mode": summary.mode,
                "state": summary.state,
                "profile": profile.name,
                "invoices": summary.invoices,
                "failed": summary.failed,
                "skipped": summary.skipped,
                "outside_window": summary.outside_window,
                "other_profile": summary.other_profile,
                "zip": summary.zip,
                "numbers": summary.numbers,
                "message": summary.message,
                "abandoned": summary.abandoned,
                "failures": failures,
                "seconds": timings,
            })
            .to_string(),
        )?;
    } else {
        for a in &summary.abandoned {
            eprintln!(
                "note: run {a} was abandoned: its process had stopped before it committed; nothing of it is in the ledger"
            );
        }
        print(format!(
            "run {} ({}, profile {}): {} invoice(s){}, {} failed, {} skipped{}",
            summary.run,
            summary.mode.as_str(),
            profile.name,
            summary.invoices,
            summary
                .numbers
                .as_ref()
                .map(|(a, b)| format!(" {a} … {b}"))
                .unwrap_or_default(),
            summary.failed,
            summary.skipped,
            summary
                .zip
                .as_ref()
                .map(|z| format!(" → {}", z.display()))
                .unwrap_or_default()
        ))?;
        if let Some(m) = &summary.message {
            print(format!("  {m}"))?;
        }
        for r in summary.rows.iter().filter(|r| r.status == "failed") {
            let f: Vec<String> = r
                .findings
                .value()
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|f| {
                            format!(
                                "{} {}",
                                f["rule"].as_str().unwrap_or(""),
                                f["message"]["en"].as_str().unwrap_or("")
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            print(format!("  failed: {}: {}", r.source, f.join("; ")))?;
        }
    }
    Ok(code)
}

fn runs_store<'a>(
    ledger: &'a mut factuur::ledger::Ledger,
    opts: &LedgerOpts,
) -> Result<Result<&'a mut dyn factuur::ledger::RunStore, u8>, Error> {
    match ledger.store().runs() {
        Some(s) => Ok(Ok(s)),
        None => fail(
            opts,
            &RunError::Refused("this ledger keeps no invoice runs".into()),
        )
        .map(Err),
    }
}

fn run_line(r: &RunRecord) -> String {
    format!(
        "{:>5}  {:<10}  {:<11}  {:<14}  {} – {}  {:>8}  {:>6}  {:<20}  {}",
        r.id,
        r.mode.as_str(),
        r.state.as_str(),
        r.profile,
        r.from,
        r.to,
        r.invoices,
        r.failed,
        stamp(r.queued_at),
        r.user
    )
}

pub(crate) fn runs(a: RunsArgs) -> Result<u8, Error> {
    let mut ledger = match open(&a.opts)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    if let Err(e) = ledger.permissions(&a.opts.user()) {
        return fail(&a.opts, &e.into());
    }
    let rs = match runs_store(&mut ledger, &a.opts)? {
        Ok(s) => s,
        Err(c) => return Ok(c),
    };
    let list = match rs.runs(a.limit) {
        Ok(l) => l,
        Err(e) => return fail(&a.opts, &e.into()),
    };
    if a.opts.json {
        print(serde_json::to_string(&list).unwrap_or_default())?;
    } else {
        print(format!(
            "{:>5}  {:<10}  {:<11}  {:<14}  {:<23}  {:>8}  {:>6}  {:<20}  user",
            "run", "mode", "state", "profile", "window", "invoices", "failed", "queued"
        ))?;
        for r in &list {
            print(run_line(r))?;
        }
    }
    Ok(0)
}

fn show(
    opts: &LedgerOpts,
    id: i64,
    extract: Option<&str>,
    output: Option<&Path>,
    zip: Option<&Path>,
) -> Result<u8, Error> {
    let mut ledger = match open(opts)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    match ledger.permissions(&opts.user()) {
        Ok(p) if p.allows(factuur::lifecycle::Permission::InvoiceView) => {}
        Ok(_) => {
            return fail(
                opts,
                &RunError::Refused(format!("user {:?} lacks invoice.view", opts.user())),
            );
        }
        Err(e) => return fail(opts, &e.into()),
    }
    let rs = match runs_store(&mut ledger, opts)? {
        Ok(s) => s,
        Err(c) => return Ok(c),
    };
    let Some(record) = (match rs.run(id) {
        Ok(r) => r,
        Err(e) => return fail(opts, &e.into()),
    }) else {
        return fail(
            opts,
            &RunError::Refused(format!("no run {id} in the ledger")),
        );
    };
    if let (Some(name), Some(out)) = (extract, output) {
        let zip_path = zip
            .map(Path::to_owned)
            .or_else(|| record.zip_path.as_ref().map(PathBuf::from));
        let Some(zip_path) = zip_path else {
            return fail(opts, &RunError::Refused(format!("run {id} has no ZIP")));
        };
        let bytes = match extract_entry(&zip_path, name) {
            Ok(b) => b,
            Err(e) => return fail(opts, &e),
        };
        factuur::fsutil::write_atomic(out, &bytes).map_err(|e| Error::Io {
            path: out.display().to_string(),
            source: e,
        })?;
        if opts.json {
            print(
                json!({"ok": true, "run": id, "extracted": name, "to": out, "bytes": bytes.len()})
                    .to_string(),
            )?;
        } else {
            print(format!(
                "{name} ({} bytes) → {}",
                bytes.len(),
                out.display()
            ))?;
        }
        return Ok(0);
    }
    let rows = match rs.run_invoices(id) {
        Ok(r) => r,
        Err(e) => return fail(opts, &e.into()),
    };
    // A rolled-back run's numbers lapsed: the gap in the series, with the reason.
    let lapsed: Vec<_> = match (&record.series, record.rolled_back_at) {
        (Some(series), Some(_)) => match ledger.store().lapsed(series) {
            Ok(all) => all
                .into_iter()
                .filter(|l| l.run.as_deref() == Some(id.to_string().as_str()))
                .collect(),
            Err(e) => return fail(opts, &e.into()),
        },
        _ => Vec::new(),
    };
    let mut types: Vec<u16> = rows.iter().map(|r| r.type_code).collect();
    types.sort_unstable();
    types.dedup();
    if opts.json {
        let groups: Vec<_> = types
            .iter()
            .map(|t| {
                let all: Vec<_> = rows.iter().filter(|r| r.type_code == *t).collect();
                json!({"type_code": t, "type": type_name(*t), "count": all.len(),
                       "invoices": all.iter().take(50).collect::<Vec<_>>(),
                       "more": all.len().saturating_sub(50)})
            })
            .collect();
        print(json!({"run": record, "types": groups, "lapsed": lapsed}).to_string())?;
        return Ok(0);
    }
    print(format!(
        "run {} — {} run of profile {}, {} to {}, booked {}, by {}: {}",
        record.id,
        record.mode.as_str(),
        record.profile,
        record.from,
        record.to,
        record.booking_date,
        record.user,
        record.state.as_str().replace('_', " ")
    ))?;
    if !record.description.is_empty() {
        print(format!("  description: {}", record.description))?;
    }
    print(format!(
        "  {} invoice(s), {} failed, {} skipped{}",
        record.invoices,
        record.failed,
        record.skipped,
        record
            .zip_path
            .as_ref()
            .map(|z| format!("; ZIP {z}"))
            .unwrap_or_default()
    ))?;
    if let Some(m) = &record.message {
        print(format!("  note: {m}"))?;
    }
    if let (Some(at), Some(by)) = (record.rolled_back_at, &record.rolled_back_by) {
        print(format!(
            "  rolled back {} by {by}: {}",
            stamp(at),
            record.rollback_reason.as_deref().unwrap_or("")
        ))?;
    }
    if let (Some(first), Some(last)) = (lapsed.first(), lapsed.last()) {
        print(format!(
            "  numbers lapsed in series {}: {} to {} ({} number(s)): {}",
            first.series,
            first.number,
            last.number,
            lapsed.len(),
            first.reason
        ))?;
    }
    for t in &types {
        let all: Vec<_> = rows.iter().filter(|r| r.type_code == *t).collect();
        print(format!("\n{} ({})", type_name(*t), all.len()))?;
        for r in all.iter().take(50) {
            print(format!(
                "  {:<14} {:<36} {:>12} {} {:<10} {}",
                r.number.as_deref().unwrap_or("-"),
                r.customer.as_deref().unwrap_or("-"),
                r.total.as_deref().unwrap_or("-"),
                r.currency,
                r.status,
                r.source
            ))?;
        }
        if all.len() > 50 {
            print(format!(
                "  … and {} more: the run's ZIP has them all{}",
                all.len() - 50,
                record
                    .zip_path
                    .as_ref()
                    .map(|z| format!(" ({z})"))
                    .unwrap_or_default()
            ))?;
        }
    }
    Ok(0)
}

fn extract_entry(zip_path: &Path, name: &str) -> Result<Vec<u8>, RunError> {
    let file = std::fs::File::open(zip_path).map_err(|e| RunError::Input {
        file: zip_path.display().to_string(),
        message: e.to_string(),
    })?;
    let mut z = zip::ZipArchive::new(file).map_err(|e| RunError::Input {
        file: zip_path.display().to_string(),
        message: e.to_string(),
    })?;
    let mut entry = z.by_name(name).map_err(|_| {
        RunError::Refused(format!(
            "the run's ZIP {} has no {name}",
            zip_path.display()
        ))
    })?;
    if entry.size() > 512 * 1024 * 1024 {
        return Err(RunError::Refused(format!("{name} is too large to extract")));
    }
    let mut out = Vec::with_capacity(entry.size() as usize);
    entry.read_to_end(&mut out).map_err(|e| RunError::Input {
        file: zip_path.display().to_string(),
        message: e.to_string(),
    })?;
    Ok(out)
}

fn rollback(opts: &LedgerOpts, id: i64, reason: &str) -> Result<u8, Error> {
    let mut ledger = match open(opts)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let user = opts.user();
    match exec::rollback(&mut ledger, id, &user, reason) {
        Ok(plan) => {
            if opts.json {
                print(
                    json!({"ok": true, "run": id, "withdrawn": plan.withdraw.len(),
                    "lapsed": plan.lapsed.iter().map(|l| &l.number).collect::<Vec<_>>()})
                    .to_string(),
                )?;
            } else {
                print(format!(
                    "run {id} rolled back: {} invoice(s) withdrawn (Vervallen); numbers lapsed: {}",
                    plan.withdraw.len(),
                    plan.lapsed
                        .iter()
                        .map(|l| l.number.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))?;
            }
            Ok(0)
        }
        Err(Ok(refused)) => {
            if opts.json {
                print(json!({"ok": false, "run": id, "refused": refused}).to_string())?;
            } else {
                eprintln!(
                    "factuur: {}",
                    factuur::run::rollback::refusal_text(id, &refused)
                );
            }
            Ok(1)
        }
        Err(Err(e)) => fail(opts, &e),
    }
}

fn work(opts: &LedgerOpts, until_idle: Option<f64>) -> Result<u8, Error> {
    let mut ledger = match open(opts)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let worker = factuur::run::queue::holder();
    let mut idle_since: Option<Instant> = None;
    let mut stop = |idle: bool| {
        if !idle {
            idle_since = None;
            return false;
        }
        let since = *idle_since.get_or_insert_with(Instant::now);
        until_idle.is_some_and(|s| since.elapsed().as_secs_f64() >= s)
    };
    match exec::work(&mut ledger, &worker, &mut stop) {
        Ok(n) => {
            if opts.json {
                print(json!({"ok": true, "worker": worker, "slices": n}).to_string())?;
            } else {
                print(format!("{worker}: {n} slice(s) rendered"))?;
            }
            Ok(0)
        }
        Err(e) => fail(opts, &e),
    }
}

pub(crate) fn return_message(a: ReturnMessageArgs) -> Result<u8, Error> {
    let mut ledger = match open(&a.opts)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let user = a.opts.user();
    match exec::return_message(&mut ledger, &a.number, &a.state, &user, a.note.as_deref()) {
        Ok(()) => {
            if a.opts.json {
                print(json!({"ok": true, "number": a.number, "state": a.state}).to_string())?;
            } else {
                print(format!("return message for {}: {}", a.number, a.state))?;
            }
            Ok(0)
        }
        Err(e) => fail(&a.opts, &e),
    }
}

pub(crate) fn journal(action: JournalAction) -> Result<u8, Error> {
    let JournalAction::Export {
        from,
        to,
        output,
        opts,
    } = action;
    let mut ledger = match open(&opts)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let user = opts.user();
    match exec::journal_export(&mut ledger, from, to, &output, &user) {
        Ok((export, lines)) => {
            if opts.json {
                print(json!({"ok": true, "export": export.id, "invoices": export.lines, "lines": lines, "file": output}).to_string())?;
            } else {
                print(format!(
                    "journal export {}: {} invoice(s), {lines} booking line(s), {from} to {to} → {}",
                    export.id,
                    export.lines,
                    output.display()
                ))?;
            }
            Ok(0)
        }
        Err(e) => fail(&opts, &e),
    }
}
