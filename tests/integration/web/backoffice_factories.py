"""Two stores with a till each, a sale at each, for the back-office page tests."""

from __future__ import annotations

import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checkout"))

from checkout_factories import retailer

from omniretail.cart import service as cart_service
from omniretail.catalog import service as catalog_service
from omniretail.channels import service as channels_service
from omniretail.checkout import placement
from omniretail.inventory import service as inventory_service
from omniretail.payments.rules import TenderRequest
from omniretail.pricing import service as pricing_service


@dataclass
class TwoStores:
    riga: uuid.UUID
    tallinn: uuid.UUID
    riga_order: str
    tallinn_order: str
    riga_order_id: uuid.UUID


def _sell(db, channel_id: uuid.UUID, location_id: uuid.UUID, skus: dict[str, int]) -> placement.Placed:
    with db.transaction() as session:
        cart, _ = cart_service.create_cart(session=session, channel_id=channel_id, location_id=location_id)
        for sku, quantity in skus.items():
            cart_service.add_line(session=session, cart=cart, sku=sku, quantity=quantity)
        cart_id = cart.id
    return placement.place_order(db=db, cart_id=cart_id, idempotency_key=f"pos-{uuid.uuid4()}",
                                 tenders=[TenderRequest("cash", cash_tendered_minor=100_000)], actor="staff:test")


def two_stores(db) -> TwoStores:
    with db.transaction() as session:
        shop = retailer(session)
        tallinn = inventory_service.create_location(
            session=session, actor=None, code="TALLINN-KESKUS", name="Tallinn Keskus", kind="franchise_store",
            city="Tallinn", country="EE", latitude=59.437, longitude=24.7536, timezone="Europe/Tallinn",
            sells_in_person=True).id
        channel = channels_service.create_channel(
            session=session, actor=None, code="pos-tallinn", name="POS Tallinn", kind="franchise", currency="EUR",
            country="EE", locales=["en"], default_locale="en", location_ids=[tallinn],
            payment_methods=["cash", "card"], delivery_methods=["carry_out"]).id
        eur = pricing_service.get_price_list_by_code(session=session, code="eur")
        pricing_service.assign_price_list(session=session, actor=None, channel_id=channel, price_list_id=eur.id)
        for ref in catalog_service.variant_refs(session=session, variant_ids=[shop.lipstick, shop.serum, shop.mascara]):
            catalog_service.publish(session=session, actor=None, product_id=ref.product_id, channel_id=channel)
        for variant in (shop.lipstick, shop.serum, shop.mascara):
            inventory_service.receive(session=session, actor=None, variant_id=variant, location_id=tallinn,
                                      quantity=10, document_type="purchase_order", document_id="PO-TALLINN")
        pos_riga = shop.pos
    riga_sale = _sell(db, pos_riga, shop.riga, {"LIP-VELVET-07": 2})
    tallinn_sale = _sell(db, channel, tallinn, {"SERUM-GLOW-30": 1})
    return TwoStores(shop.riga, tallinn, riga_sale.number, tallinn_sale.number, riga_sale.order_id)
