"""An agent finds a ticket in the support queue, answers it with a canned reply and sees the reply in the log."""

from __future__ import annotations

import pytest

from omniretail.identity import service as identity_service
from omniretail.identity.rules import Grant, Role
from omniretail.support import admin
from omniretail.support import service as support_service

pytestmark = pytest.mark.browser
PASSWORD = "velvet-lipstick-07"


@pytest.fixture(params=["sqlite"])
def db(request, sqlite_url):
    from tests.conftest import _clean, _database

    database = _database(sqlite_url)
    _clean(database)
    return database


def test_an_agent_answers_a_latvian_ticket_with_a_canned_reply(db, settings, live_server, page):
    with db.transaction() as session:
        identity_service.create_staff(session=session, actor=None, email="agent@shop.example.com", name="Agent",
                                      password=PASSWORD, grants=[Grant(Role.SUPPORT_AGENT)])
        admin.save_canned(session=session, code="courier", locale="lv", title="Pie kurjera",
                          body="Jūsu sūtījums ir pie kurjera.")
        ticket = support_service.open_ticket(session=session, channel="web", subject="Kur ir mans pasūtījums?",
                                             body="Gaidu jau nedēļu.", actor="customer:liga@shop.example.com",
                                             email="liga@shop.example.com", locale="lv")
        number = ticket.number

    page.goto(f"{live_server.url}/admin/login")
    page.fill("input[name=email]", "agent@shop.example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin")
    page.goto(f"{live_server.url}/admin/support")
    page.get_by_role("link", name=number).click()
    page.locator("#reply-form select").select_option(label="Pie kurjera")
    page.locator("#reply-form button[type=submit]").click()
    page.wait_for_selector("#ticket-log >> text=Jūsu sūtījums ir pie kurjera.")

    assert "reply" in page.locator("#ticket-log").inner_text()
