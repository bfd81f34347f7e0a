"""Stock levels, the ledger, reservations and availability, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from inventory_factories import location, staff, stocked, variant
from sqlalchemy import select

from omniretail.identity.rules import Role
from omniretail.inventory import service as inventory_service
from omniretail.inventory.exceptions import InsufficientStock, ReservationNotFound, StockBelowReserved
from omniretail.inventory.rules import ReservationLine
from omniretail.kernel import clock
from omniretail.kernel.errors import InvalidInput, PermissionDenied
from omniretail.kernel.outbox import OutboxEvent


def _available(db, variant_id, location_id):
    with db.transaction() as s:
        return inventory_service.availability(session=s, variant_ids=[variant_id], location_ids=[location_id])[0]


def test_receiving_lipsticks_puts_them_on_hand_and_in_the_ledger(db):
    lipstick = variant()
    with db.transaction() as s:
        riga = location(s).id

    with db.transaction() as s:
        movement = inventory_service.receive(session=s, actor=staff(), variant_id=lipstick, location_id=riga,
                                             quantity=12, document_type="purchase_order", document_id="PO-000001")

    stock = _available(db, lipstick, riga)
    assert (stock.on_hand, stock.reserved, stock.available) == (12, 0, 12)
    assert movement.kind == "receipt" and movement.on_hand_after == 12
    assert stock.last_movement_at is not None
    with db.transaction() as s:
        assert inventory_service.ledger_sum(session=s, variant_id=lipstick, location_id=riga) == 12
        assert s.scalar(select(OutboxEvent.event_type).where(OutboxEvent.event_type == "inventory.StockMoved"))


def test_an_adjustment_needs_a_reason_and_cannot_take_promised_stock(db):
    lipstick = variant()
    with db.transaction() as s:
        riga = location(s).id
        stocked(s, lipstick, riga, 5)
        inventory_service.reserve(session=s, variant_id=lipstick, location_id=riga, quantity=3, ref="cart-1")

    with db.transaction() as s, pytest.raises(InvalidInput):
        inventory_service.adjust(session=s, actor=None, variant_id=lipstick, location_id=riga, delta=-1, reason=" ")
    with db.transaction() as s, pytest.raises(StockBelowReserved):
        inventory_service.adjust(session=s, actor=None, variant_id=lipstick, location_id=riga, delta=-3,
                                 reason="damaged")
    with db.transaction() as s:
        inventory_service.adjust(session=s, actor=None, variant_id=lipstick, location_id=riga, delta=-2,
                                 reason="damaged tester")

    stock = _available(db, lipstick, riga)
    assert (stock.on_hand, stock.reserved, stock.available) == (3, 3, 0)


def test_a_cashier_may_not_adjust_stock_and_a_manager_only_in_their_store(db):
    lipstick = variant()
    with db.transaction() as s:
        riga, tallinn = location(s).id, location(s, "TALLINN-VIRU").id

    with db.transaction() as s, pytest.raises(PermissionDenied):
        inventory_service.adjust(session=s, actor=staff(Role.CASHIER, riga), variant_id=lipstick,
                                 location_id=riga, delta=2, reason="found")
    with db.transaction() as s, pytest.raises(PermissionDenied):
        inventory_service.adjust(session=s, actor=staff(Role.STORE_MANAGER, riga), variant_id=lipstick,
                                 location_id=tallinn, delta=2, reason="found")
    with db.transaction() as s:
        inventory_service.adjust(session=s, actor=staff(Role.STORE_MANAGER, riga), variant_id=lipstick,
                                 location_id=riga, delta=2, reason="found behind the counter")

    assert _available(db, lipstick, riga).on_hand == 2


def test_a_hold_becomes_an_allocation_and_then_a_sale(db):
    lipstick = variant()
    with db.transaction() as s:
        riga = location(s).id
        stocked(s, lipstick, riga, 4)

    with db.transaction() as s:
        inventory_service.reserve(session=s, variant_id=lipstick, location_id=riga, quantity=3, ref="cart-7",
                                  expires_at=clock.now() + timedelta(minutes=15))
        allocated = inventory_service.allocate(session=s, ref="cart-7")
    held = _available(db, lipstick, riga)
    with db.transaction() as s:
        sales = inventory_service.commit_sale(session=s, actor=None, ref="cart-7", order_id="W-000001")

    assert allocated[0].status == "allocated" and allocated[0].expires_at is None
    assert (held.on_hand, held.reserved, held.available) == (4, 3, 1)
    assert [m.quantity for m in sales] == [-3] and sales[0].document_id == "W-000001"
    sold = _available(db, lipstick, riga)
    assert (sold.on_hand, sold.reserved, sold.available) == (1, 0, 1)
    with db.transaction() as s, pytest.raises(ReservationNotFound):
        inventory_service.commit_sale(session=s, actor=None, ref="cart-7")


def test_cancelling_an_order_releases_its_allocation(db):
    lipstick = variant()
    with db.transaction() as s:
        riga = location(s).id
        stocked(s, lipstick, riga, 2)
        inventory_service.reserve(session=s, variant_id=lipstick, location_id=riga, quantity=2, ref="order-9")
        inventory_service.allocate(session=s, ref="order-9")

    with db.transaction() as s:
        released = inventory_service.release(session=s, ref="order-9")

    assert released == 2
    assert _available(db, lipstick, riga).available == 2


def test_the_last_lipstick_cannot_be_held_twice(db):
    lipstick = variant()
    with db.transaction() as s:
        riga = location(s).id
        stocked(s, lipstick, riga, 1)
        inventory_service.reserve(session=s, variant_id=lipstick, location_id=riga, quantity=1, ref="cart-a")

    with db.transaction() as s, pytest.raises(InsufficientStock) as refused:
        inventory_service.reserve(session=s, variant_id=lipstick, location_id=riga, quantity=1, ref="cart-b")

    assert refused.value.status == 409 and refused.value.type == "inventory/insufficient-stock"
    assert refused.value.to_problem()["available"] == 0


def test_a_cart_is_held_whole_or_not_at_all(db):
    lipstick, mascara = variant(), variant()
    with db.transaction() as s:
        riga = location(s).id
        stocked(s, lipstick, riga, 5)
        stocked(s, mascara, riga, 1)

    with db.transaction() as s:
        with pytest.raises(InsufficientStock):
            inventory_service.reserve_lines(session=s, ref="cart-3", lines=[
                ReservationLine(lipstick, riga, 2), ReservationLine(mascara, riga, 2)])
        assert inventory_service.reservations_for(session=s, ref="cart-3") == []

    assert _available(db, lipstick, riga).reserved == 0
    assert _available(db, mascara, riga).reserved == 0


def test_expired_holds_come_back_without_anyone_acting(db, dispatcher):
    lipstick = variant()
    with db.transaction() as s:
        riga = location(s).id
        stocked(s, lipstick, riga, 3)
        inventory_service.reserve(session=s, variant_id=lipstick, location_id=riga, quantity=2, ref="cart-old",
                                  expires_at=clock.now() + timedelta(minutes=15))
        inventory_service.reserve(session=s, variant_id=lipstick, location_id=riga, quantity=1, ref="order-1")
    dispatcher.run_jobs()
    assert _available(db, lipstick, riga).available == 0

    clock.advance(timedelta(minutes=16))
    dispatcher.run_jobs()

    stock = _available(db, lipstick, riga)
    assert (stock.reserved, stock.available) == (1, 2)
    with db.transaction() as s:
        assert [r.status for r in inventory_service.reservations_for(session=s, ref="cart-old")] == ["expired"]
        with pytest.raises(ReservationNotFound):
            inventory_service.allocate(session=s, ref="cart-old")


def test_batch_availability_reports_every_pair_asked_for_and_refuses_more_than_200(db):
    lipstick, mascara = variant(), variant()
    with db.transaction() as s:
        riga, tallinn = location(s).id, location(s, "TALLINN-VIRU").id
        stocked(s, lipstick, riga, 7)

    with db.transaction() as s:
        rows = inventory_service.availability(session=s, variant_ids=[lipstick, mascara],
                                              location_ids=[riga, tallinn])
        anywhere = inventory_service.availability(session=s, variant_ids=[lipstick])
        with pytest.raises(InvalidInput):
            inventory_service.availability(session=s, variant_ids=[variant() for _ in range(201)])
        in_riga = inventory_service.in_stock_variant_ids(session=s, location_id=riga)

    assert [(r.variant_id, r.location_id, r.available) for r in rows] == [
        (lipstick, riga, 7), (lipstick, tallinn, 0), (mascara, riga, 0), (mascara, tallinn, 0)]
    assert [(a.location_id, a.on_hand) for a in anywhere] == [(riga, 7)]
    assert in_riga == {lipstick}


def test_safety_stock_stays_on_the_shelf(db):
    lipstick = variant()
    with db.transaction() as s:
        riga = location(s).id
        stocked(s, lipstick, riga, 3)

    with db.transaction() as s:
        stock = inventory_service.set_safety_stock(session=s, actor=None, variant_id=lipstick, location_id=riga,
                                                   safety_stock=2)
        with pytest.raises(InsufficientStock):
            inventory_service.reserve(session=s, variant_id=lipstick, location_id=riga, quantity=2, ref="c")

    assert (stock.on_hand, stock.safety_stock, stock.available) == (3, 2, 1)


def test_the_nearest_stores_with_stock_come_first_and_warehouses_are_left_out(db):
    lipstick, mascara = variant(), variant()
    with db.transaction() as s:
        riga, tallinn = location(s).id, location(s, "TALLINN-VIRU").id
        vilnius, dc = location(s, "VILNIUS-AKROPOLIS").id, location(s, "RIGA-DC").id
        for place in (riga, tallinn, vilnius, dc):
            stocked(s, lipstick, place, 2)
        stocked(s, mascara, tallinn, 1)
        stocked(s, mascara, vilnius, 1)

    with db.transaction() as s:
        near_riga = inventory_service.nearest_with_stock(session=s, variant_ids=[lipstick, mascara],
                                                         latitude=56.95, longitude=24.1)
        any_of = inventory_service.nearest_with_stock(session=s, variant_ids=[lipstick, mascara], latitude=56.95,
                                                      longitude=24.1, require_all=False, limit=2)

    assert [n.code for n in near_riga] == ["VILNIUS-AKROPOLIS", "TALLINN-VIRU"]
    assert 250 < near_riga[0].distance_km < 270
    assert [n.code for n in any_of] == ["RIGA-CENTRS", "VILNIUS-AKROPOLIS"]


def test_opening_stock_in_bulk_keeps_the_ledger_and_refuses_stocked_pairs(db):
    with db.transaction() as session:
        store = inventory_service.create_location(session=session, actor=None, code="RIGA-CENTRS", name="Rīga",
                                                  kind="store", city="Rīga", country="LV", latitude=56.95,
                                                  longitude=24.11, timezone="Europe/Riga")
        lipstick, mascara = uuid.uuid4(), uuid.uuid4()
        inventory_service.receive_opening_stock(session=session, rows=[ReservationLine(lipstick, store.id, 7),
                                                                       ReservationLine(mascara, store.id, 3)])

    with db.transaction() as session:
        levels = {a.variant_id: a.on_hand for a in inventory_service.availability(
            session=session, variant_ids=[lipstick, mascara], location_ids=[store.id])}
        ledger = inventory_service.ledger_sum(session=session, variant_id=lipstick, location_id=store.id)
        with pytest.raises(InvalidInput):
            inventory_service.receive_opening_stock(session=session, rows=[ReservationLine(lipstick, store.id, 1)])

    assert levels == {lipstick: 7, mascara: 3}
    assert ledger == 7
