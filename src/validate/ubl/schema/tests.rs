//! Small hand-made documents, one or more per kind of error: message, line and column.

use super::{SchemaError, SchemaErrorKind as K, check};

const ROOT: &str = "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\" \
    xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\" \
    xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\" \
    xmlns:ext=\"urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2\" \
    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">";

/// A minimal valid invoice, one element per line (line 1 is the root): `header` replaces
/// line 2 (the ID) and line 3 (the issue date), `supplier` line 4, `total` line 6.
fn invoice(header: &str, supplier: &str, total: &str) -> String {
    format!(
        "{ROOT}\n{header}\n{supplier}\n<cac:AccountingCustomerParty/>\n\
         <cac:LegalMonetaryTotal>{total}</cac:LegalMonetaryTotal>\n\
         <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:LineExtensionAmount currencyID=\"EUR\">1\
         </cbc:LineExtensionAmount><cac:Item/></cac:InvoiceLine>\n</Invoice>"
    )
}

const HEADER: &str = "<cbc:ID>1</cbc:ID>\n<cbc:IssueDate>2026-01-31</cbc:IssueDate>";
const SUPPLIER: &str = "<cac:AccountingSupplierParty/>";
const TOTAL: &str = "<cbc:PayableAmount currencyID=\"EUR\">12.50</cbc:PayableAmount>";

fn errors(xml: &str) -> Vec<SchemaError> {
    let doc = crate::ubl::parse(xml.as_bytes()).expect("well-formed");
    check(&doc)
}

/// The first error: of this kind, at this line and column, with these words in its message.
#[track_caller]
fn first(xml: &str, kind: K, line: usize, column: usize, words: &[&str]) -> Vec<SchemaError> {
    let e = errors(xml);
    assert!(!e.is_empty());
    assert_eq!(
        (e[0].kind, e[0].line, e[0].column),
        (kind, line, column),
        "{e:#?}"
    );
    for w in words {
        assert!(e[0].message.contains(w), "{w:?} not in {:?}", e[0].message);
    }
    e
}

/// Exactly one error: of this kind, at this line and column, with these words in its message.
#[track_caller]
fn one(xml: &str, kind: K, line: usize, column: usize, words: &[&str]) -> SchemaError {
    let e = errors(xml);
    assert_eq!(e.len(), 1, "{e:#?}");
    let e = e.into_iter().next().unwrap();
    assert_eq!((e.kind, e.line, e.column), (kind, line, column), "{e:#?}");
    for w in words {
        assert!(e.message.contains(w), "{w:?} not in {:?}", e.message);
    }
    e
}

#[test]
fn a_minimal_invoice_is_valid() {
    assert_eq!(errors(&invoice(HEADER, SUPPLIER, TOTAL)), []);
}

#[test]
fn the_root_must_be_an_invoice_or_credit_note() {
    let xml = "<Order xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Order-2\"/>";
    one(
        xml,
        K::NotUbl,
        1,
        1,
        &["{urn:oasis:names:specification:ubl:schema:xsd:Order-2}Order"],
    );
    // An Invoice in the CreditNote namespace is neither.
    let xml = "<Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\"/>";
    one(xml, K::NotUbl, 1, 1, &["Invoice"]);
}

#[test]
fn a_missing_required_element_is_named_with_its_neighbours() {
    let xml = invoice("<cbc:ID>1</cbc:ID>", SUPPLIER, TOTAL);
    let e = one(&xml, K::MissingElement, 3, 1, &[]);
    assert_eq!(
        e.message,
        "cbc:IssueDate expected after cbc:ID in Invoice, found cac:AccountingSupplierParty"
    );
    assert_eq!(e.path, "/Invoice/cac:AccountingSupplierParty");
    // Missing at the end of an element: reported on the element itself.
    let xml = invoice(HEADER, SUPPLIER, "");
    let e = one(&xml, K::MissingElement, 6, 1, &[]);
    assert_eq!(
        e.message,
        "cbc:PayableAmount expected first in cac:LegalMonetaryTotal, found its end"
    );
}

#[test]
fn too_many_and_out_of_order() {
    let xml = invoice(
        &format!("{HEADER}<cbc:IssueDate>2026-02-01</cbc:IssueDate>"),
        SUPPLIER,
        TOTAL,
    );
    let e = one(&xml, K::TooMany, 3, 42, &[]);
    assert_eq!(
        e.message,
        "cbc:IssueDate may occur only once in Invoice; this one is too many"
    );
    let xml = invoice(
        "<cbc:IssueDate>2026-01-31</cbc:IssueDate>\n<cbc:ID>1</cbc:ID>",
        SUPPLIER,
        TOTAL,
    );
    let e = errors(&xml);
    assert_eq!(e.len(), 2, "{e:#?}");
    assert_eq!((e[0].kind, e[0].line), (K::MissingElement, 2));
    assert_eq!(
        e[0].message,
        "cbc:ID expected first in Invoice, found cbc:IssueDate"
    );
    assert_eq!((e[1].kind, e[1].line, e[1].column), (K::WrongOrder, 3, 1));
    assert_eq!(
        e[1].message,
        "cbc:ID is out of order in Invoice: it must come before cbc:IssueDate"
    );
}

#[test]
fn unknown_elements_and_wrong_namespaces() {
    let xml = invoice(&format!("{HEADER}<cbc:Foo/>"), SUPPLIER, TOTAL);
    let e = one(
        &xml,
        K::UnexpectedElement,
        3,
        42,
        &["cbc:Foo is unknown to UBL 2.1"],
    );
    assert!(e.message.contains("after cbc:IssueDate"), "{}", e.message);
    // The right name in no namespace.
    let xml = invoice(
        "<cbc:ID>1</cbc:ID>\n<IssueDate xmlns=\"\">2026-01-31</IssueDate>",
        SUPPLIER,
        TOTAL,
    );
    let e = errors(&xml);
    assert_eq!(
        (e[0].kind, e[0].line, e[0].column),
        (K::UnexpectedElement, 3, 1)
    );
    assert_eq!(
        e[0].message,
        "IssueDate (in no namespace) is unknown to UBL 2.1; one of cbc:CopyIndicator, cbc:UUID, \
         cbc:IssueDate expected after cbc:ID in Invoice"
    );
    // A known element in the wrong place.
    let xml = invoice(
        HEADER,
        "<cac:AccountingSupplierParty><cbc:Note>x</cbc:Note></cac:AccountingSupplierParty>",
        TOTAL,
    );
    one(
        &xml,
        K::UnexpectedElement,
        4,
        30,
        &["cbc:Note is not allowed in cac:AccountingSupplierParty"],
    );
}

#[test]
fn text_where_only_elements_may_be() {
    let xml = invoice(
        HEADER,
        "<cac:AccountingSupplierParty>x</cac:AccountingSupplierParty>",
        TOTAL,
    );
    let e = one(&xml, K::TextNotAllowed, 4, 1, &[]);
    assert_eq!(
        e.message,
        "cac:AccountingSupplierParty may hold only elements, but holds text"
    );
    // After a child, and a no-break space (not XML white space) before one.
    for supplier in [
        "<cac:AccountingSupplierParty><cac:Party/>x</cac:AccountingSupplierParty>",
        "<cac:AccountingSupplierParty>\u{a0}<cac:Party/></cac:AccountingSupplierParty>",
    ] {
        one(
            &invoice(HEADER, supplier, TOTAL),
            K::TextNotAllowed,
            4,
            1,
            &[],
        );
    }
    // White space, comments and processing instructions are fine.
    let supplier = "<cac:AccountingSupplierParty> <!-- c --> <?pi x?>\t<cac:Party/>\n</cac:AccountingSupplierParty>";
    assert_eq!(errors(&invoice(HEADER, supplier, TOTAL)), []);
}

#[test]
fn elements_inside_a_value() {
    let xml = invoice(
        "<cbc:ID>1<cbc:Note/></cbc:ID>\n<cbc:IssueDate>2026-01-31</cbc:IssueDate>",
        SUPPLIER,
        TOTAL,
    );
    let e = one(&xml, K::ElementInValue, 2, 1, &[]);
    assert_eq!(
        e.message,
        "cbc:ID holds a value, not elements, found cbc:Note inside it"
    );
}

#[test]
fn bad_values() {
    let cases = [
        (
            "<cbc:PayableAmount currencyID=\"EUR\">12,50</cbc:PayableAmount>",
            "\"12,50\", which is not a decimal",
        ),
        (
            "<cbc:PayableAmount currencyID=\"EUR\"></cbc:PayableAmount>",
            "\"\", which is not a decimal",
        ),
        (
            "<cbc:PayableAmount currencyID=\"EUR\">1e3</cbc:PayableAmount>",
            "\"1e3\"",
        ),
    ];
    for (total, words) in cases {
        let e = one(
            &invoice(HEADER, SUPPLIER, total),
            K::InvalidValue,
            6,
            25,
            &[words],
        );
        assert!(
            e.message.starts_with("cbc:PayableAmount holds"),
            "{}",
            e.message
        );
    }
    let xml = invoice(
        "<cbc:ID>1</cbc:ID>\n<cbc:IssueDate>2026-13-01</cbc:IssueDate>",
        SUPPLIER,
        TOTAL,
    );
    let e = one(&xml, K::InvalidValue, 3, 1, &[]);
    assert_eq!(
        e.message,
        "cbc:IssueDate holds \"2026-13-01\", which is not a date written YYYY-MM-DD (a real day, \
         no surrounding spaces)"
    );
    let xml = invoice(
        "<cbc:ID>1</cbc:ID><cbc:CopyIndicator>yes</cbc:CopyIndicator>\n<cbc:IssueDate>2026-01-31</cbc:IssueDate>",
        SUPPLIER,
        TOTAL,
    );
    one(
        &xml,
        K::InvalidValue,
        2,
        19,
        &["cbc:CopyIndicator holds \"yes\", which is not true, false, 1 or 0"],
    );
    let xml = invoice(
        "<cbc:ID>1</cbc:ID>\n<cbc:IssueDate>2026-01-31</cbc:IssueDate><cbc:IssueTime>25:00:00</cbc:IssueTime>",
        SUPPLIER,
        TOTAL,
    );
    one(
        &xml,
        K::InvalidValue,
        3,
        42,
        &["cbc:IssueTime holds \"25:00:00\", which is not a time"],
    );
}

#[test]
fn attributes() {
    let xml = invoice(
        "<cbc:ID foo=\"1\">1</cbc:ID>\n<cbc:IssueDate>2026-01-31</cbc:IssueDate>",
        SUPPLIER,
        TOTAL,
    );
    let e = one(&xml, K::UnknownAttribute, 2, 1, &[]);
    assert_eq!(
        e.message,
        "attribute foo is not allowed on cbc:ID (allowed: schemeID, schemeName, schemeAgencyID, \
         schemeAgencyName, schemeVersionID, schemeDataURI, schemeURI)"
    );
    let xml = invoice(
        &format!("{HEADER}<cbc:Note xml:lang=\"nl\">x</cbc:Note>"),
        SUPPLIER,
        TOTAL,
    );
    one(
        &xml,
        K::UnknownAttribute,
        3,
        42,
        &["attribute xml:lang is not allowed on cbc:Note"],
    );
    let xml = invoice(HEADER, SUPPLIER, "<cbc:PayableAmount>1</cbc:PayableAmount>");
    let e = one(&xml, K::MissingAttribute, 6, 25, &[]);
    assert_eq!(
        e.message,
        "cbc:PayableAmount lacks its required attribute currencyID"
    );
    let xml = invoice(
        &format!("{HEADER}<cbc:InvoiceTypeCode listURI=\"#a#b\">380</cbc:InvoiceTypeCode>"),
        SUPPLIER,
        TOTAL,
    );
    one(
        &xml,
        K::InvalidValue,
        3,
        42,
        &["attribute listURI of cbc:InvoiceTypeCode holds \"#a#b\", which is not a URI"],
    );
    let xml = invoice(
        &format!("{HEADER}<cbc:Note languageID=\"1nl\">x</cbc:Note>"),
        SUPPLIER,
        TOTAL,
    );
    one(&xml, K::InvalidValue, 3, 42, &["not a language code"]);
    // xsi:schemaLocation is allowed anywhere, with any value.
    let xml = invoice(
        "<cbc:ID xsi:schemaLocation=\"a\">1</cbc:ID>\n<cbc:IssueDate>2026-01-31</cbc:IssueDate>",
        SUPPLIER,
        TOTAL,
    );
    assert_eq!(errors(&xml), []);
}

#[test]
fn xsi_type_and_nil() {
    let with = |attr: &str| {
        invoice(
            &format!("<cbc:ID {attr}>1</cbc:ID>\n<cbc:IssueDate>2026-01-31</cbc:IssueDate>"),
            SUPPLIER,
            TOTAL,
        )
    };
    assert_eq!(errors(&with("xsi:type=\"cbc:IDType\"")), []);
    one(
        &with("xsi:type=\"cbc:NoteType\""),
        K::XsiType,
        2,
        1,
        &["does not derive from"],
    );
    one(
        &with("xsi:type=\" cbc:IDType \""),
        K::XsiType,
        2,
        1,
        &["not a qualified name"],
    );
    one(
        &with("xsi:type=\"zz:IDType\""),
        K::XsiType,
        2,
        1,
        &["prefix is not declared"],
    );
    one(
        &with("xsi:nil=\"false\""),
        K::XsiNil,
        2,
        1,
        &["cbc:ID may not be nil"],
    );
    one(
        &with("xsi:nil=\"maybe\""),
        K::XsiNil,
        2,
        1,
        &["not true or false"],
    );
    one(
        &with("xsi:foo=\"1\""),
        K::UnknownAttribute,
        2,
        1,
        &["xsi:foo"],
    );
}

/// `<ext:UBLExtensions>` with one extension holding `content`, on line 2 of an invoice.
fn extension(content: &str) -> String {
    invoice(
        &format!(
            "<ext:UBLExtensions><ext:UBLExtension><ext:ExtensionContent>{content}\
             </ext:ExtensionContent></ext:UBLExtension></ext:UBLExtensions>{HEADER}"
        ),
        SUPPLIER,
        TOTAL,
    )
}

#[test]
fn extension_content() {
    let e = one(&extension(""), K::MissingElement, 2, 38, &[]);
    assert_eq!(
        e.message,
        "an element of another namespace expected first in ext:ExtensionContent, found its end"
    );
    // Another namespace: not ext: and not none. The content stays missing.
    let e = first(
        &extension("<x xmlns=\"\"/>"),
        K::UnexpectedElement,
        2,
        60,
        &[],
    );
    assert_eq!(
        e[0].message,
        "an element of another namespace expected first in ext:ExtensionContent, found x (in no \
         namespace)"
    );
    assert_eq!(
        (e[1].kind, e[1].line, e[1].column),
        (K::MissingElement, 2, 38)
    );
    first(
        &extension("<ext:Foo/>"),
        K::UnexpectedElement,
        2,
        60,
        &["found ext:Foo"],
    );
    one(
        &extension("<a xmlns=\"urn:a\"/><b xmlns=\"urn:a\"/>"),
        K::UnexpectedElement,
        2,
        78,
        &["no further element expected"],
    );
    // Foreign content is checked where UBL declares it, and anything goes where it does not.
    assert_eq!(
        errors(&extension(
            "<f:a xmlns:f=\"urn:f\" b=\"1\" xml:lang=\"x\">t<g/>t<cbc:IssueDate>2026-01-31</cbc:IssueDate></f:a>"
        )),
        []
    );
    one(
        &extension("<f:a xmlns:f=\"urn:f\"><cbc:IssueDate>bad</cbc:IssueDate></f:a>"),
        K::InvalidValue,
        2,
        81,
        &["cbc:IssueDate holds \"bad\""],
    );
    // xsi:type on foreign content is honoured.
    one(
        &extension(
            "<f:a xmlns:f=\"urn:f\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xsi:type=\"xs:int\">99999999999</f:a>",
        ),
        K::InvalidValue,
        2,
        60,
        &["which is not an integer within the type's range"],
    );
}

#[test]
fn signatures() {
    let sig = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/schema/extensions.xml"),
    )
    .unwrap();
    let xml = invoice(&format!("{sig}{HEADER}"), SUPPLIER, TOTAL);
    assert_eq!(errors(&xml), []);
    // An automaton's expectations: the signature lacks its SignedInfo.
    let broken = sig.replacen("<ds:SignedInfo>", "<ds:Nope/><ds:SignedInfo>", 1);
    let e = errors(&invoice(&format!("{broken}{HEADER}"), SUPPLIER, TOTAL));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].kind, K::UnexpectedElement);
    assert_eq!(
        e[0].message,
        "ds:Nope is unknown to UBL 2.1; ds:SignedInfo expected first in ds:Signature"
    );
    assert_eq!(
        e[0].path,
        "/Invoice/ext:UBLExtensions/ext:UBLExtension/ext:ExtensionContent/\
         sig:UBLDocumentSignatures/sac:SignatureInformation/ds:Signature/ds:Nope"
    );
    // Identifiers are unique in the document.
    let twice = sig.replace("Id=\"timestamp\"", "Id=\"signature\"");
    let e = errors(&invoice(&format!("{twice}{HEADER}"), SUPPLIER, TOTAL));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].kind, K::DuplicateId);
    assert!(
        e[0].message.contains("\"signature\", used earlier"),
        "{}",
        e[0].message
    );
    // Elements of empty content hold nothing, not even white space.
    let include = sig.replace(
        "<xades:EncapsulatedTimeStamp>",
        "<xades:Include URI=\"#a\"> </xades:Include><xades:EncapsulatedTimeStamp>",
    );
    let e = errors(&invoice(&format!("{include}{HEADER}"), SUPPLIER, TOTAL));
    assert_eq!(e.len(), 1, "{e:#?}");
    assert_eq!(e[0].message, "xades:Include must be empty, but holds text");
}

#[test]
fn credit_notes_have_their_own_schema() {
    let xml = "<CreditNote xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2\" \
        xmlns:cac=\"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2\" \
        xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">\n\
        <cbc:ID>1</cbc:ID><cbc:IssueDate>2026-01-31</cbc:IssueDate>\n\
        <cac:AccountingSupplierParty/><cac:AccountingCustomerParty/>\n\
        <cac:LegalMonetaryTotal><cbc:PayableAmount currencyID=\"EUR\">1</cbc:PayableAmount></cac:LegalMonetaryTotal>\n\
        <cac:InvoiceLine/>\n</CreditNote>";
    let e = first(xml, K::UnexpectedElement, 5, 1, &[]);
    assert_eq!(
        e[0].message,
        "cac:InvoiceLine is not allowed in CreditNote; cac:CreditNoteLine expected after \
         cac:LegalMonetaryTotal there"
    );
    assert_eq!(
        (e[1].kind, e[1].line, e[1].column),
        (K::MissingElement, 1, 1)
    );
}

#[test]
fn errors_are_capped() {
    let many = "<cbc:Foo/>".repeat(1_100);
    let e = errors(&invoice(&format!("{HEADER}{many}"), SUPPLIER, TOTAL));
    assert_eq!(e.len(), 1_001);
    assert_eq!(e[1_000].kind, K::TooManyErrors);
    assert_eq!(e[1_000].message, "100 more structure errors left out");
}

#[test]
fn event_callers_cannot_nest_without_bound() {
    use super::{Attribute, NamespaceScope, Validator};
    struct NoPrefixes;
    impl NamespaceScope for NoPrefixes {
        fn namespace_of(&self, _: &str) -> Option<&str> {
            None
        }
    }
    let mut v = Validator::new();
    let inv = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
    for k in 0..10_000 {
        v.start_element(
            inv,
            "Invoice",
            std::iter::empty::<Attribute>(),
            k,
            &NoPrefixes,
        );
        v.text("x");
    }
    for _ in 0..10_001 {
        v.end_element();
    }
    let e = v.finish();
    assert!(
        e.iter()
            .any(|e| e.message == "elements nested deeper than 256 levels")
    );
    assert!(e.len() < 1_002, "{}", e.len());
}
