#!/usr/bin/env python3
"""The peer: the same invoices rendered with reportlab (platypus), for the speed comparison
with factuur's native renderer (`cargo bench --features pdf --bench pdf`).

It draws what factuur draws: letterhead, customer block and invoice data, a line table whose
header repeats on every page, VAT breakdown and totals, payment instructions, and a footer with
"Pagina x van n" (reportlab's two-pass canvas, as any reportlab invoice needs for "van n"). It
embeds the same Liberation Sans fonts (assets/fonts/), with Dutch amounts from exact decimals.

Usage: python3 benches/peer/reportlab_invoice.py [--iterations N] [--out DIR]
Prints the mean time per invoice in milliseconds for each sample, as JSON.
"""
import argparse
import io
import json
import os
import time
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
pdfmetrics.registerFont(TTFont("LS", os.path.join(ROOT, "assets/fonts/LiberationSans-Regular.ttf")))
pdfmetrics.registerFont(TTFont("LSB", os.path.join(ROOT, "assets/fonts/LiberationSans-Bold.ttf")))

ACCENT = colors.HexColor("#1d4e89")
MUTED = colors.HexColor("#5f666d")
SHADE = colors.HexColor("#e8eef5")
RATES = {"HOOG": Decimal("21"), "LAAG": Decimal("9")}
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december"]


def r2(d):
    return d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def money(d):
    neg = d < 0
    s = f"{abs(d):,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return f"€ -{s}" if neg else f"€ {s}"


def date(s):
    y, m, d = s.split("-")
    return f"{int(d)} {MONTHS[int(m) - 1]} {y}"


class NumberedCanvas(rl_canvas.Canvas):
    """Keeps pages until the end so the footer can say 'Pagina x van n'."""

    def __init__(self, *a, footer="", **kw):
        super().__init__(*a, **kw)
        self._saved = []
        self._footer = footer

    def showPage(self):
        self._saved.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        n = len(self._saved)
        for state in self._saved:
            self.__dict__.update(state)
            self.setFont("LS", 7)
            self.setFillColor(MUTED)
            self.line(20 * mm, 25 * mm, A4[0] - 20 * mm, 25 * mm)
            self.drawString(20 * mm, 21 * mm, self._footer)
            self.drawRightString(A4[0] - 20 * mm, 21 * mm, f"Pagina {self._pageNumber} van {n}")
            super().showPage()
        super().save()


def render(inv):
    body = ParagraphStyle("b", fontName="LS", fontSize=9, leading=11)
    small = ParagraphStyle("s", fontName="LS", fontSize=8, leading=10, textColor=MUTED)
    big = ParagraphStyle("t", fontName="LSB", fontSize=20, leading=24, textColor=ACCENT)
    head = ParagraphStyle("h", fontName="LSB", fontSize=17, leading=20, textColor=ACCENT)
    s, c = inv["supplier"], inv["customer"]
    sa, ca = s["address"], c["address"]
    story = []
    story.append(Table([[Paragraph(s.get("trading_name", s["name"]), head),
                         Paragraph(f"<b>{s['name']}</b><br/>{sa['street']} {sa['house_number']}<br/>"
                                   f"{sa['postcode']} {sa['city']}", small)]],
                       colWidths=[100 * mm, 70 * mm]))
    story.append(Spacer(1, 8 * mm))
    data = [["Factuurnummer", inv["number"]], ["Factuurdatum", date(inv["issue_date"])]]
    if inv.get("due_date"):
        data.append(["Vervaldatum", date(inv["due_date"])])
    for k, label in [("buyer_reference", "Uw referentie"), ("order_reference", "Uw ordernummer"),
                     ("external_reference", "Btw-ticket")]:
        if inv.get(k):
            data.append([label, inv[k]])
    data.append(["Werkbon", inv["work_order"]["number"]])
    info = Table(data, style=[("FONT", (0, 0), (-1, -1), "LS", 8.5), ("TEXTCOLOR", (0, 0), (0, -1), MUTED)])
    addr = Paragraph(f"<font size=8 color='#5f666d'>Factuur aan</font><br/><b>{c['name']}</b><br/>"
                     f"{ca['street']} {ca['house_number']}<br/>{ca['postcode']} {ca['city']}<br/>"
                     f"<font size=8 color='#5f666d'>KvK {c.get('kvk', '')}</font>", body)
    story.append(Table([[addr, [Paragraph("Factuur", big), info]]], colWidths=[90 * mm, 80 * mm]))
    story.append(Spacer(1, 6 * mm))
    for n in inv.get("notes", []):
        story.append(Paragraph(n, body))
    rows = [["Artikel", "Omschrijving", "Aantal", "Eenheid", "Prijs", "Btw", "Bedrag"]]
    groups = {}
    total = Decimal(0)
    for line in inv["lines"]:
        q, p = Decimal(line["quantity"]), Decimal(line["price"])
        net = r2(q * p)
        rate = RATES[line["vat"]["code"]]
        g = groups.setdefault(rate, Decimal(0))
        groups[rate] = g + net
        total += net
        rows.append([line["item"].get("seller_id", ""), Paragraph(line["item"]["name"], body),
                     f"{q.normalize():f}".replace(".", ","), line.get("unit_code", "C62"),
                     money(p), f"{rate}%", money(net)])
    table = Table(rows, repeatRows=1, colWidths=[22 * mm, 58 * mm, 15 * mm, 15 * mm, 23 * mm, 13 * mm, 24 * mm])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), "LS", 8.5), ("FONT", (0, 0), (-1, 0), "LSB", 8),
        ("TEXTCOLOR", (0, 0), (-1, 0), ACCENT), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("ALIGN", (2, 0), (2, -1), "RIGHT"), ("ALIGN", (4, 0), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.4, colors.HexColor("#c9cfd6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story.append(table)
    story.append(Spacer(1, 5 * mm))
    vat_rows = [["Tarief", "Grondslag", "Btw"]]
    vat_total = Decimal(0)
    for rate in sorted(groups):
        v = r2(groups[rate] * rate / 100)
        vat_total += v
        vat_rows.append([f"{rate}%", money(groups[rate]), money(v)])
    tot_rows = [["Totaal excl. btw", money(total)], ["Btw", money(vat_total)],
                ["Totaal incl. btw", money(total + vat_total)], ["Te betalen", money(total + vat_total)]]
    summary = Table([[Table(vat_rows, style=[("FONT", (0, 0), (-1, -1), "LS", 9)]),
                      Table(tot_rows, style=[("FONT", (0, 0), (-1, -1), "LS", 9),
                                             ("FONT", (0, -1), (-1, -1), "LSB", 11),
                                             ("BACKGROUND", (0, -1), (-1, -1), SHADE),
                                             ("ALIGN", (1, 0), (1, -1), "RIGHT")])]],
                    colWidths=[85 * mm, 85 * mm])
    pm = inv["payment_means"][0]
    pay = Paragraph(f"<b>Betaling</b><br/>Wij verzoeken u het bedrag van {money(total + vat_total)} "
                    f"vóór {date(inv['due_date'])} over te maken op rekening {pm['iban']} "
                    f"t.n.v. {pm.get('account_name', s['name'])} onder vermelding van {pm['payment_id']}.", body)
    story.append(KeepTogether([summary, Spacer(1, 5 * mm), pay]))
    out = io.BytesIO()
    footer = f"{s['name']} · KvK {s.get('kvk', '')} · Btw-nr. {s.get('vat_number', '')}"
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=15 * mm, bottomMargin=30 * mm, title=f"Factuur {inv['number']}",
                            invariant=1)
    doc.build(story, canvasmaker=lambda *a, **kw: NumberedCanvas(*a, footer=footer, **kw))
    return out.getvalue()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iterations", type=int, default=200)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    results = {}
    for name, path in [("1-page-5-lines", "testdata/invoices/01-domestic-b2b.json"),
                       ("2-pages-60-lines", "testdata/pdf/04-sixty-lines.json")]:
        inv = json.load(open(os.path.join(ROOT, path), encoding="utf-8"))
        pdf = render(inv)  # warm up: font loading, caches
        if args.out:
            os.makedirs(args.out, exist_ok=True)
            with open(os.path.join(args.out, f"reportlab-{name}.pdf"), "wb") as f:
                f.write(pdf)
        t0 = time.perf_counter()
        for _ in range(args.iterations):
            render(inv)
        ms = (time.perf_counter() - t0) * 1000 / args.iterations
        results[name] = {"mean_ms": round(ms, 3), "bytes": len(pdf)}
    print(json.dumps(results))


if __name__ == "__main__":
    main()
