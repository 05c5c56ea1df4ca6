//! The invoice model: an EN 16931 invoice with the Dutch back office's terms, its totals, and the
//! VAT code table.
#![deny(clippy::float_arithmetic)]

pub mod ids;
pub mod invoice;
pub mod json;
pub mod money;
pub mod tax;
pub mod totals;

pub use ids::{Endpoint, IdError, Kvk, Oin, SchemedId};
pub use invoice::{
    Address, Adjustment, Attachment, Branch, Card, Classification, Contact, CurrencyCode, Delivery,
    DocumentAdjustment, Invoice, Item, ItemAttribute, Line, Mandate, Party, Payee, PaymentMeans,
    Period, PrecedingInvoice, ResolvedVat, TaxRepresentative, TypeCode, Vat, WorkOrder,
};
pub use json::JsonError;
pub use tax::{VatCategory, VatCode, VatCodeTable, VatTableError};
pub use totals::{LineTotals, ResolvedAdjustment, Totals, TotalsError, VatBreakdown};

/// The JSON Schema of the invoice input, as checked in at `schemas/invoice.schema.json`.
///
/// ```
/// let schema = factuur::model::invoice_schema();
/// assert!(schema.contains("\"additionalProperties\": false"));
/// ```
pub fn invoice_schema() -> String {
    let mut settings = schemars::generate::SchemaSettings::draft2020_12();
    settings.meta_schema = Some("https://json-schema.org/draft/2020-12/schema".into());
    let schema = settings.into_generator().into_root_schema_for::<Invoice>();
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema always serialises");
    text.push('\n');
    text
}

/// How decimals appear in the JSON Schema: a string (exact, preferred) or a JSON number (read
/// exactly, never through a float).
pub(crate) struct DecimalRepr;

impl schemars::JsonSchema for DecimalRepr {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An exact decimal: a string such as \"1234.50\" or a JSON number, read without floating point",
            "type": ["string", "number"],
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$"
        })
    }
}
