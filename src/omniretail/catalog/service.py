"""Catalog use cases: categories, products, variants, texts in five languages, publication, relations.

Every change reindexes the product for search in the same transaction, so a product is findable the
moment it is committed. Other contexts read the catalog through ``variant_refs``.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from omniretail.catalog import categories as catalog_categories
from omniretail.catalog.common import check_names, require, unique_slug
from omniretail.catalog.content import render_description
from omniretail.catalog.events import ProductChanged
from omniretail.catalog.exceptions import (
    CodeTaken,
    InvalidProduct,
    ProductNotFound,
    SkuTaken,
    VariantNotFound,
)
from omniretail.catalog.models import (
    Attribute,
    Category,
    Media,
    Product,
    ProductCategory,
    ProductRelation,
    ProductTranslation,
    Publication,
    Variant,
)
from omniretail.catalog.rules import (
    DEFAULT_LOCALE,
    LOCALES,
    AttributeKind,
    ProductStatus,
    RelationKind,
    barcode_problem,
    coerce_attribute,
    pick,
    sku_problem,
    slugify,
)
from omniretail.catalog.search import index as search_index
from omniretail.channels import service as channels_service
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Principal
from omniretail.kernel import clock
from omniretail.kernel.errors import FieldError
from omniretail.kernel.outbox import record
from omniretail.kernel.paging import Page, paginate


@dataclass(frozen=True)
class ProductText:
    name: str
    description: str = ""
    description_format: str = "html"
    slug: str | None = None


@dataclass(frozen=True)
class VariantInput:
    sku: str
    barcode: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    weight_grams: int = 0
    length_mm: int = 0
    width_mm: int = 0
    height_mm: int = 0
    position: int = 0


@dataclass(frozen=True)
class VariantRef:
    """What other contexts know of a variant."""

    id: uuid.UUID
    product_id: uuid.UUID
    sku: str
    barcode: str | None
    name: str
    weight_grams: int
    status: str


def _changed(session: Session, product: Product) -> None:
    product.updated_at = clock.now()
    session.flush()
    search_index.reindex(session=session, product_ids=[product.id])
    record(session, ProductChanged(product.id, product.status))


# Attributes

def define_attribute(*, session: Session, actor: Principal | None, code: str, kind: str,
                     labels: Mapping[str, str], unit: str | None = None, facet: bool = True) -> Attribute:
    """Declare a typed variant attribute (shade, size, volume_ml...)."""
    require(actor)
    if kind not in set(AttributeKind):
        raise InvalidProduct(errors=[FieldError(("body", "kind"), f"one of {', '.join(AttributeKind)}")])
    attribute = session.scalar(select(Attribute).where(Attribute.code == code))
    if attribute is None:
        attribute = Attribute(code=code, kind=kind, labels=dict(labels), unit=unit, facet=facet)
        session.add(attribute)
    else:
        attribute.kind, attribute.labels, attribute.unit, attribute.facet = kind, dict(labels), unit, facet
    session.flush()
    return attribute


def list_attributes(*, session: Session) -> list[Attribute]:
    """Every attribute definition."""
    return list(session.scalars(select(Attribute).order_by(Attribute.code)))


# Products and variants

def _variant_errors(session: Session, spec: VariantInput, where: tuple[str | int, ...], kinds: Mapping[str, str],
                    exclude: uuid.UUID | None = None) -> tuple[list[FieldError], dict[str, Any]]:
    errors: list[FieldError] = []
    if (problem := sku_problem(spec.sku)) is not None:
        errors.append(FieldError((*where, "sku"), problem))
    if spec.barcode and (problem := barcode_problem(spec.barcode)) is not None:
        errors.append(FieldError((*where, "barcode"), problem))
    attributes: dict[str, Any] = {}
    for code, value in spec.attributes.items():
        if code not in kinds:
            errors.append(FieldError((*where, "attributes", code), "unknown attribute"))
            continue
        coerced, problem = coerce_attribute(kinds[code], value)
        if problem:
            errors.append(FieldError((*where, "attributes", code), problem))
        attributes[code] = coerced
    for name in ("weight_grams", "length_mm", "width_mm", "height_mm"):
        if getattr(spec, name) < 0:
            errors.append(FieldError((*where, name), "cannot be negative"))
    if not errors:
        clash = select(Variant.sku).where((Variant.sku == spec.sku) | (
            (Variant.barcode == spec.barcode) if spec.barcode else False))
        if exclude is not None:
            clash = clash.where(Variant.id != exclude)
        if (taken := session.scalar(clash)) is not None:
            raise SkuTaken(f"SKU or barcode already used by {taken}", sku=spec.sku)
    return errors, attributes


def attribute_kinds(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Attribute.code, Attribute.kind)).all())


def _set_texts(session: Session, product: Product, texts: Mapping[str, ProductText]) -> None:
    existing = {t.locale: t for t in product.translations}
    for locale, text in texts.items():
        slug = unique_slug(session, ProductTranslation, locale, text.slug or slugify(text.name), product.id,
                            text.slug is not None)
        html = render_description(text.description, fmt=text.description_format)
        if locale in existing:
            row = existing[locale]
            row.name, row.slug, row.description_html = text.name, slug, html
        else:
            product.translations.append(ProductTranslation(locale=locale, name=text.name, slug=slug,
                                                           description_html=html))


def _set_categories(session: Session, product: Product, category_ids: Sequence[uuid.UUID]) -> None:
    known = set(session.scalars(select(Category.id).where(Category.id.in_(list(category_ids)))))
    missing = [FieldError(("body", "category_ids", i), "unknown category")
               for i, cid in enumerate(category_ids) if cid not in known]
    if missing:
        raise InvalidProduct(errors=missing)
    session.execute(delete(ProductCategory).where(ProductCategory.product_id == product.id))
    for cid in dict.fromkeys(category_ids):
        last = session.scalar(select(func.max(ProductCategory.position)).where(ProductCategory.category_id == cid))
        session.add(ProductCategory(product_id=product.id, category_id=cid, position=(last or 0) + 1))


def create_product(*, session: Session, actor: Principal | None, code: str, brand: str,
                   texts: Mapping[str, ProductText], variants: Sequence[VariantInput] = (),
                   category_ids: Sequence[uuid.UUID] = (), status: str = ProductStatus.DRAFT,
                   tax_class: str = "standard", reindex: bool = True) -> Product:
    """Add a product with its texts, variants and categories."""
    require(actor)
    check_names({loc: t.name for loc, t in texts.items()}, "texts")
    if status not in set(ProductStatus):
        raise InvalidProduct(errors=[FieldError(("body", "status"), f"one of {', '.join(ProductStatus)}")])
    if session.scalar(select(Product.id).where(Product.code == code)) is not None:
        raise CodeTaken(f"A product with code {code!r} exists", code=code)
    kinds = attribute_kinds(session)
    checked = [_variant_errors(session, spec, ("body", "variants", i), kinds) for i, spec in enumerate(variants)]
    errors = [e for errs, _ in checked for e in errs]
    skus = [v.sku for v in variants]
    errors += [FieldError(("body", "variants", i, "sku"), "repeated in this product")
               for i, sku in enumerate(skus) if sku in skus[:i]]
    if errors:
        raise InvalidProduct(errors=errors)
    product = Product(code=code, brand=brand, status=status, tax_class=tax_class, updated_at=clock.now())
    session.add(product)
    session.flush()
    _set_texts(session, product, texts)
    for spec, (_, attributes) in zip(variants, checked, strict=True):
        product.variants.append(_new_variant(product, spec, attributes))
    _set_categories(session, product, category_ids)
    if reindex:
        _changed(session, product)
    identity_service.audit(session=session, actor=actor, action="catalog.product.create", target_type="product",
                           target_id=str(product.id)) if actor else None
    return product


def _new_variant(product: Product, spec: VariantInput, attributes: dict[str, Any]) -> Variant:
    return Variant(product_id=product.id, sku=spec.sku, barcode=spec.barcode or None, attributes=attributes,
                   position=spec.position, status="active", weight_grams=spec.weight_grams,
                   length_mm=spec.length_mm, width_mm=spec.width_mm, height_mm=spec.height_mm)


def update_product(*, session: Session, actor: Principal | None, product_id: uuid.UUID,
                   brand: str | None = None, status: str | None = None,
                   texts: Mapping[str, ProductText] | None = None,
                   category_ids: Sequence[uuid.UUID] | None = None, reindex: bool = True) -> Product:
    """Change a product's brand, status, texts (per locale) or categories."""
    require(actor)
    product = get_product(session=session, product_id=product_id)
    if status is not None and status not in set(ProductStatus):
        raise InvalidProduct(errors=[FieldError(("body", "status"), f"one of {', '.join(ProductStatus)}")])
    if texts is not None:
        merged = {t.locale: t.name for t in product.translations} | {loc: t.name for loc, t in texts.items()}
        check_names(merged, "texts")
        _set_texts(session, product, texts)
    if brand is not None:
        product.brand = brand
    if status is not None:
        product.status = status
    if category_ids is not None:
        _set_categories(session, product, category_ids)
    if reindex:
        _changed(session, product)
    if actor:
        identity_service.audit(session=session, actor=actor, action="catalog.product.update",
                               target_type="product", target_id=str(product.id))
    return product


def add_variant(*, session: Session, actor: Principal | None, product_id: uuid.UUID, spec: VariantInput) -> Variant:
    """Add a variant (a shade, a size) to a product."""
    require(actor)
    product = get_product(session=session, product_id=product_id)
    errors, attributes = _variant_errors(session, spec, ("body",), attribute_kinds(session))
    if errors:
        raise InvalidProduct(errors=errors)
    variant = _new_variant(product, spec, attributes)
    product.variants.append(variant)
    _changed(session, product)
    return variant


def update_variant(*, session: Session, actor: Principal | None, variant_id: uuid.UUID,
                   changes: Mapping[str, Any]) -> Variant:
    """Change a variant's SKU, barcode, attributes, size, weight or status."""
    require(actor)
    variant = get_variant(session=session, variant_id=variant_id)
    current = {k: getattr(variant, k) for k in ("sku", "barcode", "attributes", "weight_grams", "length_mm",
                                                "width_mm", "height_mm", "position")}
    spec = VariantInput(**{**current, **{k: v for k, v in changes.items() if k in current}})
    errors, attributes = _variant_errors(session, spec, ("body",), attribute_kinds(session), exclude=variant.id)
    status = changes.get("status", variant.status)
    if status not in {"active", "archived"}:
        errors.append(FieldError(("body", "status"), "active or archived"))
    if errors:
        raise InvalidProduct(errors=errors)
    for name in current:
        setattr(variant, name, attributes if name == "attributes" else getattr(spec, name))
    variant.barcode = spec.barcode or None
    variant.status = status
    _changed(session, get_product(session=session, product_id=variant.product_id))
    return variant


def get_product(*, session: Session, product_id: uuid.UUID) -> Product:
    """One product with its texts and variants."""
    product = session.get(Product, product_id)
    if product is None:
        raise ProductNotFound(f"No product {product_id}")
    return product


def list_products(*, session: Session, cursor: str | None, limit: int, status: str | None = None,
                  category_id: uuid.UUID | None = None, brand: str | None = None) -> Page[Product]:
    """Products for the back office, newest id last, filtered by status, category or brand."""
    stmt = select(Product)
    if status:
        stmt = stmt.where(Product.status == status)
    if brand:
        stmt = stmt.where(Product.brand == brand)
    if category_id:
        stmt = stmt.where(Product.id.in_(select(ProductCategory.product_id).where(
            ProductCategory.category_id.in_(catalog_categories.subtree_ids(session=session, category_id=category_id)))))
    return paginate(session, stmt, Product.id, cursor=cursor, limit=limit)


def category_ids_of(*, session: Session, product_id: uuid.UUID) -> list[uuid.UUID]:
    """The categories a product sits in."""
    return list(session.scalars(select(ProductCategory.category_id).where(ProductCategory.product_id == product_id)))


def get_variant(*, session: Session, variant_id: uuid.UUID) -> Variant:
    """One variant."""
    variant = session.get(Variant, variant_id)
    if variant is None:
        raise VariantNotFound(f"No variant {variant_id}")
    return variant


def variants_by_sku(*, session: Session, skus: Iterable[str]) -> dict[str, Variant]:
    """Variants by SKU, for the SKUs that exist."""
    wanted = list(dict.fromkeys(skus))
    found: dict[str, Variant] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        found.update({v.sku: v for v in session.scalars(select(Variant).where(Variant.sku.in_(chunk)))})
    return found


def active_variants_of(*, session: Session, product_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
    """Active variant id -> product id, for the given products."""
    if not product_ids:
        return {}
    rows = session.execute(select(Variant.id, Variant.product_id).where(
        Variant.product_id.in_(list(product_ids)), Variant.status == "active"))
    return {row.id: row.product_id for row in rows}


def product_media(*, session: Session, product_id: uuid.UUID) -> list[Media]:
    """A product's images in display order."""
    return list(session.scalars(select(Media).where(Media.product_id == product_id).order_by(Media.position)))


def published_product_ids(*, session: Session, channel_id: uuid.UUID, product_ids: Sequence[uuid.UUID],
                          at: datetime | None = None) -> set[uuid.UUID]:
    """Which of ``product_ids`` are active and published in the channel at ``at`` (default now), in one query."""
    if not product_ids:
        return set()
    now = at or clock.now()
    stmt = (select(Publication.product_id).join(Product, Product.id == Publication.product_id)
            .where(Publication.channel_id == channel_id, Publication.product_id.in_(list(product_ids)),
                   Product.status == "active",
                   (Publication.starts_at.is_(None)) | (Publication.starts_at <= now),
                   (Publication.ends_at.is_(None)) | (Publication.ends_at > now)))
    return set(session.scalars(stmt))


def variant_refs(*, session: Session, variant_ids: Sequence[uuid.UUID] | None = None) -> list[VariantRef]:
    """What other contexts need of variants: SKU, barcode, name, weight; all of them, by SKU, when no ids."""
    stmt = (select(Variant.id, Variant.product_id, Variant.sku, Variant.barcode, Variant.weight_grams,
                   Variant.status, ProductTranslation.name)
            .join(ProductTranslation, (ProductTranslation.product_id == Variant.product_id)
                  & (ProductTranslation.locale == DEFAULT_LOCALE), isouter=True)
            .order_by(Variant.sku))
    if variant_ids is not None:
        stmt = stmt.where(Variant.id.in_(list(variant_ids)))
    return [VariantRef(id=r.id, product_id=r.product_id, sku=r.sku, barcode=r.barcode, name=r.name or r.sku,
                       weight_grams=r.weight_grams, status=r.status) for r in session.execute(stmt)]


# Publication and relations

def publish(*, session: Session, actor: Principal | None, product_id: uuid.UUID, channel_id: uuid.UUID,
            starts_at: datetime | None = None, ends_at: datetime | None = None) -> Publication:
    """Put a product on sale in a channel, now or from ``starts_at``, until ``ends_at``."""
    require(actor)
    product = get_product(session=session, product_id=product_id)
    channels_service.get_channel(session=session, channel_id=channel_id)
    if starts_at and ends_at and ends_at <= starts_at:
        raise InvalidProduct(errors=[FieldError(("body", "ends_at"), "must be after starts_at")])
    publication = session.scalar(select(Publication).where(Publication.product_id == product_id,
                                                           Publication.channel_id == channel_id))
    if publication is None:
        publication = Publication(product_id=product_id, channel_id=channel_id)
        session.add(publication)
    publication.starts_at, publication.ends_at = starts_at, ends_at
    _changed(session, product)
    return publication


def unpublish(*, session: Session, actor: Principal | None, product_id: uuid.UUID, channel_id: uuid.UUID) -> None:
    """Take a product off a channel."""
    require(actor)
    product = get_product(session=session, product_id=product_id)
    session.execute(delete(Publication).where(Publication.product_id == product_id,
                                              Publication.channel_id == channel_id))
    _changed(session, product)


def publications(*, session: Session, product_id: uuid.UUID) -> list[Publication]:
    """Where a product is published."""
    return list(session.scalars(select(Publication).where(Publication.product_id == product_id)))


def set_relations(*, session: Session, actor: Principal | None, product_id: uuid.UUID, kind: str,
                  related_ids: Sequence[uuid.UUID]) -> None:
    """Replace a product's related or cross-sell products, in order."""
    require(actor)
    if kind not in set(RelationKind):
        raise InvalidProduct(errors=[FieldError(("body", "kind"), "related or cross_sell")])
    get_product(session=session, product_id=product_id)
    known = set(session.scalars(select(Product.id).where(Product.id.in_(list(related_ids)))))
    bad = [FieldError(("body", "related_ids", i), "unknown product or the product itself")
           for i, rid in enumerate(related_ids) if rid not in known or rid == product_id]
    if bad:
        raise InvalidProduct(errors=bad)
    session.execute(delete(ProductRelation).where(ProductRelation.product_id == product_id,
                                                  ProductRelation.kind == kind))
    for position, rid in enumerate(dict.fromkeys(related_ids)):
        session.add(ProductRelation(product_id=product_id, related_id=rid, kind=kind, position=position))
    session.flush()


def related(*, session: Session, product_id: uuid.UUID, kind: str) -> list[uuid.UUID]:
    """A product's related or cross-sell products, in order."""
    return list(session.scalars(select(ProductRelation.related_id).where(
        ProductRelation.product_id == product_id, ProductRelation.kind == kind).order_by(ProductRelation.position)))


def variant_by_code(*, session: Session, code: str) -> Variant | None:
    """The variant a till scan or a typed code names: its barcode (EAN-13/UPC) or its SKU."""
    from sqlalchemy import or_

    code = code.strip()
    if not code or len(code) > 64:
        return None
    return session.scalar(select(Variant).where(or_(Variant.barcode == code, Variant.sku == code)).limit(1))


@dataclass(frozen=True)
class PromotionFacts:
    """What promotions and loyalty rules look at for a product: its brand and its categories with their ancestors."""

    brand: str
    category_ids: frozenset[uuid.UUID]


def promotion_facts(*, session: Session, product_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, PromotionFacts]:
    """Brand and categories (ancestors included) of each product, in two queries."""
    ids = list(dict.fromkeys(product_ids))
    if not ids:
        return {}
    brands = dict(session.execute(select(Product.id, Product.brand).where(Product.id.in_(ids))).all())
    categories: dict[uuid.UUID, set[uuid.UUID]] = {pid: set() for pid in brands}
    rows = session.execute(select(ProductCategory.product_id, Category.path)
                           .join(Category, Category.id == ProductCategory.category_id)
                           .where(ProductCategory.product_id.in_(ids)))
    for product_id, path in rows:
        categories[product_id].update(uuid.UUID(hex=part) for part in path.split("/") if part)
    return {pid: PromotionFacts(brand, frozenset(categories[pid])) for pid, brand in brands.items()}


# Back-office lists and images (appended for the back-office catalog pages)





@dataclass(frozen=True)
class ProductRow:
    """A product as the back-office list shows it: name in the asked locale (with fallback) and its SKUs."""

    id: uuid.UUID
    code: str
    brand: str
    status: str
    name: str
    skus: tuple[str, ...]
    updated_at: datetime


ADMIN_PRODUCT_SORTS = ("code", "-code", "brand", "-brand", "name", "-name", "updated", "-updated")


def _admin_product_query(session: Session, *, text: str | None, status: str | None, brand: str | None,
                         category_id: uuid.UUID | None) -> Any:
    stmt = select(Product.id)
    if status:
        stmt = stmt.where(Product.status == status)
    if brand:
        stmt = stmt.where(Product.brand == brand)
    if category_id:
        stmt = stmt.where(Product.id.in_(select(ProductCategory.product_id).where(
            ProductCategory.category_id.in_(catalog_categories.subtree_ids(session=session, category_id=category_id)))))
    needle = (text or "").strip()
    if needle:
        cleaned = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{cleaned}%"
        stmt = stmt.where(
            Product.code.ilike(pattern, escape="\\")
            | Product.id.in_(select(Variant.product_id).where(Variant.sku.ilike(pattern, escape="\\")
                                                              | (Variant.barcode == needle)))
            | Product.id.in_(select(ProductTranslation.product_id).where(
                ProductTranslation.name.ilike(pattern, escape="\\"))))
    return stmt


def search_products_admin(*, session: Session, text: str | None = None, status: str | None = None,
                          brand: str | None = None, category_id: uuid.UUID | None = None, sort: str = "-updated",
                          locale: str = DEFAULT_LOCALE, offset: int = 0,
                          limit: int | None = 50) -> tuple[list[ProductRow], int]:
    """Products matching a SKU, barcode, code or name in any locale, filtered, sorted and paged; with the total."""
    ids = _admin_product_query(session, text=text, status=status, brand=brand, category_id=category_id)
    total = int(session.scalar(select(func.count()).select_from(ids.subquery())) or 0)
    key = sort if sort in ADMIN_PRODUCT_SORTS else "-updated"
    name = (select(ProductTranslation.name).where(ProductTranslation.product_id == Product.id,
                                                  ProductTranslation.locale == DEFAULT_LOCALE)
            .correlate(Product).scalar_subquery())
    columns = {"code": Product.code, "brand": Product.brand, "name": name, "updated": Product.updated_at}
    column = columns[key.lstrip("-")]
    stmt = (select(Product.id, Product.code, Product.brand, Product.status, Product.updated_at)
            .where(Product.id.in_(ids))
            .order_by(column.desc() if key.startswith("-") else column.asc(), Product.id).offset(max(offset, 0)))
    if limit is not None:
        stmt = stmt.limit(limit)
    found = session.execute(stmt).all()
    names: dict[uuid.UUID, dict[str, str]] = {row.id: {} for row in found}
    skus: dict[uuid.UUID, list[str]] = {row.id: [] for row in found}
    chunks = [[row.id for row in found[i:i + 500]] for i in range(0, len(found), 500)]
    for chunk in chunks:
        for product_id, text_locale, name_text in session.execute(select(
                ProductTranslation.product_id, ProductTranslation.locale, ProductTranslation.name)
                .where(ProductTranslation.product_id.in_(chunk))):
            names[product_id][text_locale] = name_text
        for product_id, sku in session.execute(select(Variant.product_id, Variant.sku).where(
                Variant.product_id.in_(chunk)).order_by(Variant.position, Variant.sku)):
            skus[product_id].append(sku)
    return [ProductRow(id=row.id, code=row.code, brand=row.brand, status=row.status, name=pick(names[row.id], locale),
                       skus=tuple(skus[row.id]), updated_at=row.updated_at) for row in found], total


def list_brands(*, session: Session) -> list[str]:
    """Every brand in the catalog, alphabetically."""
    return list(session.scalars(select(Product.brand).distinct().order_by(Product.brand)))


def product_ids_by_code(*, session: Session, codes: Sequence[str]) -> dict[str, uuid.UUID]:
    """Product ids by product code, for the codes that exist."""
    wanted = [c for c in dict.fromkeys(codes) if c]
    if not wanted:
        return {}
    return dict(session.execute(select(Product.code, Product.id).where(Product.code.in_(wanted))).all())


def product_codes(*, session: Session, product_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Product codes by id."""
    if not product_ids:
        return {}
    return dict(session.execute(select(Product.id, Product.code).where(Product.id.in_(list(product_ids)))).all())


IMAGE_MAX_BYTES = 8 * 1024 * 1024
IMAGE_MAX_PIXELS = 8000
IMAGE_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
IMAGE_BOX = 1600
THUMBNAIL_BOX = 320


def _alt_texts(alt: Mapping[str, str]) -> dict[str, str]:
    bad = [FieldError(("body", "alt", loc), "unsupported locale or longer than 300 characters")
           for loc, text in alt.items() if loc not in LOCALES or len(text) > 300]
    if bad:
        raise InvalidProduct(errors=bad)
    return {loc: text.strip() for loc, text in alt.items() if text.strip()}


def add_product_image(*, session: Session, actor: Principal | None, product_id: uuid.UUID, data: bytes,
                      media_dir: Path, alt: Mapping[str, str] | None = None) -> Media:
    """Store an uploaded picture (JPEG, PNG or WebP) under ``media_dir`` with a thumbnail, last in the gallery."""
    require(actor)
    product = get_product(session=session, product_id=product_id)
    texts = _alt_texts(alt or {})
    if not data or len(data) > IMAGE_MAX_BYTES:
        raise InvalidProduct("An image is a picture of at most 8 MB",
                             errors=[FieldError(("body", "image"), "empty or larger than 8 MB")])
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in IMAGE_FORMATS or max(probe.size) > IMAGE_MAX_PIXELS:
                raise InvalidProduct(errors=[FieldError(("body", "image"), "JPEG, PNG or WebP up to 8000 px")])
            probe.load()
            picture = probe.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError, ValueError) as exc:
        raise InvalidProduct(errors=[FieldError(("body", "image"), "not a picture we can read")]) from exc
    picture.thumbnail((IMAGE_BOX, IMAGE_BOX))
    media = Media(product_id=product.id, path="", thumbnail_path="", content_type="image/jpeg",
                  width=picture.width, height=picture.height, alt=texts,
                  position=(session.scalar(select(func.max(Media.position)).where(Media.product_id == product.id))
                            or 0) + 1)
    session.add(media)
    session.flush()
    folder = f"catalog/{product.id.hex}"
    media.path, media.thumbnail_path = f"{folder}/{media.id.hex}.jpg", f"{folder}/{media.id.hex}.thumb.jpg"
    (media_dir / folder).mkdir(parents=True, exist_ok=True)
    picture.save(media_dir / media.path, "JPEG", quality=85)
    picture.thumbnail((THUMBNAIL_BOX, THUMBNAIL_BOX))
    picture.save(media_dir / media.thumbnail_path, "JPEG", quality=80)
    _changed(session, product)
    return media


def set_image_alt(*, session: Session, actor: Principal | None, media_id: uuid.UUID,
                  alt: Mapping[str, str]) -> Media:
    """Replace an image's alt texts (per locale; an empty text removes that locale's)."""
    require(actor)
    media = session.get(Media, media_id)
    if media is None:
        raise ProductNotFound(f"No image {media_id}")
    media.alt = _alt_texts(alt)
    _changed(session, get_product(session=session, product_id=media.product_id))
    return media


def remove_image(*, session: Session, actor: Principal | None, media_id: uuid.UUID) -> None:
    """Take an image out of a product's gallery (the files stay until a clean-up)."""
    require(actor)
    media = session.get(Media, media_id)
    if media is None:
        raise ProductNotFound(f"No image {media_id}")
    product = get_product(session=session, product_id=media.product_id)
    session.delete(media)
    _changed(session, product)
