//! `factuur ledger init|grant|series`, and what every ledger command shares: `--db`, `--as`,
//! `--json`, opening the ledger and the exit codes (0 done, 1 refused, 2 unusable input or
//! usage, 3 a conflict with a concurrent change: retry).

use std::io::{self, Write};

use chrono::{DateTime, SecondsFormat, Utc};
use factuur::Error;
use factuur::ledger::{Actor, Ledger, LedgerError};
use factuur::lifecycle::{Clock, SeriesFormat, SystemClock};
use serde_json::json;

use super::stdout_error;

/// The options every ledger command takes.
#[derive(clap::Args, Clone, Debug)]
pub(crate) struct LedgerOpts {
    /// The ledger: an SQLite file, or postgres://… for a shared PostgreSQL ledger
    /// [default: $FACTUUR_DB, else factuur.sqlite]
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    /// The acting user, whose roles and permissions count [default: $FACTUUR_USER, else
    /// $USER]
    #[arg(long = "as", value_name = "USER")]
    acting: Option<String>,
    /// Machine-readable output (JSON).
    #[arg(long)]
    pub(crate) json: bool,
}

impl LedgerOpts {
    /// The ledger's URL.
    pub(crate) fn url(&self) -> String {
        self.db
            .clone()
            .or_else(|| std::env::var("FACTUUR_DB").ok().filter(|v| !v.is_empty()))
            .unwrap_or_else(|| "factuur.sqlite".to_owned())
    }

    /// The acting user.
    pub(crate) fn user(&self) -> String {
        self.acting
            .clone()
            .or_else(|| std::env::var("FACTUUR_USER").ok())
            .or_else(|| std::env::var("USER").ok())
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "factuur".to_owned())
    }

    /// The SQLite file of the ledger, if it is one (not `:memory:`, not PostgreSQL).
    pub(crate) fn sqlite_path(&self) -> Option<String> {
        let url = self.url();
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return None;
        }
        let path = match url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            Some(rest) => rest.split_once('?').map_or(rest, |(p, _)| p),
            None => &url,
        }
        .to_owned();
        (path != ":memory:").then_some(path)
    }
}

/// Now, by the system clock.
pub(crate) fn now() -> DateTime<Utc> {
    SystemClock.now()
}

/// A time as the command line prints it.
pub(crate) fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The exit status for a ledger error.
pub(crate) fn exit_code(e: &LedgerError) -> u8 {
    match e {
        LedgerError::Refused(_)
        | LedgerError::Forbidden { .. }
        | LedgerError::DuplicateNumber(_) => 1,
        LedgerError::Conflict { .. } | LedgerError::Busy(_) => 3,
        _ => 2,
    }
}

fn kind(e: &LedgerError) -> &'static str {
    match e {
        LedgerError::Refused(_) => "refused",
        LedgerError::Forbidden { .. } => "forbidden",
        LedgerError::DuplicateNumber(_) => "duplicate_number",
        LedgerError::Conflict { .. } => "conflict",
        LedgerError::Busy(_) => "busy",
        LedgerError::NotFound(_) => "not_found",
        LedgerError::UnknownSeries(_) => "unknown_series",
        LedgerError::NotInitialised => "not_initialised",
        _ => "error",
    }
}

/// Prints a ledger error (with a refusal's findings) and returns its exit status.
pub(crate) fn fail(opts: &LedgerOpts, context: Option<&str>, e: &LedgerError) -> Result<u8, Error> {
    let code = exit_code(e);
    let prefix = context.map(|c| format!("{c}: ")).unwrap_or_default();
    if opts.json {
        let mut v = json!({"ok": false, "error": {"kind": kind(e), "message": e.to_string()}});
        if let Some(c) = context {
            v["number"] = json!(c);
        }
        if let LedgerError::Refused(r) = e {
            v["error"]["refusal"] = json!(r.kind);
            if !r.findings.findings.is_empty() {
                v["findings"] = json!(r.findings.findings);
            }
        }
        let mut out = io::stdout().lock();
        writeln!(out, "{v}").map_err(stdout_error)?;
    } else {
        eprintln!("factuur: {prefix}{e}");
        if let LedgerError::Refused(r) = e {
            for f in &r.findings.findings {
                eprintln!(
                    "  {} {} at {}: {}",
                    f.severity, f.rule, f.location.path, f.message.en
                );
            }
        }
    }
    Ok(code)
}

/// Opens the ledger for a command; `None` after printing why it cannot be used.
pub(crate) fn open(opts: &LedgerOpts) -> Result<Result<Ledger, u8>, Error> {
    if let Some(path) = opts.sqlite_path()
        && !std::path::Path::new(&path).exists()
    {
        let e = LedgerError::Invalid(format!(
            "no ledger at {path}: create it with `factuur ledger init --db {path}`"
        ));
        return fail(opts, None, &e).map(Err);
    }
    let mut ledger = match Ledger::open(&opts.url()) {
        Ok(l) => l,
        Err(e) => return fail(opts, None, &e).map(Err),
    };
    match ledger.ready() {
        Ok(()) => Ok(Ok(ledger)),
        Err(e) => fail(opts, None, &e).map(Err),
    }
}

/// `factuur ledger …`.
#[derive(clap::Subcommand)]
pub(crate) enum LedgerAction {
    /// Create the ledger (or bring its tables up to date). On a ledger without an admin, the
    /// acting user becomes admin.
    Init {
        #[command(flatten)]
        opts: LedgerOpts,
    },
    /// Grant a role (admin, clerk, viewer, reporter) or a single permission (invoice.create,
    /// invoice.edit, invoice.transition, invoice.unblock, invoice.view, reported.list,
    /// report.run, ledger.admin) to a user. Needs ledger.admin.
    Grant {
        /// The user.
        user: String,
        /// The role or permission.
        role_or_permission: String,
        #[command(flatten)]
        opts: LedgerOpts,
    },
    /// Create a number series or change its format and reporting. Needs ledger.admin.
    Series {
        /// The series' name.
        name: String,
        /// The number format: literal text with {year} and {seq:N} (the sequence, zero-padded
        /// to N digits), e.g. {year}-{seq:5} gives 2026-00017.
        #[arg(long)]
        format: String,
        /// Report this series' invoices to the tax black box (GKS) when they are sent.
        #[arg(long)]
        gks: bool,
        #[command(flatten)]
        opts: LedgerOpts,
    },
}

pub(crate) fn run(action: LedgerAction) -> Result<u8, Error> {
    match action {
        LedgerAction::Init { opts } => init(&opts),
        LedgerAction::Grant {
            user,
            role_or_permission,
            opts,
        } => grant(&opts, &user, &role_or_permission),
        LedgerAction::Series {
            name,
            format,
            gks,
            opts,
        } => series(&opts, &name, &format, gks),
    }
}

fn init(opts: &LedgerOpts) -> Result<u8, Error> {
    let user = opts.user();
    let mut ledger = match Ledger::open(&opts.url()) {
        Ok(l) => l,
        Err(e) => return fail(opts, None, &e),
    };
    let admin = match ledger.init(&Actor::new(&user, now())) {
        Ok(a) => a,
        Err(e) => return fail(opts, None, &e),
    };
    let backend = ledger.store().backend();
    let schema = ledger.store().schema_version().unwrap_or(0);
    let mut out = io::stdout().lock();
    if opts.json {
        let v = json!({"ok": true, "backend": backend, "schema": schema, "admin": admin.then_some(&user)});
        writeln!(out, "{v}")
    } else {
        writeln!(
            out,
            "ledger ready ({backend}, schema {schema}){}",
            if admin {
                format!("; {user} is admin")
            } else {
                String::new()
            }
        )
    }
    .map_err(stdout_error)?;
    Ok(0)
}

fn grant(opts: &LedgerOpts, user: &str, grant: &str) -> Result<u8, Error> {
    let mut ledger = match open(opts)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let me = opts.user();
    let new = match ledger.grant(&Actor::new(&me, now()), user, grant) {
        Ok(n) => n,
        Err(e) => return fail(opts, None, &e),
    };
    let mut out = io::stdout().lock();
    if opts.json {
        writeln!(
            out,
            "{}",
            json!({"ok": true, "user": user, "grant": grant, "new": new})
        )
    } else if new {
        writeln!(out, "granted {grant} to {user}")
    } else {
        writeln!(out, "{user} already had {grant}")
    }
    .map_err(stdout_error)?;
    Ok(0)
}

fn series(opts: &LedgerOpts, name: &str, format: &str, gks: bool) -> Result<u8, Error> {
    let mut ledger = match open(opts)? {
        Ok(l) => l,
        Err(code) => return Ok(code),
    };
    let me = opts.user();
    let at = now();
    let s = match ledger.put_series(&Actor::new(&me, at), name, format, gks) {
        Ok(s) => s,
        Err(e) => return fail(opts, None, &e),
    };
    let example = SeriesFormat::parse(&s.format)
        .map(|f| f.format(chrono::Datelike::year(&at), 1))
        .unwrap_or_default();
    let mut out = io::stdout().lock();
    if opts.json {
        writeln!(
            out,
            "{}",
            json!({"ok": true, "series": s, "example": example})
        )
    } else {
        writeln!(
            out,
            "series {}: format {} (numbers like {example}){}",
            s.name,
            s.format,
            if s.gks {
                ", reported to the tax black box"
            } else {
                ""
            }
        )
    }
    .map_err(stdout_error)?;
    Ok(0)
}
