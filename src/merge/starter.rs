//! The starter template: a clean Dutch invoice layout that uses every catalogue field, for back
//! offices to open in Word and restyle. Written part by part as WordprocessingML; the same
//! bytes every time.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn esc(s: &str) -> String {
    let mut out = Vec::new();
    super::xml::escape_into(&mut out, s);
    String::from_utf8(out).unwrap_or_default()
}

/// Run properties: bold and/or size in half points.
fn rpr(bold: bool, size: Option<u32>) -> String {
    let mut s = String::from("<w:rPr>");
    if bold {
        s.push_str("<w:b/>");
    }
    if let Some(sz) = size {
        s.push_str(&format!("<w:sz w:val=\"{sz}\"/>"));
    }
    s.push_str("</w:rPr>");
    s
}

fn text(t: &str, props: &str) -> String {
    format!(
        "<w:r>{props}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
        esc(t)
    )
}

/// A complex MERGEFIELD with optional switches, shown as «NAME» until merged.
fn field(name: &str, switches: &str, props: &str) -> String {
    let instr = format!(" MERGEFIELD {name} {switches} \\* MERGEFORMAT ");
    complex(&instr, &format!("«{name}»"), props)
}

fn complex(instr: &str, shown: &str, props: &str) -> String {
    format!(
        "<w:r>{props}<w:fldChar w:fldCharType=\"begin\"/></w:r>\
         <w:r>{props}<w:instrText xml:space=\"preserve\">{}</w:instrText></w:r>\
         <w:r>{props}<w:fldChar w:fldCharType=\"separate\"/></w:r>\
         <w:r>{props}<w:t>{}</w:t></w:r>\
         <w:r>{props}<w:fldChar w:fldCharType=\"end\"/></w:r>",
        esc(instr),
        esc(shown)
    )
}

/// A `w:fldSimple` MERGEFIELD.
fn simple(name: &str, props: &str) -> String {
    format!(
        "<w:fldSimple w:instr=\" MERGEFIELD {name} \\* MERGEFORMAT \"><w:r>{props}<w:t>«{name}»</w:t></w:r></w:fldSimple>"
    )
}

fn para(content: &str, align: Option<&str>) -> String {
    let jc = align
        .map(|a| format!("<w:pPr><w:jc w:val=\"{a}\"/></w:pPr>"))
        .unwrap_or_default();
    format!("<w:p>{jc}{content}</w:p>")
}

fn cell(width: u32, content: &str, align: Option<&str>) -> String {
    format!(
        "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr>{}</w:tc>",
        para(content, align)
    )
}

fn table(widths: &[u32], rows: &[String], borders: bool) -> String {
    let grid: String = widths
        .iter()
        .map(|w| format!("<w:gridCol w:w=\"{w}\"/>"))
        .collect();
    let b = if borders {
        "<w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"999999\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"DDDDDD\"/></w:tblBorders>"
    } else {
        ""
    };
    format!(
        "<w:tbl><w:tblPr><w:tblW w:w=\"0\" w:type=\"auto\"/>{b}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{}</w:tbl>",
        rows.concat()
    )
}

fn row(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

const AMOUNT: &str = r##"\# "#.##0,00""##;
const INLINE_AMOUNT: &str = r#"\# ".0,00""#;
const DATE: &str = r#"\@ "d MMMM yyyy""#;

/// Where the values of the invoice data start, in twentieths of a point.
const DATA_LABEL: u32 = 1800;

fn document() -> String {
    let n = rpr(false, None);
    let b = rpr(true, None);
    let title = rpr(true, Some(36));
    let mut body = String::new();
    // The title, and a test run's marking beside it in red (nothing when empty).
    let marking = "<w:rPr><w:b/><w:color w:val=\"C00000\"/><w:sz w:val=\"28\"/></w:rPr>";
    body.push_str(&para(
        &(field("INVOICE_TITLE", r"\* Upper", &title)
            + &text(" ", &title)
            + &field("INVOICE_NUMBER", "", &title)
            + &field("DOCUMENT_MARKING", r#"\b "   ""#, marking)),
        None,
    ));
    // Customer (left) and invoice data (right).
    // The customer's address: one paragraph, each optional line bringing its own break, so an
    // empty field leaves no blank line.
    let customer = para(
        &(field("CUSTOMER_NAME", "", &b)
            + &field("CUSTOMER_TRADING_NAME", "\\b \"\nh.o.d.n. \"", &n)
            + &field("CUSTOMER_CONTACT_NAME", "\\b \"\nt.a.v. \"", &n)
            + &field("CUSTOMER_ADDRESS_LINE", "\\b \"\n\"", &n)
            + &field("CUSTOMER_ADDITIONAL_STREET", "\\b \"\n\"", &n)
            + &field("CUSTOMER_POSTCODE", "\\b \"\n\"", &n)
            + &field("CUSTOMER_CITY", "\\* Upper \\b \"  \"", &n)
            + &field("CUSTOMER_COUNTRY_CODE", "\\b \"\n\"", &n)),
        None,
    );
    // Invoice data: one paragraph, a label and a tab before each value. The fixed items come
    // first; every optional one carries its own line break and label in its `\b` text, so an
    // empty field leaves neither a bare label nor a blank line.
    let fixed = [
        ("Factuurnummer", field("INVOICE_NUMBER", "", &n)),
        ("Factuurdatum", field("INVOICE_DATE", DATE, &n)),
        ("Vervaldatum", field("INVOICE_DUE_DATE", DATE, &n)),
    ];
    let mut data = String::new();
    for (k, (label, value)) in fixed.iter().enumerate() {
        if k > 0 {
            data.push_str("<w:r><w:br/></w:r>");
        }
        data.push_str(&text(label, &n));
        data.push_str("<w:r><w:tab/></w:r>");
        data.push_str(value);
    }
    let optional = |name: &str, label: &str, picture: &str| {
        field(name, &format!("{picture} \\b \"\n{label}\t\""), &n)
    };
    data.push_str(&optional("INVOICE_BUYER_REFERENCE", "Uw referentie", ""));
    data.push_str(&optional("INVOICE_ORDER_REFERENCE", "Uw ordernummer", ""));
    data.push_str(&optional("INVOICE_PROJECT_REFERENCE", "Project", ""));
    data.push_str(&optional("INVOICE_CONTRACT_REFERENCE", "Contract", ""));
    data.push_str(&optional("BRANCH_ID", "Vestiging", ""));
    data.push_str(&field("BRANCH_NAME", r#"\b " ""#, &n));
    data.push_str(&optional("BRANCH_ADDRESS_LINE", "Adres vestiging", ""));
    data.push_str(&field("BRANCH_POSTCODE", r#"\b ", ""#, &n));
    data.push_str(&field("BRANCH_CITY", r#"\b " ""#, &n));
    data.push_str(&optional("WORK_ORDER_NUMBER", "Werkbon", ""));
    data.push_str(&field("WORK_ORDER_SOURCE", r#"\b " (" \f ")""#, &n));
    data.push_str(&optional(
        "INVOICE_PERIOD_START",
        "Periode",
        r#"\@ "d-M-yyyy""#,
    ));
    data.push_str(&field(
        "INVOICE_PERIOD_END",
        r#"\@ "d-M-yyyy" \b " t/m ""#,
        &n,
    ));
    let data = format!(
        "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"{DATA_LABEL}\"/></w:tabs></w:pPr>{data}</w:p>"
    );
    body.push_str(&table(
        &[4300, 5300],
        &[format!(
            "<w:tr><w:tc><w:tcPr><w:tcW w:w=\"4300\" w:type=\"dxa\"/></w:tcPr>{customer}</w:tc><w:tc><w:tcPr><w:tcW w:w=\"5300\" w:type=\"dxa\"/></w:tcPr>{data}</w:tc></w:tr>"
        )],
        false,
    ));
    body.push_str(&para("", None));
    // Lines: one table row per line, between TableStart:LINES and TableEnd:LINES.
    let widths = [380, 1150, 2500, 900, 750, 1150, 1500, 1250];
    let head = row(&[
        cell(widths[0], &text("#", &b), None),
        cell(widths[1], &text("Artikel", &b), None),
        cell(widths[2], &text("Omschrijving", &b), None),
        cell(widths[3], &text("Aantal", &b), Some("right")),
        cell(widths[4], &text("Eenh.", &b), None),
        cell(widths[5], &text("Prijs", &b), Some("right")),
        cell(widths[6], &text("Btw", &b), None),
        cell(widths[7], &text("Bedrag", &b), Some("right")),
    ]);
    let line = row(&[
        cell(
            widths[0],
            &(field("TableStart:LINES", "", &n) + &field("LINE_NUMBER", "", &n)),
            None,
        ),
        cell(widths[1], &field("LINE_ARTICLE_CODE", "", &n), None),
        cell(
            widths[2],
            &(field("LINE_DESCRIPTION", "", &n)
                + &field("LINE_ITEM_DESCRIPTION", r#"\b " – ""#, &n)
                + &field("LINE_NOTE", r#"\b " (" \f ")""#, &n)
                + &field("LINE_COST_CENTRE", r#"\b " [kpl. " \f "]""#, &n)
                + &field("LINE_ID", r#"\b " #""#, &rpr(false, Some(14)))),
            None,
        ),
        cell(
            widths[3],
            &field("LINE_QUANTITY", r#"\# "0,00""#, &n),
            Some("right"),
        ),
        cell(widths[4], &field("LINE_UNIT", "", &n), None),
        cell(widths[5], &field("LINE_PRICE", AMOUNT, &n), Some("right")),
        cell(
            widths[6],
            &(field("LINE_VAT_CODE", "", &n)
                + &text(" ", &n)
                + &field("LINE_VAT_PERCENTAGE", r#"\# "0' %'""#, &n)),
            None,
        ),
        cell(
            widths[7],
            &(field("LINE_NET_AMOUNT", AMOUNT, &n) + &field("TableEnd:LINES", "", &n)),
            Some("right"),
        ),
    ]);
    body.push_str(&table(&widths, &[head, line], true));
    body.push_str(&para("", None));
    // Totals with the VAT breakdown as a nested region.
    let tw = [4300, 3400, 1900];
    let total = |label: &str, name: &str, props: &str| {
        row(&[
            cell(tw[0], "", None),
            cell(tw[1], &text(label, props), None),
            cell(tw[2], &field(name, AMOUNT, props), Some("right")),
        ])
    };
    let vat_row = row(&[
        cell(
            tw[0],
            &(field("BeginGroup:VAT", "", &n)
                + &field("VAT_EXEMPTION_REASON", "", &rpr(false, Some(16)))),
            None,
        ),
        cell(
            tw[1],
            &(text("Btw ", &n)
                + &field("VAT_CATEGORY", "", &n)
                + &text(" ", &n)
                + &field("VAT_RATE", r#"\# "0' %'""#, &n)
                + &text(" over ", &n)
                + &field("VAT_TAXABLE_AMOUNT", INLINE_AMOUNT, &n)),
            None,
        ),
        cell(
            tw[2],
            &(field("VAT_AMOUNT", AMOUNT, &n) + &field("EndGroup:VAT", "", &n)),
            Some("right"),
        ),
    ]);
    let totals = vec![
        row(&[
            cell(
                tw[0],
                &(text("Bedragen in ", &n) + &simple("INVOICE_CURRENCY", &n)),
                None,
            ),
            cell(tw[1], "", None),
            cell(tw[2], "", None),
        ]),
        total("Subtotaal", "TOTAL_LINES", &n),
        total("Korting", "TOTAL_ALLOWANCES", &n),
        total("Toeslagen", "TOTAL_CHARGES", &n),
        total("Totaal excl. btw", "TOTAL_EXCL_VAT", &n),
        vat_row,
        total("Totaal btw", "TOTAL_VAT", &n),
        total("Totaal incl. btw", "TOTAL_INCL_VAT", &n),
        total("Reeds betaald", "TOTAL_PREPAID", &n),
        total("Afronding", "TOTAL_ROUNDING", &n),
        total("Te betalen", "TOTAL_PAYABLE", &b),
    ];
    body.push_str(&table(&tw, &totals, false));
    body.push_str(&para("", None));
    // Payment.
    let credit = format!(
        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> IF </w:instrText></w:r>{}<w:r><w:instrText xml:space=\"preserve\"> = 381 \"Dit is een creditnota: het bedrag wordt teruggestort. \" \"\" </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t></w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>",
        complex(" MERGEFIELD INVOICE_TYPE_CODE ", "380", "")
    );
    body.push_str(&para(&credit, None));
    body.push_str(&para(
        &(text("Gelieve ", &n)
            + &field("TOTAL_PAYABLE", INLINE_AMOUNT, &b)
            + &text(" vóór ", &n)
            + &field("INVOICE_DUE_DATE", r#"\@ "dddd d MMMM yyyy""#, &n)
            + &text(" over te maken op ", &n)
            + &field("PAYMENT_IBAN", "", &n)
            + &field("PAYMENT_BIC", r#"\b " (BIC " \f ")""#, &n)
            + &text(" t.n.v. ", &n)
            + &field("PAYMENT_ACCOUNT_NAME", "", &n)
            + &text(", onder vermelding van ", &n)
            + &field("PAYMENT_REFERENCE", "", &n)
            + &text(". Betaalwijze: ", &n)
            + &field("PAYMENT_MEANS_NAME", "", &n)
            + &field("PAYMENT_MEANS_CODE", r#"\b " (code " \f ")""#, &n)
            + &text(".", &n)),
        None,
    ));
    body.push_str(&para(&field("INVOICE_PAYMENT_TERMS", "", &n), None));
    body.push_str(&para(
        &field("INVOICE_NOTE", "", &rpr(false, Some(18))),
        None,
    ));
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:body>{body}<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1700\" w:right=\"1134\" w:bottom=\"1417\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/></w:sectPr></w:body></w:document>"
    )
}

fn header() -> String {
    let n = rpr(false, Some(18));
    let b = rpr(true, Some(24));
    let content = para(
        &(field("SUPPLIER_NAME", "", &b) + &field("SUPPLIER_TRADING_NAME", r#"\b " – ""#, &n)),
        Some("right"),
    ) + &para(
        &(field("SUPPLIER_ADDRESS_LINE", "", &n)
            + &field("SUPPLIER_ADDITIONAL_STREET", r#"\b ", ""#, &n)
            + &text(" · ", &n)
            + &field("SUPPLIER_POSTCODE", "", &n)
            + &text(" ", &n)
            + &field("SUPPLIER_CITY", "", &n)
            + &field("SUPPLIER_COUNTRY_CODE", r#"\b " (" \f ")""#, &n)),
        Some("right"),
    ) + &para(
        &(field("SUPPLIER_CONTACT_NAME", "", &n)
            + &field("SUPPLIER_PHONE", r#"\b " · tel. ""#, &n)
            + &field("SUPPLIER_EMAIL", r#"\b " · ""#, &n)),
        Some("right"),
    );
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr xmlns:w=\"{W}\" xmlns:r=\"{R}\">{content}</w:hdr>"
    )
}

fn footer() -> String {
    let n = rpr(false, Some(16));
    let content = para(
        &(text("Postadres: ", &n)
            + &field("SUPPLIER_STREET", "", &n)
            + &text(" ", &n)
            + &field("SUPPLIER_HOUSE_NUMBER", "", &n)
            + &field("SUPPLIER_HOUSE_NUMBER_ADDITION", r#"\b "-""#, &n)
            + &text(" · KvK ", &n)
            + &field("SUPPLIER_KVK", "", &n)
            + &text(" · btw ", &n)
            + &field("SUPPLIER_VAT_NUMBER", "", &n)),
        Some("center"),
    ) + &para(
        &(text("Klant: ", &n)
            + &field("CUSTOMER_STREET", "", &n)
            + &text(" ", &n)
            + &field("CUSTOMER_HOUSE_NUMBER", "", &n)
            + &field("CUSTOMER_HOUSE_NUMBER_ADDITION", r#"\b "-""#, &n)
            + &field("CUSTOMER_KVK", r#"\b " · KvK ""#, &n)
            + &field("CUSTOMER_VAT_NUMBER", r#"\b " · btw ""#, &n)
            + &field("CUSTOMER_PHONE", r#"\b " · tel. ""#, &n)
            + &field("CUSTOMER_EMAIL", r#"\b " · ""#, &n)),
        Some("center"),
    ) + &para(
        &field("INVOICE_EXTERNAL_REFERENCE", r#"\b "Btw-bon: ""#, &n),
        Some("center"),
    );
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr xmlns:w=\"{W}\" xmlns:r=\"{R}\">{content}</w:ftr>"
    )
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const ROOT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rIdFooter" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>"#;

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/><w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val="nl-NL" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="40" w:line="259" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Standaard"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="table" w:default="1" w:styleId="Standaardtabel"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#;

const SETTINGS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="708"/><w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>"#;

const CORE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Factuur</dc:title><dc:creator>factuur</dc:creator></cp:coreProperties>"#;

/// The starter template's .docx bytes (the same bytes on every call).
///
/// ```
/// let bytes = factuur::merge::starter::template();
/// let template = factuur::merge::Template::open(bytes).unwrap();
/// assert!(template.fields().iter().all(|f| f.known));
/// ```
pub fn template() -> Vec<u8> {
    let parts: [(&str, String); 8] = [
        ("[Content_Types].xml", CONTENT_TYPES.into()),
        ("_rels/.rels", ROOT_RELS.into()),
        ("docProps/core.xml", CORE.into()),
        ("word/document.xml", document()),
        ("word/_rels/document.xml.rels", DOC_RELS.into()),
        ("word/styles.xml", STYLES.into()),
        ("word/settings.xml", SETTINGS.into()),
        ("word/header1.xml", header()),
    ];
    let footer = ("word/footer1.xml", footer());
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for (name, body) in parts.iter().chain(std::iter::once(&footer)) {
        w.start_file(*name, options)
            .expect("writing to memory cannot fail");
        w.write_all(body.as_bytes())
            .expect("writing to memory cannot fail");
    }
    w.finish()
        .expect("writing to memory cannot fail")
        .into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge::catalogue::{FIELDS, FieldType, party_fields};

    #[test]
    fn uses_every_catalogue_field() {
        let t = crate::merge::Template::open(template()).unwrap();
        let names: Vec<String> = t
            .fields()
            .iter()
            .filter_map(|f| f.name.clone())
            .map(|n| n.to_uppercase())
            .collect();
        // Fields the template prints in another form: the unit code as its Dutch name.
        let otherwise = [("LINE_UNIT_CODE", "LINE_UNIT")];
        for f in FIELDS {
            if let Some((_, other)) = otherwise.iter().find(|(name, _)| *name == f.name) {
                assert!(
                    names.iter().any(|n| n == other),
                    "starter template lacks {other}"
                );
                continue;
            }
            let needle = if f.kind == FieldType::List {
                format!("TABLESTART:{}", f.name)
            } else {
                f.name.to_owned()
            };
            let alt = format!("BEGINGROUP:{}", f.name);
            assert!(
                names.contains(&needle) || names.contains(&alt),
                "starter template lacks {}",
                f.name
            );
        }
        for who in ["SUPPLIER_", "CUSTOMER_"] {
            for (s, _) in party_fields() {
                assert!(names.contains(&format!("{who}{s}")), "lacks {who}{s}");
            }
        }
        assert_eq!(template(), template());
    }
}
