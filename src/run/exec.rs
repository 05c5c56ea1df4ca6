//! Running invoice runs over a ledger: the queue and its lock, the passes over the drafts,
//! parallel rendering (rayon), the ZIP, the production commit, workers, rollbacks, return
//! messages and journal exports. This is the edge where the ledger, files and the clock are; the
//! decisions are the pure functions of the sibling modules.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::ledger::runs::{
    ClaimedSlice, JsonText, NewRun, ProductionCommit, ReturnMessage, RowSource, RunInvoice,
    RunNewInvoice, RunOutcome, StagedDocument,
};
use crate::ledger::{Ledger, LedgerError, RunMode, RunRecord, RunState, RunStore};
use crate::lifecycle::{
    Action, Clock, Context, Current, DEFAULT_RETRY, Entry, Event, Permission, Reporting,
    SeriesFormat, Status, SystemClock,
};

use super::RunError;
use super::draft::Input;
use super::plan::{DraftFacts, Item, Numbering, PlanFacts, Window, facts, plan};
use super::profile::Profile;
use super::queue::{BEAT_EVERY, STALE_AFTER, eta, holder, standing};
use super::render::{RenderFailure, render};
use super::report::{self, ReportFacts};
use super::zip::{AtomicFile, Document, ZipOut};

/// What a run is doing, for progress displays.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Reading and checking the drafts.
    Checking,
    /// Waiting for the run ahead: position (1 = next), runs ahead, expected wait.
    Queued {
        /// 1 when next.
        position: usize,
        /// Live runs ahead.
        ahead: usize,
        /// Expected wait, from the measured speed of earlier runs.
        wait: Option<Duration>,
    },
    /// Handing the numbered drafts to the workers (PostgreSQL).
    Staging,
    /// Making the documents.
    Rendering,
    /// Writing the invoices into the ledger.
    Committing,
    /// Finished.
    Done,
}

/// A progress report: the stage, how far it is, and the expected time left.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// The stage.
    pub stage: Stage,
    /// Done so far.
    pub done: u64,
    /// Of.
    pub total: u64,
    /// Expected time left in this stage.
    pub eta: Option<Duration>,
}

/// A run to do.
#[derive(Debug, Clone)]
pub struct RunRequest<'a> {
    /// The profile.
    pub profile: &'a Profile,
    /// The window: drafts whose invoice date falls in it belong to the run.
    pub window: Window,
    /// The booking date.
    pub booking_date: NaiveDate,
    /// Test or production.
    pub mode: RunMode,
    /// The description for the books.
    pub description: String,
    /// Stop the whole run when a draft fails the check (instead of leaving it out).
    pub stop_on_error: bool,
    /// A directory of drafts or a JSON-lines file.
    pub input: &'a Path,
    /// The ZIP to write.
    pub output: &'a Path,
    /// Who runs it.
    pub user: &'a str,
}

/// How a run ended.
#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    /// Its id.
    pub run: i64,
    /// Test or production.
    pub mode: RunMode,
    /// Done, or failed.
    pub state: RunState,
    /// Invoices made.
    pub invoices: usize,
    /// Drafts that failed (left out, or the reason the run stopped).
    pub failed: usize,
    /// Drafts left out because they were invoiced already.
    pub skipped: usize,
    /// Drafts outside the window.
    pub outside_window: usize,
    /// Drafts of other profiles.
    pub other_profile: usize,
    /// The ZIP, when written.
    pub zip: Option<PathBuf>,
    /// The first and last number (production).
    pub numbers: Option<(String, String)>,
    /// Why it failed, or what else to know.
    pub message: Option<String>,
    /// Runs found abandoned when this one started (their process had died).
    pub abandoned: Vec<i64>,
    /// Seconds per stage.
    pub timings: Vec<(&'static str, f64)>,
    /// The report's rows of the drafts that failed (the whole report is in the ZIP and the
    /// ledger; a run of any size keeps only these in memory).
    #[serde(skip)]
    pub rows: Vec<RunInvoice>,
}

/// The observer of a run's progress.
pub type Observer<'a> = &'a (dyn Fn(&Progress) + Sync);

/// How many drafts are checked at a time (their full facts are in memory meanwhile).
const CHECK_CHUNK: usize = 1024;
/// How many invoices are rendered between two writes to the ZIP.
const CHUNK: usize = 128;
/// How many invoices a worker's slice has.
pub const SLICE: usize = 32;
/// The staged document that marks a failed invoice.
const FAILED_DOC: &str = "!failed";

fn now() -> DateTime<Utc> {
    SystemClock.now()
}

/// Releases the run lock (if this process holds it) when dropped.
struct RunLockGuard<'a>(&'a mut dyn RunStore);

impl Drop for RunLockGuard<'_> {
    fn drop(&mut self) {
        let _ = self.0.release_run_lock();
    }
}

fn store(ledger: &mut Ledger) -> Result<&mut dyn RunStore, RunError> {
    ledger.store().runs().ok_or_else(|| {
        RunError::Refused("this ledger keeps no invoice runs (use SQLite or PostgreSQL)".into())
    })
}

fn require(ledger: &mut Ledger, user: &str, p: Permission) -> Result<(), RunError> {
    if ledger.permissions(user)?.allows(p) {
        Ok(())
    } else {
        Err(RunError::Refused(format!(
            "user {user:?} lacks the permission {p}: an admin grants it with `factuur ledger grant {user} clerk`"
        )))
    }
}

/// A history entry as the spill file keeps it.
#[derive(Debug, Serialize, Deserialize)]
struct SpillEntry {
    at: i64,
    user: String,
    action: String,
    from: Option<String>,
    to: String,
    detail: String,
}

impl SpillEntry {
    fn of(e: &Entry) -> SpillEntry {
        SpillEntry {
            at: e.at.timestamp_millis(),
            user: e.user.clone(),
            action: e.action.as_str().to_owned(),
            from: e.from.map(|s| s.as_str().to_owned()),
            to: e.to.as_str().to_owned(),
            detail: e.detail.clone(),
        }
    }

    fn entry(&self) -> Result<Entry, LedgerError> {
        let status = |s: &str| {
            Status::ALL
                .into_iter()
                .find(|x| x.as_str() == s)
                .ok_or_else(|| LedgerError::Corrupt(format!("spilled status {s:?}")))
        };
        Ok(Entry {
            at: DateTime::from_timestamp_millis(self.at)
                .ok_or_else(|| LedgerError::Corrupt("spilled time".into()))?,
            user: self.user.clone(),
            action: Action::from_name(&self.action)
                .ok_or_else(|| LedgerError::Corrupt(format!("spilled action {:?}", self.action)))?,
            from: self.from.as_deref().map(status).transpose()?,
            to: status(&self.to)?,
            detail: self.detail.clone(),
        })
    }
}

/// A numbered invoice of a production run, kept in the spill file until the commit.
#[derive(Debug, Serialize, Deserialize)]
struct Spilled {
    position: i64,
    seq: i64,
    number: String,
    gks: Option<bool>,
    content: String,
    created: Vec<SpillEntry>,
    history: Vec<SpillEntry>,
}

/// A run's temporary file beside its temporary ZIP: `.spill` (the numbered invoices of a
/// production run, one JSON line each), `.rows` (the report rows, one JSON line each),
/// `.report` (a report being compressed into the ZIP).
fn beside(zip_temp: &Path, ext: &str) -> PathBuf {
    let mut s = zip_temp.as_os_str().to_owned();
    s.push(ext);
    PathBuf::from(s)
}

/// The spill file of a run: the numbered invoices, one JSON line each, beside the ZIP.
fn spill_path(zip_temp: &Path) -> PathBuf {
    beside(zip_temp, ".spill")
}

/// Removes the temporary files of a run beside its temporary ZIP (not the ZIP itself).
fn remove_temps(zip_temp: &Path) {
    for ext in [".spill", ".rows", ".report", ".facts"] {
        remove(&beside(zip_temp, ext));
    }
}

/// The report's part of every draft's facts, one JSON line each in input order: written by the
/// check, read once when the plan is made. On Unix the file has no name while it is used, so a
/// run that dies leaves nothing behind; elsewhere it is removed when dropped.
struct FactsFile {
    path: PathBuf,
    w: Option<BufWriter<std::fs::File>>,
}

impl FactsFile {
    fn create(path: PathBuf) -> Result<FactsFile, RunError> {
        let file = std::fs::File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .map_err(|e| RunError::io(&path, e))?;
        #[cfg(unix)]
        remove(&path);
        Ok(FactsFile {
            w: Some(BufWriter::with_capacity(256 * 1024, file)),
            path,
        })
    }

    fn push(&mut self, f: &ReportFacts) -> Result<(), RunError> {
        let io = |e| RunError::io(&self.path, e);
        let Some(w) = self.w.as_mut() else {
            return Err(io(std::io::Error::other("the facts were read already")));
        };
        serde_json::to_writer(&mut *w, f).map_err(|e| io(e.into()))?;
        w.write_all(b"\n").map_err(io)
    }

    /// The facts, in the order they were pushed (once).
    fn read(
        &mut self,
    ) -> Result<impl Iterator<Item = Result<ReportFacts, RunError>> + use<>, RunError> {
        use std::io::{Seek, SeekFrom};
        let path = self.path.clone();
        let io = |e| RunError::io(&path, e);
        let w = self
            .w
            .take()
            .ok_or_else(|| io(std::io::Error::other("the facts were read already")))?;
        let mut file = w.into_inner().map_err(|e| io(e.into_error()))?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        let mut lines = BufReader::with_capacity(256 * 1024, file).lines();
        Ok(std::iter::from_fn(move || {
            let line = lines.next()?;
            Some(line.map_err(|e| RunError::io(&path, e)).and_then(|l| {
                serde_json::from_str(&l).map_err(|e| RunError::io(&path, std::io::Error::other(e)))
            }))
        }))
    }
}

impl Drop for FactsFile {
    fn drop(&mut self) {
        remove(&self.path);
    }
}

/// The report rows of a run, one JSON line each in a file beside the ZIP, with the outcome of
/// rendering laid over them (the invoices whose documents could not be made).
struct RowFile {
    path: PathBuf,
    mode: RunMode,
    failed: HashMap<i64, JsonText>,
}

impl RowFile {
    /// Writes the rows of the plan to `path`, one by one.
    fn write(
        path: PathBuf,
        mode: RunMode,
        rows: impl Iterator<Item = Result<RunInvoice, RunError>>,
    ) -> Result<RowFile, RunError> {
        let io = |e| RunError::io(&path, e);
        let mut w = BufWriter::with_capacity(256 * 1024, std::fs::File::create(&path).map_err(io)?);
        for r in rows {
            serde_json::to_writer(&mut w, &r?).map_err(|e| io(e.into()))?;
            w.write_all(b"\n").map_err(io)?;
        }
        w.into_inner().map_err(|e| io(e.into_error()))?;
        Ok(RowFile {
            path,
            mode,
            failed: HashMap::new(),
        })
    }

    /// Marks the row at `position` failed, with these findings.
    fn fail(&mut self, position: i64, findings: JsonText) {
        self.failed.insert(position, findings);
    }

    /// The rows of the drafts that failed.
    fn failed_rows(&self) -> Result<Vec<RunInvoice>, RunError> {
        let mut out = Vec::new();
        self.each_row(&mut |r| {
            if r.status == "failed" {
                out.push(r.clone());
            }
            Ok(())
        })?;
        Ok(out)
    }
}

impl RowSource for RowFile {
    fn each_row(
        &self,
        each: &mut dyn FnMut(&RunInvoice) -> Result<(), LedgerError>,
    ) -> Result<(), LedgerError> {
        let bad = |e: &dyn std::fmt::Display| {
            LedgerError::Invalid(format!("report rows {}: {e}", self.path.display()))
        };
        let file = std::fs::File::open(&self.path).map_err(|e| bad(&e))?;
        for line in BufReader::with_capacity(256 * 1024, file).lines() {
            let line = line.map_err(|e| bad(&e))?;
            let mut r: RunInvoice = serde_json::from_str(&line)
                .map_err(|e| LedgerError::Corrupt(format!("report rows: {e}")))?;
            if let Some(f) = self.failed.get(&r.position) {
                r.status = "failed".into();
                r.findings = f.clone();
                if self.mode == RunMode::Production {
                    r.number = None;
                }
            }
            each(&r)?;
        }
        Ok(())
    }
}

impl Drop for RowFile {
    fn drop(&mut self) {
        remove(&self.path);
    }
}

/// Removes a file, ignoring that it is not there.
fn remove(p: &Path) {
    let _ = std::fs::remove_file(p);
}

/// What production needs to number: series, format, period, counter.
struct Series {
    name: String,
    format: SeriesFormat,
    year: i32,
    period: i32,
    last: i64,
    gks: bool,
}

/// Runs an invoice run: checks the drafts, joins the queue and waits for the lock, plans,
/// renders in parallel into a temporary ZIP, commits (production), and renames the ZIP into
/// place. `observe` hears the progress. A draft file that cannot be read stops everything
/// before the run joins the queue ([`RunError::Input`]).
pub fn run(
    ledger: &mut Ledger,
    req: &RunRequest<'_>,
    observe: Observer<'_>,
) -> Result<RunSummary, RunError> {
    let mut timings = Vec::new();
    let t0 = Instant::now();
    match req.mode {
        RunMode::Test => require(ledger, req.user, Permission::InvoiceView)?,
        RunMode::Production => {
            require(ledger, req.user, Permission::InvoiceCreate)?;
            require(ledger, req.user, Permission::InvoiceTransition)?;
        }
    }
    check_output(req.output)?;
    let series = match req.mode {
        RunMode::Test => None,
        RunMode::Production => Some(series_of(ledger, req)?),
    };
    // Pass 1: read and check every draft (in parallel, a chunk at a time); keep what the plan
    // needs, the report's part of the facts goes to a file.
    let zip_temp = AtomicFile::temp_for(req.output);
    let input = Input::open(req.input)?;
    let total = input.len() as u64;
    let done = AtomicU64::new(0);
    let started = Instant::now();
    let mut facts_file = FactsFile::create(beside(&zip_temp, ".facts"))?;
    let mut all: Vec<PlanFacts> = Vec::with_capacity(input.len());
    for start in (0..input.len()).step_by(CHECK_CHUNK) {
        let end = (start + CHECK_CHUNK).min(input.len());
        let chunk: Vec<Result<DraftFacts, RunError>> = (start..end)
            .into_par_iter()
            .map(|i| {
                let d = input.read(i)?;
                let f = facts(i, input.source(i), &d, req.profile);
                let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                if n.is_multiple_of(256) || n == total {
                    observe(&Progress {
                        stage: Stage::Checking,
                        done: n,
                        total,
                        eta: eta(n, total, started.elapsed()),
                    });
                }
                Ok(f)
            })
            .collect();
        for f in chunk {
            let f = f?;
            facts_file.push(&ReportFacts::of(&f))?;
            all.push(f.plan_facts());
        }
    }
    timings.push(("check", t0.elapsed().as_secs_f64()));
    let in_window = all
        .iter()
        .filter(|f| req.window.contains(f.issue_date) && f.belongs)
        .count() as i64;

    // Join the queue.
    let holder = holder();
    let profile_text = req.profile.to_stored();
    // Whatever way the run leaves (an error while waiting or running, a panic), the run
    // lock is released when this guard goes.
    let lock = RunLockGuard(store(ledger)?);
    let rs: &mut dyn RunStore = &mut *lock.0;
    let at = now();
    let id = rs.register_run(&NewRun {
        mode: req.mode,
        profile: &req.profile.name,
        profile_text: &profile_text,
        from: req.window.from,
        to: req.window.to,
        booking_date: req.booking_date,
        description: &req.description,
        user: req.user,
        holder: &holder,
        at,
        drafts: in_window,
        zip_path: Some(&req.output.display().to_string()),
        zip_temp: Some(&zip_temp.display().to_string()),
    })?;
    let t1 = Instant::now();
    let abandoned = match wait_for_lock(rs, id, observe) {
        Ok(a) => a,
        Err(e) => {
            let _ = rs.leave_queue(id, now(), &format!("it stopped while waiting: {e}"));
            return Err(e);
        }
    };
    timings.push(("queue", t1.elapsed().as_secs_f64()));
    let mut after_commit = false;
    let result = run_locked(
        rs,
        req,
        id,
        &all,
        &mut facts_file,
        &input,
        series,
        &zip_temp,
        observe,
        &mut timings,
        &mut after_commit,
    );
    let result = match result {
        Ok(s) => Ok(s),
        Err(e) if after_commit => {
            // The invoices are committed: the run stays committed (a later run finishes it:
            // puts its ZIP in place and marks it done) or is done; its ZIP is kept.
            remove_temps(&zip_temp);
            Err(match e {
                RunError::AfterCommit(_) => e,
                other => RunError::AfterCommit(format!(
                    "the invoices are committed, but the run could not be finished: {other}; the next run finishes it"
                )),
            })
        }
        Err(e) => {
            let _ = rs.end_run(&RunOutcome {
                run: id,
                at: now(),
                state: RunState::Failed,
                rows: &Vec::new(),
                message: Some(&e.to_string()),
            });
            remove_temps(&zip_temp);
            Err(e)
        }
    };
    let _ = rs.release_run_lock();
    let mut summary = result?;
    summary.abandoned = abandoned;
    timings.push(("total", t0.elapsed().as_secs_f64()));
    summary.timings = timings;
    observe(&Progress {
        stage: Stage::Done,
        done: summary.invoices as u64,
        total: summary.invoices as u64,
        eta: None,
    });
    Ok(summary)
}

/// Refuses an output path the ZIP cannot be renamed to: an existing folder, or a path whose
/// folder does not exist. Checked before the run joins the queue, so nothing is written.
fn check_output(output: &Path) -> Result<(), RunError> {
    let refuse = |why: &str| Err(RunError::Output(format!("{}: {why}", output.display())));
    if output.is_dir() {
        return refuse("is a folder; -o names the ZIP file to write");
    }
    let dir = output
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return refuse(&format!("the folder {} does not exist", dir.display()));
    }
    Ok(())
}

fn series_of(ledger: &mut Ledger, req: &RunRequest<'_>) -> Result<Series, RunError> {
    let name = &req.profile.spec.series;
    let s = ledger.store().series(name)?.ok_or_else(|| {
        RunError::Refused(format!(
            "the ledger has no number series {name:?} (profile {}): an admin creates it with `factuur ledger series {name} --format '{{year}}-{{seq:5}}'`",
            req.profile.name
        ))
    })?;
    let format = SeriesFormat::parse(&s.format).map_err(LedgerError::from)?;
    let year = req.booking_date.year();
    let period = format.period(year);
    Ok(Series {
        name: s.name,
        year,
        period,
        last: 0,
        gks: s.gks,
        format,
    })
}

/// Waits until `id` is first in the queue and holds the lock; returns the runs found abandoned.
fn wait_for_lock(
    rs: &mut dyn RunStore,
    id: i64,
    observe: Observer<'_>,
) -> Result<Vec<i64>, RunError> {
    let mut last_beat = Instant::now();
    let mut speed = None;
    let mut speed_read = false;
    loop {
        let queue = rs.queue()?;
        let at = now();
        let me = queue.iter().find(|r| r.id == id);
        if me.is_none() {
            return Err(RunError::Refused(format!(
                "run {id} was taken out of the queue (it gave no sign of life for {} s)",
                STALE_AFTER.as_secs()
            )));
        }
        if !speed_read {
            speed = rs.measured_speed(10)?;
            speed_read = true;
        }
        let s = standing(&queue, id, at, speed);
        if s.next && rs.try_run_lock()? {
            let stale_before = at - chrono::TimeDelta::from_std(STALE_AFTER).unwrap_or_default();
            let (abandoned, unfinished) = rs.start_run(id, at, stale_before)?;
            for r in &abandoned {
                if let Some(t) = &r.zip_temp {
                    remove(Path::new(t));
                    remove_temps(Path::new(t));
                }
            }
            for r in &unfinished {
                finish_unfinished(rs, r)?;
            }
            return Ok(abandoned.iter().map(|r| r.id).collect());
        }
        observe(&Progress {
            stage: Stage::Queued {
                position: s.position,
                ahead: s.ahead.len(),
                wait: s.wait,
            },
            done: 0,
            total: 0,
            eta: s.wait,
        });
        // A heartbeat that fails (the ledger busy behind a long write) is tried again on the
        // next round; STALE_AFTER leaves room for several.
        if last_beat.elapsed() >= BEAT_EVERY && rs.heartbeat(id, at, None).is_ok() {
            last_beat = Instant::now();
            speed_read = false;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A committed run whose process died before its ZIP was in place: the ZIP is put in place
/// when its complete temporary file is there (or rebuilt from the workers' staging), and the
/// run is marked done either way.
fn finish_unfinished(rs: &mut dyn RunStore, r: &RunRecord) -> Result<(), RunError> {
    let mut message = None;
    if let (Some(target), Some(temp)) = (&r.zip_path, &r.zip_temp) {
        let (target, temp) = (Path::new(target), Path::new(temp));
        if temp.exists() {
            if let Err(e) = std::fs::rename(temp, target) {
                message = Some(format!("its ZIP could not be put in place: {e}"));
            }
        } else if !target.exists() {
            message = Some(
                "its process stopped after the invoices were committed, before the ZIP was in place; the invoices are in the ledger".to_owned(),
            );
        }
        remove_temps(temp);
    }
    rs.run_done(r.id, now(), message.as_deref())?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn run_locked(
    rs: &mut dyn RunStore,
    req: &RunRequest<'_>,
    id: i64,
    all: &[PlanFacts],
    facts_file: &mut FactsFile,
    input: &Input,
    series: Option<Series>,
    zip_temp: &Path,
    observe: Observer<'_>,
    timings: &mut Vec<(&'static str, f64)>,
    after_commit: &mut bool,
) -> Result<RunSummary, RunError> {
    let t = Instant::now();
    // Plan under the lock: the counter and the earlier runs cannot change meanwhile (but for
    // single invoices added by hand, which the commit notices).
    let series = match series {
        Some(mut s) => {
            s.last = counter(rs, &s)?;
            Some(s)
        }
        None => None,
    };
    let invoiced: HashMap<String, (i64, String)> = if req.mode == RunMode::Production {
        let keys: Vec<String> = all
            .iter()
            .filter(|f| req.window.contains(f.issue_date) && f.belongs)
            .map(|f| f.key.clone())
            .collect();
        rs.invoiced(&keys)?
            .into_iter()
            .map(|(k, r, n)| (k, (r, n)))
            .collect()
    } else {
        HashMap::new()
    };
    let numbering = match &series {
        Some(s) => Numbering::Series {
            format: s.format.clone(),
            year: s.year,
            last: s.last,
        },
        None => Numbering::Test,
    };
    let p = plan(all, req.window, &numbering, &invoiced);
    let (numbered, failed, skipped) = p.counts();
    rs.plan_run(
        id,
        (
            p.items.len() as i64,
            numbered as i64,
            failed as i64,
            skipped as i64,
        ),
        series.as_ref().and_then(|s| {
            p.seq_range()
                .map(|(a, b)| (s.name.as_str(), s.period, a, b))
        }),
    )?;
    // The report rows, from the facts on disk (in input order, as the plan's items are).
    let mut facts_read = facts_file.read()?;
    let mut rows = RowFile::write(
        beside(zip_temp, ".rows"),
        req.mode,
        p.items.iter().map(|i| {
            loop {
                match facts_read.next() {
                    Some(Ok(f)) if f.index == i.index => break Ok(report::row(&f, i, req.mode)),
                    Some(Ok(_)) => {}
                    Some(Err(e)) => break Err(e),
                    None => {
                        break Err(RunError::Refused(format!(
                            "the facts of draft {} went missing from the run's temporary file",
                            i.index + 1
                        )));
                    }
                }
            }
        }),
    )?;
    drop(facts_read);
    let mut summary = RunSummary {
        run: id,
        mode: req.mode,
        state: RunState::Done,
        invoices: numbered,
        failed,
        skipped,
        outside_window: p.outside_window,
        other_profile: p.other_profile,
        zip: None,
        numbers: None,
        message: None,
        abandoned: Vec::new(),
        timings: Vec::new(),
        rows: Vec::new(),
    };
    timings.push(("plan", t.elapsed().as_secs_f64()));
    if req.stop_on_error && failed > 0 {
        let msg = format!(
            "stopped: {failed} draft(s) failed the check (--stop-on-error); nothing was made"
        );
        rs.end_run(&RunOutcome {
            run: id,
            at: now(),
            state: RunState::Failed,
            rows: &rows,
            message: Some(&msg),
        })?;
        summary.state = RunState::Failed;
        summary.message = Some(msg);
        summary.invoices = 0;
        summary.rows = rows.failed_rows()?;
        return Ok(summary);
    }
    // Render into the temporary ZIP (and, in production, the spill file for the commit).
    let t = Instant::now();
    let (atomic, w) = AtomicFile::create(req.output).map_err(|e| RunError::io(req.output, e))?;
    debug_assert_eq!(atomic.temp(), zip_temp);
    let mut zip = ZipOut::new(w);
    let spill = spill_path(zip_temp);
    let mut spill_out = match req.mode {
        RunMode::Production => Some(BufWriter::new(
            std::fs::File::create(&spill).map_err(|e| RunError::io(&spill, e))?,
        )),
        RunMode::Test => None,
    };
    let items: Vec<&Item> = p.numbered().collect();
    let ctx = ItemContext {
        req,
        input,
        all,
        run: id,
        series: series.as_ref(),
        at: now(),
    };
    let failures = if rs_is_shared(rs) {
        render_shared(rs, &ctx, &items, &mut zip, spill_out.as_mut(), observe)?
    } else {
        render_local(rs, &ctx, &items, &mut zip, spill_out.as_mut(), observe)?
    };
    timings.push(("render", t.elapsed().as_secs_f64()));
    let t = Instant::now();
    for (position, f) in &failures {
        let findings = if f.findings.is_empty() {
            JsonText::of(&serde_json::json!([{"rule": "RUN-RENDER",
                "severity": "fatal", "message": {"en": f.message}}]))
        } else {
            JsonText::of(&f.findings)
        };
        rows.fail(*position, findings);
    }
    // Read before anything is committed: nothing can fail after the commit but the ZIP's rename.
    let failed_rows = rows.failed_rows()?;
    if !failures.is_empty() {
        summary.failed += failures.len();
        summary.invoices -= failures.len();
        if req.mode == RunMode::Production {
            // All or nothing: a production run whose documents cannot all be made changes
            // nothing (its numbers would otherwise have a hole).
            let msg = format!(
                "stopped: the documents of {} invoice(s) could not be made ({}); nothing was written to the ledger",
                failures.len(),
                failures
                    .iter()
                    .take(3)
                    .map(|(_, f)| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            drop(spill_out);
            remove(&spill);
            rs.end_run(&RunOutcome {
                run: id,
                at: now(),
                state: RunState::Failed,
                rows: &rows,
                message: Some(&msg),
            })?;
            summary.state = RunState::Failed;
            summary.invoices = 0;
            summary.message = Some(msg);
            summary.rows = failed_rows;
            return Ok(summary);
        }
    }
    // The report, then the ZIP is complete.
    let record = rs
        .run(id)?
        .ok_or_else(|| RunError::Refused(format!("run {id} vanished from the ledger")))?;
    let io = |e| RunError::io(req.output, e);
    let report_spool = beside(zip_temp, ".report");
    zip.add_deflated_with(&format!("run-{id}.csv"), &report_spool, |w| {
        report::write_csv(w, &rows)
    })
    .map_err(io)?;
    zip.add_deflated_with(&format!("run-{id}.json"), &report_spool, |w| {
        report::write_json(w, &record, &rows)
    })
    .map_err(io)?;
    let w = zip.finish().map_err(io)?;
    atomic.sync(w).map_err(io)?;
    timings.push(("zip", t.elapsed().as_secs_f64()));
    let t = Instant::now();
    match (req.mode, series) {
        (RunMode::Production, Some(s)) => {
            let spilled = spill_out.take().expect("production has a spill file");
            spilled
                .into_inner()
                .map_err(|e| RunError::io(&spill, e.into_error()))?;
            observe(&Progress {
                stage: Stage::Committing,
                done: 0,
                total: summary.invoices as u64,
                eta: None,
            });
            let file = std::fs::File::open(&spill).map_err(|e| RunError::io(&spill, e))?;
            let mut lines = BufReader::with_capacity(1 << 20, file).lines();
            let mut invoices = std::iter::from_fn(|| {
                let line = lines.next()?;
                Some(
                    line.map_err(|e| LedgerError::Invalid(format!("spill file: {e}")))
                        .and_then(|l| {
                            let s: Spilled = serde_json::from_str(&l)
                                .map_err(|e| LedgerError::Corrupt(format!("spill file: {e}")))?;
                            Ok(RunNewInvoice {
                                number: s.number,
                                content: s.content,
                                seq: s.seq,
                                created: s
                                    .created
                                    .iter()
                                    .map(SpillEntry::entry)
                                    .collect::<Result<_, _>>()?,
                                history: s
                                    .history
                                    .iter()
                                    .map(SpillEntry::entry)
                                    .collect::<Result<_, _>>()?,
                                status: Status::Definitief,
                                gks: s.gks,
                                position: s.position,
                            })
                        }),
                )
            });
            let committed = rs.commit_production(ProductionCommit {
                run: id,
                at: now(),
                series: &s.name,
                period: s.period,
                expected_last: s.last,
                invoices: &mut invoices,
                count: summary.invoices as i64,
                rows: &rows,
            });
            remove(&spill);
            committed?;
            // From here the invoices are in the ledger: the run is never marked failed, and
            // a ZIP that cannot be put in place is kept where it is.
            *after_commit = true;
            timings.push(("commit", t.elapsed().as_secs_f64()));
            let unplaced = atomic.commit_or_keep().err().map(|(temp, e)| {
                format!(
                    "the invoices are committed, but the ZIP could not be put in place at {}: {e}; the complete ZIP is at {}",
                    req.output.display(),
                    temp.display()
                )
            });
            rs.run_done(id, now(), unplaced.as_deref())?;
            if let Some(m) = unplaced {
                return Err(RunError::AfterCommit(m));
            }
            summary.numbers = p
                .numbered()
                .next()
                .and_then(|a| Some((a.number.clone()?, p.numbered().last()?.number.clone()?)));
        }
        _ => {
            atomic.commit().map_err(io)?;
            rs.end_run(&RunOutcome {
                run: id,
                at: now(),
                state: RunState::Done,
                rows: &rows,
                message: None,
            })?;
        }
    }
    summary.zip = Some(req.output.to_owned());
    summary.rows = failed_rows;
    Ok(summary)
}

fn counter(rs: &mut dyn RunStore, s: &Series) -> Result<i64, RunError> {
    Ok(rs.counter(&s.name, s.period)?)
}

fn rs_is_shared(rs: &mut dyn RunStore) -> bool {
    rs.shared()
}

/// A numbered draft handed to the workers: position, invoice JSON, and its commit record.
type StagedItem = (i64, String, Option<Spilled>);

/// What rendering one item needs.
struct ItemContext<'a> {
    req: &'a RunRequest<'a>,
    input: &'a Input,
    all: &'a [PlanFacts],
    run: i64,
    series: Option<&'a Series>,
    at: DateTime<Utc>,
}

/// One item made: its documents, and in production what the commit needs.
struct Made {
    position: i64,
    docs: Result<Vec<Document>, RenderFailure>,
    spill: Option<Spilled>,
}

/// Reads draft `item` again, numbers it and (production) prepares its ledger entry.
fn numbered_invoice(
    cx: &ItemContext<'_>,
    item: &Item,
) -> Result<(crate::Invoice, Option<Spilled>), RunError> {
    let mut draft = cx.input.reread(item.index)?;
    let f = &cx.all[item.index];
    if draft.crc != f.crc {
        return Err(RunError::Input {
            file: cx.input.source(item.index),
            message: "the draft changed while the run was going on".into(),
        });
    }
    draft.number(item.number.as_deref().unwrap_or_default());
    let invoice = draft.invoice;
    let spill = match cx.series {
        None => None,
        Some(s) => {
            let gks = cx.req.profile.spec.gks.then_some(true);
            let vat = &cx.req.profile.vat_codes;
            let ctx = Context {
                now: cx.at,
                user: cx.req.user,
                permissions: crate::lifecycle::Permissions::of(&[Permission::InvoiceTransition]),
                vat_codes: vat,
                reporting: cx.req.profile.spec.gks || s.gks,
                retry_every: DEFAULT_RETRY,
                note: None,
            };
            let reporting = Reporting::default();
            let outcome = crate::lifecycle::transition(
                &Current {
                    status: Status::Concept,
                    invoice: &invoice,
                    reporting: &reporting,
                },
                &Event::Definitief,
                &ctx,
            )
            .map_err(|r| RunError::Refused(format!("{}: {}", invoice.number, r.reason)))?;
            let created = Entry {
                at: cx.at,
                user: cx.req.user.to_owned(),
                action: Action::Created,
                from: None,
                to: Status::Concept,
                detail: format!(
                    "number {} from series {} by invoice run {} ({})",
                    invoice.number,
                    s.name,
                    cx.run,
                    cx.input.source(item.index)
                ),
            };
            Some(Spilled {
                position: item.position,
                seq: item.seq.unwrap_or_default(),
                number: invoice.number.clone(),
                gks,
                content: serde_json::to_string(&invoice).expect("an invoice always serialises"),
                created: vec![SpillEntry::of(&created)],
                history: outcome.history.iter().map(SpillEntry::of).collect(),
            })
        }
    };
    Ok((invoice, spill))
}

fn write_spill(out: Option<&mut BufWriter<std::fs::File>>, s: &Spilled) -> Result<(), RunError> {
    if let Some(w) = out {
        serde_json::to_writer(&mut *w, s)
            .map_err(|e| RunError::Refused(format!("spill file: {e}")))?;
        w.write_all(b"\n")
            .map_err(|e| RunError::Refused(format!("spill file: {e}")))?;
    }
    Ok(())
}

fn render_local<W: Write + Send>(
    rs: &mut dyn RunStore,
    cx: &ItemContext<'_>,
    items: &[&Item],
    zip: &mut ZipOut<W>,
    mut spill: Option<&mut BufWriter<std::fs::File>>,
    observe: Observer<'_>,
) -> Result<Vec<(i64, RenderFailure)>, RunError> {
    let total = items.len() as u64;
    let started = Instant::now();
    let mut last_beat = Instant::now();
    let mut failures = Vec::new();
    let mut done = 0u64;
    let make = |chunk: &[&Item]| -> Vec<Result<Made, RunError>> {
        chunk
            .par_iter()
            .map(|item| {
                let (invoice, spill) = numbered_invoice(cx, item)?;
                let docs = render(&invoice, cx.req.profile, cx.req.mode, item.position);
                Ok(Made {
                    position: item.position,
                    docs,
                    spill,
                })
            })
            .collect()
    };
    // A pipeline: while the pool makes one chunk, this thread writes the one before into the
    // ZIP and the spill file (so no core waits for the writing).
    let mut write = |made: Vec<Result<Made, RunError>>| -> Result<(), RunError> {
        for m in made {
            let m = m?;
            match m.docs {
                Ok(docs) => {
                    for d in &docs {
                        zip.add(d).map_err(|e| RunError::io(cx.req.output, e))?;
                    }
                }
                Err(f) => failures.push((m.position, f)),
            }
            if let Some(s) = &m.spill {
                write_spill(spill.as_deref_mut(), s)?;
            }
        }
        Ok(())
    };
    let mut pending: Option<(u64, Vec<Result<Made, RunError>>)> = None;
    for chunk in items.chunks(CHUNK) {
        let (made, written) = rayon::join(
            || make(chunk),
            || pending.take().map_or(Ok(0), |(n, m)| write(m).map(|()| n)),
        );
        done += written?;
        pending = Some((chunk.len() as u64, made));
        observe(&Progress {
            stage: Stage::Rendering,
            done,
            total,
            eta: eta(done, total, started.elapsed()),
        });
        // Progress only (a running run's liveness is its lock): a failed one is tried again.
        if last_beat.elapsed() >= Duration::from_secs(1)
            && rs.heartbeat(cx.run, now(), Some(done as i64)).is_ok()
        {
            last_beat = Instant::now();
        }
    }
    if let Some((n, m)) = pending.take() {
        write(m)?;
        done += n;
    }
    observe(&Progress {
        stage: Stage::Rendering,
        done,
        total,
        eta: Some(Duration::ZERO),
    });
    Ok(failures)
}

/// The documents of a claimed slice, rendered in parallel; an invoice that cannot be made
/// yields a document named `!failed` with the reason (JSON), so the coordinator decides.
pub fn render_slice(profile: &Profile, slice: &ClaimedSlice) -> Vec<StagedDocument> {
    let mode = slice.run.mode;
    let docs: Vec<Vec<StagedDocument>> = slice
        .items
        .par_iter()
        .map(|(position, json)| {
            let invoice: Result<crate::Invoice, String> =
                serde_json::from_str(json).map_err(|e| format!("staged invoice: {e}"));
            let result = invoice.and_then(|inv| {
                render(&inv, profile, mode, *position).map_err(|f| {
                    serde_json::json!({"message": f.message, "findings": f.findings}).to_string()
                })
            });
            match result {
                Ok(d) => d,
                Err(reason) => {
                    let reason = if reason.starts_with('{') {
                        reason
                    } else {
                        serde_json::json!({"message": reason, "findings": []}).to_string()
                    };
                    vec![Document::stored(FAILED_DOC, reason.as_bytes()).at(*position)]
                }
            }
        })
        .collect();
    docs.into_iter().flatten().collect()
}

fn render_shared<W: Write>(
    rs: &mut dyn RunStore,
    cx: &ItemContext<'_>,
    items: &[&Item],
    zip: &mut ZipOut<W>,
    mut spill: Option<&mut BufWriter<std::fs::File>>,
    observe: Observer<'_>,
) -> Result<Vec<(i64, RenderFailure)>, RunError> {
    // Stage the numbered drafts in slices for every worker, this process included.
    let total = items.len() as u64;
    let mut staged = 0u64;
    let mut slice_no = 0i64;
    let started = Instant::now();
    for chunk in items.chunks(SLICE * 16) {
        let made: Vec<Result<StagedItem, RunError>> = chunk
            .par_iter()
            .map(|item| {
                let (invoice, spill) = numbered_invoice(cx, item)?;
                let json = serde_json::to_string(&invoice).expect("an invoice always serialises");
                Ok((item.position, json, spill))
            })
            .collect();
        let mut rows = Vec::with_capacity(made.len());
        for m in made {
            let (pos, json, s) = m?;
            if let Some(s) = &s {
                write_spill(spill.as_deref_mut(), s)?;
            }
            rows.push((pos, json));
        }
        let slices: Vec<(i64, i64, i64)> = rows
            .chunks(SLICE)
            .map(|c| {
                slice_no += 1;
                (slice_no, c[0].0, c[c.len() - 1].0)
            })
            .collect();
        rs.stage(cx.run, &rows, &slices)?;
        staged += rows.len() as u64;
        observe(&Progress {
            stage: Stage::Staging,
            done: staged,
            total,
            eta: eta(staged, total, started.elapsed()),
        });
    }
    // Work on the slices until none is left to do (other workers take their share).
    let worker = format!("{} (coordinator)", holder());
    let profile = cx.req.profile;
    let started = Instant::now();
    let slices_total = slice_no.max(0) as u64;
    let mut last_beat = Instant::now();
    loop {
        let mut render = |s: &ClaimedSlice| Ok(render_slice(profile, s));
        let claimed = rs.work_slice(&worker, Some(cx.run), &mut render)?;
        let (todo, done) = rs.slices_left(cx.run)?;
        observe(&Progress {
            stage: Stage::Rendering,
            done: done as u64,
            total: slices_total,
            eta: eta(done as u64, slices_total, started.elapsed()),
        });
        // Progress only (a running run's liveness is its lock): a failed one is tried again.
        if last_beat.elapsed() >= Duration::from_secs(1)
            && rs
                .heartbeat(cx.run, now(), Some(done * SLICE as i64))
                .is_ok()
        {
            last_beat = Instant::now();
        }
        if claimed.is_none() {
            if todo == 0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    // The documents into the ZIP, in run order.
    let mut failures = Vec::new();
    let output = cx.req.output;
    let mut zip_err = None;
    rs.staged_documents(cx.run, &mut |d| {
        if d.name == FAILED_DOC {
            let v: serde_json::Value = serde_json::from_slice(&d.bytes).unwrap_or_default();
            failures.push((
                d.position,
                RenderFailure {
                    message: v["message"].as_str().unwrap_or("failed").to_owned(),
                    findings: Vec::new(),
                },
            ));
            return Ok(());
        }
        zip.add(&d).inspect_err(|e| zip_err = Some(e.to_string()))
    })?;
    if let Some(e) = zip_err {
        return Err(RunError::io(output, std::io::Error::other(e)));
    }
    Ok(failures)
}

/// A worker: claims slices of running runs on this ledger and renders them, until `stop`
/// says so (it is asked after every slice and while idle). Returns the slices it rendered.
pub fn work(
    ledger: &mut Ledger,
    worker: &str,
    stop: &mut dyn FnMut(bool) -> bool,
) -> Result<u64, RunError> {
    let rs = store(ledger)?;
    if !rs.shared() {
        return Err(RunError::Refused(
            "workers share runs through PostgreSQL: this ledger is SQLite, where `factuur run` renders on all cores of its own machine".into(),
        ));
    }
    let mut profiles: HashMap<i64, Profile> = HashMap::new();
    let mut n = 0;
    loop {
        let mut bad_profile = None;
        let mut render = |s: &ClaimedSlice| {
            let profile = match profiles.entry(s.run.id) {
                std::collections::hash_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::hash_map::Entry::Vacant(v) => {
                    match Profile::from_stored(&s.run.profile_text) {
                        Ok(p) => v.insert(p),
                        Err(e) => {
                            bad_profile = Some(e.to_string());
                            return Err(e.to_string());
                        }
                    }
                }
            };
            Ok(render_slice(profile, s))
        };
        let claimed = match rs.work_slice(worker, None, &mut render) {
            Ok(c) => c,
            Err(e) if bad_profile.is_some() => return Err(RunError::Profile(e.to_string())),
            Err(e) => return Err(e.into()),
        };
        match claimed {
            Some(_) => {
                n += 1;
                if stop(false) {
                    return Ok(n);
                }
            }
            None => {
                if stop(true) {
                    return Ok(n);
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

/// Rolls back production run `run` as `user`, if the conditions allow
/// ([`super::rollback::judge`]); the refused conditions otherwise, each named.
pub fn rollback(
    ledger: &mut Ledger,
    run: i64,
    user: &str,
    reason: &str,
) -> Result<crate::ledger::runs::RollbackPlan, Result<Vec<super::rollback::Refused>, RunError>> {
    let rs = store(ledger).map_err(Err)?;
    let at = now();
    let mut refused = None;
    let decide = Box::new(|facts: &crate::ledger::runs::RollbackFacts| {
        super::rollback::judge(facts, user, at, reason).map_err(|r| {
            let text = super::rollback::refusal_text(run, &r);
            refused = Some(r);
            text
        })
    });
    match rs.rollback(run, user, at, decide) {
        Ok(plan) => Ok(plan),
        Err(e) => match refused {
            Some(r) => Err(Ok(r)),
            None => Err(Err(e.into())),
        },
    }
}

/// Records a return message for an invoice (`read`, `approved` or `partly-approved`).
pub fn return_message(
    ledger: &mut Ledger,
    number: &str,
    state: &str,
    user: &str,
    note: Option<&str>,
) -> Result<(), RunError> {
    if !["read", "approved", "partly-approved"].contains(&state) {
        return Err(RunError::Refused(format!(
            "return message state {state:?}: read, approved or partly-approved"
        )));
    }
    require(ledger, user, Permission::InvoiceTransition)?;
    store(ledger)?.return_message(&ReturnMessage {
        number: number.to_owned(),
        state: state.to_owned(),
        at: now(),
        user: user.to_owned(),
        note: note.map(str::to_owned),
    })?;
    Ok(())
}

/// The journal export: the booking lines of final invoices booked from `from` to `to`, as CSV,
/// written to a temporary file beside `output` first; the export is then recorded (it counts
/// for the rollback conditions) and the file renamed into place. An export that cannot be
/// made (an unknown VAT code, an unwritable output) is not recorded.
pub fn journal_export(
    ledger: &mut Ledger,
    from: NaiveDate,
    to: NaiveDate,
    output: &Path,
    user: &str,
) -> Result<(crate::ledger::runs::JournalExport, usize), RunError> {
    require(ledger, user, Permission::InvoiceView)?;
    let window = Window::new(from, to).map_err(RunError::Refused)?;
    check_output(output)?;
    let table = crate::model::VatCodeTable::dutch_default();
    let mut failure: Option<RunError> = None;
    let mut made: Option<(AtomicFile, usize)> = None;
    let mut write = |sources: &[crate::ledger::runs::JournalSource]| {
        let written: Result<(AtomicFile, usize), RunError> = (|| {
            let lines = super::journal::lines(sources, &table).map_err(RunError::Refused)?;
            let csv = super::journal::csv(&lines);
            let (atomic, mut w) =
                AtomicFile::create(output).map_err(|e| RunError::io(output, e))?;
            w.write_all(csv.as_bytes())
                .map_err(|e| RunError::io(atomic.temp(), e))?;
            atomic.sync(w).map_err(|e| RunError::io(atomic.temp(), e))?;
            Ok((atomic, lines.len()))
        })();
        match written {
            Ok(m) => {
                made = Some(m);
                Ok(())
            }
            Err(e) => {
                let message = e.to_string();
                failure = Some(e);
                Err(LedgerError::Invalid(message))
            }
        }
    };
    let recorded = store(ledger)?.journal_export(
        "sales-csv",
        window.from,
        window.to,
        user,
        now(),
        Some(&output.display().to_string()),
        &mut write,
    );
    let export = match recorded {
        Ok(e) => e,
        Err(e) => return Err(failure.take().unwrap_or(RunError::Ledger(e))),
    };
    let (atomic, lines) = made.ok_or_else(|| {
        RunError::Refused("the journal export was recorded but its file was not made".into())
    })?;
    atomic.commit().map_err(|e| RunError::io(output, e))?;
    Ok((export, lines))
}
