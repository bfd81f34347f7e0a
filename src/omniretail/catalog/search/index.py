"""Writing the search index: one weighted term list and one facet list per product, in every locale.

The product's names, brand, SKUs and barcodes, category names (with their ancestors), attribute values
and descriptions in all five languages go into one document; a word found in a name weighs more than one
found in a description. New words join the vocabulary with their deletion keys for typo tolerance.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, delete, select
from sqlalchemy import insert as insert_rows
from sqlalchemy.orm import Session

from omniretail.catalog.content import plain_text
from omniretail.catalog.models import (
    Attribute,
    Category,
    CategoryTranslation,
    Product,
    ProductCategory,
    ProductTranslation,
    SearchFacet,
    SearchFuzzyKey,
    SearchPosting,
    SearchTerm,
    Variant,
)
from omniretail.catalog.rules import fold
from omniretail.catalog.search.text import _WORD, MAX_TERM, deletes, index_terms, is_cjk
from omniretail.kernel.db import Base, conflict_insert

NAME, CODE, BRAND, CATEGORY, ATTRIBUTE, DESCRIPTION = 10, 8, 6, 3, 3, 1
_CHUNK = 400


def core_table(model: type[Base]) -> Table:
    """The model's table, for Core bulk inserts (no ORM bookkeeping per row)."""
    return model.metadata.tables[model.__tablename__]


def _insert(session: Session) -> Any:
    return conflict_insert(session)


def _displays(text: str, into: dict[str, str]) -> None:
    for match in _WORD.finditer(text.casefold()):
        word = match.group()
        if not is_cjk(word):
            into.setdefault(fold(word)[:MAX_TERM], word[:120])


def reindex(*, session: Session, product_ids: Sequence[uuid.UUID]) -> None:
    """Rewrite the index entries of these products (deleted products simply vanish from it)."""
    ids = list(dict.fromkeys(product_ids))
    session.flush()
    terms = _Terms()
    for start in range(0, len(ids), _CHUNK):
        _reindex_chunk(session, ids[start:start + _CHUNK], terms)


class _Terms:
    """Term extraction memoized per whitespace-separated token: brands, category names and the words of names
    and descriptions repeat across products. No term spans whitespace, so a text's terms are its tokens' terms."""

    def __init__(self) -> None:
        self._terms: dict[str, tuple[str, ...]] = {}
        self._displays: dict[str, tuple[tuple[str, str], ...]] = {}

    def of(self, text: str) -> list[str]:
        found: list[str] = []
        for token in text.split():
            terms = self._terms.get(token)
            if terms is None:
                terms = self._terms[token] = tuple(dict.fromkeys(index_terms(token)))
            found += terms
        return found

    def of_html(self, html: str) -> list[str]:
        return self.of(plain_text(html))

    def displays(self, text: str, into: dict[str, str]) -> None:
        for token in text.split():
            pairs = self._displays.get(token)
            if pairs is None:
                seen: dict[str, str] = {}
                _displays(token, seen)
                pairs = self._displays[token] = tuple(seen.items())
            for term, display in pairs:
                into.setdefault(term, display)


def _reindex_chunk(session: Session, ids: list[uuid.UUID], terms: _Terms) -> None:
    session.execute(delete(SearchPosting).where(SearchPosting.product_id.in_(ids)))
    session.execute(delete(SearchFacet).where(SearchFacet.product_id.in_(ids)))
    brands = dict(session.execute(select(Product.id, Product.brand).where(Product.id.in_(ids))).all())
    if not brands:
        return
    texts: dict[uuid.UUID, list[tuple[str, str]]] = defaultdict(list)
    for row in session.execute(select(ProductTranslation.product_id, ProductTranslation.name,
                                      ProductTranslation.description_html)
                               .where(ProductTranslation.product_id.in_(ids))):
        texts[row.product_id].append((row.name, row.description_html))
    variants: dict[uuid.UUID, list[tuple[str, str | None, dict[str, object]]]] = defaultdict(list)
    for row in session.execute(select(Variant.product_id, Variant.sku, Variant.barcode, Variant.attributes)
                               .where(Variant.product_id.in_(ids), Variant.status == "active")):
        variants[row.product_id].append((row.sku, row.barcode, row.attributes))
    memberships: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for product_id, category_id in session.execute(
            select(ProductCategory.product_id, ProductCategory.category_id)
            .where(ProductCategory.product_id.in_(ids))):
        memberships[product_id].append(category_id)
    paths = dict(session.execute(select(Category.id, Category.path)).all())
    category_names: dict[uuid.UUID, list[str]] = defaultdict(list)
    for category_id, name in session.execute(select(CategoryTranslation.category_id, CategoryTranslation.name)):
        category_names[category_id].append(name)
    facet_attributes = set(session.scalars(select(Attribute.code).where(Attribute.facet.is_(True))))

    postings: list[dict[str, object]] = []
    facets: list[dict[str, object]] = []
    displays: dict[str, str] = {}
    for product_id, brand in brands.items():
        weights: dict[str, int] = {}

        def add(found: list[str], weight: int, *, weights: dict[str, int] = weights) -> None:
            for term in found:
                if weights.get(term, 0) < weight:
                    weights[term] = weight

        product_facets: set[tuple[str, str]] = {("brand", brand)}
        add(terms.of(brand), BRAND)
        terms.displays(brand, displays)
        for name, description_html in texts.get(product_id, []):
            add(terms.of(name), NAME)
            terms.displays(name, displays)
            add(terms.of_html(description_html), DESCRIPTION)
        ancestors: set[uuid.UUID] = set()
        for category_id in memberships.get(product_id, []):
            ancestors.update(uuid.UUID(hex=h) for h in paths.get(category_id, "").strip("/").split("/") if h)
        for category_id in ancestors:
            product_facets.add(("category", str(category_id)))
            for category_name in category_names.get(category_id, []):
                add(terms.of(category_name), CATEGORY)
        for sku, barcode, attributes in variants.get(product_id, []):
            add(terms.of(sku), CODE)
            weights[fold(sku)[:MAX_TERM]] = CODE
            if barcode:
                weights[barcode] = CODE
            for code, value in attributes.items():
                add(terms.of(str(value)), ATTRIBUTE)
                if code in facet_attributes:
                    product_facets.add((f"attr.{code}", str(value)[:120]))
        postings += [{"term": t, "product_id": product_id, "weight": w} for t, w in weights.items() if t]
        facets += [{"product_id": product_id, "name": n, "value": v} for n, v in product_facets]
    if postings:
        session.execute(insert_rows(core_table(SearchPosting)), postings)
    if facets:
        session.execute(insert_rows(core_table(SearchFacet)), facets)
    _grow_vocabulary(session, {str(p["term"]) for p in postings}, displays)


def _grow_vocabulary(session: Session, terms: set[str], displays: dict[str, str]) -> None:
    known: set[str] = set()
    ordered = sorted(terms)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start:start + _CHUNK]
        known.update(session.scalars(select(SearchTerm.term).where(SearchTerm.term.in_(chunk))))
    new = [t for t in ordered if t not in known]
    if not new:
        return
    insert = _insert(session)
    session.execute(insert(core_table(SearchTerm)).on_conflict_do_nothing(),
                    [{"term": t, "display": displays.get(t, t)} for t in new])
    keys = [{"key": key, "term": t} for t in new if not is_cjk(t) and not re.fullmatch(r"\d+", t) and len(t) >= 4
            for key in deletes(t)]
    for start in range(0, len(keys), 2000):
        session.execute(insert(core_table(SearchFuzzyKey)).on_conflict_do_nothing(), keys[start:start + 2000])
