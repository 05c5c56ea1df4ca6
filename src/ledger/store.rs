//! The store trait and the records it keeps.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::Invoice;
use crate::lifecycle::history::Recorded;
use crate::lifecycle::{Attempt, Entry, Reporting, Status};

use super::LedgerError;

/// A number series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Series {
    /// Its name, e.g. `verkoop`.
    pub name: String,
    /// Its format, e.g. `{year}-{seq:5}` (see [`crate::lifecycle::SeriesFormat`]).
    pub format: String,
    /// Whether its invoices are reported to the tax black box (GKS) when sent.
    pub gks: bool,
}

/// An invoice as the ledger keeps it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredInvoice {
    /// The ledger's own id.
    #[serde(skip)]
    pub id: i64,
    /// The invoice number, unique in the ledger.
    pub number: String,
    /// The series it was numbered from (or, for an imported invoice, the series it was filed
    /// under, if any).
    pub series: Option<String>,
    /// Its status.
    pub status: Status,
    /// Its version: 1 when added, one more with every change. Optimistic concurrency compares
    /// it.
    pub version: i64,
    /// Whether it kept its own number (imported).
    pub imported: bool,
    /// Whether its series reports to the tax black box.
    pub gks: bool,
    /// Its reporting state.
    pub reporting: Reporting,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
    /// The content: the invoice model.
    pub invoice: Invoice,
}

/// An invoice in a listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// The number.
    pub number: String,
    /// The series.
    pub series: Option<String>,
    /// The status.
    pub status: Status,
    /// The version.
    pub version: i64,
    /// The VAT ticket, if assigned.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// When next due to be offered to the black box (while reported).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt: Option<DateTime<Utc>>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

/// Which invoices to list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ListFilter {
    /// Only this status.
    pub status: Option<Status>,
    /// Only this series.
    pub series: Option<String>,
}

/// A new invoice for [`Store::insert`].
#[derive(Debug, Clone, Copy)]
pub struct NewInvoice<'a> {
    /// The content. Its number is replaced by the series' next number unless `keep_number`.
    pub invoice: &'a Invoice,
    /// The series to number it from (required unless `keep_number`).
    pub series: Option<&'a str>,
    /// Keep the invoice's own number (an imported invoice); it must be unique in the ledger.
    pub keep_number: bool,
    /// Who adds it.
    pub user: &'a str,
    /// When; its year picks the counter of a series with `{year}`.
    pub at: DateTime<Utc>,
}

/// A change to one invoice, written in one transaction if and only if the invoice still has
/// `expected_version`.
#[derive(Debug, Clone, Copy)]
pub struct Change<'a> {
    /// The invoice's id.
    pub id: i64,
    /// Its number (for messages).
    pub number: &'a str,
    /// The version the change was computed from.
    pub expected_version: i64,
    /// The new status.
    pub status: Status,
    /// The new content, if it changes.
    pub invoice: Option<&'a Invoice>,
    /// The new reporting state.
    pub reporting: &'a Reporting,
    /// History entries, written with the new version.
    pub history: &'a [Entry],
    /// A black-box answer to record.
    pub attempt: Option<&'a Attempt>,
    /// When.
    pub at: DateTime<Utc>,
}

/// A number that lapsed: it was given out but belongs to no invoice any more (a rolled-back
/// invoice run), so the series records why it is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LapsedNumber {
    /// The series.
    pub series: String,
    /// The number.
    pub number: String,
    /// The invoice run it belonged to, if any.
    pub run: Option<String>,
    /// Why it lapsed.
    pub reason: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A counter of a series: the last sequence given out in a period (a year, or 0).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Counter {
    /// The series.
    pub series: String,
    /// The year, or 0 for a series without `{year}`.
    pub period: i32,
    /// The last sequence number given out.
    pub last: i64,
}

/// Where a numbered invoice sits in its series (for the gapless check).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Numbered {
    /// The series.
    pub series: String,
    /// The period.
    pub period: i32,
    /// The sequence.
    pub seq: i64,
    /// The number.
    pub number: String,
}

/// A durable store for the ledger. Every method is one transaction; [`Store::commit`] applies
/// a change only if the invoice still has the expected version, and otherwise changes nothing
/// and returns [`LedgerError::Conflict`].
///
/// Two implementations ship ([`super::SqliteStore`], [`super::PostgresStore`]) and one for tests
/// ([`super::MemoryStore`]); a back office can implement it over its own database.
pub trait Store: Send {
    /// `sqlite`, `postgres`, `memory`, ….
    fn backend(&self) -> &'static str;
    /// Creates or upgrades the tables (idempotent; safe when several processes do it at once).
    fn migrate(&mut self) -> Result<(), LedgerError>;
    /// The schema version the store is at (0: not initialised).
    fn schema_version(&mut self) -> Result<i64, LedgerError>;
    /// Grants a role or permission to a user. False when the user already had it.
    fn grant(
        &mut self,
        user: &str,
        grant: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, LedgerError>;
    /// A user's grants.
    fn grants(&mut self, user: &str) -> Result<Vec<String>, LedgerError>;
    /// Whether any user holds `admin` or `ledger.admin`.
    fn has_admin(&mut self) -> Result<bool, LedgerError>;
    /// Creates a series, or changes the format or reporting of an existing one (its counters
    /// run on).
    fn put_series(&mut self, series: &Series, at: DateTime<Utc>) -> Result<(), LedgerError>;
    /// One series.
    fn series(&mut self, name: &str) -> Result<Option<Series>, LedgerError>;
    /// Every series, by name.
    fn all_series(&mut self) -> Result<Vec<Series>, LedgerError>;
    /// Adds an invoice: gives it its number (inside the same transaction, so the series has no
    /// gap), stores it as Concept with version 1 and writes the `created` history entry.
    fn insert(&mut self, new: &NewInvoice<'_>) -> Result<StoredInvoice, LedgerError>;
    /// One invoice by number.
    fn get(&mut self, number: &str) -> Result<Option<StoredInvoice>, LedgerError>;
    /// Invoices by filter, by number.
    fn list(&mut self, filter: &ListFilter) -> Result<Vec<Summary>, LedgerError>;
    /// Applies a change; returns the new version.
    fn commit(&mut self, change: &Change<'_>) -> Result<i64, LedgerError>;
    /// Appends history entries (and an answer) that change nothing else: a failed check, an
    /// answer that no longer applies. They carry the invoice's current version.
    fn append(
        &mut self,
        id: i64,
        history: &[Entry],
        attempt: Option<&Attempt>,
    ) -> Result<(), LedgerError>;
    /// An invoice's history, oldest first.
    fn history(&mut self, number: &str) -> Result<Vec<Recorded>, LedgerError>;
    /// An invoice's recorded black-box answers, oldest first.
    fn attempts(&mut self, number: &str) -> Result<Vec<Attempt>, LedgerError>;
    /// Numbers of reported invoices due to be offered at `now`, the longest waiting first.
    fn due(&mut self, now: DateTime<Utc>, limit: usize) -> Result<Vec<String>, LedgerError>;
    /// When the next reported invoice falls due, if any is reported.
    fn next_due(&mut self) -> Result<Option<DateTime<Utc>>, LedgerError>;
    /// Records a lapsed number.
    fn lapse(&mut self, lapsed: &LapsedNumber) -> Result<(), LedgerError>;
    /// The lapsed numbers of a series.
    fn lapsed(&mut self, series: &str) -> Result<Vec<LapsedNumber>, LedgerError>;
    /// Every counter.
    fn counters(&mut self) -> Result<Vec<Counter>, LedgerError>;
    /// Every numbered invoice's place in its series.
    fn numbered(&mut self) -> Result<Vec<Numbered>, LedgerError>;
    /// The store's invoice runs, if it keeps them (SQLite and PostgreSQL do; the memory
    /// store does not).
    fn runs(&mut self) -> Option<&mut dyn super::runs::RunStore> {
        None
    }
}
