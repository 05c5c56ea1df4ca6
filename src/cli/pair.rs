//! `factuur pair` and `factuur send`: the InvoiceSharing XML + PDF pair of each invoice, and
//! its delivery by e-mail.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use factuur::Error;
use factuur::ubl::Profile;

use super::{
    LangArg, load_table, other, parse_profile, read_input, read_invoice, report_unusable,
    stdout_error, usage,
};

/// Arguments of `factuur pair`.
#[derive(clap::Args)]
pub(crate) struct PairArgs {
    /// Invoice JSON files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Folder for the pairs (created if missing).
    #[arg(long, value_name = "DIR")]
    out_dir: PathBuf,
    /// Embed the PDF in the XML too (as a supporting document).
    #[arg(long, conflicts_with = "hybrid")]
    embed_pdf: bool,
    /// Embed the XML in the PDF too (a hybrid PDF/A-3b).
    #[arg(long)]
    hybrid: bool,
    /// nlcius (SI-UBL 2.0, default) or peppol.
    #[arg(long, default_value = "nlcius", value_parser = parse_profile)]
    profile: Profile,
    /// Language of the PDF.
    #[arg(long, value_enum, default_value = "nl")]
    lang: LangArg,
    /// PNG or JPEG logo for the PDF's letterhead.
    #[arg(long, value_name = "FILE")]
    logo: Option<PathBuf>,
    /// VAT code table instead of the Dutch default.
    #[arg(long, value_name = "FILE")]
    vat_codes: Option<PathBuf>,
}

/// Arguments of `factuur send`.
#[derive(clap::Args)]
pub(crate) struct SendArgs {
    /// Folder holding <base>.xml + <base>.pdf pairs.
    pair_dir: PathBuf,
    /// The upload address (e.g. the one InvoiceSharing gave).
    #[arg(long, value_name = "ADDRESS")]
    to: String,
    /// The sender.
    #[arg(long, value_name = "ADDRESS", default_value = "factuur@localhost")]
    from: String,
    /// SMTP relay to send through, without TLS (HOST:PORT, default port 25).
    #[arg(long, value_name = "HOST:PORT")]
    smtp: Option<String>,
    /// Folder to write the .eml messages to (created if missing).
    #[arg(long, value_name = "DIR")]
    eml_dir: Option<PathBuf>,
}

pub(crate) fn run_pair(a: PairArgs) -> Result<u8, Error> {
    cmd_pair(
        &a.files,
        &a.out_dir,
        factuur::pair::PairOptions {
            profile: a.profile,
            hybrid: a.hybrid,
            embed_pdf: a.embed_pdf,
            pdf: factuur::pdf::PdfOptions {
                lang: a.lang.into(),
                ..factuur::pdf::PdfOptions::default()
            },
        },
        a.logo.as_deref(),
        a.vat_codes.as_deref(),
    )
}

pub(crate) fn run_send(a: SendArgs) -> Result<u8, Error> {
    cmd_send(
        &a.pair_dir,
        &a.to,
        &a.from,
        a.smtp.as_deref(),
        a.eml_dir.as_deref(),
    )
}

fn cmd_pair(
    files: &[PathBuf],
    out_dir: &Path,
    mut options: factuur::pair::PairOptions,
    logo: Option<&Path>,
    vat_codes: Option<&Path>,
) -> Result<u8, Error> {
    options.pdf.vat_codes = load_table(vat_codes)?;
    if let Some(logo) = logo {
        let bytes = read_input(logo)?;
        options.pdf.logo = Some(factuur::pdf::Logo::from_bytes(bytes).map_err(|e| other(logo, e))?);
    }
    std::fs::create_dir_all(out_dir).map_err(|source| Error::Io {
        path: out_dir.display().to_string(),
        source,
    })?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let mut worst = 0u8;
    for file in files {
        let written = read_invoice(file).and_then(|invoice| {
            factuur::pair::write(&invoice, out_dir, &options).map_err(|e| other(file, e))
        });
        match written {
            Ok(pair) => writeln!(
                out,
                "{} -> {} + {}",
                file.display(),
                pair.xml.display(),
                pair.pdf.display()
            )
            .map_err(stdout_error)?,
            Err(e) => {
                report_unusable(&mut out, file, &e, false).map_err(stdout_error)?;
                worst = 2;
            }
        }
    }
    Ok(worst)
}

fn cmd_send(
    dir: &Path,
    to: &str,
    from: &str,
    smtp: Option<&str>,
    eml_dir: Option<&Path>,
) -> Result<u8, Error> {
    use factuur::pair::mail::{MailSettings, Smtp, prepare, write_eml};

    let smtp = match smtp {
        Some(s) => Some(Smtp::parse(s).map_err(usage)?),
        None => None,
    };
    let settings = MailSettings {
        from: from.to_owned(),
        to: to.to_owned(),
        date: std::time::SystemTime::now(),
    };
    let prepared = prepare(dir, &settings).map_err(|e| other(dir, e))?;
    let io_err = |source| Error::Io {
        path: "<stdout>".into(),
        source,
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if let Some(d) = eml_dir {
        std::fs::create_dir_all(d).map_err(|source| Error::Io {
            path: d.display().to_string(),
            source,
        })?;
    }
    for (kvk, messages) in &prepared.groups {
        writeln!(out, "KvK {kvk}:").map_err(io_err)?;
        for m in messages {
            let mut line = format!("  {} ({}.xml + {}.pdf)", m.number, m.base, m.base);
            if let Some(d) = eml_dir {
                let path = write_eml(d, m).map_err(|e| other(d, e))?;
                line.push_str(&format!(" -> {}", path.display()));
            }
            writeln!(out, "{line}").map_err(io_err)?;
        }
    }
    if let Some(server) = &smtp {
        let messages: Vec<_> = prepared.messages().collect();
        server
            .send(&messages)
            .map_err(|e| other(Path::new("smtp"), e))?;
        writeln!(
            out,
            "sent {} message(s) to {to} through {}:{}",
            messages.len(),
            server.host,
            server.port
        )
        .map_err(io_err)?;
    }
    for r in &prepared.refused {
        eprintln!("refused {}: {}", r.item.base, r.reason);
    }
    Ok(if prepared.refused.is_empty() { 0 } else { 1 })
}
