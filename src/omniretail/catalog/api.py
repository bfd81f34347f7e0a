"""Catalog API: staff CRUD of categories, products and variants; the public read per channel and search."""

from __future__ import annotations

import dataclasses
import uuid
from collections import defaultdict
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from omniretail.catalog import categories as catalog_categories
from omniretail.catalog import service as catalog_service
from omniretail.catalog.collections import service as collections_service
from omniretail.catalog.dependencies import CatalogReader, CatalogWriter, ValidProduct, ValidVariant
from omniretail.catalog.importing import service as import_service
from omniretail.catalog.models import Collection
from omniretail.catalog.rules import CollectionRule, RelationKind
from omniretail.catalog.schemas import (
    AttributeCreate,
    AttributeRead,
    CategoryCreate,
    CategoryRead,
    CategoryUpdate,
    CollectionCreate,
    CollectionRead,
    CollectionUpdate,
    CrumbOut,
    ImportReport,
    ListingOut,
    ProductCreate,
    ProductPage,
    ProductPageOut,
    ProductRead,
    ProductUpdate,
    PublicationIn,
    PublicationRead,
    RelationsIn,
    ShelfOut,
    VariantCreate,
    VariantRead,
    VariantUpdate,
)
from omniretail.catalog.search import service as search_service
from omniretail.catalog.search.service import Filters
from omniretail.catalog.service import ProductText, VariantInput
from omniretail.catalog.storefront import service as storefront
from omniretail.kernel.deps import SessionDep
from omniretail.kernel.errors import FieldError, InvalidInput
from omniretail.kernel.schemas import Limit

router = APIRouter(tags=["catalog"])
PUBLIC_CACHE = "public, max-age=60, stale-while-revalidate=300"


def _texts(texts: dict[str, object]) -> dict[str, ProductText]:
    return {loc: ProductText(**t.model_dump()) for loc, t in texts.items()}  # type: ignore[attr-defined]


@router.get("/categories")
def list_categories(session: SessionDep, actor: CatalogReader) -> list[CategoryRead]:
    """The category tree, parents first, siblings in order."""
    return [CategoryRead.model_validate(c) for c in catalog_categories.list_categories(session=session)]


@router.post("/categories", status_code=201)
def create_category(body: CategoryCreate, session: SessionDep, actor: CatalogWriter) -> CategoryRead:
    """Add a category, with names (and optional slugs) per locale."""
    return CategoryRead.model_validate(catalog_categories.create_category(session=session, actor=actor,
                                                                          **body.model_dump()))


@router.get("/categories/{category_id}")
def get_category(category_id: uuid.UUID, session: SessionDep, actor: CatalogReader) -> CategoryRead:
    """One category."""
    return CategoryRead.model_validate(catalog_categories.get_category(session=session, category_id=category_id))


@router.patch("/categories/{category_id}")
def update_category(category_id: uuid.UUID, body: CategoryUpdate, session: SessionDep,
                    actor: CatalogWriter) -> CategoryRead:
    """Rename, reorder or move a category."""
    changes = body.model_dump(exclude_unset=True)
    category = catalog_categories.update_category(session=session, actor=actor, category_id=category_id,
                                                  names=changes.get("names"), position=changes.get("position"),
                                                  parent_id=changes.get("parent_id"), move="parent_id" in changes)
    return CategoryRead.model_validate(category)


@router.get("/attributes")
def list_attributes(session: SessionDep, actor: CatalogReader) -> list[AttributeRead]:
    """Typed variant attributes."""
    return [AttributeRead.model_validate(a) for a in catalog_service.list_attributes(session=session)]


@router.post("/attributes", status_code=201)
def define_attribute(body: AttributeCreate, session: SessionDep, actor: CatalogWriter) -> AttributeRead:
    """Declare or redefine a typed attribute."""
    return AttributeRead.model_validate(catalog_service.define_attribute(session=session, actor=actor,
                                                                         **body.model_dump()))


@router.get("/products")
def list_products(session: SessionDep, actor: CatalogReader, cursor: str | None = None, limit: Limit = 50,
                  status: str | None = None, category_id: uuid.UUID | None = None,
                  brand: str | None = None) -> ProductPage:
    """Products for the back office."""
    page = catalog_service.list_products(session=session, cursor=cursor, limit=limit, status=status,
                                         category_id=category_id, brand=brand)
    return ProductPage(items=[ProductRead.model_validate(p) for p in page.items], next_cursor=page.next_cursor)


@router.post("/products", status_code=201)
def create_product(body: ProductCreate, session: SessionDep, actor: CatalogWriter) -> ProductRead:
    """Add a product with its texts in each locale, its variants and categories."""
    product = catalog_service.create_product(
        session=session, actor=actor, code=body.code, brand=body.brand, status=body.status,
        tax_class=body.tax_class, texts=_texts(dict(body.texts)), category_ids=body.category_ids,
        variants=[VariantInput(**v.model_dump()) for v in body.variants])
    return ProductRead.model_validate(product)


@router.get("/products/{product_id}")
def get_product(product: ValidProduct, actor: CatalogReader) -> ProductRead:
    """One product with its texts and variants."""
    return ProductRead.model_validate(product)


@router.patch("/products/{product_id}")
def update_product(product: ValidProduct, body: ProductUpdate, session: SessionDep,
                   actor: CatalogWriter) -> ProductRead:
    """Change a product's brand, status, texts or categories."""
    changes = body.model_dump(exclude_unset=True)
    updated = catalog_service.update_product(
        session=session, actor=actor, product_id=product.id, brand=changes.get("brand"),
        status=changes.get("status"), category_ids=changes.get("category_ids"),
        texts=_texts(dict(body.texts)) if body.texts is not None else None)
    return ProductRead.model_validate(updated)


@router.get("/products/{product_id}/variants")
def list_variants(product: ValidProduct, actor: CatalogReader) -> list[VariantRead]:
    """A product's variants."""
    return [VariantRead.model_validate(v) for v in product.variants]


@router.post("/products/{product_id}/variants", status_code=201)
def add_variant(product: ValidProduct, body: VariantCreate, session: SessionDep, actor: CatalogWriter) -> VariantRead:
    """Add a variant (a shade, a size) to a product."""
    variant = catalog_service.add_variant(session=session, actor=actor, product_id=product.id,
                                          spec=VariantInput(**body.model_dump()))
    return VariantRead.model_validate(variant)


@router.put("/products/{product_id}/publications/{channel_id}")
def publish(product: ValidProduct, channel_id: uuid.UUID, body: PublicationIn, session: SessionDep,
            actor: CatalogWriter) -> PublicationRead:
    """Publish a product in a channel, optionally between two dates."""
    publication = catalog_service.publish(session=session, actor=actor, product_id=product.id,
                                          channel_id=channel_id, starts_at=body.starts_at, ends_at=body.ends_at)
    return PublicationRead.model_validate(publication)


@router.delete("/products/{product_id}/publications/{channel_id}", status_code=204)
def unpublish(product: ValidProduct, channel_id: uuid.UUID, session: SessionDep, actor: CatalogWriter) -> Response:
    """Take a product off a channel."""
    catalog_service.unpublish(session=session, actor=actor, product_id=product.id, channel_id=channel_id)
    return Response(status_code=204)


@router.put("/products/{product_id}/relations/{kind}", status_code=204)
def set_relations(product: ValidProduct, kind: RelationKind, body: RelationsIn, session: SessionDep,
                  actor: CatalogWriter) -> Response:
    """Replace a product's related or cross-sell products, in order."""
    catalog_service.set_relations(session=session, actor=actor, product_id=product.id, kind=kind,
                                  related_ids=body.related_ids)
    return Response(status_code=204)


@router.get("/variants")
def find_variants(session: SessionDep, actor: CatalogReader,
                  sku: Annotated[list[str], Query(max_length=200)]) -> list[VariantRead]:
    """Variants by SKU."""
    found = catalog_service.variants_by_sku(session=session, skus=sku)
    return [VariantRead.model_validate(found[s]) for s in sku if s in found]


@router.get("/variants/{variant_id}")
def get_variant(variant: ValidVariant, actor: CatalogReader) -> VariantRead:
    """One variant."""
    return VariantRead.model_validate(variant)


@router.patch("/variants/{variant_id}")
def update_variant(variant: ValidVariant, body: VariantUpdate, session: SessionDep,
                   actor: CatalogWriter) -> VariantRead:
    """Change a variant's SKU, barcode, attributes, dimensions or status."""
    updated = catalog_service.update_variant(session=session, actor=actor, variant_id=variant.id,
                                             changes=body.model_dump(exclude_unset=True))
    return VariantRead.model_validate(updated)


@router.post("/products/import")
async def import_products(request: Request, session: SessionDep, actor: CatalogWriter,
                          fmt: Annotated[Literal["csv", "json"], Query(alias="format")] = "csv",
                          partial: bool = False) -> ImportReport:
    """Import products, variants, prices and texts (CSV or JSON body); all or nothing unless partial."""
    result = import_service.import_catalog(session=session, actor=actor, data=await request.body(), fmt=fmt,
                                           partial=partial)
    return ImportReport(valid=result.valid, rows=result.rows, created=result.created, updated=result.updated,
                        written=result.written, errors=[e.as_dict() for e in result.errors])


@router.get("/products/export/{fmt}")
def export_products(fmt: Literal["csv", "json"], session: SessionDep, actor: CatalogReader) -> Response:
    """Every variant with its texts, categories, attributes and prices."""
    body = import_service.export_catalog(session=session, fmt=fmt)
    return Response(body, media_type="text/csv" if fmt == "csv" else "application/json")


# Public, cacheable reads per channel and locale

def _filters(category: uuid.UUID | None, brand: list[str], attr: list[str], price_band: str | None,
             in_stock_at: uuid.UUID | None) -> Filters:
    attributes: dict[str, list[str]] = defaultdict(list)
    for item in attr:
        code, sep, value = item.partition(":")
        if not sep:
            raise InvalidInput(errors=[FieldError(("query", "attr"), "write attr=code:value")])
        attributes[code].append(value)
    return Filters(category_id=category, brands=brand, attributes=dict(attributes), price_band=price_band,
                   in_stock_at=in_stock_at)


def _listing(listing: storefront.Listing) -> ListingOut:
    return ListingOut.model_validate(dataclasses.asdict(listing))


Sort = Literal["relevance", "newest", "price_asc", "price_desc"]


@router.get("/search")
def search(response: Response, session: SessionDep, channel: str, q: str = "", locale: str | None = None,
           category: uuid.UUID | None = None, brand: Annotated[list[str], Query()] = [],  # noqa: B006
           attr: Annotated[list[str], Query(description="code:value, repeatable")] = [],  # noqa: B006
           price_band: str | None = None, in_stock_at: uuid.UUID | None = None, sort: Sort = "relevance",
           offset: Annotated[int, Query(ge=0, le=10_000)] = 0, limit: Annotated[int, Query(ge=1, le=100)] = 24,
           ) -> ListingOut:
    """Search a channel's catalog in any language, with facets; typos and partial words are forgiven."""
    listing = storefront.browse(session=session, channel_ref=channel, locale=locale, query=q[:200],
                                filters=_filters(category, brand, attr, price_band, in_stock_at), sort=sort,
                                offset=offset, limit=limit)
    response.headers["cache-control"] = PUBLIC_CACHE
    return _listing(listing)


@router.get("/search/suggestions")
def suggestions(response: Response, session: SessionDep, q: str, channel: str | None = None,
                limit: Annotated[int, Query(ge=1, le=20)] = 8) -> list[str]:
    """Completions of what the shopper is typing."""
    channel_id = search_service.channel_for(session, channel)
    response.headers["cache-control"] = PUBLIC_CACHE
    return search_service.suggest(session=session, prefix=q[:100], channel_id=channel_id, limit=limit)


@router.get("/channels/{channel}/catalog/products")
def channel_products(channel: str, response: Response, session: SessionDep, locale: str | None = None,
                     category: uuid.UUID | None = None, sort: Sort = "newest",
                     offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
                     limit: Annotated[int, Query(ge=1, le=100)] = 24) -> ListingOut:
    """A channel's published products (a category page when ``category`` is given), at its prices."""
    listing = storefront.browse(session=session, channel_ref=channel, locale=locale,
                                filters=Filters(category_id=category), sort=sort, offset=offset, limit=limit)
    response.headers["cache-control"] = PUBLIC_CACHE
    return _listing(listing)


@router.get("/channels/{channel}/catalog/products/{product}")
def channel_product(channel: str, product: str, response: Response, session: SessionDep,
                    locale: str | None = None) -> ProductPageOut:
    """One product as a channel shows it (by id or slug)."""
    page = storefront.product_page(session=session, channel_ref=channel, locale=locale, product_ref=product)
    response.headers["cache-control"] = PUBLIC_CACHE
    data = dataclasses.asdict(page)
    data["breadcrumbs"] = [CrumbOut(id=i, name=n, slug=s) for i, n, s in page.breadcrumbs]
    return ProductPageOut.model_validate(data)


# Featured collections

def _collection(session: SessionDep, collection: Collection) -> CollectionRead:
    return CollectionRead(id=collection.id, code=collection.code, titles=dict(collection.titles),
                          rule=CollectionRule(collection.rule), category_id=collection.category_id,
                          size=collection.size, position=collection.position,
                          product_ids=collections_service.item_ids(session=session, collection_id=collection.id))


@router.get("/collections")
def list_collections(session: SessionDep, actor: CatalogReader, category: uuid.UUID | None = None,
                     ) -> list[CollectionRead]:
    """Featured collections, all or one category's, by position."""
    found = collections_service.list_collections(session=session, category_id=category)
    return [_collection(session, c) for c in found]


@router.post("/collections", status_code=201)
def create_collection(body: CollectionCreate, session: SessionDep, actor: CatalogWriter) -> CollectionRead:
    """Add a featured collection to the home page (no category) or a category page."""
    collection = collections_service.create_collection(session=session, actor=actor, **body.model_dump())
    return _collection(session, collection)


@router.get("/collections/{collection_id}")
def get_collection(collection_id: uuid.UUID, session: SessionDep, actor: CatalogReader) -> CollectionRead:
    """One collection."""
    return _collection(session, collections_service.get_collection(session=session, collection_id=collection_id))


@router.patch("/collections/{collection_id}")
def update_collection(collection_id: uuid.UUID, body: CollectionUpdate, session: SessionDep,
                      actor: CatalogWriter) -> CollectionRead:
    """Retitle, resize, reorder, change the rule of, or re-pick the products of a collection."""
    collection = collections_service.update_collection(session=session, actor=actor, collection_id=collection_id,
                                                       **body.model_dump(exclude_unset=True))
    return _collection(session, collection)


@router.delete("/collections/{collection_id}", status_code=204)
def delete_collection(collection_id: uuid.UUID, session: SessionDep, actor: CatalogWriter) -> Response:
    """Remove a collection."""
    collections_service.delete_collection(session=session, actor=actor, collection_id=collection_id)
    return Response(status_code=204)


@router.get("/channels/{channel}/catalog/collections")
def channel_collections(channel: str, response: Response, session: SessionDep, locale: str | None = None,
                        category: uuid.UUID | None = None) -> list[ShelfOut]:
    """The featured shelves of the home page (no category) or a category page, at the channel's prices."""
    shelves = collections_service.shelves(session=session, channel_ref=channel, locale=locale, category_id=category)
    response.headers["cache-control"] = PUBLIC_CACHE
    return [ShelfOut.model_validate(dataclasses.asdict(shelf)) for shelf in shelves]
