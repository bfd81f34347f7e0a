"""Storefront test data: a small beauty shop with lipsticks in two shades, a cream, stores in Riga, Tallinn
and Warsaw with stock, product images under the data directory. Shared by the page and browser tests."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from PIL import Image
from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.catalog.models import Media, Product
from omniretail.catalog.rules import RelationKind
from omniretail.catalog.service import ProductText, VariantInput
from omniretail.channels import service as channels_service
from omniretail.kernel import clock
from omniretail.kernel.db import Database
from omniretail.pricing import service as pricing_service
from tests.integration.catalog import catalog_factories as catalog
from tests.integration.inventory import inventory_factories as inventory

HOURS = {"mon-fri": "10:00-21:00", "sat": "10:00-20:00", "sun": "11:00-18:00"}
NAMES = {
    "LIP-VELVET": {"en": "Velvet matte lipstick", "pl": "Szminka matująca Velvet", "ru": "Бархатная матовая помада",
                   "lv": "Samta matēta lūpu krāsa", "zh": "丝绒哑光口红"},
    "LIP-GLOSS": {"en": "Mirror shine lip gloss", "pl": "Błyszczyk lustrzany", "ru": "Зеркальный блеск для губ",  # noqa: RUF001
                  "lv": "Spoguļspīduma lūpu spīdums", "zh": "镜面唇彩"},
    "LIP-BALM": {"en": "Honey lip balm", "pl": "Miodowy balsam do ust", "ru": "Медовый бальзам для губ",  # noqa: RUF001
                 "lv": "Medus lūpu balzams", "zh": "蜂蜜润唇膏"},
}


@dataclass(frozen=True)
class BeautyShop:
    """Slugs per locale by product code, and the store codes."""

    slugs: dict[str, dict[str, str]]
    lips_slug: str
    stores: tuple[str, ...]

    def slug(self, code: str, locale: str = "en") -> str:
        return self.slugs[code].get(locale) or self.slugs[code]["en"]


def _image(media_dir: Path, code: str, colour: tuple[int, int, int]) -> None:
    media_dir.mkdir(parents=True, exist_ok=True)
    for name, size in ((f"{code}.jpg", 160), (f"{code}.thumb.jpg", 80)):
        buffer = io.BytesIO()
        Image.new("RGB", (size, size), colour).save(buffer, "JPEG")
        (media_dir / name).write_bytes(buffer.getvalue())


def _lip_product(session: Session, s: catalog.Shop, code: str, brand: str, shades: list[str], euro_cents: int,
                 description: str = "") -> Product:
    made = catalog_service.create_product(
        session=session, actor=None, code=code, brand=brand, status="active", category_ids=[s.lips.id],
        texts={loc: ProductText(name=name, description=description if loc == "en" else "")
               for loc, name in NAMES[code].items()},
        variants=[VariantInput(sku=f"{code}-{n:02d}", attributes={"shade": shade})
                  for n, shade in enumerate(shades, start=7)])
    pricing_service.set_prices(session=session, actor=None, price_list_id=s.eur.id,
                               amounts={v.id: euro_cents for v in made.variants})
    catalog_service.publish(session=session, actor=None, product_id=made.id, channel_id=s.web.id)
    return made


def build(db: Database, data_dir: Path) -> BeautyShop:
    """The shop, committed; product images written under ``data_dir/media``."""
    with db.transaction() as session:
        s = catalog.shop(session)
        channels_service.update_channel(session=session, actor=None, channel_id=s.web.id, changes={
            "payment_methods": ["card", "pay_later", "qr", "gift_card", "store_credit"],
            "delivery_methods": ["courier", "parcel_locker", "click_and_collect", "same_day"]})
        lipstick = _lip_product(session, s, "LIP-VELVET", "Velvetine", ["ruby", "plum"], 1499,
                                "A **velvet** finish that lasts all day.")
        gloss = _lip_product(session, s, "LIP-GLOSS", "Glossaria", ["coral"], 2199)
        balm = _lip_product(session, s, "LIP-BALM", "Velvetine", ["nude"], 899)
        cream = catalog.cream(session, s)
        catalog_service.set_relations(session=session, actor=None, product_id=lipstick.id,
                                      kind=RelationKind.RELATED, related_ids=[gloss.id, balm.id])
        pricing_service.schedule_sale(session=session, actor=None, price_list_id=s.eur.id,
                                      variant_id=balm.variants[0].id, amount_minor=699,
                                      starts_at=clock.now() - timedelta(days=1))
        _image(data_dir / "media" / "catalog", "LIP-VELVET", (155, 17, 30))
        session.add(Media(product_id=lipstick.id, position=0, path="catalog/LIP-VELVET.jpg",
                          thumbnail_path="catalog/LIP-VELVET.thumb.jpg", content_type="image/jpeg", width=160,
                          height=160, alt={"en": "Velvet matte lipstick in ruby", "pl": "Szminka Velvet, rubin"}))
        details = {"opening_hours": HOURS, "accepts_returns": True, "ships_parcels": True}
        riga = inventory.location(session, "RIGA-CENTRS", street="Brīvības iela 50", postal_code="LV-1011",
                                  **details)
        tallinn = inventory.location(session, "TALLINN-VIRU", street="Viru väljak 4", **details)
        warsaw = inventory.location(session, "WARSAW-ZLOTE", street="ul. Złota 59", **details)
        ruby, plum = lipstick.variants
        inventory.stocked(session, ruby.id, riga.id, 5)
        inventory.stocked(session, ruby.id, tallinn.id, 2)
        inventory.stocked(session, plum.id, warsaw.id, 3)
        inventory.stocked(session, gloss.variants[0].id, riga.id, 1)
        slugs = {p.code: {t.locale: t.slug for t in p.translations} for p in (lipstick, gloss, balm, cream)}
        lips_slug = next(t.slug for t in s.lips.translations if t.locale == "en")
        return BeautyShop(slugs, lips_slug, (riga.code, tallinn.code, warsaw.code))
