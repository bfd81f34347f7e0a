"""A guest cart claimed at sign-in merges its lines into the customer's cart; cash in and out and over/short on
the POS drawer's Z-report."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import retailer

from omniretail.identity.rules import Grant, Role


def test_a_guest_cart_claimed_at_sign_in_merges_its_lines_into_the_customer_s_cart(client, db):
    with db.transaction() as s:
        retailer(s)
    client.post("/api/v1/auth/signup", json={"email": "ilze@shop.example.com", "password": "velvet-lipstick-07",
                                             "name": "Ilze"})
    login = client.post("/api/v1/auth/login", json={"email": "ilze@shop.example.com",
                                                    "password": "velvet-lipstick-07", "kind": "customer"})
    csrf = {"x-csrf-token": login.json()["csrf_token"]}
    mine = client.post("/api/v1/carts", json={"channel": "web-eu"}, headers=csrf).json()["id"]
    client.post(f"/api/v1/carts/{mine}/lines", json={"sku": "LIP-VELVET-07", "quantity": 1}, headers=csrf)
    cookies = dict(client.cookies)
    client.cookies.clear()
    guest = client.post("/api/v1/carts", json={"channel": "web-eu"}).json()
    client.cookies.clear()
    token = {"x-cart-token": guest["token"]}
    client.post(f"/api/v1/carts/{guest['id']}/lines", json={"sku": "LIP-VELVET-07", "quantity": 2}, headers=token)
    client.post(f"/api/v1/carts/{guest['id']}/lines", json={"sku": "SERUM-GLOW-30", "quantity": 1}, headers=token)
    client.cookies.update(cookies)

    claimed = client.post(f"/api/v1/carts/{guest['id']}/claim", headers={**csrf, **token})

    assert claimed.status_code == 200, claimed.text
    assert claimed.json()["id"] == mine
    assert sorted((ln["sku"], ln["quantity"]) for ln in claimed.json()["lines"]) == [
        ("LIP-VELVET-07", 2), ("SERUM-GLOW-30", 1)]
    assert client.get(f"/api/v1/carts/{mine}", headers=csrf).json()["lines"] == claimed.json()["lines"]


def test_cash_in_and_out_and_a_short_count_show_on_the_z_report(client, db, sign_in):
    with db.transaction() as s:
        shop = retailer(s)
    lead = sign_in("vaditaja@velvetine.lv", Grant(Role.STORE_MANAGER, shop.riga))
    drawer = lead.post("/api/v1/pos/sessions", json={"location_id": str(shop.riga), "opening_float_minor": 10000})
    drawer_id = drawer.json()["id"]
    cart_id = lead.post("/api/v1/carts", json={"channel": "pos-riga", "location_id": str(shop.riga)}).json()["id"]
    lead.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": "SERUM-GLOW-30", "quantity": 1})
    sale = lead.post(f"/api/v1/carts/{cart_id}/checkout", headers={"idempotency-key": f"pos-{cart_id}"},
                     json={"tenders": [{"method": "cash", "cash_tendered_minor": 5000}]})
    assert sale.status_code == 201, sale.text

    cash_in = lead.post(f"/api/v1/pos/sessions/{drawer_id}/cash", json={"amount_minor": 2000,
                                                                         "reason": "change float top-up"})
    cash_out = lead.post(f"/api/v1/pos/sessions/{drawer_id}/cash", json={"amount_minor": -1500,
                                                                          "reason": "bank drop"})
    expected = 10000 + 5000 - 2001 + 2000 - 1500
    z = lead.post(f"/api/v1/pos/sessions/{drawer_id}/close", json={"counted_minor": expected - 150})

    assert cash_in.status_code == 201 and cash_out.status_code == 201
    report = z.json()
    assert report["cash_by_kind"] == {"float": 10000, "sale": 5000, "change": -2001, "cash_in": 2000,
                                      "cash_out": -1500}
    assert report["expected_cash_minor"] == expected and report["counted_cash_minor"] == expected - 150
    assert report["over_short_minor"] == -150
    assert lead.post(f"/api/v1/pos/sessions/{drawer_id}/cash", json={"amount_minor": 100,
                                                                      "reason": "late"}).status_code == 409
