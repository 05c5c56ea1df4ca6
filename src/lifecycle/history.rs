//! The history of an invoice: every transition, check result, reporting attempt and ticket,
//! with when, who, from, to and what. Entries are only ever appended; the ledger refuses to
//! change or remove one.

use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use super::status::Status;

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Action {
    /// The invoice was added to the ledger and got its number.
    Created,
    /// The content was replaced (concept or proforma).
    Edited,
    /// The error check ran; the detail says how it went.
    Check,
    /// Concept → Proforma.
    Proforma,
    /// To Definitief (from Concept).
    Definitief,
    /// To Vervallen.
    Vervallen,
    /// Sent: the proforma to the customer, or the final invoice (to Verstuurd or, when the
    /// series reports to the black box, to Gemeld).
    Verstuurd,
    /// The customer approved the proforma.
    Goedgekeurd,
    /// The customer rejected the proforma.
    Afgekeurd,
    /// A reported invoice without ticket was taken back (Gemeld → Definitief).
    Deblokkeer,
    /// The invoice was offered to the tax black box and no ticket came back.
    Attempt,
    /// The black box assigned a VAT ticket.
    Ticket,
    /// The invoice was withdrawn with the rollback of its invoice run (to Vervallen); its
    /// number lapsed.
    Withdrawn,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 13] = [
        Action::Created,
        Action::Edited,
        Action::Check,
        Action::Proforma,
        Action::Definitief,
        Action::Vervallen,
        Action::Verstuurd,
        Action::Goedgekeurd,
        Action::Afgekeurd,
        Action::Deblokkeer,
        Action::Attempt,
        Action::Ticket,
        Action::Withdrawn,
    ];

    /// The action's name as stored: `created`, `deblokkeer`, `ticket`, ….
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Edited => "edited",
            Action::Check => "check",
            Action::Proforma => "proforma",
            Action::Definitief => "definitief",
            Action::Vervallen => "vervallen",
            Action::Verstuurd => "verstuurd",
            Action::Goedgekeurd => "goedgekeurd",
            Action::Afgekeurd => "afgekeurd",
            Action::Deblokkeer => "deblokkeer",
            Action::Attempt => "attempt",
            Action::Ticket => "ticket",
            Action::Withdrawn => "withdrawn",
        }
    }

    /// The action with this stored name.
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of an invoice's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who: the acting user.
    pub user: String,
    /// What happened.
    pub action: Action,
    /// The status before (`None` for the entry that creates the invoice).
    pub from: Option<Status>,
    /// The status after.
    pub to: Status,
    /// The particulars in words: the check's result, the ticket, the error of an attempt, the
    /// reason given.
    pub detail: String,
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}  {:<12} {:<11} ",
            self.at.to_rfc3339_opts(SecondsFormat::Millis, true),
            self.user,
            self.action
        )?;
        match self.from {
            Some(from) if from != self.to => write!(f, "{from} → {}", self.to)?,
            _ => write!(f, "{}", self.to)?,
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// An entry as the ledger keeps it: with the invoice version it belongs to (the version the
/// invoice reached with the change that wrote it, or the current version for entries recorded
/// without a change, such as a failed check) and its position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Recorded {
    /// Position in the ledger's history, increasing.
    pub seq: i64,
    /// The invoice version.
    pub version: i64,
    /// The entry.
    #[serde(flatten)]
    pub entry: Entry,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_round_trip_and_display() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.as_str()), Some(a));
        }
        let e = Entry {
            at: DateTime::from_timestamp_millis(1_767_225_600_000).unwrap(),
            user: "anna".into(),
            action: Action::Proforma,
            from: Some(Status::Concept),
            to: Status::Proforma,
            detail: String::new(),
        };
        let text = e.to_string();
        assert!(text.starts_with("2026-01-01T00:00:00.000Z  anna"), "{text}");
        assert!(text.ends_with("Concept → Proforma"), "{text}");
    }
}
