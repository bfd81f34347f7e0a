"""`omniretail marketing send-test` and `log`, and the demo's notifications."""

from __future__ import annotations

from typer.testing import CliRunner

from omniretail.cli import app
from omniretail.customers import service as customers_service
from omniretail.marketing import demo, service

runner = CliRunner()


def test_send_test_delivers_a_template_to_an_address_at_once(env, smtp, monkeypatch):
    monkeypatch.setenv("OMNIRETAIL_SMTP_PORT", str(smtp.port))
    from omniretail import config

    config.get_settings.cache_clear()

    result = runner.invoke(app, ["marketing", "send-test", "--to", "lina@shop.example.com", "--template",
                                 "points_expiring", "--locale", "ru"])

    assert result.exit_code == 0, result.output
    assert "sent" in result.output
    assert smtp.wait_for("lina@shop.example.com")["Subject"] == "Ваши 1200 баллов сгорят 2026-12-31"


def test_send_test_names_an_unknown_template(env):
    result = runner.invoke(app, ["marketing", "send-test", "--to", "lina@shop.example.com", "--template", "nope"])

    assert result.exit_code == 2
    assert "template" in result.output


def test_log_prints_a_customers_notifications(env):
    with env.transaction() as session:
        anna = customers_service.create_profile(session=session, actor="test", source="staff", given_name="Anna",
                                                email="anna@shop.example.com").id
        service.notify(session=session, customer_id=anna, template="newsletter", locale="en", purpose="marketing",
                       context={"headline": "Winter", "body": "New", "link": "/w"}, ref="news:1")

    result = runner.invoke(app, ["marketing", "log", "--customer", str(anna), "--json"])

    assert result.exit_code == 0, result.output
    assert '"status": "suppressed"' in result.output and "no email marketing consent" in result.output


def test_the_demo_queues_a_couple_of_messages(db):
    with db.transaction() as session:
        demo.load(session)

    with db.transaction(read_only=True) as session:
        rows, total = service.search(session=session, where=service.LogFilter(), locations=None, offset=0, limit=10)
    assert total == 2 and {r.status for r in rows} == {"queued"}
