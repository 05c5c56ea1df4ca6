//! The native UBL rules for profiling: `cargo build --release --example prof_validate`, then
//! `valgrind --tool=callgrind --toggle-collect='factuur::validate::ubl::validate_with_into'
//! target/release/examples/prof_validate 10 1000` (lines, documents): each document is parsed
//! afresh, so the per-document index is counted.
use factuur::ubl::{self, Profile};
use factuur::validate::ubl::{RuleSet, validate_with};

#[path = "../benches/common/mod.rs"]
mod common;

fn main() {
    let mut args = std::env::args().skip(1);
    let lines: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let xml = ubl::to_xml(&common::invoice(lines), Profile::Nlcius).expect("writes");
    let start = std::time::Instant::now();
    let mut findings = 0;
    for _ in 0..n {
        let doc = ubl::parse(&xml).expect("parses");
        findings += validate_with(&doc, &[RuleSet::Nlcius]).findings.len();
    }
    println!(
        "{lines} lines: {:?} per document (parse and the complete SI-UBL verdict), {findings} findings",
        start.elapsed() / n as u32
    );
}
