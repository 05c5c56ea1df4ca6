//! The status flow of an invoice (seed 002, with the reporting of seed 000): a pure function
//! from the current state, an event and the context to a new state, history entries and
//! effects, or a refusal with its reason.
//!
//! | from | event | to | gate |
//! |---|---|---|---|
//! | Concept | `proforma` | Proforma | error check |
//! | Concept | `definitief` | Definitief | error check |
//! | Concept, Proforma | `vervallen` | Vervallen | |
//! | Concept, Proforma | edit | (same) | |
//! | Proforma | `verstuurd` | Proforma verstuurd | error check; DICO only for a DICO work order |
//! | Proforma verstuurd | `goedgekeurd` | Definitief | error check |
//! | Proforma verstuurd | `afgekeurd` | Proforma | |
//! | Definitief | `verstuurd` | Verstuurd, or Gemeld where the series reports | DICO only for a DICO work order |
//! | Gemeld | `deblokkeer` | Definitief | no ticket (always so while Gemeld) |
//! | Gemeld | answer: ticket | Verstuurd (the ticket becomes the external reference) | |
//! | Gemeld | answer: none yet / error | Gemeld, next offer after the retry interval | |
//! | Definitief (unblocked earlier) | answer: ticket | Verstuurd (a late ticket still counts) | |
//! | Verstuurd | answer: the same ticket | Verstuurd (a duplicate answer, recorded) | |
//!
//! Everything else is refused with a reason. Definitief, Gemeld and Verstuurd are locked: no
//! edit. Vervallen keeps the number. Nothing deletes an invoice.
//!
//! ```
//! use factuur::lifecycle::{transition, Context, Current, Event, Permissions, Reporting, Status};
//! use factuur::model::VatCodeTable;
//!
//! let invoice = factuur::Invoice::from_json(
//!     &std::fs::read("testdata/invoices/01-domestic-b2b.json").unwrap()).unwrap();
//! let vat = VatCodeTable::dutch_default();
//! let now = chrono::DateTime::from_timestamp(1_767_225_600, 0).unwrap();
//! let ctx = Context::new(now, "anna", Permissions::all(), &vat);
//! let reporting = Reporting::default();
//! let current = Current { status: Status::Concept, invoice: &invoice, reporting: &reporting };
//!
//! let outcome = transition(&current, &Event::Definitief, &ctx).unwrap();
//! assert_eq!(outcome.status, Status::Definitief);
//!
//! let locked = Current { status: Status::Definitief, ..current };
//! let refusal = transition(&locked, &Event::Edit(Box::new(invoice.clone())), &ctx).unwrap_err();
//! assert!(refusal.reason.contains("locked"));
//! ```

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde::Serialize;

use crate::Invoice;
use crate::model::VatCodeTable;
use crate::validate::{Report, check};

use super::history::{Action, Entry};
use super::permissions::{Permission, Permissions};
use super::reporting::{Answer, Attempt, Channel, DEFAULT_RETRY, Reporting, check_ticket};

/// Where an invoice is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// New, being prepared. Editable.
    Concept,
    /// A proforma invoice, passed the error check; editable before it goes to the customer.
    Proforma,
    /// The proforma was sent to the customer and awaits approval (the seed calls this
    /// *Verstuurd* too; it is kept apart from a sent final invoice).
    ProformaSent,
    /// Final: passed the error check, locked, ready to send.
    Definitief,
    /// Reported to the tax black box, waiting for the VAT ticket.
    Gemeld,
    /// Sent.
    Verstuurd,
    /// Void; keeps its number so the series stays gapless.
    Vervallen,
}

impl Status {
    /// Every status, in flow order.
    pub const ALL: [Status; 7] = [
        Status::Concept,
        Status::Proforma,
        Status::ProformaSent,
        Status::Definitief,
        Status::Gemeld,
        Status::Verstuurd,
        Status::Vervallen,
    ];

    /// The status as the command line and the ledger write it: `Concept`, `Proforma`,
    /// `Proforma verstuurd`, `Definitief`, `Gemeld`, `Verstuurd`, `Vervallen`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Concept => "Concept",
            Status::Proforma => "Proforma",
            Status::ProformaSent => "Proforma verstuurd",
            Status::Definitief => "Definitief",
            Status::Gemeld => "Gemeld",
            Status::Verstuurd => "Verstuurd",
            Status::Vervallen => "Vervallen",
        }
    }

    /// Reads a status: the Dutch name in any case, or an English alias (`final`, `reported`,
    /// `sent`, `void`, `proforma sent`).
    pub fn from_name(name: &str) -> Option<Status> {
        let n = name.trim().to_lowercase();
        Status::ALL
            .into_iter()
            .find(|s| s.as_str().to_lowercase() == n)
            .or(match n.as_str() {
                "proforma sent" | "proforma-sent" | "proforma-verstuurd" => {
                    Some(Status::ProformaSent)
                }
                "final" => Some(Status::Definitief),
                "reported" => Some(Status::Gemeld),
                "sent" => Some(Status::Verstuurd),
                "void" => Some(Status::Vervallen),
                _ => None,
            })
    }

    /// Whether the content may be edited: only a concept or a proforma not yet sent.
    pub fn is_editable(self) -> bool {
        matches!(self, Status::Concept | Status::Proforma)
    }

    /// Whether the invoice is locked (final and after): its content never changes again,
    /// except that a VAT ticket becomes its external reference.
    pub fn is_locked(self) -> bool {
        matches!(
            self,
            Status::Definitief | Status::Gemeld | Status::Verstuurd
        )
    }

    /// What may happen next, in words, for refusals.
    fn next_steps(self) -> &'static str {
        match self {
            Status::Concept => "edit, proforma, definitief or vervallen",
            Status::Proforma => "edit, verstuurd (to the customer for approval) or vervallen",
            Status::ProformaSent => "goedgekeurd (approved) or afgekeurd (rejected)",
            Status::Definitief => "verstuurd (by e-mail, or by DICO for a DICO work order)",
            Status::Gemeld => "deblokkeer, or wait for the VAT ticket",
            Status::Verstuurd => "nothing: the invoice has been sent",
            Status::Vervallen => "nothing: the invoice is void (it keeps its number)",
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Something that happens to an invoice.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Replace the content (allowed in Concept and Proforma). The invoice keeps its number: a
    /// different number in the new content is replaced (and noted in the history).
    Edit(Box<Invoice>),
    /// Make it a proforma (from Concept; runs the error check).
    Proforma,
    /// Make it final (from Concept; runs the error check).
    Definitief,
    /// Void it (from Concept or Proforma).
    Vervallen,
    /// Send it: a proforma to the customer for approval, a final invoice to the customer (or,
    /// where the series reports, to the tax black box first).
    Verstuurd(Channel),
    /// The customer approved the proforma.
    Goedgekeurd,
    /// The customer rejected the proforma.
    Afgekeurd,
    /// Take a reported invoice without ticket back from the black box.
    Deblokkeer,
    /// The black box answered an offer.
    Answer(Answer),
}

impl Event {
    /// The event's name: the command line's word for it (`edit` and `answer` for the two that
    /// have none).
    pub fn name(&self) -> &'static str {
        match self {
            Event::Edit(_) => "edit",
            Event::Proforma => "proforma",
            Event::Definitief => "definitief",
            Event::Vervallen => "vervallen",
            Event::Verstuurd(_) => "verstuurd",
            Event::Goedgekeurd => "goedgekeurd",
            Event::Afgekeurd => "afgekeurd",
            Event::Deblokkeer => "deblokkeer",
            Event::Answer(_) => "answer",
        }
    }

    /// Reads an event given by name: `proforma`, `definitief`, `vervallen`, `verstuurd`,
    /// `goedgekeurd`, `afgekeurd`, `deblokkeer`, or the English `final`, `void`, `send`,
    /// `approve`, `reject`, `unblock`. `via` is for `verstuurd` alone (default: e-mail).
    pub fn from_name(name: &str, via: Option<Channel>) -> Result<Event, String> {
        let event = match name.to_ascii_lowercase().as_str() {
            "proforma" => Event::Proforma,
            "definitief" | "final" => Event::Definitief,
            "vervallen" | "void" => Event::Vervallen,
            "verstuurd" | "send" => Event::Verstuurd(via.unwrap_or(Channel::Email)),
            "goedgekeurd" | "approve" => Event::Goedgekeurd,
            "afgekeurd" | "reject" => Event::Afgekeurd,
            "deblokkeer" | "unblock" => Event::Deblokkeer,
            _ => {
                return Err(format!(
                    "unknown event {name:?}: one of proforma, definitief (final), vervallen (void), verstuurd (send), goedgekeurd (approve), afgekeurd (reject), deblokkeer (unblock)"
                ));
            }
        };
        if via.is_some() && !matches!(event, Event::Verstuurd(_)) {
            return Err(format!("--via goes with verstuurd (send), not with {name}"));
        }
        Ok(event)
    }

    /// The permission the event needs.
    pub fn permission(&self) -> Permission {
        match self {
            Event::Edit(_) => Permission::InvoiceEdit,
            Event::Deblokkeer => Permission::InvoiceUnblock,
            Event::Answer(_) => Permission::ReportRun,
            _ => Permission::InvoiceTransition,
        }
    }

    fn action(&self) -> Action {
        match self {
            Event::Edit(_) => Action::Edited,
            Event::Proforma => Action::Proforma,
            Event::Definitief => Action::Definitief,
            Event::Vervallen => Action::Vervallen,
            Event::Verstuurd(_) => Action::Verstuurd,
            Event::Goedgekeurd => Action::Goedgekeurd,
            Event::Afgekeurd => Action::Afgekeurd,
            Event::Deblokkeer => Action::Deblokkeer,
            Event::Answer(Answer::Ticket(_)) => Action::Ticket,
            Event::Answer(_) => Action::Attempt,
        }
    }
}

/// What the transition sees of the invoice.
#[derive(Debug, Clone, Copy)]
pub struct Current<'a> {
    /// Its status.
    pub status: Status,
    /// Its content.
    pub invoice: &'a Invoice,
    /// Its reporting state.
    pub reporting: &'a Reporting,
}

/// Everything besides the invoice that a transition depends on.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// Now.
    pub now: DateTime<Utc>,
    /// The acting user.
    pub user: &'a str,
    /// What that user may do.
    pub permissions: Permissions,
    /// The VAT code table the error check uses.
    pub vat_codes: &'a VatCodeTable,
    /// Whether the invoice's number series (or profile) reports to the tax black box.
    pub reporting: bool,
    /// How long a reported invoice without ticket waits before the next offer.
    pub retry_every: Duration,
    /// A reason or remark given with the event, kept in the history.
    pub note: Option<&'a str>,
}

impl<'a> Context<'a> {
    /// A context without reporting, with the default retry interval and no note.
    pub fn new(
        now: DateTime<Utc>,
        user: &'a str,
        permissions: Permissions,
        vat_codes: &'a VatCodeTable,
    ) -> Context<'a> {
        Context {
            now,
            user,
            permissions,
            vat_codes,
            reporting: false,
            retry_every: DEFAULT_RETRY,
            note: None,
        }
    }

    fn entry(&self, action: Action, from: Status, to: Status, detail: String) -> Entry {
        let detail = match self.note {
            Some(n) if !n.is_empty() && action != Action::Check => {
                if detail.is_empty() {
                    n.to_owned()
                } else {
                    format!("{detail}; {n}")
                }
            }
            _ => detail,
        };
        Entry {
            at: self.now,
            user: self.user.to_owned(),
            action,
            from: Some(from),
            to,
            detail,
        }
    }
}

/// Something the caller should do after an accepted transition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    /// Deliver the invoice (or the proforma) to the customer by this channel.
    Deliver {
        /// The channel.
        via: Channel,
        /// Whether it is the proforma, for approval.
        proforma: bool,
    },
    /// Offer the invoice to the tax black box at `due` (the ledger keeps this as the invoice's
    /// next attempt; the report loop picks it up).
    Report {
        /// When.
        due: DateTime<Utc>,
    },
    /// Stop offering the invoice to the black box.
    StopReporting,
}

/// An accepted transition: what the invoice becomes and what to record and do.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The new status (may equal the old one: an edit, an attempt without ticket).
    pub status: Status,
    /// The new content, when it changes (an edit; a ticket becoming the external reference).
    pub invoice: Option<Invoice>,
    /// The new reporting state.
    pub reporting: Reporting,
    /// Entries for the history, in order. Never empty.
    pub history: Vec<Entry>,
    /// What the caller should do.
    pub effects: Vec<Effect>,
    /// The error check's findings when it ran (warnings only, since it passed).
    pub findings: Report,
    /// The black box's answer to record, for an [`Event::Answer`].
    pub attempt: Option<Attempt>,
}

/// Why a transition is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RefusalKind {
    /// The user lacks the permission the event needs.
    Permission,
    /// The flow has no such step from this status.
    NotAllowed,
    /// The invoice is final (Definitief or later) and cannot be edited.
    Locked,
    /// The error check found fatal findings; they are in [`Refusal::findings`].
    CheckFailed,
    /// DICO was asked for an invoice whose work order did not come from DICO.
    NotDico,
    /// A VAT ticket has been assigned: the invoice can no longer be unblocked.
    Ticketed,
    /// The black box gave a ticket different from the one the invoice already has.
    TicketMismatch,
    /// An answer of the black box that no longer applies (the invoice is not reported any
    /// more).
    Stale,
    /// The event itself is unusable (an unusable ticket).
    Invalid,
}

/// A refused transition: the invoice stays as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// Which kind of refusal.
    pub kind: RefusalKind,
    /// Why, in words.
    pub reason: String,
    /// The error check's findings, for [`RefusalKind::CheckFailed`].
    pub findings: Report,
    /// Entries to record even so (the failed check's result), for the history.
    pub record: Vec<Entry>,
}

impl Refusal {
    fn new(kind: RefusalKind, reason: impl Into<String>) -> Refusal {
        Refusal {
            kind,
            reason: reason.into(),
            findings: Report::new(),
            record: Vec::new(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for Refusal {}

fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn retry_delta(d: Duration) -> TimeDelta {
    TimeDelta::from_std(d).unwrap_or(TimeDelta::MAX)
}

/// Applies `event` to the invoice. Pure: no clock, no store, no IO; the same input gives the
/// same output. See the module documentation for the table.
pub fn transition(
    current: &Current<'_>,
    event: &Event,
    ctx: &Context<'_>,
) -> Result<Outcome, Refusal> {
    use RefusalKind as K;
    use Status as S;

    let needed = event.permission();
    if !ctx.permissions.allows(needed) {
        return Err(Refusal::new(
            K::Permission,
            format!(
                "user {:?} lacks the permission {needed}, which {} needs",
                ctx.user,
                event.name()
            ),
        ));
    }
    let from = current.status;
    let step = Step {
        current,
        ctx,
        event,
    };
    match (from, event) {
        (S::Concept | S::Proforma, Event::Edit(new)) => step.edit(new),
        (S::ProformaSent, Event::Edit(_)) => Err(Refusal::new(
            K::NotAllowed,
            "the proforma is with the customer for approval and cannot be edited; reject it (afgekeurd) first",
        )),
        (S::Definitief | S::Gemeld | S::Verstuurd, Event::Edit(_)) => Err(Refusal::new(
            K::Locked,
            format!("the invoice is {from} and therefore locked: it can no longer be edited"),
        )),
        (S::Vervallen, Event::Edit(_)) => Err(Refusal::new(
            K::NotAllowed,
            "the invoice is void (Vervallen) and can no longer be edited",
        )),
        (S::Concept, Event::Proforma) => step.gated(S::Proforma, Vec::new()),
        (S::Concept, Event::Definitief) => step.gated(S::Definitief, Vec::new()),
        (S::Concept | S::Proforma, Event::Vervallen) => step.plain(S::Vervallen, String::new()),
        (S::Proforma, Event::Verstuurd(via)) => {
            step.dico(*via)?;
            step.gated(
                S::ProformaSent,
                vec![Effect::Deliver {
                    via: *via,
                    proforma: true,
                }],
            )
        }
        (S::ProformaSent, Event::Goedgekeurd) => step.gated(S::Definitief, Vec::new()),
        (S::ProformaSent, Event::Afgekeurd) => step.plain(S::Proforma, String::new()),
        (S::Definitief, Event::Verstuurd(via)) => {
            step.dico(*via)?;
            if ctx.reporting {
                step.report(*via)
            } else {
                let mut out = step.plain(S::Verstuurd, format!("via {via}"))?;
                out.effects.push(Effect::Deliver {
                    via: *via,
                    proforma: false,
                });
                Ok(out)
            }
        }
        (S::Gemeld, Event::Deblokkeer) => step.unblock(),
        (S::Gemeld, Event::Answer(a)) => step.answer_reported(a),
        (S::Definitief, Event::Answer(Answer::Ticket(t)))
            if current.reporting.reported_at.is_some() =>
        {
            step.ticket(t, true)
        }
        (S::Verstuurd, Event::Answer(Answer::Ticket(t))) if current.reporting.ticket.is_some() => {
            step.duplicate(t)
        }
        (_, Event::Answer(a)) => Err(Refusal::new(
            K::Stale,
            format!(
                "the black box answered ({a}) for an invoice that is {from}, not reported: the answer no longer applies"
            ),
        )),
        (S::Verstuurd, Event::Deblokkeer) if current.reporting.ticket.is_some() => {
            Err(Refusal::new(
                K::Ticketed,
                format!(
                    "VAT ticket {} has been assigned: by law a ticketed invoice can no longer be unblocked",
                    current.reporting.ticket.as_deref().unwrap_or_default()
                ),
            ))
        }
        (S::ProformaSent, Event::Vervallen) => Err(Refusal::new(
            K::NotAllowed,
            "the proforma awaits the customer's approval: reject it (afgekeurd) before voiding it",
        )),
        (s, Event::Deblokkeer) => Err(Refusal::new(
            K::NotAllowed,
            format!("only a reported invoice (Gemeld) can be unblocked; this one is {s}"),
        )),
        (S::Proforma, Event::Definitief) => Err(Refusal::new(
            K::NotAllowed,
            "a proforma becomes final when the customer approves it: send it (verstuurd), then goedgekeurd",
        )),
        (S::Definitief | S::Gemeld | S::Verstuurd, Event::Vervallen) => Err(Refusal::new(
            K::NotAllowed,
            format!(
                "the invoice is {from}: a final invoice cannot be voided; correct it with a credit note"
            ),
        )),
        (s, e) if target_of(e) == Some(s) => Err(Refusal::new(
            K::NotAllowed,
            format!("the invoice is already {s}; from here: {}", s.next_steps()),
        )),
        (s, e) => Err(Refusal::new(
            K::NotAllowed,
            format!(
                "{} is not possible from {s}; from {s}: {}",
                e.name(),
                s.next_steps()
            ),
        )),
    }
}

/// The status an event normally leads to, for the message when the invoice is already there.
fn target_of(e: &Event) -> Option<Status> {
    Some(match e {
        Event::Proforma => Status::Proforma,
        Event::Definitief | Event::Goedgekeurd => Status::Definitief,
        Event::Vervallen => Status::Vervallen,
        _ => return None,
    })
}

struct Step<'s, 'a> {
    current: &'s Current<'a>,
    ctx: &'s Context<'a>,
    event: &'s Event,
}

impl Step<'_, '_> {
    fn outcome(&self, to: Status, history: Vec<Entry>) -> Outcome {
        Outcome {
            status: to,
            invoice: None,
            reporting: self.current.reporting.clone(),
            history,
            effects: Vec::new(),
            findings: Report::new(),
            attempt: None,
        }
    }

    fn plain(&self, to: Status, detail: String) -> Result<Outcome, Refusal> {
        let from = self.current.status;
        let entry = self.ctx.entry(self.event.action(), from, to, detail);
        Ok(self.outcome(to, vec![entry]))
    }

    /// The error check as gate: a fatal finding keeps the invoice where it is.
    fn gated(&self, to: Status, effects: Vec<Effect>) -> Result<Outcome, Refusal> {
        let from = self.current.status;
        let report = check::check(self.current.invoice, self.ctx.vat_codes);
        if report.has_fatal() {
            let rules: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
            let fatal = report.count(crate::Severity::Fatal);
            let entry = self.ctx.entry(
                Action::Check,
                from,
                from,
                format!(
                    "failed with {fatal} fatal finding{}: {}",
                    if fatal == 1 { "" } else { "s" },
                    rules.join(", ")
                ),
            );
            return Err(Refusal {
                kind: RefusalKind::CheckFailed,
                reason: format!(
                    "the error check found {fatal} fatal finding{}; the invoice stays {from}",
                    if fatal == 1 { "" } else { "s" }
                ),
                findings: report,
                record: vec![entry],
            });
        }
        let passed = if report.findings.is_empty() {
            "passed".to_owned()
        } else {
            format!("passed with {} warning(s)", report.findings.len())
        };
        let check = self.ctx.entry(Action::Check, from, from, passed);
        let detail = match self.event {
            Event::Verstuurd(via) => format!("via {via}"),
            _ => String::new(),
        };
        let step = self.ctx.entry(self.event.action(), from, to, detail);
        let mut out = self.outcome(to, vec![check, step]);
        out.effects = effects;
        out.findings = report;
        Ok(out)
    }

    fn dico(&self, via: Channel) -> Result<(), Refusal> {
        let is_dico = self
            .current
            .invoice
            .work_order
            .as_ref()
            .is_some_and(|w| w.is_dico());
        if via == Channel::Dico && !is_dico {
            return Err(Refusal::new(
                RefusalKind::NotDico,
                "sending by DICO is only offered when the invoice's work order came from DICO",
            ));
        }
        Ok(())
    }

    fn edit(&self, new: &Invoice) -> Result<Outcome, Refusal> {
        let number = &self.current.invoice.number;
        let mut content = new.clone();
        let mut detail = format!("{} line(s)", content.lines.len());
        if &content.number != number {
            // The number is the ledger's: the edit's own is replaced, as when it was added.
            if !content.number.is_empty() {
                detail.push_str(&format!(
                    "; the edit's number {:?} was replaced by the invoice's",
                    content.number
                ));
            }
            content.number = number.clone();
        }
        let from = self.current.status;
        let entry = self.ctx.entry(Action::Edited, from, from, detail);
        let mut out = self.outcome(from, vec![entry]);
        out.invoice = Some(content);
        Ok(out)
    }

    fn report(&self, via: Channel) -> Result<Outcome, Refusal> {
        let now = self.ctx.now;
        let entry = self.ctx.entry(
            Action::Verstuurd,
            Status::Definitief,
            Status::Gemeld,
            format!(
                "via {via}; reported to the tax black box instead of sent, first offer due at {}",
                stamp(now)
            ),
        );
        let mut out = self.outcome(Status::Gemeld, vec![entry]);
        out.reporting.reported_at = Some(now);
        out.reporting.next_attempt = Some(now);
        out.reporting.via = Some(via);
        out.effects.push(Effect::Report { due: now });
        Ok(out)
    }

    fn unblock(&self) -> Result<Outcome, Refusal> {
        // While Gemeld an invoice never has a ticket (the ticket moves it on at once); the
        // test stays, so that the rule is written where it is enforced.
        if let Some(t) = &self.current.reporting.ticket {
            return Err(Refusal::new(
                RefusalKind::Ticketed,
                format!(
                    "VAT ticket {t} has been assigned: by law the invoice can no longer be unblocked"
                ),
            ));
        }
        let entry = self.ctx.entry(
            Action::Deblokkeer,
            Status::Gemeld,
            Status::Definitief,
            "taken back from the tax black box before a ticket was assigned".into(),
        );
        let mut out = self.outcome(Status::Definitief, vec![entry]);
        out.reporting.next_attempt = None;
        out.effects.push(Effect::StopReporting);
        Ok(out)
    }

    fn attempt(&self, answer: &Answer) -> Attempt {
        Attempt {
            at: self.ctx.now,
            n: self.current.reporting.attempts.saturating_add(1),
            answer: answer.clone(),
        }
    }

    fn answer_reported(&self, answer: &Answer) -> Result<Outcome, Refusal> {
        match answer {
            Answer::Ticket(t) => self.ticket(t, false),
            Answer::NotYet | Answer::Failed(_) => {
                let attempt = self.attempt(answer);
                let next = self.ctx.now + retry_delta(self.ctx.retry_every);
                let entry = self.ctx.entry(
                    Action::Attempt,
                    Status::Gemeld,
                    Status::Gemeld,
                    format!(
                        "attempt {}: {answer}; next offer at {}",
                        attempt.n,
                        stamp(next)
                    ),
                );
                let mut out = self.outcome(Status::Gemeld, vec![entry]);
                out.reporting.attempts = attempt.n;
                out.reporting.next_attempt = Some(next);
                out.effects.push(Effect::Report { due: next });
                out.attempt = Some(attempt);
                Ok(out)
            }
        }
    }

    fn ticket(&self, ticket: &str, late: bool) -> Result<Outcome, Refusal> {
        check_ticket(ticket).map_err(|e| Refusal::new(RefusalKind::Invalid, e))?;
        let from = self.current.status;
        let attempt = self.attempt(&Answer::Ticket(ticket.to_owned()));
        let mut detail = format!("VAT ticket {ticket} assigned (attempt {})", attempt.n);
        if late {
            detail.push_str(
                "; it arrived after the invoice was unblocked, and a registered invoice counts as sent",
            );
        }
        if let Some(old) = &self.current.invoice.external_reference
            && !old.is_empty()
            && old != ticket
        {
            detail.push_str(&format!("; replaces external reference {old:?}"));
        }
        let entry = self
            .ctx
            .entry(Action::Ticket, from, Status::Verstuurd, detail);
        let mut out = self.outcome(Status::Verstuurd, vec![entry]);
        let mut content = self.current.invoice.clone();
        content.external_reference = Some(ticket.to_owned());
        out.invoice = Some(content);
        out.reporting.ticket = Some(ticket.to_owned());
        out.reporting.next_attempt = None;
        out.reporting.attempts = attempt.n;
        out.effects.push(Effect::Deliver {
            via: self.current.reporting.via.unwrap_or(Channel::Email),
            proforma: false,
        });
        out.attempt = Some(attempt);
        Ok(out)
    }

    fn duplicate(&self, ticket: &str) -> Result<Outcome, Refusal> {
        let have = self.current.reporting.ticket.as_deref().unwrap_or_default();
        if have != ticket {
            return Err(Refusal::new(
                RefusalKind::TicketMismatch,
                format!(
                    "the invoice already has VAT ticket {have}; the black box now answered {ticket}: kept {have}"
                ),
            ));
        }
        let attempt = self.attempt(&Answer::Ticket(ticket.to_owned()));
        let entry = self.ctx.entry(
            Action::Attempt,
            Status::Verstuurd,
            Status::Verstuurd,
            format!(
                "attempt {}: the black box answered ticket {ticket} again (a duplicate answer)",
                attempt.n
            ),
        );
        let mut out = self.outcome(Status::Verstuurd, vec![entry]);
        out.reporting.attempts = attempt.n;
        out.attempt = Some(attempt);
        Ok(out)
    }
}
