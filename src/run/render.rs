//! The documents of one invoice under a profile: `<number>.xml` (SI-UBL or Peppol, checked
//! against the official rules of that profile when the profile asks), `<number>.pdf` (plain or
//! hybrid PDF/A-3), `<number>.docx`; in a test run the PDF and the Word document carry the
//! TEST marking (and every number is a test number). Pure: invoice and profile in, documents
//! (compressed where that helps) out.

use crate::Invoice;
use crate::ledger::RunMode;
use crate::pair::safe_base;
use crate::pdf::{PdfOptions, XmlAttachment};
use crate::ubl::Profile as UblProfile;
use crate::validate::ubl::RuleSet;
use crate::validate::{Finding, Lang, Severity};

use super::profile::{PdfKind, Profile};
use super::zip::Document;

/// Why an invoice's documents could not be made.
#[derive(Debug, Clone)]
pub struct RenderFailure {
    /// What went wrong.
    pub message: String,
    /// The official rules' fatal findings, when the XML failed them.
    pub findings: Vec<Finding>,
}

/// The marking a test run prints on the PDF and the Word document.
pub fn test_marking(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "TESTFACTUUR – geen geldige factuur, niet betalen",
        Lang::En => "TEST INVOICE – not a valid invoice, do not pay",
    }
}

/// The rule sets that judge an XML of this profile: the complete SI-UBL verdict, or EN 16931
/// with Peppol's own rules.
pub fn rule_sets(profile: UblProfile) -> &'static [RuleSet] {
    match profile {
        UblProfile::Nlcius => &[RuleSet::Nlcius],
        UblProfile::Peppol => &[RuleSet::En16931, RuleSet::Peppol],
    }
}

/// Makes the documents of `invoice` (numbered) as `profile` says.
pub fn render(
    invoice: &Invoice,
    profile: &Profile,
    mode: RunMode,
    position: i64,
) -> Result<Vec<Document>, RenderFailure> {
    let fail = |what: &str, e: &dyn std::fmt::Display| RenderFailure {
        message: format!("{}: {what}: {e}", invoice.number),
        findings: Vec::new(),
    };
    let base = safe_base(&invoice.number);
    let marking = (mode == RunMode::Test).then(|| test_marking(profile.lang));
    let mut docs = Vec::with_capacity(3);
    let mut xml_bytes = None;
    if let Some(p) = profile.outputs.xml {
        let xml =
            crate::ubl::to_xml_with(invoice, p, &profile.vat_codes).map_err(|e| fail("UBL", &e))?;
        if profile.spec.validate {
            let doc = crate::ubl::parse(&xml).map_err(|e| fail("UBL read back", &e))?;
            let report = crate::validate::ubl::validate_with(&doc, rule_sets(p));
            if report.has_fatal() {
                let findings: Vec<Finding> = report
                    .findings
                    .into_iter()
                    .filter(|f| f.severity == Severity::Fatal)
                    .collect();
                return Err(RenderFailure {
                    message: format!(
                        "{}: the XML fails the official rules of {} ({})",
                        invoice.number,
                        match p {
                            UblProfile::Nlcius => "SI-UBL 2.0",
                            UblProfile::Peppol => "Peppol BIS 3",
                        },
                        findings
                            .iter()
                            .map(|f| f.rule)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    findings,
                });
            }
        }
        docs.push(Document::deflated(&format!("{base}.xml"), &xml).at(position));
        xml_bytes = Some(xml);
    }
    if let Some(kind) = profile.outputs.pdf {
        let attachment = match (kind, &xml_bytes) {
            (PdfKind::Hybrid, Some(xml)) => Some(
                XmlAttachment::new(format!("{base}.xml"), xml.clone())
                    .map_err(|e| fail("hybrid PDF", &e))?,
            ),
            _ => None,
        };
        let options = PdfOptions {
            lang: profile.lang,
            logo: profile.logo.clone(),
            attachment,
            archival: false,
            vat_codes: profile.vat_codes.clone(),
            marking: marking.map(str::to_owned),
        };
        let pdf = crate::pdf::render(invoice, &options).map_err(|e| fail("PDF", &e))?;
        docs.push(Document::stored(&format!("{base}.pdf"), &pdf).at(position));
    }
    if let (true, Some(t)) = (profile.outputs.docx, &profile.template) {
        let merged = t
            .render_marked(invoice, marking, &crate::merge::MergeOptions::default())
            .map_err(|e| fail("Word", &e))?;
        docs.push(Document::stored(&format!("{base}.docx"), &merged.docx).at(position));
    }
    Ok(docs)
}
