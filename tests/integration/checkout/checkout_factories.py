"""Checkout test data: a Baltic beauty retailer with a web shop, a Riga store POS and a marketplace."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.catalog.service import ProductText, VariantInput
from omniretail.channels import service as channels_service
from omniretail.inventory import service as inventory_service
from omniretail.pricing import service as pricing_service


@dataclass
class Retailer:
    web: uuid.UUID
    pos: uuid.UUID
    marketplace: uuid.UUID
    riga: uuid.UUID
    warehouse: uuid.UUID
    lipstick: uuid.UUID
    serum: uuid.UUID
    mascara: uuid.UUID


def _location(session: Session, code: str, kind: str, lat: float, lon: float, **flags: bool) -> uuid.UUID:
    return inventory_service.create_location(session=session, actor=None, code=code, name=code.title(), kind=kind,
                                             city="Riga", country="LV", latitude=lat, longitude=lon,
                                             timezone="Europe/Riga", **flags).id


def retailer(session: Session, *, stock: int = 10) -> Retailer:
    riga = _location(session, "RIGA-CENTRS", "store", 56.9496, 24.1052, offers_pickup=True, sells_in_person=True)
    warehouse = _location(session, "RIGA-DC", "warehouse", 56.90, 24.20, ships_parcels=True)
    channels = {}
    for code, kind, pay, ship in (("web-eu", "web", ["card", "gift_card", "store_credit", "pay_later", "qr"],
                                   ["courier", "post", "click_and_collect", "same_day"]),
                                  ("pos-riga", "store", ["card", "cash", "gift_card"], ["carry_out"]),
                                  ("marketplace-x", "marketplace", ["marketplace"], ["platform_courier"])):
        channels[code] = channels_service.create_channel(
            session=session, actor=None, code=code, name=code, kind=kind, currency="EUR", country="LV",
            locales=["en"], default_locale="en", location_ids=[riga, warehouse], payment_methods=pay,
            delivery_methods=ship).id
    eur = pricing_service.create_price_list(session=session, actor=None, code="eur", name="EUR", currency="EUR",
                                            country="LV")
    pricing_service.set_tax_rate(session=session, actor=None, country="LV", rate_bp=2100)
    for channel_id in channels.values():
        pricing_service.assign_price_list(session=session, actor=None, channel_id=channel_id, price_list_id=eur.id)
    variants = {}
    for code, sku, price in (("LIP-VELVET", "LIP-VELVET-07", 1499), ("SERUM-GLOW", "SERUM-GLOW-30", 2999),
                             ("MASCARA-XL", "MASCARA-XL-01", 1999)):
        product = catalog_service.create_product(
            session=session, actor=None, code=code, brand="Velvetine", status="active",
            texts={"en": ProductText(name=code.replace("-", " ").title())},
            variants=[VariantInput(sku=sku, weight_grams=120)], reindex=False)
        variant_id = product.variants[0].id
        pricing_service.set_prices(session=session, actor=None, price_list_id=eur.id, amounts={variant_id: price})
        for channel_id in channels.values():
            catalog_service.publish(session=session, actor=None, product_id=product.id, channel_id=channel_id)
        for location_id in (riga, warehouse):
            inventory_service.receive(session=session, actor=None, variant_id=variant_id, location_id=location_id,
                                      quantity=stock, document_type="purchase_order", document_id="PO-TEST")
        variants[sku] = variant_id
    return Retailer(channels["web-eu"], channels["pos-riga"], channels["marketplace-x"], riga, warehouse,
                    variants["LIP-VELVET-07"], variants["SERUM-GLOW-30"], variants["MASCARA-XL-01"])


ADDRESS = {"name": "Anna Bērziņa", "line1": "Brīvības iela 1", "city": "Riga", "postal_code": "LV-1010",
           "country": "LV", "phone": "20 000 000"}


def place_web_order(db, shop: Retailer, *, variant_id: uuid.UUID | None = None, quantity: int = 1,
                    customer_id: uuid.UUID | None = None, email: str = "anna@shop.example.com",
                    tenders=None, key: str | None = None):
    """A card-paid web order for delivery, placed through the real three steps."""
    from omniretail.cart import service as cart_service
    from omniretail.checkout import placement
    from omniretail.checkout import service as checkout_service
    from omniretail.checkout.rules import Address
    from omniretail.payments.rules import TEST_CARD_APPROVE, TenderRequest

    with db.transaction() as s:
        cart, _ = cart_service.create_cart(session=s, channel_id=shop.web, customer_id=customer_id)
        cart_service.add_line(session=s, cart=cart, variant_id=variant_id or shop.serum, quantity=quantity)
        checkout_service.choose_delivery(session=s, cart=cart, method="courier", address=Address(**ADDRESS),
                                         email=email)
        cart_id = cart.id
    return placement.place_order(db=db, cart_id=cart_id, idempotency_key=key or f"test-{cart_id}",
                                 tenders=tenders or [TenderRequest("card", card_number=TEST_CARD_APPROVE)],
                                 actor="test", customer_id=customer_id)
