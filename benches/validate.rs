//! The native UBL rule engine, 10 and 1,000 lines: on a freshly parsed document, and parsing
//! included, with the EN 16931 rules (SI-UBL documents), and with a full Peppol verdict, EN 16931
//! and Peppol BIS 3 (the same invoices written as Peppol documents); and the UBL 2.1 structure
//! check (`factuur::validate::ubl::schema`) alone on a parsed document.
//!
//! Run: `cargo bench --bench validate`

use std::hint::black_box;

mod common;

use common::invoice;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use factuur::ubl::{self, Profile};
use factuur::validate::ubl::RuleSet;
use factuur::validate::{Report, ubl as rules};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate_ubl");
    for n in [10usize, 1_000] {
        let xml = ubl::to_xml(&invoice(n), Profile::Nlcius).unwrap();
        group.throughput(Throughput::Bytes(xml.len() as u64));
        // Each iteration gets a freshly parsed document, so the per-document index the rules
        // build on first use is part of the measurement.
        group.bench_function(BenchmarkId::new("rules", n), |b| {
            let mut report = Report::new();
            b.iter_batched(
                || ubl::parse(&xml).unwrap(),
                |doc| {
                    report.clear();
                    rules::validate_into(black_box(&doc), &mut report);
                    black_box(report.findings.len())
                },
                BatchSize::SmallInput,
            )
        });
        // The structure check reads the tree only (no index), so one parse serves every run.
        let doc = ubl::parse(&xml).unwrap();
        group.bench_function(BenchmarkId::new("schema", n), |b| {
            b.iter(|| black_box(rules::schema::check(black_box(&doc)).len()))
        });
        group.bench_function(BenchmarkId::new("parse_and_rules", n), |b| {
            b.iter(|| {
                let doc = ubl::parse(black_box(&xml)).unwrap();
                black_box(rules::validate(&doc).findings.len())
            })
        });
        let peppol = ubl::to_xml(&invoice(n), Profile::Peppol).unwrap();
        let sets = [RuleSet::En16931, RuleSet::Peppol];
        group.bench_function(BenchmarkId::new("en16931_peppol", n), |b| {
            let mut report = Report::new();
            b.iter_batched(
                || ubl::parse(&peppol).unwrap(),
                |doc| {
                    report.clear();
                    rules::validate_with_into(black_box(&doc), &sets, &mut report);
                    black_box(report.findings.len())
                },
                BatchSize::SmallInput,
            )
        });
        group.bench_function(BenchmarkId::new("parse_en16931_peppol", n), |b| {
            b.iter(|| {
                let doc = ubl::parse(black_box(&peppol)).unwrap();
                black_box(rules::validate_with(&doc, &sets).findings.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
