//! The native UBL 2.1 structure check (`validate::ubl::schema`) against libxml2's verdicts:
//! the `xsd_ok` of the 1,501 public documents, and mutants judged by libxml2 itself.

use serde_json::Value;

use crate::repo;

/// factuur's `xsd_ok` equals the official one on every public document.
#[test]
fn xsd_verdicts_match_on_every_public_document() {
    let dir = repo("testdata/conformance/ubl");
    let text = std::fs::read_to_string(dir.join("expected.jsonl")).expect("expected.jsonl");
    let (mut total, mut valid, mut invalid, mut unparsed) = (0, 0, 0, 0);
    let mut differ = Vec::new();
    for line in text.lines() {
        let e: Value = serde_json::from_str(line).expect("a JSON line");
        let file = e["file"].as_str().expect("file");
        let want = e["xsd_ok"].as_bool().expect("xsd_ok");
        let bytes = std::fs::read(dir.join(file)).expect("document");
        total += 1;
        let (got, first) = match factuur::ubl::parse(&bytes) {
            Ok(doc) => {
                let errors = factuur::validate::ubl::schema::check(&doc);
                (errors.is_empty(), errors.first().map(|e| e.to_string()))
            }
            Err(err) => {
                unparsed += 1;
                (false, Some(format!("not parsed: {err}")))
            }
        };
        if got {
            valid += 1;
        } else {
            invalid += 1;
        }
        if got != want {
            differ.push(format!(
                "{file}: official {want}, factuur {got} ({first:?})"
            ));
        }
    }
    println!(
        "xsd_ok: {} of {total} documents agree ({valid} valid, {invalid} invalid, {unparsed} not \
         parsed by factuur)",
        total - differ.len()
    );
    assert_eq!(total, 1501);
    assert!(
        differ.is_empty(),
        "{} documents differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}
