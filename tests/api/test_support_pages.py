"""Back-office support pages: the queue with SLA clocks and CSV, a ticket page whose forms act on the ticket, and
the customer's survey page."""

from __future__ import annotations

import re
import uuid

from omniretail.identity.rules import Grant, Role
from omniretail.support import service as support_service


def _ticket(agent, **extra):
    made = agent.post("/api/v1/tickets", json={"channel": "phone", "subject": "Sukienka za mała",
                                               "email": "ola@shop.example.com", "locale": "pl", **extra})
    assert made.status_code == 201, made.text
    return made.json()


def test_the_queue_lists_tickets_with_clocks_filters_and_exports_csv(client, sign_in):
    agent = sign_in("agent@shop.example.com", Grant(Role.SUPPORT_AGENT))
    ticket = _ticket(agent)
    _ticket(agent, subject="Gift card balance", priority="low")

    page = client.get("/admin/support")
    filtered = client.get("/admin/support", params={"priority": "low"})
    csv = client.get("/admin/support", params={"format": "csv"})

    assert page.status_code == 200 and ticket["number"] in page.text and "sla-ok" in page.text
    assert "Gift card balance" in filtered.text and ticket["number"] not in filtered.text
    assert csv.headers["content-type"].startswith("text/csv") and csv.text.count("\n") == 3


def test_the_ticket_page_shows_the_log_and_its_forms_reply_and_close(client, sign_in, smtp, dispatcher):
    agent = sign_in("agent@shop.example.com", Grant(Role.SUPPORT_AGENT))
    ticket = _ticket(agent)
    url = f"/admin/support/{ticket['id']}"
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get(url).text).group(1)

    replied = client.post(f"{url}/actions", data={"csrf_token": csrf, "kind": "reply", "body": "Wymienimy na M."},
                          follow_redirects=False)
    closed = client.post(f"{url}/actions", data={"csrf_token": csrf, "kind": "status", "status": "closed"},
                         follow_redirects=False)
    refused = client.post(f"{url}/actions", data={"csrf_token": csrf, "kind": "note", "body": "late"},
                          follow_redirects=False)
    forged = client.post(f"{url}/actions", data={"csrf_token": "x" * 30, "kind": "note", "body": "x"})
    dispatcher.drain()

    assert replied.status_code == 303 and closed.status_code == 303
    assert "error=" in refused.headers["location"] and forged.status_code == 403
    shown = client.get(url).text
    assert "Wymienimy na M." in shown and 'id="ticket-status">closed' in shown
    assert "Wymienimy na M." in smtp.body(smtp.wait_for("ola@shop.example.com"))


def test_pages_need_a_signed_in_agent(client, sign_in):
    anonymous = client.get("/admin/support", follow_redirects=False)
    sign_in("cashier@shop.example.com", Grant(Role.CASHIER))
    cashier = client.get("/admin/support", follow_redirects=False)

    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/admin/login")
    assert cashier.status_code == 403


def test_the_customer_rates_a_resolved_ticket_on_the_survey_page(client, db, sign_in, smtp, dispatcher):
    agent = sign_in("agent@shop.example.com", Grant(Role.SUPPORT_AGENT))
    ticket = _ticket(agent)
    agent.post(f"/api/v1/tickets/{ticket['id']}/actions", json={"kind": "status", "status": "resolved"})
    dispatcher.drain()
    link = re.search(r"http://testserver(\S+)", smtp.body(smtp.wait_for("ola@shop.example.com"))).group(1)
    client.cookies.clear()

    survey = client.get(link)
    csrf = client.cookies.get("or_csrf") or re.search(r'name="csrf_token" value="([^"]+)"', survey.text).group(1)
    token = re.search(r'name="token" value="([^"]+)"', survey.text).group(1)
    rated = client.post(link.split("?")[0], data={"csrf_token": csrf, "token": token, "score": "4"})

    assert survey.status_code == 200 and "Jak nam poszło?" in survey.text
    assert rated.status_code == 200 and 'id="csat-thanks"' in rated.text
    with db.transaction(read_only=True) as session:
        assert support_service.get_ticket(session=session, ticket_id=uuid.UUID(ticket["id"])).csat_score == 4
