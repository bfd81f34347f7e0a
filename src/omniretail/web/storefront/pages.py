"""Storefront pages for browsing: home, category, search, product and the store locator.

Pages call the catalog, channel and inventory services inside the request's read-only transaction. Every query
parameter is read forgivingly (see ``views``), so a bad link shows a page, never an error; unknown slugs show the
app's 404 page.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import FileResponse

from omniretail.catalog import service as catalog_service
from omniretail.catalog.rules import pick
from omniretail.catalog.search.service import Filters
from omniretail.catalog.storefront import service as storefront_service
from omniretail.identity.dependencies import OptionalCustomer
from omniretail.inventory import service as inventory_service
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import NotFound
from omniretail.reviews import service as reviews_service
from omniretail.web.storefront import account_pages, cart_pages, checkout_pages, layout, me_pages, scan_pages, views
from omniretail.web.storefront.views import PAGE_SIZE, PRICE_BANDS, PageNotFound
from omniretail.web.templates import STATIC_DIR, locale_for
from omniretail.web.tracking import track

if TYPE_CHECKING:
    from omniretail.channels.models import Channel
    from omniretail.identity.models import CustomerAccount


def _started(request: Request) -> None:
    request.state.started = time.perf_counter()


router = APIRouter(include_in_schema=False, dependencies=[Depends(_started)])


def _page(request: Request, session: SessionDep, template: str, locale: str, context: dict[str, Any], *,
          links: list[views.CategoryLink] | None = None, channel: Channel | None = None,
          customer: CustomerAccount | None = None) -> Response:
    return layout.page(request, session, template, locale, context, links=links, channel=channel, customer=customer)


def _channel(session: SessionDep) -> Channel:
    channel = views.web_channel(session)
    if channel is None:
        raise PageNotFound("The shop has no web channel yet")
    return channel


@router.get("/")
def home(request: Request, session: SessionDep, customer: OptionalCustomer) -> Response:
    """The shop's front page: a search box, the top categories and featured products."""
    locale = locale_for(request, customer.locale if customer else None)
    channel = views.web_channel(session)
    links = views.category_links(session, locale)
    featured = (storefront_service.browse(session=session, channel_ref=channel.code, locale=locale,
                                          sort="newest", limit=8, with_facets=False).items if channel else [])
    stocked = views.in_stock(session, channel, [c.id for c in featured]) if channel else set()
    track(request, "page_view", customer_id=customer.id if customer else None,
          channel_code=channel.code if channel else None)
    return _page(request, session, "storefront/home.html", locale,
                 {"customer": customer, "featured": featured, "stocked": stocked},
                 links=links, channel=channel, customer=customer)


def _attribute_labels(session: SessionDep, locale: str) -> dict[str, str]:
    return {a.code: pick({k: str(v) for k, v in a.labels.items()}, locale)
            for a in catalog_service.list_attributes(session=session)}


def _facets(listing: storefront_service.Listing, query: views.ListingQuery, locale: str,
            labels: dict[str, str]) -> list[dict[str, Any]]:
    """Facet groups for the filter form: brand, then attributes; chosen values stay listed."""
    groups = []
    names = ["brand", *sorted(n for n in listing.facets if n.startswith("attr."))]
    for name in names:
        counts = dict(listing.facets.get(name, {}))
        for chosen in (query.brands if name == "brand" else query.attributes.get(name[5:], ())):
            counts.setdefault(chosen, 0)
        if not counts:
            continue
        field = "brand" if name == "brand" else "attr"
        groups.append({"name": name, "field": field,
                       "label": labels.get(name[5:], name[5:]) if field == "attr" else None,
                       "values": [{"value": value, "count": count, "chosen": query.chosen(name, value),
                                   "param": value if field == "brand" else f"{name[5:]}:{value}"}
                                  for value, count in sorted(counts.items(), key=lambda kv: kv[0].casefold())]})
    return groups


def _listing_context(request: Request, session: SessionDep, channel: Channel, locale: str,
                     query: views.ListingQuery, category_id: Any = None) -> dict[str, Any]:
    filters = Filters(category_id=category_id, brands=query.brands, attributes=dict(query.attributes),
                      price_band=query.price, in_stock_at=views.store_id(session, query.store))
    listing = storefront_service.browse(session=session, channel_ref=channel.code, locale=locale, query=query.q,
                                        filters=filters, sort=query.sort, offset=query.offset, limit=PAGE_SIZE)
    labels = _attribute_labels(session, locale)
    return {"listing": listing, "query": query, "facets": _facets(listing, query, locale, labels),
            "price_bands": PRICE_BANDS, "band_counts": listing.facets.get("price_band", {}),
            "stores": [views.store_card(s, None) for s in views.stores(session)],
            "page_numbers": views.pages(query.page, listing.total), "path": request.url.path,
            "stocked": views.in_stock(session, channel, [c.id for c in listing.items])}


@router.get("/c/{slug}")
def category_page(slug: str, request: Request, session: SessionDep, customer: OptionalCustomer) -> Response:
    """A category: breadcrumbs, sub-categories, facets, sorting and a page of products."""
    locale = locale_for(request, customer.locale if customer else None)
    channel = _channel(session)
    links = views.category_links(session, locale)
    category = views.find_category(links, views.clean(slug, 300))
    query = views.listing_query(request.query_params, default_sort="newest", with_text=False)
    context = _listing_context(request, session, channel, locale, query, category.id)
    crumbs = views.crumbs(links, category.id)
    track(request, "page_view", customer_id=customer.id if customer else None, channel_code=channel.code)
    return _page(request, session, "storefront/category.html", locale, {
        "category": category, "crumbs": crumbs[:-1], "subcategories": views.children(links, category.id),
        **context}, links=links, channel=channel, customer=customer)


@router.get("/search")
def search_page(request: Request, session: SessionDep, customer: OptionalCustomer) -> Response:
    """Search results in any language, with corrections, facets and sorting."""
    locale = locale_for(request, customer.locale if customer else None)
    channel = _channel(session)
    links = views.category_links(session, locale)
    query = views.listing_query(request.query_params, default_sort="relevance", with_text=True)
    context = _listing_context(request, session, channel, locale, query) if query.q else {"query": query}
    track(request, "search" if query.q else "page_view", customer_id=customer.id if customer else None,
          channel_code=channel.code)
    return _page(request, session, "storefront/search.html", locale, context, links=links, channel=channel,
                 customer=customer)


@router.get("/p/{slug}")
def product_page(slug: str, request: Request, session: SessionDep, customer: OptionalCustomer) -> Response:
    """A product: gallery, variants, description, price, nearby stores with stock and related products."""
    locale = locale_for(request, customer.locale if customer else None)
    channel = _channel(session)
    links = views.category_links(session, locale)
    try:
        product = storefront_service.product_page(session=session, channel_ref=channel.code, locale=locale,
                                                  product_ref=views.clean(slug, 300) or "-")
    except NotFound:
        raise PageNotFound(f"No product {slug[:80]!r}") from None
    wanted = request.query_params.get("variant")
    selected = next((v for v in product.variants if v.sku == wanted), product.variants[0])
    labels = _attribute_labels(session, locale)
    shop_stores = views.stores(session)
    where = views.position(request.query_params, channel, shop_stores)
    by_id = {s.id: s for s in shop_stores}
    found = inventory_service.nearest_with_stock(session=session, variant_ids=[selected.id],
                                                 latitude=where.latitude, longitude=where.longitude, limit=50)
    nearby = [views.store_card(by_id[s.location_id], where, sum(line.available for line in s.lines))
              for s in found if s.distance_km <= views.NEARBY_KM and s.location_id in by_id]
    farther = [] if nearby else [views.store_card(by_id[s.location_id], where) for s in found[:3]
                                 if s.location_id in by_id]
    related = [*product.related, *product.cross_sell][:8]
    keep = {k: v for k, v in request.query_params.items() if k in ("lat", "lon", "near")}
    track(request, "product_view", customer_id=customer.id if customer else None, channel_code=channel.code,
          product_id=product.card.id, variant_id=selected.id)
    return _page(request, session, "storefront/product.html", locale, {
        "product": product, "selected": selected, "labels": labels, "swatch": views.swatch,
        "images": views.gallery(session, product.card.id, locale, product.card.name),
        "where": where, "nearby": nearby, "farther": farther, "keep": keep,
        "related": related, "stocked": views.in_stock(session, channel, [c.id for c in related]),
        "reviews": reviews_service.product_reviews_block(session=session, product_id=product.card.id,
                                                         customer_id=customer.id if customer else None)},
        links=links, channel=channel, customer=customer)


@router.get("/stores")
def store_locator(request: Request, session: SessionDep, customer: OptionalCustomer) -> Response:
    """Every store with address, opening hours, services and distance from the shopper."""
    locale = locale_for(request, customer.locale if customer else None)
    channel = views.web_channel(session)
    links = views.category_links(session, locale)
    shop_stores = views.stores(session)
    service = request.query_params.get("service")
    where = views.position(request.query_params, channel, shop_stores) if channel else None
    cards = [views.store_card(s, where) for s in shop_stores
             if service not in ("pickup", "returns") or (s.offers_pickup if service == "pickup" else s.accepts_returns)]
    if where is not None:
        cards.sort(key=lambda c: float(c.distance or 0))
    return _page(request, session, "storefront/stores.html", locale, {
        "cards": cards, "where": where, "service": service if service in ("pickup", "returns") else "",
        "cities": sorted({s.city for s in shop_stores}), "near": request.query_params.get("near", "")},
        links=links, channel=channel, customer=customer)


@router.get("/sw.js")
def service_worker() -> Response:
    """The service worker, served from the root so that it may cache the shell for the whole site."""
    return FileResponse(STATIC_DIR / "sw.js", media_type="text/javascript",
                        headers={"cache-control": "no-cache", "service-worker-allowed": "/"})


# The shop's other pages: cart, checkout and account (their own modules, mounted on this router).
router.include_router(cart_pages.router)
router.include_router(checkout_pages.router)
router.include_router(account_pages.router)
router.include_router(me_pages.router)
router.include_router(scan_pages.router)
