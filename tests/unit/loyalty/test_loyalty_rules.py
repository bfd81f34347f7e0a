"""Loyalty rules: earning, tiers, first-in first-out use of lots, redemption limits and exact reversals."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from omniretail.loyalty.rules import (
    Debit,
    EarnLine,
    EarnRule,
    Lot,
    Program,
    Tier,
    earn_points,
    expired,
    fifo,
    points_value,
    redeemable,
    reversal,
    tier_for,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
MAKEUP = uuid.UUID(int=100)
LIPSTICK, CANDLE = uuid.UUID(int=1), uuid.UUID(int=2)
GOLD = Tier("gold", "Gold", 50000, multiplier_percent=150, free_shipping=True)
SILVER = Tier("silver", "Silver", 0)


def line(product: uuid.UUID, net: int, brand: str = "Velvetine", categories=frozenset({MAKEUP})) -> EarnLine:
    return EarnLine(uuid.uuid5(product, str(net)), product, net, brand, categories)


def test_a_euro_earns_a_point_and_gold_members_earn_half_as_much_again():
    lines = [line(LIPSTICK, 2999)]

    silver = earn_points(lines, program=Program(), rules=[], tier=SILVER, channel=("web-eu", "web"), at=NOW)
    gold = earn_points(lines, program=Program(), rules=[], tier=GOLD, channel=("web-eu", "web"), at=NOW)

    assert list(silver.values()) == [29] and list(gold.values()) == [44]


def test_bonus_categories_campaigns_channels_and_exclusions_multiply_or_cancel():
    candle = line(CANDLE, 1000, brand="Lumo", categories=frozenset())
    lipstick = line(LIPSTICK, 1000)
    rules = [EarnRule("Makeup double", 200, category_id=MAKEUP),
             EarnRule("Black Friday", 300, starts_at=NOW - timedelta(days=1), ends_at=NOW + timedelta(days=1)),
             EarnRule("No points on Lumo", exclude=True, brand="Lumo"),
             EarnRule("Expired campaign", 1000, ends_at=NOW - timedelta(days=1))]
    program = Program(channel_multipliers={"app": 150})

    earned = earn_points([candle, lipstick], program=program, rules=rules, tier=None, channel=("app-eu", "app"),
                         at=NOW)

    assert earned == {candle.variant_id: 0, lipstick.variant_id: 10 * 2 * 3 * 3 // 2}


def test_the_tier_follows_the_rolling_spend():
    assert tier_for(49999, [SILVER, GOLD]) == SILVER
    assert tier_for(50000, [GOLD, SILVER]) == GOLD
    assert tier_for(100, [GOLD]) is None


def test_the_oldest_lot_is_used_first_and_expires_only_what_is_left_of_it():
    old = Lot(uuid.UUID(int=1), 100, NOW - timedelta(days=400), NOW - timedelta(days=35))
    new = Lot(uuid.UUID(int=2), 100, NOW - timedelta(days=100), NOW + timedelta(days=265))

    left = expired([old, new], [Debit(60, NOW - timedelta(days=50))], NOW)

    assert left == {old.id: 40}


def test_a_reversal_takes_from_its_own_lot_first():
    first = Lot(uuid.UUID(int=1), 50, NOW - timedelta(days=10))
    second = Lot(uuid.UUID(int=2), 50, NOW - timedelta(days=5))

    result = fifo([first, second], [Debit(30, NOW, lot_id=second.id)])

    assert result.remaining == {first.id: 50, second.id: 20}


def test_redemption_never_spends_more_than_needed_or_available():
    assert redeemable(requested=5000, available=800, payable_minor=1000, point_value_minor=1) == 800
    assert redeemable(requested=5000, available=8000, payable_minor=1000, point_value_minor=1) == 1000
    assert redeemable(requested=3, available=8000, payable_minor=1000, point_value_minor=1, min_points=100) == 0
    assert points_value(1000, point_value_minor=1, payable_minor=999) == 999


@settings(max_examples=300, deadline=None)
@given(requested=st.integers(-10, 10**6), available=st.integers(-100, 10**6), payable=st.integers(-10, 10**6),
       value=st.integers(0, 500))
def test_redeeming_never_spends_more_points_than_the_balance_nor_pays_more_than_is_due(requested, available,
                                                                                        payable, value):
    points = redeemable(requested=requested, available=available, payable_minor=payable, point_value_minor=value)

    assert 0 <= points <= max(0, min(requested, available))
    assert points_value(points, point_value_minor=value, payable_minor=payable) <= max(0, payable)


@settings(max_examples=300, deadline=None)
@given(earned=st.integers(0, 10**6), quantity=st.integers(1, 50), data=st.data())
def test_partial_returns_add_up_to_exactly_the_earned_points(earned, quantity, data):
    parts = data.draw(st.lists(st.integers(1, quantity), max_size=10))
    returned, taken = 0, 0
    for part in parts:
        taken += reversal(earned=earned, quantity=quantity, returned_before=returned, returned_now=part)
        returned = min(quantity, returned + part)

    assert taken == earned * returned // quantity
    assert 0 <= taken <= earned


lots = st.lists(st.tuples(st.integers(1, 1000), st.integers(0, 400)), max_size=12)
debits = st.lists(st.tuples(st.integers(1, 1500), st.integers(0, 400)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(credits=lots, spends=debits)
def test_fifo_keeps_the_ledger_sum_equal_to_what_is_left(credits, spends):
    made = [Lot(uuid.UUID(int=i + 1), points, NOW - timedelta(days=age)) for i, (points, age) in enumerate(credits)]
    taken = [Debit(points, NOW - timedelta(days=age)) for points, age in spends]

    result = fifo(made, taken)

    assert all(v >= 0 for v in result.remaining.values())
    ledger_sum = sum(lot.points for lot in made) - sum(d.points for d in taken)
    assert sum(result.remaining.values()) - result.uncovered == ledger_sum
    assert sum(u.points for u in result.uses) == sum(d.points for d in taken) - result.uncovered
