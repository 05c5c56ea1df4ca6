//! What the ledger keeps of invoice runs (feature `ledger`): the runs themselves (the queue, the
//! lock, the outcome), the invoices of each run, return messages, journal exports, and the
//! staging that workers share on PostgreSQL.
//!
//! The decisions live in [`crate::run`] as pure functions; a [`RunStore`] only reads and
//! writes, each method in one transaction. Where a decision must see the same data it changes
//! (the counter of a series when a production run commits, the conditions of a rollback), the
//! store reads inside the transaction and calls the decision there.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::Invoice;
use crate::lifecycle::{Entry, Status};

use super::LedgerError;
use super::store::LapsedNumber;

/// Test or production.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RunMode {
    /// Documents marked as a test, numbered `TEST-0001`…; nothing in the ledger changes but
    /// the run's own record.
    Test,
    /// Invoices added to the ledger, numbered from the profile's series, made final.
    Production,
}

impl RunMode {
    /// `test` or `production`.
    pub fn as_str(self) -> &'static str {
        match self {
            RunMode::Test => "test",
            RunMode::Production => "production",
        }
    }

    /// Reads `test` or `production`.
    pub fn from_name(s: &str) -> Option<RunMode> {
        match s {
            "test" => Some(RunMode::Test),
            "production" => Some(RunMode::Production),
            _ => None,
        }
    }
}

/// Where a run is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    /// Waiting for the run before it.
    Queued,
    /// Holding the lock, generating.
    Running,
    /// Production: the invoices are in the ledger; the ZIP is being finished.
    Committed,
    /// Finished, with its ZIP.
    Done,
    /// Stopped without changing the ledger (an error, `--stop-on-error`, the series moved).
    Failed,
    /// Its process died before it committed; nothing of it is in the ledger.
    Abandoned,
    /// A production run that was rolled back: its invoices withdrawn, their numbers lapsed.
    RolledBack,
}

impl RunState {
    /// Every state.
    pub const ALL: [RunState; 7] = [
        RunState::Queued,
        RunState::Running,
        RunState::Committed,
        RunState::Done,
        RunState::Failed,
        RunState::Abandoned,
        RunState::RolledBack,
    ];

    /// The state as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Queued => "queued",
            RunState::Running => "running",
            RunState::Committed => "committed",
            RunState::Done => "done",
            RunState::Failed => "failed",
            RunState::Abandoned => "abandoned",
            RunState::RolledBack => "rolled_back",
        }
    }

    /// Reads a stored state.
    pub fn from_name(s: &str) -> Option<RunState> {
        RunState::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// Whether a production run in this state has its invoices in the ledger.
    pub fn is_committed(self) -> bool {
        matches!(self, RunState::Committed | RunState::Done)
    }
}

/// A run joining the queue.
#[derive(Debug, Clone, Copy)]
pub struct NewRun<'a> {
    /// Test or production.
    pub mode: RunMode,
    /// The profile's name.
    pub profile: &'a str,
    /// The profile as used (TOML).
    pub profile_text: &'a str,
    /// First day of the window.
    pub from: NaiveDate,
    /// Last day of the window.
    pub to: NaiveDate,
    /// The booking date.
    pub booking_date: NaiveDate,
    /// The description for the books.
    pub description: &'a str,
    /// Who starts it.
    pub user: &'a str,
    /// The process that runs it (see [`crate::run::queue::holder`]).
    pub holder: &'a str,
    /// Now.
    pub at: DateTime<Utc>,
    /// Drafts in the window.
    pub drafts: i64,
    /// Where its ZIP goes.
    pub zip_path: Option<&'a str>,
    /// The temporary file the ZIP is written to before it is renamed into place.
    pub zip_temp: Option<&'a str>,
}

/// A run as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunRecord {
    /// Its id: `factuur run show ID`.
    pub id: i64,
    /// Test or production.
    pub mode: RunMode,
    /// The profile's name.
    pub profile: String,
    /// The profile as used (TOML).
    #[serde(skip)]
    pub profile_text: String,
    /// First day of the window.
    pub from: NaiveDate,
    /// Last day of the window.
    pub to: NaiveDate,
    /// The booking date.
    pub booking_date: NaiveDate,
    /// The description for the books.
    pub description: String,
    /// Who started it.
    pub user: String,
    /// Where it is.
    pub state: RunState,
    /// The process that ran it.
    pub holder: String,
    /// Its process's last sign of life.
    pub heartbeat: DateTime<Utc>,
    /// When it joined the queue.
    pub queued_at: DateTime<Utc>,
    /// When it took the lock.
    pub started_at: Option<DateTime<Utc>>,
    /// When it ended.
    pub finished_at: Option<DateTime<Utc>>,
    /// Drafts in the window.
    pub drafts: i64,
    /// Invoices made (numbered).
    pub invoices: i64,
    /// Drafts that failed the check (left out).
    pub failed: i64,
    /// Drafts left out because an earlier run invoiced them.
    pub skipped: i64,
    /// Invoices generated so far (while running).
    pub progress: i64,
    /// The number series (production).
    pub series: Option<String>,
    /// The counter's period.
    pub period: Option<i32>,
    /// First sequence number used.
    pub first_seq: Option<i64>,
    /// Last sequence number used.
    pub last_seq: Option<i64>,
    /// The ZIP.
    pub zip_path: Option<String>,
    /// The ZIP's temporary name while it is written.
    #[serde(skip)]
    pub zip_temp: Option<String>,
    /// Why it failed or was abandoned, or what went wrong after it committed.
    pub message: Option<String>,
    /// When it was rolled back.
    pub rolled_back_at: Option<DateTime<Utc>>,
    /// By whom.
    pub rolled_back_by: Option<String>,
    /// Why.
    pub rollback_reason: Option<String>,
}

/// One invoice of a run, as the run report and `factuur run show` list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunInvoice {
    /// Its place in the run (0-based, in draft order).
    pub position: i64,
    /// The number it got (a test number in a test run); none for a failed or skipped draft.
    pub number: Option<String>,
    /// The ledger's invoice (production).
    #[serde(skip)]
    pub invoice_id: Option<i64>,
    /// The draft's key (a digest of its content without the number).
    pub draft_key: String,
    /// Where the draft came from: file name, or file and line.
    pub source: String,
    /// UNCL 1001 type code: 380 invoice, 381 credit note, ….
    pub type_code: u16,
    /// `Definitief`, `test`, `failed`, `skipped`, `withdrawn`, or the ledger status.
    pub status: String,
    /// The customer's name.
    pub customer: Option<String>,
    /// The customer's KvK number.
    pub kvk: Option<String>,
    /// The invoice date.
    pub issue_date: NaiveDate,
    /// The currency.
    pub currency: String,
    /// Total without VAT.
    pub net: Option<String>,
    /// Total VAT.
    pub vat: Option<String>,
    /// Amount due.
    pub total: Option<String>,
    /// Net and VAT per rate (JSON).
    pub vat_rates: JsonText,
    /// The check's findings (JSON).
    pub findings: JsonText,
}

/// JSON kept as its compact text (a run of any size keeps its report rows small), written as
/// the JSON it is.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JsonText(String);

impl JsonText {
    /// The JSON of a value.
    pub fn of<T: Serialize + ?Sized>(v: &T) -> JsonText {
        JsonText(serde_json::to_string(v).unwrap_or_else(|_| "null".into()))
    }

    /// Checked JSON text.
    pub fn parse(text: String) -> Result<JsonText, serde_json::Error> {
        serde_json::from_str::<serde::de::IgnoredAny>(&text)?;
        Ok(JsonText(text))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The value.
    pub fn value(&self) -> serde_json::Value {
        serde_json::from_str(&self.0).unwrap_or_default()
    }
}

impl<'de> Deserialize<'de> for JsonText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<JsonText, D::Error> {
        let raw = Box::<serde_json::value::RawValue>::deserialize(d)?;
        Ok(JsonText(raw.get().to_owned()))
    }
}

impl Serialize for JsonText {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw = serde_json::value::RawValue::from_string(self.0.clone())
            .map_err(serde::ser::Error::custom)?;
        raw.serialize(s)
    }
}

/// The rows of a run report, handed to a store one by one (a run of any size is recorded
/// without holding its report in memory; the rows may come from a file).
pub trait RowSource {
    /// Calls `each` with every row, in position order; stops at the first error.
    fn each_row(
        &self,
        each: &mut dyn FnMut(&RunInvoice) -> Result<(), LedgerError>,
    ) -> Result<(), LedgerError>;
}

impl RowSource for [RunInvoice] {
    fn each_row(
        &self,
        each: &mut dyn FnMut(&RunInvoice) -> Result<(), LedgerError>,
    ) -> Result<(), LedgerError> {
        self.iter().try_for_each(each)
    }
}

impl RowSource for Vec<RunInvoice> {
    fn each_row(
        &self,
        each: &mut dyn FnMut(&RunInvoice) -> Result<(), LedgerError>,
    ) -> Result<(), LedgerError> {
        self.as_slice().each_row(each)
    }
}

/// How many rows are invoices, failed and skipped (by their status).
pub(crate) fn row_counts(
    rows: &dyn RowSource,
    mut each: impl FnMut(&RunInvoice) -> Result<(), LedgerError>,
) -> Result<(i64, i64, i64), LedgerError> {
    let (mut n, mut failed, mut skipped) = (0i64, 0i64, 0i64);
    rows.each_row(&mut |r| {
        n += 1;
        match r.status.as_str() {
            "failed" => failed += 1,
            "skipped" => skipped += 1,
            _ => {}
        }
        each(r)
    })?;
    Ok((n - failed - skipped, failed, skipped))
}

/// A new invoice written by a production run.
#[derive(Debug, Clone)]
pub struct RunNewInvoice {
    /// The invoice number.
    pub number: String,
    /// The invoice with its number, as stored (compact JSON).
    pub content: String,
    /// Its sequence in the series.
    pub seq: i64,
    /// History of version 1 (created).
    pub created: Vec<Entry>,
    /// History of version 2 (the check and the step to the final status).
    pub history: Vec<Entry>,
    /// The status it reaches (Definitief).
    pub status: Status,
    /// Whether the profile reports it to the tax black box (`None`: the series decides).
    pub gks: Option<bool>,
    /// Its place in the run (the [`RunInvoice::position`] of its row).
    pub position: i64,
}

/// What a production run writes when it commits, in one transaction.
pub struct ProductionCommit<'a> {
    /// The run.
    pub run: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// The series.
    pub series: &'a str,
    /// The counter's period.
    pub period: i32,
    /// The counter's value the numbers were planned from; the commit fails with
    /// [`LedgerError::SeriesMoved`] if it changed.
    pub expected_last: i64,
    /// The new invoices, in number order, handed over one by one (a run of any size is
    /// committed without holding all of them in memory); `count` of them.
    pub invoices: &'a mut dyn Iterator<Item = Result<RunNewInvoice, LedgerError>>,
    /// How many `invoices` yields.
    pub count: i64,
    /// Every row of the run report (numbered, failed, skipped).
    pub rows: &'a dyn RowSource,
}

/// What a test run (or a production run without any invoice) records when it ends.
#[derive(Clone, Copy)]
pub struct RunOutcome<'a> {
    /// The run.
    pub run: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// The state it ends in.
    pub state: RunState,
    /// Every row of its report.
    pub rows: &'a dyn RowSource,
    /// Why, for a failed run.
    pub message: Option<&'a str>,
}

/// A return message about an invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnMessage {
    /// The invoice.
    pub number: String,
    /// `read`, `approved` or `partly-approved`.
    pub state: String,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// Who recorded it.
    pub user: String,
    /// A remark.
    pub note: Option<String>,
}

/// A recorded journal export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JournalExport {
    /// Its id.
    pub id: i64,
    /// Its kind (`sales-csv` for `factuur journal export`).
    pub kind: String,
    /// First booking date.
    pub from: NaiveDate,
    /// Last booking date.
    pub to: NaiveDate,
    /// When it ran.
    pub at: DateTime<Utc>,
    /// Who ran it.
    pub user: String,
    /// Booking lines written.
    pub lines: i64,
    /// The file written.
    pub file: Option<String>,
}

/// A final invoice for the journal: its booking date and content.
#[derive(Debug, Clone)]
pub struct JournalSource {
    /// The booking date: the run's, or the invoice date for an invoice from outside a run.
    pub booking_date: NaiveDate,
    /// The invoice.
    pub invoice: Invoice,
}

/// An invoice of a run as a rollback sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct RunLedgerInvoice {
    /// The ledger's id.
    pub id: i64,
    /// The number.
    pub number: String,
    /// The series.
    pub series: Option<String>,
    /// Its status now.
    pub status: Status,
    /// Its version now.
    pub version: i64,
    /// Its VAT ticket, if any.
    pub ticket: Option<String>,
}

/// Everything the rollback conditions look at, read inside the rollback's transaction.
#[derive(Debug, Clone)]
pub struct RollbackFacts {
    /// The run.
    pub run: RunRecord,
    /// The acting user's grants.
    pub grants: Vec<String>,
    /// The run's invoices in the ledger.
    pub invoices: Vec<RunLedgerInvoice>,
    /// Return messages recorded for them.
    pub return_messages: Vec<ReturnMessage>,
    /// Journal exports recorded after the run committed.
    pub exports_after: Vec<JournalExport>,
    /// Later production runs that are still in the ledger and cover part of the same period,
    /// of any profile (a newer export of the period, whatever its profile).
    pub later_runs: Vec<RunRecord>,
}

/// What a rollback writes, as decided by [`crate::run::rollback`].
#[derive(Debug, Clone)]
pub struct RollbackPlan {
    /// Per invoice: id, number, version it was read at, the history entry.
    pub withdraw: Vec<(i64, String, i64, Entry)>,
    /// The numbers that lapse.
    pub lapsed: Vec<LapsedNumber>,
    /// The reason, kept on the run.
    pub reason: String,
}

/// A document rendered by a worker, kept until the run's ZIP is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedDocument {
    /// The invoice's place in the run.
    pub position: i64,
    /// The entry name in the ZIP.
    pub name: String,
    /// ZIP method: 0 stored, 8 deflated.
    pub method: u16,
    /// CRC-32 of the uncompressed bytes.
    pub crc: u32,
    /// Uncompressed size.
    pub size: u64,
    /// The bytes as they go into the ZIP (compressed when `method` is 8).
    pub bytes: Vec<u8>,
}

/// A slice of a run claimed by a worker: the run, and the numbered drafts of the slice.
#[derive(Debug, Clone)]
pub struct ClaimedSlice {
    /// The run.
    pub run: RunRecord,
    /// The slice's number.
    pub slice: i64,
    /// `(position, invoice JSON)` of each item.
    pub items: Vec<(i64, String)>,
}

/// Renders a claimed slice (for [`RunStore::work_slice`]).
pub type SliceRenderer<'a> = dyn FnMut(&ClaimedSlice) -> Result<Vec<StagedDocument>, String> + 'a;

/// Decides a rollback from the facts (for [`RunStore::rollback`]): the plan, or the refusal
/// in words.
pub type RollbackDecision<'a> = dyn FnOnce(&RollbackFacts) -> Result<RollbackPlan, String> + 'a;

/// A store that keeps invoice runs. [`super::SqliteStore`] and [`super::PostgresStore`]
/// implement it (reach it through [`super::Store::runs`]); workers that share a run need
/// PostgreSQL.
pub trait RunStore {
    /// Whether runs on this store are staged for workers (PostgreSQL), rather than rendered by
    /// the process that starts them alone (SQLite).
    fn shared(&self) -> bool;
    /// The counter of a series' period (0 when it has given out no number yet).
    fn counter(&mut self, series: &str, period: i32) -> Result<i64, LedgerError>;
    /// Adds a run to the queue (state `queued`); its id.
    fn register_run(&mut self, run: &NewRun<'_>) -> Result<i64, LedgerError>;
    /// A sign of life of a queued or running run, with its progress.
    fn heartbeat(
        &mut self,
        run: i64,
        at: DateTime<Utc>,
        progress: Option<i64>,
    ) -> Result<(), LedgerError>;
    /// Tries to take the ledger's run lock, which the operating system or the database
    /// releases when the holding process dies. True when taken (or already held by this
    /// store).
    fn try_run_lock(&mut self) -> Result<bool, LedgerError>;
    /// Releases the run lock.
    fn release_run_lock(&mut self) -> Result<(), LedgerError>;
    /// With the lock held: marks every other `running` run abandoned (its process died),
    /// queued runs whose heartbeat is older than `stale_before` abandoned too, removes their
    /// staging, and makes `run` the running one. Returns the runs it abandoned and the
    /// committed runs whose ZIP was never finished.
    fn start_run(
        &mut self,
        run: i64,
        at: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<(Vec<RunRecord>, Vec<RunRecord>), LedgerError>;
    /// Records the plan of a running run: drafts, numbered invoices, failures, skips, and
    /// the number range.
    fn plan_run(
        &mut self,
        run: i64,
        counts: (i64, i64, i64, i64),
        numbers: Option<(&str, i32, i64, i64)>,
    ) -> Result<(), LedgerError>;
    /// Ends a run without a production commit: a test run (done, with its rows) or a failed
    /// one.
    fn end_run(&mut self, outcome: &RunOutcome<'_>) -> Result<(), LedgerError>;
    /// A run whose process gave up while queued (not started): abandoned.
    fn leave_queue(&mut self, run: i64, at: DateTime<Utc>, why: &str) -> Result<(), LedgerError>;
    /// Commits a production run: checks that the series' counter is where the plan left it,
    /// adds every invoice (numbered, Definitief, with its history) and the report rows, moves
    /// the counter, and marks the run committed, all in one transaction.
    fn commit_production(&mut self, commit: ProductionCommit<'_>) -> Result<(), LedgerError>;
    /// A committed run whose ZIP is in place: done.
    fn run_done(
        &mut self,
        run: i64,
        at: DateTime<Utc>,
        message: Option<&str>,
    ) -> Result<(), LedgerError>;
    /// Runs in the queue (queued and running), oldest first.
    fn queue(&mut self) -> Result<Vec<RunRecord>, LedgerError>;
    /// Every run, newest first, at most `limit`.
    fn runs(&mut self, limit: i64) -> Result<Vec<RunRecord>, LedgerError>;
    /// One run.
    fn run(&mut self, id: i64) -> Result<Option<RunRecord>, LedgerError>;
    /// The invoices of a run, in run order.
    fn run_invoices(&mut self, id: i64) -> Result<Vec<RunInvoice>, LedgerError>;
    /// The earlier production runs (committed, not rolled back) that invoiced any of these
    /// draft keys: `(key, run, number)`.
    fn invoiced(&mut self, keys: &[String]) -> Result<Vec<(String, i64, String)>, LedgerError>;
    /// How fast earlier runs went: `(invoices, seconds)` summed over the last `n` finished
    /// runs.
    fn measured_speed(&mut self, n: i64) -> Result<Option<(i64, f64)>, LedgerError>;
    /// Rolls back a production run: reads the facts inside one transaction, lets `decide`
    /// judge them, and writes its plan (invoices Vervallen with their history, numbers
    /// lapsed, the run rolled back), or changes nothing and returns
    /// [`LedgerError::Refused`]-like [`LedgerError::Invalid`] with the decision's words.
    fn rollback(
        &mut self,
        run: i64,
        user: &str,
        at: DateTime<Utc>,
        decide: Box<RollbackDecision<'_>>,
    ) -> Result<RollbackPlan, LedgerError>;
    /// Records a return message for an invoice.
    fn return_message(&mut self, message: &ReturnMessage) -> Result<(), LedgerError>;
    /// The final invoices (Definitief and later) booked between `from` and `to`, both
    /// included, handed to `write`; when `write` succeeds the export is recorded as `kind`
    /// in the same transaction (when it fails nothing is recorded).
    #[allow(clippy::too_many_arguments)]
    fn journal_export(
        &mut self,
        kind: &str,
        from: NaiveDate,
        to: NaiveDate,
        user: &str,
        at: DateTime<Utc>,
        file: Option<&str>,
        write: &mut dyn FnMut(&[JournalSource]) -> Result<(), LedgerError>,
    ) -> Result<JournalExport, LedgerError>;
    /// Every recorded journal export, oldest first.
    fn journal_exports(&mut self) -> Result<Vec<JournalExport>, LedgerError>;
    /// Puts the numbered drafts of a running run and its slices where workers find them.
    fn stage(
        &mut self,
        run: i64,
        items: &[(i64, String)],
        slices: &[(i64, i64, i64)],
    ) -> Result<(), LedgerError>;
    /// Claims one slice of a running run that nobody else is working on, renders it with
    /// `render` while holding its row lock, stores the documents and marks the slice done,
    /// in one transaction (a worker that dies leaves the slice to the others). `None` when
    /// no slice is free.
    fn work_slice(
        &mut self,
        worker: &str,
        only_run: Option<i64>,
        render: &mut SliceRenderer<'_>,
    ) -> Result<Option<(i64, i64)>, LedgerError>;
    /// Slices of a run still to do, and done.
    fn slices_left(&mut self, run: i64) -> Result<(i64, i64), LedgerError>;
    /// The staged documents of a run, in run order, handed to `each` one by one.
    fn staged_documents(
        &mut self,
        run: i64,
        each: &mut dyn FnMut(StagedDocument) -> std::io::Result<()>,
    ) -> Result<(), LedgerError>;
    /// Removes a run's staging.
    fn drop_staging(&mut self, run: i64) -> Result<(), LedgerError>;
}

/// The columns of `runs`, in the order [`RawRun`] reads them.
pub(crate) const RUN_COLUMNS: &str = "id, mode, profile, profile_text, date_from, date_to, \
     booking_date, description, user_name, state, holder, heartbeat, queued_at, started_at, \
     finished_at, drafts, invoices, failed, skipped, progress, series, period, first_seq, \
     last_seq, zip_path, zip_temp, message, rolled_back_at, rolled_back_by, rollback_reason";

/// The columns of `run_invoices` (after `run_id`), in the order [`RawRunInvoice`] reads them.
pub(crate) const RUN_INVOICE_COLUMNS: &str = "position, number, invoice_id, draft_key, source, \
     type_code, status, customer, kvk, issue_date, currency, net, vat, total, vat_rates, findings";

/// A `runs` row as read, before checking.
#[derive(Debug, Default)]
pub(crate) struct RawRun {
    pub id: i64,
    pub mode: String,
    pub profile: String,
    pub profile_text: String,
    pub date_from: String,
    pub date_to: String,
    pub booking_date: String,
    pub description: String,
    pub user: String,
    pub state: String,
    pub holder: String,
    pub heartbeat: i64,
    pub queued_at: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub counts: [i64; 5],
    pub series: Option<String>,
    pub period: Option<i32>,
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    pub zip_path: Option<String>,
    pub zip_temp: Option<String>,
    pub message: Option<String>,
    pub rolled_back_at: Option<i64>,
    pub rolled_back_by: Option<String>,
    pub rollback_reason: Option<String>,
}

/// Refuses to end a run that is not queued or running any more: a committed run is never
/// marked failed (nor a done, abandoned or rolled back one changed) by a later error path.
pub(crate) fn ended_refusal(run: i64, state: Option<&str>) -> Result<(), LedgerError> {
    match state {
        Some("queued" | "running") => Ok(()),
        Some(s) => Err(LedgerError::Invalid(format!(
            "run {run} is {s}: its end was not recorded again"
        ))),
        None => Err(LedgerError::Invalid(format!("no run {run} in the ledger"))),
    }
}

pub(crate) fn date(s: &str) -> Result<NaiveDate, LedgerError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| LedgerError::Corrupt(format!("date {s:?} is not YYYY-MM-DD")))
}

impl RawRun {
    pub(crate) fn check(self) -> Result<RunRecord, LedgerError> {
        use super::from_millis;
        let t = |v: Option<i64>| v.map(from_millis).transpose();
        Ok(RunRecord {
            id: self.id,
            mode: RunMode::from_name(&self.mode)
                .ok_or_else(|| LedgerError::Corrupt(format!("run mode {:?}", self.mode)))?,
            profile: self.profile,
            profile_text: self.profile_text,
            from: date(&self.date_from)?,
            to: date(&self.date_to)?,
            booking_date: date(&self.booking_date)?,
            description: self.description,
            user: self.user,
            state: RunState::from_name(&self.state)
                .ok_or_else(|| LedgerError::Corrupt(format!("run state {:?}", self.state)))?,
            holder: self.holder,
            heartbeat: from_millis(self.heartbeat)?,
            queued_at: from_millis(self.queued_at)?,
            started_at: t(self.started_at)?,
            finished_at: t(self.finished_at)?,
            drafts: self.counts[0],
            invoices: self.counts[1],
            failed: self.counts[2],
            skipped: self.counts[3],
            progress: self.counts[4],
            series: self.series,
            period: self.period,
            first_seq: self.first_seq,
            last_seq: self.last_seq,
            zip_path: self.zip_path,
            zip_temp: self.zip_temp,
            message: self.message,
            rolled_back_at: t(self.rolled_back_at)?,
            rolled_back_by: self.rolled_back_by,
            rollback_reason: self.rollback_reason,
        })
    }
}

/// A `run_invoices` row as read.
#[derive(Debug, Default)]
pub(crate) struct RawRunInvoice {
    pub position: i64,
    pub number: Option<String>,
    pub invoice_id: Option<i64>,
    pub draft_key: String,
    pub source: String,
    pub type_code: i64,
    pub status: String,
    pub customer: Option<String>,
    pub kvk: Option<String>,
    pub issue_date: String,
    pub currency: String,
    pub net: Option<String>,
    pub vat: Option<String>,
    pub total: Option<String>,
    pub vat_rates: String,
    pub findings: String,
}

impl RawRunInvoice {
    pub(crate) fn check(self) -> Result<RunInvoice, LedgerError> {
        let json = |s: &str| {
            JsonText::parse(s.to_owned())
                .map_err(|e| LedgerError::Corrupt(format!("run invoice {}: {e}", self.position)))
        };
        Ok(RunInvoice {
            position: self.position,
            number: self.number.clone(),
            invoice_id: self.invoice_id,
            draft_key: self.draft_key.clone(),
            source: self.source.clone(),
            type_code: u16::try_from(self.type_code)
                .map_err(|_| LedgerError::Corrupt(format!("type code {}", self.type_code)))?,
            status: self.status.clone(),
            customer: self.customer.clone(),
            kvk: self.kvk.clone(),
            issue_date: date(&self.issue_date)?,
            currency: self.currency.clone(),
            net: self.net.clone(),
            vat: self.vat.clone(),
            total: self.total.clone(),
            vat_rates: json(&self.vat_rates)?,
            findings: json(&self.findings)?,
        })
    }
}

/// The message kept on a run whose process died while it held the lock.
pub(crate) const DIED_RUNNING: &str = "its process stopped before the run committed (a crash, a kill or a power loss); nothing of it is in the ledger";
/// The message kept on a queued run whose process stopped giving signs of life.
pub(crate) const DIED_QUEUED: &str =
    "its process stopped giving signs of life while it waited in the queue";

/// A date as stored.
pub(crate) fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
