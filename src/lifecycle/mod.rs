//! The invoice lifecycle: the status flow with the error check as gate, reporting to the tax
//! black box until a VAT ticket arrives, the history, number series and direct purchase
//! invoices.
//!
//! Everything here is sans-IO: [`transition`] is a pure function of the invoice's state, an
//! [`Event`] and a [`Context`] (now, the user and their permissions, the VAT code table, whether
//! the series reports) that returns an [`Outcome`] (new status, history entries, effects) or a
//! [`Refusal`] with its reason. The ledger ([`crate::ledger`], feature `ledger`) stores the
//! outcome in one transaction; the black boxes ([`black_box`]) and the clock ([`Clock`]) are
//! traits, so tests inject them.

pub mod black_box;
pub mod history;
pub mod numbering;
pub mod permissions;
pub mod purchase;
pub mod reporting;
pub mod status;

pub use black_box::{BlackBox, ExecBlackBox, Offer, SimBlackBox, SimConfig};
pub use history::{Action, Entry};
pub use numbering::SeriesFormat;
pub use permissions::{Permission, Permissions, Role};
pub use reporting::{
    Answer, Attempt, Channel, Clock, DEFAULT_RETRY, ManualClock, Reporting, SystemClock,
};
pub use status::{
    Context, Current, Effect, Event, Outcome, Refusal, RefusalKind, Status, transition,
};
