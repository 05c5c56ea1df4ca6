//! Rolling back a production run, as a pure judgement over the facts the ledger reads inside
//! the rollback's transaction.
//!
//! The seed's four conditions, each named in a refusal:
//!
//! | condition | refused when |
//! |---|---|
//! | `admin` | the user is not an application administrator (role `admin`) |
//! | `return-message` | a return message of one of the run's invoices was read, approved or partly approved |
//! | `journal-export` | a journal export of any kind ran after the run |
//! | `newer-export` | a later production run (still in the ledger) covers part of the same period |
//!
//! and two that follow from the ledger itself: the run must be a production run still in the
//! ledger (`run`), and none of its invoices may have been sent or reported to the tax black box
//! since (`sent`: correct those with a credit note). When allowed, every invoice of the run is
//! withdrawn (Vervallen, with a history entry naming the run and the reason) and its number
//! lapses: recorded in its series with the run and the reason, so the gap is explained.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::ledger::LapsedNumber;
use crate::ledger::runs::{RollbackFacts, RollbackPlan};
use crate::ledger::{RunMode, RunState};
use crate::lifecycle::{Action, Entry, Status};

/// One condition of a rollback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Condition {
    /// A production run whose invoices are in the ledger.
    Run,
    /// The user is an application administrator.
    Admin,
    /// No return message was read, approved or partly approved.
    ReturnMessage,
    /// No journal export ran after the run.
    JournalExport,
    /// No newer export covers the same period.
    NewerExport,
    /// No invoice of the run was sent or reported since.
    Sent,
}

impl Condition {
    /// The condition's name, as refusals print it.
    pub fn as_str(self) -> &'static str {
        match self {
            Condition::Run => "run",
            Condition::Admin => "admin",
            Condition::ReturnMessage => "return-message",
            Condition::JournalExport => "journal-export",
            Condition::NewerExport => "newer-export",
            Condition::Sent => "sent",
        }
    }
}

/// A condition that does not hold, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refused {
    /// Which.
    pub condition: Condition,
    /// Why, in words.
    pub reason: String,
}

/// Judges a rollback of `facts.run` by `user` at `at`: the plan, or every condition that does
/// not hold.
pub fn judge(
    facts: &RollbackFacts,
    user: &str,
    at: DateTime<Utc>,
    reason: &str,
) -> Result<RollbackPlan, Vec<Refused>> {
    let run = &facts.run;
    let mut refused = Vec::new();
    let mut no = |condition, reason: String| refused.push(Refused { condition, reason });
    if run.mode != RunMode::Production {
        no(
            Condition::Run,
            format!(
                "run {} is a test run: it changed nothing to roll back",
                run.id
            ),
        );
    } else if !run.state.is_committed() {
        no(
            Condition::Run,
            format!(
                "run {} is {}: only a production run whose invoices are in the ledger can be rolled back",
                run.id,
                run.state.as_str().replace('_', " ")
            ),
        );
    }
    if !facts.grants.iter().any(|g| g == "admin") {
        no(
            Condition::Admin,
            format!(
                "user {user:?} is not an application administrator (role admin: `factuur ledger grant {user} admin`)"
            ),
        );
    }
    if !facts.return_messages.is_empty() {
        let list: Vec<String> = facts
            .return_messages
            .iter()
            .take(5)
            .map(|m| format!("{} ({})", m.number, m.state))
            .collect();
        no(
            Condition::ReturnMessage,
            format!(
                "{} return message(s) for its invoices were recorded: {}{}",
                facts.return_messages.len(),
                list.join(", "),
                if facts.return_messages.len() > 5 {
                    ", …"
                } else {
                    ""
                }
            ),
        );
    }
    if let Some(e) = facts.exports_after.first() {
        no(
            Condition::JournalExport,
            format!(
                "journal export {} ({}, {} to {}) ran after the run{}",
                e.id,
                e.kind,
                e.from,
                e.to,
                if facts.exports_after.len() > 1 {
                    format!(", and {} more", facts.exports_after.len() - 1)
                } else {
                    String::new()
                }
            ),
        );
    }
    if let Some(r) = facts.later_runs.first() {
        no(
            Condition::NewerExport,
            format!(
                "production run {} (profile {}, {} to {}) is newer and covers part of the same period",
                r.id, r.profile, r.from, r.to
            ),
        );
    }
    let moved: Vec<&str> = facts
        .invoices
        .iter()
        .filter(|i| i.status != Status::Definitief || i.ticket.is_some())
        .map(|i| i.number.as_str())
        .collect();
    if !moved.is_empty() && run.state != RunState::RolledBack {
        no(
            Condition::Sent,
            format!(
                "{} of its invoices left Definitief (sent or reported: {}{}); correct those with a credit note",
                moved.len(),
                moved.iter().take(5).copied().collect::<Vec<_>>().join(", "),
                if moved.len() > 5 { ", …" } else { "" }
            ),
        );
    }
    if !refused.is_empty() {
        return Err(refused);
    }
    let why = format!("run {} rolled back by {user}: {reason}", run.id);
    let withdraw = facts
        .invoices
        .iter()
        .map(|i| {
            (
                i.id,
                i.number.clone(),
                i.version,
                Entry {
                    at,
                    user: user.to_owned(),
                    action: Action::Withdrawn,
                    from: Some(i.status),
                    to: Status::Vervallen,
                    detail: format!("{why}; number {} lapses", i.number),
                },
            )
        })
        .collect();
    let lapsed = facts
        .invoices
        .iter()
        .filter_map(|i| {
            Some(LapsedNumber {
                series: i.series.clone()?,
                number: i.number.clone(),
                run: Some(run.id.to_string()),
                reason: why.clone(),
                at,
            })
        })
        .collect();
    Ok(RollbackPlan {
        withdraw,
        lapsed,
        reason: reason.to_owned(),
    })
}

/// The refusal in words: every condition that does not hold, by name.
pub fn refusal_text(run: i64, refused: &[Refused]) -> String {
    let mut s = format!("run {run} cannot be rolled back:");
    for r in refused {
        s.push_str(&format!("\n  [{}] {}", r.condition.as_str(), r.reason));
    }
    s
}
