"""Marketing: send queued notifications after commit, release the ones quiet hours held, and forget the
addresses of an erased customer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from omniretail.customers.events import CustomerErased
from omniretail.kernel.events import Event
from omniretail.kernel.jobs import Job
from omniretail.kernel.outbox import Handler, HandlerContext, OutboxEvent
from omniretail.marketing import rules, service
from omniretail.marketing.events import NotificationQueued
from omniretail.marketing.models import Notification
from omniretail.marketing.senders import Senders, build_senders


def policy_from(settings: Any) -> service.SendPolicy:
    """The operator's quiet hours, time zone and retry limit (never more tries than the outbox gives)."""
    return service.SendPolicy(
        quiet=rules.QuietHours.parse(settings.notify_quiet_start, settings.notify_quiet_end),
        zone=settings.notify_timezone,
        max_attempts=min(settings.notify_max_attempts, settings.event_max_attempts),
        base_url=settings.base_url)


def _senders(adapters: Any) -> Senders:
    senders = getattr(adapters, "senders", None)
    return senders if isinstance(senders, Senders) else build_senders(adapters.settings, adapters.mailer)


def send_notification(ctx: HandlerContext, event: NotificationQueued) -> None:
    """Render and send one notification; a transient provider failure is raised so the outbox retries it."""
    outbox_row = ctx.session.get(OutboxEvent, ctx.event_id)
    attempt = (outbox_row.attempts if outbox_row is not None else 0) + 1
    row = ctx.session.get(Notification, event.notification_id)
    channel = row.channel if row is not None else "email"
    service.send(session=ctx.session, notification_id=event.notification_id,
                 sender=_senders(ctx.adapters).for_channel(channel), policy=policy_from(ctx.adapters.settings),
                 attempt=attempt)


def forget_erased(ctx: HandlerContext, event: CustomerErased) -> None:
    """Blank the addresses kept for a customer who asked to be forgotten."""
    service.erase_recipients(session=ctx.session, customer_id=event.customer_id)


def release_held(session: Session, adapters: Any) -> None:
    """Queue again the notifications whose quiet hours ended."""
    service.release_held(session=session)


HANDLERS: dict[type[Event], list[Handler]] = {
    NotificationQueued: [send_notification],
    CustomerErased: [forget_erased],
}
JOBS: list[Job] = [Job(name="marketing.release-held", every=timedelta(minutes=1), run=release_held)]
