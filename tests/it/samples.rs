//! Every sample invoice in `testdata/invoices/` parses, passes the error check, has totals that
//! obey the calculation rules, and survives a JSON round trip.

use factuur::Invoice;
use factuur::model::VatCodeTable;
use factuur::validate::check;

use crate::calc_rules::assert_calculation_rules;

#[test]
fn samples_are_complete_and_consistent() {
    let table = VatCodeTable::dutch_default();
    let files = crate::sample_files();
    assert!(
        files.len() >= 12,
        "expected at least 12 samples, found {}",
        files.len()
    );
    let mut numbers = std::collections::BTreeSet::new();
    for file in &files {
        let name = file.display();
        let inv = Invoice::from_json(&std::fs::read(file).unwrap())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            numbers.insert(inv.number.clone()),
            "{name}: duplicate invoice number"
        );
        let report = check::check(&inv, &table);
        assert!(report.findings.is_empty(), "{name}: {:?}", report.findings);
        let totals = inv
            .totals_with(&table)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_calculation_rules(&inv, &totals, &table);
        let back = Invoice::from_json(&inv.to_json()).unwrap();
        assert_eq!(back, inv, "{name}: JSON round trip");
    }
}
