//! Properties: totals obey every calculation rule, the error check never panics and finds
//! exactly what is missing, JSON round trips are the identity.

use chrono::NaiveDate;
use factuur::Invoice;
use factuur::model::{
    Address, Adjustment, Branch, DocumentAdjustment, Item, Line, Party, Vat, VatCategory,
    VatCodeTable, WorkOrder,
};
use factuur::validate::check;
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::calc_rules::assert_calculation_rules;

fn dec(range: std::ops::Range<i64>, max_scale: u32) -> impl Strategy<Value = Decimal> {
    (range, 0..=max_scale).prop_map(|(m, s)| Decimal::new(m, s))
}

/// VAT as a back office enters it: a code from the Dutch table with its own percentage, or an
/// explicit category (with a rate for the taxed ones).
fn vat() -> impl Strategy<Value = Vat> {
    let table = VatCodeTable::dutch_default();
    let codes: Vec<(String, Decimal)> = table
        .codes()
        .iter()
        .map(|c| (c.code.clone(), c.percentage))
        .collect();
    prop_oneof![
        4 => proptest::sample::select(codes).prop_map(|(code, p)| Vat {
            code: Some(code),
            percentage: Some(p),
            ..Vat::default()
        }),
        1 => (
            proptest::sample::select(vec![VatCategory::S, VatCategory::L, VatCategory::M]),
            proptest::sample::select(vec![
                Decimal::new(21, 0),
                Decimal::new(9, 0),
                Decimal::new(125, 1),
                Decimal::new(7, 0),
                Decimal::new(55, 1)
            ])
        )
            .prop_map(|(c, r)| Vat {
                category: Some(c),
                percentage: Some(r),
                ..Vat::default()
            }),
        1 => proptest::sample::select(VatCategory::ALL.to_vec()).prop_filter_map(
            "untaxed",
            |c| (!c.is_taxed()).then(|| Vat {
                category: Some(c),
                exemption_reason: Some("reden".into()),
                ..Vat::default()
            })
        ),
    ]
}

fn adjustment() -> impl Strategy<Value = Adjustment> {
    prop_oneof![
        dec(0..100_000, 2).prop_map(|a| Adjustment {
            amount: Some(a),
            ..Adjustment::default()
        }),
        (
            dec(0..10_000, 2),
            proptest::option::of(dec(0..1_000_000, 2))
        )
            .prop_map(|(p, b)| {
                Adjustment {
                    percentage: Some(p),
                    base_amount: b,
                    ..Adjustment::default()
                }
            }),
    ]
}

fn document_adjustment() -> impl Strategy<Value = DocumentAdjustment> {
    (adjustment(), vat()).prop_map(|(a, vat)| DocumentAdjustment {
        amount: a.amount,
        base_amount: a.base_amount,
        percentage: a.percentage,
        reason: Some("korting".into()),
        reason_code: None,
        vat,
    })
}

fn line() -> impl Strategy<Value = Line> {
    (
        dec(-100_000..100_000, 3),
        dec(0..100_000_000, 4),
        proptest::option::of(proptest::sample::select(vec![1i64, 10, 100, 1000])),
        proptest::collection::vec(adjustment(), 0..3),
        proptest::collection::vec(adjustment(), 0..2),
        vat(),
    )
        .prop_map(|(quantity, price, base, allowances, charges, vat)| Line {
            id: String::new(),
            note: None,
            object_id: None,
            quantity,
            unit_code: "C62".into(),
            price,
            base_quantity: base.map(Decimal::from),
            gross_price: None,
            price_discount: None,
            order_line_reference: None,
            cost_centre: None,
            project: None,
            period: None,
            allowances,
            charges,
            vat,
            item: Item {
                name: "artikel".into(),
                ..Item::default()
            },
        })
}

fn base_invoice() -> Invoice {
    let json = std::fs::read(crate::repo("testdata/invoices/01-domestic-b2b.json")).unwrap();
    Invoice::from_json(&json).unwrap()
}

fn invoice() -> impl Strategy<Value = Invoice> {
    (
        proptest::collection::vec(line(), 1..25),
        proptest::collection::vec(document_adjustment(), 0..3),
        proptest::collection::vec(document_adjustment(), 0..3),
        proptest::option::of(dec(-100_000..1_000_000, 2)),
        proptest::option::of(dec(-99..100, 2)),
    )
        .prop_map(|(lines, allowances, charges, prepaid, rounding)| {
            let mut inv = base_invoice();
            inv.lines = lines
                .into_iter()
                .enumerate()
                .map(|(i, mut l)| {
                    l.id = (i + 1).to_string();
                    l
                })
                .collect();
            inv.allowances = allowances;
            inv.charges = charges;
            inv.prepaid_amount = prepaid;
            inv.rounding_amount = rounding;
            inv
        })
}

/// Ways to break a complete invoice, each with the one finding it must cause.
#[derive(Debug, Clone)]
enum Removal {
    Customer,
    Branch,
    BranchId,
    WorkOrder,
    WorkOrderNumber,
    Street,
    HouseNumber,
    Postcode,
    City,
    Country,
    VatPercentage(usize),
    VatCode(usize),
    UnknownCode(usize),
    Mismatch(usize),
}

impl Removal {
    fn apply(&self, inv: &mut Invoice) -> &'static str {
        let n = inv.lines.len();
        match *self {
            Removal::Customer => {
                inv.customer = None;
                "CHK-CUSTOMER"
            }
            Removal::Branch => {
                inv.branch = None;
                "CHK-BRANCH"
            }
            Removal::BranchId => {
                inv.branch = Some(Branch {
                    id: "   ".into(),
                    ..Branch::default()
                });
                "CHK-BRANCH"
            }
            Removal::WorkOrder => {
                inv.work_order = None;
                "CHK-WORK-ORDER"
            }
            Removal::WorkOrderNumber => {
                inv.work_order = Some(WorkOrder {
                    number: String::new(),
                    source: Some("DICO".into()),
                });
                "CHK-WORK-ORDER"
            }
            Removal::Street => {
                inv.customer.as_mut().unwrap().address.street = None;
                "CHK-STREET"
            }
            Removal::HouseNumber => {
                inv.customer.as_mut().unwrap().address.house_number = Some(String::new());
                "CHK-HOUSE-NUMBER"
            }
            Removal::Postcode => {
                inv.customer.as_mut().unwrap().address.postcode = None;
                "CHK-POSTCODE"
            }
            Removal::City => {
                inv.customer.as_mut().unwrap().address.city = Some(" ".into());
                "CHK-CITY"
            }
            Removal::Country => {
                inv.customer.as_mut().unwrap().address.country_code = None;
                "CHK-COUNTRY"
            }
            Removal::VatPercentage(i) => {
                inv.lines[i % n].vat.percentage = None;
                "CHK-VAT-PERCENTAGE"
            }
            Removal::VatCode(i) => {
                inv.lines[i % n].vat.code = None;
                "CHK-VAT-CODE"
            }
            Removal::UnknownCode(i) => {
                inv.lines[i % n].vat.code = Some("ONBEKEND".into());
                "CHK-VAT-CODE-UNKNOWN"
            }
            Removal::Mismatch(i) => {
                let l = &mut inv.lines[i % n];
                l.vat.percentage = Some(l.vat.percentage.unwrap() + Decimal::ONE);
                "CHK-VAT-MISMATCH"
            }
        }
    }
}

fn removal() -> impl Strategy<Value = Removal> {
    prop_oneof![
        Just(Removal::Customer),
        Just(Removal::Branch),
        Just(Removal::BranchId),
        Just(Removal::WorkOrder),
        Just(Removal::WorkOrderNumber),
        Just(Removal::Street),
        Just(Removal::HouseNumber),
        Just(Removal::Postcode),
        Just(Removal::City),
        Just(Removal::Country),
        any::<usize>().prop_map(Removal::VatPercentage),
        any::<usize>().prop_map(Removal::VatCode),
        any::<usize>().prop_map(Removal::UnknownCode),
        any::<usize>().prop_map(Removal::Mismatch),
    ]
}

/// An invoice the error check accepts: lines only with codes from the table and their own
/// percentages.
fn complete_invoice() -> impl Strategy<Value = Invoice> {
    invoice().prop_map(|mut inv| {
        let table = VatCodeTable::dutch_default();
        for (i, l) in inv.lines.iter_mut().enumerate() {
            if l.vat.code.is_none() {
                let c = &table.codes()[i % table.codes().len()];
                l.vat = Vat {
                    code: Some(c.code.clone()),
                    percentage: Some(c.percentage),
                    ..Vat::default()
                };
            }
        }
        inv
    })
}

fn opt_text() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(prop_oneof![
        Just(String::new()),
        Just(" ".to_owned()),
        "[a-zA-Zë0-9 ]{1,12}"
    ])
}

/// Anything the model can hold in the fields the check reads, including blanks.
fn messy_invoice() -> impl Strategy<Value = Invoice> {
    (
        invoice(),
        proptest::option::of((opt_text(), opt_text(), opt_text(), opt_text(), opt_text())),
        proptest::option::of("[ A-Z0-9]{0,4}"),
        proptest::option::of("[ A-Z0-9]{0,4}"),
        proptest::collection::vec(
            (opt_text(), proptest::option::of(dec(-1000..1000, 2))),
            0..10,
        ),
    )
        .prop_map(|(mut inv, addr, branch, wo, vats)| {
            inv.customer = addr.map(
                |(street, house_number, postcode, city, country_code)| Party {
                    name: "klant".into(),
                    address: Address {
                        street,
                        house_number,
                        postcode,
                        city,
                        country_code,
                        ..Address::default()
                    },
                    ..Party::default()
                },
            );
            inv.branch = branch.map(|id| Branch {
                id,
                ..Branch::default()
            });
            inv.work_order = wo.map(|number| WorkOrder {
                number,
                source: None,
            });
            for (l, (code, p)) in inv.lines.iter_mut().zip(vats) {
                l.vat.code = code;
                l.vat.percentage = p;
            }
            inv
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn totals_obey_the_calculation_rules(inv in invoice()) {
        let table = VatCodeTable::dutch_default();
        let totals = inv.totals_with(&table).unwrap();
        assert_calculation_rules(&inv, &totals, &table);
    }

    #[test]
    fn check_never_panics_and_is_deterministic(inv in messy_invoice()) {
        let table = VatCodeTable::dutch_default();
        let a = check::check(&inv, &table);
        let b = check::check(&inv, &table);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn complete_invoice_passes(inv in complete_invoice()) {
        let r = check::check(&inv, &VatCodeTable::dutch_default());
        prop_assert!(r.findings.is_empty(), "{:?}", r.findings);
    }

    #[test]
    fn removing_one_field_gives_exactly_that_finding(inv in complete_invoice(), how in removal()) {
        let mut inv = inv;
        let expected = how.apply(&mut inv);
        let r = check::check(&inv, &VatCodeTable::dutch_default());
        let rules: Vec<_> = r.findings.iter().map(|f| f.rule).collect();
        prop_assert_eq!(rules, vec![expected]);
    }

    #[test]
    fn json_round_trip_is_identity(inv in messy_invoice()) {
        let bytes = inv.to_json();
        let back = Invoice::from_json(&bytes).unwrap();
        prop_assert_eq!(back, inv);
    }
}

#[test]
fn dates_survive_json() {
    let mut inv = base_invoice();
    inv.due_date = NaiveDate::from_ymd_opt(2028, 2, 29);
    assert_eq!(Invoice::from_json(&inv.to_json()).unwrap(), inv);
}
