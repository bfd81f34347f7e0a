"""Live chat in two real browsers: a guest asks on /chat, an advisor answers from /admin/chat with a reply and a
product card, the guest sees both and the advisor typing, and closing stores the transcript on a ticket."""

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


def _shop_with_an_advisor(db):
    with db.transaction() as session:
        retailer(session)
        identity_service.create_staff(session=session, actor=None, email="olivia@shop.example.com", name="Olivia",
                                      password=PASSWORD, grants=[Grant(Role.SUPPORT_AGENT)])


def _advisor_console(browser, url):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    agent = context.new_page()
    agent.goto(f"{url}/admin/login")
    agent.fill("input[name=email]", "olivia@shop.example.com")
    agent.fill("input[name=password]", PASSWORD)
    agent.click("button[type=submit]")
    agent.wait_for_url(f"{url}/admin")
    agent.goto(f"{url}/admin/chat")
    return context, agent


def test_a_guest_chats_with_an_advisor_and_the_transcript_is_stored_on_the_ticket(db, live_server, page, browser,
                                                                                 artifacts):
    _shop_with_an_advisor(db)
    context, agent = _advisor_console(browser, live_server.url)
    try:
        page.goto(f"{live_server.url}/chat")
        page.fill("#chat-name", "Anna <script>")
        page.fill("#chat-email", "anna@shop.example.com")
        page.fill("#chat-first", "Which serum suits dry skin?")
        page.click("#chat-start button[type=submit]")
        page.wait_for_selector("#chat-log li[data-author=visitor]")

        agent.click("#console-queue .chat-take:has-text('Anna <script>')")
        agent.wait_for_selector("#console-log li[data-author=visitor]:has-text('Which serum suits dry skin?')")
        page.wait_for_selector("#chat-status[data-status=active]")
        agent.type("#console-text", "Try Serum Glow")
        page.wait_for_selector("#chat-typing:not([hidden])")
        typing = page.inner_text("#chat-typing")
        agent.click("#console-send button[type=submit]")
        page.wait_for_selector("#chat-log li[data-author=agent]:has-text('Try Serum Glow')")
        agent.fill("#console-sku", "SERUM-GLOW-30")
        agent.click("#console-card button[type=submit]")
        card = page.wait_for_selector("#chat-log a.chat-card")
        page.fill("#chat-text", "Thank you!")
        page.click("#chat-send button[type=submit]")
        agent.wait_for_selector("#console-log li[data-author=visitor]:has-text('Thank you!')")
        page.screenshot(path=str(artifacts / "chat-guest.png"), full_page=True)
        agent.screenshot(path=str(artifacts / "chat-advisor.png"), full_page=True)
        agent.click("#console-close")
        ticket_id = agent.wait_for_selector("#console-ticket[data-ticket]").get_attribute("data-ticket")
        page.wait_for_selector("#chat-status[data-status=closed]")
        actions = agent.request.get(f"{live_server.url}/api/v1/tickets/{ticket_id}/actions")
        status, logged = actions.status, actions.json()
        card_text, card_link = card.inner_text(), card.get_attribute("href")
        guest_name_shown = agent.inner_text("#console-title")
    finally:
        context.close()

    transcript = [a["body"] for a in logged if a["kind"] == "chat_transcript"]
    assert "typing" in typing
    assert "Serum Glow" in card_text and ("29.99" in card_text or "29,99" in card_text)
    assert card_link.startswith("/p/") and card_link.endswith("variant=SERUM-GLOW-30")
    assert guest_name_shown == "Anna <script>"
    assert status == 200 and len(transcript) == 1
    assert "Anna <script> (visitor): Which serum suits dry skin?" in transcript[0]
    assert "Olivia (advisor): Try Serum Glow" in transcript[0]
    assert "Serum Glow" in transcript[0].split("Try Serum Glow", 1)[1]
    assert transcript[0].index("Try Serum Glow") < transcript[0].index("Thank you!")
