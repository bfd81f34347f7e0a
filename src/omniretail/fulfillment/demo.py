"""Fulfilment's part of the demo retailer: a box list, two carriers with rate tables for the demo countries
(the Baltics and Poland home zones, the rest of the EU), cut-off times and a few bins at the Riga warehouse."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.fulfillment import service as fulfillment_service
from omniretail.fulfillment.models import Box
from omniretail.inventory import service as inventory_service

# code, name, inner length, width, height (mm), max weight, tare (g), cost (minor)
BOXES = (("MAILER-S", "Small mailer", 220, 160, 60, 1000, 40, 35),
         ("BOX-S", "Small box", 250, 180, 100, 3000, 120, 55),
         ("BOX-M", "Medium box", 350, 250, 150, 8000, 220, 80),
         ("BOX-L", "Large box", 500, 400, 300, 20000, 450, 140))
_ZONES = {"LV": "baltic", "LT": "baltic", "EE": "baltic", "PL": "poland", "*": "eu"}


def _rates(base: int) -> list[dict[str, Any]]:
    bands = ((1000, 0), (3000, 150), (10000, 450), (20000, 900))
    surcharge = {"baltic": 0, "poland": 100, "eu": 400}
    return [{"zone": zone, "max_grams": grams, "price_minor": base + extra + add}
            for zone, add in surcharge.items() for grams, extra in bands]


# carrier, code, name, level, transit days, cut-off, base price
SERVICES = (("baltic-post", "economy", "Baltic Post Economy", "economy", 4, "17:00", 290),
            ("baltic-post", "standard", "Baltic Post Standard", "standard", 2, "15:00", 450),
            ("swift-courier", "express", "Swift Courier Express", "express", 1, "13:00", 790))


def carriers_and_boxes(session: Session, *, currency: str = "EUR", secret: str = "demo-carrier-secret") -> None:  # noqa: S107 - demo data
    """The box list and the table-rate carrier services (also used by tests and the bench)."""
    if session.scalar(select(Box.id).limit(1)) is not None:
        return
    for code, name, length, width, height, max_weight, tare, cost in BOXES:
        fulfillment_service.add_box(session=session, code=code, name=name, length_mm=length, width_mm=width,
                                    height_mm=height, max_weight_grams=max_weight, tare_grams=tare,
                                    cost_minor=cost, currency=currency)
    for carrier, code, name, level, days, cutoff, base in SERVICES:
        fulfillment_service.add_carrier_service(session=session, carrier=carrier, code=code, name=name, level=level,
                                                transit_days=days, cutoff=cutoff, currency=currency, zones=_ZONES,
                                                rates=_rates(base), webhook_secret=f"{secret}-{carrier}")


def bins(session: Session, *, location_code: str = "RIGA-DC", count: int = 40) -> int:
    """Aisle-bin places for the first ``count`` SKUs at a warehouse (ten bins per aisle); returns how many."""
    location = inventory_service.location_by_code(session=session, code=location_code)
    if location is None:
        return 0
    refs = catalog_service.variant_refs(session=session)[:count]
    for i, ref in enumerate(refs):
        fulfillment_service.set_bin(session=session, location_id=location.id, variant_id=ref.id,
                                    bin=f"{chr(ord('A') + i // 10)}-{i % 10 + 1:02d}")
    return len(refs)


def load(session: Session) -> None:
    """Add this context's demo data."""
    carriers_and_boxes(session)
    bins(session)
