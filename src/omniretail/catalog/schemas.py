"""Catalog API shapes: back-office CRUD and the public, per-channel read."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from omniretail.catalog.rules import AttributeKind, CollectionRule, ProductStatus, RelationKind
from omniretail.kernel.paging import PageRead
from omniretail.kernel.schemas import Locale, Name, Schema

Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")]
Sku = Annotated[str, Field(min_length=2, max_length=64)]


class CategoryCreate(Schema):
    code: Code
    names: dict[Locale, Name]
    slugs: dict[Locale, str] = {}
    parent_id: uuid.UUID | None = None
    position: int = 0


class CategoryUpdate(Schema):
    names: dict[Locale, Name] | None = None
    parent_id: uuid.UUID | None = None
    position: int | None = None


class CategoryTranslationRead(Schema):
    locale: str
    name: str
    slug: str


class CategoryRead(Schema):
    id: uuid.UUID
    code: str
    parent_id: uuid.UUID | None
    position: int
    depth: int
    translations: list[CategoryTranslationRead]


class AttributeCreate(Schema):
    code: Code
    kind: AttributeKind
    labels: dict[Locale, Name]
    unit: str | None = None
    facet: bool = True


class AttributeRead(Schema):
    id: uuid.UUID
    code: str
    kind: str
    labels: dict[str, Any]
    unit: str | None
    facet: bool


class TextIn(Schema):
    name: Name
    description: str = Field(default="", max_length=50_000)
    description_format: Literal["html", "markdown"] = "html"
    slug: str | None = Field(default=None, pattern=r"^[\w-]{1,200}$")


class VariantCreate(Schema):
    sku: Sku
    barcode: str | None = None
    attributes: dict[str, Any] = {}
    weight_grams: int = 0
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0
    position: int = 0


class VariantUpdate(Schema):
    sku: Sku | None = None
    barcode: str | None = None
    attributes: dict[str, Any] | None = None
    weight_grams: int | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    position: int | None = None
    status: Literal["active", "archived"] | None = None


class VariantRead(Schema):
    id: uuid.UUID
    product_id: uuid.UUID
    sku: str
    barcode: str | None
    attributes: dict[str, Any]
    status: str
    position: int
    weight_grams: int
    length_mm: int
    width_mm: int
    height_mm: int


class ProductCreate(Schema):
    code: Code
    brand: Name
    status: ProductStatus = ProductStatus.DRAFT
    tax_class: str = "standard"
    texts: dict[Locale, TextIn]
    variants: list[VariantCreate] = []
    category_ids: list[uuid.UUID] = []


class ProductUpdate(Schema):
    brand: Name | None = None
    status: ProductStatus | None = None
    texts: dict[Locale, TextIn] | None = None
    category_ids: list[uuid.UUID] | None = None


class ProductTranslationRead(Schema):
    locale: str
    name: str
    slug: str
    description_html: str


class ProductRead(Schema):
    id: uuid.UUID
    code: str
    brand: str
    status: str
    tax_class: str
    created_at: datetime
    updated_at: datetime
    translations: list[ProductTranslationRead]
    variants: list[VariantRead]


ProductPage = PageRead[ProductRead]


class PublicationIn(Schema):
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class PublicationRead(Schema):
    product_id: uuid.UUID
    channel_id: uuid.UUID
    starts_at: datetime | None
    ends_at: datetime | None


class RelationsIn(Schema):
    related_ids: list[uuid.UUID]


class RelationKindPath(Schema):
    kind: RelationKind


# Public read

class PriceOut(Schema):
    amount_minor: int
    regular_minor: int
    currency: str
    formatted: str
    on_sale: bool
    tax_inclusive: bool


class CardOut(Schema):
    id: uuid.UUID
    name: str
    slug: str
    brand: str
    price: PriceOut | None
    image: str | None
    image_alt: str


class ListingOut(Schema):
    items: list[CardOut]
    total: int
    facets: dict[str, dict[str, int]]
    corrected: dict[str, str]


class CrumbOut(Schema):
    id: uuid.UUID
    name: str
    slug: str


class VariantOut(Schema):
    id: uuid.UUID
    sku: str
    barcode: str | None
    attributes: dict[str, Any]
    price: PriceOut | None


class ProductPageOut(Schema):
    card: CardOut
    description_html: str
    variants: list[VariantOut]
    breadcrumbs: list[CrumbOut]
    related: list[CardOut]
    cross_sell: list[CardOut]


class ImportReport(Schema):
    valid: bool
    rows: int
    created: int
    updated: int
    written: bool
    errors: list[dict[str, Any]]


# Featured collections

class CollectionCreate(Schema):
    code: Code
    titles: dict[Locale, Name]
    rule: CollectionRule = CollectionRule.MANUAL
    category_id: uuid.UUID | None = None
    size: Annotated[int, Field(ge=1, le=48)] = 12
    position: int = 0
    product_ids: list[uuid.UUID] = []


class CollectionUpdate(Schema):
    titles: dict[Locale, Name] | None = None
    rule: CollectionRule | None = None
    size: Annotated[int, Field(ge=1, le=48)] | None = None
    position: int | None = None
    product_ids: list[uuid.UUID] | None = None


class CollectionRead(Schema):
    id: uuid.UUID
    code: str
    titles: dict[str, str]
    rule: CollectionRule
    category_id: uuid.UUID | None
    size: int
    position: int
    product_ids: list[uuid.UUID]


class ShelfOut(Schema):
    id: uuid.UUID
    code: str
    title: str
    rule: CollectionRule
    rule_note: str | None
    items: list[CardOut]
