"""Refund plans never give back more than was captured, whatever the sequence of requests."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from omniretail.payments.rules import Tender, TenderRequest, plan_refund, split


@given(captured=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=4),
       asks=st.lists(st.integers(min_value=-5, max_value=15_000), max_size=8), to_credit=st.booleans())
def test_a_refund_never_exceeds_what_was_captured(captured, asks, to_credit):
    tenders = [Tender(uuid.uuid4(), "card", c, 0) for c in captured]
    refunded = {t.payment_id: 0 for t in tenders}

    for ask in asks:
        current = [Tender(t.payment_id, t.method, t.captured_minor, refunded[t.payment_id]) for t in tenders]
        plan = plan_refund(current, ask, to_store_credit=to_credit)
        if isinstance(plan, str):
            assert ask <= 0 or ask > sum(t.refundable for t in current)
            continue
        assert sum(p.amount_minor for p in plan) == ask
        for part in plan:
            refunded[part.payment_id] += part.amount_minor

    assert all(refunded[t.payment_id] <= t.captured_minor for t in tenders)
    assert sum(refunded.values()) <= sum(captured)


def test_refunds_go_back_to_the_tenders_in_the_order_they_were_taken():
    gift, card = Tender(uuid.uuid4(), "gift_card", 1000, 0), Tender(uuid.uuid4(), "card", 1999, 0)

    plan = plan_refund([gift, card], 1500)

    assert [(p.payment_id, p.amount_minor) for p in plan] == [(gift.payment_id, 1000), (card.payment_id, 500)]


def test_cash_pays_the_rest_and_gives_change():
    shares = split(2999, [TenderRequest("gift_card", amount_minor=1000),
                          TenderRequest("cash", cash_tendered_minor=2000)])

    assert not isinstance(shares, str)
    assert [(s.method, s.amount_minor, s.change_minor) for s in shares] == [("gift_card", 1000, 0), ("cash", 1999, 1)]
