"""Back-office stockroom pages over HTTP: a transfer requested, approved, shipped and received with a unit missing;
a cycle count with a variance approved; a purchase order drafted from the suggestions and received in part; the
movement ledger filtered and exported; and a Riga manager who never sees, nor may open, Tallinn's pages."""

from __future__ import annotations

import csv
import io
import sys
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import retailer

from omniretail.identity.rules import Grant, Role
from omniretail.inventory import service as inventory_service
from omniretail.inventory.purchasing import service as purchasing_service


@pytest.fixture
def shop(db):
    with db.transaction() as s:
        made = retailer(s)
        tallinn = inventory_service.create_location(
            session=s, actor=None, code="TALLINN-KESKUS", name="Tallinn Keskus", kind="store", city="Tallinn",
            country="EE", latitude=59.437, longitude=24.7536, timezone="Europe/Tallinn", sells_in_person=True).id
        inventory_service.receive(session=s, actor=None, variant_id=made.lipstick, location_id=tallinn, quantity=5,
                                  document_type="purchase_order", document_id="PO-TALLINN")
    made.tallinn = tallinn  # type: ignore[attr-defined]
    return made


def _on_hand(db, variant_id, location_id) -> int:
    with db.transaction() as s:
        return inventory_service.availability(session=s, variant_ids=[variant_id],
                                              location_ids=[location_id])[0].on_hand


def _moved_to(response) -> str:
    assert response.status_code == 303, response.text
    return response.headers["location"]


def test_a_transfer_goes_through_the_pages_and_the_missing_unit_is_recorded(client, db, sign_in, shop):
    manager = sign_in("riga@shop.example.com", Grant(Role.STORE_MANAGER, shop.riga))
    requested = _moved_to(manager.post("/admin/transfers", follow_redirects=False, data={
        "from_location_id": str(shop.warehouse), "to_location_id": str(shop.riga),
        "sku-0": "lip-velvet-07", "qty-0": "4", "note": "window display"}))
    packer = sign_in("dc@shop.example.com", Grant(Role.FULFILLMENT, shop.warehouse))
    _moved_to(packer.post(f"{requested}/approve", follow_redirects=False))
    _moved_to(packer.post(f"{requested}/ship", follow_redirects=False, data={f"qty-{shop.lipstick}": "4"}))
    manager = sign_in("riga2@shop.example.com", Grant(Role.STORE_MANAGER, shop.riga))

    received = manager.post(f"{requested}/receive", data={f"qty-{shop.lipstick}": "3"})
    listed = manager.get("/admin/transfers")

    assert received.status_code == 200 and 'id="transfer-status">received<' in received.text
    assert "1 missing" in received.text
    assert _on_hand(db, shop.lipstick, shop.warehouse) == 6 and _on_hand(db, shop.lipstick, shop.riga) == 13
    assert f"href=\"{requested}\"" in listed.text
    exported = list(csv.DictReader(io.StringIO(manager.get("/admin/transfers?format=csv").text)))
    assert [(r["status"], r["shipped"], r["received"], r["missing"]) for r in exported] == [
        ("received", "4", "3", "1")]


def test_a_refused_transfer_form_saves_nothing_and_says_why(client, db, sign_in, shop):
    manager = sign_in("riga@shop.example.com", Grant(Role.STORE_MANAGER, shop.riga))

    refused = manager.post("/admin/transfers", data={
        "from_location_id": str(shop.warehouse), "to_location_id": str(shop.riga),
        "sku-0": "LIP-VELVET-07", "qty-0": "2", "sku-1": "NO-SUCH-SKU", "qty-1": "1"})
    nowhere = manager.post("/admin/transfers", data={
        "from_location_id": str(shop.warehouse), "to_location_id": str(shop.tallinn), "sku-0": "LIP-VELVET-07",
        "qty-0": "2"})

    assert refused.status_code == 422 and 'id="form-error"' in refused.text and "NO-SUCH-SKU" in refused.text
    assert 'value="LIP-VELVET-07"' in refused.text  # what was typed stays in the form
    assert nowhere.status_code == 422
    assert "No transfers yet." in manager.get("/admin/transfers").text


def test_a_cycle_count_with_a_variance_is_approved_and_corrects_the_stock(client, db, sign_in, shop):
    manager = sign_in("riga@shop.example.com", Grant(Role.STORE_MANAGER, shop.riga))
    sheet = _moved_to(manager.post("/admin/counts", follow_redirects=False, data={
        "location_id": str(shop.riga), "scope": "cycle", "skus": "LIP-VELVET-07, SERUM-GLOW-30"}))

    counted = manager.post(f"{sheet}/lines", data={f"qty-{shop.lipstick}": "8", f"qty-{shop.serum}": "10",
                                                   "sku-0": "MASCARA-XL-01", "qty-0": "11"})
    negative = manager.post(f"{sheet}/lines", data={f"qty-{shop.lipstick}": "-1"})
    variance = manager.get(f"{sheet}?format=csv")
    approved = manager.post(f"{sheet}/approve")

    assert counted.status_code == 200 and 'id="net-variance">-1<' in counted.text
    assert negative.status_code == 422 and 'id="net-variance">-1<' in negative.text
    rows = {r["sku"]: r["variance"] for r in csv.DictReader(io.StringIO(variance.text))}
    assert rows == {"LIP-VELVET-07": "-2", "SERUM-GLOW-30": "0", "MASCARA-XL-01": "1"}
    assert 'id="count-status">approved<' in approved.text
    assert _on_hand(db, shop.lipstick, shop.riga) == 8 and _on_hand(db, shop.mascara, shop.riga) == 11
    ledger = manager.get(f"/admin/stock/{shop.riga}/movements?kind=count_correction")
    assert ledger.status_code == 200 and 'id="movement-count">2<' in ledger.text


def test_a_purchase_order_drafted_from_the_suggestions_is_received_in_part(client, db, sign_in, shop):
    with db.transaction() as s:
        supplier = purchasing_service.create_supplier(
            session=s, actor=None, code="VELVET-LAB", name="Velvet Lab", currency="EUR",
            email="orders@velvetlab.example.com",
            items=[purchasing_service.SupplierItemInput(shop.serum, 1200, lead_time_days=5)])
        purchasing_service.set_reorder_point(session=s, actor=None, variant_id=shop.serum, location_id=shop.riga,
                                             min_quantity=12, max_quantity=30)
        supplier_id = supplier.id
    owner = sign_in("owner@shop.example.com")

    listed = owner.get("/admin/purchase-orders")
    assert "Velvet Lab" in listed.text and f'name="qty-{shop.serum}" inputmode="numeric" size="5" value="20"' in \
        listed.text
    order = _moved_to(owner.post("/admin/purchase-orders", follow_redirects=False, data={
        "supplier_id": str(supplier_id), "location_id": str(shop.riga), f"qty-{shop.serum}": "20"}))
    _moved_to(owner.post(f"{order}/send", follow_redirects=False))
    nothing = owner.post(f"{order}/receive", data={})
    part = owner.post(f"{order}/receive", data={f"qty-{shop.serum}": "5"})

    assert nothing.status_code == 422
    assert 'id="po-status">partially_received<' in part.text
    assert _on_hand(db, shop.serum, shop.riga) == 15
    assert "<td class=\"num\">15</td><td class=\"num\">15</td>" in part.text  # on hand 15 beside on order 15
    exported = list(csv.DictReader(io.StringIO(owner.get("/admin/purchase-orders?format=csv").text)))
    assert [(r["supplier"], r["ordered"], r["received"], r["value"]) for r in exported] == [
        ("Velvet Lab", "20", "5", "240.00")]
    suppliers = list(csv.DictReader(io.StringIO(owner.get("/admin/suppliers?format=csv").text)))
    assert [(r["code"], r["items"]) for r in suppliers] == [("VELVET-LAB", "1")]


def test_the_movement_ledger_filters_by_item_and_kind_and_exports_the_same_rows(client, db, sign_in, shop):
    manager = sign_in("riga@shop.example.com", Grant(Role.STORE_MANAGER, shop.riga))

    page = manager.get(f"/admin/stock/{shop.riga}/movements?sku=SERUM-GLOW-30")
    exported = manager.get(f"/admin/stock/{shop.riga}/movements?kind=receipt&format=csv")
    future = manager.get(f"/admin/stock/{shop.riga}/movements?since=2099-01-01")
    odd = manager.get(f"/admin/stock/{shop.riga}/movements?since=yesterday&page=-2&kind=x&sort=';--")

    assert 'id="movement-count">1<' in page.text and "SERUM-GLOW-30" in page.text and "LIP-VELVET-07" not in page.text
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert exported.headers["content-type"].startswith("text/csv")
    assert sorted((r["sku"], r["quantity"], r["on_hand_after"]) for r in rows) == [
        ("LIP-VELVET-07", "10", "10"), ("MASCARA-XL-01", "10", "10"), ("SERUM-GLOW-30", "10", "10")]
    assert 'id="movement-count">0<' in future.text
    assert odd.status_code == 200 and 'id="movement-count">3<' in odd.text


def test_a_riga_manager_gets_403_for_tallinn_and_never_sees_it_listed(client, db, sign_in, shop):
    manager = sign_in("riga@shop.example.com", Grant(Role.STORE_MANAGER, shop.riga))

    ledger = manager.get(f"/admin/stock/{shop.tallinn}/movements")
    counts = manager.get(f"/admin/counts?store={shop.tallinn}")
    start_there = manager.post("/admin/counts", data={"location_id": str(shop.tallinn), "scope": "full"})
    purchasing = manager.get("/admin/purchase-orders")

    assert ledger.status_code == 403 and "text/html" in ledger.headers["content-type"]
    assert counts.status_code == 403 and purchasing.status_code == 403
    assert start_there.status_code == 422
    for url in ("/admin/counts", "/admin/transfers", f"/admin/stock/{shop.riga}/movements"):
        listed = manager.get(url)
        assert listed.status_code == 200 and "Tallinn" not in listed.text and str(shop.tallinn) not in listed.text
    assert manager.get(f"/admin/stock/{uuid.uuid4()}/movements").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in_and_forms_need_the_csrf_token(client, db, sign_in, shop):
    client.cookies.clear()
    assert client.get("/admin/transfers", follow_redirects=False).headers["location"].startswith("/admin/login")
    manager = sign_in("riga@shop.example.com", Grant(Role.STORE_MANAGER, shop.riga))

    forged = manager.client.post("/admin/counts", data={"location_id": str(shop.riga), "scope": "full"})

    assert forged.status_code == 403
    assert "No counts yet." in manager.get("/admin/counts").text


def test_odd_addresses_and_parameters_answer_a_clear_page_never_a_500(client, db, sign_in, shop):
    owner = sign_in("owner@shop.example.com")

    answers = {url: owner.get(url).status_code for url in (
        "/admin/transfers?cursor=zzz&status=nope", "/admin/transfers/not-a-uuid", f"/admin/counts/{uuid.uuid4()}",
        "/admin/counts?store=x", "/admin/purchase-orders?status=%27", f"/admin/stock/{shop.riga}/movements?sku=%25",
        "/admin/fulfilment?store=x&view=zz&page=0", "/admin/returns/not-a-uuid", "/admin/fulfilment/delays?store=")}
    step = owner.post(f"/admin/transfers/{uuid.uuid4()}/teleport")

    assert all(code in (200, 404, 422) for code in answers.values()), answers
    assert step.status_code == 404
