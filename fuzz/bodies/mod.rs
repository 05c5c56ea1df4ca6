//! The bodies of the fuzz targets, shared by the libFuzzer targets (`cargo +nightly fuzz run`)
//! and by the stable replay of the saved corpus in the integration tests.

use arbitrary::{Arbitrary, Unstructured};
use factuur::Invoice;
use factuur::model::{DocumentAdjustment, Line, VatCategory, VatCodeTable};
use factuur::ubl::{self, Profile, UblError};
use factuur::validate::check;
use rust_decimal::Decimal;

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

/// Arbitrary bytes as a UBL document: reading never panics, and what reads can be written and
/// read again to the same invoice.
pub fn ubl_read(data: &[u8]) {
    let Ok(invoice) = ubl::from_xml(data) else {
        return;
    };
    let xml = match ubl::to_xml(&invoice, Profile::Peppol) {
        Ok(xml) => xml,
        // Totals can be impossible (overflow, unknown category): an error, not a panic.
        Err(UblError::Totals(_) | UblError::InvalidCharacter { .. } | UblError::Missing { .. }) => {
            return;
        }
        Err(e) => panic!("writing a read invoice failed: {e}"),
    };
    let again = ubl::from_xml(&xml).expect("own UBL must read back");
    let xml2 = ubl::to_xml(&again, Profile::Peppol).expect("and write again");
    assert_eq!(xml, xml2, "UBL round trip is not stable");
}

fn decimal(u: &mut Unstructured<'_>, max_scale: u32) -> arbitrary::Result<Decimal> {
    let mantissa = i64::arbitrary(u)? % 10_000_000_000;
    let scale = u32::arbitrary(u)? % (max_scale + 1);
    Ok(Decimal::new(mantissa, scale))
}

fn text(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let s = String::arbitrary(u)?;
    Ok(s.chars().take(40).collect())
}

/// An invoice built from fuzz bytes on top of a sample: arbitrary texts (including characters
/// XML cannot carry), quantities, prices, VAT categories, allowances and charges. Written as UBL
/// it must read back with the same totals, or be refused with an error.
pub fn ubl_model(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let _ = build_and_round_trip(&mut u);
}

fn build_and_round_trip(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    let base = include_bytes!("../../testdata/invoices/08-allowances-charges.json");
    let mut inv = Invoice::from_json(base).expect("sample");
    inv.number = text(u)?;
    inv.notes = vec![text(u)?];
    inv.supplier.name = text(u)?;
    let template = inv.lines[0].clone();
    let n = u.int_in_range(1..=12)?;
    inv.lines = (0..n)
        .map(|i| -> arbitrary::Result<Line> {
            let mut l = template.clone();
            l.id = format!("{}", i + 1);
            l.item.name = text(u)?;
            l.quantity = decimal(u, 4)?;
            l.price = decimal(u, 4)?.abs();
            l.vat.code = None;
            l.vat.category = Some(*u.choose(&VatCategory::ALL)?);
            l.vat.percentage = Some(decimal(u, 2)?.abs() % Decimal::ONE_HUNDRED);
            l.allowances.truncate(usize::from(u8::arbitrary(u)? % 2));
            l.charges.clear();
            Ok(l)
        })
        .collect::<arbitrary::Result<_>>()?;
    for list in [&mut inv.allowances, &mut inv.charges] {
        for a in list.iter_mut() {
            *a = DocumentAdjustment {
                amount: Some(decimal(u, 2)?.abs()),
                ..a.clone()
            };
        }
    }
    inv.prepaid_amount = Some(decimal(u, 2)?);
    for profile in [Profile::Nlcius, Profile::Peppol] {
        let xml = match ubl::to_xml(&inv, profile) {
            Ok(x) => x,
            Err(
                UblError::InvalidCharacter { .. } | UblError::Totals(_) | UblError::Missing { .. },
            ) => continue,
            Err(e) => panic!("unexpected write error: {e}"),
        };
        let back = ubl::from_xml(&xml).expect("own UBL must read back");
        assert_eq!(
            back.totals().expect("totals").payable,
            inv.totals().expect("totals").payable,
            "amount due changed in the round trip"
        );
        assert_eq!(back.lines.len(), inv.lines.len());
    }
    Ok(())
}
