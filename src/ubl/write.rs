//! The UBL writer: one pass over the model with quick-xml's event writer, elements in the order
//! of the UBL 2.1 schema.

use chrono::NaiveDate;
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use rust_decimal::Decimal;

use super::{Profile, UblError, ns};
use crate::model::ids::{SCHEME_KVK, SCHEME_OIN};
use crate::model::totals::ResolvedAdjustment;
use crate::model::{
    Address, Adjustment, Delivery, DocumentAdjustment, Invoice, Line, LineTotals, Party,
    PaymentMeans, Period, SchemedId, Totals, VatCodeTable,
};

/// Description of the supporting-document reference that carries the work order (*werkbon*).
pub(crate) const WORK_ORDER_DESCRIPTION: &str = "Werkbon";
/// Description of the supporting-document reference that carries the VAT ticket.
pub(crate) const TICKET_DESCRIPTION: &str = "BTW-ticket";
/// Description of the supporting-document reference that carries the branch (*vestiging*).
pub(crate) const BRANCH_DESCRIPTION: &str = "Vestiging";
/// Document type code (UNCL 1001) of an invoiced object reference (BT-18, BT-128).
pub(crate) const OBJECT_TYPE_CODE: &str = "130";
/// Document type code of a project reference in a credit note (BT-11).
pub(crate) const PROJECT_TYPE_CODE: &str = "50";
/// Written where UBL needs an identifier that EN 16931 leaves optional.
pub(crate) const NOT_APPLICABLE: &str = "NA";

type Res = Result<(), UblError>;

/// Writes `invoice` as a UBL 2.1 Invoice, or a CreditNote when its type code is a credit note
/// type, following `profile`. VAT codes are resolved against the Dutch default table.
///
/// The output is deterministic: the same invoice gives the same bytes.
pub fn to_xml(invoice: &Invoice, profile: Profile) -> Result<Vec<u8>, UblError> {
    to_xml_with(invoice, profile, &VatCodeTable::dutch_default())
}

/// [`to_xml`] with the back office's own VAT code table.
pub fn to_xml_with(
    invoice: &Invoice,
    profile: Profile,
    table: &VatCodeTable,
) -> Result<Vec<u8>, UblError> {
    let totals = invoice.totals_with(table)?;
    let mut out = Out {
        w: Writer::new_with_indent(
            Vec::with_capacity(4096 + 1500 * invoice.lines.len()),
            b' ',
            2,
        ),
        nlcius: profile == Profile::Nlcius,
        currency: invoice.currency.as_str(),
        scratch: String::with_capacity(32),
        tag: String::with_capacity(128),
    };
    out.document(invoice, &totals, profile, table)?;
    let mut bytes = out.w.into_inner();
    bytes.push(b'\n');
    Ok(bytes)
}

struct Out<'a> {
    w: Writer<Vec<u8>>,
    nlcius: bool,
    currency: &'a str,
    /// Reused for formatting numbers and dates, so they cost no allocation each.
    scratch: String,
    /// Reused for start tags with attributes.
    tag: String,
}

fn io(e: std::io::Error) -> UblError {
    UblError::Xml {
        line: 0,
        column: 0,
        message: e.to_string(),
    }
}

/// Refuses characters that XML 1.0 cannot carry (C0 controls other than tab, LF, CR, and the
/// non-characters U+FFFE/U+FFFF, which UTF-8 spells EF BF BE / EF BF BF).
fn check_chars(element: &'static str, text: &str) -> Res {
    let bytes = text.as_bytes();
    let bad = bytes.iter().enumerate().find(|&(i, &b)| {
        (b < b' ' && !matches!(b, b'\t' | b'\n' | b'\r'))
            || (b == 0xEF
                && bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)))
    });
    match bad {
        None => Ok(()),
        Some((i, _)) => Err(UblError::InvalidCharacter {
            element,
            code: text[i..].chars().next().map_or(0, u32::from),
        }),
    }
}

fn present(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

impl Out<'_> {
    fn open(&mut self, name: &'static str) -> Res {
        self.w
            .write_event(Event::Start(BytesStart::new(name)))
            .map_err(io)
    }

    fn close(&mut self, name: &'static str) -> Res {
        self.w
            .write_event(Event::End(BytesEnd::new(name)))
            .map_err(io)
    }

    /// `<name attrs...>text</name>`. The start tag of an element with attributes is built in a
    /// reused buffer: amounts, quantities and identifiers all carry one, and allocating per
    /// element was the writer's largest cost after the XML itself.
    fn element(&mut self, name: &'static str, attrs: &[(&str, &str)], text: &str) -> Res {
        check_chars(name, text)?;
        if attrs.is_empty() {
            self.w
                .write_event(Event::Start(BytesStart::new(name)))
                .map_err(io)?;
        } else {
            let mut tag = std::mem::take(&mut self.tag);
            tag.clear();
            tag.push_str(name);
            for &(k, v) in attrs {
                check_chars(name, v)?;
                tag.push(' ');
                tag.push_str(k);
                tag.push_str("=\"");
                tag.push_str(&quick_xml::escape::escape(v));
                tag.push('"');
            }
            let written = self
                .w
                .write_event(Event::Start(BytesStart::from_content(
                    tag.as_str(),
                    name.len(),
                )))
                .map_err(io);
            self.tag = tag;
            written?;
        }
        self.w
            .write_event(Event::Text(BytesText::new(text)))
            .map_err(io)?;
        self.w
            .write_event(Event::End(BytesEnd::new(name)))
            .map_err(io)
    }

    fn text(&mut self, name: &'static str, text: &str) -> Res {
        self.element(name, &[], text)
    }

    /// A mandatory element: blank text is refused, naming the model field (`what`) to fill in.
    fn required(&mut self, name: &'static str, text: &str, what: impl FnOnce() -> String) -> Res {
        if text.trim().is_empty() {
            return Err(UblError::Missing { path: what() });
        }
        self.text(name, text)
    }

    /// An optional element: written only when there is non-blank text.
    fn opt(&mut self, name: &'static str, text: Option<&str>) -> Res {
        match present(text) {
            Some(t) => self.text(name, t),
            None => Ok(()),
        }
    }

    /// An identifier with an optional scheme attribute.
    fn id(&mut self, name: &'static str, id: &str, scheme: Option<&str>) -> Res {
        match present(scheme) {
            Some(s) => self.element(name, &[("schemeID", s)], id),
            None => self.text(name, id),
        }
    }

    /// An element whose text is `value` formatted, with optional attributes.
    fn formatted(
        &mut self,
        name: &'static str,
        attrs: &[(&str, &str)],
        value: impl std::fmt::Display,
    ) -> Res {
        use std::fmt::Write as _;
        let mut text = std::mem::take(&mut self.scratch);
        text.clear();
        let _ = write!(text, "{value}");
        let result = self.element(name, attrs, &text);
        self.scratch = text;
        result
    }

    fn amount(&mut self, name: &'static str, value: Decimal) -> Res {
        let currency = self.currency;
        self.formatted(name, &[("currencyID", currency)], value)
    }

    fn decimal(&mut self, name: &'static str, value: Decimal) -> Res {
        self.formatted(name, &[], value)
    }

    fn date(&mut self, name: &'static str, date: NaiveDate) -> Res {
        self.formatted(name, &[], date)
    }

    fn opt_date(&mut self, name: &'static str, date: Option<NaiveDate>) -> Res {
        match date {
            Some(d) => self.date(name, d),
            None => Ok(()),
        }
    }

    /// A `cac:X` wrapper holding one `cbc:ID`, when the id is present.
    fn reference(&mut self, wrapper: &'static str, id: Option<&str>) -> Res {
        if let Some(id) = present(id) {
            self.open(wrapper)?;
            self.text("cbc:ID", id)?;
            self.close(wrapper)?;
        }
        Ok(())
    }

    /// A `cac:X` wrapper holding a scheme-qualified `cbc:ID` and, if given, a document type code.
    fn schemed_reference(
        &mut self,
        wrapper: &'static str,
        id: Option<&SchemedId>,
        type_code: Option<&str>,
    ) -> Res {
        if let Some(id) = id {
            self.open(wrapper)?;
            self.id("cbc:ID", &id.id, id.scheme.as_deref())?;
            self.opt("cbc:DocumentTypeCode", type_code)?;
            self.close(wrapper)?;
        }
        Ok(())
    }

    fn document(
        &mut self,
        inv: &Invoice,
        totals: &Totals,
        profile: Profile,
        table: &VatCodeTable,
    ) -> Res {
        let credit = inv.is_credit_note();
        let root = if credit { "CreditNote" } else { "Invoice" };
        self.w
            .write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))
            .map_err(io)?;
        let mut start = BytesStart::new(root);
        start.push_attribute(("xmlns", if credit { ns::CREDIT_NOTE } else { ns::INVOICE }));
        start.push_attribute(("xmlns:cac", ns::CAC));
        start.push_attribute(("xmlns:cbc", ns::CBC));
        self.w.write_event(Event::Start(start)).map_err(io)?;

        let customization =
            present(inv.customization_id.as_deref()).unwrap_or_else(|| profile.customization_id());
        self.text("cbc:CustomizationID", customization)?;
        // A document read from UBL claims exactly what it claimed: no ProfileID is added to one
        // that had none. New documents get the profile's.
        let process = match (present(inv.profile_id.as_deref()), &inv.customization_id) {
            (Some(p), _) => Some(p),
            (None, Some(_)) => None,
            (None, None) => Some(profile.profile_id()),
        };
        self.opt("cbc:ProfileID", process)?;
        self.required("cbc:ID", &inv.number, || "$.number".into())?;
        self.date("cbc:IssueDate", inv.issue_date)?;
        let type_code = inv.type_code;
        if credit {
            self.opt_date("cbc:TaxPointDate", inv.tax_point_date)?;
            self.formatted("cbc:CreditNoteTypeCode", &[], type_code)?;
            for note in &inv.notes {
                self.opt("cbc:Note", Some(note))?;
            }
        } else {
            self.opt_date("cbc:DueDate", inv.due_date)?;
            self.formatted("cbc:InvoiceTypeCode", &[], type_code)?;
            for note in &inv.notes {
                self.opt("cbc:Note", Some(note))?;
            }
            self.opt_date("cbc:TaxPointDate", inv.tax_point_date)?;
        }
        self.text("cbc:DocumentCurrencyCode", inv.currency.as_str())?;
        if let Some(tc) = &inv.tax_currency {
            self.text("cbc:TaxCurrencyCode", tc.as_str())?;
        }
        self.opt("cbc:AccountingCost", inv.accounting_reference.as_deref())?;
        self.opt("cbc:BuyerReference", inv.buyer_reference.as_deref())?;
        if let Some(p) = &inv.invoicing_period {
            self.period(p)?;
        }
        let order = present(inv.order_reference.as_deref());
        let sales_order = present(inv.sales_order_reference.as_deref());
        if order.is_some() || sales_order.is_some() {
            self.open("cac:OrderReference")?;
            self.text("cbc:ID", order.unwrap_or(NOT_APPLICABLE))?;
            self.opt("cbc:SalesOrderID", sales_order)?;
            self.close("cac:OrderReference")?;
        }
        for p in &inv.preceding_invoices {
            self.open("cac:BillingReference")?;
            self.open("cac:InvoiceDocumentReference")?;
            self.text("cbc:ID", &p.number)?;
            // SI-UBL 2.0 asks to leave the preceding invoice's date out (BR-NL-24).
            if !self.nlcius {
                self.opt_date("cbc:IssueDate", p.issue_date)?;
            }
            self.close("cac:InvoiceDocumentReference")?;
            self.close("cac:BillingReference")?;
        }
        self.reference(
            "cac:DespatchDocumentReference",
            inv.despatch_advice_reference.as_deref(),
        )?;
        self.reference(
            "cac:ReceiptDocumentReference",
            inv.receiving_advice_reference.as_deref(),
        )?;
        if credit {
            self.reference(
                "cac:ContractDocumentReference",
                inv.contract_reference.as_deref(),
            )?;
            self.additional_documents(inv, true)?;
            self.reference(
                "cac:OriginatorDocumentReference",
                inv.tender_reference.as_deref(),
            )?;
        } else {
            self.reference(
                "cac:OriginatorDocumentReference",
                inv.tender_reference.as_deref(),
            )?;
            self.reference(
                "cac:ContractDocumentReference",
                inv.contract_reference.as_deref(),
            )?;
            self.additional_documents(inv, false)?;
            self.reference("cac:ProjectReference", inv.project_reference.as_deref())?;
        }

        self.open("cac:AccountingSupplierParty")?;
        let creditor_ids: Vec<&str> = inv
            .payment_means
            .iter()
            .filter_map(|m| m.mandate.as_ref()?.creditor_id.as_deref())
            .filter(|c| !c.trim().is_empty())
            .collect();
        self.party(&inv.supplier, "$.supplier", true, &creditor_ids)?;
        self.close("cac:AccountingSupplierParty")?;
        // UBL requires the buyer: an invoice without one cannot be written.
        let customer = inv.customer.as_ref().ok_or_else(|| UblError::Missing {
            path: "$.customer".into(),
        })?;
        self.open("cac:AccountingCustomerParty")?;
        self.party(customer, "$.customer", false, &[])?;
        self.close("cac:AccountingCustomerParty")?;
        if let Some(payee) = &inv.payee {
            self.open("cac:PayeeParty")?;
            self.schemed_reference("cac:PartyIdentification", payee.identifier.as_ref(), None)?;
            self.open("cac:PartyName")?;
            self.required("cbc:Name", &payee.name, || "$.payee.name".into())?;
            self.close("cac:PartyName")?;
            if let Some(id) = &payee.legal_id {
                self.open("cac:PartyLegalEntity")?;
                self.id("cbc:CompanyID", &id.id, id.scheme.as_deref())?;
                self.close("cac:PartyLegalEntity")?;
            }
            self.close("cac:PayeeParty")?;
        }
        if let Some(rep) = &inv.tax_representative {
            self.open("cac:TaxRepresentativeParty")?;
            self.open("cac:PartyName")?;
            self.required("cbc:Name", &rep.name, || "$.tax_representative.name".into())?;
            self.close("cac:PartyName")?;
            self.address("cac:PostalAddress", &rep.address)?;
            self.vat_scheme(&rep.vat_number)?;
            self.close("cac:TaxRepresentativeParty")?;
        }
        if let Some(d) = inv.delivery.as_ref().filter(|d| **d != Delivery::default()) {
            self.open("cac:Delivery")?;
            self.opt_date("cbc:ActualDeliveryDate", d.date)?;
            if d.location_id.is_some() || d.address.is_some() {
                self.open("cac:DeliveryLocation")?;
                if let Some(id) = &d.location_id {
                    self.id("cbc:ID", &id.id, id.scheme.as_deref())?;
                }
                if let Some(a) = &d.address {
                    self.address("cac:Address", a)?;
                }
                self.close("cac:DeliveryLocation")?;
            }
            if let Some(name) = present(d.party_name.as_deref()) {
                self.open("cac:DeliveryParty")?;
                self.open("cac:PartyName")?;
                self.text("cbc:Name", name)?;
                self.close("cac:PartyName")?;
                self.close("cac:DeliveryParty")?;
            }
            self.close("cac:Delivery")?;
        }
        for (i, m) in inv.payment_means.iter().enumerate() {
            // A credit note has no document-level due date in UBL: it goes with the payment means.
            let due = if credit && i == 0 { inv.due_date } else { None };
            self.payment_means(m, due)?;
        }
        if let Some(terms) = present(inv.payment_terms.as_deref()) {
            self.open("cac:PaymentTerms")?;
            self.text("cbc:Note", terms)?;
            self.close("cac:PaymentTerms")?;
        }
        for (a, r) in inv.allowances.iter().zip(&totals.allowances) {
            self.document_adjustment(false, a, r, table)?;
        }
        for (c, r) in inv.charges.iter().zip(&totals.charges) {
            self.document_adjustment(true, c, r, table)?;
        }
        self.tax_total(totals)?;
        if let (Some(tc), Some(amount)) = (&inv.tax_currency, inv.tax_total_in_tax_currency) {
            self.open("cac:TaxTotal")?;
            self.element(
                "cbc:TaxAmount",
                &[("currencyID", tc.as_str())],
                &amount.to_string(),
            )?;
            self.close("cac:TaxTotal")?;
        }
        self.open("cac:LegalMonetaryTotal")?;
        self.amount("cbc:LineExtensionAmount", totals.line_total)?;
        self.amount("cbc:TaxExclusiveAmount", totals.tax_exclusive)?;
        self.amount("cbc:TaxInclusiveAmount", totals.tax_inclusive)?;
        if !inv.allowances.is_empty() {
            self.amount("cbc:AllowanceTotalAmount", totals.allowance_total)?;
        }
        if !inv.charges.is_empty() {
            self.amount("cbc:ChargeTotalAmount", totals.charge_total)?;
        }
        if inv.prepaid_amount.is_some() {
            self.amount("cbc:PrepaidAmount", totals.prepaid)?;
        }
        if inv.rounding_amount.is_some() {
            self.amount("cbc:PayableRoundingAmount", totals.rounding)?;
        }
        self.amount("cbc:PayableAmount", totals.payable)?;
        self.close("cac:LegalMonetaryTotal")?;

        for (i, (line, lt)) in inv.lines.iter().zip(&totals.lines).enumerate() {
            self.line(i, line, lt, credit, table)?;
        }
        self.close(root)
    }

    fn period(&mut self, p: &Period) -> Res {
        if p.start.is_none() && p.end.is_none() {
            return Ok(()); // an empty period says nothing (and empty elements are not allowed)
        }
        self.open("cac:InvoicePeriod")?;
        self.opt_date("cbc:StartDate", p.start)?;
        self.opt_date("cbc:EndDate", p.end)?;
        self.close("cac:InvoicePeriod")
    }

    /// BG-24 attachments, BT-18, the credit note's project reference, and the back-office
    /// references (work order, VAT ticket, branch).
    fn additional_documents(&mut self, inv: &Invoice, credit: bool) -> Res {
        self.schemed_reference(
            "cac:AdditionalDocumentReference",
            inv.invoiced_object.as_ref(),
            Some(OBJECT_TYPE_CODE),
        )?;
        if credit && let Some(p) = present(inv.project_reference.as_deref()) {
            self.open("cac:AdditionalDocumentReference")?;
            self.text("cbc:ID", p)?;
            self.text("cbc:DocumentTypeCode", PROJECT_TYPE_CODE)?;
            self.close("cac:AdditionalDocumentReference")?;
        }
        for a in &inv.attachments {
            self.open("cac:AdditionalDocumentReference")?;
            self.text("cbc:ID", &a.id)?;
            self.opt("cbc:DocumentDescription", a.description.as_deref())?;
            if a.content.is_some() || present(a.uri.as_deref()).is_some() {
                self.open("cac:Attachment")?;
                if let Some(content) = &a.content {
                    use base64::Engine;
                    let encoded = base64::engine::general_purpose::STANDARD.encode(content);
                    let mime = a.mime_code.as_deref().unwrap_or("application/octet-stream");
                    let mut attrs = vec![("mimeCode", mime)];
                    if let Some(f) = present(a.filename.as_deref()) {
                        attrs.push(("filename", f));
                    }
                    self.element("cbc:EmbeddedDocumentBinaryObject", &attrs, &encoded)?;
                }
                if let Some(uri) = present(a.uri.as_deref()) {
                    self.open("cac:ExternalReference")?;
                    self.text("cbc:URI", uri)?;
                    self.close("cac:ExternalReference")?;
                }
                self.close("cac:Attachment")?;
            }
            self.close("cac:AdditionalDocumentReference")?;
        }
        let described = |id: Option<&str>, description: String| {
            present(id).map(|id| (id.to_owned(), description))
        };
        let back_office = [
            inv.work_order.as_ref().and_then(|w| {
                let d = match present(w.source.as_deref()) {
                    Some(s) => format!("{WORK_ORDER_DESCRIPTION} {}", s.trim()),
                    None => WORK_ORDER_DESCRIPTION.to_owned(),
                };
                described(Some(&w.number), d)
            }),
            described(
                inv.external_reference.as_deref(),
                TICKET_DESCRIPTION.to_owned(),
            ),
            inv.branch.as_ref().and_then(|b| {
                let d = match present(b.name.as_deref()) {
                    Some(n) => format!("{BRANCH_DESCRIPTION} {}", n.trim()),
                    None => BRANCH_DESCRIPTION.to_owned(),
                };
                described(Some(&b.id), d)
            }),
        ];
        for (id, description) in back_office.into_iter().flatten() {
            self.open("cac:AdditionalDocumentReference")?;
            self.text("cbc:ID", &id)?;
            self.text("cbc:DocumentDescription", &description)?;
            self.close("cac:AdditionalDocumentReference")?;
        }
        Ok(())
    }

    fn party(&mut self, p: &Party, at: &str, supplier: bool, creditor_ids: &[&str]) -> Res {
        self.open("cac:Party")?;
        if let Some(e) = &p.endpoint {
            self.element("cbc:EndpointID", &[("schemeID", &e.scheme)], &e.id)?;
        }
        for id in &p.identifiers {
            self.schemed_reference("cac:PartyIdentification", Some(id), None)?;
        }
        for c in creditor_ids {
            self.open("cac:PartyIdentification")?;
            self.element("cbc:ID", &[("schemeID", "SEPA")], c)?;
            self.close("cac:PartyIdentification")?;
        }
        if let Some(t) = present(p.trading_name.as_deref()) {
            self.open("cac:PartyName")?;
            self.text("cbc:Name", t)?;
            self.close("cac:PartyName")?;
        }
        self.address("cac:PostalAddress", &p.address)?;
        if let Some(vat) = present(p.vat_number.as_deref()) {
            self.vat_scheme(vat)?;
        }
        if supplier && let Some(reg) = present(p.tax_registration.as_deref()) {
            self.open("cac:PartyTaxScheme")?;
            self.text("cbc:CompanyID", reg)?;
            self.open("cac:TaxScheme")?;
            self.text("cbc:ID", "TAX")?;
            self.close("cac:TaxScheme")?;
            self.close("cac:PartyTaxScheme")?;
        }
        self.open("cac:PartyLegalEntity")?;
        self.required("cbc:RegistrationName", &p.name, || format!("{at}.name"))?;
        if let Some(k) = &p.kvk {
            self.element("cbc:CompanyID", &[("schemeID", SCHEME_KVK)], k.as_str())?;
        } else if let Some(o) = &p.oin {
            self.element("cbc:CompanyID", &[("schemeID", SCHEME_OIN)], o.as_str())?;
        } else if let Some(id) = &p.legal_id {
            self.id("cbc:CompanyID", &id.id, id.scheme.as_deref())?;
        }
        if supplier && !self.nlcius {
            self.opt("cbc:CompanyLegalForm", p.legal_info.as_deref())?;
        }
        self.close("cac:PartyLegalEntity")?;
        if let Some(c) = &p.contact {
            let any = [&c.name, &c.phone, &c.email]
                .iter()
                .any(|v| present(v.as_deref()).is_some());
            if any {
                self.open("cac:Contact")?;
                self.opt("cbc:Name", c.name.as_deref())?;
                self.opt("cbc:Telephone", c.phone.as_deref())?;
                self.opt("cbc:ElectronicMail", c.email.as_deref())?;
                self.close("cac:Contact")?;
            }
        }
        self.close("cac:Party")
    }

    fn vat_scheme(&mut self, vat_number: &str) -> Res {
        self.open("cac:PartyTaxScheme")?;
        self.text("cbc:CompanyID", vat_number)?;
        self.open("cac:TaxScheme")?;
        self.text("cbc:ID", "VAT")?;
        self.close("cac:TaxScheme")?;
        self.close("cac:PartyTaxScheme")
    }

    fn address(&mut self, wrapper: &'static str, a: &Address) -> Res {
        self.open(wrapper)?;
        self.opt("cbc:StreetName", a.street_line().as_deref())?;
        self.opt("cbc:AdditionalStreetName", a.additional_street.as_deref())?;
        self.opt("cbc:CityName", a.city.as_deref())?;
        self.opt("cbc:PostalZone", a.postcode.as_deref())?;
        if !self.nlcius {
            self.opt("cbc:CountrySubentity", a.subdivision.as_deref())?;
            if let Some(l) = present(a.address_line_3.as_deref()) {
                self.open("cac:AddressLine")?;
                self.text("cbc:Line", l)?;
                self.close("cac:AddressLine")?;
            }
        }
        // The country is mandatory in every EN 16931 address; an empty one is left for the
        // validators to report rather than silently invented.
        self.open("cac:Country")?;
        self.text(
            "cbc:IdentificationCode",
            a.country_code.as_deref().unwrap_or("").trim(),
        )?;
        self.close("cac:Country")?;
        self.close(wrapper)
    }

    fn payment_means(&mut self, m: &PaymentMeans, due: Option<NaiveDate>) -> Res {
        self.open("cac:PaymentMeans")?;
        match present(m.name.as_deref()).filter(|_| !self.nlcius) {
            Some(name) => self.element("cbc:PaymentMeansCode", &[("name", name)], &m.code)?,
            None => self.text("cbc:PaymentMeansCode", &m.code)?,
        }
        self.opt_date("cbc:PaymentDueDate", due)?;
        self.opt("cbc:PaymentID", m.payment_id.as_deref())?;
        if let Some(card) = &m.card {
            self.open("cac:CardAccount")?;
            self.text("cbc:PrimaryAccountNumberID", &card.number)?;
            self.text(
                "cbc:NetworkID",
                present(card.network.as_deref()).unwrap_or(NOT_APPLICABLE),
            )?;
            self.opt("cbc:HolderName", card.holder.as_deref())?;
            self.close("cac:CardAccount")?;
        }
        if let Some(iban) = present(m.iban.as_deref()) {
            self.open("cac:PayeeFinancialAccount")?;
            self.text("cbc:ID", iban)?;
            if !self.nlcius {
                self.opt("cbc:Name", m.account_name.as_deref())?;
            }
            // SI-UBL 2.0 asks for no BIC with SEPA payments (BR-NL-31): the IBAN suffices.
            let sepa = matches!(m.code.trim(), "58" | "59");
            if let Some(bic) = present(m.bic.as_deref()).filter(|_| !(self.nlcius && sepa)) {
                self.open("cac:FinancialInstitutionBranch")?;
                self.text("cbc:ID", bic)?;
                self.close("cac:FinancialInstitutionBranch")?;
            }
            self.close("cac:PayeeFinancialAccount")?;
        }
        if let Some(mandate) = &m.mandate {
            let reference = present(mandate.reference.as_deref());
            let debited = present(mandate.debited_account.as_deref());
            if reference.is_some() || debited.is_some() {
                self.open("cac:PaymentMandate")?;
                self.opt("cbc:ID", reference)?;
                if let Some(acc) = debited {
                    self.open("cac:PayerFinancialAccount")?;
                    self.text("cbc:ID", acc)?;
                    self.close("cac:PayerFinancialAccount")?;
                }
                self.close("cac:PaymentMandate")?;
            }
        }
        self.close("cac:PaymentMeans")
    }

    /// Reason, percentage, amount and base of an allowance or charge (shared by both levels).
    fn adjustment_body(
        &mut self,
        charge: bool,
        reason_code: Option<&str>,
        reason: Option<&str>,
        percentage: Option<Decimal>,
        resolved: &ResolvedAdjustment,
    ) -> Res {
        self.text("cbc:ChargeIndicator", if charge { "true" } else { "false" })?;
        if !self.nlcius {
            self.opt("cbc:AllowanceChargeReasonCode", reason_code)?;
        }
        self.opt("cbc:AllowanceChargeReason", reason)?;
        if let Some(p) = percentage {
            self.decimal("cbc:MultiplierFactorNumeric", p)?;
        }
        self.amount("cbc:Amount", resolved.amount)?;
        if let Some(b) = resolved.base_amount {
            self.amount("cbc:BaseAmount", b)?;
        }
        Ok(())
    }

    fn document_adjustment(
        &mut self,
        charge: bool,
        a: &DocumentAdjustment,
        resolved: &ResolvedAdjustment,
        table: &VatCodeTable,
    ) -> Res {
        self.open("cac:AllowanceCharge")?;
        self.adjustment_body(
            charge,
            a.reason_code.as_deref(),
            a.reason.as_deref(),
            a.percentage,
            resolved,
        )?;
        if let Some(vat) = a.vat.resolve(table) {
            self.tax_category("cac:TaxCategory", vat.category.code(), vat.rate, None, None)?;
        }
        self.close("cac:AllowanceCharge")
    }

    fn line_adjustment(&mut self, charge: bool, a: &Adjustment, r: &ResolvedAdjustment) -> Res {
        self.open("cac:AllowanceCharge")?;
        self.adjustment_body(
            charge,
            a.reason_code.as_deref(),
            a.reason.as_deref(),
            a.percentage,
            r,
        )?;
        self.close("cac:AllowanceCharge")
    }

    fn tax_category(
        &mut self,
        wrapper: &'static str,
        category: &str,
        rate: Option<Decimal>,
        reason_code: Option<&str>,
        reason: Option<&str>,
    ) -> Res {
        self.open(wrapper)?;
        self.text("cbc:ID", category)?;
        if let Some(r) = rate {
            self.decimal("cbc:Percent", r)?;
        }
        if !self.nlcius {
            self.opt("cbc:TaxExemptionReasonCode", reason_code)?;
        }
        self.opt("cbc:TaxExemptionReason", reason)?;
        self.open("cac:TaxScheme")?;
        self.text("cbc:ID", "VAT")?;
        self.close("cac:TaxScheme")?;
        self.close(wrapper)
    }

    fn tax_total(&mut self, totals: &Totals) -> Res {
        self.open("cac:TaxTotal")?;
        self.amount("cbc:TaxAmount", totals.vat_total)?;
        for b in &totals.vat_breakdown {
            self.open("cac:TaxSubtotal")?;
            self.amount("cbc:TaxableAmount", b.taxable_amount)?;
            self.amount("cbc:TaxAmount", b.vat_amount)?;
            self.tax_category(
                "cac:TaxCategory",
                b.category.code(),
                b.rate,
                b.exemption_reason_code.as_deref(),
                b.exemption_reason.as_deref(),
            )?;
            self.close("cac:TaxSubtotal")?;
        }
        self.close("cac:TaxTotal")
    }

    fn line(
        &mut self,
        index: usize,
        l: &Line,
        lt: &LineTotals,
        credit: bool,
        table: &VatCodeTable,
    ) -> Res {
        let (wrapper, quantity) = if credit {
            ("cac:CreditNoteLine", "cbc:CreditedQuantity")
        } else {
            ("cac:InvoiceLine", "cbc:InvoicedQuantity")
        };
        self.open(wrapper)?;
        self.required("cbc:ID", &l.id, || format!("$.lines[{index}].id"))?;
        self.opt("cbc:Note", l.note.as_deref())?;
        self.formatted(quantity, &[("unitCode", &l.unit_code)], l.quantity)?;
        self.amount("cbc:LineExtensionAmount", lt.net_amount)?;
        self.opt("cbc:AccountingCost", l.cost_centre.as_deref())?;
        if let Some(p) = &l.period {
            self.period(p)?;
        }
        if let Some(r) = present(l.order_line_reference.as_deref()) {
            self.open("cac:OrderLineReference")?;
            self.text("cbc:LineID", r)?;
            self.close("cac:OrderLineReference")?;
        }
        self.schemed_reference(
            "cac:DocumentReference",
            l.object_id.as_ref(),
            Some(OBJECT_TYPE_CODE),
        )?;
        for (a, r) in l.allowances.iter().zip(&lt.allowances) {
            self.line_adjustment(false, a, r)?;
        }
        for (c, r) in l.charges.iter().zip(&lt.charges) {
            self.line_adjustment(true, c, r)?;
        }
        let item = &l.item;
        self.open("cac:Item")?;
        self.opt("cbc:Description", item.description.as_deref())?;
        self.required("cbc:Name", &item.name, || {
            format!("$.lines[{index}].item.name")
        })?;
        self.reference("cac:BuyersItemIdentification", item.buyer_id.as_deref())?;
        self.reference("cac:SellersItemIdentification", item.seller_id.as_deref())?;
        self.schemed_reference(
            "cac:StandardItemIdentification",
            item.standard_id.as_ref(),
            None,
        )?;
        if let Some(c) = present(item.origin_country.as_deref()) {
            self.open("cac:OriginCountry")?;
            self.text("cbc:IdentificationCode", c)?;
            self.close("cac:OriginCountry")?;
        }
        for c in &item.classifications {
            self.open("cac:CommodityClassification")?;
            let mut attrs = vec![("listID", c.list_id.as_str())];
            if let Some(v) = present(c.list_version.as_deref()) {
                attrs.push(("listVersionID", v));
            }
            self.element("cbc:ItemClassificationCode", &attrs, &c.code)?;
            self.close("cac:CommodityClassification")?;
        }
        if let Some(vat) = l.vat.resolve(table) {
            self.tax_category(
                "cac:ClassifiedTaxCategory",
                vat.category.code(),
                vat.rate,
                None,
                None,
            )?;
        }
        for a in &item.attributes {
            self.open("cac:AdditionalItemProperty")?;
            self.text("cbc:Name", &a.name)?;
            self.text("cbc:Value", &a.value)?;
            self.close("cac:AdditionalItemProperty")?;
        }
        self.close("cac:Item")?;
        self.open("cac:Price")?;
        self.amount("cbc:PriceAmount", l.price)?;
        if let Some(b) = l.base_quantity {
            self.formatted("cbc:BaseQuantity", &[("unitCode", &l.unit_code)], b)?;
        }
        if l.price_discount.is_some() || l.gross_price.is_some() {
            self.open("cac:AllowanceCharge")?;
            self.text("cbc:ChargeIndicator", "false")?;
            let discount = l
                .price_discount
                .or_else(|| l.gross_price.map(|g| g - l.price))
                .unwrap_or_default();
            self.amount("cbc:Amount", discount)?;
            if let Some(g) = l.gross_price {
                self.amount("cbc:BaseAmount", g)?;
            }
            self.close("cac:AllowanceCharge")?;
        }
        self.close("cac:Price")?;
        self.close(wrapper)
    }
}
