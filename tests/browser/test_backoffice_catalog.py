"""A merchandiser edits a product in the back office in headless Chromium and sees it on the storefront."""

from __future__ import annotations

import pytest

from omniretail.catalog import service as catalog_service
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role
from tests.integration.web.test_storefront_shop import build

pytestmark = pytest.mark.browser
PASSWORD = "velvet-lipstick-07"


@pytest.fixture(params=["sqlite"])
def db(request, sqlite_url):
    from tests.conftest import _clean, _database

    database = _database(sqlite_url)
    _clean(database)
    return database


def test_a_merchandiser_renames_a_lipstick_in_latvian_and_the_storefront_shows_it(db, settings, live_server, page,
                                                                                   artifacts):
    shop = build(db, settings.data_dir)
    with db.transaction() as session:
        identity_service.create_staff(session=session, actor=None, email="marta@shop.example.com", name="Marta",
                                      password=PASSWORD, grants=[Grant(Role.MARKETER)])
        product_id = catalog_service.product_ids_by_code(session=session, codes=["LIP-VELVET"])["LIP-VELVET"]

    page.goto(f"{live_server.url}/admin/login")
    page.fill("input[name=email]", "marta@shop.example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin")
    page.goto(f"{live_server.url}/admin/catalog/{product_id}")
    page.get_by_label("Name").and_(page.locator("input[name=name-lv]")).fill("Samta lūpu krāsa Rubīns")
    page.get_by_role("button", name="Save product").click()
    page.wait_for_selector("[role=status]")
    page.screenshot(path=str(artifacts / "admin-product.png"), full_page=True)
    page.goto(f"{live_server.url}/p/{shop.slug('LIP-VELVET', 'lv')}?lang=lv")

    assert page.locator("h1").inner_text() == "Samta lūpu krāsa Rubīns"
