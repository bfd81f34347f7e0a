"""The stockroom pages in a real headless Chromium: a Riga store manager starts a cycle count, types what is on
the shelf, sees the variance and approves it; the ledger then shows the correction."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration" / "checkout"))

from checkout_factories import retailer

from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role

pytestmark = pytest.mark.browser
PASSWORD = "velvet-lipstick-07"


@pytest.fixture(params=["sqlite"])
def db(request, sqlite_url):
    from tests.conftest import _clean, _database

    database = _database(sqlite_url)
    _clean(database)
    return database


def test_a_store_manager_counts_a_shelf_and_approves_the_variance(db, live_server, page):
    with db.transaction() as s:
        shop = retailer(s)
        identity_service.create_staff(session=s, actor=None, email="riga@shop.example.com", name="Riga",
                                      password=PASSWORD, grants=[Grant(Role.STORE_MANAGER, shop.riga)])

    page.goto(f"{live_server.url}/admin/counts")
    page.wait_for_selector("input[name=email]")
    assert "/admin/login" in page.url
    page.fill("input[name=email]", "riga@shop.example.com")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.goto(f"{live_server.url}/admin/counts")
    page.check("#start-count input[value=cycle]")
    page.fill("#start-count input[name=skus]", "LIP-VELVET-07")
    page.click("#start-count button[type=submit]")
    page.wait_for_selector("#count-status")
    page.fill(f"input[name='qty-{shop.lipstick}']", "7")
    page.click("#count-lines button[type=submit]")
    page.wait_for_selector("#net-variance:has-text('-3')")
    page.click("form[action$='/approve'] button")
    page.wait_for_selector("#count-status:has-text('approved')")
    page.click("text=Stock movements")
    page.wait_for_selector("td .tag:has-text('count_correction')")

    assert page.locator("#movement-count").inner_text() == "4"
