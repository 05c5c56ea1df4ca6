//! Invoice runs in the PostgreSQL ledger. The run lock is a session-level advisory lock, which
//! the server releases when the holder's connection ends (its process died, its machine went
//! away); workers claim slices with `FOR UPDATE SKIP LOCKED`, so a slice is rendered by one
//! worker, and one that dies mid-slice leaves it to the others. Rollbacks, return messages and
//! journal exports take a transaction-level advisory lock, so the rollback's conditions are
//! judged on data nobody changes meanwhile.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use postgres::types::ToSql;
use postgres::{GenericClient, Row, Transaction};

use super::postgres::{HISTORY, PostgresStore, insert_history, is_unique};
use super::runs::{
    ClaimedSlice, DIED_QUEUED, DIED_RUNNING, JournalExport, JournalSource, NewRun,
    ProductionCommit, RUN_COLUMNS, RUN_INVOICE_COLUMNS, RawRun, RawRunInvoice, ReturnMessage,
    RollbackDecision, RollbackFacts, RollbackPlan, RowSource, RunInvoice, RunLedgerInvoice,
    RunOutcome, RunRecord, RunState, RunStore, SliceRenderer, StagedDocument, date, ended_refusal,
    iso, row_counts,
};
use super::{LedgerError, from_millis, millis, parse_status};

/// Key of the session-level advisory lock that makes one run at a time per ledger.
const RUN_LOCK: i64 = 0x0FAC_7012;
/// Key of the transaction-level advisory lock that orders rollbacks, return messages and
/// journal exports.
const BOOKS_LOCK: i64 = 0x0FAC_7013;

fn raw_run(r: &Row) -> Result<RawRun, postgres::Error> {
    Ok(RawRun {
        id: r.try_get(0)?,
        mode: r.try_get(1)?,
        profile: r.try_get(2)?,
        profile_text: r.try_get(3)?,
        date_from: r.try_get(4)?,
        date_to: r.try_get(5)?,
        booking_date: r.try_get(6)?,
        description: r.try_get(7)?,
        user: r.try_get(8)?,
        state: r.try_get(9)?,
        holder: r.try_get(10)?,
        heartbeat: r.try_get(11)?,
        queued_at: r.try_get(12)?,
        started_at: r.try_get(13)?,
        finished_at: r.try_get(14)?,
        counts: [
            r.try_get(15)?,
            r.try_get(16)?,
            r.try_get(17)?,
            r.try_get(18)?,
            r.try_get(19)?,
        ],
        series: r.try_get(20)?,
        period: r.try_get(21)?,
        first_seq: r.try_get(22)?,
        last_seq: r.try_get(23)?,
        zip_path: r.try_get(24)?,
        zip_temp: r.try_get(25)?,
        message: r.try_get(26)?,
        rolled_back_at: r.try_get(27)?,
        rolled_back_by: r.try_get(28)?,
        rollback_reason: r.try_get(29)?,
    })
}

fn runs_where(
    c: &mut impl GenericClient,
    condition: &str,
    p: &[&(dyn ToSql + Sync)],
) -> Result<Vec<RunRecord>, LedgerError> {
    c.query(
        &format!("SELECT {RUN_COLUMNS} FROM runs WHERE {condition}"),
        p,
    )?
    .iter()
    .map(|r| raw_run(r)?.check())
    .collect()
}

fn insert_rows(
    tx: &mut Transaction<'_>,
    run: i64,
    rows: &dyn RowSource,
    ids: &HashMap<i64, i64>,
) -> Result<(i64, i64, i64), LedgerError> {
    let stmt = tx.prepare(&format!(
        "INSERT INTO run_invoices (run_id, {RUN_INVOICE_COLUMNS}) VALUES \
         ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
    ))?;
    row_counts(rows, |r| {
        let id = ids.get(&r.position).copied().or(r.invoice_id);
        let type_code = i32::from(r.type_code);
        let issue = iso(r.issue_date);
        let rates = r.vat_rates.as_str();
        let findings = r.findings.as_str();
        tx.execute(
            &stmt,
            &[
                &run,
                &r.position,
                &r.number,
                &id,
                &r.draft_key,
                &r.source,
                &type_code,
                &r.status,
                &r.customer,
                &r.kvk,
                &issue,
                &r.currency,
                &r.net,
                &r.vat,
                &r.total,
                &rates,
                &findings,
            ],
        )?;
        Ok(())
    })
}

fn drop_staging_tx(tx: &mut Transaction<'_>, run: i64) -> Result<(), LedgerError> {
    // Slices first: a worker still rendering one holds its row lock, so this waits for it and
    // its documents are then removed too.
    tx.execute("DELETE FROM run_slices WHERE run_id = $1", &[&run])?;
    tx.execute("DELETE FROM run_documents WHERE run_id = $1", &[&run])?;
    tx.execute("DELETE FROM run_items WHERE run_id = $1", &[&run])?;
    Ok(())
}

fn journal_exports_where(
    c: &mut impl GenericClient,
    condition: &str,
    p: &[&(dyn ToSql + Sync)],
) -> Result<Vec<JournalExport>, LedgerError> {
    c.query(
        &format!(
            "SELECT id, kind, date_from, date_to, at, user_name, lines, file FROM journal_exports WHERE {condition}"
        ),
        p,
    )?
    .iter()
    .map(|r| {
        let from: String = r.try_get(2)?;
        let to: String = r.try_get(3)?;
        Ok(JournalExport {
            id: r.try_get(0)?,
            kind: r.try_get(1)?,
            from: date(&from)?,
            to: date(&to)?,
            at: from_millis(r.try_get(4)?)?,
            user: r.try_get(5)?,
            lines: r.try_get(6)?,
            file: r.try_get(7)?,
        })
    })
    .collect()
}

impl RunStore for PostgresStore {
    fn shared(&self) -> bool {
        true
    }

    fn counter(&mut self, series: &str, period: i32) -> Result<i64, LedgerError> {
        Ok(self
            .client
            .query_opt(
                "SELECT last FROM counters WHERE series = $1 AND period = $2",
                &[&series, &period],
            )?
            .map(|r| r.try_get(0))
            .transpose()?
            .unwrap_or(0))
    }

    fn register_run(&mut self, run: &NewRun<'_>) -> Result<i64, LedgerError> {
        let at = millis(run.at);
        let row = self.client.query_one(
            "INSERT INTO runs (mode, profile, profile_text, date_from, date_to, booking_date,
                 description, user_name, state, holder, heartbeat, queued_at, drafts, zip_path,
                 zip_temp)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9, $10, $10, $11, $12, $13)
             RETURNING id",
            &[
                &run.mode.as_str(),
                &run.profile,
                &run.profile_text,
                &iso(run.from),
                &iso(run.to),
                &iso(run.booking_date),
                &run.description,
                &run.user,
                &run.holder,
                &at,
                &run.drafts,
                &run.zip_path,
                &run.zip_temp,
            ],
        )?;
        Ok(row.try_get(0)?)
    }

    fn heartbeat(
        &mut self,
        run: i64,
        at: DateTime<Utc>,
        progress: Option<i64>,
    ) -> Result<(), LedgerError> {
        self.client.execute(
            "UPDATE runs SET heartbeat = $1, progress = COALESCE($2, progress) WHERE id = $3",
            &[&millis(at), &progress, &run],
        )?;
        Ok(())
    }

    fn try_run_lock(&mut self) -> Result<bool, LedgerError> {
        if self.run_lock {
            return Ok(true);
        }
        let got: bool = self
            .client
            .query_one("SELECT pg_try_advisory_lock($1)", &[&RUN_LOCK])?
            .try_get(0)?;
        self.run_lock = got;
        Ok(got)
    }

    fn release_run_lock(&mut self) -> Result<(), LedgerError> {
        if self.run_lock {
            self.client
                .query_one("SELECT pg_advisory_unlock($1)", &[&RUN_LOCK])?;
            self.run_lock = false;
        }
        Ok(())
    }

    fn start_run(
        &mut self,
        run: i64,
        at: DateTime<Utc>,
        stale_before: DateTime<Utc>,
    ) -> Result<(Vec<RunRecord>, Vec<RunRecord>), LedgerError> {
        let mut tx = self.client.transaction()?;
        let mut abandoned = runs_where(
            &mut tx,
            "id <> $1 AND (state = 'running' OR (state = 'queued' AND heartbeat < $2)) ORDER BY id FOR UPDATE",
            &[&run, &millis(stale_before)],
        )?;
        for r in &mut abandoned {
            let why = if r.state == RunState::Running {
                DIED_RUNNING
            } else {
                DIED_QUEUED
            };
            tx.execute(
                "UPDATE runs SET state = 'abandoned', finished_at = $1, message = $2 WHERE id = $3",
                &[&millis(at), &why, &r.id],
            )?;
            drop_staging_tx(&mut tx, r.id)?;
            r.message = Some(why.to_owned());
        }
        let unfinished = runs_where(&mut tx, "state = 'committed' ORDER BY id", &[])?;
        let n = tx.execute(
            "UPDATE runs SET state = 'running', started_at = $1, heartbeat = $1
             WHERE id = $2 AND state = 'queued'",
            &[&millis(at), &run],
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
        let (series, period, first, last) = match numbers {
            Some((s, p, f, l)) => (Some(s), Some(p), Some(f), Some(l)),
            None => (None, None, None, None),
        };
        self.client.execute(
            "UPDATE runs SET drafts = $1, invoices = $2, failed = $3, skipped = $4, series = $5,
                 period = $6, first_seq = $7, last_seq = $8 WHERE id = $9",
            &[
                &counts.0, &counts.1, &counts.2, &counts.3, &series, &period, &first, &last, &run,
            ],
        )?;
        Ok(())
    }

    fn end_run(&mut self, outcome: &RunOutcome<'_>) -> Result<(), LedgerError> {
        let mut tx = self.client.transaction()?;
        let state: Option<String> = tx
            .query_opt(
                "SELECT state FROM runs WHERE id = $1 FOR UPDATE",
                &[&outcome.run],
            )?
            .map(|r| r.try_get(0))
            .transpose()?;
        ended_refusal(outcome.run, state.as_deref())?;
        let (invoices, failed, skipped) =
            insert_rows(&mut tx, outcome.run, outcome.rows, &HashMap::new())?;
        tx.execute(
            "UPDATE runs SET state = $1, finished_at = $2, message = $3, invoices = $4,
                 failed = $5, skipped = $6, progress = $4
             WHERE id = $7 AND state IN ('queued', 'running')",
            &[
                &outcome.state.as_str(),
                &millis(outcome.at),
                &outcome.message,
                &invoices,
                &failed,
                &skipped,
                &outcome.run,
            ],
        )?;
        drop_staging_tx(&mut tx, outcome.run)?;
        tx.commit()?;
        Ok(())
    }

    fn leave_queue(&mut self, run: i64, at: DateTime<Utc>, why: &str) -> Result<(), LedgerError> {
        self.client.execute(
            "UPDATE runs SET state = 'abandoned', finished_at = $1, message = $2
             WHERE id = $3 AND state = 'queued'",
            &[&millis(at), &why, &run],
        )?;
        Ok(())
    }

    fn commit_production(&mut self, c: ProductionCommit<'_>) -> Result<(), LedgerError> {
        let history = self.stmt(HISTORY)?;
        let mut tx = self.client.transaction()?;
        let state: Option<String> = tx
            .query_opt("SELECT state FROM runs WHERE id = $1 FOR UPDATE", &[&c.run])?
            .map(|r| r.try_get(0))
            .transpose()?;
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
                .query_one(
                    "INSERT INTO counters (series, period, last) VALUES ($1, $2, $3)
                     ON CONFLICT (series, period) DO UPDATE SET last = counters.last + $4
                     RETURNING last",
                    &[&c.series, &c.period, &(c.expected_last + n), &n],
                )?
                .try_get(0)?;
            if last != c.expected_last + n {
                return Err(LedgerError::SeriesMoved {
                    series: c.series.to_owned(),
                    expected: c.expected_last,
                    found: last - n,
                });
            }
        }
        let at = millis(c.at);
        let insert = tx.prepare(
            "INSERT INTO invoices (number, series, period, seq, imported, status, version,
                 content, attempts, created_at, updated_at, gks)
             VALUES ($1, $2, $3, $4, FALSE, $5, 2, $6, 0, $7, $7, $8) RETURNING id",
        )?;
        let mut ids = HashMap::with_capacity(c.count.max(0) as usize);
        for inv in c.invoices {
            let inv = inv?;
            if ids.len() as i64 >= n {
                return Err(LedgerError::Invalid(
                    "the run handed over more invoices than it numbered".into(),
                ));
            }
            let content = &inv.content;
            let r = tx.query_one(
                &insert,
                &[
                    &inv.number,
                    &c.series,
                    &c.period,
                    &inv.seq,
                    &inv.status.as_str(),
                    content,
                    &at,
                    &inv.gks,
                ],
            );
            let id: i64 = match r {
                Err(e) if is_unique(&e, "invoices_number_key") => {
                    return Err(LedgerError::DuplicateNumber(inv.number.clone()));
                }
                other => other?.try_get(0)?,
            };
            insert_history(&mut tx, &history, id, 1, &inv.created)?;
            insert_history(&mut tx, &history, id, 2, &inv.history)?;
            ids.insert(inv.position, id);
        }
        if ids.len() as i64 != n {
            return Err(LedgerError::Invalid(
                "the run handed over fewer invoices than it numbered".into(),
            ));
        }
        let (invoices, failed, skipped) = insert_rows(&mut tx, c.run, c.rows, &ids)?;
        tx.execute(
            "UPDATE runs SET state = 'committed', finished_at = $1, invoices = $2, failed = $3,
                 skipped = $4, progress = $2,
                 exports_before = (SELECT COALESCE(MAX(id), 0) FROM journal_exports)
             WHERE id = $5",
            &[&at, &invoices, &failed, &skipped, &c.run],
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
        let mut tx = self.client.transaction()?;
        tx.execute(
            "UPDATE runs SET state = 'done', message = COALESCE($1, message)
             WHERE id = $2 AND state = 'committed'",
            &[&message, &run],
        )?;
        drop_staging_tx(&mut tx, run)?;
        tx.commit()?;
        Ok(())
    }

    fn queue(&mut self) -> Result<Vec<RunRecord>, LedgerError> {
        runs_where(
            &mut self.client,
            "state IN ('queued', 'running') ORDER BY id",
            &[],
        )
    }

    fn runs(&mut self, limit: i64) -> Result<Vec<RunRecord>, LedgerError> {
        runs_where(
            &mut self.client,
            "TRUE ORDER BY id DESC LIMIT $1",
            &[&limit],
        )
    }

    fn run(&mut self, id: i64) -> Result<Option<RunRecord>, LedgerError> {
        Ok(runs_where(&mut self.client, "id = $1", &[&id])?.pop())
    }

    fn run_invoices(&mut self, id: i64) -> Result<Vec<RunInvoice>, LedgerError> {
        self.client
            .query(
                &format!(
                    "SELECT {RUN_INVOICE_COLUMNS} FROM run_invoices WHERE run_id = $1 ORDER BY position"
                ),
                &[&id],
            )?
            .iter()
            .map(|r| {
                let type_code: i32 = r.try_get(5)?;
                RawRunInvoice {
                    position: r.try_get(0)?,
                    number: r.try_get(1)?,
                    invoice_id: r.try_get(2)?,
                    draft_key: r.try_get(3)?,
                    source: r.try_get(4)?,
                    type_code: i64::from(type_code),
                    status: r.try_get(6)?,
                    customer: r.try_get(7)?,
                    kvk: r.try_get(8)?,
                    issue_date: r.try_get(9)?,
                    currency: r.try_get(10)?,
                    net: r.try_get(11)?,
                    vat: r.try_get(12)?,
                    total: r.try_get(13)?,
                    vat_rates: r.try_get(14)?,
                    findings: r.try_get(15)?,
                }
                .check()
            })
            .collect()
    }

    fn invoiced(&mut self, keys: &[String]) -> Result<Vec<(String, i64, String)>, LedgerError> {
        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
        self.client
            .query(
                "SELECT ri.draft_key, ri.run_id, ri.number FROM run_invoices ri
                 JOIN runs r ON r.id = ri.run_id
                 WHERE r.mode = 'production' AND r.state IN ('committed', 'done')
                   AND ri.invoice_id IS NOT NULL AND ri.draft_key = ANY($1)",
                &[&keys],
            )?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
            .collect()
    }

    fn measured_speed(&mut self, n: i64) -> Result<Option<(i64, f64)>, LedgerError> {
        let row = self.client.query_one(
            "SELECT SUM(invoices + failed)::BIGINT, SUM(finished_at - started_at)::BIGINT FROM (
                 SELECT invoices, failed, finished_at, started_at FROM runs
                 WHERE state IN ('done', 'committed', 'rolled_back') AND started_at IS NOT NULL
                   AND finished_at IS NOT NULL AND invoices + failed > 0
                 ORDER BY id DESC LIMIT $1) recent",
            &[&n],
        )?;
        let count: Option<i64> = row.try_get(0)?;
        let ms: Option<i64> = row.try_get(1)?;
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
        let history = self.stmt(HISTORY)?;
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&BOOKS_LOCK])?;
        let record = runs_where(&mut tx, "id = $1 FOR UPDATE", &[&run])?
            .pop()
            .ok_or_else(|| LedgerError::RunRefused(format!("no run {run} in the ledger")))?;
        let grants: Vec<String> = tx
            .query(
                "SELECT grant_name FROM grants WHERE user_name = $1 ORDER BY grant_name",
                &[&user],
            )?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        let invoices = tx
            .query(
                "SELECT i.id, i.number, i.series, i.status, i.version, i.ticket
                 FROM run_invoices ri JOIN invoices i ON i.id = ri.invoice_id
                 WHERE ri.run_id = $1 ORDER BY ri.position FOR UPDATE OF i",
                &[&run],
            )?
            .iter()
            .map(|r| {
                let status: String = r.try_get(3)?;
                Ok(RunLedgerInvoice {
                    id: r.try_get(0)?,
                    number: r.try_get(1)?,
                    series: r.try_get(2)?,
                    status: parse_status(&status)?,
                    version: r.try_get(4)?,
                    ticket: r.try_get(5)?,
                })
            })
            .collect::<Result<Vec<_>, LedgerError>>()?;
        let return_messages = tx
            .query(
                "SELECT i.number, m.state, m.at, m.user_name, m.note FROM return_messages m
                 JOIN run_invoices ri ON ri.invoice_id = m.invoice_id
                 JOIN invoices i ON i.id = m.invoice_id
                 WHERE ri.run_id = $1 ORDER BY m.seq",
                &[&run],
            )?
            .iter()
            .map(|r| {
                Ok(ReturnMessage {
                    number: r.try_get(0)?,
                    state: r.try_get(1)?,
                    at: from_millis(r.try_get(2)?)?,
                    user: r.try_get(3)?,
                    note: r.try_get(4)?,
                })
            })
            .collect::<Result<Vec<_>, LedgerError>>()?;
        // The exports after the run: by id, the ledger's own order (a run committed before
        // the ledger kept that order falls back to the clocks).
        let before: Option<i64> = tx
            .query_one("SELECT exports_before FROM runs WHERE id = $1", &[&run])?
            .try_get(0)?;
        let exports_after = match before {
            Some(b) => journal_exports_where(&mut tx, "id > $1 ORDER BY id", &[&b])?,
            None => {
                let committed_at = record.finished_at.map(millis).unwrap_or(i64::MAX);
                journal_exports_where(&mut tx, "at > $1 ORDER BY id", &[&committed_at])?
            }
        };
        let later_runs = runs_where(
            &mut tx,
            "mode = 'production' AND state IN ('committed', 'done') AND id > $1
               AND date_from <= $2 AND date_to >= $3 ORDER BY id",
            &[&run, &iso(record.to), &iso(record.from)],
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
            let n = tx.execute(
                "UPDATE invoices SET status = 'Vervallen', version = version + 1, updated_at = $1
                 WHERE id = $2 AND version = $3",
                &[&at_ms, id, version],
            )?;
            if n == 0 {
                return Err(LedgerError::Conflict {
                    number: number.clone(),
                    expected: *version,
                    found: version + 1,
                });
            }
            insert_history(
                &mut tx,
                &history,
                *id,
                version + 1,
                std::slice::from_ref(entry),
            )?;
        }
        for l in &plan.lapsed {
            tx.execute(
                "INSERT INTO lapsed_numbers (series, number, run, reason, at) VALUES ($1, $2, $3, $4, $5)",
                &[&l.series, &l.number, &l.run, &l.reason, &millis(l.at)],
            )?;
        }
        tx.execute(
            "UPDATE run_invoices SET status = 'withdrawn' WHERE run_id = $1 AND invoice_id IS NOT NULL",
            &[&run],
        )?;
        tx.execute(
            "UPDATE runs SET state = 'rolled_back', rolled_back_at = $1, rolled_back_by = $2,
                 rollback_reason = $3 WHERE id = $4",
            &[&at_ms, &user, &plan.reason, &run],
        )?;
        tx.commit()?;
        Ok(plan)
    }

    fn return_message(&mut self, m: &ReturnMessage) -> Result<(), LedgerError> {
        let mut tx = self.client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&BOOKS_LOCK])?;
        let id: i64 = tx
            .query_opt("SELECT id FROM invoices WHERE number = $1", &[&m.number])?
            .ok_or_else(|| LedgerError::NotFound(m.number.clone()))?
            .try_get(0)?;
        tx.execute(
            "INSERT INTO return_messages (invoice_id, state, at, user_name, note) VALUES ($1, $2, $3, $4, $5)",
            &[&id, &m.state, &millis(m.at), &m.user, &m.note],
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
        let PostgresStore { client, cache, .. } = self;
        let mut tx = client.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&BOOKS_LOCK])?;
        let rows = tx.query(
            "SELECT bd, id, number, content FROM (
                 SELECT COALESCE(
                     (SELECT r.booking_date FROM run_invoices ri JOIN runs r ON r.id = ri.run_id
                      WHERE ri.invoice_id = i.id AND r.mode = 'production' LIMIT 1),
                     i.content::json->>'issue_date') AS bd,
                     i.id, i.number, i.content
                 FROM invoices i WHERE i.status IN ('Definitief', 'Gemeld', 'Verstuurd')) b
             WHERE bd BETWEEN $1 AND $2 ORDER BY bd, number",
            &[&iso(from), &iso(to)],
        )?;
        let mut sources = Vec::with_capacity(rows.len());
        for r in &rows {
            let bd: String = r.try_get(0)?;
            let id: i64 = r.try_get(1)?;
            let number: String = r.try_get(2)?;
            sources.push(JournalSource {
                booking_date: date(&bd)?,
                invoice: cache.parse(id, &number, r.try_get(3)?)?,
            });
        }
        write(&sources)?;
        let lines = sources.len() as i64;
        let id: i64 = tx
            .query_one(
                "INSERT INTO journal_exports (kind, date_from, date_to, at, user_name, lines, file)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                &[
                    &kind,
                    &iso(from),
                    &iso(to),
                    &millis(at),
                    &user,
                    &lines,
                    &file,
                ],
            )?
            .try_get(0)?;
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
        journal_exports_where(&mut self.client, "TRUE ORDER BY id", &[])
    }

    fn stage(
        &mut self,
        run: i64,
        items: &[(i64, String)],
        slices: &[(i64, i64, i64)],
    ) -> Result<(), LedgerError> {
        let mut tx = self.client.transaction()?;
        // Staged work need not wait for the disk: the production commit, which is durable,
        // comes later in the same write-ahead log and makes everything before it durable; a
        // server crash before it loses staged rows and their slice states together.
        tx.batch_execute("SET LOCAL synchronous_commit = off")?;
        let positions: Vec<i64> = items.iter().map(|(p, _)| *p).collect();
        let invoices: Vec<&str> = items.iter().map(|(_, j)| j.as_str()).collect();
        tx.execute(
            "INSERT INTO run_items (run_id, position, invoice)
             SELECT $1, p, i FROM UNNEST($2::BIGINT[], $3::TEXT[]) AS t(p, i)",
            &[&run, &positions, &invoices],
        )?;
        let slice = tx.prepare(
            "INSERT INTO run_slices (run_id, slice, first_pos, last_pos, state) VALUES ($1, $2, $3, $4, 'todo')",
        )?;
        for (n, first, last) in slices {
            let n =
                i32::try_from(*n).map_err(|_| LedgerError::Invalid("too many slices".into()))?;
            tx.execute(&slice, &[&run, &n, first, last])?;
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
        let mut tx = self.client.transaction()?;
        let claim = tx.query_opt(
            "SELECT s.run_id, s.slice, s.first_pos, s.last_pos FROM run_slices s
             JOIN runs r ON r.id = s.run_id
             WHERE s.state = 'todo' AND r.state = 'running' AND ($1::BIGINT IS NULL OR s.run_id = $1)
             ORDER BY s.run_id, s.slice LIMIT 1
             FOR UPDATE OF s SKIP LOCKED",
            &[&only_run],
        )?;
        let Some(claim) = claim else {
            return Ok(None);
        };
        let run: i64 = claim.try_get(0)?;
        let slice: i32 = claim.try_get(1)?;
        let first: i64 = claim.try_get(2)?;
        let last: i64 = claim.try_get(3)?;
        let record = runs_where(&mut tx, "id = $1", &[&run])?
            .pop()
            .ok_or_else(|| LedgerError::Corrupt(format!("slice of missing run {run}")))?;
        let items = tx
            .query(
                "SELECT position, invoice FROM run_items WHERE run_id = $1 AND position BETWEEN $2 AND $3
                 ORDER BY position",
                &[&run, &first, &last],
            )?
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<Vec<_>, LedgerError>>()?;
        let claimed = ClaimedSlice {
            run: record,
            slice: i64::from(slice),
            items,
        };
        let docs = render(&claimed).map_err(LedgerError::RunRefused)?;
        // One statement for the slice's documents; no wait for the disk (see `stage`).
        tx.batch_execute("SET LOCAL synchronous_commit = off")?;
        let positions: Vec<i64> = docs.iter().map(|d| d.position).collect();
        let names: Vec<&str> = docs.iter().map(|d| d.name.as_str()).collect();
        let methods: Vec<i32> = docs.iter().map(|d| i32::from(d.method)).collect();
        let crcs: Vec<i64> = docs.iter().map(|d| i64::from(d.crc)).collect();
        let sizes: Vec<i64> = docs.iter().map(|d| d.size as i64).collect();
        let bytes: Vec<&[u8]> = docs.iter().map(|d| d.bytes.as_slice()).collect();
        tx.execute(
            "INSERT INTO run_documents (run_id, position, name, method, crc, size, bytes)
             SELECT $1, p, n, m, c, s, b
             FROM UNNEST($2::BIGINT[], $3::TEXT[], $4::INTEGER[], $5::BIGINT[], $6::BIGINT[], $7::BYTEA[])
                  AS t(p, n, m, c, s, b)",
            &[&run, &positions, &names, &methods, &crcs, &sizes, &bytes],
        )?;
        tx.execute(
            "UPDATE run_slices SET state = 'done', worker = $1, done_at = $2 WHERE run_id = $3 AND slice = $4",
            &[&worker, &millis(DateTime::<Utc>::from(std::time::SystemTime::now())), &run, &slice],
        )?;
        tx.commit()?;
        Ok(Some((run, i64::from(slice))))
    }

    fn slices_left(&mut self, run: i64) -> Result<(i64, i64), LedgerError> {
        let r = self.client.query_one(
            "SELECT COUNT(*) FILTER (WHERE state = 'todo'), COUNT(*) FILTER (WHERE state = 'done')
             FROM run_slices WHERE run_id = $1",
            &[&run],
        )?;
        Ok((r.try_get(0)?, r.try_get(1)?))
    }

    fn staged_documents(
        &mut self,
        run: i64,
        each: &mut dyn FnMut(StagedDocument) -> std::io::Result<()>,
    ) -> Result<(), LedgerError> {
        // A portal fetches a few hundred rows at a time: memory stays flat however large the
        // run.
        let mut tx = self.client.transaction()?;
        let stmt = tx.prepare(
            "SELECT position, name, method, crc, size, bytes FROM run_documents WHERE run_id = $1
             ORDER BY position, name",
        )?;
        let portal = tx.bind(&stmt, &[&run])?;
        loop {
            let rows = tx.query_portal(&portal, 256)?;
            if rows.is_empty() {
                break;
            }
            for r in &rows {
                let method: i32 = r.try_get(2)?;
                let crc: i64 = r.try_get(3)?;
                let size: i64 = r.try_get(4)?;
                let doc = StagedDocument {
                    position: r.try_get(0)?,
                    name: r.try_get(1)?,
                    method: u16::try_from(method)
                        .map_err(|_| LedgerError::Corrupt(format!("zip method {method}")))?,
                    crc: u32::try_from(crc)
                        .map_err(|_| LedgerError::Corrupt(format!("crc {crc}")))?,
                    size: size.unsigned_abs(),
                    bytes: r.try_get(5)?,
                };
                each(doc)
                    .map_err(|e| LedgerError::Invalid(format!("writing the run's ZIP: {e}")))?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn drop_staging(&mut self, run: i64) -> Result<(), LedgerError> {
        let mut tx = self.client.transaction()?;
        drop_staging_tx(&mut tx, run)?;
        tx.commit()?;
        Ok(())
    }
}
