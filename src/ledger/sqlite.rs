//! The embedded ledger: SQLite through rusqlite with the bundled library (nothing to install).
//!
//! One file, in WAL mode (readers never wait for the writer), with a busy timeout so that
//! several processes on one machine take turns instead of failing. Every change is one
//! `BEGIN IMMEDIATE` transaction: the write lock is taken at the start, so a transaction never
//! has to give up half-way to upgrade a read lock.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, TransactionBehavior, params};

use crate::lifecycle::history::Recorded;
use crate::lifecycle::numbering::SeriesFormat;
use crate::lifecycle::{Action, Answer, Attempt, Channel, Entry, Reporting};

use super::migrations::SQLITE_MIGRATIONS;
use super::store::{
    Change, Counter, LapsedNumber, ListFilter, NewInvoice, Numbered, Series, Store, StoredInvoice,
    Summary,
};
use super::{
    ContentCache, LedgerError, content_json, created_entry, from_millis, millis, parse_status,
    year_of,
};

/// How long a writer waits for another process's transaction before giving up with
/// [`LedgerError::Busy`].
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// When SQLite forces a commit to disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Synchronous {
    /// Every commit is on disk before it is acknowledged: nothing acknowledged is lost, not
    /// even by a power failure. The default.
    #[default]
    Full,
    /// In WAL mode, commits survive a crash of the process (they are in the operating
    /// system's hands), but the last ones may be lost if the machine loses power. The
    /// database is never corrupted either way.
    Normal,
}

/// A [`Store`] in an SQLite file.
pub struct SqliteStore {
    pub(super) conn: Connection,
    pub(super) cache: ContentCache,
    /// The run lock's file, while this store holds it.
    pub(super) run_lock: Option<std::fs::File>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.conn.path())
            .finish()
    }
}

const INVOICE_COLUMNS: &str = "i.id, i.number, i.series, i.status, i.version, i.imported, \
     COALESCE(i.gks, s.gks, 0), i.ticket, i.reported_at, i.next_attempt, i.attempts, i.via, \
     i.created_at, i.updated_at, i.content";

impl SqliteStore {
    /// Opens (or creates) the ledger file at `path` with [`Synchronous::Full`]. `:memory:` is
    /// a private in-memory database.
    pub fn open(path: &str) -> Result<SqliteStore, LedgerError> {
        SqliteStore::open_with(path, Synchronous::default())
    }

    /// Opens with the given durability.
    pub fn open_with(path: &str, sync: Synchronous) -> Result<SqliteStore, LedgerError> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Setting WAL needs a moment of exclusive access; the busy timeout covers other
        // processes opening at the same time.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch(match sync {
            Synchronous::Full => "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;",
            Synchronous::Normal => "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;",
        })?;
        conn.set_prepared_statement_cache_capacity(32);
        // Plans that do not depend on the values bound: otherwise SQLite may prepare a cached
        // statement again every time a parameter is bound (the hot path's cost, measured).
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
            true,
        )?;
        Ok(SqliteStore {
            conn,
            cache: ContentCache::default(),
            run_lock: None,
        })
    }

    /// The connection, for a backend's own queries.
    pub fn connection(&mut self) -> &mut Connection {
        &mut self.conn
    }

    pub(super) fn write(&mut self) -> Result<rusqlite::Transaction<'_>, LedgerError> {
        Ok(self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?)
    }
}

pub(super) fn is_unique(e: &rusqlite::Error, column: &str) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, Some(msg))
        if f.code == ErrorCode::ConstraintViolation && msg.contains("UNIQUE") && msg.contains(column))
}

fn read_invoice(r: &Row<'_>, cache: &mut ContentCache) -> Result<StoredInvoice, LedgerError> {
    let number: String = r.get(1)?;
    let status: String = r.get(3)?;
    let via: Option<String> = r.get(11)?;
    let opt_time = |v: Option<i64>| v.map(from_millis).transpose();
    let content: String = r.get(14)?;
    let id: i64 = r.get(0)?;
    Ok(StoredInvoice {
        id,
        series: r.get(2)?,
        status: parse_status(&status)?,
        version: r.get(4)?,
        imported: r.get(5)?,
        gks: r.get(6)?,
        reporting: Reporting {
            ticket: r.get(7)?,
            reported_at: opt_time(r.get(8)?)?,
            next_attempt: opt_time(r.get(9)?)?,
            attempts: r.get(10)?,
            via: match via {
                None => None,
                Some(v) => Some(
                    Channel::from_name(&v)
                        .ok_or_else(|| LedgerError::Corrupt(format!("unknown channel {v:?}")))?,
                ),
            },
        },
        created_at: from_millis(r.get(12)?)?,
        updated_at: from_millis(r.get(13)?)?,
        invoice: cache.parse(id, &number, content)?,
        number,
    })
}

pub(super) fn insert_history(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    version: i64,
    entries: &[Entry],
) -> Result<(), LedgerError> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO history (invoice_id, version, at, user_name, action, from_status, to_status, detail) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for e in entries {
        stmt.execute(params![
            id,
            version,
            millis(e.at),
            e.user,
            e.action.as_str(),
            e.from.map(|s| s.as_str()),
            e.to.as_str(),
            e.detail
        ])?;
    }
    Ok(())
}

fn insert_attempt(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    attempt: &Attempt,
) -> Result<(), LedgerError> {
    let detail = match &attempt.answer {
        Answer::Ticket(t) => Some(t.as_str()),
        Answer::NotYet => None,
        Answer::Failed(e) => Some(e.as_str()),
    };
    tx.prepare_cached(
        "INSERT INTO attempts (invoice_id, n, at, answer, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        id,
        attempt.n,
        millis(attempt.at),
        attempt.answer.kind(),
        detail
    ])?;
    Ok(())
}

pub(crate) fn answer_from(kind: &str, detail: Option<String>) -> Result<Answer, LedgerError> {
    Ok(match kind {
        "ticket" => Answer::Ticket(detail.unwrap_or_default()),
        "none" => Answer::NotYet,
        "error" => Answer::Failed(detail.unwrap_or_default()),
        k => return Err(LedgerError::Corrupt(format!("unknown answer {k:?}"))),
    })
}

pub(crate) fn entry_from(
    at: i64,
    user: String,
    action: &str,
    from: Option<String>,
    to: &str,
    detail: String,
) -> Result<Entry, LedgerError> {
    Ok(Entry {
        at: from_millis(at)?,
        user,
        action: Action::from_name(action)
            .ok_or_else(|| LedgerError::Corrupt(format!("unknown history action {action:?}")))?,
        from: from.as_deref().map(parse_status).transpose()?,
        to: parse_status(to)?,
        detail,
    })
}

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn migrate(&mut self) -> Result<(), LedgerError> {
        let tx = self.write()?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (
                 version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
        )?;
        let current: i64 = tx.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )?;
        let now = millis(DateTime::<Utc>::from(std::time::SystemTime::now()));
        for m in SQLITE_MIGRATIONS.iter().filter(|m| m.version > current) {
            tx.execute_batch(m.sql)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                params![m.version, m.name, now],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    fn schema_version(&mut self) -> Result<i64, LedgerError> {
        let exists: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations')",
            [],
            |r| r.get(0),
        )?;
        if !exists {
            return Ok(0);
        }
        Ok(self.conn.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )?)
    }

    fn grant(
        &mut self,
        user: &str,
        grant: &str,
        by: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, LedgerError> {
        let tx = self.write()?;
        let n = tx.execute(
            "INSERT OR IGNORE INTO grants (user_name, grant_name, granted_by, granted_at) VALUES (?1, ?2, ?3, ?4)",
            params![user, grant, by, millis(at)],
        )?;
        tx.commit()?;
        Ok(n == 1)
    }

    fn grants(&mut self, user: &str) -> Result<Vec<String>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT grant_name FROM grants WHERE user_name = ?1 ORDER BY grant_name",
        )?;
        let rows = stmt.query_map([user], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn has_admin(&mut self) -> Result<bool, LedgerError> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM grants WHERE grant_name IN ('admin', 'ledger.admin'))",
            [],
            |r| r.get(0),
        )?)
    }

    fn put_series(&mut self, series: &Series, at: DateTime<Utc>) -> Result<(), LedgerError> {
        let tx = self.write()?;
        tx.execute(
            "INSERT INTO series (name, format, gks, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT (name) DO UPDATE SET format = excluded.format, gks = excluded.gks,
                 updated_at = excluded.updated_at",
            params![series.name, series.format, series.gks, millis(at)],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn series(&mut self, name: &str) -> Result<Option<Series>, LedgerError> {
        Ok(self
            .conn
            .prepare_cached("SELECT name, format, gks FROM series WHERE name = ?1")?
            .query_row([name], |r| {
                Ok(Series {
                    name: r.get(0)?,
                    format: r.get(1)?,
                    gks: r.get(2)?,
                })
            })
            .optional()?)
    }

    fn all_series(&mut self) -> Result<Vec<Series>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name, format, gks FROM series ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(Series {
                name: r.get(0)?,
                format: r.get(1)?,
                gks: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn insert(&mut self, new: &NewInvoice<'_>) -> Result<StoredInvoice, LedgerError> {
        let tx = self.write()?;
        let series = match new.series {
            Some(name) => Some(
                tx.prepare_cached("SELECT format, gks FROM series WHERE name = ?1")?
                    .query_row([name], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, bool>(1)?))
                    })
                    .optional()?
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
                .prepare_cached(
                    "INSERT INTO counters (series, period, last) VALUES (?1, ?2, 1)
                     ON CONFLICT (series, period) DO UPDATE SET last = last + 1 RETURNING last",
                )?
                .query_row(params![new.series, period], |r| r.get(0))?;
            (
                format.format(year, last.unsigned_abs()),
                Some(period),
                Some(last),
            )
        };
        let mut invoice = new.invoice.clone();
        invoice.number = number.clone();
        let at = millis(new.at);
        let inserted = tx
            .prepare_cached(
                "INSERT INTO invoices (number, series, period, seq, imported, status, version, content,
                     attempts, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'Concept', 1, ?6, 0, ?7, ?7)",
            )?
            .execute(params![
                number,
                new.series,
                period,
                seq,
                new.keep_number,
                content_json(&invoice),
                at
            ]);
        match inserted {
            Err(e) if is_unique(&e, "invoices.number") => {
                return Err(LedgerError::DuplicateNumber(number));
            }
            other => other?,
        };
        let id = tx.last_insert_rowid();
        insert_history(&tx, id, 1, &[created_entry(new, &number)])?;
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
        let SqliteStore { conn, cache, .. } = self;
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {INVOICE_COLUMNS} FROM invoices i LEFT JOIN series s ON s.name = i.series
             WHERE i.number = ?1"
        ))?;
        let mut rows = stmt.query([number])?;
        match rows.next()? {
            Some(r) => Ok(Some(read_invoice(r, cache)?)),
            None => Ok(None),
        }
    }

    fn list(&mut self, filter: &ListFilter) -> Result<Vec<Summary>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT number, series, status, version, ticket, next_attempt, updated_at FROM invoices
             WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR series = ?2)
             ORDER BY number",
        )?;
        let mut rows = stmt.query(params![filter.status.map(|s| s.as_str()), filter.series])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let status: String = r.get(2)?;
            out.push(Summary {
                number: r.get(0)?,
                series: r.get(1)?,
                status: parse_status(&status)?,
                version: r.get(3)?,
                ticket: r.get(4)?,
                next_attempt: r.get::<_, Option<i64>>(5)?.map(from_millis).transpose()?,
                updated_at: from_millis(r.get(6)?)?,
            });
        }
        Ok(out)
    }

    fn commit(&mut self, change: &Change<'_>) -> Result<i64, LedgerError> {
        let content = change.invoice.map(content_json);
        let tx = self.write()?;
        let r = change.reporting;
        let updated = tx
            .prepare_cached(
                "UPDATE invoices SET status = ?1, content = COALESCE(?2, content), ticket = ?3,
                     reported_at = ?4, next_attempt = ?5, attempts = ?6, via = ?7,
                     version = version + 1, updated_at = ?8
                 WHERE id = ?9 AND version = ?10",
            )?
            .execute(params![
                change.status.as_str(),
                content,
                r.ticket,
                r.reported_at.map(millis),
                r.next_attempt.map(millis),
                r.attempts,
                r.via.map(Channel::as_str),
                millis(change.at),
                change.id,
                change.expected_version
            ])?;
        if updated == 0 {
            let found: Option<i64> = tx
                .query_row(
                    "SELECT version FROM invoices WHERE id = ?1",
                    [change.id],
                    |r| r.get(0),
                )
                .optional()?;
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
        insert_history(&tx, change.id, version, change.history)?;
        if let Some(a) = change.attempt {
            insert_attempt(&tx, change.id, a)?;
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
        let tx = self.write()?;
        let version: i64 = tx
            .query_row("SELECT version FROM invoices WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| LedgerError::NotFound(format!("#{id}")))?;
        insert_history(&tx, id, version, history)?;
        if let Some(a) = attempt {
            insert_attempt(&tx, id, a)?;
        }
        tx.commit()?;
        Ok(())
    }

    fn history(&mut self, number: &str) -> Result<Vec<Recorded>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT h.seq, h.version, h.at, h.user_name, h.action, h.from_status, h.to_status, h.detail
             FROM history h JOIN invoices i ON i.id = h.invoice_id
             WHERE i.number = ?1 ORDER BY h.seq",
        )?;
        let mut rows = stmt.query([number])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let action: String = r.get(4)?;
            let to: String = r.get(6)?;
            out.push(Recorded {
                seq: r.get(0)?,
                version: r.get(1)?,
                entry: entry_from(r.get(2)?, r.get(3)?, &action, r.get(5)?, &to, r.get(7)?)?,
            });
        }
        Ok(out)
    }

    fn attempts(&mut self, number: &str) -> Result<Vec<Attempt>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.n, a.at, a.answer, a.detail FROM attempts a JOIN invoices i ON i.id = a.invoice_id
             WHERE i.number = ?1 ORDER BY a.seq",
        )?;
        let mut rows = stmt.query([number])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let kind: String = r.get(2)?;
            out.push(Attempt {
                n: r.get(0)?,
                at: from_millis(r.get(1)?)?,
                answer: answer_from(&kind, r.get(3)?)?,
            });
        }
        Ok(out)
    }

    fn due(&mut self, now: DateTime<Utc>, limit: usize) -> Result<Vec<String>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT number FROM invoices
             WHERE status = 'Gemeld' AND ticket IS NULL AND next_attempt <= ?1
             ORDER BY next_attempt, id LIMIT ?2",
        )?;
        let rows = stmt.query_map(
            params![millis(now), i64::try_from(limit).unwrap_or(i64::MAX)],
            |r| r.get(0),
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn next_due(&mut self) -> Result<Option<DateTime<Utc>>, LedgerError> {
        let t: Option<i64> = self.conn.query_row(
            "SELECT MIN(next_attempt) FROM invoices WHERE status = 'Gemeld'",
            [],
            |r| r.get(0),
        )?;
        t.map(from_millis).transpose()
    }

    fn lapse(&mut self, lapsed: &LapsedNumber) -> Result<(), LedgerError> {
        let tx = self.write()?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM series WHERE name = ?1)",
            [&lapsed.series],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(LedgerError::UnknownSeries(lapsed.series.clone()));
        }
        let r = tx.execute(
            "INSERT INTO lapsed_numbers (series, number, run, reason, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                lapsed.series,
                lapsed.number,
                lapsed.run,
                lapsed.reason,
                millis(lapsed.at)
            ],
        );
        match r {
            Err(e) if is_unique(&e, "lapsed_numbers") => {
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
        let mut stmt = self.conn.prepare_cached(
            "SELECT series, number, run, reason, at FROM lapsed_numbers WHERE series = ?1 ORDER BY number",
        )?;
        let mut rows = stmt.query([series])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(LapsedNumber {
                series: r.get(0)?,
                number: r.get(1)?,
                run: r.get(2)?,
                reason: r.get(3)?,
                at: from_millis(r.get(4)?)?,
            });
        }
        Ok(out)
    }

    fn counters(&mut self) -> Result<Vec<Counter>, LedgerError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT series, period, last FROM counters ORDER BY series, period")?;
        let rows = stmt.query_map([], |r| {
            Ok(Counter {
                series: r.get(0)?,
                period: r.get(1)?,
                last: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn runs(&mut self) -> Option<&mut dyn super::runs::RunStore> {
        Some(self)
    }

    fn numbered(&mut self) -> Result<Vec<Numbered>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT series, period, seq, number FROM invoices WHERE seq IS NOT NULL
             ORDER BY series, period, seq",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Numbered {
                series: r.get(0)?,
                period: r.get(1)?,
                seq: r.get(2)?,
                number: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
