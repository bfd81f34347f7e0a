"""Catalog tables: categories, products, variants, translations, publication, media, collections and the
search index. Channel ids reference the channels context by id, checked by services."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeEngine

from omniretail.kernel import clock
from omniretail.kernel.db import Base, CreatedMixin, IdMixin


class Category(IdMixin, CreatedMixin, Base):
    """A node of the category tree; ``path`` is the ids from the root down, for subtree queries."""

    __tablename__ = "catalog_category"

    code: Mapped[str] = mapped_column(String(80), unique=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("catalog_category.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    path: Mapped[str] = mapped_column(String(1000), index=True)

    translations: Mapped[list[CategoryTranslation]] = relationship(cascade="all, delete-orphan", lazy="selectin")


class CategoryTranslation(IdMixin, Base):
    __tablename__ = "catalog_category_translation"
    __table_args__ = (UniqueConstraint("category_id", "locale"), UniqueConstraint("locale", "slug"))

    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_category.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(5))
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200))


class Product(IdMixin, CreatedMixin, Base):
    __tablename__ = "catalog_product"
    __table_args__ = (Index("ix_catalog_product_status_created", "status", "created_at"),)

    code: Mapped[str] = mapped_column(String(80), unique=True)
    brand: Mapped[str] = mapped_column(String(120), index=True)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    tax_class: Mapped[str] = mapped_column(String(20), default="standard")
    updated_at: Mapped[datetime] = mapped_column(default=clock.now)

    translations: Mapped[list[ProductTranslation]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    variants: Mapped[list[Variant]] = relationship(cascade="all, delete-orphan", lazy="selectin",
                                                   order_by="Variant.position, Variant.sku")


class ProductTranslation(IdMixin, Base):
    __tablename__ = "catalog_product_translation"
    __table_args__ = (UniqueConstraint("product_id", "locale"), UniqueConstraint("locale", "slug"))

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_product.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(5))
    name: Mapped[str] = mapped_column(String(300))
    slug: Mapped[str] = mapped_column(String(300))
    description_html: Mapped[str] = mapped_column(Text, default="")


class Variant(IdMixin, CreatedMixin, Base):
    __tablename__ = "catalog_variant"

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_product.id", ondelete="CASCADE"), index=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    barcode: Mapped[str | None] = mapped_column(String(14), unique=True)
    attributes: Mapped[dict[str, Any]]
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(12), default="active")
    weight_grams: Mapped[int] = mapped_column(Integer, default=0)
    length_mm: Mapped[int] = mapped_column(Integer, default=0)
    width_mm: Mapped[int] = mapped_column(Integer, default=0)
    height_mm: Mapped[int] = mapped_column(Integer, default=0)


class Attribute(IdMixin, Base):
    """A typed variant attribute (shade: text, volume_ml: number, vegan: boolean) with per-locale labels."""

    __tablename__ = "catalog_attribute"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(12))
    unit: Mapped[str | None] = mapped_column(String(12))
    labels: Mapped[dict[str, Any]]
    facet: Mapped[bool] = mapped_column(default=True)


class ProductCategory(Base):
    __tablename__ = "catalog_product_category"
    __table_args__ = (Index("ix_catalog_product_category_listing", "category_id", "position", "product_id"),)

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_product.id", ondelete="CASCADE"),
                                                  primary_key=True)
    category_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_category.id", ondelete="CASCADE"),
                                                   primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Publication(IdMixin, Base):
    """A product is on sale in a channel from ``starts_at`` (None: now) until ``ends_at`` (None: ever)."""

    __tablename__ = "catalog_publication"
    __table_args__ = (UniqueConstraint("channel_id", "product_id"),
                      # The next moment a window opens or closes ends what cached listings may be kept (versions.py).
                      Index("ix_catalog_publication_starts_at", "starts_at"),
                      Index("ix_catalog_publication_ends_at", "ends_at"))

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_product.id", ondelete="CASCADE"), index=True)
    channel_id: Mapped[uuid.UUID]
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]


class ProductRelation(Base):
    __tablename__ = "catalog_product_relation"

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_product.id", ondelete="CASCADE"),
                                                  primary_key=True)
    related_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_product.id", ondelete="CASCADE"),
                                                  primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Media(IdMixin, CreatedMixin, Base):
    """An image stored under the data directory, with a thumbnail and alt text per locale."""

    __tablename__ = "catalog_media"

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_product.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    path: Mapped[str] = mapped_column(String(300))
    thumbnail_path: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(40))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    alt: Mapped[dict[str, Any]]


class Collection(IdMixin, CreatedMixin, Base):
    """Featured products for the home page (no category) or a category: hand-picked or by a rule."""

    __tablename__ = "catalog_collection"

    code: Mapped[str] = mapped_column(String(80), unique=True)
    category_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("catalog_category.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(20), default="manual")
    position: Mapped[int] = mapped_column(Integer, default=0)
    size: Mapped[int] = mapped_column(Integer, default=12)
    titles: Mapped[dict[str, Any]]


class CollectionItem(Base):
    __tablename__ = "catalog_collection_item"

    collection_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_collection.id", ondelete="CASCADE"),
                                                     primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_product.id", ondelete="CASCADE"),
                                                  primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


# Byte-order collation on PostgreSQL so that a prefix is a range scan of the index, as on SQLite.
TERM: TypeEngine[str] = String(64).with_variant(String(64, collation="C"), "postgresql")


class SearchPosting(Base):
    """The inverted index: a normalized term found in a product, with a weight by field."""

    __tablename__ = "catalog_search_posting"

    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_product.id", ondelete="CASCADE"),
                                                  primary_key=True, index=True)
    weight: Mapped[int] = mapped_column(Integer)


class SearchTerm(Base):
    """The vocabulary: every indexed term and how it reads to people (for suggestions)."""

    __tablename__ = "catalog_search_term"

    term: Mapped[str] = mapped_column(TERM, primary_key=True)
    display: Mapped[str] = mapped_column(String(120))


class SearchFuzzyKey(Base):
    """Deletion neighbourhood of each term (SymSpell), so a misspelled word finds its term by index."""

    __tablename__ = "catalog_search_fuzzy_key"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    term: Mapped[str] = mapped_column(String(64), primary_key=True)


class SearchFacet(Base):
    """Facet values of a product (brand, category and its ancestors, attribute values)."""

    __tablename__ = "catalog_search_facet"
    __table_args__ = (Index("ix_catalog_search_facet_value", "name", "value"),)

    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_product.id", ondelete="CASCADE"),
                                                  primary_key=True, index=True)
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(120), primary_key=True)


class ReadVersion(Base):
    """One version row that every transaction writing catalog, pricing or channel tables changes before it commits,
    so per-process caches of storefront reads know when they are stale (``catalog/versions.py``)."""

    __tablename__ = "catalog_read_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)


from omniretail.catalog import versions as _versions  # noqa: E402, F401  (watches writes wherever tables are mapped)
