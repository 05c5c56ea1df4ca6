//! The top-level error: each area's error, wrapped once.

use crate::merge::MergeError;
use crate::model::{JsonError, TotalsError, VatTableError};

/// Anything that stops factuur from doing what was asked. Findings of the validators are not
/// errors: they are data in a [`crate::validate::Report`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// JSON input that does not describe an invoice.
    #[error("invalid JSON: {0}")]
    Json(#[from] JsonError),
    /// Totals that cannot be computed.
    #[error(transparent)]
    Totals(#[from] TotalsError),
    /// A Word template that cannot be read or merged.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// A VAT code table that makes no sense.
    #[error(transparent)]
    VatTable(#[from] VatTableError),
    /// A UBL document that could not be written or read.
    #[error(transparent)]
    Ubl(#[from] crate::ubl::UblError),
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
}
