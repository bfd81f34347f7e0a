"""Loyalty over HTTP: points earned on a web order are spendable at a franchise store's till once the return
window closes, and the franchise owner's settlement report shows whose points were honoured where."""

from __future__ import annotations

import sys
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "promotions"))

from offers_factories import ADDRESS, franchise_store, programme, retailer

from omniretail.identity.rules import Grant, Role
from omniretail.kernel import clock
from omniretail.payments.rules import TEST_CARD_APPROVE

PASSWORD = "velvet-lipstick-07"


def shopper_buys_online(client) -> tuple[str, dict[str, str]]:
    signup = client.post("/api/v1/auth/signup", json={"email": "anna@shop.example.com", "password": PASSWORD,
                                                      "name": "Anna"})
    assert signup.status_code == 201, signup.text
    login = client.post("/api/v1/auth/login", json={"email": "anna@shop.example.com", "password": PASSWORD,
                                                    "kind": "customer"})
    csrf = {"x-csrf-token": login.json()["csrf_token"]}
    cart_id = client.post("/api/v1/carts", json={"channel": "web-eu"}, headers=csrf).json()["id"]
    client.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": "SERUM-GLOW-30", "quantity": 2}, headers=csrf)
    client.put(f"/api/v1/carts/{cart_id}/delivery", headers=csrf, json={"method": "courier", "address": ADDRESS})
    placed = client.post(f"/api/v1/carts/{cart_id}/checkout", headers={**csrf, "idempotency-key": f"web-{cart_id}"},
                         json={"tenders": [{"method": "card", "card_number": TEST_CARD_APPROVE}]})
    assert placed.status_code == 201, placed.text
    return signup.json()["id"], csrf


def test_web_points_are_spent_at_a_franchise_till_once_the_return_window_closes(client, db, sign_in, dispatcher):
    clock.freeze(clock.now())
    with db.transaction() as s:
        shop = retailer(s)
        programme(s)
        jurmala, _ = franchise_store(s, shop)
    anna, _ = shopper_buys_online(client)
    dispatcher.drain()
    mine = client.get("/api/v1/me/loyalty").json()["summary"]
    cashier = sign_in("kasiere@jurmala.shop.example.com", Grant(Role.CASHIER, jurmala))
    cart_id = cashier.post("/api/v1/carts", json={"channel": "pos-jurmala", "location_id": str(jurmala)}).json()["id"]
    cashier.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": "LIP-VELVET-07", "quantity": 1})

    too_early = cashier.client.put(f"/api/v1/carts/{cart_id}/points", headers=cashier.headers,
                                   json={"points": 59, "customer_id": anna})
    clock.advance(timedelta(days=30, seconds=1))
    cashier = sign_in("kasieris@jurmala.shop.example.com", Grant(Role.CASHIER, jurmala))  # the next shift
    chosen = cashier.client.put(f"/api/v1/carts/{cart_id}/points", headers=cashier.headers,
                                json={"points": 59, "customer_id": anna})
    sale = cashier.post(f"/api/v1/carts/{cart_id}/checkout", headers={"idempotency-key": f"pos-{cart_id}"},
                        json={"tenders": [{"method": "cash", "cash_tendered_minor": 2000}]})

    assert (mine["available"], mine["pending"]) == (0, 59)  # 2 x 29.99 EUR
    assert too_early.status_code == 409 and too_early.json()["type"] == "loyalty/not-enough-points"
    assert chosen.status_code == 200, chosen.text
    assert [(a["label"], a["amount_minor"], a["points"]) for a in chosen.json()["adjustments"]] == [
        ("59 points", -59, 59)]
    assert sale.status_code == 201, sale.text
    receipt = cashier.get(f"/api/v1/orders/{sale.json()['order_id']}/receipt").json()
    assert receipt["total_minor"] == 1499 - 59
    owner = sign_in("owner@velvetine.shop.example.com")
    account = owner.get(f"/api/v1/loyalty/accounts/{anna}").json()["summary"]
    assert (account["available"], account["pending"]) == (0, 0)
    franchisee = sign_in("franchise@jurmala.shop.example.com", Grant(Role.FRANCHISE_OWNER, jurmala))
    start, end = (clock.now() - timedelta(days=1)).date(), (clock.now() + timedelta(days=1)).date()
    report = franchisee.get(f"/api/v1/loyalty/settlement?from={start}&to={end}")
    assert report.status_code == 200, report.text
    assert [(r["earned_at"], r["redeemed_at"], r["points"], r["value_minor"]) for r in report.json()["rows"]] == [
        (str(shop.warehouse), str(jurmala), 59, 59)]


def test_a_stranger_cannot_spend_a_members_points_on_their_own_cart(client, db):
    with db.transaction() as s:
        shop = retailer(s)
        programme(s)
    created = client.post("/api/v1/carts", json={"channel": "web-eu"}).json()
    client.cookies.clear()

    spent = client.put(f"/api/v1/carts/{created['id']}/points", headers={"x-cart-token": created["token"]},
                       json={"points": 10, "customer_id": str(uuid.uuid4())})
    bad = client.put(f"/api/v1/carts/{created['id']}/points", headers={"x-cart-token": created["token"]},
                     json={"points": -1})

    assert spent.status_code == 403 and shop is not None
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
