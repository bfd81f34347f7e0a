"""Packing and pick lists on SQLite and PostgreSQL: boxes chosen from catalog dimensions, a split when one box
is not enough, rate shopping with its reason, and a pick list in bin order."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from omniretail.catalog import service as catalog_service
from omniretail.catalog.service import ProductText, VariantInput
from omniretail.fulfillment import demo as fulfillment_demo
from omniretail.fulfillment import service as fulfillment_service
from omniretail.fulfillment.models import Shipment, ShipmentLine
from omniretail.inventory import service as inventory_service

MONDAY_NOON = datetime(2026, 11, 23, 12, tzinfo=UTC)


def _variant(session, sku: str, grams: int, dims: tuple[int, int, int]) -> uuid.UUID:
    product = catalog_service.create_product(session=session, actor=None, code=sku, brand="Velvetine",
                                             status="active", texts={"en": ProductText(name=sku.title())},
                                             variants=[VariantInput(sku=sku, weight_grams=grams, length_mm=dims[0],
                                                                    width_mm=dims[1], height_mm=dims[2])],
                                             reindex=False)
    return product.variants[0].id


def test_lipsticks_go_in_a_mailer_and_hair_dryers_are_split_over_large_boxes(db):
    with db.transaction() as s:
        fulfillment_demo.carriers_and_boxes(s)
        lip = _variant(s, "LIP-VELVET-07", 60, (90, 25, 25))
        dryer = _variant(s, "HAIR-DRYER-2000", 900, (280, 220, 110))

        small = fulfillment_service.plan_parcels(session=s, lines=[(lip, "LIP-VELVET-07", 3)], country="LV",
                                                 now=MONDAY_NOON, promised=date(2026, 11, 30))
        big = fulfillment_service.plan_parcels(session=s, lines=[(dryer, "HAIR-DRYER-2000", 9)], country="PL",
                                               now=MONDAY_NOON, promised=date(2026, 11, 24))

    assert [p.box.code for p, _ in small] == ["MAILER-S"]
    assert small[0][1].quote is not None and small[0][1].quote.service.code == "economy"
    assert len(big) == 2 and {p.box.code for p, _ in big} <= {"BOX-L", "BOX-M"}
    assert sum(len(p.items) for p, _ in big) == 9
    assert all(choice.quote is not None and choice.quote.service.code == "express" for _, choice in big)
    assert "cheapest of 1 service(s) arriving by 2026-11-24" in big[0][1].reason


def test_the_pick_list_groups_items_of_many_orders_in_bin_order(db):
    with db.transaction() as s:
        dc = inventory_service.create_location(session=s, actor=None, code="RIGA-DC", name="Riga DC",
                                               kind="warehouse", city="Riga", country="LV", latitude=56.9,
                                               longitude=24.2, timezone="Europe/Riga").id
        lip = _variant(s, "LIP-VELVET-07", 60, (90, 25, 25))
        serum = _variant(s, "SERUM-GLOW-30", 120, (120, 40, 40))
        fulfillment_service.set_bin(session=s, location_id=dc, variant_id=serum, bin="A-01")
        fulfillment_service.set_bin(session=s, location_id=dc, variant_id=lip, bin="B-07")
        for n, items in enumerate(([(lip, "LIP-VELVET-07", 2)], [(lip, "LIP-VELVET-07", 1),
                                                                  (serum, "SERUM-GLOW-30", 1)])):
            s.add(Shipment(number=f"SH-T{n}", order_id=uuid.uuid4(), order_number=f"W-T{n}", location_id=dc,
                           status="open", country="LV", currency="EUR",
                           lines=[ShipmentLine(variant_id=v, sku=sku, quantity=q) for v, sku, q in items]))
        s.add(Shipment(number="SH-DONE", order_id=uuid.uuid4(), order_number="W-DONE", location_id=dc,
                       status="packed", country="LV", currency="EUR",
                       lines=[ShipmentLine(variant_id=lip, sku="LIP-VELVET-07", quantity=5)]))

    with db.transaction(read_only=True) as s:
        picks = fulfillment_service.pick_list(session=s, actor=None, location_id=dc)

    assert picks.shipments == 2
    assert [(p.bin, p.sku, p.quantity, p.orders) for p in picks.lines] == [
        ("A-01", "SERUM-GLOW-30", 1, ("W-T1",)), ("B-07", "LIP-VELVET-07", 3, ("W-T0", "W-T1"))]


def test_the_demo_puts_skus_in_aisle_bins_at_the_riga_warehouse(db):
    with db.transaction() as s:
        inventory_service.create_location(session=s, actor=None, code="RIGA-DC", name="Riga DC", kind="warehouse",
                                          city="Riga", country="LV", latitude=56.9, longitude=24.2,
                                          timezone="Europe/Riga")
        lip = _variant(s, "LIP-VELVET-07", 60, (90, 25, 25))
        fulfillment_demo.load(s)
        fulfillment_demo.load(s)

    with db.transaction() as s:
        assert len(fulfillment_service.boxes(session=s)) == len(fulfillment_demo.BOXES)
        dc = inventory_service.location_by_code(session=s, code="RIGA-DC")
        assert dc is not None
        s.add(Shipment(number="SH-T9", order_id=uuid.uuid4(), order_number="W-T9", location_id=dc.id,
                       status="open", country="LV", currency="EUR",
                       lines=[ShipmentLine(variant_id=lip, sku="LIP-VELVET-07", quantity=1)]))
        s.flush()
        assert fulfillment_service.pick_list(session=s, actor=None, location_id=dc.id).lines[0].bin == "A-01"
