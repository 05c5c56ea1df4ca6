//! PDF rendering, checked with the tools a person would use: qpdf, pdftotext, pdfdetach,
//! pdftoppm, pikepdf.

use factuur::Invoice;
use factuur::pdf::{self, PdfOptions};

fn sample(name: &str) -> Invoice {
    Invoice::from_json(&std::fs::read(crate::repo(name)).unwrap()).unwrap()
}

#[test]
fn scratch() {
    let inv = sample("testdata/invoices/01-domestic-b2b.json");
    let bytes = pdf::render(&inv, &PdfOptions::default()).unwrap();
    std::fs::write("/tmp/pdfscratch/a.pdf", bytes).unwrap();
}
