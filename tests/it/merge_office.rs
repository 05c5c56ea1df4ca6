//! A real office suite reads the merged documents: LibreOffice converts them to PDF (headless,
//! one `soffice` call for all of them) and the PDF's text must hold the values, in exact Dutch
//! number and date formats, with the regions expanded. CI installs LibreOffice and poppler
//! (`.ci/run`); without them this test fails under `CI=true` and is skipped loudly elsewhere.

use std::path::{Path, PathBuf};
use std::process::Command;

use factuur::merge::{MergeOptions, Record, Template, Value};

use crate::merge::{doc, fld, p};

fn tool(name: &str, version: &str) -> bool {
    Command::new(name)
        .arg(version)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn libreoffice_renders_the_merged_values() {
    if !tool("soffice", "--version") || !tool("pdftotext", "-v") {
        let msg = "LibreOffice (soffice) or poppler (pdftotext) missing: the office-suite check did not run. Install libreoffice-writer-nogui and poppler-utils (.ci/run does).";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{msg}");
        }
        eprintln!("\n!!!!!!!!!! SKIPPED: {msg}\n");
        return;
    }
    let dir = std::env::temp_dir().join(format!("factuur-office-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut files: Vec<PathBuf> = Vec::new();

    // 1. The starter template with the sample invoice.
    let t = Template::open(factuur::merge::starter::template()).unwrap();
    let inv = factuur::Invoice::from_json(
        &std::fs::read(crate::repo("testdata/invoices/01-domestic-b2b.json")).unwrap(),
    )
    .unwrap();
    let starter = dir.join("starter.docx");
    std::fs::write(
        &starter,
        t.render(&inv, &MergeOptions::default()).unwrap().docx,
    )
    .unwrap();
    files.push(starter);

    // 2. Pictures, IF with a nested field, and an expanded region.
    let nl = r#"<w:rPr><w:lang w:val="nl-NL"/></w:rPr>"#;
    let body = [
        p(&fld(r##" MERGEFIELD Bedrag \# "#.##0,00" "##, nl)),
        p(&fld(r#" MERGEFIELD Datum \@ "dddd d MMMM yyyy" "#, nl)),
        p(&format!(
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> IF </w:instrText></w:r>{}<w:r><w:instrText xml:space="preserve"> &gt; 1000 "boven de drempel" "eronder" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
            fld(" MERGEFIELD Bedrag ", "")
        )),
        p(&(fld(" MERGEFIELD TableStart:Regels ", "")
            + &fld(" MERGEFIELD Omschrijving ", "")
            + r#"<w:r><w:t xml:space="preserve">: </w:t></w:r>"#
            + &fld(r##" MERGEFIELD Prijs \# "#.##0,00" "##, "")
            + &fld(" MERGEFIELD TableEnd:Regels ", ""))),
    ]
    .concat();
    let mut r = Record::new();
    r.insert("Bedrag", Value::Number("1234567.891".parse().unwrap()));
    r.insert(
        "Datum",
        Value::Date(chrono::NaiveDate::from_ymd_opt(2026, 2, 2).unwrap()),
    );
    let items = (1..=3)
        .map(|i| {
            let mut it = Record::new();
            it.insert("Omschrijving", format!("Artikel-{i}"));
            it.insert("Prijs", Value::Number(format!("{i}999.5").parse().unwrap()));
            it
        })
        .collect();
    r.insert("Regels", Value::List(items));
    let pictures = dir.join("pictures.docx");
    std::fs::write(
        &pictures,
        Template::open(doc(&body))
            .unwrap()
            .render_data(&r, &MergeOptions::default())
            .unwrap()
            .docx,
    )
    .unwrap();
    files.push(pictures);

    let profile = dir.join("profile");
    let status = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&dir)
        .args(&files)
        .output()
        .expect("soffice runs");
    assert!(
        status.status.success(),
        "soffice: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let squash = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let starter = squash(pdf_text(&dir.join("starter.pdf")));
    for want in [
        "FACTUUR 2026-00017",
        "Bakkerij Jansen V.O.F.",
        "3 februari 2026",
        "Arbeid monteur",
        "Koffiebroodjes",
        "218,75",
        "over 25,80",
        "over 453,40",
        "2,32",
        "95,21",
        "479,20",
        "576,73",
        "donderdag 5 maart 2026",
        "Btw-bon: GKS-2026-000417",
        "Installatiebedrijf De Vries B.V.",
    ] {
        assert!(
            starter.contains(want),
            "{want:?} not in the PDF:\n{starter}"
        );
    }
    assert!(
        !starter.contains('«'),
        "unmerged field in the PDF:\n{starter}"
    );
    // One row per invoice line: the region expanded, the template row gone.
    assert_eq!(starter.matches("HOOG").count(), 4, "{starter}");
    assert_eq!(starter.matches("LAAG").count(), 1, "{starter}");
    let pictures = squash(pdf_text(&dir.join("pictures.pdf")));
    for want in [
        "1.234.567,89",
        "maandag 2 februari 2026",
        "boven de drempel",
        "Artikel-1: 1.999,50",
        "Artikel-2: 2.999,50",
        "Artikel-3: 3.999,50",
    ] {
        assert!(
            pictures.contains(want),
            "{want:?} not in the PDF:\n{pictures}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
