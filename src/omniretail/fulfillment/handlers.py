"""Fulfilment: reactions to events (watch placed orders against the dispatch target, send shopper e-mails),
put delivery-platform orders on the store board and tell the platform each courier step,
and periodic jobs (delay detection, uncollected pickups, e-mail retries)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from omniretail.fulfillment import notify, o2o
from omniretail.fulfillment import service as fulfillment_service
from omniretail.fulfillment.events import CourierStatusChanged, NotificationQueued
from omniretail.kernel.db import Database
from omniretail.kernel.events import Event
from omniretail.kernel.jobs import Job
from omniretail.kernel.outbox import Handler, HandlerContext
from omniretail.ordering.events import OrderPlaced


def watch_dispatch(ctx: HandlerContext, event: OrderPlaced) -> None:
    """Start the dispatch clock of an order that ships."""
    fulfillment_service.watch_dispatch(session=ctx.session, order_id=event.order_id)


def put_on_store_board(ctx: HandlerContext, event: OrderPlaced) -> None:
    """A delivery-platform order at a store appears on that store's order board."""
    o2o.open_job(session=ctx.session, order_id=event.order_id)


def tell_platform(ctx: HandlerContext, event: CourierStatusChanged) -> None:
    """Report the courier step to the delivery platform (signed; a failure is retried by the outbox)."""
    o2o.notify_platform(settings_values=fulfillment_service.settings(session=ctx.session), event=event)


def send_notification(ctx: HandlerContext, event: NotificationQueued) -> None:
    """Send the logged e-mail in the shopper's language (a failure is logged on the row and retried by a job)."""
    notify.send(session=ctx.session, mailer=ctx.adapters.mailer, notification_id=event.notification_id,
                base_url=ctx.adapters.settings.base_url)


def detect_delays(session: Session, adapters: Any) -> None:
    fulfillment_service.detect_delays(session=session)


def retry_notifications(session: Session, adapters: Any) -> None:
    for notification_id in notify.due_retries(session=session):
        notify.send(session=session, mailer=adapters.mailer, notification_id=notification_id,
                    base_url=adapters.settings.base_url)


def cancel_uncollected(db: Database, adapters: Any) -> None:
    fulfillment_service.cancel_uncollected(db=db)


HANDLERS: dict[type[Event], list[Handler]] = {
    OrderPlaced: [watch_dispatch, put_on_store_board],
    NotificationQueued: [send_notification],
    CourierStatusChanged: [tell_platform],
}
JOBS: list[Job] = [
    Job("fulfillment.delays", timedelta(minutes=5), detect_delays),
    Job("fulfillment.notifications", timedelta(minutes=1), retry_notifications),
    Job("fulfillment.uncollected_pickups", timedelta(hours=1), cancel_uncollected, owns_transactions=True),
]
