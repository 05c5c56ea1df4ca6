//! Differential test against the official tools themselves: documents the corpus does not hold
//! (factuur's own samples and public examples, mutated at random with a fixed seed: elements
//! dropped and duplicated, single values duplicated, emptied and retyped, codes and attributes
//! changed) are judged by the official XSLTs (`testdata/official/verdict.py`, Saxon-HE) and by
//! factuur, column by column. Per column, every mutant is either judged identically (the same
//! findings: rule, severity, node) or one the official tool stops on with an error and factuur
//! does not call ok; anything else is a disagreement, and there must be none.

use std::collections::BTreeMap;
use std::path::PathBuf;

use factuur::ubl::Document;
use factuur::validate::ubl::{self, RuleSet};

use crate::official::{self, Failed, Official};
use crate::repo;

/// One column of the official verdict, and factuur's side of it.
struct Column {
    /// The column's key in the official verdict.
    key: &'static str,
    /// factuur's verdict: whether the document is ok, and the findings as (id, flag, location).
    native: fn(&Document) -> (bool, Vec<Failed>),
}

const COLUMNS: &[Column] = &[
    Column {
        key: "en16931",
        native: |d| rules(d, RuleSet::En16931),
    },
    Column {
        key: "nlcius",
        native: |d| rules(d, RuleSet::Nlcius),
    },
    Column {
        key: "peppol",
        native: |d| rules(d, RuleSet::Peppol),
    },
    Column {
        key: "xsd_ok",
        native: |d| (ubl::schema::check(d).is_empty(), Vec::new()),
    },
];

/// factuur's verdict of one rule set.
fn rules(doc: &Document, set: RuleSet) -> (bool, Vec<Failed>) {
    let report = ubl::validate_with(doc, &[set]);
    let mut failed: Vec<Failed> = report
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
    failed.sort();
    (report.is_ok(), failed)
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

/// An element of a document: where its start tag starts, where its end tag ends, the span of
/// its text when it is a leaf, and how deep it is (0 for the root).
#[derive(Clone, Copy)]
struct Element {
    start: usize,
    end: usize,
    text: Option<Span>,
    depth: usize,
}

/// Where the elements of a document are.
fn elements(xml: &str) -> Vec<Element> {
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
                out.push(Element {
                    start: before,
                    end: reader.buffer_position() as usize,
                    text: None,
                    depth: open.len(),
                });
            }
            Ok(Event::Text(_)) => {
                if let Some(e) = open.last_mut() {
                    e.1 = Some((before, reader.buffer_position() as usize));
                }
            }
            Ok(Event::End(_)) => {
                let (start, text, has_children) = open.pop().expect("balanced");
                out.push(Element {
                    start,
                    end: reader.buffer_position() as usize,
                    text: if has_children { None } else { text },
                    depth: open.len(),
                });
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

/// Values of another type than the element expects: text for a number, a number the official
/// rules read only as a double, a date that does not exist, a boolean that is none.
const RETYPED: &[&str] = &[
    "abc",
    "1e3",
    "NaN",
    "INF",
    "12,50",
    " 12.50 ",
    "+.5",
    "2026-02-30",
    "31-01-2026",
    "2026-01-31+01:00",
    "yes",
    "TRUE",
];

/// One mutant of `xml`: an element dropped or duplicated, a single value duplicated, emptied
/// or retyped, or a value or attribute changed.
fn mutate(xml: &str, rng: &mut Rng) -> String {
    // Never the root: the document must stay an invoice for the rules to run.
    let all: Vec<Element> = elements(xml).into_iter().filter(|e| e.depth > 0).collect();
    let leaves: Vec<Element> = all.iter().copied().filter(|e| e.text.is_some()).collect();
    if all.is_empty() {
        return xml.to_owned();
    }
    let kind = rng.below(7);
    let pool = if kind >= 4 && !leaves.is_empty() {
        &leaves
    } else {
        &all
    };
    let e = pool[rng.below(pool.len())];
    let (start, end) = (e.start, e.end);
    let replace_text = |value: &str| match e.text {
        Some((a, b)) => format!("{}{value}{}", &xml[..a], &xml[b..]),
        None => xml.to_owned(),
    };
    match kind {
        0 => format!("{}{}", &xml[..start], &xml[end..]),
        // Any element twice, or (6) a single value twice.
        1 | 6 => format!("{}{}{}", &xml[..end], &xml[start..end], &xml[end..]),
        2 => replace_text(VALUES[rng.below(VALUES.len())]),
        3 => {
            // An attribute's value, when the start tag has one.
            let value = VALUES[rng.below(VALUES.len())];
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
        4 => replace_text(""),
        _ => replace_text(RETYPED[rng.below(RETYPED.len())]),
    }
}

/// What became of the mutants in one column.
#[derive(Default)]
struct Agreement {
    /// The same findings from both.
    identical: usize,
    /// The official tool stopped with an error, and factuur's verdict is not ok.
    refused: usize,
    /// Anything else.
    differ: Vec<String>,
}

#[test]
fn factuur_agrees_with_the_official_tools_on_mutants() {
    if !official::verdicts_available() {
        return;
    }
    let dir = official::temp_dir("mutants");
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
        "cen-examples/ubl-tc434-example7.xml",
        "cen-examples/sample-discount-price.xml",
        "cen-examples/issue116.xml",
        "peppol-examples/Allowance-example.xml",
        "peppol-examples/base-creditnote-correction.xml",
        "peppol-examples/vat-category-E.xml",
        "peppol-examples/vat-category-Z.xml",
        "peppol-snippets/Calc.xml",
        "si-ubl-testset/SI-UBL-2.0.2/SI-UBL-2.0_ok_full.xml",
    ] {
        let path = repo("testdata/conformance/ubl").join(name);
        bases.push(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}")));
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut files: Vec<PathBuf> = Vec::new();
    for (k, base) in bases.iter().enumerate() {
        for m in 0..16 {
            let mut xml = base.clone();
            for _ in 0..=rng.below(3) {
                xml = mutate(&xml, &mut rng);
            }
            let path = dir.join(format!("m{k:03}_{m:02}.xml"));
            std::fs::write(&path, &xml).unwrap();
            files.push(path);
        }
    }
    let keys: Vec<&str> = COLUMNS.iter().map(|c| c.key).collect();
    let verdicts = official::verdicts(&dir, &keys);
    let mut agreement: BTreeMap<&str, Agreement> = BTreeMap::new();
    for path in &files {
        let v = verdicts
            .get(path)
            .unwrap_or_else(|| panic!("no official verdict on {}", path.display()));
        let doc = factuur::ubl::parse(&std::fs::read(path).unwrap())
            .unwrap_or_else(|e| panic!("{}: a mutant must stay well-formed: {e}", path.display()));
        for column in COLUMNS {
            let a = agreement.entry(column.key).or_default();
            let (ok, failed) = (column.native)(&doc);
            match &v[column.key] {
                Official::Stopped(error) => {
                    if ok {
                        a.differ.push(format!(
                            "{} ({}): the official tool stopped ({error}), factuur says ok: {failed:?}",
                            path.display(),
                            column.key
                        ));
                    } else {
                        a.refused += 1;
                    }
                }
                Official::Judged {
                    ok: official_ok,
                    failed: official,
                } => {
                    if (ok, &failed) == (*official_ok, official) {
                        a.identical += 1;
                    } else {
                        a.differ.push(format!(
                            "{} ({}):\n  factuur:  {ok} {failed:?}\n  official: {official_ok} {official:?}",
                            path.display(),
                            column.key
                        ));
                    }
                }
            }
        }
    }
    let mut failures = Vec::new();
    for (key, a) in &agreement {
        println!(
            "{key}: {} mutants of {} documents: {} judged identically, {} where the official tool \
             stopped with an error and factuur is not ok, {} disagreements",
            files.len(),
            bases.len(),
            a.identical,
            a.refused,
            a.differ.len()
        );
        assert_eq!(a.identical + a.refused + a.differ.len(), files.len());
        // The mutants reach both kinds of outcome, or the test would prove little.
        assert!(
            a.identical > files.len() / 2,
            "{key}: only {} judged",
            a.identical
        );
        // The schema check never stops with an error; its mutants' valid and invalid outcomes
        // are counted by `schema_check`'s own differential test.
        if *key != "xsd_ok" {
            assert!(a.refused > 20, "{key}: only {} refused", a.refused);
        }
        failures.extend(a.differ.iter().take(10).cloned());
    }
    assert!(
        failures.is_empty(),
        "disagreements with the official tools:\n{}",
        failures.join("\n")
    );
}
