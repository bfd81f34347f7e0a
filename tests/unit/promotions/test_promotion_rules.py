from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from omniretail.kernel.money import Money
from omniretail.promotions.rules import (
    BenefitKind,
    Cart,
    Conditions,
    Line,
    Promotion,
    Scope,
    evaluate,
)

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)  # a Friday
LIPSTICK = uuid.UUID(int=1)
MASCARA = uuid.UUID(int=2)
CANDLE = uuid.UUID(int=3)
MAKEUP = uuid.UUID(int=100)


def line(line_id: str, product: uuid.UUID, price: int, qty: int = 1, brand: str = "Velvet",
         categories: frozenset[uuid.UUID] = frozenset({MAKEUP})) -> Line:
    return Line(line_id, uuid.uuid5(product, line_id), product, qty, Money(price, "EUR"), brand, categories)


def cart(*lines: Line, **kw) -> Cart:
    return Cart(currency="EUR", lines=tuple(lines), at=NOW, **kw)


def promo(name: str, kind: BenefitKind, **kw) -> Promotion:
    return Promotion(id=uuid.uuid5(uuid.NAMESPACE_DNS, name), name=name, kind=kind, **kw)


def test_twenty_percent_off_makeup_leaves_the_candle_alone():
    result = evaluate(cart(line("a", LIPSTICK, 1999), line("b", CANDLE, 1500, categories=frozenset())),
                      [promo("Makeup week", BenefitKind.PERCENT_OFF, percent=Decimal(20),
                             scope=Scope(category_ids=frozenset({MAKEUP})))])

    assert result.discount == Money(400, "EUR")
    assert result.line_discount("a") == Money(400, "EUR")
    assert result.line_discount("b") == Money(0, "EUR")


def test_buy_two_get_the_cheapest_third_free():
    result = evaluate(cart(line("a", LIPSTICK, 1999, 2), line("b", MASCARA, 1299)),
                      [promo("3 for 2", BenefitKind.BUY_X_GET_Y, buy=2, get=1)])

    assert result.discount == Money(1299, "EUR")
    assert result.line_discount("b") == Money(1299, "EUR")


def test_a_spend_threshold_says_how_much_is_missing():
    result = evaluate(cart(line("a", LIPSTICK, 1999)),
                      [promo("5 off 30", BenefitKind.AMOUNT_OFF, amount_minor=500,
                             conditions=Conditions(min_spend_minor=3000))])

    assert result.discount == Money(0, "EUR")
    assert result.skipped[0].reason == "spend 10.01 EUR more on qualifying items"


def test_the_shopper_gets_the_better_of_an_exclusive_deal_and_the_combined_ones():
    shopping = cart(line("a", LIPSTICK, 2000), line("b", MASCARA, 2000))
    promotions = [
        promo("Half price lipstick", BenefitKind.PERCENT_OFF, percent=Decimal(50), exclusive=True,
              scope=Scope(product_ids=frozenset({LIPSTICK}))),
        promo("10% off", BenefitKind.PERCENT_OFF, percent=Decimal(10), priority=1),
        promo("3 off", BenefitKind.AMOUNT_OFF, amount_minor=300, priority=2),
    ]

    result = evaluate(shopping, promotions)

    assert [a.name for a in result.adjustments] == ["Half price lipstick"]
    assert result.discount == Money(1000, "EUR")
    assert {s.reason for s in result.skipped} == {"does not combine with a better offer"}


def test_promotions_in_one_group_do_not_combine_and_the_best_one_counts():
    result = evaluate(cart(line("a", LIPSTICK, 5000)),
                      [promo("10% app", BenefitKind.PERCENT_OFF, percent=Decimal(10), group="welcome"),
                       promo("15% newsletter", BenefitKind.PERCENT_OFF, percent=Decimal(15), group="welcome")])

    assert [a.name for a in result.adjustments] == ["15% newsletter"]


def test_a_coupon_limited_to_one_use_per_customer_refuses_the_second():
    welcome = promo("WELCOME10", BenefitKind.PERCENT_OFF, percent=Decimal(10),
                    conditions=Conditions(coupon_code="WELCOME10", per_customer_limit=1))

    first = evaluate(cart(line("a", LIPSTICK, 2000), coupon_codes=frozenset({"WELCOME10"})), [welcome])
    second = evaluate(cart(line("a", LIPSTICK, 2000), coupon_codes=frozenset({"WELCOME10"}),
                           coupon_uses={"WELCOME10": 1}), [welcome])

    assert first.discount == Money(200, "EUR")
    assert second.discount == Money(0, "EUR")
    assert second.skipped[0].reason == "coupon already used the allowed number of times"


def test_a_gift_with_purchase_respects_gift_stock():
    gift = uuid.UUID(int=999)
    offer = promo("Free tote", BenefitKind.GIFT, gift_variant_id=gift, conditions=Conditions(min_spend_minor=1000))

    with_stock = evaluate(cart(line("a", LIPSTICK, 2000), gift_stock={gift: 3}), [offer])
    without = evaluate(cart(line("a", LIPSTICK, 2000), gift_stock={gift: 0}), [offer])

    assert with_stock.adjustments[0].gift_variant_id == gift
    assert without.adjustments == () and without.skipped[0].reason == "the gift is out of stock"


def test_a_bundle_of_three_candles_costs_twenty_five():
    result = evaluate(cart(line("c", CANDLE, 1200, 4)),
                      [promo("3 candles for 25", BenefitKind.BUNDLE_PRICE, buy=3, amount_minor=2500)])

    assert result.discount == Money(3600 - 2500, "EUR")


def test_offers_outside_their_channel_or_hours_explain_why():
    result = evaluate(cart(line("a", LIPSTICK, 2000), channel="store"),
                      [promo("Web only", BenefitKind.PERCENT_OFF, percent=Decimal(5),
                             conditions=Conditions(channels=frozenset({"web"}))),
                       promo("Happy hour", BenefitKind.PERCENT_OFF, percent=Decimal(5),
                             conditions=Conditions(hours=(17, 19)))])

    assert sorted(s.reason for s in result.skipped) == ["not offered at this hour", "not offered in the store channel"]


prices = st.integers(min_value=1, max_value=50_000)
lines_strategy = st.lists(st.tuples(st.sampled_from([LIPSTICK, MASCARA, CANDLE]), prices,
                                    st.integers(min_value=1, max_value=5)), min_size=1, max_size=12)
promotion_strategy = st.builds(
    lambda kind, pct, amount, buy, get, prio, excl, group: promo(
        f"{kind}-{pct}-{amount}-{buy}-{get}-{prio}-{excl}-{group}", kind, percent=Decimal(pct), amount_minor=amount,
        buy=buy, get=get, priority=prio, exclusive=excl, group=group),
    st.sampled_from([BenefitKind.PERCENT_OFF, BenefitKind.AMOUNT_OFF, BenefitKind.FIXED_PRICE,
                     BenefitKind.BUY_X_GET_Y, BenefitKind.BUNDLE_PRICE]),
    st.integers(min_value=0, max_value=100), st.integers(min_value=0, max_value=100_000),
    st.integers(min_value=0, max_value=4), st.integers(min_value=0, max_value=3),
    st.integers(min_value=0, max_value=5), st.booleans(), st.sampled_from([None, "a", "b"]))


@settings(max_examples=300, deadline=None)
@given(raw_lines=lines_strategy, promotions=st.lists(promotion_strategy, max_size=8))
def test_totals_are_never_negative_and_line_shares_add_up_to_the_discount(raw_lines, promotions):
    shopping = cart(*(line(f"l{i}", product, price, qty) for i, (product, price, qty) in enumerate(raw_lines)))

    result = evaluate(shopping, promotions)

    assert 0 <= result.discount.amount_minor <= result.subtotal.amount_minor
    assert result.total.amount_minor >= 0
    assert sum(a.amount.amount_minor for a in result.adjustments) == result.discount.amount_minor
    for adjustment in result.adjustments:
        assert sum(m.amount_minor for m in adjustment.per_line.values()) == adjustment.amount.amount_minor
    for item in shopping.lines:
        assert 0 <= result.line_discount(item.line_id).amount_minor <= item.total.amount_minor
