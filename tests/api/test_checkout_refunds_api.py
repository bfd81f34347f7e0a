"""Refunds, cancellation and gateway webhooks over HTTP: one refund per Idempotency-Key, problem+json on a bad
signature, one stored event per gateway event id."""

from __future__ import annotations

import json
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import ADDRESS, retailer

from omniretail.payments import gateways as gw
from omniretail.payments.rules import TEST_CARD_APPROVE


def _paid_order(client, db):
    with db.transaction() as s:
        retailer(s)
    created = client.post("/api/v1/carts", json={"channel": "web-eu"}).json()
    client.cookies.clear()
    headers = {"x-cart-token": created["token"]}
    client.post(f"/api/v1/carts/{created['id']}/lines", json={"sku": "SERUM-GLOW-30", "quantity": 1}, headers=headers)
    client.put(f"/api/v1/carts/{created['id']}/delivery", headers=headers,
               json={"method": "courier", "address": ADDRESS, "email": "anna@example.lv"})
    placed = client.post(f"/api/v1/carts/{created['id']}/checkout",
                         headers={**headers, "idempotency-key": f"api-{created['id']}"},
                         json={"tenders": [{"method": "card", "card_number": TEST_CARD_APPROVE}]})
    assert placed.status_code == 201, placed.text
    return placed.json()["order_id"]


def _card_payment_id(db, order_id):
    from omniretail.payments import service as payments_service

    with db.transaction() as s:
        return payments_service.payments_of(session=s, order_id=uuid.UUID(order_id))[0].id


def test_a_staff_refund_sent_twice_with_the_same_idempotency_key_refunds_the_serum_once(client, db, sign_in):
    order_id = _paid_order(client, db)
    payment_id = _card_payment_id(db, order_id)
    staff = sign_in("owner@velvetine.lv")

    first = staff.post(f"/api/v1/payments/{payment_id}/refunds", json={"amount_minor": 999},
                       headers={"idempotency-key": "refund-serum-1"})
    again = staff.post(f"/api/v1/payments/{payment_id}/refunds", json={"amount_minor": 999},
                       headers={"idempotency-key": "refund-serum-1"})

    assert first.status_code == 201, first.text
    assert again.json() == first.json() and first.json()[0]["status"] == "completed"
    refunds = [c.refunded_minor for c in gw.test_card().charges_for("api-") if c.refunded_minor]
    assert 999 in refunds


def test_cancelling_over_http_twice_refunds_once_and_the_order_is_cancelled(client, db, sign_in):
    order_id = _paid_order(client, db)
    staff = sign_in("owner@velvetine.lv")

    first = staff.post(f"/api/v1/orders/{order_id}/cancel", json={"reason": "changed mind"},
                       headers={"idempotency-key": "cancel-serum-1"})
    again = staff.post(f"/api/v1/orders/{order_id}/cancel", json={"reason": "changed mind"},
                       headers={"idempotency-key": "cancel-serum-1"})

    assert first.status_code == 200, first.text
    assert again.status_code == 200 and again.json()["status"] == "cancelled"
    assert again.json()["refunded_minor"] == again.json()["total_minor"]


def test_a_gateway_webhook_is_kept_once_per_event_id_and_a_bad_signature_is_a_400(client, db):
    body = json.dumps({"id": "evt_0001", "type": "charge.succeeded", "data": {"reference": "tc_1"}}).encode()
    signature = gw.test_card().sign(body)

    first = client.post("/api/v1/payments/webhooks/test_card", content=body, headers={"x-signature": signature})
    again = client.post("/api/v1/payments/webhooks/test_card", content=body, headers={"x-signature": signature})
    forged = client.post("/api/v1/payments/webhooks/test_card", content=body, headers={"x-signature": "0" * 64})

    assert first.status_code == 200 and first.json() == {"received": True, "duplicate": False}
    assert again.json() == {"received": True, "duplicate": True}
    assert forged.status_code == 400
    assert forged.headers["content-type"].startswith("application/problem+json")
