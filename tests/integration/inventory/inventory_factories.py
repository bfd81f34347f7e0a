"""Inventory test data: stores and warehouses with retail names, variants as opaque ids."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from omniretail.identity.rules import Grant, Principal, Role
from omniretail.inventory import service as inventory_service
from omniretail.inventory.models import Location

PLACES: dict[str, tuple[str, str, str, float, float, str]] = {
    "RIGA-CENTRS": ("Rīga Centrs", "store", "Riga", 56.9496, 24.1052, "LV"),
    "RIGA-DC": ("Rīga distribution centre", "warehouse", "Riga", 56.9000, 24.2000, "LV"),
    "VILNIUS-AKROPOLIS": ("Vilnius Akropolis", "franchise_store", "Vilnius", 54.7104, 25.2623, "LT"),
    "TALLINN-VIRU": ("Tallinn Viru", "store", "Tallinn", 59.4370, 24.7536, "EE"),
    "WARSAW-ZLOTE": ("Warszawa Złote Tarasy", "store", "Warsaw", 52.2297, 21.0122, "PL"),
}


def location(session: Session, code: str = "RIGA-CENTRS", **overrides: Any) -> Location:
    name, kind, city, lat, lon, country = PLACES.get(code, (code.title(), "store", "Riga", 56.95, 24.1, "LV"))
    values: dict[str, Any] = dict(code=code, name=name, kind=kind, city=city, country=country, latitude=lat,
                                  longitude=lon, timezone="Europe/Riga", offers_pickup=True, sells_in_person=True,
                                  channel_codes=["web", "pos"])
    values.update(overrides)
    return inventory_service.create_location(session=session, actor=None, **values)


def variant() -> uuid.UUID:
    """A variant id as the catalog would hand it out (LIP-VELVET-07 and friends)."""
    return uuid.uuid4()


def stocked(session: Session, variant_id: uuid.UUID, location_id: uuid.UUID, quantity: int) -> None:
    inventory_service.receive(session=session, actor=None, variant_id=variant_id, location_id=location_id,
                              quantity=quantity, document_type="purchase_order", document_id="PO-TEST")


def staff(role: Role = Role.OWNER, location_id: uuid.UUID | None = None) -> Principal:
    return Principal(staff_id=uuid.uuid4(), email=f"{role.value}@demo.test", grants=(Grant(role, location_id),),
                     label=role.value)
