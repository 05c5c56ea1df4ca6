//! What the benches share: invoices of any length built from the domestic sample.

use factuur::Invoice;

/// A valid invoice with `n` lines, repeating the lines of `testdata/invoices/01-domestic-b2b.json`.
pub fn invoice(n: usize) -> Invoice {
    let json = std::fs::read("testdata/invoices/01-domestic-b2b.json").expect("sample invoice");
    let mut inv = Invoice::from_json(&json).expect("sample parses");
    let template = inv.lines.clone();
    inv.lines = (0..n)
        .map(|i| {
            let mut l = template[i % template.len()].clone();
            l.id = (i + 1).to_string();
            l
        })
        .collect();
    inv
}
