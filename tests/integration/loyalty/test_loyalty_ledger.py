"""The points ledger on SQLite and PostgreSQL: earned on orders (pending until the return window closes),
reversed exactly on returns, spent at checkout without double spending, expired first-in first-out, merged."""

from __future__ import annotations

import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "promotions"))

from offers_factories import buy_online, programme, retailer, web_cart

from omniretail.kernel import clock
from omniretail.kernel.outbox import record
from omniretail.loyalty import service as loyalty_service
from omniretail.loyalty.exceptions import NotEnoughPoints
from omniretail.loyalty.models import LedgerEntry
from omniretail.returns.events import ReturnCompleted, ReturnedLine


def _balance(db, customer_id):
    with db.transaction() as s:
        return loyalty_service.balance(session=s, customer_id=customer_id)


def _ledger_sum(db, customer_id):
    with db.transaction() as s:
        return s.scalar(select(func.coalesce(func.sum(LedgerEntry.points), 0))
                        .where(LedgerEntry.customer_id == customer_id))


def test_points_earned_on_an_order_stay_pending_until_the_return_window_closes(db, dispatcher):
    with db.transaction() as s:
        shop = retailer(s)
        programme(s)
    anna = uuid.uuid4()
    buy_online(db, web_cart(db, shop, customer_id=anna), anna)

    dispatcher.drain()
    pending = _balance(db, anna)
    clock.advance(timedelta(days=30, minutes=1))
    after = _balance(db, anna)

    assert (pending.available, pending.pending) == (0, 29 + 29)  # each line earns a point per whole euro paid
    assert (after.available, after.pending, after.lifetime) == (58, 0, 58)
    assert _ledger_sum(db, anna) == after.available + after.pending


def test_returned_units_take_back_exactly_their_points_over_several_returns(db, dispatcher):
    with db.transaction() as s:
        shop = retailer(s)
        programme(s)
        loyalty_service.add_earn_rule(session=s, name="Triple lipstick week", multiplier_percent=300,
                                      product_id=None, brand="Velvetine")
    ilze = uuid.uuid4()
    placed = buy_online(db, web_cart(db, shop, customer_id=ilze, lipsticks=3, serums=0), ilze)
    dispatcher.drain()
    earned = _balance(db, ilze).pending

    for rma in ("R-1", "R-2"):
        with db.transaction() as s:
            record(s, ReturnCompleted(uuid.uuid4(), rma, placed.order_id, placed.number, ilze, "EUR",
                                      (ReturnedLine(shop.lipstick, 1 if rma == "R-1" else 2, 1499),)))
        dispatcher.drain()

    assert earned == 3 * 1499 * 3 // 100  # 44.97 EUR at triple points
    assert _balance(db, ilze).pending == 0 and _ledger_sum(db, ilze) == 0
    with db.transaction() as s:
        assert loyalty_service.rolling_spend(session=s, customer_id=ilze) == 0


def test_held_points_cannot_be_spent_twice_and_come_back_on_release(db):
    juris = uuid.uuid4()
    with db.transaction() as s:
        loyalty_service.adjust(session=s, customer_id=juris, points=300, note="welcome gift")
        loyalty_service.hold_points(session=s, hold_ref="checkout:a", customer_id=juris, points=200,
                                    location_id=None, channel_code="web-eu")

    with db.transaction() as s, pytest.raises(NotEnoughPoints):
        loyalty_service.hold_points(session=s, hold_ref="checkout:b", customer_id=juris, points=200,
                                    location_id=None, channel_code="pos-riga")
    with db.transaction() as s:
        loyalty_service.release_points(session=s, hold_ref="checkout:a")
        loyalty_service.release_points(session=s, hold_ref="checkout:a")

    assert _balance(db, juris).available == 300 == _ledger_sum(db, juris)


def test_points_expire_first_in_first_out(db):
    clock.freeze(clock.now())
    liga = uuid.uuid4()
    with db.transaction() as s:
        loyalty_service.configure(session=s, expiry_months=12)
        loyalty_service.adjust(session=s, customer_id=liga, points=100, note="old lot")
    clock.advance(timedelta(days=200))
    with db.transaction() as s:
        loyalty_service.adjust(session=s, customer_id=liga, points=100, note="new lot")
        loyalty_service.adjust(session=s, customer_id=liga, points=-150, note="spent")
    clock.advance(timedelta(days=170))

    with db.transaction() as s:
        first = loyalty_service.settle(session=s)
    with db.transaction() as s:
        again = loyalty_service.settle(session=s)

    assert first.expired_points == 0 and again.expired_points == 0  # the old lot was used up by the spend
    clock.advance(timedelta(days=200))
    with db.transaction() as s:
        assert loyalty_service.settle(session=s).expired_points == 50
    assert _balance(db, liga).available == 0


def test_a_merge_moves_every_lot_with_its_availability(db):
    survivor, merged = uuid.uuid4(), uuid.uuid4()
    with db.transaction() as s:
        loyalty_service.adjust(session=s, customer_id=merged, points=120, note="gift")
        loyalty_service.adjust(session=s, customer_id=survivor, points=30, note="gift")
        loyalty_service.merge(session=s, survivor_id=survivor, merged_id=merged)
    with db.transaction() as s:
        loyalty_service.merge(session=s, survivor_id=survivor, merged_id=merged)

    assert _balance(db, merged).available == 0 == _ledger_sum(db, merged)
    assert _balance(db, survivor).available == 150 == _ledger_sum(db, survivor)
