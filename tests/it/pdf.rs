//! PDF invoices, checked with the tools a person would use: qpdf (structure), pdftotext (what a
//! reader sees), pdfdetach (the attached UBL), pikepdf (PDF/A-3 structure), pdftoppm (page images
//! kept for review in `target/pdf-review/`).

use std::path::{Path, PathBuf};
use std::process::Command;

use factuur::Invoice;
use factuur::locale;
use factuur::pdf::{self, Logo, PdfError, PdfOptions, XmlAttachment};
use factuur::validate::Lang;

use crate::{have_python_module, have_tool, repo, scratch};

fn sample(name: &str) -> Invoice {
    Invoice::from_json(&std::fs::read(repo(name)).unwrap()).unwrap()
}

const DOMESTIC: &str = "testdata/invoices/01-domestic-b2b.json";
const MANY: &str = "testdata/pdf/02-many-lines.json";
const CREDIT_EN: &str = "testdata/pdf/03-credit-note-en.json";
const SIXTY: &str = "testdata/pdf/04-sixty-lines.json";
const UBL: &str = "testdata/pdf/ubl/2026-00017.xml";

fn logo() -> Logo {
    Logo::from_bytes(std::fs::read(repo("testdata/pdf/logo.png")).unwrap()).unwrap()
}

fn hybrid_options() -> PdfOptions {
    PdfOptions {
        attachment: Some(
            XmlAttachment::new("2026-00017.xml", std::fs::read(repo(UBL)).unwrap()).unwrap(),
        ),
        ..PdfOptions::default()
    }
}

/// Every sample layout: (name, invoice, options).
fn layouts() -> Vec<(&'static str, Invoice, PdfOptions)> {
    vec![
        ("domestic-nl", sample(DOMESTIC), PdfOptions::default()),
        ("domestic-hybrid", sample(DOMESTIC), hybrid_options()),
        (
            "domestic-en-logo-archival",
            sample(DOMESTIC),
            PdfOptions {
                lang: Lang::En,
                logo: Some(logo()),
                archival: true,
                ..PdfOptions::default()
            },
        ),
        ("many-lines-nl", sample(MANY), PdfOptions::default()),
        (
            "credit-note-en-logo",
            sample(CREDIT_EN),
            PdfOptions {
                lang: Lang::En,
                logo: Some(logo()),
                ..PdfOptions::default()
            },
        ),
        ("sixty-lines-nl", sample(SIXTY), PdfOptions::default()),
    ]
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(format!("{name}.pdf"));
    std::fs::write(&p, bytes).unwrap();
    p
}

fn run(cmd: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(cmd).args(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn text_of(pdf: &Path) -> String {
    let (ok, text) = run("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(ok, "pdftotext failed: {text}");
    text
}

#[test]
fn output_is_deterministic() {
    for (name, inv, opts) in layouts() {
        let a = pdf::render(&inv, &opts).unwrap();
        let b = pdf::render(&inv, &opts).unwrap();
        assert_eq!(a, b, "{name}: two renders differ");
        // Nothing of the clock: the dates in the file are the invoice's.
        let raw = String::from_utf8_lossy(&a);
        assert!(!raw.contains("/CreationDate (D:19"), "{name}");
    }
    // Different input, different bytes.
    let inv = sample(DOMESTIC);
    let mut other = inv.clone();
    other.number = "2026-00099".into();
    assert_ne!(
        pdf::render(&inv, &PdfOptions::default()).unwrap(),
        pdf::render(&other, &PdfOptions::default()).unwrap()
    );
}

#[test]
fn qpdf_check_is_clean() {
    if !have_tool("qpdf", &["--version"]) {
        return;
    }
    let dir = scratch("pdf-qpdf");
    for (name, inv, opts) in layouts() {
        let p = write(&dir, name, &pdf::render(&inv, &opts).unwrap());
        let (ok, text) = run("qpdf", &["--check", p.to_str().unwrap()]);
        assert!(ok, "{name}: qpdf --check failed:\n{text}");
        assert!(
            text.contains("No syntax or stream encoding errors found"),
            "{name}: {text}"
        );
        assert!(!text.to_lowercase().contains("warning"), "{name}: {text}");
    }
    // The check can fail: a truncated file is not clean.
    let good = pdf::render(&sample(DOMESTIC), &PdfOptions::default()).unwrap();
    let p = write(&dir, "truncated", &good[..good.len() / 2]);
    let (ok, _) = run("qpdf", &["--check", p.to_str().unwrap()]);
    assert!(!ok, "qpdf accepted a truncated PDF");
}

#[test]
fn pdftotext_shows_every_key_value_dutch() {
    if !have_tool("pdftotext", &["-v"]) {
        return;
    }
    let dir = scratch("pdf-text-nl");
    let inv = sample(DOMESTIC);
    let p = write(
        &dir,
        "domestic",
        &pdf::render(&inv, &PdfOptions::default()).unwrap(),
    );
    let text = text_of(&p);
    for want in [
        "Factuur",
        "Installatiebedrijf De Vries B.V.",
        "De Vries Installatietechniek",
        "Industrieweg 14",
        "Bakkerij Jansen V.O.F.",
        "t.a.v. M. Jansen",
        "Dorpsstraat 7-A",
        "6721 AB",
        "Bennekom",
        "2026-00017",
        "3 februari 2026",
        "5 maart 2026",
        "1 januari 2026 – 31 januari 2026",
        "INK-2026-0412",
        "PO-88231",
        "GKS-2026-000417",
        "WB-2026-1187",
        "Filiaal Bennekom (V-0042)",
        "Arbeid monteur",
        "Flamco Flexcon 18/1,5",
        "€ 62,50",
        "€ 218,75",
        "€ 479,20",
        "Btw 21% over € 453,40",
        "€ 95,21",
        "€ 2,32",
        "€ 576,73",
        "Te betalen",
        "NL91 ABNA 0417 1643 00",
        "ABNANL2A",
        "KvK 58070036",
        "NL853746382B01",
        "KvK 30124517",
        "Pagina 1 van 1",
        "Betaling binnen 30 dagen na factuurdatum",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    // Every line amount and every VAT group, from the model's own totals.
    let totals = inv.totals().unwrap();
    for lt in &totals.lines {
        let m = locale::money(lt.net_amount, "EUR", Lang::Nl);
        assert!(text.contains(&m), "missing line amount {m}");
    }
    for vb in &totals.vat_breakdown {
        let m = locale::money(vb.vat_amount, "EUR", Lang::Nl);
        assert!(text.contains(&m), "missing VAT amount {m}");
    }
}

#[test]
fn pdftotext_shows_latin1_names_and_all_pages() {
    if !have_tool("pdftotext", &["-v"]) {
        return;
    }
    let dir = scratch("pdf-text-many");
    let inv = sample(MANY);
    let p = write(
        &dir,
        "many",
        &pdf::render(&inv, &PdfOptions::default()).unwrap(),
    );
    let text = text_of(&p);
    for want in [
        "Koeltechniek Brandsmà & Zoön B.V.",
        "Straße van Één 3-bis",
        "Grand Café De Gekroonde Ëik N.V.",
        "t.a.v. Chloë van Dijk-Müller",
        "Filiaal Zoë (Utrecht Centrum)",
        "monteurs René",
        "Daniël Öztürk",
        "Filterdroger ¼\" soldeer",
        "€ 2.244,00",
        "€ 21.342,71",
        "Korting (Vaste-klantkorting)",
        "€ -50,00",
        "Toeslag (Milieutoeslag)",
        "€ -500,00",
        "€ 25.278,19",
        "Korting (Contractkorting) 10%: € -2,33",
        "NL02 RABO 0123 4567 89",
        "Pagina 1 van 3",
        "Pagina 3 van 3",
        "Factuur 2026-00123 (vervolg)",
    ] {
        assert!(text.contains(want), "missing {want:?}");
    }
    let totals = inv.totals().unwrap();
    for (line, lt) in inv.lines.iter().zip(&totals.lines) {
        let id = line.item.seller_id.as_deref().unwrap();
        assert!(text.contains(id), "missing article {id}");
        let m = locale::money(lt.net_amount, "EUR", Lang::Nl);
        assert!(text.contains(&m), "missing {m}");
    }
    // The table header is repeated on every page.
    assert_eq!(text.matches("Omschrijving").count(), 3);
}

#[test]
fn pdftotext_english_credit_note() {
    if !have_tool("pdftotext", &["-v"]) {
        return;
    }
    let dir = scratch("pdf-text-en");
    let opts = PdfOptions {
        lang: Lang::En,
        logo: Some(logo()),
        ..PdfOptions::default()
    };
    let p = write(&dir, "cn", &pdf::render(&sample(CREDIT_EN), &opts).unwrap());
    let text = text_of(&p);
    for want in [
        "Credit note",
        "Credit note number",
        "CN-2026-0004",
        "20 February 2026",
        "2026-00017 (3 February 2026)",
        "Boulangerie Léonie SPRL",
        "attn. Léonie Dubois",
        "Rue de l'Église 12",
        "4000",
        "Liège",
        "Belgium",
        "BE0123456749",
        "€184.95",
        "€247.45",
        "reverse charge",
        "Amount credited",
        "The amount of €247.45 will be refunded to you.",
        "Page 1 of 1",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
    assert!(!text.contains("Please transfer"));
}

#[test]
fn sixty_lines_fit_on_two_pages() {
    if !have_tool("qpdf", &["--version"]) {
        return;
    }
    let dir = scratch("pdf-pages");
    let p = write(
        &dir,
        "sixty",
        &pdf::render(&sample(SIXTY), &PdfOptions::default()).unwrap(),
    );
    let (ok, n) = run("qpdf", &["--show-npages", p.to_str().unwrap()]);
    assert!(ok);
    assert_eq!(n.trim(), "2");
    let p = write(
        &dir,
        "one",
        &pdf::render(&sample(DOMESTIC), &PdfOptions::default()).unwrap(),
    );
    assert_eq!(
        run("qpdf", &["--show-npages", p.to_str().unwrap()])
            .1
            .trim(),
        "1"
    );
}

#[test]
fn hybrid_pdf_carries_the_xml() {
    if !have_tool("pdfdetach", &["-v"]) {
        return;
    }
    let dir = scratch("pdf-detach");
    let p = write(
        &dir,
        "hybrid",
        &pdf::render(&sample(DOMESTIC), &hybrid_options()).unwrap(),
    );
    let (ok, list) = run("pdfdetach", &["-list", p.to_str().unwrap()]);
    assert!(ok, "{list}");
    assert!(list.contains("1 embedded files"), "{list}");
    assert!(list.contains("1: 2026-00017.xml"), "{list}");
    let out = dir.join("extracted.xml");
    let (ok, text) = run(
        "pdfdetach",
        &[
            "-save",
            "1",
            "-o",
            out.to_str().unwrap(),
            p.to_str().unwrap(),
        ],
    );
    assert!(ok, "{text}");
    assert_eq!(
        std::fs::read(out).unwrap(),
        std::fs::read(repo(UBL)).unwrap()
    );
    // The plain PDF has none.
    let plain = write(
        &dir,
        "plain",
        &pdf::render(&sample(DOMESTIC), &PdfOptions::default()).unwrap(),
    );
    let (_, list) = run("pdfdetach", &["-list", plain.to_str().unwrap()]);
    assert!(list.contains("0 embedded files"), "{list}");
}

#[test]
fn pdfa3_structure_checked_with_pikepdf() {
    if !have_python_module("pikepdf") {
        return;
    }
    let dir = scratch("pdf-pdfa");
    let script = repo("tests/tools/pdfa3_check.py");
    let check = |p: &Path, extra: &[&str]| {
        let mut args = vec![script.to_str().unwrap(), p.to_str().unwrap()];
        args.extend(extra);
        run("python3", &args)
    };
    let hybrid = write(
        &dir,
        "hybrid",
        &pdf::render(&sample(DOMESTIC), &hybrid_options()).unwrap(),
    );
    let (ok, text) = check(&hybrid, &["--attachment", "2026-00017.xml"]);
    assert!(ok, "hybrid PDF/A-3 check failed:\n{text}");

    let archival = write(
        &dir,
        "archival",
        &pdf::render(
            &sample(MANY),
            &PdfOptions {
                archival: true,
                logo: Some(logo()),
                ..PdfOptions::default()
            },
        )
        .unwrap(),
    );
    let (ok, text) = check(&archival, &[]);
    assert!(ok, "archival PDF/A-3 check failed:\n{text}");

    // The plain PDF claims nothing, and the checker notices when a claim is missing.
    let plain = write(
        &dir,
        "plain",
        &pdf::render(&sample(DOMESTIC), &PdfOptions::default()).unwrap(),
    );
    let (ok, text) = check(&plain, &["--plain"]);
    assert!(ok, "{text}");
    let (ok, text) = check(&plain, &["--attachment", "2026-00017.xml"]);
    assert!(!ok, "the checker passed a plain PDF as PDF/A-3: {text}");
    assert!(text.contains("pdfaid:part"), "{text}");
}

#[test]
fn first_pages_rendered_for_review() {
    if !have_tool("pdftoppm", &["-v"]) {
        return;
    }
    let review = repo("target/pdf-review");
    std::fs::create_dir_all(&review).unwrap();
    for (name, inv, opts) in layouts() {
        let p = write(&review, name, &pdf::render(&inv, &opts).unwrap());
        let prefix = review.join(name);
        let (ok, text) = run(
            "pdftoppm",
            &[
                "-r",
                "100",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                p.to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        );
        assert!(ok, "{name}: {text}");
        let png = review.join(format!("{name}.png"));
        let size = std::fs::metadata(&png).unwrap().len();
        // An A4 page at 100 dpi with text on it; a blank page compresses to a few kB.
        assert!(size > 30_000, "{name}: {size} bytes, is the page blank?");
    }
}

#[test]
fn bad_input_is_a_clear_error() {
    let mut inv = sample(DOMESTIC);
    inv.lines[1].vat.code = Some("ONBEKEND".into());
    inv.lines[1].vat.category = None;
    let e = pdf::render(&inv, &PdfOptions::default()).unwrap_err();
    assert!(matches!(e, PdfError::Totals(_)), "{e:?}");
    assert!(e.to_string().contains("$.lines[1]"), "{e}");

    let e = Logo::from_bytes(b"\x89PNG\r\n\x1a\nnot really".to_vec()).unwrap_err();
    assert!(e.to_string().contains("cannot decode"), "{e}");
    assert!(Logo::from_bytes(Vec::new()).is_err());

    assert!(XmlAttachment::new("", b"<a/>".to_vec()).is_err());
    assert!(XmlAttachment::new("a\nb.xml", b"<a/>".to_vec()).is_err());
    assert!(XmlAttachment::new("a.xml", Vec::new()).is_err());
    assert!(XmlAttachment::new("a.xml", b"\xEF\xBB\xBF <a/>".to_vec()).is_ok());
}

#[test]
fn odd_invoices_render_without_panicking() {
    // A concept invoice: no customer, no payment means, no lines.
    let mut inv = sample(DOMESTIC);
    inv.customer = None;
    inv.payment_means.clear();
    inv.lines.clear();
    inv.notes = vec!["x".repeat(5000), "\u{1F600} emoji and 漢字 become ?".into()];
    let bytes = pdf::render(&inv, &PdfOptions::default()).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));

    // A line whose description is longer than a page, and a name with no spaces at all.
    let mut inv = sample(DOMESTIC);
    inv.lines[0].item.description = Some("lang verhaal ".repeat(2000));
    inv.lines[1].item.name = "W".repeat(400);
    inv.supplier.name = "Ë".repeat(300);
    let bytes = pdf::render(&inv, &PdfOptions::default()).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    if have_tool("qpdf", &["--version"]) {
        let dir = scratch("pdf-odd");
        let p = write(&dir, "odd", &bytes);
        let (ok, text) = run("qpdf", &["--check", p.to_str().unwrap()]);
        assert!(ok, "{text}");
        let (_, n) = run("qpdf", &["--show-npages", p.to_str().unwrap()]);
        assert!(n.trim().parse::<u32>().unwrap() > 2, "{n}");
    }
}
