//! Planning a run, as pure functions over values: which drafts belong to it (the time window,
//! the profile), what the error check says of each, and which number each one gets.
//!
//! ```
//! use chrono::NaiveDate;
//! use factuur::run::plan::{Numbering, Window, facts, plan};
//!
//! let json = std::fs::read("testdata/invoices/01-domestic-b2b.json").unwrap();
//! let draft = factuur::run::draft::parse(&json).unwrap();
//! let config = factuur::run::Config::parse(
//!     &std::fs::read_to_string("testdata/factuur.toml").unwrap(),
//!     std::path::Path::new("testdata"),
//! ).unwrap();
//! let profile = config.profile("demo").unwrap();
//! let f = facts(0, "01.json".into(), &draft, profile);
//! let window = Window::new(NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
//!                          NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()).unwrap();
//! let p = plan(&[f.plan_facts()], window, &Numbering::Test, &Default::default());
//! assert_eq!(p.items[0].number.as_deref(), Some("TEST-0001"));
//! ```

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::lifecycle::SeriesFormat;
use crate::validate::{Finding, Location, Message, Severity, check};

use super::draft::Draft;
use super::profile::Profile;

/// The days a run covers, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    /// The first day.
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
}

impl Window {
    /// A window; refused when `to` is before `from`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Window, String> {
        if to < from {
            Err(format!("the window ends ({to}) before it starts ({from})"))
        } else {
            Ok(Window { from, to })
        }
    }

    /// Whether `d` is in it.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// Net and VAT of one rate, for the report and the journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RateTotal {
    /// VAT category code (`S`, `Z`, `AE`, …).
    pub category: String,
    /// The rate in percent (none for categories without a rate).
    pub rate: Option<Decimal>,
    /// Taxable amount.
    pub net: Decimal,
    /// VAT.
    pub vat: Decimal,
}

/// What planning needs of one draft, computed once (in parallel) and kept small.
#[derive(Debug, Clone)]
pub struct DraftFacts {
    /// Its place in the input.
    pub index: usize,
    /// Where it came from.
    pub source: String,
    /// Its key.
    pub key: String,
    /// CRC-32 of its bytes.
    pub crc: u32,
    /// Its invoice date.
    pub issue_date: NaiveDate,
    /// Its type code.
    pub type_code: u16,
    /// Whether it belongs to the profile, or why not.
    pub belongs: Result<(), String>,
    /// The check's findings (fatal ones leave the draft out).
    pub findings: Vec<Finding>,
    /// Customer name.
    pub customer: Option<String>,
    /// Customer KvK.
    pub kvk: Option<String>,
    /// Currency.
    pub currency: String,
    /// Total without VAT, VAT, amount due (none when the totals cannot be computed).
    pub totals: Option<(Decimal, Decimal, Decimal)>,
    /// Per rate.
    pub rates: Vec<RateTotal>,
}

impl DraftFacts {
    /// Whether the check found a fatal finding.
    pub fn fails(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Fatal)
    }

    /// What the plan needs of them.
    pub fn plan_facts(&self) -> PlanFacts {
        PlanFacts {
            index: self.index,
            key: self.key.clone(),
            crc: self.crc,
            issue_date: self.issue_date,
            belongs: self.belongs.is_ok(),
            fails: self.fails(),
        }
    }
}

/// What the plan needs of a draft: a run keeps these for every draft in memory, the rest of
/// its facts (for the report) waits on disk.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanFacts {
    /// Its index in the input.
    pub index: usize,
    /// Its key (a digest of its content without the number).
    pub key: String,
    /// The checksum of its bytes, to notice a change while the run goes on.
    pub crc: u32,
    /// The invoice date.
    pub issue_date: NaiveDate,
    /// Whether it belongs to the profile.
    pub belongs: bool,
    /// Whether the check found a fatal finding.
    pub fails: bool,
}

/// The finding of a pair profile for a customer without KvK number.
pub const NO_KVK: &str = "RUN-PAIR-KVK";
/// The finding of a draft whose totals cannot be computed.
pub const NO_TOTALS: &str = "RUN-TOTALS";

/// The facts of a draft under a profile: filter, error check (and the KvK number a pair
/// needs), totals.
pub fn facts(index: usize, source: String, draft: &Draft, profile: &Profile) -> DraftFacts {
    let inv = &draft.invoice;
    let mut findings = check::check(inv, &profile.vat_codes).findings;
    if profile.outputs.pair && inv.customer.as_ref().and_then(|c| c.kvk.as_ref()).is_none() {
        findings.push(Finding {
            rule: NO_KVK,
            severity: Severity::Fatal,
            term: None,
            location: Location {
                path: "$.customer.kvk".into(),
                line_number: None,
                line_id: None,
                source: None,
            },
            value: None,
            message: Message {
                nl: "De klant heeft geen KvK-nummer: InvoiceSharing vindt de ontvanger via het KvK-nummer.",
                en: "The customer has no KvK number: InvoiceSharing finds the recipient by it.",
            },
        });
    }
    let (totals, rates) = match inv.totals_with(&profile.vat_codes) {
        Ok(t) => (
            Some((t.tax_exclusive, t.vat_total, t.payable)),
            t.vat_breakdown
                .iter()
                .map(|b| RateTotal {
                    category: b.category.code().to_owned(),
                    rate: b.rate,
                    net: b.taxable_amount,
                    vat: b.vat_amount,
                })
                .collect(),
        ),
        Err(e) => {
            if !findings.iter().any(|f| f.severity == Severity::Fatal) {
                findings.push(Finding {
                    rule: NO_TOTALS,
                    severity: Severity::Fatal,
                    term: None,
                    location: Location {
                        path: "$.lines".into(),
                        line_number: None,
                        line_id: None,
                        source: None,
                    },
                    value: Some(e.to_string()),
                    message: Message {
                        nl: "De totalen van de factuur zijn niet te berekenen.",
                        en: "The invoice's totals cannot be computed.",
                    },
                });
            }
            (None, Vec::new())
        }
    };
    DraftFacts {
        index,
        source,
        key: draft.key.clone(),
        crc: draft.crc,
        issue_date: inv.issue_date,
        type_code: inv.type_code.0,
        belongs: profile.spec.drafts.admits(inv),
        findings,
        customer: inv.customer.as_ref().map(|c| c.name.clone()),
        kvk: inv
            .customer
            .as_ref()
            .and_then(|c| c.kvk.as_ref())
            .map(|k| k.as_str().to_owned()),
        currency: inv.currency.as_str().to_owned(),
        totals,
        rates,
    }
}

/// Where numbers come from.
#[derive(Debug, Clone)]
pub enum Numbering {
    /// `TEST-0001`, `TEST-0002`, …: consumes nothing.
    Test,
    /// The series' next numbers: `last` is the counter now, numbers are given in `year`.
    Series {
        /// The series' format.
        format: SeriesFormat,
        /// The year the numbers are given in (the booking date's).
        year: i32,
        /// The counter's value now (0 when the period has none yet).
        last: i64,
    },
}

/// The test number of the `n`-th invoice (1-based).
pub fn test_number(n: usize) -> String {
    format!("TEST-{n:04}")
}

/// What happens to one draft of the run.
#[derive(Debug, Clone, PartialEq)]
pub enum Fate {
    /// Numbered and made.
    Numbered,
    /// Left out: the check failed.
    Failed,
    /// Left out: already invoiced (by run R as number N), or the same draft twice.
    Skipped(String),
}

/// One draft of the run, in run order.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Its place in the input.
    pub index: usize,
    /// Its place in the run.
    pub position: i64,
    /// Its number (test or real), when numbered.
    pub number: Option<String>,
    /// Its sequence in the series (production).
    pub seq: Option<i64>,
    /// What happens to it.
    pub fate: Fate,
}

/// A run's plan.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Plan {
    /// The drafts of the run (in the window and of the profile), in input order.
    pub items: Vec<Item>,
    /// Drafts outside the window.
    pub outside_window: usize,
    /// Drafts of other profiles.
    pub other_profile: usize,
}

impl Plan {
    /// The numbered items.
    pub fn numbered(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.fate == Fate::Numbered)
    }

    /// How many are numbered, failed, skipped.
    pub fn counts(&self) -> (usize, usize, usize) {
        let n = self.numbered().count();
        let f = self.items.iter().filter(|i| i.fate == Fate::Failed).count();
        (n, f, self.items.len() - n - f)
    }

    /// The first and last sequence numbers used.
    pub fn seq_range(&self) -> Option<(i64, i64)> {
        let mut seqs = self.numbered().filter_map(|i| i.seq);
        let first = seqs.next()?;
        Some((first, seqs.last().unwrap_or(first)))
    }
}

/// Plans a run: drafts in `window` that belong to the profile, in input order; a draft whose
/// check fails is left out (`Failed`); one already invoiced (`invoiced`: key → (run, number))
/// or seen earlier in the same input is skipped; the others get consecutive numbers.
pub fn plan(
    facts: &[PlanFacts],
    window: Window,
    numbering: &Numbering,
    invoiced: &HashMap<String, (i64, String)>,
) -> Plan {
    let mut p = Plan::default();
    let mut seen: HashMap<&str, i64> = HashMap::new();
    let mut n = 0usize;
    for f in facts {
        if !window.contains(f.issue_date) {
            p.outside_window += 1;
            continue;
        }
        if !f.belongs {
            p.other_profile += 1;
            continue;
        }
        let position = p.items.len() as i64;
        let fate = if let Some((run, number)) = invoiced.get(&f.key) {
            Fate::Skipped(format!("already invoiced by run {run} as {number}"))
        } else if let Some(first) = seen.get(f.key.as_str()) {
            Fate::Skipped(format!(
                "the same draft as the run's invoice at position {}",
                first + 1
            ))
        } else if f.fails {
            Fate::Failed
        } else {
            Fate::Numbered
        };
        seen.entry(&f.key).or_insert(position);
        let (number, seq) = if fate == Fate::Numbered {
            n += 1;
            match numbering {
                Numbering::Test => (Some(test_number(n)), None),
                Numbering::Series { format, year, last } => {
                    let seq = last + n as i64;
                    (Some(format.format(*year, seq.unsigned_abs())), Some(seq))
                }
            }
        } else {
            (None, None)
        };
        p.items.push(Item {
            index: f.index,
            position,
            number,
            seq,
            fate,
        });
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(i: usize, key: &str, day: u32, fails: bool) -> DraftFacts {
        DraftFacts {
            index: i,
            source: format!("{i}.json"),
            key: key.into(),
            crc: 0,
            issue_date: NaiveDate::from_ymd_opt(2026, 3, day).unwrap(),
            type_code: 380,
            belongs: Ok(()),
            findings: if fails {
                vec![Finding {
                    rule: "CHK-CUSTOMER",
                    severity: Severity::Fatal,
                    term: None,
                    location: Location {
                        path: "$".into(),
                        line_number: None,
                        line_id: None,
                        source: None,
                    },
                    value: None,
                    message: Message { nl: "x", en: "x" },
                }]
            } else {
                Vec::new()
            },
            customer: None,
            kvk: None,
            currency: "EUR".into(),
            totals: None,
            rates: Vec::new(),
        }
    }

    #[test]
    fn window_failures_duplicates_and_numbers() {
        let d = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        let w = Window::new(d(3, 1), d(3, 31)).unwrap();
        assert!(Window::new(d(3, 2), d(3, 1)).is_err());
        let mut other = fact(5, "e", 9, false);
        other.belongs = Err("not ours".into());
        let drafts = [
            fact(0, "a", 1, false),
            fact(1, "b", 31, true),
            fact(2, "c", 15, false),
            fact(3, "a", 2, false),
            fact(4, "d", 30, false),
            other,
            {
                let mut f = fact(6, "f", 1, false);
                f.issue_date = d(4, 1);
                f
            },
        ];
        let facts: Vec<PlanFacts> = drafts.iter().map(DraftFacts::plan_facts).collect();
        assert!(facts[1].fails && !facts[0].fails && !facts[5].belongs);
        let mut invoiced = HashMap::new();
        invoiced.insert("d".to_owned(), (7, "2026-00003".to_owned()));
        let series = Numbering::Series {
            format: SeriesFormat::parse("{year}-{seq:5}").unwrap(),
            year: 2026,
            last: 41,
        };
        let p = plan(&facts, w, &series, &invoiced);
        let numbers: Vec<_> = p.items.iter().map(|i| i.number.clone()).collect();
        assert_eq!(
            numbers,
            vec![
                Some("2026-00042".into()),
                None,
                Some("2026-00043".into()),
                None,
                None
            ]
        );
        assert_eq!(p.items[1].fate, Fate::Failed);
        assert!(matches!(&p.items[3].fate, Fate::Skipped(r) if r.contains("position 1")));
        assert!(matches!(&p.items[4].fate, Fate::Skipped(r) if r.contains("run 7")));
        assert_eq!(p.counts(), (2, 1, 2));
        assert_eq!(p.seq_range(), Some((42, 43)));
        assert_eq!((p.outside_window, p.other_profile), (1, 1));
        let t = plan(&facts, w, &Numbering::Test, &HashMap::new());
        assert_eq!(t.items[0].number.as_deref(), Some("TEST-0001"));
        assert_eq!(t.items[4].number.as_deref(), Some("TEST-0003"));
    }
}
