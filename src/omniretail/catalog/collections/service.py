"""Featured collections: a home-page or category shelf of products, hand-picked (ordered) or by a rule.

Rules: ``newest`` (the latest published products), ``on_sale`` (products with a variant below its regular
price in the channel now) and ``best_selling`` (from the ``BestSellers`` port; without one it shows the
newest and says so in ``rule_note``). Every shelf shows only what the channel publishes at a price.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from omniretail.catalog import categories as catalog_categories
from omniretail.catalog.common import check_names, require
from omniretail.catalog.exceptions import CodeTaken, CollectionNotFound, InvalidProduct
from omniretail.catalog.models import Collection, CollectionItem, Product, Variant
from omniretail.catalog.ports import BestSellers
from omniretail.catalog.rules import CollectionRule, pick
from omniretail.catalog.search import service as search_service
from omniretail.catalog.search.service import Filters
from omniretail.catalog.storefront import service as storefront
from omniretail.channels import service as channels_service
from omniretail.identity.rules import Principal
from omniretail.kernel.errors import FieldError
from omniretail.pricing import service as pricing_service

MAX_SIZE = 48
NO_BEST_SELLERS = "best-selling needs sales figures, which are not connected yet: showing the newest products"


@dataclass(frozen=True)
class Shelf:
    """A collection as a channel shows it, in one locale."""

    id: uuid.UUID
    code: str
    title: str
    rule: str
    rule_note: str | None
    items: list[storefront.ProductCard]


def _check(session: Session, *, rule: str, size: int, titles: Mapping[str, str] | None,
           product_ids: Sequence[uuid.UUID] | None) -> None:
    errors: list[FieldError] = []
    if rule not in set(CollectionRule):
        errors.append(FieldError(("body", "rule"), f"one of {', '.join(CollectionRule)}"))
    if not 1 <= size <= MAX_SIZE:
        errors.append(FieldError(("body", "size"), f"from 1 to {MAX_SIZE}"))
    if product_ids:
        known = set(session.scalars(select(Product.id).where(Product.id.in_(list(product_ids)))))
        errors += [FieldError(("body", "product_ids", i), "unknown product")
                   for i, pid in enumerate(product_ids) if pid not in known]
    if errors:
        raise InvalidProduct(errors=errors)
    if titles is not None:
        check_names(titles, "titles")


def _set_items(session: Session, collection: Collection, product_ids: Sequence[uuid.UUID]) -> None:
    session.execute(delete(CollectionItem).where(CollectionItem.collection_id == collection.id))
    session.add_all(CollectionItem(collection_id=collection.id, product_id=pid, position=n)
                    for n, pid in enumerate(dict.fromkeys(product_ids)))
    session.flush()


def create_collection(*, session: Session, actor: Principal | None, code: str, titles: Mapping[str, str],
                      rule: str = CollectionRule.MANUAL, category_id: uuid.UUID | None = None, size: int = 12,
                      position: int = 0, product_ids: Sequence[uuid.UUID] = ()) -> Collection:
    """Add a featured collection to the home page (no category) or to a category page."""
    require(actor)
    _check(session, rule=rule, size=size, titles=titles, product_ids=product_ids)
    if category_id is not None:
        catalog_categories.get_category(session=session, category_id=category_id)
    if session.scalar(select(Collection.id).where(Collection.code == code)) is not None:
        raise CodeTaken(f"A collection with code {code!r} exists", code=code)
    collection = Collection(code=code, titles=dict(titles), rule=rule, category_id=category_id, size=size,
                            position=position)
    session.add(collection)
    session.flush()
    _set_items(session, collection, product_ids)
    return collection


def update_collection(*, session: Session, actor: Principal | None, collection_id: uuid.UUID,
                      titles: Mapping[str, str] | None = None, rule: str | None = None, size: int | None = None,
                      position: int | None = None, product_ids: Sequence[uuid.UUID] | None = None) -> Collection:
    """Retitle, reorder, resize, change the rule of, or re-pick the products of a collection."""
    require(actor)
    collection = get_collection(session=session, collection_id=collection_id)
    merged_titles = {**collection.titles, **titles} if titles is not None else None
    _check(session, rule=rule or collection.rule, size=size or collection.size, titles=merged_titles,
           product_ids=product_ids)
    if merged_titles is not None:
        collection.titles = merged_titles
    collection.rule = rule or collection.rule
    collection.size = size or collection.size
    collection.position = collection.position if position is None else position
    if product_ids is not None:
        _set_items(session, collection, product_ids)
    session.flush()
    return collection


def delete_collection(*, session: Session, actor: Principal | None, collection_id: uuid.UUID) -> None:
    """Remove a collection (its products stay in the catalog)."""
    require(actor)
    session.delete(get_collection(session=session, collection_id=collection_id))
    session.flush()


def get_collection(*, session: Session, collection_id: uuid.UUID) -> Collection:
    """One collection."""
    collection = session.get(Collection, collection_id)
    if collection is None:
        raise CollectionNotFound(f"No collection {collection_id}")
    return collection


def list_collections(*, session: Session, category_id: uuid.UUID | None = None,
                     home: bool = False) -> list[Collection]:
    """Collections by position: all of them, the home page's (``home``) or one category's."""
    stmt = select(Collection).order_by(Collection.position, Collection.code)
    if home:
        stmt = stmt.where(Collection.category_id.is_(None))
    elif category_id is not None:
        stmt = stmt.where(Collection.category_id == category_id)
    return list(session.scalars(stmt))


def item_ids(*, session: Session, collection_id: uuid.UUID) -> list[uuid.UUID]:
    """A manual collection's products, in order."""
    return list(session.scalars(select(CollectionItem.product_id).where(
        CollectionItem.collection_id == collection_id).order_by(CollectionItem.position)))


def shelves(*, session: Session, channel_ref: str, locale: str | None, category_id: uuid.UUID | None = None,
            best_sellers: BestSellers | None = None) -> list[Shelf]:
    """The collections of the home page (no category) or a category page, as a channel shows them."""
    channel = channels_service.find_channel(session=session, ref=channel_ref)
    loc = locale if locale is not None and locale in channel.locales else channel.default_locale
    found = list_collections(session=session, category_id=category_id, home=category_id is None)
    return [_shelf(session, channel, loc, c, best_sellers) for c in found]


def _shelf(session: Session, channel: channels_service.Channel, locale: str, collection: Collection,
           best_sellers: BestSellers | None) -> Shelf:
    note: str | None = None
    size = collection.size
    if collection.rule == CollectionRule.MANUAL:
        wanted = item_ids(session=session, collection_id=collection.id)
        visible = set(session.scalars(search_service.visible_products(channel.id).where(Product.id.in_(wanted))))
        ids = [p for p in wanted if p in visible]
    elif collection.rule == CollectionRule.ON_SALE:
        ids = _on_sale(session, channel.id, collection.category_id, size)
    elif collection.rule == CollectionRule.BEST_SELLING and best_sellers is not None:
        among = _newest(session, channel.id, collection.category_id, None) if collection.category_id else None
        ids = best_sellers.best_selling(session=session, channel_id=channel.id, among=among, limit=size)
    else:
        if collection.rule == CollectionRule.BEST_SELLING:
            note = NO_BEST_SELLERS
        ids = _newest(session, channel.id, collection.category_id, size * 2)
    prices = search_service.cheapest_prices(session, channel.id, ids)
    cards = storefront.cards(session=session, channel=channel, locale=locale,
                             product_ids=[p for p in ids if p in prices], prices=prices)
    titles = {k: str(v) for k, v in collection.titles.items()}
    return Shelf(collection.id, collection.code, pick(titles, locale), collection.rule, note, cards[:size])


def _newest(session: Session, channel_id: uuid.UUID, category_id: uuid.UUID | None,
            limit: int | None) -> list[uuid.UUID]:
    result = search_service.search(session=session, channel_id=channel_id, filters=Filters(category_id=category_id),
                                   sort="newest", limit=limit or 10_000, with_facets=False)
    return [hit.product_id for hit in result.hits]


def _on_sale(session: Session, channel_id: uuid.UUID, category_id: uuid.UUID | None, size: int) -> list[uuid.UUID]:
    newest = _newest(session, channel_id, category_id, None)
    variants = list(session.execute(select(Variant.id, Variant.product_id).where(
        Variant.product_id.in_(newest), Variant.status == "active")))
    quotes = pricing_service.prices_for(session=session, channel_id=channel_id, variant_ids=[v for v, _ in variants])
    on_sale = {product_id for variant_id, product_id in variants
               if variant_id in quotes and quotes[variant_id].on_sale}
    return [p for p in newest if p in on_sale][:size]
