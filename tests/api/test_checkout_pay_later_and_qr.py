"""Pay later and QR payments over HTTP: installments captured by the job as the clock moves (a declined one raises
``InstallmentFailed`` and is retried per the policy), and a QR payment confirmed from the "phone" completes the
order when the checkout is placed again with the same Idempotency-Key."""

from __future__ import annotations

import re
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import ADDRESS, retailer
from sqlalchemy import select

from omniretail.kernel import clock
from omniretail.kernel.outbox import OutboxEvent
from omniretail.payments import installments
from omniretail.payments import service as payments_service
from omniretail.payments.rules import TEST_CARD_APPROVE, TEST_CARD_LATER_DECLINE


def _cart(client, db, sku="SERUM-GLOW-30", quantity=2):
    with db.transaction() as s:
        retailer(s)
    created = client.post("/api/v1/carts", json={"channel": "web-eu"}).json()
    client.cookies.clear()
    headers = {"x-cart-token": created["token"]}
    client.post(f"/api/v1/carts/{created['id']}/lines", json={"sku": sku, "quantity": quantity}, headers=headers)
    chosen = client.put(f"/api/v1/carts/{created['id']}/delivery", headers=headers,
                        json={"method": "courier", "address": ADDRESS, "email": "anna@shop.example.com"})
    assert chosen.status_code == 200, chosen.text
    return created["id"], headers


def _events(db, name):
    with db.transaction(read_only=True) as s:
        return [e.payload for e in s.scalars(select(OutboxEvent).where(OutboxEvent.event_type.like(f"%{name}")))]


def test_pay_later_in_four_installments_is_captured_by_the_job_as_the_weeks_pass(client, db, sign_in, dispatcher):
    clock.freeze(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    cart_id, headers = _cart(client, db)
    placed = client.post(f"/api/v1/carts/{cart_id}/checkout", headers={**headers, "idempotency-key": f"bnpl-{cart_id}"},
                         json={"tenders": [{"method": "pay_later", "card_number": TEST_CARD_APPROVE,
                                            "installments": 4}]})
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["order_id"]
    staff = sign_in("owner@velvetine.lv")

    plan = staff.get(f"/api/v1/orders/{order_id}/installments").json()
    assert [i["status"] for i in plan] == ["captured", "scheduled", "scheduled", "scheduled"]
    assert sum(i["amount_minor"] for i in plan) == staff.get(f"/api/v1/orders/{order_id}").json()["total_minor"]

    assert installments.run(db=db).captured == 0
    clock.advance(timedelta(days=14, minutes=1))
    assert installments.run(db=db).captured == 1
    clock.advance(timedelta(days=28))
    assert installments.run(db=db).captured == 2
    dispatcher.drain()
    staff = sign_in("accounts@velvetine.lv")  # the first sign-in has expired six weeks later

    plan = staff.get(f"/api/v1/orders/{order_id}/installments").json()
    assert [i["status"] for i in plan] == ["captured"] * 4
    kinds = [e["kind"] for e in staff.get(f"/api/v1/orders/{order_id}/timeline").json()]
    assert kinds.count("installment_captured") == 3


def test_a_declined_installment_raises_its_event_and_is_retried_then_given_up(client, db, sign_in, dispatcher):
    clock.freeze(datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    cart_id, headers = _cart(client, db)
    placed = client.post(f"/api/v1/carts/{cart_id}/checkout", headers={**headers, "idempotency-key": f"bnpl-{cart_id}"},
                         json={"tenders": [{"method": "pay_later", "card_number": TEST_CARD_LATER_DECLINE,
                                            "installments": 3}]})
    assert placed.status_code == 201, placed.text
    order_id = placed.json()["order_id"]

    clock.advance(timedelta(days=14, minutes=1))
    assert installments.run(db=db).failed == 1
    with db.transaction(read_only=True) as s:
        second = payments_service.installments_of(session=s, order_id=uuid.UUID(order_id))[1]
        assert (second.status, second.attempts, second.last_error) == ("scheduled", 1, "insufficient funds")
    assert installments.run(db=db).failed == 0  # not again before the retry is due
    clock.advance(timedelta(days=1, minutes=1))
    assert installments.run(db=db).failed == 1
    clock.advance(timedelta(days=1, minutes=1))
    assert installments.run(db=db).failed == 1
    dispatcher.drain()
    staff = sign_in("accounts@velvetine.lv")

    failed = [e for e in _events(db, "InstallmentFailed") if e["order_id"] == order_id]
    assert [(e["attempt"], e["final"]) for e in failed] == [(1, False), (2, False), (3, True)]
    assert staff.get(f"/api/v1/orders/{order_id}/installments").json()[1]["status"] == "failed"
    timeline = staff.get(f"/api/v1/orders/{order_id}/timeline").json()
    assert [e["detail"]["attempt"] for e in timeline if e["kind"] == "installment_failed"] == [1, 2, 3]


def test_a_qr_payment_confirmed_on_the_phone_completes_the_order(client, db, sign_in):
    cart_id, headers = _cart(client, db)
    key = {**headers, "idempotency-key": f"qr-{cart_id}"}
    body = {"tenders": [{"method": "qr"}]}

    waiting = client.post(f"/api/v1/carts/{cart_id}/checkout", headers=key, json=body)

    assert waiting.status_code == 402 and waiting.json()["type"] == "payments/needs-action", waiting.text
    problem = waiting.json()
    code = client.get(problem["qr_svg"])
    assert code.status_code == 200 and code.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in code.content
    assert client.post(f"/api/v1/carts/{cart_id}/checkout", headers=key, json=body).status_code == 402

    phone = client.get(problem["next_action"])
    assert phone.status_code == 200 and "Confirm payment" in phone.text
    action = re.search(r'action="([^"]+)"', phone.text).group(1)
    confirmed = client.post(problem["next_action"].rsplit("/", 1)[0] + "/" + action, data={"ok": "1"})
    assert confirmed.status_code == 200 and "Paid" in confirmed.text
    placed = client.post(f"/api/v1/carts/{cart_id}/checkout", headers=key, json=body)

    assert placed.status_code == 201, placed.text
    again = client.post(f"/api/v1/carts/{cart_id}/checkout", headers=key, json=body)
    assert again.json()["order_id"] == placed.json()["order_id"] and again.json()["replayed"]
    order = sign_in("owner@velvetine.lv").get(f"/api/v1/orders/{placed.json()['order_id']}").json()
    assert order["status"] == "allocated" and order["paid_minor"] == order["total_minor"]


def test_a_tampered_qr_link_opens_nothing(client, db):
    cart_id, headers = _cart(client, db)
    waiting = client.post(f"/api/v1/carts/{cart_id}/checkout", headers={**headers, "idempotency-key": f"qr-{cart_id}"},
                          json={"tenders": [{"method": "qr"}]}).json()
    token = waiting["next_action"].rsplit("/", 1)[1]
    forged = f"{uuid.uuid4().hex}.{token.split('.')[1]}"

    response = client.post(f"/api/v1/payments/qr/{forged}/confirm")

    assert response.status_code == 404 and response.json()["type"] == "payments/qr-not-found"
