//! The Peppol rule set's document-level variables (`$profile`, `$supplierCountry`, …), worked
//! out once per document, each as the official XSLT defines it, including its errors: a
//! variable the official tool cannot evaluate (two country codes where `normalize-space` takes
//! one) holds the [`Halt`], which makes a context that refers to it not match and an assert that
//! refers to it stop.

use std::cell::RefCell;
use std::rc::Rc;

use crate::ubl::{Node, Ns, Ns::Cac, Ns::Cbc};
use crate::validate::ubl::engine::xpath::{normalize, select, string};

use super::eval::{Ev, Halt, Why, and, any_is, one};

/// `$profile`: the business process the ProfileID names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Profile {
    /// `01`: billing (and the two French billing processes).
    Billing,
    /// `02`: billing with response.
    WithResponse,
    /// Anything else.
    Unknown,
}

/// The variables, for one document.
#[derive(Debug)]
pub(crate) struct Facts {
    /// `$profile`.
    pub profile: Ev<Profile>,
    /// `$supplierCountry`: the seller's VAT number prefix, else the tax representative's, else
    /// the seller's address country, else `XX`; upper-cased.
    pub supplier_country: Ev<String>,
    /// `$customerCountry`: the buyer's VAT number prefix, else its address country, else `XX`.
    pub customer_country: Ev<String>,
    /// `$accountingSupplierCountry`: like `$supplierCountry` without the tax representative.
    pub seller_country: Ev<String>,
    /// `$supplierCountryIsDE`: the seller's address is in Germany.
    pub supplier_de: Ev<bool>,
    /// `$customerCountryIsDE`.
    pub customer_de: Ev<bool>,
    /// `$supplierCountryIsNL`.
    pub supplier_nl: Ev<bool>,
    /// `$customerCountryIsNL`.
    pub customer_nl: Ev<bool>,
    /// `$taxRepresentativeCountryIsNL`.
    pub tax_representative_nl: Ev<bool>,
    /// `$documentCurrencyCode`: the values of the document's currency codes.
    pub currencies: Vec<String>,
    /// `$DKSupplierCountry` and `$SupplierCountry` (the same expression): the seller's address
    /// country code as written.
    pub seller_address_country: Ev<String>,
    /// `$DKCustomerCountry` and `$CustomerCountry`.
    pub buyer_address_country: Ev<String>,
    /// `$tokenizedUblIssueDate`: the issue date split at `-`.
    pub issue_date_parts: Ev<Vec<String>>,
    /// Some seller (`//cac:AccountingSupplierParty/cac:Party`) has its address in Sweden, as
    /// written: what every Swedish rule's context asks first.
    pub swedish_seller: bool,
}

impl Facts {
    /// The variables of the document `root` belongs to.
    pub(crate) fn of(root: Node<'_>) -> Facts {
        let supplier = [(Cac, "AccountingSupplierParty"), (Cac, "Party")];
        let customer = [(Cac, "AccountingCustomerParty"), (Cac, "Party")];
        let representative = [(Cac, "TaxRepresentativeParty")];
        let seller_address = address_code(root, &supplier);
        let buyer_address = address_code(root, &customer);
        let seller_vat = vat_prefix(root, &supplier);
        Facts {
            profile: profile(root),
            supplier_country: country(&[
                seller_vat.clone(),
                vat_prefix(root, &representative),
                seller_address.clone(),
            ]),
            customer_country: country(&[vat_prefix(root, &customer), buyer_address.clone()]),
            seller_country: country(&[seller_vat, seller_address.clone()]),
            supplier_de: is(&seller_address, "DE"),
            customer_de: is(&buyer_address, "DE"),
            supplier_nl: is(&seller_address, "NL"),
            customer_nl: is(&buyer_address, "NL"),
            tax_representative_nl: is(&address_code(root, &representative), "NL"),
            currencies: root
                .all(Cbc, "DocumentCurrencyCode")
                .map(|c| string(c).into_owned())
                .collect(),
            seller_address_country: concat_code(root, "AccountingSupplierParty"),
            buyer_address_country: concat_code(root, "AccountingCustomerParty"),
            issue_date_parts: one(root.all(Cbc, "IssueDate"))
                .map(|d| d.map_or_else(Vec::new, |d| tokenize(&string(d), '-'))),
            swedish_seller: root
                .document()
                .elements(Cac, "AccountingSupplierParty")
                .flat_map(|p| p.all(Cac, "Party"))
                .any(|p| {
                    any_is(
                        p,
                        &[
                            (Cac, "PostalAddress"),
                            (Cac, "Country"),
                            (Cbc, "IdentificationCode"),
                        ],
                        "SE",
                    )
                }),
        }
    }

    /// `$isGreekSender`.
    pub(crate) fn greek_sender(&self) -> Ev<bool> {
        greek(&self.supplier_country)
    }

    /// `$isGreekSenderandReceiver`.
    pub(crate) fn greek_both(&self) -> Ev<bool> {
        and(self.greek_sender(), || greek(&self.customer_country))
    }

    /// `$supplierCountryIsDE and $customerCountryIsDE`.
    pub(crate) fn german_both(&self) -> Ev<bool> {
        and(self.supplier_de, || self.customer_de)
    }
}

fn greek(country: &Ev<String>) -> Ev<bool> {
    let c = country.as_ref().map_err(Clone::clone)?;
    Ok(c == "GR" || c == "EL")
}

/// `tokenize(s, 'c')` for a one-character separator: nothing for an empty string, else every
/// piece, empty ones included.
pub(crate) fn tokenize(s: &str, sep: char) -> Vec<String> {
    if s.is_empty() {
        return Vec::new();
    }
    s.split(sep).map(str::to_owned).collect()
}

fn profile(root: Node<'_>) -> Ev<Profile> {
    let id = one(root.all(Cbc, "ProfileID"))?.map_or_else(String::new, |p| normalize(&string(p)));
    Ok(match id.as_str() {
        "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
        | "urn:peppol:france:billing:regulated"
        | "urn:peppol:france:billing:non-regulated" => Profile::Billing,
        "urn:peppol:bis:billing_with_response" => Profile::WithResponse,
        _ => Profile::Unknown,
    })
}

/// One step of `$supplierCountry`'s `if … then … else`: `None` when its condition is false,
/// else the upper-cased value.
type Branch = Ev<Option<String>>;

/// `/*/PARTY/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']/substring(cbc:CompanyID, 1, 2)`
/// as the condition of an `if`, then upper-cased and trimmed.
fn vat_prefix(root: Node<'_>, party: &[(Ns, &str)]) -> Branch {
    let mut path = party.to_vec();
    path.push((Cac, "PartyTaxScheme"));
    let mut prefixes: Vec<(Node<'_>, String)> = Vec::new();
    for scheme in select(root, &path) {
        if !any_is(scheme, &[(Cac, "TaxScheme"), (Cbc, "ID")], "VAT") {
            continue;
        }
        let id = one(scheme.all(Cbc, "CompanyID"))?;
        let prefix: String = id.map_or_else(String::new, |i| string(i).chars().take(2).collect());
        prefixes.push((scheme, prefix));
    }
    match prefixes.as_slice() {
        [] => Ok(None),
        [(_, p)] if p.is_empty() => Ok(None),
        [(_, p)] => Ok(Some(normalize(p).to_uppercase())),
        // The effective boolean value of two strings is an error.
        [(_, a), (second, b), ..] => Err(Halt::at(Why::Many, *second, &format!("{a} | {b}"))),
    }
}

/// `/*/PARTY/cac:PostalAddress/cac:Country/cbc:IdentificationCode` as the condition of an `if`,
/// then `upper-case(normalize-space(…))`.
fn address_code(root: Node<'_>, party: &[(Ns, &str)]) -> Branch {
    let mut path = party.to_vec();
    path.extend([
        (Cac, "PostalAddress"),
        (Cac, "Country"),
        (Cbc, "IdentificationCode"),
    ]);
    Ok(one(select(root, &path).into_iter())?.map(|c| normalize(&string(c)).to_uppercase()))
}

/// The first branch whose condition holds, else `XX`.
fn country(branches: &[Branch]) -> Ev<String> {
    for b in branches {
        if let Some(c) = b.clone()? {
            return Ok(c);
        }
    }
    Ok("XX".to_owned())
}

/// `upper-case(normalize-space(code)) = 'XX'`, where an absent code is the empty string.
fn is(code: &Branch, country: &str) -> Ev<bool> {
    Ok(code.clone()?.is_some_and(|c| c == country))
}

/// `concat(ubl-creditnote:CreditNote/PARTY/…/cbc:IdentificationCode,
/// ubl-invoice:Invoice/PARTY/…/cbc:IdentificationCode)` from the document node: the code as
/// written, empty when there is none.
fn concat_code(root: Node<'_>, party: &str) -> Ev<String> {
    let own_root = matches!(
        (root.ns(), root.name()),
        (Ns::Invoice, "Invoice") | (Ns::CreditNote, "CreditNote")
    );
    if !own_root {
        return Ok(String::new());
    }
    let path = [
        (Cac, party),
        (Cac, "Party"),
        (Cac, "PostalAddress"),
        (Cac, "Country"),
        (Cbc, "IdentificationCode"),
    ];
    Ok(one(select(root, &path).into_iter())?.map_or_else(String::new, |c| string(c).into_owned()))
}

thread_local! {
    /// The variables of the document being checked, for the length of one run: contexts and
    /// asserts ask for them node by node.
    static FACTS: RefCell<Option<Rc<Facts>>> = const { RefCell::new(None) };
}

/// Runs `f` with the variables of `root`'s document worked out once.
pub(crate) fn with_facts<T>(root: Node<'_>, f: impl FnOnce() -> T) -> T {
    let facts = Rc::new(Facts::of(root));
    let before = FACTS.with(|c| c.replace(Some(facts)));
    let out = f();
    FACTS.with(|c| c.replace(before));
    out
}

/// The variables of `n`'s document.
pub(crate) fn facts<T>(n: Node<'_>, f: impl FnOnce(&Facts) -> T) -> T {
    match FACTS.with(|c| c.borrow().clone()) {
        Some(facts) => f(&facts),
        None => f(&Facts::of(n.document().root())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts_of(xml: &str) -> Facts {
        let doc = crate::ubl::parse(xml.as_bytes()).unwrap();
        Facts::of(doc.root())
    }

    const HEAD: &str = r#"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
        xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
        xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">"#;

    fn party(vat: &[&str], country: &[&str]) -> String {
        let vat: String = vat
            .iter()
            .map(|v| {
                format!(
                    "<cac:PartyTaxScheme><cbc:CompanyID>{v}</cbc:CompanyID>\
                     <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>"
                )
            })
            .collect();
        let country: String = country
            .iter()
            .map(|c| format!("<cbc:IdentificationCode>{c}</cbc:IdentificationCode>"))
            .collect();
        format!(
            "<cac:AccountingSupplierParty><cac:Party><cac:PostalAddress><cac:Country>{country}\
             </cac:Country></cac:PostalAddress>{vat}</cac:Party></cac:AccountingSupplierParty>"
        )
    }

    #[test]
    fn supplier_country_prefers_the_vat_number() {
        let f = facts_of(&format!("{HEAD}{}</Invoice>", party(&["no123"], &["SE"])));
        assert_eq!(f.supplier_country, Ok("NO".into()));
        assert_eq!(f.seller_address_country, Ok("SE".into()));
        assert_eq!(f.supplier_de, Ok(false));
        let f = facts_of(&format!("{HEAD}{}</Invoice>", party(&[], &[" de "])));
        assert_eq!(f.supplier_country, Ok("DE".into()));
        assert_eq!(f.supplier_de, Ok(true));
        assert_eq!(f.seller_address_country, Ok(" de ".into()), "as written");
        let f = facts_of(&format!("{HEAD}</Invoice>"));
        assert_eq!(f.supplier_country, Ok("XX".into()));
        assert_eq!(f.seller_address_country, Ok(String::new()));
        assert_eq!(f.profile, Ok(Profile::Unknown));
    }

    #[test]
    fn variables_the_official_tool_cannot_evaluate() {
        let f = facts_of(&format!(
            "{HEAD}{}</Invoice>",
            party(&["NO1", "SE2"], &["NO"])
        ));
        assert_eq!(f.supplier_country.unwrap_err().0.cause, Why::Many);
        let f = facts_of(&format!("{HEAD}{}</Invoice>", party(&[], &["NL", "NL"])));
        assert_eq!(f.supplier_nl.unwrap_err().0.cause, Why::Many);
        assert!(f.seller_address_country.is_err());
        let f = facts_of(&format!(
            "{HEAD}<cbc:ProfileID>a</cbc:ProfileID><cbc:ProfileID>b</cbc:ProfileID></Invoice>"
        ));
        assert!(f.profile.is_err());
    }

    #[test]
    fn tokenize_keeps_empty_pieces() {
        assert_eq!(tokenize("2026-01-31", '-'), ["2026", "01", "31"]);
        assert_eq!(tokenize("a||b|", '|'), ["a", "", "b", ""]);
        assert!(tokenize("", '|').is_empty());
    }
}
