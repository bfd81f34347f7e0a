"""The demo orders go through the services: stock, payments and orders agree afterwards."""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checkout"))

from checkout_factories import retailer

from omniretail.inventory import service as inventory_service
from omniretail.ordering import demo as ordering_demo
from omniretail.ordering.models import Order
from omniretail.payments.models import Payment


def test_demo_orders_span_the_channels_and_keep_stock_and_payments_consistent(db):
    with db.transaction() as s:
        shop = retailer(s, stock=400)

    with db.transaction() as s:
        ordering_demo.load(s)

    with db.transaction(read_only=True) as s:
        kinds = dict(s.execute(select(Order.channel_kind, func.count()).group_by(Order.channel_kind)).all())
        assert sum(kinds.values()) >= 140 and set(kinds) == {"web", "store", "marketplace"}
        totals = s.execute(select(func.sum(Order.total_minor), func.sum(Order.paid_minor))).one()
        assert totals[0] == totals[1] == s.scalar(select(func.sum(Payment.amount_minor)))
        for variant in (shop.lipstick, shop.serum, shop.mascara):
            for level in inventory_service.availability(session=s, variant_ids=[variant],
                                                        location_ids=[shop.riga, shop.warehouse]):
                assert level.on_hand == inventory_service.ledger_sum(session=s, variant_id=variant,
                                                                     location_id=level.location_id)
                assert level.available >= 0
