"""Fulfilment over HTTP: click and collect handed over with the QR code (order picked up, stock reserved -> sold,
the same code fails twice); a parcel's every tracking step e-mails the shopper in their language through a real
SMTP server; a carrier webhook with a bad signature is refused; a late parcel is flagged by the job alone."""

from __future__ import annotations

import json
import sys
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import ADDRESS, retailer

from omniretail.fulfillment import demo as fulfillment_demo
from omniretail.fulfillment import rules as fulfillment_rules
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.payments.rules import TEST_CARD_APPROVE

PASSWORD = "velvet-lipstick-07"


def _shopper(client, db, email: str, name: str, locale: str) -> dict[str, str]:
    with db.transaction() as s:
        identity_service.sign_up_customer(session=s, email=email, password=PASSWORD, name=name, locale=locale)
    client.cookies.clear()
    login = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD, "kind": "customer"})
    assert login.status_code == 200, login.text
    return {"x-csrf-token": login.json()["csrf_token"]}


def _order(client, csrf: dict[str, str], delivery: dict, sku: str = "LIP-VELVET-07", quantity: int = 2) -> str:
    cart_id = client.post("/api/v1/carts", json={"channel": "web-eu"}, headers=csrf).json()["id"]
    client.post(f"/api/v1/carts/{cart_id}/lines", json={"sku": sku, "quantity": quantity}, headers=csrf)
    chosen = client.put(f"/api/v1/carts/{cart_id}/delivery", headers=csrf, json=delivery)
    assert chosen.status_code == 200, chosen.text
    placed = client.post(f"/api/v1/carts/{cart_id}/checkout", headers={**csrf, "idempotency-key": f"f-{cart_id}"},
                         json={"tenders": [{"method": "card", "card_number": TEST_CARD_APPROVE}]})
    assert placed.status_code == 201, placed.text
    return str(placed.json()["order_id"])


def _stock(db, variant_id, location_id):
    with db.transaction() as s:
        return inventory_service.availability(session=s, variant_ids=[variant_id], location_ids=[location_id])[0]


def test_a_pickup_handed_over_with_its_qr_code_is_picked_up_and_the_stock_is_sold_once(client, db, sign_in, smtp,
                                                                                       dispatcher):
    with db.transaction() as s:
        shop = retailer(s)
    csrf = _shopper(client, db, "ilze@shop.example.com", "Ilze Kalniņa", "lv")
    order_id = _order(client, csrf, {"method": "click_and_collect", "location_id": str(shop.riga)})
    before = _stock(db, shop.lipstick, shop.riga)
    clerk = sign_in("kasiere@shop.example.com", Grant(Role.STORE_MANAGER, shop.riga))

    ready = clerk.post(f"/api/v1/fulfillment/orders/{order_id}/ready-for-pickup")
    assert ready.status_code == 201, ready.text
    dispatcher.drain()
    mail = smtp.wait_for("ilze@shop.example.com")
    code = ready.json()["code"]
    assert code in smtp.body(mail) and "gatavs" in str(mail["Subject"])
    assert "image/svg+xml" in mail.as_string()
    wrong_name = clerk.post("/api/v1/fulfillment/pickups/handover", json={"code": code, "name": "Someone Else"})
    handed = clerk.post("/api/v1/fulfillment/pickups/handover", json={"code": code.lower(), "name": "ilze"})
    again = clerk.post("/api/v1/fulfillment/pickups/handover", json={"code": code, "name": "Ilze"})

    assert wrong_name.status_code == 422
    assert handed.status_code == 200, handed.text
    assert handed.json()["status"] == "handed_over"
    assert again.status_code == 409 and again.headers["content-type"].startswith("application/problem+json")
    assert clerk.get(f"/api/v1/orders/{order_id}").json()["status"] == "picked_up"
    after = _stock(db, shop.lipstick, shop.riga)
    assert (after.on_hand, after.reserved) == (before.on_hand - 2, before.reserved - 2)


def test_another_stores_staff_cannot_hand_over_the_code(client, db, sign_in, make_staff):
    with db.transaction() as s:
        shop = retailer(s)
    csrf = _shopper(client, db, "janis@shop.example.com", "Jānis", "en")
    order_id = _order(client, csrf, {"method": "click_and_collect", "location_id": str(shop.riga)})
    owner = sign_in("owner@shop.example.com")
    code = owner.post(f"/api/v1/fulfillment/orders/{order_id}/ready-for-pickup").json()["code"]
    elsewhere = sign_in("dc@shop.example.com", Grant(Role.STORE_MANAGER, shop.warehouse))

    refused = elsewhere.post("/api/v1/fulfillment/pickups/handover", json={"code": code, "name": "Jānis"})

    assert refused.status_code == 404


def test_every_tracking_step_emails_the_shopper_in_polish_and_moves_the_order(client, db, sign_in, smtp,
                                                                              dispatcher):
    with db.transaction() as s:
        shop = retailer(s)
        fulfillment_demo.carriers_and_boxes(s)
    csrf = _shopper(client, db, "ola@shop.example.com", "Ola Nowak", "pl")
    order_id = _order(client, csrf, {"method": "courier", "address": ADDRESS})
    staff = sign_in("packer@shop.example.com", Grant(Role.FULFILLMENT, shop.warehouse))

    started = staff.post(f"/api/v1/fulfillment/orders/{order_id}/shipments")
    assert started.status_code == 201, started.text
    picks = staff.get(f"/api/v1/fulfillment/picklists/{shop.warehouse}").json()
    assert picks["lines"][0]["sku"] == "LIP-VELVET-07" and picks["lines"][0]["quantity"] == 2
    packed = staff.post(f"/api/v1/shipments/{started.json()[0]['id']}/pack")
    assert packed.status_code == 200, packed.text
    shipment = packed.json()[0]
    assert shipment["box_code"] == "MAILER-S" and shipment["carrier"] and "cheapest" in shipment["rate_reason"]
    label = staff.get(f"/api/v1/shipments/{shipment['id']}/label.pdf")
    assert label.status_code == 200 and label.content.startswith(b"%PDF")
    secret = f"demo-carrier-secret-{shipment['carrier']}"
    body = json.dumps({"id": "evt-1", "tracking_number": shipment["tracking_number"], "kind": "picked_up"}).encode()
    forged = client.post(f"/api/v1/carriers/{shipment['carrier']}/webhooks", content=body,
                         headers={"x-signature": "0" * 64})
    signed = client.post(f"/api/v1/carriers/{shipment['carrier']}/webhooks", content=body,
                         headers={"x-signature": fulfillment_rules.sign(secret, body)})
    redelivered = client.post(f"/api/v1/carriers/{shipment['carrier']}/webhooks", content=body,
                              headers={"x-signature": fulfillment_rules.sign(secret, body)})
    assert forged.status_code == 400 and forged.headers["content-type"].startswith("application/problem+json")
    assert signed.json() == {"received": True, "duplicate": False} and redelivered.json()["duplicate"]
    for kind in ("in_transit", "out_for_delivery", "delivered"):
        step = staff.post(f"/api/v1/shipments/{shipment['id']}/events", json={"kind": kind})
        assert step.status_code == 201, step.text
    dispatcher.drain()

    mails = sorted(str(m["Subject"]) for m in smtp.messages if "ola@" in str(m["To"]))
    # Four tracking e-mails, and once delivered the reviews context asks how likely she is to recommend us (NPS).
    survey = [s for s in mails if "polecisz" in s]
    subjects = [s for s in mails if s not in survey]
    assert len(subjects) == 4 and len(survey) == 1, mails
    assert all("zamówienie" in s.lower() or "zamówienia" in s.lower() for s in subjects), subjects
    log = staff.get(f"/api/v1/fulfillment/notifications?order_id={order_id}").json()
    assert [n["status"] for n in log] == ["sent"] * 4 and {n["locale"] for n in log} == {"pl"}
    assert staff.get(f"/api/v1/orders/{order_id}").json()["status"] == "delivered"
    client.cookies.clear()
    _shopper_login = client.post("/api/v1/auth/login", json={"email": "ola@shop.example.com", "password": PASSWORD,
                                                              "kind": "customer"})
    mine = client.get(f"/api/v1/me/orders/{order_id}/tracking").json()
    assert [e["kind"] for e in mine["shipments"][0]["events"]] == ["picked_up", "in_transit", "out_for_delivery",
                                                                   "delivered"]


def test_a_parcel_that_misses_its_next_event_is_flagged_by_the_job_without_anyone_asking(client, db, sign_in,
                                                                                        dispatcher):
    with db.transaction() as s:
        shop = retailer(s)
        fulfillment_demo.carriers_and_boxes(s)
    csrf = _shopper(client, db, "ola@shop.example.com", "Ola Nowak", "pl")
    order_id = _order(client, csrf, {"method": "courier", "address": ADDRESS})
    staff = sign_in("packer@shop.example.com", Grant(Role.FULFILLMENT, shop.warehouse))
    shipment_id = staff.post(f"/api/v1/fulfillment/orders/{order_id}/shipments").json()[0]["id"]
    staff.post(f"/api/v1/shipments/{shipment_id}/pack")
    staff.post(f"/api/v1/shipments/{shipment_id}/events", json={"kind": "picked_up"})
    staff.post(f"/api/v1/shipments/{shipment_id}/events", json={"kind": "in_transit"})
    dispatcher.drain()
    dispatcher.run_jobs()
    assert staff.get("/api/v1/fulfillment/delays").json() == []

    clock.freeze(clock.now() + timedelta(hours=49))
    dispatcher.run_jobs()

    delays = staff.get("/api/v1/fulfillment/delays").json()
    assert [(d["kind"], d["shipment_id"]) for d in delays] == [("shipment", shipment_id)]
    assert "in_transit" in delays[0]["reason"]
    staff.post(f"/api/v1/shipments/{shipment_id}/events", json={"kind": "delivered"})
    assert staff.get("/api/v1/fulfillment/delays").json() == []
    assert uuid.UUID(shipment_id)


def test_a_pickup_left_uncollected_past_the_hold_is_cancelled_refunded_and_restocked_by_the_job(client, db, sign_in,
                                                                                                dispatcher):
    with db.transaction() as s:
        shop = retailer(s)
    csrf = _shopper(client, db, "peteris@shop.example.com", "Pēteris", "lv")
    before = _stock(db, shop.lipstick, shop.riga)
    order_id = _order(client, csrf, {"method": "click_and_collect", "location_id": str(shop.riga)})
    owner = sign_in("owner@shop.example.com")
    code = owner.post(f"/api/v1/fulfillment/orders/{order_id}/ready-for-pickup").json()["code"]
    dispatcher.drain()
    dispatcher.run_jobs()
    assert owner.get(f"/api/v1/orders/{order_id}").json()["status"] == "ready_for_pickup"

    clock.freeze(clock.now() + timedelta(days=8))
    dispatcher.run_jobs()

    order = owner.get(f"/api/v1/orders/{order_id}").json()
    assert order["status"] == "cancelled" and order["refunded_minor"] == order["total_minor"]
    after = _stock(db, shop.lipstick, shop.riga)
    assert (after.on_hand, after.reserved) == (before.on_hand, before.reserved)
    late = owner.post("/api/v1/fulfillment/pickups/handover", json={"code": code, "name": "Pēteris"})
    assert late.status_code == 409


def test_an_order_not_shipped_within_the_dispatch_target_is_flagged_once_and_raises_an_event(client, db, sign_in,
                                                                                            dispatcher):
    from sqlalchemy import select

    from omniretail.fulfillment.events import OrderDispatchLate
    from omniretail.kernel.outbox import OutboxEvent

    with db.transaction() as s:
        shop = retailer(s)
    csrf = _shopper(client, db, "ola@shop.example.com", "Ola Nowak", "pl")
    order_id = _order(client, csrf, {"method": "courier", "address": ADDRESS})
    dispatcher.drain()
    staff = sign_in("packer@shop.example.com", Grant(Role.FULFILLMENT, shop.warehouse))

    clock.freeze(clock.now() + timedelta(hours=25))
    dispatcher.run_jobs()
    clock.freeze(clock.now() + timedelta(minutes=10))
    dispatcher.run_jobs()

    delays = staff.get("/api/v1/fulfillment/delays").json()
    assert [(d["kind"], d["order_id"]) for d in delays] == [("dispatch", order_id)]
    with db.transaction() as s:
        late = list(s.scalars(select(OutboxEvent).where(OutboxEvent.event_type == OrderDispatchLate.event_name)))
    assert [e.payload["order_id"] for e in late] == [order_id]
