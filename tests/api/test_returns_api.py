"""Returns over HTTP: an online order comes back at a store and restocks THAT store while the card is refunded; a
POS cash sale comes back by post and the cash goes to store credit, as the policy says; a refusal explains itself."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import ADDRESS, retailer

from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role
from omniretail.inventory import service as inventory_service
from omniretail.ordering import service as ordering_service
from omniretail.ordering.rules import OrderStatus
from omniretail.payments import gateways as gw
from omniretail.payments import service as payments_service
from omniretail.payments.rules import TEST_CARD_APPROVE
from omniretail.returns.events import ReturnCompleted


def _web_order(client, sku: str = "SERUM-GLOW-30", quantity: int = 2) -> str:
    created = client.post("/api/v1/carts", json={"channel": "web-eu"}).json()
    client.cookies.clear()
    headers = {"x-cart-token": created["token"]}
    client.post(f"/api/v1/carts/{created['id']}/lines", json={"sku": sku, "quantity": quantity}, headers=headers)
    client.put(f"/api/v1/carts/{created['id']}/delivery", headers=headers,
               json={"method": "courier", "address": ADDRESS, "email": "anna@shop.example.com"})
    placed = client.post(f"/api/v1/carts/{created['id']}/checkout",
                         headers={**headers, "idempotency-key": f"ret-{created['id']}"},
                         json={"tenders": [{"method": "card", "card_number": TEST_CARD_APPROVE}]})
    assert placed.status_code == 201, placed.text
    return str(placed.json()["order_id"])


def _deliver(db, order_id: str) -> None:
    with db.transaction() as s:
        order = ordering_service.get_order(session=s, order_id=uuid.UUID(order_id))
        for step in (OrderStatus.PICKING, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
            ordering_service.move(session=s, order=order, to=step, actor="test")


def _on_hand(db, variant_id, location_id) -> int:
    with db.transaction() as s:
        found = inventory_service.availability(session=s, variant_ids=[variant_id], location_ids=[location_id])
        return found[0].on_hand


def _outbox_returns(db) -> list[dict]:
    from sqlalchemy import select

    from omniretail.kernel.outbox import OutboxEvent

    with db.transaction() as s:
        return [e.payload for e in s.scalars(select(OutboxEvent).where(
            OutboxEvent.event_type == ReturnCompleted.event_name))]


def test_an_online_order_returned_at_a_riga_store_restocks_that_store_and_refunds_the_card(client, db, sign_in):
    with db.transaction() as s:
        shop = retailer(s)
    order_id = _web_order(client)
    _deliver(db, order_id)
    riga_before = _on_hand(db, shop.serum, shop.riga)
    clerk = sign_in("kasiere@shop.example.com", Grant(Role.STORE_MANAGER, shop.riga))

    opened = clerk.post("/api/v1/returns", json={
        "order_id": order_id, "via": "store", "location_id": str(shop.riga),
        "lines": [{"variant_id": str(shop.serum), "quantity": 1, "reason": "wrong_shade"}]})
    assert opened.status_code == 201, opened.text
    assert opened.json()["rma"].startswith("RMA") and opened.json()["refund_minor"] == 2999
    received = clerk.post(f"/api/v1/returns/{opened.json()['id']}/receive", json={
        "location_id": str(shop.riga), "lines": [{"variant_id": str(shop.serum), "condition": "resellable"}]})
    again = clerk.post(f"/api/v1/returns/{opened.json()['id']}/receive", json={"location_id": str(shop.riga)})

    assert received.status_code == 200, received.text
    assert received.json()["status"] == "completed" and received.json()["lines"][0]["outcome"] == "restocked"
    assert again.status_code == 200 and again.json()["refund_minor"] == 2999
    assert _on_hand(db, shop.serum, shop.riga) == riga_before + 1
    refunded = [c.refunded_minor for c in gw.test_card().charges_for("ret-") if c.refunded_minor]
    assert 2999 in refunded
    with db.transaction() as s:
        order = ordering_service.get_order(session=s, order_id=uuid.UUID(order_id))
        assert order.refunded_minor == 2999 and order.status == "partially_refunded"
    events = _outbox_returns(db)
    assert len(events) == 1 and events[0]["lines"][0]["refund_minor"] == 2999
    label = clerk.get(f"/api/v1/returns/{opened.json()['id']}/label.pdf")
    assert label.status_code == 200 and label.content.startswith(b"%PDF")


def test_a_pos_cash_sale_returned_by_post_refunds_the_cash_to_store_credit(client, db, sign_in):
    with db.transaction() as s:
        shop = retailer(s)
        ilze = identity_service.sign_up_customer(session=s, email="ilze@shop.example.com", password="velvet-lips-07",
                                                 name="Ilze", locale="lv").id
    cashier = sign_in("kasiere@shop.example.com", Grant(Role.STORE_MANAGER, shop.riga))
    cashier.post("/api/v1/pos/sessions", json={"location_id": str(shop.riga), "opening_float_minor": 10000})
    cart_id = cashier.post("/api/v1/carts", json={"channel": "pos-riga", "location_id": str(shop.riga)}).json()["id"]
    cashier.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": "LIP-VELVET-07", "quantity": 1})
    sale = cashier.post(f"/api/v1/carts/{cart_id}/checkout", headers={"idempotency-key": f"pos-{cart_id}"},
                        json={"tenders": [{"method": "cash", "cash_tendered_minor": 2000}]})
    assert sale.status_code == 201, sale.text
    order_id = sale.json()["order_id"]
    warehouse_before = _on_hand(db, shop.lipstick, shop.warehouse)
    support = sign_in("support@shop.example.com", Grant(Role.OWNER))

    opened = support.post("/api/v1/returns", json={
        "order_id": order_id, "via": "post", "customer_id": str(ilze), "location_id": str(shop.warehouse),
        "lines": [{"variant_id": str(shop.lipstick), "quantity": 1, "reason": "changed_mind"}]})
    assert opened.status_code == 201, opened.text
    received = support.post(f"/api/v1/returns/{opened.json()['id']}/receive", json={
        "location_id": str(shop.warehouse), "lines": [{"variant_id": str(shop.lipstick), "condition": "opened"}]})

    assert received.status_code == 200, received.text
    assert received.json()["status"] == "completed"
    assert _on_hand(db, shop.lipstick, shop.warehouse) == warehouse_before + 1
    with db.transaction() as s:
        credit = payments_service.store_credit_account(session=s, customer_id=ilze, currency="EUR")
        assert payments_service.balance(session=s, account_id=credit.id) == 1499


def test_a_refused_return_says_why_and_a_shopper_cannot_return_someone_elses_order(client, db, sign_in):
    with db.transaction() as s:
        shop = retailer(s)
    order_id = _web_order(client)
    staff = sign_in("owner@shop.example.com")

    not_yet = staff.post("/api/v1/returns", json={
        "order_id": order_id, "via": "support",
        "lines": [{"variant_id": str(shop.serum), "quantity": 5, "reason": "other"}]})
    client.cookies.clear()
    signup = client.post("/api/v1/auth/signup", json={"email": "maris@shop.example.com",
                                                      "password": "velvet-lipstick-07", "name": "Maris"})
    assert signup.status_code in (200, 201)
    login = client.post("/api/v1/auth/login", json={"email": "maris@shop.example.com",
                                                    "password": "velvet-lipstick-07", "kind": "customer"})
    stranger = client.post("/api/v1/me/returns", headers={"x-csrf-token": login.json()["csrf_token"]}, json={
        "order_id": order_id, "lines": [{"variant_id": str(shop.serum), "quantity": 1, "reason": "other"}]})
    bad = client.post("/api/v1/me/returns", headers={"x-csrf-token": login.json()["csrf_token"]},
                      json={"order_id": "nope", "lines": []})

    assert not_yet.status_code == 422 and not_yet.headers["content-type"].startswith("application/problem+json")
    assert "only delivered or collected" in not_yet.json()["detail"] and "only 2 can" in not_yet.json()["detail"]
    assert stranger.status_code == 404
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")


def test_an_exchange_for_a_dearer_item_takes_the_difference_from_store_credit_and_damaged_goods_are_written_off(
        client, db, sign_in):
    with db.transaction() as s:
        shop = retailer(s)
    client.cookies.clear()
    signup = client.post("/api/v1/auth/signup", json={"email": "liga@shop.example.com", "password": "velvet-lips-07",
                                                      "name": "Līga"})
    assert signup.status_code in (200, 201), signup.text
    login = client.post("/api/v1/auth/login", json={"email": "liga@shop.example.com", "password": "velvet-lips-07",
                                                    "kind": "customer"})
    csrf = {"x-csrf-token": login.json()["csrf_token"]}
    cart_id = client.post("/api/v1/carts", json={"channel": "web-eu"}, headers=csrf).json()["id"]
    client.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": "LIP-VELVET-07", "quantity": 2}, headers=csrf)
    client.put(f"/api/v1/carts/{cart_id}/delivery", headers=csrf, json={"method": "courier", "address": ADDRESS})
    order_id = client.post(f"/api/v1/carts/{cart_id}/checkout", headers={**csrf, "idempotency-key": f"x-{cart_id}"},
                           json={"tenders": [{"method": "card", "card_number": TEST_CARD_APPROVE}]}).json()["order_id"]
    _deliver(db, order_id)
    customer_id = client.get("/api/v1/me/orders").json()["items"][0]["customer_id"]
    with db.transaction() as s:
        credit = payments_service.store_credit_account(session=s, customer_id=uuid.UUID(customer_id), currency="EUR")
        payments_service.post(session=s, account_id=credit.id, amount_minor=1000, ref="goodwill-1", reason="grant")
    asked = client.post("/api/v1/me/returns", headers=csrf, json={
        "order_id": order_id, "refund_method": "exchange",
        "lines": [{"variant_id": str(shop.lipstick), "quantity": 1, "reason": "wrong_shade",
                   "exchange_variant_id": str(shop.mascara)}]})
    assert asked.status_code == 201, asked.text
    dc_mascara = _on_hand(db, shop.mascara, shop.warehouse)
    dc_lipstick = _on_hand(db, shop.lipstick, shop.warehouse)
    staff = sign_in("owner@shop.example.com")

    received = staff.post(f"/api/v1/returns/{asked.json()['id']}/receive", json={
        "location_id": str(shop.warehouse), "lines": [{"variant_id": str(shop.lipstick), "condition": "damaged"}]})

    assert received.status_code == 200, received.text
    assert received.json()["collected_minor"] == 1999 - 1499 and received.json()["refund_minor"] == 0
    assert received.json()["lines"][0]["outcome"] == "written_off"
    assert _on_hand(db, shop.lipstick, shop.warehouse) == dc_lipstick
    assert _on_hand(db, shop.mascara, shop.warehouse) == dc_mascara - 1
    with db.transaction() as s:
        assert payments_service.balance(session=s, account_id=credit.id) == 500
    assert staff.get("/api/v1/returns/reasons").json() == {"wrong_shade": 1}
