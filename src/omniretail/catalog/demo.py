"""Catalog's part of the demo retailer: a beauty, personal-care and home shop of 2,000 products in a
three-level category tree, named and described in five languages, with generated images."""

from __future__ import annotations

import colorsys
from pathlib import Path

from PIL import Image, ImageDraw
from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.catalog.demo_words import ADJECTIVES, BRANDS, CATEGORIES, DESCRIPTIONS, SCENTS, TYPES, WITH
from omniretail.catalog.models import Category, Media, Publication
from omniretail.catalog.rules import LOCALES, gtin_check_digit
from omniretail.catalog.search import index as search_index
from omniretail.catalog.service import ProductText, VariantInput
from omniretail.channels import service as channels_service
from omniretail.config import get_settings

PRODUCTS = 2000


def _image(path: Path, thumb: Path, index: int) -> tuple[int, int]:
    hue = (index * 0.137) % 1.0
    r, g, b = (int(c * 255) for c in colorsys.hsv_to_rgb(hue, 0.45, 0.9))
    image = Image.new("RGB", (240, 240), (r, g, b))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((80, 40, 160, 200), radius=18, fill=(255, 255, 255))
    draw.rectangle((95, 60, 145, 110), fill=(r // 2, g // 2, b // 2))
    image.save(path, "JPEG", quality=70)
    image.thumbnail((96, 96))
    image.save(thumb, "WEBP", quality=60)
    return 240, 240


def _name(locale: str, adj: dict[str, str], kind: dict[str, str], scent: dict[str, str], brand: str) -> str:
    if locale == "zh":
        return f"{brand} {adj['zh']}{scent['zh']}{kind['zh']}"
    return f"{brand} {adj[locale]} {kind[locale]} {WITH[locale]} {scent[locale]}"


def load(session: Session, *, products: int = PRODUCTS, images: bool = True) -> None:
    """Add this context's demo data."""
    with session.no_autoflush:
        _load(session, products=products, images=images)


def _load(session: Session, *, products: int, images: bool) -> None:
    for code, attribute_kind, labels in (("shade", "text", {"en": "Shade", "ru": "Оттенок", "pl": "Odcień",
                                                             "lv": "Tonis",
                                                   "zh": "色号"}),
                               ("volume_ml", "number", {"en": "Volume", "ru": "Объём", "pl": "Pojemność",
                                                        "lv": "Tilpums", "zh": "容量"}),
                               ("size", "text", {"en": "Size", "ru": "Размер", "pl": "Rozmiar", "lv": "Izmērs",
                                                 "zh": "尺寸"})):
        catalog_service.define_attribute(session=session, actor=None, code=code, kind=attribute_kind,
                                         labels=labels)
    categories: dict[str, Category] = {}
    for position, (code, names, parent) in enumerate(CATEGORIES):
        categories[code] = catalog_service.create_category(
            session=session, actor=None, code=code, names=names, position=position,
            parent_id=categories[parent].id if parent else None)
    for position, (code, parent, names, *_rest) in enumerate(TYPES):
        categories[code] = catalog_service.create_category(
            session=session, actor=None, code=code, position=position, parent_id=categories[parent].id,
            names={loc: name[:1].upper() + name[1:] for loc, name in names.items()})
    media_dir = get_settings().data_dir / "media" / "catalog"
    if images:
        media_dir.mkdir(parents=True, exist_ok=True)
    channels = channels_service.list_channels(session=session)
    made = []
    for i in range(products):
        type_code, _parent, noun, attribute, values, weight = TYPES[i % len(TYPES)]
        adj = ADJECTIVES[(i // len(TYPES)) % len(ADJECTIVES)]
        scent = SCENTS[(i // (len(TYPES) * len(ADJECTIVES))) % len(SCENTS)]
        brand = BRANDS[(i * 7 + i // 960) % len(BRANDS)]
        code = f"{type_code.upper()}-{i:05d}"
        texts = {loc: ProductText(name=_name(loc, adj, noun, scent, brand),
                                  description=DESCRIPTIONS[loc].format(adj=adj[loc], type=noun[loc], brand=brand,
                                                                       scent=scent[loc]),
                                  description_format="markdown") for loc in LOCALES}
        variants = []
        for n, value in enumerate(values):
            body = f"590{i:06d}{n:03d}"
            variants.append(VariantInput(sku=f"{code}-{n + 1:02d}", barcode=body + str(gtin_check_digit(body)),
                                         attributes={attribute: value}, weight_grams=weight, position=n,
                                         length_mm=60, width_mm=40, height_mm=120))
        product = catalog_service.create_product(session=session, actor=None, code=code, brand=brand, texts=texts,
                                                 variants=variants, category_ids=[categories[type_code].id],
                                                 status="active" if i % 50 else "draft", reindex=False)
        made.append(product.id)
        for channel in channels:
            session.add(Publication(product_id=product.id, channel_id=channel.id))
        if images:
            path, thumb = media_dir / f"{code}.jpg", media_dir / f"{code}.thumb.webp"
            width, height = _image(path, thumb, i)
            session.add(Media(product_id=product.id, position=0, path=f"catalog/{path.name}",
                              thumbnail_path=f"catalog/{thumb.name}", content_type="image/jpeg", width=width,
                              height=height, alt={loc: texts[loc].name for loc in LOCALES}))
    session.flush()
    search_index.reindex(session=session, product_ids=made)
