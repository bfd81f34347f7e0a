"""The one order path over HTTP: web delivery, click and collect, a POS sale with cash and a gift card, and a
marketplace order, all on the same order list with their channel and location."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import ADDRESS, retailer

from omniretail.identity.rules import Grant, Role
from omniretail.payments.rules import TEST_CARD_APPROVE


def _shop(db):
    with db.transaction() as s:
        return retailer(s)


def test_a_guest_buys_for_delivery(client, db, sign_in):
    shop = _shop(db)
    created = client.post("/api/v1/carts", json={"channel": "web-eu"})
    assert created.status_code == 201, created.text
    cart_id, token = created.json()["id"], created.json()["token"]
    client.cookies.clear()
    headers = {"x-cart-token": token}
    for sku in ("LIP-VELVET-07", "SERUM-GLOW-30", "MASCARA-XL-01"):
        assert client.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": sku, "quantity": 1},
                           headers=headers).status_code == 201
    options = client.get(f"/api/v1/carts/{cart_id}/delivery-options?country=LV", headers=headers).json()
    assert {q["method"] for q in options["shipping"]} >= {"courier", "post"}
    chosen = client.put(f"/api/v1/carts/{cart_id}/delivery", headers=headers,
                        json={"method": "courier", "address": ADDRESS, "email": "anna@example.lv"})
    assert chosen.status_code == 200, chosen.text
    assert chosen.json()["delivery"]["address"]["phone"] == "+37120000000"

    key = {**headers, "idempotency-key": "guest-" + cart_id}
    placed = client.post(f"/api/v1/carts/{cart_id}/checkout", headers=key,
                         json={"tenders": [{"method": "card", "card_number": TEST_CARD_APPROVE}]})

    assert placed.status_code == 201, placed.text
    staff = sign_in("owner@velvetine.lv")
    order = staff.get(f"/api/v1/orders/{placed.json()['order_id']}").json()
    assert order["channel_code"] == "web-eu" and order["location_id"] == str(shop.warehouse)
    assert order["status"] == "allocated"
    timeline = staff.get(f"/api/v1/orders/{order['id']}/timeline").json()
    assert [e["status"] for e in timeline] == ["placed", "paid", "allocated"]


def test_a_wrong_cart_token_sees_nothing_and_bad_input_is_a_problem_not_a_500(client, db):
    _shop(db)
    created = client.post("/api/v1/carts", json={"channel": "web-eu"}).json()
    cart_id = created["id"]
    client.cookies.clear()

    assert client.get(f"/api/v1/carts/{cart_id}", headers={"x-cart-token": "guess"}).status_code == 404
    bad = client.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": "", "quantity": -1},
                      headers={"x-cart-token": created["token"]})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")


def test_a_customer_buys_online_and_picks_up_in_a_store(client, db):
    shop = _shop(db)
    signup = client.post("/api/v1/auth/signup", json={"email": "ilze@example.lv", "password": "velvet-lipstick-07",
                                                      "name": "Ilze"})
    assert signup.status_code in (200, 201), signup.text
    login = client.post("/api/v1/auth/login", json={"email": "ilze@example.lv", "password": "velvet-lipstick-07",
                                                    "kind": "customer"})
    assert login.status_code == 200, login.text
    csrf = {"x-csrf-token": login.json()["csrf_token"]}
    cart_id = client.post("/api/v1/carts", json={"channel": "web-eu"}, headers=csrf).json()["id"]
    client.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": "LIP-VELVET-07", "quantity": 2}, headers=csrf)
    stores = client.get(f"/api/v1/carts/{cart_id}/delivery-options?latitude=56.95&longitude=24.1").json()
    assert stores["pickup_stores"][0]["code"] == "RIGA-CENTRS" and stores["pickup_stores"][0]["has_everything"]
    client.put(f"/api/v1/carts/{cart_id}/delivery", headers=csrf,
               json={"method": "click_and_collect", "location_id": str(shop.riga)})

    placed = client.post(f"/api/v1/carts/{cart_id}/checkout", headers={**csrf, "idempotency-key": f"cc-{cart_id}"},
                         json={"tenders": [{"method": "card", "card_number": TEST_CARD_APPROVE}]})

    assert placed.status_code == 201, placed.text
    mine = client.get("/api/v1/me/orders").json()["items"]
    assert [o["id"] for o in mine] == [placed.json()["order_id"]]
    assert mine[0]["location_id"] == str(shop.riga) and mine[0]["sourcing"]["rule"] == "chosen_store"


def test_a_cashier_sells_with_cash_and_a_gift_card_and_prints_a_receipt(client, db, sign_in):
    shop = _shop(db)
    cashier = sign_in("kasiere@velvetine.lv", Grant(Role.STORE_MANAGER, shop.riga))
    drawer = cashier.post("/api/v1/pos/sessions", json={"location_id": str(shop.riga), "opening_float_minor": 10000})
    assert drawer.status_code == 201, drawer.text
    code = cashier.post("/api/v1/gift-cards", json={"amount_minor": 1000, "currency": "EUR"}).json()["code"]
    cart_id = cashier.post("/api/v1/carts", json={"channel": "pos-riga", "location_id": str(shop.riga)}).json()["id"]
    cashier.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": "SERUM-GLOW-30", "quantity": 1})

    sale = cashier.post(f"/api/v1/carts/{cart_id}/checkout", headers={"idempotency-key": f"pos-{cart_id}"},
                        json={"tenders": [{"method": "gift_card", "gift_card_code": code, "amount_minor": 1000},
                                          {"method": "cash", "cash_tendered_minor": 2000}]})

    assert sale.status_code == 201, sale.text
    order_id = sale.json()["order_id"]
    receipt = cashier.get(f"/api/v1/orders/{order_id}/receipt").json()
    assert receipt["change_minor"] == 1 and receipt["total_minor"] == 2999
    text = cashier.get(f"/api/v1/orders/{order_id}/receipt?format=text").text
    assert "Change" in text and "Gift Card" in text and max(len(x) for x in text.split("\n")[1:-4]) <= 48
    order = cashier.get(f"/api/v1/orders/{order_id}").json()
    assert order["status"] == "picked_up" and order["number"].startswith("S-")  # a till sale reads S-, not W-
    z = cashier.post(f"/api/v1/pos/sessions/{drawer.json()['id']}/close", json={"counted_minor": 11999})
    assert z.status_code == 200, z.text
    assert z.json()["expected_cash_minor"] == 10000 + 2000 - 1 and z.json()["over_short_minor"] == 0


def test_a_marketplace_order_lands_on_the_same_order_list(client, db, sign_in):
    shop = _shop(db)
    owner = sign_in("owner@velvetine.lv")
    body = {"external_id": "MX-1001", "channel": "marketplace-x", "lines": [{"sku": "MASCARA-XL-01", "quantity": 1}],
            "address": ADDRESS}

    first = owner.post("/api/v1/integrations/marketx/orders", json=body)
    again = owner.post("/api/v1/integrations/marketx/orders", json=body)

    assert first.status_code == 201, first.text
    assert again.json()["order_id"] == first.json()["order_id"] and again.json()["replayed"]
    orders = owner.get("/api/v1/orders").json()["items"]
    assert [(o["channel_code"], o["location_id"]) for o in orders] == [("marketplace-x", str(shop.warehouse))]


def test_staff_see_orders_only_at_their_stores(client, db, sign_in):
    shop = _shop(db)
    owner = sign_in("owner@velvetine.lv")
    owner.post("/api/v1/integrations/marketx/orders", json={
        "external_id": f"MX-{uuid.uuid4()}", "channel": "marketplace-x",
        "lines": [{"sku": "MASCARA-XL-01", "quantity": 1}], "address": ADDRESS})
    clerk = sign_in("clerk@velvetine.lv", Grant(Role.CASHIER, shop.riga))

    assert clerk.get("/api/v1/orders").json()["items"] == []
