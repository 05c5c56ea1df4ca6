//! Word merge speed on the benchmark template (benches/peer/template.docx: 10 fields, a header
//! field, a 20-line region) against the floor (the same package written with the story parts
//! recompressed unchanged and the rest copied raw), and 1,000 documents on 2 threads.
//!
//! Run: `cargo bench --bench merge`. The Python peer (docx-mailmerge2) on the same template and
//! data: `python3 benches/peer/run.py`. On a machine whose speed drifts, the ratio of the two
//! is steadier from `cargo run --release --example prof_merge -- ratio 100`, which interleaves
//! them.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use factuur::merge::{MergeOptions, Record, Template};

fn load() -> (Template, Record) {
    let t = Template::open(std::fs::read("benches/peer/template.docx").expect("template"))
        .expect("template opens");
    let r = Record::from_json(&std::fs::read("benches/peer/data.json").expect("data"))
        .expect("data reads");
    (t, r)
}

fn bench_merge(c: &mut Criterion) {
    let (t, r) = load();
    let options = MergeOptions::default();
    let mut group = c.benchmark_group("merge");
    group.throughput(Throughput::Elements(1));
    group.bench_function("render_data", |b| {
        b.iter(|| black_box(t.render_data(black_box(&r), &options).unwrap()))
    });
    group.bench_function("floor_copy_and_recompress", |b| {
        b.iter(|| black_box(t.copy_floor().unwrap()))
    });
    group.bench_function("open_template", |b| {
        let bytes = std::fs::read("benches/peer/template.docx").unwrap();
        b.iter(|| black_box(Template::open(bytes.clone()).unwrap()))
    });
    group.finish();

    let mut group = c.benchmark_group("batch");
    group.sample_size(10);
    group.throughput(Throughput::Elements(1_000));
    group.bench_function("1000_docs_2_threads", |b| {
        b.iter(|| {
            let next = std::sync::atomic::AtomicUsize::new(0);
            std::thread::scope(|s| {
                for _ in 0..2 {
                    s.spawn(|| {
                        while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < 1_000 {
                            black_box(t.render_data(&r, &options).unwrap());
                        }
                    });
                }
            });
        })
    });
    group.finish();
}

criterion_group!(benches, bench_merge);
criterion_main!(benches);
