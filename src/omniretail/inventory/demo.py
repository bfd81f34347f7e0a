"""Inventory's part of the demo retailer: two warehouses, twelve stores (three of them franchise stores) in six
countries, stocked unevenly so that some items exist only in some stores, plus suppliers and reorder points."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy.orm import Session

from omniretail.catalog import service as catalog_service
from omniretail.inventory import service as inventory_service
from omniretail.inventory.purchasing import service as purchasing_service
from omniretail.inventory.rules import ReservationLine

_SHOP_HOURS = {"mon-fri": "10:00-21:00", "sat": "10:00-20:00", "sun": "11:00-18:00"}
_DC_HOURS = {"mon-fri": "07:00-19:00"}
# code, name, kind, street, city, country, latitude, longitude, timezone, franchise partner
LOCATIONS: tuple[tuple[str, str, str, str, str, str, float, float, str, str | None], ...] = (
    ("RIGA-DC", "Rīga distribution centre", "warehouse", "Krustpils iela 55", "Riga", "LV", 56.9245, 24.2105,
     "Europe/Riga", None),
    ("WARSAW-DC", "Warszawa distribution centre", "warehouse", "ul. Annopol 3", "Warsaw", "PL", 52.3060, 21.0580,
     "Europe/Warsaw", None),
    ("RIGA-CENTRS", "Rīga Centrs", "store", "Audēju iela 16", "Riga", "LV", 56.9474, 24.1106, "Europe/Riga", None),
    ("RIGA-ALFA", "Rīga Alfa", "store", "Brīvības gatve 372", "Riga", "LV", 56.9822, 24.2006, "Europe/Riga", None),
    ("RIGA-DARK-1", "Rīga quick delivery", "dark_store", "Lāčplēša iela 87", "Riga", "LV", 56.9431, 24.1370,
     "Europe/Riga", None),
    ("VILNIUS-AKROPOLIS", "Vilnius Akropolis", "franchise_store", "Ozo g. 25", "Vilnius", "LT", 54.7104, 25.2623,
     "Europe/Vilnius", "Baltic Beauty UAB"),
    ("VILNIUS-GEDIMINO", "Vilnius Gedimino", "store", "Gedimino pr. 9", "Vilnius", "LT", 54.6872, 25.2797,
     "Europe/Vilnius", None),
    ("TALLINN-VIRU", "Tallinn Viru", "store", "Viru väljak 4", "Tallinn", "EE", 59.4363, 24.7550, "Europe/Tallinn",
     None),
    ("TALLINN-ULEMISTE", "Tallinn Ülemiste", "franchise_store", "Suur-Sõjamäe 4", "Tallinn", "EE", 59.4223,
     24.7935, "Europe/Tallinn", "Nordic Glow OÜ"),
    ("WARSAW-ZLOTE", "Warszawa Złote Tarasy", "store", "ul. Złota 59", "Warsaw", "PL", 52.2300, 21.0030,
     "Europe/Warsaw", None),
    ("WARSAW-MOKOTOW", "Warszawa Mokotów", "store", "ul. Wołoska 12", "Warsaw", "PL", 52.1800, 21.0030,
     "Europe/Warsaw", None),
    ("KRAKOW-RYNEK", "Kraków Rynek", "franchise_store", "Rynek Główny 30", "Kraków", "PL", 50.0617, 19.9373,
     "Europe/Warsaw", "Małopolska Retail sp. z o.o."),
    ("SHANGHAI-JINGAN", "上海静安", "store", "南京西路 1601号", "Shanghai", "CN", 31.2247, 121.4460,
     "Asia/Shanghai", None),
    ("SHANGHAI-XINTIANDI", "上海新天地", "store", "马当路 245号", "Shanghai", "CN", 31.2196, 121.4750,
     "Asia/Shanghai", None),
)


def _details(kind: str, country: str, partner: str | None) -> dict[str, Any]:
    warehouse, dark = kind == "warehouse", kind == "dark_store"
    channels = ["web", "app"] if warehouse or dark else ["web", "app", f"pos-{country.lower()}"]
    if partner:
        channels = [f"franchise-{country.lower()}"]
    return {"opening_hours": _DC_HOURS if warehouse else _SHOP_HOURS, "ships_parcels": warehouse or dark,
            "offers_pickup": not warehouse, "accepts_returns": not dark, "sells_in_person": not (warehouse or dark),
            "franchise_partner": partner, "channel_codes": channels}


def load_locations(session: Session) -> None:
    """Create the demo warehouses and stores (called right after identity's demo)."""
    for code, name, kind, street, city, country, lat, lon, tz, partner in LOCATIONS:
        if inventory_service.location_by_code(session=session, code=code) is not None:
            continue
        inventory_service.create_location(session=session, actor=None, code=code, name=name, kind=kind,
                                          street=street, city=city, country=country, latitude=lat, longitude=lon,
                                          timezone=tz, **_details(kind, country, partner))


def load(session: Session) -> None:
    """Stock every variant unevenly, add two suppliers and reorder points (called after the catalog's demo)."""
    rng = random.Random(2026)
    refs = catalog_service.variant_refs(session=session)
    locations = inventory_service.list_locations(session=session)
    opening: list[ReservationLine] = []
    for ref in refs:
        for loc in locations:
            if loc.kind == "warehouse":
                quantity = rng.randint(20, 240)
            elif rng.random() < 0.55:
                quantity = rng.choice((1, 2, 3, 5, 8, 12, 20))
            else:
                continue
            opening.append(ReservationLine(ref.id, loc.id, quantity))
    inventory_service.receive_opening_stock(session=session, rows=opening, document_id="demo")
    half = len(refs) // 2
    for code, name, currency, items in (("BALTIC-COSMETICS", "Baltic Cosmetics SIA", "EUR", refs[:half + 1]),
                                        ("WISLA-BEAUTY", "Wisła Beauty sp. z o.o.", "PLN", refs[half:])):
        purchasing_service.create_supplier(
            session=session, actor=None, code=code, name=name, currency=currency,
            email=f"orders@{code.lower()}.example.com",
            items=[purchasing_service.SupplierItemInput(ref.id, cost_minor=rng.randint(150, 4000),
                                                        lead_time_days=rng.choice((5, 7, 14)),
                                                        min_order_quantity=rng.choice((6, 12, 24)),
                                                        supplier_sku=f"S-{ref.sku}") for ref in items])
    stores = [loc for loc in locations if loc.kind in ("store", "franchise_store")]
    for ref in refs[:40]:
        for loc in stores[:6]:
            purchasing_service.set_reorder_point(session=session, actor=None, variant_id=ref.id,
                                                 location_id=loc.id, min_quantity=2, max_quantity=10)
