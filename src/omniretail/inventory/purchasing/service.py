"""Purchasing use cases: suppliers and what they sell, purchase orders (draft, send, partial and full receipt),
on-order quantities, reorder points and the suggested-order list built by ``rules.suggest_order``."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from omniretail.identity import service as identity_service
from omniretail.identity.rules import Permission, Principal
from omniretail.inventory import rules
from omniretail.inventory import service as stock_service
from omniretail.inventory.events import PurchaseOrderSent
from omniretail.inventory.exceptions import DocumentNotFound, DuplicateSupplierCode, InvalidStep
from omniretail.inventory.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    ReorderPoint,
    Supplier,
    SupplierItem,
)
from omniretail.inventory.rules import PURCHASE_ORDER_STEPS, PurchaseOrderStatus
from omniretail.kernel import clock, outbox
from omniretail.kernel.errors import FieldError, InvalidInput
from omniretail.kernel.numbers import next_number
from omniretail.kernel.paging import Page, paginate

OPEN_PO = (PurchaseOrderStatus.SENT.value, PurchaseOrderStatus.PARTIALLY_RECEIVED.value)


@dataclass(frozen=True)
class SupplierItemInput:
    variant_id: uuid.UUID
    cost_minor: int
    lead_time_days: int = 7
    min_order_quantity: int = 1
    supplier_sku: str = ""


@dataclass(frozen=True)
class OrderLineInput:
    variant_id: uuid.UUID
    quantity: int
    cost_minor: int | None = None


@dataclass(frozen=True)
class Suggestion:
    variant_id: uuid.UUID
    location_id: uuid.UUID
    available: int
    on_order: int
    min_quantity: int
    max_quantity: int
    quantity: int
    supplier_id: uuid.UUID | None
    cost_minor: int | None


def _require(actor: Principal | None, location_id: uuid.UUID | None = None) -> None:
    if actor is not None:
        identity_service.require(actor, Permission.PURCHASING_MANAGE, location_id)


def create_supplier(*, session: Session, actor: Principal | None, code: str, name: str, currency: str,
                    email: str | None = None, items: Sequence[SupplierItemInput] = ()) -> Supplier:
    """Add a supplier with the items it sells, their cost, lead time and minimum order."""
    _require(actor)
    if session.scalar(select(Supplier.id).where(Supplier.code == code)) is not None:
        raise DuplicateSupplierCode(f"Supplier code {code} is taken", errors=[FieldError(("body", "code"), "taken")])
    supplier = Supplier(code=code, name=name, currency=currency, email=email,
                        items=[SupplierItem(variant_id=i.variant_id, cost_minor=i.cost_minor,
                                            lead_time_days=i.lead_time_days, min_order_quantity=i.min_order_quantity,
                                            supplier_sku=i.supplier_sku) for i in items])
    session.add(supplier)
    session.flush()
    return supplier


def set_supplier_items(*, session: Session, actor: Principal | None, supplier_id: uuid.UUID,
                       items: Sequence[SupplierItemInput]) -> Supplier:
    """Replace or add items on a supplier's list."""
    _require(actor)
    supplier = get_supplier(session=session, supplier_id=supplier_id)
    existing = {i.variant_id: i for i in supplier.items}
    for item in items:
        row = existing.get(item.variant_id)
        if row is None:
            row = SupplierItem(variant_id=item.variant_id, cost_minor=item.cost_minor)
            supplier.items.append(row)
        row.cost_minor, row.lead_time_days = item.cost_minor, item.lead_time_days
        row.min_order_quantity, row.supplier_sku = item.min_order_quantity, item.supplier_sku
    session.flush()
    return supplier


def get_supplier(*, session: Session, supplier_id: uuid.UUID) -> Supplier:
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        raise DocumentNotFound(f"No supplier {supplier_id}")
    return supplier


def page_suppliers(*, session: Session, cursor: str | None, limit: int) -> Page[Supplier]:
    return paginate(session, select(Supplier), Supplier.id, cursor=cursor, limit=limit)


def get_purchase_order(*, session: Session, actor: Principal | None, purchase_order_id: uuid.UUID) -> PurchaseOrder:
    order = session.get(PurchaseOrder, purchase_order_id)
    if order is None or (actor is not None and not actor.can(Permission.PURCHASING_MANAGE, order.location_id)):
        raise DocumentNotFound(f"No purchase order {purchase_order_id}")
    return order


def draft_purchase_order(*, session: Session, actor: Principal | None, supplier_id: uuid.UUID,
                         location_id: uuid.UUID, lines: Sequence[OrderLineInput]) -> PurchaseOrder:
    """Draft an order to a supplier for delivery to one location (costs default to the supplier's list)."""
    _require(actor, location_id)
    supplier = get_supplier(session=session, supplier_id=supplier_id)
    stock_service.get_location(session=session, location_id=location_id)
    costs = {i.variant_id: i.cost_minor for i in supplier.items}
    merged: dict[uuid.UUID, PurchaseOrderLine] = {}
    for index, line in enumerate(lines):
        cost = line.cost_minor if line.cost_minor is not None else costs.get(line.variant_id)
        if line.quantity <= 0:
            raise InvalidInput("Quantities must be positive",
                               errors=[FieldError(("body", "lines", index, "quantity"), "must be > 0")])
        if cost is None:
            raise InvalidInput("The supplier does not list this item; give a cost",
                               errors=[FieldError(("body", "lines", index, "cost_minor"), "required")])
        if line.variant_id in merged:
            merged[line.variant_id].quantity_ordered += line.quantity
        else:
            merged[line.variant_id] = PurchaseOrderLine(variant_id=line.variant_id, quantity_ordered=line.quantity,
                                                        quantity_received=0, cost_minor=cost)
    if not merged:
        raise InvalidInput("An order needs at least one line", errors=[FieldError(("body", "lines"), "empty")])
    order = PurchaseOrder(number=next_number(session=session, prefix="PO"), supplier_id=supplier.id,
                          location_id=location_id, status=PurchaseOrderStatus.DRAFT.value, currency=supplier.currency,
                          lines=[merged[v] for v in sorted(merged)])
    session.add(order)
    session.flush()
    return order


def _step(order: PurchaseOrder, step: str) -> None:
    decision = rules.step_allowed(PURCHASE_ORDER_STEPS, step, order.status)
    if not decision.allowed:
        raise InvalidStep(decision.reason, status=order.status)


def send_purchase_order(*, session: Session, actor: Principal | None, purchase_order_id: uuid.UUID) -> PurchaseOrder:
    """Send the order: its quantities count as on order from now on."""
    order = get_purchase_order(session=session, actor=actor, purchase_order_id=purchase_order_id)
    _step(order, "send")
    supplier = get_supplier(session=session, supplier_id=order.supplier_id)
    lead = max((i.lead_time_days for i in supplier.items if i.variant_id in {ln.variant_id for ln in order.lines}),
               default=7)
    order.status, order.sent_at = PurchaseOrderStatus.SENT.value, clock.now()
    order.expected_at = order.sent_at + timedelta(days=lead)
    session.flush()
    outbox.record(session, PurchaseOrderSent(order.id, order.number, order.supplier_id))
    return order


def receive_purchase_order(*, session: Session, actor: Principal | None, purchase_order_id: uuid.UUID,
                           received: Mapping[uuid.UUID, int] | None = None) -> PurchaseOrder:
    """Book a delivery (all that is outstanding, or the quantities given): receipt lines add the stock."""
    order = get_purchase_order(session=session, actor=actor, purchase_order_id=purchase_order_id)
    _step(order, "receive")
    lines = {ln.variant_id: ln for ln in order.lines}
    wanted = dict(received) if received is not None else {
        v: ln.quantity_ordered - ln.quantity_received for v, ln in lines.items()}
    for variant_id in sorted(wanted):
        quantity = wanted[variant_id]
        if variant_id not in lines or quantity < 0:
            raise InvalidInput("Receive only what is on the order",
                               errors=[FieldError(("body", "lines", str(variant_id)), "not on this order")])
        if quantity:
            lines[variant_id].quantity_received += quantity
            stock_service.apply_movement(session=session, actor=actor, variant_id=variant_id,
                                         location_id=order.location_id, kind=rules.MovementKind.RECEIPT,
                                         quantity=quantity, reason=f"purchase order {order.number}",
                                         document_type=rules.DocumentType.PURCHASE_ORDER, document_id=order.number)
    done = all(ln.quantity_received >= ln.quantity_ordered for ln in order.lines)
    order.status = (PurchaseOrderStatus.RECEIVED if done else PurchaseOrderStatus.PARTIALLY_RECEIVED).value
    order.closed_at = clock.now() if done else None
    session.flush()
    return order


def cancel_purchase_order(*, session: Session, actor: Principal | None,
                          purchase_order_id: uuid.UUID) -> PurchaseOrder:
    """Cancel an order nothing has been received on."""
    order = get_purchase_order(session=session, actor=actor, purchase_order_id=purchase_order_id)
    _step(order, "cancel")
    order.status, order.closed_at = PurchaseOrderStatus.CANCELLED.value, clock.now()
    session.flush()
    return order


def page_purchase_orders(*, session: Session, actor: Principal, status: str | None, cursor: str | None,
                         limit: int) -> Page[PurchaseOrder]:
    stmt = select(PurchaseOrder)
    allowed = actor.locations_for(Permission.PURCHASING_MANAGE)
    if allowed is not None:
        stmt = stmt.where(PurchaseOrder.location_id.in_(list(allowed)))
    if status:
        stmt = stmt.where(PurchaseOrder.status == status)
    return paginate(session, stmt, PurchaseOrder.id, cursor=cursor, limit=limit)


def on_order(*, session: Session, variant_ids: Sequence[uuid.UUID],
             location_ids: Sequence[uuid.UUID] | None = None) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """Units sent to suppliers and not yet received, per (variant, location)."""
    stmt = (select(PurchaseOrderLine.variant_id, PurchaseOrder.location_id,
                   func.sum(PurchaseOrderLine.quantity_ordered - PurchaseOrderLine.quantity_received))
            .join(PurchaseOrder, PurchaseOrder.id == PurchaseOrderLine.purchase_order_id)
            .where(PurchaseOrder.status.in_(OPEN_PO), PurchaseOrderLine.variant_id.in_(list(variant_ids)))
            .group_by(PurchaseOrderLine.variant_id, PurchaseOrder.location_id))
    if location_ids is not None:
        stmt = stmt.where(PurchaseOrder.location_id.in_(list(location_ids)))
    return {(v, loc): max(int(n), 0) for v, loc, n in session.execute(stmt)}


def set_reorder_point(*, session: Session, actor: Principal | None, variant_id: uuid.UUID, location_id: uuid.UUID,
                      min_quantity: int, max_quantity: int) -> ReorderPoint:
    """Order up to ``max_quantity`` when available plus on order falls to ``min_quantity``."""
    stock_service.require_at(actor, Permission.STOCK_WRITE, location_id)
    stock_service.get_location(session=session, location_id=location_id)
    if min_quantity < 0 or max_quantity < min_quantity:
        raise InvalidInput("Max must be at least min, and min not negative",
                           errors=[FieldError(("body", "max_quantity"), "must be >= min_quantity")])
    point = session.scalar(select(ReorderPoint).where(ReorderPoint.variant_id == variant_id,
                                                      ReorderPoint.location_id == location_id))
    if point is None:
        point = ReorderPoint(variant_id=variant_id, location_id=location_id, min_quantity=min_quantity,
                             max_quantity=max_quantity)
        session.add(point)
    point.min_quantity, point.max_quantity = min_quantity, max_quantity
    session.flush()
    return point


def page_reorder_points(*, session: Session, actor: Principal, location_id: uuid.UUID | None, cursor: str | None,
                        limit: int) -> Page[ReorderPoint]:
    """Reorder points at the locations the caller may see."""
    stmt = stock_service.scoped_to_locations(select(ReorderPoint), ReorderPoint.location_id, actor, location_id)
    return paginate(session, stmt, ReorderPoint.id, cursor=cursor, limit=limit)


def suggested_orders(*, session: Session, location_ids: Sequence[uuid.UUID] | None = None) -> list[Suggestion]:
    """What to order, per variant and location: reorder points at or under min, with the cheapest supplier."""
    stmt = select(ReorderPoint).order_by(ReorderPoint.location_id, ReorderPoint.variant_id)
    if location_ids is not None:
        stmt = stmt.where(ReorderPoint.location_id.in_(list(location_ids)))
    points = list(session.scalars(stmt))
    suggestions: list[Suggestion] = []
    for start in range(0, len(points), rules.MAX_BATCH_VARIANTS):
        chunk = points[start:start + rules.MAX_BATCH_VARIANTS]
        variants = list({p.variant_id for p in chunk})
        stock = {(a.variant_id, a.location_id): a.available
                 for a in stock_service.availability(session=session, variant_ids=variants)}
        ordered = on_order(session=session, variant_ids=variants)
        offers: dict[uuid.UUID, SupplierItem] = {}
        for item in session.scalars(select(SupplierItem).where(SupplierItem.variant_id.in_(variants))
                                    .order_by(SupplierItem.cost_minor, SupplierItem.id)):
            offers.setdefault(item.variant_id, item)
        for point in chunk:
            key = (point.variant_id, point.location_id)
            offer = offers.get(point.variant_id)
            quantity = rules.suggest_order(rules.ReorderInput(
                point.variant_id, point.location_id, stock.get(key, 0), ordered.get(key, 0), point.min_quantity,
                point.max_quantity, offer.min_order_quantity if offer else 1))
            if quantity:
                suggestions.append(Suggestion(point.variant_id, point.location_id, stock.get(key, 0),
                                              ordered.get(key, 0), point.min_quantity, point.max_quantity, quantity,
                                              offer.supplier_id if offer else None,
                                              offer.cost_minor if offer else None))
    return suggestions
