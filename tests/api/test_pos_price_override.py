"""Setting a price by hand at the till: only with pos.override_price at that store, never above the shelf price,
always with a reason; the sale is charged the set price, the audit log says who, what and why, and null gives the
shelf price back."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import retailer

from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Principal, Role


def _till(db, sign_in, role: Role, email: str):
    with db.transaction() as s:
        shop = retailer(s)
    staff = sign_in(email, Grant(role, shop.riga))
    cart = staff.post("/api/v1/carts", json={"channel": "pos-riga", "location_id": str(shop.riga)}).json()
    line = staff.post(f"/api/v1/carts/{cart['id']}/lines", json={"sku": "SERUM-GLOW-30", "quantity": 2}).json()
    return shop, staff, cart["id"], line["lines"][0]


def test_a_store_manager_sets_a_price_with_a_reason_and_the_sale_is_charged_it(client, db, sign_in):
    shop, lead, cart_id, line = _till(db, sign_in, Role.STORE_MANAGER, "vaditaja@shop.example.com")
    path = f"/api/v1/carts/{cart_id}/lines/{line['id']}/price"

    no_reason = lead.put(path, json={"amount_minor": 2000, "reason": ""})
    too_high = lead.put(path, json={"amount_minor": line["regular_price_minor"] + 1, "reason": "price match"})
    done = lead.put(path, json={"amount_minor": 2000, "reason": "dented box"})
    lead.post("/api/v1/pos/sessions", json={"location_id": str(shop.riga), "opening_float_minor": 0})
    sale = lead.post(f"/api/v1/carts/{cart_id}/checkout", headers={"idempotency-key": f"pos-{cart_id}"},
                     json={"tenders": [{"method": "cash", "cash_tendered_minor": 5000}]})

    assert no_reason.status_code == 422 and "reason" in no_reason.text
    assert too_high.status_code == 422 and "regular price" in too_high.text
    assert done.status_code == 200, done.text
    priced = done.json()["lines"][0]
    assert priced["unit_price_minor"] == 2000 and priced["override_reason"] == "dented box"
    assert priced["regular_price_minor"] == line["regular_price_minor"]
    assert done.json()["totals"]["subtotal_minor"] == 4000
    assert sale.status_code == 201, sale.text
    order = lead.get(f"/api/v1/orders/{sale.json()['order_id']}").json()
    assert order["subtotal_minor"] == 4000
    with db.transaction(read_only=True) as s:
        owner = Principal(staff_id=uuid.uuid4(), email="owner@shop.example.com", grants=(Grant(Role.OWNER),),
                          label="owner")
        entries = identity_service.list_audit(session=s, actor=owner, cursor=None, limit=200).items
    (entry,) = [e for e in entries if e.action == "pos.price_override"]
    assert entry.details["reason"] == "dented box" and entry.details["to_minor"] == 2000
    assert entry.details["sku"] == "SERUM-GLOW-30"


def test_a_cashier_may_not_set_prices_and_null_gives_the_shelf_price_back(client, db, sign_in):
    shop, cashier, cart_id, line = _till(db, sign_in, Role.CASHIER, "kasiere@shop.example.com")
    path = f"/api/v1/carts/{cart_id}/lines/{line['id']}/price"

    refused = cashier.put(path, json={"amount_minor": 1000, "reason": "friend of the shop"})
    lead = sign_in("vaditaja@shop.example.com", Grant(Role.STORE_MANAGER, shop.riga))
    lead.put(path, json={"amount_minor": 1000, "reason": "display sample"})
    back = lead.put(path, json={"amount_minor": None})

    assert refused.status_code == 403
    assert back.status_code == 200
    assert back.json()["lines"][0]["unit_price_minor"] == line["unit_price_minor"]
    assert back.json()["lines"][0]["override_reason"] is None


def test_a_web_cart_has_no_hand_set_prices(client, db, sign_in):
    with db.transaction() as s:
        retailer(s)
    owner = sign_in("owner@shop.example.com")
    cart = owner.post("/api/v1/carts", json={"channel": "web-eu"}).json()
    line = owner.post(f"/api/v1/carts/{cart['id']}/lines", json={"sku": "SERUM-GLOW-30", "quantity": 1}).json()

    refused = owner.put(f"/api/v1/carts/{cart['id']}/lines/{line['lines'][0]['id']}/price",
                        json={"amount_minor": 100, "reason": "why not"})

    assert refused.status_code == 403
