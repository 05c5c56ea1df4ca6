//! The invoice layout: what goes where on the page, built into blocks and flowed onto pages.

use rust_decimal::Decimal;

use super::PdfError;
use super::font::{Fonts, Style};
use super::labels::{Labels, labels, unit};
use super::layout::{
    ACCENT, Align, Block, Flow, Font, Geometry, HAIRLINE, INK, MUTED, Op, SHADE, Writer,
};
use crate::locale;
use crate::model::{Address, Invoice, Line, Party, Totals, VatCodeTable};
use crate::validate::Lang;

const BODY: Font = Font::new(Style::Regular, 9.0, INK);
const CELL: Font = Font::new(Style::Regular, 8.5, INK);
const BODY_BOLD: Font = Font::new(Style::Bold, 9.0, INK);
const SMALL: Font = Font::new(Style::Regular, 8.0, MUTED);
const LABEL: Font = Font::new(Style::Regular, 8.5, MUTED);
const VALUE: Font = Font::new(Style::Regular, 8.5, INK);
const TH: Font = Font::new(Style::Bold, 8.0, ACCENT);
const FOOT: Font = Font::new(Style::Regular, 7.0, MUTED);

/// Top of the first page's letterhead.
const FIRST_TOP: f32 = 42.0;

/// The pages of an invoice as display lists, with what the painter needs for the footer.
pub(crate) struct Composed {
    pub(crate) pages: Vec<Vec<Op>>,
    /// Footer text lines (the same on every page).
    pub(crate) footer: Vec<String>,
    pub(crate) geometry: Geometry,
    /// Language of the page numbers.
    pub(crate) lang: Lang,
}

/// What the composer needs besides the invoice.
pub(crate) struct Context<'a> {
    pub(crate) lang: Lang,
    pub(crate) vat_codes: &'a VatCodeTable,
    /// Width and height of the logo in pixels, when there is one.
    pub(crate) logo_size: Option<(u32, u32)>,
    /// Whether the UBL is attached (a sentence says so).
    pub(crate) has_attachment: bool,
}

/// Table columns: x and width of each cell's text.
struct Columns {
    /// The supplier's article code, when any line has one.
    article: Option<(f32, f32)>,
    desc: (f32, f32),
    qty: (f32, f32),
    unit: (f32, f32),
    price: (f32, f32),
    vat: (f32, f32),
    amount: (f32, f32),
}

impl Columns {
    fn new(g: &Geometry, with_article: bool) -> Columns {
        let w = g.content_width();
        let pad = 5.0;
        let article = if with_article { 62.0 } else { 0.0 };
        let amount = 72.0;
        let vat = 36.0;
        let price = 66.0;
        let unit = 42.0;
        let qty = 42.0;
        let desc = w - article - amount - vat - price - unit - qty;
        let mut x = g.left;
        let mut col = |width: f32| {
            let c = (x + pad, width - 2.0 * pad);
            x += width;
            c
        };
        Columns {
            article: with_article.then(|| col(article)),
            desc: col(desc),
            qty: col(qty),
            unit: col(unit),
            price: col(price),
            vat: col(vat),
            amount: col(amount),
        }
    }
}

/// Lays the invoice out on pages.
pub(crate) fn compose(
    invoice: &Invoice,
    fonts: &Fonts,
    cx: &Context<'_>,
) -> Result<Composed, PdfError> {
    let totals = invoice.totals_with(cx.vat_codes)?;
    let l = labels(cx.lang);
    let w = Writer { fonts };
    let g = Geometry::A4;
    let cur = invoice.currency.as_str();
    let money = |d: Decimal| locale::money(d, cur, cx.lang);

    let title = title(invoice, l);
    let mut flow = Flow::new(g, continuation(&w, &g, invoice, l, title));
    flow.y = FIRST_TOP;

    flow.keep(letterhead(&w, &g, &invoice.supplier, cx));
    flow.space(24.0);
    flow.keep(addresses(&w, &g, invoice, l, cx, title));
    flow.space(14.0);

    if !invoice.notes.is_empty() {
        let mut b = Block::default();
        let text = invoice.notes.join("\n");
        b.height = w.paragraph(
            &mut b,
            &text,
            g.left,
            g.content_width(),
            0.0,
            BODY,
            Align::Left,
        );
        flow.keep(b);
        flow.space(10.0);
    }

    let with_article = invoice
        .lines
        .iter()
        .any(|l| nonempty(&l.item.seller_id).is_some());
    let cols = Columns::new(&g, with_article);
    let rows = invoice
        .lines
        .iter()
        .zip(&totals.lines)
        .map(|(line, lt)| line_row(&w, &g, &cols, line, lt, cx, l, &money))
        .collect();
    flow.table(table_header(&w, &g, &cols, l), rows);
    flow.space(14.0);
    flow.keep(summary(&w, &g, invoice, &totals, cx, l, &money));
    flow.space(16.0);
    flow.keep(payment(&w, &g, invoice, &totals, cx, l, &money));

    Ok(Composed {
        pages: flow.pages,
        footer: footer_lines(&w, &g, &invoice.supplier, invoice, l),
        geometry: g,
        lang: cx.lang,
    })
}

/// The document title for the type code.
fn title(invoice: &Invoice, l: &Labels) -> &'static str {
    match invoice.type_code.0 {
        384 => l.corrected_invoice,
        389 => l.self_billed,
        _ if invoice.is_credit_note() => l.credit_note,
        _ => l.invoice,
    }
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Country name for an ISO code, printed only for addresses abroad.
fn country(code: &str, lang: Lang) -> String {
    let (nl, en) = match code {
        "NL" => ("Nederland", "The Netherlands"),
        "BE" => ("België", "Belgium"),
        "DE" => ("Duitsland", "Germany"),
        "FR" => ("Frankrijk", "France"),
        "LU" => ("Luxemburg", "Luxembourg"),
        "GB" => ("Verenigd Koninkrijk", "United Kingdom"),
        "AT" => ("Oostenrijk", "Austria"),
        "DK" => ("Denemarken", "Denmark"),
        "ES" => ("Spanje", "Spain"),
        "IT" => ("Italië", "Italy"),
        "PL" => ("Polen", "Poland"),
        "SE" => ("Zweden", "Sweden"),
        "CH" => ("Zwitserland", "Switzerland"),
        "US" => ("Verenigde Staten", "United States"),
        other => return other.to_owned(),
    };
    match lang {
        Lang::Nl => nl.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// Address lines: street line, second and third line, postcode and city, country when it
/// differs from `home`.
fn address_lines(a: &Address, home: Option<&str>, lang: Lang) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(s) = a.street_line() {
        out.push(s);
    }
    out.extend(nonempty(&a.additional_street).map(str::to_owned));
    out.extend(nonempty(&a.address_line_3).map(str::to_owned));
    let city = [nonempty(&a.postcode), nonempty(&a.city)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("  ");
    if !city.is_empty() {
        out.push(city);
    }
    if let Some(c) = nonempty(&a.country_code)
        && Some(c) != home
    {
        out.push(country(c, lang));
    }
    out
}

/// The supplier's letterhead: logo or name on the left, address and contact on the right.
fn letterhead(w: &Writer<'_>, g: &Geometry, s: &Party, cx: &Context<'_>) -> Block {
    let mut b = Block::default();
    let left_h = match cx.logo_size {
        Some((pw, ph)) => {
            let (max_w, max_h) = (180.0f32, 62.0f32);
            let scale = (max_w / pw.max(1) as f32).min(max_h / ph.max(1) as f32);
            let (lw, lh) = (pw as f32 * scale, ph as f32 * scale);
            b.ops.push(Op::Logo {
                x: g.left,
                y: 0.0,
                w: lw,
                h: lh,
            });
            lh
        }
        None => {
            let name = nonempty(&s.trading_name).unwrap_or(&s.name);
            let font = Font::new(Style::Bold, 17.0, ACCENT);
            w.paragraph(&mut b, name, g.left, 250.0, 0.0, font, Align::Left)
        }
    };
    let x = g.right - 220.0;
    let mut y = 0.0;
    let bold = Font::new(Style::Bold, 9.0, INK);
    w.line(&mut b, &s.name, x, 220.0, y, bold, Align::Right);
    y += bold.line();
    let home = Some("NL");
    let mut lines = address_lines(&s.address, home, cx.lang);
    if let Some(c) = &s.contact {
        lines.extend(nonempty(&c.phone).map(str::to_owned));
        lines.extend(nonempty(&c.email).map(str::to_owned));
    }
    for line in lines {
        w.line(&mut b, &line, x, 220.0, y, SMALL, Align::Right);
        y += SMALL.line();
    }
    b.height = left_h.max(y);
    b
}

/// The customer's address block and the invoice data beside it.
fn addresses(
    w: &Writer<'_>,
    g: &Geometry,
    inv: &Invoice,
    l: &Labels,
    cx: &Context<'_>,
    title: &str,
) -> Block {
    let mut b = Block::default();
    // Left: the addressee, where a window envelope shows it.
    let x = g.left;
    let cw = 245.0;
    let mut y = 0.0;
    w.line(&mut b, l.bill_to, x, cw, y, SMALL, Align::Left);
    y += SMALL.line() + 2.0;
    let home = nonempty(&inv.supplier.address.country_code).or(Some("NL"));
    if let Some(c) = &inv.customer {
        let name_font = Font::new(Style::Bold, 10.5, INK);
        y += w.paragraph(&mut b, &c.name, x, cw, y, name_font, Align::Left);
        let mut lines = Vec::new();
        if let Some(n) = c.contact.as_ref().and_then(|c| nonempty(&c.name)) {
            lines.push(format!("{} {n}", l.attention));
        }
        lines.extend(address_lines(&c.address, home, cx.lang));
        for line in lines {
            y += w.paragraph(
                &mut b,
                &line,
                x,
                cw,
                y,
                Font::new(Style::Regular, 10.0, INK),
                Align::Left,
            );
        }
        let mut ids = Vec::new();
        if let Some(k) = &c.kvk {
            ids.push(format!("{} {k}", l.kvk));
        }
        if let Some(v) = nonempty(&c.vat_number) {
            ids.push(format!("{} {v}", l.vat_number));
        }
        if !ids.is_empty() {
            y += 4.0;
            y += w.paragraph(&mut b, &ids.join("   "), x, cw, y, SMALL, Align::Left);
        }
    }
    let left_h = y;

    // Right: title and invoice data.
    let x = g.left + 265.0;
    let rw = g.right - x;
    let mut y = 0.0;
    let title_font = Font::new(Style::Bold, 20.0, ACCENT);
    w.line(&mut b, title, x, rw, y, title_font, Align::Left);
    y += title_font.line() + 4.0;
    let (number_label, date_label) = if inv.is_credit_note() {
        (l.credit_number, l.credit_date)
    } else {
        (l.number, l.issue_date)
    };
    let mut rows: Vec<(&str, String)> = vec![(number_label, inv.number.clone())];
    rows.push((date_label, locale::date(inv.issue_date, cx.lang)));
    if let Some(d) = inv.due_date {
        rows.push((l.due_date, locale::date(d, cx.lang)));
    }
    if let Some(d) = inv.tax_point_date {
        rows.push((l.tax_point_date, locale::date(d, cx.lang)));
    }
    if let Some(d) = inv.delivery.as_ref().and_then(|d| d.date) {
        rows.push((l.delivery_date, locale::date(d, cx.lang)));
    }
    if let Some(p) = &inv.invoicing_period
        && let Some(text) = period(p, cx.lang)
    {
        rows.push((l.period, text));
    }
    for p in &inv.preceding_invoices {
        let text = match p.issue_date {
            Some(d) => format!("{} ({})", p.number, locale::date(d, cx.lang)),
            None => p.number.clone(),
        };
        rows.push((l.preceding, text));
    }
    let refs = [
        (l.buyer_reference, &inv.buyer_reference),
        (l.order_reference, &inv.order_reference),
        (l.external_reference, &inv.external_reference),
    ];
    for (label, v) in refs {
        if let Some(v) = nonempty(v) {
            rows.push((label, v.to_owned()));
        }
    }
    if let Some(wo) = &inv.work_order {
        rows.push((l.work_order, wo.number.clone()));
    }
    if let Some(br) = &inv.branch {
        let text = match nonempty(&br.name) {
            Some(n) => format!("{n} ({})", br.id),
            None => br.id.clone(),
        };
        rows.push((l.branch, text));
    }
    for (label, v) in [
        (l.project, &inv.project_reference),
        (l.contract, &inv.contract_reference),
    ] {
        if let Some(v) = nonempty(v) {
            rows.push((label, v.to_owned()));
        }
    }
    let label_w = 92.0;
    for (label, value) in rows {
        w.line(&mut b, label, x, label_w, y, LABEL, Align::Left);
        let h = w.paragraph(
            &mut b,
            &value,
            x + label_w,
            rw - label_w,
            y,
            VALUE,
            Align::Left,
        );
        y += h.max(VALUE.line());
    }
    b.height = left_h.max(y);
    b
}

fn period(p: &crate::model::Period, lang: Lang) -> Option<String> {
    match (p.start, p.end) {
        (Some(s), Some(e)) => Some(format!(
            "{} – {}",
            locale::date(s, lang),
            locale::date(e, lang)
        )),
        (Some(s), None) => Some(format!("{} –", locale::date(s, lang))),
        (None, Some(e)) => Some(format!("– {}", locale::date(e, lang))),
        (None, None) => None,
    }
}

/// The header at the top of every page after the first.
fn continuation(w: &Writer<'_>, g: &Geometry, inv: &Invoice, l: &Labels, title: &str) -> Block {
    let mut b = Block::default();
    let text = format!("{title} {} ({})", inv.number, l.continued);
    w.line(&mut b, &text, g.left, 300.0, 0.0, BODY_BOLD, Align::Left);
    w.line(
        &mut b,
        &inv.supplier.name,
        g.right - 200.0,
        200.0,
        0.0,
        SMALL,
        Align::Right,
    );
    b.ops.push(Op::Rule {
        x1: g.left,
        x2: g.right,
        y: BODY.line() + 4.0,
        width: 0.5,
        color: HAIRLINE,
    });
    b.height = BODY.line() + 14.0;
    b
}

/// The line table's header row.
fn table_header(w: &Writer<'_>, g: &Geometry, c: &Columns, l: &Labels) -> Block {
    let mut b = Block::default();
    let h = 18.0;
    b.ops.push(Op::Fill {
        x: g.left,
        y: 0.0,
        w: g.content_width(),
        h,
        color: SHADE,
    });
    let top = (h - TH.line()) / 2.0;
    if let Some(col) = c.article {
        w.line(&mut b, l.article, col.0, col.1, top, TH, Align::Left);
    }
    let cells = [
        (l.description, c.desc, Align::Left),
        (l.quantity, c.qty, Align::Right),
        (l.unit, c.unit, Align::Left),
        (l.price, c.price, Align::Right),
        (l.vat, c.vat, Align::Right),
        (l.amount, c.amount, Align::Right),
    ];
    for (text, (x, cw), align) in cells {
        w.line(&mut b, text, x, cw, top, TH, align);
    }
    b.height = h;
    b
}

/// One invoice line as a table row.
#[allow(clippy::too_many_arguments)]
fn line_row(
    w: &Writer<'_>,
    g: &Geometry,
    c: &Columns,
    line: &Line,
    lt: &crate::model::LineTotals,
    cx: &Context<'_>,
    l: &Labels,
    money: &dyn Fn(Decimal) -> String,
) -> Block {
    let mut b = Block::default();
    let pad = 3.0;
    let mut y = pad;
    y += w.paragraph(
        &mut b,
        &line.item.name,
        c.desc.0,
        c.desc.1,
        y,
        CELL,
        Align::Left,
    );
    let mut details: Vec<String> = Vec::new();
    details.extend(nonempty(&line.item.description).map(str::to_owned));
    if let (Some(a), Some(col)) = (nonempty(&line.item.seller_id), c.article) {
        w.line(&mut b, a, col.0, col.1, pad, CELL, Align::Left);
    }
    details.extend(nonempty(&line.note).map(str::to_owned));
    if let Some(p) = &line.period
        && let Some(text) = period(p, cx.lang)
    {
        details.push(text);
    }
    for (adj, resolved) in line.allowances.iter().zip(&lt.allowances) {
        details.push(adjustment_text(
            l.discount,
            adj,
            resolved.amount,
            true,
            cx.lang,
            money,
        ));
    }
    for (adj, resolved) in line.charges.iter().zip(&lt.charges) {
        details.push(adjustment_text(
            l.surcharge,
            adj,
            resolved.amount,
            false,
            cx.lang,
            money,
        ));
    }
    for d in details {
        y += w.paragraph(&mut b, &d, c.desc.0, c.desc.1, y, SMALL, Align::Left);
    }
    let top = pad;
    let qty = locale::number(line.quantity, 0, cx.lang);
    w.line(&mut b, &qty, c.qty.0, c.qty.1, top, CELL, Align::Right);
    w.line(
        &mut b,
        unit(&line.unit_code, cx.lang),
        c.unit.0,
        c.unit.1,
        top,
        CELL,
        Align::Left,
    );
    let mut price = money(line.price);
    if let Some(bq) = line.base_quantity.filter(|q| *q != Decimal::ONE) {
        price = format!("{price} / {}", locale::number(bq, 0, cx.lang));
    }
    w.line(
        &mut b,
        &price,
        c.price.0,
        c.price.1,
        top,
        CELL,
        Align::Right,
    );
    let vat = vat_text(line, cx);
    w.line(&mut b, &vat, c.vat.0, c.vat.1, top, CELL, Align::Right);
    w.line(
        &mut b,
        &money(lt.net_amount),
        c.amount.0,
        c.amount.1,
        top,
        CELL,
        Align::Right,
    );
    let h = y + pad;
    b.ops.push(Op::Rule {
        x1: g.left,
        x2: g.right,
        y: h,
        width: 0.4,
        color: HAIRLINE,
    });
    b.height = h;
    b
}

/// "Korting 10%: € -5,00" for a line allowance or charge.
fn adjustment_text(
    word: &str,
    adj: &crate::model::Adjustment,
    amount: Decimal,
    allowance: bool,
    lang: Lang,
    money: &dyn Fn(Decimal) -> String,
) -> String {
    let mut text = word.to_owned();
    if let Some(r) = nonempty(&adj.reason) {
        text = format!("{text} ({r})");
    }
    if let Some(p) = adj.percentage {
        text = format!("{text} {}", locale::percent(p, lang));
    }
    let shown = if allowance { -amount } else { amount };
    format!("{text}: {}", money(shown))
}

/// The VAT column: the rate; `0%` for the untaxed categories with a rate, `–` outside the
/// scope of VAT (the breakdown names the categories).
fn vat_text(line: &Line, cx: &Context<'_>) -> String {
    match line.vat.resolve(cx.vat_codes) {
        Some(r) if r.category.is_taxed() => r
            .rate
            .map(|p| locale::percent(p, cx.lang))
            .unwrap_or_default(),
        Some(r) if r.category.has_rate() => "0%".to_owned(),
        Some(_) => "–".to_owned(),
        None => line
            .vat
            .percentage
            .map(|p| locale::percent(p, cx.lang))
            .unwrap_or_default(),
    }
}

/// VAT breakdown on the left, totals on the right: kept together.
#[allow(clippy::too_many_arguments)]
fn summary(
    w: &Writer<'_>,
    g: &Geometry,
    inv: &Invoice,
    t: &Totals,
    cx: &Context<'_>,
    l: &Labels,
    money: &dyn Fn(Decimal) -> String,
) -> Block {
    let mut b = Block::default();

    // VAT breakdown.
    let x = g.left;
    let (rate_w, base_w, vat_w) = (78.0, 78.0, 70.0);
    let mut y = 0.0;
    w.line(&mut b, l.vat_summary, x, 200.0, y, BODY_BOLD, Align::Left);
    y += BODY_BOLD.line() + 2.0;
    w.line(&mut b, l.rate, x, rate_w, y, SMALL, Align::Left);
    w.line(&mut b, l.base, x + rate_w, base_w, y, SMALL, Align::Right);
    w.line(
        &mut b,
        l.vat,
        x + rate_w + base_w,
        vat_w,
        y,
        SMALL,
        Align::Right,
    );
    y += SMALL.line();
    b.ops.push(Op::Rule {
        x1: x,
        x2: x + rate_w + base_w + vat_w,
        y: y + 1.0,
        width: 0.4,
        color: HAIRLINE,
    });
    y += 3.0;
    let mut reasons = Vec::new();
    for vb in &t.vat_breakdown {
        let name = if vb.category.is_taxed() {
            vb.rate
                .map(|r| locale::percent(r, cx.lang))
                .unwrap_or_default()
        } else {
            (l.category_names)(vb.category.code())
                .unwrap_or(vb.category.code())
                .to_owned()
        };
        w.line(&mut b, &name, x, rate_w, y, BODY, Align::Left);
        w.line(
            &mut b,
            &money(vb.taxable_amount),
            x + rate_w,
            base_w,
            y,
            BODY,
            Align::Right,
        );
        w.line(
            &mut b,
            &money(vb.vat_amount),
            x + rate_w + base_w,
            vat_w,
            y,
            BODY,
            Align::Right,
        );
        y += BODY.line();
        if let Some(r) = vb
            .exemption_reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            reasons.push(r.to_owned());
        } else if vb.category.code() == "AE" {
            reasons.push(l.reverse_charge_note.to_owned());
        }
    }
    for r in reasons {
        y += 2.0;
        y += w.paragraph(
            &mut b,
            &r,
            x,
            rate_w + base_w + vat_w,
            y,
            SMALL,
            Align::Left,
        );
    }
    let left_h = y;

    // Totals.
    let tw = 236.0;
    let x = g.right - tw;
    let aw = 90.0;
    let mut y = 0.0;
    let row = |b: &mut Block, y: &mut f32, label: &str, amount: Decimal, font: Font| {
        w.line(b, label, x, tw - aw, *y, font, Align::Left);
        w.line(b, &money(amount), x + tw - aw, aw, *y, font, Align::Right);
        *y += font.line();
    };
    let adjusted = !t.allowance_total.is_zero() || !t.charge_total.is_zero();
    if adjusted {
        row(&mut b, &mut y, l.subtotal, t.line_total, BODY);
        // One row per document allowance and charge, with its reason when it has one.
        for (adj, resolved) in inv.allowances.iter().zip(&t.allowances) {
            let label = match nonempty(&adj.reason) {
                Some(r) => format!("{} ({r})", l.allowances),
                None => l.allowances.to_owned(),
            };
            row(&mut b, &mut y, &label, -resolved.amount, BODY);
        }
        for (adj, resolved) in inv.charges.iter().zip(&t.charges) {
            let label = match nonempty(&adj.reason) {
                Some(r) => format!("{} ({r})", l.surcharge),
                None => l.charges.to_owned(),
            };
            row(&mut b, &mut y, &label, resolved.amount, BODY);
        }
    }
    row(&mut b, &mut y, l.total_excl, t.tax_exclusive, BODY);
    for vb in &t.vat_breakdown {
        if !vb.category.is_taxed() {
            continue;
        }
        let rate = vb
            .rate
            .map(|r| locale::percent(r, cx.lang))
            .unwrap_or_default();
        let label = format!(
            "{} {rate} {} {}",
            l.vat,
            l.vat_over,
            money(vb.taxable_amount)
        );
        row(&mut b, &mut y, &label, vb.vat_amount, BODY);
    }
    b.ops.push(Op::Rule {
        x1: x,
        x2: g.right,
        y: y + 1.5,
        width: 0.6,
        color: INK,
    });
    y += 4.0;
    row(&mut b, &mut y, l.total_incl, t.tax_inclusive, BODY_BOLD);
    if !t.prepaid.is_zero() {
        row(&mut b, &mut y, l.prepaid, -t.prepaid, BODY);
    }
    if !t.rounding.is_zero() {
        row(&mut b, &mut y, l.rounding, t.rounding, BODY);
    }
    y += 5.0;
    let due_font = Font::new(Style::Bold, 11.0, ACCENT);
    let box_h = due_font.line() + 8.0;
    b.ops.push(Op::Fill {
        x: x - 6.0,
        y,
        w: tw + 6.0,
        h: box_h,
        color: SHADE,
    });
    let ty = y + 4.0;
    let due_label = if inv.is_credit_note() {
        l.credited
    } else {
        l.payable
    };
    w.line(
        &mut b,
        due_label,
        x,
        tw - aw - 6.0,
        ty,
        due_font,
        Align::Left,
    );
    w.line(
        &mut b,
        &money(t.payable),
        x + tw - aw - 6.0 - 40.0,
        aw + 40.0,
        ty,
        due_font,
        Align::Right,
    );
    y += box_h;
    b.height = left_h.max(y);
    b
}

/// Payment instructions: amount, due date, IBAN, reference; kept together.
fn payment(
    w: &Writer<'_>,
    g: &Geometry,
    inv: &Invoice,
    t: &Totals,
    cx: &Context<'_>,
    l: &Labels,
    money: &dyn Fn(Decimal) -> String,
) -> Block {
    let mut b = Block::default();
    let mut y = 0.0;
    let mut text = Vec::new();
    let amount = money(t.payable.abs());
    // A credit note's positive amount, like an invoice's negative one, is owed to the customer.
    let negative = t.payable.is_sign_negative() && !t.payable.is_zero();
    if !t.payable.is_zero() && (negative != inv.is_credit_note()) {
        text.push(l.refund.replace("{amount}", &amount));
    } else if !t.payable.is_zero() {
        for pm in &inv.payment_means {
            let debit = matches!(pm.code.as_str(), "49" | "59");
            let mut s = if debit {
                l.direct_debit.replace("{amount}", &amount)
            } else {
                match inv.due_date {
                    Some(d) => l
                        .pay_before
                        .replace("{amount}", &amount)
                        .replace("{date}", &locale::date(d, cx.lang)),
                    None => l.pay_now.replace("{amount}", &amount),
                }
            };
            let account = if debit {
                pm.mandate
                    .as_ref()
                    .and_then(|m| nonempty(&m.debited_account))
                    .or(nonempty(&pm.iban))
            } else {
                nonempty(&pm.iban)
            };
            if let Some(iban) = account {
                s.push_str(&format!(" {} {}", l.to_account, locale::iban(iban)));
                if let Some(bic) = nonempty(&pm.bic) {
                    s.push_str(&format!(" (BIC {bic})"));
                }
            }
            if !debit {
                let holder = nonempty(&pm.account_name).unwrap_or(&inv.supplier.name);
                s.push_str(&format!(" {} {holder}", l.in_name_of));
            }
            if let Some(r) = nonempty(&pm.payment_id) {
                s.push_str(&format!(" {} {r}", l.quoting));
            }
            if let Some(m) = pm.mandate.as_ref().and_then(|m| nonempty(&m.reference)) {
                s.push_str(&format!(" ({} {m})", l.mandate));
            }
            s.push('.');
            text.push(s);
        }
        if inv.payment_means.is_empty() {
            let s = match inv.due_date {
                Some(d) => l
                    .pay_before
                    .replace("{amount}", &amount)
                    .replace("{date}", &locale::date(d, cx.lang)),
                None => l.pay_now.replace("{amount}", &amount),
            };
            text.push(format!("{s}."));
        }
    }
    if let Some(terms) = nonempty(&inv.payment_terms) {
        text.push(terms.to_owned());
    }
    if cx.has_attachment {
        text.push(l.attached_ubl.to_owned());
    }
    if text.is_empty() {
        return b;
    }
    w.line(&mut b, l.payment, g.left, 200.0, y, BODY_BOLD, Align::Left);
    y += BODY_BOLD.line() + 2.0;
    for p in text {
        y += w.paragraph(
            &mut b,
            &p,
            g.left,
            g.content_width() * 0.8,
            y,
            BODY,
            Align::Left,
        );
        y += 2.0;
    }
    b.height = y;
    b
}

/// Footer lines: the supplier's registration, address and bank.
fn footer_lines(w: &Writer<'_>, g: &Geometry, s: &Party, inv: &Invoice, l: &Labels) -> Vec<String> {
    let mut parts: Vec<String> = vec![s.name.clone()];
    parts.extend(
        address_lines(&s.address, Some("NL"), Lang::Nl)
            .into_iter()
            .take(2),
    );
    if let Some(k) = &s.kvk {
        parts.push(format!("{} {k}", l.kvk));
    }
    if let Some(v) = nonempty(&s.vat_number) {
        parts.push(format!("{} {v}", l.vat_number));
    }
    for pm in &inv.payment_means {
        if let Some(i) = nonempty(&pm.iban) {
            parts.push(format!("IBAN {}", locale::iban(i)));
            break;
        }
    }
    // Wrap at the separators, leaving room for the page number.
    let width = g.content_width() - 90.0;
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for part in parts {
        let candidate = if current.is_empty() {
            part.clone()
        } else {
            format!("{current}  ·  {part}")
        };
        if current.is_empty() || w.fits(&candidate, width, FOOT) {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, part));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
        .into_iter()
        .flat_map(|l| w.wrap(&l, width, FOOT))
        .collect()
}

/// The footer of one page (1-based): a rule, the supplier lines and "Pagina x van n".
pub(crate) fn footer(w: &Writer<'_>, c: &Composed, page: usize, pages: usize) -> Vec<Op> {
    let g = &c.geometry;
    let mut b = Block::default();
    let top = g.bottom + 16.0;
    b.ops.push(Op::Rule {
        x1: g.left,
        x2: g.right,
        y: top,
        width: 0.5,
        color: HAIRLINE,
    });
    let mut y = top + 5.0;
    for line in &c.footer {
        w.line(
            &mut b,
            line,
            g.left,
            g.content_width() - 90.0,
            y,
            FOOT,
            Align::Left,
        );
        y += FOOT.line();
    }
    b.ops.extend(page_number(w, g, c.lang, page, pages));
    b.ops
}

/// "Pagina 1 van 2" at the bottom right.
fn page_number(w: &Writer<'_>, g: &Geometry, lang: Lang, page: usize, pages: usize) -> Vec<Op> {
    let l = labels(lang);
    let mut b = Block::default();
    let text = format!("{} {page} {} {pages}", l.page, l.of);
    w.line(
        &mut b,
        &text,
        g.right - 90.0,
        90.0,
        g.bottom + 21.0,
        Font::new(Style::Regular, 7.5, MUTED),
        Align::Right,
    );
    b.ops
}
