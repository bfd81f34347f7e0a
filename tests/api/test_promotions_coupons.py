"""Promotions over HTTP: promotions and coupons as data, a once-per-customer coupon refused in a second channel,
a single-use coupon that two concurrent checkouts cannot both use, and a returned line that takes back exactly its
points and its share of the order discount."""

from __future__ import annotations

import sys
import threading
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "promotions"))

from offers_factories import ADDRESS, programme, retailer

from omniretail.identity.rules import Grant, Role
from omniretail.kernel.outbox import record
from omniretail.loyalty import service as loyalty_service
from omniretail.ordering import service as ordering_service
from omniretail.payments.rules import TEST_CARD_APPROVE
from omniretail.promotions import service as promotions_service
from omniretail.returns.events import ReturnCompleted, ReturnedLine

PASSWORD = "velvet-lipstick-07"
CARD = {"tenders": [{"method": "card", "card_number": TEST_CARD_APPROVE}]}


def _welcome(owner, **limits):
    created = owner.post("/api/v1/promotions", json={"name": "Welcome 10%", "kind": "percent_off",
                                                     "percent_bp": 1000, "requires_coupon": True, **limits})
    assert created.status_code == 201, created.text
    coupons = owner.post(f"/api/v1/promotions/{created.json()['id']}/coupons", json={"code": "WELCOME10"})
    assert coupons.status_code == 201, coupons.text
    return created.json()["id"]


def _guest_cart(client, skus=("LIP-VELVET-07",)):
    created = client.post("/api/v1/carts", json={"channel": "web-eu"}).json()
    headers = {"x-cart-token": created["token"]}
    for sku in skus:
        client.post(f"/api/v1/carts/{created['id']}/lines", json={"sku": sku, "quantity": 1}, headers=headers)
    client.put(f"/api/v1/carts/{created['id']}/delivery", headers=headers,
               json={"method": "courier", "address": ADDRESS, "email": "guest@shop.example.com"})
    return created["id"], headers


def test_managing_promotions_needs_the_permission_and_bad_input_is_a_problem(client, db, sign_in):
    with db.transaction() as s:
        shop = retailer(s)
    clerk = sign_in("clerk@velvetine.shop.example.com", Grant(Role.CASHIER, shop.riga))
    refused = clerk.post("/api/v1/promotions", json={"name": "Mine", "kind": "percent_off", "percent_bp": 5000})
    owner = sign_in("owner@velvetine.shop.example.com")

    bad = owner.post("/api/v1/promotions", json={"name": "Odd", "kind": "percent_off", "percent_bp": 0})
    batch = owner.post(f"/api/v1/promotions/{_welcome(owner)}/coupons", json={"count": 50, "prefix": "bf-"})

    assert refused.status_code == 403
    assert bad.status_code == 422 and bad.json()["errors"][0]["loc"] == ["body", "percent_bp"]
    codes = batch.json()["codes"]
    assert len(set(codes)) == 50 and all(c.startswith("BF-") for c in codes)
    assert [p["name"] for p in owner.get("/api/v1/promotions").json()] == ["Welcome 10%"]


def test_a_once_per_customer_coupon_is_refused_on_the_second_use_in_another_channel(client, db, sign_in):
    with db.transaction() as s:
        shop = retailer(s)
    _welcome(sign_in("owner@velvetine.shop.example.com"), per_customer_limit=1)
    client.cookies.clear()
    signup = client.post("/api/v1/auth/signup", json={"email": "ilze@shop.example.com", "password": PASSWORD,
                                                      "name": "Ilze"})
    csrf = {"x-csrf-token": client.post("/api/v1/auth/login", json={
        "email": "ilze@shop.example.com", "password": PASSWORD, "kind": "customer"}).json()["csrf_token"]}
    cart_id = client.post("/api/v1/carts", json={"channel": "web-eu"}, headers=csrf).json()["id"]
    client.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": "SERUM-GLOW-30", "quantity": 1}, headers=csrf)
    client.put(f"/api/v1/carts/{cart_id}/delivery", headers=csrf, json={"method": "courier", "address": ADDRESS})
    applied = client.post(f"/api/v1/carts/{cart_id}/coupons", json={"code": "welcome10"}, headers=csrf)
    placed = client.post(f"/api/v1/carts/{cart_id}/checkout", headers={**csrf, "idempotency-key": f"w-{cart_id}"},
                         json=CARD)

    cashier = sign_in("kasiere@velvetine.shop.example.com", Grant(Role.CASHIER, shop.riga))
    till = cashier.post("/api/v1/carts", json={"channel": "pos-riga", "location_id": str(shop.riga)}).json()["id"]
    cashier.post(f"/api/v1/carts/{till}/lines", json={"sku": "SERUM-GLOW-30", "quantity": 1})
    again = cashier.post(f"/api/v1/carts/{till}/coupons",
                         json={"code": "WELCOME10", "customer_id": signup.json()["id"]})

    assert applied.status_code == 201, applied.text
    assert applied.json()["adjustments"][0]["reason"] == "Welcome 10%: 3.00 EUR off"
    assert placed.status_code == 201, placed.text
    assert again.status_code == 409 and again.json()["type"] == "promotions/coupon-already-used"
    assert again.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_two_concurrent_checkouts_cannot_both_use_a_single_use_coupon(client, db, sign_in):
    with db.transaction() as s:
        retailer(s)
    owner = sign_in("owner@velvetine.shop.example.com")
    promotion_id = _welcome(owner)
    [code] = owner.post(f"/api/v1/promotions/{promotion_id}/coupons", json={"count": 1}).json()["codes"]
    client.cookies.clear()
    carts = [_guest_cart(client) for _ in range(2)]
    for cart_id, headers in carts:
        assert client.post(f"/api/v1/carts/{cart_id}/coupons", json={"code": code}, headers=headers).status_code == 201
    start, results = threading.Barrier(2), []

    def checkout(cart_id: str, headers: dict[str, str]) -> None:
        start.wait()
        results.append(client.post(f"/api/v1/carts/{cart_id}/checkout", json=CARD,
                                   headers={**headers, "idempotency-key": f"race-{cart_id}"}))

    threads = [threading.Thread(target=checkout, args=cart) for cart in carts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(r.status_code for r in results) == [201, 409], [r.text for r in results]
    assert [r.json()["type"] for r in results if r.status_code == 409] == ["promotions/coupon-exhausted"]
    orders = [r.json()["order_id"] for r in results if r.status_code == 201]
    with db.transaction() as s:
        order = ordering_service.get_order(session=s, order_id=uuid.UUID(orders[0]))
        assert order.discount_minor == 150


def test_a_returned_line_takes_back_exactly_its_points_and_its_share_of_the_discount(client, db, sign_in,
                                                                                   dispatcher):
    with db.transaction() as s:
        shop = retailer(s)
        programme(s)
    _welcome(sign_in("owner@velvetine.shop.example.com"))
    client.cookies.clear()
    signup = client.post("/api/v1/auth/signup", json={"email": "liga@shop.example.com", "password": PASSWORD,
                                                      "name": "Liga"})
    liga = uuid.UUID(signup.json()["id"])
    csrf = {"x-csrf-token": client.post("/api/v1/auth/login", json={
        "email": "liga@shop.example.com", "password": PASSWORD, "kind": "customer"}).json()["csrf_token"]}
    cart_id = client.post("/api/v1/carts", json={"channel": "web-eu"}, headers=csrf).json()["id"]
    client.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": "LIP-VELVET-07", "quantity": 3}, headers=csrf)
    client.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": "MASCARA-XL-01", "quantity": 1}, headers=csrf)
    client.put(f"/api/v1/carts/{cart_id}/delivery", headers=csrf, json={"method": "courier", "address": ADDRESS})
    client.post(f"/api/v1/carts/{cart_id}/coupons", json={"code": "WELCOME10"}, headers=csrf)
    placed = client.post(f"/api/v1/carts/{cart_id}/checkout", headers={**csrf, "idempotency-key": f"r-{cart_id}"},
                         json=CARD).json()
    dispatcher.drain()
    order_id = uuid.UUID(placed["order_id"])
    with db.transaction() as s:
        before = loyalty_service.balance(session=s, customer_id=liga).pending
        shares = promotions_service.line_discounts(session=s, order_id=order_id)
        order = ordering_service.get_order(session=s, order_id=order_id)
        lipstick_line = next(ln for ln in order.lines if ln.variant_id == shop.lipstick)
        # what the returns context refunds for 2 of the 3 lipsticks: the line's price less its share of the discount
        refund = (lipstick_line.line_total_minor - shares[shop.lipstick]) * 2 // 3
        record(s, ReturnCompleted(uuid.uuid4(), "RMA-1", order_id, order.number, liga, "EUR",
                                  (ReturnedLine(shop.lipstick, 2, refund),)))

    dispatcher.drain()

    with db.transaction() as s:
        after = loyalty_service.balance(session=s, customer_id=liga).pending
    lipstick_net = 3 * 1499 - shares[shop.lipstick]
    assert sum(shares.values()) == order.discount_minor == 450 + 200  # 10% of each line, rounded per line
    assert shares == {shop.lipstick: 450, shop.mascara: 200}
    assert refund == (4497 - 450) * 2 // 3
    assert before == lipstick_net // 100 + (1999 - 200) // 100 == 40 + 17
    assert before - after == 40 * 2 // 3


def test_a_coupon_used_up_by_an_earlier_checkout_is_refused_not_silently_dropped(client, db, sign_in):
    with db.transaction() as s:
        retailer(s)
    owner = sign_in("owner@velvetine.shop.example.com")
    promotion_id = _welcome(owner)
    [code] = owner.post(f"/api/v1/promotions/{promotion_id}/coupons", json={"count": 1}).json()["codes"]
    client.cookies.clear()
    (first, first_headers), (second, second_headers) = [_guest_cart(client) for _ in range(2)]
    for cart_id, headers in ((first, first_headers), (second, second_headers)):
        assert client.post(f"/api/v1/carts/{cart_id}/coupons", json={"code": code}, headers=headers).status_code == 201

    used = client.post(f"/api/v1/carts/{first}/checkout", json=CARD,
                       headers={**first_headers, "idempotency-key": f"seq-{first}"})
    refused = client.post(f"/api/v1/carts/{second}/checkout", json=CARD,
                          headers={**second_headers, "idempotency-key": f"seq-{second}"})

    assert used.status_code == 201, used.text
    assert refused.status_code == 409 and refused.json()["type"] == "promotions/coupon-exhausted", refused.text
