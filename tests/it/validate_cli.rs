//! `factuur validate`: the contract scripts are written against: arguments, JSON lines, exit
//! codes, input order, folders and standard input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::{factuur, repo, text};

/// An SI-UBL 2.0 invoice factuur wrote: valid in every respect.
const SI_UBL: &str = "testdata/pdf/ubl/2026-00017.xml";

/// A Peppol BIS 3 example.
const PEPPOL: &str = "testdata/conformance/ubl/peppol-examples/base-example.xml";

/// A folder of its own under the target directory, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = repo("target/test-scratch/validate").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn lines(out: &[u8]) -> Vec<Value> {
    text(out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn code(o: &std::process::Output) -> i32 {
    o.status.code().expect("an exit code")
}

/// The SI-UBL invoice with one change.
fn si_ubl_with(from: &str, to: &str) -> String {
    let xml = std::fs::read_to_string(repo(SI_UBL)).unwrap();
    assert!(xml.contains(from), "{from}");
    xml.replacen(from, to, 1)
}

#[test]
fn a_valid_invoice_exits_0_with_its_verdict() {
    let o = factuur(&["validate", SI_UBL]);
    assert_eq!(code(&o), 0, "{}{}", text(&o.stdout), text(&o.stderr));
    let out = text(&o.stdout);
    assert!(
        out.contains("Invoice valid: structure ok, nlcius ok"),
        "{out}"
    );
    assert!(out.ends_with("1 file: 1 valid, 0 not valid\n"), "{out}");
}

#[test]
fn json_lines_follow_the_contract() {
    let o = factuur(&["validate", "--json", SI_UBL, PEPPOL]);
    let got = lines(&o.stdout);
    assert_eq!(got.len(), 2);
    let first = got[0].as_object().unwrap();
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    assert_eq!(keys, ["file", "root", "xsd_ok", "xsd_errors", "nlcius"]);
    assert_eq!(first["file"], SI_UBL);
    assert_eq!(first["root"], "Invoice");
    assert_eq!(first["xsd_ok"], true);
    assert_eq!(first["nlcius"]["ok"], true);
    assert_eq!(
        first["nlcius"]["version"],
        "SI-UBL 2.0.3.12 (CEN 1.3.15 + BR-NL)"
    );
    // auto: a Peppol document gets EN 16931 and the Peppol rules.
    let second = got[1].as_object().unwrap();
    let keys: Vec<&str> = second.keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["file", "root", "xsd_ok", "xsd_errors", "en16931", "peppol"]
    );
    assert_eq!(second["en16931"]["version"], "1.3.16");
}

#[test]
fn failed_asserts_are_sorted_triples_and_exit_1() {
    // A wrong total and a second wrong total: two findings, sorted by rule.
    let xml = si_ubl_with(
        r#"<cbc:TaxInclusiveAmount currencyID="EUR">576.73<"#,
        r#"<cbc:TaxInclusiveAmount currencyID="EUR">576.70<"#,
    );
    let dir = scratch("failed");
    let file = dir.join("wrong.xml");
    std::fs::write(&file, xml).unwrap();
    let f = file.to_str().unwrap();
    let o = factuur(&["validate", "--json", "--rules", "en16931,nlcius", f]);
    assert_eq!(code(&o), 1, "{}", text(&o.stderr));
    let v = &lines(&o.stdout)[0];
    let failed = v["en16931"]["failed"].as_array().unwrap();
    assert!(!failed.is_empty());
    let triples: Vec<(String, String, String)> = failed
        .iter()
        .map(|t| {
            let t = t.as_array().unwrap();
            assert_eq!(t.len(), 3);
            let s = |i: usize| t[i].as_str().unwrap().to_owned();
            (s(0), s(1), s(2))
        })
        .collect();
    let mut sorted = triples.clone();
    sorted.sort();
    assert_eq!(triples, sorted);
    assert!(
        triples.iter().any(|t| t.0 == "BR-CO-15" && t.1 == "fatal"),
        "{triples:?}"
    );
    assert_eq!(v["en16931"]["ok"], false);
    // The human output names the rule, its term, the place and the amounts.
    let o = factuur(&["validate", "--rules", "en16931", f]);
    let out = text(&o.stdout);
    assert!(out.contains("NOT VALID"), "{out}");
    let line = out.lines().find(|l| l.contains("BR-CO-15")).unwrap();
    assert!(line.contains("fatal BR-CO-15 (BT-112)"), "{line}");
    assert!(line.contains(" at /Invoice[1]: "), "{line}");
}

#[test]
fn unusable_inputs_exit_2_and_the_rest_is_still_reported() {
    let dir = scratch("unusable");
    let broken = dir.join("broken.xml");
    std::fs::write(&broken, "<Invoice>\n  <unclosed>\n</Invoice>\n").unwrap();
    let other = dir.join("order.xml");
    std::fs::write(
        &other,
        r#"<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>"#,
    )
    .unwrap();
    let wrong = dir.join("wrong.xml");
    std::fs::write(
        &wrong,
        si_ubl_with("<cbc:ID>2026-00017</cbc:ID>", "<cbc:ID></cbc:ID>"),
    )
    .unwrap();
    let missing = dir.join("missing.xml");
    let args = [&broken, &other, &wrong, &missing];
    let mut argv = vec!["validate", "--json"];
    argv.extend(args.iter().map(|p| p.to_str().unwrap()));
    argv.push(SI_UBL);
    let o = factuur(&argv);
    assert_eq!(code(&o), 2, "2 wins over 1");
    let got = lines(&o.stdout);
    assert_eq!(got.len(), 5, "every file reported");
    for (v, p) in got.iter().zip(args) {
        assert_eq!(v["file"], p.to_str().unwrap());
    }
    let err = &got[0]["error"];
    assert_eq!(err["line"], 3, "{err}");
    assert!(err["message"].as_str().unwrap().contains("not well-formed"));
    let err = &got[1]["error"];
    assert!(err["message"].as_str().unwrap().contains("Order"), "{err}");
    assert_eq!(got[2]["nlcius"]["ok"], false);
    assert_eq!(got[3]["error"]["line"], 0);
    assert_eq!(got[4]["nlcius"]["ok"], true);
    // Without the unusable ones: 1.
    let o = factuur(&["validate", wrong.to_str().unwrap(), SI_UBL]);
    assert_eq!(code(&o), 1);
}

#[test]
fn folders_are_walked_for_xml_in_any_case_and_output_keeps_input_order() {
    let dir = scratch("walk");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let xml = std::fs::read(repo(SI_UBL)).unwrap();
    for name in ["b.xml", "A.XML", "sub/c.Xml", "notes.txt", "x.xml.bak"] {
        std::fs::write(dir.join(name), &xml).unwrap();
    }
    let o = factuur(&["validate", "--json", dir.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    let files: Vec<String> = lines(&o.stdout)
        .iter()
        .map(|v| v["file"].as_str().unwrap().to_owned())
        .collect();
    let d = dir.display();
    assert_eq!(
        files,
        [
            format!("{d}/A.XML"),
            format!("{d}/b.xml"),
            format!("{d}/sub/c.Xml")
        ]
    );

    // Many files on several threads: the same lines in the same order as on one.
    let corpus = repo("testdata/conformance/ubl/si-ubl-testset");
    let one = factuur(&[
        "validate",
        "--json",
        "--jobs",
        "1",
        corpus.to_str().unwrap(),
    ]);
    let four = factuur(&[
        "validate",
        "--json",
        "--jobs",
        "4",
        corpus.to_str().unwrap(),
    ]);
    assert!(lines(&one.stdout).len() > 50);
    assert_eq!(text(&one.stdout), text(&four.stdout));
    assert_eq!(code(&one), code(&four));
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_factuur"))
        .args(["validate", "--json", "-"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let xml = std::fs::read(repo(SI_UBL)).unwrap();
    child.stdin.take().unwrap().write_all(&xml).unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(code(&o), 0);
    let v = &lines(&o.stdout)[0];
    assert_eq!(v["file"], "-");
    assert_eq!(v["nlcius"]["ok"], true);
}

#[test]
fn rule_sets_are_chosen_by_list_or_by_the_document() {
    let o = factuur(&["validate", "--json", "--rules", "peppol,en16931", SI_UBL]);
    let v = &lines(&o.stdout)[0];
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["file", "root", "xsd_ok", "xsd_errors", "peppol", "en16931"]
    );
    // An SI-UBL document fails Peppol's own CustomizationID rule: not ok, exit 1.
    assert_eq!(v["peppol"]["ok"], false);
    assert_eq!(code(&o), 1);
    // A plain EN 16931 document (no CIUS) gets EN 16931 only.
    let cen = "testdata/conformance/ubl/cen-examples/guide-example1.xml";
    let v = &lines(&factuur(&["validate", "--json", cen]).stdout)[0];
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["file", "root", "xsd_ok", "xsd_errors", "en16931"]);
    // Unknown sets are a usage error.
    let o = factuur(&["validate", "--rules", "en16931,xrechnung", SI_UBL]);
    assert_eq!(code(&o), 2);
    assert!(text(&o.stderr).contains("xrechnung"));
}

#[test]
fn a_structure_error_is_reported_with_its_place() {
    let dir = scratch("structure");
    let file = dir.join("twice.xml");
    // The issue date twice: UBL allows it once.
    std::fs::write(
        &file,
        si_ubl_with(
            "<cbc:IssueDate>",
            "<cbc:IssueDate>2026-01-01</cbc:IssueDate>\n  <cbc:IssueDate>",
        ),
    )
    .unwrap();
    let o = factuur(&["validate", "--json", file.to_str().unwrap()]);
    assert_eq!(code(&o), 1);
    let v = &lines(&o.stdout)[0];
    assert_eq!(v["xsd_ok"], false);
    let e = &v["xsd_errors"][0];
    assert!(e["message"].as_str().unwrap().contains("IssueDate"), "{e}");
    assert!(e["line"].as_u64().unwrap() > 1);
    assert!(Path::new(&file).exists());
}
