"""The return label: a printable A6 PDF (fpdf2) with the RMA as text and as a QR code (segno) the receiving
location scans."""

from __future__ import annotations

import io
import unicodedata

import segno
from fpdf import FPDF

from omniretail.returns.models import ReturnRequest


def _ascii(text: str) -> str:
    # The built-in PDF fonts are Latin-1 only; labels are read by carriers, so transliterate what does not fit.
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return plain.encode("latin-1", "replace").decode("latin-1")


def return_label(ret: ReturnRequest, *, ship_to: str, ship_to_address: str) -> bytes:
    """An A6 return label for ``ret`` addressed to the receiving location."""
    pdf = FPDF(format=(105, 148))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 9, "RETURN", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, _ascii(f"RMA {ret.rma}   order {ret.order_number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 6, "Ship to:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 5, _ascii(f"{ship_to}\n{ship_to_address}"), new_x="LMARGIN", new_y="NEXT")
    image = io.BytesIO()
    segno.make(ret.rma, error="m").save(image, kind="png", scale=6, border=2)
    image.seek(0)
    pdf.image(image, x=pdf.l_margin, y=pdf.get_y() + 3, w=40, h=40)
    pdf.set_xy(pdf.l_margin + 44, pdf.get_y() + 8)
    pdf.set_font("Helvetica", "", 8)
    pdf.multi_cell(0, 4, _ascii("\n".join(f"{ln.quantity} x {ln.sku}" for ln in ret.lines)))
    return bytes(pdf.output())
