//! The native UBL rule engine on a parsed document (parsing not included), 10 and 1,000 lines,
//! with the rules implemented so far (`factuur::validate::ubl::implemented`).
//!
//! Run: `cargo bench --bench validate`

use std::hint::black_box;

mod common;

use common::invoice;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use factuur::ubl::{self, Profile};
use factuur::validate::{Report, ubl as rules};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("validate_ubl");
    for n in [10usize, 1_000] {
        let xml = ubl::to_xml(&invoice(n), Profile::Nlcius).unwrap();
        let doc = ubl::parse(&xml).unwrap();
        group.throughput(Throughput::Bytes(xml.len() as u64));
        group.bench_function(BenchmarkId::new("rules", n), |b| {
            let mut report = Report::new();
            b.iter(|| {
                report.clear();
                rules::validate_into(black_box(&doc), &mut report);
                black_box(report.findings.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
