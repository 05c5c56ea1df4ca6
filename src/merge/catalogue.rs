//! The invoice field catalogue: the names by which templates reach the invoice model.
//!
//! Values are typed: amounts and quantities are numbers and dates are dates, so `\#` and `\@`
//! pictures act on them. Lines fill the region `LINES`, the VAT breakdown the region `VAT`.
//! `schemas/fields.md` lists the catalogue (generated from [`FIELDS`]; a test keeps it current).

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::record::{Record, Value};
use crate::model::{Address, Invoice, Party};

/// The type of a catalogue field's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Text.
    Text,
    /// An exact number (amount, quantity, percentage).
    Number,
    /// A date.
    Date,
    /// A list of items (a region).
    List,
}

/// One catalogue entry.
#[derive(Debug, Clone, Copy)]
pub struct CatalogueField {
    /// The field name used in templates.
    pub name: &'static str,
    /// The region the field lives in (`LINES`, `VAT`), or `None` for invoice-level fields.
    pub region: Option<&'static str>,
    /// Its type.
    pub kind: FieldType,
    /// What it holds.
    pub description: &'static str,
}

macro_rules! fields {
    ($( $name:literal, $region:expr, $kind:ident, $desc:literal; )*) => {
        /// Every field of the catalogue, in the order `schemas/fields.md` lists them.
        pub const FIELDS: &[CatalogueField] = &[
            $( CatalogueField { name: $name, region: $region, kind: FieldType::$kind, description: $desc }, )*
        ];
    };
}

const PARTY_FIELDS: &[(&str, &str)] = &[
    ("NAME", "registered name"),
    ("TRADING_NAME", "trading name"),
    ("KVK", "KvK number (Chamber of Commerce)"),
    ("VAT_NUMBER", "VAT identification number"),
    (
        "ADDRESS_LINE",
        "street, house number and addition (`Dorpsstraat 7-A`)",
    ),
    ("STREET", "street"),
    ("HOUSE_NUMBER", "house number"),
    ("HOUSE_NUMBER_ADDITION", "house number addition"),
    ("ADDITIONAL_STREET", "second address line"),
    ("POSTCODE", "postcode"),
    ("CITY", "city"),
    ("COUNTRY_CODE", "ISO 3166 country code"),
    ("CONTACT_NAME", "contact person"),
    ("PHONE", "telephone"),
    ("EMAIL", "e-mail"),
];

fields! {
    "INVOICE_NUMBER", None, Text, "invoice number (BT-1)";
    "INVOICE_DATE", None, Date, "issue date (BT-2)";
    "INVOICE_DUE_DATE", None, Date, "payment due date (BT-9)";
    "INVOICE_EXTERNAL_REFERENCE", None, Text, "the tax black box's VAT ticket";
    "INVOICE_TYPE_CODE", None, Number, "type code (BT-3): 380 invoice, 381 credit note";
    "INVOICE_TITLE", None, Text, "`Factuur` or `Creditnota`";
    "DOCUMENT_MARKING", None, Text, "the marking of an invoice run's test documents (`TESTFACTUUR – niet betalen`); empty otherwise";
    "INVOICE_CURRENCY", None, Text, "currency (BT-5), e.g. EUR";
    "INVOICE_BUYER_REFERENCE", None, Text, "buyer reference (BT-10)";
    "INVOICE_ORDER_REFERENCE", None, Text, "purchase order reference (BT-13)";
    "INVOICE_PROJECT_REFERENCE", None, Text, "project reference (BT-11)";
    "INVOICE_CONTRACT_REFERENCE", None, Text, "contract reference (BT-12)";
    "INVOICE_PAYMENT_TERMS", None, Text, "payment terms (BT-20)";
    "INVOICE_NOTE", None, Text, "notes (BT-22), one per line";
    "INVOICE_PERIOD_START", None, Date, "invoicing period start (BT-73)";
    "INVOICE_PERIOD_END", None, Date, "invoicing period end (BT-74)";
    "BRANCH_ID", None, Text, "branch (*vestiging*) id";
    "BRANCH_NAME", None, Text, "branch name";
    "BRANCH_ADDRESS_LINE", None, Text, "branch street line (the customer's when the branch has no address)";
    "BRANCH_POSTCODE", None, Text, "branch postcode (likewise)";
    "BRANCH_CITY", None, Text, "branch city (likewise)";
    "WORK_ORDER_NUMBER", None, Text, "work order (*werkbon*) number";
    "WORK_ORDER_SOURCE", None, Text, "where the work order came from, e.g. DICO";
    "PAYMENT_MEANS_CODE", None, Text, "payment means code (BT-81) of the first payment means";
    "PAYMENT_MEANS_NAME", None, Text, "payment means in words (BT-82)";
    "PAYMENT_REFERENCE", None, Text, "payment reference (*betalingskenmerk*, BT-83)";
    "PAYMENT_IBAN", None, Text, "account to pay to (BT-84)";
    "PAYMENT_ACCOUNT_NAME", None, Text, "account name (BT-85)";
    "PAYMENT_BIC", None, Text, "BIC (BT-86)";
    "TOTAL_LINES", None, Number, "sum of line net amounts (BT-106)";
    "TOTAL_ALLOWANCES", None, Number, "sum of allowances (BT-107)";
    "TOTAL_CHARGES", None, Number, "sum of charges (BT-108)";
    "TOTAL_EXCL_VAT", None, Number, "total without VAT (BT-109)";
    "TOTAL_VAT", None, Number, "total VAT (BT-110)";
    "TOTAL_INCL_VAT", None, Number, "total with VAT (BT-112)";
    "TOTAL_PREPAID", None, Number, "paid in advance (BT-113)";
    "TOTAL_ROUNDING", None, Number, "rounding amount (BT-114)";
    "TOTAL_PAYABLE", None, Number, "amount due (BT-115)";
    "LINES", None, List, "region: one item per invoice line";
    "LINE_NUMBER", Some("LINES"), Number, "position of the line, from 1";
    "LINE_ID", Some("LINES"), Text, "line id (BT-126)";
    "LINE_DESCRIPTION", Some("LINES"), Text, "item name (BT-153)";
    "LINE_ITEM_DESCRIPTION", Some("LINES"), Text, "longer item description (BT-154)";
    "LINE_ARTICLE_CODE", Some("LINES"), Text, "the supplier's article code (BT-155)";
    "LINE_NOTE", Some("LINES"), Text, "line note (BT-127)";
    "LINE_QUANTITY", Some("LINES"), Number, "quantity (BT-129)";
    "LINE_UNIT_CODE", Some("LINES"), Text, "unit of measure (BT-130), e.g. HUR";
    "LINE_UNIT", Some("LINES"), Text, "the unit as a Dutch invoice prints it, e.g. uur for HUR";
    "LINE_PRICE", Some("LINES"), Number, "net price (BT-146)";
    "LINE_NET_AMOUNT", Some("LINES"), Number, "line net amount (BT-131)";
    "LINE_VAT_CODE", Some("LINES"), Text, "the back office's VAT code, e.g. HOOG";
    "LINE_VAT_PERCENTAGE", Some("LINES"), Number, "VAT percentage (BT-152)";
    "LINE_COST_CENTRE", Some("LINES"), Text, "cost centre (BT-133)";
    "VAT", None, List, "region: one item per VAT category and rate (BG-23)";
    "VAT_CATEGORY", Some("VAT"), Text, "VAT category code (BT-118)";
    "VAT_RATE", Some("VAT"), Number, "VAT rate (BT-119)";
    "VAT_TAXABLE_AMOUNT", Some("VAT"), Number, "taxable amount (BT-116)";
    "VAT_AMOUNT", Some("VAT"), Number, "VAT amount (BT-117)";
    "VAT_EXEMPTION_REASON", Some("VAT"), Text, "exemption reason (BT-120)";
}

/// Party fields, for `SUPPLIER_` and `CUSTOMER_`: `(suffix, description)`.
pub fn party_fields() -> &'static [(&'static str, &'static str)] {
    PARTY_FIELDS
}

/// Whether the catalogue knows a field name (any case), including the party fields and region
/// markers of its regions (`TableStart:LINES`).
///
/// ```
/// use factuur::merge::catalogue::is_known;
/// assert!(is_known("invoice_number"));
/// assert!(is_known("CUSTOMER_CITY"));
/// assert!(is_known("TableStart:LINES"));
/// assert!(!is_known("Achternaam"));
/// ```
pub fn is_known(name: &str) -> bool {
    if let Some((_, region)) = super::field::marker(name) {
        return FIELDS
            .iter()
            .any(|f| f.kind == FieldType::List && f.name.eq_ignore_ascii_case(region));
    }
    let upper = name.to_uppercase();
    if FIELDS.iter().any(|f| f.name == upper) {
        return true;
    }
    ["SUPPLIER_", "CUSTOMER_"].iter().any(|p| {
        upper
            .strip_prefix(p)
            .is_some_and(|rest| PARTY_FIELDS.iter().any(|(s, _)| *s == rest))
    })
}

/// The region a catalogue field belongs to (`LINES`, `VAT`), from its upper-case name.
pub(crate) fn region_of(upper: &str) -> Option<&'static str> {
    FIELDS
        .iter()
        .find(|f| f.name == upper)
        .and_then(|f| f.region)
}

fn text(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::Text(s.to_owned()))
}

fn date(d: Option<NaiveDate>) -> Value {
    d.map_or(Value::Null, Value::Date)
}

fn num(d: Decimal) -> Value {
    Value::Number(d)
}

fn party(r: &mut Record, prefix: &str, p: Option<&Party>) {
    let a = p.map(|p| &p.address);
    let c = p.and_then(|p| p.contact.as_ref());
    let values: [(&str, Value); 15] = [
        ("NAME", text(p.map(|p| p.name.as_str()))),
        (
            "TRADING_NAME",
            text(p.and_then(|p| p.trading_name.as_deref())),
        ),
        (
            "KVK",
            text(p.and_then(|p| p.kvk.as_ref()).map(|k| k.as_str())),
        ),
        ("VAT_NUMBER", text(p.and_then(|p| p.vat_number.as_deref()))),
        ("ADDRESS_LINE", a.and_then(Address::street_line).into()),
        ("STREET", text(a.and_then(|a| a.street.as_deref()))),
        (
            "HOUSE_NUMBER",
            text(a.and_then(|a| a.house_number.as_deref())),
        ),
        (
            "HOUSE_NUMBER_ADDITION",
            text(a.and_then(|a| a.house_number_addition.as_deref())),
        ),
        (
            "ADDITIONAL_STREET",
            text(a.and_then(|a| a.additional_street.as_deref())),
        ),
        ("POSTCODE", text(a.and_then(|a| a.postcode.as_deref()))),
        ("CITY", text(a.and_then(|a| a.city.as_deref()))),
        (
            "COUNTRY_CODE",
            text(a.and_then(|a| a.country_code.as_deref())),
        ),
        ("CONTACT_NAME", text(c.and_then(|c| c.name.as_deref()))),
        ("PHONE", text(c.and_then(|c| c.phone.as_deref()))),
        ("EMAIL", text(c.and_then(|c| c.email.as_deref()))),
    ];
    for (suffix, v) in values {
        r.insert(format!("{prefix}{suffix}"), v);
    }
}

/// The record an invoice merges as: every catalogue field with its value (blank when the
/// invoice has none), with the totals computed by the Dutch default VAT code table.
pub fn record(invoice: &Invoice) -> Result<Record, crate::model::TotalsError> {
    let totals = invoice.totals()?;
    let mut r = Record::new();
    r.insert("INVOICE_NUMBER", invoice.number.as_str());
    r.insert("INVOICE_DATE", Value::Date(invoice.issue_date));
    r.insert("INVOICE_DUE_DATE", date(invoice.due_date));
    r.insert(
        "INVOICE_EXTERNAL_REFERENCE",
        text(invoice.external_reference.as_deref()),
    );
    r.insert("INVOICE_TYPE_CODE", num(Decimal::from(invoice.type_code.0)));
    r.insert(
        "INVOICE_TITLE",
        if invoice.is_credit_note() {
            "Creditnota"
        } else {
            "Factuur"
        },
    );
    r.insert("INVOICE_CURRENCY", invoice.currency.as_str());
    r.insert("DOCUMENT_MARKING", Value::Text(String::new()));
    r.insert(
        "INVOICE_BUYER_REFERENCE",
        text(invoice.buyer_reference.as_deref()),
    );
    r.insert(
        "INVOICE_ORDER_REFERENCE",
        text(invoice.order_reference.as_deref()),
    );
    r.insert(
        "INVOICE_PROJECT_REFERENCE",
        text(invoice.project_reference.as_deref()),
    );
    r.insert(
        "INVOICE_CONTRACT_REFERENCE",
        text(invoice.contract_reference.as_deref()),
    );
    r.insert(
        "INVOICE_PAYMENT_TERMS",
        text(invoice.payment_terms.as_deref()),
    );
    r.insert("INVOICE_NOTE", invoice.notes.join("\n"));
    let period = invoice.invoicing_period.as_ref();
    r.insert("INVOICE_PERIOD_START", date(period.and_then(|p| p.start)));
    r.insert("INVOICE_PERIOD_END", date(period.and_then(|p| p.end)));
    party(&mut r, "SUPPLIER_", Some(&invoice.supplier));
    party(&mut r, "CUSTOMER_", invoice.customer.as_ref());
    let branch = invoice.branch.as_ref();
    let branch_address = branch
        .and_then(|b| b.address.as_ref())
        .or(invoice.customer.as_ref().map(|c| &c.address));
    r.insert("BRANCH_ID", text(branch.map(|b| b.id.as_str())));
    r.insert("BRANCH_NAME", text(branch.and_then(|b| b.name.as_deref())));
    r.insert(
        "BRANCH_ADDRESS_LINE",
        branch_address.and_then(Address::street_line),
    );
    r.insert(
        "BRANCH_POSTCODE",
        text(branch_address.and_then(|a| a.postcode.as_deref())),
    );
    r.insert(
        "BRANCH_CITY",
        text(branch_address.and_then(|a| a.city.as_deref())),
    );
    let wo = invoice.work_order.as_ref();
    r.insert("WORK_ORDER_NUMBER", text(wo.map(|w| w.number.as_str())));
    r.insert(
        "WORK_ORDER_SOURCE",
        text(wo.and_then(|w| w.source.as_deref())),
    );
    let pm = invoice.payment_means.first();
    r.insert("PAYMENT_MEANS_CODE", text(pm.map(|p| p.code.as_str())));
    r.insert(
        "PAYMENT_MEANS_NAME",
        text(pm.and_then(|p| p.name.as_deref())),
    );
    r.insert(
        "PAYMENT_REFERENCE",
        text(pm.and_then(|p| p.payment_id.as_deref())),
    );
    r.insert("PAYMENT_IBAN", text(pm.and_then(|p| p.iban.as_deref())));
    r.insert(
        "PAYMENT_ACCOUNT_NAME",
        text(pm.and_then(|p| p.account_name.as_deref())),
    );
    r.insert("PAYMENT_BIC", text(pm.and_then(|p| p.bic.as_deref())));
    r.insert("TOTAL_LINES", num(totals.line_total));
    r.insert("TOTAL_ALLOWANCES", num(totals.allowance_total));
    r.insert("TOTAL_CHARGES", num(totals.charge_total));
    r.insert("TOTAL_EXCL_VAT", num(totals.tax_exclusive));
    r.insert("TOTAL_VAT", num(totals.vat_total));
    r.insert("TOTAL_INCL_VAT", num(totals.tax_inclusive));
    r.insert("TOTAL_PREPAID", num(totals.prepaid));
    r.insert("TOTAL_ROUNDING", num(totals.rounding));
    r.insert("TOTAL_PAYABLE", num(totals.payable));
    let lines = invoice
        .lines
        .iter()
        .zip(&totals.lines)
        .enumerate()
        .map(|(k, (line, t))| {
            let mut l = Record::new();
            l.insert("LINE_NUMBER", num(Decimal::from(k as u64 + 1)));
            l.insert("LINE_ID", line.id.as_str());
            l.insert("LINE_DESCRIPTION", line.item.name.as_str());
            l.insert(
                "LINE_ITEM_DESCRIPTION",
                text(line.item.description.as_deref()),
            );
            l.insert("LINE_ARTICLE_CODE", text(line.item.seller_id.as_deref()));
            l.insert("LINE_NOTE", text(line.note.as_deref()));
            l.insert("LINE_QUANTITY", num(line.quantity));
            l.insert("LINE_UNIT_CODE", line.unit_code.as_str());
            l.insert(
                "LINE_UNIT",
                crate::locale::unit(&line.unit_code, crate::validate::Lang::Nl),
            );
            l.insert("LINE_PRICE", num(line.price));
            l.insert("LINE_NET_AMOUNT", num(t.net_amount));
            l.insert("LINE_VAT_CODE", text(line.vat.code.as_deref()));
            l.insert(
                "LINE_VAT_PERCENTAGE",
                line.vat.percentage.map_or(Value::Null, num),
            );
            l.insert("LINE_COST_CENTRE", text(line.cost_centre.as_deref()));
            l
        })
        .collect();
    r.insert("LINES", Value::List(lines));
    let vat = totals
        .vat_breakdown
        .iter()
        .map(|b| {
            let mut v = Record::new();
            v.insert("VAT_CATEGORY", b.category.to_string());
            v.insert("VAT_RATE", b.rate.map_or(Value::Null, num));
            v.insert("VAT_TAXABLE_AMOUNT", num(b.taxable_amount));
            v.insert("VAT_AMOUNT", num(b.vat_amount));
            v.insert("VAT_EXEMPTION_REASON", text(b.exemption_reason.as_deref()));
            v
        })
        .collect();
    r.insert("VAT", Value::List(vat));
    Ok(r)
}

/// The catalogue as Markdown: the text of `schemas/fields.md`.
pub fn markdown() -> String {
    let mut s = String::from(
        "# Invoice field catalogue\n\n\
         Generated from `src/merge/catalogue.rs` (`FACTUUR_BLESS=1 cargo test --test it fields_md` \
         rewrites it). Names match without regard to case. Numbers and dates are typed: use `\\#` \
         and `\\@` pictures on them (`\\# \"#.##0,00\"`, `\\@ \"d MMMM yyyy\"`); without a picture \
         a number is written as exact as it is held with the locale's decimal separator \
         (`1234,50` in nl-NL) and a date as the locale's short date (`3-2-2026`).\n\n\
         As in Word, a `#` place in a numeric picture that has no digit to show becomes a space: \
         `\\# \"€ #.##0,00\"` on 5 gives `€     5,00`. Write `\\# \"€ .0,00\"` (nl-NL) for `€ 5,00`.\n\n\
         Regions: put `TableStart:LINES` and `TableEnd:LINES` (or `BeginGroup:` / `EndGroup:`) \
         in a table row to repeat it per line, or just put line fields in a row (the row then \
         repeats by itself). The VAT breakdown is the region `VAT`.\n\n\
         | field | region | type | what |\n|---|---|---|---|\n",
    );
    let kind = |k: FieldType| match k {
        FieldType::Text => "text",
        FieldType::Number => "number",
        FieldType::Date => "date",
        FieldType::List => "list",
    };
    for f in FIELDS {
        s.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            f.name,
            f.region.unwrap_or(""),
            kind(f.kind),
            f.description
        ));
    }
    for (who, label) in [("SUPPLIER", "supplier"), ("CUSTOMER", "customer")] {
        for (suffix, what) in PARTY_FIELDS {
            s.push_str(&format!(
                "| `{who}_{suffix}` |  | text | {label}: {what} |\n"
            ));
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_covers_the_catalogue() {
        let json = std::fs::read("testdata/invoices/01-domestic-b2b.json").unwrap();
        let inv = Invoice::from_json(&json).unwrap();
        let r = record(&inv).unwrap();
        for f in FIELDS {
            if f.region.is_none() {
                assert!(r.get(f.name).is_some(), "{}", f.name);
            }
        }
        let Some(Value::List(lines)) = r.get("LINES") else {
            panic!()
        };
        for f in FIELDS.iter().filter(|f| f.region == Some("LINES")) {
            assert!(lines[0].get(f.name).is_some(), "{}", f.name);
        }
        let Some(Value::List(vat)) = r.get("VAT") else {
            panic!()
        };
        for f in FIELDS.iter().filter(|f| f.region == Some("VAT")) {
            assert!(vat[0].get(f.name).is_some(), "{}", f.name);
        }
        for who in ["SUPPLIER_", "CUSTOMER_"] {
            for (s, _) in PARTY_FIELDS {
                assert!(r.get(&format!("{who}{s}")).is_some());
            }
        }
        assert_eq!(
            r.get("CUSTOMER_ADDRESS_LINE"),
            Some(&Value::Text("Dorpsstraat 7-A".into()))
        );
        assert_eq!(region_of("LINE_PRICE"), Some("LINES"));
    }
}
