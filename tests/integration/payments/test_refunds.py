"""Refunds never hold a transaction across the gateway call, refund once per key, never more than was captured,
and are finished by the repair job after a crash."""

from __future__ import annotations

import sys
import threading
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checkout"))

from checkout_factories import ADDRESS, retailer
from sqlalchemy import select

from omniretail.cart import service as cart_service
from omniretail.checkout import placement
from omniretail.checkout import service as checkout_service
from omniretail.checkout.rules import Address
from omniretail.kernel import clock
from omniretail.ordering import changes
from omniretail.payments import gateways as gw
from omniretail.payments import refunds
from omniretail.payments import service as payments_service
from omniretail.payments.exceptions import RefundRefused
from omniretail.payments.models import Payment, Refund
from omniretail.payments.rules import TEST_CARD_APPROVE, TenderRequest


def place_card_order(db, shop, *, tenders=None, customer_id=None):
    with db.transaction() as s:
        cart, _ = cart_service.create_cart(session=s, channel_id=shop.web, customer_id=customer_id)
        cart_service.add_line(session=s, cart=cart, variant_id=shop.lipstick, quantity=2)
        checkout_service.choose_delivery(session=s, cart=cart, method="courier", address=Address(**ADDRESS),
                                         email="anna@example.lv")
        cart_id = cart.id
    return placement.place_order(db=db, cart_id=cart_id, idempotency_key=f"order-{uuid.uuid4()}", actor="guest",
                                 customer_id=customer_id,
                                 tenders=tenders or [TenderRequest("card", card_number=TEST_CARD_APPROVE)])


def card_payment(db, order_id):
    with db.transaction() as s:
        return s.scalar(select(Payment).where(Payment.order_id == order_id, Payment.method == "card"))


def test_a_refund_retried_with_the_same_key_refunds_the_lipsticks_once(db):
    with db.transaction() as s:
        shop = retailer(s)
    placed = place_card_order(db, shop)
    payment = card_payment(db, placed.order_id)

    first = refunds.refund_payment(db=db, payment_id=payment.id, amount_minor=1000, idempotency_key="rf-lip-0001",
                                   to_store_credit=False, customer_id=None, actor="staff:anna")
    again = refunds.refund_payment(db=db, payment_id=payment.id, amount_minor=1000, idempotency_key="rf-lip-0001",
                                   to_store_credit=False, customer_id=None, actor="staff:anna")

    assert [d.refund_id for d in first] == [d.refund_id for d in again]
    assert first[0].status == "completed"
    assert gw.test_card().charge(payment.gateway_ref).refunded_minor == 1000
    assert card_payment(db, placed.order_id).refunded_minor == 1000


def test_two_concurrent_refunds_never_give_back_more_than_the_card_paid(pg_db):
    with pg_db.transaction() as s:
        shop = retailer(s)
    placed = place_card_order(pg_db, shop)
    payment = card_payment(pg_db, placed.order_id)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def ask(n: int) -> None:
        barrier.wait()
        try:
            refunds.refund_payment(db=pg_db, payment_id=payment.id, amount_minor=2000,
                                   idempotency_key=f"rf-race-{n:04d}", to_store_credit=False, customer_id=None,
                                   actor="staff:anna")
            outcomes.append("refunded")
        except RefundRefused:
            outcomes.append("refused")

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["refunded", "refused"]
    assert card_payment(pg_db, placed.order_id).refunded_minor == 2000 <= payment.captured_minor
    assert gw.test_card().charge(payment.gateway_ref).refunded_minor == 2000


class _Unreachable:
    """A card gateway whose refunds time out (the charge itself went through the real test gateway)."""

    name = "test_card"

    def __getattr__(self, name):
        return getattr(gw.test_card(), name)

    def refund(self, **kwargs):
        raise TimeoutError("the gateway did not answer")


def test_a_refund_interrupted_at_the_gateway_stays_pending_until_the_repair_job_finishes_it(db, dispatcher):
    with db.transaction() as s:
        shop = retailer(s)
    placed = place_card_order(db, shop)
    payment = card_payment(db, placed.order_id)
    old = gw.use(gw.Gateways({"card": _Unreachable(), "pay_later": _Unreachable()}))
    try:
        done = refunds.refund_payment(db=db, payment_id=payment.id, amount_minor=1500,
                                      idempotency_key="rf-timeout-01", to_store_credit=False, customer_id=None,
                                      actor="staff:anna")
    finally:
        gw.use(old)
    assert done[0].status == "pending"

    clock.advance(timedelta(minutes=5))
    dispatcher.run_jobs()

    with db.transaction() as s:
        row = s.get(Refund, done[0].refund_id)
        assert row.status == "completed" and row.gateway_ref
    assert gw.test_card().charge(payment.gateway_ref).refunded_minor == 1500


def test_cancelling_an_order_gives_the_stock_back_and_refunds_the_card_once(db):
    from omniretail.inventory import service as inventory_service

    with db.transaction() as s:
        shop = retailer(s)
    placed = place_card_order(db, shop)
    payment = card_payment(db, placed.order_id)

    changes.cancel_order(db=db, order_id=placed.order_id, actor="staff:anna", reason="customer called")
    changes.cancel_order(db=db, order_id=placed.order_id, actor="staff:anna", reason="clicked twice")

    with db.transaction() as s:
        order = s.get(payments_service.Payment, payment.id)
        assert order.refunded_minor == payment.captured_minor
        from omniretail.ordering import service as ordering_service
        cancelled = ordering_service.get_order(session=s, order_id=placed.order_id)
        assert cancelled.status == "cancelled" and cancelled.refunded_minor == cancelled.total_minor
        levels = inventory_service.availability(session=s, variant_ids=[shop.lipstick],
                                                location_ids=[shop.riga, shop.warehouse])
        assert sum(a.reserved for a in levels) == 0
    assert gw.test_card().charge(payment.gateway_ref).refunded_minor == payment.captured_minor


def test_a_store_credit_refund_lands_on_the_customers_credit_and_pays_the_next_order(db):
    with db.transaction() as s:
        shop = retailer(s)
    customer_id = uuid.uuid4()
    placed = place_card_order(db, shop, customer_id=customer_id)
    payment = card_payment(db, placed.order_id)

    changes.refund_order(db=db, order_id=placed.order_id, amount_minor=1499, idempotency_key="rf-credit-01",
                         to_store_credit=True, actor="staff:anna")
    second = place_card_order(db, shop, customer_id=customer_id, tenders=[
        TenderRequest("store_credit", amount_minor=1499),
        TenderRequest("card", card_number=TEST_CARD_APPROVE)])

    with db.transaction() as s:
        account = payments_service.store_credit_account(session=s, customer_id=customer_id, currency="EUR")
        assert payments_service.balance(session=s, account_id=account.id) == 0
        tenders = payments_service.payments_of(session=s, order_id=second.order_id)
        assert (tenders[0].method, tenders[0].amount_minor) == ("store_credit", 1499)
    assert gw.test_card().charge(payment.gateway_ref).refunded_minor == 0


@pytest.mark.parametrize("amount", [0, 10**7])
def test_a_refund_of_nothing_or_of_more_than_was_paid_is_refused(db, amount):
    with db.transaction() as s:
        shop = retailer(s)
    placed = place_card_order(db, shop)
    payment = card_payment(db, placed.order_id)

    with pytest.raises(RefundRefused):
        refunds.refund_payment(db=db, payment_id=payment.id, amount_minor=amount, idempotency_key="rf-too-much",
                               to_store_credit=False, customer_id=None, actor="staff:anna")
