//! The native rule engine against the official tools' verdicts on 1,501 public UBL documents
//! (`testdata/conformance`): per rule set, the same findings (rule, severity, node) as the
//! official column on every document, no more and no fewer, for every rule of the column.

use std::collections::{BTreeMap, BTreeSet};

use factuur::validate::ubl::{self, RuleSet};
use serde_json::Value;

use crate::repo;

type Verdict = (String, String, String);

struct Case {
    file: String,
    /// The EN 16931 verdict.
    en16931: Column,
    /// The SI-UBL 2.0 verdict (its own rules and its copy of CEN 1.3.15).
    nlcius: Column,
    /// The Peppol BIS 3 verdict (its own part, without EN 16931).
    peppol: Column,
}

/// One rule set's official verdict on a document.
struct Column {
    /// The rule set's version, as the official verdicts name it.
    version: String,
    /// The failed asserts, or `None` where the official XSLT itself stopped with an error.
    failed: Option<Vec<Verdict>>,
}

fn column(set: &Value) -> Column {
    Column {
        version: set["version"].as_str().expect("version").to_owned(),
        failed: verdict(set),
    }
}

fn verdict(set: &Value) -> Option<Vec<Verdict>> {
    set.get("error").is_none().then(|| {
        set["failed"]
            .as_array()
            .expect("failed")
            .iter()
            .map(|f| {
                let s = |i: usize| f[i].as_str().expect("a string").to_owned();
                (s(0), s(1), s(2))
            })
            .collect()
    })
}

fn cases() -> Vec<Case> {
    let dir = repo("testdata/conformance/ubl");
    let text = std::fs::read_to_string(dir.join("expected.jsonl")).expect("expected.jsonl");
    text.lines()
        .map(|l| {
            let e: Value = serde_json::from_str(l).expect("a JSON line");
            Case {
                file: e["file"].as_str().expect("file").to_owned(),
                en16931: column(&e["en16931"]),
                nlcius: column(&e["nlcius"]),
                peppol: column(&e["peppol"]),
            }
        })
        .collect()
}

/// Runs one rule set on every document and compares its findings with one column of the
/// official verdicts, on every rule of the column. Where the official XSLT stopped with an
/// error, factuur's verdict must not be ok, with a finding of its own naming the value the
/// official rules could not evaluate.
fn compare(set: RuleSet, column: fn(&Case) -> &Column) {
    let ids: BTreeSet<&str> = ubl::rule_ids(set).into_iter().collect();
    let own: BTreeSet<&str> = ubl::own_ids(set)
        .iter()
        .chain(ubl::UNJUDGED.iter())
        .copied()
        .collect();
    let dir = repo("testdata/conformance/ubl");
    let (mut identical, mut refused, mut findings) = (0, 0, 0);
    let mut mismatches = Vec::new();
    let mut per_rule: BTreeMap<String, usize> = BTreeMap::new();
    let cases = cases();
    for case in &cases {
        assert_eq!(column(case).version, set.version(), "{}", case.file);
        let bytes = std::fs::read(dir.join(&case.file)).expect("document");
        // Every document of the corpus is well-formed: the official tools ran on each.
        let doc = factuur::ubl::parse(&bytes)
            .unwrap_or_else(|e| panic!("{}: not well-formed: {e}", case.file));
        let report = ubl::validate_with(&doc, &[set]);
        let Some(expected) = &column(case).failed else {
            // The official tool stopped with an error: factuur must not call it ok, and says
            // which value the official rules could not evaluate.
            let own: Vec<_> = report
                .findings
                .iter()
                .filter(|f| ubl::UNJUDGED.contains(&f.rule))
                .collect();
            if report.is_ok()
                || !own
                    .iter()
                    .any(|f| f.value.as_ref().is_some_and(|v| !v.is_empty()))
            {
                mismatches.push(format!(
                    "{}: the official tool stopped with an error, factuur: ok {}, {:?}",
                    case.file,
                    report.is_ok(),
                    own.iter()
                        .map(|f| (f.rule, &f.location.path, &f.value))
                        .collect::<Vec<_>>()
                ));
            } else {
                refused += 1;
            }
            continue;
        };
        // Where the official tool judged, factuur must judge too: no finding of its own.
        if let Some(f) = report.findings.iter().find(|f| own.contains(f.rule)) {
            mismatches.push(format!(
                "{}: factuur says the official rules cannot evaluate {} ({:?}), where they did",
                case.file, f.location.path, f.value
            ));
        }
        let mut got: Vec<Verdict> = report
            .findings
            .iter()
            .filter(|f| !own.contains(f.rule))
            .map(|f| {
                (
                    f.rule.to_owned(),
                    f.severity.to_string(),
                    f.location.path.clone(),
                )
            })
            .collect();
        let mut want: Vec<Verdict> = expected.clone();
        for v in &want {
            assert!(
                ids.contains(v.0.as_str()),
                "{}: the official {} fails on {}, which {set:?} does not have",
                case.file,
                v.0,
                v.2
            );
        }
        got.sort();
        want.sort();
        for f in &got {
            *per_rule.entry(f.0.clone()).or_default() += 1;
        }
        findings += got.len();
        if got == want {
            identical += 1;
        } else {
            mismatches.push(format!(
                "{}:\n  factuur:  {got:?}\n  official: {want:?}",
                case.file
            ));
        }
    }
    println!(
        "{set:?} ({}): {} of {} documents agree: {identical} judged identically on {} rules \
         ({findings} findings, {} rules seen firing), {refused} where the official tool stopped \
         with an error and factuur is not ok either",
        set.version(),
        identical + refused,
        cases.len(),
        ids.len(),
        per_rule.len()
    );
    assert_eq!(cases.len(), 1_501, "the corpus");
    assert!(
        mismatches.is_empty(),
        "{set:?}: {} of {} documents differ:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches[..mismatches.len().min(15)].join("\n")
    );
    assert_eq!(identical + refused, cases.len());
}

#[test]
fn en16931_verdicts_match() {
    compare(RuleSet::En16931, |c| &c.en16931);
}

#[test]
fn nlcius_verdicts_match() {
    compare(RuleSet::Nlcius, |c| &c.nlcius);
}

/// Peppol BIS Billing 3.0.21's own part.
#[test]
fn peppol_verdicts_match() {
    assert_eq!(ubl::rule_ids(RuleSet::Peppol).len(), 165);
    compare(RuleSet::Peppol, |c| &c.peppol);
}

/// factuur's own documents pass its own rules: every sample, written as SI-UBL 2.0, draws no
/// finding at all from the complete SI-UBL verdict (CEN 1.3.15 and the Dutch rules), nor from
/// EN 16931 (CEN 1.3.16), and as Peppol none from EN 16931 and Peppol BIS 3 together.
#[test]
fn samples_pass_the_native_rules_without_a_finding() {
    for f in crate::sample_files() {
        let inv = factuur::Invoice::from_json(&std::fs::read(&f).unwrap()).unwrap();
        for (profile, sets) in [
            (
                factuur::ubl::Profile::Nlcius,
                &[RuleSet::En16931, RuleSet::Nlcius][..],
            ),
            (
                factuur::ubl::Profile::Peppol,
                &[RuleSet::En16931, RuleSet::Peppol][..],
            ),
        ] {
            let xml = factuur::ubl::to_xml(&inv, profile).unwrap();
            let doc = factuur::ubl::parse(&xml).unwrap();
            let report = ubl::validate_with(&doc, sets);
            assert!(
                report.findings.is_empty(),
                "{} ({profile:?}): {:?}",
                f.display(),
                report
                    .findings
                    .iter()
                    .map(|x| (x.rule, &x.location.path))
                    .collect::<Vec<_>>()
            );
        }
    }
}

/// The public entry point end to end: `validate_bytes` with all three sets, serialised as the
/// `factuur validate --json` line, against every line of `expected.jsonl`: the root, `xsd_ok`,
/// and per set the version, `ok` and the sorted `failed` triples; where the official tool
/// stopped with an error, factuur's set is not ok.
#[test]
fn validate_bytes_gives_the_official_verdict_on_every_document() {
    use factuur::validate::ubl::{Rules, validate_bytes};
    let dir = repo("testdata/conformance/ubl");
    let text = std::fs::read_to_string(dir.join("expected.jsonl")).expect("expected.jsonl");
    let rules = Rules::Sets(vec![RuleSet::En16931, RuleSet::Nlcius, RuleSet::Peppol]);
    let mut agree: BTreeMap<&str, usize> = BTreeMap::new();
    let mut differ = Vec::new();
    let mut n = 0;
    for line in text.lines() {
        n += 1;
        let want: Value = serde_json::from_str(line).expect("a JSON line");
        let file = want["file"].as_str().expect("file");
        let bytes = std::fs::read(dir.join(file)).expect("document");
        let got = match validate_bytes(&bytes, &rules) {
            Ok(v) => serde_json::to_value(&v).expect("serialises"),
            Err(e) => {
                differ.push(format!("{file}: not judged: {e}"));
                continue;
            }
        };
        let mut same = |key: &'static str, ok: bool, what: String| {
            if ok {
                *agree.entry(key).or_default() += 1;
            } else {
                differ.push(format!("{file}: {key}: {what}"));
            }
        };
        same(
            "root",
            got["root"] == want["root"],
            format!("{}", got["root"]),
        );
        same(
            "xsd_ok",
            got["xsd_ok"] == want["xsd_ok"],
            format!("factuur {} ({})", got["xsd_ok"], got["xsd_errors"]),
        );
        for set in ["en16931", "nlcius", "peppol"] {
            let (g, w) = (&got[set], &want[set]);
            let agrees = g["version"] == w["version"]
                && if w.get("error").is_some() {
                    g["ok"] == false
                } else {
                    g["ok"] == w["ok"] && g["failed"] == w["failed"]
                };
            same(set, agrees, format!("factuur {g}\n  official {w}"));
        }
    }
    println!("validate_bytes over {n} documents: {agree:?}");
    assert_eq!(n, 1_501);
    assert!(
        differ.is_empty(),
        "{} differences:\n{}",
        differ.len(),
        differ[..differ.len().min(10)].join("\n")
    );
    for key in ["root", "xsd_ok", "en16931", "nlcius", "peppol"] {
        assert_eq!(agree.get(key), Some(&1_501), "{key}");
    }
}
