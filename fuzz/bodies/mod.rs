//! The bodies of the fuzz targets, shared by the libFuzzer targets (`cargo +nightly fuzz run`)
//! and by the stable replay of the saved corpus in the integration tests.

use factuur::Invoice;
use factuur::model::VatCodeTable;
use factuur::validate::check;

/// Arbitrary bytes as invoice JSON: parsing never panics; what parses can be checked, totalled,
/// and written back to JSON that reads as the same invoice.
pub fn json_invoice(data: &[u8]) {
    let Ok(invoice) = Invoice::from_json(data) else {
        return;
    };
    let table = VatCodeTable::dutch_default();
    let _ = check::check(&invoice, &table);
    let _ = invoice.totals_with(&table);
    let again = Invoice::from_json(&invoice.to_json()).expect("own JSON must read back");
    assert_eq!(again, invoice, "JSON round trip changed the invoice");
}
