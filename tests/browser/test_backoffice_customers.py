"""The back office's customer search in a real headless Chromium: a support agent finds a member by the phone
number as the customer says it and opens the 360 view with her points."""

from __future__ import annotations

import pytest

from omniretail.customers import service as customers_service
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role
from omniretail.loyalty import service as loyalty_service

pytestmark = pytest.mark.browser
PASSWORD = "velvet-lipstick-07"


@pytest.fixture(params=["sqlite"])
def db(request, sqlite_url):
    from tests.conftest import _clean, _database

    database = _database(sqlite_url)
    _clean(database)
    return database


def test_an_agent_finds_a_customer_by_phone_and_opens_the_360_view(db, live_server, page):
    with db.transaction() as s:
        identity_service.create_staff(session=s, actor=None, email="agent@shop.example.com", name="Agent",
                                      password=PASSWORD, grants=[Grant(Role.SUPPORT_AGENT)])
        anna = customers_service.create_profile(session=s, actor="test", source="staff", given_name="Anna",
                                                family_name="Bērziņa", phone="+37120000001").id
        customers_service.create_profile(session=s, actor="test", source="staff", given_name="Ilze",
                                         family_name="Ozola", phone="+37120000002")
        loyalty_service.adjust(session=s, customer_id=anna, points=240, note="welcome gift")

    page.goto(f"{live_server.url}/admin/customers")
    page.wait_for_selector("input[name=password]")
    page.fill("input[name=email]", "agent@shop.example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/admin/customers")
    page.fill("#customer-search input[name=q]", "2000 0001")
    page.click("#customer-search button:not([name])")
    page.locator("#customers a", has_text="Bērziņa").click()
    page.wait_for_selector("#points-available")

    assert page.url == f"{live_server.url}/admin/customers/{anna}"
    assert page.inner_text("#points-available") == "240"
    assert "Ilze" not in page.content()
