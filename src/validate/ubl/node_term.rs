//! The EN 16931 term of a finding where it depends on the node the rule judged: a rule on every
//! country code concerns the seller's country (BT-40) at the seller's address and the buyer's
//! (BT-55) at the buyer's, a rule on every amount concerns the amount it looks at. Elsewhere the
//! rule's own term ([`super::term`]) holds.

use crate::ubl::{Node, Ns::Cac, Ns::Cbc};

use super::engine::xpath::{charge_indicator_is, string};

/// The rules whose term is the term of the node they judge.
const BY_NODE: [&str; 12] = [
    "BR-CL-10",
    "BR-CL-11",
    "BR-CL-14",
    "BR-CL-17",
    "BR-CL-19",
    "BR-CL-20",
    "BR-CL-25",
    "UBL-DT-01",
    "PEPPOL-EN16931-CL002",
    "PEPPOL-EN16931-CL003",
    "PEPPOL-EN16931-CL008",
    "PEPPOL-EN16931-F001",
];

/// The term a finding of `rule` on `node` concerns, where there is one.
pub(crate) fn term_at(rule: &str, node: Node<'_>) -> Option<&'static str> {
    let refined = match rule {
        "BR-CL-23" => Some(if node.name() == "BaseQuantity" {
            "BT-150"
        } else {
            "BT-130"
        }),
        "BR-CO-09" | "UBL-SR-53" => tax_registration(node),
        "UBL-SR-51" => by_party(node, ["BT-162", "BT-163", "", "BT-164", "BT-165"]),
        "DK-R-013" => by_party(node, ["BT-29", "BT-46", "BT-60", "", ""]),
        // A rate: of a line, an allowance, a charge or the VAT breakdown.
        "SE-R-006" => Some(match node.parent() {
            _ if node.name() == "ClassifiedTaxCategory" => "BT-152",
            Some(a) if a.name() == "AllowanceCharge" => {
                if charge_indicator_is(a, true) {
                    "BT-103"
                } else {
                    "BT-96"
                }
            }
            _ => "BT-119",
        }),
        "PEPPOL-EN16931-R040" => allowance(node, ["BT-92", "BT-99", "BT-136", "BT-141"]),
        "PEPPOL-EN16931-R041" => allowance(node, ["BT-93", "BT-100", "BT-137", "BT-142"]),
        "PEPPOL-EN16931-R042" => allowance(node, ["BT-94", "BT-101", "BT-138", "BT-143"]),
        _ if BY_NODE.contains(&rule) || rule.starts_with("PEPPOL-COMMON-") => of_node(node),
        _ => None,
    };
    refined.or_else(|| super::term(rule))
}

/// Which party an element belongs to: seller, buyer, payee, tax representative or delivery, as
/// an index into a row of terms.
fn party(node: Node<'_>) -> Option<usize> {
    let mut at = Some(node);
    while let Some(n) = at {
        if n.ns() == Cac {
            match n.name() {
                "AccountingSupplierParty" => return Some(0),
                "AccountingCustomerParty" => return Some(1),
                "PayeeParty" => return Some(2),
                "TaxRepresentativeParty" => return Some(3),
                "Delivery" => return Some(4),
                _ => {}
            }
        }
        at = n.parent();
    }
    None
}

/// The term of the node's party in `terms` (seller, buyer, payee, representative, delivery;
/// empty where that party has none).
fn by_party(node: Node<'_>, terms: [&'static str; 5]) -> Option<&'static str> {
    party(node).map(|p| terms[p]).filter(|t| !t.is_empty())
}

/// A tax registration (`cac:PartyTaxScheme` or its `cbc:CompanyID`): the VAT number of the
/// seller (or its other tax registration number), the buyer or the tax representative.
fn tax_registration(node: Node<'_>) -> Option<&'static str> {
    let scheme = if node.name() == "PartyTaxScheme" {
        Some(node)
    } else {
        node.parent()
    }?;
    let vat = scheme
        .all(Cac, "TaxScheme")
        .flat_map(|s| s.all(Cbc, "ID"))
        .any(|id| string(id).trim().eq_ignore_ascii_case("VAT"));
    let seller = if vat { "BT-31" } else { "BT-32" };
    by_party(node, [seller, "BT-48", "", "BT-63", ""])
}

/// An allowance or charge (or an element of one): the term in `terms` for a document-level
/// allowance, a document-level charge, a line allowance, a line charge.
fn allowance(ac: Node<'_>, terms: [&'static str; 4]) -> Option<&'static str> {
    let line = ac
        .parent()
        .is_some_and(|p| matches!(p.name(), "InvoiceLine" | "CreditNoteLine"));
    let charge = charge_indicator_is(ac, true);
    Some(terms[usize::from(line) * 2 + usize::from(charge)])
}

/// The term of an element by its name and where it is.
fn of_node(node: Node<'_>) -> Option<&'static str> {
    let parent = node.parent();
    let parent_name = parent.map_or("", |p| p.name());
    let in_line = || {
        let mut at = node.parent();
        while let Some(n) = at {
            if matches!(n.name(), "InvoiceLine" | "CreditNoteLine") {
                return true;
            }
            at = n.parent();
        }
        false
    };
    let root_child = parent.is_some_and(|p| p.parent().is_none());
    match (node.name(), parent_name) {
        ("EndpointID", _) => by_party(node, ["BT-34", "BT-49", "", "", ""]),
        ("ID", "PartyIdentification") => by_party(node, ["BT-29", "BT-46", "BT-60", "", ""]),
        ("ID", "DeliveryLocation") => Some("BT-71"),
        ("CompanyID", "PartyLegalEntity") => by_party(node, ["BT-30", "BT-47", "BT-61", "", ""]),
        ("CompanyID", "PartyTaxScheme") | ("PartyTaxScheme", _) => tax_registration(node),
        ("IdentificationCode", "Country") => {
            by_party(node, ["BT-40", "BT-55", "", "BT-69", "BT-80"])
        }
        ("IdentificationCode", "OriginCountry") => Some("BT-159"),
        ("ID", "TaxCategory") => {
            let category = parent?;
            match category.parent() {
                Some(a) if a.name() == "AllowanceCharge" => Some(if charge_indicator_is(a, true) {
                    "BT-102"
                } else {
                    "BT-95"
                }),
                _ => Some("BT-118"),
            }
        }
        ("ID", "ClassifiedTaxCategory") => Some("BT-151"),
        ("AllowanceChargeReasonCode", _) => {
            allowance(parent?, ["BT-98", "BT-105", "BT-140", "BT-145"])
        }
        ("IssueDate", "InvoiceDocumentReference") => Some("BT-26"),
        ("IssueDate", _) if root_child => Some("BT-2"),
        ("DueDate", _) => Some("BT-9"),
        ("TaxPointDate", _) => Some("BT-7"),
        ("StartDate", "InvoicePeriod") => Some(if in_line() { "BT-134" } else { "BT-73" }),
        ("EndDate", "InvoicePeriod") => Some(if in_line() { "BT-135" } else { "BT-74" }),
        ("ActualDeliveryDate", _) => Some("BT-72"),
        ("LineExtensionAmount", "LegalMonetaryTotal") => Some("BT-106"),
        ("LineExtensionAmount", _) => Some("BT-131"),
        ("TaxExclusiveAmount", _) => Some("BT-109"),
        ("TaxInclusiveAmount", _) => Some("BT-112"),
        ("AllowanceTotalAmount", _) => Some("BT-107"),
        ("ChargeTotalAmount", _) => Some("BT-108"),
        ("PrepaidAmount", _) => Some("BT-113"),
        ("PayableRoundingAmount", _) => Some("BT-114"),
        ("PayableAmount", _) => Some("BT-115"),
        ("TaxableAmount", _) => Some("BT-116"),
        ("TaxAmount", "TaxSubtotal") => Some("BT-117"),
        ("TaxAmount", "TaxTotal") => {
            // The VAT total in the document currency, or in the VAT accounting currency.
            let document = node
                .document()
                .root()
                .child(Cbc, "DocumentCurrencyCode")
                .map(|c| string(c).trim().to_owned());
            Some(
                if document.is_some_and(|d| node.attr("currencyID") != Some(d.as_str())) {
                    "BT-111"
                } else {
                    "BT-110"
                },
            )
        }
        ("Amount" | "BaseAmount", "AllowanceCharge")
            if parent
                .and_then(|p| p.parent())
                .is_some_and(|p| p.name() == "Price") =>
        {
            Some(if node.name() == "Amount" {
                "BT-147"
            } else {
                "BT-148"
            })
        }
        ("Amount", "AllowanceCharge") => allowance(parent?, ["BT-92", "BT-99", "BT-136", "BT-141"]),
        ("BaseAmount", "AllowanceCharge") => {
            allowance(parent?, ["BT-93", "BT-100", "BT-137", "BT-142"])
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::validate::ubl::{RuleSet, validate_with};

    /// The rule and term of every finding on the sample with `from` replaced by `to`.
    fn terms(from: &str, to: &str, set: RuleSet) -> Vec<(&'static str, Option<&'static str>)> {
        let xml = std::fs::read_to_string("testdata/pdf/ubl/2026-00017.xml").unwrap();
        assert_eq!(xml.matches(from).count(), 1, "{from}");
        let doc = crate::ubl::parse(xml.replace(from, to).as_bytes()).unwrap();
        validate_with(&doc, &[set])
            .findings
            .into_iter()
            .map(|f| (f.rule, f.term))
            .collect()
    }

    #[test]
    fn a_rule_on_every_country_code_names_the_country_it_found() {
        let buyer = "<cbc:IdentificationCode>NL</cbc:IdentificationCode>\n        </cac:Country>\n      </cac:PostalAddress>\n      <cac:PartyTaxScheme>\n        <cbc:CompanyID>NL812345678B01";
        let found = terms(buyer, &buyer.replacen(">NL<", ">XX<", 1), RuleSet::En16931);
        // The buyer's country code, though the rule's own term is the seller's.
        assert!(found.contains(&("BR-CL-14", Some("BT-55"))), "{found:?}");
        assert_eq!(crate::validate::ubl::term("BR-CL-14"), Some("BT-40"));
        // Its VAT number, without a country prefix.
        let vat = "<cbc:CompanyID>NL812345678B01";
        let found = terms(vat, "<cbc:CompanyID>812345678B01", RuleSet::En16931);
        assert!(found.contains(&("BR-CO-09", Some("BT-48"))), "{found:?}");
    }

    #[test]
    fn terms_by_the_element_judged() {
        let xml = std::fs::read_to_string("testdata/pdf/ubl/2026-00017.xml").unwrap();
        let doc = crate::ubl::parse(xml.as_bytes()).unwrap();
        let root = doc.root();
        let find = |path: &[&str]| {
            let mut n = root;
            for step in path {
                n = n.children().find(|c| c.name() == *step).unwrap();
            }
            n
        };
        let at = |rule, path: &[&str]| super::term_at(rule, find(path));
        assert_eq!(
            at(
                "BR-CL-14",
                &[
                    "AccountingCustomerParty",
                    "Party",
                    "PostalAddress",
                    "Country",
                    "IdentificationCode"
                ]
            ),
            Some("BT-55")
        );
        assert_eq!(
            at("UBL-DT-01", &["LegalMonetaryTotal", "PayableAmount"]),
            Some("BT-115")
        );
        assert_eq!(
            at("UBL-DT-01", &["InvoiceLine", "LineExtensionAmount"]),
            Some("BT-131")
        );
        assert_eq!(
            at("UBL-DT-01", &["TaxTotal", "TaxSubtotal", "TaxAmount"]),
            Some("BT-117")
        );
        assert_eq!(at("UBL-DT-01", &["TaxTotal", "TaxAmount"]), Some("BT-110"));
        assert_eq!(
            at(
                "BR-CO-09",
                &["AccountingSupplierParty", "Party", "PartyTaxScheme"]
            ),
            Some("BT-31")
        );
        assert_eq!(at("PEPPOL-EN16931-F001", &["IssueDate"]), Some("BT-2"));
        // A rule whose term does not depend on the node keeps its own.
        assert_eq!(at("BR-CO-10", &["LegalMonetaryTotal"]), Some("BT-106"));
    }
}
