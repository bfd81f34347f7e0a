"""On PostgreSQL with real threads: the same pickup code scanned at two tills at once hands over once, and the same
return received twice at once refunds once."""

from __future__ import annotations

import sys
import threading
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checkout"))

from checkout_factories import ADDRESS, retailer

from omniretail.cart import service as cart_service
from omniretail.checkout import placement
from omniretail.checkout import service as checkout_service
from omniretail.checkout.rules import Address
from omniretail.fulfillment import service as fulfillment_service
from omniretail.fulfillment.exceptions import PickupNotReady
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role
from omniretail.inventory import service as inventory_service
from omniretail.ordering import service as ordering_service
from omniretail.ordering.rules import OrderStatus
from omniretail.payments import service as payments_service
from omniretail.payments.rules import TEST_CARD_APPROVE, TenderRequest
from omniretail.returns import receiving
from omniretail.returns import service as returns_service


def _place(db, shop, *, pickup: bool) -> uuid.UUID:
    with db.transaction() as s:
        cart, _ = cart_service.create_cart(session=s, channel_id=shop.web)
        cart_service.add_line(session=s, cart=cart, variant_id=shop.lipstick, quantity=1)
        if pickup:
            checkout_service.choose_delivery(session=s, cart=cart, method="click_and_collect",
                                             location_id=shop.riga, email="anna@shop.example.com")
        else:
            checkout_service.choose_delivery(session=s, cart=cart, method="courier", address=Address(**ADDRESS),
                                             email="anna@shop.example.com")
        cart_id = cart.id
    return placement.place_order(db=db, cart_id=cart_id, idempotency_key=f"k-{cart_id}", actor="guest",
                                 tenders=[TenderRequest("card", card_number=TEST_CARD_APPROVE)]).order_id


def _clerk(db, shop):
    with db.transaction() as s:
        user = identity_service.create_staff(session=s, actor=None, email="kasiere@shop.example.com", name="K",
                                             password="velvet-lipstick-07", grants=[Grant(Role.STORE_MANAGER,
                                                                                          shop.riga)])
        return identity_service.principal_for(user)


def _race(work) -> list[object]:
    results: list[object] = []
    barrier = threading.Barrier(2)

    def run() -> None:
        barrier.wait()
        try:
            results.append(work())
        except Exception as exc:
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_one_code_scanned_at_two_tills_at_once_hands_over_once(pg_db):
    with pg_db.transaction() as s:
        shop = retailer(s)
    order_id = _place(pg_db, shop, pickup=True)
    clerk = _clerk(pg_db, shop)
    with pg_db.transaction() as s:
        code = fulfillment_service.mark_ready_for_pickup(session=s, actor=clerk, order_id=order_id).code

    def scan() -> object:
        with pg_db.transaction() as s:
            return fulfillment_service.handover(session=s, actor=clerk, code=code, name="").status

    results = _race(scan)

    assert sorted(type(r).__name__ for r in results) == [PickupNotReady.__name__, "str"]
    with pg_db.transaction() as s:
        level = inventory_service.availability(session=s, variant_ids=[shop.lipstick], location_ids=[shop.riga])[0]
        assert (level.on_hand, level.reserved) == (9, 0)


def test_one_return_received_at_two_desks_at_once_refunds_once(pg_db):
    with pg_db.transaction() as s:
        shop = retailer(s)
    order_id = _place(pg_db, shop, pickup=False)
    clerk = _clerk(pg_db, shop)
    with pg_db.transaction() as s:
        order = ordering_service.get_order(session=s, order_id=order_id)
        for step in (OrderStatus.PICKING, OrderStatus.PACKED, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
            ordering_service.move(session=s, order=order, to=step, actor="test")
        ret = returns_service.request_return(session=s, order_id=order_id, via="store", requested_by="test",
                                             location_id=shop.riga, refund_method="original",
                                             lines=[returns_service.LineIn(shop.lipstick, 1, "changed_mind")])
        return_id = ret.id

    results = _race(lambda: receiving.receive(db=pg_db, return_id=return_id, actor=clerk, location_id=shop.riga,
                                              conditions={}))

    assert all(isinstance(r, list) for r in results), results
    with pg_db.transaction() as s:
        payments = payments_service.payments_of(session=s, order_id=order_id)
        assert sum(p.refunded_minor for p in payments) == 1499
        level = inventory_service.availability(session=s, variant_ids=[shop.lipstick], location_ids=[shop.riga])[0]
        assert level.on_hand == 11
