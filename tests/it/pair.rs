//! Pairs and delivery: `factuur pdf`, `factuur send` writing .eml files and sending them to a
//! real SMTP server on loopback (aiosmtpd), routing by KvK, and the LibreOffice path.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use factuur::pair::{self, mail};
use factuur::pdf::{self, PdfOptions};
use factuur::{Invoice, validate::Lang};
use serde_json::Value;

use crate::{factuur, have_python_module, have_tool, repo, scratch, text};

const DOMESTIC: &str = "testdata/invoices/01-domestic-b2b.json";
const UBL: &str = "testdata/pdf/ubl/2026-00017.xml";
const UBL_NO_KVK: &str = "testdata/pdf/ubl/2026-00018-no-kvk.xml";

fn domestic() -> Invoice {
    Invoice::from_json(&std::fs::read(repo(DOMESTIC)).unwrap()).unwrap()
}

/// A pair folder with the domestic invoice (KvK) and, optionally, one whose customer has none.
fn pair_dir(name: &str, with_refused: bool) -> PathBuf {
    let dir = scratch(name);
    let inv = domestic();
    let xml = std::fs::read(repo(UBL)).unwrap();
    pair::write_with_xml(&inv, &dir, xml, &PdfOptions::default(), true).unwrap();
    if with_refused {
        let mut other = inv.clone();
        other.number = "2026-00018".into();
        let xml = std::fs::read(repo(UBL_NO_KVK)).unwrap();
        let pdf = pdf::render(&other, &PdfOptions::default()).unwrap();
        pair::write_files(&dir, "2026-00018", &xml, &pdf).unwrap();
    }
    dir
}

fn mime_parts(files: &[PathBuf]) -> Vec<Value> {
    let mut args = vec![repo("tests/tools/mime_parts.py").display().to_string()];
    args.extend(files.iter().map(|f| f.display().to_string()));
    let out = Command::new("python3").args(&args).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Asserts that a parsed message carries the pair, byte for byte.
fn assert_carries_pair(m: &Value, dir: &Path, base: &str) {
    assert_eq!(m["defects"].as_array().unwrap().len(), 0, "{m}");
    assert_eq!(m["content_type"], "multipart/mixed");
    assert_eq!(m["mime_version"], "1.0");
    let parts = m["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 3, "{m}");
    assert_eq!(parts[0]["content_type"], "text/plain");
    assert!(parts[0]["text"].as_str().unwrap().contains("KvK 30124517"));
    for (part, ext, ct) in [
        (&parts[1], "xml", "application/xml"),
        (&parts[2], "pdf", "application/pdf"),
    ] {
        let file = dir.join(format!("{base}.{ext}"));
        let bytes = std::fs::read(&file).unwrap();
        assert_eq!(part["filename"], format!("{base}.{ext}"));
        assert_eq!(part["disposition"], "attachment");
        assert_eq!(part["content_type"], ct);
        assert_eq!(part["size"].as_u64().unwrap(), bytes.len() as u64, "{ext}");
        let sha = sha256_hex(&file);
        assert_eq!(part["sha256"], sha, "{ext} differs from the file");
    }
}

fn sha256_hex(file: &Path) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            "import hashlib,sys;print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())",
            file.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    text(&out.stdout).trim().to_owned()
}

#[test]
fn cli_pdf_writes_named_pdfs() {
    let dir = scratch("cli-pdf");
    let out_dir = dir.join("out");
    let out = factuur(&[
        "pdf",
        DOMESTIC,
        "testdata/pdf/02-many-lines.json",
        "--out-dir",
        out_dir.to_str().unwrap(),
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let a = std::fs::read(out_dir.join("2026-00017.pdf")).unwrap();
    assert!(out_dir.join("2026-00123.pdf").is_file());
    // The library and the command give the same bytes.
    let opts = PdfOptions {
        lang: Lang::En,
        ..PdfOptions::default()
    };
    assert_eq!(a, pdf::render(&domestic(), &opts).unwrap());

    // -o with --hybrid --xml.
    let target = dir.join("h.pdf");
    let out = factuur(&[
        "pdf",
        DOMESTIC,
        "-o",
        target.to_str().unwrap(),
        "--hybrid",
        "--xml",
        UBL,
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let h = std::fs::read(&target).unwrap();
    assert!(h.windows(14).any(|w| w == b"2026-00017.xml"));
}

#[test]
fn cli_pdf_usage_and_bad_input_exit_2() {
    let dir = scratch("cli-pdf-bad");
    let o = dir.join("x.pdf");
    // Without --xml, --hybrid embeds the invoice's own UBL (what `factuur ubl` writes).
    let own = dir.join("own-ubl.pdf");
    let out = factuur(&["pdf", DOMESTIC, "--hybrid", "-o", own.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        std::fs::read(&own)
            .unwrap()
            .windows(14)
            .any(|w| w == b"2026-00017.xml")
    );
    let out = factuur(&["pdf", DOMESTIC, DOMESTIC, "-o", o.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"number\": 1}").unwrap();
    let out = factuur(&[
        "pdf",
        bad.to_str().unwrap(),
        "--out-dir",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("$.number"),
        "{}",
        text(&out.stderr)
    );
    let out = factuur(&[
        "pdf",
        DOMESTIC,
        "--hybrid",
        "--xml",
        DOMESTIC,
        "-o",
        o.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("not an XML document"),
        "{}",
        text(&out.stderr)
    );
    assert!(!o.exists(), "a PDF was written despite the error");
    let out = factuur(&[
        "pdf",
        DOMESTIC,
        "--logo",
        DOMESTIC,
        "-o",
        o.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("PNG or JPEG"));
}

#[test]
fn pair_with_the_pdf_embedding_the_xml() {
    let dir = pair_dir("pair-hybrid", false);
    let pairs = pair::read_dir(&dir).unwrap();
    assert_eq!(pairs.len(), 1);
    let p = &pairs[0];
    assert_eq!(p.files.base, "2026-00017");
    assert_eq!(p.xml, std::fs::read(repo(UBL)).unwrap());
    assert!(p.pdf.starts_with(b"%PDF-1.7"));
    if have_tool("pdfdetach", &["-v"]) {
        let out = Command::new("pdfdetach")
            .args(["-list", p.files.pdf.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(text(&out.stdout).contains("2026-00017.xml"));
    }
}

#[test]
fn send_writes_one_eml_per_routable_invoice_and_refuses_the_rest() {
    let dir = pair_dir("send-eml", true);
    let emls = scratch("send-eml-out");
    let out = factuur(&[
        "send",
        dir.to_str().unwrap(),
        "--to",
        "upload-12345@invoicesharing.example",
        "--from",
        "Facturen De Vries <facturen@devries-installatie.nl>",
        "--eml-dir",
        emls.to_str().unwrap(),
    ]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(text(&out.stdout).contains("KvK 30124517:"));
    assert!(
        stderr.contains("refused 2026-00018")
            && stderr.contains("no KvK number")
            && stderr.contains("Particulier P. de Boer"),
        "{stderr}"
    );
    let eml = emls.join("2026-00017.eml");
    assert!(eml.is_file());
    assert!(!emls.join("2026-00018.eml").exists());
    let raw = std::fs::read(&eml).unwrap();
    // RFC 5322: CRLF line ends, no line longer than 998 characters.
    assert!(raw.windows(2).filter(|w| w == b"\r\n").count() > 20);
    assert!(raw.split(|b| *b == b'\n').all(|l| l.len() <= 998));
    if !have_python_module("email") {
        return;
    }
    let m = &mime_parts(&[eml])[0];
    assert_eq!(m["to"], "upload-12345@invoicesharing.example");
    assert!(
        m["from"]
            .as_str()
            .unwrap()
            .contains("facturen@devries-installatie.nl")
    );
    assert_eq!(m["subject"], "Factuur 2026-00017");
    assert!(
        m["message_id"]
            .as_str()
            .unwrap()
            .ends_with("@devries-installatie.nl>")
    );
    assert_carries_pair(m, &dir, "2026-00017");
}

#[test]
fn messages_are_deterministic_for_a_given_date() {
    let dir = pair_dir("send-det", false);
    let settings = mail::MailSettings {
        from: "facturen@devries-installatie.nl".into(),
        to: "upload@invoicesharing.example".into(),
        date: std::time::UNIX_EPOCH + Duration::from_secs(1_770_000_000),
    };
    let a = mail::prepare(&dir, &settings).unwrap();
    let b = mail::prepare(&dir, &settings).unwrap();
    let (a, b): (Vec<_>, Vec<_>) = (a.messages().collect(), b.messages().collect());
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].eml, b[0].eml);
    let bad = mail::MailSettings {
        to: "not an address".into(),
        ..settings
    };
    let e = mail::prepare(&dir, &bad).unwrap_err();
    assert!(e.to_string().contains("upload address"), "{e}");
}

#[test]
fn send_refuses_an_incomplete_pair_folder() {
    let dir = pair_dir("send-incomplete", false);
    std::fs::remove_file(dir.join("2026-00017.pdf")).unwrap();
    let out = factuur(&["send", dir.to_str().unwrap(), "--to", "a@b.example"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("has no PDF with the same name"),
        "{}",
        text(&out.stderr)
    );
}

/// The SMTP server process, stopped (by its own pid) when the test ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

#[test]
fn send_over_smtp_to_a_real_server_on_loopback() {
    if !have_python_module("aiosmtpd") {
        return;
    }
    let dir = pair_dir("smtp-pairs", true);
    // A second routable invoice, for another customer.
    let mut inv = domestic();
    inv.number = "2026-00019".into();
    let xml = std::fs::read_to_string(repo(UBL))
        .unwrap()
        .replace("2026-00017", "2026-00019")
        .replace("30124517", "69599084")
        .replace("Bakkerij Jansen V.O.F.", "Slagerij Ëlzinga");
    let pdf = pdf::render(&inv, &PdfOptions::default()).unwrap();
    pair::write_files(&dir, "2026-00019", xml.as_bytes(), &pdf).unwrap();

    let inbox = scratch("smtp-inbox");
    let port = free_port();
    let mut child = Command::new("python3")
        .arg(repo("tests/tools/smtp_sink.py"))
        .arg(port.to_string())
        .arg(&inbox)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    assert_eq!(line.trim(), "ready", "the SMTP server did not start");

    let out = factuur(&[
        "send",
        dir.to_str().unwrap(),
        "--to",
        "upload-12345@invoicesharing.example",
        "--from",
        "facturen@devries-installatie.nl",
        "--smtp",
        &format!("127.0.0.1:{port}"),
    ]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("sent 2 message(s)"), "{stdout}");

    let deadline = Instant::now() + Duration::from_secs(10);
    let received = loop {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&inbox)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .collect();
        files.sort();
        if files.len() >= 2 || Instant::now() > deadline {
            break files;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(received.len(), 2, "the server received {received:?}");
    let envelope: Value =
        serde_json::from_str(&std::fs::read_to_string(inbox.join("001.json")).unwrap()).unwrap();
    assert_eq!(envelope["mail_from"], "facturen@devries-installatie.nl");
    assert_eq!(
        envelope["rcpt_tos"][0],
        "upload-12345@invoicesharing.example"
    );
    let parsed = mime_parts(&received);
    // Grouped by KvK ascending: 30124517 (2026-00017) before 69599084 (2026-00019).
    assert_eq!(parsed[0]["subject"], "Factuur 2026-00017");
    assert_carries_pair(&parsed[0], &dir, "2026-00017");
    assert_eq!(parsed[1]["subject"], "Factuur 2026-00019");
    let parts = parsed[1]["parts"].as_array().unwrap();
    assert_eq!(parts[1]["filename"], "2026-00019.xml");
    assert_eq!(
        parts[2]["size"].as_u64().unwrap(),
        std::fs::metadata(dir.join("2026-00019.pdf")).unwrap().len()
    );
}

#[test]
fn smtp_failure_is_reported_with_the_server() {
    let dir = pair_dir("smtp-down", false);
    let port = free_port(); // nothing listens there
    let out = factuur(&[
        "send",
        dir.to_str().unwrap(),
        "--to",
        "a@b.example",
        "--smtp",
        &format!("127.0.0.1:{port}"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    let out = factuur(&[
        "send",
        dir.to_str().unwrap(),
        "--to",
        "a@b.example",
        "--smtp",
        "x:y",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn libreoffice_batches_and_reports_its_absence() {
    use factuur::pdf::office::{OfficeError, OfficeOptions, convert};

    let dir = scratch("office");
    let inputs: Vec<PathBuf> = (1..=5)
        .map(|i| {
            let p = dir.join(format!("factuur-{i}.docx"));
            std::fs::write(&p, b"PK fake docx").unwrap();
            p
        })
        .collect();
    let out_dir = dir.join("pdf");

    // No LibreOffice: a clear error.
    let missing = OfficeOptions {
        program: Some(dir.join("no-soffice-here")),
        ..OfficeOptions::default()
    };
    let e = convert(&inputs, &out_dir, &missing).unwrap_err();
    assert!(matches!(e, OfficeError::NotFound { .. }));
    assert!(e.to_string().contains("apt-get install libreoffice"), "{e}");

    // A stand-in soffice that logs each run and converts like LibreOffice does (one
    // `<stem>.pdf` per input in --outdir): proves batching, arguments and file handling.
    // Conversion by a real LibreOffice is not tested here.
    let log = dir.join("runs.log");
    let fake = dir.join("soffice");
    std::fs::write(
        &fake,
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\nout=''\nwhile [ $# -gt 0 ]; do\n  case \"$1\" in\n    --outdir) out=\"$2\"; shift 2;;\n    --*|-env*) shift;;\n    pdf) shift;;\n    *) n=$(basename \"$1\"); n=\"${{n%.*}}\"; case \"$n\" in *broken*) ;; *) printf '%%PDF-1.7 %s' \"$n\" > \"$out/$n.pdf\";; esac; shift;;\n  esac\ndone\n",
            log.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let opts = OfficeOptions {
        program: Some(fake.clone()),
        batch: 2,
        ..OfficeOptions::default()
    };
    let pdfs = convert(&inputs, &out_dir, &opts).unwrap();
    assert_eq!(pdfs.len(), 5);
    for (i, p) in pdfs.iter().enumerate() {
        assert_eq!(p, &out_dir.join(format!("factuur-{}.pdf", i + 1)));
        assert!(std::fs::read(p).unwrap().starts_with(b"%PDF"));
    }
    let runs = std::fs::read_to_string(&log).unwrap();
    assert_eq!(runs.lines().count(), 3, "5 files in batches of 2: {runs}");
    assert!(runs.contains("--headless") && runs.contains("--convert-to pdf"));
    assert!(runs.contains("-env:UserInstallation=file://"));
    // No staging folder is left behind.
    let left: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // A document LibreOffice cannot convert is named in the error.
    let broken = dir.join("broken.docx");
    std::fs::write(&broken, b"x").unwrap();
    let e = convert(std::slice::from_ref(&broken), &out_dir, &opts).unwrap_err();
    assert!(
        matches!(&e, OfficeError::Failed { files, .. } if files == &vec![broken]),
        "{e}"
    );

    // Two inputs with the same stem would overwrite each other: refused up front.
    let other = dir.join("sub");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("factuur-1.docx"), b"x").unwrap();
    let e = convert(
        &[inputs[0].clone(), other.join("factuur-1.docx")],
        &out_dir,
        &opts,
    )
    .unwrap_err();
    assert!(e.to_string().contains("same PDF name"), "{e}");
}
