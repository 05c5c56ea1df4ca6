//! Peppol's own business rules (`PEPPOL-EN16931-R*`) and identifier checks
//! (`PEPPOL-COMMON-R*`): the official set's first three patterns, in the official order.

use crate::ubl::{Node, Ns, Ns::Cac, Ns::Cbc};
use crate::validate::ubl::engine::context::{Alt, Rule, Step, el, el_if, rel};
use crate::validate::ubl::engine::xpath::{self, exists, has_content, normalize, string};

use super::decimal::XDec;
use super::eval::{
    Ev, Halt, all, and, any_is, compare_number, date, dec, decimal, exact, is_invoice, length,
    norm, norm_text, or, single, substring,
};
use super::facts::{Profile, facts};
use super::functions;
use super::{fatal, held, m, matching, never, warning};

// ---- PEPPOL-EN16931-R008: no empty elements. ----

/// `//*[not(*) and not(normalize-space())]`.
fn empty(n: Node<'_>) -> bool {
    n.children().next().is_none() && !has_content(n.text())
}

pub(crate) static EMPTY: &[Rule] = &[Rule {
    context: &[rel(&[Step {
        name: None,
        pred: Some(empty),
    }])],
    asserts: &[fatal(
        "PEPPOL-EN16931-R008",
        never,
        m(
            "This element is empty, and Peppol allows no empty elements: fill it in or leave it out.",
            "Dit element is leeg, en Peppol staat geen lege elementen toe: vul het in of laat het weg.",
        ),
    )],
}];

// ---- PEPPOL-EN16931-R080: one project reference on a credit note. ----

pub(crate) static PROJECT: &[Rule] = &[Rule {
    context: &[rel(&[el(Ns::CreditNote, "CreditNote")])],
    asserts: &[fatal(
        "PEPPOL-EN16931-R080",
        |n| {
            n.all(Cac, "AdditionalDocumentReference")
                .filter(|r| any_is(*r, &[(Cbc, "DocumentTypeCode")], "50"))
                .count()
                <= 1
        },
        m(
            "A credit note may name one project only (a supporting document with type code 50): remove the other project references.",
            "Een creditnota mag één project noemen (een bijlage met documentsoort 50): verwijder de andere projectverwijzingen.",
        ),
    )],
}];

// ---- The main pattern. ----

/// `count(cbc:Note) <= 1 or ($supplierCountryIsDE and $customerCountryIsDE)`.
fn one_note(n: Node<'_>) -> Ev<bool> {
    if n.all(Cbc, "Note").count() <= 1 {
        return Ok(true);
    }
    facts(n, |f| f.german_both())
}

/// PEPPOL-EN16931-R004: the CustomizationID names Peppol BIS Billing 3.0.
fn peppol_customization(n: Node<'_>) -> Ev<bool> {
    let id = norm_text(n, &[(Cbc, "CustomizationID")])?;
    Ok(
        id.starts_with(
            "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
        ) && !id.contains("::"),
    )
}

fn tax_totals(n: Node<'_>, with_subtotals: bool) -> usize {
    n.all(Cac, "TaxTotal")
        .filter(|t| t.child(Cac, "TaxSubtotal").is_some() == with_subtotals)
        .count()
}

/// `cac:TaxTotal/cbc:TaxAmount[@currencyID = normalize-space(../../cbc:CODE)]`: the code is
/// looked up once per amount, so two codes stop the evaluation only when there is an amount.
fn vat_amounts_in<'d>(n: Node<'d>, code: &str) -> Ev<Vec<Node<'d>>> {
    let mut out = Vec::new();
    for amount in all(n, &[(Cac, "TaxTotal"), (Cbc, "TaxAmount")]) {
        let owner = amount.parent().and_then(|t| t.parent()).unwrap_or(n);
        let currency = norm(owner, &[(Cbc, code)])?;
        if amount.attr("currencyID") == Some(currency.as_str()) {
            out.push(amount);
        }
    }
    Ok(out)
}

/// `amounts OP 0` as a general comparison: true for the first amount that holds, and an amount
/// that is no number before it stops the evaluation.
fn some_amount(amounts: &[Node<'_>], holds: fn(f64) -> bool) -> Ev<bool> {
    for a in amounts {
        if compare_number(*a, holds)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// PEPPOL-EN16931-R055: the VAT totals in both currencies have the same sign.
fn same_sign(n: Node<'_>) -> Ev<bool> {
    if n.child(Cbc, "TaxCurrencyCode").is_none() {
        return Ok(true);
    }
    let some = |code: &str, holds: fn(f64) -> bool| {
        vat_amounts_in(n, code).and_then(|a| some_amount(&a, holds))
    };
    let not_positive = |x: f64| x <= 0.0;
    let not_negative = |x: f64| x >= 0.0;
    or(
        and(some("TaxCurrencyCode", not_positive), || {
            some("DocumentCurrencyCode", not_positive)
        }),
        || {
            and(some("TaxCurrencyCode", not_negative), || {
                some("DocumentCurrencyCode", not_negative)
            })
        },
    )
}

/// PEPPOL-EN16931-R005: the VAT accounting currency differs from the document currency.
fn other_currency(n: Node<'_>) -> Ev<bool> {
    let own = normalize(n.text());
    let parent = n.parent().unwrap_or(n);
    Ok(own != norm_text(parent, &[(Cbc, "DocumentCurrencyCode")])?)
}

fn factor_without_base(n: Node<'_>) -> bool {
    n.child(Cbc, "MultiplierFactorNumeric").is_some() && n.child(Cbc, "BaseAmount").is_none()
}

fn base_without_factor(n: Node<'_>) -> bool {
    n.child(Cbc, "MultiplierFactorNumeric").is_none() && n.child(Cbc, "BaseAmount").is_some()
}

/// `u:slack(exp, val, slack)`: `exp + slack >= val and exp - slack <= val`.
fn slack(exp: XDec, val: XDec, node: Node<'_>) -> Ev<bool> {
    let cents = XDec::CENTS_2;
    Ok(exact(exp.add(cents), node)? >= val && exact(exp.sub(cents), node)? <= val)
}

/// PEPPOL-EN16931-R040's two sides: the amount (0 when absent), and base × percentage / 100.
fn allowance_sides(n: Node<'_>) -> Ev<Option<(XDec, XDec)>> {
    if n.child(Cbc, "MultiplierFactorNumeric").is_none() || n.child(Cbc, "BaseAmount").is_none() {
        return Ok(None);
    }
    let amount = single(n, &[(Cbc, "Amount")])?
        .map(decimal)
        .transpose()?
        .unwrap_or(XDec::ZERO);
    let base = dec(n, &[(Cbc, "BaseAmount")])?.unwrap_or(XDec::ZERO);
    let factor = dec(n, &[(Cbc, "MultiplierFactorNumeric")])?.unwrap_or(XDec::ZERO);
    let product = exact(base.mul(factor), n)?;
    let computed = match product.div(XDec::int(100)) {
        Some(q) => exact(q, n)?,
        None => return Err(Halt::number(n, "100")),
    };
    Ok(Some((amount, computed)))
}

/// PEPPOL-EN16931-R040: amount = base × percentage / 100, within 0.02.
fn allowance_amount(n: Node<'_>) -> Ev<bool> {
    match allowance_sides(n)? {
        None => Ok(true),
        Some((amount, computed)) => slack(amount, computed, n),
    }
}

/// `normalize-space(cbc:ChargeIndicator/text())` is `true` or `false`.
fn indicator_written(n: Node<'_>) -> Ev<bool> {
    let v = norm_text(n, &[(Cbc, "ChargeIndicator")])?;
    Ok(v == "true" || v == "false")
}

/// `cac:PaymentMeans[normalize-space(cbc:PaymentMeansCode) = ('49', '59')]`.
fn direct_debit(n: Node<'_>) -> bool {
    matching(norm(n, &[(Cbc, "PaymentMeansCode")]).map(|c| c == "49" || c == "59"))
}

/// PEPPOL-EN16931-R051: `@currencyID = $documentCurrencyCode`.
fn in_document_currency(n: Node<'_>) -> bool {
    let Some(c) = n.attr("currencyID") else {
        return false;
    };
    facts(n, |f| f.currencies.iter().any(|d| d == c))
}

fn has_subtotal(n: Node<'_>) -> bool {
    n.child(Cac, "TaxSubtotal").is_some()
}

fn period_has(n: Node<'_>, what: &str) -> bool {
    exists(n, &[(Cac, "InvoicePeriod"), (Cbc, what)])
}

/// PEPPOL-EN16931-R110 and R111: `xs:date(text()) OP xs:date(../../../cac:InvoicePeriod/cbc:X)`.
fn within_period(n: Node<'_>, later: bool) -> Ev<bool> {
    if n.text().is_empty() {
        // No text node: the comparison has an empty side.
        return Ok(false);
    }
    let own = date(n, n.text())?;
    let document = n
        .parent()
        .and_then(|p| p.parent())
        .and_then(|l| l.parent())
        .unwrap_or(n);
    let Some(bound) = single(document, &[(Cac, "InvoicePeriod"), (Cbc, n.name())])? else {
        return Ok(false);
    };
    let bound = date(bound, &string(bound))?;
    Ok(if later { own >= bound } else { own <= bound })
}

/// The terms of PEPPOL-EN16931-R120 for one line.
struct LineSum {
    net: XDec,
    quantity: XDec,
    price: XDec,
    base: XDec,
    charges: XDec,
    allowances: XDec,
    computed: XDec,
}

/// `round(sum(cac:AllowanceCharge[normalize-space(cbc:ChargeIndicator) = 'KIND']/cbc:Amount)
/// * 100) div 100`, or 0 without such allowances or charges.
fn rounded_sum(n: Node<'_>, kind: &str) -> Ev<XDec> {
    let mut any = false;
    let mut sum = XDec::ZERO;
    for ac in n.all(Cac, "AllowanceCharge") {
        if norm(ac, &[(Cbc, "ChargeIndicator")])? != kind {
            continue;
        }
        any = true;
        for amount in ac.all(Cbc, "Amount") {
            sum = exact(sum.add(decimal(amount)?), amount)?;
        }
    }
    if !any {
        return Ok(XDec::ZERO);
    }
    let cents = exact(sum.mul(XDec::int(100)), n)?.round();
    match cents.div(XDec::int(100)) {
        Some(q) => exact(q, n),
        None => Ok(XDec::ZERO),
    }
}

/// An optional decimal with a default.
fn dec_or(n: Node<'_>, path: &[(Ns, &str)], default: XDec) -> Ev<XDec> {
    Ok(dec(n, path)?.unwrap_or(default))
}

fn line_sum(n: Node<'_>) -> Ev<LineSum> {
    let net = dec_or(n, &[(Cbc, "LineExtensionAmount")], XDec::ZERO)?;
    let quantity_name = if is_invoice(n) {
        "InvoicedQuantity"
    } else {
        "CreditedQuantity"
    };
    let quantity = dec_or(n, &[(Cbc, quantity_name)], XDec::int(1))?;
    let price = dec_or(n, &[(Cac, "Price"), (Cbc, "PriceAmount")], XDec::ZERO)?;
    let base = match dec(n, &[(Cac, "Price"), (Cbc, "BaseQuantity")])? {
        Some(b) if !b.is_zero() => b,
        _ => XDec::int(1),
    };
    let charges = rounded_sum(n, "true")?;
    let allowances = rounded_sum(n, "false")?;
    let unit = match price.div(base) {
        Some(q) => exact(q, n)?,
        None => XDec::ZERO,
    };
    let computed = exact(
        exact(quantity.mul(unit), n)?
            .add(charges)
            .and_then(|x| x.sub(allowances)),
        n,
    )?;
    Ok(LineSum {
        net,
        quantity,
        price,
        base,
        charges,
        allowances,
        computed,
    })
}

/// PEPPOL-EN16931-R120: net amount = quantity × price / base quantity + charges − allowances,
/// within 0.02.
fn line_net(n: Node<'_>) -> Ev<bool> {
    let s = line_sum(n)?;
    slack(s.net, s.computed, n)
}

/// PEPPOL-EN16931-R121: a base quantity is above zero.
fn base_positive(n: Node<'_>) -> Ev<bool> {
    if !exists(n, &[(Cac, "Price"), (Cbc, "BaseQuantity")]) {
        return Ok(true);
    }
    Ok(dec(n, &[(Cac, "Price"), (Cbc, "BaseQuantity")])?.is_some_and(|b| b > XDec::ZERO))
}

/// PEPPOL-EN16931-R046's sides: the net price, the gross price and the price discount.
fn price_sides(n: Node<'_>) -> Ev<Option<(XDec, XDec, XDec)>> {
    let price = n.parent().unwrap_or(n);
    let Some(net) = dec(price, &[(Cbc, "PriceAmount")])? else {
        return Ok(None);
    };
    let (Some(gross), Some(discount)) =
        (dec(n, &[(Cbc, "BaseAmount")])?, dec(n, &[(Cbc, "Amount")])?)
    else {
        return Ok(None);
    };
    Ok(Some((net, gross, discount)))
}

/// PEPPOL-EN16931-R046: net price = gross price − price discount.
fn net_price(n: Node<'_>) -> Ev<bool> {
    if n.child(Cbc, "BaseAmount").is_none() {
        return Ok(true);
    }
    match price_sides(n)? {
        None => Ok(false),
        Some((net, gross, discount)) => Ok(net == exact(gross.sub(discount), n)?),
    }
}

/// PEPPOL-EN16931-R130: the base quantity's unit is the invoiced quantity's.
fn same_unit(n: Node<'_>) -> bool {
    let Some(line) = n.parent().and_then(|p| p.parent()) else {
        return true;
    };
    let has_quantity = line.child(Cbc, "InvoicedQuantity").is_some()
        || line.child(Cbc, "CreditedQuantity").is_some();
    if !has_quantity {
        return true;
    }
    let name = if is_invoice(n) {
        "InvoicedQuantity"
    } else {
        "CreditedQuantity"
    };
    let unit = n.attr("unitCode");
    line.all(Cbc, name)
        .any(|q| q.attr("unitCode").is_some() && q.attr("unitCode") == unit)
}

// ---- Identifier schemes (PEPPOL-COMMON). ----

/// `@schemeID = 'NNNN'` for a four-digit scheme.
fn scheme<const S: u16>(n: Node<'_>) -> bool {
    n.attr("schemeID").is_some_and(|a| {
        a.len() == 4 && a.bytes().all(|b| b.is_ascii_digit()) && a.parse() == Ok(S)
    })
}

/// The three places an identifier with scheme `S` is checked: an electronic address, a party
/// identifier, a company identifier.
macro_rules! identifier {
    ($s:literal) => {
        &[
            rel(&[el_if(Cbc, "EndpointID", scheme::<$s>)]),
            rel(&[
                el(Cac, "PartyIdentification"),
                el_if(Cbc, "ID", scheme::<$s>),
            ]),
            rel(&[el_if(Cbc, "CompanyID", scheme::<$s>)]),
        ]
    };
}

/// `normalize-space()` of the identifier.
fn id(n: Node<'_>) -> String {
    normalize(&string(n))
}

/// All ASCII digits, and `min..=max` of them.
pub(crate) fn digits(s: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// `^NL[0-9]{9}B[0-9]{2}$`.
pub(crate) fn dutch_vat(s: &str) -> bool {
    s.len() == 14
        && s.starts_with("NL")
        && digits(&s[2..11], 9, 9)
        && &s[11..12] == "B"
        && digits(&s[12..], 2, 2)
}

/// Every character a digit (`translate(s, '1234567890', '') = ''`).
fn all_digits(s: &str) -> bool {
    s.chars().all(|c| c.is_ascii_digit())
}

/// PEPPOL-COMMON-R042: a CVR number, as written (not trimmed): `DK` and eight digits, or eight
/// digits.
fn cvr(n: Node<'_>) -> bool {
    let s = string(n);
    let len = length(&s);
    (len == 10 && substring(&s, 1, 2) == "DK" && all_digits(&substring(&s, 3, 8)))
        || (len == 8 && all_digits(&substring(&s, 1, 8)))
}

/// PEPPOL-COMMON-R052: a P number, as written: ten digits.
fn p_number(n: Node<'_>) -> bool {
    let s = string(n);
    length(&s) == 10 && all_digits(&substring(&s, 1, 10))
}

/// PEPPOL-COMMON-R053: an SE number, as written: `DK` and eight digits.
fn se_number(n: Node<'_>) -> bool {
    let s = string(n);
    length(&s) == 10 && substring(&s, 1, 2) == "DK" && all_digits(&substring(&s, 3, 8))
}

/// PEPPOL-COMMON-R047: an Italian VAT number after `IT` checks out.
fn partita_iva(n: Node<'_>) -> Ev<bool> {
    functions::partita_iva_se_it(&id(n)).map_err(|u| Halt::number(n, &u.0))
}

/// PEPPOL-COMMON-R049: a Swedish organisation number.
fn swedish_organisation(n: Node<'_>) -> Ev<bool> {
    let s = id(n);
    if length(&s) != 10 || super::eval::number(&s).is_nan() {
        return Ok(false);
    }
    functions::se_orgnr(&s).map_err(|u| Halt::number(n, &u.0))
}

/// `cac:PartyTaxScheme[normalize-space(cac:TaxScheme/cbc:ID) = 'VAT']/cbc:CompanyID
/// [starts-with(normalize-space(.), 'NL')]`.
fn dutch_vat_number(n: Node<'_>) -> bool {
    id(n).starts_with("NL")
}

fn vat_scheme(n: Node<'_>) -> bool {
    matching(norm(n, &[(Cac, "TaxScheme"), (Cbc, "ID")]).map(|s| s == "VAT"))
}

/// The allowance and charge contexts of R040–R043: on the document and on its lines.
macro_rules! allowances {
    ($pred:expr) => {
        &[
            rel(&[
                el(Ns::Invoice, "Invoice"),
                el_if(Cac, "AllowanceCharge", $pred),
            ]),
            rel(&[
                el(Ns::Invoice, "Invoice"),
                el(Cac, "InvoiceLine"),
                el_if(Cac, "AllowanceCharge", $pred),
            ]),
            rel(&[
                el(Ns::CreditNote, "CreditNote"),
                el_if(Cac, "AllowanceCharge", $pred),
            ]),
            rel(&[
                el(Ns::CreditNote, "CreditNote"),
                el(Cac, "CreditNoteLine"),
                el_if(Cac, "AllowanceCharge", $pred),
            ]),
        ]
    };
}

fn any(_: Node<'_>) -> bool {
    true
}

/// The amounts whose currency R051 checks.
const AMOUNTS: &[Alt] = &[
    rel(&[el(Cbc, "Amount")]),
    rel(&[el(Cbc, "BaseAmount")]),
    rel(&[el(Cbc, "PriceAmount")]),
    rel(&[el_if(Cac, "TaxTotal", has_subtotal), el(Cbc, "TaxAmount")]),
    rel(&[el(Cac, "TaxSubtotal"), el(Cbc, "TaxAmount")]),
    rel(&[el(Cbc, "TaxableAmount")]),
    rel(&[el(Cbc, "LineExtensionAmount")]),
    rel(&[el(Cbc, "TaxExclusiveAmount")]),
    rel(&[el(Cbc, "TaxInclusiveAmount")]),
    rel(&[el(Cbc, "AllowanceTotalAmount")]),
    rel(&[el(Cbc, "ChargeTotalAmount")]),
    rel(&[el(Cbc, "PrepaidAmount")]),
    rel(&[el(Cbc, "PayableRoundingAmount")]),
    rel(&[el(Cbc, "PayableAmount")]),
];

pub(crate) static PEPPOL: &[Rule] = &[
    Rule {
        context: &[
            rel(&[el(Ns::CreditNote, "CreditNote")]),
            rel(&[el(Ns::Invoice, "Invoice")]),
        ],
        asserts: &[
            fatal(
                "PEPPOL-EN16931-R001",
                |n| n.child(Cbc, "ProfileID").is_some(),
                m(
                    "The business process (ProfileID) is missing: add Peppol's billing process, urn:fdc:peppol.eu:2017:poacc:billing:01:1.0.",
                    "Het bedrijfsproces (ProfileID) ontbreekt: voeg het Peppol-factuurproces toe, urn:fdc:peppol.eu:2017:poacc:billing:01:1.0.",
                ),
            ),
            fatal(
                "PEPPOL-EN16931-R007",
                |n| held(facts(n, |f| f.profile).map(|p| p != Profile::Unknown)),
                m(
                    "The business process (ProfileID) is not one Peppol knows: use urn:fdc:peppol.eu:2017:poacc:billing:01:1.0.",
                    "Het bedrijfsproces (ProfileID) is geen proces dat Peppol kent: gebruik urn:fdc:peppol.eu:2017:poacc:billing:01:1.0.",
                ),
            ),
            fatal(
                "PEPPOL-EN16931-R002",
                |n| held(one_note(n)),
                m(
                    "The document has more than one note, and Peppol allows one (only between a German seller and a German buyer more): combine the notes into one.",
                    "Het document heeft meer dan één opmerking, en Peppol staat er één toe (alleen tussen een Duitse verkoper en een Duitse afnemer meer): voeg de opmerkingen samen.",
                ),
            ),
            fatal(
                "PEPPOL-EN16931-R003",
                |n| {
                    n.child(Cbc, "BuyerReference").is_some()
                        || exists(n, &[(Cac, "OrderReference"), (Cbc, "ID")])
                },
                m(
                    "The document has neither the buyer's reference nor an order reference: add one of them (BuyerReference or OrderReference/ID).",
                    "Het document heeft geen referentie van de afnemer en geen orderreferentie: voeg er een toe (BuyerReference of OrderReference/ID).",
                ),
            ),
            fatal(
                "PEPPOL-EN16931-R004",
                |n| held(peppol_customization(n)),
                m(
                    "The specification identifier (CustomizationID) does not name Peppol BIS Billing 3.0: start it with urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0.",
                    "De specificatie-aanduiding (CustomizationID) noemt Peppol BIS Billing 3.0 niet: laat ze beginnen met urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0.",
                ),
            ),
            fatal(
                "PEPPOL-EN16931-R053",
                |n| tax_totals(n, true) == 1,
                m(
                    "The document needs exactly one VAT total with a VAT breakdown (TaxTotal with TaxSubtotal): keep one.",
                    "Het document moet precies één btw-totaal met btw-specificatie hebben (TaxTotal met TaxSubtotal): houd er één over.",
                ),
            ),
            fatal(
                "PEPPOL-EN16931-R054",
                |n| tax_totals(n, false) == usize::from(n.child(Cbc, "TaxCurrencyCode").is_some()),
                m(
                    "A VAT total without breakdown goes with a VAT accounting currency only, and then exactly one: add it for that currency, or remove the others.",
                    "Een btw-totaal zonder specificatie hoort alleen bij een btw-valuta, en dan precies één: voeg het toe voor die valuta, of verwijder de andere.",
                ),
            ),
            fatal(
                "PEPPOL-EN16931-R055",
                |n| held(same_sign(n)),
                m(
                    "The VAT total in the document currency and the one in the VAT accounting currency differ in sign: give both the same sign.",
                    "Het btw-totaal in de documentvaluta en dat in de btw-valuta verschillen van teken: geef beide hetzelfde teken.",
                ),
            ),
        ],
    },
    Rule {
        context: &[rel(&[el(Cbc, "TaxCurrencyCode")])],
        asserts: &[fatal(
            "PEPPOL-EN16931-R005",
            |n| held(other_currency(n)),
            m(
                "The VAT accounting currency is the document currency itself: leave it out, or name the other currency.",
                "De btw-valuta is de documentvaluta zelf: laat ze weg, of noem de andere valuta.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el(Cac, "AccountingCustomerParty"), el(Cac, "Party")])],
        asserts: &[fatal(
            "PEPPOL-EN16931-R010",
            |n| n.child(Cbc, "EndpointID").is_some(),
            m(
                "The buyer has no electronic address (EndpointID): add the buyer's Peppol address.",
                "De afnemer heeft geen elektronisch adres (EndpointID): voeg het Peppol-adres van de afnemer toe.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el(Cac, "AccountingSupplierParty"), el(Cac, "Party")])],
        asserts: &[fatal(
            "PEPPOL-EN16931-R020",
            |n| n.child(Cbc, "EndpointID").is_some(),
            m(
                "The seller has no electronic address (EndpointID): add the seller's Peppol address.",
                "De verkoper heeft geen elektronisch adres (EndpointID): voeg het Peppol-adres van de verkoper toe.",
            ),
        )],
    },
    Rule {
        context: allowances!(factor_without_base),
        asserts: &[fatal(
            "PEPPOL-EN16931-R041",
            never,
            m(
                "An allowance or charge gives a percentage without the base amount it applies to: add the base amount.",
                "Een korting of toeslag geeft een percentage zonder het basisbedrag waarop het slaat: voeg het basisbedrag toe.",
            ),
        )],
    },
    Rule {
        context: allowances!(base_without_factor),
        asserts: &[fatal(
            "PEPPOL-EN16931-R042",
            never,
            m(
                "An allowance or charge gives a base amount without a percentage: add the percentage (MultiplierFactorNumeric).",
                "Een korting of toeslag geeft een basisbedrag zonder percentage: voeg het percentage toe (MultiplierFactorNumeric).",
            ),
        )],
    },
    Rule {
        context: allowances!(any),
        asserts: &[
            fatal(
                "PEPPOL-EN16931-R040",
                |n| held(allowance_amount(n)),
                m(
                    "The amount of this allowance or charge is not its base amount times its percentage (within 0.02): correct the amount or the percentage.",
                    "Het bedrag van deze korting of toeslag is niet het basisbedrag maal het percentage (binnen 0,02): corrigeer het bedrag of het percentage.",
                ),
            ),
            fatal(
                "PEPPOL-EN16931-R043",
                |n| held(indicator_written(n)),
                m(
                    "The charge indicator of an allowance or charge must be written true or false: use one of those.",
                    "De toeslagindicator van een korting of toeslag moet true of false zijn: gebruik een van die twee.",
                ),
            ),
        ],
    },
    Rule {
        context: &[rel(&[el_if(Cac, "PaymentMeans", direct_debit)])],
        asserts: &[fatal(
            "PEPPOL-EN16931-R061",
            |n| exists(n, &[(Cac, "PaymentMandate"), (Cbc, "ID")]),
            m(
                "A direct debit (payment means 49 or 59) needs the mandate reference: add PaymentMandate/ID.",
                "Een incasso (betaalwijze 49 of 59) heeft het machtigingskenmerk nodig: voeg PaymentMandate/ID toe.",
            ),
        )],
    },
    Rule {
        context: AMOUNTS,
        asserts: &[fatal(
            "PEPPOL-EN16931-R051",
            in_document_currency,
            m(
                "This amount is not in the document currency: give it in the document currency (currencyID).",
                "Dit bedrag staat niet in de documentvaluta: geef het in de documentvaluta (currencyID).",
            ),
        )],
    },
    Rule {
        context: &[
            rel(&[
                el_if(Ns::Invoice, "Invoice", |n| period_has(n, "StartDate")),
                el(Cac, "InvoiceLine"),
                el(Cac, "InvoicePeriod"),
                el(Cbc, "StartDate"),
            ]),
            rel(&[
                el_if(Ns::CreditNote, "CreditNote", |n| period_has(n, "StartDate")),
                el(Cac, "CreditNoteLine"),
                el(Cac, "InvoicePeriod"),
                el(Cbc, "StartDate"),
            ]),
        ],
        asserts: &[fatal(
            "PEPPOL-EN16931-R110",
            |n| held(within_period(n, true)),
            m(
                "The line's period starts before the invoice period: let it start on or after the invoice period's start date.",
                "De periode van de regel begint vóór de factuurperiode: laat ze op of na de begindatum van de factuurperiode beginnen.",
            ),
        )],
    },
    Rule {
        context: &[
            rel(&[
                el_if(Ns::Invoice, "Invoice", |n| period_has(n, "EndDate")),
                el(Cac, "InvoiceLine"),
                el(Cac, "InvoicePeriod"),
                el(Cbc, "EndDate"),
            ]),
            rel(&[
                el_if(Ns::CreditNote, "CreditNote", |n| period_has(n, "EndDate")),
                el(Cac, "CreditNoteLine"),
                el(Cac, "InvoicePeriod"),
                el(Cbc, "EndDate"),
            ]),
        ],
        asserts: &[fatal(
            "PEPPOL-EN16931-R111",
            |n| held(within_period(n, false)),
            m(
                "The line's period ends after the invoice period: let it end on or before the invoice period's end date.",
                "De periode van de regel eindigt na de factuurperiode: laat ze op of vóór de einddatum van de factuurperiode eindigen.",
            ),
        )],
    },
    Rule {
        context: &[
            rel(&[el(Cac, "InvoiceLine")]),
            rel(&[el(Cac, "CreditNoteLine")]),
        ],
        asserts: &[
            fatal(
                "PEPPOL-EN16931-R120",
                |n| held(line_net(n)),
                m(
                    "The line's net amount is not quantity × price / base quantity plus line charges minus line allowances (within 0.02): correct the amount, the quantity or the price.",
                    "Het nettobedrag van de regel is niet aantal × prijs / basishoeveelheid plus toeslagen min kortingen op de regel (binnen 0,02): corrigeer het bedrag, het aantal of de prijs.",
                ),
            ),
            fatal(
                "PEPPOL-EN16931-R121",
                |n| held(base_positive(n)),
                m(
                    "The price's base quantity must be above zero: correct it, or leave it out for a price per unit.",
                    "De basishoeveelheid van de prijs moet boven nul liggen: corrigeer ze, of laat ze weg voor een prijs per eenheid.",
                ),
            ),
            fatal(
                "PEPPOL-EN16931-R100",
                |n| n.all(Cac, "DocumentReference").count() <= 1,
                m(
                    "A line may refer to one invoiced object only (DocumentReference): remove the other references.",
                    "Een regel mag naar één gefactureerd object verwijzen (DocumentReference): verwijder de andere verwijzingen.",
                ),
            ),
            fatal(
                "PEPPOL-EN16931-R101",
                |n| {
                    n.child(Cac, "DocumentReference").is_none()
                        || any_is(
                            n,
                            &[(Cac, "DocumentReference"), (Cbc, "DocumentTypeCode")],
                            "130",
                        )
                },
                m(
                    "A line's document reference may only name the invoiced object (document type code 130): set DocumentTypeCode to 130, or remove the reference.",
                    "Een documentverwijzing op een regel mag alleen het gefactureerde object noemen (documentsoort 130): zet DocumentTypeCode op 130, of verwijder de verwijzing.",
                ),
            ),
        ],
    },
    Rule {
        context: &[rel(&[el(Cac, "Price"), el(Cac, "AllowanceCharge")])],
        asserts: &[
            fatal(
                "PEPPOL-EN16931-R044",
                |n| held(norm(n, &[(Cbc, "ChargeIndicator")]).map(|v| v == "false")),
                m(
                    "A price may carry a discount, not a charge: set its charge indicator to false, and put a charge on the line instead.",
                    "Een prijs mag een korting hebben, geen toeslag: zet de toeslagindicator op false, en zet een toeslag op de regel.",
                ),
            ),
            fatal(
                "PEPPOL-EN16931-R046",
                |n| held(net_price(n)),
                m(
                    "The net price is not the gross price minus the price discount: correct the price, the gross price or the discount.",
                    "De nettoprijs is niet de brutoprijs min de prijskorting: corrigeer de prijs, de brutoprijs of de korting.",
                ),
            ),
        ],
    },
    Rule {
        context: &[rel(&[
            el(Cac, "Price"),
            el_if(Cbc, "BaseQuantity", |n| n.attr("unitCode").is_some()),
        ])],
        asserts: &[fatal(
            "PEPPOL-EN16931-R130",
            same_unit,
            m(
                "The price's base quantity has another unit than the invoiced quantity: use the same unit code.",
                "De basishoeveelheid van de prijs heeft een andere eenheid dan het gefactureerde aantal: gebruik dezelfde eenheidscode.",
            ),
        )],
    },
    Rule {
        context: identifier!(88),
        asserts: &[fatal(
            "PEPPOL-COMMON-R040",
            |n| {
                let s = id(n);
                digits(&s, 1, usize::MAX) && functions::gln(&s)
            },
            m(
                "This GLN (scheme 0088) is not valid: it must be digits with a correct GS1 check digit. Correct the number.",
                "Dit GLN (schema 0088) is ongeldig: het moet uit cijfers bestaan met een juist GS1-controlecijfer. Corrigeer het nummer.",
            ),
        )],
    },
    Rule {
        context: identifier!(192),
        asserts: &[fatal(
            "PEPPOL-COMMON-R041",
            |n| {
                let s = id(n);
                digits(&s, 9, 9) && functions::mod11(&s)
            },
            m(
                "This Norwegian organisation number (scheme 0192) is not valid: it must be nine digits with a correct check digit. Correct the number.",
                "Dit Noorse organisatienummer (schema 0192) is ongeldig: het moet negen cijfers hebben met een juist controlecijfer. Corrigeer het nummer.",
            ),
        )],
    },
    Rule {
        context: identifier!(184),
        asserts: &[fatal(
            "PEPPOL-COMMON-R042",
            cvr,
            m(
                "This Danish CVR number (scheme 0184) must be eight digits, or DK and eight digits, without spaces: correct the number.",
                "Dit Deense CVR-nummer (schema 0184) moet acht cijfers zijn, of DK en acht cijfers, zonder spaties: corrigeer het nummer.",
            ),
        )],
    },
    Rule {
        context: identifier!(96),
        asserts: &[fatal(
            "PEPPOL-COMMON-R052",
            p_number,
            m(
                "This Danish P number (scheme 0096) must be ten digits, without spaces: correct the number.",
                "Dit Deense P-nummer (schema 0096) moet tien cijfers zijn, zonder spaties: corrigeer het nummer.",
            ),
        )],
    },
    Rule {
        context: identifier!(198),
        asserts: &[fatal(
            "PEPPOL-COMMON-R053",
            se_number,
            m(
                "This Danish SE number (scheme 0198) must be DK and eight digits, without spaces: correct the number.",
                "Dit Deense SE-nummer (schema 0198) moet DK en acht cijfers zijn, zonder spaties: corrigeer het nummer.",
            ),
        )],
    },
    Rule {
        context: identifier!(208),
        asserts: &[fatal(
            "PEPPOL-COMMON-R043",
            |n| {
                let s = id(n);
                digits(&s, 10, 10) && functions::mod97_0208(&s)
            },
            m(
                "This Belgian enterprise number (scheme 0208) is not valid: it must be ten digits, the last two a modulus-97 check. Correct the number.",
                "Dit Belgische ondernemingsnummer (schema 0208) is ongeldig: het moet tien cijfers hebben, de laatste twee een modulus-97-controle. Corrigeer het nummer.",
            ),
        )],
    },
    Rule {
        context: identifier!(201),
        asserts: &[warning(
            "PEPPOL-COMMON-R044",
            |n| functions::codice_ipa(&id(n)),
            m(
                "This Italian IPA code (scheme 0201) should be six letters or digits: correct the code.",
                "Deze Italiaanse IPA-code (schema 0201) hoort zes letters of cijfers te zijn: corrigeer de code.",
            ),
        )],
    },
    Rule {
        context: identifier!(210),
        asserts: &[warning(
            "PEPPOL-COMMON-R045",
            |n| functions::codice_fiscale(&id(n)),
            m(
                "This Italian fiscal code (scheme 0210) should be 16 characters in the personal format, or 11 digits: correct the code.",
                "Deze Italiaanse fiscale code (schema 0210) hoort 16 tekens in het persoonsformaat te zijn, of 11 cijfers: corrigeer de code.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[el_if(Cbc, "EndpointID", scheme::<9907>)])],
        asserts: &[warning(
            "PEPPOL-COMMON-R046",
            |n| functions::codice_fiscale(&id(n)),
            m(
                "This Italian fiscal code (scheme 9907) should be 16 characters in the personal format, or 11 digits: correct the code.",
                "Deze Italiaanse fiscale code (schema 9907) hoort 16 tekens in het persoonsformaat te zijn, of 11 cijfers: corrigeer de code.",
            ),
        )],
    },
    Rule {
        context: identifier!(211),
        asserts: &[warning(
            "PEPPOL-COMMON-R047",
            |n| held(partita_iva(n)),
            m(
                "This Italian VAT number (scheme 0211) should be IT and eleven digits with a correct check digit: correct the number.",
                "Dit Italiaanse btw-nummer (schema 0211) hoort IT en elf cijfers te zijn met een juist controlecijfer: corrigeer het nummer.",
            ),
        )],
    },
    Rule {
        context: identifier!(7),
        asserts: &[fatal(
            "PEPPOL-COMMON-R049",
            |n| held(swedish_organisation(n)),
            m(
                "This Swedish organisation number (scheme 0007) is not valid: it must be ten digits, the last a Luhn check digit. Correct the number.",
                "Dit Zweedse organisatienummer (schema 0007) is ongeldig: het moet tien cijfers hebben, het laatste een Luhn-controlecijfer. Corrigeer het nummer.",
            ),
        )],
    },
    Rule {
        context: identifier!(151),
        asserts: &[fatal(
            "PEPPOL-COMMON-R050",
            |n| {
                let s = id(n);
                digits(&s, 11, 11) && functions::abn(&s)
            },
            m(
                "This Australian Business Number (scheme 0151) is not valid: it must be eleven digits that pass the ABN check. Correct the number.",
                "Dit Australische ondernemingsnummer (ABN, schema 0151) is ongeldig: het moet elf cijfers hebben die de ABN-controle doorstaan. Corrigeer het nummer.",
            ),
        )],
    },
    Rule {
        context: identifier!(106),
        asserts: &[warning(
            "PEPPOL-COMMON-R054",
            |n| digits(&id(n), 8, 8),
            m(
                "This KvK number (scheme 0106) should be eight digits: correct the number (a branch has its own twelve-digit number, scheme 0217).",
                "Dit KvK-nummer (schema 0106) hoort acht cijfers te zijn: corrigeer het nummer (een vestiging heeft een eigen nummer van twaalf cijfers, schema 0217).",
            ),
        )],
    },
    Rule {
        context: identifier!(190),
        asserts: &[warning(
            "PEPPOL-COMMON-R055",
            |n| digits(&id(n), 20, 20),
            m(
                "This OIN (scheme 0190) should be twenty digits: correct the number.",
                "Dit OIN (schema 0190) hoort twintig cijfers te zijn: corrigeer het nummer.",
            ),
        )],
    },
    Rule {
        context: identifier!(9944),
        asserts: &[warning(
            "PEPPOL-COMMON-R056-1",
            |n| dutch_vat(&id(n)),
            m(
                "This Dutch VAT number (scheme 9944) should look like NL123456789B01: correct the number.",
                "Dit Nederlandse btw-nummer (schema 9944) hoort eruit te zien als NL123456789B01: corrigeer het nummer.",
            ),
        )],
    },
    Rule {
        context: &[rel(&[
            el_if(Cac, "PartyTaxScheme", vat_scheme),
            el_if(Cbc, "CompanyID", dutch_vat_number),
        ])],
        asserts: &[warning(
            "PEPPOL-COMMON-R056-2",
            |n| dutch_vat(&id(n)),
            m(
                "This Dutch VAT number should look like NL123456789B01 (NL, nine digits, B, two digits): correct the number.",
                "Dit Nederlandse btw-nummer hoort eruit te zien als NL123456789B01 (NL, negen cijfers, B, twee cijfers): corrigeer het nummer.",
            ),
        )],
    },
    Rule {
        context: identifier!(217),
        asserts: &[warning(
            "PEPPOL-COMMON-R057",
            |n| digits(&id(n), 12, 12),
            m(
                "This KvK branch number (scheme 0217) should be twelve digits: correct the number.",
                "Dit vestigingsnummer van de KvK (schema 0217) hoort twaalf cijfers te zijn: corrigeer het nummer.",
            ),
        )],
    },
];

/// The terms of an allowance or charge: (amount, base, percentage).
fn allowance_terms(n: Node<'_>) -> (&'static str, &'static str, &'static str) {
    let charge = xpath::normalized(n, &[(Cbc, "ChargeIndicator")]) == "true";
    let on_line = n
        .parent()
        .is_some_and(|p| matches!(p.name(), "InvoiceLine" | "CreditNoteLine"));
    match (on_line, charge) {
        (false, false) => ("BT-92", "BT-93", "BT-94"),
        (false, true) => ("BT-99", "BT-100", "BT-101"),
        (true, false) => ("BT-136", "BT-137", "BT-138"),
        (true, true) => ("BT-141", "BT-142", "BT-143"),
    }
}

fn delta(a: XDec, b: XDec) -> String {
    a.sub(b).map_or_else(|_| "?".to_owned(), |d| d.to_string())
}

/// What a failed rule of the main pattern shows: the amounts a calculation compared, the
/// currencies, dates or units it looked at.
pub(crate) fn values(rule: &'static str, n: Node<'_>) -> Option<String> {
    match rule {
        "PEPPOL-EN16931-R040" => {
            let (amount, computed) = allowance_sides(n).ok()??;
            let (a, b, p) = allowance_terms(n);
            let base = dec(n, &[(Cbc, "BaseAmount")]).ok()??;
            let pct = dec(n, &[(Cbc, "MultiplierFactorNumeric")]).ok()??;
            Some(format!(
                "{a} = {amount}, {b} × {p} / 100 = {base} × {pct} / 100 = {computed}, Δ = {}",
                delta(amount, computed)
            ))
        }
        "PEPPOL-EN16931-R120" => {
            let s = line_sum(n).ok()?;
            Some(format!(
                "BT-131 = {}, BT-129 × BT-146 / BT-149 + charges − allowances = {} × {} / {} + {} − {} = {}, Δ = {}",
                s.net,
                s.quantity,
                s.price,
                s.base,
                s.charges,
                s.allowances,
                s.computed,
                delta(s.net, s.computed)
            ))
        }
        "PEPPOL-EN16931-R046" => {
            let (net, gross, discount) = price_sides(n).ok()??;
            let computed = gross.sub(discount).ok()?;
            Some(format!(
                "BT-146 = {net}, BT-148 − BT-147 = {gross} − {discount} = {computed}, Δ = {}",
                delta(net, computed)
            ))
        }
        "PEPPOL-EN16931-R121" => {
            let b = xpath::first(n, &[(Cac, "Price"), (Cbc, "BaseQuantity")])?;
            Some(format!("BT-149 = {}", string(b).trim()))
        }
        "PEPPOL-EN16931-R051" => {
            let doc = facts(n, |f| f.currencies.join(" | "));
            let doc = if doc.is_empty() {
                "—".to_owned()
            } else {
                doc
            };
            Some(format!(
                "currencyID = {}, BT-5 = {doc}",
                n.attr("currencyID").unwrap_or("—")
            ))
        }
        "PEPPOL-EN16931-R055" => {
            let shown = |code: &str| -> Option<String> {
                let amounts = vat_amounts_in(n, code).ok()?;
                let list: Vec<String> = amounts
                    .iter()
                    .map(|a| {
                        format!(
                            "{} {}",
                            string(*a).trim(),
                            a.attr("currencyID").unwrap_or_default()
                        )
                    })
                    .collect();
                Some(if list.is_empty() {
                    "—".to_owned()
                } else {
                    list.join(", ")
                })
            };
            Some(format!(
                "BT-110 = {}, BT-111 = {}",
                shown("DocumentCurrencyCode")?,
                shown("TaxCurrencyCode")?
            ))
        }
        "PEPPOL-EN16931-R053" | "PEPPOL-EN16931-R054" => Some(format!(
            "{} TaxTotal with TaxSubtotal, {} without",
            tax_totals(n, true),
            tax_totals(n, false)
        )),
        "PEPPOL-EN16931-R110" | "PEPPOL-EN16931-R111" => {
            let document = n.parent()?.parent()?.parent()?;
            let bound = xpath::first(document, &[(Cac, "InvoicePeriod"), (Cbc, n.name())])?;
            Some(format!(
                "line {} = {}, invoice {} = {}",
                n.name(),
                n.text().trim(),
                n.name(),
                string(bound).trim()
            ))
        }
        "PEPPOL-EN16931-R130" => {
            let line = n.parent()?.parent()?;
            let q = line
                .child(Cbc, "InvoicedQuantity")
                .or_else(|| line.child(Cbc, "CreditedQuantity"))?;
            Some(format!(
                "BaseQuantity unitCode = {}, {} unitCode = {}",
                n.attr("unitCode").unwrap_or("—"),
                q.name(),
                q.attr("unitCode").unwrap_or("—")
            ))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(dutch_vat("NL123456789B01"));
        assert!(!dutch_vat("NL123456789B1"));
        assert!(!dutch_vat("NL12345678XB01"));
        assert!(!dutch_vat("nl123456789B01"));
        assert!(!dutch_vat("NL123456789b01"));
        assert!(!dutch_vat(""));
        assert!(digits("12345678", 8, 8));
        assert!(!digits("1234567", 8, 8));
        assert!(!digits("1234567a", 8, 8));
        assert!(!digits("", 1, usize::MAX));
    }

    #[test]
    fn scheme_is_exactly_four_digits() {
        let xml = br#"<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
            xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
            <cbc:EndpointID schemeID="0088">1</cbc:EndpointID>
            <cbc:EndpointID schemeID="+088">1</cbc:EndpointID>
            <cbc:EndpointID schemeID="88">1</cbc:EndpointID></Invoice>"#;
        let doc = crate::ubl::parse(xml).unwrap();
        let found: Vec<bool> = doc.root().children().map(scheme::<88>).collect();
        assert_eq!(found, [true, false, false]);
    }
}
