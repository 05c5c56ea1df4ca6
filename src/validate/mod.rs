//! Validation: rule sets that look at an invoice and report findings.
//!
//! Findings are data, not errors: a [`Report`] lists every [`Finding`] with its rule id, severity,
//! location and a message in Dutch and English. The first rule set is the back office's error
//! check ([`check`]), run before an invoice may become *proforma* or *definitief*.
#![deny(clippy::float_arithmetic)]

use std::fmt;

use serde::Serialize;

pub mod check;
pub(crate) mod codelists;
pub mod ubl;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information only.
    Information,
    /// Should be fixed; the document is still acceptable.
    Warning,
    /// Must be fixed; the document is not acceptable.
    Fatal,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Information => "information",
            Severity::Warning => "warning",
            Severity::Fatal => "fatal",
        })
    }
}

/// A message in both languages factuur speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Message {
    /// Dutch.
    pub nl: &'static str,
    /// English.
    pub en: &'static str,
}

impl Message {
    /// The message in `lang` (`nl`, else English).
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Nl => self.nl,
            Lang::En => self.en,
        }
    }
}

/// Language of messages and documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Dutch.
    Nl,
    /// English.
    #[default]
    En,
}

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// Path of the offending (or missing) value: a JSONPath such as `$.lines[2].vat.code` for
    /// the model.
    pub path: String,
    /// 1-based position of the invoice line the finding is about, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_number: Option<usize>,
    /// Id (BT-126) of that invoice line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line_id: Option<String>,
    /// For findings on a document: where the node starts in the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<SourcePos>,
}

/// A position in a source document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SourcePos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in bytes).
    pub column: usize,
}

/// One thing a rule found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's stable id, e.g. `CHK-BRANCH` or `BR-CO-10`.
    pub rule: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// The EN 16931 business term (`BT-`) or group (`BG-`) the finding concerns, where there is
    /// one: `BT-106` for the sum of line amounts, `BG-7` for the buyer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub term: Option<&'static str>,
    /// Where.
    pub location: Location,
    /// The offending value or the values compared, when that helps.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// What is wrong, in Dutch and English.
    pub message: Message,
}

/// What a validation found. Empty when everything passed; building an empty report does not
/// allocate.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Report {
    /// Every finding, in the order the rules ran.
    pub findings: Vec<Finding>,
}

impl Report {
    /// An empty report.
    pub const fn new() -> Report {
        Report {
            findings: Vec::new(),
        }
    }

    /// True when no finding is fatal.
    pub fn is_ok(&self) -> bool {
        !self.has_fatal()
    }

    /// True when at least one finding is fatal.
    pub fn has_fatal(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Fatal)
    }

    /// Number of findings with this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Removes all findings, keeping the allocation for the next invoice.
    pub fn clear(&mut self) {
        self.findings.clear();
    }
}
