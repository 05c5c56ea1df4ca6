//! The InvoiceSharing pair end to end: every sample written as `<base>.xml` + `<base>.pdf` with
//! the UBL writer, the XML accepted by the official rules, the PDF embedded in the XML or the XML
//! in the PDF on request, and the UBL fixtures of the PDF and delivery tests kept equal to what
//! the writer produces.

use factuur::Invoice;
use factuur::pair::{self, PairOptions};
use factuur::ubl::{self, Profile};

use crate::official;

fn sample(name: &str) -> Invoice {
    Invoice::from_json(&std::fs::read(crate::repo(&format!("testdata/invoices/{name}"))).unwrap())
        .unwrap()
}

/// The UBL fixtures used by the PDF and delivery tests: the writer's own output for sample 01,
/// and for a variant whose customer (a private person, reached by e-mail) has no KvK number.
fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    let inv = sample("01-domestic-b2b.json");
    let mut no_kvk = inv.clone();
    no_kvk.number = "2026-00018".into();
    let customer = no_kvk.customer.as_mut().unwrap();
    customer.name = "Particulier P. de Boer".into();
    customer.kvk = None;
    customer.vat_number = None;
    customer.endpoint = Some(factuur::model::Endpoint {
        id: "inkoop@voorbeeld.nl".into(),
        scheme: "EM".into(),
    });
    vec![
        (
            "testdata/pdf/ubl/2026-00017.xml",
            ubl::to_xml(&inv, Profile::Nlcius).unwrap(),
        ),
        (
            "testdata/pdf/ubl/2026-00018-no-kvk.xml",
            ubl::to_xml(&no_kvk, Profile::Nlcius).unwrap(),
        ),
    ]
}

/// Regenerate with `FACTUUR_BLESS=1 cargo test --all-features --test it invoice_sharing`.
#[test]
fn ubl_fixtures_are_the_writers_output() {
    for (path, xml) in fixtures() {
        let path = crate::repo(path);
        if std::env::var_os("FACTUUR_BLESS").is_some() {
            std::fs::write(&path, &xml).unwrap();
        }
        assert!(
            std::fs::read(&path).unwrap() == xml,
            "{} is not what the UBL writer writes: run with FACTUUR_BLESS=1",
            path.display()
        );
    }
}

#[test]
fn every_sample_becomes_a_pair_whose_xml_the_official_rules_accept() {
    let dir = official::temp_dir("pairs");
    let mut xmls = Vec::new();
    for file in crate::sample_files() {
        let inv = Invoice::from_json(&std::fs::read(&file).unwrap()).unwrap();
        let files = pair::write(&inv, &dir, &PairOptions::default()).unwrap();
        let base = pair::base_name(&inv);
        assert!(files.xml.ends_with(format!("{base}.xml")));
        assert!(files.pdf.ends_with(format!("{base}.pdf")));
        let xml = std::fs::read(&files.xml).unwrap();
        assert_eq!(
            xml,
            ubl::to_xml(&inv, Profile::Nlcius).unwrap(),
            "{base}: the XML is the writer's"
        );
        assert!(std::fs::read(&files.pdf).unwrap().starts_with(b"%PDF-"));
        xmls.push(files.xml);
    }
    // Nothing but the pairs is left in the folder.
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2 * xmls.len(), "{names:?}");
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
    if official::available() {
        let rejected: Vec<_> = official::check(&xmls)
            .into_iter()
            .filter(|v| !v.accepted())
            .collect();
        assert!(rejected.is_empty(), "{rejected:#?}");
    }
}

#[test]
fn embedding_either_way_and_not_both() {
    let inv = sample("01-domestic-b2b.json");
    let dir = official::temp_dir("pairs-embedded");

    let options = PairOptions {
        embed_pdf: true,
        ..PairOptions::default()
    };
    let files = pair::write(&inv, &dir, &options).unwrap();
    let pdf = std::fs::read(&files.pdf).unwrap();
    let back = ubl::from_xml(&std::fs::read(&files.xml).unwrap()).unwrap();
    let att = back
        .attachments
        .iter()
        .find(|a| a.mime_code.as_deref() == Some("application/pdf"))
        .unwrap();
    assert_eq!(
        att.content.as_deref(),
        Some(&pdf[..]),
        "the XML carries the very PDF beside it"
    );
    assert_eq!(att.filename.as_deref(), Some("2026-00017.pdf"));
    if official::available() {
        let v = official::check(std::slice::from_ref(&files.xml));
        assert!(v[0].accepted(), "{:?}", v[0]);
    }

    let options = PairOptions {
        hybrid: true,
        ..PairOptions::default()
    };
    let files = pair::write(&inv, &dir, &options).unwrap();
    let pdf = std::fs::read(&files.pdf).unwrap();
    let xml = std::fs::read(&files.xml).unwrap();
    // The XML file is attached to the PDF: its bytes appear in the PDF's embedded file stream
    // (compressed), so look for the attachment's name and the PDF/A claim.
    assert!(pdf.windows(14).any(|w| w == b"2026-00017.xml"));
    assert!(
        pdf.windows(9).any(|w| w == b"pdfaid:pa") || pdf.windows(11).any(|w| w == b"/AFRelation")
    );
    assert_eq!(xml, ubl::to_xml(&inv, Profile::Nlcius).unwrap());

    let both = PairOptions {
        hybrid: true,
        embed_pdf: true,
        ..PairOptions::default()
    };
    assert!(matches!(
        pair::write(&inv, &dir, &both),
        Err(pair::WriteError::BothEmbedded)
    ));
}

#[cfg(feature = "cli")]
#[test]
fn pair_command_writes_pairs_and_send_routes_them() {
    use std::process::Command;
    let dir = official::temp_dir("pair-cli");
    let out = Command::new(env!("CARGO_BIN_EXE_factuur"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "pair",
            "testdata/invoices/01-domestic-b2b.json",
            "testdata/invoices/11-government-customer.json",
            "--out-dir",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let eml = dir.join("eml");
    let out = Command::new(env!("CARGO_BIN_EXE_factuur"))
        .args(["send"])
        .arg(&dir)
        .args(["--to", "abc@uploads.is", "--eml-dir"])
        .arg(&eml)
        .output()
        .unwrap();
    // The government customer has an OIN, no KvK: InvoiceSharing cannot route it.
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("KvK 30124517"), "{stdout}");
    assert!(std::fs::read_dir(&eml).unwrap().count() == 1);
}
