"""Sourcing and the order state machine."""

from __future__ import annotations

import uuid

from omniretail.ordering.rules import Candidate, Need, can_move, choose_sources

LIP, SERUM = uuid.uuid4(), uuid.uuid4()
DC = Candidate(uuid.uuid4(), "RIGA-DC", "warehouse", 10.0, True, False)
STORE = Candidate(uuid.uuid4(), "RIGA-CENTRS", "store", 1.0, True, True)
FRANCHISE = Candidate(uuid.uuid4(), "VILNIUS-AKROPOLIS", "franchise_store", 0.5, True, True)


def test_pickup_prefers_the_chosen_store_over_the_warehouse():
    stock = {(LIP, STORE.location_id): 2, (LIP, DC.location_id): 50}

    decision = choose_sources(needs=[Need(LIP, 2)], candidates=[DC, STORE], stock=stock,
                              pickup_location_id=STORE.location_id)

    assert decision.rule == "chosen_store" and decision.locations == (STORE.location_id,)


def test_franchise_stores_fill_orders_only_when_the_merchant_allows():
    stock = {(LIP, FRANCHISE.location_id): 5, (LIP, DC.location_id): 5}

    assert choose_sources(needs=[Need(LIP, 1)], candidates=[FRANCHISE, DC], stock=stock).locations == (DC.location_id,)
    allowed = choose_sources(needs=[Need(LIP, 1)], candidates=[FRANCHISE, DC], stock=stock, allow_franchise=True)
    assert allowed.locations == (FRANCHISE.location_id,)


def test_without_a_single_full_location_the_order_ships_in_the_fewest_parcels():
    stock = {(LIP, STORE.location_id): 1, (SERUM, DC.location_id): 1}

    decision = choose_sources(needs=[Need(LIP, 1), Need(SERUM, 1)], candidates=[DC, STORE], stock=stock)

    assert decision.rule == "fewest_shipments" and set(decision.locations) == {DC.location_id, STORE.location_id}


def test_a_shipped_order_cannot_be_cancelled():
    assert not can_move("shipped", "cancelled").allowed
    assert can_move("placed", "paid").allowed
