//! Native PDF rendering: a 1-page invoice (5 lines), a 2-page invoice (60 lines), and the hybrid
//! PDF/A-3b carrying the UBL. Targets on the 2-core reference machine: 1 page ≤ 2 ms, 60 lines
//! on 2 pages ≤ 4 ms. `benches/peer/reportlab_invoice.py` renders the same invoices with
//! reportlab for comparison. The pair (SI-UBL XML + PDF of a 10-line invoice, in memory and
//! written to disk) has a target of ≤ 3 ms.
//!
//! Run: `cargo bench --features pdf --bench pdf`

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use factuur::Invoice;
use factuur::pdf::{self, PdfOptions, XmlAttachment};

fn load(path: &str) -> Invoice {
    Invoice::from_json(&std::fs::read(path).expect("sample invoice")).expect("sample parses")
}

fn bench_pdf(c: &mut Criterion) {
    let one = load("testdata/invoices/01-domestic-b2b.json");
    let sixty = load("testdata/pdf/04-sixty-lines.json");
    let plain = PdfOptions::default();
    let hybrid = PdfOptions {
        attachment: Some(
            XmlAttachment::new(
                "2026-00017.xml",
                std::fs::read("testdata/pdf/ubl/2026-00017.xml").expect("UBL fixture"),
            )
            .expect("attachment"),
        ),
        ..PdfOptions::default()
    };
    // Warm the font tables once, as a long-running backend would have them.
    pdf::render(&one, &plain).expect("renders");

    let mut group = c.benchmark_group("pdf");
    group.bench_function("render/1-page-5-lines", |b| {
        b.iter(|| pdf::render(black_box(&one), &plain).expect("renders"))
    });
    group.bench_function("render/2-pages-60-lines", |b| {
        b.iter(|| pdf::render(black_box(&sixty), &plain).expect("renders"))
    });
    group.bench_function("render/hybrid-pdfa3-1-page", |b| {
        b.iter(|| pdf::render(black_box(&one), &hybrid).expect("renders"))
    });
    group.finish();

    // The InvoiceSharing pair of a 10-line invoice: the UBL and the PDF, then both written
    // atomically (temporary files, fsync, rename) into a folder.
    let mut ten = one.clone();
    let template = ten.lines.clone();
    ten.lines = (0..10)
        .map(|i| {
            let mut l = template[i % template.len()].clone();
            l.id = (i + 1).to_string();
            l
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("factuur-bench-pair-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("bench folder");
    let options = factuur::pair::PairOptions::default();
    let mut group = c.benchmark_group("pair");
    group.bench_function("xml+pdf/10-lines/in-memory", |b| {
        b.iter(|| {
            let xml =
                factuur::ubl::to_xml(black_box(&ten), factuur::ubl::Profile::Nlcius).expect("UBL");
            let pdf = pdf::render(black_box(&ten), &plain).expect("renders");
            (xml, pdf)
        })
    });
    group.bench_function("xml+pdf/10-lines/written", |b| {
        b.iter(|| factuur::pair::write(black_box(&ten), &dir, &options).expect("pair"))
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench_pdf);
criterion_main!(benches);
