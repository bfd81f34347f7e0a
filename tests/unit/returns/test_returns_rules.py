"""The return policy engine and refund arithmetic: every refusal explains itself, refunds never exceed what
was paid, cash that comes back by post goes to store credit."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from omniretail.returns import rules
from omniretail.returns.rules import LineAsk, Policy, ReturnAsk, TenderLeft

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
SKINCARE = "cat-skincare"


def _ask(*lines: LineAsk, status: str = "delivered", days_ago: int = 3, via: str = "online", store_sale=False,
         has_receipt=True, method: str = "original") -> ReturnAsk:
    return ReturnAsk(order_status=status, received_at=NOW - timedelta(days=days_ago), now=NOW, via=via,
                     store_sale=store_sale, has_receipt=has_receipt, refund_method=method, lines=lines)


def _line(sku: str = "SERUM-GLOW-30", quantity: int = 1, bought: int = 2, before: int = 0,
          condition: str = "resellable", categories: tuple[str, ...] = ()) -> LineAsk:
    return LineAsk(sku, categories, bought, before, quantity, condition)


def test_a_delivered_serum_inside_the_window_may_come_back():
    assert rules.evaluate(Policy(), _ask(_line())) == rules.Decision(True)


def test_a_closed_window_per_category_and_a_final_sale_item_are_refused_with_their_reasons():
    policy = Policy(window_days=30, category_windows={SKINCARE: 14}, final_sale_skus=frozenset({"LIP-VELVET-07"}))

    decision = rules.evaluate(policy, _ask(_line(categories=(SKINCARE,)), _line("LIP-VELVET-07"), days_ago=20))

    assert not decision.allowed
    assert decision.reasons == ("SERUM-GLOW-30: the 14-day return window has closed",
                                "LIP-VELVET-07: final sale items cannot be returned")


def test_undelivered_orders_exchange_only_items_damaged_goods_and_too_many_units_are_refused():
    policy = Policy(exchange_only_skus=frozenset({"MASCARA-XL-01"}))

    decision = rules.evaluate(policy, _ask(_line("MASCARA-XL-01"), _line(quantity=2, before=1, condition="damaged"),
                                           status="shipped"))

    assert decision.reasons == (
        "the order is shipped; only delivered or collected orders can be returned",
        "MASCARA-XL-01: can only be exchanged",
        "SERUM-GLOW-30: items in damaged condition are not accepted",
        "SERUM-GLOW-30: only 1 can still be returned")


def test_a_store_sale_without_receipt_is_refused_when_the_policy_asks_for_one():
    assert not rules.evaluate(Policy(), _ask(_line(), store_sale=True, has_receipt=False)).allowed
    relaxed = Policy(receipt_required_for_store_sales=False)
    assert rules.evaluate(relaxed, _ask(_line(), store_sale=True, has_receipt=False)).allowed


def test_returning_every_unit_in_steps_refunds_exactly_what_the_line_cost():
    steps = [rules.line_refund(gross_minor=1000, discount_share_minor=1, bought=3, returned_before=i, quantity=1)
             for i in range(3)]

    assert steps == [333, 333, 333] and sum(steps) == 999


def test_cash_returned_by_post_goes_to_store_credit_and_the_card_back_to_the_card():
    cash, card = uuid.uuid4(), uuid.uuid4()
    tenders = [TenderLeft(card, "card", 1000), TenderLeft(cash, "cash", 500)]

    by_post = rules.tender_plan(tenders, 1200, method="original", via="post", policy=Policy())
    at_store = rules.tender_plan(tenders, 1200, method="original", via="store", policy=Policy())

    assert by_post == [rules.RefundSlice(card, 1000, False), rules.RefundSlice(cash, 200, True)]
    assert at_store == [rules.RefundSlice(card, 1000, False), rules.RefundSlice(cash, 200, False)]
    assert rules.tender_plan(tenders, 1600, method="original", via="store", policy=Policy()) == \
        "only 1500 can still be refunded"


def test_an_exchange_refunds_the_cheaper_difference_or_collects_the_dearer_one():
    assert rules.exchange_settlement(returned_value_minor=2999, new_price_minor=1999) == rules.Settlement(1000, 0)
    assert rules.exchange_settlement(returned_value_minor=1499, new_price_minor=1999) == rules.Settlement(0, 500)


@st.composite
def _history(draw: st.DrawFn) -> tuple[list[tuple[int, int, int]], list[int], list[tuple[str, int, int]]]:
    lines = draw(st.lists(st.tuples(st.integers(1, 5_000), st.integers(0, 300), st.integers(1, 4)),
                          min_size=1, max_size=4))  # (unit price, discount share, quantity)
    tenders = draw(st.lists(st.integers(1, 10_000), min_size=1, max_size=3))
    ops = draw(st.lists(st.tuples(st.sampled_from(["return", "exchange", "cancel"]), st.integers(0, 3),
                                  st.integers(1, 4)), max_size=8))
    return lines, tenders, ops


@settings(max_examples=200, deadline=None)
@given(_history())
def test_refunds_never_exceed_what_was_paid_across_partial_returns_exchanges_and_cancellations(history):
    lines, tender_amounts, ops = history
    gross = [price * qty for price, _, qty in lines]
    shares = [min(share, g) for (_, share, _), g in zip(lines, gross, strict=True)]
    order_total = sum(g - s for g, s in zip(gross, shares, strict=True))
    # Tenders cover the order total in the order they were taken (the last one takes what is left).
    paid, left = [], order_total
    for amount in tender_amounts[:-1]:
        take = min(amount, left)
        paid.append(take)
        left -= take
    paid.append(left)
    ids = [uuid.uuid4() for _ in paid]
    refunded = [0] * len(paid)
    returned = [0] * len(lines)
    cancelled = False
    for kind, index, quantity in ops:
        i = index % len(lines)
        if kind == "cancel":
            amount, cancelled = sum(paid) - sum(refunded), True
        else:
            quantity = min(quantity, lines[i][2] - returned[i])
            if quantity <= 0:
                continue
            amount = rules.line_refund(gross_minor=gross[i], discount_share_minor=shares[i], bought=lines[i][2],
                                       returned_before=returned[i], quantity=quantity)
            if kind == "exchange":
                amount = rules.exchange_settlement(returned_value_minor=amount,
                                                   new_price_minor=lines[(i + 1) % len(lines)][0]).refund_minor
            returned[i] += quantity
        tenders = [TenderLeft(ids[k], "cash" if k % 2 else "card", paid[k] - refunded[k]) for k in range(len(paid))]
        plan = rules.tender_plan(tenders, amount, method="original", via="post", policy=Policy())
        if isinstance(plan, str):
            # Only a cancellation can have given back what a later return asks for: then it is refused.
            assert cancelled and amount > sum(paid) - sum(refunded), plan
            continue
        for part in plan:
            refunded[ids.index(part.payment_id)] += part.amount_minor

        assert all(0 <= r <= p for r, p in zip(refunded, paid, strict=True))
        assert sum(refunded) <= order_total
