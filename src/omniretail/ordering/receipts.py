"""Receipts: the data a till prints (lines, taxes, tenders, change, points), its 80 mm ESC/POS text and its PDF.

80 mm paper holds 48 characters a line in the printer's font A. The text is plain UTF-8 with the ESC/POS
initialise and cut commands around it, so any ESC/POS printer prints it raw. The PDF (fpdf2) uses the built-in
Helvetica when every character fits it, else a Unicode TrueType font found on the machine (DejaVu Sans, WenQuanYi
for Chinese); without one, characters Helvetica lacks print as "?".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fpdf import FPDF

from omniretail.kernel.i18n import N_, translations
from omniretail.kernel.money import Money

FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
FONT_FILES = {"DejaVu": "DejaVuSans.ttf", "WenQuanYi": "wqy-zenhei.ttc"}
LABELS = {"receipt": N_("Receipt"), "cashier": N_("Cashier"), "total": N_("TOTAL"), "vat": N_("incl. VAT"),
          "change": N_("Change"), "points": N_("Points earned"), "thanks": N_("Thank you!")}

WIDTH = 48
ESC_INIT = "\x1b@"
CUT = "\n\n\n\x1dV\x00"


@dataclass(frozen=True)
class ReceiptLine:
    name: str
    sku: str
    quantity: int
    unit_price_minor: int
    total_minor: int


@dataclass(frozen=True)
class ReceiptTender:
    method: str
    amount_minor: int
    tendered_minor: int
    change_minor: int
    last4: str | None


@dataclass(frozen=True)
class Receipt:
    store: str
    number: str
    issued_at: str
    cashier: str
    currency: str
    lines: tuple[ReceiptLine, ...]
    taxes: tuple[tuple[int, int], ...]
    total_minor: int
    tenders: tuple[ReceiptTender, ...]
    change_minor: int
    points: int


def _row(left: str, right: str) -> str:
    left = left[:WIDTH - len(right) - 1]
    return f"{left}{' ' * (WIDTH - len(left) - len(right))}{right}"


def as_text(receipt: Receipt, *, locale: str = "en") -> str:
    """The receipt as 80 mm text for an ESC/POS printer."""
    return ESC_INIT + "\n".join(_rows(receipt, locale)) + CUT


def plain_text(receipt: Receipt, *, locale: str = "en") -> str:
    """The receipt's rows without printer commands (for an e-mail)."""
    return "\n".join(_rows(receipt, locale)) + "\n"


def _rows(receipt: Receipt, locale: str) -> list[str]:
    t = translations(locale).ugettext

    def money(minor: int) -> str:
        return Money(minor, receipt.currency).format(locale)

    out = [receipt.store.center(WIDTH), f"{t(LABELS['receipt'])} {receipt.number}".center(WIDTH),
           receipt.issued_at.center(WIDTH), f"{t(LABELS['cashier'])}: {receipt.cashier}"[:WIDTH], "-" * WIDTH]
    for line in receipt.lines:
        out.append(line.name[:WIDTH])
        out.append(_row(f"  {line.quantity} x {money(line.unit_price_minor)}  {line.sku}", money(line.total_minor)))
    out.append("-" * WIDTH)
    out.append(_row(t(LABELS["total"]), money(receipt.total_minor)))
    for rate_bp, tax in receipt.taxes:
        out.append(_row(f"  {t(LABELS['vat'])} {rate_bp / 100:g}%", money(tax)))
    out.append("-" * WIDTH)
    for tender in receipt.tenders:
        label = tender.method.replace("_", " ").title() + (f" ****{tender.last4}" if tender.last4 else "")
        shown = tender.tendered_minor if tender.method == "cash" else tender.amount_minor
        out.append(_row(label, money(shown)))
    if receipt.change_minor:
        out.append(_row(t(LABELS["change"]), money(receipt.change_minor)))
    if receipt.points:
        out.append(_row(t(LABELS["points"]), str(receipt.points)))
    out += ["-" * WIDTH, t(LABELS["thanks"]).center(WIDTH)]
    return out


@cache
def _font_file(name: str) -> Path | None:
    for folder in FONT_DIRS:
        found = next(folder.rglob(FONT_FILES[name]), None) if folder.exists() else None
        if found is not None:
            return found
    return None


def _font(pdf: FPDF, text: str) -> str:
    try:
        text.encode("latin-1")
        return "Helvetica"
    except UnicodeEncodeError:
        pass
    name = "WenQuanYi" if any("\u3000" <= ch <= "\u9fff" for ch in text) else "DejaVu"
    path = _font_file(name) or _font_file("DejaVu")
    if path is None:
        return "Helvetica"
    pdf.add_font(name, fname=str(path))
    return name


def _pdf_entries(receipt: Receipt, locale: str) -> list[tuple[str, str, str]]:
    t = translations(locale).ugettext

    def money(minor: int) -> str:
        return Money(minor, receipt.currency).format(locale)

    out = [("title", receipt.store, ""), ("center", f"{t(LABELS['receipt'])} {receipt.number}", ""),
           ("center", receipt.issued_at, ""), ("row", f"{t(LABELS['cashier'])}: {receipt.cashier}", ""),
           ("rule", "", "")]
    for line in receipt.lines:
        out += [("row", line.name, money(line.total_minor)),
                ("small", f"{line.quantity} x {money(line.unit_price_minor)}  {line.sku}", "")]
    out += [("rule", "", ""), ("bold", t(LABELS["total"]), money(receipt.total_minor))]
    out += [("small", f"{t(LABELS['vat'])} {rate_bp / 100:g}%", money(tax)) for rate_bp, tax in receipt.taxes]
    out.append(("rule", "", ""))
    for tender in receipt.tenders:
        label = tender.method.replace("_", " ").title() + (f" ****{tender.last4}" if tender.last4 else "")
        out.append(("row", label, money(tender.tendered_minor if tender.method == "cash" else tender.amount_minor)))
    if receipt.change_minor:
        out.append(("row", t(LABELS["change"]), money(receipt.change_minor)))
    if receipt.points:
        out.append(("row", t(LABELS["points"]), str(receipt.points)))
    return [*out, ("rule", "", ""), ("center", t(LABELS["thanks"]), "")]


def as_pdf(receipt: Receipt, *, locale: str = "en") -> bytes:
    """The receipt as a PDF 80 mm wide, the same content as the till prints."""
    entries = _pdf_entries(receipt, locale)
    pdf = FPDF(format=(80, 20 + 5.5 * len(entries)), unit="mm")
    pdf.set_title(f"Receipt {receipt.number}")
    pdf.set_subject(receipt.number)
    pdf.set_creator("omniretail")
    pdf.set_margins(5, 5, 5)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    font = _font(pdf, "".join(left + right for _, left, right in entries))

    def fit(text: str) -> str:
        return text.encode("latin-1", "replace").decode("latin-1") if font == "Helvetica" else text

    width = pdf.epw
    for kind, left, right in entries:
        pdf.set_font(font, size={"title": 11, "small": 7}.get(kind, 8.5))
        if kind == "rule":
            pdf.ln(1)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
            pdf.ln(1.5)
        elif kind in ("title", "center"):
            pdf.cell(width, 5, fit(left), align="C", new_x="LMARGIN", new_y="NEXT")
        else:
            pdf.cell(width * 0.68, 4.6, fit(left))
            pdf.cell(width * 0.32, 4.6, fit(right), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
