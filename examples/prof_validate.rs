//! The whole validation for profiling: `CARGO_PROFILE_RELEASE_DEBUG=line-tables-only cargo build --release --example prof_validate`, then
//! `valgrind --tool=callgrind target/release/examples/prof_validate 10 200 [RULES]` (lines,
//! documents, rule sets: `auto` by default, or a comma list). Each document is parsed afresh,
//! so the per-document index is counted.
use factuur::ubl::{self, Profile};
use factuur::validate::ubl::{Rules, validate_bytes};

#[path = "../benches/common/mod.rs"]
mod common;

fn main() {
    let mut args = std::env::args().skip(1);
    let lines: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(10);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let rules: Rules = args
        .next()
        .map(|s| s.parse().expect("rule sets"))
        .unwrap_or_default();
    let xml = ubl::to_xml(&common::invoice(lines), Profile::Nlcius).expect("writes");
    let start = std::time::Instant::now();
    let mut findings = 0;
    for _ in 0..n {
        let verdict = validate_bytes(&xml, &rules).expect("a UBL document");
        findings += verdict.findings().count() + verdict.xsd_errors.len();
    }
    println!(
        "{lines} lines ({} bytes): {:?} per document (parse, structure, rules), {findings} findings",
        xml.len(),
        start.elapsed() / n as u32
    );
}
