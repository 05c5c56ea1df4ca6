//! # factuur
//!
//! One invoice model, every document a Dutch invoicing back office sends, each checked on the
//! way.
//!
//! ```
//! use factuur::{Invoice, model::VatCodeTable, validate::check};
//!
//! let json = std::fs::read("testdata/invoices/01-domestic-b2b.json").unwrap();
//! let invoice = Invoice::from_json(&json).unwrap();
//!
//! // The back office's error check (customer, branch, work order, address, VAT codes).
//! let report = check::check(&invoice, &VatCodeTable::dutch_default());
//! assert!(report.is_ok());
//!
//! // EN 16931 totals: line amounts, VAT breakdown, amount due.
//! let totals = invoice.totals().unwrap();
//! assert_eq!(totals.payable, totals.tax_inclusive - totals.prepaid + totals.rounding);
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod error;
pub mod fsutil;
#[cfg(feature = "ledger")]
pub mod ledger;
pub mod lifecycle;
pub mod locale;
pub mod merge;
pub mod model;
pub mod pair;
#[cfg(feature = "pdf")]
pub mod pdf;
#[cfg(feature = "run")]
pub mod run;
pub mod ubl;
pub mod validate;

pub use error::Error;

/// The README's examples run as doc tests, so the README stays true. They use every feature
/// (PDF, delivery), so they run with `--all-features`, as CI tests.
#[cfg(all(doctest, feature = "pdf", feature = "send"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
pub use model::{Invoice, Totals};
pub use validate::{Finding, Report, Severity};
