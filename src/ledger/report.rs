//! The reporting loop: offers the reported invoices that are due to the tax black box and
//! records each answer as a transition (a ticket moves the invoice to Verstuurd; none yet or an
//! error schedules the next offer after the retry interval).
//!
//! Sans-IO at heart: the time comes from a [`Clock`], the answers from a [`BlackBox`], and what
//! an answer does is decided by [`transition`](crate::lifecycle::transition). Several loops may
//! run at once (several processes on one PostgreSQL ledger): an invoice may then be offered
//! twice, and the second answer is recorded as a duplicate or a stale answer; nothing is lost
//! or applied twice.

use serde::Serialize;

use crate::lifecycle::{
    Action, Answer, Attempt, BlackBox, Clock, Entry, Event, Offer, Permission, RefusalKind, Status,
};
use crate::ubl::{self, Profile};

use super::{Actor, Ledger, LedgerError};

/// How often one answer is retried against concurrent changes before the loop moves on (the
/// answer is offered again at the next round).
const CONFLICT_RETRIES: usize = 8;

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Round {
    /// Invoices offered.
    pub offered: usize,
    /// Tickets assigned (invoices now Verstuurd).
    pub tickets: usize,
    /// Answers "no ticket yet".
    pub not_yet: usize,
    /// Failed offers (recorded; retried after the interval).
    pub errors: usize,
    /// Answers that no longer applied (the invoice changed meanwhile); recorded in its history.
    pub stale: usize,
    /// Answers that could not be recorded because of concurrent changes even after retrying.
    pub unrecorded: usize,
    /// Per invoice: its number and the answer.
    pub answers: Vec<(String, Answer)>,
}

/// Offers every reported invoice due now (at most `limit`), as `user` (who needs
/// `report.run`), and records the answers.
pub fn run_once(
    ledger: &mut Ledger,
    user: &str,
    black_box: &mut dyn BlackBox,
    clock: &dyn Clock,
    limit: usize,
) -> Result<Round, LedgerError> {
    let permissions = ledger.permissions(user)?;
    if !permissions.allows(Permission::ReportRun) {
        return Err(LedgerError::Forbidden {
            user: user.to_owned(),
            permission: Permission::ReportRun,
            hint: super::GRANT_HINT,
        });
    }
    let mut round = Round::default();
    let due = ledger.store().due(clock.now(), limit)?;
    for number in due {
        // Another loop may have handled it since the list was made.
        let Some(stored) = ledger.store().get(&number)? else {
            continue;
        };
        if stored.status != Status::Gemeld || !stored.reporting.is_due(clock.now()) {
            continue;
        }
        let answer = match ubl::to_xml(&stored.invoice, Profile::Nlcius) {
            Ok(xml) => black_box.offer(&Offer {
                number: &number,
                ubl: &xml,
                now: clock.now(),
                attempt: stored.reporting.attempts.saturating_add(1),
            }),
            Err(e) => Answer::Failed(format!("the invoice could not be written as UBL: {e}")),
        };
        round.offered += 1;
        match record(ledger, user, &number, &answer, clock)? {
            Recorded::Applied => match &answer {
                Answer::Ticket(_) => round.tickets += 1,
                Answer::NotYet => round.not_yet += 1,
                Answer::Failed(_) => round.errors += 1,
            },
            Recorded::Stale => round.stale += 1,
            Recorded::Unrecorded => round.unrecorded += 1,
        }
        round.answers.push((number, answer));
    }
    Ok(round)
}

enum Recorded {
    Applied,
    Stale,
    Unrecorded,
}

/// Records one answer: as a transition when it applies (retrying against concurrent changes),
/// else as a history entry and an attempt of its own.
fn record(
    ledger: &mut Ledger,
    user: &str,
    number: &str,
    answer: &Answer,
    clock: &dyn Clock,
) -> Result<Recorded, LedgerError> {
    for _ in 0..CONFLICT_RETRIES {
        let actor = Actor::new(user, clock.now());
        match ledger.transition(&actor, number, Event::Answer(answer.clone()), None) {
            Ok(_) => return Ok(Recorded::Applied),
            Err(e) if e.is_retryable() => continue,
            Err(LedgerError::Refused(r))
                if matches!(
                    r.kind,
                    RefusalKind::Stale | RefusalKind::TicketMismatch | RefusalKind::Invalid
                ) =>
            {
                let Some(stored) = ledger.store().get(number)? else {
                    return Ok(Recorded::Stale);
                };
                let now = clock.now();
                let entry = Entry {
                    at: now,
                    user: user.to_owned(),
                    action: Action::Attempt,
                    from: Some(stored.status),
                    to: stored.status,
                    detail: format!("answer not applied: {}", r.reason),
                };
                let attempt = Attempt {
                    at: now,
                    n: stored.reporting.attempts.saturating_add(1),
                    answer: answer.clone(),
                };
                ledger.store().append(stored.id, &[entry], Some(&attempt))?;
                return Ok(Recorded::Stale);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(Recorded::Unrecorded)
}
