"""Ordering use cases: create an order from a placement, move it through its lifecycle, cancel it, read it.
Flush, never commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import service as inventory_service
from omniretail.kernel import clock
from omniretail.kernel.db import affected
from omniretail.kernel.errors import FieldError
from omniretail.kernel.ids import new_id
from omniretail.kernel.numbers import next_number
from omniretail.kernel.outbox import record
from omniretail.kernel.paging import Page, paginate
from omniretail.ordering.events import OrderCancelled, OrderPlaced, OrderStatusChanged, ReceiptEmailRequested
from omniretail.ordering.exceptions import InvalidOrderEdit, OrderNotFound, TransitionNotAllowed
from omniretail.ordering.models import Order, OrderLine, TimelineEntry
from omniretail.ordering.receipts import Receipt, ReceiptLine, ReceiptTender
from omniretail.ordering.rules import EDITABLE, OrderStatus, can_move, number_prefix, status_after_refund
from omniretail.payments import service as payments_service


@dataclass(frozen=True)
class NewLine:
    variant_id: uuid.UUID
    sku: str
    name: str
    quantity: int
    unit_price_minor: int
    line_total_minor: int
    tax_minor: int
    tax_rate_bp: int
    location_id: uuid.UUID | None


@dataclass(frozen=True)
class NewOrder:
    channel_id: uuid.UUID
    channel_code: str
    channel_kind: str
    location_id: uuid.UUID | None
    customer_id: uuid.UUID | None
    cart_id: uuid.UUID | None
    checkout_key: str | None
    hold_ref: str
    currency: str
    subtotal_minor: int
    tax_minor: int
    shipping_minor: int
    discount_minor: int
    total_minor: int
    points: int
    email: str | None
    phone: str | None
    delivery: dict[str, Any]
    sourcing: dict[str, Any]
    lines: tuple[NewLine, ...]
    external_platform: str | None = None
    external_id: str | None = None


def note(*, session: Session, order: Order, kind: str, actor: str, detail: dict[str, Any] | None = None,
         status: str | None = None) -> TimelineEntry:
    """Add an entry to the order's timeline."""
    entry = TimelineEntry(order_id=order.id, at=clock.now(), kind=kind, status=status, actor=actor,
                          detail=detail or {})
    session.add(entry)
    return entry


def create_order(*, session: Session, new: NewOrder, actor: str, paid_minor: int = 0,
                 steps: Sequence[tuple[OrderStatus, dict[str, Any]]] = ()) -> Order:
    """Number and store a placed order and record ``OrderPlaced``; ``steps`` are the lifecycle moves it makes at
    once (placed, then paid, then allocated), each checked, noted on the timeline and recorded as it ``move`` would,
    but written as one row per table instead of an insert followed by updates."""
    status = OrderStatus.PLACED.value
    moves: list[tuple[str, str, dict[str, Any]]] = []
    for to, detail in steps:
        decision = can_move(status, to)
        if not decision.allowed:
            raise TransitionNotAllowed(decision.reason, status_now=status)
        moves.append((status, to.value, detail))
        status = to.value
    now = clock.now()
    number = next_number(session=session, prefix=number_prefix(new.channel_kind))
    order = Order(id=new_id(), number=number, channel_id=new.channel_id,
                  channel_code=new.channel_code, channel_kind=new.channel_kind, location_id=new.location_id,
                  customer_id=new.customer_id, cart_id=new.cart_id, checkout_key=new.checkout_key,
                  external_platform=new.external_platform, external_id=new.external_id, hold_ref=new.hold_ref,
                  status=status, currency=new.currency, subtotal_minor=new.subtotal_minor,
                  tax_minor=new.tax_minor, shipping_minor=new.shipping_minor, discount_minor=new.discount_minor,
                  total_minor=new.total_minor, paid_minor=paid_minor, refunded_minor=0, points=new.points,
                  email=new.email, phone=new.phone, delivery=new.delivery, sourcing=new.sourcing, updated_at=now,
                  lines=[OrderLine(id=new_id(), position=i, variant_id=ln.variant_id, sku=ln.sku, name=ln.name,
                                   quantity=ln.quantity, unit_price_minor=ln.unit_price_minor,
                                   line_total_minor=ln.line_total_minor, tax_minor=ln.tax_minor,
                                   tax_rate_bp=ln.tax_rate_bp, location_id=ln.location_id)
                         for i, ln in enumerate(new.lines)])
    session.add(order)
    session.flush()
    # Ids are taken in this order so the timeline (sorted by time, then id) reads as it happened.
    session.add(TimelineEntry(id=new_id(), order_id=order.id, at=now, kind="placed", actor=actor,
                              status=OrderStatus.PLACED.value,
                              detail={"channel": new.channel_code, "total_minor": new.total_minor,
                                      "sourcing": new.sourcing.get("reason")}))
    record(session, OrderPlaced(order.id, order.number, order.channel_id, order.location_id, order.customer_id,
                                order.total_minor, order.currency, order.points))
    for before, after, detail in moves:
        session.add(TimelineEntry(id=new_id(), order_id=order.id, at=clock.now(), kind="status", actor=actor,
                                  status=after, detail=detail or {}))
        record(session, OrderStatusChanged(order.id, order.number, before, after))
    return order


def move(*, session: Session, order: Order, to: OrderStatus, actor: str, detail: dict[str, Any] | None = None) -> Order:
    """Take one step of the lifecycle, or refuse with the reason."""
    decision = can_move(order.status, to)
    if not decision.allowed:
        raise TransitionNotAllowed(decision.reason, status_now=order.status)
    before, order.status, order.updated_at = order.status, to.value, clock.now()
    note(session=session, order=order, kind="status", actor=actor, status=to.value, detail=detail)
    record(session, OrderStatusChanged(order.id, order.number, before, to.value))
    session.flush()
    return order


def get_order(*, session: Session, order_id: uuid.UUID) -> Order:
    order = session.get(Order, order_id)
    if order is None:
        raise OrderNotFound()
    return order


def find_order(*, session: Session, ref: str) -> Order:
    """An order by its number (``W-000123``) or id."""
    order = session.scalar(select(Order).where(Order.number == ref.strip().upper()))
    if order is None:
        try:
            order = session.get(Order, uuid.UUID(ref.strip()))
        except ValueError:
            order = None
    if order is None:
        raise OrderNotFound()
    return order


def order_by_key(*, session: Session, checkout_key: str) -> Order | None:
    return session.scalar(select(Order).where(Order.checkout_key == checkout_key))


def order_by_external(*, session: Session, platform: str, external_id: str) -> Order | None:
    return session.scalar(select(Order).where(Order.external_platform == platform, Order.external_id == external_id))


def visible_to(actor: Principal, order: Order) -> bool:
    """Staff see orders at the locations where they hold ``orders.read``."""
    places = actor.locations_for(Permission.ORDERS_READ)
    return places is None or order.location_id in places


def list_orders(*, session: Session, actor: Principal | None = None, customer_id: uuid.UUID | None = None,
                channel_id: uuid.UUID | None = None, status: str | None = None, cursor: str | None,
                limit: int) -> Page[Order]:
    """Orders from every channel, newest last, limited to what the caller may see."""
    stmt = select(Order)
    if actor is not None:
        places = actor.locations_for(Permission.ORDERS_READ)
        if places is not None:
            stmt = stmt.where(Order.location_id.in_(list(places)))
    if customer_id is not None:
        stmt = stmt.where(Order.customer_id == customer_id)
    if channel_id is not None:
        stmt = stmt.where(Order.channel_id == channel_id)
    if status is not None:
        stmt = stmt.where(Order.status == status)
    return paginate(session, stmt, Order.id, cursor=cursor, limit=limit)


def timeline(*, session: Session, order_id: uuid.UUID) -> list[TimelineEntry]:
    """Everything that happened to the order, oldest first."""
    return list(session.scalars(select(TimelineEntry).where(TimelineEntry.order_id == order_id)
                                .order_by(TimelineEntry.at, TimelineEntry.id)))


def cancel(*, session: Session, order: Order, actor: str, reason: str) -> list[payments_service.RefundDone]:
    """Cancel before fulfilment: give the stock back and record the refund of every tender to where it came from
    (card parts stay pending until ``ordering.changes`` has called the gateway). Cancelling twice is harmless."""
    key = f"cancel:{order.id}"
    payments = payments_service.payments_of(session=session, order_id=order.id)
    if order.status == OrderStatus.CANCELLED:
        return payments_service.refunds_under(session=session, idempotency_key=key,
                                              payment_ids=[p.id for p in payments])
    if order.status not in EDITABLE and order.status != OrderStatus.READY_FOR_PICKUP:
        raise TransitionNotAllowed(f"An order that is {order.status} cannot be cancelled", status_now=order.status)
    inventory_service.release(session=session, ref=order.hold_ref)
    payments_service.cancel_installments(session=session, order_id=order.id)
    left = sum(p.captured_minor - p.refunded_minor for p in payments)
    done: list[payments_service.RefundDone] = []
    if left > 0:
        done = payments_service.refund(session=session, payments=payments, amount_minor=left, idempotency_key=key,
                                       to_store_credit=False, customer_id=None, actor=actor)
        order.refunded_minor = sum(p.refunded_minor for p in payments)
    move(session=session, order=order, to=OrderStatus.CANCELLED, actor=actor, detail={"reason": reason,
                                                                                        "refunded_minor": left})
    record(session, OrderCancelled(order.id, order.number, left, order.currency))
    return done


def refund(*, session: Session, order: Order, amount_minor: int, idempotency_key: str, to_store_credit: bool,
           actor: str) -> list[payments_service.RefundDone]:
    """Record a refund of part of a paid order to its tenders in order (or to store credit); card parts stay
    pending until ``ordering.changes`` has called the gateway. The same key refunds once."""
    payments = payments_service.payments_of(session=session, order_id=order.id)
    earlier = payments_service.refunds_under(session=session, idempotency_key=idempotency_key,
                                             payment_ids=[p.id for p in payments])
    if earlier:
        return earlier
    done = payments_service.refund(session=session, payments=payments, amount_minor=amount_minor,
                                   idempotency_key=idempotency_key, to_store_credit=to_store_credit,
                                   customer_id=order.customer_id, actor=actor)
    order.refunded_minor = sum(p.refunded_minor for p in payments)
    after = status_after_refund(order.status, order.paid_minor, order.refunded_minor)
    note(session=session, order=order, kind="refund", actor=actor, status=after,
         detail={"amount_minor": amount_minor, "to_store_credit": to_store_credit})
    order.status = after
    session.flush()
    return done


def sync_refunded(*, session: Session, order_id: uuid.UUID, actor: str) -> Order:
    """Bring the order's refunded total in line with its payments after card refunds settled (a failed card
    refund gives its amount back, and says so on the timeline)."""
    order = get_order(session=session, order_id=order_id)
    payments = payments_service.payments_of(session=session, order_id=order.id)
    refunded = sum(p.refunded_minor for p in payments)
    if refunded < order.refunded_minor:
        note(session=session, order=order, kind="refund_failed", actor=actor,
             detail={"amount_minor": order.refunded_minor - refunded})
    order.refunded_minor = refunded
    session.flush()
    return order


def reassign_customer(*, session: Session, from_customer_id: uuid.UUID, to_customer_id: uuid.UUID) -> int:
    """Move every order of a merged customer to the surviving one; returns how many moved (idempotent)."""
    return affected(session.execute(update(Order).where(Order.customer_id == from_customer_id)
                                    .values(customer_id=to_customer_id, updated_at=clock.now())
                                    .execution_options(synchronize_session=False)))


ERASED_ADDRESS_FIELDS = ("name", "line1", "line2", "phone", "postal_code", "latitude", "longitude")


def erase_customer(*, session: Session, customer_id: uuid.UUID) -> int:
    """Blank the e-mail, phone and address on a forgotten customer's orders; amounts and lines stay (idempotent)."""
    orders = list(session.scalars(select(Order).where(Order.customer_id == customer_id)))
    for order in orders:
        order.email, order.phone = None, None
        delivery = dict(order.delivery or {})
        if isinstance(delivery.get("address"), dict):
            delivery["address"] = {k: v for k, v in delivery["address"].items() if k not in ERASED_ADDRESS_FIELDS}
        order.delivery = delivery
    session.flush()
    return len(orders)


def receipt_for(*, session: Session, order: Order) -> Receipt:
    """What the receipt shows: lines, taxes by rate, tenders with change, points."""
    payments = payments_service.payments_of(session=session, order_id=order.id)
    store = (inventory_service.get_location(session=session, location_id=order.location_id).name
             if order.location_id else order.channel_code)
    taxes: dict[int, int] = {}
    for line in order.lines:
        taxes[line.tax_rate_bp] = taxes.get(line.tax_rate_bp, 0) + line.tax_minor
    placed_by = next((e.actor for e in timeline(session=session, order_id=order.id)), "")
    return Receipt(store=store, number=order.number, issued_at=order.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                   cashier=placed_by.removeprefix("staff:"), currency=order.currency,
                   lines=tuple(ReceiptLine(ln.name, ln.sku, ln.quantity, ln.unit_price_minor, ln.line_total_minor)
                               for ln in order.lines),
                   taxes=tuple(sorted(taxes.items())), total_minor=order.total_minor,
                   tenders=tuple(ReceiptTender(p.method, p.amount_minor, p.tendered_minor, p.change_minor,
                                               p.details.get("last4")) for p in payments),
                   change_minor=sum(p.change_minor for p in payments), points=order.points)


def request_receipt_email(*, session: Session, order: Order, to: str | None, locale: str) -> str:
    """Ask for the receipt to be e-mailed (sent after commit by a handler); returns the address it goes to."""
    address = to or order.email
    if not address:
        raise InvalidOrderEdit("The order has no e-mail address; give one",
                               errors=[FieldError(("body", "email"), "required: the order has none")])
    record(session, ReceiptEmailRequested(order.id, order.number, address, locale))
    note(session=session, order=order, kind="receipt_emailed", actor="ordering", detail={"to": address})
    session.flush()
    return address


def lines_at(order: Order, location_id: uuid.UUID) -> Sequence[OrderLine]:
    return [ln for ln in order.lines if ln.location_id == location_id]


__all__ = ["NewLine", "NewOrder", "Order", "OrderLine", "TimelineEntry", "cancel", "create_order", "get_order",
           "list_orders", "move", "note", "refund", "timeline"]


def refund_tenders(*, session: Session, order: Order, parts: Sequence[tuple[uuid.UUID, int, bool]],
                   idempotency_key: str, customer_id: uuid.UUID | None, actor: str,
                   detail: dict[str, Any] | None = None) -> list[payments_service.RefundDone]:
    """Record a refund whose split over the order's tenders the caller chose (the returns policy): each part is
    (payment id, amount, to store credit); store credit goes to ``customer_id``. Card parts stay pending until
    the gateway is called. The same key refunds once. (Appended by the returns context.)"""
    payments = payments_service.payments_of(session=session, order_id=order.id)
    earlier = payments_service.refunds_under(session=session, idempotency_key=idempotency_key,
                                             payment_ids=[p.id for p in payments])
    if earlier:
        return earlier
    by_id = {p.id: p for p in payments}
    done: list[payments_service.RefundDone] = []
    for payment_id, amount_minor, to_store_credit in parts:
        done.extend(payments_service.refund(session=session, payments=[by_id[payment_id]], amount_minor=amount_minor,
                                            idempotency_key=idempotency_key, to_store_credit=to_store_credit,
                                            customer_id=customer_id, actor=actor))
    order.refunded_minor = sum(p.refunded_minor for p in payments)
    after = status_after_refund(order.status, order.paid_minor, order.refunded_minor)
    note(session=session, order=order, kind="refund", actor=actor, status=after,
         detail={"amount_minor": sum(a for _, a, _ in parts), **(detail or {})})
    order.status = after
    session.flush()
    return done


# --- appended by customers (360 view, RFM segments) ----------------------------------------------------------------

@dataclass(frozen=True)
class CustomerOrderTotals:
    """One customer's orders in one channel kind and currency; ``spend_minor`` is totals less refunds and
    ``last_order_at`` the newest order's time (aware UTC datetime). Cancelled orders are left out."""

    customer_id: uuid.UUID
    channel_kind: str
    currency: str
    orders: int
    spend_minor: int
    last_order_at: Any


def order_totals_by_customer(*, session: Session, customer_ids: Sequence[uuid.UUID] | None = None
                             ) -> list[CustomerOrderTotals]:
    """Order count, net spend and last order time per customer, channel kind and currency (for the given
    customers, or for everyone who ever ordered), in one grouped query."""
    from sqlalchemy import func

    stmt = (select(Order.customer_id, Order.channel_kind, Order.currency, func.count(Order.id),
                   func.coalesce(func.sum(Order.total_minor - Order.refunded_minor), 0), func.max(Order.created_at))
            .where(Order.customer_id.is_not(None), Order.status != OrderStatus.CANCELLED.value)
            .group_by(Order.customer_id, Order.channel_kind, Order.currency))
    if customer_ids is not None:
        stmt = stmt.where(Order.customer_id.in_(list(customer_ids)))
    return [CustomerOrderTotals(customer_id, kind, currency, int(count), int(spend), clock.as_utc(last))
            for customer_id, kind, currency, count, spend, last in session.execute(stmt) if customer_id is not None]


def orders_of_customers(*, session: Session, customer_ids: Sequence[uuid.UUID], limit: int | None = 50
                        ) -> list[Order]:
    """The newest orders of any of these customers (a profile and the profiles merged into it), newest first."""
    if not customer_ids:
        return []
    stmt = select(Order).where(Order.customer_id.in_(list(customer_ids))).order_by(Order.id.desc())
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def received_order_with_variants(*, session: Session, customer_id: uuid.UUID, variant_ids: Sequence[uuid.UUID]
                                 ) -> uuid.UUID | None:
    """The newest delivered or collected order of this customer holding any of these variants (a verified
    purchase for reviews), or None."""
    if not variant_ids:
        return None
    received = (OrderStatus.DELIVERED.value, OrderStatus.PICKED_UP.value, OrderStatus.PARTIALLY_REFUNDED.value)
    return session.scalar(select(Order.id).join(OrderLine, OrderLine.order_id == Order.id)
                          .where(Order.customer_id == customer_id, Order.status.in_(received),
                                 OrderLine.variant_id.in_(list(variant_ids)))
                          .order_by(Order.id.desc()).limit(1))
