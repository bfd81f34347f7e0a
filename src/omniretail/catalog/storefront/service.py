"""Public catalog reads per channel and locale: category pages, product pages, search results.

Only products that are active and published in the channel (inside their publication window) and have
a price in the channel's price list are shown. Texts fall back to the default locale, never to empty.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.catalog import categories as catalog_categories
from omniretail.catalog import service as catalog_service
from omniretail.catalog import versions
from omniretail.catalog.exceptions import ProductNotFound
from omniretail.catalog.models import Media, Product, ProductTranslation
from omniretail.catalog.rules import RelationKind, pick
from omniretail.catalog.search import service as search_service
from omniretail.catalog.search.service import Filters, SearchResult
from omniretail.channels import service as channels_service
from omniretail.kernel.cache import VersionedCache
from omniretail.kernel.money import Money
from omniretail.pricing import service as pricing_service
from omniretail.pricing.rules import PriceQuote


@dataclass(frozen=True)
class PriceView:
    amount_minor: int
    regular_minor: int
    currency: str
    formatted: str
    on_sale: bool
    tax_inclusive: bool

    @classmethod
    def of(cls, quote: PriceQuote, locale: str) -> PriceView:
        return cls(quote.current.amount_minor, quote.regular.amount_minor, quote.current.currency,
                   _formatted(quote.current.amount_minor, quote.current.currency, locale), quote.on_sale,
                   quote.tax_inclusive)


@lru_cache(maxsize=4096)
def _formatted(amount_minor: int, currency: str, locale: str) -> str:
    # Babel's formatting is a fifth of a listing page's time, and shops use few distinct prices.
    return Money(amount_minor, currency).format(locale)


@dataclass(frozen=True)
class ProductCard:
    id: uuid.UUID
    name: str
    slug: str
    brand: str
    price: PriceView | None
    image: str | None
    image_alt: str


@dataclass(frozen=True)
class VariantView:
    id: uuid.UUID
    sku: str
    barcode: str | None
    attributes: dict[str, object]
    price: PriceView | None


@dataclass(frozen=True)
class ProductPage:
    card: ProductCard
    description_html: str
    variants: list[VariantView]
    breadcrumbs: list[tuple[uuid.UUID, str, str]]
    related: list[ProductCard]
    cross_sell: list[ProductCard]


@dataclass(frozen=True)
class Listing:
    items: list[ProductCard]
    total: int
    facets: dict[str, dict[str, int]]
    corrected: dict[str, str]


def _locale(channel: channels_service.Channel, locale: str | None) -> str:
    return locale if locale is not None and locale in channel.locales else channel.default_locale


def cards(*, session: Session, channel: channels_service.Channel, locale: str, product_ids: list[uuid.UUID],
          prices: dict[uuid.UUID, PriceQuote]) -> list[ProductCard]:
    """Listing cards for products, in the order given."""
    if not product_ids:
        return []
    texts: dict[uuid.UUID, dict[str, tuple[str, str]]] = {}
    for row in session.execute(select(ProductTranslation.product_id, ProductTranslation.locale,
                                      ProductTranslation.name, ProductTranslation.slug)
                               .where(ProductTranslation.product_id.in_(product_ids))):
        texts.setdefault(row.product_id, {})[row.locale] = (row.name, row.slug)
    brands = dict(session.execute(select(Product.id, Product.brand).where(Product.id.in_(product_ids))).all())
    images: dict[uuid.UUID, Media] = {}
    for media in session.scalars(select(Media).where(Media.product_id.in_(product_ids))
                                 .order_by(Media.product_id, Media.position)):
        images.setdefault(media.product_id, media)
    result = []
    for pid in product_ids:
        names = {loc: v[0] for loc, v in texts.get(pid, {}).items()}
        slugs = {loc: v[1] for loc, v in texts.get(pid, {}).items()}
        image = images.get(pid)
        name = pick(names, locale)
        result.append(ProductCard(
            id=pid, name=name, slug=pick(slugs, locale), brand=brands.get(pid, ""),
            price=PriceView.of(prices[pid], locale) if pid in prices else None,
            image=f"/media/{image.thumbnail_path}" if image else None,
            image_alt=pick({k: str(v) for k, v in image.alt.items()}, locale) if image and image.alt else name))
    return result


def _listing(session: Session, channel: channels_service.Channel, locale: str, result: SearchResult) -> Listing:
    prices = {h.product_id: h.price for h in result.hits if h.price is not None}
    items = cards(session=session, channel=channel, locale=locale, product_ids=[h.product_id for h in result.hits],
                  prices=prices)
    return Listing([c for c in items if c.price is not None], result.total, result.facets, result.corrected)


def browse(*, session: Session, channel_ref: str, locale: str | None, query: str = "",
           filters: Filters | None = None, sort: str = "relevance", offset: int = 0, limit: int = 24,
           with_facets: bool = True) -> Listing:
    """A category page or a search result in a channel."""
    channel = channels_service.find_channel(session=session, ref=channel_ref)
    loc = _locale(channel, locale)
    filters = filters or Filters()
    version = versions.current(session) if filters.in_stock_at is None else None
    if version is None:
        return _browse(session, channel, loc, query, filters, sort, offset, limit, with_facets)
    # The page itself (cards at current prices) is kept like the ranking behind it: until the catalog's read
    # version changes or the next publication or sale window opens or closes (search_service.fresh_until).
    key = (str(session.get_bind().engine.url), channel.id, loc, query, filters.category_id, tuple(filters.brands),
           tuple(sorted((k, tuple(v)) for k, v in filters.attributes.items())), filters.price_band, sort, offset,
           limit, with_facets)
    page = _PAGES.get(key, version=version)
    if page is None:
        page = _PAGES.put(key, _browse(session, channel, loc, query, filters, sort, offset, limit, with_facets),
                          version=version, expires_at=search_service.fresh_until(session))
    return Listing(list(page.items), page.total, {name: dict(values) for name, values in page.facets.items()},
                   dict(page.corrected))


_PAGES: VersionedCache[Listing] = VersionedCache(size=1024)


def _browse(session: Session, channel: channels_service.Channel, locale: str, query: str, filters: Filters,
            sort: str, offset: int, limit: int, with_facets: bool) -> Listing:
    result = search_service.search(session=session, query=query, channel_id=channel.id, filters=filters,
                                   sort=sort, offset=offset, limit=limit, with_facets=with_facets)
    return _listing(session, channel, locale, result)


def product_page(*, session: Session, channel_ref: str, locale: str | None, product_ref: str) -> ProductPage:
    """A product as a channel shows it: texts in the locale, variants at the channel's prices."""
    channel = channels_service.find_channel(session=session, ref=channel_ref)
    loc = _locale(channel, locale)
    product = _find_product(session, product_ref)
    visible = set(session.scalars(search_service.visible_products(channel.id).where(Product.id == product.id)))
    variants = [v for v in product.variants if v.status == "active"]
    quotes = pricing_service.prices_for(session=session, channel_id=channel.id, variant_ids=[v.id for v in variants])
    if product.id not in visible or not quotes:
        raise ProductNotFound("This product is not sold in this channel")
    cheapest = min(quotes.values(), key=lambda q: q.current.amount_minor)
    card = cards(session=session, channel=channel, locale=loc, product_ids=[product.id],
                 prices={product.id: cheapest})[0]
    descriptions = {t.locale: t.description_html for t in product.translations}
    categories = catalog_service.category_ids_of(session=session, product_id=product.id)
    crumbs = (catalog_categories.breadcrumbs(session=session, category_id=min(categories), locale=loc)
              if categories else [])
    linked = _related(session, channel, loc, product.id, (RelationKind.RELATED, RelationKind.CROSS_SELL))
    return ProductPage(
        card=card, description_html=pick(descriptions, loc),
        variants=[VariantView(v.id, v.sku, v.barcode, dict(v.attributes),
                              PriceView.of(quotes[v.id], loc) if v.id in quotes else None) for v in variants],
        breadcrumbs=crumbs,
        related=linked[RelationKind.RELATED], cross_sell=linked[RelationKind.CROSS_SELL])


def _related(session: Session, channel: channels_service.Channel, locale: str, product_id: uuid.UUID,
             kinds: tuple[str, ...]) -> dict[str, list[ProductCard]]:
    """Cards of the related products of each kind, visible and priced, loaded together for all kinds."""
    ids = {kind: catalog_service.related(session=session, product_id=product_id, kind=kind) for kind in kinds}
    wanted = list(dict.fromkeys(i for kind_ids in ids.values() for i in kind_ids))
    if not wanted:
        return {kind: [] for kind in kinds}
    visible = set(session.scalars(search_service.visible_products(channel.id).where(Product.id.in_(wanted))))
    shown = [i for i in wanted if i in visible]
    prices = search_service.cheapest_prices(session, channel.id, shown)
    by_id = {c.id: c for c in cards(session=session, channel=channel, locale=locale, product_ids=shown,
                                    prices=prices) if c.price is not None}
    return {kind: [by_id[i] for i in kind_ids if i in by_id] for kind, kind_ids in ids.items()}


def _find_product(session: Session, ref: str) -> Product:
    try:
        return catalog_service.get_product(session=session, product_id=uuid.UUID(ref))
    except ValueError:
        product_id = session.scalar(select(ProductTranslation.product_id).where(ProductTranslation.slug == ref)
                                    .limit(1))
        if product_id is None:
            raise ProductNotFound(f"No product {ref!r}") from None
        return catalog_service.get_product(session=session, product_id=product_id)
