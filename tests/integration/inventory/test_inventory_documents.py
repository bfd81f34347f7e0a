"""Counts, purchase orders, reorder points and CSV files, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from inventory_factories import location, stocked, variant
from sqlalchemy import select

from omniretail.inventory import service as inventory_service
from omniretail.inventory.counts import service as counts_service
from omniretail.inventory.exceptions import InvalidStep
from omniretail.inventory.imports import service as imports_service
from omniretail.inventory.purchasing import service as purchasing_service
from omniretail.inventory.transfers import service as transfers_service
from omniretail.kernel.outbox import OutboxEvent


def _level(s, variant_id, location_id):
    return inventory_service.availability(session=s, variant_ids=[variant_id], location_ids=[location_id])[0]


def test_approving_a_cycle_count_writes_corrections_for_the_differences(db):
    lipstick, mascara = variant(), variant()
    with db.transaction() as s:
        riga = location(s).id
        stocked(s, lipstick, riga, 10)
        stocked(s, mascara, riga, 4)
        count = counts_service.start_count(session=s, actor=None, location_id=riga, scope="cycle",
                                           variant_ids=[lipstick, mascara])
        counts_service.record_counts(session=s, actor=None, count_id=count.id, counted={lipstick: 8, mascara: 4})

    with db.transaction() as s:
        report = counts_service.variance_report(session=s, actor=None, count_id=count.id)
        approved = counts_service.approve_count(session=s, actor=None, count_id=count.id)

    assert {(r.variant_id, r.expected, r.counted, r.variance) for r in report} == {
        (lipstick, 10, 8, -2), (mascara, 4, 4, 0)}
    assert approved.status == "approved" and approved.number.startswith("CNT-")
    with db.transaction() as s:
        assert _level(s, lipstick, riga).on_hand == 8
        movements = inventory_service.page_movements(session=s, actor=_owner(), kind="count_correction",
                                                     cursor=None, limit=10).items
        assert [(m.quantity, m.document_id) for m in movements] == [(-2, approved.number)]
        with pytest.raises(InvalidStep):
            counts_service.approve_count(session=s, actor=None, count_id=count.id)


def _owner():
    from inventory_factories import staff

    return staff()


def test_a_full_count_lists_everything_the_store_holds(db):
    lipstick, mascara = variant(), variant()
    with db.transaction() as s:
        riga = location(s).id
        stocked(s, lipstick, riga, 3)
        stocked(s, mascara, riga, 1)

    with db.transaction() as s:
        count = counts_service.start_count(session=s, actor=None, location_id=riga, scope="full")

    assert {line.variant_id: line.expected for line in count.lines} == {lipstick: 3, mascara: 1}


def test_a_purchase_order_is_received_in_two_deliveries_and_shows_on_order_meanwhile(db):
    lipstick = variant()
    with db.transaction() as s:
        dc = location(s, "RIGA-DC").id
        supplier = purchasing_service.create_supplier(session=s, actor=None, code="VELVET-LAB", name="Velvet Lab",
                                                      currency="EUR", items=[purchasing_service.SupplierItemInput(
                                                          lipstick, cost_minor=450, lead_time_days=10,
                                                          min_order_quantity=24)])
        order = purchasing_service.draft_purchase_order(session=s, actor=None, supplier_id=supplier.id,
                                                        location_id=dc,
                                                        lines=[purchasing_service.OrderLineInput(lipstick, 48)])
        purchasing_service.send_purchase_order(session=s, actor=None, purchase_order_id=order.id)

    with db.transaction() as s:
        first = purchasing_service.receive_purchase_order(session=s, actor=None, purchase_order_id=order.id,
                                                          received={lipstick: 20})
        halfway = purchasing_service.on_order(session=s, variant_ids=[lipstick])
        status_halfway = first.status
    with db.transaction() as s:
        done = purchasing_service.receive_purchase_order(session=s, actor=None, purchase_order_id=order.id)
        after = purchasing_service.on_order(session=s, variant_ids=[lipstick])
        stock = _level(s, lipstick, dc)

    assert halfway == {(lipstick, dc): 28}
    assert status_halfway == "partially_received"
    assert done.status == "received" and after == {}
    assert stock.on_hand == 48
    assert order.lines[0].cost_minor == 450


def test_selling_under_the_reorder_point_raises_a_low_stock_event_and_a_suggestion(db):
    lipstick = variant()
    with db.transaction() as s:
        riga = location(s).id
        stocked(s, lipstick, riga, 6)
        purchasing_service.create_supplier(session=s, actor=None, code="VELVET-LAB", name="Velvet Lab",
                                           currency="EUR", items=[purchasing_service.SupplierItemInput(
                                               lipstick, cost_minor=450, min_order_quantity=12)])
        purchasing_service.set_reorder_point(session=s, actor=None, variant_id=lipstick, location_id=riga,
                                             min_quantity=3, max_quantity=10)

    with db.transaction() as s:
        inventory_service.sell(session=s, actor=None, variant_id=lipstick, location_id=riga, quantity=2,
                               order_id="P-1")
        nothing_yet = purchasing_service.suggested_orders(session=s)
        inventory_service.sell(session=s, actor=None, variant_id=lipstick, location_id=riga, quantity=2,
                               order_id="P-2")
        inventory_service.sell(session=s, actor=None, variant_id=lipstick, location_id=riga, quantity=1,
                               order_id="P-3")
        suggestions = purchasing_service.suggested_orders(session=s)

    assert nothing_yet == []
    assert [(x.available, x.quantity, x.cost_minor) for x in suggestions] == [(1, 12, 450)]
    with db.transaction() as s:
        low = list(s.scalars(select(OutboxEvent).where(OutboxEvent.event_type == "inventory.StockRanLow")))
    assert [e.payload["available"] for e in low] == [2]


def test_a_transfer_puts_stock_in_transit_until_it_is_received(db):
    lipstick = variant()
    with db.transaction() as s:
        dc, riga = location(s, "RIGA-DC").id, location(s).id
        stocked(s, lipstick, dc, 10)
        transfer = transfers_service.request_transfer(session=s, actor=None, from_location_id=dc,
                                                      to_location_id=riga,
                                                      items=[transfers_service.TransferItem(lipstick, 4)])
        transfers_service.approve_transfer(session=s, actor=None, transfer_id=transfer.id)

    with db.transaction() as s:
        transfers_service.ship_transfer(session=s, actor=None, transfer_id=transfer.id)
        moving = transfers_service.in_transit(session=s, variant_ids=[lipstick], location_id=riga)
        source = _level(s, lipstick, dc).on_hand

    assert moving == {lipstick: 4} and source == 6
    with db.transaction() as s:
        transfers_service.receive_transfer(session=s, actor=None, transfer_id=transfer.id)
        assert _level(s, lipstick, riga).on_hand == 4
        assert transfers_service.in_transit(session=s, variant_ids=[lipstick], location_id=riga) == {}


def test_a_stock_file_with_bad_rows_writes_nothing_and_names_each_line_and_field(db):
    lipstick, mascara = variant(), variant()
    with db.transaction() as s:
        location(s)
    data = ("location_code,variant_id,on_hand,safety_stock\n"
            f"RIGA-CENTRS,{lipstick},12,1\n"
            f"NOWHERE,{mascara},3,\n"
            f"RIGA-CENTRS,{mascara},lots,\n")

    with db.transaction() as s:
        refused = imports_service.import_stock_levels(session=s, actor=None, data=data)
    with db.transaction() as s:
        partial = imports_service.import_stock_levels(session=s, actor=None, data=data, partial=True)
        exported = imports_service.export_stock_levels(session=s, actor=None)

    assert [(e.line, e.field) for e in refused.errors] == [(3, "location_code"), (4, "on_hand")]
    assert not refused.written
    assert partial.written and partial.changed == 1
    assert exported.splitlines()[0] == "location_code,sku,variant_id,on_hand,safety_stock,reserved,available"
    assert exported.splitlines()[1].endswith(f",{lipstick},12,1,0,11")


def test_an_unknown_column_is_refused_before_any_row(db):
    with db.transaction() as s:
        result = imports_service.import_stock_levels(session=s, actor=None,
                                                     data="location_code,sku,on_hand,colour\nRIGA-CENTRS,X,1,red\n")

    assert [(e.line, e.field, e.message) for e in result.errors] == [(1, "colour", "unknown column")]


def test_counted_quantities_can_come_from_a_csv_sheet(db):
    lipstick = variant()
    with db.transaction() as s:
        riga = location(s).id
        stocked(s, lipstick, riga, 5)
        count = counts_service.start_count(session=s, actor=None, location_id=riga, scope="full")

    with db.transaction() as s:
        result = imports_service.import_counts(session=s, actor=None, count_id=count.id,
                                               data=f"variant_id,counted\n{lipstick},4\n")
        sheet = imports_service.export_count_sheet(session=s, actor=None, count_id=count.id)

    assert result.written and result.changed == 1
    assert sheet.splitlines()[1] == f",{lipstick},,5,4"
