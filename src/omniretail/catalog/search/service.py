"""Searching the catalog: words from any locale, prefixes as the shopper types, misspellings, Chinese
phrases without spaces, facets and sorting, within what a channel publishes at that channel's prices.

Each query word is expanded to the indexed terms it may mean: itself, the completions of the last word
(the shopper is still typing it), and, when the word is not in the vocabulary, the terms within its typo
allowance (found through their deletion keys, then checked by edit distance). A Chinese word that the
vocabulary lacks falls back to its character bigrams. A product must match every word; its score is the sum
over words of the best weight it has for that word, discounted for completions and corrections.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from omniretail.catalog import versions
from omniretail.catalog.models import (
    Product,
    Publication,
    SearchFacet,
    SearchFuzzyKey,
    SearchPosting,
    SearchTerm,
    Variant,
)
from omniretail.catalog.search.text import (
    allowed_typos,
    cjk_bigrams,
    deletes,
    edit_distance,
    is_cjk,
    query_words,
    segment,
    words,
)
from omniretail.channels import service as channels_service
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.kernel.cache import VersionedCache
from omniretail.kernel.money import Money
from omniretail.pricing import service as pricing_service
from omniretail.pricing.rules import PriceQuote, price_band

SORTS = ("relevance", "newest", "price_asc", "price_desc")
EXACT, PREFIX, FUZZY = 1.0, 0.6, 0.5
MAX_EXPANSIONS = 40


@dataclass(frozen=True)
class Filters:
    """Facet filters: values within a facet are alternatives (OR), facets combine with AND."""

    category_id: uuid.UUID | None = None
    brands: Sequence[str] = ()
    attributes: Mapping[str, Sequence[str]] = field(default_factory=dict)
    price_band: str | None = None
    in_stock_at: uuid.UUID | None = None


@dataclass(frozen=True)
class Hit:
    product_id: uuid.UUID
    score: float
    price: PriceQuote | None


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]
    corrected: dict[str, str]


def _expansions(session: Session, word: str, *, last: bool) -> tuple[dict[str, float], dict[str, str]]:
    """Terms this word may mean, with their discount, and the correction made (word → term) if any."""
    found: dict[str, float] = {}
    if session.scalar(select(SearchTerm.term).where(SearchTerm.term == word)) is not None:
        found[word] = EXACT
    if last and (len(word) >= 2 or is_cjk(word)):
        completions = session.scalars(select(SearchTerm.term).where(SearchTerm.term > word,
                                                                    SearchTerm.term < word + "\U0010ffff")
                                      .order_by(SearchTerm.term).limit(MAX_EXPANSIONS))
        for term in completions:
            found.setdefault(term, PREFIX)
    if found or is_cjk(word):
        return found, {}
    budget = allowed_typos(word)
    if budget == 0:
        return found, {}
    keys = list(deletes(word) | {word})
    candidates = set(session.scalars(select(SearchFuzzyKey.term).where(SearchFuzzyKey.key.in_(keys))))
    candidates |= set(session.scalars(select(SearchTerm.term).where(SearchTerm.term.in_(keys))))
    ranked = sorted((edit_distance(word, c, budget), c) for c in candidates)
    corrected = {c: FUZZY for d, c in ranked if d <= budget}
    return corrected, ({word: ranked[0][1]} if corrected else {})


def _groups(session: Session, query: str) -> tuple[list[dict[str, float]], dict[str, str]]:
    """One group of alternative terms per query word; a product must hold a term of every group."""
    raw = list(query_words(query))
    last_open = bool(query) and not query[-1].isspace()
    groups: list[dict[str, float]] = []
    corrected: dict[str, str] = {}
    for index, (word, chinese) in enumerate(raw):
        last = last_open and index == len(raw) - 1
        if chinese and len(word) > 1:
            pieces = segment(word)
            found = [_expansions(session, piece, last=last and i == len(pieces) - 1)[0]
                     for i, piece in enumerate(pieces)]
            # A run the vocabulary segments differently still matches through its character bigrams.
            groups += found if all(found) else [{b: EXACT} for b in cjk_bigrams(word)]
            continue
        expansions, fix = _expansions(session, word, last=last or chinese)
        groups.append(expansions)
        corrected.update(fix)
    return groups, corrected


def visible_products(channel_id: uuid.UUID | None) -> Select[uuid.UUID]:
    stmt = select(Product.id).where(Product.status == "active")
    if channel_id is not None:
        stmt = stmt.where(_published(channel_id))
    return stmt


def _published(channel_id: uuid.UUID) -> Any:
    # Correlated: one lookup on (channel_id, product_id) per candidate product, instead of building the list of
    # every product the channel publishes for each query.
    now = clock.now()
    return select(Publication.id).where(
        Publication.product_id == Product.id, Publication.channel_id == channel_id,
        or_(Publication.starts_at.is_(None), Publication.starts_at <= now),
        or_(Publication.ends_at.is_(None), Publication.ends_at > now)).exists()


def _in_category(stmt: Select[uuid.UUID], category_id: uuid.UUID) -> Select[uuid.UUID]:
    # A join, so that the category's facet rows drive the query (not a scan of every active product).
    return stmt.join(SearchFacet, SearchFacet.product_id == Product.id).where(
        SearchFacet.name == "category", SearchFacet.value == str(category_id))


def _facet_filter(stmt: Select[uuid.UUID], name: str, values: Sequence[str]) -> Select[uuid.UUID]:
    return stmt.where(Product.id.in_(select(SearchFacet.product_id).where(SearchFacet.name == name,
                                                                          SearchFacet.value.in_(list(values)))))


def shelf_amounts(session: Session, channel_id: uuid.UUID, products: Select[uuid.UUID]) -> dict[uuid.UUID, int]:
    """The cheapest current price (minor units) of each of these products in the channel, computed in SQL."""
    price_list_id = channels_service.get_channel(session=session, channel_id=channel_id).price_list_id
    if price_list_id is None:
        return {}
    amount = func.min(pricing_service.current_amount_of(price_list_id=price_list_id, variant_id=Variant.id))
    stmt = (select(Variant.product_id, amount)
            .where(Variant.product_id.in_(products), Variant.status == "active").group_by(Variant.product_id))
    return {product_id: int(amount) for product_id, amount in session.execute(stmt) if amount is not None}


def cheapest_prices(session: Session, channel_id: uuid.UUID, product_ids: Sequence[uuid.UUID],
              in_stock: set[uuid.UUID] | None = None) -> dict[uuid.UUID, PriceQuote]:
    by_product: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for start in range(0, len(product_ids), 500):
        chunk = list(product_ids[start:start + 500])
        for variant_id, product_id in session.execute(select(Variant.id, Variant.product_id).where(
                Variant.product_id.in_(chunk), Variant.status == "active")):
            if in_stock is None or variant_id in in_stock:
                by_product[product_id].append(variant_id)
    variant_ids = [v for vs in by_product.values() for v in vs]
    quotes = pricing_service.prices_for(session=session, channel_id=channel_id, variant_ids=variant_ids)
    cheapest: dict[uuid.UUID, PriceQuote] = {}
    for product_id, vids in by_product.items():
        priced = [quotes[v] for v in vids if v in quotes]
        if priced:
            cheapest[product_id] = min(priced, key=lambda q: q.current.amount_minor)
    return cheapest


@dataclass(frozen=True)
class Ranked:
    """A search's matches in order (the first ``window`` of them), before the page is cut and priced."""

    ids: list[uuid.UUID]
    total: int
    scores: dict[uuid.UUID, float]
    facets: dict[str, dict[str, int]]
    corrected: dict[str, str]
    prices: dict[uuid.UUID, PriceQuote]


# A category's or query's ranked matches are the same for every page and every shopper until the catalog
# changes (a write bumps the read version) or a publication or sale window opens or closes; keeping the first
# ``CACHED_WINDOW`` of them serves 50 pages of 24 without recounting facets or re-sorting by price.
CACHED_WINDOW = 1200
CACHE_SECONDS = 600
_RANKED: VersionedCache[Ranked] = VersionedCache(size=256)


def search(*, session: Session, query: str = "", channel_id: uuid.UUID | None = None,
           filters: Filters | None = None, sort: str = "relevance", offset: int = 0, limit: int = 24,
           with_facets: bool = True) -> SearchResult:
    """Products matching ``query`` and the filters, sorted and cut to one page, with facet counts."""
    filters = filters or Filters()
    ranked: Ranked | None = None
    cacheable = filters.in_stock_at is None and offset + limit <= CACHED_WINDOW
    version = versions.current(session) if cacheable else None
    if version is not None:
        key = (str(session.get_bind().engine.url), query, channel_id, filters.category_id, tuple(filters.brands),
               tuple(sorted((k, tuple(v)) for k, v in filters.attributes.items())), filters.price_band, sort,
               with_facets)
        ranked = _RANKED.get(key, version=version)
        if ranked is None:
            ranked = _RANKED.put(key, rank(session=session, query=query, channel_id=channel_id, filters=filters,
                                           sort=sort, window=CACHED_WINDOW, with_facets=with_facets),
                                 version=version, expires_at=fresh_until(session))
    else:
        ranked = rank(session=session, query=query, channel_id=channel_id, filters=filters, sort=sort,
                      window=offset + limit, with_facets=with_facets)
    ids = ranked.ids[offset:offset + limit]
    prices = {p: ranked.prices[p] for p in ids if p in ranked.prices}
    if channel_id is not None:
        missing = [p for p in ids if p not in prices]
        prices.update(cheapest_prices(session, channel_id, missing) if missing else {})
    hits = [Hit(p, ranked.scores.get(p, 0.0), prices.get(p)) for p in ids]
    # Copies: the ranked value may be shared through the cache, and callers may change what they get.
    return SearchResult(hits, ranked.total, {name: dict(values) for name, values in ranked.facets.items()},
                        dict(ranked.corrected))


def fresh_until(session: Session) -> datetime:
    """When cached listings must be recomputed even without a write: the next publication or sale boundary."""
    now = clock.now()
    moments = [now + timedelta(seconds=CACHE_SECONDS)]
    for column in (Publication.starts_at, Publication.ends_at):
        moment = session.scalar(select(func.min(column)).where(column > now))
        if moment is not None:
            moments.append(moment)
    moment = pricing_service.next_price_change(session=session, after=now)
    if moment is not None:
        moments.append(moment)
    return min(moments)


def rank(*, session: Session, query: str = "", channel_id: uuid.UUID | None = None,
         filters: Filters | None = None, sort: str = "relevance", window: int = 24,
         with_facets: bool = True) -> Ranked:
    """The matches of ``query`` and the filters in order, the first ``window`` of them, with facet counts."""
    filters = filters or Filters()
    groups, corrected = _groups(session, query)
    stmt = visible_products(channel_id)
    discounts: dict[str, float] = {}
    for number, group in enumerate(groups):
        if not group:
            return Ranked([], 0, {}, {}, corrected, {})
        having = select(SearchPosting.product_id).where(SearchPosting.term.in_(list(group)))
        if number == 0:
            # A join, so that the postings of the first word drive the query (not a scan of every product).
            driver = having.distinct().subquery()
            stmt = stmt.join(driver, driver.c.product_id == Product.id)
        else:
            stmt = stmt.where(Product.id.in_(having))
        for term, discount in group.items():
            discounts[term] = max(discounts.get(term, 0.0), discount)
    if filters.category_id is not None:
        stmt = _in_category(stmt, filters.category_id)
    if filters.brands:
        stmt = _facet_filter(stmt, "brand", filters.brands)
    for code, values in filters.attributes.items():
        if values:
            stmt = _facet_filter(stmt, f"attr.{code}", values)

    newest = sort == "newest" or (sort == "relevance" and not groups)
    ordered = stmt.order_by(Product.created_at.desc(), Product.id.desc()) if newest else stmt
    needs_prices = channel_id is not None and (filters.price_band or filters.in_stock_at
                                               or sort in ("price_asc", "price_desc"))
    if newest and not needs_prices:
        total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
        ids = list(session.scalars(ordered.limit(window)))
        matched: list[uuid.UUID] | None = None
    else:
        matched = list(session.scalars(ordered))
        ids = matched

    in_stock = (inventory_service.in_stock_variant_ids(session=session, location_id=filters.in_stock_at)
                if filters.in_stock_at else None)
    prices: dict[uuid.UUID, PriceQuote] = {}
    amounts: dict[uuid.UUID, int] = {}
    narrowed = False
    if channel_id is not None and matched is not None and needs_prices:
        if in_stock is not None:
            prices = cheapest_prices(session, channel_id, matched, in_stock)
            amounts = {p: q.current.amount_minor for p, q in prices.items()}
        else:
            amounts = shelf_amounts(session, channel_id, stmt)
        currency = channels_service.get_channel(session=session, channel_id=channel_id).currency
        bands_of = {p: price_band(Money(a, currency)) for p, a in amounts.items()}
        if in_stock is not None or filters.price_band:
            narrowed = True
            matched = [p for p in matched if p in amounts and (
                not filters.price_band or bands_of[p] == filters.price_band)]
    scores = _scores(session, stmt, discounts) if matched is not None and groups else {}
    if matched is not None:
        if sort == "price_asc":
            matched.sort(key=lambda p: amounts.get(p, 1 << 62))
        elif sort == "price_desc":
            matched.sort(key=lambda p: -amounts[p] if p in amounts else 1 << 62)
        elif not newest:
            matched.sort(key=lambda p: -scores.get(p, 0.0))
        total = len(matched)
        ids = matched[:window]
    facets = _facets(session, matched if narrowed and matched is not None else stmt) if with_facets else {}
    if with_facets and channel_id is not None and matched is not None and needs_prices:
        bands: dict[str, int] = defaultdict(int)
        for product_id in matched:
            if product_id in amounts:
                bands[bands_of[product_id]] += 1
        facets["price_band"] = dict(sorted(bands.items(), key=lambda kv: int(kv[0].split("-")[0].rstrip("+"))))
    shown = set(ids)
    return Ranked(ids, total, {p: v for p, v in scores.items() if p in shown}, facets, corrected,
                  {p: q for p, q in prices.items() if p in shown})


def _scores(session: Session, matched: Select[uuid.UUID], discounts: Mapping[str, float]) -> dict[uuid.UUID, float]:
    if not discounts:
        return {}
    best: dict[tuple[uuid.UUID, str], float] = {}
    stmt = select(SearchPosting.product_id, SearchPosting.term, SearchPosting.weight).where(
        SearchPosting.term.in_(list(discounts)), SearchPosting.product_id.in_(matched))
    for product_id, term, weight in session.execute(stmt):
        best[(product_id, term)] = weight * discounts[term]
    scores: dict[uuid.UUID, float] = defaultdict(float)
    for (product_id, _), score in best.items():
        scores[product_id] += score
    return scores


def _facets(session: Session, products: Select[uuid.UUID] | list[uuid.UUID]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    chunks: list[Any] = ([products[i:i + 900] for i in range(0, len(products), 900)]
                         if isinstance(products, list) else [products])
    for chunk in chunks:
        condition = SearchFacet.product_id.in_(chunk.subquery().select() if isinstance(chunk, Select) else chunk)
        stmt = (select(SearchFacet.name, SearchFacet.value, func.count()).where(condition)
                .group_by(SearchFacet.name, SearchFacet.value))
        for name, value, count in session.execute(stmt):
            counts[name][value] = counts[name].get(value, 0) + int(count)
    return dict(counts)


def suggest(*, session: Session, prefix: str, channel_id: uuid.UUID | None = None, limit: int = 8) -> list[str]:
    """Completions of the word being typed, most common first, as they read in product names."""
    typed = list(words(prefix))
    if not typed:
        return []
    last = typed[-1]
    terms = list(session.execute(select(SearchTerm.term, SearchTerm.display).where(
        SearchTerm.term >= last, SearchTerm.term < last + "\U0010ffff").order_by(SearchTerm.term).limit(200)))
    if not terms:
        return []
    visible = visible_products(channel_id)
    counts = dict(session.execute(
        select(SearchPosting.term, func.count()).where(SearchPosting.term.in_([t for t, _ in terms]),
                                                       SearchPosting.product_id.in_(visible))
        .group_by(SearchPosting.term)).all())
    ranked = sorted((t for t in terms if counts.get(t[0])), key=lambda t: (-counts[t[0]], len(t[0]), t[0]))
    return [display for _, display in ranked[:limit]]


def channel_for(session: Session, ref: str | None) -> uuid.UUID | None:
    """The channel id for a code or id given by a client (None: every channel, staff only)."""
    return channels_service.find_channel(session=session, ref=ref).id if ref else None
