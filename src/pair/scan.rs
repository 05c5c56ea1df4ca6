//! What routing needs from a UBL invoice of a pair folder: its number and the customer's name
//! and KvK number, read without building the whole model.
//!
//! The scan uses the UBL reader's parser ([`crate::ubl::parse`]): namespace-aware, no DOCTYPE
//! (no entity expansion, ever), bounded nesting, malformed XML reported with line and column.
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

use crate::model::Kvk;
use crate::ubl::{self, Node, Ns, UblError};

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

fn scan_error(e: UblError) -> ScanError {
    let (line, column, message) = match e {
        UblError::Xml {
            line,
            column,
            message,
        } => (line, column, format!("not well-formed XML: {message}")),
        UblError::Doctype { line, column } => (
            line,
            column,
            "a DOCTYPE is not allowed (entities are never expanded)".into(),
        ),
        UblError::Entity { line, column, .. } | UblError::TooDeep { line, column, .. } => {
            (line, column, e.to_string())
        }
        other => (1, 1, other.to_string()),
    };
    ScanError {
        line,
        column,
        message,
    }
}

/// Trimmed, non-blank text of the `cbc:` leaf below `node` along `cac:` steps.
fn leaf<'d>(node: Node<'d>, steps: &[&str], name: &str) -> Option<Node<'d>> {
    let mut n = node;
    for s in steps {
        n = n.child(Ns::Cac, s)?;
    }
    n.child(Ns::Cbc, name)
        .filter(|l| !l.text().trim().is_empty())
}

/// Reads the number and the customer from a UBL 2.x Invoice or CreditNote, with the same
/// namespace-aware, entity-free parser as [`ubl::from_xml`].
pub fn scan_ubl(xml: &[u8]) -> Result<UblSummary, ScanError> {
    if xml.iter().all(u8::is_ascii_whitespace) {
        return Err(ScanError {
            line: 1,
            column: 1,
            message: "empty document: no XML at all".into(),
        });
    }
    let doc = ubl::parse(xml).map_err(scan_error)?;
    let root = doc.root();
    if !matches!(
        (root.ns(), root.name()),
        (Ns::Invoice, "Invoice") | (Ns::CreditNote, "CreditNote")
    ) {
        let (line, column) = root.line_col();
        return Err(ScanError {
            line,
            column,
            message: format!(
                "not a UBL Invoice or CreditNote: the root element is {{{}}}{}",
                doc.root_namespace(),
                root.name()
            ),
        });
    }
    let mut summary = UblSummary {
        number: leaf(root, &[], "ID").map(|n| n.text().trim().to_owned()),
        ..UblSummary::default()
    };
    let Some(party) = root
        .child(Ns::Cac, "AccountingCustomerParty")
        .and_then(|c| c.child(Ns::Cac, "Party"))
    else {
        return Ok(summary);
    };
    summary.customer_name = leaf(party, &["PartyLegalEntity"], "RegistrationName")
        .or_else(|| leaf(party, &["PartyName"], "Name"))
        .map(|n| n.text().trim().to_owned());
    let is_kvk =
        |n: &Node<'_>| matches!(n.attr("schemeID").map(str::trim), Some("0106" | "NL:KVK"));
    let kvk = [
        leaf(party, &["PartyLegalEntity"], "CompanyID"),
        leaf(party, &[], "EndpointID"),
        leaf(party, &["PartyIdentification"], "ID"),
    ]
    .into_iter()
    .flatten()
    .find(is_kvk);
    if let Some(node) = kvk {
        let text = node.text().trim();
        let (line, column) = node.line_col();
        summary.customer_kvk = Some(Kvk::new(text).map_err(|e| ScanError {
            line,
            column,
            message: format!("the customer's KvK number is invalid: {e}"),
        })?);
    }
    Ok(summary)
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
