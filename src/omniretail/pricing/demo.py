"""Pricing's part of the demo retailer: EUR, PLN and CNY lists, VAT rates, a store-equals-web rule."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.channels import service as channels_service
from omniretail.kernel import clock
from omniretail.pricing import service as pricing_service


def load(session: Session) -> None:
    """Add this context's demo data."""
    rng = random.Random(7)
    for country, rate in (("LV", 2100), ("PL", 2300), ("CN", 1300)):
        pricing_service.set_tax_rate(session=session, actor=None, country=country, rate_bp=rate)
    lists = {
        "EUR": pricing_service.create_price_list(session=session, actor=None, code="eur", name="Euro shelf",
                                                 currency="EUR", country="LV"),
        "PLN": pricing_service.create_price_list(session=session, actor=None, code="pln", name="Polska",
                                                 currency="PLN", country="PL"),
        "CNY": pricing_service.create_price_list(session=session, actor=None, code="cny", name="中国",
                                                 currency="CNY", country="CN"),
    }
    channels = channels_service.list_channels(session=session)
    for channel in channels:
        if channel.currency in lists:
            pricing_service.assign_price_list(session=session, actor=None, channel_id=channel.id,
                                              price_list_id=lists[channel.currency].id)
    refs = catalog_service.variant_refs(session=session)
    eur = {r.id: rng.choice((399, 499, 699, 899, 1299, 1499, 1999, 2499, 3499, 4999, 7999)) for r in refs}
    pricing_service.set_prices(session=session, actor=None, price_list_id=lists["EUR"].id, amounts=eur)
    pricing_service.set_prices(session=session, actor=None, price_list_id=lists["PLN"].id,
                               amounts={v: a * 43 // 1000 * 10 + 9 for v, a in eur.items()})
    pricing_service.set_prices(session=session, actor=None, price_list_id=lists["CNY"].id,
                               amounts={v: a * 78 // 1000 * 100 for v, a in eur.items()})
    now = clock.now()
    for variant_id in rng.sample(sorted(eur), k=min(len(eur), 150)):
        pricing_service.schedule_sale(session=session, actor=None, price_list_id=lists["EUR"].id,
                                      variant_id=variant_id, amount_minor=eur[variant_id] * 8 // 10,
                                      starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30))
    web_and_stores = [c.id for c in channels if c.currency == "EUR" and c.kind in ("web", "store")]
    if len(web_and_stores) >= 2:
        pricing_service.create_rule(session=session, actor=None, code="store-equals-web", name="Stores equal web",
                                    channel_ids=web_and_stores)
