//! Writes every sample invoice as UBL in both profiles into a directory (default `target/ubl`),
//! for inspection or for checking with `tests/tools/ubl_check.py`.
//!
//! Run: `cargo run --example write_samples [DIR]`

use factuur::Invoice;
use factuur::ubl::{self, Profile};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/ubl".into());
    std::fs::create_dir_all(&out)?;
    let mut files: Vec<_> = std::fs::read_dir("testdata/invoices")?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.sort();
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "json"))
    {
        let inv = Invoice::from_json(&std::fs::read(f)?)?;
        let stem = f.file_stem().unwrap_or_default().to_string_lossy();
        for (p, tag) in [(Profile::Nlcius, "nlcius"), (Profile::Peppol, "peppol")] {
            let xml = ubl::to_xml(&inv, p)?;
            std::fs::write(format!("{out}/{stem}.{tag}.xml"), xml)?;
        }
    }
    println!("wrote {} documents to {out}", files.len() * 2);
    Ok(())
}
