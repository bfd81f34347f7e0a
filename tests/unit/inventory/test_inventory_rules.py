"""Inventory rules: availability, holds, distances, document steps and reorder suggestions."""

from __future__ import annotations

import uuid

import pytest

from omniretail.inventory import rules
from omniretail.inventory.rules import ReorderInput, ReservationLine, StockSnapshot

LIP, RIGA = uuid.UUID(int=1), uuid.UUID(int=2)


def test_available_keeps_safety_stock_back_and_is_never_negative():
    assert StockSnapshot(LIP, RIGA, on_hand=10, reserved=3, safety_stock=2).available == 5
    assert StockSnapshot(LIP, RIGA, on_hand=2, reserved=1, safety_stock=4).available == 0


@pytest.mark.parametrize(("quantity", "allowed", "reason"), [
    (2, True, ""), (3, False, "only 2 available"), (0, False, "quantity must be positive")])
def test_a_hold_is_refused_with_a_reason(quantity, allowed, reason):
    decision = rules.can_reserve(StockSnapshot(LIP, RIGA, on_hand=5, reserved=3), quantity)

    assert (decision.allowed, decision.reason) == (allowed, reason)


def test_riga_to_vilnius_is_about_262_km():
    assert rules.haversine_km(56.9496, 24.1052, 54.6872, 25.2797) == pytest.approx(262, abs=3)
    assert rules.haversine_km(56.9, 24.1, 56.9, 24.1) == 0


def test_a_transfer_cannot_ship_before_it_is_approved():
    assert not rules.step_allowed(rules.TRANSFER_STEPS, "ship", "requested").allowed
    assert rules.step_allowed(rules.TRANSFER_STEPS, "ship", "approved").allowed
    assert rules.step_allowed(rules.TRANSFER_STEPS, "cancel", "in_transit").reason == \
        "cannot cancel a in transit document"


@pytest.mark.parametrize(("available", "on_order", "minimum_order", "expected"), [
    (5, 0, 1, 0), (3, 0, 1, 7), (1, 5, 1, 0), (0, 0, 24, 24), (2, 1, 1, 7)])
def test_the_suggested_order_fills_up_to_max_in_supplier_minimums(available, on_order, minimum_order, expected):
    item = ReorderInput(LIP, RIGA, available, on_order, min_quantity=3, max_quantity=10,
                        min_order_quantity=minimum_order)

    assert rules.suggest_order(item) == expected


def test_low_stock_is_flagged_once_when_the_minimum_is_crossed():
    assert rules.crossed_below(before=4, after=3, minimum=3)
    assert not rules.crossed_below(before=3, after=2, minimum=3)


def test_rows_are_always_locked_by_variant_then_location():
    a, b = uuid.UUID(int=5), uuid.UUID(int=9)
    lines = [ReservationLine(b, a, 1), ReservationLine(a, b, 1), ReservationLine(a, a, 1)]

    assert [(x.variant_id, x.location_id) for x in rules.lock_order(lines)] == [(a, a), (a, b), (b, a)]


def test_corrections_and_discrepancies_have_the_right_sign():
    assert rules.count_correction(counted=8, on_hand=10) == -2
    assert rules.transfer_discrepancy(shipped=3, received=2) == 1
