"""Shopper e-mails about fulfilment, in the shopper's language, with a notification log.

``queue`` writes the log row (pending) and records ``NotificationQueued`` in the caller's transaction; the outbox
handler renders and sends it after commit. A send that fails is written down (failed, attempts, error, next try)
and the ``fulfillment.notifications`` job tries again with growing pauses, up to ``MAX_ATTEMPTS``: the failure is
kept and visible, never dropped.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.fulfillment.events import NotificationQueued
from omniretail.fulfillment.models import Notification
from omniretail.identity import service as identity_service
from omniretail.kernel import clock, i18n
from omniretail.kernel.i18n import N_
from omniretail.kernel.mail import Mailer, OutgoingMail
from omniretail.kernel.outbox import record
from omniretail.ordering import service as ordering_service

PENDING, SENT, FAILED, GAVE_UP = "pending", "sent", "failed", "gave_up"
MAX_ATTEMPTS = 6

SUBJECTS = {
    "ready_for_pickup": N_("Your order %(number)s is ready for pickup"),
    "picked_up": N_("Your order %(number)s has shipped"),
    "in_transit": N_("Your order %(number)s is on its way"),
    "out_for_delivery": N_("Your order %(number)s is out for delivery today"),
    "delivered": N_("Your order %(number)s was delivered"),
    "failed_attempt": N_("We missed you: delivery of order %(number)s"),
    "exception": N_("A problem with the delivery of order %(number)s"),
}
TRACKING_LINE = N_("Tracking number: %(tracking)s")
FOLLOW_LINE = N_("Follow your order: %(link)s")
PICKUP_LINE = N_("Show this code at %(store)s: %(code)s")


def _recipient(session: Session, order: ordering_service.Order) -> tuple[str | None, str]:
    contact = (identity_service.customer_contact(session=session, customer_id=order.customer_id)
               if order.customer_id else None)
    email = order.email or (contact[0] if contact else None)
    locale = contact[2] if contact else str(order.delivery.get("locale") or i18n.DEFAULT_LOCALE)
    return email, locale if locale in i18n.LOCALES else i18n.DEFAULT_LOCALE


def queue(*, session: Session, order: ordering_service.Order, kind: str, shipment_id: uuid.UUID | None = None,
          data: dict[str, Any] | None = None) -> Notification | None:
    """Log an e-mail to the order's shopper and have it sent after commit (None when there is no address)."""
    email, locale = _recipient(session, order)
    if not email:
        return None
    row = Notification(order_id=order.id, shipment_id=shipment_id, kind=kind, to=email, locale=locale,
                       status=PENDING, attempts=0, data={"number": order.number, **(data or {})})
    session.add(row)
    session.flush()
    record(session, NotificationQueued(row.id))
    return row


def render(row: Notification, *, base_url: str) -> OutgoingMail:
    """The e-mail in the shopper's language."""
    token = i18n.current_locale.set(row.locale)
    try:
        data = row.data
        lines = [i18n.gettext(SUBJECTS[row.kind]) % {"number": data["number"]}, ""]
        if data.get("tracking"):
            lines.append(i18n.gettext(TRACKING_LINE) % {"tracking": data["tracking"]})
        if data.get("code"):
            lines.append(i18n.gettext(PICKUP_LINE) % {"store": data.get("store", ""), "code": data["code"]})
        lines.append(i18n.gettext(FOLLOW_LINE) % {"link": f"{base_url}/account/orders/{row.order_id}"})
        subject = lines[0]
    finally:
        i18n.current_locale.reset(token)
    html = None
    if data.get("qr_svg"):
        paragraphs = "</p><p>".join(line for line in lines if line)
        html = f'<p>{paragraphs}</p><p><img alt="QR" src="{data["qr_svg"]}"></p>'
    return OutgoingMail(to=row.to, subject=subject, text="\n".join(lines) + "\n", html=html)


def send(*, session: Session, mailer: Mailer, notification_id: uuid.UUID, base_url: str) -> str:
    """Send one logged e-mail unless it went already; write down the outcome."""
    row = session.get(Notification, notification_id)
    if row is None or row.status in (SENT, GAVE_UP):
        return row.status if row else SENT
    row.attempts += 1
    try:
        mailer.send(render(row, base_url=base_url))
    except Exception as exc:
        row.status = GAVE_UP if row.attempts >= MAX_ATTEMPTS else FAILED
        row.last_error = repr(exc)[:300]
        row.next_attempt_at = clock.now() + timedelta(minutes=2 ** row.attempts)
    else:
        row.status, row.sent_at, row.last_error, row.next_attempt_at = SENT, clock.now(), None, None
    session.flush()
    return row.status


def due_retries(*, session: Session, limit: int = 100) -> list[uuid.UUID]:
    return list(session.scalars(select(Notification.id).where(Notification.status == FAILED,
                                                              Notification.next_attempt_at <= clock.now())
                                .order_by(Notification.next_attempt_at).limit(limit)))


def log_for(*, session: Session, order_id: uuid.UUID) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.order_id == order_id)
                                .order_by(Notification.created_at, Notification.id)))
