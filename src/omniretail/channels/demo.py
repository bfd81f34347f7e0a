"""Channels' part of the demo retailer: web and app in three currencies, store POS, a franchise, a
marketplace and a delivery platform."""

from __future__ import annotations

from sqlalchemy.orm import Session

from omniretail.channels import service as channels_service
from omniretail.inventory import service as inventory_service

CARD_ETC = ["card", "wallet", "pay_later", "gift_card", "store_credit"]


def load(session: Session) -> None:
    """Add this context's demo data."""
    stores = inventory_service.list_locations(session=session, kinds={"store"})
    franchises = inventory_service.list_locations(session=session, kinds={"franchise"})
    sellable = [loc.id for loc in inventory_service.list_locations(session=session)]
    eu = ["en", "lv", "ru", "pl"]
    specs = [
        ("web-eu", "Web shop (EU)", "web", "EUR", "LV", eu, "en", sellable, CARD_ETC,
         ["courier", "parcel_locker", "click_and_collect"]),
        ("web-pl", "Sklep internetowy", "web", "PLN", "PL", ["pl", "en"], "pl", sellable, [*CARD_ETC, "qr"],
         ["courier", "parcel_locker", "click_and_collect"]),
        ("app-cn", "中国应用", "app", "CNY", "CN", ["zh", "en"], "zh", sellable, ["wallet", "qr", "card"],
         ["courier", "same_day"]),
        ("app-eu", "Mobile app (EU)", "app", "EUR", "LV", eu, "en", sellable, CARD_ETC, ["courier", "parcel_locker"]),
        ("marketplace-eu", "Marketplace", "marketplace", "EUR", "LV", ["en"], "en", sellable, ["marketplace"],
         ["post"]),
        ("delivery-bolt", "Delivery platform", "delivery", "EUR", "LV", ["lv", "en"], "lv",
         [s.id for s in stores], ["marketplace"], ["platform_courier"]),
    ]
    for store in stores:
        specs.append((f"pos-{store.code.lower()}"[:40], f"POS {store.name}", "store", "EUR", "LV", eu, "lv",
                      [store.id], ["card", "cash", "gift_card", "store_credit", "qr"], ["carry_out"]))
    for franchise in franchises:
        specs.append((f"fr-{franchise.code.lower()}"[:40], f"Franchise {franchise.name}", "franchise", "EUR", "LV",
                      eu, "lv", [franchise.id], ["card", "cash"], ["carry_out"]))
    for code, name, kind, currency, country, locales, default, locations, payments, deliveries in specs:
        channels_service.create_channel(session=session, actor=None, code=code, name=name, kind=kind,
                                        currency=currency, country=country, locales=locales,
                                        default_locale=default, location_ids=locations, payment_methods=payments,
                                        delivery_methods=deliveries)
