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
            }
        })
        .collect()
}

/// Runs one rule set on every document and compares its findings with one column of the
/// official verdicts, on every rule of the column.
fn compare(set: RuleSet, column: fn(&Case) -> &Column) {
    let ids: BTreeSet<&str> = ubl::rule_ids(set).into_iter().collect();
    let dir = repo("testdata/conformance/ubl");
    let (mut compared, mut unparsed, mut tool_errors, mut findings) = (0, 0, 0, 0);
    let mut mismatches = Vec::new();
    let mut per_rule: BTreeMap<&str, usize> = BTreeMap::new();
    for case in cases() {
        assert_eq!(column(&case).version, set.version(), "{}", case.file);
        let Some(expected) = &column(&case).failed else {
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
        let report = ubl::validate_with(&doc, &[set]);
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
            *per_rule
                .entry(ids.get(f.0.as_str()).expect("a rule of the set"))
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
        "{set:?}: {compared} documents compared on {} rules ({findings} findings, {} rules seen \
         firing); {unparsed} not well-formed, {tool_errors} where the official tool itself failed",
        ids.len(),
        per_rule.len()
    );
    assert!(compared > 1_400, "only {compared} documents compared");
    assert!(
        mismatches.is_empty(),
        "{set:?}: {} of {compared} documents differ:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(15)].join("\n")
    );
}

#[test]
fn en16931_verdicts_match() {
    compare(RuleSet::En16931, |c| &c.en16931);
}

#[test]
fn nlcius_verdicts_match() {
    compare(RuleSet::Nlcius, |c| &c.nlcius);
}

/// A small deterministic generator (xorshift), so the mutants are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A byte span of the document.
type Span = (usize, usize);

/// Where the elements of a document are: (start of the start tag, end of the end tag, span
/// of the text when the element is a leaf).
fn elements(xml: &str) -> Vec<(usize, usize, Option<Span>)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    // Open elements: where each starts, its text, whether it has children.
    let mut open: Vec<(usize, Option<Span>, bool)> = Vec::new();
    let mut out = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Start(_)) => {
                if let Some(parent) = open.last_mut() {
                    parent.2 = true;
                }
                open.push((before, None, false));
            }
            Ok(Event::Empty(_)) => {
                if let Some(parent) = open.last_mut() {
                    parent.2 = true;
                }
                out.push((before, reader.buffer_position() as usize, None));
            }
            Ok(Event::Text(_)) => {
                if let Some(e) = open.last_mut() {
                    e.1 = Some((before, reader.buffer_position() as usize));
                }
            }
            Ok(Event::End(_)) => {
                let (start, text, has_children) = open.pop().expect("balanced");
                let leaf_text = if has_children { None } else { text };
                out.push((start, reader.buffer_position() as usize, leaf_text));
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out
}

/// Values a mutation may put in a leaf or an attribute: codes of every kind, numbers at and
/// around the limits, dates in and out of order, blanks.
const VALUES: &[&str] = &[
    "",
    " ",
    "0",
    "0.00",
    "-1",
    "1",
    "100.005",
    "21",
    "9",
    "12.50",
    "99999999.99",
    "AE",
    "E",
    "G",
    "K",
    "L",
    "M",
    "O",
    "S",
    "Z",
    "B",
    "VAT",
    "vat",
    "FR",
    "NL",
    "IT",
    "EUR",
    "USD",
    "XXX",
    "30",
    "58",
    "31",
    "380",
    "381",
    "130",
    "50",
    "C62",
    "H87",
    "XYZ",
    "0088",
    "0106",
    "SEPA",
    "true",
    "false",
    "2026-01-31",
    "2025-12-01",
    "2026-13-01",
    "#AAI#text",
    "#ZZZ#text",
    "x",
];

/// One mutant of `xml`: an element dropped, doubled, or a value changed.
fn mutate(xml: &str, rng: &mut Rng) -> String {
    let els = elements(xml);
    // Never the root: the document must stay an invoice for the rules to run.
    let candidates: Vec<_> = els.iter().filter(|e| e.0 > 0 && e.1 < xml.len()).collect();
    if candidates.is_empty() {
        return xml.to_owned();
    }
    let (start, end, text) = *candidates[rng.below(candidates.len())];
    let value = VALUES[rng.below(VALUES.len())];
    match rng.below(4) {
        0 => format!("{}{}", &xml[..start], &xml[end..]),
        1 => format!("{}{}{}", &xml[..end], &xml[start..end], &xml[end..]),
        2 => match text {
            Some((a, b)) => format!("{}{value}{}", &xml[..a], &xml[b..]),
            None => xml.to_owned(),
        },
        _ => {
            // An attribute's value, when the start tag has one.
            let tag_end = xml[start..].find('>').map_or(start, |k| start + k);
            match xml[start..tag_end].find("=\"") {
                Some(k) => {
                    let a = start + k + 2;
                    let b = xml[a..].find('"').map_or(a, |k| a + k);
                    format!("{}{value}{}", &xml[..a], &xml[b..])
                }
                None => xml.to_owned(),
            }
        }
    }
}

/// Documents the corpus does not hold: factuur's own samples and a few public examples, each
/// mutated a few times at random, judged by the official tool and natively. Where the official
/// tool can judge (no XPath error), both give the same findings.
#[test]
fn native_rules_match_the_official_tool_on_mutants() {
    if !crate::official::available() {
        return;
    }
    let dir = crate::official::temp_dir("mutants");
    let mut bases: Vec<String> = Vec::new();
    for f in crate::sample_files() {
        let inv = factuur::Invoice::from_json(&std::fs::read(&f).unwrap()).unwrap();
        for profile in [factuur::ubl::Profile::Nlcius, factuur::ubl::Profile::Peppol] {
            let xml = factuur::ubl::to_xml(&inv, profile).unwrap();
            bases.push(String::from_utf8(xml).unwrap());
        }
    }
    for name in [
        "cen-examples/ubl-tc434-example1.xml",
        "cen-examples/ubl-tc434-example2.xml",
        "cen-examples/sample-discount-price.xml",
        "peppol-examples/Allowance-example.xml",
        "peppol-examples/base-creditnote-correction.xml",
        "peppol-examples/vat-category-E.xml",
    ] {
        let path = repo("testdata/conformance/ubl").join(name);
        bases.push(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}")));
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut files = Vec::new();
    for (k, base) in bases.iter().enumerate() {
        for m in 0..12 {
            let mut xml = base.clone();
            for _ in 0..=rng.below(3) {
                xml = mutate(&xml, &mut rng);
            }
            let path = dir.join(format!("m{k:03}_{m:02}.xml"));
            std::fs::write(&path, &xml).unwrap();
            files.push(path);
        }
    }
    let verdicts = crate::official::check(&files);
    let (mut compared, mut differ) = (0, Vec::new());
    let mut rules_firing = BTreeSet::new();
    for (path, v) in files.iter().zip(&verdicts) {
        if v.error.is_some() {
            continue;
        }
        let Ok(doc) = factuur::ubl::parse(&std::fs::read(path).unwrap()) else {
            continue;
        };
        let report = ubl::validate(&doc);
        let mut fatal: Vec<String> = Vec::new();
        let mut warnings: Vec<String> = Vec::new();
        for f in &report.findings {
            let line = format!("{} at {}", f.rule, f.location.path);
            rules_firing.insert(f.rule);
            match f.severity {
                factuur::Severity::Fatal => fatal.push(line),
                _ => warnings.push(line),
            }
        }
        let (mut of, mut ow) = (v.fatal.clone(), v.warnings.clone());
        for list in [&mut fatal, &mut warnings, &mut of, &mut ow] {
            list.sort();
        }
        compared += 1;
        if (fatal.clone(), warnings.clone()) != (of.clone(), ow.clone()) {
            differ.push(format!(
                "{}:\n  factuur:  {fatal:?} {warnings:?}\n  official: {of:?} {ow:?}",
                path.display()
            ));
        }
    }
    println!(
        "{compared} mutants of {} documents judged alike by both ({} rules seen firing)",
        bases.len(),
        rules_firing.len()
    );
    assert!(compared > 300, "only {compared} mutants compared");
    assert!(
        differ.is_empty(),
        "{} of {compared} mutants differ:\n{}",
        differ.len(),
        differ[..differ.len().min(10)].join("\n")
    );
}

/// factuur's own documents pass its own rules: every sample, written as SI-UBL 2.0, draws no
/// finding at all from the complete SI-UBL verdict (CEN 1.3.15 and the Dutch rules), nor from
/// EN 16931 (CEN 1.3.16), and as Peppol none from EN 16931.
#[test]
fn samples_pass_the_native_rules_without_a_finding() {
    for f in crate::sample_files() {
        let inv = factuur::Invoice::from_json(&std::fs::read(&f).unwrap()).unwrap();
        for (profile, sets) in [
            (
                factuur::ubl::Profile::Nlcius,
                &[RuleSet::En16931, RuleSet::Nlcius][..],
            ),
            (factuur::ubl::Profile::Peppol, &[RuleSet::En16931][..]),
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
