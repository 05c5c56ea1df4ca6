//! The InvoiceSharing pair: `<base>.xml` (the SI-UBL e-invoice) and `<base>.pdf` (the same
//! invoice for people), written side by side under one name.
//!
//! InvoiceSharing takes SimplerInvoicing XML mailed to a customer-specific upload address and
//! processes a PDF *with the same name* as the XML together with it; it finds the recipient by
//! the customer's KvK number. This module names the pair ([`base_name`]), writes it atomically
//! ([`write_files`]), finds pairs in a folder ([`read_dir`]), groups a batch by the customer's
//! KvK number and refuses what cannot be routed ([`route`]), and builds and sends the e-mail
//! per invoice (`mail`, feature `send`).
//!
//! ```
//! # let dir = std::env::temp_dir().join(format!("factuur-pair-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! use factuur::pair;
//!
//! let json = std::fs::read("testdata/invoices/01-domestic-b2b.json").unwrap();
//! let invoice = factuur::Invoice::from_json(&json).unwrap();
//! let base = pair::base_name(&invoice);
//! assert_eq!(base, "2026-00017");
//!
//! let files = pair::write_files(&dir, &base, b"<Invoice/>", b"%PDF-1.7 ...").unwrap();
//! assert_eq!(files.xml, dir.join("2026-00017.xml"));
//! assert_eq!(files.pdf, dir.join("2026-00017.pdf"));
//! # std::fs::remove_dir_all(&dir).unwrap();
//! ```

use std::fs::{self, File};
use std::path::{Path, PathBuf};

use crate::Invoice;
use crate::fsutil::temp_path;

#[cfg(feature = "send")]
pub mod mail;
pub mod route;
#[cfg(feature = "send")]
pub mod scan;

/// Longest base name factuur writes, in bytes: far below every file system's 255, leaving room
/// for the extension and the temporary suffix.
pub const MAX_BASE: usize = 100;

/// Why a pair could not be written or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PairError {
    /// The base name is not one [`safe_base`] would produce.
    #[error(
        "{0:?} is not a safe file base name (use pair::base_name or pair::safe_base to make one)"
    )]
    UnsafeBase(String),
    /// An XML without its PDF, or a PDF without its XML, in a pair folder.
    #[error("{path}: {reason}")]
    Incomplete {
        /// The file that has no partner.
        path: PathBuf,
        /// What is missing.
        reason: String,
    },
    /// A file or folder could not be read or written; nothing of the pair was left behind.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: std::io::Error,
    },
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> PairError + '_ {
    move |source| PairError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The paths of a written pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairFiles {
    /// The base name both files share.
    pub base: String,
    /// `<dir>/<base>.xml`.
    pub xml: PathBuf,
    /// `<dir>/<base>.pdf`.
    pub pdf: PathBuf,
}

/// The base name of an invoice's pair: its number, made safe by [`safe_base`].
pub fn base_name(invoice: &Invoice) -> String {
    safe_base(&invoice.number)
}

/// Device names Windows reserves, with or without an extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Makes a file base name from an invoice number that every file system (Windows, macOS,
/// Linux, FAT on a USB stick, a zip archive, an e-mail attachment name) stores unchanged.
///
/// Only ASCII letters, digits, `-`, `_` and `.` are kept; every run of other characters becomes
/// one `_`; leading and trailing dots, dashes and underscores are dropped (no hidden files, no
/// names that look like command-line options); Windows' reserved device names get a `_` prefix;
/// the result is at most [`MAX_BASE`] bytes. When anything had to change, an 8-digit hash of
/// the original number is appended, so two different numbers never share a file name
/// (`F/1` and `F:1` stay apart). A number that is already safe is used as it is.
///
/// ```
/// use factuur::pair::safe_base;
/// assert_eq!(safe_base("2026-00017"), "2026-00017");
/// assert!(safe_base("F/2026/017").starts_with("F_2026_017_"));
/// assert_ne!(safe_base("F/1"), safe_base("F:1"));
/// assert!(safe_base("CON").starts_with("_CON_"));
/// assert!(safe_base("../../etc/passwd").starts_with("etc_passwd_"));
/// assert!(safe_base("").starts_with("factuur_"));
/// ```
pub fn safe_base(number: &str) -> String {
    let mut out = String::with_capacity(number.len());
    for c in number.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let trimmed = out.trim_matches(|c| c == '.' || c == '-' || c == '_');
    let mut out = trimmed.to_owned();
    if out.is_empty() {
        out.push_str("factuur");
    }
    let stem = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    if RESERVED.contains(&stem.as_str()) {
        out.insert(0, '_');
    }
    if out == number && out.len() <= MAX_BASE {
        return out;
    }
    let suffix = format!("_{:08x}", fnv1a(number.as_bytes()) as u32);
    out.truncate(MAX_BASE - suffix.len());
    while out.ends_with('.') {
        out.pop();
    }
    out.push_str(&suffix);
    out
}

/// Whether `base` is a name [`safe_base`] could have produced (and so is safe to write).
pub fn is_safe_base(base: &str) -> bool {
    !base.is_empty()
        && base.len() <= MAX_BASE
        && base
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
        && !base.starts_with(['.', '-'])
        && !base.ends_with('.')
        && !RESERVED.contains(
            &base
                .split('.')
                .next()
                .unwrap_or("")
                .to_ascii_uppercase()
                .as_str(),
        )
}

/// FNV-1a, 64 bits: a small, stable hash for name suffixes and message ids.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Writes one file atomically ([`crate::fsutil::write_atomic`]): readers see the old file or
/// the new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PairError> {
    crate::fsutil::write_atomic(path, bytes).map_err(io_err(path))
}

/// Where writing a pair can fail, for the tests that prove nothing is left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    None,
    #[cfg(test)]
    SecondRename,
}

/// Writes `<dir>/<base>.xml` and `<dir>/<base>.pdf`, atomically and together: both or
/// neither.
///
/// Each file is written to a temporary name in `dir`, flushed to disk, then renamed into place:
/// first the PDF, then the XML (the file a watcher such as InvoiceSharing reacts to), so the
/// PDF is always there when the XML appears. An existing pair of the same name is replaced;
/// if the second rename fails, the new PDF is removed and the old files are put back. (After a
/// power loss between the two renames the PDF can be there without its XML, never the XML
/// without its PDF.) `base` must be safe ([`is_safe_base`]).
pub fn write_files(dir: &Path, base: &str, xml: &[u8], pdf: &[u8]) -> Result<PairFiles, PairError> {
    write_files_at(dir, base, xml, pdf, Step::None)
}

/// Writes `bytes` to a new temporary file next to where it will live, flushed to disk.
fn write_temp(dir: &Path, name: &str, bytes: &[u8]) -> Result<PathBuf, PairError> {
    crate::fsutil::write_temp(dir, name, bytes).map_err(|source| PairError::Io {
        path: dir.join(name),
        source,
    })
}

fn write_files_at(
    dir: &Path,
    base: &str,
    xml: &[u8],
    pdf: &[u8],
    fail: Step,
) -> Result<PairFiles, PairError> {
    if !is_safe_base(base) {
        return Err(PairError::UnsafeBase(base.to_owned()));
    }
    let files = PairFiles {
        base: base.to_owned(),
        xml: dir.join(format!("{base}.xml")),
        pdf: dir.join(format!("{base}.pdf")),
    };
    for target in [&files.xml, &files.pdf] {
        if target.is_dir() {
            return Err(PairError::Io {
                path: target.clone(),
                source: std::io::Error::other("is a folder, not a file"),
            });
        }
    }
    let pdf_name = format!("{base}.pdf");
    let xml_name = format!("{base}.xml");
    let tmp_pdf = write_temp(dir, &pdf_name, pdf)?;
    let tmp_xml = match write_temp(dir, &xml_name, xml) {
        Ok(t) => t,
        Err(e) => {
            let _ = fs::remove_file(&tmp_pdf);
            return Err(e);
        }
    };
    // Keep the old pair, if any, until the new one is complete.
    let mut backups: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup_temps = || {
        let _ = fs::remove_file(&tmp_pdf);
        let _ = fs::remove_file(&tmp_xml);
    };
    let restore = |backups: &[(PathBuf, PathBuf)]| {
        for (original, backup) in backups {
            let _ = fs::rename(backup, original);
        }
    };
    for (target, name) in [(&files.pdf, &pdf_name), (&files.xml, &xml_name)] {
        if target.exists() {
            let backup = temp_path(dir, name, "old");
            if let Err(e) = fs::rename(target, &backup) {
                restore(&backups);
                cleanup_temps();
                return Err(io_err(target)(e));
            }
            backups.push((target.clone(), backup));
        }
    }
    if let Err(e) = fs::rename(&tmp_pdf, &files.pdf) {
        restore(&backups);
        cleanup_temps();
        return Err(io_err(&files.pdf)(e));
    }
    let second = match fail {
        Step::None => fs::rename(&tmp_xml, &files.xml),
        #[cfg(test)]
        Step::SecondRename => Err(std::io::Error::other("injected failure")),
    };
    if let Err(e) = second {
        let _ = fs::remove_file(&files.pdf);
        restore(&backups);
        cleanup_temps();
        return Err(io_err(&files.xml)(e));
    }
    for (_, backup) in &backups {
        let _ = fs::remove_file(backup);
    }
    // Make the renames durable (best effort: not every platform can open a folder).
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(files)
}

/// A pair found in a folder, with its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// Paths and base name.
    pub files: PairFiles,
    /// The XML bytes.
    pub xml: Vec<u8>,
    /// The PDF bytes.
    pub pdf: Vec<u8>,
}

/// Largest file of a pair that [`read_dir`] accepts: 64 MiB.
pub const MAX_PAIR_FILE: u64 = 64 * 1024 * 1024;

/// Finds every pair in a folder (`X.xml` with `X.pdf`), sorted by base name. Hidden files
/// (temporary files of an unfinished write) are ignored. An XML without its PDF, or a PDF
/// without its XML, is an error naming the file: a pair folder must hold whole pairs.
pub fn read_dir(dir: &Path) -> Result<Vec<Pair>, PairError> {
    let mut xml = std::collections::BTreeSet::new();
    let mut pdf = std::collections::BTreeSet::new();
    for entry in fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if name.starts_with('.') || !entry.path().is_file() {
            continue;
        }
        if let Some(b) = name.strip_suffix(".xml") {
            xml.insert(b.to_owned());
        } else if let Some(b) = name.strip_suffix(".pdf") {
            pdf.insert(b.to_owned());
        }
    }
    if let Some(b) = xml.difference(&pdf).next() {
        return Err(PairError::Incomplete {
            path: dir.join(format!("{b}.xml")),
            reason: format!("has no PDF with the same name ({b}.pdf)"),
        });
    }
    if let Some(b) = pdf.difference(&xml).next() {
        return Err(PairError::Incomplete {
            path: dir.join(format!("{b}.pdf")),
            reason: format!("has no XML with the same name ({b}.xml)"),
        });
    }
    let mut out = Vec::with_capacity(xml.len());
    for base in xml {
        let files = PairFiles {
            xml: dir.join(format!("{base}.xml")),
            pdf: dir.join(format!("{base}.pdf")),
            base,
        };
        let xml = read_limited(&files.xml)?;
        let pdf = read_limited(&files.pdf)?;
        out.push(Pair { files, xml, pdf });
    }
    Ok(out)
}

fn read_limited(path: &Path) -> Result<Vec<u8>, PairError> {
    let len = fs::metadata(path).map_err(io_err(path))?.len();
    if len > MAX_PAIR_FILE {
        return Err(PairError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("is {len} bytes, more than the {MAX_PAIR_FILE} bytes a pair file may have"),
            ),
        });
    }
    fs::read(path).map_err(io_err(path))
}

/// Renders the invoice's PDF and writes the pair, given the invoice's UBL XML: the one call
/// the `factuur pair` command needs once the UBL writer is there
/// (`write_with_xml(&inv, dir, ubl::to_xml(&inv, profile)?, &options)`).
///
/// With `hybrid`, the XML is also embedded in the PDF (a PDF/A-3b carrying the UBL, under the
/// pair's XML file name).
#[cfg(feature = "pdf")]
pub fn write_with_xml(
    invoice: &Invoice,
    dir: &Path,
    xml: Vec<u8>,
    options: &crate::pdf::PdfOptions,
    hybrid: bool,
) -> Result<PairFiles, WriteError> {
    let base = base_name(invoice);
    let mut options = options.clone();
    if hybrid {
        options.attachment = Some(crate::pdf::XmlAttachment::new(
            format!("{base}.xml"),
            xml.clone(),
        )?);
    }
    let pdf = crate::pdf::render(invoice, &options)?;
    Ok(write_files(dir, &base, &xml, &pdf)?)
}

/// What [`write`](fn@write) makes of an invoice.
#[cfg(feature = "pdf")]
#[derive(Debug, Clone, Default)]
pub struct PairOptions {
    /// The UBL profile of the XML (default SI-UBL 2.0, what InvoiceSharing takes).
    pub profile: crate::ubl::Profile,
    /// How the PDF looks (language, logo, VAT code table; the table also serves the XML).
    pub pdf: crate::pdf::PdfOptions,
    /// Embed the XML in the PDF too, making it a hybrid PDF/A-3b.
    pub hybrid: bool,
    /// Embed the PDF in the XML too, as a supporting document (`AdditionalDocumentReference`
    /// with `mimeCode="application/pdf"`), as SI-UBL allows.
    pub embed_pdf: bool,
}

/// Writes the InvoiceSharing pair of `invoice` into `dir`: `<base>.xml`, the UBL e-invoice, and
/// `<base>.pdf` with the same base name, both or neither (see [`write_files`]).
///
/// With [`PairOptions::embed_pdf`] the XML also carries the very PDF written beside it; with
/// [`PairOptions::hybrid`] the PDF carries the XML. One document cannot contain the other and
/// be contained by it, so asking for both is refused.
#[cfg(feature = "pdf")]
pub fn write(
    invoice: &Invoice,
    dir: &Path,
    options: &PairOptions,
) -> Result<PairFiles, WriteError> {
    if options.hybrid && options.embed_pdf {
        return Err(WriteError::BothEmbedded);
    }
    let table = &options.pdf.vat_codes;
    if options.embed_pdf {
        let base = base_name(invoice);
        let pdf = crate::pdf::render(invoice, &options.pdf)?;
        let mut with_pdf = invoice.clone();
        with_pdf.attachments.push(crate::model::Attachment {
            id: invoice.number.clone(),
            description: Some("Factuur (PDF)".into()),
            filename: Some(format!("{base}.pdf")),
            mime_code: Some("application/pdf".into()),
            content: Some(pdf.clone()),
            uri: None,
        });
        let xml = crate::ubl::to_xml_with(&with_pdf, options.profile, table)?;
        return Ok(write_files(dir, &base, &xml, &pdf)?);
    }
    let xml = crate::ubl::to_xml_with(invoice, options.profile, table)?;
    write_with_xml(invoice, dir, xml, &options.pdf, options.hybrid)
}

/// Why [`write_with_xml`] or [`write`](fn@write) failed.
#[cfg(feature = "pdf")]
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The PDF could not be rendered.
    #[error(transparent)]
    Pdf(#[from] crate::pdf::PdfError),
    /// The files could not be written.
    #[error(transparent)]
    Pair(#[from] PairError),
    /// The UBL could not be written.
    #[error(transparent)]
    Ubl(#[from] crate::ubl::UblError),
    /// Both the XML in the PDF and the PDF in the XML were asked for.
    #[error("a pair can embed the XML in the PDF (hybrid) or the PDF in the XML, not both")]
    BothEmbedded,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("factuur-pair-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn safe_names() {
        for n in ["2026-00017", "F2026.017", "INV_1"] {
            assert_eq!(safe_base(n), n);
            assert!(is_safe_base(n));
        }
        for n in [
            "a/b", "a\\b", "a:b", "a*b", "a?b", "a\"b", "a<b>", "a|b", "nul", "Com1.txt", " x ",
            "x.", ".x", "-rf", "é", "a\u{0}b", "…", "",
        ] {
            let s = safe_base(n);
            assert!(is_safe_base(&s), "{n:?} -> {s:?}");
            assert_ne!(s, n);
        }
        let long = "9".repeat(500);
        assert!(safe_base(&long).len() <= MAX_BASE);
        assert_ne!(safe_base(&long), safe_base(&"9".repeat(501)));
        assert!(!is_safe_base("../x"));
        assert!(!is_safe_base("AUX"));
    }

    #[test]
    fn writes_both_and_replaces_an_old_pair() {
        let d = tmp("write");
        let f = write_files(&d, "F1", b"<x/>", b"%PDF").unwrap();
        assert_eq!(fs::read(&f.xml).unwrap(), b"<x/>");
        assert_eq!(fs::read(&f.pdf).unwrap(), b"%PDF");
        write_files(&d, "F1", b"<y/>", b"%PDF2").unwrap();
        assert_eq!(fs::read(&f.xml).unwrap(), b"<y/>");
        assert_eq!(listing(&d), ["F1.pdf", "F1.xml"]);
        let pairs = read_dir(&d).unwrap();
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].pdf, b"%PDF2");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn failure_between_the_renames_leaves_the_old_pair() {
        let d = tmp("fail");
        write_files(&d, "F1", b"<old/>", b"%OLD").unwrap();
        let e = write_files_at(&d, "F1", b"<new/>", b"%NEW", Step::SecondRename).unwrap_err();
        assert!(e.to_string().contains("injected failure"), "{e}");
        assert_eq!(fs::read(d.join("F1.xml")).unwrap(), b"<old/>");
        assert_eq!(fs::read(d.join("F1.pdf")).unwrap(), b"%OLD");
        assert_eq!(listing(&d), ["F1.pdf", "F1.xml"]);

        // Without an old pair: neither file remains.
        let e = write_files_at(&d, "F2", b"<new/>", b"%NEW", Step::SecondRename);
        assert!(e.is_err());
        assert_eq!(listing(&d), ["F1.pdf", "F1.xml"]);
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn refuses_unsafe_bases_and_missing_folders() {
        let d = tmp("refuse");
        assert!(matches!(
            write_files(&d, "../evil", b"", b""),
            Err(PairError::UnsafeBase(_))
        ));
        let e = write_files(&d.join("missing"), "F1", b"<x/>", b"%PDF").unwrap_err();
        assert!(e.to_string().contains("missing"), "{e}");
        fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn read_dir_wants_whole_pairs() {
        let d = tmp("read");
        fs::write(d.join("A.xml"), "<a/>").unwrap();
        let e = read_dir(&d).unwrap_err();
        assert!(e.to_string().contains("A.xml: has no PDF"), "{e}");
        fs::write(d.join("A.pdf"), "%PDF").unwrap();
        fs::write(d.join(".A.xml.tmp-1-1"), "junk").unwrap();
        fs::write(d.join("notes.txt"), "x").unwrap();
        assert_eq!(read_dir(&d).unwrap().len(), 1);
        fs::write(d.join("B.pdf"), "%PDF").unwrap();
        assert!(read_dir(&d).unwrap_err().to_string().contains("B.pdf"));
        fs::remove_dir_all(&d).unwrap();
    }
}
