"""Order edits before fulfilment over HTTP (the difference refunded to the card, the extra charged, stock re-held,
refused once picking started) and the receipt as PDF and by e-mail."""

from __future__ import annotations

import re
import sys
import uuid
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import ADDRESS, retailer

from omniretail.inventory import service as inventory_service
from omniretail.ordering import service as ordering_service
from omniretail.ordering.rules import OrderStatus
from omniretail.payments import gateways as gw
from omniretail.payments.rules import TEST_CARD_APPROVE


def _order(client, db, quantity=3):
    with db.transaction() as s:
        shop = retailer(s)
    created = client.post("/api/v1/carts", json={"channel": "web-eu"}).json()
    client.cookies.clear()
    headers = {"x-cart-token": created["token"]}
    client.post(f"/api/v1/carts/{created['id']}/lines", json={"sku": "SERUM-GLOW-30", "quantity": quantity},
                headers=headers)
    client.put(f"/api/v1/carts/{created['id']}/delivery", headers=headers,
               json={"method": "courier", "address": ADDRESS, "email": "anna@shop.example.com"})
    key = f"edit-{created['id']}"
    placed = client.post(f"/api/v1/carts/{created['id']}/checkout", headers={**headers, "idempotency-key": key},
                         json={"tenders": [{"method": "card", "card_number": TEST_CARD_APPROVE}]})
    assert placed.status_code == 201, placed.text
    return shop, placed.json()["order_id"], key


def _available(db, variant_id, location_id):
    with db.transaction(read_only=True) as s:
        return inventory_service.availability(session=s, variant_ids=[variant_id], location_ids=[location_id])[0]


def test_reducing_a_quantity_refunds_the_difference_to_the_card_and_gives_the_stock_back(client, db, sign_in):
    shop, order_id, key = _order(client, db, quantity=3)
    staff = sign_in("owner@velvetine.lv")
    assert _available(db, shop.serum, shop.warehouse).reserved == 3

    edited = staff.post(f"/api/v1/orders/{order_id}/edits", headers={"idempotency-key": "edit-serum-to-1"},
                        json={"lines": [{"sku": "SERUM-GLOW-30", "quantity": 1}]})
    again = staff.post(f"/api/v1/orders/{order_id}/edits", headers={"idempotency-key": "edit-serum-to-1"},
                       json={"lines": [{"sku": "SERUM-GLOW-30", "quantity": 1}]})

    assert edited.status_code == 200, edited.text
    body = edited.json()
    assert (body["old_total_minor"], body["new_total_minor"]) == (8997, 2999)
    assert [(r["amount_minor"], r["status"], r["method"]) for r in body["refunds"]] == [(5998, "completed", "card")]
    assert again.json()["replayed"] and again.json()["refunds"] == body["refunds"]
    order = body["order"]
    assert [(ln["sku"], ln["quantity"]) for ln in order["lines"]] == [("SERUM-GLOW-30", 1)]
    assert order["total_minor"] == 2999 and order["refunded_minor"] == 5998
    assert [c.refunded_minor for c in gw.test_card().charges_for(key)] == [5998]
    assert _available(db, shop.serum, shop.warehouse).reserved == 1
    timeline = staff.get(f"/api/v1/orders/{order_id}/timeline").json()
    assert [e["detail"]["refunded_minor"] for e in timeline if e["kind"] == "edited"] == [5998]


def test_adding_a_line_takes_the_extra_from_a_card_and_changing_the_address_is_kept(client, db, sign_in):
    shop, order_id, _ = _order(client, db, quantity=1)
    staff = sign_in("owner@velvetine.lv")
    before = staff.get(f"/api/v1/orders/{order_id}").json()["total_minor"]

    no_card = staff.post(f"/api/v1/orders/{order_id}/edits", headers={"idempotency-key": "edit-add-mascara"},
                         json={"lines": [{"sku": "MASCARA-XL-01", "quantity": 1}]})
    edited = staff.post(f"/api/v1/orders/{order_id}/edits", headers={"idempotency-key": "edit-add-mascara-2"},
                        json={"lines": [{"sku": "MASCARA-XL-01", "quantity": 1}],
                              "address": {**ADDRESS, "line1": "Elizabetes iela 10", "phone": ""},
                              "card_number": TEST_CARD_APPROVE})

    assert no_card.status_code == 422 and no_card.json()["errors"][0]["loc"] == ["body", "card_number"]
    assert edited.status_code == 200, edited.text
    order = edited.json()["order"]
    assert edited.json()["charged_minor"] == 1999 and order["total_minor"] == before + 1999
    assert order["paid_minor"] == before + 1999 and order["delivery"]["address"]["line1"] == "Elizabetes iela 10"
    assert _available(db, shop.mascara, shop.warehouse).reserved == 1


def test_an_edit_after_picking_started_is_refused(client, db, sign_in):
    _, order_id, _ = _order(client, db, quantity=2)
    with db.transaction() as s:
        order = ordering_service.get_order(session=s, order_id=uuid.UUID(order_id))
        ordering_service.move(session=s, order=order, to=OrderStatus.PICKING, actor="staff:picker@velvetine.lv")
    staff = sign_in("owner@velvetine.lv")

    refused = staff.post(f"/api/v1/orders/{order_id}/edits", headers={"idempotency-key": "edit-too-late"},
                         json={"lines": [{"sku": "SERUM-GLOW-30", "quantity": 1}]})

    assert refused.status_code == 409 and refused.json()["type"] == "ordering/transition-not-allowed"
    assert staff.get(f"/api/v1/orders/{order_id}").json()["total_minor"] == 2 * 2999


def _pdf_text(data: bytes) -> str:
    chunks = [data.decode("latin-1")]
    for raw in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(raw).decode("latin-1"))
        except zlib.error:
            chunks.append(raw.decode("latin-1"))
    return "\n".join(chunks)


def test_the_receipt_is_a_pdf_with_the_order_number_and_can_be_emailed(client, db, sign_in, dispatcher, smtp):
    _, order_id, _ = _order(client, db, quantity=1)
    staff = sign_in("owner@velvetine.lv")
    number = staff.get(f"/api/v1/orders/{order_id}").json()["number"]

    pdf = staff.get(f"/api/v1/orders/{order_id}/receipt.pdf")
    sent = staff.post(f"/api/v1/orders/{order_id}/receipt/email", json={})
    dispatcher.drain()

    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert f"({number}) Tj" in _pdf_text(pdf.content) or f"Receipt {number}" in _pdf_text(pdf.content)
    assert sent.status_code == 202 and sent.json()["to"] == "anna@shop.example.com"
    mail = smtp.wait_for("anna@shop.example.com")
    assert number in mail["Subject"] and "SERUM-GLOW-30" in smtp.body(mail)
