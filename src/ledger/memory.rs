//! A store in memory, for tests and examples: the same rules as the durable stores (unique
//! numbers, gapless counters, the version check, append-only history), nothing kept.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, Utc};

use crate::lifecycle::history::Recorded;
use crate::lifecycle::numbering::SeriesFormat;
use crate::lifecycle::{Attempt, Entry, Reporting, Status};

use super::store::{
    Change, Counter, LapsedNumber, ListFilter, NewInvoice, Numbered, Series, Store, StoredInvoice,
    Summary,
};
use super::{LedgerError, created_entry, year_of};

#[derive(Debug, Clone)]
struct Row {
    stored: StoredInvoice,
    place: Option<(i32, i64)>,
}

/// A [`Store`] in memory.
#[derive(Debug, Clone, Default)]
pub struct MemoryStore {
    migrated: bool,
    series: BTreeMap<String, Series>,
    counters: BTreeMap<(String, i32), i64>,
    rows: Vec<Row>,
    by_number: HashMap<String, usize>,
    history: Vec<(i64, Recorded)>,
    attempts: Vec<(i64, Attempt)>,
    grants: BTreeSet<(String, String)>,
    lapsed: Vec<LapsedNumber>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    fn row(&self, number: &str) -> Option<&Row> {
        self.by_number.get(number).map(|&i| &self.rows[i])
    }

    fn push_history(&mut self, id: i64, version: i64, entries: &[Entry]) {
        for e in entries {
            let seq = self.history.len() as i64 + 1;
            self.history.push((
                id,
                Recorded {
                    seq,
                    version,
                    entry: e.clone(),
                },
            ));
        }
    }
}

impl Store for MemoryStore {
    fn backend(&self) -> &'static str {
        "memory"
    }

    fn migrate(&mut self) -> Result<(), LedgerError> {
        self.migrated = true;
        Ok(())
    }

    fn schema_version(&mut self) -> Result<i64, LedgerError> {
        Ok(if self.migrated {
            super::migrations::latest("memory")
        } else {
            0
        })
    }

    fn grant(
        &mut self,
        user: &str,
        grant: &str,
        _by: &str,
        _at: DateTime<Utc>,
    ) -> Result<bool, LedgerError> {
        Ok(self.grants.insert((user.to_owned(), grant.to_owned())))
    }

    fn grants(&mut self, user: &str) -> Result<Vec<String>, LedgerError> {
        Ok(self
            .grants
            .iter()
            .filter(|(u, _)| u == user)
            .map(|(_, g)| g.clone())
            .collect())
    }

    fn has_admin(&mut self) -> Result<bool, LedgerError> {
        Ok(self
            .grants
            .iter()
            .any(|(_, g)| g == "admin" || g == "ledger.admin"))
    }

    fn put_series(&mut self, series: &Series, _at: DateTime<Utc>) -> Result<(), LedgerError> {
        self.series.insert(series.name.clone(), series.clone());
        Ok(())
    }

    fn series(&mut self, name: &str) -> Result<Option<Series>, LedgerError> {
        Ok(self.series.get(name).cloned())
    }

    fn all_series(&mut self) -> Result<Vec<Series>, LedgerError> {
        Ok(self.series.values().cloned().collect())
    }

    fn insert(&mut self, new: &NewInvoice<'_>) -> Result<StoredInvoice, LedgerError> {
        let series = match new.series {
            Some(name) => Some(
                self.series
                    .get(name)
                    .cloned()
                    .ok_or_else(|| LedgerError::UnknownSeries(name.to_owned()))?,
            ),
            None => None,
        };
        let (number, place) = if new.keep_number {
            (new.invoice.number.clone(), None)
        } else {
            let series = series
                .as_ref()
                .ok_or_else(|| LedgerError::Invalid("a new number needs a number series".into()))?;
            let format = SeriesFormat::parse(&series.format)?;
            let year = year_of(new.at);
            let period = format.period(year);
            let last = self
                .counters
                .get(&(series.name.clone(), period))
                .copied()
                .unwrap_or(0);
            let seq = last + 1;
            (format.format(year, seq.unsigned_abs()), Some((period, seq)))
        };
        if self.by_number.contains_key(&number) {
            return Err(LedgerError::DuplicateNumber(number));
        }
        if let (Some(s), Some((period, seq))) = (&series, place) {
            self.counters.insert((s.name.clone(), period), seq);
        }
        let mut invoice = new.invoice.clone();
        invoice.number = number.clone();
        let id = self.rows.len() as i64 + 1;
        let stored = StoredInvoice {
            id,
            number: number.clone(),
            series: series.as_ref().map(|s| s.name.clone()),
            status: Status::Concept,
            version: 1,
            imported: new.keep_number,
            gks: series.as_ref().is_some_and(|s| s.gks),
            reporting: Reporting::default(),
            created_at: new.at,
            updated_at: new.at,
            invoice,
        };
        self.by_number.insert(number.clone(), self.rows.len());
        self.rows.push(Row {
            stored: stored.clone(),
            place,
        });
        self.push_history(id, 1, &[created_entry(new, &number)]);
        Ok(stored)
    }

    fn get(&mut self, number: &str) -> Result<Option<StoredInvoice>, LedgerError> {
        Ok(self.row(number).map(|r| {
            let mut s = r.stored.clone();
            s.gks = s
                .series
                .as_ref()
                .and_then(|n| self.series.get(n))
                .is_some_and(|x| x.gks);
            s
        }))
    }

    fn list(&mut self, filter: &ListFilter) -> Result<Vec<Summary>, LedgerError> {
        let mut out: Vec<Summary> = self
            .rows
            .iter()
            .map(|r| &r.stored)
            .filter(|s| filter.status.is_none_or(|f| f == s.status))
            .filter(|s| {
                filter
                    .series
                    .as_ref()
                    .is_none_or(|f| s.series.as_ref() == Some(f))
            })
            .map(|s| Summary {
                number: s.number.clone(),
                series: s.series.clone(),
                status: s.status,
                version: s.version,
                ticket: s.reporting.ticket.clone(),
                next_attempt: s.reporting.next_attempt,
                updated_at: s.updated_at,
            })
            .collect();
        out.sort_by(|a, b| a.number.cmp(&b.number));
        Ok(out)
    }

    fn commit(&mut self, change: &Change<'_>) -> Result<i64, LedgerError> {
        let i = *self
            .by_number
            .get(change.number)
            .ok_or_else(|| LedgerError::NotFound(change.number.to_owned()))?;
        let row = &mut self.rows[i].stored;
        if row.version != change.expected_version {
            return Err(LedgerError::Conflict {
                number: change.number.to_owned(),
                expected: change.expected_version,
                found: row.version,
            });
        }
        if row.reporting.ticket.is_some() && change.reporting.ticket != row.reporting.ticket {
            return Err(LedgerError::Invalid(
                "a VAT ticket is never changed or removed".into(),
            ));
        }
        let version = row.version + 1;
        row.version = version;
        row.status = change.status;
        row.reporting = change.reporting.clone();
        row.updated_at = change.at;
        if let Some(content) = change.invoice {
            row.invoice = content.clone();
        }
        let id = row.id;
        self.push_history(id, version, change.history);
        if let Some(a) = change.attempt {
            self.attempts.push((id, a.clone()));
        }
        Ok(version)
    }

    fn append(
        &mut self,
        id: i64,
        history: &[Entry],
        attempt: Option<&Attempt>,
    ) -> Result<(), LedgerError> {
        let version = self
            .rows
            .get((id - 1) as usize)
            .map(|r| r.stored.version)
            .ok_or_else(|| LedgerError::NotFound(format!("#{id}")))?;
        self.push_history(id, version, history);
        if let Some(a) = attempt {
            self.attempts.push((id, a.clone()));
        }
        Ok(())
    }

    fn history(&mut self, number: &str) -> Result<Vec<Recorded>, LedgerError> {
        let Some(id) = self.row(number).map(|r| r.stored.id) else {
            return Ok(Vec::new());
        };
        Ok(self
            .history
            .iter()
            .filter(|(i, _)| *i == id)
            .map(|(_, r)| r.clone())
            .collect())
    }

    fn attempts(&mut self, number: &str) -> Result<Vec<Attempt>, LedgerError> {
        let Some(id) = self.row(number).map(|r| r.stored.id) else {
            return Ok(Vec::new());
        };
        Ok(self
            .attempts
            .iter()
            .filter(|(i, _)| *i == id)
            .map(|(_, a)| a.clone())
            .collect())
    }

    fn due(&mut self, now: DateTime<Utc>, limit: usize) -> Result<Vec<String>, LedgerError> {
        let mut due: Vec<_> = self
            .rows
            .iter()
            .map(|r| &r.stored)
            .filter(|s| s.status == Status::Gemeld && s.reporting.is_due(now))
            .map(|s| (s.reporting.next_attempt, s.id, s.number.clone()))
            .collect();
        due.sort();
        Ok(due.into_iter().take(limit).map(|(_, _, n)| n).collect())
    }

    fn next_due(&mut self) -> Result<Option<DateTime<Utc>>, LedgerError> {
        Ok(self
            .rows
            .iter()
            .filter(|r| r.stored.status == Status::Gemeld)
            .filter_map(|r| r.stored.reporting.next_attempt)
            .min())
    }

    fn lapse(&mut self, lapsed: &LapsedNumber) -> Result<(), LedgerError> {
        if !self.series.contains_key(&lapsed.series) {
            return Err(LedgerError::UnknownSeries(lapsed.series.clone()));
        }
        if self
            .lapsed
            .iter()
            .any(|l| l.series == lapsed.series && l.number == lapsed.number)
        {
            return Err(LedgerError::Invalid(format!(
                "number {} of series {} has already lapsed",
                lapsed.number, lapsed.series
            )));
        }
        self.lapsed.push(lapsed.clone());
        Ok(())
    }

    fn lapsed(&mut self, series: &str) -> Result<Vec<LapsedNumber>, LedgerError> {
        Ok(self
            .lapsed
            .iter()
            .filter(|l| l.series == series)
            .cloned()
            .collect())
    }

    fn counters(&mut self) -> Result<Vec<Counter>, LedgerError> {
        Ok(self
            .counters
            .iter()
            .map(|((series, period), last)| Counter {
                series: series.clone(),
                period: *period,
                last: *last,
            })
            .collect())
    }

    fn numbered(&mut self) -> Result<Vec<Numbered>, LedgerError> {
        Ok(self
            .rows
            .iter()
            .filter_map(|r| {
                let (period, seq) = r.place?;
                Some(Numbered {
                    series: r.stored.series.clone()?,
                    period,
                    seq,
                    number: r.stored.number.clone(),
                })
            })
            .collect())
    }
}
