//! Invoice runs (feature `run`): the month-end batch that turns every draft of a profile in a
//! time window into invoices, first as a test, then in production; queued one at a time per
//! ledger, with progress; every document and a report in one ZIP; rollback under strict
//! conditions; several workers sharing one PostgreSQL ledger.
//!
//! The decisions are pure functions over values: [`profile`] (what a profile makes),
//! [`plan`] (which drafts, which numbers), [`render`] (the documents of one invoice),
//! [`report`] (the run report), [`queue`] (positions and waits), [`rollback`] (the seed's
//! conditions), [`journal`] (booking lines). [`exec`] drives them over the ledger, the files and
//! the clock.
//!
//! A production run is all or nothing: its numbers are planned from the series' counter, its
//! documents are made and written into a temporary ZIP, and then one transaction checks that the
//! counter has not moved, adds every invoice (numbered, Definitief, with its history) and the
//! run's report, and moves the counter; only then is the ZIP renamed into place. A run that dies
//! before that transaction leaves nothing in the ledger: the next run finds it abandoned (the
//! lock its process held is gone) and starts cleanly.
//!
//! ```no_run
//! use factuur::ledger::{Ledger, RunMode};
//! use factuur::run::{Config, RunRequest, exec, plan::Window};
//! use chrono::NaiveDate;
//!
//! let config = Config::read("testdata/factuur.toml".as_ref())?;
//! let mut ledger = Ledger::open("factuur.sqlite")?;
//! let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
//! let request = RunRequest {
//!     profile: config.profile("demo")?,
//!     window: Window::new(d(1, 1), d(12, 31))?,
//!     booking_date: d(12, 31),
//!     mode: RunMode::Test,
//!     description: "maandfacturen".into(),
//!     stop_on_error: false,
//!     input: "testdata/invoices".as_ref(),
//!     output: "run.zip".as_ref(),
//!     user: "anna",
//! };
//! let summary = exec::run(&mut ledger, &request, &|p| eprintln!("{p:?}"))?;
//! println!("run {}: {} invoices, {} failed", summary.run, summary.invoices, summary.failed);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod draft;
pub mod exec;
pub mod journal;
pub mod plan;
pub mod profile;
pub mod queue;
pub mod render;
pub mod report;
pub mod rollback;
pub mod zip;

pub use exec::{Progress, RunRequest, RunSummary, Stage};
pub use profile::{Config, Profile};

use crate::ledger::LedgerError;

/// Why a run (or a rollback, a worker, a journal export) could not go on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The configuration or a profile is unusable.
    #[error("{0}")]
    Profile(String),
    /// A draft or the input is unusable: nothing was run.
    #[error("{file}: {message}")]
    Input {
        /// The file (and line).
        file: String,
        /// What is wrong.
        message: String,
    },
    /// Refused: a permission, a missing series, the rollback's conditions; nothing changed.
    #[error("{0}")]
    Refused(String),
    /// The ledger failed.
    #[error(transparent)]
    Ledger(#[from] LedgerError),
    /// The output path cannot take the run's ZIP (a folder, or its folder is missing):
    /// nothing was run.
    #[error("{0}")]
    Output(String),
    /// A production run committed its invoices, but something after the commit failed
    /// (putting the ZIP in place, marking the run done): the invoices are in the ledger.
    #[error("{0}")]
    AfterCommit(String),
    /// A file could not be written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
}

impl RunError {
    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> RunError {
        RunError::Io {
            path: path.display().to_string(),
            source,
        }
    }
}
