"""Support: reactions to events (a poor review, a late shipment or dispatch, a failed installment open or extend a
ticket; customer e-mails go out after commit), and periodic jobs (the SLA watch, callback reminders).

Every handler is idempotent: the outbox runs it once per event, and the tickets it opens carry a source key
(``review:<id>``, ``shipment-delay:<id>`` ...) so a second event about the same thing does not open a second one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from omniretail.fulfillment.events import OrderDispatchLate, ShipmentDelayed
from omniretail.kernel.db import Database
from omniretail.kernel.events import Event
from omniretail.kernel.jobs import Job
from omniretail.kernel.outbox import Handler, HandlerContext
from omniretail.payments.events import InstallmentFailed
from omniretail.reviews.events import ReviewNeedsCallback
from omniretail.support import mailing, sla
from omniretail.support import service as support_service
from omniretail.support.events import SupportMailQueued


def callback_on_poor_review(ctx: HandlerContext, event: ReviewNeedsCallback) -> None:
    """A review rated 2 or less, or negative, opens "call the customer back within 24 hours" (once per review)."""
    support_service.open_review_callback(session=ctx.session, review_id=event.review_id,
                                         customer_id=event.customer_id, order_id=event.order_id,
                                         rating=event.rating, sentiment=event.sentiment, locale=event.locale,
                                         title=event.title, body=event.body)


def ticket_on_shipment_delay(ctx: HandlerContext, event: ShipmentDelayed) -> None:
    """A delayed shipment opens a delivery ticket for its order, or is added to the open one."""
    support_service.open_or_append(
        session=ctx.session, order_id=event.order_id, category="delivery", shipment_id=event.shipment_id,
        event_key=f"shipment-delay:{event.shipment_id}:{event.expected_by.isoformat()}",
        subject=f"Shipment of order {event.order_number} is late",
        body=f"Expected by {event.expected_by.isoformat()}: {event.reason} ({event.status})",
        data={"shipment_id": str(event.shipment_id), "reason": event.reason})


def ticket_on_dispatch_late(ctx: HandlerContext, event: OrderDispatchLate) -> None:
    """An order not dispatched in time opens a delivery ticket, or is added to the open one."""
    support_service.open_or_append(
        session=ctx.session, order_id=event.order_id, category="delivery",
        event_key=f"dispatch-late:{event.order_id}:{event.due_at.isoformat()}",
        subject=f"Order {event.order_number} was not dispatched in time",
        body=f"Dispatch was due {event.due_at.isoformat()}", data={"due_at": event.due_at.isoformat()})


def ticket_on_installment_failure(ctx: HandlerContext, event: InstallmentFailed) -> None:
    """A failed pay-later installment opens a payment ticket for the order, or is added to the open one."""
    if event.order_id is None:
        return
    support_service.open_or_append(
        session=ctx.session, order_id=event.order_id, category="payment",
        priority="urgent" if event.final else "high",
        event_key=f"installment:{event.installment_id}:{event.attempt}",
        subject=f"Installment payment failed ({event.amount_minor / 100:.2f} {event.currency})",
        body=f"Attempt {event.attempt}{' (final)' if event.final else ''}: {event.reason}",
        data={"installment_id": str(event.installment_id), "amount_minor": event.amount_minor,
              "currency": event.currency})


def send_mail(ctx: HandlerContext, event: SupportMailQueued) -> None:
    """Send the reply or the resolution e-mail in the customer's language (a failure is retried by the outbox)."""
    settings = ctx.adapters.settings
    mailing.send(session=ctx.session, mailer=ctx.adapters.mailer, mail_id=event.mail_id, base_url=settings.base_url,
                 secret=settings.effective_secret_key())


def watch_sla(db: Database, adapters: Any) -> None:
    """Warn before breaches and escalate on breach, one short transaction per ticket."""
    sla.watch(db)


def remind_callbacks(db: Database, adapters: Any) -> None:
    """Log reminders for callbacks due soon, a batch per short transaction."""
    for _ in range(20):
        with db.transaction() as session:
            if support_service.remind_callbacks(session=session, limit=50) < 50:
                break


HANDLERS: dict[type[Event], list[Handler]] = {
    ReviewNeedsCallback: [callback_on_poor_review],
    ShipmentDelayed: [ticket_on_shipment_delay],
    OrderDispatchLate: [ticket_on_dispatch_late],
    InstallmentFailed: [ticket_on_installment_failure],
    SupportMailQueued: [send_mail],
}
JOBS: list[Job] = [
    Job("support.sla_watch", timedelta(minutes=1), watch_sla, owns_transactions=True),
    Job("support.callback_reminders", timedelta(minutes=5), remind_callbacks, owns_transactions=True),
]
