"""Notifications use cases: queue a message for a customer on one or more channels, send it after commit, keep
its delivery status. ``notify`` is what every other context calls (see docs/notifications.md). Flush, never
commit.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import UndefinedError
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from omniretail.branding import service as branding_service
from omniretail.customers import service as customers_service
from omniretail.identity import service as identity_service
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock, i18n
from omniretail.kernel.db import conflict_insert
from omniretail.kernel.errors import FieldError, NotFound
from omniretail.kernel.ids import new_id
from omniretail.kernel.outbox import record
from omniretail.kernel.paging import Page, paginate
from omniretail.marketing import rules, templating
from omniretail.marketing.events import NotificationQueued, NotificationStatusChanged
from omniretail.marketing.exceptions import InvalidNotification, NotificationNotFound, WebhookRejected
from omniretail.marketing.models import Notification
from omniretail.marketing.ports import MessageSender, OutgoingMessage, PermanentSendError, TransientSendError
from omniretail.marketing.rules import Channel, Purpose, Status

log = logging.getLogger("omniretail.marketing")

ChannelName = Literal["email", "sms", "push"]
PurposeName = Literal["service", "marketing"]
MAX_REF = 200
SMS_LIMIT = 480


# --- queueing (what other contexts call) ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Person:
    customer_id: uuid.UUID | None
    erased: bool
    name: str | None
    email: str | None
    phone: str | None
    language: str | None
    home_location_id: uuid.UUID | None
    consented: frozenset[Channel]


def _person(session: Session, customer_id: uuid.UUID | None) -> _Person:
    if customer_id is None:
        return _Person(None, False, None, None, None, None, None, frozenset())
    survivor = customers_service.resolve(session=session, customer_id=customer_id)
    profile = customers_service.find_profile(session=session, customer_id=survivor)
    if profile is not None and profile.status == customers_service.ERASED:
        return _Person(survivor, True, None, None, None, None, None, frozenset())
    contact = customers_service.contact_of(session=session, customer_id=survivor)
    consents = customers_service.consents_of(session=session, customer_id=survivor)
    granted = frozenset(Channel(c) for c, state in consents.items() if state.granted and c in set(Channel))
    if contact is None:
        # A shopper who signed up but has no profile yet: the account knows their e-mail, name and language.
        account = identity_service.customer_contact(session=session, customer_id=survivor)
        if account is None:
            return _Person(survivor, False, None, None, None, None, None, granted)
        return _Person(survivor, False, account[1] or None, account[0], None, account[2], None, granted)
    return _Person(survivor, False, contact.name or None, contact.email, contact.phone, contact.language,
                   contact.home_location_id, granted)


def _address(person: _Person, channel: Channel, email: str | None, phone: str | None) -> str | None:
    if channel is Channel.EMAIL:
        return email or person.email
    if channel is Channel.SMS:
        return phone or person.phone
    return str(person.customer_id) if person.customer_id else None


def _validate(template: str, channels: Sequence[str], purpose: str, ref: str, context: dict[str, Any],
              locale: str) -> tuple[list[Channel], Purpose]:
    errors = []
    if not templating.exists(template):
        errors.append(FieldError(("template",), f"one of {', '.join(templating.names())}"))
    if not channels or any(c not in set(Channel) for c in channels):
        errors.append(FieldError(("channels",), "one or more of email, sms, push"))
    if purpose not in set(Purpose):
        errors.append(FieldError(("purpose",), "service or marketing"))
    if not ref or len(ref) > MAX_REF:
        errors.append(FieldError(("ref",), f"1 to {MAX_REF} characters"))
    try:
        json.dumps(context)
    except (TypeError, ValueError):
        errors.append(FieldError(("context",), "plain JSON values only"))
    if not errors:
        try:
            templating.render(name=template, locale=locale, context=context, brand=_DRY_BRAND, purpose=purpose,
                              base_url="")
        except UndefinedError as exc:
            errors.append(FieldError(("context",), f"the template needs a value: {exc.message}"))
    if errors:
        raise InvalidNotification(errors=errors)
    return list(dict.fromkeys(Channel(c) for c in channels)), Purpose(purpose)


_DRY_BRAND = templating.BrandLook("shop", "#000000", "#000000", "#ffffff", "sans-serif")


def notify(*, session: Session, customer_id: uuid.UUID | None, template: str, locale: str | None,
           context: dict[str, Any], purpose: PurposeName, channels: Sequence[ChannelName] = ("email",),
           email: str | None = None, phone: str | None = None, ref: str,
           location_id: uuid.UUID | None = None) -> list[uuid.UUID]:
    """Queue one message per channel in the caller's transaction; it is sent after commit (same ref+channel: once)."""
    person = _person(session, customer_id)
    chosen = locale if locale in i18n.LOCALES else (
        person.language if person.language in i18n.LOCALES else i18n.DEFAULT_LOCALE)
    wanted, why = _validate(template, channels, purpose, ref, context, chosen)
    now = clock.now()
    ids = []
    for channel in wanted:
        address = _address(person, channel, email, phone)
        decision = rules.may_send(rules.Recipient(person.erased, address, person.consented), channel=channel,
                                  purpose=why)
        status = Status.QUEUED if decision.allowed else Status.SUPPRESSED
        row_id = new_id()
        insert = conflict_insert(session)
        stmt = insert(Notification).values(
            id=row_id, created_at=now, updated_at=now, customer_id=person.customer_id, location_id=location_id,
            channel=channel.value, purpose=why.value, template=template, locale=chosen,
            recipient=None if person.erased else address, context=context, ref=ref, status=status.value,
            reason=decision.reason, attempts=0, scheduled=decision.allowed, available_at=now,
        ).on_conflict_do_nothing().returning(Notification.id)
        if session.execute(stmt).first() is None:
            ids.append(session.scalar(select(Notification.id).where(Notification.ref == ref,
                                                                     Notification.channel == channel.value)))
            continue
        ids.append(row_id)
        if decision.allowed:
            record(session, NotificationQueued(row_id))
        else:
            record(session, NotificationStatusChanged(row_id, person.customer_id, channel.value, status.value,
                                                      decision.reason))
    return [i for i in ids if i is not None]


# --- sending (the outbox handler calls this after commit) ----------------------------------------------------------

@dataclass(frozen=True)
class SendPolicy:
    """What the operator configured: quiet hours, the fallback time zone, retries and the links' base URL."""

    quiet: rules.QuietHours
    zone: str
    max_attempts: int
    base_url: str


def _zone(session: Session, row: Notification, person: _Person, fallback: str) -> ZoneInfo:
    for location_id in (person.home_location_id, row.location_id):
        if location_id is None:
            continue
        try:
            return ZoneInfo(inventory_service.get_location(session=session, location_id=location_id).timezone)
        except (NotFound, ZoneInfoNotFoundError, ValueError):
            continue
    try:
        return ZoneInfo(fallback)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _brand(session: Session) -> templating.BrandLook:
    brand = branding_service.current(session=session)
    return templating.BrandLook(brand.shop_name, brand.accent, brand.ink, brand.background, brand.font_stack,
                                brand.logo_url)


def _move(session: Session, row: Notification, status: Status, reason: str | None = None) -> None:
    now = clock.now()
    row.status, row.reason, row.updated_at = status.value, reason, now
    if status is Status.SENT:
        row.sent_at = now
    elif status is Status.DELIVERED:
        row.delivered_at = now
    elif status is Status.FAILED:
        row.failed_at = now
    record(session, NotificationStatusChanged(row.id, row.customer_id, row.channel, status.value, reason))


def send(*, session: Session, notification_id: uuid.UUID, sender: MessageSender | None, policy: SendPolicy,
         attempt: int = 1) -> Status:
    """Render and send one queued notification unless consent, quiet hours or its status say otherwise.

    A transient failure is raised again (the outbox retries it with backoff) until ``policy.max_attempts``,
    when the notification is marked failed with the reason; a permanent failure is marked failed at once.
    """
    row = session.get(Notification, notification_id, with_for_update=True)
    if row is None or row.status != Status.QUEUED:
        return Status(row.status) if row else Status.FAILED
    channel, purpose = Channel(row.channel), Purpose(row.purpose)
    person = _person(session, row.customer_id)
    address = row.recipient if row.customer_id is None else (row.recipient if channel is not Channel.PUSH
                                                             else str(person.customer_id))
    decision = rules.may_send(rules.Recipient(person.erased, address, person.consented if row.customer_id
                                              else frozenset()), channel=channel, purpose=purpose)
    if not decision.allowed:
        row.scheduled = False
        if person.erased:
            row.recipient = None
        _move(session, row, Status.SUPPRESSED, decision.reason)
        return Status.SUPPRESSED
    now = clock.now()
    if rules.respects_quiet_hours(channel=channel, purpose=purpose):
        when = rules.next_allowed(now, policy.quiet, _zone(session, row, person, policy.zone))
        if when > now:
            row.available_at, row.scheduled, row.updated_at = when, False, now
            return Status.QUEUED
    rendered = templating.render(name=row.template, locale=row.locale, context=row.context, brand=_brand(session),
                                 purpose=row.purpose, base_url=policy.base_url, customer_name=person.name)
    row.attempts, row.subject = attempt, rendered.subject[:300]
    if sender is None:
        _move(session, row, Status.FAILED, f"no {channel.value} provider is configured")
        return Status.FAILED
    text = rendered.text if channel is Channel.EMAIL else rendered.short[:SMS_LIMIT]
    message = OutgoingMessage(notification_id=row.id, to=str(address), text=text, subject=rendered.subject,
                              html=rendered.html if channel is Channel.EMAIL else None)
    try:
        receipt = sender.send(message)
    except PermanentSendError as exc:
        _move(session, row, Status.FAILED, str(exc)[:1000])
        return Status.FAILED
    except TransientSendError as exc:
        log.warning("notification send failed", extra={"notification_id": str(row.id), "attempt": attempt,
                                                       "error": str(exc)[:300]})
        if attempt >= policy.max_attempts:
            _move(session, row, Status.FAILED, f"gave up after {attempt} attempts: {exc}"[:1000])
            return Status.FAILED
        raise
    row.provider, row.provider_message_id, row.scheduled = receipt.provider, receipt.message_id, False
    _move(session, row, Status.SENT)
    return Status.SENT


def release_held(*, session: Session, limit: int = 500) -> int:
    """Schedule the notifications whose quiet hours are over; return how many."""
    rows = list(session.scalars(select(Notification).where(
        Notification.status == Status.QUEUED, Notification.scheduled.is_(False),
        Notification.available_at <= clock.now()).order_by(Notification.available_at).limit(limit)
        .with_for_update(skip_locked=True)))
    for row in rows:
        row.scheduled = True
        record(session, NotificationQueued(row.id))
    return len(rows)


# --- delivery reports from providers ---------------------------------------------------------------------------------

def signature(secret: str, body: bytes) -> str:
    """The ``X-Signature`` value a provider sends: ``sha256=`` and the hex HMAC of the raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def delivery_report(*, session: Session, provider: str, body: bytes, signed: str | None,
                    secret: str | None) -> Notification:
    """Apply a provider's signed report (``{"message_id", "status": "delivered"|"failed", "reason"}``)."""
    if not secret or not signed or not hmac.compare_digest(signature(secret, body), signed.strip()):
        raise WebhookRejected()
    try:
        report = json.loads(body)
        message_id, status = str(report["message_id"]), Status(report["status"])
        reason = report.get("reason")
    except (ValueError, KeyError, TypeError) as exc:
        raise InvalidNotification("Expected message_id and a status of delivered or failed", errors=[
            FieldError(("body", "status"), "delivered or failed")]) from exc
    if status not in (Status.DELIVERED, Status.FAILED):
        raise InvalidNotification(errors=[FieldError(("body", "status"), "delivered or failed")])
    row = session.scalar(select(Notification).where(Notification.provider == provider,
                                                    Notification.provider_message_id == message_id)
                         .with_for_update())
    if row is None:
        raise NotificationNotFound()
    if rules.can_move(Status(row.status), status):
        _move(session, row, status, str(reason)[:1000] if reason and status is Status.FAILED else None)
    session.flush()
    return row


# --- reading the log -----------------------------------------------------------------------------------------------

def get(*, session: Session, notification_id: uuid.UUID) -> Notification:
    row = session.get(Notification, notification_id)
    if row is None:
        raise NotificationNotFound()
    return row


def _visible(stmt: Select[Any], locations: frozenset[uuid.UUID] | None) -> Select[Any]:
    if locations is None:
        return stmt
    return stmt.where(or_(Notification.location_id.is_(None), Notification.location_id.in_(locations)))


def log_for_customer(*, session: Session, customer_id: uuid.UUID, cursor: str | None, limit: int,
                     locations: frozenset[uuid.UUID] | None = None) -> Page[Notification]:
    """A customer's notifications, oldest first (only those sent for ``locations`` and the shop as a whole)."""
    survivor = customers_service.resolve(session=session, customer_id=customer_id)
    stmt = select(Notification).where(Notification.customer_id.in_({customer_id, survivor}))
    return paginate(session, _visible(stmt, locations), Notification.id, cursor=cursor, limit=limit)


@dataclass(frozen=True)
class LogFilter:
    channel: str | None = None
    status: str | None = None
    purpose: str | None = None
    template: str | None = None
    text: str | None = None
    customer_id: uuid.UUID | None = None


def _filtered(where: LogFilter, locations: frozenset[uuid.UUID] | None) -> Select[Any]:
    stmt = _visible(select(Notification), locations)
    for column, value in ((Notification.channel, where.channel), (Notification.status, where.status),
                          (Notification.purpose, where.purpose), (Notification.template, where.template),
                          (Notification.customer_id, where.customer_id)):
        if value is not None:
            stmt = stmt.where(column == value)
    if where.text:
        like = f"%{where.text.lower().replace('%', '').replace('_', '')}%"
        stmt = stmt.where(or_(func.lower(Notification.recipient).like(like), func.lower(Notification.ref).like(like)))
    return stmt


def search(*, session: Session, where: LogFilter, locations: frozenset[uuid.UUID] | None, offset: int,
           limit: int) -> tuple[list[Notification], int]:
    """Recent notifications, newest first, and how many match."""
    stmt = _filtered(where, locations)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = list(session.scalars(stmt.order_by(Notification.created_at.desc(), Notification.id.desc())
                                .offset(offset).limit(limit)))
    return rows, int(total)


def each(*, session: Session, where: LogFilter, locations: frozenset[uuid.UUID] | None,
         limit: int = 100_000) -> list[Notification]:
    """Every matching notification, newest first (for CSV)."""
    return list(session.scalars(_filtered(where, locations)
                                .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def erase_recipients(*, session: Session, customer_id: uuid.UUID) -> int:
    """Blank the addresses and contexts kept for an erased customer (the statuses stay for the record)."""
    rows = list(session.scalars(select(Notification).where(Notification.customer_id == customer_id)))
    for row in rows:
        row.recipient, row.context, row.updated_at = None, {}, clock.now()
        if row.status == Status.QUEUED:
            row.scheduled = False
            _move(session, row, Status.SUPPRESSED, "customer erased")
    return len(rows)


__all__ = ["LogFilter", "SendPolicy", "delivery_report", "each", "erase_recipients", "get", "log_for_customer",
           "notify", "release_held", "search", "send", "signature"]
