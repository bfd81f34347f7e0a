# ruff: noqa: RUF001
"""Support tickets over HTTP: a Russian e-mail becomes a ticket, is answered by e-mail, waits, escalates on breach,
closes and is rated; the log shows every step."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from omniretail.identity.rules import Grant, Role
from omniretail.kernel import clock
from omniretail.support import mailing

MONDAY_10_RIGA = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def _inbound(client, settings, payload, signature=None):
    raw = json.dumps(payload).encode()
    sig = signature or mailing.inbound_signature(settings.effective_secret_key(), raw)
    return client.post("/api/v1/tickets/inbound-email", content=raw,
                       headers={"content-type": "application/json", "x-signature": sig})


def _set_up_riga_teams(agent):
    second = agent.post("/api/v1/support/teams", json={
        "code": "care-2", "name": "Care, second line", "timezone": "Europe/Riga"})
    assert second.status_code == 201, second.text
    first = agent.post("/api/v1/support/teams", json={
        "code": "care", "name": "Customer care", "timezone": "Europe/Riga", "weekdays": [0, 1, 2, 3, 4],
        "day_start": "09:00", "day_end": "18:00", "holidays": ["2026-11-18"], "is_default": True,
        "escalation_team_id": second.json()["id"]})
    assert first.status_code == 201, first.text
    policy = agent.post("/api/v1/sla-policies", json={
        "name": "Normal", "priority": "normal", "first_response_minutes": 60, "resolution_minutes": 240,
        "warn_before_minutes": 30})
    assert policy.status_code == 201, policy.text
    return first.json()["id"], second.json()["id"]


def test_a_russian_email_is_answered_paused_escalated_closed_and_rated(client, settings, sign_in, smtp, dispatcher):
    clock.freeze(MONDAY_10_RIGA)
    agent = sign_in("agent@shop.example.com", Grant(Role.SUPPORT_AGENT))
    care, second_line = _set_up_riga_teams(agent)

    created = _inbound(client, settings, {
        "from": "Иван Петров <ivan.petrov@shop.example.com>", "subject": "Где мой заказ W-000123?",
        "text": "Здравствуйте! Заказ не пришёл уже неделю.", "message_id": "<m1@shop.example.com>"})
    assert created.status_code == 201, created.text
    ticket_id = created.json()["ticket_id"]
    number = created.json()["number"]
    ticket = agent.get(f"/api/v1/tickets/{ticket_id}").json()
    assert (ticket["locale"], ticket["channel"], ticket["team_id"], ticket["name"]) == \
        ("ru", "email", care, "Иван Петров")
    assert ticket["clocks"]["resolution"]["due_at"].startswith("2026-11-23T12:00")

    again = _inbound(client, settings, {"from": "ivan.petrov@shop.example.com", "subject": "Где мой заказ W-000123?",
                                        "text": "...", "message_id": "<m1@shop.example.com>"})
    assert again.status_code == 200 and again.json()["ticket_id"] == ticket_id

    reply = agent.post(f"/api/v1/tickets/{ticket_id}/actions", json={
        "kind": "reply", "body": "Ваш заказ передан курьеру, он будет у вас завтра.", "wait_for_customer": True})
    assert reply.status_code == 201, reply.text
    dispatcher.drain()
    mail = smtp.wait_for("ivan.petrov@shop.example.com")
    assert number in str(mail["Subject"]) and "ваше обращение" in str(mail["Subject"])
    assert "передан курьеру" in smtp.body(mail) and "Здравствуйте, Иван Петров" in smtp.body(mail)
    waiting = agent.get(f"/api/v1/tickets/{ticket_id}").json()
    assert waiting["status"] == "waiting_customer" and waiting["paused"] is True
    assert waiting["clocks"]["resolution"]["state"] == "paused"

    clock.advance(timedelta(days=1))
    dispatcher.run_jobs()
    assert agent.get(f"/api/v1/tickets/{ticket_id}").json()["level"] == 1

    answer = _inbound(client, settings, {"from": "ivan.petrov@shop.example.com", "subject": f"Re: {number}",
                                         "text": "Спасибо, жду.", "message_id": "<m2@shop.example.com>"})
    assert answer.status_code == 200 and answer.json()["created"] is False
    resumed = agent.get(f"/api/v1/tickets/{ticket_id}").json()
    assert resumed["status"] == "open" and resumed["paused"] is False
    assert resumed["clocks"]["resolution"]["due_at"].startswith("2026-11-24T12:00")

    clock.advance(timedelta(hours=3, minutes=35))
    dispatcher.run_jobs()
    clock.advance(timedelta(minutes=30))
    dispatcher.run_jobs()
    escalated = agent.get(f"/api/v1/tickets/{ticket_id}").json()
    assert (escalated["level"], escalated["team_id"], escalated["priority"]) == (2, second_line, "high")
    assert agent.get("/api/v1/tickets", params={"queue": second_line}).json()["items"][0]["id"] == ticket_id

    for status in ("resolved", "closed"):
        moved = agent.post(f"/api/v1/tickets/{ticket_id}/actions", json={"kind": "status", "status": status})
        assert moved.status_code == 201, moved.text
    dispatcher.drain()
    survey = next(m for m in smtp.messages if "решено" in str(m["Subject"]))
    token = re.search(r"token=([\w=-]+)", smtp.body(survey)).group(1)
    wrong = client.post(f"/api/v1/tickets/{ticket_id}/csat", json={"token": "x" * 24, "score": 1})
    rated = client.post(f"/api/v1/tickets/{ticket_id}/csat", json={"token": token, "score": 5, "comment": "Быстро"})
    twice = client.post(f"/api/v1/tickets/{ticket_id}/csat", json={"token": token, "score": 1})

    assert wrong.status_code == 403 and rated.status_code == 200 and twice.status_code == 409
    log = agent.get(f"/api/v1/tickets/{ticket_id}/actions").json()
    steps = [(a["kind"], a["data"].get("to") if a["kind"] == "status" else None) for a in log]
    assert steps == [("created", None), ("reply", None), ("status", "waiting_customer"),
                     ("customer_message", None), ("status", "open"), ("sla_warning", None), ("escalate", None),
                     ("status", "resolved"), ("status", "closed"), ("csat", None)]
    actors = {a["kind"]: a["actor"] for a in log}
    assert actors["reply"] == "staff:agent@shop.example.com" and actors["escalate"] == "system:sla"
    assert actors["customer_message"] == "customer:ivan.petrov@shop.example.com"
    assert [a["at"][:16] for a in log][:2] == ["2026-11-23T08:00"] * 2
    assert log[6]["at"].startswith("2026-11-24T12:05")


def test_an_unsigned_or_forged_inbound_email_is_refused(client, settings):
    payload = {"from": "ola@shop.example.com", "subject": "Zamówienie", "text": "Dzień dobry"}

    forged = _inbound(client, settings, payload, signature="sha256=" + "0" * 64)
    unsigned = client.post("/api/v1/tickets/inbound-email", json=payload)
    bad_sender = _inbound(client, settings, {**payload, "from": "not an address"})

    assert forged.status_code == 401 and unsigned.status_code == 401
    assert forged.headers["content-type"].startswith("application/problem+json")
    assert bad_sender.status_code == 422 and bad_sender.json()["errors"][0]["loc"] == ["body", "from"]


def test_store_agents_see_only_their_stores_tickets(client, sign_in, db):
    from omniretail.inventory import service as inventory_service

    with db.transaction() as session:
        riga, tallinn = (inventory_service.create_location(
            session=session, actor=None, code=code, name=name, kind="store", city=name, country=country,
            latitude=lat, longitude=lon, timezone=zone).id for code, name, country, lat, lon, zone in (
            ("RIGA-CENTRS", "Rīga", "LV", 56.95, 24.11, "Europe/Riga"),
            ("TALLINN-1", "Tallinn", "EE", 59.44, 24.75, "Europe/Tallinn")))
    owner = sign_in("owner@shop.example.com")
    for place, subject in ((riga, "Broken zip"), (tallinn, "Wrong size")):
        made = owner.post("/api/v1/tickets", json={"channel": "store", "subject": subject, "location_id": str(place),
                                                   "email": "anna@shop.example.com"})
        assert made.status_code == 201, made.text
    other = owner.post("/api/v1/tickets", json={"channel": "phone", "subject": "Invoice"}).json()

    clerk = sign_in("riga@shop.example.com", Grant(Role.SUPPORT_AGENT, riga))
    seen = clerk.get("/api/v1/tickets").json()["items"]
    hidden = clerk.get(f"/api/v1/tickets/{other['id']}")
    refused = clerk.post("/api/v1/tickets", json={"channel": "store", "subject": "x", "location_id": str(tallinn)})

    assert [t["subject"] for t in seen] == ["Broken zip"]
    assert hidden.status_code == 404 and refused.status_code == 403


def test_a_guest_opens_a_ticket_from_the_web_form_and_bad_input_gets_field_errors(client, sign_in):
    made = client.post("/api/v1/me/tickets", json={"subject": "Dāvanu karte", "body": "Kā izmantot karti?",
                                                   "email": "liga@shop.example.com", "locale": "lv"})
    no_email = client.post("/api/v1/me/tickets", json={"subject": "x", "body": "y"})
    agent = sign_in("agent@shop.example.com", Grant(Role.SUPPORT_AGENT))
    no_body = agent.post(f"/api/v1/tickets/{made.json()['id']}/actions", json={"kind": "note"})
    bad_policy = agent.post("/api/v1/sla-policies", json={"name": "x", "first_response_minutes": 0,
                                                          "resolution_minutes": 10})
    bad_calendar = agent.post("/api/v1/support/teams", json={"code": "x", "name": "X", "timezone": "Mars/Olympus"})

    assert made.status_code == 201 and made.json()["status"] == "open"
    assert no_email.status_code == 422 and no_email.json()["errors"][0]["loc"] == ["body", "email"]
    assert no_body.status_code == 422 and no_body.json()["errors"][0]["loc"] == ["body", "body"]
    assert bad_policy.status_code == 422 and bad_calendar.status_code == 422
    assert agent.get("/api/v1/tickets", params={"status": "open"}).json()["items"][0]["locale"] == "lv"
