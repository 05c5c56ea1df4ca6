//! `factuur transition NUMBER EVENT` and `factuur history NUMBER`: moving an invoice through
//! its status flow, and what happened to it.

use std::io::{self, Write};
use std::path::PathBuf;

use factuur::Error;
use factuur::ledger::Actor;
use factuur::lifecycle::{Channel, Effect, Event};
use serde_json::json;

use super::ledger::{LedgerOpts, fail, now, open, stamp};
use super::{load_table, stdout_error};

/// Arguments of `factuur transition`.
#[derive(clap::Args)]
pub(crate) struct TransitionArgs {
    /// The invoice number.
    number: String,
    /// proforma, definitief (final), vervallen (void), verstuurd (send), goedgekeurd
    /// (approve), afgekeurd (reject) or deblokkeer (unblock).
    event: String,
    /// How it is sent (with verstuurd): email, or dico for an invoice whose work order came
    /// from DICO.
    #[arg(long, value_name = "email|dico", value_parser = parse_channel)]
    via: Option<Channel>,
    /// A reason or remark, kept in the history.
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    /// Refuse (exit 3) unless the invoice is still at this version.
    #[arg(long, value_name = "V")]
    expect_version: Option<i64>,
    /// VAT code table for the error check instead of the Dutch default.
    #[arg(long, value_name = "FILE")]
    vat_codes: Option<PathBuf>,
    #[command(flatten)]
    opts: LedgerOpts,
}

fn parse_channel(s: &str) -> Result<Channel, String> {
    Channel::from_name(s).ok_or_else(|| format!("unknown channel {s:?}: email or dico"))
}

fn effect_text(e: &Effect) -> String {
    match e {
        Effect::Deliver {
            via,
            proforma: true,
        } => format!("send the proforma to the customer by {via}"),
        Effect::Deliver { via, .. } => format!("send the invoice to the customer by {via}"),
        Effect::Report { due } => format!(
            "offer it to the tax black box at {} (factuur report)",
            stamp(*due)
        ),
        Effect::StopReporting => "no longer offered to the tax black box".into(),
    }
}

pub(crate) fn run(a: TransitionArgs) -> Result<u8, Error> {
    let opts = &a.opts;
    let event = match Event::from_name(&a.event, a.via) {
        Ok(e) => e,
        Err(m) => {
            let e = factuur::ledger::LedgerError::Invalid(m);
            return fail(opts, Some(&a.number), &e);
        }
    };
    let table = load_table(a.vat_codes.as_deref())?;
    let mut ledger = match open(opts)? {
        Ok(l) => l.with_vat_codes(table),
        Err(code) => return Ok(code),
    };
    let user = opts.user();
    let actor = Actor::new(&user, now()).with_note(a.reason.as_deref());
    let before = ledger
        .store()
        .get(&a.number)
        .ok()
        .flatten()
        .map(|s| s.status);
    match ledger.transition(&actor, &a.number, event, a.expect_version) {
        Ok(done) => {
            let s = &done.invoice;
            let mut out = io::stdout().lock();
            if opts.json {
                let v = json!({"ok": true, "number": s.number, "from": before, "status": s.status,
                    "version": s.version, "effects": done.outcome.effects,
                    "findings": done.outcome.findings.findings});
                writeln!(out, "{v}")
            } else {
                let from = before.map(|b| format!("{b} → ")).unwrap_or_default();
                let mut text =
                    format!("{}: {from}{} (version {})\n", s.number, s.status, s.version);
                for e in &done.outcome.effects {
                    text += &format!("  next: {}\n", effect_text(e));
                }
                out.write_all(text.as_bytes())
            }
            .map_err(stdout_error)?;
            Ok(0)
        }
        Err(e) => fail(opts, Some(&a.number), &e),
    }
}

/// Arguments of `factuur history`.
#[derive(clap::Args)]
pub(crate) struct HistoryArgs {
    /// The invoice number.
    number: String,
    #[command(flatten)]
    opts: LedgerOpts,
}

pub(crate) fn run_history(a: HistoryArgs) -> Result<u8, Error> {
    let opts = &a.opts;
    let mut ledger = match open(opts)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let user = opts.user();
    let entries = match ledger.history(&Actor::new(&user, now()), &a.number) {
        Ok(h) => h,
        Err(e) => return fail(opts, Some(&a.number), &e),
    };
    let mut out = io::stdout().lock();
    for r in entries {
        if opts.json {
            writeln!(out, "{}", json!(r))
        } else {
            writeln!(out, "v{:<3} {}", r.version, r.entry)
        }
        .map_err(stdout_error)?;
    }
    Ok(0)
}
