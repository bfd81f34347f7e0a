# ruff: noqa: RUF001
"""Tickets nobody has to open: a one-star review, a late shipment or dispatch and a failed installment, each
delivered through the outbox, each exactly once; callback reminders; chat transcripts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from omniretail.fulfillment.events import OrderDispatchLate, ShipmentDelayed
from omniretail.kernel import clock
from omniretail.kernel.outbox import record
from omniretail.payments.events import InstallmentFailed
from omniretail.reviews.events import ReviewNeedsCallback
from omniretail.support import service as support_service
from omniretail.support.models import Callback, Ticket


def _review(review_id, order_id, rating=1, sentiment=-0.8):
    return ReviewNeedsCallback(review_id=review_id, product_id=uuid.uuid4(), customer_id=None, order_id=order_id,
                               rating=rating, sentiment=sentiment, locale="pl", title="Szminka się kruszy",
                               body="LIP-VELVET-07 rozpadła się po tygodniu.")


def test_a_one_star_review_opens_a_24_hour_callback_ticket_once(db, dispatcher):
    clock.freeze(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    review_id, order_id = uuid.uuid4(), uuid.uuid4()
    with db.transaction() as session:
        record(session, _review(review_id, order_id))
        record(session, _review(review_id, order_id))

    dispatcher.drain()

    with db.transaction(read_only=True) as session:
        tickets = list(session.scalars(select(Ticket).where(Ticket.review_id == review_id)))
        assert len(tickets) == 1
        ticket = tickets[0]
        assert (ticket.order_id, ticket.category, ticket.priority, ticket.locale) == (order_id, "review", "high", "pl")
        assert "24 hours" in ticket.subject
        callbacks = support_service.callbacks_of(session=session, ticket_id=ticket.id)
        assert [c.due_at for c in callbacks] == [datetime(2026, 11, 24, 9, 0, tzinfo=UTC)]
        kinds = [a.kind for a in support_service.actions_of(session=session, ticket_id=ticket.id)]
        assert kinds == ["created", "callback_scheduled"]


def test_a_three_star_neutral_review_opens_nothing(db, dispatcher):
    with db.transaction() as session:
        record(session, _review(uuid.uuid4(), None, rating=3, sentiment=0.1))

    dispatcher.drain()

    with db.transaction(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(Ticket)) == 0


def test_callback_reminders_are_logged_once_shortly_before_the_call(db, dispatcher):
    clock.freeze(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
    with db.transaction() as session:
        record(session, _review(uuid.uuid4(), uuid.uuid4()))
    dispatcher.drain()

    clock.advance(timedelta(hours=23, minutes=50))
    dispatcher.run_jobs()
    clock.advance(timedelta(minutes=5))
    dispatcher.run_jobs()

    with db.transaction(read_only=True) as session:
        ticket = session.scalars(select(Ticket)).one()
        kinds = [a.kind for a in support_service.actions_of(session=session, ticket_id=ticket.id)]
        assert kinds.count("callback_reminder") == 1
        assert session.scalars(select(Callback)).one().reminded_at is not None


def test_a_late_shipment_and_a_late_dispatch_of_one_order_share_one_ticket(db, dispatcher):
    order_id, shipment_id = uuid.uuid4(), uuid.uuid4()
    expected = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    with db.transaction() as session:
        record(session, OrderDispatchLate(order_id=order_id, order_number="W-000321", location_id=None,
                                          due_at=expected))
        record(session, ShipmentDelayed(shipment_id=shipment_id, order_id=order_id, order_number="W-000321",
                                        status="in_transit", expected_by=expected, reason="carrier backlog"))
        record(session, ShipmentDelayed(shipment_id=shipment_id, order_id=order_id, order_number="W-000321",
                                        status="in_transit", expected_by=expected, reason="carrier backlog"))

    dispatcher.drain()

    with db.transaction(read_only=True) as session:
        ticket = session.scalars(select(Ticket).where(Ticket.order_id == order_id)).one()
        kinds = [a.kind for a in support_service.actions_of(session=session, ticket_id=ticket.id)]
        assert (ticket.category, ticket.channel) == ("delivery", "system")
        assert kinds == ["created", "event"]


def test_a_failed_installment_opens_a_payment_ticket_and_a_final_failure_is_appended(db, dispatcher):
    order_id, installment_id = uuid.uuid4(), uuid.uuid4()
    with db.transaction() as session:
        for attempt, final in ((1, False), (2, True)):
            record(session, InstallmentFailed(order_id=order_id, installment_id=installment_id, amount_minor=2500,
                                              currency="EUR", reason="insufficient funds", attempt=attempt,
                                              final=final))

    dispatcher.drain()

    with db.transaction(read_only=True) as session:
        ticket = session.scalars(select(Ticket).where(Ticket.order_id == order_id)).one()
        actions = support_service.actions_of(session=session, ticket_id=ticket.id)
        assert ticket.category == "payment"
        assert [a.kind for a in actions] == ["created", "event"] and "final" in (actions[1].body or "")


def test_a_chat_is_filed_on_one_ticket_however_often_it_is_recorded(db):
    chat_id, at = uuid.uuid4(), datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    with db.transaction() as session:
        first = support_service.record_chat(session=session, chat_id=chat_id, customer_id=None, name="Wang Fang",
                                            email="wang.fang@shop.example.com", locale="zh",
                                            transcript=[(at, "Wang Fang", "我的订单在哪里？")], agent_staff_id=None)
    with db.transaction() as session:
        second = support_service.record_chat(session=session, chat_id=chat_id, customer_id=None, name="Wang Fang",
                                             email="wang.fang@shop.example.com", locale="zh",
                                             transcript=[(at, "agent", "明天到。")], agent_staff_id=uuid.uuid4())

    with db.transaction(read_only=True) as session:
        ticket = support_service.get_ticket(session=session, ticket_id=first)
        transcripts = [a for a in support_service.actions_of(session=session, ticket_id=first)
                       if a.kind == "chat_transcript"]
        assert first == second and ticket.channel == "chat" and ticket.locale == "zh"
        assert [t.data["lines"][0]["text"] for t in transcripts] == ["我的订单在哪里？", "明天到。"]
        assert ticket.assignee_id is not None
