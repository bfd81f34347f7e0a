"""The engine's result on a cart, with free shipping and points, as the cart's adjustments: totals are never
negative, line shares add up to the order discount to the cent, and points never exceed the balance."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from omniretail.cart.offers import Redemption, build
from omniretail.cart.rules import Offers, PricedLine, totals
from omniretail.kernel.money import Money
from omniretail.promotions.rules import BenefitKind, Cart, Line, Promotion, evaluate

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
KINDS = [BenefitKind.PERCENT_OFF, BenefitKind.AMOUNT_OFF, BenefitKind.FIXED_PRICE, BenefitKind.BUY_X_GET_Y,
         BenefitKind.BUNDLE_PRICE, BenefitKind.FREE_SHIPPING]

promotions = st.lists(st.builds(
    lambda i, kind, pct, amount, buy, get, excl, group: Promotion(
        uuid.UUID(int=i), f"P{i}", kind, percent=Decimal(pct), amount_minor=amount, buy=buy, get=get, exclusive=excl,
        group=group),
    st.integers(1, 10**6), st.sampled_from(KINDS), st.integers(0, 100), st.integers(0, 50_000), st.integers(0, 4),
    st.integers(0, 3), st.booleans(), st.sampled_from([None, "a"])), max_size=6, unique_by=lambda p: p.id)
cart_lines = st.lists(st.tuples(st.integers(1, 40_000), st.integers(1, 6), st.sampled_from([0, 900, 2100]),
                                st.booleans()), min_size=1, max_size=10)


@settings(max_examples=300, deadline=None)
@given(raw=cart_lines, offers=promotions, shipping=st.integers(0, 1500), requested=st.integers(0, 200_000),
       available=st.integers(-50, 200_000), point_value=st.integers(1, 5), free_tier=st.booleans())
def test_totals_are_never_negative_and_line_shares_add_up_to_the_order_discount(raw, offers, shipping, requested,
                                                                                available, point_value, free_tier):
    lines = tuple(Line(f"{uuid.UUID(int=i + 1)}", uuid.UUID(int=i + 1), uuid.UUID(int=1000 + i), qty,
                       Money(price, "EUR")) for i, (price, qty, _, _) in enumerate(raw))
    result = evaluate(Cart("EUR", lines, NOW, shipping=Money(shipping, "EUR")), offers)

    adjustments, remaining = build(result, lines, Money(shipping, "EUR"), "EUR",
                                   tier_shipping="Gold free shipping" if free_tier else None, tier_source="tier:gold",
                                   redemption=Redemption(requested, available, point_value))
    priced = [PricedLine(line.variant_id, line.quantity, line.unit_price, rate, inclusive)
              for line, (_, _, rate, inclusive) in zip(lines, raw, strict=True)]
    t = totals(priced, currency="EUR", shipping=Money(shipping, "EUR"), offers=Offers(tuple(adjustments)))

    assert t.total.amount_minor >= 0 and t.shipping.amount_minor >= 0
    allocated = sum(cut for a in adjustments if not a.shipping for _, cut in a.per_line)
    assert allocated == t.discount.amount_minor == -sum(a.amount.amount_minor for a in adjustments if not a.shipping)
    assert all(left >= 0 for left in remaining.values())
    spent = sum(a.points for a in adjustments)
    assert 0 <= spent <= max(0, min(requested, available))
    assert t.total.amount_minor == t.subtotal.amount_minor + t.shipping.amount_minor - t.discount.amount_minor
