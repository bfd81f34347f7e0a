"""Back-office work queues over HTTP: a web order picked, packed, labelled and shipped from the fulfilment queue;
the late parcel in the delay queue; a return inspected and refunded from the returns queue; each queue only shows
the staff member's stores, and exports what it shows as CSV."""

from __future__ import annotations

import csv
import io
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import place_web_order, retailer

from omniretail.fulfillment import demo as fulfillment_demo
from omniretail.fulfillment import service as fulfillment_service
from omniretail.identity.rules import Grant, Principal, Role
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.ordering import service as ordering_service
from omniretail.ordering.rules import OrderStatus
from omniretail.returns import service as returns_service

OWNER = Principal(staff_id=uuid.uuid4(), email="audit@shop.example.com", grants=(Grant(Role.OWNER),))


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        made = retailer(s)
        fulfillment_demo.carriers_and_boxes(s)
    return made


def _shipments(db, order_id):
    with db.transaction() as s:
        return [(x.id, x.location_id, x.status) for x in fulfillment_service.shipments_of(session=s, order_id=order_id)]


def _moved(response) -> str:
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_the_fulfilment_queue_takes_a_shipment_from_pick_list_to_shipped_and_flags_it_when_late(
        client, db, sign_in, shop):
    placed = place_web_order(db, shop, quantity=1)
    packer = sign_in("packer@shop.example.com", Grant(Role.FULFILLMENT))

    _moved(packer.post("/admin/fulfilment/start", data={"order": placed.number.lower()}, follow_redirects=False))
    [(shipment_id, location_id, status)] = _shipments(db, placed.order_id)
    queue = packer.get(f"/admin/fulfilment?store={location_id}")
    _moved(packer.post(f"/admin/fulfilment/{shipment_id}/pack", follow_redirects=False))
    label = packer.get(f"/admin/fulfilment/{shipment_id}/label.pdf")
    _moved(packer.post(f"/admin/fulfilment/{shipment_id}/ship", follow_redirects=False))
    shipped_view = packer.get("/admin/fulfilment?view=shipped")
    todo_view = packer.get("/admin/fulfilment")

    assert status == "open" and 'id="pick-list"' in queue.text and "SERUM-GLOW-30" in queue.text
    assert label.status_code == 200 and label.content.startswith(b"%PDF")
    assert _shipments(db, placed.order_id)[0][2] == "picked_up"
    with db.transaction() as s:
        assert ordering_service.get_order(session=s, order_id=placed.order_id).status == OrderStatus.SHIPPED
    assert placed.number in shipped_view.text and 'id="shipment-count">1<' in shipped_view.text
    assert 'id="shipment-count">0<' in todo_view.text
    rows = list(csv.DictReader(io.StringIO(packer.get("/admin/fulfilment?view=shipped&format=csv").text)))
    assert [(r["order"], r["status"], r["items"]) for r in rows] == [(placed.number, "picked_up", "1")]

    clock.advance(timedelta(days=2))
    with db.transaction() as s:
        assert fulfillment_service.detect_delays(session=s) == 1
    delays = packer.get("/admin/fulfilment/delays")
    exported = list(csv.DictReader(io.StringIO(packer.get("/admin/fulfilment/delays?format=csv").text)))

    assert 'id="delay-count">1<' in delays.text and placed.number in delays.text
    assert [(r["order"], r["kind"]) for r in exported] == [(placed.number, "shipment")]


def test_a_refused_step_re_renders_the_queue_and_another_stores_manager_cannot_act(client, db, sign_in, shop):
    placed = place_web_order(db, shop, quantity=1)
    owner = sign_in("owner@shop.example.com")
    unknown = owner.post("/admin/fulfilment/start", data={"order": "W-999999"})
    _moved(owner.post("/admin/fulfilment/start", data={"order": placed.number}, follow_redirects=False))
    [(shipment_id, location_id, _)] = _shipments(db, placed.order_id)
    elsewhere = shop.riga if location_id == shop.warehouse else shop.warehouse
    manager = sign_in("manager@shop.example.com", Grant(Role.STORE_MANAGER, elsewhere))

    listed = manager.get("/admin/fulfilment")
    other_store = manager.get(f"/admin/fulfilment?store={location_id}")
    pack = manager.post(f"/admin/fulfilment/{shipment_id}/pack")
    label = manager.get(f"/admin/fulfilment/{shipment_id}/label.pdf")

    assert unknown.status_code == 404 and 'id="form-error"' in unknown.text
    assert listed.status_code == 200 and placed.number not in listed.text and str(location_id) not in listed.text
    assert other_store.status_code == 403 and pack.status_code == 403 and label.status_code == 403
    assert _shipments(db, placed.order_id)[0][2] == "open"


def test_the_returns_queue_inspects_a_parcel_writes_off_the_damaged_item_and_refunds(client, db, sign_in, shop):
    placed = place_web_order(db, shop, quantity=2)
    with db.transaction() as s:
        order = ordering_service.get_order(session=s, order_id=placed.order_id)
        for step in (OrderStatus.PICKING, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
            ordering_service.move(session=s, order=order, to=step, actor="test")
        ret = returns_service.request_return(
            session=s, order_id=placed.order_id, via="store", refund_method="original", requested_by="staff:test",
            location_id=shop.riga, lines=[returns_service.LineIn(shop.serum, 1, "wrong_shade")])
        ret_id, rma = ret.id, ret.rma
        before = inventory_service.availability(session=s, variant_ids=[shop.serum], location_ids=[shop.riga])[0]
    warehouse = sign_in("dc@shop.example.com", Grant(Role.STORE_MANAGER, shop.warehouse))
    assert rma not in warehouse.get("/admin/returns").text
    assert warehouse.get(f"/admin/returns/{ret_id}").status_code == 403
    clerk = sign_in("kasiere@shop.example.com", Grant(Role.STORE_MANAGER, shop.riga))

    queue = clerk.get("/admin/returns?status=approved")
    wrong_place = clerk.post(f"/admin/returns/{ret_id}/receive", data={
        "location_id": str(shop.warehouse), f"condition-{shop.serum}": "damaged"})
    received = clerk.post(f"/admin/returns/{ret_id}/receive", data={
        "location_id": str(shop.riga), f"condition-{shop.serum}": "damaged"})
    exported = list(csv.DictReader(io.StringIO(clerk.get("/admin/returns?format=csv").text)))

    assert rma in queue.text and 'id="return-count">1<' in queue.text
    assert wrong_place.status_code == 422 and 'id="return-status">approved<' in wrong_place.text
    assert received.status_code == 200 and 'id="return-status">completed<' in received.text
    assert "written_off" in received.text
    with db.transaction() as s:
        after = inventory_service.availability(session=s, variant_ids=[shop.serum], location_ids=[shop.riga])[0]
        kinds = [m.kind for m in inventory_service.search_movements(session=s, actor=OWNER,
                                                                     location_id=shop.riga, limit=None)[0]]
    assert after.on_hand == before.on_hand and {"return", "write_off"} <= set(kinds)
    assert [(r["rma"], r["status"], r["refund"]) for r in exported] == [(rma, "completed", "29.99")]

