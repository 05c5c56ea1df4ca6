//! The invoice lifecycle's speed: the pure transition function (nanoseconds), and transitions
//! per second on the SQLite ledger (synchronous FULL, the default, and NORMAL) and, when
//! `FACTUUR_BENCH_PG` names a database, on PostgreSQL.
//!
//! Each ledger transition is a whole round: read the invoice, run the pure transition (with
//! the error check where it gates), write the change and its history in one transaction with
//! the version check. The cycle is Proforma → Proforma verstuurd (checked) → Proforma
//! (rejected) → …, which repeats for ever on one invoice.
//!
//! Run: `cargo bench --bench ledger --features ledger`; with PostgreSQL:
//! `benches/ledger-postgres.sh` (starts a throwaway server on a Unix socket).

use std::hint::black_box;
use std::time::{Duration, Instant};

use chrono::DateTime;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use factuur::Invoice;
use factuur::ledger::{Actor, Ledger, SqliteStore, Synchronous};
use factuur::lifecycle::{
    Answer, Channel, Context, Current, Event, Permissions, Reporting, Status, transition,
};
use factuur::model::VatCodeTable;

fn sample() -> Invoice {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/invoices/01-domestic-b2b.json"
    );
    Invoice::from_json(&std::fs::read(path).unwrap()).unwrap()
}

fn bench_pure(c: &mut Criterion) {
    let vat = VatCodeTable::dutch_default();
    let invoice = sample();
    let now = DateTime::from_timestamp(1_767_225_600, 0).unwrap();
    let ctx = Context {
        reporting: true,
        ..Context::new(now, "anna", Permissions::all(), &vat)
    };
    let none = Reporting::default();
    let reported = Reporting {
        reported_at: Some(now),
        next_attempt: Some(now),
        via: Some(Channel::Email),
        ..Reporting::default()
    };
    let mut group = c.benchmark_group("transition");
    group.throughput(Throughput::Elements(1));
    let cases: [(&str, Status, &Reporting, Event); 4] = [
        (
            "concept-definitief-checked",
            Status::Concept,
            &none,
            Event::Definitief,
        ),
        (
            "definitief-gemeld",
            Status::Definitief,
            &none,
            Event::Verstuurd(Channel::Email),
        ),
        (
            "gemeld-no-ticket-yet",
            Status::Gemeld,
            &reported,
            Event::Answer(Answer::NotYet),
        ),
        ("refused-locked", Status::Verstuurd, &none, Event::Proforma),
    ];
    for (name, status, reporting, event) in cases {
        let current = Current {
            status,
            invoice: &invoice,
            reporting,
        };
        group.bench_function(name, |b| {
            b.iter(|| black_box(transition(black_box(&current), black_box(&event), &ctx).is_ok()))
        });
    }
    group.finish();
}

/// A ledger with one Proforma invoice; returns it and its number.
fn ledger_with_proforma(mut ledger: Ledger) -> (Ledger, String) {
    let now = DateTime::from_timestamp(1_767_225_600, 0).unwrap();
    let a = Actor::new("anna", now);
    ledger.init(&a).unwrap();
    ledger.put_series(&a, "bench", "B{seq:9}", false).unwrap();
    let n = ledger
        .add(&a, &sample(), Some("bench"), false)
        .unwrap()
        .number;
    ledger.transition(&a, &n, Event::Proforma, None).unwrap();
    (ledger, n)
}

/// Times `iters` transitions of the proforma cycle.
fn cycle(ledger: &mut Ledger, number: &str, iters: u64) -> Duration {
    let now = DateTime::from_timestamp(1_767_225_600, 0).unwrap();
    let a = Actor::new("anna", now);
    let mut status = ledger.store().get(number).unwrap().unwrap().status;
    let start = Instant::now();
    for _ in 0..iters {
        let event = if status == Status::Proforma {
            Event::Verstuurd(Channel::Email)
        } else {
            Event::Afgekeurd
        };
        status = ledger
            .transition(&a, number, event, None)
            .unwrap()
            .invoice
            .status;
    }
    start.elapsed()
}

fn bench_ledgers(c: &mut Criterion) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-ledger");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut group = c.benchmark_group("ledger");
    group.throughput(Throughput::Elements(1));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(5));
    for (name, sync) in [("full", Synchronous::Full), ("normal", Synchronous::Normal)] {
        let path = dir.join(format!("{name}.sqlite"));
        let store = SqliteStore::open_with(path.to_str().unwrap(), sync).unwrap();
        let (mut ledger, n) = ledger_with_proforma(Ledger::new(Box::new(store)));
        group.bench_function(BenchmarkId::new("sqlite-transition", name), |b| {
            b.iter_custom(|iters| cycle(&mut ledger, &n, iters))
        });
    }
    {
        // The read alone (invoice row and its content parsed), for scale.
        let path = dir.join("read.sqlite");
        let store = SqliteStore::open_with(path.to_str().unwrap(), Synchronous::Normal).unwrap();
        let (mut ledger, n) = ledger_with_proforma(Ledger::new(Box::new(store)));
        group.bench_function("sqlite-read", |b| {
            b.iter(|| black_box(ledger.store().get(&n).unwrap()))
        });
        group.bench_function("sqlite-permissions", |b| {
            b.iter(|| black_box(ledger.permissions("anna").unwrap()))
        });
    }
    match std::env::var("FACTUUR_BENCH_PG") {
        Ok(url) if !url.is_empty() => {
            let (mut ledger, n) = ledger_with_proforma(Ledger::open(&url).unwrap());
            group.bench_function("postgres-transition", |b| {
                b.iter_custom(|iters| cycle(&mut ledger, &n, iters))
            });
        }
        _ => eprintln!(
            "ledger/postgres-transition skipped: set FACTUUR_BENCH_PG to a database URL (benches/ledger-postgres.sh starts a server)"
        ),
    }
    group.finish();
}

criterion_group!(benches, bench_pure, bench_ledgers);
criterion_main!(benches);
