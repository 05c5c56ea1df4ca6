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

/// The starter template as a user sees it, for every sample invoice: LibreOffice lays the
/// merged documents out, and their text must hold every amount whole (no column too narrow to
/// hold `1.234,50` or a header like `Aantal`), no label of an empty field, and no bare
/// `Btw-bon:` without a ticket. The first page of the first sample is kept as
/// `target/merge-review/starter-01.png` for a person to look at.
#[test]
fn starter_template_lays_out_every_sample_cleanly() {
    if !tool("soffice", "--version") || !tool("pdftotext", "-v") || !tool("pdftoppm", "-v") {
        let msg = "LibreOffice (soffice) or poppler (pdftotext, pdftoppm) missing: the starter layout check did not run. Install libreoffice-writer-nogui and poppler-utils (.ci/run does).";
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("{msg}");
        }
        eprintln!("\n!!!!!!!!!! SKIPPED: {msg}\n");
        return;
    }
    let dir = std::env::temp_dir().join(format!("factuur-starter-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let template = Template::open(factuur::merge::starter::template()).unwrap();
    let mut merged = Vec::new();
    for path in crate::sample_files() {
        let invoice = factuur::Invoice::from_json(&std::fs::read(&path).unwrap()).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let docx = dir.join(format!("{name}.docx"));
        let out = template.render(&invoice, &MergeOptions::default()).unwrap();
        std::fs::write(&docx, out.docx).unwrap();
        merged.push((name, docx, invoice));
    }
    let out = Command::new("soffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.join("profile").display()
        ))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&dir)
        .args(merged.iter().map(|m| &m.1))
        .output()
        .expect("soffice runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dutch =
        |d: rust_decimal::Decimal| factuur::locale::number(d, 2, factuur::validate::Lang::Nl);
    for (name, _, invoice) in &merged {
        let text = pdf_text(&dir.join(format!("{name}.pdf")));
        let header = text
            .lines()
            .find(|l| l.contains("Omschrijving"))
            .unwrap_or_else(|| panic!("{name}: no line table header:\n{text}"));
        let words: Vec<&str> = header.split_whitespace().collect();
        for label in [
            "#",
            "Artikel",
            "Omschrijving",
            "Aantal",
            "Eenh.",
            "Prijs",
            "Btw",
            "Bedrag",
        ] {
            assert!(
                words.contains(&label),
                "{name}: header cell {label:?} broken: {header}"
            );
        }
        let tokens: Vec<&str> = text.split_whitespace().collect();
        let totals = invoice.totals().unwrap();
        let mut amounts: Vec<rust_decimal::Decimal> =
            vec![totals.payable, totals.tax_inclusive, totals.tax_exclusive];
        amounts.extend(totals.lines.iter().map(|l| l.net_amount));
        for amount in amounts {
            let shown = dutch(amount);
            assert!(
                tokens.contains(&shown.as_str()),
                "{name}: amount {shown} not shown whole:\n{text}"
            );
        }
        let bon = text.lines().find(|l| l.contains("Btw-bon"));
        match &invoice.external_reference {
            Some(ticket) => {
                let line = bon.unwrap_or_else(|| panic!("{name}: no ticket line:\n{text}"));
                assert!(line.contains(ticket.as_str()), "{name}: {line}");
            }
            None => assert!(bon.is_none(), "{name}: a bare ticket label: {bon:?}"),
        }
        for (label, value) in [
            ("Project", &invoice.project_reference),
            ("Contract", &invoice.contract_reference),
        ] {
            let labelled = text.lines().any(|l| {
                l.split_whitespace().next() == Some(label) || l.contains(&format!("  {label}  "))
            });
            assert_eq!(
                labelled,
                value.is_some(),
                "{name}: label {label} with value {value:?}:\n{text}"
            );
        }
        assert!(!text.contains('«'), "{name}: unmerged field:\n{text}");
    }
    let review = crate::repo("target/merge-review");
    std::fs::create_dir_all(&review).unwrap();
    let first = &merged[0].0;
    let status = Command::new("pdftoppm")
        .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"])
        .arg(dir.join(format!("{first}.pdf")))
        .arg(review.join("starter-01"))
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());
    assert!(review.join("starter-01.png").exists());
    let _ = std::fs::remove_dir_all(&dir);
}
