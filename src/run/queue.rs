//! The run queue, as pure functions: which runs are alive, where a waiting run stands, and how
//! long it can expect to wait from the measured speed of earlier runs.
//!
//! One run at a time per ledger: the lock itself is the store's (a file lock beside an SQLite
//! ledger, an advisory lock on PostgreSQL), released by the operating system or the server when
//! its holder dies. Waiting runs keep a heartbeat; one that stops beating is taken out of the
//! queue by the next run that starts.

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::ledger::{RunRecord, RunState};

/// How long a waiting run may go without a heartbeat before others consider it gone: three
/// times the SQLite ledger's busy timeout (a heartbeat may wait that long behind another
/// process's write, and a failed one is tried again), so a live run is never taken for dead.
pub const STALE_AFTER: Duration = Duration::from_secs(90);

/// How often a waiting run beats.
pub const BEAT_EVERY: Duration = Duration::from_secs(2);

/// This process, as the queue names it: host and process id.
pub fn holder() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_owned())
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "localhost".into());
    format!("{host} pid {}", std::process::id())
}

/// Where a waiting run stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// 1 when next; the number of live runs ahead plus one.
    pub position: usize,
    /// The live runs ahead: id and invoices still to make.
    pub ahead: Vec<(i64, i64)>,
    /// The expected wait, when earlier runs give a speed.
    pub wait: Option<Duration>,
    /// Whether no live queued run is ahead (the run may try the lock).
    pub next: bool,
}

/// Whether a queued run is alive at `now` (running runs hold the lock; their liveness is the
/// lock's).
pub fn alive(r: &RunRecord, now: DateTime<Utc>) -> bool {
    match r.state {
        RunState::Running => true,
        RunState::Queued => now
            .signed_duration_since(r.heartbeat)
            .to_std()
            .map_or(true, |d| d < STALE_AFTER),
        _ => false,
    }
}

/// Where run `me` stands in `queue` (the queued and running runs, oldest first). `speed` is
/// (invoices, seconds) of earlier runs.
pub fn standing(
    queue: &[RunRecord],
    me: i64,
    now: DateTime<Utc>,
    speed: Option<(i64, f64)>,
) -> Standing {
    let ahead: Vec<(i64, i64)> = queue
        .iter()
        .filter(|r| r.id != me && alive(r, now))
        .filter(|r| r.state == RunState::Running || r.id < me)
        .map(|r| {
            let left = if r.state == RunState::Running {
                (r.drafts - r.progress).max(0)
            } else {
                r.drafts
            };
            (r.id, left)
        })
        .collect();
    let next = !queue
        .iter()
        .any(|r| r.id < me && r.state == RunState::Queued && alive(r, now));
    let wait = speed.filter(|(n, s)| *n > 0 && *s > 0.0).map(|(n, s)| {
        let left: i64 = ahead.iter().map(|a| a.1).sum();
        let per = s / n as f64;
        Duration::from_secs_f64((left as f64 * per).max(0.0))
    });
    Standing {
        position: ahead.len() + 1,
        ahead,
        wait,
        next,
    }
}

/// The expected time left of a run that has made `done` of `total` in `elapsed`.
pub fn eta(done: u64, total: u64, elapsed: Duration) -> Option<Duration> {
    if done == 0 || done > total {
        return None;
    }
    let per = elapsed.as_secs_f64() / done as f64;
    Some(Duration::from_secs_f64(per * (total - done) as f64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::RunMode;
    use chrono::NaiveDate;

    fn rec(id: i64, state: RunState, beat: i64, drafts: i64, progress: i64) -> RunRecord {
        let t = |s| DateTime::from_timestamp(s, 0).unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        RunRecord {
            id,
            mode: RunMode::Test,
            profile: "p".into(),
            profile_text: String::new(),
            from: d,
            to: d,
            booking_date: d,
            description: String::new(),
            user: "u".into(),
            state,
            holder: "h".into(),
            heartbeat: t(beat),
            queued_at: t(0),
            started_at: None,
            finished_at: None,
            drafts,
            invoices: 0,
            failed: 0,
            skipped: 0,
            progress,
            series: None,
            period: None,
            first_seq: None,
            last_seq: None,
            zip_path: None,
            zip_temp: None,
            message: None,
            rolled_back_at: None,
            rolled_back_by: None,
            rollback_reason: None,
        }
    }

    #[test]
    fn position_wait_and_stale_runs() {
        let now = DateTime::from_timestamp(100, 0).unwrap();
        let q = vec![
            rec(1, RunState::Running, 0, 1000, 400),
            rec(2, RunState::Queued, 99, 200, 0),
            rec(3, RunState::Queued, 5, 500, 0), // stale: no heartbeat for 95 s
            rec(4, RunState::Queued, 100, 50, 0),
        ];
        let s = standing(&q, 4, now, Some((1000, 10.0)));
        assert_eq!(s.position, 3);
        assert_eq!(s.ahead, vec![(1, 600), (2, 200)]);
        assert_eq!(s.wait, Some(Duration::from_secs(8)));
        assert!(!s.next);
        let s2 = standing(&q, 2, now, None);
        assert_eq!(s2.position, 2);
        assert!(s2.next);
        assert_eq!(s2.wait, None);
        assert_eq!(
            eta(25, 100, Duration::from_secs(5)),
            Some(Duration::from_secs(15))
        );
        assert_eq!(eta(0, 100, Duration::from_secs(5)), None);
    }

    #[test]
    fn a_queued_run_outlives_the_sqlite_busy_timeout() {
        assert!(STALE_AFTER >= 3 * crate::ledger::BUSY_TIMEOUT);
        let now = DateTime::from_timestamp(100, 0).unwrap();
        // 60 s without a heartbeat (two busy timeouts): still alive.
        assert!(alive(&rec(1, RunState::Queued, 40, 1, 0), now));
        assert!(!alive(&rec(1, RunState::Queued, 5, 1, 0), now));
    }
}
