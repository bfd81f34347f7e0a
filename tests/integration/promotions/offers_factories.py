"""Promotions and loyalty test data on top of the checkout retailer: a programme, tiers and helpers to buy."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checkout"))

from checkout_factories import ADDRESS, Retailer, retailer

from omniretail.cart import service as cart_service
from omniretail.checkout import placement
from omniretail.checkout import service as checkout_service
from omniretail.checkout.rules import Address
from omniretail.loyalty import service as loyalty_service
from omniretail.payments.rules import TEST_CARD_APPROVE, TenderRequest
from omniretail.promotions import service as promotions_service

__all__ = ["ADDRESS", "Retailer", "buy_online", "programme", "retailer", "web_cart"]


def programme(session) -> None:
    """1 point per euro, a point is worth a cent, 30-day return window, points expire after 12 months."""
    loyalty_service.configure(session=session, points_per_unit=1, point_value_minor=1, return_window_days=30,
                              expiry_months=12)
    loyalty_service.define_tier(session=session, code="silver", name="Silver", min_spend_minor=0)
    loyalty_service.define_tier(session=session, code="gold", name="Gold", min_spend_minor=50000,
                                multiplier_percent=150, free_shipping=True)


def welcome10(session, **limits) -> uuid.UUID:
    promotion = promotions_service.create_promotion(session=session, data=promotions_service.PromotionInput(
        name="WELCOME10", kind="percent_off", percent_bp=1000, requires_coupon=True, **limits))
    promotions_service.create_coupon(session=session, promotion_id=promotion.id, code="WELCOME10")
    return promotion.id


def web_cart(db, shop: Retailer, *, customer_id: uuid.UUID | None = None, lipsticks: int = 2,
             serums: int = 1) -> uuid.UUID:
    with db.transaction() as s:
        cart, _ = cart_service.create_cart(session=s, channel_id=shop.web, customer_id=customer_id)
        if lipsticks:
            cart_service.add_line(session=s, cart=cart, variant_id=shop.lipstick, quantity=lipsticks)
        if serums:
            cart_service.add_line(session=s, cart=cart, variant_id=shop.serum, quantity=serums)
        checkout_service.choose_delivery(session=s, cart=cart, method="courier", address=Address(**ADDRESS),
                                         email="anna@shop.example.com")
        return cart.id


def buy_online(db, cart_id: uuid.UUID, customer_id: uuid.UUID | None = None, key: str | None = None):
    return placement.place_order(db=db, cart_id=cart_id, idempotency_key=key or f"k-{uuid.uuid4()}",
                                 actor="test", customer_id=customer_id,
                                 tenders=[TenderRequest("card", card_number=TEST_CARD_APPROVE)])


def franchise_store(session, shop: Retailer) -> tuple[uuid.UUID, uuid.UUID]:
    """A franchise shop in Jūrmala with its own till channel, selling the same catalog: (location, channel)."""
    from omniretail.catalog import service as catalog_service
    from omniretail.channels import service as channels_service
    from omniretail.inventory import service as inventory_service
    from omniretail.pricing import service as pricing_service

    store = inventory_service.create_location(
        session=session, actor=None, code="JURMALA-F1", name="Jurmala", kind="franchise_store", city="Jurmala",
        country="LV", latitude=56.97, longitude=23.77, timezone="Europe/Riga", sells_in_person=True).id
    channel = channels_service.create_channel(
        session=session, actor=None, code="pos-jurmala", name="Jurmala till", kind="franchise", currency="EUR",
        country="LV", locales=["en"], default_locale="en", location_ids=[store], payment_methods=["cash", "card"],
        delivery_methods=["carry_out"]).id
    pricing_service.assign_price_list(session=session, actor=None, channel_id=channel,
                                      price_list_id=pricing_service.get_price_list_by_code(session=session,
                                                                                           code="eur").id)
    for variant_id in (shop.lipstick, shop.serum, shop.mascara):
        product_id = catalog_service.get_variant(session=session, variant_id=variant_id).product_id
        catalog_service.publish(session=session, actor=None, product_id=product_id, channel_id=channel)
        inventory_service.receive(session=session, actor=None, variant_id=variant_id, location_id=store, quantity=5,
                                  document_type="purchase_order", document_id="PO-JUR")
    return store, channel
