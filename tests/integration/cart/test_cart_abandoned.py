"""The abandoned-checkout job raises ``CheckoutAbandoned`` once per cart left alone by a signed-in shopper."""

from __future__ import annotations

import sys
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checkout"))

from checkout_factories import retailer

from omniretail.cart import service as cart_service
from omniretail.checkout import handlers as checkout_handlers
from omniretail.kernel import clock
from omniretail.kernel.outbox import OutboxEvent


def _abandoned_events(db):
    with db.transaction(read_only=True) as s:
        rows = s.scalars(select(OutboxEvent).where(OutboxEvent.event_type.like("%CheckoutAbandoned")))
        return [e.payload for e in rows]


def test_a_cart_left_alone_past_the_threshold_raises_checkout_abandoned_once(db):
    with db.transaction() as s:
        shop = retailer(s)
        shopper = uuid.uuid4()
        cart, _ = cart_service.create_cart(session=s, channel_id=shop.web, customer_id=shopper)
        cart_service.add_line(session=s, cart=cart, variant_id=shop.serum, quantity=2)
        guest, _ = cart_service.create_cart(session=s, channel_id=shop.web)
        cart_service.add_line(session=s, cart=guest, variant_id=shop.serum, quantity=1)
        cart_service.create_cart(session=s, channel_id=shop.web, customer_id=uuid.uuid4())

    with db.transaction() as s:
        assert checkout_handlers.abandoned(s, None) == 0
    clock.advance(timedelta(minutes=61))
    with db.transaction() as s:
        raised = checkout_handlers.abandoned(s, None)
    with db.transaction() as s:
        again = checkout_handlers.abandoned(s, None)

    assert (raised, again) == (1, 0)
    events = _abandoned_events(db)
    assert [(e["cart_id"], e["customer_id"], e["total_minor"]) for e in events] == [
        (str(cart.id), str(shopper), events[0]["total_minor"])]
    assert events[0]["total_minor"] >= 2 * 2999
