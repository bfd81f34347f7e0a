"""Shipping labels and pickup slips: PDF with fpdf2, the tracking number as a scannable QR code (segno)."""

from __future__ import annotations

import io
import unicodedata

import segno
from fpdf import FPDF


def _latin(text: str) -> str:
    # The built-in PDF fonts are Latin-1 only; carriers read labels, so what does not fit is replaced.
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.encode("latin-1", "replace").decode("latin-1")


def qr_png(payload: str, *, scale: int = 6) -> bytes:
    buffer = io.BytesIO()
    segno.make(payload, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def shipping_label(*, tracking_number: str, carrier: str, service: str, shipment_number: str, order_number: str,
                   ship_from: str, ship_to: str, weight_grams: int, box: str) -> bytes:
    """An A6 shipping label."""
    pdf = FPDF(format=(105, 148))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, _latin(f"{carrier.upper()} - {service}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(0, 4, _latin(f"From: {ship_from}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.set_font("Helvetica", "B", 11)
    pdf.multi_cell(0, 5, _latin(f"To: {ship_to}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    pdf.cell(0, 5, _latin(f"{shipment_number} / order {order_number} / {weight_grams} g / {box}"),
             new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 2
    pdf.image(io.BytesIO(qr_png(tracking_number)), x=pdf.l_margin, y=y, w=38, h=38)
    pdf.set_xy(pdf.l_margin, y + 40)
    pdf.set_font("Courier", "B", 12)
    pdf.cell(0, 6, tracking_number, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
