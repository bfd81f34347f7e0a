"""Reviews test data: a beauty product, a shopper, and an order of it that reached them."""

from __future__ import annotations

import io
import uuid

from PIL import Image
from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.catalog.service import ProductText, VariantInput
from omniretail.ordering import service as ordering_service
from omniretail.ordering.rules import OrderStatus

TO_DELIVERED = [(OrderStatus.PAID, {}), (OrderStatus.ALLOCATED, {}), (OrderStatus.PICKING, {}),
                (OrderStatus.PACKED, {}), (OrderStatus.SHIPPED, {}), (OrderStatus.DELIVERED, {})]


def product(session: Session, code: str = "CREAM-ROSE") -> tuple[uuid.UUID, uuid.UUID]:
    """A published-looking product with one variant: (product id, variant id)."""
    made = catalog_service.create_product(
        session=session, actor=None, code=code, brand="Velvetine", status="active",
        texts={"en": ProductText(name=code.replace("-", " ").title())},
        variants=[VariantInput(sku=f"{code}-50", weight_grams=90)], reindex=False)
    return made.id, made.variants[0].id


def order(session: Session, *, variant_id: uuid.UUID, customer_id: uuid.UUID | None,
          email: str | None = "anna@shop.example.com", delivered: bool = True, locale: str = "en") -> uuid.UUID:
    """An order of one unit of the variant, moved to delivered (or left placed)."""
    new = ordering_service.NewOrder(
        channel_id=uuid.uuid4(), channel_code="web-eu", channel_kind="web", location_id=None,
        customer_id=customer_id, cart_id=None, checkout_key=None, hold_ref=f"hold-{uuid.uuid4().hex[:8]}",
        currency="EUR", subtotal_minor=1999, tax_minor=347, shipping_minor=0, discount_minor=0, total_minor=1999,
        points=0, email=email, phone=None, delivery={"method": "courier", "locale": locale}, sourcing={},
        lines=(ordering_service.NewLine(variant_id=variant_id, sku="CREAM-ROSE-50", name="Cream Rose", quantity=1,
                                        unit_price_minor=1999, line_total_minor=1999, tax_minor=347,
                                        tax_rate_bp=2100, location_id=None),))
    made = ordering_service.create_order(session=session, new=new, actor="test",
                                         steps=TO_DELIVERED if delivered else ())
    return made.id


def jpeg(width: int = 640, height: int = 480, colour: str = "#d9a0b0") -> bytes:
    """A small JPEG photo."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "JPEG")
    return out.getvalue()
