//! `factuur pdf`: invoices rendered as PDF, plain or as a hybrid PDF/A-3b carrying the UBL.

use std::io::{self, Write};
use std::path::PathBuf;

use factuur::ubl::{self, Profile};
use factuur::{Error, Invoice};

use super::{LangArg, load_table, other, read_input, report_unusable, stdout_error, usage};

/// Arguments of `factuur pdf`.
#[derive(clap::Args)]
pub(crate) struct PdfArgs {
    /// Invoice JSON files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output file (only with one input).
    #[arg(short, long, value_name = "OUT.pdf", conflicts_with = "out_dir")]
    output: Option<PathBuf>,
    /// Folder for the PDFs (created if missing).
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Make a hybrid PDF/A-3b with the UBL XML embedded: the invoice's own SI-UBL 2.0
    /// document, or the one given with --xml.
    #[arg(long)]
    hybrid: bool,
    /// The UBL XML to embed with --hybrid (only with one input).
    #[arg(long, value_name = "FILE.xml", requires = "hybrid")]
    xml: Option<PathBuf>,
    /// Make the PDF a PDF/A-3b even without an attachment.
    #[arg(long)]
    archival: bool,
    /// Language of the labels, dates and amounts.
    #[arg(long, value_enum, default_value = "nl")]
    lang: LangArg,
    /// PNG or JPEG logo for the letterhead.
    #[arg(long, value_name = "FILE")]
    logo: Option<PathBuf>,
    /// VAT code table instead of the Dutch default.
    #[arg(long, value_name = "FILE")]
    vat_codes: Option<PathBuf>,
}

pub(crate) fn run(a: PdfArgs) -> Result<u8, Error> {
    use factuur::pdf::{Logo, PdfOptions, XmlAttachment};

    if a.files.len() > 1 && a.output.is_some() {
        return Err(usage(
            "-o names one PDF; with several inputs use --out-dir DIR".into(),
        ));
    }
    if a.files.len() > 1 && a.xml.is_some() {
        return Err(usage(
            "--xml attaches one XML to one PDF; give a single input".into(),
        ));
    }
    let mut options = PdfOptions {
        lang: a.lang.into(),
        archival: a.archival,
        vat_codes: load_table(a.vat_codes.as_deref())?,
        ..PdfOptions::default()
    };
    if let Some(logo) = &a.logo {
        options.logo = Some(Logo::from_bytes(read_input(logo)?).map_err(|e| other(logo, e))?);
    }
    if let Some(dir) = &a.out_dir {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.display().to_string(),
            source,
        })?;
    }
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut worst = 0u8;
    for file in &a.files {
        let result = (|| -> Result<PathBuf, Error> {
            let invoice = Invoice::from_json(&read_input(file)?)?;
            let base = factuur::pair::base_name(&invoice);
            let mut opts = options.clone();
            if let Some(xml_path) = &a.xml {
                let xml = read_input(xml_path)?;
                let name = format!("{base}.xml");
                opts.attachment =
                    Some(XmlAttachment::new(name, xml).map_err(|e| other(xml_path, e))?);
            } else if a.hybrid {
                // The UBL of the invoice itself, as `factuur ubl` writes it.
                let xml = ubl::to_xml_with(&invoice, Profile::Nlcius, &opts.vat_codes)?;
                let name = format!("{base}.xml");
                opts.attachment = Some(XmlAttachment::new(name, xml).map_err(|e| other(file, e))?);
            }
            let pdf = factuur::pdf::render(&invoice, &opts).map_err(|e| other(file, e))?;
            let target = match (&a.output, &a.out_dir) {
                (Some(o), _) => o.clone(),
                (None, Some(d)) => d.join(format!("{base}.pdf")),
                (None, None) => PathBuf::from(format!("{base}.pdf")),
            };
            factuur::pair::write_atomic(&target, &pdf).map_err(|e| other(&target, e))?;
            Ok(target)
        })();
        match result {
            Ok(target) => {
                writeln!(out, "{} -> {}", file.display(), target.display())
                    .map_err(stdout_error)?;
            }
            Err(e) => {
                report_unusable(&mut out, file, &e, false).map_err(stdout_error)?;
                worst = 2;
            }
        }
    }
    Ok(worst)
}
