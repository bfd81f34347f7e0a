"""Click and collect: the order is prepared at the store, the shopper gets an e-mail with a QR pickup code, the
store scans or types the code, checks the name and hands over (reserved stock becomes sold). Orders left
uncollected past the hold days are cancelled, refunded and restocked by a job. Flush, never commit (the job's
cancellation goes through ``ordering.changes``, which owns its transactions because it may call a gateway)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import segno
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from omniretail.fulfillment import notify, rules
from omniretail.fulfillment.events import PickupHandedOver
from omniretail.fulfillment.exceptions import NameMismatch, PickupNotFound, PickupNotReady
from omniretail.fulfillment.models import Pickup
from omniretail.identity import service as identity_service
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.kernel.db import Database, affected
from omniretail.kernel.errors import PermissionDenied
from omniretail.kernel.outbox import record
from omniretail.ordering import changes as ordering_changes
from omniretail.ordering import service as ordering_service
from omniretail.ordering.rules import OrderStatus, can_move

READY, HANDED_OVER, CANCELLED = "ready", "handed_over", "cancelled"


def _may(actor: Principal, location_id: uuid.UUID) -> bool:
    return actor.can(Permission.FULFILLMENT_MANAGE, location_id) or actor.can(Permission.POS_SELL, location_id)


def _name_on(order: ordering_service.Order) -> str:
    address = order.delivery.get("address") or {}
    return str(order.delivery.get("name") or address.get("name") or "")


def mark_ready_for_pickup(*, session: Session, actor: Principal | None, order_id: uuid.UUID) -> Pickup:
    """The order is prepared at its store: give it a pickup code and e-mail the shopper the QR code."""
    order = ordering_service.get_order(session=session, order_id=order_id)
    if order.location_id is None:
        raise PickupNotReady("The order has no pickup store")
    if actor is not None and not _may(actor, order.location_id):
        raise PermissionDenied("You may not prepare orders at this store")
    existing = session.scalar(select(Pickup).where(Pickup.order_id == order.id))
    if existing is not None:
        return existing
    label = f"staff:{actor.email}" if actor else "system"
    for step in (OrderStatus.PICKING, OrderStatus.PACKED, OrderStatus.READY_FOR_PICKUP):
        if order.status != step.value and can_move(order.status, step).allowed:
            ordering_service.move(session=session, order=order, to=step, actor=label)
    if order.status != OrderStatus.READY_FOR_PICKUP:
        raise PickupNotReady(f"An order that is {order.status} cannot wait for pickup")
    from omniretail.fulfillment.service import settings

    now = clock.now()
    contact = (identity_service.customer_contact(session=session, customer_id=order.customer_id)
               if order.customer_id else None)
    pickup = Pickup(order_id=order.id, order_number=order.number, location_id=order.location_id,
                    code=rules.pickup_code(), status=READY, name=_name_on(order) or (contact[1] if contact else ""),
                    ready_at=now,
                    expires_at=now + timedelta(days=int(settings(session=session)["pickup_hold_days"])))
    session.add(pickup)
    session.flush()
    store = inventory_service.get_location(session=session, location_id=order.location_id)
    notify.queue(session=session, order=order, kind="ready_for_pickup",
                 data={"code": pickup.code, "store": store.name,
                       "qr_svg": segno.make(pickup.code, error="m").svg_data_uri(scale=4)})
    return pickup


def pickup_by_code(*, session: Session, code: str) -> Pickup:
    pickup = session.scalar(select(Pickup).where(Pickup.code == rules.normalize_code(code)))
    if pickup is None:
        raise PickupNotFound()
    return pickup


def handover(*, session: Session, actor: Principal, code: str, name: str) -> Pickup:
    """Hand the order over to the shopper who shows the code and says the name on the order: the order is picked
    up and its reserved stock becomes sold. The same code hands over once."""
    pickup = pickup_by_code(session=session, code=code)
    if not _may(actor, pickup.location_id):
        raise PickupNotFound()  # another store's code looks like no code at all
    if pickup.status != READY:
        raise PickupNotReady(f"Order {pickup.order_number} is {pickup.status.replace('_', ' ')}")
    if pickup.name and not rules.names_match(pickup.name, name):
        raise NameMismatch("The name does not match the order; ask for ID")
    now = clock.now()
    # The conditional update is what makes a second scan of the same code fail, even at the same instant.
    if not affected(session.execute(update(Pickup).where(Pickup.id == pickup.id, Pickup.status == READY)
                                    .values(status=HANDED_OVER, handed_over_at=now, handed_over_by=actor.email)
                                    .execution_options(synchronize_session=False))):
        raise PickupNotReady(f"Order {pickup.order_number} was handed over already")
    session.refresh(pickup)
    order = ordering_service.get_order(session=session, order_id=pickup.order_id)
    inventory_service.commit_sale(session=session, actor=actor, ref=order.hold_ref, order_id=str(order.id))
    ordering_service.move(session=session, order=order, to=OrderStatus.PICKED_UP, actor=f"staff:{actor.email}",
                          detail={"pickup_code": pickup.code})
    record(session, PickupHandedOver(order.id, order.number, pickup.location_id))
    return pickup


def cancel_uncollected(*, db: Database, limit: int = 100) -> int:
    """Cancel, refund and restock orders whose pickup hold ran out; returns how many."""
    with db.transaction(read_only=True) as session:
        due = [(p.id, p.order_id) for p in session.scalars(
            select(Pickup).where(Pickup.status == READY, Pickup.expires_at <= clock.now())
            .order_by(Pickup.expires_at).limit(limit))]
    done = 0
    for pickup_id, order_id in due:
        with db.transaction() as session:
            taken = affected(session.execute(update(Pickup).where(Pickup.id == pickup_id, Pickup.status == READY)
                                             .values(status=CANCELLED)
                                             .execution_options(synchronize_session=False)))
        if not taken:
            continue
        ordering_changes.cancel_order(db=db, order_id=order_id, actor="system:pickup-expired",
                                      reason="not collected in time")
        done += 1
    return done


def pickup_of(*, session: Session, order_id: uuid.UUID) -> Pickup | None:
    """The order's pickup, if it waits or waited at a store."""
    return session.scalar(select(Pickup).where(Pickup.order_id == order_id))
