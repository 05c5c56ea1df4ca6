//! The shared ledger: PostgreSQL through the synchronous `postgres` crate, for back offices
//! where several processes or machines use one ledger.
//!
//! Each change is one transaction at READ COMMITTED: the version check is part of the
//! `UPDATE`'s condition, so a second writer blocks on the first one's row lock and then finds
//! the version moved on (a [`LedgerError::Conflict`]); numbers come from an upsert on the
//! series' counter row, which serialises writers of the same series and rolls back with the
//! transaction (no gaps). Migrations take an advisory lock, so that several processes may
//! initialise the same ledger at once.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, NoTls, Row, Statement, Transaction};

use crate::lifecycle::history::Recorded;
use crate::lifecycle::numbering::SeriesFormat;
use crate::lifecycle::{Answer, Attempt, Channel, Entry, Reporting};

use super::migrations::POSTGRES_MIGRATIONS;
use super::sqlite::{answer_from, entry_from};
use super::store::{
    Change, Counter, LapsedNumber, ListFilter, NewInvoice, Numbered, Series, Store, StoredInvoice,
    Summary,
};
use super::{
    ContentCache, LedgerError, content_json, created_entry, from_millis, millis, parse_status,
    year_of,
};

/// Key of the advisory lock taken while migrating.
const MIGRATION_LOCK: i64 = 0x0FAC_7005;

/// A [`Store`] in a PostgreSQL database.
pub struct PostgresStore {
    pub(super) client: Client,
    statements: HashMap<&'static str, Statement>,
    pub(super) cache: ContentCache,
    /// Whether this session holds the run lock (an advisory lock).
    pub(super) run_lock: bool,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore").finish_non_exhaustive()
    }
}

const GET: &str = "SELECT i.id, i.number, i.series, i.status, i.version, i.imported, \
     COALESCE(i.gks, s.gks, FALSE), i.ticket, i.reported_at, i.next_attempt, i.attempts, i.via, \
     i.created_at, i.updated_at, i.content \
     FROM invoices i LEFT JOIN series s ON s.name = i.series WHERE i.number = $1";
const GRANTS: &str = "SELECT grant_name FROM grants WHERE user_name = $1 ORDER BY grant_name";
const UPDATE: &str = "UPDATE invoices SET status = $1, content = COALESCE($2, content), \
     ticket = $3, reported_at = $4, next_attempt = $5, attempts = $6, via = $7, \
     version = version + 1, updated_at = $8 WHERE id = $9 AND version = $10";
pub(super) const HISTORY: &str = "INSERT INTO history (invoice_id, version, at, user_name, action, \
     from_status, to_status, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const ATTEMPT: &str =
    "INSERT INTO attempts (invoice_id, n, at, answer, detail) VALUES ($1, $2, $3, $4, $5)";
const COUNTER: &str = "INSERT INTO counters (series, period, last) VALUES ($1, $2, 1) \
     ON CONFLICT (series, period) DO UPDATE SET last = counters.last + 1 RETURNING last";
const INSERT: &str = "INSERT INTO invoices (number, series, period, seq, imported, status, \
     version, content, attempts, created_at, updated_at) \
     VALUES ($1, $2, $3, $4, $5, 'Concept', 1, $6, 0, $7, $7) RETURNING id";

/// `config` with factuur's keepalive settings where `url` leaves them out.
fn with_keepalives(mut config: postgres::Config, url: &str) -> postgres::Config {
    if !url.contains("keepalives_idle") {
        config.keepalives_idle(Duration::from_secs(15));
    }
    if config.get_keepalives_interval().is_none() {
        config.keepalives_interval(Duration::from_secs(5));
    }
    if config.get_keepalives_retries().is_none() {
        config.keepalives_retries(3);
    }
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(Duration::from_secs(30));
    }
    config
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user@host:port/db`, or key-value form; a host that is a
    /// path means a Unix socket), without TLS: use it on loopback, a socket or a private
    /// network.
    ///
    /// TCP keepalives are on (idle 15 s, then every 5 s, 3 tries) and unacknowledged data
    /// times out after 30 s, unless the URL sets them itself: the server then notices a
    /// dead client within about half a minute and frees its session's advisory run lock,
    /// instead of after the system's two hours.
    pub fn connect(url: &str) -> Result<PostgresStore, LedgerError> {
        let config = with_keepalives(url.parse::<postgres::Config>()?, url);
        let client = config.connect(NoTls)?;
        Ok(PostgresStore {
            client,
            statements: HashMap::new(),
            cache: ContentCache::default(),
            run_lock: false,
        })
    }

    /// The client, for a backend's own queries.
    pub fn client(&mut self) -> &mut Client {
        &mut self.client
    }

    pub(super) fn stmt(&mut self, sql: &'static str) -> Result<Statement, LedgerError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql)?;
        self.statements.insert(sql, s.clone());
        Ok(s)
    }
}

pub(super) fn is_unique(e: &postgres::Error, constraint: &str) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
        && e.as_db_error()
            .and_then(|d| d.constraint())
            .is_some_and(|c| c == constraint)
}

fn read_invoice(r: &Row, cache: &mut ContentCache) -> Result<StoredInvoice, LedgerError> {
    let number: String = r.try_get(1)?;
    let status: String = r.try_get(3)?;
    let via: Option<String> = r.try_get(11)?;
    let opt_time = |v: Option<i64>| v.map(from_millis).transpose();
    let content: String = r.try_get(14)?;
    let attempts: i32 = r.try_get(10)?;
    let id: i64 = r.try_get(0)?;
    Ok(StoredInvoice {
        id,
        series: r.try_get(2)?,
        status: parse_status(&status)?,
        version: r.try_get(4)?,
        imported: r.try_get(5)?,
        gks: r.try_get(6)?,
        reporting: Reporting {
            ticket: r.try_get(7)?,
            reported_at: opt_time(r.try_get(8)?)?,
            next_attempt: opt_time(r.try_get(9)?)?,
            attempts: u32::try_from(attempts)
                .map_err(|_| LedgerError::Corrupt(format!("attempts {attempts}")))?,
            via: match via {
                None => None,
                Some(v) => Some(
                    Channel::from_name(&v)
                        .ok_or_else(|| LedgerError::Corrupt(format!("unknown channel {v:?}")))?,
                ),
            },
        },
        created_at: from_millis(r.try_get(12)?)?,
        updated_at: from_millis(r.try_get(13)?)?,
        invoice: cache.parse(id, &number, content)?,
        number,
    })
}

pub(super) fn insert_history(
    tx: &mut Transaction<'_>,
    stmt: &Statement,
    id: i64,
    version: i64,
    entries: &[Entry],
) -> Result<(), LedgerError> {
    for e in entries {
        tx.execute(
            stmt,
            &[
                &id,
                &version,
                &millis(e.at),
                &e.user,
                &e.action.as_str(),
                &e.from.map(|s| s.as_str()),
                &e.to.as_str(),
                &e.detail,
            ],
        )?;
    }
    Ok(())
}

fn insert_attempt(
    tx: &mut Transaction<'_>,
    stmt: &Statement,
    id: i64,
    a: &Attempt,
) -> Result<(), LedgerError> {
    let detail = match &a.answer {
        Answer::Ticket(t) => Some(t.as_str()),
        Answer::NotYet => None,
        Answer::Failed(e) => Some(e.as_str()),
    };
    let n = i32::try_from(a.n).unwrap_or(i32::MAX);
    tx.execute(stmt, &[&id, &n, &millis(a.at), &a.answer.kind(), &detail])?;
    Ok(())
}

impl Store for PostgresStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    fn migrate(&mut self) -> Result<(), LedgerError> {
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
        )?;
        let current: i64 = tx
            .query_one(
                "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations",
                &[],
            )?
            .try_get(0)?;
        let now = millis(DateTime::<Utc>::from(std::time::SystemTime::now()));
        for m in POSTGRES_MIGRATIONS.iter().filter(|m| m.version > current) {
            tx.batch_execute(m.sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                &[&m.version, &m.name, &now],
            )?;
        }
        tx.commit()?;
        self.statements.clear();
        Ok(())
    }

    fn schema_version(&mut self) -> Result<i64, LedgerError> {
        let exists: bool = self
            .client
            .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])?
            .try_get(0)?;
        if !exists {
            return Ok(0);
        }
        Ok(self
            .client
            .query_one(
                "SELECT COALESCE(MAX(version), 0)::BIGINT FROM schema_migrations",
                &[],
            )?
            .try_get(0)?)
    }

    fn grant(
        &mut self,
        user: &str,
        grant: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, LedgerError> {
        let n = self.client.execute(
            "INSERT INTO grants (user_name, grant_name, granted_by, granted_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
            &[&user, &grant, &by, &millis(at)],
        )?;
        Ok(n == 1)
    }

    fn grants(&mut self, user: &str) -> Result<Vec<String>, LedgerError> {
        let s = self.stmt(GRANTS)?;
        let rows = self.client.query(&s, &[&user])?;
        rows.iter()
            .map(|r| r.try_get(0).map_err(Into::into))
            .collect()
    }

    fn has_admin(&mut self) -> Result<bool, LedgerError> {
        Ok(self
            .client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM grants WHERE grant_name IN ('admin', 'ledger.admin'))",
                &[],
            )?
            .try_get(0)?)
    }

    fn put_series(&mut self, series: &Series, at: DateTime<Utc>) -> Result<(), LedgerError> {
        self.client.execute(
            "INSERT INTO series (name, format, gks, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)
             ON CONFLICT (name) DO UPDATE SET format = excluded.format, gks = excluded.gks,
                 updated_at = excluded.updated_at",
            &[&series.name, &series.format, &series.gks, &millis(at)],
        )?;
        Ok(())
    }

    fn series(&mut self, name: &str) -> Result<Option<Series>, LedgerError> {
        let row = self.client.query_opt(
            "SELECT name, format, gks FROM series WHERE name = $1",
            &[&name],
        )?;
        row.map(|r| {
            Ok(Series {
                name: r.try_get(0)?,
                format: r.try_get(1)?,
                gks: r.try_get(2)?,
            })
        })
        .transpose()
    }

    fn all_series(&mut self) -> Result<Vec<Series>, LedgerError> {
        self.client
            .query("SELECT name, format, gks FROM series ORDER BY name", &[])?
            .iter()
            .map(|r| {
                Ok(Series {
                    name: r.try_get(0)?,
                    format: r.try_get(1)?,
                    gks: r.try_get(2)?,
                })
            })
            .collect()
    }

    fn insert(&mut self, new: &NewInvoice<'_>) -> Result<StoredInvoice, LedgerError> {
        let counter = self.stmt(COUNTER)?;
        let insert = self.stmt(INSERT)?;
        let history = self.stmt(HISTORY)?;
        let mut tx = self.client.transaction()?;
        let series = match new.series {
            Some(name) => Some(
                tx.query_opt("SELECT format, gks FROM series WHERE name = $1", &[&name])?
                    .map(|r| -> Result<(String, bool), LedgerError> {
                        Ok((r.try_get(0)?, r.try_get(1)?))
                    })
                    .transpose()?
                    .ok_or_else(|| LedgerError::UnknownSeries(name.to_owned()))?,
            ),
            None => None,
        };
        let (number, period, seq) = if new.keep_number {
            (new.invoice.number.clone(), None, None)
        } else {
            let (format, _) = series
                .as_ref()
                .ok_or_else(|| LedgerError::Invalid("a new number needs a number series".into()))?;
            let format = SeriesFormat::parse(format)?;
            let year = year_of(new.at);
            let period = format.period(year);
            let last: i64 = tx
                .query_one(&counter, &[&new.series, &period])?
                .try_get(0)?;
            (
                format.format(year, last.unsigned_abs()),
                Some(period),
                Some(last),
            )
        };
        let mut invoice = new.invoice.clone();
        invoice.number = number.clone();
        let at = millis(new.at);
        let content = content_json(&invoice);
        let params: [&(dyn ToSql + Sync); 7] = [
            &number,
            &new.series,
            &period,
            &seq,
            &new.keep_number,
            &content,
            &at,
        ];
        let id: i64 = match tx.query_one(&insert, &params) {
            Err(e) if is_unique(&e, "invoices_number_key") => {
                return Err(LedgerError::DuplicateNumber(number));
            }
            other => other?.try_get(0)?,
        };
        insert_history(&mut tx, &history, id, 1, &[created_entry(new, &number)])?;
        tx.commit()?;
        Ok(StoredInvoice {
            id,
            number,
            series: new.series.map(str::to_owned),
            status: crate::lifecycle::Status::Concept,
            version: 1,
            imported: new.keep_number,
            gks: series.is_some_and(|(_, gks)| gks),
            reporting: Reporting::default(),
            created_at: new.at,
            updated_at: new.at,
            invoice,
        })
    }

    fn get(&mut self, number: &str) -> Result<Option<StoredInvoice>, LedgerError> {
        let s = self.stmt(GET)?;
        self.client
            .query_opt(&s, &[&number])?
            .map(|r| read_invoice(&r, &mut self.cache))
            .transpose()
    }

    fn list(&mut self, filter: &ListFilter) -> Result<Vec<Summary>, LedgerError> {
        let status = filter.status.map(|s| s.as_str());
        self.client
            .query(
                "SELECT number, series, status, version, ticket, next_attempt, updated_at FROM invoices
                 WHERE ($1::TEXT IS NULL OR status = $1) AND ($2::TEXT IS NULL OR series = $2)
                 ORDER BY number",
                &[&status, &filter.series],
            )?
            .iter()
            .map(|r| {
                let status: String = r.try_get(2)?;
                Ok(Summary {
                    number: r.try_get(0)?,
                    series: r.try_get(1)?,
                    status: parse_status(&status)?,
                    version: r.try_get(3)?,
                    ticket: r.try_get(4)?,
                    next_attempt: r
                        .try_get::<_, Option<i64>>(5)?
                        .map(from_millis)
                        .transpose()?,
                    updated_at: from_millis(r.try_get(6)?)?,
                })
            })
            .collect()
    }

    fn commit(&mut self, change: &Change<'_>) -> Result<i64, LedgerError> {
        let update = self.stmt(UPDATE)?;
        let history = self.stmt(HISTORY)?;
        let attempt = self.stmt(ATTEMPT)?;
        let r = change.reporting;
        let content = change.invoice.map(content_json);
        let reported_at = r.reported_at.map(millis);
        let next_attempt = r.next_attempt.map(millis);
        let attempts = i32::try_from(r.attempts).unwrap_or(i32::MAX);
        let via = r.via.map(Channel::as_str);
        let at = millis(change.at);
        let mut tx = self.client.transaction()?;
        let params: [&(dyn ToSql + Sync); 10] = [
            &change.status.as_str(),
            &content,
            &r.ticket,
            &reported_at,
            &next_attempt,
            &attempts,
            &via,
            &at,
            &change.id,
            &change.expected_version,
        ];
        let updated = tx.execute(&update, &params)?;
        if updated == 0 {
            let found: Option<i64> = tx
                .query_opt("SELECT version FROM invoices WHERE id = $1", &[&change.id])?
                .map(|r| r.try_get(0))
                .transpose()?;
            return Err(match found {
                Some(found) => LedgerError::Conflict {
                    number: change.number.to_owned(),
                    expected: change.expected_version,
                    found,
                },
                None => LedgerError::NotFound(change.number.to_owned()),
            });
        }
        let version = change.expected_version + 1;
        insert_history(&mut tx, &history, change.id, version, change.history)?;
        if let Some(a) = change.attempt {
            insert_attempt(&mut tx, &attempt, change.id, a)?;
        }
        tx.commit()?;
        if let (Some(text), Some(inv)) = (content, change.invoice) {
            self.cache.remember(change.id, text, inv.clone());
        }
        Ok(version)
    }

    fn append(
        &mut self,
        id: i64,
        history: &[Entry],
        attempt: Option<&Attempt>,
    ) -> Result<(), LedgerError> {
        let hist = self.stmt(HISTORY)?;
        let att = self.stmt(ATTEMPT)?;
        let mut tx = self.client.transaction()?;
        let version: i64 = tx
            .query_opt("SELECT version FROM invoices WHERE id = $1", &[&id])?
            .ok_or_else(|| LedgerError::NotFound(format!("#{id}")))?
            .try_get(0)?;
        insert_history(&mut tx, &hist, id, version, history)?;
        if let Some(a) = attempt {
            insert_attempt(&mut tx, &att, id, a)?;
        }
        tx.commit()?;
        Ok(())
    }

    fn history(&mut self, number: &str) -> Result<Vec<Recorded>, LedgerError> {
        self.client
            .query(
                "SELECT h.seq, h.version, h.at, h.user_name, h.action, h.from_status, h.to_status, h.detail
                 FROM history h JOIN invoices i ON i.id = h.invoice_id
                 WHERE i.number = $1 ORDER BY h.seq",
                &[&number],
            )?
            .iter()
            .map(|r| {
                let action: String = r.try_get(4)?;
                let to: String = r.try_get(6)?;
                Ok(Recorded {
                    seq: r.try_get(0)?,
                    version: r.try_get(1)?,
                    entry: entry_from(
                        r.try_get(2)?,
                        r.try_get(3)?,
                        &action,
                        r.try_get(5)?,
                        &to,
                        r.try_get(7)?,
                    )?,
                })
            })
            .collect()
    }

    fn attempts(&mut self, number: &str) -> Result<Vec<Attempt>, LedgerError> {
        self.client
            .query(
                "SELECT a.n, a.at, a.answer, a.detail FROM attempts a JOIN invoices i ON i.id = a.invoice_id
                 WHERE i.number = $1 ORDER BY a.seq",
                &[&number],
            )?
            .iter()
            .map(|r| {
                let kind: String = r.try_get(2)?;
                let n: i32 = r.try_get(0)?;
                Ok(Attempt {
                    n: u32::try_from(n).unwrap_or(0),
                    at: from_millis(r.try_get(1)?)?,
                    answer: answer_from(&kind, r.try_get(3)?)?,
                })
            })
            .collect()
    }

    fn due(&mut self, now: DateTime<Utc>, limit: usize) -> Result<Vec<String>, LedgerError> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.client
            .query(
                "SELECT number FROM invoices
                 WHERE status = 'Gemeld' AND ticket IS NULL AND next_attempt <= $1
                 ORDER BY next_attempt, id LIMIT $2",
                &[&millis(now), &limit],
            )?
            .iter()
            .map(|r| r.try_get(0).map_err(Into::into))
            .collect()
    }

    fn next_due(&mut self) -> Result<Option<DateTime<Utc>>, LedgerError> {
        let t: Option<i64> = self
            .client
            .query_one(
                "SELECT MIN(next_attempt) FROM invoices WHERE status = 'Gemeld'",
                &[],
            )?
            .try_get(0)?;
        t.map(from_millis).transpose()
    }

    fn lapse(&mut self, lapsed: &LapsedNumber) -> Result<(), LedgerError> {
        let mut tx = self.client.transaction()?;
        let exists: bool = tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM series WHERE name = $1)",
                &[&lapsed.series],
            )?
            .try_get(0)?;
        if !exists {
            return Err(LedgerError::UnknownSeries(lapsed.series.clone()));
        }
        let r = tx.execute(
            "INSERT INTO lapsed_numbers (series, number, run, reason, at) VALUES ($1, $2, $3, $4, $5)",
            &[
                &lapsed.series,
                &lapsed.number,
                &lapsed.run,
                &lapsed.reason,
                &millis(lapsed.at),
            ],
        );
        match r {
            Err(e) if is_unique(&e, "lapsed_numbers_pkey") => {
                return Err(LedgerError::Invalid(format!(
                    "number {} of series {} has already lapsed",
                    lapsed.number, lapsed.series
                )));
            }
            other => other?,
        };
        tx.commit()?;
        Ok(())
    }

    fn lapsed(&mut self, series: &str) -> Result<Vec<LapsedNumber>, LedgerError> {
        self.client
            .query(
                "SELECT series, number, run, reason, at FROM lapsed_numbers WHERE series = $1 ORDER BY number",
                &[&series],
            )?
            .iter()
            .map(|r| {
                Ok(LapsedNumber {
                    series: r.try_get(0)?,
                    number: r.try_get(1)?,
                    run: r.try_get(2)?,
                    reason: r.try_get(3)?,
                    at: from_millis(r.try_get(4)?)?,
                })
            })
            .collect()
    }

    fn counters(&mut self) -> Result<Vec<Counter>, LedgerError> {
        self.client
            .query(
                "SELECT series, period, last FROM counters ORDER BY series, period",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(Counter {
                    series: r.try_get(0)?,
                    period: r.try_get(1)?,
                    last: r.try_get(2)?,
                })
            })
            .collect()
    }

    fn runs(&mut self) -> Option<&mut dyn super::runs::RunStore> {
        Some(self)
    }

    fn numbered(&mut self) -> Result<Vec<Numbered>, LedgerError> {
        self.client
            .query(
                "SELECT series, period, seq, number FROM invoices WHERE seq IS NOT NULL
                 ORDER BY series, period, seq",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(Numbered {
                    series: r.try_get(0)?,
                    period: r.try_get(1)?,
                    seq: r.try_get(2)?,
                    number: r.try_get(3)?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connections_keep_alive_unless_the_url_says_otherwise() {
        let url = "postgres://u@localhost/db";
        let c = with_keepalives(url.parse().unwrap(), url);
        assert!(c.get_keepalives());
        assert_eq!(c.get_keepalives_idle(), Duration::from_secs(15));
        assert_eq!(c.get_keepalives_interval(), Some(Duration::from_secs(5)));
        assert_eq!(c.get_keepalives_retries(), Some(3));
        assert_eq!(c.get_tcp_user_timeout(), Some(&Duration::from_secs(30)));
        let url = "host=/tmp user=u keepalives_idle=60 keepalives_interval=7 keepalives_retries=9 tcp_user_timeout=11";
        let c = with_keepalives(url.parse().unwrap(), url);
        assert_eq!(c.get_keepalives_idle(), Duration::from_secs(60));
        assert_eq!(c.get_keepalives_interval(), Some(Duration::from_secs(7)));
        assert_eq!(c.get_keepalives_retries(), Some(9));
        assert_eq!(c.get_tcp_user_timeout(), Some(&Duration::from_secs(11)));
        let url = "postgres://u@localhost/db?keepalives=0";
        assert!(!with_keepalives(url.parse().unwrap(), url).get_keepalives());
    }
}
