//! The invoice: an EN 16931 semantic model with the Dutch back office's own terms.
//!
//! Field names follow the business terms of EN 16931 (the `BT-`/`BG-` number is in each doc
//! comment) and the words the Dutch back-office products use: *vestiging* ([`Branch`]), *werkbon*
//! ([`WorkOrder`]), the KvK number, the VAT ticket of the tax black box
//! ([`Invoice::external_reference`]).
//!
//! Most parts are optional on purpose: a back office keeps invoices that are still being written
//! (*concept*), and the validators say what is missing. Only what every document needs to be an
//! invoice at all (number, issue date, currency, supplier, and for every line its id, quantity,
//! price and item name) is required by the JSON input.

use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ids::{Endpoint, Kvk, Oin, SchemedId};
use super::tax::{VatCategory, VatCodeTable};
use super::totals::{Totals, TotalsError};

/// An invoice or credit note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Invoice {
    /// Invoice number (BT-1).
    pub number: String,
    /// Issue date (BT-2).
    pub issue_date: NaiveDate,
    /// Type code (BT-3, UNCL 1001): 380 commercial invoice (default), 381 credit note,
    /// 384 corrected invoice, 389 self-billed invoice, …
    #[serde(default)]
    pub type_code: TypeCode,
    /// Invoice currency (BT-5), ISO 4217, e.g. `EUR`.
    pub currency: CurrencyCode,
    /// VAT accounting currency (BT-6), when it differs from the invoice currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_currency: Option<CurrencyCode>,
    /// Total VAT in the accounting currency (BT-111); required with [`Invoice::tax_currency`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::model::DecimalRepr>")]
    pub tax_total_in_tax_currency: Option<Decimal>,
    /// Date on which VAT becomes due (BT-7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_point_date: Option<NaiveDate>,
    /// Payment due date (BT-9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<NaiveDate>,
    /// Payment terms, as text (BT-20), e.g. `Betaling binnen 30 dagen`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_terms: Option<String>,
    /// Buyer reference (BT-10): the reference the customer asked to be quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_reference: Option<String>,
    /// Purchase order reference (BT-13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_reference: Option<String>,
    /// Sales order reference (BT-14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sales_order_reference: Option<String>,
    /// Project reference (BT-11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project_reference: Option<String>,
    /// Contract reference (BT-12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract_reference: Option<String>,
    /// Receiving advice reference (BT-15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiving_advice_reference: Option<String>,
    /// Despatch advice reference (BT-16).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub despatch_advice_reference: Option<String>,
    /// Tender or lot reference (BT-17).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tender_reference: Option<String>,
    /// Invoiced object identifier (BT-18), e.g. a meter or subscription number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoiced_object: Option<SchemedId>,
    /// Buyer accounting reference (BT-19).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounting_reference: Option<String>,
    /// The tax black box's VAT ticket for this invoice (printed through the Word field
    /// `INVOICE_EXTERNAL_REFERENCE`). Set once the ticket arrives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_reference: Option<String>,
    /// Preceding invoices this one corrects or credits (BG-3).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub preceding_invoices: Vec<PrecedingInvoice>,
    /// Free-text notes (BT-22).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// Invoicing period (BG-14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoicing_period: Option<Period>,
    /// Specification identifier (BT-24) the document claims, kept from a UBL document read in.
    /// Writers choose it from the profile when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customization_id: Option<String>,
    /// Business process (BT-23), kept from a UBL document read in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_id: Option<String>,
    /// The supplier: who sends the invoice (BG-4, seller).
    pub supplier: Party,
    /// The customer (*klant*, BG-7, buyer). Optional only so that concept invoices can be held;
    /// the error check reports its absence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<Party>,
    /// The customer's branch (*vestiging*) the invoice is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<Branch>,
    /// The work order (*werkbon*) the invoice bills.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_order: Option<WorkOrder>,
    /// Payee, when payment goes to someone other than the supplier (BG-10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payee: Option<Payee>,
    /// The supplier's tax representative (BG-11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_representative: Option<TaxRepresentative>,
    /// Delivery information (BG-13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Delivery>,
    /// Payment instructions (BG-16), one per accepted way of paying.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payment_means: Vec<PaymentMeans>,
    /// Document-level allowances (BG-20): discounts on the whole invoice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowances: Vec<DocumentAdjustment>,
    /// Document-level charges (BG-21): surcharges on the whole invoice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub charges: Vec<DocumentAdjustment>,
    /// Amount already paid (BT-113).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::model::DecimalRepr>")]
    pub prepaid_amount: Option<Decimal>,
    /// Rounding amount added to the amount due (BT-114), e.g. to round cash payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::model::DecimalRepr>")]
    pub rounding_amount: Option<Decimal>,
    /// Supporting documents (BG-24).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// Invoice lines (BG-25).
    #[serde(default)]
    pub lines: Vec<Line>,
}

impl Invoice {
    /// Reads an invoice from JSON. Unknown fields are refused; an error names the JSON path, the
    /// line and the column of the bad value.
    ///
    /// ```
    /// let json = br#"{"number": "F1", "issue_date": "2026-02-03", "currency": "EUR",
    ///   "supplier": {"name": "Installatiebedrijf De Vries B.V."}, "lines": [] }"#;
    /// let invoice = factuur::Invoice::from_json(json).unwrap();
    /// assert_eq!(invoice.number, "F1");
    ///
    /// let err = factuur::Invoice::from_json(br#"{"number": 1}"#).unwrap_err();
    /// assert!(err.to_string().contains("$.number"));
    /// ```
    pub fn from_json(bytes: &[u8]) -> Result<Invoice, crate::Error> {
        Ok(super::json::from_slice(bytes)?)
    }

    /// Writes the invoice as pretty-printed JSON (amounts as strings, exact).
    pub fn to_json(&self) -> Vec<u8> {
        let mut out = serde_json::to_vec_pretty(self).expect("an invoice always serialises");
        out.push(b'\n');
        out
    }

    /// The EN 16931 totals, resolving VAT codes against the Dutch default table.
    ///
    /// ```
    /// let json = br#"{"number": "F1", "issue_date": "2026-02-03", "currency": "EUR",
    ///   "supplier": {"name": "De Vries B.V."},
    ///   "lines": [{"id": "1", "quantity": "3", "price": "10.05", "item": {"name": "Uurloon"},
    ///              "vat": {"code": "HOOG", "percentage": "21"}}]}"#;
    /// let totals = factuur::Invoice::from_json(json).unwrap().totals().unwrap();
    /// assert_eq!(totals.tax_exclusive.to_string(), "30.15");
    /// assert_eq!(totals.vat_total.to_string(), "6.33");
    /// assert_eq!(totals.payable.to_string(), "36.48");
    /// ```
    pub fn totals(&self) -> Result<Totals, TotalsError> {
        self.totals_with(&VatCodeTable::dutch_default())
    }

    /// The EN 16931 totals, resolving VAT codes against `table`.
    pub fn totals_with(&self, table: &VatCodeTable) -> Result<Totals, TotalsError> {
        Totals::compute(self, table)
    }

    /// Whether this is a credit note (type code 381 and the other credit types).
    pub fn is_credit_note(&self) -> bool {
        self.type_code.is_credit_note()
    }
}

/// Document type code (BT-3, UNCL 1001).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TypeCode(pub u16);

impl TypeCode {
    /// 380: commercial invoice.
    pub const COMMERCIAL: TypeCode = TypeCode(380);
    /// 381: credit note.
    pub const CREDIT_NOTE: TypeCode = TypeCode(381);
    /// 384: corrected invoice.
    pub const CORRECTED: TypeCode = TypeCode(384);
    /// 389: self-billed invoice.
    pub const SELF_BILLED: TypeCode = TypeCode(389);

    /// Whether documents of this type are credit notes (written as a UBL `CreditNote`).
    pub fn is_credit_note(self) -> bool {
        // UNCL 1001 credit note codes that EN 16931 allows.
        matches!(self.0, 81 | 83 | 381 | 396 | 532)
    }
}

impl Default for TypeCode {
    fn default() -> TypeCode {
        TypeCode::COMMERCIAL
    }
}

impl fmt::Display for TypeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl JsonSchema for TypeCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "TypeCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "integer",
            "minimum": 1,
            "maximum": 999,
            "description": "UNCL 1001 document type: 380 invoice, 381 credit note, 384 corrected, 389 self-billed"
        })
    }
}

/// An ISO 4217 currency code: three upper-case ASCII letters.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CurrencyCode(String);

impl CurrencyCode {
    /// The euro.
    pub fn eur() -> CurrencyCode {
        CurrencyCode("EUR".to_owned())
    }

    /// Parses a code of three upper-case letters (whether ISO 4217 lists it is for the
    /// validators to say).
    pub fn new(code: impl Into<String>) -> Result<CurrencyCode, String> {
        let code = code.into();
        if code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(CurrencyCode(code))
        } else {
            Err(format!(
                "a currency code is three upper-case letters (ISO 4217, e.g. EUR), got {code:?}"
            ))
        }
    }

    /// The code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CurrencyCode {
    type Error = String;
    fn try_from(value: String) -> Result<CurrencyCode, String> {
        CurrencyCode::new(value)
    }
}

impl From<CurrencyCode> for String {
    fn from(c: CurrencyCode) -> String {
        c.0
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl JsonSchema for CurrencyCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CurrencyCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[A-Z]{3}$",
            "description": "ISO 4217 currency code, e.g. EUR"
        })
    }
}

/// A preceding invoice (BG-3) referred to by a credit note or correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PrecedingInvoice {
    /// Its number (BT-25).
    pub number: String,
    /// Its issue date (BT-26).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issue_date: Option<NaiveDate>,
}

/// A period (BG-14, BG-26): start and end date, both inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// First day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<NaiveDate>,
    /// Last day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
}

/// A party: the supplier or the customer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Registered name (BT-27 / BT-44).
    pub name: String,
    /// Trading name (BT-28 / BT-45).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trading_name: Option<String>,
    /// Dutch Chamber of Commerce number (*KvK-nummer*), the legal registration of Dutch
    /// companies (BT-30 / BT-47 with scheme 0106).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kvk: Option<Kvk>,
    /// Dutch government organisation number, for government bodies (BT-30 / BT-47 with
    /// scheme 0190).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oin: Option<Oin>,
    /// Any other legal registration (BT-30 / BT-47), e.g. a Belgian KBO number with scheme 0208.
    /// Use `kvk` or `oin` for Dutch parties.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_id: Option<SchemedId>,
    /// Other identifiers of the party (BT-29 / BT-46), e.g. a GLN or the customer number.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<SchemedId>,
    /// VAT identification number (BT-31 / BT-48), with country prefix: `NL123456789B01`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_number: Option<String>,
    /// Supplier's local tax registration (BT-32); suppliers only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_registration: Option<String>,
    /// Additional legal information (BT-33), e.g. share capital; suppliers only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_info: Option<String>,
    /// Electronic address (BT-34 / BT-49).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<Endpoint>,
    /// Postal address (BG-5 / BG-8).
    #[serde(default)]
    pub address: Address,
    /// Contact (BG-6 / BG-9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
}

/// A postal address, split as Dutch back offices hold it.
///
/// In UBL the street, house number and addition become one address line (BT-35):
/// `Keizersgracht 123-A`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Street name (*straat*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    /// House number (*huisnummer*).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub house_number: Option<String>,
    /// House number addition (*toevoeging*), e.g. `A` or `bis`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub house_number_addition: Option<String>,
    /// Second address line (BT-36 / BT-51).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub additional_street: Option<String>,
    /// Third address line (BT-162 / BT-163).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_line_3: Option<String>,
    /// Postcode (BT-38 / BT-53), e.g. `1015 CJ`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postcode: Option<String>,
    /// City (BT-37 / BT-52).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// Province or region (BT-39 / BT-54).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subdivision: Option<String>,
    /// ISO 3166-1 alpha-2 country code (BT-40 / BT-55), e.g. `NL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
}

impl Address {
    /// The first address line as UBL writes it: street, house number and addition
    /// (`Keizersgracht 123-A`), or whichever of them is present.
    pub fn street_line(&self) -> Option<String> {
        let street = self
            .street
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let number = self
            .house_number
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let addition = self
            .house_number_addition
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let mut line = String::new();
        if let Some(s) = street {
            line.push_str(s);
        }
        if let Some(n) = number {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(n);
            if let Some(a) = addition {
                // A letter addition joins directly in Dutch usage only when it is one letter
                // after digits; a dash is unambiguous everywhere.
                line.push('-');
                line.push_str(a);
            }
        } else if let Some(a) = addition {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(a);
        }
        (!line.is_empty()).then_some(line)
    }
}

/// A contact (BG-6 / BG-9).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// Contact person or department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Telephone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// A branch of the customer (*vestiging*): the location the work was done for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    /// The back office's id of the branch.
    pub id: String,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Its address, when it differs from the customer's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

/// A work order (*werkbon*) the invoice bills.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkOrder {
    /// Work order number.
    pub number: String,
    /// Where the work order came from, e.g. `DICO` (the Dutch installation sector's chain
    /// standard; such invoices can be sent back through DICO).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl WorkOrder {
    /// Whether the work order came in through DICO.
    pub fn is_dico(&self) -> bool {
        self.source
            .as_deref()
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("DICO"))
    }
}

/// A payee other than the supplier (BG-10).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Payee {
    /// Name (BT-59).
    pub name: String,
    /// Identifier (BT-60).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identifier: Option<SchemedId>,
    /// Legal registration (BT-61).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_id: Option<SchemedId>,
}

/// The supplier's tax representative (BG-11).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaxRepresentative {
    /// Name (BT-62).
    pub name: String,
    /// VAT number (BT-63).
    pub vat_number: String,
    /// Postal address (BG-12).
    #[serde(default)]
    pub address: Address,
}

/// Delivery information (BG-13).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// Name of the party delivered to (BT-70).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_name: Option<String>,
    /// Location identifier (BT-71).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<SchemedId>,
    /// Actual delivery date (BT-72).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Delivery address (BG-15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

/// One way of paying (BG-16 with BG-17, BG-18, BG-19).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentMeans {
    /// UNCL 4461 code (BT-81): `58` SEPA credit transfer, `30` credit transfer, `59` SEPA
    /// direct debit, `49` direct debit, `48` card, `10` cash, …
    pub code: String,
    /// The code's meaning in words (BT-82).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Payment reference (BT-83, *betalingskenmerk*) the customer must quote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    /// Account to pay to (BT-84), normally an IBAN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iban: Option<String>,
    /// Account name (BT-85).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    /// BIC of the account's bank (BT-86).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bic: Option<String>,
    /// Card payment (BG-18).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<Card>,
    /// Direct debit (BG-19).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mandate: Option<Mandate>,
}

/// Payment card (BG-18). Only the first six and last four digits may be given.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Card {
    /// Masked primary account number (BT-87).
    pub number: String,
    /// Card holder (BT-88).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    /// Card network, e.g. `VISA` (UBL's `NetworkID`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
}

/// SEPA direct debit mandate (BG-19).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mandate {
    /// Mandate reference (BT-89).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Creditor identifier of the supplier (BT-90).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creditor_id: Option<String>,
    /// Account to be debited (BT-91).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debited_account: Option<String>,
}

/// VAT as entered on a line or a document-level allowance or charge.
///
/// The back office enters a code and a percentage; the category and the exemption reason come
/// from the code's entry in the [`VatCodeTable`] unless given here.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Vat {
    /// The back office's VAT code (*btw-code*), e.g. `HOOG`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// VAT percentage as entered (*btw-percentage*, BT-152 / BT-96), e.g. `21`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::model::DecimalRepr>")]
    pub percentage: Option<Decimal>,
    /// EN 16931 VAT category (BT-151 / BT-95), when not taken from the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<VatCategory>,
    /// Exemption reason text (BT-120), when not taken from the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemption_reason: Option<String>,
    /// Exemption reason code (BT-121, VATEX), when not taken from the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exemption_reason_code: Option<String>,
}

/// The VAT of a line or allowance once its code is resolved: what EN 16931 needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvedVat<'a> {
    /// The category.
    pub category: VatCategory,
    /// The rate in percent; `None` for category O (outside scope).
    pub rate: Option<Decimal>,
    /// Exemption reason text, if any.
    pub exemption_reason: Option<&'a str>,
    /// Exemption reason code, if any.
    pub exemption_reason_code: Option<&'a str>,
}

impl Vat {
    /// Resolves category, rate and exemption reason: what is entered here wins, the rest comes
    /// from the code's table entry. `None` when no category can be found.
    ///
    /// Taxed categories (S, L, M, B) take the entered percentage, else the code's; without either
    /// there is nothing to compute with and the result is `None`. The untaxed categories have
    /// rate 0 whatever was entered (EN 16931 sums them per category, not per rate, so a stray
    /// percentage must not split a group; the error check reports the mismatch), and category O
    /// has no rate at all.
    pub fn resolve<'a>(&'a self, table: &'a VatCodeTable) -> Option<ResolvedVat<'a>> {
        let entry = self.code.as_deref().and_then(|c| table.get(c));
        let category = self.category.or(entry.map(|e| e.category))?;
        let rate = if category.is_taxed() {
            Some(self.percentage.or(entry.map(|e| e.percentage))?)
        } else if category.has_rate() {
            Some(Decimal::ZERO)
        } else {
            None
        };
        Some(ResolvedVat {
            category,
            rate,
            exemption_reason: self
                .exemption_reason
                .as_deref()
                .or(entry.and_then(|e| e.exemption_reason.as_deref())),
            exemption_reason_code: self
                .exemption_reason_code
                .as_deref()
                .or(entry.and_then(|e| e.exemption_reason_code.as_deref())),
        })
    }
}

/// A line-level allowance (BG-27) or charge (BG-28).
///
/// Give the amount, or a percentage (with an optional base; the default base is the line's
/// quantity × price).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    /// Amount (BT-136 / BT-141).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::model::DecimalRepr>")]
    pub amount: Option<Decimal>,
    /// Base amount the percentage applies to (BT-137 / BT-142).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::model::DecimalRepr>")]
    pub base_amount: Option<Decimal>,
    /// Percentage (BT-138 / BT-143).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::model::DecimalRepr>")]
    pub percentage: Option<Decimal>,
    /// Reason in words (BT-139 / BT-144).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Reason code (BT-140 UNCL 5189 / BT-145 UNCL 7161).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
}

/// A document-level allowance (BG-20) or charge (BG-21), with its own VAT.
///
/// Give the amount, or a percentage (with an optional base; the default base is the sum of the
/// net amounts of the lines in the same VAT category and rate).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentAdjustment {
    /// Amount (BT-92 / BT-99).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::model::DecimalRepr>")]
    pub amount: Option<Decimal>,
    /// Base amount (BT-93 / BT-100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::model::DecimalRepr>")]
    pub base_amount: Option<Decimal>,
    /// Percentage (BT-94 / BT-101).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::model::DecimalRepr>")]
    pub percentage: Option<Decimal>,
    /// Reason in words (BT-97 / BT-104).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Reason code (BT-98 / BT-105).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_code: Option<String>,
    /// VAT of the allowance or charge (BT-95 / BT-96, BT-102 / BT-103).
    #[serde(default)]
    pub vat: Vat,
}

/// A supporting document (BG-24), embedded or referred to.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// Reference (BT-122).
    pub id: String,
    /// Description (BT-123).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// External location (BT-124).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    /// File name of the embedded document (BT-125 `filename`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// MIME type of the embedded document (BT-125 `mimeCode`), e.g. `application/pdf`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mime_code: Option<String>,
    /// The embedded document's bytes (base64 in JSON).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "super::json::base64_bytes"
    )]
    #[schemars(with = "Option<String>")]
    pub content: Option<Vec<u8>>,
}

/// An invoice line (BG-25).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Line {
    /// Line id (BT-126), unique within the invoice.
    pub id: String,
    /// Line note (BT-127).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Invoiced object identifier (BT-128).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_id: Option<SchemedId>,
    /// Quantity (BT-129). Negative for goods taken back on an invoice; a credit note (type 381)
    /// states positive quantities, its type says it is a credit.
    #[schemars(with = "crate::model::DecimalRepr")]
    pub quantity: Decimal,
    /// Unit of measure (BT-130, UN/ECE Rec 20 or 21), e.g. `C62` one (default), `HUR` hour,
    /// `KGM` kilogram, `MTR` metre.
    #[serde(default = "default_unit")]
    pub unit_code: String,
    /// Net price per base quantity (BT-146), never negative.
    #[schemars(with = "crate::model::DecimalRepr")]
    pub price: Decimal,
    /// Base quantity the price is for (BT-149), default 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::model::DecimalRepr>")]
    pub base_quantity: Option<Decimal>,
    /// Gross price before the price discount (BT-148).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::model::DecimalRepr>")]
    pub gross_price: Option<Decimal>,
    /// Discount on the gross price (BT-147): price = gross price − price discount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<crate::model::DecimalRepr>")]
    pub price_discount: Option<Decimal>,
    /// Line of the purchase order this line delivers (BT-132).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_line_reference: Option<String>,
    /// Cost centre (*kostenplaats*) the buyer books the line on (BT-133).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_centre: Option<String>,
    /// Project (*project*) the line is booked on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// Period the line covers (BG-26).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Allowances on this line (BG-27).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allowances: Vec<Adjustment>,
    /// Charges on this line (BG-28).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub charges: Vec<Adjustment>,
    /// VAT of the line (BG-30), as entered.
    #[serde(default)]
    pub vat: Vat,
    /// What is sold (BG-31).
    pub item: Item,
}

fn default_unit() -> String {
    "C62".to_owned()
}

/// The item a line sells (BG-31).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// Item name (BT-153): the text of the line.
    pub name: String,
    /// Longer description (BT-154).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The supplier's article code (BT-155).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seller_id: Option<String>,
    /// The customer's article code (BT-156).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer_id: Option<String>,
    /// Standard identifier such as a GTIN (BT-157), scheme mandatory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_id: Option<SchemedId>,
    /// Classification codes (BT-158), e.g. UNSPSC or the ETIM class.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classifications: Vec<Classification>,
    /// Country of origin (BT-159), ISO 3166-1 alpha-2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_country: Option<String>,
    /// Item attributes (BG-32).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<ItemAttribute>,
}

/// An item classification code (BT-158).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Classification {
    /// The code.
    pub code: String,
    /// The list (UNTDID 7143), e.g. `STI` (UNSPSC) or `MP`.
    pub list_id: String,
    /// Version of the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list_version: Option<String>,
}

/// A name–value attribute of an item (BG-32).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemAttribute {
    /// Name (BT-160).
    pub name: String,
    /// Value (BT-161).
    pub value: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn street_line_joins_parts() {
        let mut a = Address {
            street: Some("Keizersgracht".into()),
            house_number: Some("123".into()),
            house_number_addition: Some("A".into()),
            ..Address::default()
        };
        assert_eq!(a.street_line().as_deref(), Some("Keizersgracht 123-A"));
        a.house_number_addition = None;
        assert_eq!(a.street_line().as_deref(), Some("Keizersgracht 123"));
        a.street = Some("  ".into());
        assert_eq!(a.street_line().as_deref(), Some("123"));
        assert_eq!(Address::default().street_line(), None);
    }

    #[test]
    fn vat_resolution_prefers_entered_values() {
        let t = VatCodeTable::dutch_default();
        let v = Vat {
            code: Some("HOOG".into()),
            percentage: Some(Decimal::from(21)),
            ..Vat::default()
        };
        let r = v.resolve(&t).unwrap();
        assert_eq!(
            (r.category, r.rate),
            (VatCategory::S, Some(Decimal::from(21)))
        );
        let v = Vat {
            code: Some("VRIJ".into()),
            ..Vat::default()
        };
        let r = v.resolve(&t).unwrap();
        assert_eq!(r.category, VatCategory::E);
        assert_eq!(r.rate, Some(Decimal::ZERO));
        assert_eq!(r.exemption_reason_code, Some("VATEX-EU-132"));
        let v = Vat {
            category: Some(VatCategory::O),
            percentage: Some(Decimal::from(5)),
            ..Vat::default()
        };
        assert_eq!(v.resolve(&t).unwrap().rate, None);
        let v = Vat {
            code: Some("VRIJ".into()),
            percentage: Some(Decimal::from(9)),
            ..Vat::default()
        };
        assert_eq!(v.resolve(&t).unwrap().rate, Some(Decimal::ZERO));
        assert!(Vat::default().resolve(&t).is_none());
        let v = Vat {
            category: Some(VatCategory::S),
            ..Vat::default()
        };
        assert!(
            v.resolve(&t).is_none(),
            "a standard-rated line needs a rate"
        );
    }

    #[test]
    fn credit_note_types() {
        assert!(TypeCode::CREDIT_NOTE.is_credit_note());
        assert!(!TypeCode::COMMERCIAL.is_credit_note());
        assert!(!TypeCode::CORRECTED.is_credit_note());
    }

    #[test]
    fn dico_work_orders() {
        let w = WorkOrder {
            number: "W1".into(),
            source: Some("dico ".into()),
        };
        assert!(w.is_dico());
        assert!(!WorkOrder::default().is_dico());
    }
}
