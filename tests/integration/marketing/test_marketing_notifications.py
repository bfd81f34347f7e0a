"""Notifications end to end: queued in the caller's transaction, sent after commit through a real SMTP server and
a real HTTP provider, with consent, quiet hours, retries and a delivery log."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from omniretail.customers import privacy
from omniretail.customers import service as customers_service
from omniretail.kernel import clock
from omniretail.kernel.outbox import OutboxEvent
from omniretail.marketing import service
from omniretail.marketing.exceptions import InvalidNotification
from omniretail.marketing.models import Notification

STOCK = {"product": "Velvet Lipstick 07", "link": "/products/LIP-VELVET-07"}


def _customer(db, *, email="anna@shop.example.com", phone="+37120000001", consents=None, language="lv"):
    with db.transaction() as session:
        profile = customers_service.create_profile(session=session, actor="test", source="staff", given_name="Anna",
                                                   family_name="Bērziņa", email=email, phone=phone,
                                                   consents=consents or {}, language=language)
        return profile.id


def _notify(db, **kw):
    values = {"template": "back_in_stock", "locale": None, "context": STOCK, "purpose": "service",
              "ref": f"stock:{uuid.uuid4()}", **kw}
    with db.transaction() as session:
        return service.notify(session=session, **values)


def _row(db, notification_id):
    with db.transaction(read_only=True) as session:
        return session.get(Notification, notification_id)


def test_a_service_email_is_sent_after_commit_in_the_customers_language_and_the_brands_look(db, dispatcher, smtp):
    anna = _customer(db)

    [queued] = _notify(db, customer_id=anna)
    assert _row(db, queued).status == "queued"
    dispatcher.drain()

    mail = smtp.wait_for("anna@shop.example.com")
    assert mail["Subject"] == "Velvet Lipstick 07 atkal ir pieejams"
    assert "Labdien, Anna Bērziņa!" in smtp.body(mail)
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "#b0305a" in html and "http://testserver/products/LIP-VELVET-07" in html
    row = _row(db, queued)
    assert (row.status, row.locale, row.subject) == ("sent", "lv", "Velvet Lipstick 07 atkal ir pieejams")


def test_html_from_the_callers_context_is_escaped_in_the_email(db, dispatcher, smtp):
    _notify(db, customer_id=None, email="eve@shop.example.com", locale="en",
            context={"product": "<script>alert(1)</script>", "link": "/p"})

    dispatcher.drain()

    html = smtp.wait_for("eve@shop.example.com").get_body(preferencelist=("html",)).get_content()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_the_same_ref_is_sent_once(db, dispatcher, smtp):
    anna = _customer(db)

    first = _notify(db, customer_id=anna, ref="restock:LIP-VELVET-07:anna")
    again = _notify(db, customer_id=anna, ref="restock:LIP-VELVET-07:anna")
    dispatcher.drain()

    assert first == again
    assert len([m for m in smtp.messages if "anna@shop.example.com" in str(m["To"])]) == 1


def test_marketing_without_consent_is_suppressed_and_never_sent(db, dispatcher, smtp, provider, sms_dispatcher):
    anna = _customer(db, consents={"email": True, "sms": False})

    email_id, sms_id = _notify(db, customer_id=anna, template="newsletter", purpose="marketing",
                               channels=("email", "sms"),
                               context={"headline": "Winter colours", "body": "New shades", "link": "/winter"})
    sms_dispatcher.drain()

    assert _row(db, sms_id).status == "suppressed"
    assert _row(db, sms_id).reason == "no sms marketing consent"
    assert _row(db, email_id).status == "sent"
    assert provider.bodies == []


def test_a_withdrawn_consent_stops_a_message_still_waiting(db, dispatcher, smtp):
    anna = _customer(db, consents={"email": True})
    [queued] = _notify(db, customer_id=anna, purpose="marketing")

    with db.transaction() as session:
        customers_service.record_consent(session=session, profile=customers_service.get_profile(
            session=session, customer_id=anna), channel="email", granted=False, source="web", actor="anna")
    dispatcher.drain()

    assert (_row(db, queued).status, _row(db, queued).reason) == ("suppressed", "no email marketing consent")


def test_nothing_reaches_an_erased_customer_not_even_service_messages(db, dispatcher, smtp):
    anna = _customer(db)
    with db.transaction() as session:
        privacy.erase(session=session, customer_id=anna, actor="staff:dpo@shop.example.com")
    dispatcher.drain()

    [queued] = _notify(db, customer_id=anna, email="anna@shop.example.com")

    row = _row(db, queued)
    assert (row.status, row.reason, row.recipient) == ("suppressed", "customer erased", None)


def test_an_sms_goes_through_the_http_provider_with_its_auth_header(db, sms_dispatcher, provider):
    anna = _customer(db)

    [queued] = _notify(db, customer_id=anna, channels=("sms",), locale="en")
    sms_dispatcher.drain()

    headers, body = provider.requests[0]
    assert headers["Authorization"] == "Bearer sms-key-1"
    assert body == {"to": "+37120000001", "reference": str(queued),
                    "text": "omniretail: Velvet Lipstick 07 is back in stock. http://testserver/products/LIP-VELVET-07"}
    row = _row(db, queued)
    assert (row.status, row.provider, row.provider_message_id) == ("sent", "sms", "msg-1")


def test_a_provider_that_fails_first_is_retried_by_the_outbox_with_backoff(db, sms_dispatcher, provider):
    anna = _customer(db)
    provider.script = [(503, {"error": "busy"})]

    [queued] = _notify(db, customer_id=anna, channels=("sms",))
    sms_dispatcher.drain()
    assert _row(db, queued).status == "queued"
    clock.advance(timedelta(seconds=3))
    sms_dispatcher.drain()

    row = _row(db, queued)
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(provider.requests) == 2


def test_a_provider_that_keeps_failing_marks_the_message_failed_after_the_last_attempt(db, sms_dispatcher, provider):
    anna = _customer(db)
    provider.script = [(500, {"error": "down"})] * 3

    [queued] = _notify(db, customer_id=anna, channels=("sms",))
    for _ in range(3):
        sms_dispatcher.drain()
        clock.advance(timedelta(minutes=1))

    row = _row(db, queued)
    assert row.status == "failed" and row.reason.startswith("gave up after 3 attempts")


def test_a_permanent_4xx_fails_at_once_with_the_providers_reason(db, sms_dispatcher, provider):
    anna = _customer(db)
    provider.script = [(400, {"error": "invalid number"})]

    [queued] = _notify(db, customer_id=anna, channels=("sms",))
    sms_dispatcher.drain()

    row = _row(db, queued)
    assert row.status == "failed"
    assert "HTTP 400" in row.reason and "invalid number" in row.reason
    assert len(provider.requests) == 1


def test_a_marketing_sms_at_night_waits_for_the_morning_in_riga(db, sms_dispatcher, provider):
    clock.freeze(datetime(2026, 11, 23, 21, 30, tzinfo=UTC))  # 23:30 in Riga
    anna = _customer(db, consents={"sms": True})

    [queued] = _notify(db, customer_id=anna, channels=("sms",), purpose="marketing")
    sms_dispatcher.drain()
    sms_dispatcher.run_jobs()
    held = _row(db, queued)
    assert held.status == "queued" and provider.bodies == []
    assert held.available_at == datetime(2026, 11, 24, 6, 0, tzinfo=UTC)  # 08:00 in Riga

    clock.freeze(datetime(2026, 11, 24, 6, 1, tzinfo=UTC))
    sms_dispatcher.run_jobs()
    sms_dispatcher.drain()

    assert _row(db, queued).status == "sent"
    assert len(provider.bodies) == 1


def test_a_service_sms_at_night_is_not_held(db, sms_dispatcher, provider):
    clock.freeze(datetime(2026, 11, 23, 21, 30, tzinfo=UTC))
    anna = _customer(db)

    [queued] = _notify(db, customer_id=anna, channels=("sms",))
    sms_dispatcher.drain()

    assert _row(db, queued).status == "sent"


def test_no_configured_provider_fails_the_message_with_that_reason(db, dispatcher):
    anna = _customer(db)

    [queued] = _notify(db, customer_id=anna, channels=("push",))
    dispatcher.drain()

    assert (_row(db, queued).status, _row(db, queued).reason) == ("failed", "no push provider is configured")


def test_a_template_that_lacks_a_value_is_refused_when_queued(db):
    with pytest.raises(InvalidNotification) as caught:
        _notify(db, customer_id=None, email="anna@shop.example.com", context={"product": "Velvet Lipstick 07"})

    assert caught.value.errors[0].loc == ("context",)
    assert "link" in caught.value.errors[0].msg
    with db.transaction(read_only=True) as session:
        assert session.scalars(select(Notification)).all() == []
        assert session.scalars(select(OutboxEvent).where(OutboxEvent.event_type.like("marketing.%"))).all() == []


def test_a_signed_delivery_report_marks_the_sms_delivered(db, sms_dispatcher, provider):
    anna = _customer(db)
    [queued] = _notify(db, customer_id=anna, channels=("sms",))
    sms_dispatcher.drain()
    body = b'{"message_id": "msg-1", "status": "delivered"}'

    with db.transaction() as session:
        service.delivery_report(session=session, provider="sms", body=body,
                                signed=service.signature("hook-secret", body), secret="hook-secret")

    assert _row(db, queued).status == "delivered"
