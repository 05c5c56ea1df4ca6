//! The native rule engine against the official tools' verdicts on 1,501 public UBL documents
//! (`testdata/conformance`): for every rule implemented so far, the same findings (rule,
//! severity, node) on every document, no more and no fewer.

use std::collections::{BTreeMap, BTreeSet};

use factuur::validate::ubl;
use serde_json::Value;

use crate::repo;

type Verdict = (String, String, String);

struct Case {
    file: String,
    /// The EN 16931 verdict, or `None` where the official XSLT itself stopped with an error.
    en16931: Option<Vec<Verdict>>,
}

fn cases() -> Vec<Case> {
    let dir = repo("testdata/conformance/ubl");
    let text = std::fs::read_to_string(dir.join("expected.jsonl")).expect("expected.jsonl");
    text.lines()
        .map(|l| {
            let e: Value = serde_json::from_str(l).expect("a JSON line");
            let set = &e["en16931"];
            let en16931 = set.get("error").is_none().then(|| {
                set["failed"]
                    .as_array()
                    .expect("failed")
                    .iter()
                    .map(|f| {
                        let s = |i: usize| f[i].as_str().expect("a string").to_owned();
                        (s(0), s(1), s(2))
                    })
                    .collect()
            });
            Case {
                file: e["file"].as_str().expect("file").to_owned(),
                en16931,
            }
        })
        .collect()
}

#[test]
fn en16931_verdicts_match_for_implemented_rules() {
    let implemented: BTreeSet<&str> = ubl::implemented().collect();
    let dir = repo("testdata/conformance/ubl");
    let (mut compared, mut unparsed, mut tool_errors, mut findings) = (0, 0, 0, 0);
    let mut mismatches = Vec::new();
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for case in cases() {
        let Some(expected) = &case.en16931 else {
            tool_errors += 1;
            continue;
        };
        let bytes = std::fs::read(dir.join(&case.file)).expect("document");
        let doc = match factuur::ubl::parse(&bytes) {
            Ok(d) => d,
            Err(_) => {
                // Not well-formed: the official tools cannot run on it either.
                unparsed += 1;
                continue;
            }
        };
        let report = ubl::validate(&doc);
        let mut got: Vec<Verdict> = report
            .findings
            .iter()
            .map(|f| {
                (
                    f.rule.to_owned(),
                    f.severity.to_string(),
                    f.location.path.clone(),
                )
            })
            .collect();
        let mut want: Vec<Verdict> = expected
            .iter()
            .filter(|v| implemented.contains(v.0.as_str()))
            .cloned()
            .collect();
        got.sort();
        want.sort();
        for f in &got {
            *per_rule
                .entry(implemented.get(f.0.as_str()).expect("an implemented rule"))
                .or_default() += 1;
        }
        findings += got.len();
        compared += 1;
        if got != want {
            mismatches.push(format!(
                "{}:\n  factuur:  {got:?}\n  official: {want:?}",
                case.file
            ));
        }
    }
    println!(
        "{compared} documents compared on {} rules ({findings} findings, {} rules seen firing); \
         {unparsed} not well-formed, {tool_errors} where the official tool itself failed",
        implemented.len(),
        per_rule.len()
    );
    assert!(compared > 1_400, "only {compared} documents compared");
    assert!(
        mismatches.is_empty(),
        "{} of {compared} documents differ:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(15)].join("\n")
    );
}
