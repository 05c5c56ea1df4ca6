//! The UBL reader: the document tree ([`super::tree`]) mapped onto the model.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::UblError;
use super::tree::{Document, Node, Ns, parse};
use super::write::{
    BRANCH_DESCRIPTION, NOT_APPLICABLE, OBJECT_TYPE_CODE, PROJECT_TYPE_CODE, TICKET_DESCRIPTION,
    WORK_ORDER_DESCRIPTION,
};
use crate::model::ids::{SCHEME_KVK, SCHEME_OIN};
use crate::model::{
    Address, Adjustment, Attachment, Branch, Card, Classification, Contact, CurrencyCode, Delivery,
    DocumentAdjustment, Endpoint, Invoice, Item, ItemAttribute, Kvk, Line, Mandate, Oin, Party,
    Payee, PaymentMeans, Period, PrecedingInvoice, SchemedId, TaxRepresentative, TypeCode, Vat,
    VatCategory, WorkOrder,
};

/// What the mapping reads from an element: checked values, with errors that say where.
trait NodeRead {
    fn invalid(&self, value: &str, message: &'static str) -> UblError;
    fn decimal(&self) -> Result<Decimal, UblError>;
    fn date(&self) -> Result<NaiveDate, UblError>;
    fn schemed(&self) -> Option<SchemedId>;
}

impl NodeRead for Node<'_> {
    fn invalid(&self, value: &str, message: &'static str) -> UblError {
        let (line, column) = self.line_col();
        UblError::Invalid {
            path: self.path(),
            value: value.to_owned(),
            message,
            line,
            column,
        }
    }

    fn decimal(&self) -> Result<Decimal, UblError> {
        parse_decimal(self.text()).ok_or_else(|| self.invalid(self.text(), "not a decimal number"))
    }

    fn date(&self) -> Result<NaiveDate, UblError> {
        parse_date(self.text()).ok_or_else(|| self.invalid(self.text(), "not a date (YYYY-MM-DD)"))
    }

    fn schemed(&self) -> Option<SchemedId> {
        let id = self.text().trim();
        (!id.is_empty()).then(|| SchemedId {
            id: id.to_owned(),
            scheme: self
                .attr("schemeID")
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned),
        })
    }
}

/// Lookups by path below an element: `["Country", "IdentificationCode"]` follows `cac:` steps to
/// a `cbc:` leaf. Implemented by [`Node`] (scanning its children) and by [`Kids`] (children
/// collected once, for elements looked into many times).
trait Lookup<'d> {
    /// The first child with this namespace and name.
    fn first(&self, ns: Ns, name: &str) -> Option<Node<'d>>;
    /// The element itself, for error paths.
    fn node(&self) -> Node<'d>;

    fn at(&self, path: &[&str]) -> Option<Node<'d>> {
        let (last, steps) = path.split_last()?;
        match steps.split_first() {
            None => self.first(Ns::Cbc, last),
            Some((head, rest)) => {
                let mut n = self.first(Ns::Cac, head)?;
                for s in rest {
                    n = n.child(Ns::Cac, s)?;
                }
                n.child(Ns::Cbc, last)
            }
        }
    }

    /// Trimmed text of the leaf at `path`, if present and not blank.
    fn s(&self, path: &[&str]) -> Option<&'d str> {
        self.at(path)
            .map(|n| n.text().trim())
            .filter(|t| !t.is_empty())
    }

    fn string(&self, path: &[&str]) -> Option<String> {
        self.s(path).map(str::to_owned)
    }

    fn missing(&self, what: &str) -> UblError {
        UblError::Missing {
            path: format!("{}/{what}", self.node().path()),
        }
    }

    fn opt_decimal(&self, path: &[&str]) -> Result<Option<Decimal>, UblError> {
        self.at(path)
            .filter(|n| !n.text().trim().is_empty())
            .map(|n| n.decimal())
            .transpose()
    }

    fn opt_date(&self, path: &[&str]) -> Result<Option<NaiveDate>, UblError> {
        self.at(path)
            .filter(|n| !n.text().trim().is_empty())
            .map(|n| n.date())
            .transpose()
    }
}

impl<'d> Lookup<'d> for Node<'d> {
    fn first(&self, ns: Ns, name: &str) -> Option<Node<'d>> {
        self.child(ns, name)
    }
    fn node(&self) -> Node<'d> {
        *self
    }
}

/// Some children of an element, collected once.
struct Kids<'d> {
    parent: Node<'d>,
    nodes: Vec<Node<'d>>,
}

impl<'d> Kids<'d> {
    fn new(parent: Node<'d>, keep: impl Fn(&Node<'d>) -> bool) -> Kids<'d> {
        Kids {
            parent,
            nodes: parent.children().filter(keep).collect(),
        }
    }

    fn all(&self, ns: Ns, name: &'d str) -> impl Iterator<Item = Node<'d>> + '_ {
        self.nodes
            .iter()
            .copied()
            .filter(move |c| c.ns() == ns && c.name() == name)
    }

    fn child(&self, ns: Ns, name: &str) -> Option<Node<'d>> {
        self.nodes
            .iter()
            .copied()
            .find(|c| c.ns() == ns && c.name() == name)
    }
}

impl<'d> Lookup<'d> for Kids<'d> {
    fn first(&self, ns: Ns, name: &str) -> Option<Node<'d>> {
        self.child(ns, name)
    }
    fn node(&self) -> Node<'d> {
        self.parent
    }
}

/// xs:decimal: optional sign, digits with an optional decimal point; nothing else.
pub(crate) fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    let mut seen_digit = false;
    let mut seen_point = false;
    for b in digits.bytes() {
        match b {
            b'0'..=b'9' => seen_digit = true,
            b'.' if !seen_point => seen_point = true,
            _ => return None,
        }
    }
    if !seen_digit {
        return None;
    }
    let t = t.strip_prefix('+').unwrap_or(t);
    let t = t.strip_suffix('.').unwrap_or(t);
    let t: Cow<'_, str> = if t.starts_with('.') || t.starts_with("-.") {
        Cow::Owned(t.replacen('.', "0.", 1))
    } else {
        Cow::Borrowed(t)
    };
    t.parse::<Decimal>().ok()
}

/// xs:date, with an optional time zone that invoices do not need.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text.trim();
    let day = t.get(..10)?;
    let rest = &t[10..];
    let zone_ok = rest.is_empty()
        || rest == "Z"
        || (rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest.as_bytes()[3] == b':');
    if !zone_ok {
        return None;
    }
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

/// Reads a UBL 2.x Invoice or CreditNote into the model.
///
/// Totals in the document are not read: the model computes them. The document's own
/// CustomizationID and ProfileID are kept, so writing it again claims what it claimed.
pub fn from_xml(bytes: &[u8]) -> Result<Invoice, UblError> {
    let doc = parse(bytes)?;
    to_invoice(&doc)
}

/// Maps a parsed document onto the model.
pub fn to_invoice(doc: &Document) -> Result<Invoice, UblError> {
    let root = doc.root();
    let credit = match (root.ns(), root.name()) {
        (Ns::Invoice, "Invoice") => false,
        (Ns::CreditNote, "CreditNote") => true,
        _ => {
            return Err(UblError::NotUbl {
                namespace: doc.root_namespace().to_owned(),
                name: root.name().to_owned(),
            });
        }
    };
    let line_name = if credit {
        "CreditNoteLine"
    } else {
        "InvoiceLine"
    };
    let is_line = |c: &Node<'_>| c.ns() == Ns::Cac && c.name() == line_name;
    // Header lookups must not walk past every line of a long invoice.
    let root_node = root;
    let root = Kids::new(root_node, |c| !is_line(c));
    let number = root.string(&["ID"]).ok_or_else(|| root.missing("cbc:ID"))?;
    let issue_date = root
        .at(&["IssueDate"])
        .ok_or_else(|| root.missing("cbc:IssueDate"))?
        .date()?;
    let type_node = root.at(&[if credit {
        "CreditNoteTypeCode"
    } else {
        "InvoiceTypeCode"
    }]);
    let type_code = match type_node {
        Some(n) => TypeCode(
            n.text()
                .trim()
                .parse()
                .map_err(|_| n.invalid(n.text(), "not a UNCL 1001 document type code"))?,
        ),
        None if credit => TypeCode::CREDIT_NOTE,
        None => TypeCode::COMMERCIAL,
    };
    let currency_node = root
        .at(&["DocumentCurrencyCode"])
        .ok_or_else(|| root.missing("cbc:DocumentCurrencyCode"))?;
    let currency = CurrencyCode::new(currency_node.text().trim())
        .map_err(|_| currency_node.invalid(currency_node.text(), "not a currency code"))?;
    let tax_currency = match root.at(&["TaxCurrencyCode"]) {
        Some(n) => Some(
            CurrencyCode::new(n.text().trim())
                .map_err(|_| n.invalid(n.text(), "not a currency code"))?,
        ),
        None => None,
    };

    let mut inv = Invoice {
        number,
        issue_date,
        type_code,
        currency,
        tax_currency,
        tax_total_in_tax_currency: None,
        tax_point_date: root.opt_date(&["TaxPointDate"])?,
        due_date: root.opt_date(&["DueDate"])?,
        payment_terms: None,
        buyer_reference: root.string(&["BuyerReference"]),
        order_reference: root
            .string(&["OrderReference", "ID"])
            .filter(|r| r != NOT_APPLICABLE),
        sales_order_reference: root.string(&["OrderReference", "SalesOrderID"]),
        project_reference: root.string(&["ProjectReference", "ID"]),
        contract_reference: root.string(&["ContractDocumentReference", "ID"]),
        receiving_advice_reference: root.string(&["ReceiptDocumentReference", "ID"]),
        despatch_advice_reference: root.string(&["DespatchDocumentReference", "ID"]),
        tender_reference: root.string(&["OriginatorDocumentReference", "ID"]),
        invoiced_object: None,
        accounting_reference: root.string(&["AccountingCost"]),
        external_reference: None,
        preceding_invoices: Vec::new(),
        notes: root
            .all(Ns::Cbc, "Note")
            .map(|n| n.text().trim().to_owned())
            .filter(|n| !n.is_empty())
            .collect(),
        invoicing_period: match root.child(Ns::Cac, "InvoicePeriod") {
            Some(p) => Some(period(&p)?),
            None => None,
        },
        customization_id: root.string(&["CustomizationID"]),
        profile_id: root.string(&["ProfileID"]),
        supplier: Party::default(),
        customer: None,
        branch: None,
        work_order: None,
        payee: None,
        tax_representative: None,
        delivery: None,
        payment_means: Vec::new(),
        allowances: Vec::new(),
        charges: Vec::new(),
        prepaid_amount: root.opt_decimal(&["LegalMonetaryTotal", "PrepaidAmount"])?,
        rounding_amount: root.opt_decimal(&["LegalMonetaryTotal", "PayableRoundingAmount"])?,
        attachments: Vec::new(),
        lines: Vec::new(),
    };

    for b in root.all(Ns::Cac, "BillingReference") {
        if let Some(r) = b.child(Ns::Cac, "InvoiceDocumentReference")
            && let Some(number) = r.string(&["ID"])
        {
            inv.preceding_invoices.push(PrecedingInvoice {
                number,
                issue_date: r.opt_date(&["IssueDate"])?,
            });
        }
    }
    for adr in root.all(Ns::Cac, "AdditionalDocumentReference") {
        additional_document(&adr, &mut inv)?;
    }

    let supplier = root
        .child(Ns::Cac, "AccountingSupplierParty")
        .and_then(|s| s.child(Ns::Cac, "Party"))
        .ok_or_else(|| root.missing("cac:AccountingSupplierParty/cac:Party"))?;
    let (supplier, creditor_ids) = party(&supplier)?;
    inv.supplier = supplier;
    if let Some(c) = root
        .child(Ns::Cac, "AccountingCustomerParty")
        .and_then(|c| c.child(Ns::Cac, "Party"))
    {
        let (mut customer, sepa) = party(&c)?;
        // A SEPA creditor id belongs to suppliers; on a customer it is just an identifier.
        customer
            .identifiers
            .extend(sepa.into_iter().map(|id| SchemedId::new(id, "SEPA")));
        inv.customer = Some(customer);
    }
    if let Some(p) = root.child(Ns::Cac, "PayeeParty") {
        inv.payee = Some(Payee {
            name: p
                .string(&["PartyName", "Name"])
                .ok_or_else(|| p.missing("cac:PartyName/cbc:Name"))?,
            identifier: p
                .at(&["PartyIdentification", "ID"])
                .and_then(|n| n.schemed()),
            legal_id: p
                .at(&["PartyLegalEntity", "CompanyID"])
                .and_then(|n| n.schemed()),
        });
    }
    if let Some(t) = root.child(Ns::Cac, "TaxRepresentativeParty") {
        inv.tax_representative = Some(TaxRepresentative {
            name: t
                .string(&["PartyName", "Name"])
                .ok_or_else(|| t.missing("cac:PartyName/cbc:Name"))?,
            vat_number: t
                .string(&["PartyTaxScheme", "CompanyID"])
                .unwrap_or_default(),
            address: t
                .child(Ns::Cac, "PostalAddress")
                .map(|a| address(&a))
                .unwrap_or_default(),
        });
    }
    if let Some(d) = root.child(Ns::Cac, "Delivery") {
        let location = d.child(Ns::Cac, "DeliveryLocation");
        inv.delivery = Some(Delivery {
            party_name: d.string(&["DeliveryParty", "PartyName", "Name"]),
            location_id: location
                .and_then(|l| l.child(Ns::Cbc, "ID"))
                .and_then(|n| n.schemed()),
            date: d.opt_date(&["ActualDeliveryDate"])?,
            address: location
                .and_then(|l| l.child(Ns::Cac, "Address"))
                .map(|a| address(&a)),
        });
    }
    let mut creditor_ids = creditor_ids.into_iter();
    for m in root.all(Ns::Cac, "PaymentMeans") {
        if inv.due_date.is_none() {
            inv.due_date = m.opt_date(&["PaymentDueDate"])?;
        }
        let mandate = m.child(Ns::Cac, "PaymentMandate").map(|pm| Mandate {
            reference: pm.string(&["ID"]),
            creditor_id: None,
            debited_account: pm.string(&["PayerFinancialAccount", "ID"]),
        });
        let mandate = mandate.map(|mut md| {
            md.creditor_id = creditor_ids.next();
            md
        });
        let code_node = m.child(Ns::Cbc, "PaymentMeansCode");
        inv.payment_means.push(PaymentMeans {
            code: code_node
                .map(|c| c.text().trim().to_owned())
                .unwrap_or_default(),
            name: code_node
                .and_then(|c| c.attr("name"))
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty()),
            payment_id: m.string(&["PaymentID"]),
            iban: m.string(&["PayeeFinancialAccount", "ID"]),
            account_name: m.string(&["PayeeFinancialAccount", "Name"]),
            bic: m.string(&["PayeeFinancialAccount", "FinancialInstitutionBranch", "ID"]),
            card: m.child(Ns::Cac, "CardAccount").map(|c| Card {
                number: c.string(&["PrimaryAccountNumberID"]).unwrap_or_default(),
                holder: c.string(&["HolderName"]),
                network: c.string(&["NetworkID"]).filter(|n| n != NOT_APPLICABLE),
            }),
            mandate,
        });
    }
    // Creditor ids with no mandate to carry them stay identifiers of the supplier.
    inv.supplier
        .identifiers
        .extend(creditor_ids.map(|id| SchemedId::new(id, "SEPA")));
    let terms: Vec<&str> = root
        .all(Ns::Cac, "PaymentTerms")
        .filter_map(|t| t.s(&["Note"]))
        .collect();
    if !terms.is_empty() {
        inv.payment_terms = Some(terms.join("\n"));
    }

    // Exemption reasons live in the VAT breakdown; the model keeps them with the lines.
    let mut reasons: BTreeMap<GroupKey, ExemptionReason> = BTreeMap::new();
    let mut groups: Vec<Vat> = Vec::new();
    for total in root.all(Ns::Cac, "TaxTotal") {
        let amount = total.at(&["TaxAmount"]);
        let in_tax_currency = match (amount.and_then(|a| a.attr("currencyID")), &inv.tax_currency) {
            (Some(c), Some(tc)) => c.trim() == tc.as_str() && tc != &inv.currency,
            _ => false,
        };
        if in_tax_currency && total.child(Ns::Cac, "TaxSubtotal").is_none() {
            inv.tax_total_in_tax_currency = amount.map(|a| a.decimal()).transpose()?;
            continue;
        }
        for sub in total.all(Ns::Cac, "TaxSubtotal") {
            if let Some(cat) = sub.child(Ns::Cac, "TaxCategory") {
                let vat = tax_category(&cat)?;
                if let Some(category) = vat.category {
                    groups.push(vat.clone());
                    reasons
                        .entry(group_key(category, vat.percentage))
                        .or_insert((
                            cat.string(&["TaxExemptionReason"]),
                            cat.string(&["TaxExemptionReasonCode"]),
                        ));
                }
            }
        }
    }
    let with_reason = |mut vat: Vat| {
        if let Some(category) = vat.category
            && let Some((reason, code)) = reasons.get(&group_key(category, vat.percentage))
        {
            vat.exemption_reason = reason.clone();
            vat.exemption_reason_code = code.clone();
        }
        vat
    };

    for ac in root.all(Ns::Cac, "AllowanceCharge") {
        let (charge, a) = adjustment(&ac)?;
        let vat = match ac.child(Ns::Cac, "TaxCategory") {
            Some(c) => with_reason(tax_category(&c)?),
            None => Vat::default(),
        };
        let d = DocumentAdjustment {
            amount: a.amount,
            base_amount: a.base_amount,
            percentage: a.percentage,
            reason: a.reason,
            reason_code: a.reason_code,
            vat,
        };
        if charge {
            inv.charges.push(d);
        } else {
            inv.allowances.push(d);
        }
    }

    // Older (UBL 2.0) documents often state VAT only in the breakdown. With one VAT group
    // there is no doubt which VAT a line without its own category has.
    let only_group = match groups.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    };
    for l in root_node.children().filter(is_line) {
        let mut line = line(&l, credit)?;
        if line.vat.category.is_none()
            && let Some(g) = &only_group
        {
            line.vat = g.clone();
        }
        line.vat = with_reason(line.vat);
        inv.lines.push(line);
    }
    Ok(inv)
}

/// A VAT group: category and rate.
type GroupKey = (VatCategory, Option<Decimal>);
/// Exemption reason text and code of a VAT group.
type ExemptionReason = (Option<String>, Option<String>);

/// VAT group key as the model forms it: untaxed categories ignore the rate.
fn group_key(category: VatCategory, rate: Option<Decimal>) -> GroupKey {
    if category.is_taxed() {
        (category, rate)
    } else if category.has_rate() {
        (category, Some(Decimal::ZERO))
    } else {
        (category, None)
    }
}

fn period(p: &Node<'_>) -> Result<Period, UblError> {
    Ok(Period {
        start: p.opt_date(&["StartDate"])?,
        end: p.opt_date(&["EndDate"])?,
    })
}

fn additional_document(adr: &Node<'_>, inv: &mut Invoice) -> Result<(), UblError> {
    let Some(id_node) = adr.child(Ns::Cbc, "ID") else {
        return Ok(());
    };
    let id = id_node.text().trim().to_owned();
    let type_code = adr.s(&["DocumentTypeCode"]);
    let description = adr.string(&["DocumentDescription"]);
    let attachment = adr.child(Ns::Cac, "Attachment");
    match type_code {
        Some(OBJECT_TYPE_CODE) if inv.invoiced_object.is_none() => {
            inv.invoiced_object = id_node.schemed();
            return Ok(());
        }
        Some(PROJECT_TYPE_CODE) if inv.project_reference.is_none() => {
            inv.project_reference = Some(id);
            return Ok(());
        }
        _ => {}
    }
    if type_code.is_none()
        && attachment.is_none()
        && let Some(d) = description.as_deref()
    {
        let rest = |prefix: &str| {
            d.strip_prefix(prefix)
                .filter(|r| r.is_empty() || r.starts_with(' '))
                .map(|r| r.trim().to_owned())
        };
        if let (Some(source), None) = (rest(WORK_ORDER_DESCRIPTION), &inv.work_order) {
            inv.work_order = Some(WorkOrder {
                number: id,
                source: (!source.is_empty()).then_some(source),
            });
            return Ok(());
        }
        if d == TICKET_DESCRIPTION && inv.external_reference.is_none() {
            inv.external_reference = Some(id);
            return Ok(());
        }
        if let (Some(name), None) = (rest(BRANCH_DESCRIPTION), &inv.branch) {
            inv.branch = Some(Branch {
                id,
                name: (!name.is_empty()).then_some(name),
                address: None,
            });
            return Ok(());
        }
    }
    let mut a = Attachment {
        id,
        description,
        ..Attachment::default()
    };
    if let Some(att) = attachment {
        if let Some(obj) = att.child(Ns::Cbc, "EmbeddedDocumentBinaryObject") {
            use base64::Engine;
            let clean: Vec<u8> = obj
                .text()
                .bytes()
                .filter(|b| !b.is_ascii_whitespace())
                .collect();
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&clean)
                .map_err(|_| obj.invalid("(binary object)", "not valid base64"))?;
            a.content = Some(bytes);
            a.mime_code = obj.attr("mimeCode").map(|m| m.trim().to_owned());
            a.filename = obj.attr("filename").map(|f| f.trim().to_owned());
        }
        a.uri = att.string(&["ExternalReference", "URI"]);
    }
    inv.attachments.push(a);
    Ok(())
}

/// A party and the SEPA creditor ids found among its identifiers.
fn party(p: &Node<'_>) -> Result<(Party, Vec<String>), UblError> {
    let mut party = Party::default();
    let mut sepa = Vec::new();
    if let Some(e) = p.child(Ns::Cbc, "EndpointID") {
        let id = e.text().trim();
        if !id.is_empty() {
            party.endpoint = Some(Endpoint {
                id: id.to_owned(),
                scheme: e.attr("schemeID").unwrap_or("").trim().to_owned(),
            });
        }
    }
    for pi in p.all(Ns::Cac, "PartyIdentification") {
        if let Some(id) = pi.child(Ns::Cbc, "ID").and_then(|n| n.schemed()) {
            if id.scheme.as_deref() == Some("SEPA") {
                sepa.push(id.id);
            } else {
                party.identifiers.push(id);
            }
        }
    }
    party.trading_name = p.string(&["PartyName", "Name"]);
    if let Some(a) = p.child(Ns::Cac, "PostalAddress") {
        party.address = address(&a);
    }
    for ts in p.all(Ns::Cac, "PartyTaxScheme") {
        let value = ts.string(&["CompanyID"]);
        if ts
            .s(&["TaxScheme", "ID"])
            .is_some_and(|s| s.eq_ignore_ascii_case("VAT"))
        {
            if party.vat_number.is_none() {
                party.vat_number = value;
            }
        } else if party.tax_registration.is_none() {
            party.tax_registration = value;
        }
    }
    let legal = p.child(Ns::Cac, "PartyLegalEntity");
    party.name = legal
        .and_then(|l| l.string(&["RegistrationName"]))
        .or_else(|| party.trading_name.clone())
        .ok_or_else(|| p.missing("cac:PartyLegalEntity/cbc:RegistrationName"))?;
    if let Some(l) = legal {
        if let Some(id) = l.child(Ns::Cbc, "CompanyID").and_then(|n| n.schemed()) {
            // UBL 2.0 (SI-UBL 1.x) documents name the schemes NL:KVK and NL:OIN.
            match id.scheme.as_deref() {
                Some(SCHEME_KVK | "NL:KVK") if Kvk::new(id.id.as_str()).is_ok() => {
                    party.kvk = Kvk::new(id.id).ok();
                }
                Some(SCHEME_OIN | "NL:OIN") if Oin::new(id.id.as_str()).is_ok() => {
                    party.oin = Oin::new(id.id).ok();
                }
                _ => party.legal_id = Some(id),
            }
        }
        party.legal_info = l.string(&["CompanyLegalForm"]);
    }
    if let Some(c) = p.child(Ns::Cac, "Contact") {
        let contact = Contact {
            name: c.string(&["Name"]),
            phone: c.string(&["Telephone"]),
            email: c.string(&["ElectronicMail"]),
        };
        if contact != Contact::default() {
            party.contact = Some(contact);
        }
    }
    Ok((party, sepa))
}

/// Splits `Keizersgracht 123-A` into street, house number and addition; a line that does not
/// end in a house number stays whole as the street.
fn split_street(line: &str) -> (Option<String>, Option<String>, Option<String>) {
    let line = line.trim();
    let Some(space) = line.rfind(' ') else {
        return (Some(line.to_owned()), None, None);
    };
    let (street, tail) = (line[..space].trim_end(), &line[space + 1..]);
    let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || street.is_empty() {
        return (Some(line.to_owned()), None, None);
    }
    let number = &tail[..digits];
    let rest = tail[digits..].trim_start_matches('-');
    if !rest.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return (Some(line.to_owned()), None, None);
    }
    (
        Some(street.to_owned()),
        Some(number.to_owned()),
        (!rest.is_empty()).then(|| rest.to_owned()),
    )
}

fn address(a: &Node<'_>) -> Address {
    let (street, house_number, house_number_addition) = match a.s(&["StreetName"]) {
        Some(line) => split_street(line),
        None => (None, None, None),
    };
    Address {
        street,
        house_number,
        house_number_addition,
        additional_street: a.string(&["AdditionalStreetName"]),
        address_line_3: a.string(&["AddressLine", "Line"]),
        postcode: a.string(&["PostalZone"]),
        city: a.string(&["CityName"]),
        subdivision: a.string(&["CountrySubentity"]),
        country_code: a.string(&["Country", "IdentificationCode"]),
    }
}

fn tax_category(c: &Node<'_>) -> Result<Vat, UblError> {
    let category = match c.child(Ns::Cbc, "ID") {
        Some(n) => Some(
            VatCategory::from_code(n.text().trim())
                .ok_or_else(|| n.invalid(n.text(), "not an EN 16931 VAT category code"))?,
        ),
        None => None,
    };
    Ok(Vat {
        code: None,
        percentage: c.opt_decimal(&["Percent"])?,
        category,
        exemption_reason: None,
        exemption_reason_code: None,
    })
}

/// An allowance or charge: whether it is a charge, and its amounts.
fn adjustment(ac: &Node<'_>) -> Result<(bool, Adjustment), UblError> {
    let indicator = ac
        .at(&["ChargeIndicator"])
        .ok_or_else(|| ac.missing("cbc:ChargeIndicator"))?;
    let charge = match indicator.text().trim() {
        "true" | "1" => true,
        "false" | "0" => false,
        other => return Err(indicator.invalid(other, "not a boolean")),
    };
    Ok((
        charge,
        Adjustment {
            amount: ac.opt_decimal(&["Amount"])?,
            base_amount: ac.opt_decimal(&["BaseAmount"])?,
            percentage: ac.opt_decimal(&["MultiplierFactorNumeric"])?,
            reason: ac.string(&["AllowanceChargeReason"]),
            reason_code: ac.string(&["AllowanceChargeReasonCode"]),
        },
    ))
}

/// Keeps the first of repeated elements, as the lookups do.
fn first<'d>(slot: &mut Option<Node<'d>>, n: Node<'d>) {
    slot.get_or_insert(n);
}

/// Trimmed, non-blank text of an optional leaf.
fn leaf(n: Option<Node<'_>>) -> Option<String> {
    n.map(|n| n.text().trim())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// An invoice line, in one pass over its children (and one over its item's and price's): lines
/// are most of a long invoice.
fn line(l: &Node<'_>, credit: bool) -> Result<Line, UblError> {
    let qty_name = if credit {
        "CreditedQuantity"
    } else {
        "InvoicedQuantity"
    };
    let (mut id, mut note, mut qty, mut cost, mut period_node) = (None, None, None, None, None);
    let (mut order_line, mut doc_ref, mut item, mut price) = (None, None, None, None);
    let mut allowances = Vec::new();
    let mut charges = Vec::new();
    for c in l.children() {
        match (c.ns(), c.name()) {
            (Ns::Cbc, "ID") => first(&mut id, c),
            (Ns::Cbc, "Note") => first(&mut note, c),
            (Ns::Cbc, n) if n == qty_name => first(&mut qty, c),
            (Ns::Cbc, "AccountingCost") => first(&mut cost, c),
            (Ns::Cac, "InvoicePeriod") => first(&mut period_node, c),
            (Ns::Cac, "OrderLineReference") => first(&mut order_line, c),
            (Ns::Cac, "DocumentReference") => first(&mut doc_ref, c),
            (Ns::Cac, "Item") => first(&mut item, c),
            (Ns::Cac, "Price") => first(&mut price, c),
            (Ns::Cac, "AllowanceCharge") => {
                let (charge, a) = adjustment(&c)?;
                if charge {
                    charges.push(a);
                } else {
                    allowances.push(a);
                }
            }
            _ => {}
        }
    }
    let qty = qty.ok_or_else(|| l.missing(&format!("cbc:{qty_name}")))?;
    let item = item.ok_or_else(|| l.missing("cac:Item"))?;
    let price = price.ok_or_else(|| l.missing("cac:Price"))?;

    let (mut price_amount, mut base_quantity, mut price_ac) = (None, None, None);
    for c in price.children() {
        match (c.ns(), c.name()) {
            (Ns::Cbc, "PriceAmount") => first(&mut price_amount, c),
            (Ns::Cbc, "BaseQuantity") => first(&mut base_quantity, c),
            (Ns::Cac, "AllowanceCharge") => first(&mut price_ac, c),
            _ => {}
        }
    }
    let price_amount = price_amount
        .ok_or_else(|| price.missing("cbc:PriceAmount"))?
        .decimal()?;
    let base_quantity = base_quantity
        .filter(|n| !n.text().trim().is_empty())
        .map(|n| n.decimal())
        .transpose()?;

    let (mut description, mut name, mut buyers, mut sellers, mut standard) =
        (None, None, None, None, None);
    let (mut origin, mut tax) = (None, None);
    let mut classifications = Vec::new();
    let mut attributes = Vec::new();
    for c in item.children() {
        match (c.ns(), c.name()) {
            (Ns::Cbc, "Description") => first(&mut description, c),
            (Ns::Cbc, "Name") => first(&mut name, c),
            (Ns::Cac, "BuyersItemIdentification") => first(&mut buyers, c),
            (Ns::Cac, "SellersItemIdentification") => first(&mut sellers, c),
            (Ns::Cac, "StandardItemIdentification") => first(&mut standard, c),
            (Ns::Cac, "OriginCountry") => first(&mut origin, c),
            (Ns::Cac, "ClassifiedTaxCategory") => first(&mut tax, c),
            (Ns::Cac, "CommodityClassification") => {
                if let Some(n) = c
                    .child(Ns::Cbc, "ItemClassificationCode")
                    .filter(|n| !n.text().trim().is_empty())
                {
                    classifications.push(Classification {
                        code: n.text().trim().to_owned(),
                        list_id: n.attr("listID").unwrap_or("").trim().to_owned(),
                        list_version: n
                            .attr("listVersionID")
                            .map(|v| v.trim().to_owned())
                            .filter(|v| !v.is_empty()),
                    });
                }
            }
            (Ns::Cac, "AdditionalItemProperty") => attributes.push(ItemAttribute {
                name: c.string(&["Name"]).unwrap_or_default(),
                value: c.string(&["Value"]).unwrap_or_default(),
            }),
            _ => {}
        }
    }
    let vat = match tax {
        Some(c) => tax_category(&c)?,
        None => Vat::default(),
    };
    let (gross_price, price_discount) = match price_ac {
        Some(ac) => (
            ac.opt_decimal(&["BaseAmount"])?,
            ac.opt_decimal(&["Amount"])?,
        ),
        None => (None, None),
    };
    Ok(Line {
        id: leaf(id).ok_or_else(|| l.missing("cbc:ID"))?,
        note: leaf(note),
        object_id: doc_ref
            .and_then(|d| d.child(Ns::Cbc, "ID"))
            .and_then(|n| n.schemed()),
        quantity: qty.decimal()?,
        unit_code: qty
            .attr("unitCode")
            .map(|u| u.trim().to_owned())
            .filter(|u| !u.is_empty())
            .unwrap_or_else(|| "C62".to_owned()),
        price: price_amount,
        base_quantity,
        gross_price,
        price_discount,
        order_line_reference: order_line.and_then(|o| o.string(&["LineID"])),
        cost_centre: leaf(cost),
        project: None,
        period: period_node.map(|p| period(&p)).transpose()?,
        allowances,
        charges,
        vat,
        item: Item {
            name: leaf(name).ok_or_else(|| item.missing("cbc:Name"))?,
            description: leaf(description),
            seller_id: sellers.and_then(|n| n.string(&["ID"])),
            buyer_id: buyers.and_then(|n| n.string(&["ID"])),
            standard_id: standard
                .and_then(|n| n.child(Ns::Cbc, "ID"))
                .and_then(|n| n.schemed()),
            classifications,
            origin_country: origin.and_then(|n| n.string(&["IdentificationCode"])),
            attributes,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_strict() {
        assert_eq!(parse_decimal(" 12.50 "), Some(Decimal::new(1250, 2)));
        assert_eq!(parse_decimal("-.5"), Some(Decimal::new(-5, 1)));
        assert_eq!(parse_decimal("+3."), Some(Decimal::new(3, 0)));
        for bad in ["", "1e3", "1_000", "1,5", "--1", ".", "NaN", "1.2.3"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates() {
        assert!(parse_date("2026-02-03").is_some());
        assert!(parse_date("2026-02-03Z").is_some());
        assert!(parse_date("2026-02-03+01:00").is_some());
        assert!(parse_date("2026-02-30").is_none());
        assert!(parse_date("03-02-2026").is_none());
        assert!(parse_date("2026-02-03T10:00").is_none());
    }

    #[test]
    fn street_split() {
        let s = |l| split_street(l);
        assert_eq!(
            s("Keizersgracht 123-A"),
            (
                Some("Keizersgracht".into()),
                Some("123".into()),
                Some("A".into())
            )
        );
        assert_eq!(
            s("Dorpsstraat 7"),
            (Some("Dorpsstraat".into()), Some("7".into()), None)
        );
        assert_eq!(s("Plein 1944 12b").1.as_deref(), Some("12"));
        assert_eq!(
            s("221B Baker Street"),
            (Some("221B Baker Street".into()), None, None)
        );
        assert_eq!(s("Postbus"), (Some("Postbus".into()), None, None));
        assert_eq!(s("Laan 3/5"), (Some("Laan 3/5".into()), None, None));
    }

    #[test]
    fn wrong_root() {
        let e = from_xml(b"<Order xmlns='urn:oasis:names:specification:ubl:schema:xsd:Order-2'/>")
            .unwrap_err();
        assert!(e.to_string().contains("Order"), "{e}");
    }
}
