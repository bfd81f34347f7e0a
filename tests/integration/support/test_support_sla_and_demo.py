"""SLA targets follow the customer's loyalty tier and the team's Riga calendar; escalation without a next team
stays in the queue; the demo loads quickly; the CLI prints the queue."""

from __future__ import annotations

import time as timer
from datetime import UTC, date, datetime, timedelta

from typer.testing import CliRunner

from omniretail import cli
from omniretail.customers import service as customers_service
from omniretail.kernel import clock
from omniretail.support import admin, demo, sla
from omniretail.support import queries as support_queries
from omniretail.support import service as support_service

FRIDAY_17_RIGA = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def _riga_team(session):
    return admin.create_team(session=session, code="care", name="Customer care Riga", timezone="Europe/Riga",
                             holidays=[date(2026, 11, 23)], is_default=True)


def test_a_gold_member_gets_the_gold_targets_counted_in_riga_business_hours(db):
    clock.freeze(FRIDAY_17_RIGA)
    with db.transaction() as session:
        _riga_team(session)
        admin.create_policy(session=session, name="Normal", priority="normal", first_response_minutes=480,
                            resolution_minutes=1440)
        admin.create_policy(session=session, name="Gold", tier="gold", first_response_minutes=60,
                            resolution_minutes=240)
        gold = customers_service.create_profile(session=session, actor="test", source="pos", given_name="Ilze",
                                                email="ilze@shop.example.com")
        customers_service.set_tier(session=session, customer_id=gold.id, tier="gold")
        plain = customers_service.create_profile(session=session, actor="test", source="pos", given_name="Jānis",
                                                 email="janis@shop.example.com")

        vip = support_service.open_ticket(session=session, channel="phone", subject="Tonālais krēms",
                                          body=None, actor="staff:test", customer_id=gold.id)
        other = support_service.open_ticket(session=session, channel="phone", subject="Tonālais krēms",
                                            body=None, actor="staff:test", customer_id=plain.id)

        assert (vip.tier, vip.resolution_minutes, other.resolution_minutes) == ("gold", 240, 1440)
        # Friday 17:00 Riga, one hour left; Monday 23 November is a holiday: due Tuesday 12:00 Riga.
        assert vip.first_response_due_at == datetime(2026, 11, 20, 16, 0, tzinfo=UTC)
        assert vip.resolution_due_at == datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
        assert vip.email == "ilze@shop.example.com"


def test_a_breach_without_a_next_team_escalates_in_place_and_the_clock_restarts(db):
    clock.freeze(FRIDAY_17_RIGA)
    with db.transaction() as session:
        team = _riga_team(session)
        ticket = support_service.open_ticket(session=session, channel="web", subject="Dāvanu karte", body=None,
                                             actor="customer:liga@shop.example.com", priority="urgent")
        ticket_id = ticket.id

    clock.freeze(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    counts = sla.watch(db)

    with db.transaction(read_only=True) as session:
        ticket = support_service.get_ticket(session=session, ticket_id=ticket_id)
        assert counts == {"warned": 0, "escalated": 1}
        assert (ticket.level, ticket.priority, ticket.team_id) == (2, "urgent", team.id)
        assert ticket.resolution_due_at > clock.now() and ticket.breached_at is not None
        assert ticket.first_response_due_at == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


def test_the_demo_loads_fifteen_tickets_in_five_languages_quickly(db):
    with db.transaction() as session:
        started = timer.perf_counter()
        demo.load(session)
        took = timer.perf_counter() - started

    with db.transaction(read_only=True) as session:
        tickets = support_queries.list_tickets(session=session, limit=100).items
        assert len(tickets) == 15 and {t.locale for t in tickets} == {"en", "ru", "pl", "lv", "zh"}
        assert {t.status for t in tickets} == {"open", "waiting_customer", "resolved", "closed"}
        assert len(admin.list_canned(session=session, locale="zh")) == 2
    assert took < 1.5


def test_the_cli_prints_the_queue_and_runs_the_sla_watch(env):
    with env.transaction() as session:
        support_service.open_ticket(session=session, channel="phone", subject="Wrong shade of LIP-VELVET-07",
                                    body=None, actor="staff:test")
    clock.advance(timedelta(days=30))

    listed = CliRunner().invoke(cli.app, ["support", "tickets"])
    watched = CliRunner().invoke(cli.app, ["support", "sla-watch"])

    assert listed.exit_code == 0 and "T-000001" in listed.output
    assert watched.exit_code == 0 and "escalated 1" in watched.output
