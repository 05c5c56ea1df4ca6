//! The `factuur` binary: exit codes, messages and JSON shapes that scripts rely on.

use crate::{factuur, text};

fn temp_file(name: &str, content: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("factuur-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

#[test]
fn samples_pass_with_exit_0() {
    let files: Vec<String> = crate::sample_files()
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let mut args = vec!["check"];
    args.extend(files.iter().map(String::as_str));
    let out = factuur(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout).lines().count(), files.len());
}

#[test]
fn broken_json_exits_2_naming_line_and_column() {
    let p = temp_file(
        "broken.json",
        "{\n  \"number\": \"F1\",\n  \"issue_date\": \"2026-13-01\"\n}\n",
    );
    let out = factuur(&["check", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("{}:3:", p.display())), "{err}");
    assert!(err.contains("$.issue_date"), "{err}");

    let p = temp_file("truncated.json", "{\"number\": [");
    let out = factuur(&["check", "--json", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], false);
    assert_eq!(v["error"]["line"], 1);
    assert!(v["error"]["column"].as_u64().unwrap() > 0);
}

#[test]
fn fatal_findings_exit_1_with_json_per_file() {
    let sample =
        std::fs::read_to_string(crate::repo("testdata/invoices/01-domestic-b2b.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&sample).unwrap();
    v.as_object_mut().unwrap().remove("branch");
    v["lines"][1]["vat"]["percentage"] = "9".into();
    let p = temp_file("incomplete.json", &v.to_string());
    let good = crate::repo("testdata/invoices/01-domestic-b2b.json");
    let out = factuur(&[
        "check",
        "--json",
        p.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["ok"], false);
    let rules: Vec<&str> = lines[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["CHK-BRANCH", "CHK-VAT-MISMATCH"]);
    let f = &lines[0]["findings"][1];
    assert_eq!(f["severity"], "fatal");
    assert_eq!(f["location"]["path"], "$.lines[1].vat.percentage");
    assert_eq!(f["location"]["line_number"], 2);
    assert!(f["message"]["nl"].as_str().unwrap().contains("btw"));
    assert_eq!(lines[1]["ok"], true);

    // Human output in Dutch.
    let out = factuur(&["check", "--lang", "nl", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("Er is geen vestiging ingevuld."));
}

#[test]
fn number_lookup_reports_not_found() {
    let good = crate::repo("testdata/invoices/01-domestic-b2b.json");
    let out = factuur(&["check", "--number", "2026-00017", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let out = factuur(&[
        "check",
        "--json",
        "--number",
        "BESTAAT-NIET",
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["rule"], "CHK-NOT-FOUND");
}

#[test]
fn custom_vat_code_table() {
    let table = temp_file(
        "codes.json",
        r#"[{"code": "HOOG", "category": "S", "percentage": "21"},
            {"code": "LAAG", "category": "S", "percentage": "6"}]"#,
    );
    let good = crate::repo("testdata/invoices/01-domestic-b2b.json");
    let out = factuur(&[
        "check",
        "--vat-codes",
        table.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    // The sample's 9 % LAAG line no longer matches a 6 % LAAG code.
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("CHK-VAT-MISMATCH"));
    let bad = temp_file(
        "badcodes.json",
        r#"[{"code": "X", "category": "E", "percentage": "9"}]"#,
    );
    let out = factuur(&[
        "check",
        "--vat-codes",
        bad.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn usage_errors_and_missing_files_exit_2() {
    assert_eq!(factuur(&["check"]).status.code(), Some(2));
    assert_eq!(factuur(&["frobnicate"]).status.code(), Some(2));
    let out = factuur(&["check", "/nonexistent/invoice.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("/nonexistent/invoice.json"));
}

#[test]
fn schema_command_prints_the_checked_in_schema() {
    let out = factuur(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let on_disk = std::fs::read(crate::repo("schemas/invoice.schema.json")).unwrap();
    assert_eq!(out.stdout, on_disk);
}

#[test]
fn totals_command() {
    let good = crate::repo("testdata/invoices/01-domestic-b2b.json");
    let out = factuur(&["totals", "--json", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["totals"]["payable"], "576.73");
    assert_eq!(v["totals"]["vat_breakdown"][1]["vat_amount"], "95.21");
    let out = factuur(&["totals", good.to_str().unwrap()]);
    assert!(text(&out.stdout).contains("amount due"));
}

#[test]
fn ubl_command_writes_both_profiles_atomically() {
    let dir = std::env::temp_dir().join(format!("factuur-cli-ubl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let json = crate::repo("testdata/invoices/02-credit-note.json");
    for (profile, marker) in [
        ("nlcius", "nlcius"),
        ("peppol", "peppol.eu:2017:poacc:billing:3.0"),
    ] {
        let out_path = dir.join(format!("cn.{profile}.xml"));
        let out = factuur(&[
            "ubl",
            json.to_str().unwrap(),
            "-o",
            out_path.to_str().unwrap(),
            "--profile",
            profile,
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let xml = std::fs::read_to_string(&out_path).unwrap();
        assert!(
            xml.contains("<CreditNote "),
            "credit notes are CreditNote documents"
        );
        assert!(xml.contains("<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>"));
        assert!(xml.contains(marker));
    }
    // Standard output when there is no -o; the same bytes.
    let out = factuur(&["ubl", json.to_str().unwrap()]);
    assert_eq!(
        out.stdout,
        std::fs::read(dir.join("cn.nlcius.xml")).unwrap()
    );
    // No temporary files are left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let out = factuur(&["ubl", json.to_str().unwrap(), "--profile", "xrechnung"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn ubl_command_embeds_a_pdf() {
    let pdf = temp_file("factuur.pdf", "%PDF-1.7\n% a tiny stand-in\n%%EOF\n");
    let json = crate::repo("testdata/invoices/01-domestic-b2b.json");
    let out = factuur(&[
        "ubl",
        json.to_str().unwrap(),
        "--embed-pdf",
        pdf.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let xml = text(&out.stdout);
    assert!(xml.contains(r#"mimeCode="application/pdf""#), "{xml}");
    assert!(xml.contains(r#"filename="factuur.pdf""#));
    let back = factuur::ubl::from_xml(xml.as_bytes()).unwrap();
    assert_eq!(
        back.attachments[0].content.as_deref(),
        Some(&b"%PDF-1.7\n% a tiny stand-in\n%%EOF\n"[..])
    );
    let not_pdf = temp_file("nep.pdf", "hallo");
    let out = factuur(&[
        "ubl",
        json.to_str().unwrap(),
        "--embed-pdf",
        not_pdf.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not a PDF"));
}

#[test]
fn convert_keeps_what_the_document_claims() {
    let src = crate::repo("testdata/ubl/cen-examples/guide-example1.xml");
    let out = factuur(&["convert", src.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let original = factuur::ubl::parse(&std::fs::read(&src).unwrap()).unwrap();
    let again = factuur::ubl::parse(&out.stdout).unwrap();
    let id = |d: &factuur::ubl::Document| {
        d.root()
            .child(factuur::ubl::Ns::Cbc, "CustomizationID")
            .map(|n| n.text().to_owned())
    };
    assert_eq!(id(&original), id(&again));

    let out = factuur(&["convert", src.to_str().unwrap(), "--to", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let inv = factuur::Invoice::from_json(&out.stdout).unwrap();
    assert!(!inv.lines.is_empty());

    let bad = temp_file(
        "bad.xml",
        "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\">\n<a></b>",
    );
    let out = factuur(&["convert", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("line 2"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn huge_inputs_are_refused_before_reading() {
    // A sparse 300 MB file costs no disk, and must not be read into memory.
    let p = std::env::temp_dir().join(format!("factuur-cli-huge-{}.xml", std::process::id()));
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(300 * 1024 * 1024).unwrap();
    for args in [
        vec!["convert", p.to_str().unwrap()],
        vec!["check", p.to_str().unwrap()],
    ] {
        let out = factuur(&args);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            text(&out.stderr).contains("more than"),
            "{}",
            text(&out.stderr)
        );
    }
    std::fs::remove_file(&p).unwrap();
}

#[test]
fn convert_with_a_profile_upgrades_an_old_document() {
    let src = crate::repo("testdata/ubl20/si-ubl-1.0-invoice.xml");
    let out = factuur(&["convert", src.to_str().unwrap(), "--profile", "nlcius"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let xml = text(&out.stdout);
    assert!(xml.contains(factuur::ubl::CUSTOMIZATION_NLCIUS));
    assert!(xml.contains(r#"<cbc:CompanyID schemeID="0106">08123456</cbc:CompanyID>"#));
}

#[test]
fn merge_fields_and_template_init() {
    let dir = std::env::temp_dir().join(format!("factuur-cli-merge-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let t = dir.join("factuur.docx");
    let ts = t.to_str().unwrap();
    assert_eq!(
        factuur(&["template", "init", "-o", ts]).status.code(),
        Some(0)
    );
    // No overwrite without --force.
    assert_eq!(
        factuur(&["template", "init", "-o", ts]).status.code(),
        Some(2)
    );

    let out = factuur(&["fields", "--json", ts]);
    assert_eq!(out.status.code(), Some(0));
    let fields: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fields = fields.as_array().unwrap();
    assert!(fields.len() > 90);
    assert!(fields.iter().all(|f| f["known"] == true));
    assert!(fields.iter().any(|f| f["part"] == "word/footer1.xml"));

    let merged = dir.join("2026-00017.docx");
    let out = factuur(&[
        "merge",
        ts,
        "testdata/invoices/01-domestic-b2b.json",
        "-o",
        merged.to_str().unwrap(),
        "--strict",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let body = crate::merge::text(&std::fs::read(&merged).unwrap(), "word/document.xml");
    assert!(body.contains("FACTUUR 2026-00017"), "{body}");

    // JSONL batch: named by a field, one document per line; a bad line is reported, the rest written.
    let jsonl = dir.join("records.jsonl");
    std::fs::write(
        &jsonl,
        "{\"nr\": \"A-1\", \"INVOICE_NUMBER\": \"A-1\"}\n{\"nr\": \"A/2\", \"INVOICE_NUMBER\": \"A-2\"}\nnot json\n",
    )
    .unwrap();
    let out_dir = dir.join("out");
    let out = factuur(&[
        "merge",
        ts,
        "--data",
        jsonl.to_str().unwrap(),
        "--out-dir",
        out_dir.to_str().unwrap(),
        "--name-field",
        "nr",
        "--jobs",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("records.jsonl:3:"),
        "{}",
        text(&out.stderr)
    );
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["A-1.docx", "A_2.docx"]);
    let a2 = crate::merge::text(
        &std::fs::read(out_dir.join("A_2.docx")).unwrap(),
        "word/document.xml",
    );
    assert!(a2.contains("A-2"), "{a2}");

    // A file that is not a template: exit 2 with the file named.
    let bad = dir.join("bad.docx");
    std::fs::write(&bad, "not a zip").unwrap();
    let out = factuur(&["fields", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("bad.docx"),
        "{}",
        text(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
