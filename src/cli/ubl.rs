//! `factuur ubl` and `factuur convert`: the UBL e-invoice of an invoice, and any UBL invoice
//! read back and written again.

use std::io;
use std::path::{Path, PathBuf};

use clap::ValueEnum;
use factuur::Error;
use factuur::model::Attachment;
use factuur::ubl::{self, Profile};

use super::{emit, load_table, locate, parse_profile, read_input, read_invoice};

/// Arguments of `factuur ubl`.
#[derive(clap::Args)]
pub(crate) struct UblArgs {
    /// Invoice JSON file.
    input: PathBuf,
    /// Output file (written atomically); standard output when absent.
    #[arg(short, long, value_name = "OUT.xml")]
    output: Option<PathBuf>,
    /// nlcius (SI-UBL 2.0) or peppol.
    #[arg(long, default_value = "nlcius", value_parser = parse_profile)]
    profile: Profile,
    /// Embed this PDF in the XML as a supporting document.
    #[arg(long, value_name = "FILE.pdf")]
    embed_pdf: Option<PathBuf>,
    /// VAT code table instead of the Dutch default.
    #[arg(long, value_name = "FILE")]
    vat_codes: Option<PathBuf>,
}

/// Arguments of `factuur convert`.
#[derive(clap::Args)]
pub(crate) struct ConvertArgs {
    /// UBL XML file.
    input: PathBuf,
    /// Output file (written atomically); standard output when absent.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
    /// ubl or json.
    #[arg(long, value_enum, default_value = "ubl")]
    to: ConvertTo,
    /// Write the UBL output for this profile, claiming it (CustomizationID, ProfileID)
    /// instead of what the document claimed; e.g. to bring an SI-UBL 1.x invoice to 2.0.
    #[arg(long, value_parser = parse_profile)]
    profile: Option<Profile>,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ConvertTo {
    Ubl,
    Json,
}

pub(crate) fn run_ubl(a: UblArgs) -> Result<u8, Error> {
    cmd_ubl(
        &a.input,
        a.output.as_deref(),
        a.profile,
        a.embed_pdf.as_deref(),
        a.vat_codes.as_deref(),
    )
}

pub(crate) fn run_convert(a: ConvertArgs) -> Result<u8, Error> {
    cmd_convert(&a.input, a.output.as_deref(), a.to, a.profile)
}

fn cmd_ubl(
    input: &Path,
    output: Option<&Path>,
    profile: Profile,
    embed_pdf: Option<&Path>,
    vat_codes: Option<&Path>,
) -> Result<u8, Error> {
    let table = load_table(vat_codes)?;
    let mut invoice = read_invoice(input)?;
    if let Some(pdf) = embed_pdf {
        let content = read_input(pdf)?;
        if !content.starts_with(b"%PDF-") {
            return Err(Error::Io {
                path: pdf.display().to_string(),
                source: io::Error::new(io::ErrorKind::InvalidData, "not a PDF file"),
            });
        }
        let filename = pdf
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "invoice.pdf".into());
        invoice.attachments.push(Attachment {
            id: invoice.number.clone(),
            description: Some("Factuur (PDF)".into()),
            filename: Some(filename),
            mime_code: Some("application/pdf".into()),
            content: Some(content),
            uri: None,
        });
    }
    let xml = ubl::to_xml_with(&invoice, profile, &table)?;
    emit(output, &xml)?;
    Ok(0)
}

fn cmd_convert(
    input: &Path,
    output: Option<&Path>,
    to: ConvertTo,
    profile: Option<Profile>,
) -> Result<u8, Error> {
    let bytes = read_input(input)?;
    let name = input.display();
    let invoice = ubl::from_xml(&bytes).map_err(|e| Error::Ubl(locate(e, &name.to_string())))?;
    let out = match to {
        ConvertTo::Json => invoice.to_json(),
        ConvertTo::Ubl => match profile {
            // An explicit profile re-claims the document for it (e.g. an old SI-UBL 1.x invoice
            // converted to SI-UBL 2.0); without one, the document keeps what it claims.
            Some(p) => {
                let mut invoice = invoice;
                invoice.customization_id = None;
                invoice.profile_id = None;
                ubl::to_xml(&invoice, p)?
            }
            None => {
                let claimed = invoice.customization_id.as_deref().unwrap_or("");
                ubl::to_xml(&invoice, Profile::for_customization(claimed))?
            }
        },
    };
    emit(output, &out)?;
    Ok(0)
}
