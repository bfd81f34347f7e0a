"""Receipts: the data a till prints (lines, taxes, tenders, change, points) and its 80 mm ESC/POS text.

80 mm paper holds 48 characters a line in the printer's font A. The text is plain UTF-8 with the ESC/POS
initialise and cut commands around it, so any ESC/POS printer prints it raw.
"""

from __future__ import annotations

from dataclasses import dataclass

from omniretail.kernel.money import Money

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
    def money(minor: int) -> str:
        return Money(minor, receipt.currency).format(locale)

    out = [receipt.store.center(WIDTH), f"Receipt {receipt.number}".center(WIDTH), receipt.issued_at.center(WIDTH),
           f"Cashier: {receipt.cashier}"[:WIDTH], "-" * WIDTH]
    for line in receipt.lines:
        out.append(line.name[:WIDTH])
        out.append(_row(f"  {line.quantity} x {money(line.unit_price_minor)}  {line.sku}", money(line.total_minor)))
    out.append("-" * WIDTH)
    out.append(_row("TOTAL", money(receipt.total_minor)))
    for rate_bp, tax in receipt.taxes:
        out.append(_row(f"  incl. VAT {rate_bp / 100:g}%", money(tax)))
    out.append("-" * WIDTH)
    for tender in receipt.tenders:
        label = tender.method.replace("_", " ").title() + (f" ****{tender.last4}" if tender.last4 else "")
        shown = tender.tendered_minor if tender.method == "cash" else tender.amount_minor
        out.append(_row(label, money(shown)))
    if receipt.change_minor:
        out.append(_row("Change", money(receipt.change_minor)))
    if receipt.points:
        out.append(_row("Points earned", str(receipt.points)))
    out += ["-" * WIDTH, "Thank you!".center(WIDTH)]
    return ESC_INIT + "\n".join(out) + CUT
