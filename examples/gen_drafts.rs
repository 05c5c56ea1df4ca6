//! Writes invoice drafts for benchmarks and trials of invoice runs: `N` drafts of `LINES` lines
//! each, without numbers, as JSON lines, made from the first sample invoice with a customer of
//! their own and dates spread over March 2026.
//!
//! `cargo run --release --example gen_drafts -- 10000 10 drafts.jsonl`

use serde_json::Value;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: gen_drafts N LINES OUT.jsonl");
        std::process::exit(2);
    }
    let n: usize = args[1].parse()?;
    let lines: usize = args[2].parse()?;
    let base: Value = serde_json::from_slice(&std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/invoices/01-domestic-b2b.json"
    ))?)?;
    let mut out = std::io::BufWriter::new(std::fs::File::create(&args[3])?);
    for i in 0..n {
        let mut d = base.clone();
        let o = d.as_object_mut().ok_or("the sample is not an object")?;
        o.remove("number");
        o.remove("external_reference");
        o.insert(
            "issue_date".into(),
            format!("2026-03-{:02}", 1 + i % 28).into(),
        );
        o["customer"]["name"] = format!("Klant {i}").into();
        let src = o["lines"].as_array().ok_or("no lines")?.clone();
        let mut ls = Vec::with_capacity(lines);
        for k in 0..lines {
            let mut l = src[k % src.len()].clone();
            l["id"] = (k + 1).to_string().into();
            l["quantity"] = format!("{}", 1 + (i + k) % 7).into();
            ls.push(l);
        }
        o.insert("lines".into(), Value::Array(ls));
        serde_json::to_writer(&mut out, &d)?;
        std::io::Write::write_all(&mut out, b"\n")?;
    }
    std::io::Write::flush(&mut out)?;
    Ok(())
}
