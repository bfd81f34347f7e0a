"""Delivery-platform (O2O) orders at a store: they appear on the store's order board when placed, the store
accepts and prepares them, the platform's courier collects them, and each step is reported back to the platform
by a signed webhook sent through the outbox (at least once; the platform dedupes on the event id it receives).
Flush, never commit."""

from __future__ import annotations

import json
import urllib.request
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.fulfillment import rules
from omniretail.fulfillment.events import CourierStatusChanged
from omniretail.fulfillment.exceptions import ShipmentNotFound, TrackingRefused
from omniretail.fulfillment.models import CourierJob
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.kernel.errors import PermissionDenied
from omniretail.kernel.outbox import record
from omniretail.ordering import service as ordering_service
from omniretail.ordering.rules import OrderStatus, can_move

ORDER_STEP = {rules.CourierStatus.ACCEPTED: (OrderStatus.PICKING,),
              rules.CourierStatus.READY: (OrderStatus.PACKED,),
              rules.CourierStatus.PICKED_UP: (OrderStatus.SHIPPED,),
              rules.CourierStatus.DELIVERED: (OrderStatus.DELIVERED,)}


def may_work_at(actor: Principal, location_id: uuid.UUID) -> bool:
    return actor.can(Permission.FULFILLMENT_MANAGE, location_id) or actor.can(Permission.POS_SELL, location_id)


def open_job(*, session: Session, order_id: uuid.UUID) -> CourierJob | None:
    """Put a placed delivery-platform order on its store's board (once)."""
    order = ordering_service.get_order(session=session, order_id=order_id)
    if not order.external_platform or order.location_id is None or order.channel_kind != "delivery":
        return None
    existing = session.scalar(select(CourierJob).where(CourierJob.order_id == order.id))
    if existing is not None:
        return existing
    job = CourierJob(order_id=order.id, order_number=order.number, location_id=order.location_id,
                     platform=order.external_platform, external_id=order.external_id or "",
                     status=rules.CourierStatus.NEW.value)
    session.add(job)
    session.flush()
    return job


def board(*, session: Session, actor: Principal, location_id: uuid.UUID | None = None) -> list[CourierJob]:
    """The open delivery-platform orders at the stores the actor works at (or at one of them), oldest first."""
    stmt = select(CourierJob).where(CourierJob.status != rules.CourierStatus.DELIVERED.value)
    if location_id is not None:
        if not may_work_at(actor, location_id):
            raise PermissionDenied("You do not work at this store")
        stmt = stmt.where(CourierJob.location_id == location_id)
    else:
        places = actor.locations_for(Permission.POS_SELL)
        more = actor.locations_for(Permission.FULFILLMENT_MANAGE)
        if places is not None and more is not None:  # None: everywhere
            stmt = stmt.where(CourierJob.location_id.in_(list(places | more)))
    return list(session.scalars(stmt.order_by(CourierJob.created_at, CourierJob.id)))


def get_job(*, session: Session, actor: Principal, job_id: uuid.UUID) -> CourierJob:
    job = session.scalar(select(CourierJob).where(CourierJob.id == job_id).with_for_update())
    if job is None or not may_work_at(actor, job.location_id):
        raise ShipmentNotFound("No such order on your board")
    return job


def job_for_order(*, session: Session, actor: Principal, order_id: uuid.UUID) -> CourierJob:
    job = session.scalar(select(CourierJob).where(CourierJob.order_id == order_id))
    if job is None or not may_work_at(actor, job.location_id):
        raise ShipmentNotFound("No such order on your board")
    return job


def move(*, session: Session, actor: Principal, job_id: uuid.UUID, to: str) -> CourierJob:
    """Take the next courier step; the order follows and the platform is told."""
    job = get_job(session=session, actor=actor, job_id=job_id)
    step = rules.can_courier_move(job.status, to)
    if not step.allowed:
        raise TrackingRefused(step.reason, status_now=job.status)
    now = clock.now()
    job.status, job.updated_at = rules.CourierStatus(to).value, now
    order = ordering_service.get_order(session=session, order_id=job.order_id)
    label = f"staff:{actor.email}"
    for target in ORDER_STEP[rules.CourierStatus(to)]:
        if order.status != target.value and can_move(order.status, target).allowed:
            ordering_service.move(session=session, order=order, to=target, actor=label, detail={"courier": to})
    if to == rules.CourierStatus.PICKED_UP:
        inventory_service.commit_sale(session=session, actor=actor, ref=order.hold_ref, order_id=str(order.id))
    record(session, CourierStatusChanged(job.id, job.order_id, job.order_number, job.platform, job.external_id,
                                         job.status, now))
    session.flush()
    return job


def ticket_text(*, session: Session, job: CourierJob) -> str:
    """The order ticket as ESC/POS-width text."""
    order = ordering_service.get_order(session=session, order_id=job.order_id)
    store = inventory_service.get_location(session=session, location_id=job.location_id)
    lines = rules.ticket_lines(store=store.name, number=order.number, platform=job.platform,
                               external_id=job.external_id, placed=order.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                               lines=[(ln.quantity, ln.sku, ln.name) for ln in order.lines])
    return "\n".join(lines) + "\n"


def notify_platform(*, settings_values: dict[str, Any], event: CourierStatusChanged, timeout: float = 10.0) -> bool:
    """POST the courier step to the platform's webhook, signed with HMAC-SHA256 (``X-Signature``); raises when
    the platform does not answer 2xx so the outbox tries again. Returns False when no webhook is set up."""
    hooks = settings_values.get("platform_webhooks") or {}
    hook = hooks.get(event.platform)
    if not hook:
        return False
    body = json.dumps({"id": f"{event.job_id}:{event.status}", "order_id": event.external_id,
                       "order_number": event.order_number, "status": event.status,
                       "at": event.at.isoformat()}).encode()
    url = str(hook["url"])
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"platform webhook for {event.platform} is not an http(s) URL")
    request = urllib.request.Request(url, data=body, method="POST", headers={  # noqa: S310 - http(s) checked
        "content-type": "application/json", "x-signature": rules.sign(str(hook["secret"]), body)})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) checked above
        if not 200 <= response.status < 300:
            raise RuntimeError(f"platform webhook answered {response.status}")
    return True
