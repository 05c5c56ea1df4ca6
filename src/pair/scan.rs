//! What routing needs from a UBL invoice of a pair folder: its number and the customer's name
//! and KvK number, read without building the whole model.
//!
//! The scan is namespace-aware (any prefixes, default namespaces), refuses a DOCTYPE (no entity
//! expansion, ever), limits nesting, and reports malformed XML with its line and column.
//!
//! ```
//! let xml = br#"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
//!   xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
//!   xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
//!   <cbc:ID>2026-00017</cbc:ID>
//!   <cac:AccountingCustomerParty><cac:Party>
//!     <cac:PartyLegalEntity>
//!       <cbc:RegistrationName>Bakkerij Jansen V.O.F.</cbc:RegistrationName>
//!       <cbc:CompanyID schemeID="0106">30124517</cbc:CompanyID>
//!     </cac:PartyLegalEntity>
//!   </cac:Party></cac:AccountingCustomerParty>
//! </Invoice>"#;
//! let s = factuur::pair::scan::scan_ubl(xml).unwrap();
//! assert_eq!(s.number.as_deref(), Some("2026-00017"));
//! assert_eq!(s.customer_kvk.unwrap().as_str(), "30124517");
//! ```

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

use crate::model::Kvk;

const NS_INVOICE: &[u8] = b"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
const NS_CREDIT: &[u8] = b"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
const NS_CAC: &[u8] = b"urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
const NS_CBC: &[u8] = b"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

/// Deepest nesting accepted; real invoices stay far below.
const MAX_DEPTH: usize = 64;

/// Why a UBL document could not be scanned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct ScanError {
    /// 1-based line of the problem.
    pub line: usize,
    /// 1-based column (in bytes) of the problem.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// The invoice number and the customer of a UBL invoice or credit note.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UblSummary {
    /// `cbc:ID` of the document (BT-1).
    pub number: Option<String>,
    /// The customer's registration name, else its trading name.
    pub customer_name: Option<String>,
    /// The customer's KvK number: `PartyLegalEntity/CompanyID`, else `EndpointID`, else
    /// `PartyIdentification/ID`, each with scheme `0106` (or the older `NL:KVK`).
    pub customer_kvk: Option<Kvk>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ns {
    Doc,
    Cac,
    Cbc,
    Other,
}

fn ns_of(r: &ResolveResult<'_>) -> Ns {
    match r {
        ResolveResult::Bound(n) if n.as_ref() == NS_CAC => Ns::Cac,
        ResolveResult::Bound(n) if n.as_ref() == NS_CBC => Ns::Cbc,
        ResolveResult::Bound(n) if n.as_ref() == NS_INVOICE || n.as_ref() == NS_CREDIT => Ns::Doc,
        _ => Ns::Other,
    }
}

fn position(xml: &[u8], offset: u64) -> (usize, usize) {
    let end = usize::try_from(offset).unwrap_or(usize::MAX).min(xml.len());
    let before = &xml[..end];
    let line = before.iter().filter(|b| **b == b'\n').count() + 1;
    let column = end
        - before
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |p| p + 1)
        + 1;
    (line, column)
}

/// Where the text being collected belongs, with the KvK priority.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Target {
    Number,
    Name(u8),
    Kvk(u8),
}

/// Reads the number and the customer from a UBL 2.x Invoice or CreditNote.
pub fn scan_ubl(xml: &[u8]) -> Result<UblSummary, ScanError> {
    let mut reader = NsReader::from_reader(xml);
    let err = |offset: u64, message: String| {
        let (line, column) = position(xml, offset);
        ScanError {
            line,
            column,
            message,
        }
    };
    let mut path: Vec<(Ns, Vec<u8>)> = Vec::new();
    let mut summary = UblSummary::default();
    let mut name_rank = u8::MAX;
    let mut kvk_rank = u8::MAX;
    let mut target: Option<Target> = None;
    let mut text = String::new();
    let mut saw_root = false;
    loop {
        let at = reader.buffer_position();
        let (ns, event) = match reader.read_resolved_event() {
            Ok((ns, event)) => (ns_of(&ns), event),
            Err(e) => {
                let message = format!("not well-formed XML: {e}");
                return Err(err(reader.error_position(), message));
            }
        };
        match event {
            Event::DocType(_) => {
                return Err(err(
                    at,
                    "a DOCTYPE is not allowed in an invoice (no entity declarations)".into(),
                ));
            }
            Event::Start(e) | Event::Empty(e) if path.is_empty() && saw_root => {
                let _ = e;
                return Err(err(at, "more than one root element".into()));
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let local = e.local_name().as_ref().to_vec();
                if path.is_empty() {
                    saw_root = true;
                    if ns != Ns::Doc || !(local == b"Invoice" || local == b"CreditNote") {
                        return Err(err(
                            at,
                            format!(
                                "the root element is {:?}, not a UBL Invoice or CreditNote",
                                String::from_utf8_lossy(e.name().as_ref())
                            ),
                        ));
                    }
                }
                if path.len() >= MAX_DEPTH {
                    return Err(err(
                        at,
                        format!("elements nested deeper than {MAX_DEPTH} levels"),
                    ));
                }
                path.push((ns, local));
                let scheme = e
                    .try_get_attribute("schemeID")
                    .ok()
                    .flatten()
                    .and_then(|a| {
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .ok()
                            .map(|v| v.trim().to_owned())
                    });
                target = classify(&path, scheme.as_deref());
                text.clear();
                if empty {
                    path.pop();
                    target = None;
                }
            }
            Event::Text(t) if target.is_some() => {
                let s = t
                    .decode()
                    .map_err(|e| err(at, format!("bad text encoding: {e}")))?;
                text.push_str(&s);
            }
            Event::GeneralRef(r) if target.is_some() => {
                let name = r
                    .decode()
                    .map_err(|e| err(at, format!("bad entity reference: {e}")))?;
                let c = match name.as_ref() {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    _ => r.resolve_char_ref().ok().flatten(),
                };
                match c {
                    Some(c) => text.push(c),
                    None => {
                        return Err(err(at, format!("unknown entity &{name};")));
                    }
                }
            }
            Event::CData(c) if target.is_some() => {
                text.push_str(&String::from_utf8_lossy(&c));
            }
            Event::End(_) => {
                if let Some(t) = target.take() {
                    let value = text.trim().to_owned();
                    match t {
                        Target::Number if summary.number.is_none() => {
                            summary.number = Some(value);
                        }
                        Target::Name(rank) if rank < name_rank && !value.is_empty() => {
                            name_rank = rank;
                            summary.customer_name = Some(value);
                        }
                        Target::Kvk(rank) if rank < kvk_rank => {
                            let kvk = Kvk::new(value.clone()).map_err(|e| {
                                err(at, format!("the customer's KvK number is invalid: {e}"))
                            })?;
                            kvk_rank = rank;
                            summary.customer_kvk = Some(kvk);
                        }
                        _ => {}
                    }
                }
                path.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_root {
        return Err(err(0, "no root element: the document is empty".into()));
    }
    Ok(summary)
}

/// What an element at `path` holds, if routing wants it.
fn classify(path: &[(Ns, Vec<u8>)], scheme: Option<&str>) -> Option<Target> {
    let names: Vec<(Ns, &[u8])> = path.iter().map(|(n, l)| (*n, l.as_slice())).collect();
    let is_kvk = matches!(scheme, Some("0106") | Some("NL:KVK"));
    match names.as_slice() {
        [_, (Ns::Cbc, b"ID")] => Some(Target::Number),
        [
            _,
            (Ns::Cac, b"AccountingCustomerParty"),
            (Ns::Cac, b"Party"),
            rest @ ..,
        ] => match rest {
            [(Ns::Cac, b"PartyLegalEntity"), (Ns::Cbc, b"CompanyID")] if is_kvk => {
                Some(Target::Kvk(0))
            }
            [(Ns::Cbc, b"EndpointID")] if is_kvk => Some(Target::Kvk(1)),
            [(Ns::Cac, b"PartyIdentification"), (Ns::Cbc, b"ID")] if is_kvk => Some(Target::Kvk(2)),
            [
                (Ns::Cac, b"PartyLegalEntity"),
                (Ns::Cbc, b"RegistrationName"),
            ] => Some(Target::Name(0)),
            [(Ns::Cac, b"PartyName"), (Ns::Cbc, b"Name")] => Some(Target::Name(1)),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = r#"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:a="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:b="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">"#;

    fn doc(body: &str) -> Vec<u8> {
        format!("{HEAD}{body}</Invoice>").into_bytes()
    }

    #[test]
    fn any_prefixes_and_the_priority_of_kvk_places() {
        let x = doc(r#"<b:ID>F&amp;1</b:ID><a:AccountingCustomerParty><a:Party>
            <b:EndpointID schemeID="0106">11111111</b:EndpointID>
            <a:PartyName><b:Name>Trade</b:Name></a:PartyName>
            <a:PartyLegalEntity><b:RegistrationName>Legal</b:RegistrationName>
            <b:CompanyID schemeID="0106">22222222</b:CompanyID></a:PartyLegalEntity>
            </a:Party></a:AccountingCustomerParty>"#);
        let s = scan_ubl(&x).unwrap();
        assert_eq!(s.number.as_deref(), Some("F&1"));
        assert_eq!(s.customer_name.as_deref(), Some("Legal"));
        assert_eq!(s.customer_kvk.unwrap().as_str(), "22222222");
    }

    #[test]
    fn supplier_kvk_is_not_the_customers() {
        let x = doc(
            r#"<b:ID>F1</b:ID><a:AccountingSupplierParty><a:Party><a:PartyLegalEntity>
            <b:CompanyID schemeID="0106">22222222</b:CompanyID></a:PartyLegalEntity>
            </a:Party></a:AccountingSupplierParty>
            <a:AccountingCustomerParty><a:Party><a:PartyLegalEntity>
            <b:CompanyID schemeID="0190">00000001003214345000</b:CompanyID>
            </a:PartyLegalEntity></a:Party></a:AccountingCustomerParty>"#,
        );
        assert_eq!(scan_ubl(&x).unwrap().customer_kvk, None);
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        let e = scan_ubl(b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>").unwrap_err();
        assert!(e.message.contains("DOCTYPE"), "{e}");
        let e = scan_ubl(b"<Order xmlns='urn:x'/>").unwrap_err();
        assert!(e.message.contains("not a UBL Invoice"), "{e}");
        let e = scan_ubl(b"").unwrap_err();
        assert!(e.message.contains("empty"), "{e}");
        let e = scan_ubl(&doc("<b:ID>F1</b:X>")).unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("not well-formed"), "{e}");
        let deep = doc(&"<a:X>".repeat(100));
        assert!(scan_ubl(&deep).unwrap_err().message.contains("nested"));
        let x = doc(r#"<a:AccountingCustomerParty><a:Party><a:PartyLegalEntity>
            <b:CompanyID schemeID="0106">123</b:CompanyID>
            </a:PartyLegalEntity></a:Party></a:AccountingCustomerParty>"#);
        let e = scan_ubl(&x).unwrap_err();
        assert!(e.message.contains("KvK number is invalid"), "{e}");
        assert_eq!(e.line, 2);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = scan_ubl(&bytes);
        }

        #[test]
        fn never_panics_on_damaged_documents(cut in 0usize..900, byte in proptest::num::u8::ANY, at in 0usize..900) {
            let mut x = doc(
                r#"<b:ID>F1</b:ID><a:AccountingCustomerParty><a:Party>
                <a:PartyLegalEntity><b:RegistrationName>N</b:RegistrationName>
                <b:CompanyID schemeID="0106">12345678</b:CompanyID></a:PartyLegalEntity>
                </a:Party></a:AccountingCustomerParty>"#,
            );
            if at < x.len() {
                x[at] = byte;
            }
            x.truncate(cut.min(x.len()));
            let _ = scan_ubl(&x);
        }
    }
}
