//! `factuur report`: offers the reported invoices that are due to the tax black box (GKS) and
//! records the answers; `--once` for cron, `--watch` to keep going.

use std::io::{self, Write};
use std::time::Duration;

use factuur::Error;
use factuur::ledger::report::{Round, run_once};
use factuur::lifecycle::black_box::parse_duration;
use factuur::lifecycle::{Answer, BlackBox, ExecBlackBox, SimBlackBox, SimConfig, SystemClock};
use serde_json::json;

use super::ledger::{LedgerOpts, fail, now, open};
use super::stdout_error;

/// Arguments of `factuur report`.
#[derive(clap::Args)]
pub(crate) struct ReportArgs {
    /// One round, then stop (for cron).
    #[arg(long, conflicts_with = "watch")]
    once: bool,
    /// Keep going: a round whenever an invoice falls due, until stopped.
    #[arg(long)]
    watch: bool,
    /// The black box: `sim` (simulated; options as sim:late=2,flaky=100,lost=50,delay=20ms,
    /// down,seed=1) or `exec:PROGRAM` (runs PROGRAM with the invoice's UBL on standard input:
    /// it prints the ticket and exits 0, exits 75 when there is none yet; anything else is an
    /// error, recorded and retried).
    #[arg(long, value_name = "sim|exec:PROGRAM")]
    black_box: String,
    /// How long an invoice without ticket waits before it is offered again (e.g. 5m, 300s).
    #[arg(long, value_name = "DURATION", default_value = "5m", value_parser = parse_duration)]
    retry_every: Duration,
    /// Time limit for the external program per offer.
    #[arg(long, value_name = "DURATION", default_value = "60s", value_parser = parse_duration)]
    timeout: Duration,
    /// With --watch: look for newly reported invoices at least this often.
    #[arg(long, value_name = "DURATION", default_value = "5s", value_parser = parse_duration)]
    poll: Duration,
    /// Most invoices offered per round.
    #[arg(long, default_value_t = 1000)]
    limit: usize,
    #[command(flatten)]
    opts: LedgerOpts,
}

fn black_box(spec: &str, timeout: Duration) -> Result<Box<dyn BlackBox>, String> {
    if let Some(program) = spec.strip_prefix("exec:") {
        if program.is_empty() {
            return Err("exec: names no program".into());
        }
        Ok(Box::new(ExecBlackBox::new(program, timeout)))
    } else {
        Ok(Box::new(SimBlackBox::new(SimConfig::parse(spec)?)))
    }
}

fn print_round(opts: &LedgerOpts, round: &Round) -> io::Result<()> {
    let mut out = io::stdout().lock();
    if opts.json {
        let answers: Vec<_> = round
            .answers
            .iter()
            .map(|(n, a)| json!({"number": n, "answer": a.kind(), "detail": match a {
                Answer::Ticket(t) => Some(t.as_str()), Answer::Failed(e) => Some(e.as_str()), Answer::NotYet => None }}))
            .collect();
        let v = json!({"ok": true, "offered": round.offered, "tickets": round.tickets,
            "not_yet": round.not_yet, "errors": round.errors, "stale": round.stale,
            "unrecorded": round.unrecorded, "answers": answers});
        return writeln!(out, "{v}");
    }
    for (n, a) in &round.answers {
        writeln!(out, "{n}: {a}")?;
    }
    writeln!(
        out,
        "offered {}: {} ticket(s), {} without ticket yet, {} error(s){}",
        round.offered,
        round.tickets,
        round.not_yet,
        round.errors,
        if round.stale + round.unrecorded > 0 {
            format!(
                ", {} answer(s) no longer applied",
                round.stale + round.unrecorded
            )
        } else {
            String::new()
        }
    )
}

pub(crate) fn run(a: ReportArgs) -> Result<u8, Error> {
    let opts = &a.opts;
    if !a.once && !a.watch {
        let e = factuur::ledger::LedgerError::Invalid(
            "say --once (one round) or --watch (keep going)".into(),
        );
        return fail(opts, None, &e);
    }
    let mut bb = match black_box(&a.black_box, a.timeout) {
        Ok(b) => b,
        Err(m) => return fail(opts, None, &factuur::ledger::LedgerError::Invalid(m)),
    };
    let mut ledger = match open(opts)? {
        Ok(l) => l.with_retry(a.retry_every),
        Err(code) => return Ok(code),
    };
    let user = opts.user();
    loop {
        match run_once(&mut ledger, &user, bb.as_mut(), &SystemClock, a.limit) {
            Ok(round) => {
                if a.once || round.offered > 0 {
                    print_round(opts, &round).map_err(stdout_error)?;
                }
            }
            Err(e) if a.watch && e.is_retryable() => {}
            Err(e) => return fail(opts, None, &e),
        }
        if a.once {
            return Ok(0);
        }
        // Sleep until the next invoice falls due, but look again at least every --poll.
        let wait = match ledger.store().next_due() {
            Ok(Some(t)) => (t - now()).to_std().unwrap_or(Duration::ZERO).min(a.poll),
            _ => a.poll,
        };
        std::thread::sleep(wait.max(Duration::from_millis(50)));
    }
}
