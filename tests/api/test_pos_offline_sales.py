"""Sales a till made offline are sent whole to ``/pos/sales`` under the key the sale got when it began: a sync
sent twice, two syncs racing, or a sync of a sale whose online checkout already reached the server, all end in
one order and one charge."""

from __future__ import annotations

import sys
import threading
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import retailer
from fastapi.testclient import TestClient

from omniretail.app import create_app
from omniretail.identity.rules import Grant, Role
from omniretail.ordering import service as ordering_service
from omniretail.payments.rules import TEST_CARD_APPROVE, TEST_CARD_DECLINE

PASSWORD = "velvet-lipstick-07"


def _shop(db):
    with db.transaction() as session:
        return retailer(session)


def _sale(shop, key, tenders=None):
    return {"key": key, "location_id": str(shop.riga),
            "lines": [{"variant_id": str(shop.lipstick), "quantity": 2},
                      {"variant_id": str(shop.serum), "quantity": 1}],
            "tenders": tenders or [{"method": "cash", "amount_minor": 5997, "cash_tendered_minor": 6000}]}


def _orders(db):
    with db.transaction(read_only=True) as session:
        return ordering_service.list_orders(session=session, cursor=None, limit=50).items


def test_a_sale_synced_twice_is_one_order(db, sign_in):
    shop = _shop(db)
    cashier = sign_in("kasiere@shop.example.com", Grant(Role.CASHIER, shop.riga))
    key = f"pos-{uuid.uuid4()}"

    first = cashier.post("/api/v1/pos/sales", json=_sale(shop, key))
    again = cashier.post("/api/v1/pos/sales", json=_sale(shop, key))

    assert first.status_code == 201, first.text
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert again.json()["order_id"] == first.json()["order_id"]
    [order] = _orders(db)
    assert order.total_minor == 5997 and order.location_id == shop.riga


def test_a_sale_whose_online_checkout_reached_the_server_is_not_made_twice(db, sign_in):
    shop = _shop(db)
    cashier = sign_in("kasiere@shop.example.com", Grant(Role.CASHIER, shop.riga))
    key = f"pos-{uuid.uuid4()}"
    cart = cashier.post("/api/v1/carts", json={"channel": "pos-riga", "location_id": str(shop.riga)}).json()
    cashier.post(f"/api/v1/carts/{cart['id']}/lines", json={"sku": "LIP-VELVET-07", "quantity": 2})
    cashier.post(f"/api/v1/carts/{cart['id']}/lines", json={"sku": "SERUM-GLOW-30", "quantity": 1})
    online = cashier.post(f"/api/v1/carts/{cart['id']}/checkout", headers={"idempotency-key": key},
                          json={"tenders": [{"method": "card", "card_number": TEST_CARD_APPROVE}]})
    assert online.status_code == 201, online.text

    synced = cashier.post("/api/v1/pos/sales", json=_sale(shop, key))

    assert synced.status_code == 200 and synced.json()["order_id"] == online.json()["order_id"]
    assert len(_orders(db)) == 1


def test_two_syncs_racing_make_one_order(db, settings, make_staff):
    shop = _shop(db)
    make_staff("kasiere@shop.example.com", Grant(Role.CASHIER, shop.riga))
    key = f"pos-{uuid.uuid4()}"
    app = create_app(settings, db=db, run_dispatcher=False)
    results: list[tuple[int, str]] = []
    barrier = threading.Barrier(2)

    def till() -> None:
        with TestClient(app) as http:
            login = http.post("/api/v1/auth/login", json={"email": "kasiere@shop.example.com", "password": PASSWORD})
            barrier.wait()
            response = http.post("/api/v1/pos/sales", json=_sale(shop, key),
                                 headers={"x-csrf-token": login.json()["csrf_token"]})
            results.append((response.status_code, response.json().get("order_id", response.text)))

    threads = [threading.Thread(target=till) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert sorted(code for code, _ in results) == [200, 201], results
    assert len({order for _, order in results}) == 1
    assert len(_orders(db)) == 1


def test_a_refused_sale_says_why_and_leaves_nothing(db, sign_in):
    shop = _shop(db)
    cashier = sign_in("kasiere@shop.example.com", Grant(Role.CASHIER, shop.riga))

    declined = cashier.post("/api/v1/pos/sales", json=_sale(shop, f"pos-{uuid.uuid4()}", tenders=[
        {"method": "card", "amount_minor": 5997, "card_number": TEST_CARD_DECLINE}]))
    bad = cashier.post("/api/v1/pos/sales",
                       json={"key": "x", "location_id": str(shop.riga), "lines": [], "tenders": []})

    assert declined.status_code == 402 and declined.headers["content-type"].startswith("application/problem+json")
    assert bad.status_code == 422 and {e["loc"][-1] for e in bad.json()["errors"]} >= {"key", "lines", "tenders"}
    assert _orders(db) == []


def test_only_a_seller_at_that_store_may_sync(db, sign_in):
    shop = _shop(db)
    other = uuid.uuid4()
    stranger = sign_in("elsewhere@shop.example.com", Grant(Role.CASHIER, other))

    refused = stranger.post("/api/v1/pos/sales", json=_sale(shop, f"pos-{uuid.uuid4()}"))

    assert refused.status_code == 403
    assert _orders(db) == []


def test_a_cashier_sees_which_other_stores_have_an_item(db, sign_in):
    from omniretail.inventory import service as inventory_service

    shop = _shop(db)
    with db.transaction() as session:
        valmiera = inventory_service.create_location(
            session=session, actor=None, code="VALMIERA", name="Valmiera", kind="store", city="Valmiera",
            country="LV", latitude=57.54, longitude=25.42, timezone="Europe/Riga", sells_in_person=True).id
        inventory_service.receive(session=session, actor=None, variant_id=shop.serum, location_id=valmiera,
                                  quantity=4, document_type="purchase_order", document_id="PO-V")
    cashier = sign_in("kasiere@shop.example.com", Grant(Role.CASHIER, shop.riga))

    found = cashier.get(f"/api/v1/pos/stock-elsewhere?location_id={shop.riga}&variant_id={shop.serum}")

    assert found.status_code == 200, found.text
    assert [(s["code"], s["available"]) for s in found.json()] == [("VALMIERA", 4)]
    assert found.json()[0]["distance_km"] > 90


def test_only_a_cashier_at_the_store_names_the_member_of_a_sale(client, db, sign_in):
    from omniretail.customers import service as customers_service

    shop = _shop(db)
    with db.transaction() as session:
        member = customers_service.create_profile(session=session, actor="test", source="pos", given_name="Ilze",
                                                  phone="+37120000001").id
    guest = client.post("/api/v1/carts", json={"channel": "web-eu"}).json()
    refused = client.put(f"/api/v1/carts/{guest['id']}/member", json={"customer_id": str(member)},
                         headers={"x-cart-token": guest["token"]})
    cashier = sign_in("kasiere@shop.example.com", Grant(Role.CASHIER, shop.riga))
    cart = cashier.post("/api/v1/carts", json={"channel": "pos-riga", "location_id": str(shop.riga)}).json()

    named = cashier.client.put(f"/api/v1/carts/{cart['id']}/member", json={"customer_id": str(member)},
                               headers=cashier.headers)
    unknown = cashier.client.put(f"/api/v1/carts/{cart['id']}/member", json={"customer_id": str(uuid.uuid4())},
                                 headers=cashier.headers)
    still_mine = cashier.post(f"/api/v1/carts/{cart['id']}/lines", json={"sku": "LIP-VELVET-07", "quantity": 1})

    assert refused.status_code == 403
    assert named.status_code == 200 and named.json()["customer_id"] == str(member)
    assert unknown.status_code == 422
    assert still_mine.status_code == 201, still_mine.text


def test_a_returnable_order_is_found_by_its_number_only_by_staff_who_take_returns(client, db, sign_in):
    from checkout_factories import place_web_order

    shop = _shop(db)
    placed = place_web_order(db, shop)
    client.cookies.clear()
    anonymous = client.get(f"/api/v1/pos/returnable-orders/{placed.number}")
    cashier = sign_in("kasiere@shop.example.com", Grant(Role.CASHIER, shop.riga))

    found = cashier.get(f"/api/v1/pos/returnable-orders/{placed.number.lower()}")
    missing = cashier.get("/api/v1/pos/returnable-orders/W-999999")

    assert anonymous.status_code == 401
    assert found.status_code == 200 and found.json()["order_id"] == str(placed.order_id)
    assert [line["sku"] for line in found.json()["lines"]] == ["SERUM-GLOW-30"]
    assert missing.status_code == 404
