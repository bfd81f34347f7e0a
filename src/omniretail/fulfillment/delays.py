"""Delay detection: shipments whose next expected tracking event is overdue, and orders not dispatched within the
merchant's target. Each is flagged once (a row in the delay queue) and raises an event support turns into a
ticket; the flag is resolved by the next tracking step or the dispatch. Flush, never commit."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from omniretail.fulfillment import rules
from omniretail.fulfillment.events import OrderDispatchLate, ShipmentDelayed
from omniretail.fulfillment.models import Delay, DispatchWatch, Shipment
from omniretail.kernel import clock
from omniretail.kernel.outbox import record
from omniretail.ordering import service as ordering_service

FINAL = ("delivered",)
DONE_ORDERS = ("cancelled", "picked_up", "shipped", "delivered", "refunded", "partially_refunded")


def detect_delays(*, session: Session, limit: int = 500) -> int:
    """Flag what is late now; returns how many new flags."""
    from omniretail.fulfillment.service import settings

    now = clock.now()
    grace = timedelta(minutes=int(settings(session=session)["delay_grace_minutes"]))
    flagged = 0
    late = session.scalars(select(Shipment).where(Shipment.expected_by.is_not(None), Shipment.delayed_at.is_(None),
                                                  Shipment.expected_by < now - grace,
                                                  Shipment.status.not_in(FINAL))
                           .order_by(Shipment.expected_by).limit(limit).with_for_update(skip_locked=True))
    for shipment in late:
        assert shipment.expected_by is not None
        if not rules.overdue(shipment.expected_by, now, grace):
            continue
        reason = f"no tracking event since {shipment.status} (expected by {shipment.expected_by:%Y-%m-%d %H:%M} UTC)"
        shipment.delayed_at = now
        session.add(Delay(kind="shipment", order_id=shipment.order_id, order_number=shipment.order_number,
                          shipment_id=shipment.id, location_id=shipment.location_id, detected_at=now, reason=reason))
        record(session, ShipmentDelayed(shipment.id, shipment.order_id, shipment.order_number, shipment.status,
                                        shipment.expected_by, reason))
        flagged += 1
    watches = session.scalars(select(DispatchWatch).where(DispatchWatch.shipped_at.is_(None),
                                                          DispatchWatch.flagged_at.is_(None),
                                                          DispatchWatch.due_at < now - grace)
                              .order_by(DispatchWatch.due_at).limit(limit).with_for_update(skip_locked=True))
    for watch in watches:
        order = ordering_service.get_order(session=session, order_id=watch.order_id)
        watch.flagged_at = now
        if order.status in DONE_ORDERS:
            continue
        session.add(Delay(kind="dispatch", order_id=watch.order_id, order_number=watch.order_number,
                          shipment_id=None, location_id=watch.location_id, detected_at=now,
                          reason=f"not shipped by the dispatch target ({watch.due_at:%Y-%m-%d %H:%M} UTC)"))
        record(session, OrderDispatchLate(watch.order_id, watch.order_number, watch.location_id, watch.due_at))
        flagged += 1
    session.flush()
    return flagged


def open_delays(*, session: Session, location_ids: frozenset[object] | None = None, limit: int = 200) -> list[Delay]:
    """The delay queue: unresolved flags, oldest first (only at these locations, when given)."""
    stmt = select(Delay).where(Delay.resolved_at.is_(None)).order_by(Delay.detected_at, Delay.id).limit(limit)
    if location_ids is not None:
        stmt = stmt.where(Delay.location_id.in_(list(location_ids)))
    return list(session.scalars(stmt))
