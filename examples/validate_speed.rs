//! Times `validate_bytes` (parse, structure check and the rule sets) on files, in process, one
//! core: `cargo run --release --example validate_speed -- [--rules auto|LIST] [--ms N] FILE...`
//! (or `-- --make N OUT.xml` to write an N-line invoice to time).
//! Per file it prints one JSON line: `{"file", "bytes", "us", "mb_s"}` with the median of
//! repeated runs (each run a freshly parsed document). `benches/peer/validate.py` runs it beside
//! the official tools on the same files.
use std::time::{Duration, Instant};

use factuur::ubl::{self, Profile};
use factuur::validate::ubl::{Rules, validate_bytes};

#[path = "../benches/common/mod.rs"]
mod common;

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    // `--make N OUT.xml`: write the benches' N-line SI-UBL invoice (the domestic sample's lines
    // repeated) for timing.
    if args.peek().map(String::as_str) == Some("--make") {
        args.next();
        let n: usize = args.next().expect("--make N OUT").parse().expect("N");
        let out = args.next().expect("--make N OUT");
        let xml = ubl::to_xml(&common::invoice(n), Profile::Nlcius).expect("writes");
        std::fs::write(&out, xml).expect("writable");
        return;
    }
    let mut rules = Rules::Auto;
    let mut budget = Duration::from_millis(300);
    let mut files = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--rules" => {
                rules = args
                    .next()
                    .expect("--rules LIST")
                    .parse()
                    .expect("rule sets")
            }
            "--ms" => {
                budget = Duration::from_millis(args.next().expect("--ms N").parse().expect("N"))
            }
            _ => files.push(a),
        }
    }
    for file in files {
        let bytes = std::fs::read(&file).expect("readable file");
        // Warm up, and check the file can be judged at all.
        let ok = validate_bytes(&bytes, &rules).map(|v| v.is_ok());
        let mut times = Vec::new();
        let start = Instant::now();
        while start.elapsed() < budget || times.len() < 5 {
            let t = Instant::now();
            let v = validate_bytes(std::hint::black_box(&bytes), &rules);
            times.push(t.elapsed());
            std::hint::black_box(v.is_ok());
        }
        times.sort();
        let median = times[times.len() / 2];
        let us = median.as_secs_f64() * 1e6;
        println!(
            "{}",
            serde_json::json!({
                "file": file,
                "bytes": bytes.len(),
                "runs": times.len(),
                "us": (us * 10.0).round() / 10.0,
                "mb_s": ((bytes.len() as f64 / us) * 10.0).round() / 10.0,
                "ok": ok.ok(),
            })
        );
    }
}
