"""The store order board in a real headless Chromium: a delivery-platform order waits on the board of its store,
the cashier accepts it with one click (a CSRF-protected form) and prints its slip."""

from __future__ import annotations

import uuid

import pytest

from omniretail.fulfillment import o2o
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role
from omniretail.inventory import service as inventory_service
from omniretail.ordering import service as ordering_service
from omniretail.ordering.rules import OrderStatus

pytestmark = pytest.mark.browser
PASSWORD = "velvet-lipstick-07"


@pytest.fixture(params=["sqlite"])
def db(request, sqlite_url):
    from tests.conftest import _clean, _database

    database = _database(sqlite_url)
    _clean(database)
    return database


def _platform_order(db) -> str:
    with db.transaction() as s:
        riga = inventory_service.create_location(session=s, actor=None, code="RIGA-CENTRS", name="Rīga Centrs",
                                                 kind="store", city="Riga", country="LV", latitude=56.95,
                                                 longitude=24.11, timezone="Europe/Riga").id
        identity_service.create_staff(session=s, actor=None, email="kasiere@shop.example.com", name="Kasiere",
                                      password=PASSWORD, grants=[Grant(Role.STORE_MANAGER, riga)])
        line = ordering_service.NewLine(uuid.uuid4(), "SERUM-GLOW-30", "Serum Glow", 1, 2999, 2999, 520, 2100, riga)
        order = ordering_service.create_order(session=s, actor="integration:wolt", new=ordering_service.NewOrder(
            channel_id=uuid.uuid4(), channel_code="wolt-riga", channel_kind="delivery", location_id=riga,
            customer_id=None, cart_id=None, checkout_key=None, hold_ref="wolt:WOLT-7781", currency="EUR",
            subtotal_minor=2999, tax_minor=520, shipping_minor=0, discount_minor=0, total_minor=2999, points=0,
            email=None, phone=None, delivery={"method": "platform_courier"}, sourcing={}, lines=(line,),
            external_platform="wolt", external_id="WOLT-7781"),
            steps=[(OrderStatus.PAID, {}), (OrderStatus.ALLOCATED, {})])
        o2o.open_job(session=s, order_id=order.id)
        return order.number


def test_a_cashier_accepts_a_wolt_order_on_the_board_and_opens_its_slip(db, live_server, page, artifacts):
    number = _platform_order(db)

    page.goto(f"{live_server.url}/board")
    page.wait_for_url(f"{live_server.url}/admin/login")
    page.fill("input[name=email]", "kasiere@shop.example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/board")
    order = page.locator(".board-order", has_text=number)
    assert order.get_attribute("data-status") == "new"
    order.locator("button", has_text="accepted").click()
    page.wait_for_url(f"{live_server.url}/board")
    page.screenshot(path=str(artifacts / "store-board.png"), full_page=True)

    assert page.locator(".board-order", has_text=number).get_attribute("data-status") == "accepted"
    page.goto(live_server.url + str(page.locator(".board-order a", has_text="Print slip").get_attribute("href")))
    assert "SERUM-GLOW-30" in page.locator("pre").inner_text()
