"""Identity's part of the demo retailer: one person per role, and a shopper, with known passwords."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.identity import service as identity_service
from omniretail.identity.models import StaffGrant, StaffUser
from omniretail.identity.rules import Grant, Role

DEMO_PASSWORD = "demo-retail-2026"  # noqa: S105 - published demo login, printed by make demo
DEMO_STAFF = (
    ("owner@demo.omniretail.dev", "Olivia Owner", Role.OWNER),
    ("admin@demo.omniretail.dev", "Adam Admin", Role.ADMIN),
    ("manager@demo.omniretail.dev", "Marta Manager", Role.STORE_MANAGER),
    ("cashier@demo.omniretail.dev", "Kārlis Cashier", Role.CASHIER),
    ("fulfilment@demo.omniretail.dev", "Fiona Fulfilment", Role.FULFILLMENT),
    ("support@demo.omniretail.dev", "Sofia Support", Role.SUPPORT_AGENT),
    ("marketing@demo.omniretail.dev", "Max Marketer", Role.MARKETER),
    ("franchise@demo.omniretail.dev", "Filip Franchise", Role.FRANCHISE_OWNER),
)
DEMO_CUSTOMER = ("anna@example.com", "Anna Bērziņa", "lv")


def is_loaded(session: Session) -> bool:
    return session.scalar(select(StaffUser.id).limit(1)) is not None


def assign_stores(session: Session, *, own_store: uuid.UUID, franchise_stores: list[uuid.UUID]) -> None:
    """Give the store roles their stores once inventory's demo locations exist."""
    places = {Role.STORE_MANAGER: [own_store], Role.CASHIER: [own_store], Role.FRANCHISE_OWNER: franchise_stores}
    for email, _name, role in DEMO_STAFF:
        if role not in places:
            continue
        user = session.scalar(select(StaffUser).where(StaffUser.email == email))
        if user is not None:
            user.grants = [StaffGrant(role=role.value, location_id=place) for place in places[role]]
    session.flush()


def load(session: Session) -> None:
    """Create the demo staff and shopper (store-scoped roles get their stores from inventory's demo later)."""
    for email, name, role in DEMO_STAFF:
        identity_service.create_staff(session=session, actor=None, email=email, name=name,
                                      password=DEMO_PASSWORD, grants=[Grant(role)])
    email, name, locale = DEMO_CUSTOMER
    identity_service.sign_up_customer(session=session, email=email, password=DEMO_PASSWORD, name=name, locale=locale)
