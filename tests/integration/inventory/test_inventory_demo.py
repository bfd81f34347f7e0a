"""The demo retailer's stores and stock."""

from __future__ import annotations

import uuid

from omniretail.catalog import service as catalog_service
from omniretail.inventory import demo as inventory_demo
from omniretail.inventory import service as inventory_service
from omniretail.inventory.purchasing import service as purchasing_service


class _Ref:
    def __init__(self, n: int):
        self.id, self.sku, self.name = uuid.uuid4(), f"LIP-VELVET-{n:02d}", f"Velvet lipstick {n}"


def test_the_demo_has_two_warehouses_and_franchise_stores_in_five_countries_stocked_unevenly(db, monkeypatch):
    refs = [_Ref(n) for n in range(30)]
    monkeypatch.setattr(catalog_service, "variant_refs", lambda *, session, variant_ids=None: refs)

    with db.transaction() as s:
        inventory_demo.load_locations(s)
        inventory_demo.load(s)

    with db.transaction() as s:
        locations = inventory_service.list_locations(session=s)
        stores = [x for x in locations if x.kind in ("store", "franchise_store")]
        carried = {x.code: inventory_service.in_stock_variant_ids(session=s, location_id=x.id) for x in stores}
        suppliers = purchasing_service.page_suppliers(session=s, cursor=None, limit=10).items
    assert sum(x.kind == "warehouse" for x in locations) == 2
    assert len(stores) >= 10 and sum(x.kind == "franchise_store" for x in stores) >= 2
    assert {x.country for x in locations} == {"LV", "LT", "EE", "PL", "CN"}
    assert len({frozenset(v) for v in carried.values()}) > 1
    assert any(len(v) < len(refs) for v in carried.values())
    assert len(suppliers) == 2
