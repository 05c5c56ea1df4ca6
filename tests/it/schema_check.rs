//! The native UBL 2.1 structure check (`validate::ubl::schema`) against libxml2, whose verdict
//! it reproduces: the `xsd_ok` column of the 1,501 public documents, mutants of ~40 documents
//! judged by libxml2 itself (`tests/tools/xsd_check.py`, lxml), values of every data type, and
//! the generated tables regenerated from the XSDs.

use std::io::Write;
use std::process::{Command, Stdio};

use factuur::validate::ubl::schema;
use serde_json::Value;

use crate::repo;

/// factuur's `xsd_ok` equals the official one on every public document.
#[test]
fn xsd_verdicts_match_on_every_public_document() {
    let dir = repo("testdata/conformance/ubl");
    let text = std::fs::read_to_string(dir.join("expected.jsonl")).expect("expected.jsonl");
    let (mut total, mut valid, mut invalid, mut unparsed) = (0, 0, 0, 0);
    let mut differ = Vec::new();
    for line in text.lines() {
        let e: Value = serde_json::from_str(line).expect("a JSON line");
        let file = e["file"].as_str().expect("file");
        let want = e["xsd_ok"].as_bool().expect("xsd_ok");
        let bytes = std::fs::read(dir.join(file)).expect("document");
        total += 1;
        let (got, first) = match factuur::ubl::parse(&bytes) {
            Ok(doc) => {
                let errors = schema::check(&doc);
                (errors.is_empty(), errors.first().map(|e| e.to_string()))
            }
            Err(err) => {
                unparsed += 1;
                (false, Some(format!("not parsed: {err}")))
            }
        };
        if got {
            valid += 1;
        } else {
            invalid += 1;
        }
        if got != want {
            differ.push(format!(
                "{file}: official {want}, factuur {got} ({first:?})"
            ));
        }
    }
    println!(
        "xsd_ok: {} of {total} documents agree ({valid} valid, {invalid} invalid, {unparsed} not \
         parsed by factuur)",
        total - differ.len()
    );
    assert_eq!(total, 1501);
    assert!(
        differ.is_empty(),
        "{} documents differ:\n{}",
        differ.len(),
        differ.join("\n")
    );
}

/// Whether python3 with lxml is there (with `CI=true` its absence fails the test).
fn have_lxml() -> bool {
    crate::have_python_module("lxml")
}

/// libxml2's verdict on each document: `Some(xsd_ok)`, or `None` when lxml cannot parse it.
fn libxml2(docs: &[String]) -> Vec<Option<bool>> {
    let mut child = Command::new("python3")
        .arg(repo("tests/tools/xsd_check.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run xsd_check.py");
    let mut stdin = child.stdin.take().unwrap();
    let input: String = docs
        .iter()
        .enumerate()
        .map(|(k, xml)| serde_json::json!({"id": k, "xml": xml}).to_string() + "\n")
        .collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(
        out.status.success(),
        "xsd_check.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let verdicts: Vec<Option<bool>> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["xsd_ok"].as_bool()
        })
        .collect();
    assert_eq!(verdicts.len(), docs.len(), "one verdict per document");
    verdicts
}

/// factuur's verdict: `Some(no structure error)`, or `None` when it cannot parse the document.
fn native(xml: &str) -> Option<bool> {
    factuur::ubl::parse(xml.as_bytes())
        .ok()
        .map(|doc| schema::is_valid(&doc))
}

/// The generated tables are what the scripts make of the XSDs (and of libxml2's name checks).
#[test]
fn generated_tables_are_current() {
    if !have_lxml() {
        return;
    }
    for (script, file) in [
        (
            "tests/tools/gen_ubl_schema.py",
            "src/validate/ubl/schema/tables.rs",
        ),
        (
            "tests/tools/gen_xml_chars.py",
            "src/validate/ubl/schema/xml_chars.rs",
        ),
    ] {
        let out = Command::new("python3")
            .arg(repo(script))
            .arg("--stdout")
            .current_dir(repo(""))
            .output()
            .expect("run the generator");
        assert!(
            out.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let want = std::fs::read_to_string(repo(file)).unwrap();
        assert!(
            String::from_utf8(out.stdout).unwrap() == want,
            "{file} is not what {script} generates: run python3 {script}"
        );
    }
}

/// A small deterministic generator (xorshift), so the mutants are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Where an element is: its start tag, its whole span, its text when it is a leaf, its
/// qualified name, and whether it lies inside an extension.
#[derive(Debug, Clone)]
struct Span {
    tag: (usize, usize),
    whole: (usize, usize),
    text: Option<(usize, usize)>,
    qname: String,
    empty: bool,
    in_extension: bool,
}

/// An element whose end tag is still to come.
struct Open {
    start: usize,
    tag_end: usize,
    text: Option<(usize, usize)>,
    children: bool,
    qname: String,
    in_extension: bool,
}

fn spans(xml: &str) -> Vec<Span> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut open: Vec<Open> = Vec::new();
    let mut out = Vec::new();
    loop {
        let before = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let qname = e.name().into_inner().to_owned();
                let in_extension =
                    open.last().is_some_and(|o| o.in_extension) || qname.ends_with("UBLExtensions");
                if let Some(parent) = open.last_mut() {
                    parent.children = true;
                }
                open.push(Open {
                    start: before,
                    tag_end: reader.buffer_position() as usize,
                    text: None,
                    children: false,
                    qname,
                    in_extension,
                });
            }
            Ok(Event::Empty(e)) => {
                let qname = e.name().into_inner().to_owned();
                let in_extension = open.last().is_some_and(|o| o.in_extension);
                if let Some(parent) = open.last_mut() {
                    parent.children = true;
                }
                let end = reader.buffer_position() as usize;
                out.push(Span {
                    tag: (before, end),
                    whole: (before, end),
                    text: None,
                    qname,
                    empty: true,
                    in_extension,
                });
            }
            Ok(Event::Text(_)) => {
                if let Some(e) = open.last_mut()
                    && !e.children
                {
                    e.text = Some((before, reader.buffer_position() as usize));
                }
            }
            Ok(Event::End(_)) => {
                let o = open.pop().expect("balanced");
                out.push(Span {
                    tag: (o.start, o.tag_end),
                    whole: (o.start, reader.buffer_position() as usize),
                    text: if o.children {
                        None
                    } else {
                        Some(o.text.unwrap_or((o.tag_end, o.tag_end)))
                    },
                    qname: o.qname,
                    empty: false,
                    in_extension: o.in_extension,
                });
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    out
}

/// Values a mutation puts in a leaf or an attribute: numbers, dates, times, booleans, base64,
/// URIs and language codes, valid and not, and the odd cases of each.
const VALUES: &[&str] = &[
    "",
    " ",
    "0",
    "12.50",
    "12,50",
    " 12.5 ",
    "-1",
    "+.5",
    ".",
    "1e3",
    "99999999.99",
    "-0",
    "\u{a0}1",
    "2026-01-31",
    "2026-13-01",
    "2026-02-29",
    "2024-02-29",
    " 2026-01-01",
    "2026-01-01Z",
    "2026-01-01+14:00",
    "12:00:00",
    "24:00:00",
    " 10:15:00",
    "10:15",
    "true",
    "false",
    "1",
    "yes",
    "TRUE",
    "AAAA",
    "AAA=",
    "AB==",
    "3q2+7w==",
    "#a#b",
    "http://x y",
    "urn:x:y#z#w",
    "%zz",
    "nl",
    "nl-NL",
    "1nl",
    "EUR",
    "S",
    "380",
    "C62",
    "x",
    "a b",
    "VAT",
    "0088",
    "#signature",
    "signature",
];

/// Names a renamed element or attribute may get: UBL's own, in and out of place, and unknown.
const NAMES: &[&str] = &[
    "ID",
    "Note",
    "Name",
    "IssueDate",
    "Amount",
    "Party",
    "TaxTotal",
    "Foo",
    "Signature",
    "SignedInfo",
    "DigestValue",
    "Include",
    "currencyID",
    "schemeID",
    "listURI",
    "languageID",
    "Id",
    "URI",
    "Algorithm",
];

/// One mutation of `xml`: an element dropped, doubled, emptied, given another value, moved,
/// renamed, or an attribute dropped, changed, added or renamed; text or a child put where it
/// does not belong.
fn mutate(xml: &str, rng: &mut Rng, prefer_extension: bool) -> String {
    let all = spans(xml);
    let mut candidates: Vec<&Span> = all
        .iter()
        .filter(|s| s.whole.0 > 0 && s.whole.1 < xml.len())
        .collect();
    if prefer_extension && rng.below(2) == 0 {
        let inside: Vec<&Span> = candidates
            .iter()
            .copied()
            .filter(|s| s.in_extension)
            .collect();
        if !inside.is_empty() {
            candidates = inside;
        }
    }
    if candidates.is_empty() {
        return xml.to_owned();
    }
    let s = (*rng.pick(&candidates)).clone();
    let value = *rng.pick(VALUES);
    let (a, b) = s.whole;
    let tag = &xml[s.tag.0..s.tag.1];
    match rng.below(12) {
        0 => format!("{}{}", &xml[..a], &xml[b..]),
        1 => format!("{}{}{}", &xml[..b], &xml[a..b], &xml[b..]),
        2 | 3 => match s.text {
            Some((x, y)) => {
                let v = if rng.below(3) == 0 { "" } else { value };
                format!("{}{}{}", &xml[..x], escape(v), &xml[y..])
            }
            None => xml.to_owned(),
        },
        4 => {
            // Swap with the next sibling, when there is one right after.
            match all
                .iter()
                .find(|t| t.whole.0 >= b && xml[b..t.whole.0].trim().is_empty())
            {
                Some(n) if n.whole.0 < xml.len() => format!(
                    "{}{}{}{}{}",
                    &xml[..a],
                    &xml[n.whole.0..n.whole.1],
                    &xml[b..n.whole.0],
                    &xml[a..b],
                    &xml[n.whole.1..]
                ),
                _ => xml.to_owned(),
            }
        }
        5 => {
            // Rename: keep the prefix, change the local name (start and end tag).
            let prefix = s.qname.rsplit_once(':').map_or("", |p| p.0);
            let new = if prefix.is_empty() {
                rng.pick(NAMES).to_string()
            } else {
                format!("{prefix}:{}", rng.pick(NAMES))
            };
            rename(xml, &s, &new)
        }
        6 => {
            // Another prefix: the same name in another namespace.
            let local = s.qname.rsplit_once(':').map_or(s.qname.as_str(), |p| p.1);
            let prefix = rng.pick(&["cbc", "cac", "ext", "ds", "xades", "sac"]);
            let ns = match *prefix {
                "cbc" => "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
                "cac" => "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
                "ext" => "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
                "ds" => "http://www.w3.org/2000/09/xmldsig#",
                "xades" => "http://uri.etsi.org/01903/v1.3.2#",
                _ => "urn:oasis:names:specification:ubl:schema:xsd:SignatureAggregateComponents-2",
            };
            let renamed = rename(xml, &s, &format!("m:{local}"));
            // Declare the prefix on the element itself.
            let at = s.tag.0 + 1 + "m:".len() + local.len();
            format!("{} xmlns:m=\"{ns}\"{}", &renamed[..at], &renamed[at..])
        }
        7 | 8 => {
            // An attribute: dropped, given another value, or renamed.
            let attrs = attributes(tag);
            if attrs.is_empty() {
                return xml.to_owned();
            }
            let (name, (x, y)) = rng.pick(&attrs).clone();
            let (x, y) = (s.tag.0 + x, s.tag.0 + y);
            match rng.below(3) {
                0 => {
                    let start = s.tag.0 + tag.find(&format!(" {name}=")).unwrap_or(0);
                    format!("{}{}", &xml[..start], &xml[y + 1..])
                }
                1 => format!("{}{}{}", &xml[..x], escape(value), &xml[y..]),
                _ => {
                    let start = s.tag.0 + tag.find(&format!(" {name}=")).unwrap_or(0) + 1;
                    let new = rng.pick(NAMES);
                    if attrs.iter().any(|(n, _)| n == new) {
                        return xml.to_owned();
                    }
                    format!("{}{new}{}", &xml[..start], &xml[start + name.len()..])
                }
            }
        }
        9 => {
            // A new attribute.
            let name = *rng.pick(&[
                "currencyID",
                "schemeID",
                "listURI",
                "languageID",
                "foo",
                "xml:lang",
                "xsi:nil",
                "xsi:type",
                "Id",
                "xsi:schemaLocation",
                "unitCode",
                "mimeCode",
                "Algorithm",
            ]);
            let (name, decl) = match name {
                n if n.starts_with("xsi:") => (
                    n,
                    " xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"",
                ),
                n => (n, ""),
            };
            if attributes(tag).iter().any(|(n, _)| n == name)
                || tag.contains("xmlns:xsi") && !decl.is_empty()
            {
                return xml.to_owned();
            }
            let value = if name == "xsi:type" {
                *rng.pick(&["cbc:IDType", "cbc:NoteType", "xs:string", "ds:CryptoBinary"])
            } else {
                value
            };
            let end = if s.empty { s.tag.1 - 2 } else { s.tag.1 - 1 };
            format!(
                "{}{decl} {name}=\"{}\"{}",
                &xml[..end],
                escape(value),
                &xml[end..]
            )
        }
        10 => {
            // Text where it may not belong: after the start tag.
            let v = *rng.pick(&["x", " ", "\u{a0}", "&#32;", "<![CDATA[ ]]>"]);
            if s.empty {
                return xml.to_owned();
            }
            format!("{}{v}{}", &xml[..s.tag.1], &xml[s.tag.1..])
        }
        _ => {
            // A child inside: into a leaf, or a comment (which changes nothing).
            if s.empty {
                return xml.to_owned();
            }
            let v = *rng.pick(&["<cbc:Note>x</cbc:Note>", "<!-- c -->", "<cac:Party/>"]);
            format!("{}{v}{}", &xml[..s.tag.1], &xml[s.tag.1..])
        }
    }
}

/// The element renamed to `new` in its start and end tags.
fn rename(xml: &str, s: &Span, new: &str) -> String {
    let (a, b) = s.whole;
    let name_end = s.tag.0 + 1 + s.qname.len();
    if s.empty {
        format!("{}<{new}{}", &xml[..a], &xml[name_end..])
    } else {
        let end_tag = b - s.qname.len() - 3;
        format!(
            "{}<{new}{}</{new}>{}",
            &xml[..a],
            &xml[name_end..end_tag],
            &xml[b..]
        )
    }
}

/// The attributes of a start tag: name, and the span of the value (relative to the tag).
fn attributes(tag: &str) -> Vec<(String, (usize, usize))> {
    let mut out = Vec::new();
    let bytes = tag.as_bytes();
    let mut k = 0;
    while let Some(eq) = tag[k..].find("=\"").map(|e| e + k) {
        let name_start = tag[..eq].rfind(' ').map_or(eq, |s| s + 1);
        let name = &tag[name_start..eq];
        let v0 = eq + 2;
        let v1 = tag[v0..].find('"').map_or(tag.len(), |e| e + v0);
        if !name.starts_with("xmlns") && bytes.get(name_start.wrapping_sub(1)) == Some(&b' ') {
            out.push((name.to_owned(), (v0, v1)));
        }
        k = v1 + 1;
        if k >= tag.len() {
            break;
        }
    }
    out
}

fn escape(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The ~40 documents the mutants start from: factuur's own samples in both profiles, a few
/// of them carrying a signature and a foreign extension, and public examples.
fn bases() -> Vec<(String, bool)> {
    let extensions = std::fs::read_to_string(repo("testdata/schema/extensions.xml")).unwrap();
    let mut bases = Vec::new();
    for (k, f) in crate::sample_files().into_iter().enumerate() {
        let inv = factuur::Invoice::from_json(&std::fs::read(&f).unwrap()).unwrap();
        for profile in [factuur::ubl::Profile::Nlcius, factuur::ubl::Profile::Peppol] {
            let xml = String::from_utf8(factuur::ubl::to_xml(&inv, profile).unwrap()).unwrap();
            bases.push((xml.clone(), false));
            if k % 4 == 0 && profile == factuur::ubl::Profile::Nlcius {
                // After the root's start tag: extensions come first.
                let root = xml
                    .find("<Invoice")
                    .or_else(|| xml.find("<CreditNote"))
                    .unwrap();
                let at = root + xml[root..].find('>').unwrap() + 1;
                bases.push((format!("{}{extensions}{}", &xml[..at], &xml[at..]), true));
            }
        }
    }
    for name in [
        "cen-examples/ubl-tc434-example1.xml",
        "cen-examples/ubl-tc434-example2.xml",
        "cen-examples/sample-discount-price.xml",
        "peppol-examples/Allowance-example.xml",
        "peppol-examples/base-creditnote-correction.xml",
        "peppol-examples/vat-category-E.xml",
    ] {
        let path = repo("testdata/conformance/ubl").join(name);
        let xml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        bases.push((xml, false));
    }
    bases
}

/// Mutants of ~40 documents: libxml2 and the native check give the same verdict on each.
#[test]
fn mutants_are_judged_as_libxml2_judges_them() {
    if !have_lxml() {
        return;
    }
    let bases = bases();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut docs = Vec::new();
    for (xml, signed) in &bases {
        docs.push(xml.clone());
        for _ in 0..30 {
            let mut m = xml.clone();
            for _ in 0..=rng.below(3) {
                m = mutate(&m, &mut rng, *signed);
            }
            docs.push(m);
        }
    }
    let official = libxml2(&docs);
    let (mut valid, mut invalid, mut unparsed) = (0, 0, 0);
    let mut differ = Vec::new();
    for (k, (xml, want)) in docs.iter().zip(&official).enumerate() {
        let got = native(xml);
        match want {
            Some(true) => valid += 1,
            Some(false) => invalid += 1,
            None => unparsed += 1,
        }
        if got != *want {
            let errors = factuur::ubl::parse(xml.as_bytes())
                .map(|d| {
                    schema::check(&d)
                        .into_iter()
                        .take(3)
                        .map(|e| e.to_string())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
            let dump = crate::scratch("schema-mutants").join(format!("differ-{k}.xml"));
            std::fs::write(&dump, xml).unwrap();
            differ.push(format!(
                "{}: libxml2 {want:?}, factuur {got:?} {errors:?}",
                dump.display()
            ));
        }
    }
    println!(
        "{} mutants of {} documents: {} agree ({valid} valid, {invalid} invalid, {unparsed} not \
         well-formed for libxml2)",
        docs.len(),
        bases.len(),
        docs.len() - differ.len()
    );
    assert!(docs.len() > 1000);
    assert!(valid > 100 && invalid > 500, "the mutants should be mixed");
    assert!(
        differ.is_empty(),
        "{} of {} mutants differ:\n{}",
        differ.len(),
        docs.len(),
        differ[..differ.len().min(15)].join("\n")
    );
}

/// Where a value goes: a document with `{}` for it, and whether it is an attribute value.
struct Slot {
    name: &'static str,
    template: String,
    family: Family,
}

#[derive(Clone, Copy, PartialEq)]
enum Family {
    Decimal,
    Date,
    Time,
    DateTime,
    Boolean,
    Base64,
    Uri,
    Language,
    Integer,
    Name,
    Duration,
    Misc,
}

fn slots() -> Vec<Slot> {
    let head = "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" \
        xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\" \
        xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\" \
        xmlns:ext=\"urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2\" \
        xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
        xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" \
        xmlns:xades=\"http://uri.etsi.org/01903/v1.3.2#\">";
    let doc = |ext: &str, header: &str, total: &str| {
        format!(
            "{head}{ext}<cbc:ID>1</cbc:ID>{header}<cac:AccountingSupplierParty/>\
             <cac:AccountingCustomerParty/><cac:LegalMonetaryTotal>{total}</cac:LegalMonetaryTotal>\
             <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:LineExtensionAmount currencyID=\"EUR\">1\
             </cbc:LineExtensionAmount><cac:Item/></cac:InvoiceLine></Invoice>"
        )
    };
    let date = "<cbc:IssueDate>2026-01-31</cbc:IssueDate>";
    let total = "<cbc:PayableAmount currencyID=\"EUR\">1</cbc:PayableAmount>";
    let mut out = vec![
        Slot {
            name: "cbc:PayableAmount",
            template: doc(
                "",
                date,
                "<cbc:PayableAmount currencyID=\"EUR\">{}</cbc:PayableAmount>",
            ),
            family: Family::Decimal,
        },
        Slot {
            name: "cbc:IssueDate",
            template: doc("", "<cbc:IssueDate>{}</cbc:IssueDate>", total),
            family: Family::Date,
        },
        Slot {
            name: "cbc:IssueTime",
            template: doc(
                "",
                &format!("{date}<cbc:IssueTime>{{}}</cbc:IssueTime>"),
                total,
            ),
            family: Family::Time,
        },
        Slot {
            name: "cbc:CopyIndicator",
            template: doc(
                "",
                &format!("<cbc:CopyIndicator>{{}}</cbc:CopyIndicator>{date}"),
                total,
            ),
            family: Family::Boolean,
        },
        Slot {
            name: "cbc:EmbeddedDocumentBinaryObject",
            template: doc(
                "",
                &format!(
                    "{date}<cac:AdditionalDocumentReference><cbc:ID>a</cbc:ID><cac:Attachment>\
                     <cbc:EmbeddedDocumentBinaryObject mimeCode=\"application/pdf\">{{}}\
                     </cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>"
                ),
                total,
            ),
            family: Family::Base64,
        },
        Slot {
            name: "@listURI",
            template: doc(
                "",
                &format!("{date}<cbc:InvoiceTypeCode listURI=\"{{}}\">380</cbc:InvoiceTypeCode>"),
                total,
            ),
            family: Family::Uri,
        },
        Slot {
            name: "@languageID",
            template: doc(
                "",
                &format!("{date}<cbc:Note languageID=\"{{}}\">x</cbc:Note>"),
                total,
            ),
            family: Family::Language,
        },
    ];
    // Every built-in type through xsi:type on an extension's foreign element.
    for (ty, family) in [
        ("xs:decimal", Family::Decimal),
        ("xs:integer", Family::Integer),
        ("xs:long", Family::Integer),
        ("xs:int", Family::Integer),
        ("xs:unsignedByte", Family::Integer),
        ("xs:positiveInteger", Family::Integer),
        ("xs:nonPositiveInteger", Family::Integer),
        ("xs:negativeInteger", Family::Integer),
        ("xs:nonNegativeInteger", Family::Integer),
        ("xs:date", Family::Date),
        ("xs:gYear", Family::Date),
        ("xs:gYearMonth", Family::Date),
        ("xs:gMonth", Family::Date),
        ("xs:gMonthDay", Family::Date),
        ("xs:gDay", Family::Date),
        ("xs:time", Family::Time),
        ("xs:dateTime", Family::DateTime),
        ("xs:boolean", Family::Boolean),
        ("xs:base64Binary", Family::Base64),
        ("xs:hexBinary", Family::Base64),
        ("xs:anyURI", Family::Uri),
        ("xs:language", Family::Language),
        ("xs:NCName", Family::Name),
        ("xs:ID", Family::Name),
        ("xs:Name", Family::Name),
        ("xs:NMTOKEN", Family::Name),
        ("xs:NMTOKENS", Family::Name),
        ("xs:IDREFS", Family::Name),
        ("xs:duration", Family::Duration),
        ("xs:float", Family::Decimal),
        ("xs:double", Family::Decimal),
        ("xades:QualifierType", Family::Misc),
        ("xs:token", Family::Misc),
    ] {
        out.push(Slot {
            name: ty,
            template: doc(
                &format!(
                    "<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent>\
                     <f:v xmlns:f=\"urn:f\" xsi:type=\"{ty}\">{{}}</f:v>\
                     </ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>"
                ),
                date,
                total,
            ),
            family,
        });
    }
    out
}

/// Values of a family: its edge cases, then random strings over its characters and random
/// edits of valid values.
fn values(family: Family, rng: &mut Rng) -> Vec<String> {
    let (fixed, alphabet): (&[&str], &str) = match family {
        Family::Decimal => (
            &[
                "0",
                "12.50",
                "-1",
                "+.5",
                ".",
                "5.",
                "-.5",
                "00.",
                "12,50",
                "",
                " ",
                " 12.5 ",
                "1e3",
                "1E-3",
                "1e",
                "INF",
                "-INF",
                "NaN",
                "NaN ",
                "+INF",
                "1 2",
                "\u{a0}12",
                "1.2.3",
                "--1",
                "99999999999999999999999999999.99999999999999999999",
            ],
            "0123456789.+-eE \tINFa",
        ),
        Family::Integer => (
            &[
                "0",
                "-0",
                "+0",
                "1",
                "-1",
                " 12 ",
                "1.0",
                "127",
                "128",
                "-128",
                "-129",
                "255",
                "256",
                "2147483647",
                "2147483648",
                "-2147483648",
                "-2147483649",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775808",
                "-9223372036854775809",
                "99999999999999999999999999999999999999999",
                "",
            ],
            "0123456789+- ",
        ),
        Family::Date => (
            &[
                "2026-01-31",
                "2026-13-01",
                "2026-02-29",
                "2024-02-29",
                "1900-02-29",
                "2000-02-29",
                "0000-01-01",
                "-0001-01-01",
                "-0004-02-29",
                "10000-01-01",
                "01000-01-01",
                "999-01-01",
                "2026-1-01",
                "2026-01-01Z",
                "2026-01-01+14:00",
                "2026-01-01+14:01",
                "2026-01-01-14:00",
                "2026-01-01+24:00",
                " 2026-01-01",
                "2026-01-01 ",
                "2026",
                "2026-01",
                "--01",
                "--01-31",
                "--02-29",
                "---31",
                "---32",
                "--13",
                "--01Z",
                "2026Z",
                "2026-01-01T00:00:00",
                "12:00:00",
                "9223372036854775807-01-01",
                "9223372036854775808-01-01",
            ],
            "0123456789-:TZ+ ",
        ),
        Family::Time => (
            &[
                "12:00:00",
                "24:00:00",
                "24:00:01",
                "23:59:60",
                "23:59:59.999",
                "23:59:59.99999999999999999999",
                "12:00:00.",
                "12:00:00.5Z",
                "12:00:00+01:00",
                "12:00",
                " 12:00:00",
                "12:00:00 ",
                "\n12:00:00",
                "-12:00:00",
                "12:60:00",
                "12:00:00-14:00",
                "12:00:00+14:01",
                "1:00:00",
            ],
            "0123456789:.Z+- ",
        ),
        Family::DateTime => (
            &[
                "2026-01-01T12:00:00",
                " 2026-01-01T12:00:00",
                "2026-01-01T12:00:00 ",
                "2026-01-01T12:00:00Z ",
                "2026-01-01T24:00:00",
                "2026-01-01T12:00",
                "2026-01-01 12:00:00",
                "2026-02-30T12:00:00",
                "2026-01-01T12:00:00.5+01:00",
                "2026-01-01T23:59:59.9999999999999999999",
            ],
            "0123456789-:.TZ+ ",
        ),
        Family::Boolean => (
            &[
                "true", "false", "1", "0", " true", "true ", "TRUE", "yes", "", "01", "\ttrue\n",
                "t",
            ],
            "truefals01 ",
        ),
        Family::Base64 => (
            &[
                "",
                "AAAA",
                "AAA=",
                "AA==",
                "A===",
                "AAA",
                "AB==",
                "AAE=",
                "AAB=",
                "AA!A",
                "A A A A",
                "AAAA=",
                "=AAAA",
                "AA=A",
                "AA= =",
                "\u{e9}AAAA",
                "3q2+7w==",
                "00",
                "0",
                "0g",
                "ab cd",
                " ab ",
            ],
            "AZaz09+/= !\u{e9}",
        ),
        Family::Uri => (
            &[
                "",
                " ",
                "a b",
                "#a#b",
                "%zz",
                "%2",
                "%20",
                "http://[::1]/",
                "http://[::1/",
                "a:b:c",
                "::",
                "?",
                "#",
                "[",
                "]",
                "a[b]",
                "http://x:99999999999/",
                "http://x:port/",
                "http://x:/",
                "1a:b",
                "a#b?c",
                "//a/b?c#d",
                "mailto:x@y",
                "urn:x:y#z#w",
                ":",
                "a:",
                "http://a@b@c/",
                "http://x/%",
                "http://x/%41",
                "http://1.2.3.4/",
                "http://1.2.3.4x/",
                "http://256.1.1.1/",
                "{",
                "a|b",
                "\u{e9}",
            ],
            "ab:/?#[]@!$&'()*+,;=%1F .-_~",
        ),
        Family::Language => (
            &[
                "nl",
                "nl-NL",
                "en-1",
                "1en",
                "a-",
                "-a",
                "abcdefghi",
                "abcdefgh-12345678",
                "x-123456789",
                " nl ",
                "nl nl",
                "",
                " ",
            ],
            "azAZ09- ",
        ),
        Family::Name => (
            &[
                "a",
                "_a",
                "1a",
                "a:b",
                ":a",
                "a b",
                " a ",
                "a\u{b7}b",
                "\u{b7}a",
                "a\u{2070}",
                "\u{e9}t\u{e9}",
                "\u{4e00}",
                "\u{10000}a",
                "a\u{300}",
                "\u{300}a",
                "a\u{203f}",
                "",
                "a-b.c",
                "-a",
                ".a",
                "a b c",
            ],
            "aZ_-.:1 \u{b7}\u{e9}\u{300}",
        ),
        Family::Duration => (
            &[
                "P1Y",
                "P1Y2M3DT4H5M6S",
                "-P1D",
                "P",
                "PT",
                "P1DT",
                "P1M1Y",
                "PT1.5S",
                "P1.5Y",
                "PT36H",
                " P1D",
                "P1D ",
                "P-1D",
                "P1D2",
                "P9223372036854775807D",
                "P9223372036854775808D",
                "P768614336404564651Y",
                "PT9223372036854775807H",
                "P9223372036854775807DT24H",
                "PT.5S",
                "PT5.S",
                "",
            ],
            "P0123456789YMDTHS.- ",
        ),
        Family::Misc => (
            &[
                "OIDAsURI",
                "OIDAsURN",
                " OIDAsURI",
                "oid",
                "",
                "a  b",
                " a ",
            ],
            "OIDAsURN \t",
        ),
    };
    let mut out: Vec<String> = fixed.iter().map(|s| s.to_string()).collect();
    let chars: Vec<char> = alphabet.chars().collect();
    for _ in 0..40 {
        let len = rng.below(14);
        out.push((0..len).map(|_| *rng.pick(&chars)).collect());
    }
    for _ in 0..60 {
        let mut v: Vec<char> = rng.pick(fixed).chars().collect();
        for _ in 0..=rng.below(2) {
            let at = rng.below(v.len() + 1);
            match rng.below(3) {
                0 if at < v.len() => {
                    v.remove(at);
                }
                1 if at < v.len() => v[at] = *rng.pick(&chars),
                _ => v.insert(at, *rng.pick(&chars)),
            }
        }
        out.push(v.into_iter().collect());
    }
    out
}

/// Values of every data type, in element text and attributes, valid and not: libxml2 and
/// the native check agree on each.
#[test]
fn values_are_judged_as_libxml2_judges_them() {
    if !have_lxml() {
        return;
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut docs = Vec::new();
    let mut labels = Vec::new();
    for slot in slots() {
        for v in values(slot.family, &mut rng) {
            docs.push(slot.template.replacen("{}", &escape(&v), 1));
            labels.push(format!("{} {v:?}", slot.name));
        }
    }
    let official = libxml2(&docs);
    let mut differ = Vec::new();
    let mut valid = 0;
    for ((xml, want), label) in docs.iter().zip(&official).zip(&labels) {
        let got = native(xml);
        valid += usize::from(*want == Some(true));
        if got != *want {
            differ.push(format!("{label}: libxml2 {want:?}, factuur {got:?}"));
        }
    }
    println!(
        "{} values in {} places: {} agree ({valid} valid for libxml2)",
        docs.len(),
        slots().len(),
        docs.len() - differ.len()
    );
    assert!(
        differ.is_empty(),
        "{} of {} values differ:\n{}",
        differ.len(),
        docs.len(),
        differ[..differ.len().min(40)].join("\n")
    );
}
