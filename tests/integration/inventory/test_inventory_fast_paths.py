"""The hold and batch-availability fast paths answer exactly what the general paths do, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from inventory_factories import location, stocked, variant
from sqlalchemy import select

from omniretail.inventory import service as inventory_service
from omniretail.inventory.exceptions import InsufficientStock
from omniretail.inventory.models import Reservation
from omniretail.inventory.purchasing import service as purchasing_service
from omniretail.kernel.outbox import OutboxEvent


def test_a_hold_writes_a_held_reservation_and_moves_reserved_only(db):
    lipstick = variant()
    with db.transaction() as s:
        riga = location(s).id
        stocked(s, lipstick, riga, 5)

    with db.transaction() as s:
        held = inventory_service.hold(session=s, variant_id=lipstick, location_id=riga, quantity=2, ref="cart-LV-1")
    with db.transaction() as s:
        stored = s.scalars(select(Reservation).where(Reservation.ref == "cart-LV-1")).one()
        stock = inventory_service.availability(session=s, variant_ids=[lipstick], location_ids=[riga])[0]
        ledger = inventory_service.ledger_sum(session=s, variant_id=lipstick, location_id=riga)

    assert (stored.id, stored.quantity, stored.status) == (held.id, 2, "held")
    assert (stock.on_hand, stock.reserved, stock.available) == (5, 2, 3)
    assert ledger == 5


def test_a_hold_beyond_what_is_available_is_refused_and_leaves_nothing(db):
    lipstick = variant()
    with db.transaction() as s:
        riga = location(s).id
        stocked(s, lipstick, riga, 2)

    with db.transaction() as s, pytest.raises(InsufficientStock) as refused:
        inventory_service.hold(session=s, variant_id=lipstick, location_id=riga, quantity=3, ref="cart-LV-2")
    with db.transaction() as s:
        left = list(s.scalars(select(Reservation).where(Reservation.ref == "cart-LV-2")))
        stock = inventory_service.availability(session=s, variant_ids=[lipstick], location_ids=[riga])[0]

    assert refused.value.extra["available"] == 2
    assert left == [] and stock.reserved == 0


def test_a_hold_under_the_reorder_point_raises_a_low_stock_event(db):
    lipstick = variant()
    with db.transaction() as s:
        riga = location(s).id
        stocked(s, lipstick, riga, 6)
        purchasing_service.set_reorder_point(session=s, actor=None, variant_id=lipstick, location_id=riga,
                                             min_quantity=3, max_quantity=10)

    with db.transaction() as s:
        inventory_service.reserve(session=s, variant_id=lipstick, location_id=riga, quantity=2, ref="cart-1")
        inventory_service.reserve(session=s, variant_id=lipstick, location_id=riga, quantity=2, ref="cart-2")
    with db.transaction() as s:
        low = list(s.scalars(select(OutboxEvent).where(OutboxEvent.event_type == "inventory.StockRanLow")))

    assert [e.payload["available"] for e in low] == [2]


def test_batch_availability_answers_every_pair_in_the_asked_order_with_zeros_for_unstocked_pairs(db):
    lipstick, mascara, serum = variant(), variant(), variant()
    with db.transaction() as s:
        riga = location(s).id
        warsaw = location(s, code="WARSZAWA-1").id
        stocked(s, lipstick, riga, 4)
        stocked(s, serum, warsaw, 7)
        inventory_service.reserve(session=s, variant_id=serum, location_id=warsaw, quantity=2, ref="cart-9")

    with db.transaction(read_only=True) as s:
        grid = inventory_service.availability(session=s, variant_ids=[serum, lipstick, mascara, serum],
                                              location_ids=[warsaw, riga, warsaw])
        anywhere = inventory_service.availability(session=s, variant_ids=[serum, lipstick, mascara])

    assert [(a.variant_id, a.location_id, a.available) for a in grid] == [
        (serum, warsaw, 5), (serum, riga, 0), (lipstick, warsaw, 0), (lipstick, riga, 4),
        (mascara, warsaw, 0), (mascara, riga, 0)]
    assert grid[0].reserved == 2 and grid[0].last_movement_at is not None
    assert grid[1].last_movement_at is None
    assert sorted((a.variant_id, a.location_id, a.on_hand) for a in anywhere) == sorted(
        [(serum, warsaw, 7), (lipstick, riga, 4)])
