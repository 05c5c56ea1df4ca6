//! The ledger: where invoices live from concept to sent, with their numbers, history, reporting
//! attempts and the users' roles (feature `ledger`).
//!
//! The [`Store`] trait is the durable part; [`SqliteStore`] (embedded, the default: one file,
//! nothing to install) and [`PostgresStore`] (one ledger shared by several processes or
//! machines) implement it, and [`MemoryStore`] serves tests. [`Ledger`] drives a store with the
//! pure [`lifecycle`](crate::lifecycle): it reads the invoice, asks
//! [`transition`](crate::lifecycle::transition) what should happen, and writes the outcome in
//! one transaction that succeeds only if nobody changed the invoice in between (optimistic
//! concurrency: a version per invoice). Two writers on one invoice: one wins, the other gets
//! [`LedgerError::Conflict`] and nothing of its change is written.
//!
//! ```
//! use factuur::ledger::{Actor, Ledger, MemoryStore};
//! use factuur::lifecycle::{Event, Status};
//!
//! let mut ledger = Ledger::new(Box::new(MemoryStore::new()));
//! let now = chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap();
//! let anna = Actor::new("anna", now);
//! ledger.init(&anna).unwrap();                      // anna becomes admin
//! ledger.put_series(&anna, "verkoop", "{year}-{seq:5}", false).unwrap();
//!
//! let json = std::fs::read("testdata/invoices/01-domestic-b2b.json").unwrap();
//! let invoice = factuur::Invoice::from_json(&json).unwrap();
//! let added = ledger.add(&anna, &invoice, Some("verkoop"), false).unwrap();
//! assert_eq!(added.number, "2026-00001");
//! assert_eq!(added.status, Status::Concept);
//!
//! let done = ledger.transition(&anna, "2026-00001", Event::Definitief, None).unwrap();
//! assert_eq!(done.invoice.status, Status::Definitief);
//! assert_eq!(done.invoice.version, 2);
//! ```

mod memory;
mod migrations;
mod postgres;
mod postgres_runs;
pub mod report;
pub mod runs;
mod sqlite;
mod sqlite_runs;
mod store;

use std::time::Duration;

use chrono::{DateTime, Datelike, Utc};

use crate::Invoice;
use crate::lifecycle::history::Recorded;
use crate::lifecycle::numbering::{FormatError, SeriesFormat, check_number};
use crate::lifecycle::permissions::{UnknownGrant, check_grant};
use crate::lifecycle::{
    Attempt, Context, Current, DEFAULT_RETRY, Event, Outcome, Permission, Permissions, Refusal,
};
use crate::model::VatCodeTable;

pub use memory::MemoryStore;
pub use migrations::{Migration, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};
pub use postgres::PostgresStore;
pub use runs::{RunMode, RunRecord, RunState, RunStore};
pub use sqlite::{BUSY_TIMEOUT, SqliteStore, Synchronous};
pub use store::{
    Change, Counter, LapsedNumber, ListFilter, NewInvoice, Numbered, Series, Store, StoredInvoice,
    Summary,
};

/// Why the ledger could not do what was asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// Someone else changed the invoice between reading and writing: nothing was written.
    #[error(
        "invoice {number} was changed by someone else (it is at version {found}, this change was made against version {expected}); nothing was written: read it again and retry"
    )]
    Conflict {
        /// The invoice.
        number: String,
        /// The version the change was computed from.
        expected: i64,
        /// The version found.
        found: i64,
    },
    /// The database was too busy (locked, a serialization failure or deadlock): nothing was
    /// written; retry.
    #[error("the ledger is busy ({0}); nothing was written: retry")]
    Busy(String),
    /// The transition was refused; nothing changed (a failed check is still recorded in the
    /// history).
    #[error("refused: {0}")]
    Refused(Refusal),
    /// The user lacks a permission.
    #[error("user {user:?} lacks the permission {permission}{hint}")]
    Forbidden {
        /// The user.
        user: String,
        /// The permission.
        permission: Permission,
        /// How to get it.
        hint: &'static str,
    },
    /// No invoice has this number.
    #[error("no invoice with number {0:?} in the ledger")]
    NotFound(String),
    /// The number is taken.
    #[error("invoice number {0:?} is already in the ledger")]
    DuplicateNumber(String),
    /// No series has this name.
    #[error("no number series {0:?}: create it with `factuur ledger series NAME --format FORMAT`")]
    UnknownSeries(String),
    /// A series format that cannot be used.
    #[error(transparent)]
    Format(#[from] FormatError),
    /// A grant that is neither a role nor a permission.
    #[error(transparent)]
    Grant(#[from] UnknownGrant),
    /// The ledger has no tables yet.
    #[error("the ledger has not been set up: run `factuur ledger init`")]
    NotInitialised,
    /// The ledger was made by a newer factuur.
    #[error(
        "the ledger's schema is version {found}; this factuur knows up to {known}: upgrade factuur"
    )]
    TooNew {
        /// The ledger's version.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
    /// A request that makes no sense (an unusable number, URL or argument).
    #[error("{0}")]
    Invalid(String),
    /// Data in the store that factuur cannot read (hand edits, another program).
    #[error("the ledger holds unreadable data: {0}")]
    Corrupt(String),
    /// A production run planned its numbers from a series' counter that moved on before it
    /// could commit (an invoice was added to the series meanwhile): nothing was written.
    #[error(
        "number series {series} moved on during the run (its counter was {expected} when the run planned its numbers and is {found} now); nothing was written: start the run again"
    )]
    SeriesMoved {
        /// The series.
        series: String,
        /// The counter the run planned from.
        expected: i64,
        /// The counter found.
        found: i64,
    },
    /// An invoice run, or a rollback of one, was refused; the words say why.
    #[error("{0}")]
    RunRefused(String),
    /// SQLite failed.
    #[error("SQLite: {0}")]
    Sqlite(rusqlite::Error),
    /// PostgreSQL failed.
    #[error("PostgreSQL: {0}")]
    Postgres(::postgres::Error),
}

impl From<rusqlite::Error> for LedgerError {
    fn from(e: rusqlite::Error) -> LedgerError {
        use rusqlite::ErrorCode::{DatabaseBusy, DatabaseLocked};
        match e.sqlite_error_code() {
            Some(DatabaseBusy | DatabaseLocked) => LedgerError::Busy(e.to_string()),
            _ => LedgerError::Sqlite(e),
        }
    }
}

impl From<::postgres::Error> for LedgerError {
    fn from(e: ::postgres::Error) -> LedgerError {
        use ::postgres::error::SqlState;
        match e.code() {
            Some(c)
                if *c == SqlState::T_R_SERIALIZATION_FAILURE
                    || *c == SqlState::T_R_DEADLOCK_DETECTED
                    || *c == SqlState::LOCK_NOT_AVAILABLE =>
            {
                LedgerError::Busy(e.to_string())
            }
            _ => LedgerError::Postgres(e),
        }
    }
}

impl LedgerError {
    /// Whether retrying may succeed (a conflict or a busy database).
    pub fn is_retryable(&self) -> bool {
        matches!(self, LedgerError::Conflict { .. } | LedgerError::Busy(_))
    }
}

/// Who acts, when, and with what remark.
#[derive(Debug, Clone, Copy)]
pub struct Actor<'a> {
    /// The user.
    pub user: &'a str,
    /// Now.
    pub now: DateTime<Utc>,
    /// A reason or remark for the history.
    pub note: Option<&'a str>,
}

impl<'a> Actor<'a> {
    /// `user` acting at `now`, without remark.
    pub fn new(user: &'a str, now: DateTime<Utc>) -> Actor<'a> {
        Actor {
            user,
            now,
            note: None,
        }
    }

    /// The same actor with a remark.
    pub fn with_note(self, note: Option<&'a str>) -> Actor<'a> {
        Actor { note, ..self }
    }
}

/// An accepted transition, as stored.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The invoice after the change.
    pub invoice: StoredInvoice,
    /// What the transition decided (history written, effects for the caller).
    pub outcome: Outcome,
}

/// Opens a store by URL: `postgres://…` or `postgresql://…` selects PostgreSQL; `sqlite:PATH`,
/// `sqlite://PATH` or a plain path selects SQLite (`:memory:` for a private in-memory
/// database). A `sqlite:` URL may end in `?synchronous=normal` (or `full`, the default); see
/// [`Synchronous`].
pub fn open(url: &str) -> Result<Box<dyn Store>, LedgerError> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok(Box::new(PostgresStore::connect(url)?));
    }
    let (path, sync) = match url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    {
        Some(rest) => match rest.split_once('?') {
            Some((path, query)) => (path, sqlite_sync(query)?),
            None => (rest, Synchronous::default()),
        },
        None => (url, Synchronous::default()),
    };
    if path.is_empty() {
        return Err(LedgerError::Invalid("the ledger URL names no file".into()));
    }
    Ok(Box::new(SqliteStore::open_with(path, sync)?))
}

fn sqlite_sync(query: &str) -> Result<Synchronous, LedgerError> {
    let mut sync = Synchronous::default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        sync = match pair.to_ascii_lowercase().as_str() {
            "synchronous=full" => Synchronous::Full,
            "synchronous=normal" => Synchronous::Normal,
            _ => {
                return Err(LedgerError::Invalid(format!(
                    "unknown SQLite ledger option {pair:?}: synchronous=full or synchronous=normal"
                )));
            }
        };
    }
    Ok(sync)
}

/// A store driven by the lifecycle: permissions, numbering, the status flow, one transaction
/// per change.
pub struct Ledger {
    store: Box<dyn Store>,
    vat_codes: VatCodeTable,
    retry_every: Duration,
}

const GRANT_HINT: &str = ": an admin grants it with `factuur ledger grant USER ROLE_OR_PERMISSION`";

impl Ledger {
    /// A ledger over `store`, with the Dutch default VAT codes and the default retry interval.
    pub fn new(store: Box<dyn Store>) -> Ledger {
        Ledger {
            store,
            vat_codes: VatCodeTable::dutch_default(),
            retry_every: DEFAULT_RETRY,
        }
    }

    /// Opens the store at `url` (see [`open`]).
    pub fn open(url: &str) -> Result<Ledger, LedgerError> {
        Ok(Ledger::new(open(url)?))
    }

    /// Uses another VAT code table for the error check.
    pub fn with_vat_codes(mut self, table: VatCodeTable) -> Ledger {
        self.vat_codes = table;
        self
    }

    /// How long a reported invoice without ticket waits before the next offer.
    pub fn with_retry(mut self, every: Duration) -> Ledger {
        self.retry_every = every;
        self
    }

    /// The store underneath.
    pub fn store(&mut self) -> &mut dyn Store {
        self.store.as_mut()
    }

    /// The retry interval.
    pub fn retry_every(&self) -> Duration {
        self.retry_every
    }

    /// Checks that the store is set up and not newer than this build.
    pub fn ready(&mut self) -> Result<(), LedgerError> {
        let found = self.store.schema_version()?;
        let known = migrations::latest(self.store.backend());
        if found == 0 {
            Err(LedgerError::NotInitialised)
        } else if found > known {
            Err(LedgerError::TooNew { found, known })
        } else if found < known {
            // An older schema is brought up to date by `init`; refuse to work on it meanwhile.
            Err(LedgerError::NotInitialised)
        } else {
            Ok(())
        }
    }

    /// Creates or upgrades the tables; the first user to do so on a ledger without an admin
    /// becomes admin. Returns whether `actor` was made admin.
    pub fn init(&mut self, actor: &Actor<'_>) -> Result<bool, LedgerError> {
        self.store.migrate()?;
        if self.store.has_admin()? {
            return Ok(false);
        }
        self.store.grant(actor.user, "admin", actor.user, actor.now)
    }

    /// What a user may do.
    pub fn permissions(&mut self, user: &str) -> Result<Permissions, LedgerError> {
        let grants = self.store.grants(user)?;
        Permissions::from_grants(&grants).map_err(|e| LedgerError::Corrupt(e.to_string()))
    }

    fn require(&mut self, user: &str, permission: Permission) -> Result<Permissions, LedgerError> {
        let p = self.permissions(user)?;
        if p.allows(permission) {
            Ok(p)
        } else {
            Err(LedgerError::Forbidden {
                user: user.to_owned(),
                permission,
                hint: GRANT_HINT,
            })
        }
    }

    /// Grants a role or permission (needs `ledger.admin`). False when already granted.
    pub fn grant(
        &mut self,
        actor: &Actor<'_>,
        user: &str,
        grant: &str,
    ) -> Result<bool, LedgerError> {
        self.require(actor.user, Permission::LedgerAdmin)?;
        check_grant(grant)?;
        if user.trim().is_empty() || user.trim() != user {
            return Err(LedgerError::Invalid(format!(
                "user name {user:?} is empty or has surrounding whitespace"
            )));
        }
        self.store.grant(user, grant, actor.user, actor.now)
    }

    /// Creates or changes a number series (needs `ledger.admin`).
    pub fn put_series(
        &mut self,
        actor: &Actor<'_>,
        name: &str,
        format: &str,
        gks: bool,
    ) -> Result<Series, LedgerError> {
        self.require(actor.user, Permission::LedgerAdmin)?;
        SeriesFormat::parse(format)?;
        if name.trim().is_empty() || name.trim() != name || name.chars().any(char::is_control) {
            return Err(LedgerError::Invalid(format!(
                "series name {name:?} is empty or has whitespace around it or control characters"
            )));
        }
        let series = Series {
            name: name.to_owned(),
            format: format.to_owned(),
            gks,
        };
        self.store.put_series(&series, actor.now)?;
        Ok(series)
    }

    /// Adds an invoice as Concept (needs `invoice.create`). It is numbered from `series`, or
    /// keeps its own number with `keep_number`. Without a series, the ledger's only series is
    /// used.
    pub fn add(
        &mut self,
        actor: &Actor<'_>,
        invoice: &Invoice,
        series: Option<&str>,
        keep_number: bool,
    ) -> Result<StoredInvoice, LedgerError> {
        self.require(actor.user, Permission::InvoiceCreate)?;
        let series_name = match series {
            Some(s) => {
                if self.store.series(s)?.is_none() {
                    return Err(LedgerError::UnknownSeries(s.to_owned()));
                }
                Some(s.to_owned())
            }
            None if keep_number => None,
            None => {
                let all = self.store.all_series()?;
                match all.as_slice() {
                    [only] => Some(only.name.clone()),
                    [] => {
                        return Err(LedgerError::Invalid(
                            "the ledger has no number series: create one with `factuur ledger series NAME --format FORMAT`".into(),
                        ));
                    }
                    _ => {
                        return Err(LedgerError::Invalid(format!(
                            "the ledger has {} number series: name one with --series",
                            all.len()
                        )));
                    }
                }
            }
        };
        if keep_number {
            check_number(&invoice.number).map_err(LedgerError::Invalid)?;
        }
        self.store.insert(&NewInvoice {
            invoice,
            series: series_name.as_deref(),
            keep_number,
            user: actor.user,
            at: actor.now,
        })
    }

    /// One invoice (needs `invoice.view`).
    pub fn show(&mut self, actor: &Actor<'_>, number: &str) -> Result<StoredInvoice, LedgerError> {
        self.require(actor.user, Permission::InvoiceView)?;
        self.store
            .get(number)?
            .ok_or_else(|| LedgerError::NotFound(number.to_owned()))
    }

    /// Invoices by filter (needs `invoice.view`; reported invoices need `reported.list` too).
    pub fn list(
        &mut self,
        actor: &Actor<'_>,
        filter: &ListFilter,
    ) -> Result<Vec<Summary>, LedgerError> {
        self.require(actor.user, Permission::InvoiceView)?;
        if filter.status == Some(crate::lifecycle::Status::Gemeld) {
            self.require(actor.user, Permission::ReportedList)?;
        }
        self.store.list(filter)
    }

    /// An invoice's history (needs `invoice.view`).
    pub fn history(
        &mut self,
        actor: &Actor<'_>,
        number: &str,
    ) -> Result<Vec<Recorded>, LedgerError> {
        self.require(actor.user, Permission::InvoiceView)?;
        if self.store.get(number)?.is_none() {
            return Err(LedgerError::NotFound(number.to_owned()));
        }
        self.store.history(number)
    }

    /// An invoice's black-box answers (needs `invoice.view`).
    pub fn attempts(
        &mut self,
        actor: &Actor<'_>,
        number: &str,
    ) -> Result<Vec<Attempt>, LedgerError> {
        self.require(actor.user, Permission::InvoiceView)?;
        self.store.attempts(number)
    }

    /// Replaces the content of a Concept or Proforma invoice.
    pub fn edit(
        &mut self,
        actor: &Actor<'_>,
        number: &str,
        invoice: Invoice,
        expect_version: Option<i64>,
    ) -> Result<Applied, LedgerError> {
        self.transition(
            actor,
            number,
            Event::Edit(Box::new(invoice)),
            expect_version,
        )
    }

    /// Applies an event to an invoice in one transaction. With `expect_version`, the change
    /// is refused with [`LedgerError::Conflict`] unless the invoice is still at that version
    /// (for a user who looked at it before deciding).
    pub fn transition(
        &mut self,
        actor: &Actor<'_>,
        number: &str,
        event: Event,
        expect_version: Option<i64>,
    ) -> Result<Applied, LedgerError> {
        let permissions = self.permissions(actor.user)?;
        let stored = self
            .store
            .get(number)?
            .ok_or_else(|| LedgerError::NotFound(number.to_owned()))?;
        if let Some(v) = expect_version
            && v != stored.version
        {
            return Err(LedgerError::Conflict {
                number: number.to_owned(),
                expected: v,
                found: stored.version,
            });
        }
        let ctx = Context {
            now: actor.now,
            user: actor.user,
            permissions,
            vat_codes: &self.vat_codes,
            reporting: stored.gks,
            retry_every: self.retry_every,
            note: actor.note,
        };
        let current = Current {
            status: stored.status,
            invoice: &stored.invoice,
            reporting: &stored.reporting,
        };
        match crate::lifecycle::transition(&current, &event, &ctx) {
            Ok(outcome) => {
                let version = self.store.commit(&Change {
                    id: stored.id,
                    number,
                    expected_version: stored.version,
                    status: outcome.status,
                    invoice: outcome.invoice.as_ref(),
                    reporting: &outcome.reporting,
                    history: &outcome.history,
                    attempt: outcome.attempt.as_ref(),
                    at: actor.now,
                })?;
                let mut invoice = stored;
                invoice.version = version;
                invoice.status = outcome.status;
                invoice.reporting = outcome.reporting.clone();
                invoice.updated_at = actor.now;
                if let Some(content) = &outcome.invoice {
                    invoice.invoice = content.clone();
                }
                Ok(Applied { invoice, outcome })
            }
            Err(refusal) => {
                if !refusal.record.is_empty() {
                    self.store.append(stored.id, &refusal.record, None)?;
                }
                Err(LedgerError::Refused(refusal))
            }
        }
    }
}

/// The year a new invoice's number is given in.
pub(crate) fn year_of(at: DateTime<Utc>) -> i32 {
    at.year()
}

/// Milliseconds since the epoch, as the stores keep times.
pub(crate) fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// A stored time back; out-of-range values are corrupt data.
pub(crate) fn from_millis(ms: i64) -> Result<DateTime<Utc>, LedgerError> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| LedgerError::Corrupt(format!("time {ms} ms is out of range")))
}

/// The invoice content as stored: compact JSON.
pub(crate) fn content_json(invoice: &Invoice) -> String {
    serde_json::to_string(invoice).expect("an invoice always serialises")
}

/// Reads stored content. What factuur wrote parses directly; only unreadable content goes
/// through the reader that names path, line and column.
pub(crate) fn parse_content(number: &str, json: &str) -> Result<Invoice, LedgerError> {
    serde_json::from_str(json).or_else(|_| {
        Invoice::from_json(json.as_bytes())
            .map_err(|e| LedgerError::Corrupt(format!("invoice {number}: {e}")))
    })
}

/// How many parsed contents a store keeps.
const CONTENT_CACHE: usize = 1024;

/// Parsed invoice contents by invoice id, kept with the exact stored text they came from: an
/// invoice read again unchanged (the usual case between transitions) is not parsed again. A
/// different text, whoever wrote it, is parsed afresh.
#[derive(Debug, Default)]
pub(crate) struct ContentCache {
    entries: std::collections::HashMap<i64, (String, Invoice)>,
}

impl ContentCache {
    /// The invoice stored as `text`.
    pub(crate) fn parse(
        &mut self,
        id: i64,
        number: &str,
        text: String,
    ) -> Result<Invoice, LedgerError> {
        if let Some((t, inv)) = self.entries.get(&id)
            && *t == text
        {
            return Ok(inv.clone());
        }
        let inv = parse_content(number, &text)?;
        self.remember(id, text, inv.clone());
        Ok(inv)
    }

    /// Keeps what was just written.
    pub(crate) fn remember(&mut self, id: i64, text: String, invoice: Invoice) {
        if self.entries.len() >= CONTENT_CACHE && !self.entries.contains_key(&id) {
            self.entries.clear();
        }
        self.entries.insert(id, (text, invoice));
    }
}

/// Reads a stored status.
pub(crate) fn parse_status(s: &str) -> Result<crate::lifecycle::Status, LedgerError> {
    crate::lifecycle::Status::ALL
        .into_iter()
        .find(|x| x.as_str() == s)
        .ok_or_else(|| LedgerError::Corrupt(format!("unknown status {s:?}")))
}

/// The `created` history entry.
pub(crate) fn created_entry(new: &NewInvoice<'_>, number: &str) -> crate::lifecycle::Entry {
    let detail = if new.keep_number {
        format!("imported with its own number {number}")
    } else {
        format!(
            "number {number} from series {}",
            new.series.unwrap_or_default()
        )
    };
    crate::lifecycle::Entry {
        at: new.at,
        user: new.user.to_owned(),
        action: crate::lifecycle::Action::Created,
        from: None,
        to: crate::lifecycle::Status::Concept,
        detail,
    }
}
