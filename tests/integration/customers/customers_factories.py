"""Customers test data: shoppers of a Baltic beauty retailer, and orders written straight through ordering's
service (the HTTP tests go through the real checkout instead)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from omniretail.customers import service
from omniretail.ordering import service as ordering_service

WEB_CHANNEL, POS_CHANNEL = uuid.UUID(int=11), uuid.UUID(int=12)


def shopper(session: Session, given: str = "Ilze", family: str = "Kalniņa", **kw: Any) -> service.Profile:
    return service.create_profile(session=session, actor="staff:test", source="pos", given_name=given,
                                  family_name=family, **kw)


def order(session: Session, customer_id: uuid.UUID, total_minor: int, *, kind: str = "web",
          currency: str = "EUR") -> ordering_service.Order:
    channel = WEB_CHANNEL if kind == "web" else POS_CHANNEL
    new = ordering_service.NewOrder(
        channel_id=channel, channel_code=f"{kind}-lv", channel_kind=kind, location_id=None, customer_id=customer_id,
        cart_id=None, checkout_key=None, hold_ref=f"test:{uuid.uuid4()}", currency=currency,
        subtotal_minor=total_minor, tax_minor=0, shipping_minor=0, discount_minor=0, total_minor=total_minor,
        points=0, email=None, phone=None, delivery={}, sourcing={}, lines=())
    return ordering_service.create_order(session=session, new=new, actor="test")
