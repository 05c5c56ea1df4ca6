//! PDF invoices, rendered natively (no browser, no office suite), and the hybrid PDF/A-3 that
//! carries the UBL e-invoice inside it.
//!
//! [`render`] lays an [`Invoice`] out on A4 pages: the supplier's letterhead (name or logo,
//! address), the customer's address where a window envelope shows it, the invoice data (number,
//! dates, references, VAT ticket, work order, branch), the line table (broken across pages with
//! its header repeated), the VAT breakdown with the totals (kept together), the payment
//! instructions, and on every page a footer with the supplier's KvK and VAT numbers and
//! "Pagina x van n". Labels are Dutch or English; amounts are formatted from their exact
//! decimals (`€ 1.234,50`). The fonts (Liberation Sans) are compiled into the crate and a
//! subset is embedded in every PDF; no system font is ever read.
//!
//! The output is deterministic: the same invoice and options give the same bytes. Nothing reads
//! the clock; the document's dates are the invoice's issue date and its file identifier is
//! derived from the supplier and the invoice number.
//!
//! **Hybrid PDF/A-3.** With [`PdfOptions::attachment`] set, the PDF is a PDF/A-3b document with
//! the UBL XML embedded as an associated file (`text/xml`, `AFRelationship /Alternative`,
//! listed in the catalogue's `/AF`), XMP metadata claiming `pdfaid:part 3`,
//! `pdfaid:conformance B`, and an sRGB output intent. It is an ordinary PDF/A-3 that carries
//! a UBL (SI-UBL 2.0) invoice; it is *not* Factur-X or ZUGFeRD, which prescribe a CII XML and
//! their own XMP extension schema.
//!
//! ```
//! use factuur::pdf::{self, PdfOptions, XmlAttachment};
//!
//! let json = std::fs::read("testdata/invoices/01-domestic-b2b.json").unwrap();
//! let invoice = factuur::Invoice::from_json(&json).unwrap();
//!
//! let plain = pdf::render(&invoice, &PdfOptions::default()).unwrap();
//! assert!(plain.starts_with(b"%PDF-1.7"));
//!
//! let xml = br#"<?xml version="1.0" encoding="UTF-8"?><Invoice/>"#.to_vec();
//! let options = PdfOptions {
//!     attachment: Some(XmlAttachment::new("2026-00017.xml", xml).unwrap()),
//!     ..PdfOptions::default()
//! };
//! let hybrid = pdf::render(&invoice, &options).unwrap();
//! assert_ne!(plain, hybrid);
//! // Deterministic: the same input gives the same bytes.
//! assert_eq!(hybrid, pdf::render(&invoice, &options).unwrap());
//! ```

mod compose;
mod font;
mod labels;
mod layout;
pub mod office;

use std::sync::Arc;

use chrono::Datelike;
use krilla::Document;
use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder, PdfVersion};
use krilla::embed::{AssociationKind, EmbeddedFile, MimeType};
use krilla::geom::{PathBuilder, Point, Rect, Size};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, Stroke};
use krilla::surface::Surface;
use krilla::{Data, SerializeSettings};

use crate::Invoice;
use crate::model::{TotalsError, VatCodeTable};
use crate::validate::Lang;

use compose::{Context, compose, footer};
use font::{Fonts, fonts};
use layout::{Op, Rgb, Writer};

/// Why a PDF could not be rendered.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PdfError {
    /// The invoice's totals cannot be computed (e.g. a line without a VAT category).
    #[error("cannot render the invoice: {0}")]
    Totals(#[from] TotalsError),
    /// The logo is not a PNG or JPEG image factuur can read.
    #[error("logo: {0}")]
    Logo(String),
    /// The XML to attach is unusable (empty, not XML, or a bad file name).
    #[error("attachment: {0}")]
    Attachment(String),
    /// The PDF library refused the document; the message says why.
    #[error("PDF writer: {0}")]
    Writer(String),
}

/// An image to print in the letterhead instead of the supplier's name: PNG or JPEG.
#[derive(Clone)]
pub struct Logo {
    data: Arc<Vec<u8>>,
    jpeg: bool,
    size: (u32, u32),
}

impl std::fmt::Debug for Logo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Logo")
            .field("bytes", &self.data.len())
            .field("jpeg", &self.jpeg)
            .field("size", &self.size)
            .finish()
    }
}

impl Logo {
    /// Reads a PNG or JPEG logo (recognised by its signature) and checks that it decodes.
    ///
    /// ```
    /// let err = factuur::pdf::Logo::from_bytes(b"GIF89a...".to_vec()).unwrap_err();
    /// assert!(err.to_string().contains("PNG or JPEG"));
    /// ```
    pub fn from_bytes(bytes: Vec<u8>) -> Result<Logo, PdfError> {
        let jpeg = if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            false
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            true
        } else {
            return Err(PdfError::Logo(
                "not a PNG or JPEG image (its first bytes are neither signature)".into(),
            ));
        };
        let data = Arc::new(bytes);
        let image = decode(&data, jpeg)?;
        let size = image.size();
        if size.0 == 0 || size.1 == 0 {
            return Err(PdfError::Logo("the image has no pixels".into()));
        }
        Ok(Logo { data, jpeg, size })
    }

    /// Width and height in pixels.
    pub fn size(&self) -> (u32, u32) {
        self.size
    }
}

fn decode(data: &Arc<Vec<u8>>, jpeg: bool) -> Result<Image, PdfError> {
    let d = Data::from(data.clone());
    let image = if jpeg {
        Image::from_jpeg(d, false)
    } else {
        Image::from_png(d, false)
    };
    image.map_err(|e| PdfError::Logo(format!("cannot decode the image: {e}")))
}

/// An XML document to embed in a hybrid PDF/A-3: normally the invoice's UBL, under the same
/// base name as the PDF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XmlAttachment {
    file_name: String,
    xml: Arc<Vec<u8>>,
}

impl XmlAttachment {
    /// An attachment named `file_name` (no directories, no control characters) holding `xml`,
    /// which must look like an XML document (optional byte order mark and white space, then
    /// `<`).
    ///
    /// ```
    /// use factuur::pdf::XmlAttachment;
    /// assert!(XmlAttachment::new("F1.xml", b"<Invoice/>".to_vec()).is_ok());
    /// assert!(XmlAttachment::new("../F1.xml", b"<Invoice/>".to_vec()).is_err());
    /// assert!(XmlAttachment::new("F1.xml", b"%PDF".to_vec()).is_err());
    /// ```
    pub fn new(file_name: impl Into<String>, xml: Vec<u8>) -> Result<XmlAttachment, PdfError> {
        let file_name = file_name.into();
        if file_name.trim().is_empty()
            || file_name.len() > 255
            || file_name.contains(['/', '\\'])
            || file_name.chars().any(char::is_control)
        {
            return Err(PdfError::Attachment(format!(
                "{file_name:?} is not a usable file name (1 to 255 bytes, no directories, no control characters)"
            )));
        }
        let body = xml.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&xml);
        let first = body.iter().find(|b| !b.is_ascii_whitespace());
        if first != Some(&b'<') {
            return Err(PdfError::Attachment(format!(
                "{file_name}: the content is not an XML document (it must start with '<')"
            )));
        }
        Ok(XmlAttachment {
            file_name,
            xml: Arc::new(xml),
        })
    }

    /// The file name inside the PDF.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The XML bytes.
    pub fn xml(&self) -> &[u8] {
        &self.xml
    }
}

/// How to render.
#[derive(Debug, Clone)]
pub struct PdfOptions {
    /// Language of the labels, dates and numbers (default Dutch).
    pub lang: Lang,
    /// Logo for the letterhead; without one the supplier's (trading) name is printed large.
    pub logo: Option<Logo>,
    /// The XML to embed; when set, the PDF is a hybrid PDF/A-3b.
    pub attachment: Option<XmlAttachment>,
    /// Make the PDF a PDF/A-3b even without an attachment (for archiving).
    pub archival: bool,
    /// VAT code table used to resolve the lines' VAT codes (default: the Dutch table).
    pub vat_codes: VatCodeTable,
    /// A marking printed on every page, large and across it behind the content, and in red
    /// above it: an invoice run's test documents carry `TEST` this way.
    pub marking: Option<String>,
}

impl Default for PdfOptions {
    fn default() -> PdfOptions {
        PdfOptions {
            lang: Lang::Nl,
            logo: None,
            attachment: None,
            archival: false,
            vat_codes: VatCodeTable::dutch_default(),
            marking: None,
        }
    }
}

/// Renders the invoice as a PDF.
///
/// Fails only on an invoice whose totals cannot be computed, or when the PDF library refuses
/// the document (which would be a bug in factuur). Missing optional parts (no customer yet, no
/// payment means) are simply left out of the page.
pub fn render(invoice: &Invoice, options: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    let fonts =
        fonts().ok_or_else(|| PdfError::Writer("the shipped fonts are unreadable".into()))?;
    let cx = Context {
        lang: options.lang,
        vat_codes: &options.vat_codes,
        logo_size: options.logo.as_ref().map(Logo::size),
        has_attachment: options.attachment.is_some(),
    };
    let composed = compose(invoice, fonts, &cx)?;
    let pdfa = options.archival || options.attachment.is_some();

    let mut settings = SerializeSettings {
        enable_tagging: false,
        ..SerializeSettings::default()
    };
    let builder = ConfigurationBuilder::new().with_version(PdfVersion::Pdf17);
    let builder = if pdfa {
        builder.with_archival_validator(Archival::A3_B)
    } else {
        builder
    };
    settings.configuration = builder
        .finish()
        .map_err(|e| PdfError::Writer(format!("configuration: {e:?}")))?;
    let mut doc = Document::new_with(settings);
    doc.set_metadata(metadata(invoice, options));

    if let Some(att) = &options.attachment {
        let file = EmbeddedFile {
            path: att.file_name.clone(),
            mime_type: MimeType::new("text/xml"),
            description: Some(format!(
                "UBL e-invoice {} (SI-UBL 2.0), the same invoice as this PDF",
                invoice.number
            )),
            association_kind: AssociationKind::Alternative,
            data: Data::from(att.xml.clone()),
            modification_date: Some(pdf_date(invoice)),
            compress: Some(true),
            location: None,
        };
        doc.embed_file(file)
            .ok_or_else(|| PdfError::Writer(format!("cannot embed {} twice", att.file_name)))?;
    }

    let logo = match &options.logo {
        Some(l) => Some(decode(&l.data, l.jpeg)?),
        None => None,
    };
    let w = Writer { fonts };
    let g = composed.geometry;
    let count = composed.pages.len();
    for (i, ops) in composed.pages.iter().enumerate() {
        let settings = PageSettings::from_wh(g.width, g.height)
            .ok_or_else(|| PdfError::Writer("bad page size".into()))?;
        let mut page = doc.start_page_with(settings);
        let mut surface = page.surface();
        if let Some(m) = &options.marking {
            mark_behind(&mut surface, fonts, g.width, g.height);
            paint(&mut surface, fonts, ops, logo.as_ref());
            mark_above(&mut surface, fonts, m, g.width);
        } else {
            paint(&mut surface, fonts, ops, logo.as_ref());
        }
        paint(
            &mut surface,
            fonts,
            &footer(&w, &composed, i + 1, count),
            None,
        );
        surface.finish();
        page.finish();
    }
    doc.finish().map_err(|e| PdfError::Writer(format!("{e:?}")))
}

/// The word TEST, large and pale, diagonally across the page (drawn before the content, so the
/// content stays readable on top of it).
fn mark_behind(surface: &mut Surface<'_>, fonts: &Fonts, width: f32, height: f32) {
    let face = fonts.face(font::Style::Bold);
    let size = 150.0;
    let text = "TEST";
    let w = face.width(text, size);
    let (sin, cos) = (0.5f32, 0.866_025_4_f32);
    let (cx, cy) = (width / 2.0, height / 2.0);
    // Rotate by 30° around the page's centre; the text's own centre lands there.
    let tx = cx - cos * w / 2.0 - sin * size * 0.35;
    let ty = cy + sin * w / 2.0 - cos * size * 0.35;
    surface.push_transform(&krilla::geom::Transform::from_row(
        cos, -sin, sin, cos, tx, ty,
    ));
    surface.set_fill(Some(fill(Rgb(0xF8, 0xDA, 0xDA))));
    let glyphs = face.glyphs(text);
    surface.draw_glyphs(
        Point::from_xy(0.0, size * 0.7),
        &glyphs,
        face.font.clone(),
        text,
        size,
        false,
    );
    surface.pop();
}

/// The marking in red above the letterhead.
fn mark_above(surface: &mut Surface<'_>, fonts: &Fonts, marking: &str, width: f32) {
    let face = fonts.face(font::Style::Bold);
    let size = 11.0;
    let text = face.clean(marking);
    let w = face.width(&text, size);
    surface.set_fill(Some(fill(Rgb(0xC0, 0x00, 0x00))));
    let glyphs = face.glyphs(&text);
    surface.draw_glyphs(
        Point::from_xy((width - w) / 2.0, 22.0),
        &glyphs,
        face.font.clone(),
        &text,
        size,
        false,
    );
}

fn pdf_date(invoice: &Invoice) -> DateTime {
    let d = invoice.issue_date;
    let year = u16::try_from(d.year().clamp(0, 9999)).unwrap_or(1970);
    // month() is 1..=12 and day() 1..=31 by chrono's contract.
    DateTime::new(year)
        .month(d.month() as u8)
        .day(d.day() as u8)
        .hour(0)
        .minute(0)
        .second(0)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

fn metadata(invoice: &Invoice, options: &PdfOptions) -> Metadata {
    let l = labels::labels(options.lang);
    let kind = if invoice.is_credit_note() {
        l.credit_note
    } else {
        l.invoice
    };
    let title = format!("{kind} {}", invoice.number);
    let mut description = format!("{title} – {}", invoice.supplier.name);
    if let Some(c) = &invoice.customer {
        description.push_str(&format!(" → {}", c.name));
    }
    let id_owner = invoice
        .supplier
        .kvk
        .as_ref()
        .map(|k| k.as_str().to_owned())
        .unwrap_or_else(|| invoice.supplier.name.clone());
    Metadata::new()
        .title(title)
        .description(description)
        .authors(vec![invoice.supplier.name.clone()])
        .creator(format!("factuur {}", env!("CARGO_PKG_VERSION")))
        .producer(format!("factuur {} (krilla)", env!("CARGO_PKG_VERSION")))
        .language(match options.lang {
            Lang::Nl => "nl-NL".into(),
            Lang::En => "en".into(),
        })
        .creation_date(pdf_date(invoice))
        .document_id(format!("factuur:{id_owner}:{}", invoice.number))
}

fn color(c: Rgb) -> krilla::color::Color {
    rgb::Color::new(c.0, c.1, c.2).into()
}

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: color(c).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

/// Draws a page's display list.
fn paint(surface: &mut Surface<'_>, fonts: &Fonts, ops: &[Op], logo: Option<&Image>) {
    for op in ops {
        match op {
            Op::Text {
                x,
                y,
                style,
                size,
                color: c,
                text,
            } => {
                let face = fonts.face(*style);
                let glyphs = face.glyphs(text);
                surface.set_fill(Some(fill(*c)));
                surface.draw_glyphs(
                    Point::from_xy(*x, *y),
                    &glyphs,
                    face.font.clone(),
                    text,
                    *size,
                    false,
                );
            }
            Op::Fill {
                x,
                y,
                w,
                h,
                color: c,
            } => {
                if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                    let mut pb = PathBuilder::new();
                    pb.push_rect(rect);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(Some(fill(*c)));
                        surface.draw_path(&path);
                    }
                }
            }
            Op::Rule {
                x1,
                x2,
                y,
                width,
                color: c,
            } => {
                let mut pb = PathBuilder::new();
                pb.move_to(*x1, *y);
                pb.line_to(*x2, *y);
                if let Some(path) = pb.finish() {
                    surface.set_fill(None);
                    surface.set_stroke(Some(Stroke {
                        paint: color(*c).into(),
                        width: *width,
                        ..Stroke::default()
                    }));
                    surface.draw_path(&path);
                    surface.set_stroke(None);
                }
            }
            Op::Logo { x, y, w, h } => {
                if let (Some(image), Some(size)) = (logo, Size::from_wh(*w, *h)) {
                    surface.push_transform(&krilla::geom::Transform::from_translate(*x, *y));
                    surface.draw_image(image.clone(), size);
                    surface.pop();
                }
            }
        }
    }
}
