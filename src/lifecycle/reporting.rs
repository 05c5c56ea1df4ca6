//! Reporting to the tax black box (GKS, seed 000): the state a reported invoice carries, the
//! black box's answers, and the clock that drives the retries.
//!
//! Where a number series reports to the black box, sending a *Definitief* invoice makes it
//! *Gemeld* (reported) instead of *Verstuurd*. It is offered to the black box at once, and while
//! no VAT ticket comes back it stays *Gemeld* and is offered again every
//! [`DEFAULT_RETRY`] (five minutes, configurable). When the ticket arrives the invoice becomes
//! *Verstuurd* by itself and the ticket becomes its external reference (printed by the Word
//! field `INVOICE_EXTERNAL_REFERENCE`, carried in the UBL). *Deblokkeer* (unblock) takes a
//! reported invoice back to *Definitief*, but only while it has no ticket.
//!
//! All of that is decided by the pure [`transition`](super::transition) function: an answer is
//! an [`Event::Answer`](super::Event::Answer). This module holds the data; the black boxes
//! themselves are in [`black_box`](super::black_box), and the loop that offers due invoices is
//! [`crate::ledger::report`] (feature `ledger`).

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

/// How long a reported invoice without ticket waits before it is offered again, unless
/// configured otherwise: five minutes, as in the seed.
pub const DEFAULT_RETRY: Duration = Duration::from_secs(300);

/// Longest ticket accepted from a black box, in bytes.
pub const MAX_TICKET: usize = 200;

/// How an invoice is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// By e-mail.
    Email,
    /// Through DICO, the installation sector's chain standard (*ketenstandaard*): only for
    /// invoices whose work order came from DICO.
    Dico,
}

impl Channel {
    /// `email` or `dico`.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Dico => "dico",
        }
    }

    /// `email` (also `e-mail`) or `dico`, any case.
    pub fn from_name(name: &str) -> Option<Channel> {
        match name.to_ascii_lowercase().as_str() {
            "email" | "e-mail" | "mail" => Some(Channel::Email),
            "dico" => Some(Channel::Dico),
            _ => None,
        }
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Channel::Email => "e-mail",
            Channel::Dico => "DICO",
        })
    }
}

/// The reporting state an invoice carries.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Reporting {
    /// The VAT ticket, once assigned. Never removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ticket: Option<String>,
    /// When the invoice last became *Gemeld*; kept after an unblock, so that a ticket that
    /// arrives late is still accepted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported_at: Option<DateTime<Utc>>,
    /// When it is next due to be offered; only while *Gemeld*.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_attempt: Option<DateTime<Utc>>,
    /// How many answers the black box has given for this invoice (tickets, none-yet and errors).
    pub attempts: u32,
    /// How the user sent it: delivery follows the ticket, so that the ticket is on the
    /// document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub via: Option<Channel>,
}

impl Reporting {
    /// Whether the invoice is due to be offered at `now`.
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.ticket.is_none() && self.next_attempt.is_some_and(|t| t <= now)
    }
}

/// What the black box said to one offer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "answer", content = "detail", rename_all = "lowercase")]
pub enum Answer {
    /// A VAT ticket was assigned.
    Ticket(String),
    /// No ticket yet; offer again later.
    NotYet,
    /// The offer failed (black box down, connection error, program failed, time limit): recorded
    /// and retried.
    Failed(String),
}

impl Answer {
    /// `ticket`, `none` or `error`: the word the ledger stores.
    pub fn kind(&self) -> &'static str {
        match self {
            Answer::Ticket(_) => "ticket",
            Answer::NotYet => "none",
            Answer::Failed(_) => "error",
        }
    }
}

impl fmt::Display for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Answer::Ticket(t) => write!(f, "VAT ticket {t}"),
            Answer::NotYet => f.write_str("no ticket yet"),
            Answer::Failed(e) => write!(f, "error: {e}"),
        }
    }
}

/// One offer to the black box and its answer, as the ledger records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attempt {
    /// When the answer was recorded.
    pub at: DateTime<Utc>,
    /// 1 for the invoice's first answer, and so on.
    pub n: u32,
    /// The answer.
    #[serde(flatten)]
    pub answer: Answer,
}

/// Checks a ticket a black box gave: not empty, no control characters or surrounding
/// whitespace, at most [`MAX_TICKET`] bytes.
pub fn check_ticket(ticket: &str) -> Result<(), String> {
    if ticket.is_empty() {
        Err("the black box gave an empty ticket".into())
    } else if ticket.len() > MAX_TICKET {
        Err(format!(
            "the black box gave a ticket of {} bytes; at most {MAX_TICKET}",
            ticket.len()
        ))
    } else if ticket.trim() != ticket || ticket.chars().any(char::is_control) {
        Err(format!(
            "the black box gave a ticket with whitespace or control characters: {ticket:?}"
        ))
    } else {
        Ok(())
    }
}

/// A source of the current time. Injected, so that tests (and the proofs of the retry
/// schedule) never sleep.
pub trait Clock: Send + Sync {
    /// Now.
    fn now(&self) -> DateTime<Utc>;
}

/// The system's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        DateTime::<Utc>::from(std::time::SystemTime::now())
    }
}

/// A clock that moves only when told to.
///
/// ```
/// use factuur::lifecycle::{Clock, ManualClock};
/// let clock = ManualClock::at_millis(1_767_225_600_000);
/// clock.advance(std::time::Duration::from_secs(300));
/// assert_eq!(clock.now().timestamp_millis(), 1_767_225_900_000);
/// ```
#[derive(Debug)]
pub struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    /// A clock standing at `at`.
    pub fn new(at: DateTime<Utc>) -> ManualClock {
        ManualClock(Mutex::new(at))
    }

    /// A clock standing at `millis` since the Unix epoch (out of range counts as the epoch).
    pub fn at_millis(millis: i64) -> ManualClock {
        ManualClock::new(DateTime::from_timestamp_millis(millis).unwrap_or_default())
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut t = self.0.lock().unwrap_or_else(|e| e.into_inner());
        *t += TimeDelta::from_std(by).unwrap_or(TimeDelta::MAX);
    }

    /// Sets the clock.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = at;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_and_tickets() {
        let now = DateTime::from_timestamp_millis(1_000_000).unwrap();
        let mut r = Reporting::default();
        assert!(!r.is_due(now));
        r.next_attempt = Some(now);
        assert!(r.is_due(now));
        r.ticket = Some("T1".into());
        assert!(!r.is_due(now));
        assert!(check_ticket("GKS-1").is_ok());
        assert!(check_ticket("").is_err());
        assert!(check_ticket(" GKS").is_err());
        assert!(check_ticket("a\u{0}").is_err());
        assert!(check_ticket(&"x".repeat(201)).is_err());
        assert_eq!(Channel::from_name("E-mail"), Some(Channel::Email));
        assert_eq!(Channel::from_name("fax"), None);
        assert_eq!(Answer::NotYet.kind(), "none");
    }

    #[test]
    fn clocks() {
        let c = ManualClock::at_millis(0);
        c.advance(Duration::from_millis(1500));
        assert_eq!(c.now().timestamp_millis(), 1500);
        let s = SystemClock.now();
        assert!(s.timestamp() > 1_700_000_000);
    }
}
