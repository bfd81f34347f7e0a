"""Order placement in three steps on SQLite and PostgreSQL: idempotent, all-or-nothing, repaired after a crash."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from checkout_factories import ADDRESS, retailer
from sqlalchemy import func, select

from omniretail.cart import service as cart_service
from omniretail.checkout import placement
from omniretail.checkout import service as checkout_service
from omniretail.checkout.rules import Address
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.ordering import service as ordering_service
from omniretail.ordering.models import Order
from omniretail.payments import gateways as gw
from omniretail.payments.exceptions import PaymentDeclined
from omniretail.payments.models import Payment
from omniretail.payments.rules import TEST_CARD_APPROVE, TEST_CARD_DECLINE, TenderRequest


def _web_cart(db, shop, quantity=2):
    with db.transaction() as s:
        cart, _ = cart_service.create_cart(session=s, channel_id=shop.web)
        cart_service.add_line(session=s, cart=cart, variant_id=shop.lipstick, quantity=quantity)
        cart_service.add_line(session=s, cart=cart, variant_id=shop.serum, quantity=1)
        checkout_service.choose_delivery(session=s, cart=cart, method="courier", address=Address(**ADDRESS),
                                         email="anna@example.lv")
        return cart.id


def _reserved(db, shop):
    with db.transaction() as s:
        levels = inventory_service.availability(session=s, variant_ids=[shop.lipstick, shop.serum],
                                                location_ids=[shop.riga, shop.warehouse])
        return sum(a.reserved for a in levels)


def _count(db, model):
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_guest_order_for_delivery_is_numbered_paid_allocated_and_sourced_from_the_warehouse(db):
    with db.transaction() as s:
        shop = retailer(s)
    key = f"key-{uuid.uuid4()}"
    cart_id = _web_cart(db, shop)

    placed = placement.place_order(db=db, cart_id=cart_id, idempotency_key=key, actor="guest",
                                   tenders=[TenderRequest("card", card_number=TEST_CARD_APPROVE)])

    with db.transaction() as s:
        order = ordering_service.get_order(session=s, order_id=placed.order_id)
        assert order.number.startswith("W-")
        assert order.status == "allocated"
        assert order.total_minor == 2 * 1499 + 2999 + 0  # free shipping above 50 EUR
        assert order.location_id == shop.warehouse
        assert order.sourcing["rule"] == "single_location"
        kinds = [e.status for e in ordering_service.timeline(session=s, order_id=order.id)]
        assert kinds == ["placed", "paid", "allocated"]
    assert _reserved(db, shop) == 3
    assert len(gw.test_card().charges_for(key)) == 1


def test_double_submit_of_one_checkout_makes_one_order_and_one_charge(db):
    with db.transaction() as s:
        shop = retailer(s)
    key = f"key-{uuid.uuid4()}"
    cart_id = _web_cart(db, shop)
    results, errors = [], []

    def submit():
        try:
            results.append(placement.place_order(db=db, cart_id=cart_id, idempotency_key=key,
                                                 actor="guest",
                                                 tenders=[TenderRequest("card", card_number=TEST_CARD_APPROVE)]))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len({r.order_id for r in results}) == 1
    assert sum(1 for r in results if not r.replayed) == 1
    assert _count(db, Order) == 1
    assert _count(db, Payment) == 1
    assert len(gw.test_card().charges_for(key)) == 1


def test_a_declined_card_leaves_no_order_no_hold_and_no_charge(db):
    with db.transaction() as s:
        shop = retailer(s)
    key = f"key-{uuid.uuid4()}"
    cart_id = _web_cart(db, shop)

    with pytest.raises(PaymentDeclined):
        placement.place_order(db=db, cart_id=cart_id, idempotency_key=key, actor="guest",
                              tenders=[TenderRequest("card", card_number=TEST_CARD_DECLINE)])

    assert _reserved(db, shop) == 0
    assert _count(db, Order) == 0
    assert gw.test_card().charges_for(key) == []
    with pytest.raises(PaymentDeclined):
        placement.place_order(db=db, cart_id=cart_id, idempotency_key=key, actor="guest",
                              tenders=[TenderRequest("card", card_number=TEST_CARD_APPROVE)])


def test_reconciliation_fails_an_attempt_whose_hold_expired_and_releases_its_stock(db, dispatcher):
    with db.transaction() as s:
        shop = retailer(s)
    key = f"key-{uuid.uuid4()}"
    cart_id = _web_cart(db, shop)
    placement._hold(db, cart_id, key, [TenderRequest("card", card_number=TEST_CARD_APPROVE)], "guest",
                    None)
    assert _reserved(db, shop) == 3

    clock.advance(timedelta(minutes=30))
    dispatcher.run_jobs()
    dispatcher.drain()

    assert _reserved(db, shop) == 0
    assert _count(db, Order) == 0
