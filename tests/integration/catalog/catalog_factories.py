"""Catalog test data: a small beauty shop with a web channel in EUR and a Chinese app in CNY."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from omniretail.catalog import categories as catalog_categories
from omniretail.catalog import service as catalog_service
from omniretail.catalog.models import Category, Product
from omniretail.catalog.service import ProductText, VariantInput
from omniretail.channels import service as channels_service
from omniretail.channels.models import Channel
from omniretail.pricing import service as pricing_service
from omniretail.pricing.models import PriceList


@dataclass
class Shop:
    web: Channel
    app_cn: Channel
    eur: PriceList
    cny: PriceList
    makeup: Category
    lips: Category
    skincare: Category


def shop(session: Session) -> Shop:
    web = channels_service.create_channel(session=session, actor=None, code="web-eu", name="Web EU", kind="web",
                                          currency="EUR", country="LV", locales=["en", "lv", "ru", "pl"],
                                          default_locale="en", payment_methods=["card"],
                                          delivery_methods=["courier"])
    app_cn = channels_service.create_channel(session=session, actor=None, code="app-cn", name="App CN",
                                             kind="app", currency="CNY", country="CN", locales=["zh", "en"],
                                             default_locale="zh")
    eur = pricing_service.create_price_list(session=session, actor=None, code="eur", name="EUR", currency="EUR",
                                            country="LV")
    cny = pricing_service.create_price_list(session=session, actor=None, code="cny", name="CNY", currency="CNY",
                                            country="CN")
    pricing_service.set_tax_rate(session=session, actor=None, country="LV", rate_bp=2100)
    pricing_service.assign_price_list(session=session, actor=None, channel_id=web.id, price_list_id=eur.id)
    pricing_service.assign_price_list(session=session, actor=None, channel_id=app_cn.id, price_list_id=cny.id)
    catalog_service.define_attribute(session=session, actor=None, code="shade", kind="text",
                                     labels={"en": "Shade", "pl": "Odcień"})
    catalog_service.define_attribute(session=session, actor=None, code="volume_ml", kind="number",
                                     labels={"en": "Volume"}, unit="ml")
    makeup = catalog_categories.create_category(session=session, actor=None, code="makeup",
                                                names={"en": "Makeup", "pl": "Makijaż", "zh": "彩妆"})
    lips = catalog_categories.create_category(session=session, actor=None, code="lips", parent_id=makeup.id,
                                              names={"en": "Lips", "ru": "Губы", "zh": "唇部"})
    skincare = catalog_categories.create_category(session=session, actor=None, code="skincare",
                                                  names={"en": "Skincare", "lv": "Ādas kopšana"})
    return Shop(web, app_cn, eur, cny, makeup, lips, skincare)


def product(session: Session, s: Shop, *, code: str, brand: str, names: dict[str, str], skus: list[str],
            category: Category, eur: int | None = 1000, cny: int | None = 8000, publish: bool = True,
            attributes: dict[str, object] | None = None, description: str = "") -> Product:
    made = catalog_service.create_product(
        session=session, actor=None, code=code, brand=brand, status="active", category_ids=[category.id],
        texts={loc: ProductText(name=name, description=description if loc == "en" else "")
               for loc, name in names.items()},
        variants=[VariantInput(sku=sku, attributes=attributes or {}) for sku in skus])
    for price_list, amount in ((s.eur, eur), (s.cny, cny)):
        if amount is not None:
            pricing_service.set_prices(session=session, actor=None, price_list_id=price_list.id,
                                       amounts={v.id: amount for v in made.variants})
    if publish:
        for channel in (s.web, s.app_cn):
            catalog_service.publish(session=session, actor=None, product_id=made.id, channel_id=channel.id)
    return made


def lipstick(session: Session, s: Shop) -> Product:
    return product(session, s, code="LIP-VELVET", brand="Velvetine",
                   names={"en": "Velvet matte lipstick", "pl": "Szminka matująca Velvet",
                          "ru": "Бархатная матовая помада", "lv": "Samta matēta lūpu krāsa", "zh": "丝绒哑光口红"},
                   skus=["LIP-VELVET-07", "LIP-VELVET-12"], category=s.lips, eur=1499, cny=12900,
                   attributes={"shade": "ruby"})


def cream(session: Session, s: Shop) -> Product:
    return product(session, s, code="CREAM-HYDRA", brand="Aqualis",
                   names={"en": "Hydrating day cream", "pl": "Nawilżający krem na dzień",
                          "ru": "Увлажняющий дневной крем", "lv": "Mitrinošs dienas krēms", "zh": "保湿日霜"},
                   skus=["CREAM-HYDRA-50"], category=s.skincare, eur=2450, cny=19900,
                   attributes={"volume_ml": 50})
