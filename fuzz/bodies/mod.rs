//! The bodies of the fuzz targets, shared by the libFuzzer targets (`cargo +nightly fuzz run`)
//! and by the stable replay of the saved corpus in the integration tests.

use factuur::Invoice;
use factuur::model::VatCodeTable;
use factuur::validate::check;

/// Arbitrary bytes as invoice JSON: parsing never panics; what parses can be checked, totalled,
/// and written back to JSON that reads as the same invoice.
pub fn json_invoice(data: &[u8]) {
    let Ok(invoice) = Invoice::from_json(data) else {
        return;
    };
    let table = VatCodeTable::dutch_default();
    let _ = check::check(&invoice, &table);
    let _ = invoice.totals_with(&table);
    let again = Invoice::from_json(&invoice.to_json()).expect("own JSON must read back");
    assert_eq!(again, invoice, "JSON round trip changed the invoice");
}

/// Arbitrary text as a field instruction, whole and cut into typed and nested pieces: parsing
/// never panics, and an instruction cut anywhere between typed pieces parses the same.
pub fn field_code(data: &[u8]) {
    use factuur::merge::field::{parse, parse_pieces};
    let Some((&cut, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let whole = parse(text);
    let mut at = (cut as usize) % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let (a, b) = text.split_at(at);
    let pieces = parse_pieces(&[(a, false), (b, false)]);
    assert_eq!(whole, pieces, "cutting typed text changed the parse");
    // A nested result in the middle never breaks the parser.
    let _ = parse_pieces(&[(a, false), (b, true), (a, false)]);
}

/// Arbitrary bytes as a Word template: a zip (when it starts with `PK`) or the XML of
/// `word/document.xml`. Opening and merging never panic; what merges opens again as a template
/// (balanced fields, valid XML) and merges again.
pub fn docx(data: &[u8]) {
    use factuur::merge::{MergeOptions, Record, Template, Value};
    use std::io::Write;
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default();
        w.start_file("word/document.xml", o).unwrap();
        w.write_all(data).unwrap();
        w.finish().unwrap().into_inner()
    };
    let Ok(t) = Template::open(bytes) else {
        return;
    };
    let mut record = Record::new();
    let mut item = Record::new();
    for f in t.fields() {
        if let Some(n) = f.name {
            match factuur::merge::field::marker(&n) {
                Some((_, region)) => record.insert(region, Value::List(vec![Record::new(); 2])),
                None => {
                    item.insert(n.clone(), "1");
                    record.insert(n, "1");
                }
            }
        }
    }
    for keep_fields in [false, true] {
        let options = MergeOptions {
            keep_fields,
            ..MergeOptions::default()
        };
        if let Ok(merged) = t.render_data(&record, &options) {
            let again = Template::open(merged.docx).expect("merged output must open again");
            let _ = again.render_data(&record, &options);
        }
    }
}
