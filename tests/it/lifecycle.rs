//! The status flow: every (state, event) pair, allowed or refused with its reason; the seed's
//! direct-purchase message per offending row.

use chrono::DateTime;
use factuur::Invoice;
use factuur::lifecycle::purchase::{self, Administration, PurchaseInvoice};
use factuur::lifecycle::{
    Action, Answer, Channel, Context, Current, Effect, Event, Permissions, RefusalKind, Reporting,
    Role, Status, transition,
};
use factuur::model::VatCodeTable;

use crate::repo;

pub fn good() -> Invoice {
    Invoice::from_json(&std::fs::read(repo("testdata/invoices/01-domestic-b2b.json")).unwrap())
        .unwrap()
}

pub fn dico() -> Invoice {
    Invoice::from_json(&std::fs::read(repo("testdata/invoices/13-dico-work-order.json")).unwrap())
        .unwrap()
}

/// An invoice the error check refuses: no branch, a line without VAT code.
pub fn bad() -> Invoice {
    let mut i = good();
    i.branch = None;
    i.lines[0].vat.code = None;
    i
}

/// Every (state, event) pair. A state is a status with flags: `gks` (the series reports),
/// `unblocked` (reported before, then unblocked), `ticket` (VAT ticket T assigned), `bad` (fails
/// the error check), `dico` (a DICO work order), `viewer` (the user may only view). The
/// expectation is the new status, or `!kind: words of the reason`.
const TABLE: &str = "
Concept            | edit        | Concept
Concept            | proforma    | Proforma
Concept            | definitief  | Definitief
Concept            | vervallen   | Vervallen
Concept            | send-email  | !not_allowed: verstuurd is not possible from Concept
Concept            | send-dico   | !not_allowed: verstuurd is not possible from Concept
Concept            | goedgekeurd | !not_allowed: goedgekeurd is not possible from Concept
Concept            | afgekeurd   | !not_allowed: afgekeurd is not possible from Concept
Concept            | deblokkeer  | !not_allowed: only a reported invoice (Gemeld) can be unblocked
Concept            | ticket-T    | !stale: for an invoice that is Concept, not reported
Concept            | ticket-U    | !stale: for an invoice that is Concept, not reported
Concept            | none-yet    | !stale: for an invoice that is Concept, not reported
Concept            | error       | !stale: for an invoice that is Concept, not reported
Proforma           | edit        | Proforma
Proforma           | proforma    | !not_allowed: already Proforma
Proforma           | definitief  | !not_allowed: a proforma becomes final when the customer approves it
Proforma           | vervallen   | Vervallen
Proforma           | send-email  | Proforma verstuurd
Proforma           | send-dico   | !not_dico: only offered when the invoice's work order came from DICO
Proforma           | goedgekeurd | !not_allowed: goedgekeurd is not possible from Proforma
Proforma           | afgekeurd   | !not_allowed: afgekeurd is not possible from Proforma
Proforma           | deblokkeer  | !not_allowed: only a reported invoice (Gemeld) can be unblocked
Proforma           | ticket-T    | !stale: not reported
Proforma           | ticket-U    | !stale: not reported
Proforma           | none-yet    | !stale: not reported
Proforma           | error       | !stale: not reported
Proforma verstuurd | edit        | !not_allowed: with the customer for approval and cannot be edited
Proforma verstuurd | proforma    | !not_allowed: proforma is not possible from Proforma verstuurd
Proforma verstuurd | definitief  | !not_allowed: definitief is not possible from Proforma verstuurd
Proforma verstuurd | vervallen   | !not_allowed: reject it (afgekeurd) before voiding it
Proforma verstuurd | send-email  | !not_allowed: verstuurd is not possible from Proforma verstuurd
Proforma verstuurd | send-dico   | !not_allowed: verstuurd is not possible from Proforma verstuurd
Proforma verstuurd | goedgekeurd | Definitief
Proforma verstuurd | afgekeurd   | Proforma
Proforma verstuurd | deblokkeer  | !not_allowed: only a reported invoice (Gemeld) can be unblocked
Proforma verstuurd | ticket-T    | !stale: not reported
Proforma verstuurd | ticket-U    | !stale: not reported
Proforma verstuurd | none-yet    | !stale: not reported
Proforma verstuurd | error       | !stale: not reported
Definitief         | edit        | !locked: Definitief and therefore locked
Definitief         | proforma    | !not_allowed: proforma is not possible from Definitief
Definitief         | definitief  | !not_allowed: already Definitief
Definitief         | vervallen   | !not_allowed: a final invoice cannot be voided
Definitief         | send-email  | Verstuurd
Definitief         | send-dico   | !not_dico: only offered when the invoice's work order came from DICO
Definitief         | goedgekeurd | !not_allowed: already Definitief
Definitief         | afgekeurd   | !not_allowed: afgekeurd is not possible from Definitief
Definitief         | deblokkeer  | !not_allowed: only a reported invoice (Gemeld) can be unblocked; this one is Definitief
Definitief         | ticket-T    | !stale: not reported
Definitief         | ticket-U    | !stale: not reported
Definitief         | none-yet    | !stale: not reported
Definitief         | error       | !stale: not reported
Definitief gks     | edit        | !locked: locked
Definitief gks     | proforma    | !not_allowed: proforma is not possible from Definitief
Definitief gks     | definitief  | !not_allowed: already Definitief
Definitief gks     | vervallen   | !not_allowed: a final invoice cannot be voided
Definitief gks     | send-email  | Gemeld
Definitief gks     | send-dico   | !not_dico: only offered when
Definitief gks     | goedgekeurd | !not_allowed: already Definitief
Definitief gks     | afgekeurd   | !not_allowed: afgekeurd is not possible from Definitief
Definitief gks     | deblokkeer  | !not_allowed: only a reported invoice (Gemeld) can be unblocked
Definitief gks     | ticket-T    | !stale: not reported
Definitief gks     | ticket-U    | !stale: not reported
Definitief gks     | none-yet    | !stale: not reported
Definitief gks     | error       | !stale: not reported
Definitief gks unblocked | edit        | !locked: locked
Definitief gks unblocked | proforma    | !not_allowed: proforma is not possible from Definitief
Definitief gks unblocked | definitief  | !not_allowed: already Definitief
Definitief gks unblocked | vervallen   | !not_allowed: a final invoice cannot be voided
Definitief gks unblocked | send-email  | Gemeld
Definitief gks unblocked | send-dico   | !not_dico: only offered when
Definitief gks unblocked | goedgekeurd | !not_allowed: already Definitief
Definitief gks unblocked | afgekeurd   | !not_allowed: afgekeurd is not possible from Definitief
Definitief gks unblocked | deblokkeer  | !not_allowed: only a reported invoice (Gemeld) can be unblocked
Definitief gks unblocked | ticket-T    | Verstuurd
Definitief gks unblocked | ticket-U    | Verstuurd
Definitief gks unblocked | none-yet    | !stale: not reported
Definitief gks unblocked | error       | !stale: not reported
Gemeld gks         | edit        | !locked: Gemeld and therefore locked
Gemeld gks         | proforma    | !not_allowed: proforma is not possible from Gemeld
Gemeld gks         | definitief  | !not_allowed: definitief is not possible from Gemeld
Gemeld gks         | vervallen   | !not_allowed: a final invoice cannot be voided
Gemeld gks         | send-email  | !not_allowed: verstuurd is not possible from Gemeld
Gemeld gks         | send-dico   | !not_allowed: verstuurd is not possible from Gemeld
Gemeld gks         | goedgekeurd | !not_allowed: goedgekeurd is not possible from Gemeld
Gemeld gks         | afgekeurd   | !not_allowed: afgekeurd is not possible from Gemeld
Gemeld gks         | deblokkeer  | Definitief
Gemeld gks         | ticket-T    | Verstuurd
Gemeld gks         | ticket-U    | Verstuurd
Gemeld gks         | none-yet    | Gemeld
Gemeld gks         | error       | Gemeld
Verstuurd          | edit        | !locked: Verstuurd and therefore locked
Verstuurd          | proforma    | !not_allowed: proforma is not possible from Verstuurd; from Verstuurd: nothing
Verstuurd          | definitief  | !not_allowed: definitief is not possible from Verstuurd
Verstuurd          | vervallen   | !not_allowed: a final invoice cannot be voided
Verstuurd          | send-email  | !not_allowed: verstuurd is not possible from Verstuurd
Verstuurd          | send-dico   | !not_allowed: verstuurd is not possible from Verstuurd
Verstuurd          | goedgekeurd | !not_allowed: goedgekeurd is not possible from Verstuurd
Verstuurd          | afgekeurd   | !not_allowed: afgekeurd is not possible from Verstuurd
Verstuurd          | deblokkeer  | !not_allowed: only a reported invoice (Gemeld) can be unblocked
Verstuurd          | ticket-T    | !stale: not reported
Verstuurd          | ticket-U    | !stale: not reported
Verstuurd          | none-yet    | !stale: not reported
Verstuurd          | error       | !stale: not reported
Verstuurd gks ticket | edit        | !locked: locked
Verstuurd gks ticket | proforma    | !not_allowed: proforma is not possible from Verstuurd
Verstuurd gks ticket | definitief  | !not_allowed: definitief is not possible from Verstuurd
Verstuurd gks ticket | vervallen   | !not_allowed: a final invoice cannot be voided
Verstuurd gks ticket | send-email  | !not_allowed: verstuurd is not possible from Verstuurd
Verstuurd gks ticket | send-dico   | !not_allowed: verstuurd is not possible from Verstuurd
Verstuurd gks ticket | goedgekeurd | !not_allowed: goedgekeurd is not possible from Verstuurd
Verstuurd gks ticket | afgekeurd   | !not_allowed: afgekeurd is not possible from Verstuurd
Verstuurd gks ticket | deblokkeer  | !ticketed: VAT ticket T has been assigned: by law a ticketed invoice can no longer be unblocked
Verstuurd gks ticket | ticket-T    | Verstuurd
Verstuurd gks ticket | ticket-U    | !ticket_mismatch: already has VAT ticket T; the black box now answered U
Verstuurd gks ticket | none-yet    | !stale: not reported
Verstuurd gks ticket | error       | !stale: not reported
Vervallen          | edit        | !not_allowed: void (Vervallen) and can no longer be edited
Vervallen          | proforma    | !not_allowed: proforma is not possible from Vervallen; from Vervallen: nothing: the invoice is void
Vervallen          | definitief  | !not_allowed: definitief is not possible from Vervallen
Vervallen          | vervallen   | !not_allowed: already Vervallen
Vervallen          | send-email  | !not_allowed: verstuurd is not possible from Vervallen
Vervallen          | send-dico   | !not_allowed: verstuurd is not possible from Vervallen
Vervallen          | goedgekeurd | !not_allowed: goedgekeurd is not possible from Vervallen
Vervallen          | afgekeurd   | !not_allowed: afgekeurd is not possible from Vervallen
Vervallen          | deblokkeer  | !not_allowed: only a reported invoice (Gemeld) can be unblocked
Vervallen          | ticket-T    | !stale: not reported
Vervallen          | ticket-U    | !stale: not reported
Vervallen          | none-yet    | !stale: not reported
Vervallen          | error       | !stale: not reported
Concept bad        | edit        | Concept
Concept bad        | proforma    | !check_failed: the error check found 2 fatal findings; the invoice stays Concept
Concept bad        | definitief  | !check_failed: the invoice stays Concept
Concept bad        | vervallen   | Vervallen
Proforma bad       | edit        | Proforma
Proforma bad       | send-email  | !check_failed: the invoice stays Proforma
Proforma bad       | vervallen   | Vervallen
Proforma verstuurd bad | goedgekeurd | !check_failed: the invoice stays Proforma verstuurd
Proforma verstuurd bad | afgekeurd   | Proforma
Proforma dico      | send-dico   | Proforma verstuurd
Definitief dico    | send-dico   | Verstuurd
Definitief gks dico | send-dico  | Gemeld
Concept viewer     | edit        | !permission: lacks the permission invoice.edit, which edit needs
Concept viewer     | proforma    | !permission: lacks the permission invoice.transition, which proforma needs
Gemeld gks viewer  | deblokkeer  | !permission: lacks the permission invoice.unblock, which deblokkeer needs
Gemeld gks viewer  | ticket-T    | !permission: lacks the permission report.run, which answer needs
";

struct State {
    status: Status,
    invoice: Invoice,
    reporting: Reporting,
    gks: bool,
    permissions: Permissions,
}

fn state(spec: &str) -> State {
    let (status, flags) = Status::ALL
        .into_iter()
        .filter(|s| spec.starts_with(s.as_str()))
        .max_by_key(|s| s.as_str().len())
        .map(|s| (s, &spec[s.as_str().len()..]))
        .unwrap_or_else(|| panic!("no status in {spec:?}"));
    let flags: Vec<&str> = flags.split_whitespace().collect();
    let mut invoice = if flags.contains(&"bad") {
        bad()
    } else if flags.contains(&"dico") {
        dico()
    } else {
        good()
    };
    let t0 = DateTime::from_timestamp(1_767_225_600, 0).unwrap();
    let mut reporting = Reporting::default();
    if flags.contains(&"unblocked") || status == Status::Gemeld || flags.contains(&"ticket") {
        reporting.reported_at = Some(t0);
        reporting.attempts = 1;
        reporting.via = Some(Channel::Email);
    }
    if status == Status::Gemeld {
        reporting.next_attempt = Some(t0);
    }
    if flags.contains(&"ticket") {
        reporting.ticket = Some("T".into());
        invoice.external_reference = Some("T".into());
    }
    let permissions = if flags.contains(&"viewer") {
        Role::Viewer.permissions()
    } else {
        Permissions::all()
    };
    State {
        status,
        invoice,
        reporting,
        gks: flags.contains(&"gks"),
        permissions,
    }
}

fn event(name: &str, invoice: &Invoice) -> Event {
    match name {
        "edit" => Event::Edit(Box::new(invoice.clone())),
        "send-email" => Event::Verstuurd(Channel::Email),
        "send-dico" => Event::Verstuurd(Channel::Dico),
        "ticket-T" => Event::Answer(Answer::Ticket("T".into())),
        "ticket-U" => Event::Answer(Answer::Ticket("U".into())),
        "none-yet" => Event::Answer(Answer::NotYet),
        "error" => Event::Answer(Answer::Failed("connection reset".into())),
        other => Event::from_name(other, None).unwrap(),
    }
}

fn kind_name(k: RefusalKind) -> String {
    serde_json::to_value(k)
        .unwrap()
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn every_state_event_pair() {
    let vat = VatCodeTable::dutch_default();
    let now = DateTime::from_timestamp(1_767_226_000, 0).unwrap();
    let mut rows = 0;
    let mut failures = Vec::new();
    for line in TABLE.lines().filter(|l| !l.trim().is_empty()) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let [spec, ev, expect] = cells[..] else {
            panic!("bad row {line:?}")
        };
        rows += 1;
        let st = state(spec);
        let ctx = Context {
            reporting: st.gks,
            ..Context::new(now, "anna", st.permissions, &vat)
        };
        let current = Current {
            status: st.status,
            invoice: &st.invoice,
            reporting: &st.reporting,
        };
        let got = transition(&current, &event(ev, &st.invoice), &ctx);
        let ok = match (&got, expect.strip_prefix('!')) {
            (Ok(out), None) => {
                let last = out.history.last().expect("history");
                out.status.as_str() == expect
                    && last.to == out.status
                    && last.from == Some(st.status)
                    && last.at == now
                    && last.user == "anna"
            }
            (Err(r), Some(want)) => {
                let (kind, words) = want.split_once(": ").unwrap();
                kind_name(r.kind) == kind
                    && r.reason.contains(words)
                    && (r.kind == RefusalKind::CheckFailed) != r.findings.findings.is_empty()
                    && (r.kind == RefusalKind::CheckFailed) != r.record.is_empty()
            }
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{spec} + {ev}: expected {expect}, got {}",
                match &got {
                    Ok(o) => o.status.as_str().to_owned(),
                    Err(r) => format!("!{}: {}", kind_name(r.kind), r.reason),
                }
            ));
        }
    }
    // 10 states × 13 events, and the rows for the check, DICO and permissions.
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(rows, 10 * 13 + 16);
}

fn ctx<'a>(vat: &'a VatCodeTable, gks: bool) -> Context<'a> {
    Context {
        reporting: gks,
        ..Context::new(
            DateTime::from_timestamp(1_767_225_600, 0).unwrap(),
            "anna",
            Permissions::all(),
            vat,
        )
    }
}

#[test]
fn check_gate_returns_and_records_findings() {
    let vat = VatCodeTable::dutch_default();
    let inv = bad();
    let r = Reporting::default();
    let cur = Current {
        status: Status::Concept,
        invoice: &inv,
        reporting: &r,
    };
    let refusal = transition(&cur, &Event::Definitief, &ctx(&vat, false)).unwrap_err();
    let rules: Vec<_> = refusal.findings.findings.iter().map(|f| f.rule).collect();
    assert_eq!(rules, ["CHK-BRANCH", "CHK-VAT-CODE"]);
    assert_eq!(refusal.record.len(), 1);
    assert_eq!(refusal.record[0].action, Action::Check);
    assert_eq!(refusal.record[0].to, Status::Concept);
    assert!(
        refusal.record[0]
            .detail
            .contains("CHK-BRANCH, CHK-VAT-CODE")
    );

    let inv = good();
    let cur = Current {
        invoice: &inv,
        ..cur
    };
    let out = transition(&cur, &Event::Proforma, &ctx(&vat, false)).unwrap();
    let actions: Vec<_> = out.history.iter().map(|e| e.action).collect();
    assert_eq!(actions, [Action::Check, Action::Proforma]);
    assert_eq!(out.history[0].detail, "passed");
}

#[test]
fn reporting_schedule_ticket_and_effects() {
    let vat = VatCodeTable::dutch_default();
    let inv = good();
    let r = Reporting::default();
    let c = ctx(&vat, true);
    let cur = Current {
        status: Status::Definitief,
        invoice: &inv,
        reporting: &r,
    };
    let sent = transition(&cur, &Event::Verstuurd(Channel::Email), &c).unwrap();
    assert_eq!(sent.status, Status::Gemeld);
    assert_eq!(sent.effects, [Effect::Report { due: c.now }]);
    assert_eq!(sent.reporting.next_attempt, Some(c.now));
    // No ticket yet: the next offer is five minutes later.
    let cur = Current {
        status: Status::Gemeld,
        reporting: &sent.reporting,
        ..cur
    };
    let wait = transition(&cur, &Event::Answer(Answer::NotYet), &c).unwrap();
    assert_eq!(wait.status, Status::Gemeld);
    assert_eq!(
        wait.reporting.next_attempt,
        Some(c.now + chrono::TimeDelta::minutes(5))
    );
    assert_eq!(wait.attempt.as_ref().unwrap().n, 1);
    let c10 = Context {
        retry_every: std::time::Duration::from_secs(10),
        ..c.clone()
    };
    let wait10 = transition(&cur, &Event::Answer(Answer::Failed("down".into())), &c10).unwrap();
    assert_eq!(
        wait10.reporting.next_attempt,
        Some(c.now + chrono::TimeDelta::seconds(10))
    );
    // The ticket: Verstuurd, the external reference, delivery after the ticket.
    let cur = Current {
        reporting: &wait.reporting,
        ..cur
    };
    let done = transition(&cur, &Event::Answer(Answer::Ticket("GKS-9".into())), &c).unwrap();
    assert_eq!(done.status, Status::Verstuurd);
    assert_eq!(
        done.invoice.unwrap().external_reference.as_deref(),
        Some("GKS-9")
    );
    assert_eq!(done.reporting.ticket.as_deref(), Some("GKS-9"));
    assert_eq!(done.reporting.next_attempt, None);
    assert_eq!(done.attempt.unwrap().n, 2);
    assert_eq!(
        done.effects,
        [Effect::Deliver {
            via: Channel::Email,
            proforma: false
        }]
    );
    // An unusable ticket is refused, not stored.
    let bad = transition(&cur, &Event::Answer(Answer::Ticket(" x".into())), &c).unwrap_err();
    assert_eq!(bad.kind, RefusalKind::Invalid);
    // An edit cannot change the number: the edit's own is replaced, and the history says so.
    let concept = Current {
        status: Status::Concept,
        reporting: &r,
        ..cur
    };
    let mut other = good();
    other.number = "X-1".into();
    let out = transition(&concept, &Event::Edit(Box::new(other.clone())), &c).unwrap();
    assert_eq!(out.invoice.unwrap().number, inv.number);
    assert!(out.history[0].detail.contains("\"X-1\" was replaced"));
    other.number.clear();
    let out = transition(&concept, &Event::Edit(Box::new(other)), &c).unwrap();
    assert_eq!(out.invoice.unwrap().number, inv.number);
    assert!(!out.history[0].detail.contains("replaced"));
}

#[test]
fn event_names_and_aliases() {
    for (dutch, english) in [
        ("definitief", "final"),
        ("vervallen", "void"),
        ("verstuurd", "send"),
        ("goedgekeurd", "approve"),
        ("afgekeurd", "reject"),
        ("deblokkeer", "unblock"),
    ] {
        assert_eq!(
            Event::from_name(dutch, None).unwrap(),
            Event::from_name(english, None).unwrap()
        );
    }
    assert_eq!(
        Event::from_name("send", Some(Channel::Dico)).unwrap(),
        Event::Verstuurd(Channel::Dico)
    );
    assert!(Event::from_name("proforma", Some(Channel::Dico)).is_err());
    assert!(Event::from_name("delete", None).is_err());
    for s in Status::ALL {
        assert_eq!(Status::from_name(s.as_str()), Some(s));
        assert_eq!(Status::from_name(&s.as_str().to_uppercase()), Some(s));
    }
    assert_eq!(Status::from_name("void"), Some(Status::Vervallen));
    assert_eq!(Status::from_name("deleted"), None);
}

const SEED_MESSAGE: &str = "Rij: {row} - Aantal - Een negatieve waarde is niet toegestaan Aantal - Niet toegestaan: Negatief";

#[test]
fn direct_purchase_credit_message_per_row_from_json() {
    let json = std::fs::read(repo("testdata/purchase/credit-direct-purchase.json")).unwrap();
    let invoice = PurchaseInvoice::from_json(&json).unwrap();
    let admin = Administration {
        warehouses: 1,
        default_gl_account: Some("7000".into()),
    };
    let report = purchase::check(&invoice, &admin, &VatCodeTable::dutch_default());
    let got: Vec<(usize, &str)> = report
        .findings
        .iter()
        .map(|f| (f.row, f.message.nl.as_str()))
        .collect();
    let want: Vec<String> = [1, 3]
        .iter()
        .map(|r| SEED_MESSAGE.replace("{row}", &r.to_string()))
        .collect();
    assert_eq!(
        got,
        [(1, want[0].as_str()), (3, want[1].as_str())],
        "rows 1 and 3 carry a project, cost centre or recharge; row 2 does not"
    );
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.rule == "PUR-CREDIT-DIMENSION")
    );
    assert!(
        report.findings[1]
            .message
            .en
            .starts_with("Row 3 - Quantity - a negative value is not allowed")
    );
}

#[test]
fn direct_purchase_from_ubl_credit_note() {
    // A received CreditNote: a credit, articles from the seller's item ids, quantities booked
    // negative; its lines carry cost centres, so each is refused with the seed's message.
    let mut inv = good();
    inv.type_code = factuur::model::TypeCode::CREDIT_NOTE;
    for (i, l) in inv.lines.iter_mut().enumerate() {
        l.item.seller_id = Some(format!("ART-{i}"));
        l.cost_centre = Some("KP-1".into());
    }
    let xml = factuur::ubl::to_xml(&inv, factuur::ubl::Profile::Peppol).unwrap();
    let vat = VatCodeTable::dutch_default();
    let p = PurchaseInvoice::from_ubl(&xml, &vat).unwrap();
    assert!(p.credit && p.is_direct());
    assert!(
        p.lines
            .iter()
            .all(|l| l.quantity.unwrap().is_sign_negative())
    );
    assert!(
        p.lines.iter().all(|l| l.vat_code.is_some()),
        "{:?}",
        p.lines
    );
    let report = purchase::check(
        &p,
        &Administration {
            warehouses: 0,
            default_gl_account: Some("7000".into()),
        },
        &vat,
    );
    let msgs: Vec<_> = report
        .findings
        .iter()
        .map(|f| f.message.nl.clone())
        .collect();
    let want: Vec<_> = (1..=inv.lines.len())
        .map(|r| SEED_MESSAGE.replace("{row}", &r.to_string()))
        .collect();
    assert_eq!(msgs, want);

    // The same invoice as an Invoice (not a credit) books fine, the account left out of the
    // export on article lines.
    let mut debit = inv.clone();
    debit.type_code = factuur::model::TypeCode::COMMERCIAL;
    let xml = factuur::ubl::to_xml(&debit, factuur::ubl::Profile::Peppol).unwrap();
    let p = PurchaseInvoice::from_ubl(&xml, &vat).unwrap();
    assert!(!p.credit);
    let report = purchase::check(
        &p,
        &Administration {
            warehouses: 0,
            default_gl_account: Some("7000".into()),
        },
        &vat,
    );
    assert!(report.is_ok(), "{:?}", report.findings);
    assert!(
        report
            .lines
            .iter()
            .all(|l| l.gl_account.as_deref() == Some("7000"))
    );
    assert!(report.export.iter().all(|l| l.gl_account.is_none()));
}
