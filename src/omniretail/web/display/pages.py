"""The in-store display: a full-screen board of what sells best across every channel, today and this week,
ranked by revenue (ranks only, no amounts), in the store's language, refreshing itself.

It is meant for a screen on the shop floor, so it needs no sign-in and shows nothing a shopper may not see.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.catalog.storefront import service as storefront
from omniretail.channels import service as channels_service
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock, i18n
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import NotFound
from omniretail.ordering import queries as order_queries
from omniretail.web.templates import render

router = APIRouter(include_in_schema=False)
TOP = 8
REFRESH_SECONDS = 60


def _ranked_products(session: Session, since: datetime, until: datetime) -> list[Any]:
    sales = order_queries.best_selling_variants(session=session, since=since, until=until, limit=200)
    if not sales:
        return []
    products = {r.id: r.product_id for r in catalog_service.variant_refs(
        session=session, variant_ids=[s.variant_id for s in sales])}
    revenue: dict[Any, int] = {}
    for s in sales:
        if s.variant_id in products:
            revenue[products[s.variant_id]] = revenue.get(products[s.variant_id], 0) + s.revenue_minor
    return [pid for pid, _ in sorted(revenue.items(), key=lambda kv: (-kv[1], str(kv[0])))][:TOP]


@router.get("/display/{store}")
def display(store: str, request: Request, session: SessionDep) -> Response:
    location = inventory_service.location_by_code(session=session, code=store.upper()[:40])
    if location is None or location.kind not in ("store", "franchise_store"):
        raise NotFound("No such store")
    channel = next((c for c in channels_service.list_channels(session=session, active_only=True)
                    if location.id in c.location_ids and c.kind in ("store", "franchise")), None)
    if channel is None:
        raise NotFound("This store has no till channel")
    locale = channel.default_locale if channel.default_locale in i18n.LOCALES else i18n.DEFAULT_LOCALE
    now = clock.now().astimezone(UTC)
    start = datetime.combine(now.date(), time.min, tzinfo=UTC)
    boards = []
    for title, since in ((i18n.N_("Best sellers today"), start), (i18n.N_("Best sellers this week"),
                                                                   start - timedelta(days=6))):
        ids = _ranked_products(session, since, start + timedelta(days=1))
        cards = storefront.cards(session=session, channel=channel, locale=locale, product_ids=ids, prices={})
        boards.append((title, cards))
    response = render(request, "display/board.html", {"store": location, "boards": boards,
                                                       "refresh": REFRESH_SECONDS, "display_locale": locale},
                      preferred_locale=locale)
    response.headers["cache-control"] = "no-store"
    return response
