"""Sign-in pages in a real headless Chromium."""

from __future__ import annotations

import uuid

import pytest

from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role

pytestmark = pytest.mark.browser
PASSWORD = "velvet-lipstick-07"
RIGA = uuid.UUID("00000000-0000-0000-0000-0000000000a1")
WARSAW = uuid.UUID("00000000-0000-0000-0000-0000000000b2")


@pytest.fixture(params=["sqlite"])
def db(request, sqlite_url):
    from tests.conftest import _clean, _database

    database = _database(sqlite_url)
    _clean(database)
    return database


def _staff(db, email, *grants):
    with db.transaction() as session:
        return identity_service.create_staff(session=session, actor=None, email=email, name=email.split("@")[0],
                                             password=PASSWORD, grants=list(grants)).id


def test_an_owner_signs_in_to_the_back_office_and_sees_it_in_the_audit_log(db, live_server, page, artifacts):
    _staff(db, "olivia@shop.example.com", Grant(Role.OWNER))

    page.goto(f"{live_server.url}/admin")
    page.fill("input[name=email]", "olivia@shop.example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin")
    page.screenshot(path=str(artifacts / "admin-home.png"), full_page=True)

    assert page.locator("h1").inner_text() == "Back office"
    assert page.locator("table").last.locator("td", has_text="staff.signed_in").count() >= 1


def test_a_wrong_password_shows_a_clear_error_and_keeps_the_email(db, live_server, page):
    _staff(db, "olivia@shop.example.com", Grant(Role.OWNER))

    page.goto(f"{live_server.url}/admin/login")
    page.fill("input[name=email]", "olivia@shop.example.com")
    page.fill("input[name=password]", "not-the-password")
    page.click("button[type=submit]")

    assert "The e-mail or password is not right" in page.locator("[role=alert]").inner_text()
    assert page.input_value("input[name=email]") == "olivia@shop.example.com"


def test_a_franchise_owner_sees_no_link_to_and_cannot_open_another_stores_staff(db, live_server, page):
    other = _staff(db, "warsaw@shop.example.com", Grant(Role.CASHIER, WARSAW))
    _staff(db, "riga@shop.example.com", Grant(Role.CASHIER, RIGA))
    _staff(db, "filip@franchise.example.com", Grant(Role.FRANCHISE_OWNER, RIGA))

    page.goto(f"{live_server.url}/admin/login")
    page.fill("input[name=email]", "filip@franchise.example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin")
    listed = page.locator("#staff-table").inner_text()
    response = page.goto(f"{live_server.url}/admin/staff/{other}")

    assert "riga@shop.example.com" in listed
    assert "warsaw@shop.example.com" not in listed
    assert response is not None and response.status == 404


def test_a_shopper_signs_up_in_polish_on_a_phone(db, live_server, browser, artifacts):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="pl-PL")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/account/signup")
        page.fill("input[name=name]", "Agnieszka Nowak")
        page.fill("input[name=email]", "agnieszka@example.com")
        page.fill("input[name=password]", PASSWORD)
        page.screenshot(path=str(artifacts / "signup-pl-390.png"), full_page=True)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")

        assert page.locator("html").get_attribute("lang") == "pl"
        assert "Witamy, Agnieszka Nowak" in page.locator("h1").inner_text()
    finally:
        context.close()
