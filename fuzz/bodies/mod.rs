//! The bodies of the fuzz targets, shared by the libFuzzer targets (`cargo +nightly fuzz run`)
//! and by the stable replay of the saved corpus in the integration tests.

use arbitrary::{Arbitrary, Unstructured};
use factuur::Invoice;
use factuur::model::{DocumentAdjustment, Line, VatCategory, VatCodeTable};
use factuur::ubl::{self, Profile, UblError};
use factuur::validate::check;
use rust_decimal::Decimal;

/// Arbitrary bytes as invoice JSON: parsing never panics; what parses can be checked, totalled,
/// and written back to JSON that reads as the same invoice.
pub fn json_invoice(data: &[u8]) {
    let Ok(invoice) = Invoice::from_json(data) else {
        return;
    };
    let table = VatCodeTable::dutch_default();
    let _ = check::check(&invoice, &table);
    let _ = invoice.totals_with(&table);
    let again = Invoice::from_json(&invoice.to_json()).expect("own JSON must read back");
    assert_eq!(again, invoice, "JSON round trip changed the invoice");
}

/// Arbitrary bytes as a UBL document: reading never panics, and what reads can be written and
/// read again to the same invoice.
pub fn ubl_read(data: &[u8]) {
    let Ok(invoice) = ubl::from_xml(data) else {
        return;
    };
    let xml = match ubl::to_xml(&invoice, Profile::Peppol) {
        Ok(xml) => xml,
        // Totals can be impossible (overflow, unknown category): an error, not a panic.
        Err(UblError::Totals(_) | UblError::InvalidCharacter { .. } | UblError::Missing { .. }) => {
            return;
        }
        Err(e) => panic!("writing a read invoice failed: {e}"),
    };
    let again = ubl::from_xml(&xml).expect("own UBL must read back");
    let xml2 = ubl::to_xml(&again, Profile::Peppol).expect("and write again");
    assert_eq!(xml, xml2, "UBL round trip is not stable");
}

/// Arbitrary bytes through the official rules, every set (EN 16931, SI-UBL 2.0, Peppol BIS 3):
/// whatever parses is validated without a panic, twice with the same findings, each located at
/// a node of the document; where factuur says the official rules cannot evaluate a value, that
/// is fatal and shows the value.
pub fn ubl_rules(data: &[u8]) {
    use factuur::validate::ubl::{RuleSet, own_ids, validate_with};
    let Ok(doc) = ubl::parse(data) else {
        return;
    };
    let sets = [RuleSet::En16931, RuleSet::Nlcius, RuleSet::Peppol];
    let first = validate_with(&doc, &sets);
    let again = validate_with(&doc, &sets);
    assert_eq!(first, again, "validation is not deterministic");
    for f in &first.findings {
        assert!(
            f.location.path.starts_with('/') && f.location.source.is_some(),
            "{} has no node: {:?}",
            f.rule,
            f.location
        );
        if own_ids(RuleSet::Peppol).contains(&f.rule) {
            assert!(
                f.severity == factuur::Severity::Fatal && f.value.is_some(),
                "{f:?}"
            );
        }
    }
}

/// Arbitrary bytes through the UBL 2.1 structure check: what parses is checked without a panic,
/// twice with the same errors, each placed inside the document. Bytes that do not parse drive
/// the event-level validator directly: any sequence of start tags (UBL, signature and foreign
/// names, xsi attributes), text and end tags, balanced or not.
pub fn ubl_schema(data: &[u8]) {
    use factuur::validate::ubl::schema;
    let Ok(doc) = ubl::parse(data) else {
        schema_events(data);
        return;
    };
    let first = schema::check(&doc);
    let again = schema::check(&doc);
    assert_eq!(first, again, "the structure check is not deterministic");
    assert_eq!(schema::is_valid(&doc), first.is_empty());
    let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
    for e in &first {
        assert!(
            e.line >= 1 && e.line <= lines && e.column >= 1 && e.path.starts_with('/'),
            "{e:?} is not placed in the document"
        );
        assert!(!e.message.is_empty());
    }
}

struct Prefixes;

impl factuur::validate::ubl::schema::NamespaceScope for Prefixes {
    fn namespace_of(&self, prefix: &str) -> Option<&str> {
        match prefix {
            "cbc" => Some("urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"),
            "xs" => Some("http://www.w3.org/2001/XMLSchema"),
            "ds" => Some("http://www.w3.org/2000/09/xmldsig#"),
            "" => Some(""),
            _ => None,
        }
    }
}

fn schema_events(data: &[u8]) {
    use factuur::validate::ubl::schema::{Attribute, Validator};
    const URIS: &[&str] = &[
        "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
        "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
        "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
        "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
        "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
        "urn:oasis:names:specification:ubl:schema:xsd:CommonSignatureComponents-2",
        "urn:oasis:names:specification:ubl:schema:xsd:SignatureAggregateComponents-2",
        "http://www.w3.org/2000/09/xmldsig#",
        "http://uri.etsi.org/01903/v1.3.2#",
        "",
        "urn:example",
    ];
    const NAMES: &[&str] = &[
        "Invoice",
        "CreditNote",
        "ID",
        "IssueDate",
        "IssueTime",
        "CopyIndicator",
        "Note",
        "AccountingSupplierParty",
        "Party",
        "LegalMonetaryTotal",
        "PayableAmount",
        "InvoiceLine",
        "Item",
        "UBLExtensions",
        "UBLExtension",
        "ExtensionContent",
        "UBLDocumentSignatures",
        "SignatureInformation",
        "Signature",
        "SignedInfo",
        "KeyInfo",
        "X509Data",
        "Object",
        "QualifyingProperties",
        "Include",
        "Any",
        "Foo",
    ];
    const ATTRS: &[(&str, &str)] = &[
        ("", "currencyID"),
        ("", "schemeID"),
        ("", "Id"),
        ("", "Algorithm"),
        ("", "listURI"),
        ("http://www.w3.org/2001/XMLSchema-instance", "type"),
        ("http://www.w3.org/2001/XMLSchema-instance", "nil"),
        ("http://www.w3.org/XML/1998/namespace", "lang"),
    ];
    let run = |data: &[u8]| {
        let mut u = Unstructured::new(data);
        let mut v = Validator::new();
        let mut position = 0u32;
        while !u.is_empty() {
            let op = u8::arbitrary(&mut u).unwrap_or(0);
            position += 1;
            match op % 4 {
                0 | 1 => {
                    let uri = URIS[usize::from(op / 4) % URIS.len()];
                    let name = match u8::arbitrary(&mut u) {
                        Ok(k) if usize::from(k) < NAMES.len() * 8 => {
                            NAMES[usize::from(k) % NAMES.len()]
                        }
                        _ => "Bar",
                    };
                    let n = u8::arbitrary(&mut u).unwrap_or(0) % 3;
                    let mut attrs = Vec::new();
                    for _ in 0..n {
                        let (namespace, name) =
                            ATTRS[usize::from(u8::arbitrary(&mut u).unwrap_or(0)) % ATTRS.len()];
                        let value = <&str>::arbitrary(&mut u).unwrap_or("");
                        attrs.push(Attribute {
                            namespace,
                            name,
                            value,
                        });
                    }
                    v.start_element(uri, name, attrs, position, &Prefixes);
                }
                2 => v.text(<&str>::arbitrary(&mut u).unwrap_or("")),
                _ => v.end_element(),
            }
        }
        v.finish()
    };
    assert_eq!(
        run(data),
        run(data),
        "the event validator is not deterministic"
    );
}

fn decimal(u: &mut Unstructured<'_>, max_scale: u32) -> arbitrary::Result<Decimal> {
    let mantissa = i64::arbitrary(u)? % 10_000_000_000;
    let scale = u32::arbitrary(u)? % (max_scale + 1);
    Ok(Decimal::new(mantissa, scale))
}

fn text(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let s = String::arbitrary(u)?;
    Ok(s.chars().take(40).collect())
}

/// An invoice built from fuzz bytes on top of a sample: arbitrary texts (including characters
/// XML cannot carry), quantities, prices, VAT categories, allowances and charges. Written as UBL
/// it must read back with the same totals, or be refused with an error.
pub fn ubl_model(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let _ = build_and_round_trip(&mut u);
}

fn build_and_round_trip(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    let base = include_bytes!("../../testdata/invoices/08-allowances-charges.json");
    let mut inv = Invoice::from_json(base).expect("sample");
    inv.number = text(u)?;
    inv.notes = vec![text(u)?];
    inv.supplier.name = text(u)?;
    let template = inv.lines[0].clone();
    let n = u.int_in_range(1..=12)?;
    inv.lines = (0..n)
        .map(|i| -> arbitrary::Result<Line> {
            let mut l = template.clone();
            l.id = format!("{}", i + 1);
            l.item.name = text(u)?;
            l.quantity = decimal(u, 4)?;
            l.price = decimal(u, 4)?.abs();
            l.vat.code = None;
            l.vat.category = Some(*u.choose(&VatCategory::ALL)?);
            l.vat.percentage = Some(decimal(u, 2)?.abs() % Decimal::ONE_HUNDRED);
            l.allowances.truncate(usize::from(u8::arbitrary(u)? % 2));
            l.charges.clear();
            Ok(l)
        })
        .collect::<arbitrary::Result<_>>()?;
    for list in [&mut inv.allowances, &mut inv.charges] {
        for a in list.iter_mut() {
            *a = DocumentAdjustment {
                amount: Some(decimal(u, 2)?.abs()),
                ..a.clone()
            };
        }
    }
    inv.prepaid_amount = Some(decimal(u, 2)?);
    for profile in [Profile::Nlcius, Profile::Peppol] {
        let xml = match ubl::to_xml(&inv, profile) {
            Ok(x) => x,
            Err(
                UblError::InvalidCharacter { .. } | UblError::Totals(_) | UblError::Missing { .. },
            ) => continue,
            Err(e) => panic!("unexpected write error: {e}"),
        };
        let back = ubl::from_xml(&xml).expect("own UBL must read back");
        assert_eq!(
            back.totals().expect("totals").payable,
            inv.totals().expect("totals").payable,
            "amount due changed in the round trip"
        );
        assert_eq!(back.lines.len(), inv.lines.len());
    }
    Ok(())
}

/// Arbitrary text as a field instruction, whole and cut into typed and nested pieces: parsing
/// never panics, and an instruction cut anywhere between typed pieces parses the same.
pub fn field_code(data: &[u8]) {
    use factuur::merge::field::{parse, parse_pieces};
    let Some((&cut, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let whole = parse(text);
    let mut at = (cut as usize) % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let (a, b) = text.split_at(at);
    let pieces = parse_pieces(&[(a, false), (b, false)]);
    assert_eq!(whole, pieces, "cutting typed text changed the parse");
    // A nested result in the middle never breaks the parser.
    let _ = parse_pieces(&[(a, false), (b, true), (a, false)]);
}

/// Arbitrary bytes as a Word template: a zip (when it starts with `PK`) or the XML of
/// `word/document.xml`. Opening and merging never panic; what merges opens again as a template
/// (balanced fields, valid XML) and merges again.
pub fn docx(data: &[u8]) {
    use factuur::merge::{MergeOptions, Record, Template, Value};
    use std::io::Write;
    let bytes = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let o = zip::write::SimpleFileOptions::default();
        w.start_file("word/document.xml", o).unwrap();
        w.write_all(data).unwrap();
        w.finish().unwrap().into_inner()
    };
    let Ok(t) = Template::open(bytes) else {
        return;
    };
    let mut record = Record::new();
    let mut item = Record::new();
    for f in t.fields() {
        if let Some(n) = f.name {
            match factuur::merge::field::marker(&n) {
                Some((_, region)) => record.insert(region, Value::List(vec![Record::new(); 2])),
                None => {
                    item.insert(n.clone(), "1");
                    record.insert(n, "1");
                }
            }
        }
    }
    for keep_fields in [false, true] {
        let options = MergeOptions {
            keep_fields,
            ..MergeOptions::default()
        };
        if let Ok(merged) = t.render_data(&record, &options) {
            let again = Template::open(merged.docx).expect("merged output must open again");
            let _ = again.render_data(&record, &options);
        }
    }
}

/// Arbitrary bytes through the public entry point, `validate_bytes`, as a backend or
/// `factuur validate` calls it: never a panic; the same verdict twice; the verdict serialises
/// to the JSON line with every set run; a document called ok has a sound structure and no fatal
/// finding; an error has a place in the input.
pub fn validate_bytes(data: &[u8]) {
    use factuur::validate::ubl::{RuleSet, Rules, validate_bytes};
    let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
    for rules in [
        Rules::Auto,
        Rules::Sets(vec![RuleSet::En16931, RuleSet::Nlcius, RuleSet::Peppol]),
    ] {
        let first = validate_bytes(data, &rules);
        let again = validate_bytes(data, &rules);
        match (&first, &again) {
            (Ok(a), Ok(b)) => {
                let json = serde_json::to_value(a).expect("a verdict serialises");
                assert_eq!(json, serde_json::to_value(b).unwrap(), "not deterministic");
                for set in &a.sets {
                    assert!(json[set.set.name()]["failed"].is_array());
                }
                if a.is_ok() {
                    assert!(a.xsd_ok());
                    assert!(
                        a.findings()
                            .all(|(_, f)| f.severity != factuur::Severity::Fatal)
                    );
                }
            }
            (Err(a), Err(b)) => {
                assert_eq!(a, b, "not deterministic");
                let (message, line, column) = a.parts();
                assert!(!message.is_empty() && line >= 1 && line <= lines && column >= 1);
            }
            _ => panic!("accepted once and refused once"),
        }
    }
}

/// The fast parser against the reference (quick-xml's reader) on the same bytes: where both
/// accept, the same tree (names, namespaces, texts, attributes, positions); the fast parser
/// never accepts what the reference refuses; where it refuses what the reference accepts, the
/// reason is one of the well-formedness rules quick-xml does not check (see [`stricter`]).
pub fn ubl_tree(data: &[u8]) {
    match (ubl::parse(data), ubl::parse_reference(data)) {
        (Ok(fast), Ok(reference)) => {
            assert_eq!(tree_dump(&fast), tree_dump(&reference), "the trees differ");
        }
        (Err(_), Err(_)) => {}
        (Ok(_), Err(e)) => panic!("the fast parser accepts what quick-xml refuses: {e}"),
        (Err(e), Ok(_)) => assert!(
            stricter(&e),
            "the fast parser refuses what quick-xml accepts: {e}"
        ),
    }
}

/// Well-formedness rules of XML 1.0 (and Namespaces in XML) that the fast parser checks and
/// quick-xml does not: characters XML does not allow, names, `--` in comments, `]]>` in text,
/// the XML declaration's place and form, anything but white space outside the root element,
/// malformed references, and a processing instruction's target.
pub fn stricter(e: &ubl::UblError) -> bool {
    let text = e.to_string();
    [
        "is not allowed in XML",
        "is not a valid name",
        "is not allowed in a name",
        "is not a valid qualified name",
        "a name is expected here",
        "`--` is not allowed inside a comment",
        "`]]>` is not allowed in text",
        "XML declaration",
        "text before the root element",
        "text after the root element",
        "malformed character reference",
        "is to a character XML does not allow",
        "starts a malformed reference",
        "may not contain `:`",
        "white space expected after the target name",
        "`<!` starts neither a comment nor a CDATA section",
        "in a start tag must be followed by `>`",
        "a CDATA section outside the root element",
        "attributes must be separated by white space",
        "`<` is not allowed in an attribute value",
    ]
    .iter()
    .any(|m| text.contains(m))
}

/// Everything the tree holds, in document order.
pub fn tree_dump(doc: &ubl::Document) -> Vec<String> {
    let root = doc.root();
    std::iter::once(root)
        .chain(root.descendants())
        .map(|n| {
            format!(
                "{:?} {} {} {:?} mixed={} {:?} at={:?} parent={:?} children={} root_ns={}",
                n.ns(),
                n.namespace_uri(),
                n.name(),
                n.text(),
                n.has_mixed_text(),
                n.attrs_ns().collect::<Vec<_>>(),
                n.line_col(),
                n.parent().map(|p| p.line_col()),
                n.children().count(),
                doc.root_namespace(),
            )
        })
        .collect()
}
