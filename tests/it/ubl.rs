//! UBL: samples pass the official rules in both profiles, SI-UBL's own rules hold, corpus
//! documents survive a read–write round trip, the model survives a write–read round trip, and
//! hostile input is refused with a clear error.

use std::path::PathBuf;

use factuur::Invoice;
use factuur::model::VatCodeTable;
use factuur::ubl::{self, Node, Ns, Profile, UblError};
use rust_decimal::Decimal;

use crate::official;

fn samples() -> Vec<(String, Invoice)> {
    crate::sample_files()
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (
                name,
                Invoice::from_json(&std::fs::read(&p).unwrap()).unwrap(),
            )
        })
        .collect()
}

const PROFILES: [(Profile, &str); 2] = [(Profile::Nlcius, "nlcius"), (Profile::Peppol, "peppol")];

#[test]
fn samples_pass_xsd_and_cen_rules_in_both_profiles() {
    if !official::available() {
        return;
    }
    let dir = official::temp_dir("ubl-samples");
    let mut files = Vec::new();
    for (name, inv) in samples() {
        for (profile, tag) in PROFILES {
            let path = dir.join(format!("{name}.{tag}.xml"));
            std::fs::write(&path, ubl::to_xml(&inv, profile).unwrap()).unwrap();
            files.push(path);
        }
    }
    let verdicts = official::check(&files);
    let rejected: Vec<_> = verdicts.iter().filter(|v| !v.accepted()).collect();
    assert!(rejected.is_empty(), "{rejected:#?}");
    // Not even a warning: the samples are meant to be exemplary.
    let warned: Vec<_> = verdicts
        .iter()
        .filter(|v| !v.warnings.is_empty())
        .map(|v| (&v.file, &v.warnings))
        .collect();
    assert!(warned.is_empty(), "{warned:#?}");
    assert!(files.len() >= 24);
}

fn text<'d>(n: Node<'d>, path: &[&str]) -> Option<&'d str> {
    let (last, steps) = path.split_last().unwrap();
    let mut n = n;
    for s in steps {
        n = n.child(Ns::Cac, s)?;
    }
    let t = n.child(Ns::Cbc, last)?.text().trim();
    (!t.is_empty()).then_some(t)
}

/// SI-UBL 2.0's own rules (BR-NL-*), written out as assertions until the native validator
/// exists. Each assertion names its rule.
fn assert_nlcius_rules(name: &str, xml: &[u8]) {
    let doc = ubl::parse(xml).unwrap();
    let root = doc.root();
    let custom = text(root, &["CustomizationID"]).unwrap();
    assert!(
        custom.starts_with(ubl::CUSTOMIZATION_NLCIUS),
        "{name}: SI-V20-INV-R000"
    );
    let supplier = root
        .child(Ns::Cac, "AccountingSupplierParty")
        .and_then(|s| s.child(Ns::Cac, "Party"))
        .unwrap();
    let supplier_nl = text(
        supplier,
        &["PostalAddress", "Country", "IdentificationCode"],
    ) == Some("NL");
    if !supplier_nl {
        return; // SI-UBL's rules apply to Dutch suppliers only.
    }
    let legal_ok = supplier
        .child(Ns::Cac, "PartyLegalEntity")
        .and_then(|l| l.child(Ns::Cbc, "CompanyID"))
        .is_some_and(|c| {
            matches!(c.attr("schemeID"), Some("0106" | "0190")) && !c.text().trim().is_empty()
        });
    assert!(legal_ok, "{name}: BR-NL-1 supplier KvK or OIN");
    assert!(
        text(root, &["BuyerReference"]).is_some()
            || text(root, &["OrderReference", "ID"]).is_some(),
        "{name}: BR-NL-2 buyer or order reference"
    );
    for (party, rule) in [
        ("AccountingSupplierParty", "BR-NL-3"),
        ("AccountingCustomerParty", "BR-NL-4"),
    ] {
        let p = root
            .child(Ns::Cac, party)
            .and_then(|p| p.child(Ns::Cac, "Party"))
            .unwrap();
        let a = p.child(Ns::Cac, "PostalAddress").unwrap();
        let nl = text(a, &["Country", "IdentificationCode"]) == Some("NL");
        if party == "AccountingSupplierParty" || nl {
            for field in ["StreetName", "CityName", "PostalZone"] {
                assert!(
                    text(a, &[field]).is_some(),
                    "{name}: {rule} {party} {field}"
                );
            }
        }
        if party == "AccountingCustomerParty" && nl {
            let id_ok = p
                .child(Ns::Cac, "PartyLegalEntity")
                .and_then(|l| l.child(Ns::Cbc, "CompanyID"))
                .is_some_and(|c| matches!(c.attr("schemeID"), Some("0106" | "0190")));
            assert!(id_ok, "{name}: BR-NL-10 Dutch customer KvK or OIN");
        }
    }
    let credit = root.name() == "CreditNote";
    let code = text(
        root,
        &[if credit {
            "CreditNoteTypeCode"
        } else {
            "InvoiceTypeCode"
        }],
    )
    .unwrap();
    assert!(
        matches!(code, "380" | "381" | "384" | "389"),
        "{name}: BR-NL-7"
    );
    assert_eq!(code == "381", credit, "{name}: BR-NL-8");
    if code == "384" {
        assert!(
            text(
                root,
                &["BillingReference", "InvoiceDocumentReference", "ID"]
            )
            .is_some(),
            "{name}: BR-NL-9"
        );
    }
    let payable: Decimal = text(root, &["LegalMonetaryTotal", "PayableAmount"])
        .unwrap()
        .parse()
        .unwrap();
    let means: Vec<_> = root.all(Ns::Cac, "PaymentMeans").collect();
    if !credit && payable > Decimal::ZERO {
        assert!(!means.is_empty(), "{name}: BR-NL-11 payment means");
    }
    for m in &means {
        let c = text(*m, &["PaymentMeansCode"]).unwrap();
        assert!(
            matches!(c, "30" | "48" | "49" | "57" | "58" | "59"),
            "{name}: BR-NL-12 {c}"
        );
        if matches!(c, "58" | "59") {
            assert!(
                text(
                    *m,
                    &["PayeeFinancialAccount", "FinancialInstitutionBranch", "ID"]
                )
                .is_none(),
                "{name}: BR-NL-31 no BIC with SEPA"
            );
        }
        assert!(
            m.child(Ns::Cbc, "PaymentMeansCode")
                .unwrap()
                .attr("name")
                .is_none(),
            "{name}: BR-NL-29"
        );
        assert!(
            text(*m, &["PayeeFinancialAccount", "Name"]).is_none(),
            "{name}: BR-NL-30"
        );
    }
    let has_order = text(root, &["OrderReference", "ID"]).is_some();
    let line_name = if credit {
        "CreditNoteLine"
    } else {
        "InvoiceLine"
    };
    for l in root.all(Ns::Cac, line_name) {
        if text(l, &["OrderLineReference", "LineID"]).is_some() {
            assert!(has_order, "{name}: BR-NL-13");
        }
        for ac in l.all(Ns::Cac, "AllowanceCharge") {
            assert!(
                text(ac, &["AllowanceChargeReasonCode"]).is_none(),
                "{name}: BR-NL-32"
            );
        }
    }
    // The elements SI-UBL 2.0 asks not to use (warnings BR-NL-19 … BR-NL-35).
    let xml = String::from_utf8_lossy(xml);
    for (element, rule) in [
        ("cbc:TaxCurrencyCode", "BR-NL-19"),
        ("cbc:TaxPointDate", "BR-NL-20"),
        ("cbc:DescriptionCode", "BR-NL-21"),
        ("cbc:CompanyLegalForm", "BR-NL-26"),
        ("cac:AddressLine", "BR-NL-27"),
        ("cbc:CountrySubentity", "BR-NL-28"),
        ("cbc:AllowanceChargeReasonCode", "BR-NL-32"),
        ("cbc:TaxExemptionReasonCode", "BR-NL-35"),
    ] {
        assert!(
            !xml.contains(&format!("<{element}>")),
            "{name}: {rule} {element}"
        );
    }
    for ac in root.all(Ns::Cac, "AllowanceCharge") {
        assert!(
            text(ac, &["AllowanceChargeReasonCode"]).is_none(),
            "{name}: BR-NL-32"
        );
    }
    for t in root.all(Ns::Cac, "TaxTotal") {
        let amount = t.child(Ns::Cbc, "TaxAmount").unwrap();
        assert_eq!(
            amount.attr("currencyID"),
            text(root, &["DocumentCurrencyCode"]),
            "{name}: BR-NL-33"
        );
    }
    assert!(!xml.contains("></"), "{name}: SI-UBL-2 empty element");
}

#[test]
fn samples_hold_the_si_ubl_rules() {
    for (name, inv) in samples() {
        let xml = ubl::to_xml(&inv, Profile::Nlcius).unwrap();
        assert_nlcius_rules(&name, &xml);
    }
}

#[test]
fn samples_survive_write_then_read() {
    let table = VatCodeTable::dutch_default();
    for (name, inv) in samples() {
        for (profile, _) in PROFILES {
            let xml = ubl::to_xml(&inv, profile).unwrap();
            let back = ubl::from_xml(&xml).unwrap_or_else(|e| panic!("{name}: {e}"));
            let (a, b) = (inv.totals_with(&table).unwrap(), back.totals().unwrap());
            assert_eq!(a.payable, b.payable, "{name}");
            let mut expected = a.vat_breakdown.clone();
            if profile == Profile::Nlcius {
                expected
                    .iter_mut()
                    .for_each(|b| b.exemption_reason_code = None);
            }
            assert_eq!(expected, b.vat_breakdown, "{name}");
            assert_eq!(back.work_order, inv.work_order, "{name}");
            assert_eq!(back.external_reference, inv.external_reference, "{name}");
            assert_eq!(
                back.customer.as_ref().map(|c| &c.address),
                inv.customer.as_ref().map(|c| &c.address),
                "{name}"
            );
            // Written again, the document is the same bytes: nothing drifts.
            assert_eq!(ubl::to_xml(&back, profile).unwrap(), xml, "{name}");
        }
    }
}

#[test]
fn output_is_deterministic() {
    for (name, inv) in samples() {
        let a = ubl::to_xml(&inv, Profile::Nlcius).unwrap();
        let b = ubl::to_xml(&inv.clone(), Profile::Nlcius).unwrap();
        assert_eq!(a, b, "{name}");
    }
}

/// The accepted complete examples of the public corpus, as listed in testdata/ubl/expected.jsonl.
fn corpus() -> Vec<PathBuf> {
    std::fs::read_to_string(crate::repo("testdata/ubl/expected.jsonl"))
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            crate::repo(&format!("testdata/ubl/{}", v["file"].as_str().unwrap()))
        })
        .collect()
}

#[test]
fn corpus_documents_read_write_and_stay_accepted() {
    let files = corpus();
    assert!(files.len() >= 120, "{}", files.len());
    let dir = official::temp_dir("ubl-corpus");
    let mut written = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let bytes = std::fs::read(f).unwrap();
        let inv = ubl::from_xml(&bytes).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let original = ubl::parse(&bytes).unwrap();
        let profile = Profile::for_customization(inv.customization_id.as_deref().unwrap_or(""));
        let xml = ubl::to_xml(&inv, profile).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        // The document still claims what it claimed.
        let again = ubl::parse(&xml).unwrap();
        for field in ["CustomizationID", "ProfileID", "ID"] {
            assert_eq!(
                text(again.root(), &[field]),
                text(original.root(), &[field]),
                "{}: {field}",
                f.display()
            );
        }
        assert_eq!(
            again.root().name(),
            original.root().name(),
            "{}",
            f.display()
        );
        let out = dir.join(format!("{i:04}.xml"));
        std::fs::write(&out, xml).unwrap();
        written.push(out);
    }
    if !official::available() {
        return;
    }
    let verdicts = official::check(&written);
    let rejected: Vec<_> = verdicts
        .iter()
        .zip(&files)
        .filter(|(v, _)| !v.accepted())
        .map(|(v, f)| (f.display().to_string(), v))
        .collect();
    assert!(rejected.is_empty(), "{rejected:#?}");
}

// --- hostile and broken input -------------------------------------------------------------

fn err(xml: &str) -> UblError {
    ubl::from_xml(xml.as_bytes()).unwrap_err()
}

const HEAD: &str = r#"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">"#;

#[test]
fn bad_input_gets_clear_errors() {
    assert!(matches!(
        err("this is not xml"),
        UblError::Xml { .. } | UblError::NotUbl { .. }
    ));
    assert!(matches!(err("<a><b></a>"), UblError::Xml { line: 1, .. }));
    assert!(matches!(err("<html/>"), UblError::NotUbl { .. }));
    assert!(matches!(
        err(
            "<?xml version='1.0'?>\n<!DOCTYPE lolz [<!ENTITY lol 'lol'><!ENTITY lol2 '&lol;&lol;'>]>\n<lolz>&lol2;</lolz>"
        ),
        UblError::Doctype { line: 2, .. }
    ));
    assert!(matches!(
        err(&format!("{HEAD}<cbc:ID>&xxe;</cbc:ID></Invoice>")),
        UblError::Entity { .. }
    ));
    let deep = format!(
        "{HEAD}{}{}</Invoice>",
        "<cac:X>".repeat(200),
        "</cac:X>".repeat(200)
    );
    assert!(matches!(err(&deep), UblError::TooDeep { .. }));

    let e = err(&format!(
        "{HEAD}\n<cbc:ID>F1</cbc:ID>\n<cbc:IssueDate>2026-02-31</cbc:IssueDate></Invoice>"
    ));
    match e {
        UblError::Invalid {
            line,
            column,
            ref path,
            ..
        } => {
            assert_eq!((line, column), (3, 1));
            assert_eq!(path, "/Invoice/cbc:IssueDate");
        }
        other => panic!("{other}"),
    }
    let inv = std::fs::read(crate::repo("testdata/invoices/01-domestic-b2b.json")).unwrap();
    let xml = String::from_utf8(
        ubl::to_xml(&Invoice::from_json(&inv).unwrap(), Profile::Nlcius).unwrap(),
    )
    .unwrap();
    let broken = xml.replacen(">3.5<", ">3,5<", 1);
    let e = ubl::from_xml(broken.as_bytes()).unwrap_err();
    assert!(
        matches!(&e, UblError::Invalid { path, value, .. } if path.ends_with("cbc:InvoicedQuantity") && value == "3,5"),
        "{e}"
    );
    assert!(e.to_string().contains("line "), "{e}");
    let missing = xml.replacen("<cbc:IssueDate>2026-02-03</cbc:IssueDate>", "", 1);
    assert!(matches!(
        ubl::from_xml(missing.as_bytes()),
        Err(UblError::Missing { .. })
    ));
}

#[test]
fn a_billion_laughs_and_huge_inputs_stay_bounded() {
    // No DTD, so no expansion: refused at once whatever its size.
    let bomb = format!(
        "<!DOCTYPE x [{}]><x>&e9;</x>",
        (1..10)
            .map(|i| format!("<!ENTITY e{i} '{}'>", format!("&e{};", i - 1).repeat(10)))
            .collect::<String>()
    );
    assert!(matches!(
        ubl::from_xml(bomb.as_bytes()),
        Err(UblError::Doctype { .. })
    ));
    // A large but flat document parses in memory proportional to its size.
    let many = format!(
        "{HEAD}{}</Invoice>",
        "<cbc:Note>x</cbc:Note>".repeat(200_000)
    );
    let doc = ubl::parse(many.as_bytes()).unwrap();
    assert_eq!(doc.len(), 200_001);
}

#[test]
fn blank_required_values_are_refused_when_writing() {
    let bytes = std::fs::read(crate::repo("testdata/invoices/01-domestic-b2b.json")).unwrap();
    let inv = Invoice::from_json(&bytes).unwrap();
    let mut a = inv.clone();
    a.number = " ".into();
    let mut b = inv.clone();
    b.lines[2].item.name.clear();
    let mut c = inv;
    c.customer.as_mut().unwrap().name.clear();
    for (broken, path) in [
        (a, "$.number"),
        (b, "$.lines[2].item.name"),
        (c, "$.customer.name"),
    ] {
        match ubl::to_xml(&broken, Profile::Nlcius) {
            Err(UblError::Missing { path: p }) => assert_eq!(p, path),
            other => panic!("{path}: {other:?}"),
        }
    }
}

#[test]
fn invalid_characters_are_refused_when_writing() {
    let bytes = std::fs::read(crate::repo("testdata/invoices/01-domestic-b2b.json")).unwrap();
    let mut inv = Invoice::from_json(&bytes).unwrap();
    inv.lines[0].item.name = "Arbeid\u{1}".into();
    assert!(matches!(
        ubl::to_xml(&inv, Profile::Nlcius),
        Err(UblError::InvalidCharacter {
            element: "cbc:Name",
            code: 1
        })
    ));
}

// --- model → XML → model -------------------------------------------------------------------

mod roundtrip {
    use super::*;
    use chrono::NaiveDate;
    use factuur::model::*;
    use proptest::prelude::*;

    /// Text as people type it: letters, digits, XML's special characters, accents; trimmed,
    /// never blank.
    fn text() -> impl Strategy<Value = String> {
        "[A-Za-z0-9ëé€&<>'\" ./-]{0,14}[A-Za-z0-9ë&<>]".prop_map(|s| s.trim().to_owned())
    }

    fn opt_text() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(text())
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (2000i32..2040, 1u32..13, 1u32..29)
            .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    fn dec(range: std::ops::Range<i64>, scale: u32) -> impl Strategy<Value = Decimal> {
        (range, 0..=scale).prop_map(|(m, s)| Decimal::new(m, s))
    }

    fn schemed(schemes: &'static [&'static str]) -> impl Strategy<Value = SchemedId> {
        (
            "[A-Z0-9]{1,12}",
            proptest::option::of(proptest::sample::select(schemes)),
        )
            .prop_map(|(id, scheme)| SchemedId {
                id,
                scheme: scheme.map(str::to_owned),
            })
    }

    fn address() -> impl Strategy<Value = Address> {
        (
            proptest::option::of((
                "[A-Z][a-zë]{2,9}( [A-Z][a-z]{1,6})?",
                proptest::option::of(("[1-9][0-9]{0,3}", proptest::option::of("[A-Z]{1,2}"))),
            )),
            opt_text(),
            opt_text(),
            proptest::option::of("[1-9][0-9]{3} [A-Z]{2}"),
            opt_text(),
            opt_text(),
            proptest::option::of(proptest::sample::select(vec!["NL", "BE", "DE", "NO"])),
        )
            .prop_map(
                |(street, additional, line3, postcode, city, subdivision, country)| {
                    let (street, number, addition) = match street {
                        Some((s, Some((n, a)))) => (Some(s), Some(n), a),
                        Some((s, None)) => (Some(s), None, None),
                        None => (None, None, None),
                    };
                    Address {
                        street,
                        house_number: number,
                        house_number_addition: addition,
                        additional_street: additional,
                        address_line_3: line3,
                        postcode,
                        city,
                        subdivision,
                        country_code: country.map(str::to_owned),
                    }
                },
            )
    }

    fn party(supplier: bool) -> impl Strategy<Value = Party> {
        (
            text(),
            opt_text(),
            0..4u8,
            proptest::collection::vec(schemed(&["0088", "0208", "0192"]), 0..2),
            proptest::option::of("NL[0-9]{9}B[0-9]{2}"),
            (opt_text(), opt_text()),
            proptest::option::of((
                "[0-9]{8}",
                proptest::sample::select(vec!["0106", "9944", "EM"]),
            )),
            address(),
            proptest::option::of((opt_text(), opt_text(), opt_text())),
        )
            .prop_map(
                move |(
                    name,
                    trading,
                    legal,
                    identifiers,
                    vat,
                    (reg, info),
                    endpoint,
                    address,
                    contact,
                )| Party {
                    name,
                    trading_name: trading,
                    kvk: (legal == 1).then(|| Kvk::new("12345678").unwrap()),
                    oin: (legal == 2).then(|| Oin::new("00000001003214345000").unwrap()),
                    legal_id: (legal == 3).then(|| SchemedId::new("0123456789", "0208")),
                    identifiers,
                    vat_number: vat,
                    tax_registration: if supplier { reg } else { None },
                    legal_info: if supplier { info } else { None },
                    endpoint: endpoint.map(|(id, scheme)| Endpoint {
                        id,
                        scheme: scheme.to_owned(),
                    }),
                    address,
                    contact: contact
                        .map(|(name, phone, email)| Contact { name, phone, email })
                        .filter(|c| *c != Contact::default()),
                },
            )
    }

    /// VAT as the reader gives it back: category and rate, the reason of its category.
    fn vat() -> impl Strategy<Value = Vat> {
        (
            proptest::sample::select(VatCategory::ALL.to_vec()),
            proptest::sample::select(vec![21i64, 9, 12, 6]),
        )
            .prop_map(|(c, r)| {
                let reason = (!c.is_taxed()).then(|| format!("Vrijstelling {c}"));
                Vat {
                    code: None,
                    percentage: if c.is_taxed() {
                        Some(Decimal::from(r))
                    } else if c.has_rate() {
                        Some(Decimal::ZERO)
                    } else {
                        None
                    },
                    category: Some(c),
                    exemption_reason_code: reason.as_ref().map(|_| format!("VATEX-EU-{c}")),
                    exemption_reason: reason,
                }
            })
    }

    fn adjustment() -> impl Strategy<Value = Adjustment> {
        (
            dec(0..100_000, 2),
            proptest::option::of(dec(0..1_000_000, 2)),
            proptest::option::of(dec(0..10_000, 2)),
            opt_text(),
            proptest::option::of(proptest::sample::select(vec!["95", "100", "FC"])),
        )
            .prop_map(|(amount, base, pct, reason, code)| Adjustment {
                amount: Some(amount),
                base_amount: base,
                percentage: pct,
                reason,
                reason_code: code.map(str::to_owned),
            })
    }

    /// A period with at least one date, or none.
    fn period() -> impl Strategy<Value = Option<Period>> {
        (proptest::option::of(date()), proptest::option::of(date())).prop_map(|(start, end)| {
            Some(Period { start, end }).filter(|p| *p != Period::default())
        })
    }

    fn line() -> impl Strategy<Value = Line> {
        (
            (
                "[0-9]{1,4}",
                opt_text(),
                proptest::option::of(schemed(&["AAA", "ABZ"])),
            ),
            (
                dec(-100_000..100_000, 3),
                proptest::sample::select(vec!["C62", "HUR", "KGM", "MTR"]),
            ),
            (
                dec(0..10_000_000, 4),
                proptest::option::of(proptest::sample::select(vec![10i64, 100])),
                proptest::option::of(dec(0..1000, 2)),
            ),
            (opt_text(), opt_text(), period()),
            (
                proptest::collection::vec(adjustment(), 0..2),
                proptest::collection::vec(adjustment(), 0..2),
                vat(),
            ),
            (
                text(),
                opt_text(),
                opt_text(),
                opt_text(),
                proptest::option::of(schemed(&["0160", "0088"])),
            ),
            (
                proptest::collection::vec(
                    (
                        "[0-9]{4,8}",
                        proptest::sample::select(vec!["STI", "MP"]),
                        proptest::option::of("[0-9]{1,2}"),
                    ),
                    0..2,
                ),
                proptest::option::of(proptest::sample::select(vec!["NL", "CN"])),
                proptest::collection::vec((text(), text()), 0..2),
            ),
        )
            .prop_map(
                |(
                    (id, note, object_id),
                    (quantity, unit),
                    (price, base, discount),
                    (order_line, cost, period),
                    (allowances, charges, vat),
                    (name, description, seller, buyer, standard),
                    (classes, origin, attrs),
                )| Line {
                    id,
                    note,
                    object_id: object_id.map(|mut o| {
                        o.scheme.get_or_insert_with(|| "AAA".into());
                        o
                    }),
                    quantity,
                    unit_code: unit.to_owned(),
                    price,
                    base_quantity: base.map(Decimal::from),
                    gross_price: discount.map(|d| price + d),
                    price_discount: discount,
                    order_line_reference: order_line,
                    cost_centre: cost,
                    project: None,
                    period,
                    allowances,
                    charges,
                    vat,
                    item: Item {
                        name,
                        description,
                        seller_id: seller,
                        buyer_id: buyer,
                        standard_id: standard.map(|mut s| {
                            s.scheme.get_or_insert_with(|| "0160".into());
                            s
                        }),
                        classifications: classes
                            .into_iter()
                            .map(|(code, list, version)| Classification {
                                code,
                                list_id: list.to_owned(),
                                list_version: version,
                            })
                            .collect(),
                        origin_country: origin.map(str::to_owned),
                        attributes: attrs
                            .into_iter()
                            .map(|(name, value)| ItemAttribute { name, value })
                            .collect(),
                    },
                },
            )
    }

    fn payment_means() -> impl Strategy<Value = PaymentMeans> {
        (
            proptest::sample::select(vec!["30", "31", "48", "49", "58", "59"]),
            (opt_text(), opt_text()),
            proptest::option::of((
                "NL[0-9]{2}ABNA[0-9]{10}",
                opt_text(),
                proptest::option::of("[A-Z]{6}2A"),
            )),
            proptest::option::of(("[0-9]{6}\\*{6}[0-9]{4}", opt_text(), "[A-Z]{4}")),
            proptest::option::of((
                opt_text(),
                proptest::option::of("NL[0-9]{2}ZZZ[0-9]{12}"),
                opt_text(),
            )),
        )
            .prop_map(|(code, (name, pid), account, card, mandate)| {
                let (iban, account_name, bic) = match account {
                    Some((i, n, b)) => (Some(i), n, b),
                    None => (None, None, None),
                };
                let mandate = mandate
                    .map(|(reference, creditor_id, debited_account)| Mandate {
                        reference,
                        creditor_id,
                        debited_account,
                    })
                    .filter(|m| m.reference.is_some() || m.debited_account.is_some());
                PaymentMeans {
                    code: code.to_owned(),
                    name,
                    payment_id: pid,
                    iban,
                    account_name,
                    bic,
                    card: card.map(|(number, holder, network)| Card {
                        number,
                        holder,
                        network: Some(network),
                    }),
                    mandate,
                }
            })
    }

    fn attachment() -> impl Strategy<Value = Attachment> {
        (
            "[A-Z0-9-]{1,10}",
            proptest::option::of("Bijlage [a-z]{1,8}"),
            prop_oneof![
                Just((None, None, None, None)),
                "https://example\\.nl/[a-z]{1,8}".prop_map(|u| (Some(u), None, None, None)),
                (
                    proptest::collection::vec(any::<u8>(), 0..64),
                    "[a-z]{1,8}\\.pdf"
                )
                    .prop_map(|(b, f)| (
                        None,
                        Some(b),
                        Some(f),
                        Some("application/pdf".to_owned())
                    )),
            ],
        )
            .prop_map(
                |(id, description, (uri, content, filename, mime))| Attachment {
                    id,
                    description,
                    uri,
                    filename,
                    mime_code: mime,
                    content,
                },
            )
    }

    fn invoice() -> impl Strategy<Value = Invoice> {
        (
            (
                "[A-Z0-9-]{1,12}",
                date(),
                proptest::sample::select(vec![380u16, 381, 384, 389]),
                proptest::option::of(date()),
                proptest::option::of(date()),
            ),
            (
                opt_text(),
                opt_text(),
                opt_text(),
                opt_text(),
                opt_text(),
                opt_text(),
                opt_text(),
                opt_text(),
                opt_text(),
                opt_text(),
            ),
            (
                proptest::option::of(schemed(&["AAA", "ZZZ"])),
                proptest::collection::vec(("[A-Z0-9]{1,8}", proptest::option::of(date())), 0..2),
                proptest::collection::vec(text(), 0..2),
                period(),
            ),
            (
                party(true),
                proptest::option::of(party(false)),
                proptest::option::of(("[A-Z0-9]{1,6}", opt_text())),
                proptest::option::of(("[A-Z0-9]{1,8}", proptest::option::of("DICO|handmatig"))),
            ),
            (
                proptest::option::of((
                    text(),
                    proptest::option::of(schemed(&["0088"])),
                    proptest::option::of(schemed(&["0106"])),
                )),
                proptest::option::of((text(), "NL[0-9]{9}B01", address())),
                proptest::option::of((
                    opt_text(),
                    proptest::option::of(schemed(&["0088"])),
                    proptest::option::of(date()),
                    proptest::option::of(address()),
                )),
            ),
            (
                proptest::collection::vec(payment_means(), 0..3),
                proptest::collection::vec((adjustment(), vat()), 0..3),
                proptest::collection::vec((adjustment(), vat()), 0..3),
                proptest::option::of(dec(0..100_000, 2)),
                proptest::option::of(dec(-99..99, 2)),
            ),
            (
                proptest::collection::vec(attachment(), 0..3),
                proptest::collection::vec(line(), 1..6),
                opt_text(),
            ),
        )
            .prop_map(
                |(
                    (number, issue, code, due, tax_point),
                    (
                        buyer_ref,
                        order,
                        sales,
                        project,
                        contract,
                        receiving,
                        despatch,
                        tender,
                        accounting,
                        terms,
                    ),
                    (object, preceding, notes, period),
                    (supplier, customer, branch, work_order),
                    (payee, rep, delivery),
                    (means, allowances, charges, prepaid, rounding),
                    (attachments, lines, external),
                )| {
                    let credit = TypeCode(code).is_credit_note();
                    let mut means = means;
                    // At most one mandate, so creditor ids find their way back to it.
                    let mut seen = false;
                    for m in &mut means {
                        if m.mandate.is_some() && std::mem::replace(&mut seen, true) {
                            m.mandate = None;
                        }
                    }
                    let doc_adj = |(a, vat): (Adjustment, Vat)| DocumentAdjustment {
                        amount: a.amount,
                        base_amount: a.base_amount,
                        percentage: a.percentage,
                        reason: a.reason,
                        reason_code: a.reason_code,
                        vat,
                    };
                    Invoice {
                        number,
                        issue_date: issue,
                        type_code: TypeCode(code),
                        currency: CurrencyCode::eur(),
                        tax_currency: None,
                        tax_total_in_tax_currency: None,
                        tax_point_date: tax_point,
                        // A credit note carries its due date with its first payment means.
                        due_date: if credit && means.is_empty() {
                            None
                        } else {
                            due
                        },
                        payment_terms: terms,
                        buyer_reference: buyer_ref,
                        order_reference: order,
                        sales_order_reference: sales,
                        project_reference: project,
                        contract_reference: contract,
                        receiving_advice_reference: receiving,
                        despatch_advice_reference: despatch,
                        tender_reference: tender,
                        invoiced_object: object,
                        accounting_reference: accounting,
                        external_reference: external,
                        preceding_invoices: preceding
                            .into_iter()
                            .map(|(number, issue_date)| PrecedingInvoice { number, issue_date })
                            .collect(),
                        notes,
                        invoicing_period: period,
                        customization_id: None,
                        profile_id: None,
                        supplier,
                        customer,
                        branch: branch.map(|(id, name)| Branch {
                            id,
                            name,
                            address: None,
                        }),
                        work_order: work_order.map(|(number, source)| WorkOrder { number, source }),
                        payee: payee.map(|(name, identifier, legal_id)| Payee {
                            name,
                            identifier,
                            legal_id,
                        }),
                        tax_representative: rep.map(|(name, vat_number, address)| {
                            TaxRepresentative {
                                name,
                                vat_number,
                                address,
                            }
                        }),
                        delivery: delivery
                            .map(|(party_name, location_id, date, address)| Delivery {
                                party_name,
                                location_id,
                                date,
                                address,
                            })
                            .filter(|d| *d != Delivery::default()),
                        payment_means: means,
                        allowances: allowances.into_iter().map(doc_adj).collect(),
                        charges: charges.into_iter().map(doc_adj).collect(),
                        prepaid_amount: prepaid,
                        rounding_amount: rounding,
                        attachments,
                        lines,
                    }
                },
            )
    }

    /// What SI-UBL asks senders not to write, cleared from the expected model.
    fn without_nlcius_omissions(mut inv: Invoice) -> Invoice {
        let clear_address = |a: &mut Address| {
            a.subdivision = None;
            a.address_line_3 = None;
        };
        for p in [Some(&mut inv.supplier), inv.customer.as_mut()]
            .into_iter()
            .flatten()
        {
            clear_address(&mut p.address);
            p.legal_info = None;
        }
        if let Some(r) = &mut inv.tax_representative {
            clear_address(&mut r.address);
        }
        if let Some(a) = inv.delivery.as_mut().and_then(|d| d.address.as_mut()) {
            clear_address(a);
        }
        for p in &mut inv.preceding_invoices {
            p.issue_date = None;
        }
        for m in &mut inv.payment_means {
            m.name = None;
            if m.iban.is_some() {
                m.account_name = None;
                if matches!(m.code.as_str(), "58" | "59") {
                    m.bic = None;
                }
            }
        }
        for a in inv.allowances.iter_mut().chain(inv.charges.iter_mut()) {
            a.reason_code = None;
            a.vat.exemption_reason_code = None;
        }
        for l in &mut inv.lines {
            l.vat.exemption_reason_code = None;
            for a in l.allowances.iter_mut().chain(l.charges.iter_mut()) {
                a.reason_code = None;
            }
        }
        inv
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn model_to_xml_to_model_is_identity(inv in invoice()) {
            if inv.customer.is_none() {
                // UBL requires the buyer: the writer refuses, naming it.
                let refused = ubl::to_xml(&inv, Profile::Peppol);
                prop_assert!(
                    matches!(&refused, Err(UblError::Missing { path }) if path == "$.customer"),
                    "{refused:?}"
                );
                return Ok(());
            }
            let xml = ubl::to_xml(&inv, Profile::Peppol).unwrap();
            let mut back = ubl::from_xml(&xml).unwrap();
            let claimed = (back.customization_id.take(), back.profile_id.take());
            prop_assert_eq!(claimed.0.as_deref(), Some(ubl::CUSTOMIZATION_PEPPOL));
            prop_assert_eq!(claimed.1.as_deref(), Some(ubl::PROFILE_BILLING));
            prop_assert_eq!(&back, &inv);

            let xml = ubl::to_xml(&inv, Profile::Nlcius).unwrap();
            let mut back = ubl::from_xml(&xml).unwrap();
            back.customization_id = None;
            back.profile_id = None;
            prop_assert_eq!(back, without_nlcius_omissions(inv));
        }

        /// Whatever model the writer accepts, the XML it writes keeps the UBL 2.1 schema, in
        /// both profiles: the structure check finds nothing. (It refuses a model without a
        /// buyer, which UBL requires.)
        #[test]
        fn the_writer_always_keeps_the_ubl_schema(inv in invoice()) {
            for profile in [Profile::Peppol, Profile::Nlcius] {
                let Ok(xml) = ubl::to_xml(&inv, profile) else {
                    // A model the writer refuses (no buyer, say) is not written at all.
                    prop_assert!(inv.customer.is_none());
                    continue;
                };
                let doc = ubl::parse(&xml).unwrap();
                let errors = factuur::validate::ubl::schema::check(&doc);
                prop_assert!(errors.is_empty(), "{profile:?}: {errors:?}\n{}", String::from_utf8_lossy(&xml));
            }
        }
    }

    /// A valid model: a sample invoice with other amounts, quantities, texts, dates and as many
    /// lines as chosen (each line a copy of one of the sample's own, so its VAT stays what the
    /// sample had).
    fn valid_invoice() -> impl Strategy<Value = Invoice> {
        let samples: Vec<Invoice> = super::samples().into_iter().map(|(_, i)| i).collect();
        (
            proptest::sample::select(samples),
            proptest::collection::vec(
                (0usize..64, dec(1..100_000, 2), dec(1..10_000, 3), text()),
                1..12,
            ),
            date(),
            text(),
        )
            .prop_map(|(mut inv, lines, issued, note)| {
                let template = inv.lines.clone();
                inv.lines = lines
                    .into_iter()
                    .enumerate()
                    .map(|(k, (pick, price, quantity, name))| {
                        let mut line = template[pick % template.len()].clone();
                        line.id = (k + 1).to_string();
                        line.price = price;
                        if let Some(discount) = line.price_discount {
                            line.gross_price = Some(price + discount);
                        }
                        line.quantity = quantity;
                        line.item.name = name;
                        line
                    })
                    .collect();
                let shift = issued - inv.issue_date;
                inv.issue_date = issued;
                inv.due_date = inv.due_date.map(|d| d + shift);
                inv.notes = vec![note];
                inv
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// A valid model written in a profile passes what that profile claims: the structure
        /// check and the official rules `auto` picks for it (SI-UBL 2.0: the complete SI-UBL
        /// verdict; Peppol: EN 16931 and Peppol's own rules), with no fatal finding.
        #[test]
        fn the_writer_produces_valid_documents_from_valid_models(inv in valid_invoice()) {
            use factuur::validate::ubl::{Rules, validate_bytes};
            for profile in [Profile::Nlcius, Profile::Peppol] {
                let xml = ubl::to_xml(&inv, profile).unwrap();
                let verdict = validate_bytes(&xml, &Rules::Auto).unwrap();
                let fatal: Vec<_> = verdict
                    .findings()
                    .filter(|(_, f)| f.severity == factuur::Severity::Fatal)
                    .map(|(set, f)| (set, f.rule, f.location.path.clone(), f.value.clone()))
                    .collect();
                prop_assert!(verdict.xsd_ok(), "{profile:?}: {:?}", verdict.xsd_errors);
                prop_assert!(fatal.is_empty(), "{profile:?}: {fatal:?}");
            }
        }
    }
}

#[test]
fn ubl_2_0_documents_of_older_senders_are_read_and_can_be_upgraded() {
    let path = crate::repo("testdata/ubl20/si-ubl-1.0-invoice.xml");
    let inv = ubl::from_xml(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(
        inv.supplier.kvk.as_ref().map(|k| k.as_str()),
        Some("08123456")
    );
    assert_eq!(inv.supplier.name, "Drukkerij Vonk B.V.");
    assert_eq!(inv.supplier.trading_name.as_deref(), Some("Drukkerij Vonk"));
    assert_eq!(
        inv.customer
            .as_ref()
            .unwrap()
            .address
            .house_number_addition
            .as_deref(),
        Some("a")
    );
    assert_eq!(
        inv.due_date.map(|d| d.to_string()).as_deref(),
        Some("2015-07-18")
    );
    assert!(
        inv.customization_id
            .as_deref()
            .unwrap()
            .contains("si-ubl:invoice:ver1.0")
    );
    // VAT stated only in the breakdown reaches the lines.
    let totals = inv.totals().unwrap();
    assert_eq!(totals.vat_total, Decimal::new(5250, 2));
    assert_eq!(totals.payable, Decimal::new(30250, 2));

    // Upgraded to SI-UBL 2.0 it passes the official rules.
    let mut upgraded = inv.clone();
    upgraded.customization_id = None;
    upgraded.profile_id = None;
    let xml = ubl::to_xml(&upgraded, Profile::Nlcius).unwrap();
    assert_nlcius_rules("si-ubl-1.0 upgraded", &xml);
    if official::available() {
        let dir = official::temp_dir("ubl20");
        let out = dir.join("upgraded.xml");
        std::fs::write(&out, &xml).unwrap();
        let v = official::check(&[out]);
        assert!(v[0].accepted(), "{:?}", v[0]);
    }
}
