//! The whole verdict on one UBL document, as the official tools give it: the UBL 2.1 structure
//! check and each rule set run, with the set's version, whether it passed and what failed.
//!
//! [`validate_bytes`] is the one entry point for a backend: bytes in, a [`Verdict`] out (or a
//! [`ValidateError`] when the bytes are not a UBL document at all). A verdict serialises to the
//! JSON line `factuur validate --json` prints (without the `file` key, which the caller knows).

use std::fmt;
use std::str::FromStr;

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

use crate::ubl::{Document, Ns, UblError};
use crate::validate::{Finding, Report, Severity};

use super::RuleSet;
use super::schema::{self, SchemaError};

/// Which rule sets to run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Rules {
    /// Chosen by the document's CustomizationID (see [`Rules::for_document`]): SI-UBL 2.0 →
    /// `nlcius`; Peppol BIS 3 → `en16931` + `peppol`; anything else → `en16931`.
    #[default]
    Auto,
    /// These sets, in this order.
    Sets(Vec<RuleSet>),
}

impl Rules {
    /// The sets to run on `doc`.
    ///
    /// ```
    /// use factuur::validate::ubl::{RuleSet, Rules};
    /// let xml = br#"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
    ///   xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
    ///   <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
    /// </Invoice>"#;
    /// let doc = factuur::ubl::parse(xml)?;
    /// assert_eq!(Rules::Auto.for_document(&doc), [RuleSet::En16931, RuleSet::Peppol]);
    /// # Ok::<(), factuur::ubl::UblError>(())
    /// ```
    pub fn for_document(&self, doc: &Document) -> Vec<RuleSet> {
        match self {
            Rules::Sets(sets) => sets.clone(),
            Rules::Auto => auto(doc).to_vec(),
        }
    }
}

/// The sets `auto` runs on a document claiming `customization_id`.
fn auto(doc: &Document) -> &'static [RuleSet] {
    let claimed = doc
        .root()
        .child(Ns::Cbc, "CustomizationID")
        .map(|c| c.text().trim_matches([' ', '\t', '\r', '\n']))
        .unwrap_or("");
    if claimed.contains("#compliant#urn:fdc:nen.nl:nlcius:v1.0")
        || claimed.contains("#conformant#urn:fdc:nen.nl:gaccount:v1.0")
    {
        &[RuleSet::Nlcius]
    } else if claimed.starts_with(crate::ubl::CUSTOMIZATION_PEPPOL) {
        &[RuleSet::En16931, RuleSet::Peppol]
    } else {
        &[RuleSet::En16931]
    }
}

impl FromStr for Rules {
    type Err = String;

    /// `auto`, or a comma list of `en16931`, `nlcius`, `peppol`.
    fn from_str(s: &str) -> Result<Rules, String> {
        if s.trim() == "auto" {
            return Ok(Rules::Auto);
        }
        let mut sets = Vec::new();
        for name in s.split(',').map(str::trim) {
            let set = RuleSet::from_name(name).ok_or_else(|| {
                format!("unknown rule set {name:?}: use auto, or a comma list of en16931, nlcius, peppol")
            })?;
            if !sets.contains(&set) {
                sets.push(set);
            }
        }
        Ok(Rules::Sets(sets))
    }
}

/// The root element of a UBL document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Root {
    /// `Invoice`.
    Invoice,
    /// `CreditNote`.
    CreditNote,
}

/// One rule set's verdict.
#[derive(Debug, Clone)]
pub struct SetVerdict {
    /// The set.
    pub set: RuleSet,
    /// What failed, in the order the rules ran.
    pub report: Report,
}

impl SetVerdict {
    /// True when nothing fatal failed.
    pub fn is_ok(&self) -> bool {
        self.report.is_ok()
    }

    /// `[rule, flag, location]` of every failed assert, sorted as the official tools' output is
    /// compared: by rule, then flag, then location.
    pub fn failed(&self) -> Vec<(&'static str, Severity, &str)> {
        let mut failed: Vec<_> = self
            .report
            .findings
            .iter()
            .map(|f| (f.rule, f.severity, f.location.path.as_str()))
            .collect();
        failed.sort_by(|a, b| (a.0, flag(a.1), a.2).cmp(&(b.0, flag(b.1), b.2)));
        failed
    }
}

/// A severity as the official tools flag it.
fn flag(s: Severity) -> &'static str {
    match s {
        Severity::Fatal => "fatal",
        Severity::Warning => "warning",
        Severity::Information => "information",
    }
}

/// The verdict on one document: structure and rule sets.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// Invoice or credit note.
    pub root: Root,
    /// What breaks the UBL 2.1 schema; empty when the structure is sound.
    pub xsd_errors: Vec<SchemaError>,
    /// One verdict per rule set run, in the order run.
    pub sets: Vec<SetVerdict>,
}

impl Verdict {
    /// True when the document passes the UBL 2.1 schema.
    pub fn xsd_ok(&self) -> bool {
        self.xsd_errors.is_empty()
    }

    /// True when the structure is sound and no set has a fatal finding.
    pub fn is_ok(&self) -> bool {
        self.xsd_ok() && self.sets.iter().all(SetVerdict::is_ok)
    }

    /// Every finding of every set, with the set it came from.
    pub fn findings(&self) -> impl Iterator<Item = (RuleSet, &Finding)> {
        self.sets
            .iter()
            .flat_map(|s| s.report.findings.iter().map(move |f| (s.set, f)))
    }
}

impl Serialize for Verdict {
    /// `{"root", "xsd_ok", "xsd_errors": [{"message", "line", "column"}], "<set>": {"version",
    /// "ok", "failed": [[id, flag, location], ...]}, ...}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3 + self.sets.len()))?;
        map.serialize_entry("root", &self.root)?;
        map.serialize_entry("xsd_ok", &self.xsd_ok())?;
        map.serialize_entry("xsd_errors", &XsdErrors(&self.xsd_errors))?;
        for set in &self.sets {
            map.serialize_entry(set.set.name(), &SetJson(set))?;
        }
        map.end()
    }
}

struct XsdErrors<'a>(&'a [SchemaError]);

impl Serialize for XsdErrors<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for e in self.0 {
            seq.serialize_element(&ErrorJson {
                message: &e.message,
                line: e.line,
                column: e.column,
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct ErrorJson<'a> {
    message: &'a str,
    line: usize,
    column: usize,
}

struct SetJson<'a>(&'a SetVerdict);

impl Serialize for SetJson<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let failed: Vec<(&str, &str, &str)> = self
            .0
            .failed()
            .into_iter()
            .map(|(id, sev, loc)| (id, flag(sev), loc))
            .collect();
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("version", self.0.set.version())?;
        map.serialize_entry("ok", &self.0.is_ok())?;
        map.serialize_entry("failed", &failed)?;
        map.end()
    }
}

/// Why bytes could not be judged at all: they are not well-formed XML, or not a UBL Invoice or
/// CreditNote.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValidateError {
    /// Not well-formed XML (or XML factuur refuses to read: a DOCTYPE, undeclared entities,
    /// nesting deeper than any invoice).
    #[error("line {line}, column {column}: {message}")]
    NotXml {
        /// What is wrong.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// Well-formed, but the root is not a UBL 2 Invoice or CreditNote.
    #[error("line {line}, column {column}: {message}")]
    NotUbl {
        /// What the root is.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
}

impl ValidateError {
    /// The message, line and column.
    pub fn parts(&self) -> (&str, usize, usize) {
        match self {
            ValidateError::NotXml {
                message,
                line,
                column,
            }
            | ValidateError::NotUbl {
                message,
                line,
                column,
            } => (message, *line, *column),
        }
    }
}

impl Serialize for ValidateError {
    /// `{"message", "line", "column"}`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (message, line, column) = self.parts();
        ErrorJson {
            message,
            line,
            column,
        }
        .serialize(s)
    }
}

impl From<UblError> for ValidateError {
    fn from(e: UblError) -> ValidateError {
        let (line, column) = e.position().unwrap_or((1, 1));
        let message = match e {
            UblError::Xml { message, .. } => format!("not well-formed XML: {message}"),
            other => strip_position(&other.to_string()),
        };
        ValidateError::NotXml {
            message,
            line,
            column,
        }
    }
}

/// A parse error's text without its leading `line L, column C: `.
fn strip_position(text: &str) -> String {
    match text.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest.to_owned(),
        _ => text.to_owned(),
    }
}

impl fmt::Display for Root {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Root::Invoice => "Invoice",
            Root::CreditNote => "CreditNote",
        })
    }
}

/// Judges a UBL document: parses it, checks its structure against UBL 2.1, and runs the rule
/// sets `rules` asks for.
///
/// ```
/// use factuur::validate::ubl::{Rules, validate_bytes};
/// let xml = std::fs::read("testdata/pdf/ubl/2026-00017.xml")?;
/// let verdict = validate_bytes(&xml, &Rules::Auto)?;
/// assert!(verdict.xsd_ok());
/// assert!(verdict.is_ok(), "{:?}", verdict.findings().collect::<Vec<_>>());
/// let json = serde_json::to_value(&verdict)?;
/// assert_eq!(json["nlcius"]["ok"], true);
///
/// // Not XML at all: an error with the place, not a verdict.
/// let err = validate_bytes(b"<Invoice>", &Rules::Auto).unwrap_err();
/// assert_eq!(err.parts().1, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn validate_bytes(bytes: &[u8], rules: &Rules) -> Result<Verdict, ValidateError> {
    let doc = crate::ubl::parse(bytes)?;
    validate_document(&doc, rules)
}

/// [`validate_bytes`] on a document already parsed.
pub fn validate_document(doc: &Document, rules: &Rules) -> Result<Verdict, ValidateError> {
    let root = doc.root();
    let root_kind = match (root.ns(), root.name()) {
        (Ns::Invoice, "Invoice") => Root::Invoice,
        (Ns::CreditNote, "CreditNote") => Root::CreditNote,
        (_, name) => {
            let (line, column) = root.line_col();
            let namespace = doc.root_namespace();
            let message = if namespace.is_empty() {
                format!("the root element {name} has no namespace: not a UBL Invoice or CreditNote")
            } else {
                format!(
                    "the root element {name} in namespace {namespace} is not a UBL Invoice or \
                     CreditNote"
                )
            };
            return Err(ValidateError::NotUbl {
                message,
                line,
                column,
            });
        }
    };
    let xsd_errors = schema::check(doc);
    let sets = rules
        .for_document(doc)
        .into_iter()
        .map(|set| SetVerdict {
            set,
            report: super::validate_with(doc, &[set]),
        })
        .collect();
    Ok(Verdict {
        root: root_kind,
        xsd_errors,
        sets,
    })
}
