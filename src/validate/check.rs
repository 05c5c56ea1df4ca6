//! The back office's error check: what must be filled in before an invoice may go from
//! *concept* to *proforma* or *definitief*.
//!
//! The rules, each with a stable id:
//!
//! | id | finding |
//! |---|---|
//! | `CHK-NOT-FOUND` | the invoice asked for by number does not exist |
//! | `CHK-CUSTOMER` | no customer |
//! | `CHK-BRANCH` | no branch (*vestiging*) |
//! | `CHK-WORK-ORDER` | no work order (*werkbon*) |
//! | `CHK-STREET` | the customer's address has no street |
//! | `CHK-HOUSE-NUMBER` | … no house number |
//! | `CHK-POSTCODE` | … no postcode |
//! | `CHK-CITY` | … no city |
//! | `CHK-COUNTRY` | … no country |
//! | `CHK-VAT-PERCENTAGE` | a line without VAT percentage |
//! | `CHK-VAT-CODE` | a line without VAT code |
//! | `CHK-VAT-CODE-UNKNOWN` | a line whose VAT code is not in the VAT code table |
//! | `CHK-VAT-MISMATCH` | a line whose VAT percentage differs from its VAT code's |
//!
//! All are fatal. A value of only spaces counts as missing. Without a customer the address
//! rules are not run (there is no address to look at), so one missing thing gives one finding.
//!
//! The check runs on every save of every invoice in a backend, so it is written to be cheap: no
//! allocation at all when the invoice passes, one binary search per line.

use crate::model::{Address, Invoice, Line, VatCode, VatCodeTable};

use super::{Finding, Location, Message, Report, Severity};

/// A rule of the error check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id.
    pub id: &'static str,
    /// Dutch and English message.
    pub message: Message,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $nl:literal, $en:literal;)*) => {
        $(
            #[doc = concat!("`", $id, "`: ", $en)]
            pub const $name: Rule = Rule { id: $id, message: Message { nl: $nl, en: $en } };
        )*
        /// Every rule of the check, in the order it runs.
        pub const RULES: &[Rule] = &[$($name),*];
    };
}

rules! {
    NOT_FOUND = "CHK-NOT-FOUND", "Factuur niet gevonden.", "Invoice not found.";
    CUSTOMER = "CHK-CUSTOMER", "Er is geen klant ingevuld.", "No customer is filled in.";
    BRANCH = "CHK-BRANCH", "Er is geen vestiging ingevuld.", "No branch (vestiging) is filled in.";
    WORK_ORDER = "CHK-WORK-ORDER", "Er is geen werkbon ingevuld.", "No work order (werkbon) is filled in.";
    STREET = "CHK-STREET", "Het adres van de klant heeft geen straatnaam.", "The customer's address has no street.";
    HOUSE_NUMBER = "CHK-HOUSE-NUMBER", "Het adres van de klant heeft geen huisnummer.", "The customer's address has no house number.";
    POSTCODE = "CHK-POSTCODE", "Het adres van de klant heeft geen postcode.", "The customer's address has no postcode.";
    CITY = "CHK-CITY", "Het adres van de klant heeft geen plaats.", "The customer's address has no city.";
    COUNTRY = "CHK-COUNTRY", "Het adres van de klant heeft geen land.", "The customer's address has no country.";
    VAT_PERCENTAGE = "CHK-VAT-PERCENTAGE", "Op de factuurregel is geen btw-percentage ingevuld.", "The invoice line has no VAT percentage.";
    VAT_CODE = "CHK-VAT-CODE", "Op de factuurregel is geen btw-code ingevuld.", "The invoice line has no VAT code.";
    VAT_CODE_UNKNOWN = "CHK-VAT-CODE-UNKNOWN", "De btw-code van de factuurregel staat niet in de btw-codetabel.", "The invoice line's VAT code is not in the VAT code table.";
    VAT_MISMATCH = "CHK-VAT-MISMATCH", "Het btw-percentage van de factuurregel verschilt van het percentage van de btw-code.", "The invoice line's VAT percentage differs from the percentage of its VAT code.";
}

/// Whether a value counts as missing: empty or only whitespace. Values nearly always start
/// with a visible ASCII character, which settles it without scanning.
#[inline]
fn blank_str(v: &str) -> bool {
    match v.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii_graphic() => false,
        Some(_) => v.trim().is_empty(),
    }
}

/// Whether an optional value counts as missing.
#[inline]
fn blank(value: Option<&str>) -> bool {
    value.is_none_or(blank_str)
}

/// The EN 16931 term a rule of the check concerns. The branch and the work order are the back
/// office's own, outside EN 16931.
fn term(id: &str) -> Option<&'static str> {
    Some(match id {
        "CHK-CUSTOMER" => "BG-7",
        "CHK-STREET" | "CHK-HOUSE-NUMBER" => "BT-50",
        "CHK-POSTCODE" => "BT-53",
        "CHK-CITY" => "BT-52",
        "CHK-COUNTRY" => "BT-55",
        "CHK-VAT-PERCENTAGE" | "CHK-VAT-MISMATCH" => "BT-152",
        "CHK-VAT-CODE" | "CHK-VAT-CODE-UNKNOWN" => "BT-151",
        _ => return None,
    })
}

/// Byte equality for short codes, inline rather than through a `memcmp` call.
#[inline]
fn same(a: &str, b: &str) -> bool {
    crate::model::tax::same_code(a, b)
}

#[cold]
fn push(
    report: &mut Report,
    rule: Rule,
    path: &str,
    line: Option<(usize, &Line)>,
    value: Option<String>,
) {
    report.findings.push(Finding {
        rule: rule.id,
        severity: Severity::Fatal,
        term: term(rule.id),
        location: Location {
            path: path.to_owned(),
            line_number: line.map(|(i, _)| i + 1),
            line_id: line.map(|(_, l)| l.id.clone()),
            source: None,
        },
        value,
        message: rule.message,
    });
}

#[cold]
fn push_line(
    report: &mut Report,
    rule: Rule,
    index: usize,
    line: &Line,
    field: &str,
    value: Option<String>,
) {
    let path = format!("$.lines[{index}].{field}");
    push(report, rule, &path, Some((index, line)), value);
}

/// Runs the error check on `invoice`, resolving VAT codes against `table`.
///
/// ```
/// use factuur::model::VatCodeTable;
/// use factuur::validate::check;
/// let json = br#"{"number": "F1", "issue_date": "2026-02-03", "currency": "EUR",
///   "supplier": {"name": "De Vries B.V."}, "lines": []}"#;
/// let invoice = factuur::Invoice::from_json(json).unwrap();
/// let report = check::check(&invoice, &VatCodeTable::dutch_default());
/// let rules: Vec<_> = report.findings.iter().map(|f| f.rule).collect();
/// assert_eq!(rules, ["CHK-CUSTOMER", "CHK-BRANCH", "CHK-WORK-ORDER"]);
/// ```
pub fn check(invoice: &Invoice, table: &VatCodeTable) -> Report {
    let mut report = Report::new();
    check_into(invoice, table, &mut report);
    report
}

/// Runs the error check, appending findings to `report` (so a batch can reuse one report).
pub fn check_into(invoice: &Invoice, table: &VatCodeTable, report: &mut Report) {
    match &invoice.customer {
        None => push(report, CUSTOMER, "$.customer", None, None),
        Some(customer) => check_address(&customer.address, report),
    }
    if invoice.branch.as_ref().is_none_or(|b| blank_str(&b.id)) {
        push(report, BRANCH, "$.branch", None, None);
    }
    if invoice
        .work_order
        .as_ref()
        .is_none_or(|w| blank_str(&w.number))
    {
        push(report, WORK_ORDER, "$.work_order", None, None);
    }
    // Invoices repeat a handful of VAT codes: remember the last one looked up.
    let mut last: Option<&VatCode> = None;
    for (index, line) in invoice.lines.iter().enumerate() {
        check_line(index, line, table, &mut last, report);
    }
}

#[inline]
fn check_address(a: &Address, report: &mut Report) {
    if blank(a.street.as_deref()) {
        push(report, STREET, "$.customer.address.street", None, None);
    }
    if blank(a.house_number.as_deref()) {
        push(
            report,
            HOUSE_NUMBER,
            "$.customer.address.house_number",
            None,
            None,
        );
    }
    if blank(a.postcode.as_deref()) {
        push(report, POSTCODE, "$.customer.address.postcode", None, None);
    }
    if blank(a.city.as_deref()) {
        push(report, CITY, "$.customer.address.city", None, None);
    }
    if blank(a.country_code.as_deref()) {
        push(
            report,
            COUNTRY,
            "$.customer.address.country_code",
            None,
            None,
        );
    }
}

#[inline]
fn check_line<'t>(
    index: usize,
    line: &Line,
    table: &'t VatCodeTable,
    last: &mut Option<&'t VatCode>,
    report: &mut Report,
) {
    let percentage = line.vat.percentage;
    if percentage.is_none() {
        push_line(report, VAT_PERCENTAGE, index, line, "vat.percentage", None);
    }
    let code = match line.vat.code.as_deref() {
        Some(c) if !blank_str(c) => c,
        _ => {
            push_line(report, VAT_CODE, index, line, "vat.code", None);
            return;
        }
    };
    let entry = match *last {
        Some(e) if same(&e.code, code) => Some(e),
        _ => {
            let found = table.get(code);
            if found.is_some() {
                *last = found;
            }
            found
        }
    };
    match entry {
        None => push_line(
            report,
            VAT_CODE_UNKNOWN,
            index,
            line,
            "vat.code",
            Some(code.to_owned()),
        ),
        Some(entry) => {
            if let Some(p) = percentage
                && p != entry.percentage
            {
                let value = format!("code {code} is {} %, the line says {p} %", entry.percentage);
                push_line(
                    report,
                    VAT_MISMATCH,
                    index,
                    line,
                    "vat.percentage",
                    Some(value),
                );
            }
        }
    }
}

/// Looks the invoice with `number` up among `invoices` and checks it; when there is none, the
/// report holds the one finding `CHK-NOT-FOUND`.
pub fn check_by_number<'a>(
    invoices: impl IntoIterator<Item = &'a Invoice>,
    number: &str,
    table: &VatCodeTable,
) -> Report {
    match invoices.into_iter().find(|i| i.number == number) {
        Some(invoice) => check(invoice, table),
        None => {
            let mut report = Report::new();
            push(
                &mut report,
                NOT_FOUND,
                "$.number",
                None,
                Some(number.to_owned()),
            );
            report
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Branch, Party, WorkOrder};

    #[test]
    fn same_compares_bytes() {
        for (a, b, eq) in [
            ("HOOG", "HOOG", true),
            ("HOOG", "LAAG", false),
            ("", "", true),
            ("VERLEGD1", "VERLEGD1", true),
            ("VERLEGD12", "VERLEGD13", false),
            ("VERLEGD12", "VERLEGD12", true),
            ("ABCDEFGHIJKLMNOPQ", "ABCDEFGHIJKLMNOPX", false),
            ("A", "AB", false),
        ] {
            assert_eq!(same(a, b), eq, "{a} {b}");
        }
    }

    fn complete() -> Invoice {
        let json = br#"{"number": "F1", "issue_date": "2026-02-03", "currency": "EUR",
          "supplier": {"name": "De Vries B.V."},
          "customer": {"name": "Bakkerij Jansen", "address": {"street": "Dorpsstraat",
             "house_number": "1", "postcode": "1234 AB", "city": "Ede", "country_code": "NL"}},
          "branch": {"id": "V1"}, "work_order": {"number": "W1"},
          "lines": [{"id": "1", "quantity": "1", "price": "10", "item": {"name": "x"},
                     "vat": {"code": "HOOG", "percentage": "21.00"}}]}"#;
        Invoice::from_json(json).unwrap()
    }

    fn rules(inv: &Invoice) -> Vec<&'static str> {
        check(inv, &VatCodeTable::dutch_default())
            .findings
            .iter()
            .map(|f| f.rule)
            .collect()
    }

    #[test]
    fn complete_invoice_passes() {
        assert!(rules(&complete()).is_empty());
    }

    #[test]
    fn each_missing_thing_is_one_finding() {
        let mut i = complete();
        i.customer = None;
        assert_eq!(rules(&i), ["CHK-CUSTOMER"]);
        let mut i = complete();
        i.branch = Some(Branch {
            id: " ".into(),
            ..Branch::default()
        });
        assert_eq!(rules(&i), ["CHK-BRANCH"]);
        let mut i = complete();
        i.work_order = Some(WorkOrder::default());
        assert_eq!(rules(&i), ["CHK-WORK-ORDER"]);
        let mut i = complete();
        i.customer = Some(Party {
            name: "x".into(),
            ..Party::default()
        });
        assert_eq!(
            rules(&i),
            [
                "CHK-STREET",
                "CHK-HOUSE-NUMBER",
                "CHK-POSTCODE",
                "CHK-CITY",
                "CHK-COUNTRY"
            ]
        );
    }

    #[test]
    fn vat_findings_name_the_line() {
        let mut i = complete();
        i.lines[0].vat.percentage = Some(rust_decimal::Decimal::from(9));
        let r = check(&i, &VatCodeTable::dutch_default());
        assert_eq!(r.findings.len(), 1);
        let f = &r.findings[0];
        assert_eq!(f.rule, "CHK-VAT-MISMATCH");
        assert_eq!(f.location.path, "$.lines[0].vat.percentage");
        assert_eq!(f.location.line_number, Some(1));
        assert_eq!(f.location.line_id.as_deref(), Some("1"));
        assert_eq!(
            f.value.as_deref(),
            Some("code HOOG is 21 %, the line says 9 %")
        );

        i.lines[0].vat.code = Some("ONBEKEND".into());
        assert_eq!(rules(&i), ["CHK-VAT-CODE-UNKNOWN"]);
        i.lines[0].vat.code = None;
        i.lines[0].vat.percentage = None;
        assert_eq!(rules(&i), ["CHK-VAT-PERCENTAGE", "CHK-VAT-CODE"]);
    }

    #[test]
    fn not_found_by_number() {
        let invoices = [complete()];
        let t = VatCodeTable::dutch_default();
        assert!(check_by_number(&invoices, "F1", &t).is_ok());
        let r = check_by_number(&invoices, "F2", &t);
        assert_eq!(r.findings[0].rule, "CHK-NOT-FOUND");
        assert_eq!(r.findings[0].value.as_deref(), Some("F2"));
    }

    #[test]
    fn every_rule_has_both_messages() {
        for r in RULES {
            assert!(r.id.starts_with("CHK-"));
            assert!(!r.message.nl.is_empty() && !r.message.en.is_empty());
        }
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
    }
}
