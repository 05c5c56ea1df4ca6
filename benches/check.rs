//! The seed error check on valid invoices of 10 and 1,000 lines (the backend hot path), and the
//! EN 16931 totals and JSON parsing beside it for scale.
//!
//! Run: `cargo bench --bench check`

use std::hint::black_box;

mod common;

use common::invoice;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use factuur::Invoice;
use factuur::model::VatCodeTable;
use factuur::validate::{Report, check};

fn bench_check(c: &mut Criterion) {
    let table = VatCodeTable::dutch_default();
    let mut group = c.benchmark_group("check");
    for n in [10usize, 1_000] {
        let inv = invoice(n);
        assert!(
            check::check(&inv, &table).is_ok(),
            "bench invoice must pass"
        );
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("valid", n), &inv, |b, inv| {
            let mut report = Report::new();
            b.iter(|| {
                report.clear();
                check::check_into(black_box(inv), &table, &mut report);
                black_box(report.findings.len())
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("totals");
    for n in [10usize, 1_000] {
        let inv = invoice(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("compute", n), &inv, |b, inv| {
            b.iter(|| black_box(inv.totals_with(&table).unwrap()))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("json");
    for n in [10usize, 1_000] {
        let bytes = invoice(n).to_json();
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(BenchmarkId::new("parse", n), &bytes, |b, bytes| {
            b.iter(|| black_box(Invoice::from_json(black_box(bytes)).unwrap()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_check);
criterion_main!(benches);
