//! Invoice runs in the SQLite ledger. The run lock is an advisory lock on a file beside the
//! ledger (`<ledger>.run-lock`), which the operating system releases when the process that
//! holds it dies; every write is one `BEGIN IMMEDIATE` transaction.

use std::collections::HashMap;
use std::fs::{File, TryLockError};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};

use super::runs::{
    ClaimedSlice, DIED_QUEUED, DIED_RUNNING, JournalExport, JournalSource, NewRun,
    ProductionCommit, RUN_COLUMNS, RUN_INVOICE_COLUMNS, RawRun, RawRunInvoice, ReturnMessage,
    RollbackDecision, RollbackFacts, RollbackPlan, RowSource, RunInvoice, RunLedgerInvoice,
    RunOutcome, RunRecord, RunStore, SliceRenderer, StagedDocument, date, ended_refusal, iso,
    row_counts,
};
use super::sqlite::{SqliteStore, insert_history, is_unique};
use super::{LedgerError, from_millis, millis, parse_status};

fn raw_run(r: &Row<'_>) -> rusqlite::Result<RawRun> {
    Ok(RawRun {
        id: r.get(0)?,
        mode: r.get(1)?,
        profile: r.get(2)?,
        profile_text: r.get(3)?,
        date_from: r.get(4)?,
        date_to: r.get(5)?,
        booking_date: r.get(6)?,
        description: r.get(7)?,
        user: r.get(8)?,
        state: r.get(9)?,
        holder: r.get(10)?,
        heartbeat: r.get(11)?,
        queued_at: r.get(12)?,
        started_at: r.get(13)?,
        finished_at: r.get(14)?,
        counts: [r.get(15)?, r.get(16)?, r.get(17)?, r.get(18)?, r.get(19)?],
        series: r.get(20)?,
        period: r.get(21)?,
        first_seq: r.get(22)?,
        last_seq: r.get(23)?,
        zip_path: r.get(24)?,
        zip_temp: r.get(25)?,
        message: r.get(26)?,
        rolled_back_at: r.get(27)?,
        rolled_back_by: r.get(28)?,
        rollback_reason: r.get(29)?,
    })
}

fn runs_where(
    conn: &rusqlite::Connection,
    condition: &str,
    p: impl rusqlite::Params,
) -> Result<Vec<RunRecord>, LedgerError> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {RUN_COLUMNS} FROM runs WHERE {condition}"))?;
    let raws: Vec<RawRun> = stmt.query_map(p, raw_run)?.collect::<Result<_, _>>()?;
    raws.into_iter().map(RawRun::check).collect()
}

fn raw_run_invoice(r: &Row<'_>) -> rusqlite::Result<RawRunInvoice> {
    Ok(RawRunInvoice {
        position: r.get(0)?,
        number: r.get(1)?,
        invoice_id: r.get(2)?,
        draft_key: r.get(3)?,
        source: r.get(4)?,
        type_code: r.get(5)?,
        status: r.get(6)?,
        customer: r.get(7)?,
        kvk: r.get(8)?,
        issue_date: r.get(9)?,
        currency: r.get(10)?,
        net: r.get(11)?,
        vat: r.get(12)?,
        total: r.get(13)?,
        vat_rates: r.get(14)?,
        findings: r.get(15)?,
    })
}

fn insert_rows(
    tx: &Transaction<'_>,
    run: i64,
    rows: &dyn RowSource,
    ids: &HashMap<i64, i64>,
) -> Result<(i64, i64, i64), LedgerError> {
    let mut stmt = tx.prepare_cached(&format!(
        "INSERT INTO run_invoices (run_id, {RUN_INVOICE_COLUMNS}) VALUES \
         (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)"
    ))?;
    row_counts(rows, |r| {
        stmt.execute(params![
            run,
            r.position,
            r.number,
            ids.get(&r.position).copied().or(r.invoice_id),
            r.draft_key,
            r.source,
            r.type_code,
            r.status,
            r.customer,
            r.kvk,
            iso(r.issue_date),
            r.currency,
            r.net,
            r.vat,
            r.total,
            r.vat_rates.as_str(),
            r.findings.as_str(),
        ])?;
        Ok(())
    })
}

fn drop_staging_tx(tx: &Transaction<'_>, run: i64) -> Result<(), LedgerError> {
    tx.execute("DELETE FROM run_slices WHERE run_id = ?1", [run])?;
    tx.execute("DELETE FROM run_documents WHERE run_id = ?1", [run])?;
    tx.execute("DELETE FROM run_items WHERE run_id = ?1", [run])?;
    Ok(())
}

fn lock_path(store: &SqliteStore) -> Option<String> {
    store
        .conn
        .path()
        .filter(|p| !p.is_empty())
        .map(|p| format!("{p}.run-lock"))
}

impl RunStore for SqliteStore {
    fn shared(&self) -> bool {
        false
    }

    fn counter(&mut self, series: &str, period: i32) -> Result<i64, LedgerError> {
        Ok(self
            .conn
            .query_row(
                "SELECT last FROM counters WHERE series = ?1 AND period = ?2",
                params![series, period],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0))
    }

    fn register_run(&mut self, run: &NewRun<'_>) -> Result<i64, LedgerError> {
        let tx = self.write()?;
        let at = millis(run.at);
        tx.execute(
            "INSERT INTO runs (mode, profile, profile_text, date_from, date_to, booking_date,
                 description, user_name, state, holder, heartbeat, queued_at, drafts, zip_path,
                 zip_temp)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'queued', ?9, ?10, ?10, ?11, ?12, ?13)",
            params![
                run.mode.as_str(),
                run.profile,
                run.profile_text,
                iso(run.from),
                iso(run.to),
                iso(run.booking_date),
                run.description,
                run.user,
                run.holder,
                at,
                run.drafts,
                run.zip_path,
                run.zip_temp
            ],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(id)
    }

    fn heartbeat(
        &mut self,
        run: i64,
        at: DateTime<Utc>,
        progress: Option<i64>,
    ) -> Result<(), LedgerError> {
        let tx = self.write()?;
        tx.prepare_cached(
            "UPDATE runs SET heartbeat = ?1, progress = COALESCE(?2, progress) WHERE id = ?3",
        )?
        .execute(params![millis(at), progress, run])?;
        tx.commit()?;
        Ok(())
    }

    fn try_run_lock(&mut self) -> Result<bool, LedgerError> {
        if self.run_lock.is_some() {
            return Ok(true);
        }
        let Some(path) = lock_path(self) else {
            return Ok(true);
        };
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| LedgerError::Invalid(format!("run lock {path}: {e}")))?;
        match file.try_lock() {
            Ok(()) => {
                self.run_lock = Some(file);
                Ok(true)
            }
            Err(TryLockError::WouldBlock) => Ok(false),
            Err(TryLockError::Error(e)) => {
                Err(LedgerError::Invalid(format!("run lock {path}: {e}")))
            }
        }
    }

    fn release_run_lock(&mut self) -> Result<(), LedgerError> {
        if let Some(f) = self.run_lock.take() {
            f.unlock()
                .map_err(|e| LedgerError::Invalid(format!("run lock: {e}")))?;
        }
        Ok(())
    }

    fn start_run(
        &mut self,
        run: i64,
        at: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<(Vec<RunRecord>, Vec<RunRecord>), LedgerError> {
        let tx = self.write()?;
        let mut abandoned = runs_where(
            &tx,
            "id <> ?1 AND (state = 'running' OR (state = 'queued' AND heartbeat < ?2)) ORDER BY id",
            params![run, millis(stale_before)],
        )?;
        for r in &mut abandoned {
            let why = if r.state == super::RunState::Running {
                DIED_RUNNING
            } else {
                DIED_QUEUED
            };
            tx.execute(
                "UPDATE runs SET state = 'abandoned', finished_at = ?1, message = ?2 WHERE id = ?3",
                params![millis(at), why, r.id],
            )?;
            drop_staging_tx(&tx, r.id)?;
            r.message = Some(why.to_owned());
        }
        let unfinished = runs_where(&tx, "state = 'committed' ORDER BY id", [])?;
        let n = tx.execute(
            "UPDATE runs SET state = 'running', started_at = ?1, heartbeat = ?1
             WHERE id = ?2 AND state = 'queued'",
            params![millis(at), run],
        )?;
        if n == 0 {
            return Err(LedgerError::RunRefused(format!(
                "run {run} is no longer in the queue (another process found it without a sign of life and abandoned it); start it again"
            )));
        }
        tx.commit()?;
        Ok((abandoned, unfinished))
    }

    fn plan_run(
        &mut self,
        run: i64,
        counts: (i64, i64, i64, i64),
        numbers: Option<(&str, i32, i64, i64)>,
    ) -> Result<(), LedgerError> {
        let tx = self.write()?;
        let (series, period, first, last) = match numbers {
            Some((s, p, f, l)) => (Some(s), Some(p), Some(f), Some(l)),
            None => (None, None, None, None),
        };
        tx.execute(
            "UPDATE runs SET drafts = ?1, invoices = ?2, failed = ?3, skipped = ?4, series = ?5,
                 period = ?6, first_seq = ?7, last_seq = ?8 WHERE id = ?9",
            params![
                counts.0, counts.1, counts.2, counts.3, series, period, first, last, run
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn end_run(&mut self, outcome: &RunOutcome<'_>) -> Result<(), LedgerError> {
        let tx = self.write()?;
        let state: Option<String> = tx
            .query_row("SELECT state FROM runs WHERE id = ?1", [outcome.run], |r| {
                r.get(0)
            })
            .optional()?;
        ended_refusal(outcome.run, state.as_deref())?;
        let (invoices, failed, skipped) =
            insert_rows(&tx, outcome.run, outcome.rows, &HashMap::new())?;
        tx.execute(
            "UPDATE runs SET state = ?1, finished_at = ?2, message = ?3, invoices = ?4,
                 failed = ?5, skipped = ?6, progress = ?4
             WHERE id = ?7 AND state IN ('queued', 'running')",
            params![
                outcome.state.as_str(),
                millis(outcome.at),
                outcome.message,
                invoices,
                failed,
                skipped,
                outcome.run
            ],
        )?;
        drop_staging_tx(&tx, outcome.run)?;
        tx.commit()?;
        Ok(())
    }

    fn leave_queue(&mut self, run: i64, at: DateTime<Utc>, why: &str) -> Result<(), LedgerError> {
        let tx = self.write()?;
        tx.execute(
            "UPDATE runs SET state = 'abandoned', finished_at = ?1, message = ?2
             WHERE id = ?3 AND state = 'queued'",
            params![millis(at), why, run],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn commit_production(&mut self, c: ProductionCommit<'_>) -> Result<(), LedgerError> {
        let tx = self.write()?;
        let state: Option<String> = tx
            .query_row("SELECT state FROM runs WHERE id = ?1", [c.run], |r| {
                r.get(0)
            })
            .optional()?;
        if state.as_deref() != Some("running") {
            return Err(LedgerError::RunRefused(format!(
                "run {} is {}, not running: it cannot commit",
                c.run,
                state.as_deref().unwrap_or("unknown")
            )));
        }
        let n = c.count;
        if n > 0 {
            let last: i64 = tx
                .prepare_cached(
                    "INSERT INTO counters (series, period, last) VALUES (?1, ?2, ?3)
                     ON CONFLICT (series, period) DO UPDATE SET last = last + ?4 RETURNING last",
                )?
                .query_row(params![c.series, c.period, c.expected_last + n, n], |r| {
                    r.get(0)
                })?;
            if last != c.expected_last + n {
                return Err(LedgerError::SeriesMoved {
                    series: c.series.to_owned(),
                    expected: c.expected_last,
                    found: last - n,
                });
            }
        }
        let at = millis(c.at);
        let mut ids = HashMap::with_capacity(c.count.max(0) as usize);
        {
            let mut insert = tx.prepare_cached(
                "INSERT INTO invoices (number, series, period, seq, imported, status, version,
                     content, attempts, created_at, updated_at, gks)
                 VALUES (?1, ?2, ?3, ?4, 0, ?5, 2, ?6, 0, ?7, ?7, ?8)",
            )?;
            for inv in c.invoices {
                let inv = inv?;
                if ids.len() as i64 >= n {
                    return Err(LedgerError::Invalid(
                        "the run handed over more invoices than it numbered".into(),
                    ));
                }
                let content = &inv.content;
                let r = insert.execute(params![
                    inv.number,
                    c.series,
                    c.period,
                    inv.seq,
                    inv.status.as_str(),
                    content,
                    at,
                    inv.gks
                ]);
                match r {
                    Err(e) if is_unique(&e, "invoices.") => {
                        return Err(LedgerError::DuplicateNumber(inv.number.clone()));
                    }
                    other => other?,
                };
                let id = tx.last_insert_rowid();
                insert_history(&tx, id, 1, &inv.created)?;
                insert_history(&tx, id, 2, &inv.history)?;
                ids.insert(inv.position, id);
            }
        }
        if ids.len() as i64 != n {
            return Err(LedgerError::Invalid(
                "the run handed over fewer invoices than it numbered".into(),
            ));
        }
        let (invoices, failed, skipped) = insert_rows(&tx, c.run, c.rows, &ids)?;
        tx.execute(
            "UPDATE runs SET state = 'committed', finished_at = ?1, invoices = ?2, failed = ?3,
                 skipped = ?4, progress = ?2,
                 exports_before = (SELECT COALESCE(MAX(id), 0) FROM journal_exports)
             WHERE id = ?5",
            params![at, invoices, failed, skipped, c.run],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn run_done(
        &mut self,
        run: i64,
        _at: DateTime<Utc>,
        message: Option<&str>,
    ) -> Result<(), LedgerError> {
        let tx = self.write()?;
        tx.execute(
            "UPDATE runs SET state = 'done', message = COALESCE(?1, message)
             WHERE id = ?2 AND state = 'committed'",
            params![message, run],
        )?;
        drop_staging_tx(&tx, run)?;
        tx.commit()?;
        Ok(())
    }

    fn queue(&mut self) -> Result<Vec<RunRecord>, LedgerError> {
        runs_where(&self.conn, "state IN ('queued', 'running') ORDER BY id", [])
    }

    fn runs(&mut self, limit: i64) -> Result<Vec<RunRecord>, LedgerError> {
        runs_where(&self.conn, "1 = 1 ORDER BY id DESC LIMIT ?1", [limit])
    }

    fn run(&mut self, id: i64) -> Result<Option<RunRecord>, LedgerError> {
        Ok(runs_where(&self.conn, "id = ?1", [id])?.pop())
    }

    fn run_invoices(&mut self, id: i64) -> Result<Vec<RunInvoice>, LedgerError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {RUN_INVOICE_COLUMNS} FROM run_invoices WHERE run_id = ?1 ORDER BY position"
        ))?;
        let raws: Vec<RawRunInvoice> = stmt
            .query_map([id], raw_run_invoice)?
            .collect::<Result<_, _>>()?;
        raws.into_iter().map(RawRunInvoice::check).collect()
    }

    fn invoiced(&mut self, keys: &[String]) -> Result<Vec<(String, i64, String)>, LedgerError> {
        let mut out = Vec::new();
        for chunk in keys.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut stmt = self.conn.prepare(&format!(
                "SELECT ri.draft_key, ri.run_id, ri.number FROM run_invoices ri
                 JOIN runs r ON r.id = ri.run_id
                 WHERE r.mode = 'production' AND r.state IN ('committed', 'done')
                   AND ri.invoice_id IS NOT NULL AND ri.draft_key IN ({marks})"
            ))?;
            let rows = stmt.query_map(rusqlite::params_from_iter(chunk), |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?;
            for r in rows {
                out.push(r?);
            }
        }
        Ok(out)
    }

    fn measured_speed(&mut self, n: i64) -> Result<Option<(i64, f64)>, LedgerError> {
        let (count, ms): (Option<i64>, Option<i64>) = self.conn.query_row(
            "SELECT SUM(invoices + failed), SUM(finished_at - started_at) FROM (
                 SELECT invoices, failed, finished_at, started_at FROM runs
                 WHERE state IN ('done', 'committed', 'rolled_back') AND started_at IS NOT NULL
                   AND finished_at IS NOT NULL AND invoices + failed > 0
                 ORDER BY id DESC LIMIT ?1)",
            [n],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(match (count, ms) {
            (Some(c), Some(ms)) if c > 0 => Some((c, (ms.max(1) as f64) / 1000.0)),
            _ => None,
        })
    }

    fn rollback(
        &mut self,
        run: i64,
        user: &str,
        at: DateTime<Utc>,
        decide: Box<RollbackDecision<'_>>,
    ) -> Result<RollbackPlan, LedgerError> {
        let tx = self.write()?;
        let record = runs_where(&tx, "id = ?1", [run])?
            .pop()
            .ok_or_else(|| LedgerError::RunRefused(format!("no run {run} in the ledger")))?;
        let grants: Vec<String> = tx
            .prepare_cached(
                "SELECT grant_name FROM grants WHERE user_name = ?1 ORDER BY grant_name",
            )?
            .query_map([user], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut invoices = Vec::new();
        {
            let mut stmt = tx.prepare_cached(
                "SELECT i.id, i.number, i.series, i.status, i.version, i.ticket
                 FROM run_invoices ri JOIN invoices i ON i.id = ri.invoice_id
                 WHERE ri.run_id = ?1 ORDER BY ri.position",
            )?;
            let mut rows = stmt.query([run])?;
            while let Some(r) = rows.next()? {
                let status: String = r.get(3)?;
                invoices.push(RunLedgerInvoice {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    series: r.get(2)?,
                    status: parse_status(&status)?,
                    version: r.get(4)?,
                    ticket: r.get(5)?,
                });
            }
        }
        let mut return_messages = Vec::new();
        {
            let mut stmt = tx.prepare_cached(
                "SELECT i.number, m.state, m.at, m.user_name, m.note FROM return_messages m
                 JOIN run_invoices ri ON ri.invoice_id = m.invoice_id
                 JOIN invoices i ON i.id = m.invoice_id
                 WHERE ri.run_id = ?1 ORDER BY m.seq",
            )?;
            let mut rows = stmt.query([run])?;
            while let Some(r) = rows.next()? {
                return_messages.push(ReturnMessage {
                    number: r.get(0)?,
                    state: r.get(1)?,
                    at: from_millis(r.get(2)?)?,
                    user: r.get(3)?,
                    note: r.get(4)?,
                });
            }
        }
        // The exports after the run: by id, the ledger's own order (a run committed before
        // the ledger kept that order falls back to the clocks).
        let before: Option<i64> = tx.query_row(
            "SELECT exports_before FROM runs WHERE id = ?1",
            [run],
            |r| r.get(0),
        )?;
        let exports_after = match before {
            Some(b) => journal_exports_where(&tx, "id > ?1 ORDER BY id", [b])?,
            None => {
                let committed_at = record.finished_at.map(millis).unwrap_or(i64::MAX);
                journal_exports_where(&tx, "at > ?1 ORDER BY id", [committed_at])?
            }
        };
        let later_runs = runs_where(
            &tx,
            "mode = 'production' AND state IN ('committed', 'done') AND id > ?1
               AND date_from <= ?2 AND date_to >= ?3 ORDER BY id",
            params![run, iso(record.to), iso(record.from)],
        )?;
        let facts = RollbackFacts {
            run: record,
            grants,
            invoices,
            return_messages,
            exports_after,
            later_runs,
        };
        let plan = decide(&facts).map_err(LedgerError::RunRefused)?;
        let at_ms = millis(at);
        for (id, number, version, entry) in &plan.withdraw {
            let n = tx
                .prepare_cached(
                    "UPDATE invoices SET status = 'Vervallen', version = version + 1, updated_at = ?1
                     WHERE id = ?2 AND version = ?3",
                )?
                .execute(params![at_ms, id, version])?;
            if n == 0 {
                return Err(LedgerError::Conflict {
                    number: number.clone(),
                    expected: *version,
                    found: version + 1,
                });
            }
            insert_history(&tx, *id, version + 1, std::slice::from_ref(entry))?;
        }
        for l in &plan.lapsed {
            tx.prepare_cached(
                "INSERT INTO lapsed_numbers (series, number, run, reason, at) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![l.series, l.number, l.run, l.reason, millis(l.at)])?;
        }
        tx.execute(
            "UPDATE run_invoices SET status = 'withdrawn' WHERE run_id = ?1 AND invoice_id IS NOT NULL",
            [run],
        )?;
        tx.execute(
            "UPDATE runs SET state = 'rolled_back', rolled_back_at = ?1, rolled_back_by = ?2,
                 rollback_reason = ?3 WHERE id = ?4",
            params![at_ms, user, plan.reason, run],
        )?;
        tx.commit()?;
        Ok(plan)
    }

    fn return_message(&mut self, m: &ReturnMessage) -> Result<(), LedgerError> {
        let tx = self.write()?;
        let id: i64 = tx
            .query_row(
                "SELECT id FROM invoices WHERE number = ?1",
                [&m.number],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| LedgerError::NotFound(m.number.clone()))?;
        tx.execute(
            "INSERT INTO return_messages (invoice_id, state, at, user_name, note) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, m.state, millis(m.at), m.user, m.note],
        )?;
        tx.commit()?;
        Ok(())
    }

    fn journal_export(
        &mut self,
        kind: &str,
        from: NaiveDate,
        to: NaiveDate,
        user: &str,
        at: DateTime<Utc>,
        file: Option<&str>,
        write: &mut dyn FnMut(&[JournalSource]) -> Result<(), LedgerError>,
    ) -> Result<JournalExport, LedgerError> {
        let SqliteStore { conn, cache, .. } = self;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut sources = Vec::new();
        {
            let mut stmt = tx.prepare_cached(
                "SELECT bd, id, number, content FROM (
                     SELECT COALESCE(
                         (SELECT r.booking_date FROM run_invoices ri JOIN runs r ON r.id = ri.run_id
                          WHERE ri.invoice_id = i.id AND r.mode = 'production' LIMIT 1),
                         json_extract(i.content, '$.issue_date')) AS bd,
                         i.id, i.number, i.content
                     FROM invoices i WHERE i.status IN ('Definitief', 'Gemeld', 'Verstuurd'))
                 WHERE bd BETWEEN ?1 AND ?2 ORDER BY bd, number",
            )?;
            let mut rows = stmt.query(params![iso(from), iso(to)])?;
            while let Some(r) = rows.next()? {
                let bd: String = r.get(0)?;
                let id: i64 = r.get(1)?;
                let number: String = r.get(2)?;
                sources.push(JournalSource {
                    booking_date: date(&bd)?,
                    invoice: cache.parse(id, &number, r.get(3)?)?,
                });
            }
        }
        write(&sources)?;
        let lines = sources.len() as i64;
        tx.execute(
            "INSERT INTO journal_exports (kind, date_from, date_to, at, user_name, lines, file)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![kind, iso(from), iso(to), millis(at), user, lines, file],
        )?;
        let id = tx.last_insert_rowid();
        tx.commit()?;
        Ok(JournalExport {
            id,
            kind: kind.to_owned(),
            from,
            to,
            at,
            user: user.to_owned(),
            lines,
            file: file.map(str::to_owned),
        })
    }

    fn journal_exports(&mut self) -> Result<Vec<JournalExport>, LedgerError> {
        journal_exports_where(&self.conn, "1 = 1 ORDER BY id", [])
    }

    fn stage(
        &mut self,
        run: i64,
        items: &[(i64, String)],
        slices: &[(i64, i64, i64)],
    ) -> Result<(), LedgerError> {
        let tx = self.write()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO run_items (run_id, position, invoice) VALUES (?1, ?2, ?3)",
            )?;
            for (pos, json) in items {
                stmt.execute(params![run, pos, json])?;
            }
            let mut stmt = tx.prepare_cached(
                "INSERT INTO run_slices (run_id, slice, first_pos, last_pos, state) VALUES (?1, ?2, ?3, ?4, 'todo')",
            )?;
            for (slice, first, last) in slices {
                stmt.execute(params![run, slice, first, last])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn work_slice(
        &mut self,
        worker: &str,
        only_run: Option<i64>,
        render: &mut SliceRenderer<'_>,
    ) -> Result<Option<(i64, i64)>, LedgerError> {
        // SQLite has one writer at a time: the claim holds the write lock while it renders,
        // so workers on one SQLite ledger take turns (PostgreSQL's workers run side by side).
        let tx = self.write()?;
        let claim: Option<(i64, i64, i64, i64)> = tx
            .query_row(
                "SELECT s.run_id, s.slice, s.first_pos, s.last_pos FROM run_slices s
                 JOIN runs r ON r.id = s.run_id
                 WHERE s.state = 'todo' AND r.state = 'running' AND (?1 IS NULL OR s.run_id = ?1)
                 ORDER BY s.run_id, s.slice LIMIT 1",
                [only_run],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((run, slice, first, last)) = claim else {
            return Ok(None);
        };
        let record = runs_where(&tx, "id = ?1", [run])?
            .pop()
            .ok_or_else(|| LedgerError::Corrupt(format!("slice of missing run {run}")))?;
        let items: Vec<(i64, String)> = tx
            .prepare_cached(
                "SELECT position, invoice FROM run_items WHERE run_id = ?1 AND position BETWEEN ?2 AND ?3
                 ORDER BY position",
            )?
            .query_map(params![run, first, last], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let claimed = ClaimedSlice {
            run: record,
            slice,
            items,
        };
        let docs = render(&claimed).map_err(LedgerError::RunRefused)?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO run_documents (run_id, position, name, method, crc, size, bytes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for d in &docs {
                stmt.execute(params![
                    run,
                    d.position,
                    d.name,
                    d.method,
                    d.crc,
                    d.size as i64,
                    d.bytes
                ])?;
            }
        }
        tx.execute(
            "UPDATE run_slices SET state = 'done', worker = ?1, done_at = ?2 WHERE run_id = ?3 AND slice = ?4",
            params![worker, millis(DateTime::<Utc>::from(std::time::SystemTime::now())), run, slice],
        )?;
        tx.commit()?;
        Ok(Some((run, slice)))
    }

    fn slices_left(&mut self, run: i64) -> Result<(i64, i64), LedgerError> {
        Ok(self.conn.query_row(
            "SELECT COALESCE(SUM(state = 'todo'), 0), COALESCE(SUM(state = 'done'), 0)
             FROM run_slices WHERE run_id = ?1",
            [run],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    fn staged_documents(
        &mut self,
        run: i64,
        each: &mut dyn FnMut(StagedDocument) -> std::io::Result<()>,
    ) -> Result<(), LedgerError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT position, name, method, crc, size, bytes FROM run_documents WHERE run_id = ?1
             ORDER BY position, name",
        )?;
        let mut rows = stmt.query([run])?;
        while let Some(r) = rows.next()? {
            let size: i64 = r.get(4)?;
            let doc = StagedDocument {
                position: r.get(0)?,
                name: r.get(1)?,
                method: r.get(2)?,
                crc: r.get(3)?,
                size: size.unsigned_abs(),
                bytes: r.get(5)?,
            };
            each(doc).map_err(|e| LedgerError::Invalid(format!("writing the run's ZIP: {e}")))?;
        }
        Ok(())
    }

    fn drop_staging(&mut self, run: i64) -> Result<(), LedgerError> {
        let tx = self.write()?;
        drop_staging_tx(&tx, run)?;
        tx.commit()?;
        Ok(())
    }
}

fn journal_exports_where(
    conn: &rusqlite::Connection,
    condition: &str,
    p: impl rusqlite::Params,
) -> Result<Vec<JournalExport>, LedgerError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, kind, date_from, date_to, at, user_name, lines, file FROM journal_exports WHERE {condition}"
    ))?;
    let mut rows = stmt.query(p)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let from: String = r.get(2)?;
        let to: String = r.get(3)?;
        out.push(JournalExport {
            id: r.get(0)?,
            kind: r.get(1)?,
            from: date(&from)?,
            to: date(&to)?,
            at: from_millis(r.get(4)?)?,
            user: r.get(5)?,
            lines: r.get(6)?,
            file: r.get(7)?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::runs::{RunMode, RunState};
    use crate::ledger::{Actor, Ledger};

    #[test]
    fn end_run_leaves_a_committed_run_alone() {
        let dir = std::env::temp_dir().join(format!("factuur-endrun-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let db = dir.join("l.sqlite").display().to_string();
        let at = DateTime::from_timestamp(1_770_000_000, 0).unwrap();
        let mut ledger = Ledger::open(&db).unwrap();
        ledger.init(&Actor::new("anna", at)).unwrap();
        let mut store = SqliteStore::open(&db).unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let run = store
            .register_run(&NewRun {
                mode: RunMode::Production,
                profile: "demo",
                profile_text: "",
                from: day,
                to: day,
                booking_date: day,
                description: "",
                user: "anna",
                holder: "test",
                at,
                drafts: 0,
                zip_path: None,
                zip_temp: None,
            })
            .unwrap();
        let rows: Vec<RunInvoice> = Vec::new();
        let fail = |store: &mut SqliteStore| {
            store.end_run(&RunOutcome {
                run,
                at,
                state: RunState::Failed,
                rows: &rows,
                message: Some("later error"),
            })
        };
        store
            .conn
            .execute(
                "UPDATE runs SET state = 'committed', invoices = 7 WHERE id = ?1",
                [run],
            )
            .unwrap();
        assert!(fail(&mut store).is_err());
        let r = store.run(run).unwrap().unwrap();
        assert_eq!((r.state, r.invoices), (RunState::Committed, 7));
        // A running run does end as failed.
        store
            .conn
            .execute("UPDATE runs SET state = 'running' WHERE id = ?1", [run])
            .unwrap();
        fail(&mut store).unwrap();
        assert_eq!(store.run(run).unwrap().unwrap().state, RunState::Failed);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
