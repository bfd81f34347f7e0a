"""Scan and go: a shopper in Riga scans a lipstick by its barcode, pays by card, and staff at the exit check the
pass; a forged pass or a cashier from another store gets nothing."""

from __future__ import annotations

import re
import uuid

import pytest

from omniretail.catalog import service as catalog_service
from omniretail.channels import service as channels_service
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role
from omniretail.inventory import service as inventory_service
from omniretail.web.storefront.scan_pages import exit_token
from tests.integration.web.storefront_helpers import post
from tests.integration.web.test_storefront_shop import BeautyShop, build


@pytest.fixture
def shop(db, settings) -> BeautyShop:
    made = build(db, settings.data_dir)
    with db.transaction() as session:
        riga = inventory_service.location_by_code(session=session, code="RIGA-CENTRS")
        pos = channels_service.create_channel(session=session, actor=None, code="pos-riga-centrs", name="POS Rīga",
                                        kind="store", currency="EUR", country="LV", locales=["lv", "en"],
                                        default_locale="lv", location_ids=[riga.id], payment_methods=["card", "cash"],
                                        delivery_methods=["carry_out"])
        web = channels_service.get_channel_by_code(session=session, code="web-eu")
        channels_service.set_price_list(session=session, channel_id=pos.id, price_list_id=web.price_list_id)
        lipstick = catalog_service.variant_by_code(session=session, code="LIP-VELVET-07")
        catalog_service.publish(session=session, actor=None, product_id=lipstick.product_id, channel_id=pos.id)
    return made


PASSWORD = "velvet-lipstick-07"


def _staff_client(client, db, email, grant):
    with db.transaction() as session:
        identity_service.create_staff(session=session, actor=None, email=email, name=email.split("@")[0],
                                      password=PASSWORD, grants=[grant])
    client.cookies.clear()
    response = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200


def test_a_shopper_scans_pays_and_staff_at_that_store_accept_the_exit_pass(client, db, shop, settings):
    stores = client.get("/scan")
    scanned = post(client, "/scan/RIGA-CENTRS/items", {"barcode": "LIP-VELVET-07"})
    page = client.get("/scan/RIGA-CENTRS")
    key = re.search(r'name="key" value="([0-9a-f]{32})"', page.text).group(1)
    paid = post(client, "/scan/RIGA-CENTRS/pay", {"key": key, "card_number": "4242 4242 4242 4242"})
    exit_page = client.get(paid.headers["location"])
    token = re.search(r'data-token="([0-9a-f.]+)"', exit_page.text).group(1)

    with db.transaction() as session:
        riga = inventory_service.location_by_code(session=session, code="RIGA-CENTRS")
    _staff_client(client, db, "kaspars@shop.example.com", Grant(Role.CASHIER, riga.id))
    checked = client.get(f"/api/v1/scan-and-go/passes/{token}")

    assert "I am at Rīga Centrs" in stores.text
    assert scanned.headers["location"] == "/scan/RIGA-CENTRS?notice=added" and "Velvet matte lipstick" in page.text
    assert paid.status_code == 303 and "<svg" in exit_page.text
    assert checked.status_code == 200 and checked.json()["valid"] is True
    assert checked.json()["lines"] == [{"sku": "LIP-VELVET-07", "name": "Velvet matte lipstick", "quantity": 1}]
    with db.transaction(read_only=True) as session:
        assert inventory_service.ledger_sum(session=session, variant_id=_variant(session), location_id=riga.id) == 4


def _variant(session):
    return catalog_service.variant_by_code(session=session, code="LIP-VELVET-07").id


def test_a_forged_pass_and_a_cashier_of_another_store_are_refused(client, db, shop, settings):
    post(client, "/scan/RIGA-CENTRS/items", {"barcode": "LIP-VELVET-07"})
    key = re.search(r'name="key" value="([0-9a-f]{32})"', client.get("/scan/RIGA-CENTRS").text).group(1)
    paid = post(client, "/scan/RIGA-CENTRS/pay", {"key": key, "card_number": "4242424242424242"})
    order_id = paid.headers["location"].rsplit("/", 1)[1]
    real = exit_token(settings.effective_secret_key(), uuid.UUID(order_id))
    forged = real[:-1] + ("0" if real[-1] != "0" else "1")
    with db.transaction() as session:
        warsaw = inventory_service.location_by_code(session=session, code="WARSAW-ZLOTE")
    _staff_client(client, db, "ola@shop.example.com", Grant(Role.CASHIER, warsaw.id))

    assert client.get(f"/api/v1/scan-and-go/passes/{forged}").status_code == 404
    assert client.get(f"/api/v1/scan-and-go/passes/{real}").status_code == 403
    client.cookies.clear()
    assert client.get(f"/api/v1/scan-and-go/passes/{real}").status_code == 401


def test_an_unknown_barcode_is_not_added(client, shop):
    response = post(client, "/scan/RIGA-CENTRS/items", {"barcode": "0000000000000"})

    assert response.headers["location"] == "/scan/RIGA-CENTRS?notice=unknown"
    assert client.get("/scan/NOWHERE").status_code == 404
