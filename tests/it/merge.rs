//! Word merge on templates made for what no public file covers: Dutch pictures, `\v`, IF with
//! nested fields, NEXTIF/SKIPIF, endnotes, text boxes, fields split in every place, regions,
//! keep-fields mode, and bad input.

use std::io::{Cursor, Write};

use factuur::merge::{Locale, MergeError, MergeOptions, Record, Template, Value};
use proptest::prelude::*;

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A .docx from parts given as (name, XML). `[Content_Types].xml` is added.
pub fn docx(parts: &[(&str, String)]) -> Vec<u8> {
    let mut overrides = String::new();
    for (name, _) in parts {
        let ty = match *name {
            "word/document.xml" => "document.main",
            "word/endnotes.xml" => "endnotes",
            "word/footnotes.xml" => "footnotes",
            "word/settings.xml" => "settings",
            n if n.starts_with("word/header") => "header",
            n if n.starts_with("word/footer") => "footer",
            _ => continue,
        };
        overrides.push_str(&format!(
            r#"<Override PartName="/{name}" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.{ty}+xml"/>"#
        ));
    }
    let ct = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>"#
    );
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    w.start_file("[Content_Types].xml", o).unwrap();
    w.write_all(ct.as_bytes()).unwrap();
    w.start_file("_rels/.rels", o).unwrap();
    w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#).unwrap();
    for (name, body) in parts {
        w.start_file(*name, o).unwrap();
        w.write_all(body.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A document whose body is `body`.
pub fn doc(body: &str) -> Vec<u8> {
    docx(&[("word/document.xml", document(body))])
}

pub fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"><w:body>{body}</w:body></w:document>"#
    )
}

/// A complex field in its own runs: begin, instruction, separate, result, end.
pub fn fld(instr: &str, rpr: &str) -> String {
    let instr = instr
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        r#"<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r><w:r>{rpr}<w:instrText xml:space="preserve">{instr}</w:instrText></w:r><w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{rpr}<w:t>«x»</w:t></w:r><w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>"#
    )
}

pub fn p(content: &str) -> String {
    format!("<w:p>{content}</w:p>")
}

/// The text of a part of a .docx: `w:t` contents, paragraphs separated by `|`.
pub fn text(docx: &[u8], part: &str) -> String {
    let parts = crate::merge_corpus::parts(docx);
    let xml = String::from_utf8(parts[part].clone()).unwrap();
    let mut out = String::new();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut in_t = false;
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) if e.name().as_ref() == "w:t" => in_t = true,
            quick_xml::events::Event::End(e) if e.name().as_ref() == "w:t" => in_t = false,
            quick_xml::events::Event::End(e) if e.name().as_ref() == "w:p" => out.push('|'),
            quick_xml::events::Event::Text(t) if in_t => out.push_str(&t.xml10_content()),
            quick_xml::events::Event::GeneralRef(r) if in_t => {
                out.push_str(&quick_xml::escape::unescape(&format!("&{};", &*r)).unwrap())
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    out
}

fn rec(pairs: &[(&str, Value)]) -> Record {
    let mut r = Record::new();
    for (k, v) in pairs {
        r.insert(*k, v.clone());
    }
    r
}

fn num(s: &str) -> Value {
    Value::Number(s.parse().unwrap())
}

fn date(y: i32, m: u32, d: u32) -> Value {
    Value::Date(chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap())
}

fn merge(template: &[u8], r: &Record) -> factuur::merge::Merged {
    Template::open(template.to_vec())
        .unwrap()
        .render_data(r, &MergeOptions::default())
        .unwrap()
}

const NL: &str = r#"<w:rPr><w:lang w:val="nl-NL"/></w:rPr>"#;
const EN: &str = r#"<w:rPr><w:lang w:val="en-US"/></w:rPr>"#;

#[test]
fn dutch_number_and_date_pictures() {
    let body = [
        p(&fld(r##" MERGEFIELD Bedrag \# "#.##0,00" "##, NL)),
        p(&fld(r##" MERGEFIELD Bedrag \# "€ .0,00;€ -.0,00" "##, NL)),
        p(&fld(r#" MERGEFIELD Datum \@ "dddd d MMMM yyyy" "#, NL)),
        p(&fld(r#" MERGEFIELD Datum \@ "dddd d MMMM yyyy" "#, EN)),
        p(&fld(r#" MERGEFIELD Datum \@ "d-M-yyyy" "#, "")),
        p(&fld(r#" MERGEFIELD Tekstdatum \@ "d MMM yyyy" "#, NL)),
        p(&fld(r#" MERGEFIELD Bedrag "#, "")),
    ]
    .concat();
    let r = rec(&[
        ("Bedrag", num("1234.5")),
        ("Datum", date(2026, 2, 2)),
        ("Tekstdatum", Value::Text("2026-03-31".into())),
    ]);
    let out = merge(&doc(&body), &r);
    assert_eq!(
        text(&out.docx, "word/document.xml"),
        "1.234,50|€ 1.234,50|maandag 2 februari 2026|Monday 2 February 2026|2-2-2026|31 mrt 2026|1234,5|"
    );
    // The same picture read the US way.
    let us = Template::open(doc(&p(&fld(r##" MERGEFIELD Bedrag \# "#,##0.00" "##, ""))))
        .unwrap()
        .render_data(
            &r,
            &MergeOptions {
                locale: Locale::EnUs,
                ..MergeOptions::default()
            },
        )
        .unwrap();
    assert_eq!(text(&us.docx, "word/document.xml"), "1,234.50|");
}

#[test]
fn switches_b_f_v_m_and_case() {
    let body = [
        p(&fld(r#" MERGEFIELD Tel \b "tel. " \f "." \v "#, "")),
        p(&fld(r#" MERGEFIELD Leeg \b "tel. " \f "." "#, "")),
        p(&fld(r#" MERGEFIELD "Naam klant" \m \* Upper "#, "")),
        p(&fld(r#" MERGEFIELD Naam\ klant \* Caps "#, "")),
        p(&fld(r#" MERGEFIELD stad \* FirstCap "#, "")),
    ]
    .concat();
    let r = rec(&[
        ("tel", "020 123".into()),
        ("Leeg", "".into()),
        ("naam klant", "de vries".into()),
        ("Stad", "amsterdam-west".into()),
    ]);
    let out = merge(&doc(&body), &r);
    assert_eq!(
        text(&out.docx, "word/document.xml"),
        "tel. 020 123.||DE VRIES||Amsterdam-west|"
    );
}

#[test]
fn if_with_nested_fields_and_wildcards() {
    // Word stores a nested field's result inside the outer instruction as instrText.
    let nested = r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> MERGEFIELD Naam </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:instrText>«Naam»</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#;
    let if_field = |op_right: &str, then: &str| {
        let op_right = op_right.replace('<', "&lt;").replace('>', "&gt;");
        format!(
            r#"<w:r><w:rPr><w:b/></w:rPr><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> IF </w:instrText></w:r>{nested}<w:r><w:instrText xml:space="preserve"> {op_right} "{then}" "nee" \* Upper</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>oud</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#
        )
    };
    let body = [
        p(&if_field(r#"= "Jan de*""#, "ja")),
        p(&if_field(r#"<> "Jan de Vries""#, "anders")),
        p(&if_field(r#"= "Piet""#, "piet")),
        p(&fld(r#" IF 10 > 9 "groter" "kleiner" "#, "")),
        // The true text itself holds a merge field.
        p(&format!(
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> IF 1 = 1 "Beste </w:instrText></w:r>{nested}<w:r><w:instrText xml:space="preserve">," "" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#
        )),
    ]
    .concat();
    let r = rec(&[("Naam", "Jan de Vries".into())]);
    let out = merge(&doc(&body), &r);
    assert_eq!(
        text(&out.docx, "word/document.xml"),
        "JA|NEE|NEE|groter|Beste Jan de Vries,|"
    );
    // The result run's formatting (italic) is kept: MERGEFORMAT semantics.
    let xml = String::from_utf8(crate::merge_corpus::parts(&out.docx)["word/document.xml"].clone())
        .unwrap();
    assert!(
        xml.contains(r#"<w:r><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">JA</w:t></w:r>"#),
        "{xml}"
    );
    assert!(!xml.contains("fldChar") && !xml.contains("instrText"));
}

#[test]
fn next_nextif_skipif_across_records() {
    let body = [
        p(&fld(" MERGEFIELD Naam ", "")),
        p(&fld(" SKIPIF { MERGEFIELD Naam } = \"X\" ", "")),
        p(&fld(" NEXTIF 1 = 1 ", "")),
        p(&fld(" MERGEFIELD Naam ", "")),
        p(&fld(" MERGESEQ ", "")),
        p(&fld(" MERGEREC ", "")),
    ]
    .concat();
    // SKIPIF with a plain (non-nested) instruction.
    let body = body.replace(" SKIPIF { MERGEFIELD Naam } = \"X\" ", " SKIPIF Y = \"X\" ");
    let t = Template::open(doc(&body)).unwrap();
    assert!(t.uses_record_navigation());
    let records: Vec<Record> = ["A", "B", "C", "D", "E"]
        .iter()
        .map(|n| rec(&[("Naam", (*n).into())]))
        .collect();
    let docs = t
        .render_records(&records, &MergeOptions::default())
        .unwrap();
    let texts: Vec<String> = docs
        .iter()
        .map(|(m, first)| format!("{first}:{}", text(&m.docx, "word/document.xml")))
        .collect();
    assert_eq!(texts, ["0:A|||B|1|2|", "2:C|||D|2|4|", "4:E||||3|6|"]);

    // SKIPIF that holds drops the record's document.
    let skip = doc(&(p(&fld(" SKIPIF X = \"X\" ", "")) + &p(&fld(" MERGEFIELD Naam ", ""))));
    let t = Template::open(skip).unwrap();
    let docs = t
        .render_records(&records[..2], &MergeOptions::default())
        .unwrap();
    assert!(docs.is_empty());
    let err = t
        .render_data(&records[0], &MergeOptions::default())
        .unwrap_err();
    assert!(matches!(err, MergeError::Skipped { .. }), "{err}");
}

#[test]
fn endnotes_headers_and_text_boxes() {
    let textbox = |inner: &str| {
        format!(
            r#"<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>{inner}</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>{inner}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"#
        )
    };
    let body = p(&(fld(" MERGEFIELD A ", "") + &textbox(&p(&fld(" MERGEFIELD B ", "")))));
    let endnotes = format!(
        r#"<w:endnotes xmlns:w="{W}"><w:endnote w:id="1">{}</w:endnote></w:endnotes>"#,
        p(&fld(" MERGEFIELD C ", ""))
    );
    let header = format!(
        r#"<w:hdr xmlns:w="{W}"><w:p><w:fldSimple w:instr=" MERGEFIELD D "><w:r><w:rPr><w:b/></w:rPr><w:t>«D»</w:t></w:r></w:fldSimple></w:p></w:hdr>"#
    );
    let t = docx(&[
        ("word/document.xml", document(&body)),
        ("word/endnotes.xml", endnotes),
        ("word/header1.xml", header),
    ]);
    let r = rec(&[
        ("A", "a".into()),
        ("B", "b".into()),
        ("C", "c".into()),
        ("D", "d".into()),
    ]);
    let out = merge(&t, &r);
    // Both copies of the text box are merged.
    assert_eq!(text(&out.docx, "word/document.xml"), "ab|b||");
    assert_eq!(text(&out.docx, "word/endnotes.xml"), "c|");
    assert_eq!(text(&out.docx, "word/header1.xml"), "d|");
    let hdr = String::from_utf8(crate::merge_corpus::parts(&out.docx)["word/header1.xml"].clone())
        .unwrap();
    assert!(
        hdr.contains(r#"<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">d</w:t></w:r>"#),
        "{hdr}"
    );
}

fn row(cells: &[String]) -> String {
    let cells: String = cells
        .iter()
        .map(|c| format!("<w:tc>{}</w:tc>", p(c)))
        .collect();
    format!(r#"<w:tr w14:paraId="0A0B0C0D">{cells}</w:tr>"#)
}

fn table(rows: &[String]) -> String {
    format!("<w:tbl><w:tblPr/><w:tblGrid/>{}</w:tbl>", rows.concat())
}

fn lines(n: usize) -> Value {
    Value::List(
        (1..=n)
            .map(|i| {
                rec(&[
                    ("Omschrijving", format!("regel {i}").into()),
                    ("Bedrag", num(&format!("{i}0.5"))),
                ])
            })
            .collect(),
    )
}

#[test]
fn table_regions_groups_and_row_repeat() {
    let bookmark = r#"<w:bookmarkStart w:id="7" w:name="b"/><w:bookmarkEnd w:id="7"/>"#;
    let explicit = table(&[
        row(&[r#"<w:r><w:t>kop</w:t></w:r>"#.into()]),
        row(&[
            fld(" MERGEFIELD TableStart:Regels ", "")
                + bookmark
                + &fld(" MERGEFIELD Omschrijving ", ""),
            fld(r#" MERGEFIELD Bedrag \# "0,00" "#, "") + &fld(" MERGEFIELD TableEnd:Regels ", ""),
        ]),
    ]);
    // docx-mailmerge style: a row with list fields and no markers.
    let implicit = table(&[row(&[
        fld(" MERGEFIELD Omschrijving ", ""),
        fld(r#" MERGEFIELD Bedrag \# "0,00" "#, ""),
    ])]);
    let sep = p(r#"<w:r><w:t>--</w:t></w:r>"#);
    let group = p(&fld(" MERGEFIELD BeginGroup:Regels ", ""))
        + &p(&fld(" MERGEFIELD Omschrijving ", ""))
        + &p(&fld(" MERGEFIELD EndGroup:Regels ", ""));
    let inline = p(&(fld(" MERGEFIELD TableStart:Regels ", "")
        + &fld(" MERGEFIELD Omschrijving ", "")
        + r#"<w:r><w:t xml:space="preserve">; </w:t></w:r>"#
        + &fld(" MERGEFIELD TableEnd:Regels ", "")));
    let body = [
        explicit,
        sep.clone(),
        implicit,
        sep.clone(),
        group,
        sep.clone(),
        inline,
    ]
    .concat();
    let t = Template::open(doc(&body)).unwrap();
    let out = t
        .render_data(&rec(&[("Regels", lines(3))]), &MergeOptions::default())
        .unwrap();
    assert_eq!(
        text(&out.docx, "word/document.xml"),
        "kop|regel 1|10,50|regel 2|20,50|regel 3|30,50|--|regel 1|10,50|regel 2|20,50|regel 3|30,50|--||regel 1|||regel 2|||regel 3||--|regel 1; regel 2; regel 3; |"
    );
    let xml = String::from_utf8(crate::merge_corpus::parts(&out.docx)["word/document.xml"].clone())
        .unwrap();
    // Copies carry no duplicate ids: the bookmark once, paraId only on the first copy.
    assert_eq!(xml.matches("bookmarkStart").count(), 1);
    assert_eq!(xml.matches("w14:paraId").count(), 3);
    // No items: the region's rows go. (A marker-less row cannot tell an empty list of generic
    // data from a missing one, so it stays once, blank; the invoice catalogue knows its lists.)
    let out = t
        .render_data(&rec(&[("Regels", lines(0))]), &MergeOptions::default())
        .unwrap();
    assert_eq!(text(&out.docx, "word/document.xml"), "kop|--|||--|--||");
    // A table whose only rows repeat over an empty list goes altogether.
    let only = table(&[row(&[fld(" MERGEFIELD TableStart:Regels ", "")
        + &fld(" MERGEFIELD Omschrijving ", "")
        + &fld(" MERGEFIELD TableEnd:Regels ", "")])]);
    let out = merge(&doc(&(only + &sep)), &rec(&[("Regels", lines(0))]));
    let xml = String::from_utf8(crate::merge_corpus::parts(&out.docx)["word/document.xml"].clone())
        .unwrap();
    assert_eq!(xml.matches("<w:tbl>").count(), 0, "{xml}");
    assert_eq!(text(&out.docx, "word/document.xml"), "--|");
    Template::open(out.docx).unwrap();
}

#[test]
fn nested_regions_vat_inside_totals() {
    let totals = table(&[
        row(&[fld(" MERGEFIELD TableStart:Totalen ", "") + &fld(" MERGEFIELD Naam ", "")]),
        row(&[fld(" MERGEFIELD TableStart:Btw ", "")
            + &fld(r#" MERGEFIELD Tarief \# "0' %'" "#, "")
            + &fld(" MERGEFIELD TableEnd:Btw ", "")]),
        row(&[fld(" MERGEFIELD Naam ", "") + &fld(" MERGEFIELD TableEnd:Totalen ", "")]),
    ]);
    let btw =
        |rates: &[&str]| Value::List(rates.iter().map(|r| rec(&[("Tarief", num(r))])).collect());
    let r = rec(&[(
        "Totalen",
        Value::List(vec![
            rec(&[("Naam", "A".into()), ("Btw", btw(&["21", "9"]))]),
            rec(&[("Naam", "B".into()), ("Btw", btw(&["0"]))]),
        ]),
    )]);
    let out = merge(&doc(&totals), &r);
    assert_eq!(
        text(&out.docx, "word/document.xml"),
        "A|21 %|9 %|A|B|0 %|B|"
    );
}

/// Found by fuzzing: with keep-fields, an empty simple field written under a second prefix for
/// the same namespace is closed with that prefix, not the part's usual one.
#[test]
fn keep_fields_closes_a_simple_field_with_its_own_prefix() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:x="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><x:fldSimple x:instr=" MERGEFIELD Stad "/></w:p></w:body></w:document>"#;
    let t = Template::open(docx(&[("word/document.xml", xml.to_owned())])).unwrap();
    let r = rec(&[("Stad", "Ede".into())]);
    let options = MergeOptions {
        keep_fields: true,
        ..MergeOptions::default()
    };
    let kept = t.render_data(&r, &options).unwrap();
    let part = String::from_utf8(factuur_test_part(&kept.docx, "word/document.xml")).unwrap();
    assert!(part.contains("</x:fldSimple>"), "{part}");
    let again = Template::open(kept.docx).expect("the output opens again");
    assert_eq!(again.fields().len(), 1);
}

fn factuur_test_part(docx: &[u8], part: &str) -> Vec<u8> {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut out = Vec::new();
    z.by_name(part).unwrap().read_to_end(&mut out).unwrap();
    out
}

#[test]
fn keep_fields_updates_results() {
    let body = p(&fld(" MERGEFIELD Naam \\* MERGEFORMAT ", ""))
        + &p(r#"<w:fldSimple w:instr=" MERGEFIELD Stad "/>"#)
        + &p(
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> MERGEFIELD Naam </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
        );
    let t = Template::open(doc(&body)).unwrap();
    let r = rec(&[("Naam", "Jansen".into()), ("Stad", "Ede".into())]);
    let kept = t
        .render_data(
            &r,
            &MergeOptions {
                keep_fields: true,
                ..MergeOptions::default()
            },
        )
        .unwrap();
    assert_eq!(text(&kept.docx, "word/document.xml"), "Jansen|Ede|Jansen|");
    let again = Template::open(kept.docx.clone()).unwrap();
    let names: Vec<_> = again.fields().into_iter().filter_map(|f| f.name).collect();
    assert_eq!(names, ["Naam", "Stad", "Naam"]);
    // Merging the kept output again gives the same as merging the template.
    let twice = again.render_data(&r, &MergeOptions::default()).unwrap();
    let once = t.render_data(&r, &MergeOptions::default()).unwrap();
    assert_eq!(
        text(&twice.docx, "word/document.xml"),
        text(&once.docx, "word/document.xml")
    );
}

#[test]
fn unknown_fields_warn_or_fail_under_strict() {
    let t = Template::open(doc(&p(&fld(" MERGEFIELD Onbekend ", "")))).unwrap();
    let out = t
        .render_data(&Record::new(), &MergeOptions::default())
        .unwrap();
    assert_eq!(out.report.warnings.len(), 1);
    assert_eq!(out.report.warnings[0].field, "Onbekend");
    assert_eq!(out.report.warnings[0].part, "word/document.xml");
    let err = t
        .render_data(
            &Record::new(),
            &MergeOptions {
                strict: true,
                ..MergeOptions::default()
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("word/document.xml:1:"), "{err}");
}

#[test]
fn output_is_deterministic_and_untouched_parts_identical() {
    let t = docx(&[
        (
            "word/document.xml",
            document(&p(&fld(" MERGEFIELD A ", ""))),
        ),
        ("word/styles.xml", format!(r#"<w:styles xmlns:w="{W}"/>"#)),
        ("word/media/image1.png", "not really a png".into()),
    ]);
    let r = rec(&[("A", "x".into())]);
    let a = merge(&t, &r);
    let b = merge(&t, &r);
    assert_eq!(a.docx, b.docx);
    let (pi, po) = (
        crate::merge_corpus::parts(&t),
        crate::merge_corpus::parts(&a.docx),
    );
    assert_eq!(pi["word/styles.xml"], po["word/styles.xml"]);
    assert_eq!(pi["word/media/image1.png"], po["word/media/image1.png"]);
}

/// Splits `instr` at the given character positions into instrText runs.
fn split_field(instr: &str, cuts: &[usize], rpr: &str) -> String {
    let chars: Vec<char> = instr.chars().collect();
    let mut cuts: Vec<usize> = cuts.iter().map(|c| c % (chars.len() + 1)).collect();
    cuts.sort();
    cuts.dedup();
    let mut pieces = Vec::new();
    let mut last = 0;
    for c in cuts.into_iter().chain(std::iter::once(chars.len())) {
        if c > last {
            pieces.push(chars[last..c].iter().collect::<String>());
            last = c;
        }
    }
    let runs: String = pieces
        .iter()
        .map(|s| {
            let s = s
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            format!(r#"<w:r>{rpr}<w:instrText xml:space="preserve">{s}</w:instrText></w:r>"#)
        })
        .collect();
    format!(
        r#"<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>{runs}<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r><w:r>{rpr}<w:t>«r»</w:t></w:r><w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>"#
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Splitting an instruction at any run boundaries gives the same result.
    #[test]
    fn split_instructions_merge_the_same(cuts in proptest::collection::vec(0usize..200, 0..12)) {
        let instrs = [
            r##" MERGEFIELD  "Totaal bedrag" \# "#.##0,00" \* MERGEFORMAT "##,
            r#" MERGEFIELD Datum \@ "dddd d MMMM yyyy" "#,
            r#" IF 5 >= 3 "waar &amp; zo" "onwaar" \* Upper "#,
            r#" MERGEFIELD Naam \b "t.a.v. " \f "." \* Caps "#,
        ];
        let r = rec(&[
            ("Totaal bedrag", num("98765.432")),
            ("Datum", date(2026, 2, 3)),
            ("Naam", "jan de vries".into()),
        ]);
        let whole: String = instrs.iter().map(|i| p(&split_field(i, &[], NL))).collect();
        let split: String = instrs.iter().map(|i| p(&split_field(i, &cuts, NL))).collect();
        let a = merge(&doc(&whole), &r);
        let b = merge(&doc(&split), &r);
        let ta = text(&a.docx, "word/document.xml");
        prop_assert_eq!(&ta, &text(&b.docx, "word/document.xml"));
        prop_assert_eq!(ta, "98.765,43|dinsdag 3 februari 2026|WAAR &AMP; ZO|t.a.v. Jan De Vries.|");
    }
}

// ---- bad input: clear errors, never a panic ----

fn open_err(bytes: Vec<u8>) -> String {
    match Template::open(bytes) {
        Ok(_) => panic!("accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn not_a_zip_and_no_document() {
    assert!(open_err(b"hello".to_vec()).contains("not a usable .docx"));
    let e = open_err(docx(&[("word/styles.xml", "<a/>".into())]));
    assert!(e.contains("no word/document.xml"), "{e}");
}

#[test]
fn zip_bomb_is_refused() {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    w.start_file("word/document.xml", o).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..(factuur::merge::MAX_PART / (1 << 20) + 1) {
        w.write_all(&chunk).unwrap();
    }
    let bomb = w.finish().unwrap().into_inner();
    assert!(
        bomb.len() < 1 << 20,
        "the bomb itself is small: {}",
        bomb.len()
    );
    let e = open_err(bomb);
    assert!(
        e.contains("word/document.xml") && e.contains("zip bomb"),
        "{e}"
    );
}

#[test]
fn escaping_entry_names_are_refused() {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let o = zip::write::SimpleFileOptions::default();
    w.start_file("word/document.xml", o).unwrap();
    w.write_all(document("").as_bytes()).unwrap();
    w.start_file("../../etc/evil", o).unwrap();
    w.write_all(b"x").unwrap();
    let e = open_err(w.finish().unwrap().into_inner());
    assert!(e.contains("../../etc/evil") && e.contains("unsafe"), "{e}");
}

#[test]
fn malformed_xml_names_part_line_and_column() {
    let bad = "<?xml version=\"1.0\"?>\n<w:document xmlns:w=\"x\">\n<w:body><w:p>\n</w:body></w:document>";
    let e = open_err(docx(&[("word/document.xml", bad.into())]));
    assert!(e.starts_with("word/document.xml:4:"), "{e}");
    let e = open_err(docx(&[
        (
            "word/document.xml",
            document(&p(&fld(" MERGEFIELD A ", ""))),
        ),
        (
            "word/footer1.xml",
            format!("<w:ftr xmlns:w=\"{W}\"><w:p>&bogus;</w:p>"),
        ),
    ]));
    assert!(e.starts_with("word/footer1.xml:1:"), "{e}");
}

#[test]
fn unbalanced_fields_are_refused() {
    let open_only = p(
        r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> MERGEFIELD A </w:instrText></w:r>"#,
    );
    let e = open_err(doc(&open_only));
    assert!(
        e.contains("word/document.xml:1:") && e.contains("never ends"),
        "{e}"
    );
    let end_only = p(r#"<w:r><w:fldChar w:fldCharType="end"/></w:r>"#);
    let e = open_err(doc(&end_only));
    assert!(e.contains("without a field begin"), "{e}");
    let regions = p(&fld(" MERGEFIELD TableStart:A ", ""));
    let e = open_err(doc(&regions));
    assert!(e.contains("region A") && e.contains("no TableEnd:A"), "{e}");
    let crossed = p(&(fld(" MERGEFIELD TableStart:A ", "")
        + &fld(" MERGEFIELD TableStart:B ", "")
        + &fld(" MERGEFIELD TableEnd:A ", "")));
    let e = open_err(doc(&crossed));
    assert!(e.contains("regions must nest"), "{e}");
}

#[test]
fn megabyte_instruction_is_refused() {
    let huge = format!(" MERGEFIELD {} ", "x".repeat(1 << 20));
    let e = open_err(doc(&p(&fld(&huge, ""))));
    assert!(
        e.contains("word/document.xml:1:") && e.contains("longer than"),
        "{e}"
    );
    let simple = p(&format!(r#"<w:fldSimple w:instr="{huge}"/>"#));
    let e = open_err(doc(&simple));
    assert!(e.contains("longer than"), "{e}");
}

#[test]
fn the_starter_template_merges_the_sample_invoice() {
    let t = Template::open(factuur::merge::starter::template()).unwrap();
    let json = std::fs::read(crate::repo("testdata/invoices/01-domestic-b2b.json")).unwrap();
    let inv = factuur::Invoice::from_json(&json).unwrap();
    let out = t.render(&inv, &MergeOptions::default()).unwrap();
    assert!(out.report.warnings.is_empty(), "{:?}", out.report.warnings);
    let body = text(&out.docx, "word/document.xml");
    for want in [
        "FACTUUR 2026-00017",
        "3 februari 2026",
        "Arbeid monteur",
        "Koffiebroodjes voor de ploeg",
        "218,75",
        "9 % over 25,80",
        "21 % over 453,40",
        "95,21",
        "576,73",
        "donderdag 5 maart 2026",
    ] {
        assert!(body.contains(want), "{want:?} missing in {body}");
    }
    assert!(text(&out.docx, "word/footer1.xml").contains("Btw-bon: GKS-2026-000417"));
    // Regions and row repeat leave exactly one row per line.
    assert_eq!(body.matches("HOOG").count(), 4);
}

/// The speed benchmark's template (benches/peer/template.docx): 10 fields in the body, one in
/// the header, and a table row that repeats per line (docx-mailmerge's style, so the Python
/// peer merges the very same file). `FACTUUR_BLESS=1` rewrites it.
pub fn bench_template() -> Vec<u8> {
    let nl = NL;
    let body = [
        p(&(fld(" MERGEFIELD INVOICE_NUMBER ", nl) + &fld(r#" MERGEFIELD INVOICE_DATE \@ "d MMMM yyyy" "#, nl))),
        p(&fld(" MERGEFIELD CUSTOMER_NAME ", nl)),
        p(&fld(" MERGEFIELD CUSTOMER_ADDRESS_LINE ", nl)),
        p(&(fld(" MERGEFIELD CUSTOMER_POSTCODE ", nl) + &fld(" MERGEFIELD CUSTOMER_CITY ", nl))),
        table(&[row(&[
            fld(" MERGEFIELD LINE_DESCRIPTION ", nl),
            fld(r##" MERGEFIELD LINE_QUANTITY \# "#.##0,00" "##, nl),
            fld(r##" MERGEFIELD LINE_PRICE \# "#.##0,00" "##, nl),
            fld(r##" MERGEFIELD LINE_NET_AMOUNT \# "#.##0,00" "##, nl),
        ])]),
        p(&fld(r##" MERGEFIELD TOTAL_EXCL_VAT \# "#.##0,00" "##, nl)),
        p(&fld(r##" MERGEFIELD TOTAL_VAT \# "#.##0,00" "##, nl)),
        p(&fld(r##" MERGEFIELD TOTAL_PAYABLE \# "#.##0,00" "##, nl)),
        p(&fld(" MERGEFIELD INVOICE_EXTERNAL_REFERENCE ", nl)),
        // Body text of a real invoice's size around the fields.
        (0..40)
            .map(|i| p(&format!(r#"<w:r><w:rPr><w:sz w:val="16"/></w:rPr><w:t>Algemene voorwaarden, artikel {i}: betaling binnen dertig dagen na factuurdatum; bij niet tijdige betaling is de wettelijke handelsrente verschuldigd.</w:t></w:r>"#)))
            .collect::<String>(),
    ]
    .concat();
    let header = format!(
        r#"<w:hdr xmlns:w="{W}">{}</w:hdr>"#,
        p(&fld(" MERGEFIELD SUPPLIER_NAME ", nl))
    );
    let styles = format!(
        r#"<w:styles xmlns:w="{W}"><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="nl-NL"/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>"#
    );
    docx(&[
        ("word/document.xml", document(&body)),
        ("word/header1.xml", header),
        ("word/styles.xml", styles),
        (
            "word/settings.xml",
            format!(r#"<w:settings xmlns:w="{W}"><w:defaultTabStop w:val="708"/></w:settings>"#),
        ),
    ])
}

#[test]
fn bench_template_is_current() {
    let path = crate::repo("benches/peer/template.docx");
    let now = bench_template();
    if std::env::var_os("FACTUUR_BLESS").is_some() {
        std::fs::write(&path, &now).unwrap();
    }
    let saved =
        std::fs::read(&path).expect("benches/peer/template.docx (FACTUUR_BLESS=1 writes it)");
    assert_eq!(
        saved, now,
        "stale: run FACTUUR_BLESS=1 cargo test --test it bench_template"
    );
    let data =
        Record::from_json(&std::fs::read(crate::repo("benches/peer/data.json")).unwrap()).unwrap();
    let out = Template::open(now)
        .unwrap()
        .render_data(&data, &MergeOptions::default())
        .unwrap();
    assert!(out.report.warnings.is_empty(), "{:?}", out.report.warnings);
    let body = text(&out.docx, "word/document.xml");
    assert_eq!(body.matches("Onderhoud").count(), 20, "{body}");
    assert!(
        body.contains("3 februari 2026") && body.contains("1.234,50"),
        "{body}"
    );
}

#[test]
fn fields_md_is_current() {
    let path = crate::repo("schemas/fields.md");
    let now = factuur::merge::catalogue::markdown();
    if std::env::var_os("FACTUUR_BLESS").is_some() {
        std::fs::write(&path, &now).unwrap();
    }
    let saved = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        saved, now,
        "schemas/fields.md is stale: FACTUUR_BLESS=1 cargo test --test it fields_md"
    );
}
