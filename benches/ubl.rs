//! UBL writing and reading, 10 and 1,000 lines, with a bare quick-xml event scan of the same bytes
//! as the floor the reader is measured against.
//!
//! Run: `cargo bench --bench ubl`

use std::hint::black_box;

mod common;

use common::invoice;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use factuur::ubl::{self, Profile};
use quick_xml::events::Event;
use quick_xml::reader::Reader;

/// Reads every event and touches its bytes: what any reader of these bytes must at least do.
fn bare_scan(xml: &[u8]) -> usize {
    let mut reader = Reader::from_str(std::str::from_utf8(xml).unwrap());
    let mut n = 0;
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => n += e.name().as_ref().len(),
            Event::Text(t) => n += t.len(),
            _ => n += 1,
        }
    }
    n
}

fn bench(c: &mut Criterion) {
    for n in [10usize, 1_000] {
        let inv = invoice(n);
        let xml = ubl::to_xml(&inv, Profile::Nlcius).unwrap();
        let mut group = c.benchmark_group(format!("ubl_{n}_lines"));
        group.throughput(Throughput::Bytes(xml.len() as u64));
        group.bench_function(BenchmarkId::new("write", xml.len()), |b| {
            b.iter(|| black_box(ubl::to_xml(black_box(&inv), Profile::Nlcius).unwrap()))
        });
        group.bench_function(BenchmarkId::new("read", xml.len()), |b| {
            b.iter(|| black_box(ubl::from_xml(black_box(&xml)).unwrap()))
        });
        group.bench_function(BenchmarkId::new("parse_tree", xml.len()), |b| {
            b.iter(|| black_box(ubl::parse(black_box(&xml)).unwrap()))
        });
        group.bench_function(BenchmarkId::new("bare_quick_xml_scan", xml.len()), |b| {
            b.iter(|| black_box(bare_scan(black_box(&xml))))
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
