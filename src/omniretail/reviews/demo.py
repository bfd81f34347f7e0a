"""Reviews: part of the demo retailer. About 200 published reviews in five languages on the demo products, some
from shoppers whose demo orders were delivered (verified purchases)."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.customers import demo as customers_demo
from omniretail.kernel import clock
from omniretail.ordering import service as ordering_service
from omniretail.reviews import service as reviews_service
from omniretail.reviews.demo_texts import NAMES, TEXTS

COUNT = 200
RECEIVED = {"delivered", "picked_up", "partially_refunded"}


def load(session: Session) -> None:
    """Add this context's demo data."""
    rng = random.Random(23)
    refs = [r for r in catalog_service.variant_refs(session=session) if r.status == "active"]
    product_ids = sorted({r.product_id for r in refs})
    if not product_ids:
        return
    product_of = {r.id: r.product_id for r in refs}
    customers = customers_demo.demo_customer_ids(session=session, count=COUNT)
    received: list[tuple[uuid.UUID, uuid.UUID]] = []
    for order in ordering_service.orders_of_customers(session=session, customer_ids=customers, limit=None):
        if order.status in RECEIVED and order.customer_id is not None:
            received.extend((order.customer_id, product_of[line.variant_id]) for line in order.lines
                            if line.variant_id in product_of)
    verified = list(dict.fromkeys(received))[:COUNT // 4]
    locales = list(TEXTS)
    now = clock.now()
    taken = set(verified)
    pairs: list[tuple[uuid.UUID | None, uuid.UUID, bool]] = [(c, p, True) for c, p in verified]
    for n in range(COUNT - len(pairs)):
        product_id = product_ids[rng.randrange(min(len(product_ids), 24))]
        customer: uuid.UUID | None = customers[n % len(customers)] if customers else None
        if customer is not None and (customer, product_id) in taken:
            customer = None
        if customer is not None:
            taken.add((customer, product_id))
        pairs.append((customer, product_id, False))
    reviews: list[reviews_service.PastReview] = []
    for n, (customer, product_id, bought) in enumerate(pairs):
        locale = locales[n % len(locales)]
        rating, title, body = rng.choice(TEXTS[locale])
        reviews.append(reviews_service.PastReview(
            product_id=product_id, customer_id=customer, author_name=rng.choice(NAMES[locale]), rating=rating,
            title=title, body=body, locale=locale, verified=bought,
            created_at=now - timedelta(days=rng.randrange(1, 200), minutes=rng.randrange(1440))))
    reviews_service.import_reviews(session=session, reviews=reviews)
