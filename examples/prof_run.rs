//! The harness for profiling an invoice run's hot path: reads drafts, checks, renders (XML,
//! the official rules, PDF) and compresses them one after another on one thread, with the time
//! of each step, so callgrind or perf see the same work a run does.
//!
//! `cargo run --release --features run --example prof_run -- drafts.jsonl [N]`

use std::time::{Duration, Instant};

use factuur::ledger::RunMode;
use factuur::run::{Config, draft::Input, plan, render, zip::Document};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let input = Input::open(
        args.get(1)
            .ok_or("usage: prof_run DRAFTS.jsonl [N]")?
            .as_ref(),
    )?;
    let n: usize = args.get(2).map_or(Ok(input.len()), |s| s.parse())?;
    let config = Config::parse(
        "[profiles.p]\nseries = \"s\"\noutputs = [\"siubl\", \"pdf\"]\nvalidate = false\n",
        ".".as_ref(),
    )?;
    let profile = config.profile("p")?;
    let mut t = [Duration::ZERO; 7];
    let names = ["read", "reread", "check", "xml", "rules", "pdf", "deflate"];
    for i in 0..n {
        let s = Instant::now();
        let mut d = input.read(i % input.len())?;
        t[0] += s.elapsed();
        let s = Instant::now();
        let _again = input.reread(i % input.len())?;
        t[1] += s.elapsed();
        let s = Instant::now();
        let _f = plan::facts(i, String::new(), &d, profile);
        t[2] += s.elapsed();
        d.invoice.number = format!("2026-{i:06}");
        let s = Instant::now();
        let xml = factuur::ubl::to_xml_with(
            &d.invoice,
            factuur::ubl::Profile::Nlcius,
            &profile.vat_codes,
        )?;
        t[3] += s.elapsed();
        let s = Instant::now();
        let doc = factuur::ubl::parse(&xml)?;
        let r = factuur::validate::ubl::validate_with(
            &doc,
            render::rule_sets(factuur::ubl::Profile::Nlcius),
        );
        assert!(r.is_ok());
        t[4] += s.elapsed();
        let s = Instant::now();
        let pdf = factuur::pdf::render(&d.invoice, &factuur::pdf::PdfOptions::default())?;
        t[5] += s.elapsed();
        let s = Instant::now();
        let _ = Document::deflated("a.xml", &xml);
        t[6] += s.elapsed();
        let _ = (pdf, RunMode::Test);
    }
    for (name, d) in names.iter().zip(t) {
        println!(
            "{name:<8} {:8.1} µs per invoice",
            d.as_secs_f64() * 1e6 / n as f64
        );
    }
    Ok(())
}
