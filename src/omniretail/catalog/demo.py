"""Catalog's part of the demo retailer: a beauty, personal-care and home shop of 2,000 products in a
three-level category tree, named and described in five languages, with generated images.

The products are written with bulk inserts (one statement per table and batch, no ORM objects) and indexed
for search once at the end: loading the demo must stay well under a minute on SQLite. ``generate`` is also
what ``bench/catalog_bench.py`` uses to build a catalog of 50,000 products.
"""

from __future__ import annotations

import colorsys
import html
import io
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw
from sqlalchemy import insert
from sqlalchemy.orm import Session

from omniretail.catalog import categories as catalog_categories
from omniretail.catalog import service as catalog_service
from omniretail.catalog.content import render_description
from omniretail.catalog.demo_words import ADJECTIVES, BRANDS, CATEGORIES, DESCRIPTIONS, SCENTS, TYPES, WITH
from omniretail.catalog.models import (
    Media,
    Product,
    ProductCategory,
    ProductTranslation,
    Publication,
    Variant,
)
from omniretail.catalog.rules import LOCALES, gtin_check_digit, slugify
from omniretail.catalog.search import index as search_index
from omniretail.channels import service as channels_service
from omniretail.config import get_settings
from omniretail.kernel import clock
from omniretail.kernel.db import Base
from omniretail.kernel.ids import new_id

PRODUCTS = 2000
IMAGE_SIZE, THUMB_SIZE = 160, 80
_HUES = 24
_BATCH = 2000


@dataclass
class Rows:
    """One batch of generated catalog rows, ready for a Core ``insert`` of each table."""

    products: list[dict[str, Any]] = field(default_factory=list)
    translations: list[dict[str, Any]] = field(default_factory=list)
    variants: list[dict[str, Any]] = field(default_factory=list)
    memberships: list[dict[str, Any]] = field(default_factory=list)
    publications: list[dict[str, Any]] = field(default_factory=list)
    media: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Memo:
    """Texts repeat across products (a few hundred word combinations), so render and slugify each once."""

    templates: dict[str, str] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)
    taken: dict[str, set[str]] = field(default_factory=lambda: {loc: set() for loc in LOCALES})
    images: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)

    def image(self, media_dir: Path, kind: int, hue: int) -> tuple[str, str]:
        """Paths (under the media root) of a generated shot; products of a kind and colour share the files,
        since creating thousands of small files costs more than the rest of the demo."""
        if (kind, hue) not in self.images:
            full, thumb = _image_bytes(kind, hue)
            name = f"{TYPES[kind][0]}-{hue:02d}"
            (media_dir / f"{name}.jpg").write_bytes(full)
            (media_dir / f"{name}.thumb.jpg").write_bytes(thumb)
            self.images[kind, hue] = (f"catalog/demo/{name}.jpg", f"catalog/demo/{name}.thumb.jpg")
        return self.images[kind, hue]

    def description(self, locale: str, **values: str) -> str:
        """The rendered description: the template is Markdown-rendered once, the words escaped into it."""
        if locale not in self.templates:
            self.templates[locale] = render_description(DESCRIPTIONS[locale], fmt="markdown")
        return self.templates[locale].format(**{k: html.escape(v) for k, v in values.items()})

    def slug(self, locale: str, name: str, code: str) -> str:
        parts = []
        for token in name.split():
            part = self.slugs.get(token)
            if part is None:
                part = self.slugs[token] = slugify(token)
            parts.append(part)
        base = "-".join(parts)[:200]
        slug = base if base not in self.taken[locale] else f"{base}-{code.lower()}"
        self.taken[locale].add(slug)
        return slug


def _image_bytes(kind: int, hue_index: int) -> tuple[bytes, bytes]:
    """A flat product shot: a white bottle or tube on a coloured ground, as JPEG and thumbnail JPEG."""
    r, g, b = (int(c * 255) for c in colorsys.hsv_to_rgb(hue_index / _HUES, 0.45, 0.9))
    image = Image.new("RGB", (IMAGE_SIZE, IMAGE_SIZE), (r, g, b))
    draw = ImageDraw.Draw(image)
    width = 28 + (kind % 4) * 10
    top = 20 + (kind % 3) * 14
    draw.rounded_rectangle((80 - width, top, 80 + width, 140), radius=12, fill=(255, 255, 255))
    draw.rectangle((80 - width // 2, top + 14, 80 + width // 2, top + 44), fill=(r // 2, g // 2, b // 2))
    full, thumb = io.BytesIO(), io.BytesIO()
    image.save(full, "JPEG", quality=70)
    image.thumbnail((THUMB_SIZE, THUMB_SIZE))
    image.save(thumb, "JPEG", quality=65)
    return full.getvalue(), thumb.getvalue()


def _name(locale: str, adj: dict[str, str], kind: dict[str, str], scent: dict[str, str], brand: str) -> str:
    if locale == "zh":
        return f"{brand} {adj['zh']}{scent['zh']}{kind['zh']}"
    return f"{brand} {adj[locale]} {kind[locale]} {WITH[locale]} {scent[locale]}"


def generate(*, start: int, count: int, category_ids: dict[str, uuid.UUID], channel_ids: Sequence[uuid.UUID],
             media_dir: Path | None, memo: _Memo | None = None) -> Rows:
    """Rows for products ``start`` .. ``start + count - 1`` of the demo shop (images written if ``media_dir``)."""
    memo = memo or _Memo()
    rows = Rows()
    base_time = clock.now()
    for i in range(start, start + count):
        type_index = i % len(TYPES)
        type_code, _parent, noun, attribute, values, weight = TYPES[type_index]
        adj = ADJECTIVES[(i // len(TYPES)) % len(ADJECTIVES)]
        scent = SCENTS[(i // (len(TYPES) * len(ADJECTIVES))) % len(SCENTS)]
        brand = BRANDS[(i * 7 + i // 960) % len(BRANDS)]
        code = f"{type_code.upper()}-{i:05d}"
        product_id = new_id()
        # Later products are newer, a second apart, so "newest" has a stable order.
        created = base_time.replace(microsecond=0) - timedelta(seconds=start + count - i)
        rows.products.append({"id": product_id, "code": code, "brand": brand, "tax_class": "standard",
                              "status": "active" if i % 50 else "draft", "created_at": created,
                              "updated_at": created})
        names = {loc: _name(loc, adj, noun, scent, brand) for loc in LOCALES}
        for loc in LOCALES:
            html_text = memo.description(loc, adj=adj[loc], type=noun[loc], brand=brand, scent=scent[loc])
            rows.translations.append({"id": new_id(), "product_id": product_id, "locale": loc, "name": names[loc],
                                      "slug": memo.slug(loc, names[loc], code), "description_html": html_text})
        for n, value in enumerate(values):
            body = f"590{i:06d}{n:03d}"
            rows.variants.append({"id": new_id(), "product_id": product_id, "sku": f"{code}-{n + 1:02d}",
                                  "barcode": body + str(gtin_check_digit(body)), "attributes": {attribute: value},
                                  "position": n, "status": "active", "weight_grams": weight, "length_mm": 60,
                                  "width_mm": 40, "height_mm": 120, "created_at": created})
        rows.memberships.append({"product_id": product_id, "category_id": category_ids[type_code], "position": i})
        rows.publications += [{"id": new_id(), "product_id": product_id, "channel_id": channel_id,
                               "starts_at": None, "ends_at": None} for channel_id in channel_ids]
        if media_dir is not None:
            kind, hue = type_index, (i * 7) % _HUES
            full, thumb = memo.image(media_dir, kind, hue)
            rows.media.append({"id": new_id(), "product_id": product_id, "position": 0, "path": full,
                               "thumbnail_path": thumb, "content_type": "image/jpeg", "width": IMAGE_SIZE,
                               "height": IMAGE_SIZE, "alt": names, "created_at": created})
    return rows


def write(session: Session, rows: Rows) -> None:
    """Insert one batch of generated rows, parents first."""
    models: tuple[tuple[type[Base], list[dict[str, Any]]], ...] = (
        (Product, rows.products), (ProductTranslation, rows.translations), (Variant, rows.variants),
        (ProductCategory, rows.memberships), (Publication, rows.publications), (Media, rows.media))
    for model, batch in models:
        if batch:
            session.execute(insert(search_index.core_table(model)), batch)


def categories(session: Session) -> dict[str, uuid.UUID]:
    """The demo attributes and category tree; category ids by code."""
    for code, attribute_kind, labels in (
            ("shade", "text", {"en": "Shade", "ru": "Оттенок", "pl": "Odcień", "lv": "Tonis", "zh": "色号"}),
            ("volume_ml", "number", {"en": "Volume", "ru": "Объём", "pl": "Pojemność", "lv": "Tilpums",
                                     "zh": "容量"}),
            ("size", "text", {"en": "Size", "ru": "Размер", "pl": "Rozmiar", "lv": "Izmērs", "zh": "尺寸"})):
        catalog_service.define_attribute(session=session, actor=None, code=code, kind=attribute_kind, labels=labels)
    ids: dict[str, uuid.UUID] = {}
    for position, (code, names, parent) in enumerate(CATEGORIES):
        ids[code] = catalog_categories.create_category(
            session=session, actor=None, code=code, names=names, position=position,
            parent_id=ids[parent] if parent else None).id
    for position, (code, parent, noun, *_rest) in enumerate(TYPES):
        ids[code] = catalog_categories.create_category(
            session=session, actor=None, code=code, position=position, parent_id=ids[parent],
            names={loc: name[:1].upper() + name[1:] for loc, name in noun.items()}).id
    return ids


def batches(total: int, size: int = _BATCH) -> Iterator[tuple[int, int]]:
    for start in range(0, total, size):
        yield start, min(size, total - start)


def load(session: Session, *, products: int = PRODUCTS, images: bool = True) -> None:
    """Add this context's demo data."""
    category_ids = categories(session)
    media_dir = get_settings().data_dir / "media" / "catalog" / "demo" if images else None
    if media_dir is not None:
        media_dir.mkdir(parents=True, exist_ok=True)
    channel_ids = [c.id for c in channels_service.list_channels(session=session)]
    memo = _Memo()
    made: list[uuid.UUID] = []
    for start, count in batches(products):
        rows = generate(start=start, count=count, category_ids=category_ids, channel_ids=channel_ids,
                        media_dir=media_dir, memo=memo)
        write(session, rows)
        made += [row["id"] for row in rows.products]
    search_index.reindex(session=session, product_ids=made)
